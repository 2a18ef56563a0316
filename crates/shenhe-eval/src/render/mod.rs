//! Reports of a check run in the formats people and tools read: text for a terminal, JSON,
//! SARIF 2.1.0, JUnit XML and one self-contained HTML page.
//!
//! A run is rendered as a stream, so that memory does not grow with the number of documents:
//! [`Render::begin`] once, [`Render::document`] for each document (pure; may run on worker
//! threads, each document as soon as it is checked), the writer joining the pieces with
//! [`Render::separator`], and [`Render::finish`] with the run's [`Summary`]. Rendering does no
//! I/O: the caller passes in the text the document's locations point into (for excerpts) and
//! writes the strings out.

mod escape;
mod html;
mod html_doc;
mod human;
mod json;
mod json_writer;
mod junit;
mod sarif;
mod summary;

use std::collections::BTreeMap;

use shenhe_model::Document;

use crate::config::Date;
use crate::report::Report;
use crate::ruleset::RuleInfo;

pub use human::report_text;

/// What every format puts before a document's reading notice ([`crate::report::DocumentInfo::notices`]).
pub(crate) const NOTICE: &str = "读取提醒：";
pub use summary::Summary;

/// Output formats of `shenhe check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Text for a terminal: findings with document excerpts.
    Human,
    /// JSON (`docs/report-json.md`).
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// JUnit XML: one test case per document × rule.
    Junit,
    /// One self-contained HTML page.
    Html,
}

/// What every part of a run's output may need to know.
#[derive(Clone, Debug)]
pub struct RunInfo<'a> {
    /// `shenhe` version.
    pub tool_version: &'a str,
    /// The rules that ran (after configuration).
    pub rules: &'a [RuleInfo],
    /// The date waivers were judged by.
    pub today: Date,
    by_id: BTreeMap<&'a str, usize>,
}

impl<'a> RunInfo<'a> {
    pub fn new(tool_version: &'a str, rules: &'a [RuleInfo], today: Date) -> RunInfo<'a> {
        let by_id = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        RunInfo {
            tool_version,
            rules,
            today,
            by_id,
        }
    }

    /// Index of rule `id` in [`RunInfo::rules`].
    pub fn rule_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn rule(&self, id: &str) -> Option<&'a RuleInfo> {
        self.rule_index(id).and_then(|i| self.rules.get(i))
    }
}

/// A document that was read and checked.
#[derive(Clone, Copy, Debug)]
pub struct Checked<'a> {
    /// The document as given to the command (a path).
    pub path: &'a str,
    pub report: &'a Report,
    pub document: &'a Document,
    /// The text the document's locations point into (the decoded text; for a PDF the
    /// reconstructed text), when the caller has it. Without it there are no excerpts.
    pub source: Option<&'a str>,
}

/// One document's outcome.
#[derive(Clone, Copy, Debug)]
pub enum DocOutcome<'a> {
    Checked(Checked<'a>),
    /// The document could not be read; `reason` says why (Chinese).
    Unreadable {
        path: &'a str,
        reason: &'a str,
    },
}

impl DocOutcome<'_> {
    pub fn path(&self) -> &str {
        match self {
            DocOutcome::Checked(c) => c.path,
            DocOutcome::Unreadable { path, .. } => path,
        }
    }
}

/// One output format. `document` is pure and thread-safe: call it where the document is.
pub trait Render: Sync {
    /// The start of the output.
    fn begin(&self, run: &RunInfo<'_>) -> String;
    /// Appends one document's part (UTF-8; nothing when the document has no part of its own) to
    /// `out`, which the caller may reuse from document to document; `index` is the document's
    /// 0-based position in the run.
    fn document(&self, run: &RunInfo<'_>, index: usize, doc: &DocOutcome<'_>, out: &mut Vec<u8>);
    /// Put between two non-empty document parts.
    fn separator(&self) -> &'static str {
        ""
    }
    /// The end of the output.
    fn finish(&self, run: &RunInfo<'_>, summary: &Summary) -> String;
}

/// Appends to `out` what `write` writes to a `String`: straight into `out` when it is empty,
/// as a part buffer reused from document to document usually is (an empty `Vec<u8>` is a
/// `String` without a check, and it keeps the capacity of the parts before), else through a
/// string of its own.
fn write_text(out: &mut Vec<u8>, write: impl FnOnce(&mut String)) {
    if out.is_empty()
        && let Ok(mut text) = String::from_utf8(std::mem::take(out))
    {
        write(&mut text);
        *out = text.into_bytes();
        return;
    }
    let mut text = String::new();
    write(&mut text);
    out.extend_from_slice(text.as_bytes());
}

/// The renderer of a format.
pub fn renderer(format: Format) -> Box<dyn Render> {
    match format {
        Format::Human => Box::new(human::Human),
        Format::Json => Box::new(json::Json),
        Format::Sarif => Box::new(sarif::Sarif),
        Format::Junit => Box::new(junit::Junit),
        Format::Html => Box::new(html::Html),
    }
}

/// Renders a whole run at once (for small runs and tests).
pub fn render_all(format: Format, run: &RunInfo<'_>, docs: &[DocOutcome<'_>]) -> String {
    let r = renderer(format);
    let mut out = r.begin(run).into_bytes();
    let mut summary = Summary::default();
    let mut part = Vec::new();
    let mut first = true;
    for (i, d) in docs.iter().enumerate() {
        summary.add(i, d);
        part.clear();
        r.document(run, i, d, &mut part);
        if !part.is_empty() {
            if !first {
                out.extend_from_slice(r.separator().as_bytes());
            }
            first = false;
            out.extend_from_slice(&part);
        }
    }
    out.extend_from_slice(r.finish(run, &summary).as_bytes());
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests;
