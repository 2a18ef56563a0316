//! Mutation testing of a rule set on one document: how well do the rules guard it?
//!
//! Every disclosed number gets small, realistic mistakes made to it, one at a time, in the
//! document model ([`plan`]): the printed value one unit of its last decimal off
//! (`721.07` → `721.08`), a 万元 amount written in 元 (× 10 000), two adjacent amounts of a row
//! swapped; and every detail row with amounts gets left out of its table, totals unchanged. Each mutant is checked with the rules ([`run`]) and counts as *caught* when its
//! findings differ from the findings on the unchanged document, compared per rule by what each
//! finding saw: its places and values, as the fingerprint hashes them, but not the narrative
//! text it quotes (so a new finding, a changed one and one that went away all count, while a
//! template-leftover finding quoting a sentence whose number changed does not). The mutants
//! no rule catches are the disclosed numbers the rule set does not check.
//!
//! A mutant changes values only: cells keep their locations, and a narrative amount keeps its
//! location while its paragraph text, the fact and the byte offsets after it are updated
//! together, so the mutated model stays consistent and survivors can be shown in place.

mod plan;
mod tally;

pub use plan::{Planned, plan, plan_only};
pub use tally::{KindTally, MutationReport, Place, RuleTally, TableTally, Tally};

use std::collections::BTreeMap;

use serde::Serialize;
use shenhe_model::{Document, Loc};

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
    /// A detail row left out of its table (漏列): a row that is no other row's parent and has
    /// a non-zero amount, removed with its cells while every total stays as printed.
    RowDrop,
}

impl MutationKind {
    /// Every kind, in report order.
    pub const ALL: [MutationKind; 5] = [
        MutationKind::LastDigit,
        MutationKind::Digit,
        MutationKind::UnitScale,
        MutationKind::Swap,
        MutationKind::RowDrop,
    ];

    /// The Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            MutationKind::LastDigit => "末位加一",
            MutationKind::Digit => "错一位数字",
            MutationKind::UnitScale => "元与万元混填",
            MutationKind::Swap => "相邻两栏互换",
            MutationKind::RowDrop => "漏列一行",
        }
    }

    /// Whether a mutant of this kind changes one number (and counts for it in
    /// [`MutationReport::places`]); a row left out changes a row.
    pub fn of_a_number(self) -> bool {
        self != MutationKind::RowDrop
    }

    /// Whether a mutant of this kind misprints one number in place, so that a common cause
    /// could give back its printed value (a swap moves two numbers, a row left out none).
    pub fn misprints_a_number(self) -> bool {
        self.of_a_number() && self != MutationKind::Swap
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
    /// For a narrative amount: it stands alone as its paragraph (`25.27%`), as a chart's labels
    /// come out of a PDF; no sentence says what it is.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub alone: bool,
    /// The value printed at `loc` (for a swap, the left cell's; for a row left out, the row's
    /// non-zero amounts joined with `、`).
    pub value: String,
    /// As printed before (`721.07`; for a swap `721.07、100.00`; for a row left out, as
    /// `value`).
    pub original: String,
    /// As printed in the mutant.
    pub mutated: String,
    /// Where the (first) changed value stands; for a row left out, the row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loc: Option<Loc>,
    /// Rules whose findings differ from the unchanged document's, by rule id. Empty: the
    /// mutant survived.
    pub caught_by: Vec<String>,
    /// Whether the mutant's report names its cell as a common cause with the value printed
    /// before (see [`crate::causes`]): the rules not only noticed the misprint, they point at it.
    pub located: bool,
}

impl Mutant {
    pub fn caught(&self) -> bool {
        !self.caught_by.is_empty()
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

/// What checking one mutant found: the rules that noticed it, and whether a common cause
/// points at it.
type Outcome = (Vec<String>, bool);

/// Runs `planned` (in order) against `doc`; each result is `None` when its change could not be
/// applied.
fn run_all(
    rules: &RuleSet,
    doc: &Document,
    base: &BTreeMap<&str, Vec<String>>,
    planned: &[&Planned],
) -> Vec<Option<Outcome>> {
    let mut work = doc.clone();
    planned
        .iter()
        .map(|p| {
            let mut change = p.change.clone();
            plan::swap_in(&mut work, &mut change)?;
            let report = rules.check(&work);
            let caught = differing(base, &signature(&report));
            let located = names_the_misprint(&report, p.mutant());
            // Put the original back: `change` now holds it.
            plan::swap_in(&mut work, &mut change)?;
            Some((caught, located))
        })
        .collect()
}

/// Whether a common cause of `report` is mutant `m`'s number, with the value printed before.
fn names_the_misprint(report: &crate::report::Report, m: &Mutant) -> bool {
    if !m.kind.misprints_a_number() {
        return false;
    }
    let Ok(original) = m.original.replace(',', "").parse::<rust_decimal::Decimal>() else {
        return false;
    };
    report
        .causes
        .iter()
        .any(|c| c.location.loc == m.loc && c.gives(original, None))
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
    let results: Vec<Option<Outcome>> = if threads <= 1 {
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
        if let Some((caught_by, located)) = r {
            let mut m = p.mutant.clone();
            m.caught_by = caught_by;
            m.located = located;
            mutants.push(m);
        }
    }
    let mut report = tally::tally(rules, baseline.findings.len(), all.len(), mutants);
    report.not_run = chosen.len().saturating_sub(report.mutants.len());
    report
}
#[cfg(test)]
mod tests;
