//! Recovery: reporting a top-level item or a clause that did not parse.
//!
//! The grammar turns an unparseable top-level item into a `bad_item` (up to the next line that
//! starts a rule) and an unparseable clause into a `bad_clause` (up to the next line that
//! starts a clause). Each slice is parsed again by a non-recovering probe rule, so pest names
//! exactly what it expected there, and the error's offsets are shifted back into the file.

use crate::tree::Node;
use pest::Parser;

use crate::ast::Span;
use crate::diagnostic::Diagnostic;
use crate::lower::{Ctx, starts_with_keyword};
use crate::parser::{Rule, RulesParser};
use crate::syntax_error;

impl Ctx<'_> {
    pub(crate) fn bad_item(&self, item: &Node<'_, '_>) {
        let start = item.start();
        let slice = item.as_str();
        let d = match RulesParser::parse(Rule::probe_items, slice) {
            Err(e) => {
                let d = syntax_error::diagnostic(&e, start, self.source);
                let at_end = (d.span.start as usize) >= start + slice.trim_end().len();
                if at_end && starts_with_keyword(after_docs(slice), &["规则", "rule"]) {
                    unclosed_rule(&d, start, slice)
                } else {
                    d
                }
            }
            Ok(_) => unrecognised(item.span()),
        };
        self.push(d);
    }

    /// Reports a clause that did not parse. The probe starts at the previous good clause so
    /// pest sees the context; when the error is an unknown keyword at the start of a line, the
    /// rest of the bad stretch is probed again from the next line, so several misspelt clauses
    /// in a row are all reported.
    pub(crate) fn bad_clause(&self, from: usize, clause: &Node<'_, '_>) {
        let end = clause.end();
        let mut cur = from;
        while let Some(slice) = self.source_slice(cur, end) {
            let Err(e) = RulesParser::parse(Rule::probe_clauses, slice) else {
                if cur == from {
                    self.push(unrecognised(clause.span()));
                }
                break;
            };
            let d = syntax_error::diagnostic(&e, cur, self.source);
            let at = d.span.start as usize;
            let again = d.code == "shenhe::lang::unknown_keyword"
                && syntax_error::line_start_before(self.source, at);
            self.push(d);
            let next = self
                .source_slice(at, end)
                .and_then(|r| r.find('\n'))
                .map(|i| at + i + 1);
            match next {
                Some(n) if again && n < end => cur = n,
                _ => break,
            }
        }
    }
}

/// `text` after any leading `///` lines and whitespace.
fn after_docs(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        if !text.starts_with("///") {
            return text;
        }
        text = text.split_once('\n').map_or("", |(_, rest)| rest);
    }
}

/// A rule that runs to the next rule (or the end of the file) without its closing `}`.
fn unclosed_rule(d: &Diagnostic, start: usize, slice: &str) -> Diagnostic {
    let head = slice
        .find(['{', '\n'])
        .map_or(Span::new(start, start), |i| Span::new(start, start + i));
    let mut out = Diagnostic::new("shenhe::lang::syntax", "规则没有用 `}` 结束", d.span)
        .with_label("规则应在这里以 `}` 结束")
        .with_help("每条规则写作 `规则 编号 \"标题\" { … }`，检查大括号是否成对");
    if let Some(brace) = slice.find('{') {
        out = out.with_secondary(
            Span::new(start + brace, start + brace + 1),
            "规则从这里开始",
        );
    } else {
        out = out.with_secondary(head, "规则从这里开始");
    }
    out
}

fn unrecognised(span: Span) -> Diagnostic {
    Diagnostic::new("shenhe::lang::syntax", "无法识别的内容", span)
        .with_label("这里无法解析")
        .with_help("检查拼写、引号和括号")
}
