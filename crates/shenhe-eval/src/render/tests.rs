//! Tests of the renderers and waivers on a small document built by hand from a real source
//! text (so that locations, excerpts and highlights can be checked against the text).

#![allow(clippy::string_slice)]

use rust_decimal::Decimal;
use shenhe_model::{
    Cell, CellValue, Column, ColumnKind, Document, Loc, Paragraph, Row, RowKind, Section, Table,
    TableNumber, TextSegment, Unit,
};

use crate::config::{Config, Date};
use crate::render::{Checked, DocOutcome, Format, RunInfo, render_all};
use crate::waiver::{WaiverLedger, WaiverNoticeKind, WaiverState, fingerprint, location_key};
use crate::{Engine, Report, RuleSet, Severity};

pub(crate) const SOURCE: &str = "\
一、收支情况
本部门支出合计1.00万元，比上年增加5%。其他说明。
表三 部门支出总体情况表
项目 合计 基本支出
总计 1.00 0.90
行政运行 0.33 0.30
机关服务 0.65
";

/// The location of the `n`-th occurrence (0-based) of `needle` in [`SOURCE`].
fn at(needle: &str, n: usize) -> Loc {
    let offset = SOURCE.match_indices(needle).nth(n).unwrap().0;
    let before = &SOURCE[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = SOURCE[line_start..offset].chars().count() + 1;
    Loc::text(
        line as u32,
        column as u32,
        offset as u32,
        needle.len() as u32,
    )
}

fn amount(v: &str, column: usize, loc: Loc) -> Cell {
    Cell {
        column,
        value: CellValue::Number(v.parse::<Decimal>().unwrap()),
        loc: Some(loc),
        ..Cell::default()
    }
}

pub(crate) fn document(total: &str) -> Document {
    let mut doc = Document::new("例.txt", "text");
    let text = "本部门支出合计1.00万元，比上年增加5%。其他说明。".replace("1.00", total);
    doc.sections.push(Section {
        number: Some("一、".into()),
        title: "收支情况".into(),
        depth: 1,
        loc: at("一、收支情况", 0),
        paragraphs: vec![Paragraph {
            text,
            segments: vec![TextSegment {
                start: 0,
                loc: at("本部门", 0),
            }],
            facts: Vec::new(),
        }],
        children: Vec::new(),
    });
    let col = |name: &str, kind| Column {
        path: vec![name.to_string()],
        kind,
        ..Column::default()
    };
    doc.tables.push(Table {
        number: Some(TableNumber {
            printed: "表三".into(),
            ordinal: 3,
        }),
        title: "部门支出总体情况表".into(),
        unit: Some(Unit::WanYuan),
        columns: vec![
            col("项目", ColumnKind::Label),
            col("合计", ColumnKind::Amount),
            col("基本支出", ColumnKind::Amount),
        ],
        rows: vec![
            Row {
                label: "总计".into(),
                kind: RowKind::Total,
                cells: vec![
                    amount(total, 1, at("1.00", 1)),
                    amount("0.90", 2, at("0.90", 0)),
                ],
                loc: at("总计", 0),
                ..Row::default()
            },
            Row {
                label: "行政运行".into(),
                cells: vec![
                    amount("0.33", 1, at("0.33", 0)),
                    amount("0.30", 2, at("0.30", 0)),
                ],
                loc: at("行政运行", 0),
                ..Row::default()
            },
            Row {
                label: "机关服务".into(),
                cells: vec![
                    amount("0.65", 1, at("0.65", 0)),
                    Cell {
                        column: 2,
                        ..Cell::default()
                    },
                ],
                loc: at("机关服务", 0),
                ..Row::default()
            },
        ],
        loc: at("表三 部门支出总体情况表", 0),
        ..Table::default()
    });
    doc
}

pub(crate) const RULES: &str = "语言 1
/// 总计等于各行之和。
规则 R-001 \"合计等于明细之和\" {
  类别 表内
  依据 \"《地方预决算公开操作规程》\"
  断言 表三.总计.合计 == sum(表三.合计)
}
规则 R-002 \"每行都有基本支出\" {
  级别 警告
  类别 表内
  断言 每行 表三 : 基本支出 > 0
}
规则 R-003 \"说明中的支出合计与表三一致\" {
  级别 提示
  类别 表间
  断言 每处 \"支出合计{额:金额}\" : 额 == 表三.总计.基本支出
}
";

pub(crate) fn rules() -> RuleSet {
    Engine::new().compile(&[("例.rule", RULES)]).unwrap()
}

pub(crate) fn today() -> Date {
    Date::new(2025, 6, 1).unwrap()
}

fn report(total: &str) -> (Document, Report) {
    let doc = document(total);
    let r = rules().check(&doc);
    (doc, r)
}

#[test]
fn the_sample_has_three_findings_of_three_kinds() {
    let (_, r) = report("1.00");
    let ids: Vec<&str> = r.findings.iter().map(|f| f.rule_id.as_str()).collect();
    // Sorted by first location: the narrative (line 2), the total row (line 5), the blank
    // cell of 机关服务 (line 7).
    assert_eq!(ids, ["R-003", "R-001", "R-002"]);
    assert_eq!(r.counts.by_severity.error, 1);
    assert_eq!(r.counts.by_severity.warning, 1);
    assert_eq!(r.counts.by_severity.info, 1);
    assert!(r.has_error_findings());
}

pub(crate) fn waiver_config(fp: &str, key: &str, expires: &str) -> Config {
    let text = format!(
        "[[waiver]]\nrule = \"R-001\"\nlocation = \"{key}\"\nfingerprint = \"{fp}\"\nreason = \"印刷错误，已更正\"\nauthor = \"张三\"\nexpires = {expires}\n"
    );
    Config::parse("shenhe.toml", &text).unwrap()
}

#[test]
fn identical_findings_get_distinct_fingerprints_and_one_waiver_covers_one() {
    let (doc, r) = report("1.00");
    let f = r
        .findings
        .iter()
        .find(|f| f.rule_id == "R-001")
        .unwrap()
        .clone();
    // The same finding twice in one document (as with one template leftover in two sentences
    // of one section).
    let mut twice = Report::new(
        &doc,
        None,
        vec![f.clone(), f.clone()],
        r.outcomes.clone(),
        Vec::new(),
    );
    let (a, b) = (&twice.findings[0], &twice.findings[1]);
    assert_eq!(a.fingerprint, fingerprint(&f));
    assert_ne!(a.fingerprint, b.fingerprint);
    assert_eq!(b.fingerprint.len(), 16);
    // Building the report again gives the same fingerprints (restricting a report re-sorts).
    let again = Report::new(
        &doc,
        None,
        twice.findings.clone(),
        r.outcomes.clone(),
        Vec::new(),
    );
    let fps =
        |r: &Report| -> Vec<String> { r.findings.iter().map(|f| f.fingerprint.clone()).collect() };
    assert_eq!(fps(&again), fps(&twice));
    let cfg = waiver_config(&a.fingerprint.clone(), &location_key(&f), "2025-12-31");
    cfg.apply_waivers(&mut twice, "例.txt", today());
    let states: Vec<Option<WaiverState>> = twice
        .findings
        .iter()
        .map(|f| f.waiver.as_ref().map(|w| w.state))
        .collect();
    assert_eq!(
        states,
        [Some(WaiverState::Waived), Some(WaiverState::Lapsed)]
    );
}

#[test]
fn fingerprints_follow_the_values_not_the_lines() {
    let (_, a) = report("1.00");
    let (_, b) = report("1.00");
    let (_, c) = report("1.01");
    let f = |r: &Report| {
        r.findings
            .iter()
            .find(|f| f.rule_id == "R-001")
            .unwrap()
            .clone()
    };
    assert_eq!(f(&a).fingerprint, f(&b).fingerprint);
    assert_eq!(f(&a).fingerprint.len(), 16);
    assert_ne!(f(&a).fingerprint, f(&c).fingerprint);
    assert_eq!(location_key(&f(&a)), location_key(&f(&c)));
    assert_eq!(
        location_key(&f(&a)),
        "左:表三 部门支出总体情况表/总计/合计; 右:表三 部门支出总体情况表/行政运行/合计; 右:表三 部门支出总体情况表/机关服务/合计"
    );
    // Moving the finding to other lines does not change it.
    let mut moved = f(&a);
    for l in &mut moved.locations {
        if let Some(loc) = &mut l.loc {
            loc.line += 10;
            loc.offset += 100;
        }
    }
    assert_eq!(fingerprint(&moved), f(&a).fingerprint);
}

#[test]
fn a_waiver_applies_lapses_and_expires() {
    let (_, base) = report("1.00");
    let f = base.findings.iter().find(|f| f.rule_id == "R-001").unwrap();
    let (fp, key) = (f.fingerprint.clone(), location_key(f));
    let cfg = waiver_config(&fp, &key, "2025-12-31");

    // Same values: waived; it no longer counts for the exit status.
    let (_, mut r) = report("1.00");
    let uses = cfg.apply_waivers(&mut r, "docs/例.txt", today());
    assert_eq!(uses, [(0, WaiverState::Waived)]);
    let w = r.findings.iter().find(|f| f.rule_id == "R-001").unwrap();
    assert_eq!(w.waiver.as_ref().unwrap().state, WaiverState::Waived);
    assert_eq!(w.waiver.as_ref().unwrap().author, "张三");
    assert_eq!(r.counts.waived.error, 1);
    assert_eq!(
        r.counts.by_severity.error, 1,
        "waived findings stay counted"
    );
    assert!(!r.has_error_findings());
    assert_eq!(r.findings.len(), 3, "waived findings stay in the report");

    // The numbers changed: the waiver lapses.
    let (_, mut r) = report("1.01");
    let uses = cfg.apply_waivers(&mut r, "docs/例.txt", today());
    assert_eq!(uses, [(0, WaiverState::Lapsed)]);
    assert!(r.has_error_findings());
    assert_eq!(r.counts.waived.error, 0);

    // Its date passed: expired.
    let (_, mut r) = report("1.00");
    let uses = cfg.apply_waivers(&mut r, "docs/例.txt", Date::new(2026, 1, 1).unwrap());
    assert_eq!(uses, [(0, WaiverState::Expired)]);
    assert!(r.has_error_findings());

    // Valid through its last day.
    let (_, mut r) = report("1.00");
    let uses = cfg.apply_waivers(&mut r, "x.txt", Date::new(2025, 12, 31).unwrap());
    assert_eq!(uses, [(0, WaiverState::Waived)]);
}

#[test]
fn a_waiver_for_another_document_does_not_apply() {
    let (_, base) = report("1.00");
    let f = base.findings.iter().find(|f| f.rule_id == "R-001").unwrap();
    let text = format!(
        "[[waiver]]\nrule = \"R-001\"\nlocation = \"{}\"\nfingerprint = \"{}\"\nreason = \"r\"\nauthor = \"a\"\nexpires = 2099-01-01\ndocument = \"甲单位/例.txt\"\n",
        location_key(f),
        f.fingerprint
    );
    let cfg = Config::parse("c", &text).unwrap();
    let (_, mut r) = report("1.00");
    assert!(
        cfg.apply_waivers(&mut r, "乙单位/例.txt", today())
            .is_empty()
    );
    let (_, mut r) = report("1.00");
    assert_eq!(
        cfg.apply_waivers(&mut r, "批次/甲单位/例.txt", today()),
        [(0, WaiverState::Waived)]
    );
    // A path that merely ends with the same characters is another document.
    let (_, mut r) = report("1.00");
    assert!(
        cfg.apply_waivers(&mut r, "乙甲单位/例.txt", today())
            .is_empty()
    );
}

#[test]
fn the_ledger_reports_waivers_needing_attention() {
    let text = "[[waiver]]\nrule = \"R-001\"\nlocation = \"x\"\nfingerprint = \"0000000000000000\"\nreason = \"r\"\nauthor = \"a\"\nexpires = 2020-01-01\n\n[[waiver]]\nrule = \"R-002\"\nlocation = \"y\"\nfingerprint = \"0000000000000001\"\nreason = \"r\"\nauthor = \"a\"\nexpires = 2099-01-01\n";
    let cfg = Config::parse("c", text).unwrap();
    let ledger = WaiverLedger::new(&cfg);
    let notes = ledger.notices(&cfg, today());
    let kinds: Vec<WaiverNoticeKind> = notes.iter().map(|n| n.kind).collect();
    assert_eq!(kinds, [WaiverNoticeKind::Expired, WaiverNoticeKind::Unused]);
}

#[test]
fn configuration_selects_rules_and_overrides_severity() {
    let mut rs = rules();
    let cfg = Config::parse(
        "c",
        "[rules]\ndisable = [\"表间\"]\n[severity]\n\"R-001\" = \"警告\"\n",
    )
    .unwrap();
    assert!(cfg.validate(&rs.rules(), &[]).is_empty());
    rs.configure(&cfg);
    let ids: Vec<String> = rs.rules().into_iter().map(|r| r.id).collect();
    assert_eq!(ids, ["R-001", "R-002"]);
    let r = rs.check(&document("1.00"));
    assert_eq!(r.findings.len(), 2);
    assert!(r.findings.iter().all(|f| f.severity == Severity::Warning));
    assert!(!r.has_error_findings());
}

#[test]
fn validation_names_unknown_rules_and_templates() {
    let cfg = Config::parse(
        "shenhe.toml",
        "[rules]\ndisable = [\"R-01\"]\ntemplate = \"某模板\"\n",
    )
    .unwrap();
    let errs: Vec<String> = cfg
        .validate(&rules().rules(), &["上海-预算-9表".to_string()])
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errs,
        [
            "shenhe.toml:2:12：规则编号或类别 `R-01` 不存在；是不是 `R-001`？",
            "shenhe.toml:3:12：模板 `某模板` 不存在（已知模板：上海-预算-9表）",
        ]
    );
}

#[test]
fn rule_source_includes_the_doc_comment() {
    let rs = rules();
    let (file, line, text) = rs.rule_source("R-001").unwrap();
    assert_eq!(file, "例.rule");
    assert_eq!(line, 2);
    assert!(
        text.starts_with("/// 总计等于各行之和。\n规则 R-001"),
        "{text}"
    );
    assert!(text.trim_end().ends_with('}'), "{text}");
    assert!(!text.contains("R-002"), "{text}");
    assert!(rs.rule_source("R-999").is_none());
}

/// Renders the sample in one format, with the R-001 finding waived.
fn render(format: Format) -> String {
    let (_, base) = report("1.00");
    let f = base.findings.iter().find(|f| f.rule_id == "R-002").unwrap();
    let cfg = waiver_config(&f.fingerprint, &location_key(f), "2025-12-31")
        .waivers
        .into_iter()
        .map(|mut w| {
            w.rule = "R-002".into();
            w
        })
        .collect();
    let cfg = Config {
        waivers: cfg,
        ..Config::default()
    };
    let (doc, mut r) = report("1.00");
    cfg.apply_waivers(&mut r, "样本/例.txt", today());
    let rules = rules().rules();
    let run = RunInfo::new("0.1.0", &rules, today());
    let docs = [
        DocOutcome::Checked(Checked {
            path: "样本/例.txt",
            report: &r,
            document: &doc,
            source: Some(SOURCE),
        }),
        DocOutcome::Unreadable {
            path: "样本/坏.pdf",
            reason: "PDF 文件无法读取：文件头中没有 %PDF- 标记",
        },
    ];
    render_all(format, &run, &docs)
}

#[test]
fn human_report() {
    insta::assert_snapshot!(render(Format::Human));
}

/// A report, with a waiver, is written by the fast JSON writer itself (no fallback), as
/// serde_json writes it.
#[test]
fn json_writer_writes_reports_as_serde_json() {
    let (_, mut r) = report("1.00");
    let f = r.findings.iter().find(|f| f.rule_id == "R-001").unwrap();
    let cfg = waiver_config(&f.fingerprint, &location_key(f), "2025-12-31");
    cfg.apply_waivers(&mut r, "例.txt", today());
    assert!(r.findings.iter().any(|f| f.waiver.is_some()));
    let mut out = Vec::new();
    super::json_writer::write_pretty(&mut out, &r).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        serde_json::to_string_pretty(&r).unwrap()
    );
}

#[test]
fn json_report_parses_and_keeps_the_report_fields() {
    let v: serde_json::Value = serde_json::from_str(&render(Format::Json)).unwrap();
    assert_eq!(v["report_version"], 1);
    let docs = v["reports"].as_array().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["index"], 0);
    assert_eq!(docs[0]["path"], "样本/例.txt");
    assert_eq!(docs[0]["report_version"], 1);
    assert_eq!(docs[0]["document"]["source_name"], "例.txt");
    assert_eq!(docs[0]["findings"].as_array().unwrap().len(), 3);
    assert_eq!(docs[0]["findings"][2]["waiver"]["state"], "waived");
    assert_eq!(
        docs[0]["findings"][2]["fingerprint"]
            .as_str()
            .unwrap()
            .len(),
        16
    );
    assert_eq!(docs[0]["counts"]["waived"]["warning"], 1);
    assert_eq!(v["unreadable"][0]["index"], 1);
    assert_eq!(v["unreadable"][0]["source"], "样本/坏.pdf");
    assert!(
        v["unreadable"][0]["error"]
            .as_str()
            .unwrap()
            .contains("%PDF-")
    );
    assert_eq!(v["summary"]["documents"], 2);
    assert_eq!(v["summary"]["exit_code"], 2);
    assert_eq!(v["summary"]["open"]["warning"], 0);
}

#[test]
fn sarif_report() {
    let v: serde_json::Value = serde_json::from_str(&render(Format::Sarif)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 3);
    assert_eq!(run["tool"]["driver"]["rules"][0]["id"], "R-001");
    assert_eq!(
        run["tool"]["driver"]["rules"][0]["fullDescription"]["text"],
        "总计等于各行之和。"
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let r1 = results.iter().find(|r| r["ruleId"] == "R-001").unwrap();
    assert_eq!(r1["level"], "error");
    assert_eq!(r1["ruleIndex"], 0);
    let loc = &r1["locations"][0];
    assert_eq!(
        loc["physicalLocation"]["artifactLocation"]["uri"],
        "%E6%A0%B7%E6%9C%AC/%E4%BE%8B.txt"
    );
    // 总计 1.00: line 5, column 4, the snippet is the printed value.
    assert_eq!(loc["physicalLocation"]["region"]["startLine"], 5);
    assert_eq!(loc["physicalLocation"]["region"]["startColumn"], 4);
    assert_eq!(loc["physicalLocation"]["region"]["endColumn"], 8);
    assert_eq!(loc["physicalLocation"]["region"]["snippet"]["text"], "1.00");
    assert_eq!(
        loc["logicalLocations"][0]["fullyQualifiedName"],
        "表三 部门支出总体情况表/总计/合计"
    );
    let r2 = results.iter().find(|r| r["ruleId"] == "R-002").unwrap();
    assert_eq!(r2["suppressions"][0]["status"], "accepted");
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
}

#[test]
fn junit_report() {
    insta::assert_snapshot!(render(Format::Junit));
}

/// The element (from its start tag on) that holds the anchor `id`.
fn enclosing<'h>(html: &'h str, id: &str, tag: &str) -> &'h str {
    let anchor = html.find(&format!("id=\"{id}\"")).unwrap();
    let start = html[..anchor].rfind(&format!("<{tag}")).unwrap();
    let end = anchor + html[anchor..].find(&format!("</{tag}>")).unwrap();
    &html[start..end]
}

#[test]
fn html_highlights_are_where_the_findings_say() {
    let html = render(Format::Html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "offline page"
    );
    // Findings in report order: R-003 (narrative), R-001 (total), R-002 (blank cell).
    // the matched phrase, the captured amount inside it, and 表三 总计 基本支出.
    let phrase = enclosing(&html, "d0-f0-l0", "p");
    assert!(phrase.contains("<span class=\"sent\">"), "{phrase}");
    let amount = enclosing(&html, "d0-f0-l1", "mark");
    assert!(amount.ends_with("</a>1.00万元"), "{amount}");
    assert!(phrase.contains("href=\"#d0-f0\""), "back link: {phrase}");
    let cell = enclosing(&html, "d0-f0-l2", "td");
    assert!(
        cell.contains("data-row=\"总计\" data-col=\"基本支出\""),
        "{cell}"
    );
    assert!(cell.contains("<span class=\"v\">0.90</span>"), "{cell}");
    // the total and both detail cells of 合计.
    for (l, row, value) in [
        (0, "总计", "1.00"),
        (1, "行政运行", "0.33"),
        (2, "机关服务", "0.65"),
    ] {
        let cell = enclosing(&html, &format!("d0-f1-l{l}"), "td");
        assert!(
            cell.contains(&format!("data-row=\"{row}\" data-col=\"合计\"")),
            "{cell}"
        );
        assert!(
            cell.contains(&format!("<span class=\"v\">{value}</span>")),
            "{cell}"
        );
        assert!(cell.contains("sev-error"), "{cell}");
        assert!(cell.contains("href=\"#d0-f1\""), "{cell}");
    }
    // R-002 (waived): the blank 基本支出 cell of 机关服务, and the row's label.
    let cell = enclosing(&html, "d0-f2-l0", "td");
    assert!(
        cell.contains("data-row=\"机关服务\" data-col=\"基本支出\""),
        "{cell}"
    );
    assert!(cell.contains("<span class=\"v\"></span>"), "blank: {cell}");
    assert!(cell.contains("waived"), "{cell}");
    let label = enclosing(&html, "d0-f2-l1", "th");
    assert!(label.contains("机关服务"), "{label}");
    // Every location link has its anchor.
    for fl in [
        "d0-f0-l0", "d0-f0-l1", "d0-f0-l2", "d0-f1-l0", "d0-f1-l1", "d0-f1-l2", "d0-f2-l0",
        "d0-f2-l1",
    ] {
        assert!(html.contains(&format!("href=\"#{fl}\"")), "{fl}");
        assert_eq!(html.matches(&format!("id=\"{fl}\"")).count(), 1, "{fl}");
    }
    assert!(html.contains("无法读取：PDF 文件无法读取"));
}

#[test]
fn html_style_and_script_keep_the_page_well_formed_xml() {
    for part in [super::html::STYLE, super::html::SCRIPT] {
        assert!(!part.contains('<') && !part.contains('&'), "{part}");
    }
}

/// A warning about the reading of the whole document is carried by the report in full and
/// shown before the findings in the terminal and on the page; other warnings only count.
#[test]
fn reading_notices_are_shown_in_full() {
    let mut doc = document("1.00");
    doc.warnings.push(shenhe_model::IngestWarning {
        code: shenhe_model::IngestWarning::TEXT_FORM.into(),
        message: "表格按列分块 <提取>".into(),
        loc: None,
    });
    doc.warnings.push(shenhe_model::IngestWarning {
        code: "ambiguous-placement".into(),
        message: "某一行".into(),
        loc: None,
    });
    let r = rules().check(&doc);
    assert_eq!(r.document.ingest_warnings, 2);
    assert_eq!(r.document.notices, ["表格按列分块 <提取>"]);
    let rules = rules().rules();
    let run = RunInfo::new("0.1.0", &rules, today());
    let docs = [DocOutcome::Checked(Checked {
        path: "例.txt",
        report: &r,
        document: &doc,
        source: Some(SOURCE),
    })];
    let human = render_all(Format::Human, &run, &docs);
    let at = human.find("读取提醒：表格按列分块 <提取>").expect(&human);
    assert!(at < human.find("[错误]").expect(&human), "{human}");
    assert!(!human.contains("某一行"), "{human}");
    // Listed again in the run's summary.
    let summary = human.find("有读取提醒的文档（表格可能读错，见各文档）：\n  例.txt\n");
    assert!(summary.is_some_and(|s| s > at), "{human}");
    let html = render_all(Format::Html, &run, &docs);
    assert!(
        html.contains("<p class=\"notice\">读取提醒：表格按列分块 &lt;提取&gt;</p>"),
        "{html}"
    );
    // A SARIF notification of the run, on the document's file.
    let sarif: serde_json::Value =
        serde_json::from_str(&render_all(Format::Sarif, &run, &docs)).unwrap();
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["level"], "warning");
    assert_eq!(notes[0]["message"]["text"], "读取提醒：表格按列分块 <提取>");
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "%E4%BE%8B.txt"
    );
    // The document's suite's own output in JUnit.
    let junit = render_all(Format::Junit, &run, &docs);
    assert!(
        junit.contains(
            "    <system-out>读取提醒：表格按列分块 &lt;提取&gt;</system-out>\n  </testsuite>"
        ),
        "{junit}"
    );
}
