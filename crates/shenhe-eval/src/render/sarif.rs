//! SARIF 2.1.0: one run; the rules as `tool.driver.rules` (title, documentation, category,
//! basis, where defined); one result per finding, located in the document (artifact = the
//! document's path; region = line and column in the text, `unicodeCodePoints` columns; for a
//! PDF the page as a property) and logically (table / row / column, or section); the waiver as
//! a suppression; documents that could not be read and rules that could not be evaluated as
//! tool execution notifications.

use serde::Serialize;
use serde_json::{Value, json};

use crate::finding::{Finding, Location, ReportedValue, Severity};
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

// A result is written from typed structs rather than a `serde_json::Value` tree (which cost
// an allocation per key and a sorted map per object). serde_json's `Value` keeps an object's
// keys sorted, and results have always been written from one: the fields below are declared
// in that order (byte order of the key), so the output is the same.

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
struct PdfPlace {
    #[serde(skip_serializing_if = "Option::is_none")]
    bbox: Option<[i32; 4]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    #[serde(rename = "textLine")]
    text_line: u32,
}

#[derive(Serialize)]
struct Region<'a> {
    #[serde(rename = "endColumn", skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text<'a>>,
    #[serde(rename = "startColumn")]
    start_column: u32,
    #[serde(rename = "startLine")]
    start_line: u32,
}

#[derive(Serialize)]
struct PhysicalLocation<'a> {
    #[serde(rename = "artifactLocation")]
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<PdfPlace>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region<'a>>,
}

#[derive(Serialize)]
struct LogicalLocation {
    #[serde(rename = "fullyQualifiedName")]
    fully_qualified_name: String,
    kind: &'static str,
    name: String,
}

#[derive(Serialize)]
struct OwnedText {
    text: String,
}

#[derive(Serialize)]
struct SarifLocation<'a> {
    #[serde(rename = "logicalLocations", skip_serializing_if = "Option::is_none")]
    logical_locations: Option<[LogicalLocation; 1]>,
    message: OwnedText,
    #[serde(rename = "physicalLocation")]
    physical_location: PhysicalLocation<'a>,
}

/// [`ReportedValue`] with its keys in byte order.
#[derive(Serialize)]
struct SortedValue<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    high: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    low: Option<&'a str>,
    printed: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
}

impl<'a> SortedValue<'a> {
    fn of(v: &'a ReportedValue) -> SortedValue<'a> {
        SortedValue {
            high: v.high.as_deref(),
            low: v.low.as_deref(),
            printed: &v.printed,
            unit: v.unit.as_deref(),
            value: v.value.as_deref(),
        }
    }
}

/// [`crate::finding::Values`] with its keys in byte order ([`crate::finding::ReportedTolerance`]'s already
/// are).
#[derive(Serialize)]
struct SortedValues<'a> {
    comparison: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    difference: Option<SortedValue<'a>>,
    left: SortedValue<'a>,
    right: SortedValue<'a>,
    tolerance: &'a crate::finding::ReportedTolerance,
}

/// [`crate::waiver::WaiverStatus`] with its keys in byte order.
#[derive(Serialize)]
struct SortedWaiver<'a> {
    author: &'a str,
    config_line: u32,
    expires: &'a str,
    reason: &'a str,
    recorded_fingerprint: &'a str,
    state: WaiverState,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    #[serde(rename = "definedAt")]
    defined_at: String,
    #[serde(rename = "locationKey")]
    location_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    values: Option<SortedValues<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<SortedWaiver<'a>>,
}

#[derive(Serialize)]
struct Suppression {
    justification: String,
    kind: &'static str,
    status: &'static str,
}

#[derive(Serialize)]
struct Fingerprints<'a> {
    #[serde(rename = "shenhe/v1")]
    shenhe_v1: &'a str,
}

#[derive(Serialize)]
struct SarifResult<'a> {
    level: &'static str,
    locations: Vec<SarifLocation<'a>>,
    message: Text<'a>,
    #[serde(rename = "partialFingerprints")]
    partial_fingerprints: Fingerprints<'a>,
    properties: ResultProperties<'a>,
    /// The common causes the finding is part of (see [`crate::causes`]): the cell, and what
    /// changing it would resolve.
    #[serde(rename = "relatedLocations", skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
    #[serde(rename = "ruleId")]
    rule_id: &'a str,
    #[serde(rename = "ruleIndex", skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression; 1]>,
}

fn location<'a>(c: &Checked<'a>, l: &'a Location) -> SarifLocation<'a> {
    let mut physical = PhysicalLocation {
        artifact_location: ArtifactLocation { uri: uri(c.path) },
        properties: None,
        region: None,
    };
    let pdf = c.document.meta.source_format == "pdf";
    if let Some(loc) = &l.loc {
        if pdf {
            physical.properties = Some(PdfPlace {
                bbox: loc.bbox,
                page: loc.page,
                text_line: loc.line,
            });
        } else {
            let mut region = Region {
                end_column: None,
                snippet: None,
                start_column: loc.column,
                start_line: loc.line,
            };
            if let Some(text) = c.source.and_then(|s| {
                s.get(loc.offset as usize..(loc.offset as usize).saturating_add(loc.len as usize))
            }) {
                if !text.contains('\n') && !text.is_empty() {
                    region.end_column = Some(loc.column as usize + text.chars().count());
                }
                region.snippet = Some(Text { text });
            }
            physical.region = Some(region);
        }
    }
    SarifLocation {
        logical_locations: qualified_name(l).map(|(name, full, kind)| {
            [LogicalLocation {
                fully_qualified_name: full,
                kind,
                name,
            }]
        }),
        message: OwnedText {
            text: location_text(l),
        },
        physical_location: physical,
    }
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

/// The cells of the common causes finding `i` is part of, each with what changing it resolves.
fn causes_of<'a>(c: &Checked<'a>, i: usize) -> Vec<SarifLocation<'a>> {
    let r = c.report;
    r.causes
        .iter()
        .filter(|cause| cause.findings.contains(&i))
        .map(|cause| {
            let mut l = location(c, &cause.location);
            let others: Vec<String> = cause
                .findings
                .iter()
                .filter_map(|&k| r.findings.get(k).map(|f| (k, f)))
                .map(|(k, f)| format!("第 {} 处 {}", k + 1, f.rule_id))
                .collect();
            l.message.text = format!(
                "可能的共同原因：{} 若为 {}（{}），这 {} 处发现（{}）都将消除",
                location_text(&cause.location),
                cause.suggested,
                cause.change,
                others.len(),
                others.join("、")
            );
            l
        })
        .collect()
}

fn result<'a>(run: &RunInfo<'_>, c: &Checked<'a>, i: usize, f: &'a Finding) -> SarifResult<'a> {
    let waiver = f.waiver.as_ref();
    SarifResult {
        level: level(f.severity),
        related_locations: causes_of(c, i),
        locations: f.locations.iter().map(|l| location(c, l)).collect(),
        message: Text { text: &f.message },
        partial_fingerprints: Fingerprints {
            shenhe_v1: &f.fingerprint,
        },
        properties: ResultProperties {
            defined_at: format!(
                "{}:{}:{}",
                f.rule_span.file, f.rule_span.line, f.rule_span.column
            ),
            location_key: location_key(f),
            note: f.note.as_deref(),
            title: &f.title,
            values: f.values.as_ref().map(|v| SortedValues {
                comparison: v.comparison,
                difference: v.difference.as_ref().map(SortedValue::of),
                left: SortedValue::of(&v.left),
                right: SortedValue::of(&v.right),
                tolerance: &v.tolerance,
            }),
            waiver: waiver.map(|w| SortedWaiver {
                author: &w.author,
                config_line: w.config_line,
                expires: &w.expires,
                reason: &w.reason,
                recorded_fingerprint: &w.recorded_fingerprint,
                state: w.state,
            }),
        },
        rule_id: &f.rule_id,
        rule_index: run.rule_index(&f.rule_id),
        suppressions: waiver.filter(|w| w.state == WaiverState::Waived).map(|w| {
            [Suppression {
                justification: format!("{}（{}，到期 {}）", w.reason, w.author, w.expires),
                kind: "external",
                status: "accepted",
            }]
        }),
    }
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
            // Strings, numbers and structs of them always serialise.
            let _ = serde_json::to_writer(&mut *out, &result(run, c, i, f));
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
        for n in &summary.notices {
            notes.push(json!({
                "level": "warning",
                "message": { "text": format!("{}{}", super::NOTICE, n.message) },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&n.path) } } }],
            }));
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::{SOURCE, document, rules, today, waiver_config};

    /// Results are written with their keys in byte order at every level, as a
    /// `serde_json::Value` (which sorts them) writes them: with values, a waiver and its
    /// suppression, logical locations, text regions and PDF places.
    #[test]
    fn result_keys_are_sorted_as_a_value_writes_them() {
        let doc = document("1.00");
        let mut report = rules().check(&doc);
        let f = report
            .findings
            .iter()
            .find(|f| f.rule_id == "R-001")
            .unwrap();
        let cfg = waiver_config(&f.fingerprint, &location_key(f), "2025-12-31");
        cfg.apply_waivers(&mut report, "例.txt", today());
        assert!(report.findings.iter().any(|f| f.waiver.is_some()));
        assert!(report.findings.iter().any(|f| f.values.is_some()));
        let rule_list = rules().rules();
        let run = RunInfo::new("0.1.0", &rule_list, today());
        let mut pdf = doc.clone();
        pdf.meta.source_format = "pdf".into();
        let mut paged = report.clone();
        for f in &mut paged.findings {
            for l in &mut f.locations {
                if let Some(loc) = &mut l.loc {
                    loc.page = Some(2);
                    loc.bbox = Some([1, -2, 300, 400]);
                }
            }
        }
        for (d, r, source) in [(&doc, &report, Some(SOURCE)), (&pdf, &paged, None)] {
            let c = Checked {
                path: "样本/例 1.txt",
                report: r,
                document: d,
                source,
            };
            for (i, f) in r.findings.iter().enumerate() {
                let typed = serde_json::to_string(&result(&run, &c, i, f)).unwrap();
                let value = serde_json::to_value(result(&run, &c, i, f)).unwrap();
                assert_eq!(typed, serde_json::to_string(&value).unwrap());
            }
        }
    }
}
