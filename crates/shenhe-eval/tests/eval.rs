//! The evaluator's integration tests (one harness): values and intervals, references,
//! built-ins, patterns, comparisons, outcomes and findings, diagnostics, limits, the report's
//! JSON, and every example of docs/language/.

// Test code: helpers outside `#[test]` functions may panic on bad fixtures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

#[path = "support/sample.rs"]
mod sample;

use shenhe_eval::{Engine, Outcome, Report, RuleSet};
use shenhe_model::Document;

fn engine() -> Engine {
    Engine::new()
}

/// Evaluates `expr` on the sample document and returns what `shenhe eval` would print.
fn ev(expr: &str) -> String {
    let doc = sample::seed();
    match engine().eval_str(&doc, expr) {
        Ok(v) => v.printed,
        Err(d) => panic!("`{expr}` failed: {d:?}"),
    }
}

/// The diagnostics `expr` gives on the sample document.
fn ev_err(expr: &str) -> Vec<shenhe_eval::Diagnostic> {
    let doc = sample::seed();
    match engine().eval_str(&doc, expr) {
        Ok(v) => panic!("`{expr}` unexpectedly gave {}", v.printed),
        Err(d) => d,
    }
}

fn rules(src: &str) -> RuleSet {
    match engine().compile(&[("测试.rule", src)]) {
        Ok(r) => r,
        Err(e) => panic!("rules do not compile: {:#?}", e[0].diagnostics),
    }
}

fn check(src: &str, doc: &Document) -> Report {
    rules(src).check(doc)
}

fn rule(body: &str) -> String {
    format!("语言 1\n规则 T-001 \"测试\" {{\n{body}\n}}\n")
}

mod acceptance {
    use super::*;

    #[test]
    fn the_four_values_of_the_issue() {
        assert_eq!(ev("sum(表三.基本支出) == 表七.总计"), "true");
        assert_eq!(ev("表三.总计.基本支出"), "821.07");
        assert_eq!(ev("表六[\"2010104\"].项目支出"), "30.00");
        assert_eq!(ev("表八.总计.培训费"), "36.00");
    }

    #[test]
    fn tables_by_number_role_and_title() {
        assert_eq!(ev("表3.总计.支出合计"), "990.07");
        assert_eq!(ev("基本支出表.总计"), "821.07");
        assert_eq!(ev("一般公共预算基本支出表.总计"), "821.07");
        assert_eq!(ev("表格(\"基本支出情况\").总计.人员经费"), "714.75");
        assert_eq!(ev("整体绩效目标表.合计"), "721.07");
    }
}

mod values {
    use super::*;
    use shenhe_model::{Table, Unit};

    fn one_table(spec: &str) -> Document {
        let mut doc = Document::new("t.txt", "text");
        doc.tables.push(sample::table(spec, 10));
        doc
    }

    #[test]
    fn three_rounded_addends_meet_their_total() {
        // Each addend stands for ±0.005, so their sum for ±0.015.
        let doc =
            one_table("表一|测试表|万元\n项目:label|金额\n=合计|1.00\n甲|0.33\n乙|0.33\n丙|0.34\n");
        let r = check(&rule("断言 表一.合计.金额 == sum(表一.金额)"), &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Pass));
        let doc =
            one_table("表一|测试表|万元\n项目:label|金额\n=合计|1.00\n甲|0.33\n乙|0.33\n丙|0.33\n");
        let r = check(&rule("断言 表一.合计.金额 == sum(表一.金额)"), &doc);
        assert_eq!(
            r.outcome("T-001"),
            Some(Outcome::Pass),
            "0.99 ± 0.015 reaches 1.00 ± 0.005"
        );
        let doc =
            one_table("表一|测试表|万元\n项目:label|金额\n=合计|1.00\n甲|0.32\n乙|0.32\n丙|0.33\n");
        let r = check(&rule("断言 表一.合计.金额 == sum(表一.金额)"), &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Fail));
        let v = r.findings[0].values.as_ref().unwrap();
        assert_eq!(v.left.printed, "1.00万元");
        assert_eq!(v.left.low.as_deref(), Some("0.995"));
        assert_eq!(v.left.high.as_deref(), Some("1.005"));
        assert_eq!(v.right.printed, "0.97万元");
        assert_eq!(v.right.low.as_deref(), Some("0.955"));
        assert_eq!(v.right.high.as_deref(), Some("0.985"));
        assert_eq!(v.difference.as_ref().unwrap().printed, "0.03万元");
        assert_eq!(v.tolerance.kind, "rounding");
        assert_eq!(v.tolerance.printed, "±0.02万元");
        assert!(
            v.tolerance.source.contains("左 ±0.005万元，右 ±0.015万元"),
            "{}",
            v.tolerance.source
        );
        // Strictly, 0.99 is not 1.00; with an explicit tolerance it may be.
        let doc =
            one_table("表一|测试表|万元\n项目:label|金额\n=合计|1.00\n甲|0.33\n乙|0.33\n丙|0.33\n");
        let r = check(&rule("断言 表一.合计.金额 === sum(表一.金额)"), &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Fail));
        assert_eq!(
            r.findings[0].values.as_ref().unwrap().tolerance.kind,
            "strict"
        );
        let r = check(
            &rule("断言 表一.合计.金额 == sum(表一.金额) ± 0.01万元"),
            &doc,
        );
        assert_eq!(r.outcome("T-001"), Some(Outcome::Pass));
        let r = check(
            &rule("断言 表一.合计.金额 == sum(表一.金额) ± 0.005万元"),
            &doc,
        );
        assert_eq!(r.outcome("T-001"), Some(Outcome::Fail));
        assert_eq!(
            r.findings[0].values.as_ref().unwrap().tolerance.kind,
            "absolute"
        );
        let r = check(&rule("断言 表一.合计.金额 == sum(表一.金额) ± 1%"), &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Pass));
        let r = check(&rule("断言 表一.合计.金额 == sum(表一.金额) ± 0.5%"), &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Fail));
        assert_eq!(
            r.findings[0].values.as_ref().unwrap().tolerance.kind,
            "relative"
        );
    }

    #[test]
    fn tolerance_in_a_finer_unit_than_the_sides() {
        let doc = one_table("表一|测试表|万元\n项目:label|金额\n甲|1.00\n乙|1.01\n");
        // 0.01 万元 = 100 元.
        let r = check(&rule("断言 表一.甲 == 表一.乙 ± 100元"), &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Pass));
        let r = check(&rule("断言 表一.甲 == 表一.乙 ± 99元"), &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Fail));
    }

    #[test]
    fn units_are_rescaled_exactly() {
        let mut doc = one_table("表一|以万元计|万元\n项目:label|金额\n甲|1.50\n");
        let mut t = sample::table(
            "表二|以元计|元\n项目:label|金额\n甲|15000\n乙|15049\n丙|15051\n",
            30,
        );
        t.unit = Some(Unit::Yuan);
        doc.tables.push(t);
        assert_eq!(eval_on(&doc, "表一.甲 === 表二.甲"), "true");
        // 1.50 万元 stands for [14950, 15050] 元.
        assert_eq!(eval_on(&doc, "表一.甲 == 表二.乙"), "true");
        assert_eq!(eval_on(&doc, "表一.甲 == 表二.丙"), "false");
        assert_eq!(eval_on(&doc, "表一.甲 + 表二.甲"), "30000");
        assert_eq!(eval_on(&doc, "表一.甲 == 1.5万元"), "true");
        assert_eq!(eval_on(&doc, "表一.甲 == 15000元"), "true");
        assert_eq!(eval_on(&doc, "3亿元 == 30000万元"), "true");
        assert_eq!(eval_on(&doc, "3亿元 === 300000000元"), "true");
    }

    fn eval_on(doc: &Document, expr: &str) -> String {
        match engine().eval_str(doc, expr) {
            Ok(v) => v.printed,
            Err(d) => panic!("`{expr}`: {d:?}"),
        }
    }

    #[test]
    fn blank_is_zero_but_not_a_printed_zero() {
        let doc = one_table("表一|测试表|万元\n项目:label|甲|乙\n一|0.00|\n二|1.00|2.00\n");
        assert_eq!(eval_on(&doc, "表一.一.乙 + 1"), "1");
        assert_eq!(eval_on(&doc, "表一.一.乙 === 0"), "true");
        assert_eq!(eval_on(&doc, "空白(表一.一.乙)"), "true");
        assert_eq!(eval_on(&doc, "空白(表一.一.甲)"), "false");
        assert_eq!(eval_on(&doc, "表一.一.甲 === 表一.一.乙"), "true");
        assert_eq!(eval_on(&doc, "表一.一.乙"), "（空白）");
        assert_eq!(eval_on(&doc, "sum(表一.乙)"), "2.00");
        assert_eq!(eval_on(&doc, "count(表一.乙)"), "1");
        assert_eq!(eval_on(&doc, "count(表一.甲)"), "2");
    }

    #[test]
    fn percentages_and_shares() {
        assert_eq!(ev("占比(表三.总计.基本支出, 表三.总计.支出合计)"), "82.93%");
        assert_eq!(
            ev("占比(表三.总计.基本支出, 表三.总计.支出合计) == 82.93%"),
            "true"
        );
        assert_eq!(
            ev("占比(表三.总计.基本支出, 表三.总计.支出合计) == 82.9%"),
            "false"
        );
        assert_eq!(ev("增幅(821.07万元, 1019.67万元)"), "-19.48%");
        assert_eq!(
            ev("增幅(表三.总计.基本支出, 表三.总计.基本支出 + 198.6万元) == -24.19%"),
            "false"
        );
        assert_eq!(ev("82.93% + 17.07%"), "100.00%");
    }

    #[test]
    fn inequalities_fail_only_when_certain() {
        // 1.00 (±0.005) <= 0.996 can hold; <= 0.99 cannot.
        let doc = one_table("表一|测试表|万元\n项目:label|金额\n甲|1.00\n");
        assert_eq!(eval_on(&doc, "表一.甲 <= 0.996"), "true");
        assert_eq!(eval_on(&doc, "表一.甲 <= 0.995"), "true");
        assert_eq!(eval_on(&doc, "表一.甲 <= 0.99"), "false");
        assert_eq!(eval_on(&doc, "表一.甲 < 0.995"), "false");
        assert_eq!(eval_on(&doc, "表一.甲 >= 1.004"), "true");
        assert_eq!(eval_on(&doc, "表一.甲 > 1.005"), "false");
        assert_eq!(eval_on(&doc, "表一.甲 != 1.004"), "false");
        assert_eq!(eval_on(&doc, "表一.甲 != 1.006"), "true");
        assert_eq!(eval_on(&doc, "表一.甲 <= 0.99 ± 0.01"), "true");
    }

    #[test]
    fn arithmetic_errors_are_errors_of_their_rule_only() {
        let doc = one_table(
            "表一|测试表|万元\n项目:label|金额\n甲|0.00\n乙|79228162514264337593543950335\n",
        );
        let src = "语言 1\n\
            规则 T-001 \"除以零\" {\n  断言 表一.乙 / 表一.甲 > 0\n}\n\
            规则 T-002 \"溢出\" {\n  断言 表一.乙 + 表一.乙 > 0\n}\n\
            规则 T-003 \"乘法溢出\" {\n  断言 表一.乙 * 2 > 0\n}\n\
            规则 T-004 \"照常\" {\n  断言 表一.甲 == 0\n}\n";
        let r = check(src, &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Error));
        assert_eq!(r.outcome("T-002"), Some(Outcome::Error));
        assert_eq!(r.outcome("T-003"), Some(Outcome::Error));
        assert_eq!(r.outcome("T-004"), Some(Outcome::Pass));
        assert_eq!(r.errors.len(), 3);
        assert_eq!(r.errors[0].message, "除数为零");
        assert_eq!(r.errors[0].expression, "表一.乙 / 表一.甲");
        assert_eq!(r.errors[0].rule_span.line, 3);
        assert!(r.errors[1].message.contains("溢出"));
        assert_eq!(r.counts.error, 3);
        assert!(!r.has_error_findings());
        let _unused: Option<Table> = None;
    }
}

mod references {
    use super::*;

    #[test]
    fn column_over_detail_rows_else_row() {
        // A column over the leaves: 697.07 + 81.36 + 33.97 + 7.64 + 1.03.
        assert_eq!(ev("sum(表三.基本支出)"), "821.07");
        assert_eq!(ev("count(表三.支出合计)"), "9");
        // A row: its first amount.
        assert_eq!(ev("表三.人大事务"), "866.07");
        assert_eq!(ev("表三.人大会议.基本支出"), "（空白）");
        assert_eq!(ev("表三[\"人大会议\"][\"项目支出\"]"), "30.00");
        assert_eq!(ev("表三.项目支出[\"人大会议\"]"), "30.00");
        assert_eq!(ev("表三.项目支出.人大会议"), "30.00");
        assert_eq!(ev("表六[\"201\"].合计"), "866.07");
        assert_eq!(ev("表六[2010104].项目支出"), "30.00");
    }

    #[test]
    fn headers_and_sides() {
        assert_eq!(ev("表六.一般公共预算支出.合计[\"208\"]"), "81.36");
        assert_eq!(ev("表八.三公经费.合计[\"总计\"]"), "8.00");
        assert_eq!(ev("表八[\"“三公”经费\"].合计.总计"), "8.00");
        assert_eq!(
            ev("表八.公务用车购置和运行费.公务用车运行费[\"总计\"]"),
            "3.00"
        );
        // Two-sided table: each side's own 预算数.
        assert_eq!(ev("表一.收入总计"), "990.07");
        assert_eq!(ev("表一.支出总计.预算数"), "990.07");
        assert_eq!(ev("表一.收入.预算数[\"收入总计\"]"), "990.07");
        assert_eq!(ev("sum(表一.支出.预算数)"), "990.07");
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(ev("表一.一般公共预算财政拨款收入"), "990.07");
        assert_eq!(ev("表一[\"一、一般公共预算财政拨款收入\"]"), "990.07");
        assert_eq!(ev("表八.总计[\"因公出国(境)费用\"]"), "（空白）");
        assert_eq!(ev("表八.总计[\"“三公”经费.公务接待费\"]"), "5.00");
        assert_eq!(ev("表八.总计[\"三公经费/公务接待费\"]"), "5.00");
    }

    #[test]
    fn unknown_columns_and_rows_say_what_exists() {
        let d = ev_err("表三.总计.基本支岀");
        assert_eq!(d[0].code, "shenhe::eval::not_found");
        assert!(
            d[0].message.contains("没有名为 `基本支岀` 的列"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].help.as_deref(), Some("是不是 `基本支出`？"));
        // The span points at the failing part of the expression.
        assert_eq!(
            (d[0].span.start, d[0].span.end),
            (0, "表三.总计.基本支岀".len() as u32)
        );
        let d = ev_err("表三.人大会");
        assert!(
            d[0].help.as_deref().unwrap().contains("人大会议"),
            "{:?}",
            d[0].help
        );
        let d = ev_err("表十二.总计");
        assert_eq!(d[0].code, "shenhe::eval::absent");
        assert_eq!(d[0].message, "文档中没有 `表十二`");
        let d = ev_err("表三.基本支出 + 1");
        assert!(d[0].message.contains("是一整列"), "{}", d[0].message);
        assert_eq!(
            d[0].help.as_deref(),
            Some("求和请写 `sum(表三.基本支出)`；要某一行请写 `表三.基本支出.行名`")
        );
        assert_eq!(ev("表八.合计.总计"), "8.00");
    }

    #[test]
    fn ambiguous_names_are_errors_not_guesses() {
        let mut doc = sample::seed();
        doc.tables.push(sample::table("表五|财政拨款支出表|万元\n单位名称:label|一般公共预算支出/合计|政府性基金预算支出/合计\n=总计|990.07|\n本级|990.07|\n本级|990.07|\n", 700));
        let e = engine().eval_str(&doc, "表五.合计").unwrap_err();
        assert!(
            e[0].message.contains("名为 `合计` 的列有 2 个"),
            "{}",
            e[0].message
        );
        let e = engine().eval_str(&doc, "表五.本级").unwrap_err();
        assert!(
            e[0].message
                .contains("名为 `本级` 的行有 2 行（第 2 行、第 3 行）"),
            "{}",
            e[0].message
        );
        assert_eq!(
            engine()
                .eval_str(&doc, "表五.一般公共预算支出.合计[\"总计\"]")
                .unwrap()
                .printed,
            "990.07"
        );
    }
}
