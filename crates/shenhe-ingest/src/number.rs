//! Numbers as printed in disclosures: `1,234.56`, `18.93%`, `１２３．４５`, `(12.00)`, and the
//! dashes that stand for "nothing" (`－`, `—`, `-`).
//!
//! Parsing is exact ([`Decimal`], keeping the printed decimals) and allocation-free.

use rust_decimal::Decimal;

/// What a cell-sized piece of text is, as a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Num {
    /// A plain number, as printed (scale = decimals shown).
    Number(Decimal),
    /// A percentage (`18.93%` → 18.93).
    Percent(Decimal),
    /// A dash standing for zero or "not applicable" (`－`, `—`, `-`, `——`).
    Dash,
}

/// Maps a full-width digit or number punctuation to its ASCII form.
#[inline]
pub fn ascii_of(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - 0xFF10 + '0' as u32).unwrap_or(c),
        '．' => '.',
        '，' => ',',
        '－' | '−' => '-',
        '＋' => '+',
        '（' => '(',
        '）' => ')',
        '％' => '%',
        _ => c,
    }
}

/// Whether `c` is a digit, ASCII or full-width.
#[inline]
pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '－' | '—' | '–' | '―' | '─' | '━' | '−' | '﹣' | '‐' | '‑'
    )
}

/// `text.trim()`, answered from the end bytes when they are visible ASCII (a cell's token
/// always is: then neither end is whitespace).
fn trimmed(text: &str) -> &str {
    let bytes = text.as_bytes();
    let visible = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    if visible(bytes.first()) && visible(bytes.last()) {
        text
    } else {
        text.trim()
    }
}

/// Parses a whole token as a number, percentage or dash. Returns `None` for anything else
/// (including numbers with trailing text such as `30万元`).
pub fn parse_cell(text: &str) -> Option<Num> {
    let t = trimmed(text);
    // A number starts with a digit, a sign or a parenthesis; a dash stands alone. Anything
    // else (a name) is answered at once: told by the first byte for an ideograph or CJK
    // punctuation (lead bytes E3–EE, U+3000–U+EFFF, which hold no digit, sign, bracket or
    // dash), and an ASCII digit is neither a dash nor the start of a run of dashes.
    let lead = *t.as_bytes().first()?;
    if (0xE3..=0xEE).contains(&lead) {
        return None;
    }
    if !lead.is_ascii_digit() {
        let first = t.chars().next()?;
        if !(is_dash(first) || matches!(ascii_of(first), '0'..='9' | '(' | '-' | '+')) {
            return None;
        }
        if t.chars().all(is_dash) {
            return Some(Num::Dash);
        }
    }
    let (body, percent) = match t.strip_suffix('%').or_else(|| t.strip_suffix('％')) {
        Some(b) => (b.trim_end(), true),
        None => (t, false),
    };
    let d = parse_number(body)?;
    Some(if percent {
        Num::Percent(d)
    } else {
        Num::Number(d)
    })
}

/// Parses a number: optional sign or enclosing parentheses (negative), digits with optional
/// thousands separators (groups of three), optional decimals. Full-width forms are accepted.
pub fn parse_number(text: &str) -> Option<Decimal> {
    let t = trimmed(text);
    parse_plain(t).or_else(|| parse_general(t))
}

/// [`parse_number`] of any form (of trimmed text).
fn parse_general(t: &str) -> Option<Decimal> {
    let mut chars = t.chars().map(ascii_of).peekable();
    let mut negative = false;
    let mut paren = false;
    match chars.peek() {
        Some('(') => {
            paren = true;
            negative = true;
            chars.next();
        }
        Some('-') => {
            negative = true;
            chars.next();
        }
        Some('+') => {
            chars.next();
        }
        _ => {}
    }
    let mut mantissa: i128 = 0;
    let mut digits = 0u32;
    let mut scale = 0u32;
    let mut in_fraction = false;
    // Digits since the last thousands separator, and whether a separator was seen.
    let mut group = 0u32;
    let mut grouped = false;
    let mut closed = false;
    let mut any = false;
    for c in chars {
        if closed {
            return None;
        }
        match c {
            '0'..='9' => {
                let d = c as i128 - '0' as i128;
                // Below 10^28 here (more significant digits are refused just below), so this
                // cannot overflow; plain 128-bit multiplication is much cheaper than checked.
                mantissa = mantissa.wrapping_mul(10).wrapping_add(d);
                if mantissa != 0 || in_fraction {
                    digits += 1;
                }
                if digits > 28 {
                    return None;
                }
                if in_fraction {
                    scale += 1;
                } else {
                    group += 1;
                }
                any = true;
            }
            ',' if !in_fraction => {
                if !any || (grouped && group != 3) || (!grouped && group > 3) {
                    return None;
                }
                grouped = true;
                group = 0;
            }
            '.' if !in_fraction => {
                if !any || (grouped && group != 3) {
                    return None;
                }
                in_fraction = true;
            }
            ')' if paren => closed = true,
            _ => return None,
        }
    }
    if !any || (paren && !closed) {
        return None;
    }
    if in_fraction && scale == 0 {
        return None;
    }
    if grouped && !in_fraction && group != 3 {
        return None;
    }
    if scale > 28 {
        return None;
    }
    let m = if negative { -mantissa } else { mantissa };
    Decimal::try_from_i128_with_scale(m, scale).ok()
}

/// [`parse_number`] of the commonest form, ASCII digits with an optional point followed by
/// digits (`990.07`), read in 64 bits; `None` for anything else (left to the general reading,
/// which gives the same mantissa and scale for these).
fn parse_plain(t: &str) -> Option<Decimal> {
    let bytes = t.as_bytes();
    // At most 19 digits: below 10^19, which `u64` holds.
    if bytes.is_empty() || bytes.len() > 19 {
        return None;
    }
    // The integer digits, then (after a point) the decimals: two loops without a test of
    // which part a digit is in.
    let (int, frac) = match bytes.iter().position(|&b| b == b'.') {
        Some(p) => (bytes.get(..p)?, bytes.get(p + 1..)?),
        None => (bytes, &[][..]),
    };
    let has_point = int.len() < bytes.len();
    if int.is_empty() || (has_point && frac.is_empty()) {
        // No digit before the point, or a point with no digit after it.
        return None;
    }
    let mut mantissa = 0u64;
    for part in [int, frac] {
        for &b in part {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            mantissa = mantissa * 10 + u64::from(d);
        }
    }
    let scale = frac.len() as u32;
    // At most 19 digits: the mantissa fits the low 64 of Decimal's 96 bits and the scale is
    // below its limit of 28, so the parts are given directly.
    let [l0, l1, l2, l3, m0, m1, m2, m3] = mantissa.to_le_bytes();
    Some(Decimal::from_parts(
        u32::from_le_bytes([l0, l1, l2, l3]),
        u32::from_le_bytes([m0, m1, m2, m3]),
        0,
        false,
        scale,
    ))
}

/// The length in bytes of the number that starts `text` (digits, thousands separators
/// followed by exactly three digits, one decimal point followed by digits), or 0.
pub fn number_prefix_len(text: &str) -> usize {
    // The usual number is ASCII digits followed by what cannot continue it: a byte other than
    // a digit, `,` or `.`, or a character outside the full-width forms (EF ..), which hold
    // the only other characters read here (full-width digits, `，`, `．`).
    let bytes = text.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    match bytes.get(digits) {
        None => return digits,
        Some(&b) if b != 0xEF && (digits == 0 || (b != b',' && b != b'.')) => return digits,
        _ => {}
    }
    prefix_len_general(text)
}

/// [`number_prefix_len`] read char by char (any form).
fn prefix_len_general(text: &str) -> usize {
    let mut chars = text.char_indices().peekable();
    let mut end = 0usize;
    let mut seen_digit = false;
    let mut seen_point = false;
    while let Some(&(i, c)) = chars.peek() {
        let a = ascii_of(c);
        if a.is_ascii_digit() {
            end = i + c.len_utf8();
            seen_digit = true;
            chars.next();
            continue;
        }
        if !seen_digit {
            break;
        }
        let rest = text.get(i + c.len_utf8()..).unwrap_or("");
        if a == ',' && !seen_point {
            let mut it = rest.chars();
            let three = (0..3).all(|_| it.next().is_some_and(is_digit));
            let more = it.next().is_some_and(is_digit);
            if three && !more {
                chars.next();
                continue;
            }
            break;
        }
        if a == '.' && !seen_point && rest.chars().next().is_some_and(is_digit) {
            seen_point = true;
            chars.next();
            continue;
        }
        break;
    }
    end
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn plain_reading_agrees_with_the_general_one() {
        for t in [
            "0",
            "00",
            "0.0",
            "990.07",
            "1.",
            ".5",
            "1.2.3",
            "12a",
            "",
            "1234567890123456789",
            "9999999999999999999",
            "99999999999999999999",
            "0.000000000000000001",
            "123456789.123456789",
            "1,234",
        ] {
            let plain = parse_plain(t);
            if let Some(p) = plain {
                let g = parse_general(t).unwrap();
                assert_eq!((p.mantissa(), p.scale()), (g.mantissa(), g.scale()), "{t}");
            }
            let n = parse_number(t);
            let g = parse_general(t);
            assert_eq!(
                n.map(|d| (d.mantissa(), d.scale())),
                g.map(|d| (d.mantissa(), d.scale())),
                "{t}"
            );
        }
        assert!(parse_plain("990.07").is_some());
    }

    #[test]
    fn plain_and_grouped() {
        assert_eq!(parse_number("1,234.56"), Some(d("1234.56")));
        assert_eq!(parse_number("1234.56"), Some(d("1234.56")));
        assert_eq!(parse_number("990.07"), Some(d("990.07")));
        assert_eq!(parse_number("1,234,567"), Some(d("1234567")));
        assert_eq!(parse_number("0"), Some(d("0")));
        assert_eq!(parse_number("750000"), Some(d("750000")));
    }

    #[test]
    fn keeps_printed_decimals() {
        assert_eq!(parse_number("169.00").unwrap().scale(), 2);
        assert_eq!(parse_number("169").unwrap().scale(), 0);
        assert_eq!(parse_number("0.50").unwrap().to_string(), "0.50");
    }

    #[test]
    fn bad_grouping_is_not_a_number() {
        assert_eq!(parse_number("1,2"), None);
        assert_eq!(parse_number("12,34.5"), None);
        assert_eq!(parse_number("1,2345"), None);
        assert_eq!(parse_number(",123"), None);
        assert_eq!(parse_number("1.2.3"), None);
        assert_eq!(parse_number("12."), None);
        assert_eq!(parse_number(".5"), None);
        assert_eq!(parse_number("30万元"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("-"), None);
    }

    #[test]
    fn full_width() {
        assert_eq!(parse_number("１２３．４５"), Some(d("123.45")));
        assert_eq!(parse_number("１，２３４"), Some(d("1234")));
        assert_eq!(parse_cell("１８．９３％"), Some(Num::Percent(d("18.93"))));
    }

    #[test]
    fn negatives() {
        assert_eq!(parse_number("(12.00)"), Some(d("-12.00")));
        assert_eq!(parse_number("（12.00）"), Some(d("-12.00")));
        assert_eq!(parse_number("-3.5"), Some(d("-3.5")));
        assert_eq!(parse_number("－3.5"), Some(d("-3.5")));
        assert_eq!(parse_number("(12.00"), None);
        assert_eq!(parse_number("12.00)"), None);
        assert_eq!(parse_number("(12)3"), None);
    }

    #[test]
    fn percents_and_dashes() {
        assert_eq!(parse_cell("18.93%"), Some(Num::Percent(d("18.93"))));
        assert_eq!(parse_cell("18.93 %"), Some(Num::Percent(d("18.93"))));
        assert_eq!(parse_cell("100%"), Some(Num::Percent(d("100"))));
        assert_eq!(parse_cell("－"), Some(Num::Dash));
        assert_eq!(parse_cell("—"), Some(Num::Dash));
        assert_eq!(parse_cell("——"), Some(Num::Dash));
        assert_eq!(parse_cell("-"), Some(Num::Dash));
        assert_eq!(parse_cell("%"), None);
        assert_eq!(parse_cell("合计"), None);
    }

    #[test]
    fn overflow_is_not_a_number() {
        assert_eq!(parse_number("12345678901234567890123456789012"), None);
        assert!(parse_number("1234567890123456789012345678").is_some());
    }

    #[test]
    fn prefixes() {
        assert_eq!(number_prefix_len("821.07 万元"), 6);
        assert_eq!(number_prefix_len("1,234.5万"), 7);
        assert_eq!(number_prefix_len("4,5,6,7）"), 1);
        assert_eq!(number_prefix_len("2024 年"), 4);
        assert_eq!(number_prefix_len("12.个"), 2);
        assert_eq!(number_prefix_len("１２３．４"), 15);
        assert_eq!(number_prefix_len("abc"), 0);
        assert_eq!(number_prefix_len("1,2345"), 1);
        // The byte shortcut agrees with the char-by-char reading.
        let pieces = [
            "",
            "0",
            "12",
            "1,234",
            "1,23",
            ",5",
            ".5",
            "5.",
            "5.5",
            "１",
            "２．",
            "，",
            "．",
            "−",
            "-",
            "a",
            "万",
            "（",
            "％",
            " ",
            "7,",
            "8.x",
            "9，０００",
            "1,234,567",
            ",１２３",
            "3.",
            "0.05,",
            "12,345.6.7",
            ",12３",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let t = format!("{a}{b}{c}");
                    assert_eq!(number_prefix_len(&t), prefix_len_general(&t), "{t}");
                }
            }
        }
    }
}
