//! The matches of narrative patterns, found once per document and scope.
//!
//! Rules repeat patterns (two assertions about the same sentence, one rule per aspect of it),
//! and a rule that fails is evaluated a second time to explain itself; each pattern is matched
//! against the narrative once per check instead of once per use.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use crate::docindex::NormParagraph;
use crate::pattern::{Match, Matcher};

/// The matches in the paragraphs of a scope, in order: (index of the paragraph in the scope,
/// match).
pub type Found = Rc<Vec<(usize, Match)>>;

struct Entry {
    matcher: Arc<Matcher>,
    scope: Option<u32>,
    found: Found,
}

/// See the module documentation.
#[derive(Default)]
pub struct MatchMemo {
    entries: RefCell<Vec<Entry>>,
}

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
        if let Some(e) = self.entries.borrow().iter().find(|e| {
            e.scope == scope && (Arc::ptr_eq(&e.matcher, matcher) || e.matcher.same_shape(matcher))
        }) {
            return Rc::clone(&e.found);
        }
        let mut found = Vec::new();
        for (i, p) in paras.iter().enumerate() {
            matcher.each_in(p, |m| found.push((i, m)));
        }
        let found = Rc::new(found);
        self.entries.borrow_mut().push(Entry {
            matcher: Arc::clone(matcher),
            scope,
            found: Rc::clone(&found),
        });
        found
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
}
