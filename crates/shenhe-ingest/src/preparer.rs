//! Named bodies printed as form fields: the body that prepared a table (`编制单位：…` above its
//! header) and the disclosing body on a cover (`预算主管部门：…`). Both readers use these, so a
//! table's preparer and the cover's body are read the same way from text and from PDF.

use crate::text::is_space;

/// Field names that introduce the body a table was prepared by. `单位名称` / `部门名称` are
/// fields too (with a colon); as column headers they have none.
pub(crate) const TABLE_KEYS: [&str; 6] = [
    "编制单位",
    "编制部门",
    "填报单位",
    "单位名称",
    "部门名称",
    "预算单位",
];

/// Field names that introduce the disclosing body on a cover, longest first (`预算主管部门`
/// before `主管部门`).
pub(crate) const COVER_KEYS: [&str; 7] = [
    "预算主管部门",
    "主管部门",
    "预算单位",
    "部门名称",
    "单位名称",
    "编制单位",
    "编制部门",
];

/// The longest name a field may give (the longest body names run to about forty chars).
const MAX_NAME_CHARS: usize = 60;

/// The byte range of the value of the field a line starts with (after leading spaces), for
/// the first of `keys` that starts it and is followed by a colon: `编制单位：某某局    单位：元`
/// gives the range of `某某局`. The value ends at a run of two or more spaces, at a unit
/// statement (`单位：`, `金额单位：`) or at the line's end; an empty value (a template's blank
/// field) gives `None`.
pub(crate) fn field_value(line: &str, keys: &[&str]) -> Option<(usize, usize)> {
    let value = after_field(line, keys)?.trim_start_matches(is_space);
    let start = line.len() - value.len();
    let mut end = value.len();
    if let Some(p) = double_space(value) {
        end = end.min(p);
    }
    for unit in ["金额单位", "单位：", "单位:"] {
        if let Some(p) = value.find(unit) {
            end = end.min(p);
        }
    }
    let name = value.get(..end)?.trim_end_matches(is_space);
    // A unit statement where the name should be (`单位：万元`) is no name, and neither is a
    // sentence (a line of prose that starts with the field's words).
    if name.is_empty()
        || is_unit_word(name)
        || name.chars().count() > MAX_NAME_CHARS
        || name.contains(['，', '。', '；', '：', ':', ';'])
    {
        return None;
    }
    Some((start, start + name.len()))
}

/// What follows the colon of the field a line starts with (after leading spaces), for the
/// first of `keys` that starts it: `编制单位：某某局` gives `某某局`, a blank field `单位名称：`
/// the empty text.
fn after_field<'a>(line: &'a str, keys: &[&str]) -> Option<&'a str> {
    let body = line.trim_start_matches(is_space);
    // Most lines are told by their first char (every line of a table's head passes here).
    let first = body.chars().next()?;
    let key = keys
        .iter()
        .filter(|k| k.starts_with(first))
        .find(|k| body.starts_with(**k))?;
    let after_key = body.get(key.len()..)?.trim_start_matches(is_space);
    after_key
        .strip_prefix('：')
        .or_else(|| after_key.strip_prefix(':'))
}

/// A template's blank table field: `单位名称：`, `编制单位：` with nothing after the colon.
pub(crate) fn is_blank_field(line: &str) -> bool {
    after_field(line, &TABLE_KEYS).is_some_and(|r| r.trim_matches(is_space).is_empty())
}

/// [`field_value`] for a field anywhere in the line (`（盖章） 编制部门：某某局`): for the lines a
/// PDF prints above a table, which hold nothing else.
pub(crate) fn field_in(line: &str, keys: &[&str]) -> Option<(usize, usize)> {
    let at = keys.iter().filter_map(|k| line.find(*k)).min()?;
    let (s, e) = field_value(line.get(at..)?, keys)?;
    Some((at + s, at + e))
}

/// The first run of two or more spaces (ASCII or ideographic) in `t`, as a byte offset.
fn double_space(t: &str) -> Option<usize> {
    let mut prev_space: Option<usize> = None;
    for (i, c) in t.char_indices() {
        if is_space(c) {
            if let Some(p) = prev_space {
                return Some(p);
            }
            prev_space = Some(i);
        } else {
            prev_space = None;
        }
    }
    None
}

fn is_unit_word(t: &str) -> bool {
    matches!(t, "元" | "万元" | "亿元" | "千元")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value<'a>(line: &'a str, keys: &[&str]) -> Option<&'a str> {
        field_value(line, keys).and_then(|(s, e)| line.get(s..e))
    }

    #[test]
    fn table_fields() {
        assert_eq!(
            value(
                "编制单位：上海市普陀区社会福利院        单位:万元",
                &TABLE_KEYS
            ),
            Some("上海市普陀区社会福利院")
        );
        assert_eq!(
            value("  编制部门: 某某局单位：元", &TABLE_KEYS),
            Some("某某局")
        );
        assert_eq!(
            value("编制单位：某某事业单位  金额单位：元", &TABLE_KEYS),
            Some("某某事业单位")
        );
        // Blank template fields and lines that only mention a field.
        assert_eq!(value("编制单位：        单位：万元", &TABLE_KEYS), None);
        assert_eq!(value("单位名称：", &TABLE_KEYS), None);
        assert!(is_blank_field("单位名称： "));
        assert!(is_blank_field("编制部门:"));
        assert!(!is_blank_field("编制单位：某某局"));
        assert!(!is_blank_field("单位名称 本年收入"));
        assert_eq!(value("单位名称 本年收入", &TABLE_KEYS), None);
        assert_eq!(value("表中编制单位：某某局", &TABLE_KEYS), None);
        // Prose that starts like a field is none.
        assert_eq!(
            value("编制单位：某某局负责编制，各科室配合", &TABLE_KEYS),
            None
        );
        let line = "（盖章） 编制部门：某某局";
        assert_eq!(
            field_in(line, &TABLE_KEYS).and_then(|(s, e)| line.get(s..e)),
            Some("某某局")
        );
    }

    #[test]
    fn cover_fields() {
        assert_eq!(
            value("   预算主管部门：上海市普陀区商务委员会", &COVER_KEYS),
            Some("上海市普陀区商务委员会")
        );
        assert_eq!(value("主管部门：某某局", &COVER_KEYS), Some("某某局"));
        assert_eq!(value("单位名称：万元", &COVER_KEYS), None);
    }
}
