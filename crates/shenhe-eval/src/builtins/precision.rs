//! decimals/小数位: how many decimals a number is printed with (`82.93%` → 2, `169 万元` → 0,
//! a table cell as printed). For a computed value (a sum, `占比(…)`) it is the number of
//! decimals the result is shown with. Used for house rules such as "percentages are printed
//! with two decimals": `每处 "{p:百分比}": 小数位(p) == 2`.

use rust_decimal::Decimal;
use shenhe_lang::ast::Span;

use super::{Builtin, arg};
use crate::error::EvalError;
use crate::eval::{Evaluator, plain};
use crate::ir::Node;
use crate::value::Value;

pub static FUNCS: &[Builtin] = &[Builtin {
    names: &["decimals", "小数位"],
    min_args: 1,
    max_args: 1,
    pattern_arg: None,
    signature: "decimals(值)",
    eval: decimals,
}];

fn decimals(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let n = ev.eval_num(arg(args, 0, span)?)?;
    let mut out = plain(Decimal::from(n.scale));
    if let Value::Num(num) = &mut out {
        num.origins = n.origins;
    }
    Ok(out)
}
