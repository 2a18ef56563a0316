//! Performance-target forms (部门整体支出绩效目标表, 项目支出绩效目标表): fields (name, unit,
//! year), the money block as a table, goals, and the indicator rows.
//!
//! The forms are printed as boxes with labels written vertically (`总\n体\n目\n标`), and their
//! cells wrap. A vertical label (a run of one- or two-character lines) switches the part being
//! read; indicator rows end at their value (`95%`, `685 元`, `1`).

use shenhe_model::{Goal, Indicator, IngestWarning, Loc, PerfKind, PerformanceForm, Table, Unit};

use crate::segment::is_year_line;
use crate::table::{self, BlockParts, Ctx, Draft};
use crate::text::{Line, Source, Token, has, is_han, width};

/// Units that may follow an indicator value.
const VALUE_UNITS: &[&str] = &[
    "%",
    "％",
    "元",
    "万元",
    "人",
    "个",
    "次",
    "天",
    "台",
    "项",
    "辆",
    "件",
    "套",
    "户",
    "家",
    "所",
    "年",
    "月",
    "日",
    "小时",
    "分钟",
    "平方米",
    "公里",
    "吨",
    "人次",
    "场",
    "期",
    "本",
    "份",
    "篇",
    "条",
    "批",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Part {
    Fields,
    Budget,
    Goals,
    Indicators,
}

/// A form read but whose budget table is not finished yet.
pub(crate) struct FormDraft<'a> {
    pub form: PerformanceForm,
    pub budget: Draft<'a>,
}

/// Reads a form block (`lines`: the indices of the lines after the title line).
pub(crate) fn parse<'a>(
    src: &Source<'a>,
    ctx: &Ctx<'_>,
    kind: PerfKind,
    title: &str,
    title_loc: Loc,
    lines: std::ops::Range<usize>,
    warnings: &mut Vec<IngestWarning>,
) -> FormDraft<'a> {
    // Sized by the block (a filtered iterator would grow the vector from four lines up).
    let mut all: Vec<&Line<'_>> = Vec::with_capacity(lines.len());
    all.extend(
        lines
            .filter_map(|i| src.line(i))
            .filter(|l| !l.content.is_empty()),
    );
    let mut year = None;
    let mut unit_name: Option<String> = None;
    let mut project_name: Option<String> = None;
    let mut pending_field: Option<&'static str> = None;
    // The line lists below hold at most the form's lines: sized once.
    let mut field_value: Vec<&Line<'_>> = Vec::with_capacity(all.len());
    let mut part = Part::Fields;
    let mut budget_unit: Option<Unit> = None;
    let mut budget_header: Vec<&Line<'_>> = Vec::with_capacity(all.len());
    let mut budget_data: Vec<&Line<'_>> = Vec::with_capacity(all.len());
    let mut goals: Vec<Goal> = Vec::new();
    let mut indicator_lines: Vec<&Line<'_>> = Vec::with_capacity(all.len());
    // The vertical label being read, in one buffer for the whole form.
    let mut label = String::new();
    let mut i = 0usize;
    let flush_field = |pending: &mut Option<&'static str>,
                       value: &mut Vec<&Line<'_>>,
                       unit_name: &mut Option<String>| {
        if let Some(f) = pending.take() {
            let text = concat_sized(value.iter().map(|l| l.content));
            if !text.is_empty() && f == "实施单位" && unit_name.is_none() {
                *unit_name = Some(text);
            }
        }
        value.clear();
    };
    while let Some(line) = all.get(i) {
        let c = line.content;
        // A vertical label: consecutive short lines of ideographs or brackets.
        let used = vertical_label(&all, i, &mut label);
        if used >= 2 {
            flush_field(&mut pending_field, &mut field_value, &mut unit_name);
            if has(&label, "目标") {
                part = Part::Goals;
            } else if has(&label, "指标") {
                part = Part::Indicators;
            } else if has(&label, "预算") || has(&label, "资金") {
                part = Part::Budget;
                budget_unit = unit_of_label(&label).or(budget_unit);
            }
            i += used;
            continue;
        }
        i += 1;
        if year.is_none() && is_year_line(c) {
            year = digits_value(c);
            continue;
        }
        if c.starts_with("一级指标") {
            flush_field(&mut pending_field, &mut field_value, &mut unit_name);
            part = Part::Indicators;
            continue;
        }
        // Lines that start with no field label's first char skip the lookups at once.
        let maybe_field = c.starts_with(FIELD_STARTS);
        if maybe_field && let Some(rest) = field_rest(c, UNIT_LABELS) {
            if !rest.is_empty() {
                unit_name = Some(rest.to_string());
            }
            continue;
        }
        if maybe_field && let Some(rest) = field_rest(c, PROJECT_LABELS) {
            if !rest.is_empty() {
                project_name = Some(rest.to_string());
            }
            continue;
        }
        if part == Part::Fields && has(c, "实施单位") {
            // `主管部门及代码 实施单位` with the value on the next lines: a value between the two
            // labels would stand on this line, so the lines that follow belong to the last one.
            let after = c
                .rsplit_once("实施单位")
                .map(|(_, r)| r.trim())
                .unwrap_or("");
            if after.is_empty() {
                pending_field = Some("实施单位");
            } else if unit_name.is_none() {
                unit_name = Some(after.to_string());
            }
            continue;
        }
        if c.starts_with("项目资金") {
            flush_field(&mut pending_field, &mut field_value, &mut unit_name);
            part = Part::Budget;
            budget_header.push(line);
            if let Some(next) = all.get(i)
                && next.content.starts_with(['（', '('])
                && let Some(unit) = unit_of_label(next.content)
            {
                budget_unit = Some(unit);
                budget_header.push(next);
                i += 1;
            }
            budget_unit = budget_unit.or_else(|| unit_of_label(c));
            continue;
        }
        match part {
            Part::Fields => {
                if pending_field.is_some() {
                    field_value.push(line);
                }
            }
            Part::Budget => {
                let is_header = budget_header.is_empty()
                    && (has(c, "预算金额") || has(c, "金额") || has(c, "预算数"))
                    && crate::number::parse_cell(c.rsplit(' ').next().unwrap_or("")).is_none();
                if is_header {
                    budget_header.push(line);
                } else {
                    budget_data.push(line);
                }
            }
            Part::Goals => goals.push(Goal {
                text: c.to_string(),
                loc: line.loc(),
            }),
            Part::Indicators => indicator_lines.push(line),
        }
    }
    flush_field(&mut pending_field, &mut field_value, &mut unit_name);
    let form_name = match &project_name {
        Some(p) => ["“", title, "”（", p, "）"].concat(),
        None => ["“", title, "”"].concat(),
    };
    let block_name = if kind == PerfKind::Project {
        "项目资金"
    } else {
        "预算情况"
    };
    let parts = BlockParts {
        unit: budget_unit,
        preparer: None,
        notes: Vec::new(),
        header: budget_header,
        numbering: None,
        numbering_loc: None,
        data: budget_data,
        rest: Vec::new(),
    };
    let budget = table::build(
        ctx, None, block_name, title_loc, parts, &form_name, warnings,
    );
    let indicators = indicators(&indicator_lines, &form_name, ctx.level1, warnings);
    FormDraft {
        form: PerformanceForm {
            kind,
            title: title.to_string(),
            year,
            unit_name,
            project_name,
            budget: Table::default(),
            goals,
            indicators,
            loc: title_loc,
        },
        budget,
    }
}

/// The number the ASCII digits of `c` spell when read together (`（2024 年度）` → 2024), as
/// parsing them collected into a string would give it, without the string.
fn digits_value(c: &str) -> Option<i32> {
    let mut digits = c.bytes().filter(u8::is_ascii_digit).peekable();
    digits.peek()?;
    digits.try_fold(0i32, |n, b| {
        n.checked_mul(10)?.checked_add(i32::from(b - b'0'))
    })
}

/// The pieces joined, allocated once at their total length (collecting `&str`s into a
/// `String` grows it piece by piece).
fn concat_sized<'a>(pieces: impl Iterator<Item = &'a str> + Clone) -> String {
    let mut out = String::with_capacity(pieces.clone().map(str::len).sum());
    pieces.for_each(|p| out.push_str(p));
    out
}

/// Labels of the form's unit name field.
const UNIT_LABELS: &[&str] = &["部门（单位）名称", "部门(单位)名称", "单位名称", "部门名称"];
/// Labels of the form's project name field.
const PROJECT_LABELS: &[&str] = &["项目名称"];
/// The first chars of the labels above (a test checks that it covers them).
const FIELD_STARTS: [char; 3] = ['部', '单', '项'];

fn field_rest<'a>(c: &'a str, labels: &[&str]) -> Option<&'a str> {
    labels
        .iter()
        .find_map(|l| c.strip_prefix(l))
        .map(|r| r.trim_start_matches(['：', ':']).trim())
}

/// `（万元）`, `预算情况（万元）`.
fn unit_of_label(s: &str) -> Option<Unit> {
    let open = s.rfind(['（', '('])?;
    let inner = s.get(open..)?;
    let inner = inner
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')']);
    // `trim_start_matches("单位")` without setting up a substring searcher.
    let mut inner = inner;
    while let Some(rest) = inner.strip_prefix("单位") {
        inner = rest;
    }
    Unit::parse(inner.trim_start_matches(['：', ':']))
}

/// A label printed vertically from line `i`: consecutive lines of at most two ideographs or
/// brackets. Writes the joined label into `out` (cleared first) and returns how many lines it
/// used.
fn vertical_label(lines: &[&Line<'_>], i: usize, out: &mut String) -> usize {
    out.clear();
    let mut used = 0usize;
    while let Some(l) = lines.get(i + used) {
        let c = l.content;
        // At most two characters: a line of more than eight bytes has more, told without
        // decoding it (most lines); a shorter one is counted.
        let ok = c.len() <= 8
            && c.chars().nth(2).is_none()
            && c.chars()
                .all(|ch| is_han(ch) || matches!(ch, '（' | '）' | '(' | ')'));
        if !ok {
            break;
        }
        out.push_str(c);
        used += 1;
    }
    used
}

/// The index of the token where a line's indicator value starts, if the line ends with one
/// (`95%`, `90`, `≥95%`, `685元`, `685 元`).
fn value_from<'a>(toks: &[&'a str]) -> Option<usize> {
    let last_i = toks.len().checked_sub(1)?;
    let last = toks.get(last_i)?;
    let strip = |t: &'a str| -> &'a str {
        t.trim_start_matches(['≥', '≤', '>', '<', '＞', '＜', '='])
    };
    let l = strip(last);
    let num_len = crate::number::number_prefix_len(l);
    if num_len > 0 {
        let unit = l.get(num_len..).unwrap_or("");
        return (unit.is_empty() || VALUE_UNITS.contains(&unit)).then_some(last_i);
    }
    if VALUE_UNITS.contains(last) && last_i >= 1 {
        let p = strip(toks.get(last_i - 1)?);
        if !p.is_empty() && crate::number::number_prefix_len(p) == p.len() {
            return Some(last_i - 1);
        }
    }
    None
}

/// A piece of an indicator record as printed (borrowed from the source line).
struct Frag<'a> {
    text: &'a str,
    loc: Loc,
    /// Cells on one line are separated by spaces: a fragment is a whole cell when it shares
    /// its line with another.
    whole: bool,
}

/// Reads the indicator block: records end at their value; the texts before the value are the
/// level-1/2/3 names, level 1 and 2 carried over from the row above when a record has none.
fn indicators(
    lines: &[&Line<'_>],
    form_name: &str,
    level1_names: &[String],
    warnings: &mut Vec<IngestWarning>,
) -> Vec<Indicator> {
    // The fragments of all records in one buffer; a record holds its range of them.
    let mut records: Vec<(std::ops::Range<usize>, String, Loc)> = Vec::with_capacity(lines.len());
    // Sized for two fragments a line (a record's names wrap over a few lines of one or two
    // cells), so that it seldom grows.
    let mut frags: Vec<Frag> = Vec::with_capacity(lines.len() * 2);
    // Where the record being read starts in `frags`.
    let mut open_from = 0usize;
    // A line's tokens and their texts, in buffers reused from line to line.
    let mut toks: Vec<Token<'_>> = Vec::with_capacity(8);
    let mut texts: Vec<&str> = Vec::with_capacity(8);
    for line in lines {
        toks.clear();
        toks.extend(line.token_iter());
        texts.clear();
        texts.extend(toks.iter().map(|t| t.text));
        let value = value_from(&texts);
        let n_text = value.unwrap_or(toks.len());
        let whole = n_text > 1 || (value.is_some() && n_text > 0);
        for t in toks.iter().take(n_text) {
            frags.push(Frag {
                text: t.text,
                loc: line.tok_loc(t),
                whole,
            });
        }
        if let Some(v) = value {
            let vt = texts.get(v..).unwrap_or_default();
            let vloc = toks
                .get(v..)
                .unwrap_or_default()
                .iter()
                .map(|t| line.tok_loc(t))
                .reduce(Loc::join)
                .unwrap_or_else(|| line.loc());
            let value = match vt {
                [one] => one.to_string(),
                _ => vt.join(" "),
            };
            records.push((open_from..frags.len(), value, vloc));
            open_from = frags.len();
        }
    }
    let (done, open) = frags.split_at(open_from.min(frags.len()));
    if !open.is_empty() {
        let texts: Vec<&str> = open.iter().map(|f| f.text).collect();
        warnings.push(IngestWarning {
            code: "indicator-incomplete".into(),
            message: format!(
                "{form_name}绩效指标末尾的“{}”没有指标值，未读作指标",
                texts.join("")
            ),
            loc: open.first().map(|f| f.loc),
        });
    }
    // Widths of wrapped cells: the widest first fragment after a level-1 name (level-2 cells)
    // and the widest fragment overall.
    let w_all = done
        .iter()
        .filter(|f| !f.whole)
        .map(|f| width(f.text))
        .max()
        .unwrap_or(0);
    let mut out = Vec::with_capacity(records.len());
    let mut level1 = String::new();
    let mut level2 = String::new();
    for (range, value, vloc) in records {
        let frs = done.get(range).unwrap_or_default();
        let mut k = 0usize;
        if let Some(f) = frs.first()
            && level1_names.iter().any(|n| n == f.text)
            && frs.len() > 1
        {
            level1 = f.text.to_string();
            k = 1;
        }
        let rest = frs.get(k..).unwrap_or_default();
        let (l2, l3, uncertain) = split_levels(rest, w_all);
        if let Some(l2) = l2 {
            level2 = l2;
        }
        if uncertain {
            warnings.push(IngestWarning {
                code: "indicator-split".into(),
                message: format!(
                    "{form_name}指标“{l3}”（值 {value}）的二级、三级指标分界不确定，已按折行宽度划分"
                ),
                loc: rest.first().map(|f| f.loc),
            });
        }
        let loc = frs.first().map(|f| f.loc.join(vloc)).unwrap_or(vloc);
        out.push(Indicator {
            level1: level1.clone(),
            level2: level2.clone(),
            level3: l3,
            value,
            loc,
        });
    }
    fn split_levels(rest: &[Frag<'_>], w_all: usize) -> (Option<String>, String, bool) {
        let join = |fs: &[Frag]| concat_sized(fs.iter().map(|f| f.text));
        match rest {
            [] => (None, String::new(), false),
            [only] => (None, only.text.to_string(), false),
            [a, b] if a.whole && b.whole => (Some(a.text.to_string()), b.text.to_string(), false),
            _ => {
                let first = rest.first().map(|f| f.text).unwrap_or("");
                // A level-2 name of the project forms ends in 指标 and stands alone.
                if first.ends_with("指标") || rest.first().is_some_and(|f| f.whole) {
                    let l3 = join(rest.get(1..).unwrap_or_default());
                    return (Some(first.to_string()), l3, false);
                }
                // Otherwise cut where a cell ends: every fragment but a cell's last fills the
                // cell's width. Level-2 cells are the first fragments.
                let w2 = rest.first().map(|f| width(f.text)).unwrap_or(0).max(w_all);
                let full = |f: &Frag, w: usize| width(f.text) + 2 >= w;
                let mut fits: Vec<usize> = Vec::new();
                for cut in 1..rest.len() {
                    let (a, b) = rest.split_at(cut);
                    let a_ok = a
                        .iter()
                        .take(a.len().saturating_sub(1))
                        .all(|f| width(f.text) >= w2.saturating_sub(1));
                    let a_last_full = a
                        .last()
                        .is_some_and(|f| width(f.text) >= w2.saturating_sub(1));
                    let w3 = b.iter().map(|f| width(f.text)).max().unwrap_or(0);
                    let b_ok = b
                        .iter()
                        .take(b.len().saturating_sub(1))
                        .all(|f| full(f, w3));
                    if a_ok && b_ok && !a_last_full {
                        fits.push(cut);
                    }
                }
                let cut = fits.first().copied().unwrap_or(1);
                let (a, b) = rest.split_at(cut.min(rest.len()));
                (Some(join(a)), join(b), fits.len() != 1)
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick test of a line's first char lets through every field label.
    #[test]
    fn field_starts_cover_the_labels() {
        for label in UNIT_LABELS.iter().chain(PROJECT_LABELS) {
            assert!(label.starts_with(FIELD_STARTS), "{label}");
        }
    }

    #[test]
    fn digits_read_as_a_string_would_be() {
        for c in [
            "（2024 年度）",
            "2024年度",
            "年",
            "",
            "1 2",
            "99999999999",
            "2147483647",
        ] {
            let want = c
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .parse::<i32>()
                .ok();
            assert_eq!(digits_value(c), want, "{c}");
        }
    }

    #[test]
    fn values() {
        assert_eq!(value_from(&["95%"]), Some(0));
        assert_eq!(
            value_from(&["经济成本指标", "代表及委员发放标准", "685", "元"]),
            Some(2)
        );
        assert_eq!(value_from(&["财务管理", "资金使用合规性", "100%"]), Some(2));
        assert_eq!(value_from(&["行率"]), None);
        assert_eq!(value_from(&["数量指标"]), None);
        assert_eq!(value_from(&["1"]), Some(0));
        assert_eq!(value_from(&["94", "人"]), Some(0));
    }

    #[test]
    fn vertical_labels() {
        let src = Source::new("总\n\n体\n\n目\n\n标\n\n目标 1；\n");
        let lines: Vec<&Line<'_>> = src.lines.iter().filter(|l| !l.content.is_empty()).collect();
        let mut label = String::new();
        assert_eq!(vertical_label(&lines, 0, &mut label), 4);
        assert_eq!(label, "总体目标");
        assert_eq!(vertical_label(&lines, 4, &mut label), 0);
    }

    #[test]
    fn units_in_labels() {
        assert_eq!(unit_of_label("（万元）"), Some(Unit::WanYuan));
        assert_eq!(unit_of_label("预算情况（万元）"), Some(Unit::WanYuan));
        assert_eq!(unit_of_label("项目资金"), None);
    }
}
