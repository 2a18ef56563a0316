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

use crate::render::{DocOutcome, Render, RunInfo, Summary};
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

impl Render for Json {
    fn begin(&self, run: &RunInfo<'_>) -> String {
        format!(
            "{{\n\"report_version\": {REPORT_VERSION},\n\"tool\": {{\"name\": \"shenhe\", \"version\": {}}},\n\"waivers_judged_on\": \"{}\",\n\"reports\": [\n",
            to_json(&run.tool_version),
            run.today
        )
    }

    fn document(&self, _run: &RunInfo<'_>, index: usize, doc: &DocOutcome<'_>) -> String {
        match doc {
            DocOutcome::Checked(c) => to_json(&CheckedDoc {
                index,
                path: c.path,
                report: c.report,
            }),
            // Listed at the end, from the summary.
            DocOutcome::Unreadable { .. } => String::new(),
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
