//! Generates `docs/rules/` from the bundled rules' own documentation: an index by category
//! and one page per category with every rule's `///` text, metadata and source.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use shenhe_lang::ast::{Applicability, Rule};

/// The rule folders, in the order the docs list them: (folder, Chinese name, what it covers).
pub const CATEGORIES: &[(&str, &str, &str)] = &[
    (
        "completeness",
        "完整性",
        "必须公开的表格、说明章节，空表及其说明",
    ),
    (
        "within-table",
        "表内",
        "合计、层级汇总、行列恒等式、收支平衡",
    ),
    (
        "cross-table",
        "表间",
        "表与表之间的恒等式（有条件的写作 ≤ 或加前提）",
    ),
    (
        "narrative",
        "文表一致",
        "情况说明复述的金额、占比、增减率、增减方向",
    ),
    (
        "classification",
        "科目",
        "科目编码与名称对照政府收支分类科目，旧名称，层级",
    ),
    ("units", "单位", "元与万元混用、相差一万倍的数"),
    (
        "wording",
        "文字",
        "模板残留、原因空缺、重复字词与标点、年份错误",
    ),
];

fn applies(a: &Applicability) -> String {
    match a {
        Applicability::AnyBudget => "预算".into(),
        Applicability::AnyFinal => "决算".into(),
        Applicability::Kind(k) => k.name().into(),
    }
}

/// A rule with its file.
pub struct DocRule {
    pub path: String,
    pub folder: String,
    pub rule: Rule,
    pub source: String,
}

/// Parses the bundled rule files (problems are reported by the meta-tests).
pub fn load() -> (Vec<DocRule>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (path, text) in shenhe_eval::Engine::builtin_rules() {
        let parsed = shenhe_lang::parse(path, text);
        if !parsed.diagnostics.is_empty() {
            problems.push(format!("{path}: does not parse"));
        }
        let folder = path.split('/').nth(1).unwrap_or("").to_string();
        for rule in parsed.file.rules {
            out.push(DocRule {
                path: path.to_string(),
                folder: folder.clone(),
                source: text
                    .get(rule.span.start as usize..rule.span.end as usize)
                    .unwrap_or("")
                    .to_string(),
                rule,
            });
        }
    }
    out.sort_by(|a, b| a.rule.id.node.cmp(&b.rule.id.node));
    (out, problems)
}

/// The rule's severity as the docs print it (错误 when the rule names none).
fn severity(r: &DocRule) -> &'static str {
    r.rule
        .severity
        .as_ref()
        .map(|s| s.node.name())
        .unwrap_or("错误")
}

/// The kinds of document the rule applies to (预算、决算 when it names none).
fn applies_to(r: &DocRule) -> String {
    if r.rule.applies.is_empty() {
        "预算、决算".to_string()
    } else {
        r.rule
            .applies
            .iter()
            .map(|a| applies(&a.node))
            .collect::<Vec<_>>()
            .join("、")
    }
}

fn meta_line(r: &DocRule) -> String {
    let sev = severity(r);
    let cat = r
        .rule
        .category
        .as_ref()
        .map(|c| c.node.as_str())
        .unwrap_or("—");
    let app = applies_to(r);
    format!(
        "级别：{sev} · 类别：{cat} · 适用：{app} · 文件：`{}`",
        r.path
    )
}

fn rule_section(out: &mut String, r: &DocRule) {
    let _ = writeln!(out, "## {} {}\n", r.rule.id.node, r.rule.title.node);
    let _ = writeln!(out, "{}\n", meta_line(r));
    if !r.rule.templates.is_empty() {
        let t: Vec<&str> = r.rule.templates.iter().map(|t| t.node.as_str()).collect();
        let _ = writeln!(out, "模板：{}\n", t.join("、"));
    }
    if !r.rule.basis.is_empty() {
        let _ = writeln!(out, "依据：\n");
        for b in &r.rule.basis {
            let _ = writeln!(out, "- {}", b.node);
        }
        out.push('\n');
    }
    for line in &r.rule.doc {
        let _ = writeln!(out, "{}", line.strip_prefix(' ').unwrap_or(line));
    }
    let _ = writeln!(
        out,
        "\n规则原文：\n\n```rule\n{}\n```\n",
        r.source.trim_end()
    );
}

/// The generated files: (path relative to the workspace root, content).
pub fn generate(rules: &[DocRule]) -> Vec<(String, String)> {
    let mut by_folder: BTreeMap<&str, Vec<&DocRule>> = BTreeMap::new();
    for r in rules {
        by_folder.entry(r.folder.as_str()).or_default().push(r);
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "# 规则一览\n\n<!-- 本目录由 `SHENHE_UPDATE_DOCS=1 cargo test -p shenhe-tests --test corpus` 根据规则文件的 `///` 说明生成，请勿手工编辑。 -->\n\n内置规则包（`rules/`）共 ",
    );
    let _ = writeln!(
        index,
        "{} 条规则。如何编写和测试自己的规则，见 [guide.md](guide.md)。\n",
        rules.len()
    );
    for (folder, name, what) in CATEGORIES {
        let Some(list) = by_folder.get(folder) else {
            continue;
        };
        let _ = writeln!(
            index,
            "## [{name}]({folder}.md)（{}）\n\n{what}。\n",
            list.len()
        );
        let _ = writeln!(
            index,
            "| 编号 | 标题 | 级别 | 适用 |\n| --- | --- | --- | --- |"
        );
        let mut page = format!(
            "# {name}规则\n\n<!-- 由规则文件的 `///` 说明生成，请勿手工编辑。 -->\n\n{what}。\n\n"
        );
        for r in list {
            let sev = severity(r);
            let app = applies_to(r);
            let anchor = format!("{}-{}", r.rule.id.node, r.rule.title.node)
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                .collect::<String>();
            let _ = writeln!(
                index,
                "| [{}]({folder}.md#{anchor}) | {} | {sev} | {app} |",
                r.rule.id.node, r.rule.title.node
            );
            rule_section(&mut page, r);
        }
        index.push('\n');
        files.push((
            format!("docs/rules/{folder}.md"),
            page.trim_end().to_string() + "\n",
        ));
    }
    files.push((
        "docs/rules/README.md".into(),
        index.trim_end().to_string() + "\n",
    ));
    files
}
