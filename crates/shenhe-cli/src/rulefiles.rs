//! Loading what a check runs with: rule files (`--rules FILE|DIR`, else the bundled pack) and
//! the configuration (`--config FILE`, else `./shenhe.toml` when present). Problems are printed
//! (Chinese, with places) and become exit status 2.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use miette::{GraphicalReportHandler, GraphicalTheme};
use shenhe_eval::{Config, Engine, FileDiagnostics, RuleSet};

/// Exit status when rules, configuration or input cannot be read.
pub const UNREADABLE: u8 = 2;

/// The configuration file looked for in the working directory.
pub const DEFAULT_CONFIG: &str = "shenhe.toml";

/// Rule files as (name, text), in a stable order.
pub struct RuleFiles {
    pub files: Vec<(String, String)>,
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件或目录不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        _ => e.to_string(),
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("无法读取规则目录 {}：{}", dir.display(), io_reason(&e)))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "rule") {
            out.push(p);
        }
    }
    Ok(())
}

/// Reads the rule files named by `--rules` (files, or folders searched for `*.rule`); the
/// bundled pack when none is given.
pub fn read(paths: &[PathBuf]) -> Result<RuleFiles, String> {
    if paths.is_empty() {
        return Ok(RuleFiles {
            files: Engine::builtin_rules()
                .iter()
                .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
                .collect(),
        });
    }
    let mut found = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = found.len();
            collect(p, &mut found)?;
            if found.len() == before {
                return Err(format!("规则目录 {} 中没有 .rule 文件", p.display()));
            }
        } else {
            found.push(p.clone());
        }
    }
    let mut files = Vec::with_capacity(found.len());
    for p in found {
        let text = std::fs::read_to_string(&p)
            .map_err(|e| format!("无法读取规则文件 {}：{}", p.display(), io_reason(&e)))?;
        files.push((p.display().to_string(), text));
    }
    Ok(RuleFiles { files })
}

/// Renders compile problems the way a person reads them (colour on a terminal only).
pub fn render_diagnostics(diags: &[FileDiagnostics]) -> String {
    let theme = if std::io::stderr().is_terminal() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for d in diags {
        if handler.render_report(&mut out, d).is_err() {
            out.push_str(&d.to_string());
        }
        out.push('\n');
    }
    out
}

/// Compiles rule files; prints the problems when they do not compile.
pub fn compile(engine: &Engine, files: &RuleFiles) -> Result<RuleSet, ()> {
    engine.compile(&files.files).map_err(|diags| {
        eprint!("{}", render_diagnostics(&diags));
        let n: usize = diags.iter().map(|d| d.diagnostics.len()).sum();
        eprintln!("错误：规则文件有 {n} 处问题，未进行检查");
    })
}

/// Reads (see [`read`]) and compiles the rule files; prints what is wrong when they cannot be
/// read or do not compile. The files are returned too, for commands that compile them again.
pub fn load(engine: &Engine, paths: &[PathBuf]) -> Result<(RuleFiles, RuleSet), ()> {
    let files = read(paths).map_err(|e| eprintln!("错误：{e}"))?;
    let rules = compile(engine, &files)?;
    Ok((files, rules))
}

/// Reads and checks the configuration against the rules and templates; applies its rule
/// selection and severities to `rules`. `None` when there is no configuration.
pub fn config(
    explicit: Option<&Path>,
    engine: &Engine,
    rules: &mut RuleSet,
) -> Result<Option<Config>, ()> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from(DEFAULT_CONFIG);
            if !p.is_file() {
                return Ok(None);
            }
            p
        }
    };
    let name = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| {
        eprintln!("错误：无法读取配置文件 {name}：{}", io_reason(&e));
    })?;
    let cfg = Config::parse(&name, &text).map_err(|errs| {
        for e in &errs {
            eprintln!("错误：{e}");
        }
    })?;
    let templates: Vec<String> = engine
        .profiles()
        .profiles
        .iter()
        .map(|p| p.id.clone())
        .collect();
    let errs = cfg.validate(&rules.rules(), &templates);
    if !errs.is_empty() {
        for e in &errs {
            eprintln!("错误：{e}");
        }
        return Err(());
    }
    rules.configure(&cfg);
    Ok(Some(cfg))
}
