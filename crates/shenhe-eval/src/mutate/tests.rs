//! Tests of mutation testing on a small hand-built document.

use rust_decimal::Decimal;
use shenhe_model::{
    Amount, Cell, CellValue, Column, ColumnKind, Fact, Measure, Paragraph, Row, RowKind, Section,
    Table, TableNumber, TextSegment, Unit,
};

use super::plan::{other_unit, swap_in, typo_unit};
use super::*;
use crate::Engine;

fn num(v: i64, scale: u32, column: usize, line: u32) -> Cell {
    Cell {
        column,
        value: CellValue::Number(Decimal::new(v, scale)),
        loc: Some(Loc::text(line, column as u32 * 10, 0, 4)),
        ..Cell::default()
    }
}

/// 表三 with a total row and two details in 合计 (checked by the rule) and in 其他 (read by
/// no rule), and a narrative sentence restating the total.
fn doc() -> Document {
    let mut doc = Document::new("例.txt", "text");
    let col = |name: &str, kind| Column {
        path: vec![name.into()],
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
            col("科目名称", ColumnKind::Label),
            col("合计", ColumnKind::Amount),
            col("其他", ColumnKind::Amount),
        ],
        rows: vec![
            Row {
                label: "总计".into(),
                kind: RowKind::Total,
                cells: vec![num(1000, 2, 1, 1), num(500, 2, 2, 1)],
                ..Row::default()
            },
            Row {
                label: "行政运行".into(),
                cells: vec![num(400, 2, 1, 2), num(200, 2, 2, 2)],
                ..Row::default()
            },
            Row {
                label: "机关服务".into(),
                cells: vec![num(600, 2, 1, 3), num(300, 2, 2, 3)],
                ..Row::default()
            },
        ],
        ..Table::default()
    });
    let text = "支出总计10.00万元，其中行政运行4.00万元。".to_string();
    let fact = |printed: &str, value: i64| {
        let start = text.find(printed).unwrap();
        Fact {
            measure: Measure::Money {
                amount: Amount::new(Decimal::new(value, 2), Unit::WanYuan),
            },
            printed: printed.into(),
            start: start as u32,
            end: (start + printed.len()) as u32,
            loc: Loc::text(10, 1, start as u32, printed.len() as u32),
        }
    };
    let facts = vec![fact("10.00万元", 1000), fact("4.00万元", 400)];
    doc.sections.push(Section {
        number: Some("一、".into()),
        title: "支出预算".into(),
        depth: 1,
        paragraphs: vec![Paragraph {
            segments: vec![
                TextSegment {
                    start: 0,
                    loc: Loc::text(10, 1, 0, 0),
                },
                // A line break after 其中.
                TextSegment {
                    start: text.find("行政").unwrap() as u32,
                    loc: Loc::text(11, 1, 100, 0),
                },
            ],
            text,
            facts,
        }],
        ..Section::default()
    });
    doc
}

fn rules() -> RuleSet {
    Engine::new()
        .compile(&[(
            "例.rule",
            "语言 1\n规则 LI-001 \"合计等于明细之和\" {\n  断言 表三.总计.合计 == sum(表三.合计)\n}\n\
             规则 LI-002 \"合计不小于 0\" {\n  断言 表三.总计.合计 >= 0\n}\n",
        )])
        .unwrap()
}

fn find<'a>(r: &'a MutationReport, kind: MutationKind, row: &str, col: &str) -> &'a Mutant {
    r.mutants
        .iter()
        .find(|m| {
            m.kind == kind && m.row.as_deref() == Some(row) && m.column.as_deref() == Some(col)
        })
        .unwrap()
}

#[test]
fn yuan_and_wan_mixed_up_both_ways() {
    let d = |v: i64, s: u32| Decimal::new(v, s);
    assert_eq!(
        other_unit(d(72107, 2), Unit::WanYuan),
        Some(d(721070000, 2))
    );
    assert_eq!(other_unit(d(721070000, 2), Unit::Yuan), Some(d(72107, 2)));
    assert_eq!(other_unit(d(123456789, 2), Unit::Yuan), Some(d(12346, 2)));
    assert_eq!(other_unit(d(0, 2), Unit::WanYuan), None);
    assert_eq!(other_unit(d(4, 2), Unit::Yuan), Some(d(0, 2)));
    assert_eq!(other_unit(d(5, 0), Unit::YiYuan), None);
}

#[test]
fn a_mistyped_digit_is_the_third_from_the_end() {
    let typo = |v: i64, s: u32| Decimal::new(v, s) + typo_unit(Decimal::new(v, s));
    assert_eq!(typo(72107, 2).to_string(), "722.07");
    assert_eq!(typo(247, 1).to_string(), "34.7");
    assert_eq!(typo(8640, 0).to_string(), "8740");
    assert_eq!(typo(0, 0).to_string(), "100");
}

#[test]
fn plan_is_complete_and_ordered() {
    let planned = plan(&doc());
    let listed: Vec<String> = planned
        .iter()
        .map(|p| {
            let m = p.mutant();
            format!(
                "{:?} {} {} {} → {}",
                m.kind,
                m.row.as_deref().or(m.section.as_deref()).unwrap_or(""),
                m.column.as_deref().or(m.text.as_deref()).unwrap_or(""),
                m.original,
                m.mutated
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            "LastDigit 总计 合计 10.00 → 10.01",
            "Digit 总计 合计 10.00 → 11.00",
            "UnitScale 总计 合计 10.00 → 100000.00",
            "Swap 总计 合计 10.00、5.00 → 5.00、10.00",
            "LastDigit 总计 其他 5.00 → 5.01",
            "Digit 总计 其他 5.00 → 6.00",
            "UnitScale 总计 其他 5.00 → 50000.00",
            "LastDigit 行政运行 合计 4.00 → 4.01",
            "Digit 行政运行 合计 4.00 → 5.00",
            "UnitScale 行政运行 合计 4.00 → 40000.00",
            "Swap 行政运行 合计 4.00、2.00 → 2.00、4.00",
            "LastDigit 行政运行 其他 2.00 → 2.01",
            "Digit 行政运行 其他 2.00 → 3.00",
            "UnitScale 行政运行 其他 2.00 → 20000.00",
            "LastDigit 机关服务 合计 6.00 → 6.01",
            "Digit 机关服务 合计 6.00 → 7.00",
            "UnitScale 机关服务 合计 6.00 → 60000.00",
            "Swap 机关服务 合计 6.00、3.00 → 3.00、6.00",
            "LastDigit 机关服务 其他 3.00 → 3.01",
            "Digit 机关服务 其他 3.00 → 4.00",
            "UnitScale 机关服务 其他 3.00 → 30000.00",
            "RowDrop 行政运行  4.00、2.00 → （此行缺失）",
            "RowDrop 机关服务  6.00、3.00 → （此行缺失）",
            "LastDigit 一、支出预算 10.00万元 10.00 → 10.01",
            "Digit 一、支出预算 10.00万元 10.00 → 11.00",
            "UnitScale 一、支出预算 10.00万元 10.00 → 100000.00",
            "LastDigit 一、支出预算 4.00万元 4.00 → 4.01",
            "Digit 一、支出预算 4.00万元 4.00 → 5.00",
            "UnitScale 一、支出预算 4.00万元 4.00 → 40000.00",
        ]
    );
}

#[test]
fn a_summed_cell_is_caught_and_an_unread_cell_survives() {
    let r = run(&rules(), &doc(), &Options::default());
    assert_eq!(r.baseline_findings, 0);
    // A typo in a detail of the checked sum: LI-001 fails.
    let m = find(&r, MutationKind::Digit, "行政运行", "合计");
    assert_eq!(m.caught_by, ["LI-001"]);
    // 0.01 off is within the rounding tolerance of a sum of two printed values.
    assert!(!find(&r, MutationKind::LastDigit, "行政运行", "合计").caught());
    // Swapping a summed detail with an unread neighbour changes the sum.
    assert!(find(&r, MutationKind::Swap, "机关服务", "合计").caught());
    // No rule reads 其他: every mutant of it survives.
    for m in r
        .mutants
        .iter()
        .filter(|m| m.column.as_deref() == Some("其他"))
    {
        assert!(!m.caught(), "{m:?}");
    }
    let unchecked: Vec<(&str, &str)> = r
        .unchecked()
        .map(|p| {
            (
                p.row.as_deref().or(p.text.as_deref()).unwrap_or(""),
                p.column.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        unchecked,
        [
            ("总计", "其他"),
            ("行政运行", "其他"),
            ("机关服务", "其他"),
            ("10.00万元", ""),
            ("4.00万元", "")
        ]
    );
    let place = r.places.first().unwrap();
    assert_eq!(
        (place.value.as_str(), place.mutants, place.caught),
        ("10.00", 4, 3)
    );
    assert_eq!(place.survived, [MutationKind::LastDigit]);
}

/// A finding that only quotes a sentence does not catch a change of a number in it; a new
/// finding does.
#[test]
fn quoting_a_changed_sentence_is_not_catching() {
    let rules = Engine::new()
        .compile(&[(
            "例.rule",
            "语言 1\n规则 LI-003 \"总计的写法\" {\n  断言 每处 \"总计{甲:金额}\": 假\n}\n\
             规则 LI-004 \"行政运行不超过 4.5 万元\" {\n  断言 每处 \"行政运行{乙:金额}\": 乙 <= 4.5万元\n}\n",
        )])
        .unwrap();
    let r = run(
        &rules,
        &doc(),
        &Options {
            table: Some(NARRATIVE.into()),
            ..Options::default()
        },
    );
    assert_eq!(r.baseline_findings, 1);
    let by = |text: &str, kind| {
        r.mutants
            .iter()
            .find(|m| m.text.as_deref() == Some(text) && m.kind == kind)
            .map(|m| m.caught_by.clone())
            .unwrap()
    };
    // LI-003 fails on the sentence either way: the quoted text changes, nothing else.
    for kind in [
        MutationKind::LastDigit,
        MutationKind::Digit,
        MutationKind::UnitScale,
    ] {
        assert!(by("10.00万元", kind).is_empty(), "{kind:?}");
    }
    // 4.01 stays within the limit; 5.00 and 40000.00 break it.
    assert!(by("4.00万元", MutationKind::LastDigit).is_empty());
    assert_eq!(by("4.00万元", MutationKind::Digit), ["LI-004"]);
    assert_eq!(by("4.00万元", MutationKind::UnitScale), ["LI-004"]);
}

#[test]
fn score_arithmetic() {
    let r = run(&rules(), &doc(), &Options::default());
    let caught = r.mutants.iter().filter(|m| m.caught()).count();
    assert_eq!(r.overall.total, 29);
    assert_eq!((r.generated, r.not_run), (29, 0));
    assert_eq!(r.overall.caught, caught);
    assert_eq!(r.overall.survived(), 29 - caught);
    assert_eq!(r.overall.score(), Some(caught as f64 / 29.0));
    let by_kind: usize = r.by_kind.iter().map(|k| k.tally.caught).sum();
    let by_table: usize = r.by_table.iter().map(|t| t.tally.caught).sum();
    assert_eq!((by_kind, by_table), (caught, caught));
    let tables: Vec<(&str, usize, usize)> = r
        .by_table
        .iter()
        .map(|t| (t.table.as_str(), t.numbers.total, t.numbers.caught))
        .collect();
    assert_eq!(
        tables,
        [("表三 部门支出总体情况表", 6, 3), (NARRATIVE, 2, 0)]
    );
    assert_eq!((r.numbers.total, r.numbers.caught), (8, 3));
    // Per rule: LI-002 (total ≥ 0) can never notice an increase.
    let by_rule: Vec<(&str, usize)> = r
        .by_rule
        .iter()
        .map(|t| (t.rule_id.as_str(), t.caught))
        .collect();
    assert_eq!(by_rule, [("LI-001", caught), ("LI-002", 0)]);
    assert_eq!(Tally::default().score(), None);
    let json = serde_json::to_value(r.overall).unwrap();
    assert_eq!(json["survived"], 29 - caught);
    assert!(json["score"].is_f64());
}

#[test]
fn results_are_deterministic_and_the_limit_spreads() {
    let (rules, doc) = (rules(), doc());
    let threads = |n| Options {
        threads: n,
        ..Options::default()
    };
    let one = run(&rules, &doc, &Options::default());
    assert_eq!(one, run(&rules, &doc, &threads(2)));
    assert_eq!(one, run(&rules, &doc, &threads(3)));
    let some = run(
        &rules,
        &doc,
        &Options {
            limit: Some(9),
            ..threads(2)
        },
    );
    assert_eq!((some.generated, some.overall.total), (29, 9));
    // Spread evenly: the i-th pick is mutant ⌊i × 29 / 9⌋.
    let picked: Vec<&Mutant> = [0, 3, 6, 9, 12, 16, 19, 22, 25]
        .iter()
        .map(|&i| &one.mutants[i])
        .collect();
    assert_eq!(some.mutants.iter().collect::<Vec<_>>(), picked);
}

#[test]
fn one_table_or_the_narrative_can_be_chosen() {
    let (rules, doc) = (rules(), doc());
    let only = |t: &str| {
        run(
            &rules,
            &doc,
            &Options {
                table: Some(t.into()),
                ..Options::default()
            },
        )
    };
    let all = run(&rules, &doc, &Options::default());
    let table: Vec<&Mutant> = all
        .mutants
        .iter()
        .filter(|m| m.table != NARRATIVE)
        .collect();
    let narrative: Vec<&Mutant> = all
        .mutants
        .iter()
        .filter(|m| m.table == NARRATIVE)
        .collect();
    for name in ["表三", "部门支出总体情况表", "表三 部门支出总体情况表"] {
        assert_eq!(
            only(name).mutants.iter().collect::<Vec<_>>(),
            table,
            "{name}"
        );
    }
    assert_eq!(
        only(NARRATIVE).mutants.iter().collect::<Vec<_>>(),
        narrative
    );
    assert_eq!(only("表四").generated, 0);
}

#[test]
fn a_narrative_mutant_keeps_the_paragraph_consistent() {
    let doc = doc();
    let planned = plan(&doc);
    let p = planned
        .iter()
        .find(|p| {
            p.mutant().kind == MutationKind::UnitScale
                && p.mutant().text.as_deref() == Some("10.00万元")
        })
        .unwrap();
    let mut work = doc.clone();
    let mut change = p.change.clone();
    swap_in(&mut work, &mut change).unwrap();
    let para = work.sections[0].paragraphs[0].clone();
    assert_eq!(para.text, "支出总计100000.00万元，其中行政运行4.00万元。");
    for f in &para.facts {
        assert_eq!(
            para.text.get(f.start as usize..f.end as usize),
            Some(f.printed.as_str())
        );
    }
    assert_eq!(para.facts[0].printed, "100000.00万元");
    assert_eq!(
        para.facts[0].measure,
        Measure::Money {
            amount: Amount::new(Decimal::new(10_000_000, 2), Unit::WanYuan)
        }
    );
    // The second line still starts at 行政; locations are those of the source.
    assert!(
        para.text
            .get(para.segments[1].start as usize..)
            .unwrap()
            .starts_with("行政")
    );
    assert_eq!(
        para.facts[0].loc,
        doc.sections[0].paragraphs[0].facts[0].loc
    );
    // Swapping again restores the document.
    swap_in(&mut work, &mut change).unwrap();
    assert_eq!(work, doc);
}

/// A detail row left out changes the sum of its column: caught by the rule that adds the
/// details up, tallied by kind and table but not as a number.
#[test]
fn a_row_left_out_is_caught_by_the_sum() {
    let r = run(&rules(), &doc(), &Options::default());
    let drops: Vec<(&str, &str, &[String])> = r
        .mutants
        .iter()
        .filter(|m| m.kind == MutationKind::RowDrop)
        .map(|m| {
            (
                m.row.as_deref().unwrap(),
                m.value.as_str(),
                m.caught_by.as_slice(),
            )
        })
        .collect();
    let li001 = ["LI-001".to_string()];
    assert_eq!(
        drops,
        [
            ("行政运行", "4.00、2.00", &li001[..]),
            ("机关服务", "6.00、3.00", &li001[..])
        ]
    );
    let kind = r
        .by_kind
        .iter()
        .find(|k| k.kind == MutationKind::RowDrop)
        .unwrap();
    assert_eq!((kind.tally.total, kind.tally.caught), (2, 2));
    assert!(
        r.places
            .iter()
            .all(|p| p.column.is_some() || p.text.is_some())
    );
    assert_eq!(r.by_table[0].tally.total, 21 + 2);
}

/// Leaving a row out shifts the parent indices of the rows after it, rows that are parents
/// and rows without a non-zero amount are never left out, and swapping back restores.
#[test]
fn a_row_left_out_keeps_the_hierarchy_consistent() {
    let mut doc = doc();
    let t = &mut doc.tables[0];
    let row = |label: &str, parent: Option<usize>, cells: Vec<Cell>| Row {
        label: label.into(),
        parent,
        cells,
        ..Row::default()
    };
    t.rows = vec![
        t.rows[0].clone(),
        row("行政运行", None, vec![num(400, 2, 1, 2)]),
        row("一般公共服务支出", None, vec![num(600, 2, 1, 3)]),
        row("人大事务", Some(2), vec![num(600, 2, 1, 4)]),
        row("空行", Some(2), vec![num(0, 2, 1, 5)]),
    ];
    let planned = plan_only(&doc, Some("表三"));
    let drops: Vec<&Planned> = planned
        .iter()
        .filter(|p| p.mutant().kind == MutationKind::RowDrop)
        .collect();
    let labels: Vec<&str> = drops
        .iter()
        .map(|p| p.mutant().row.as_deref().unwrap())
        .collect();
    assert_eq!(labels, ["行政运行", "人大事务"]);
    let mut work = doc.clone();
    let mut change = drops[0].change.clone();
    swap_in(&mut work, &mut change).unwrap();
    let rows: Vec<(&str, Option<usize>)> = work.tables[0]
        .rows
        .iter()
        .map(|r| (r.label.as_str(), r.parent))
        .collect();
    assert_eq!(
        rows,
        [
            ("总计", None),
            ("一般公共服务支出", None),
            ("人大事务", Some(1)),
            ("空行", Some(1))
        ]
    );
    assert_eq!(drops[0].mutant().loc, Some(doc.tables[0].rows[1].loc));
    swap_in(&mut work, &mut change).unwrap();
    assert_eq!(work, doc);
}

/// A number that is its paragraph's whole text (a chart's label, as PDFs give them) is marked
/// `alone`; a number in a sentence is not.
#[test]
fn a_number_alone_in_its_paragraph_is_marked() {
    let mut doc = doc();
    let text = " 25.27% ".to_string();
    let label = Paragraph {
        segments: vec![TextSegment {
            start: 0,
            loc: Loc::text(20, 1, 0, 0),
        }],
        facts: vec![Fact {
            measure: Measure::Percent {
                value: Decimal::new(2527, 2),
            },
            printed: "25.27%".into(),
            start: 1,
            end: 7,
            loc: Loc::text(20, 2, 1, 6),
        }],
        text,
    };
    if let Some(s) = doc.sections.first_mut() {
        s.paragraphs.push(label);
    }
    let r = run(&rules(), &doc, &Options::default());
    let alone: Vec<(&str, bool)> = r
        .places
        .iter()
        .filter(|p| p.table == NARRATIVE)
        .map(|p| (p.value.as_str(), p.alone))
        .collect();
    assert_eq!(alone, [("10.00", false), ("4.00", false), ("25.27%", true)]);
    assert!(
        r.mutants
            .iter()
            .filter(|m| m.value == "25.27%")
            .all(|m| m.alone)
    );
}
