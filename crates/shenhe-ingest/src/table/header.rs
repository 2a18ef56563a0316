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
    /// Index of the header line (after merging wrapped fragments).
    pub line: usize,
    pub unit: Option<Unit>,
    /// What the name heads ([`role_of`] its final text), read once.
    pub role: Role,
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

/// Reads the header lines into tokens, merging wrapped fragments and spaced-out names.
pub(crate) fn header_tokens<'a>(lines: &[&Line<'a>]) -> Vec<Vec<HTok<'a>>> {
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
                while let Some(u) = toks.get(j) {
                    if !single(u.text) {
                        break;
                    }
                    if text.is_empty() {
                        text = Cow::Borrowed(u.text);
                    } else {
                        text.to_mut().push_str(u.text);
                    }
                    loc = loc.join(line.tok_loc(u));
                    j += 1;
                }
                row.push(HTok {
                    text,
                    loc,
                    line: out.len(),
                    unit: None,
                    role: Role::Amount,
                });
                i = j;
                continue;
            }
            row.push(HTok {
                text: Cow::Borrowed(t.text),
                loc: line.tok_loc(t),
                line: out.len(),
                unit: None,
                role: Role::Amount,
            });
            i += 1;
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
    let two_sided = lines.iter().enumerate().find_map(|(li, row)| {
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
        ok.then_some((li, labels))
    });
    if let Some((li, labels)) = two_sided {
        build_two_sided(&mut layout, lines, li, &labels);
        return layout;
    }
    build_one_sided(&mut layout, lines, n_hint, table_name, warnings);
    layout
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
    for (k, &start) in labels.iter().enumerate() {
        let end = labels.get(k + 1).copied().unwrap_or(row.len());
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
    let tree = Tree::build(&amount_toks, n_hint);
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
            let g = (0..j).find(|&g| {
                !is_group.get(g).copied().unwrap_or(true)
                    && parent.get(g).copied().flatten().is_none()
                    && !is_total_name(text(g))
                    && toks.get(g).is_some_and(|t| t.line < line_j)
            });
            let Some(g) = g else { continue };
            let end = totals.get(ti + 1).copied().unwrap_or(n);
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
        let toks = header_tokens(&lines);
        let mut w = Vec::new();
        build(&toks, n, "表", &mut w)
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
