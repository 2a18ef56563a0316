//! `shenhe mutate DOC [--rules FILE|DIR]… [--config FILE] [--format human|json] [--table T]
//! [--limit N] [--jobs N]`:
//! how well the rules guard a document. Makes small realistic mistakes in every number of the
//! document model, one at a time, checks each mutant and reports which mistakes no rule
//! notices (see `shenhe_eval::mutate`). Reports, never fails: exit 0, or 2 when the document,
//! the rules or the configuration cannot be read.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::ValueEnum;
use serde::Serialize;
use shenhe_eval::Engine;
use shenhe_eval::mutate::{self, Mutant, MutationKind, MutationReport, Place, Tally};
use shenhe_model::{Document, Loc};

use crate::load;
use crate::output::write_stdout;
use crate::rulefiles::{self, UNREADABLE};

/// Output formats of `mutate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 终端阅读：得分、按类型/按表/按规则的统计、未被发现的变异（按表）
    Human,
    /// JSON（格式见 docs/cli.md）
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 公开文件（提取出的文本、PDF，或 shenhe extract --format json 输出的文档模型）
    pub doc: PathBuf,
    /// 规则文件或目录（目录下所有 .rule 文件，含子目录）；可重复；不给时用内置规则包
    #[arg(long, value_name = "FILE|DIR")]
    pub rules: Vec<PathBuf>,
    /// 配置文件（规则启用与停用）；不给时读取当前目录的 shenhe.toml（如有）
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// 只改动这张表的数：表号（表三）、表的角色（支出总表）或表名的一部分；“情况说明”表示说明中的金额
    #[arg(long, value_name = "表")]
    pub table: Option<String>,
    /// 最多运行 N 个变异（从全部变异中均匀抽取）
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// 线程数（默认：处理器核数）
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
}

/// Version of the JSON form; bumped on any incompatible change.
const MUTATION_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonOut<'a> {
    mutation_version: u32,
    path: String,
    unit_name: Option<&'a str>,
    year: Option<i32>,
    kind: Option<&'a str>,
    rules: usize,
    elapsed_ms: u128,
    threads: usize,
    #[serde(flatten)]
    report: &'a MutationReport,
}

pub fn run(args: &Args) -> ExitCode {
    let doc = match load::load(&args.doc, false) {
        Ok(l) => l.document,
        Err(e) => {
            eprintln!("错误：{}：{e}", args.doc.display());
            return ExitCode::from(UNREADABLE);
        }
    };
    let engine = Engine::new();
    let Ok((_, mut rules)) = rulefiles::load(&engine, &args.rules) else {
        return ExitCode::from(UNREADABLE);
    };
    if rulefiles::config(args.config.as_deref(), &engine, &mut rules).is_err() {
        return ExitCode::from(UNREADABLE);
    }
    let threads = args
        .jobs
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1)
        .max(1);
    let started = Instant::now();
    let report = mutate::run(
        &rules,
        &doc,
        &mutate::Options {
            table: args.table.clone(),
            limit: args.limit,
            threads,
        },
    );
    let elapsed = started.elapsed();
    if let Some(t) = &args.table
        && report.generated == 0
    {
        eprintln!("错误：文件中没有与「{t}」相符的表，或这张表中没有数");
        return ExitCode::from(UNREADABLE);
    }
    let text = match args.format {
        Format::Json => {
            let out = JsonOut {
                mutation_version: MUTATION_VERSION,
                path: args.doc.display().to_string(),
                unit_name: doc.meta.unit_name.as_deref(),
                year: doc.meta.year,
                kind: doc.meta.kind.map(|k| k.name()),
                rules: rules.len(),
                elapsed_ms: elapsed.as_millis(),
                threads,
                report: &report,
            };
            match serde_json::to_string_pretty(&out) {
                Ok(s) => s + "\n",
                Err(e) => {
                    eprintln!("错误：无法输出 JSON：{e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        Format::Human => human(args, &doc, rules.len(), &report, elapsed, threads),
    };
    write_stdout(&text)
}

fn percent(t: &Tally) -> String {
    match t.score() {
        Some(s) => format!("{:.1}%", s * 100.0),
        None => "—".into(),
    }
}

fn fraction(t: &Tally) -> String {
    format!("{} / {}（{}）", t.caught, t.total, percent(t))
}

/// The survivors of one kind, one line each (place, then `what`), under `title`; nothing when
/// there are none.
fn survivor_list(
    o: &mut String,
    r: &MutationReport,
    kind: MutationKind,
    title: &str,
    what: impl Fn(&Mutant) -> String,
) {
    let lines: Vec<String> = r
        .survivors()
        .filter(|m| m.kind == kind)
        .map(|m| format!("    {}：{}", place_of(m.loc), what(m)))
        .collect();
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{title}");
    for l in lines {
        let _ = writeln!(o, "{l}");
    }
}

fn place_of(loc: Option<Loc>) -> String {
    match loc {
        Some(l) => match l.page {
            Some(p) => format!("第 {p} 页第 {} 行第 {} 列", l.line, l.column),
            None => format!("第 {} 行第 {} 列", l.line, l.column),
        },
        None => "位置不详".into(),
    }
}

fn describe(p: &Place) -> String {
    let mut what = Vec::new();
    if let Some(s) = &p.section {
        what.push(format!("章节「{s}」"));
    }
    if let Some(r) = &p.row {
        what.push(format!("行「{r}」"));
    }
    if let Some(c) = &p.column {
        what.push(format!("列「{c}」"));
    }
    match &p.text {
        Some(t) => what.push(format!("「{t}」")),
        None => what.push(p.value.clone()),
    }
    what.join(" ")
}

fn human(
    args: &Args,
    doc: &Document,
    rules: usize,
    r: &MutationReport,
    elapsed: std::time::Duration,
    threads: usize,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "变异测试：{}", args.doc.display());
    let meta: Vec<String> = [
        doc.meta.unit_name.clone(),
        doc.meta.year.map(|y| format!("{y} 年")),
        doc.meta.kind.map(|k| k.name().to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !meta.is_empty() {
        let _ = writeln!(o, "  {}", meta.join(" · "));
    }
    let _ = writeln!(
        o,
        "  规则 {rules} 条；原文件的问题 {} 处；变异 {} 个{}",
        r.baseline_findings,
        r.overall.total,
        if r.overall.total < r.generated {
            format!("（共可生成 {} 个，按 --limit 均匀抽取）", r.generated)
        } else {
            String::new()
        }
    );
    if r.not_run > 0 {
        let _ = writeln!(o, "  注意：有 {} 个变异未能运行，不计入得分", r.not_run);
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "得分（被发现的变异）：{}", fraction(&r.overall));
    let _ = writeln!(
        o,
        "被定位的改数（被发现、且共同原因指出这个数和原来的值）：{}",
        fraction(&r.located)
    );
    let _ = writeln!(
        o,
        "受检查的数（至少一个变异被发现）：{}",
        fraction(&r.numbers)
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "按变异类型：");
    for k in &r.by_kind {
        let _ = writeln!(o, "  {}：{}", k.kind.name(), fraction(&k.tally));
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "按表（变异；受检查的数）：");
    for t in &r.by_table {
        let _ = writeln!(
            o,
            "  {}：{}；{}",
            t.table,
            fraction(&t.tally),
            fraction(&t.numbers)
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "按规则（发现的变异数）：");
    let mut idle = Vec::new();
    for t in &r.by_rule {
        if t.caught == 0 {
            idle.push(t.rule_id.as_str());
        } else {
            let _ = writeln!(o, "  {}：{}", t.rule_id, t.caught);
        }
    }
    if !idle.is_empty() {
        let _ = writeln!(o, "  未发现任何变异：{}", idle.join("、"));
    }
    let _ = writeln!(o);
    let survivors = r.overall.survived();
    if survivors == 0 {
        let _ = writeln!(o, "所有变异都被发现。");
    } else {
        let _ = writeln!(
            o,
            "未被发现的变异（按表；【未检查】表示这个数的所有变异都未被发现，即没有规则检查它）："
        );
        let mut table: Option<&str> = None;
        for p in r.places.iter().filter(|p| !p.survived.is_empty()) {
            if table != Some(p.table.as_str()) {
                let unchecked = r.unchecked().filter(|u| u.table == p.table).count();
                let _ = writeln!(o, "  {}（未检查的数 {unchecked} 个）", p.table);
                table = Some(p.table.as_str());
            }
            let kinds: Vec<&str> = p.survived.iter().map(|k| k.name()).collect();
            let mark = if p.checked() { "" } else { "【未检查】" };
            let alone = if p.alone {
                "（单独成段，多为图表中的标注）"
            } else {
                ""
            };
            let _ = writeln!(
                o,
                "    {mark}{}：{}{alone}；未发现：{}",
                place_of(p.loc),
                describe(p),
                kinds.join("、")
            );
        }
        // The mutated values of survivors that are not obvious from the kind.
        survivor_list(
            &mut o,
            r,
            MutationKind::Swap,
            "未被发现的互换：",
            |m| {
                format!(
                    "{} 行「{}」 列「{}」与「{}」互换（{} → {}）",
                    m.table,
                    m.row.as_deref().unwrap_or(""),
                    m.column.as_deref().unwrap_or(""),
                    m.other_column.as_deref().unwrap_or(""),
                    m.original,
                    m.mutated
                )
            },
        );
        survivor_list(
            &mut o,
            r,
            MutationKind::RowDrop,
            "未被发现的漏列（删去这一行，合计不变，没有规则发现）：",
            |m| {
                format!(
                    "{} 行「{}」（{}）",
                    m.table,
                    m.row.as_deref().unwrap_or(""),
                    m.original
                )
            },
        );
    }
    let _ = writeln!(o);
    let ms = elapsed.as_secs_f64() * 1000.0;
    let n = r.overall.total.max(1) as f64;
    let _ = writeln!(
        o,
        "用时 {:.2} 秒（{threads} 个线程），每个变异 {:.2} 毫秒",
        ms / 1000.0,
        ms / n
    );
    o
}
