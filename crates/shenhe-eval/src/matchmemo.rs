//! The matches of narrative patterns, found once per document and scope.
//!
//! Rules repeat patterns (two assertions about the same sentence, one rule per aspect of it),
//! and a rule that fails is evaluated a second time to explain itself; each pattern is matched
//! against the narrative once per check instead of once per use.
//!
//! Patterns that begin with a direction word (`{向:增减}{x:数}。`, `{向:增减}{变:金额}…`) can
//! start at the same few places of a paragraph: those places are found when the paragraph is
//! normalised (see [`Starts`] and `NormParagraph::direction`) and shared by all of them,
//! instead of each pattern walking every char of the paragraph to find them. Patterns that
//! begin with an amount (`{本:金额},{…14}减少{变:金额}…`) share the places where an amount
//! starts, and the amounts themselves, read from the paragraph's `元` when the first of them is
//! tried in it. The paragraphs
//! a pattern is tried in are those whose char masks have the chars it needs, found from
//! [`ParaSets`].

use std::cell::{OnceCell, RefCell};
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

use crate::docindex::{NormParagraph, ParaSets};
use crate::pattern::{AmountAt, Match, Matcher, Starts, amounts_in};

/// The matches in the paragraphs of a scope, in order: (index of the paragraph in the scope,
/// match).
pub type Found = Rc<Vec<(usize, Match)>>;

struct Entry {
    /// [`Matcher::shape_key`] of the matcher, compared first.
    key: u64,
    matcher: Arc<Matcher>,
    scope: Option<u32>,
    found: Found,
}

/// See the module documentation.
#[derive(Default)]
pub struct MatchMemo {
    entries: RefCell<Vec<Entry>>,
    /// [`entry_key`] of each entry, side by side: a lookup compares these eight at a time
    /// (a document's rules look up a hundred patterns or so, each in a list as long).
    keys: RefCell<Vec<u64>>,
    /// The result of every pattern without a match (most of them), shared.
    none: OnceCell<Found>,
    /// The amounts of each paragraph of the narrative (see [`amounts_in`]), read for a
    /// paragraph when a pattern that begins with an amount is first tried in it.
    amounts: OnceCell<Vec<OnceCell<Vec<AmountAt>>>>,
}

impl MatchMemo {
    /// Every match of `matcher` in the paragraphs `range` of `all` (the paragraphs of `scope`;
    /// `sets`: those of `all` by their masks, which tell the few where a match may be). A
    /// match's paragraph is given by its index in the range. The captures' own slots are those
    /// of the matcher that first found them: read them through [`Matcher::capture_slots`].
    pub fn find(
        &self,
        matcher: &Arc<Matcher>,
        scope: Option<u32>,
        all: &[NormParagraph<'_>],
        range: Range<usize>,
        sets: &ParaSets,
    ) -> Found {
        let key = matcher.shape_key();
        let want = entry_key(key, scope);
        {
            let keys = self.keys.borrow();
            let entries = self.entries.borrow();
            let mut from = 0;
            while let Some(off) = keys.get(from..).and_then(|k| position_of_key(k, want)) {
                let j = from + off;
                if let Some(e) = entries.get(j)
                    && e.scope == scope
                    && e.key == key
                    && (Arc::ptr_eq(&e.matcher, matcher) || e.matcher.same_shape(matcher))
                {
                    return Rc::clone(&e.found);
                }
                from = j + 1;
            }
        }
        let mut found = Vec::new();
        // One buffer for the captures of the tries in all paragraphs.
        let mut caps = Vec::new();
        let base = range.start;
        match matcher.shared_starts() {
            // The places where these patterns can start were found with the paragraph's
            // masks (see `NormParagraph::direction`).
            Some(Starts::Direction) => {
                matcher.candidates(sets, range, |k| {
                    if let Some(p) = all.get(k)
                        && matcher.may_match(p)
                    {
                        matcher
                            .each_from(p, &p.direction, &mut caps, |m| found.push((k - base, m)));
                    }
                });
            }
            None if matcher.starts_with_amount() => {
                let amounts = self
                    .amounts
                    .get_or_init(|| (0..all.len()).map(|_| OnceCell::new()).collect());
                matcher.candidates(sets, range, |k| {
                    if let (Some(p), Some(read)) = (all.get(k), amounts.get(k))
                        && matcher.may_match(p)
                    {
                        let read = read.get_or_init(|| {
                            let mut out = Vec::new();
                            amounts_in(&p.chars, &mut out);
                            out
                        });
                        matcher.each_amount(p, read, &mut caps, |m| found.push((k - base, m)));
                    }
                });
            }
            None => {
                matcher.candidates(sets, range, |k| {
                    if let Some(p) = all.get(k) {
                        matcher.each_in(p, &mut caps, |m| found.push((k - base, m)));
                    }
                });
            }
        }
        let found = if found.is_empty() {
            Rc::clone(self.none.get_or_init(Found::default))
        } else {
            Rc::new(found)
        };
        self.keys.borrow_mut().push(want);
        self.entries.borrow_mut().push(Entry {
            key,
            matcher: Arc::clone(matcher),
            scope,
            found: Rc::clone(&found),
        });
        found
    }
}

/// The key an entry is looked up by: the matcher's [`Matcher::shape_key`] mixed with its
/// scope.
fn entry_key(shape: u64, scope: Option<u32>) -> u64 {
    match scope {
        None => shape,
        Some(s) => shape ^ (u64::from(s) + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
    }
}

/// The first index of `want` in `keys`, looked for eight at a time (a loop that does not stop
/// inside a block compiles to vector compares).
fn position_of_key(keys: &[u64], want: u64) -> Option<usize> {
    let mut blocks = keys.chunks_exact(8);
    let mut base = 0;
    for block in &mut blocks {
        if block.iter().fold(false, |any, k| any | (*k == want)) {
            return block.iter().position(|k| *k == want).map(|j| base + j);
        }
        base += 8;
    }
    blocks
        .remainder()
        .iter()
        .position(|k| *k == want)
        .map(|j| base + j)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docindex::normalize_paragraph;
    use crate::pattern::parse_pattern;

    fn matcher(p: &str, first_slot: usize) -> Arc<Matcher> {
        let pat = parse_pattern(p, 0).unwrap();
        let mut names: Vec<String> = Vec::new();
        let m = Matcher::compile(&pat, p, |n| {
            let i = names.iter().position(|x| x == n).unwrap_or_else(|| {
                names.push(n.to_string());
                names.len() - 1
            });
            first_slot + i
        });
        Arc::new(m.unwrap())
    }

    #[test]
    fn keys_found_as_by_position() {
        for n in 0..40u64 {
            let keys: Vec<u64> = (0..n).map(|k| k % 13).collect();
            for want in 0..15 {
                assert_eq!(
                    position_of_key(&keys, want),
                    keys.iter().position(|k| *k == want),
                    "{n} {want}"
                );
            }
        }
        assert_ne!(entry_key(7, None), entry_key(7, Some(0)));
    }

    #[test]
    fn same_pattern_matched_once_whatever_its_slots() {
        let paras = crate::docindex::test_paragraphs(&[
            "基本支出 5 万元，项目支出 7 万元。",
            "没有金额。",
            "基本支出 9 万元",
        ]);
        let norm: Vec<_> = paras.iter().map(|p| normalize_paragraph(0, p)).collect();
        let memo = MatchMemo::default();
        let sets = ParaSets::new(&norm);
        let find = |m: &Arc<Matcher>, scope: Option<u32>| memo.find(m, scope, &norm, 0..3, &sets);
        let a = matcher("{名:词}支出{额:金额}", 0);
        let b = matcher("{名:词}支出{额:金额}", 5);
        let found = find(&a, None);
        let again = find(&b, None);
        assert!(Rc::ptr_eq(&found, &again));
        let places: Vec<(usize, usize)> = found.iter().map(|(i, m)| (*i, m.start)).collect();
        assert_eq!(places, [(0, 0), (0, 8), (2, 0)]);
        assert_eq!(a.capture_slots(), [Some(0), Some(1)]);
        assert_eq!(b.capture_slots(), [Some(5), Some(6)]);
        // Another scope, or another pattern, is matched on its own.
        assert!(!Rc::ptr_eq(&find(&a, Some(0)), &found));
        let c = matcher("{名:词}支出{额:数}", 0);
        assert!(!Rc::ptr_eq(&find(&c, None), &found));
    }

    /// Patterns that share the starts of a paragraph find what each finds alone, in every
    /// scope.
    #[test]
    fn shared_starts_find_what_each_pattern_finds() {
        let paras = crate::docindex::test_paragraphs(&[
            "支出增加 5 万元，增长 10%。",
            "下降3,比上年减少-2元;",
            "没有数字，只说增加。",
            "增加",
            "12 元，较上年增加 1 元，增长 9.1%",
        ]);
        let norm: Vec<_> = paras.iter().map(|p| normalize_paragraph(0, p)).collect();
        let memo = MatchMemo::default();
        let sets = ParaSets::new(&norm);
        for (scope, range) in [(None, 0..5), (Some(3), 1..4)] {
            let paras = &norm[range.clone()];
            for p in [
                "{向:增减}{x:数},",
                "{向:增减}{x:数}。",
                "{向:增减}{变:金额}",
                "{d:增减}",
                "{本:金额},较{…12}增加{变:金额}",
                "{x:数}",
                "{a:金额}",
            ] {
                let m = matcher(p, 0);
                let alone: Vec<(usize, Match)> = paras
                    .iter()
                    .enumerate()
                    .flat_map(|(i, para)| m.find_in(para).into_iter().map(move |f| (i, f)))
                    .collect();
                let found = memo.find(&m, scope, &norm, range.clone(), &sets);
                assert_eq!(*found, alone, "{p} in {scope:?}");
            }
        }
    }
}
