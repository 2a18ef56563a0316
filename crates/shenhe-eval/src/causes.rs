//! Common causes: one cell whose value, if it were different, would resolve several findings at
//! once. A wrong subtotal typically fails the table's own sum, the identity with another table
//! and the narrative that restates it; reported together, the auditor sees one error, not three.
//!
//! Each failed equality of two amounts gives its repairs: for every cell on one side of it, the
//! value that cell would need for the two sides to be equal. A side is only repaired through its
//! cells when it is, to the cent, the plain sum of those cells (a direct cell, `sum(…)`, a total
//! row against its parts): that is checked on the numbers, not assumed from the rule, so a side
//! computed by a difference, a product or a share gives no repair. Repairs of different
//! findings that name the same cell and the same value are one cause.

use rust_decimal::Decimal;
use serde::Serialize;
use shenhe_lang::ast::CompareOp;
use shenhe_model::Unit;

use crate::docindex::DocIndex;
use crate::finding::{Finding, Location};
use crate::num::{Num, NumKind, decimal_text, show};
use crate::value::{CompareRecord, Origin, Value};

/// Evidence roles of the left side of a comparison (`左 − 右` is its difference).
const LEFT: [&str; 3] = ["左", "合计", "上级"];
/// Evidence roles of the right side.
const RIGHT: [&str; 3] = ["右", "分项", "下级"];

/// One cell's value that would make a failed equality hold. Only numbers: the text of a
/// cause is written when repairs of two findings meet (most repairs meet none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repair {
    pub table: u32,
    pub row: u32,
    pub column: u32,
    /// The value, exactly, in 元 (normalised): repairs are grouped by it.
    key: Decimal,
    /// The finding's location of the cell.
    location: usize,
    /// The value the cell would need and the change, as shown: value, decimals, unit.
    suggested: Shown,
    change: Shown,
}

/// An amount as it is shown: value, decimals, unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Shown(Decimal, u32, Unit);

impl Shown {
    fn of(n: &Num) -> Option<Shown> {
        match n.kind {
            NumKind::Amount(u) => Some(Shown(n.value, n.scale, u)),
            _ => None,
        }
    }

    fn text(self, signed: bool) -> String {
        let Shown(v, scale, unit) = self;
        let sign = if signed && !v.is_sign_negative() {
            "+"
        } else {
            ""
        };
        [sign, &decimal_text(show(v, scale)), unit.name()].concat()
    }
}

/// A cell whose value would resolve two or more findings of a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// The cell (role `单元格`), with the value printed there.
    pub location: Location,
    /// The value that resolves the findings, with its unit.
    pub suggested: String,
    /// The change from what is printed, with its sign and unit.
    pub change: String,
    /// The findings it resolves: indices into the report's findings, in order.
    pub findings: Vec<usize>,
    /// `suggested` as a number.
    #[serde(skip)]
    value: Shown,
}

impl Cause {
    /// Whether the cause gives `number` for its cell (in `unit` when one is asked for).
    pub fn gives(&self, number: Decimal, unit: Option<Unit>) -> bool {
        let Shown(v, _, u) = self.value;
        v == number && unit.is_none_or(|w| w == u)
    }
}

/// The repairs of one failed comparison (none unless it is an equality of two amounts that
/// failed by a nonzero difference).
///
/// `located` gives, for a cell, the index of the finding's location that shows it.
pub fn repairs(
    ix: &DocIndex<'_>,
    c: &CompareRecord,
    evidence: &[(&'static str, Origin)],
    negated: bool,
    located: impl Fn(&Origin) -> Option<usize>,
) -> Vec<Repair> {
    let mut out = Vec::new();
    if negated || !matches!(c.op, CompareOp::Eq | CompareOp::StrictEq) {
        return out;
    }
    let Some(d) = &c.difference else {
        return out;
    };
    if !matches!(d.kind, NumKind::Amount(_)) || d.value.is_zero() {
        return out;
    }
    // The arithmetic below needs no origins: every sum would copy them.
    let d = bare(d);
    for (side, roles, toward) in [(&c.left, &LEFT, true), (&c.right, &RIGHT, false)] {
        let Some(side) = number(ix, side) else {
            continue;
        };
        let mut cells: Vec<(u32, u32, u32)> = Vec::new();
        let mut only_cells = true;
        for (_, o) in evidence.iter().filter(|(r, _)| roles.contains(r)) {
            match o {
                Origin::Cell { table, row, column } => {
                    if !cells.contains(&(*table, *row, *column)) {
                        cells.push((*table, *row, *column));
                    }
                }
                // A side that also stands on text or a whole row is not a sum of cells.
                _ => only_cells = false,
            }
        }
        if cells.is_empty() || !only_cells {
            continue;
        }
        let nums: Vec<Num> = cells
            .iter()
            .filter_map(|&(t, r, col)| ix.cell_num_with(t, r, col, false).ok())
            .collect();
        if nums.len() != cells.len() || !sums_to(&nums, &side) {
            continue;
        }
        // Left side: the cell less the difference; right side: the cell plus it.
        // A side written by the rule (`左`, `右`) may subtract a cell: a zero cell does not show
        // in the sum check, so it gets no repair there. The totals built-ins (合计/分项,
        // 上级/下级) only ever add theirs, blank ones included.
        let written = roles
            .first()
            .is_some_and(|w| evidence.iter().any(|(r, _)| r == w));
        for (&(t, r, col), n) in cells.iter().zip(nums) {
            if written && n.value.is_zero() {
                continue;
            }
            let Ok(new) = n.clone().add(d.clone(), toward) else {
                continue;
            };
            // An amount cannot be made negative to fix a sum.
            if new.value.is_sign_negative() && !new.value.is_zero() {
                continue;
            }
            let Some(key) = in_yuan(&new) else { continue };
            let cell = Origin::Cell {
                table: t,
                row: r,
                column: col,
            };
            let Some(location) = located(&cell) else {
                continue;
            };
            let Ok(change) = new.clone().add(n, true) else {
                continue;
            };
            let (Some(suggested), Some(change)) = (Shown::of(&new), Shown::of(&change)) else {
                continue;
            };
            out.push(Repair {
                table: t,
                row: r,
                column: col,
                key,
                location,
                suggested,
                change,
            });
        }
    }
    out
}

/// A number without the places it came from.
fn bare(n: &Num) -> Num {
    Num {
        origins: Vec::new(),
        ..*n
    }
}

/// A compared side as a number (without its origins): a computed one, or a cell.
fn number(ix: &DocIndex<'_>, v: &Value) -> Option<Num> {
    match v {
        Value::Num(n) => Some(bare(n)),
        Value::Cell(t, r, c) => ix.cell_num_with(*t, *r, *c, false).ok(),
        _ => None,
    }
}

/// Whether `side` is exactly the sum of `nums`.
fn sums_to(nums: &[Num], side: &Num) -> bool {
    let mut sum: Option<Num> = None;
    for n in nums {
        sum = match sum {
            None => Some(n.clone()),
            Some(s) => match s.add(n.clone(), false) {
                Ok(s) => Some(s),
                Err(_) => return false,
            },
        };
    }
    sum.and_then(|s| s.add(side.clone(), true).ok())
        .is_some_and(|diff| diff.value.is_zero())
}

/// An amount's exact value in 元, normalised (`821.07万元` → `8210700`).
fn in_yuan(n: &Num) -> Option<Decimal> {
    let zero = Num::exact(Decimal::ZERO, NumKind::Amount(Unit::Yuan));
    zero.add(n.clone(), false).ok().map(|y| y.value.normalize())
}

/// The causes among a document's findings (in report order): every cell and value that two or
/// more findings' repairs share, the most findings first (then in document order). A cause
/// whose findings are all another cause's is left out.
pub fn group(findings: &[Finding]) -> Vec<Cause> {
    // (repair, the finding it came from, findings) in order of first appearance.
    let mut groups: Vec<(&Repair, usize, Vec<usize>)> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        for rep in &f.repairs {
            match groups.iter_mut().find(|(g, _, _)| {
                (g.table, g.row, g.column, g.key) == (rep.table, rep.row, rep.column, rep.key)
            }) {
                Some((_, _, members)) if !members.contains(&i) => members.push(i),
                Some(_) => {}
                None => groups.push((rep, i, vec![i])),
            }
        }
    }
    groups.retain(|(_, _, m)| m.len() >= 2);
    // Stable: ties keep the order of first appearance.
    groups.sort_by_key(|(_, _, m)| std::cmp::Reverse(m.len()));
    let mut out: Vec<Cause> = Vec::new();
    for (rep, first, members) in groups {
        if out
            .iter()
            .any(|c| members.iter().all(|m| c.findings.contains(m)))
        {
            continue;
        }
        let Some(l) = findings
            .get(first)
            .and_then(|f| f.locations.get(rep.location))
        else {
            continue;
        };
        out.push(Cause {
            location: Location {
                role: "单元格".into(),
                ..l.clone()
            },
            suggested: rep.suggested.text(false),
            change: rep.change.text(true),
            findings: members,
            value: rep.suggested,
        });
    }
    out
}
