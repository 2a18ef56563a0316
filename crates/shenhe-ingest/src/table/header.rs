//! Column headers: from the header lines of a table to columns with paths, the sides of a
//! two-sided table, and the identities the header implies (`合计 = 基本支出 + 项目支出`).
//!
//! Extracted text loses the geometry of a multi-row header: cells spanning rows or columns
//! come out in reading order, wrapped cells are broken over lines (`因公出国（境）` / `费用`).
//! The header is rebuilt from what survives: the number of value columns (from the column
//! numbering line `1 2 3 …`), the order of the names, and two facts about headers — a `合计` or
//! `小计` always sums its siblings under a common parent, and a name `甲和乙费` heads the
//! columns that follow it and share its beginning (`公务用车购置和运行费` → `公务用车购置费`,
//! `公务用车运行费`).

use std::borrow::Cow;

use shenhe_model::{Column, ColumnKind, IngestWarning, Loc, Unit};

use crate::text::{Line, has, has_char, is_han};

/// One name in the header: borrowed from the source line unless fragments were joined.
#[derive(Clone, Debug)]
pub(crate) struct HTok<'a> {
    pub text: Cow<'a, str>,
    pub loc: Loc,
    /// The character columns the name takes on its line(s): its first, and the one just past
    /// its last.
    pub cols: (u32, u32),
    /// Its printed width in columns (an ideograph takes two; of a name wrapped over lines, its
    /// widest piece): `pdftotext -layout` puts a name where it starts on the page but gives
    /// each character one column, so a name of ideographs reaches twice as far as it seems.
    pub wide: u32,
    /// The header lines (as first read, before wrapped names were joined) of its first and
    /// last piece.
    pub rows: (usize, usize),
    /// Index of the header line (after merging wrapped fragments).
    pub line: usize,
    pub unit: Option<Unit>,
    /// What the name heads ([`role_of`] its final text), read once.
    pub role: Role,
}

impl HTok<'_> {
    /// Takes in `p`, the next piece of this name wrapped onto a lower line.
    fn absorb(&mut self, p: &HTok<'_>) {
        self.text.to_mut().push_str(&p.text);
        self.loc = self.loc.join(p.loc);
        self.cols = (self.cols.0.min(p.cols.0), self.cols.1.max(p.cols.1));
        self.wide = self.wide.max(p.wide);
        self.rows.1 = p.rows.1;
    }

    /// Whether the two names share a character column.
    fn overlaps(&self, other: &HTok<'_>) -> bool {
        self.cols.0 < other.cols.1 && other.cols.0 < self.cols.1
    }
}

/// What a header name heads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Serial,
    Code,
    Label,
    /// `功能分类科目`: spans the code and name columns below it, or is the name column.
    LabelGroup,
    Amount,
}

/// `total = Σ parts` between value columns of one side (indices into [`Side::amounts`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Identity {
    pub total: usize,
    pub parts: Vec<usize>,
}

/// One side of a table (a one-sided table has one).
#[derive(Clone, Debug, Default)]
pub(crate) struct Side {
    pub group: Option<String>,
    pub label_col: Option<usize>,
    pub code_col: Option<usize>,
    pub serial_col: Option<usize>,
    /// Table column indices of the value columns, left to right.
    pub amounts: Vec<usize>,
    pub identities: Vec<Identity>,
}

/// The header of a table.
#[derive(Clone, Debug, Default)]
pub(crate) struct Layout {
    pub columns: Vec<Column>,
    pub sides: Vec<Side>,
    /// The header names the columns' classification scheme (`功能分类科目` → 功能).
    pub scheme_hint: Option<shenhe_model::Scheme>,
}

/// Names that are whole header cells even when short (never wrapped fragments).
const SHORT_WORDS: &[&str] = &[
    "合计", "小计", "总计", "项目", "序号", "金额", "名称", "单位", "类", "款", "项", "科目",
    "编码", "收入", "支出", "备注",
];

pub(crate) fn role_of(text: &str) -> Role {
    // A note in brackets after the name (`项目(按功能分类)`) does not change what it heads.
    let t = if text.ends_with([')', '）']) {
        match text.find(['(', '（']) {
            Some(p) if p > 0 => text.get(..p).unwrap_or(text),
            _ => text,
        }
    } else {
        text
    };
    if matches!(t, "序号" | "行次" | "编号") {
        return Role::Serial;
    }
    // A character search first: most names have no `码`.
    if (has_char(t, '码') && (has(t, "编码") || has(t, "代码"))) || matches!(t, "类" | "款" | "项")
    {
        return Role::Code;
    }
    if t.ends_with("科目") {
        return Role::LabelGroup;
    }
    if matches!(t, "项目" | "名称" | "单位" | "科目" | "收入" | "支出")
        || t.ends_with("名称")
        || (t.starts_with('按') && t.ends_with('分'))
        || t.ends_with("项目")
    {
        return Role::Label;
    }
    Role::Amount
}

/// Whether a column name is a total of its siblings.
pub(crate) fn is_total_name(t: &str) -> bool {
    !t.starts_with("其中")
        && (matches!(t, "合计" | "小计" | "总计")
            || t.ends_with("合计")
            || t.ends_with("总计")
            || t.ends_with("小计"))
}

/// Whether a column's values may be summed (not a rate, a ratio or a change).
fn summable(t: &str) -> bool {
    // Character searches first: the words are looked for only where their first character is.
    !(t.contains(['%', '％', '率'])
        || (has_char(t, '比') && (has(t, "比重") || has(t, "比上年")))
        || (has_char(t, '增') && has(t, "增减"))
        || t.starts_with("其中"))
}

/// Reads the header lines into tokens, merging wrapped fragments and spaced-out names. In a
/// table whose columns are aligned by spaces (`aligned`, as `pdftotext -layout` writes
/// them), wrapped names are found by their columns ([`stack_wrapped`]); otherwise a line
/// holding only a short fragment continues the line before.
pub(crate) fn header_tokens<'a>(lines: &[&Line<'a>], aligned: bool) -> Vec<Vec<HTok<'a>>> {
    let mut out: Vec<Vec<HTok<'a>>> = Vec::with_capacity(lines.len());
    // A line's tokens, in a buffer reused from line to line.
    let mut toks: Vec<crate::text::Token<'_>> = Vec::new();
    for line in lines {
        toks.clear();
        toks.extend(line.token_iter());
        let mut row: Vec<HTok> = Vec::with_capacity(toks.len());
        let mut i = 0usize;
        while let Some(t) = toks.get(i) {
            // A run of single ideographs (`收 入 支 出`) is one spaced-out name, except 类 款 项.
            let single = |s: &str| {
                let mut cs = s.chars();
                matches!((cs.next(), cs.next()), (Some(c), None) if is_han(c) && !matches!(c, '类' | '款' | '项'))
            };
            if single(t.text) {
                let mut j = i;
                let mut text = Cow::Borrowed("");
                let mut loc = line.tok_loc(t);
                let mut cols = (loc.column, loc.column);
                while let Some(u) = toks.get(j) {
                    if !single(u.text) {
                        break;
                    }
                    if text.is_empty() {
                        text = Cow::Borrowed(u.text);
                    } else {
                        text.to_mut().push_str(u.text);
                    }
                    let at = line.tok_loc(u);
                    cols.1 = at.column + 1;
                    loc = loc.join(at);
                    j += 1;
                }
                let wide = crate::text::width(&text) as u32;
                row.push(HTok {
                    text,
                    loc,
                    cols,
                    wide,
                    rows: (out.len(), out.len()),
                    line: out.len(),
                    unit: None,
                    role: Role::Amount,
                });
                i = j;
                continue;
            }
            let loc = line.tok_loc(t);
            row.push(HTok {
                text: Cow::Borrowed(t.text),
                loc,
                cols: (loc.column, loc.column + t.text.chars().count() as u32),
                wide: crate::text::width(t.text) as u32,
                rows: (out.len(), out.len()),
                line: out.len(),
                unit: None,
                role: Role::Amount,
            });
            i += 1;
        }
        if aligned {
            if !row.is_empty() {
                out.push(row);
            }
            continue;
        }
        // A line holding only a short fragment continues the last name of the line before
        // (`因公出国（境）` + `费用`); a unit in brackets (`（万元）`) belongs to it too.
        if let [only] = row.as_slice() {
            if let Some(unit) = bracket_unit(&only.text)
                && let Some(prev) = out.last_mut().and_then(|r| r.last_mut())
            {
                prev.unit = Some(unit);
                prev.loc = prev.loc.join(only.loc);
                continue;
            }
            let is_fragment = only.text.chars().count() <= 2
                && !SHORT_WORDS.contains(&only.text.as_ref())
                && !only.text.chars().all(|c| c.is_ascii_digit());
            if is_fragment && let Some(prev) = out.last_mut().and_then(|r| r.last_mut()) {
                prev.text.to_mut().push_str(&only.text);
                prev.loc = prev.loc.join(only.loc);
                continue;
            }
        }
        if !row.is_empty() {
            out.push(row);
        }
    }
    if aligned {
        stack_wrapped(&mut out);
    }
    // Units written into a name: `预算数（万元）`; then each name's role, on its final text.
    for row in &mut out {
        for t in row.iter_mut() {
            if let Some((name_len, unit)) = split_unit(&t.text) {
                match &mut t.text {
                    Cow::Borrowed(s) => *s = s.get(..name_len).unwrap_or(s),
                    Cow::Owned(s) => s.truncate(name_len),
                }
                t.unit = Some(unit);
            }
            t.role = role_of(&t.text);
        }
    }
    out
}

/// Joins the pieces of header names wrapped over several lines of an aligned header (as
/// `pdftotext -layout` prints a cell of two or three lines: `一般公共` / `预算财政` / `拨款`).
///
/// A piece continues the name above it when it stands under it (the nearest line below that
/// has anything in its columns, lines between may hold other names), alone there, and in the
/// same place: same first column or same centre. What tells a wrapped cell from a group name
/// above its first column (`收入预算` over `事业收入 … 其他收入`) is where the pieces stand
/// against the header's main line (the line holding the most names; single-line cells are
/// printed on it): a wrapped cell is centred on it, so its pieces are on both sides of it,
/// around it or start on it; pieces that end on it, coming from above, are a group name and
/// its first column. A joined name is placed on the main line when its pieces reach it (so
/// the columns stay in one line), else on the line of its first piece.
fn stack_wrapped(lines: &mut Vec<Vec<HTok<'_>>>) {
    let Some(main) = lines
        .iter()
        .enumerate()
        .max_by_key(|(i, l)| (l.len(), std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
    else {
        return;
    };
    let same_place = |a: &HTok<'_>, b: &HTok<'_>| {
        // Centres compared doubled, to stay in integers: within one and a half columns.
        let centre2 = |t: &HTok<'_>| i64::from(t.cols.0) + i64::from(t.cols.1);
        a.cols.0.abs_diff(b.cols.0) <= 1 || (centre2(a) - centre2(b)).abs() <= 3
    };
    // Each joined name, with the lines of its first and last piece; the pieces are marked
    // taken.
    let mut taken: Vec<Vec<bool>> = lines.iter().map(|l| vec![false; l.len()]).collect();
    let mut joined: Vec<(usize, usize, HTok<'_>)> = Vec::new();
    for li in 0..lines.len() {
        for ti in 0..lines.get(li).map_or(0, Vec::len) {
            if taken
                .get(li)
                .and_then(|t| t.get(ti))
                .copied()
                .unwrap_or(true)
            {
                continue;
            }
            let Some(first) = lines.get(li).and_then(|l| l.get(ti)) else {
                continue;
            };
            if SHORT_WORDS.contains(&first.text.as_ref()) {
                continue;
            }
            let mut chain = vec![(li, ti)];
            let (mut cur, mut span) = ((li, ti), first.clone());
            // `span` becomes the joined name as the pieces are found.
            'down: for lj in li + 1..lines.len() {
                let Some(below) = lines.get(lj) else { break };
                let under: Vec<usize> = (0..below.len())
                    .filter(|&k| below.get(k).is_some_and(|u| span.overlaps(u)))
                    .collect();
                match under.as_slice() {
                    [] => continue,
                    [k] => {
                        let (Some(u), Some(last)) =
                            (below.get(*k), lines.get(cur.0).and_then(|l| l.get(cur.1)))
                        else {
                            break;
                        };
                        // Alone under the name: no other name of the name's line stands
                        // over it (else it is the column under a group).
                        let others_over = lines.get(li).is_some_and(|l| {
                            l.iter().enumerate().any(|(m, o)| m != ti && o.overlaps(u))
                        });
                        // A column among others close by (`小计 购置费 运行费` under
                        // `公务用车购置及运行费`) is under a group name, not its rest: the
                        // pieces of a wrapped name stand clear of their neighbours by half its
                        // width.
                        let half = (span.cols.1 - span.cols.0) / 2;
                        let near = (span.cols.0.saturating_sub(half), span.cols.1 + half);
                        let crowded = below
                            .iter()
                            .enumerate()
                            .any(|(m, v)| m != *k && v.cols.0 < near.1 && near.0 < v.cols.1);
                        // A name ending in `费` (`公务用车购置及运行费`) or a total is whole:
                        // what stands under it is a column of its group.
                        let whole = span.text.ends_with('费') || is_total_name(&span.text);
                        if others_over
                            || crowded
                            || whole
                            || !same_place(last, u)
                            || taken
                                .get(lj)
                                .and_then(|t| t.get(*k))
                                .copied()
                                .unwrap_or(true)
                        {
                            break 'down;
                        }
                        chain.push((lj, *k));
                        span.absorb(u);
                        cur = (lj, *k);
                    }
                    _ => break,
                }
            }
            let (top, bottom) = (li, cur.0);
            let group_over_column = top < main && bottom == main;
            if chain.len() < 2 || group_over_column {
                continue;
            }
            for &(l, k) in &chain {
                if let Some(t) = taken.get_mut(l).and_then(|t| t.get_mut(k)) {
                    *t = true;
                }
            }
            joined.push((top, bottom, span));
        }
    }
    if joined.is_empty() {
        return;
    }
    // Where each joined name goes, judged on the lines as read. A wrapped name with nothing
    // under it is a column of its own, printed over the header's whole height: it belongs with
    // the main line's columns.
    let placed: Vec<(usize, HTok<'_>)> = joined
        .into_iter()
        .map(|(top, bottom, tok)| {
            let leaf = lines
                .iter()
                .skip(bottom + 1)
                .all(|l| l.iter().all(|u| !tok.overlaps(u)));
            let at = if (top..=bottom).contains(&main) || (leaf && bottom < main) {
                main
            } else {
                top
            };
            (at, tok)
        })
        .collect();
    // Drop the pieces, put the joined names in, keep each line in column order.
    for (li, row) in lines.iter_mut().enumerate() {
        let mut k = 0usize;
        row.retain(|_| {
            let keep = !taken
                .get(li)
                .and_then(|t| t.get(k))
                .copied()
                .unwrap_or(false);
            k += 1;
            keep
        });
    }
    for (at, tok) in placed {
        if let Some(row) = lines.get_mut(at) {
            row.push(tok);
        }
    }
    lines.retain(|l| !l.is_empty());
    for (li, row) in lines.iter_mut().enumerate() {
        row.sort_by_key(|t| t.cols.0);
        for t in row.iter_mut() {
            t.line = li;
        }
    }
}

/// Puts each side's value columns in the order their names stand on the page, for an aligned
/// header: the header tree is built from the order of the names line by line, which puts a
/// column printed over the header's whole height (`机关运行经费预算数`, right of a group's
/// columns on the line below) before that group's columns. The identities follow.
pub(crate) fn order_by_position(layout: &mut Layout) {
    let columns = &layout.columns;
    let at = |c: usize| columns.get(c).and_then(|c| c.loc).map(|l| l.column);
    for side in &mut layout.sides {
        let mut order: Vec<usize> = (0..side.amounts.len()).collect();
        if side.amounts.iter().any(|&c| at(c).is_none()) {
            continue;
        }
        order.sort_by_key(|&i| side.amounts.get(i).and_then(|&c| at(c)));
        if order.iter().enumerate().all(|(k, &i)| k == i) {
            continue;
        }
        // new index of each old index
        let mut new_of = vec![0usize; order.len()];
        for (k, &i) in order.iter().enumerate() {
            if let Some(slot) = new_of.get_mut(i) {
                *slot = k;
            }
        }
        side.amounts = order
            .iter()
            .filter_map(|&i| side.amounts.get(i).copied())
            .collect();
        for id in &mut side.identities {
            id.total = new_of.get(id.total).copied().unwrap_or(id.total);
            for p in &mut id.parts {
                *p = new_of.get(*p).copied().unwrap_or(*p);
            }
        }
    }
}

fn bracket_unit(s: &str) -> Option<Unit> {
    let inner = s.strip_prefix(['（', '('])?.strip_suffix(['）', ')'])?;
    let inner = inner
        .trim_start_matches("单位")
        .trim_start_matches(['：', ':']);
    Unit::parse(inner)
}

/// A name with a unit in brackets at its end (`预算数（万元）`): the byte length of the name
/// before the bracket, and the unit.
fn split_unit(s: &str) -> Option<(usize, Unit)> {
    for open in ['（', '('] {
        if let Some(pos) = s.rfind(open) {
            let unit = bracket_unit(s.get(pos..)?)?;
            if pos > 0 {
                return Some((pos, unit));
            }
        }
    }
    None
}

/// Builds the layout from header tokens. `n_hint` is the number of value columns the
/// numbering line shows, if any.
pub(crate) fn build(
    lines: &[Vec<HTok<'_>>],
    n_hint: Option<usize>,
    aligned: bool,
    table_name: &str,
    warnings: &mut Vec<IngestWarning>,
) -> Layout {
    let scheme_hint = lines.iter().flatten().find_map(|t| {
        if t.role == Role::Amount {
            return None;
        }
        if has(&t.text, "功能") {
            Some(shenhe_model::Scheme::Functional)
        } else if has(&t.text, "经济") {
            Some(shenhe_model::Scheme::Economic)
        } else {
            None
        }
    });
    let mut layout = Layout {
        scheme_hint,
        ..Layout::default()
    };
    // Two-sided: a line with two name columns, each followed by value columns.
    let two_sided = lines
        .iter()
        .enumerate()
        .find_map(|(li, row)| side_labels(row).map(|labels| (li, labels)));
    if let Some((li, labels)) = two_sided {
        build_two_sided(&mut layout, lines, li, &labels);
        return layout;
    }
    if !aligned && let Some((line, labels)) = stacked_two_sided(lines) {
        build_two_sided(&mut layout, std::slice::from_ref(&line), 0, &labels);
        return layout;
    }
    build_one_sided(&mut layout, lines, n_hint, aligned, table_name, warnings);
    layout
}

/// Where two sides stand in a header printed one cell per line, as text taken in the PDF's
/// drawing order (`pdftotext -raw`) gives it:
///
/// ```text
/// 经济分类
/// 科目编码
/// 科目名称 决算数
/// 经济分类
/// 科目编码
/// 科目名称 决算数
/// ```
///
/// The header's names read as one line, a name alone on its line joined with the next one
/// when together they head the same thing as the next alone (`经济分类` + `科目编码`, a code
/// column). It is two-sided when that line is: two or more name columns, apart, the last
/// followed by value columns, and every side's name column printed alike (the sides of such
/// a table repeat one header; a one-sided header wrapped over lines does not).
fn stacked_two_sided<'a>(lines: &[Vec<HTok<'a>>]) -> Option<(Vec<HTok<'a>>, Vec<usize>)> {
    // Joining keeps the number of name columns: with fewer than two, nothing to read.
    let names = lines.iter().flatten().filter(|t| t.role == Role::Label);
    if lines.len() < 2 || names.take(2).count() < 2 {
        return None;
    }
    let mut flat: Vec<HTok<'a>> = Vec::with_capacity(lines.iter().map(Vec::len).sum());
    // Whether the last name taken stood alone on its line.
    let mut last_alone = false;
    for row in lines {
        for (k, t) in row.iter().enumerate() {
            if k == 0
                && last_alone
                && matches!(t.role, Role::Code | Role::Label)
                && let Some(prev) = flat.last_mut()
                && prev.role == Role::Amount
                && !is_total_name(&prev.text)
            {
                let joined = format!("{}{}", prev.text, t.text);
                if role_of(&joined) == t.role {
                    prev.absorb(t);
                    prev.role = t.role;
                    continue;
                }
            }
            let mut t = t.clone();
            t.line = 0;
            flat.push(t);
        }
        last_alone = row.len() == 1;
    }
    let labels = side_labels(&flat)?;
    let first = flat.get(*labels.first()?)?;
    let alike = labels
        .iter()
        .all(|&l| flat.get(l).is_some_and(|t| t.text == first.text));
    alike.then_some((flat, labels))
}

/// The name columns of a header line that heads two or more sides: two or more, apart, the
/// last followed by value columns.
fn side_labels(row: &[HTok<'_>]) -> Option<Vec<usize>> {
    let labels: Vec<usize> = row
        .iter()
        .enumerate()
        .filter(|(_, t)| t.role == Role::Label)
        .map(|(i, _)| i)
        .collect();
    let ok = labels.len() >= 2
        && labels.windows(2).all(|w| match w {
            [a, b] => b > &(a + 1),
            _ => false,
        })
        && labels.last().is_some_and(|&l| l + 1 < row.len());
    ok.then_some(labels)
}

fn build_two_sided(layout: &mut Layout, lines: &[Vec<HTok<'_>>], li: usize, labels: &[usize]) {
    let Some(row) = lines.get(li) else { return };
    let n_sides = labels.len();
    // Side names from the line above (`收 入 支 出` → 收入, 支出).
    let names: Vec<(String, Option<Loc>)> = match li.checked_sub(1).and_then(|p| lines.get(p)) {
        Some(above) if above.len() == n_sides => above
            .iter()
            .map(|t| (t.text.to_string(), Some(t.loc)))
            .collect(),
        Some(above) if above.len() == 1 => {
            let only = above.first();
            let chars: Vec<char> = only.map(|t| t.text.chars().collect()).unwrap_or_default();
            if chars.len().is_multiple_of(n_sides) && !chars.is_empty() {
                chars
                    .chunks(chars.len() / n_sides)
                    .map(|c| (c.iter().collect::<String>(), only.map(|t| t.loc)))
                    .collect()
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    };
    // Each side begins with the code or serial columns standing right before its name column
    // (`经济分类科目编码 科目名称 决算数 经济分类科目编码 科目名称 决算数`).
    let begins: Vec<usize> = labels
        .iter()
        .enumerate()
        .map(|(k, &l)| {
            let floor = match k.checked_sub(1).and_then(|p| labels.get(p)) {
                Some(&prev) => prev + 2,
                None => 0,
            };
            let mut b = l;
            while b > floor
                && row
                    .get(b - 1)
                    .is_some_and(|t| matches!(t.role, Role::Code | Role::Serial))
            {
                b -= 1;
            }
            b
        })
        .collect();
    for (k, &start) in labels.iter().enumerate() {
        let end = begins.get(k + 1).copied().unwrap_or(row.len());
        let Some(label_tok) = row.get(start) else {
            continue;
        };
        let (group, prefix) = match names.get(k) {
            Some((n, _)) => (n.clone(), vec![n.clone()]),
            None => (label_tok.text.to_string(), Vec::new()),
        };
        let mut side = Side {
            group: Some(group.clone()),
            ..Side::default()
        };
        for t in row
            .get(begins.get(k).copied().unwrap_or(start)..start)
            .unwrap_or_default()
        {
            let (kind, slot) = match t.role {
                Role::Serial => (ColumnKind::Serial, &mut side.serial_col),
                _ => (ColumnKind::Code, &mut side.code_col),
            };
            *slot = Some(push_col(layout, t, kind));
            if let Some(c) = layout.columns.last_mut() {
                c.group = Some(group.clone());
                c.path.splice(0..0, prefix.iter().cloned());
            }
        }
        side.label_col = Some(layout.columns.len());
        let mut path = prefix.clone();
        path.push(label_tok.text.to_string());
        layout.columns.push(Column {
            path,
            kind: ColumnKind::Label,
            number: None,
            group: Some(group.clone()),
            unit: label_tok.unit,
            loc: Some(label_tok.loc),
        });
        let mut leaves = Vec::new();
        for t in row.get(start + 1..end).unwrap_or_default() {
            let mut path = prefix.clone();
            path.push(t.text.to_string());
            side.amounts.push(layout.columns.len());
            leaves.push(t.text.as_ref());
            layout.columns.push(Column {
                path,
                kind: ColumnKind::Amount,
                number: None,
                group: Some(group.clone()),
                unit: t.unit,
                loc: Some(t.loc),
            });
        }
        // A flat side may still have `合计 = Σ others`.
        if let Some(total) = leaves.iter().position(|l| is_total_name(l)) {
            let parts: Vec<usize> = (0..leaves.len()).filter(|&i| i != total).collect();
            if !parts.is_empty() && leaves.iter().all(|l| summable(l)) {
                side.identities.push(Identity { total, parts });
            }
        }
        layout.sides.push(side);
    }
}

fn build_one_sided(
    layout: &mut Layout,
    lines: &[Vec<HTok<'_>>],
    n_hint: Option<usize>,
    aligned: bool,
    table_name: &str,
    warnings: &mut Vec<IngestWarning>,
) {
    let all: Vec<&HTok<'_>> = lines.iter().flatten().collect();
    let has_code_or_name = all
        .iter()
        .any(|t| matches!(t.role, Role::Code | Role::Label));
    let has_label = all
        .iter()
        .any(|t| matches!(t.role, Role::Label | Role::LabelGroup));
    let mut side = Side::default();
    if !has_label {
        // Every table has a name column even when its header does not say so.
        side.label_col = Some(layout.columns.len());
        layout.columns.push(Column {
            path: vec!["项目".into()],
            kind: ColumnKind::Label,
            ..Column::default()
        });
    }
    let mut amount_toks: Vec<&HTok<'_>> = Vec::new();
    let mut group_prefix: Option<String> = None;
    let mut code_parts: Vec<&HTok<'_>> = Vec::new();
    for t in &all {
        match t.role {
            Role::Serial if side.serial_col.is_none() => {
                side.serial_col = Some(push_col(layout, t, ColumnKind::Serial));
            }
            Role::Code if matches!(t.text.as_ref(), "类" | "款" | "项") => code_parts.push(t),
            Role::Code if side.code_col.is_none() => {
                side.code_col = Some(push_col(layout, t, ColumnKind::Code));
            }
            Role::LabelGroup if has_code_or_name => group_prefix = Some(t.text.to_string()),
            Role::Label | Role::LabelGroup if side.label_col.is_none() => {
                side.label_col = Some(push_col(layout, t, ColumnKind::Label));
            }
            // A second name header (`项目` over `科目名称`): the specific one names the column,
            // the general one becomes its group.
            Role::Label | Role::LabelGroup => {
                if let Some(col) = side.label_col.and_then(|c| layout.columns.get_mut(c))
                    && t.text.ends_with("名称")
                    && !col.name().ends_with("名称")
                {
                    let general = std::mem::replace(&mut col.path, vec![t.text.to_string()]);
                    group_prefix = group_prefix.or_else(|| general.last().cloned());
                    col.loc = Some(t.loc);
                }
            }
            Role::Serial | Role::Code => {}
            Role::Amount => amount_toks.push(t),
        }
    }
    if side.code_col.is_none() && !code_parts.is_empty() {
        let text: String = code_parts.iter().map(|t| t.text.as_ref()).collect();
        let loc = code_parts
            .iter()
            .map(|t| t.loc)
            .reduce(Loc::join)
            .unwrap_or_default();
        let tok = HTok {
            text: Cow::Owned(text),
            loc,
            cols: (loc.column, loc.column),
            wide: 0,
            rows: (0, 0),
            line: 0,
            unit: None,
            role: Role::Code,
        };
        side.code_col = Some(push_col(layout, &tok, ColumnKind::Code));
    }
    if let Some(prefix) = &group_prefix {
        for c in &mut layout.columns {
            c.path.insert(0, prefix.clone());
        }
    }
    // An aligned header of three or more lines of value-column names is read by where the
    // names stand; shallower ones by their order (it also knows `甲和乙费`).
    let depth = {
        let mut ls: Vec<usize> = amount_toks.iter().map(|t| t.line).collect();
        ls.dedup();
        ls.len()
    };
    let tree = if aligned && depth >= 3 && n_hint.is_none() {
        Tree::build_aligned(&amount_toks)
    } else {
        Tree::build(&amount_toks, n_hint)
    };
    let leaves = tree.leaves();
    let n = n_hint.unwrap_or(leaves.len());
    if leaves.len() != n {
        warnings.push(IngestWarning {
            code: "header-columns".into(),
            message: format!(
                "{table_name}：表头识别出 {} 个数值列，列号行却有 {n} 个；已按列号补齐或保留全部表头",
                leaves.len()
            ),
            loc: amount_toks.first().map(|t| t.loc),
        });
    }
    let mut amount_index = Vec::new();
    for (k, leaf) in leaves.iter().enumerate() {
        let path: Vec<String> = leaf.iter().map(|&i| tree.text(&amount_toks, i)).collect();
        let last = leaf.last().copied();
        let tok = last.and_then(|i| amount_toks.get(i));
        side.amounts.push(layout.columns.len());
        amount_index.push(last);
        layout.columns.push(Column {
            path,
            kind: ColumnKind::Amount,
            number: n_hint.map(|_| (k + 1).to_string()),
            group: None,
            unit: tok.and_then(|t| t.unit),
            loc: tok.map(|t| t.loc),
        });
    }
    for k in leaves.len()..n {
        side.amounts.push(layout.columns.len());
        layout.columns.push(Column {
            path: vec![format!("（第{}列）", k + 1)],
            kind: ColumnKind::Amount,
            number: Some((k + 1).to_string()),
            ..Column::default()
        });
    }
    side.identities = tree.identities(&amount_toks, &leaves);
    layout.sides.push(side);
}

fn push_col(layout: &mut Layout, t: &HTok<'_>, kind: ColumnKind) -> usize {
    layout.columns.push(Column {
        path: vec![t.text.to_string()],
        kind,
        number: None,
        group: None,
        unit: t.unit,
        loc: Some(t.loc),
    });
    layout.columns.len() - 1
}

/// One bottom-up pass of [`Tree::build_aligned`]: the tree, the runs the names took (a
/// name, its run's tokens), and the names left over a group they could not head.
struct Aligned {
    tree: Tree,
    runs: Vec<(usize, Vec<usize>)>,
    orphans: Vec<usize>,
}

/// The header tree over value-column names (indices into the token list).
struct Tree {
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
}

impl Tree {
    fn build(toks: &[&HTok<'_>], n_hint: Option<usize>) -> Tree {
        let n = toks.len();
        let mut parent: Vec<Option<usize>> = vec![None; n];
        let mut is_group = vec![false; n];
        let text = |i: usize| toks.get(i).map(|t| t.text.as_ref()).unwrap_or("");
        // (a) `甲和乙费` heads the following names that share its beginning.
        for g in 0..n {
            let name = text(g);
            if !(has_char(name, '和') || has_char(name, '及') || has_char(name, '与')) {
                continue;
            }
            let mut run = Vec::new();
            for k in g + 1..n {
                if parent.get(k).copied().flatten().is_some() || is_group.get(k) == Some(&true) {
                    break;
                }
                if common_prefix_chars(name, text(k)) >= 2 {
                    run.push(k);
                } else {
                    break;
                }
            }
            if run.len() >= 2 {
                if let Some(slot) = is_group.get_mut(g) {
                    *slot = true;
                }
                for k in run {
                    if let Some(p) = parent.get_mut(k) {
                        *p = Some(g);
                    }
                }
            }
        }
        // (b) A `合计`/`小计` below the first line sums its siblings under a parent: the earliest
        // free name on an earlier line. Only as many parents as the column count allows.
        let leaves = |is_group: &[bool]| is_group.iter().filter(|g| !**g).count();
        let first_line = toks.first().map(|t| t.line).unwrap_or(0);
        let totals: Vec<usize> = (0..n)
            .filter(|&j| {
                matches!(text(j), "合计" | "小计")
                    && toks.get(j).is_some_and(|t| t.line > first_line)
            })
            .collect();
        for (ti, &j) in totals.iter().enumerate() {
            if parent.get(j).copied().flatten().is_some() {
                continue;
            }
            if let Some(want) = n_hint
                && leaves(&is_group) <= want
            {
                break;
            }
            let line_j = toks.get(j).map(|t| t.line).unwrap_or(0);
            let end = totals.get(ti + 1).copied().unwrap_or(n);
            // A `小计`'s parent is the name the run's names are parts of (`公务用车购置及运行费`
            // over `小计 购置费 运行费`: each shares two chars in a row with it), when one name
            // on an earlier line is, even under a group of its own; else, and for a `合计`, the
            // earliest free name. (The earliest free name is asked first: when it is such a
            // name, it is the answer either way.)
            let part_of = |g: usize| {
                let mut parts = (j + 1..end).map(text).filter(|t| !is_total_name(t));
                let mut any = false;
                parts.all(|p| {
                    any = true;
                    shares_pair(text(g), p)
                }) && any
            };
            let candidate = |g: &usize| {
                !is_group.get(*g).copied().unwrap_or(true)
                    && !is_total_name(text(*g))
                    && toks.get(*g).is_some_and(|t| t.line < line_j)
            };
            let earliest = (0..j)
                .filter(candidate)
                .find(|&g| parent.get(g).copied().flatten().is_none());
            let g = match earliest {
                // A `合计` totals the group it starts; a `小计` may total a group inside it.
                _ if text(j) != "小计" => earliest,
                Some(e) if part_of(e) => Some(e),
                _ => {
                    let mut by_name = (0..j).filter(candidate).filter(|&g| part_of(g));
                    match (by_name.next(), by_name.next()) {
                        (Some(g), None) => Some(g),
                        _ => earliest,
                    }
                }
            };
            let Some(g) = g else { continue };
            if let Some(slot) = is_group.get_mut(g) {
                *slot = true;
            }
            for k in j..end {
                if k != g
                    && parent.get(k).copied().flatten().is_none()
                    && let Some(p) = parent.get_mut(k)
                {
                    *p = Some(g);
                }
            }
        }
        // (c) Still more names than columns: the earliest line's names head the next line's
        // names, split evenly.
        if let Some(want) = n_hint {
            let free_lines: Vec<usize> = {
                let mut ls: Vec<usize> = toks
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| {
                        parent.get(*i).copied().flatten().is_none()
                            && !is_group.get(*i).copied().unwrap_or(true)
                    })
                    .map(|(_, t)| t.line)
                    .collect();
                ls.dedup();
                ls
            };
            if leaves(&is_group) > want
                && let [upper, lower, ..] = free_lines.as_slice()
            {
                let ups: Vec<usize> = (0..n)
                    .filter(|&i| {
                        toks.get(i).is_some_and(|t| t.line == *upper)
                            && parent.get(i).copied().flatten().is_none()
                            && !is_group.get(i).copied().unwrap_or(true)
                            && !is_total_name(text(i))
                    })
                    .collect();
                let lows: Vec<usize> = (0..n)
                    .filter(|&i| {
                        toks.get(i).is_some_and(|t| t.line == *lower)
                            && parent.get(i).copied().flatten().is_none()
                    })
                    .collect();
                if !ups.is_empty()
                    && lows.len().is_multiple_of(ups.len())
                    && lows.len() > ups.len()
                    && leaves(&is_group) - ups.len() == want
                {
                    let per = lows.len() / ups.len();
                    for (gi, &g) in ups.iter().enumerate() {
                        if let Some(slot) = is_group.get_mut(g) {
                            *slot = true;
                        }
                        for &k in lows.iter().skip(gi * per).take(per) {
                            if let Some(p) = parent.get_mut(k) {
                                *p = Some(g);
                            }
                        }
                    }
                }
            }
        }
        let mut children = vec![Vec::new(); n];
        for (k, p) in parent.iter().enumerate() {
            if let Some(p) = p
                && let Some(c) = children.get_mut(*p)
            {
                c.push(k);
            }
        }
        Tree { parent, children }
    }

    /// The tree of an aligned header, bottom up: a name heads the run of two or more
    /// neighbouring columns (or groups) below it that is centred under it (the nearest centre;
    /// of equally near runs the shorter), the run reaching at least as far as the name does
    /// and starting below the name's last line (a name wrapped down to the line of `小计` is
    /// not its group). A name with no such run below is a column.
    ///
    /// Names are taken one at a time, so a group may take a run that the name above it needed
    /// (`项目支出` centred over `基本支出 小计 其中：…` leaves `本年支出` above it nothing to
    /// head). When a name is left over a group it could not join, the pass is made again with
    /// one group's run forbidden, for each group in turn (it takes its next best run), and the
    /// tree that leaves the fewest such names is kept (the first with none ends the search).
    fn build_aligned(toks: &[&HTok<'_>]) -> Tree {
        /// How many groups' runs are forbidden in turn at most.
        const MAX_RETRIES: usize = 32;
        let first = Self::assign_aligned(toks, &[]);
        if first.orphans.is_empty() {
            return first.tree;
        }
        let mut best = first;
        // A real header has a handful of groups; text that only looks like a header (a page of
        // prose before the first number) may have hundreds, and each retry is a whole pass.
        let tried: Vec<(usize, Vec<usize>)> = best.runs.iter().take(MAX_RETRIES).cloned().collect();
        for (name, run) in tried {
            let retry = Self::assign_aligned(toks, &[(name, run)]);
            if retry.orphans.len() < best.orphans.len() {
                best = retry;
                if best.orphans.is_empty() {
                    break;
                }
            }
        }
        best.tree
    }

    /// [`build_aligned`]'s bottom-up pass, with the runs in `forbid` (a name, the tokens of
    /// a run) not taken.
    fn assign_aligned(toks: &[&HTok<'_>], forbid: &[(usize, Vec<usize>)]) -> Aligned {
        let n = toks.len();
        let mut parent: Vec<Option<usize>> = vec![None; n];
        // The free nodes so far, left to right: (token, left, right) in columns as printed.
        let mut level: Vec<(usize, i64, i64)> = Vec::new();
        let top_of = |k: usize| toks.get(k).map_or(0, |t| t.rows.0);
        let mut heads: Vec<bool> = vec![false; n];
        let mut runs: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut orphans: Vec<usize> = Vec::new();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| {
            toks.get(i)
                .map(|t| (std::cmp::Reverse(t.line), t.cols.0))
                .unwrap_or_default()
        });
        for i in order {
            let Some(t) = toks.get(i) else { continue };
            let (l, r) = (i64::from(t.cols.0), i64::from(t.cols.0 + t.wide.max(1)));
            let centre2 = l + r;
            let members = |a: usize, b: usize| -> Vec<usize> {
                level
                    .get(a..=b)
                    .unwrap_or_default()
                    .iter()
                    .map(|&(k, _, _)| k)
                    .collect()
            };
            // The best run [a, b] of the free nodes.
            let mut best: Option<(i64, usize, usize, usize)> = None;
            for a in 0..level.len() {
                let Some(&(ka, rl, _)) = level.get(a) else {
                    continue;
                };
                // Under the name (no column of its own line among them): a run that holds one
                // that is not, and every longer run from `a`, is no candidate.
                if top_of(ka) <= t.rows.1 {
                    continue;
                }
                for b in a + 1..level.len() {
                    let Some(&(kb, _, rr)) = level.get(b) else {
                        continue;
                    };
                    if top_of(kb) <= t.rows.1 {
                        break;
                    }
                    // As wide as the name.
                    if rl > l + 1 || rr + 1 < r {
                        continue;
                    }
                    let off = ((rl + rr) - centre2).abs();
                    // Centred: within a sixth of the run's width, or two columns.
                    if off > ((rr - rl) / 3).max(4) {
                        continue;
                    }
                    if forbid
                        .iter()
                        .any(|(f, run)| *f == i && *run == members(a, b))
                    {
                        continue;
                    }
                    let key = (off, b - a, a, b);
                    if best.is_none_or(|x| key < x) {
                        best = Some(key);
                    }
                }
            }
            match best {
                Some((_, _, mut a, b)) => {
                    let chosen = members(a, b);
                    // A total right before the run sums the run's columns: it is one of them
                    // (`合计` printed at the far left, under the group name's reach).
                    if let Some(&(k, _, _)) = a.checked_sub(1).and_then(|p| level.get(p))
                        && top_of(k) > t.rows.1
                        && toks.get(k).is_some_and(|x| is_total_name(&x.text))
                        && heads.get(k) == Some(&false)
                    {
                        a -= 1;
                    }
                    let (mut lo, mut hi) = (l, r);
                    for &(k, kl, kr) in level.get(a..=b).unwrap_or_default() {
                        if let Some(p) = parent.get_mut(k) {
                            *p = Some(i);
                        }
                        lo = lo.min(kl);
                        hi = hi.max(kr);
                    }
                    level.splice(a..=b, [(i, lo, hi)]);
                    if let Some(h) = heads.get_mut(i) {
                        *h = true;
                    }
                    runs.push((i, chosen));
                }
                None => {
                    // Left over a group below it that it overlaps: it could not head it.
                    let over_group = level.iter().any(|&(k, kl, kr)| {
                        heads.get(k) == Some(&true) && top_of(k) > t.rows.1 && kl < r && kr > l
                    });
                    if over_group {
                        orphans.push(i);
                    }
                    let at = level.partition_point(|&(_, kl, _)| kl < l);
                    level.insert(at, (i, l, r));
                }
            }
        }
        let mut children = vec![Vec::new(); n];
        for (k, p) in parent.iter().enumerate() {
            if let Some(p) = p
                && let Some(c) = children.get_mut(*p)
            {
                c.push(k);
            }
        }
        for c in &mut children {
            c.sort_by_key(|&k| toks.get(k).map(|t| t.cols.0));
        }
        Aligned {
            tree: Tree { parent, children },
            runs,
            orphans,
        }
    }

    fn text(&self, toks: &[&HTok<'_>], i: usize) -> String {
        toks.get(i).map(|t| t.text.to_string()).unwrap_or_default()
    }

    fn roots(&self) -> Vec<usize> {
        (0..self.parent.len())
            .filter(|&i| self.parent.get(i).copied().flatten().is_none())
            .collect()
    }

    fn kids(&self, i: usize) -> &[usize] {
        self.children.get(i).map(Vec::as_slice).unwrap_or_default()
    }

    /// Leaves left to right, each as its path of token indices from the root.
    fn leaves(&self) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        let mut path = Vec::new();
        for r in self.roots() {
            self.collect(r, &mut path, &mut out);
        }
        out
    }

    fn collect(&self, i: usize, path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        path.push(i);
        if self.kids(i).is_empty() {
            out.push(path.clone());
        } else {
            for &k in self.kids(i) {
                self.collect(k, path, out);
            }
        }
        path.pop();
    }

    /// `合计 = Σ siblings` for every node (and the top level) that has a total among its
    /// children. A sibling that is a group counts as its own total, or the sum of its leaves.
    fn identities(&self, toks: &[&HTok<'_>], leaves: &[Vec<usize>]) -> Vec<Identity> {
        let leaf_of = |tok: usize| leaves.iter().position(|p| p.last() == Some(&tok));
        let text = |i: usize| toks.get(i).map(|t| t.text.as_ref()).unwrap_or("");
        let mut out = Vec::new();
        let mut sets: Vec<Vec<usize>> = vec![self.roots()];
        sets.extend(
            (0..self.parent.len())
                .filter(|&i| !self.kids(i).is_empty())
                .map(|i| self.kids(i).to_vec()),
        );
        for sibs in sets {
            let Some(total_tok) = sibs
                .iter()
                .copied()
                .find(|&s| self.kids(s).is_empty() && is_total_name(text(s)))
            else {
                continue;
            };
            let Some(total) = leaf_of(total_tok) else {
                continue;
            };
            let mut parts = Vec::new();
            let mut ok = true;
            for &s in &sibs {
                if s == total_tok {
                    continue;
                }
                if !self.contribution(s, toks, &leaf_of, &mut parts) {
                    ok = false;
                }
            }
            let all_summable = sibs.iter().all(|&s| summable(text(s)));
            if ok && all_summable && !parts.is_empty() {
                out.push(Identity { total, parts });
            }
        }
        out
    }

    fn contribution(
        &self,
        node: usize,
        toks: &[&HTok<'_>],
        leaf_of: &dyn Fn(usize) -> Option<usize>,
        parts: &mut Vec<usize>,
    ) -> bool {
        let text = |i: usize| toks.get(i).map(|t| t.text.as_ref()).unwrap_or("");
        if !summable(text(node)) {
            return false;
        }
        let kids = self.kids(node);
        if kids.is_empty() {
            return match leaf_of(node) {
                Some(l) => {
                    parts.push(l);
                    true
                }
                None => false,
            };
        }
        if let Some(&t) = kids
            .iter()
            .find(|&&k| self.kids(k).is_empty() && is_total_name(text(k)))
        {
            return match leaf_of(t) {
                Some(l) => {
                    parts.push(l);
                    true
                }
                None => false,
            };
        }
        kids.iter()
            .all(|&k| self.contribution(k, toks, leaf_of, parts))
    }
}

/// Whether `a` and `b` have two chars in a row in common (`购置` of `购置费` and
/// `公务用车购置及运行费`).
fn shares_pair(a: &str, b: &str) -> bool {
    // The pairs of `b` as byte ranges of `b` itself (no copies): each from a char's start to
    // the end of the char after it.
    let mut bounds = b
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(b.len()));
    let (Some(mut first), Some(mut second)) = (bounds.next(), bounds.next()) else {
        return false;
    };
    for end in bounds {
        if b.get(first..end).is_some_and(|pair| a.contains(pair)) {
            return true;
        }
        first = second;
        second = end;
    }
    false
}

fn common_prefix_chars(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Source;

    fn layout(text: &str, n: Option<usize>) -> Layout {
        let src = Source::new(text);
        let lines: Vec<&Line<'_>> = src.lines.iter().filter(|l| !l.content.is_empty()).collect();
        let toks = header_tokens(&lines, false);
        let mut w = Vec::new();
        build(&toks, n, false, "表", &mut w)
    }

    /// An aligned header (as `pdftotext -layout` prints it): wrapped names found by column.
    fn aligned(text: &str) -> Layout {
        let src = Source::new(text);
        let lines: Vec<&Line<'_>> = src.lines.iter().filter(|l| !l.content.is_empty()).collect();
        let toks = header_tokens(&lines, true);
        let mut w = Vec::new();
        let mut l = build(&toks, None, true, "表", &mut w);
        order_by_position(&mut l);
        l
    }

    fn amounts(l: &Layout, side: usize) -> Vec<String> {
        l.sides[side]
            .amounts
            .iter()
            .map(|&c| l.columns[c].path.join("/"))
            .collect()
    }

    #[test]
    fn wrapped_names_by_column() {
        // (Lines from the corpus PDFs as `pdftotext -layout` writes them.) A cell of three
        // lines centred on the main line, beside single-line cells.
        let l = aligned(concat!(
            "               收入                                 支出\n",
            "                                                           一般公共      政府性基    国有资本\n",
            "        项目          决算数                  项目      合计        预算财政      金预算财    经营预算\n",
            "                                                            拨款       政拨款     财政拨款\n",
        ));
        assert_eq!(
            paths(&l),
            vec![
                "收入/项目",
                "收入/决算数",
                "支出/项目",
                "支出/合计",
                "支出/一般公共预算财政拨款",
                "支出/政府性基金预算财政拨款",
                "支出/国有资本经营预算财政拨款"
            ]
        );
        // A group name over the first of its columns is not wrapped into it; a name ending in
        // 费 is whole; a cell printed over the header's height goes with the main line's
        // columns, in page order; the 合计 at the far left belongs to the group it sums.
        let l = aligned(concat!(
            "                            “三公”经费预算数\n",
            "                                                             机关运行经费预算\n",
            "                                          公务用车购置及运行费\n",
            "                                                                 数\n",
            "   合计          因公出国(境)费   公务接待费\n",
            "                                     小计      购置费       运行费\n",
        ));
        let names = amounts(&l, 0);
        let at = |w: &str| names.iter().position(|n| n.rsplit('/').next() == Some(w));
        for w in [
            "合计",
            "因公出国(境)费",
            "公务接待费",
            "小计",
            "购置费",
            "运行费",
        ] {
            assert!(at(w).is_some(), "{w}: {names:?}");
        }
        assert_eq!(at("机关运行经费预算数"), Some(names.len() - 1), "{names:?}");
        assert!(at("小计") < at("购置费") && at("购置费") < at("运行费"));
        assert!(
            names[0].starts_with("“三公”经费预算数/") && names[0].ends_with("/合计"),
            "{names:?}"
        );
        assert!(!names[names.len() - 1].starts_with("“三公”"), "{names:?}");
        // A heading and its first column, one above the other, stay two names.
        let l = aligned(concat!(
            "                   项目                                                收入预算\n",
            "功能分类科目编码                                                                     事业单位\n",
            "                       功能分类科目名称         合计           财政拨款收入           事业收入          其他收入\n",
            "类     款    项                                                                 经营收入\n",
        ));
        let names = paths(&l);
        assert!(names.iter().any(|p| p.ends_with("/事业收入")), "{names:?}");
        assert!(
            names.iter().any(|p| p.ends_with("事业单位经营收入")),
            "{names:?}"
        );
        assert!(
            names.iter().all(|p| !p.contains("收入预算事业")),
            "{names:?}"
        );
    }

    #[test]
    /// A three-level header: a name wrapped down to the line of `小计` does not head it.
    fn tree_by_position() {
        let l = aligned(concat!(
            "                                       财政拨款“三公”经费\n",
            "                                           公务用车购置及运行维护费\n",
            "                      因公出国\n",
            "         合计                                          公务用车            公务用车           公务接待费\n",
            "                      （境）费            小计\n",
            "                                                      购置费           运行维护费\n",
            "\n",
            "   预算数        决算数   预算数   决算数   预算数        决算数     预算数     决算数     预算数     决算数     预算数     决算数\n",
        ));
        let want = [
            "合计/预算数",
            "合计/决算数",
            "因公出国（境）费/预算数",
            "因公出国（境）费/决算数",
            "公务用车购置及运行维护费/小计/预算数",
            "公务用车购置及运行维护费/小计/决算数",
            "公务用车购置及运行维护费/公务用车购置费/预算数",
            "公务用车购置及运行维护费/公务用车购置费/决算数",
            "公务用车购置及运行维护费/公务用车运行维护费/预算数",
            "公务用车购置及运行维护费/公务用车运行维护费/决算数",
            "公务接待费/预算数",
            "公务接待费/决算数",
        ];
        let want: Vec<String> = want
            .iter()
            .map(|w| format!("财政拨款“三公”经费/{w}"))
            .collect();
        assert_eq!(amounts(&l, 0), want);
    }

    /// A group centred over more columns than its own (`项目支出` over `基本支出 小计 其中：…`)
    /// would leave the name above it (`本年支出`) nothing to head: it takes its next best
    /// run, under its own reach (SWU 2023 final accounts, table 4, as `pdftotext -layout`
    /// prints it).
    #[test]
    fn a_group_leaves_its_parent_a_run() {
        let l = aligned(concat!(
            "              项目                                     本年支出\n",
            "                                                                    项目支出\n",
            "\n",
            " 科目编码              科目名称    合计             基本支出                            其中：基本建设资金支\n",
            "                                                            小计\n",
            "                                                                               出\n",
        ));
        assert_eq!(
            amounts(&l, 0),
            [
                "本年支出/合计",
                "本年支出/基本支出",
                "本年支出/项目支出/小计",
                "本年支出/项目支出/其中：基本建设资金支出",
            ]
        );
    }

    #[test]
    fn code_columns_of_each_side() {
        let l = aligned(concat!(
            "经济分类                        经济分类\n",
            "          科目名称      决算数                   科目名称       决算数\n",
            "科目编码                        科目编码\n",
        ));
        assert_eq!(l.sides.len(), 2);
        for side in &l.sides {
            let code = side.code_col.map(|c| l.columns[c].path.join("/"));
            assert_eq!(code.as_deref(), Some("经济分类科目编码"));
            assert_eq!(side.amounts.len(), 1);
        }
    }

    fn paths(l: &Layout) -> Vec<String> {
        l.columns.iter().map(|c| c.path.join("/")).collect()
    }

    #[test]
    fn flat() {
        let l = layout(
            "功能分类科目 支出合计 基本支出 项目支出 上年结转\n",
            Some(4),
        );
        assert_eq!(
            paths(&l),
            vec![
                "功能分类科目",
                "支出合计",
                "基本支出",
                "项目支出",
                "上年结转"
            ]
        );
        assert_eq!(
            l.sides[0].identities,
            vec![Identity {
                total: 0,
                parts: vec![1, 2, 3]
            }]
        );
        assert_eq!(l.scheme_hint, Some(shenhe_model::Scheme::Functional));
    }

    #[test]
    fn group_over_code_and_name() {
        let l = layout(
            "功能分类科目 一般公共预算支出\n\n科目编码 科目名称 合计 基本支出 项目支出\n",
            Some(3),
        );
        assert_eq!(
            paths(&l),
            vec![
                "功能分类科目/科目编码",
                "功能分类科目/科目名称",
                "一般公共预算支出/合计",
                "一般公共预算支出/基本支出",
                "一般公共预算支出/项目支出"
            ]
        );
        assert_eq!(l.sides[0].identities.len(), 1);
        // Without a numbering line the same comes out.
        let l2 = layout(
            "功能分类科目 一般公共预算支出\n\n科目编码 科目名称 合计 基本支出 项目支出\n",
            None,
        );
        assert_eq!(paths(&l2), paths(&l));
    }

    #[test]
    fn three_groups_and_a_total() {
        let l = layout(
            "单位名称 总计\n一般公共预算支出 政府性基金预算支出 国有资本经营预算支出\n\n合计 基本支出 项目支出 合计 基本支出 项目支出 合计 基本支出 项目支出\n",
            Some(10),
        );
        let p = paths(&l);
        assert_eq!(p.len(), 11);
        assert_eq!(p[1], "总计");
        assert_eq!(p[2], "一般公共预算支出/合计");
        assert_eq!(p[7], "政府性基金预算支出/项目支出");
        assert_eq!(p[10], "国有资本经营预算支出/项目支出");
        let ids = &l.sides[0].identities;
        assert!(ids.contains(&Identity {
            total: 0,
            parts: vec![1, 4, 7]
        }));
        assert!(ids.contains(&Identity {
            total: 1,
            parts: vec![2, 3]
        }));
    }

    #[test]
    fn scrambled_three_public_header() {
        let l = layout(
            "单位名称\n\n“三公”经费\n\n会议费 培训费\n合计\n\n因公出国（境）\n\n费用\n公务接待费\n\n公务用车购置和运行费\n\n公务用车购置\n\n费\n\n公务用车运行\n\n费\n",
            Some(7),
        );
        assert_eq!(
            paths(&l),
            vec![
                "单位名称",
                "“三公”经费/合计",
                "“三公”经费/因公出国（境）费用",
                "“三公”经费/公务接待费",
                "“三公”经费/公务用车购置和运行费/公务用车购置费",
                "“三公”经费/公务用车购置和运行费/公务用车运行费",
                "会议费",
                "培训费"
            ]
        );
        assert_eq!(
            l.sides[0].identities,
            vec![Identity {
                total: 0,
                parts: vec![1, 2, 3, 4]
            }]
        );
    }

    /// The Shanghai 三公 table's header in drawing order (`pdftotext -raw`): the name that
    /// spans its column's rows (`机关运行经费预算数`) is printed before the total, and the
    /// `小计` run belongs to the name its parts are pieces of, not the earliest free name.
    #[test]
    fn subtotal_under_the_name_its_parts_come_from() {
        let l = layout(
            "“三公”经费预算数\n机关运行经费预算\n数\n合计 因公出国(境)费 公务接待费\n公务用车购置及运行费\n小计 购置费 运行费\n",
            None,
        );
        assert_eq!(
            paths(&l),
            vec![
                "项目",
                "“三公”经费预算数/合计",
                "“三公”经费预算数/因公出国(境)费",
                "“三公”经费预算数/公务接待费",
                "“三公”经费预算数/公务用车购置及运行费/小计",
                "“三公”经费预算数/公务用车购置及运行费/购置费",
                "“三公”经费预算数/公务用车购置及运行费/运行费",
                "机关运行经费预算数",
            ]
        );
        assert!(l.sides[0].identities.contains(&Identity {
            total: 3,
            parts: vec![4, 5]
        }));
    }

    #[test]
    fn two_sided() {
        let l = layout("收 入 支 出\n\n项目 预算数 项目 预算数\n", None);
        assert_eq!(
            paths(&l),
            vec!["收入/项目", "收入/预算数", "支出/项目", "支出/预算数"]
        );
        assert_eq!(l.sides.len(), 2);
        assert_eq!(l.sides[1].group.as_deref(), Some("支出"));
        let l = layout("按支出类型分 预算金额 按来源类型分 预算金额\n", None);
        assert_eq!(l.sides.len(), 2);
        assert_eq!(l.sides[0].group.as_deref(), Some("按支出类型分"));
    }

    #[test]
    fn serial_and_name() {
        let l = layout("序号 项目 合计 基本支出 项目支出\n", Some(3));
        assert_eq!(l.sides[0].serial_col, Some(0));
        assert_eq!(l.sides[0].label_col, Some(1));
        assert_eq!(l.sides[0].amounts, vec![2, 3, 4]);
    }
}
