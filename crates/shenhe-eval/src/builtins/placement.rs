//! ambiguous/存疑: whether a value rests on a cell whose column ingest could not determine.
//!
//! Extracted text drops blank cells; when several placements of a row's values fit a table
//! equally well, ingest picks one and marks the cells ambiguous (and warns). A rule that
//! reads single columns of such a row would judge a guess, so it can step aside:
//! `存疑(三公经费表.总计.公务接待费) 或 …`.

use shenhe_lang::ast::Span;
use shenhe_model::{Cell, Placement};

use super::{Builtin, arg};
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::value::{Origin, Value};

pub static FUNCS: &[Builtin] = &[Builtin {
    names: &["ambiguous", "存疑"],
    min_args: 1,
    max_args: 1,
    pattern_arg: None,
    signature: "ambiguous(单元格、行、列、表或数)",
    eval: ambiguous,
}];

fn is_ambiguous(c: Option<&Cell>) -> bool {
    c.is_some_and(|c| matches!(c.placement, Placement::Ambiguous { .. }))
}

fn ambiguous(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let a = arg(args, 0, span)?;
    let text = ev.text(a.span);
    let ix = ev.ix;
    let mut places: Vec<Origin> = Vec::new();
    let mut check = |t: u32, r: u32, c: u32| {
        if is_ambiguous(ix.cell(t, r, c)) {
            places.push(Origin::Cell {
                table: t,
                row: r,
                column: c,
            });
        }
    };
    match ev.eval(a)? {
        Value::Cell(t, r, c) => check(t, r, c),
        Value::Row(t, r) => {
            for cell in ix.row(t, r).map(|row| row.cells.as_slice()).unwrap_or(&[]) {
                check(t, r, u32::try_from(cell.column).unwrap_or(u32::MAX));
            }
        }
        Value::Column(t, c) => {
            let n = ix.table(t).map(|e| e.table.rows.len()).unwrap_or(0);
            for r in (0..n).filter_map(|r| u32::try_from(r).ok()) {
                check(t, r, c);
            }
        }
        Value::Table(t) => {
            let rows = ix.table(t).map(|e| e.table.rows.as_slice()).unwrap_or(&[]);
            for (r, row) in rows.iter().enumerate() {
                for cell in &row.cells {
                    check(
                        t,
                        u32::try_from(r).unwrap_or(u32::MAX),
                        u32::try_from(cell.column).unwrap_or(u32::MAX),
                    );
                }
            }
        }
        Value::Num(n) => {
            for o in &n.origins {
                if let Origin::Cell { table, row, column } = o {
                    check(*table, *row, *column);
                }
            }
        }
        other => {
            return Err(EvalError::runtime(
                format!(
                    "ambiguous 判断单元格、行、列、表或数的来源是否存疑，而 `{text}` 是{}",
                    other.describe()
                ),
                a.span,
            ));
        }
    }
    let holds = !places.is_empty();
    let count = places.len();
    // The note and evidence only when they may be reported.
    let note = || {
        if holds {
            format!("`{text}` 有 {count} 个单元格的列位置存疑")
        } else {
            format!("`{text}` 的列位置确定")
        }
    };
    let evidence = || places.into_iter().map(|o| ("存疑", o)).collect();
    Ok(ev.verdict(holds, note, evidence))
}
