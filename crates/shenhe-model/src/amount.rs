use std::cmp::Ordering;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A unit of money as printed in disclosures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Unit {
    /// 元
    #[serde(rename = "元")]
    Yuan,
    /// 万元 = 10 000 元
    #[serde(rename = "万元")]
    WanYuan,
    /// 亿元 = 100 000 000 元
    #[serde(rename = "亿元")]
    YiYuan,
}

impl Unit {
    /// How many 元 one of this unit is.
    pub fn in_yuan(self) -> Decimal {
        match self {
            Unit::Yuan => Decimal::ONE,
            Unit::WanYuan => Decimal::from(10_000u32),
            Unit::YiYuan => Decimal::from(100_000_000u32),
        }
    }

    /// Decimal exponent of the unit relative to 元 (元 = 0, 万元 = 4, 亿元 = 8).
    pub fn exponent(self) -> u32 {
        match self {
            Unit::Yuan => 0,
            Unit::WanYuan => 4,
            Unit::YiYuan => 8,
        }
    }

    /// The printed name (元, 万元, 亿元).
    pub fn name(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::WanYuan => "万元",
            Unit::YiYuan => "亿元",
        }
    }

    /// Reads a unit name; accepts the full-width and spaced forms seen in documents.
    pub fn parse(text: &str) -> Option<Unit> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        match t.as_str() {
            "元" => Some(Unit::Yuan),
            "万元" => Some(Unit::WanYuan),
            "亿元" => Some(Unit::YiYuan),
            _ => None,
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An error of exact amount arithmetic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// The result does not fit in a 96-bit decimal.
    Overflow,
    /// Division by zero.
    DivisionByZero,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountError::Overflow => f.write_str("数值超出可表示范围"),
            AmountError::DivisionByZero => f.write_str("除数为零"),
        }
    }
}

impl std::error::Error for AmountError {}

/// An exact amount of money: a decimal as printed (its scale is the number of decimals shown)
/// and its unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Amount {
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    pub unit: Unit,
}

impl Amount {
    pub fn new(value: Decimal, unit: Unit) -> Self {
        Amount { value, unit }
    }

    /// Decimals shown (the scale of the printed number).
    pub fn decimals(&self) -> u32 {
        self.value.scale()
    }

    /// The same amount expressed in another unit, exactly. The scale grows as needed so no
    /// digit is lost (`1.5 万元` → `15000 元`, `169 元` → `0.0169 万元`).
    pub fn to_unit(&self, unit: Unit) -> Result<Amount, AmountError> {
        if unit == self.unit {
            return Ok(*self);
        }
        let from = self.unit.exponent();
        let to = unit.exponent();
        let value = if from > to {
            self.value
                .checked_mul(Decimal::from(10u64.pow(from - to)))
                .ok_or(AmountError::Overflow)?
        } else {
            let mut v = self.value;
            let shift = to - from;
            let scale = v.scale().checked_add(shift).ok_or(AmountError::Overflow)?;
            if scale > 28 {
                return Err(AmountError::Overflow);
            }
            v.set_scale(scale).map_err(|_| AmountError::Overflow)?;
            v
        };
        Ok(Amount { value, unit })
    }

    /// The amount in 元, exactly.
    pub fn in_yuan(&self) -> Result<Decimal, AmountError> {
        self.to_unit(Unit::Yuan).map(|a| a.value)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.value, self.unit)
    }
}

/// `10^k` for every scale a `Decimal` can have.
const POW10: [i128; 29] = [
    1,
    10,
    100,
    1000,
    10000,
    100000,
    1000000,
    10000000,
    100000000,
    1000000000,
    10000000000,
    100000000000,
    1000000000000,
    10000000000000,
    100000000000000,
    1000000000000000,
    10000000000000000,
    100000000000000000,
    1000000000000000000,
    10000000000000000000,
    100000000000000000000,
    1000000000000000000000,
    10000000000000000000000,
    100000000000000000000000,
    1000000000000000000000000,
    10000000000000000000000000,
    100000000000000000000000000,
    1000000000000000000000000000,
    10000000000000000000000000000,
];

/// The largest scale gap [`decimal_cmp`] aligns: a mantissa (below 2⁹⁶) times `10⁹` (below 2³⁰)
/// stays below 2¹²⁶, so the product needs no overflow check.
const ALIGN_MAX: u32 = 9;

/// `a.cmp(&b)`, on the mantissas brought to one scale (the usual case: numbers printed with
/// the same decimals, or rounding bounds one decimal finer); `Decimal`'s general comparison
/// when the scales are more than [`ALIGN_MAX`] apart. Several times cheaper than `Decimal`'s
/// own comparison, which rescales in general; the evaluator and the ingest compare with it.
#[inline]
pub fn decimal_cmp(a: Decimal, b: Decimal) -> Ordering {
    let (sa, sb) = (a.scale(), b.scale());
    let (ma, mb) = (a.mantissa(), b.mantissa());
    let aligned = if sa == sb {
        Some((ma, mb))
    } else if sa < sb && sb - sa <= ALIGN_MAX {
        POW10.get((sb - sa) as usize).map(|p| (ma * p, mb))
    } else if sb < sa && sa - sb <= ALIGN_MAX {
        POW10.get((sa - sb) as usize).map(|p| (ma, mb * p))
    } else {
        None
    };
    match aligned {
        Some((x, y)) => x.cmp(&y),
        None => a.cmp(&b),
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// The powers of ten are right, and the comparison agrees with `Decimal`'s on equal and
    /// different scales, signed zeros and scales too far apart to align (the evaluator's
    /// `num` tests compare it on thousands of random decimals).
    #[test]
    fn decimal_cmp_is_decimals_comparison() {
        for (k, p) in POW10.iter().enumerate() {
            assert_eq!(Some(*p), 10i128.checked_pow(k as u32));
        }
        let xs = [
            "0",
            "-0",
            "0.00",
            "-0.00",
            "1.5",
            "1.50",
            "1.51",
            "-2.5",
            "2.5",
            "100",
            "100.00",
            "0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7.9228162514264337593543950335",
        ];
        for a in xs {
            for b in xs {
                assert_eq!(decimal_cmp(d(a), d(b)), d(a).cmp(&d(b)), "{a} {b}");
            }
        }
    }

    #[test]
    fn keeps_printed_decimals() {
        let a = Amount::new(d("169.00"), Unit::WanYuan);
        assert_eq!(a.decimals(), 2);
        assert_eq!(a.to_string(), "169.00万元");
        assert_eq!(Amount::new(d("169"), Unit::WanYuan).to_string(), "169万元");
    }

    #[test]
    fn rescales_exactly() {
        let a = Amount::new(d("1.5"), Unit::WanYuan);
        assert_eq!(a.to_unit(Unit::Yuan).unwrap().value, d("15000"));
        let b = Amount::new(d("169"), Unit::Yuan);
        let w = b.to_unit(Unit::WanYuan).unwrap();
        assert_eq!(w.value, d("0.0169"));
        assert_eq!(w.value.scale(), 4);
        assert_eq!(
            Amount::new(d("2"), Unit::YiYuan).in_yuan().unwrap(),
            d("200000000")
        );
    }

    #[test]
    fn overflow_is_an_error() {
        let a = Amount::new(Decimal::MAX, Unit::YiYuan);
        assert_eq!(a.to_unit(Unit::Yuan), Err(AmountError::Overflow));
        let tiny = Amount::new(d("0.000000000000000000000001"), Unit::Yuan);
        assert_eq!(tiny.to_unit(Unit::YiYuan), Err(AmountError::Overflow));
    }

    #[test]
    fn unit_names() {
        assert_eq!(Unit::parse(" 万 元"), Some(Unit::WanYuan));
        assert_eq!(Unit::parse("美元"), None);
    }
}
