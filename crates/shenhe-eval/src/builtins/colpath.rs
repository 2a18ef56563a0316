//! column_path/路径列: an amount column named by fragments of its whole header path.
//!
//! `路径列(表, "片段", …)` is the one amount column whose header path, read top down and joined
//! (`财政拨款“三公”经费` + `合计` + `决算数`), contains every fragment in the order given:
//! `路径列(三公经费表, "合计", "决算数")`, `路径列(三公经费表, "运行", "预算数")`. It tells
//! apart columns whose own names repeat under different headers (`预算数` / `决算数` under each
//! item of a 决算 “三公” table), which `查列` (own name only) cannot, and it reads a header
//! printed as one line (`合计决算数`) the same as one printed over two. Names are compared like
//! everywhere else (no spaces or quotation marks, full/half-width unified). No such column:
//! "not found" (`存在(路径列(…))` is false); several: an error listing them.

use shenhe_lang::ast::Span;
use shenhe_model::{ColumnKind, name_key};

use super::{Builtin, arg, single_hit, table_arg, text_arg};
use crate::error::EvalError;
use crate::eval::Evaluator;
use crate::ir::Node;
use crate::value::Value;

pub static FUNCS: &[Builtin] = &[Builtin {
    names: &["column_path", "路径列"],
    min_args: 2,
    max_args: usize::MAX,
    pattern_arg: None,
    signature: "column_path(表, \"片段\", …)",
    eval: column_path,
}];

/// Whether `hay` contains the keys one after another, in order.
fn in_order(hay: &str, keys: &[String]) -> bool {
    let mut rest = hay;
    for k in keys {
        match rest.find(k.as_str()) {
            Some(i) => rest = rest.get(i + k.len()..).unwrap_or(""),
            None => return false,
        }
    }
    true
}

fn column_path(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let t = table_arg(ev, arg(args, 0, span)?)?;
    let mut frags = Vec::new();
    for a in args.iter().skip(1) {
        frags.push(text_arg(ev, a)?);
    }
    let keys: Vec<String> = frags
        .iter()
        .map(|f| name_key(f))
        .filter(|k| !k.is_empty())
        .collect();
    let ix = ev.ix;
    let Some(e) = ix.table(t) else {
        return Err(EvalError::runtime("内部错误：表不存在", span));
    };
    // `joined` is the path's keys concatenated (built once per document).
    let hits: Vec<u32> = e
        .table
        .columns
        .iter()
        .zip(e.columns())
        .enumerate()
        .filter(|(_, (c, k))| {
            c.kind == ColumnKind::Amount && !keys.is_empty() && in_order(&k.joined, &keys)
        })
        .filter_map(|(i, _)| u32::try_from(i).ok())
        .collect();
    if let [c] = hits.as_slice() {
        return Ok(Value::Column(t, *c));
    }
    let wanted = frags.join(" … ");
    single_hit(
        &hits,
        &ix.table_name(t),
        &format!("表头依次含 `{wanted}` 的金额列"),
        "列",
        |c| ix.column_name(t, c),
        "多写一个片段，使它只对应一列",
        span,
        |c| Value::Column(t, c),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_in_order() {
        let keys = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(in_order(
            "财政拨款三公经费合计决算数",
            &keys(&["合计", "决算数"])
        ));
        assert!(!in_order(
            "财政拨款三公经费决算数合计",
            &keys(&["合计", "决算数"])
        ));
        assert!(in_order(
            "公务用车运行维护费预算数",
            &keys(&["运行", "预算数"])
        ));
    }
}
