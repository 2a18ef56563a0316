//! year/年度, kind/类型, unit/单位, unit_name/公开单位, preparer/编制单位.

use rust_decimal::Decimal;
use shenhe_lang::ast::Span;

use super::{Builtin, arg, table_arg};
use crate::error::EvalError;
use crate::eval::{Evaluator, plain};
use crate::ir::Node;
use crate::value::{Origin, Text, Value};

pub static FUNCS: &[Builtin] = &[
    Builtin {
        names: &["year", "年度"],
        min_args: 0,
        max_args: 0,
        pattern_arg: None,
        signature: "year()",
        eval: year,
    },
    Builtin {
        names: &["kind", "类型"],
        min_args: 0,
        max_args: 0,
        pattern_arg: None,
        signature: "kind()",
        eval: kind,
    },
    Builtin {
        names: &["unit", "单位"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "unit(表)",
        eval: unit,
    },
    Builtin {
        names: &["unit_name", "公开单位"],
        min_args: 0,
        max_args: 0,
        pattern_arg: None,
        signature: "unit_name()",
        eval: unit_name,
    },
    Builtin {
        names: &["preparer", "编制单位"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "preparer(表)",
        eval: preparer,
    },
];

fn year(ev: &mut Evaluator<'_, '_>, _args: &[Node], span: Span) -> Result<Value, EvalError> {
    match ev.ix.doc.meta.year {
        Some(y) => Ok(plain(Decimal::from(y))),
        None => Err(EvalError::absent("文档没有给出年度", span)),
    }
}

fn kind(ev: &mut Evaluator<'_, '_>, _args: &[Node], span: Span) -> Result<Value, EvalError> {
    match ev.ix.doc.meta.kind {
        Some(k) => Ok(Value::Text(Text::plain(k.name()))),
        None => Err(EvalError::absent(
            "文档类型（部门预算、部门决算……）未知",
            span,
        )),
    }
}

fn unit(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let t = table_arg(ev, arg(args, 0, span)?)?;
    let name = ev
        .ix
        .table(t)
        .and_then(|e| e.table.unit)
        .map(|u| u.name())
        .unwrap_or("");
    Ok(Value::Text(Text {
        text: name.to_string().into(),
        origin: Some(Origin::Table { table: t }),
    }))
}

/// The disclosing body the document names (its cover), located there.
fn unit_name(ev: &mut Evaluator<'_, '_>, _args: &[Node], span: Span) -> Result<Value, EvalError> {
    match &ev.ix.doc.meta.unit_name {
        Some(n) => Ok(Value::Text(Text {
            text: n.clone().into(),
            origin: Some(Origin::UnitName),
        })),
        None => Err(EvalError::absent("文档没有写明公开单位的名称", span)),
    }
}

/// The body a table says prepared it (`编制单位：…`); an empty text when the table prints none.
fn preparer(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let t = table_arg(ev, arg(args, 0, span)?)?;
    let p = ev.ix.table(t).and_then(|e| e.table.preparer.as_ref());
    Ok(Value::Text(match p {
        Some(p) => Text {
            text: p.name.clone().into(),
            origin: Some(Origin::Preparer { table: t }),
        },
        None => Text {
            text: "".into(),
            origin: Some(Origin::Table { table: t }),
        },
    }))
}
