//! Compiling rule files: the parser's tree → checked, pre-resolved rules.
//!
//! Everything that can be known without a document is settled here, once: names are
//! classified (binding, capture, table number, role, column of the current row), functions are
//! looked up and their argument counts checked, patterns compiled, literals turned into values,
//! message placeholders checked. Every problem of every file is reported, with did-you-mean
//! suggestions.

use std::sync::Arc;

use shenhe_lang::Diagnostic;
use shenhe_lang::ast::{
    self, BinaryOp, Expr, ExprKind, Span, Template, TemplatePart, Tolerance, UnaryOp,
};
use shenhe_model::Profiles;

use crate::builtins::{self, Builtin};
use crate::docindex::NameKey;
use crate::ir::{CompiledAssertion, CompiledBinding, Node, NodeKind, Tol};
use crate::num::{Num, NumKind};
use crate::pattern::{Matcher, parse_pattern};
use crate::roles::RoleIndex;
use crate::suggest::suggest;
use crate::value::{Text, Value};

/// Deepest expression tree the compiler lowers (operator chains of `+ −` and `且 或` are
/// flattened and do not count). Deeper trees are refused with a diagnostic, which bounds the
/// recursion of both compiling and evaluating: at this depth evaluation needs about 200 KiB of
/// stack in an optimised build and under 1 MiB unoptimised, well within a thread's default.
pub const MAX_DEPTH: usize = 128;

/// Placeholders every message may use.
pub const SPECIAL_PLACEHOLDERS: &[&str] = &["左", "右", "差", "容差", "行", "表"];

const CODE_NAME: &str = "shenhe::eval::unknown_name";
const CODE_FUNC: &str = "shenhe::eval::unknown_function";
const CODE_ARITY: &str = "shenhe::eval::arity";
const CODE_PLACEHOLDER: &str = "shenhe::eval::unknown_placeholder";
const CODE_DEPTH: &str = "shenhe::eval::too_deep";
const CODE_PATTERN: &str = "shenhe::eval::pattern";
const CODE_TEMPLATE: &str = "shenhe::eval::unknown_template";
const CODE_DUP: &str = "shenhe::eval::duplicate_binding";

/// A file after compiling: its text (for messages) and its file-level bindings.
#[derive(Debug)]
pub struct CompiledFile {
    pub name: String,
    pub source: String,
    pub bindings: Vec<CompiledBinding>,
    line_starts: Vec<usize>,
}

impl CompiledFile {
    pub fn new(name: &str, source: &str) -> CompiledFile {
        let mut line_starts = vec![0];
        line_starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        CompiledFile {
            name: name.to_string(),
            source: source.to_string(),
            bindings: Vec::new(),
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let offset = offset as usize;
        let line = self.line_starts.partition_point(|s| *s <= offset);
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let col = self
            .source
            .get(start..offset.min(self.source.len()))
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(col + 1).unwrap_or(u32::MAX),
        )
    }
}

/// A rule after compiling.
#[derive(Debug)]
pub struct CompiledRule {
    /// Index of its file in the rule set.
    pub file: usize,
    pub id: String,
    pub title: String,
    pub severity: ast::Severity,
    pub category: Option<String>,
    pub basis: Vec<String>,
    pub doc: Vec<String>,
    pub applies: Vec<ast::Applicability>,
    pub templates: Vec<String>,
    pub preconditions: Vec<Node>,
    pub bindings: Vec<CompiledBinding>,
    pub assertions: Vec<CompiledAssertion>,
    pub message: Option<Template>,
    pub span: Span,
    /// Capture slots the rule's patterns need.
    pub slots: usize,
    /// Slots for the values of row-invariant sub-expressions (see [`crate::invariant`]).
    pub keeps: usize,
}

/// The number in a table reference: `表三` → 3, `表3` → 3, `表十一` → 11.
pub fn table_ordinal(name: &str) -> Option<u32> {
    let rest: String = name
        .strip_prefix('表')?
        .chars()
        .map(crate::docindex::half_width)
        .collect();
    if rest.is_empty() {
        return None;
    }
    if rest.chars().all(|c| c.is_ascii_digit()) {
        return rest.parse().ok().filter(|n| *n > 0);
    }
    chinese_number(&rest)
}

fn digit(c: char) -> Option<u32> {
    "零一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .and_then(|p| u32::try_from(p).ok())
        .or(if c == '两' { Some(2) } else { None })
}

/// 1–99 in Chinese numerals.
fn chinese_number(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d).filter(|n| *n > 0),
        ['十', d] => digit(*d).filter(|n| *n > 0).map(|n| 10 + n),
        [t, '十'] => digit(*t).filter(|n| *n > 1).map(|n| n * 10),
        [t, '十', d] => Some(digit(*t).filter(|n| *n > 1)? * 10 + digit(*d).filter(|n| *n > 0)?),
        _ => None,
    }
}

/// Lowering state for one file.
pub struct Lowerer<'a> {
    profiles: &'a Profiles,
    roles: &'a RoleIndex,
    source: &'a str,
    pub diags: Vec<Diagnostic>,
    file_bindings: Vec<String>,
    rule_bindings: Vec<String>,
    captures: Vec<(String, usize)>,
    /// Capture names met since the last reset (for message placeholders).
    seen_captures: Vec<String>,
    rows: usize,
    slots: usize,
}

impl<'a> Lowerer<'a> {
    pub fn new(profiles: &'a Profiles, roles: &'a RoleIndex, source: &'a str) -> Self {
        Lowerer {
            profiles,
            roles,
            source,
            diags: Vec::new(),
            file_bindings: Vec::new(),
            rule_bindings: Vec::new(),
            captures: Vec::new(),
            seen_captures: Vec::new(),
            rows: 0,
            slots: 0,
        }
    }

    /// Capture slots used so far (by the last rule or expression).
    pub fn slots_used(&self) -> usize {
        self.slots
    }

    fn text(&self, span: Span) -> &'a str {
        self.source
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    fn error(&mut self, code: &str, message: String, span: Span) {
        self.push(Diagnostic::new(code, message, span));
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn invalid(span: Span) -> Node {
        Node::new(NodeKind::Invalid, span)
    }

    /// Lowers the file-level bindings of a file.
    pub fn file_bindings(&mut self, bindings: &[ast::Binding]) -> Vec<CompiledBinding> {
        let mut out = Vec::new();
        for b in bindings {
            let node = self.lower(&b.value, 0);
            if self.file_bindings.contains(&b.name.node) {
                self.error(
                    CODE_DUP,
                    format!("文件中已有名为 `{}` 的绑定", b.name.node),
                    b.name.span,
                );
            }
            self.file_bindings.push(b.name.node.clone());
            out.push(CompiledBinding {
                name: b.name.node.clone(),
                node,
            });
        }
        out
    }

    /// Lowers one rule.
    pub fn rule(&mut self, file: usize, r: &ast::Rule) -> CompiledRule {
        self.rule_bindings.clear();
        self.slots = 0;
        for t in &r.templates {
            if self.profiles.get(&t.node).is_none() {
                let ids: Vec<String> = self
                    .profiles
                    .profiles
                    .iter()
                    .map(|p| p.id.clone())
                    .collect();
                let s = suggest(&t.node, &ids);
                let help = match s.first() {
                    Some(best) => format!("是不是 `{best}`？已知的模板：{}", ids.join("、")),
                    None => format!("已知的模板：{}", ids.join("、")),
                };
                self.push(
                    Diagnostic::new(CODE_TEMPLATE, format!("未知的模板 `{}`", t.node), t.span)
                        .with_help(help),
                );
            }
        }
        let mut bindings = Vec::new();
        for b in &r.bindings {
            let node = self.lower(&b.value, 0);
            if self.rule_bindings.contains(&b.name.node) {
                self.error(
                    CODE_DUP,
                    format!("规则中已有名为 `{}` 的绑定", b.name.node),
                    b.name.span,
                );
            }
            self.rule_bindings.push(b.name.node.clone());
            bindings.push(CompiledBinding {
                name: b.name.node.clone(),
                node,
            });
        }
        let mut preconditions: Vec<Node> =
            r.preconditions.iter().map(|p| self.lower(p, 0)).collect();
        let mut assertions = Vec::new();
        let mut rule_captures = Vec::new();
        for a in &r.assertions {
            self.seen_captures.clear();
            let node = self.lower(&a.expr, 0);
            if let Some(m) = &a.message {
                let caps = self.seen_captures.clone();
                self.check_template(&m.node, &caps);
            }
            rule_captures.append(&mut self.seen_captures);
            assertions.push(CompiledAssertion {
                node,
                message: a.message.as_ref().map(|m| m.node.clone()),
            });
        }
        if let Some(m) = &r.message {
            self.check_template(&m.node, &rule_captures);
        }
        let mut keeps = 0u32;
        for node in preconditions
            .iter_mut()
            .chain(assertions.iter_mut().map(|a| &mut a.node))
        {
            crate::invariant::mark(node, &mut keeps);
        }
        let mut shares = 0u32;
        for node in preconditions
            .iter_mut()
            .chain(assertions.iter_mut().map(|a| &mut a.node))
        {
            crate::invariant::mark_shared(node, self.source, &mut shares);
        }
        CompiledRule {
            file,
            id: r.id.node.clone(),
            title: r.title.node.clone(),
            severity: r
                .severity
                .as_ref()
                .map(|s| s.node)
                .unwrap_or(ast::Severity::Error),
            category: r.category.as_ref().map(|c| c.node.clone()),
            basis: r.basis.iter().map(|b| b.node.clone()).collect(),
            doc: r.doc.clone(),
            applies: r.applies.iter().map(|a| a.node).collect(),
            templates: r.templates.iter().map(|t| t.node.clone()).collect(),
            preconditions,
            bindings,
            assertions,
            message: r.message.as_ref().map(|m| m.node.clone()),
            span: r.span,
            slots: self.slots,
            keeps: keeps as usize,
        }
    }

    fn check_template(&mut self, t: &Template, captures: &[String]) {
        for part in &t.parts {
            let TemplatePart::Placeholder(p) = part else {
                continue;
            };
            let name = p.node.as_str();
            let known = SPECIAL_PLACEHOLDERS.contains(&name)
                || self.rule_bindings.iter().any(|b| b == name)
                || self.file_bindings.iter().any(|b| b == name)
                || captures.iter().any(|c| c == name);
            if known {
                continue;
            }
            let mut candidates: Vec<String> =
                SPECIAL_PLACEHOLDERS.iter().map(|s| s.to_string()).collect();
            candidates.extend(self.rule_bindings.iter().cloned());
            candidates.extend(self.file_bindings.iter().cloned());
            candidates.extend(captures.iter().cloned());
            let s = suggest(name, &candidates);
            let help = match s.first() {
                Some(best) => format!(
                    "是不是 `{{{best}}}`？消息可用：左、右、差、容差、行、表，以及绑定和捕获的名称"
                ),
                None => "消息可用：左、右、差、容差、行、表，以及 `令` 绑定和模式捕获的名称".into(),
            };
            self.push(
                Diagnostic::new(
                    CODE_PLACEHOLDER,
                    format!("消息中的 `{{{name}}}` 没有定义"),
                    p.span,
                )
                .with_label("未知的占位符")
                .with_help(help),
            );
        }
    }

    /// Lowers an expression. `depth` counts nesting (flattened chains count once). Each arm that
    /// needs locals has a method of its own, so this frame (on the recursion path) stays small.
    pub fn lower(&mut self, e: &Expr, depth: usize) -> Node {
        if depth > MAX_DEPTH {
            return self.too_deep(e.span);
        }
        let span = e.span;
        let d = depth + 1;
        let kind = match &e.kind {
            ExprKind::Name(n) => return self.name(n, span),
            ExprKind::Call { func, args } => return self.call(func, args, span, d),
            ExprKind::Number { .. }
            | ExprKind::Percent(_)
            | ExprKind::Text(_)
            | ExprKind::Bool(_) => literal(&e.kind),
            ExprKind::Field { base, name } => self.field(base, name, d),
            ExprKind::Index { base, index } => self.index(base, index, d),
            ExprKind::Unary { op, operand } => self.unary(op.node, operand, d),
            ExprKind::Binary { op, lhs, rhs } => self.binary(e, op.node, lhs, rhs, d),
            ExprKind::Compare {
                op,
                lhs,
                rhs,
                tolerance,
            } => self.comparison(op.node, lhs, rhs, tolerance.as_ref(), d),
            ExprKind::EveryRow {
                table,
                filter,
                body,
            } => self.every_row(table, filter.as_deref(), body, d),
            ExprKind::EachMatch {
                pattern,
                scope,
                body,
            } => match self.each_match(pattern, scope.as_deref(), body, d) {
                Some(k) => k,
                None => return Self::invalid(span),
            },
        };
        Node::new(kind, span)
    }

    #[inline(never)]
    fn field(&mut self, base: &Expr, name: &ast::Spanned<String>, d: usize) -> NodeKind {
        NodeKind::Field {
            base: Box::new(self.lower(base, d)),
            name: NameKey::new(&name.node),
            name_span: name.span,
        }
    }

    #[inline(never)]
    fn index(&mut self, base: &Expr, index: &Expr, d: usize) -> NodeKind {
        if let ExprKind::Text(key) = &index.kind {
            return NodeKind::IndexKey {
                base: Box::new(self.lower(base, d)),
                key: NameKey::new(key),
                key_span: index.span,
            };
        }
        NodeKind::Index {
            base: Box::new(self.lower(base, d)),
            index: Box::new(self.lower(index, d)),
        }
    }

    #[inline(never)]
    fn too_deep(&mut self, span: Span) -> Node {
        self.push(
            Diagnostic::new(
                CODE_DEPTH,
                format!("表达式嵌套过深，超过 {MAX_DEPTH} 层"),
                span,
            )
            .with_help("请把表达式拆成几个 `令` 绑定"),
        );
        Self::invalid(span)
    }

    #[inline(never)]
    fn unary(&mut self, op: UnaryOp, operand: &Expr, d: usize) -> NodeKind {
        let inner = self.lower(operand, d);
        match op {
            UnaryOp::Neg => match inner.kind {
                NodeKind::Const(Value::Num(n)) => NodeKind::Const(Value::Num(n.neg())),
                other => NodeKind::Neg(Box::new(Node::new(other, inner.span))),
            },
            UnaryOp::Not => NodeKind::Not(Box::new(inner)),
        }
    }

    #[inline(never)]
    fn binary(&mut self, e: &Expr, op: BinaryOp, lhs: &Expr, rhs: &Expr, d: usize) -> NodeKind {
        match op {
            BinaryOp::Add | BinaryOp::Sub => NodeKind::Sum(
                chain(e, &[BinaryOp::Add, BinaryOp::Sub])
                    .into_iter()
                    .map(|(op, x)| (op == Some(BinaryOp::Sub), self.lower(x, d)))
                    .collect(),
            ),
            BinaryOp::And => NodeKind::And(
                chain(e, &[BinaryOp::And])
                    .into_iter()
                    .map(|(_, x)| self.lower(x, d))
                    .collect(),
            ),
            BinaryOp::Or => NodeKind::Or(
                chain(e, &[BinaryOp::Or])
                    .into_iter()
                    .map(|(_, x)| self.lower(x, d))
                    .collect(),
            ),
            BinaryOp::Mul | BinaryOp::Div => NodeKind::Mul {
                lhs: Box::new(self.lower(lhs, d)),
                rhs: Box::new(self.lower(rhs, d)),
                divide: op == BinaryOp::Div,
            },
        }
    }

    #[inline(never)]
    fn comparison(
        &mut self,
        op: ast::CompareOp,
        lhs: &Expr,
        rhs: &Expr,
        tolerance: Option<&ast::Spanned<Tolerance>>,
        d: usize,
    ) -> NodeKind {
        NodeKind::Compare {
            op,
            lhs: Box::new(self.lower(lhs, d)),
            rhs: Box::new(self.lower(rhs, d)),
            tolerance: tolerance.map(|t| match &t.node {
                Tolerance::Absolute { value, unit } => Tol::Absolute(Num::exact(
                    value.abs(),
                    match unit {
                        Some(u) => NumKind::Amount(*u),
                        None => NumKind::Plain,
                    },
                )),
                Tolerance::Relative(p) => Tol::Relative(p.abs()),
            }),
        }
    }

    #[inline(never)]
    fn every_row(
        &mut self,
        table: &Expr,
        filter: Option<&Expr>,
        body: &Expr,
        d: usize,
    ) -> NodeKind {
        let table = Box::new(self.lower(table, d));
        self.rows += 1;
        let filter = filter.map(|f| Box::new(self.lower(f, d)));
        let body = Box::new(self.lower(body, d));
        self.rows -= 1;
        NodeKind::EveryRow {
            table,
            filter,
            body,
        }
    }

    #[inline(never)]
    fn each_match(
        &mut self,
        pattern: &ast::Spanned<ast::Pattern>,
        scope: Option<&Expr>,
        body: &Expr,
        d: usize,
    ) -> Option<NodeKind> {
        let scope = scope.map(|s| Box::new(self.lower(s, d)));
        let mut names: Vec<(String, usize)> = Vec::new();
        let mut next = self.slots;
        let compiled = Matcher::compile(&pattern.node, self.text(pattern.span), |n| {
            if let Some((_, s)) = names.iter().find(|(x, _)| x == n) {
                *s
            } else {
                names.push((n.to_string(), next));
                next += 1;
                next - 1
            }
        });
        self.slots = next;
        let matcher = match compiled {
            Ok(m) => m,
            Err(msg) => {
                self.error(CODE_PATTERN, msg, pattern.span);
                return None;
            }
        };
        let mark = self.captures.len();
        self.captures.extend(names.iter().cloned());
        self.seen_captures
            .extend(names.iter().map(|(n, _)| n.clone()));
        let body = Box::new(self.lower(body, d));
        self.captures.truncate(mark);
        Some(NodeKind::EachMatch {
            matcher: Arc::new(matcher),
            scope,
            body,
            captures: names,
        })
    }

    #[inline(never)]
    fn name(&mut self, n: &str, span: Span) -> Node {
        let node = |kind| Node::new(kind, span);
        if let Some((_, slot)) = self.captures.iter().rev().find(|(c, _)| c == n) {
            return node(NodeKind::Capture(*slot));
        }
        if let Some(i) = self.rule_bindings.iter().rposition(|b| b == n) {
            return node(NodeKind::RuleBinding(i));
        }
        if let Some(i) = self.file_bindings.iter().rposition(|b| b == n) {
            return node(NodeKind::FileBinding(i));
        }
        if self.rows > 0 && (n == "行" || n.eq_ignore_ascii_case("row")) {
            return node(NodeKind::CurrentRow);
        }
        let table = if let Some(ordinal) = table_ordinal(n) {
            Some(NodeKind::TableNumber {
                ordinal,
                printed: n.to_string(),
            })
        } else {
            self.roles.named(n).map(|r| NodeKind::TableRole {
                name: n.to_string(),
                role: r.id,
            })
        };
        if self.rows > 0 {
            return node(NodeKind::RowName {
                name: NameKey::new(n),
                fallback: table.map(|k| Box::new(Node::new(k, span))),
            });
        }
        if let Some(k) = table {
            return node(k);
        }
        // Unknown: say what it could have been.
        let mut candidates: Vec<String> = Vec::new();
        candidates.extend(self.captures.iter().map(|(c, _)| c.clone()));
        candidates.extend(self.rule_bindings.iter().cloned());
        candidates.extend(self.file_bindings.iter().cloned());
        for r in &self.profiles.roles {
            candidates.push(r.name.clone());
            candidates.extend(r.aliases.iter().cloned());
        }
        let s = suggest(n, &candidates);
        let is_function = builtins::lookup(n).is_some();
        let help = if is_function {
            format!("`{n}` 是函数，调用时要写括号：`{n}(…)`")
        } else {
            match s.as_slice() {
                [] => "表用表号（`表三`、`表3`）、模板配置中的角色名（如 `基本支出表`）或 `表格(\"标题片段\")` 指明；列名和行名写在表后面，如 `表三.基本支出`".into(),
                [one] => format!("是不是 `{one}`？"),
                many => format!(
                    "是不是 {}？",
                    many.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join("、")
                ),
            }
        };
        self.push(
            Diagnostic::new(CODE_NAME, format!("未知的名称 `{n}`"), span)
                .with_label("既不是绑定、捕获，也不是表号或表格角色")
                .with_help(help),
        );
        Self::invalid(span)
    }

    #[inline(never)]
    fn call(&mut self, func: &ast::Spanned<String>, args: &[Expr], span: Span, d: usize) -> Node {
        let Some(b) = builtins::lookup(&func.node) else {
            self.unknown_function(func);
            for a in args {
                self.lower(a, d);
            }
            return Self::invalid(span);
        };
        if args.len() < b.min_args || args.len() > b.max_args {
            self.arity(b, func, args.len(), span);
        }
        let mut lowered = Vec::with_capacity(args.len());
        for (i, a) in args.iter().enumerate() {
            let node = match (&a.kind, b.pattern_arg == Some(i)) {
                (ExprKind::Text(t), true) => self.pattern_arg(t, a.span),
                (_, true) if b.names.first() == Some(&"matches") => {
                    self.error(
                        CODE_PATTERN,
                        format!("`{}` 的第一个参数须是写在引号里的模式", func.node),
                        a.span,
                    );
                    Self::invalid(a.span)
                }
                _ => self.lower(a, d),
            };
            lowered.push(node);
        }
        let mut node = Node::new(
            NodeKind::Call {
                func: b,
                args: lowered,
            },
            span,
        );
        node.text = builtins::text_fn(b);
        node
    }

    #[inline(never)]
    fn unknown_function(&mut self, func: &ast::Spanned<String>) {
        let s = suggest(&func.node, &builtins::all_names());
        let help = match s.first() {
            Some(best) => {
                let sig = builtins::lookup(best).map(|b| b.signature).unwrap_or("");
                format!("是不是 `{best}`？（{sig}）")
            }
            None => "函数一览见 docs/language/functions.md".into(),
        };
        self.push(
            Diagnostic::new(CODE_FUNC, format!("未知的函数 `{}`", func.node), func.span)
                .with_label("没有这个函数")
                .with_help(help),
        );
    }

    #[inline(never)]
    fn arity(&mut self, b: &Builtin, func: &ast::Spanned<String>, given: usize, span: Span) {
        let need = match (b.min_args, b.max_args) {
            (a, z) if a == z => format!("{a} 个参数"),
            (a, usize::MAX) => format!("至少 {a} 个参数"),
            (a, z) => format!("{a} 到 {z} 个参数"),
        };
        self.push(
            Diagnostic::new(
                CODE_ARITY,
                format!("`{}` 需要{need}，这里给了 {given} 个", func.node),
                span,
            )
            .with_help(format!("用法：{}", b.signature)),
        );
    }

    #[inline(never)]
    fn pattern_arg(&mut self, text: &str, span: Span) -> Node {
        let compiled = parse_pattern(text, span.start.saturating_add(1))
            .map_err(|e| (e.message, e.help))
            .and_then(|p| Matcher::compile(&p, text, |_| usize::MAX).map_err(|m| (m, None)));
        match compiled {
            Ok(m) => Node::new(NodeKind::Pattern(Box::new(m)), span),
            Err((message, help)) => {
                let mut d = Diagnostic::new(CODE_PATTERN, message, span);
                d.help = help;
                self.push(d);
                Self::invalid(span)
            }
        }
    }
}

/// A literal as a constant value.
fn literal(kind: &ExprKind) -> NodeKind {
    match kind {
        ExprKind::Number { value, unit } => NodeKind::Const(Value::Num(Num::exact(
            *value,
            match unit {
                Some(u) => NumKind::Amount(*u),
                None => NumKind::Plain,
            },
        ))),
        ExprKind::Percent(p) => NodeKind::Const(Value::Num(Num::exact(*p, NumKind::Percent))),
        ExprKind::Text(s) => NodeKind::Const(Value::Text(Text::plain(s.clone()))),
        ExprKind::Bool(b) => NodeKind::Const(Value::truth(*b)),
        _ => NodeKind::Invalid,
    }
}

/// The operands of a left-deep chain of the given operators, each with the operator before it
/// (`None` for the first). Walks the chain without recursion.
fn chain<'e>(e: &'e Expr, ops: &[BinaryOp]) -> Vec<(Option<BinaryOp>, &'e Expr)> {
    let mut items = Vec::new();
    let mut cur = e;
    loop {
        match &cur.kind {
            ExprKind::Binary { op, lhs, rhs } if ops.contains(&op.node) => {
                items.push((Some(op.node), rhs.as_ref()));
                cur = lhs;
            }
            _ => {
                items.push((None, cur));
                break;
            }
        }
    }
    items.reverse();
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_numbers() {
        assert_eq!(table_ordinal("表三"), Some(3));
        assert_eq!(table_ordinal("表3"), Some(3));
        assert_eq!(table_ordinal("表３"), Some(3));
        assert_eq!(table_ordinal("表十一"), Some(11));
        assert_eq!(table_ordinal("表十"), Some(10));
        assert_eq!(table_ordinal("表二十"), Some(20));
        assert_eq!(table_ordinal("表二十三"), Some(23));
        assert_eq!(table_ordinal("表"), None);
        assert_eq!(table_ordinal("表0"), None);
        assert_eq!(table_ordinal("表格"), None);
        assert_eq!(table_ordinal("表一十"), None);
        assert_eq!(table_ordinal("基本支出表"), None);
    }
}
