//! Diagnostics about rule files: syntax errors from the parser and semantic errors from the
//! evaluator's compile step share this type, so they render alike.

use std::fmt;

use miette::{LabeledSpan, NamedSource, SourceCode};

use crate::ast::Span;

/// One problem in a rule file. Messages are Chinese, lowercase-style (no final period), with
/// user input in backticks; advice goes in `help`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code, e.g. `shenhe::lang::syntax`, `shenhe::eval::unknown_function`.
    pub code: String,
    pub message: String,
    pub span: Span,
    /// Text under the span.
    pub label: Option<String>,
    pub help: Option<String>,
    /// Further places involved (e.g. where a duplicate was first defined).
    pub secondary: Vec<SecondaryLabel>,
}

/// A labelled span that explains a diagnostic's main span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecondaryLabel {
    pub span: Span,
    pub text: String,
}

impl Diagnostic {
    pub fn new(code: impl Into<String>, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            code: code.into(),
            message: message.into(),
            span,
            label: None,
            help: None,
            secondary: Vec::new(),
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary labelled span.
    pub fn with_secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(SecondaryLabel {
            span,
            text: text.into(),
        });
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = LabeledSpan::new_primary_with_span(self.label.clone(), self.span);
        let secondary = self
            .secondary
            .iter()
            .map(|s| LabeledSpan::new_with_span(Some(s.text.clone()), s.span));
        Some(Box::new(std::iter::once(label).chain(secondary)))
    }
}

/// Every diagnostic of one rule file, with the file's text so they render with excerpts.
#[derive(Debug)]
pub struct FileDiagnostics {
    pub source: NamedSource<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileDiagnostics {
    pub fn new(name: &str, text: &str, diagnostics: Vec<Diagnostic>) -> Self {
        FileDiagnostics {
            source: NamedSource::new(name, text.to_string()),
            diagnostics,
        }
    }
}

impl fmt::Display for FileDiagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "规则文件 `{}` 有 {} 处错误",
            self.source.name(),
            self.diagnostics.len()
        )
    }
}

impl std::error::Error for FileDiagnostics {}

impl miette::Diagnostic for FileDiagnostics {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        Some(Box::new(
            self.diagnostics
                .iter()
                .map(|d| d as &dyn miette::Diagnostic),
        ))
    }
}
