//! Document metadata from the cover: title, year, kind, disclosing body.

use shenhe_model::{DocKind, Loc};

use crate::preparer::{COVER_KEYS, field_value};
use crate::text::{Source, is_space};

/// What the cover says.
#[derive(Clone, Debug, Default)]
pub(crate) struct Cover {
    pub title: Option<String>,
    pub title_loc: Option<Loc>,
    pub year: Option<i32>,
    pub kind: Option<DocKind>,
    pub unit_name: Option<String>,
    /// Where the cover names the body.
    pub unit_loc: Option<Loc>,
}

/// How many non-empty lines from the top the cover may span.
const COVER_LINES: usize = 12;
/// How many lines a title may be wrapped over (`中共上海市普陀区委` / `社会工作部 2024 年度` /
/// `部门决算`).
const TITLE_LINES: usize = 3;

pub(crate) fn cover(src: &Source<'_>) -> Cover {
    // The cover ends at the table of contents (`目   录`).
    let lines: Vec<(usize, &str)> = src
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.content.is_empty())
        .take(COVER_LINES)
        .take_while(|(_, l)| !is_contents_heading(l.content))
        .map(|(i, l)| (i, l.content))
        .collect();
    let mut c = Cover::default();
    let title_span = title_span(&lines);
    if let Some((a, e)) = title_span {
        let title = joined(&lines, a, e);
        c.title_loc = lines
            .get(a)
            .and_then(|&(i, _)| src.line(i))
            .map(|l| l.loc());
        c.year = year_in(&title);
        c.kind = kind_in(&title);
        // The body: the name-like lines just above the title, then the title's words before
        // its year (`临夏市…办公室` / `2024 年部门预算…`; `上海市普陀区规划和自然` / `资源局` /
        // `2024 年度部门决算`; `上海市普陀区民政局2024年度部门决算`).
        let above = (a.saturating_sub(TITLE_LINES)..a)
            .rev()
            .take_while(|&k| lines.get(k).is_some_and(|(_, t)| is_fragment(t)))
            .last()
            .unwrap_or(a);
        let mut name: String = lines
            .get(above..a)
            .unwrap_or_default()
            .iter()
            .map(|(_, t)| t.trim_matches(is_space))
            .collect();
        name.push_str(words_before_year(&title));
        if is_name_like(&name) {
            c.unit_name = Some(name);
            c.unit_loc = lines
                .get(above)
                .and_then(|&(i, _)| src.line(i))
                .map(|l| l.loc());
        }
        c.title = Some(title);
    }
    // A labelled field (`预算主管部门：上海市普陀区商务委员会`) names the body outright: it
    // wins over a title that starts with the district (`上海市普陀区2025年区级部门预算`).
    if let Some((name, loc)) = lines.iter().find_map(|&(i, t)| {
        let (s, e) = field_value(t, &COVER_KEYS)?;
        Some((t.get(s..e)?, src.line(i)?.loc_of_range(s, e)))
    }) {
        c.unit_name = Some(name.to_string());
        c.unit_loc = Some(loc);
    }
    c
}

/// Where the title stands among the cover's lines (`a..e`): the first line that reads as one,
/// or the first run of up to three lines that reads as one where no line alone does (a title
/// wrapped over lines).
fn title_span(lines: &[(usize, &str)]) -> Option<(usize, usize)> {
    // Whether each line alone is a title, worked out once and only as far as needed.
    let mut titled: Vec<Option<bool>> = vec![None; lines.len()];
    let mut is_title_at = |k: usize| match titled.get_mut(k) {
        Some(Some(t)) => *t,
        Some(slot) => {
            let t = lines.get(k).is_some_and(|(_, l)| is_title(l));
            *slot = Some(t);
            t
        }
        None => false,
    };
    for k in 0..lines.len() {
        if is_title_at(k) {
            return Some((k, k + 1));
        }
        for e in (k + 2..=k + TITLE_LINES).take_while(|&e| e <= lines.len()) {
            // A window holding a title line is that title's, not a wrapped one.
            if is_title_at(e - 1) {
                break;
            }
            if is_title(&joined(lines, k, e)) {
                return Some((k, e));
            }
        }
    }
    None
}

/// A title's words before its year (`西南大学 2023 年度部门决算` → `西南大学`); empty when the
/// title has no digit or starts with it.
pub(crate) fn words_before_year(title: &str) -> &str {
    title
        .find(|ch: char| ch.is_ascii_digit())
        .and_then(|p| title.get(..p))
        .unwrap_or_default()
        .trim_matches(is_space)
}

/// The lines `a..e` of the cover as one text (wrapped lines join without a space).
fn joined(lines: &[(usize, &str)], a: usize, e: usize) -> String {
    lines
        .get(a..e)
        .unwrap_or_default()
        .iter()
        .map(|(_, t)| t.trim_matches(is_space))
        .collect()
}

/// `目录`, `目   录`.
fn is_contents_heading(t: &str) -> bool {
    let mut k = t.chars().filter(|c| !is_space(*c));
    k.next() == Some('目') && k.next() == Some('录') && k.next().is_none()
}

/// A piece of a body's name wrapped over cover lines: name chars only, not the title's words.
fn is_fragment(t: &str) -> bool {
    let t = t.trim_matches(is_space);
    (2..=40).contains(&t.chars().count()) && name_chars(t)
}

/// Whether a text holds only what a body's name is written with: ideographs, brackets
/// (`（筹）`), the middle dot and spaces; and not the words of a title.
fn name_chars(t: &str) -> bool {
    t.chars().all(|c| {
        ('\u{4E00}'..='\u{9FFF}').contains(&c)
            || matches!(c, '（' | '）' | '(' | ')' | '·' | '•')
            || is_space(c)
    }) && !t.contains("预算")
        && !t.contains("决算")
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

/// A text that can be the name of a body: name chars only ([`name_chars`]), four to forty of them.
pub(crate) fn is_name_like(t: &str) -> bool {
    (4..=40).contains(&t.chars().count()) && name_chars(t)
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

    /// Covers of the corpus: a title wrapped over three lines (the contents that follow hold a
    /// one-line title of their own), a name wrapped above the title, and a cover field that
    /// names the body where the title names only the district.
    #[test]
    fn wrapped_titles_and_cover_fields() {
        let src = Source::new(
            "中共上海市普陀区委\n社会工作部 2024 年度\n   部门决算\n目   录\n\
             第二部分 中共上海市普陀区委社会工作部 2024 年度部门决算表\n",
        );
        let c = cover(&src);
        assert_eq!(
            c.title.as_deref(),
            Some("中共上海市普陀区委社会工作部 2024 年度部门决算")
        );
        assert_eq!(c.unit_name.as_deref(), Some("中共上海市普陀区委社会工作部"));
        assert_eq!(c.unit_loc.map(|l| l.line), Some(1));

        let src = Source::new("上海市普陀区规划和自然\n    资源局\n 2024 年度部门决算\n");
        let c = cover(&src);
        assert_eq!(c.title.as_deref(), Some("2024 年度部门决算"));
        assert_eq!(c.unit_name.as_deref(), Some("上海市普陀区规划和自然资源局"));
        assert_eq!(c.kind, Some(DocKind::DeptFinal));

        let src = Source::new(
            "上海市普陀区2025年区级部门预算\n   预算主管部门：上海市普陀区商务委员会\n",
        );
        let c = cover(&src);
        assert_eq!(c.unit_name.as_deref(), Some("上海市普陀区商务委员会"));
        let loc = c.unit_loc.unwrap();
        assert_eq!((loc.line, loc.column), (2, 11));
        // A line that is not a name (a rule case's header) is no part of one.
        let src = Source::new("# rules = [\"WD-010\"]\n测试单位\n2024 年部门预算公开情况说明\n");
        assert_eq!(cover(&src).unit_name.as_deref(), Some("测试单位"));
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
