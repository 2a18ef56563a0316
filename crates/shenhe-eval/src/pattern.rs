//! Narrative patterns: literal text with typed holes, matched against paragraph text while
//! ignoring whitespace, line breaks and full/half-width differences.
//!
//! A pattern is compiled once (at rule compile time) into a [`Matcher`]; matching is a small
//! backtracking search over the normalised characters of a paragraph. Every match is reported
//! with its character range, so the caller can map it back to the source with
//! `Paragraph::loc_of`.

use std::ops::Range;
use std::str::FromStr;
use std::sync::LazyLock;

use rust_decimal::Decimal;
use shenhe_lang::ast::{CaptureKind, Pattern, PatternPart, Span, Spanned};
use shenhe_model::Unit;

use crate::docindex::{
    NormParagraph, PairMask, ParaSets, add_pair, char_mask, half_width, pairs_cover, pairs_meet,
};
use crate::suggest::suggest;

/// Longest pattern (in parts) accepted; keeps matching recursion small.
pub const MAX_PARTS: usize = 64;

/// Default reach of `{…}`.
pub const DEFAULT_GAP: u32 = 20;

/// Measure words a `{数量}` accepts (longest first where one is a prefix of another).
const MEASURE_WORDS: &[&str] = &[
    "平方米",
    "人次",
    "公里",
    "万人",
    "个",
    "辆",
    "人",
    "次",
    "项",
    "家",
    "台",
    "套",
    "件",
    "名",
    "户",
    "处",
    "所",
    "批",
    "份",
    "本",
    "篇",
    "条",
    "场",
    "期",
    "天",
    "张",
    "支",
    "座",
    "栋",
    "间",
    "架",
    "艘",
    "把",
    "亩",
    "米",
    "吨",
    "部",
    "类",
    "宗",
    "起",
    "门",
    "节",
    "课",
    "月",
    "年",
    "日",
];

/// Direction words a `{增减}` accepts (longest first).
pub const DIRECTION_WORDS: &[&str] = &[
    "无变化",
    "增加",
    "减少",
    "持平",
    "增长",
    "下降",
    "上升",
    "降低",
    "大于",
    "小于",
    "等于",
];

/// [`MEASURE_WORDS`] and [`DIRECTION_WORDS`] as chars, decoded once.
static MEASURE_CHARS: LazyLock<Vec<(Vec<char>, &'static str)>> =
    LazyLock::new(|| words(MEASURE_WORDS));
static DIRECTION_CHARS: LazyLock<Vec<(Vec<char>, &'static str)>> =
    LazyLock::new(|| words(DIRECTION_WORDS));

fn words(list: &[&'static str]) -> Vec<(Vec<char>, &'static str)> {
    list.iter().map(|w| (w.chars().collect(), *w)).collect()
}

/// The Chinese names of capture kinds, as written in patterns.
pub const KIND_NAMES: &[(&str, CaptureKind)] = &[
    ("金额", CaptureKind::Amount),
    ("百分比", CaptureKind::Percent),
    ("数", CaptureKind::Number),
    ("数量", CaptureKind::Count),
    ("年", CaptureKind::Year),
    ("增减", CaptureKind::Direction),
    ("词", CaptureKind::Word),
    ("编码", CaptureKind::Code),
];

/// An error in a pattern string: message, byte range in the pattern text, and advice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    pub message: String,
    pub start: usize,
    pub end: usize,
    pub help: Option<String>,
}

/// Parses pattern syntax from a string (for patterns given to functions such as
/// `匹配数("…")`). `base` is the offset of the string's text in the rule file, so the spans of
/// captures point into the rule file.
pub fn parse_pattern(text: &str, base: u32) -> Result<Pattern, PatternError> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        match c {
            '{' if iter.peek().map(|(_, n)| *n) == Some('{') => {
                iter.next();
                lit.push('{');
            }
            '}' if iter.peek().map(|(_, n)| *n) == Some('}') => {
                iter.next();
                lit.push('}');
            }
            '{' => {
                let mut inner = String::new();
                let mut end = None;
                for (j, d) in iter.by_ref() {
                    if d == '}' {
                        end = Some(j);
                        break;
                    }
                    inner.push(d);
                }
                let Some(end) = end else {
                    return Err(PatternError {
                        message: "模式中的 `{` 没有对应的 `}`".into(),
                        start: i,
                        end: text.len(),
                        help: Some("要写字面的花括号请用 `{{` 和 `}}`".into()),
                    });
                };
                if !lit.is_empty() {
                    parts.push(PatternPart::Literal(std::mem::take(&mut lit)));
                }
                let span = Span::new(base as usize + i, base as usize + end + 1);
                parts.push(parse_hole(inner.trim(), i, end + 1, span)?);
            }
            '}' => {
                return Err(PatternError {
                    message: "模式中多出一个 `}`".into(),
                    start: i,
                    end: i + 1,
                    help: Some("要写字面的花括号请用 `{{` 和 `}}`".into()),
                });
            }
            other => lit.push(other),
        }
    }
    if !lit.is_empty() {
        parts.push(PatternPart::Literal(lit));
    }
    Ok(Pattern { parts })
}

fn parse_hole(
    inner: &str,
    start: usize,
    end: usize,
    span: Span,
) -> Result<PatternPart, PatternError> {
    let gap = inner
        .strip_prefix('…')
        .or_else(|| inner.strip_prefix("..."))
        .map(|r| r.trim_start_matches('…').trim());
    if let Some(rest) = gap {
        if rest.is_empty() {
            return Ok(PatternPart::Gap { max: DEFAULT_GAP });
        }
        return match rest.parse::<u32>() {
            Ok(max) => Ok(PatternPart::Gap { max }),
            Err(_) => Err(PatternError {
                message: format!("`{{…{rest}}}` 中的跨度须是整数"),
                start,
                end,
                help: Some("例如 `{…10}` 表示最多跳过 10 个字".into()),
            }),
        };
    }
    let (name, kind) = match inner.split_once([':', '：']) {
        Some((n, k)) => (Some(n.trim()), k.trim()),
        None => (None, inner),
    };
    let Some(kind) = KIND_NAMES.iter().find(|(n, _)| *n == kind).map(|(_, k)| *k) else {
        let names: Vec<String> = KIND_NAMES.iter().map(|(n, _)| n.to_string()).collect();
        let s = suggest(kind, &names);
        return Err(PatternError {
            message: format!("未知的捕获种类 `{kind}`"),
            start,
            end,
            help: Some(match s.first() {
                Some(best) => format!("是不是 `{best}`？可用的种类：{}", names.join("、")),
                None => format!("可用的种类：{}", names.join("、")),
            }),
        });
    };
    let name = match name {
        Some("") => {
            return Err(PatternError {
                message: "捕获的名称为空".into(),
                start,
                end,
                help: Some("写成 `{名称:种类}`，或省略名称写成 `{种类}`".into()),
            });
        }
        Some(n) => Some(Spanned::new(n.to_string(), span)),
        None => None,
    };
    Ok(PatternPart::Capture {
        name,
        kind: Spanned::new(kind, span),
    })
}

#[derive(Clone, Debug, PartialEq)]
enum Part {
    Lit(Vec<char>),
    Cap {
        slot: Option<usize>,
        kind: CaptureKind,
    },
    Gap(u32),
}

/// What the char at which a part (and so the rest of the pattern) matches can be.
#[derive(Clone, Debug, PartialEq)]
enum First {
    Any,
    Char(char),
    /// A number: an ASCII digit or `-`.
    Number,
    Cjk,
    /// One of a few chars (first chars of direction words), with their [`char_mask`] and the
    /// pairs of first and second chars the words begin with (empty when a word has one char).
    OneOf(Vec<char>, u128, Vec<(char, char)>),
}

impl First {
    fn of(part: &Part) -> First {
        match part {
            Part::Lit(l) => l.first().map_or(First::Any, |c| First::Char(*c)),
            Part::Gap(_) => First::Any,
            Part::Cap {
                kind: CaptureKind::Word,
                ..
            } => First::Cjk,
            Part::Cap {
                kind: CaptureKind::Direction,
                ..
            } => {
                let firsts = direction_firsts();
                let mask = firsts.iter().fold(0, |m, c| m | char_mask(*c));
                // Most chars that begin a direction word (上, 下, 大, 等 …) begin many other
                // words: the second char tells them apart before the words are tried.
                let mut pairs: Vec<(char, char)> = DIRECTION_CHARS
                    .iter()
                    .filter_map(|(w, _)| Some((*w.first()?, *w.get(1)?)))
                    .collect();
                if pairs.len() < DIRECTION_CHARS.len() {
                    pairs.clear();
                }
                pairs.sort_unstable();
                pairs.dedup();
                First::OneOf(firsts, mask, pairs)
            }
            Part::Cap { .. } => First::Number,
        }
    }

    /// Whether some CJK char (see [`is_cjk`]) is admitted.
    fn admits_cjk(&self) -> bool {
        match self {
            First::Any | First::Cjk => true,
            First::Char(c) => is_cjk(*c),
            First::Number => false,
            First::OneOf(set, _, _) => set.iter().any(|c| is_cjk(*c)),
        }
    }

    /// Whether a match may start at char `j` of `chars`, as the scan's search for the next
    /// start decides it (for [`First::OneOf`] with the pair of `j` and the char after it).
    fn admits_at(&self, chars: &[char], j: usize) -> bool {
        match (self, chars.get(j)) {
            (First::OneOf(set, mask, pairs), Some(c)) => {
                mask & char_mask(*c) != 0
                    && set.contains(c)
                    && (pairs.is_empty()
                        || chars.get(j + 1).is_some_and(|n| pairs.contains(&(*c, *n))))
            }
            (First::Number, Some(c)) => {
                (c.is_ascii_digit() || *c == '-')
                    && !j
                        .checked_sub(1)
                        .and_then(|p| chars.get(p))
                        .is_some_and(|p| p.is_ascii_digit() || *p == '.')
            }
            (other, c) => other.admits(c),
        }
    }

    /// Whether a match may start at `c` (`None`: the end of the text).
    #[inline]
    fn admits(&self, c: Option<&char>) -> bool {
        match (self, c) {
            (First::Any, _) => true,
            (_, None) => false,
            (First::Char(f), Some(c)) => c == f,
            (First::Number, Some(c)) => c.is_ascii_digit() || *c == '-',
            (First::Cjk, Some(c)) => is_cjk(*c),
            (First::OneOf(set, mask, _), Some(c)) => mask & char_mask(*c) != 0 && set.contains(c),
        }
    }
}

/// The places where matches of many patterns can start, found once per paragraph and shared by
/// the patterns (see `matchmemo`): where a direction word can start, for those that begin with
/// `{增减}`. (Sharing the places where numbers start, for patterns that begin with a number
/// capture, cost as much as it saved on the seed: those places are cheap to find.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Starts {
    Direction,
}

/// What a pattern beginning with `{增减}` can start at (the same for every such pattern).
static DIRECTION_FIRST: LazyLock<First> = LazyLock::new(|| {
    First::of(&Part::Cap {
        slot: None,
        kind: CaptureKind::Direction,
    })
});

/// Filters for the places a direction word can start, cheaper to test than [`First::admits_at`]
/// (each admits a superset of what it admits): a 64-bit filter of the words' first chars,
/// and a 1,024-bit filter of their first two chars (all bits set when a word has one char).
static DIRECTION_BLOOM: LazyLock<(u64, [u64; 16])> = LazyLock::new(|| match &*DIRECTION_FIRST {
    First::OneOf(set, _, pairs) => {
        let firsts = set.iter().fold(0, |m, c| m | bloom_bit(*c));
        let mut second = [0u64; 16];
        if pairs.is_empty() {
            second = [u64::MAX; 16];
        }
        for (a, b) in pairs {
            let (w, bit) = pair_bit(*a, *b);
            if let Some(word) = second.get_mut(w) {
                *word |= bit;
            }
        }
        (firsts, second)
    }
    _ => (u64::MAX, [u64::MAX; 16]),
});

/// The filters of [`DIRECTION_BLOOM`] as the normaliser applies them, to the hashes it
/// computes anyway (see `docindex::normalize_paragraph`): a direction word may start at a char
/// `a` followed by `b` only if this holds for `a × 0x9E37_79B1` and the pair hash
/// `a × 0x9E37_79B1 ^ b × 0x85EB_CA77`.
#[derive(Clone, Copy)]
pub struct DirectionFilter {
    firsts: u64,
    second: [u64; 16],
}

impl DirectionFilter {
    pub fn get() -> DirectionFilter {
        let (firsts, second) = *DIRECTION_BLOOM;
        DirectionFilter { firsts, second }
    }

    /// Whether the char whose product is `first` may start a direction word (see
    /// [`bloom_bit`]).
    #[inline]
    pub fn first(&self, first: u32) -> bool {
        self.firsts & (1u64 << (first >> 26)) != 0
    }

    /// Whether the pair whose hash is `pair` may begin a direction word (see [`pair_bit`]).
    #[inline]
    pub fn pair(&self, pair: u32) -> bool {
        self.second
            .get((pair >> 28) as usize)
            .is_some_and(|w| w & (1u64 << ((pair >> 22) & 63)) != 0)
    }
}

/// Whether a direction word can start at char `j` of `chars` (exactly the places
/// [`Starts::positions`] lists).
pub fn direction_starts_at(chars: &[char], j: usize) -> bool {
    DIRECTION_FIRST.admits_at(chars, j)
}

fn bloom_bit(c: char) -> u64 {
    1u64 << ((c as u32).wrapping_mul(0x9E37_79B1) >> 26)
}

/// The word (of 16) and bit of the pair `a`, `b` in a 1,024-bit filter.
fn pair_bit(a: char, b: char) -> (usize, u64) {
    let h = (a as u32).wrapping_mul(0x9E37_79B1) ^ (b as u32).wrapping_mul(0x85EB_CA77);
    ((h >> 28) as usize, 1u64 << ((h >> 22) & 63))
}

impl Starts {
    /// The places in `chars` where the patterns that share these starts can start, in order:
    /// exactly the places their scan would try (see [`Matcher::scan`]). (The normaliser finds
    /// them for every paragraph: `NormParagraph::direction`.)
    #[cfg(test)]
    pub fn positions(self, chars: &[char]) -> Vec<usize> {
        let mut out = Vec::new();
        self.push_positions(chars, &mut out);
        out
    }

    /// [`Starts::positions`] pushed onto `out`.
    #[cfg(test)]
    pub fn push_positions(self, chars: &[char], out: &mut Vec<usize>) {
        match self {
            Starts::Direction => {
                let (firsts, second) = &*DIRECTION_BLOOM;
                let first = &*DIRECTION_FIRST;
                for (j, &c) in chars.iter().enumerate() {
                    if firsts & bloom_bit(c) == 0 {
                        continue;
                    }
                    // (Past the last char every bit is taken as set: the exact test decides.)
                    let pair = chars.get(j + 1).is_none_or(|n| {
                        let (w, bit) = pair_bit(c, *n);
                        second.get(w).is_some_and(|x| x & bit != 0)
                    });
                    if pair && first.admits_at(chars, j) {
                        out.push(j);
                    }
                }
            }
        }
    }
}

/// An amount printed in a paragraph, as an amount capture reads it: where it starts, where it
/// ends (past its unit), and its value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AmountAt {
    pub start: usize,
    pub end: usize,
    pub value: Decimal,
    pub unit: Unit,
}

/// Pushes onto `out`, in order, the amounts in `chars` an amount capture reads: at every place
/// where a number starts (see [`First::admits_at`]) that is followed by its unit. An amount's
/// unit ends with `元` and begins where its number ends, so only the chars of the number before
/// each `元` (or before its `万`, `亿`) are looked at. The patterns that begin with an amount
/// share these (found once per paragraph: see `matchmemo`), instead of each trying every
/// number of the paragraph and reading the amounts again.
pub fn amounts_in(chars: &[char], out: &mut Vec<AmountAt>) {
    let mut from = 0;
    while let Some(off) = chars
        .get(from..)
        .and_then(|r| position_of(r, |c| c == '元'))
    {
        let u = from + off;
        from = u + 1;
        // Where the number before the unit ends.
        let q = match u.checked_sub(1).and_then(|b| chars.get(b)) {
            Some('万' | '亿') => u - 1,
            _ => u,
        };
        // The chars a number is read from, right to left up to `q` (`1,234元` holds the
        // amounts 1,234 and 234).
        let mut run = q;
        while run > 0
            && chars
                .get(run - 1)
                .is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
        {
            run -= 1;
        }
        // (Runs before different units never overlap, a unit being no number char: the
        // amounts come in order.)
        for p in run..q {
            if First::Number.admits_at(chars, p)
                && let Some((Captured::Amount(value, unit), end)) =
                    scan_capture(chars, p, CaptureKind::Amount)
            {
                out.push(AmountAt {
                    start: p,
                    end,
                    value,
                    unit,
                });
            }
        }
    }
}

/// A compiled pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct Matcher {
    parts: Vec<Part>,
    /// For each part, what the char where it starts matching can be (a pattern's parts after a
    /// word capture or at the start are only tried where they can match).
    firsts: Vec<First>,
    /// Literal pieces every match contains, in order: a paragraph without them (one after
    /// another) is skipped.
    required: Vec<Vec<char>>,
    /// [`char_mask`] of the required chars: a paragraph whose mask lacks one is skipped
    /// without looking at its text.
    mask: u128,
    /// The bit numbers set in `mask`.
    mask_bits: Vec<u8>,
    /// [`add_pair`] of the adjacent chars of the required literals: a paragraph lacking one
    /// is skipped too.
    pairs: PairMask,
    /// What the captures need, as masks of alternatives: a paragraph whose mask meets none of
    /// the chars of one of them is skipped (a number needs a digit, a percentage `%` or `点`,
    /// a direction the first char of a direction word).
    any_of: Vec<u128>,
    /// Pairs of adjacent chars where a capture meets a literal, as masks of alternatives (see
    /// [`edge_pairs`]): a paragraph whose pair mask meets none of one of them is skipped.
    any_pairs: Vec<PairMask>,
    /// The slot of each capture part, in order: a match has one capture per capture part.
    slots: Vec<Option<usize>>,
    /// The pattern starts with a word capture whose next part cannot start at a CJK char.
    word_runs: bool,
    /// A hash of the parts without the slots: matchers of the same shape have the same key
    /// (see [`Matcher::same_shape`]), so most others are told apart by comparing it.
    shape_key: u64,
    /// The pattern as written, for messages.
    pub source: String,
}

/// A captured value, as read from the text.
#[derive(Clone, Debug, PartialEq)]
pub enum Captured {
    Amount(Decimal, Unit),
    Percent(Decimal),
    Number(Decimal),
    Count(Decimal, &'static str),
    Year(Decimal),
    Direction(&'static str),
    Word(String),
    /// A classification code as printed (digits only).
    Code(String),
}

/// One capture of a match: its slot, value and char range.
#[derive(Clone, Debug, PartialEq)]
pub struct Capture {
    pub slot: Option<usize>,
    pub value: Captured,
    pub start: usize,
    pub end: usize,
}

/// One match: char range in the normalised paragraph and the captures.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub captures: Vec<Capture>,
}

fn normalize_literal(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(half_width)
        .collect()
}

impl Matcher {
    /// Compiles a pattern; `slot_of` gives each named capture its slot.
    pub fn compile(
        pattern: &Pattern,
        source: &str,
        mut slot_of: impl FnMut(&str) -> usize,
    ) -> Result<Matcher, String> {
        if pattern.parts.len() > MAX_PARTS {
            return Err(format!("模式过长：最多 {MAX_PARTS} 段"));
        }
        let mut parts = Vec::new();
        for p in &pattern.parts {
            match p {
                PatternPart::Literal(s) => {
                    let chars = normalize_literal(s);
                    if chars.is_empty() {
                        continue;
                    }
                    if let Some(Part::Lit(prev)) = parts.last_mut() {
                        prev.extend(chars);
                    } else {
                        parts.push(Part::Lit(chars));
                    }
                }
                PatternPart::Capture { name, kind } => parts.push(Part::Cap {
                    slot: name.as_ref().map(|n| slot_of(&n.node)),
                    kind: kind.node,
                }),
                PatternPart::Gap { max } => parts.push(Part::Gap(*max)),
            }
        }
        if parts.is_empty() {
            return Err("模式为空".into());
        }
        let required: Vec<Vec<char>> = parts
            .iter()
            .filter_map(|p| match p {
                Part::Lit(l) => Some(l.clone()),
                _ => None,
            })
            .collect();
        let (implied, any_of) = capture_needs(&parts);
        let mask = required
            .iter()
            .flatten()
            .chain(&implied)
            .fold(0u128, |m, c| m | char_mask(*c));
        let mut pairs: PairMask = [0; 16];
        for l in &required {
            for w in l.windows(2) {
                if let [a, b] = w {
                    add_pair(&mut pairs, *a, *b);
                }
            }
        }
        let any_pairs = edge_pairs(&parts, &mut pairs);
        let slots = parts
            .iter()
            .filter_map(|p| match p {
                Part::Cap { slot, .. } => Some(*slot),
                _ => None,
            })
            .collect();
        let firsts: Vec<First> = parts.iter().map(First::of).collect();
        let word_runs = matches!(
            parts.first(),
            Some(Part::Cap {
                kind: CaptureKind::Word,
                ..
            })
        ) && firsts.get(1).is_some_and(|f| !f.admits_cjk());
        Ok(Matcher {
            shape_key: shape_key(&parts),
            firsts,
            word_runs,
            slots,
            parts,
            required,
            mask_bits: (0..128u8).filter(|b| mask >> b & 1 != 0).collect(),
            mask,
            pairs,
            any_of,
            any_pairs,
            source: source.to_string(),
        })
    }

    /// The slots of a match's captures, in order (the slots of the captures themselves are
    /// those of whichever matcher found them: see [`Matcher::same_shape`]).
    pub fn capture_slots(&self) -> &[Option<usize>] {
        &self.slots
    }

    /// A hash of the parts: matchers of the same shape (see [`Matcher::same_shape`]) have the
    /// same key.
    pub fn shape_key(&self) -> u64 {
        self.shape_key
    }

    /// Whether `other` finds the same matches: the same parts, whatever slots its captures
    /// go to.
    pub fn same_shape(&self, other: &Matcher) -> bool {
        self.shape_key == other.shape_key
            && self.parts.len() == other.parts.len()
            && self
                .parts
                .iter()
                .zip(&other.parts)
                .all(|(a, b)| match (a, b) {
                    (Part::Cap { kind: x, .. }, Part::Cap { kind: y, .. }) => x == y,
                    (a, b) => a == b,
                })
    }

    /// The starts this pattern shares with others, if any (see [`Starts`]).
    pub fn shared_starts(&self) -> Option<Starts> {
        match self.firsts.first() {
            Some(First::OneOf(..)) => Some(Starts::Direction),
            _ => None,
        }
    }

    /// Whether the pattern begins with an amount: its matches start at the amounts of
    /// [`amounts_in`], which the patterns that begin with one share.
    pub fn starts_with_amount(&self) -> bool {
        matches!(
            self.parts.first(),
            Some(Part::Cap {
                kind: CaptureKind::Amount,
                ..
            })
        )
    }

    /// As [`Matcher::each_in`] in a paragraph for which [`Matcher::may_match`] holds, with the
    /// places where matches can start found beforehand: `starts` is [`Starts::positions`] of
    /// the paragraph for [`Matcher::shared_starts`]. (`caps`: a buffer for the captures of the
    /// tries, reused from paragraph to paragraph.)
    #[inline]
    pub fn each_from(
        &self,
        p: &NormParagraph<'_>,
        starts: &[usize],
        caps: &mut Vec<Capture>,
        mut found: impl FnMut(Match),
    ) {
        if !starts.is_empty() {
            self.scan_starts(&p.chars, Some(starts), caps, &mut found, false);
        }
    }

    /// As [`Matcher::each_in`] in a paragraph for which [`Matcher::may_match`] holds, for a
    /// pattern that begins with an amount ([`Matcher::starts_with_amount`]): `amounts` is
    /// [`amounts_in`] of the paragraph, where its matches can start, read beforehand.
    #[inline]
    pub fn each_amount(
        &self,
        p: &NormParagraph<'_>,
        amounts: &[AmountAt],
        caps: &mut Vec<Capture>,
        mut found: impl FnMut(Match),
    ) {
        if !amounts.is_empty() {
            self.scan_amounts(&p.chars, amounts, caps, &mut found);
        }
    }

    /// [`Matcher::scan_starts`] for a pattern that begins with an amount, trying it only at
    /// `amounts` (see [`amounts_in`]), whose captures are read already.
    #[inline(never)]
    fn scan_amounts(
        &self,
        chars: &[char],
        amounts: &[AmountAt],
        caps: &mut Vec<Capture>,
        found: &mut impl FnMut(Match),
    ) {
        let slot = match self.parts.first() {
            Some(Part::Cap {
                slot,
                kind: CaptureKind::Amount,
            }) => *slot,
            _ => return,
        };
        // The literals in order, as the scan checks them first.
        let mut from = 0;
        for l in &self.required {
            match find_from(chars, l, from) {
                Some(at) => from = at + l.len(),
                None => return,
            }
        }
        // Where the next match may start (matches do not overlap).
        let mut i = 0;
        for a in amounts {
            // The rest of the pattern must be able to start where the amount ends (what its
            // first part checks first).
            if a.start < i || !self.may_start(chars, 1, a.end) {
                continue;
            }
            caps.clear();
            caps.push(Capture {
                slot,
                value: Captured::Amount(a.value, a.unit),
                start: a.start,
                end: a.end,
            });
            if let Some(end) = self.match_at(chars, 1, a.end, caps) {
                spell_words(chars, caps);
                found(Match {
                    start: a.start,
                    end,
                    captures: std::mem::take(caps),
                });
                i = if end > a.start { end } else { a.start + 1 };
            }
        }
    }

    /// Every non-overlapping match in a normalised paragraph, left to right.
    pub fn find_in(&self, p: &NormParagraph<'_>) -> Vec<Match> {
        let mut out = Vec::new();
        self.each_in(p, &mut Vec::new(), |m| out.push(m));
        out
    }

    /// Passes every non-overlapping match in a normalised paragraph to `found`, left to right.
    /// (Inlined: most paragraphs are ruled out by their masks, without a call.) `caps`: a
    /// buffer for the captures of the tries, reused from paragraph to paragraph.
    #[inline]
    pub fn each_in(
        &self,
        p: &NormParagraph<'_>,
        caps: &mut Vec<Capture>,
        mut found: impl FnMut(Match),
    ) {
        if self.may_match(p) {
            self.scan_starts(&p.chars, None, caps, &mut found, false);
        }
    }

    /// Calls `visit` with every paragraph in `range` of those `sets` was built from whose char
    /// mask has the chars a match needs (what [`Matcher::may_match`] tests first), in order.
    #[inline]
    pub fn candidates(&self, sets: &ParaSets, range: Range<usize>, visit: impl FnMut(usize)) {
        sets.each(&self.mask_bits, range, visit);
    }

    /// Whether the paragraph has every char a match needs (as far as its masks tell).
    #[inline]
    pub fn may_match(&self, p: &NormParagraph<'_>) -> bool {
        p.mask & self.mask == self.mask
            && self.any_of.iter().all(|m| p.mask & m != 0)
            && pairs_cover(&p.pairs, &self.pairs)
            && self.any_pairs.iter().all(|m| pairs_meet(&p.pairs, m))
    }

    /// The first match in a normalised paragraph.
    pub fn first_in(&self, p: &NormParagraph<'_>) -> Option<Match> {
        if !self.may_match(p) {
            return None;
        }
        let mut first = None;
        self.scan(&p.chars, &mut |m| first = Some(m), true);
        first
    }

    /// Every non-overlapping match in `chars`, left to right.
    #[cfg(test)]
    pub fn find_all(&self, chars: &[char]) -> Vec<Match> {
        let mut out = Vec::new();
        self.scan(chars, &mut |m| out.push(m), false);
        out
    }

    fn scan(&self, chars: &[char], found: &mut impl FnMut(Match), first_only: bool) {
        self.scan_starts(chars, None, &mut Vec::new(), found, first_only);
    }

    /// Scans `chars` for matches; `starts`, when given, lists the places the first part admits
    /// (see [`Starts::positions`]), instead of looking for them here.
    #[inline(never)]
    fn scan_starts(
        &self,
        chars: &[char],
        starts: Option<&[usize]>,
        caps: &mut Vec<Capture>,
        found: &mut impl FnMut(Match),
        first_only: bool,
    ) {
        // A match holds the literals in order, each after the one before: finding each from
        // the end of the previous one's first occurrence checks them all in one pass.
        let mut from = 0;
        // Where the first literal first occurs.
        let mut first_at = None;
        for l in &self.required {
            match find_from(chars, l, from) {
                Some(at) => {
                    first_at = first_at.or(Some(at));
                    from = at + l.len();
                }
                None => return,
            }
        }
        let first = self.firsts.first().unwrap_or(&First::Any);
        // A pattern that begins with its first literal matches nowhere before it.
        let mut i = match self.parts.first() {
            Some(Part::Lit(_)) => first_at.unwrap_or(0),
            _ => 0,
        };
        // The next entry of `starts` to look at.
        let mut next = 0;
        while i < chars.len() {
            // The next place a match can start.
            let rest = chars.get(i..).unwrap_or(&[]);
            let skip = match (starts, first) {
                (Some(list), _) => {
                    while list.get(next).is_some_and(|s| *s < i) {
                        next += 1;
                    }
                    list.get(next).map(|s| s - i)
                }
                (None, first) => match first {
                    First::Any => Some(0),
                    First::Char(f) => position_of(rest, |c| c == *f),
                    // A number never starts inside another (see `scan_number`).
                    First::Number => {
                        // The next digit or `-` not after a digit or `.`.
                        let mut k = i;
                        loop {
                            let Some(off) = chars
                                .get(k..)
                                .and_then(|r| position_of(r, |c| c.is_ascii_digit() || c == '-'))
                            else {
                                break None;
                            };
                            k += off;
                            let inside = k
                                .checked_sub(1)
                                .and_then(|p| chars.get(p))
                                .is_some_and(|p| p.is_ascii_digit() || *p == '.');
                            if !inside {
                                break Some(k - i);
                            }
                            // After a digit, the rest of its run of digits and points is
                            // inside the number too (after a `-`, a digit is not).
                            let digit = chars.get(k).is_some_and(char::is_ascii_digit);
                            k += 1;
                            while digit
                                && chars
                                    .get(k)
                                    .is_some_and(|c| c.is_ascii_digit() || *c == '.')
                            {
                                k += 1;
                            }
                        }
                    }
                    First::Cjk => rest.iter().position(|c| is_cjk(*c)),
                    First::OneOf(set, mask, pairs) => rest.iter().enumerate().position(|(k, c)| {
                        mask & char_mask(*c) != 0
                            && set.contains(c)
                            && (pairs.is_empty()
                                || rest.get(k + 1).is_some_and(|n| pairs.contains(&(*c, *n))))
                    }),
                },
            };
            match skip {
                Some(off) => i += off,
                None => break,
            }
            caps.clear();
            match self.match_at(chars, 0, i, caps) {
                Some(end) => {
                    spell_words(chars, caps);
                    // The match takes the captures (the next try starts a new list).
                    found(Match {
                        start: i,
                        end,
                        captures: std::mem::take(caps),
                    });
                    if first_only {
                        return;
                    }
                    i = if end > i { end } else { i + 1 };
                }
                None if self.word_runs => {
                    // The word can end only where its run of CJK chars ends, and so can the
                    // word of every later start in the run: none of them matches either.
                    let run = chars
                        .get(i..)
                        .unwrap_or(&[])
                        .iter()
                        .position(|c| !is_cjk(*c))
                        .unwrap_or(chars.len() - i);
                    i += run.max(1);
                }
                None => i += 1,
            }
        }
    }

    /// Whether parts `k..` may match starting at `pos`.
    #[inline]
    fn may_start(&self, chars: &[char], k: usize, pos: usize) -> bool {
        self.firsts.get(k).is_none_or(|f| f.admits(chars.get(pos)))
    }

    /// Matches parts `k..` at char `pos`; returns the end of the match.
    fn match_at(
        &self,
        chars: &[char],
        k: usize,
        pos: usize,
        caps: &mut Vec<Capture>,
    ) -> Option<usize> {
        let Some(part) = self.parts.get(k) else {
            return Some(pos);
        };
        match part {
            Part::Lit(l) => {
                let end = pos.checked_add(l.len())?;
                // The first char decides most tries without comparing the whole literal.
                if chars.get(pos) != l.first() {
                    return None;
                }
                // Char by char: most tries differ within a char or two of the first.
                if chars.get(pos..end)?.iter().eq(l.iter()) {
                    self.match_at(chars, k + 1, end, caps)
                } else {
                    None
                }
            }
            Part::Gap(max) => {
                let limit = pos.saturating_add(*max as usize);
                if let Some(First::Char(f)) = self.firsts.get(k + 1) {
                    // The rest starts with a literal: tried only where its first char stands,
                    // at the places the loop below tries (up to the limit, the end of the
                    // text, or a sentence end, whichever comes first).
                    for p in pos..=limit.min(chars.len()) {
                        let c = chars.get(p);
                        if c == Some(f) {
                            let mark = caps.len();
                            if let Some(end) = self.match_at(chars, k + 1, p, caps) {
                                return Some(end);
                            }
                            caps.truncate(mark);
                        }
                        if matches!(c, Some('。') | Some(';') | None) {
                            return None;
                        }
                    }
                    return None;
                }
                let mut p = pos;
                loop {
                    // Only where the rest can start (most places of a gap cannot).
                    if self.may_start(chars, k + 1, p) {
                        let mark = caps.len();
                        if let Some(end) = self.match_at(chars, k + 1, p, caps) {
                            return Some(end);
                        }
                        caps.truncate(mark);
                    }
                    if p >= limit {
                        return None;
                    }
                    match chars.get(p) {
                        Some('。') | Some(';') | None => return None,
                        Some(_) => p += 1,
                    }
                }
            }
            Part::Cap {
                slot,
                kind: CaptureKind::Word,
            } => {
                let mut p = pos;
                while chars.get(p).is_some_and(|c| is_cjk(*c)) {
                    p += 1;
                    if !self.may_start(chars, k + 1, p) {
                        continue;
                    }
                    let mark = caps.len();
                    // The word's text is filled in once the whole pattern matches.
                    caps.push(Capture {
                        slot: *slot,
                        value: Captured::Word(String::new()),
                        start: pos,
                        end: p,
                    });
                    if let Some(end) = self.match_at(chars, k + 1, p, caps) {
                        return Some(end);
                    }
                    caps.truncate(mark);
                }
                None
            }
            Part::Cap { slot, kind } => {
                let (value, end) = scan_capture(chars, pos, *kind)?;
                let mark = caps.len();
                caps.push(Capture {
                    slot: *slot,
                    value,
                    start: pos,
                    end,
                });
                match self.match_at(chars, k + 1, end, caps) {
                    Some(e) => Some(e),
                    None => {
                        caps.truncate(mark);
                        None
                    }
                }
            }
        }
    }
}

/// Spells out the words of a match's captures (only a match needs them).
fn spell_words(chars: &[char], caps: &mut [Capture]) {
    for c in caps.iter_mut() {
        if let Captured::Word(w) = &mut c.value {
            *w = chars.get(c.start..c.end).unwrap_or(&[]).iter().collect();
        }
    }
}

/// A hash of the parts of a pattern, leaving out the slots of its captures.
fn shape_key(parts: &[Part]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for part in parts {
        match part {
            Part::Lit(l) => (0u8, l).hash(&mut h),
            Part::Cap { kind, .. } => (1u8, *kind as u8).hash(&mut h),
            Part::Gap(max) => (2u8, max).hash(&mut h),
        }
    }
    h.finish()
}

/// The chars a pattern's captures need: those every match has (`元` of an amount, `年` of a
/// year), and masks of alternatives of which a match has one (see [`Matcher::any_of`]).
fn capture_needs(parts: &[Part]) -> (Vec<char>, Vec<u128>) {
    let mask_of =
        |chars: &mut dyn Iterator<Item = char>| chars.fold(0u128, |m, c| m | char_mask(c));
    let digits = mask_of(&mut ('0'..='9'));
    let mut implied = Vec::new();
    let mut any_of = Vec::new();
    for part in parts {
        let Part::Cap { kind, .. } = part else {
            continue;
        };
        // Every number has a digit (see `scan_number`).
        match kind {
            CaptureKind::Amount => {
                // 亿元, 万元, 元.
                implied.push('元');
                any_of.push(digits);
            }
            CaptureKind::Year => {
                implied.push('年');
                any_of.push(digits);
            }
            CaptureKind::Percent => {
                any_of.push(digits);
                any_of.push(mask_of(&mut ['%', '点'].into_iter()));
            }
            CaptureKind::Number | CaptureKind::Code => any_of.push(digits),
            CaptureKind::Count => {
                any_of.push(digits);
                any_of.push(mask_of(
                    &mut MEASURE_CHARS.iter().filter_map(|(w, _)| w.first().copied()),
                ));
            }
            CaptureKind::Direction => any_of.push(mask_of(
                &mut DIRECTION_CHARS
                    .iter()
                    .filter_map(|(w, _)| w.first().copied()),
            )),
            CaptureKind::Word => {}
        }
    }
    any_of.sort_unstable();
    any_of.dedup();
    (implied, any_of)
}

/// The distinct chars that begin a direction word, in order.
fn direction_firsts() -> Vec<char> {
    let mut firsts: Vec<char> = DIRECTION_CHARS
        .iter()
        .filter_map(|(w, _)| w.first().copied())
        .collect();
    firsts.sort_unstable();
    firsts.dedup();
    firsts
}

/// The chars a capture of `kind` can end with, and begin with (none for a word, which can be
/// any run of ideographs). Every number (see `scan_number`) begins with a digit or `-` and
/// ends with a digit; the units and words after it end as listed.
fn capture_edges(kind: CaptureKind) -> Option<(Vec<char>, Vec<char>)> {
    let digits: Vec<char> = ('0'..='9').collect();
    let number_start = || digits.iter().copied().chain(['-']).collect::<Vec<char>>();
    let word_ends = |list: &[(Vec<char>, &'static str)]| -> Vec<char> {
        let mut ends: Vec<char> = list.iter().filter_map(|(w, _)| w.last().copied()).collect();
        ends.sort_unstable();
        ends.dedup();
        ends
    };
    Some(match kind {
        CaptureKind::Amount => (vec!['元'], number_start()),
        CaptureKind::Percent => (vec!['%', '点'], number_start()),
        CaptureKind::Number => (digits.clone(), number_start()),
        CaptureKind::Count => (word_ends(&MEASURE_CHARS), number_start()),
        // Four digits and `年`.
        CaptureKind::Year => (vec!['年'], digits.clone()),
        CaptureKind::Code => (digits.clone(), digits.clone()),
        CaptureKind::Direction => (word_ends(&DIRECTION_CHARS), direction_firsts()),
        CaptureKind::Word => return None,
    })
}

/// The pairs of adjacent chars every match has where a capture meets a literal (`元,` in
/// `{本:金额},`, `数为` and a digit in `数为{x:金额}`), and inside a direction word or a year:
/// one possible pair is added to `pairs` (all of which a paragraph must have); a few possible
/// pairs make a mask of alternatives.
fn edge_pairs(parts: &[Part], pairs: &mut PairMask) -> Vec<PairMask> {
    // More alternatives than this filter too little to pay for the test.
    const MOST: usize = 12;
    let mut out = Vec::new();
    // Inside a capture: a direction word's first two chars (`增加`, `下降` …), a year's last
    // digit and `年`.
    for part in parts {
        let inner: Vec<(char, char)> = match part {
            Part::Cap {
                kind: CaptureKind::Direction,
                ..
            } => DIRECTION_CHARS
                .iter()
                .filter_map(|(w, _)| Some((*w.first()?, *w.get(1)?)))
                .collect(),
            Part::Cap {
                kind: CaptureKind::Year,
                ..
            } => ('0'..='9').map(|d| (d, '年')).collect(),
            _ => continue,
        };
        // (Every direction word has two chars or more: the pairs are alternatives only if so.)
        if matches!(
            part,
            Part::Cap {
                kind: CaptureKind::Direction,
                ..
            }
        ) && inner.len() < DIRECTION_CHARS.len()
        {
            continue;
        }
        let mut mask: PairMask = [0; 16];
        for (a, b) in inner {
            add_pair(&mut mask, a, b);
        }
        out.push(mask);
    }
    for w in parts.windows(2) {
        let (left, right): (Vec<char>, Vec<char>) = match w {
            [Part::Cap { kind, .. }, Part::Lit(l)] => match (capture_edges(*kind), l.first()) {
                (Some((ends, _)), Some(f)) => (ends, vec![*f]),
                _ => continue,
            },
            [Part::Lit(l), Part::Cap { kind, .. }] => match (l.last(), capture_edges(*kind)) {
                (Some(e), Some((_, starts))) => (vec![*e], starts),
                _ => continue,
            },
            _ => continue,
        };
        if left.len() * right.len() > MOST {
            continue;
        }
        let mut mask: PairMask = [0; 16];
        for a in &left {
            for b in &right {
                add_pair(&mut mask, *a, *b);
            }
        }
        if left.len() * right.len() == 1 {
            for (p, m) in pairs.iter_mut().zip(mask) {
                *p |= m;
            }
        } else {
            out.push(mask);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Where `needle` first occurs in `hay` at or after `from` (an empty needle occurs at `from`).
pub fn find_from(hay: &[char], needle: &[char], from: usize) -> Option<usize> {
    let Some((first, rest)) = needle.split_first() else {
        return (from <= hay.len()).then_some(from);
    };
    let mut i = from;
    loop {
        i += position_of(hay.get(i..)?, |c| c == *first)?;
        if hay
            .get(i + 1..i + needle.len())
            .is_some_and(|w| w.iter().eq(rest.iter()))
        {
            return Some(i);
        }
        i += 1;
    }
}

/// The first index in `hay` of a char for which `is` holds. The chars are looked at 16 at a
/// time, without stopping inside a block: such a loop compiles to vector compares, several
/// times cheaper than a char at a time on the long stretches of text without the char.
#[inline]
pub fn position_of(hay: &[char], is: impl Fn(char) -> bool) -> Option<usize> {
    let mut blocks = hay.chunks_exact(16);
    let mut base = 0;
    for block in &mut blocks {
        if block.iter().fold(false, |any, c| any | is(*c)) {
            return block.iter().position(|c| is(*c)).map(|k| base + k);
        }
        base += 16;
    }
    blocks
        .remainder()
        .iter()
        .position(|c| is(*c))
        .map(|k| base + k)
}

/// CJK ideographs (and 〇).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '〇')
}

fn starts_with(chars: &[char], pos: usize, word: &[char]) -> Option<usize> {
    let end = pos.checked_add(word.len())?;
    let got = chars.get(pos..end)?;
    // The first char decides most tries without comparing the whole word.
    (got.first() == word.first() && got == word).then_some(end)
}

/// A number at `pos`: optional `-`, digits with optional `,` thousands groups, optional
/// decimals. Never starts inside another number.
pub fn scan_number(chars: &[char], pos: usize) -> Option<(Decimal, usize)> {
    if pos > 0 {
        let prev = *chars.get(pos - 1)?;
        if prev.is_ascii_digit() || prev == '.' {
            return None;
        }
    }
    let mut p = pos;
    let negative = chars.get(p) == Some(&'-');
    if negative {
        p += 1;
    }
    let int_start = p;
    while chars.get(p).is_some_and(char::is_ascii_digit) {
        p += 1;
    }
    if p == int_start {
        return None;
    }
    // Thousands groups: `,` followed by exactly three digits, only after a 1–3 digit head.
    if p - int_start <= 3 {
        while chars.get(p) == Some(&',') {
            let group = chars.get(p + 1..p + 4)?;
            let after = chars.get(p + 4);
            if group.iter().all(char::is_ascii_digit) && !after.is_some_and(char::is_ascii_digit) {
                p += 4;
            } else {
                break;
            }
        }
    }
    let int_digits = chars.get(int_start..p).unwrap_or(&[]);
    let mut frac_digits: &[char] = &[];
    if chars.get(p) == Some(&'.') && chars.get(p + 1).is_some_and(char::is_ascii_digit) {
        let start = p + 1;
        p = start;
        while chars.get(p).is_some_and(char::is_ascii_digit) {
            p += 1;
        }
        frac_digits = chars.get(start..p).unwrap_or(&[]);
    }
    let value = number_value(negative, int_digits, frac_digits)?;
    Some((value, p))
}

/// The value of a scanned number: digits (with `,` group marks) before the point, digits after
/// it. Short numbers are computed directly; long ones (and `-0`) go through the decimal parser.
fn number_value(negative: bool, int_digits: &[char], frac_digits: &[char]) -> Option<Decimal> {
    let digits = || {
        int_digits
            .iter()
            .filter(|c| c.is_ascii_digit())
            .chain(frac_digits)
    };
    if digits().count() <= 18 {
        let mut mantissa: i64 = 0;
        for c in digits() {
            mantissa = mantissa * 10 + i64::from(c.to_digit(10)?);
        }
        if mantissa != 0 || !negative {
            let scale = u32::try_from(frac_digits.len()).ok()?;
            return Some(Decimal::new(
                if negative { -mantissa } else { mantissa },
                scale,
            ));
        }
    }
    let mut text = String::with_capacity(int_digits.len() + frac_digits.len() + 2);
    if negative {
        text.push('-');
    }
    text.extend(int_digits.iter().filter(|c| c.is_ascii_digit()));
    if !frac_digits.is_empty() {
        text.push('.');
        text.extend(frac_digits);
    }
    Decimal::from_str(&text).ok()
}

/// The direction word (one of [`DIRECTION_WORDS`]) starting at char `pos`, and where it ends:
/// what a `{名:增减}` capture reads there.
pub fn direction_at(chars: &[char], pos: usize) -> Option<(&'static str, usize)> {
    match scan_capture(chars, pos, CaptureKind::Direction)? {
        (Captured::Direction(w), end) => Some((w, end)),
        _ => None,
    }
}

/// The amount (number and unit) starting at char `pos`, and where it ends: what a
/// `{名:金额}` capture reads there.
pub fn amount_at(chars: &[char], pos: usize) -> Option<(Decimal, Unit, usize)> {
    match scan_capture(chars, pos, CaptureKind::Amount)? {
        (Captured::Amount(v, u), end) => Some((v, u, end)),
        _ => None,
    }
}

// Always inlined: its callers pass a constant kind (only its arm is kept) or sit in the
// matcher's inner loop.
#[inline(always)]
fn scan_capture(chars: &[char], pos: usize, kind: CaptureKind) -> Option<(Captured, usize)> {
    match kind {
        CaptureKind::Amount => {
            // A unit word follows the number: the char after the run of number chars must
            // start one (`scan_number` reads no other chars), which rules out most numbers
            // (percentages, years, counts) before reading them.
            let mut q = pos + usize::from(chars.get(pos) == Some(&'-'));
            while chars
                .get(q)
                .is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
            {
                q += 1;
            }
            if !matches!(chars.get(q), Some('元' | '万' | '亿')) {
                return None;
            }
            let (v, p) = scan_number(chars, pos)?;
            for (word, unit) in [
                (&['亿', '元'][..], Unit::YiYuan),
                (&['万', '元'][..], Unit::WanYuan),
                (&['元'][..], Unit::Yuan),
            ] {
                if let Some(end) = starts_with(chars, p, word) {
                    return Some((Captured::Amount(v, unit), end));
                }
            }
            None
        }
        CaptureKind::Percent => {
            let (v, p) = scan_number(chars, pos)?;
            let end = starts_with(chars, p, &['%'])
                .or_else(|| starts_with(chars, p, &['个', '百', '分', '点']))?;
            Some((Captured::Percent(v), end))
        }
        CaptureKind::Number => {
            let (v, p) = scan_number(chars, pos)?;
            Some((Captured::Number(v), p))
        }
        CaptureKind::Count => {
            let (v, p) = scan_number(chars, pos)?;
            MEASURE_CHARS
                .iter()
                .find_map(|(w, s)| starts_with(chars, p, w).map(|end| (Captured::Count(v, s), end)))
        }
        CaptureKind::Year => {
            let (v, p) = scan_number(chars, pos)?;
            let digits = p - pos;
            if digits != 4 || v.scale() != 0 || v.is_sign_negative() {
                return None;
            }
            let end = starts_with(chars, p, &['年'])?;
            Some((Captured::Year(v), end))
        }
        CaptureKind::Direction => DIRECTION_CHARS
            .iter()
            .find_map(|(w, s)| starts_with(chars, pos, w).map(|end| (Captured::Direction(s), end))),
        // Handled by the backtracking matcher (shortest run first).
        CaptureKind::Word => None,
        CaptureKind::Code => {
            // 3 to 7 digits, not part of a longer number (`2050202`, not `2,110.3` or `2023年`).
            if pos > 0
                && chars
                    .get(pos - 1)
                    .is_some_and(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
            {
                return None;
            }
            let digits = chars
                .get(pos..)?
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            let end = pos + digits;
            let next = chars.get(end);
            if !(3..=7).contains(&digits)
                || next.is_some_and(|c| matches!(c, '.' | ',' | '年' | '%'))
            {
                return None;
            }
            Some((Captured::Code(chars.get(pos..end)?.iter().collect()), end))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        normalize_literal(s)
    }

    fn compile(p: &str) -> Matcher {
        let pat = parse_pattern(p, 0).unwrap();
        let mut names: Vec<String> = Vec::new();
        Matcher::compile(&pat, p, |n| {
            if let Some(i) = names.iter().position(|x| x == n) {
                i
            } else {
                names.push(n.to_string());
                names.len() - 1
            }
        })
        .unwrap()
    }

    #[test]
    fn parses_holes() {
        let p = parse_pattern("基本支出{金额:金额}，占{比:百分比}{…}{…5}{增减}{{x}}", 0).unwrap();
        assert_eq!(p.parts.len(), 8);
        assert!(matches!(p.parts[5], PatternPart::Gap { max: 5 }));
        assert_eq!(p.parts[7], PatternPart::Literal("{x}".into()));
        let e = parse_pattern("{金钱}", 0).unwrap_err();
        assert!(e.help.unwrap().contains("金额"));
        assert!(parse_pattern("{金额", 0).is_err());
        assert!(parse_pattern("a}", 0).is_err());
        assert!(parse_pattern("{:金额}", 0).is_err());
        assert!(parse_pattern("{…x}", 0).is_err());
    }

    #[test]
    fn matches_across_line_breaks_and_widths() {
        let m = compile("基本支出{a:金额}，占{b:百分比}");
        let text =
            chars("2024 年基本支出 821.07 万\n元，占 82.93%； 项目支出 169 万元，占 17.07％。");
        let found = m.find_all(&text);
        assert_eq!(found.len(), 1);
        let caps = &found[0].captures;
        assert_eq!(
            caps[0].value,
            Captured::Amount(Decimal::new(82107, 2), Unit::WanYuan)
        );
        assert_eq!(caps[1].value, Captured::Percent(Decimal::new(8293, 2)));
        let m = compile("{x:词}支出{a:金额}，占{b:百分比}");
        let found = m.find_all(&text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].captures[0].value, Captured::Word("项目".into()));
        assert_eq!(
            found[1].captures[2].value,
            Captured::Percent(Decimal::new(1707, 2))
        );
    }

    #[test]
    fn codes_are_three_to_seven_digits_standing_alone() {
        let m = compile("（{c:编码}）");
        let text = chars(
            "小学教育（2050202），教育支出（205），（2,110.3），（2023年），（12），（20502021），（30201）",
        );
        let found: Vec<Captured> = m
            .find_all(&text)
            .into_iter()
            .map(|f| f.captures[0].value.clone())
            .collect();
        assert_eq!(
            found,
            vec![
                Captured::Code("2050202".into()),
                Captured::Code("205".into()),
                Captured::Code("30201".into()),
            ]
        );
    }

    #[test]
    fn numbers() {
        let t = chars("共1,234.56万元，另3,45个，x12.5%");
        let m = compile("共{a:金额}");
        assert_eq!(
            m.find_all(&t)[0].captures[0].value,
            Captured::Amount(Decimal::new(123456, 2), Unit::WanYuan)
        );
        // `3,45` is not a thousands group: the number is 3.
        let m = compile("另{n:数}");
        assert_eq!(
            m.find_all(&t)[0].captures[0].value,
            Captured::Number(Decimal::new(3, 0))
        );
        // Never start inside a number.
        let m = compile("{p:百分比}");
        let f = m.find_all(&chars("x12.5%"));
        assert_eq!(
            f[0].captures[0].value,
            Captured::Percent(Decimal::new(125, 1))
        );
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn gaps_stop_at_sentence_ends() {
        let m = compile("比上年{…}{d:增减}{a:金额}");
        assert_eq!(m.find_all(&chars("比上年预算数增加5万元")).len(), 1);
        assert_eq!(m.find_all(&chars("比上年。增加5万元")).len(), 0);
        assert_eq!(m.find_all(&chars("比上年；增加5万元")).len(), 0);
        let m = compile("比上年{…2}增加");
        assert_eq!(m.find_all(&chars("比上年预算增加")).len(), 1);
        assert_eq!(m.find_all(&chars("比上年的预算增加")).len(), 0);
    }

    #[test]
    fn counts_years_directions() {
        let m = compile("{y:年}{…}项目{n:数量}");
        let f = m.find_all(&chars("2024 年度其他项目 4 个"));
        assert_eq!(
            f[0].captures[0].value,
            Captured::Year(Decimal::new(2024, 0))
        );
        assert_eq!(
            f[0].captures[1].value,
            Captured::Count(Decimal::new(4, 0), "个")
        );
        let m = compile("{d:增减}");
        let f = m.find_all(&chars("与上年无变化，下降"));
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].captures[0].value, Captured::Direction("无变化"));
    }

    #[test]
    fn every_match_is_separate() {
        let m = compile("{a:金额}");
        assert_eq!(m.find_all(&chars("1万元2万元，3元")).len(), 3);
        assert_eq!(m.find_all(&chars("x 3 亿元")).len(), 1);
        assert!(m.find_all(&chars("x 3 美元")).is_empty());
    }

    #[test]
    fn paragraph_filters_do_not_change_matches() {
        let texts = [
            "基本支出 821.07 万元，占 82.93%；公用经费增加 5 万元，增长 10%。2024 年项目 4 个",
            "增长 3 个百分点，共 7 项",
            "没有数字的一段，只说增加和下降。",
            "二〇二四年 12 元",
            // Every kind of capture next to a literal (the pairs where they meet are filters).
            "2024年部门预算，较2023年增长1.5个百分点；减少-3.5万元，比上年下降12%。",
            "（2050202），数为7元；增加5，下降8。上升9;车辆3辆,12.5%,",
        ];
        for text in texts {
            let para = shenhe_model::Paragraph {
                text: text.into(),
                ..Default::default()
            };
            let p = crate::docindex::normalize_paragraph(0, &para);
            for pat in [
                "{名:词}{x:金额},占{p:百分比}",
                "{向:增减}{变:金额},{…4}{向2:增减}{率:百分比}",
                "{y:年}{…}项目{n:数量}",
                "占{p:百分比}",
                "增长{p:百分比}",
                "共{n:数量}",
                "{d:增减}",
                "没有的字",
                "{a:金额}",
                "{a:数}",
                "{…2}",
                "{y:年}部门预算",
                "较{y:年}",
                "减少{x:金额}",
                "{x:金额},比",
                "{p:百分比};",
                "{p:百分比}。",
                "下降{p:百分比}",
                "({c:编码}),{…10}数为{x:金额}",
                "{向:增减}{x:数},",
                "{向:增减}{x:数}。",
                "{向:增减}{x:数};",
                "{x:数}。",
                "车辆{n:数量},",
                "{p:百分比},",
            ] {
                let m = compile(pat);
                let all = m.find_all(&p.chars);
                assert_eq!(m.find_in(&p), all, "{pat} in {text}");
                assert_eq!(m.first_in(&p), all.first().cloned(), "{pat} in {text}");
            }
        }
        // The filters let through the paragraphs these match in.
        for (pat, text) in [
            ("{y:年}部门预算", 4),
            ("较{y:年}", 4),
            ("减少{x:金额}", 4),
            ("{p:百分比};", 4),
            ("{向:增减}{x:数}。", 5),
            ("{向:增减}{x:数};", 5),
            ("({c:编码}),{…10}数为{x:金额}", 5),
            ("车辆{n:数量},", 5),
            ("{p:百分比},", 5),
        ] {
            let para = shenhe_model::Paragraph {
                text: texts[text].into(),
                ..Default::default()
            };
            let p = crate::docindex::normalize_paragraph(0, &para);
            assert_eq!(compile(pat).find_in(&p).len(), 1, "{pat}");
        }
        let para = shenhe_model::Paragraph {
            text: texts[0].into(),
            ..Default::default()
        };
        let p = crate::docindex::normalize_paragraph(0, &para);
        let m = compile("{名:词}{x:金额},占{p:百分比}");
        assert_eq!(
            m.find_in(&p)[0].captures[0].value,
            Captured::Word("基本支出".into())
        );
        assert!(compile("没有的字").find_in(&p).is_empty());
    }

    /// The amount capture is a number read by `scan_number` followed by a unit word, at every
    /// place (the check on the char after the number's run changes nothing).
    #[test]
    fn amounts_are_numbers_with_units() {
        for text in [
            "共1,234.56万元，另3,45万元，x12.5%",
            "-7元-0.5亿元 12.元 1,000元,2万元。3,4567万元",
            "2024年预算数为866.07万元",
            "5-3元 .5元 1..2万元",
        ] {
            let c = chars(text);
            for pos in 0..=c.len() {
                let reference = scan_number(&c, pos).and_then(|(v, p)| {
                    [
                        (&['亿', '元'][..], Unit::YiYuan),
                        (&['万', '元'][..], Unit::WanYuan),
                        (&['元'][..], Unit::Yuan),
                    ]
                    .iter()
                    .find_map(|(w, u)| {
                        starts_with(&c, p, w).map(|end| (Captured::Amount(v, *u), end))
                    })
                });
                assert_eq!(
                    scan_capture(&c, pos, CaptureKind::Amount),
                    reference,
                    "{text} at {pos}"
                );
            }
        }
    }

    /// Matches found from shared starts are those found by scanning for the starts, and the
    /// starts are the places the first part admits, on edge cases: at the first and last char,
    /// words and numbers next to each other, overlapping words, multi-byte and full-width chars.
    #[test]
    fn shared_starts_change_no_match() {
        let texts = [
            "增加5万元",
            "比上年增加",
            "增加",
            "增",
            "上升下降增长12%,减少-3.5万元。",
            "增加增加5,000.5元;增长增长",
            "无变化无变化。持平1个",
            "上年下降1.5个百分点,大于等于2,小于3。",
            "-5-3元 1..2万元 .5元 12.元,2024年增长2025年",
            "𠀀增加𠀀5元𠀀",
            "增加 5 万元，下降 ３．５％；上升９",
            "下属单位小计等大事,上下大小无等持",
            "",
        ];
        let patterns = [
            "{向:增减}{x:数}。",
            "{向:增减}{x:数},",
            "{向:增减}{变:金额},{…4}{向2:增减}{率:百分比}",
            "{甲:增减}({乙:增减}){…200}。",
            "{d:增减}",
            "{d:增减}{…}增长",
        ];
        for text in texts {
            let c = chars(text);
            let first = &*DIRECTION_FIRST;
            let brute: Vec<usize> = (0..c.len()).filter(|j| first.admits_at(&c, *j)).collect();
            assert_eq!(Starts::Direction.positions(&c), brute, "{text}");
            for pat in patterns {
                let m = compile(pat);
                let kind = m.shared_starts().unwrap();
                let starts = kind.positions(&c);
                let mut shared = Vec::new();
                m.scan_starts(
                    &c,
                    Some(&starts),
                    &mut Vec::new(),
                    &mut |f| shared.push(f),
                    false,
                );
                assert_eq!(shared, m.find_all(&c), "{pat} in {text}");
            }
        }
        assert_eq!(compile("比{y:年}").shared_starts(), None);
        assert_eq!(compile("{a:金额}").shared_starts(), None);
        assert_eq!(compile("{名:词}{x:金额}").shared_starts(), None);
        assert_eq!(compile("{…}{x:金额}").shared_starts(), None);
    }

    /// The amounts found from the units are those an amount capture reads where a number
    /// starts; the patterns that begin with an amount find from them what they find alone.
    #[test]
    fn amounts_shared_change_no_match() {
        let mut texts: Vec<String> = [
            "基本支出821.07万元，比上年减少198.6万元，下降24.19%",
            "1,234元 12,345,678元 1,23元 -5元 --5元 5-3元 1.2.3元 .5元 5.元 0元 -0.0万元",
            "2亿元 3亿 4万 元元 万元 亿元 1万万元 12.5亿元。与上年相比,增加3元,增长1%",
            "𠀀5元𠀀，收入 1 , 234 万元",
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        texts.extend(crate::testkit::random_texts(
            0x9E37_79B9_7F4A_7C15u64,
            2000,
            30,
            "0123456789.,-元万亿年,。增加减少%",
        ));
        let patterns = [
            "{本:金额},{…14}减少{变:金额},{…4}{率:百分比}",
            "{本:金额}。与{…10}相比,{…16}增加{变:金额}",
            "{本:金额},较{…12}增加{变:金额}",
            "{a:金额}",
            "{a:金额}{…3}{b:金额}",
        ];
        let matchers: Vec<Matcher> = patterns.iter().map(|p| compile(p)).collect();
        for text in &texts {
            let c = chars(text);
            let brute: Vec<usize> = (0..c.len())
                .filter(|j| {
                    First::Number.admits_at(&c, *j)
                        && scan_capture(&c, *j, CaptureKind::Amount).is_some()
                })
                .collect();
            let mut amounts = Vec::new();
            amounts_in(&c, &mut amounts);
            let starts: Vec<usize> = amounts.iter().map(|a| a.start).collect();
            assert_eq!(starts, brute, "{text}");
            for a in &amounts {
                let (v, end) = scan_capture(&c, a.start, CaptureKind::Amount).unwrap();
                assert_eq!((v, end), (Captured::Amount(a.value, a.unit), a.end));
            }
            for m in &matchers {
                assert!(m.starts_with_amount());
                let mut shared = Vec::new();
                m.scan_amounts(&c, &amounts, &mut Vec::new(), &mut |f| shared.push(f));
                assert_eq!(shared, m.find_all(&c), "{} in {text}", m.source);
            }
        }
        assert!(!compile("比{y:年}").starts_with_amount());
        assert!(!compile("{名:词}{x:金额}").starts_with_amount());
        assert!(!compile("{x:数}元").starts_with_amount());
    }

    /// Every match tried at every place, the definition the scan's skipping to the places a
    /// match can start must agree with (for patterns that do not begin with a word).
    fn tried_everywhere(m: &Matcher, chars: &[char]) -> Vec<Match> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let mut caps = Vec::new();
            match m.match_at(chars, 0, i, &mut caps) {
                Some(end) => {
                    out.push(Match {
                        start: i,
                        end,
                        captures: caps,
                    });
                    i = if end > i { end } else { i + 1 };
                }
                None => i += 1,
            }
        }
        out
    }

    #[test]
    fn skipping_to_starts_changes_no_match() {
        let texts = [
            "比上年增加5万元,比比上年减少3元",
            "5-3元 -7元-0.5亿元 12.元 1..2万元 .5元 1,000元,2万元。3,4567万元",
            "2024年2025年度比2023年增长,x2024年",
            "共1,234.56万元,占12.5%,另3个,增长1.5个百分点",
            "𠀀比𠀀上年5元𠀀比",
            "比",
            "",
        ];
        let patterns = [
            "比{…12}{向:增减}{变:金额}",
            "比{y:年}",
            "{本:金额},比{…12}增加{变:金额}",
            "{a:金额}",
            "{y:年}{…}增长",
            "{p:百分比}",
            "{n:数量}",
            "{x:数}",
            "{c:编码}",
            "上年{a:金额}",
            "{…2}元",
        ];
        for text in texts {
            let c = chars(text);
            for pat in patterns {
                let m = compile(pat);
                assert_eq!(m.find_all(&c), tried_everywhere(&m, &c), "{pat} in {text}");
            }
        }
    }

    /// Matchers of the same parts have the same shape whatever their slots; any other part
    /// makes another shape.
    #[test]
    fn shapes() {
        let a = compile("{名:词}支出{额:金额}");
        let b =
            Matcher::compile(&parse_pattern("{x:词}支出{y:金额}", 0).unwrap(), "", |_| 7).unwrap();
        assert!(a.same_shape(&b) && b.same_shape(&a));
        for other in [
            "{名:词}支出{额:数}",
            "{名:词}收入{额:金额}",
            "{名:词}支出{…}{额:金额}",
            "{名:词}支出",
        ] {
            assert!(!a.same_shape(&compile(other)), "{other}");
        }
        assert!(!compile("{…3}").same_shape(&compile("{…4}")));
    }

    /// The search by blocks of 16 finds what a char-at-a-time search finds, wherever the char
    /// stands (first, last, at either side of a block's edge) and whatever its width.
    #[test]
    fn positions_by_blocks() {
        for len in [0, 1, 15, 16, 17, 31, 32, 33, 50] {
            for at in 0..len {
                for (fill, c) in [('a', '支'), ('元', 'x'), ('𠀀', '。')] {
                    let mut hay = vec![fill; len];
                    hay[at] = c;
                    // A second one later must not be found first.
                    if at + 3 < len {
                        hay[at + 3] = c;
                    }
                    assert_eq!(position_of(&hay, |h| h == c), Some(at), "{len} {at} {c}");
                    assert_eq!(find_from(&hay, &[c], 0), Some(at), "{len} {at} {c}");
                }
            }
            assert_eq!(position_of(&vec!['a'; len], |h| h == 'b'), None);
        }
    }

    #[test]
    fn finds_literals() {
        let hay = chars("支出预算支出合计支出");
        assert_eq!(find_from(&hay, &chars("支出"), 0), Some(0));
        assert_eq!(find_from(&hay, &chars("支出"), 1), Some(4));
        assert_eq!(find_from(&hay, &chars("支出"), 7), Some(8));
        assert_eq!(find_from(&hay, &chars("支出"), 9), None);
        assert_eq!(find_from(&hay, &chars("合计支出"), 0), Some(6));
        assert_eq!(find_from(&hay, &chars("合计收入"), 0), None);
        assert_eq!(find_from(&hay, &[], 3), Some(3));
        assert_eq!(find_from(&hay, &chars("支"), 40), None);
    }

    #[test]
    fn numbers_read_as_the_decimal_parser_reads_them() {
        for text in [
            "0",
            "7",
            "-7",
            "-0",
            "-0.0",
            "0012",
            "12.50",
            "1,234.56",
            "1,234,567",
            "3,45个",
            "123456789012345678",
            "1234567890123456789",
            "99999999999999999999.5",
            "0.000000000000000001",
            "-1,000.10",
            "12.",
            "5-3",
        ] {
            let c = chars(text);
            let Some((v, end)) = scan_number(&c, 0) else {
                panic!("{text}");
            };
            let read: String = c[..end].iter().filter(|c| **c != ',').collect();
            let parsed = Decimal::from_str(&read).unwrap();
            assert_eq!(v, parsed, "{text}");
            assert_eq!(v.scale(), parsed.scale(), "{text}");
            assert_eq!(v.is_sign_negative(), parsed.is_sign_negative(), "{text}");
            assert_eq!(v.to_string(), parsed.to_string(), "{text}");
        }
        // A `,` at the very end cannot be told from a group mark: no number (as before).
        assert_eq!(scan_number(&chars("3,45"), 0), None);
    }

    #[test]
    fn leading_words_skip_runs_that_cannot_match() {
        let m = compile("{名:词}{x:金额},占{p:百分比}");
        let text = chars("说明如下,基本支出5万元,占10%;其中项目支出7万元,占20%。人员经费3万元");
        let words: Vec<String> = m
            .find_all(&text)
            .iter()
            .map(|f| match &f.captures[0].value {
                Captured::Word(w) => w.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(words, ["基本支出", "其中项目支出"]);
        let m = compile("{类:词}(类){款:词}(款)");
        let f = m.find_all(&chars("支出功能分类一般公共服务(类)人大事务(款)"));
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].captures[0].value,
            Captured::Word("支出功能分类一般公共服务".into())
        );
    }
}
