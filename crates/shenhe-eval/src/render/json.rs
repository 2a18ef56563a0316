//! JSON (documented in `docs/report-json.md`): one object per run, the shape `shenhe check
//! --format json` has always had (`report_version`, `reports`, `unreadable`) plus what a batch
//! adds:
//!
//! ```json
//! {"report_version": 1,
//!  "tool": {"name": "shenhe", "version": "0.1.0"}, "waivers_judged_on": "2026-05-01",
//!  "reports": [{"index": 0, "path": "a.txt", …the Report…}, …],
//!  "unreadable": [{"index": 1, "source": "b.pdf", "error": "…"}],
//!  "summary": {…}}
//! ```
//!
//! Each report is written as soon as its document is checked; the documents that could not be
//! read are listed at the end (with their index in the batch).

use serde::Serialize;

use crate::render::{DocOutcome, Render, RunInfo, Summary, json_writer};
use crate::report::{REPORT_VERSION, Report};

pub struct Json;

#[derive(Serialize)]
struct CheckedDoc<'a> {
    index: usize,
    path: &'a str,
    #[serde(flatten)]
    report: &'a Report,
}

#[derive(Serialize)]
struct UnreadableDoc<'a> {
    index: usize,
    source: &'a str,
    error: &'a str,
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()))
}

/// Appends `v` as [`to_json`] writes it, without a string of its own: with
/// [`json_writer::write_pretty`] when it knows every form `v` uses (a report does), else with
/// serde_json.
fn write_json<T: Serialize>(out: &mut Vec<u8>, v: &T) {
    let start = out.len();
    if json_writer::write_pretty(out, v).is_ok() {
        return;
    }
    out.truncate(start);
    if let Err(e) = serde_json::to_writer_pretty(&mut *out, v) {
        out.truncate(start);
        out.extend_from_slice(format!("{{\"error\": {:?}}}", e.to_string()).as_bytes());
    }
}

impl Render for Json {
    fn begin(&self, run: &RunInfo<'_>) -> String {
        format!(
            "{{\n\"report_version\": {REPORT_VERSION},\n\"tool\": {{\"name\": \"shenhe\", \"version\": {}}},\n\"waivers_judged_on\": \"{}\",\n\"reports\": [\n",
            to_json(&run.tool_version),
            run.today
        )
    }

    fn document(&self, _run: &RunInfo<'_>, index: usize, doc: &DocOutcome<'_>, out: &mut Vec<u8>) {
        match doc {
            DocOutcome::Checked(c) => write_json(
                out,
                &CheckedDoc {
                    index,
                    path: c.path,
                    report: c.report,
                },
            ),
            // Listed at the end, from the summary.
            DocOutcome::Unreadable { .. } => {}
        }
    }

    fn separator(&self) -> &'static str {
        ",\n"
    }

    fn finish(&self, _run: &RunInfo<'_>, summary: &Summary) -> String {
        #[derive(Serialize)]
        struct Closing<'a> {
            #[serde(flatten)]
            summary: &'a Summary,
            open: crate::report::SeverityCounts,
            exit_code: u8,
        }
        let unreadable: Vec<UnreadableDoc<'_>> = summary
            .unreadable
            .iter()
            .map(|u| UnreadableDoc {
                index: u.index,
                source: &u.path,
                error: &u.reason,
            })
            .collect();
        format!(
            "\n],\n\"unreadable\": {},\n\"summary\": {}\n}}\n",
            to_json(&unreadable),
            to_json(&Closing {
                summary,
                open: summary.open(),
                exit_code: summary.exit_code(),
            })
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value with a form the fast writer leaves to serde_json (an enum variant with data)
    /// is written whole by serde_json, after whatever the buffer held.
    #[test]
    fn unknown_forms_fall_back_to_serde_json() {
        #[derive(Serialize)]
        enum E {
            Data(u32),
        }
        let v = serde_json::json!({"a": [1, 2], "b": "表三"});
        let both = (v, [E::Data(7)]);
        let mut out = b"before".to_vec();
        write_json(&mut out, &both);
        let want = format!("before{}", serde_json::to_string_pretty(&both).unwrap());
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }
}
