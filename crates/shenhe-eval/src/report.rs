//! The report of checking one document: every finding, every rule's outcome, every evaluation
//! error, and counts. Its JSON form is documented in `docs/report-json.md`.

use serde::Serialize;
use shenhe_model::Document;

use crate::finding::{Finding, RuleSpan, Severity};

/// Version of the JSON form of [`Report`]; bumped on any incompatible change.
pub const REPORT_VERSION: u32 = 1;

/// What happened to one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every assertion held.
    Pass,
    /// At least one assertion failed (see the findings).
    Fail,
    /// The rule does not apply: a table it refers to is absent, a precondition (`前提`) is false,
    /// or `适用` / `模板` do not match the document.
    NotApplicable,
    /// The rule could not be evaluated on this document (see `errors`).
    Error,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Pass => "通过",
            Outcome::Fail => "不通过",
            Outcome::NotApplicable => "不适用",
            Outcome::Error => "出错",
        }
    }
}

/// One rule's outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleOutcome {
    pub rule_id: String,
    pub outcome: Outcome,
    /// Why the rule did not apply or failed to evaluate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Number of findings of this rule.
    pub findings: usize,
}

/// A rule that could not be evaluated on this document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleError {
    pub rule_id: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The part of the rule that failed to evaluate, as written.
    pub expression: String,
    /// Where that part is in the rule file.
    pub rule_span: RuleSpan,
}

/// The document the report is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentInfo {
    pub source_name: String,
    pub source_format: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The template profile used (as given by the document or detected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Number of ingest warnings the document carries.
    pub ingest_warnings: usize,
    /// The ingest warnings about the reading of the whole document
    /// ([`shenhe_model::IngestWarning::about_document`]: its text gave the tables column by
    /// column), in full: a reader should see them before the findings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
}

/// Findings by severity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

/// Counts of outcomes and findings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub rules: usize,
    pub pass: usize,
    pub fail: usize,
    pub not_applicable: usize,
    pub error: usize,
    pub findings: usize,
    pub by_severity: SeverityCounts,
    /// Findings accepted by a waiver, by severity (included in `by_severity`).
    pub waived: SeverityCounts,
}

/// The result of checking one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub report_version: u32,
    pub document: DocumentInfo,
    pub counts: Counts,
    /// Sorted by their first location in the document, then by rule id.
    pub findings: Vec<Finding>,
    /// One per rule, in rule order.
    pub outcomes: Vec<RuleOutcome>,
    pub errors: Vec<RuleError>,
    /// Cells whose value would resolve several findings at once (see [`crate::causes`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<crate::causes::Cause>,
}

impl Report {
    /// Builds the report: sorts findings and counts.
    pub fn new(
        doc: &Document,
        template: Option<String>,
        findings: Vec<Finding>,
        outcomes: Vec<RuleOutcome>,
        errors: Vec<RuleError>,
    ) -> Report {
        // Each finding's position once (it walks the finding's locations), then a stable sort.
        let mut keyed: Vec<_> = findings.into_iter().map(|f| (f.position(), f)).collect();
        keyed.sort_by(|(pa, a), (pb, b)| pa.cmp(pb).then_with(|| a.rule_id.cmp(&b.rule_id)));
        let mut findings: Vec<Finding> = keyed.into_iter().map(|(_, f)| f).collect();
        crate::waiver::fingerprint_all(&mut findings);
        let mut counts = Counts {
            rules: outcomes.len(),
            findings: findings.len(),
            ..Counts::default()
        };
        for o in &outcomes {
            match o.outcome {
                Outcome::Pass => counts.pass += 1,
                Outcome::Fail => counts.fail += 1,
                Outcome::NotApplicable => counts.not_applicable += 1,
                Outcome::Error => counts.error += 1,
            }
        }
        let mut report = Report {
            report_version: REPORT_VERSION,
            document: DocumentInfo {
                source_name: doc.meta.source_name.clone(),
                source_format: doc.meta.source_format.clone(),
                unit_name: doc.meta.unit_name.clone(),
                year: doc.meta.year,
                kind: doc.meta.kind.map(|k| k.name().to_string()),
                template,
                title: doc.meta.title.clone(),
                ingest_warnings: doc.warnings.len(),
                notices: doc
                    .warnings
                    .iter()
                    .filter(|w| w.about_document())
                    .map(|w| w.message.clone())
                    .collect(),
            },
            counts,
            causes: crate::causes::group(&findings),
            findings,
            outcomes,
            errors,
        };
        report.recount();
        report
    }

    /// Recounts the findings by severity and the waived ones (after waivers were applied).
    pub fn recount(&mut self) {
        let mut all = SeverityCounts::default();
        let mut waived = SeverityCounts::default();
        for f in &self.findings {
            let open = crate::waiver::is_open(f);
            for c in [Some(&mut all), (!open).then_some(&mut waived)]
                .into_iter()
                .flatten()
            {
                match f.severity {
                    Severity::Error => c.error += 1,
                    Severity::Warning => c.warning += 1,
                    Severity::Info => c.info += 1,
                }
            }
        }
        self.counts.findings = self.findings.len();
        self.counts.by_severity = all;
        self.counts.waived = waived;
    }

    /// True when some finding has severity 错误 and is not waived (`shenhe check` then exits 1).
    pub fn has_error_findings(&self) -> bool {
        self.findings.iter().any(crate::waiver::is_open_error)
    }

    /// The outcome of rule `id`, if it ran.
    pub fn outcome(&self, id: &str) -> Option<Outcome> {
        self.outcomes
            .iter()
            .find(|o| o.rule_id == id)
            .map(|o| o.outcome)
    }

    /// The report as JSON (pretty-printed).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}
