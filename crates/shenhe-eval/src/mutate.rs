//! Mutation testing of a rule set on one document: how well do the rules guard it?
//!
//! Every disclosed number gets small, realistic mistakes made to it, one at a time, in the
//! document model ([`plan`]): the printed value one unit of its last decimal off
//! (`721.07` → `721.08`), a 万元 amount written in 元 (× 10 000), two adjacent amounts of a row
//! swapped. Each mutant is checked with the rules ([`run`]) and counts as *caught* when its
//! findings differ from the findings on the unchanged document, compared per rule by what each
//! finding saw: its places and values, as the fingerprint hashes them, but not the narrative
//! text it quotes (so a new finding, a changed one and one that went away all count, while a
//! template-leftover finding quoting a sentence whose number changed does not). The mutants
//! no rule catches are the disclosed numbers the rule set does not check.
//!
//! A mutant changes values only: cells keep their locations, and a narrative amount keeps its
//! location while its paragraph text, the fact and the byte offsets after it are updated
//! together, so the mutated model stays consistent and survivors can be shown in place.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use shenhe_model::{
    Cell, CellValue, ColumnKind, Document, Loc, Measure, Paragraph, Section, Table, Unit,
};

use crate::finding::Finding;
use crate::report::Report;
use crate::ruleset::RuleSet;

/// A kind of mistake.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MutationKind {
    /// The printed value plus one unit of its last decimal place (`721.07` → `721.08`). Often
    /// within the rounding tolerance of `==` (two printed values 0.01 apart may stand for the
    /// same amount), so only exact comparisons and restatements catch it.
    LastDigit,
    /// A mistyped digit: the third digit from the end of the printed value plus one, i.e. 100
    /// units of the last decimal place (`721.07` → `722.07`, `24.7` → `34.7`, `8640` → `8740`).
    /// Far enough from the printed value for sums of many rounded values to notice.
    Digit,
    /// 元 and 万元 mixed up: in a 万元 column the amount written in 元 (times 10 000,
    /// `721.07` → `7210700.00`), in a 元 column written in 万元 (divided by 10 000, two
    /// decimals: `7210700.00` → `721.07`).
    UnitScale,
    /// Two adjacent amounts of a row swapped.
    Swap,
}

impl MutationKind {
    /// Every kind, in report order.
    pub const ALL: [MutationKind; 4] = [
        MutationKind::LastDigit,
        MutationKind::Digit,
        MutationKind::UnitScale,
        MutationKind::Swap,
    ];

    /// The Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            MutationKind::LastDigit => "末位加一",
            MutationKind::Digit => "错一位数字",
            MutationKind::UnitScale => "元与万元混填",
            MutationKind::Swap => "相邻两栏互换",
        }
    }
}

/// The group survivors and tallies of narrative amounts are listed under.
pub const NARRATIVE: &str = "情况说明";

/// One mutant: what was changed where, and which rules noticed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mutant {
    pub kind: MutationKind,
    /// The table's display name (`表三 部门支出总体情况表`, a form's title), or
    /// [`NARRATIVE`] for an amount in the narrative.
    pub table: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    /// The column's header path joined with `.`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// For a swap: the column of the other cell (to the right).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_column: Option<String>,
    /// For a narrative amount: its section (number and title).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// For a narrative amount: the text as printed (`821.07 万元`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The value printed at `loc` (for a swap, the left cell's).
    pub value: String,
    /// As printed before (`721.07`; for a swap `721.07、100.00`).
    pub original: String,
    /// As printed in the mutant.
    pub mutated: String,
    /// Where the (first) changed value stands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loc: Option<Loc>,
    /// Rules whose findings differ from the unchanged document's, by rule id. Empty: the
    /// mutant survived.
    pub caught_by: Vec<String>,
}

impl Mutant {
    pub fn caught(&self) -> bool {
        !self.caught_by.is_empty()
    }
}

/// Caught out of total; serialised with `survived` and `score` (`null` when there were none).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub total: usize,
    pub caught: usize,
}

impl Tally {
    fn add(&mut self, caught: bool) {
        self.total += 1;
        if caught {
            self.caught += 1;
        }
    }

    /// Mutants that survived.
    pub fn survived(&self) -> usize {
        self.total.saturating_sub(self.caught)
    }

    /// `caught / total`; `None` when there were no mutants.
    pub fn score(&self) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        // Counts of mutants are far below 2^52: the conversions are exact.
        Some(self.caught as f64 / self.total as f64)
    }
}

impl Serialize for Tally {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Tally", 4)?;
        st.serialize_field("total", &self.total)?;
        st.serialize_field("caught", &self.caught)?;
        st.serialize_field("survived", &self.survived())?;
        st.serialize_field("score", &self.score())?;
        st.end()
    }
}

/// The tally of one table (or of the narrative).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TableTally {
    pub table: String,
    #[serde(flatten)]
    pub tally: Tally,
    /// Its numbers: `caught` counts those with at least one mutant caught.
    pub numbers: Tally,
}

/// One disclosed number (a cell, or an amount in the narrative) and what its mutants did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    pub table: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// As printed.
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loc: Option<Loc>,
    /// Its mutants (a swap counts for the left cell).
    pub mutants: usize,
    pub caught: usize,
    /// The kinds of its mutants that survived, in [`MutationKind::ALL`] order.
    pub survived: Vec<MutationKind>,
}

impl Place {
    /// Whether some rule noticed a change of this number.
    pub fn checked(&self) -> bool {
        self.caught > 0
    }

    fn of(m: &Mutant) -> Place {
        Place {
            table: m.table.clone(),
            row: m.row.clone(),
            column: m.column.clone(),
            section: m.section.clone(),
            text: m.text.clone(),
            value: m.value.clone(),
            loc: m.loc,
            mutants: 0,
            caught: 0,
            survived: Vec::new(),
        }
    }

    fn is_of(&self, m: &Mutant) -> bool {
        self.loc == m.loc
            && self.table == m.table
            && self.row == m.row
            && self.column == m.column
            && self.section == m.section
            && self.text == m.text
    }
}

/// The tally of one kind of mutation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KindTally {
    pub kind: MutationKind,
    #[serde(flatten)]
    pub tally: Tally,
}

/// How many mutants one rule caught.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleTally {
    pub rule_id: String,
    pub caught: usize,
}

/// The result of mutation testing one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MutationReport {
    /// Findings on the unchanged document.
    pub baseline_findings: usize,
    /// Mutants the document allows (before `limit`).
    pub generated: usize,
    /// Mutants chosen but not run: their place was not found in the document, or the worker
    /// running them stopped. Not in any tally; should be 0.
    pub not_run: usize,
    pub overall: Tally,
    /// Numbers with at least one mutant caught, out of the numbers mutated: cell coverage.
    pub numbers: Tally,
    /// In [`MutationKind::ALL`] order (kinds with no mutant left out).
    pub by_kind: Vec<KindTally>,
    /// In document-model order: tables, performance forms, then the narrative.
    pub by_table: Vec<TableTally>,
    /// Every rule of the set, in rule order.
    pub by_rule: Vec<RuleTally>,
    /// Every number mutated, in mutant order.
    pub places: Vec<Place>,
    /// Every mutant run, in order (tables top to bottom, row by row, left to right).
    pub mutants: Vec<Mutant>,
}

impl MutationReport {
    /// The mutants no rule caught.
    pub fn survivors(&self) -> impl Iterator<Item = &Mutant> {
        self.mutants.iter().filter(|m| !m.caught())
    }

    /// The numbers no rule noticed any change of.
    pub fn unchecked(&self) -> impl Iterator<Item = &Place> {
        self.places.iter().filter(|p| !p.checked())
    }
}

/// Options of [`run`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Mutate only this table: its printed number (`表三`), its role (`支出总表`), its display
    /// name or a part of its title; [`NARRATIVE`] for the narrative's amounts.
    pub table: Option<String>,
    /// Run at most this many mutants, spread evenly over the whole list (every k-th).
    pub limit: Option<usize>,
    /// Worker threads (0 or 1: run on the calling thread).
    pub threads: usize,
}

/// Where a table is in the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Table(usize),
    Form(usize),
}

/// The part of the model a mutant replaces, and with what.
#[derive(Clone, Debug)]
enum Change {
    /// The cells of one row.
    Cells {
        block: Block,
        row: usize,
        cells: Vec<Cell>,
    },
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
    mutant: Mutant,
    change: Change,
}

impl Planned {
    /// What the mutant changes (with `caught_by` empty).
    pub fn mutant(&self) -> &Mutant {
        &self.mutant
    }
}

/// Every mutant of a document, in a stable order: the tables in model order (row by row, cell
/// by cell, kinds in [`MutationKind::ALL`] order), the budget blocks of performance forms, then
/// the narrative's amounts and percentages in document order.
pub fn plan(doc: &Document) -> Vec<Planned> {
    plan_only(doc, None)
}

/// Whether `only` (see [`Options::table`]) names table `t` shown as `name`.
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

/// [`plan`] restricted to one table (see [`Options::table`]).
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
fn typo_unit(d: Decimal) -> Decimal {
    Decimal::new(100, d.scale())
}

/// `d` (in `unit`) as printed in the other unit by mistake: see [`MutationKind::UnitScale`].
/// `None` for 亿元 and when the value would not change (zero).
fn other_unit(d: Decimal, unit: Unit) -> Option<Decimal> {
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
                value: value.clone(),
                original,
                mutated,
                loc: cell.loc,
                caught_by: Vec::new(),
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
}

fn plan_section(s: &Section, path: &mut Vec<usize>, out: &mut Vec<Planned>) {
    let title = format!("{}{}", s.number.as_deref().unwrap_or(""), s.title);
    for (pi, p) in s.paragraphs.iter().enumerate() {
        for (fi, f) in p.facts.iter().enumerate() {
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
                        value: format!("{from}{suffix}"),
                        original: format!("{from}{suffix}"),
                        mutated: format!("{to}{suffix}"),
                        loc: Some(f.loc),
                        caught_by: Vec::new(),
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

/// Swaps the change into `doc` (and the replaced part into `change`); applying it twice
/// restores the document. `None` when the place does not exist in `doc`.
fn swap_in(doc: &mut Document, change: &mut Change) -> Option<()> {
    match change {
        Change::Cells { block, row, cells } => {
            let table = match block {
                Block::Table(i) => doc.tables.get_mut(*i)?,
                Block::Form(i) => &mut doc.performance.get_mut(*i)?.budget,
            };
            std::mem::swap(&mut table.rows.get_mut(*row)?.cells, cells);
        }
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

/// What a finding saw, for telling whether a mutant changed it: the rule, the places (location
/// key), both sides of the comparison and the value at each place. Like the fingerprint
/// ([`crate::waiver::fingerprint`]) but without the quoted narrative text: a finding that merely
/// quotes a sentence in which a number changed (a template leftover) did not notice the change.
fn seen(f: &Finding) -> String {
    let mut out = crate::waiver::location_key(f);
    if let Some(v) = &f.values {
        out.push('\u{1f}');
        out.push_str(&v.left.printed);
        out.push_str(v.comparison);
        out.push_str(&v.right.printed);
    }
    for l in &f.locations {
        out.push('\u{1f}');
        out.push_str(l.value.as_deref().unwrap_or(""));
    }
    out
}

/// Each rule's findings, as what they saw (sorted).
fn signature(report: &Report) -> BTreeMap<&str, Vec<String>> {
    let mut out: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for f in &report.findings {
        out.entry(f.rule_id.as_str()).or_default().push(seen(f));
    }
    for v in out.values_mut() {
        v.sort_unstable();
    }
    out
}

/// The rules whose findings differ between two signatures, in id order.
fn differing(
    base: &BTreeMap<&str, Vec<String>>,
    other: &BTreeMap<&str, Vec<String>>,
) -> Vec<String> {
    let mut ids: Vec<&str> = base.keys().chain(other.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter(|id| base.get(id) != other.get(id))
        .map(str::to_string)
        .collect()
}

/// Runs `planned` (in order) against `doc`; each result is `None` when its change could not be
/// applied.
fn run_all(
    rules: &RuleSet,
    doc: &Document,
    base: &BTreeMap<&str, Vec<String>>,
    planned: &[&Planned],
) -> Vec<Option<Vec<String>>> {
    let mut work = doc.clone();
    planned
        .iter()
        .map(|p| {
            let mut change = p.change.clone();
            swap_in(&mut work, &mut change)?;
            let report = rules.check(&work);
            let caught = differing(base, &signature(&report));
            // Put the original back: `change` now holds it.
            swap_in(&mut work, &mut change)?;
            Some(caught)
        })
        .collect()
}

/// Picks at most `limit` of `n` indices, spread evenly (every k-th), in order.
fn pick(n: usize, limit: Option<usize>) -> Vec<usize> {
    match limit {
        Some(l) if l < n => (0..l)
            .filter_map(|i| i.checked_mul(n).map(|x| x / l))
            .collect(),
        _ => (0..n).collect(),
    }
}

/// Checks `doc` once, then every mutant of it (see [`plan`]), and tallies which were caught.
pub fn run(rules: &RuleSet, doc: &Document, options: &Options) -> MutationReport {
    let baseline = rules.check(doc);
    let base = signature(&baseline);
    let all = plan_only(doc, options.table.as_deref());
    let chosen: Vec<&Planned> = pick(all.len(), options.limit)
        .into_iter()
        .filter_map(|i| all.get(i))
        .collect();
    let threads = options.threads.clamp(1, chosen.len().max(1));
    let results: Vec<Option<Vec<String>>> = if threads <= 1 {
        run_all(rules, doc, &base, &chosen)
    } else {
        let size = chosen.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = chosen
                .chunks(size)
                .map(|chunk| scope.spawn(|| run_all(rules, doc, &base, chunk)))
                .collect();
            handles
                .into_iter()
                .zip(chosen.chunks(size))
                .flat_map(|(h, chunk)| match h.join() {
                    Ok(r) => r,
                    // A panicking worker loses its chunk: those mutants count as not run.
                    Err(_) => vec![None; chunk.len()],
                })
                .collect()
        })
    };
    let mut mutants = Vec::with_capacity(chosen.len());
    for (p, r) in chosen.iter().zip(results) {
        if let Some(caught_by) = r {
            let mut m = p.mutant.clone();
            m.caught_by = caught_by;
            mutants.push(m);
        }
    }
    let mut report = tally(rules, baseline.findings.len(), all.len(), mutants);
    report.not_run = chosen.len().saturating_sub(report.mutants.len());
    report
}

fn tally(
    rules: &RuleSet,
    baseline_findings: usize,
    generated: usize,
    mutants: Vec<Mutant>,
) -> MutationReport {
    let mut overall = Tally::default();
    let mut by_kind: BTreeMap<MutationKind, Tally> = BTreeMap::new();
    let mut by_table: Vec<(String, Tally)> = Vec::new();
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut places: Vec<Place> = Vec::new();
    for m in &mutants {
        let caught = m.caught();
        // Mutants of one number are adjacent in plan order; look back a little only.
        let place = match places.iter_mut().rev().take(8).find(|p| p.is_of(m)) {
            Some(p) => p,
            None => {
                places.push(Place::of(m));
                match places.last_mut() {
                    Some(p) => p,
                    None => continue,
                }
            }
        };
        place.mutants += 1;
        if caught {
            place.caught += 1;
        } else if !place.survived.contains(&m.kind) {
            place.survived.push(m.kind);
        }
        overall.add(caught);
        by_kind.entry(m.kind).or_default().add(caught);
        match by_table.iter_mut().find(|(t, _)| *t == m.table) {
            Some((_, t)) => t.add(caught),
            None => {
                let mut t = Tally::default();
                t.add(caught);
                by_table.push((m.table.clone(), t));
            }
        }
        for id in &m.caught_by {
            *by_rule.entry(id.as_str()).or_default() += 1;
        }
    }
    let mut numbers = Tally::default();
    let mut table_numbers: BTreeMap<&str, Tally> = BTreeMap::new();
    for p in &places {
        numbers.add(p.checked());
        table_numbers
            .entry(p.table.as_str())
            .or_default()
            .add(p.checked());
    }
    MutationReport {
        baseline_findings,
        generated,
        not_run: 0,
        overall,
        numbers,
        by_kind: MutationKind::ALL
            .iter()
            .filter_map(|k| {
                by_kind.get(k).map(|t| KindTally {
                    kind: *k,
                    tally: *t,
                })
            })
            .collect(),
        by_table: by_table
            .into_iter()
            .map(|(table, t)| TableTally {
                numbers: table_numbers
                    .get(table.as_str())
                    .copied()
                    .unwrap_or_default(),
                table,
                tally: t,
            })
            .collect(),
        by_rule: rules
            .rules()
            .into_iter()
            .map(|r| RuleTally {
                caught: by_rule.get(r.id.as_str()).copied().unwrap_or(0),
                rule_id: r.id,
            })
            .collect(),
        places,
        mutants,
    }
}

#[cfg(test)]
mod tests {
    use shenhe_model::{
        Amount, Column, Fact, Row, RowKind, Section, Table, TableNumber, TextSegment,
    };

    use super::*;
    use crate::Engine;

    fn num(v: i64, scale: u32, column: usize, line: u32) -> Cell {
        Cell {
            column,
            value: CellValue::Number(Decimal::new(v, scale)),
            loc: Some(Loc::text(line, column as u32 * 10, 0, 4)),
            ..Cell::default()
        }
    }

    /// 表三 with a total row and two details in 合计 (checked by the rule) and in 其他 (read by
    /// no rule), and a narrative sentence restating the total.
    fn doc() -> Document {
        let mut doc = Document::new("例.txt", "text");
        let col = |name: &str, kind| Column {
            path: vec![name.into()],
            kind,
            ..Column::default()
        };
        doc.tables.push(Table {
            number: Some(TableNumber {
                printed: "表三".into(),
                ordinal: 3,
            }),
            title: "部门支出总体情况表".into(),
            unit: Some(Unit::WanYuan),
            columns: vec![
                col("科目名称", ColumnKind::Label),
                col("合计", ColumnKind::Amount),
                col("其他", ColumnKind::Amount),
            ],
            rows: vec![
                Row {
                    label: "总计".into(),
                    kind: RowKind::Total,
                    cells: vec![num(1000, 2, 1, 1), num(500, 2, 2, 1)],
                    ..Row::default()
                },
                Row {
                    label: "行政运行".into(),
                    cells: vec![num(400, 2, 1, 2), num(200, 2, 2, 2)],
                    ..Row::default()
                },
                Row {
                    label: "机关服务".into(),
                    cells: vec![num(600, 2, 1, 3), num(300, 2, 2, 3)],
                    ..Row::default()
                },
            ],
            ..Table::default()
        });
        let text = "支出总计10.00万元，其中行政运行4.00万元。".to_string();
        let fact = |printed: &str, value: i64| {
            let start = text.find(printed).unwrap();
            Fact {
                measure: Measure::Money {
                    amount: Amount::new(Decimal::new(value, 2), Unit::WanYuan),
                },
                printed: printed.into(),
                start: start as u32,
                end: (start + printed.len()) as u32,
                loc: Loc::text(10, 1, start as u32, printed.len() as u32),
            }
        };
        let facts = vec![fact("10.00万元", 1000), fact("4.00万元", 400)];
        doc.sections.push(Section {
            number: Some("一、".into()),
            title: "支出预算".into(),
            depth: 1,
            paragraphs: vec![Paragraph {
                segments: vec![
                    TextSegment {
                        start: 0,
                        loc: Loc::text(10, 1, 0, 0),
                    },
                    // A line break after 其中.
                    TextSegment {
                        start: text.find("行政").unwrap() as u32,
                        loc: Loc::text(11, 1, 100, 0),
                    },
                ],
                text,
                facts,
            }],
            ..Section::default()
        });
        doc
    }

    fn rules() -> RuleSet {
        Engine::new()
            .compile(&[(
                "例.rule",
                "语言 1\n规则 LI-001 \"合计等于明细之和\" {\n  断言 表三.总计.合计 == sum(表三.合计)\n}\n\
                 规则 LI-002 \"合计不小于 0\" {\n  断言 表三.总计.合计 >= 0\n}\n",
            )])
            .unwrap()
    }

    fn find<'a>(r: &'a MutationReport, kind: MutationKind, row: &str, col: &str) -> &'a Mutant {
        r.mutants
            .iter()
            .find(|m| {
                m.kind == kind && m.row.as_deref() == Some(row) && m.column.as_deref() == Some(col)
            })
            .unwrap()
    }

    #[test]
    fn yuan_and_wan_mixed_up_both_ways() {
        let d = |v: i64, s: u32| Decimal::new(v, s);
        assert_eq!(
            other_unit(d(72107, 2), Unit::WanYuan),
            Some(d(721070000, 2))
        );
        assert_eq!(other_unit(d(721070000, 2), Unit::Yuan), Some(d(72107, 2)));
        assert_eq!(other_unit(d(123456789, 2), Unit::Yuan), Some(d(12346, 2)));
        assert_eq!(other_unit(d(0, 2), Unit::WanYuan), None);
        assert_eq!(other_unit(d(4, 2), Unit::Yuan), Some(d(0, 2)));
        assert_eq!(other_unit(d(5, 0), Unit::YiYuan), None);
    }

    #[test]
    fn a_mistyped_digit_is_the_third_from_the_end() {
        let typo = |v: i64, s: u32| Decimal::new(v, s) + typo_unit(Decimal::new(v, s));
        assert_eq!(typo(72107, 2).to_string(), "722.07");
        assert_eq!(typo(247, 1).to_string(), "34.7");
        assert_eq!(typo(8640, 0).to_string(), "8740");
        assert_eq!(typo(0, 0).to_string(), "100");
    }

    #[test]
    fn plan_is_complete_and_ordered() {
        let planned = plan(&doc());
        let listed: Vec<String> = planned
            .iter()
            .map(|p| {
                let m = p.mutant();
                format!(
                    "{:?} {} {} {} → {}",
                    m.kind,
                    m.row.as_deref().or(m.section.as_deref()).unwrap_or(""),
                    m.column.as_deref().or(m.text.as_deref()).unwrap_or(""),
                    m.original,
                    m.mutated
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                "LastDigit 总计 合计 10.00 → 10.01",
                "Digit 总计 合计 10.00 → 11.00",
                "UnitScale 总计 合计 10.00 → 100000.00",
                "Swap 总计 合计 10.00、5.00 → 5.00、10.00",
                "LastDigit 总计 其他 5.00 → 5.01",
                "Digit 总计 其他 5.00 → 6.00",
                "UnitScale 总计 其他 5.00 → 50000.00",
                "LastDigit 行政运行 合计 4.00 → 4.01",
                "Digit 行政运行 合计 4.00 → 5.00",
                "UnitScale 行政运行 合计 4.00 → 40000.00",
                "Swap 行政运行 合计 4.00、2.00 → 2.00、4.00",
                "LastDigit 行政运行 其他 2.00 → 2.01",
                "Digit 行政运行 其他 2.00 → 3.00",
                "UnitScale 行政运行 其他 2.00 → 20000.00",
                "LastDigit 机关服务 合计 6.00 → 6.01",
                "Digit 机关服务 合计 6.00 → 7.00",
                "UnitScale 机关服务 合计 6.00 → 60000.00",
                "Swap 机关服务 合计 6.00、3.00 → 3.00、6.00",
                "LastDigit 机关服务 其他 3.00 → 3.01",
                "Digit 机关服务 其他 3.00 → 4.00",
                "UnitScale 机关服务 其他 3.00 → 30000.00",
                "LastDigit 一、支出预算 10.00万元 10.00 → 10.01",
                "Digit 一、支出预算 10.00万元 10.00 → 11.00",
                "UnitScale 一、支出预算 10.00万元 10.00 → 100000.00",
                "LastDigit 一、支出预算 4.00万元 4.00 → 4.01",
                "Digit 一、支出预算 4.00万元 4.00 → 5.00",
                "UnitScale 一、支出预算 4.00万元 4.00 → 40000.00",
            ]
        );
    }

    #[test]
    fn a_summed_cell_is_caught_and_an_unread_cell_survives() {
        let r = run(&rules(), &doc(), &Options::default());
        assert_eq!(r.baseline_findings, 0);
        // A typo in a detail of the checked sum: LI-001 fails.
        let m = find(&r, MutationKind::Digit, "行政运行", "合计");
        assert_eq!(m.caught_by, ["LI-001"]);
        // 0.01 off is within the rounding tolerance of a sum of two printed values.
        assert!(!find(&r, MutationKind::LastDigit, "行政运行", "合计").caught());
        // Swapping a summed detail with an unread neighbour changes the sum.
        assert!(find(&r, MutationKind::Swap, "机关服务", "合计").caught());
        // No rule reads 其他: every mutant of it survives.
        for m in r
            .mutants
            .iter()
            .filter(|m| m.column.as_deref() == Some("其他"))
        {
            assert!(!m.caught(), "{m:?}");
        }
        let unchecked: Vec<(&str, &str)> = r
            .unchecked()
            .map(|p| {
                (
                    p.row.as_deref().or(p.text.as_deref()).unwrap_or(""),
                    p.column.as_deref().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            unchecked,
            [
                ("总计", "其他"),
                ("行政运行", "其他"),
                ("机关服务", "其他"),
                ("10.00万元", ""),
                ("4.00万元", "")
            ]
        );
        let place = r.places.first().unwrap();
        assert_eq!(
            (place.value.as_str(), place.mutants, place.caught),
            ("10.00", 4, 3)
        );
        assert_eq!(place.survived, [MutationKind::LastDigit]);
    }

    /// A finding that only quotes a sentence does not catch a change of a number in it; a new
    /// finding does.
    #[test]
    fn quoting_a_changed_sentence_is_not_catching() {
        let rules = Engine::new()
            .compile(&[(
                "例.rule",
                "语言 1\n规则 LI-003 \"总计的写法\" {\n  断言 每处 \"总计{甲:金额}\": 假\n}\n\
                 规则 LI-004 \"行政运行不超过 4.5 万元\" {\n  断言 每处 \"行政运行{乙:金额}\": 乙 <= 4.5万元\n}\n",
            )])
            .unwrap();
        let r = run(
            &rules,
            &doc(),
            &Options {
                table: Some(NARRATIVE.into()),
                ..Options::default()
            },
        );
        assert_eq!(r.baseline_findings, 1);
        let by = |text: &str, kind| {
            r.mutants
                .iter()
                .find(|m| m.text.as_deref() == Some(text) && m.kind == kind)
                .map(|m| m.caught_by.clone())
                .unwrap()
        };
        // LI-003 fails on the sentence either way: the quoted text changes, nothing else.
        for kind in [
            MutationKind::LastDigit,
            MutationKind::Digit,
            MutationKind::UnitScale,
        ] {
            assert!(by("10.00万元", kind).is_empty(), "{kind:?}");
        }
        // 4.01 stays within the limit; 5.00 and 40000.00 break it.
        assert!(by("4.00万元", MutationKind::LastDigit).is_empty());
        assert_eq!(by("4.00万元", MutationKind::Digit), ["LI-004"]);
        assert_eq!(by("4.00万元", MutationKind::UnitScale), ["LI-004"]);
    }

    #[test]
    fn score_arithmetic() {
        let r = run(&rules(), &doc(), &Options::default());
        let caught = r.mutants.iter().filter(|m| m.caught()).count();
        assert_eq!(r.overall.total, 27);
        assert_eq!((r.generated, r.not_run), (27, 0));
        assert_eq!(r.overall.caught, caught);
        assert_eq!(r.overall.survived(), 27 - caught);
        assert_eq!(r.overall.score(), Some(caught as f64 / 27.0));
        let by_kind: usize = r.by_kind.iter().map(|k| k.tally.caught).sum();
        let by_table: usize = r.by_table.iter().map(|t| t.tally.caught).sum();
        assert_eq!((by_kind, by_table), (caught, caught));
        let tables: Vec<(&str, usize, usize)> = r
            .by_table
            .iter()
            .map(|t| (t.table.as_str(), t.numbers.total, t.numbers.caught))
            .collect();
        assert_eq!(
            tables,
            [("表三 部门支出总体情况表", 6, 3), (NARRATIVE, 2, 0)]
        );
        assert_eq!((r.numbers.total, r.numbers.caught), (8, 3));
        // Per rule: LI-002 (total ≥ 0) can never notice an increase.
        let by_rule: Vec<(&str, usize)> = r
            .by_rule
            .iter()
            .map(|t| (t.rule_id.as_str(), t.caught))
            .collect();
        assert_eq!(by_rule, [("LI-001", caught), ("LI-002", 0)]);
        assert_eq!(Tally::default().score(), None);
        let json = serde_json::to_value(r.overall).unwrap();
        assert_eq!(json["survived"], 27 - caught);
        assert!(json["score"].is_f64());
    }

    #[test]
    fn results_are_deterministic_and_the_limit_spreads() {
        let (rules, doc) = (rules(), doc());
        let threads = |n| Options {
            threads: n,
            ..Options::default()
        };
        let one = run(&rules, &doc, &Options::default());
        assert_eq!(one, run(&rules, &doc, &threads(2)));
        assert_eq!(one, run(&rules, &doc, &threads(3)));
        let some = run(
            &rules,
            &doc,
            &Options {
                limit: Some(9),
                ..threads(2)
            },
        );
        assert_eq!((some.generated, some.overall.total), (27, 9));
        // Every third mutant.
        let picked: Vec<&Mutant> = one.mutants.iter().step_by(3).collect();
        assert_eq!(some.mutants.iter().collect::<Vec<_>>(), picked);
    }

    #[test]
    fn one_table_or_the_narrative_can_be_chosen() {
        let (rules, doc) = (rules(), doc());
        let only = |t: &str| {
            run(
                &rules,
                &doc,
                &Options {
                    table: Some(t.into()),
                    ..Options::default()
                },
            )
        };
        let all = run(&rules, &doc, &Options::default());
        let table: Vec<&Mutant> = all
            .mutants
            .iter()
            .filter(|m| m.table != NARRATIVE)
            .collect();
        let narrative: Vec<&Mutant> = all
            .mutants
            .iter()
            .filter(|m| m.table == NARRATIVE)
            .collect();
        for name in ["表三", "部门支出总体情况表", "表三 部门支出总体情况表"]
        {
            assert_eq!(
                only(name).mutants.iter().collect::<Vec<_>>(),
                table,
                "{name}"
            );
        }
        assert_eq!(
            only(NARRATIVE).mutants.iter().collect::<Vec<_>>(),
            narrative
        );
        assert_eq!(only("表四").generated, 0);
    }

    #[test]
    fn a_narrative_mutant_keeps_the_paragraph_consistent() {
        let doc = doc();
        let planned = plan(&doc);
        let p = planned
            .iter()
            .find(|p| {
                p.mutant().kind == MutationKind::UnitScale
                    && p.mutant().text.as_deref() == Some("10.00万元")
            })
            .unwrap();
        let mut work = doc.clone();
        let mut change = p.change.clone();
        swap_in(&mut work, &mut change).unwrap();
        let para = work.sections[0].paragraphs[0].clone();
        assert_eq!(para.text, "支出总计100000.00万元，其中行政运行4.00万元。");
        for f in &para.facts {
            assert_eq!(
                para.text.get(f.start as usize..f.end as usize),
                Some(f.printed.as_str())
            );
        }
        assert_eq!(para.facts[0].printed, "100000.00万元");
        assert_eq!(
            para.facts[0].measure,
            Measure::Money {
                amount: Amount::new(Decimal::new(10_000_000, 2), Unit::WanYuan)
            }
        );
        // The second line still starts at 行政; locations are those of the source.
        assert!(
            para.text
                .get(para.segments[1].start as usize..)
                .unwrap()
                .starts_with("行政")
        );
        assert_eq!(
            para.facts[0].loc,
            doc.sections[0].paragraphs[0].facts[0].loc
        );
        // Swapping again restores the document.
        swap_in(&mut work, &mut change).unwrap();
        assert_eq!(work, doc);
    }
}
