//! Typed numbers in narrative text: amounts (`821.07 万元`), percentages (`82.93%`,
//! `18.93 %`), counts with a measure word (`4 个`, `2 辆`).

use shenhe_model::{Amount, Fact, Measure, Paragraph, Unit};

use crate::number::{number_prefix_len, parse_number};

/// Measure words of counts, longest first so that `个百分点` wins over `个`.
const MEASURES: &[&str] = &[
    "个百分点",
    "万平方米",
    "平方米",
    "万人次",
    "人次",
    "万人",
    "小时",
    "公里",
    "千米",
    "个",
    "人",
    "名",
    "辆",
    "台",
    "套",
    "件",
    "项",
    "次",
    "家",
    "所",
    "座",
    "户",
    "条",
    "批",
    "册",
    "篇",
    "期",
    "场",
    "天",
    "吨",
    "亩",
    "张",
    "份",
    "架",
    "艘",
    "位",
    "笔",
    "块",
    "根",
    "棵",
    "只",
    "头",
];

/// Whether `c` is the first character of a word of [`MEASURES`] (a test checks that it
/// covers them): most numbers are followed by none, told by one `match` instead of a search.
fn is_measure_first(c: char) -> bool {
    matches!(
        c,
        '个' | '万'
            | '平'
            | '人'
            | '小'
            | '公'
            | '千'
            | '名'
            | '辆'
            | '台'
            | '套'
            | '件'
            | '项'
            | '次'
            | '家'
            | '所'
            | '座'
            | '户'
            | '条'
            | '批'
            | '册'
            | '篇'
            | '期'
            | '场'
            | '天'
            | '吨'
            | '亩'
            | '张'
            | '份'
            | '架'
            | '艘'
            | '位'
            | '笔'
            | '块'
            | '根'
            | '棵'
            | '只'
            | '头'
    )
}

/// Words after a measure word that show it is not one (`5 项目`, `2 人大`).
fn measure_is_word_start(measure: &str, after: &str) -> bool {
    match measure {
        "项" => after.starts_with('目'),
        "人" => after.starts_with('大') || after.starts_with('民') || after.starts_with('员'),
        "名" => after.starts_with('称'),
        "家" => after.starts_with('庭'),
        "期" => after.starts_with('间') || after.starts_with('末') || after.starts_with('初'),
        "位" => after.starts_with('于'),
        "台" => after.starts_with('账'),
        "条" => after.starts_with('件') || after.starts_with('例'),
        _ => false,
    }
}

/// Every typed number of a paragraph, in order.
pub(crate) fn extract_facts(p: &Paragraph) -> Vec<Fact> {
    let text = p.text.as_str();
    let mut out = Vec::new();
    let mut i = 0usize;
    let mut cursor = Cursor::new(p);
    let bytes = text.as_bytes();
    while let Some(found) = next_digit_start(text, i) {
        i = found;
        let Some(rest) = text.get(i..) else { break };
        // A digit (`next_digit_start`): ASCII, one byte, or full-width, three.
        let c_len = if bytes.get(i).is_some_and(u8::is_ascii) {
            1
        } else {
            3
        };
        // Whether the character before `i` (every jump below lands after what it consumed)
        // continues a word or number: a digit, an ASCII letter, `.`, `．` or `-`.
        if continues_number(bytes.get(..i).unwrap_or_default()) {
            i += c_len;
            continue;
        }
        let n_len = number_prefix_len(rest);
        if n_len == 0 {
            i += c_len;
            continue;
        }
        let num_text = rest.get(..n_len).unwrap_or("");
        let after_num = rest.get(n_len..).unwrap_or("");
        // Skip a letter-suffixed number (`5G`) entirely.
        if after_num
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphabetic)
        {
            i += n_len;
            continue;
        }
        let gap = spaces_len(after_num.as_bytes());
        let spaced = after_num.get(gap..).unwrap_or("");
        // The measure first: most numbers have none, and are then not parsed.
        if let Some((measure, unit_len)) = measure(spaced)
            && let Some(value) = parse_number(num_text)
        {
            let end = i + n_len + gap + unit_len;
            let printed = text.get(i..end).unwrap_or("").to_string();
            if let Some(loc) = cursor.loc(i, end) {
                let measure = match measure {
                    Kind::Money(unit) => Measure::Money {
                        amount: Amount::new(value, unit),
                    },
                    Kind::Percent => Measure::Percent { value },
                    Kind::Count(unit) => Measure::Count {
                        value,
                        unit: unit.to_string(),
                    },
                };
                out.push(Fact {
                    measure,
                    printed,
                    start: i as u32,
                    end: end as u32,
                    loc,
                });
            }
            i = end;
            continue;
        }
        i += n_len;
    }
    out
}

/// Whether the last character of `before` (UTF-8) is a digit (ASCII or full-width, EF BC
/// 90–99), an ASCII letter, `.`, `．` (EF BC 8E) or `-`.
fn continues_number(before: &[u8]) -> bool {
    match before {
        [.., b] if b.is_ascii() => b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'),
        [.., 0xEF, 0xBC, b] => matches!(b, 0x8E | 0x90..=0x99),
        _ => false,
    }
}

/// The byte length of the run of spaces (` `, U+3000 = E3 80 80) that starts `s`.
fn spaces_len(s: &[u8]) -> usize {
    let mut n = 0usize;
    loop {
        match s.get(n..) {
            Some([b' ', ..]) => n += 1,
            Some([0xE3, 0x80, 0x80, ..]) => n += 3,
            _ => return n,
        }
    }
}

/// The byte offset, at or after `from` (a character boundary), of the next digit: ASCII
/// (`0`–`9`) or full-width (`０`–`９`, encoded EF BC 90–99).
///
/// Read byte by byte, 16 bytes at a time: neither byte of a digit's test occurs inside
/// another character (ASCII bytes never do; a full-width digit is told by its last byte,
/// 90–99, after BC after EF), so no character needs decoding, and a block with no ASCII digit
/// and no BC followed by 90–99 is passed over whole (most blocks of prose).
fn next_digit_start(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut k = from;
    // Position `from` first: from then on every position has a byte before it.
    if let Some(start) = digit_ending_at(bytes, k) {
        return Some(start);
    }
    k += 1;
    while let (Some(block), Some(before)) = (bytes.get(k..k + 16), bytes.get(k - 1..k + 15)) {
        let hit = block.iter().zip(before).fold(0u8, |acc, (&b, &p)| {
            acc | u8::from(b.wrapping_sub(b'0') < 10)
                | (u8::from(b.wrapping_sub(0x90) < 10) & u8::from(p == 0xBC))
        });
        if hit != 0 {
            for n in k..k + 16 {
                if let Some(start) = digit_ending_at(bytes, n) {
                    return Some(start);
                }
            }
        }
        k += 16;
    }
    (k..bytes.len()).find_map(|n| digit_ending_at(bytes, n))
}

/// The start of the digit whose last byte stands at `k`: `k` for an ASCII digit, `k - 2` for
/// a full-width one (EF BC 90–99).
#[inline]
fn digit_ending_at(bytes: &[u8], k: usize) -> Option<usize> {
    let b = *bytes.get(k)?;
    if b.is_ascii_digit() {
        return Some(k);
    }
    let full_width =
        (0x90..=0x99).contains(&b) && k >= 2 && bytes.get(k - 2..k) == Some(&[0xEF, 0xBC][..]);
    full_width.then(|| k - 2)
}

/// Locations of increasing byte ranges of a paragraph, computed incrementally (the same as
/// [`Paragraph::loc_of`], without recounting characters from the segment start each time).
struct Cursor<'p> {
    p: &'p Paragraph,
    seg: usize,
    pos: usize,
    chars: u32,
}

impl<'p> Cursor<'p> {
    fn new(p: &'p Paragraph) -> Cursor<'p> {
        let pos = p.segments.first().map(|s| s.start as usize).unwrap_or(0);
        Cursor {
            p,
            seg: 0,
            pos,
            chars: 0,
        }
    }

    fn loc(&mut self, start: usize, end: usize) -> Option<shenhe_model::Loc> {
        let segs = &self.p.segments;
        while let Some(next) = segs.get(self.seg + 1) {
            if next.start as usize > start {
                break;
            }
            self.seg += 1;
            self.pos = next.start as usize;
            self.chars = 0;
        }
        let seg = segs.get(self.seg)?;
        if start < self.pos {
            return self.p.loc_of(start, end);
        }
        let between = self.p.text.get(self.pos..start)?;
        self.chars += between.chars().count() as u32;
        self.pos = start;
        let seg_end = segs
            .get(self.seg + 1)
            .map(|s| s.start as usize)
            .unwrap_or(self.p.text.len());
        let bytes_before = (start - seg.start as usize) as u32;
        let end = end.min(seg_end).max(start);
        Some(shenhe_model::Loc {
            line: seg.loc.line,
            column: seg.loc.column + self.chars,
            offset: seg.loc.offset + bytes_before,
            len: (end - start) as u32,
            page: seg.loc.page,
            bbox: seg.loc.bbox,
        })
    }
}

enum Kind {
    Money(Unit),
    Percent,
    Count(&'static str),
}

/// The unit that starts `s`, with its byte length.
fn measure(s: &str) -> Option<(Kind, usize)> {
    for (name, unit) in [
        ("万元", Unit::WanYuan),
        ("亿元", Unit::YiYuan),
        ("元", Unit::Yuan),
    ] {
        if s.starts_with(name) {
            return Some((Kind::Money(unit), name.len()));
        }
    }
    if s.starts_with('%') {
        return Some((Kind::Percent, 1));
    }
    if s.starts_with('％') {
        return Some((Kind::Percent, '％'.len_utf8()));
    }
    let first = s.chars().next()?;
    if !is_measure_first(first) {
        return None;
    }
    // The first character's bytes (every measure word starts with a three-byte ideograph):
    // comparing them spares most comparisons.
    let lead = s.as_bytes().get(..3)?;
    for m in MEASURES {
        if m.as_bytes().get(..3) != Some(lead) {
            continue;
        }
        if let Some(after) = s.strip_prefix(m) {
            if measure_is_word_start(m, after) {
                return None;
            }
            return Some((Kind::Count(m), m.len()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use rust_decimal::Decimal;
    use shenhe_model::{Loc, TextSegment};

    use super::*;

    fn para(lines: &[&str]) -> Paragraph {
        let mut p = Paragraph::default();
        for (i, l) in lines.iter().enumerate() {
            p.segments.push(TextSegment {
                start: p.text.len() as u32,
                loc: Loc::text(10 + 2 * i as u32, 1, 1000 * i as u32, l.len() as u32),
            });
            p.text.push_str(l);
        }
        p
    }

    #[test]
    fn measure_firsts_cover_every_measure() {
        for m in MEASURES {
            let c = m.chars().next().unwrap();
            assert!(is_measure_first(c), "{m}");
            assert_eq!(c.len_utf8(), 3, "{m}");
        }
    }

    #[test]
    fn byte_tests_match_char_tests() {
        let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let t = format!("表{c}");
            let want = digit(c) || c.is_ascii_alphabetic() || c == '.' || c == '．' || c == '-';
            assert_eq!(continues_number(t.as_bytes()), want, "U+{:04X}", c as u32);
        }
        assert!(!continues_number(b""));
        for t in [
            "",
            " ",
            "\u{3000} 万",
            "  \u{3000}\u{3000}x",
            "\u{3001}",
            "万 ",
        ] {
            let want = t.len() - t.trim_start_matches([' ', '\u{3000}']).len();
            assert_eq!(spaces_len(t.as_bytes()), want, "{t:?}");
        }
    }

    #[test]
    fn digits_found_past_full_width_punctuation() {
        let t = "（一），５个；7";
        let first = next_digit_start(t, 0).unwrap();
        assert_eq!(t.get(first..).unwrap().chars().next(), Some('５'));
        let second = next_digit_start(t, first + 3).unwrap();
        assert_eq!(t.get(second..), Some("7"));
        assert_eq!(next_digit_start(t, second + 1), None);
    }

    #[test]
    fn digit_search_matches_a_char_scan() {
        let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
        // Texts longer than a block of 16 bytes, with digits and look-alike bytes (伙 is
        // E4 BC 99, `，` EF BC 8C) at every position relative to the blocks.
        let mut long: Vec<String> = Vec::new();
        for pad in 0..20 {
            let lead = "a".repeat(pad);
            for piece in ["５", "7", "伙", "，", "伙５", "，伙9", "𠀀"] {
                long.push(format!("{lead}预算说明情况{piece}经费支出预算{piece}伙"));
                long.push(format!("{lead}{}{piece}", "伙".repeat(7)));
            }
        }
        for t in [
            "",
            "1",
            "经费５万元ï，〇9𠀀8é７",
            "（一）２０２４年\u{FF5E}0",
            "ｘ￥Ｚ",
        ]
        .into_iter()
        .chain(long.iter().map(String::as_str))
        {
            for (from, _) in t.char_indices().chain([(t.len(), ' ')]) {
                let want = t
                    .char_indices()
                    .find(|&(i, c)| i >= from && is_digit(c))
                    .map(|(i, _)| i);
                assert_eq!(next_digit_start(t, from), want, "{t} {from}");
            }
        }
    }

    #[test]
    fn amounts_percents_counts() {
        let p = para(&["基本支出 821.07 万元，占 82.93%； 项目支出 169 万元，占 17.07%；"]);
        let f = extract_facts(&p);
        assert_eq!(f.len(), 4);
        assert_eq!(f[0].printed, "821.07 万元");
        assert_eq!(
            f[0].measure,
            Measure::Money {
                amount: Amount::new(Decimal::from_str("821.07").unwrap(), Unit::WanYuan)
            }
        );
        assert_eq!(f[0].loc.column, 6);
        assert_eq!(f[1].printed, "82.93%");
        assert_eq!(f[3].printed, "17.07%");
    }

    #[test]
    fn spaced_percent_and_wrapped_unit() {
        let p = para(&["减少 18.93 %，政府采购服务预算 6.9", "万元。"]);
        let f = extract_facts(&p);
        assert_eq!(f.len(), 2);
        assert_eq!(
            f[0].measure,
            Measure::Percent {
                value: Decimal::from_str("18.93").unwrap()
            }
        );
        assert_eq!(f[1].printed, "6.9万元");
        // The number stands on the first line; the unit on the next.
        assert_eq!(f[1].loc.line, 10);
    }

    #[test]
    fn not_facts() {
        let p = para(&[
            "2024 年 1 月 1 日，详见表 4,5,6,7，项目 1 是 5G 平台，1-6 月，设置项目 5 项目",
        ]);
        assert!(extract_facts(&p).is_empty(), "{:?}", extract_facts(&p));
    }

    #[test]
    fn counts() {
        let p = para(&["公务用车 2 辆，项目 4 个，组织召开 6次会议，比上年增加 2 个百分点"]);
        let f = extract_facts(&p);
        let units: Vec<String> = f
            .iter()
            .map(|f| match &f.measure {
                Measure::Count { unit, .. } => unit.clone(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(units, vec!["辆", "个", "次", "个百分点"]);
    }

    #[test]
    fn full_width_digits() {
        let p = para(&["预算 １２．５ 万元"]);
        let f = extract_facts(&p);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].measure,
            Measure::Money {
                amount: Amount::new(Decimal::from_str("12.5").unwrap(), Unit::WanYuan)
            }
        );
    }
}
