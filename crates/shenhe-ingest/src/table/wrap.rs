//! Labels wrapped around their row: text laid out in columns (`pdftotext -layout`) prints a
//! cell whose name does not fit on one line as fragments on the lines above and/or below the
//! line that holds the row's code and numbers:
//!
//! ```text
//!           行政事业单位养老支
//! 20805                  13,465.06   13,465.06
//!           出
//! ```
//!
//! A fragment is a line of text only (no code, no value, no ordinal, not a total) that is
//! indented past the first column and stands on the line directly above or below a coded row
//! (a row with a classification code). It is joined to that row's label. Lines separated by a
//! blank line are never joined, so text that puts a blank line between rows (the seed form)
//! is left as it is.
//!
//! Text that prints a table one cell per line in the PDF's drawing order (`pdftotext -raw`)
//! puts a row's code, name pieces and numbers on consecutive lines instead: [`join_stacked`].

use shenhe_model::{Catalogue, Scheme, name_key};

use super::is_total_label;
use super::rows::{RawRow, ordinal};
use crate::text::needs_space;

/// What a raw row is for joining.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Text only: may be a piece of a neighbour's label.
    Fragment,
    /// A coded row: may take fragments.
    Host,
    Other,
}

fn kind(r: &RawRow<'_>) -> Kind {
    if r.code.is_some() {
        return Kind::Host;
    }
    let indented = r.label_loc.is_some_and(|l| l.column > 1);
    if indented && is_name_piece(r) {
        Kind::Fragment
    } else {
        Kind::Other
    }
}

/// Whether a row without a code may be a piece of a name wrapped off its row: text only (no
/// value, serial, ordinal or digit), neither a total nor a `其中` line.
fn is_name_piece(r: &RawRow<'_>) -> bool {
    r.values.is_empty()
        && r.serial.is_none()
        && r.ord.is_none()
        && !r.label.is_empty()
        && !r.label.bytes().any(|b| b.is_ascii_digit())
        && !r.label.starts_with("其中")
        && !is_total_label(&r.label)
}

/// What tells a code's name: the catalogue, and the names the document's own rows print
/// whole.
pub(crate) struct Names<'a> {
    pub catalogue: &'a Catalogue,
    pub printed: &'a Printed,
}

/// The names the document's table rows print whole with their code, on one line
/// (`21202     城乡社区规划与管理     2739.56   2739.56`), by name key: in text laid out in
/// columns the same code is often printed whole in one table and wrapped in another, and the
/// catalogue (`rules/catalogue/classification.tsv`) does not list every code. A line is taken
/// only when the lines right above and below it are blank or rows of their own (begin with a
/// number): a name wrapped around its code line is not whole.
#[derive(Debug, Default)]
pub(crate) struct Printed {
    by_code: Vec<(String, String)>,
}

impl Printed {
    pub(crate) fn scan(src: &crate::text::Source<'_>) -> Printed {
        let clear = |i: Option<usize>| {
            i.and_then(|i| src.lines.get(i)).is_none_or(|l| {
                l.content.is_empty() || l.content.starts_with(|c: char| c.is_ascii_digit())
            })
        };
        let mut by_code: Vec<(String, String)> = Vec::new();
        for (i, line) in src.lines.iter().enumerate() {
            if !line.content.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let mut toks = line.token_iter();
            let (Some(code), Some(name), Some(value)) = (toks.next(), toks.next(), toks.next())
            else {
                continue;
            };
            let code = code.text;
            if !super::rows::is_code(code) {
                continue;
            }
            let named = name.text.chars().any(crate::text::is_han)
                && !name.text.bytes().any(|b| b.is_ascii_digit());
            if !named || crate::number::parse_cell(value.text).is_none() {
                continue;
            }
            if !clear(i.checked_sub(1)) || !clear(Some(i + 1)) {
                continue;
            }
            let key = name_key(name.text);
            if !by_code.iter().any(|(c, n)| c == code && *n == key) {
                by_code.push((code.to_string(), key));
            }
        }
        Printed { by_code }
    }
}

/// Whether `text` begins the name of the row's code: by the catalogue (any year's name), else
/// by the names the document prints whole for it; `None` when neither knows the code.
fn begins_name(names: &Names<'_>, code: Option<&str>, text: &str) -> Option<bool> {
    let code = code?;
    let key = name_key(text);
    let entries = names.catalogue.by_code(Scheme::of_code(code)?, code);
    if !entries.is_empty() {
        return Some(entries.iter().any(|e| name_key(&e.name).starts_with(&key)));
    }
    let mut printed = names
        .printed
        .by_code
        .iter()
        .filter(|(c, _)| c == code)
        .peekable();
    printed.peek()?;
    Some(printed.any(|(_, n)| n.starts_with(&key)))
}

/// Joins the pieces of rows printed over several lines in a table of `sides` sides: a code
/// glued to its name or printed on the line above it, and wrapped name fragments.
pub(crate) fn join_all(rows: &mut Vec<RawRow<'_>>, sides: usize, names: &Names<'_>) {
    for r in rows.iter_mut() {
        split_glued_code(r, names.catalogue);
    }
    lift_codes(rows);
    if sides <= 1 {
        join(rows, names);
        return;
    }
    place_single_rows(rows);
    if !rows.iter().any(|r| kind(r) == Kind::Fragment) {
        return;
    }
    // Each side on its own: a fragment goes to the side its position on the page says.
    let sides_by_place: Vec<Option<usize>> = (0..rows.len())
        .map(|i| match rows.get(i).map(kind) {
            Some(Kind::Fragment) => side_by_place(rows, i),
            _ => None,
        })
        .collect();
    for (r, s) in rows.iter_mut().zip(sides_by_place) {
        if let Some(s) = s {
            r.side = s;
        }
    }
    let mut per: Vec<Vec<RawRow<'_>>> = (0..sides).map(|_| Vec::new()).collect();
    for r in rows.drain(..) {
        let s = r.side.min(sides - 1);
        if let Some(list) = per.get_mut(s) {
            list.push(r);
        }
    }
    for list in &mut per {
        join(list, names);
    }
    rows.extend(per.into_iter().flatten());
    rows.sort_by_key(|r| (r.line_loc.line, r.side));
}

/// The first and last character columns a row's printed pieces take (its code is not
/// located: the name or the first value stands for the start).
fn span(r: &RawRow<'_>) -> Option<(u32, u32)> {
    let label = r
        .label_loc
        .map(|l| (l.column, l.column + r.label.chars().count() as u32));
    let first = r.values.first().map(|v| v.loc.column);
    let last = r.values.last().map(|v| v.loc.column + v.loc.len);
    let start = match (label, first) {
        (Some((a, _)), Some(b)) => a.min(b),
        (Some((a, _)), None) => a,
        (None, b) => b?,
    };
    let end = last.or(label.map(|l| l.1))?;
    Some((start, end))
}

/// The first and last character columns a row's values take.
fn values_span(r: &RawRow<'_>) -> Option<(u32, u32)> {
    let first = r.values.first()?.loc.column;
    let last = r.values.last().map(|v| v.loc.column + v.loc.len)?;
    Some((first, last))
}

/// A row alone on its line in a two-sided table goes to the side its column says, when the
/// lines that fill both sides show where the right side starts: it starts right of every
/// left part's end and left of every right part's start on those lines. Its values say it
/// first, being the best aligned of what a line prints: values right of every left part's end
/// are the right side's, values ending before every right part's start the left side's (a
/// code and name printed a few columns left of their side's column, as `pdftotext -layout`
/// does on lines that fill one side, do not move the row). The side chosen while reading, by
/// ordinal or name, is kept otherwise.
fn place_single_rows(rows: &mut [RawRow<'_>]) {
    // (largest end of a left part, smallest start of a right part) over the lines of exactly
    // two parts (a line cut into more pieces than the table has sides tells nothing).
    let mut left_end = 0u32;
    let mut right_start = u32::MAX;
    let line = |i: Option<usize>| i.and_then(|i| rows.get(i)).map(|r| r.line_loc.line);
    for (i, w) in rows.windows(2).enumerate() {
        if let [a, b] = w
            && a.line_loc.line == b.line_loc.line
            && line(i.checked_sub(1)) != Some(a.line_loc.line)
            && line(Some(i + 2)) != Some(a.line_loc.line)
            && a.side == 0
            && b.side == 1
            && let (Some((_, e)), Some((s, _))) = (span(a), span(b))
        {
            left_end = left_end.max(e);
            right_start = right_start.min(s);
        }
    }
    if right_start == u32::MAX || left_end >= right_start {
        return;
    }
    let reason: std::sync::Arc<str> = "此行只有一栏，按所在列归入该栏".into();
    let n = rows.len();
    for i in 0..n {
        let line = rows.get(i).map(|r| r.line_loc.line);
        let shares = |j: Option<usize>| {
            j.and_then(|j| rows.get(j))
                .is_some_and(|r| Some(r.line_loc.line) == line)
        };
        if shares(i.checked_sub(1)) || shares(Some(i + 1)) {
            continue;
        }
        let Some(r) = rows.get_mut(i) else { continue };
        let Some((start, end)) = span(r) else {
            continue;
        };
        let side = match values_span(r) {
            Some((first, _)) if first > left_end => 1,
            Some((_, last)) if last <= right_start => 0,
            _ if start >= right_start => 1,
            _ if end <= left_end + 1 && start < left_end => 0,
            _ => continue,
        };
        if r.side != side {
            r.side = side;
            r.side_choice = super::rows::SideChoice::Inferred(reason.clone());
        }
    }
}

/// The side of fragment `i` of a two-sided table by its column: left or right of the middle
/// of the gap between the two sides on an adjacent line that fills both; failing such a line,
/// the side of the coded row alone on the line above or below whose numbers stand right of
/// the fragment, which the fragment can only belong to (`信息网络及软件购置` / `31007 … 0.00` /
/// `更新` on the right side).
fn side_by_place(rows: &[RawRow<'_>], i: usize) -> Option<usize> {
    let by_gap = side_by_gap(rows, i);
    if by_gap.is_some() {
        return by_gap;
    }
    let f = rows.get(i)?;
    let (line, col) = (f.line_loc.line, f.label_loc?.column);
    // A coded row alone on line `l` whose numbers stand right of the fragment (a name stands
    // left of its row's numbers).
    let alone_on = |l: u32| {
        let mut on = rows.iter().filter(move |r| r.line_loc.line == l);
        match (on.next(), on.next()) {
            (Some(r), None)
                if r.code.is_some() && r.values.first().is_some_and(|v| v.loc.column > col) =>
            {
                Some(r.side)
            }
            _ => None,
        }
    };
    let above = line.checked_sub(1).and_then(alone_on);
    let below = line.checked_add(1).and_then(alone_on);
    match (above, below) {
        (Some(a), Some(b)) if a != b => None,
        (a, b) => a.or(b),
    }
}

/// [`side_by_place`] by the gap between the two sides on an adjacent line that fills both.
fn side_by_gap(rows: &[RawRow<'_>], i: usize) -> Option<usize> {
    let f = rows.get(i)?;
    let col = f.label_loc?.column;
    let line = f.line_loc.line;
    let near = |l: u32| rows.iter().filter(move |r| r.line_loc.line == l);
    for l in [line.checked_sub(1), line.checked_add(1)]
        .into_iter()
        .flatten()
    {
        let (Some(left), Some(right)) =
            (near(l).find(|r| r.side == 0), near(l).find(|r| r.side == 1))
        else {
            continue;
        };
        let (Some((_, left_end)), Some((right_start, _))) = (span(left), span(right)) else {
            continue;
        };
        return Some(usize::from(col * 2 >= left_end + right_start));
    }
    None
}

/// `310资本性支出`: a classification code glued to the name (the code must be in the
/// catalogue).
fn split_glued_code(r: &mut RawRow<'_>, catalogue: &Catalogue) {
    if r.code.is_some() {
        return;
    }
    let digits = r.label.bytes().take_while(u8::is_ascii_digit).count();
    if !matches!(digits, 3 | 5 | 7) {
        return;
    }
    let (Some(code), Some(rest)) = (r.label.get(..digits), r.label.get(digits..)) else {
        return;
    };
    if !rest.chars().next().is_some_and(crate::text::is_han) {
        return;
    }
    let known = Scheme::of_code(code).is_some_and(|s| !catalogue.by_code(s, code).is_empty());
    if known {
        let (code, rest) = (code.to_string(), rest.to_string());
        r.code = Some(code);
        r.ord = ordinal(&rest);
        r.label = rest;
    }
}

/// Joins the rows of text that prints a table one cell per line, in the PDF's drawing order
/// (`pdftotext -raw`): a row whose name does not fit its cell comes out as its code (alone,
/// or with the name's first piece), the name's further pieces, then its numbers, each on the
/// next line:
///
/// ```text
/// 2080505 机关事业单位基本养老保险缴        30108
/// 费支出                                    机关事业单位基本
/// 446.11 446.11                             养老保险缴费
///                                           6.18 30206 电费 0.00
/// ```
///
/// A stack is joined into one row when its lines follow each other directly (text that puts a
/// blank line between rows, the seed form, is never joined), begin with a code (a code alone
/// on its line must be in the catalogue; it then needs a piece of name), continue with name
/// pieces only (no value, ordinal or total, alone on their lines) and end with a line that
/// begins with values and no name (the numbers may share that line with the other side's
/// row). The joined name must begin a name the catalogue or the document gives the code, when
/// either knows it. For text laid out in columns see [`join_all`].
pub(crate) fn join_stacked<'n>(
    rows: &mut Vec<RawRow<'_>>,
    catalogue: &Catalogue,
    printed: impl FnOnce() -> &'n Printed,
) {
    let line =
        |rows: &[RawRow<'_>], i: usize| rows.get(i).map(|r| (r.line_loc.page, r.line_loc.line));
    // Row `b` is on the line right after row `a`'s.
    let next_line = |rows: &[RawRow<'_>], a: usize, b: usize| match (line(rows, a), line(rows, b)) {
        (Some((p, x)), Some((q, y))) => p == q && x + 1 == y,
        _ => false,
    };
    let alone = |rows: &[RawRow<'_>], i: usize| {
        let l = line(rows, i);
        i.checked_sub(1).is_none_or(|p| line(rows, p) != l) && line(rows, i + 1) != l
    };
    let known =
        |code: &str| Scheme::of_code(code).is_some_and(|s| !catalogue.by_code(s, code).is_empty());
    // (host, values row) of every stack found: its name pieces stand between them.
    let mut stacks: Vec<(usize, usize)> = Vec::new();
    let mut i = 0usize;
    while i < rows.len() {
        let Some(h) = rows.get(i) else { break };
        let named_host =
            h.code.is_some() && !h.label.is_empty() && h.values.is_empty() && h.serial.is_none();
        let code_only = h.code.is_none()
            && h.label.is_empty()
            && h.serial.is_none()
            && matches!(h.values.as_slice(), [v] if super::rows::is_code(&v.printed) && known(&v.printed));
        if !(named_host || code_only) || !alone(rows, i) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while rows
            .get(j)
            .is_some_and(|f| f.code.is_none() && is_name_piece(f))
            && next_line(rows, j - 1, j)
            && alone(rows, j)
        {
            j += 1;
        }
        // Values, not the next row's code alone on its line.
        let values_row = rows.get(j).is_some_and(|v| {
            v.code.is_none()
                && v.serial.is_none()
                && v.label.is_empty()
                && !v.values.is_empty()
                && !matches!(v.values.as_slice(), [c] if super::rows::is_code(&c.printed) && known(&c.printed))
        }) && next_line(rows, j - 1, j);
        if values_row && (named_host || j > i + 1) {
            stacks.push((i, j));
            i = j + 1;
        } else {
            i += 1;
        }
    }
    if stacks.is_empty() {
        return;
    }
    let names = Names {
        catalogue,
        printed: printed(),
    };
    let mut drop = vec![false; rows.len()];
    for &(h, v) in &stacks {
        let mut label = String::new();
        let mut loc = None;
        for k in h..v {
            let Some(r) = rows.get(k) else { continue };
            if r.label.is_empty() {
                continue;
            }
            if !label.is_empty() && needs_space(&label, &r.label) {
                label.push(' ');
            }
            label.push_str(&r.label);
            loc = match (loc, r.label_loc) {
                (Some(x), Some(y)) => Some(shenhe_model::Loc::join(x, y)),
                (None, y) => y,
                (x, None) => x,
            };
        }
        let Some(values) = rows.get(v) else { continue };
        // Shares its line with the other side's row: the side the line gave it.
        let shared = line(rows, v + 1) == line(rows, v);
        let (side, choice, values) = (
            values.side,
            values.side_choice.clone(),
            values.values.clone(),
        );
        let Some(host) = rows.get_mut(h) else {
            continue;
        };
        let code = host
            .code
            .clone()
            .or_else(|| host.values.first().map(|c| c.printed.to_string()));
        if begins_name(&names, code.as_deref(), &label) == Some(false) {
            continue;
        }
        host.code = code;
        host.ord = ordinal(&label);
        host.label = label;
        host.label_loc = loc;
        host.values = values;
        if shared {
            host.side = side;
            host.side_choice = choice;
        }
        for d in drop.iter_mut().take(v + 1).skip(h + 1) {
            *d = true;
        }
    }
    let mut k = 0usize;
    rows.retain(|_| {
        let keep = !drop.get(k).copied().unwrap_or(false);
        k += 1;
        keep
    });
}

/// A code alone on its line, with the name and numbers on the next line (`30299` /
/// `其他商品和服务支出 0.20`): one row. Both lines must hold nothing else.
fn lift_codes(rows: &mut Vec<RawRow<'_>>) {
    let alone = |rows: &[RawRow<'_>], i: usize| {
        let Some(line) = rows.get(i).map(|r| r.line_loc.line) else {
            return false;
        };
        let before = i.checked_sub(1).and_then(|p| rows.get(p));
        before.is_none_or(|r| r.line_loc.line != line)
            && rows.get(i + 1).is_none_or(|r| r.line_loc.line != line)
    };
    let mut drop = vec![false; rows.len()];
    for i in 0..rows.len().saturating_sub(1) {
        let (Some(c), Some(n)) = (rows.get(i), rows.get(i + 1)) else {
            continue;
        };
        let code_only =
            c.code.is_some() && c.label.is_empty() && c.values.is_empty() && c.serial.is_none();
        let named =
            n.code.is_none() && n.serial.is_none() && !n.label.is_empty() && n.ord.is_none();
        let next_line =
            c.line_loc.line + 1 == n.line_loc.line && c.line_loc.page == n.line_loc.page;
        if code_only && named && next_line && alone(rows, i) && alone(rows, i + 1) {
            let code = c.code.clone();
            if let Some(n) = rows.get_mut(i + 1) {
                n.code = code;
            }
            if let Some(d) = drop.get_mut(i) {
                *d = true;
            }
        }
    }
    let mut k = 0usize;
    rows.retain(|_| {
        let keep = !drop.get(k).copied().unwrap_or(false);
        k += 1;
        keep
    });
}

/// Joins wrapped label fragments of one side of a table into the coded rows they belong to,
/// removing the fragment rows.
fn join(rows: &mut Vec<RawRow<'_>>, names: &Names<'_>) {
    let kinds: Vec<Kind> = rows.iter().map(kind).collect();
    if !kinds.contains(&Kind::Fragment) || !kinds.contains(&Kind::Host) {
        return;
    }
    let line = |i: usize| rows.get(i).map(|r| (r.line_loc.line, r.line_loc.page));
    // Consecutive lines of one page.
    let adjacent = |a: usize, b: usize| match (line(a), line(b)) {
        (Some((x, p)), Some((y, q))) => x + 1 == y && p == q,
        _ => false,
    };
    // For every fragment, the index of the row it joins.
    let mut target: Vec<Option<usize>> = vec![None; rows.len()];
    let mut i = 0usize;
    while i < rows.len() {
        if kinds.get(i) != Some(&Kind::Fragment) {
            i += 1;
            continue;
        }
        // A run of fragments on consecutive lines.
        let start = i;
        let mut end = i + 1;
        while kinds.get(end) == Some(&Kind::Fragment) && adjacent(end - 1, end) {
            end += 1;
        }
        i = end;
        let above = start
            .checked_sub(1)
            .filter(|&a| kinds.get(a) == Some(&Kind::Host) && adjacent(a, start));
        let below =
            Some(end).filter(|&b| kinds.get(b) == Some(&Kind::Host) && adjacent(end - 1, b));
        let split = match (above, below) {
            (None, None) => continue,
            (Some(_), None) => end,
            (None, Some(_)) => start,
            (Some(a), Some(b)) => {
                // The name of `a` so far: the fragments it took from above, then its own.
                let mut name_a = String::new();
                for (k, t) in target.iter().enumerate().take(a) {
                    if *t == Some(a)
                        && let Some(r) = rows.get(k)
                    {
                        name_a.push_str(&r.label);
                    }
                }
                if let Some(r) = rows.get(a) {
                    name_a.push_str(&r.label);
                }
                split_between(rows, names, &name_a, a, b, start, end)
            }
        };
        for k in start..end {
            if let Some(slot) = target.get_mut(k) {
                *slot = if k < split { above } else { below };
            }
        }
    }
    // Join: fragments before a host go before its label, those after it go after.
    let mut before: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    for (k, t) in target.iter().enumerate() {
        if let Some(h) = *t {
            let list = if k < h {
                before.get_mut(h)
            } else {
                after.get_mut(h)
            };
            if let Some(list) = list {
                list.push(k);
            }
        }
    }
    for h in 0..rows.len() {
        let (Some(b), Some(a)) = (before.get(h), after.get(h)) else {
            continue;
        };
        if b.is_empty() && a.is_empty() {
            continue;
        }
        let pieces: Vec<(String, Option<shenhe_model::Loc>)> = b
            .iter()
            .chain(a.iter())
            .filter_map(|&k| rows.get(k).map(|r| (r.label.clone(), r.label_loc)))
            .collect();
        let Some(host) = rows.get_mut(h) else {
            continue;
        };
        let mut label = String::new();
        let mut loc = None;
        let own = (host.label.clone(), host.label_loc);
        let (front, back) = pieces.split_at(b.len());
        for (text, l) in front.iter().chain(std::iter::once(&own)).chain(back) {
            if text.is_empty() {
                continue;
            }
            if !label.is_empty() && needs_space(&label, text) {
                label.push(' ');
            }
            label.push_str(text);
            loc = match (loc, l) {
                (Some(x), Some(y)) => Some(shenhe_model::Loc::join(x, *y)),
                (None, y) => *y,
                (x, None) => x,
            };
        }
        host.ord = ordinal(&label);
        host.label = label;
        host.label_loc = loc;
    }
    let mut k = 0usize;
    rows.retain(|_| {
        let keep = target.get(k).is_none_or(Option::is_none);
        k += 1;
        keep
    });
}

/// Where a run of fragments `start..end` between the coded rows `a` (above) and `b` (below)
/// divides: the fragments before the returned index join `a`, the rest join `b`.
fn split_between(
    rows: &[RawRow<'_>],
    names: &Names<'_>,
    name_a: &str,
    a: usize,
    b: usize,
    start: usize,
    end: usize,
) -> usize {
    let label = |i: usize| rows.get(i).map_or("", |r| r.label.as_str());
    // The division whose joined labels begin the catalogue names of both codes, if only one
    // does.
    let joined_above = |split: usize| {
        let mut s = name_a.to_string();
        for k in start..split {
            s.push_str(label(k));
        }
        s
    };
    let joined_below = |split: usize| {
        let mut s = String::new();
        for k in split..end {
            s.push_str(label(k));
        }
        s.push_str(label(b));
        s
    };
    let (Some(ra), Some(rb)) = (rows.get(a), rows.get(b)) else {
        return end;
    };
    // Each division scores +1 for a joined name that begins its code's catalogue name and -1
    // for one that does not (codes the catalogue does not know say nothing); the best division
    // wins if it is the only one.
    let vote = |v: Option<bool>| match v {
        Some(true) => 1i32,
        Some(false) => -1,
        None => 0,
    };
    let scores: Vec<(usize, i32)> = (start..=end)
        .map(|s| {
            let score = vote(begins_name(names, ra.code.as_deref(), &joined_above(s)))
                + vote(begins_name(names, rb.code.as_deref(), &joined_below(s)));
            (s, score)
        })
        .collect();
    let best = scores.iter().map(|&(_, v)| v).max().unwrap_or(0);
    let mut winners = scores.iter().filter(|&&(_, v)| v == best);
    if let (Some(&(s, _)), None) = (winners.next(), winners.next()) {
        return s;
    }
    // Otherwise: a row printed without any name takes the fragments next to it; a name
    // centred on its row has as many fragments below as above, so a run of several is
    // shared; a single fragment belongs to the row above (names wrap downwards).
    if ra.label.is_empty() && !rb.label.is_empty() {
        return end;
    }
    if rb.label.is_empty() && !ra.label.is_empty() {
        return start;
    }
    start + (end - start).div_ceil(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::header::Side;
    use crate::table::rows::RowReader;
    use crate::text::Source;

    /// The rows of an aligned table of `sides` sides, joined: (side, code, label, values).
    fn read_sides(text: &str, sides: usize) -> Vec<(usize, Option<String>, String, usize)> {
        let cat = Catalogue::bundled();
        let sides = vec![Side::default(); sides];
        let mut r = RowReader::new(&sides, &cat);
        r.aligned = true;
        let src = Source::new(text);
        let mut rows = Vec::new();
        for l in src.lines.iter().filter(|l| !l.content.is_empty()) {
            r.read_into(l, &mut rows);
        }
        let printed = Printed::scan(&src);
        let names = Names {
            catalogue: &cat,
            printed: &printed,
        };
        join_all(&mut rows, sides.len(), &names);
        rows.into_iter()
            .map(|r| (r.side, r.code, r.label, r.values.len()))
            .collect()
    }

    fn read(text: &str) -> Vec<(Option<String>, String, usize)> {
        read_sides(text, 1)
            .into_iter()
            .map(|(_, code, label, values)| (code, label, values))
            .collect()
    }

    fn row(code: &str, label: &str, values: usize) -> (Option<String>, String, usize) {
        (Some(code.to_string()), label.to_string(), values)
    }

    #[test]
    fn centred_names_join_their_rows() {
        let text = "208       社会保障和就业支出    13,465.06   13,465.06\n          行政事业单位养老支\n20805                  13,465.06   13,465.06\n          出\n           机关事业单位基本\n2080505                 8,976.60    8,976.60\n          养老保险缴费支出\n\n221       住房保障支出       16,278.27   16,278.27\n";
        assert_eq!(
            read(text),
            vec![
                row("208", "社会保障和就业支出", 2),
                row("20805", "行政事业单位养老支出", 2),
                row("2080505", "机关事业单位基本养老保险缴费支出", 2),
                row("221", "住房保障支出", 2),
            ]
        );
    }

    #[test]
    fn a_fragment_between_named_rows_follows_the_catalogue() {
        // Names wrapped downwards: the fragment between two named rows ends the one above.
        let text = "2080505   机关事业单位基本养老保      446.11     446.11\n          险缴费支出\n2080506   机关事业单位职业年金缴      225.12     225.12\n          费支出\n";
        assert_eq!(
            read(text),
            vec![
                row("2080505", "机关事业单位基本养老保险缴费支出", 2),
                row("2080506", "机关事业单位职业年金缴费支出", 2),
            ]
        );
        // Centred three-line names: one fragment above and one below each row (a form feed
        // starts the text, so that the leading spaces do not mark pages).
        let text = "\x0c            一般公共服务\n 201                   264.87   62.63    202.24\n            支出\n 20139      社会工作事务     264.87   62.63    202.24\n            机关事业单位\n 2080505    基本养老保险      6.18     6.18\n            缴费支出\n";
        assert_eq!(
            read(text),
            vec![
                row("201", "一般公共服务支出", 3),
                row("20139", "社会工作事务", 3),
                row("2080505", "机关事业单位基本养老保险缴费支出", 2),
            ]
        );
    }

    #[test]
    fn separated_or_unindented_lines_stay_rows() {
        // A blank line between (the seed form), a line at the margin, an ordinal, a total.
        let text = "201 一般公共服务支出 866.07\n\n行政运行\n二、外交支出\n  合计\n20101 人大事务 866.07\n";
        let rows = read(text);
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[1], (None, "行政运行".to_string(), 0));
    }

    /// A two-sided economic classification table as `pdftotext -layout` prints it (social
    /// work department 2024 final accounts): on lines that fill the right side only, the code
    /// and name stand a few columns left of the right side's names (left of where any right
    /// part starts on the two-part lines), the values in the right side's column; a name set
    /// justified (`信息 网络 及软件 购置`) is one fragment.
    #[test]
    fn rows_of_one_side_go_where_their_values_stand() {
        let text = concat!(
            "30310    个人农业生产补贴    0.00   30231    公务用车运行维护费       0.00\n",
            "30311    代缴社会保险费     0.00   30239    其他交通费用          2.43\n",
            "                            30299\n",
            "                                其他商品和服务支出            0.20\n",
            "                            31003\n",
            "                                专用设备购置               0.00\n",
            "                                信息 网络 及软件 购置\n",
            "                         31007                            0.00\n",
            "                               更新\n",
            "                         31013  公务用车购置                 0.00\n",
        );
        let rows = read_sides(text, 2);
        let got: Vec<(usize, Option<&str>, &str, usize)> = rows
            .iter()
            .map(|(side, code, label, values)| (*side, code.as_deref(), label.as_str(), *values))
            .collect();
        assert_eq!(
            got,
            [
                (0, Some("30310"), "个人农业生产补贴", 1),
                (1, Some("30231"), "公务用车运行维护费", 1),
                (0, Some("30311"), "代缴社会保险费", 1),
                (1, Some("30239"), "其他交通费用", 1),
                (1, Some("30299"), "其他商品和服务支出", 1),
                (1, Some("31003"), "专用设备购置", 1),
                (1, Some("31007"), "信息网络及软件购置更新", 1),
                (1, Some("31013"), "公务用车购置", 1),
            ]
        );
    }

    /// Codes the catalogue does not list: the names the document prints whole elsewhere
    /// decide where a fragment between two rows belongs (planning 2024 final accounts, as
    /// `pdftotext -layout` prints them: `城乡社区规划` begins 21202's name, not 2120101's).
    #[test]
    fn names_printed_whole_elsewhere_place_fragments() {
        let whole = "21202     城乡社区规划与管理     2739.56   2739.56\n\n2120101   行政运行     1092.80   1092.80\n\n";
        let wrapped = "           行政运行\n2120101                1092.80      1084.02      8.77\n           城乡社区规划\n21202                  2739.56       488.68    2250.88\n           与管理\n";
        let text = format!("{whole}{wrapped}");
        let rows = read(&text);
        assert_eq!(rows.get(2), Some(&row("2120101", "行政运行", 3)));
        assert_eq!(rows.get(3), Some(&row("21202", "城乡社区规划与管理", 3)));
    }
}
