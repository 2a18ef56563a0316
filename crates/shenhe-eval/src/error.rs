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
///
/// Its parts are boxed ([`ErrorData`], reached through `Deref`): every evaluation returns a
/// `Result<_, EvalError>`, most of them `Ok`, and a one-pointer error keeps small results
/// (`Result<(), EvalError>`, `Result<&str, EvalError>`) in registers instead of a 72-byte
/// block copied through every level.
#[derive(Clone, PartialEq, Eq)]
pub struct EvalError(Box<ErrorData>);

/// The parts of an [`EvalError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorData {
    pub kind: ErrorKind,
    pub message: String,
    pub help: Option<String>,
    pub span: Span,
    /// True once the message names the row or text being checked (the innermost one).
    pub located: bool,
    /// Did-you-mean suggestions still to be looked up (see [`EvalError::suggesting`]).
    pub(crate) pending: Option<Box<Pending>>,
}

impl std::ops::Deref for EvalError {
    type Target = ErrorData;

    fn deref(&self) -> &ErrorData {
        &self.0
    }
}

impl std::ops::DerefMut for EvalError {
    fn deref_mut(&mut self) -> &mut ErrorData {
        &mut self.0
    }
}

impl fmt::Debug for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EvalError")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("help", &self.help)
            .field("span", &self.span)
            .field("located", &self.located)
            .field("pending", &self.pending)
            .finish()
    }
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
        EvalError::new(ErrorKind::Runtime, message.into(), span)
    }

    fn new(kind: ErrorKind, message: String, span: Span) -> Self {
        EvalError(Box::new(ErrorData {
            kind,
            message,
            help: None,
            span,
            located: false,
            pending: None,
        }))
    }

    pub fn not_found(message: impl Into<String>, span: Span) -> Self {
        EvalError::new(ErrorKind::NotFound, message.into(), span)
    }

    pub fn absent(message: impl Into<String>, span: Span) -> Self {
        EvalError::new(ErrorKind::Absent, message.into(), span)
    }

    /// The error's message, taken out of it.
    pub fn into_message(self) -> String {
        self.0.message
    }

    /// The error's parts, taken out of it.
    pub fn into_data(self) -> ErrorData {
        *self.0
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
        let mut e = EvalError::new(ErrorKind::Runtime, self.message, span);
        e.help = self.help;
        e
    }
}
