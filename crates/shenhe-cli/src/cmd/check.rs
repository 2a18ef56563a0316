//! `shenhe check DOC… [--rules FILE|DIR]… [--format human|json]`: runs rules on documents.
//!
//! Exit status: 0 when no finding has severity 错误, 1 when one has, 2 when a document or a
//! rule file cannot be read (or a rule file has errors). One unreadable document does not stop
//! the others.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use shenhe_eval::{Engine, FileDiagnostics, REPORT_VERSION, Report, RuleSet};

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 便于阅读的文本：每处发现的规则、消息、数值和位置
    Human,
    /// JSON（格式见 docs/report-json.md）
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 要审核的公开文件（提取出的文本或 PDF），可以有多个
    #[arg(required = true)]
    pub docs: Vec<PathBuf>,
    /// 规则文件或目录（目录下所有 .rule 文件，含子目录）；可重复；不给时用内置规则包
    #[arg(long)]
    pub rules: Vec<PathBuf>,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Exit status: some finding has severity 错误.
const FINDINGS: u8 = 1;
/// Exit status: a document or a rule file cannot be read.
const UNREADABLE: u8 = 2;

/// Renders rule-file diagnostics (no colour unless stderr is a terminal, 80 columns).
pub fn render_diagnostics(d: &FileDiagnostics) -> String {
    let theme = if std::io::stderr().is_terminal() {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(80);
    let mut out = String::new();
    match handler.render_report(&mut out, d) {
        Ok(()) => out,
        Err(_) => d
            .diagnostics
            .iter()
            .map(|x| format!("{}：{}", d.source.name(), x.message))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn collect_rule_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("无法读取规则路径 {}：{}", path.display(), io_reason(&e)))?;
    if meta.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| format!("无法读取规则目录 {}：{}", path.display(), io_reason(&e)))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_rule_files(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "rule") {
            out.push(p);
        }
    }
    Ok(())
}

/// The rule files to compile: (name, text).
fn rule_sources(paths: &[PathBuf]) -> Result<Vec<(String, String)>, String> {
    if paths.is_empty() {
        return Ok(Engine::builtin_rules()
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect());
    }
    let mut files = Vec::new();
    for p in paths {
        let before = files.len();
        collect_rule_files(p, &mut files)?;
        if files.len() == before {
            return Err(format!("目录 {} 中没有 .rule 规则文件", p.display()));
        }
    }
    files
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(&f)
                .map_err(|e| format!("无法读取规则文件 {}：{}", f.display(), io_reason(&e)))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| format!("规则文件 {} 不是 UTF-8 文本", f.display()))?;
            Ok((f.display().to_string(), text))
        })
        .collect()
}

/// Compiles the rules; on failure prints every diagnostic.
pub fn load_rules(engine: &Engine, paths: &[PathBuf]) -> Result<RuleSet, ExitCode> {
    let sources = rule_sources(paths).map_err(|e| {
        eprintln!("错误：{e}");
        ExitCode::from(UNREADABLE)
    })?;
    engine.compile(&sources).map_err(|files| {
        for f in &files {
            eprintln!("{}", render_diagnostics(f));
        }
        let n: usize = files.iter().map(|f| f.diagnostics.len()).sum();
        eprintln!("错误：规则有 {n} 处问题，未运行任何检查");
        ExitCode::from(UNREADABLE)
    })
}

/// Reads a document (text or PDF); the message says why it cannot be read.
pub fn read_document(path: &Path) -> Result<shenhe_model::Document, String> {
    let name = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| format!("无法读取文件 {name}：{}", io_reason(&e)))?;
    let source_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.clone());
    shenhe_ingest::read_bytes(&source_name, &bytes, &shenhe_ingest::Options::default())
        .map_err(|e| format!("{name}：{e}"))
}

pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        std::io::ErrorKind::IsADirectory => "这是一个目录，不是文件".into(),
        _ => e.to_string(),
    }
}

#[derive(serde::Serialize)]
struct Unreadable {
    source: String,
    error: String,
}

#[derive(serde::Serialize)]
struct JsonOut<'a> {
    report_version: u32,
    reports: &'a [Report],
    unreadable: &'a [Unreadable],
}

fn write_out(text: &str) -> bool {
    let mut out = std::io::stdout().lock();
    let r = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    match r {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(e) => {
            eprintln!("错误：无法写出结果：{e}");
            false
        }
    }
}

pub fn run(args: &Args) -> ExitCode {
    let engine = Engine::new();
    let rules = match load_rules(&engine, &args.rules) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut reports = Vec::new();
    let mut unreadable = Vec::new();
    for (i, path) in args.docs.iter().enumerate() {
        let doc = match read_document(path) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("错误：{e}");
                unreadable.push(Unreadable {
                    source: path.display().to_string(),
                    error: e,
                });
                continue;
            }
        };
        let report = rules.check(&doc);
        if args.format == Format::Human {
            let sep = if i > 0 { "\n" } else { "" };
            if !write_out(&format!("{sep}{}", report.to_human())) {
                return ExitCode::FAILURE;
            }
        }
        reports.push(report);
    }
    if args.format == Format::Json {
        let out = JsonOut {
            report_version: REPORT_VERSION,
            reports: &reports,
            unreadable: &unreadable,
        };
        match serde_json::to_string_pretty(&out) {
            Ok(s) => {
                if !write_out(&format!("{s}\n")) {
                    return ExitCode::FAILURE;
                }
            }
            Err(e) => {
                eprintln!("错误：无法生成 JSON：{e}");
                return ExitCode::FAILURE;
            }
        }
    }
    if !unreadable.is_empty() {
        ExitCode::from(UNREADABLE)
    } else if reports.iter().any(Report::has_error_findings) {
        ExitCode::from(FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}
