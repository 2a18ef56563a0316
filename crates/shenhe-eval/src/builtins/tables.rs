//! table/表格: a table by a fragment of its title.

use shenhe_lang::ast::Span;
use shenhe_model::name_key;

use super::{Builtin, arg, text_arg};
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::resolve::one_table;
use crate::value::Value;

pub static FUNCS: &[Builtin] = &[Builtin {
    names: &["table", "表格"],
    min_args: 1,
    max_args: 1,
    pattern_arg: None,
    signature: "table(\"标题片段\")",
    eval: table,
}];

fn table(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let frag = text_arg(ev, arg(args, 0, span)?)?;
    let key = name_key(&frag);
    if key.is_empty() {
        return Err(EvalError::runtime("标题片段为空", span));
    }
    let found = ev.ix.tables_by_title(&key);
    one_table(ev.ix, &found, &format!("表格(\"{frag}\")"), span)
}
