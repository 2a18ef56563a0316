//! Evaluation errors: what went wrong while checking one rule on one document.

use std::fmt;

use shenhe_lang::ast::Span;

/// How an evaluation error affects the rule's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Something the rule refers to is not in this document (a table, a section): the rule is
    /// not applicable. `存在(…)` turns this into `false`.
    Absent,
    /// A name does not resolve in this document (an unknown column or row): the rule errs, but
    /// `存在(…)` turns this into `false`.
    NotFound,
    /// Anything else: division by zero, overflow, a value of the wrong kind.
    Runtime,
}

/// An error of evaluating an expression. `span` points into the rule file (or the expression
/// given to `shenhe eval`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    pub kind: ErrorKind,
    pub message: String,
    pub help: Option<String>,
    pub span: Span,
    /// True once the message names the row or text being checked (the innermost one).
    pub located: bool,
    /// Did-you-mean suggestions still to be looked up (see [`EvalError::suggesting`]).
    pub(crate) pending: Option<Box<Pending>>,
}

/// Which names of a table a misspelt name is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Among {
    Columns(u32),
    Rows(u32),
    /// Columns, then rows.
    Members(u32),
}

/// Suggestions to look up when the error is reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pending {
    name: String,
    among: Among,
}

impl EvalError {
    pub fn runtime(message: impl Into<String>, span: Span) -> Self {
        EvalError {
            kind: ErrorKind::Runtime,
            message: message.into(),
            help: None,
            span,
            located: false,
            pending: None,
        }
    }

    pub fn not_found(message: impl Into<String>, span: Span) -> Self {
        EvalError {
            kind: ErrorKind::NotFound,
            message: message.into(),
            help: None,
            span,
            located: false,
            pending: None,
        }
    }

    pub fn absent(message: impl Into<String>, span: Span) -> Self {
        EvalError {
            kind: ErrorKind::Absent,
            message: message.into(),
            help: None,
            span,
            located: false,
            pending: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Did-you-mean suggestions for `name` among a table's names, looked up only when the
    /// error is reported ([`EvalError::resolve_help`]): most such errors are caught
    /// (`存在(…)`, a bare name that falls back to a table) and never shown.
    pub(crate) fn suggesting(mut self, name: &str, among: Among) -> Self {
        self.pending = Some(Box::new(Pending {
            name: name.to_string(),
            among,
        }));
        self
    }

    /// Looks up pending suggestions (see [`EvalError::suggesting`]).
    pub(crate) fn resolve_help(mut self, ix: &crate::docindex::DocIndex<'_>) -> Self {
        let Some(p) = self.pending.take() else {
            return self;
        };
        let candidates = match p.among {
            Among::Columns(t) => ix.column_names(t),
            Among::Rows(t) => ix.row_names(t),
            Among::Members(t) => {
                let mut c = ix.column_names(t);
                c.extend(ix.row_names(t));
                c
            }
        };
        self.with_suggestions(&crate::suggest::suggest(&p.name, &candidates))
    }

    /// Attaches did-you-mean suggestions, if any.
    pub fn with_suggestions(self, suggestions: &[String]) -> Self {
        match suggestions {
            [] => self,
            [one] => self.with_help(format!("是不是 `{one}`？")),
            many => {
                let list: Vec<String> = many.iter().map(|s| format!("`{s}`")).collect();
                self.with_help(format!("是不是 {}？", list.join("、")))
            }
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}

impl miette::Diagnostic for EvalError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let code = match self.kind {
            ErrorKind::Absent => "shenhe::eval::absent",
            ErrorKind::NotFound => "shenhe::eval::not_found",
            ErrorKind::Runtime => "shenhe::eval::runtime",
        };
        Some(Box::new(code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some("这里".to_string()), self.span),
        )))
    }
}

/// An arithmetic problem before it is given the span of the expression that caused it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumError {
    pub message: String,
    pub help: Option<String>,
}

impl NumError {
    pub fn new(message: impl Into<String>) -> Self {
        NumError {
            message: message.into(),
            help: None,
        }
    }

    pub fn overflow() -> Self {
        NumError::new("数值超出可表示范围（溢出）")
    }

    pub fn division_by_zero() -> Self {
        NumError::new("除数为零")
    }

    pub fn at(self, span: Span) -> EvalError {
        EvalError {
            kind: ErrorKind::Runtime,
            message: self.message,
            help: self.help,
            span,
            located: false,
            pending: None,
        }
    }
}
