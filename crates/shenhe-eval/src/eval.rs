//! The evaluator: walks compiled expressions over one document.
//!
//! Recursion is bounded twice: the compiler refuses expressions nested deeper than
//! [`crate::compile::MAX_DEPTH`], and the evaluator counts its own depth (bindings that use
//! bindings add to it) and stops with an error past [`MAX_EVAL_DEPTH`].

use std::borrow::Cow;

use rust_decimal::Decimal;
use shenhe_lang::ast::{CompareOp, Span};
use shenhe_model::Catalogue;

use crate::catindex::CatalogueIndex;
use crate::compare::compare;
use crate::docindex::{DocIndex, NormParagraph};
use crate::error::{ErrorKind, EvalError};
use crate::ir::{CompiledBinding, Node, NodeKind};
use crate::num::{Num, NumKind, Quick};
use crate::pattern::{Captured, Match};
use crate::resolve;
use crate::value::{Instance, Origin, Text, TextOrigin, Truth, Value};

/// Deepest evaluation allowed (nodes plus binding indirections).
pub const MAX_EVAL_DEPTH: usize = 400;

/// Default for the most expression nodes one rule may evaluate on one document (see
/// [`crate::Engine::with_step_limit`]). Nested quantifiers multiply (`每行` inside `每行` over
/// two 500-row tables is 250,000 bodies); past this budget the rule stops with an error instead
/// of running for hours.
pub const MAX_EVAL_STEPS: u64 = 20_000_000;

type Cache = Vec<Option<Result<Value, EvalError>>>;

/// What the evaluator holds for one row-invariant sub-expression (see [`crate::invariant`]),
/// for the rows of one table (`None` outside `每行`): a bare name may be a column in one table
/// and a table in another.
#[derive(Clone, Debug)]
enum Kept {
    Nothing,
    /// Evaluated once with bindings still being computed: the next evaluation is kept (its
    /// step count is the one every later evaluation would have).
    Once(Option<u32>),
    /// It read the row in view: never kept.
    Varies(Option<u32>),
    Value {
        table: Option<u32>,
        /// The steps one evaluation counts (added again for every value given back).
        steps: u64,
        value: Result<Value, EvalError>,
    },
}

/// The value of a sub-expression written more than once in a body ([`Node::share`]), from its
/// first evaluation on the row or match in view.
#[derive(Clone, Debug)]
struct Shared {
    /// The evaluation state it belongs to ([`Evaluator::share_gen`]).
    generation: u64,
    /// The steps and row reads the evaluation counted (counted again for every value given
    /// back).
    steps: u64,
    reads: u64,
    value: Value,
}

/// The columns a name matches in a table.
#[derive(Clone, Copy, Debug)]
enum ColumnHit {
    One(u32),
    None,
    /// Several: the row in view decides (its side of a two-sided table).
    Several,
}

/// Evaluation state for one rule (or one expression) on one document.
pub struct Evaluator<'a, 'd> {
    pub ix: &'a DocIndex<'d>,
    pub catalogue: &'a Catalogue,
    /// The catalogue by code.
    pub codes: &'a CatalogueIndex,
    /// The text the spans point into (the rule file or the expression).
    pub source: &'a str,
    file_bindings: &'a [CompiledBinding],
    rule_bindings: &'a [CompiledBinding],
    file_cache: Cache,
    rule_cache: Cache,
    /// Rows of the enclosing `每行` quantifiers, innermost last.
    pub rows: Vec<(u32, u32)>,
    /// Capture values of the enclosing `每处` quantifiers, by slot.
    pub slots: Vec<Option<Value>>,
    depth: usize,
    steps: u64,
    step_limit: u64,
    /// How many `非` enclose the current expression: inside one, a condition that holds must
    /// keep its evidence (it explains why the negation fails); elsewhere it is dropped at once.
    negations: u32,
    /// Columns already looked up for bare names inside `每行`: (name's address, table, what
    /// was found). What a name matches in a table is the same on every row.
    row_columns: Vec<(usize, u32, ColumnHit)>,
    /// The key of the last computed index (`表[编码(行)]`), kept for the next one: a row body
    /// often looks the same key up twice.
    last_index: Option<crate::docindex::NameKey>,
    /// The explaining pass: collect origins and evidence. The fast pass (false) only decides
    /// whether conditions hold, stops quantifiers at their first failure and allocates as
    /// little as it can; a rule whose assertion fails is evaluated again, explaining.
    explain: bool,
    /// Values of the rule's row-invariant sub-expressions, by slot ([`Node::keep`]); made
    /// (`keeps` long) on first use, as the binding caches are: most rules never need them.
    kept: Vec<Kept>,
    keeps: usize,
    /// How many times evaluation read the row in view or a capture (a kept value must not).
    row_reads: u64,
    /// How many bindings were evaluated (not taken from their cache).
    binding_evals: u64,
    /// The kept values of the fast mode while the explaining pass tries a row in it (swapped
    /// with `kept`, see [`Evaluator::holds_fast`]).
    kept_probe: Vec<Kept>,
    /// Whether the explaining pass tries rows in the fast mode first (tests turn it off to
    /// compare).
    probe_first: bool,
    /// Whether the fast pass compares texts borrowed, brackets take their keys borrowed, and
    /// comparisons take the numbers written in the rule borrowed and `行` without its value
    /// (tests turn it off to compare).
    #[cfg(test)]
    borrow_texts: bool,
    /// Values of shared sub-expressions, by slot ([`Node::share`]); made on first use.
    shared: Vec<Option<Shared>>,
    /// Changes whenever the row or match in view changes (and between the passes of a probe):
    /// a shared value is given back only in the state it was computed in.
    share_gen: u64,
}

impl<'a, 'd> Evaluator<'a, 'd> {
    // One call site per pass; a parameter struct would only rename these.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        ix: &'a DocIndex<'d>,
        catalogue: &'a Catalogue,
        codes: &'a CatalogueIndex,
        source: &'a str,
        file_bindings: &'a [CompiledBinding],
        rule_bindings: &'a [CompiledBinding],
        slots: usize,
        keeps: usize,
        step_limit: u64,
        explain: bool,
    ) -> Self {
        Evaluator {
            ix,
            catalogue,
            codes,
            source,
            file_bindings,
            rule_bindings,
            file_cache: Vec::new(),
            rule_cache: Vec::new(),
            rows: Vec::new(),
            slots: vec![None; slots],
            depth: 0,
            steps: 0,
            step_limit,
            negations: 0,
            row_columns: Vec::new(),
            last_index: None,
            explain,
            kept: Vec::new(),
            keeps,
            row_reads: 0,
            binding_evals: 0,
            kept_probe: Vec::new(),
            probe_first: true,
            #[cfg(test)]
            borrow_texts: true,
            shared: Vec::new(),
            share_gen: 0,
        }
    }

    /// Makes this evaluator one of a new rule (of the same document, pass and step budget),
    /// as [`Evaluator::new`] would make it, keeping the buffers it has grown: a check evaluates
    /// every rule of a set in turn. The fields are destructured without `..`, so a field added
    /// later does not compile until it is reset here too.
    pub fn renew(
        &mut self,
        source: &'a str,
        file_bindings: &'a [CompiledBinding],
        rule_bindings: &'a [CompiledBinding],
        slots: usize,
        keeps: usize,
    ) {
        let Evaluator {
            // The document, the catalogue, the pass, the step budget and the settings tests
            // change stay.
            ix: _,
            catalogue: _,
            codes: _,
            step_limit: _,
            explain: _,
            probe_first: _,
            #[cfg(test)]
                borrow_texts: _,
            // (`last_index` is a buffer: a key is reused only for the same text.)
            last_index: _,
            source: self_source,
            file_bindings: self_file_bindings,
            rule_bindings: self_rule_bindings,
            file_cache,
            rule_cache,
            rows,
            slots: self_slots,
            depth,
            steps,
            negations,
            row_columns,
            kept,
            keeps: self_keeps,
            row_reads,
            binding_evals,
            kept_probe,
            shared,
            share_gen,
        } = self;
        *self_source = source;
        *self_file_bindings = file_bindings;
        *self_rule_bindings = rule_bindings;
        file_cache.clear();
        rule_cache.clear();
        rows.clear();
        self_slots.clear();
        self_slots.resize(slots, None);
        *depth = 0;
        *steps = 0;
        *negations = 0;
        row_columns.clear();
        kept.clear();
        *self_keeps = keeps;
        *row_reads = 0;
        *binding_evals = 0;
        kept_probe.clear();
        shared.clear();
        *share_gen = 0;
    }

    /// Without trying rows in the fast mode first when explaining.
    #[cfg(test)]
    pub fn without_probing(mut self) -> Self {
        self.probe_first = false;
        self
    }

    /// Without comparing texts borrowed in the fast pass.
    #[cfg(test)]
    pub fn without_borrowing(mut self) -> Self {
        self.borrow_texts = false;
        self
    }

    /// Whether the fast pass compares texts borrowed (always, but in tests that compare).
    fn borrowing(&self) -> bool {
        #[cfg(test)]
        return self.borrow_texts;
        #[cfg(not(test))]
        true
    }

    /// Steps counted so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Counts `n` steps evaluated elsewhere (an assertion whose fast result is its explanation,
    /// see [`crate::builtins::same_in_both_passes`]); false, counting nothing, when they would
    /// go over the budget.
    pub fn count_steps(&mut self, n: u64) -> bool {
        match self.steps.checked_add(n) {
            Some(total) if total <= self.step_limit => {
                self.steps = total;
                true
            }
            _ => false,
        }
    }

    /// The source text under a span (for messages).
    pub fn text(&self, span: Span) -> &'a str {
        self.source
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    pub fn eval(&mut self, node: &Node) -> Result<Value, EvalError> {
        if let Some(slot) = node.keep {
            return self.kept(slot, node);
        }
        if let Some(share) = node.share {
            return self.shared(share, node);
        }
        self.eval_counted(node)
    }

    /// A sub-expression written more than once: the value of its first evaluation in the same
    /// state (row, match, pass), counting the steps and row reads that evaluation counted.
    /// Errors and conditions are not shared (an error names where it happened; a condition's
    /// evidence depends on the `非` around it), nor a value whose evaluation evaluated a
    /// binding (it counted steps the next evaluation would not). A value is given back only
    /// where evaluating the node could not nest past [`MAX_EVAL_DEPTH`] (its height
    /// bounds how deep the evaluation goes), and not past the step budget, so that an
    /// evaluation that would fail still fails where it would.
    #[inline(never)]
    fn shared(&mut self, share: crate::ir::Share, node: &Node) -> Result<Value, EvalError> {
        let slot = share.slot as usize;
        if let Some(Some(s)) = self.shared.get(slot)
            && s.generation == self.share_gen
            && self.depth.saturating_add(share.height as usize) <= MAX_EVAL_DEPTH
            && let Some(total) = self.steps.checked_add(s.steps)
            && total <= self.step_limit
        {
            self.steps = total;
            self.row_reads = self.row_reads.saturating_add(s.reads);
            return Ok(s.value.clone());
        }
        let generation = self.share_gen;
        let (steps, reads, bindings) = (self.steps, self.row_reads, self.binding_evals);
        let value = self.eval_counted(node);
        if let Ok(v) = &value
            && !matches!(v, Value::Bool(_))
            && self.binding_evals == bindings
            && self.share_gen == generation
            && self.steps <= self.step_limit
        {
            if self.shared.len() <= slot {
                // Room for the slots after it too: a rule numbers its slots from 0.
                self.shared.resize((slot + 1).max(8), None);
            }
            if let Some(s) = self.shared.get_mut(slot) {
                *s = Some(Shared {
                    generation,
                    steps: self.steps.saturating_sub(steps),
                    reads: self.row_reads.saturating_sub(reads),
                    value: v.clone(),
                });
            }
        }
        value
    }

    /// A row-invariant sub-expression: its kept value when there is one, counting the steps its
    /// evaluation would count (and evaluating it when they would go over the budget, so that it
    /// fails where it would fail).
    #[inline(never)]
    fn kept(&mut self, slot: u32, node: &Node) -> Result<Value, EvalError> {
        let table = self.rows.last().map(|&(t, _)| t);
        let slot = slot as usize;
        if self.kept.len() < self.keeps {
            self.kept.resize(self.keeps, Kept::Nothing);
        }
        let seen = match self.kept.get(slot) {
            None => return self.eval_counted(node),
            Some(Kept::Value {
                table: t,
                steps,
                value,
            }) if *t == table => {
                if let Some(total) = self.steps.checked_add(*steps)
                    && total <= self.step_limit
                {
                    self.steps = total;
                    return value.clone();
                }
                false
            }
            Some(Kept::Varies(t)) if *t == table => return self.eval_counted(node),
            Some(Kept::Once(t)) => *t == table,
            Some(_) => false,
        };
        let (steps, reads, bindings) = (self.steps, self.row_reads, self.binding_evals);
        let value = self.eval_counted(node);
        if self.steps > self.step_limit {
            // Over the budget: the error is where this evaluation stopped.
            return value;
        }
        let next = if self.row_reads != reads {
            Kept::Varies(table)
        } else if seen || self.binding_evals == bindings {
            Kept::Value {
                table,
                steps: self.steps.saturating_sub(steps),
                value: value.clone(),
            }
        } else {
            Kept::Once(table)
        };
        if let Some(k) = self.kept.get_mut(slot) {
            *k = next;
        }
        value
    }

    /// [`Evaluator::eval`] without looking for a kept value.
    fn eval_counted(&mut self, node: &Node) -> Result<Value, EvalError> {
        self.enter(node.span)?;
        let r = self.eval_inner(node);
        self.depth -= 1;
        r
    }

    /// Counts the step and enters the level of one evaluated node, failing over the step
    /// budget or nested too deep (then no level is entered). The caller leaves the level
    /// (`self.depth -= 1`) when done.
    #[inline(always)]
    fn enter(&mut self, span: Span) -> Result<(), EvalError> {
        self.steps += 1;
        if self.steps > self.step_limit {
            return Err(self.over_budget(span));
        }
        self.depth += 1;
        if self.depth > MAX_EVAL_DEPTH {
            self.depth -= 1;
            return Err(EvalError::runtime("表达式求值嵌套过深", span));
        }
        Ok(())
    }

    /// Counts the one step and level [`Evaluator::eval`] would count for a leaf node, failing
    /// as it fails (over the step budget, nested too deep).
    #[inline]
    fn leaf_step(&mut self, span: Span) -> Result<(), EvalError> {
        self.steps += 1;
        if self.steps <= self.step_limit && self.depth < MAX_EVAL_DEPTH {
            return Ok(());
        }
        Err(self.leaf_failure(span))
    }

    /// Why [`Evaluator::leaf_step`] fails (its step is counted).
    #[cold]
    #[inline(never)]
    fn leaf_failure(&self, span: Span) -> EvalError {
        if self.steps > self.step_limit {
            return self.over_budget(span);
        }
        EvalError::runtime("表达式求值嵌套过深", span)
    }

    /// The text of a constant text node, borrowed instead of cloned (counted as the one step
    /// and level [`Evaluator::eval`] would count); `None` for any other node.
    #[inline]
    pub fn const_text<'n>(&mut self, node: &'n Node) -> Option<Result<&'n str, EvalError>> {
        let NodeKind::Const(Value::Text(t)) = &node.kind else {
            return None;
        };
        if let Err(e) = self.leaf_step(node.span) {
            return Some(Err(e));
        }
        Some(Ok(&t.text))
    }

    /// The number of a constant number node, borrowed instead of cloned (counted as
    /// [`Evaluator::const_text`] counts it); `None` for any other node.
    #[inline]
    fn const_num<'n>(&mut self, node: &'n Node) -> Option<Result<&'n Num, EvalError>> {
        let NodeKind::Const(Value::Num(n)) = &node.kind else {
            return None;
        };
        if let Err(e) = self.leaf_step(node.span) {
            return Some(Err(e));
        }
        Some(Ok(n))
    }

    /// The text a call of a built-in with a borrowed form stands for ([`crate::builtins::text_fn`]:
    /// `科目名(行)`, `目录名称(行)`), without building a value; counted as [`Evaluator::eval`]
    /// counts it and failing as it fails. `None` for any other node (and for a kept or shared
    /// one, whose value is given back).
    #[inline]
    fn borrowed_text(&mut self, node: &Node) -> Option<Result<&'a str, EvalError>> {
        if node.keep.is_some() || node.share.is_some() {
            return None;
        }
        let text = node.text?;
        let NodeKind::Call { args, .. } = &node.kind else {
            return None;
        };
        Some(self.call_text(text, args, node.span))
    }

    /// [`Evaluator::borrowed_text`] once the built-in is known to have a borrowed form.
    #[inline(never)]
    fn call_text(
        &mut self,
        text: crate::builtins::TextFn,
        args: &[Node],
        span: Span,
    ) -> Result<&'a str, EvalError> {
        self.enter(span)?;
        let r = text(self, args, span);
        self.depth -= 1;
        r
    }

    /// `科目名(行) == 目录名称(行)` in the fast pass: both texts compared as they are borrowed,
    /// deciding as `compare` decides (a right side that is not a text is left to it). `None`
    /// when the left side has no borrowed form or the comparison is not one of equality.
    fn compare_borrowed(
        &mut self,
        op: CompareOp,
        lhs: &Node,
        rhs: &Node,
        span: Span,
    ) -> Option<Result<Truth, EvalError>> {
        if !matches!(op, CompareOp::Eq | CompareOp::StrictEq | CompareOp::Ne) {
            return None;
        }
        let l = match self.borrowed_text(lhs)? {
            Ok(l) => l,
            Err(e) => return Some(Err(e)),
        };
        let r = match self.borrowed_text(rhs) {
            Some(r) => r,
            None => match self.const_text(rhs) {
                Some(r) => r,
                None => return Some(self.compare_borrowed_value(op, l, lhs, rhs, span)),
            },
        };
        Some(r.map(|r| Truth::simple(crate::compare::texts_equal(l, r) != (op == CompareOp::Ne))))
    }

    /// [`Evaluator::compare_borrowed`] when the right side has no borrowed form: its value.
    /// Kept out of `compare_borrowed`, whose frame (on the path of every name check) then
    /// holds no value.
    #[inline(never)]
    fn compare_borrowed_value(
        &mut self,
        op: CompareOp,
        l: &str,
        lhs: &Node,
        rhs: &Node,
        span: Span,
    ) -> Result<Truth, EvalError> {
        match self.eval(rhs)? {
            Value::Text(t) => Ok(Truth::simple(
                crate::compare::texts_equal(l, &t.text) != (op == CompareOp::Ne),
            )),
            other => {
                // Not a text: `compare` says why they cannot be compared.
                let left = Value::Text(Text::plain(l.to_string()));
                compare(self, op, left, other, None, lhs.span, rhs.span, span)
            }
        }
    }

    /// The current row when `node` is `行` (counted as the one step and level
    /// [`Evaluator::eval`] would count, failing as it fails); `None` for any other node.
    #[inline]
    pub fn current_row_of(&mut self, node: &Node) -> Option<Result<(u32, u32), EvalError>> {
        if !matches!(node.kind, NodeKind::CurrentRow) {
            return None;
        }
        // Row arguments are read on every row: the usual case stays small and inline.
        self.steps += 1;
        if let Some(&row) = self.rows.last()
            && self.steps <= self.step_limit
            && self.depth < MAX_EVAL_DEPTH
        {
            self.row_reads += 1;
            return Some(Ok(row));
        }
        Some(Err(self.current_row_failure(node.span)))
    }

    /// Why [`Evaluator::current_row_of`] fails, as [`Evaluator::leaf_step`] and `no_row` say
    /// (its step is counted).
    #[cold]
    #[inline(never)]
    fn current_row_failure(&mut self, span: Span) -> EvalError {
        if self.steps > self.step_limit {
            return self.over_budget(span);
        }
        if self.depth + 1 > MAX_EVAL_DEPTH {
            return EvalError::runtime("表达式求值嵌套过深", span);
        }
        self.row_reads += 1;
        no_row(span)
    }

    pub fn eval_truth(&mut self, node: &Node) -> Result<Truth, EvalError> {
        // Conditions are evaluated as [`Evaluator::eval`] evaluates them (the same step, level
        // and checks), without wrapping their outcome in a value; a call (`在目录(行)`,
        // `存在(…)`) without the dispatch of `eval`.
        if node.keep.is_none() && node.share.is_none() {
            let r = match &node.kind {
                NodeKind::And(items) => {
                    self.enter(node.span)?;
                    self.and(items)
                }
                NodeKind::Or(items) => {
                    self.enter(node.span)?;
                    self.or(items)
                }
                NodeKind::Not(x) => {
                    self.enter(node.span)?;
                    self.not(x)
                }
                NodeKind::Compare {
                    op,
                    lhs,
                    rhs,
                    tolerance,
                } => return self.compare_truth(node, *op, lhs, rhs, tolerance.as_ref()),
                NodeKind::Call { func, args } => return self.call_truth(func, args, node),
                _ => return self.value_truth(node),
            };
            self.depth -= 1;
            return r;
        }
        self.value_truth(node)
    }

    /// [`Evaluator::eval_truth`] of a condition inside a condition (an item of `且`/`或`, the
    /// operand of `非`, a `每行` filter or body): a call or a comparison is dispatched here,
    /// without the level of `eval_truth` (most such conditions are one of them).
    #[inline(always)]
    fn child_truth(&mut self, node: &Node) -> Result<Truth, EvalError> {
        if node.keep.is_none() && node.share.is_none() {
            match &node.kind {
                NodeKind::Call { func, args } => return self.call_truth(func, args, node),
                NodeKind::Compare {
                    op,
                    lhs,
                    rhs,
                    tolerance,
                } => return self.compare_truth(node, *op, lhs, rhs, tolerance.as_ref()),
                _ => {}
            }
        }
        self.eval_truth(node)
    }

    /// A comparison used as a condition, at a level of its own (as [`Evaluator::eval`] counts
    /// it).
    #[inline(always)]
    fn compare_truth(
        &mut self,
        node: &Node,
        op: CompareOp,
        lhs: &Node,
        rhs: &Node,
        tolerance: Option<&crate::ir::Tol>,
    ) -> Result<Truth, EvalError> {
        self.enter(node.span)?;
        let r = self.compare(op, lhs, rhs, tolerance, node.span);
        self.depth -= 1;
        r
    }

    /// A call used as a condition, counted as [`Evaluator::eval`] counts it, without its
    /// dispatch. Kept out of [`Evaluator::eval_truth`], whose frame (on the recursion path of
    /// every condition) then holds no value.
    #[inline(never)]
    fn call_truth(
        &mut self,
        func: &crate::builtins::Builtin,
        args: &[Node],
        node: &Node,
    ) -> Result<Truth, EvalError> {
        self.enter(node.span)?;
        let v = (func.eval)(self, args, node.span);
        self.depth -= 1;
        self.condition(v?, node)
    }

    /// Any other node used as a condition: its value, which must be one.
    #[inline(never)]
    fn value_truth(&mut self, node: &Node) -> Result<Truth, EvalError> {
        let v = self.eval(node)?;
        self.condition(v, node)
    }

    /// A value used as a condition: its outcome, or an error saying it is none.
    #[inline]
    fn condition(&self, v: Value, node: &Node) -> Result<Truth, EvalError> {
        match v {
            Value::Bool(t) => Ok(t),
            other => Err(self.not_a_condition(&other, node)),
        }
    }

    #[inline(never)]
    fn not_a_condition(&self, v: &Value, node: &Node) -> EvalError {
        EvalError::runtime(
            format!(
                "`{}` 是{}，这里需要一个条件（真或假）",
                self.text(node.span),
                v.describe()
            ),
            node.span,
        )
    }

    pub fn eval_num(&mut self, node: &Node) -> Result<Num, EvalError> {
        let v = self.eval(node)?;
        self.to_num(v, node.span)
    }

    /// A value used as a number: numbers, cells, rows (their primary amount).
    pub fn to_num(&self, v: Value, span: Span) -> Result<Num, EvalError> {
        match v {
            Value::Num(n) => Ok(n),
            Value::Cell(t, r, c) => self
                .ix
                .cell_num_with(t, r, c, self.explain)
                .map_err(|m| EvalError::runtime(m, span)),
            Value::Row(t, r) => self
                .ix
                .row_num_with(t, r, self.explain)
                .map_err(|m| EvalError::runtime(m, span)),
            other => Err(self.not_a_number(&other, span)),
        }
    }

    /// A value as [`Evaluator::to_num`] would make it a number, for [`crate::compare::quick`]:
    /// a cell or a row read without building its interval, a number; `None` for any other
    /// value and where `to_num` would fail.
    pub fn quick(&self, v: &Value) -> Option<Quick> {
        match v {
            Value::Cell(t, r, c) => self.ix.cell_quick(*t, *r, *c),
            Value::Row(t, r) => self.ix.row_quick(*t, *r),
            Value::Num(n) => Quick::of_num(n),
            _ => None,
        }
    }

    #[inline(never)]
    fn not_a_number(&self, v: &Value, span: Span) -> EvalError {
        let text = self.text(span);
        match v {
            Value::Column(t, c) => EvalError::runtime(
                format!(
                    "`{text}` 是一整列（{} 的 `{}` 列，{} 个明细行），不是一个数",
                    self.ix.table_name(*t),
                    self.ix.column_name(*t, *c),
                    self.ix.column_rows(*t, *c).len()
                ),
                span,
            )
            .with_help(format!(
                "求和请写 `sum({text})`；要某一行请写 `{text}.行名`"
            )),
            Value::Table(t) => EvalError::runtime(
                format!(
                    "`{text}` 是一张表（{}），不是一个数",
                    self.ix.table_name(*t)
                ),
                span,
            )
            .with_help(format!("写出行或列，例如 `{text}.总计`")),
            other => EvalError::runtime(
                format!("`{text}` 是{}，这里需要一个数", other.describe()),
                span,
            ),
        }
    }

    /// The value of the binding called `name` (rule bindings shadow file bindings).
    pub fn binding_named(&mut self, name: &str) -> Option<Result<Value, EvalError>> {
        if let Some(i) = self.rule_bindings.iter().rposition(|b| b.name == name) {
            return Some(self.binding(i, false, Span::default()));
        }
        let i = self.file_bindings.iter().rposition(|b| b.name == name)?;
        Some(self.binding(i, true, Span::default()))
    }

    fn binding(&mut self, idx: usize, file: bool, span: Span) -> Result<Value, EvalError> {
        let cached = if file {
            self.file_cache.get(idx)
        } else {
            self.rule_cache.get(idx)
        };
        if let Some(Some(v)) = cached {
            return v.clone();
        }
        let list = if file {
            self.file_bindings
        } else {
            self.rule_bindings
        };
        let Some(b) = list.get(idx) else {
            return Err(EvalError::runtime("内部错误：绑定不存在", span));
        };
        // A binding's expression was compiled at rule level: it reads neither the current row
        // nor captures (its own quantifiers push their own), so it is evaluated as is.
        // Rows its own quantifiers read are not the row in view of the caller.
        self.binding_evals += 1;
        let reads = self.row_reads;
        let r = self.eval(&b.node);
        self.row_reads = reads;
        let cache = if file {
            &mut self.file_cache
        } else {
            &mut self.rule_cache
        };
        // Made on first use (most rules evaluate no binding).
        if cache.len() < list.len() {
            cache.resize(list.len(), None);
        }
        if let Some(slot) = cache.get_mut(idx) {
            *slot = Some(r.clone());
        }
        r
    }

    /// Dispatches on the node. Every arm that needs locals calls a method of its own, so that
    /// this frame (on the recursion path of every nested expression) stays small.
    fn eval_inner(&mut self, node: &Node) -> Result<Value, EvalError> {
        let span = node.span;
        match &node.kind {
            NodeKind::Invalid => Err(EvalError::runtime("内部错误：表达式未能编译", span)),
            NodeKind::Const(v) => Ok(v.clone()),
            NodeKind::FileBinding(i) => self.binding(*i, true, span),
            NodeKind::RuleBinding(i) => self.binding(*i, false, span),
            NodeKind::Capture(slot) => self.capture(*slot, span),
            NodeKind::CurrentRow => self.current_row(span),
            NodeKind::RowName { name, fallback } => self.row_name(name, fallback.as_deref(), span),
            NodeKind::TableNumber { ordinal, printed } => {
                let found = self
                    .ix
                    .find_tables(|e| e.perf.is_none() && e.ordinal == Some(*ordinal));
                resolve::one_table(self.ix, found.as_slice(), printed, span)
            }
            NodeKind::TableRole { name, role, .. } => {
                let found = self.ix.tables_with_role_id(*role);
                resolve::one_table(self.ix, found, name, span)
            }
            NodeKind::Field {
                base,
                name,
                name_span,
            } => self.field(base, name, *name_span),
            NodeKind::Index { base, index } => self.index(base, index),
            NodeKind::IndexKey {
                base,
                key,
                key_span,
            } => self.index_key(base, key, *key_span),
            NodeKind::Call { func, args } => (func.eval)(self, args, span),
            NodeKind::Pattern(m) => Ok(Value::Text(Text::plain(m.source.clone()))),
            NodeKind::Neg(x) => self.neg(x),
            NodeKind::Not(x) => self.not(x).map(Value::Bool),
            NodeKind::Sum(terms) => self.sum(terms, span),
            NodeKind::Mul { lhs, rhs, divide } => self.mul(lhs, rhs, *divide, span),
            NodeKind::And(items) => self.and(items).map(Value::Bool),
            NodeKind::Or(items) => self.or(items).map(Value::Bool),
            NodeKind::Compare {
                op,
                lhs,
                rhs,
                tolerance,
            } => self
                .compare(*op, lhs, rhs, tolerance.as_ref(), span)
                .map(Value::Bool),
            NodeKind::EveryRow {
                table,
                filter,
                body,
            } => self.every_row(table, filter.as_deref(), body),
            NodeKind::EachMatch {
                matcher,
                scope,
                body,
                captures,
            } => self.each_match(matcher, scope.as_deref(), body, captures),
        }
    }

    #[inline(never)]
    fn over_budget(&self, span: Span) -> EvalError {
        EvalError::runtime(
            format!("求值步数超过上限（{} 步），已停止这条规则", self.step_limit),
            span,
        )
        .with_help("嵌套的 `每行` / `每处` 会成倍增加求值次数；请改用 `若` 条件缩小范围")
    }

    #[inline(never)]
    fn capture(&mut self, slot: usize, span: Span) -> Result<Value, EvalError> {
        self.row_reads += 1;
        match self.slots.get(slot) {
            Some(Some(v)) => Ok(v.clone()),
            _ => Err(EvalError::runtime("内部错误：捕获未赋值", span)),
        }
    }

    #[inline(never)]
    fn current_row(&mut self, span: Span) -> Result<Value, EvalError> {
        self.row_reads += 1;
        match self.rows.last() {
            Some((t, r)) => Ok(Value::Row(*t, *r)),
            None => Err(no_row(span)),
        }
    }

    #[inline(never)]
    fn row_name(
        &mut self,
        name: &crate::docindex::NameKey,
        fallback: Option<&Node>,
        span: Span,
    ) -> Result<Value, EvalError> {
        let Some(&(t, r)) = self.rows.last() else {
            return Err(EvalError::runtime("内部错误：不在 `每行` 之内", span));
        };
        match (self.column_for(t, name), fallback) {
            // No column of that name: the name stands for what it means outside the row (it
            // depends on the row's table only).
            (ColumnHit::None, Some(f)) => return self.eval(f),
            (ColumnHit::One(c), _) => {
                self.row_reads += 1;
                return Ok(Value::Cell(t, r, c));
            }
            _ => {}
        }
        self.row_reads += 1;
        match resolve::row_column(self.ix, t, r, name, span) {
            Ok(v) => Ok(v),
            Err(e) if e.kind == ErrorKind::NotFound => match fallback {
                Some(f) => self.eval(f),
                None => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    #[inline(never)]
    fn field(
        &mut self,
        base: &Node,
        name: &crate::docindex::NameKey,
        span: Span,
    ) -> Result<Value, EvalError> {
        let b = self.eval(base)?;
        if let Value::Row(t, r) = b
            && let ColumnHit::One(c) = self.column_for(t, name)
        {
            return Ok(Value::Cell(t, r, c));
        }
        resolve::field(self.ix, b, name, span)
    }

    /// The columns of table `t` named `name`, remembered per name and table.
    fn column_for(&mut self, t: u32, name: &crate::docindex::NameKey) -> ColumnHit {
        let id = std::ptr::from_ref(name) as usize;
        if let Some(&(_, _, hit)) = self
            .row_columns
            .iter()
            .find(|(k, tt, _)| *k == id && *tt == t)
        {
            return hit;
        }
        let hit = match self.ix.columns_named(t, name).as_slice() {
            [c] => ColumnHit::One(*c),
            [] => ColumnHit::None,
            _ => ColumnHit::Several,
        };
        self.row_columns.push((id, t, hit));
        hit
    }

    #[inline(never)]
    fn index(&mut self, base: &Node, index: &Node) -> Result<Value, EvalError> {
        let b = self.eval(base)?;
        // `表[编码(行)]`: the key borrowed, when it can be.
        let owned;
        let borrowed = if self.borrowing() {
            self.borrowed_text(index)
        } else {
            None
        };
        let key: &str = if let Some(k) = borrowed {
            k?
        } else {
            owned = self.index_key_of(index)?;
            &owned
        };
        let name = match self.last_index.take() {
            Some(k) if k.raw == key => k,
            Some(mut k) => {
                k.set(key);
                k
            }
            None => crate::docindex::NameKey::new(key),
        };
        let found = resolve::index(self.ix, b, &name, index.span);
        self.last_index = Some(name);
        found
    }

    /// The key a bracket's value stands for (a text, or a whole plain number).
    fn index_key_of(&mut self, index: &Node) -> Result<String, EvalError> {
        Ok(match self.eval(index)? {
            Value::Text(t) => t.text.into_owned(),
            Value::Num(n) if n.kind == NumKind::Plain && n.value.scale() == 0 => {
                n.value.to_string()
            }
            other => {
                return Err(EvalError::runtime(
                    format!(
                        "方括号里须是行名、编码或列名（文字），而 `{}` 是{}",
                        self.text(index.span),
                        other.describe()
                    ),
                    index.span,
                ));
            }
        })
    }

    #[inline(never)]
    fn index_key(
        &mut self,
        base: &Node,
        key: &crate::docindex::NameKey,
        span: Span,
    ) -> Result<Value, EvalError> {
        let b = self.eval(base)?;
        resolve::index(self.ix, b, key, span)
    }

    #[inline(never)]
    fn neg(&mut self, x: &Node) -> Result<Value, EvalError> {
        Ok(Value::Num(self.eval_num(x)?.neg()))
    }

    /// Whether this is the explaining pass (origins and evidence are collected).
    pub fn explaining(&self) -> bool {
        self.explain
    }

    /// Whether a condition with this outcome should carry its evidence: in the explaining pass,
    /// when it fails, or when it holds inside `非` (it explains why the negation fails).
    pub fn wants_evidence(&self, holds: bool) -> bool {
        self.explain && (!holds || self.negations > 0)
    }

    /// A condition's outcome with a note and the places it looked at; both are built only when
    /// they may be reported.
    pub fn verdict(
        &self,
        holds: bool,
        note: impl FnOnce() -> String,
        evidence: impl FnOnce() -> Vec<(&'static str, Origin)>,
    ) -> Value {
        if !self.wants_evidence(holds) {
            return Value::truth(holds);
        }
        Value::Bool(Truth::noted(holds, note(), evidence()))
    }

    #[inline(never)]
    fn not(&mut self, x: &Node) -> Result<Truth, EvalError> {
        self.negations += 1;
        let t = self.child_truth(x);
        self.negations -= 1;
        let mut t = t?;
        for i in &mut t.instances {
            i.negated = !i.negated;
        }
        Ok(Truth {
            holds: !t.holds,
            instances: t.instances,
        })
    }

    #[inline(never)]
    fn sum(&mut self, terms: &[(bool, Node)], span: Span) -> Result<Value, EvalError> {
        let mut acc: Option<Num> = None;
        for (neg, term) in terms {
            let n = self.eval_num(term)?;
            acc = Some(match acc {
                None if *neg => n.neg(),
                None => n,
                Some(a) => a.add(n, *neg).map_err(|e| e.at(term.span))?,
            });
        }
        match acc {
            Some(n) => Ok(Value::Num(n)),
            None => Err(EvalError::runtime("内部错误：空的加法", span)),
        }
    }

    #[inline(never)]
    fn mul(
        &mut self,
        lhs: &Node,
        rhs: &Node,
        divide: bool,
        span: Span,
    ) -> Result<Value, EvalError> {
        let a = self.eval_num(lhs)?;
        let b = self.eval_num(rhs)?;
        let r = if divide {
            a.div(b, self.text(rhs.span))
        } else {
            a.mul(b)
        };
        r.map(Value::Num).map_err(|e| e.at(span))
    }

    #[inline(never)]
    fn and(&mut self, items: &[Node]) -> Result<Truth, EvalError> {
        let mut out = Truth::simple(true);
        for item in items {
            let t = self.child_truth(item)?;
            if !t.holds {
                return Ok(Truth {
                    holds: false,
                    instances: t.instances,
                });
            }
            // (Only a condition under `非` keeps evidence when it holds.)
            if !t.instances.is_empty() {
                out.instances.extend(t.instances);
            }
        }
        Ok(out)
    }

    #[inline(never)]
    fn or(&mut self, items: &[Node]) -> Result<Truth, EvalError> {
        let mut failed = Vec::new();
        for item in items {
            let t = self.child_truth(item)?;
            if t.holds {
                return Ok(t);
            }
            if !t.instances.is_empty() {
                failed.extend(t.instances);
            }
        }
        Ok(Truth {
            holds: false,
            instances: merge(failed),
        })
    }

    #[inline(never)]
    fn compare(
        &mut self,
        op: CompareOp,
        lhs: &Node,
        rhs: &Node,
        tolerance: Option<&crate::ir::Tol>,
        span: Span,
    ) -> Result<Truth, EvalError> {
        // The fast pass keeps no evidence: texts are compared borrowed.
        if !self.explain
            && tolerance.is_none()
            && self.borrowing()
            && let Some(v) = self.compare_borrowed(op, lhs, rhs, span)
        {
            return v;
        }
        self.compare_values(op, lhs, rhs, tolerance, span)
    }

    /// [`Evaluator::compare`] of sides that are not both borrowed texts. Kept out of
    /// `compare`, whose frame (on the path of every name check) then holds no value.
    #[inline(never)]
    fn compare_values(
        &mut self,
        op: CompareOp,
        lhs: &Node,
        rhs: &Node,
        tolerance: Option<&crate::ir::Tol>,
        span: Span,
    ) -> Result<Truth, EvalError> {
        let l = self.operand(lhs)?;
        let r = match self.const_text(rhs) {
            // A text against one written in the rule (`层级(行) == "项"`): decided on the
            // borrowed text when no evidence is kept, as `compare` decides it.
            Some(written) => {
                let written = written?;
                if let Value::Text(lt) = &l
                    && tolerance.is_none()
                    && matches!(op, CompareOp::Eq | CompareOp::StrictEq | CompareOp::Ne)
                {
                    let equal = crate::compare::texts_equal(&lt.text, written);
                    let holds = if op == CompareOp::Ne { !equal } else { equal };
                    if !self.wants_evidence(holds) {
                        return Ok(Truth::simple(holds));
                    }
                }
                match &rhs.kind {
                    NodeKind::Const(v) => v.clone(),
                    _ => Value::Text(Text::plain(written.to_string())),
                }
            }
            None => match self.borrowing().then(|| self.const_num(rhs)).flatten() {
                // A number written in the rule (`行 != 0`): compared borrowed when the other
                // side is one too, as `compare` compares it (a text or a condition is left to
                // `compare`, which says why they cannot be compared).
                Some(written) => {
                    let written = written?;
                    if matches!(l, Value::Text(_) | Value::Bool(_)) {
                        Value::Num(written.clone())
                    } else {
                        if tolerance.is_none()
                            && let (Some(a), Some(b)) = (self.quick(&l), Quick::of_num(written))
                            && let Some(holds) = crate::compare::quick(op, a, b)
                            && !self.wants_evidence(holds)
                        {
                            return Ok(Truth::simple(holds));
                        }
                        let l = self.to_num(l, lhs.span)?;
                        let t = crate::compare::numbers(
                            self,
                            op,
                            Cow::Owned(l),
                            Cow::Borrowed(written),
                            tolerance,
                            span,
                        )?;
                        return Ok(with_sides(t, lhs, rhs));
                    }
                }
                None => self.operand(rhs)?,
            },
        };
        let t = compare(self, op, l, r, tolerance, lhs.span, rhs.span, span)?;
        Ok(with_sides(t, lhs, rhs))
    }

    /// A side of a comparison: `行` (`行 != 0`) taken without the dispatch of
    /// [`Evaluator::eval`], counted as it counts it; any other node evaluated.
    #[inline]
    fn operand(&mut self, node: &Node) -> Result<Value, EvalError> {
        if self.borrowing()
            && let Some(row) = self.current_row_of(node)
        {
            let (t, r) = row?;
            return Ok(Value::Row(t, r));
        }
        self.eval(node)
    }

    #[inline(never)]
    fn each_match(
        &mut self,
        matcher: &std::sync::Arc<crate::pattern::Matcher>,
        scope: Option<&Node>,
        body: &Node,
        captures: &[(String, usize)],
    ) -> Result<Value, EvalError> {
        let section = match scope {
            None => None,
            Some(s) => match self.eval(s)? {
                Value::Section(i) => Some(i),
                other => {
                    return Err(EvalError::runtime(
                        format!(
                            "`于` 后须是章节（例如 `章节(\"三公\")`），而 `{}` 是{}",
                            self.text(s.span),
                            other.describe()
                        ),
                        s.span,
                    ));
                }
            },
        };
        let ix = self.ix;
        let paras = ix.paragraphs_in(section);
        // Matching has no side effects: finding every match first (once per document, see
        // `matchmemo`) changes nothing but the cost.
        let found = ix.find_matches(matcher, section);
        let slots = matcher.capture_slots();
        let mut out = Truth::simple(true);
        // (Trying matches in the fast mode first, as `every_row` does, costs more than it
        // saves on the seed: most matches a failed assertion sees fail.)
        for (i, m) in found.iter() {
            let Some(p) = paras.get(*i) else { continue };
            self.share_gen += 1;
            let t = self.match_body(p, m, slots, captures, body);
            self.share_gen += 1;
            let t = t?;
            if !t.holds {
                out.holds = false;
                if !self.explain {
                    return Ok(Value::Bool(out));
                }
                out.instances.extend(t.instances);
            }
        }
        Ok(Value::Bool(out))
    }

    #[inline(never)]
    fn every_row(
        &mut self,
        table: &Node,
        filter: Option<&Node>,
        body: &Node,
    ) -> Result<Value, EvalError> {
        let t = match self.eval(table)? {
            Value::Table(t) => t,
            other => return Err(self.not_a_table(table, &other)),
        };
        let n = self.ix.table(t).map(|e| e.table.rows.len()).unwrap_or(0);
        let mut out = Truth::simple(true);
        let probe = self.explain
            && self.probe_first
            && filter.is_none_or(crate::invariant::same_steps_in_both_passes)
            && crate::invariant::same_steps_in_both_passes(body);
        for r in 0..n {
            let Ok(r) = u32::try_from(r) else { break };
            self.rows.push((t, r));
            self.share_gen += 1;
            let res = if probe && self.holds_fast(|ev| ev.row_body(filter, body)) {
                Ok(None)
            } else {
                self.row_body(filter, body)
            };
            self.rows.pop();
            self.share_gen += 1;
            match res {
                Ok(Some(truth)) if !truth.holds => {
                    out.holds = false;
                    if !self.explain {
                        return Ok(Value::Bool(out));
                    }
                    annotate_row(t, r, truth, &mut out.instances);
                }
                Ok(_) => {}
                Err(e) => return Err(self.in_row(t, r, e)),
            }
        }
        Ok(Value::Bool(out))
    }

    /// In the explaining pass, a row body tried in the fast mode: true when it holds
    /// (or the filter leaves the row out), which adds nothing to the explanation and counts the
    /// steps explaining would count (the caller checked that both modes evaluate the same
    /// nodes). Otherwise the steps are given back and the caller evaluates it explaining.
    fn holds_fast(
        &mut self,
        body: impl FnOnce(&mut Self) -> Result<Option<Truth>, EvalError>,
    ) -> bool {
        let steps = self.steps;
        self.explain = false;
        // Values kept in the fast mode lack evidence: each mode keeps its own.
        if self.kept_probe.len() < self.keeps {
            self.kept_probe.resize(self.keeps, Kept::Nothing);
        }
        std::mem::swap(&mut self.kept, &mut self.kept_probe);
        self.share_gen += 1;
        let r = body(self);
        self.share_gen += 1;
        std::mem::swap(&mut self.kept, &mut self.kept_probe);
        self.explain = true;
        match r {
            Ok(None) => true,
            Ok(Some(t)) if t.holds => true,
            _ => {
                self.steps = steps;
                false
            }
        }
    }

    #[inline(never)]
    fn not_a_table(&self, table: &Node, other: &Value) -> EvalError {
        EvalError::runtime(
            format!(
                "`每行` 后须是一张表，而 `{}` 是{}",
                self.text(table.span),
                other.describe()
            ),
            table.span,
        )
    }

    #[inline(never)]
    fn in_row(&self, t: u32, r: u32, mut e: EvalError) -> EvalError {
        if e.located {
            return e;
        }
        e.located = true;
        e.message = format!(
            "{} 第 {} 行 `{}`：{}",
            self.ix.table_short(t),
            r + 1,
            self.ix.row_label(t, r),
            e.message
        );
        e
    }

    /// The body for the current row; `None` when the filter excludes the row.
    #[inline(always)]
    fn row_body(&mut self, filter: Option<&Node>, body: &Node) -> Result<Option<Truth>, EvalError> {
        if let Some(f) = filter
            && !self.child_truth(f)?.holds
        {
            return Ok(None);
        }
        self.child_truth(body).map(Some)
    }

    fn match_body(
        &mut self,
        p: &NormParagraph<'d>,
        m: &Match,
        slots: &[Option<usize>],
        captures: &[(String, usize)],
        body: &Node,
    ) -> Result<Truth, EvalError> {
        // Capture slots belong to this quantifier alone (the compiler gives every capture its
        // own slot), so they need no saving and restoring.
        let explain = self.explain;
        for (c, slot) in m.captures.iter().zip(slots) {
            let Some(slot) = *slot else { continue };
            let origin = explain.then(|| text_origin(p, c.start, c.end));
            let v = captured_value(&c.value, origin);
            if let Some(s) = self.slots.get_mut(slot) {
                *s = Some(v);
            }
        }
        let mut t = self.eval_truth(body).map_err(|mut e| {
            if e.located {
                return e;
            }
            e.located = true;
            if let Origin::Text(o) = text_origin(p, m.start, m.end) {
                e.message = format!("第 {} 行「{}」：{}", o.loc.line, o.printed, e.message);
            }
            e
        })?;
        if !t.holds && explain {
            // The captures as the body saw them (no other quantifier writes their slots).
            let mut vars = Vec::new();
            for slot in slots.iter().take(m.captures.len()).flatten() {
                if let Some((name, _)) = captures.iter().find(|(_, s)| s == slot)
                    && let Some(Some(v)) = self.slots.get(*slot)
                {
                    vars.push((name.clone(), v.clone()));
                }
            }
            let whole = text_origin(p, m.start, m.end);
            if t.instances.is_empty() {
                t.instances.push(Instance::default());
            }
            for inst in &mut t.instances {
                inst.vars.extend(vars.iter().cloned());
                inst.evidence.insert(0, ("文本", whole.clone()));
            }
        }
        Ok(t)
    }
}

/// A comparison's outcome with where its two sides are written in the rule (`None` for a
/// literal).
fn with_sides(mut t: Truth, lhs: &Node, rhs: &Node) -> Truth {
    let side = |n: &Node| (!matches!(n.kind, NodeKind::Const(_))).then_some(n.span);
    for i in &mut t.instances {
        i.sides = Some([side(lhs), side(rhs)]);
    }
    t
}

/// `行` outside `每行`.
#[inline(never)]
fn no_row(span: Span) -> EvalError {
    EvalError::runtime("`行` 只能用在 `每行` 之内", span)
}

/// Adds the row (and its table) to the instances of a failed row body.
#[inline(never)]
fn annotate_row(t: u32, r: u32, mut truth: Truth, out: &mut Vec<Instance>) {
    for inst in &mut truth.instances {
        if !inst.vars.iter().any(|(k, _)| k == "行") {
            inst.vars.push(("行".into(), Value::Row(t, r)));
            inst.vars.push(("表".into(), Value::Table(t)));
        }
        inst.evidence.push(("行", Origin::Row { table: t, row: r }));
    }
    if truth.instances.is_empty() {
        truth.instances.push(Instance {
            evidence: vec![("行", Origin::Row { table: t, row: r })],
            vars: vec![
                ("行".into(), Value::Row(t, r)),
                ("表".into(), Value::Table(t)),
            ],
            ..Instance::default()
        });
    }
    out.extend(truth.instances);
}

/// The instances of several failed alternatives, as one instance.
fn merge(instances: Vec<Instance>) -> Vec<Instance> {
    let mut it = instances.into_iter();
    let Some(mut first) = it.next() else {
        return Vec::new();
    };
    for other in it {
        first.evidence.extend(other.evidence);
        for v in other.vars {
            if !first.vars.iter().any(|(k, _)| *k == v.0) {
                first.vars.push(v);
            }
        }
        // Whether the comparison is reported through `非`, where it and its sides are
        // written, are the comparison's own: a merged `非 存在(…)` before it does not negate it.
        if first.compare.is_none() && other.compare.is_some() {
            first.compare = other.compare;
            first.negated = other.negated;
            first.sides = other.sides;
            first.span = other.span.or(first.span);
        }
        match (&mut first.note, other.note) {
            (Some(a), Some(b)) => {
                a.push('；');
                a.push_str(&b);
            }
            (None, Some(b)) => first.note = Some(b),
            _ => {}
        }
    }
    vec![first]
}

/// Where chars `start..end` of a normalised paragraph stand in the source.
pub fn text_origin(p: &NormParagraph<'_>, start: usize, end: usize) -> Origin {
    let b0 = p.offset(start).unwrap_or(0) as usize;
    let b1 = end
        .checked_sub(1)
        .and_then(|e| p.end_of(e))
        .map(|e| e as usize)
        .unwrap_or(b0);
    let loc = p.paragraph.loc_of(b0, b1).unwrap_or_default();
    let printed = p.paragraph.text.get(b0..b1).unwrap_or("").to_string();
    Origin::Text(std::sync::Arc::new(TextOrigin {
        loc,
        printed,
        section: p.section,
    }))
}

/// A captured value as a value of the language (with its origin when given).
pub fn captured_value(c: &Captured, origin: Option<Origin>) -> Value {
    let num = |n: Num| {
        Value::Num(match &origin {
            Some(o) => n.with_origin(o.clone()),
            None => n,
        })
    };
    match c {
        Captured::Amount(v, u) => num(Num::printed(*v, NumKind::Amount(*u))),
        Captured::Percent(v) => num(Num::printed(*v, NumKind::Percent)),
        Captured::Number(v) => num(Num::printed(*v, NumKind::Plain)),
        Captured::Count(v, w) => num(Num::printed(*v, NumKind::Count(w))),
        Captured::Year(v) => num(Num::exact(*v, NumKind::Plain)),
        Captured::Direction(w) => Value::Text(Text {
            text: (*w).to_string().into(),
            origin,
        }),
        Captured::Word(w) | Captured::Code(w) => Value::Text(Text {
            text: w.clone().into(),
            origin,
        }),
    }
}

/// An exact plain number.
pub fn plain(v: impl Into<Decimal>) -> Value {
    Value::Num(Num::exact(v.into(), NumKind::Plain))
}

#[cfg(test)]
mod tests {
    use shenhe_model::{ColumnKind, Document, RowKind};

    use crate::Engine;
    use crate::docindex::DocIndex;
    use crate::testkit::{column, row, table};

    /// Texts compared borrowed in the fast pass, bracket keys taken borrowed, numbers written
    /// in the rule compared borrowed, and `行` compared without its value give what values give: holds, fails, errors (a row
    /// without a code, a text against a number, a code two rows bear, a condition against a
    /// number), in both passes, with the same evidence and the same steps under every budget.
    #[test]
    fn borrowed_texts_compare_as_values_do() {
        let mut doc = Document::new("例.txt", "text");
        let mut coded = row("基本工资", RowKind::Item, &[100]);
        coded.code = Some("30101".into());
        let mut misnamed = row("工资", RowKind::Item, &[100]);
        misnamed.code = Some("30101".into());
        doc.tables.push(table(
            "表三",
            3,
            "基本支出表",
            vec![
                column(&["科目名称"], ColumnKind::Label),
                column(&["金额"], ColumnKind::Amount),
            ],
            vec![row("合计", RowKind::Total, &[200]), coded, misnamed],
        ));
        let rules = "语言 1
规则 T-003 \"t\" {
    断言 每行 表三 若 编码(行) != \"\": 科目名(行) == 目录名称(行)
    断言 每行 表三 若 编码(行) != \"\": 科目名(行) != 目录名称(行) 或 科目名(行) === \"基本工资\"
    断言 每行 表三 若 编码(行) != \"\": 目录名称(行) == 名称(行)
    断言 每行 表三: 科目名(行) == 目录名称(行)
    断言 每行 表三 若 编码(行) != \"\": 科目名(行) == 1
    断言 每行 表三 若 编码(行) != \"\": 科目名(行) != 行
    断言 每行 表三 若 层级(行) == \"\": 编码(行) == \"30101\" 或 编码(行) == \"\"
    断言 每行 表三 若 编码(行) != \"\": 表三[编码(行)] == 行
    断言 每行 表三 若 编码(行) != \"\": 表三[科目名(行)] == 行
    断言 每行 表三: 行 != 0 且 行 >= 1 且 行 <= 2.005 且 行 > 0.995 且 行 < 2.01
    断言 每行 表三: 行 === 1
    断言 每行 表三: (行 > 0) == 1
    断言 每行 表三: 行 == 1.01 ± 0.01
    断言 每行 表三: 行 >= 1.05 ± 5%
    断言 每行 表三: 非 (行 != 1)
    断言 每行 表三: 表三.合计 >= 行 且 行 <= 表三.合计
}
";
        let rs = Engine::new().compile(&[("例.rule", rules)]).unwrap();
        let ix = DocIndex::with_roles(&doc, &rs.profiles, &rs.roles);
        let file = &rs.files[0];
        let rule = &rs.rules[0];
        let run = |limit: u64, borrow: bool, explain: bool| {
            let ev = rs.evaluator(&ix, file, rule, limit, explain);
            let mut ev = if borrow { ev } else { ev.without_borrowing() };
            let out: Vec<_> = rule
                .assertions
                .iter()
                .map(|a| (ev.eval_truth(&a.node), ev.steps()))
                .collect();
            out
        };
        let all = run(u64::MAX, true, false);
        let outcomes: Vec<Option<bool>> = all
            .iter()
            .map(|(t, _)| t.as_ref().ok().map(|t| t.holds))
            .collect();
        assert_eq!(
            outcomes,
            [
                Some(false),
                Some(true),
                Some(false),
                None,
                None,
                None,
                Some(true),
                None,
                Some(true),
                Some(true),
                Some(false),
                None,
                Some(false),
                Some(true),
                Some(false),
                Some(true),
            ]
        );
        for explain in [false, true] {
            let all = run(u64::MAX, true, explain);
            assert_eq!(all, run(u64::MAX, false, explain));
            let total = all.last().map(|(_, s)| *s).unwrap();
            for limit in 0..=total + 1 {
                assert_eq!(
                    run(limit, true, explain),
                    run(limit, false, explain),
                    "step limit {limit}"
                );
            }
        }
    }
}
