//! Row-invariant sub-expressions: found once, when a rule is compiled.
//!
//! A `每行` body is evaluated for every row, and parts of it often do not depend on the row:
//! `计数(层级行(支出总表, "类")) > 0`, `存在(查列(财政拨款收支总表, "一般公共预算"))`, the table
//! in `支出总表[编码(行)]`. The largest such sub-expressions of a quantifier's filter and body
//! get a slot ([`Node::keep`]); the evaluator keeps their value and step count per slot and
//! gives them back on the next row instead of evaluating them again (see
//! `Evaluator::kept`).
//!
//! Statically a sub-expression qualifies when it holds no `行`, no capture and no quantifier
//! of its own. A bare name inside `每行` may still be a column of the row in view (it is a table
//! only when the row's table has no such column), so the evaluator also notes at run time
//! whether an evaluation read the row, and keeps nothing when it did.

use crate::ir::{Node, NodeKind};

/// Marks the largest row-invariant sub-expressions inside the quantifiers of `node`, numbering
/// their slots from `*next` on.
pub fn mark(node: &mut Node, next: &mut u32) {
    mark_in(node, false, next);
}

fn mark_in(node: &mut Node, inside: bool, next: &mut u32) {
    if inside && worth_keeping(&node.kind) && invariant(node) {
        node.keep = Some(*next);
        *next = next.saturating_add(1);
        return;
    }
    match &mut node.kind {
        NodeKind::EveryRow {
            table,
            filter,
            body,
        } => {
            mark_in(table, inside, next);
            if let Some(f) = filter {
                mark_in(f, true, next);
            }
            mark_in(body, true, next);
        }
        NodeKind::EachMatch { scope, body, .. } => {
            if let Some(s) = scope {
                mark_in(s, inside, next);
            }
            mark_in(body, true, next);
        }
        kind => {
            for child in children_mut(kind) {
                mark_in(child, inside, next);
            }
        }
    }
}

/// Marks sub-expressions written more than once in one scope: the whole of `node` outside
/// quantifiers, and each quantifier's filter and body (`每行 表 若 存在(表二[编码(行)]): 行 ==
/// 表二[编码(行)]` looks the row up twice; `占比(变, 本 + 变)` is written twice in a `每处` body).
/// Occurrences must be the same node for node and the same text, so that they mean the same
/// on the same row or match; the equal ones share a slot, numbered from `*next` on. The
/// largest shared expression is marked; inside a call (it may be a condition, whose value is
/// not shared) equal arguments are marked too. Kept (row-invariant) parts are left to
/// [`mark`].
pub fn mark_shared(node: &mut Node, source: &str, next: &mut u32) {
    let mut slots: Vec<(usize, u32)> = Vec::new();
    scope_shares(&[node], source, next, &mut slots);
    if !slots.is_empty() {
        apply_shares(node, &slots);
    }
}

/// Finds the shared sub-expressions of the scope made of `roots` (a quantifier's filter and
/// body, or an assertion) and of the scopes nested in it, as (node address, slot).
fn scope_shares(roots: &[&Node], source: &str, next: &mut u32, out: &mut Vec<(usize, u32)>) {
    let mut candidates: Vec<&Node> = Vec::new();
    let mut inner: Vec<Vec<&Node>> = Vec::new();
    for root in roots {
        collect(root, &mut candidates, &mut inner);
    }
    let text = |n: &Node| source.get(n.span.start as usize..n.span.end as usize);
    let mut slot_of: Vec<Option<u32>> = vec![None; candidates.len()];
    for i in 0..candidates.len() {
        let (Some(a), Some(ta)) = (candidates.get(i), candidates.get(i).and_then(|n| text(n)))
        else {
            continue;
        };
        for j in 0..i {
            let Some(b) = candidates.get(j) else { continue };
            if text(b) != Some(ta) || !same(a, b) {
                continue;
            }
            let slot = match slot_of.get(j).copied().flatten() {
                Some(s) => s,
                None => {
                    let s = *next;
                    *next = next.saturating_add(1);
                    if let Some(x) = slot_of.get_mut(j) {
                        *x = Some(s);
                    }
                    s
                }
            };
            if let Some(x) = slot_of.get_mut(i) {
                *x = Some(slot);
            }
            break;
        }
    }
    // The outermost: an expression inside a shared one (other than a call, which may be a
    // condition) is not evaluated again once the outer one is shared.
    let covers = |m: &Node| !matches!(m.kind, NodeKind::Call { .. });
    for (n, slot) in candidates.iter().zip(&slot_of) {
        let Some(slot) = slot else { continue };
        let addr = std::ptr::from_ref(*n) as usize;
        let covered = candidates
            .iter()
            .zip(&slot_of)
            .any(|(m, s)| s.is_some() && covers(m) && contains(m, addr));
        if !covered {
            out.push((addr, *slot));
        }
    }
    for scope in inner {
        scope_shares(&scope, source, next, out);
    }
}

/// The candidates of one scope (not entering nested quantifiers' filters and bodies, which are
/// scopes of their own, gathered in `inner`, nor kept parts).
fn collect<'n>(node: &'n Node, out: &mut Vec<&'n Node>, inner: &mut Vec<Vec<&'n Node>>) {
    if node.keep.is_some() {
        return;
    }
    match &node.kind {
        NodeKind::EveryRow {
            table,
            filter,
            body,
        } => {
            collect(table, out, inner);
            inner.push(filter.as_deref().into_iter().chain([&**body]).collect());
            return;
        }
        NodeKind::EachMatch { scope, body, .. } => {
            if let Some(s) = scope {
                collect(s, out, inner);
            }
            inner.push(vec![&**body]);
            return;
        }
        _ if worth_sharing(node) && !has_quantifier(node) => out.push(node),
        _ => {}
    }
    for c in children(&node.kind) {
        collect(c, out, inner);
    }
}

/// Whether giving a value back costs less than evaluating the node again: not for a name, a
/// literal, a kept value, nor a look-up of the row or capture in view (`层级(行)`,
/// `行.基本支出`).
fn worth_sharing(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Index { .. } | NodeKind::Sum(_) | NodeKind::Mul { .. } => true,
        NodeKind::Field { base, .. } | NodeKind::IndexKey { base, .. } => !cheap(base),
        NodeKind::Neg(x) => !cheap(x),
        // A call of something computed (`占比(变, 本 + 变)`), or of names and literals only
        // (`查列(三公经费表, "培训费")`, a search); not a look-up of the row or capture in
        // view (`层级(行)`).
        NodeKind::Call { args, .. } => !args.iter().all(cheap) || !args.iter().any(in_view),
        _ => false,
    }
}

/// `行`, a capture or a bare name that may be a column of the row in view.
fn in_view(node: &Node) -> bool {
    matches!(
        node.kind,
        NodeKind::CurrentRow | NodeKind::Capture(_) | NodeKind::RowName { .. }
    )
}

/// A node whose evaluation is a look-up: a name, a literal, a kept value, `行`, a capture.
fn cheap(node: &Node) -> bool {
    node.keep.is_some()
        || matches!(
            node.kind,
            NodeKind::Const(_)
                | NodeKind::CurrentRow
                | NodeKind::Capture(_)
                | NodeKind::RowName { .. }
                | NodeKind::TableRole { .. }
                | NodeKind::TableNumber { .. }
                | NodeKind::FileBinding(_)
                | NodeKind::RuleBinding(_)
                | NodeKind::Pattern(_)
        )
}

/// How many levels evaluating the node nests at most, itself included.
fn height(node: &Node) -> u32 {
    children(&node.kind)
        .map(height)
        .max()
        .unwrap_or(0)
        .saturating_add(1)
}

/// Whether a quantifier is part of the expression (its rows and matches are its own).
fn has_quantifier(node: &Node) -> bool {
    matches!(
        node.kind,
        NodeKind::EveryRow { .. } | NodeKind::EachMatch { .. } | NodeKind::Invalid
    ) || children(&node.kind).any(has_quantifier)
}

fn contains(node: &Node, addr: usize) -> bool {
    children(&node.kind).any(|c| std::ptr::from_ref(c) as usize == addr || contains(c, addr))
}

/// Sets [`Node::share`] on the nodes found.
fn apply_shares(node: &mut Node, slots: &[(usize, u32)]) {
    let addr = std::ptr::from_ref(&*node) as usize;
    if let Some((_, s)) = slots.iter().find(|(a, _)| *a == addr) {
        node.share = Some(crate::ir::Share {
            slot: *s,
            height: height(node),
        });
    }
    for child in children_mut(&mut node.kind) {
        apply_shares(child, slots);
    }
}

/// Whether two nodes are the same expression, node for node (a pattern, a quantifier or an
/// invalid node is never the same as anything).
fn same(a: &Node, b: &Node) -> bool {
    let all =
        |x: &[Node], y: &[Node]| x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q));
    match (&a.kind, &b.kind) {
        (NodeKind::Const(x), NodeKind::Const(y)) => x == y,
        (NodeKind::FileBinding(x), NodeKind::FileBinding(y))
        | (NodeKind::RuleBinding(x), NodeKind::RuleBinding(y))
        | (NodeKind::Capture(x), NodeKind::Capture(y)) => x == y,
        (NodeKind::CurrentRow, NodeKind::CurrentRow) => true,
        (
            NodeKind::RowName {
                name: n1,
                fallback: f1,
            },
            NodeKind::RowName {
                name: n2,
                fallback: f2,
            },
        ) => {
            n1.raw == n2.raw
                && match (f1, f2) {
                    (None, None) => true,
                    (Some(x), Some(y)) => same(x, y),
                    _ => false,
                }
        }
        (
            NodeKind::TableNumber {
                ordinal: o1,
                printed: p1,
            },
            NodeKind::TableNumber {
                ordinal: o2,
                printed: p2,
            },
        ) => o1 == o2 && p1 == p2,
        (
            NodeKind::TableRole { name: n1, role: r1 },
            NodeKind::TableRole { name: n2, role: r2 },
        ) => n1 == n2 && r1 == r2,
        (
            NodeKind::Field {
                base: b1, name: n1, ..
            },
            NodeKind::Field {
                base: b2, name: n2, ..
            },
        ) => n1.raw == n2.raw && same(b1, b2),
        (
            NodeKind::Index {
                base: b1,
                index: i1,
            },
            NodeKind::Index {
                base: b2,
                index: i2,
            },
        ) => same(b1, b2) && same(i1, i2),
        (
            NodeKind::IndexKey {
                base: b1, key: k1, ..
            },
            NodeKind::IndexKey {
                base: b2, key: k2, ..
            },
        ) => k1.raw == k2.raw && same(b1, b2),
        (NodeKind::Call { func: f1, args: a1 }, NodeKind::Call { func: f2, args: a2 }) => {
            std::ptr::eq(*f1, *f2) && all(a1, a2)
        }
        (NodeKind::Neg(x), NodeKind::Neg(y)) | (NodeKind::Not(x), NodeKind::Not(y)) => same(x, y),
        (NodeKind::Sum(x), NodeKind::Sum(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((n1, p), (n2, q))| n1 == n2 && same(p, q))
        }
        (
            NodeKind::Mul {
                lhs: l1,
                rhs: r1,
                divide: d1,
            },
            NodeKind::Mul {
                lhs: l2,
                rhs: r2,
                divide: d2,
            },
        ) => d1 == d2 && same(l1, l2) && same(r1, r2),
        (NodeKind::And(x), NodeKind::And(y)) | (NodeKind::Or(x), NodeKind::Or(y)) => all(x, y),
        (
            NodeKind::Compare {
                op: o1,
                lhs: l1,
                rhs: r1,
                tolerance: None,
            },
            NodeKind::Compare {
                op: o2,
                lhs: l2,
                rhs: r2,
                tolerance: None,
            },
        ) => o1 == o2 && same(l1, l2) && same(r1, r2),
        _ => false,
    }
}

/// Whether keeping the value pays: constants, patterns and bindings are as cheap to give back
/// as to evaluate (bindings keep their own value).
fn worth_keeping(kind: &NodeKind) -> bool {
    !matches!(
        kind,
        NodeKind::Invalid
            | NodeKind::Const(_)
            | NodeKind::Pattern(_)
            | NodeKind::FileBinding(_)
            | NodeKind::RuleBinding(_)
    )
}

/// Whether the node reads neither the row in view nor a capture and holds no quantifier (a
/// bare name with a table to fall back on is decided at run time).
fn invariant(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Invalid
        | NodeKind::Capture(_)
        | NodeKind::CurrentRow
        | NodeKind::EveryRow { .. }
        | NodeKind::EachMatch { .. }
        | NodeKind::RowName { fallback: None, .. } => false,
        kind => children(kind).all(invariant),
    }
}

/// The sub-expressions of a node, in evaluation order.
pub fn children(kind: &NodeKind) -> Box<dyn Iterator<Item = &Node> + '_> {
    match kind {
        NodeKind::Invalid
        | NodeKind::Const(_)
        | NodeKind::FileBinding(_)
        | NodeKind::RuleBinding(_)
        | NodeKind::Capture(_)
        | NodeKind::CurrentRow
        | NodeKind::TableNumber { .. }
        | NodeKind::TableRole { .. }
        | NodeKind::Pattern(_) => Box::new(std::iter::empty()),
        NodeKind::RowName { fallback, .. } => Box::new(fallback.as_deref().into_iter()),
        NodeKind::Field { base, .. } | NodeKind::IndexKey { base, .. } => {
            Box::new(std::iter::once(base.as_ref()))
        }
        NodeKind::Index { base, index } => Box::new([base.as_ref(), index.as_ref()].into_iter()),
        NodeKind::Call { args, .. } => Box::new(args.iter()),
        NodeKind::Neg(x) | NodeKind::Not(x) => Box::new(std::iter::once(x.as_ref())),
        NodeKind::Sum(terms) => Box::new(terms.iter().map(|(_, n)| n)),
        NodeKind::Mul { lhs, rhs, .. } | NodeKind::Compare { lhs, rhs, .. } => {
            Box::new([lhs.as_ref(), rhs.as_ref()].into_iter())
        }
        NodeKind::And(items) | NodeKind::Or(items) => Box::new(items.iter()),
        NodeKind::EveryRow {
            table,
            filter,
            body,
        } => Box::new(
            std::iter::once(table.as_ref())
                .chain(filter.as_deref())
                .chain(std::iter::once(body.as_ref())),
        ),
        NodeKind::EachMatch { scope, body, .. } => Box::new(
            scope
                .as_deref()
                .into_iter()
                .chain(std::iter::once(body.as_ref())),
        ),
    }
}

/// Whether the fast pass evaluates exactly the nodes the explaining pass evaluates for this
/// expression: it holds no quantifier (the fast pass stops one at its first failure) and no
/// binding (each pass keeps its own). Then a `每行` body that holds in the fast mode
/// holds, counting the same steps, when explaining, and adds nothing to the explanation.
pub fn same_steps_in_both_passes(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Invalid
        | NodeKind::EveryRow { .. }
        | NodeKind::EachMatch { .. }
        | NodeKind::FileBinding(_)
        | NodeKind::RuleBinding(_) => false,
        kind => children(kind).all(same_steps_in_both_passes),
    }
}

/// [`children`], mutably, in the same order.
fn children_mut(kind: &mut NodeKind) -> Vec<&mut Node> {
    match kind {
        NodeKind::Invalid
        | NodeKind::Const(_)
        | NodeKind::FileBinding(_)
        | NodeKind::RuleBinding(_)
        | NodeKind::Capture(_)
        | NodeKind::CurrentRow
        | NodeKind::TableNumber { .. }
        | NodeKind::TableRole { .. }
        | NodeKind::Pattern(_) => Vec::new(),
        NodeKind::RowName { fallback, .. } => fallback.as_deref_mut().into_iter().collect(),
        NodeKind::Field { base, .. } | NodeKind::IndexKey { base, .. } => vec![base.as_mut()],
        NodeKind::Index { base, index } => vec![base.as_mut(), index.as_mut()],
        NodeKind::Call { args, .. } => args.iter_mut().collect(),
        NodeKind::Neg(x) | NodeKind::Not(x) => vec![x.as_mut()],
        NodeKind::Sum(terms) => terms.iter_mut().map(|(_, n)| n).collect(),
        NodeKind::Mul { lhs, rhs, .. } | NodeKind::Compare { lhs, rhs, .. } => {
            vec![lhs.as_mut(), rhs.as_mut()]
        }
        NodeKind::And(items) | NodeKind::Or(items) => items.iter_mut().collect(),
        NodeKind::EveryRow {
            table,
            filter,
            body,
        } => std::iter::once(table.as_mut())
            .chain(filter.as_deref_mut())
            .chain(std::iter::once(body.as_mut()))
            .collect(),
        NodeKind::EachMatch { scope, body, .. } => scope
            .as_deref_mut()
            .into_iter()
            .chain(std::iter::once(body.as_mut()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use shenhe_model::{ColumnKind, Document, RowKind, Section};

    use crate::Engine;
    use crate::docindex::DocIndex;
    use crate::eval::Evaluator;
    use crate::ir::{Node, NodeKind};
    use crate::testkit::{column, row, table};

    fn doc() -> Document {
        let mut doc = Document::new("例.txt", "text");
        doc.tables.push(table(
            "表三",
            3,
            "部门支出总体情况表",
            vec![
                column(&["科目名称"], ColumnKind::Label),
                column(&["基本支出"], ColumnKind::Amount),
            ],
            vec![
                row("工资福利支出", RowKind::Item, &[100]),
                row("商品和服务支出", RowKind::Item, &[250]),
                row("对个人和家庭的补助", RowKind::Item, &[50]),
                row("合计", RowKind::Total, &[400]),
            ],
        ));
        doc.sections.push(Section {
            title: "说明".into(),
            depth: 1,
            paragraphs: crate::docindex::test_paragraphs(&[
                "基本支出 821.07 万元，比上年减少 198.6 万元，下降 24.19%。",
                "项目支出 169 万元，比上年减少 32 万元，下降 15.92%。",
                "其他支出 10 万元，比上年减少 10 万元，下降 50%。",
            ]),
            ..Section::default()
        });
        // A table with a column named like a table: there the bare name is the column.
        doc.tables.push(table(
            "表五",
            5,
            "一般公共预算支出情况表",
            vec![
                column(&["科目名称"], ColumnKind::Label),
                column(&["表三"], ColumnKind::Amount),
            ],
            vec![
                row("甲", RowKind::Item, &[10]),
                row("乙", RowKind::Item, &[-10]),
            ],
        ));
        doc
    }

    const RULES: &str = "语言 1
令 全部 = sum(表三.基本支出)
规则 T-001 \"t\" {
    令 x = sum(表三.基本支出)
    断言 每行 表三 若 计数(表三.基本支出) > 0 且 存在(表三.基本支出): 行.基本支出 >= 0 且 sum(表三.基本支出) > 0
    断言 每行 表三: x >= 0 且 行.基本支出 <= x 且 全部 > 1000
    断言 每行 表三: 基本支出 >= 0 且 存在(表三.没有这列) 或 非 存在(表九)
    断言 每行 表三: 行.基本支出 < 300 且 表三.合计.基本支出 > 0
    断言 每行 表三: 存在(表三) 且 每行 表五: 表三 >= 0
    断言 每行 表三 若 行.基本支出 > 0.5: 行.基本支出 < 2 或 非 (行.基本支出 > 3)
    断言 每处 \"{本:金额},{…14}减少{变:金额},{…4}{率:百分比}\": 非 为正(本 + 变) 或 率 == 占比(变, 本 + 变)
    断言 每处 \"{本:金额},{…14}减少{变:金额},{…4}{率:百分比}\": 率 > 20% 且 x > 0
}
";

    fn kept(node: &Node, out: &mut Vec<String>, src: &str) {
        if node.keep.is_some() {
            let text = src
                .get(node.span.start as usize..node.span.end as usize)
                .unwrap_or("");
            out.push(text.to_string());
            return;
        }
        for c in super::children(&node.kind) {
            kept(c, out, src);
        }
    }

    #[test]
    fn the_largest_row_invariant_parts_are_marked() {
        let rs = Engine::new().compile(&[("例.rule", RULES)]).unwrap();
        let rule = &rs.rules[0];
        let src = &rs.files[0].source;
        let mut marked = Vec::new();
        for a in &rule.assertions {
            kept(&a.node, &mut marked, src);
        }
        assert_eq!(
            marked,
            [
                "计数(表三.基本支出) > 0 且 存在(表三.基本支出)",
                "sum(表三.基本支出) > 0",
                "x >= 0",
                "全部 > 1000",
                "存在(表三.没有这列)",
                "非 存在(表九)",
                "表三.合计.基本支出 > 0",
                "存在(表三)",
                "表五",
                "表三 >= 0",
                "x > 0",
            ]
        );
        assert_eq!(rule.keeps, marked.len());
        assert!(matches!(
            rule.assertions[0].node.kind,
            NodeKind::EveryRow { .. }
        ));
    }

    /// Keeping values changes nothing but the cost: every assertion gives the same result and
    /// counts the same steps with and without, in both passes and under every step budget.
    #[test]
    fn kept_values_give_the_same_results_and_steps() {
        let doc = doc();
        let rs = Engine::new().compile(&[("例.rule", RULES)]).unwrap();
        let ix = DocIndex::with_roles(&doc, &rs.profiles, &rs.roles);
        let file = &rs.files[0];
        let rule = &rs.rules[0];
        let run = |keeps: usize, limit: u64, explain: bool| {
            let ev = Evaluator::new(
                &ix,
                &rs.catalogue,
                &rs.codes,
                &file.source,
                &file.bindings,
                &rule.bindings,
                rule.slots,
                keeps,
                limit,
                explain,
            );
            // Without kept values, explaining evaluates every row and match explaining.
            let mut ev = if keeps == 0 { ev.without_probing() } else { ev };
            let out: Vec<_> = rule
                .assertions
                .iter()
                .map(|a| (ev.eval_truth(&a.node), ev.steps()))
                .collect();
            out
        };
        // The last three fail on some rows or matches and hold on others.
        let holds: Vec<Option<(bool, usize)>> = run(rule.keeps, u64::MAX, true)
            .into_iter()
            .map(|(t, _)| t.ok().map(|t| (t.holds, t.instances.len())))
            .collect();
        assert_eq!(
            holds.get(holds.len() - 3..).unwrap(),
            [Some((false, 1)), Some((false, 1)), Some((false, 1))]
        );
        for explain in [false, true] {
            let plain = run(0, u64::MAX, explain);
            assert_eq!(plain, run(rule.keeps, u64::MAX, explain));
            let total = plain.last().map(|(_, s)| *s).unwrap();
            for limit in 0..=total + 1 {
                assert_eq!(
                    run(0, limit, explain),
                    run(rule.keeps, limit, explain),
                    "step limit {limit}"
                );
            }
        }
    }

    /// Sub-expressions written twice, on rows, on matches and outside quantifiers: a table
    /// look-up, sums, a ratio, one that fails on some rows (under `存在` and outside it), one
    /// using a binding.
    const SHARED: &str = "语言 1
令 全部 = sum(表三.基本支出)
规则 T-002 \"t\" {
    令 x = sum(表三.基本支出)
    断言 每行 表三 若 存在(表三[名称(行)]) 且 表三[名称(行)] >= 0: 行 == 表三[名称(行)] 且 行.基本支出 + 1 >= 行.基本支出 + 1
    断言 每行 表五 若 非 存在(表三[名称(行)]) 或 表三[名称(行)] > 0: 行 <= 表三[名称(行)] 或 行 + x > 行 + x
    断言 每行 表三: 行 + 全部 > 0 且 行 + 全部 < 10000 且 行 + x >= 行 + x
    断言 每处 \"{本:金额},{…14}减少{变:金额},{…4}{率:百分比}\": 非 为正(本 + 变) 或 率 == 占比(变, 本 + 变) 或 率 == 占比(变, 本 + 变) ± 0.011
    断言 sum(表三.基本支出) > 0 且 sum(表三.基本支出) < 10000 且 层级(表三.合计) == 层级(表三.合计)
}
";

    fn shared(node: &Node, out: &mut Vec<String>, src: &str) {
        if node.share.is_some() {
            let text = src
                .get(node.span.start as usize..node.span.end as usize)
                .unwrap_or("");
            out.push(text.to_string());
        }
        for c in super::children(&node.kind) {
            shared(c, out, src);
        }
    }

    fn unshare(node: &mut Node) {
        node.share = None;
        for c in super::children_mut(&mut node.kind) {
            unshare(c);
        }
    }

    #[test]
    fn sub_expressions_written_twice_share_one_slot() {
        let rs = Engine::new().compile(&[("例.rule", SHARED)]).unwrap();
        let src = &rs.files[0].source;
        let mut marked = Vec::new();
        for a in &rs.rules[0].assertions {
            shared(&a.node, &mut marked, src);
        }
        assert_eq!(
            marked,
            [
                "表三[名称(行)]",
                "表三[名称(行)]",
                "表三[名称(行)]",
                "行.基本支出 + 1",
                "行.基本支出 + 1",
                "表三[名称(行)]",
                "表三[名称(行)]",
                "表三[名称(行)]",
                "行 + x",
                "行 + x",
                "行 + 全部",
                "行 + 全部",
                "行 + x",
                "行 + x",
                // The sum inside a shared call is shared too (a call may be a condition).
                "本 + 变",
                "占比(变, 本 + 变)",
                "本 + 变",
                "占比(变, 本 + 变)",
                "本 + 变",
                // Outside quantifiers too, a call of names and literals.
                "sum(表三.基本支出)",
                "sum(表三.基本支出)",
                "层级(表三.合计)",
                "层级(表三.合计)",
            ]
        );
    }

    /// Sharing changes nothing but the cost: every assertion gives the same result (errors
    /// included) and counts the same steps with and without, in both passes and under every
    /// step budget.
    #[test]
    fn shared_values_give_the_same_results_and_steps() {
        let doc = doc();
        let with = Engine::new().compile(&[("例.rule", SHARED)]).unwrap();
        let mut without = Engine::new().compile(&[("例.rule", SHARED)]).unwrap();
        for r in &mut without.rules {
            for a in &mut r.assertions {
                unshare(&mut a.node);
            }
        }
        let ix = DocIndex::with_roles(&doc, &with.profiles, &with.roles);
        let run = |rs: &crate::RuleSet, limit: u64, explain: bool, probe: bool| {
            let file = &rs.files[0];
            let rule = &rs.rules[0];
            let ev = rs.evaluator(&ix, file, rule, limit, explain);
            let mut ev = if probe { ev } else { ev.without_probing() };
            let out: Vec<_> = rule
                .assertions
                .iter()
                .map(|a| (ev.eval_truth(&a.node), ev.steps()))
                .collect();
            out
        };
        let all = run(&with, u64::MAX, true, true);
        // Some assertions fail, some err, some hold.
        assert!(all.iter().any(|(t, _)| t.as_ref().is_ok_and(|t| !t.holds)));
        assert!(all.iter().any(|(t, _)| t.as_ref().is_ok_and(|t| t.holds)));
        for explain in [false, true] {
            for probe in [false, true] {
                let plain = run(&without, u64::MAX, explain, probe);
                assert_eq!(plain, run(&with, u64::MAX, explain, probe));
                let total = plain.last().map(|(_, s)| *s).unwrap();
                for limit in 0..=total + 1 {
                    assert_eq!(
                        run(&without, limit, explain, probe),
                        run(&with, limit, explain, probe),
                        "step limit {limit}"
                    );
                }
            }
        }
    }
}
