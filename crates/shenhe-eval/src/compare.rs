//! Comparisons: `==` holds when the rounding intervals meet, `===` when the printed values are
//! equal, `± t` / `± p%` with an explicit tolerance on the printed values; `<`, `<=`, … fail only
//! when the intervals show they certainly fail. Every comparison records both sides, the
//! difference and the tolerance it used.

use std::borrow::Cow;

use rust_decimal::Decimal;
use shenhe_lang::ast::{CompareOp, Span};

use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Tol;
use crate::num::{self, Bounds, Num, NumKind, common_kind, half_width};
use crate::value::{CompareRecord, Instance, Origin, ToleranceUsed, Truth, Value};

/// Direction classes of direction words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Flat,
}

impl Direction {
    pub fn of_word(w: &str) -> Option<Direction> {
        match w.trim() {
            "增加" | "增长" | "上升" | "大于" | "提高" | "增" => Some(Direction::Up),
            "减少" | "下降" | "降低" | "小于" | "减" => Some(Direction::Down),
            "持平" | "无变化" | "等于" | "不变" => Some(Direction::Flat),
            _ => None,
        }
    }
}

fn op_text(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "==",
        CompareOp::Ne => "!=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
        CompareOp::StrictEq => "===",
    }
}

pub fn op_symbol(op: CompareOp) -> &'static str {
    op_text(op)
}

fn origins_of(v: &Value) -> Vec<Origin> {
    match v {
        Value::Num(n) => n.origins.clone(),
        Value::Text(t) => t.origin.iter().cloned().collect(),
        _ => Vec::new(),
    }
}

/// A decided comparison as a truth: one instance with both sides, and their origins as
/// evidence (`左`, `右`).
pub(crate) fn record(
    op: CompareOp,
    holds: bool,
    left: Value,
    right: Value,
    difference: Option<Num>,
    tolerance: ToleranceUsed,
    span: Span,
) -> Truth {
    let mut evidence: Vec<(&'static str, Origin)> = Vec::new();
    evidence.extend(origins_of(&left).into_iter().map(|o| ("左", o)));
    evidence.extend(origins_of(&right).into_iter().map(|o| ("右", o)));
    Truth {
        holds,
        instances: vec![Instance {
            compare: Some(Box::new(CompareRecord {
                op,
                left,
                right,
                difference,
                tolerance,
            })),
            evidence,
            note: None,
            vars: Vec::new(),
            span: Some(span),
            negated: false,
            sides: None,
        }],
    }
}

/// Whether two texts are equal as rules compare them: the same text, the same direction
/// (`增加` and `增长`), or the same name key.
pub fn texts_equal(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    // (The second text is looked up only when the first is a direction word.)
    match Direction::of_word(a).and_then(|x| Some((x, Direction::of_word(b)?))) {
        Some((x, y)) => x == y,
        None => crate::docindex::keys_eq(a, b),
    }
}

/// `a op b` without a tolerance, decided on the mantissas as [`numbers`] decides it on the
/// bounds: `==` when the intervals meet, `<` and `<=` unless they certainly fail, `===` on the
/// values. `None` when it cannot be decided this way (kinds that need a conversion or cannot be
/// compared, scales more than ten places apart): [`numbers`] decides those, and says why they
/// fail.
pub fn quick(op: CompareOp, a: num::Quick, b: num::Quick) -> Option<bool> {
    // What `common_kind` lets through without rescaling.
    let same = match (a.kind, b.kind) {
        (NumKind::Plain, _) | (_, NumKind::Plain) => true,
        (x, y) => x == y,
    };
    if !same {
        return None;
    }
    // Both on the finer of their scales (at most ten places apart: every mantissa is below
    // 10²⁷, so nothing below overflows).
    let s = a.scale.max(b.scale);
    let fa = *num::QUICK_POW10.get((s - a.scale) as usize)?;
    let fb = *num::QUICK_POW10.get((s - b.scale) as usize)?;
    let (av, alo, ahi) = (a.value * fa, a.lo * fa, a.hi * fa);
    let (bv, blo, bhi) = (b.value * fb, b.lo * fb, b.hi * fb);
    Some(match op {
        CompareOp::Eq => alo <= bhi && blo <= ahi,
        CompareOp::Ne => !(alo <= bhi && blo <= ahi),
        CompareOp::StrictEq => av == bv,
        CompareOp::Le => alo <= bhi,
        CompareOp::Lt => alo < bhi,
        CompareOp::Ge => blo <= ahi,
        CompareOp::Gt => blo < ahi,
    })
}

/// `a op b` without a tolerance, on the bounds of the two intervals: `==` when they meet,
/// `<` and `<=` unless they certainly fail, `===` on the values.
fn on_bounds(op: CompareOp, lb: &num::Bounds, rb: &num::Bounds) -> bool {
    match op {
        CompareOp::Eq => lb.meets(rb),
        CompareOp::Ne => !lb.meets(rb),
        CompareOp::StrictEq => num::cmp(lb.value, rb.value).is_eq(),
        CompareOp::Le => num::le(lb.lo, rb.hi),
        CompareOp::Lt => num::lt(lb.lo, rb.hi),
        CompareOp::Ge => num::le(rb.lo, lb.hi),
        CompareOp::Gt => num::lt(rb.lo, lb.hi),
    }
}

/// Compares two evaluated values.
#[allow(clippy::too_many_arguments)]
pub fn compare(
    ev: &Evaluator<'_, '_>,
    op: CompareOp,
    left: Value,
    right: Value,
    tol: Option<&Tol>,
    lspan: Span,
    rspan: Span,
    span: Span,
) -> Result<Truth, EvalError> {
    // Conditions and text compare for equality only.
    let textual = |v: &Value| matches!(v, Value::Text(_) | Value::Bool(_));
    if textual(&left) || textual(&right) {
        let equal = match (&left, &right) {
            (Value::Text(a), Value::Text(b)) => texts_equal(&a.text, &b.text),
            (Value::Bool(a), Value::Bool(b)) => a.holds == b.holds,
            (a, b) => {
                return Err(EvalError::runtime(
                    format!(
                        "不能比较{}与{}：`{}` {} `{}`",
                        a.describe(),
                        b.describe(),
                        ev.text(lspan),
                        op_text(op),
                        ev.text(rspan)
                    ),
                    span,
                ));
            }
        };
        let holds = match op {
            CompareOp::Eq | CompareOp::StrictEq => equal,
            CompareOp::Ne => !equal,
            _ => {
                return Err(EvalError::runtime(
                    format!(
                        "文字和条件只能比较相等（`==`、`!=`），不能用 `{}`",
                        op_text(op)
                    ),
                    span,
                ));
            }
        };
        if tol.is_some() {
            return Err(EvalError::runtime("文字比较不能带容差", span));
        }
        if !ev.wants_evidence(holds) {
            return Ok(Truth::simple(holds));
        }
        return Ok(record(
            op,
            holds,
            left,
            right,
            None,
            ToleranceUsed::Strict,
            span,
        ));
    }

    // Two numbers read from the document (or written exactly) decided without building them,
    // when nothing of them is kept.
    if tol.is_none()
        && let (Some(a), Some(b)) = (ev.quick(&left), ev.quick(&right))
        && let Some(holds) = quick(op, a, b)
        && !ev.wants_evidence(holds)
    {
        return Ok(Truth::simple(holds));
    }
    let l = ev.to_num(left, lspan)?;
    let r = ev.to_num(right, rspan)?;
    numbers(ev, op, Cow::Owned(l), Cow::Owned(r), tol, span)
}

/// Compares two numbers (what [`compare`] does once both sides are numbers); a side may be
/// borrowed (a literal in the rule), and is copied only into the evidence.
pub fn numbers(
    ev: &Evaluator<'_, '_>,
    op: CompareOp,
    l: Cow<'_, Num>,
    r: Cow<'_, Num>,
    tol: Option<&Tol>,
    span: Span,
) -> Result<Truth, EvalError> {
    let (kind, sa, sb) = common_kind(&l.kind, &r.kind, "比较").map_err(|e| e.at(span))?;
    let mut lb = l.bounds_scaled(sa).map_err(|e| e.at(span))?;
    let mut rb = r.bounds_scaled(sb).map_err(|e| e.at(span))?;
    let mut kind = kind;
    let mut scale = l.scale.saturating_sub(sa).max(r.scale.saturating_sub(sb));

    // An explicit tolerance: bring it to the same unit (possibly a finer one).
    let mut tol_bounds: Option<(Decimal, ToleranceUsed)> = None;
    if let Some(t) = tol {
        match t {
            Tol::Absolute(n) => {
                let (k2, s_lr, s_t) =
                    common_kind(&kind, &n.kind, "用容差比较").map_err(|e| e.at(span))?;
                lb = rescale(lb, s_lr, span)?;
                rb = rescale(rb, s_lr, span)?;
                scale = scale.saturating_sub(s_lr);
                kind = k2;
                let tb = n.bounds_scaled(s_t).map_err(|e| e.at(span))?;
                tol_bounds = Some((
                    tb.value.abs(),
                    ToleranceUsed::Absolute { amount: n.clone() },
                ));
            }
            Tol::Relative(p) => {
                let larger = num::max(lb.value.abs(), rb.value.abs());
                let allowed = larger
                    .checked_mul(*p)
                    .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
                    .ok_or_else(|| EvalError::runtime("容差计算溢出", span))?;
                let amount = Num::exact(allowed, kind);
                tol_bounds = Some((
                    allowed,
                    ToleranceUsed::Relative {
                        percent: *p,
                        amount,
                    },
                ));
            }
        }
    }

    let overflow = || EvalError::runtime("差额计算溢出", span);
    let diff_value = lb.value.checked_sub(rb.value).ok_or_else(overflow)?;
    let holds = match &tol_bounds {
        Some((t, _)) => {
            let (d, t) = (diff_value, *t);
            match op {
                CompareOp::Eq | CompareOp::StrictEq => d.abs() <= t,
                CompareOp::Ne => d.abs() > t,
                CompareOp::Le => d <= t,
                CompareOp::Lt => d < t,
                CompareOp::Ge => d >= -t,
                CompareOp::Gt => d > -t,
            }
        }
        None => on_bounds(op, &lb, &rb),
    };
    if !ev.wants_evidence(holds) {
        return Ok(Truth::simple(holds));
    }
    // Evidence: the difference (as an interval) and the tolerance that decided.
    let difference = Num {
        value: diff_value,
        lo: lb.lo.checked_sub(rb.hi).ok_or_else(overflow)?,
        hi: lb.hi.checked_sub(rb.lo).ok_or_else(overflow)?,
        kind,
        scale,
        blank: false,
        origins: Vec::new(),
    };
    let used = match tol_bounds {
        Some((_, used)) => used,
        None if op == CompareOp::StrictEq || (lb.lo == lb.hi && rb.lo == rb.hi) => {
            ToleranceUsed::Strict
        }
        None => ToleranceUsed::Rounding {
            left: half_width(lb.lo, lb.hi),
            right: half_width(rb.lo, rb.hi),
            unit: unit_word(&kind),
        },
    };
    Ok(record(
        op,
        holds,
        Value::Num(l.into_owned()),
        Value::Num(r.into_owned()),
        Some(difference),
        used,
        span,
    ))
}

fn rescale(b: Bounds, k: u32, span: Span) -> Result<Bounds, EvalError> {
    let n = Num {
        value: b.value,
        lo: b.lo,
        hi: b.hi,
        kind: NumKind::Plain,
        scale: 0,
        blank: false,
        origins: Vec::new(),
    };
    n.bounds_scaled(k).map_err(|e| e.at(span))
}

pub fn unit_word(kind: &NumKind) -> String {
    match kind {
        NumKind::Plain => String::new(),
        NumKind::Amount(u) => u.name().to_string(),
        NumKind::Percent => "%".to_string(),
        NumKind::Count(w) => w.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;
    use shenhe_lang::ast::CompareOp;
    use shenhe_model::Unit;

    use super::quick;
    use crate::num::{Num, NumKind, Quick};

    /// What [`super::numbers`] decides for two numbers without a tolerance, on their bounds.
    fn on_bounds(op: CompareOp, a: &Num, b: &Num) -> bool {
        super::on_bounds(op, &a.bounds(), &b.bounds())
    }

    /// Comparisons decided on mantissas agree with those decided on the bounds `Num::printed`
    /// and `Num::exact` build: equal values, values half a unit apart, neighbours of random
    /// scales and signs, blank zeros; kinds that need a conversion are left to `numbers`.
    #[test]
    fn quick_comparisons_decide_as_bounds_do() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut values: Vec<Decimal> = vec![
            Decimal::ZERO,
            -Decimal::ZERO,
            Decimal::new(0, 2),
            Decimal::new(5, 1),
            Decimal::new(-5, 1),
            Decimal::new(82107, 2),
            Decimal::new(821_070, 3),
            Decimal::new(821_075, 3),
            Decimal::new(821_065, 3),
            Decimal::new(821, 0),
            Decimal::new(822, 0),
            Decimal::new(99_999_999_999_999, 26),
        ];
        for _ in 0..600 {
            let (a, c) = (next(), next());
            let scale = (c % 12) as u32;
            let m = (a % 2_000_000) as i64 - 1_000_000;
            let x = Decimal::new(m, scale);
            values.push(x);
            // Its neighbours: one place finer, half a unit either way and the same value.
            for d in [-5, 0, 5] {
                values.push(Decimal::new(m * 10 + d, scale + 1));
            }
        }
        let ops = [
            CompareOp::Eq,
            CompareOp::Ne,
            CompareOp::StrictEq,
            CompareOp::Le,
            CompareOp::Lt,
            CompareOp::Ge,
            CompareOp::Gt,
        ];
        let wan = NumKind::Amount(Unit::WanYuan);
        let mut decided = 0;
        for (i, x) in values.iter().enumerate() {
            for y in values.iter().skip(i.saturating_sub(6)).take(12) {
                for (px, py) in [(true, true), (true, false), (false, true), (false, false)] {
                    let num = |v: Decimal, printed: bool, kind| {
                        if printed {
                            Num::printed(v, kind)
                        } else {
                            Num::exact(v, kind)
                        }
                    };
                    let (a, b) = (num(*x, px, wan), num(*y, py, NumKind::Plain));
                    let q = |v: Decimal, printed: bool, n: &Num| {
                        if printed {
                            Quick::printed(v, n.kind)
                        } else {
                            Quick::of_num(n)
                        }
                    };
                    let (qa, qb) = (q(*x, px, &a), q(*y, py, &b));
                    let (Some(qa), Some(qb)) = (qa, qb) else {
                        continue;
                    };
                    for op in ops {
                        let got = quick(op, qa, qb);
                        if let Some(holds) = got {
                            decided += 1;
                            assert_eq!(holds, on_bounds(op, &a, &b), "{x} {op:?} {y} ({px}, {py})");
                        }
                    }
                }
            }
        }
        assert!(decided > 100_000, "{decided}");
        // Computed numbers (sums of printed ones, products) are taken with their bounds.
        for (i, x) in values.iter().enumerate().step_by(7) {
            for y in values.iter().skip(i.saturating_sub(6)).take(12) {
                let (a, b) = (Num::printed(*x, wan), Num::printed(*y, wan));
                let sum = a.clone().add(b.clone(), false).unwrap();
                let diff = a.clone().add(b.clone(), true).unwrap();
                let scaled = a
                    .clone()
                    .mul(Num::exact(Decimal::new(3, 1), NumKind::Plain))
                    .unwrap();
                for (l, r) in [(&sum, &b), (&diff, &a), (&scaled, &sum), (&a, &diff)] {
                    let (Some(ql), Some(qr)) = (Quick::of_num(l), Quick::of_num(r)) else {
                        continue;
                    };
                    for op in ops {
                        if let Some(holds) = quick(op, ql, qr) {
                            decided += 1;
                            assert_eq!(holds, on_bounds(op, l, r), "{l:?} {op:?} {r:?}");
                        }
                    }
                }
            }
        }
        assert!(decided > 110_000, "{decided}");
        // A blank cell is an exact zero.
        let zero = Quick::zero(wan);
        let blank = Num::blank(wan);
        // (Values up to nine decimals: one past, a value is ten places from zero's scale.)
        for y in values.iter().take(40).filter(|y| y.scale() < 10) {
            let (b, qb) = (Num::printed(*y, wan), Quick::printed(*y, wan).unwrap());
            for op in ops {
                assert_eq!(
                    quick(op, zero, qb),
                    Some(on_bounds(op, &blank, &b)),
                    "0 {op:?} {y}"
                );
            }
        }
        // Kinds that need a conversion, or cannot be compared, are left to `numbers`.
        let yuan = Quick::printed(Decimal::ONE, NumKind::Amount(Unit::Yuan));
        let pct = Quick::printed(Decimal::ONE, NumKind::Percent);
        let w = Quick::printed(Decimal::ONE, wan);
        for (a, b) in [(yuan, w), (pct, w)] {
            let (Some(a), Some(b)) = (a, b) else {
                panic!("small values are taken");
            };
            assert_eq!(quick(CompareOp::Eq, a, b), None);
        }
        // Values past the limit are not taken.
        assert!(Quick::printed(Decimal::MAX, wan).is_none());
        assert!(Quick::of_num(&Num::exact(Decimal::MAX, wan)).is_none());
    }
}
