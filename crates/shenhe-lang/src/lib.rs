//! The shenhe rules language: grammar, owned AST, diagnostics.
//!
//! [`parse`] reads a whole rule file and returns a [`Parsed`]: the tree of everything that
//! parsed plus every problem found, all at once (a broken rule or clause never hides the
//! others). [`parse_expr`] reads a single expression, as `shenhe eval DOC EXPR` needs.
//!
//! Pipeline: a nesting pre-scan ([`MAX_NESTING`]) → the pest grammar (`grammar.pest`) with
//! per-item and per-clause recovery → lowering to the owned, spanned [`ast`] (no pest type
//! leaves this crate) → checks that need the whole file (version line, duplicate ids). A file
//! that parses without recovery (most files) is parsed by a hand-written mirror of the grammar
//! instead of pest (`fast.rs`), which builds the same parse tree (the bundled pack: ≈ 17 M
//! instructions to parse and lower instead of ≈ 104 M); pest parses the rest, so every syntax
//! error is still pest's.
//!
//! ```
//! let src = "语言 1\n规则 YS-001 \"收入等于支出\" {\n  断言 收支总表.收入总计 == 收支总表.支出总计\n}\n";
//! let parsed = shenhe_lang::parse("示例.rule", src);
//! assert!(parsed.diagnostics.is_empty());
//! assert_eq!(parsed.file.rules[0].id.node, "YS-001");
//!
//! let err = shenhe_lang::parse_expr("sum(表三.基本支出").unwrap_err();
//! assert_eq!(err[0].message, "应为 `)`、`,` 或 运算符，实际是 文件结尾");
//! ```

pub mod ast;
mod diagnostic;
mod fast;
mod holes;
mod limits;
mod lower;
mod lower_expr;
mod lower_rule;
mod names;
mod parser;
mod pattern;
mod recover;
mod strings;
mod suggest;
mod syntax_error;
mod template;
#[cfg(test)]
mod tests;
mod tree;

use pest::Parser;

pub use ast::{Expr, ExprKind, Pattern, RuleFile, Span, Spanned};
pub use diagnostic::{Diagnostic, FileDiagnostics, SecondaryLabel};
pub use limits::{MAX_NESTING, MAX_TREE_DEPTH};
pub use lower::SUPPORTED_VERSION;
pub use pattern::{DEFAULT_GAP, kind_name};
pub use suggest::{did_you_mean, edit_distance};

use crate::parser::{Rule, RulesParser};

/// The result of parsing a rule file: everything that parsed, and every problem.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub file: RuleFile,
    /// Sorted by position. Empty when the file is correct.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// True when the file had no problem.
    pub fn is_ok(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// The file, or all its diagnostics bundled with its text for rendering.
    pub fn into_result(self, source: &str) -> Result<RuleFile, FileDiagnostics> {
        if self.diagnostics.is_empty() {
            Ok(self.file)
        } else {
            Err(FileDiagnostics::new(
                &self.file.name,
                source,
                self.diagnostics,
            ))
        }
    }
}

/// Parses a rule file named `name` (used in diagnostics) with text `source`.
pub fn parse(name: &str, source: &str) -> Parsed {
    let scanned = limits::scan(source, true);
    let text = scanned.text.as_deref().unwrap_or(source);
    let mut ctx = lower::Ctx::new(source, text);
    ctx.masked = scanned.masked;
    let file = ctx.file(name);
    let mut diagnostics = scanned.diagnostics;
    diagnostics.extend(ctx.into_diagnostics());
    sort(&mut diagnostics);
    Parsed { file, diagnostics }
}

/// Parses one expression (spans are offsets into `source`).
pub fn parse_expr(source: &str) -> Result<Expr, Vec<Diagnostic>> {
    let scanned = limits::scan(source, false);
    if !scanned.diagnostics.is_empty() {
        return Err(scanned.diagnostics);
    }
    let ctx = lower::Ctx::new(source, source);
    let expr = match RulesParser::parse(Rule::expr_only, source) {
        Ok(pairs) => {
            let tree = tree::Tree::from_pairs(source, pairs);
            tree.roots()
                .next()
                .and_then(|top| top.into_inner().find(|p| p.as_rule() == Rule::expr))
                .and_then(|e| ctx.expr(e))
        }
        Err(e) => {
            ctx.push(syntax_error::diagnostic(&e, 0, source));
            None
        }
    };
    let mut diagnostics = ctx.into_diagnostics();
    match expr {
        Some(e) if diagnostics.is_empty() => Ok(e),
        _ => {
            sort(&mut diagnostics);
            if diagnostics.is_empty() {
                diagnostics.push(Diagnostic::new(
                    "shenhe::lang::syntax",
                    "无法解析表达式",
                    Span::new(0, source.len()),
                ));
            }
            Err(diagnostics)
        }
    }
}

/// Parses a narrative pattern given as already-decoded text (e.g. the `Text` argument of
/// `匹配数("…")`), with the same syntax and diagnostics as `每处 "…"`. `offset` is where the
/// text starts in its file (the byte after the opening quote); spans are shifted by it, which
/// is exact when the literal had no escapes.
pub fn parse_pattern(text: &str, offset: usize) -> Result<Pattern, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let span = Span::new(offset.saturating_sub(1), offset + text.len() + 1);
    let lit = strings::StrLit::decode(text, offset, span, false, &mut diagnostics);
    match pattern::parse(&lit, &mut diagnostics) {
        Some(p) if diagnostics.is_empty() => Ok(p),
        _ => Err(diagnostics),
    }
}

fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
}
