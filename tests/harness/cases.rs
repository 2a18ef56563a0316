//! Rule cases: `tests/cases/<RULE-ID>/{pass,fail}-*.txt`, run with the bundled pack; the
//! header is checked hard and the report restricted to the case's rules is snapshotted.

use shenhe_eval::casetest::{self, Case};
use shenhe_eval::{Engine, RuleSet};
use shenhe_model::Document;

use crate::{Results, root, snapshot};

/// The bundled pack, compiled (diagnostics rendered when it does not compile).
pub fn bundled_rules() -> Result<RuleSet, String> {
    Engine::new().compile_builtin().map_err(|files| {
        files
            .iter()
            .map(|f| format!("{f:?}"))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Reads a document as `shenhe check` does.
pub fn read(name: &str, text: &str) -> Result<Document, String> {
    Ok(shenhe_ingest::read_str(
        name,
        text,
        &shenhe_ingest::Options::default(),
    ))
}

/// The snapshot name of a case: `BN-001/fail-x.txt` → `BN-001__fail-x`.
pub fn snapshot_name(case: &str) -> String {
    case.trim_end_matches(".txt").replace('/', "__")
}

/// Runs every case; returns the cases (for the meta-tests).
pub fn run_all(rules: &RuleSet, results: &mut Results) -> Vec<Case> {
    let dir = root().join("tests/cases");
    let cases = match casetest::load_cases(&dir) {
        Ok(c) => c,
        Err(e) => {
            results.run("cases::load", || Err(e.to_string()));
            return Vec::new();
        }
    };
    for case in &cases {
        let name = format!("cases::{}", case.name);
        results.run(&name, || {
            let run = casetest::run(rules, case, &read).map_err(|e| e.to_string())?;
            let input = dir.join(&case.name);
            snapshot(
                &snapshot_name(&case.name),
                &input,
                &casetest::render(case, &run.report),
            );
            if run.passed() {
                Ok(())
            } else {
                Err(format!(
                    "{}\n--- report ---\n{}",
                    run.problems.join("\n"),
                    casetest::render(case, &run.report)
                ))
            }
        });
    }
    cases
}
