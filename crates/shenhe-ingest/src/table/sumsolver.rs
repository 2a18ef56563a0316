//! The column-sum solver of [`super::place`]: which placement options of a parent row and of
//! its children can make `parent = Σ children` hold in every column, within the rounding
//! tolerance. Values are exact integers (scaled to a common number of decimals); the options of
//! each row are rows of a [`Flat`] matrix.

/// Most distinct partial sums kept while checking column sums.
pub(super) const MAX_SUMS: usize = 20_000;
/// Largest set deduplicated by pairwise comparison rather than by sorting.
pub(super) const SMALL_SET: usize = 32;

/// For each target (parent option), whether the free children reach it; for each free child,
/// which of its options take part in reaching a target.
pub(super) type Verdict = (Vec<bool>, Vec<(usize, Vec<bool>)>);

/// Solves one `parent = Σ children` constraint at tolerance `tol`: `None` when the sets of
/// partial sums grow too large to tell, `Some(None)` when no target is reached.
pub(super) fn reach(
    free: &[FreeChild],
    targets: &Flat,
    n: usize,
    tol: i128,
) -> Option<Option<Verdict>> {
    reach_with(free, targets, n, tol, true)
}

/// [`reach`], optionally without the shortcuts (to compare them with the general solver).
pub(super) fn reach_with(
    free: &[FreeChild],
    targets: &Flat,
    n: usize,
    tol: i128,
    shortcuts: bool,
) -> Option<Option<Verdict>> {
    if shortcuts && free.len() <= 1 {
        return Some(reach_one(free.first(), targets, n, tol));
    }
    let solver = SumSolver::new(free, targets, n, tol)?;
    let prefix = solver.prefixes()?;
    // With few combinations of small numbers no set can outgrow its cap and no sum
    // saturates: which options take part in reaching a target is then read off the prefix
    // sets backwards ([`backward_keep`]) instead of from suffix sets and their sums.
    let backward = shortcuts && few_small(free, targets);
    let suffix = if backward {
        None
    } else {
        Some(solver.suffixes()?)
    };
    let totals = prefix.last()?;
    let parent_ok: Vec<bool> = targets
        .iter()
        .map(|t| totals.iter().any(|s| close(s, t, tol)))
        .collect();
    if !parent_ok.iter().any(|x| *x) {
        return Some(None);
    }
    let live_targets: Vec<&[i128]> = targets
        .iter()
        .zip(&parent_ok)
        .filter(|(_, ok)| **ok)
        .map(|(t, _)| t)
        .collect();
    let Some(suffix) = suffix else {
        let keep = backward_keep(free, &prefix, &live_targets, n, tol)?;
        return Some(Some((parent_ok, keep)));
    };
    let mut want = vec![0i128; n];
    // Children: an option survives if some live target minus it is a sum of the others.
    let mut child_keep: Vec<(usize, Vec<bool>)> = Vec::new();
    for (i, (cv, opts, _)) in free.iter().enumerate() {
        let (Some(p), Some(s)) = (prefix.get(i), suffix.get(i + 1)) else {
            continue;
        };
        let Some(others) = solver.combine(p, s) else {
            continue;
        };
        let ok: Vec<bool> = opts
            .iter()
            .map(|o| {
                live_targets.iter().any(|t| {
                    for ((slot, a), b) in want.iter_mut().zip(t.iter()).zip(o) {
                        *slot = a - b;
                    }
                    others.iter().any(|x| close(x, &want, tol))
                })
            })
            .collect();
        child_keep.push((*cv, ok));
    }
    Some(Some((parent_ok, child_keep)))
}

/// Whether the free children have at most [`MAX_SUMS`] combinations of options (so that no
/// prefix, suffix or combined set of partial sums can reach its cap) and every number
/// involved is below 2^100 in size (so that no sum of them saturates or overflows).
fn few_small(free: &[FreeChild], targets: &Flat) -> bool {
    const BOUND: i128 = 1 << 100;
    let small = |v: &i128| (-BOUND..=BOUND).contains(v);
    let few = free
        .iter()
        .try_fold(1usize, |acc, (_, opts, _)| {
            acc.checked_mul(opts.len()).filter(|p| *p <= MAX_SUMS)
        })
        .is_some();
    few && targets.data.iter().all(small)
        && free.iter().all(|(_, opts, _)| opts.data.iter().all(small))
}

/// For each free child, which options take part in a combination reaching a live target,
/// from the prefix sets alone: walking back from the final sums close to a live target, a
/// prefix sum is good when adding some option of the next child gives a good sum, and that
/// option is kept. The same as asking whether some live target minus the option is a sum of
/// the other children (every partial sum of a combination that reaches a target survives
/// the pruning of prefix and suffix sets alike), when [`few_small`] holds.
fn backward_keep(
    free: &[FreeChild],
    prefix: &[Flat],
    live: &[&[i128]],
    n: usize,
    tol: i128,
) -> Option<Vec<(usize, Vec<bool>)>> {
    let k = free.len();
    let mut good_next: Vec<bool> = prefix
        .get(k)?
        .iter()
        .map(|s| live.iter().any(|t| close(s, t, tol)))
        .collect();
    let mut keep: Vec<(usize, Vec<bool>)> = Vec::with_capacity(k);
    let mut sum: Vec<i128> = Vec::with_capacity(n);
    for i in (0..k).rev() {
        let (cv, opts, _) = free.get(i)?;
        let cur = prefix.get(i)?;
        let next = prefix.get(i + 1)?;
        // The vectors of a larger set sorted once, looked up by binary search (cheaper than
        // hashing vectors of 128-bit numbers).
        let index: Option<Vec<(&[i128], usize)>> = (next.len() > 16).then(|| {
            let mut sorted: Vec<(&[i128], usize)> =
                next.iter().enumerate().map(|(j, v)| (v, j)).collect();
            sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
            sorted
        });
        let mut ok = vec![false; opts.len()];
        let mut good_cur = vec![false; cur.len()];
        for (pi, p) in cur.iter().enumerate() {
            for (oi, o) in opts.iter().enumerate() {
                sum.clear();
                sum.extend(p.iter().zip(o).map(|(a, b)| a.saturating_add(*b)));
                let at = match &index {
                    Some(sorted) => sorted
                        .binary_search_by(|(v, _)| (*v).cmp(sum.as_slice()))
                        .ok()
                        .and_then(|i| sorted.get(i))
                        .map(|(_, j)| *j),
                    None => next.iter().position(|v| v == sum.as_slice()),
                };
                if at.is_some_and(|j| good_next.get(j).copied().unwrap_or(false)) {
                    if let Some(slot) = ok.get_mut(oi) {
                        *slot = true;
                    }
                    if let Some(slot) = good_cur.get_mut(pi) {
                        *slot = true;
                    }
                }
            }
        }
        keep.push((*cv, ok));
        good_next = good_cur;
    }
    keep.reverse();
    Some(keep)
}

/// [`reach`] with at most one free child, without partial-sum sets: the sum of the others
/// is zero, so a target is reached by an option close to it (the general solver's pruning
/// only drops options close to no target, and combining the empty prefix and suffix gives
/// the zero vector).
fn reach_one(free: Option<&FreeChild>, targets: &Flat, n: usize, tol: i128) -> Option<Verdict> {
    let zero = vec![0i128; n];
    let parent_ok: Vec<bool> = targets
        .iter()
        .map(|t| match free {
            Some((_, opts, _)) => opts.iter().any(|o| close(o, t, tol)),
            None => close(&zero, t, tol),
        })
        .collect();
    if !parent_ok.iter().any(|x| *x) {
        return None;
    }
    let mut child_keep: Vec<(usize, Vec<bool>)> = Vec::new();
    if let Some((cv, opts, _)) = free {
        let mut want = vec![0i128; n];
        let ok: Vec<bool> = opts
            .iter()
            .map(|o| {
                targets.iter().zip(&parent_ok).any(|(t, live)| {
                    if !*live {
                        return false;
                    }
                    for ((slot, a), b) in want.iter_mut().zip(t.iter()).zip(o) {
                        *slot = a - b;
                    }
                    close(&zero, &want, tol)
                })
            })
            .collect();
        child_keep.push((*cv, ok));
    }
    Some((parent_ok, child_keep))
}

fn close(a: &[i128], b: &[i128], tol: i128) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

/// `out = a - b`, element by element.
fn sub_into(out: &mut [i128], a: &[i128], b: &[i128]) {
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        *o = x - y;
    }
}

pub(super) fn add_into(acc: &mut [i128], v: &[i128]) {
    for (a, b) in acc.iter_mut().zip(v) {
        *a = a.saturating_add(*b);
    }
}

/// A child row of a constraint with several options: its index, its distinct vectors, and for
/// each candidate the index of its vector.
pub(super) type FreeChild = (usize, Flat, Vec<Option<usize>>);

/// Sets of partial sums of the free children of one constraint, pruned by what the targets
/// allow when every number involved is non-negative.
struct SumSolver<'a> {
    free: &'a [FreeChild],
    n: usize,
    tol: i128,
    /// Per column: smallest and largest target.
    lo: Vec<i128>,
    hi: Vec<i128>,
    /// Per child index i (row i of `free.len() + 1`): the least and most the children from i
    /// on can still add.
    rest_min: Flat,
    rest_max: Flat,
    prune: bool,
}

impl<'a> SumSolver<'a> {
    pub(super) fn new(
        free: &'a [FreeChild],
        targets: &Flat,
        n: usize,
        tol: i128,
    ) -> Option<SumSolver<'a>> {
        let mut lo = vec![i128::MAX; n];
        let mut hi = vec![i128::MIN; n];
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
            .all(|(_, opts, _)| opts.iter().all(|o| o.iter().all(|x| *x >= 0)));
        let mut rest_min = Flat::zeros(n, free.len() + 1);
        let mut rest_max = Flat::zeros(n, free.len() + 1);
        // Row i is row i + 1 plus child i's least and most: built in two buffers of `n`.
        let mut mn = vec![0i128; n];
        let mut mx = vec![0i128; n];
        for i in (0..free.len()).rev() {
            let (_, opts, _) = free.get(i)?;
            mn.copy_from_slice(rest_min.get(i + 1)?);
            mx.copy_from_slice(rest_max.get(i + 1)?);
            for c in 0..n {
                let (omin, omax) = opts
                    .iter()
                    .filter_map(|o| o.get(c).copied())
                    .fold(None, |acc: Option<(i128, i128)>, v| {
                        Some(acc.map_or((v, v), |(a, b)| (a.min(v), b.max(v))))
                    })
                    .unwrap_or((0, 0));
                if let (Some(a), Some(b)) = (mn.get_mut(c), mx.get_mut(c)) {
                    *a = a.saturating_add(omin);
                    *b = b.saturating_add(omax);
                }
            }
            if let (Some(a), Some(b)) = (rest_min.get_mut(i), rest_max.get_mut(i)) {
                a.copy_from_slice(&mn);
                b.copy_from_slice(&mx);
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
    pub(super) fn viable(&self, s: &[i128], rest_min: &[i128], rest_max: &[i128]) -> bool {
        if !self.prune {
            return true;
        }
        s.iter()
            .zip(&self.lo)
            .zip(&self.hi)
            .zip(rest_min.iter().zip(rest_max))
            .all(|(((v, lo), hi), (rmin, rmax))| {
                v.saturating_add(*rmin) <= hi.saturating_add(self.tol)
                    && v.saturating_add(*rmax) >= lo.saturating_sub(self.tol)
            })
    }

    /// Partial sums of children `[0, i)` for every i.
    pub(super) fn prefixes(&self) -> Option<Vec<Flat>> {
        let mut out: Vec<Flat> = vec![Flat::zero(self.n)];
        for (i, (_, opts, _)) in self.free.iter().enumerate() {
            let rmin = self.rest_min.get(i + 1)?;
            let rmax = self.rest_max.get(i + 1)?;
            let next = self.step(out.last()?, opts, rmin, rmax)?;
            out.push(next);
        }
        Some(out)
    }

    /// Partial sums of children `[i, end)` for every i (index `end` is the empty sum).
    pub(super) fn suffixes(&self) -> Option<Vec<Flat>> {
        let k = self.free.len();
        let mut out: Vec<Flat> = vec![Flat::empty(self.n); k + 1];
        if let Some(last) = out.get_mut(k) {
            *last = Flat::zero(self.n);
        }
        let mut before_min = vec![0i128; self.n];
        let mut before_max = vec![0i128; self.n];
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

    pub(super) fn step(
        &self,
        from: &Flat,
        opts: &Flat,
        rest_min: &[i128],
        rest_max: &[i128],
    ) -> Option<Flat> {
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
    pub(super) fn combine(&self, a: &Flat, b: &Flat) -> Option<Flat> {
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

/// A set of vectors of `n` numbers stored in one buffer.
#[derive(Clone, Debug)]
pub(super) struct Flat {
    n: usize,
    data: Vec<i128>,
    count: usize,
}

impl Flat {
    pub(super) fn empty(n: usize) -> Flat {
        Flat {
            n,
            data: Vec::new(),
            count: 0,
        }
    }

    /// `count` zero vectors.
    pub(super) fn zeros(n: usize, count: usize) -> Flat {
        Flat {
            n,
            data: vec![0; n * count],
            count,
        }
    }

    pub(super) fn get_mut(&mut self, i: usize) -> Option<&mut [i128]> {
        if i >= self.count {
            return None;
        }
        self.data.get_mut(i * self.n..(i + 1) * self.n)
    }

    /// The set holding only the zero vector.
    pub(super) fn zero(n: usize) -> Flat {
        Flat {
            n,
            data: vec![0; n],
            count: 1,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.count
    }

    pub(super) fn get(&self, i: usize) -> Option<&[i128]> {
        if i >= self.count {
            return None;
        }
        self.data.get(i * self.n..(i + 1) * self.n)
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &[i128]> + '_ {
        (0..self.count).filter_map(move |i| self.get(i))
    }

    pub(super) fn push(&mut self, v: &[i128]) {
        self.data.extend_from_slice(v);
        self.count += 1;
    }

    /// A set with room for `count` vectors of `n` numbers.
    pub(super) fn with_capacity(n: usize, count: usize) -> Flat {
        Flat {
            n,
            data: Vec::with_capacity(n.saturating_mul(count)),
            count: 0,
        }
    }

    /// Appends `a + b` (saturating, element by element); false when either is not `n` long.
    pub(super) fn push_sum(&mut self, a: &[i128], b: &[i128]) -> bool {
        if a.len() != self.n || b.len() != self.n {
            return false;
        }
        self.data
            .extend(a.iter().zip(b).map(|(x, y)| x.saturating_add(*y)));
        self.count += 1;
        true
    }

    pub(super) fn last(&self) -> Option<&[i128]> {
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
        idx.dedup_by(|a, b| self.get(*a) == self.get(*b));
        if idx.len() == self.count {
            return;
        }
        let mut data = Vec::with_capacity(idx.len() * self.n);
        for i in &idx {
            if let Some(v) = self.get(*i) {
                data.extend_from_slice(v);
            }
        }
        self.data = data;
        self.count = idx.len();
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
            let seen = self.data.chunks_exact(n).take(kept).any(|w| w == v);
            if seen {
                continue;
            }
            if kept != i {
                self.data.copy_within(i * n..(i + 1) * n, kept * n);
            }
            kept += 1;
        }
        self.data.truncate(kept * n);
        self.count = kept;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcuts (one free child; backward reading of prefix sets) answer exactly as the
    /// general solver does, on many small pseudo-random constraints.
    #[test]
    fn shortcuts_agree_with_the_general_solver() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for case in 0..3000 {
            let n = 1 + next(3) as usize;
            let k = next(5) as usize;
            let signed = case % 5 == 0;
            let value = |next: &mut dyn FnMut(u64) -> u64| {
                let v = next(12) as i128;
                if signed { v - 4 } else { v }
            };
            let mut free: Vec<FreeChild> = Vec::new();
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
}
