//! The ingest integration tests, one harness binary: extracted text ([`text`]: the seed read
//! completely, placement on other tables, bad input) and PDF ([`pdf`]: the corpus, bad PDFs).
//!
//! Snapshots stay in `tests/snapshots/` under the names they had when each part was its own
//! binary (`ingest__…` for text, `pdf__…` for PDF): [`snapshot_settings`] says so.

mod pdf;
mod ruleless;
mod text;

/// Where the snapshots are and how they are named: `tests/snapshots/NAME.snap`, the name given
/// in full (no module prefix).
fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}
