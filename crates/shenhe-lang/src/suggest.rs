//! Did-you-mean suggestions by edit distance over characters (so `断定` → `断言` works as
//! well as `asert` → `assert`).

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), by chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    // Three rolling rows: two back (for transpositions), previous, current.
    let mut before: Vec<usize> = vec![0; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut cur: Vec<usize> = vec![0; width];
    for (i, &ca) in a.iter().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let del = prev.get(j + 1).map_or(usize::MAX, |v| v + 1);
            let ins = cur.get(j).map_or(usize::MAX, |v| v + 1);
            let sub = prev.get(j).map_or(usize::MAX, |v| v + cost);
            let mut best = del.min(ins).min(sub);
            let transposed = i > 0
                && j > 0
                && a.get(i - 1) == Some(&cb)
                && b.get(j - 1) == Some(&ca)
                && ca != cb;
            if transposed && let Some(t) = before.get(j - 1) {
                best = best.min(t + 1);
            }
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = best;
            }
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.get(b.len()).copied().unwrap_or(usize::MAX)
}

/// The closest candidate, if it is close enough to be a likely typo: one edit for words of
/// two to five characters, otherwise up to a third of the candidate's length; one-character
/// candidates are never suggested.
/// Comparison ignores ASCII case.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for &cand in candidates {
        let d = edit_distance(&lower, cand);
        let len = cand.chars().count();
        let limit = if len <= 1 { 0 } else { (len / 3).max(1) };
        if d == 0 && word == cand {
            continue;
        }
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, cand));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("断言", "断言"), 0);
        assert_eq!(edit_distance("断定", "断言"), 1);
        assert_eq!(edit_distance("asert", "assert"), 1);
        assert_eq!(edit_distance("categroy", "category"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "级别"), 2);
        assert_eq!(edit_distance("言断", "断言"), 1);
    }

    #[test]
    fn suggestions() {
        let kws = &[
            "级别", "类别", "断言", "消息", "assert", "message", "severity",
        ];
        assert_eq!(did_you_mean("断定", kws), Some("断言"));
        assert_eq!(did_you_mean("消自", kws), Some("消息"));
        assert_eq!(did_you_mean("asert", kws), Some("assert"));
        assert_eq!(did_you_mean("Assert", kws), Some("assert"));
        assert_eq!(did_you_mean("sevrity", kws), Some("severity"));
        assert_eq!(did_you_mean("收支总表", kws), None);
        assert_eq!(did_you_mean("x", kws), None);
        // 级别 and 类别 are both one edit from 等别; the first listed wins.
        assert_eq!(did_you_mean("等别", kws), Some("级别"));
    }
}
