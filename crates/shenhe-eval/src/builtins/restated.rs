//! restated/复述 and consistent/复述一致: amounts the narrative states for a named item.
//!
//! A *statement* of an item is its name in the narrative followed, after only connecting words
//! (为、是、预算数、安排、支出、合计、共计、总额、本年 …, a year such as `2024 年`), by an amount
//! (`821.07 万元`): `基本支出 821.07 万元`, `一般公共服务支出 2024 年预算数为 866.07 万元`.
//! A comparison in between (比、较、增加、减少、占 …) ends the search, so `培训费较上年减少 8
//! 万元` is not a statement of 培训费. Statements about another year (a year other than the
//! document's just before or after the name, or `上年` just before it) are left out, and so
//! is a name that is the tail of a longer word (`拨款支出预算` for `支出预算`): only 年、度、的、
//! 其、中 …, the last character of an organisation's name (局、委、会、处、院 …: `商务委员会
//! 收入预算`) or a non-Chinese character may stand just before a name.
//!
//! - `复述(值, …, "名称", …)`: every statement of the names equals one of the values
//!   (rounding-aware); the text arguments are the names, the others the accepted values (a value
//!   whose table, row or column this document lacks is left out; with none left the rule does
//!   not apply). One failure instance per statement that differs, with both places as
//!   evidence.
//! - `复述一致("名称", …)`: all statements of the names agree with each other.

use rust_decimal::Decimal;
use shenhe_lang::ast::{CompareOp, Span};
use shenhe_model::Unit;

use super::{Builtin, arg, text_arg};
use crate::compare::compare;
use crate::error::{ErrorKind, EvalError};
use crate::eval::{Evaluator, text_origin};
use crate::ir::Node;
use crate::num::{Num, NumKind};
use crate::statements::{Statement, name_chars};
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

/// The stated amount; with its place in the text only when explaining.
fn stated_num(ev: &Evaluator<'_, '_>, s: &Statement<'_>) -> Num {
    let n = Num::printed(s.value, NumKind::Amount(s.unit));
    if ev.explaining() {
        n.with_origin(text_origin(s.para, s.start, s.end))
    } else {
        n
    }
}

fn names_of(
    ev: &mut Evaluator<'_, '_>,
    args: &[Node],
    from: usize,
    span: Span,
) -> Result<Vec<Vec<char>>, EvalError> {
    let mut out = Vec::new();
    for i in from..args.len() {
        out.push(name_of(&text_arg(ev, arg(args, i, span)?)?));
    }
    Ok(out)
}

/// [`name_chars`] of a name. A name of CJK ideographs only (most names) is its own key, has no
/// quote, and no ordinal prefix to strip (no separator follows its ideographs): its chars as
/// they are, collected without the normalising passes.
fn name_of(text: &str) -> Vec<char> {
    // One pass over the text: any other char leaves it to `name_chars`.
    let mut chars = Vec::with_capacity(text.len() / 3);
    for c in text.chars() {
        if !matches!(c, '\u{4E00}'..='\u{9FFF}') {
            return name_chars(text);
        }
        chars.push(c);
    }
    chars
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
        // A name written in the rule (most are) is read borrowed.
        if let Some(t) = ev.const_text(a) {
            names.push(name_of(t?));
            continue;
        }
        match ev.eval(a) {
            Ok(Value::Text(t)) => names.push(name_of(&t.text)),
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
    for s in ix
        .statement_index()
        .find(ix.narrative(), &names, ix.doc.meta.year)
    {
        let stated = stated_num(ev, &s);
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
            if !t.instances.is_empty() {
                failed.extend(t.instances);
            }
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
    let found = ix
        .statement_index()
        .find(ix.narrative(), &names, ix.doc.meta.year);
    let mut out = Truth::simple(true);
    let Some(first) = found.first() else {
        return Ok(Value::Bool(out));
    };
    let first_num = stated_num(ev, first);
    for s in found.iter().skip(1) {
        let t = compare(
            ev,
            CompareOp::Eq,
            Value::Num(first_num.clone()),
            Value::Num(stated_num(ev, s)),
            None,
            span,
            span,
            span,
        )?;
        if !t.holds {
            out.holds = false;
            if !t.instances.is_empty() {
                out.instances.extend(t.instances);
            }
        }
    }
    Ok(Value::Bool(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_name_chars_gives_them() {
        for name in [
            "",
            "基本支出",
            "一般公共预算财政拨款基本支出",
            "三公经费",
            "十二",
            "一、基本支出",
            "（一）基本支出",
            "因公出国(境)费用",
            "“三公”经费",
            " 项目支出",
        ] {
            assert_eq!(name_of(name), name_chars(name), "{name}");
        }
    }
}
