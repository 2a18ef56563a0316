//! Classification rows against the catalogue (政府收支分类科目):
//! bare_name/科目名, in_catalogue/在目录, old_name/曾用名, parent_code/上级编码,
//! rows_by_code/编码行,
//! rows_at_level/层级行, old_names_in_text/旧称文字.

use std::borrow::Cow;

use shenhe_lang::ast::{CompareOp, Span};
use shenhe_model::{CatalogueEntry, Level, Row, Scheme};

use super::{Builtin, arg, row_arg, table_arg, text_arg};
use crate::catindex::RowEntries;
use crate::docindex::key_eq;
use crate::error::EvalError;
use crate::eval::{Evaluator, text_origin};
use crate::ir::Node;
use crate::value::{CompareRecord, Instance, Origin, Text, ToleranceUsed, Truth, Value};

pub static FUNCS: &[Builtin] = &[
    Builtin {
        names: &["bare_name", "科目名"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "bare_name(行)",
        eval: bare_name,
    },
    Builtin {
        names: &["in_catalogue", "在目录"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "in_catalogue(行)",
        eval: in_catalogue,
    },
    Builtin {
        names: &["old_name", "曾用名"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "old_name(行)",
        eval: old_name,
    },
    Builtin {
        names: &["parent_code", "上级编码"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "parent_code(行)",
        eval: parent_code,
    },
    Builtin {
        names: &["rows_by_code", "编码行"],
        min_args: 2,
        max_args: usize::MAX,
        pattern_arg: None,
        signature: "rows_by_code(表, \"编码\", …)",
        eval: rows_by_code,
    },
    Builtin {
        names: &["rows_at_level", "层级行"],
        min_args: 2,
        max_args: 2,
        pattern_arg: None,
        signature: "rows_at_level(表, \"类\"|\"款\"|\"项\")",
        eval: rows_at_level,
    },
    Builtin {
        names: &["old_names_in_text", "旧称文字"],
        min_args: 0,
        max_args: 0,
        pattern_arg: None,
        signature: "old_names_in_text()",
        eval: old_names_in_text,
    },
];

/// A row's name without an ordinal prefix (`（七）`) or a printed code (`[30201]`, `2010101`),
/// from the key of its name without the ordinal ([`Row::name_key`]).
fn bare_of(stripped: &str) -> &str {
    let no_code = stripped.trim_start_matches(|c: char| {
        c.is_ascii_digit() || matches!(c, '[' | ']' | '【' | '】' | ' ')
    });
    if no_code.is_empty() {
        stripped
    } else {
        no_code
    }
}

/// [`bare_of`] a label.
#[cfg(test)]
fn bare(label: &str) -> String {
    let stripped = Row {
        label: label.to_string(),
        ..Row::default()
    }
    .name_key();
    bare_of(&stripped).to_string()
}

/// The bare name of row `r` of table `t` (its keys are built once per document).
fn row_bare<'a>(ev: &Evaluator<'a, '_>, t: u32, r: u32) -> &'a str {
    ev.ix
        .row_keys(t, r)
        .map(|k| bare_of(k.stripped()))
        .unwrap_or("")
}

/// The row's code and scheme (classified, else printed).
fn row_code(row: &Row) -> Option<(Cow<'_, str>, Scheme)> {
    if let Some(c) = &row.classification {
        return Some((Cow::Borrowed(c.code.as_str()), c.scheme));
    }
    let printed = row.code.as_deref()?;
    let code: Cow<'_, str> = if printed.chars().all(|c| c.is_ascii_digit()) {
        Cow::Borrowed(printed)
    } else {
        Cow::Owned(printed.chars().filter(char::is_ascii_digit).collect())
    };
    Level::of_code(&code)?;
    let scheme = Scheme::of_code(&code)?;
    Some((code, scheme))
}

fn bare_name(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    super::rows::row_value(ev, args, span, row_bare)
}

/// [`bare_name`]'s text, borrowed from the document index.
pub fn bare_name_text<'a>(
    ev: &mut Evaluator<'a, '_>,
    args: &[Node],
    span: Span,
) -> Result<&'a str, EvalError> {
    super::rows::row_str(ev, args, span, row_bare)
}

/// The catalogue entries of row `r` of table `t`, found once per row of the document.
pub(super) fn row_entries(ev: &Evaluator<'_, '_>, t: u32, r: u32) -> RowEntries {
    let Some(e) = ev.ix.table(t) else {
        return RowEntries::default();
    };
    let rows = &e.table.rows;
    let Some(row) = rows.get(r as usize) else {
        return RowEntries::default();
    };
    e.catalogue
        .get(rows.len(), r as usize, || find_entries(ev, t, r, row))
}

/// The code's entries, walked once without collecting them: the first valid in the year, and
/// the first of another year bearing the row's name (a row without a code has none: its name
/// is not looked at). The row's name is keyed only when some entry of the code is not valid
/// in the year (most codes have one entry, valid in every year).
fn find_entries(ev: &Evaluator<'_, '_>, t: u32, r: u32, row: &Row) -> RowEntries {
    let year = ev.ix.doc.meta.year;
    let mut found = RowEntries::default();
    let Some((c, scheme)) = row_code(row) else {
        return found;
    };
    found.leveled = Level::of_code(&c).is_some();
    let mut name: Option<&str> = None;
    for (i, e) in ev.codes.by_code_indexed(ev.catalogue, scheme, &c) {
        if e.valid_in(year) {
            if found.current.is_none() {
                found.current = Some(i);
            }
        } else if found.old.is_none()
            && key_eq(&e.name, name.get_or_insert_with(|| row_bare(ev, t, r)))
        {
            found.old = Some(i);
        }
        if found.current.is_some() && found.old.is_some() {
            break;
        }
    }
    found
}

fn in_catalogue(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let (t, r) = row_arg(ev, arg(args, 0, span)?)?;
    Ok(Value::truth(row_entries(ev, t, r).current.is_some()))
}

fn old_name(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let (t, r) = row_arg(ev, arg(args, 0, span)?)?;
    let Some(row) = ev.ix.row(t, r) else {
        return Ok(Value::truth(false));
    };
    let year = ev.ix.doc.meta.year;
    let found = row_entries(ev, t, r);
    let entries = ev.catalogue.entries();
    let current = found.current.and_then(|i| entries.get(i));
    let mut old = found.old.and_then(|i| entries.get(i));
    // A current name is never old (without an old name, whether the current one is the row's
    // does not matter).
    let is_current = old.is_some() && current.is_some_and(|e| key_eq(&e.name, row_bare(ev, t, r)));
    if is_current {
        old = None;
    }
    let holds = !is_current && old.is_some();
    let note = || match (old, current) {
        (Some(o), Some(c)) if holds => format!(
            "「{}」是编码 {} {}的名称，{} 年为「{}」",
            o.name,
            o.code,
            years(o),
            year.map(|y| y.to_string()).unwrap_or_default(),
            c.name
        ),
        _ => format!("「{}」不是旧名称", row.label),
    };
    Ok(ev.verdict(holds, note, || {
        vec![("行", Origin::Row { table: t, row: r })]
    }))
}

fn years(e: &CatalogueEntry) -> String {
    match (e.since, e.until) {
        (Some(s), Some(u)) => format!("{s}—{u} 年"),
        (None, Some(u)) => format!("{u} 年及以前"),
        (Some(s), None) => format!("{s} 年起"),
        (None, None) => String::new(),
    }
}

/// The code of the level above the row's code (`2080505` → `20805`, `20805` → `208`); empty
/// for a 类 or a row without a code.
fn parent_code(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let (t, r) = row_arg(ev, arg(args, 0, span)?)?;
    let code = ev
        .ix
        .row(t, r)
        .and_then(row_code)
        .and_then(|(c, _)| shenhe_model::Catalogue::parent_code(&c).map(str::to_string))
        .unwrap_or_default();
    Ok(super::rows::row_text(t, r, code))
}

fn rows_by_code(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let t = table_arg(ev, arg(args, 0, span)?)?;
    let mut codes = Vec::new();
    for i in 1..args.len() {
        codes.push(text_arg(ev, arg(args, i, span)?)?);
    }
    Ok(rows_where(ev, t, |row| {
        row_code(row).is_some_and(|(c, _)| codes.contains(&c))
    }))
}

/// The rows of table `t` for which `keep` holds, in table order, as a list.
fn rows_where(ev: &Evaluator<'_, '_>, t: u32, keep: impl Fn(&Row) -> bool) -> Value {
    let rows = ev
        .ix
        .table(t)
        .map(|e| e.table.rows.as_slice())
        .unwrap_or(&[]);
    Value::List(
        rows.iter()
            .enumerate()
            .filter(|(_, row)| keep(row))
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .map(|r| Value::Row(t, r))
            .collect(),
    )
}

fn rows_at_level(
    ev: &mut Evaluator<'_, '_>,
    args: &[Node],
    span: Span,
) -> Result<Value, EvalError> {
    let t = table_arg(ev, arg(args, 0, span)?)?;
    let level_node = arg(args, 1, span)?;
    let want = text_arg(ev, level_node)?;
    if !["类", "款", "项"].contains(&want.as_ref()) {
        return Err(EvalError::runtime(
            format!("层级须是 \"类\"、\"款\" 或 \"项\"，而不是 `{want}`"),
            level_node.span,
        ));
    }
    Ok(rows_where(ev, t, |row| {
        row.classification
            .as_ref()
            .is_some_and(|c| c.level.name() == want)
    }))
}

fn old_names_in_text(
    ev: &mut Evaluator<'_, '_>,
    _args: &[Node],
    span: Span,
) -> Result<Value, EvalError> {
    let ix = ev.ix;
    let Some(year) = ix.doc.meta.year else {
        return Err(EvalError::absent("文档没有给出年度", span));
    };
    let cat = ev.catalogue;
    // Names valid only before the document's year, that no code bears in that year (their
    // keys built once per catalogue index).
    let old: Vec<_> = ev.codes.old_names(cat, year).collect();
    let mut out = Truth::simple(true);
    // A paragraph's matches: (start, end, index into `old`).
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    for p in ix.narrative() {
        found.clear();
        for (k, (_, dated)) in old.iter().enumerate() {
            let (name, mask) = (&dated.chars, dated.mask);
            // A paragraph lacking one of the name's chars cannot hold it.
            if p.mask & mask != mask {
                continue;
            }
            let mut from = 0;
            while let Some(i) = crate::pattern::find_from(&p.chars, name, from) {
                found.push((i, i + name.len(), k));
                from = i + name.len();
            }
        }
        // An old name inside a longer one found at the same place (`国土资源事务` in
        // `其他国土资源事务支出`) is that one's, not a second use.
        let inside = |&(i, j, k): &(usize, usize, usize)| {
            found
                .iter()
                .any(|&(a, b, m)| m != k && a <= i && j <= b && (b - a) > (j - i))
        };
        for &(i, end, k) in found.iter().filter(|m| !inside(m)) {
            let Some((e, _)) = old.get(k) else { continue };
            let current = cat
                .name_in(e.scheme, &e.code, Some(year))
                .map(|c| c.name.clone())
                .unwrap_or_default();
            let origin = text_origin(p, i, end);
            out.holds = false;
            out.instances.push(Instance {
                compare: Some(Box::new(CompareRecord {
                    op: CompareOp::Eq,
                    left: Value::Text(Text {
                        text: e.name.clone().into(),
                        origin: Some(origin.clone()),
                    }),
                    right: Value::Text(Text::plain(current.clone())),
                    difference: None,
                    tolerance: ToleranceUsed::Strict,
                })),
                evidence: vec![("文本", origin)],
                note: Some(format!(
                    "「{}」是编码 {} {}的名称，{year} 年为「{current}」",
                    e.name,
                    e.code,
                    years(e)
                )),
                span: Some(span),
                ..Instance::default()
            });
        }
    }
    Ok(Value::Bool(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_names() {
        assert_eq!(bare("（七）文化体育与传媒支出"), "文化体育与传媒支出");
        assert_eq!(bare("[30201]办公费"), "办公费");
        assert_eq!(bare("301 工作福利支出"), "工作福利支出");
        assert_eq!(bare("行政运行"), "行政运行");
    }
}
