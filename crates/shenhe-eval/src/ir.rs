//! The compiled form of expressions: names already classified (binding, capture, table, column
//! of the current row), functions resolved to their implementations, patterns compiled,
//! literals parsed, `+`/`−`, `且`/`或` chains flattened.

use std::sync::Arc;

use rust_decimal::Decimal;
use shenhe_lang::ast::{CompareOp, Span, Template};

use crate::builtins::Builtin;
use crate::docindex::NameKey;
use crate::num::Num;
use crate::pattern::Matcher;
use crate::value::Value;

#[derive(Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
    /// Set on the largest sub-expressions of a `每行`/`每处` body that read neither the row
    /// in view nor a capture (see [`crate::invariant`]): the evaluator keeps their value
    /// instead of computing it again for every row. The slot is the rule's.
    pub keep: Option<u32>,
    /// Set on sub-expressions written more than once in one `每行`/`每处` body (or one
    /// assertion), structurally and textually the same (see [`crate::invariant::mark_shared`]):
    /// the evaluator gives the value of the first evaluation back to the others on the same
    /// row or match. The slot is the rule's, shared by the equal occurrences.
    pub share: Option<Share>,
    /// For a call of a built-in with a borrowed form ([`crate::builtins::text_fn`]), that form,
    /// looked up once when the call is compiled (the evaluator asks for it on every row).
    pub text: Option<crate::builtins::TextFn>,
}

impl Node {
    pub fn new(kind: NodeKind, span: Span) -> Node {
        Node {
            kind,
            span,
            keep: None,
            share: None,
            text: None,
        }
    }
}

/// See [`Node::share`].
#[derive(Clone, Copy, Debug)]
pub struct Share {
    pub slot: u32,
    /// How many levels evaluating the node nests at most (itself included): a value is
    /// given back only where evaluating it could not go past the evaluator's depth limit.
    pub height: u32,
}

// An explicit tag: the evaluator dispatches on it for every node, and a niche in `Const`'s
// value took several instructions to decode.
#[derive(Debug)]
#[repr(u8)]
pub enum NodeKind {
    /// Produced only for expressions that failed to compile (never evaluated).
    Invalid,
    Const(Value),
    FileBinding(usize),
    RuleBinding(usize),
    Capture(usize),
    /// A bare name inside `每行`: a column of the current row; when the row has no such column,
    /// `fallback` (a table reference) if any.
    RowName {
        name: NameKey,
        fallback: Option<Box<Node>>,
    },
    /// `行` inside `每行`.
    CurrentRow,
    /// `表三`, `表3`.
    TableNumber {
        ordinal: u32,
        printed: String,
    },
    /// A role (or alias) from the profiles, as `name` was written; `role` is the canonical
    /// role's [`crate::roles::RoleKeys::id`].
    TableRole {
        name: String,
        role: u32,
    },
    Field {
        base: Box<Node>,
        name: NameKey,
        /// Where the name is (errors about it point there).
        name_span: Span,
    },
    Index {
        base: Box<Node>,
        index: Box<Node>,
    },
    /// `基["文字"]` with the key written as a string: normalised once, at compile time.
    IndexKey {
        base: Box<Node>,
        key: NameKey,
        key_span: Span,
    },
    Call {
        func: &'static Builtin,
        args: Vec<Node>,
    },
    /// A pattern literal given to a function.
    Pattern(Box<Matcher>),
    Neg(Box<Node>),
    Not(Box<Node>),
    /// `a + b − c …`: each term with `true` when subtracted.
    Sum(Vec<(bool, Node)>),
    Mul {
        lhs: Box<Node>,
        rhs: Box<Node>,
        divide: bool,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Compare {
        op: CompareOp,
        lhs: Box<Node>,
        rhs: Box<Node>,
        tolerance: Option<Tol>,
    },
    EveryRow {
        table: Box<Node>,
        filter: Option<Box<Node>>,
        body: Box<Node>,
    },
    EachMatch {
        /// Shared, so that the document's match memo can keep it (see `matchmemo`).
        matcher: Arc<Matcher>,
        scope: Option<Box<Node>>,
        body: Box<Node>,
        /// Capture names and their slots.
        captures: Vec<(String, usize)>,
    },
}

/// An explicit tolerance, parsed.
#[derive(Debug, Clone)]
pub enum Tol {
    Absolute(Num),
    /// Percent of the larger side.
    Relative(Decimal),
}

/// A binding (`令`), compiled.
#[derive(Debug)]
pub struct CompiledBinding {
    pub name: String,
    pub node: Node,
}

/// An assertion (`断言`), compiled.
#[derive(Debug)]
pub struct CompiledAssertion {
    pub node: Node,
    pub message: Option<Template>,
}
