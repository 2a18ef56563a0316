//! sum/求和, count/计数, min/最小, max/最大.

use rust_decimal::Decimal;
use shenhe_lang::ast::Span;

use super::{Builtin, arg, collect_nums};
use crate::error::EvalError;
use crate::eval::{Evaluator, plain};
use crate::ir::Node;
use crate::num::{Num, NumKind, common_kind};
use crate::value::Value;

pub static FUNCS: &[Builtin] = &[
    Builtin {
        names: &["sum", "求和"],
        min_args: 1,
        max_args: usize::MAX,
        pattern_arg: None,
        signature: "sum(值, …)",
        eval: sum,
    },
    Builtin {
        names: &["count", "计数"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "count(列或列表)",
        eval: count,
    },
    Builtin {
        names: &["min", "最小"],
        min_args: 1,
        max_args: usize::MAX,
        pattern_arg: None,
        signature: "min(值, …)",
        eval: min,
    },
    Builtin {
        names: &["max", "最大"],
        min_args: 1,
        max_args: usize::MAX,
        pattern_arg: None,
        signature: "max(值, …)",
        eval: max,
    },
];

fn nums(
    ev: &mut Evaluator<'_, '_>,
    args: &[Node],
) -> Result<(Vec<Num>, Option<NumKind>), EvalError> {
    let mut out = Vec::new();
    let mut empty_kind = None;
    for a in args {
        let v = ev.eval(a)?;
        if let Value::Column(t, c) = &v {
            empty_kind = Some(
                match ev.ix.table(*t).and_then(|e| e.table.unit_of(*c as usize)) {
                    Some(u) => NumKind::Amount(u),
                    None => NumKind::Plain,
                },
            );
        }
        collect_nums(ev, v, a.span, &mut out)?;
    }
    Ok((out, empty_kind))
}

fn sum(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let (items, kind) = nums(ev, args)?;
    let mut acc: Option<Num> = None;
    for n in items {
        acc = Some(match acc {
            None => n,
            Some(a) => a.add(n, false).map_err(|e| e.at(span))?,
        });
    }
    Ok(Value::Num(match acc {
        Some(n) => Num { blank: false, ..n },
        None => Num::exact(Decimal::ZERO, kind.unwrap_or(NumKind::Plain)),
    }))
}

fn count(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let a = arg(args, 0, span)?;
    let n = match ev.eval(a)? {
        Value::Column(t, c) => ev
            .ix
            .column_rows(t, c)
            .into_iter()
            .filter(|r| ev.ix.cell(t, *r, c).is_some_and(|cell| !cell.is_blank()))
            .count(),
        Value::List(items) => items.len(),
        Value::Table(t) => ev.ix.table(t).map(|e| e.detail().len()).unwrap_or(0),
        other => {
            return Err(EvalError::runtime(
                format!(
                    "count 数的是列、列表或表的明细行，而 `{}` 是{}",
                    ev.text(a.span),
                    other.describe()
                ),
                a.span,
            ));
        }
    };
    Ok(plain(Decimal::from(n)))
}

fn extreme(
    ev: &mut Evaluator<'_, '_>,
    args: &[Node],
    span: Span,
    want_max: bool,
) -> Result<Value, EvalError> {
    let (items, _) = nums(ev, args)?;
    let Some(first) = items.first() else {
        return Err(EvalError::runtime("没有任何数可比较（列为空）", span));
    };
    // The common unit of all items (the finest one).
    let mut kind = first.kind;
    for n in items.iter().skip(1) {
        kind = common_kind(&kind, &n.kind, "比较")
            .map_err(|e| e.at(span))?
            .0;
    }
    let mut best: Option<(Decimal, u32, Vec<crate::value::Origin>)> = None;
    let (mut lo, mut hi) = (None::<Decimal>, None::<Decimal>);
    for n in items {
        let (_, _, shift) = common_kind(&kind, &n.kind, "比较").map_err(|e| e.at(span))?;
        let b = n.bounds_scaled(shift).map_err(|e| e.at(span))?;
        // The extreme's interval: lows combined and highs combined the same way.
        let pick = |a: Option<Decimal>, x: Decimal| {
            Some(match a {
                None => x,
                Some(a) if want_max => a.max(x),
                Some(a) => a.min(x),
            })
        };
        lo = pick(lo, b.lo);
        hi = pick(hi, b.hi);
        let better = match &best {
            None => true,
            Some((v, _, _)) => {
                if want_max {
                    b.value > *v
                } else {
                    b.value < *v
                }
            }
        };
        if better {
            best = Some((b.value, n.scale.saturating_sub(shift), n.origins));
        }
    }
    match (best, lo, hi) {
        (Some((value, scale, origins)), Some(lo), Some(hi)) => Ok(Value::Num(Num {
            value,
            lo,
            hi,
            kind,
            scale,
            blank: false,
            origins,
        })),
        _ => Err(EvalError::runtime("没有任何数可比较（列为空）", span)),
    }
}

fn min(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    extreme(ev, args, span, false)
}

fn max(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    extreme(ev, args, span, true)
}
