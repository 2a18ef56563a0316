//! Document metadata from the cover: title, year, kind, disclosing body.

use shenhe_model::{DocKind, Loc};

use crate::text::{Source, is_space};

/// What the cover says.
#[derive(Clone, Debug, Default)]
pub(crate) struct Cover {
    pub title: Option<String>,
    pub title_loc: Option<Loc>,
    pub year: Option<i32>,
    pub kind: Option<DocKind>,
    pub unit_name: Option<String>,
}

/// How many non-empty lines from the top the cover may span.
const COVER_LINES: usize = 12;

pub(crate) fn cover(src: &Source<'_>) -> Cover {
    let lines: Vec<(usize, &str)> = src
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.content.is_empty())
        .take(COVER_LINES)
        .map(|(i, l)| (i, l.content))
        .collect();
    let mut c = Cover::default();
    let title_at = lines.iter().position(|(_, t)| is_title(t));
    if let Some(k) = title_at
        && let Some(&(i, t)) = lines.get(k)
    {
        c.title = Some(t.to_string());
        c.title_loc = src.line(i).map(|l| l.loc());
        c.year = year_in(t);
        c.kind = kind_in(t);
        // `临夏市…办公室2024年部门预算…`: the body before the year.
        if let Some(prefix) = body_before_year(t) {
            c.unit_name = Some(prefix);
        } else if let Some(&(_, prev)) = k.checked_sub(1).and_then(|p| lines.get(p))
            && is_name_like(prev)
        {
            c.unit_name = Some(prev.to_string());
        }
    }
    if c.unit_name.is_none() {
        c.unit_name = lines.iter().find_map(|(_, t)| {
            [
                "预算主管部门：",
                "预算主管部门:",
                "部门名称：",
                "单位名称：",
            ]
            .iter()
            .find_map(|p| t.strip_prefix(p))
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
        });
    }
    c
}

fn is_title(t: &str) -> bool {
    (t.contains("预算") || t.contains("决算"))
        && year_in(t).is_some()
        && t.chars().count() <= 60
        && !t.ends_with('。')
        && !t.contains('，')
}

/// The first `20xx` / `19xx` followed by 年 (spaces allowed).
pub(crate) fn year_in(t: &str) -> Option<i32> {
    let b = t.as_bytes();
    let mut i = 0usize;
    while i + 4 <= b.len() {
        let four = b.get(i..i + 4)?;
        let before_digit = i > 0 && b.get(i - 1).is_some_and(u8::is_ascii_digit);
        if !before_digit
            && four.iter().all(u8::is_ascii_digit)
            && matches!(four.first(), Some(b'1' | b'2'))
        {
            let rest = t.get(i + 4..)?;
            let after_digit = rest.as_bytes().first().is_some_and(u8::is_ascii_digit);
            if !after_digit && rest.trim_start_matches(is_space).starts_with('年') {
                return t.get(i..i + 4)?.parse().ok();
            }
        }
        i += 1;
    }
    None
}

fn kind_in(t: &str) -> Option<DocKind> {
    let k: String = t.chars().filter(|c| !is_space(*c)).collect();
    if k.contains("单位预算") {
        Some(DocKind::UnitBudget)
    } else if k.contains("单位决算") {
        Some(DocKind::UnitFinal)
    } else if k.contains("决算") {
        Some(DocKind::DeptFinal)
    } else if k.contains("预算") {
        Some(DocKind::DeptBudget)
    } else {
        None
    }
}

fn body_before_year(t: &str) -> Option<String> {
    let pos = t.find(|c: char| c.is_ascii_digit())?;
    let prefix = t.get(..pos)?.trim();
    (prefix.chars().count() >= 4 && is_name_like(prefix)).then(|| prefix.to_string())
}

/// A line that can be the name of a body: no digits, no sentence punctuation, a sensible
/// length, ending like an organisation.
fn is_name_like(t: &str) -> bool {
    let n = t.chars().count();
    (4..=40).contains(&n)
        && !t.chars().any(|c| {
            c.is_ascii_digit() || matches!(c, '，' | '。' | '：' | ':' | '；' | '、' | '《')
        })
        && !t.contains("预算")
        && !t.contains("决算")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_cover() {
        let src = Source::new(
            " 临夏市人民代表大会常务委员会办公室\n\n2024 年部门预算公开情况说明\n 前言\n",
        );
        let c = cover(&src);
        assert_eq!(c.year, Some(2024));
        assert_eq!(c.kind, Some(DocKind::DeptBudget));
        assert_eq!(
            c.unit_name.as_deref(),
            Some("临夏市人民代表大会常务委员会办公室")
        );
        assert_eq!(c.title.as_deref(), Some("2024 年部门预算公开情况说明"));
    }

    #[test]
    fn body_in_title() {
        let src = Source::new("上海市普陀区民政局2024年度部门决算\n");
        let c = cover(&src);
        assert_eq!(c.unit_name.as_deref(), Some("上海市普陀区民政局"));
        assert_eq!(c.kind, Some(DocKind::DeptFinal));
        assert_eq!(year_in("编号 12024 年"), None);
    }
}
