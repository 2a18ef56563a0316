//! A compact, reviewable text form of the AST for snapshots: one node per line, indented by
//! depth, each expression followed by the source text its span covers (「…」), so a snapshot
//! shows both the tree shape (precedence) and that every span points at the right text.

use std::fmt::Write;

use shenhe_lang::ast::{
    Applicability, Binding, Expr, ExprKind, Pattern, PatternPart, Rule, RuleFile, Span, Spanned,
    Template, TemplatePart, Tolerance,
};

pub fn outline(file: &RuleFile, src: &str) -> String {
    let mut o = Outline {
        src,
        out: String::new(),
    };
    match &file.version {
        Some(v) => o.line(0, &format!("version {}", v.node), v.span),
        None => o.plain(0, "version (none)"),
    }
    for b in &file.bindings {
        o.binding(0, b);
    }
    for r in &file.rules {
        o.rule(r);
    }
    o.out
}

struct Outline<'a> {
    src: &'a str,
    out: String,
}

impl Outline<'_> {
    fn text(&self, span: Span) -> String {
        let t = self
            .src
            .get(span.start as usize..span.end as usize)
            .expect("span on char boundaries");
        let one_line: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if one_line.chars().count() > 60 {
            let cut: String = one_line.chars().take(57).collect();
            format!("{cut}…")
        } else {
            one_line
        }
    }

    fn plain(&mut self, depth: usize, head: &str) {
        writeln!(self.out, "{}{head}", "  ".repeat(depth)).unwrap();
    }

    fn line(&mut self, depth: usize, head: &str, span: Span) {
        let t = self.text(span);
        writeln!(self.out, "{}{head}  「{t}」", "  ".repeat(depth)).unwrap();
    }

    fn spanned(&mut self, depth: usize, key: &str, s: &Spanned<String>) {
        self.line(depth, &format!("{key} {:?}", s.node), s.span);
    }

    fn binding(&mut self, depth: usize, b: &Binding) {
        self.line(depth, &format!("let {}", b.name.node), b.span);
        self.expr(depth + 1, &b.value);
    }

    fn rule(&mut self, r: &Rule) {
        self.line(0, &format!("rule {} {:?}", r.id.node, r.title.node), r.span);
        for d in &r.doc {
            self.plain(1, &format!("doc {d:?}"));
        }
        if let Some(s) = &r.severity {
            self.line(1, &format!("severity {}", s.node.name()), s.span);
        }
        if let Some(c) = &r.category {
            self.spanned(1, "category", c);
        }
        for b in &r.basis {
            self.spanned(1, "basis", b);
        }
        for a in &r.applies {
            let name = match a.node {
                Applicability::AnyBudget => "预算".to_string(),
                Applicability::AnyFinal => "决算".to_string(),
                Applicability::Kind(k) => k.name().to_string(),
            };
            self.line(1, &format!("applies {name}"), a.span);
        }
        for t in &r.templates {
            self.spanned(1, "template", t);
        }
        for p in &r.preconditions {
            self.plain(1, "when");
            self.expr(2, p);
        }
        for b in &r.bindings {
            self.binding(1, b);
        }
        for a in &r.assertions {
            self.line(1, "assert", a.span);
            self.expr(2, &a.expr);
            if let Some(m) = &a.message {
                self.template(2, "else", m);
            }
        }
        if let Some(m) = &r.message {
            self.template(1, "message", m);
        }
    }

    fn template(&mut self, depth: usize, key: &str, t: &Spanned<Template>) {
        self.line(depth, key, t.span);
        for part in &t.node.parts {
            match part {
                TemplatePart::Literal(l) => self.plain(depth + 1, &format!("text {l:?}")),
                TemplatePart::Placeholder(p) => self.spanned(depth + 1, "placeholder", p),
            }
        }
    }

    fn pattern(&mut self, depth: usize, p: &Spanned<Pattern>) {
        self.line(depth, "pattern", p.span);
        for part in &p.node.parts {
            match part {
                PatternPart::Literal(l) => self.plain(depth + 1, &format!("text {l:?}")),
                PatternPart::Gap { max } => self.plain(depth + 1, &format!("gap ≤{max}")),
                PatternPart::Capture { name, kind } => {
                    let kind_name = shenhe_lang::kind_name(kind.node);
                    match name {
                        Some(n) => {
                            self.line(depth + 1, &format!("capture {}", n.node), n.span);
                            self.line(depth + 2, &format!("kind {kind_name}"), kind.span);
                        }
                        None => self.line(depth + 1, &format!("capture {kind_name}"), kind.span),
                    }
                }
            }
        }
    }

    fn expr(&mut self, depth: usize, e: &Expr) {
        match &e.kind {
            ExprKind::Number { value, unit } => {
                let unit = unit.map(|u| format!(" {u:?}")).unwrap_or_default();
                self.line(depth, &format!("number {value}{unit}"), e.span);
            }
            ExprKind::Percent(v) => self.line(depth, &format!("percent {v}%"), e.span),
            ExprKind::Text(t) => self.line(depth, &format!("text {t:?}"), e.span),
            ExprKind::Bool(b) => self.line(depth, &format!("bool {b}"), e.span),
            ExprKind::Name(n) => self.line(depth, &format!("name {n}"), e.span),
            ExprKind::Field { base, name } => {
                self.line(depth, &format!("field .{}", name.node), e.span);
                self.expr(depth + 1, base);
            }
            ExprKind::Index { base, index } => {
                self.line(depth, "index", e.span);
                self.expr(depth + 1, base);
                self.expr(depth + 1, index);
            }
            ExprKind::Call { func, args } => {
                self.line(depth, &format!("call {}/{}", func.node, args.len()), e.span);
                for a in args {
                    self.expr(depth + 1, a);
                }
            }
            ExprKind::Unary { op, operand } => {
                self.line(depth, &format!("unary {:?}", op.node), e.span);
                self.expr(depth + 1, operand);
            }
            ExprKind::Binary { op, lhs, rhs } => {
                self.line(depth, &format!("binary {:?}", op.node), e.span);
                self.expr(depth + 1, lhs);
                self.expr(depth + 1, rhs);
            }
            ExprKind::Compare {
                op,
                lhs,
                rhs,
                tolerance,
            } => {
                let tol = match tolerance.as_ref().map(|t| &t.node) {
                    None => String::new(),
                    Some(Tolerance::Relative(p)) => format!(" ± {p}%"),
                    Some(Tolerance::Absolute { value, unit }) => {
                        let unit = unit.map(|u| format!(" {u:?}")).unwrap_or_default();
                        format!(" ± {value}{unit}")
                    }
                };
                self.line(depth, &format!("compare {:?}{tol}", op.node), e.span);
                self.expr(depth + 1, lhs);
                self.expr(depth + 1, rhs);
            }
            ExprKind::EveryRow {
                table,
                filter,
                body,
            } => {
                self.line(depth, "every-row", e.span);
                self.expr(depth + 1, table);
                if let Some(f) = filter {
                    self.plain(depth + 1, "where");
                    self.expr(depth + 2, f);
                }
                self.plain(depth + 1, "body");
                self.expr(depth + 2, body);
            }
            ExprKind::EachMatch {
                pattern,
                scope,
                body,
            } => {
                self.line(depth, "each-match", e.span);
                self.pattern(depth + 1, pattern);
                if let Some(s) = scope {
                    self.plain(depth + 1, "in");
                    self.expr(depth + 2, s);
                }
                self.plain(depth + 1, "body");
                self.expr(depth + 2, body);
            }
        }
    }
}

/// Every span in the tree (for the span-validity checks).
pub fn all_spans(file: &RuleFile) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut exprs: Vec<&Expr> = Vec::new();
    spans.extend(file.version.as_ref().map(|v| v.span));
    for b in &file.bindings {
        spans.extend([b.span, b.name.span]);
        exprs.push(&b.value);
    }
    for r in &file.rules {
        spans.extend([r.span, r.id.span, r.title.span]);
        spans.extend(r.severity.as_ref().map(|s| s.span));
        spans.extend(r.category.as_ref().map(|s| s.span));
        spans.extend(r.basis.iter().map(|s| s.span));
        spans.extend(r.applies.iter().map(|s| s.span));
        spans.extend(r.templates.iter().map(|s| s.span));
        exprs.extend(r.preconditions.iter());
        for b in &r.bindings {
            spans.extend([b.span, b.name.span]);
            exprs.push(&b.value);
        }
        for a in &r.assertions {
            spans.push(a.span);
            exprs.push(&a.expr);
            if let Some(m) = &a.message {
                template_spans(m, &mut spans);
            }
        }
        if let Some(m) = &r.message {
            template_spans(m, &mut spans);
        }
    }
    while let Some(e) = exprs.pop() {
        spans.push(e.span);
        match &e.kind {
            ExprKind::Number { .. }
            | ExprKind::Percent(_)
            | ExprKind::Text(_)
            | ExprKind::Bool(_)
            | ExprKind::Name(_) => {}
            ExprKind::Field { base, name } => {
                spans.push(name.span);
                exprs.push(base);
            }
            ExprKind::Index { base, index } => exprs.extend([&**base, &**index]),
            ExprKind::Call { func, args } => {
                spans.push(func.span);
                exprs.extend(args.iter());
            }
            ExprKind::Unary { op, operand } => {
                spans.push(op.span);
                exprs.push(operand);
            }
            ExprKind::Binary { op, lhs, rhs } => {
                spans.push(op.span);
                exprs.extend([&**lhs, &**rhs]);
            }
            ExprKind::Compare {
                op,
                lhs,
                rhs,
                tolerance,
            } => {
                spans.push(op.span);
                spans.extend(tolerance.as_ref().map(|t| t.span));
                exprs.extend([&**lhs, &**rhs]);
            }
            ExprKind::EveryRow {
                table,
                filter,
                body,
            } => {
                exprs.extend([&**table, &**body]);
                exprs.extend(filter.as_deref());
            }
            ExprKind::EachMatch {
                pattern,
                scope,
                body,
            } => {
                spans.push(pattern.span);
                for part in &pattern.node.parts {
                    if let PatternPart::Capture { name, kind } = part {
                        spans.extend(name.as_ref().map(|n| n.span));
                        spans.push(kind.span);
                    }
                }
                exprs.push(body);
                exprs.extend(scope.as_deref());
            }
        }
    }
    spans
}

fn template_spans(t: &Spanned<Template>, spans: &mut Vec<Span>) {
    spans.push(t.span);
    for part in &t.node.parts {
        if let TemplatePart::Placeholder(p) = part {
            spans.push(p.span);
        }
    }
}
