//! Findings: one failed instance of a rule, with the numbers on both sides and every place in
//! the document involved. Findings are data (serde), built from the evaluator's evidence.

use serde::Serialize;
use shenhe_lang::ast;
use shenhe_model::{Loc, Placement};

use crate::compare::op_symbol;
use crate::docindex::DocIndex;
use crate::num::Num;
use crate::value::{CompareRecord, Origin, ToleranceUsed, Value};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 错误: must be fixed; `shenhe check` exits 1.
    Error,
    /// 警告: should be explained or fixed.
    Warning,
    /// 提示: for a person to look at.
    Info,
}

impl Severity {
    /// 错误, 警告, 提示.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

impl From<ast::Severity> for Severity {
    fn from(s: ast::Severity) -> Severity {
        match s {
            ast::Severity::Error => Severity::Error,
            ast::Severity::Warning => Severity::Warning,
            ast::Severity::Info => Severity::Info,
        }
    }
}

/// Where a rule is defined.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleSpan {
    pub file: String,
    /// 1-based.
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
}

/// A value as reported: as printed, and for numbers the value, unit and rounding interval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportedValue {
    /// As printed, with unit (`821.07万元`, `82.93%`, `部门预算`).
    pub printed: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The interval the printed value stands for (absent when exact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<String>,
}

/// The tolerance a comparison used and where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportedTolerance {
    /// `rounding` (intervals of the printed decimals), `strict`, `absolute` or `relative`.
    pub kind: &'static str,
    /// `±0.01万元`.
    pub printed: String,
    /// Where it came from, in Chinese.
    pub source: String,
}

/// The two sides of the failed comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Values {
    /// `==`, `===`, `<=` …
    pub comparison: &'static str,
    pub left: ReportedValue,
    pub right: ReportedValue,
    /// `左 − 右`, in the common unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<ReportedValue>,
    pub tolerance: ReportedTolerance,
}

/// One place in the document a finding involves.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// 左, 右, 上级, 下级, 行, 文本, 表, 章节, 单元格.
    pub role: String,
    /// The table's display name (`表三 部门支出总体情况表`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The value as printed there (`821.07`; `（空白）` for a blank cell).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The narrative text matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The narrative section's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loc: Option<Loc>,
    /// How ingest placed the value when it was not certain (inferred / ambiguous).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<String>,
}

/// A rule that does not hold, once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule_id: String,
    pub title: String,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub basis: Vec<String>,
    /// The rule's message with its placeholders filled in.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Values>,
    /// What the evaluator saw, when it is more than a comparison (`rollup`, `存在` …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub locations: Vec<Location>,
    pub rule_span: RuleSpan,
    /// A hash of the rule id, the location key and the values seen (16 hex digits); waivers
    /// name findings by it (see [`crate::waiver::fingerprint`]).
    pub fingerprint: String,
    /// The waiver that applies to this finding, if any (see [`crate::waiver`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<crate::waiver::WaiverStatus>,
    /// The cell values that would resolve it (see [`crate::causes`]); the report groups them
    /// into its causes.
    #[serde(skip)]
    pub repairs: Vec<crate::causes::Repair>,
}

impl Finding {
    /// Sort key: the first location in the document (findings without one go last).
    pub fn position(&self) -> (u8, u32, u32, u32) {
        self.locations
            .iter()
            .filter_map(|l| l.loc)
            .map(|l| (0, l.page.unwrap_or(0), l.line, l.column))
            .min()
            .unwrap_or((1, 0, 0, 0))
    }
}

fn trimmed(d: rust_decimal::Decimal) -> String {
    crate::num::decimal_text(d.normalize())
}

/// Decimals shown for interval bounds and tolerances: computed bounds (a quotient) can carry 28
/// digits; ten are plenty and rounding outward keeps the interval honest.
const BOUND_DECIMALS: u32 = 10;

fn bound(d: rust_decimal::Decimal, up: bool) -> String {
    if d.scale() <= BOUND_DECIMALS {
        return trimmed(d);
    }
    let strategy = if up {
        rust_decimal::RoundingStrategy::ToPositiveInfinity
    } else {
        rust_decimal::RoundingStrategy::ToNegativeInfinity
    };
    trimmed(d.round_dp_with_strategy(BOUND_DECIMALS, strategy))
}

/// A tolerance for people: rounded up to six decimals.
fn tolerance_text(d: rust_decimal::Decimal) -> String {
    trimmed(d.round_dp_with_strategy(6, rust_decimal::RoundingStrategy::ToPositiveInfinity))
}

/// A number as reported.
pub fn reported_num(n: &Num) -> ReportedValue {
    let unit = n.unit_name();
    let value = n.display_bare();
    ReportedValue {
        printed: [value.as_str(), unit.as_str()].concat(),
        value: Some(value),
        unit: (!unit.is_empty()).then_some(unit),
        low: (!n.is_exact()).then(|| bound(n.lo, false)),
        high: (!n.is_exact()).then(|| bound(n.hi, true)),
    }
}

/// Any value as reported (cells and rows read without origins: only their numbers are shown).
pub fn reported(ix: &DocIndex<'_>, v: &Value) -> ReportedValue {
    match v {
        Value::Num(n) => reported_num(n),
        Value::Cell(t, r, c) => match ix.cell_num_with(*t, *r, *c, false) {
            Ok(n) => reported_num(&n),
            Err(_) => plain_value(display(ix, v)),
        },
        Value::Row(t, r) => match ix.row_num_with(*t, *r, false) {
            Ok(n) => reported_num(&n),
            Err(_) => plain_value(display(ix, v)),
        },
        other => plain_value(display(ix, other)),
    }
}

fn plain_value(printed: String) -> ReportedValue {
    ReportedValue {
        printed,
        value: None,
        unit: None,
        low: None,
        high: None,
    }
}

/// A value as text in a message (cells and rows read without origins).
pub fn display(ix: &DocIndex<'_>, v: &Value) -> String {
    match v {
        Value::Num(n) => n.display(),
        Value::Bool(t) => if t.holds { "真" } else { "假" }.to_string(),
        Value::Text(t) => t.text.to_string(),
        Value::Table(t) => ix.table_name(*t),
        // A row stands for its primary amount (`表七.总计`); `{行}` prints the label instead.
        Value::Row(t, r) => match ix.row_num_with(*t, *r, false) {
            Ok(n) if !n.blank => n.display(),
            _ => ix.row_label(*t, *r),
        },
        Value::Column(t, c) => format!("{}.{}", ix.table_short(*t), ix.column_name(*t, *c)),
        Value::ColumnGroup(t, h) => format!("{}.{h}", ix.table_short(*t)),
        Value::Cell(t, r, c) => match ix.cell_num_with(*t, *r, *c, false) {
            Ok(n) if n.blank => "（空白）".to_string(),
            Ok(n) => n.display(),
            Err(_) => ix
                .cell(*t, *r, *c)
                .map(|cell| match &cell.value {
                    shenhe_model::CellValue::Text(s) => s.clone(),
                    _ => String::new(),
                })
                .unwrap_or_default(),
        },
        Value::Section(s) => ix
            .section(*s)
            .map(|e| section_title(e.section))
            .unwrap_or_default(),
        Value::List(items) => items
            .iter()
            .map(|i| display(ix, i))
            .collect::<Vec<_>>()
            .join("、"),
    }
}

fn section_title(s: &shenhe_model::Section) -> String {
    [s.number.as_deref().unwrap_or(""), s.title.as_str()].concat()
}

/// The tolerance as reported.
pub fn reported_tolerance(t: &ToleranceUsed) -> ReportedTolerance {
    match t {
        ToleranceUsed::Rounding { left, right, unit } => {
            let total = left.checked_add(*right).unwrap_or(*left);
            ReportedTolerance {
                kind: "rounding",
                printed: ["±", tolerance_text(total).as_str(), unit.as_str()].concat(),
                source: [
                    "按印出的小数位推算的舍入区间：左 ±",
                    tolerance_text(*left).as_str(),
                    unit.as_str(),
                    "，右 ±",
                    tolerance_text(*right).as_str(),
                    unit.as_str(),
                ]
                .concat(),
            }
        }
        ToleranceUsed::Strict => ReportedTolerance {
            kind: "strict",
            printed: "0".into(),
            source: "严格比较，不计舍入".into(),
        },
        ToleranceUsed::Absolute { amount } => ReportedTolerance {
            kind: "absolute",
            printed: format!("±{}", amount.display()),
            source: "规则中写明的容差".into(),
        },
        ToleranceUsed::Relative { percent, amount } => ReportedTolerance {
            kind: "relative",
            printed: format!("±{}", amount.display()),
            source: format!(
                "规则中写明的相对容差 ±{}%（按较大一方计）",
                trimmed(*percent)
            ),
        },
    }
}

/// The comparison as reported.
pub fn reported_values(ix: &DocIndex<'_>, c: &CompareRecord) -> Values {
    Values {
        comparison: op_symbol(c.op),
        left: reported(ix, &c.left),
        right: reported(ix, &c.right),
        difference: c.difference.as_ref().map(reported_num),
        tolerance: reported_tolerance(&c.tolerance),
    }
}

fn placement_text(p: &Placement) -> Option<String> {
    match p {
        Placement::Direct => None,
        Placement::Inferred { reason } => Some(["推断：", &**reason].concat()),
        Placement::Ambiguous { reason, .. } => Some(["存疑：", &**reason].concat()),
    }
}

/// A place in the document, described.
pub fn location(ix: &DocIndex<'_>, role: &str, o: &Origin) -> Location {
    let mut l = Location {
        role: role.to_string(),
        ..Location::default()
    };
    match o {
        Origin::Cell { table, row, column } => {
            l.table = Some(ix.table_name(*table));
            l.row = Some(ix.row_label(*table, *row));
            l.column = Some(ix.column_name(*table, *column));
            let cell = ix.cell(*table, *row, *column);
            l.value = Some(match ix.cell_num_with(*table, *row, *column, false) {
                Ok(n) if n.blank => "（空白）".to_string(),
                Ok(n) => n.display_bare(),
                Err(_) => display(ix, &Value::Cell(*table, *row, *column)),
            });
            l.loc = cell
                .and_then(|c| c.loc)
                .or_else(|| ix.row(*table, *row).map(|r| r.loc));
            l.placement = cell.and_then(|c| placement_text(&c.placement));
        }
        Origin::Row { table, row } => {
            l.table = Some(ix.table_name(*table));
            l.row = Some(ix.row_label(*table, *row));
            l.loc = ix.row(*table, *row).map(|r| r.loc);
        }
        Origin::RowCode { table, row } => {
            l.table = Some(ix.table_name(*table));
            l.row = Some(ix.row_label(*table, *row));
            // Located at the code cells; the printed code is the finding's value already (and a
            // text here would change the fingerprints of waivers written before).
            let r = ix.row(*table, *row);
            l.loc = r.and_then(|r| r.unread_code_loc.or(Some(r.loc)));
        }
        Origin::Table { table } => {
            l.table = Some(ix.table_name(*table));
            l.loc = ix.table(*table).map(|e| e.table.loc);
        }
        Origin::Text(t) => {
            l.text = Some(t.printed.clone());
            l.section = ix.section(t.section).map(|e| section_title(e.section));
            l.loc = Some(t.loc);
        }
        Origin::Section { section } => {
            l.section = ix.section(*section).map(|e| section_title(e.section));
            l.loc = ix.section(*section).map(|e| e.section.loc);
        }
        Origin::Preparer { table } => {
            l.table = Some(ix.table_name(*table));
            let p = ix.table(*table).and_then(|e| e.table.preparer.as_ref());
            l.text = p.map(|p| p.name.clone());
            l.loc = p.map(|p| p.loc);
        }
        Origin::UnitName => {
            l.text = ix.doc.meta.unit_name.clone();
            l.loc = ix.doc.meta.unit_loc;
        }
    }
    l
}
