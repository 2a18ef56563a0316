//! Placing printed values in their columns when a row leaves cells blank.
//!
//! Extracted text drops blank cells: `人大会议 30.00 30.00` under four value columns says
//! nothing about which two columns the values stand in. Every placement that keeps the printed
//! order is a candidate; the candidates are narrowed by sound signals only:
//!
//! 1. the row's own identities from the header (`合计 = 基本支出 + 项目支出`);
//! 2. the table's column sums over its row hierarchy (a parent row equals the sum of its
//!    children in every column; the 总计 row the sum of the top-level rows), solved in
//!    [`super::sumsolver`];
//! 3. (document level, [`corroborate`]) the same row and column in another table with the same
//!    value, when 1 and 2 leave several placements.
//!
//! A row whose placement is still not unique keeps all its candidates: the cells are marked
//! [`Placement::Ambiguous`] and an ingest warning names the alternatives. Nothing is guessed
//! silently.

use std::borrow::Cow;
use std::sync::Arc;

use rust_decimal::Decimal;
use shenhe_model::{
    Cell, CellValue, Column, IngestWarning, Placement, Row, RowKind, Table, Unit, name_key,
};

use super::header::Identity;
use super::rows::{RawVal, SideChoice};
use super::sumsolver::{FreeAt, Int, Work, add_into, add_placed_into, fits_narrow};
use super::{DocMap, DocSet};
use crate::number::Num;

/// Most candidates enumerated for one row.
const MAX_CANDIDATES: usize = 2000;
/// Most placements of a row checked one by one against its identities (more are walked, see
/// [`IdentityChecks::walk`]).
const FEW_PLACEMENTS: usize = 32;
/// Most digits after the point used for exact comparison.
const MAX_SCALE: u32 = 10;

/// How a row's placement was settled. The settled variants hold the placement reason as the
/// cells will carry it (before a side reason is joined), shared by the rows it settled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum How {
    /// As many values as columns (or none).
    Direct,
    Identity(Arc<str>),
    Joint(Arc<str>),
    Corroborated(Arc<str>),
    /// Settled by column sums after another row was corroborated.
    JointAfter(Arc<str>),
    Ambiguous(String),
}

/// Reasons already worded, by the constraint that settled the rows (see `Var::narrowed_by`).
type Worded = Vec<(Option<(usize, bool)>, Arc<str>)>;

/// One row to place.
#[derive(Clone, Debug)]
pub(crate) struct Var<'a> {
    pub row: usize,
    pub vals: Vec<RawVal<'a>>,
    /// Candidate placements: for each value, the index of its column in [`Group::cols`].
    pub cands: Cands,
    /// Where this row's values, as integers at the group's scale, start in [`Group::ints`]
    /// (one per value: a candidate's column vector holds them at its positions, zeros
    /// elsewhere, and is written out only where it is needed).
    ints_at: usize,
    pub feas: Feas,
    pub how: How,
    pub side: SideChoice,
    /// Number of feasible candidates after the row's own identities.
    after_identity: usize,
    /// The column-sum constraint that last narrowed this row, and whether as its parent.
    narrowed_by: Option<(usize, bool)>,
}

impl Var<'_> {
    /// The row's values as integers, from the group's buffer.
    fn ints<'v>(&self, ints: &'v [i128]) -> &'v [i128] {
        ints.get(self.ints_at..self.ints_at + self.vals.len())
            .unwrap_or_default()
    }

    /// The (column position, integer) pairs of candidate `k`: its column vector, sparse.
    fn placed_ints<'v>(
        &'v self,
        ints: &'v [i128],
        k: usize,
    ) -> Option<impl Iterator<Item = (usize, i128)> + 'v> {
        let cand = self.cands.get(k)?;
        Some(
            cand.iter()
                .zip(self.ints(ints))
                .map(|(p, x)| (usize::from(*p), *x)),
        )
    }

    pub fn feasible(&self) -> impl Iterator<Item = usize> + '_ {
        self.feas
            .iter()
            .enumerate()
            .filter(|(_, f)| **f)
            .map(|(i, _)| i)
    }

    pub fn n_feasible(&self) -> usize {
        self.feas.iter().filter(|f| **f).count()
    }

    fn chosen(&self) -> Option<usize> {
        self.feasible().next()
    }
}

/// Which candidates of a row are still feasible: the flag held inline for the many rows with a
/// single candidate, a vector otherwise. Read and written as a slice of flags.
#[derive(Clone, Debug)]
pub(crate) enum Feas {
    One(bool),
    Many(Vec<bool>),
}

impl Feas {
    /// `m` candidates, all feasible.
    fn all(m: usize) -> Feas {
        if m == 1 {
            Feas::One(true)
        } else {
            Feas::Many(vec![true; m])
        }
    }
}

impl std::ops::Deref for Feas {
    type Target = [bool];

    fn deref(&self) -> &[bool] {
        match self {
            Feas::One(f) => std::slice::from_ref(f),
            Feas::Many(v) => v,
        }
    }
}

impl std::ops::DerefMut for Feas {
    fn deref_mut(&mut self) -> &mut [bool] {
        match self {
            Feas::One(f) => std::slice::from_mut(f),
            Feas::Many(v) => v,
        }
    }
}

/// `parent = Σ children` in every column (indices into [`Group::vars`]).
#[derive(Clone, Debug)]
struct Sum {
    parent: usize,
    children: Vec<usize>,
    broken: bool,
}

/// The rows of one side of a table with its value columns.
#[derive(Clone, Debug)]
pub(crate) struct Group<'a> {
    /// Table column indices of the value columns.
    pub cols: Vec<usize>,
    pub identities: Vec<Identity>,
    pub vars: Vec<Var<'a>>,
    /// The values of every row as integers at [`Self::scale`], flattened: one buffer for the
    /// group rather than one per row (see [`Var::ints_at`]).
    ints: Vec<i128>,
    /// The largest size of any number in [`Self::ints`].
    max_abs: u128,
    sums: Vec<Sum>,
    scale: u32,
}

fn to_int(num: &Num, scale: u32) -> i128 {
    let d = match num {
        Num::Number(d) | Num::Percent(d) => *d,
        Num::Dash => return 0,
    };
    let m = d.mantissa();
    let s = d.scale();
    if s > scale {
        m / 10i128.pow((s - scale).min(30))
    } else if s == scale {
        // The usual case: every value printed with the group's decimals.
        m
    } else {
        m.saturating_mul(10i128.pow((scale - s).min(30)))
    }
}

/// Candidate placements, flattened: each is `k` column positions (indices into
/// [`Group::cols`]), one per printed value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Cands {
    k: usize,
    data: Cow<'static, [u16]>,
    count: usize,
}

/// `0, 1, 2, …`: the one placement of a row with a value for every column, borrowed for
/// rows of up to this many values.
const IDENTITY: [u16; 32] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
    26, 27, 28, 29, 30, 31,
];

impl Cands {
    fn single(k: usize) -> Cands {
        let data = match IDENTITY.get(..k) {
            Some(first) => Cow::Borrowed(first),
            None => Cow::Owned((0..k as u16).collect()),
        };
        Cands { k, data, count: 1 }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn get(&self, i: usize) -> Option<&[u16]> {
        if i >= self.count {
            return None;
        }
        self.data.get(i * self.k..(i + 1) * self.k)
    }

    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = &[u16]> + '_ {
        (0..self.count).filter_map(move |i| self.get(i))
    }
}

/// All increasing ways of putting `k` values into `n` columns, in lexicographic order; `None`
/// when there are more than `cap`.
fn combinations(n: usize, k: usize, cap: usize) -> Option<Cands> {
    // Room for every combination (at most `cap + 1`): the buffer is not regrown.
    let count_all =
        (0..k.min(n)).try_fold(1usize, |acc, i| acc.checked_mul(n - i).map(|p| p / (i + 1)));
    let room = count_all.map_or(cap, |c| c.min(cap.saturating_add(1)));
    let mut data: Vec<u16> = Vec::with_capacity(room.saturating_mul(k));
    let done = |data: Vec<u16>, count: usize| {
        Some(Cands {
            k,
            data: Cow::Owned(data),
            count,
        })
    };
    if k > n {
        return done(data, 0);
    }
    // The current combination, advanced in place and appended each time (on the stack for
    // up to 32 values).
    let mut stack = IDENTITY;
    let mut heap: Vec<u16>;
    let idx: &mut [u16] = match stack.get_mut(..k) {
        Some(first) => first,
        None => {
            heap = (0..k).map(|i| i as u16).collect();
            &mut heap
        }
    };
    let mut count = 0usize;
    loop {
        data.extend(idx.iter().copied());
        count += 1;
        if count > cap {
            return None;
        }
        if !next_combination(idx, n) {
            return done(data, count);
        }
    }
}

/// Advances `idx` (increasing positions below `n`) to the next combination in lexicographic
/// order; `false` when it was the last.
fn next_combination(idx: &mut [u16], n: usize) -> bool {
    let k = idx.len();
    // The rightmost position that can still advance; those after it follow on.
    let movable = (0..k)
        .rev()
        .find(|&i| idx.get(i).is_some_and(|&v| usize::from(v) + k < n + i));
    let Some(i) = movable else {
        return false;
    };
    if let Some(rest) = idx.get_mut(i..) {
        let base = rest.first().copied().unwrap_or(0) + 1;
        for (j, slot) in rest.iter_mut().enumerate() {
            *slot = base + j as u16;
        }
    }
    true
}

/// Whether there are at most `cap` ways of putting `k` values into `n` columns (what
/// [`combinations`] enumerates before giving up).
fn combinations_within(n: usize, k: usize, cap: usize) -> bool {
    if k > n {
        return true;
    }
    // C(n, k) = C(n, n - k); over the smaller of the two the partial products C(n, i) only
    // grow, so the first one beyond `cap` settles it. A product too large for a machine word
    // is beyond any cap.
    let k = k.min(n - k);
    let mut count = 1usize;
    for i in 0..k {
        count = match count.checked_mul(n - i) {
            Some(p) => p / (i + 1),
            None => return false,
        };
        if count > cap {
            return false;
        }
    }
    true
}

/// A group's identities, laid out for checking a row's placements as they are enumerated,
/// with buffers reused from row to row.
struct IdentityChecks {
    /// The coefficients of `total - Σ parts`, identity by identity (`n` per identity).
    dense: Vec<i64>,
    /// Per column, from `col_at[c]` to `col_at[c + 1]`: the identities with a coefficient
    /// there and that coefficient in `total - Σ parts` (a part named twice counts twice), so
    /// that a placement's deviations are read off its placed values alone.
    col_at: Vec<usize>,
    coefs: Vec<(usize, i64)>,
    /// Per identity, its last column with a coefficient (`None`: it always holds), after
    /// which its deviation no longer changes.
    last: Vec<Option<usize>>,
    /// The rounding tolerance tried when no placement holds exactly.
    tol: i128,
    /// The walk: each identity's deviation, the positions placed, the placements found.
    dev: Vec<i128>,
    pos: Vec<usize>,
    found: Vec<u16>,
}

impl IdentityChecks {
    fn new(ids: &[Identity], n: usize) -> IdentityChecks {
        let mut dense: Vec<i64> = vec![0; ids.len() * n];
        for (i, id) in ids.iter().enumerate() {
            let Some(row) = dense.get_mut(i * n..(i + 1) * n) else {
                continue;
            };
            if let Some(c) = row.get_mut(id.total) {
                *c += 1;
            }
            for &p in &id.parts {
                if let Some(c) = row.get_mut(p) {
                    *c -= 1;
                }
            }
        }
        let last = dense
            .chunks_exact(n.max(1))
            .map(|row| row.iter().rposition(|c| *c != 0))
            .collect();
        let mut col_at = Vec::with_capacity(n + 1);
        let mut coefs = Vec::new();
        for c in 0..n {
            col_at.push(coefs.len());
            for i in 0..ids.len() {
                match dense.get(i * n + c) {
                    Some(&v) if v != 0 => coefs.push((i, v)),
                    _ => {}
                }
            }
        }
        col_at.push(coefs.len());
        // Each printed number is rounded to its last digit: a sum of `terms` of them may be
        // off by half a unit each.
        let terms = ids.iter().map(|i| i.parts.len() + 1).max().unwrap_or(2);
        IdentityChecks {
            dense,
            col_at,
            coefs,
            last,
            tol: ((terms as i128) + 1) / 2,
            dev: Vec::new(),
            pos: Vec::new(),
            found: Vec::new(),
        }
    }

    /// The placements of a row's values (`vals`, as integers) into `n` columns that keep
    /// every identity exactly, else within the rounding tolerance, in lexicographic order;
    /// `None` when there are none either way (the row then keeps all its placements).
    fn placements(&mut self, n: usize, vals: &[i128]) -> Option<Cands> {
        if combinations_within(n, vals.len(), FEW_PLACEMENTS) {
            return self.placements_listed(n, vals);
        }
        for tol in [0, self.tol] {
            self.walk(n, vals, tol);
            if !self.found.is_empty() {
                let k = vals.len();
                return Some(Cands {
                    k,
                    count: self.found.len().checked_div(k).unwrap_or(0),
                    data: Cow::Owned(self.found.clone()),
                });
            }
        }
        None
    }

    /// [`Self::placements`] for a row with few placements: each combination is checked
    /// whole (its largest deviation read off the coefficients of its columns), which costs
    /// less than the walk's steps when there are few of them.
    fn placements_listed(&mut self, n: usize, vals: &[i128]) -> Option<Cands> {
        let k = vals.len();
        if k > n {
            return None;
        }
        // The placements that hold exactly, and (`near`) those that hold only within the
        // tolerance, each in lexicographic order.
        self.found.clear();
        let mut near: Vec<u16> = Vec::new();
        let mut stack = IDENTITY;
        let idx = stack.get_mut(..k)?;
        loop {
            let mut worst = 0i128;
            for row in self.dense.chunks_exact(n.max(1)) {
                let mut dev = 0i128;
                for (&p, &x) in idx.iter().zip(vals) {
                    let c = row.get(usize::from(p)).copied().unwrap_or(0);
                    if c != 0 {
                        dev = dev.wrapping_add(Self::delta(c, x));
                    }
                }
                worst = worst.max(dev.wrapping_abs());
            }
            if worst == 0 {
                self.found.extend_from_slice(idx);
            } else if worst <= self.tol && self.found.is_empty() {
                near.extend_from_slice(idx);
            }
            if !next_combination(idx, n) {
                break;
            }
        }
        let data = if self.found.is_empty() {
            near
        } else {
            self.found.clone()
        };
        (!data.is_empty()).then(|| Cands {
            k,
            count: data.len().checked_div(k).unwrap_or(0),
            data: Cow::Owned(data),
        })
    }

    /// How value `x` at a column with coefficient `c` moves a deviation.
    fn delta(c: i64, x: i128) -> i128 {
        match c {
            1 => x,
            -1 => x.wrapping_neg(),
            c => i128::from(c).wrapping_mul(x),
        }
    }

    /// Adds (`undo`: takes back) value `x` at column `p` in every deviation.
    fn shift(&mut self, p: usize, x: i128, undo: bool) {
        let (Some(&from), Some(&to)) = (self.col_at.get(p), self.col_at.get(p + 1)) else {
            return;
        };
        for &(i, c) in self.coefs.get(from..to).unwrap_or_default() {
            if let Some(d) = self.dev.get_mut(i) {
                let step = Self::delta(c, x);
                *d = if undo {
                    d.wrapping_sub(step)
                } else {
                    d.wrapping_add(step)
                };
            }
        }
    }

    /// Whether every identity whose last column lies in `from..=to` holds within `tol`.
    fn holds(&self, from: usize, to: usize, tol: i128) -> bool {
        self.last
            .iter()
            .zip(&self.dev)
            .all(|(last, d)| !last.is_some_and(|l| from <= l && l <= to) || d.wrapping_abs() <= tol)
    }

    /// Collects in `found` the placements that keep every identity within `tol`, by a
    /// depth-first walk over the positions of the values in order: an identity is checked as
    /// soon as its last column is passed (its deviation is then final), and a walk that
    /// breaks one goes no deeper.
    fn walk(&mut self, n: usize, vals: &[i128], tol: i128) {
        let k = vals.len();
        self.found.clear();
        self.dev.clear();
        self.dev.resize(self.last.len(), 0);
        self.pos.clear();
        // The next position to try for the next value.
        let mut next = 0usize;
        let val = |j: usize| vals.get(j).copied().unwrap_or(0);
        loop {
            let j = self.pos.len();
            if j == k {
                // Every value placed: the columns after the last are blank.
                let after = self.pos.last().map_or(0, |p| p + 1);
                if self.holds(after, usize::MAX, tol) {
                    self.found.extend(self.pos.iter().map(|&p| p as u16));
                }
            } else if next + (k - j) <= n {
                // Value j at `next` (it may stand at most where the values after it fit).
                let p = next;
                let from = self.pos.last().map_or(0, |q| q + 1);
                self.shift(p, val(j), false);
                if self.holds(from, p, tol) {
                    self.pos.push(p);
                } else {
                    self.shift(p, val(j), true);
                }
                next = p + 1;
                continue;
            }
            // Back to the value before, at its next position.
            let Some(p) = self.pos.pop() else { break };
            self.shift(p, val(self.pos.len()), true);
            next = p + 1;
        }
    }
}

impl<'a> Group<'a> {
    /// A group over `cols`, with rows `(table row index, printed values, side choice)`.
    pub fn new(
        cols: Vec<usize>,
        identities: Vec<Identity>,
        rows: Vec<(usize, Vec<RawVal<'a>>, SideChoice)>,
        table_name: &str,
        table_rows: &[Row],
        warnings: &mut Vec<IngestWarning>,
    ) -> Group<'a> {
        let n = cols.len();
        let scale = rows
            .iter()
            .flat_map(|(_, v, _)| v.iter())
            .map(|v| match v.num {
                Num::Number(d) | Num::Percent(d) => d.scale(),
                Num::Dash => 0,
            })
            .max()
            .unwrap_or(0)
            .min(MAX_SCALE);
        let mut vars = Vec::with_capacity(rows.len());
        let mut max_abs = 0u128;
        // A row's own identities narrow its placements as they are enumerated.
        let mut checks = (!identities.is_empty()).then(|| IdentityChecks::new(&identities, n));
        // Room for every value (extra values beyond the columns are dropped below).
        let mut ints: Vec<i128> =
            Vec::with_capacity(rows.iter().map(|(_, v, _)| v.len().min(n)).sum());
        for (row, mut vals, side) in rows {
            let label = table_rows.get(row).map(|r| r.label.as_str()).unwrap_or("");
            if vals.len() > n {
                let dropped: Vec<Cow<'_, str>> = vals.drain(n..).map(|v| v.printed).collect();
                warnings.push(IngestWarning {
                    code: "extra-values".into(),
                    message: format!(
                        "{table_name}“{label}”行有 {} 个数值，多于 {n} 个数值列；多出的 {} 未读入",
                        n + dropped.len(),
                        dropped.join(" ")
                    ),
                    loc: table_rows.get(row).map(|r| r.loc),
                });
            }
            let ints_at = ints.len();
            for v in &vals {
                let x = to_int(&v.num, scale);
                max_abs = max_abs.max(x.unsigned_abs());
                ints.push(x);
            }
            let k = vals.len();
            let (cands, how) = if k == n || k == 0 {
                (Cands::single(k), How::Direct)
            } else if !combinations_within(n, k, MAX_CANDIDATES) {
                warnings.push(IngestWarning {
                    code: "ambiguous-placement".into(),
                    message: format!(
                        "{table_name}“{label}”行的 {k} 个数值在 {n} 个数值列中的放置方式过多，未作推断，按从左到右依次填入，请人工核对"
                    ),
                    loc: table_rows.get(row).map(|r| r.loc),
                });
                (
                    Cands::single(k),
                    How::Ambiguous("可能的放置过多，未作推断，按从左到右依次填入".into()),
                )
            } else {
                let row_ints = ints.get(ints_at..).unwrap_or_default();
                let cands = checks
                    .as_mut()
                    .and_then(|c| c.placements(n, row_ints))
                    .or_else(|| combinations(n, k, MAX_CANDIDATES))
                    .unwrap_or_else(|| Cands::single(k));
                (cands, How::Ambiguous(String::new()))
            };
            let m = cands.len();
            vars.push(Var {
                row,
                vals,
                cands,
                ints_at,
                feas: Feas::all(m),
                how,
                side,
                after_identity: m,
                narrowed_by: None,
            });
        }
        Group {
            cols,
            identities,
            vars,
            ints,
            max_abs,
            sums: Vec::new(),
            scale,
        }
    }

    /// The name of value column `k` in messages: its header path joined with `/` (worded
    /// only when a message needs it).
    fn col_name(&self, columns: &[Column], k: usize) -> String {
        self.cols
            .get(k)
            .and_then(|&c| columns.get(c))
            .map(|col| col.path.join("/"))
            .unwrap_or_default()
    }

    fn ulp_tolerance(&self, terms: usize) -> i128 {
        // Each printed number is rounded to its last digit: the sum of `terms` of them may be
        // off by half a unit each.
        let _ = self.scale;
        ((terms as i128) + 1) / 2
    }

    /// Adds the column-sum constraints of the row hierarchy: every parent row equals the sum of
    /// its children; a grand-total row the sum of the top-level rows when `total_closed`.
    pub fn add_hierarchy(&mut self, rows: &[Row], total_closed: bool) {
        // Table row → this group's var (the last var of a row wins, as a map would keep it).
        let mut var_of: Vec<Option<usize>> = Vec::new();
        var_of.resize(rows.len(), None);
        for (i, v) in self.vars.iter().enumerate() {
            if let Some(slot) = var_of.get_mut(v.row) {
                *slot = Some(i);
            }
        }
        // (parent var, child var) in child order: sorted stably by parent, each parent's
        // children stay in order and every list is allocated once, at its size.
        let mut pairs: Vec<(usize, usize)> = Vec::with_capacity(self.vars.len());
        let mut top: Vec<usize> = Vec::new();
        for (vi, var) in self.vars.iter().enumerate() {
            let Some(row) = rows.get(var.row) else {
                continue;
            };
            match row.parent.and_then(|p| var_of.get(p).copied().flatten()) {
                Some(pv) => pairs.push((pv, vi)),
                None if row.kind == RowKind::Item => top.push(vi),
                None => {}
            }
        }
        pairs.sort_by_key(|&(parent, _)| parent);
        // Sorted by parent, as the constraints are applied top-down.
        let mut sums: Vec<Sum> = pairs
            .chunk_by(|a, b| a.0 == b.0)
            .filter_map(|run| {
                Some(Sum {
                    parent: run.first()?.0,
                    children: run.iter().map(|&(_, child)| child).collect(),
                    broken: false,
                })
            })
            .collect();
        if total_closed && !top.is_empty() {
            let totals: Vec<usize> = self
                .vars
                .iter()
                .enumerate()
                .filter(|(_, v)| {
                    rows.get(v.row).is_some_and(|r| {
                        r.kind == RowKind::Total && r.parent.is_none() && is_grand_total(&r.label)
                    })
                })
                .map(|(i, _)| i)
                .collect();
            if let [t] = totals.as_slice() {
                // The grand total first: constraints are applied top-down.
                sums.insert(
                    0,
                    Sum {
                        parent: *t,
                        children: top,
                        broken: false,
                    },
                );
            }
        }
        self.sums = sums;
    }

    pub fn needs_solving(&self) -> bool {
        self.vars.iter().any(|v| v.n_feasible() > 1)
    }

    /// Narrows rows by the column sums until nothing changes. Constraints are revisited only
    /// when one of their rows changed.
    pub fn propagate(&mut self) {
        if !self.needs_solving() {
            return;
        }
        let max_abs = self.max_abs;
        let mut dirty = vec![true; self.sums.len()];
        // Buffers reused from constraint to constraint.
        let mut narrow: Work<i64> = Work::default();
        let mut wide: Work<i128> = Work::default();
        let mut changed: Vec<usize> = Vec::new();
        for _round in 0..32 {
            let mut any = false;
            for si in 0..self.sums.len() {
                if !dirty.get(si).copied().unwrap_or(false) {
                    continue;
                }
                if let Some(d) = dirty.get_mut(si) {
                    *d = false;
                }
                self.apply_sum(si, max_abs, &mut narrow, &mut wide, &mut changed);
                if changed.is_empty() {
                    continue;
                }
                any = true;
                for (sj, sum) in self.sums.iter().enumerate() {
                    if sj != si
                        && (changed.contains(&sum.parent)
                            || sum.children.iter().any(|c| changed.contains(c)))
                        && let Some(d) = dirty.get_mut(sj)
                    {
                        *d = true;
                    }
                }
            }
            if !any {
                break;
            }
        }
    }

    /// Writes the distinct vectors of row `vi`'s feasible candidates after the first `first`
    /// vectors of `data`, and for each candidate the index of its vector (or `None` when not
    /// feasible) into `of`; returns how many vectors the row has.
    fn options_into<T: Int>(
        &self,
        vi: usize,
        data: &mut Vec<T>,
        first: usize,
        of: &mut Vec<Option<usize>>,
    ) -> usize {
        let n = self.cols.len();
        let Some(v) = self.vars.get(vi) else {
            return 0;
        };
        let cands = v.feas.iter().enumerate().map(|(k, f)| {
            if *f {
                v.placed_ints(&self.ints, k)
            } else {
                None
            }
        });
        Work::<T>::push_options(n, data, first, of, cands)
    }

    /// Applies one `parent = Σ children` constraint; `changed` gets the rows it narrowed.
    /// Computed in `i64` when the numbers provably fit ([`fits_narrow`]; `max_abs`: the group's
    /// largest number), in `i128` otherwise.
    fn apply_sum(
        &mut self,
        si: usize,
        max_abs: u128,
        narrow: &mut Work<i64>,
        wide: &mut Work<i128>,
        changed: &mut Vec<usize>,
    ) {
        changed.clear();
        let Some(sum) = self.sums.get(si) else {
            return;
        };
        // With at most one feasible candidate in every row nothing can be narrowed: the
        // constraint either holds or is marked broken, and `broken` only skips this
        // function, which would narrow nothing here now or after any later narrowing.
        let settled = |vi: &usize| {
            self.vars
                .get(*vi)
                .is_none_or(|v| v.feasible().nth(1).is_none())
        };
        if settled(&sum.parent) && sum.children.iter().all(settled) {
            return;
        }
        if fits_narrow(max_abs, sum.children.len()) {
            self.apply_sum_in(si, narrow, changed);
        } else {
            self.apply_sum_in(si, wide, changed);
        }
    }

    /// [`Self::apply_sum`] in integers of type `T`.
    fn apply_sum_in<T: Int>(&mut self, si: usize, work: &mut Work<T>, changed: &mut Vec<usize>) {
        let Some(sum) = self.sums.get(si) else {
            return;
        };
        if sum.broken {
            return;
        }
        let parent = sum.parent;
        let terms = sum.children.len() + 1;
        let n = self.cols.len();
        work.reset(n);
        self.options_into(parent, &mut work.targets, 0, &mut work.parent_of);
        // Children with a single option add a constant; the others are free.
        for &c in &sum.children {
            // A row with one feasible candidate has that candidate's vector as its only
            // option: added without building its option set.
            let Some(var) = self.vars.get(c) else {
                return;
            };
            let mut feasible = var.feasible();
            match (feasible.next(), feasible.next()) {
                (None, _) => return,
                (Some(k), None) => match var.placed_ints(&self.ints, k) {
                    Some(only) => {
                        if !add_placed_into(&mut work.constant, only) {
                            return;
                        }
                    }
                    None => return,
                },
                _ => {
                    let first = work.opts.len().checked_div(n).unwrap_or(0);
                    let of_at = work.of.len();
                    let count = self.options_into(c, &mut work.opts, first, &mut work.of);
                    match count {
                        0 => return,
                        1 => {
                            // One distinct vector: a constant after all.
                            if let Some(only) = work.opts.get(first * n..(first + 1) * n) {
                                add_into(&mut work.constant, only);
                            }
                            work.opts.truncate(first * n);
                            work.of.truncate(of_at);
                        }
                        _ => work.free.push(FreeAt {
                            row: c,
                            first,
                            count,
                            of_at,
                            of_len: work.of.len() - of_at,
                        }),
                    }
                }
            }
        }
        // What the free children must add up to, per parent option.
        work.subtract_constant();
        for tol in [0i128, self.ulp_tolerance(terms)] {
            let Some(tol) = T::from_wide(tol) else {
                return;
            };
            let Some(reached) = work.solve(tol) else {
                return;
            };
            if !reached {
                continue;
            }
            // Parent.
            if let Some(pvar) = self.vars.get_mut(parent) {
                let mut any_change = false;
                for (k, f) in pvar.feas.iter_mut().enumerate() {
                    if !*f {
                        continue;
                    }
                    let keep = work
                        .parent_of
                        .get(k)
                        .copied()
                        .flatten()
                        .and_then(|o| work.parent_ok.get(o).copied())
                        .unwrap_or(false);
                    if !keep {
                        *f = false;
                        any_change = true;
                    }
                }
                if any_change {
                    pvar.narrowed_by = Some((si, true));
                    changed.push(parent);
                }
            }
            for (f, (row, range)) in work.free.iter().zip(&work.kept) {
                let Some(var) = self.vars.get_mut(*row) else {
                    continue;
                };
                let of = work.of.get(f.of_at..f.of_at + f.of_len).unwrap_or_default();
                let ok = work.keep.get(range.clone()).unwrap_or_default();
                let mut any_change = false;
                for (k, flag) in var.feas.iter_mut().enumerate() {
                    if !*flag {
                        continue;
                    }
                    let keep = of
                        .get(k)
                        .copied()
                        .flatten()
                        .and_then(|o| ok.get(o).copied())
                        .unwrap_or(false);
                    if !keep {
                        *flag = false;
                        any_change = true;
                    }
                }
                if any_change {
                    var.narrowed_by = Some((si, false));
                    changed.push(*row);
                }
            }
            return;
        }
        // No combination satisfies the constraint: the document's own arithmetic does not hold
        // here (the rules report that); the constraint is not used.
        if let Some(s) = self.sums.get_mut(si) {
            s.broken = true;
        }
    }

    /// Settles `how` for every row after identities and column sums (`rows`: the table's
    /// rows, for the labels the reasons name).
    pub fn settle(&mut self, rows: &[Row], columns: &[Column]) {
        let mut identity: Option<Arc<str>> = None;
        // The relation of each constraint, worded once for all the rows it settled.
        let mut worded: Worded = Vec::new();
        for vi in 0..self.vars.len() {
            let Some(var) = self.vars.get(vi) else {
                continue;
            };
            if var.how == How::Direct || matches!(&var.how, How::Ambiguous(r) if !r.is_empty()) {
                continue;
            }
            let how = if var.n_feasible() == 1 {
                if var.after_identity == 1 {
                    How::Identity(
                        identity
                            .get_or_insert_with(|| {
                                identity_text(&self.identities, |k| self.col_name(columns, k))
                                    .into()
                            })
                            .clone(),
                    )
                } else {
                    let by = var.narrowed_by;
                    let text = match worded.iter().find(|(k, _)| *k == by) {
                        Some((_, t)) => t.clone(),
                        None => {
                            let t: Arc<str> =
                                format!("本行数值个数少于列数，按{}确定", self.relation(vi, rows))
                                    .into();
                            worded.push((by, t.clone()));
                            t
                        }
                    };
                    How::Joint(text)
                }
            } else {
                How::Ambiguous(String::new())
            };
            if let Some(var) = self.vars.get_mut(vi) {
                var.how = how;
            }
        }
    }

    /// The column-sum relation that settled row `vi`, in words.
    fn relation(&self, vi: usize, rows: &[Row]) -> String {
        let Some(var) = self.vars.get(vi) else {
            return String::new();
        };
        match var.narrowed_by {
            Some((si, true)) => {
                let n = self.sums.get(si).map(|s| s.children.len()).unwrap_or(0);
                format!("本行 = 其下 {n} 行之和，逐列相加")
            }
            Some((si, false)) => {
                let parent = self
                    .sums
                    .get(si)
                    .and_then(|s| self.vars.get(s.parent))
                    .and_then(|p| rows.get(p.row))
                    .map(|r| r.label.as_str())
                    .unwrap_or_default();
                format!("上级行“{parent}” = 本行与同级行之和，逐列相加")
            }
            None => "上下级行逐列相加".into(),
        }
    }

    /// After corroboration fixed some rows: rows then settled by the column sums get
    /// `JointAfter`.
    pub fn settle_after(&mut self, rows: &[Row]) {
        let mut fixed: Option<String> = None;
        // The reason of each constraint, worded once for all the rows it settled.
        let mut worded: Worded = Vec::new();
        for vi in 0..self.vars.len() {
            let Some(var) = self.vars.get(vi) else {
                continue;
            };
            if !(matches!(var.how, How::Ambiguous(ref r) if r.is_empty()) && var.n_feasible() == 1)
            {
                continue;
            }
            let fixed = fixed.get_or_insert_with(|| {
                let labels: Vec<String> = self
                    .vars
                    .iter()
                    .filter(|v| matches!(v.how, How::Corroborated(_)))
                    .map(|v| {
                        let label = rows.get(v.row).map(|r| r.label.as_str()).unwrap_or("");
                        format!("“{label}”")
                    })
                    .collect();
                labels.join("、")
            });
            let by = var.narrowed_by;
            let text = match worded.iter().find(|(k, _)| *k == by) {
                Some((_, t)) => t.clone(),
                None => {
                    let t: Arc<str> = format!(
                        "本行数值个数少于列数，按{}；其中{}行的放置按其他表选定",
                        self.relation(vi, rows),
                        fixed
                    )
                    .into();
                    worded.push((by, t.clone()));
                    t
                }
            };
            let how = How::JointAfter(text);
            if let Some(var) = self.vars.get_mut(vi) {
                var.how = how;
            }
        }
    }

    /// Restricts a row to one candidate and propagates.
    pub fn fix(&mut self, vi: usize, cand: usize, reason: String) {
        if let Some(v) = self.vars.get_mut(vi) {
            for (k, f) in v.feas.iter_mut().enumerate() {
                *f = k == cand;
            }
            v.how = How::Corroborated(reason.into());
        }
        self.propagate();
    }

    /// Writes the cells of every row into the table and reports rows left ambiguous.
    pub fn write(&self, table: &mut Table, table_name: &str, warnings: &mut Vec<IngestWarning>) {
        // The reason of a cell settled in an ambiguous row, shared by all such cells.
        let mut settled_reason: Option<Arc<str>> = None;
        for var in &self.vars {
            let mut feasible = var.feasible();
            let chosen = feasible.next().unwrap_or(0);
            // The other feasible placements (none for most rows: nothing collected then).
            let alternatives: Vec<Vec<usize>> = match feasible.next() {
                None => Vec::new(),
                Some(second) => std::iter::once(second)
                    .chain(feasible)
                    .filter_map(|k| var.cands.get(k))
                    .map(|c| {
                        c.iter()
                            .filter_map(|p| self.cols.get(*p as usize).copied())
                            .collect()
                    })
                    .collect(),
            };
            let (mut placement, warn) = placement_of(var, alternatives);
            // In a row left ambiguous, a column that holds the same in every remaining
            // placement is still known (only asked of ambiguous rows).
            let ambiguous = matches!(placement, Placement::Ambiguous { .. });
            let settled: Vec<bool> = if ambiguous {
                (0..self.cols.len())
                    .map(|k| {
                        let mut contents = var
                            .feasible()
                            .filter_map(|c| var.cands.get(c))
                            .map(|c| c.iter().position(|p| *p as usize == k));
                        let first = contents.next();
                        contents.all(|x| Some(x) == first)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            // The chosen candidate's positions increase: the values are met in column order,
            // and every cell is written once.
            let mut placed = var
                .cands
                .get(chosen)
                .into_iter()
                .flat_map(|cand| cand.iter().zip(&var.vals))
                .peekable();
            let last = self.cols.len().checked_sub(1);
            let mut cells: Vec<Cell> = Vec::with_capacity(self.cols.len());
            for (k, &c) in self.cols.iter().enumerate() {
                let settled_here = matches!(placement, Placement::Ambiguous { .. })
                    && settled.get(k).copied().unwrap_or(false)
                    && matches!(var.side, SideChoice::Given);
                let cell_placement = if settled_here {
                    Placement::Inferred {
                        reason: settled_reason
                            .get_or_insert_with(|| {
                                "本行的放置不唯一，但在所有符合恒等式和上下级关系的放置中此列都相同"
                                    .into()
                            })
                            .clone(),
                    }
                } else if !warn && Some(k) == last {
                    // The last cell takes the row's placement itself (the warning, which
                    // needs it, is only written for ambiguous rows).
                    std::mem::take(&mut placement)
                } else {
                    placement.clone()
                };
                let (value, loc) = match placed.next_if(|(pos, _)| usize::from(**pos) == k) {
                    Some((_, val)) => (
                        match val.num {
                            Num::Number(d) => CellValue::Number(d),
                            Num::Percent(d) => CellValue::Percent(d),
                            Num::Dash => CellValue::Text(val.printed.to_string()),
                        },
                        Some(val.loc),
                    ),
                    None => (CellValue::Blank, None),
                };
                cells.push(Cell {
                    column: c,
                    value,
                    loc,
                    placement: cell_placement,
                });
            }
            if let Some(row) = table.rows.get_mut(var.row) {
                if warn {
                    warnings.push(IngestWarning {
                        code: "ambiguous-placement".into(),
                        message: self.ambiguity_message(
                            var,
                            &placement,
                            &settled,
                            table_name,
                            row,
                            &table.columns,
                        ),
                        loc: Some(row.loc),
                    });
                }
                row.cells = cells;
            }
        }
    }

    /// The warning for a row left ambiguous: which values, which columns they may take.
    fn ambiguity_message(
        &self,
        var: &Var,
        placement: &Placement,
        settled: &[bool],
        table_name: &str,
        row: &Row,
        columns: &[Column],
    ) -> String {
        let why: &str = match placement {
            Placement::Ambiguous { reason, .. } => reason,
            _ => "",
        };
        // A value column's short name: the part of its header path after the last `/`
        // (within the path's last part), borrowed.
        let short = |k: usize| -> &str {
            self.cols
                .get(k)
                .and_then(|&c| columns.get(c))
                .and_then(|col| col.path.last())
                .and_then(|p| p.rsplit('/').next())
                .unwrap_or("")
        };
        let cands: Vec<&[u16]> = var.feasible().filter_map(|c| var.cands.get(c)).collect();
        if cands.len() <= 1 {
            return format!(
                "{table_name}第 {} 行“{}”：{why}；已按从左到右的次序填入，请人工核对",
                row.loc.line, row.label
            );
        }
        // Values whose column differs between the remaining placements.
        let open: Vec<usize> = (0..var.vals.len())
            .filter(|&i| {
                let mut cols = cands.iter().filter_map(|c| c.get(i));
                let first = cols.next();
                cols.any(|c| Some(c) != first)
            })
            .collect();
        let vals: Vec<&str> = open
            .iter()
            .filter_map(|&i| var.vals.get(i).map(|v| v.printed.as_ref()))
            .collect();
        let options: Vec<String> = cands
            .iter()
            .enumerate()
            .map(|(n, c)| {
                let names: Vec<&str> = open
                    .iter()
                    .filter_map(|&i| c.get(i).map(|p| short(*p as usize)))
                    .collect();
                format!("{}{}", circled(n), names.join("、"))
            })
            .collect();
        let known: Vec<String> = (0..var.vals.len())
            .filter(|i| !open.contains(i))
            .filter_map(|i| {
                let v = var.vals.get(i)?;
                let p = cands.first()?.get(i)?;
                Some(format!("{}→{}", v.printed, short(*p as usize)))
            })
            .collect();
        let _ = settled;
        let known = if known.is_empty() {
            String::new()
        } else {
            format!("（{} 已确定）", known.join("，"))
        };
        format!(
            "{table_name}第 {} 行“{}”：数值 {} 的列位置无法确定{known}，可为 {}；{why}。已按 ① 填入，请人工核对",
            row.loc.line,
            row.label,
            vals.join("、"),
            options.join("；"),
        )
    }

    /// Evidence this group gives other tables: settled values by row keys and column keys.
    pub fn evidence(
        &self,
        table: &Table,
        ords: &[Option<(u8, u32)>],
        table_idx: usize,
        out: &mut EvidenceIndex,
    ) {
        // One row's evidence, added to each of its keys with one lookup.
        let mut evs: Vec<Evidence> = Vec::new();
        for var in &self.vars {
            if var.n_feasible() != 1 || matches!(var.how, How::Corroborated(_) | How::JointAfter(_))
            {
                continue;
            }
            let Some(row) = table.rows.get(var.row) else {
                continue;
            };
            let Some(cand) = var.chosen() else { continue };
            let code = row_code(row);
            let want_code = code.is_some_and(|c| out.want_codes.contains(c));
            // The name is worded only when its last char could be a wanted name's.
            let name = out
                .may_want_name(&row.label)
                .then(|| row_name(row, ords, var.row))
                .filter(|name| out.want_names.contains(name.as_ref()));
            if !want_code && name.is_none() {
                continue;
            }
            evs.clear();
            for (pos, val) in self.placed_of(var, cand) {
                let Num::Number(d) = val.num else { continue };
                let Some(&col) = self.cols.get(pos) else {
                    continue;
                };
                evs.push(Evidence {
                    table: table_idx,
                    col,
                    value: in_unit(d, table.unit_of(col)),
                });
            }
            if evs.is_empty() {
                continue;
            }
            if want_code && let Some(c) = code {
                add_evidence(&mut out.by_code, c, &evs);
            }
            if let Some(name) = name {
                add_evidence(&mut out.by_name, &name, &evs);
            }
        }
    }

    /// The (column position, value) pairs of candidate `cand` of a row.
    fn placed_of<'v>(
        &self,
        var: &'v Var<'a>,
        cand: usize,
    ) -> impl Iterator<Item = (usize, &'v RawVal<'a>)> + 'v {
        var.cands
            .get(cand)
            .unwrap_or_default()
            .iter()
            .zip(&var.vals)
            .map(|(p, val)| (*p as usize, val))
    }

    /// Uses other tables' settled values to choose among a row's remaining placements.
    pub fn corroborate(
        &mut self,
        table: &Table,
        ords: &[Option<(u8, u32)>],
        table_idx: usize,
        index: &EvidenceIndex,
        col_keys: &[Vec<ColKey>],
        table_names: &[String],
    ) -> bool {
        let mut any = false;
        for vi in 0..self.vars.len() {
            let Some(var) = self.vars.get(vi) else {
                continue;
            };
            if var.n_feasible() <= 1 {
                continue;
            }
            let Some(row) = table.rows.get(var.row) else {
                continue;
            };
            let code = row_code(row);
            let name = row_name(row, ords, var.row);
            let lists: [&[Evidence]; 2] = [
                code.and_then(|c| index.by_code.get(c))
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
                index
                    .by_name
                    .get(name.as_ref())
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
            ];
            let mut best: Option<(u32, Vec<usize>, Vec<usize>)> = None;
            for k in var.feasible() {
                let mut score = 0u32;
                let mut sources: Vec<usize> = Vec::new();
                for (pos, val) in self.placed_of(var, k) {
                    let Num::Number(d) = val.num else { continue };
                    let Some(&col) = self.cols.get(pos) else {
                        continue;
                    };
                    let Some(own) = col_keys.get(table_idx).and_then(|k| k.get(col)) else {
                        continue;
                    };
                    let v = in_unit(d, table.unit_of(col));
                    let mut best_here = 0u32;
                    let mut src = None;
                    for list in &lists {
                        for e in list.iter() {
                            if e.table == table_idx || !same_value(e.value, v) {
                                continue;
                            }
                            let Some(other) = col_keys.get(e.table).and_then(|k| k.get(e.col))
                            else {
                                continue;
                            };
                            let s = if other.path == own.path {
                                2
                            } else if other.name() == own.name() {
                                1
                            } else {
                                0
                            };
                            if s > best_here {
                                best_here = s;
                                src = Some(e.table);
                            }
                        }
                    }
                    score += best_here;
                    if let Some(t) = src
                        && !sources.contains(&t)
                    {
                        sources.push(t);
                    }
                }
                match &mut best {
                    Some((bs, ks, _)) if score == *bs => ks.push(k),
                    Some((bs, _, _)) if score < *bs => {}
                    _ => best = Some((score, vec![k], sources)),
                }
            }
            if let Some((score, ks, sources)) = best
                && score > 0
                && let [only] = ks.as_slice()
            {
                let from: Vec<String> = sources
                    .iter()
                    .filter_map(|t| table_names.get(*t).cloned())
                    .collect();
                let reason = format!(
                    "本表的恒等式和上下级关系允许 {} 种放置，按{}中同名行、同名列的相同数值选定",
                    var.n_feasible(),
                    from.join("、")
                );
                self.fix(vi, *only, reason);
                any = true;
            }
        }
        any
    }
}

fn circled(i: usize) -> char {
    char::from_u32(0x2460 + i.min(19) as u32).unwrap_or('*')
}

fn identity_text(ids: &[Identity], name: impl Fn(usize) -> String) -> String {
    let parts: Vec<String> = ids
        .iter()
        .map(|id| {
            let ps: Vec<String> = id.parts.iter().map(|&p| name(p)).collect();
            format!("{} = {}", name(id.total), ps.join(" + "))
        })
        .collect();
    format!("按本行恒等式“{}”确定", parts.join("；"))
}

fn placement_of(var: &Var, alternatives: Vec<Vec<usize>>) -> (Placement, bool) {
    let side_reason: Option<&Arc<str>> = match &var.side {
        SideChoice::Given => None,
        SideChoice::Inferred(r) => Some(r),
        SideChoice::Ambiguous(r) => {
            return (
                Placement::Ambiguous {
                    reason: r.as_str().into(),
                    alternatives,
                },
                true,
            );
        }
    };
    // The side reason first, then the settled reason (shared when there is no side reason).
    let join = |b: &Arc<str>| -> Arc<str> {
        match side_reason {
            Some(a) => format!("{a}；{b}").into(),
            None => b.clone(),
        }
    };
    match &var.how {
        How::Direct => match side_reason {
            Some(r) => (Placement::Inferred { reason: r.clone() }, false),
            None => (Placement::Direct, false),
        },
        How::Identity(r) | How::Joint(r) | How::JointAfter(r) | How::Corroborated(r) => {
            (Placement::Inferred { reason: join(r) }, false)
        }
        How::Ambiguous(r) => {
            let reason = if r.is_empty() {
                format!(
                    "有 {} 种放置同样符合本表的恒等式和上下级关系",
                    var.n_feasible()
                )
            } else {
                r.clone()
            };
            let reason: Arc<str> = match side_reason {
                Some(a) => format!("{a}；{reason}").into(),
                None => reason.into(),
            };
            (
                Placement::Ambiguous {
                    reason,
                    alternatives,
                },
                true,
            )
        }
    }
}

/// `总计`, `合计` (not `本年收入合计`: those close one block of a table, not the whole).
pub(crate) fn is_grand_total(label: &str) -> bool {
    matches!(name_key(label).as_str(), "总计" | "合计")
}

/// Settled values of the document by row code and row name, for the rows some other table
/// still needs to place.
#[derive(Default)]
pub(crate) struct EvidenceIndex {
    by_code: DocMap<String, Vec<Evidence>>,
    by_name: DocMap<String, Vec<Evidence>>,
    want_codes: DocSet<String>,
    want_names: DocSet<String>,
    /// The last three ideographs of the wanted names ([`ideograph_tail`]), as bits: a row
    /// whose label ends in three ideographs not among them is not wanted by name.
    want_tails: [u128; 32],
}

impl EvidenceIndex {
    /// Whether some evidence comes from table `table` (its column keys are then compared).
    pub fn has_table(&self, table: usize) -> bool {
        self.by_code
            .values()
            .chain(self.by_name.values())
            .flatten()
            .any(|e| e.table == table)
    }

    /// Whether the name of a row labelled `label` may be wanted: always, unless the label ends
    /// in three ideographs (U+4000–U+9FFF, which the name keeps as its own last three chars)
    /// that no wanted name ends in ([`ideograph_tail`]).
    fn may_want_name(&self, label: &str) -> bool {
        ideograph_tail(label).is_none_or(|t| {
            self.want_tails
                .get(t / 128)
                .is_some_and(|word| word & (1 << (t % 128)) != 0)
        })
    }

    /// Notes the rows of `group` that still have several placements (`ords`: the ordinal of
    /// each row of `table`, see [`super::Draft::ords`]).
    pub fn want(&mut self, group: &Group, table: &Table, ords: &[Option<(u8, u32)>]) {
        for var in &group.vars {
            if var.n_feasible() <= 1 {
                continue;
            }
            let Some(row) = table.rows.get(var.row) else {
                continue;
            };
            if let Some(c) = row_code(row) {
                self.want_codes.insert(c.to_string());
            }
            let name = row_name(row, ords, var.row);
            if let Some(t) = ideograph_tail(&name)
                && let Some(word) = self.want_tails.get_mut(t / 128)
            {
                *word |= 1 << (t % 128);
            }
            self.want_names.insert(name.into_owned());
        }
    }
}

/// When `s` ends in three chars led by the bytes E4–E9 (U+4000–U+9FFF: CJK ideographs, which
/// a name key keeps as they are, see [`shenhe_model::is_name_key`]), 12 bits hashed from them.
/// A row's name then ends in the same three chars: the ordinal its name drops ends in a
/// separator outside that range, and the key drops only chars outside it.
fn ideograph_tail(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let lead = |back: usize| {
        b.len()
            .checked_sub(back)
            .and_then(|i| b.get(i))
            .is_some_and(|l| (0xE4..=0xE9).contains(l))
    };
    if !(lead(3) && lead(6) && lead(9)) {
        return None;
    }
    let tail: [u8; 8] = b.get(b.len() - 8..)?.try_into().ok()?;
    let h = u64::from_le_bytes(tail).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    Some((h >> 52) as usize)
}

/// Adds a row's evidence under `key`, allocating the key only the first time.
fn add_evidence(map: &mut DocMap<String, Vec<Evidence>>, key: &str, evs: &[Evidence]) {
    match map.get_mut(key) {
        Some(list) => list.extend_from_slice(evs),
        None => {
            // A row and column usually stand in a few tables: room for four values at once.
            let mut list = Vec::with_capacity(evs.len().max(4));
            list.extend_from_slice(evs);
            map.insert(key.to_string(), list);
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Evidence {
    table: usize,
    col: usize,
    value: Decimal,
}

/// A column's keys for matching across tables: its whole header path and its own name (the
/// key of the path's last part, which ends `path`).
#[derive(Clone, Debug)]
pub(crate) struct ColKey {
    path: String,
    /// Where the own name starts in `path`.
    name_at: usize,
}

impl ColKey {
    fn name(&self) -> &str {
        self.path.get(self.name_at..).unwrap_or("")
    }
}

/// The keys of every column of a table.
pub(crate) fn col_keys(table: &Table) -> Vec<ColKey> {
    table
        .columns
        .iter()
        .map(|c| {
            // Room for the parts as printed and their separators (keys are seldom longer).
            let room = c.path.iter().map(|p| p.len() + 1).sum();
            let mut path = String::with_capacity(room);
            let mut name_at = 0;
            for (i, p) in c.path.iter().enumerate() {
                if i > 0 {
                    path.push('/');
                }
                name_at = path.len();
                // A part already in key form is copied, not recomputed.
                path.push_str(&shenhe_model::key_cow(p));
            }
            ColKey { path, name_at }
        })
        .collect()
}

/// `a == b`, by [`shenhe_model::decimal_cmp`] (on the mantissas; `Decimal`'s comparison
/// rescales in general).
fn same_value(a: Decimal, b: Decimal) -> bool {
    shenhe_model::decimal_cmp(a, b).is_eq()
}

fn in_unit(d: Decimal, unit: Option<Unit>) -> Decimal {
    match unit {
        Some(u) => d.checked_mul(u.in_yuan()).unwrap_or(d),
        None => d,
    }
}

/// The classification code of a row (printed or from the catalogue).
fn row_code(row: &Row) -> Option<&str> {
    row.classification
        .as_ref()
        .map(|c| c.code.as_str())
        .or(row.code.as_deref())
}

/// The row's name as compared across tables ([`Row::name_key`]), borrowed when the label
/// needs no normalising (`ords[i]`: the ordinal of row `i`, read with its label).
fn row_name<'r>(row: &'r Row, ords: &[Option<(u8, u32)>], i: usize) -> std::borrow::Cow<'r, str> {
    // A label that is its own name key (no whitespace, quotation marks, `〔【〕】` or
    // full-width forms: what `name_key` changes; checked bytewise, ideographs skipped).
    let plain = shenhe_model::is_name_key(&row.label);
    if plain {
        let has_ordinal = match ords.get(i) {
            Some(ord) => ord.is_some(),
            None => super::rows::ordinal(&row.label).is_some(),
        };
        return std::borrow::Cow::Borrowed(super::rows::strip_known_ordinal(
            &row.label,
            has_ordinal,
        ));
    }
    // `Row::name_key` without allocating when the label without its ordinal (`（一）` is
    // what usually made it not plain) needs no normalising.
    shenhe_model::key_cow(shenhe_model::strip_ordinal(&row.label))
}

#[cfg(test)]
mod tests {
    use super::super::sumsolver::xorshift;
    use super::*;

    #[test]
    fn same_values() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        for (a, b) in [
            ("1.50", "1.5"),
            ("1.50", "1.51"),
            ("0", "-0"),
            ("0.00", "-0.00"),
            ("-2.5", "2.5"),
            ("100", "100.00"),
            ("7", "7"),
        ] {
            assert_eq!(same_value(d(a), d(b)), d(a) == d(b), "{a} {b}");
        }
        assert!(same_value(-Decimal::ZERO, Decimal::ZERO));
    }

    #[test]
    fn plain_labels_are_their_own_name_keys() {
        // `row_name` borrows a label that `is_name_key` accepts: exactly the labels without
        // whitespace, quotation marks, `〔【〕】` or full-width forms.
        let plain = |c: char| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '"' | '\''
                        | '“'
                        | '”'
                        | '‘'
                        | '’'
                        | '「'
                        | '」'
                        | '『'
                        | '』'
                        | '〔'
                        | '【'
                        | '〕'
                        | '】'
                )
                && !('\u{FF01}'..='\u{FF5E}').contains(&c)
        };
        for c in (0u32..0x1_0000).filter_map(char::from_u32) {
            let label = format!("支出{c}");
            assert_eq!(
                shenhe_model::is_name_key(&label),
                plain(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn combinations_in_order() {
        let c = combinations(4, 2, 100).unwrap();
        let all: Vec<Vec<u16>> = c.iter().map(<[u16]>::to_vec).collect();
        assert_eq!(
            all,
            vec![
                vec![0, 1],
                vec![0, 2],
                vec![0, 3],
                vec![1, 2],
                vec![1, 3],
                vec![2, 3]
            ]
        );
        assert_eq!(combinations(10, 4, 1000).unwrap().len(), 210);
        assert_eq!(
            combinations(3, 3, 10).unwrap().get(0),
            Some(&[0u16, 1, 2][..])
        );
        assert_eq!(combinations(3, 0, 10).unwrap().len(), 1);
        assert!(combinations(40, 20, 1000).is_none());
        // Every size against a plain enumeration (bit masks in increasing order of their
        // positions).
        for n in 0..7usize {
            for k in 0..=n + 1 {
                let mut want: Vec<Vec<u16>> = (0u32..1 << n)
                    .filter(|m| m.count_ones() as usize == k)
                    .map(|m| (0..n as u16).filter(|i| m & (1 << i) != 0).collect())
                    .collect();
                want.sort();
                let got: Vec<Vec<u16>> = combinations(n, k, 100)
                    .unwrap()
                    .iter()
                    .map(<[u16]>::to_vec)
                    .collect();
                assert_eq!(got, want, "{n} {k}");
            }
        }
        assert!(combinations(6, 3, 19).is_none());
        assert_eq!(combinations(6, 3, 20).unwrap().len(), 20);
    }

    /// The placements enumerated under a row's identities are exactly the combinations that
    /// keep every identity (exactly, else within the rounding tolerance), in the same order,
    /// on many small pseudo-random rows and identities.
    #[test]
    fn identity_placements_filter_the_combinations() {
        let mut next = xorshift(0x0dd_ba11_5eed_f00du64);
        for case in 0..3000 {
            let n = 2 + next(7) as usize;
            let k = 1 + next(n as u64 - 1) as usize;
            let mut ids = Vec::new();
            for _ in 0..1 + next(3) {
                let total = next(n as u64) as usize;
                let parts: Vec<usize> = (0..1 + next(4)).map(|_| next(n as u64) as usize).collect();
                ids.push(Identity { total, parts });
            }
            let vals: Vec<i128> = (0..k)
                .map(|_| match next(3) {
                    0 => 0,
                    1 => next(4) as i128,
                    _ => next(40) as i128 - 5,
                })
                .collect();
            let mut checks = IdentityChecks::new(&ids, n);
            // The combinations that hold at `tol`, checked identity by identity.
            let all = combinations(n, k, MAX_CANDIDATES).unwrap();
            let holding = |tol: i128| -> Vec<Vec<u16>> {
                all.iter()
                    .filter(|cand| {
                        ids.iter().all(|id| {
                            let at = |c: usize| {
                                cand.iter()
                                    .position(|p| usize::from(*p) == c)
                                    .map_or(0, |j| vals[j])
                            };
                            let parts: i128 = id.parts.iter().map(|&p| at(p)).sum();
                            (at(id.total) - parts).abs() <= tol
                        })
                    })
                    .map(<[u16]>::to_vec)
                    .collect()
            };
            let exact = holding(0);
            let want = if exact.is_empty() {
                holding(checks.tol)
            } else {
                exact
            };
            let got: Vec<Vec<u16>> = checks
                .placements(n, &vals)
                .map(|c| c.iter().map(<[u16]>::to_vec).collect())
                .unwrap_or_default();
            assert_eq!(got, want, "case {case}: n {n}, ids {ids:?}, vals {vals:?}");
        }
        assert!(combinations_within(10, 4, 210));
        assert!(!combinations_within(10, 4, 209));
        assert!(combinations_within(100, 99, 2000));
        assert!(!combinations_within(40, 20, 2000));
        assert!(combinations_within(3, 5, 0));
    }

    /// A row's name ends in the ideographs its label ends in (what `may_want_name` relies on).
    #[test]
    fn names_keep_the_last_ideograph_of_their_labels() {
        for label in [
            "一、一般公共服务支出",
            "（一）“三公”经费",
            "1.办公费",
            "12． 会 议 费",
            "收 入 总 计",
            "其他收入（备注）",
            "ＡＢ支出",
            "【30201】办公费",
            "一、",
            "（十）",
            "总计",
            "行政运行 ",
            "合计2",
            "一、支出",
            "十 二三",
            "二十一",
            "（三）其他 商品和服务支出",
        ] {
            let row = Row {
                label: label.to_string(),
                ..Row::default()
            };
            let ords = [super::super::rows::ordinal(label)];
            let name = row_name(&row, &ords, 0);
            if let Some(t) = ideograph_tail(label) {
                assert_eq!(ideograph_tail(&name), Some(t), "{label} -> {name}");
            }
            // With the name wanted, the row is looked at.
            let mut index = EvidenceIndex::default();
            if let Some(t) = ideograph_tail(&name)
                && let Some(word) = index.want_tails.get_mut(t / 128)
            {
                *word |= 1 << (t % 128);
            }
            assert!(index.may_want_name(label), "{label}");
        }
        assert_eq!(ideograph_tail("支出1"), None);
        assert_eq!(ideograph_tail("支出"), None);
        assert_eq!(ideograph_tail(""), None);
        assert!(!EvidenceIndex::default().may_want_name("行政运行"));
        assert!(EvidenceIndex::default().may_want_name("合计2"));
        assert!(EvidenceIndex::default().may_want_name("、支出"));
    }

    #[test]
    fn ints_share_a_scale() {
        use std::str::FromStr;
        let d = |s: &str| Num::Number(Decimal::from_str(s).unwrap());
        assert_eq!(to_int(&d("30"), 2), 3000);
        assert_eq!(to_int(&d("30.5"), 2), 3050);
        assert_eq!(to_int(&Num::Dash, 2), 0);
    }
}
