//! Substring search for the short strings that are compared per row, label and lookup (name
//! keys, labels, titles, header words) by both the ingest and the evaluator.
//!
//! `str::contains` builds a two-way searcher on every call (even for one non-ASCII `char`),
//! which costs more than the search itself when both strings are a few dozen bytes.
//! (`memchr::memmem::find` in its place measured 4% more instructions for the whole pack on the
//! seed, 2026-11-26: it also prepares a searcher per call.)

/// Whether `needle` occurs in `hay` (as `hay.contains(needle)`). A byte search: both are
/// UTF-8, so a match of the needle's bytes starts and ends on char boundaries.
#[inline]
pub fn contains_str(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let (Some(&first), Some(&last)) = (n.first(), n.last()) else {
        return true;
    };
    let Some(last_start) = h.len().checked_sub(n.len()) else {
        return false;
    };
    let tail = n.len() - 1;
    let mut i = 0;
    while i <= last_start {
        match h
            .get(i..=last_start)
            .and_then(|s| s.iter().position(|&b| b == first))
        {
            Some(off) => i += off,
            None => return false,
        }
        if h.get(i + tail) == Some(&last) && h.get(i..i + n.len()) == Some(n) {
            return true;
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_str_contains() {
        let hays = [
            "",
            "a",
            "一般公共服务支出",
            "本年收入合计",
            "abcabd",
            "三公经费支出",
            "支出",
            "功能分类科目编码",
            "合计码",
        ];
        let needles = [
            "",
            "a",
            "支出",
            "收入",
            "abd",
            "cab",
            "三公经费支出",
            "经费支",
            "出x",
            "码",
            "编码",
            "目编",
            "计码",
        ];
        for h in hays {
            for n in needles {
                assert_eq!(contains_str(h, n), h.contains(n), "{h:?} {n:?}");
            }
        }
    }
}
