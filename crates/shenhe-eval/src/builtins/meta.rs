//! year/年度, kind/类型, unit/单位.

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
