//! sign/方向: `增加`, `减少` or `持平` by the sign of a number.

use shenhe_lang::ast::Span;

use super::{Builtin, arg};
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::value::{Text, Value};

pub static FUNCS: &[Builtin] = &[Builtin {
    names: &["sign", "方向"],
    min_args: 1,
    max_args: 1,
    pattern_arg: None,
    signature: "sign(值)",
    eval: sign,
}];

fn sign(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let n = ev.eval_num(arg(args, 0, span)?)?;
    let word = if n.value.is_zero() {
        "持平"
    } else if n.value.is_sign_negative() {
        "减少"
    } else {
        "增加"
    };
    Ok(Value::Text(Text {
        text: word.to_string().into(),
        origin: n.origins.first().cloned(),
    }))
}
