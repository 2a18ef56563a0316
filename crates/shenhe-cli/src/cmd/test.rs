//! `shenhe test [DIR] [--rules PATH]… [--cases DIR] [--builtin] [--bless]`: runs rule test
//! cases (a small document with a `#` TOML header saying which rules run and what they must
//! find) and reports pass/fail per case. The case format and the checks are those of the
//! workspace's own corpus harness (`shenhe_eval::casetest`).
//!
//! Where a case has an expected report next to it (`fail-x.txt` → `fail-x.expected`), the
//! report must match it exactly; `--bless` writes (or rewrites) those files.
//!
//! Exit status: 0 when every case passes, 1 when one fails, 2 when rules or cases cannot be
//! read.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use shenhe_eval::Engine;
use shenhe_eval::casetest::{self, Case};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 规则文件夹（其中的 rules/ 放规则、cases/ 或 tests/cases/ 放用例；没有这些子目录时两者都在此目录下）
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// 规则文件或目录（可重复）；不给时用 DIR/rules（没有则用 DIR）
    #[arg(long)]
    pub rules: Vec<PathBuf>,
    /// 用例目录；不给时用 DIR/cases、DIR/tests/cases 或 DIR
    #[arg(long)]
    pub cases: Option<PathBuf>,
    /// 同时载入内置规则包（自己的用例可以引用内置规则）
    #[arg(long)]
    pub builtin: bool,
    /// 把每个用例的报告写到用例旁边的 .expected 文件，作为今后比对的预期结果
    #[arg(long)]
    pub bless: bool,
}

const FAILED: u8 = 1;
const UNREADABLE: u8 = 2;

fn rule_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if path.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let files = casetest::files_under(path, ".rule")
        .map_err(|e| format!("无法读取规则目录 {}：{e}", path.display()))?;
    if files.is_empty() {
        return Err(format!("{} 中没有 .rule 规则文件", path.display()));
    }
    out.extend(files);
    Ok(())
}

fn rule_sources(args: &Args) -> Result<Vec<(String, String)>, String> {
    let mut paths = args.rules.clone();
    if paths.is_empty() {
        let sub = args.dir.join("rules");
        paths.push(if sub.is_dir() { sub } else { args.dir.clone() });
    }
    let mut files = Vec::new();
    for p in &paths {
        rule_files(p, &mut files)?;
    }
    let mut sources: Vec<(String, String)> = Vec::new();
    if args.builtin {
        sources.extend(
            Engine::builtin_rules()
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string())),
        );
    }
    for f in files {
        let text = std::fs::read_to_string(&f)
            .map_err(|e| format!("无法读取规则文件 {}：{e}", f.display()))?;
        sources.push((f.display().to_string(), text));
    }
    Ok(sources)
}

fn cases_dir(args: &Args) -> PathBuf {
    if let Some(c) = &args.cases {
        return c.clone();
    }
    for sub in ["cases", "tests/cases"] {
        let d = args.dir.join(sub);
        if d.is_dir() {
            return d;
        }
    }
    args.dir.clone()
}

fn read(name: &str, text: &str) -> Result<shenhe_model::Document, String> {
    Ok(shenhe_ingest::read_str(
        name,
        text,
        &shenhe_ingest::Options::default(),
    ))
}

/// `fail-x.txt` → `fail-x.expected`.
fn expected_path(dir: &Path, case: &Case) -> PathBuf {
    dir.join(&case.name).with_extension("expected")
}

/// The first line where two texts differ, for the message.
fn first_difference(want: &str, got: &str) -> String {
    let mut w = want.lines();
    let mut g = got.lines();
    for n in 1.. {
        match (w.next(), g.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => break,
            (a, b) => {
                return format!(
                    "第 {n} 行：预期「{}」，实际「{}」",
                    a.unwrap_or("（无）"),
                    b.unwrap_or("（无）")
                );
            }
        }
    }
    String::new()
}

pub fn run(args: &Args) -> ExitCode {
    let sources = match rule_sources(args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(UNREADABLE);
        }
    };
    let rules = match Engine::new().compile(&sources) {
        Ok(r) => r,
        Err(files) => {
            for f in &files {
                for d in &f.diagnostics {
                    eprintln!("{}：{}", f.source.name(), d.message);
                }
            }
            eprintln!("错误：规则有错误，未运行任何用例（用 shenhe check --rules 查看详细诊断）");
            return ExitCode::from(UNREADABLE);
        }
    };
    let dir = cases_dir(args);
    let cases = match casetest::load_cases(&dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(UNREADABLE);
        }
    };
    if cases.is_empty() {
        eprintln!(
            "错误：{} 中没有用例（带 `#` 说明头的 .txt 文件）",
            dir.display()
        );
        return ExitCode::from(UNREADABLE);
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for case in &cases {
        let mut problems = Vec::new();
        match casetest::run(&rules, case, &read) {
            Ok(run) => {
                problems.extend(run.problems);
                let rendered = casetest::render(case, &run.report);
                let path = expected_path(&dir, case);
                if args.bless {
                    if let Err(e) = std::fs::write(&path, &rendered) {
                        problems.push(format!("无法写入 {}：{e}", path.display()));
                    }
                } else if let Ok(want) = std::fs::read_to_string(&path)
                    && want != rendered
                {
                    problems.push(format!(
                        "报告与 {} 不同，{}（确认无误后用 --bless 更新）",
                        path.display(),
                        first_difference(&want, &rendered)
                    ));
                }
            }
            Err(e) => problems.push(e.message),
        }
        if problems.is_empty() {
            passed += 1;
            println!("通过    {}", case.name);
        } else {
            failed += 1;
            println!("不通过  {}", case.name);
            for p in &problems {
                println!("        {p}");
            }
        }
    }
    // With --builtin, the bundled rules need no cases here.
    let bundled: Vec<&str> = Engine::builtin_rules().iter().map(|(n, _)| *n).collect();
    let mine: Vec<_> = rules
        .rules()
        .into_iter()
        .filter(|r| !args.builtin || !bundled.contains(&r.rule_span.file.as_str()))
        .collect();
    let own = casetest::coverage(&mine, &cases);
    if !own.is_empty() {
        println!("\n用例覆盖：");
        for p in &own {
            println!("  {p}");
        }
    }
    println!(
        "\n用例 {} 个：通过 {passed}，不通过 {failed}{}",
        cases.len(),
        if own.is_empty() {
            String::new()
        } else {
            format!("；覆盖问题 {} 处", own.len())
        }
    );
    println!("{passed} passed, {failed} failed");
    if failed > 0 || !own.is_empty() {
        ExitCode::from(FAILED)
    } else {
        ExitCode::SUCCESS
    }
}
