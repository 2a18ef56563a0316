//! Lowering expressions: operator precedence (a `PrattParser`), literals, quantifiers.
//!
//! Every node records the depth of the tree under it; a tree deeper than
//! [`MAX_TREE_DEPTH`](crate::MAX_TREE_DEPTH) is refused before it is built, so nothing
//! downstream (drop, evaluation, printing) can run out of stack on it.

use std::sync::LazyLock;

use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use rust_decimal::Decimal;
use shenhe_model::Unit;

use crate::ast::{BinaryOp, CompareOp, Expr, ExprKind, Span, Spanned, Tolerance, UnaryOp};
use crate::diagnostic::Diagnostic;
use crate::limits::MAX_TREE_DEPTH;
use crate::lower::{Ctx, number_range, span_of};
use crate::parser::Rule;
use crate::pattern;

/// Precedence, lowest first (see docs/language/expressions.md).
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::postfix(Rule::tolerance))
        .op(Op::infix(Rule::op_strict_eq, Assoc::Left)
            | Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
        .op(Op::prefix(Rule::op_neg))
});

/// An expression being built: the node, the depth of its tree, and whether it was written in
/// parentheses (which stops `a < b < c` and tolerance checks from looking inside).
pub(crate) struct Lowered {
    expr: Expr,
    depth: usize,
    paren: bool,
}

impl Ctx<'_> {
    /// Lowers an `expr` pair; `None` when it had errors (already reported).
    pub fn expr(&self, pair: Pair<'_, Rule>) -> Option<Expr> {
        self.lower(pair).map(|l| l.expr)
    }

    fn lower(&self, pair: Pair<'_, Rule>) -> Option<Lowered> {
        PRATT
            .map_primary(|p| self.operand(p))
            .map_prefix(|op, rhs| self.prefix(&op, rhs?))
            .map_postfix(|lhs, op| self.tolerance(lhs?, op))
            .map_infix(|lhs, op, rhs| self.infix(lhs?, &op, rhs?))
            .parse(pair.into_inner())
    }

    /// Builds a node over children of depth `below`, refusing trees that are too deep.
    fn node(&self, kind: ExprKind, span: Span, below: usize) -> Option<Lowered> {
        let depth = below + 1;
        if depth > MAX_TREE_DEPTH {
            self.push(
                Diagnostic::new(
                    "shenhe::lang::too_deep",
                    format!("表达式过长或嵌套过深，超过 {MAX_TREE_DEPTH} 层"),
                    span,
                )
                .with_label("这个表达式太大")
                .with_help("请把表达式拆成几个 `令` 绑定"),
            );
            return None;
        }
        Some(Lowered {
            expr: Expr { kind, span },
            depth,
            paren: false,
        })
    }

    fn prefix(&self, op: &Pair<'_, Rule>, rhs: Lowered) -> Option<Lowered> {
        let op_span = span_of(op);
        let u = if op.as_rule() == Rule::op_neg {
            UnaryOp::Neg
        } else {
            UnaryOp::Not
        };
        let span = op_span.to(rhs.expr.span);
        self.node(
            ExprKind::Unary {
                op: Spanned::new(u, op_span),
                operand: Box::new(rhs.expr),
            },
            span,
            rhs.depth,
        )
    }

    fn infix(&self, lhs: Lowered, op: &Pair<'_, Rule>, rhs: Lowered) -> Option<Lowered> {
        let op_span = span_of(op);
        let span = lhs.expr.span.to(rhs.expr.span);
        let below = lhs.depth.max(rhs.depth);
        let bin = |b| Some(Spanned::new(b, op_span));
        let (binary, compare) = match op.as_rule() {
            Rule::op_or => (bin(BinaryOp::Or), None),
            Rule::op_and => (bin(BinaryOp::And), None),
            Rule::op_add => (bin(BinaryOp::Add), None),
            Rule::op_sub => (bin(BinaryOp::Sub), None),
            Rule::op_mul => (bin(BinaryOp::Mul), None),
            Rule::op_div => (bin(BinaryOp::Div), None),
            Rule::op_strict_eq => (None, Some(CompareOp::StrictEq)),
            Rule::op_eq => (None, Some(CompareOp::Eq)),
            Rule::op_ne => (None, Some(CompareOp::Ne)),
            Rule::op_le => (None, Some(CompareOp::Le)),
            Rule::op_ge => (None, Some(CompareOp::Ge)),
            Rule::op_lt => (None, Some(CompareOp::Lt)),
            _ => (None, Some(CompareOp::Gt)),
        };
        if let Some(op) = binary {
            return self.node(
                ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs.expr),
                    rhs: Box::new(rhs.expr),
                },
                span,
                below,
            );
        }
        if matches!(lhs.expr.kind, ExprKind::Compare { .. }) && !lhs.paren {
            self.push(
                Diagnostic::new("shenhe::lang::chained_comparison", "比较运算不能连写", span)
                    .with_label("这里连着写了两个比较")
                    .with_secondary(op_span, "第二个比较运算符")
                    .with_help("`a < b < c` 请写作 `a < b 且 b < c`"),
            );
            return None;
        }
        let cmp = compare.unwrap_or(CompareOp::Eq);
        self.node(
            ExprKind::Compare {
                op: Spanned::new(cmp, op_span),
                lhs: Box::new(lhs.expr),
                rhs: Box::new(rhs.expr),
                tolerance: None,
            },
            span,
            below,
        )
    }

    /// `比较 ± 容差`: attaches the tolerance to the comparison on its left.
    fn tolerance(&self, lhs: Lowered, op: Pair<'_, Rule>) -> Option<Lowered> {
        let tol_span = span_of(&op);
        let value = op
            .into_inner()
            .find(|p| matches!(p.as_rule(), Rule::percent | Rule::number_lit))?;
        let tol = match value.as_rule() {
            Rule::percent => Tolerance::Relative(self.percent_value(value)?),
            _ => {
                let (value, unit) = self.number_lit(value)?;
                Tolerance::Absolute { value, unit }
            }
        };
        let Lowered { expr, depth, paren } = lhs;
        let Expr { kind, span } = expr;
        match kind {
            ExprKind::Compare {
                op,
                lhs,
                rhs,
                tolerance: None,
            } if !paren && op.node != CompareOp::StrictEq => Some(Lowered {
                expr: Expr {
                    kind: ExprKind::Compare {
                        op,
                        lhs,
                        rhs,
                        tolerance: Some(Spanned::new(tol, tol_span)),
                    },
                    span: span.to(tol_span),
                },
                depth,
                paren: false,
            }),
            ExprKind::Compare { op, .. } if op.node == CompareOp::StrictEq && !paren => {
                self.push(
                    Diagnostic::new(
                        "shenhe::lang::misplaced_tolerance",
                        "严格相等 `===` 不能带容差",
                        tol_span,
                    )
                    .with_label("这里的容差")
                    .with_secondary(op.span, "严格相等")
                    .with_help("带容差的比较请用 `==`，例如 `a == b ± 0.5万元`"),
                );
                None
            }
            _ => {
                self.push(
                    Diagnostic::new(
                        "shenhe::lang::misplaced_tolerance",
                        "容差只能紧跟在比较之后",
                        tol_span,
                    )
                    .with_label("这个容差前面不是比较")
                    .with_secondary(span, "这里不是一个比较")
                    .with_help("写作 `a == b ± 0.5万元` 或 `a == b ± 1%`"),
                );
                None
            }
        }
    }

    fn operand(&self, p: Pair<'_, Rule>) -> Option<Lowered> {
        match p.as_rule() {
            Rule::every_row => self.every_row(p),
            Rule::each_match => self.each_match(p),
            _ => self.postfix_expr(p),
        }
    }

    fn every_row(&self, p: Pair<'_, Rule>) -> Option<Lowered> {
        let span = span_of(&p);
        let mut table = None;
        let mut filter = None;
        let mut body = None;
        let mut after_colon = false;
        let mut ok = true;
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::postfix_expr => {
                    table = self.postfix_expr(q);
                    ok &= table.is_some();
                }
                Rule::colon => after_colon = true,
                Rule::expr if after_colon => {
                    body = self.lower(q);
                    ok &= body.is_some();
                }
                Rule::expr => {
                    filter = self.lower(q);
                    ok &= filter.is_some();
                }
                _ => {}
            }
        }
        let (table, body) = (table?, body?);
        if !ok {
            return None;
        }
        let below = table
            .depth
            .max(body.depth)
            .max(filter.as_ref().map_or(0, |f| f.depth));
        self.node(
            ExprKind::EveryRow {
                table: Box::new(table.expr),
                filter: filter.map(|f| Box::new(f.expr)),
                body: Box::new(body.expr),
            },
            span,
            below,
        )
    }

    fn each_match(&self, p: Pair<'_, Rule>) -> Option<Lowered> {
        let span = span_of(&p);
        let mut pat = None;
        let mut scope = None;
        let mut body = None;
        let mut ok = true;
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::string => {
                    let lit = self.string(q);
                    let parsed = pattern::parse(&lit, &mut self.diags.borrow_mut());
                    ok &= parsed.is_some();
                    pat = parsed.map(|pt| Spanned::new(pt, lit.span));
                }
                Rule::postfix_expr => {
                    scope = self.postfix_expr(q);
                    ok &= scope.is_some();
                }
                Rule::expr => {
                    body = self.lower(q);
                    ok &= body.is_some();
                }
                _ => {}
            }
        }
        let (pattern, body) = (pat?, body?);
        if !ok {
            return None;
        }
        let below = body.depth.max(scope.as_ref().map_or(0, |s| s.depth));
        self.node(
            ExprKind::EachMatch {
                pattern,
                scope: scope.map(|s| Box::new(s.expr)),
                body: Box::new(body.expr),
            },
            span,
            below,
        )
    }

    /// A primary followed by `.名` and `[…]`, folded left to right without recursion.
    fn postfix_expr(&self, p: Pair<'_, Rule>) -> Option<Lowered> {
        let mut inner = p.into_inner();
        let mut acc = self.primary(inner.next()?);
        for q in inner {
            let span = span_of(&q);
            match q.as_rule() {
                Rule::field => {
                    let name = q.into_inner().find(|r| r.as_rule() == Rule::field_name)?;
                    let name = Spanned::new(name.as_str().to_string(), span_of(&name));
                    acc = acc.and_then(|base| {
                        let whole = base.expr.span.to(span);
                        self.node(
                            ExprKind::Field {
                                name,
                                base: Box::new(base.expr),
                            },
                            whole,
                            base.depth,
                        )
                    });
                }
                Rule::index => {
                    let index = q
                        .into_inner()
                        .find(|r| r.as_rule() == Rule::expr)
                        .and_then(|e| self.lower(e));
                    acc = match (acc, index) {
                        (Some(base), Some(index)) => {
                            let whole = base.expr.span.to(span);
                            self.node(
                                ExprKind::Index {
                                    base: Box::new(base.expr),
                                    index: Box::new(index.expr),
                                },
                                whole,
                                base.depth.max(index.depth),
                            )
                        }
                        _ => None,
                    };
                }
                _ => {}
            }
        }
        acc
    }

    fn primary(&self, p: Pair<'_, Rule>) -> Option<Lowered> {
        let span = span_of(&p);
        match p.as_rule() {
            Rule::paren => {
                let e = p.into_inner().find(|q| q.as_rule() == Rule::expr)?;
                let mut l = self.lower(e)?;
                l.paren = true;
                Some(l)
            }
            Rule::call => self.call(p),
            Rule::percent => {
                let v = self.percent_value(p)?;
                self.node(ExprKind::Percent(v), span, 0)
            }
            Rule::number_lit => {
                let (value, unit) = self.number_lit(p)?;
                self.node(ExprKind::Number { value, unit }, span, 0)
            }
            Rule::string => {
                let lit = self.string(p);
                self.node(ExprKind::Text(lit.value), span, 0)
            }
            Rule::bool => {
                let t = p
                    .into_inner()
                    .next()
                    .is_some_and(|q| q.as_rule() == Rule::kw_true);
                self.node(ExprKind::Bool(t), span, 0)
            }
            _ => self.node(ExprKind::Name(p.as_str().to_string()), span, 0),
        }
    }

    fn call(&self, p: Pair<'_, Rule>) -> Option<Lowered> {
        let span = span_of(&p);
        let mut func = None;
        let mut args = Vec::new();
        let mut ok = true;
        let mut below = 0;
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::name => func = Some(Spanned::new(q.as_str().to_string(), span_of(&q))),
                Rule::expr => match self.lower(q) {
                    Some(a) => {
                        below = below.max(a.depth);
                        args.push(a.expr);
                    }
                    None => ok = false,
                },
                _ => {}
            }
        }
        let func = func?;
        if !ok {
            return None;
        }
        self.node(ExprKind::Call { func, args }, span, below)
    }

    fn number_lit(&self, p: Pair<'_, Rule>) -> Option<(Decimal, Option<Unit>)> {
        let mut value = None;
        let mut unit = None;
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::number => value = Some(self.decimal(&q)?),
                Rule::unit => {
                    unit = Some(match q.as_str() {
                        "亿元" => Unit::YiYuan,
                        "万元" => Unit::WanYuan,
                        _ => Unit::Yuan,
                    });
                }
                _ => {}
            }
        }
        Some((value?, unit))
    }

    fn percent_value(&self, p: Pair<'_, Rule>) -> Option<Decimal> {
        let n = p.into_inner().find(|q| q.as_rule() == Rule::number)?;
        self.decimal(&n)
    }

    /// An exact decimal, keeping the digits as written; out of range is a diagnostic.
    fn decimal(&self, p: &Pair<'_, Rule>) -> Option<Decimal> {
        match Decimal::from_str_exact(p.as_str()) {
            Ok(d) => Some(d),
            Err(_) => {
                self.push(number_range(span_of(p), &shorten(p.as_str())));
                None
            }
        }
    }
}

/// A long literal cut for a message: the first 30 characters and `…`.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(30) {
        Some((i, _)) => format!("{}…", text.get(..i).unwrap_or(text)),
        None => text.to_string(),
    }
}
