//! Lowering: the parse tree (`tree.rs`) → the owned AST, collecting every diagnostic on the way.
//!
//! This module (file level: version line, bindings, duplicate ids), `lower_rule.rs` (one rule),
//! `lower_expr.rs` (expressions) and `recover.rs` (broken items and clauses) lower the tree;
//! this module and `recover.rs` call pest (`tree.rs` turns its pairs into the tree), and
//! `fast.rs` builds the same tree without pest for files that need no recovery.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::tree::{Node, Tree};
use pest::Parser;

use crate::ast::{Binding, Rule as RuleAst, RuleFile, Span, Spanned};
use crate::diagnostic::Diagnostic;
use crate::fast;
use crate::limits::is_name_char;
use crate::names::{LONGEST_RESERVED, RESERVED};
use crate::parser::{Rule, RulesParser};
use crate::strings::StrLit;
use crate::syntax_error;

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
        // The fast path takes every file that parses without recovery; pest takes the rest
        // (and names what it expected where a file is broken).
        let fast = fast::parse_file(text);
        let tree = match fast.map_or_else(
            || RulesParser::parse(Rule::file, text).map(|p| Tree::from_pairs(text, p)),
            Ok,
        ) {
            Ok(t) => t,
            Err(e) => {
                // Only resource limits can stop the recovering grammar.
                self.push(syntax_error::diagnostic(&e, 0, self.source));
                return file;
            }
        };
        let mut seen_item: Option<Span> = None;
        let mut docs: Option<Span> = None;
        let mut version_problem = false;
        let items = tree
            .roots()
            .next()
            .map(|f| f.into_inner())
            .into_iter()
            .flatten();
        for item in items.filter(|p| is_item(p.as_rule())) {
            let rule = item.as_rule();
            let span = item.span();
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
    fn version(&self, item: Node<'_, '_>, file: &mut RuleFile, seen: Option<Span>) -> bool {
        let span = item.span();
        let Some(num) = item
            .into_inner()
            .find(|p| p.as_rule() == Rule::version_number)
        else {
            return true;
        };
        let num_span = num.span();
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
    pub fn binding(&self, pair: Node<'_, '_>) -> Option<Binding> {
        let span = pair.span();
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
    pub fn name(&self, p: &Node<'_, '_>) -> Option<Spanned<String>> {
        let text = p.as_str();
        let span = p.span();
        if text.len() <= LONGEST_RESERVED && RESERVED.contains(&text) {
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
    /// Decodes a `string` pair.
    pub fn string(&self, p: Node<'_, '_>) -> StrLit {
        let span = p.span();
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
            Some(b) => StrLit::decode(b.as_str(), b.start(), span, escapes, &mut diags),
            None => StrLit::decode("", span.start as usize, span, false, &mut diags),
        }
    }

    pub(crate) fn source_slice(&self, from: usize, to: usize) -> Option<&'s str> {
        self.text.get(from..to)
    }
}

/// Whether `text` starts with one of `words` as a whole word.
pub(crate) fn starts_with_keyword(text: &str, words: &[&str]) -> bool {
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

pub(crate) fn number_range(span: Span, text: &str) -> Diagnostic {
    Diagnostic::new(
        "shenhe::lang::number_range",
        format!("数值超出范围：`{text}`"),
        span,
    )
    .with_label("无法精确表示这个数")
    .with_help("数值最多 28 位有效数字（整数部分不超过 79228162514264337593543950335）")
}
