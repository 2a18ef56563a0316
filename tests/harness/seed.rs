//! The whole bundled pack on the seed document: the findings are snapshotted, and the genuine
//! defects the seed is known to have must each be found (see examples/000_69e425832d03fcc4/).

use shenhe_eval::RuleSet;
use shenhe_eval::render::report_text;

use crate::cases::read;
use crate::{Results, root, snapshot};

pub const SEED: &str = "examples/000_69e425832d03fcc4.txt";

/// (rule id, a fragment of the finding's message or note) for every known defect of the seed.
const KNOWN_DEFECTS: &[(&str, &str)] = &[
    ("BN-003", "721.07"),
    ("KM-001", "工作福利支出"),
    ("KM-002", "文化体育与传媒支出"),
    ("DW-001", "万倍"),
    ("WB-009", "18.93%"),
    ("WB-009", "24.19%"),
    ("WB-009", "22.22%"),
    ("WB-009", "30.22%"),
    ("WD-002", "增加（减少）"),
];

pub fn run(rules: &RuleSet, results: &mut Results) {
    results.run("seed::pack", || {
        let path = root().join(SEED);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{SEED}: {e}"))?;
        let doc = read("000_69e425832d03fcc4.txt", &text)?;
        let report = rules.check(&doc);
        let rendered = report_text(SEED, &report, Some(&text));
        if std::env::var_os("SHENHE_DUMP").is_some() {
            println!("{rendered}");
        }
        snapshot("seed__000_69e425832d03fcc4", &path, &rendered);
        let mut missing = Vec::new();
        for (id, fragment) in KNOWN_DEFECTS {
            let found = report.findings.iter().any(|f| {
                f.rule_id == *id
                    && (f.message.contains(fragment)
                        || f.note.as_deref().is_some_and(|n| n.contains(fragment)))
            });
            if !found {
                missing.push(format!("{id}（{fragment}）"));
            }
        }
        if !report.errors.is_empty() {
            missing.push(format!(
                "rules that failed to evaluate: {}",
                report
                    .errors
                    .iter()
                    .map(|e| format!("{} {}", e.rule_id, e.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "known seed defects not found: {}",
                missing.join("、")
            ))
        }
    });
}
