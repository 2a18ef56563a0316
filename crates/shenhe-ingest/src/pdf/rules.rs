//! Drawn lines → table grids.
//!
//! Collinear pieces are merged into lines; lines that cross form a frame; a frame's distinct
//! line positions give grid rows and columns, and where a line is missing inside the frame,
//! neighbouring grid cells merge into one spanning cell.

use super::glyphs::Segment;

/// Tolerance for two lines to be at the same position, in points.
const SAME: f64 = 1.5;
/// Tolerance for lines to touch.
const TOUCH: f64 = 2.5;
/// Most grid cells a frame may have to be read as a table.
const MAX_CELLS: usize = 20_000;

/// A merged axis-parallel line.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Line {
    at: f64,
    from: f64,
    to: f64,
}

/// A cell of a grid: the grid rows and columns it spans (end exclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct GridCell {
    pub(crate) row0: usize,
    pub(crate) row1: usize,
    pub(crate) col0: usize,
    pub(crate) col1: usize,
}

/// A ruled table frame on a page.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Grid {
    /// Column boundaries, left to right.
    pub(crate) xs: Vec<f64>,
    /// Row boundaries, top to bottom (descending y).
    pub(crate) ys: Vec<f64>,
    /// Cells, row-major by their top-left grid position.
    pub(crate) cells: Vec<GridCell>,
    /// Per column of a grid found by alignment: the x its text aligns on (the right edge of
    /// numbers, the left edge of text); empty for a ruled grid.
    pub(crate) anchors: Vec<f64>,
}

impl Grid {
    pub(crate) fn x0(&self) -> f64 {
        self.xs.first().copied().unwrap_or(0.0)
    }
    pub(crate) fn x1(&self) -> f64 {
        self.xs.last().copied().unwrap_or(0.0)
    }
    pub(crate) fn top(&self) -> f64 {
        self.ys.first().copied().unwrap_or(0.0)
    }
    pub(crate) fn bottom(&self) -> f64 {
        self.ys.last().copied().unwrap_or(0.0)
    }
    pub(crate) fn rows(&self) -> usize {
        self.ys.len().saturating_sub(1)
    }
    pub(crate) fn cols(&self) -> usize {
        self.xs.len().saturating_sub(1)
    }

    /// The grid column containing `x`, if inside the frame.
    pub(crate) fn col_at(&self, x: f64) -> Option<usize> {
        self.xs.windows(2).position(|w| match w {
            [a, b] => x >= *a && x < *b,
            _ => false,
        })
    }

    /// The grid row containing `y`, if inside the frame.
    pub(crate) fn row_at(&self, y: f64) -> Option<usize> {
        self.ys.windows(2).position(|w| match w {
            [a, b] => y <= *a && y > *b,
            _ => false,
        })
    }

    /// Whether a point lies inside the frame.
    pub(crate) fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x0() - 0.5
            && x <= self.x1() + 0.5
            && y <= self.top() + 0.5
            && y >= self.bottom() - 0.5
    }

    /// The index of the cell covering grid position (row, col).
    pub(crate) fn cell_at(&self, row: usize, col: usize) -> Option<usize> {
        self.cells
            .iter()
            .position(|c| row >= c.row0 && row < c.row1 && col >= c.col0 && col < c.col1)
    }
}

fn merge(mut lines: Vec<Line>) -> Vec<Line> {
    lines.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    // Cluster by position, then merge overlapping extents within a cluster.
    let mut out: Vec<Line> = Vec::new();
    let mut i = 0usize;
    while i < lines.len() {
        let Some(first) = lines.get(i).copied() else {
            break;
        };
        let mut j = i;
        let mut cluster: Vec<Line> = Vec::new();
        while let Some(l) = lines.get(j) {
            if (l.at - first.at).abs() <= SAME {
                cluster.push(*l);
                j += 1;
            } else {
                break;
            }
        }
        let at = cluster.iter().map(|l| l.at).sum::<f64>() / cluster.len().max(1) as f64;
        cluster.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut cur: Option<Line> = None;
        for l in cluster {
            cur = Some(match cur {
                Some(c) if l.from <= c.to + TOUCH => Line {
                    at,
                    from: c.from,
                    to: c.to.max(l.to),
                },
                Some(c) => {
                    out.push(c);
                    Line { at, ..l }
                }
                None => Line { at, ..l },
            });
        }
        if let Some(c) = cur {
            out.push(c);
        }
        i = j;
    }
    out
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while let Some(&p) = parent.get(i) {
        if p == i {
            break;
        }
        let gp = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(i) {
            *slot = gp;
        }
        i = p;
    }
    i
}

/// Finds the ruled tables of a page.
pub(crate) fn grids(segments: &[Segment]) -> Vec<Grid> {
    let hs = merge(
        segments
            .iter()
            .filter(|s| s.horizontal)
            .map(|s| Line {
                at: s.at,
                from: s.from,
                to: s.to,
            })
            .collect(),
    );
    let vs = merge(
        segments
            .iter()
            .filter(|s| !s.horizontal)
            .map(|s| Line {
                at: s.at,
                from: s.from,
                to: s.to,
            })
            .collect(),
    );
    // Union-find over lines: horizontal i is node i, vertical j is node hs.len() + j.
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            let cross = v.at >= h.from - TOUCH
                && v.at <= h.to + TOUCH
                && h.at >= v.from - TOUCH
                && h.at <= v.to + TOUCH;
            if cross {
                let (a, b) = (find(&mut parent, i), find(&mut parent, hs.len() + j));
                if a != b
                    && let Some(slot) = parent.get_mut(a)
                {
                    *slot = b;
                }
            }
        }
    }
    let mut comps: Vec<(usize, Vec<Line>, Vec<Line>)> = Vec::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        let idx = match comps.iter().position(|(r, _, _)| *r == root) {
            Some(k) => k,
            None => {
                comps.push((root, Vec::new(), Vec::new()));
                comps.len() - 1
            }
        };
        if let Some((_, ch, cv)) = comps.get_mut(idx) {
            if i < hs.len() {
                if let Some(h) = hs.get(i) {
                    ch.push(*h);
                }
            } else if let Some(v) = vs.get(i - hs.len()) {
                cv.push(*v);
            }
        }
    }
    let mut out: Vec<Grid> = comps
        .into_iter()
        .filter_map(|(_, h, v)| grid_of(&h, &v))
        .collect();
    out.sort_by(|a, b| b.top().total_cmp(&a.top()));
    out
}

fn positions(lines: &[Line]) -> Vec<f64> {
    let mut ps: Vec<f64> = lines.iter().map(|l| l.at).collect();
    ps.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for p in ps {
        match out.last() {
            Some(last) if p - *last <= TOUCH => {}
            _ => out.push(p),
        }
    }
    out
}

fn grid_of(hs: &[Line], vs: &[Line]) -> Option<Grid> {
    if hs.len() < 2 || vs.len() < 2 {
        return None;
    }
    let xs = positions(vs);
    let mut ys = positions(hs);
    ys.reverse();
    if xs.len() < 2 || ys.len() < 2 {
        return None;
    }
    let (x0, x1) = (xs.first().copied()?, xs.last().copied()?);
    let (top, bottom) = (ys.first().copied()?, ys.last().copied()?);
    // Too small to hold text: a box or a decoration.
    if x1 - x0 < 20.0 || top - bottom < 8.0 {
        return None;
    }
    let rows = ys.len() - 1;
    let cols = xs.len() - 1;
    // No printed table has this many cells; a hatched drawing might.
    if rows.saturating_mul(cols) > MAX_CELLS {
        return None;
    }
    // Whether a vertical line at xs[c] separates columns c-1 and c in row r.
    let v_sep = |r: usize, c: usize| -> bool {
        let (Some(&x), Some(&ya), Some(&yb)) = (xs.get(c), ys.get(r), ys.get(r + 1)) else {
            return true;
        };
        let mid = (ya + yb) / 2.0;
        vs.iter()
            .any(|v| (v.at - x).abs() <= TOUCH && v.from <= mid + 0.5 && v.to >= mid - 0.5)
    };
    // Whether a horizontal line at ys[r] separates rows r-1 and r in column c.
    let h_sep = |r: usize, c: usize| -> bool {
        let (Some(&y), Some(&xa), Some(&xb)) = (ys.get(r), xs.get(c), xs.get(c + 1)) else {
            return true;
        };
        let mid = (xa + xb) / 2.0;
        hs.iter()
            .any(|h| (h.at - y).abs() <= TOUCH && h.from <= mid + 0.5 && h.to >= mid - 0.5)
    };
    let mut owner: Vec<Option<usize>> = vec![None; rows * cols];
    let mut cells: Vec<GridCell> = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            if owner.get(r * cols + c).copied().flatten().is_some() {
                continue;
            }
            // Extend right while no separator, then down while the whole span has none.
            let mut c1 = c + 1;
            while c1 < cols
                && !v_sep(r, c1)
                && owner.get(r * cols + c1).copied().flatten().is_none()
            {
                c1 += 1;
            }
            let mut r1 = r + 1;
            while r1 < rows && (c..c1).all(|cc| !h_sep(r1, cc)) {
                r1 += 1;
            }
            let id = cells.len();
            cells.push(GridCell {
                row0: r,
                row1: r1,
                col0: c,
                col1: c1,
            });
            for rr in r..r1 {
                for cc in c..c1 {
                    if let Some(slot) = owner.get_mut(rr * cols + cc) {
                        *slot = Some(id);
                    }
                }
            }
        }
    }
    Some(Grid {
        xs,
        ys,
        cells,
        anchors: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f64, x0: f64, x1: f64) -> Segment {
        Segment {
            horizontal: true,
            at: y,
            from: x0,
            to: x1,
        }
    }
    fn v(x: f64, y0: f64, y1: f64) -> Segment {
        Segment {
            horizontal: false,
            at: x,
            from: y0,
            to: y1,
        }
    }

    #[test]
    fn a_two_by_two_grid_with_a_spanning_header() {
        // Header row spans both columns (no vertical line at x=50 in the top row).
        let segs = vec![
            h(100.0, 0.0, 100.0),
            h(80.0, 0.0, 100.0),
            h(60.0, 0.0, 50.0),
            h(60.0, 50.0, 100.0),
            h(40.0, 0.0, 100.0),
            v(0.0, 40.0, 100.0),
            v(100.0, 40.0, 100.0),
            v(50.0, 40.0, 80.0),
            // A lone page-header rule elsewhere is not a table.
            h(500.0, 0.0, 400.0),
        ];
        let gs = grids(&segs);
        assert_eq!(gs.len(), 1);
        let g = &gs[0];
        assert_eq!(g.rows(), 3);
        assert_eq!(g.cols(), 2);
        assert_eq!(
            g.cells[0],
            GridCell {
                row0: 0,
                row1: 1,
                col0: 0,
                col1: 2
            }
        );
        assert_eq!(g.cells.len(), 5);
        assert_eq!(g.row_at(70.0), Some(1));
        assert_eq!(g.col_at(75.0), Some(1));
    }
}
