//! Documents built by hand for the evaluator's tests (eval never depends on ingest).
//!
//! `table()` reads a compact text form:
//!
//! ```text
//! 表三|部门支出总体情况表|万元                       number (may be empty) | title | unit
//! 科目名称:label|支出合计|基本支出|项目支出          columns: path parts split by `/`,
//!                                                    `:label` `:code` `:text` kinds, `组@` side
//! =总计|990.07|821.07|169.00                         `=` total row; cells in value-column order
//! 一般公共服务支出#201|866.07|697.07|169.00          `#code`
//! .人大事务#20101|…                                  leading dots: depth (parent = previous
//!                                                    row one level up); `组@` row side
//! ```

use std::str::FromStr;

use rust_decimal::Decimal;
use shenhe_model::{
    Cell, CellValue, Classification, Column, ColumnKind, DocKind, Document, Level, Loc, Note,
    Paragraph, PerfKind, PerformanceForm, Row, RowKind, Scheme, Section, Table, TableNumber,
    TextSegment, Unit,
};

fn ordinal(printed: &str) -> u32 {
    let rest = printed.trim_start_matches('表');
    if let Ok(n) = rest.parse() {
        return n;
    }
    let digits = "一二三四五六七八九";
    let d = |c: char| digits.chars().position(|x| x == c).map(|p| p as u32 + 1);
    let chars: Vec<char> = rest.chars().collect();
    match chars.as_slice() {
        ['十'] => 10,
        [a] => d(*a).unwrap(),
        ['十', b] => 10 + d(*b).unwrap(),
        _ => panic!("ordinal {printed}"),
    }
}

/// A loc on a line; offsets are invented but increase with the line.
pub fn loc(line: u32, column: u32, len: u32) -> Loc {
    Loc::text(line, column, line * 200 + column, len).with_page(Some(line / 40 + 1))
}

pub fn table(spec: &str, first_line: u32) -> Table {
    let mut lines = spec.lines().map(str::trim).filter(|l| !l.is_empty());
    let head: Vec<&str> = lines.next().unwrap().split('|').collect();
    let number = (!head[0].is_empty()).then(|| TableNumber {
        printed: head[0].to_string(),
        ordinal: ordinal(head[0]),
    });
    let unit = head.get(2).and_then(|u| Unit::parse(u));
    let columns: Vec<Column> = lines
        .next()
        .unwrap()
        .split('|')
        .enumerate()
        .map(|(i, c)| {
            let (group, c) = match c.split_once('@') {
                Some((g, rest)) => (Some(g.to_string()), rest),
                None => (None, c),
            };
            let (name, kind) = match c.split_once(':') {
                Some((n, "label")) => (n, ColumnKind::Label),
                Some((n, "code")) => (n, ColumnKind::Code),
                Some((n, "text")) => (n, ColumnKind::Text),
                Some((n, k)) => panic!("kind {k} of {n}"),
                None => (c, ColumnKind::Amount),
            };
            Column {
                path: name.split('/').map(str::to_string).collect(),
                kind,
                group,
                loc: Some(loc(first_line + 1, 10 * i as u32 + 1, name.len() as u32)),
                ..Column::default()
            }
        })
        .collect();
    let mut rows: Vec<Row> = Vec::new();
    let mut stack: Vec<(usize, usize)> = Vec::new(); // (depth, row index)
    for (ri, line) in lines.enumerate() {
        let line_no = first_line + 2 + ri as u32;
        let mut fields = line.split('|');
        let mut label = fields.next().unwrap();
        let depth = label.chars().take_while(|c| *c == '.').count();
        label = &label[depth..];
        let total = label.starts_with('=');
        label = label.trim_start_matches('=');
        let (group, label) = match label.split_once('@') {
            Some((g, l)) => (Some(g.to_string()), l),
            None => (None, label),
        };
        let (label, code) = match label.split_once('#') {
            Some((l, c)) => (l, Some(c.to_string())),
            None => (label, None),
        };
        while stack.last().is_some_and(|(d, _)| *d >= depth) {
            stack.pop();
        }
        let parent = if depth > 0 {
            stack.last().map(|(_, i)| *i)
        } else {
            None
        };
        let value_cols: Vec<usize> = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.kind, ColumnKind::Amount | ColumnKind::Text))
            .filter(|(_, c)| group.is_none() || c.group == group)
            .map(|(i, _)| i)
            .collect();
        let cells = fields
            .zip(&value_cols)
            .enumerate()
            .map(|(k, (v, col))| {
                let v = v.trim();
                let value = if v.is_empty() {
                    CellValue::Blank
                } else if let Some(p) = v.strip_suffix('%') {
                    CellValue::Percent(Decimal::from_str(p).unwrap())
                } else if let Ok(d) = Decimal::from_str(v) {
                    CellValue::Number(d)
                } else {
                    CellValue::Text(v.to_string())
                };
                Cell {
                    column: *col,
                    loc: (!v.is_empty()).then(|| loc(line_no, 30 + 10 * k as u32, v.len() as u32)),
                    value,
                    ..Cell::default()
                }
            })
            .collect();
        let classification = code.as_ref().map(|c| Classification {
            scheme: Scheme::of_code(c).unwrap(),
            code: c.clone(),
            level: Level::of_code(c).unwrap(),
            from_catalogue: false,
        });
        rows.push(Row {
            label: label.to_string(),
            code,
            classification,
            kind: if total { RowKind::Total } else { RowKind::Item },
            group,
            parent,
            cells,
            loc: loc(line_no, 1, label.len() as u32),
            ..Row::default()
        });
        stack.push((depth, rows.len() - 1));
    }
    Table {
        number,
        title: head[1].to_string(),
        role: None,
        unit,
        preparer: None,
        columns,
        rows,
        notes: Vec::new(),
        loc: loc(first_line, 1, head[1].len() as u32),
    }
}

/// A paragraph wrapped over `lines` starting at `first_line` (one segment per line).
pub fn paragraph(first_line: u32, lines: &[&str]) -> Paragraph {
    let mut text = String::new();
    let mut segments = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        segments.push(TextSegment {
            start: text.len() as u32,
            loc: loc(first_line + 2 * i as u32, 1, l.len() as u32),
        });
        text.push_str(l);
    }
    Paragraph {
        text,
        segments,
        facts: Vec::new(),
    }
}

pub fn section(
    number: &str,
    title: &str,
    depth: u8,
    line: u32,
    paragraphs: Vec<Paragraph>,
    children: Vec<Section>,
) -> Section {
    Section {
        number: (!number.is_empty()).then(|| number.to_string()),
        title: title.to_string(),
        depth,
        loc: loc(line, 1, title.len() as u32),
        paragraphs,
        children,
    }
}

pub const TABLE_1: &str = "
表一|部门收支总体情况表|万元
收入@项目:label|收入@预算数|支出@项目:label|支出@预算数
收入@一、一般公共预算财政拨款收入|990.07
支出@一、一般公共服务支出|866.07
收入@二、政府性基金预算财政拨款收入|
支出@八、社会保障和就业支出|81.36
支出@十、卫生健康支出|42.64
=收入@收入总计|990.07
=支出@支出总计|990.07
";

pub const TABLE_3: &str = "
表三|部门支出总体情况表|万元
功能分类科目:label|支出合计|基本支出|项目支出|上年结转
=总计|990.07|821.07|169.00|
一般公共服务支出#201|866.07|697.07|169.00|
.人大事务#20101|866.07|697.07|169.00|
..行政运行#2010101|697.07|697.07||
..人大会议#2010104|30.00||30.00|
..人大代表履职能力提升#2010107|75.00||75.00|
..代表工作#2010108|50.00||50.00|
..其他人大事务支出#2010199|14.00||14.00|
社会保障和就业支出#208|81.36|81.36||
.行政事业单位养老支出#20805|81.36|81.36||
..机关事业单位基本养老保险缴费支出#2080505|81.36|81.36||
卫生健康支出#210|42.64|42.64||
.行政事业单位医疗#21011|42.64|42.64||
..行政单位医疗#2101101|33.97|33.97||
..公务员医疗补助#2101103|7.64|7.64||
..其他行政事业单位医疗支出#2101199|1.03|1.03||
";

pub const TABLE_6: &str = "
表六|一般公共预算支出情况表|万元
科目编码:code|科目名称:label|一般公共预算支出/合计|一般公共预算支出/基本支出|一般公共预算支出/项目支出
=总计|990.07|821.07|169.00
一般公共服务支出#201|866.07|697.07|169.00
.人大事务#20101|866.07|697.07|169.00
..行政运行#2010101|697.07|697.07|
..人大会议#2010104|30.00||30.00
..人大代表履职能力提升#2010107|75.00||75.00
..代表工作#2010108|50.00||50.00
..其他人大事务支出#2010199|14.00||14.00
社会保障和就业支出#208|81.36|81.36|
.行政事业单位养老支出#20805|81.36|81.36|
..机关事业单位基本养老保险缴费支出#2080505|81.36|81.36|
卫生健康支出#210|42.64|42.64|
.行政事业单位医疗#21011|42.64|42.64|
..行政单位医疗#2101101|33.97|33.97|
..公务员医疗补助#2101103|7.64|7.64|
..其他行政事业单位医疗支出#2101199|1.03|1.03|
";

pub const TABLE_7: &str = "
表七|一般公共预算基本支出情况表|万元
科目编码:code|科目名称:label|合计|人员经费|公用经费
=总计|821.07|714.75|106.32
工作福利支出#301|711.79|711.79|
.基本工资#30101|261.37|261.37|
.津贴补贴#30102|148.43|148.43|
.奖金#30103|123.37|123.37|
.绩效工资#30107|54.62|54.62|
.机关事业单位基本养老保险缴费#30108|81.36|81.36|
.职工基本医疗保险缴费#30110|33.97|33.97|
.公务员医疗补助缴费#30111|7.64|7.64|
.其他社会保障缴费#30112|1.03|1.03|
商品和服务支出#302|106.32||106.32
.办公费#30201|14.00||14.00
.印刷费#30202|5.00||5.00
.邮电费#30207|5.00||5.00
.差旅费#30211|13.00||13.00
.培训费#30216|8.00||8.00
.公务接待费#30217|5.00||5.00
.工会经费#30228|5.08||5.08
.福利费#30229|6.54||6.54
.公务用车运行维护费#30231|3.00||3.00
.其他交通费用#30239|41.70||41.70
对个人和家庭的补助#303|2.96|2.96|
.生活补助#30305|2.96|2.96|
";

pub const TABLE_8: &str = "
表八|一般公共预算财政拨款“三公”经费、会议费、培训费支出情况表|万元
单位名称:label|“三公”经费/合计|“三公”经费/因公出国（境）费用|“三公”经费/公务接待费|“三公”经费/公务用车购置和运行费/公务用车购置费|“三公”经费/公务用车购置和运行费/公务用车运行费|会议费|培训费
=总计|8.00||5.00||3.00|30.00|36.00
临夏市人民代表大会常务委员会办公室|8.00||5.00||3.00|30.00|36.00
";

pub const TABLE_10: &str = "
表十|政府性基金预算支出情况表|万元
项目:label|预算数
=总计|
";

pub const PERF: &str = "
|部门整体支出绩效目标表|万元
按支出类型分:label|预算金额
人员经费|714.75
公用经费|106.32
=合计|721.07
项目支出|169
";

/// The seed document's tables and some of its narrative, by hand (see
/// examples/000_69e425832d03fcc4.txt).
pub fn seed() -> Document {
    let mut doc = Document::new("示例.txt", "text");
    doc.meta.unit_name = Some("临夏市人民代表大会常务委员会办公室".into());
    doc.meta.year = Some(2024);
    doc.meta.kind = Some(DocKind::DeptBudget);
    doc.meta.template = Some("甘肃-部门预算-11表".into());
    let s3 = section(
        "三、",
        "部门收支总体情况",
        1,
        40,
        vec![paragraph(42, &["2024 年部门收支总预算 990.07 万元。"])],
        vec![section(
            "（二）",
            "支出预算",
            2,
            60,
            vec![
                paragraph(
                    62,
                    &["2024 年支出预算 990.07 万元（详见部门预算公开表 3）。其中："],
                ),
                paragraph(
                    64,
                    &["基本支出 821.07 万元，占 82.93%； 项目支出 169 万元，占 17.07%；"],
                ),
                paragraph(66, &["上年结转 0 万元，占 0 %。"]),
            ],
            Vec::new(),
        )],
    );
    let s4 = section(
        "四、",
        "一般公共预算情况",
        1,
        70,
        Vec::new(),
        vec![section(
            "（一）",
            "基本支出",
            2,
            80,
            vec![paragraph(
                82,
                &[
                    "2024 年基本支出 821.07 万元，比 2023 年预算减少 198.6 万元，",
                    "下降 24.19%，下降的主要原因是 2024 年人员减少。",
                ],
            )],
            Vec::new(),
        )],
    );
    let s5 = section(
        "五、",
        "部门一般公共预算财政拨款“三公”经费、培训费、会议费等情况",
        1,
        100,
        Vec::new(),
        vec![section(
            "（一）",
            "“三公”经费情况说明",
            2,
            104,
            vec![
                paragraph(106, &["“三公”经费预算 8 万元，与上年无变化。"]),
                paragraph(
                    108,
                    &[
                        "2. 公务接待费 5 万元，较 2023 年预算增加（减少）0 万元，增",
                        "长（下降）0 %，增长（下降）的主要原因无。",
                    ],
                ),
            ],
            Vec::new(),
        )],
    );
    let s6 = section(
        "六、",
        "一般公共预算财政拨款机关运行经费情况",
        1,
        120,
        vec![paragraph(
            122,
            &[
                "机关运行经费 112.54 万元，较 2023 年预算增加 34.01 万",
                "元，增长 30.22%。",
            ],
        )],
        Vec::new(),
    );
    doc.sections = vec![s3, s4, s5, s6];
    let mut line = 400;
    for spec in [TABLE_1, TABLE_3, TABLE_6, TABLE_7, TABLE_8, TABLE_10] {
        let t = table(spec, line);
        line += 2 + t.rows.len() as u32 + 10;
        doc.tables.push(t);
    }
    if let Some(t10) = doc.tables.last_mut() {
        t10.notes.push(Note {
            text: "备注：本部门无政府性基金预算支出，本表为空表。".into(),
            loc: loc(line - 8, 1, 30),
        });
    }
    let budget = table(PERF, 900);
    doc.performance.push(PerformanceForm {
        kind: PerfKind::Department,
        title: "部门整体支出绩效目标表".into(),
        year: Some(2024),
        unit_name: doc.meta.unit_name.clone(),
        project_name: None,
        budget,
        goals: Vec::new(),
        indicators: Vec::new(),
        loc: loc(900, 1, 10),
    });
    doc
}
