//! reason_given/说明原因: every stated change comes with its reason.
//!
//! `说明原因("模式"[, 章节])` finds every match of the pattern in the narrative (or the
//! section). A match states a change unless its captures say there is none:
//!
//! - a 增减 capture is 持平 / 无变化 / 等于 / 不变;
//! - it has exactly one 金额 capture (the change itself) and that amount is zero;
//! - it has two or more 金额 captures and they are all equal (`预算为 5 万元，决算为 5 万元`);
//! - it has no 金额 capture and a 百分比 capture is zero.
//!
//! For a match that states a change, the narrative must give a reason: one of 原因、由于、因为
//! after the match in the same section (the rest of its paragraph or a later paragraph of the
//! section: an overview often lists several changes and gives their reason in the next
//! paragraph), or before it in the same sentence, up to the previous `。`
//! (`由于人员减少，基本支出减少 5 万元`; `主要原因是……；福利费比去年减少 1.39 万元`). Each
//! match without one is a separate failure instance: `{左}` is the matched text as printed.

use rust_decimal::Decimal;
use shenhe_lang::ast::Span;
use shenhe_model::Unit;

use super::wording::{ends_sentence, text_instance};
use super::{Builtin, pattern_and_scope};
use crate::compare::Direction;
use crate::docindex::{NormParagraph, char_mask};
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::pattern::{Captured, Match};
use crate::value::{Instance, Truth, Value};

pub static FUNCS: &[Builtin] = &[Builtin {
    names: &["reason_given", "说明原因"],
    min_args: 1,
    max_args: 2,
    pattern_arg: Some(0),
    signature: "reason_given(\"模式\"[, 章节])",
    eval: reason_given,
}];

/// Words that introduce a reason, as chars.
const REASON_WORDS: &[[char; 2]] = &[['原', '因'], ['由', '于'], ['因', '为']];

/// An amount in 元, exactly (`None` when it does not fit).
fn in_yuan(v: Decimal, unit: Unit) -> Option<Decimal> {
    shenhe_model::Amount::new(v, unit)
        .to_unit(Unit::Yuan)
        .ok()
        .map(|a| a.value.normalize())
}

/// Whether a match states a change (see the module documentation).
fn states_change(m: &Match) -> bool {
    let mut amounts = Vec::new();
    let mut zero_percent = false;
    for c in &m.captures {
        match &c.value {
            Captured::Direction(w) if Direction::of_word(w) == Some(Direction::Flat) => {
                return false;
            }
            Captured::Amount(v, u) => amounts.push(in_yuan(*v, *u)),
            Captured::Percent(p) if p.is_zero() => zero_percent = true,
            _ => {}
        }
    }
    match amounts.as_slice() {
        [] => !zero_percent,
        [one] => one.is_none_or(|v| !v.is_zero()),
        [first, rest @ ..] => first.is_none() || rest.iter().any(|a| a != first),
    }
}

fn has_word(chars: &[char]) -> bool {
    REASON_WORDS
        .iter()
        .any(|w| crate::pattern::find_from(chars, w, 0).is_some())
}

/// [`has_word`] of a whole paragraph, ruling out by its mask a word it lacks a char of.
fn para_has_word(p: &NormParagraph<'_>) -> bool {
    REASON_WORDS.iter().any(|w| {
        let need = w.iter().fold(0u128, |m, c| m | char_mask(*c));
        p.mask & need == need && crate::pattern::find_from(&p.chars, w, 0).is_some()
    })
}

/// Whether a reason stands before the match at `start..end` in its sentence, or after it in
/// its paragraph (`chars`) or in one of `later` (the following paragraphs of the section).
fn reason_near(chars: &[char], start: usize, end: usize, later: &[NormParagraph<'_>]) -> bool {
    if has_word(chars.get(end..).unwrap_or(&[])) || later.iter().any(para_has_word) {
        return true;
    }
    let before = chars.get(..start).unwrap_or(&[]);
    let sentence_start = before
        .iter()
        // `；` ends no sentence: a reason often lists its parts separated by it.
        .rposition(|c| ends_sentence(*c))
        .map_or(0, |i| i + 1);
    has_word(before.get(sentence_start..).unwrap_or(&[]))
}

fn instance(p: &NormParagraph<'_>, m: &Match, span: Span) -> Instance {
    text_instance(
        p,
        m.start,
        m.end,
        "说明原因".to_string(),
        |written, _| format!("「{written}」有增减变化，同一节中没有说明原因"),
        span,
    )
}

fn reason_given(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let (matcher, scope) = pattern_and_scope(ev, args, span, "reason_given")?;
    let explain = ev.explaining();
    let mut out = Truth::simple(true);
    let paras = ev.ix.paragraphs_in(scope);
    // The matches of one paragraph, reused.
    let mut found: Vec<Match> = Vec::new();
    // The captures of the tries, reused from paragraph to paragraph.
    let mut caps = Vec::new();
    for (i, para) in paras.iter().enumerate() {
        found.clear();
        matcher.each_in(para, &mut caps, |m| found.push(m));
        if found.is_empty() {
            continue;
        }
        let rest = paras.get(i + 1..).unwrap_or(&[]);
        let same = rest
            .iter()
            .position(|p| p.section != para.section)
            .unwrap_or(rest.len());
        let later = rest.get(..same).unwrap_or(&[]);
        for m in found.drain(..) {
            if !states_change(&m) || reason_near(&para.chars, m.start, m.end, later) {
                continue;
            }
            out.holds = false;
            if !explain {
                return Ok(Value::Bool(out));
            }
            out.instances.push(instance(para, &m, span));
        }
    }
    Ok(Value::Bool(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn reasons_after_or_before_in_the_sentence() {
        let c = chars("基本支出减少5万元,主要原因是人员减少。");
        assert!(reason_near(&c, 0, 9, &[]));
        let c = chars("由于人员减少,基本支出减少5万元。项目支出增加3万元。");
        assert!(reason_near(&c, 7, 16, &[]));
        assert!(!reason_near(&c, 17, 26, &[]));
        let c = chars("主要原因是办公费增加;福利费比去年减少1.39万元。");
        assert!(reason_near(&c, 14, 24, &[]));
        // Or in a later paragraph of the section.
        let texts = ["没有说明。", "这是因 为人员增加。", "原来如此,因素很多。"];
        let paras = crate::docindex::test_paragraphs(&texts);
        let later: Vec<NormParagraph<'_>> = paras
            .iter()
            .map(|p| crate::docindex::normalize_paragraph(0, p))
            .collect();
        let c = chars("基本支出减少5万元。");
        assert!(!reason_near(&c, 0, 9, &later[..1]));
        assert!(reason_near(&c, 0, 9, &later[..2]));
        assert!(!reason_near(&c, 0, 9, &later[2..]));
        assert!(has_word(&chars("由于")) && !has_word(&chars("由 于x因")));
    }
}
