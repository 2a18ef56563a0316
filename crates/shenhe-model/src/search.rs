//! Substring search for the short strings that are compared per row, label and lookup (name
//! keys, labels, titles, header words) by both the ingest and the evaluator.
//!
//! `str::contains` builds a two-way searcher on every call (even for one non-ASCII `char`),
//! which costs more than the search itself when both strings are a few dozen bytes.
//! (`memchr::memmem::find` in its place measured 4% more instructions for the whole pack on the
//! seed, 2026-11-26: it also prepares a searcher per call.) [`Finder`] is for one needle searched
//! in many texts: it prepares a skip table once.

/// Whether `needle` occurs in `hay` (as `hay.contains(needle)`). A byte search: both are
/// UTF-8, so a match of the needle's bytes starts and ends on char boundaries.
///
/// The scan looks for the needle's last byte: in Chinese text a char's first byte is one of a
/// few lead bytes (`E4`–`E9`) found at almost every third byte, while its last byte is one of
/// 64 continuation bytes (and a UTF-8 text never ends in a lead byte). Each place it is found
/// is then checked from the needle's first byte on.
#[inline]
pub fn contains_str(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some((&last, init)) = n.split_last() else {
        return true;
    };
    let first = n.first();
    let tail = init.len();
    // `j`: where the needle's last byte may stand (at least `tail` bytes in).
    let mut j = tail;
    while let Some(rest) = h.get(j..) {
        match rest.iter().position(|&b| b == last) {
            Some(off) => j += off,
            None => return false,
        }
        let start = j - tail;
        if h.get(start) == first && h.get(start..j) == Some(init) {
            return true;
        }
        j += 1;
    }
    false
}

/// One needle searched in many short texts (the keys of a table's rows or columns) by
/// Boyer–Moore–Horspool on bytes: the answer of [`contains_str`], stepping up to
/// the needle's length at a time instead of testing every byte (a Chinese needle's first byte
/// starts a large share of a Chinese text's chars).
pub struct Finder<'n> {
    needle: &'n [u8],
    /// How far the window may move when its last byte is `b` (at most 255: a shorter move is
    /// still safe, and the table of bytes is cheap to fill for every lookup).
    skip: [u8; 256],
}

impl<'n> Finder<'n> {
    /// A finder of `needle` (its skip table built once, for all the texts searched).
    pub fn new(needle: &'n str) -> Finder<'n> {
        let n = needle.as_bytes();
        let clamp = |len: usize| u8::try_from(len).unwrap_or(u8::MAX);
        let mut skip = [clamp(n.len()); 256];
        if let Some((_, init)) = n.split_last() {
            for (i, b) in init.iter().enumerate() {
                if let Some(s) = skip.get_mut(usize::from(*b)) {
                    *s = clamp(init.len() - i);
                }
            }
        }
        Finder { needle: n, skip }
    }

    /// Whether the needle occurs in `hay` (as [`contains_str`]).
    #[inline]
    pub fn is_in(&self, hay: &str) -> bool {
        let (h, n) = (hay.as_bytes(), self.needle);
        let Some(&last) = n.last() else {
            return true;
        };
        let m = n.len();
        // The index of the window's last byte.
        let mut end = m - 1;
        while let Some(&b) = h.get(end) {
            if b == last && h.get(end + 1 - m..=end) == Some(n) {
                return true;
            }
            end += self.skip.get(usize::from(b)).map_or(m, |s| usize::from(*s));
        }
        false
    }
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

    /// The plain definition: some window of `hay`'s bytes equals `needle`'s.
    fn plain(hay: &str, needle: &str) -> bool {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        n.is_empty() || h.windows(n.len()).any(|w| w == n)
    }

    #[test]
    fn agrees_with_the_plain_definition() {
        let cases = [
            // Needle at the start, at the end, the whole hay, longer than the hay.
            ("支出合计", "支出"),
            ("支出合计", "合计"),
            ("支出合计", "支出合计"),
            ("合计", "支出合计"),
            // Repeated bytes and a last byte found before the match.
            ("aaaaab", "aab"),
            ("abababac", "abac"),
            ("bbbb", "bb"),
            ("ab", "bb"),
            // Chars sharing their last byte (`计` E8 AE A1, `讑` E8 AE 91 …) or lead bytes.
            ("计划计算", "划计"),
            ("收入收支", "收支"),
            ("一般公共预算财政拨款", "财政拨款"),
            ("一般公共预算财政拨款", "预算拨款"),
            // A needle's last byte inside a hay char that does not match.
            ("一", "\u{80}"),
            ("é", "é"),
            ("eé", "e"),
            ("（一）办公费", "（一）"),
            ("（一）办公费", "）办"),
            // Empty needle, empty hay.
            ("", ""),
            ("x", ""),
            ("", "x"),
        ];
        for (h, n) in cases {
            assert_eq!(contains_str(h, n), plain(h, n), "{h:?} {n:?}");
            assert_eq!(contains_str(h, n), h.contains(n), "{h:?} {n:?}");
        }
        // Every hay and needle of up to four chars over a small alphabet of one- and
        // three-byte chars (`计` and `両` share their last byte, `划` and `出` their first).
        let alphabet = ['a', 'b', '计', '両', '划', '出'];
        let words = |max: usize| {
            let mut all = vec![String::new()];
            let mut level = vec![String::new()];
            for _ in 0..max {
                level = level
                    .iter()
                    .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                    .collect();
                all.extend(level.iter().cloned());
            }
            all
        };
        let hays = words(4);
        let needles = words(2);
        for h in &hays {
            for n in &needles {
                assert_eq!(contains_str(h, n), plain(h, n), "{h:?} {n:?}");
            }
        }
    }

    /// A needle longer than the largest skip (255 bytes) is still found where it stands.
    #[test]
    fn finder_finds_long_needles() {
        let needle = format!("{}合计", "预算".repeat(60));
        assert!(needle.len() > 255);
        for hay in [
            needle.clone(),
            format!("收入{needle}支出"),
            format!("{}{needle}", "x".repeat(300)),
            format!("{}{needle}", "计".repeat(100)),
            format!("{}合计", "预算".repeat(59)),
            "预算".repeat(200),
        ] {
            assert_eq!(
                Finder::new(&needle).is_in(&hay),
                hay.contains(&needle),
                "{hay}"
            );
        }
    }

    /// The finder answers as `contains_str` does, for every piece of some keys as needle and
    /// a few needles that overlap themselves or share bytes with the texts.
    #[test]
    fn finder_agrees_with_contains_str() {
        let texts = [
            "",
            "本年收入合计",
            "一般公共预算拨款收入",
            "其中：基本支出",
            "[30201]办公费",
            "支出支出合计支出",
            "aaab",
            "合计合计合",
            "2010101行政运行",
        ];
        let mut needles: Vec<String> = vec![
            "合计".into(),
            "计合".into(),
            "aab".into(),
            "ab".into(),
            "b".into(),
            "支出合".into(),
            "收入合计支出".into(),
            "\u{8ba1}".into(),
        ];
        for t in texts {
            let chars: Vec<char> = t.chars().collect();
            for i in 0..chars.len() {
                for j in i + 1..=chars.len() {
                    needles.push(chars[i..j].iter().collect());
                }
            }
        }
        for n in &needles {
            let f = Finder::new(n);
            for t in texts {
                assert_eq!(f.is_in(t), contains_str(t, n), "{n} in {t}");
            }
        }
    }
}
