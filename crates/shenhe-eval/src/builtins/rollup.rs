//! rollup/层级合计: every parent row equals the sum of its children, in every amount column
//! (or the columns given), using rounding intervals; of one table, or of every table of a list
//! (`各表(项目绩效目标表)`, columns cannot be given then). One failure instance per broken parent,
//! with the parent's and every child's cell as evidence. A parent whose children all start
//! with `其中` is not checked: they are parts of it, not a breakdown. When no parent cell is
//! checked at all (tables of one level), the result is "absent": a rule built on it does not
//! apply.

use shenhe_lang::ast::{CompareOp, Span};
use shenhe_model::ColumnKind;

use super::collect::collect;
use super::totals::{Gap, difference, is_part_row, sum_breaks};
use super::{Builtin, arg, table_value};
use crate::docindex::NameKey;
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::num::Num;
use crate::value::{CompareRecord, Instance, Origin, ToleranceUsed, Truth, Value};

pub static FUNCS: &[Builtin] = &[Builtin {
    names: &["rollup", "层级合计"],
    min_args: 1,
    max_args: usize::MAX,
    pattern_arg: None,
    signature: "rollup(表或表的列表[, 列, …])",
    eval: rollup,
}];

fn columns(ev: &mut Evaluator<'_, '_>, t: u32, args: &[Node]) -> Result<Vec<u32>, EvalError> {
    let ix = ev.ix;
    if args.len() <= 1 {
        return Ok(ix
            .table(t)
            .map(|e| {
                e.table
                    .columns
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.kind == ColumnKind::Amount)
                    .filter_map(|(i, _)| u32::try_from(i).ok())
                    .collect()
            })
            .unwrap_or_default());
    }
    let mut out = Vec::new();
    for a in args.iter().skip(1) {
        match ev.eval(a)? {
            Value::Column(t2, c) if t2 == t => out.push(c),
            Value::Text(name) => {
                match crate::resolve::table_member(ix, t, &NameKey::new(&name.text), a.span)? {
                    Value::Column(_, c) => out.push(c),
                    _ => {
                        return Err(EvalError::not_found(
                            format!("{} 中没有名为 `{}` 的列", ix.table_name(t), name.text),
                            a.span,
                        ));
                    }
                }
            }
            other => {
                return Err(EvalError::runtime(
                    format!(
                        "rollup 的列须是该表的列名，而 `{}` 是{}",
                        ev.text(a.span),
                        other.describe()
                    ),
                    a.span,
                ));
            }
        }
    }
    Ok(out)
}

/// The tables of the first argument: one table, or a list of them (then without columns).
fn tables(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Vec<u32>, EvalError> {
    let first = arg(args, 0, span)?;
    match ev.eval(first)? {
        v @ Value::List(_) => {
            if args.len() > 1 {
                return Err(EvalError::runtime(
                    "层级合计给出列时只能核对一张表",
                    first.span,
                ));
            }
            let mut out = Vec::new();
            collect(ev, v, first, &mut out)?;
            Ok(out)
        }
        v => Ok(vec![table_value(ev, v, first)?]),
    }
}

fn rollup(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let mut out = Truth::simple(true);
    let mut checked = 0usize;
    for t in tables(ev, args, span)? {
        let cols = columns(ev, t, args)?;
        if !rollup_table(ev, t, &cols, span, &mut out, &mut checked)? {
            return Ok(Value::truth(false));
        }
    }
    if checked == 0 {
        // No parent with a breakdown (a table of one level): nothing was checked, so a rule
        // built on it does not apply, rather than passing vacuously.
        return Err(EvalError::absent("表中没有可核对的上级行与下级行", span));
    }
    Ok(Value::Bool(out))
}

/// Checks the parents of table `t` in `cols`, adding a failure instance to `out` per broken
/// parent and counting the parent cells checked in `checked`. Returns false at the first broken
/// parent when not explaining (the fast pass only needs to know).
fn rollup_table(
    ev: &mut Evaluator<'_, '_>,
    t: u32,
    cols: &[u32],
    span: Span,
    out: &mut Truth,
    checked: &mut usize,
) -> Result<bool, EvalError> {
    let ix = ev.ix;
    let Some(entry) = ix.table(t) else {
        return Ok(true);
    };
    // The part cells of one parent, reused.
    let mut cells: Vec<(u32, u32, u32)> = Vec::new();
    for (p, kids) in entry.children().iter().enumerate() {
        // `其中` rows alone are parts of their parent (`四、其他收入` over `其中：捐赠收入`); a
        // `其中` row followed by siblings opens the breakdown (`年度资金总额` over `其中：当年
        // 财政拨款`, `上年结转资金`, `其他资金`) and is added with them.
        let part = |k: &u32| is_part_row(entry.rows().get(*k as usize));
        if kids.iter().all(part) {
            continue;
        }
        let Ok(p) = u32::try_from(p) else { break };
        let mut inst: Option<Instance> = None;
        for &c in cols {
            let has_cell = |r: u32| ix.cell(t, r, c).is_some();
            if !has_cell(p) && !kids.iter().any(|k| has_cell(*k)) {
                continue;
            }
            *checked += 1;
            let explain = ev.explaining();
            if !explain {
                // The fast pass only needs to know that some parent is broken: the sum on the
                // mantissas when it can be.
                cells.clear();
                cells.extend(kids.iter().map(|k| (t, *k, c)));
                if sum_breaks(ix, (t, p, c), &cells, span)? {
                    return Ok(false);
                }
                continue;
            }
            let parent = ix
                .cell_num_with(t, p, c, explain)
                .map_err(|m| EvalError::runtime(m, span))?;
            let mut sum: Option<Num> = None;
            for &k in kids {
                let n = ix
                    .cell_num_with(t, k, c, explain)
                    .map_err(|m| EvalError::runtime(m, span))?;
                sum = Some(match sum {
                    None => n,
                    Some(s) => s.add(n, false).map_err(|e| e.at(span))?,
                });
            }
            let Some(sum) = sum else { continue };
            let Some(Gap {
                diff,
                left_half,
                right_half,
                unit,
            }) = difference(&parent, &sum, span)?
            else {
                continue;
            };
            let note = format!(
                "`{}` 的 `{}` 为 {}，下级 {} 行合计 {}，相差 {}",
                ix.row_label(t, p),
                ix.column_name(t, c),
                parent.display(),
                kids.len(),
                sum.display(),
                diff.display()
            );
            let i = inst.get_or_insert_with(|| Instance {
                vars: vec![
                    ("行".into(), Value::Row(t, p)),
                    ("表".into(), Value::Table(t)),
                ],
                span: Some(span),
                ..Instance::default()
            });
            i.evidence.push((
                "上级",
                Origin::Cell {
                    table: t,
                    row: p,
                    column: c,
                },
            ));
            for &k in kids {
                i.evidence.push((
                    "下级",
                    Origin::Cell {
                        table: t,
                        row: k,
                        column: c,
                    },
                ));
            }
            match &mut i.note {
                Some(n) => {
                    n.push('；');
                    n.push_str(&note);
                }
                None => i.note = Some(note),
            }
            if i.compare.is_none() {
                i.compare = Some(Box::new(CompareRecord {
                    op: CompareOp::Eq,
                    tolerance: ToleranceUsed::Rounding {
                        left: left_half,
                        right: right_half,
                        unit,
                    },
                    left: Value::Num(parent),
                    right: Value::Num(Num {
                        origins: Vec::new(),
                        ..sum
                    }),
                    difference: Some(diff),
                }));
            }
        }
        if let Some(i) = inst {
            out.holds = false;
            out.instances.push(i);
        }
    }
    Ok(true)
}
