//! Embedding the evaluator: build a document by hand, compile a rule file, check, print.
//!
//! Run with `cargo run -p shenhe-eval --example embed`.

use std::str::FromStr;

use rust_decimal::Decimal;
use shenhe_eval::{Engine, Outcome};
use shenhe_model::{
    Cell, CellValue, Column, ColumnKind, DocKind, Document, Loc, Row, RowKind, Table, TableNumber,
    Unit,
};

/// A row with amounts in columns 1, 2, 3 (blank where `None`), its label on `line`.
fn row(label: &str, kind: RowKind, line: u32, values: [Option<&str>; 3]) -> Row {
    let cells = values
        .iter()
        .enumerate()
        .map(|(i, v)| Cell {
            column: i + 1,
            value: match v {
                Some(s) => CellValue::Number(Decimal::from_str(s).unwrap_or_default()),
                None => CellValue::Blank,
            },
            loc: v.map(|_| Loc::text(line, 20 + 10 * i as u32, 0, 6)),
            ..Cell::default()
        })
        .collect();
    Row {
        label: label.to_string(),
        kind,
        cells,
        loc: Loc::text(line, 1, 0, 6),
        ..Row::default()
    }
}

fn main() -> std::process::ExitCode {
    // 表三 as a small disclosure prints it (万元); the total's 项目支出 leaves out 代表工作 on
    // purpose.
    let mut doc = Document::new("示例部门.txt", "text");
    doc.meta.kind = Some(DocKind::DeptBudget);
    doc.meta.year = Some(2024);
    let column = |name: &str, kind| Column {
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
            column("功能分类科目", ColumnKind::Label),
            column("支出合计", ColumnKind::Amount),
            column("基本支出", ColumnKind::Amount),
            column("项目支出", ColumnKind::Amount),
        ],
        rows: vec![
            row(
                "总计",
                RowKind::Total,
                10,
                [Some("727.07"), Some("697.07"), Some("30.00")],
            ),
            row(
                "行政运行",
                RowKind::Item,
                11,
                [Some("697.07"), Some("697.07"), None],
            ),
            row(
                "人大会议",
                RowKind::Item,
                12,
                [Some("30.00"), None, Some("30.00")],
            ),
            row(
                "代表工作",
                RowKind::Item,
                13,
                [Some("50.00"), None, Some("50.00")],
            ),
        ],
        loc: Loc::text(8, 1, 0, 30),
        ..Table::default()
    });

    let rules = "语言 1

规则 EX-001 \"总计等于各明细之和\" {
    级别 错误
    类别 表内
    断言 表三.总计.项目支出 == sum(表三.项目支出)
    消息 \"总计的项目支出 {左} 与各明细之和 {右} 相差 {差}\"
}

规则 EX-002 \"每行：支出合计等于基本支出与项目支出之和\" {
    级别 警告
    断言 每行 表三: 支出合计 == 基本支出 + 项目支出
}
";
    // Compile once (every problem of every file at once) …
    let engine = Engine::new();
    let set = match engine.compile(&[("示例.rule", rules)]) {
        Ok(set) => set,
        Err(files) => {
            for f in files {
                for d in f.diagnostics {
                    eprintln!("{}: {}", f.source.name(), d.message);
                }
            }
            return std::process::ExitCode::from(2);
        }
    };
    // … check many documents.
    let report = set.check(&doc);
    for f in &report.findings {
        println!("[{}] {} {}", f.severity.name(), f.rule_id, f.title);
        println!("  {}", f.message);
        for l in &f.locations {
            let line = l.loc.map(|l| l.line).unwrap_or(0);
            println!(
                "  {} 第 {line} 行：{} {} {} = {}",
                l.role,
                l.table.as_deref().unwrap_or(""),
                l.row.as_deref().unwrap_or(""),
                l.column.as_deref().unwrap_or(""),
                l.value.as_deref().unwrap_or("")
            );
        }
    }
    println!(
        "EX-001: {:?}, EX-002: {:?}",
        report.outcome("EX-001").unwrap_or(Outcome::Error),
        report.outcome("EX-002").unwrap_or(Outcome::Error)
    );
    // A value, as `shenhe eval` prints it.
    match engine.eval_str(&doc, "sum(表三.项目支出)") {
        Ok(v) => println!("sum(表三.项目支出) = {}", v.printed),
        Err(d) => {
            for x in d {
                eprintln!("{}", x.message);
            }
        }
    }
    // The JSON form (docs/report-json.md) is `report.to_json()`.
    std::process::ExitCode::SUCCESS
}
