//! tables/各表 (every table of a role, or of the document), find_row/查行 and
//! find_column/查列 (a row or column by a fragment of its name), cell/单元格 (a row's cell in
//! a column), grand_total/总计行 (a table's overall total row) and side_total/侧合计 (the
//! last total row of one side of a two-sided table).
//!
//! A role such as `项目绩效目标表` may name several tables (one per project). As a plain
//! reference that is an error (“对应多张表”); `各表(项目绩效目标表)` gives them all as a list,
//! so `sum(各表(项目绩效目标表).年度资金总额)` adds a row over every form.

use std::borrow::Cow;

use shenhe_lang::ast::Span;
use shenhe_model::{ColumnKind, name_key};

use super::{Builtin, arg, single_hit, table_arg, text_arg};
use crate::error::{ErrorKind, EvalError};
use crate::eval::Evaluator;
use crate::ir::{Node, NodeKind};
use crate::value::Value;

pub static FUNCS: &[Builtin] = &[
    Builtin {
        names: &["tables", "各表"],
        min_args: 0,
        max_args: usize::MAX,
        pattern_arg: None,
        signature: "tables([角色或表, …])",
        eval: tables,
    },
    Builtin {
        names: &["find_row", "查行"],
        min_args: 2,
        max_args: 3,
        pattern_arg: None,
        signature: "find_row(表, \"名称片段\"[, \"收入\"|\"支出\"…])",
        eval: find_row,
    },
    Builtin {
        names: &["cell", "单元格"],
        min_args: 2,
        max_args: 2,
        pattern_arg: None,
        signature: "cell(行, 列)",
        eval: cell,
    },
    Builtin {
        names: &["grand_total", "总计行"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "grand_total(表)",
        eval: grand_total,
    },
    Builtin {
        names: &["side_total", "侧合计"],
        min_args: 2,
        max_args: 2,
        pattern_arg: None,
        signature: "side_total(表, \"收入\"|\"支出\"…)",
        eval: side_total,
    },
    Builtin {
        names: &["find_column", "查列"],
        min_args: 2,
        max_args: 2,
        pattern_arg: None,
        signature: "find_column(表, \"名称片段\")",
        eval: find_column,
    },
];

/// The tables an argument stands for: every table of a role or number (none when absent), a
/// table, a list of tables, or the tables whose title contains a text.
pub fn tables_of(ev: &mut Evaluator<'_, '_>, node: &Node) -> Result<Vec<u32>, EvalError> {
    let ix = ev.ix;
    match &node.kind {
        NodeKind::TableRole { role, .. } => return Ok(ix.tables_with_role_id(*role).to_vec()),
        NodeKind::TableNumber { ordinal, .. } => return Ok(ix.tables_by_ordinal(*ordinal)),
        _ => {}
    }
    let v = match ev.eval(node) {
        Ok(v) => v,
        Err(e) if e.kind == ErrorKind::Absent => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    collect(ev, v, node, &mut out)?;
    Ok(out)
}

/// The tables an already evaluated value stands for (a table, a list of tables, a title).
pub fn collect(
    ev: &Evaluator<'_, '_>,
    v: Value,
    node: &Node,
    out: &mut Vec<u32>,
) -> Result<(), EvalError> {
    match v {
        Value::Table(t) => out.push(t),
        Value::List(items) => {
            out.reserve(items.len());
            for i in items {
                collect(ev, i, node, out)?;
            }
        }
        Value::Text(t) => out.extend(ev.ix.tables_by_title(&name_key(&t.text))),
        other => {
            return Err(EvalError::runtime(
                format!(
                    "`{}` 是{}，这里需要表、表格角色或标题片段",
                    ev.text(node.span),
                    other.describe()
                ),
                node.span,
            ));
        }
    }
    Ok(())
}

fn tables(ev: &mut Evaluator<'_, '_>, args: &[Node], _span: Span) -> Result<Value, EvalError> {
    let mut found: Vec<u32> = Vec::new();
    if args.is_empty() {
        found = (0..ev.ix.tables.len())
            .filter_map(|t| u32::try_from(t).ok())
            .collect();
    }
    for a in args {
        for t in tables_of(ev, a)? {
            if !found.contains(&t) {
                found.push(t);
            }
        }
    }
    Ok(Value::List(found.into_iter().map(Value::Table).collect()))
}

/// The key of the name fragment (argument 1), borrowed from the rule when the text written there
/// is its own key (most fragments are).
fn fragment<'n>(
    ev: &mut Evaluator<'_, '_>,
    args: &'n [Node],
    span: Span,
) -> Result<Cow<'n, str>, EvalError> {
    let node = arg(args, 1, span)?;
    let key = text_key(text_arg(ev, node)?);
    if key.is_empty() {
        return Err(EvalError::runtime("名称片段为空", node.span));
    }
    Ok(key)
}

/// The name key of a text argument, borrowed from the rule when the text is its own key.
fn text_key(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(t) => crate::docindex::key_cow(t),
        Cow::Owned(t) => Cow::Owned(name_key(&t)),
    }
}

/// Whether `name_key(text)` contains `key`, without building the key when `text` is one.
fn key_contains(text: &str, key: &str) -> bool {
    if shenhe_model::is_name_key(text) {
        shenhe_model::contains_str(text, key)
    } else {
        shenhe_model::contains_str(&name_key(text), key)
    }
}

fn find_row(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let t = table_arg(ev, arg(args, 0, span)?)?;
    let key = fragment(ev, args, span)?;
    let ix = ev.ix;
    let Some(e) = ix.table(t) else {
        return Err(EvalError::runtime("内部错误：表不存在", span));
    };
    let side = match args.get(2) {
        Some(n) => Some(text_key(text_arg(ev, n)?)),
        None => None,
    };
    let finder = shenhe_model::Finder::new(&key);
    let mut hits: Vec<u32> = e
        .rows()
        .iter()
        .zip(&e.table.rows)
        .enumerate()
        .filter(|(_, (k, row))| {
            finder.is_in(&k.full)
                && side
                    .as_ref()
                    .is_none_or(|s| row.group.as_deref().is_some_and(|g| key_contains(g, s)))
        })
        .filter_map(|(i, _)| u32::try_from(i).ok())
        .collect();
    // Rows with the very same label in successive blocks (决算: 本年收入 and 年初结转和结余 by
    // fund) stand for the first block's row.
    let label = |r: &u32| {
        ix.row(t, *r)
            .map(|row| row.label.as_str())
            .unwrap_or_default()
    };
    let first = hits.first().map(label).unwrap_or_default();
    if hits.iter().all(|r| label(r) == first) {
        hits.truncate(1);
    }
    if let [r] = hits.as_slice() {
        return Ok(Value::Row(t, *r));
    }
    single_hit(
        &hits,
        &ix.table_name(t),
        &format!("名称含 `{key}` 的行"),
        "行",
        |r| ix.row_label(t, r),
        "写得更具体一些，使片段只对应一行",
        span,
        |r| Value::Row(t, r),
    )
}

fn find_column(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let t = table_arg(ev, arg(args, 0, span)?)?;
    let key = fragment(ev, args, span)?;
    let ix = ev.ix;
    let Some(e) = ix.table(t) else {
        return Err(EvalError::runtime("内部错误：表不存在", span));
    };
    let finder = shenhe_model::Finder::new(&key);
    let hits: Vec<u32> = e
        .columns()
        .iter()
        .zip(&e.table.columns)
        .enumerate()
        .filter(|(_, (k, c))| c.kind == ColumnKind::Amount && finder.is_in(&k.last))
        .filter_map(|(i, _)| u32::try_from(i).ok())
        .collect();
    match hits.as_slice() {
        [c] => Ok(Value::Column(t, *c)),
        [] => Err(EvalError::not_found(
            format!("{} 中没有名称含 `{key}` 的金额列", ix.table_name(t)),
            span,
        )),
        many => {
            let names: Vec<String> = many
                .iter()
                .map(|c| format!("`{}`", ix.column_name(t, *c)))
                .collect();
            Err(EvalError::runtime(
                format!(
                    "{} 中名称含 `{key}` 的金额列有 {} 列：{}",
                    ix.table_name(t),
                    many.len(),
                    names.join("、")
                ),
                span,
            )
            .with_help("写得更具体一些，使片段只对应一列"))
        }
    }
}

fn cell(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let (t, r) = super::row_arg(ev, arg(args, 0, span)?)?;
    let col_node = arg(args, 1, span)?;
    match ev.eval(col_node)? {
        Value::Column(t2, c) if t2 == t => Ok(Value::Cell(t, r, c)),
        Value::Column(t2, _) => Err(EvalError::runtime(
            format!(
                "行属于{}，列却属于{}",
                ev.ix.table_name(t),
                ev.ix.table_name(t2)
            ),
            col_node.span,
        )),
        Value::Text(name) => crate::resolve::row_column(
            ev.ix,
            t,
            r,
            &crate::docindex::NameKey::new(&name.text),
            col_node.span,
        ),
        other => Err(EvalError::runtime(
            format!(
                "`{}` 是{}，这里需要一列",
                ev.text(col_node.span),
                other.describe()
            ),
            col_node.span,
        )),
    }
}

/// The overall total row of a table: a total printed as its first row (`总计` above the items),
/// the only row of a one-row table, else its last total row.
fn grand_total(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let t = table_arg(ev, arg(args, 0, span)?)?;
    let ix = ev.ix;
    let rows = ix.table(t).map(|e| e.table.rows.as_slice()).unwrap_or(&[]);
    let is_total = |r: &shenhe_model::Row| r.kind == shenhe_model::RowKind::Total;
    let found = match rows.first() {
        Some(first) if is_total(first) => Some(0),
        // A table of one row (a “三公” table printing only the unit's line) is its own total.
        Some(_) if rows.len() == 1 => Some(0),
        _ => rows.iter().rposition(is_total),
    };
    match found.and_then(|r| u32::try_from(r).ok()) {
        Some(r) => Ok(Value::Row(t, r)),
        None => Err(EvalError::not_found(
            format!("{} 没有合计行", ix.table_name(t)),
            span,
        )),
    }
}

/// The last total row of the side (row group) whose name contains the given fragment.
fn side_total(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let t = table_arg(ev, arg(args, 0, span)?)?;
    let side = text_key(text_arg(ev, arg(args, 1, span)?)?);
    let ix = ev.ix;
    let rows = ix.table(t).map(|e| e.table.rows.as_slice()).unwrap_or(&[]);
    let found = rows.iter().rposition(|r| {
        r.kind == shenhe_model::RowKind::Total
            && r.group.as_deref().is_some_and(|g| key_contains(g, &side))
    });
    match found.and_then(|r| u32::try_from(r).ok()) {
        Some(r) => Ok(Value::Row(t, r)),
        None => Err(EvalError::not_found(
            format!("{} 没有“{side}”一侧的合计行", ix.table_name(t)),
            span,
        )),
    }
}
