//! The owned, spanned syntax tree of a rule file. No pest type appears here.
//!
//! Equality of nodes ignores spans (`PartialEq` is written by hand for [`Span`] to always be
//! equal), so tests can compare trees by structure.

use rust_decimal::Decimal;
use serde::Serialize;
use shenhe_model::{DocKind, Unit};

/// A byte range into one rule file's text.
#[derive(Clone, Copy, Debug, Default, Eq, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl PartialEq for Span {
    /// Spans never make two nodes differ.
    fn eq(&self, _other: &Span) -> bool {
        true
    }
}

impl std::hash::Hash for Span {
    /// Consistent with `PartialEq`: spans never make two nodes differ, so they hash to nothing.
    fn hash<H: std::hash::Hasher>(&self, _state: &mut H) {}
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> miette::SourceSpan {
        miette::SourceSpan::new((s.start as usize).into(), s.len())
    }
}

/// A leaf with its span.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// A whole rule file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleFile {
    /// The file's name as given to the parser (for diagnostics).
    pub name: String,
    /// The `语言 1` line.
    pub version: Option<Spanned<u32>>,
    /// File-level `令` bindings, visible to every rule of the file.
    pub bindings: Vec<Binding>,
    pub rules: Vec<Rule>,
}

/// How bad a finding of a rule is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Severity {
    /// 错误 (must fix; `shenhe check` exits 1)
    #[serde(rename = "错误")]
    Error,
    /// 警告 (should be explained or fixed)
    #[serde(rename = "警告")]
    Warning,
    /// 提示 (for a person to look at)
    #[serde(rename = "提示")]
    Info,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

/// Which documents a rule applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Applicability {
    /// 预算: 部门预算 and 单位预算
    #[serde(rename = "预算")]
    AnyBudget,
    /// 决算: 部门决算 and 单位决算
    #[serde(rename = "决算")]
    AnyFinal,
    /// One kind.
    Kind(DocKind),
}

impl Applicability {
    pub fn admits(self, kind: DocKind) -> bool {
        match self {
            Applicability::AnyBudget => kind.is_budget(),
            Applicability::AnyFinal => kind.is_final(),
            Applicability::Kind(k) => k == kind,
        }
    }
}

/// `规则 ID "标题" { … }`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rule {
    /// `///` lines before the rule, without the slashes (Markdown).
    pub doc: Vec<String>,
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    /// `级别`; absent means 错误.
    pub severity: Option<Spanned<Severity>>,
    /// `类别`.
    pub category: Option<Spanned<String>>,
    /// `依据` (may repeat).
    pub basis: Vec<Spanned<String>>,
    /// `适用`; empty means every document.
    pub applies: Vec<Spanned<Applicability>>,
    /// `模板`: template profile ids; empty means every template.
    pub templates: Vec<Spanned<String>>,
    /// `前提`: when any is false the rule is not applicable.
    pub preconditions: Vec<Expr>,
    /// `令` bindings, in order; each sees the ones before it.
    pub bindings: Vec<Binding>,
    /// `断言`: each must hold.
    pub assertions: Vec<Assertion>,
    /// `消息`: the message template for failures.
    pub message: Option<Spanned<Template>>,
    pub span: Span,
}

/// `令 名 = 表达式`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Binding {
    pub name: Spanned<String>,
    pub value: Expr,
    pub span: Span,
}

/// `断言 表达式 [否则 "消息"]`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assertion {
    pub expr: Expr,
    /// A message for this assertion only (overrides the rule's).
    pub message: Option<Spanned<Template>>,
    pub span: Span,
}

/// An expression.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ExprKind {
    /// `821.07万元`, `100`, `0.5 亿元`. The decimal keeps the digits as written.
    Number { value: Decimal, unit: Option<Unit> },
    /// `82.93%`
    Percent(Decimal),
    /// `"文字"`
    Text(String),
    /// `true`/`真`, `false`/`假`
    Bool(bool),
    /// A bare name: a binding, a capture, a table (`表三`, `表3`, a role such as `基本支出表`), or
    /// inside `每行` a column of the current row. Resolved by the evaluator.
    Name(String),
    /// `基.名`: a row or column of a table, a column of a row.
    Field {
        base: Box<Expr>,
        name: Spanned<String>,
    },
    /// `基["2010104"]`: a row by code or name, a column by name.
    Index { base: Box<Expr>, index: Box<Expr> },
    /// `sum(表三.基本支出)`, `占比(a, b)`.
    Call {
        func: Spanned<String>,
        args: Vec<Expr>,
    },
    Unary {
        op: Spanned<UnaryOp>,
        operand: Box<Expr>,
    },
    Binary {
        op: Spanned<BinaryOp>,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// A comparison, with an optional explicit tolerance (`± 0.01万元`, `± 1%`).
    Compare {
        op: Spanned<CompareOp>,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        tolerance: Option<Spanned<Tolerance>>,
    },
    /// `每行 表 [若 条件]: 断言` — holds when the body holds for every row (detail and total
    /// rows alike) that passes the filter. Inside, bare names are columns of the current row.
    EveryRow {
        table: Box<Expr>,
        filter: Option<Box<Expr>>,
        body: Box<Expr>,
    },
    /// `每处 "模式" [于 范围]: 断言` — holds when the body holds for every match of the pattern
    /// in the narrative (or in the given section). Inside, captures are names.
    EachMatch {
        pattern: Spanned<Pattern>,
        scope: Option<Box<Expr>>,
        body: Box<Expr>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum UnaryOp {
    /// `-`
    Neg,
    /// `非`, `not`, `!`
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    /// `且`, `and`, `&&`
    And,
    /// `或`, `or`, `||`
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CompareOp {
    /// `==`: equal within the rounding of the printed values (XBRL Calculations 1.1 intervals).
    Eq,
    /// `!=`, `≠`
    Ne,
    Lt,
    /// `<=`, `≤`
    Le,
    Gt,
    /// `>=`, `≥`
    Ge,
    /// `===`: the printed values are exactly equal (after unit rescaling).
    StrictEq,
}

/// An explicit tolerance on a comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Tolerance {
    /// `± 0.5万元`: |左 − 右| ≤ value (in the unit given, or in the left side's unit).
    Absolute { value: Decimal, unit: Option<Unit> },
    /// `± 1%`: |左 − 右| ≤ value% × max(|左|, |右|).
    Relative(Decimal),
}

/// A narrative pattern, e.g. `"基本支出{金额:金额}，占{比:百分比}"`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pattern {
    pub parts: Vec<PatternPart>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum PatternPart {
    /// Literal text; matched ignoring whitespace and line breaks, and full/half-width forms.
    Literal(String),
    /// `{名:种类}` or `{种类}`: captures a value.
    Capture {
        name: Option<Spanned<String>>,
        kind: Spanned<CaptureKind>,
    },
    /// `{…}` or `{…N}`: skips up to N (default 20) characters, never past `。` or `；`.
    Gap { max: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CaptureKind {
    /// 金额: a number followed by 元/万元/亿元.
    Amount,
    /// 百分比: a number followed by `%` (or 个百分点).
    Percent,
    /// 数: a bare number.
    Number,
    /// 数量: a number followed by a measure word (个, 辆, 人, 次 …).
    Count,
    /// 年: a year such as `2024 年`.
    Year,
    /// 增减: a direction word (增加, 减少, 持平, 增长, 下降, 上升, 降低, 大于, 小于, 等于, 无变化).
    Direction,
    /// 词: a run of CJK characters (shortest that lets the rest match).
    Word,
    /// 编码: a classification code, 3 to 7 digits standing alone (`2050202`, `30201`), as text.
    Code,
}

/// A message template: literal text with `{名}` placeholders.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum TemplatePart {
    Literal(String),
    /// `{名}`: a binding, a capture, or one of 左 右 差 容差 行 表 (the failing comparison's
    /// sides, their difference, the tolerance used, the current row and table).
    Placeholder(Spanned<String>),
}
