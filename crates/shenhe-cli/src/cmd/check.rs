//! `shenhe check PATH… [--rules FILE|DIR]… [--config FILE] [--format F] [--output FILE]`: runs
//! the rules on every document given (files, and the `.txt`/`.pdf`/`.json` files of folders,
//! recursively), in parallel, writing each document's report as soon as it is its turn (input
//! order) and a closing summary. Memory does not grow with the number of documents: reports
//! are rendered where they are made and only counts are kept. One unreadable document never
//! stops the batch.
//!
//! Exit status: 0 when no open finding has severity 错误; 1 when an open (not waived) finding
//! has; 2 when the rules or the configuration cannot be read (nothing is checked), or when a
//! document of the batch could not be read (2 wins over 1).

use std::io::{IsTerminal, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::ValueEnum;
use shenhe_eval::render::{self, Checked, DocOutcome, RunInfo, Summary};
use shenhe_eval::waiver::{WaiverLedger, WaiverUses};
use shenhe_eval::{Config, Date, Engine, RuleSet};

use crate::inputs::{self, Input};
use crate::rulefiles::{self, UNREADABLE};
use crate::{load, pool};

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 终端阅读：每处发现的规则、消息、数值、原文摘录和规则定义位置
    Human,
    /// JSON（格式见 docs/report-json.md）
    Json,
    /// SARIF 2.1.0（代码扫描平台）
    Sarif,
    /// JUnit XML（持续集成）：每份文档 × 每条规则一个测试
    Junit,
    /// 单个离线 HTML 页面：表格与正文中高亮每处发现
    Html,
}

impl Format {
    fn render(self) -> render::Format {
        match self {
            Format::Human => render::Format::Human,
            Format::Json => render::Format::Json,
            Format::Sarif => render::Format::Sarif,
            Format::Junit => render::Format::Junit,
            Format::Html => render::Format::Html,
        }
    }

    /// Whether the format shows document excerpts (and so needs the source text).
    fn needs_source(self) -> bool {
        matches!(self, Format::Human | Format::Sarif)
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 要检查的文件或目录（目录中递归查找 .txt、.pdf、.json），可以有多个
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// 规则文件或目录（目录下所有 .rule 文件，含子目录）；可重复；不给时用内置规则包
    #[arg(long, value_name = "FILE|DIR")]
    pub rules: Vec<PathBuf>,
    /// 配置文件（规则启用与停用、级别、模板、豁免）；不给时读取当前目录的 shenhe.toml（如有）
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// 把报告写入文件（默认写到标准输出）
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 同时检查的文件数（默认：处理器核数）
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// 不显示进度条
    #[arg(long)]
    pub no_progress: bool,
    /// 结束时在标准错误输出文件数、用时、每秒文件数、峰值内存和每份文档各阶段用时
    #[arg(long)]
    pub stats: bool,
}

/// Reads one document (text, PDF or model JSON) for commands that need just the model
/// (`shenhe eval`); the message names the file and says why it cannot be read.
pub fn read_document(path: &Path) -> Result<shenhe_model::Document, String> {
    load::load(path, false)
        .map(|l| l.document)
        .map_err(|e| format!("{}：{e}", path.display()))
}

/// Today in Beijing time (waivers are valid through their expiry date).
fn today() -> Date {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Date::from_unix_seconds(secs, 8)
}

/// What a worker hands back for one document.
struct Done {
    /// The document's part of the report (a buffer of [`Job::spare`]).
    part: Vec<u8>,
    summary: Summary,
    uses: WaiverUses,
}

/// Why a document whose reading or checking panicked (a bug) is not checked.
const CRASHED: &str = "内部错误：读取或检查这份文档时程序出错（请报告此问题）";

/// A document read, or why it could not be.
type Read = Result<load::Loaded, String>;

/// Reads one input, adding the time taken to `phases.read`.
fn read(input: &Input, want_source: bool, phases: &Phases) -> Read {
    let started = Instant::now();
    let loaded = match input {
        Input::Problem { reason, .. } => Err(reason.clone()),
        Input::File(p) => load::load(p, want_source),
    };
    Phases::add(&phases.read, started);
    loaded
}

/// What a check runs with: the compiled rules and the configuration.
struct Prepared {
    rules: RuleSet,
    cfg: Option<Config>,
}

/// Compiles the rules and reads the configuration; problems are printed (exit status 2).
fn prepare(args: &Args) -> Result<Prepared, ()> {
    let engine = Engine::new();
    let (_, mut rules) = rulefiles::load(&engine, &args.rules)?;
    let cfg = rulefiles::config(args.config.as_deref(), &engine, &mut rules)?;
    Ok(Prepared { rules, cfg })
}

/// Runs [`prepare`] while another thread reads the first documents (at most `ahead`; none when
/// `ahead` is 0), so that a second core does not idle while the rules compile. Reading stops
/// once the rules are ready; what was read is returned in input order.
fn prepare_reading_ahead(
    args: &Args,
    inputs: &[Input],
    ahead: usize,
    phases: &Phases,
) -> (Result<Prepared, ()>, Vec<Read>) {
    if ahead == 0 {
        return (prepare(args), Vec::new());
    }
    let ready = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let want_source = args.format.needs_source();
            let first = inputs.get(..ahead).unwrap_or(inputs);
            read_ahead(first, &ready, |input| read(input, want_source, phases))
        });
        let prepared = prepare(args);
        ready.store(true, Ordering::Release);
        (prepared, reader.join().unwrap_or_default())
    })
}

/// Reads `inputs` in order with `read_one` until `ready` is set. A panic (a bug) in reading one
/// becomes that document's [`CRASHED`] error, as `Job::crashed` reports it, and reading goes on.
fn read_ahead<T>(inputs: &[T], ready: &AtomicBool, read_one: impl Fn(&T) -> Read) -> Vec<Read> {
    let mut early = Vec::new();
    for input in inputs {
        if ready.load(Ordering::Acquire) {
            break;
        }
        early.push(
            catch_unwind(AssertUnwindSafe(|| read_one(input)))
                .unwrap_or_else(|_| Err(CRASHED.to_string())),
        );
    }
    early
}

/// Peak resident memory of this process (`VmHWM`), in KiB, where the system tells it.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn open_output(path: Option<&PathBuf>) -> Result<Box<dyn Write>, ExitCode> {
    match path {
        None => Ok(Box::new(std::io::BufWriter::with_capacity(
            1 << 16,
            std::io::stdout().lock(),
        ))),
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Ok(Box::new(std::io::BufWriter::with_capacity(1 << 16, f))),
            Err(e) => {
                eprintln!("错误：无法写入 {}：{}", p.display(), load::io_reason(&e));
                Err(ExitCode::from(UNREADABLE))
            }
        },
    }
}

fn progress_bar(n: usize, args: &Args) -> Option<indicatif::ProgressBar> {
    if n < 2 || args.no_progress || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(n as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} 份文档（{per_sec}，约剩 {eta}）",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

/// Everything a worker needs, shared by all of them.
struct Job<'a> {
    rules: &'a RuleSet,
    cfg: Option<&'a Config>,
    run: &'a RunInfo<'a>,
    renderer: &'a dyn render::Render,
    want_source: bool,
    phases: &'a Phases,
    /// Documents read while the rules compiled, taken by their index.
    early: Vec<Mutex<Option<Read>>>,
    /// Emptied part buffers handed back by the writer, for the workers to render into again
    /// (so that no document allocates and grows one, nor frees it on another thread).
    spare: Mutex<Vec<Vec<u8>>>,
}

/// A part buffer larger than this is dropped after writing rather than kept for reuse.
const SPARE_MAX: usize = 1 << 20;

/// Time spent in each phase of a document, summed over the documents and threads (`--stats`).
#[derive(Default)]
struct Phases {
    /// Reading the file and building the document model.
    read: AtomicU64,
    /// Running the rules and applying waivers.
    check: AtomicU64,
    /// Rendering the document's report.
    render: AtomicU64,
}

impl Phases {
    fn add(counter: &AtomicU64, since: Instant) -> Instant {
        let now = Instant::now();
        let nanos = u64::try_from(now.duration_since(since).as_nanos()).unwrap_or(u64::MAX);
        counter.fetch_add(nanos, Ordering::Relaxed);
        now
    }

    /// `读取 1.20 毫秒/份，检查 …，输出 …` (CPU time of the workers per document).
    fn per_document(&self, documents: usize) -> String {
        let each = |c: &AtomicU64| {
            let total = Duration::from_nanos(c.load(Ordering::Relaxed)).as_secs_f64() * 1e3;
            total / documents.max(1) as f64
        };
        format!(
            "每份文档：读取 {:.3} 毫秒，检查 {:.3} 毫秒，输出 {:.3} 毫秒",
            each(&self.read),
            each(&self.check),
            each(&self.render)
        )
    }
}

impl Job<'_> {
    fn done(&self, index: usize, outcome: &DocOutcome<'_>, uses: WaiverUses) -> Done {
        let started = Instant::now();
        let mut summary = Summary::default();
        summary.add(index, outcome);
        let mut part = self
            .spare
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .unwrap_or_default();
        self.renderer.document(self.run, index, outcome, &mut part);
        Phases::add(&self.phases.render, started);
        Done {
            part,
            summary,
            uses,
        }
    }

    /// Checks one input: read (unless it was read early), apply the configured template, check,
    /// apply waivers, render.
    fn check(&self, index: usize, input: &Input) -> Done {
        let display = input.path().display().to_string();
        let early = self
            .early
            .get(index)
            .and_then(|slot| slot.lock().unwrap_or_else(PoisonError::into_inner).take());
        let loaded = early.unwrap_or_else(|| read(input, self.want_source, self.phases));
        let checking = Instant::now();
        let mut loaded = match loaded {
            Ok(l) => l,
            Err(reason) => {
                let outcome = DocOutcome::Unreadable {
                    path: &display,
                    reason: &reason,
                };
                return self.done(index, &outcome, Vec::new());
            }
        };
        if let Some(t) = self.cfg.and_then(Config::template) {
            loaded.document.meta.template = Some(t.to_string());
        }
        let mut report = self.rules.check(&loaded.document);
        let uses = match self.cfg {
            Some(c) => c.apply_waivers(&mut report, &display, self.run.today),
            None => Vec::new(),
        };
        Phases::add(&self.phases.check, checking);
        let outcome = DocOutcome::Checked(Checked {
            path: &display,
            report: &report,
            document: &loaded.document,
            source: loaded.source.as_deref(),
        });
        self.done(index, &outcome, uses)
    }

    /// Takes back a part buffer once it is written.
    fn reuse(&self, mut part: Vec<u8>) {
        if part.capacity() <= SPARE_MAX {
            part.clear();
            self.spare
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(part);
        }
    }

    /// A document whose reading or checking panicked (a bug): reported, the batch goes on.
    fn crashed(&self, index: usize, input: Option<&Input>) -> Done {
        let path = input
            .map(|p| p.path().display().to_string())
            .unwrap_or_default();
        let outcome = DocOutcome::Unreadable {
            path: &path,
            reason: CRASHED,
        };
        self.done(index, &outcome, Vec::new())
    }
}

fn print_stats(started: Instant, documents: usize, jobs: usize, phases: &Phases) {
    let secs = started.elapsed().as_secs_f64();
    let rate = if secs > 0.0 {
        documents as f64 / secs
    } else {
        0.0
    };
    let peak = peak_memory_kib()
        .map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
        .unwrap_or_else(|| "未知".into());
    eprintln!(
        "统计：{documents} 份文档，{jobs} 个线程，用时 {secs:.3} 秒，每秒 {rate:.0} 份，峰值内存 {peak}；{}",
        phases.per_document(documents)
    );
}

pub fn run(args: &Args) -> ExitCode {
    let started = Instant::now();
    let inputs = inputs::expand(&args.paths);
    let jobs = args
        .jobs
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1)
        .max(1);
    // With one thread asked for, nothing is read ahead; with more, as many documents as the
    // workers may have in hand (the window of `pool::ordered`).
    let window = jobs * 8;
    let ahead = if jobs > 1 { window } else { 0 };
    let phases = Phases::default();
    let (prepared, early) = prepare_reading_ahead(args, &inputs, ahead, &phases);
    let Ok(Prepared { rules, cfg }) = prepared else {
        return ExitCode::from(UNREADABLE);
    };
    let mut out = match open_output(args.output.as_ref()) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let infos = rules.rules();
    let today = today();
    let run = RunInfo::new(env!("CARGO_PKG_VERSION"), &infos, today);
    let renderer = render::renderer(args.format.render());
    let job = Job {
        rules: &rules,
        cfg: cfg.as_ref(),
        run: &run,
        renderer: renderer.as_ref(),
        want_source: args.format.needs_source(),
        phases: &phases,
        early: early.into_iter().map(|r| Mutex::new(Some(r))).collect(),
        spare: Mutex::new(Vec::new()),
    };
    let bar = progress_bar(inputs.len(), args);
    let shared_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let mut summary = Summary::default();
    let mut ledger = cfg.as_ref().map(WaiverLedger::new);
    let mut write_error = out.write_all(renderer.begin(&run).as_bytes()).err();
    let mut first = true;
    pool::ordered(
        if write_error.is_some() {
            0
        } else {
            inputs.len()
        },
        jobs,
        window,
        |i| match inputs.get(i) {
            Some(input) => job.check(i, input),
            None => job.crashed(i, None),
        },
        |i| job.crashed(i, inputs.get(i)),
        |_, done| {
            summary.merge(done.summary);
            if let Some(l) = &mut ledger {
                l.record(&done.uses);
            }
            if let Some(b) = &bar {
                b.inc(1);
            }
            if done.part.is_empty() {
                job.reuse(done.part);
                return true;
            }
            let sep = if first { "" } else { renderer.separator() };
            first = false;
            let mut write = || {
                out.write_all(sep.as_bytes())
                    .and_then(|()| out.write_all(&done.part))
                    .and_then(|()| if shared_terminal { out.flush() } else { Ok(()) })
            };
            // The report and the bar share the terminal: hide the bar while writing.
            let written = match (&bar, shared_terminal) {
                (Some(b), true) => b.suspend(write),
                _ => write(),
            };
            job.reuse(done.part);
            match written {
                Ok(()) => true,
                Err(e) => {
                    write_error = Some(e);
                    false
                }
            }
        },
    );
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if let (Some(c), Some(l)) = (&cfg, &ledger) {
        summary.set_waiver_notices(&l.notices(c, today));
    }
    if write_error.is_none() {
        write_error = out
            .write_all(renderer.finish(&run, &summary).as_bytes())
            .and_then(|()| out.flush())
            .err();
    }
    if let Some(e) = write_error {
        // A closed pipe (`| head`) is not an error of ours.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("错误：无法写出报告：{e}");
            return ExitCode::from(UNREADABLE);
        }
    }
    // The summary goes to the terminal also when the report goes elsewhere.
    if args.format != Format::Human || args.output.is_some() {
        eprint!("{}", summary.to_text());
    }
    if args.stats {
        print_stats(started, summary.documents, jobs, &phases);
    }
    ExitCode::from(summary.exit_code())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document whose reading panics while the rules compile is reported as crashed; the
    /// documents after it are still read, and reading stops once the rules are ready.
    #[test]
    #[allow(clippy::panic)]
    fn a_panic_while_reading_ahead_is_that_documents_crash() {
        let ready = AtomicBool::new(false);
        let read_one = |i: &u32| -> Read {
            if *i == 2 {
                panic!("a bug while reading");
            }
            Err(format!("document {i}"))
        };
        let got = read_ahead(&[1, 2, 3], &ready, read_one);
        let errors: Vec<Option<&str>> = got
            .iter()
            .map(|r| r.as_ref().err().map(String::as_str))
            .collect();
        assert_eq!(
            errors,
            vec![Some("document 1"), Some(CRASHED), Some("document 3")]
        );
        ready.store(true, Ordering::Release);
        assert!(read_ahead(&[1, 3], &ready, read_one).is_empty());
    }
}
