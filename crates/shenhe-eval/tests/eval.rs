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
        // The span points at the name that is not there.
        let at = "表三.总计.".len() as u32;
        assert_eq!(
            (d[0].span.start, d[0].span.end),
            (at, at + "基本支岀".len() as u32)
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

mod builtins {
    use super::*;

    #[test]
    fn aggregates() {
        assert_eq!(ev("sum(表七.人员经费, 表七.公用经费)"), "821.07");
        assert_eq!(ev("求和(1, 2, 3.5)"), "6.5");
        assert_eq!(ev("sum(子级(表六[\"20101\"]).合计)"), "866.07");
        assert_eq!(ev("count(子级(表六[\"20101\"]))"), "5");
        assert_eq!(ev("计数(表七)"), "19");
        assert_eq!(ev("max(表三.支出合计)"), "697.07");
        assert_eq!(ev("min(表三.支出合计)"), "1.03");
        assert_eq!(ev("最大(1万元, 9000元)"), "10000");
        assert_eq!(ev("min(1万元, 9000元)"), "9000");
    }

    #[test]
    fn math_and_ratios() {
        assert_eq!(ev("abs(表三.总计.基本支出 - 表三.总计.支出合计)"), "169.00");
        assert_eq!(ev("绝对值(-3)"), "3");
        assert_eq!(ev("round(2.345, 2)"), "2.35");
        assert_eq!(ev("舍入(表三.总计.基本支出, 0)"), "821");
        assert_eq!(
            ev("share(表三.总计.项目支出, 表三.总计.支出合计)"),
            "17.07%"
        );
        assert_eq!(ev("growth(112.54万元, 112.54万元 - 34.01万元)"), "43.31%");
        let d = ev_err("round(1, 1.5)");
        assert!(d[0].message.contains("小数位数"), "{}", d[0].message);
        let d = ev_err("占比(1万元, 表三.总计.上年结转)");
        assert_eq!(d[0].message, "除数为零");
    }

    #[test]
    fn presence() {
        assert_eq!(ev("exists(表三)"), "true");
        assert_eq!(ev("存在(表十二)"), "false");
        assert_eq!(ev("存在(表三.上年结转)"), "true");
        assert_eq!(ev("存在(表三.不存在的列)"), "false");
        assert_eq!(ev("存在(章节(\"三公\"))"), "true");
        assert_eq!(ev("存在(章节(\"政府采购\"))"), "false");
        assert_eq!(ev("存在(\"机关运行经费{金额}\")"), "true");
        assert_eq!(ev("存在(\"政府采购{…}{金额}\")"), "false");
        assert_eq!(ev("empty(表十)"), "true");
        assert_eq!(ev("为空(表三)"), "false");
        assert_eq!(ev("为空(表三.上年结转)"), "true");
        assert_eq!(ev("为空(表三.基本支出)"), "false");
        assert_eq!(ev("blank(表三.总计.上年结转)"), "true");
        assert_eq!(ev("空白(表三.总计.基本支出)"), "false");
        let d = ev_err("空白(表三)");
        assert!(
            d[0].message.contains("blank 判断单元格"),
            "{}",
            d[0].message
        );
    }

    /// Numbered items (`一、` over `（一）`) roll up like codes. `其中` rows alone under an item
    /// are parts of it, not a breakdown: not checked. A `其中` row followed by siblings opens
    /// the breakdown and is added with them.
    #[test]
    fn rollup_adds_numbered_items_but_not_parts() {
        let spec = "
            表四|财政拨款收支总体情况表|万元
            项目:label|预算数
            一、本年收入|100.00
            .（一）一般公共预算财政拨款|90.00
            ..其中：上级补助|20.00
            .（二）政府性基金预算财政拨款|10.00
            二、其他收入|50.00
            .其中：捐赠收入|5.00
            三、年度资金总额|30.00
            .其中：当年财政拨款|20.00
            .上年结转资金|
            .其他资金|10.00
            =收入总计|180.00
        ";
        let mut doc = sample::seed();
        doc.tables.push(sample::table(spec, 900));
        let rule = rule("类别 表内\n断言 层级合计(表四)\n消息 \"「{行}」{左}，下级合计 {右}\"");
        let r = check(&rule, &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Pass), "{:?}", r.findings);
        // 一、本年收入 against （一） + （二） = 95.00: broken; the 其中 rows still not added.
        let mut doc = sample::seed();
        doc.tables.push(sample::table(
            &spec.replace(
                "政府性基金预算财政拨款|10.00",
                "政府性基金预算财政拨款|5.00",
            ),
            900,
        ));
        let r = check(&rule, &doc);
        let messages: Vec<&str> = r.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages, ["「一、本年收入」100.00万元，下级合计 95.00万元"]);
        // 20.00 + 10.00 against 30.00 holds; with 其他资金 at 5.00 it no longer does.
        let mut doc = sample::seed();
        doc.tables.push(sample::table(
            &spec.replace("其他资金|10.00", "其他资金|5.00"),
            900,
        ));
        let r = check(&rule, &doc);
        let messages: Vec<&str> = r.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            ["「三、年度资金总额」30.00万元，下级合计 25.00万元"]
        );
    }

    /// A place is listed once per role however often the finding's evidence names it, with a
    /// few places (compared one by one) and with many (compared by a key).
    #[test]
    fn a_finding_lists_each_place_once() {
        let doc = sample::seed();
        let places = |body: &str| -> Vec<(String, String)> {
            let r = check(&rule(body), &doc);
            let f = r.findings.first().expect("a finding");
            f.locations
                .iter()
                .map(|l| (l.role.to_string(), format!("{:?}{:?}", l.row, l.column)))
                .collect()
        };
        for column in ["表三.基本支出", "表七.合计"] {
            let once = places(&format!("断言 sum({column}) == 0"));
            let twice = places(&format!("断言 sum({column}) + sum({column}) == 0"));
            assert_eq!(once, twice, "{column}");
        }
        // 表七's column has more than 16 cells: summed twice, more than 32 pieces of evidence,
        // so the keyed path was taken.
        let n = places("断言 sum(表七.合计) == 0").len();
        assert!(n > 16, "{n}");
    }

    /// A table of one level (numbered items without sub-items, or items whose only children
    /// are `其中` parts) has no parent to check: the rule does not apply, with the reason.
    #[test]
    fn rollup_of_a_table_without_parents_does_not_apply() {
        let spec = "
            表四|财政拨款收支总体情况表|万元
            项目:label|预算数
            一、本年收入|100.00
            二、其他收入|50.00
            .其中：捐赠收入|5.00
            =收入总计|150.00
        ";
        let mut doc = sample::seed();
        doc.tables.push(sample::table(spec, 900));
        let rule = rule("类别 表内\n断言 层级合计(表四)\n消息 \"「{行}」{左}，下级合计 {右}\"");
        let r = check(&rule, &doc);
        assert_eq!(
            r.outcome("T-001"),
            Some(Outcome::NotApplicable),
            "{:?}",
            r.findings
        );
        let reason = r.outcomes.iter().find_map(|o| o.reason.clone());
        assert_eq!(reason.as_deref(), Some("表中没有可核对的上级行与下级行"));
    }

    #[test]
    fn rollup_holds_on_the_seed_and_names_each_broken_parent() {
        assert_eq!(ev("rollup(表六)"), "true");
        assert_eq!(ev("层级合计(表七)"), "true");
        assert_eq!(ev("层级合计(表三, \"基本支出\")"), "true");
        // A list of tables is checked table by table; columns go with one table only.
        assert_eq!(ev("层级合计(各表(表六, 表七))"), "true");
        let d = ev_err("层级合计(各表(表六), \"基本支出\")");
        assert!(d[0].message.contains("只能核对一张表"), "{}", d[0].message);
        // Break 人大事务 (20101) and 卫生健康支出 (210).
        // 42.65 against 42.64 would still hold: [42.645, 42.655] touches [42.635, 42.645].
        let mut doc = sample::seed();
        let spec = sample::TABLE_6
            .replace(
                ".人大事务#20101|866.07|697.07|169.00",
                ".人大事务#20101|866.07|697.07|170.00",
            )
            .replace(
                "卫生健康支出#210|42.64|42.64|",
                "卫生健康支出#210|42.66|42.64|",
            );
        doc.tables[2] = sample::table(&spec, 500);
        let r = check(
            &rule(
                "类别 表内\n断言 层级合计(表六)\n消息 \"{表}「{行}」{左}，下级合计 {右}，相差 {差}\"",
            ),
            &doc,
        );
        assert_eq!(r.outcome("T-001"), Some(Outcome::Fail));
        // 20101 is broken in 项目支出 (170.00 vs 169.00); 201 too, against its child 20101 in
        // 项目支出? No: 201 = 169.00 and its only child 20101 now says 170.00, so 201 is broken.
        let rows: Vec<&str> = r
            .findings
            .iter()
            .map(|f| f.locations[0].row.as_deref().unwrap())
            .collect();
        assert_eq!(rows, vec!["一般公共服务支出", "人大事务", "卫生健康支出"]);
        let f = &r.findings[1];
        assert_eq!(
            f.message,
            "表六 一般公共预算支出情况表「人大事务」170.00万元，下级合计 169.00万元，相差 1.00万元"
        );
        assert_eq!(f.locations[0].role, "上级");
        assert_eq!(
            f.locations[0].column.as_deref(),
            Some("一般公共预算支出.项目支出")
        );
        assert_eq!(f.locations[0].value.as_deref(), Some("170.00"));
        // The parent and its five children.
        assert_eq!(f.locations.len(), 6);
        assert!(f.locations[1..].iter().all(|l| l.role == "下级"));
        assert_eq!(f.locations[0].loc.unwrap().line, 504);
        let g = &r.findings[2];
        assert!(
            g.note
                .as_deref()
                .unwrap()
                .contains("`卫生健康支出` 的 `一般公共预算支出.合计` 为 42.66万元"),
            "{:?}",
            g.note
        );
    }

    #[test]
    fn a_section_with_text_wins_over_a_contents_entry() {
        // A table of contents read as headings: an entry with the same title and no text
        // stands before the section itself.
        let mut doc = sample::seed();
        let real = doc
            .sections
            .iter()
            .find(|s| s.title.contains("三公"))
            .unwrap()
            .clone();
        let mut entry = real.clone();
        entry.title.push_str("……8");
        entry.paragraphs.clear();
        entry.children.clear();
        doc.sections.insert(0, entry);
        let eval = |doc: &Document, expr: &str| engine().eval_str(doc, expr).unwrap().printed;
        let printed = ev("章节(\"三公\")");
        assert_eq!(eval(&doc, "章节(\"三公\")"), printed);
        assert_eq!(eval(&doc, "包含(章节(\"三公\"), \"与上年无变化\")"), "true");
        // With no section that has text, the first that matches.
        for s in &mut doc.sections {
            s.paragraphs.clear();
            s.children.clear();
        }
        assert!(eval(&doc, "章节(\"三公\")").ends_with("……8"));
    }

    #[test]
    fn narrative() {
        assert_eq!(ev("章节(\"支出预算\")"), "（二）支出预算");
        assert_eq!(
            ev("section(\"三公\")"),
            "五、部门一般公共预算财政拨款“三公”经费、培训费、会议费等情况"
        );
        assert_eq!(ev("包含(章节(\"三公\"), \"与上年无变化\")"), "true");
        assert_eq!(ev("contains(章节(\"三公\"), \"与上年 无变化\")"), "true");
        assert_eq!(ev("contains(章节(\"支出预算\"), \"三公\")"), "false");
        assert_eq!(
            ev("附注(表十)"),
            "备注：本部门无政府性基金预算支出，本表为空表。"
        );
        assert_eq!(ev("包含(表十, \"空表\")"), "true");
        assert_eq!(ev("contains(notes(表十), \"空表\")"), "true");
        // 990.07, 990.07, 821.07, 169, 0; 821.07, 198.6; 8, 5, 0; 112.54, 34.01 (over a line break).
        assert_eq!(ev("匹配数(\"{金额}\")"), "12");
        assert_eq!(ev("matches(\"占{百分比}\", 章节(\"支出预算\"))"), "3");
        assert!(ev("文本(章节(\"基本支出\"))").contains("下降 24.19%"));
        let d = ev_err("章节(\"政府采购\")");
        assert_eq!(d[0].code, "shenhe::eval::absent");
    }

    #[test]
    fn document_facts() {
        assert_eq!(ev("year()"), "2024");
        assert_eq!(ev("年度() == 2024"), "true");
        assert_eq!(ev("类型()"), "部门预算");
        assert_eq!(ev("kind() == \"部门预算\""), "true");
        assert_eq!(ev("单位(表三)"), "万元");
        assert_eq!(ev("unit(表三) == \"万元\""), "true");
    }

    #[test]
    fn signs_and_directions() {
        assert_eq!(ev("方向(表三.总计.基本支出 - 1000万元)"), "减少");
        assert_eq!(ev("sign(1)"), "增加");
        assert_eq!(ev("sign(0.00)"), "持平");
        // Direction words compare by meaning.
        assert_eq!(ev("方向(-1) == \"下降\""), "true");
        assert_eq!(ev("方向(0) == \"无变化\""), "true");
        assert_eq!(ev("方向(1) == \"减少\""), "false");
    }

    #[test]
    fn rows_and_the_catalogue() {
        assert_eq!(ev("层级(表六[\"2010104\"])"), "项");
        assert_eq!(ev("level(表六[\"201\"])"), "类");
        assert_eq!(ev("父级(表六[\"2010104\"])"), "866.07");
        assert_eq!(ev("名称(父级(表六[\"2010104\"]))"), "人大事务");
        assert_eq!(ev("编码(表六.人大会议)"), "2010104");
        assert_eq!(
            ev("name(表三[\"2080505\"])"),
            "机关事业单位基本养老保险缴费支出"
        );
        assert_eq!(ev("目录名称(表六[\"210\"])"), "卫生健康支出");
        assert_eq!(ev("目录名称(\"210\") == 名称(表六[\"210\"])"), "true");
        // 表七 prints 工作福利支出 for 301; the catalogue says 工资福利支出.
        assert_eq!(
            ev("目录名称(表七[\"301\"]) == 名称(表七[\"301\"])"),
            "false"
        );
        let d = ev_err("父级(表六[\"201\"])");
        assert_eq!(d[0].code, "shenhe::eval::not_found");
        assert_eq!(ev("存在(父级(表六[\"201\"]))"), "false");
        assert_eq!(ev("存在(目录名称(\"2999999\"))"), "false");
    }
}

mod patterns {
    use super::*;

    #[test]
    fn every_match_is_an_instance_with_its_location() {
        let doc = sample::seed();
        let src = rule(
            "类别 文表\n\
             断言 每处 \"{名:词}支出{金额:金额}，占{比:百分比}\" 于 章节(\"支出预算\"): \
             比 == 占比(金额, 表三.总计.支出合计)\n\
             消息 \"{名}支出占比写作 {比}，按 {金额} 计算应为 {右}\"",
        );
        let r = check(&src, &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Pass), "{:#?}", r.findings);
        // 169 万元 of 990.07 is 17.07 %: make the text say 17.17 %.
        let mut doc = sample::seed();
        let p = &mut doc.sections[0].children[0].paragraphs[1];
        p.text = p.text.replace("17.07%", "17.17%");
        let r = check(&src, &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Fail));
        assert_eq!(r.findings.len(), 1);
        let f = &r.findings[0];
        assert_eq!(
            f.message,
            "项目支出占比写作 17.17%，按 169万元 计算应为 17.07%"
        );
        assert_eq!(f.locations[0].role, "文本");
        assert_eq!(
            f.locations[0].text.as_deref(),
            Some("项目支出 169 万元，占 17.17%")
        );
        assert_eq!(f.locations[0].section.as_deref(), Some("（二）支出预算"));
        let loc = f.locations[0].loc.unwrap();
        assert_eq!((loc.line, loc.column), (64, 26));
        let left = f.locations.iter().find(|l| l.role == "左").unwrap();
        assert_eq!(left.text.as_deref(), Some("17.17%"));
        assert!(
            f.locations
                .iter()
                .any(|l| l.role == "右" && l.row.as_deref() == Some("总计"))
        );
    }

    #[test]
    fn matches_across_line_breaks() {
        // The paragraph breaks after "198.6 万元，".
        let doc = sample::seed();
        let src = rule(
            "断言 每处 \"减少{减:金额}，下降{率:百分比}\": \
             率 == abs(增幅(表三.总计.基本支出, 表三.总计.基本支出 + 减))",
        );
        let r = check(&src, &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Fail));
        let f = &r.findings[0];
        let v = f.values.as_ref().unwrap();
        assert_eq!(v.left.printed, "24.19%");
        assert_eq!(v.right.printed, "19.48%");
        let text = f.locations.iter().find(|l| l.role == "文本").unwrap();
        assert_eq!(text.text.as_deref(), Some("减少 198.6 万元，下降 24.19%"));
        assert_eq!(text.loc.unwrap().line, 82);
        let rate = f.locations.iter().find(|l| l.role == "左").unwrap();
        assert_eq!(
            rate.loc.unwrap().line,
            84,
            "the capture stands on the paragraph's second line"
        );
        assert!(
            f.message.contains("24.19%") && f.message.contains("19.48%"),
            "{}",
            f.message
        );
    }

    #[test]
    fn directions_against_signs() {
        let doc = sample::seed();
        let src = rule(
            "断言 每处 \"机关运行经费{本:金额}，较{…}预算{向:增减}{变:金额}\": \
             向 == 方向(变)",
        );
        assert_eq!(check(&src, &doc).outcome("T-001"), Some(Outcome::Pass));
        let mut doc = sample::seed();
        let p = &mut doc.sections[3].paragraphs[0];
        p.text = p.text.replace("增加 34.01", "减少 34.01");
        let r = check(&src, &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Fail));
        assert_eq!(r.findings[0].values.as_ref().unwrap().left.printed, "减少");
    }

    #[test]
    fn a_pattern_without_matches_holds() {
        let doc = sample::seed();
        let r = check(&rule("断言 每处 \"政府采购{金额:金额}\": 金额 > 0"), &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Pass));
    }
}

mod quantifiers {
    use super::*;

    const ROW_IDENTITY: &str =
        "断言 每行 表三 若 非 空白(行.支出合计): 支出合计 == 基本支出 + 项目支出 + 上年结转";

    #[test]
    fn every_row() {
        let doc = sample::seed();
        let r = check(&rule(ROW_IDENTITY), &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Pass));
        let mut doc = sample::seed();
        let spec = sample::TABLE_3
            .replace(
                "..人大会议#2010104|30.00||30.00|",
                "..人大会议#2010104|31.00||30.00|",
            )
            .replace(
                "..代表工作#2010108|50.00||50.00|",
                "..代表工作#2010108|50.00||40.00|",
            );
        doc.tables[1] = sample::table(&spec, 500);
        let r = check(&rule(ROW_IDENTITY), &doc);
        let rows: Vec<String> = r.findings.iter().map(|f| f.message.clone()).collect();
        assert_eq!(
            rows,
            vec![
                "表三「人大会议」：`支出合计`（31.00万元） 与 `基本支出 + 项目支出 + 上年结转`（30.00万元） 不相等，相差 1.00万元（容差 ±0.01万元）",
                "表三「代表工作」：`支出合计`（50.00万元） 与 `基本支出 + 项目支出 + 上年结转`（40.00万元） 不相等，相差 10.00万元（容差 ±0.01万元）",
            ]
        );
        let f = &r.findings[0];
        assert!(
            f.locations
                .iter()
                .any(|l| l.role == "行" && l.row.as_deref() == Some("人大会议"))
        );
        // Both sides' cells, blanks included, are located.
        assert_eq!(f.locations.iter().filter(|l| l.role == "右").count(), 3);
    }

    #[test]
    fn filters_and_nested_names() {
        let doc = sample::seed();
        let r = check(
            &rule("断言 每行 表六 若 层级(行) == \"项\": 名称(行) == 目录名称(行)"),
            &doc,
        );
        assert_eq!(r.outcome("T-001"), Some(Outcome::Pass), "{:#?}", r.findings);
        let r = check(
            &rule("断言 每行 表七 若 编码(行) != \"\": 名称(行) == 目录名称(行)"),
            &doc,
        );
        assert_eq!(r.outcome("T-001"), Some(Outcome::Fail));
        assert_eq!(r.findings.len(), 1);
        assert!(
            r.findings[0]
                .message
                .starts_with("表七「工作福利支出」：`名称(行)`（工作福利支出） 与 `目录名称(行)`（工资福利支出） 不同"),
            "{}",
            r.findings[0].message
        );
        // A bare name that is no column of the row falls back to a table.
        let r = check(
            &rule("断言 每行 表三 若 非 空白(行.支出合计): 支出合计 <= 表三.总计.支出合计"),
            &doc,
        );
        assert_eq!(r.outcome("T-001"), Some(Outcome::Pass));
        let r = check(&rule("断言 每行 表三: 不存在的列 == 0"), &doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Error));
        assert!(
            r.errors[0].message.starts_with("表三 第 1 行 `总计`："),
            "{}",
            r.errors[0].message
        );
    }
}

mod outcomes {
    use super::*;

    #[test]
    fn not_applicable_for_absent_tables_preconditions_and_kinds() {
        let doc = sample::seed();
        let src = "语言 1\n\
            规则 N-001 \"缺表\" {\n  断言 表十二.总计 == 0\n}\n\
            规则 N-002 \"前提\" {\n  前提 存在(表十二)\n  断言 表十二.总计 == 0\n}\n\
            规则 N-003 \"决算\" {\n  适用 决算\n  断言 表三.总计.支出合计 == 0\n}\n\
            规则 N-004 \"模板\" {\n  模板 \"上海-预算-9表\"\n  断言 表三.总计.支出合计 == 0\n}\n\
            规则 N-005 \"预算\" {\n  适用 部门预算, 单位预算\n  模板 \"甘肃-部门预算-11表\"\n  断言 表三.总计.支出合计 == 990.07\n}\n\
            规则 N-006 \"缺章节\" {\n  断言 每处 \"{金额:金额}\" 于 章节(\"政府采购\"): 金额 > 0\n}\n";
        let r = check(src, &doc);
        let outcome = |id| r.outcome(id).unwrap();
        assert_eq!(outcome("N-001"), Outcome::NotApplicable);
        assert_eq!(outcome("N-002"), Outcome::NotApplicable);
        assert_eq!(outcome("N-003"), Outcome::NotApplicable);
        assert_eq!(outcome("N-004"), Outcome::NotApplicable);
        assert_eq!(outcome("N-005"), Outcome::Pass);
        assert_eq!(outcome("N-006"), Outcome::NotApplicable);
        let reasons: Vec<&str> = r
            .outcomes
            .iter()
            .filter_map(|o| o.reason.as_deref())
            .collect();
        assert_eq!(
            reasons,
            vec![
                "文档中没有 `表十二`",
                "前提不成立：存在(表十二)",
                "规则不适用于部门预算",
                "规则只适用于模板 上海-预算-9表，本文档是 甘肃-部门预算-11表",
                "文档中没有标题含 `政府采购` 的章节",
            ]
        );
        assert_eq!(r.counts.not_applicable, 5);
        assert_eq!(r.counts.pass, 1);
    }

    #[test]
    fn the_seed_defect_of_the_performance_form() {
        let doc = sample::seed();
        let src = rule(
            "级别 错误\n依据 \"《地方预决算公开操作规程》\"\n\
             令 人员 = 整体绩效目标表.人员经费\n\
             令 公用 = 整体绩效目标表.公用经费\n\
             断言 整体绩效目标表.合计 == 人员 + 公用\n\
             消息 \"基本支出合计 {左} 不等于人员经费 {人员} 与公用经费 {公用} 之和 {右}，相差 {差}\"",
        );
        let r = check(&src, &doc);
        assert!(r.has_error_findings());
        let f = &r.findings[0];
        assert_eq!(
            f.message,
            "基本支出合计 721.07万元 不等于人员经费 714.75万元 与公用经费 106.32万元 之和 821.07万元，相差 -100.00万元"
        );
        assert_eq!(f.basis, vec!["《地方预决算公开操作规程》"]);
        let tables: Vec<&str> = f
            .locations
            .iter()
            .map(|l| l.table.as_deref().unwrap())
            .collect();
        assert_eq!(tables, vec!["部门整体支出绩效目标表"; 3]);
        assert_eq!(f.rule_span.line, 7);
    }

    #[test]
    fn findings_are_sorted_by_document_position_then_rule() {
        let doc = sample::seed();
        let src = "语言 1\n\
            规则 S-002 \"后\" {\n  断言 表七.总计 == 0\n}\n\
            规则 S-001 \"前\" {\n  断言 表三.总计.支出合计 == 0\n}\n\
            规则 S-003 \"同位置\" {\n  断言 表三.总计.支出合计 == 1\n}\n";
        let r = check(src, &doc);
        let ids: Vec<&str> = r.findings.iter().map(|f| f.rule_id.as_str()).collect();
        assert_eq!(ids, vec!["S-001", "S-003", "S-002"]);
        assert_eq!(r.counts.findings, 3);
        assert_eq!(r.counts.by_severity.error, 3);
    }

    #[test]
    fn negation_and_alternatives() {
        let doc = sample::seed();
        let r = check(&rule("断言 非 (表三.总计.支出合计 == 990.07)"), &doc);
        assert_eq!(
            r.findings[0].message,
            "`表三.总计.支出合计`（990.07万元） == 990.07 成立，但规则要求它不成立"
        );
        let r = check(
            &rule("断言 表三.总计.支出合计 == 1 或 表七.总计 == 2"),
            &doc,
        );
        assert_eq!(
            r.findings.len(),
            1,
            "one instance for the failed alternative"
        );
        assert_eq!(r.findings[0].locations.len(), 2);
        let r = check(
            &rule("断言 表三.总计.支出合计 == 1 且 表七.总计 == 2"),
            &doc,
        );
        assert_eq!(r.findings.len(), 1, "且 stops at the first failure");
        let r = check(&rule("断言 存在(表十二)\n消息 \"缺少表十二\""), &doc);
        assert_eq!(r.findings[0].message, "缺少表十二");
        assert_eq!(r.findings[0].note.as_deref(), Some("文档中没有 `表十二`"));
    }
}

mod diagnostics {
    use super::*;

    fn problems(files: &[(&str, &str)]) -> Vec<(String, Vec<shenhe_eval::Diagnostic>)> {
        match engine().compile(files) {
            Ok(_) => panic!("expected diagnostics"),
            Err(e) => e
                .into_iter()
                .map(|f| (f.source.name().to_string(), f.diagnostics))
                .collect(),
        }
    }

    #[test]
    fn every_problem_of_every_file() {
        let a = "语言 1\n\
            规则 D-001 \"甲\" {\n  断言 summ(表三.基本支出) == 1\n}\n\
            规则 D-002 \"乙\" {\n  断言 占比(1) == 1\n}\n\
            规则 D-003 \"丙\" {\n  断言 基本支出标 == 1\n  消息 \"{左} {差额}\"\n}\n\
            规则 D-004 \"丁\" {\n  模板 \"上海-预算-8表\"\n  断言 真\n}\n";
        let b = "语言 1\n规则 D-001 \"重复\" {\n  断言 真\n}\n";
        let c = "规则 D-009 \"无版本\" {\n  断言 真\n}\n";
        let all = problems(&[("a.rule", a), ("b.rule", b), ("c.rule", c)]);
        assert_eq!(all.len(), 3);
        let (name, d) = &all[0];
        assert_eq!(name, "a.rule");
        let codes: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "shenhe::eval::unknown_function",
                "shenhe::eval::arity",
                "shenhe::eval::unknown_name",
                "shenhe::eval::unknown_placeholder",
                "shenhe::eval::unknown_template",
            ]
        );
        assert_eq!(d[0].message, "未知的函数 `summ`");
        assert_eq!(d[0].help.as_deref(), Some("是不是 `sum`？（sum(值, …)）"));
        assert_eq!(d[1].message, "`占比` 需要2 个参数，这里给了 1 个");
        assert_eq!(d[1].help.as_deref(), Some("用法：share(部分, 整体)"));
        assert_eq!(d[2].message, "未知的名称 `基本支出标`");
        assert_eq!(d[2].help.as_deref(), Some("是不是 `基本支出表`？"));
        assert_eq!(d[3].message, "消息中的 `{差额}` 没有定义");
        assert!(d[3].help.as_deref().unwrap().starts_with("是不是 `{差}`？"));
        assert!(
            d[4].help
                .as_deref()
                .unwrap()
                .starts_with("是不是 `上海-预算-9表`？")
        );
        let (name, d) = &all[1];
        assert_eq!(name, "b.rule");
        assert_eq!(d[0].code, "shenhe::eval::duplicate_rule");
        assert_eq!(d[0].message, "规则编号 `D-001` 已在 `a.rule` 第 2 行用过");
        let (name, d) = &all[2];
        assert_eq!(name, "c.rule");
        assert_eq!(d[0].code, "shenhe::lang::missing_version");
    }

    #[test]
    fn syntax_errors_come_from_the_parser() {
        let all = problems(&[("x.rule", "语言 1\n规则 X-001 \"t\" {\n  断言 (1 + \n}\n")]);
        assert_eq!(all[0].1[0].code, "shenhe::lang::syntax");
    }

    #[test]
    fn names_in_scope() {
        // Captures are names in the body only; bindings see earlier bindings only.
        let all = problems(&[(
            "s.rule",
            "语言 1\n规则 X-001 \"t\" {\n  令 甲 = 乙\n  令 乙 = 1\n  断言 (每处 \"{额:金额}\": 额 > 0) 且 额 > 0\n}\n",
        )]);
        let msgs: Vec<&str> = all[0].1.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs, vec!["未知的名称 `乙`", "未知的名称 `额`"]);
        let d = &all[0].1[1];
        assert_eq!(
            d.help.as_deref(),
            Some(
                "表用表号（`表三`、`表3`）、模板配置中的角色名（如 `基本支出表`）或 `表格(\"标题片段\")` 指明；列名和行名写在表后面，如 `表三.基本支出`"
            )
        );
        let all = problems(&[(
            "p.rule",
            "语言 1\n规则 X-001 \"t\" {\n  断言 匹配数(\"{金钱}\") > 0 且 sum == 1\n}\n",
        )]);
        let d = &all[0].1;
        assert_eq!(d[0].code, "shenhe::eval::pattern");
        assert_eq!(d[0].message, "未知的捕获种类 `金钱`");
        assert_eq!(
            d[1].help.as_deref(),
            Some("`sum` 是函数，调用时要写括号：`sum(…)`")
        );
    }

    #[test]
    fn file_bindings_are_visible_to_every_rule() {
        let doc = sample::seed();
        let src = "语言 1\n令 总支出 = 表三.总计.支出合计\n\
            规则 B-001 \"甲\" {\n  断言 总支出 == 990.07万元\n}\n\
            规则 B-002 \"乙\" {\n  令 总支出 = 1\n  断言 总支出 == 1\n}\n";
        let r = check(src, &doc);
        assert_eq!(r.counts.pass, 2);
    }
}

mod limits {
    use super::*;
    use shenhe_lang::ast::{BinaryOp, Expr, ExprKind, Span, Spanned, UnaryOp};

    fn num(v: i64) -> Expr {
        Expr {
            kind: ExprKind::Number {
                value: rust_decimal::Decimal::from(v),
                unit: None,
            },
            span: Span::new(0, 1),
        }
    }

    /// Runs `f` on a thread with a large stack: building and dropping 20,000-deep trees is the
    /// test's own recursion, not the evaluator's.
    fn big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(256 * 1024 * 1024)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap()
    }

    #[test]
    fn nested_quantifiers_stop_at_the_step_budget() {
        let doc = sample::seed();
        // 21 rows of 表七, ten levels deep: 21^10 bodies. (A small budget keeps the test fast;
        // the default is `MAX_EVAL_STEPS`.)
        let engine = Engine::new().with_step_limit(100_000);
        let src = format!("{}真", "每行 表七: ".repeat(10));
        let d = engine.eval_str(&doc, &src).unwrap_err();
        // The innermost row is named.
        assert!(d[0].message.starts_with("表七 第 "), "{}", d[0].message);
        assert!(
            d[0].message
                .ends_with("：求值步数超过上限（100000 步），已停止这条规则"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].message.matches("表七").count(), 1);
        let set = engine
            .compile(&[("q.rule", rule(&format!("断言 {src}")))])
            .unwrap();
        let r = set.check(&doc);
        assert_eq!(r.outcome("T-001"), Some(Outcome::Error));
        // Two levels (441 bodies) are well within it.
        assert_eq!(
            engine
                .eval_str(&doc, "每行 表七: 每行 表七: 真")
                .unwrap()
                .printed,
            "true"
        );
    }

    #[test]
    fn twenty_thousand_nested_parentheses_are_a_diagnostic() {
        let src = format!("{}1{}", "(".repeat(20_000), ")".repeat(20_000));
        let d = ev_err(&src);
        assert_eq!(d[0].code, "shenhe::lang::too_deep");
        let src = format!("{}1", "-".repeat(20_000));
        assert_eq!(ev_err(&src)[0].code, "shenhe::lang::too_deep");
    }

    #[test]
    fn a_twenty_thousand_deep_tree_is_refused_by_the_compiler() {
        let codes = big_stack(|| {
            let mut e = num(1);
            for _ in 0..20_000 {
                e = Expr {
                    kind: ExprKind::Unary {
                        op: Spanned::new(UnaryOp::Neg, Span::new(0, 1)),
                        operand: Box::new(e),
                    },
                    span: Span::new(0, 1),
                };
            }
            let doc = sample::seed();
            let set = engine().compile(&[("e.rule", "语言 1\n")]).unwrap();
            let r = set.eval_expr(&doc, &e);
            let codes: Vec<String> = r.unwrap_err().into_iter().map(|d| d.code).collect();
            drop(e);
            codes
        });
        assert_eq!(codes, vec!["shenhe::eval::too_deep".to_string()]);
    }

    #[test]
    fn a_twenty_thousand_term_sum_is_flat() {
        // `1 + 1 + … + 1`: a left-deep tree 20,000 levels deep, evaluated without recursion.
        let printed = big_stack(|| {
            let mut e = num(1);
            for _ in 1..20_000 {
                e = Expr {
                    kind: ExprKind::Binary {
                        op: Spanned::new(BinaryOp::Add, Span::new(0, 1)),
                        lhs: Box::new(e),
                        rhs: Box::new(num(1)),
                    },
                    span: Span::new(0, 1),
                };
            }
            let doc = sample::seed();
            let set = engine().compile(&[("e.rule", "语言 1\n")]).unwrap();
            // Evaluate on a small stack: only the (flat) evaluation runs there.
            let printed = std::thread::scope(|s| {
                std::thread::Builder::new()
                    .stack_size(256 * 1024)
                    .spawn_scoped(s, || set.eval_expr(&doc, &e).unwrap().printed)
                    .unwrap()
                    .join()
                    .unwrap()
            });
            drop(e);
            printed
        });
        assert_eq!(printed, "20000");
    }

    #[test]
    fn the_deepest_accepted_expressions_evaluate_on_a_test_thread_stack() {
        // Every kind of nesting, up to the compiler's limit, within a 2 MiB stack (unoptimised).
        let d = shenhe_eval::MAX_DEPTH - 1;
        let shapes = [
            (
                format!(
                    "{}表三.总计.支出合计{} == 990.07",
                    "abs(".repeat(d - 3),
                    ")".repeat(d - 3)
                ),
                "true",
            ),
            (format!("{}1{}", "(1 + ".repeat(d), ")".repeat(d)), "128"),
            (format!("{}1{}", "(1 * ".repeat(d), ")".repeat(d)), "1"),
            (format!("{}真", "非 ".repeat(d)), "false"),
            (
                format!("{}真{}", "(1 == 1 且 ".repeat(d), ")".repeat(d)),
                "true",
            ),
            // A table with one row: nested quantifiers multiply.
            (format!("{}真", "每行 表十: ".repeat(d - 1)), "true"),
        ];
        for (src, want) in shapes {
            let doc = sample::seed();
            let out = std::thread::Builder::new()
                .stack_size(2 * 1024 * 1024)
                .spawn(move || engine().eval_str(&doc, &src).map(|v| v.printed))
                .unwrap()
                .join()
                .unwrap();
            assert_eq!(out.unwrap(), want);
        }
        // One level more is a diagnostic of the evaluator (the parser accepts up to 256).
        let src = format!("{}1{}", "abs(".repeat(d + 2), ")".repeat(d + 2));
        assert_eq!(ev_err(&src)[0].code, "shenhe::eval::too_deep");
    }
}

/// Every example of the auditors' reference runs: in docs/language/{references, functions,
/// units-and-rounding, patterns, outcomes}.md, each line of an ```expr block is evaluated on the
/// sample document and compared with the same line of the ```result block after it
/// (`错误：…` for an expected error message); each ```rule block compiles and runs on the
/// sample document, and an ```outcome block after it gives each rule's outcome in order, a
/// ```messages block each finding's message in report order.
mod docs {
    use super::*;
    use std::path::PathBuf;

    const PAGES: &[&str] = &[
        "references.md",
        "functions.md",
        "units-and-rounding.md",
        "patterns.md",
        "outcomes.md",
    ];

    struct Block {
        info: String,
        text: String,
        line: usize,
    }

    fn blocks(md: &str) -> Vec<Block> {
        let mut out = Vec::new();
        let mut lines = md.lines().enumerate();
        while let Some((i, l)) = lines.next() {
            let Some(info) = l.trim().strip_prefix("```") else {
                continue;
            };
            let mut text = String::new();
            for (_, l) in lines.by_ref() {
                if l.trim() == "```" {
                    break;
                }
                text.push_str(l);
                text.push('\n');
            }
            out.push(Block {
                info: info.trim().to_string(),
                text,
                line: i + 1,
            });
        }
        out
    }

    fn nonempty(text: &str) -> Vec<&str> {
        text.lines().filter(|l| !l.trim().is_empty()).collect()
    }

    fn outcome_name(o: Outcome) -> &'static str {
        o.name()
    }

    #[test]
    fn every_example_of_the_language_reference_runs() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/language");
        let doc = sample::seed();
        let mut failures = Vec::new();
        let mut checked = 0;
        for page in PAGES {
            let md = std::fs::read_to_string(dir.join(page)).unwrap();
            let bs = blocks(&md);
            for (k, b) in bs.iter().enumerate() {
                let here = format!("{page}:{}", b.line);
                let next = bs.get(k + 1);
                match b.info.as_str() {
                    "expr" => {
                        let Some(result) = next.filter(|n| n.info == "result") else {
                            failures.push(format!(
                                "{here}: an ```expr block needs a ```result block after it"
                            ));
                            continue;
                        };
                        let exprs = nonempty(&b.text);
                        let wants = nonempty(&result.text);
                        if exprs.len() != wants.len() {
                            failures.push(format!(
                                "{here}: {} expressions, {} results",
                                exprs.len(),
                                wants.len()
                            ));
                            continue;
                        }
                        for (e, want) in exprs.iter().zip(wants) {
                            let got = match engine().eval_str(&doc, e.trim()) {
                                Ok(v) => v.printed,
                                Err(d) => format!("错误：{}", d[0].message),
                            };
                            if got != want.trim() {
                                failures.push(format!(
                                    "{here}: `{}` gave `{got}`, the page says `{}`",
                                    e.trim(),
                                    want.trim()
                                ));
                            }
                            checked += 1;
                        }
                    }
                    "rule" => {
                        let set = match engine().compile(&[(here.as_str(), b.text.as_str())]) {
                            Ok(s) => s,
                            Err(e) => {
                                failures.push(format!(
                                    "{here}: does not compile: {:?}",
                                    e[0].diagnostics
                                ));
                                continue;
                            }
                        };
                        let r = set.check(&doc);
                        checked += 1;
                        match next.map(|n| (n.info.as_str(), n)) {
                            Some(("outcome", n)) => {
                                let got: Vec<&str> =
                                    r.outcomes.iter().map(|o| outcome_name(o.outcome)).collect();
                                let want: Vec<&str> =
                                    nonempty(&n.text).iter().map(|l| l.trim()).collect();
                                if got != want {
                                    failures.push(format!("{here}: outcomes {got:?}, the page says {want:?} (errors: {:?})", r.errors));
                                }
                            }
                            Some(("messages", n)) => {
                                let got: Vec<&str> =
                                    r.findings.iter().map(|f| f.message.as_str()).collect();
                                let want: Vec<&str> =
                                    nonempty(&n.text).iter().map(|l| l.trim()).collect();
                                if got != want {
                                    failures.push(format!(
                                        "{here}: messages {got:#?}, the page says {want:#?}"
                                    ));
                                }
                            }
                            _ => {
                                if r.counts.error > 0 {
                                    failures.push(format!("{here}: rules err: {:?}", r.errors));
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(checked >= 100, "only {checked} examples checked");
    }
}

/// The report's JSON (docs/report-json.md) and its human rendering, as snapshots.
mod report {
    use super::*;

    const RULES: &str = "语言 1

规则 R-001 \"整体绩效目标表基本支出合计等于人员经费与公用经费之和\" {
    级别 错误
    类别 表间
    依据 \"《地方预决算公开操作规程》（财预〔2016〕143号）\"
    断言 整体绩效目标表.合计 == 整体绩效目标表.人员经费 + 整体绩效目标表.公用经费
    消息 \"基本支出合计 {左} 与人员经费、公用经费之和 {右} 不符，相差 {差}\"
}

规则 R-002 \"增幅以上年数为基数\" {
    级别 警告
    类别 文表
    断言 每处 \"减少{减:金额}，下降{率:百分比}\": 率 == abs(增幅(表三.总计.基本支出, 表三.总计.基本支出 + 减))
}

规则 R-003 \"收支平衡\" {
    断言 表一.收入总计 == 表一.支出总计
}

规则 R-004 \"缺表\" {
    断言 表十二.总计 == 0
}

规则 R-005 \"找不到的列\" {
    级别 提示
    断言 表三.总计.基本支岀 == 0
}

规则 R-006 \"经济分类名称\" {
    级别 提示
    类别 分类
    断言 每行 表七 若 层级(行) == \"类\": 名称(行) == 目录名称(行)
}
";

    fn report() -> Report {
        check(RULES, &sample::seed())
    }

    #[test]
    fn json() {
        let r = report();
        assert_eq!(r.counts.rules, 6);
        assert_eq!(
            (
                r.counts.pass,
                r.counts.fail,
                r.counts.not_applicable,
                r.counts.error
            ),
            (1, 3, 1, 1)
        );
        insta::assert_snapshot!("report_json", r.to_json());
    }

    #[test]
    fn human() {
        insta::assert_snapshot!(
            "report_human",
            shenhe_eval::render::report_text("seed.txt", &report(), None)
        );
    }
}

mod causes {
    use super::*;

    const RULES: &str = "语言 1
规则 T-001 \"行恒等\" {
    级别 错误
    类别 表内
    断言 每行 表三 若 非 空白(行.支出合计): 支出合计 == 基本支出 + 项目支出 + 上年结转
}
规则 T-002 \"总计等于明细\" {
    级别 错误
    类别 表内
    断言 表三.总计.基本支出 == sum(表三.基本支出)
}
规则 T-003 \"不是和的一边\" {
    级别 错误
    类别 表内
    断言 表三.总计.基本支出 - 100 == sum(表三.基本支出) - 100
}
";

    /// 表三's 总计 · 基本支出 misprinted (820.07 for 821.07): the row identity and the column
    /// total both fail, and one cause names the cell and the value that resolves both.
    #[test]
    fn one_cell_that_resolves_two_findings() {
        let mut doc = sample::seed();
        let spec = sample::TABLE_3.replace("=总计|990.07|821.07|", "=总计|990.07|820.07|");
        doc.tables[1] = sample::table(&spec, 500);
        let r = check(RULES, &doc);
        let ids: Vec<&str> = r.findings.iter().map(|f| f.rule_id.as_str()).collect();
        assert_eq!(ids, ["T-001", "T-002", "T-003"]);
        assert_eq!(r.causes.len(), 1, "{:#?}", r.causes);
        let c = &r.causes[0];
        assert_eq!(c.findings, [0, 1]);
        assert_eq!(c.suggested, "821.07万元");
        assert_eq!(c.change, "+1.00万元");
        assert_eq!(c.location.row.as_deref(), Some("总计"));
        assert_eq!(c.location.column.as_deref(), Some("基本支出"));
        assert_eq!(c.location.value.as_deref(), Some("820.07"));
        // A side computed by a difference is no sum of its cells: T-003 gives no repair.
        assert!(r.findings[2].repairs.is_empty());
        // Every other cell's repair belongs to one finding only: no second cause.
        assert!(r.findings[1].repairs.len() > 1);
    }

    /// `b - c` with a blank `c` sums to its cells like `b + c`: the blank cell gets no repair
    /// (its sign is not known), `b` does.
    #[test]
    fn a_blank_cell_of_a_written_side_gets_no_repair() {
        let mut doc = sample::seed();
        let spec = sample::TABLE_3.replace("=总计|990.07|821.07|", "=总计|990.07|820.07|");
        doc.tables[1] = sample::table(&spec, 500);
        let r = check(
            &rule(
                "    级别 错误\n    类别 表内\n    断言 表三.总计.基本支出 - 表三.总计.上年结转 == sum(表三.基本支出)",
            ),
            &doc,
        );
        assert_eq!(r.findings.len(), 1);
        let cells: Vec<(u32, u32)> = r.findings[0]
            .repairs
            .iter()
            .map(|p| (p.row, p.column))
            .collect();
        // 总计 · 基本支出 (row 0, column 2) is repaired; 总计 · 上年结转 (column 4) is not.
        assert!(cells.contains(&(0, 2)), "{cells:?}");
        assert!(!cells.contains(&(0, 4)), "{cells:?}");
    }

    #[test]
    fn no_cause_when_the_findings_do_not_share_a_cell() {
        let mut doc = sample::seed();
        let spec = sample::TABLE_3.replace(
            "..人大会议#2010104|30.00||30.00|",
            "..人大会议#2010104|31.00||30.00|",
        );
        doc.tables[1] = sample::table(&spec, 500);
        let r = check(RULES, &doc);
        assert_eq!(r.findings.len(), 1);
        assert!(r.causes.is_empty());
    }

    /// `非 存在(…) 或 a == b`: the comparison is reported as failed, not as one that held
    /// against a `非` (the `非` belongs to the existence test merged before it).
    #[test]
    fn a_comparison_after_a_negated_existence_test_is_not_negated() {
        let doc = sample::seed();
        let r = check(
            &rule(
                "    级别 错误\n    类别 表内\n    断言 非 存在(表三) 或 表三.总计.基本支出 == 1",
            ),
            &doc,
        );
        assert_eq!(r.findings.len(), 1);
        assert_eq!(
            r.findings[0].message,
            "`表三.总计.基本支出`（821.07万元） 与 1 不相等，相差 820.07万元（容差 ±0.005万元）"
        );
    }
}
