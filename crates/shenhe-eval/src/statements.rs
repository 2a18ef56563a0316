//! Statements of named amounts in the narrative, for restated/复述 and consistent/复述一致,
//! indexed once per document.
//!
//! A *statement* of an item is its name followed, after only connecting words (为、是、预算数、
//! 安排、支出、合计、共计、总额、本年 …, a year such as `2024 年`), by an amount (`821.07 万元`).
//! Quotation marks are ignored. A name that is the tail of a longer word or of another
//! indicator is no statement, nor is one about another year than the document's (the rules are
//! documented with the built-ins, in `builtins/restated.rs`).
//!
//! Names are given at evaluation time (`复述(行, …, 科目名(行))` names every row), so the index
//! does not look for names: it records, per paragraph, every position from which the scan over
//! connecting words reaches an amount (a possible end of a name), keyed by the character just
//! before it. A name's statements are then found by looking up its last character and comparing
//! the name backwards at those few positions, instead of scanning the narrative per name.

use std::sync::LazyLock;

use rust_decimal::Decimal;
use shenhe_model::Unit;

use crate::docindex::{NormParagraph, char_mask, key_cow};
use crate::pattern::{is_cjk, position_of, scan_number};

/// Characters that may stand between a name and its amount.
fn is_connector(c: char) -> bool {
    matches!(
        c,
        '为' | '是'
            | '：'
            | ':'
            | '预'
            | '算'
            | '数'
            | '安'
            | '排'
            | '支'
            | '出'
            | '合'
            | '计'
            | '共'
            | '总'
            | '额'
            | '达'
            | '金'
            | '约'
            | '度'
            | '本'
            | '年'
            | '当'
            | '全'
            | '('
            | ')'
            | '类'
            | '款'
            | '项'
    )
}

/// Indicator names: a name found as the tail of a longer one of these (支出预算 in
/// 项目支出预算) is about that other indicator, not a statement of the name.
const INDICATORS: &[&str] = &[
    "基本支出",
    "项目支出",
    "人员经费",
    "公用经费",
    "机关运行经费",
    "三公经费",
    "公务接待费",
    "公务用车",
    "因公出国",
    "会议费",
    "培训费",
    "政府采购",
    "政府性基金",
    "国有资本经营",
    "上年结转",
    "事业收入",
    "经营收入",
    "其他收入",
];

static INDICATOR_CHARS: LazyLock<Vec<Vec<char>>> =
    LazyLock::new(|| INDICATORS.iter().map(|s| s.chars().collect()).collect());

/// Characters that may stand just before a name (`2024 年基本支出`, `其中人员经费`, and the
/// last character of an organisation's name: `商务委员会收入预算`, `万里街道办事处收入预算`);
/// any other Chinese character there makes the name the tail of a longer word (`拨款支出预算`,
/// `教育支出预算数`), which is not a statement of the name.
fn may_stand_before(c: char) -> bool {
    matches!(
        c,
        '局' | '委'
            | '院'
            | '处'
            | '会'
            | '厅'
            | '办'
            | '室'
            | '所'
            | '站'
            | '校'
            | '部'
            | '心'
            | '队'
            | '年'
            | '度'
            | '的'
            | '及'
            | '和'
            | '与'
            | '中'
            | '其'
            | '共'
            | '为'
            | '是'
            | '了'
            | '门'
            | '位'
            | '括'
            | '含'
            | '即'
    )
}

/// Most connector characters allowed.
const MAX_CONNECTORS: u32 = 12;

/// Amount units, longest first.
const UNITS: [(&[char], Unit); 3] = [
    (&['亿', '元'], Unit::YiYuan),
    (&['万', '元'], Unit::WanYuan),
    (&['元'], Unit::Yuan),
];

/// Each char of an indicator past its first: (char, index of the indicator, index of the char
/// in it), sorted by char.
static INDICATOR_TAILS: LazyLock<Vec<(char, usize, usize)>> = LazyLock::new(|| {
    let mut tails: Vec<(char, usize, usize)> = INDICATOR_CHARS
        .iter()
        .enumerate()
        .flat_map(|(i, ind)| ind.iter().enumerate().skip(1).map(move |(k, c)| (*c, i, k)))
        .collect();
    tails.sort_unstable();
    tails
});

/// Whether an indicator name other than `name` covers the char at `start` together with chars
/// before it (`项目支出` over the `支出` of `支出预算`). Only the indicators with the char at
/// `start` past their first char are compared (looked up by the char).
fn inside_other(chars: &[char], start: usize, name: &[char]) -> bool {
    let Some(&c) = chars.get(start) else {
        return false;
    };
    let tails = &*INDICATOR_TAILS;
    let from = tails.partition_point(|(x, _, _)| *x < c);
    tails
        .get(from..)
        .unwrap_or(&[])
        .iter()
        .take_while(|(x, _, _)| *x == c)
        .any(|(_, i, k)| {
            INDICATOR_CHARS.get(*i).is_some_and(|ind| {
                start.checked_sub(*k).is_some_and(|s| {
                    chars
                        .get(s..s + ind.len())
                        .is_some_and(|w| w == ind.as_slice())
                }) && ind.as_slice() != name
            })
        })
}

/// [`inside_other`] as defined: every indicator tried at every place it could cover `start`.
#[cfg(test)]
fn inside_other_by_trying(chars: &[char], start: usize, name: &[char]) -> bool {
    INDICATOR_CHARS.iter().any(|ind| {
        // (Whether the indicator is the name itself is asked only of one that covers.)
        (1..ind.len()).any(|k| {
            // The indicator's char `k` stands at `start`: that rules out most places without
            // comparing the whole indicator.
            ind.get(k).is_some_and(|c| chars.get(start) == Some(c))
                && start.checked_sub(k).is_some_and(|s| {
                    chars
                        .get(s..s + ind.len())
                        .is_some_and(|w| w == ind.as_slice())
                })
        }) && ind.as_slice() != name
    })
}

/// Whether a name starting at `start` begins a word.
fn starts_word(chars: &[char], start: usize) -> bool {
    match start.checked_sub(1).and_then(|p| chars.get(p)) {
        None => true,
        Some(c) => !is_cjk(*c) || may_stand_before(*c),
    }
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』'
    )
}

/// [`is_quote`] as four comparisons joined by `|` (‘ ’ “ ” are U+2018, 2019, 201C, 201D; 「 」
/// 『 』 U+300C–300F), which a search 16 chars at a time compiles to vector compares.
#[inline]
fn is_quote_wide(c: char) -> bool {
    let c = c as u32;
    (c == 0x22) | (c == 0x27) | (c & !5 == 0x2018) | (c & !3 == 0x300C)
}

/// The name as matched: name key without an ordinal prefix and without quotes.
pub fn name_chars(name: &str) -> Vec<char> {
    // As `Row::name_key` keys a label, without building a row; the key borrowed when the
    // text is one already. (A key is its own key: keying it again changes nothing.)
    key_cow(shenhe_model::strip_ordinal(name))
        .chars()
        .filter(|c| !is_quote(*c))
        .collect()
}

/// A year `dddd年` ending at `end` (exclusive) in `chars`.
fn year_before(chars: &[char], end: usize) -> Option<i32> {
    let e = end.checked_sub(1)?;
    if chars.get(e) != Some(&'年') {
        return None;
    }
    let s = e.checked_sub(4)?;
    let digits: String = chars.get(s..e)?.iter().collect();
    if s > 0 && chars.get(s - 1).is_some_and(char::is_ascii_digit) {
        return None;
    }
    digits.parse().ok()
}

/// The unit word at `p` and the end of it.
fn unit_at(chars: &[char], p: usize) -> Option<(Unit, usize)> {
    UNITS.iter().find_map(|(w, unit)| {
        (chars.get(p..p + w.len()) == Some(*w)).then_some((*unit, p + w.len()))
    })
}

/// Scans from `pos` over connecting words to an amount; the amount, its unit, the end of the
/// statement and a year named on the way. (The index computes the same for every position at
/// once; this is the definition, used for names that can overlap themselves.)
fn amount_after(chars: &[char], mut pos: usize) -> Option<(Decimal, Unit, usize, Option<i32>)> {
    let mut skipped = 0;
    let mut year = None;
    loop {
        let c = *chars.get(pos)?;
        if c.is_ascii_digit() || c == '-' {
            let (v, p) = scan_number(chars, pos)?;
            if let Some((unit, end)) = unit_at(chars, p) {
                return Some((v, unit, end, year));
            }
            // A year on the way (`2024 年预算数为`).
            if chars.get(p) == Some(&'年') && p - pos == 4 && v.scale() == 0 {
                year = i32::try_from(v.mantissa()).ok();
                pos = p + 1;
                continue;
            }
            return None;
        }
        if !is_connector(c) || skipped >= MAX_CONNECTORS {
            return None;
        }
        skipped += 1;
        pos += 1;
    }
}

/// An amount printed in a paragraph.
struct Amount {
    value: Decimal,
    unit: Unit,
    /// One past its unit word.
    end: usize,
}

/// Where the scan from a position over connecting words ends up.
#[derive(Clone, Copy)]
struct Reach {
    /// Index into the index's amounts.
    amount: u32,
    connectors: u32,
    /// The last year named on the way.
    year: Option<i32>,
}

/// A paragraph without quotation marks: its own copy only when it has some (else the
/// normalised paragraph's chars are read as they are).
#[derive(Default)]
struct Dequoted {
    /// The chars without quotation marks, and each one's index in the normalised paragraph's
    /// chars.
    copy: Option<(Vec<char>, Vec<u32>)>,
}

impl Dequoted {
    /// The chars (`norm`: the normalised paragraph this was made from) and, for a copy, the
    /// index of each in `norm`.
    fn chars<'a>(&'a self, norm: &'a NormParagraph<'_>) -> (&'a [char], Option<&'a [u32]>) {
        match &self.copy {
            Some((chars, index)) => (chars, Some(index)),
            None => (&norm.chars, None),
        }
    }
}

/// [`char_mask`] of the quotation marks: a paragraph whose mask lacks them has none.
fn quote_mask() -> u128 {
    ['"', '\'', '“', '”', '‘', '’', '「', '」', '『', '』']
        .iter()
        .fold(0, |m, c| m | char_mask(*c))
}

/// A position where a name may end: the scan from it reaches an amount.
struct End {
    /// The char just before the position (a name's last char).
    last: char,
    para: u32,
    pos: u32,
    amount: u32,
    year: Option<i32>,
}

/// One statement: the amount, and where it stands (char range of name..amount in the
/// normalised paragraph).
pub struct Statement<'p> {
    pub para: &'p NormParagraph<'p>,
    pub start: usize,
    pub end: usize,
    pub value: Decimal,
    pub unit: Unit,
}

/// See the module documentation.
pub struct StatementIndex {
    paras: Vec<Dequoted>,
    /// The amounts printed in the paragraphs (of all of them in one list).
    amounts: Vec<Amount>,
    /// Sorted by (last, para, pos).
    ends: Vec<End>,
}

/// What `amount_after(chars, p)` finds, computed right to left from `after` (what it finds at
/// `p + 1`) and `ring` (what it found at the places after `p`, by place modulo 8): a new
/// amount (pushed onto `amounts`) when a number with a unit starts at `p`, a year on the way,
/// or one more connector before what the place after reaches.
fn reach_at(
    chars: &[char],
    p: usize,
    after: Option<Reach>,
    ring: &[Option<Reach>; 8],
    amounts: &mut Vec<Amount>,
) -> Option<Reach> {
    let c = *chars.get(p)?;
    if c.is_ascii_digit() || c == '-' {
        let (v, q) = scan_number(chars, p)?;
        if let Some((unit, end)) = unit_at(chars, q) {
            let amount = u32::try_from(amounts.len()).ok()?;
            amounts.push(Amount {
                value: v,
                unit,
                end,
            });
            Some(Reach {
                amount,
                connectors: 0,
                year: None,
            })
        } else if chars.get(q) == Some(&'年') && q - p == 4 && v.scale() == 0 {
            let y = i32::try_from(v.mantissa()).ok();
            // A later year on the way overrides this one. (`q + 1` is `p + 5`, within the
            // eight places the ring keeps.)
            ring.get((q + 1) & 7).copied().flatten().map(|r| Reach {
                year: r.year.or(y),
                ..r
            })
        } else {
            None
        }
    } else {
        // Most places reach nothing after them: the connector test only where the next place
        // reaches an amount.
        after.filter(|_| is_connector(c)).map(|r| Reach {
            connectors: r.connectors + 1,
            ..r
        })
    }
}

/// Chars a number (see `scan_number`) is made of.
fn in_number(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '.' | ',' | '-')
}

/// Pushes the possible ends of names in paragraph `pi` (its chars without quotation marks)
/// onto `ends`, right to left, and the amounts they reach onto `amounts`: every place from
/// which [`amount_after`] reaches an amount, past the first.
///
/// Only the stretches before a unit are walked, not every char: an amount ends with `元`, so
/// each `元` (right to left) starts a walk from the end of the number before its unit, over
/// that number's chars, then leftwards while the places reach an amount (connectors, and a
/// year's digits, which a scan from the year's first digit passes). A walk stops at a place
/// that is no digit and reaches nothing: every place before it reaches nothing either, up to
/// the next `元`'s number (a year before it would reach past that place, which reaches
/// nothing; a number with a unit has its own `元`). The places visited and what they reach are
/// exactly those of a walk over every char.
fn paragraph_ends(
    chars: &[char],
    pi: u32,
    units: &mut Vec<usize>,
    amounts: &mut Vec<Amount>,
    ends: &mut Vec<End>,
) {
    units.clear();
    let mut from = 0;
    while let Some(off) = chars
        .get(from..)
        .and_then(|r| position_of(r, |c| c == '元'))
    {
        units.push(from + off);
        from += off + 1;
    }
    for &u in units.iter().rev() {
        // Where the number before this unit ends: `万元`, `亿元` or `元`.
        let q = match u.checked_sub(1).and_then(|b| chars.get(b)) {
            Some('万' | '亿') => u - 1,
            _ => u,
        };
        // The number's chars are walked whatever they reach (`1,234元` holds the amounts
        // 1,234 and 234).
        let mut run = q;
        while run > 0 && chars.get(run - 1).is_some_and(|c| in_number(*c)) {
            run -= 1;
        }
        // What the places after `p` reach (by place modulo 8), for a year's scan; the places
        // from `q` on reach nothing (the unit's first char is no connector).
        let mut ring: [Option<Reach>; 8] = [None; 8];
        let mut after: Option<Reach> = None;
        let mut p = q;
        while p > 0 {
            p -= 1;
            let r = reach_at(chars, p, after, &ring, amounts);
            if let Some(slot) = ring.get_mut(p & 7) {
                *slot = r;
            }
            after = r;
            match r {
                Some(r) => {
                    if let (Some(&last), Ok(pos)) = (
                        p.checked_sub(1).and_then(|b| chars.get(b)),
                        u32::try_from(p),
                    ) && r.connectors <= MAX_CONNECTORS
                    {
                        ends.push(End {
                            last,
                            para: pi,
                            pos,
                            amount: r.amount,
                            year: r.year,
                        });
                    }
                }
                None => {
                    if p < run
                        && chars
                            .get(p)
                            .is_some_and(|c| !c.is_ascii_digit() && *c != '-')
                    {
                        break;
                    }
                }
            }
        }
    }
}

/// Whether a proper prefix of `name` is also its suffix (then occurrences can overlap).
fn has_border(name: &[char]) -> bool {
    (1..name.len()).any(|k| name.get(..k) == name.get(name.len() - k..))
}

/// A statement found at `start`, unless it is about another year than the document's.
fn accept(
    chars: &[char],
    index: Option<&[u32]>,
    start: usize,
    end: usize,
    year_after: Option<i32>,
    doc_year: Option<i32>,
) -> Option<(usize, usize)> {
    let before_year = year_before(chars, start);
    let last_year = start >= 2 && chars.get(start - 2..start) == Some(&['上', '年'][..]);
    let other_year = [year_after, before_year]
        .iter()
        .flatten()
        .any(|y| doc_year.is_some_and(|d| d != *y));
    if other_year || last_year {
        return None;
    }
    let map = |k: usize| match index {
        Some(index) => index.get(k).map(|i| *i as usize),
        None => Some(k),
    };
    let s = map(start)?;
    let e = end.checked_sub(1).and_then(map)?;
    Some((s, e + 1))
}

/// A statement before sorting: (paragraph, name, start, end, value, unit).
type Found = (usize, usize, usize, usize, Decimal, Unit);

impl StatementIndex {
    pub fn new(narrative: &[NormParagraph<'_>]) -> StatementIndex {
        let mut paras = Vec::with_capacity(narrative.len());
        let mut ends = Vec::new();
        let mut amounts = Vec::new();
        // The places of `元` in a paragraph (a buffer reused).
        let mut units = Vec::new();
        let quotes = quote_mask();
        for (pi, para) in narrative.iter().enumerate() {
            let Ok(pi) = u32::try_from(pi) else { break };
            // Without a `元` there is no amount, so no statement: nothing to index (and `find`
            // only visits paragraphs with a possible end). The mask rules out most; a long
            // paragraph's mask has many bits set, so the chars are searched too (a search costs
            // far less than the scan below).
            if para.mask & char_mask('元') == 0 || !para.chars.contains(&'元') {
                paras.push(Dequoted::default());
                continue;
            }
            // This paragraph's ends start here (pushed right to left).
            let first_end = ends.len();
            let copy = (para.mask & quotes != 0
                && position_of(&para.chars, is_quote_wide).is_some())
            .then(|| {
                let mut chars = Vec::with_capacity(para.chars.len());
                let mut index = Vec::with_capacity(para.chars.len());
                for (i, c) in para.chars.iter().enumerate() {
                    if !is_quote(*c) {
                        chars.push(*c);
                        index.push(u32::try_from(i).unwrap_or(u32::MAX));
                    }
                }
                (chars, index)
            });
            let chars: &[char] = copy.as_ref().map_or(&para.chars, |(c, _)| c);
            paragraph_ends(chars, pi, &mut units, &mut amounts, &mut ends);
            if let Some(mine) = ends.get_mut(first_end..) {
                mine.reverse();
            }
            paras.push(Dequoted { copy });
        }
        // The ends are in (para, pos) order: a stable sort by the last char orders them by
        // (last, para, pos), comparing chars only.
        ends.sort_by_key(|e| e.last);
        StatementIndex {
            paras,
            amounts,
            ends,
        }
    }

    /// Every statement of `names` that is about the document's year, in the order of their
    /// sections and their places in their paragraphs (then paragraph, then name); an amount
    /// that several names read is one statement, the one that starts first.
    pub fn find<'p>(
        &self,
        narrative: &'p [NormParagraph<'p>],
        names: &[Vec<char>],
        doc_year: Option<i32>,
    ) -> Vec<Statement<'p>> {
        let mut found: Vec<Found> = Vec::new();
        for (ni, name) in names.iter().enumerate() {
            let Some(&last) = name.last() else { continue };
            let lo = self.ends.partition_point(|e| e.last < last);
            let hi = self.ends.partition_point(|e| e.last <= last);
            let hits = self.ends.get(lo..hi).unwrap_or(&[]);
            let border = has_border(name);
            // The scan of each paragraph left to right: occurrences before `next` are skipped.
            let mut para_now = None;
            let mut next = 0usize;
            for e in hits {
                let (Some(para), Some(norm)) = (
                    self.paras.get(e.para as usize),
                    narrative.get(e.para as usize),
                ) else {
                    continue;
                };
                let (chars, index) = para.chars(norm);
                let pos = e.pos as usize;
                let Some(start) = pos.checked_sub(name.len()) else {
                    continue;
                };
                // The last chars are equal (the ends are looked up by it): compared from the
                // end, char by char (most places differ in the char before it).
                if !chars
                    .get(start..pos)
                    .is_some_and(|w| w.iter().rev().eq(name.iter().rev()))
                {
                    continue;
                }
                if para_now != Some(e.para) {
                    para_now = Some(e.para);
                    next = 0;
                    if border {
                        // Occurrences that overlap each other: scan the paragraph as defined.
                        scan(
                            chars,
                            index,
                            e.para as usize,
                            ni,
                            name,
                            doc_year,
                            &mut found,
                        );
                        continue;
                    }
                } else if border {
                    continue;
                }
                if start < next {
                    continue;
                }
                if inside_other(chars, start, name) || !starts_word(chars, start) {
                    next = pos;
                    continue;
                }
                let Some(a) = self.amounts.get(e.amount as usize) else {
                    continue;
                };
                if let Some((s, t)) = accept(chars, index, start, a.end, e.year, doc_year) {
                    found.push((e.para as usize, ni, s, t, a.value, a.unit));
                }
                next = a.end;
            }
        }
        let mut out: Vec<(Statement<'p>, usize, usize)> = found
            .into_iter()
            .filter_map(|(p, ni, start, end, value, unit)| {
                let para = narrative.get(p)?;
                Some((
                    Statement {
                        para,
                        start,
                        end,
                        value,
                        unit,
                    },
                    p,
                    ni,
                ))
            })
            .collect();
        // One amount is one statement, whichever of the names reads it (`一般公共预算拨款支出预算`
        // and `一般公共预算拨款支出` before the same amount): the one that starts first (then
        // the first name) is kept, the first of its amount's in this order.
        if out.len() > 1 {
            out.sort_by_key(|(s, p, ni)| (*p, s.end, s.start, *ni));
            out.dedup_by_key(|(s, p, _)| (*p, s.end));
        }
        // Document order: the narrative lists paragraphs in reading order.
        out.sort_by_key(|(s, p, ni)| (*p, s.start, *ni));
        out.into_iter().map(|(s, _, _)| s).collect()
    }
}

/// The statements of `name` in one paragraph (its chars without quotation marks, and the
/// index of each in the normalised paragraph when they differ), scanning it left to right.
fn scan(
    chars: &[char],
    index: Option<&[u32]>,
    p: usize,
    ni: usize,
    name: &[char],
    doc_year: Option<i32>,
    found: &mut Vec<Found>,
) {
    let mut i = 0;
    while i + name.len() <= chars.len() {
        if chars.get(i..i + name.len()) != Some(name) {
            i += 1;
            continue;
        }
        let after = i + name.len();
        if inside_other(chars, i, name) || !starts_word(chars, i) {
            i = after;
            continue;
        }
        let Some((value, unit, end, year_after)) = amount_after(chars, after) else {
            i = after;
            continue;
        };
        if let Some((s, e)) = accept(chars, index, i, end, year_after, doc_year) {
            found.push((p, ni, s, e, value, unit));
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn amounts_after_connectors() {
        let c = chars("2024年预算数为866.07万元，比");
        let (v, u, _, y) = amount_after(&c, 0).unwrap();
        assert_eq!(
            (v, u, y),
            (Decimal::new(86607, 2), Unit::WanYuan, Some(2024))
        );
        assert!(amount_after(&chars("比上年减少8万元"), 0).is_none());
        assert!(amount_after(&chars("821.07"), 0).is_none());
        let (v, ..) = amount_after(&chars("支出714.75万元"), 0).unwrap();
        assert_eq!(v, Decimal::new(71475, 2));
    }

    #[test]
    fn names_drop_quotes_and_ordinals() {
        assert_eq!(name_chars("“三公”经费"), chars("三公经费"));
        assert_eq!(
            name_chars("（七）文化旅游体育与传媒支出"),
            chars("文化旅游体育与传媒支出")
        );
        // Keying the key again (as this did before) changes nothing.
        for name in [
            "（七）文化旅游体育与传媒支出",
            "（一）　“三公”经费　",
            "一、【基本】支出（类）",
            "１．Ｘ项目 ［2024］",
            "\"‘公务’\"接待费",
            "",
        ] {
            let once = key_cow(shenhe_model::strip_ordinal(name));
            let twice: Vec<char> = key_cow(&once).chars().filter(|c| !is_quote(*c)).collect();
            assert_eq!(name_chars(name), twice, "{name}");
        }
        assert_eq!(year_before(&chars("2023年基本支出"), 5), Some(2023));
        for c in ('\0'..='\u{FFFF}').chain(['𠀀', '😀']) {
            assert_eq!(is_quote_wide(c), is_quote(c), "{c:?}");
        }
        // Indicators looked up by char find what trying each finds.
        let text =
            chars("项目支出预算基本支出人员经费公用经费机关运行经费三公经费会议费培训费支出");
        for name in ["支出", "项目支出", "经费", "费", "公用经费", "三公经费", ""]
        {
            let name = chars(name);
            for start in 0..=text.len() {
                assert_eq!(
                    inside_other(&text, start, &name),
                    inside_other_by_trying(&text, start, &name),
                    "{start}"
                );
            }
        }
        let text = chars("项目支出预算169万元");
        assert!(inside_other(&text, 2, &chars("支出预算")));
        assert!(!inside_other(&text, 0, &chars("项目支出")));
        assert!(starts_word(&chars("2024年基本支出"), 5));
        assert!(!starts_word(&chars("拨款支出预算"), 2));
    }

    /// The definition: every paragraph scanned for every name, then sorted (as the evaluator
    /// did before the index).
    fn by_scanning<'p>(
        narrative: &'p [NormParagraph<'p>],
        names: &[Vec<char>],
        year: Option<i32>,
    ) -> Vec<(usize, usize, Decimal)> {
        let mut found = Vec::new();
        for (p, norm) in narrative.iter().enumerate() {
            // Dequoted here, independently of the index.
            let kept: Vec<(usize, char)> = norm
                .chars
                .iter()
                .copied()
                .enumerate()
                .filter(|(_, c)| !is_quote(*c))
                .collect();
            let chars: Vec<char> = kept.iter().map(|(_, c)| *c).collect();
            let index: Vec<u32> = kept.iter().map(|(i, _)| *i as u32).collect();
            for (ni, name) in names.iter().enumerate().filter(|(_, n)| !n.is_empty()) {
                scan(&chars, Some(&index), p, ni, name, year, &mut found);
            }
        }
        let mut out: Vec<_> = found
            .into_iter()
            .map(|(p, ni, s, e, v, _)| (p, s, ni, e, v))
            .collect();
        out.sort_by_key(|(p, s, ni, _, _)| (*p, *s, *ni));
        let mut seen = std::collections::HashSet::new();
        out.retain(|(p, _, _, e, _)| seen.insert((*p, *e)));
        out.into_iter().map(|(_, s, _, e, v)| (s, e, v)).collect()
    }

    #[test]
    fn the_index_finds_what_a_scan_finds() {
        let texts = [
            "2024年基本支出821.07万元，占82.93%；项目支出169万元。",
            "一般公共服务支出2024年预算数为866.07万元，比上年减少8万元。",
            "上年基本支出100万元；2023年项目支出50万元；“三公”经费预算数为3.5万元。",
            "拨款支出预算10万元，支出预算20万元，项目支出预算169万元，支出支出30万元。",
            "支出支出支出5万元，支支支2万元，支支支支3万元；经费为为为为为为为为为为为为为1万元",
            "人员经费为为为为为为为为为为为为1万元，人员经费2024年2025年9元，公用经费-3元",
            "收入预算总额 1,234.5 万元，收入预算为 2 亿元，收入总计 7元。",
            "人员经费为12人，“基本支出”为3项。",
        ];
        let paras = crate::docindex::test_paragraphs(&texts);
        let narrative: Vec<NormParagraph<'_>> = paras
            .iter()
            .enumerate()
            .map(|(i, p)| crate::docindex::normalize_paragraph((i / 3) as u32, p))
            .collect();
        let ix = StatementIndex::new(&narrative);
        let names: Vec<Vec<char>> = [
            "基本支出",
            "项目支出",
            "支出预算",
            "支出",
            "支出支出",
            "支支",
            "三公经费",
            "一般公共服务支出",
            "人员经费",
            "公用经费",
            "经费",
            "收入预算",
            "收入预算总额",
            "收入总计",
            "",
        ]
        .iter()
        .map(|n| name_chars(n))
        .collect();
        for year in [Some(2024), Some(2025), None] {
            for k in 0..names.len() {
                for group in [&names[k..=k], &names[k..], &names[..=k]] {
                    let got: Vec<_> = ix
                        .find(&narrative, group, year)
                        .iter()
                        .map(|s| (s.start, s.end, s.value))
                        .collect();
                    assert_eq!(got, by_scanning(&narrative, group, year), "{group:?}");
                }
            }
        }
        let all: Vec<_> = ix.find(&narrative, &names, Some(2024));
        assert!(all.len() > 10, "{}", all.len());
    }

    #[test]
    fn a_name_may_follow_an_organisation_name() {
        let paras = crate::docindex::test_paragraphs(&[
            "2024年，某街道办事处收入预算15621.11万元，其中：财政拨款收入15621.11万元。",
            "商务委员会收入预算37,151.47万元。",
            "拨款收入预算10万元，教育收入预算20万元。",
        ]);
        let narrative: Vec<NormParagraph<'_>> = paras
            .iter()
            .map(|p| crate::docindex::normalize_paragraph(0, p))
            .collect();
        let ix = StatementIndex::new(&narrative);
        let got: Vec<String> = ix
            .find(&narrative, &[name_chars("收入预算")], Some(2024))
            .iter()
            .map(|s| s.value.to_string())
            .collect();
        assert_eq!(got, vec!["15621.11", "37151.47"]);
    }

    /// The possible ends of names as defined: what a walk over every place, right to left,
    /// finds (as the index was built before it walked only the stretches before units).
    fn ends_by_places(chars: &[char]) -> Vec<(char, u32, Decimal, Unit, usize, Option<i32>)> {
        let mut amounts = Vec::new();
        let mut ring = [None; 8];
        let mut reach: Vec<Option<Reach>> = vec![None; chars.len() + 8];
        let mut out = Vec::new();
        for p in (0..chars.len()).rev() {
            // The ring as the walk keeps it: the places after `p`.
            for (k, slot) in ring.iter_mut().enumerate() {
                *slot = reach
                    .get(p + 1 + (k + 8 - (p + 1) % 8) % 8)
                    .copied()
                    .flatten();
            }
            let r = reach_at(chars, p, reach[p + 1], &ring, &mut amounts);
            reach[p] = r;
            if let Some(r) = r
                && p > 0
                && r.connectors <= MAX_CONNECTORS
            {
                let a = &amounts[r.amount as usize];
                out.push((chars[p - 1], p as u32, a.value, a.unit, a.end, r.year));
            }
        }
        out
    }

    #[test]
    fn ends_found_by_units_as_by_places() {
        let mut texts: Vec<String> = [
            "2024年预算数为866.07万元，比上年减少8万元。",
            "收入预算总额 1,234.5 万元，1,234元，12,345,678元，-5元，--5元，5-3元",
            "2024年万元，元元，万元，亿元，1亿元，2024年2025年9元，年2024年为5元",
            "为为为为为为为为为为为为为为1万元，2024年为为为为为为为为为为为为3元",
            "1.2.3元，.5元，5.元，1,23元，123,456.7万元，0元，00元，-0元，-0.0元",
            "X2024年为5元，2024年X为5元，20245年为5元，202年为5元，-202年为5元",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Random texts over the chars that matter.
        texts.extend(crate::testkit::random_texts(
            0x2545_F491_4F6C_DD1Du64,
            3000,
            40,
            "0123456789.,-元万亿年为是支出比X上“”",
        ));
        for t in &texts {
            let chars: Vec<char> = t.chars().collect();
            let mut amounts = Vec::new();
            let mut ends = Vec::new();
            paragraph_ends(&chars, 0, &mut Vec::new(), &mut amounts, &mut ends);
            let got: Vec<_> = ends
                .iter()
                .map(|e| {
                    let a = &amounts[e.amount as usize];
                    (e.last, e.pos, a.value, a.unit, a.end, e.year)
                })
                .collect();
            assert_eq!(got, ends_by_places(&chars), "{t}");
        }
    }

    #[test]
    fn statements_come_in_reading_order_across_paragraphs() {
        // One section, two paragraphs: the first states 基本支出 late in its text, the second
        // early. Reading order puts the first paragraph's statement first.
        let paras = crate::docindex::test_paragraphs(&[
            "本部门2024年收支预算情况如下，基本支出821.07万元。",
            "基本支出800万元。",
        ]);
        let narrative: Vec<NormParagraph<'_>> = paras
            .iter()
            .map(|p| crate::docindex::normalize_paragraph(0, p))
            .collect();
        let ix = StatementIndex::new(&narrative);
        let values: Vec<Decimal> = ix
            .find(&narrative, &[name_chars("基本支出")], Some(2024))
            .iter()
            .map(|s| s.value)
            .collect();
        assert_eq!(values, [Decimal::new(82107, 2), Decimal::from(800)]);
    }
}
