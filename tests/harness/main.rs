//! The corpus harness (one test binary, `harness = false`): every rule case under
//! `tests/cases/`, the bundled pack on the seed document and on the PDFs of `tests/corpus/`, and the meta-tests (every rule has a
//! passing and a failing case, rule ids unique and matching their file names, no orphan
//! snapshots, `docs/rules/` up to date).
//!
//! `cargo test -p shenhe-tests --test corpus [-- FILTER]` runs them; a new case file is a new
//! test. Snapshots live in `tests/snapshots/`; accept new ones with
//! `INSTA_UPDATE=always cargo test -p shenhe-tests --test corpus` and read them. Regenerate
//! `docs/rules/` with `SHENHE_UPDATE_DOCS=1 cargo test -p shenhe-tests --test corpus`.

mod cases;
mod layout;
mod meta;
mod pdfs;
mod ruledocs;
mod seed;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Collected results: (test name, failure message if any).
#[derive(Default)]
pub struct Results {
    filter: Option<String>,
    outcomes: Vec<(String, Option<String>)>,
}

impl Results {
    /// Runs one named test unless the filter excludes it; a panic (failed assertion, snapshot
    /// mismatch) or an `Err` fails it.
    pub fn run(&mut self, name: &str, f: impl FnOnce() -> Result<(), String>) {
        if self
            .filter
            .as_ref()
            .is_some_and(|flt| !name.contains(flt.as_str()))
        {
            return;
        }
        let outcome = match catch_unwind(AssertUnwindSafe(f)) {
            Ok(Ok(())) => None,
            Ok(Err(msg)) => Some(msg),
            Err(panic) => Some(
                panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panicked".into()),
            ),
        };
        match &outcome {
            None => println!("test {name} ... ok"),
            Some(msg) => println!("test {name} ... FAILED\n{msg}\n"),
        }
        self.outcomes.push((name.to_string(), outcome));
    }
}

/// Snapshots `content` as `tests/snapshots/<name>.snap` (insta, no colour).
pub fn snapshot(name: &str, input: &Path, content: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(input);
    settings.bind(|| insta::assert_snapshot!(name.to_string(), content));
}

fn main() -> ExitCode {
    // Failures are reported per test below (insta prints its own diff); no panic backtraces.
    std::panic::set_hook(Box::new(|_| {}));
    // Developer aid: `SHENHE_EVAL_FILE=doc SHENHE_EVAL_EXPR=expr` evaluates one expression on a
    // document (text or PDF) and stops; `render` prints the document model, `check` the report
    // of the bundled pack.
    if let (Some(file), Some(expr)) = (
        std::env::var_os("SHENHE_EVAL_FILE"),
        std::env::var("SHENHE_EVAL_EXPR").ok(),
    ) {
        let bytes = std::fs::read(&file).unwrap_or_default();
        let doc = match shenhe_ingest::read_bytes("doc", &bytes, &Default::default()) {
            Ok(d) => d,
            Err(e) => {
                println!("{e}");
                return ExitCode::FAILURE;
            }
        };
        if expr == "check" {
            match cases::bundled_rules() {
                Ok(rules) => println!(
                    "{}",
                    shenhe_eval::render::report_text("doc", &rules.check(&doc), None)
                ),
                Err(e) => println!("{e}"),
            }
            return ExitCode::SUCCESS;
        }
        if expr == "render" {
            println!("{}", shenhe_ingest::render::render_text(&doc));
            return ExitCode::SUCCESS;
        }
        match shenhe_eval::Engine::new().eval_str(&doc, &expr) {
            Ok(v) => println!("{} = {}\n{:#?}", expr, v.printed, v.locations),
            Err(d) => println!("{d:?}"),
        }
        return ExitCode::SUCCESS;
    }
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let mut results = Results {
        filter,
        outcomes: Vec::new(),
    };
    let rules = match cases::bundled_rules() {
        Ok(r) => r,
        Err(msg) => {
            println!("the bundled rule pack does not compile:\n{msg}");
            println!("0 passed, 1 failed");
            return ExitCode::FAILURE;
        }
    };
    let case_names = cases::run_all(&rules, &mut results);
    seed::run(&rules, &mut results);
    pdfs::run(&rules, &mut results);
    layout::run(&rules, &mut results);
    meta::run(&rules, &case_names, &mut results);
    let failed: Vec<&String> = results
        .outcomes
        .iter()
        .filter(|(_, o)| o.is_some())
        .map(|(n, _)| n)
        .collect();
    let passed = results.outcomes.len() - failed.len();
    if !failed.is_empty() {
        println!("\nfailures:");
        for n in &failed {
            println!("    {n}");
        }
    }
    println!("\n{passed} passed, {} failed", failed.len());
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
