//! restated/复述 and consistent/复述一致: amounts the narrative states for a named item.
//!
//! A *statement* of an item is its name in the narrative followed, after only connecting words
//! (为、是、预算数、安排、支出、合计、共计、总额、本年 …, a year such as `2024 年`), by an amount
//! (`821.07 万元`): `基本支出 821.07 万元`, `一般公共服务支出 2024 年预算数为 866.07 万元`.
//! A comparison in between (比、较、增加、减少、占 …) ends the search, so `培训费较上年减少 8
//! 万元` is not a statement of 培训费. Statements about another year (a year other than the
//! document's just before or after the name, or `上年` just before it) are left out, and so
//! is a name that is the tail of a longer word (`拨款支出预算` for `支出预算`): only 年、度、的、
//! 其、中 … or a non-Chinese character may stand just before a name.
//!
//! - `复述(值, …, "名称", …)`: every statement of the names equals one of the values
//!   (rounding-aware); the text arguments are the names, the others the accepted values (a value
//!   whose table, row or column this document lacks is left out; with none left the rule does
//!   not apply). One failure instance per statement that differs, with both places as
//!   evidence.
//! - `复述一致("名称", …)`: all statements of the names agree with each other.

use rust_decimal::Decimal;
use shenhe_lang::ast::{CompareOp, Span};
use shenhe_model::{Unit, name_key};

use super::{Builtin, arg, text_arg};
use crate::compare::compare;
use crate::docindex::NormParagraph;
use crate::error::{ErrorKind, EvalError};
use crate::eval::{Evaluator, text_origin};
use crate::ir::Node;
use crate::num::{Num, NumKind};
use crate::pattern::scan_number;
use crate::value::{Truth, Value};

pub static FUNCS: &[Builtin] = &[
    Builtin {
        names: &["restated", "复述"],
        min_args: 2,
        max_args: usize::MAX,
        pattern_arg: None,
        signature: "restated(值, …, \"名称\", …)",
        eval: restated,
    },
    Builtin {
        names: &["consistent", "复述一致"],
        min_args: 1,
        max_args: usize::MAX,
        pattern_arg: None,
        signature: "consistent(\"名称\", …)",
        eval: consistent,
    },
];

/// Characters that may stand between a name and its amount.
const CONNECTORS: &str = "为是：:预算数安排支出合计共总额达金约度本年当全()类款项";
/// Indicator names: a name found as the tail of a longer one of these (支出预算 in
/// 项目支出预算) is about that other indicator, not a statement of the name.
const INDICATORS: &[&str] = &[
    "基本支出",
    "项目支出",
    "人员经费",
    "公用经费",
    "机关运行经费",
    "三公经费",
    "公务接待费",
    "公务用车",
    "因公出国",
    "会议费",
    "培训费",
    "政府采购",
    "政府性基金",
    "国有资本经营",
    "上年结转",
    "事业收入",
    "经营收入",
    "其他收入",
];

/// Whether an indicator name other than `name` covers the char at `start` together with chars
/// before it (`项目支出` over the `支出` of `支出预算`).
fn inside_other(chars: &[char], start: usize, name: &[char]) -> bool {
    INDICATORS.iter().any(|ind| {
        let ind: Vec<char> = ind.chars().collect();
        if ind.as_slice() == name {
            return false;
        }
        (1..ind.len()).any(|k| {
            start
                .checked_sub(k)
                .and_then(|s| chars.get(s..s + ind.len()))
                .is_some_and(|w| w == ind.as_slice())
        })
    })
}

/// Characters that may stand just before a name (`2024 年基本支出`, `其中人员经费`); any other
/// Chinese character there makes the name the tail of a longer word (`拨款支出预算`,
/// `教育支出预算数`), which is not a statement of the name.
const BEFORE: &str = "年度的及和与中其共为是了门位括含即";

/// Whether a name starting at `start` begins a word.
fn starts_word(chars: &[char], start: usize) -> bool {
    match start.checked_sub(1).and_then(|p| chars.get(p)) {
        None => true,
        Some(c) => !crate::pattern::is_cjk(*c) || BEFORE.contains(*c),
    }
}

/// Most connector characters allowed.
const MAX_CONNECTORS: usize = 12;

/// One statement: the amount, and where it stands (char range of name..amount).
struct Statement<'p> {
    para: &'p NormParagraph<'p>,
    start: usize,
    end: usize,
    value: Decimal,
    unit: Unit,
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』'
    )
}

/// The name as matched: name key without an ordinal prefix and without quotes.
fn name_chars(name: &str) -> Vec<char> {
    let stripped = shenhe_model::Row {
        label: name.to_string(),
        ..shenhe_model::Row::default()
    }
    .name_key();
    name_key(&stripped)
        .chars()
        .filter(|c| !is_quote(*c))
        .collect()
}

/// A year `dddd年` ending at `end` (exclusive) in `chars`.
fn year_before(chars: &[char], end: usize) -> Option<i32> {
    let e = end.checked_sub(1)?;
    if chars.get(e) != Some(&'年') {
        return None;
    }
    let s = e.checked_sub(4)?;
    let digits: String = chars.get(s..e)?.iter().collect();
    if s > 0 && chars.get(s - 1).is_some_and(char::is_ascii_digit) {
        return None;
    }
    digits.parse().ok()
}

/// Scans from `pos` over connecting words to an amount; the amount, its unit, the end of the
/// statement and a year named on the way.
fn amount_after(chars: &[char], mut pos: usize) -> Option<(Decimal, Unit, usize, Option<i32>)> {
    let mut skipped = 0;
    let mut year = None;
    loop {
        let c = *chars.get(pos)?;
        if c.is_ascii_digit() || c == '-' {
            let (v, p) = scan_number(chars, pos)?;
            for (word, unit) in [
                ("亿元", Unit::YiYuan),
                ("万元", Unit::WanYuan),
                ("元", Unit::Yuan),
            ] {
                let w: Vec<char> = word.chars().collect();
                if chars.get(p..p + w.len()) == Some(w.as_slice()) {
                    return Some((v, unit, p + w.len(), year));
                }
            }
            // A year on the way (`2024 年预算数为`).
            if chars.get(p) == Some(&'年') && p - pos == 4 && v.scale() == 0 {
                year = i32::try_from(v.mantissa()).ok();
                pos = p + 1;
                continue;
            }
            return None;
        }
        if !CONNECTORS.contains(c) || skipped >= MAX_CONNECTORS {
            return None;
        }
        skipped += 1;
        pos += 1;
    }
}

/// Every statement of `names` in the narrative that is about the document's year.
fn statements<'p>(
    paras: &'p [NormParagraph<'p>],
    names: &[Vec<char>],
    doc_year: Option<i32>,
) -> Vec<Statement<'p>> {
    let mut out = Vec::new();
    for para in paras {
        // The paragraph without quotation marks, with each char's index in `para.chars`.
        let (chars, index): (Vec<char>, Vec<usize>) = para
            .chars
            .iter()
            .enumerate()
            .filter(|(_, c)| !is_quote(**c))
            .map(|(i, c)| (*c, i))
            .unzip();
        for name in names.iter().filter(|n| !n.is_empty()) {
            let mut i = 0;
            while i + name.len() <= chars.len() {
                if chars.get(i..i + name.len()) != Some(name.as_slice()) {
                    i += 1;
                    continue;
                }
                let after = i + name.len();
                if inside_other(&chars, i, name) || !starts_word(&chars, i) {
                    i = after;
                    continue;
                }
                let found = amount_after(&chars, after);
                let Some((value, unit, end, year_after)) = found else {
                    i = after;
                    continue;
                };
                let before_year = year_before(&chars, i);
                let last_year = i >= 2 && chars.get(i - 2..i) == Some(&['上', '年'][..]);
                let other_year = [year_after, before_year]
                    .iter()
                    .flatten()
                    .any(|y| doc_year.is_some_and(|d| d != *y));
                if !other_year && !last_year {
                    let map = |k: usize| index.get(k).copied();
                    if let (Some(s), Some(e)) = (map(i), end.checked_sub(1).and_then(map)) {
                        out.push(Statement {
                            para,
                            start: s,
                            end: e + 1,
                            value,
                            unit,
                        });
                    }
                }
                i = end;
            }
        }
    }
    out.sort_by_key(|s| (s.para.section, s.para.offsets.first().copied(), s.start));
    out
}

fn stated_num(s: &Statement<'_>) -> Num {
    Num::printed(s.value, NumKind::Amount(s.unit)).with_origin(text_origin(s.para, s.start, s.end))
}

fn names_of(
    ev: &mut Evaluator<'_, '_>,
    args: &[Node],
    from: usize,
    span: Span,
) -> Result<Vec<Vec<char>>, EvalError> {
    let mut out = Vec::new();
    for i in from..args.len() {
        out.push(name_chars(&text_arg(ev, arg(args, i, span)?)?));
    }
    Ok(out)
}

/// A note when two amounts differ by a factor of 10 000 (a unit slip).
fn unit_note(a: &Num, b: &Num) -> Option<String> {
    let ratio = |x: &Num, y: &Num| -> Option<Decimal> {
        let xv = x.value.checked_mul(unit_factor(&x.kind))?;
        let yv = y.value.checked_mul(unit_factor(&y.kind))?;
        if yv.is_zero() {
            return None;
        }
        xv.checked_div(yv)
    };
    let r = ratio(a, b)?;
    let near = |target: Decimal| (r - target).abs() <= target * Decimal::new(1, 2);
    (near(Decimal::from(10_000)) || near(Decimal::new(1, 4)))
        .then(|| "两者相差约一万倍，疑似金额单位（元/万元）有误".to_string())
}

fn unit_factor(k: &NumKind) -> Decimal {
    match k {
        NumKind::Amount(Unit::Yuan) => Decimal::ONE,
        NumKind::Amount(Unit::WanYuan) => Decimal::from(10_000),
        NumKind::Amount(Unit::YiYuan) => Decimal::from(100_000_000),
        _ => Decimal::ONE,
    }
}

fn restated(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let mut values: Vec<Num> = Vec::new();
    let mut names = Vec::new();
    let mut missing: Option<EvalError> = None;
    for a in args {
        match ev.eval(a) {
            Ok(Value::Text(t)) => names.push(name_chars(&t.text)),
            Ok(v) => values.push(ev.to_num(v, a.span)?),
            Err(e) if matches!(e.kind, ErrorKind::Absent | ErrorKind::NotFound) => {
                missing.get_or_insert(e);
            }
            Err(e) => return Err(e),
        }
    }
    if values.is_empty() {
        return Err(match missing {
            Some(mut e) => {
                e.kind = ErrorKind::Absent;
                e
            }
            None => EvalError::runtime("复述至少需要一个值和一个名称", span),
        });
    }
    let ix = ev.ix;
    let mut out = Truth::simple(true);
    for s in statements(ix.narrative(), &names, ix.doc.meta.year) {
        let stated = stated_num(&s);
        let mut failed = Vec::new();
        let mut held = false;
        for v in &values {
            let t = compare(
                ev,
                CompareOp::Eq,
                Value::Num(stated.clone()),
                Value::Num(v.clone()),
                None,
                span,
                span,
                span,
            )?;
            if t.holds {
                held = true;
                break;
            }
            failed.extend(t.instances);
        }
        if held {
            continue;
        }
        out.holds = false;
        if let Some(mut inst) = failed.into_iter().next() {
            if inst.note.is_none() {
                inst.note = values.first().and_then(|v| unit_note(&stated, v));
            }
            out.instances.push(inst);
        }
    }
    Ok(Value::Bool(out))
}

fn consistent(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let names = names_of(ev, args, 0, span)?;
    let ix = ev.ix;
    let found = statements(ix.narrative(), &names, ix.doc.meta.year);
    let mut out = Truth::simple(true);
    let Some(first) = found.first() else {
        return Ok(Value::Bool(out));
    };
    let first_num = stated_num(first);
    for s in found.iter().skip(1) {
        let t = compare(
            ev,
            CompareOp::Eq,
            Value::Num(first_num.clone()),
            Value::Num(stated_num(s)),
            None,
            span,
            span,
            span,
        )?;
        if !t.holds {
            out.holds = false;
            out.instances.extend(t.instances);
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
    fn amounts_after_connectors() {
        let c = chars("2024年预算数为866.07万元，比");
        let (v, u, _, y) = amount_after(&c, 0).unwrap();
        assert_eq!(
            (v, u, y),
            (Decimal::new(86607, 2), Unit::WanYuan, Some(2024))
        );
        assert!(amount_after(&chars("比上年减少8万元"), 0).is_none());
        assert!(amount_after(&chars("821.07"), 0).is_none());
        let (v, ..) = amount_after(&chars("支出714.75万元"), 0).unwrap();
        assert_eq!(v, Decimal::new(71475, 2));
    }

    #[test]
    fn names_drop_quotes_and_ordinals() {
        assert_eq!(name_chars("“三公”经费"), chars("三公经费"));
        assert_eq!(
            name_chars("（七）文化旅游体育与传媒支出"),
            chars("文化旅游体育与传媒支出")
        );
        assert_eq!(year_before(&chars("2023年基本支出"), 5), Some(2023));
        let text = chars("项目支出预算169万元");
        assert!(inside_other(&text, 2, &chars("支出预算")));
        assert!(!inside_other(&text, 0, &chars("项目支出")));
        assert!(starts_word(&chars("2024年基本支出"), 5));
        assert!(!starts_word(&chars("拨款支出预算"), 2));
    }
}
