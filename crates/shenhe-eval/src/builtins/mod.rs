//! Built-in functions, one file per family. Each has an English name and Chinese aliases; the
//! compiler resolves a call to its [`Builtin`] once, checks the number of arguments, and
//! compiles pattern arguments.

use std::borrow::Cow;

use shenhe_lang::ast::Span;

use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::{Node, NodeKind};
use crate::num::Num;
use crate::value::Value;

mod aggregate;
mod catalogue;
mod changes;
// Rule-pack built-ins: collect, codes, placement, predicates, preparers, required, restated,
// totals, wording.
mod codes;
mod collect;
mod colpath;
mod math;
mod meta;
mod narrative;
mod placement;
mod precision;
mod predicates;
mod preparers;
mod presence;
mod ratio;
mod reasons;
mod required;
mod restated;
mod rollup;
mod rowpath;
mod rows;
mod sign;
mod tables;
mod totals;
pub(crate) mod wording;

pub type BuiltinFn = fn(&mut Evaluator<'_, '_>, &[Node], Span) -> Result<Value, EvalError>;

/// A built-in whose value is a text borrowed from the document or the catalogue, given
/// without building a value (see [`text_fn`]).
pub type TextFn =
    for<'a, 'd> fn(&mut Evaluator<'a, 'd>, &[Node], Span) -> Result<&'a str, EvalError>;

/// The borrowed form of a built-in whose value is a text without an origin worth keeping in the
/// fast pass or as a key (`科目名(行)`, `目录名称(行)`, `层级(行)`, `编码(行)`, `无效编码(行)`): it
/// evaluates
/// what the built-in evaluates and fails as it fails.
pub fn text_fn(func: &Builtin) -> Option<TextFn> {
    match func.names.first().copied() {
        Some("bare_name") => Some(codes::bare_name_text),
        Some("catalogue_name") => Some(catalogue::catalogue_name_text),
        Some("level") => Some(rows::level_text),
        Some("code") => Some(rows::code_text),
        Some("unread_code") => Some(rows::unread_code_text),
        _ => None,
    }
}

/// A built-in function.
pub struct Builtin {
    /// English name first, then Chinese aliases.
    pub names: &'static [&'static str],
    pub min_args: usize,
    /// `usize::MAX` for any number.
    pub max_args: usize,
    /// An argument that, when written as a string literal, is compiled as a pattern.
    pub pattern_arg: Option<usize>,
    /// How to call it, for help messages (`sum(值, …)`).
    pub signature: &'static str,
    pub eval: BuiltinFn,
}

impl std::fmt::Debug for Builtin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.signature)
    }
}

fn families() -> [&'static [Builtin]; 25] {
    [
        aggregate::FUNCS,
        math::FUNCS,
        ratio::FUNCS,
        presence::FUNCS,
        rollup::FUNCS,
        narrative::FUNCS,
        meta::FUNCS,
        sign::FUNCS,
        rows::FUNCS,
        tables::FUNCS,
        catalogue::FUNCS,
        collect::FUNCS,
        totals::FUNCS,
        placement::FUNCS,
        required::FUNCS,
        preparers::FUNCS,
        restated::FUNCS,
        codes::FUNCS,
        wording::FUNCS,
        predicates::FUNCS,
        precision::FUNCS,
        reasons::FUNCS,
        changes::FUNCS,
        rowpath::FUNCS,
        colpath::FUNCS,
    ]
}

/// Every built-in.
pub fn all() -> impl Iterator<Item = &'static Builtin> {
    families().into_iter().flat_map(|f| f.iter())
}

/// The built-in called `name` (English names ignore case).
pub fn lookup(name: &str) -> Option<&'static Builtin> {
    all().find(|b| {
        b.names
            .iter()
            .any(|n| *n == name || n.eq_ignore_ascii_case(name))
    })
}

/// Every name and alias (for did-you-mean).
pub fn all_names() -> Vec<String> {
    all()
        .flat_map(|b| b.names.iter().map(|n| n.to_string()))
        .collect()
}

/// The pattern (first argument, compiled) and the optional section scope (second argument) of
/// a built-in that searches the narrative; `name` is the built-in's name for messages.
pub fn pattern_and_scope<'n>(
    ev: &mut Evaluator<'_, '_>,
    args: &'n [Node],
    span: Span,
    name: &str,
) -> Result<(&'n crate::pattern::Matcher, Option<u32>), EvalError> {
    let p = arg(args, 0, span)?;
    let NodeKind::Pattern(matcher) = &p.kind else {
        return Err(EvalError::runtime(
            format!("{name} 的第一个参数须是写在引号里的模式"),
            p.span,
        ));
    };
    let scope = match args.get(1) {
        None => None,
        Some(s) => match ev.eval(s)? {
            Value::Section(i) => Some(i),
            other => {
                return Err(EvalError::runtime(
                    format!("`{}` 是{}，这里需要章节", ev.text(s.span), other.describe()),
                    s.span,
                ));
            }
        },
    };
    Ok((matcher, scope))
}

/// The one row or column a lookup found in `table` (its display name): `Ok(found(hit))`; no
/// hit is a not-found error, several a runtime error naming them (`what` describes the lookup,
/// e.g. ``名称含 `x` 的行``, `unit` counts the hits, `help` says how to narrow it).
#[allow(clippy::too_many_arguments)]
pub fn single_hit(
    hits: &[u32],
    table: &str,
    what: &str,
    unit: &str,
    name: impl Fn(u32) -> String,
    help: &str,
    span: Span,
    found: impl FnOnce(u32) -> Value,
) -> Result<Value, EvalError> {
    match hits {
        [one] => Ok(found(*one)),
        [] => Err(EvalError::not_found(format!("{table} 中没有{what}"), span)),
        many => {
            let names: Vec<String> = many.iter().map(|h| format!("`{}`", name(*h))).collect();
            Err(EvalError::runtime(
                format!(
                    "{table} 中{what}有 {} {unit}：{}",
                    many.len(),
                    names.join("、")
                ),
                span,
            )
            .with_help(help))
        }
    }
}

/// Built-ins that build their evidence in both passes and evaluate nothing differently when
/// explaining (`合计行`, `合计列`).
const SAME_IN_BOTH_PASSES: &[&str] = &["total_rows", "total_columns"];

/// Whether an assertion gives, in the fast pass, the very value (evidence included) and step
/// count the explaining pass would give: a call of one of [`SAME_IN_BOTH_PASSES`] over tables
/// named directly (a number, a role, a title, `各表(…)` of them). Its failure needs no second
/// evaluation.
pub fn same_in_both_passes(node: &Node) -> bool {
    let NodeKind::Call { func, args } = &node.kind else {
        return false;
    };
    func.names
        .first()
        .is_some_and(|n| SAME_IN_BOTH_PASSES.contains(n))
        && args.iter().all(names_tables)
}

/// A table reference whose evaluation does not depend on the pass (nor on bindings).
fn names_tables(node: &Node) -> bool {
    match &node.kind {
        NodeKind::TableRole { .. }
        | NodeKind::TableNumber { .. }
        | NodeKind::Const(Value::Text(_)) => true,
        NodeKind::Call { func, args } => {
            func.names.first() == Some(&"tables") && args.iter().all(names_tables)
        }
        _ => false,
    }
}

/// Argument `i` (the compiler has checked the count, so a missing one is an internal error).
#[inline(always)]
pub fn arg(args: &[Node], i: usize, span: Span) -> Result<&Node, EvalError> {
    args.get(i)
        .ok_or_else(|| EvalError::runtime("内部错误：缺少参数", span))
}

/// Every number a value stands for when summed: a column gives its detail cells, a list its
/// items, anything else itself.
pub fn collect_nums(
    ev: &Evaluator<'_, '_>,
    v: Value,
    span: Span,
    out: &mut Vec<Num>,
) -> Result<(), EvalError> {
    match v {
        Value::Column(t, c) => {
            for r in ev.ix.column_rows(t, c) {
                out.push(
                    ev.ix
                        .cell_num_with(t, r, c, ev.explaining())
                        .map_err(|m| EvalError::runtime(m, span))?,
                );
            }
            Ok(())
        }
        Value::List(items) => {
            for item in items {
                collect_nums(ev, item, span, out)?;
            }
            Ok(())
        }
        other => {
            out.push(ev.to_num(other, span)?);
            Ok(())
        }
    }
}

/// The text of a string argument.
pub fn text_arg<'n>(ev: &mut Evaluator<'_, '_>, node: &'n Node) -> Result<Cow<'n, str>, EvalError> {
    // A text written in the rule is borrowed (most text arguments are).
    if let Some(t) = ev.const_text(node) {
        return t.map(Cow::Borrowed);
    }
    match ev.eval(node)? {
        Value::Text(t) => Ok(t.text),
        other => Err(EvalError::runtime(
            format!(
                "`{}` 是{}，这里需要文字",
                ev.text(node.span),
                other.describe()
            ),
            node.span,
        )),
    }
}

/// The table and row a row-like argument stands for (a row, or a cell's row).
#[inline]
pub fn row_arg(ev: &mut Evaluator<'_, '_>, node: &Node) -> Result<(u32, u32), EvalError> {
    // `行` (most row arguments) without building a value, inlined into the built-in.
    match ev.current_row_of(node) {
        Some(row) => row,
        None => row_value(ev, node),
    }
}

/// [`row_arg`] of any other node: its value.
#[inline(never)]
fn row_value(ev: &mut Evaluator<'_, '_>, node: &Node) -> Result<(u32, u32), EvalError> {
    match ev.eval(node)? {
        Value::Row(t, r) | Value::Cell(t, r, _) => Ok((t, r)),
        other => Err(EvalError::runtime(
            format!(
                "`{}` 是{}，这里需要一行",
                ev.text(node.span),
                other.describe()
            ),
            node.span,
        )),
    }
}

/// The table a table-like argument stands for.
pub fn table_arg(ev: &mut Evaluator<'_, '_>, node: &Node) -> Result<u32, EvalError> {
    let v = ev.eval(node)?;
    table_value(ev, v, node)
}

/// The table an evaluated argument is; an error naming what it is otherwise.
pub fn table_value(ev: &Evaluator<'_, '_>, v: Value, node: &Node) -> Result<u32, EvalError> {
    match v {
        Value::Table(t) => Ok(t),
        other => Err(EvalError::runtime(
            format!(
                "`{}` 是{}，这里需要一张表",
                ev.text(node.span),
                other.describe()
            ),
            node.span,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let names = all_names();
        for (i, n) in names.iter().enumerate() {
            assert!(!names[i + 1..].contains(n), "duplicate function name {n}");
        }
        assert!(lookup("SUM").is_some());
        assert!(lookup("求和").is_some());
        assert!(lookup("summ").is_none());
    }
}
