//! Lowering one `规则` block: header, clauses and their values.

use crate::tree::Node;
use shenhe_model::DocKind;

use crate::ast::{Applicability, Assertion, Binding, Rule as RuleAst, Severity, Span, Spanned};
use crate::diagnostic::Diagnostic;
use crate::lower::Ctx;
use crate::parser::Rule;
use crate::suggest::did_you_mean;
use crate::template;

impl Ctx<'_> {
    pub(crate) fn rule(&self, pair: Node<'_, '_>) -> Option<RuleAst> {
        let mut doc = Vec::new();
        let mut start = None;
        let mut end = pair.span().end as usize;
        let mut id = None;
        let mut title = None;
        let mut body = RuleBody::default();
        let mut prev_clause: Option<usize> = None;
        let mut body_start = 0;
        for p in pair.into_inner() {
            let rule = p.as_rule();
            let span = p.span();
            match rule {
                Rule::doc_comment if start.is_none() => doc.push(doc_text(p.as_str())),
                Rule::kw_rule => start = Some(span.start as usize),
                Rule::rule_id => id = Some(self.rule_id(&p)),
                Rule::string if title.is_none() => {
                    let lit = self.string(p);
                    if lit.value.trim().is_empty() {
                        self.push(
                            Diagnostic::new(
                                "shenhe::lang::empty_title",
                                "规则标题是空的",
                                lit.span,
                            )
                            .with_label("这里应写一句话说明规则检查什么")
                            .with_help("例如 `规则 YS-001 \"收支总表收入总计等于支出总计\" { … }`"),
                        );
                    }
                    title = Some(Spanned::new(lit.value, lit.span));
                }
                Rule::open_brace => body_start = span.end as usize,
                Rule::close_brace => end = span.end as usize,
                Rule::bad_clause => {
                    body.failed_assertion = true;
                    let from = prev_clause.unwrap_or(span.start as usize);
                    self.bad_clause(from.max(body_start), &p);
                    prev_clause = None;
                }
                _ => {
                    prev_clause = Some(span.start as usize);
                    self.clause(p, &mut body);
                }
            }
        }
        let start = start?;
        let span = Span::new(start, end);
        let masked = self.masked.iter().any(|&(a, b)| a < end && b > start);
        if body.assertions.is_empty() && !body.failed_assertion && !masked {
            self.push(
                Diagnostic::new(
                    "shenhe::lang::no_assertion",
                    "规则没有断言",
                    Span::new(start, start + "规则".len().min(end - start)),
                )
                .with_label("这条规则什么也不检查")
                .with_help("在规则中至少写一个 `断言 表达式`"),
            );
        }
        Some(RuleAst {
            doc,
            id: id?,
            title: title?,
            severity: body.severity,
            category: body.category,
            basis: body.basis,
            applies: body.applies,
            templates: body.templates,
            preconditions: body.preconditions,
            bindings: body.bindings,
            assertions: body.assertions,
            message: body.message,
            span,
        })
    }

    fn rule_id(&self, p: &Node<'_, '_>) -> Spanned<String> {
        let text = p.as_str();
        let span = p.span();
        if !valid_rule_id(text) {
            self.push(
                Diagnostic::new(
                    "shenhe::lang::rule_id",
                    format!("规则编号 `{text}` 的格式不对"),
                    span,
                )
                .with_label("应为大写字母开头、短横线分段、以数字结尾的编号")
                .with_help("例如 `YS-001`、`JS-F03`、`BZ-ZC-12`"),
            );
        }
        Spanned::new(text.to_string(), span)
    }

    fn clause(&self, p: Node<'_, '_>, body: &mut RuleBody) {
        let rule = p.as_rule();
        let span = p.span();
        match rule {
            Rule::severity_clause => {
                if let Some(w) =
                    self.single_word(p, &body.severity.as_ref().map(|s| s.span), "级别")
                {
                    body.severity = self.severity(&w);
                }
            }
            Rule::category_clause => {
                if let Some(w) =
                    self.single_word(p, &body.category.as_ref().map(|s| s.span), "类别")
                {
                    body.category = Some(w);
                }
            }
            Rule::basis_clause => body.basis.extend(self.words(p)),
            Rule::applies_clause => {
                for w in self.words(p).into_iter().flat_map(split_list) {
                    if let Some(a) = self.applicability(&w) {
                        body.applies.push(a);
                    }
                }
            }
            Rule::template_clause => body.templates.extend(self.words(p)),
            Rule::when_clause => {
                if let Some(e) = p.into_inner().find(|q| q.as_rule() == Rule::expr)
                    && let Some(e) = self.expr(e)
                {
                    body.preconditions.push(e);
                }
            }
            Rule::binding => {
                if let Some(b) = self.binding(p) {
                    body.bindings.push(b);
                }
            }
            Rule::assert_clause => self.assertion(p, body),
            Rule::message_clause => {
                if let Some(first) = &body.message {
                    self.duplicate_clause("消息", span, first.span);
                }
                if let Some(s) = p.into_inner().find(|q| q.as_rule() == Rule::string) {
                    let lit = self.string(s);
                    let t = template::parse(&lit, &mut self.diags.borrow_mut());
                    body.message.get_or_insert(Spanned::new(t, lit.span));
                }
            }
            Rule::doc_comment => self.push(
                Diagnostic::new(
                    "shenhe::lang::doc_comment",
                    "文档注释 `///` 不能写在规则内部",
                    span,
                )
                .with_label("这里是规则体")
                .with_help("把说明移到 `规则` 上方；规则内部的注释请用 `#` 或 `//`"),
            ),
            _ => {}
        }
    }

    fn assertion(&self, p: Node<'_, '_>, body: &mut RuleBody) {
        let span = p.span();
        let mut expr = None;
        let mut message = None;
        let mut ok = true;
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::expr => {
                    expr = self.expr(q);
                    ok &= expr.is_some();
                }
                Rule::string => {
                    let lit = self.string(q);
                    let t = template::parse(&lit, &mut self.diags.borrow_mut());
                    message = Some(Spanned::new(t, lit.span));
                }
                _ => {}
            }
        }
        match expr {
            Some(expr) if ok => body.assertions.push(Assertion {
                expr,
                message,
                span,
            }),
            _ => body.failed_assertion = true,
        }
    }

    /// The single value of a clause that may appear once.
    fn single_word(
        &self,
        p: Node<'_, '_>,
        first: &Option<Span>,
        keyword: &str,
    ) -> Option<Spanned<String>> {
        let span = p.span();
        if let Some(first) = first {
            self.duplicate_clause(keyword, span, *first);
            return None;
        }
        self.words(p).into_iter().next()
    }

    fn duplicate_clause(&self, keyword: &str, span: Span, first: Span) {
        self.push(
            Diagnostic::new(
                "shenhe::lang::duplicate_clause",
                format!("子句 `{keyword}` 重复"),
                span,
            )
            .with_label("第二次出现")
            .with_secondary(first, "第一次出现在这里")
            .with_help(format!("一条规则只能有一个 `{keyword}`")),
        );
    }

    /// The string or name values of a clause.
    fn words(&self, p: Node<'_, '_>) -> Vec<Spanned<String>> {
        p.into_inner()
            .filter_map(|q| match q.as_rule() {
                Rule::name => Some(Spanned::new(q.as_str().to_string(), q.span())),
                Rule::string => {
                    let lit = self.string(q);
                    Some(Spanned::new(lit.value, lit.span))
                }
                _ => None,
            })
            .collect()
    }

    fn severity(&self, w: &Spanned<String>) -> Option<Spanned<Severity>> {
        let s = match w.node.as_str() {
            "错误" | "error" => Severity::Error,
            "警告" | "warning" => Severity::Warning,
            "提示" | "info" => Severity::Info,
            other => {
                self.unknown_value(
                    "级别",
                    other,
                    w.span,
                    &["错误", "警告", "提示", "error", "warning", "info"],
                );
                return None;
            }
        };
        Some(Spanned::new(s, w.span))
    }

    fn applicability(&self, w: &Spanned<String>) -> Option<Spanned<Applicability>> {
        let a = match w.node.as_str() {
            "预算" | "budget" => Applicability::AnyBudget,
            "决算" | "final" => Applicability::AnyFinal,
            "部门预算" => Applicability::Kind(DocKind::DeptBudget),
            "单位预算" => Applicability::Kind(DocKind::UnitBudget),
            "部门决算" => Applicability::Kind(DocKind::DeptFinal),
            "单位决算" => Applicability::Kind(DocKind::UnitFinal),
            other => {
                self.unknown_value(
                    "适用范围",
                    other,
                    w.span,
                    &[
                        "预算",
                        "决算",
                        "部门预算",
                        "单位预算",
                        "部门决算",
                        "单位决算",
                    ],
                );
                return None;
            }
        };
        Some(Spanned::new(a, w.span))
    }

    fn unknown_value(&self, what: &str, value: &str, span: Span, allowed: &[&str]) {
        let list = allowed
            .iter()
            .filter(|a| !a.is_ascii())
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join("、");
        let help = match did_you_mean(value, allowed) {
            Some(s) => format!("是不是 `{s}`？可选：{list}"),
            None => format!("可选：{list}"),
        };
        self.push(
            Diagnostic::new(
                "shenhe::lang::unknown_value",
                format!("未知的{what} `{value}`"),
                span,
            )
            .with_label(format!("这里应为{what}"))
            .with_help(help),
        );
    }
}

/// The clauses of a rule, gathered.
#[derive(Default)]
struct RuleBody {
    severity: Option<Spanned<Severity>>,
    category: Option<Spanned<String>>,
    basis: Vec<Spanned<String>>,
    applies: Vec<Spanned<Applicability>>,
    templates: Vec<Spanned<String>>,
    preconditions: Vec<crate::ast::Expr>,
    bindings: Vec<Binding>,
    assertions: Vec<Assertion>,
    message: Option<Spanned<crate::ast::Template>>,
    /// An assertion (or a clause that could be one) did not lower, so "no assertion" is not
    /// said too.
    failed_assertion: bool,
}

/// `/// text` → `text`.
fn doc_text(line: &str) -> String {
    let rest = line.strip_prefix("///").unwrap_or(line);
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    rest.trim_end().to_string()
}

/// `YS-001`, `JS-F03`: uppercase letters, then `-`-separated segments of uppercase letters and
/// digits, the last ending in a digit.
pub(crate) fn valid_rule_id(id: &str) -> bool {
    let mut segments = id.split('-');
    let first_ok = segments
        .next()
        .is_some_and(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_uppercase()));
    let rest: Vec<&str> = segments.collect();
    first_ok
        && !rest.is_empty()
        && rest.iter().all(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
        && rest
            .last()
            .is_some_and(|s| s.chars().last().is_some_and(|c| c.is_ascii_digit()))
}

/// `预算、决算` written as one word → two values.
fn split_list(w: Spanned<String>) -> Vec<Spanned<String>> {
    if !w.node.contains('、') {
        return vec![w];
    }
    let mut out = Vec::new();
    // Skip the opening quote of a string literal.
    let quote = w.span.len().saturating_sub(w.node.len()) / 2;
    let mut offset = w.span.start as usize + quote;
    for part in w.node.split('、') {
        if !part.is_empty() {
            out.push(Spanned::new(
                part.to_string(),
                Span::new(offset, offset + part.len()),
            ));
        }
        offset += part.len() + '、'.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids() {
        for ok in ["YS-001", "JS-F03", "BZ-ZC-12", "A-1"] {
            assert!(valid_rule_id(ok), "{ok}");
        }
        for bad in [
            "ys-001", "YS", "YS-", "YS-00A", "-1", "YS--1", "1-YS", "Y_S-1",
        ] {
            assert!(!valid_rule_id(bad), "{bad}");
        }
    }
}
