//! String literals: `"…"` with `\"` `\\` `\n` escapes, and `“…”` without escapes.
//!
//! A decoded string keeps a map from its bytes back to the source, so patterns and message
//! templates can point into the string exactly, even across escapes.

use crate::ast::Span;
use crate::diagnostic::Diagnostic;

/// A decoded string literal.
#[derive(Clone, Debug)]
pub(crate) struct StrLit {
    pub value: String,
    /// The literal with its quotes.
    pub span: Span,
    /// For each decoded char: (offset in `value`, source start, source end). Empty when the
    /// literal had no escape (an escaped literal has at least its escape's char): `value` is
    /// then the body itself, at `body_start`.
    map: Vec<(usize, usize, usize)>,
    /// Where the body starts in the source.
    body_start: usize,
    /// Source offset just after the content (where the closing quote starts).
    content_end: usize,
}

impl StrLit {
    /// Decodes the body of a literal. `body` is the text between the quotes and starts at
    /// `body_start` in the source; `escapes` says whether `\` escapes are recognised.
    pub fn decode(
        body: &str,
        body_start: usize,
        span: Span,
        escapes: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> StrLit {
        if !(escapes && body.contains('\\')) {
            // Nothing to decode: every offset maps by adding `body_start`.
            return StrLit {
                value: body.to_string(),
                span,
                map: Vec::new(),
                body_start,
                content_end: body_start + body.len(),
            };
        }
        let mut value = String::with_capacity(body.len());
        let mut map = Vec::with_capacity(body.len());
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let start = body_start + i;
            if escapes && c == '\\' {
                let Some((j, e)) = chars.next() else {
                    break;
                };
                let end = body_start + j + e.len_utf8();
                let decoded = match e {
                    '"' => '"',
                    '\\' => '\\',
                    'n' => '\n',
                    other => {
                        diags.push(
                            Diagnostic::new(
                                "shenhe::lang::escape",
                                format!("未知的转义 `\\{other}`"),
                                Span::new(start, end),
                            )
                            .with_label("无法识别的转义")
                            .with_help(
                                "字符串中只能使用 `\\\"`、`\\\\` 和 `\\n`；或改用中文引号 “…”",
                            ),
                        );
                        other
                    }
                };
                map.push((value.len(), start, end));
                value.push(decoded);
            } else {
                map.push((value.len(), start, start + c.len_utf8()));
                value.push(c);
            }
        }
        StrLit {
            value,
            span,
            map,
            body_start,
            content_end: body_start + body.len(),
        }
    }

    /// The source span of the decoded byte range `start..end` of `value`.
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        let from = self.source_at(start, true);
        let to = if end <= start {
            from
        } else {
            self.source_at(end, false)
        };
        Span::new(from, to.max(from))
    }

    /// Source offset of decoded offset `at`: the start of the char there, or (for `end`) the
    /// end of the char before it.
    fn source_at(&self, at: usize, start: bool) -> usize {
        if self.map.is_empty() {
            // No escape: the char at `at`, or the one before, starts or
            // ends at the next char boundary.
            let mut k = at.min(self.value.len());
            while !self.value.is_char_boundary(k) {
                k += 1;
            }
            return self.body_start + k;
        }
        let idx = self.map.partition_point(|&(d, _, _)| d < at);
        if start {
            match self.map.get(idx) {
                Some(&(_, s, _)) => s,
                None => self.content_end,
            }
        } else {
            match idx.checked_sub(1).and_then(|i| self.map.get(i)) {
                Some(&(_, _, e)) => e,
                None => self.map.first().map_or(self.content_end, |&(_, s, _)| s),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_through_escapes() {
        let src = r#""a\"b{x}""#;
        let mut diags = Vec::new();
        let lit = StrLit::decode(
            src.get(1..src.len() - 1).unwrap(),
            1,
            Span::new(0, src.len()),
            true,
            &mut diags,
        );
        assert_eq!(lit.value, "a\"b{x}");
        assert!(diags.is_empty());
        let x = lit.value.find('x').unwrap();
        let span = lit.source_span(x, x + 1);
        assert_eq!(
            src.get(span.start as usize..span.end as usize).unwrap(),
            "x"
        );
        let q = lit.source_span(1, 2);
        assert_eq!(src.get(q.start as usize..q.end as usize).unwrap(), "\\\"");
    }

    /// A literal without escapes maps offsets by adding its start, exactly as the per-char map
    /// (built here as `decode` builds it for escaped literals) would, at every offset.
    #[test]
    fn maps_a_literal_without_escapes_by_offset() {
        for body in ["a占比{x}”", "", "x", "每处"] {
            let mut diags = Vec::new();
            let span = Span::new(4, 5 + body.len() + 1);
            let fast = StrLit::decode(body, 5, span, true, &mut diags);
            assert!(fast.map.is_empty() && fast.value == body);
            let mapped = StrLit {
                map: body
                    .char_indices()
                    .map(|(i, c)| (i, 5 + i, 5 + i + c.len_utf8()))
                    .collect(),
                ..fast.clone()
            };
            for i in 0..=body.len() + 1 {
                for j in 0..=body.len() + 1 {
                    assert_eq!(
                        fast.source_span(i, j),
                        mapped.source_span(i, j),
                        "{body} {i} {j}"
                    );
                }
            }
        }
    }

    #[test]
    fn reports_unknown_escape() {
        let mut diags = Vec::new();
        let lit = StrLit::decode(r"a\qb", 1, Span::new(0, 6), true, &mut diags);
        assert_eq!(lit.value, "aqb");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].span, Span::new(2, 4));
        assert_eq!((diags[0].span.start, diags[0].span.end), (2, 4));
    }
}
