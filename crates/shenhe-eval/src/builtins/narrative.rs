//! section/章节, contains/包含, notes/附注, matches/匹配数, captured/匹配值, text/文本.

use std::borrow::Cow;
use std::rc::Rc;

use rust_decimal::Decimal;
use shenhe_lang::ast::Span;
use shenhe_model::{contains_str, name_key};

use super::{Builtin, arg, pattern_and_scope, table_arg, text_arg};
use crate::docindex::{SectionEntry, half_width};
use crate::error::EvalError;
use crate::eval::{Evaluator, captured_value, plain, text_origin};
use crate::ir::Node;
use crate::value::{Origin, Text, Value};

pub static FUNCS: &[Builtin] = &[
    Builtin {
        names: &["section", "章节"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "section(\"标题片段\")",
        eval: section,
    },
    Builtin {
        names: &["contains", "包含"],
        min_args: 2,
        max_args: 2,
        pattern_arg: None,
        signature: "contains(文字、章节或附注, \"短语\")",
        eval: contains,
    },
    Builtin {
        names: &["notes", "附注"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "notes(表)",
        eval: notes,
    },
    Builtin {
        names: &["matches", "匹配数"],
        min_args: 1,
        max_args: 2,
        pattern_arg: Some(0),
        signature: "matches(\"模式\"[, 章节])",
        eval: matches,
    },
    Builtin {
        names: &["captured", "匹配值"],
        min_args: 1,
        max_args: 2,
        pattern_arg: Some(0),
        signature: "captured(\"模式\"[, 章节])",
        eval: captured,
    },
    Builtin {
        names: &["text", "文本"],
        min_args: 1,
        max_args: 1,
        pattern_arg: None,
        signature: "text(章节)",
        eval: text,
    },
];

fn section(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let frag = text_arg(ev, arg(args, 0, span)?)?;
    let key = name_key(&frag);
    // Depth first order: a parent comes before its subsections, so the outermost match wins.
    // A section with text (its own or its subsections') wins over one without, such as the
    // entry of a table of contents read as a heading; with none that has text, the first.
    let sections = &ev.ix.sections;
    let titled = |s: &SectionEntry<'_>| !key.is_empty() && contains_str(&s.title_key, &key);
    let first = sections.iter().position(titled);
    let found = first.map(|f| {
        sections
            .iter()
            .enumerate()
            .skip(f)
            .find(|&(i, s)| titled(s) && subtree_has_text(sections, i))
            .map_or(f, |(i, _)| i)
    });
    match found.and_then(|i| u32::try_from(i).ok()) {
        Some(i) => Ok(Value::Section(i)),
        None => Err(EvalError::absent(
            format!("文档中没有标题含 `{frag}` 的章节"),
            span,
        )),
    }
}

/// Whether section `i` or one of its subsections has a paragraph.
fn subtree_has_text(sections: &[SectionEntry<'_>], i: usize) -> bool {
    let end = sections.get(i).map_or(i, |s| s.end as usize);
    sections
        .get(i..end)
        .is_some_and(|sub| sub.iter().any(|s| !s.section.paragraphs.is_empty()))
}

fn squash(s: &str) -> String {
    let mut out = String::new();
    squash_into(&mut out, s);
    out
}

/// Whether [`squash`] leaves `s` as it is (most phrases and names are).
fn is_squashed(s: &str) -> bool {
    s.chars()
        .all(|c| matches!(c, '\u{4E00}'..='\u{9FFF}') || (!c.is_whitespace() && half_width(c) == c))
}

/// [`squash`] of a text, without a copy when squashing changes nothing.
fn squashed(s: Cow<'_, str>) -> Cow<'_, str> {
    if is_squashed(&s) {
        s
    } else {
        Cow::Owned(squash(&s))
    }
}

/// Appends [`squash`] of `s` to `out`.
fn squash_into(out: &mut String, s: &str) {
    out.reserve(s.len());
    for c in s.chars() {
        // CJK ideographs are neither whitespace nor full-width forms.
        if matches!(c, '\u{4E00}'..='\u{9FFF}') {
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(half_width(c));
        }
    }
}

/// [`squash`] of [`section_text`], built without the intermediate text (the line breaks
/// between parts are whitespace, which squashing drops).
fn section_squashed(ev: &Evaluator<'_, '_>, s: u32) -> String {
    let mut out = String::new();
    let Some(entry) = ev.ix.section(s) else {
        return out;
    };
    for i in s..entry.end {
        if let Some(e) = ev.ix.section(i) {
            squash_into(&mut out, &e.section.title);
            for p in &e.section.paragraphs {
                squash_into(&mut out, &p.text);
            }
        }
    }
    out
}

/// The text of a section and its subsections: headings and paragraphs, one per line.
fn section_text(ev: &Evaluator<'_, '_>, s: u32) -> String {
    let mut out = String::new();
    let Some(entry) = ev.ix.section(s) else {
        return out;
    };
    for i in s..entry.end {
        if let Some(e) = ev.ix.section(i) {
            if !e.section.title.is_empty() {
                out.push_str(&e.section.title);
                out.push('\n');
            }
            for p in &e.section.paragraphs {
                out.push_str(&p.text);
                out.push('\n');
            }
        }
    }
    out
}

fn contains(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let hay_node = arg(args, 0, span)?;
    // The haystack squashed (see `squash`): a text or a table's notes of its own, a section's
    // shared. The evidence is made only when it is reported.
    let own: Cow<'_, str>;
    let shared: Rc<str>;
    let (hay, evidence): (&str, _) = match ev.eval(hay_node)? {
        Value::Text(t) => {
            own = squashed(t.text);
            (&own, t.origin.map(|o| ("文本", o)))
        }
        // Rules ask several things of one section: it is squashed once per document.
        Value::Section(s) => {
            shared = ev.ix.squashed_section(s, || section_squashed(ev, s));
            (&shared, Some(("章节", Origin::Section { section: s })))
        }
        Value::Table(t) => {
            own = Cow::Owned(squash(&table_notes(ev, t)));
            (&own, Some(("表", Origin::Table { table: t })))
        }
        other => {
            return Err(EvalError::runtime(
                format!(
                    "contains 在文字、章节或表的附注中查找，而 `{}` 是{}",
                    ev.text(hay_node.span),
                    other.describe()
                ),
                hay_node.span,
            ));
        }
    };
    let phrase = text_arg(ev, arg(args, 1, span)?)?;
    let holds = hay.contains(&*squashed(Cow::Borrowed(&phrase)));
    let what = ev.text(hay_node.span);
    let note = || {
        if holds {
            format!("`{what}` 含有「{phrase}」")
        } else {
            format!("`{what}` 中没有「{phrase}」")
        }
    };
    Ok(ev.verdict(holds, note, || evidence.into_iter().collect()))
}

fn table_notes(ev: &Evaluator<'_, '_>, t: u32) -> String {
    ev.ix
        .table(t)
        .map(|e| {
            e.table
                .notes
                .iter()
                .map(|n| n.text.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

fn notes(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let t = table_arg(ev, arg(args, 0, span)?)?;
    Ok(Value::Text(Text {
        text: table_notes(ev, t).into(),
        origin: Some(Origin::Table { table: t }),
    }))
}

fn matches(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let (m, scope) = pattern_and_scope(ev, args, span, "matches")?;
    let n: usize = ev
        .ix
        .paragraphs_in(scope)
        .iter()
        .map(|para| m.find_in(para).len())
        .sum();
    Ok(plain(Decimal::from(n)))
}

/// The value of the pattern's one capture in every match (in the section's paragraphs when
/// one is given), in order: a list, which `sum`, `count`, `min` and `max` take.
fn captured(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let (m, scope) = pattern_and_scope(ev, args, span, "captured")?;
    if m.capture_slots().len() != 1 {
        return Err(EvalError::runtime(
            format!(
                "匹配值的模式须恰好有一个捕获（如 `{{预:金额}}`），`{}` 有 {} 个",
                m.source,
                m.capture_slots().len()
            ),
            span,
        ));
    }
    let explaining = ev.explaining();
    let mut out = Vec::new();
    for para in ev.ix.paragraphs_in(scope) {
        for found in m.find_in(para) {
            for c in &found.captures {
                let origin = explaining.then(|| text_origin(para, c.start, c.end));
                out.push(captured_value(&c.value, origin));
            }
        }
    }
    Ok(Value::List(out))
}

fn text(ev: &mut Evaluator<'_, '_>, args: &[Node], span: Span) -> Result<Value, EvalError> {
    let a = arg(args, 0, span)?;
    match ev.eval(a)? {
        Value::Section(s) => Ok(Value::Text(Text {
            text: section_text(ev, s).into(),
            origin: Some(Origin::Section { section: s }),
        })),
        Value::Text(t) => Ok(Value::Text(t)),
        other => Err(EvalError::runtime(
            format!(
                "text 取章节的文字，而 `{}` 是{}",
                ev.text(a.span),
                other.describe()
            ),
            a.span,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_squashed_when_squashing_keeps_it() {
        for s in [
            "",
            "三公经费",
            "因公出国(境)费",
            "因公出国（境）费",
            "公务 接待",
            "a\tb",
            "１２３",
            "100%",
            "\u{3000}支出",
        ] {
            assert_eq!(is_squashed(s), squash(s) == s, "{s:?}");
            assert_eq!(squashed(Cow::Borrowed(s)), squash(s), "{s:?}");
        }
    }
}
