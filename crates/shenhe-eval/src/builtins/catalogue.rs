//! catalogue_name/目录名称: the name the bundled classification catalogue gives a code in the
//! document's year.

use std::borrow::Cow;

use shenhe_lang::ast::Span;
use shenhe_model::{Level, Scheme};

use super::{Builtin, arg};
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::value::{Text, Value};

pub static FUNCS: &[Builtin] = &[Builtin {
    names: &["catalogue_name", "目录名称"],
    min_args: 1,
    max_args: 1,
    pattern_arg: None,
    signature: "catalogue_name(行或\"编码\")",
    eval: catalogue_name,
}];

fn catalogue_name(
    ev: &mut Evaluator<'_, '_>,
    args: &[Node],
    span: Span,
) -> Result<Value, EvalError> {
    let name = catalogue_name_text(ev, args, span)?;
    Ok(Value::Text(Text::plain(name.to_string())))
}

/// [`catalogue_name`]'s text, borrowed from the catalogue.
pub fn catalogue_name_text<'a>(
    ev: &mut Evaluator<'a, '_>,
    args: &[Node],
    span: Span,
) -> Result<&'a str, EvalError> {
    let a = arg(args, 0, span)?;
    let ix = ev.ix;
    // `行` (most arguments) without building a value.
    let v = match ev.current_row_of(a) {
        Some(row) => {
            let (t, r) = row?;
            Value::Row(t, r)
        }
        None => ev.eval(a)?,
    };
    // A row's name in the year, from the lookup its row shares (see `codes::row_entries`); any
    // other outcome (and its error) as below.
    if let Value::Row(t, r) | Value::Cell(t, r, _) = v {
        let found = super::codes::row_entries(ev, t, r);
        if found.leveled
            && let Some(e) = found.current.and_then(|i| ev.catalogue.entries().get(i))
        {
            return Ok(e.name.as_str());
        }
    }
    // Borrowed from the document when the argument is a row.
    let (code, scheme): (Cow<'_, str>, _) = match v {
        Value::Row(t, r) | Value::Cell(t, r, _) => {
            let row = ix.row(t, r);
            match row.and_then(|row| row.classification.as_ref()) {
                Some(c) => (Cow::Borrowed(c.code.as_str()), Some(c.scheme)),
                None => (
                    Cow::Borrowed(row.and_then(|row| row.code.as_deref()).unwrap_or_default()),
                    None,
                ),
            }
        }
        Value::Text(t) => (t.text, None),
        Value::Num(n) if n.value.scale() == 0 => (Cow::Owned(n.value.to_string()), None),
        other => {
            return Err(EvalError::runtime(
                format!(
                    "目录名称需要一行或一个编码，而 `{}` 是{}",
                    ev.text(a.span),
                    other.describe()
                ),
                a.span,
            ));
        }
    };
    let code: Cow<'_, str> = if code.chars().all(|c| c.is_ascii_digit()) {
        code
    } else {
        Cow::Owned(code.chars().filter(char::is_ascii_digit).collect())
    };
    if Level::of_code(&code).is_none() {
        return Err(EvalError::not_found(
            format!("`{}` 没有 3、5 或 7 位的分类编码", ev.text(a.span)),
            a.span,
        ));
    }
    let Some(scheme) = scheme.or_else(|| Scheme::of_code(&code)) else {
        return Err(EvalError::not_found(
            format!("编码 `{code}` 不属于已知的分类"),
            a.span,
        ));
    };
    let year = ev.ix.doc.meta.year;
    let (codes, cat) = (ev.codes, ev.catalogue);
    match codes.name_in(cat, scheme, &code, year) {
        Some(e) => Ok(e.name.as_str()),
        None => Err(EvalError::not_found(
            format!(
                "分类目录中没有{}编码 `{code}`{}",
                scheme.name(),
                year.map(|y| format!("（{y} 年）")).unwrap_or_default()
            ),
            a.span,
        )),
    }
}
