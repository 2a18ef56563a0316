//! doubled_words/重复字词 and doubled_punctuation/重复标点: slips of the pen in the narrative.
//!
//! - `重复字词()`: a word of 2–4 Chinese characters written twice in a row (`增加增加`), or one
//!   of the particles 的、了、和、与、及、是、在 doubled (`的的`).
//! - `重复标点()`: two sentence marks in a row (`，，`, `。。`, `，。`, `、、`, `；；`, `：：`).
//!   Ellipses and dashes (`……`, `——`) are not doubles.
//!
//! One failure instance per occurrence, with `{左}` the text as written and `{右}` as meant.

use shenhe_lang::ast::{CompareOp, Span};

use super::Builtin;
use std::sync::LazyLock;

use crate::docindex::{NormParagraph, PairMask, add_pair};
use crate::error::EvalError;
use crate::eval::{Evaluator, text_origin};
use crate::ir::Node;
use crate::pattern::is_cjk;
use crate::value::{CompareRecord, Instance, Text, ToleranceUsed, Truth, Value};

pub static FUNCS: &[Builtin] = &[
    Builtin {
        names: &["doubled_words", "重复字词"],
        min_args: 0,
        max_args: 0,
        pattern_arg: None,
        signature: "doubled_words()",
        eval: doubled_words,
    },
    Builtin {
        names: &["doubled_punctuation", "重复标点"],
        min_args: 0,
        max_args: 0,
        pattern_arg: None,
        signature: "doubled_punctuation()",
        eval: doubled_punctuation,
    },
];

fn is_particle(c: char) -> bool {
    matches!(c, '的' | '了' | '和' | '与' | '及' | '是' | '在')
}

/// Sentence marks after width normalisation (，→, ；→; ：→: ！→! ？→?).
pub(crate) fn is_mark(c: char) -> bool {
    // (A `match` of the chars: the normaliser asks for every candidate pair, and a search of
    // `MARKS` measured +20 k instructions a document.)
    matches!(c, ',' | '。' | '、' | ';' | ':' | '!' | '?')
}

/// The marks that end a sentence, after width normalisation (`。` `!` `?`).
pub(crate) fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '!' | '?')
}

/// The chars [`is_mark`] accepts (a test checks the two agree).
const MARKS: [char; 7] = [',', '。', '、', ';', ':', '!', '?'];

/// [`add_pair`] of every pair of two sentence marks: where the normaliser finds none of these
/// bits for a pair of adjacent chars, they are no double (see `NormParagraph::marks_doubled`).
pub(crate) static MARK_PAIRS: LazyLock<PairMask> = LazyLock::new(|| {
    let mut mask = [0; 16];
    for a in MARKS {
        for b in MARKS {
            add_pair(&mut mask, a, b);
        }
    }
    mask
});

fn instance(
    p: &NormParagraph<'_>,
    start: usize,
    end: usize,
    meant: String,
    span: Span,
) -> Instance {
    text_instance(
        p,
        start,
        end,
        meant,
        |written, meant| format!("「{written}」应为「{meant}」"),
        span,
    )
}

/// A failure instance about the narrative text `start..end` of `p`: the text as written
/// against what it should be (`meant`, strict), with `note(written, meant)` as its note.
pub(super) fn text_instance(
    p: &NormParagraph<'_>,
    start: usize,
    end: usize,
    meant: String,
    note: impl FnOnce(&str, &str) -> String,
    span: Span,
) -> Instance {
    let origin = text_origin(p, start, end);
    let written = match &origin {
        crate::value::Origin::Text(t) => t.printed.clone(),
        _ => String::new(),
    };
    let note = note(&written, &meant);
    Instance {
        compare: Some(Box::new(CompareRecord {
            op: CompareOp::Eq,
            left: Value::Text(Text {
                text: written.into(),
                origin: Some(origin.clone()),
            }),
            right: Value::Text(Text::plain(meant)),
            difference: None,
            tolerance: ToleranceUsed::Strict,
        })),
        evidence: vec![("文本", origin)],
        note: Some(note),
        span: Some(span),
        ..Instance::default()
    }
}

/// The length of a doubled word starting at `i` (2–4 chars repeated), if any.
fn doubled_at(chars: &[char], i: usize) -> Option<usize> {
    for n in (2..=4).rev() {
        // A doubled word repeats its first char `n` chars on.
        if chars.get(i + n).is_none_or(|c| Some(c) != chars.get(i)) {
            continue;
        }
        let a = chars.get(i..i + n)?;
        let b = match chars.get(i + n..i + 2 * n) {
            Some(b) => b,
            None => continue,
        };
        if a == b && a.iter().all(|c| is_cjk(*c)) && a.iter().any(|c| a.first() != Some(c)) {
            return Some(n);
        }
    }
    None
}

/// The first position from `from` on whose char comes again within the next four chars: only
/// there can a doubled word (2–4 chars) or particle start. (The definition [`Repeats`] is
/// tested against.)
#[cfg(test)]
fn next_repeat(chars: &[char], from: usize) -> Option<usize> {
    let mut w = chars.get(from..)?;
    let mut k = from;
    while let [c, ref tail @ ..] = *w {
        let again = match *tail {
            [a, b, d, e, ..] => a == c || b == c || d == c || e == c,
            _ => tail.contains(&c),
        };
        if again {
            return Some(k);
        }
        w = tail;
        k += 1;
    }
    None
}

/// Positions tested by [`Repeats`] at once.
const BLOCK: usize = 32;

/// [`next_repeat`] a block of positions at a time: the test of a whole block is branch-free
/// (the compiler turns it into vector compares), and later calls within the block read the
/// block's results. The last block of a paragraph is tested on a copy padded with spaces
/// (a paragraph's normalised chars hold no whitespace, so no char equals the padding).
struct Repeats<'c> {
    chars: &'c [char],
    /// First position of the block in `hits`.
    start: usize,
    /// 1 where the char at `start + j` comes again within the next four.
    hits: [u8; BLOCK],
    /// Whether `hits` holds the block at `start`.
    filled: bool,
}

impl<'c> Repeats<'c> {
    fn new(chars: &'c [char]) -> Repeats<'c> {
        Repeats {
            chars,
            start: 0,
            hits: [0; BLOCK],
            filled: false,
        }
    }

    /// [`next_repeat`] of the paragraph's chars (asked for in increasing order).
    fn next(&mut self, from: usize) -> Option<usize> {
        let mut k = from;
        loop {
            if !(self.filled && k >= self.start && k < self.start + BLOCK) {
                match self.chars.get(k..k + BLOCK + 4) {
                    Some(w) => fill_repeats(&mut self.hits, w),
                    None => {
                        let rest = self.chars.get(k..).unwrap_or(&[]);
                        if rest.is_empty() {
                            return None;
                        }
                        let mut w = [' '; BLOCK + 4];
                        for (slot, c) in w.iter_mut().zip(rest) {
                            *slot = *c;
                        }
                        fill_repeats(&mut self.hits, &w);
                        // Past the end nothing starts.
                        for h in self.hits.iter_mut().skip(rest.len()) {
                            *h = 0;
                        }
                    }
                }
                self.start = k;
                self.filled = true;
            }
            if let Some(j) = first_hit(&self.hits, k - self.start) {
                return Some(self.start + j);
            }
            k = self.start + BLOCK;
        }
    }
}

/// `hits[j]` = whether `w[j]` is one of `w[j + 1..j + 5]` (`w` holds `BLOCK + 4` chars).
fn fill_repeats(hits: &mut [u8; BLOCK], w: &[char]) {
    let after = |n: usize| w.get(n..).unwrap_or(&[]);
    let (w1, w2, w3, w4) = (after(1), after(2), after(3), after(4));
    for (((((h, c), a), b), d), e) in hits.iter_mut().zip(w).zip(w1).zip(w2).zip(w3).zip(w4) {
        *h = u8::from(c == a) | u8::from(c == b) | u8::from(c == d) | u8::from(c == e);
    }
}

/// The first `j >= from` with `hits[j]` set, eight at a time.
fn first_hit(hits: &[u8; BLOCK], from: usize) -> Option<usize> {
    for (q, chunk) in hits.chunks_exact(8).enumerate() {
        let base = q * 8;
        if base + 8 <= from {
            continue;
        }
        let mut word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        if from > base {
            // Bytes before `from` do not count.
            word &= !0u64 << (8 * (from - base));
        }
        if word != 0 {
            return Some(base + word.trailing_zeros() as usize / 8);
        }
    }
    None
}

fn doubled_words(
    ev: &mut Evaluator<'_, '_>,
    _args: &[Node],
    span: Span,
) -> Result<Value, EvalError> {
    let mut out = Truth::simple(true);
    for p in ev.ix.narrative() {
        let chars = &p.chars;
        let mut repeats = Repeats::new(chars);
        let mut i = 0;
        while let Some(k) = repeats.next(i) {
            i = k;
            let Some(&c) = chars.get(i) else { break };
            if let Some(n) = doubled_at(chars, i) {
                let meant: String = chars.get(i..i + n).unwrap_or(&[]).iter().collect();
                out.instances.push(instance(p, i, i + 2 * n, meant, span));
                i += 2 * n;
                continue;
            }
            if is_particle(c) && chars.get(i + 1) == Some(&c) {
                out.instances
                    .push(instance(p, i, i + 2, c.to_string(), span));
                i += 2;
                continue;
            }
            i += 1;
        }
    }
    out.holds = out.instances.is_empty();
    Ok(Value::Bool(out))
}

fn doubled_punctuation(
    ev: &mut Evaluator<'_, '_>,
    _args: &[Node],
    span: Span,
) -> Result<Value, EvalError> {
    let mut out = Truth::simple(true);
    // Only paragraphs where the normaliser saw two marks side by side have a double.
    for p in ev.ix.narrative().iter().filter(|p| p.marks_doubled) {
        let chars = &p.chars;
        let mut i = 0;
        while let Some(&[a, b]) = chars.get(i..i + 2) {
            // When the second char is no mark, neither the pair at `i` nor the one at `i + 1`
            // is a double: two steps on.
            if !is_mark(b) {
                i += 2;
                continue;
            }
            if is_mark(a) {
                let mut end = i + 2;
                while chars.get(end).is_some_and(|c| is_mark(*c)) {
                    end += 1;
                }
                out.instances.push(instance(p, i, end, a.to_string(), span));
                i = end;
                continue;
            }
            i += 1;
        }
    }
    out.holds = out.instances.is_empty();
    Ok(Value::Bool(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The normaliser flags exactly the paragraphs with two sentence marks side by side.
    #[test]
    fn paragraphs_with_doubled_marks_are_flagged() {
        for text in [
            "没有重复。",
            "重复，，标点",
            "重复，\n。标点",
            "、、",
            "。",
            "a,b;c:d!e?f。",
            "……——",
            "",
            "ab，c，；",
        ] {
            let paras = crate::docindex::test_paragraphs(&[text]);
            let n = crate::docindex::normalize_paragraph(0, &paras[0]);
            let want = n.chars.windows(2).any(|w| is_mark(w[0]) && is_mark(w[1]));
            assert_eq!(n.marks_doubled, want, "{text}");
        }
        for c in '\0'..='\u{FFFF}' {
            assert_eq!(is_mark(c), MARKS.contains(&c), "{c}");
        }
    }

    #[test]
    fn doubles() {
        let c: Vec<char> = "比上年增加增加5万元".chars().collect();
        assert_eq!(doubled_at(&c, 3), Some(2));
        let c: Vec<char> = "人人常常".chars().collect();
        assert_eq!(doubled_at(&c, 0), None);
    }

    /// `next_repeat` finds what a plain scan finds: the first char from `from` on that comes
    /// again within the next four.
    #[test]
    fn repeats_as_a_plain_scan_finds_them() {
        for text in [
            "",
            "a",
            "aa",
            "abcde",
            "abcdea",
            "abcda",
            "比上年增加增加",
            "，，",
            "xyzxy",
        ] {
            let c: Vec<char> = text.chars().collect();
            for from in 0..=c.len() + 1 {
                let want = (from..c.len()).find(|&i| {
                    c.get(i + 1..(i + 5).min(c.len()))
                        .is_some_and(|next| next.contains(&c[i]))
                });
                assert_eq!(next_repeat(&c, from), want, "{text} {from}");
            }
        }
    }

    /// Block by block, `Repeats` finds what `next_repeat` finds, from any position on and
    /// with the positions asked for increasing (as the scan asks for them).
    #[test]
    fn blocks_find_what_the_plain_scan_finds() {
        let long: String = "比上年增加增加5万元，主要是人员经费增加的的原因；".repeat(7);
        let texts = [
            long.as_str(),
            "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz",
            "ab",
            "",
        ];
        for text in texts {
            let c: Vec<char> = text.chars().collect();
            for step in 1..4 {
                let mut blocks = Repeats::new(&c);
                let mut from = 0;
                while from <= c.len() + 1 {
                    let want = next_repeat(&c, from);
                    assert_eq!(blocks.next(from), want, "{text} {from}");
                    from = want.map_or(from + step, |k| k + step);
                }
            }
        }
    }
}
