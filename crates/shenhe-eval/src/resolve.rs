//! Reference resolution in one document: tables, `T.名` (a column, else a row), `T.行.列`,
//! `T["编码或名称"]`, columns under a header. Unknown names are errors of the rule with
//! did-you-mean suggestions drawn from the document.

use shenhe_lang::ast::Span;

use crate::docindex::{DocIndex, NameKey};
use crate::error::{Among, EvalError};
use crate::suggest::suggest;
use crate::value::Value;

/// Exactly one table among `found`, else an error naming the problem.
pub fn one_table(
    ix: &DocIndex<'_>,
    found: &[u32],
    name: &str,
    span: Span,
) -> Result<Value, EvalError> {
    match found {
        [t] => Ok(Value::Table(*t)),
        [] => Err(EvalError::absent(format!("文档中没有 `{name}`"), span)),
        many => {
            let names: Vec<String> = many
                .iter()
                .map(|t| format!("`{}`", ix.table_name(*t)))
                .collect();
            Err(
                EvalError::runtime(format!("`{name}` 对应多张表：{}", names.join("、")), span)
                    .with_help("用表号（如 `表三`）或 `表格(\"标题片段\")` 指明是哪一张"),
            )
        }
    }
}

fn quote_list(items: impl IntoIterator<Item = String>) -> String {
    items
        .into_iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join("、")
}

fn ambiguous_columns(
    ix: &DocIndex<'_>,
    t: u32,
    cols: &[u32],
    name: &NameKey,
    span: Span,
) -> EvalError {
    let names = quote_list(cols.iter().map(|c| ix.column_name(t, *c)));
    let example = cols
        .first()
        .map(|c| ix.column_name(t, *c))
        .unwrap_or_default();
    EvalError::runtime(
        format!(
            "{} 中名为 `{}` 的列有 {} 个：{names}",
            ix.table_name(t),
            name.raw,
            cols.len()
        ),
        span,
    )
    .with_help(format!(
        "写出上级表头，例如 `{}[\"{example}\"]`",
        ix.table_short(t)
    ))
}

fn ambiguous_rows(ix: &DocIndex<'_>, t: u32, rows: &[u32], name: &str, span: Span) -> EvalError {
    let list: Vec<String> = rows.iter().map(|r| format!("第 {} 行", r + 1)).collect();
    EvalError::runtime(
        format!(
            "{} 中名为 `{name}` 的行有 {} 行（{}）",
            ix.table_name(t),
            rows.len(),
            list.join("、")
        ),
        span,
    )
    .with_help("有编码时用编码指明，例如 `表六[\"2010104\"]`")
}

fn unknown_member(ix: &DocIndex<'_>, t: u32, name: &NameKey, span: Span) -> EvalError {
    EvalError::not_found(
        format!("{} 中没有名为 `{}` 的列或行", ix.table_name(t), name.raw),
        span,
    )
    .suggesting(&name.raw, Among::Members(t))
}

/// `T.名`: a column of T, else a header with columns under it, else a row.
pub fn table_member(
    ix: &DocIndex<'_>,
    t: u32,
    name: &NameKey,
    span: Span,
) -> Result<Value, EvalError> {
    let cols = ix.columns_named(t, name);
    match cols.as_slice() {
        [c] => return Ok(Value::Column(t, *c)),
        [] => {}
        many => return Err(ambiguous_columns(ix, t, many, name, span)),
    }
    if ix.is_column_group(t, name) {
        return Ok(Value::ColumnGroup(t, name.key().to_string()));
    }
    table_row(ix, t, name, span)
}

fn table_row(ix: &DocIndex<'_>, t: u32, name: &NameKey, span: Span) -> Result<Value, EvalError> {
    let rows = ix.rows_named(t, name);
    match rows.as_slice() {
        [r] => Ok(Value::Row(t, *r)),
        [] => Err(unknown_member(ix, t, name, span)),
        many => Err(ambiguous_rows(ix, t, many, &name.raw, span)),
    }
}

/// The cell of row `r` in the column named `name`. In a two-sided table the column on the
/// row's own side wins.
pub fn row_column(
    ix: &DocIndex<'_>,
    t: u32,
    r: u32,
    name: &NameKey,
    span: Span,
) -> Result<Value, EvalError> {
    let mut cols = ix.columns_named(t, name);
    if cols.len() > 1
        && let (Some(e), Some(row)) = (ix.table(t), ix.row(t, r))
    {
        {
            let own: crate::docindex::Hits = cols
                .as_slice()
                .iter()
                .copied()
                .filter(|c| {
                    e.table
                        .columns
                        .get(*c as usize)
                        .is_some_and(|col| col.group.is_none() || col.group == row.group)
                        && row.cell(*c as usize).is_some()
                })
                .collect();
            if !own.is_empty() {
                cols = own;
            }
        }
    }
    match cols.as_slice() {
        [c] => Ok(Value::Cell(t, r, *c)),
        [] => Err(EvalError::not_found(
            format!(
                "{} 中没有名为 `{}` 的列（在第 {} 行 `{}`）",
                ix.table_name(t),
                name.raw,
                r + 1,
                ix.row_label(t, r)
            ),
            span,
        )
        .suggesting(&name.raw, Among::Columns(t))),
        many => Err(ambiguous_columns(ix, t, many, name, span)),
    }
}

/// `基.名` on any value.
pub fn field(
    ix: &DocIndex<'_>,
    base: Value,
    name: &NameKey,
    span: Span,
) -> Result<Value, EvalError> {
    match base {
        Value::Table(t) => table_member(ix, t, name, span),
        Value::ColumnGroup(t, head) => group_column(ix, t, &head, name, span),
        Value::Row(t, r) => row_column(ix, t, r, name, span),
        Value::Column(t, c) => {
            let rows = ix.rows_named(t, name);
            match rows.as_slice() {
                [r] => Ok(Value::Cell(t, *r, c)),
                [] => Err(EvalError::not_found(
                    format!("{} 中没有名为 `{}` 的行", ix.table_name(t), name.raw),
                    span,
                )
                .suggesting(&name.raw, Among::Rows(t))),
                many => Err(ambiguous_rows(ix, t, many, &name.raw, span)),
            }
        }
        Value::List(items) => items
            .into_iter()
            .map(|v| field(ix, v, name, span))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::List),
        other => Err(EvalError::runtime(
            format!("{}没有名为 `{}` 的成员", other.describe(), name.raw),
            span,
        )),
    }
}

fn group_column(
    ix: &DocIndex<'_>,
    t: u32,
    head: &str,
    name: &NameKey,
    span: Span,
) -> Result<Value, EvalError> {
    let cols = ix.columns_in_group(t, head, name);
    match cols.as_slice() {
        [c] => Ok(Value::Column(t, *c)),
        [] => {
            let under: Vec<String> = ix
                .table(t)
                .map(|e| {
                    e.columns()
                        .iter()
                        .zip(&e.table.columns)
                        .filter(|(k, _)| k.heads.iter().any(|h| h == head))
                        .map(|(_, c)| c.name().to_string())
                        .collect()
                })
                .unwrap_or_default();
            Err(EvalError::not_found(
                format!(
                    "{} 的表头 `{head}` 下没有名为 `{}` 的列（有 {}）",
                    ix.table_name(t),
                    name.raw,
                    quote_list(under.clone())
                ),
                span,
            )
            .with_suggestions(&suggest(&name.raw, &under)))
        }
        many => Err(ambiguous_columns(ix, t, many, name, span)),
    }
}

/// `基["键"]`: on a table a row by code or name (else a column); on a row a column; on a
/// column a row; under a header a column.
pub fn index(
    ix: &DocIndex<'_>,
    base: Value,
    name: &NameKey,
    span: Span,
) -> Result<Value, EvalError> {
    let key = name.raw.as_str();
    match base {
        Value::Table(t) => {
            let rows = ix.rows_named(t, name);
            match rows.as_slice() {
                [r] => Ok(Value::Row(t, *r)),
                [] => {
                    let cols = ix.columns_named(t, name);
                    match cols.as_slice() {
                        [c] => Ok(Value::Column(t, *c)),
                        [] if ix.is_column_group(t, name) => {
                            Ok(Value::ColumnGroup(t, name.key().to_string()))
                        }
                        [] => Err(unknown_member(ix, t, name, span)),
                        many => Err(ambiguous_columns(ix, t, many, name, span)),
                    }
                }
                many => Err(ambiguous_rows(ix, t, many, key, span)),
            }
        }
        other => field(ix, other, name, span),
    }
}
