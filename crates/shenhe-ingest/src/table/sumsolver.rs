//! The column-sum solver of [`super::place`]: which placement options of a parent row and of
//! its children can make `parent = Σ children` hold in every column, within the rounding
//! tolerance. Values are exact integers (scaled to a common number of decimals); the options of
//! each row are rows of a [`Flat`] matrix.

/// The integers the solver computes in: `i64` when every number of a constraint is small
/// enough that no sum, difference or bound it forms can leave 62 bits (see
/// [`fits_narrow`]), `i128` otherwise. On such numbers the two compute the same values, and
/// no saturating operation of the wide path saturates, so both give the same verdict.
pub(super) trait Int:
    Copy + Ord + Default + std::fmt::Debug + std::ops::Sub<Output = Self> + 'static
{
    const MAX: Self;
    const MIN: Self;
    fn sat_add(self, other: Self) -> Self;
    fn sat_sub(self, other: Self) -> Self;
    fn abs(self) -> Self;
    /// Whether the number is small enough (below 2^100 in size) for the depth-first walk of
    /// [`Work::solve`], whose sums then never saturate.
    fn small(self) -> bool;
    /// The number from the wide representation, `None` when it does not fit.
    fn from_wide(v: i128) -> Option<Self>;
}

impl Int for i128 {
    const MAX: i128 = i128::MAX;
    const MIN: i128 = i128::MIN;
    fn sat_add(self, other: i128) -> i128 {
        self.saturating_add(other)
    }
    fn sat_sub(self, other: i128) -> i128 {
        self.saturating_sub(other)
    }
    fn abs(self) -> i128 {
        i128::abs(self)
    }
    fn small(self) -> bool {
        const BOUND: i128 = 1 << 100;
        (-BOUND..=BOUND).contains(&self)
    }
    fn from_wide(v: i128) -> Option<i128> {
        Some(v)
    }
}

impl Int for i64 {
    const MAX: i64 = i64::MAX;
    const MIN: i64 = i64::MIN;
    fn sat_add(self, other: i64) -> i64 {
        self.saturating_add(other)
    }
    fn sat_sub(self, other: i64) -> i64 {
        self.saturating_sub(other)
    }
    fn abs(self) -> i64 {
        i64::abs(self)
    }
    /// Every `i64` is below the wide path's bound of 2^100.
    fn small(self) -> bool {
        true
    }
    fn from_wide(v: i128) -> Option<i64> {
        i64::try_from(v).ok()
    }
}

/// Whether a constraint with `children` child rows over numbers of at most `max_abs` in size
/// can be solved in `i64` with the same results as in `i128`: every value the solver forms
/// (targets less constants, partial sums, their bounds plus the tolerance, differences of
/// sums and targets) stays below `(2k + 4)·max_abs + k + 2 < 2^62` for `k` children (the
/// tolerance is at most `k + 1`), so nothing overflows or saturates in either width.
pub(super) fn fits_narrow(max_abs: u128, children: usize) -> bool {
    let Ok(k) = u128::try_from(children) else {
        return false;
    };
    let k = k.saturating_add(2);
    max_abs
        .checked_mul(k.saturating_mul(2))
        .and_then(|x| x.checked_add(k))
        .is_some_and(|x| x < 1u128 << 62)
}

/// Most distinct partial sums kept while checking column sums.
pub(super) const MAX_SUMS: usize = 20_000;
/// Largest set deduplicated by pairwise comparison rather than by sorting.
pub(super) const SMALL_SET: usize = 32;

/// For each target (parent option), whether the free children reach it; for each free child,
/// which of its options take part in reaching a target.
pub(super) type Verdict = (Vec<bool>, Vec<(usize, Vec<bool>)>);

/// Solves one `parent = Σ children` constraint at tolerance `tol`: `None` when the sets of
/// partial sums grow too large to tell, `Some(None)` when no target is reached.
pub(super) fn reach<T: Int>(
    free: &[FreeChild<T>],
    targets: &Flat<T>,
    n: usize,
    tol: T,
) -> Option<Option<Verdict>> {
    reach_with(free, targets, n, tol, true)
}

/// [`reach`], optionally without its shortcut for at most one free child (to compare it with
/// the general solver). [`Work::solve`] calls it only for constraints with many combinations
/// or very large numbers; it walks the others itself.
pub(super) fn reach_with<T: Int>(
    free: &[FreeChild<T>],
    targets: &Flat<T>,
    n: usize,
    tol: T,
    shortcuts: bool,
) -> Option<Option<Verdict>> {
    if shortcuts && free.len() <= 1 {
        return Some(reach_one(free.first(), targets, n, tol));
    }
    let solver = SumSolver::new(free, targets, n, tol)?;
    let prefix = solver.prefixes()?;
    let suffix = solver.suffixes()?;
    let totals = prefix.last()?;
    let parent_ok: Vec<bool> = targets
        .iter()
        .map(|t| totals.iter().any(|s| close(s, t, tol)))
        .collect();
    if !parent_ok.iter().any(|x| *x) {
        return Some(None);
    }
    let live_targets: Vec<&[T]> = targets
        .iter()
        .zip(&parent_ok)
        .filter(|(_, ok)| **ok)
        .map(|(t, _)| t)
        .collect();
    let mut want = vec![T::default(); n];
    // Children: an option survives if some live target minus it is a sum of the others. A
    // child whose others' sums are too many to combine keeps every option (nothing is known
    // against any): each child gets a verdict, so verdicts pair with `free` by position.
    let mut child_keep: Vec<(usize, Vec<bool>)> = Vec::with_capacity(free.len());
    for (i, (cv, opts, _)) in free.iter().enumerate() {
        let others = match (prefix.get(i), suffix.get(i + 1)) {
            (Some(p), Some(s)) => solver.combine(p, s),
            _ => None,
        };
        let Some(others) = others else {
            child_keep.push((*cv, vec![true; opts.len()]));
            continue;
        };
        let ok: Vec<bool> = opts
            .iter()
            .map(|o| {
                live_targets.iter().any(|t| {
                    for ((slot, a), b) in want.iter_mut().zip(t.iter()).zip(o) {
                        *slot = *a - *b;
                    }
                    others.iter().any(|x| close(x, &want, tol))
                })
            })
            .collect();
        child_keep.push((*cv, ok));
    }
    Some(Some((parent_ok, child_keep)))
}

/// [`reach`] with at most one free child, without partial-sum sets: the sum of the others
/// is zero, so a target is reached by an option close to it (the general solver's pruning
/// only drops options close to no target, and combining the empty prefix and suffix gives
/// the zero vector).
fn reach_one<T: Int>(
    free: Option<&FreeChild<T>>,
    targets: &Flat<T>,
    n: usize,
    tol: T,
) -> Option<Verdict> {
    let parent_ok: Vec<bool> = targets
        .iter()
        .map(|t| match free {
            Some((_, opts, _)) => opts.iter().any(|o| close(o, t, tol)),
            None => near_zero(t, n, tol),
        })
        .collect();
    if !parent_ok.iter().any(|x| *x) {
        return None;
    }
    let mut child_keep: Vec<(usize, Vec<bool>)> = Vec::new();
    if let Some((cv, opts, _)) = free {
        let ok: Vec<bool> = opts
            .iter()
            .map(|o| {
                targets.iter().zip(&parent_ok).any(|(t, live)| {
                    // Whether `t - o` is close to the zero vector.
                    *live
                        && t.len() == n
                        && o.len() == n
                        && t.iter()
                            .zip(o)
                            .all(|(a, b)| (T::default() - (*a - *b)).abs() <= tol)
                })
            })
            .collect();
        child_keep.push((*cv, ok));
    }
    Some((parent_ok, child_keep))
}

/// Whether `v` is `n` long and close to the zero vector (as [`close`] to `n` zeros).
fn near_zero<T: Int>(v: &[T], n: usize, tol: T) -> bool {
    v.len() == n && v.iter().all(|x| (T::default() - *x).abs() <= tol)
}

/// Whether two vectors are equal, element by element (inline: slice equality calls
/// `memcmp`, costly for the few numbers of a row).
pub(super) fn same<T: Int>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

fn close<T: Int>(a: &[T], b: &[T], tol: T) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (*x - *y).abs() <= tol)
}

/// `out = a - b`, element by element.
fn sub_into<T: Int>(out: &mut [T], a: &[T], b: &[T]) {
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        *o = *x - *y;
    }
}

/// `acc += v` (saturating) for a vector given sparse, as `(position, number)` pairs in the
/// wide representation (zeros elsewhere); false (with `acc` partly added) when a number does
/// not fit in `T`. Positions beyond `acc` are ignored.
pub(super) fn add_placed_into<T: Int>(
    acc: &mut [T],
    placed: impl Iterator<Item = (usize, i128)>,
) -> bool {
    for (pos, x) in placed {
        let Some(x) = T::from_wide(x) else {
            return false;
        };
        if let Some(a) = acc.get_mut(pos) {
            *a = a.sat_add(x);
        }
    }
    true
}

pub(super) fn add_into<T: Int>(acc: &mut [T], v: &[T]) {
    for (a, b) in acc.iter_mut().zip(v) {
        *a = a.sat_add(*b);
    }
}

/// A child row of a constraint with several options: its index, its distinct vectors, and for
/// each candidate the index of its vector.
pub(super) type FreeChild<T> = (usize, Flat<T>, Vec<Option<usize>>);

/// Sets of partial sums of the free children of one constraint, pruned by what the targets
/// allow when every number involved is non-negative.
struct SumSolver<'a, T: Int> {
    free: &'a [FreeChild<T>],
    n: usize,
    tol: T,
    /// Per column: smallest and largest target.
    lo: Vec<T>,
    hi: Vec<T>,
    /// Per child index i (row i of `free.len() + 1`): the least and most the children from i
    /// on can still add.
    rest_min: Flat<T>,
    rest_max: Flat<T>,
    prune: bool,
}

impl<'a, T: Int> SumSolver<'a, T> {
    pub(super) fn new(
        free: &'a [FreeChild<T>],
        targets: &Flat<T>,
        n: usize,
        tol: T,
    ) -> Option<SumSolver<'a, T>> {
        let mut lo = vec![T::MAX; n];
        let mut hi = vec![T::MIN; n];
        for t in targets.iter() {
            for (c, v) in t.iter().enumerate() {
                if let (Some(l), Some(h)) = (lo.get_mut(c), hi.get_mut(c)) {
                    *l = (*l).min(*v);
                    *h = (*h).max(*v);
                }
            }
        }
        let prune = free
            .iter()
            .all(|(_, opts, _)| opts.iter().all(|o| o.iter().all(|x| *x >= T::default())));
        let mut rest_min: Flat<T> = Flat::zeros(n, free.len() + 1);
        let mut rest_max: Flat<T> = Flat::zeros(n, free.len() + 1);
        // Row i is row i + 1 plus child i's least and most (row `free.len()` is zero).
        for i in (0..free.len()).rev() {
            let (_, opts, _) = free.get(i)?;
            for c in 0..n {
                let (omin, omax) = opts
                    .iter()
                    .filter_map(|o| o.get(c).copied())
                    .fold(None, |acc: Option<(T, T)>, v| {
                        Some(acc.map_or((v, v), |(a, b)| (a.min(v), b.max(v))))
                    })
                    .unwrap_or_default();
                let below_min = *rest_min.get(i + 1)?.get(c)?;
                let below_max = *rest_max.get(i + 1)?.get(c)?;
                *rest_min.get_mut(i)?.get_mut(c)? = below_min.sat_add(omin);
                *rest_max.get_mut(i)?.get_mut(c)? = below_max.sat_add(omax);
            }
        }
        Some(SumSolver {
            free,
            n,
            tol,
            lo,
            hi,
            rest_min,
            rest_max,
            prune,
        })
    }

    /// Whether a partial sum of children `[0, i)` (or `[i, end)` when `from_end`) can still
    /// reach some target.
    pub(super) fn viable(&self, s: &[T], rest_min: &[T], rest_max: &[T]) -> bool {
        if !self.prune {
            return true;
        }
        s.iter()
            .zip(&self.lo)
            .zip(&self.hi)
            .zip(rest_min.iter().zip(rest_max))
            .all(|(((v, lo), hi), (rmin, rmax))| {
                v.sat_add(*rmin) <= hi.sat_add(self.tol) && v.sat_add(*rmax) >= lo.sat_sub(self.tol)
            })
    }

    /// Partial sums of children `[0, i)` for every i.
    pub(super) fn prefixes(&self) -> Option<Vec<Flat<T>>> {
        let mut out: Vec<Flat<T>> = vec![Flat::zero(self.n)];
        for (i, (_, opts, _)) in self.free.iter().enumerate() {
            let rmin = self.rest_min.get(i + 1)?;
            let rmax = self.rest_max.get(i + 1)?;
            let next = self.step(out.last()?, opts, rmin, rmax)?;
            out.push(next);
        }
        Some(out)
    }

    /// Partial sums of children `[i, end)` for every i (index `end` is the empty sum).
    pub(super) fn suffixes(&self) -> Option<Vec<Flat<T>>> {
        let k = self.free.len();
        let mut out: Vec<Flat<T>> = vec![Flat::empty(self.n); k + 1];
        if let Some(last) = out.get_mut(k) {
            *last = Flat::zero(self.n);
        }
        let mut before_min = vec![T::default(); self.n];
        let mut before_max = vec![T::default(); self.n];
        for i in (0..k).rev() {
            let (_, opts, _) = self.free.get(i)?;
            // What children before i can add bounds what this suffix may be.
            sub_into(
                &mut before_min,
                self.rest_min.get(0)?,
                self.rest_min.get(i)?,
            );
            sub_into(
                &mut before_max,
                self.rest_max.get(0)?,
                self.rest_max.get(i)?,
            );
            let next = self.step(out.get(i + 1)?, opts, &before_min, &before_max)?;
            if let Some(slot) = out.get_mut(i) {
                *slot = next;
            }
        }
        Some(out)
    }

    /// The sums of every vector of `from` and every option, those that can still reach a
    /// target kept, without repeats; `None` when there are too many.
    pub(super) fn step(
        &self,
        from: &Flat<T>,
        opts: &Flat<T>,
        rest_min: &[T],
        rest_max: &[T],
    ) -> Option<Flat<T>> {
        let mut out = Flat::with_capacity(self.n, from.len().saturating_mul(opts.len()));
        for s in from.iter() {
            for o in opts.iter() {
                if !out.push_sum(s, o) {
                    continue;
                }
                if !out
                    .last()
                    .is_some_and(|v| self.viable(v, rest_min, rest_max))
                {
                    out.pop();
                }
            }
            if out.len() > MAX_SUMS * 4 {
                return None;
            }
        }
        out.dedup();
        (out.len() <= MAX_SUMS).then_some(out)
    }

    /// All sums of one prefix set and one suffix set (the children other than one).
    pub(super) fn combine(&self, a: &Flat<T>, b: &Flat<T>) -> Option<Flat<T>> {
        let total = a.len().saturating_mul(b.len());
        if total > MAX_SUMS * 4 {
            return None;
        }
        let mut out = Flat::with_capacity(self.n, total);
        for x in a.iter() {
            for y in b.iter() {
                out.push_sum(x, y);
            }
        }
        out.dedup();
        Some(out)
    }
}

/// One free child of a [`Work`]: its row (an index into the group's rows), where its distinct
/// vectors start in [`Work::opts`] (counted in vectors) and how many there are, and where its
/// candidates' option indices start in [`Work::of`].
#[derive(Clone, Copy, Debug)]
pub(super) struct FreeAt {
    pub row: usize,
    pub first: usize,
    pub count: usize,
    pub of_at: usize,
    /// How many candidates the row has (entries in [`Work::of`]).
    pub of_len: usize,
}

/// One `parent = Σ children` constraint laid out for solving, in buffers reused from
/// constraint to constraint (filled by the caller, then [`Work::solve`]).
#[derive(Debug, Default)]
pub(super) struct Work<T> {
    pub n: usize,
    /// The distinct vectors of the parent's feasible candidates; after
    /// [`Work::subtract_constant`], what the free children must add up to.
    pub targets: Vec<T>,
    /// Per parent candidate: the index of its vector in `targets` (`None`: not feasible).
    pub parent_of: Vec<Option<usize>>,
    /// The sum of the children with a single option.
    pub constant: Vec<T>,
    /// The distinct vectors of the free children, one child after the other.
    pub opts: Vec<T>,
    pub free: Vec<FreeAt>,
    /// Per candidate of each free child: the index of its vector within the child's.
    pub of: Vec<Option<usize>>,
    /// The verdict of [`Work::solve`]: per target, whether it is reached; per free child (in
    /// the order of `free`), its row and the range of `keep` saying which of its vectors take
    /// part in reaching one.
    pub parent_ok: Vec<bool>,
    pub keep: Vec<bool>,
    pub kept: Vec<(usize, std::ops::Range<usize>)>,
    /// Depth-first walk: the partial sums, the range each must lie in (and what it is worked
    /// out from: the least and most the children after it can add, one child's least and
    /// most, the smallest and largest target), the options picked.
    sums: Vec<T>,
    lower: Vec<T>,
    upper: Vec<T>,
    rest_min: Vec<T>,
    rest_max: Vec<T>,
    child_min: Vec<T>,
    child_max: Vec<T>,
    lo: Vec<T>,
    hi: Vec<T>,
    pick: Vec<usize>,
}

impl<T: Int> Work<T> {
    /// Empties the buffers for a constraint over `n` columns.
    pub(super) fn reset(&mut self, n: usize) {
        self.n = n;
        self.targets.clear();
        self.parent_of.clear();
        self.constant.clear();
        self.constant.resize(n, T::default());
        self.opts.clear();
        self.free.clear();
        self.of.clear();
    }

    /// Appends the vectors of a row's candidates to `data` (from `first`, in vectors) without
    /// repeats, noting in `of` the index (from `first`) of each candidate's vector: `None` for
    /// a candidate that is not feasible or not representable in `T`. Returns how many distinct
    /// vectors the row has.
    pub(super) fn push_options<'p, I>(
        n: usize,
        data: &mut Vec<T>,
        first: usize,
        of: &mut Vec<Option<usize>>,
        cands: impl Iterator<Item = Option<I>>,
    ) -> usize
    where
        I: Iterator<Item = (usize, i128)> + 'p,
    {
        let mut count = 0usize;
        for placed in cands {
            let Some(placed) = placed else {
                of.push(None);
                continue;
            };
            let start = data.len();
            if !push_placed_into(data, n, placed) {
                of.push(None);
                continue;
            }
            let (before, new) = data.split_at(start);
            let known = if n == 0 {
                // Every vector of no numbers is the same one.
                (count > 0).then_some(0)
            } else {
                before
                    .get(first.saturating_mul(n)..)
                    .unwrap_or_default()
                    .chunks_exact(n)
                    .position(|o| same(o, new))
            };
            match known {
                Some(i) => {
                    data.truncate(start);
                    of.push(Some(i));
                }
                None => {
                    of.push(Some(count));
                    count += 1;
                }
            }
        }
        count
    }

    /// `targets -= constant`, vector by vector.
    pub(super) fn subtract_constant(&mut self) {
        let n = self.n;
        if n == 0 {
            return;
        }
        for row in self.targets.chunks_exact_mut(n) {
            for (a, b) in row.iter_mut().zip(&self.constant) {
                *a = *a - *b;
            }
        }
    }

    /// Solves the constraint at tolerance `tol`: `None` when the sets of partial sums grow too
    /// large to tell (see [`reach`]), else whether some target is reached (the verdict in
    /// `parent_ok` and `keep`). With at most [`MAX_SUMS`] combinations of numbers below 2^100
    /// ([`Int::small`]: no sum then saturates, and no set of partial sums could outgrow its
    /// cap) every combination is walked depth-first, which answers exactly what [`reach`]
    /// does; otherwise [`reach`] answers.
    pub(super) fn solve(&mut self, tol: T) -> Option<bool> {
        let n = self.n;
        let n_targets = self.targets.len().checked_div(n).unwrap_or(0);
        let n_opts = self.opts.len().checked_div(n).unwrap_or(0);
        let few = self
            .free
            .iter()
            .try_fold(1usize, |acc, f| {
                acc.checked_mul(f.count).filter(|p| *p <= MAX_SUMS)
            })
            .is_some();
        let small = few
            && n > 0
            && self.targets.iter().all(|v| v.small())
            && self.opts.iter().all(|v| v.small());
        if small {
            return Some(self.walk(tol, n_targets, n_opts));
        }
        // The general solver, on sets of its own.
        let free: Vec<FreeChild<T>> = self
            .free
            .iter()
            .map(|f| {
                let data = self
                    .opts
                    .get(f.first * n..(f.first + f.count) * n)
                    .unwrap_or_default()
                    .to_vec();
                (
                    f.row,
                    Flat {
                        n,
                        data,
                        count: f.count,
                    },
                    Vec::new(),
                )
            })
            .collect();
        let targets = Flat {
            n,
            data: self.targets.clone(),
            count: n_targets,
        };
        let verdict = reach(&free, &targets, n, tol)?;
        let Some((parent_ok, child_keep)) = verdict else {
            return Some(false);
        };
        self.parent_ok = parent_ok;
        // One verdict per child of `free`, in its order (a child the general solver could not
        // tell about keeps every option).
        self.keep.clear();
        self.kept.clear();
        for (row, ok) in child_keep {
            let start = self.keep.len();
            self.keep.extend_from_slice(&ok);
            self.kept.push((row, start..self.keep.len()));
        }
        Some(true)
    }

    /// Walks every combination of the free children's vectors, skipping a partial sum that
    /// cannot come within `tol` of any target in some column (whatever the rest adds), and
    /// notes the targets reached and the vectors on the way to them. Exact when no sum
    /// saturates (see [`Work::solve`]): a combination reaching a target is never skipped.
    fn walk(&mut self, tol: T, n_targets: usize, n_opts: usize) -> bool {
        let n = self.n;
        let k = self.free.len();
        self.parent_ok.clear();
        self.parent_ok.resize(n_targets, false);
        self.keep.clear();
        self.keep.resize(n_opts, false);
        self.kept.clear();
        self.kept.extend(
            self.free
                .iter()
                .map(|f| (f.row, f.first..f.first + f.count)),
        );
        if k <= 1 {
            // The sum of the others is zero: a target is reached by an option close to it
            // (by the zero vector when there is no free child).
            let opts = self.opts.get(..n_opts * n).unwrap_or_default();
            let mut any = false;
            for (ok, t) in self.parent_ok.iter_mut().zip(self.targets.chunks_exact(n)) {
                if k == 0 {
                    *ok = t.iter().all(|x| (T::default() - *x).abs() <= tol);
                } else {
                    for (keep, o) in self.keep.iter_mut().zip(opts.chunks_exact(n)) {
                        if close(o, t, tol) {
                            *ok = true;
                            *keep = true;
                        }
                    }
                }
                any |= *ok;
            }
            return any;
        }
        // Per column: the smallest and largest target.
        self.lo.clear();
        self.lo.resize(n, T::MAX);
        self.hi.clear();
        self.hi.resize(n, T::MIN);
        for t in self.targets.chunks_exact(n) {
            for ((l, h), v) in self.lo.iter_mut().zip(self.hi.iter_mut()).zip(t) {
                *l = (*l).min(*v);
                *h = (*h).max(*v);
            }
        }
        // Row i: the range a partial sum of children 0..=i must lie in, per column, for the
        // children after i to still bring it within `tol` of some target: from the smallest
        // target less the most they can add to the largest less the least. Filled from the
        // last child back, with the least and most of the children after i in `rest_min` and
        // `rest_max`.
        self.lower.clear();
        self.lower.resize(k * n, T::default());
        self.upper.clear();
        self.upper.resize(k * n, T::default());
        self.rest_min.clear();
        self.rest_min.resize(n, T::default());
        self.rest_max.clear();
        self.rest_max.resize(n, T::default());
        for (i, f) in self.free.iter().enumerate().rev() {
            let rows = self
                .lower
                .get_mut(i * n..(i + 1) * n)
                .unwrap_or_default()
                .iter_mut()
                .zip(self.upper.get_mut(i * n..(i + 1) * n).unwrap_or_default());
            for ((((l, u), lo), hi), (rmin, rmax)) in rows
                .zip(&self.lo)
                .zip(&self.hi)
                .zip(self.rest_min.iter().zip(&self.rest_max))
            {
                *l = lo.sat_sub(tol).sat_sub(*rmax);
                *u = hi.sat_add(tol).sat_sub(*rmin);
            }
            // Child i's least and most per column, added to the rest.
            let mut opts = self
                .opts
                .get(f.first * n..(f.first + f.count) * n)
                .unwrap_or_default()
                .chunks_exact(n);
            let Some(first) = opts.next() else { continue };
            self.child_min.clear();
            self.child_min.extend_from_slice(first);
            self.child_max.clear();
            self.child_max.extend_from_slice(first);
            for o in opts {
                for ((m, x), v) in self
                    .child_min
                    .iter_mut()
                    .zip(self.child_max.iter_mut())
                    .zip(o)
                {
                    *m = (*m).min(*v);
                    *x = (*x).max(*v);
                }
            }
            for ((rmin, rmax), (m, x)) in self
                .rest_min
                .iter_mut()
                .zip(self.rest_max.iter_mut())
                .zip(self.child_min.iter().zip(&self.child_max))
            {
                *rmin = rmin.sat_add(*m);
                *rmax = rmax.sat_add(*x);
            }
        }
        self.sums.clear();
        self.sums.resize((k + 1) * n, T::default());
        self.pick.clear();
        self.pick.resize(k + 1, 0);
        let mut any = false;
        let mut level = 0usize;
        loop {
            if level == k {
                // A whole combination: which targets it reaches.
                let total = self.sums.get(k * n..).unwrap_or_default();
                let mut hit = false;
                for (ok, t) in self.parent_ok.iter_mut().zip(self.targets.chunks_exact(n)) {
                    if close(total, t, tol) {
                        *ok = true;
                        hit = true;
                    }
                }
                if hit {
                    any = true;
                    for (f, &p) in self.free.iter().zip(&self.pick) {
                        if let Some(slot) = self.keep.get_mut(f.first + p) {
                            *slot = true;
                        }
                    }
                }
                let Some(up) = level.checked_sub(1) else {
                    break;
                };
                level = up;
                if let Some(p) = self.pick.get_mut(level) {
                    *p += 1;
                }
                continue;
            }
            let (Some(f), Some(&p)) = (self.free.get(level), self.pick.get(level)) else {
                break;
            };
            if p >= f.count {
                // Every option of this child tried: back to the one before.
                if let Some(slot) = self.pick.get_mut(level) {
                    *slot = 0;
                }
                let Some(up) = level.checked_sub(1) else {
                    break;
                };
                level = up;
                if let Some(p) = self.pick.get_mut(level) {
                    *p += 1;
                }
                continue;
            }
            let opt = self
                .opts
                .get((f.first + p) * n..(f.first + p + 1) * n)
                .unwrap_or_default();
            let (done, next) = self.sums.split_at_mut((level + 1) * n);
            let from = done.get(level * n..).unwrap_or_default();
            let to = next.get_mut(..n).unwrap_or_default();
            let lower = self
                .lower
                .get(level * n..(level + 1) * n)
                .unwrap_or_default();
            let upper = self
                .upper
                .get(level * n..(level + 1) * n)
                .unwrap_or_default();
            let mut viable = true;
            for (((s, a), o), (l, u)) in to
                .iter_mut()
                .zip(from)
                .zip(opt)
                .zip(lower.iter().zip(upper))
            {
                *s = a.sat_add(*o);
                viable &= *l <= *s && *s <= *u;
            }
            if viable {
                level += 1;
            } else if let Some(slot) = self.pick.get_mut(level) {
                *slot += 1;
            }
        }
        any
    }
}

/// Appends a vector given sparse, as `(position, number)` pairs in the wide representation, to
/// `data` as `n` numbers (zeros elsewhere; positions beyond `n` are ignored); false (and
/// nothing appended) when a number does not fit in `T`.
pub(super) fn push_placed_into<T: Int>(
    data: &mut Vec<T>,
    n: usize,
    placed: impl Iterator<Item = (usize, i128)>,
) -> bool {
    let start = data.len();
    data.resize(start + n, T::default());
    for (pos, x) in placed {
        let Some(x) = T::from_wide(x) else {
            data.truncate(start);
            return false;
        };
        if let Some(slot) = pos
            .checked_add(start)
            .filter(|_| pos < n)
            .and_then(|i| data.get_mut(i))
        {
            *slot = x;
        }
    }
    true
}

/// A set of vectors of `n` numbers stored in one buffer.
#[derive(Clone, Debug)]
pub(super) struct Flat<T> {
    n: usize,
    data: Vec<T>,
    count: usize,
}

impl<T: Int> Flat<T> {
    pub(super) fn empty(n: usize) -> Flat<T> {
        Flat {
            n,
            data: Vec::new(),
            count: 0,
        }
    }

    /// `count` zero vectors.
    pub(super) fn zeros(n: usize, count: usize) -> Flat<T> {
        Flat {
            n,
            data: vec![T::default(); n * count],
            count,
        }
    }

    pub(super) fn get_mut(&mut self, i: usize) -> Option<&mut [T]> {
        if i >= self.count {
            return None;
        }
        self.data.get_mut(i * self.n..(i + 1) * self.n)
    }

    /// The set holding only the zero vector.
    pub(super) fn zero(n: usize) -> Flat<T> {
        Flat {
            n,
            data: vec![T::default(); n],
            count: 1,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.count
    }

    pub(super) fn get(&self, i: usize) -> Option<&[T]> {
        if i >= self.count {
            return None;
        }
        self.data.get(i * self.n..(i + 1) * self.n)
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &[T]> + '_ {
        (0..self.count).filter_map(move |i| self.get(i))
    }

    #[cfg(test)]
    pub(super) fn push(&mut self, v: &[T]) {
        self.data.extend_from_slice(v);
        self.count += 1;
    }

    /// A set with room for `count` vectors of `n` numbers.
    pub(super) fn with_capacity(n: usize, count: usize) -> Flat<T> {
        Flat {
            n,
            data: Vec::with_capacity(n.saturating_mul(count)),
            count: 0,
        }
    }

    /// Appends `a + b` (saturating, element by element); false when either is not `n` long.
    pub(super) fn push_sum(&mut self, a: &[T], b: &[T]) -> bool {
        if a.len() != self.n || b.len() != self.n {
            return false;
        }
        self.data
            .extend(a.iter().zip(b).map(|(x, y)| x.sat_add(*y)));
        self.count += 1;
        true
    }

    pub(super) fn last(&self) -> Option<&[T]> {
        self.count.checked_sub(1).and_then(|i| self.get(i))
    }

    /// Drops the last vector.
    pub(super) fn pop(&mut self) {
        if let Some(i) = self.count.checked_sub(1) {
            self.data.truncate(i * self.n);
            self.count = i;
        }
    }

    /// Removes repeated vectors (order not kept: callers only ask whether some vector is
    /// close to another and how many there are).
    pub(super) fn dedup(&mut self) {
        if self.count < 2 {
            return;
        }
        if self.count <= SMALL_SET {
            self.dedup_small();
            return;
        }
        let mut idx: Vec<usize> = (0..self.count).collect();
        idx.sort_unstable_by(|&a, &b| self.get(a).cmp(&self.get(b)));
        // The first index of each run of equal vectors, in sorted order.
        let mut firsts: Vec<usize> = Vec::with_capacity(idx.len());
        for &i in &idx {
            let repeated = firsts.last().is_some_and(|&f| self.get(f) == self.get(i));
            if !repeated {
                firsts.push(i);
            }
        }
        if firsts.len() == self.count {
            // Nothing repeated: the order is kept.
            return;
        }
        let mut data = Vec::with_capacity(firsts.len() * self.n);
        for i in &firsts {
            if let Some(v) = self.get(*i) {
                data.extend_from_slice(v);
            }
        }
        self.data = data;
        self.count = firsts.len();
    }

    /// Quadratic in-place dedup for small sets: keeps first occurrences, no allocation.
    pub(super) fn dedup_small(&mut self) {
        let n = self.n;
        if n == 0 {
            self.count = self.count.min(1);
            return;
        }
        let mut kept = 0usize;
        for i in 0..self.count {
            let Some(v) = self.get(i) else { continue };
            let seen = self
                .data
                .chunks_exact(n)
                .take(kept)
                .position(|w| same(w, v));
            if seen.is_none() {
                if kept != i {
                    self.data.copy_within(i * n..(i + 1) * n, kept * n);
                }
                kept += 1;
            }
        }
        self.data.truncate(kept * n);
        self.count = kept;
    }
}

/// A small deterministic pseudo-random source for the tests' random cases: `next(m)` is in
/// `0..m` (xorshift64).
#[cfg(test)]
pub(super) fn xorshift(mut seed: u64) -> impl FnMut(u64) -> u64 {
    move |m| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `k` free children of `n` columns with 2 to 4 distinct random options each (small
    /// numbers, some negative when `signed`), each candidate naming its own option.
    fn random_free(
        next: &mut impl FnMut(u64) -> u64,
        n: usize,
        k: usize,
        signed: bool,
    ) -> Vec<FreeChild<i128>> {
        let mut free = Vec::new();
        for c in 0..k {
            let mut opts = Flat::empty(n);
            for _ in 0..2 + next(3) {
                let v: Vec<i128> = (0..n)
                    .map(|_| {
                        let v = next(12) as i128;
                        if signed { v - 4 } else { v }
                    })
                    .collect();
                opts.push(&v);
            }
            opts.dedup();
            let of = (0..opts.len()).map(Some).collect();
            free.push((c, opts, of));
        }
        free
    }

    /// The shortcut (at most one free child) answers exactly as the
    /// general solver does, on many small pseudo-random constraints.
    #[test]
    fn shortcuts_agree_with_the_general_solver() {
        let mut next = xorshift(0x2545_f491_4f6c_dd1du64);
        for case in 0..3000 {
            let n = 1 + next(3) as usize;
            let k = next(5) as usize;
            let signed = case % 5 == 0;
            let free = random_free(&mut next, n, k, signed);
            // Targets: some reachable sums, some not.
            let mut targets = Flat::empty(n);
            for _ in 0..1 + next(3) {
                let mut t = vec![0i128; n];
                for (_, opts, _) in &free {
                    let o = opts.get(next(opts.len() as u64) as usize).unwrap();
                    add_into(&mut t, o);
                }
                if next(3) == 0 {
                    t[0] += 1 + next(2) as i128;
                }
                targets.push(&t);
            }
            for tol in [0, 1] {
                assert_eq!(
                    reach_with(&free, &targets, n, tol, true),
                    reach_with(&free, &targets, n, tol, false),
                    "case {case}, tol {tol}"
                );
            }
        }
    }

    /// The depth-first walk of [`Work::solve`] answers exactly as the general solver does
    /// (without its shortcuts), on many small pseudo-random constraints of both signs, in both
    /// widths.
    #[test]
    fn walk_agrees_with_the_general_solver() {
        let mut next = xorshift(0x51f1_5eed_0bad_cafeu64);
        for case in 0..3000 {
            let n = 1 + next(4) as usize;
            let k = next(6) as usize;
            let signed = case % 4 == 0;
            let free = random_free(&mut next, n, k, signed);
            let mut targets = Flat::empty(n);
            for _ in 0..next(4) {
                let mut t = vec![0i128; n];
                for (_, opts, _) in &free {
                    let o = opts.get(next(opts.len() as u64) as usize).unwrap();
                    add_into(&mut t, o);
                }
                if next(3) == 0 {
                    t[next(n as u64) as usize] += 1 + next(2) as i128;
                }
                targets.push(&t);
            }
            for tol in [0i128, 1] {
                let want = reach_with(&free, &targets, n, tol, false).unwrap();
                let mut work: Work<i128> = Work::default();
                work.reset(n);
                work.targets.extend_from_slice(&targets.data);
                for (c, opts, _) in &free {
                    let first = work.opts.len() / n;
                    work.opts.extend_from_slice(&opts.data);
                    work.free.push(FreeAt {
                        row: *c,
                        first,
                        count: opts.len(),
                        of_at: 0,
                        of_len: 0,
                    });
                }
                let got = work.solve(tol).unwrap();
                assert_eq!(got, want.is_some(), "case {case}, tol {tol}");
                let Some((parent_ok, child_keep)) = want else {
                    continue;
                };
                assert_eq!(work.parent_ok, parent_ok, "case {case}, tol {tol}");
                let kept: Vec<(usize, Vec<bool>)> = work
                    .kept
                    .iter()
                    .map(|(row, r)| (*row, work.keep[r.clone()].to_vec()))
                    .collect();
                assert_eq!(kept, child_keep, "case {case}, tol {tol}");
                // The same in `i64`.
                let mut narrow: Work<i64> = Work::default();
                narrow.reset(n);
                narrow
                    .targets
                    .extend(work.targets.iter().map(|x| *x as i64));
                narrow.opts.extend(work.opts.iter().map(|x| *x as i64));
                narrow.free = work.free.clone();
                assert_eq!(narrow.solve(tol as i64), Some(true));
                assert_eq!(narrow.parent_ok, work.parent_ok);
                assert_eq!(narrow.keep, work.keep);
            }
        }
    }

    /// A set of wide vectors in `i64` (the test's values are chosen to fit).
    fn narrowed(f: &Flat<i128>) -> Flat<i64> {
        let mut out = Flat::empty(f.n);
        for v in f.iter() {
            let w: Vec<i64> = v.iter().map(|x| i64::try_from(*x).unwrap()).collect();
            out.push(&w);
        }
        out
    }

    /// Where `fits_narrow` holds, the `i64` solver answers exactly as the `i128` one, with
    /// numbers up to the largest size it admits (both signs, with and without shortcuts).
    #[test]
    fn narrow_solver_agrees_with_the_wide_one() {
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15u64);
        for case in 0..2000 {
            let n = 1 + next(3) as usize;
            let k = next(5) as usize;
            // The largest size admitted for k children, or a small one.
            let mut max = if case % 2 == 0 {
                1u128 << 40
            } else {
                1u128 << 62
            };
            while !fits_narrow(max, k) {
                max /= 2;
            }
            let max = i128::try_from(max).unwrap();
            let signed = case % 3 == 0;
            let value = |next: &mut dyn FnMut(u64) -> u64| -> i128 {
                let v = match next(4) {
                    0 => max,
                    1 => max - 1 - next(3) as i128,
                    2 => next(10) as i128,
                    _ => max / 2,
                };
                if signed && next(2) == 0 { -v } else { v }
            };
            let mut free: Vec<FreeChild<i128>> = Vec::new();
            for c in 0..k {
                let mut opts = Flat::empty(n);
                for _ in 0..2 + next(3) {
                    let v: Vec<i128> = (0..n).map(|_| value(&mut next)).collect();
                    opts.push(&v);
                }
                opts.dedup();
                let of = (0..opts.len()).map(Some).collect();
                free.push((c, opts, of));
            }
            // Targets: a parent value less the constant children (each at most `max`).
            let mut targets = Flat::empty(n);
            for _ in 0..1 + next(3) {
                let mut t = vec![0i128; n];
                for (_, opts, _) in &free {
                    let o = opts.get(next(opts.len() as u64) as usize).unwrap();
                    add_into(&mut t, o);
                }
                match next(3) {
                    0 => t[0] += 1 + next(2) as i128,
                    1 => t[0] = value(&mut next) - value(&mut next),
                    _ => {}
                }
                targets.push(&t);
            }
            let free_narrow: Vec<FreeChild<i64>> = free
                .iter()
                .map(|(c, opts, of)| (*c, narrowed(opts), of.clone()))
                .collect();
            let targets_narrow = narrowed(&targets);
            let tol_max = i128::try_from(k + 1).unwrap();
            for tol in [0, 1, tol_max] {
                for shortcuts in [true, false] {
                    assert_eq!(
                        reach_with(&free, &targets, n, tol, shortcuts),
                        reach_with(
                            &free_narrow,
                            &targets_narrow,
                            n,
                            i64::try_from(tol).unwrap(),
                            shortcuts
                        ),
                        "case {case}, tol {tol}, shortcuts {shortcuts}"
                    );
                }
            }
        }
    }

    /// The bound of the narrow path at its edges: the largest size admitted for each number of
    /// children, one more, and sizes or counts that overflow the check itself.
    #[test]
    fn narrow_bound_edges() {
        for k in [0usize, 1, 7, 1000] {
            let kk = k as u128 + 2;
            let largest = ((1u128 << 62) - kk - 1) / (2 * kk);
            assert!(fits_narrow(largest, k), "k {k}");
            assert!(!fits_narrow(largest + 1, k), "k {k}");
        }
        assert!(fits_narrow(0, 0));
        assert!(!fits_narrow(1 << 62, 0));
        assert!(!fits_narrow(u128::MAX, 0));
        assert!(!fits_narrow(u128::MAX / 3, 1));
        assert!(!fits_narrow(1, usize::MAX));
        // Conversions from the wide representation.
        assert_eq!(i64::from_wide(i128::from(i64::MAX)), Some(i64::MAX));
        assert_eq!(i64::from_wide(i128::from(i64::MIN)), Some(i64::MIN));
        assert_eq!(i64::from_wide(i128::from(i64::MAX) + 1), None);
        assert_eq!(i64::from_wide(i128::from(i64::MIN) - 1), None);
        assert_eq!(i128::from_wide(i128::MIN), Some(i128::MIN));
    }

    /// Numbers beyond the narrow bound still solve in the wide path (saturating near the ends
    /// A child whose others' partial sums are too many to combine (324 × 325 here, while
    /// every step of the prefixes and suffixes stays small) keeps all its options, and every
    /// child still gets its verdict in order: the verdicts pair with the children by position.
    #[test]
    fn a_child_the_solver_cannot_tell_about_keeps_its_options() {
        let flat = |vals: &[i128]| {
            let mut f = Flat::empty(1);
            for v in vals {
                f.push(&[*v]);
            }
            f
        };
        let units: Vec<i128> = (0..18).collect();
        let eighteens: Vec<i128> = (0..18).map(|k| 18 * k).collect();
        // A negative option: no pruning by the targets' range.
        let mut last = eighteens.clone();
        last.push(-1);
        let children = [units.clone(), eighteens, vec![0, 1], units, last];
        let free: Vec<FreeChild<i128>> = children
            .iter()
            .enumerate()
            .map(|(row, vals)| {
                let opts = flat(vals);
                let of = (0..opts.len()).map(Some).collect();
                (row, opts, of)
            })
            .collect();
        let mut targets = Flat::empty(1);
        targets.push(&[100]);
        let Some(Some((parent_ok, child_keep))) = reach(&free, &targets, 1, 0) else {
            panic!("the constraint is solved");
        };
        assert_eq!(parent_ok, vec![true]);
        let rows: Vec<usize> = child_keep.iter().map(|(row, _)| *row).collect();
        assert_eq!(rows, vec![0, 1, 2, 3, 4]);
        assert_eq!(
            child_keep.get(2).map(|(_, ok)| ok.clone()),
            Some(vec![true, true])
        );
        // The others were told about: 100 is out of reach with the last child at 18·17.
        let last_ok = &child_keep.get(4).unwrap().1;
        assert!(last_ok.iter().any(|ok| *ok) && !last_ok.iter().all(|ok| *ok));
    }

    /// of `i128` as before).
    #[test]
    fn wide_numbers_take_the_wide_path() {
        let big = 1i128 << 90;
        let mut a = Flat::empty(1);
        a.push(&[big]);
        a.push(&[1]);
        let mut b = Flat::empty(1);
        b.push(&[big]);
        b.push(&[2]);
        let free: Vec<FreeChild<i128>> = vec![
            (0, a, vec![Some(0), Some(1)]),
            (1, b, vec![Some(0), Some(1)]),
        ];
        let mut targets = Flat::empty(1);
        targets.push(&[big + 2]);
        assert!(!fits_narrow(big.unsigned_abs(), 2));
        let verdict = reach(&free, &targets, 1, 0);
        assert_eq!(
            verdict,
            Some(Some((
                vec![true],
                vec![(0, vec![true, false]), (1, vec![false, true])]
            )))
        );
    }
}
