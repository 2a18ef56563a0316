//! The matches of narrative patterns, found once per document and scope.
//!
//! Rules repeat patterns (two assertions about the same sentence, one rule per aspect of it),
//! and a rule that fails is evaluated a second time to explain itself; each pattern is matched
//! against the narrative once per check instead of once per use.
//!
//! Patterns that begin with a direction word (`{向:增减}{x:数}。`, `{向:增减}{变:金额}…`) can
//! start at the same few places of a paragraph: those places are found once per paragraph
//! (see [`Starts`]) and shared by all of them, instead of each pattern walking every char of
//! the paragraph to find them.

use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use crate::docindex::NormParagraph;
use crate::pattern::{Match, Matcher, Starts};

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
    /// The shared starts of the paragraphs of a scope (by index in the scope), each found on
    /// first use.
    starts: RefCell<Vec<(Option<u32>, Starts, SharedStarts)>>,
    /// The result of every pattern without a match (most of them), shared.
    none: OnceCell<Found>,
}

/// The shared starts of the paragraphs of a scope: those of all paragraphs in one list, and
/// where each paragraph's stand in it once found.
struct StartsOfScope {
    list: RefCell<Vec<usize>>,
    ranges: Vec<Cell<Option<(usize, usize)>>>,
}

type SharedStarts = Rc<StartsOfScope>;

impl MatchMemo {
    /// Every match of `matcher` in `paras` (the paragraphs of `scope`). The captures' own
    /// slots are those of the matcher that first found them: read them through
    /// [`Matcher::capture_slots`].
    pub fn find(
        &self,
        matcher: &Arc<Matcher>,
        scope: Option<u32>,
        paras: &[NormParagraph<'_>],
    ) -> Found {
        let key = matcher.shape_key();
        if let Some(e) = self.entries.borrow().iter().find(|e| {
            e.scope == scope
                && e.key == key
                && (Arc::ptr_eq(&e.matcher, matcher) || e.matcher.same_shape(matcher))
        }) {
            return Rc::clone(&e.found);
        }
        let mut found = Vec::new();
        // One buffer for the captures of the tries in all paragraphs.
        let mut caps = Vec::new();
        match matcher.shared_starts() {
            Some(kind) => {
                let shared = self.starts(scope, kind, paras.len());
                for ((i, p), range) in paras.iter().enumerate().zip(&shared.ranges) {
                    // Only a paragraph that may hold a match has its starts found.
                    if matcher.may_match(p) {
                        let (a, b) = range.get().unwrap_or_else(|| {
                            let mut list = shared.list.borrow_mut();
                            let a = list.len();
                            kind.push_positions(&p.chars, &mut list);
                            let r = (a, list.len());
                            range.set(Some(r));
                            r
                        });
                        let list = shared.list.borrow();
                        let starts = list.get(a..b).unwrap_or(&[]);
                        matcher.each_from(p, starts, &mut caps, |m| found.push((i, m)));
                    }
                }
            }
            None => {
                for (i, p) in paras.iter().enumerate() {
                    matcher.each_in(p, &mut caps, |m| found.push((i, m)));
                }
            }
        }
        let found = if found.is_empty() {
            Rc::clone(self.none.get_or_init(Found::default))
        } else {
            Rc::new(found)
        };
        self.entries.borrow_mut().push(Entry {
            key,
            matcher: Arc::clone(matcher),
            scope,
            found: Rc::clone(&found),
        });
        found
    }

    /// The shared starts of kind `kind` of the `n` paragraphs of `scope`.
    fn starts(&self, scope: Option<u32>, kind: Starts, n: usize) -> SharedStarts {
        if let Some((_, _, s)) = self
            .starts
            .borrow()
            .iter()
            .find(|(sc, k, _)| *sc == scope && *k == kind)
        {
            return Rc::clone(s);
        }
        let s = Rc::new(StartsOfScope {
            list: RefCell::new(Vec::new()),
            ranges: vec![Cell::new(None); n],
        });
        self.starts.borrow_mut().push((scope, kind, Rc::clone(&s)));
        s
    }
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
    fn same_pattern_matched_once_whatever_its_slots() {
        let paras = crate::docindex::test_paragraphs(&[
            "基本支出 5 万元，项目支出 7 万元。",
            "没有金额。",
            "基本支出 9 万元",
        ]);
        let norm: Vec<_> = paras.iter().map(|p| normalize_paragraph(0, p)).collect();
        let memo = MatchMemo::default();
        let a = matcher("{名:词}支出{额:金额}", 0);
        let b = matcher("{名:词}支出{额:金额}", 5);
        let found = memo.find(&a, None, &norm);
        let again = memo.find(&b, None, &norm);
        assert!(Rc::ptr_eq(&found, &again));
        let places: Vec<(usize, usize)> = found.iter().map(|(i, m)| (*i, m.start)).collect();
        assert_eq!(places, [(0, 0), (0, 8), (2, 0)]);
        assert_eq!(a.capture_slots(), [Some(0), Some(1)]);
        assert_eq!(b.capture_slots(), [Some(5), Some(6)]);
        // Another scope, or another pattern, is matched on its own.
        assert!(!Rc::ptr_eq(&memo.find(&a, Some(0), &norm), &found));
        let c = matcher("{名:词}支出{额:数}", 0);
        assert!(!Rc::ptr_eq(&memo.find(&c, None, &norm), &found));
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
        for (scope, paras) in [(None, &norm[..]), (Some(3), &norm[1..4])] {
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
                assert_eq!(*memo.find(&m, scope, paras), alone, "{p} in {scope:?}");
            }
        }
    }
}
