//! The whole bundled pack on every real PDF of `tests/corpus/`: each report is snapshotted, and
//! the findings per rule must be exactly the verdict list of `examples/corpus-verdicts.md`
//! (every finding there was read against the PDF and judged; a new finding, or one that went
//! away, fails here until the verdicts are updated).

use shenhe_eval::render::report_text;
use shenhe_eval::{Report, RuleSet};

use crate::{Results, root, snapshot};

/// (file, [(rule id, findings)]) for every corpus PDF, as judged in examples/corpus-verdicts.md.
const VERDICTS: &[(&str, &[(&str, usize)])] = &[
    ("cq_swu_university_2021_dept_budget.pdf", &[("WB-022", 1)]),
    ("cq_swu_university_2023_dept_final.pdf", &[]),
    ("sh_putuo_commerce_2025_dept_budget.pdf", &[]),
    (
        "sh_putuo_planning_resources_2024_dept_final.pdf",
        &[
            ("DW-003", 1),
            ("KM-003", 1),
            ("WB-002", 1),
            ("WB-003", 1),
            ("WB-015", 2),
            ("WB-018", 4),
            ("WD-002", 1),
        ],
    ),
    (
        "sh_putuo_social_welfare_home_2024_unit_budget.pdf",
        &[
            ("KM-001", 13),
            ("KM-002", 2),
            ("KM-003", 1),
            ("KM-006", 2),
            ("WB-023", 1),
            ("WD-003", 1),
        ],
    ),
    (
        "sh_putuo_social_work_dept_2024_dept_final.pdf",
        &[("WB-013", 1), ("WB-025", 1), ("WB-027", 4)],
    ),
    (
        "sh_putuo_wanli_jiedao_2024_dept_budget.pdf",
        &[("WB-023", 1), ("WB-027", 1), ("WD-009", 1)],
    ),
];

/// The snapshot of a corpus PDF's report: `corpus__<file stem>`.
fn snapshot_name(file: &str) -> String {
    format!("corpus__{}", file.trim_end_matches(".pdf"))
}

/// Every snapshot this module writes (for the orphan check).
pub fn snapshot_names() -> impl Iterator<Item = String> {
    VERDICTS.iter().map(|(file, _)| snapshot_name(file))
}

pub fn run(rules: &RuleSet, results: &mut Results) {
    for (file, verdicts) in VERDICTS {
        results.run(&format!("corpus::{file}"), || {
            let rel = format!("tests/corpus/{file}");
            let path = root().join(&rel);
            let bytes = std::fs::read(&path).map_err(|e| format!("{rel}: {e}"))?;
            let read = shenhe_ingest::ingest_pdf(file, &bytes, &Default::default())
                .map_err(|e| format!("{rel}: {e}"))?;
            let report = rules.check(&read.document);
            let rendered = report_text(&rel, &report, Some(&read.source));
            snapshot(&snapshot_name(file), &path, &rendered);
            let found = per_rule(&report);
            let mut want = verdicts.to_vec();
            want.sort_unstable();
            if !report.errors.is_empty() {
                return Err(format!("{rel}: rules failed to evaluate: {:?}", report.errors));
            }
            if found == want {
                Ok(())
            } else {
                Err(format!(
                    "{rel}: findings per rule {found:?}, the verdicts (examples/corpus-verdicts.md) say {want:?}"
                ))
            }
        });
    }
}

/// The number of findings of each rule in `report`, sorted by rule id.
pub fn per_rule(report: &Report) -> Vec<(&str, usize)> {
    let mut found: Vec<(&str, usize)> = Vec::new();
    for f in &report.findings {
        match found.iter_mut().find(|(id, _)| *id == f.rule_id) {
            Some((_, n)) => *n += 1,
            None => found.push((f.rule_id.as_str(), 1)),
        }
    }
    found.sort_unstable();
    found
}
