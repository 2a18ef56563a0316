//! Counting caught mutants: overall, per kind, per table, per rule and per number.

use std::collections::BTreeMap;

use serde::Serialize;
use shenhe_model::Loc;

use crate::ruleset::RuleSet;

use super::{Mutant, MutationKind};
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
    /// A narrative number standing alone as its paragraph (see [`super::Mutant::alone`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub alone: bool,
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
            alone: m.alone,
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
    /// Caught mutants of one number (not swaps, not rows left out) whose report names that
    /// number as a common cause with its printed value, out of all those caught.
    pub located: Tally,
    /// Numbers with at least one mutant caught, out of the numbers mutated: cell coverage.
    pub numbers: Tally,
    /// In [`MutationKind::ALL`] order (kinds with no mutant left out).
    pub by_kind: Vec<KindTally>,
    /// In document-model order: tables, performance forms, then the narrative.
    pub by_table: Vec<TableTally>,
    /// Every rule of the set, in rule order.
    pub by_rule: Vec<RuleTally>,
    /// Every number mutated, in mutant order (rows left out are not numbers: they are in the
    /// tallies by kind, table and rule, and in `mutants`).
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

/// Counts mutant `m` for the number it changed.
fn count_place(places: &mut Vec<Place>, m: &Mutant) {
    // Mutants of one number are adjacent in plan order; look back a little only.
    let place = match places.iter_mut().rev().take(8).find(|p| p.is_of(m)) {
        Some(p) => p,
        None => {
            places.push(Place::of(m));
            match places.last_mut() {
                Some(p) => p,
                None => return,
            }
        }
    };
    place.mutants += 1;
    if m.caught() {
        place.caught += 1;
    } else if !place.survived.contains(&m.kind) {
        place.survived.push(m.kind);
    }
}

pub(super) fn tally(
    rules: &RuleSet,
    baseline_findings: usize,
    generated: usize,
    mutants: Vec<Mutant>,
) -> MutationReport {
    let mut overall = Tally::default();
    let mut located = Tally::default();
    let mut by_kind: BTreeMap<MutationKind, Tally> = BTreeMap::new();
    let mut by_table: Vec<(String, Tally)> = Vec::new();
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut places: Vec<Place> = Vec::new();
    for m in &mutants {
        let caught = m.caught();
        if m.kind.of_a_number() {
            count_place(&mut places, m);
        }
        overall.add(caught);
        if caught && m.kind.misprints_a_number() {
            located.add(m.located);
        }
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
        located,
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
