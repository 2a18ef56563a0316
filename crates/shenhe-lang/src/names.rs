//! What the user reads for each grammar rule in “应为 …” messages (pest's
//! `rename_meta_rule`), and the keyword lists used for did-you-mean suggestions.

use crate::parser::Rule;

/// How an expected grammar rule is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Expected {
    /// A closing token: shown first, because it is usually what is missing.
    Closer(&'static str),
    /// Another single token or kind of token.
    Token(&'static str),
    /// Any infix operator (listed as one entry).
    Operator,
    /// Any clause keyword.
    Clause,
    /// The start of an expression.
    Expression,
    /// Tokens that only continue an operand (`.`, `[`, `(`, `±`); shown only when nothing
    /// else is expected.
    Continuation(&'static str),
    /// The end of the input.
    End,
}

impl Expected {
    /// The words shown for this entry.
    pub fn text(self) -> &'static str {
        match self {
            Expected::Closer(t) | Expected::Token(t) | Expected::Continuation(t) => t,
            Expected::Operator => "运算符",
            Expected::Clause => "子句关键字（如 `断言`）",
            Expected::Expression => "表达式",
            Expected::End => "文件结尾",
        }
    }
}

/// Names a grammar rule for users; `None` for rules never worth showing.
pub(crate) fn describe(rule: Rule) -> Option<Expected> {
    use Expected::{Closer, Continuation, Token};
    let e = match rule {
        Rule::EOI => Expected::End,
        Rule::close_paren => Closer("`)`"),
        Rule::close_bracket => Closer("`]`"),
        Rule::close_brace => Closer("`}`"),
        Rule::quote_close => Closer("`\"`"),
        Rule::cjk_quote_close => Closer("`”`"),
        Rule::open_paren | Rule::call_args => Continuation("`(`"),
        Rule::index => Continuation("`[`"),
        Rule::field => Continuation("`.`"),
        Rule::tolerance | Rule::op_pm => Continuation("容差（`±`）"),
        Rule::unit => Continuation("单位（`元`、`万元`、`亿元`）"),
        Rule::percent_sign => Continuation("`%`"),
        Rule::open_brace => Token("`{`"),
        Rule::comma => Token("`,`"),
        Rule::colon => Token("`:`"),
        Rule::assign => Token("`=`"),
        Rule::name => Token("名称"),
        Rule::field_name => Token("列名或行名"),
        Rule::string | Rule::ascii_string | Rule::cjk_string | Rule::quote | Rule::cjk_quote => {
            Token("字符串")
        }
        Rule::rule_id => Token("规则编号（如 `YS-001`）"),
        Rule::version_number => Token("版本号（如 `1`）"),
        Rule::kw_language | Rule::version_decl => Token("`语言`"),
        Rule::kw_rule | Rule::rule_def | Rule::rule_strict => Token("`规则`"),
        Rule::doc_comment => Continuation("文档注释 `///`"),
        Rule::kw_else => Token("`否则`"),
        Rule::kw_where => Token("`若`"),
        Rule::kw_in => Token("`于`"),
        Rule::kw_let | Rule::binding => Token("`令`"),
        Rule::kw_severity
        | Rule::kw_category
        | Rule::kw_basis
        | Rule::kw_applies
        | Rule::kw_template
        | Rule::kw_when
        | Rule::kw_assert
        | Rule::kw_message
        | Rule::severity_clause
        | Rule::category_clause
        | Rule::basis_clause
        | Rule::applies_clause
        | Rule::template_clause
        | Rule::when_clause
        | Rule::assert_clause
        | Rule::message_clause => Expected::Clause,
        Rule::infix_op => Expected::Operator,
        Rule::expr
        | Rule::every_row
        | Rule::each_match
        | Rule::postfix_expr
        | Rule::paren
        | Rule::bool
        | Rule::number_lit
        | Rule::number
        | Rule::prefix_op
        | Rule::kw_every
        | Rule::kw_each
        | Rule::kw_true
        | Rule::kw_false => Expected::Expression,
        _ => return None,
    };
    Some(e)
}

/// Clause keywords, Chinese then English, for did-you-mean inside a rule body.
pub(crate) const CLAUSE_KEYWORDS: &[&str] = &[
    "级别", "类别", "依据", "适用", "模板", "前提", "令", "断言", "消息", "severity", "category",
    "basis", "applies", "template", "when", "let", "assert", "message",
];

/// Keywords that start a top-level item.
pub(crate) const ITEM_KEYWORDS: &[&str] = &["语言", "令", "规则", "language", "let", "rule"];

/// The length in bytes of the longest word in [`RESERVED`] (`tolerance`): a longer name is no
/// keyword.
pub(crate) const LONGEST_RESERVED: usize = 9;

/// Every reserved word (keywords cannot be names).
pub(crate) const RESERVED: &[&str] = &[
    "语言",
    "规则",
    "令",
    "级别",
    "类别",
    "依据",
    "适用",
    "模板",
    "前提",
    "断言",
    "消息",
    "否则",
    "每行",
    "每处",
    "若",
    "于",
    "真",
    "假",
    "容差",
    "且",
    "或",
    "非",
    "language",
    "rule",
    "let",
    "severity",
    "category",
    "basis",
    "applies",
    "template",
    "when",
    "assert",
    "message",
    "else",
    "every",
    "each",
    "where",
    "in",
    "true",
    "false",
    "tolerance",
    "and",
    "or",
    "not",
];
