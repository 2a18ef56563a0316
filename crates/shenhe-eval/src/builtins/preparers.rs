//! preparers_match/编制单位相符: every table's printed preparing body against the disclosing
//! body the document names.

use shenhe_lang::ast::{CompareOp, Span};
use shenhe_model::name_key;

use super::Builtin;
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::value::{Origin, Text, ToleranceUsed, Truth, Value};

pub static FUNCS: &[Builtin] = &[Builtin {
    names: &["preparers_match", "编制单位相符"],
    min_args: 0,
    max_args: 0,
    pattern_arg: None,
    signature: "preparers_match()",
    eval: preparers_match,
}];

/// True when every table that prints a preparing body (`编制单位：…`) names the body the
/// document discloses for; one instance per table that names another. Names are compared by
/// their keys (width, spaces and quotation marks do not count), and a qualifier in brackets
/// after the body's name (`某某局（本级）`) is accepted. Not applicable when the document names no
/// body or no table prints one.
fn preparers_match(
    ev: &mut Evaluator<'_, '_>,
    _args: &[Node],
    span: Span,
) -> Result<Value, EvalError> {
    let ix = ev.ix;
    let Some(unit) = ix.doc.meta.unit_name.as_deref() else {
        return Err(EvalError::absent("文档没有写明公开单位的名称", span));
    };
    if ix.doc.tables.iter().all(|t| t.preparer.is_none()) {
        return Err(EvalError::absent("没有一张表印出编制单位", span));
    }
    let unit_key = name_key(unit);
    let mut out = Truth::simple(true);
    for (t, table) in ix.doc.tables.iter().enumerate() {
        let Some(p) = &table.preparer else { continue };
        if same_body(&name_key(&p.name), &unit_key) {
            continue;
        }
        let Ok(t) = u32::try_from(t) else { break };
        let side = |text: String, origin: Origin| {
            Value::Text(Text {
                text: text.into(),
                origin: Some(origin),
            })
        };
        let mismatch = crate::compare::record(
            CompareOp::Eq,
            false,
            side(p.name.clone(), Origin::Preparer { table: t }),
            side(unit.to_string(), Origin::UnitName),
            None,
            ToleranceUsed::Strict,
            span,
        );
        out.holds = false;
        for mut i in mismatch.instances {
            i.vars.push(("表".into(), Value::Table(t)));
            out.instances.push(i);
        }
    }
    Ok(Value::Bool(out))
}

/// Whether a preparer's key names the body: the same key, or the body's key followed by one
/// bracketed qualifier (`某某局(本级)`).
fn same_body(preparer: &str, unit: &str) -> bool {
    match preparer.strip_prefix(unit) {
        Some("") => true,
        Some(rest) => {
            rest.starts_with('(') && rest.ends_with(')') && rest.matches('(').count() == 1
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualifiers() {
        let unit = name_key("上海市普陀区商务委员会");
        assert!(same_body(&name_key("上海市普陀区商务委员会"), &unit));
        assert!(same_body(
            &name_key("上海市普陀区 商务委员会（本级）"),
            &unit
        ));
        assert!(!same_body(&name_key("上海市普陀区民政局"), &unit));
        assert!(!same_body(&name_key("上海市普陀区商务委员会机关"), &unit));
        assert!(!same_body(
            &name_key("上海市普陀区商务委员会(本级)(汇总)"),
            &unit
        ));
    }
}
