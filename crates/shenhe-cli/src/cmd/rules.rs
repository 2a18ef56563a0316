//! `shenhe rules [--rules FILE|DIR] [--config FILE] [--format text|json]` lists the rules (id,
//! severity, category, title, basis, where defined); `shenhe rules show ID` prints one rule with
//! its documentation, its text and its test cases (`tests/cases/<ID>/` beside the rules).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use serde::Serialize;
use shenhe_eval::{Config, Engine, RuleInfo, RuleSet, Severity};

use crate::rulefiles::{self, UNREADABLE};

/// Output formats of `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 便于阅读的列表
    Text,
    /// JSON 数组
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// 规则文件或目录（可重复）；不给时用内置规则包
    #[arg(long, global = true, value_name = "FILE|DIR")]
    pub rules: Vec<PathBuf>,
    /// 配置文件：列表中标出停用的规则和调整后的级别；不给时读取当前目录的 shenhe.toml（如有）
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// 输出格式
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// 显示一条规则：说明、原文和测试用例
    Show {
        /// 规则编号，如 YS-001
        id: String,
    },
}

/// One rule as listed.
#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    title: &'a str,
    severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    configured_severity: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
    basis: &'a [String],
    doc: String,
    defined_at: String,
    enabled: bool,
}

fn listed<'a>(r: &'a RuleInfo, cfg: Option<&Config>) -> Listed<'a> {
    let enabled = cfg.is_none_or(|c| c.enabled(&r.id, r.category.as_deref()));
    let configured = cfg
        .and_then(|c| c.severity_of(&r.id, r.category.as_deref()))
        .filter(|s| *s != r.severity)
        .map(Severity::name);
    Listed {
        id: &r.id,
        title: &r.title,
        severity: r.severity.name(),
        configured_severity: configured,
        category: r.category.as_deref(),
        basis: &r.basis,
        doc: r.doc.join("\n"),
        defined_at: format!("{}:{}", r.rule_span.file, r.rule_span.line),
        enabled,
    }
}

fn list_text(items: &[Listed<'_>]) -> String {
    let mut out = String::new();
    let (mut e, mut w, mut i, mut off) = (0, 0, 0, 0);
    for l in items {
        let severity = match l.configured_severity {
            Some(s) => format!("{s}（原为{}）", l.severity),
            None => l.severity.to_string(),
        };
        match l.configured_severity.unwrap_or(l.severity) {
            "错误" => e += 1,
            "警告" => w += 1,
            _ => i += 1,
        }
        let state = if l.enabled {
            ""
        } else {
            off += 1;
            "（已停用）"
        };
        out.push_str(&format!(
            "{}  [{severity}]  {}  {}{state}\n",
            l.id,
            l.category.unwrap_or("—"),
            l.title
        ));
        for b in l.basis {
            out.push_str(&format!("        依据：{b}\n"));
        }
        out.push_str(&format!("        定义：{}\n", l.defined_at));
    }
    out.push_str(&format!(
        "\n共 {} 条规则：错误 {e}，警告 {w}，提示 {i}",
        items.len()
    ));
    if off > 0 {
        out.push_str(&format!("；已停用 {off} 条"));
    }
    out.push_str("。\n");
    out
}

/// The folder of test cases of rule `id`: `tests/cases/<id>` in the nearest folder above the
/// rule's file that has one.
fn cases_dir(rule_file: &str, id: &str) -> Option<PathBuf> {
    let file = Path::new(rule_file);
    let mut dir = file.parent();
    while let Some(d) = dir {
        let candidate = d.join("tests").join("cases").join(id);
        if candidate.is_dir() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// The header of a case file: its leading `#` lines (without the `#` and the `# -----` rule
/// that ends it), at most 12.
fn header(text: &str) -> Vec<&str> {
    text.lines()
        .map_while(|l| l.strip_prefix('#'))
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c == '-'))
        .take(12)
        .collect()
}

fn show_text(rules: &RuleSet, r: &RuleInfo, cfg: Option<&Config>) -> String {
    let l = listed(r, cfg);
    let mut out = format!("{} {}\n", r.id, r.title);
    out.push_str(&format!(
        "级别：{}{}　类别：{}{}\n",
        l.severity,
        l.configured_severity
            .map(|s| format!("（配置改为 {s}）"))
            .unwrap_or_default(),
        l.category.unwrap_or("—"),
        if l.enabled {
            ""
        } else {
            "　（配置中已停用）"
        }
    ));
    for b in &r.basis {
        out.push_str(&format!("依据：{b}\n"));
    }
    out.push_str(&format!("定义：{}\n", l.defined_at));
    if !r.doc.is_empty() {
        out.push_str("\n说明：\n");
        for d in &r.doc {
            if d.trim().is_empty() {
                out.push('\n');
            } else {
                out.push_str(&format!("  {d}\n"));
            }
        }
    }
    if let Some((_, _, text)) = rules.rule_source(&r.id) {
        out.push_str("\n规则原文：\n");
        for line in text.trim_end().lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    match cases_dir(&r.rule_span.file, &r.id) {
        None => out.push_str(&format!(
            "\n测试用例：没有找到 tests/cases/{}/ 目录\n",
            r.id
        )),
        Some(dir) => {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            files.retain(|p| p.is_file() && p.extension().is_some_and(|x| x == "txt"));
            files.sort();
            out.push_str(&format!(
                "\n测试用例（{}，{} 个）：\n",
                dir.display(),
                files.len()
            ));
            for f in files {
                let name = f
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                out.push_str(&format!("  {name}\n"));
                if let Ok(text) = std::fs::read_to_string(&f) {
                    for line in header(&text) {
                        out.push_str(&format!("      {line}\n"));
                    }
                }
            }
        }
    }
    out
}

pub fn run(args: &Args) -> ExitCode {
    let engine = Engine::new();
    let Ok((files, rules)) = rulefiles::load(&engine, &args.rules) else {
        return ExitCode::from(UNREADABLE);
    };
    // The configuration is read against a copy so that every rule can still be listed.
    let Ok(mut configured) = rulefiles::compile(&engine, &files) else {
        return ExitCode::from(UNREADABLE);
    };
    let Ok(cfg) = rulefiles::config(args.config.as_deref(), &engine, &mut configured) else {
        return ExitCode::from(UNREADABLE);
    };
    let infos = rules.rules();
    let text = match &args.action {
        None => {
            let items: Vec<Listed<'_>> = infos.iter().map(|r| listed(r, cfg.as_ref())).collect();
            match args.format {
                Format::Text => list_text(&items),
                Format::Json => serde_json::to_string_pretty(&items).unwrap_or_default() + "\n",
            }
        }
        Some(Action::Show { id }) => {
            let Some(r) = infos.iter().find(|r| r.id == *id) else {
                let ids: Vec<String> = infos.iter().map(|r| r.id.clone()).collect();
                let near: Vec<&String> = ids
                    .iter()
                    .filter(|x| x.eq_ignore_ascii_case(id) || x.contains(id.as_str()))
                    .take(3)
                    .collect();
                let hint = match near.first() {
                    Some(n) => format!("；是不是 {n}？"),
                    None => "；用 shenhe rules 查看全部规则".into(),
                };
                eprintln!("错误：没有编号为 {id} 的规则{hint}");
                return ExitCode::from(UNREADABLE);
            };
            match args.format {
                Format::Text => show_text(&rules, r, cfg.as_ref()),
                Format::Json => {
                    #[derive(Serialize)]
                    struct Shown<'a> {
                        #[serde(flatten)]
                        rule: Listed<'a>,
                        text: Option<&'a str>,
                        cases: Option<String>,
                    }
                    let shown = Shown {
                        rule: listed(r, cfg.as_ref()),
                        text: rules.rule_source(&r.id).map(|(_, _, t)| t),
                        cases: cases_dir(&r.rule_span.file, &r.id).map(|d| d.display().to_string()),
                    };
                    serde_json::to_string_pretty(&shown).unwrap_or_default() + "\n"
                }
            }
        }
    };
    crate::output::write_stdout(&text)
}
