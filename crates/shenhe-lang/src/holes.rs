//! Splitting a string into literal text and `{…}` holes; shared by message templates and
//! narrative patterns. `{{` and `}}` stand for literal braces.

use crate::ast::Span;
use crate::diagnostic::Diagnostic;
use crate::strings::StrLit;

/// A piece of a string with holes.
pub(crate) enum Piece {
    Literal(String),
    /// The text between the braces (untrimmed), its decoded offset in the string, and the
    /// span of the whole hole including braces.
    Hole {
        inner: String,
        offset: usize,
        span: Span,
    },
}

/// Splits `lit`; brace errors are reported with `code` and `what` (e.g. "消息", "模式").
pub(crate) fn split(
    lit: &StrLit,
    code: &str,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Piece>, bool) {
    let text = &lit.value;
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut ok = true;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        match c {
            '{' if iter.peek().is_some_and(|&(_, d)| d == '{') => {
                iter.next();
                literal.push('{');
            }
            '}' if iter.peek().is_some_and(|&(_, d)| d == '}') => {
                iter.next();
                literal.push('}');
            }
            '{' => {
                let rest = text.get(i + 1..).unwrap_or("");
                let close = rest
                    .find(['{', '}'])
                    .filter(|&j| rest.get(j..j + 1) == Some("}"));
                match close {
                    Some(j) => {
                        if !literal.is_empty() {
                            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                        }
                        let inner = rest.get(..j).unwrap_or("").to_string();
                        let end = i + 1 + j + 1;
                        pieces.push(Piece::Hole {
                            inner,
                            offset: i + 1,
                            span: lit.source_span(i, end),
                        });
                        while iter.peek().is_some_and(|&(k, _)| k < end) {
                            iter.next();
                        }
                    }
                    None => {
                        ok = false;
                        diags.push(
                            Diagnostic::new(
                                code,
                                format!("{what}中的 `{{` 没有对应的 `}}`"),
                                lit.source_span(i, i + 1),
                            )
                            .with_label("这个 `{` 没有闭合")
                            .with_help("要写 `{` 本身请用 `{{`"),
                        );
                        literal.push('{');
                    }
                }
            }
            '}' => {
                ok = false;
                diags.push(
                    Diagnostic::new(
                        code,
                        format!("{what}中有单独的 `}}`"),
                        lit.source_span(i, i + 1),
                    )
                    .with_label("前面没有 `{`")
                    .with_help("要写 `}` 本身请用 `}}`"),
                );
                literal.push('}');
            }
            other => literal.push(other),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    (pieces, ok)
}

/// The trimmed part of `inner` (a hole's text at decoded `offset`) and its decoded range.
pub(crate) fn trimmed(inner: &str, offset: usize) -> (&str, usize, usize) {
    let lead = inner.len() - inner.trim_start().len();
    let t = inner.trim();
    (t, offset + lead, offset + lead + t.len())
}
