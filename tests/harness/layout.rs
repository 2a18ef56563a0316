//! The whole bundled pack on the corpus PDFs as `pdftotext -layout` writes them
//! (`tests/corpus/layout/*.txt`, made from the PDFs of `tests/corpus/`; committed because CI
//! has no pdftotext). Read as text, the findings per rule must be exactly the counts below,
//! each judged in examples/corpus-verdicts.md (section “pdftotext -layout 文本”): a count that
//! moves fails here until the judgement is updated. The counts are not the PDF's: what still
//! differs is a known misreading of the layout text, named there.

use shenhe_eval::RuleSet;

use crate::cases::read;
use crate::pdfs::per_rule;
use crate::{Results, root};

/// (file, rule evaluation errors, [(rule id, findings)]) for every layout text, as
/// judged in examples/corpus-verdicts.md.
type Verdict = (&'static str, usize, &'static [(&'static str, usize)]);
const VERDICTS: &[Verdict] = &[
    (
        "cq_swu_university_2021_dept_budget.txt",
        0,
        &[("WB-022", 1)],
    ),
    (
        "cq_swu_university_2023_dept_final.txt",
        0,
        &[("BN-003", 1), ("BN-005", 1)],
    ),
    ("sh_putuo_commerce_2025_dept_budget.txt", 0, &[]),
    (
        "sh_putuo_planning_resources_2024_dept_final.txt",
        0,
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
        "sh_putuo_social_welfare_home_2024_unit_budget.txt",
        0,
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
        "sh_putuo_social_work_dept_2024_dept_final.txt",
        3,
        &[("WB-013", 1), ("WB-025", 1), ("WB-027", 4)],
    ),
    (
        "sh_putuo_wanli_jiedao_2024_dept_budget.txt",
        0,
        &[("WB-023", 1), ("WB-027", 1), ("WD-009", 1)],
    ),
];

/// (file, [(findings, rule evaluation errors); 2]) for the corpus PDFs as `pdftotext -raw`
/// (`tests/corpus/raw/`) and `pdftotext` without options (`tests/corpus/plain/`) write them.
/// These readings are not judged finding by finding (they hold known misreadings, counted in
/// examples/corpus-verdicts.md, section “pdftotext -layout 文本”): the totals are a tripwire,
/// so that a change made for one form of text is seen to move the others.
const OTHER_FORMS: &[(&str, [(usize, usize); 2])] = &[
    ("cq_swu_university_2021_dept_budget.txt", [(6, 0), (8, 6)]),
    ("cq_swu_university_2023_dept_final.txt", [(9, 1), (6, 7)]),
    ("sh_putuo_commerce_2025_dept_budget.txt", [(0, 0), (8, 22)]),
    (
        "sh_putuo_planning_resources_2024_dept_final.txt",
        [(6, 0), (28, 21)],
    ),
    (
        "sh_putuo_social_welfare_home_2024_unit_budget.txt",
        [(21, 0), (26, 17)],
    ),
    (
        "sh_putuo_social_work_dept_2024_dept_final.txt",
        [(5, 0), (25, 18)],
    ),
    (
        "sh_putuo_wanli_jiedao_2024_dept_budget.txt",
        [(3, 0), (60, 17)],
    ),
];

/// The folders of [`OTHER_FORMS`]' two counts, in order.
const OTHER_FOLDERS: [&str; 2] = ["raw", "plain"];

/// The report of the bundled pack on the text file `rel` (under the repository root).
fn check(rules: &RuleSet, rel: &str) -> Result<shenhe_eval::Report, String> {
    let text = std::fs::read_to_string(root().join(rel)).map_err(|e| format!("{rel}: {e}"))?;
    let file = rel.rsplit('/').next().unwrap_or(rel);
    Ok(rules.check(&read(file, &text)?))
}

pub fn run(rules: &RuleSet, results: &mut Results) {
    for (file, counts) in OTHER_FORMS {
        for (folder, (findings, errors)) in OTHER_FOLDERS.iter().zip(counts) {
            results.run(&format!("{folder}::{file}"), || {
                let rel = format!("tests/corpus/{folder}/{file}");
                let report = check(rules, &rel)?;
                let got = (report.findings.len(), report.errors.len());
                if got == (*findings, *errors) {
                    Ok(())
                } else {
                    Err(format!(
                        "{rel}: {} findings and {} rule errors, tests/harness/layout.rs says {findings} and {errors}: look at what changed before updating the counts",
                        got.0, got.1
                    ))
                }
            });
        }
    }
    for (file, errors, verdicts) in VERDICTS {
        results.run(&format!("layout::{file}"), || {
            let rel = format!("tests/corpus/layout/{file}");
            let report = check(rules, &rel)?;
            if report.errors.len() != *errors {
                return Err(format!(
                    "{rel}: {} rules failed to evaluate (the verdicts say {errors}): {:?}",
                    report.errors.len(),
                    report.errors
                ));
            }
            let found = per_rule(&report);
            let mut want = verdicts.to_vec();
            want.sort_unstable();
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
