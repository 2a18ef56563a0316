//! required_tables/必备表: every table role the document's template requires (the
//! profile's `required` list in `rules/profiles.toml`) is present. One failure instance per
//! missing role; `{表}` in a message names the role.

use shenhe_lang::ast::Span;

use super::Builtin;
use crate::docindex::{key_cow, key_eq};
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::value::{Instance, Text, Truth, Value};

pub static FUNCS: &[Builtin] = &[Builtin {
    names: &["required_tables", "必备表"],
    min_args: 0,
    max_args: 0,
    pattern_arg: None,
    signature: "required_tables()",
    eval: required_tables,
}];

fn required_tables(
    ev: &mut Evaluator<'_, '_>,
    _args: &[Node],
    span: Span,
) -> Result<Value, EvalError> {
    let ix = ev.ix;
    let Some(template) = ix.template.as_deref() else {
        return Err(EvalError::absent("文档的模板未识别", span));
    };
    let mut out = Truth::simple(true);
    for role in &ix.required {
        // Keys built only for names that are not keys already.
        let key = key_cow(role);
        let present = ix
            .tables
            .iter()
            .any(|e| e.role() == Some(&*key) || e.role_name().is_some_and(|n| key_eq(n, &key)));
        if present {
            continue;
        }
        out.holds = false;
        out.instances.push(Instance {
            note: Some(format!("模板「{template}」要求的「{role}」不在文档中")),
            vars: vec![("表".into(), Value::Text(Text::plain(role.clone())))],
            span: Some(span),
            ..Instance::default()
        });
    }
    Ok(Value::Bool(out))
}
