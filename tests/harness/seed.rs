//! The whole bundled pack on the seed document: the findings are snapshotted, and the genuine
//! defects the seed is known to have must each be found (see examples/000_69e425832d03fcc4/).

use rust_decimal::Decimal;
use shenhe_eval::RuleSet;
use shenhe_eval::render::report_text;
use shenhe_model::CellValue;

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
    results.run("seed::causes_restore_misprints", || {
        let path = root().join(SEED);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{SEED}: {e}"))?;
        let doc = read("000_69e425832d03fcc4.txt", &text)?;
        causes_restore_misprints(rules, &doc)
    });
}

/// Every number of every table of the seed misprinted in turn (9 more, as printed): every
/// common cause the report then names at that cell gives, in the cell's unit, the number that
/// was printed, and some misprints are named (171 of the seed's 182 table numbers).
fn causes_restore_misprints(rules: &RuleSet, doc: &shenhe_model::Document) -> Result<(), String> {
    let nine = Decimal::from(9);
    let base: Vec<_> = rules
        .check(doc)
        .causes
        .into_iter()
        .map(|c| c.location.loc)
        .collect();
    let (mut misprints, mut named, mut elsewhere) = (0usize, 0usize, 0usize);
    let mut wrong = Vec::new();
    for (ti, t) in doc.tables.iter().enumerate() {
        for (ri, r) in t.rows.iter().enumerate() {
            for (ci, c) in r.cells.iter().enumerate() {
                let (CellValue::Number(v), Some(loc)) = (&c.value, c.loc) else {
                    continue;
                };
                let mut m = doc.clone();
                let mut printed = v + nine;
                printed.rescale(v.scale());
                if let Some(cell) = m
                    .tables
                    .get_mut(ti)
                    .and_then(|t| t.rows.get_mut(ri))
                    .and_then(|r| r.cells.get_mut(ci))
                {
                    cell.value = CellValue::Number(printed);
                }
                misprints += 1;
                let report = rules.check(&m);
                elsewhere += report
                    .causes
                    .iter()
                    .filter(|k| k.location.loc != Some(loc) && !base.contains(&k.location.loc))
                    .count();
                for cause in report.causes.iter().filter(|k| k.location.loc == Some(loc)) {
                    named += 1;
                    // The number the cause gives, in the cell's own unit.
                    if !t.unit.is_some_and(|u| cause.gives(*v, Some(u))) {
                        wrong.push(format!(
                            "{} {}/{}: printed {v}, misprinted {printed}, the cause says {}",
                            t.title, r.label, ci, cause.suggested
                        ));
                    }
                }
            }
        }
    }
    if !wrong.is_empty() {
        return Err(format!(
            "causes that do not restore the misprint:\n{}",
            wrong.join("\n")
        ));
    }
    if named == 0 {
        return Err(format!("none of {misprints} misprints is named by a cause"));
    }
    // Causes at another cell are not wrong as such (a total and its part can each make two
    // findings agree), so they are counted, not failed.
    println!(
        "seed::causes_restore_misprints: {named} of {misprints} misprints named by a cause; \
         {elsewhere} causes at other cells"
    );
    Ok(())
}
