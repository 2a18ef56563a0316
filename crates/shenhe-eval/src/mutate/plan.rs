//! The mutants of a document: which numbers get which mistakes, and how a mutant is swapped
//! into the model and back.

use rust_decimal::Decimal;
use std::collections::BTreeSet;

use shenhe_model::{
    Cell, CellValue, ColumnKind, Document, Measure, Paragraph, Row, RowKind, Section, Table, Unit,
};

use super::{Mutant, MutationKind, NARRATIVE};
/// Where a table is in the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Block {
    Table(usize),
    Form(usize),
}

/// The part of the model a mutant replaces, and with what.
#[derive(Clone, Debug)]
pub(super) enum Change {
    /// The cells of one row.
    Cells {
        block: Block,
        row: usize,
        cells: Vec<Cell>,
    },
    /// All rows of a table (a row left out).
    Rows { block: Block, rows: Vec<Row> },
    /// One paragraph of the narrative (path of section indices from the root).
    Paragraph {
        sections: Vec<usize>,
        paragraph: usize,
        text: Paragraph,
    },
}

/// A mutant ready to run.
#[derive(Clone, Debug)]
pub struct Planned {
    pub(super) mutant: Mutant,
    pub(super) change: Change,
}

impl Planned {
    /// What the mutant changes (with `caught_by` empty).
    pub fn mutant(&self) -> &Mutant {
        &self.mutant
    }
}

/// Every mutant of a document, in a stable order: the tables in model order (row by row, cell
/// by cell, kinds in [`MutationKind::ALL`] order, then each detail row left out in row order),
/// the budget blocks of performance forms, then the narrative's amounts and percentages in
/// document order.
pub fn plan(doc: &Document) -> Vec<Planned> {
    plan_only(doc, None)
}

/// Whether `only` (see [`super::Options::table`]) names table `t` shown as `name`.
fn selects(only: Option<&str>, t: &Table, name: &str) -> bool {
    let Some(only) = only.map(str::trim) else {
        return true;
    };
    !only.is_empty()
        && (name == only
            || t.number.as_ref().is_some_and(|n| n.printed == only)
            || t.role.as_deref() == Some(only)
            || name.contains(only))
}

/// [`plan`] restricted to one table (see [`super::Options::table`]).
pub fn plan_only(doc: &Document, only: Option<&str>) -> Vec<Planned> {
    let mut out = Vec::new();
    for (i, t) in doc.tables.iter().enumerate() {
        let name = t.display_name();
        if selects(only, t, &name) {
            plan_table(Block::Table(i), t, name, &mut out);
        }
    }
    for (i, f) in doc.performance.iter().enumerate() {
        let name = match &f.project_name {
            Some(p) => format!("{}「{p}」", f.title),
            None => f.title.clone(),
        };
        if selects(only, &f.budget, &name) {
            plan_table(Block::Form(i), &f.budget, name, &mut out);
        }
    }
    if only.is_some_and(|o| o.trim() != NARRATIVE) {
        return out;
    }
    let mut path = Vec::new();
    for (i, s) in doc.sections.iter().enumerate() {
        path.push(i);
        plan_section(s, &mut path, &mut out);
        path.pop();
    }
    out
}

fn column_name(t: &Table, column: usize) -> Option<String> {
    t.columns.get(column).map(|c| c.path.join("."))
}

fn is_amount_column(t: &Table, column: usize) -> bool {
    t.columns
        .get(column)
        .is_some_and(|c| c.kind == ColumnKind::Amount)
}

/// One unit of the last printed decimal place of `d`.
fn last_unit(d: Decimal) -> Decimal {
    Decimal::new(1, d.scale())
}

/// 100 units of the last printed decimal place of `d` (see [`MutationKind::Digit`]).
pub(super) fn typo_unit(d: Decimal) -> Decimal {
    Decimal::new(100, d.scale())
}

/// `d` (in `unit`) as printed in the other unit by mistake: see [`MutationKind::UnitScale`].
/// `None` for 亿元 and when the value would not change (zero).
pub(super) fn other_unit(d: Decimal, unit: Unit) -> Option<Decimal> {
    let wan = Decimal::from(10_000u32);
    let m = match unit {
        Unit::WanYuan => d.checked_mul(wan)?,
        Unit::Yuan => d.checked_div(wan)?.round_dp(2),
        Unit::YiYuan => return None,
    };
    (m != d).then_some(m)
}

fn plan_table(block: Block, t: &Table, name: String, out: &mut Vec<Planned>) {
    for (ri, row) in t.rows.iter().enumerate() {
        for (ci, cell) in row.cells.iter().enumerate() {
            if !is_amount_column(t, cell.column) {
                continue;
            }
            let value = match &cell.value {
                CellValue::Percent(d) => format!("{d}%"),
                CellValue::Number(d) => d.to_string(),
                CellValue::Blank | CellValue::Text(_) => continue,
            };
            let base = |kind, original: String, mutated: String| Mutant {
                kind,
                table: name.clone(),
                row: Some(row.label.clone()),
                column: column_name(t, cell.column),
                other_column: None,
                section: None,
                text: None,
                alone: false,
                value: value.clone(),
                original,
                mutated,
                loc: cell.loc,
                caught_by: Vec::new(),
                located: false,
            };
            let mut push = |mutant: Mutant, value: CellValue| {
                let mut cells = row.cells.clone();
                if let Some(c) = cells.get_mut(ci) {
                    c.value = value;
                    out.push(Planned {
                        mutant,
                        change: Change::Cells {
                            block,
                            row: ri,
                            cells,
                        },
                    });
                }
            };
            match cell.value {
                CellValue::Number(d) => {
                    if let Some(m) = d.checked_add(last_unit(d)) {
                        push(
                            base(MutationKind::LastDigit, d.to_string(), m.to_string()),
                            CellValue::Number(m),
                        );
                    }
                    if let Some(m) = d.checked_add(typo_unit(d)) {
                        push(
                            base(MutationKind::Digit, d.to_string(), m.to_string()),
                            CellValue::Number(m),
                        );
                    }
                    if let Some(m) = t.unit_of(cell.column).and_then(|u| other_unit(d, u)) {
                        push(
                            base(MutationKind::UnitScale, d.to_string(), m.to_string()),
                            CellValue::Number(m),
                        );
                    }
                }
                CellValue::Percent(d) => {
                    if let Some(m) = d.checked_add(last_unit(d)) {
                        push(
                            base(MutationKind::LastDigit, format!("{d}%"), format!("{m}%")),
                            CellValue::Percent(m),
                        );
                    }
                }
                CellValue::Blank | CellValue::Text(_) => {}
            }
            // Swap with the cell to the right when both are amounts and differ.
            if let (CellValue::Number(a), Some(next)) = (&cell.value, row.cells.get(ci + 1))
                && let CellValue::Number(b) = next.value
                && is_amount_column(t, next.column)
                && *a != b
            {
                let mut cells = row.cells.clone();
                if let Some(pair) = cells.get_mut(ci..ci + 2) {
                    let [x, y] = pair else { continue };
                    std::mem::swap(&mut x.value, &mut y.value);
                    let mut mutant =
                        base(MutationKind::Swap, format!("{a}、{b}"), format!("{b}、{a}"));
                    mutant.other_column = column_name(t, next.column);
                    out.push(Planned {
                        mutant,
                        change: Change::Cells {
                            block,
                            row: ri,
                            cells,
                        },
                    });
                }
            }
        }
    }
    plan_row_drops(block, t, &name, out);
}

/// A row's non-zero amounts as printed, joined with `、`; `None` when it has none.
fn amounts_of(t: &Table, row: &Row) -> Option<String> {
    let printed: Vec<String> = row
        .cells
        .iter()
        .filter(|c| is_amount_column(t, c.column))
        .filter_map(|c| match c.value {
            CellValue::Number(d) if !d.is_zero() => Some(d.to_string()),
            CellValue::Percent(d) if !d.is_zero() => Some(format!("{d}%")),
            _ => None,
        })
        .collect();
    (!printed.is_empty()).then(|| printed.join("、"))
}

/// Every detail row with a non-zero amount left out of `t` in turn (see
/// [`MutationKind::RowDrop`]); the parent indices of the rows after it are shifted.
fn plan_row_drops(block: Block, t: &Table, name: &str, out: &mut Vec<Planned>) {
    let parents: BTreeSet<usize> = t.rows.iter().filter_map(|r| r.parent).collect();
    for (ri, row) in t.rows.iter().enumerate() {
        if row.kind != RowKind::Item || parents.contains(&ri) {
            continue;
        }
        let Some(amounts) = amounts_of(t, row) else {
            continue;
        };
        let rows = t
            .rows
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != ri)
            .map(|(_, r)| {
                let mut r = r.clone();
                r.parent = r.parent.map(|p| if p > ri { p - 1 } else { p });
                r
            })
            .collect();
        out.push(Planned {
            mutant: Mutant {
                kind: MutationKind::RowDrop,
                table: name.to_string(),
                row: Some(row.label.clone()),
                column: None,
                other_column: None,
                section: None,
                text: None,
                alone: false,
                value: amounts.clone(),
                original: amounts,
                mutated: "（此行缺失）".to_string(),
                loc: Some(row.loc),
                caught_by: Vec::new(),
                located: false,
            },
            change: Change::Rows { block, rows },
        });
    }
}

fn plan_section(s: &Section, path: &mut Vec<usize>, out: &mut Vec<Planned>) {
    let title = format!("{}{}", s.number.as_deref().unwrap_or(""), s.title);
    for (pi, p) in s.paragraphs.iter().enumerate() {
        for (fi, f) in p.facts.iter().enumerate() {
            // The number is all the paragraph says (whitespace aside): a chart's label. (Only a
            // paragraph of one fact can be one; the text is compared for it alone.)
            let alone = p.facts.len() == 1
                && p.text
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .eq(f.printed.chars().filter(|c| !c.is_whitespace()));
            let mut variants: Vec<(MutationKind, Decimal, Decimal, &str)> = Vec::new();
            match &f.measure {
                Measure::Money { amount } => {
                    let d = amount.value;
                    if let Some(m) = d.checked_add(last_unit(d)) {
                        variants.push((MutationKind::LastDigit, d, m, ""));
                    }
                    if let Some(m) = d.checked_add(typo_unit(d)) {
                        variants.push((MutationKind::Digit, d, m, ""));
                    }
                    if let Some(m) = other_unit(d, amount.unit) {
                        variants.push((MutationKind::UnitScale, d, m, ""));
                    }
                }
                Measure::Percent { value } => {
                    if let Some(m) = value.checked_add(last_unit(*value)) {
                        variants.push((MutationKind::LastDigit, *value, m, "%"));
                    }
                    if let Some(m) = value.checked_add(typo_unit(*value)) {
                        variants.push((MutationKind::Digit, *value, m, "%"));
                    }
                }
                Measure::Count { .. } => {}
            }
            for (kind, from, to, suffix) in variants {
                let Some(text) = with_number(p, fi, from, to) else {
                    continue;
                };
                out.push(Planned {
                    mutant: Mutant {
                        kind,
                        table: NARRATIVE.to_string(),
                        row: None,
                        column: None,
                        other_column: None,
                        section: Some(title.clone()),
                        text: Some(f.printed.clone()),
                        alone,
                        value: format!("{from}{suffix}"),
                        original: format!("{from}{suffix}"),
                        mutated: format!("{to}{suffix}"),
                        loc: Some(f.loc),
                        caught_by: Vec::new(),
                        located: false,
                    },
                    change: Change::Paragraph {
                        sections: path.clone(),
                        paragraph: pi,
                        text,
                    },
                });
            }
        }
    }
    for (i, c) in s.children.iter().enumerate() {
        path.push(i);
        plan_section(c, path, out);
        path.pop();
    }
}

/// Paragraph `p` with the number of fact `fi` (printed as `from`) written as `to`: the text,
/// the fact (value and printed form) and the byte offsets of everything after it updated;
/// locations unchanged. `None` when the fact's text does not start with a plain decimal equal
/// to `from` (thousands separators, Chinese numerals), or a line break falls inside it.
fn with_number(p: &Paragraph, fi: usize, from: Decimal, to: Decimal) -> Option<Paragraph> {
    let f = p.facts.get(fi)?;
    let start = usize::try_from(f.start).ok()?;
    let end = usize::try_from(f.end).ok()?;
    let printed = p.text.get(start..end)?;
    let len = printed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(printed.len());
    let number = printed.get(..len)?;
    if number != from.to_string() {
        return None;
    }
    let num_end = start.checked_add(len)?;
    if p.segments.iter().any(|s| {
        let s = s.start as usize;
        s > start && s < num_end
    }) {
        return None;
    }
    let new = to.to_string();
    let shift = |x: u32| -> Option<u32> {
        let x = i64::from(x);
        let moved = x.checked_add(i64::try_from(new.len()).ok()?)?;
        u32::try_from(moved.checked_sub(i64::try_from(len).ok()?)?).ok()
    };
    let mut out = p.clone();
    out.text = format!("{}{new}{}", p.text.get(..start)?, p.text.get(num_end..)?);
    for s in &mut out.segments {
        if s.start as usize >= num_end {
            s.start = shift(s.start)?;
        }
    }
    for (i, g) in out.facts.iter_mut().enumerate() {
        if i == fi {
            g.end = shift(g.end)?;
            g.printed = out.text.get(start..g.end as usize)?.to_string();
            match &mut g.measure {
                Measure::Money { amount } => amount.value = to,
                Measure::Percent { value } => *value = to,
                Measure::Count { value, .. } => *value = to,
            }
        } else if g.start as usize >= num_end {
            g.start = shift(g.start)?;
            g.end = shift(g.end)?;
        }
    }
    Some(out)
}

fn section_mut<'a>(doc: &'a mut Document, path: &[usize]) -> Option<&'a mut Section> {
    let (first, rest) = path.split_first()?;
    let mut s = doc.sections.get_mut(*first)?;
    for i in rest {
        s = s.children.get_mut(*i)?;
    }
    Some(s)
}

fn table_mut(doc: &mut Document, block: Block) -> Option<&mut Table> {
    match block {
        Block::Table(i) => doc.tables.get_mut(i),
        Block::Form(i) => doc.performance.get_mut(i).map(|f| &mut f.budget),
    }
}

/// Swaps the change into `doc` (and the replaced part into `change`); applying it twice
/// restores the document. `None` when the place does not exist in `doc`.
pub(super) fn swap_in(doc: &mut Document, change: &mut Change) -> Option<()> {
    match change {
        Change::Cells { block, row, cells } => {
            let table = table_mut(doc, *block)?;
            std::mem::swap(&mut table.rows.get_mut(*row)?.cells, cells);
        }
        Change::Rows { block, rows } => std::mem::swap(&mut table_mut(doc, *block)?.rows, rows),
        Change::Paragraph {
            sections,
            paragraph,
            text,
        } => {
            let p = section_mut(doc, sections)?.paragraphs.get_mut(*paragraph)?;
            std::mem::swap(p, text);
        }
    }
    Some(())
}
