//! Ingest of extracted text: the seed document read completely (snapshots of the whole model,
//! read against the source line by line, and hand-checked cells), and bad input.

// A test harness: its helpers may fail loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use std::str::FromStr;

use rust_decimal::Decimal;
use shenhe_ingest::{IngestError, Options, read_str, read_text};
use shenhe_model::{
    CellValue, DocKind, Document, Measure, PerfKind, Placement, Row, RowKind, Table, Unit,
};

const SEED_NAME: &str = "000_69e425832d03fcc4.txt";
const SEED: &str = include_str!("../../../../examples/000_69e425832d03fcc4.txt");

fn seed() -> Document {
    read_text(SEED_NAME, SEED.as_bytes(), &Options::default()).unwrap()
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn table<'a>(doc: &'a Document, printed: &str) -> &'a Table {
    doc.tables
        .iter()
        .find(|t| t.number.as_ref().is_some_and(|n| n.printed == printed))
        .unwrap_or_else(|| panic!("no {printed}"))
}

fn row<'a>(t: &'a Table, label: &str) -> &'a Row {
    let found = t.rows_named(label);
    let i = *found.first().unwrap_or_else(|| panic!("no row {label}"));
    &t.rows[i]
}

/// The value of `row` in the column whose header path ends with `col` (joined with `/`).
fn cell(t: &Table, row: &Row, col: &str) -> CellValue {
    let c = t
        .columns
        .iter()
        .position(|c| c.path.join("/").ends_with(col) && (c.group == row.group))
        .unwrap_or_else(|| panic!("no column {col}"));
    row.cell(c)
        .unwrap_or_else(|| panic!("row {} has no cell in {col}", row.label))
        .value
        .clone()
}

fn num(s: &str) -> CellValue {
    CellValue::Number(d(s))
}

/// The source text a location points at.
fn at(loc: &shenhe_model::Loc) -> &'static str {
    let start = loc.offset as usize;
    SEED.get(start..start + loc.len as usize).unwrap()
}

// ------------------------------------------------------------------ the whole model

#[test]
fn seed_text_rendering_snapshot() {
    crate::snapshot_settings().bind(|| {
        insta::assert_snapshot!(
            "ingest__seed_text",
            shenhe_ingest::render::render_text(&seed())
        );
    });
}

#[test]
fn seed_json_snapshot() {
    crate::snapshot_settings().bind(|| {
        insta::assert_json_snapshot!("ingest__seed_json", seed());
    });
}

// ------------------------------------------------------------------ metadata and structure

/// A fuzzer's input (cut from this repository's own notes): a table title, its `编制单位`
/// line, then some thirty lines of prose and a markdown table before the first numbers, all of
/// it read as the table's header. Building that header's tree compared every run of its free
/// names with every name (a cube of the header's size per name, then once more for every
/// group): 0.74 s in a release build, over ten seconds under the fuzzer. Now it reads in a few
/// hundredths of a second; this test would take minutes in a debug build if that came back.
#[test]
fn prose_under_a_table_title_is_read_as_a_header_in_bounded_work() {
    let text = include_str!("../fixtures/prose-under-a-table-title.txt");
    let doc = read_str("t.txt", text, &Options::default());
    let t = doc
        .tables
        .iter()
        .find(|t| t.title.contains("政府性基金预算支出功能分类预算表"))
        .expect("the table is read");
    let p = t.preparer.as_ref().expect("its preparer line is read");
    assert_eq!(p.name, "上海市普陀区社会福利院");
    assert!(t.columns.len() > 100, "{} columns", t.columns.len());
}

#[test]
fn metadata_from_the_cover() {
    let doc = seed();
    let m = &doc.meta;
    assert_eq!(
        m.unit_name.as_deref(),
        Some("临夏市人民代表大会常务委员会办公室")
    );
    assert_eq!(m.year, Some(2024));
    assert_eq!(m.kind, Some(DocKind::DeptBudget));
    assert_eq!(m.title.as_deref(), Some("2024 年部门预算公开情况说明"));
    assert_eq!(m.template.as_deref(), Some("甘肃-部门预算-11表"));
    assert_eq!(m.source_format, "text");
    assert_eq!(m.pages, Some(27));
    assert_eq!(doc.schema_version, shenhe_model::SCHEMA_VERSION);
}

#[test]
fn every_table_and_form_is_found() {
    let doc = seed();
    let numbers: Vec<u32> = doc
        .tables
        .iter()
        .map(|t| t.number.as_ref().unwrap().ordinal)
        .collect();
    assert_eq!(numbers, (1..=11).collect::<Vec<_>>());
    let roles: Vec<&str> = doc
        .tables
        .iter()
        .map(|t| t.role.as_deref().unwrap())
        .collect();
    assert_eq!(
        roles,
        vec![
            "收支总表",
            "收入总表",
            "支出总表",
            "财政拨款收支总表",
            "财政拨款支出表",
            "一般公共预算支出表",
            "基本支出表",
            "三公经费表",
            "机关运行经费表",
            "政府性基金表",
            "国有资本经营表"
        ]
    );
    assert!(doc.tables.iter().all(|t| t.unit == Some(Unit::WanYuan)));
    // Every table carries its note.
    assert!(
        doc.tables
            .iter()
            .all(|t| t.notes.len() == 1 && t.notes[0].text == "备注：无内容应公开空表并说明情况。")
    );
    let kinds: Vec<PerfKind> = doc.performance.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        vec![
            PerfKind::Department,
            PerfKind::Project,
            PerfKind::Project,
            PerfKind::Project,
            PerfKind::Project,
            PerfKind::Project
        ]
    );
    // Table titles stand where the source prints them.
    let t3 = table(&doc, "表三");
    assert_eq!(t3.loc.line, 527);
    assert_eq!(at(&t3.loc), "部门支出总体情况表");
    assert_eq!(t3.loc.page, Some(13));
}

#[test]
fn section_tree() {
    let doc = seed();
    let top: Vec<String> = doc
        .sections
        .iter()
        .filter(|s| s.depth == 1)
        .map(|s| format!("{}{}", s.number.as_deref().unwrap(), s.title))
        .collect();
    assert_eq!(top.len(), 11);
    assert_eq!(top[0], "一、部门职责");
    assert_eq!(
        top[4],
        "五、部门一般公共预算财政拨款“三公”经费、培训费、会议费等情况"
    );
    assert_eq!(top[10], "十一、名词解释");
    let four = doc
        .sections
        .iter()
        .find(|s| s.title == "一般公共预算情况")
        .unwrap();
    let kids: Vec<&str> = four.children.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(kids, vec!["基本支出", "项目支出", "支出功能分类说明"]);
    // A paragraph wrapped over a page break is one paragraph.
    let duties = &doc.sections[1];
    assert_eq!(duties.title, "部门职责");
    assert_eq!(duties.paragraphs.len(), 1);
    let p = &duties.paragraphs[0];
    assert!(
        p.text
            .ends_with("10、负责出席上级人民代表大会会议代表团的组织服务工作。")
    );
    // The piece after the page break points at line 51, column 2 (after the page mark).
    let pos = p.text.find("的组织服务工作").unwrap();
    let loc = p.loc_of(pos, pos + "的组织服务工作".len()).unwrap();
    assert_eq!((loc.line, loc.column, loc.page), (51, 2, Some(3)));
    assert_eq!(at(&loc), "的组织服务工作");
}

#[test]
fn narrative_facts_with_locations() {
    let doc = seed();
    let facts: Vec<_> = doc.facts().collect();
    let basic = facts
        .iter()
        .find(|f| f.printed == "821.07 万元" && f.loc.line == 114)
        .unwrap();
    assert_eq!(
        basic.measure,
        Measure::Money {
            amount: shenhe_model::Amount::new(d("821.07"), Unit::WanYuan)
        }
    );
    assert_eq!(basic.loc.column, 6);
    assert_eq!(at(&basic.loc), "821.07 万元");
    let share = facts.iter().find(|f| f.printed == "82.93%").unwrap();
    assert_eq!(share.measure, Measure::Percent { value: d("82.93") });
    assert_eq!((share.loc.line, share.loc.column), (114, 18));
    // `18.93 %` with a space, counts with measure words, an amount whose unit wraps.
    let spaced = facts.iter().find(|f| f.printed == "18.93 %").unwrap();
    assert_eq!(spaced.measure, Measure::Percent { value: d("18.93") });
    assert_eq!(spaced.loc.line, 163);
    let cars = facts.iter().find(|f| f.printed == "2 辆").unwrap();
    assert_eq!(
        cars.measure,
        Measure::Count {
            value: d("2"),
            unit: "辆".into()
        }
    );
    let wrapped = facts.iter().find(|f| f.printed == "6.9万元").unwrap();
    assert_eq!(wrapped.loc.line, 241);
    assert_eq!(at(&wrapped.loc), "6.9");
    // Years and dates are not facts.
    assert!(facts.iter().all(|f| !f.printed.contains('年')));
}

// ------------------------------------------------------------------ tables, cell by cell

#[test]
fn table_one_two_sided() {
    let doc = seed();
    let t = table(&doc, "表一");
    let groups: Vec<Option<&str>> = t.columns.iter().map(|c| c.group.as_deref()).collect();
    assert_eq!(
        groups,
        vec![Some("收入"), Some("收入"), Some("支出"), Some("支出")]
    );
    let income = row(t, "一般公共预算财政拨款收入");
    assert_eq!(income.group.as_deref(), Some("收入"));
    assert_eq!(cell(t, income, "预算数"), num("990.07"));
    let health = row(t, "卫生健康支出");
    assert_eq!(health.group.as_deref(), Some("支出"));
    assert_eq!(cell(t, health, "预算数"), num("42.64"));
    assert!(matches!(
        health.cells[0].placement,
        Placement::Inferred { .. }
    ));
    assert_eq!(health.classification.as_ref().unwrap().code, "210");
    let balance = row(t, "上年结余");
    assert_eq!(balance.group.as_deref(), Some("收入"));
    let carry = row(t, "结转下年");
    assert_eq!(carry.group.as_deref(), Some("支出"));
    for (label, group) in [
        ("收入总计", "收入"),
        ("支出总计", "支出"),
        ("本年收入合计", "收入"),
    ] {
        let r = row(t, label);
        assert_eq!(r.kind, RowKind::Total);
        assert_eq!(r.group.as_deref(), Some(group));
        assert_eq!(cell(t, r, "预算数"), num("990.07"));
    }
    assert_eq!(
        t.rows
            .iter()
            .filter(|r| r.group.as_deref() == Some("支出"))
            .count(),
        33
    );
    assert_eq!(
        t.rows
            .iter()
            .filter(|r| r.group.as_deref() == Some("收入"))
            .count(),
        13
    );
}

#[test]
fn table_three_without_codes() {
    let doc = seed();
    let t = table(&doc, "表三");
    let names: Vec<&str> = t.columns.iter().map(|c| c.name()).collect();
    assert_eq!(
        names,
        vec![
            "功能分类科目",
            "支出合计",
            "基本支出",
            "项目支出",
            "上年结转"
        ]
    );
    // The acceptance example: 人大会议 30.00 stands under 项目支出, nothing under 基本支出.
    let r = row(t, "人大会议");
    assert_eq!(cell(t, r, "支出合计"), num("30.00"));
    assert_eq!(cell(t, r, "基本支出"), CellValue::Blank);
    assert_eq!(cell(t, r, "项目支出"), num("30.00"));
    assert_eq!(cell(t, r, "上年结转"), CellValue::Blank);
    assert!(
        r.cells
            .iter()
            .all(|c| matches!(c.placement, Placement::Inferred { .. }))
    );
    let cls = r.classification.as_ref().unwrap();
    assert_eq!((cls.code.as_str(), cls.from_catalogue), ("2010104", true));
    let parent = &t.rows[r.parent.unwrap()];
    assert_eq!(parent.label, "人大事务");
    let admin = row(t, "行政运行");
    assert_eq!(cell(t, admin, "基本支出"), num("697.07"));
    assert_eq!(cell(t, admin, "项目支出"), CellValue::Blank);
    let total = row(t, "总计");
    assert_eq!(total.kind, RowKind::Total);
    assert_eq!(cell(t, total, "基本支出"), num("821.07"));
    assert_eq!(cell(t, total, "项目支出"), num("169.00"));
    assert_eq!(cell(t, total, "上年结转"), CellValue::Blank);
    // Every value of 表三 that is printed is read, once.
    let printed = t
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter(|c| !c.is_blank())
        .count();
    assert_eq!(printed, 35);
    // The cell's location cuts its printed text out of the source.
    let c = r.cells.iter().find(|c| c.column == 3).unwrap();
    assert_eq!(at(c.loc.as_ref().unwrap()), "30.00");
    assert_eq!(c.loc.unwrap().line, 542);
}

#[test]
fn table_four_nested_sides() {
    let doc = seed();
    let t = table(&doc, "表四");
    let r = row(t, "一般公共预算财政拨款");
    assert_eq!(r.group.as_deref(), Some("收入"));
    assert_eq!(t.rows[r.parent.unwrap()].label, "一、本年收入");
    let out = row(t, "公共安全支出");
    assert_eq!(out.group.as_deref(), Some("支出"));
    let total = row(t, "支出总计");
    assert_eq!(cell(t, total, "合计"), num("990.07"));
}

#[test]
fn table_five_three_fund_blocks() {
    let doc = seed();
    let t = table(&doc, "表五");
    assert_eq!(t.columns.len(), 11);
    assert_eq!(t.columns[2].path, vec!["一般公共预算支出", "合计"]);
    assert_eq!(t.columns[10].path, vec!["国有资本经营预算支出", "项目支出"]);
    for r in &t.rows {
        assert_eq!(cell(t, r, "总计"), num("990.07"), "{}", r.label);
        assert_eq!(cell(t, r, "一般公共预算支出/合计"), num("990.07"));
        assert_eq!(cell(t, r, "一般公共预算支出/基本支出"), num("821.07"));
        assert_eq!(cell(t, r, "一般公共预算支出/项目支出"), num("169.00"));
        assert_eq!(cell(t, r, "政府性基金预算支出/合计"), CellValue::Blank);
        assert_eq!(cell(t, r, "国有资本经营预算支出/合计"), CellValue::Blank);
        assert!(
            r.cells
                .iter()
                .all(|c| matches!(c.placement, Placement::Inferred { .. }))
        );
    }
    // The unit's row sits under the department's own row.
    assert_eq!(t.rows[2].parent, Some(1));
}

#[test]
fn tables_six_and_seven_with_codes() {
    let doc = seed();
    let t6 = table(&doc, "表六");
    let r = row(t6, "2010104");
    assert_eq!(r.label, "人大会议");
    assert_eq!(cell(t6, r, "项目支出"), num("30.00"));
    assert_eq!(cell(t6, r, "基本支出"), CellValue::Blank);
    assert_eq!(t6.rows[r.parent.unwrap()].code.as_deref(), Some("20101"));
    let t7 = table(&doc, "表七");
    // The acceptance example: 表七 总计 is 821.07 / 714.75 / 106.32.
    let total = row(t7, "总计");
    assert_eq!(cell(t7, total, "合计"), num("821.07"));
    assert_eq!(cell(t7, total, "人员经费"), num("714.75"));
    assert_eq!(cell(t7, total, "公用经费"), num("106.32"));
    assert!(total.cells.iter().all(|c| c.placement == Placement::Direct));
    // 301 and 303 are 人员经费, 302 公用经费 (from the column totals).
    assert_eq!(cell(t7, row(t7, "301"), "人员经费"), num("711.79"));
    assert_eq!(cell(t7, row(t7, "303"), "人员经费"), num("2.96"));
    assert_eq!(cell(t7, row(t7, "302"), "公用经费"), num("106.32"));
    assert_eq!(cell(t7, row(t7, "30239"), "公用经费"), num("41.70"));
    assert_eq!(cell(t7, row(t7, "30239"), "人员经费"), CellValue::Blank);
    // The label is kept as printed (工作福利支出, a misprint of 工资福利支出).
    assert_eq!(row(t7, "301").label, "工作福利支出");
}

#[test]
fn table_eight_ambiguity_is_reported() {
    let doc = seed();
    let t = table(&doc, "表八");
    let names: Vec<String> = t.columns.iter().map(|c| c.path.join("/")).collect();
    assert_eq!(
        names,
        vec![
            "单位名称",
            "“三公”经费/合计",
            "“三公”经费/因公出国（境）费用",
            "“三公”经费/公务接待费",
            "“三公”经费/公务用车购置和运行费/公务用车购置费",
            "“三公”经费/公务用车购置和运行费/公务用车运行费",
            "会议费",
            "培训费"
        ]
    );
    for r in &t.rows {
        // 合计 = 出国 + 接待 + 购置 + 运行 settles 8.00; 会议费 and 培训费 follow.
        let by_col = |k: usize| r.cells.iter().find(|c| c.column == k).unwrap();
        assert_eq!(by_col(1).value, num("8.00"));
        assert!(matches!(by_col(1).placement, Placement::Inferred { .. }));
        assert_eq!(by_col(6).value, num("30.00"));
        assert_eq!(by_col(7).value, num("36.00"));
        // 5.00 and 3.00 can stand in any two of the four parts: ambiguous, said openly.
        for k in 2..=5 {
            match &by_col(k).placement {
                Placement::Ambiguous { alternatives, .. } => assert_eq!(alternatives.len(), 5),
                other => panic!("column {k}: {other:?}"),
            }
        }
    }
    let warnings: Vec<_> = doc
        .warnings
        .iter()
        .filter(|w| w.code == "ambiguous-placement")
        .collect();
    assert_eq!(warnings.len(), 3);
    assert!(warnings.iter().all(|w| w.message.starts_with("表八")));
    assert!(warnings[0].message.contains("公务接待费、公务用车运行费"));
}

#[test]
fn table_nine_serials_and_bracketed_codes() {
    let doc = seed();
    let t = table(&doc, "表九");
    let office = row(t, "办公费");
    assert_eq!(office.serial.as_deref(), Some("1"));
    assert_eq!(office.code.as_deref(), Some("30201"));
    assert_eq!(cell(t, office, "合计"), num("30.00"));
    assert_eq!(cell(t, office, "基本支出"), num("14.00"));
    assert_eq!(cell(t, office, "项目支出"), num("16.00"));
    // 会议费 is the only two-value row the column totals put under 项目支出.
    assert_eq!(cell(t, row(t, "会议费"), "项目支出"), num("30.00"));
    assert_eq!(cell(t, row(t, "会议费"), "基本支出"), CellValue::Blank);
    for label in ["印刷费", "邮电费", "福利费", "公务用车运行维护费"] {
        let r = row(t, label);
        assert_eq!(cell(t, r, "项目支出"), CellValue::Blank, "{label}");
        assert!(!cell(t, r, "基本支出").eq(&CellValue::Blank), "{label}");
    }
    let water = row(t, "水费");
    assert!(water.cells.iter().all(|c| c.is_blank()));
    assert_eq!(water.serial.as_deref(), Some("3"));
    assert_eq!(t.rows.len(), 16);
}

#[test]
fn empty_tables_ten_and_eleven() {
    let doc = seed();
    for n in ["表十", "表十一"] {
        let t = table(&doc, n);
        assert!(t.is_empty());
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].kind, RowKind::Total);
        assert_eq!(t.columns.len(), 2);
        assert_eq!(t.notes.len(), 1);
    }
}

#[test]
fn performance_forms() {
    let doc = seed();
    let dept = &doc.performance[0];
    assert_eq!(dept.year, Some(2024));
    assert_eq!(
        dept.unit_name.as_deref(),
        Some("临夏市人民代表大会常务委员会办公室")
    );
    assert_eq!(dept.goals.len(), 3);
    assert_eq!(dept.indicators.len(), 6);
    assert_eq!(dept.indicators[0].level2, "人员经费、公用经费预算执行情况");
    assert_eq!(dept.indicators[0].level3, "基本支出预算执行率");
    assert_eq!(dept.indicators[0].value, "95%");
    let b = &dept.budget;
    assert_eq!(b.unit, Some(Unit::WanYuan));
    // Printed as is: 合计 721.07 (the parts add to 821.07; that is for the rules to find).
    assert_eq!(cell(b, row(b, "合计"), "预算金额"), num("721.07"));
    assert_eq!(
        row(b, "当年财政拨款").group.as_deref(),
        Some("按来源类型分")
    );
    assert_eq!(
        row(b, "收入预算合计").group.as_deref(),
        Some("按来源类型分")
    );
    assert_eq!(row(b, "项目支出").group.as_deref(), Some("按支出类型分"));

    // The acceptance example: 年度资金总额 750000 with the unit its header states (万元).
    let f = doc
        .performance
        .iter()
        .find(|f| f.project_name.as_deref() == Some("2024 年度人大代表履职补助"))
        .unwrap();
    let b = &f.budget;
    let total = row(b, "年度资金总额");
    let c = total.cells.iter().find(|c| !c.is_blank()).unwrap();
    assert_eq!(c.value, num("750000"));
    assert_eq!(b.amount(c).unwrap().unit, Unit::WanYuan);
    assert_eq!(at(c.loc.as_ref().unwrap()), "750000");
    let grant = b
        .rows
        .iter()
        .find(|r| r.label.ends_with("当年财政拨款"))
        .unwrap();
    assert_eq!(grant.parent, Some(0));
    assert_eq!(f.goals.len(), 1);
    assert_eq!(f.goals[0].text, "2024 年度人大代表履职补助，总金额 75万元");
    let levels: Vec<(&str, &str, &str, &str)> = f
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1.as_str(),
                i.level2.as_str(),
                i.level3.as_str(),
                i.value.as_str(),
            )
        })
        .collect();
    assert_eq!(
        levels,
        vec![
            ("成本指标", "经济成本指标", "代表及委员发放标准", "685 元"),
            ("产出指标", "数量指标", "无固定收入的委员人大代表", "94 人"),
            (
                "效益指标",
                "社会效益指标",
                "对无固定收入代表及委员的最低生活保障",
                "90%"
            ),
            (
                "满意度指标",
                "服务对象满意度指标",
                "服务对象满意度指标",
                "95%"
            ),
        ]
    );
}

#[test]
fn every_cell_location_points_at_its_value() {
    let doc = seed();
    let tables = doc
        .tables
        .iter()
        .chain(doc.performance.iter().map(|f| &f.budget));
    let mut n = 0;
    for t in tables {
        for r in &t.rows {
            for c in &r.cells {
                match (&c.value, &c.loc) {
                    (CellValue::Blank, None) => {}
                    (CellValue::Number(v), Some(loc)) => {
                        assert_eq!(d(at(loc)), *v, "{} {}", t.title, r.label);
                        n += 1;
                    }
                    (v, loc) => panic!("{} {}: {v:?} at {loc:?}", t.title, r.label),
                }
            }
        }
    }
    // Every amount printed in a table or form budget (checked against the source: the other
    // numbers of those lines are codes, serials, column numbers and indicator values).
    assert_eq!(n, 199);
}

// ------------------------------------------------------------------ the mechanism on other tables

#[test]
fn column_sums_place_values_in_another_table() {
    // Not the seed: codes, yuan with thousands separators, a numbered title without 、.
    let text = "表1 一般公共预算基本支出情况表\n单位：元\n科目编码 科目名称 合计 人员经费 公用经费\n总计 1,500.00 1,000.00 500.00\n301 工资福利支出 1,000.00 1,000.00\n30101 基本工资 600.00 600.00\n30102 津贴补贴 400.00 400.00\n302 商品和服务支出 500.00 500.00\n30201 办公费 500.00 500.00\n";
    let doc = read_str("t.txt", text, &Options::default());
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    let t = &doc.tables[0];
    assert_eq!(t.unit, Some(Unit::Yuan));
    assert_eq!(cell(t, row(t, "301"), "人员经费"), num("1000.00"));
    assert_eq!(cell(t, row(t, "30102"), "人员经费"), num("400.00"));
    assert_eq!(cell(t, row(t, "302"), "公用经费"), num("500.00"));
    assert_eq!(cell(t, row(t, "30201"), "公用经费"), num("500.00"));
    assert_eq!(cell(t, row(t, "30201"), "人员经费"), CellValue::Blank);
}

#[test]
fn ambiguity_is_reported_not_guessed() {
    // Two rows, no hierarchy, no total: nothing says whether 10.00 is 基本 or 项目.
    let text = "表2 支出表\n单位：万元\n项目 合计 基本支出 项目支出\n甲 10.00 10.00\n乙 20.00 7.00 13.00\n";
    let doc = read_str("t.txt", text, &Options::default());
    let t = &doc.tables[0];
    let a = row(t, "甲");
    // 合计 is known in every placement; the second value is not.
    assert!(matches!(a.cells[0].placement, Placement::Inferred { .. }));
    match &a.cells[1].placement {
        Placement::Ambiguous { alternatives, .. } => {
            assert_eq!(alternatives, &vec![vec![1, 3]]);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        row(t, "乙")
            .cells
            .iter()
            .all(|c| c.placement == Placement::Direct)
    );
    assert_eq!(doc.warnings.len(), 1);
    assert_eq!(doc.warnings[0].code, "ambiguous-placement");
    assert!(doc.warnings[0].message.contains("基本支出"));
    assert!(doc.warnings[0].message.contains("项目支出"));
}

#[test]
fn a_total_row_settles_its_items() {
    // The same two rows under a total: 甲 must be 项目支出 for the columns to add up.
    let text = "表2 支出表\n单位：万元\n项目 合计 基本支出 项目支出\n合计 30.00 7.00 23.00\n甲 10.00 10.00\n乙 20.00 7.00 13.00\n";
    let doc = read_str("t.txt", text, &Options::default());
    // Without classification the total does not sum the rows (their hierarchy is unknown):
    // still ambiguous, and said so.
    assert_eq!(doc.warnings.len(), 1);
    let text = "表2 支出表\n单位：万元\n科目编码 科目名称 合计 基本支出 项目支出\n总计 30.00 7.00 23.00\n30201 办公费 10.00 10.00\n30202 印刷费 20.00 7.00 13.00\n";
    let doc = read_str("t.txt", text, &Options::default());
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    let t = &doc.tables[0];
    assert_eq!(cell(t, row(t, "办公费"), "项目支出"), num("10.00"));
    assert_eq!(cell(t, row(t, "办公费"), "基本支出"), CellValue::Blank);
}

#[test]
fn the_narrative_after_a_table_is_not_its_rows() {
    // A note below the table closes it: the heading and text after it are the narrative's.
    let text = "表9 “三公”经费预算表\n单位：万元\n项目 合计 公务接待费\n合计 1.00 1.00\n注：本表反映“三公”经费预算。\n一、“三公”经费预算情况说明\n“三公”经费预算数为1.00万元。\n";
    let doc = read_str("t.txt", text, &Options::default());
    let t = &doc.tables[0];
    assert_eq!(t.rows.len(), 1, "{:?}", t.rows);
    assert_eq!(t.notes.len(), 1);
    let titles: Vec<&str> = doc.sections.iter().map(|s| s.title.as_str()).collect();
    assert!(
        titles.iter().any(|t| t.contains("“三公”经费预算情况说明")),
        "{titles:?}"
    );
    // Without a note, lines without a value between the last valued row and the prose that
    // ends the table (a heading, a sentence going on after its full stop) are the narrative's.
    let text = "表9 “三公”经费预算表\n单位：万元\n项目 合计 公务接待费\n合计 1.00 1.00\n其他相关情况说明\n一、2025年“三公”经费预算情况说明\n2025年“三公”经费预算数为1.00万元，与上年持平。其中：\n（一）公务接待费1.00万元，与上年持平。\n";
    let doc = read_str("t.txt", text, &Options::default());
    let t = &doc.tables[0];
    assert_eq!(t.rows.len(), 1, "{:?}", t.rows);
    let titles: Vec<&str> = doc.sections.iter().map(|s| s.title.as_str()).collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains("2025年“三公”经费预算情况说明")),
        "{titles:?}"
    );
}

// ------------------------------------------------------------------ encodings

#[test]
fn gbk_crlf_and_bom_read_the_same() {
    let utf8 = seed();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(SEED);
    assert!(!unmappable);
    let doc = read_text("gbk.txt", &gbk, &Options::default()).unwrap();
    assert_eq!(doc.tables, utf8.tables);
    assert_eq!(doc.sections, utf8.sections);
    assert_eq!(doc.performance, utf8.performance);
    assert_eq!(doc.warnings[0].code, "encoding");

    let crlf = SEED.replace('\n', "\r\n");
    let doc = read_text("crlf.txt", crlf.as_bytes(), &Options::default()).unwrap();
    let cells = |d: &Document| -> Vec<(u32, u32, CellValue)> {
        d.tables
            .iter()
            .flat_map(|t| &t.rows)
            .flat_map(|r| &r.cells)
            .map(|c| {
                let l = c.loc.unwrap_or_default();
                (l.line, l.column, c.value.clone())
            })
            .collect()
    };
    assert_eq!(cells(&doc), cells(&utf8));

    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(SEED.as_bytes());
    let doc = read_text("bom.txt", &bom, &Options::default()).unwrap();
    assert_eq!(doc.tables, utf8.tables);

    // `ingest_text` gives the same document and the decoded text its locations point into.
    for (name, bytes) in [("gbk.txt", gbk.to_vec()), ("bom.txt", bom)] {
        let ingested = shenhe_ingest::ingest_text(name, &bytes, &Options::default()).unwrap();
        assert_eq!(ingested.source, SEED, "{name}");
        assert_eq!(
            ingested.document,
            read_text(name, &bytes, &Options::default()).unwrap()
        );
    }
}

#[test]
fn full_width_numbers_in_a_table() {
    let text = "表一、部门支出总体情况表\n单位：万元\n项目 合计 基本支出 项目支出\n总计 １，２３４．５６ ８００ ４３４．５６\n甲 （１２．００） （１２．００）\n";
    let doc = read_str("fw.txt", text, &Options::default());
    let t = &doc.tables[0];
    assert_eq!(cell(t, &t.rows[0], "合计"), num("1234.56"));
    assert_eq!(cell(t, &t.rows[0], "项目支出"), num("434.56"));
    assert_eq!(cell(t, &t.rows[1], "合计"), num("-12.00"));
}

// ------------------------------------------------------------------ bad input

#[test]
fn empty_and_blank_files_are_errors() {
    let e = read_text("a.txt", b"", &Options::default()).unwrap_err();
    assert!(matches!(e, IngestError::Empty { .. }));
    assert!(e.to_string().contains("文件为空"), "{e}");
    let e = read_text("a.txt", b"\xEF\xBB\xBF \r\n\t\n", &Options::default()).unwrap_err();
    assert!(matches!(e, IngestError::Blank { .. }), "{e:?}");
}

#[test]
fn binary_junk_is_an_error_saying_where() {
    // Deterministic pseudo-random bytes.
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let junk: Vec<u8> = (0..20_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let e = read_text("junk.bin", &junk, &Options::default()).unwrap_err();
    match &e {
        IngestError::Binary { line, column, .. } => assert!(*line >= 1 && *column >= 1),
        other => panic!("{other:?}"),
    }
    let msg = e.to_string();
    assert!(
        msg.contains("junk.bin") && msg.contains("不是可读的文本"),
        "{msg}"
    );
    // Text with a few NUL bytes inside is binary too.
    let mut t = SEED.as_bytes().to_vec();
    t.insert(100, 0);
    assert!(matches!(
        read_text("nul.txt", &t, &Options::default()),
        Err(IngestError::Binary { offset: 100, .. })
    ));
    // A PDF given as text.
    let e = read_text("x.pdf", b"%PDF-1.7\n%\xE2\xE3", &Options::default()).unwrap_err();
    assert!(matches!(e, IngestError::NotText { .. }));
}

#[test]
fn truncated_text_gives_a_partial_model() {
    let bytes = SEED.as_bytes();
    // Cut at many places, including inside multi-byte characters.
    for cut in (1000..bytes.len()).step_by(997) {
        let doc = read_text("cut.txt", &bytes[..cut], &Options::default()).unwrap();
        if std::str::from_utf8(&bytes[..cut]).is_err() {
            assert_eq!(doc.warnings[0].code, "truncated", "cut at {cut}");
        }
        // Whatever was read is a prefix of the full model's tables.
        let full = seed();
        for (t, f) in doc.tables.iter().zip(&full.tables) {
            assert_eq!(t.title, f.title);
        }
    }
    // Cut inside 表五 (line 649): tables up to 表五 are there, 表五 partially.
    let cut = SEED
        .find("临夏市人民代表大会常务委员会办公室 990.07 990.07 821.07")
        .unwrap();
    let doc = read_text("cut.txt", &bytes[..cut], &Options::default()).unwrap();
    assert_eq!(doc.tables.len(), 5);
    assert_eq!(doc.tables[4].rows.len(), 1);
    assert!(doc.performance.is_empty());
}

#[test]
fn fifty_megabytes() {
    let mut big = String::with_capacity(50 * 1024 * 1024 + SEED.len());
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(SEED);
    }
    let e = read_text("big.txt", big.as_bytes(), &Options::default()).unwrap_err();
    assert!(matches!(e, IngestError::TooLarge { .. }));
    assert!(e.to_string().contains("文件过大"), "{e}");
    // With a higher limit a 50 MB line without a single break is read (linearly) too.
    let line = "合计 1.00 ".repeat(5 * 1024 * 1024);
    let opts = Options {
        max_bytes: 64 * 1024 * 1024,
        ..Options::default()
    };
    let doc = read_text("line.txt", line.as_bytes(), &opts).unwrap();
    assert!(doc.tables.is_empty());
    assert!(doc.warnings.iter().any(|w| w.code == "no-tables"));
}

#[test]
fn mangled_seed_never_panics() {
    let lines: Vec<&str> = SEED.lines().collect();
    let mut x: u64 = 42;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..60 {
        let mut out: Vec<String> = Vec::with_capacity(lines.len());
        for l in &lines {
            match next() % 23 {
                0 => {}
                1 => out.push(l.chars().rev().collect()),
                2 => out.push(format!("{l} {l}")),
                3 => out.push(l.replace(' ', "")),
                4 => out.push(l.replace('.', "")),
                _ => out.push((*l).to_string()),
            }
        }
        let text = out.join("\n");
        let _ = read_str("mangled.txt", &text, &Options::default());
    }
}

// ------------------------------------------------------------------ one cell per line

/// Text that prints a table one cell per line, in the PDF's drawing order (`pdftotext -raw`;
/// cut from the planning bureau's 2024 final accounts in `tests/corpus/raw/`): a header whose
/// cells stand on lines of their own, two sides included; rows whose code, name pieces and
/// numbers stand on consecutive lines; rows of the right side alone on their lines.
#[test]
fn tables_printed_one_cell_per_line() {
    let text = include_str!("../fixtures/one-cell-per-line.txt");
    let doc = read_str("t.txt", text, &Options::default());
    let by_title = |title: &str| {
        doc.tables
            .iter()
            .find(|t| t.title == title)
            .unwrap_or_else(|| panic!("no table {title}"))
    };

    // One side: a code alone on its line is the first row, not the header's; the name's
    // pieces and the numbers below join it.
    let t = by_title("一般公共预算财政拨款支出决算表");
    let rows: Vec<(Option<&str>, &str)> = t
        .rows
        .iter()
        .map(|r| (r.code.as_deref(), r.label.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (Some("208"), "社会保障和就业支出"),
            (Some("20805"), "行政事业单位养老支出"),
            (Some("2080501"), "行政单位离退休"),
            (Some("2080505"), "机关事业单位基本养老保险缴费支出"),
            (None, "合计"),
        ]
    );
    assert!(
        t.columns.iter().all(|c| c.name() != "208"),
        "{:?}",
        t.columns
    );
    assert_eq!(cell(t, &t.rows[0], "合计"), num("754.75"));
    assert_eq!(cell(t, &t.rows[3], "基本支出"), num("700.22"));
    // The joined name is located from its first piece to its last.
    let loc = t.rows[0].loc;
    assert_eq!(
        text.get(loc.offset as usize..(loc.offset + loc.len) as usize),
        Some("社会保障和就\n业支出")
    );

    // Two sides from a header printed one cell per line (`经济分类` / `科目编码` is one code
    // column's name).
    let t = by_title("一般公共预算财政拨款基本支出决算表");
    let amounts: Vec<String> = t
        .columns
        .iter()
        .filter(|c| c.kind == shenhe_model::ColumnKind::Amount)
        .map(|c| c.name().to_string())
        .collect();
    assert_eq!(amounts, ["决算数", "决算数"]);
    let code_cols = t
        .columns
        .iter()
        .filter(|c| c.kind == shenhe_model::ColumnKind::Code)
        .count();
    assert_eq!(code_cols, 2);
    let side = |label: &str| row(t, label).group.clone();
    assert_ne!(side("基本工资"), side("办公费"));
    // The stacked row joins on the left; the line's second segment is the right side's.
    assert_eq!(
        row(t, "机关事业单位基本养老保险缴费").code.as_deref(),
        Some("30108")
    );
    assert_eq!(side("机关事业单位基本养老保险缴费"), side("基本工资"));
    assert_eq!(
        cell(t, row(t, "机关事业单位基本养老保险缴费"), "决算数"),
        num("446.11")
    );
    assert_eq!(side("电费"), side("办公费"));
    // A row alone on its line goes to the side whose last code shares its parent (30299
    // after 30206, not 30108), and the next one follows it.
    assert_eq!(side("其他商品和服务支出"), side("办公费"));
    assert_eq!(side("资本性支出"), side("办公费"));
}

/// Text that gives a table column by column (`pdftotext` without `-layout`; the first table of
/// Wanli's 2024 budget in `tests/corpus/plain/`): 6 of the 19 rows it reads hold numbers and
/// no name (the six lines of numbers alone), so one
/// warning about the whole document says the tables cannot be rebuilt; a text that keeps its
/// rows (the seed, the cell-per-line fixture) gets none.
#[test]
fn tables_given_column_by_column_are_reported_once() {
    let text = include_str!("../fixtures/columns-in-blocks.txt");
    let doc = read_str("t.txt", text, &Options::default());
    let about: Vec<&shenhe_model::IngestWarning> =
        doc.warnings.iter().filter(|w| w.about_document()).collect();
    assert_eq!(about.len(), 1, "{:?}", doc.warnings);
    let w = about[0];
    assert_eq!(w.code, shenhe_model::IngestWarning::TEXT_FORM);
    assert!(
        w.message.starts_with(
            "一张表有许多行只有数、没有名称（“2024年部门财务收支预算总表”19 行中有 6 行）"
        ),
        "{}",
        w.message
    );
    assert!(w.message.contains("pdftotext -layout"), "{}", w.message);
    let loc = w.loc.expect("located at the table's title");
    assert_eq!(
        text.get(loc.offset as usize..(loc.offset + loc.len) as usize),
        Some("2024年部门财务收支预算总表")
    );

    for (name, text) in [
        (SEED_NAME, SEED),
        ("c.txt", include_str!("../fixtures/one-cell-per-line.txt")),
    ] {
        let doc = read_str(name, text, &Options::default());
        assert!(
            doc.warnings.iter().all(|w| !w.about_document()),
            "{name}: {:?}",
            doc.warnings
        );
    }
    // A text without tables is told by its own warning, counted like the others.
    let doc = read_str("n.txt", "只有一段说明文字。\n", &Options::default());
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.code == "no-tables" && !w.about_document())
    );
}
