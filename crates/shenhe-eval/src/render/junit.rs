//! JUnit XML: a `<testsuite>` per document, a `<testcase>` per document × rule. A rule with
//! open findings fails (the messages in the failure); a rule that could not be evaluated is an
//! error; a rule that does not apply is skipped; a rule whose findings are all waived passes,
//! with the waived findings in `<system-out>`. A document that could not be read is a suite
//! with one erroring test case `读取`.

use std::fmt::Write as _;

use crate::finding::Finding;
use crate::render::escape::markup;
use crate::render::{DocOutcome, Render, RunInfo, Summary, write_text};
use crate::report::Outcome;
use crate::waiver::is_open;

pub struct Junit;

fn finding_text(f: &Finding) -> String {
    let mut s = format!("[{}] {}", f.severity.name(), f.message);
    for l in &f.locations {
        let mut at = l.role.clone();
        for part in [&l.table, &l.section, &l.row, &l.column]
            .into_iter()
            .flatten()
        {
            at.push(' ');
            at.push_str(part);
        }
        if let Some(v) = &l.value {
            let _ = write!(at, " = {v}");
        }
        if let Some(t) = &l.text {
            let _ = write!(at, "「{t}」");
        }
        if let Some(loc) = &l.loc {
            let _ = write!(at, "（第 {} 行", loc.line);
            if let Some(p) = loc.page {
                let _ = write!(at, "，第 {p} 页");
            }
            at.push('）');
        }
        let _ = write!(s, "\n  {at}");
    }
    let _ = write!(s, "\n  指纹 {}", f.fingerprint);
    s
}

/// Appends one document's part (see [`Render::document`]) to `out`.
fn document_into(out: &mut String, run: &RunInfo<'_>, doc: &DocOutcome<'_>) {
    let c = match doc {
        DocOutcome::Checked(c) => c,
        DocOutcome::Unreadable { path, reason } => {
            let p = markup(path);
            let _ = writeln!(
                out,
                "  <testsuite name=\"{p}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase classname=\"{p}\" name=\"读取\">\n      <error message=\"{}\" type=\"无法读取\"/>\n    </testcase>\n  </testsuite>",
                markup(reason)
            );
            return;
        }
    };
    let r = c.report;
    let p = markup(c.path);
    let mut cases = String::new();
    let (mut failures, mut errors, mut skipped) = (0, 0, 0);
    for o in &r.outcomes {
        let title = run.rule(&o.rule_id).map_or("", |i| i.title.as_str());
        let findings: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.rule_id == o.rule_id)
            .collect();
        let _ = write!(
            cases,
            "    <testcase classname=\"{p}\" name=\"{} {}\">",
            markup(&o.rule_id),
            markup(title)
        );
        let open: Vec<&&Finding> = findings.iter().filter(|f| is_open(f)).collect();
        let waived: Vec<&&Finding> = findings.iter().filter(|f| !is_open(f)).collect();
        match o.outcome {
            Outcome::Fail if !open.is_empty() => {
                failures += 1;
                let first = open.first().map_or("", |f| f.message.as_str());
                let severity = open.first().map_or("", |f| f.severity.name());
                let body: Vec<String> = open.iter().map(|f| finding_text(f)).collect();
                let _ = write!(
                    cases,
                    "\n      <failure message=\"{}\" type=\"{severity}\">{}</failure>",
                    markup(first),
                    markup(&body.join("\n\n"))
                );
            }
            Outcome::Error => {
                errors += 1;
                let msg = o.reason.as_deref().unwrap_or("规则无法求值");
                let _ = write!(
                    cases,
                    "\n      <error message=\"{}\" type=\"规则无法求值\"/>",
                    markup(msg)
                );
            }
            Outcome::NotApplicable => {
                skipped += 1;
                let msg = o.reason.as_deref().unwrap_or("不适用");
                let _ = write!(cases, "\n      <skipped message=\"{}\"/>", markup(msg));
            }
            Outcome::Pass | Outcome::Fail => {}
        }
        if !waived.is_empty() {
            let body: Vec<String> = waived
                .iter()
                .map(|f| {
                    let w = f.waiver.as_ref();
                    format!(
                        "已豁免：{}\n  理由：{}（{}，到期 {}）",
                        finding_text(f),
                        w.map_or("", |w| w.reason.as_str()),
                        w.map_or("", |w| w.author.as_str()),
                        w.map_or("", |w| w.expires.as_str())
                    )
                })
                .collect();
            let _ = write!(
                cases,
                "\n      <system-out>{}</system-out>",
                markup(&body.join("\n\n"))
            );
        }
        cases.push_str("\n    </testcase>\n");
    }
    // The reading notices, in the suite's own output (after its cases, as the JUnit schema
    // orders them).
    if !r.document.notices.is_empty() {
        let body: Vec<String> = r
            .document
            .notices
            .iter()
            .map(|n| [super::NOTICE, n.as_str()].concat())
            .collect();
        let _ = writeln!(
            cases,
            "    <system-out>{}</system-out>",
            markup(&body.join("\n"))
        );
    }
    let _ = write!(
        out,
        "  <testsuite name=\"{p}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n{cases}  </testsuite>\n",
        r.outcomes.len()
    );
}

impl Render for Junit {
    fn begin(&self, _run: &RunInfo<'_>) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"shenhe\">\n".into()
    }

    fn document(&self, run: &RunInfo<'_>, _index: usize, doc: &DocOutcome<'_>, out: &mut Vec<u8>) {
        write_text(out, |text| document_into(text, run, doc));
    }

    fn finish(&self, _run: &RunInfo<'_>, summary: &Summary) -> String {
        format!(
            "  <!-- {} -->\n</testsuites>\n",
            markup(&summary.to_text().replace("--", "—"))
        )
    }
}
