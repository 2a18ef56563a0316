//! The report as text for a person: per finding the rule, the message with its numbers, and
//! every location (line, page, table, row, column).

use std::fmt::Write as _;

use crate::finding::{Finding, Location};
use crate::report::{Outcome, Report};

fn location_line(l: &Location) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(t) = &l.table {
        parts.push(t.clone());
    }
    if let Some(s) = &l.section {
        parts.push(format!("章节「{s}」"));
    }
    if let Some(r) = &l.row {
        parts.push(format!("行「{r}」"));
    }
    if let Some(c) = &l.column {
        parts.push(format!("列「{c}」"));
    }
    if let Some(v) = &l.value {
        parts.push(format!("值 {v}"));
    }
    if let Some(t) = &l.text {
        parts.push(format!("文字「{t}」"));
    }
    let place = match &l.loc {
        Some(loc) => match loc.page {
            Some(p) => format!("第 {} 行第 {} 列（第 {p} 页）", loc.line, loc.column),
            None => format!("第 {} 行第 {} 列", loc.line, loc.column),
        },
        None => "（位置不详）".to_string(),
    };
    let mut s = format!("    {}：{place}  {}", l.role, parts.join(" · "));
    if let Some(p) = &l.placement {
        let _ = write!(s, "  〔{p}〕");
    }
    s
}

fn finding_text(out: &mut String, f: &Finding) {
    let _ = writeln!(out, "[{}] {} {}", f.severity.name(), f.rule_id, f.title);
    let _ = writeln!(out, "  {}", f.message);
    if let Some(v) = &f.values {
        match &v.difference {
            Some(d) => {
                let _ = writeln!(
                    out,
                    "  左 {} {} 右 {}；差 {}；容差 {}（{}）",
                    v.left.printed,
                    v.comparison,
                    v.right.printed,
                    d.printed,
                    v.tolerance.printed,
                    v.tolerance.source
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "  左 {} {} 右 {}",
                    v.left.printed, v.comparison, v.right.printed
                );
            }
        }
    }
    if let Some(n) = &f.note
        && n != &f.message
    {
        let _ = writeln!(out, "  说明：{n}");
    }
    for l in &f.locations {
        let _ = writeln!(out, "{}", location_line(l));
    }
    let _ = writeln!(
        out,
        "  规则定义：{}:{}:{}",
        f.rule_span.file, f.rule_span.line, f.rule_span.column
    );
}

impl Report {
    /// The report as text for a terminal (no colour).
    pub fn to_human(&self) -> String {
        let mut out = String::new();
        let d = &self.document;
        let _ = writeln!(
            out,
            "{}{}",
            d.source_name,
            d.unit_name
                .as_ref()
                .map(|u| format!("（{u}）"))
                .unwrap_or_default()
        );
        for f in &self.findings {
            out.push('\n');
            finding_text(&mut out, f);
        }
        if !self.errors.is_empty() {
            out.push('\n');
            let _ = writeln!(out, "无法求值的规则：");
            for e in &self.errors {
                let _ = writeln!(
                    out,
                    "  {}：{}（`{}`，{}:{}:{}）",
                    e.rule_id,
                    e.message,
                    e.expression,
                    e.rule_span.file,
                    e.rule_span.line,
                    e.rule_span.column
                );
                if let Some(h) = &e.help {
                    let _ = writeln!(out, "    提示：{h}");
                }
            }
        }
        let na: Vec<&str> = self
            .outcomes
            .iter()
            .filter(|o| o.outcome == Outcome::NotApplicable)
            .map(|o| o.rule_id.as_str())
            .collect();
        let c = &self.counts;
        out.push('\n');
        let _ = writeln!(
            out,
            "规则 {} 条：通过 {}，不通过 {}，不适用 {}，出错 {}。发现 {} 处：错误 {}，警告 {}，提示 {}。",
            c.rules,
            c.pass,
            c.fail,
            c.not_applicable,
            c.error,
            c.findings,
            c.by_severity.error,
            c.by_severity.warning,
            c.by_severity.info
        );
        if !na.is_empty() {
            let _ = writeln!(out, "不适用：{}", na.join("、"));
        }
        out
    }
}
