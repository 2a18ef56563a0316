//! Tables printed without ruling lines: grids from the alignment of words.
//!
//! Many disclosures (and spreadsheet exports) print tables with no lines, or with horizontal
//! rules only, which [`super::rules`] cannot frame. Here the text lines of a page that lie
//! outside every ruled grid are read for tables:
//!
//! - **Extent.** A block is a run of lines between a table title, a unit or unit-name line, a
//!   note, page furniture, a running paragraph or a wide vertical gap. A block is a table when
//!   it has body lines (lines with a number after their first word) and at least two columns.
//! - **Columns.** Body lines with the usual number of words give the columns: the x-ranges their
//!   words cover, separated by whitespace gutters that run through every such line (numbers are
//!   right-aligned, labels left-aligned, so each column is one covered range). Words of the
//!   other lines (header lines, rows with blank cells or a total label across the code
//!   columns) take the columns they overlap and span them; a word in a gutter starts a column
//!   of its own (a column blank in the body), except a header word over a right-aligned column
//!   that has no header of its own on that line (headers are centred over their cell, the
//!   numbers hug its right edge).
//! - **Rows.** Each header line is a grid row; header cells with the same column span stacked
//!   with nothing between them are one cell whose text wraps (`因公出国` / `（境）费`). Each body
//!   line is a row, except a line of label text only that runs on closely under the row before
//!   (a wrapped label).
//!
//! The result is a [`Grid`] like a ruled one plus, per word, the cell it belongs to, so the
//! tables step reads both the same way.

use super::rules::{Grid, GridCell};
use super::tables::{
    is_body_label, is_furniture, is_note, is_number, is_numbering_label, is_title, is_total_label,
    is_unit_name_line, unit_of_line,
};
use super::words::TextLine;

/// A table found by alignment.
#[derive(Clone, Debug)]
pub(crate) struct Aligned {
    pub(crate) grid: Grid,
    /// Per line of the block (indices into the page's lines): per word, the grid cell.
    pub(crate) words: Vec<(usize, Vec<usize>)>,
}

fn line_text(l: &TextLine) -> String {
    let mut s = String::new();
    for (i, w) in l.words.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&w.text);
    }
    s
}

/// A line that ends a block: a title, a unit line, a note, a page number or running text. The
/// cheap tests go first and the others only run where the characters they need are present.
fn is_stop(l: &TextLine, text: &str) -> bool {
    // Running text: sentences, or one long run of characters.
    let sentence = text.contains(['。', '；', '，']);
    let long_run = l.words.len() == 1 && text.chars().count() > 30;
    if sentence || long_run || is_furniture(text) || unit_of_line(text).is_some() {
        return true;
    }
    if text.contains(['：', ':']) && is_unit_name_line(text) {
        return true;
    }
    if text.contains(['注', '说', '备']) && is_note(text) {
        return true;
    }
    l.words.len() <= 2 && text.contains('表') && is_title(text)
}

fn is_numbering_line(l: &TextLine) -> bool {
    let mut ints: Vec<u32> = Vec::new();
    let mut labels = 0usize;
    for w in &l.words {
        if let Ok(n) = w.text.trim().parse::<u32>() {
            ints.push(n);
        } else if is_numbering_label(&w.text) {
            labels += 1;
        } else {
            return false;
        }
    }
    !ints.is_empty()
        && ints.iter().all(|n| (1..=60).contains(n))
        && ints.windows(2).all(|w| matches!(w, [a, b] if b > a))
        && (labels > 0 || ints.len() >= 2)
}

/// A body line: a number after the first word (a first-word number is a row label: `1.`).
fn is_body_line(l: &TextLine) -> bool {
    l.words.len() >= 2
        && !is_numbering_line(l)
        && l.words.iter().skip(1).any(|w| is_number(&w.text))
}

/// Finds the rule-less tables among a page's text lines (top to bottom).
pub(crate) fn tables(lines: &[TextLine]) -> Vec<Aligned> {
    let mut out = Vec::new();
    // A page of running text has no line of two words or more.
    if !lines.iter().any(|l| l.words.len() >= 2) {
        return out;
    }
    let mut block: Vec<usize> = Vec::new();
    let mut prev_bottom = f64::NAN;
    // Whether the block starts under a title or unit line.
    let mut titled = false;
    for (i, l) in lines.iter().enumerate() {
        let text = line_text(l);
        if is_stop(l, &text) {
            out.extend(table_of(lines, &block, titled));
            block.clear();
            prev_bottom = f64::NAN;
            titled = is_title(&text) || unit_of_line(&text).is_some() || is_unit_name_line(&text);
            continue;
        }
        let gap = prev_bottom - l.top;
        if !block.is_empty() && gap > 3.0 * l.size.max(1.0) {
            // Blank rows inside a table: the first body line under the header, or a line whose
            // numbers align with the block's.
            let no_body_yet = !block
                .iter()
                .any(|&j| lines.get(j).is_some_and(is_body_line));
            // A total row of an empty table (`合计` with blank cells) below its header too.
            let lone_total = no_body_yet && l.words.iter().all(|w| is_total_label(&w.text));
            let joins =
                lone_total || is_body_line(l) && (no_body_yet || aligns_with(lines, &block, l));
            if !joins {
                out.extend(table_of(lines, &block, titled));
                block.clear();
                titled = false;
            }
        }
        block.push(i);
        prev_bottom = l.bottom;
    }
    out.extend(table_of(lines, &block, titled));
    out
}

/// Whether a body line's numbers end where numbers of the block's lines end: a row of the
/// same table below blank rows (a total row at the foot of a half-empty two-sided table).
fn aligns_with(lines: &[TextLine], block: &[usize], l: &TextLine) -> bool {
    let ends: Vec<f64> = block
        .iter()
        .filter_map(|&i| lines.get(i))
        .flat_map(|b| b.words.iter().skip(1))
        .filter(|w| is_number(&w.text))
        .map(|w| w.x1)
        .collect();
    is_body_line(l)
        && l.words
            .iter()
            .skip(1)
            .filter(|w| is_number(&w.text))
            .all(|w| ends.iter().any(|e| (e - w.x1).abs() < 2.0))
}

/// A column: the x-range its words cover.
#[derive(Clone, Copy, Debug)]
struct Col {
    x0: f64,
    x1: f64,
}

fn overlaps(a0: f64, a1: f64, b0: f64, b1: f64) -> bool {
    a0.min(a1) < b1 - 0.5 && b0 < a1 - 0.5
}

/// Where a word goes: the columns it overlaps, else (a header word in a gutter, see the module
/// notes) the column to its right, else the last column.
fn place(cols: &[Col], x0: f64, x1: f64) -> Option<(usize, usize)> {
    span_of(cols, x0, x1).or_else(|| {
        let c = cols
            .iter()
            .position(|c| c.x0 >= x1)
            .unwrap_or(cols.len().checked_sub(1)?);
        Some((c, c + 1))
    })
}

/// The columns a word overlaps: first and end (exclusive).
fn span_of(cols: &[Col], x0: f64, x1: f64) -> Option<(usize, usize)> {
    let hit: Vec<usize> = (0..cols.len())
        .filter(|&c| cols.get(c).is_some_and(|k| overlaps(x0, x1, k.x0, k.x1)))
        .collect();
    Some((*hit.first()?, *hit.last()? + 1))
}

fn table_of(lines: &[TextLine], block: &[usize], titled: bool) -> Option<Aligned> {
    let get = |i: usize| lines.get(i);
    let Some(body_from) = block.iter().position(|&i| get(i).is_some_and(is_body_line)) else {
        return titled.then(|| empty_table(lines, block)).flatten();
    };
    // The first line of a label centred on the first body row overlaps it vertically.
    let overlaps_first = body_from
        .checked_sub(1)
        .and_then(|k| block.get(k))
        .and_then(|&k| get(k))
        .zip(block.get(body_from).and_then(|&k| get(k)))
        .is_some_and(|(above, first)| above.bottom < first.top && above.words.len() == 1);
    let body_from = if overlaps_first {
        body_from - 1
    } else {
        body_from
    };
    let body: Vec<usize> = block.iter().skip(body_from).copied().collect();
    let numeric: Vec<usize> = body
        .iter()
        .copied()
        .filter(|&i| get(i).is_some_and(is_body_line))
        .collect();
    let numbers_in =
        |i: usize| get(i).map_or(0, |l| l.words.iter().filter(|w| is_number(&w.text)).count());
    // Two body lines, or one with several numbers (a one-row table).
    if numeric.len() < 2 && numeric.first().is_none_or(|&i| numbers_in(i) < 3) {
        return None;
    }
    // Dense lines: as many words as the median body line or more.
    let mut counts: Vec<usize> = numeric
        .iter()
        .map(|&i| get(i).map_or(0, |l| l.words.len()))
        .collect();
    counts.sort_unstable();
    let median = counts.get(counts.len() / 2).copied().unwrap_or(0);
    let mut ranges: Vec<Col> = numeric
        .iter()
        .filter_map(|&i| get(i))
        .filter(|l| l.words.len() >= median)
        .flat_map(|l| l.words.iter().map(|w| Col { x0: w.x0, x1: w.x1 }))
        .collect();
    let mut cols = merge_ranges(&mut ranges);
    // Body words in a gutter: columns blank in the dense lines.
    let mut extra: Vec<Col> = body
        .iter()
        .filter_map(|&i| get(i))
        .flat_map(|l| l.words.iter())
        .filter(|w| span_of(&cols, w.x0, w.x1).is_none())
        .map(|w| Col { x0: w.x0, x1: w.x1 })
        .collect();
    if !extra.is_empty() {
        extra.extend(cols.iter().copied());
        cols = merge_ranges(&mut extra);
    }
    let numeric_col = numeric_columns(&cols, lines, &body);
    // Header words in a gutter.
    let header: Vec<usize> = block.iter().take(body_from).copied().collect();
    let mut new_cols: Vec<Col> = Vec::new();
    for l in header.iter().filter_map(|&i| get(i)) {
        for w in &l.words {
            if span_of(&cols, w.x0, w.x1).is_some() {
                continue;
            }
            // The column to the right: a right-aligned column without a header word of its
            // own on this line takes it.
            let right = cols.iter().position(|c| c.x0 >= w.x1);
            // (Another word of the line over that column, or in the gutter nearer to it, is
            // its header: this one heads a column blank in the body.)
            let takes = right.is_some_and(|r| {
                numeric_col.get(r).copied().unwrap_or(false)
                    && !l.words.iter().any(|o| {
                        !std::ptr::eq(o, w)
                            && o.x0 > w.x1
                            && place(&cols, o.x0, o.x1).is_some_and(|(p, q)| p <= r && r < q)
                    })
            });
            if !takes {
                new_cols.push(Col { x0: w.x0, x1: w.x1 });
            }
        }
    }
    if !new_cols.is_empty() {
        new_cols.extend(cols.iter().copied());
        cols = merge_ranges(&mut new_cols);
    }
    if cols.len() < 2 {
        return None;
    }
    build(lines, &header, &body, cols)
}

/// A table with a header and no numbers (`本表无数据`, a `合计` row with blank cells) right
/// under its title. Columns come from the header, bottom line first: a word over no column yet
/// starts one, a word over several is a group header.
fn empty_table(lines: &[TextLine], block: &[usize]) -> Option<Aligned> {
    if block.len() < 2 || block.len() > 8 {
        return None;
    }
    let mut cols: Vec<Col> = Vec::new();
    for l in block.iter().rev().filter_map(|&i| lines.get(i)) {
        if l.words.iter().all(|w| is_body_label(&w.text)) {
            continue;
        }
        let mut fresh: Vec<Col> = l
            .words
            .iter()
            .filter(|w| span_of(&cols, w.x0, w.x1).is_none())
            .map(|w| Col { x0: w.x0, x1: w.x1 })
            .collect();
        fresh.extend(cols.iter().copied());
        cols = merge_ranges(&mut fresh);
    }
    if cols.len() < 3 {
        return None;
    }
    build(lines, block, &[], cols)
}

/// The grid of a block whose columns are known.
fn build(lines: &[TextLine], header: &[usize], body: &[usize], cols: Vec<Col>) -> Option<Aligned> {
    let get = |i: usize| lines.get(i);
    let numeric_col = numeric_columns(&cols, lines, body);
    let mut xs = boundaries(&cols, &numeric_col);
    refine(&mut xs, &cols, &numeric_col, lines, header);
    // Rows: header lines one each; body lines one each unless a wrapped label.
    let mut rows: Vec<Vec<usize>> = header.iter().map(|&i| vec![i]).collect();
    let header_rows = rows.len();
    let label_cols: Vec<bool> = cols
        .iter()
        .enumerate()
        .map(|(c, _)| !numeric_col.get(c).copied().unwrap_or(false))
        .collect();
    // A line of label text only, in label columns: part of a wrapped label.
    let label_only = |l: &TextLine| {
        !is_body_line(l)
            && l.words.first().is_some_and(|w| !is_body_label(&w.text))
            && l.words.iter().all(|w| {
                !is_number(&w.text)
                    && span_of(&cols, w.x0, w.x1).is_some_and(|(a, b)| {
                        (a..b).all(|c| label_cols.get(c).copied().unwrap_or(false))
                    })
            })
    };
    // Whether a line's label text runs (within three characters) to the right end of its
    // column, so it may have wrapped.
    let fills = |l: &TextLine| {
        l.words.iter().any(|w| {
            span_of(&cols, w.x0, w.x1).is_some_and(|(a, b)| {
                label_cols.get(a).copied().unwrap_or(false)
                    && b.checked_sub(1)
                        .and_then(|c| cols.get(c))
                        .is_some_and(|c| c.x1 - w.x1 < 3.0 * l.size.max(1.0))
            })
        })
    };
    let mut pending: Vec<usize> = Vec::new();
    for (k, &i) in body.iter().enumerate() {
        let Some(l) = get(i) else { continue };
        let tight = 0.8 * l.size.max(1.0);
        if pending.is_empty() && label_only(l) {
            let prev = (rows.len() > header_rows)
                .then(|| rows.last().and_then(|r| r.last()).and_then(|&p| get(p)))
                .flatten();
            let next = body.get(k + 1).and_then(|&n| get(n));
            let gap_prev = prev.map(|p| p.bottom - l.top);
            let gap_next = next.map(|n| l.bottom - n.top);
            // The first line of a label whose cell is centred on the row below.
            let leads =
                fills(l) && gap_next.is_some_and(|g| g < tight && gap_prev.is_none_or(|gp| g < gp));
            if leads {
                pending.push(i);
                continue;
            }
            // The rest of a label above (on any line of the row before).
            // A total label (`本年收入合计`) is complete: what follows is a row of its own.
            let prev_fills = rows.last().is_some_and(|r| {
                let ls: Vec<&TextLine> = r.iter().filter_map(|&p| get(p)).collect();
                ls.iter().any(|p| fills(p))
                    && !ls
                        .iter()
                        .flat_map(|p| p.words.iter())
                        .any(|w| is_total_label(&w.text))
            });
            let follows = prev.is_some() && prev_fills && gap_prev.is_some_and(|g| g < tight);
            if follows && let Some(r) = rows.last_mut() {
                r.push(i);
                continue;
            }
        }
        let mut row = std::mem::take(&mut pending);
        row.push(i);
        rows.push(row);
    }
    if !pending.is_empty() {
        rows.push(pending);
    }
    // Cells, row by row: words overlapping columns give spans; overlapping spans merge.
    let header_lines: Vec<&TextLine> = header.iter().filter_map(|&i| get(i)).collect();
    let below = |r: usize| -> &[&TextLine] { header_lines.get(r + 1..).unwrap_or(&[]) };
    let n_cols = cols.len();
    let n_rows = rows.len();
    let mut owner: Vec<Option<usize>> = vec![None; n_rows * n_cols];
    let mut cells: Vec<GridCell> = Vec::new();
    let mut word_cell: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut has_text: Vec<bool> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for l in row.iter().filter_map(|&i| get(i)) {
            for wi in 0..l.words.len() {
                if let Some(s) = word_span(&cols, &xs, l, wi, r < header_rows, below(r)) {
                    spans.push(s);
                }
            }
        }
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (a, b) in spans {
            match merged.last_mut() {
                Some(last) if a < last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        let mut c = 0usize;
        while c < n_cols {
            let (a, b, text) = match merged.iter().find(|s| s.0 == c) {
                Some(&(a, b)) => (a, b, true),
                None => (c, c + 1, false),
            };
            let id = cells.len();
            cells.push(GridCell {
                row0: r,
                row1: r + 1,
                col0: a,
                col1: b,
            });
            has_text.push(text);
            for cc in a..b {
                if let Some(slot) = owner.get_mut(r * n_cols + cc) {
                    *slot = Some(id);
                }
            }
            c = b;
        }
    }
    // Header cells with the same span stacked with nothing between: one wrapped cell.
    let numbering: Vec<bool> = rows
        .iter()
        .map(|row| row.iter().filter_map(|&i| get(i)).all(is_numbering_line))
        .collect();
    let mut alias: Vec<usize> = (0..cells.len()).collect();
    for c in 0..n_cols {
        let mut above: Option<usize> = None;
        for r in 0..header_rows {
            if numbering.get(r).copied().unwrap_or(false) {
                above = None;
                continue;
            }
            let Some(id) = owner.get(r * n_cols + c).copied().flatten() else {
                continue;
            };
            let Some(cell) = cells.get(id).copied() else {
                continue;
            };
            if !has_text.get(id).copied().unwrap_or(false) {
                continue;
            }
            if cell.col0 != c {
                above = None;
                continue;
            }
            match above.and_then(|a| cells.get(a).copied().map(|ac| (a, ac))) {
                Some((a, ac)) if ac.col0 == cell.col0 && ac.col1 == cell.col1 => {
                    // Everything between is blank in these columns.
                    let clear = (ac.row1..r).all(|rr| {
                        (cell.col0..cell.col1).all(|cc| {
                            owner
                                .get(rr * n_cols + cc)
                                .copied()
                                .flatten()
                                .is_none_or(|o| !has_text.get(o).copied().unwrap_or(false))
                        })
                    });
                    if clear {
                        if let Some(slot) = cells.get_mut(a) {
                            slot.row1 = r + 1;
                        }
                        for rr in ac.row1..=r {
                            for cc in cell.col0..cell.col1 {
                                if let Some(slot) = owner.get_mut(rr * n_cols + cc) {
                                    *slot = Some(a);
                                }
                            }
                        }
                        if let Some(slot) = alias.get_mut(id) {
                            *slot = a;
                        }
                        continue;
                    }
                    above = Some(id);
                }
                _ => above = Some(id),
            }
        }
    }
    // Keep the cells still owning a position, renumbered in row-major order.
    let mut keep: Vec<usize> = (0..cells.len())
        .filter(|&id| owner.contains(&Some(id)))
        .collect();
    keep.sort_by_key(|&id| cells.get(id).map(|c| (c.row0, c.col0)));
    let mut renum: Vec<Option<usize>> = vec![None; cells.len()];
    for (k, &id) in keep.iter().enumerate() {
        if let Some(slot) = renum.get_mut(id) {
            *slot = Some(k);
        }
    }
    let final_cells: Vec<GridCell> = keep
        .iter()
        .filter_map(|&id| cells.get(id).copied())
        .collect();
    for (r, row) in rows.iter().enumerate() {
        for &i in row {
            let Some(l) = get(i) else { continue };
            let ids: Vec<usize> = (0..l.words.len())
                .map(|wi| {
                    let c = word_span(&cols, &xs, l, wi, r < header_rows, below(r))
                        .map_or(0, |(a, _)| a);
                    let id = owner.get(r * n_cols + c).copied().flatten().unwrap_or(0);
                    let id = alias.get(id).copied().unwrap_or(id);
                    renum.get(id).copied().flatten().unwrap_or(0)
                })
                .collect();
            word_cell.push((i, ids));
        }
    }
    let mut ys: Vec<f64> = Vec::with_capacity(n_rows + 1);
    let band = |row: &Vec<usize>| {
        let ls: Vec<&TextLine> = row.iter().filter_map(|&i| get(i)).collect();
        let top = ls.iter().map(|l| l.top).fold(f64::MIN, f64::max);
        let bottom = ls.iter().map(|l| l.bottom).fold(f64::MAX, f64::min);
        (top, bottom)
    };
    let bands: Vec<(f64, f64)> = rows.iter().map(band).collect();
    ys.push(bands.first().map_or(0.0, |b| b.0) + 1.0);
    for pair in bands.windows(2) {
        if let [a, b] = pair {
            ys.push((a.1 + b.0) / 2.0);
        }
    }
    ys.push(bands.last().map_or(0.0, |b| b.1) - 1.0);
    Some(Aligned {
        grid: Grid {
            xs,
            ys,
            cells: final_cells,
            anchors: cols
                .iter()
                .zip(&numeric_col)
                .map(|(c, &n)| if n { c.x1 - 1.0 } else { c.x0 + 1.0 })
                .collect(),
        },
        words: word_cell,
    })
}

/// Merges overlapping x-ranges (left to right).
fn merge_ranges(ranges: &mut [Col]) -> Vec<Col> {
    ranges.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut out: Vec<Col> = Vec::new();
    for r in ranges.iter() {
        match out.last_mut() {
            Some(last) if r.x0 < last.x1 - 0.5 => last.x1 = last.x1.max(r.x1),
            _ => out.push(*r),
        }
    }
    out
}

/// Per column: whether its body words are mostly numbers (right-aligned).
fn numeric_columns(cols: &[Col], lines: &[TextLine], body: &[usize]) -> Vec<bool> {
    cols.iter()
        .map(|c| {
            let (mut n, mut t) = (0usize, 0usize);
            for l in body.iter().filter_map(|&i| lines.get(i)) {
                for w in &l.words {
                    if overlaps(w.x0, w.x1, c.x0, c.x1) {
                        if is_number(&w.text) {
                            n += 1;
                        } else {
                            t += 1;
                        }
                    }
                }
            }
            n > t
        })
        .collect()
}

/// Column boundaries: the outer edges of the columns, and in each gutter a point near the
/// column whose text is aligned against it (numbers are right-aligned, so a cell of numbers
/// reaches left up to the column before; text is left-aligned and starts at its cell's edge).
fn boundaries(cols: &[Col], numeric: &[bool]) -> Vec<f64> {
    let mut xs = Vec::with_capacity(cols.len() + 1);
    xs.push(cols.first().map_or(0.0, |c| c.x0) - 1.0);
    for (k, pair) in cols.windows(2).enumerate() {
        if let [a, b] = pair {
            let pad = ((b.x0 - a.x1) / 2.0).min(2.0);
            let right_aligned = numeric.get(k + 1).copied().unwrap_or(false);
            xs.push(if right_aligned {
                a.x1 + pad
            } else {
                b.x0 - pad
            });
        }
    }
    xs.push(cols.last().map_or(0.0, |c| c.x1) + 1.0);
    xs
}

/// Moves boundaries to where the header says the cells end: a header word over one column is
/// centred on its cell, whose other edge is known (the right edge of right-aligned numbers,
/// the left edge of left-aligned text), so the cell's far edge is as far from the centre.
fn refine(xs: &mut [f64], cols: &[Col], numeric: &[bool], lines: &[TextLine], header: &[usize]) {
    // Per column: the middle of the widest header word over it alone.
    let mut mids: Vec<Option<(f64, f64)>> = vec![None; cols.len()];
    for (k, l) in header.iter().filter_map(|&i| lines.get(i)).enumerate() {
        let below: Vec<&TextLine> = header
            .iter()
            .skip(k + 1)
            .filter_map(|&i| lines.get(i))
            .collect();
        for wi in 0..l.words.len() {
            let Some(w) = l.words.get(wi) else { continue };
            let Some((a, b)) = word_span(cols, xs, l, wi, true, &below) else {
                continue;
            };
            if b != a + 1 {
                continue;
            }
            let width = w.x1 - w.x0;
            if let Some(slot) = mids.get_mut(a)
                && slot.is_none_or(|(_, wd)| width > wd)
            {
                *slot = Some(((w.x0 + w.x1) / 2.0, width));
            }
        }
    }
    for k in 1..cols.len() {
        let (Some(a), Some(b)) = (cols.get(k - 1), cols.get(k)) else {
            continue;
        };
        let from_right = numeric.get(k).copied().unwrap_or(false);
        let from_left = !numeric.get(k - 1).copied().unwrap_or(false);
        let estimate = match (
            mids.get(k).copied().flatten(),
            mids.get(k - 1).copied().flatten(),
        ) {
            (Some((m, _)), _) if from_right => Some(2.0 * m - (b.x1 + 1.0)),
            (_, Some((m, _))) if from_left => Some(2.0 * m - (a.x0 - 1.0)),
            _ => None,
        };
        if let (Some(e), Some(slot)) = (estimate, xs.get_mut(k))
            && e > a.x1
            && e < b.x0
        {
            *slot = e;
        }
    }
    // The outer edges likewise: a table of numbers starts left of its first numbers.
    if let (Some(first), Some(Some((m, _))), Some(true)) =
        (cols.first(), mids.first(), numeric.first())
        && let Some(slot) = xs.first_mut()
    {
        *slot = slot.min(2.0 * m - (first.x1 + 1.0));
    }
    if let (Some(last), Some(Some((m, _))), Some(false)) =
        (cols.last(), mids.last(), numeric.last())
        && let Some(slot) = xs.last_mut()
    {
        *slot = slot.max(2.0 * m - (last.x0 - 1.0));
    }
}

/// The columns word `wi` of a line covers. A body word covers the columns it overlaps (see
/// [`place`]). A header word is centred over its cell: of the spans that contain the columns
/// it overlaps and reach only into columns no other word of its line overlaps, it covers the
/// one whose middle is nearest its own (`本年收入` over `项目 | 预算数`).
fn word_span(
    cols: &[Col],
    xs: &[f64],
    l: &TextLine,
    wi: usize,
    header: bool,
    below: &[&TextLine],
) -> Option<(usize, usize)> {
    let w = l.words.get(wi)?;
    if !header {
        return place(cols, w.x0, w.x1);
    }
    let (lo, hi) = match span_of(cols, w.x0, w.x1) {
        Some(s) => s,
        None => {
            let r = cols.iter().position(|c| c.x0 >= w.x1).unwrap_or(cols.len());
            (r, r)
        }
    };
    let taken = |c: usize| {
        l.words
            .iter()
            .enumerate()
            .any(|(j, o)| j != wi && place(cols, o.x0, o.x1).is_some_and(|(p, q)| p <= c && c < q))
    };
    let mut a_min = lo;
    while a_min > 0 && !taken(a_min - 1) {
        a_min -= 1;
    }
    let mut b_max = hi;
    while b_max < cols.len() && !taken(b_max) {
        b_max += 1;
    }
    let mid = (w.x0 + w.x1) / 2.0;
    let mut cands: Vec<((usize, usize), f64)> = Vec::new();
    for a in a_min..=lo.min(cols.len().saturating_sub(1)) {
        for b in hi.max(a + 1)..=b_max {
            if let (Some(&xa), Some(&xb)) = (xs.get(a), xs.get(b)) {
                cands.push(((a, b), ((xa + xb) / 2.0 - mid).abs()));
            }
        }
    }
    // The nearest middle. Spans about as near share it (a header over three equal columns is
    // centred over the middle one too): the widest whose every column has a header word on
    // one line below is a group header over them; else the narrowest.
    let min_d = cands.iter().map(|c| c.1).fold(f64::MAX, f64::min);
    let near: Vec<(usize, usize)> = cands
        .into_iter()
        .filter(|c| c.1 <= min_d + 3.0)
        .map(|c| c.0)
        .collect();
    let under = |bl: &TextLine, c: usize| {
        bl.words
            .iter()
            .any(|o| place(cols, o.x0, o.x1).is_some_and(|(p, q)| p <= c && c < q))
    };
    let group = near
        .iter()
        .filter(|s| s.1 - s.0 > 1 && below.iter().any(|bl| (s.0..s.1).all(|c| under(bl, c))))
        .max_by_key(|s| (s.1 - s.0, usize::MAX - s.0))
        .copied();
    // Headers at several levels below (`合计` | `因公出国` over one line, `小计` | `购置费`
    // under a sub-group): the widest span whose columns all have a header word below, unless
    // a word below has the narrow span itself (the rest of this header, wrapped).
    let narrow = near.iter().min_by_key(|s| (s.1 - s.0, s.0)).copied();
    let wrapped = narrow.is_some_and(|n| {
        below
            .iter()
            .flat_map(|bl| bl.words.iter())
            .any(|o| place(cols, o.x0, o.x1) == Some(n))
    });
    let group = group.or_else(|| {
        if wrapped {
            return None;
        }
        near.iter()
            .filter(|s| s.1 - s.0 > 1 && (s.0..s.1).all(|c| below.iter().any(|bl| under(bl, c))))
            .max_by_key(|s| (s.1 - s.0, usize::MAX - s.0))
            .copied()
    });
    let best = group.or(narrow);
    best.or_else(|| place(cols, w.x0, w.x1))
}
