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

/// Appends `v` as [`to_json`] writes it, without a string of its own.
fn write_json<T: Serialize>(out: &mut Vec<u8>, v: &T) {
    let start = out.len();
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, Pretty::default());
    if let Err(e) = v.serialize(&mut ser) {
        out.truncate(start);
        out.extend_from_slice(format!("{{\"error\": {:?}}}", e.to_string()).as_bytes());
    }
}

/// A comma, a line break and the indentation of the deepest level [`Pretty`] writes at once.
const BREAK: &[u8] = b",\n                                                                ";

/// serde_json's `PrettyFormatter` with its two-space indent, writing each line break with its
/// indentation in one piece (that formatter writes the indent level by level).
#[derive(Default)]
struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    /// A line break (after a comma when `comma`) and the current indentation.
    fn line<W: ?Sized + std::io::Write>(&self, w: &mut W, comma: bool) -> std::io::Result<()> {
        let start = usize::from(!comma);
        match BREAK.get(start..2 + 2 * self.level) {
            Some(piece) => w.write_all(piece),
            None => {
                w.write_all(if comma { b",\n" } else { b"\n" })?;
                (0..self.level).try_for_each(|_| w.write_all(b"  "))
            }
        }
    }

    /// Opens an array or object with `bracket`, one level deeper.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// Closes an array or object with `bracket`, on its own line when it held a value.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            self.line(w, false)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, !first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, !first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
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

    /// `write_json` lays out exactly as `serde_json::to_string_pretty`: empty and nested
    /// arrays and objects, escapes, and nesting deeper than `BREAK` covers.
    #[test]
    fn layout_is_serde_json_pretty() {
        let mut deep = serde_json::json!({"leaf": [1, "x\"\n\u{1}", [], {}], "empty": {}});
        for i in 0..40 {
            deep = if i % 2 == 0 {
                serde_json::json!([deep, i])
            } else {
                serde_json::json!({"k": deep, "n": null, "t": true})
            };
        }
        for v in [
            deep,
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!("表三（万元）"),
            serde_json::json!([{"a": []}, {"b": {}}]),
        ] {
            let mut out = b"before".to_vec();
            write_json(&mut out, &v);
            let want = format!("before{}", serde_json::to_string_pretty(&v).unwrap());
            assert_eq!(String::from_utf8(out).unwrap(), want);
        }
    }
}
