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

fn record(
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
        None => match op {
            CompareOp::Eq => lb.meets(&rb),
            CompareOp::Ne => !lb.meets(&rb),
            CompareOp::StrictEq => num::cmp(lb.value, rb.value).is_eq(),
            CompareOp::Le => num::le(lb.lo, rb.hi),
            CompareOp::Lt => num::lt(lb.lo, rb.hi),
            CompareOp::Ge => num::le(rb.lo, lb.hi),
            CompareOp::Gt => num::lt(rb.lo, lb.hi),
        },
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
