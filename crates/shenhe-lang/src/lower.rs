//! Lowering: pest pairs → the owned AST, collecting every diagnostic on the way.
//!
//! This module and `lower_expr.rs` are the only places that see pest types. Recovery: the
//! grammar turns an unparseable top-level item into a `bad_item` and an unparseable clause
//! into a `bad_clause`; for each, the slice is parsed again by a non-recovering probe rule so
//! pest names exactly what it expected, and the error's offsets are shifted back into the file.

use std::cell::RefCell;
use std::collections::BTreeMap;

use pest::Parser;
use pest::iterators::Pair;
use shenhe_model::DocKind;

use crate::ast::{
    Applicability, Assertion, Binding, Rule as RuleAst, RuleFile, Severity, Span, Spanned,
};
use crate::diagnostic::Diagnostic;
use crate::limits::is_name_char;
use crate::names::RESERVED;
use crate::parser::{Rule, RulesParser};
use crate::strings::StrLit;
use crate::suggest::did_you_mean;
use crate::{syntax_error, template};

/// The language versions this crate understands.
pub const SUPPORTED_VERSION: u32 = 1;

/// Lowering state: the source (for messages) and the diagnostics found so far.
pub(crate) struct Ctx<'s> {
    /// The file as given, for messages.
    pub source: &'s str,
    /// The text pest parses: the source with over-deep statements blanked (same offsets).
    pub text: &'s str,
    pub diags: RefCell<Vec<Diagnostic>>,
    /// Byte ranges blanked by the nesting pre-scan (already reported).
    pub masked: Vec<(usize, usize)>,
}

/// The span of a pair without the whitespace and comments pest lets a rule swallow after its
/// last token (a rule ending in `x*` or `x?` ends after the skipped trivia): it ends where its
/// last token ends.
pub(crate) fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let start = pair.as_span().start();
    let mut end = pair.as_span().end();
    let mut cur = pair.clone();
    while let Some(last) = cur.clone().into_inner().last() {
        end = last.as_span().end();
        cur = last;
    }
    Span::new(start, end)
}

impl<'s> Ctx<'s> {
    pub fn new(source: &'s str, text: &'s str) -> Self {
        Ctx {
            source,
            text,
            diags: RefCell::new(Vec::new()),
            masked: Vec::new(),
        }
    }

    pub fn push(&self, d: Diagnostic) {
        self.diags.borrow_mut().push(d);
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diags.into_inner()
    }

    /// Parses `text` (the source, possibly with deep statements blanked) as a rule file.
    pub fn file(&self, name: &str) -> RuleFile {
        let text = self.text;
        let mut file = RuleFile {
            name: name.to_string(),
            version: None,
            bindings: Vec::new(),
            rules: Vec::new(),
        };
        let pairs = match RulesParser::parse(Rule::file, text) {
            Ok(p) => p,
            Err(e) => {
                // Only resource limits can stop the recovering grammar.
                self.push(syntax_error::diagnostic(&e, 0, self.source));
                return file;
            }
        };
        let mut seen_item: Option<Span> = None;
        let mut docs: Option<Span> = None;
        let mut version_problem = false;
        let items = pairs
            .into_iter()
            .next()
            .map(|f| f.into_inner())
            .into_iter()
            .flatten();
        for item in items.filter(|p| is_item(p.as_rule())) {
            let rule = item.as_rule();
            let span = span_of(&item);
            if rule != Rule::doc_comment
                && let Some(d) = docs.take()
                && rule != Rule::bad_item
            {
                self.dangling_doc(d);
            }
            match rule {
                Rule::version_decl => {
                    version_problem |= self.version(item, &mut file, seen_item);
                }
                Rule::binding => {
                    if let Some(b) = self.binding(item) {
                        file.bindings.push(b);
                    }
                }
                Rule::rule_def => {
                    if let Some(r) = self.rule(item) {
                        file.rules.push(r);
                    }
                }
                Rule::doc_comment => docs = Some(docs.map_or(span, |d| d.to(span))),
                Rule::bad_item => {
                    version_problem |= starts_with_keyword(item.as_str(), &["语言", "language"]);
                    self.bad_item(&item);
                }
                _ => {}
            }
            if rule != Rule::version_decl {
                seen_item.get_or_insert(span);
            }
        }
        if let Some(d) = docs {
            self.dangling_doc(d);
        }
        if file.version.is_none() && !version_problem {
            let at = seen_item.map_or(0, |s| s.start as usize);
            self.push(
                Diagnostic::new(
                    "shenhe::lang::missing_version",
                    "缺少语言版本行 `语言 1`",
                    Span::new(at, at),
                )
                .with_label("文件应从这里的版本行开始")
                .with_help(
                    "在文件开头（注释之后）写一行 `语言 1`，以后语言改版时旧规则的含义不会悄悄改变",
                ),
            );
        }
        self.duplicate_ids(&file.rules);
        file
    }

    fn dangling_doc(&self, span: Span) {
        self.push(
            Diagnostic::new(
                "shenhe::lang::doc_comment",
                "文档注释 `///` 后面没有规则",
                span,
            )
            .with_label("这段文档注释不属于任何规则")
            .with_help("`///` 只能写在 `规则` 之前；普通注释请用 `#` 或 `//`"),
        );
    }

    /// Returns true when the version line itself had a problem (so "missing" is not said too).
    fn version(&self, item: Pair<'_, Rule>, file: &mut RuleFile, seen: Option<Span>) -> bool {
        let span = span_of(&item);
        let Some(num) = item
            .into_inner()
            .find(|p| p.as_rule() == Rule::version_number)
        else {
            return true;
        };
        let num_span = span_of(&num);
        if let Some(first) = &file.version {
            self.push(
                Diagnostic::new("shenhe::lang::duplicate_version", "重复的语言版本行", span)
                    .with_label("第二个版本行")
                    .with_secondary(first.span, "第一个版本行在这里")
                    .with_help("一个文件只写一行 `语言 1`"),
            );
            return true;
        }
        let mut problem = false;
        if let Some(before) = seen {
            problem = true;
            self.push(
                Diagnostic::new(
                    "shenhe::lang::misplaced_version",
                    "语言版本行必须写在文件开头",
                    span,
                )
                .with_label("版本行在这里")
                .with_secondary(
                    Span::new(before.start as usize, before.start as usize),
                    "它之前已有内容",
                )
                .with_help("把 `语言 1` 移到所有规则和 `令` 之前（注释可以在它前面）"),
            );
        }
        match num.as_str().parse::<u32>() {
            Ok(v) => {
                if v != SUPPORTED_VERSION {
                    self.push(
                        Diagnostic::new(
                            "shenhe::lang::unsupported_version",
                            format!("不支持的语言版本 `{v}`"),
                            num_span,
                        )
                        .with_label("本程序只支持版本 1")
                        .with_help("写 `语言 1`；若文件来自更新的 shenhe，请升级 shenhe"),
                    );
                    problem = true;
                }
                file.version = Some(Spanned::new(v, num_span));
            }
            Err(_) => {
                self.push(number_range(num_span, num.as_str()));
                problem = true;
            }
        }
        problem
    }

    fn duplicate_ids(&self, rules: &[RuleAst]) {
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        for r in rules {
            match seen.get(r.id.node.as_str()) {
                Some(&first) => self.push(
                    Diagnostic::new(
                        "shenhe::lang::duplicate_rule",
                        format!("规则编号 `{}` 重复", r.id.node),
                        r.id.span,
                    )
                    .with_label("重复的编号")
                    .with_secondary(first, "第一次定义在这里")
                    .with_help("每条规则的编号在文件中必须唯一；编号一经使用不要改作他用"),
                ),
                None => {
                    seen.insert(&r.id.node, r.id.span);
                }
            }
        }
    }

    /// `令 名 = 表达式`
    pub fn binding(&self, pair: Pair<'_, Rule>) -> Option<Binding> {
        let span = span_of(&pair);
        let mut name = None;
        let mut value = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::name => name = self.name(&p),
                Rule::expr => value = self.expr(p),
                _ => {}
            }
        }
        Some(Binding {
            name: name?,
            value: value?,
            span,
        })
    }

    /// A name, refusing keywords (the grammar accepts them so the error can say why).
    pub fn name(&self, p: &Pair<'_, Rule>) -> Option<Spanned<String>> {
        let text = p.as_str();
        let span = span_of(p);
        if RESERVED.contains(&text) {
            self.push(
                Diagnostic::new(
                    "shenhe::lang::reserved_name",
                    format!("`{text}` 是关键字，不能用作名称"),
                    span,
                )
                .with_label("这里应为名称")
                .with_help(format!(
                    "换一个名称，例如 `{text}值`；只有写在点号之后的列名、行名可以与关键字相同"
                )),
            );
            return None;
        }
        Some(Spanned::new(text.to_string(), span))
    }

    fn rule(&self, pair: Pair<'_, Rule>) -> Option<RuleAst> {
        let mut doc = Vec::new();
        let mut start = None;
        let mut end = span_of(&pair).end as usize;
        let mut id = None;
        let mut title = None;
        let mut body = RuleBody::default();
        let mut prev_clause: Option<usize> = None;
        let mut body_start = 0;
        for p in pair.into_inner() {
            let rule = p.as_rule();
            let span = span_of(&p);
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

    fn rule_id(&self, p: &Pair<'_, Rule>) -> Spanned<String> {
        let text = p.as_str();
        let span = span_of(p);
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

    fn clause(&self, p: Pair<'_, Rule>, body: &mut RuleBody) {
        let rule = p.as_rule();
        let span = span_of(&p);
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

    fn assertion(&self, p: Pair<'_, Rule>, body: &mut RuleBody) {
        let span = span_of(&p);
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
        p: Pair<'_, Rule>,
        first: &Option<Span>,
        keyword: &str,
    ) -> Option<Spanned<String>> {
        let span = span_of(&p);
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
    fn words(&self, p: Pair<'_, Rule>) -> Vec<Spanned<String>> {
        p.into_inner()
            .filter_map(|q| match q.as_rule() {
                Rule::name => Some(Spanned::new(q.as_str().to_string(), span_of(&q))),
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

    /// Decodes a `string` pair.
    pub fn string(&self, p: Pair<'_, Rule>) -> StrLit {
        let span = span_of(&p);
        let inner = p.into_inner().next();
        let escapes = inner
            .as_ref()
            .is_some_and(|i| i.as_rule() == Rule::ascii_string);
        let body = inner.and_then(|i| {
            i.into_inner()
                .find(|q| matches!(q.as_rule(), Rule::ascii_string_body | Rule::cjk_string_body))
        });
        let mut diags = self.diags.borrow_mut();
        match body {
            Some(b) => StrLit::decode(b.as_str(), b.as_span().start(), span, escapes, &mut diags),
            None => StrLit::decode("", span.start as usize, span, false, &mut diags),
        }
    }

    fn bad_item(&self, item: &Pair<'_, Rule>) {
        let start = item.as_span().start();
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
            Ok(_) => unrecognised(span_of(item)),
        };
        self.push(d);
    }

    /// Reports a clause that did not parse. The probe starts at the previous good clause so
    /// pest sees the context; when the error is an unknown keyword at the start of a line, the
    /// rest of the bad stretch is probed again from the next line, so several misspelt clauses
    /// in a row are all reported.
    fn bad_clause(&self, from: usize, clause: &Pair<'_, Rule>) {
        let end = clause.as_span().end();
        let mut cur = from;
        while let Some(slice) = self.source_slice(cur, end) {
            let Err(e) = RulesParser::parse(Rule::probe_clauses, slice) else {
                if cur == from {
                    self.push(unrecognised(span_of(clause)));
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

    fn source_slice(&self, from: usize, to: usize) -> Option<&'s str> {
        self.text.get(from..to)
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

/// Whether `text` starts with one of `words` as a whole word.
fn starts_with_keyword(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| {
        text.strip_prefix(w)
            .is_some_and(|rest| rest.chars().next().is_none_or(|c| !is_name_char(c)))
    })
}

/// Whether a pair is a top-level item of `file`.
fn is_item(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::version_decl | Rule::binding | Rule::rule_def | Rule::doc_comment | Rule::bad_item
    )
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

pub(crate) fn number_range(span: Span, text: &str) -> Diagnostic {
    Diagnostic::new(
        "shenhe::lang::number_range",
        format!("数值超出范围：`{text}`"),
        span,
    )
    .with_label("无法精确表示这个数")
    .with_help("数值最多 28 位有效数字（整数部分不超过 79228162514264337593543950335）")
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
