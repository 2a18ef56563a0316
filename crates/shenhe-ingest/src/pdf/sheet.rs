//! The reconstructed text of a PDF: one line per printed line (a table row is one line, its
//! cells separated by ` | `), a form feed before each new page. Every location of a PDF
//! document points into this text (`line`, `column`, `offset`) and onto the page (`page`,
//! `bbox`), so findings can be shown either way.

use shenhe_model::Loc;

/// Where a stretch of text stands on a page: each character's horizontal extent and the
/// line's vertical extent.
#[derive(Clone, Debug, Default)]
pub(crate) struct LineGeom {
    pub(crate) page: u32,
    /// Byte offset of the line's first content byte (after a form feed) in the text.
    pub(crate) offset: u32,
    /// Per content character (in order): byte offset within the content, x0, x1, bottom, top.
    /// Separators added by reconstruction have no box (`None`).
    pub(crate) boxes: Vec<(u32, Option<[f64; 4]>)>,
}

/// The reconstructed text and the geometry of its lines.
#[derive(Debug, Default)]
pub(crate) struct Sheet {
    pub(crate) text: String,
    /// Per line (index = line number − 1).
    pub(crate) lines: Vec<LineGeom>,
    pending_page_break: bool,
}

/// A piece of a line being built: text and, per character, its box.
#[derive(Clone, Debug, Default)]
pub(crate) struct Piece {
    pub(crate) text: String,
    pub(crate) boxes: Vec<Option<[f64; 4]>>,
}

impl Piece {
    pub(crate) fn plain(text: &str) -> Piece {
        Piece {
            text: text.to_string(),
            boxes: text.chars().map(|_| None).collect(),
        }
    }
}

fn round_box(b: [f64; 4]) -> [i32; 4] {
    [
        b[0].floor() as i32,
        b[1].floor() as i32,
        b[2].ceil() as i32,
        b[3].ceil() as i32,
    ]
}

impl Sheet {
    /// The next line starts a new page.
    pub(crate) fn page_break(&mut self) {
        if !self.lines.is_empty() {
            self.pending_page_break = true;
        }
    }

    /// Appends a line made of pieces; returns its 1-based line number and, per piece, the
    /// location of the piece (None for an empty piece).
    pub(crate) fn push_line(&mut self, page: u32, pieces: &[Piece]) -> (u32, Vec<Option<Loc>>) {
        let lead = if self.pending_page_break {
            self.text.push('\u{c}');
            self.pending_page_break = false;
            1
        } else {
            0
        };
        let offset = self.text.len() as u32;
        let line_no = self.lines.len() as u32 + 1;
        let mut geom = LineGeom {
            page,
            offset,
            boxes: Vec::new(),
        };
        let mut locs = Vec::with_capacity(pieces.len());
        let mut chars_before = 0u32;
        for p in pieces {
            let start_byte = self.text.len() as u32 - offset;
            let mut bbox: Option<[f64; 4]> = None;
            for (i, (bi, c)) in p.text.char_indices().enumerate() {
                let b = p.boxes.get(i).copied().flatten();
                geom.boxes.push((start_byte + bi as u32, b));
                if let Some(b) = b {
                    bbox = Some(match bbox {
                        Some(a) => [
                            a[0].min(b[0]),
                            a[1].min(b[1]),
                            a[2].max(b[2]),
                            a[3].max(b[3]),
                        ],
                        None => b,
                    });
                }
                let _ = c;
            }
            self.text.push_str(&p.text);
            let n_chars = p.text.chars().count() as u32;
            if p.text.is_empty() {
                locs.push(None);
            } else {
                locs.push(Some(Loc {
                    line: line_no,
                    column: lead + chars_before + 1,
                    offset: offset + start_byte,
                    len: p.text.len() as u32,
                    page: Some(page),
                    bbox: bbox.map(round_box),
                }));
            }
            chars_before += n_chars;
        }
        self.text.push('\n');
        self.lines.push(geom);
        (line_no, locs)
    }

    /// Fills in `page` and `bbox` of a location given by line/column/len (as the text path
    /// computes them over this text).
    pub(crate) fn place(&self, loc: &mut Loc) {
        let Some(geom) = loc
            .line
            .checked_sub(1)
            .and_then(|i| self.lines.get(i as usize))
        else {
            return;
        };
        loc.page = Some(geom.page);
        let start = loc.offset.saturating_sub(geom.offset);
        let end = start.saturating_add(loc.len);
        let mut bbox: Option<[f64; 4]> = None;
        for (b, r) in &geom.boxes {
            if *b >= start
                && *b < end
                && let Some(r) = r
            {
                bbox = Some(match bbox {
                    Some(a) => [
                        a[0].min(r[0]),
                        a[1].min(r[1]),
                        a[2].max(r[2]),
                        a[3].max(r[3]),
                    ],
                    None => *r,
                });
            }
        }
        loc.bbox = bbox.map(round_box);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_pages_and_locations() {
        let mut s = Sheet::default();
        let a = Piece {
            text: "合计".into(),
            boxes: vec![Some([10.0, 5.0, 20.0, 15.0]), Some([20.0, 5.0, 30.0, 15.0])],
        };
        let (n, locs) = s.push_line(1, &[a, Piece::plain(" | "), Piece::plain("")]);
        assert_eq!(n, 1);
        let l = locs[0].unwrap();
        assert_eq!((l.line, l.column, l.offset, l.len), (1, 1, 0, 6));
        assert_eq!(l.bbox, Some([10, 5, 30, 15]));
        assert!(locs[2].is_none());
        s.page_break();
        let b = Piece {
            text: "注".into(),
            boxes: vec![Some([1.0, 1.0, 2.0, 2.0])],
        };
        let (n, locs) = s.push_line(2, &[b]);
        assert_eq!(n, 2);
        let l = locs[0].unwrap();
        assert_eq!(l.column, 2);
        assert_eq!(s.text, "合计 | \n\u{c}注\n");
        assert_eq!(
            s.text
                .get(l.offset as usize..(l.offset + l.len) as usize)
                .unwrap(),
            "注"
        );
        let mut m = Loc::text(1, 1, 0, 3);
        s.place(&mut m);
        assert_eq!(m.page, Some(1));
        assert_eq!(m.bbox, Some([10, 5, 20, 15]));
    }
}
