//! Ruled grids → tables of the document model.
//!
//! For each grid: the header rows (everything above the first row that holds a number, a
//! classification code, a row label such as `合计` or `一、…`, or nothing at all), the column
//! header paths (merged header cells give their text to every column they span), the column
//! kinds (code, label, serial, amount), the blocks of two-sided and two-up tables (a second
//! code/label column after amounts starts a block), and the rows. The title, unit and notes
//! come from the text lines just above and below the grid. A grid at the top of a page with no
//! title of its own, whose columns match the table before it, continues that table.

use shenhe_model::{
    Catalogue, Cell, CellValue, Column, ColumnKind, IngestWarning, Loc, Note, Placement, Preparer,
    Row, RowKind, Scheme, Table, TableNumber, Unit, name_key,
};

use super::layout::{Framed, Item};
use super::rules::Grid;
use crate::number::{Num, parse_cell};
use crate::preparer::{TABLE_KEYS, field_in};
use crate::segment::unit_in_line;
use crate::table::hierarchy;
use crate::text::{is_cn_numeral, numeral_value};

/// What the tables step found.
pub(crate) struct Built {
    pub(crate) tables: Vec<Table>,
    /// Per item: whether a table used it (title, unit, note, grid).
    pub(crate) used: Vec<bool>,
}

/// Part of a classification code printed in its own column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Lei,
    Kuan,
    Xiang,
}

#[derive(Clone, Debug)]
struct ColSpec {
    path: Vec<String>,
    kind: ColumnKind,
    part: Option<Part>,
    number: Option<String>,
    block: usize,
}

/// The reading of one grid's header: enough to read its body rows, and those of grids that
/// continue it.
#[derive(Clone, Debug)]
struct Shape {
    /// Per grid column.
    cols: Vec<ColSpec>,
    /// Block names (None for a one-block table).
    blocks: Vec<Option<String>>,
    /// Grid column boundaries, to match continuation grids.
    xs: Vec<f64>,
    /// Per grid column: index of its model column (code parts share one).
    model_col: Vec<Option<usize>>,
    /// Header texts, to recognise a repeated header on a continuation page.
    header_key: String,
}

pub(crate) fn clean(text: &str) -> String {
    // Spaces inside CJK text are layout (`收 入`, `合 计`); between Latin words/digits they stay.
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().next_back();
            let next = chars.iter().skip(i + 1).find(|c| !c.is_whitespace());
            let keep = prev.is_some_and(|p| p.is_ascii_alphanumeric())
                && next.is_some_and(|n| n.is_ascii_alphanumeric());
            if keep && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(*c);
        }
    }
    out
}

pub(crate) fn is_number(text: &str) -> bool {
    matches!(parse_cell(text), Some(Num::Number(_) | Num::Percent(_)))
}

/// A classification code: 3, 5 or 7 digits (类, 款, 项), possibly in brackets.
pub(crate) fn is_code(text: &str) -> bool {
    let t = text.trim_matches(|c| c == '[' || c == ']' || c == '【' || c == '】');
    matches!(t.len(), 3 | 5 | 7) && t.bytes().all(|b| b.is_ascii_digit())
}

fn starts_with_ordinal(text: &str) -> bool {
    let t = text.trim_start();
    let rest = t
        .strip_prefix('（')
        .or_else(|| t.strip_prefix('('))
        .unwrap_or(t);
    let n = rest
        .chars()
        .take_while(|c| is_cn_numeral(*c) || c.is_ascii_digit())
        .count();
    if n == 0 {
        return false;
    }
    let after: String = rest.chars().skip(n).take(1).collect();
    matches!(after.as_str(), "、" | "）" | ")" | "." | "．")
}

pub(crate) fn is_total_label(text: &str) -> bool {
    let k = name_key(text);
    k.ends_with("合计") || k.ends_with("总计") || k.ends_with("小计")
}

/// A label that starts a body row.
pub(crate) fn is_body_label(text: &str) -> bool {
    let k = name_key(text);
    is_code(&k)
        || starts_with_ordinal(&k)
        || is_total_label(&k)
        || k.starts_with("其中")
        || split_code(&k).is_some()
}

pub(crate) fn is_numbering_label(text: &str) -> bool {
    matches!(
        name_key(text).as_str(),
        "栏次" | "行次" | "栏号" | "甲" | "乙" | "丙"
    )
}

impl Framed {
    fn text(&self, cell: usize) -> &str {
        self.cells.get(cell).map_or("", |c| c.text.as_str())
    }

    /// Cells whose top row is `r`, left to right.
    fn row_cells(&self, r: usize) -> Vec<usize> {
        let mut ids: Vec<usize> = (0..self.grid.cells.len())
            .filter(|&i| self.grid.cells.get(i).is_some_and(|c| c.row0 == r))
            .collect();
        ids.sort_by_key(|&i| self.grid.cells.get(i).map_or(0, |c| c.col0));
        ids
    }

    fn is_numbering_row(&self, r: usize) -> bool {
        let texts: Vec<&str> = self
            .row_cells(r)
            .into_iter()
            .map(|i| self.text(i).trim())
            .filter(|t| !t.is_empty())
            .collect();
        let ints: Vec<u32> = texts.iter().filter_map(|t| t.parse::<u32>().ok()).collect();
        let labels = texts.iter().filter(|t| is_numbering_label(t)).count();
        !ints.is_empty()
            && ints.len() + labels == texts.len()
            && ints.iter().all(|n| (1..=60).contains(n))
            && ints.windows(2).all(|w| matches!(w, [a, b] if b > a))
            && (labels > 0 || ints.len() >= 2)
    }

    /// Number of header rows.
    fn header_rows(&self) -> usize {
        for r in 0..self.grid.rows() {
            if self.is_numbering_row(r) {
                continue;
            }
            let from_above = self.grid.cells.iter().enumerate().any(|(i, c)| {
                c.row0 < r && c.row1 > r && {
                    let t = self.text(i).trim();
                    !t.is_empty() && !is_number(t)
                }
            });
            if from_above {
                continue;
            }
            let texts: Vec<&str> = self
                .row_cells(r)
                .into_iter()
                .map(|i| self.text(i).trim())
                .filter(|t| !t.is_empty())
                .collect();
            let Some(first) = texts.first() else {
                return r;
            };
            if texts.iter().any(|t| is_number(t)) {
                return r;
            }
            // A row of labels only is a body row when every text is one (`合计`, `一、…`, a
            // code); header rows name several columns (`合计 | 因公出国（境）费 | …`).
            if is_body_label(first) && texts.iter().all(|t| is_body_label(t)) {
                return r;
            }
        }
        self.grid.rows()
    }
}

fn header_kind(path: &[String]) -> Option<(ColumnKind, Option<Part>)> {
    let last = path.last().map(|s| name_key(s)).unwrap_or_default();
    match last.as_str() {
        "类" => return Some((ColumnKind::Code, Some(Part::Lei))),
        "款" => return Some((ColumnKind::Code, Some(Part::Kuan))),
        "项" => return Some((ColumnKind::Code, Some(Part::Xiang))),
        _ => {}
    }
    if last.contains("编码") || last.contains("代码") {
        return Some((ColumnKind::Code, None));
    }
    if last.contains("序号") || last == "行次" {
        return Some((ColumnKind::Serial, None));
    }
    if last == "备注" || last == "说明" {
        return Some((ColumnKind::Text, None));
    }
    let labelish = last == "项目"
        || last.starts_with("项目(")
        || last.ends_with("名称")
        || last == "科目"
        || last == "支出功能分类科目"
        || last.ends_with("功能分类");
    if labelish {
        return Some((ColumnKind::Label, None));
    }
    None
}

/// Reads the header and column kinds of a grid.
fn shape(f: &Framed, header_rows: usize) -> Shape {
    let cols_n = f.grid.cols();
    let numbering: Vec<usize> = (0..header_rows)
        .filter(|&r| f.is_numbering_row(r))
        .collect();
    let mut cols: Vec<ColSpec> = Vec::with_capacity(cols_n);
    let mut header_key = String::new();
    for c in 0..cols_n {
        let mut path: Vec<String> = Vec::new();
        let mut last_cell: Option<usize> = None;
        let mut number = None;
        for r in 0..header_rows {
            let Some(ci) = f.grid.cell_at(r, c) else {
                continue;
            };
            if numbering.contains(&r) {
                let t = f.text(ci).trim();
                let single = f.grid.cells.get(ci).is_some_and(|g| g.col1 - g.col0 == 1);
                if single && t.parse::<u32>().is_ok() {
                    number = Some(t.to_string());
                }
                continue;
            }
            if last_cell == Some(ci) {
                continue;
            }
            last_cell = Some(ci);
            if is_mixed_total(f, ci) {
                continue;
            }
            let t = clean(f.text(ci));
            if !t.is_empty() {
                path.push(t);
            }
        }
        header_key.push_str(&path.join("/"));
        header_key.push('|');
        cols.push(ColSpec {
            path,
            kind: ColumnKind::Amount,
            part: None,
            number,
            block: 0,
        });
    }
    // Kinds: from the header where it says, else from the body.
    let body: Vec<usize> = (header_rows..f.grid.rows()).collect();
    for (c, spec) in cols.iter_mut().enumerate() {
        if let Some((k, part)) = header_kind(&spec.path) {
            spec.kind = k;
            spec.part = part;
            continue;
        }
        let mut numbers = 0usize;
        let mut codes = 0usize;
        let mut texts = 0usize;
        for &r in &body {
            let Some(ci) = f.grid.cell_at(r, c) else {
                continue;
            };
            let Some(cell) = f.grid.cells.get(ci) else {
                continue;
            };
            if cell.row0 != r || cell.col0 != c {
                continue;
            }
            let t = f.text(ci).trim();
            if t.is_empty() {
                continue;
            }
            if is_code(t) {
                codes += 1;
            } else if is_number(t) || matches!(parse_cell(t), Some(Num::Dash)) {
                numbers += 1;
            } else {
                texts += 1;
            }
        }
        spec.kind = if codes > numbers && codes >= texts && spec.path.is_empty() {
            ColumnKind::Code
        } else if texts > numbers + codes {
            ColumnKind::Label
        } else {
            ColumnKind::Amount
        };
    }
    // Blocks: a code/label/serial column after a value column starts a new block; a second label
    // column within a block is plain text.
    let mut block = 0usize;
    let mut seen_value = false;
    let mut seen_label = false;
    let mut prev_path: Option<Vec<String>> = None;
    for spec in cols.iter_mut() {
        let key_col = matches!(
            spec.kind,
            ColumnKind::Code | ColumnKind::Label | ColumnKind::Serial
        );
        if key_col && seen_value {
            block += 1;
            seen_value = false;
            seen_label = false;
        }
        if spec.kind == ColumnKind::Label {
            // A label column split by a stray line keeps its header: still the label.
            let same_as_prev = prev_path.as_ref() == Some(&spec.path);
            if seen_label && !same_as_prev {
                spec.kind = ColumnKind::Text;
                seen_value = true;
            }
            seen_label = true;
        }
        prev_path = Some(spec.path.clone());
        if matches!(spec.kind, ColumnKind::Amount | ColumnKind::Text) {
            seen_value = true;
        }
        spec.block = block;
    }
    let n_blocks = block + 1;
    let mut blocks: Vec<Option<String>> = vec![None; n_blocks];
    if n_blocks > 1 {
        // A top header cell covering exactly one block names it (收入 | 支出).
        for (b, name) in blocks.iter_mut().enumerate() {
            let span: Vec<usize> = (0..cols_n)
                .filter(|&c| cols.get(c).is_some_and(|s| s.block == b))
                .collect();
            let (Some(&lo), Some(&hi)) = (span.first(), span.last()) else {
                continue;
            };
            let top = f.grid.cell_at(0, lo);
            let exact = top
                .and_then(|ci| f.grid.cells.get(ci))
                .is_some_and(|g| g.col0 == lo && g.col1 == hi + 1 && g.row1 <= header_rows);
            if exact {
                let t = clean(top.map_or("", |ci| f.text(ci)));
                if !t.is_empty() {
                    for c in lo..=hi {
                        if let Some(s) = cols.get_mut(c)
                            && s.path.first() == Some(&t)
                        {
                            s.path.remove(0);
                        }
                    }
                    *name = Some(t);
                }
            }
        }
    }
    // Model columns: consecutive code parts of a block share one column, and so do
    // consecutive code or label columns under the same header (a code cell some rows split
    // into 类 | 款 | 项).
    let mut model_col = vec![None; cols_n];
    let mut next = 0usize;
    let mut prev: Option<&ColSpec> = None;
    for (c, spec) in cols.iter().enumerate() {
        let joins = prev.is_some_and(|p| {
            p.block == spec.block
                && p.kind == spec.kind
                && ((p.part.is_some() && spec.part.is_some())
                    || (p.part.is_none()
                        && spec.part.is_none()
                        && matches!(spec.kind, ColumnKind::Code | ColumnKind::Label)
                        && p.path == spec.path))
        });
        prev = Some(spec);
        if joins && next > 0 {
            if let Some(slot) = model_col.get_mut(c) {
                *slot = Some(next - 1);
            }
            continue;
        }
        if let Some(slot) = model_col.get_mut(c) {
            *slot = Some(next);
        }
        next += 1;
    }
    Shape {
        cols,
        blocks,
        xs: f.grid.xs.clone(),
        model_col,
        header_key,
    }
}

/// A `合计` row label printed in a header row (the national 决算 template puts the 合计 label
/// on the same line as the sub-headers of 本年支出): a leftmost cell reading as a total.
fn is_mixed_total(f: &Framed, ci: usize) -> bool {
    let Some(g) = f.grid.cells.get(ci) else {
        return false;
    };
    // Under a row-label header (`项目`, `科目名称`, `…编码`), not under a column group.
    let under_label = (0..g.row0).any(|r| {
        f.grid.cell_at(r, 0).is_some_and(|above| {
            let k = name_key(f.text(above));
            k.contains("项目") || k.contains("科目") || k.contains("名称") || k.contains("编码")
        })
    });
    g.col0 == 0 && under_label && is_total_label(f.text(ci))
}

/// The model columns of a shape.
fn model_columns(s: &Shape, f: &Framed, header_rows: usize) -> Vec<Column> {
    let mut out: Vec<Column> = Vec::new();
    for (c, spec) in s.cols.iter().enumerate() {
        let Some(mc) = s.model_col.get(c).copied().flatten() else {
            continue;
        };
        if mc < out.len() {
            continue;
        }
        let mut path = spec.path.clone();
        if spec.part.is_some() {
            // `…编码 / 类` → the code column is named by what the parts share.
            path.pop();
        }
        let loc = (0..header_rows)
            .rev()
            .filter_map(|r| f.grid.cell_at(r, c))
            .find_map(|ci| f.cells.get(ci).and_then(|t| t.loc));
        out.push(Column {
            path,
            kind: spec.kind,
            number: spec.number.clone(),
            group: s.blocks.get(spec.block).cloned().flatten(),
            unit: None,
            loc,
        });
    }
    out
}

/// A grid column of a continuation grid → the grid column of the table it continues. Ruled
/// frames must line up at both edges; a grid found by alignment at one edge, its columns in
/// order (columns blank on a page are missing from its grid).
fn map_columns(prev: &Shape, grid: &Grid, ruled: bool) -> Option<Vec<usize>> {
    let xs = &grid.xs;
    let n = xs.len().checked_sub(1)?;
    if n == 0 {
        return None;
    }
    let mut out = Vec::with_capacity(n);
    for c in 0..n {
        let (a, b) = (*xs.get(c)?, *xs.get(c + 1)?);
        // A grid found by alignment: where its text aligns; a ruled one: the middle.
        let at = grid.anchors.get(c).copied().unwrap_or((a + b) / 2.0);
        let pc = prev
            .xs
            .windows(2)
            .position(|w| matches!(w, [pa, pb] if at >= *pa && at < *pb))?;
        out.push(pc);
    }
    // The frames must line up: same outer edges within a few points.
    let same_left = (prev.xs.first()? - xs.first()?).abs() < 6.0;
    let same_right = (prev.xs.last()? - xs.last()?).abs() < 6.0;
    let same_edges = if ruled {
        same_left && same_right
    } else {
        // Columns blank on this page leave no trace: one edge and the order must agree.
        (same_left || same_right) && out.windows(2).all(|w| matches!(w, [a, b] if b > a))
    };
    same_edges.then_some(out)
}

fn code_of(parts: &[(Part, String)], single: Option<&str>) -> Option<String> {
    if let Some(s) = single {
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        return (digits.len() >= 3
            && digits.len() == s.trim_matches(|c| c == '[' || c == ']').len())
        .then_some(digits);
    }
    let get = |p: Part| {
        parts
            .iter()
            .find(|(q, _)| *q == p)
            .map(|(_, t)| t.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    let lei = get(Part::Lei)?;
    if lei.len() != 3 || !lei.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut code = lei;
    for p in [Part::Kuan, Part::Xiang] {
        let Some(t) = get(p) else { break };
        if !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 2 {
            return None;
        }
        // A part printed without its leading zero (`2` for `02`) by a spreadsheet.
        code.push_str(&format!("{t:0>2}"));
    }
    Some(code)
}

/// Splits a leading code off a label (`2010104 行政运行`, `[30201]办公费`).
fn split_code(label: &str) -> Option<(String, String)> {
    let t = label.trim();
    let (inner, rest) = if let Some(r) = t.strip_prefix('[').or_else(|| t.strip_prefix('【')) {
        let end = r.find([']', '】'])?;
        let (a, b) = r.split_at(end);
        (a, b.get(3..).or_else(|| b.get(1..)).unwrap_or(""))
    } else {
        let n = t.bytes().take_while(u8::is_ascii_digit).count();
        (t.get(..n)?, t.get(n..)?)
    };
    let rest = rest.trim_start_matches([' ', ']', '】']);
    // `2024年…` is a year, `1.5` a number: neither starts with a code.
    let not_code = |c: char| c.is_ascii_digit() || matches!(c, '.' | '年' | '%' | ',');
    (is_code(inner) && !rest.is_empty() && !rest.starts_with(not_code))
        .then(|| (inner.to_string(), rest.to_string()))
}

struct TableBuilder {
    table: Table,
    shape: Shape,
    /// Row index → block, for the hierarchy.
    sides: Vec<usize>,
    last_page: u32,
    bottom: f64,
}

fn value_of(text: &str) -> CellValue {
    let t = text.trim();
    if t.is_empty() {
        return CellValue::Blank;
    }
    match parse_cell(t) {
        Some(Num::Number(d)) => CellValue::Number(d),
        Some(Num::Percent(d)) => CellValue::Percent(d),
        Some(Num::Dash) | None => CellValue::Text(t.to_string()),
    }
}

/// Reads the body rows `rows` of a grid into the table. `map` gives, per grid column of `f`,
/// the grid column of the shape.
/// Reads grid rows `rows` of frame `f` into the table being built. Code cells that read as no
/// code (`7` in the 类 column) are reported in `warnings`; the row is known by its name.
fn read_rows(
    b: &mut TableBuilder,
    f: &Framed,
    rows: std::ops::Range<usize>,
    map: &[usize],
    warnings: &mut Vec<IngestWarning>,
) {
    let shape = &b.shape;
    let n_blocks = shape.blocks.len().max(1);
    for r in rows {
        let ids = f.row_cells(r);
        for blk in 0..n_blocks {
            let mut label = String::new();
            let mut label_loc: Option<Loc> = None;
            let mut parts: Vec<(Part, String)> = Vec::new();
            let mut parts_loc: Option<Loc> = None;
            let mut single_code: Option<(String, Option<Loc>)> = None;
            let mut serial: Option<String> = None;
            let mut values: Vec<(usize, String, Option<Loc>)> = Vec::new();
            let mut first_loc: Option<Loc> = None;
            for &ci in &ids {
                let Some(gc) = f.grid.cells.get(ci) else {
                    continue;
                };
                let covered: Vec<usize> = (gc.col0..gc.col1)
                    .filter_map(|c| map.get(c).copied())
                    .collect();
                let Some(&c0) = covered.first() else { continue };
                let Some(spec) = shape.cols.get(c0) else {
                    continue;
                };
                if spec.block != blk {
                    continue;
                }
                let text = clean(f.text(ci));
                let loc = f.cells.get(ci).and_then(|t| t.loc);
                if text.is_empty() {
                    continue;
                }
                if first_loc.is_none() {
                    first_loc = loc;
                }
                let covers_label = covered.iter().any(|&c| {
                    shape
                        .cols
                        .get(c)
                        .is_some_and(|s| s.kind == ColumnKind::Label)
                });
                match spec.kind {
                    ColumnKind::Code if covered.len() > 1 && !is_code(&text) => {
                        label.push_str(&text);
                        label_loc = label_loc.or(loc);
                    }
                    ColumnKind::Code => match spec.part {
                        Some(p) => {
                            parts.push((p, text));
                            parts_loc = match (parts_loc, loc) {
                                (Some(a), Some(l)) => Some(a.join(l)),
                                (a, l) => a.or(l),
                            };
                        }
                        None => single_code = Some((text, loc)),
                    },
                    _ if covers_label => {
                        label.push_str(&text);
                        label_loc = label_loc.or(loc);
                    }
                    ColumnKind::Serial => serial = Some(text),
                    ColumnKind::Label => {
                        label.push_str(&text);
                        label_loc = label_loc.or(loc);
                    }
                    ColumnKind::Amount | ColumnKind::Text => {
                        if let Some(mc) = shape.model_col.get(c0).copied().flatten() {
                            values.push((mc, text, loc));
                        }
                    }
                }
            }
            let mut code = code_of(&parts, single_code.as_ref().map(|(t, _)| t.as_str()));
            let mut unread_code = None;
            let mut unread_code_loc = None;
            if code.is_none() && !parts.is_empty() && !label.is_empty() {
                let printed: Vec<&str> = parts.iter().map(|(_, t)| t.as_str()).collect();
                let printed = printed.join(" ");
                warnings.push(crate::table::rows::code_unreadable(
                    &format!("“{}”", b.table.title),
                    &printed,
                    &label,
                    parts_loc.or(label_loc),
                ));
                unread_code = Some(printed);
                unread_code_loc = parts_loc.or(label_loc);
            }
            if code.is_none() && single_code.is_some() && label.is_empty() {
                // A code column holding text: it is the label.
                if let Some((t, l)) = single_code.take() {
                    label = t;
                    label_loc = l;
                }
            }
            if code.is_none()
                && let Some((c, rest)) = split_code(&label)
            {
                code = Some(c);
                label = rest;
            }
            if label.is_empty() && code.is_none() && values.is_empty() && serial.is_none() {
                continue;
            }
            // Note rows inside the frame (`注：…` across the table).
            if values.is_empty() && code.is_none() && is_note(&label) {
                b.table.notes.push(Note {
                    text: label,
                    loc: label_loc.unwrap_or_default(),
                });
                continue;
            }
            let kind = if is_total_label(&label) {
                RowKind::Total
            } else {
                RowKind::Item
            };
            let mut cells: Vec<Cell> = Vec::new();
            for (mc, col) in b.table.columns.iter().enumerate() {
                let in_block = shape
                    .cols
                    .iter()
                    .zip(shape.model_col.iter())
                    .any(|(s, m)| *m == Some(mc) && s.block == blk);
                if !in_block || !matches!(col.kind, ColumnKind::Amount | ColumnKind::Text) {
                    continue;
                }
                let found = values.iter().find(|(m, _, _)| *m == mc);
                cells.push(match found {
                    Some((_, t, l)) => Cell {
                        column: mc,
                        value: value_of(t),
                        loc: *l,
                        placement: Placement::Direct,
                    },
                    None => Cell {
                        column: mc,
                        value: CellValue::Blank,
                        loc: None,
                        placement: Placement::Direct,
                    },
                });
            }
            let row_line = f.row_lines.get(r).copied().unwrap_or(0);
            let loc = label_loc.or(first_loc).unwrap_or(Loc {
                line: row_line,
                page: Some(f.page),
                ..Loc::default()
            });
            b.table.rows.push(Row {
                label,
                code,
                unread_code,
                unread_code_loc,
                serial,
                classification: None,
                kind,
                group: shape.blocks.get(blk).cloned().flatten(),
                parent: None,
                cells,
                loc,
            });
            b.sides.push(blk);
        }
    }
}

pub(crate) fn is_note(text: &str) -> bool {
    let k = name_key(text);
    k.starts_with("注") || k.starts_with("说明") || k.starts_with("备注")
}

/// `表1：高等学校收支决算总表` → (表1, `高等学校收支决算总表`).
fn numbered(title: &str) -> (Option<TableNumber>, String) {
    let t = title.trim();
    let (prefix, after) = match t.strip_prefix("附表") {
        Some(r) => ("附表", r),
        None => match t.strip_prefix('表') {
            Some(r) => ("表", r),
            None => return (None, t.to_string()),
        },
    };
    let after = after.trim_start();
    let num: String = after
        .chars()
        .take_while(|c| c.is_ascii_digit() || is_cn_numeral(*c))
        .collect();
    let Some(ordinal) = (!num.is_empty()).then(|| numeral_value(&num)).flatten() else {
        return (None, t.to_string());
    };
    let rest = after
        .get(num.len()..)
        .unwrap_or("")
        .trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '：' | ':' | '、' | '.' | '．')
        });
    if rest.is_empty() {
        return (None, t.to_string());
    }
    (
        Some(TableNumber {
            printed: format!("{prefix}{num}"),
            ordinal,
        }),
        rest.to_string(),
    )
}

pub(crate) fn is_title(text: &str) -> bool {
    let t = clean(text);
    let n = t.chars().count();
    (4..=60).contains(&n)
        && t.contains('表')
        && !t
            .chars()
            .any(|c| matches!(c, '，' | '。' | '；' | ',' | ';'))
        && !is_note(&t)
        && !t.contains('…')
}

/// The unit a line states (`单位：万元`), wherever it stands in the line (`单位名称： 单位：万元`).
pub(crate) fn unit_of_line(text: &str) -> Option<Unit> {
    text.match_indices("单位")
        .find_map(|(i, _)| text.get(i..).and_then(unit_in_line))
        .map(|(u, _, _)| u)
}

/// Whether a line is a table field naming a body (`编制部门：…`, `编制单位：…`, a blank
/// `单位名称：`), compared by name key (PDF text may space the field's chars out).
pub(crate) fn is_unit_name_line(text: &str) -> bool {
    let k = name_key(text);
    TABLE_KEYS
        .iter()
        .any(|key| k.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
}

/// The preparing body a line above a grid names, located at the line.
fn preparer_of(t: &super::layout::Text) -> Option<Preparer> {
    let (s, e) = field_in(&t.text, &TABLE_KEYS)?;
    Some(Preparer {
        name: t.text.get(s..e)?.to_string(),
        loc: t.loc?,
    })
}

/// Text that repeats on every page (page numbers) and never blocks a continuation.
pub(crate) fn is_furniture(text: &str) -> bool {
    let t = text
        .trim()
        .trim_matches(|c: char| c == '-' || c == '—' || c.is_whitespace());
    !t.is_empty() && t.len() <= 4 && t.chars().all(|c| c.is_ascii_digit())
        || t.starts_with('第') && t.ends_with('页') && t.chars().count() <= 8
}

/// Builds the tables of a document.
pub(crate) fn build(
    items: &[Item],
    cat: &Catalogue,
    year: Option<i32>,
    warnings: &mut Vec<IngestWarning>,
) -> Built {
    let mut used = vec![false; items.len()];
    let mut done: Vec<TableBuilder> = Vec::new();
    let mut open: Option<TableBuilder> = None;
    for (idx, item) in items.iter().enumerate() {
        let Item::Grid(f) = item else { continue };
        if let Some(slot) = used.get_mut(idx) {
            *slot = true;
        }
        // Lines above the grid on its page: title, unit, unit-name line.
        let mut title: Option<(usize, String, Option<Loc>)> = None;
        let mut unit: Option<Unit> = None;
        let mut preparer: Option<Preparer> = None;
        let mut above_blocking = false;
        let mut k = idx;
        let mut scanned = 0usize;
        while k > 0 && scanned < 6 {
            k -= 1;
            let Some(Item::Text(t)) = items.get(k) else {
                break;
            };
            if t.page != f.page || used.get(k).copied().unwrap_or(true) {
                break;
            }
            scanned += 1;
            let stated_unit = unit_of_line(&t.text);
            if stated_unit.is_some() || is_unit_name_line(&t.text) {
                unit = unit.or(stated_unit);
                if preparer.is_none() {
                    preparer = preparer_of(t);
                }
                if let Some(slot) = used.get_mut(k) {
                    *slot = true;
                }
                continue;
            }
            if is_furniture(&t.text) {
                continue;
            }
            if title.is_none() && is_title(&t.text) {
                title = Some((k, clean(&t.text), t.loc));
                if let Some(slot) = used.get_mut(k) {
                    *slot = true;
                }
                break;
            }
            above_blocking = true;
            break;
        }
        let header_rows = f.header_rows();
        // Continuation of the open table?
        if let Some(b) = open.as_mut() {
            let next_page = f.page == b.last_page + 1;
            let first_on_page = !items.iter().take(idx).any(|it| match it {
                Item::Grid(g) => g.page == f.page,
                Item::Text(t) => t.page == f.page && !is_furniture(&t.text),
            });
            if title.is_none() && unit.is_none() && !above_blocking && next_page && first_on_page {
                let repeated =
                    header_rows > 0 && shape(f, header_rows).header_key == b.shape.header_key;
                let body_from = if repeated { header_rows } else { 0 };
                if let Some(map) = map_columns(&b.shape, &f.grid, f.ruled) {
                    read_rows(b, f, body_from..f.grid.rows(), &map, warnings);
                    b.last_page = f.page;
                    b.bottom = f.grid.bottom();
                    collect_notes(items, idx, &mut used, &mut b.table.notes);
                    continue;
                }
            }
        }
        if let Some(b) = open.take() {
            done.push(b);
        }
        let s = shape(f, header_rows);
        let columns = model_columns(&s, f, header_rows);
        let (number, title_text, loc) = match &title {
            Some((_, t, l)) => {
                let (n, rest) = numbered(t);
                (n, rest, l.unwrap_or_default())
            }
            None => {
                warnings.push(IngestWarning {
                    code: "pdf-table-untitled".into(),
                    message: format!("第 {} 页有一个表格上方没有找到表题", f.page),
                    loc: f.cells.first().and_then(|c| c.loc),
                });
                (
                    None,
                    String::new(),
                    Loc {
                        line: f.row_lines.first().copied().unwrap_or(0),
                        page: Some(f.page),
                        ..Loc::default()
                    },
                )
            }
        };
        let map: Vec<usize> = (0..f.grid.cols()).collect();
        let mut b = TableBuilder {
            table: Table {
                number,
                title: title_text,
                role: None,
                unit,
                preparer,
                columns,
                rows: Vec::new(),
                notes: Vec::new(),
                loc,
            },
            shape: s,
            sides: Vec::new(),
            last_page: f.page,
            bottom: f.grid.bottom(),
        };
        // A total label left in a header row is a row of its own, with blank values.
        let mixed = (0..header_rows)
            .flat_map(|r| f.row_cells(r))
            .find(|&ci| is_mixed_total(f, ci));
        if let Some(ci) = mixed {
            let cells = b
                .table
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| matches!(c.kind, ColumnKind::Amount | ColumnKind::Text))
                .map(|(i, _)| Cell {
                    column: i,
                    value: CellValue::Blank,
                    loc: None,
                    placement: Placement::Direct,
                })
                .collect();
            b.table.rows.push(Row {
                label: clean(f.text(ci)),
                kind: RowKind::Total,
                cells,
                loc: f.cells.get(ci).and_then(|c| c.loc).unwrap_or_default(),
                ..Row::default()
            });
            b.sides.push(0);
        }
        read_rows(&mut b, f, header_rows..f.grid.rows(), &map, warnings);
        collect_notes(items, idx, &mut used, &mut b.table.notes);
        open = Some(b);
    }
    if let Some(b) = open.take() {
        done.push(b);
    }
    let tables = done
        .into_iter()
        .map(|mut b| {
            name_blocks(&mut b);
            let scheme = if b.table.title.contains("经济分类") {
                Some(Scheme::Economic)
            } else if b.table.title.contains("功能分类") {
                Some(Scheme::Functional)
            } else {
                None
            };
            let ords = hierarchy::ordinals(&b.table.rows);
            hierarchy::classify(&mut b.table.rows, &b.sides, &ords, scheme, cat, year);
            hierarchy::link(&mut b.table.rows, &b.sides, &ords, None);
            let has_amounts = b.table.columns.iter().any(|c| c.kind == ColumnKind::Amount);
            if b.table.unit.is_none() && has_amounts {
                warnings.push(IngestWarning {
                    code: "pdf-table-no-unit".into(),
                    message: format!(
                        "表格“{}”（第 {} 页）没有注明金额单位（单位：元/万元），金额无法换算比较",
                        b.table.display_name(),
                        b.table.loc.page.unwrap_or(0)
                    ),
                    loc: Some(b.table.loc),
                });
            }
            b.table
        })
        .collect();
    Built { tables, used }
}

/// Two-up blocks without a header of their own are named by their total row
/// (`人员经费合计` → `人员经费`).
fn name_blocks(b: &mut TableBuilder) {
    let n = b.shape.blocks.len();
    if n < 2 {
        return;
    }
    for blk in 0..n {
        if b.shape.blocks.get(blk).is_some_and(Option::is_some) {
            continue;
        }
        let name = crate::table::block_name(&b.table.rows, &b.sides, blk);
        if let Some(slot) = b.shape.blocks.get_mut(blk) {
            *slot = Some(name.clone());
        }
        for (r, s) in b.table.rows.iter_mut().zip(b.sides.iter()) {
            if *s == blk {
                r.group = Some(name.clone());
            }
        }
        for (c, spec) in b.shape.cols.iter().enumerate() {
            if spec.block != blk {
                continue;
            }
            if let Some(mc) = b.shape.model_col.get(c).copied().flatten()
                && let Some(col) = b.table.columns.get_mut(mc)
            {
                col.group = Some(name.clone());
            }
        }
    }
}

/// Notes right below a grid: lines starting with 注/说明/备注 and the lines that continue them.
fn collect_notes(items: &[Item], idx: usize, used: &mut [bool], notes: &mut Vec<Note>) {
    let Some(Item::Grid(f)) = items.get(idx) else {
        return;
    };
    let mut k = idx + 1;
    let mut last_bottom = f.grid.bottom();
    let mut in_note = false;
    while let Some(Item::Text(t)) = items.get(k) {
        if t.page != f.page {
            break;
        }
        let gap = last_bottom - t.line.top;
        if gap > 2.5 * t.line.size.max(1.0) {
            break;
        }
        let text = t.text.trim();
        if is_note(text) {
            notes.push(Note {
                text: clean(text),
                loc: t.loc.unwrap_or_default(),
            });
            in_note = true;
        } else if in_note && !is_title(text) && !is_furniture(text) {
            if let Some(n) = notes.last_mut() {
                n.text.push_str(&clean(text));
                if let Some(l) = t.loc {
                    n.loc = n.loc.join(l);
                }
            }
        } else {
            break;
        }
        if let Some(slot) = used.get_mut(k) {
            *slot = true;
        }
        last_bottom = t.line.bottom;
        k += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_from_parts() {
        let p = |a: &str, b: &str, c: &str| {
            vec![
                (Part::Lei, a.to_string()),
                (Part::Kuan, b.to_string()),
                (Part::Xiang, c.to_string()),
            ]
        };
        assert_eq!(
            code_of(&p("204", "06", "01"), None).as_deref(),
            Some("2040601")
        );
        assert_eq!(code_of(&p("301", "2", ""), None).as_deref(), Some("30102"));
        assert_eq!(code_of(&p("201", "", ""), None).as_deref(), Some("201"));
        assert_eq!(code_of(&p("合计", "", ""), None), None);
        assert_eq!(code_of(&[], Some("2080505")).as_deref(), Some("2080505"));
        assert_eq!(code_of(&[], Some("[30201]")).as_deref(), Some("30201"));
    }

    #[test]
    fn titles_and_numbers() {
        let (n, t) = numbered("表 1：高等学校收支决算总表");
        assert_eq!(n.unwrap().printed, "表1");
        assert_eq!(t, "高等学校收支决算总表");
        let (n, t) = numbered("2024年部门财务收支预算总表");
        assert!(n.is_none());
        assert_eq!(t, "2024年部门财务收支预算总表");
        assert!(is_title("2024年部门财务收支预算总表"));
        assert!(!is_title("注：本表反映部门本年度的总收支情况。"));
    }

    #[test]
    fn labels() {
        assert!(is_body_label("一、一般公共预算财政拨款收入"));
        assert!(is_body_label("合 计"));
        assert!(is_body_label("2080505"));
        assert!(!is_body_label("功能分类科目编码"));
        assert_eq!(
            split_code("2010104 行政运行"),
            Some(("2010104".into(), "行政运行".into()))
        );
        assert_eq!(
            split_code("[30201]办公费"),
            Some(("30201".into(), "办公费".into()))
        );
        assert_eq!(split_code("2024年预算"), None);
        assert_eq!(clean("收 入 总 计"), "收入总计");
        assert_eq!(clean("Southwest University"), "Southwest University");
    }
}
