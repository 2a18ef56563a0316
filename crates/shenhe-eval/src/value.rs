//! Values an expression evaluates to.

use rust_decimal::Decimal;
use shenhe_lang::ast::{CompareOp, Span};
use shenhe_model::Loc;

use crate::num::Num;

/// Where a value came from in the document. Indices point into the evaluator's view of the
/// document ([`crate::DocIndex`]): `table` counts the document's tables first, then the
/// budget blocks of its performance forms.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// A table cell (blank ones included).
    Cell { table: u32, row: u32, column: u32 },
    /// A row as a whole (its label).
    Row { table: u32, row: u32 },
    /// What a row's code cells print when it reads as no classification code.
    RowCode { table: u32, row: u32 },
    /// A table as a whole (its title).
    Table { table: u32 },
    /// Text in the narrative: a pattern match or a capture. Shared: numbers computed from a
    /// capture carry its origin along, and evidence lists copy it.
    Text(std::sync::Arc<TextOrigin>),
    /// A section heading.
    Section { section: u32 },
    /// The preparing body a table prints above its header (`编制单位：…`).
    Preparer { table: u32 },
    /// Where the document names the disclosing body (its cover).
    UnitName,
}

/// See [`Origin::Text`].
#[derive(Clone, Debug, PartialEq)]
pub struct TextOrigin {
    pub loc: Loc,
    /// The text as printed.
    pub printed: String,
    /// The section it stands in.
    pub section: u32,
}

/// A piece of text (a string literal, a capture, a section's text), and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    /// Borrowed when it is one of the evaluator's fixed names (a row's level `类`/`款`/`项`),
    /// so that asking a row for it allocates nothing.
    pub text: std::borrow::Cow<'static, str>,
    pub origin: Option<Origin>,
}

impl Text {
    pub fn plain(text: impl Into<std::borrow::Cow<'static, str>>) -> Text {
        Text {
            text: text.into(),
            origin: None,
        }
    }
}

/// The value of an expression.
// An explicit tag: telling the variants apart is one byte compare instead of decoding a
// niche in a variant's fields (every condition, number and drop matches on it).
#[derive(Clone, Debug, PartialEq)]
#[repr(u8)]
pub enum Value {
    Num(Num),
    Bool(Truth),
    Text(Text),
    /// A table (index into the document's tables, see [`Origin`]).
    Table(u32),
    /// A row of a table.
    Row(u32, u32),
    /// A column of a table; as numbers, its cells over the detail rows.
    Column(u32, u32),
    /// Columns under a header (`表五.一般公共预算支出`), by the header's name key.
    ColumnGroup(u32, String),
    /// One cell: table, row, column (the row may have no cell there: then it is blank).
    Cell(u32, u32, u32),
    /// A narrative section (index in document order, depth first).
    Section(u32),
    /// A list (the children of a row, …).
    List(Vec<Value>),
}

impl Value {
    pub fn truth(holds: bool) -> Value {
        Value::Bool(Truth::simple(holds))
    }

    /// What kind of value this is, in Chinese, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Num(n) => n.kind.describe(),
            Value::Bool(_) => "真假值",
            Value::Text(_) => "文字",
            Value::Table(_) => "表",
            Value::Row(..) => "行",
            Value::Column(..) => "列",
            Value::ColumnGroup(..) => "列组",
            Value::Cell(..) => "单元格",
            Value::Section(_) => "章节",
            Value::List(_) => "列表",
        }
    }
}

/// The outcome of a condition: whether it holds, and for a condition that does not hold, each
/// separate instance of failure with its evidence.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Truth {
    pub holds: bool,
    pub instances: Vec<Instance>,
}

impl Truth {
    pub fn simple(holds: bool) -> Truth {
        Truth {
            holds,
            instances: Vec::new(),
        }
    }

    /// A failed (or held) condition explained by a note and the places it looked at.
    pub fn noted(holds: bool, note: String, evidence: Vec<(&'static str, Origin)>) -> Truth {
        Truth {
            holds,
            instances: vec![Instance {
                note: Some(note),
                evidence,
                ..Instance::default()
            }],
        }
    }
}

/// One instance of a failed condition: a comparison (with both sides), the places involved, a
/// note, and the names a message may use (captures, the current row and table).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Instance {
    pub compare: Option<Box<CompareRecord>>,
    /// Places involved, each with its role (`左`, `右`, `上级`, `下级`, `文本`, `行` …).
    pub evidence: Vec<(&'static str, Origin)>,
    pub note: Option<String>,
    /// Values for message placeholders: captures, `行`, `表`.
    pub vars: Vec<(String, Value)>,
    /// Where the failing comparison is in the rule file.
    pub span: Option<Span>,
    /// True when the instance is reported through `非`: the comparison held, and should not.
    pub negated: bool,
    /// Where the comparison's two sides are written in the rule (`None` for a literal), so a
    /// default message can name them.
    pub sides: Option<[Option<Span>; 2]>,
}

/// Both sides of a comparison and how it was decided.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRecord {
    pub op: CompareOp,
    pub left: Value,
    pub right: Value,
    /// `左 − 右` in the common unit (numbers only).
    pub difference: Option<Num>,
    pub tolerance: ToleranceUsed,
}

/// Which tolerance decided a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum ToleranceUsed {
    /// Rounding intervals: the half-widths of both sides (in the common unit).
    Rounding {
        left: Decimal,
        right: Decimal,
        unit: String,
    },
    /// Exact comparison (`===`, text, literals on both sides).
    Strict,
    /// `± 值`: an absolute tolerance.
    Absolute { amount: Num },
    /// `± p%`: relative to the larger side; `amount` is what it came to.
    Relative { percent: Decimal, amount: Num },
}

#[cfg(test)]
mod tests {
    use std::mem::size_of;

    use crate::EvalError;

    /// Every evaluation returns a `Result<_, EvalError>`: the error is one pointer, so that a
    /// result is no larger than its value (and a small one is returned in registers).
    #[test]
    fn results_are_no_larger_than_their_values() {
        assert_eq!(size_of::<EvalError>(), 8);
        assert_eq!(size_of::<Result<(), EvalError>>(), 8);
        assert_eq!(
            size_of::<Result<super::Value, EvalError>>(),
            size_of::<super::Value>()
        );
        assert_eq!(
            size_of::<Result<super::Truth, EvalError>>(),
            size_of::<super::Truth>()
        );
        assert!(size_of::<Result<&str, EvalError>>() <= 16);
        // The explicit tag takes 8 bytes more than the niche did (104); a larger value would
        // cost more in moves than the tag saves.
        assert!(size_of::<super::Value>() <= 112);
    }
}
