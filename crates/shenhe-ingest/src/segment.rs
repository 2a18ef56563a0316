//! Splits a document into blocks: the narrative, each table, each performance-target form.
//! Tables are found by their title line — a numbered title (`表三、…表`) or an unnumbered one
//! ending in `表` that is followed by what starts a table (a unit line, a year line, a header).

use shenhe_model::{Loc, PerfKind, TableNumber};

use crate::text::{Source, is_cn_numeral, is_space, numeral_value};

/// What a block is.
#[derive(Clone, Debug)]
pub(crate) enum BlockKind {
    Narrative,
    Table(Title),
    Perf(Title, PerfKind),
}

/// A table or form title.
#[derive(Clone, Debug)]
pub(crate) struct Title {
    pub number: Option<TableNumber>,
    /// The title without its number.
    pub text: String,
    pub loc: Loc,
}

/// A run of lines `[start, end)` (indices into [`Source::lines`]).
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub kind: BlockKind,
    pub start: usize,
    pub end: usize,
}

/// How far after a title to look for what starts a table.
const LOOKAHEAD: usize = 2;
/// Longest title accepted, in characters.
const MAX_TITLE_CHARS: usize = 70;

pub(crate) fn split(src: &Source<'_>) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut current = Block {
        kind: BlockKind::Narrative,
        start: 0,
        end: 0,
    };
    for i in 0..src.lines.len() {
        if let Some(kind) = title_at(src, i) {
            current.end = i;
            if current.end > current.start || !matches!(current.kind, BlockKind::Narrative) {
                blocks.push(current);
            }
            current = Block {
                kind,
                start: i,
                end: i,
            };
        }
    }
    current.end = src.lines.len();
    blocks.push(current);
    blocks
}

/// Whether line `i` is a table or form title.
fn title_at(src: &Source<'_>, i: usize) -> Option<BlockKind> {
    let line = src.line(i)?;
    let content = line.content;
    // Cheap rejections first: a title starts with 表/附表 (lead bytes E8, E9) or ends with 表
    // (E8 A1 A8), 表） (.. EF BC 89) or 表): told by the end bytes for most lines at once.
    let bytes = content.as_bytes();
    if !(matches!(bytes.first(), Some(0xE8 | 0xE9))
        || matches!(bytes.last(), Some(0xA8 | 0x89 | b')')))
    {
        return None;
    }
    let ends_like_title =
        content.ends_with('表') || content.ends_with("表）") || content.ends_with("表)");
    let starts_like_title = content.starts_with('表') || content.starts_with("附表");
    if !(ends_like_title || starts_like_title) {
        return None;
    }
    if content.is_empty() || content.chars().count() > MAX_TITLE_CHARS {
        return None;
    }
    if let Some((number, rest, rest_start)) = numbered_title(content) {
        let text = clean_title(rest);
        if text.contains('表') && !has_sentence_punct(&text) {
            let loc = line.loc_of_range(rest_start, content.len());
            let title = Title {
                number: Some(number),
                text,
                loc,
            };
            return Some(kind_of(title));
        }
        return None;
    }
    let text = clean_title(content);
    if !(text.ends_with('表') || text.ends_with("表）") || text.ends_with("表)")) {
        return None;
    }
    if has_sentence_punct(&text) {
        return None;
    }
    // Digit-numbered titles as in a table of contents (`1. 2024年部门财务收支预算总表`).
    let (text, start) = strip_digit_prefix(&text, content);
    let mut followed = false;
    for l in lines_after(src, i).take(LOOKAHEAD) {
        if starts_table(l.content) || header_fragment(l.content) {
            followed = true;
            break;
        }
        if numbered_title(l.content).is_some() || l.content.ends_with('表') {
            break;
        }
    }
    if !followed && !stacked_header_after(src, i) {
        return None;
    }
    let title = Title {
        number: None,
        text,
        loc: line.loc_of_range(start, content.len()),
    };
    Some(kind_of(title))
}

fn kind_of(title: Title) -> BlockKind {
    if title.text.contains("绩效目标") {
        let kind = if title.text.contains("整体") {
            PerfKind::Department
        } else {
            PerfKind::Project
        };
        BlockKind::Perf(title, kind)
    } else {
        BlockKind::Table(title)
    }
}

/// `表三、部门支出总体情况表` → (表三, `部门支出总体情况表`, byte offset of the rest).
fn numbered_title(content: &str) -> Option<(TableNumber, &str, usize)> {
    let (prefix, after) = if let Some(r) = content.strip_prefix("附表") {
        ("附表", r)
    } else {
        ("表", content.strip_prefix('表')?)
    };
    let after_trim = after.trim_start_matches(is_space);
    let num_len: usize = after_trim
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || is_cn_numeral(*c))
        .map(|(_, c)| c.len_utf8())
        .sum();
    if num_len == 0 {
        return None;
    }
    let num_text = after_trim.get(..num_len)?;
    let ordinal = numeral_value(num_text)?;
    let rest = after_trim.get(num_len..)?;
    let rest_trimmed = rest.trim_start_matches(|c: char| {
        is_space(c) || matches!(c, '、' | '.' | '．' | ':' | '：' | '-' | '—')
    });
    if rest_trimmed.is_empty() {
        return None;
    }
    let rest_start = content.len() - rest_trimmed.len();
    let mut printed = String::with_capacity(prefix.len() + num_text.len());
    printed.push_str(prefix);
    printed.push_str(num_text);
    Some((TableNumber { printed, ordinal }, rest_trimmed, rest_start))
}

fn strip_digit_prefix(text: &str, content: &str) -> (String, usize) {
    let digits: usize = text
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit())
        .map(|(_, c)| c.len_utf8())
        .sum();
    if digits > 0
        && digits <= 2
        && let Some(rest) = text.get(digits..)
        && let Some(r) = rest
            .strip_prefix('.')
            .or_else(|| rest.strip_prefix('．'))
            .or_else(|| rest.strip_prefix('、'))
    {
        let r = r.trim_start_matches(is_space);
        if !r.is_empty() {
            let start = content.len().saturating_sub(r.len());
            return (r.to_string(), start);
        }
    }
    (text.to_string(), 0)
}

/// Removes internal spacing of a title (`部门收支总体情况表` may be printed spaced).
fn clean_title(s: &str) -> String {
    // Most titles are printed without spaces: copied whole.
    if !s.chars().any(is_space) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut prev: Option<char> = None;
    let mut pending_space = false;
    for c in s.chars() {
        if is_space(c) {
            pending_space = true;
            continue;
        }
        if pending_space {
            if let Some(p) = prev
                && p.is_ascii_alphanumeric()
                && c.is_ascii_alphanumeric()
            {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

fn has_sentence_punct(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '，' | '。' | '；' | '：' | ',' | ';' | '！' | '？'))
}

/// Whether a line is what comes right after a table title: a unit line, a year line, or a
/// header line.
pub(crate) fn starts_table(content: &str) -> bool {
    if unit_in_line(content).is_some() {
        return true;
    }
    if is_year_line(content) {
        return true;
    }
    let key: String = content.chars().filter(|c| !is_space(*c)).collect();
    (key.starts_with("项目") || key.contains("科目") || key.starts_with("单位名称"))
        && (key.contains("预算数")
            || key.contains("金额")
            || key.contains("合计")
            || key.contains("决算数")
            || key.contains("总计"))
}

/// A header line cut by its cells' wrapping (`科目编   本年收入合   财政拨款收`, in text laid
/// out in columns): it names the classification (`科目`), holds no number and no sentence
/// punctuation. The words [`starts_table`] looks for may be cut off in it.
fn header_fragment(content: &str) -> bool {
    let mut tokens = content.split(is_space).filter(|t| !t.is_empty());
    content.contains("科目")
        && tokens.clone().nth(1).is_some()
        && !tokens.any(|t| t.bytes().any(|b| b.is_ascii_digit()))
        && !has_sentence_punct(content)
}

/// The lines after line `i` that hold anything.
fn lines_after<'s, 'a>(
    src: &'s Source<'a>,
    i: usize,
) -> impl Iterator<Item = &'s crate::text::Line<'a>> {
    src.lines
        .iter()
        .skip(i + 1)
        .filter(|l| !l.content.is_empty())
}

/// Whether the lines after line `i` begin with a header printed one cell piece per line, as
/// text in the PDF's drawing order gives it (`科目编` / `码` / `科目名称` / `本年收入合` / `计`):
/// short pieces alone on their lines (no digit, no sentence punctuation) that read together
/// as a header line [`starts_table`] knows.
fn stacked_header_after(src: &Source<'_>, i: usize) -> bool {
    /// How many pieces are read at most, and how long each may be.
    const PIECES: usize = 8;
    const PIECE_CHARS: usize = 8;
    let mut key = String::new();
    for l in lines_after(src, i).take(PIECES) {
        let c = l.content.trim_matches(is_space);
        let piece = !c.contains(is_space)
            && c.chars().count() <= PIECE_CHARS
            && !c.bytes().any(|b| b.is_ascii_digit())
            && !has_sentence_punct(c);
        if !piece {
            return false;
        }
        key.push_str(c);
        if starts_table(&key) {
            return true;
        }
    }
    false
}

/// `（2024 年度）`, `2024年度`.
pub(crate) fn is_year_line(content: &str) -> bool {
    // The line without spaces and brackets, at most seven characters: kept in an array (a
    // longer line is no year line).
    let mut key = ['\0'; 7];
    let mut n = 0usize;
    for c in content
        .chars()
        .filter(|c| !is_space(*c) && !matches!(c, '（' | '）' | '(' | ')'))
    {
        let Some(slot) = key.get_mut(n) else {
            return false;
        };
        *slot = c;
        n += 1;
    }
    let key = key.get(..n).unwrap_or_default();
    let digits = key.iter().take_while(|c| c.is_ascii_digit()).count();
    digits == 4 && (key.ends_with(&['年', '度']) || key.ends_with(&['年']))
}

/// The unit a unit line states (`单位：万元`, `金额单位:元`), with the byte range of the unit
/// statement in the line.
pub(crate) fn unit_in_line(content: &str) -> Option<(shenhe_model::Unit, usize, usize)> {
    let pos = content.find("单位")?;
    match unit_at(content, pos) {
        Some(found) => Some(found),
        // `编制单位：某某    单位：元`: a later `单位` may state the unit.
        None => content
            .match_indices("单位")
            .skip(1)
            .find_map(|(p, _)| unit_at(content, p)),
    }
}

/// [`unit_in_line`] for the `单位` at byte `pos`.
fn unit_at(content: &str, pos: usize) -> Option<(shenhe_model::Unit, usize, usize)> {
    let after = content.get(pos + "单位".len()..)?;
    let after_trim = after.trim_start_matches(is_space);
    let after_colon = after_trim
        .strip_prefix('：')
        .or_else(|| after_trim.strip_prefix(':'))?;
    let value = after_colon.trim_start_matches(is_space);
    for (name, unit) in [
        ("万元", shenhe_model::Unit::WanYuan),
        ("亿元", shenhe_model::Unit::YiYuan),
        ("元", shenhe_model::Unit::Yuan),
    ] {
        if value.starts_with(name) {
            let start = content.len() - after.len() - "单位".len();
            let start = if content.get(..start)?.ends_with("金额") {
                start - "金额".len()
            } else {
                start
            };
            let end = content.len() - value.len() + name.len();
            return Some((unit, start, end));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_lines_as_the_string_formula_says() {
        // The formula `is_year_line` computes without allocating.
        let reference = |content: &str| {
            let key: String = content
                .chars()
                .filter(|c| !is_space(*c) && !matches!(c, '（' | '）' | '(' | ')'))
                .collect();
            let digits = key.chars().take_while(|c| c.is_ascii_digit()).count();
            digits == 4
                && (key.ends_with("年度") || key.ends_with('年'))
                && key.chars().count() <= 7
        };
        for t in [
            "2024年",
            "2024 年度",
            "（2024年）",
            "(2024 年度)",
            "2024年度预算",
            "12024年",
            "202年",
            "2024",
            "２０２４年",
            "2024年 ",
            "",
            "年",
            "2024年度x",
            "2024（年度）",
            " 2 0 2 4 年 度 ",
            "2024年年年",
            "2024年年年年",
        ] {
            assert_eq!(is_year_line(t), reference(t), "{t:?}");
        }
        assert!(is_year_line("2024年度"));
        assert!(!is_year_line("2024年度部门预算"));
    }

    #[test]
    fn numbered_titles() {
        let (n, rest, _) = numbered_title("表三、部门支出总体情况表").unwrap();
        assert_eq!(n.printed, "表三");
        assert_eq!(n.ordinal, 3);
        assert_eq!(rest, "部门支出总体情况表");
        let (n, _, _) = numbered_title("表 11 国有资本经营预算支出情况表").unwrap();
        assert_eq!(n.ordinal, 11);
        assert!(numbered_title("表格").is_none());
    }

    #[test]
    fn finds_titles_by_what_follows() {
        let src = Source::new(
            "说明\n\n部门整体支出绩效目标表\n\n（2024 年度）\n\n整体支出绩效目标及预算项目绩效目标表\n 附件 1\n\n表一、部门收支总体情况表\n单位：万元\n",
        );
        let blocks = split(&src);
        let kinds: Vec<String> = blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Narrative => "N".to_string(),
                BlockKind::Table(t) => format!("T:{}", t.text),
                BlockKind::Perf(t, _) => format!("P:{}", t.text),
            })
            .collect();
        assert_eq!(
            kinds,
            vec!["N", "P:部门整体支出绩效目标表", "T:部门收支总体情况表"]
        );
    }

    /// A title followed by a header whose cells wrap (`科目编` / `码`, `本年收入合` / `计`):
    /// the cut words still tell a table; a row or a sentence naming 科目 does not.
    #[test]
    fn a_title_before_a_wrapped_header() {
        let src = Source::new(
            "西南大学收入预算表\n\n                   事业收入      其他收入\n科目编      本年收入合    财政拨款收\n",
        );
        let titles: Vec<String> = split(&src)
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Table(t) => Some(t.text.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(titles, ["西南大学收入预算表"]);
        assert!(header_fragment("科目编      本年收入合    财政拨款收"));
        assert!(!header_fragment("2050202   科目 8,172.97"));
        assert!(!header_fragment("按功能分类科目，列示如下"));
        assert!(!header_fragment("科目名称"));
    }

    /// The same title in the PDF's drawing order (`pdftotext -raw`): the header's pieces stand
    /// one to a line, and read together they name a table's header; short lines that do not
    /// (a list of names, a number among them) tell nothing.
    #[test]
    fn a_title_before_a_header_printed_one_piece_per_line() {
        let titles = |text: &str| -> Vec<String> {
            split(&Source::new(text))
                .iter()
                .filter_map(|b| match &b.kind {
                    BlockKind::Table(t) => Some(t.text.clone()),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(
            titles("西南大学收入预算表\n科目编\n码\n科目名称\n本年收入合\n计\n财政拨款收\n入\n"),
            ["西南大学收入预算表"]
        );
        assert!(titles("附表\n科目编\n码\n科目名称\n本年收入\n").is_empty());
        assert!(titles("附表\n科目\n2024\n合计\n").is_empty());
    }

    #[test]
    fn units() {
        let (u, s, e) = unit_in_line("单位：万元").unwrap();
        assert_eq!(u, shenhe_model::Unit::WanYuan);
        assert_eq!((s, e), (0, "单位：万元".len()));
        assert_eq!(
            unit_in_line("金额单位: 元").unwrap().0,
            shenhe_model::Unit::Yuan
        );
        assert!(unit_in_line("编制单位：某某局").is_none());
        let (u, s, _) = unit_in_line("编制单位：某某局        单位：元").unwrap();
        assert_eq!(u, shenhe_model::Unit::Yuan);
        assert_eq!(s, "编制单位：某某局        ".len());
    }

    #[test]
    fn sentences_are_not_titles() {
        let src = Source::new("政府性基金预算支出情况表为空表。\n单位：万元\n");
        assert_eq!(split(&src).len(), 1);
    }
}
