//! itemised_changes/分项增减: a change the narrative breaks down after `其中` is the sum of
//! its parts.
//!
//! Narratives often state a change and then list what it is made of:
//! “收入总计 430,725.03 万元，与 2022 年度相比，减少 23,616.80 万元，降低 5.20%。其中：财政拨款
//! 收入增加 14,458.07 万元，事业收入增加 974.61 万元，其他收入减少 39,049.48 万元。” The parts,
//! signed by their direction words, add up to the change (here −23,616.80 万元).
//!
//! - **The change** is the one amount right after a direction word (`减少 23,616.80 万元`,
//!   `增加了 20 万元`), or the one `持平`, in the text of the sentence before `其中`, or, when
//!   `其中` begins a sentence, in the sentence before it; when it begins a paragraph (a line
//!   break after a full stop), in the last sentence of the paragraph before, in the same
//!   section. With none or several such changes there, the list is not judged.
//! - **The parts** are the amounts right after a direction word from `其中` to the end of its
//!   sentence (`。`), in clauses that are not a reason: once “原因”“主要是”“因为”“由于”“用于” or
//!   an enumeration of reasons (“一是”) is written in a `；`-delimited segment, the rest of that
//!   segment explains and does not list. A list needs at least two parts (one part is a detail,
//!   not a breakdown).
//! - Directions: 增加、增长、上升 add, 减少、下降、降低 subtract; `持平`、`无变化` is a change (or a
//!   part) of exactly zero (“因公出国（境）费支出与上一年度持平”). Rates (`增长 5.2%`) and other
//!   changes without an amount are neither change nor part.
//!
//! - **Other openings.** A sentence that opens with `X中，` where X is named in the sentence
//!   before (`……财政拨款支出预算……减少 876.75 万元。财政拨款支出预算中，一般公共预算……`)
//!   opens a list as a `其中` beginning its sentence does.
//!
//! The sum and the change are compared as amounts with their rounding intervals, like `==`. A
//! narrative without such a list gives "absent": a rule built on it does not apply.

use std::sync::LazyLock;

use shenhe_lang::ast::{CompareOp, Span};
use shenhe_model::Unit;

use super::Builtin;
use super::wording::{ends_sentence, is_mark};
use crate::compare::compare;
use crate::docindex::{NormParagraph, char_mask};
use crate::error::EvalError;
use crate::eval::{Evaluator, text_origin};
use crate::ir::Node;
use crate::num::{Num, NumKind, decimal_text};
use crate::pattern::{amount_at, direction_at, find_from};
use crate::value::{Truth, Value};

pub static FUNCS: &[Builtin] = &[Builtin {
    names: &["itemised_changes", "分项增减"],
    min_args: 0,
    max_args: 0,
    pattern_arg: None,
    signature: "itemised_changes()",
    eval: itemised_changes,
}];

const QIZHONG: [char; 2] = ['其', '中'];

/// Words after which a `；`-delimited segment gives reasons, not parts.
const REASONS: &[&str] = &["原因", "主要是", "因为", "由于", "用于", "一是"];

/// An amount right after a direction word (`减少 23,616.80 万元`), or a `持平`/`无变化` (no
/// change, exactly).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Change {
    /// Where its direction word starts.
    word: usize,
    /// Where its amount (or its word, when flat) ends.
    end: usize,
    /// True for 减少、下降、降低.
    down: bool,
    /// True for 持平、无变化: no amount, a change of exactly zero.
    flat: bool,
    value: rust_decimal::Decimal,
    unit: Unit,
}

/// Every change in the paragraph, in order.
fn changes_in(p: &NormParagraph<'_>) -> Vec<Change> {
    let chars = &p.chars;
    let mut out = Vec::new();
    for &j in &p.direction {
        let Some((word, after)) = direction_at(chars, j) else {
            continue;
        };
        let down = match word {
            "增加" | "增长" | "上升" => false,
            "减少" | "下降" | "降低" => true,
            "持平" | "无变化" => {
                out.push(Change {
                    word: j,
                    end: after,
                    down: false,
                    flat: true,
                    value: rust_decimal::Decimal::ZERO,
                    unit: Unit::Yuan,
                });
                continue;
            }
            _ => continue,
        };
        let at = after + usize::from(chars.get(after) == Some(&'了'));
        if let Some((value, unit, end)) = amount_at(chars, at) {
            out.push(Change {
                word: j,
                end,
                down,
                flat: false,
                value,
                unit,
            });
        }
    }
    out
}

/// A paragraph's chars with its changes and sentence ends, found once (so that a paragraph of
/// many lists is read in time linear in its length).
struct Scan<'c> {
    chars: &'c [char],
    /// Every change, in order.
    changes: Vec<Change>,
    /// Where each sentence end (`。！？`) stands, in order.
    ends: Vec<usize>,
}

impl<'c> Scan<'c> {
    fn new(p: &'c NormParagraph<'_>) -> Scan<'c> {
        let chars = p.chars.as_slice();
        let ends = chars
            .iter()
            .enumerate()
            .filter(|(_, c)| ends_sentence(**c))
            .map(|(i, _)| i)
            .collect();
        Scan {
            chars,
            changes: changes_in(p),
            ends,
        }
    }

    /// Where the sentence holding char `i` starts (just past the sentence end before it).
    fn sentence_start(&self, i: usize) -> usize {
        let k = self.ends.partition_point(|&e| e < i);
        k.checked_sub(1)
            .and_then(|k| self.ends.get(k))
            .map_or(0, |e| e + 1)
    }

    /// Where the sentence holding char `i` ends (at its sentence end, or the paragraph's end).
    fn sentence_end(&self, i: usize) -> usize {
        let k = self.ends.partition_point(|&e| e < i);
        self.ends.get(k).copied().unwrap_or(self.chars.len())
    }

    /// The changes wholly within chars `a..b`, in order.
    fn changes_within(&self, a: usize, b: usize) -> impl Iterator<Item = &Change> {
        let first = self.changes.partition_point(|c| c.word < a);
        self.changes
            .get(first..)
            .unwrap_or(&[])
            .iter()
            .take_while(move |c| c.word < b)
            .filter(move |c| c.end <= b)
    }
}

/// [`REASONS`] as chars, decoded once.
static REASON_CHARS: LazyLock<Vec<Vec<char>>> =
    LazyLock::new(|| REASONS.iter().map(|r| r.chars().collect()).collect());

/// The paragraph before a list's, scanned only when a list needs it.
struct LazyScan<'p, 'd> {
    para: Option<&'p NormParagraph<'d>>,
    scan: std::cell::OnceCell<Option<Scan<'p>>>,
}

impl<'p, 'd> LazyScan<'p, 'd> {
    fn new(para: Option<&'p NormParagraph<'d>>) -> Self {
        LazyScan {
            para,
            scan: std::cell::OnceCell::new(),
        }
    }

    fn get(&self) -> Option<&Scan<'p>> {
        self.scan.get_or_init(|| self.para.map(Scan::new)).as_ref()
    }
}

/// Whether one of [`REASONS`] ends at char `i` and starts at or after `from`.
fn reason_ends_at(chars: &[char], from: usize, i: usize) -> bool {
    REASON_CHARS.iter().any(|r| {
        i.checked_sub(r.len())
            .is_some_and(|a| a >= from && chars.get(a..i) == Some(r.as_slice()))
    })
}

/// The one change that `其中` at `k` breaks down, if there is exactly one.
fn total_before(scan: &Scan<'_>, k: usize) -> Option<Change> {
    let one = |a: usize, b: usize| -> Result<Change, usize> {
        let mut found = scan.changes_within(a, b);
        match (found.next(), found.next()) {
            (Some(c), None) => Ok(*c),
            (None, _) => Err(0),
            _ => Err(2),
        }
    };
    let start = scan.sentence_start(k);
    // Whether `其中` begins its sentence (nothing but marks before it).
    let begins = scan
        .chars
        .get(start..k)
        .is_some_and(|b| b.iter().all(|c| is_mark(*c)));
    match one(start, k) {
        Ok(c) => Some(c),
        // `其中` begins a sentence: the change is in the sentence before.
        Err(0) if begins && start > 0 => one(scan.sentence_start(start - 1), start - 1).ok(),
        Err(_) => None,
    }
}

/// A listed part: its change, where its clause starts, and where its name's clause starts
/// (the clause before, within the list, when its own has no name).
struct Part {
    change: Change,
    from: usize,
    name_from: usize,
}

/// The parts listed after `其中` at `k`: up to the end of its sentence (or the next `其中`).
/// One pass over the list's chars keeps where the current `；` segment and clause start and
/// whether the segment has given a reason yet.
fn parts_after(scan: &Scan<'_>, k: usize) -> Vec<Part> {
    let chars = scan.chars;
    let list = k + QIZHONG.len();
    let end = scan
        .sentence_end(list)
        .min(find_from(chars, &QIZHONG, list).unwrap_or(usize::MAX));
    let mut out = Vec::new();
    let (mut i, mut segment, mut clause, mut reason) = (list, list, list, false);
    for c in scan.changes_within(list, end) {
        while i < c.word {
            let Some(&ch) = chars.get(i) else { break };
            if ch == ';' {
                (segment, reason) = (i + 1, false);
            }
            if is_mark(ch) {
                clause = i + 1;
            }
            i += 1;
            reason = reason || reason_ends_at(chars, segment, i);
        }
        if reason {
            continue;
        }
        let name_from = if name_len(chars, clause, c.word) == 0 && clause > list {
            clause_start(chars, clause - 1).max(list)
        } else {
            clause
        };
        out.push(Part {
            change: *c,
            from: clause,
            name_from,
        });
    }
    out
}

/// Comparison words a part's name stops before (`教育支出比上年减少`).
const CUES: &[&str] = &["比上", "比去", "较上", "较去", "与上", "与去", "同比"];

/// How many chars of `chars[a..b]` are a name: its leading run of ideographs (and brackets),
/// up to the first comparison word or a `比`、`较`、`与` the run ends with (before a year:
/// `与 2022 年度相比`).
fn name_len(chars: &[char], a: usize, b: usize) -> usize {
    let run = chars.get(a..b).unwrap_or(&[]);
    let run = run
        .get(
            ..run
                .iter()
                .position(|c| !matches!(c, '\u{4E00}'..='\u{9FFF}' | '(' | ')'))
                .unwrap_or(run.len()),
        )
        .unwrap_or(&[]);
    (0..run.len())
        .find(|&i| {
            let rest = run.get(i..).unwrap_or(&[]);
            CUES.iter()
                .any(|w| rest.len() >= 2 && w.chars().zip(rest).all(|(a, b)| a == *b))
                || matches!(rest, ['比' | '较' | '与'])
        })
        .unwrap_or(run.len())
}

/// The name of a part (`教育支出比上年减少` → `教育支出`; from the clause before when its own
/// clause has none: `基本支出 800.12 万元，比上年增加 50 万元`).
fn part_name(chars: &[char], part: &Part) -> String {
    // The name's clause ends at the direction word, or at the mark before the part's clause.
    let end = if part.name_from == part.from {
        part.change.word
    } else {
        part.from.saturating_sub(1)
    };
    let n = name_len(chars, part.name_from, end);
    chars
        .get(part.name_from..part.name_from + n)
        .unwrap_or(&[])
        .iter()
        .collect()
}

/// Where the clause holding char `i` starts.
fn clause_start(chars: &[char], i: usize) -> usize {
    chars
        .get(..i)
        .and_then(|b| b.iter().rposition(|c| is_mark(*c)))
        .map_or(0, |k| k + 1)
}

/// Where the change a list breaks down was found: in the list's paragraph, or at the end of
/// the paragraph before (when the list's paragraph begins with its `其中`, as a line break
/// after a full stop splits them).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Found {
    Here(Change),
    Before(Change),
}

/// The list opened at `k`: the change it breaks down and at least two parts. `before` is the
/// paragraph before it in the same section, if any.
/// The opening words (`其中`, or `X中`) start at char `opens` and end at `k + 2`: the change is
/// looked for before `opens`.
fn list_from(
    scan: &Scan<'_>,
    before: Option<&Scan<'_>>,
    opens: usize,
    k: usize,
) -> Option<(Found, Vec<Part>)> {
    let total = match total_before(scan, opens) {
        Some(c) => Found::Here(c),
        // Nothing but marks before the opening words in its paragraph: the paragraph before
        // ends with the change.
        None if scan.changes_within(0, opens).next().is_none()
            && scan
                .chars
                .get(..opens)
                .is_some_and(|b| b.iter().all(|c| is_mark(*c))) =>
        {
            let b = before?;
            Found::Before(total_before(b, b.chars.len())?)
        }
        None => return None,
    };
    let parts = parts_after(scan, k);
    (parts.len() >= 2).then_some((total, parts))
}

/// The lists opened by a sentence that begins `X中，` where `X` (a name of two or more
/// ideographs) is named in the sentence before (`……财政拨款支出预算 15621.11 万元，比 2023 年
/// 预算减少 876.75 万元。财政拨款支出预算中，一般公共预算……`): like a `其中` beginning its
/// sentence. Each is given as the `k` for [`list_from`] (the list starts after `k + 2`, the
/// `中` and the mark).
fn x_zhong_openers(scan: &Scan<'_>, before: &LazyScan<'_, '_>) -> Vec<usize> {
    let chars = scan.chars;
    let mut out = Vec::new();
    let starts = std::iter::once(0).chain(scan.ends.iter().map(|e| e + 1));
    for s in starts {
        let Some(rest) = chars.get(s..) else { continue };
        let Some(m) = rest.iter().position(|c| is_mark(*c)) else {
            continue;
        };
        let Some(run) = rest.get(..m) else { continue };
        // `X中` then `，` or `：`, X of two or more ideographs, not `其中` (read already).
        if m < 3
            || run.last() != Some(&'中')
            || run.get(m - 2) == Some(&'其')
            || !run.iter().all(|c| matches!(c, '\u{4E00}'..='\u{9FFF}'))
            || !matches!(rest.get(m), Some(',' | ':'))
        {
            continue;
        }
        let x = run.get(..m - 1).unwrap_or(&[]);
        // The sentence before: in this paragraph, or the last of the paragraph before.
        let named = if s > 0 {
            let a = scan.sentence_start(s - 1);
            chars
                .get(a..s)
                .is_some_and(|b| find_from(b, x, 0).is_some())
        } else {
            before.get().is_some_and(|b| {
                let n = b.chars.len();
                let a = b.sentence_start(n.saturating_sub(1));
                b.chars
                    .get(a..)
                    .is_some_and(|t| find_from(t, x, 0).is_some())
            })
        };
        if named {
            out.push(s + m - 2);
        }
    }
    out
}

/// A change as a signed amount, with its place in the text when explaining.
fn signed(ev: &Evaluator<'_, '_>, p: &NormParagraph<'_>, c: &Change, from: usize) -> Num {
    // No change is an exact zero, of whatever unit the other side has.
    let n = if c.flat {
        Num::exact(c.value, NumKind::Plain)
    } else {
        Num::printed(c.value, NumKind::Amount(c.unit))
    };
    let n = if ev.explaining() {
        n.with_origin(text_origin(p, from, c.end))
    } else {
        n
    };
    if c.down { n.neg() } else { n }
}

fn shown(c: &Change) -> String {
    if c.flat {
        return "持平".to_string();
    }
    let sign = if c.down { "−" } else { "+" };
    format!("{sign}{} {}", decimal_text(c.value), c.unit)
}

/// The paragraphs that can hold a list: a `中` (of `其中` or `X中`) and a direction word.
fn may_hold(p: &NormParagraph<'_>) -> bool {
    let mask = char_mask('中');
    p.mask & mask == mask && !p.direction.is_empty()
}

fn itemised_changes(
    ev: &mut Evaluator<'_, '_>,
    _args: &[Node],
    span: Span,
) -> Result<Value, EvalError> {
    let ix = ev.ix;
    let mut out = Truth::simple(true);
    let mut lists = 0usize;
    let paras = ix.narrative();
    for (i, p) in paras.iter().enumerate().filter(|(_, p)| may_hold(p)) {
        let chars = &p.chars;
        // The paragraph before, in the same section (read only for a list that begins this one).
        let prev = i
            .checked_sub(1)
            .and_then(|j| paras.get(j))
            .filter(|q| q.section == p.section);
        // The lists' openings: each `其中` (its own start), then each sentence opening with
        // `X中，` (from the sentence's start), as (opens, k).
        let scan = &Scan::new(p);
        let prev_scan = LazyScan::new(prev);
        let mut openings: Vec<(usize, usize)> = Vec::new();
        let mut from = 0;
        while let Some(k) = find_from(chars, &QIZHONG, from) {
            from = k + QIZHONG.len();
            openings.push((k, k));
        }
        for k in x_zhong_openers(scan, &prev_scan) {
            openings.push((scan.sentence_start(k), k));
        }
        for (opens, k) in openings {
            let before = if opens <= 1 { prev_scan.get() } else { None };
            let Some((found, parts)) = list_from(scan, before, opens, k) else {
                continue;
            };
            let (total, total_para) = match found {
                Found::Here(c) => (c, p),
                Found::Before(c) => (c, prev.unwrap_or(p)),
            };
            lists += 1;
            let mut sum: Option<Num> = None;
            for part in &parts {
                let n = signed(ev, p, &part.change, part.name_from);
                sum = Some(match sum {
                    None => n,
                    Some(s) => s.add(n, false).map_err(|e| e.at(span))?,
                });
            }
            let Some(sum) = sum else { continue };
            let total_num = signed(ev, total_para, &total, total.word);
            let t = compare(
                ev,
                CompareOp::Eq,
                Value::Num(sum),
                Value::Num(total_num),
                None,
                span,
                span,
                span,
            )?;
            if t.holds {
                continue;
            }
            out.holds = false;
            let listed: Vec<String> = parts
                .iter()
                .map(|part| format!("{} {}", part_name(chars, part), shown(&part.change)))
                .collect();
            for mut inst in t.instances {
                inst.note = Some(format!(
                    "所列各项：{}；总的增减 {}",
                    listed.join("，"),
                    shown(&total)
                ));
                out.instances.push(inst);
            }
        }
    }
    if lists == 0 {
        // Nothing to add up: the rule does not apply (rather than passing vacuously).
        return Err(EvalError::absent(
            "说明中没有在“其中”之后逐项列出的增减",
            span,
        ));
    }
    Ok(Value::Bool(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docindex::{normalize_paragraph, test_paragraphs};

    /// (change, parts) of each list in `text`, as signed strings.
    fn lists(text: &str) -> Vec<(String, Vec<String>)> {
        let paras = test_paragraphs(&[text]);
        let Some(para) = paras.first() else {
            return Vec::new();
        };
        let p = normalize_paragraph(0, para);
        let scan = Scan::new(&p);
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(k) = find_from(&p.chars, &QIZHONG, from) {
            from = k + 2;
            let Some((Found::Here(total), parts)) = list_from(&scan, None, k, k) else {
                continue;
            };
            let parts = parts
                .iter()
                .map(|x| format!("{} {}", part_name(&p.chars, x), shown(&x.change)))
                .collect();
            out.push((shown(&total), parts));
        }
        out
    }

    #[test]
    fn a_list_after_the_sentence_of_its_change() {
        let l = lists(
            "学校 2023 年度收入总计 430,725.03 万元，与 2022 年度相比，减少 23,616.80 万元，降低 5.20%。\
             其中：财政拨款收入增加 14,458.07 万元，事业收入增加 974.61 万元，其他收入减少 39,049.48 万元。\
             学校其他收入与上年比较发生较大差异的原因是债务收入减少。",
        );
        assert_eq!(
            l,
            vec![(
                "−23616.80 万元".to_string(),
                vec![
                    "财政拨款收入 +14458.07 万元".to_string(),
                    "事业收入 +974.61 万元".to_string(),
                    "其他收入 −39049.48 万元".to_string()
                ]
            )]
        );
    }

    #[test]
    fn reasons_between_the_parts_are_not_parts() {
        let l = lists(
            "2021 年本年预算收入 390,140.45 万元，与上年相比减少 1,106.89 万元，其中：财政拨款收入减少 \
             6,331.03 万元，一是因为财政拨款有所压减，二是因为基本建设经费减少 20 万元；事业收入增加 2,110.3 \
             万元，主要是科研事业收入增加 100 万元；其他收入增加 3,113.84 万元，主要是附属单位上缴收入等增加。",
        );
        assert_eq!(l.len(), 1);
        let (total, parts) = &l[0];
        assert_eq!(total, "−1106.89 万元");
        assert_eq!(
            parts,
            &vec![
                "财政拨款收入 −6331.03 万元".to_string(),
                "事业收入 +2110.3 万元".to_string(),
                "其他收入 +3113.84 万元".to_string()
            ]
        );
    }

    #[test]
    fn names_before_comparison_words_and_in_the_clause_before() {
        let l = lists(
            "财政拨款支出 950.12 万元，比上年增加 30 万元。其中：基本支出 800.12 万元，比上年增加 50 万元；\
             项目支出比上年减少 20 万元。",
        );
        assert_eq!(
            l,
            vec![(
                "+30 万元".to_string(),
                vec![
                    "基本支出 +50 万元".to_string(),
                    "项目支出 −20 万元".to_string()
                ]
            )]
        );
    }

    #[test]
    fn a_part_without_change_is_zero() {
        let l = lists(
            "2024 年度“三公”经费财政拨款支出决算数比 2023 年度减少 0.15 万元，下降 27.78%，其中：因公出国（境）\
             费支出与上一年度持平；公务用车购置及运行维护费支出与上一年度持平；公务接待费支出决算减少 0.15 万元，\
             下降 27.78%。",
        );
        assert_eq!(
            l,
            vec![(
                "−0.15 万元".to_string(),
                vec![
                    "因公出国(境)费支出 持平".to_string(),
                    "公务用车购置及运行维护费支出 持平".to_string(),
                    "公务接待费支出决算 −0.15 万元".to_string()
                ]
            )]
        );
    }

    /// `X中，` opening a sentence after one that names X opens a list, like `其中`.
    #[test]
    fn a_sentence_opening_with_a_name_and_zhong_opens_a_list() {
        let shown_list = |text: &str| -> Vec<(String, Vec<String>)> {
            let paras = test_paragraphs(&[text]);
            let Some(para) = paras.first() else {
                return Vec::new();
            };
            let p = normalize_paragraph(0, para);
            let scan = Scan::new(&p);
            let none = LazyScan::new(None);
            x_zhong_openers(&scan, &none)
                .into_iter()
                .filter_map(|k| list_from(&scan, None, scan.sentence_start(k), k))
                .map(|(found, parts)| {
                    let total = match found {
                        Found::Here(c) | Found::Before(c) => shown(&c),
                    };
                    let parts = parts
                        .iter()
                        .map(|x| format!("{} {}", part_name(&p.chars, x), shown(&x.change)))
                        .collect();
                    (total, parts)
                })
                .collect()
        };
        assert_eq!(
            shown_list(
                "支出预算 15621.11 万元，其中：财政拨款支出预算 15621.11 万元，比 2023 年预算减少 \
                 876.75 万元。财政拨款支出预算中，一般公共预算拨款支出预算 15621.11 万元，比 2023 \
                 年预算减少 876.75 万元；政府性基金拨款支出预算 0.00 万元，比 2023 年预算持平。"
            ),
            vec![(
                "−876.75 万元".to_string(),
                vec![
                    "一般公共预算拨款支出预算 −876.75 万元".to_string(),
                    "政府性基金拨款支出预算 持平".to_string()
                ]
            )]
        );
        // `在预算执行中` names nothing of the sentence before.
        assert!(
            shown_list(
                "支出增加 10 万元。在预算执行中，人员经费增加 5 万元，公用经费减少 3 万元。"
            )
            .is_empty()
        );
    }

    /// `！` and `？` end sentences too (they are `!` and `?` once widths are unified).
    #[test]
    fn exclamation_and_question_marks_end_sentences() {
        assert_eq!(
            lists("支出增加 9 万元！收入增加 5 万元？其中：甲增加 3 万元，乙增加 2 万元。"),
            vec![(
                "+5 万元".to_string(),
                vec!["甲 +3 万元".to_string(), "乙 +2 万元".to_string()]
            )]
        );
    }

    #[test]
    fn no_list_without_one_change_before_it() {
        // A breakdown of an amount, not of a change; two changes before `其中`; a rate only.
        for text in [
            "公务用车购置及运行维护费 3 万元（其中：公务用车购置 0 万元，公务用车运行维护费 3 万元）。",
            "收入增加 10 万元，支出增加 20 万元，其中：基本支出增加 15 万元，项目支出增加 5 万元。",
            "支出比上年增长 5.2%，其中：基本支出增加 15 万元，项目支出增加 5 万元。",
            "支出比上年增加 20 万元，其中：基本支出增加 15 万元。",
            // The change is in the sentence before, but 其中 does not begin its sentence: it
            // breaks down 支出预算 100 万元, not the change.
            "支出增加 10 万元。支出预算 100 万元，其中：基本支出增加 5 万元，项目支出增加 3 万元。",
        ] {
            assert!(lists(text).is_empty(), "{text}");
        }
    }
}
