//! share/占比 (部分 ÷ 整体, as a percentage) and growth/增幅 ((本期 − 基期) ÷ 基期).

use shenhe_lang::ast::Span;

use super::{Builtin, arg};
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::value::Value;

pub static FUNCS: &[Builtin] = &[
    Builtin {
        names: &["share", "占比"],
        min_args: 2,
        max_args: 2,
        pattern_arg: None,
        signature: "share(部分, 整体)",
        eval: share,
    },
    Builtin {
        names: &["growth", "增幅"],
        min_args: 2,
        max_args: 2,
        pattern_arg: None,
        signature: "growth(本期, 基期)",
        eval: growth,
    },
];

fn share(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let part = ev.eval_num(arg(args, 0, span)?)?;
    let whole_node = arg(args, 1, span)?;
    let whole = ev.eval_num(whole_node)?;
    part.share(whole, ev.text(whole_node.span))
        .map(Value::Num)
        .map_err(|e| e.at(span))
}

fn growth(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let current = ev.eval_num(arg(args, 0, span)?)?;
    let base_node = arg(args, 1, span)?;
    let base = ev.eval_num(base_node)?;
    current
        .growth(base, ev.text(base_node.span))
        .map(Value::Num)
        .map_err(|e| e.at(span))
}
