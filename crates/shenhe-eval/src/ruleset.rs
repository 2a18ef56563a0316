//! A compiled rule set and checking a document with it.

use std::collections::HashSet;
use std::sync::Arc;

use shenhe_lang::Diagnostic;
use shenhe_lang::ast::{CompareOp, Expr, Span, Template, TemplatePart};
use shenhe_model::{Catalogue, Document, Profiles};

use crate::catindex::CatalogueIndex;
use crate::compile::{CompiledFile, CompiledRule, Lowerer};
use crate::docindex::DocIndex;
use crate::error::{ErrorKind, EvalError};
use crate::eval::Evaluator;
use crate::finding::{self, Finding, Location, RuleSpan, Severity};
use crate::report::{Outcome, Report, RuleError, RuleOutcome};
use crate::roles::RoleIndex;
use crate::value::{Instance, Origin, Value};

/// Rules compiled once, ready to check any number of documents. Cheap to share between
/// threads (`Send + Sync`).
#[derive(Debug)]
pub struct RuleSet {
    pub(crate) profiles: Arc<Profiles>,
    pub(crate) catalogue: Arc<Catalogue>,
    pub(crate) codes: Arc<CatalogueIndex>,
    pub(crate) files: Vec<CompiledFile>,
    pub(crate) rules: Vec<CompiledRule>,
    pub(crate) step_limit: u64,
    /// The profiles' roles, normalised once.
    pub(crate) roles: Arc<RoleIndex>,
}

/// What a rule set says about one of its rules (for listings such as `shenhe rules`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub category: Option<String>,
    pub basis: Vec<String>,
    /// The `///` documentation (Markdown).
    pub doc: Vec<String>,
    pub rule_span: RuleSpan,
}

/// The value of an expression on a document, ready to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluated {
    /// As `shenhe eval` prints it: an amount as printed without its unit (`821.07`), a
    /// percentage with `%`, `true`/`false` for a condition, text as is; a column one line per
    /// detail row.
    pub printed: String,
    /// What kind of value it is (金额, 百分比, 真假值, 行 …).
    pub kind: &'static str,
    /// With unit and rounding interval where it is a number.
    pub value: Option<finding::ReportedValue>,
    /// The places in the document it came from.
    pub locations: Vec<Location>,
}

fn rule_span(file: &CompiledFile, span: Span) -> RuleSpan {
    let (line, column) = file.line_col(span.start);
    RuleSpan {
        file: file.name.clone(),
        line,
        column,
    }
}

/// Everything one rule produced on one document.
struct RuleRun {
    outcome: Outcome,
    reason: Option<String>,
    findings: Vec<Finding>,
    errors: Vec<RuleError>,
}

impl RuleSet {
    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules, in order.
    pub fn rules(&self) -> Vec<RuleInfo> {
        self.rules
            .iter()
            .filter_map(|r| {
                let file = self.files.get(r.file)?;
                Some(RuleInfo {
                    id: r.id.clone(),
                    title: r.title.clone(),
                    severity: r.severity.into(),
                    category: r.category.clone(),
                    basis: r.basis.clone(),
                    doc: r.doc.clone(),
                    rule_span: rule_span(file, r.span),
                })
            })
            .collect()
    }

    /// Checks a document with every rule. Never fails: a rule that cannot be evaluated is
    /// reported as an error of that rule, and the others run.
    pub fn check(&self, doc: &Document) -> Report {
        let ix = DocIndex::with_roles(doc, &self.profiles, &self.roles);
        let mut findings = Vec::new();
        let mut outcomes = Vec::with_capacity(self.rules.len());
        let mut errors = Vec::new();
        // The evaluators of the fast and the explaining pass, made on first use and renewed
        // for each rule (their buffers serve every rule).
        let (mut fast, mut slow) = (None, None);
        for rule in &self.rules {
            let Some(file) = self.files.get(rule.file) else {
                continue;
            };
            let run = self.run_rule(&ix, file, rule, &mut fast, &mut slow);
            outcomes.push(RuleOutcome {
                rule_id: rule.id.clone(),
                outcome: run.outcome,
                reason: run.reason,
                findings: run.findings.len(),
            });
            findings.extend(run.findings);
            errors.extend(run.errors);
        }
        Report::new(doc, ix.template.clone(), findings, outcomes, errors)
    }

    fn not_applicable(reason: String) -> RuleRun {
        RuleRun {
            outcome: Outcome::NotApplicable,
            reason: Some(reason),
            findings: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// An evaluator of `rule` (of `file`, both of this set) over `ix`.
    pub(crate) fn evaluator<'a, 'd>(
        &'a self,
        ix: &'a DocIndex<'d>,
        file: &'a CompiledFile,
        rule: &'a CompiledRule,
        step_limit: u64,
        explain: bool,
    ) -> Evaluator<'a, 'd> {
        Evaluator::new(
            ix,
            &self.catalogue,
            &self.codes,
            &file.source,
            &file.bindings,
            &rule.bindings,
            rule.slots,
            rule.keeps,
            step_limit,
            explain,
        )
    }

    /// The evaluator `slot` holds, renewed for `rule` (of `file`); made when it holds none.
    fn renewed<'e, 'a, 'd>(
        &'a self,
        slot: &'e mut Option<Evaluator<'a, 'd>>,
        ix: &'a DocIndex<'d>,
        file: &'a CompiledFile,
        rule: &'a CompiledRule,
        explain: bool,
    ) -> &'e mut Evaluator<'a, 'd> {
        if let Some(ev) = slot.as_mut() {
            ev.renew(
                &file.source,
                &file.bindings,
                &rule.bindings,
                rule.slots,
                rule.keeps,
            );
        }
        slot.get_or_insert_with(|| self.evaluator(ix, file, rule, self.step_limit, explain))
    }

    /// Runs one rule with the evaluators of the check (`fast` and `slow`, see
    /// [`RuleSet::renewed`]).
    fn run_rule<'a, 'd>(
        &'a self,
        ix: &'a DocIndex<'d>,
        file: &'a CompiledFile,
        rule: &'a CompiledRule,
        fast: &mut Option<Evaluator<'a, 'd>>,
        slow: &mut Option<Evaluator<'a, 'd>>,
    ) -> RuleRun {
        // 适用 and 模板.
        if let Some(kind) = ix.doc.meta.kind
            && !rule.applies.is_empty()
            && !rule.applies.iter().any(|a| a.admits(kind))
        {
            // Texts joined without `format!` here and below (rules run on every document).
            return Self::not_applicable(["规则不适用于", kind.name()].concat());
        }
        if !rule.templates.is_empty() {
            match &ix.template {
                Some(t) if rule.templates.iter().any(|x| x == t) => {}
                Some(t) => {
                    return Self::not_applicable(
                        [
                            "规则只适用于模板 ",
                            rule.templates.join("、").as_str(),
                            "，本文档是 ",
                            t,
                        ]
                        .concat(),
                    );
                }
                None => return Self::not_applicable("文档的模板未识别".into()),
            }
        }
        // The fast pass decides; a failed assertion is evaluated again, explaining (by `slow`,
        // renewed for this rule on its first use here).
        let ev = self.renewed(fast, ix, file, rule, false);
        let mut slow_renewed = false;
        let error = |e: EvalError| {
            let e = e.resolve_help(ix).into_data();
            RuleError {
                rule_id: rule.id.clone(),
                message: e.message,
                help: e.help,
                expression: file
                    .source
                    .get(e.span.start as usize..e.span.end as usize)
                    .unwrap_or("")
                    .to_string(),
                rule_span: rule_span(file, e.span),
            }
        };
        for p in &rule.preconditions {
            match ev.eval_truth(p) {
                Ok(t) if t.holds => {}
                Ok(_) => {
                    return Self::not_applicable(["前提不成立：", ev.text(p.span)].concat());
                }
                Err(e) if e.kind == ErrorKind::Absent => {
                    return Self::not_applicable(e.into_message());
                }
                Err(e) => {
                    let reason = e.message.clone();
                    return RuleRun {
                        outcome: Outcome::Error,
                        reason: Some(reason),
                        findings: Vec::new(),
                        errors: vec![error(e)],
                    };
                }
            }
        }
        let mut findings = Vec::new();
        let mut errors = Vec::new();
        let mut absent = Vec::new();
        let mut passed = 0usize;
        for a in &rule.assertions {
            let before = ev.steps();
            match ev.eval_truth(&a.node) {
                Ok(t) if t.holds => passed += 1,
                Ok(fast) => {
                    let ex = if slow_renewed {
                        slow.get_or_insert_with(|| {
                            self.evaluator(ix, file, rule, self.step_limit, true)
                        })
                    } else {
                        slow_renewed = true;
                        self.renewed(slow, ix, file, rule, true)
                    };
                    // Some assertions explain themselves in the fast pass: the explaining pass
                    // only counts the steps it would have taken.
                    let explained = if crate::builtins::same_in_both_passes(&a.node)
                        && ex.count_steps(ev.steps().saturating_sub(before))
                    {
                        Ok(fast)
                    } else {
                        ex.eval_truth(&a.node)
                    };
                    let mut instances = match explained {
                        Ok(t) => t.instances,
                        Err(e) => {
                            errors.push(error(e));
                            continue;
                        }
                    };
                    let template = a.message.as_ref().or(rule.message.as_ref());
                    if instances.is_empty() {
                        instances.push(Instance {
                            note: Some(format!("断言不成立：{}", ex.text(a.node.span))),
                            ..Instance::default()
                        });
                    }
                    for mut inst in instances {
                        // An instance without a place of its own (from `或`, `非`) is this
                        // assertion's: the report points at it, not at the rule's header.
                        inst.span.get_or_insert(a.node.span);
                        findings.push(make_finding(ex, file, rule, inst, template));
                    }
                }
                Err(e) if e.kind == ErrorKind::Absent => absent.push(e.into_message()),
                Err(e) => errors.push(error(e)),
            }
        }
        let (outcome, reason) = if !findings.is_empty() {
            (Outcome::Fail, None)
        } else if !errors.is_empty() {
            (Outcome::Error, errors.first().map(|e| e.message.clone()))
        } else if passed > 0 || absent.is_empty() {
            (Outcome::Pass, None)
        } else {
            (Outcome::NotApplicable, absent.first().cloned())
        };
        RuleRun {
            outcome,
            reason,
            findings,
            errors,
        }
    }

    /// Evaluates one expression (already parsed) on a document. Names are tables; there are no
    /// bindings. Errors are diagnostics pointing into the expression's text, which spans refer
    /// to (pass it as `source` for messages that quote the expression).
    pub fn eval_expr(&self, doc: &Document, expr: &Expr) -> Result<Evaluated, Vec<Diagnostic>> {
        self.eval_expr_in(doc, expr, "")
    }

    pub(crate) fn eval_expr_in(
        &self,
        doc: &Document,
        expr: &Expr,
        source: &str,
    ) -> Result<Evaluated, Vec<Diagnostic>> {
        let mut lowerer = Lowerer::new(&self.profiles, &self.roles, source);
        let node = lowerer.lower(expr, 0);
        let slots = lowerer.slots_used();
        if !lowerer.diags.is_empty() {
            return Err(lowerer.diags);
        }
        let ix = DocIndex::with_roles(doc, &self.profiles, &self.roles);
        let mut ev = Evaluator::new(
            &ix,
            &self.catalogue,
            &self.codes,
            source,
            &[],
            &[],
            slots,
            0,
            self.step_limit,
            true,
        );
        let v = ev
            .eval(&node)
            .map_err(|e| vec![diagnostic(e.resolve_help(&ix))])?;
        Ok(evaluated(&ix, &ev, v, node.span))
    }
}

/// An evaluation error as a diagnostic (for `shenhe eval`).
pub fn diagnostic(e: EvalError) -> Diagnostic {
    let code = match e.kind {
        ErrorKind::Absent => "shenhe::eval::absent",
        ErrorKind::NotFound => "shenhe::eval::not_found",
        ErrorKind::Runtime => "shenhe::eval::runtime",
    };
    let e = e.into_data();
    let mut d = Diagnostic::new(code, e.message, e.span).with_label("求值到这里出错");
    d.help = e.help;
    d
}

fn evaluated(ix: &DocIndex<'_>, ev: &Evaluator<'_, '_>, v: Value, span: Span) -> Evaluated {
    let kind = v.describe();
    let num_of = |v: &Value| ev.to_num(v.clone(), span).ok();
    let origins_of = |v: &Value| -> Vec<Origin> {
        match v {
            Value::Num(n) => n.origins.clone(),
            Value::Cell(t, r, c) => vec![Origin::Cell {
                table: *t,
                row: *r,
                column: *c,
            }],
            Value::Row(t, r) => ix
                .row_num(*t, *r)
                .map(|n| n.origins)
                .unwrap_or_else(|_| vec![Origin::Row { table: *t, row: *r }]),
            Value::Table(t) => vec![Origin::Table { table: *t }],
            Value::Section(s) => vec![Origin::Section { section: *s }],
            Value::Text(t) => t.origin.iter().cloned().collect(),
            _ => Vec::new(),
        }
    };
    let printed = match &v {
        Value::Bool(t) => if t.holds { "true" } else { "false" }.to_string(),
        Value::Num(n) => bare(n),
        Value::Cell(..) | Value::Row(..) => match num_of(&v) {
            Some(n) if n.blank => "（空白）".to_string(),
            Some(n) => bare(&n),
            None => finding::display(ix, &v),
        },
        Value::Column(t, c) => ix
            .column_rows(*t, *c)
            .into_iter()
            .map(|r| {
                format!(
                    "{}\t{}",
                    ix.row_label(*t, r),
                    finding::display(ix, &Value::Cell(*t, r, *c))
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Value::List(items) => items
            .iter()
            .map(|i| finding::display(ix, i))
            .collect::<Vec<_>>()
            .join("\n"),
        other => finding::display(ix, other),
    };
    let value = match &v {
        Value::Num(_) | Value::Cell(..) | Value::Row(..) => {
            num_of(&v).map(|n| finding::reported_num(&n))
        }
        _ => None,
    };
    let mut locations: Vec<Location> = origins_of(&v)
        .iter()
        .map(|o| finding::location(ix, "值", o))
        .collect();
    if let Value::Bool(t) = &v {
        for i in &t.instances {
            for (role, o) in &i.evidence {
                locations.push(finding::location(ix, role, o));
            }
        }
    }
    Evaluated {
        printed,
        kind,
        value,
        locations,
    }
}

/// A number as `shenhe eval` prints it: amounts without their unit.
fn bare(n: &crate::num::Num) -> String {
    match &n.kind {
        crate::num::NumKind::Amount(_) | crate::num::NumKind::Plain => n.display_bare(),
        _ => n.display(),
    }
}

fn placeholder(ev: &mut Evaluator<'_, '_>, inst: &Instance, name: &str) -> String {
    let ix = ev.ix;
    if let Some(c) = &inst.compare {
        match name {
            "左" => return finding::display(ix, &c.left),
            "右" => return finding::display(ix, &c.right),
            "差" => {
                return c
                    .difference
                    .as_ref()
                    .map(|d| d.display())
                    .unwrap_or_else(|| "—".into());
            }
            "容差" => return finding::reported_tolerance(&c.tolerance).printed,
            _ => {}
        }
    }
    if let Some((_, v)) = inst.vars.iter().rev().find(|(k, _)| k == name) {
        return match v {
            Value::Row(t, r) if name == "行" => ix.row_label(*t, *r),
            other => finding::display(ix, other),
        };
    }
    match ev.binding_named(name) {
        Some(Ok(v)) => finding::display(ix, &v),
        Some(Err(e)) => format!("（无法计算：{}）", e.message),
        None => "—".into(),
    }
}

fn render(ev: &mut Evaluator<'_, '_>, inst: &Instance, t: &Template) -> String {
    // The literal text, and room for a few placeholders' values.
    let literal: usize = t
        .parts
        .iter()
        .map(|p| match p {
            TemplatePart::Literal(s) => s.len(),
            TemplatePart::Placeholder(_) => 16,
        })
        .sum();
    let mut out = String::with_capacity(literal);
    for part in &t.parts {
        match part {
            TemplatePart::Literal(s) => out.push_str(s),
            TemplatePart::Placeholder(p) => out.push_str(&placeholder(ev, inst, &p.node)),
        }
    }
    out
}

fn default_message(ev: &Evaluator<'_, '_>, inst: &Instance) -> String {
    let ix = ev.ix;
    let mut context = String::new();
    if let Some((_, Value::Row(t, r))) = inst.vars.iter().find(|(k, _)| k == "行") {
        context = [
            ix.table_short(*t).as_str(),
            "「",
            ix.row_label(*t, *r).as_str(),
            "」：",
        ]
        .concat();
    } else if let Some((_, Origin::Text(o))) = inst.evidence.iter().find(|(r, _)| *r == "文本") {
        context = ["「", o.printed.as_str(), "」："].concat();
    }
    let core = match &inst.compare {
        Some(c) => {
            // A side written as an expression is named: `表七.总计`（821.07万元）.
            let named = |v: &Value, k: usize| {
                let shown = finding::display(ix, v);
                match inst.sides.and_then(|s| s.get(k).copied().flatten()) {
                    Some(span) if !ev.text(span).is_empty() && ev.text(span) != shown => {
                        format!("`{}`（{shown}）", ev.text(span))
                    }
                    _ => shown,
                }
            };
            let l = named(&c.left, 0);
            let r = named(&c.right, 1);
            let diff = c
                .difference
                .as_ref()
                .map(|d| ["，相差 ", d.display().as_str()].concat())
                .unwrap_or_default();
            let tol = finding::reported_tolerance(&c.tolerance);
            if inst.negated {
                format!(
                    "{l} {} {r} 成立，但规则要求它不成立",
                    crate::compare::op_symbol(c.op)
                )
            } else {
                match c.op {
                    CompareOp::Eq | CompareOp::StrictEq if c.difference.is_none() => {
                        [l.as_str(), " 与 ", &r, " 不同"].concat()
                    }
                    CompareOp::Eq | CompareOp::StrictEq => [
                        l.as_str(),
                        " 与 ",
                        &r,
                        " 不相等",
                        &diff,
                        "（容差 ",
                        &tol.printed,
                        "）",
                    ]
                    .concat(),
                    CompareOp::Ne => [l.as_str(), " 与 ", &r, " 相等"].concat(),
                    CompareOp::Lt => [l.as_str(), " 不小于 ", &r, &diff].concat(),
                    CompareOp::Le => [l.as_str(), " 大于 ", &r, &diff].concat(),
                    CompareOp::Gt => [l.as_str(), " 不大于 ", &r, &diff].concat(),
                    CompareOp::Ge => [l.as_str(), " 小于 ", &r, &diff].concat(),
                }
            }
        }
        None => match &inst.note {
            Some(n) if inst.negated => format!("{n}，但规则要求相反"),
            Some(n) => n.clone(),
            None => "断言不成立".into(),
        },
    };
    format!("{context}{core}")
}

fn make_finding(
    ev: &mut Evaluator<'_, '_>,
    file: &CompiledFile,
    rule: &CompiledRule,
    inst: Instance,
    template: Option<&Template>,
) -> Finding {
    let ix = ev.ix;
    let message = match template {
        Some(t) => render(ev, &inst, t),
        None => default_message(ev, &inst),
    };
    let mut locations: Vec<Location> = Vec::with_capacity(inst.evidence.len());
    // The evidence each location shows (for the repairs to name their cell's location).
    let mut shown: Vec<&Origin> = Vec::with_capacity(inst.evidence.len());
    // Each (role, place) once: skipped when an earlier piece of evidence is the same. A few
    // pieces (the usual case) are compared with those before; many (a list of thousands of
    // parts) by a key, so that the work stays linear.
    let mut seen: Option<HashSet<(&str, OriginKey)>> =
        (inst.evidence.len() > 32).then(HashSet::new);
    for (k, (role, o)) in inst.evidence.iter().enumerate() {
        let repeated = match seen.as_mut() {
            Some(seen) => !seen.insert((role, origin_key(o))),
            None => inst
                .evidence
                .get(..k)
                .unwrap_or(&[])
                .iter()
                .any(|(r, x)| r == role && x == o),
        };
        if repeated {
            continue;
        }
        locations.push(finding::location(ix, role, o));
        shown.push(o);
    }
    let repairs = inst.compare.as_ref().map_or_else(Vec::new, |c| {
        crate::causes::repairs(ix, c, &inst.evidence, inst.negated, |cell| {
            shown.iter().position(|o| *o == cell)
        })
    });
    Finding {
        rule_id: rule.id.clone(),
        title: rule.title.clone(),
        severity: rule.severity.into(),
        category: rule.category.clone(),
        basis: rule.basis.clone(),
        message,
        values: inst
            .compare
            .as_ref()
            .map(|c| finding::reported_values(ix, c)),
        note: inst.note.clone(),
        locations,
        rule_span: rule_span(file, inst.span.unwrap_or(rule.span)),
        // Filled in by `Report::new`, once the document's findings are in order.
        fingerprint: String::new(),
        waiver: None,
        repairs,
    }
}

/// What tells one place from another: the fields of a table place, or where a text place
/// stands in the document's source (its byte range and section).
type OriginKey = (u8, u32, u32, u32);

fn origin_key(o: &Origin) -> OriginKey {
    match o {
        Origin::Cell { table, row, column } => (0, *table, *row, *column),
        Origin::Row { table, row } => (1, *table, *row, 0),
        Origin::RowCode { table, row } => (2, *table, *row, 0),
        Origin::Table { table } => (3, *table, 0, 0),
        Origin::Text(t) => (4, t.loc.offset, t.loc.len, t.section),
        Origin::Section { section } => (5, *section, 0, 0),
        Origin::Preparer { table } => (6, *table, 0, 0),
        Origin::UnitName => (7, 0, 0, 0),
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;
    use shenhe_model::{
        Cell, CellValue, Column, ColumnKind, Document, Row, RowKind, Table, TableNumber,
    };

    use crate::Engine;
    use crate::docindex::DocIndex;
    use crate::testkit::{column, table};

    /// `合计行` / `合计列` over tables named directly: the fast pass gives what the explaining
    /// pass gives, evidence and step count included, so a failure is not evaluated twice.
    #[test]
    fn totals_explain_themselves_in_the_fast_pass() {
        let mut doc = Document::new("例.txt", "text");
        let row = |label: &str, v: i64, kind: RowKind| {
            crate::testkit::row(label, kind, &[v, v, v * 2 + 10])
        };
        doc.tables.push(table(
            "表三",
            3,
            "部门支出总体情况表",
            vec![
                column(&["科目名称"], ColumnKind::Label),
                column(&["基本支出"], ColumnKind::Amount),
                column(&["项目支出"], ColumnKind::Amount),
                column(&["合计"], ColumnKind::Amount),
            ],
            vec![
                row("工资福利支出", 100, RowKind::Item),
                row("商品和服务支出", 250, RowKind::Item),
                row("合计", 400, RowKind::Total),
            ],
        ));
        let rs = Engine::new()
            .compile(&[(
                "例.rule",
                "语言 1\n规则 T-001 \"t\" {\n  断言 合计行(各表())\n  断言 合计列(表三, \"部门支出\")\n  断言 合计行(表三) 且 真\n}\n",
            )])
            .unwrap();
        let ix = DocIndex::with_roles(&doc, &rs.profiles, &rs.roles);
        let (file, rule) = (&rs.files[0], &rs.rules[0]);
        let new = |explain| rs.evaluator(&ix, file, rule, u64::MAX, explain);
        let same: Vec<bool> = rule
            .assertions
            .iter()
            .map(|a| crate::builtins::same_in_both_passes(&a.node))
            .collect();
        assert_eq!(same, [true, true, false]);
        for a in &rule.assertions[..2] {
            let (mut fast, mut slow) = (new(false), new(true));
            let f = fast.eval_truth(&a.node).unwrap();
            let s = slow.eval_truth(&a.node).unwrap();
            assert!(!f.holds);
            assert!(!f.instances.is_empty());
            assert_eq!(f, s);
            assert_eq!(fast.steps(), slow.steps());
        }
        let report = rs.check(&doc);
        assert_eq!(report.findings.len(), 5, "{:#?}", report.findings);
    }

    #[test]
    fn errors_of_rules_carry_did_you_mean_suggestions() {
        let mut doc = Document::new("例.txt", "text");
        doc.tables.push(Table {
            number: Some(TableNumber {
                printed: "表三".into(),
                ordinal: 3,
            }),
            title: "部门支出总体情况表".into(),
            columns: vec![
                Column {
                    path: vec!["科目名称".into()],
                    kind: ColumnKind::Label,
                    ..Column::default()
                },
                Column {
                    path: vec!["基本支出".into()],
                    kind: ColumnKind::Amount,
                    ..Column::default()
                },
            ],
            rows: vec![Row {
                label: "总计".into(),
                kind: RowKind::Total,
                cells: vec![Cell {
                    column: 1,
                    value: CellValue::Number(Decimal::new(100, 2)),
                    ..Cell::default()
                }],
                ..Row::default()
            }],
            ..Table::default()
        });
        let rules = Engine::new()
            .compile(&[(
                "例.rule",
                "语言 1\n规则 LI-001 \"t\" {\n  断言 表三.总计.基本支岀 == 1\n}\n规则 LI-002 \"t\" {\n  断言 存在(表三.总计.基本支岀) 或 真\n}\n",
            )])
            .unwrap();
        let report = rules.check(&doc);
        assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
        assert_eq!(report.errors[0].rule_id, "LI-001");
        assert_eq!(
            report.errors[0].help.as_deref(),
            Some("是不是 `基本支出`？")
        );
    }
}
