//! Did-you-mean suggestions by edit distance over characters.

use shenhe_model::name_key;

/// Levenshtein distance over chars.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let del = prev
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let ins = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            let sub = prev
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(cost);
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = del.min(ins).min(sub);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// Up to three candidates close to `name` (after name normalisation): those within an edit
/// distance of about a third of the name's length, or containing it / contained in it.
/// Best first, without duplicates.
pub fn suggest(name: &str, candidates: &[String]) -> Vec<String> {
    let key = name_key(name);
    let len = key.chars().count();
    if len == 0 {
        return Vec::new();
    }
    // Names of one or two characters are too short for edit distance to mean anything.
    let limit = if len >= 3 { (len / 3).max(1) } else { 0 };
    let mut scored: Vec<(usize, &String)> = candidates
        .iter()
        .filter_map(|c| {
            let ck = name_key(c);
            if ck.is_empty() || ck == key {
                return None;
            }
            let d = distance(&key, &ck);
            if d <= limit && d > 0 {
                Some((d, c))
            } else if ck.contains(&key) || key.contains(&ck) {
                Some((limit + 1 + ck.chars().count().abs_diff(len), c))
            } else {
                None
            }
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, c) in scored {
        if !out.contains(c) {
            out.push(c.clone());
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("基本支出", "基本支出"), 0);
        assert_eq!(distance("基本支出", "项目支出"), 2);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn suggestions() {
        let c: Vec<String> = ["基本支出", "项目支出", "支出合计", "上年结转"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(suggest("基本支岀", &c), vec!["基本支出"]);
        assert_eq!(suggest("基本", &c), vec!["基本支出"]);
        assert!(suggest("完全无关的名字", &c).is_empty());
        let f: Vec<String> = ["sum", "share", "求和"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(suggest("summ", &f), vec!["sum"]);
    }
}
