//! The ingest integration tests, one harness binary: extracted text ([`text`]: the seed read
//! completely, placement on other tables, bad input) and PDF ([`pdf`]: the corpus, bad PDFs).
//!
//! Snapshots stay in `tests/snapshots/` under the names they had when each part was its own
//! binary (`ingest__…` for text, `pdf__…` for PDF): [`snapshot_settings`] says so.

// Test helpers outside `#[test]` functions: failing loudly is their job.
#![allow(clippy::panic)]

mod pdf;
mod ruleless;
mod text;

use std::path::PathBuf;

use shenhe_model::CellValue;

/// The bytes of a corpus document (`tests/corpus/NAME`).
pub fn corpus(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A cell's value as the compact renderings and comparisons print it.
pub fn value(v: &CellValue) -> String {
    match v {
        CellValue::Blank => String::new(),
        CellValue::Number(d) => d.to_string(),
        CellValue::Percent(d) => format!("{d}%"),
        CellValue::Text(t) => format!("“{t}”"),
    }
}

/// Where the snapshots are and how they are named: `tests/snapshots/NAME.snap`, the name given
/// in full (no module prefix).
fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}
