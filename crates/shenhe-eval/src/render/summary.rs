//! The closing summary of a run: counts only (plus the few documents that could not be read and
//! the waivers that need attention), so that it stays small however many documents ran.

use serde::Serialize;

use crate::finding::Severity;
use crate::render::DocOutcome;
use crate::report::SeverityCounts;
use crate::waiver::{WaiverNotice, is_open};

/// A document that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnreadableDoc {
    /// Position of the document in the run (0-based).
    pub index: usize,
    pub path: String,
    pub reason: String,
}

/// A waiver that needs attention, as reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WaiverNote {
    /// `expired`, `lapsed` or `unused`.
    pub kind: &'static str,
    /// Chinese.
    pub kind_name: &'static str,
    pub rule: String,
    pub location: String,
    pub fingerprint: String,
    pub expires: String,
    /// Line of the `[[waiver]]` entry in the configuration file.
    pub config_line: u32,
}

/// Counts over a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Documents given (read or not).
    pub documents: usize,
    /// Documents read and checked.
    pub checked: usize,
    pub unreadable: Vec<UnreadableDoc>,
    /// Every finding, by severity (waived ones included).
    pub findings: SeverityCounts,
    /// Waived findings, by severity.
    pub waived: SeverityCounts,
    /// Checked documents with at least one open (not waived) finding of severity 错误.
    pub documents_with_errors: usize,
    /// Evaluation errors of rules (a rule that could not be evaluated on a document).
    pub rule_errors: usize,
    /// Ingest warnings over all documents.
    pub ingest_warnings: usize,
    /// Common causes over all documents (cells whose value would resolve several findings).
    pub causes: usize,
    pub waiver_notes: Vec<WaiverNote>,
    /// The checked documents' reading notices (`DocumentInfo::notices`), for the formats that
    /// list them at the end (SARIF's notifications); not serialised (each document's report
    /// carries its own).
    #[serde(skip)]
    pub notices: Vec<DocNotice>,
}

/// A reading notice of one document of the run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocNotice {
    pub path: String,
    pub message: String,
}

fn add_counts(to: &mut SeverityCounts, from: &SeverityCounts) {
    to.error += from.error;
    to.warning += from.warning;
    to.info += from.info;
}

impl Summary {
    /// Adds one document; `index` is its position in the run.
    pub fn add(&mut self, index: usize, d: &DocOutcome<'_>) {
        self.documents += 1;
        match d {
            DocOutcome::Checked(c) => {
                self.checked += 1;
                let counts = &c.report.counts;
                add_counts(&mut self.findings, &counts.by_severity);
                add_counts(&mut self.waived, &counts.waived);
                self.rule_errors += c.report.errors.len();
                self.ingest_warnings += c.report.document.ingest_warnings;
                self.causes += c.report.causes.len();
                self.notices
                    .extend(c.report.document.notices.iter().map(|n| DocNotice {
                        path: c.path.to_string(),
                        message: n.clone(),
                    }));
                if c.report.has_error_findings() {
                    self.documents_with_errors += 1;
                }
            }
            DocOutcome::Unreadable { path, reason } => self.unreadable.push(UnreadableDoc {
                index,
                path: (*path).to_string(),
                reason: (*reason).to_string(),
            }),
        }
    }

    /// Adds the counts of another summary (of other documents).
    pub fn merge(&mut self, other: Summary) {
        self.documents += other.documents;
        self.checked += other.checked;
        self.unreadable.extend(other.unreadable);
        add_counts(&mut self.findings, &other.findings);
        add_counts(&mut self.waived, &other.waived);
        self.documents_with_errors += other.documents_with_errors;
        self.rule_errors += other.rule_errors;
        self.ingest_warnings += other.ingest_warnings;
        self.causes += other.causes;
        self.waiver_notes.extend(other.waiver_notes);
        self.notices.extend(other.notices);
    }

    /// Records the waivers that need attention (from [`crate::waiver::WaiverLedger::notices`]).
    pub fn set_waiver_notices(&mut self, notices: &[WaiverNotice<'_>]) {
        use crate::waiver::WaiverNoticeKind as K;
        self.waiver_notes = notices
            .iter()
            .map(|n| WaiverNote {
                kind: match n.kind {
                    K::Expired => "expired",
                    K::Lapsed => "lapsed",
                    K::Unused => "unused",
                },
                kind_name: n.kind.name(),
                rule: n.waiver.rule.clone(),
                location: n.waiver.location.clone(),
                fingerprint: n.waiver.fingerprint.clone(),
                expires: n.waiver.expires.to_string(),
                config_line: n.waiver.pos.line,
            })
            .collect();
    }

    /// Open (not waived) findings by severity.
    pub fn open(&self) -> SeverityCounts {
        SeverityCounts {
            error: self.findings.error.saturating_sub(self.waived.error),
            warning: self.findings.warning.saturating_sub(self.waived.warning),
            info: self.findings.info.saturating_sub(self.waived.info),
        }
    }

    /// The exit status of `shenhe check`: 2 when a document could not be read, else 1 when an
    /// open finding of severity 错误 remains, else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.unreadable.is_empty() {
            2
        } else if self.open().error > 0 {
            1
        } else {
            0
        }
    }

    /// The summary in Chinese, for a terminal (several lines).
    pub fn to_text(&self) -> String {
        let open = self.open();
        let total = self.findings.error + self.findings.warning + self.findings.info;
        let waived = self.waived.error + self.waived.warning + self.waived.info;
        let mut out = format!(
            "共 {} 份文档：已检查 {}，无法读取 {}。\n发现 {} 处：错误 {}，警告 {}，提示 {}",
            self.documents,
            self.checked,
            self.unreadable.len(),
            total,
            self.findings.error,
            self.findings.warning,
            self.findings.info,
        );
        if waived > 0 {
            out.push_str(&format!(
                "；其中已豁免 {waived} 处，未豁免：错误 {}，警告 {}，提示 {}",
                open.error, open.warning, open.info
            ));
        }
        out.push_str("。\n");
        if self.documents_with_errors > 0 {
            out.push_str(&format!(
                "有未豁免错误的文档 {} 份。\n",
                self.documents_with_errors
            ));
        }
        if self.causes > 0 {
            out.push_str(&format!(
                "可能的共同原因 {} 处：一个单元格的数改对即可同时消除几处发现（见各文档）。\n",
                self.causes
            ));
        }
        if self.rule_errors > 0 {
            out.push_str(&format!(
                "规则无法求值 {} 次（见各文档的“无法求值的规则”）。\n",
                self.rule_errors
            ));
        }
        if !self.notices.is_empty() {
            // A document may carry more than one notice: listed by document.
            out.push_str("有读取提醒的文档（表格可能读错，见各文档）：\n");
            let mut last: Option<&str> = None;
            for n in &self.notices {
                if last != Some(n.path.as_str()) {
                    out.push_str(&format!("  {}\n", n.path));
                }
                last = Some(n.path.as_str());
            }
        }
        if !self.unreadable.is_empty() {
            out.push_str("无法读取的文档：\n");
            for u in &self.unreadable {
                out.push_str(&format!("  {}：{}\n", u.path, u.reason));
            }
        }
        if !self.waiver_notes.is_empty() {
            out.push_str("需要处理的豁免：\n");
            for w in &self.waiver_notes {
                out.push_str(&format!(
                    "  配置第 {} 行 {} {}（{}，到期 {}）：{}\n",
                    w.config_line, w.rule, w.fingerprint, w.location, w.expires, w.kind_name
                ));
            }
        }
        out
    }
}

/// Open findings of a report by severity name, for one-line document summaries.
pub(crate) fn open_line(report: &crate::report::Report) -> String {
    let mut c = SeverityCounts::default();
    for f in report.findings.iter().filter(|f| is_open(f)) {
        match f.severity {
            Severity::Error => c.error += 1,
            Severity::Warning => c.warning += 1,
            Severity::Info => c.info += 1,
        }
    }
    format!("错误 {}，警告 {}，提示 {}", c.error, c.warning, c.info)
}
