//! Numbers with units and the intervals their printed decimals imply (XBRL Calculations 1.1).
//!
//! A value printed with `d` decimals stands for every number that rounds to it:
//! `[v − ½·10⁻ᵈ, v + ½·10⁻ᵈ]`. Literals in rules are exact. Intervals propagate through
//! `+ − × ÷`; amounts in different units are rescaled exactly (to the finer unit) first.
//! Every operation is checked: overflow and division by zero are errors, never panics.

use std::cmp::Ordering;

use rust_decimal::{Decimal, RoundingStrategy};
use shenhe_model::Unit;

use crate::error::NumError;
use crate::value::Origin;

/// What a number measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumKind {
    /// A bare number (a literal such as `100`, a count of rows, a ratio).
    Plain,
    /// Money in a unit.
    Amount(Unit),
    /// A percentage: the value is in percent (`82.93` for `82.93%`).
    Percent,
    /// A count with its measure word (`4个`, `2辆`; empty when unknown).
    Count(&'static str),
}

impl NumKind {
    /// The Chinese name of the kind, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            NumKind::Plain => "数",
            NumKind::Amount(_) => "金额",
            NumKind::Percent => "百分比",
            NumKind::Count(_) => "数量",
        }
    }
}

/// A number: its value (as printed or as computed), the interval of values it stands for, what
/// it measures, how many decimals to show, whether it came from a blank cell, and where in the
/// document it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Num {
    pub value: Decimal,
    pub lo: Decimal,
    pub hi: Decimal,
    pub kind: NumKind,
    /// Decimals to show when printing.
    pub scale: u32,
    /// True for the exact zero a blank cell stands for.
    pub blank: bool,
    pub origins: Vec<Origin>,
}

/// The three numbers arithmetic works on, after rescaling to a common unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub value: Decimal,
    pub lo: Decimal,
    pub hi: Decimal,
}

fn pow10(k: u32) -> Result<Decimal, NumError> {
    let p = 10i128.checked_pow(k).ok_or_else(NumError::overflow)?;
    Decimal::try_from_i128_with_scale(p, 0).map_err(|_| NumError::overflow())
}

/// `a + b`. Two numbers of the same scale (the usual case: cells of one table) add their
/// mantissas, which is what `checked_add` does for them without its general path; a zero sum
/// (its sign follows `checked_add`) or one past 96 bits takes `checked_add`.
fn add(a: Decimal, b: Decimal) -> Result<Decimal, NumError> {
    if a.scale() == b.scale()
        && let Some(m) = a.mantissa().checked_add(b.mantissa())
        && m != 0
        && let Ok(d) = Decimal::try_from_i128_with_scale(m, a.scale())
    {
        return Ok(d);
    }
    a.checked_add(b).ok_or_else(NumError::overflow)
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal, NumError> {
    a.checked_mul(b).ok_or_else(NumError::overflow)
}

fn div(a: Decimal, b: Decimal) -> Result<Decimal, NumError> {
    if b.is_zero() {
        return Err(NumError::division_by_zero());
    }
    a.checked_div(b).ok_or_else(NumError::overflow)
}

fn min_max(xs: [Decimal; 4]) -> (Decimal, Decimal) {
    let mut lo = xs[0];
    let mut hi = xs[0];
    for x in xs {
        lo = min(lo, x);
        hi = max(hi, x);
    }
    (lo, hi)
}

/// `a.cmp(&b)` on mantissas brought to one scale ([`shenhe_model::decimal_cmp`], shared with
/// the ingest).
pub use shenhe_model::decimal_cmp as cmp;

/// `a.min(b)` by [`cmp`] (the first on a tie, as `Decimal::min` keeps it).
#[inline]
pub fn min(a: Decimal, b: Decimal) -> Decimal {
    if cmp(a, b) == Ordering::Greater { b } else { a }
}

/// `a.max(b)` by [`cmp`] (the first on a tie, as `Decimal::max` keeps it).
#[inline]
pub fn max(a: Decimal, b: Decimal) -> Decimal {
    if cmp(a, b) == Ordering::Less { b } else { a }
}

/// `a <= b` by [`cmp`].
#[inline]
pub fn le(a: Decimal, b: Decimal) -> bool {
    cmp(a, b) != Ordering::Greater
}

/// `a < b` by [`cmp`].
#[inline]
pub fn lt(a: Decimal, b: Decimal) -> bool {
    cmp(a, b) == Ordering::Less
}

/// Half a unit in the last printed place: `½·10⁻ᵈ`. `None` when `d` is too large to represent
/// (then the number is treated as exact).
pub fn half_ulp(decimals: u32) -> Option<Decimal> {
    let scale = decimals.checked_add(1)?;
    if scale > 28 {
        return None;
    }
    Some(Decimal::new(5, scale))
}

/// `value ∓ ½·10⁻ᵈ` for a value printed with `d` decimals. Built from the mantissa (`10·m ∓ 5`
/// at scale `d + 1`, what the subtraction and addition give), falling back to them when that
/// does not fit.
fn printed_bounds(value: Decimal) -> (Decimal, Decimal) {
    let scale = value.scale();
    let direct = scale.checked_add(1).filter(|s| *s <= 28).and_then(|s| {
        let m10 = value.mantissa().checked_mul(10)?;
        let lo = Decimal::try_from_i128_with_scale(m10.checked_sub(5)?, s).ok()?;
        let hi = Decimal::try_from_i128_with_scale(m10.checked_add(5)?, s).ok()?;
        Some((lo, hi))
    });
    if let Some(bounds) = direct {
        return bounds;
    }
    let half = half_ulp(scale).unwrap_or(Decimal::ZERO);
    // A printed value is far inside Decimal's range, but stay checked all the same.
    let lo = value.checked_sub(half).unwrap_or(value);
    let hi = value.checked_add(half).unwrap_or(value);
    (lo, hi)
}

/// Half the width of `[lo, hi]` (saturating: a width beyond Decimal's range reads as its
/// maximum).
pub fn half_width(lo: Decimal, hi: Decimal) -> Decimal {
    hi.checked_sub(lo)
        .unwrap_or(Decimal::MAX)
        .checked_div(Decimal::TWO)
        .unwrap_or(Decimal::MAX)
}

impl Bounds {
    #[inline]
    fn scaled(self, k: u32) -> Result<Bounds, NumError> {
        if k == 0 {
            return Ok(self);
        }
        self.rescaled(k)
    }

    fn rescaled(self, k: u32) -> Result<Bounds, NumError> {
        let f = pow10(k)?;
        Ok(Bounds {
            value: mul(self.value, f)?,
            lo: mul(self.lo, f)?,
            hi: mul(self.hi, f)?,
        })
    }

    fn neg(self) -> Bounds {
        Bounds {
            value: -self.value,
            lo: -self.hi,
            hi: -self.lo,
        }
    }

    fn add(self, o: Bounds) -> Result<Bounds, NumError> {
        Ok(Bounds {
            value: add(self.value, o.value)?,
            lo: add(self.lo, o.lo)?,
            hi: add(self.hi, o.hi)?,
        })
    }

    fn mul(self, o: Bounds) -> Result<Bounds, NumError> {
        let (lo, hi) = min_max([
            mul(self.lo, o.lo)?,
            mul(self.lo, o.hi)?,
            mul(self.hi, o.lo)?,
            mul(self.hi, o.hi)?,
        ]);
        Ok(Bounds {
            value: mul(self.value, o.value)?,
            lo,
            hi,
        })
    }

    fn div(self, o: Bounds, divisor: &str) -> Result<Bounds, NumError> {
        if o.value.is_zero() {
            return Err(NumError::division_by_zero());
        }
        if o.lo <= Decimal::ZERO && o.hi >= Decimal::ZERO {
            return Err(NumError {
                message: format!(
                    "除数 {divisor} 的舍入区间 [{}, {}] 包含零，商无界",
                    o.lo, o.hi
                ),
                help: Some("先用 round(…) 或显式比较排除接近零的除数".into()),
            });
        }
        let (lo, hi) = min_max([
            div(self.lo, o.lo)?,
            div(self.lo, o.hi)?,
            div(self.hi, o.lo)?,
            div(self.hi, o.hi)?,
        ]);
        Ok(Bounds {
            value: div(self.value, o.value)?,
            lo,
            hi,
        })
    }

    fn div_exact(self, d: Decimal) -> Result<Bounds, NumError> {
        let (a, b) = (div(self.lo, d)?, div(self.hi, d)?);
        Ok(Bounds {
            value: div(self.value, d)?,
            lo: min(a, b),
            hi: max(a, b),
        })
    }

    fn mul_exact(self, m: Decimal) -> Result<Bounds, NumError> {
        let (a, b) = (mul(self.lo, m)?, mul(self.hi, m)?);
        Ok(Bounds {
            value: mul(self.value, m)?,
            lo: min(a, b),
            hi: max(a, b),
        })
    }

    /// Whether the two intervals share at least one point.
    #[inline]
    pub fn meets(&self, o: &Bounds) -> bool {
        le(self.lo, o.hi) && le(o.lo, self.hi)
    }
}

/// A number as a comparison needs it, without building a [`Num`]: its value and the bounds of
/// its interval as mantissas on one scale (a value printed with `d` decimals on `d + 1`,
/// where half a unit in its last place is 5). [`crate::compare::quick`] decides comparisons
/// of two of them in `i128`, as [`crate::compare::numbers`] decides them on the bounds.
#[derive(Clone, Copy, Debug)]
pub struct Quick {
    pub value: i128,
    pub lo: i128,
    pub hi: i128,
    pub scale: u32,
    pub kind: NumKind,
}

/// Mantissas below this (in magnitude) are taken: no difference of two such values overflows
/// a `Decimal`, and brought to a scale at most ten places finer they stay far inside `i128`.
const QUICK_LIMIT: u128 = 1_000_000_000_000_000_000_000_000_000;

/// `10^k` for the scale gaps [`Quick`] bridges.
pub const QUICK_POW10: [i128; 11] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
];

impl Quick {
    /// What [`Num::printed`] makes of `value`: `10·m ∓ 5` on one place finer (the bounds it
    /// builds from the mantissa). `None` for a value too large or with too many decimals.
    #[inline]
    pub fn printed(value: Decimal, kind: NumKind) -> Option<Quick> {
        let m = value.mantissa();
        let scale = value.scale();
        if scale > 26 || m.unsigned_abs() >= QUICK_LIMIT / 10 {
            return None;
        }
        let v = m * 10;
        Some(Quick {
            value: v,
            lo: v - 5,
            hi: v + 5,
            scale: scale + 1,
            kind,
        })
    }

    /// The exact zero of a blank cell ([`Num::blank`]).
    pub fn zero(kind: NumKind) -> Quick {
        Quick {
            value: 0,
            lo: 0,
            hi: 0,
            scale: 0,
            kind,
        }
    }

    /// Any number: its value and bounds brought to the finest of their scales. `None` when
    /// they are too large, or their scales too far apart.
    #[inline]
    pub fn of_num(n: &Num) -> Option<Quick> {
        // An exact number (a literal in the rule): its bounds are its value, bit for bit.
        let v = n.value.serialize();
        if n.lo.serialize() == v && n.hi.serialize() == v {
            let m = n.value.mantissa();
            return (m.unsigned_abs() < QUICK_LIMIT).then_some(Quick {
                value: m,
                lo: m,
                hi: m,
                scale: n.value.scale(),
                kind: n.kind,
            });
        }
        Quick::of_bounds(n)
    }

    /// [`Quick::of_num`] of a number with an interval.
    #[inline(never)]
    fn of_bounds(n: &Num) -> Option<Quick> {
        let scale = n.value.scale().max(n.lo.scale()).max(n.hi.scale());
        let at = |d: Decimal| -> Option<i128> {
            let m = d.mantissa();
            if m.unsigned_abs() >= QUICK_LIMIT {
                return None;
            }
            let m = m * QUICK_POW10.get((scale - d.scale()) as usize)?;
            (m.unsigned_abs() < QUICK_LIMIT).then_some(m)
        };
        Some(Quick {
            value: at(n.value)?,
            lo: at(n.lo)?,
            hi: at(n.hi)?,
            scale,
            kind: n.kind,
        })
    }
}

/// Two kinds brought to a common one for `+ − ==`: the result kind and by how many powers of
/// ten each side must be multiplied.
/// Two numbers of one kind, or one of them plain (the usual cases), need no rescaling and are
/// decided inline.
#[inline]
pub fn common_kind(a: &NumKind, b: &NumKind, what: &str) -> Result<(NumKind, u32, u32), NumError> {
    match (a, b) {
        (NumKind::Plain, k) | (k, NumKind::Plain) => Ok((*k, 0, 0)),
        (a, b) if a == b => Ok((*a, 0, 0)),
        _ => common_kind_of(a, b, what),
    }
}

/// [`common_kind`] in full.
fn common_kind_of(a: &NumKind, b: &NumKind, what: &str) -> Result<(NumKind, u32, u32), NumError> {
    match (a, b) {
        (NumKind::Amount(ua), NumKind::Amount(ub)) => {
            let (ea, eb) = (ua.exponent(), ub.exponent());
            let (unit, e) = if ea <= eb { (*ua, ea) } else { (*ub, eb) };
            Ok((NumKind::Amount(unit), ea - e, eb - e))
        }
        (NumKind::Plain, k) | (k, NumKind::Plain) => Ok((*k, 0, 0)),
        (NumKind::Percent, NumKind::Percent) => Ok((NumKind::Percent, 0, 0)),
        (NumKind::Count(wa), NumKind::Count(wb)) if wa == wb || wb.is_empty() => {
            Ok((NumKind::Count(wa), 0, 0))
        }
        (NumKind::Count(""), NumKind::Count(wb)) => Ok((NumKind::Count(wb), 0, 0)),
        _ => Err(NumError {
            message: format!("不能{what}{}与{}", describe_full(a), describe_full(b)),
            help: Some("两边须同为金额、同为百分比或同为数量（纯数字可与任何一种相配）".into()),
        }),
    }
}

fn describe_full(k: &NumKind) -> String {
    match k {
        NumKind::Amount(u) => format!("金额（{u}）"),
        NumKind::Count(w) if !w.is_empty() => format!("数量（{w}）"),
        other => other.describe().to_string(),
    }
}

impl Num {
    /// An exact number (a literal in a rule, a count).
    pub fn exact(value: Decimal, kind: NumKind) -> Num {
        Num {
            value,
            lo: value,
            hi: value,
            kind,
            scale: value.scale(),
            blank: false,
            origins: Vec::new(),
        }
    }

    /// A number as printed in a document: it stands for the interval its decimals imply.
    pub fn printed(value: Decimal, kind: NumKind) -> Num {
        let (lo, hi) = printed_bounds(value);
        Num {
            value,
            lo,
            hi,
            kind,
            scale: value.scale(),
            blank: false,
            origins: Vec::new(),
        }
    }

    /// The exact zero a blank cell stands for.
    pub fn blank(kind: NumKind) -> Num {
        Num {
            blank: true,
            ..Num::exact(Decimal::ZERO, kind)
        }
    }

    pub fn with_origin(mut self, origin: Origin) -> Num {
        self.origins.push(origin);
        self
    }

    pub fn bounds(&self) -> Bounds {
        Bounds {
            value: self.value,
            lo: self.lo,
            hi: self.hi,
        }
    }

    pub fn is_exact(&self) -> bool {
        self.lo == self.hi
    }

    fn from_bounds(b: Bounds, kind: NumKind, scale: u32, origins: Vec<Origin>) -> Num {
        Num {
            value: b.value,
            lo: b.lo,
            hi: b.hi,
            kind,
            scale: scale.min(28),
            blank: false,
            origins,
        }
    }

    /// Bounds rescaled by `10^k` (the unit conversion `common_kind` asks for).
    #[inline]
    pub fn bounds_scaled(&self, k: u32) -> Result<Bounds, NumError> {
        self.bounds().scaled(k)
    }

    /// `self + other` (or `self − other` when `negate`), intervals added.
    pub fn add(self, other: Num, negate: bool) -> Result<Num, NumError> {
        let what = if negate { "相减" } else { "相加" };
        let (kind, sa, sb) = common_kind(&self.kind, &other.kind, what)?;
        let a = self.bounds().scaled(sa)?;
        let mut b = other.bounds().scaled(sb)?;
        if negate {
            b = b.neg();
        }
        let scale = self
            .scale
            .saturating_sub(sa)
            .max(other.scale.saturating_sub(sb));
        let mut origins = self.origins;
        if !other.origins.is_empty() {
            origins.extend(other.origins);
        }
        Ok(Num::from_bounds(a.add(b)?, kind, scale, origins))
    }

    pub fn neg(self) -> Num {
        let b = self.bounds().neg();
        Num::from_bounds(b, self.kind, self.scale, self.origins)
    }

    pub fn mul(self, other: Num) -> Result<Num, NumError> {
        let hundred = Decimal::ONE_HUNDRED;
        let (kind, per_cent) = match (&self.kind, &other.kind) {
            (NumKind::Plain, k) | (k, NumKind::Plain) => (*k, false),
            (NumKind::Count(_), k) | (k, NumKind::Count(_)) => (*k, false),
            (NumKind::Percent, NumKind::Amount(u)) | (NumKind::Amount(u), NumKind::Percent) => {
                (NumKind::Amount(*u), true)
            }
            (NumKind::Percent, NumKind::Percent) => (NumKind::Percent, true),
            (a, b) => {
                return Err(NumError {
                    message: format!("不能把{}与{}相乘", describe_full(a), describe_full(b)),
                    help: Some("金额只能乘以纯数字、百分比或数量".into()),
                });
            }
        };
        let mut b = self.bounds().mul(other.bounds())?;
        let mut scale = self.scale.saturating_add(other.scale);
        if per_cent {
            b = b.div_exact(hundred)?;
            scale = scale.saturating_add(2);
        }
        let mut origins = self.origins;
        if !other.origins.is_empty() {
            origins.extend(other.origins);
        }
        Ok(Num::from_bounds(b, kind, scale, origins))
    }

    pub fn div(self, other: Num, divisor_text: &str) -> Result<Num, NumError> {
        let (kind, sa, sb) = match (&self.kind, &other.kind) {
            (k, NumKind::Plain) => (*k, 0, 0),
            (NumKind::Amount(_), NumKind::Amount(_)) => {
                let (_, sa, sb) = common_kind(&self.kind, &other.kind, "相除")?;
                (NumKind::Plain, sa, sb)
            }
            (NumKind::Percent, NumKind::Percent) => (NumKind::Plain, 0, 0),
            (NumKind::Count(a), NumKind::Count(b)) if a == b => (NumKind::Plain, 0, 0),
            (NumKind::Amount(u), NumKind::Count(_)) => (NumKind::Amount(*u), 0, 0),
            (a, b) => {
                return Err(NumError {
                    message: format!("不能用{}除{}", describe_full(b), describe_full(a)),
                    help: Some("金额可以除以金额（得比值）或纯数字".into()),
                });
            }
        };
        let a = self.bounds().scaled(sa)?;
        let b = other.bounds().scaled(sb)?;
        let q = a.div(b, divisor_text)?;
        let scale = self.scale.max(other.scale).saturating_add(2);
        let mut origins = self.origins;
        if !other.origins.is_empty() {
            origins.extend(other.origins);
        }
        Ok(Num::from_bounds(q, kind, scale, origins))
    }

    /// `part / whole` as a percentage, shown with 2 decimals.
    pub fn share(self, whole: Num, whole_text: &str) -> Result<Num, NumError> {
        let ratio = self.div(whole, whole_text)?;
        if ratio.kind != NumKind::Plain {
            return Err(NumError::new("占比的两边须是同类数值（例如都是金额）"));
        }
        let b = ratio.bounds().mul_exact(Decimal::ONE_HUNDRED)?;
        Ok(Num::from_bounds(b, NumKind::Percent, 2, ratio.origins))
    }

    /// `(current − base) / base` as a percentage, shown with 2 decimals. Computed as
    /// `current / base − 1` so each operand's interval is used once.
    pub fn growth(self, base: Num, base_text: &str) -> Result<Num, NumError> {
        let ratio = self.div(base, base_text)?;
        if ratio.kind != NumKind::Plain {
            return Err(NumError::new("增幅的两边须是同类数值（例如都是金额）"));
        }
        let one = Bounds {
            value: Decimal::ONE,
            lo: Decimal::ONE,
            hi: Decimal::ONE,
        };
        let b = ratio
            .bounds()
            .add(one.neg())?
            .mul_exact(Decimal::ONE_HUNDRED)?;
        Ok(Num::from_bounds(b, NumKind::Percent, 2, ratio.origins))
    }

    pub fn abs(self) -> Num {
        let b = if self.lo >= Decimal::ZERO {
            self.bounds()
        } else if self.hi <= Decimal::ZERO {
            self.bounds().neg()
        } else {
            Bounds {
                value: self.value.abs(),
                lo: Decimal::ZERO,
                hi: max(-self.lo, self.hi),
            }
        };
        Num::from_bounds(b, self.kind, self.scale, self.origins)
    }

    /// Rounds half away from zero (四舍五入) to `decimals`; the interval becomes the set of
    /// values the rounding can give.
    pub fn round(self, decimals: u32) -> Num {
        let r =
            |d: Decimal| d.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
        let b = Bounds {
            value: r(self.value),
            lo: r(self.lo),
            hi: r(self.hi),
        };
        Num::from_bounds(b, self.kind, decimals, self.origins)
    }

    /// The value with `scale` decimals, as it is shown.
    pub fn shown(&self) -> Decimal {
        show(self.value, self.scale)
    }

    /// The number as printed, with its unit (`821.07万元`, `82.93%`, `4个`, `30`).
    pub fn display(&self) -> String {
        let mut out = decimal_text(self.shown());
        match &self.kind {
            NumKind::Plain => {}
            NumKind::Amount(u) => out.push_str(u.name()),
            NumKind::Percent => out.push('%'),
            NumKind::Count(w) => out.push_str(w),
        }
        out
    }

    /// The number as printed, without its unit (`821.07`).
    pub fn display_bare(&self) -> String {
        decimal_text(self.shown())
    }

    /// The unit as a word (`万元`, `%`, `个`, or empty).
    pub fn unit_name(&self) -> String {
        match &self.kind {
            NumKind::Plain => String::new(),
            NumKind::Amount(u) => u.name().to_string(),
            NumKind::Percent => "%".into(),
            NumKind::Count(w) => w.to_string(),
        }
    }
}

/// `value` shown with exactly `scale` decimals (rounded half away from zero when it has more).
/// `d.to_string()` (what `Display` prints without width or precision: a `-` for a negative
/// sign, zero included, the mantissa's digits with a point `scale` digits from the right, a `0`
/// before a bare point), without the formatting machinery: findings print many numbers.
pub fn decimal_text(d: Decimal) -> String {
    // The mantissa's digits, last first (at most 29, and at least `scale` ≤ 28 with zeros).
    let mut rev = [b'0'; 40];
    let mut len = 0usize;
    let mut push = |digit: u8| {
        if let Some(slot) = rev.get_mut(len) {
            *slot = b'0' + digit;
            len += 1;
        }
    };
    let m = d.mantissa().unsigned_abs();
    if let Ok(mut n) = u64::try_from(m) {
        while n > 0 {
            push((n % 10) as u8);
            n /= 10;
        }
    } else {
        let mut n = m;
        while n > 0 {
            push((n % 10) as u8);
            n /= 10;
        }
    }
    let scale = d.scale() as usize;
    let len = len.max(scale);
    let mut out = String::with_capacity(len + 3);
    if d.is_sign_negative() {
        out.push('-');
    }
    let whole = len - scale;
    if whole == 0 {
        out.push('0');
    }
    for (i, c) in rev.iter().take(len).rev().enumerate() {
        if i == whole && scale > 0 {
            out.push('.');
        }
        out.push(char::from(*c));
    }
    out
}

pub fn show(value: Decimal, scale: u32) -> Decimal {
    let mut v = if value.scale() > scale {
        value.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero)
    } else {
        value
    };
    if v.scale() < scale {
        v.rescale(scale);
    }
    v
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn wan(s: &str) -> Num {
        Num::printed(d(s), NumKind::Amount(Unit::WanYuan))
    }

    /// Decimals at the edges of what `Decimal` holds and prints: signed zeros and scales, the
    /// largest mantissa, values past 64 bits.
    const EDGE_DECIMALS: &[&str] = &[
        "0",
        "-0",
        "0.00",
        "-0.00",
        "1",
        "-1",
        "821.07",
        "-821.07",
        "100.00",
        "0.005",
        "-0.005",
        "198.6",
        "10",
        "1000000",
        "0.0000000000000000000000000001",
        "-0.0000000000000000000000000001",
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
        "7922816251426433759354395033.5",
        "18446744073709551615",
        "18446744073709551616",
        "0.18446744073709551616",
        "1.0000000000000000000000000001",
    ];

    #[test]
    fn decimal_text_is_display() {
        let mut xs: Vec<Decimal> = EDGE_DECIMALS.iter().map(|x| d(x)).collect();
        xs.push(-Decimal::ZERO);
        xs.push(Decimal::new(0, 28));
        xs.push(Decimal::new(-5, 3).checked_add(Decimal::new(5, 3)).unwrap());
        xs.push(Decimal::new(-5, 3).normalize());
        for x in xs {
            assert_eq!(decimal_text(x), x.to_string(), "{x:?}");
            assert_eq!(
                decimal_text(x.normalize()),
                x.normalize().to_string(),
                "{x:?}"
            );
        }
    }

    /// The same-scale shortcut of `add` gives exactly what `checked_add` gives: value, scale and
    /// the sign of zero (which `Display` shows).
    #[test]
    fn adding_same_scale_decimals_matches_checked_add() {
        let mut xs: Vec<Decimal> = EDGE_DECIMALS.iter().map(|x| d(x)).collect();
        xs.push(-Decimal::ZERO);
        xs.push(Decimal::new(-5, 3).checked_add(Decimal::new(5, 3)).unwrap());
        for a in &xs {
            for b in &xs {
                let fast = add(*a, *b).ok();
                let slow = a.checked_add(*b);
                assert_eq!(fast, slow, "{a} + {b}");
                if let (Some(f), Some(s)) = (fast, slow) {
                    assert_eq!(f.to_string(), s.to_string(), "{a} + {b}");
                    assert_eq!(f.scale(), s.scale(), "{a} + {b}");
                }
            }
        }
    }

    /// The mantissa comparison gives what `Decimal`'s comparison gives: on the edge decimals
    /// (signed zeros, the largest mantissas, every scale gap) and on random decimals of random
    /// scales, small mantissas (most numbers) and full 96-bit ones alike.
    #[test]
    fn mantissa_comparison_matches_decimal() {
        let mut xs: Vec<Decimal> = EDGE_DECIMALS.iter().map(|x| d(x)).collect();
        xs.push(-Decimal::ZERO);
        xs.push(Decimal::new(0, 28));
        xs.push(Decimal::MAX);
        xs.push(Decimal::MIN);
        xs.push(Decimal::new(-5, 3).checked_add(Decimal::new(5, 3)).unwrap());
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..4000 {
            let (a, b, c) = (next(), next(), next());
            let scale = (c % 29) as u32;
            let negative = c & (1 << 40) != 0;
            let x = match c % 3 {
                // A small mantissa, as printed amounts have.
                0 => Decimal::from_parts((a % 100_000) as u32, 0, 0, negative, scale),
                1 => Decimal::from_parts(a as u32, (a >> 32) as u32, 0, negative, scale),
                _ => Decimal::from_parts(a as u32, (a >> 32) as u32, b as u32, negative, scale),
            };
            xs.push(x);
            // The same value one decimal finer, and its rounding neighbours.
            if let Some(m10) = x.mantissa().checked_mul(10)
                && scale < 28
            {
                for m in [m10 - 5, m10, m10 + 5] {
                    if let Ok(y) = Decimal::try_from_i128_with_scale(m, scale + 1) {
                        xs.push(y);
                    }
                }
            }
        }
        for (i, a) in xs.iter().enumerate() {
            // Every edge decimal against all; random ones against their neighbours.
            let others: Vec<&Decimal> = if i < EDGE_DECIMALS.len() + 5 {
                xs.iter().collect()
            } else {
                xs.iter().skip(i.saturating_sub(8)).take(16).collect()
            };
            for b in others {
                assert_eq!(cmp(*a, *b), a.cmp(b), "{a:?} vs {b:?}");
                assert_eq!(le(*a, *b), a <= b, "{a:?} <= {b:?}");
                assert_eq!(lt(*a, *b), a < b, "{a:?} < {b:?}");
                // The same representation too: a tie keeps the first.
                let (m, x) = (min(*a, *b), max(*a, *b));
                assert_eq!(
                    (m, m.scale()),
                    (Decimal::min(*a, *b), Decimal::min(*a, *b).scale()),
                    "min {a:?} {b:?}"
                );
                assert_eq!(
                    (x, x.scale()),
                    (Decimal::max(*a, *b), Decimal::max(*a, *b).scale()),
                    "max {a:?} {b:?}"
                );
            }
        }
    }

    /// The inline arms of `common_kind` give what the full definition gives.
    #[test]
    fn common_kind_shortcuts_match_the_full_definition() {
        let kinds = [
            NumKind::Plain,
            NumKind::Percent,
            NumKind::Count(""),
            NumKind::Count("个"),
            NumKind::Count("辆"),
            NumKind::Amount(Unit::Yuan),
            NumKind::Amount(Unit::WanYuan),
            NumKind::Amount(Unit::YiYuan),
        ];
        for a in &kinds {
            for b in &kinds {
                assert_eq!(
                    common_kind(a, b, "比较"),
                    common_kind_of(a, b, "比较"),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn printed_values_are_intervals() {
        let n = wan("821.07");
        assert_eq!(n.lo, d("821.065"));
        assert_eq!(n.hi, d("821.075"));
        let n = wan("169");
        assert_eq!((n.lo, n.hi), (d("168.5"), d("169.5")));
        assert!(Num::exact(d("1.00"), NumKind::Plain).is_exact());
    }

    #[test]
    fn three_rounded_addends_against_their_total() {
        // 0.33 + 0.33 + 0.34 = 1.00 exactly; each addend ±0.005, the sum ±0.015.
        let s = wan("0.33")
            .add(wan("0.33"), false)
            .unwrap()
            .add(wan("0.34"), false)
            .unwrap();
        assert_eq!(s.value, d("1.00"));
        assert_eq!((s.lo, s.hi), (d("0.985"), d("1.015")));
        assert!(s.bounds().meets(&wan("1.00").bounds()));
        // 0.33 × 3 printed as 0.99 still meets 1.00 (the rounding of three addends allows it) …
        let s = wan("0.33")
            .add(wan("0.33"), false)
            .unwrap()
            .add(wan("0.33"), false)
            .unwrap();
        assert!(s.bounds().meets(&wan("1.00").bounds()));
        // … but 0.97 does not: [0.955, 0.985] vs [0.995, 1.005].
        let s = wan("0.32")
            .add(wan("0.32"), false)
            .unwrap()
            .add(wan("0.33"), false)
            .unwrap();
        assert!(!s.bounds().meets(&wan("1.00").bounds()));
    }

    #[test]
    fn units_rescale_exactly() {
        let a = Num::printed(d("1.5"), NumKind::Amount(Unit::WanYuan));
        let b = Num::printed(d("5000"), NumKind::Amount(Unit::Yuan));
        let s = a.add(b, false).unwrap();
        assert_eq!(s.kind, NumKind::Amount(Unit::Yuan));
        assert_eq!(s.value, d("20000"));
        // 1.5 万元 = [14500, 15500] 元; 5000 元 = [4999.5, 5000.5].
        assert_eq!((s.lo, s.hi), (d("19499.5"), d("20500.5")));
        assert_eq!(s.display(), "20000元");
        let y = Num::exact(d("3"), NumKind::Amount(Unit::YiYuan));
        let w = Num::exact(d("1"), NumKind::Amount(Unit::WanYuan));
        assert_eq!(y.add(w, true).unwrap().display(), "29999万元");
    }

    #[test]
    fn plain_numbers_adopt_the_other_unit() {
        let s = wan("30.00")
            .add(Num::exact(d("5"), NumKind::Plain), false)
            .unwrap();
        assert_eq!(s.display(), "35.00万元");
        let e = wan("1")
            .add(Num::exact(d("1"), NumKind::Percent), false)
            .unwrap_err();
        assert!(e.message.contains("金额"), "{}", e.message);
    }

    #[test]
    fn division_by_zero_and_overflow_are_errors() {
        let e = wan("1")
            .div(Num::exact(d("0"), NumKind::Plain), "0")
            .unwrap_err();
        assert_eq!(e, NumError::division_by_zero());
        let big = Num::exact(Decimal::MAX, NumKind::Plain);
        assert_eq!(
            big.clone().add(big.clone(), false).unwrap_err(),
            NumError::overflow()
        );
        assert_eq!(big.clone().mul(big).unwrap_err(), NumError::overflow());
        let huge = Num::exact(Decimal::MAX, NumKind::Amount(Unit::YiYuan));
        let small = Num::exact(d("1"), NumKind::Amount(Unit::Yuan));
        assert_eq!(huge.add(small, false).unwrap_err(), NumError::overflow());
        // A divisor whose interval straddles zero.
        let near_zero = wan("1.00").add(wan("1.00"), true).unwrap();
        assert!(near_zero.value.is_zero());
        let e = wan("5").div(near_zero, "x").unwrap_err();
        assert_eq!(e, NumError::division_by_zero());
        let straddle = wan("1.00").add(wan("0.99"), true).unwrap();
        let e = wan("5").div(straddle, "a − b").unwrap_err();
        assert!(e.message.contains("包含零"), "{}", e.message);
    }

    #[test]
    fn shares_and_growth_from_intervals() {
        let s = wan("821.07").share(wan("990.07"), "整体").unwrap();
        assert_eq!(s.display(), "82.93%");
        assert!(
            s.bounds()
                .meets(&Num::printed(d("82.93"), NumKind::Percent).bounds())
        );
        assert!(
            !s.bounds()
                .meets(&Num::printed(d("82.95"), NumKind::Percent).bounds())
        );
        // 821.07 vs a base of 1019.67: −19.48 %, not −24.19 %.
        let g = wan("821.07").growth(wan("1019.67"), "基期").unwrap();
        assert_eq!(g.display(), "-19.48%");
        let p = Num::printed(d("-24.19"), NumKind::Percent);
        assert!(!g.bounds().meets(&p.bounds()));
        let e = wan("1").growth(Num::exact(d("0"), NumKind::Amount(Unit::WanYuan)), "基期");
        assert!(e.is_err());
    }

    #[test]
    fn percent_times_amount_is_an_amount() {
        let a = wan("200.00")
            .mul(Num::exact(d("10"), NumKind::Percent))
            .unwrap();
        assert_eq!(a.kind, NumKind::Amount(Unit::WanYuan));
        assert_eq!(a.value, d("20"));
        assert!(wan("1").mul(wan("2")).is_err());
    }

    #[test]
    fn abs_and_round() {
        let x = wan("0.00").add(wan("0.01"), true).unwrap().abs();
        assert_eq!(x.value, d("0.01"));
        assert_eq!(x.lo, Decimal::ZERO);
        let r = Num::exact(d("2.345"), NumKind::Plain).round(2);
        assert_eq!(r.display(), "2.35");
        let r = Num::exact(d("-2.345"), NumKind::Plain).round(2);
        assert_eq!(r.display(), "-2.35");
        let r = wan("1.04").round(1);
        assert_eq!((r.value, r.lo, r.hi), (d("1.0"), d("1.0"), d("1.0")));
    }

    #[test]
    fn blank_is_exact_zero() {
        let b = Num::blank(NumKind::Amount(Unit::WanYuan));
        assert!(b.blank && b.is_exact() && b.value.is_zero());
        let s = b.add(wan("1.00"), false).unwrap();
        assert!(!s.blank);
    }

    #[test]
    fn printed_bounds_as_subtraction_and_addition_give_them() {
        for text in [
            "0",
            "0.00",
            "-0.00",
            "1",
            "1.5",
            "-1.5",
            "821.07",
            "-0.005",
            "12345678.9012",
            "99999999999999999999999999.9",
            "0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7922816251426433759354395033.5",
        ] {
            let v: Decimal = text.parse().unwrap();
            let half = half_ulp(v.scale()).unwrap_or(Decimal::ZERO);
            let want = (
                v.checked_sub(half).unwrap_or(v),
                v.checked_add(half).unwrap_or(v),
            );
            let got = printed_bounds(v);
            assert_eq!(got, want, "{text}");
            // The same representation, not only the same value.
            assert_eq!(
                (got.0.to_string(), got.1.to_string()),
                (want.0.to_string(), want.1.to_string()),
                "{text}"
            );
        }
    }
}
