//! Message templates: literal text with `{名}` placeholders (`{{`/`}}` for braces).

use crate::ast::{Spanned, Template, TemplatePart};
use crate::diagnostic::Diagnostic;
use crate::holes::{self, Piece};
use crate::strings::StrLit;

const CODE: &str = "shenhe::lang::template";

/// Parses the template in `lit`; problems are pushed to `diags` and the template keeps every
/// placeholder that is well formed.
pub(crate) fn parse(lit: &StrLit, diags: &mut Vec<Diagnostic>) -> Template {
    let (pieces, _) = holes::split(lit, CODE, "消息", diags);
    let mut parts = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match piece {
            Piece::Literal(text) => parts.push(TemplatePart::Literal(text)),
            Piece::Hole {
                inner,
                offset,
                span,
            } => {
                let (name, start, end) = holes::trimmed(&inner, offset);
                if name.is_empty() {
                    diags.push(
                        Diagnostic::new(CODE, "消息中的占位符 `{}` 是空的", span)
                            .with_label("这里应写一个名称")
                            .with_help(
                                "占位符写作 `{名}`，例如 `{左}`、`{右}`、`{差}` 或 `令` 绑定的名称",
                            ),
                    );
                    continue;
                }
                parts.push(TemplatePart::Placeholder(Spanned::new(
                    name.to_string(),
                    lit.source_span(start, end),
                )));
            }
        }
    }
    Template { parts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Span;

    fn lit(body: &str) -> StrLit {
        let mut d = Vec::new();
        StrLit::decode(body, 1, Span::new(0, body.len() + 2), true, &mut d)
    }

    #[test]
    fn placeholders_with_spans() {
        let src = "\"收入 {左} 与 { 右 } 差 {{差}}\"";
        let body = src.get(1..src.len() - 1).unwrap();
        let mut diags = Vec::new();
        let t = parse(&lit(body), &mut diags);
        assert!(diags.is_empty());
        let names: Vec<(String, &str)> = t
            .parts
            .iter()
            .filter_map(|p| match p {
                TemplatePart::Placeholder(s) => Some((
                    s.node.clone(),
                    src.get(s.span.start as usize..s.span.end as usize).unwrap(),
                )),
                TemplatePart::Literal(_) => None,
            })
            .collect();
        assert_eq!(
            names,
            vec![("左".to_string(), "左"), ("右".to_string(), "右")]
        );
        assert_eq!(
            t.parts.last(),
            Some(&TemplatePart::Literal(" 差 {差}".to_string()))
        );
    }

    #[test]
    fn reports_brace_errors() {
        let mut diags = Vec::new();
        parse(&lit("a {左 b"), &mut diags);
        parse(&lit("a } b"), &mut diags);
        parse(&lit("a {} b"), &mut diags);
        assert_eq!(diags.len(), 3);
        assert!(diags.iter().all(|d| d.code == CODE));
    }
}
