//! Lowering expressions: operator precedence (an explicit operator stack), literals,
//! quantifiers.
//!
//! Every node records the depth of the tree under it; a tree deeper than
//! [`MAX_TREE_DEPTH`](crate::MAX_TREE_DEPTH) is refused before it is built, so nothing
//! downstream (drop, evaluation, printing) can run out of stack on it.

use crate::tree::Node;
use rust_decimal::Decimal;
use shenhe_model::Unit;

use crate::ast::{BinaryOp, CompareOp, Expr, ExprKind, Span, Spanned, Tolerance, UnaryOp};
use crate::diagnostic::Diagnostic;
use crate::limits::MAX_TREE_DEPTH;
use crate::lower::{Ctx, number_range};
use crate::parser::Rule;
use crate::pattern;

/// Binding power of an operator (higher binds tighter; see docs/language/expressions.md):
/// `或` < `且` < `非` < tolerance < comparisons < `+ -` < `* /` < unary `-`.
mod power {
    pub const OR: u8 = 2;
    pub const AND: u8 = 4;
    pub const NOT: u8 = 6;
    pub const TOLERANCE: u8 = 7;
    pub const COMPARE: u8 = 8;
    pub const ADD: u8 = 10;
    pub const MUL: u8 = 12;
    pub const NEG: u8 = 14;
}

/// An operator waiting for its operands in [`Ctx::lower`].
struct Pending<'t, 'i> {
    op: Node<'t, 'i>,
    power: u8,
    prefix: bool,
}

fn infix_power(op: &str) -> u8 {
    match op {
        "或" | "or" | "||" => power::OR,
        "且" | "and" | "&&" => power::AND,
        "+" | "-" => power::ADD,
        "*" | "×" | "/" | "÷" => power::MUL,
        _ => power::COMPARE,
    }
}

/// A numeric literal.
enum Lit {
    Number(Decimal, Option<Unit>),
    Percent(Decimal),
}

/// An expression being built: the node, the depth of its tree, and whether it was written in
/// parentheses (which stops `a < b < c` and tolerance checks from looking inside).
pub(crate) struct Lowered {
    expr: Expr,
    depth: usize,
    paren: bool,
}

impl Ctx<'_> {
    /// Lowers an `expr` pair; `None` when it had errors (already reported).
    pub fn expr(&self, pair: Node<'_, '_>) -> Option<Expr> {
        self.lower(pair).map(|l| l.expr)
    }

    /// Operator precedence over the flat sequence `expr` produces (prefix operators,
    /// operands, tolerances, infix operators), with an explicit operator stack: no recursion,
    /// however long the chain. All infix operators are left-associative; comparisons refuse
    /// to chain (see [`Ctx::infix`]).
    fn lower(&self, pair: Node<'_, '_>) -> Option<Lowered> {
        let mut children = pair.into_inner();
        if let (Some(only), None) = (children.next(), children.next())
            && !matches!(
                only.as_rule(),
                Rule::prefix_op | Rule::infix_op | Rule::tolerance
            )
        {
            // A lone operand (most arguments): no operator stack needed.
            return self.operand(only);
        }
        let mut out: Vec<Option<Lowered>> = Vec::new();
        let mut ops: Vec<Pending<'_, '_>> = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::prefix_op => {
                    let power = if p.as_str() == "-" {
                        power::NEG
                    } else {
                        power::NOT
                    };
                    ops.push(Pending {
                        op: p,
                        power,
                        prefix: true,
                    });
                }
                Rule::infix_op => {
                    let power = infix_power(p.as_str());
                    self.reduce_while(&mut ops, &mut out, |top| top >= power);
                    ops.push(Pending {
                        op: p,
                        power,
                        prefix: false,
                    });
                }
                Rule::tolerance => {
                    self.reduce_while(&mut ops, &mut out, |top| top > power::TOLERANCE);
                    let lhs = out.pop().flatten();
                    out.push(lhs.and_then(|l| self.tolerance(l, p)));
                }
                _ => out.push(self.operand(p)),
            }
        }
        self.reduce_while(&mut ops, &mut out, |_| true);
        out.pop().flatten()
    }

    /// Applies stacked operators while `more(power of the top one)` holds.
    fn reduce_while<'t, 'i>(
        &self,
        ops: &mut Vec<Pending<'t, 'i>>,
        out: &mut Vec<Option<Lowered>>,
        more: impl Fn(u8) -> bool,
    ) {
        while ops.last().is_some_and(|top| more(top.power)) {
            let Some(top) = ops.pop() else {
                break;
            };
            let rhs = out.pop().flatten();
            let node = if top.prefix {
                rhs.and_then(|r| self.prefix(&top.op, r))
            } else {
                match (out.pop().flatten(), rhs) {
                    (Some(l), Some(r)) => self.infix(l, &top.op, r),
                    _ => None,
                }
            };
            out.push(node);
        }
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

    fn prefix(&self, op: &Node<'_, '_>, rhs: Lowered) -> Option<Lowered> {
        let op_span = op.span();
        let u = if op.as_str() == "-" {
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

    fn infix(&self, lhs: Lowered, op: &Node<'_, '_>, rhs: Lowered) -> Option<Lowered> {
        let op_span = op.span();
        let span = lhs.expr.span.to(rhs.expr.span);
        let below = lhs.depth.max(rhs.depth);
        let bin = |b| Some(Spanned::new(b, op_span));
        let (binary, compare) = match op.as_str() {
            "或" | "or" | "||" => (bin(BinaryOp::Or), None),
            "且" | "and" | "&&" => (bin(BinaryOp::And), None),
            "+" => (bin(BinaryOp::Add), None),
            "-" => (bin(BinaryOp::Sub), None),
            "*" | "×" => (bin(BinaryOp::Mul), None),
            "/" | "÷" => (bin(BinaryOp::Div), None),
            "===" => (None, Some(CompareOp::StrictEq)),
            "==" => (None, Some(CompareOp::Eq)),
            "!=" | "≠" => (None, Some(CompareOp::Ne)),
            "<=" | "≤" => (None, Some(CompareOp::Le)),
            ">=" | "≥" => (None, Some(CompareOp::Ge)),
            "<" => (None, Some(CompareOp::Lt)),
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
    fn tolerance(&self, lhs: Lowered, op: Node<'_, '_>) -> Option<Lowered> {
        let tol_span = op.span();
        let value = op.into_inner().find(|p| p.as_rule() == Rule::number_lit)?;
        let tol = match self.number_lit(value)? {
            Lit::Percent(p) => Tolerance::Relative(p),
            Lit::Number(value, unit) => Tolerance::Absolute { value, unit },
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
            ExprKind::Compare { .. } => {
                self.push(
                    Diagnostic::new(
                        "shenhe::lang::misplaced_tolerance",
                        "容差不能写在括号外面",
                        tol_span,
                    )
                    .with_label("这个容差在括号外")
                    .with_secondary(span, "括号里的比较")
                    .with_help("把容差写进括号里，例如 `(a == b ± 1)`"),
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

    fn operand(&self, p: Node<'_, '_>) -> Option<Lowered> {
        match p.as_rule() {
            Rule::every_row => self.every_row(p),
            Rule::each_match => self.each_match(p),
            _ => self.postfix_expr(p),
        }
    }

    fn every_row(&self, p: Node<'_, '_>) -> Option<Lowered> {
        let span = p.span();
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

    fn each_match(&self, p: Node<'_, '_>) -> Option<Lowered> {
        let span = p.span();
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

    /// A primary followed by `(参数…)`, `.名` and `[…]`, folded left to right without
    /// recursion. Arguments are only allowed right after a function name.
    fn postfix_expr(&self, p: Node<'_, '_>) -> Option<Lowered> {
        let mut inner = p.into_inner();
        let first = inner.next()?;
        let callee = (first.as_rule() == Rule::name).then_some(first);
        let mut acc = self.primary(first);
        for (i, q) in inner.enumerate() {
            let span = q.span();
            match q.as_rule() {
                Rule::call_args => {
                    let args = self.call_args(q);
                    acc = match (&callee, i) {
                        (Some(name), 0) => self.call(name, acc, args, span),
                        _ => {
                            self.push(
                                Diagnostic::new(
                                    "shenhe::lang::not_callable",
                                    "只有函数名后面才能跟 `(参数)`",
                                    span,
                                )
                                .with_label("这里的括号前面不是函数名")
                                .with_help("函数调用写作 `名(参数, …)`，如 `sum(表三.基本支出)`；分组请在运算符两边用括号"),
                            );
                            None
                        }
                    };
                }
                Rule::field => {
                    let name = q.into_inner().find(|r| r.as_rule() == Rule::field_name)?;
                    let name = Spanned::new(name.as_str().to_string(), name.span());
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

    /// Lowers every argument (so all their errors are reported): the arguments and the depth
    /// of the deepest, or `None` if any failed.
    fn call_args(&self, p: Node<'_, '_>) -> Option<(Vec<Expr>, usize)> {
        let mut args = Vec::new();
        let mut depth = 0;
        let mut ok = true;
        for q in p.into_inner().filter(|q| q.as_rule() == Rule::expr) {
            match self.lower(q) {
                Some(a) => {
                    depth = depth.max(a.depth);
                    args.push(a.expr);
                }
                None => ok = false,
            }
        }
        ok.then_some((args, depth))
    }

    /// `名(参数…)`: `callee` is the name (already lowered into `name` as a `Name`).
    fn call(
        &self,
        callee: &Node<'_, '_>,
        name: Option<Lowered>,
        args: Option<(Vec<Expr>, usize)>,
        args_span: Span,
    ) -> Option<Lowered> {
        let name = name?;
        let (args, below) = args?;
        let func = Spanned::new(callee.as_str().to_string(), name.expr.span);
        self.node(
            ExprKind::Call { func, args },
            name.expr.span.to(args_span),
            below,
        )
    }

    fn primary(&self, p: Node<'_, '_>) -> Option<Lowered> {
        let span = p.span();
        match p.as_rule() {
            Rule::paren => {
                let e = p.into_inner().find(|q| q.as_rule() == Rule::expr)?;
                let mut l = self.lower(e)?;
                // The parentheses belong to the operand's span, so a parent's span (from its
                // first to its last child) covers them too.
                l.expr.span = span;
                l.paren = true;
                Some(l)
            }
            Rule::number_lit => match self.number_lit(p)? {
                Lit::Percent(v) => self.node(ExprKind::Percent(v), span, 0),
                Lit::Number(value, unit) => self.node(ExprKind::Number { value, unit }, span, 0),
            },
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
            _ => {
                let name = self.name(&p)?;
                self.node(ExprKind::Name(name.node), span, 0)
            }
        }
    }

    /// `821.07万元`, `100`, `82.93%`.
    fn number_lit(&self, p: Node<'_, '_>) -> Option<Lit> {
        let mut value = None;
        let mut unit = None;
        let mut percent = false;
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::number => value = Some(self.decimal(&q)?),
                Rule::percent_sign => percent = true,
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
        let value = value?;
        Some(if percent {
            Lit::Percent(value)
        } else {
            Lit::Number(value, unit)
        })
    }

    /// An exact decimal, keeping the digits as written; out of range is a diagnostic.
    fn decimal(&self, p: &Node<'_, '_>) -> Option<Decimal> {
        match Decimal::from_str_exact(p.as_str()) {
            Ok(d) => Some(d),
            Err(_) => {
                self.push(number_range(p.span(), &shorten(p.as_str())));
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
