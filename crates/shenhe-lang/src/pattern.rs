//! Narrative patterns: literal text with holes `{名:种类}`, `{种类}`, `{…}` and `{…N}`.

use std::collections::BTreeMap;

use crate::ast::{CaptureKind, Pattern, PatternPart, Span, Spanned};
use crate::diagnostic::Diagnostic;
use crate::holes::{self, Piece};
use crate::strings::StrLit;
use crate::suggest::did_you_mean;

const CODE: &str = "shenhe::lang::pattern";
const CODE_KIND: &str = "shenhe::lang::unknown_capture";

/// Default reach of `{…}`, in characters.
pub const DEFAULT_GAP: u32 = 20;

/// Capture kinds by name, Chinese and English.
const KINDS: &[(&str, CaptureKind)] = &[
    ("金额", CaptureKind::Amount),
    ("百分比", CaptureKind::Percent),
    ("数", CaptureKind::Number),
    ("数量", CaptureKind::Count),
    ("年", CaptureKind::Year),
    ("增减", CaptureKind::Direction),
    ("词", CaptureKind::Word),
    ("编码", CaptureKind::Code),
    ("amount", CaptureKind::Amount),
    ("percent", CaptureKind::Percent),
    ("number", CaptureKind::Number),
    ("count", CaptureKind::Count),
    ("year", CaptureKind::Year),
    ("direction", CaptureKind::Direction),
    ("word", CaptureKind::Word),
    ("code", CaptureKind::Code),
];

/// The Chinese name of a capture kind.
pub fn kind_name(kind: CaptureKind) -> &'static str {
    KINDS
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("?", |(n, _)| n)
}

/// Parses the pattern in `lit`. Returns `None` (with diagnostics) when it is malformed.
pub(crate) fn parse(lit: &StrLit, diags: &mut Vec<Diagnostic>) -> Option<Pattern> {
    let before = diags.len();
    let (pieces, _) = holes::split(lit, CODE, "模式", diags);
    let mut parts = Vec::with_capacity(pieces.len());
    let mut names: BTreeMap<String, Span> = BTreeMap::new();
    for piece in pieces {
        match piece {
            Piece::Literal(text) => parts.push(PatternPart::Literal(text)),
            Piece::Hole {
                inner,
                offset,
                span,
            } => {
                if let Some(part) = hole(lit, &inner, offset, span, &mut names, diags) {
                    parts.push(part);
                }
            }
        }
    }
    if parts.is_empty() && diags.len() == before {
        diags.push(
            Diagnostic::new(CODE, "模式是空的", lit.span)
                .with_label("这里应写要在情况说明中查找的文字")
                .with_help("例如 `\"基本支出{金额:金额}\"`"),
        );
    }
    (diags.len() == before).then_some(Pattern { parts })
}

fn hole(
    lit: &StrLit,
    inner: &str,
    offset: usize,
    span: Span,
    names: &mut BTreeMap<String, Span>,
    diags: &mut Vec<Diagnostic>,
) -> Option<PatternPart> {
    let (text, start, _) = holes::trimmed(inner, offset);
    if let Some(rest) = ["……", "…", "..."].iter().find_map(|e| text.strip_prefix(e)) {
        return gap(rest.trim(), span, diags);
    }
    let colon = text.char_indices().find(|&(_, c)| c == ':' || c == '：');
    let (name, kind_text, kind_start) = match colon {
        Some((j, c)) => {
            let name_part = text.get(..j).unwrap_or("");
            let (name, ns, ne) = holes::trimmed(name_part, start);
            let kind_part = text.get(j + c.len_utf8()..).unwrap_or("");
            let (kind, ks, _) = holes::trimmed(kind_part, start + j + c.len_utf8());
            if name.is_empty() {
                diags.push(
                    Diagnostic::new(CODE, "捕获的名称是空的", span)
                        .with_label("`:` 前应写名称")
                        .with_help("写作 `{名:种类}`，或省略名称写 `{种类}`"),
                );
                return None;
            }
            (
                Some(Spanned::new(name.to_string(), lit.source_span(ns, ne))),
                kind,
                ks,
            )
        }
        None => (None, text, start),
    };
    let kind_span = lit.source_span(kind_start, kind_start + kind_text.len());
    let Some(kind) = KINDS.iter().find(|(n, _)| *n == kind_text).map(|(_, k)| *k) else {
        diags.push(unknown_kind(
            kind_text,
            kind_span.to(kind_span),
            span,
            name.is_none(),
        ));
        return None;
    };
    if let Some(n) = &name {
        if let Some(first) = names.get(&n.node) {
            diags.push(
                Diagnostic::new(CODE, format!("模式中的捕获名 `{}` 重复", n.node), n.span)
                    .with_label("重复的名称")
                    .with_secondary(*first, "第一次出现在这里")
                    .with_help("同一模式中的捕获名必须各不相同"),
            );
            return None;
        }
        names.insert(n.node.clone(), n.span);
    }
    Some(PatternPart::Capture {
        name,
        kind: Spanned::new(kind, kind_span),
    })
}

fn gap(count: &str, span: Span, diags: &mut Vec<Diagnostic>) -> Option<PatternPart> {
    if count.is_empty() {
        return Some(PatternPart::Gap { max: DEFAULT_GAP });
    }
    match count.parse::<u32>() {
        Ok(max) if count.chars().all(|c| c.is_ascii_digit()) => Some(PatternPart::Gap { max }),
        _ => {
            diags.push(
                Diagnostic::new(CODE, format!("跳过的字数 `{count}` 不是有效的数"), span)
                    .with_label("这里应为 `{…}` 或 `{…N}`")
                    .with_help("`{…}` 最多跳过 20 个字，`{…50}` 最多跳过 50 个字"),
            );
            None
        }
    }
}

fn unknown_kind(text: &str, kind_span: Span, hole: Span, bare: bool) -> Diagnostic {
    let span = if text.is_empty() { hole } else { kind_span };
    let candidates: Vec<&str> = KINDS.iter().map(|(n, _)| *n).collect();
    let list = "`金额`、`百分比`、`数`、`数量`、`年`、`增减`、`词`";
    let message = if text.is_empty() {
        "捕获的种类是空的".to_string()
    } else {
        format!("未知的捕获种类 `{text}`")
    };
    let mut d = Diagnostic::new(CODE_KIND, message, span).with_label("应为捕获种类");
    d = match did_you_mean(text, &candidates) {
        Some(s) => d.with_help(format!("是不是 `{s}`？可用的种类：{list}")),
        None if bare => d.with_help(format!(
            "捕获写作 `{{种类}}` 或 `{{名:种类}}`，可用的种类：{list}；跳过文字写 `{{…}}`"
        )),
        None => d.with_help(format!("可用的种类：{list}")),
    };
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> (Option<Pattern>, Vec<Diagnostic>, String) {
        let body = src.get(1..src.len() - 1).unwrap();
        let mut diags = Vec::new();
        let lit = StrLit::decode(body, 1, Span::new(0, src.len()), true, &mut diags);
        let p = parse(&lit, &mut diags);
        (p, diags, src.to_string())
    }

    fn text(src: &str, s: Span) -> &str {
        src.get(s.start as usize..s.end as usize).unwrap()
    }

    #[test]
    fn captures_and_gaps() {
        let (p, d, src) = run("\"基本支出{金额:金额}，{…}占{ 比 ：百分比 }{…5}{年}\"");
        assert!(d.is_empty(), "{d:?}");
        let parts = p.unwrap().parts;
        assert_eq!(parts.len(), 8);
        match &parts[1] {
            PatternPart::Capture { name, kind } => {
                assert_eq!(name.as_ref().unwrap().node, "金额");
                assert_eq!(kind.node, CaptureKind::Amount);
                assert_eq!(text(&src, kind.span), "金额");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(parts[3], PatternPart::Gap { max: DEFAULT_GAP });
        match &parts[5] {
            PatternPart::Capture { name, kind } => {
                assert_eq!(text(&src, name.as_ref().unwrap().span), "比");
                assert_eq!(text(&src, kind.span), "百分比");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(parts[6], PatternPart::Gap { max: 5 });
    }

    #[test]
    fn unknown_kind_suggests() {
        let (p, d, src) = run("\"支出{x:金钱}\"");
        assert!(p.is_none());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, CODE_KIND);
        assert_eq!(text(&src, d[0].span), "金钱");
        assert!(d[0].help.as_deref().unwrap().contains("`金额`"));
    }

    #[test]
    fn errors() {
        assert_eq!(run("\"\"").1.len(), 1);
        assert_eq!(run("\"{a:数}{a:数}\"").1.len(), 1);
        assert_eq!(run("\"{…x}\"").1.len(), 1);
        assert_eq!(run("\"{:数}\"").1.len(), 1);
        assert_eq!(run("\"{数\"").1.len(), 1);
    }
}
