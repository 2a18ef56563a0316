//! PDF ingest on the real corpus (`tests/corpus/`): a snapshot of each extracted model, cells
//! checked against values read by hand from the rendered pages, and bad PDFs.

// Test helpers outside `#[test]` functions: failing loudly is their job.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;

use shenhe_ingest::{IngestError, Options, read_bytes, read_pdf};
use shenhe_model::{Document, RowKind, Section, Table};

use crate::{corpus, value};

fn read(name: &str) -> Document {
    read_pdf(name, &corpus(name), &Options::default()).unwrap()
}

// ------------------------------------------------------------------ compact rendering

fn render_table(out: &mut String, t: &Table) {
    let number = t.number.as_ref().map(|n| n.printed.as_str()).unwrap_or("");
    let _ = writeln!(
        out,
        "\n## {number} {} [{}] 单位={} 第{}页 行{}",
        t.title,
        t.role.as_deref().unwrap_or("-"),
        t.unit.map(|u| u.name()).unwrap_or("-"),
        t.loc.page.unwrap_or(0),
        t.loc.line
    );
    if let Some(p) = &t.preparer {
        let _ = writeln!(out, "  编制单位={} 行{}", p.name, p.loc.line);
    }
    for (i, c) in t.columns.iter().enumerate() {
        let _ = writeln!(
            out,
            "  列{i} {:?} {}{}{}",
            c.kind,
            c.path.join("/"),
            c.group
                .as_deref()
                .map(|g| format!(" ({g})"))
                .unwrap_or_default(),
            c.number
                .as_deref()
                .map(|n| format!(" #{n}"))
                .unwrap_or_default()
        );
    }
    for (i, r) in t.rows.iter().enumerate() {
        let cells: Vec<String> = r.cells.iter().map(|c| value(&c.value)).collect();
        let _ = writeln!(
            out,
            "  {i:>3} {}{}{}{}{} :: {}",
            r.group
                .as_deref()
                .map(|g| format!("[{g}] "))
                .unwrap_or_default(),
            r.code
                .as_deref()
                .map(|c| format!("{c} "))
                .unwrap_or_default(),
            r.label,
            if r.kind == RowKind::Total {
                " (合计行)"
            } else {
                ""
            },
            r.parent.map(|p| format!(" ^{p}")).unwrap_or_default(),
            cells.join(" | ")
        );
    }
    for n in &t.notes {
        let _ = writeln!(out, "  注记：{}", n.text);
    }
}

fn render_sections(out: &mut String, sections: &[Section], depth: usize) {
    for s in sections {
        let facts: usize = s.paragraphs.iter().map(|p| p.facts.len()).sum();
        let _ = writeln!(
            out,
            "{}§ {}{} （{} 段，{} 个数字，第{}页）",
            "  ".repeat(depth),
            s.number.as_deref().unwrap_or(""),
            s.title,
            s.paragraphs.len(),
            facts,
            s.loc.page.unwrap_or(0)
        );
        render_sections(out, &s.children, depth + 1);
    }
}

fn render(doc: &Document) -> String {
    let m = &doc.meta;
    let mut out = format!(
        "标题：{}\n年度：{:?}  类型：{}  单位：{}  模板：{}  页数：{:?}\n",
        m.title.as_deref().unwrap_or("-"),
        m.year,
        m.kind.map(|k| k.name()).unwrap_or("-"),
        m.unit_name.as_deref().unwrap_or("-"),
        m.template.as_deref().unwrap_or("-"),
        m.pages
    );
    for w in &doc.warnings {
        let _ = writeln!(out, "警告 {}：{}", w.code, w.message);
    }
    for t in &doc.tables {
        render_table(&mut out, t);
    }
    out.push_str("\n# 说明部分\n");
    render_sections(&mut out, &doc.sections, 0);
    out
}

macro_rules! snapshot_test {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            let doc = read($file);
            crate::snapshot_settings().bind(|| {
                insta::assert_snapshot!(concat!("pdf__", stringify!($test)), render(&doc));
            });
        }
    };
}

snapshot_test!(
    model_wanli_2024_budget,
    "sh_putuo_wanli_jiedao_2024_dept_budget.pdf"
);
snapshot_test!(
    model_commerce_2025_budget,
    "sh_putuo_commerce_2025_dept_budget.pdf"
);
snapshot_test!(
    model_welfare_2024_unit_budget,
    "sh_putuo_social_welfare_home_2024_unit_budget.pdf"
);
snapshot_test!(
    model_planning_2024_final,
    "sh_putuo_planning_resources_2024_dept_final.pdf"
);
snapshot_test!(
    model_social_work_2024_final,
    "sh_putuo_social_work_dept_2024_dept_final.pdf"
);
snapshot_test!(
    model_swu_2021_budget,
    "cq_swu_university_2021_dept_budget.pdf"
);
snapshot_test!(
    model_swu_2023_final,
    "cq_swu_university_2023_dept_final.pdf"
);

// ------------------------------------------------------------------ hand-read cells

/// The printed value of a cell: table by role, row by code or name (within `group` when
/// given), column by name or path (`事业收入.金额`). Thousands separators in `expected` are
/// ignored (the model keeps the exact number); an empty `expected` means a blank cell.
#[track_caller]
fn check(doc: &Document, role: &str, group: Option<&str>, row: &str, col: &str, expected: &str) {
    let t = doc
        .tables
        .iter()
        .find(|t| t.role.as_deref() == Some(role))
        .unwrap_or_else(|| panic!("no table with role {role}"));
    // An empty name stands for the row without a label (the data line of a 三公 table).
    let named = if row.is_empty() {
        (0..t.rows.len())
            .filter(|&i| t.rows[i].label.is_empty())
            .collect()
    } else {
        t.rows_named(row)
    };
    let rows: Vec<usize> = named
        .into_iter()
        .filter(|&i| group.is_none() || t.rows[i].group.as_deref() == group)
        .collect();
    assert_eq!(
        rows.len(),
        1,
        "{role}: row {row} ({group:?}) found {rows:?}"
    );
    let r = &t.rows[rows[0]];
    let cols: Vec<usize> = t
        .columns_named(col)
        .into_iter()
        .filter(|&i| group.is_none() || t.columns[i].group.as_deref() == group)
        .collect();
    assert_eq!(
        cols.len(),
        1,
        "{role}: column {col} ({group:?}) found {cols:?}"
    );
    let cell = r
        .cell(cols[0])
        .unwrap_or_else(|| panic!("{role}: row {row} has no cell in column {col}"));
    let want = expected.replace(',', "");
    assert_eq!(value(&cell.value), want, "{role} / {row} / {col}");
    if !want.is_empty() {
        let loc = cell.loc.expect("a printed cell has a location");
        assert!(loc.page.is_some() && loc.bbox.is_some(), "{loc:?}");
    }
}

/// The only amount column of a one-value-column block (two-sided and two-up tables).
#[track_caller]
fn check_side(doc: &Document, role: &str, group: &str, row: &str, expected: &str) {
    let t = doc
        .tables
        .iter()
        .find(|t| t.role.as_deref() == Some(role))
        .unwrap();
    let amount_cols: Vec<&str> = t
        .columns
        .iter()
        .filter(|c| c.group.as_deref() == Some(group) && c.kind == shenhe_model::ColumnKind::Amount)
        .map(|c| c.name())
        .collect();
    assert_eq!(amount_cols.len(), 1, "{role} {group}: {amount_cols:?}");
    check(doc, role, Some(group), row, amount_cols[0], expected);
}

#[test]
fn wanli_2024_budget_cells() {
    let d = read("sh_putuo_wanli_jiedao_2024_dept_budget.pdf");
    // Page 10, two-sided 财务收支预算总表.
    check_side(
        &d,
        "收支总表",
        "本年收入",
        "一、财政拨款收入",
        "156,211,123",
    );
    check_side(
        &d,
        "收支总表",
        "本年支出",
        "六、社会保障和就业支出",
        "19,604,064",
    );
    check_side(
        &d,
        "收支总表",
        "本年支出",
        "八、城乡社区支出",
        "119,385,303",
    );
    check_side(&d, "收支总表", "本年收入", "收入总计", "156,211,123");
    // Page 11, codes split over 类/款/项.
    check(&d, "收入总表", None, "2010507", "合计", "257,700");
    check(&d, "收入总表", None, "20133", "财政拨款收入", "1,106,000");
    check(&d, "收入总表", None, "20133", "事业收入", "0");
    // Page 29: 款 printed `2` stands for 02.
    check(&d, "基本支出表", None, "30102", "合计", "16,623,810");
    check(&d, "基本支出表", None, "30201", "公用经费", "4,755,518");
    check(&d, "基本支出表", None, "302", "人员经费", "0");
    check(&d, "基本支出表", None, "30199", "人员经费", "40,683,477");
    // Page 31, 三公 in 万元 with a header tree.
    let sangong = d
        .tables
        .iter()
        .find(|t| t.role.as_deref() == Some("三公经费表"))
        .unwrap();
    assert_eq!(sangong.unit, Some(shenhe_model::Unit::WanYuan));
    check(
        &d,
        "三公经费表",
        None,
        "",
        "2024年“三公”经费预算数.合计",
        "47.91",
    );
    check(&d, "三公经费表", None, "", "公务接待费", "1.35");
    check(&d, "三公经费表", None, "", "购置费", "25");
    check(&d, "三公经费表", None, "", "运行费", "21.56");
    check(
        &d,
        "三公经费表",
        None,
        "",
        "2024年机关运行经费预算数",
        "443.18",
    );
}

#[test]
fn commerce_2025_budget_cells() {
    let d = read("sh_putuo_commerce_2025_dept_budget.pdf");
    // Page 9, two-sided.
    check_side(
        &d,
        "收支总表",
        "本年收入",
        "一、财政拨款收入",
        "371,514,655.00",
    );
    check_side(&d, "收支总表", "本年收入", "二、事业收入", "");
    check_side(
        &d,
        "收支总表",
        "本年支出",
        "三、社会保障和就业支出",
        "3,808,085.00",
    );
    check_side(
        &d,
        "收支总表",
        "本年支出",
        "五、资源勘探工业信息等支出",
        "293,810,000.00",
    );
    check_side(&d, "收支总表", "本年支出", "支出总计", "371,514,655.00");
    // Page 19.
    check(&d, "基本支出表", None, "30102", "人员经费", "7,533,376.00");
    check(&d, "基本支出表", None, "30101", "人员经费", "1,952,616.00");
    check(&d, "基本支出表", None, "302", "公用经费", "1,632,062.00");
    check(&d, "基本支出表", None, "302", "人员经费", "");
    check(&d, "基本支出表", None, "30201", "合计", "273,900.00");
    // Page 21.
    check(&d, "三公经费表", None, "", "“三公”经费预算数.合计", "1.00");
    check(&d, "三公经费表", None, "", "公务接待费", "1.00");
    check(&d, "三公经费表", None, "", "因公出国(境)费", "");
    check(&d, "三公经费表", None, "", "机关运行经费预算数", "171.01");
    // Empty tables keep their note.
    let fund = d
        .tables
        .iter()
        .find(|t| t.role.as_deref() == Some("政府性基金表"))
        .unwrap();
    assert!(fund.is_empty());
    assert!(fund.notes.iter().any(|n| n.text.contains("本表为空表")));
}

#[test]
fn welfare_2024_unit_budget_cells() {
    let d = read("sh_putuo_social_welfare_home_2024_unit_budget.pdf");
    assert_eq!(d.meta.kind, Some(shenhe_model::DocKind::UnitBudget));
    // Page 7, two-sided with a header tree on the 支出 side.
    check_side(&d, "收支总表", "本年收入", "一、财政拨款收入", "9,501,164");
    check_side(&d, "收支总表", "本年收入", "二、事业收入", "2,620,000");
    check(
        &d,
        "收支总表",
        Some("本年支出"),
        "二、社会保障和就业支出",
        "预算数.合计",
        "11,281,624",
    );
    check(
        &d,
        "收支总表",
        Some("本年支出"),
        "二、社会保障和就业支出",
        "人员经费",
        "6,540,674",
    );
    check(
        &d,
        "收支总表",
        Some("本年支出"),
        "二、社会保障和就业支出",
        "公用经费",
        "2,120,950",
    );
    check(
        &d,
        "收支总表",
        Some("本年支出"),
        "二、社会保障和就业支出",
        "项目支出",
        "2,620,000",
    );
    check(
        &d,
        "收支总表",
        Some("本年支出"),
        "支出总计",
        "预算数.合计",
        "12,121,164",
    );
    // Page 14.
    check(&d, "基本支出表", None, "30107", "合计", "3,580,522");
    check(&d, "基本支出表", None, "30209", "公用经费", "1,206,000");
    check(&d, "基本支出表", None, "30301", "人员经费", "421,800");
    check(&d, "基本支出表", None, "合计", "人员经费", "7,380,214");
    // Page 15.
    check(
        &d,
        "三公经费表",
        None,
        "",
        "2024年“三公”经费预算数.合计",
        "6.4",
    );
    check(&d, "三公经费表", None, "", "运行费", "6.4");
    check(&d, "三公经费表", None, "", "购置费", "");
    check(&d, "三公经费表", None, "", "2024年机关运行经费预算数", "0");
}

#[test]
fn planning_2024_final_cells() {
    let d = read("sh_putuo_planning_resources_2024_dept_final.pdf");
    // Page 7, two-sided 收入支出决算总表.
    check_side(
        &d,
        "收支总表",
        "收入",
        "一、一般公共预算财政拨款收入",
        "9746.50",
    );
    check_side(&d, "收支总表", "支出", "八、社会保障和就业支出", "754.75");
    check_side(&d, "收支总表", "支出", "十一、城乡社区支出", "3845.25");
    check_side(&d, "收支总表", "收入", "年初结转和结余", "112.88");
    check_side(&d, "收支总表", "支出", "年末结转和结余", "100.00");
    check_side(&d, "收支总表", "收入", "总计", "9859.38");
    check_side(&d, "收支总表", "支出", "总计", "9859.38");
    // Page 16, 基本支出 printed two-up: 人员经费 | 公用经费 blocks.
    check_side(&d, "基本支出表", "人员经费", "301", "4816.14");
    check_side(&d, "基本支出表", "人员经费", "30108", "446.11");
    check_side(&d, "基本支出表", "人员经费", "人员经费合计", "4884.09");
    check_side(&d, "基本支出表", "公用经费", "30201", "84.62");
    check_side(&d, "基本支出表", "公用经费", "31002", "39.76");
    check_side(&d, "基本支出表", "公用经费", "30239", "33.50");
    check_side(&d, "基本支出表", "公用经费", "公用经费合计", "480.66");
    // Page 17, 三公 with 预算数/决算数 column pairs.
    check(
        &d,
        "三公经费表",
        None,
        "",
        "财政拨款“三公”经费.合计.预算数",
        "2.85",
    );
    check(
        &d,
        "三公经费表",
        None,
        "",
        "财政拨款“三公”经费.合计.决算数",
        "0.39",
    );
    check(
        &d,
        "三公经费表",
        None,
        "",
        "财政拨款“三公”经费.公务接待费.预算数",
        "2.85",
    );
    check(
        &d,
        "三公经费表",
        None,
        "",
        "财政拨款“三公”经费.公务接待费.决算数",
        "0.39",
    );
}

#[test]
fn social_work_2024_final_cells() {
    let d = read("sh_putuo_social_work_dept_2024_dept_final.pdf");
    // Page 5, two-sided.
    check_side(
        &d,
        "收支总表",
        "收入",
        "一、一般公共预算财政拨款收入",
        "307.82",
    );
    check_side(&d, "收支总表", "支出", "一、一般公共服务支出", "264.87");
    check_side(&d, "收支总表", "支出", "八、社会保障和就业支出", "10.82");
    check_side(&d, "收支总表", "支出", "九、卫生健康支出", "2.71");
    check_side(&d, "收支总表", "支出", "十九、住房保障支出", "29.42");
    check_side(&d, "收支总表", "支出", "总计", "307.82");
    // Page 13, two-up.
    check_side(&d, "基本支出表", "人员经费", "301", "95.36");
    check_side(&d, "基本支出表", "人员经费", "30102", "39.72");
    check_side(&d, "基本支出表", "人员经费", "30113", "17.70");
    check_side(&d, "基本支出表", "人员经费", "30110", "2.71");
    check_side(&d, "基本支出表", "公用经费", "302", "10.23");
    check_side(&d, "基本支出表", "公用经费", "30201", "3.78");
    check_side(&d, "基本支出表", "公用经费", "30239", "2.43");
    check_side(&d, "基本支出表", "公用经费", "公用经费合计", "10.23");
    // Page 14: the 三公 table is empty and says why.
    let sangong = d
        .tables
        .iter()
        .find(|t| t.role.as_deref() == Some("三公经费表"))
        .unwrap();
    assert!(sangong.is_empty());
    assert!(
        sangong
            .notes
            .iter()
            .any(|n| n.text.contains("故本表无数据"))
    );
}

#[test]
fn swu_2021_budget_cells() {
    let d = read("cq_swu_university_2021_dept_budget.pdf");
    assert_eq!(d.meta.template.as_deref(), Some("高校-4表"));
    // Page 6, two-sided, continued on page 7.
    check_side(&d, "收支总表", "收入", "一、财政拨款", "216,552.53");
    check_side(&d, "收支总表", "支出", "一、教育支出", "398,593.09");
    check_side(&d, "收支总表", "收入", "本年收入合计", "390,140.45");
    check_side(&d, "收支总表", "收入", "上年结转", "81,714.17");
    check_side(&d, "收支总表", "收入", "收入总计", "490,808.40");
    check_side(&d, "收支总表", "支出", "支出总计", "490,808.40");
    // Page 7.
    check(
        &d,
        "收入总表",
        None,
        "2050205",
        "本年收入合计",
        "352,132.88",
    );
    check(
        &d,
        "收入总表",
        None,
        "2050205",
        "事业收入.金额",
        "122,820.47",
    );
    check(
        &d,
        "收入总表",
        None,
        "2050205",
        "其中：教育收费",
        "73,820.47",
    );
    // Page 8.
    check(&d, "支出总表", None, "2050204", "项目支出", "1,529.84");
    check(&d, "支出总表", None, "合计", "基本支出", "326,582.94");
    check(&d, "支出总表", None, "2210201", "合计", "15,076.55");
}

/// The SWU 2021 narrative is set in a larger size than its first pages and wraps lines
/// mid-word; a line running to the right edge of the text block goes on in the next line
/// however short its text (the first lines are indented and hold wide digits).
#[test]
fn swu_2021_paragraphs_run_on_at_the_right_edge() {
    let d = read("cq_swu_university_2021_dept_budget.pdf");
    let mut paragraphs: Vec<&str> = Vec::new();
    fn walk<'a>(sections: &'a [Section], out: &mut Vec<&'a str>) {
        // The table of contents is a list of entries, not sentences.
        for s in sections.iter().filter(|s| s.title != "目录") {
            out.extend(s.paragraphs.iter().map(|p| p.text.as_str()));
            walk(&s.children, out);
        }
    }
    walk(&d.sections, &mut paragraphs);
    assert!(paragraphs.contains(
        &"我校2021年收支总预算490,808.40万元，其中本年收入预算390,140.45万元，使用非财政拨款结余18,953.73万元，上年结转81,714.17万元；本年支出预算415,808.40万元，结转下年75,000.00万元。"
    ));
    assert!(paragraphs.contains(&"1.财政拨款收入：指中央财政当年通过部门预算拨付的资金。"));
    // No sentence is cut: every paragraph of the explanation ends a sentence (charts' labels
    // and numbers aside).
    let cut: Vec<&&str> = paragraphs
        .iter()
        .filter(|p| p.chars().count() >= 15)
        .filter(|p| !p.ends_with(['。', '：', '；', '）', '%']))
        .collect();
    assert!(cut.is_empty(), "{cut:#?}");
}

#[test]
fn swu_2023_final_cells() {
    let d = read("cq_swu_university_2023_dept_final.pdf");
    // Page 8, 表1 two-sided with a 栏次 line.
    check_side(&d, "收支总表", "收入", "一、财政拨款收入", "243,015.38");
    check_side(
        &d,
        "收支总表",
        "收入",
        "其中：政府性基金预算财政拨款",
        "109.50",
    );
    check_side(&d, "收支总表", "收入", "三、事业收入", "136,385.24");
    check_side(&d, "收支总表", "支出", "五、教育支出", "425,287.27");
    check_side(
        &d,
        "收支总表",
        "支出",
        "八、社会保障和就业支出",
        "13,465.06",
    );
    // Page 10, 表2.
    check(&d, "收入总表", None, "205", "本年收入合计", "399,693.48");
    check(&d, "收入总表", None, "205", "上级补助收入", "");
    check(&d, "收入总表", None, "2050204", "事业收入.金额", "1,133.95");
    check(&d, "收入总表", None, "2050204", "其中：教育收费", "977.85");
    check(&d, "收入总表", None, "2050205", "其他收入", "34,243.50");
    // Page 14, 表4.
    check(
        &d,
        "财政拨款支出表",
        None,
        "20502",
        "本年支出.合计",
        "211,403.50",
    );
    check(
        &d,
        "财政拨款支出表",
        None,
        "20502",
        "基本支出",
        "175,902.59",
    );
    check(&d, "财政拨款支出表", None, "205", "基本支出", "177,211.59");
    check(
        &d,
        "财政拨款支出表",
        None,
        "2050205",
        "其中：基本建设资金支出",
        "5,536.97",
    );
    check(
        &d,
        "财政拨款支出表",
        None,
        "206",
        "本年支出.项目支出.小计",
        "1,707.93",
    );
    let t4 = d
        .tables
        .iter()
        .find(|t| t.role.as_deref() == Some("财政拨款支出表"))
        .unwrap();
    assert_eq!(t4.number.as_ref().map(|n| n.ordinal), Some(4));
    // 表4 prints its 合计 line both first (page 14) and last (page 15, after the page break).
    let totals = t4.rows_named("合计");
    assert_eq!(totals.len(), 2);
    let first = &t4.rows[totals[0]];
    assert_eq!(value(&first.cells[0].value), "237100.00");
    assert_eq!(first.loc.page, Some(14));
}

#[test]
fn every_corpus_document_has_every_standard_table() {
    for (file, n) in [
        ("sh_putuo_wanli_jiedao_2024_dept_budget.pdf", 9),
        ("sh_putuo_commerce_2025_dept_budget.pdf", 9),
        ("sh_putuo_social_welfare_home_2024_unit_budget.pdf", 9),
        ("sh_putuo_planning_resources_2024_dept_final.pdf", 9),
        ("sh_putuo_social_work_dept_2024_dept_final.pdf", 9),
        ("cq_swu_university_2021_dept_budget.pdf", 4),
        ("cq_swu_university_2023_dept_final.pdf", 4),
    ] {
        let d = read(file);
        let profiles = shenhe_model::Profiles::bundled();
        let template = d.meta.template.clone().unwrap();
        let profile = profiles.get(&template).unwrap();
        assert_ne!(template, "通用", "{file}");
        for role in &profile.required {
            assert!(
                d.tables
                    .iter()
                    .any(|t| t.role.as_deref() == Some(role.as_str())),
                "{file}: no {role}"
            );
        }
        let with_role = d.tables.iter().filter(|t| t.role.is_some()).count();
        assert_eq!(with_role, n, "{file}");
    }
}

#[test]
fn locations_point_into_the_reconstructed_text() {
    let name = "sh_putuo_planning_resources_2024_dept_final.pdf";
    let bytes = corpus(name);
    let d = read_pdf(name, &bytes, &Options::default()).unwrap();
    let text = shenhe_ingest::pdf_text(name, &bytes).unwrap();
    // `ingest_pdf` hands back the same document and the same text in one pass.
    let ingested = shenhe_ingest::ingest_pdf(name, &bytes, &Options::default()).unwrap();
    assert_eq!(ingested.source, text);
    assert_eq!(ingested.document, d);
    let t = d
        .tables
        .iter()
        .find(|t| t.role.as_deref() == Some("基本支出表"))
        .unwrap();
    let r = &t.rows[t.rows_named("31002")[0]];
    let loc = r.cells[0].loc.unwrap();
    let span = text
        .get(loc.offset as usize..(loc.offset + loc.len) as usize)
        .unwrap();
    assert_eq!(span, "39.76");
    assert_eq!(loc.page, Some(16));
    let line = text.lines().nth(loc.line as usize - 1).unwrap();
    assert!(
        line.contains("办公设备购置") && line.contains("39.76"),
        "{line}"
    );
    // Narrative facts carry page and box too.
    let fact = d.facts().next().unwrap();
    assert!(
        fact.loc.page.is_some() && fact.loc.bbox.is_some(),
        "{fact:?}"
    );
}

// ------------------------------------------------------------------ bad PDFs

fn err(bytes: &[u8]) -> IngestError {
    read_pdf("bad.pdf", bytes, &Options::default()).unwrap_err()
}

/// A one-page PDF built by hand: `content` is the page's content stream; the page has an
/// image XObject `/Im1` (a 2×2 gray image) and no fonts.
fn handmade_pdf(content: &str) -> Vec<u8> {
    let image: &[u8] = &[0, 255, 255, 0];
    pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        stream_object("", content.as_bytes()),
        stream_object(
            "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8",
            image,
        ),
    ])
}

/// A stream object's body: `dict` (entries without `<< >>` and without `/Length`) and `data`.
fn stream_object(dict: &str, data: &[u8]) -> Vec<u8> {
    [
        format!("<< {dict} /Length {} >>\nstream\n", data.len()).as_bytes(),
        data,
        b"\nendstream",
    ]
    .concat()
}

/// A PDF of the given object bodies, numbered from 1 (object 1 must be the catalog), with a
/// correct cross-reference table.
fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn image_only_pdf_says_ocr_is_needed() {
    let pdf = handmade_pdf("q 495 0 0 742 50 50 cm /Im1 Do Q");
    let e = err(&pdf);
    assert!(
        matches!(
            e,
            IngestError::PdfNoText {
                pages: 1,
                image_pages: 1,
                ..
            }
        ),
        "{e:?}"
    );
    let msg = e.to_string();
    assert!(msg.contains("OCR") && msg.contains("扫描件"), "{msg}");
    // The same file through the format-sniffing entry point.
    let e = read_bytes("scan.pdf", &pdf, &Options::default()).unwrap_err();
    assert!(matches!(e, IngestError::PdfNoText { .. }));
}

#[test]
fn a_blank_page_is_no_text_either() {
    let e = err(&handmade_pdf(""));
    assert!(
        matches!(e, IngestError::PdfNoText { image_pages: 0, .. }),
        "{e:?}"
    );
}

#[test]
fn encrypted_pdf_needs_a_password() {
    use lopdf::{EncryptionState, EncryptionVersion, Object, Permissions};
    let bytes = corpus("sh_putuo_social_welfare_home_2024_unit_budget.pdf");
    let encrypt = |user: &str| {
        let mut d = lopdf::Document::load_mem(&bytes).unwrap();
        if d.trailer.get(b"ID").is_err() {
            let id = Object::string_literal(b"shenhe-test-id-0".to_vec());
            d.trailer.set("ID", Object::Array(vec![id.clone(), id]));
        }
        let state = EncryptionState::try_from(EncryptionVersion::V2 {
            document: &d,
            owner_password: "owner",
            user_password: user,
            key_length: 128,
            permissions: Permissions::all(),
        })
        .unwrap();
        d.encrypt(&state).unwrap();
        let mut out = Vec::new();
        d.save_to(&mut out).unwrap();
        out
    };
    let locked = encrypt("secret");
    let e = err(&locked);
    assert!(matches!(e, IngestError::PdfEncrypted { .. }), "{e:?}");
    assert!(e.to_string().contains("已加密"), "{e}");
    // Only an owner password (the empty user password opens it): readable as usual.
    let open = encrypt("");
    let d = read_pdf("open.pdf", &open, &Options::default()).unwrap();
    check(&d, "基本支出表", None, "30107", "合计", "3,580,522");
}

#[test]
fn truncated_and_corrupt_pdfs_give_clear_errors_or_warnings_never_panics() {
    let bytes = corpus("sh_putuo_social_welfare_home_2024_unit_budget.pdf");
    // Truncated: an error that says the file is incomplete.
    for cut in [9, 1000, bytes.len() / 3, bytes.len() / 2, bytes.len() - 100] {
        match read_pdf("cut.pdf", &bytes[..cut], &Options::default()) {
            Err(e) => {
                assert!(matches!(e, IngestError::PdfCorrupt { .. }), "{e:?}");
                assert!(e.to_string().contains("不完整"), "{e}");
            }
            Ok(d) => assert!(
                d.warnings.iter().any(|w| w.code == "pdf-truncated"),
                "cut at {cut}: read without a warning"
            ),
        }
    }
    // A Word file (object streams, recoverable structure) cut short still warns.
    let word = corpus("sh_putuo_planning_resources_2024_dept_final.pdf");
    let d = read_pdf("cut.pdf", &word[..word.len() / 2], &Options::default()).unwrap();
    assert!(d.warnings.iter().any(|w| w.code == "pdf-truncated"));
    // Not a PDF at all.
    let e = err(b"<html>not a pdf</html>");
    assert!(e.to_string().contains("%PDF-"), "{e}");
    // Garbage overwriting parts of the file: an error or a document, never a panic.
    for at in [0.05, 0.2, 0.5, 0.8, 0.97] {
        let mut b = bytes.clone();
        let start = (b.len() as f64 * at) as usize;
        let end = (start + 4000).min(b.len());
        for (i, byte) in b[start..end].iter_mut().enumerate() {
            *byte = (i * 131 % 251) as u8;
        }
        let _ = read_pdf("corrupt.pdf", &b, &Options::default());
    }
}

#[test]
fn read_bytes_sniffs_the_format() {
    let d = read_bytes(
        "welfare.pdf",
        &corpus("sh_putuo_social_welfare_home_2024_unit_budget.pdf"),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(d.meta.source_format, "pdf");
}

/// Twelve forms, each drawing the next one 20 times: 20^12 form runs if nothing stops them (a
/// file of 3 KB that never finishes). The page's operator budget, shared with its forms, ends
/// it with a warning that says so; the text read before is kept.
#[test]
fn forms_drawing_forms_many_times_are_bounded() {
    const FORMS: usize = 12;
    // Objects: 1 catalog, 2 pages, 3 page, 4 page content, 5 the XObject dictionary every
    // form shares, 6.. the forms.
    let names: Vec<String> = (0..FORMS).map(|i| format!("/X{i} {} 0 R", 6 + i)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject 5 0 R >> /Contents 4 0 R >>".to_vec(),
        stream_object("", b"BT /F1 12 Tf 72 760 Td (Budget 2024) Tj ET /X0 Do"),
        format!("<< {} >>", names.join(" ")).into_bytes(),
    ];
    for i in 0..FORMS {
        let content = format!("/X{} Do\n", i + 1).repeat(20);
        objects.push(stream_object(
            "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject 5 0 R >>",
            format!("BT /F1 8 Tf 72 700 Td (f{i}) Tj ET\n{content}").as_bytes(),
        ));
    }
    let d = read_pdf("forms.pdf", &pdf_of(&objects), &Options::default()).unwrap();
    let w = d
        .warnings
        .iter()
        .find(|w| w.code == "pdf-page" && w.message.contains("过于复杂"))
        .unwrap_or_else(|| panic!("no warning about the page's work: {:?}", d.warnings));
    assert!(w.message.contains("第 1 页"), "{}", w.message);
}

/// A page that shows far more characters than any printed page holds: the first
/// `MAX_PAGE_GLYPHS` are read, a warning says the rest were not, and reading ends.
#[test]
fn a_page_with_too_many_characters_is_cut_with_a_warning() {
    // 400 lines of 300 characters in 1-point type: 120,000 glyphs, all on the page.
    let line = format!("({}) Tj 0 -2 Td\n", "a".repeat(300));
    let content = format!("BT /F1 1 Tf 10 830 Td\n{}ET", line.repeat(400));
    let pdf = pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        stream_object("", content.as_bytes()),
    ]);
    let d = read_pdf("dense.pdf", &pdf, &Options::default()).unwrap();
    assert!(
        d.warnings
            .iter()
            .any(|w| w.code == "pdf-page" && w.message.contains("字符超过 100000 个")),
        "{:?}",
        d.warnings
    );
}
