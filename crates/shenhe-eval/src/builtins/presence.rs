//! exists/存在, empty/为空, blank/空白.

use shenhe_lang::ast::Span;
use shenhe_model::CellValue;

use super::{Builtin, arg};
use crate::error::{ErrorKind, EvalError};
use crate::eval::Evaluator;
use crate::ir::{Node, NodeKind};
use crate::value::{Origin, Value};

pub static FUNCS: &[Builtin] = &[
    Builtin {
        names: &["exists", "存在"],
        min_args: 1,
        max_args: 1,
        pattern_arg: Some(0),
        signature: "exists(表、行、列、章节或\"模式\")",
        eval: exists,
    },
    Builtin {
        names: &["empty", "为空"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "empty(表、列、行或章节)",
        eval: empty,
    },
    Builtin {
        names: &["blank", "空白"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "blank(单元格)",
        eval: blank,
    },
];

fn exists(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let a = arg(args, 0, span)?;
    let text = ev.text(a.span);
    if let NodeKind::Pattern(m) = &a.kind {
        let ix = ev.ix;
        let all = ix.narrative();
        // The first paragraph, in order, that has a match (only those whose masks have the
        // chars a match needs are tried).
        let mut first = None;
        m.candidates(ix.para_sets(), 0..all.len(), |k| {
            if first.is_none()
                && let Some(p) = all.get(k)
                && let Some(found) = m.first_in(p)
            {
                first = Some((p, found));
            }
        });
        if let Some((p, found)) = first {
            return Ok(ev.verdict(
                true,
                || format!("叙述中有 {text}"),
                || vec![("文本", crate::eval::text_origin(p, found.start, found.end))],
            ));
        }
        return Ok(ev.verdict(
            false,
            || format!("叙述中没有与 {text} 相符的文字"),
            Vec::new,
        ));
    }
    match ev.eval(a) {
        Ok(v) => {
            let holds = !matches!(&v, Value::List(items) if items.is_empty());
            let evidence = || match &v {
                Value::Table(t) => vec![("表", Origin::Table { table: *t })],
                Value::Row(t, r) => vec![("行", Origin::Row { table: *t, row: *r })],
                Value::Section(s) => vec![("章节", Origin::Section { section: *s })],
                _ => Vec::new(),
            };
            let note = || {
                if holds {
                    format!("`{text}` 存在")
                } else {
                    format!("`{text}` 为空列表")
                }
            };
            Ok(ev.verdict(holds, note, evidence))
        }
        Err(e) if matches!(e.kind, ErrorKind::Absent | ErrorKind::NotFound) => {
            Ok(ev.verdict(false, || e.into_message(), Vec::new))
        }
        Err(e) => Err(e),
    }
}

fn empty(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let a = arg(args, 0, span)?;
    let text = ev.text(a.span);
    let v = ev.eval(a)?;
    let ix = ev.ix;
    // The evidence is made only when it is reported.
    let (holds, evidence) = match &v {
        Value::Table(t) => (
            ix.table(*t).is_none_or(|e| e.table.is_empty()),
            Some(("表", Origin::Table { table: *t })),
        ),
        Value::Column(t, c) => {
            let rows = ix.table(*t).map(|e| e.table.rows.len()).unwrap_or(0);
            let all_blank = (0..rows)
                .filter_map(|r| u32::try_from(r).ok())
                .all(|r| ix.cell(*t, r, *c).is_none_or(|cell| cell.is_blank()));
            (all_blank, Some(("表", Origin::Table { table: *t })))
        }
        Value::Row(t, r) => (
            ix.row(*t, *r)
                .is_none_or(|row| row.cells.iter().all(|c| c.is_blank())),
            Some(("行", Origin::Row { table: *t, row: *r })),
        ),
        Value::Section(s) => (
            ix.section(*s).is_none_or(|e| {
                e.section
                    .paragraphs
                    .iter()
                    .all(|p| p.text.trim().is_empty())
                    && e.section.children.is_empty()
            }),
            Some(("章节", Origin::Section { section: *s })),
        ),
        Value::Text(t) => (t.text.trim().is_empty(), None),
        Value::List(items) => (items.is_empty(), None),
        other => {
            return Err(EvalError::runtime(
                format!(
                    "empty 判断表、列、行、章节或文字是否为空，而 `{text}` 是{}",
                    other.describe()
                ),
                a.span,
            ));
        }
    };
    let note = || {
        if holds {
            format!("`{text}` 为空")
        } else {
            format!("`{text}` 不为空")
        }
    };
    Ok(ev.verdict(holds, note, || evidence.into_iter().collect()))
}

fn blank(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let a = arg(args, 0, span)?;
    let text = ev.text(a.span);
    let (holds, evidence) = match ev.eval(a)? {
        Value::Cell(t, r, c) => {
            let cell = ev.ix.cell(t, r, c);
            (
                cell.is_none_or(|c| matches!(c.value, CellValue::Blank)),
                vec![(
                    "单元格",
                    Origin::Cell {
                        table: t,
                        row: r,
                        column: c,
                    },
                )],
            )
        }
        Value::Num(n) => (
            n.blank,
            n.origins.iter().cloned().map(|o| ("单元格", o)).collect(),
        ),
        other => {
            return Err(EvalError::runtime(
                format!(
                    "blank 判断单元格是否空白，而 `{text}` 是{}",
                    other.describe()
                ),
                a.span,
            )
            .with_help("写出单元格，例如 `空白(表三.人大会议.基本支出)`"));
        }
    };
    let note = || {
        if holds {
            format!("`{text}` 空白")
        } else {
            format!("`{text}` 不是空白")
        }
    };
    Ok(ev.verdict(holds, note, || evidence))
}
