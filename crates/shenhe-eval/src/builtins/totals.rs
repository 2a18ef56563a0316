//! total_rows/合计行 and total_columns/合计列: totals against their parts, in any table.
//!
//! - `合计行(表…)`: every total row (总计, 合计, 本年收入合计, 收入总计 …) equals the sum of the
//!   top-level item rows of its side above it (a running total: `收入总计` = 一…九 + 上年结转);
//!   a total printed above its items (`总计` as the first row) equals the sum of the top-level
//!   items below it, up to the next total. Rows starting with `其中` are parts of the row above
//!   and are not added.
//! - `合计列(表…)`: in every row, a total column (合计, 总计, 小计, …合计) equals the sum of its
//!   sibling columns under the same header (`一般公共预算支出/合计` = 基本支出 + 项目支出;
//!   `三公/合计` = 因公出国 + 公务接待 + 公务用车(购置 + 运行)).
//!
//! Both take one or more tables (or `各表(…)`) and give one failure instance per broken row,
//! with the total's and every part's cell as evidence.

use std::ops::Range;

use rust_decimal::Decimal;
use shenhe_lang::ast::{CompareOp, Span};
use shenhe_model::{CellValue, ColumnKind, Row, RowKind, contains_str};

use super::collect::tables_of;
use super::{Builtin, arg};
use crate::docindex::{DocIndex, TableEntry};
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::num::{Num, NumKind, common_kind, half_width};
use crate::value::{CompareRecord, Instance, Origin, ToleranceUsed, Truth, Value};

pub static FUNCS: &[Builtin] = &[
    Builtin {
        names: &["total_rows", "合计行"],
        min_args: 1,
        max_args: usize::MAX,
        pattern_arg: None,
        signature: "total_rows(表, …)",
        eval: total_rows,
    },
    Builtin {
        names: &["balance", "收支平衡"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "balance(表)",
        eval: balance,
    },
    Builtin {
        names: &["total_columns", "合计列"],
        min_args: 1,
        max_args: usize::MAX,
        pattern_arg: None,
        signature: "total_columns(表, …)",
        eval: total_columns,
    },
];

fn all_tables(
    ev: &mut Evaluator<'_, '_>,
    args: &[Node],
    span: Span,
) -> Result<Vec<u32>, EvalError> {
    let mut out = Vec::with_capacity(ev.ix.tables.len());
    for i in 0..args.len() {
        for t in tables_of(ev, arg(args, i, span)?)? {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    Ok(out)
}

/// Whether a column name is a total's (合计, 总计, 小计, 支出合计, 本年收入合计 …).
pub fn is_total_name(name: &str) -> bool {
    let k = crate::docindex::key_cow(name);
    k == "小计" || k.ends_with("合计") || k.ends_with("总计")
}

/// The outcome of comparing a total with the sum of its parts in one column.
struct Broken {
    total: Num,
    sum: Num,
    diff: Num,
    left_half: rust_decimal::Decimal,
    right_half: rust_decimal::Decimal,
    unit: String,
}

/// How far a whole is from the sum of its parts (see [`difference`]).
pub(super) struct Gap {
    /// Whole − sum, with its interval.
    pub diff: Num,
    /// Half the rounding interval of the whole and of the sum.
    pub left_half: rust_decimal::Decimal,
    pub right_half: rust_decimal::Decimal,
    /// The unit's name (empty for plain numbers).
    pub unit: String,
}

/// How far `whole` is from the `sum` of its parts when their rounding intervals do not meet;
/// `None` when they agree.
pub(super) fn difference(whole: &Num, sum: &Num, span: Span) -> Result<Option<Gap>, EvalError> {
    let (kind, sa, sb) = common_kind(&whole.kind, &sum.kind, "比较").map_err(|e| e.at(span))?;
    let wb = whole.bounds_scaled(sa).map_err(|e| e.at(span))?;
    let sbnd = sum.bounds_scaled(sb).map_err(|e| e.at(span))?;
    if wb.meets(&sbnd) {
        return Ok(None);
    }
    let overflow = || EvalError::runtime("差额计算溢出", span);
    let diff = Num {
        value: wb.value.checked_sub(sbnd.value).ok_or_else(overflow)?,
        lo: wb.lo.checked_sub(sbnd.hi).ok_or_else(overflow)?,
        hi: wb.hi.checked_sub(sbnd.lo).ok_or_else(overflow)?,
        kind,
        scale: whole.scale.max(sum.scale),
        blank: false,
        origins: Vec::new(),
    };
    let unit = match &kind {
        NumKind::Amount(u) => u.name().to_string(),
        _ => String::new(),
    };
    Ok(Some(Gap {
        diff,
        left_half: half_width(wb.lo, wb.hi),
        right_half: half_width(sbnd.lo, sbnd.hi),
        unit,
    }))
}

/// The largest magnitude of a `Decimal` mantissa (96 bits).
const MANTISSA_MAX: u128 = (1u128 << 96) - 1;

// Mantissa sums: the sum of part cells exactly as folding their [`DocIndex::cell_num_with`]
// numbers with [`Num::add`] gives it, computed on their mantissas: the common case of parts of one kind
// whose printed cells share one scale `d` (blanks are exact zeros). Each printed cell stands
// for `10·m ∓ 5` at scale `d + 1` (what `printed_bounds` builds), so the value and both
// bounds are mantissa sums at scales `d` and `d + 1`; when every part is blank the sum is the
// exact zero marked blank. `None` whenever that identity is not certain — a text cell, mixed
// kinds or scales, no part, a bound or partial sum past 96 bits, a zero value or bound (whose
// sign `checked_add` decides) — and the caller folds.

/// The kind and printed value (`None` for a blank) of each cell; `None` for a text cell.
fn printed_cells<'a>(
    ix: &'a DocIndex<'_>,
    cells: &'a [(u32, u32, u32)],
) -> impl Iterator<Item = Option<(NumKind, Option<Decimal>)>> + 'a {
    cells.iter().map(|&(t, r, c)| {
        let e = ix.table(t)?;
        let column_kind = || match e.table.unit_of(c as usize) {
            Some(u) => NumKind::Amount(u),
            None => NumKind::Plain,
        };
        match ix.cell(t, r, c).map(|x| &x.value) {
            None | Some(CellValue::Blank) => Some((column_kind(), None)),
            Some(CellValue::Number(d)) => Some((column_kind(), Some(*d))),
            Some(CellValue::Percent(d)) => Some((NumKind::Percent, Some(*d))),
            Some(CellValue::Text(_)) => None,
        }
    })
}

/// The mantissa sum over cells given as their kind and printed value (`None` for a blank);
/// `None` for a cell that is not a number.
#[cfg(test)]
fn sum_printed(cells: impl IntoIterator<Item = Option<(NumKind, Option<Decimal>)>>) -> Option<Num> {
    sum_mantissas(cells)?.num()
}

/// Printed cells summed on their mantissas: the value at scale `scale`, the bounds at
/// `scale + 1` (see the comment above [`printed_cells`]).
struct Mantissas {
    kind: Option<NumKind>,
    /// `None` when every cell is blank.
    scale: Option<u32>,
    v: i128,
    lo: i128,
    hi: i128,
}

/// Whether a mantissa fits a `Decimal`.
fn fits(m: i128) -> bool {
    m.unsigned_abs() <= MANTISSA_MAX
}

/// The mantissa sums of cells of one kind whose printed values share one scale; `None`
/// otherwise, or past 96 bits.
fn sum_mantissas(
    cells: impl IntoIterator<Item = Option<(NumKind, Option<Decimal>)>>,
) -> Option<Mantissas> {
    let mut kind: Option<NumKind> = None;
    let mut scale: Option<u32> = None;
    let (mut v, mut lo, mut hi) = (0i128, 0i128, 0i128);
    for cell in cells {
        let (k, printed) = cell?;
        match kind {
            None => kind = Some(k),
            Some(k0) if k0 == k => {}
            Some(_) => return None,
        }
        let Some(d) = printed else { continue };
        match scale {
            None => scale = Some(d.scale()),
            Some(s) if s == d.scale() => {}
            Some(_) => return None,
        }
        // A mantissa is under 2^96, and so is every partial sum (checked below): none of these
        // can overflow an `i128`, so they need no checked arithmetic.
        let m = d.mantissa();
        let m10 = m * 10;
        let (l, h) = (m10 - 5, m10 + 5);
        if !(fits(l) && fits(h)) {
            return None;
        }
        v += m;
        lo += l;
        hi += h;
        if !(fits(v) && fits(lo) && fits(hi)) {
            return None;
        }
    }
    Some(Mantissas {
        kind,
        scale,
        v,
        lo,
        hi,
    })
}

impl Mantissas {
    /// The sum as the fold of [`Num::add`] gives it, when that is certain.
    fn num(self) -> Option<Num> {
        let Mantissas {
            kind,
            scale,
            v,
            lo,
            hi,
        } = self;
        self::sum_num(kind, scale, v, lo, hi)
    }

    /// Whether a printed total of `kind` and value `d` agrees with the sum: the total's
    /// rounding interval `10·m ∓ 5` at scale `d + 1` (what `printed_bounds` builds) meets the
    /// sum's, compared on mantissas of one scale. `false` whenever that is not certain (another
    /// kind or scale, a scale past 27, a bound past 96 bits): the caller compares numbers.
    fn meets_printed(&self, kind: NumKind, d: Decimal) -> bool {
        let (Some(k), Some(s)) = (self.kind, self.scale) else {
            return false;
        };
        if k != kind || s != d.scale() || s >= 28 {
            return false;
        }
        // Under 2^100: no overflow (see `sum_mantissas`).
        let m10 = d.mantissa() * 10;
        let (tl, th) = (m10 - 5, m10 + 5);
        fits(tl) && fits(th) && tl <= self.hi && self.lo <= th
    }
}

/// [`Mantissas::num`].
fn sum_num(kind: Option<NumKind>, scale: Option<u32>, v: i128, lo: i128, hi: i128) -> Option<Num> {
    let Some(s) = scale else {
        // Every part blank: the fold adds exact zeros of one kind.
        return Some(Num::blank(kind?));
    };
    let s1 = s.checked_add(1).filter(|s1| *s1 <= 28)?;
    if v == 0 || lo == 0 || hi == 0 {
        return None;
    }
    Some(Num {
        value: Decimal::try_from_i128_with_scale(v, s).ok()?,
        lo: Decimal::try_from_i128_with_scale(lo, s1).ok()?,
        hi: Decimal::try_from_i128_with_scale(hi, s1).ok()?,
        kind: kind?,
        scale: s.min(28),
        blank: false,
        origins: Vec::new(),
    })
}

/// Compares a total cell with the sum of part cells; `None` when they agree (or when nothing is
/// printed at all).
fn compare_sum(
    ix: &DocIndex<'_>,
    total: (u32, u32, u32),
    parts: &[(u32, u32, u32)],
    span: Span,
) -> Result<Option<Box<Broken>>, EvalError> {
    // Without origins: only a broken total is reported, and it gets its own below.
    let cell = |(t, r, c): (u32, u32, u32)| {
        ix.cell_num_with(t, r, c, false)
            .map_err(|m| EvalError::runtime(m, span))
    };
    let sums = sum_mantissas(printed_cells(ix, parts));
    // A printed total that agrees with the sum, decided on the mantissas without building
    // numbers (most totals).
    if let Some(m) = &sums
        && let Some(Some((kind, Some(d)))) = printed_cells(ix, std::slice::from_ref(&total)).next()
        && m.meets_printed(kind, d)
    {
        return Ok(None);
    }
    let tot = cell(total)?;
    let sum = match sums.and_then(Mantissas::num) {
        Some(sum) if sum.blank && tot.blank => return Ok(None),
        Some(sum) => sum,
        None => {
            let mut sum: Option<Num> = None;
            let mut all_blank = tot.blank;
            for p in parts {
                let n = cell(*p)?;
                all_blank &= n.blank;
                sum = Some(match sum {
                    None => n,
                    Some(s) => s.add(n, false).map_err(|e| e.at(span))?,
                });
            }
            let Some(sum) = sum else { return Ok(None) };
            if all_blank {
                return Ok(None);
            }
            sum
        }
    };
    // One kind needs no rescaling: then `difference` would only find that the intervals meet.
    if tot.kind == sum.kind && tot.bounds().meets(&sum.bounds()) {
        return Ok(None);
    }
    let Some(gap) = difference(&tot, &sum, span)? else {
        return Ok(None);
    };
    let (t, r, c) = total;
    // Boxed: most totals agree, and the small result is cheaper to hand back.
    Ok(Some(Box::new(Broken {
        total: tot.with_origin(Origin::Cell {
            table: t,
            row: r,
            column: c,
        }),
        sum: Num {
            blank: false,
            origins: Vec::new(),
            ..sum
        },
        diff: gap.diff,
        left_half: gap.left_half,
        right_half: gap.right_half,
        unit: gap.unit,
    })))
}

/// Whether a total cell breaks with the sum of part cells, as [`difference`] of the total's
/// number and the [`Num::add`] fold of the parts' numbers says (without origins).
pub(super) fn sum_breaks(
    ix: &DocIndex<'_>,
    total: (u32, u32, u32),
    parts: &[(u32, u32, u32)],
    span: Span,
) -> Result<bool, EvalError> {
    Ok(compare_sum(ix, total, parts, span)?.is_some())
}

/// Adds a broken column to the row's instance (creating it on first use).
fn record(
    inst: &mut Option<Instance>,
    ix: &DocIndex<'_>,
    total: (u32, u32, u32),
    parts: &[(u32, u32, u32)],
    b: Box<Broken>,
    what: &str,
    span: Span,
) {
    let (t, r, c) = total;
    let note = format!(
        "`{}` 的 `{}` 为 {}，{what} {} 项合计 {}，相差 {}",
        ix.row_label(t, r),
        ix.column_name(t, c),
        b.total.display(),
        parts.len(),
        b.sum.display(),
        b.diff.display()
    );
    let i = inst.get_or_insert_with(|| Instance {
        vars: vec![
            ("行".into(), Value::Row(t, r)),
            ("表".into(), Value::Table(t)),
        ],
        span: Some(span),
        ..Instance::default()
    });
    let origin = |(table, row, column): (u32, u32, u32)| Origin::Cell { table, row, column };
    i.evidence.push(("合计", origin(total)));
    for p in parts {
        i.evidence.push(("分项", origin(*p)));
    }
    match &mut i.note {
        Some(n) => {
            n.push('；');
            n.push_str(&note);
        }
        None => i.note = Some(note),
    }
    if i.compare.is_none() {
        i.compare = Some(Box::new(CompareRecord {
            op: CompareOp::Eq,
            tolerance: ToleranceUsed::Rounding {
                left: b.left_half,
                right: b.right_half,
                unit: b.unit,
            },
            left: Value::Num(b.total),
            right: Value::Num(b.sum),
            difference: Some(b.diff),
        }));
    }
}

/// Whether a row's name key starts with `其中` (a part of the row above).
pub(super) fn is_part_row(keys: Option<&crate::docindex::RowKeys<'_>>) -> bool {
    keys.is_some_and(|k| k.full.starts_with("其中"))
}

/// Whether row `i` of a table is a top-level item (one a total adds up).
fn is_top_item(e: &TableEntry<'_>, i: usize, row: &Row) -> bool {
    row.kind == RowKind::Item && row.parent.is_none() && !is_part_row(e.rows().get(i))
}

/// The rows a total row printed above its items adds up: the top-level items of its side below
/// it, up to the next total.
fn parts_below(e: &TableEntry<'_>, r: usize) -> Vec<u32> {
    let rows = &e.table.rows;
    let Some(total) = rows.get(r) else {
        return Vec::new();
    };
    rows.iter()
        .enumerate()
        .skip(r + 1)
        .filter(|(_, row)| row.group == total.group)
        .take_while(|(_, row)| row.kind != RowKind::Total)
        .filter(|(i, row)| is_top_item(e, *i, row))
        .filter_map(|(i, _)| u32::try_from(i).ok())
        .collect()
}

/// Amount columns on a row's side.
fn side_columns(e: &TableEntry<'_>, group: Option<&String>) -> Vec<u32> {
    e.table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == ColumnKind::Amount)
        .filter(|(_, c)| group.is_none() || c.group.is_none() || c.group.as_ref() == group)
        .filter_map(|(i, _)| u32::try_from(i).ok())
        .collect()
}

/// A side of a table (a row group) met while walking its rows: its top-level items so far and
/// its amount columns (found at its first total).
struct Side<'t> {
    group: Option<&'t String>,
    items: Vec<u32>,
    columns: Option<Vec<u32>>,
}

fn total_rows(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let ix = ev.ix;
    let mut out = Truth::simple(true);
    // The part cells of one total, reused.
    let mut cells: Vec<(u32, u32, u32)> = Vec::new();
    for t in all_tables(ev, args, span)? {
        let Some(e) = ix.table(t) else { continue };
        // Walked once: a total adds up the top-level items of its side above it, else those
        // below it up to the next total.
        let mut sides: Vec<Side<'_>> = Vec::new();
        for (r, row) in e.table.rows.iter().enumerate() {
            let si = match sides.iter().position(|s| s.group == row.group.as_ref()) {
                Some(si) => si,
                None => {
                    sides.push(Side {
                        group: row.group.as_ref(),
                        items: Vec::with_capacity(e.table.rows.len()),
                        columns: None,
                    });
                    sides.len() - 1
                }
            };
            let Some(side) = sides.get_mut(si) else { break };
            if row.kind != RowKind::Total {
                if is_top_item(e, r, row)
                    && let Ok(ru) = u32::try_from(r)
                {
                    side.items.push(ru);
                }
                continue;
            }
            let below;
            let parts = if side.items.is_empty() {
                below = parts_below(e, r);
                &below
            } else {
                &side.items
            };
            if parts.is_empty() {
                continue;
            }
            let Ok(ru) = u32::try_from(r) else { break };
            let columns = side
                .columns
                .get_or_insert_with(|| side_columns(e, side.group));
            let mut inst = None;
            for &c in columns.iter() {
                let total = (t, ru, c);
                cells.clear();
                cells.extend(parts.iter().map(|p| (t, *p, c)));
                if let Some(b) = compare_sum(ix, total, &cells, span)? {
                    record(&mut inst, ix, total, &cells, b, "明细行", span);
                }
            }
            if let Some(i) = inst {
                out.holds = false;
                out.instances.push(i);
            }
        }
    }
    Ok(Value::Bool(out))
}

/// A two-sided table (收入 | 支出): the last total row of the first side equals the last total
/// row of the second, in each side's first amount column.
fn balance(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let t = super::table_arg(ev, arg(args, 0, span)?)?;
    let ix = ev.ix;
    let Some(e) = ix.table(t) else {
        return Err(EvalError::runtime("内部错误：表不存在", span));
    };
    let mut sides: Vec<&String> = Vec::new();
    for r in &e.table.rows {
        if let Some(g) = &r.group
            && !sides.contains(&g)
        {
            sides.push(g);
        }
    }
    let (Some(a), Some(b)) = (sides.first(), sides.get(1)) else {
        return Err(EvalError::absent(
            format!("{} 不是左右两栏（收入 | 支出）的表", ix.table_name(t)),
            span,
        ));
    };
    let last_total = |side: &String| -> Option<(u32, u32)> {
        let r = e
            .table
            .rows
            .iter()
            .rposition(|r| r.kind == RowKind::Total && r.group.as_ref() == Some(side))?;
        let row = e.table.rows.get(r)?;
        let c = row.cells.iter().find(|c| {
            e.table
                .columns
                .get(c.column)
                .is_some_and(|col| col.kind == ColumnKind::Amount)
        })?;
        Some((u32::try_from(r).ok()?, u32::try_from(c.column).ok()?))
    };
    let (Some((ra, ca)), Some((rb, cb))) = (last_total(a), last_total(b)) else {
        return Err(EvalError::not_found(
            format!("{} 的两栏没有各自的合计行", ix.table_name(t)),
            span,
        ));
    };
    let left = Value::Cell(t, ra, ca);
    let right = Value::Cell(t, rb, cb);
    let mut truth =
        crate::compare::compare(ev, CompareOp::Eq, left, right, None, span, span, span)?;
    for i in &mut truth.instances {
        i.vars.push(("表".into(), Value::Table(t)));
    }
    Ok(Value::Bool(truth))
}

/// One node of a table's header tree: the columns whose path starts with `prefix`.
struct HeaderNode<'a> {
    /// The total column directly under this node, if any.
    total: Option<u32>,
    /// The other children: a leaf column, or a sub-node (by its prefix length + 1 path).
    parts: Vec<Part<'a>>,
}

enum Part<'a> {
    Leaf(u32),
    Node(Vec<&'a str>),
}

/// Amount columns that are components (no percentages, rates or `其中` columns), each with
/// the keys of its header path (its side or block first when the path does not start with
/// it), from the keys the document index built once. The paths are kept one after the other
/// in `store` (one allocation for the table, not one per column); each column gets its range.
fn amount_columns<'x>(
    ix: &'x DocIndex<'_>,
    t: u32,
    store: &mut Vec<&'x str>,
) -> Vec<(u32, Range<usize>)> {
    let Some(e) = ix.table(t) else {
        return Vec::new();
    };
    e.table
        .columns
        .iter()
        .zip(e.columns())
        .enumerate()
        .filter(|(_, (c, _))| c.kind == ColumnKind::Amount)
        .filter(|(_, (_, k))| {
            let n: &str = &k.last;
            // `其中：…` columns are parts of the column before them, not siblings.
            !(n.contains(['%', '率'])
                || contains_str(n, "比例")
                || contains_str(n, "增减")
                || n.starts_with("其中"))
        })
        .filter_map(|(i, (c, k))| {
            // `heads` holds the path's keys above the column's own, then the group's key.
            let above = k
                .heads
                .get(..k.heads.len().saturating_sub(usize::from(c.group.is_some())))
                .unwrap_or_default();
            let from = store.len();
            if c.group.is_some()
                && let Some(g) = k.heads.last()
            {
                let first = if c.path.is_empty() {
                    None
                } else {
                    above.first().or(Some(&k.last))
                };
                if first != Some(g) {
                    store.push(g);
                }
            }
            if !c.path.is_empty() {
                store.extend(above.iter().map(|h| &**h));
                store.push(&k.last);
            }
            u32::try_from(i).ok().map(|i| (i, from..store.len()))
        })
        .collect()
}

fn header_node<'a>(cols: &[(u32, &[&'a str])], prefix: &[&'a str]) -> HeaderNode<'a> {
    let mut node = HeaderNode {
        total: None,
        parts: Vec::with_capacity(cols.len()),
    };
    for (c, path) in cols {
        if !path.starts_with(prefix) {
            continue;
        }
        let Some(next) = path.get(prefix.len()) else {
            continue;
        };
        if path.len() == prefix.len() + 1 {
            if node.total.is_none() && is_total_name(next) {
                node.total = Some(*c);
            } else {
                node.parts.push(Part::Leaf(*c));
            }
        } else if !node
            .parts
            .iter()
            .any(|p| matches!(p, Part::Node(sub) if sub.last() == Some(next)))
        {
            let mut sub = Vec::with_capacity(prefix.len() + 1);
            sub.extend_from_slice(prefix);
            sub.push(next);
            node.parts.push(Part::Node(sub));
        }
    }
    node
}

/// The columns whose sum stands for a part: a leaf itself, or a sub-node's total column, or
/// the sum of the sub-node's parts.
fn part_columns(cols: &[(u32, &[&str])], part: &Part<'_>, out: &mut Vec<u32>, depth: usize) {
    match part {
        Part::Leaf(c) => out.push(*c),
        Part::Node(prefix) if depth < 16 => {
            let n = header_node(cols, prefix);
            match n.total {
                Some(t) => out.push(t),
                None => {
                    for p in &n.parts {
                        part_columns(cols, p, out, depth + 1);
                    }
                }
            }
        }
        Part::Node(_) => {}
    }
}

/// Every (total column, part columns) relation of a table's header.
fn relations(cols: &[(u32, &[&str])]) -> Vec<(u32, Vec<u32>)> {
    let mut out = Vec::new();
    let mut stack: Vec<Vec<&str>> = vec![Vec::new()];
    while let Some(prefix) = stack.pop() {
        if prefix.len() > 16 {
            continue;
        }
        let node = header_node(cols, &prefix);
        for p in &node.parts {
            if let Part::Node(sub) = p {
                stack.push(sub.clone());
            }
        }
        if let Some(total) = node.total
            && !node.parts.is_empty()
        {
            let mut parts = Vec::new();
            for p in &node.parts {
                part_columns(cols, p, &mut parts, 0);
            }
            out.push((total, parts));
        }
    }
    out.sort();
    out
}

fn total_columns(
    ev: &mut Evaluator<'_, '_>,
    args: &[Node],
    span: Span,
) -> Result<Value, EvalError> {
    let ix = ev.ix;
    let mut out = Truth::simple(true);
    // The part cells of one total, reused.
    let mut cells: Vec<(u32, u32, u32)> = Vec::new();
    // The header paths of one table's columns, reused.
    let mut store: Vec<&str> = Vec::new();
    for t in all_tables(ev, args, span)? {
        store.clear();
        let ranges = amount_columns(ix, t, &mut store);
        let cols: Vec<(u32, &[&str])> = ranges
            .into_iter()
            .filter_map(|(c, r)| store.get(r).map(|path| (c, path)))
            .collect();
        let rels = relations(&cols);
        if rels.is_empty() {
            continue;
        }
        let n = ix.table(t).map(|e| e.table.rows.len()).unwrap_or(0);
        for r in (0..n).filter_map(|r| u32::try_from(r).ok()) {
            let mut inst = None;
            for (total, parts) in &rels {
                if ix.cell(t, r, *total).is_none() {
                    continue;
                }
                cells.clear();
                cells.extend(parts.iter().map(|c| (t, r, *c)));
                if let Some(b) = compare_sum(ix, (t, r, *total), &cells, span)? {
                    record(&mut inst, ix, (t, r, *total), &cells, b, "分项列", span);
                }
            }
            if let Some(i) = inst {
                out.holds = false;
                out.instances.push(i);
            }
        }
    }
    Ok(Value::Bool(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `合计行` on a two-sided table with running totals, a `其中` row and a side of its own
    /// per column group, and on a table whose first row is a total of the items below it (a
    /// child row not added) followed by a running total: exactly the broken totals are
    /// reported, each with its total cell and the part cells it was compared with.
    #[test]
    fn total_rows_report_each_broken_total_with_its_parts() {
        use crate::Engine;
        use crate::testkit::{column, table};
        use shenhe_model::{Cell, Document};

        fn cell(column: usize, cents: i64) -> Cell {
            Cell {
                column,
                value: CellValue::Number(Decimal::new(cents, 2)),
                ..Cell::default()
            }
        }
        fn side_row(label: &str, side: &str, kind: RowKind, cents: i64) -> Row {
            let column = if side == "收入" { 1 } else { 3 };
            Row {
                label: label.into(),
                kind,
                group: Some(side.into()),
                cells: vec![cell(column, cents)],
                ..Row::default()
            }
        }
        fn grouped(path: &str, kind: ColumnKind, side: &str) -> shenhe_model::Column {
            shenhe_model::Column {
                group: Some(side.into()),
                ..column(&[path], kind)
            }
        }
        fn plain_row(label: &str, kind: RowKind, parent: Option<usize>, cents: [i64; 2]) -> Row {
            Row {
                label: label.into(),
                kind,
                parent,
                cells: vec![cell(1, cents[0]), cell(2, cents[1])],
                ..Row::default()
            }
        }
        use RowKind::{Item, Total};
        let mut doc = Document::new("例.txt", "text");
        doc.tables.push(table(
            "表一",
            1,
            "收支总表",
            vec![
                grouped("项目", ColumnKind::Label, "收入"),
                grouped("金额", ColumnKind::Amount, "收入"),
                grouped("项目", ColumnKind::Label, "支出"),
                grouped("金额", ColumnKind::Amount, "支出"),
            ],
            vec![
                side_row("一、财政拨款收入", "收入", Item, 10000),
                side_row("一、基本支出", "支出", Item, 9000),
                side_row("二、其他收入", "收入", Item, 5000),
                side_row("其中：工资福利支出", "支出", Item, 4000),
                side_row("二、项目支出", "支出", Item, 6000),
                side_row("本年收入合计", "收入", Total, 15000),
                side_row("本年支出合计", "支出", Total, 15000),
                side_row("上年结转", "收入", Item, 1000),
                side_row("结转下年", "支出", Item, 1000),
                side_row("收入总计", "收入", Total, 16000),
                // 9000 + 6000 + 1000 = 16000, printed 17000.
                side_row("支出总计", "支出", Total, 17000),
            ],
        ));
        doc.tables.push(table(
            "表二",
            2,
            "支出表",
            vec![
                column(&["科目名称"], ColumnKind::Label),
                column(&["合计"], ColumnKind::Amount),
                column(&["基本支出"], ColumnKind::Amount),
            ],
            vec![
                // Items below: 1000 + 2000 = 3000 (right) and 500 + 1000 = 1500 (printed 2000).
                plain_row("合计", Total, None, [3000, 2000]),
                plain_row("甲", Item, None, [1000, 500]),
                plain_row("甲一", Item, Some(1), [1000, 500]),
                plain_row("乙", Item, None, [2000, 1000]),
                // Items above: 3000 (printed 3100) and 1500 (right).
                plain_row("总计", Total, None, [3100, 1500]),
            ],
        ));
        let rules = "语言 1\n规则 T-001 \"t\" {\n    断言 合计行(表一, 表二)\n}\n";
        let rs = Engine::new().compile(&[("例.rule", rules)]).unwrap();
        let ix = DocIndex::with_roles(&doc, &rs.profiles, &rs.roles);
        let (file, rule) = (&rs.files[0], &rs.rules[0]);
        for explain in [false, true] {
            let mut ev = rs.evaluator(&ix, file, rule, u64::MAX, explain);
            let t = ev.eval_truth(&rule.assertions[0].node).unwrap();
            assert!(!t.holds);
            if !explain {
                continue;
            }
            let cells = |i: &Instance| -> Vec<(&str, (u32, u32, u32))> {
                i.evidence
                    .iter()
                    .map(|(role, o)| match o {
                        Origin::Cell { table, row, column } => (*role, (*table, *row, *column)),
                        other => panic!("not a cell: {other:?}"),
                    })
                    .collect()
            };
            let got: Vec<_> = t.instances.iter().map(cells).collect();
            assert_eq!(
                got,
                vec![
                    vec![
                        ("合计", (0, 10, 3)),
                        ("分项", (0, 1, 3)),
                        ("分项", (0, 4, 3)),
                        ("分项", (0, 8, 3)),
                    ],
                    vec![
                        ("合计", (1, 0, 2)),
                        ("分项", (1, 1, 2)),
                        ("分项", (1, 3, 2))
                    ],
                    vec![
                        ("合计", (1, 4, 1)),
                        ("分项", (1, 1, 1)),
                        ("分项", (1, 3, 1))
                    ],
                ]
            );
            let notes: Vec<_> = t
                .instances
                .iter()
                .map(|i| i.note.clone().unwrap())
                .collect();
            assert!(notes[0].contains("170"), "{notes:?}");
            assert!(notes[0].contains("160"), "{notes:?}");
        }
    }

    #[test]
    fn total_names() {
        for n in [
            "合计",
            "总计",
            "小计",
            "本年支出合计",
            "收入总计",
            "支出合计",
        ] {
            assert!(is_total_name(n), "{n}");
        }
        for n in ["基本支出", "合计数说明", "上年结转"] {
            assert!(!is_total_name(n), "{n}");
        }
    }

    /// The printed numbers (or blanks) added up with `Num::add`, one after the other.
    fn fold_printed(cells: &[(NumKind, Option<Decimal>)]) -> Num {
        let mut sum: Option<Num> = None;
        for (k, v) in cells {
            let n = match v {
                Some(v) => Num::printed(*v, *k),
                None => Num::blank(*k),
            };
            sum = Some(match sum {
                None => n,
                Some(s) => s.add(n, false).unwrap(),
            });
        }
        sum.unwrap()
    }

    /// The mantissa sum gives exactly what folding the printed numbers with `Num::add` gives,
    /// or declines.
    #[test]
    fn mantissa_sum_matches_the_fold() {
        use shenhe_model::Unit;
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let wan = NumKind::Amount(Unit::WanYuan);
        let yuan = NumKind::Amount(Unit::Yuan);
        let fold = fold_printed;
        let agree: Vec<Vec<(NumKind, Option<Decimal>)>> = vec![
            vec![(wan, Some(d("12.34")))],
            vec![(wan, None), (wan, Some(d("1.50"))), (wan, None)],
            vec![
                (wan, Some(d("100.00"))),
                (wan, Some(d("-30.25"))),
                (wan, Some(d("0.01"))),
            ],
            vec![
                (wan, Some(d("5"))),
                (wan, Some(d("-5"))),
                (wan, Some(d("7"))),
            ],
            vec![
                (NumKind::Percent, Some(d("12.5"))),
                (NumKind::Percent, Some(d("1.0"))),
            ],
            vec![(wan, None)],
            vec![(wan, None), (wan, None), (wan, None)],
        ];
        for cells in &agree {
            let fast = sum_printed(cells.iter().map(|c| Some(*c))).unwrap();
            let slow = fold(cells);
            assert_eq!(fast.value.to_string(), slow.value.to_string(), "{cells:?}");
            assert_eq!(
                fast.value.is_sign_negative(),
                slow.value.is_sign_negative(),
                "{cells:?}"
            );
            assert_eq!(fast.blank, cells.iter().all(|c| c.1.is_none()), "{cells:?}");
            assert_eq!(fast.lo.to_string(), slow.lo.to_string(), "{cells:?}");
            assert_eq!(fast.hi.to_string(), slow.hi.to_string(), "{cells:?}");
            assert_eq!(
                (fast.kind, fast.scale),
                (slow.kind, slow.scale),
                "{cells:?}"
            );
        }
        let declined: Vec<Vec<(NumKind, Option<Decimal>)>> = vec![
            vec![],
            vec![(wan, None), (yuan, None)],
            vec![(wan, Some(d("1.5"))), (wan, Some(d("1.50")))],
            vec![(wan, Some(d("1"))), (yuan, Some(d("1")))],
            vec![(wan, Some(d("3"))), (wan, Some(d("-3")))],
            vec![(NumKind::Percent, Some(d("3"))), (wan, None)],
        ];
        for cells in &declined {
            assert!(
                sum_printed(cells.iter().map(|c| Some(*c))).is_none(),
                "{cells:?}"
            );
        }
        assert!(sum_printed([Some((wan, Some(d("1")))), None]).is_none());
    }

    /// A total found to agree on mantissas agrees as numbers: its printed bounds meet the
    /// folded sum's, in the same kind; it declines every other kind or scale, and parts all blank.
    #[test]
    fn mantissa_agreement_is_number_agreement() {
        use shenhe_model::Unit;
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let wan = NumKind::Amount(Unit::WanYuan);
        let yuan = NumKind::Amount(Unit::Yuan);
        let parts: Vec<Vec<(NumKind, Option<Decimal>)>> = vec![
            vec![(wan, Some(d("1.25"))), (wan, Some(d("2.50"))), (wan, None)],
            vec![(wan, Some(d("3"))), (wan, Some(d("-3")))],
            vec![(wan, Some(d("100.1"))), (wan, Some(d("0.1")))],
            vec![(yuan, Some(d("7")))],
            vec![(wan, None), (wan, None)],
        ];
        let totals = [
            "3.75", "3.74", "3.76", "3.73", "3.77", "3.7", "0", "1", "-1", "100.2", "100.1",
            "100.3", "100.4", "7", "6", "8", "9",
        ];
        for cells in &parts {
            let m = sum_mantissas(cells.iter().map(|c| Some(*c))).unwrap();
            let sum = fold_printed(cells);
            for kind in [wan, yuan, NumKind::Percent] {
                for t in totals {
                    let tot = Num::printed(d(t), kind);
                    let numbers = tot.kind == sum.kind
                        && cells.iter().any(|c| c.1.is_some())
                        && tot.value.scale() == sum.scale
                        && tot.bounds().meets(&sum.bounds());
                    assert_eq!(
                        m.meets_printed(kind, d(t)),
                        numbers,
                        "{t} {kind:?} {cells:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn header_relations() {
        let p = |s: &'static [&'static str]| s;
        let cols = vec![
            (1, p(&["三公", "合计"])),
            (2, p(&["三公", "因公出国"])),
            (3, p(&["三公", "公务接待费"])),
            (4, p(&["三公", "公务用车", "购置费"])),
            (5, p(&["三公", "公务用车", "运行费"])),
            (6, p(&["会议费"])),
        ];
        assert_eq!(relations(&cols), vec![(1, vec![2, 3, 4, 5])]);
        let cols = vec![
            (1, p(&["总计"])),
            (2, p(&["一般", "合计"])),
            (3, p(&["一般", "基本"])),
            (4, p(&["一般", "项目"])),
            (5, p(&["基金", "合计"])),
            (6, p(&["基金", "基本"])),
        ];
        assert_eq!(
            relations(&cols),
            vec![(1, vec![2, 5]), (2, vec![3, 4]), (5, vec![6])]
        );
    }
}
