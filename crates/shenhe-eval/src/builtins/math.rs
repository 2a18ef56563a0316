//! abs/绝对值, round/舍入.

use shenhe_lang::ast::Span;

use super::{Builtin, arg};
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::num::NumKind;
use crate::value::Value;

pub static FUNCS: &[Builtin] = &[
    Builtin {
        names: &["abs", "绝对值"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "abs(值)",
        eval: abs,
    },
    Builtin {
        names: &["round", "舍入"],
        min_args: 2,
        max_args: 2,
        pattern_arg: None,
        signature: "round(值, 小数位数)",
        eval: round,
    },
];

fn abs(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    Ok(Value::Num(ev.eval_num(arg(args, 0, span)?)?.abs()))
}

fn round(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let x = ev.eval_num(arg(args, 0, span)?)?;
    let d_node = arg(args, 1, span)?;
    let d = ev.eval_num(d_node)?;
    let places = if d.kind == NumKind::Plain && d.is_exact() && d.value.fract().is_zero() {
        u32::try_from(d.value.mantissa() / 10i128.pow(d.value.scale()))
            .ok()
            .filter(|p| *p <= 20)
    } else {
        None
    };
    let Some(places) = places else {
        return Err(EvalError::runtime(
            format!(
                "小数位数须是 0 到 20 的整数，而不是 `{}`",
                ev.text(d_node.span)
            ),
            d_node.span,
        ));
    };
    Ok(Value::Num(x.round(places)))
}
