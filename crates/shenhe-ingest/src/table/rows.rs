//! Data lines → raw rows: serial, code, label and the printed values, in order. Which column
//! each value belongs to is decided later ([`super::place`]).

use std::borrow::Cow;
use std::sync::Arc;

use shenhe_model::{Catalogue, IngestWarning, Loc, Scheme, name_key};

use super::header::Side;
use crate::number::{Num, parse_cell};
use crate::text::{Line, is_han, needs_space};

/// A printed value: its text borrowed from the source line (owned only when a separate `%`
/// was joined to it).
#[derive(Clone, Debug)]
pub(crate) struct RawVal<'a> {
    pub num: Num,
    pub printed: Cow<'a, str>,
    pub loc: Loc,
}

/// How the side of a one-segment line of a two-sided table was decided.
#[derive(Clone, Debug)]
pub(crate) enum SideChoice {
    /// The line had a segment for every side, or the table has one side.
    Given,
    /// Inferred, with the reason (shared by the rows of a table it was given for).
    Inferred(Arc<str>),
    /// Could be any of several sides (the reason names them); the first is used.
    Ambiguous(String),
}

/// One row as printed.
#[derive(Clone, Debug)]
pub(crate) struct RawRow<'a> {
    pub side: usize,
    pub label: String,
    pub label_loc: Option<Loc>,
    pub code: Option<String>,
    pub serial: Option<String>,
    pub values: Vec<RawVal<'a>>,
    pub line_loc: Loc,
    pub side_choice: SideChoice,
    /// The label's [`ordinal`], read once (the label as kept, without trailing colons, has the
    /// same: an ordinal ends before them).
    pub ord: Option<(u8, u32)>,
    /// Numbers printed in the code columns that read as no code (`7 11 02` where the 类 cell
    /// holds a stray `7`), kept out of the label and reported (boxed: rare, and rows are
    /// moved by value).
    pub unread_code: Option<Box<(String, Loc)>>,
}

#[derive(Clone, Debug)]
enum Item<'a> {
    /// Text, its location, and whether it was built from single spaced-out ideographs.
    Text(Cow<'a, str>, Loc, bool),
    Val(RawVal<'a>),
}

/// The items of a line, into `out` (cleared first): values (with `18.93 %` joined), texts
/// (with spaced-out names such as `收 入 总 计` joined). In a table aligned by runs of spaces
/// (`aligned`), where one space never parts two cells, Chinese texts one space apart are one
/// name (`信息 网络 及软件 购置`, set justified).
fn items_into<'a>(line: &Line<'a>, aligned: bool, out: &mut Vec<Item<'a>>) {
    out.clear();
    for t in line.token_iter() {
        let loc = line.tok_loc(&t);
        if aligned
            && let Some(Item::Text(s, l, spaced)) = out.last_mut()
            && loc.offset == l.offset + l.len + 1
            && s.chars().next_back().is_some_and(is_han)
            && t.text.chars().next().is_some_and(is_han)
            && !is_ordinal_token(s)
        {
            s.to_mut().push_str(t.text);
            *l = l.join(loc);
            *spaced = false;
            continue;
        }
        if matches!(t.text, "%" | "％")
            && let Some(Item::Val(v)) = out.last_mut()
            && let Num::Number(d) = v.num
        {
            v.num = Num::Percent(d);
            let p = v.printed.to_mut();
            p.push(' ');
            p.push_str(t.text);
            v.loc = v.loc.join(loc);
            continue;
        }
        // `1.` before a name is its ordinal (`1. 一般公共预算资金`), not a value.
        if let Some(num) = parse_cell(t.text).filter(|_| !is_ordinal_token(t.text)) {
            out.push(Item::Val(RawVal {
                num,
                printed: Cow::Borrowed(t.text),
                loc,
            }));
            continue;
        }
        let single_han = {
            let mut cs = t.text.chars();
            matches!((cs.next(), cs.next()), (Some(c), None) if is_han(c))
        };
        // The name after an ordinal token (`1.` `一般公共预算资金`) is one text with it.
        if let Some(Item::Text(s, l, false)) = out.last_mut()
            && is_ordinal_token(s)
        {
            s.to_mut().push_str(t.text);
            *l = l.join(loc);
            continue;
        }
        if single_han && let Some(Item::Text(s, l, true)) = out.last_mut() {
            s.to_mut().push_str(t.text);
            *l = l.join(loc);
            continue;
        }
        out.push(Item::Text(Cow::Borrowed(t.text), loc, single_han));
    }
}

/// Splits the items of a line of a two-sided table into segments, one per side it fills, as
/// `(start, end)` item ranges into `out` (cleared first): a second text starts a new segment.
fn segment_bounds(items: &[Item<'_>], out: &mut Vec<(usize, usize)>) {
    out.clear();
    let mut start = 0usize;
    // Whether the segment so far holds a text.
    let mut has_text = false;
    // Whether the segment so far holds a value.
    let mut has_val = false;
    for (i, it) in items.iter().enumerate() {
        let is_text = matches!(it, Item::Text(..));
        // A classification code before a name, after values, starts the next side's row even
        // when this side's name was wrapped off the line (`30108 6.18 30206 电费 0.00`).
        let code_starts = has_val
            && matches!(it, Item::Val(v) if is_code(&v.printed))
            && matches!(items.get(i + 1), Some(Item::Text(..)));
        if (is_text && has_text) || code_starts {
            out.push((start, i));
            start = i;
            has_text = false;
            has_val = false;
        }
        has_text |= is_text;
        has_val |= !is_text;
    }
    if start < items.len() {
        out.push((start, items.len()));
    }
}

/// Leading ordinal of a label: (style, value). Styles: 0 = `一、`, 1 = `（一）`, 2 = `1.`.
pub(crate) fn ordinal(label: &str) -> Option<(u8, u32)> {
    use crate::text::{is_cn_numeral, numeral_value};
    // Most labels start with neither a bracket nor a numeral: answered at once.
    let first = label.chars().next()?;
    if !(matches!(first, '（' | '(') || is_cn_numeral(first) || first.is_ascii_digit()) {
        return None;
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = label.strip_prefix(open) {
            let end = rest.find(close)?;
            let inner = rest.get(..end)?;
            if !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| is_cn_numeral(c) || c.is_ascii_digit())
            {
                return Some((1, numeral_value(inner)?));
            }
            return None;
        }
    }
    let n: usize = label
        .char_indices()
        .take_while(|(_, c)| is_cn_numeral(*c) || c.is_ascii_digit())
        .map(|(_, c)| c.len_utf8())
        .sum();
    let num = label.get(..n)?;
    let rest = label.get(n..)?;
    if num.is_empty() {
        return None;
    }
    if rest.starts_with('、') && num.chars().all(is_cn_numeral) {
        return Some((0, numeral_value(num)?));
    }
    if (rest.starts_with('.') || rest.starts_with('．') || rest.starts_with('、'))
        && num.chars().all(|c| c.is_ascii_digit())
    {
        return Some((2, numeral_value(num)?));
    }
    None
}

/// Context for reading rows of one table (whose lines borrow from a text of lifetime `'t`).
pub(crate) struct RowReader<'a, 't> {
    pub sides: &'a [Side],
    pub catalogue: &'a Catalogue,
    /// Whether the table's columns are aligned by runs of spaces ([`super::is_aligned`]):
    /// only then may a row's name stand on other lines than its code.
    pub aligned: bool,
    /// Per side, per ordinal style, the last ordinal seen.
    last_ord: Vec<[Option<u32>; 3]>,
    last_serial: Vec<Option<u32>>,
    last_single_side: Option<usize>,
    /// Per side, the last classification code read (empty before the first; each string is
    /// reused from row to row).
    last_code: Vec<String>,
    /// The items and segments of the line being read, in buffers reused from line to line.
    items: Vec<Item<'t>>,
    bounds: Vec<(usize, usize)>,
    /// Per side, the reasons of [`SideChoice::Inferred`] by [`SideWhy`], worded once.
    side_reasons: Vec<[Option<Arc<str>>; 4]>,
}

/// Why a line filling one side of a two-sided table went to that side.
#[derive(Clone, Copy)]
enum SideWhy {
    /// Its ordinal continues the side's.
    Ordinal,
    /// Its name says so.
    Name,
    /// The previous such line went there.
    Previous,
    /// The side's last code shares its code's parent.
    Code,
}

impl<'a, 't> RowReader<'a, 't> {
    pub fn new(sides: &'a [Side], catalogue: &'a Catalogue) -> RowReader<'a, 't> {
        RowReader {
            sides,
            catalogue,
            aligned: false,
            last_ord: vec![[None; 3]; sides.len()],
            last_serial: vec![None; sides.len()],
            last_single_side: None,
            last_code: vec![String::new(); sides.len()],
            items: Vec::new(),
            bounds: Vec::new(),
            side_reasons: Vec::new(),
        }
    }

    /// Reads one data line into rows (one per side it fills).
    #[cfg(test)]
    pub fn read(&mut self, line: &Line<'t>) -> Vec<RawRow<'t>> {
        let mut rows = Vec::new();
        self.read_into(line, &mut rows);
        rows
    }

    /// Reads one data line into rows (one per side it fills), appended to `rows`.
    pub fn read_into(&mut self, line: &Line<'t>, rows: &mut Vec<RawRow<'t>>) {
        let two_sided = self.sides.len() > 1;
        let mut items = std::mem::take(&mut self.items);
        items_into(line, self.aligned, &mut items);
        let line_loc = line.loc();
        if two_sided {
            let mut bounds = std::mem::take(&mut self.bounds);
            segment_bounds(&items, &mut bounds);
            let seg = |(s, e): (usize, usize)| items.get(s..e).unwrap_or_default();
            if let [only] = bounds.as_slice() {
                let mut row = self.row(0, seg(*only), line_loc);
                let (side, choice) = self.choose_side(&row);
                row.side = side;
                row.side_choice = choice;
                self.note(&row);
                self.last_single_side = Some(side);
                rows.push(row);
            } else {
                let n = bounds.len();
                for (k, &b) in bounds.iter().enumerate() {
                    let side = k.min(self.sides.len() - 1);
                    let mut row = self.row(side, seg(b), line_loc);
                    if n > self.sides.len() && k >= self.sides.len() {
                        row.side_choice = SideChoice::Ambiguous(format!(
                            "此行有 {n} 段，多于表格的 {} 栏",
                            self.sides.len()
                        ));
                    }
                    self.note(&row);
                    rows.push(row);
                }
            }
            self.bounds = bounds;
        } else {
            // One segment per line: no splitting.
            let row = self.row(0, &items, line_loc);
            self.note(&row);
            rows.push(row);
        }
        self.items = items;
    }

    fn note(&mut self, row: &RawRow<'_>) {
        // Kept for choosing a side ([`RowReader::choose_side`]): two-sided tables only.
        if self.sides.len() > 1
            && let Some(code) = row.code.as_deref()
            && let Some(slot) = self.last_code.get_mut(row.side)
        {
            slot.clear();
            slot.push_str(code);
        }
        if let Some((style, v)) = row.ord
            && let Some(slot) = self
                .last_ord
                .get_mut(row.side)
                .and_then(|s| s.get_mut(style as usize))
        {
            *slot = Some(v);
        }
    }

    fn row(&mut self, side: usize, items: &[Item<'t>], line_loc: Loc) -> RawRow<'t> {
        let has_serial = self.sides.get(side).is_some_and(|s| s.serial_col.is_some());
        let first_text = items.iter().position(|i| matches!(i, Item::Text(..)));
        let last_text = items.iter().rposition(|i| matches!(i, Item::Text(..)));
        // Values before the first text (serial, code), the texts and values up to the last
        // text (the label), then the row's values: one pass over the items.
        let (head_len, body_len) = match (first_text, last_text) {
            (Some(f), Some(l)) => (f, (l + 1).saturating_sub(f)),
            // No name on the line (it was wrapped onto the lines around it): a leading
            // classification code is still the code.
            _ if self.aligned
                && !has_serial
                && matches!(items.first(), Some(Item::Val(v)) if is_code(&v.printed)) =>
            {
                (1, 0)
            }
            _ => (0, 0),
        };
        let val = |i: &Item<'t>| match i {
            Item::Val(v) => Some(v.clone()),
            Item::Text(..) => None,
        };
        // The items before the first text are values (borrowed, not collected).
        let mut head: &[Item<'t>] = items.get(..head_len).unwrap_or_default();
        let mut it = items.get(head_len..).unwrap_or_default().iter();
        let mut serial = None;
        let mut code = None;
        let mut unread_code = None;
        // A running number continues the previous one; a number that does not, but reads as a
        // classification code, is the code.
        if let Some(Item::Val(first)) = head.first() {
            let value: Option<u32> = first.printed.parse().ok();
            let last = self.last_serial.get(side).copied().flatten();
            let continues = value.is_some_and(|v| v == last.map_or(1, |l| l + 1));
            let plain = is_plain_integer(&first.printed, 4);
            if has_serial && plain && (continues || !is_code(&first.printed) || head.len() > 1) {
                if let Some(slot) = self.last_serial.get_mut(side) {
                    *slot = value;
                }
                serial = Some(first.printed.to_string());
                head = head.get(1..).unwrap_or_default();
            }
        }
        // Room for every piece the label may take and a space between each two: the label is
        // allocated once, not regrown piece by piece.
        let text_len = |i: &Item<'_>| match i {
            Item::Text(s, _, _) => s.len() + 1,
            Item::Val(v) => v.printed.len() + 1,
        };
        let room: usize = head.iter().map(text_len).sum::<usize>()
            + items
                .get(head_len..head_len + body_len)
                .unwrap_or_default()
                .iter()
                .map(text_len)
                .sum::<usize>();
        let mut label = String::with_capacity(room);
        let mut label_loc: Option<Loc> = None;
        let mut add = |s: &str, l: Loc| {
            if !label.is_empty() && needs_space(&label, s) {
                label.push(' ');
            }
            label.push_str(s);
            label_loc = Some(match label_loc {
                Some(x) => x.join(l),
                None => l,
            });
        };
        let digits = |v: &RawVal<'_>, len: usize| v.printed.len() == len && all_digits(&v.printed);
        let two = |v: &RawVal<'_>| digits(v, 2) || digits(v, 1);
        match head {
            [] => {}
            [Item::Val(c)] if is_code(&c.printed) => code = Some(c.printed.to_string()),
            // 类 款 项 in columns; a 款 or 项 printed without its leading zero (`301 2`) is
            // still two digits.
            [Item::Val(a), Item::Val(b)] if digits(a, 3) && two(b) => {
                code = Some(format!("{}{:0>2}", a.printed, b.printed));
            }
            [Item::Val(a), Item::Val(b), Item::Val(c)] if digits(a, 3) && two(b) && two(c) => {
                code = Some(format!("{}{:0>2}{:0>2}", a.printed, b.printed, c.printed));
            }
            // 类 款 项 in the code columns of a coded table, but the 类 is no class code
            // (`7    11   02   事业单位医疗`): the cells are the code's, unreadable; the name is
            // the row's name (the catalogue may still know it by name).
            [Item::Val(a), rest @ ..]
                if self.sides.get(side).is_some_and(|s| s.code_col.is_some())
                    && (1..=2).contains(&rest.len())
                    && !digits(a, 3)
                    && (a.printed.len() <= 3 && all_digits(&a.printed))
                    && rest
                        .iter()
                        .all(|i| matches!(i, Item::Val(v) if digits(v, 2) || digits(v, 1))) =>
            {
                let mut printed = String::new();
                let mut loc = a.loc;
                for item in head {
                    if let Item::Val(v) = item {
                        if !printed.is_empty() {
                            printed.push(' ');
                        }
                        printed.push_str(&v.printed);
                        loc = loc.join(v.loc);
                    }
                }
                unread_code = Some(Box::new((printed, loc)));
            }
            _ => {
                // Not a code: the numbers are part of the label.
                for item in head {
                    if let Item::Val(v) = item {
                        add(&v.printed, v.loc);
                    }
                }
            }
        }
        for item in it.by_ref().take(body_len) {
            match item {
                Item::Text(s, l, _) => add(s, *l),
                Item::Val(v) => add(&v.printed, v.loc),
            }
        }
        // The row's values, allocated at their number.
        let rest = it.as_slice();
        let mut values: Vec<RawVal<'t>> =
            Vec::with_capacity(rest.iter().filter(|i| matches!(i, Item::Val(_))).count());
        values.extend(rest.iter().filter_map(val));
        // `[30201]办公费`: a bracketed code before the name.
        if code.is_none()
            && let Some((c, rest)) = bracket_code(&label)
        {
            code = Some(c);
            label = rest;
        }
        RawRow {
            side,
            ord: ordinal(&label),
            label,
            label_loc,
            code,
            serial,
            values,
            line_loc,
            side_choice: SideChoice::Given,
            unread_code,
        }
    }

    /// The side of a line that fills only one side of a two-sided table: by ordinal
    /// continuity (`十、` follows `九、`), then by what the name says (`…支出` belongs to the
    /// 支出 side; a functional classification name too).
    fn choose_side(&mut self, row: &RawRow<'_>) -> (usize, SideChoice) {
        let n = self.sides.len();
        let ord = row.ord;
        // The sides whose ordinal the row's continues.
        let fits = |s: usize| {
            ord.is_some_and(|(style, v)| {
                let last = self
                    .last_ord
                    .get(s)
                    .and_then(|x| x.get(style as usize))
                    .copied()
                    .flatten();
                match last {
                    Some(l) => l + 1 == v,
                    None => v == 1,
                }
            })
        };
        let mut fitting = (0..n).filter(|&s| fits(s));
        let (first_fit, more_fit) = (fitting.next(), fitting.next().is_some());
        if let (Some(only), false) = (first_fit, more_fit) {
            return (only, self.inferred(SideWhy::Ordinal, only));
        }
        // A code under the parent of the last code one side read (`30299` after `30240` on the
        // right side, `30399` on the left).
        if first_fit.is_none()
            && let Some(code) = row.code.as_deref().filter(|c| c.len() >= 5)
            && let Some(parent) = code.get(..code.len() - 2)
        {
            let mut under = (0..n).filter(|&s| {
                self.last_code
                    .get(s)
                    .is_some_and(|last| last.starts_with(parent))
            });
            if let (Some(only), None) = (under.next(), under.next()) {
                return (only, self.inferred(SideWhy::Code, only));
            }
        }
        if let Some(s) = self.side_by_name(&row.label)
            && (first_fit.is_none() || fits(s))
        {
            return (s, self.inferred(SideWhy::Name, s));
        }
        if ord.is_none()
            && let Some(prev) = self.last_single_side
        {
            return (prev, self.inferred(SideWhy::Previous, prev));
        }
        let candidates: Vec<usize> = if first_fit.is_none() {
            (0..n).collect()
        } else {
            (0..n).filter(|&s| fits(s)).collect()
        };
        let first = candidates.first().copied().unwrap_or(0);
        (
            first,
            SideChoice::Ambiguous(format!(
                "此行只有一栏，无法判断属于{}",
                candidates
                    .iter()
                    .map(|&s| format!("“{}”", self.group(s)))
                    .collect::<Vec<_>>()
                    .join("还是")
            )),
        )
    }

    /// The name of side `s` in reasons.
    fn group(&self, s: usize) -> &str {
        self.sides
            .get(s)
            .and_then(|x| x.group.as_deref())
            .unwrap_or_default()
    }

    /// The reason a line went to side `s`, worded once per side and reason.
    fn inferred(&mut self, why: SideWhy, s: usize) -> SideChoice {
        if self.side_reasons.len() < self.sides.len() {
            self.side_reasons
                .resize(self.sides.len(), Default::default());
        }
        let cached = self
            .side_reasons
            .get(s)
            .and_then(|r| r.get(why as usize))
            .cloned()
            .flatten();
        let reason = match cached {
            Some(r) => r,
            None => {
                let g = self.group(s);
                let text: Arc<str> = match why {
                    SideWhy::Ordinal => format!("此行只有一栏，按序号接续归入“{g}”栏"),
                    SideWhy::Name => format!("此行只有一栏，按名称归入“{g}”栏"),
                    SideWhy::Previous => format!("此行只有一栏，与上一只有一栏的行同归“{g}”栏"),
                    SideWhy::Code => format!("此行只有一栏，按科目编码的上级归入“{g}”栏"),
                }
                .into();
                if let Some(slot) = self
                    .side_reasons
                    .get_mut(s)
                    .and_then(|r| r.get_mut(why as usize))
                {
                    *slot = Some(text.clone());
                }
                text
            }
        };
        SideChoice::Inferred(reason)
    }

    fn side_by_name(&self, label: &str) -> Option<usize> {
        let key = name_key(strip_ordinal(label));
        let names: Vec<&str> = self
            .sides
            .iter()
            .map(|s| s.group.as_deref().unwrap_or_default())
            .collect();
        let spend = names.iter().position(|g| g.contains("支出"));
        let income = names
            .iter()
            .position(|g| g.contains("收入") || g.contains("来源"))
            .or_else(|| {
                if names.len() == 2 {
                    spend.map(|s| 1 - s.min(1))
                } else {
                    None
                }
            });
        let is_functional = || {
            self.catalogue
                .named(&key)
                .any(|e| e.scheme == Scheme::Functional)
        };
        if key.contains("支出") || is_functional() {
            return spend;
        }
        if key.contains("收入") {
            return income;
        }
        None
    }
}

/// The label without a leading ordinal (`一、`, `（一）`, `1.`).
pub(crate) fn strip_ordinal(label: &str) -> &str {
    strip_known_ordinal(label, ordinal(label).is_some())
}

/// [`strip_ordinal`] of a label whose [`ordinal`] is known to be there or not.
pub(crate) fn strip_known_ordinal(label: &str, has_ordinal: bool) -> &str {
    if !has_ordinal {
        return label;
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if label.starts_with(open)
            && let Some(end) = label.find(close)
        {
            return label
                .get(end + close.len_utf8()..)
                .unwrap_or("")
                .trim_start();
        }
    }
    match label.find(['、', '.', '．']) {
        Some(p) => label
            .get(p..)
            .and_then(|r| r.chars().next().map(|c| (p, c.len_utf8())))
            .and_then(|(p, l)| label.get(p + l..))
            .unwrap_or(label)
            .trim_start(),
        None => label,
    }
}

/// `1.`, `12．`: one or two digits and a point, alone as a token.
fn is_ordinal_token(s: &str) -> bool {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    matches!(digits, 1 | 2) && matches!(s.get(digits..), Some("." | "．"))
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_plain_integer(s: &str, max: usize) -> bool {
    all_digits(s) && s.len() <= max
}

/// The warning for a row whose code cells read as no code (`7 11 02`), by either reader: the
/// row is known by its name `label` instead. `table` is the table as messages name it.
pub(crate) fn code_unreadable(
    table: &str,
    printed: &str,
    label: &str,
    loc: Option<Loc>,
) -> IngestWarning {
    IngestWarning {
        code: "code-unreadable".into(),
        message: format!(
            "{table}第 {} 行编码栏中的“{printed}”不是科目编码，这一行按名称“{label}”识别",
            loc.map_or(0, |l| l.line)
        ),
        loc,
    }
}

pub(crate) fn is_code(s: &str) -> bool {
    all_digits(s) && matches!(s.len(), 3 | 5 | 7)
}

fn bracket_code(label: &str) -> Option<(String, String)> {
    let rest = label.strip_prefix(['[', '【', '［', '〔'])?;
    let end = rest.find([']', '】', '］', '〕'])?;
    let code = rest.get(..end)?;
    if !all_digits(code) || code.len() < 3 || code.len() > 7 {
        return None;
    }
    let close_len = rest.get(end..)?.chars().next()?.len_utf8();
    let name = rest.get(end + close_len..)?.trim();
    Some((code.to_string(), name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Source;

    fn side(group: &str) -> Side {
        Side {
            group: Some(group.into()),
            ..Side::default()
        }
    }

    #[test]
    fn ordinals() {
        assert_eq!(ordinal("十、卫生健康支出"), Some((0, 10)));
        assert_eq!(ordinal("（二十九）抗疫特别国债还本支出"), Some((1, 29)));
        assert_eq!(ordinal("1.办公费"), Some((2, 1)));
        assert_eq!(ordinal("总计"), None);
    }

    #[test]
    fn bracket_codes() {
        assert_eq!(
            bracket_code("[30201]办公费"),
            Some(("30201".into(), "办公费".into()))
        );
        assert_eq!(bracket_code("[x]办公费"), None);
    }

    #[test]
    fn one_sided_rows() {
        let cat = Catalogue::default();
        let sides = vec![Side {
            serial_col: Some(0),
            ..Side::default()
        }];
        let mut r = RowReader::new(&sides, &cat);
        let src = Source::new(
            "8 [30211]差旅费 33.00 13.00 20.00\n201 一般公共服务支出 866.07\n收 入 总 计 18.93 %\n",
        );
        let a = r.read(&src.lines[0]).remove(0);
        assert_eq!(a.serial.as_deref(), Some("8"));
        assert_eq!(a.code.as_deref(), Some("30211"));
        assert_eq!(a.label, "差旅费");
        assert_eq!(a.values.len(), 3);
        assert_eq!(a.values[0].loc.column, 14);
        let b = r.read(&src.lines[1]).remove(0);
        assert_eq!(b.code.as_deref(), Some("201"));
        assert_eq!(b.label, "一般公共服务支出");
        let c = r.read(&src.lines[2]).remove(0);
        assert_eq!(c.label, "收入总计");
        assert!(matches!(c.values[0].num, Num::Percent(_)));
        assert_eq!(c.values[0].printed, "18.93 %");
    }

    #[test]
    fn two_sided_rows_and_sides() {
        let cat = Catalogue::default();
        let sides = vec![side("收入"), side("支出")];
        let mut r = RowReader::new(&sides, &cat);
        let src = Source::new(
            "九、其他收入 九、社会保险基金支出\n十、卫生健康支出 42.64\n十一、节能环保支出\n本年收入合计 990.07 本年支出合计 990.07\n十、上年结转 三十一、结转下年\n十一、上年结余\n",
        );
        let rows: Vec<Vec<RawRow>> = src.lines.iter().map(|l| r.read(l)).collect();
        assert_eq!(rows[0].len(), 2);
        assert_eq!(rows[1][0].side, 1);
        assert!(matches!(rows[1][0].side_choice, SideChoice::Inferred(_)));
        assert_eq!(rows[2][0].side, 1);
        assert_eq!(rows[3][1].label, "本年支出合计");
        assert_eq!(rows[5][0].side, 0);
    }

    /// 类 款 项 printed in the code columns, the 类 cell holding a stray `7` (as the social
    /// welfare home's 2024 budget prints it): the cells are no code and no part of the name.
    /// Without code columns the same numbers begin the name.
    #[test]
    fn code_cells_that_read_as_no_code() {
        let cat = Catalogue::default();
        let line = "7    11   02   事业单位医疗    503,724   503,724\n210  11   02   事业单位医疗    503,724   503,724\n";
        let src = Source::new(line);
        let coded = vec![Side {
            code_col: Some(0),
            ..Side::default()
        }];
        let mut r = RowReader::new(&coded, &cat);
        let a = r.read(&src.lines[0]).remove(0);
        assert_eq!(a.code, None);
        assert_eq!(a.label, "事业单位医疗");
        assert_eq!(
            a.unread_code.as_deref().map(|(p, _)| p.as_str()),
            Some("7 11 02")
        );
        assert_eq!(a.values.len(), 2);
        let b = r.read(&src.lines[1]).remove(0);
        assert_eq!(b.code.as_deref(), Some("2101102"));
        assert!(b.unread_code.is_none());
        let plain = vec![Side::default()];
        let mut r = RowReader::new(&plain, &cat);
        let c = r.read(&src.lines[0]).remove(0);
        assert_eq!(c.label, "7 11 02事业单位医疗");
        assert!(c.unread_code.is_none());
    }
}
