//! positive/为正: whether a number is certainly greater than zero (its whole rounding interval
//! lies above zero). The result is a plain condition without a comparison, so in
//! `非 为正(本 - 变) 或 率 == 占比(变, 本 - 变)` a failure reports the rate comparison, and a
//! base that may be zero is never divided by.

use shenhe_lang::ast::Span;

use super::{Builtin, arg};
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::value::Value;

pub static FUNCS: &[Builtin] = &[Builtin {
    names: &["positive", "为正"],
    min_args: 1,
    max_args: 1,
    pattern_arg: None,
    signature: "positive(值)",
    eval: positive,
}];

fn positive(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let a = arg(args, 0, span)?;
    let n = ev.eval_num(a)?;
    let holds = n.lo > rust_decimal::Decimal::ZERO;
    let text = ev.text(a.span);
    // The note and evidence only when they may be reported.
    let note = || {
        if holds {
            format!("`{text}` 为 {}，大于零", n.display())
        } else {
            format!("`{text}` 为 {}，不一定大于零", n.display())
        }
    };
    let evidence = || n.origins.iter().cloned().map(|o| ("值", o)).collect();
    Ok(ev.verdict(holds, note, evidence))
}
