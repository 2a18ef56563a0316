//! SARIF 2.1.0: one run; the rules as `tool.driver.rules` (title, documentation, category,
//! basis, where defined); one result per finding, located in the document (artifact = the
//! document's path; region = line and column in the text, `unicodeCodePoints` columns; for a
//! PDF the page as a property) and logically (table / row / column, or section); the waiver as
//! a suppression; documents that could not be read and rules that could not be evaluated as
//! tool execution notifications.

use serde_json::{Value, json};

use crate::finding::{Finding, Location, Severity};
use crate::render::escape::uri;
use crate::render::{Checked, DocOutcome, Render, RunInfo, Summary};
use crate::waiver::{WaiverState, location_key};

pub struct Sarif;

/// Sets `v[path[0]][path[1]]… = val`, creating objects on the way; a non-object on the way
/// is left alone (cannot happen with the values built here).
fn put(v: &mut Value, path: &[&str], val: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = v;
    for key in parents {
        let Some(map) = cur.as_object_mut() else {
            return;
        };
        cur = map.entry(*key).or_insert_with(|| json!({}));
    }
    if let Some(map) = cur.as_object_mut() {
        map.insert((*last).to_string(), val);
    }
}

/// The schema the output follows (vendored in `tests/schemas/` for the tests).
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule_descriptor(r: &crate::ruleset::RuleInfo) -> Value {
    let mut d = json!({
        "id": r.id,
        "name": r.id,
        "shortDescription": { "text": r.title },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": {
            "severity": r.severity.name(),
            "definedAt": format!("{}:{}:{}", r.rule_span.file, r.rule_span.line, r.rule_span.column),
        },
    });
    if !r.doc.is_empty() {
        let text = r.doc.join("\n");
        put(
            &mut d,
            &["fullDescription"],
            json!({ "text": text, "markdown": text }),
        );
    }
    if let Some(c) = &r.category {
        put(&mut d, &["properties", "category"], json!(c));
    }
    if !r.basis.is_empty() {
        put(&mut d, &["properties", "basis"], json!(r.basis));
    }
    d
}

/// `表三 部门支出总体情况表/总计/基本支出`.
fn qualified_name(l: &Location) -> Option<(String, String, &'static str)> {
    if let Some(t) = &l.table {
        let mut name = t.clone();
        let mut kind = "object";
        let mut last = t.clone();
        for part in [&l.row, &l.column].into_iter().flatten() {
            name.push('/');
            name.push_str(part);
            last.clone_from(part);
            kind = "element";
        }
        return Some((last, name, kind));
    }
    l.section.as_ref().map(|s| (s.clone(), s.clone(), "text"))
}

fn location(c: &Checked<'_>, l: &Location) -> Value {
    let mut physical = json!({ "artifactLocation": { "uri": uri(c.path) } });
    let pdf = c.document.meta.source_format == "pdf";
    if let Some(loc) = &l.loc {
        if pdf {
            let mut props = json!({ "textLine": loc.line });
            if let Some(p) = loc.page {
                put(&mut props, &["page"], json!(p));
            }
            if let Some(b) = loc.bbox {
                put(&mut props, &["bbox"], json!(b));
            }
            put(&mut physical, &["properties"], props);
        } else {
            let mut region = json!({ "startLine": loc.line, "startColumn": loc.column });
            if let Some(text) = c.source.and_then(|s| {
                s.get(loc.offset as usize..(loc.offset as usize).saturating_add(loc.len as usize))
            }) {
                if !text.contains('\n') && !text.is_empty() {
                    put(
                        &mut region,
                        &["endColumn"],
                        json!(loc.column as usize + text.chars().count()),
                    );
                }
                put(&mut region, &["snippet"], json!({ "text": text }));
            }
            put(&mut physical, &["region"], region);
        }
    }
    let mut out = json!({
        "physicalLocation": physical,
        "message": { "text": location_text(l) },
    });
    if let Some((name, full, kind)) = qualified_name(l) {
        put(
            &mut out,
            &["logicalLocations"],
            json!([{ "name": name, "fullyQualifiedName": full, "kind": kind }]),
        );
    }
    out
}

fn location_text(l: &Location) -> String {
    let mut parts = vec![l.role.clone()];
    if let Some(v) = &l.value {
        parts.push(v.clone());
    }
    if let Some(t) = &l.text {
        parts.push(format!("「{t}」"));
    }
    if let Some(p) = &l.placement {
        parts.push(format!("〔{p}〕"));
    }
    parts.join(" ")
}

fn result(run: &RunInfo<'_>, c: &Checked<'_>, f: &Finding) -> Value {
    let mut r = json!({
        "ruleId": f.rule_id,
        "level": level(f.severity),
        "message": { "text": f.message },
        "locations": f.locations.iter().map(|l| location(c, l)).collect::<Vec<_>>(),
        "partialFingerprints": { "shenhe/v1": f.fingerprint },
        "properties": {
            "title": f.title,
            "locationKey": location_key(f),
            "definedAt": format!("{}:{}:{}", f.rule_span.file, f.rule_span.line, f.rule_span.column),
        },
    });
    if let Some(i) = run.rule_index(&f.rule_id) {
        put(&mut r, &["ruleIndex"], json!(i));
    }
    if let Some(v) = &f.values {
        put(&mut r, &["properties", "values"], json!(v));
    }
    if let Some(n) = &f.note {
        put(&mut r, &["properties", "note"], json!(n));
    }
    if let Some(w) = &f.waiver {
        put(&mut r, &["properties", "waiver"], json!(w));
        if w.state == WaiverState::Waived {
            put(
                &mut r,
                &["suppressions"],
                json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": format!("{}（{}，到期 {}）", w.reason, w.author, w.expires),
                }]),
            );
        }
    }
    r
}

impl Render for Sarif {
    fn begin(&self, run: &RunInfo<'_>) -> String {
        let driver = json!({
            "name": "shenhe",
            "fullName": "shenhe（审核）预决算公开文件审核工具",
            "version": run.tool_version,
            "semanticVersion": run.tool_version,
            "language": "zh-CN",
            "rules": run.rules.iter().map(rule_descriptor).collect::<Vec<_>>(),
        });
        let tool =
            serde_json::to_string(&json!({ "driver": driver })).unwrap_or_else(|_| "{}".into());
        format!(
            "{{\"$schema\": \"{SARIF_SCHEMA}\", \"version\": \"2.1.0\", \"runs\": [{{\n\"tool\": {tool},\n\"columnKind\": \"unicodeCodePoints\",\n\"results\": [\n"
        )
    }

    fn document(&self, run: &RunInfo<'_>, _index: usize, doc: &DocOutcome<'_>, out: &mut Vec<u8>) {
        let DocOutcome::Checked(c) = doc else {
            return;
        };
        for (i, f) in c.report.findings.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(b",\n");
            }
            // A `Value` always serialises (its keys are strings).
            let _ = serde_json::to_writer(&mut *out, &result(run, c, f));
        }
    }

    fn separator(&self) -> &'static str {
        ",\n"
    }

    fn finish(&self, _run: &RunInfo<'_>, summary: &Summary) -> String {
        let mut notes: Vec<Value> = summary
            .unreadable
            .iter()
            .map(|u| {
                json!({
                    "level": "error",
                    "message": { "text": format!("无法读取：{}", u.reason) },
                    "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&u.path) } } }],
                })
            })
            .collect();
        for w in &summary.waiver_notes {
            notes.push(json!({
                "level": "warning",
                "message": { "text": format!(
                    "豁免{}：{} {}（{}，到期 {}，配置第 {} 行）",
                    w.kind_name, w.rule, w.fingerprint, w.location, w.expires, w.config_line
                ) },
            }));
        }
        let invocation = json!({
            "executionSuccessful": summary.unreadable.is_empty(),
            "exitCode": summary.exit_code(),
            "toolExecutionNotifications": notes,
            "properties": { "summary": summary },
        });
        format!(
            "\n],\n\"invocations\": [{}]\n}}]}}\n",
            serde_json::to_string(&invocation).unwrap_or_else(|_| "{}".into())
        )
    }
}
