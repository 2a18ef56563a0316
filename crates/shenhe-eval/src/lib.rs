//! The shenhe evaluator: compile rule files once, check many documents.
//!
//! An [`Engine`] holds the built-in functions, the classification catalogue and the template
//! profiles. [`Engine::compile`] turns rule files into a [`RuleSet`] (reporting every problem
//! of every file at once); [`RuleSet::check`] runs every rule on a
//! [`shenhe_model::Document`] and returns a [`Report`]: one [`Finding`] per failed instance,
//! with the numbers on both sides and every place in the document involved, and the outcome of
//! every rule (pass, fail, not applicable, error). Checking never fails: a rule that cannot be
//! evaluated on a document is reported as an error of that rule and the others run.
//!
//! Numbers are exact decimals with units (元/万元/亿元) and the interval their printed decimals
//! imply (XBRL Calculations 1.1): `==` holds when the intervals meet, `===` when the printed
//! values are equal, `± 值` / `± p%` with an explicit tolerance.
//!
//! ```
//! use rust_decimal::Decimal;
//! use shenhe_eval::{Engine, Outcome};
//! use shenhe_model::{Cell, CellValue, Column, ColumnKind, Document, Row, RowKind, Table, TableNumber, Unit};
//!
//! // A one-table document, built by hand.
//! let amount = |v: i64, scale: u32, column: usize| Cell {
//!     column,
//!     value: CellValue::Number(Decimal::new(v, scale)),
//!     ..Cell::default()
//! };
//! let mut doc = Document::new("例.txt", "text");
//! doc.tables.push(Table {
//!     number: Some(TableNumber { printed: "表三".into(), ordinal: 3 }),
//!     title: "部门支出总体情况表".into(),
//!     unit: Some(Unit::WanYuan),
//!     columns: vec![
//!         Column { path: vec!["科目名称".into()], kind: ColumnKind::Label, ..Column::default() },
//!         Column { path: vec!["合计".into()], kind: ColumnKind::Amount, ..Column::default() },
//!     ],
//!     rows: vec![
//!         Row { label: "总计".into(), kind: RowKind::Total, cells: vec![amount(100, 2, 1)], ..Row::default() },
//!         Row { label: "行政运行".into(), cells: vec![amount(33, 2, 1)], ..Row::default() },
//!         Row { label: "机关服务".into(), cells: vec![amount(65, 2, 1)], ..Row::default() },
//!     ],
//!     ..Table::default()
//! });
//!
//! let engine = Engine::new();
//! let rules = engine
//!     .compile(&[(
//!         "例.rule",
//!         "语言 1\n规则 LI-001 \"合计等于明细之和\" {\n  断言 表三.总计.合计 == sum(表三.合计)\n}\n",
//!     )])
//!     .expect("the rule compiles");
//! let report = rules.check(&doc);
//! assert_eq!(report.outcome("LI-001"), Some(Outcome::Fail));
//! let f = &report.findings[0];
//! let values = f.values.as_ref().unwrap();
//! assert_eq!(values.left.printed, "1.00万元");
//! assert_eq!(values.right.printed, "0.98万元");
//! assert_eq!(f.locations.len(), 3); // the total and both detail cells
//!
//! // `shenhe eval` in one call.
//! assert_eq!(engine.eval_str(&doc, "sum(表三.合计)").unwrap().printed, "0.98");
//! // 0.33 + 0.65 may stand for anything in [0.97, 0.99]: the total 1.00 ([0.995, 1.005]) is
//! // out of reach. With 0.66 it would be in reach, and the rule would pass.
//! ```

mod builtins;
pub mod casetest;
mod catindex;
pub mod causes;
mod compare;
mod compile;
mod config;
mod docindex;
mod engine;
mod error;
mod eval;
mod finding;
mod invariant;
mod ir;
mod matchmemo;
pub mod mutate;
mod num;
mod pattern;
pub mod render;
mod report;
mod resolve;
mod roles;
mod ruleset;
mod statements;
mod suggest;
#[cfg(test)]
mod testkit;
mod value;
pub mod waiver;

pub use compile::{MAX_DEPTH, SPECIAL_PLACEHOLDERS};
pub use config::{Config, ConfigError, Date, Named, Pos, SeverityOverride, Waiver};
pub use engine::Engine;
pub use error::{ErrorData, ErrorKind, EvalError};
pub use eval::{MAX_EVAL_DEPTH, MAX_EVAL_STEPS};
pub use finding::{
    Finding, Location, ReportedTolerance, ReportedValue, RuleSpan, Severity, Values,
};
pub use report::{
    Counts, DocumentInfo, Outcome, REPORT_VERSION, Report, RuleError, RuleOutcome, SeverityCounts,
};
pub use ruleset::{Evaluated, RuleInfo, RuleSet};
pub use shenhe_lang::{Diagnostic, FileDiagnostics};
