//! Pages → a flow of items in reading order: text lines outside tables, and ruled grids with
//! the text of each cell. Writing the flow into the [`Sheet`] gives every item its location.

use shenhe_model::Loc;

use super::aligned;
use super::glyphs::{Glyph, Page};
use super::rules::{self, Grid};
use super::sheet::{Piece, Sheet};
use super::words::{self, TextLine, Word};

/// A text line outside any grid.
#[derive(Clone, Debug)]
pub(crate) struct Text {
    pub(crate) page: u32,
    pub(crate) text: String,
    pub(crate) line: TextLine,
    /// Line number in the sheet and location of the whole line.
    pub(crate) line_no: u32,
    pub(crate) loc: Option<Loc>,
}

/// The content of one grid cell.
#[derive(Clone, Debug, Default)]
pub(crate) struct CellText {
    /// The cell's lines joined (no line breaks).
    pub(crate) text: String,
    pub(crate) loc: Option<Loc>,
}

/// A ruled table frame with its cell texts (parallel to `grid.cells`).
#[derive(Clone, Debug)]
pub(crate) struct Framed {
    pub(crate) page: u32,
    pub(crate) grid: Grid,
    pub(crate) cells: Vec<CellText>,
    /// Sheet line number of each grid row.
    pub(crate) row_lines: Vec<u32>,
    /// Whether drawn lines frame the grid (else it comes from the alignment of words).
    pub(crate) ruled: bool,
}

#[derive(Clone, Debug)]
pub(crate) enum Item {
    Text(Text),
    Grid(Framed),
}

/// A page's size, for telling centred headings.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PageInfo {
    pub(crate) number: u32,
    pub(crate) width: f64,
}

fn center(g: &Glyph) -> (f64, f64) {
    ((g.x0 + g.x1) / 2.0, (g.top + g.bottom) / 2.0)
}

/// Joins the lines of a cell: CJK text runs on without a space; Latin words and digits that
/// meet at a line break get one.
fn join_lines(lines: &[TextLine]) -> Piece {
    let mut piece = Piece::default();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            let prev = piece.text.chars().next_back();
            let next = l.words.first().and_then(|w| w.text.chars().next());
            if prev.is_some_and(|c| c.is_ascii_alphanumeric())
                && next.is_some_and(|c| c.is_ascii_alphanumeric())
            {
                piece.text.push(' ');
                piece.boxes.push(None);
            }
        }
        push_words(&mut piece, &l.words);
    }
    piece
}

/// Appends words to a piece, with one space where words are apart.
fn push_words(piece: &mut Piece, ws: &[Word]) {
    let mut prev: Option<&Word> = None;
    for w in ws {
        if let Some(p) = prev {
            let gap = w.x0 - p.x1;
            if w.space_before || gap > 0.9 * w.size.max(p.size) {
                piece.text.push(' ');
                piece.boxes.push(None);
            }
        }
        let n = w.text.chars().count().max(1);
        let step = (w.x1 - w.x0) / n as f64;
        for (i, c) in w.text.chars().enumerate() {
            piece.text.push(c);
            let x = w.x0 + step * i as f64;
            piece.boxes.push(Some([x, w.bottom, x + step, w.top]));
        }
        prev = Some(w);
    }
}

/// Lays out pages and writes them into the sheet.
pub(crate) fn flow(pages: &mut [Page], sheet: &mut Sheet) -> (Vec<Item>, Vec<PageInfo>) {
    let mut items = Vec::new();
    let mut infos = Vec::new();
    for page in pages.iter_mut() {
        sheet.page_break();
        infos.push(PageInfo {
            number: page.number,
            width: page.width,
        });
        words::dedup(&mut page.glyphs);
        // A single framed cell is a box around text (a chart legend, a boxed paragraph), not
        // a table: its text stays in the running text.
        let grids: Vec<Grid> = rules::grids(&page.segments)
            .into_iter()
            .filter(|g| g.rows() >= 2 || g.cols() >= 2)
            .collect();
        // Glyphs per grid cell, and those outside every grid.
        let mut per_cell: Vec<Vec<Vec<&Glyph>>> = grids
            .iter()
            .map(|g| vec![Vec::new(); g.cells.len()])
            .collect();
        let mut outside: Vec<&Glyph> = Vec::new();
        for g in page.glyphs.iter().filter(|g| g.upright) {
            let (cx, cy) = center(g);
            let mut placed = false;
            for (gi, grid) in grids.iter().enumerate() {
                if !grid.contains(cx, cy) {
                    continue;
                }
                let (Some(r), Some(c)) = (grid.row_at(cy), grid.col_at(cx)) else {
                    continue;
                };
                if let (Some(ci), Some(cells)) = (grid.cell_at(r, c), per_cell.get_mut(gi))
                    && let Some(slot) = cells.get_mut(ci)
                {
                    slot.push(g);
                    placed = true;
                    break;
                }
            }
            if !placed {
                outside.push(g);
            }
        }
        enum Raw {
            Line(TextLine),
            Grid(usize),
        }
        let n_ruled = grids.len();
        let mut grids = grids;
        let mut grid_pieces: Vec<Vec<Piece>> = per_cell
            .iter()
            .map(|cells| {
                cells
                    .iter()
                    .map(|gs| join_lines(&words::lines(gs)))
                    .collect()
            })
            .collect();
        // Tables printed without lines, among the rest of the text.
        let out_lines = words::lines(&outside);
        let mut in_table = vec![false; out_lines.len()];
        for found in aligned::tables(&out_lines) {
            let mut cell_lines: Vec<Vec<TextLine>> = vec![Vec::new(); found.grid.cells.len()];
            for (li, ids) in &found.words {
                let Some(l) = out_lines.get(*li) else {
                    continue;
                };
                if let Some(slot) = in_table.get_mut(*li) {
                    *slot = true;
                }
                for (w, &ci) in l.words.iter().zip(ids) {
                    let Some(lines) = cell_lines.get_mut(ci) else {
                        continue;
                    };
                    match lines.last_mut() {
                        Some(last) if last.y == l.y => last.words.push(w.clone()),
                        _ => lines.push(TextLine {
                            words: vec![w.clone()],
                            ..l.clone()
                        }),
                    }
                }
            }
            grid_pieces.push(cell_lines.iter().map(|ls| join_lines(ls)).collect());
            grids.push(found.grid);
        }
        let mut raw: Vec<(f64, Raw)> = out_lines
            .into_iter()
            .zip(in_table)
            .filter(|(_, t)| !t)
            .map(|(l, _)| (l.top, Raw::Line(l)))
            .collect();
        for (gi, g) in grids.iter().enumerate() {
            raw.push((g.top(), Raw::Grid(gi)));
        }
        raw.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (_, r) in raw {
            match r {
                Raw::Line(l) => {
                    let mut piece = Piece::default();
                    push_words(&mut piece, &l.words);
                    let text = piece.text.clone();
                    let (line_no, locs) = sheet.push_line(page.number, &[piece]);
                    items.push(Item::Text(Text {
                        page: page.number,
                        text,
                        line: l,
                        line_no,
                        loc: locs.into_iter().next().flatten(),
                    }));
                }
                Raw::Grid(gi) => {
                    let (Some(grid), Some(pieces)) = (grids.get(gi), grid_pieces.get(gi)) else {
                        continue;
                    };
                    let mut texts: Vec<CellText> = pieces
                        .iter()
                        .map(|p| CellText {
                            text: p.text.clone(),
                            loc: None,
                        })
                        .collect();
                    let mut row_lines = Vec::with_capacity(grid.rows());
                    for r in 0..grid.rows() {
                        let mut line: Vec<Piece> = Vec::new();
                        let mut owners: Vec<Option<usize>> = Vec::new();
                        let mut ids: Vec<usize> = (0..grid.cells.len())
                            .filter(|&i| grid.cells.get(i).is_some_and(|c| c.row0 == r))
                            .collect();
                        ids.sort_by_key(|&i| grid.cells.get(i).map_or(0, |c| c.col0));
                        for (k, &i) in ids.iter().enumerate() {
                            if k > 0 {
                                line.push(Piece::plain(" | "));
                                owners.push(None);
                            }
                            line.push(pieces.get(i).cloned().unwrap_or_default());
                            owners.push(Some(i));
                        }
                        let (line_no, locs) = sheet.push_line(page.number, &line);
                        row_lines.push(line_no);
                        for (owner, loc) in owners.into_iter().zip(locs) {
                            if let (Some(i), Some(loc)) = (owner, loc)
                                && let Some(t) = texts.get_mut(i)
                            {
                                t.loc = Some(loc);
                            }
                        }
                    }
                    items.push(Item::Grid(Framed {
                        page: page.number,
                        grid: grid.clone(),
                        cells: std::mem::take(&mut texts),
                        row_lines,
                        ruled: gi < n_ruled,
                    }));
                }
            }
        }
    }
    (items, infos)
}
