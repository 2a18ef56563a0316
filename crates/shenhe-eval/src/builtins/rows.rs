//! level/层级, parent/父级, children/子级, code/编码, unread_code/无效编码, name/名称: a row's
//! place in the classification hierarchy.

use std::borrow::Cow;

use shenhe_lang::ast::Span;

use super::{Builtin, arg, row_arg};
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::value::{Origin, Text, Value};

pub static FUNCS: &[Builtin] = &[
    Builtin {
        names: &["level", "层级"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "level(行)",
        eval: level,
    },
    Builtin {
        names: &["parent", "父级"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "parent(行)",
        eval: parent,
    },
    Builtin {
        names: &["children", "子级"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "children(行)",
        eval: children,
    },
    Builtin {
        names: &["code", "编码"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "code(行)",
        eval: code,
    },
    Builtin {
        names: &["unread_code", "无效编码"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "unread_code(行)",
        eval: unread_code,
    },
    Builtin {
        names: &["name", "名称"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "name(行)",
        eval: name,
    },
];

/// A text of row `r` of table `t`, with the row as its origin.
pub(super) fn row_text(t: u32, r: u32, text: impl Into<Cow<'static, str>>) -> Value {
    Value::Text(Text {
        text: text.into(),
        origin: Some(Origin::Row { table: t, row: r }),
    })
}

/// What a row built-in reads of its row: a text borrowed from the document.
pub(super) type RowStr = for<'a, 'd> fn(&Evaluator<'a, 'd>, u32, u32) -> &'a str;

/// The value of a row built-in whose text `of` reads (the argument is the row).
#[inline(always)]
pub(super) fn row_value(
    ev: &mut Evaluator<'_, '_>,
    args: &[Node],
    span: Span,
    of: RowStr,
) -> Result<Value, EvalError> {
    let (t, r) = row_arg(ev, arg(args, 0, span)?)?;
    Ok(row_text(t, r, of(ev, t, r).to_string()))
}

/// The same text borrowed ([`super::TextFn`]), without building a value.
#[inline(always)]
pub(super) fn row_str<'a>(
    ev: &mut Evaluator<'a, '_>,
    args: &[Node],
    span: Span,
    of: RowStr,
) -> Result<&'a str, EvalError> {
    let (t, r) = row_arg(ev, arg(args, 0, span)?)?;
    Ok(of(ev, t, r))
}

fn level(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let (t, r) = row_arg(ev, arg(args, 0, span)?)?;
    // A level's name is fixed text: borrowed, not copied per row.
    Ok(row_text(t, r, row_level(ev, t, r)))
}

fn row_level(ev: &Evaluator<'_, '_>, t: u32, r: u32) -> &'static str {
    ev.ix
        .row(t, r)
        .and_then(|row| row.classification.as_ref())
        .map(|c| c.level.name())
        .unwrap_or("")
}

/// [`level`]'s text, without building a value.
pub fn level_text<'a>(
    ev: &mut Evaluator<'a, '_>,
    args: &[Node],
    span: Span,
) -> Result<&'a str, EvalError> {
    let (t, r) = row_arg(ev, arg(args, 0, span)?)?;
    Ok(row_level(ev, t, r))
}

fn parent(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let a = arg(args, 0, span)?;
    let (t, r) = row_arg(ev, a)?;
    match ev
        .ix
        .row(t, r)
        .and_then(|row| row.parent)
        .and_then(|p| u32::try_from(p).ok())
    {
        Some(p) => Ok(Value::Row(t, p)),
        None => Err(EvalError::not_found(
            format!("`{}` 没有上级行", ev.ix.row_label(t, r)),
            a.span,
        )),
    }
}

fn children(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let (t, r) = row_arg(ev, arg(args, 0, span)?)?;
    let kids = ev
        .ix
        .table(t)
        .and_then(|e| e.children().get(r as usize))
        .map(|k| k.iter().map(|k| Value::Row(t, *k)).collect())
        .unwrap_or_default();
    Ok(Value::List(kids))
}

fn code(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    row_value(ev, args, span, row_code)
}

/// The row's code: classified, else printed, else empty.
fn row_code<'a>(ev: &Evaluator<'a, '_>, t: u32, r: u32) -> &'a str {
    let ix = ev.ix;
    ix.row(t, r)
        .and_then(|row| {
            row.classification
                .as_ref()
                .map(|c| c.code.as_str())
                .or(row.code.as_deref())
        })
        .unwrap_or_default()
}

/// [`code`]'s text, borrowed from the document.
pub fn code_text<'a>(
    ev: &mut Evaluator<'a, '_>,
    args: &[Node],
    span: Span,
) -> Result<&'a str, EvalError> {
    row_str(ev, args, span, row_code)
}

/// What the row's code columns print when it reads as no classification code (`7 11 02`),
/// else empty text; located at those code cells when the reader knows where they stand.
fn unread_code(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let (t, r) = row_arg(ev, arg(args, 0, span)?)?;
    let located = ev
        .ix
        .row(t, r)
        .is_some_and(|row| row.unread_code_loc.is_some());
    Ok(Value::Text(Text {
        text: row_unread_code(ev, t, r).to_string().into(),
        origin: Some(if located {
            Origin::RowCode { table: t, row: r }
        } else {
            Origin::Row { table: t, row: r }
        }),
    }))
}

fn row_unread_code<'a>(ev: &Evaluator<'a, '_>, t: u32, r: u32) -> &'a str {
    let ix = ev.ix;
    ix.row(t, r)
        .and_then(|row| row.unread_code.as_deref())
        .unwrap_or_default()
}

/// [`unread_code`]'s text, borrowed from the document.
pub fn unread_code_text<'a>(
    ev: &mut Evaluator<'a, '_>,
    args: &[Node],
    span: Span,
) -> Result<&'a str, EvalError> {
    row_str(ev, args, span, row_unread_code)
}

fn name(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let (t, r) = row_arg(ev, arg(args, 0, span)?)?;
    let label = ev.ix.row_label(t, r);
    Ok(row_text(t, r, label))
}
