//! row_path/科目行 and row_below/下方行: rows found by where they stand.
//!
//! `科目行(表, "类名", "款名", "项名")` is the row named by the last name whose parent is named by
//! the name before it, and so on up (`科目行(表六, "一般公共服务支出", "人大事务", "行政运行")`).
//! It tells apart rows that share a name under different parents (`行政运行` under every 款),
//! which `表["行政运行"]` cannot. Names are compared like row names elsewhere (no spaces,
//! full/half-width unified, ordinal prefixes dropped). Fewer names than levels are fine: the
//! path is matched from the row upwards. When no row fits, the result is "not found" (so
//! `存在(科目行(…))` is false); when several fit, the first is taken.
//!
//! `下方行(行, "名称片段")` is the first row below the given one, on the same side of a
//! two-sided table, whose name contains the fragment, searching down to the next total row: the
//! 一般公共预算财政拨款 line under 年初财政拨款结转和结余, which has the same name as the
//! income line above it. Not found as above.

use shenhe_lang::ast::Span;
use shenhe_model::name_key;

use shenhe_model::RowKind;

use super::{Builtin, arg, row_arg, table_arg, text_arg};
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::value::Value;

pub static FUNCS: &[Builtin] = &[
    Builtin {
        names: &["row_path", "科目行"],
        min_args: 2,
        max_args: usize::MAX,
        pattern_arg: None,
        signature: "row_path(表, \"类名\", \"款名\", \"项名\")",
        eval: row_path,
    },
    Builtin {
        names: &["row_below", "下方行"],
        min_args: 2,
        max_args: 2,
        pattern_arg: None,
        signature: "row_below(行, \"名称片段\")",
        eval: row_below,
    },
];

fn row_path(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let t = table_arg(ev, arg(args, 0, span)?)?;
    let mut names = Vec::new();
    for a in args.iter().skip(1) {
        names.push(text_arg(ev, a)?);
    }
    let keys: Vec<String> = names.iter().map(|n| name_key(n)).collect();
    let rows = ev
        .ix
        .table(t)
        .map(|e| e.table.rows.as_slice())
        .unwrap_or(&[]);
    let fits = |start: usize| {
        let mut at = Some(start);
        for key in keys.iter().rev() {
            let Some(row) = at.and_then(|i| rows.get(i)) else {
                return false;
            };
            if row.name_key() != *key {
                return false;
            }
            at = row.parent;
        }
        true
    };
    match (0..rows.len()).find(|i| fits(*i)) {
        Some(r) => {
            let r = u32::try_from(r).map_err(|_| EvalError::runtime("行号超出范围", span))?;
            Ok(Value::Row(t, r))
        }
        None => Err(EvalError::not_found(
            format!(
                "{} 中没有科目路径为「{}」的行",
                ev.ix.table_short(t),
                names.join(" > ")
            ),
            span,
        )),
    }
}

fn row_below(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let (t, r) = row_arg(ev, arg(args, 0, span)?)?;
    let frag = text_arg(ev, arg(args, 1, span)?)?;
    let key = name_key(&frag);
    let rows = ev
        .ix
        .table(t)
        .map(|e| e.table.rows.as_slice())
        .unwrap_or(&[]);
    let from = rows.get(r as usize);
    let side = from.and_then(|row| row.group.clone());
    let mut found = None;
    for (i, row) in rows.iter().enumerate().skip(r as usize + 1) {
        if row.group != side {
            continue;
        }
        if !key.is_empty() && row.name_key().contains(&key) {
            found = Some(i);
            break;
        }
        if row.kind == RowKind::Total {
            break;
        }
    }
    match found.and_then(|i| u32::try_from(i).ok()) {
        Some(i) => Ok(Value::Row(t, i)),
        None => Err(EvalError::not_found(
            format!(
                "{} 中「{}」下方没有名称含「{frag}」的行",
                ev.ix.table_short(t),
                ev.ix.row_label(t, r)
            ),
            span,
        )),
    }
}
