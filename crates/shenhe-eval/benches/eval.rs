//! Benchmarks of the evaluator (run with `cargo bench -p shenhe-eval`):
//!
//! - compiling 1,000 rules (target: under 50 ms);
//! - checking a seed-like document (the seed's tables and narrative, built by hand as in the
//!   integration tests) with 200 rules (target: under 1 ms);
//! - checking the seed document itself (its model as the ingest snapshot records it) with the
//!   whole bundled rule pack (target: under 1 ms), and the slowest rules of the pack alone.
//!
//! Plain `std::time::Instant` timing: a warm-up, then the mean (and the best and median) of many rounds.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

#[path = "../tests/support/sample.rs"]
pub mod sample;

use std::time::{Duration, Instant};

use shenhe_eval::Engine;

/// Rule bodies of the kinds a rule pack has: identities between tables, row identities,
/// hierarchy rollups, narrative restatements with patterns, shares, catalogue names, guarded
/// rules that do not apply.
const BODIES: &[&str] = &[
    "断言 sum(表三.基本支出) == 表七.总计",
    "断言 表三.总计.支出合计 == 表三.总计.基本支出 + 表三.总计.项目支出 + 表三.总计.上年结转",
    "断言 每行 表三 若 非 空白(行.支出合计): 支出合计 == 基本支出 + 项目支出 + 上年结转",
    "断言 层级合计(表六)",
    "断言 每处 \"基本支出{金额:金额}\": 金额 == 表三.总计.基本支出",
    "断言 每处 \"{名:词}支出{金额:金额}，占{比:百分比}\" 于 章节(\"支出预算\"): 比 == 占比(金额, 表三.总计.支出合计)\n    消息 \"{名}支出占比 {比} 与按 {金额} 计算的 {右} 不符\"",
    "断言 占比(表三.总计.基本支出, 表三.总计.支出合计) == 82.93%",
    "断言 每行 表六 若 层级(行) == \"项\": 名称(行) == 目录名称(行)",
    "前提 存在(表十二)\n    断言 表十二.总计 == 0",
    "令 人员 = 整体绩效目标表.人员经费\n    令 公用 = 整体绩效目标表.公用经费\n    断言 整体绩效目标表.合计 == 人员 + 公用\n    消息 \"合计 {左} 与 {人员} + {公用} = {右} 不符\"",
    "断言 表八.总计.培训费 <= 表八.总计.会议费 + 10万元 且 表八.三公经费.合计.总计 >= 0",
    "断言 表一.收入总计 == 表一.支出总计 且 sum(表一.支出.预算数) == 表一.支出总计",
    "断言 每处 \"减少{减:金额}，下降{率:百分比}\": 率 == abs(增幅(表三.总计.基本支出, 表三.总计.基本支出 + 减)) ± 0.01%",
    "断言 为空(表十) 且 包含(表十, \"空表\")",
    "断言 表六[\"2010104\"].项目支出 == 表三.人大会议.项目支出",
];

fn rule_file(n: usize) -> String {
    let mut s = String::from("语言 1\n\n令 总支出 = 表三.总计.支出合计\n\n");
    for i in 0..n {
        let body = BODIES[i % BODIES.len()];
        s.push_str(&format!(
            "/// 第 {i} 条。\n规则 BN-{:04} \"基准规则 {i}\" {{\n    级别 错误\n    类别 基准\n    依据 \"《地方预决算公开操作规程》\"\n    {body}\n}}\n\n",
            i + 1
        ));
    }
    s
}

/// Runs `f` for about `budget`, after a warm-up; returns (mean, best, median) per call and the
/// count. On a shared machine the mean carries every preemption; the median does not.
fn time<T>(budget: Duration, mut f: impl FnMut() -> T) -> (Duration, Duration, Duration, u32) {
    for _ in 0..3 {
        std::hint::black_box(f());
    }
    let mut all = Vec::new();
    let mut total = Duration::ZERO;
    while total < budget || all.len() < 10 {
        let t = Instant::now();
        std::hint::black_box(f());
        let d = t.elapsed();
        total += d;
        all.push(d);
    }
    all.sort_unstable();
    let n = u32::try_from(all.len()).unwrap_or(u32::MAX);
    let best = all.first().copied().unwrap_or_default();
    let median = all.get(all.len() / 2).copied().unwrap_or_default();
    (total / n, best, median, n)
}

/// The seed document's model, as the ingest crate's snapshot records it (the evaluator does not
/// depend on ingest); `None` when the snapshot is not there.
fn seed_model() -> Option<shenhe_model::Document> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shenhe-ingest/tests/snapshots/ingest__seed_json.snap");
    let text = std::fs::read_to_string(&path).ok()?;
    // An insta snapshot: a `---` header, then the JSON.
    let json = text.splitn(3, "---\n").nth(2)?;
    match serde_json::from_str(json) {
        Ok(doc) => Some(doc),
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            None
        }
    }
}

/// The whole bundled pack on the seed: time per check, and the slowest rules alone (each
/// figure includes building the document index, a fixed cost per check).
fn pack(engine: &Engine) {
    let Some(doc) = seed_model() else {
        println!("pack on seed: the ingest snapshot of the seed is missing; skipped");
        return;
    };
    let rules = engine.compile_builtin().unwrap();
    let report = rules.check(&doc);
    let (mean, best, median, n) = time(Duration::from_secs(3), || rules.check(&doc));
    let mut each: Vec<(f64, &str)> = Vec::new();
    for (name, text) in Engine::builtin_rules() {
        let one = engine.compile(&[(*name, *text)]).unwrap();
        let (mean, _, _, _) = time(Duration::from_millis(50), || one.check(&doc));
        each.push((mean.as_secs_f64() * 1e6, name));
    }
    each.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (us, name) in each.iter().take(10) {
        println!("  {us:>9.1} µs  {name}");
    }
    println!(
        "check the seed with the bundled pack ({} rules; {} findings): mean {:.1} µs, median {:.1} µs, best {:.1} µs over {n} runs (target < 1 ms)",
        rules.len(),
        report.findings.len(),
        mean.as_secs_f64() * 1e6,
        median.as_secs_f64() * 1e6,
        best.as_secs_f64() * 1e6
    );
}

/// For profilers (callgrind): compile 1,000 rules three times, check the document 50 times, or
/// check the seed with the bundled pack (`pack`) or some of its files (`rule-WB-00`) 50 times,
/// without timing.
pub fn profile(what: &str) {
    let engine = Engine::new();
    if what == "pack" {
        let doc = seed_model().unwrap();
        let rules = engine.compile_builtin().unwrap();
        for _ in 0..50 {
            std::hint::black_box(rules.check(&doc));
        }
    } else if let Some(part) = what.strip_prefix("rule-") {
        // The pack's rule files whose path contains `part`, checked 50 times (instructions per
        // rule, with the document index each check builds).
        let doc = seed_model().unwrap();
        let files: Vec<(&str, &str)> = Engine::builtin_rules()
            .iter()
            .filter(|(name, _)| name.contains(part))
            .copied()
            .collect();
        let rules = engine.compile(&files).unwrap();
        for _ in 0..50 {
            std::hint::black_box(rules.check(&doc));
        }
    } else if what == "compile" {
        let big = rule_file(1000);
        for _ in 0..3 {
            std::hint::black_box(engine.compile(&[("bench.rule", big.as_str())]).unwrap());
        }
    } else if let Some(k) = what.strip_prefix("template-") {
        // One kind of rule, 200 times (to see what each costs).
        let k: usize = k.parse().unwrap();
        let doc = sample::seed();
        let mut src = String::from("语言 1\n\n令 总支出 = 表三.总计.支出合计\n\n");
        for i in 0..200 {
            src.push_str(&format!(
                "规则 BN-{:04} \"t\" {{\n    {}\n}}\n",
                i + 1,
                BODIES[k]
            ));
        }
        let set = engine.compile(&[("bench.rule", src.as_str())]).unwrap();
        for _ in 0..10 {
            std::hint::black_box(set.check(&doc));
        }
    } else {
        let doc = sample::seed();
        let src = rule_file(200);
        let set = engine.compile(&[("bench.rule", src.as_str())]).unwrap();
        for _ in 0..50 {
            std::hint::black_box(set.check(&doc));
        }
    }
}

fn main() {
    if let Some(what) = std::env::args()
        .nth(1)
        .filter(|a| a.starts_with("profile-"))
    {
        profile(what.trim_start_matches("profile-"));
        return;
    }
    let engine = Engine::new();
    // `cargo bench -p shenhe-eval --bench eval -- pack`: only the bundled pack on the seed.
    if std::env::args().any(|a| a == "pack") {
        pack(&engine);
        return;
    }

    let big = rule_file(1000);
    let (mean, best, _, n) = time(Duration::from_secs(3), || {
        engine.compile(&[("bench.rule", big.as_str())]).unwrap()
    });
    println!(
        "compile 1,000 rules ({} KiB): mean {:.2} ms, best {:.2} ms over {n} runs (target < 50 ms)",
        big.len() / 1024,
        mean.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3
    );

    let doc = sample::seed();
    let src = rule_file(200);
    let set = engine.compile(&[("bench.rule", src.as_str())]).unwrap();
    let report = set.check(&doc);
    let c = &report.counts;
    assert_eq!(c.error, 0, "{:?}", report.errors);
    let (mean, best, _, n) = time(Duration::from_secs(3), || set.check(&doc));
    println!(
        "check a seed-like document with 200 rules (pass {}, fail {}, n/a {}; {} findings): mean {:.1} µs, best {:.1} µs over {n} runs (target < 1 ms)",
        c.pass,
        c.fail,
        c.not_applicable,
        c.findings,
        mean.as_secs_f64() * 1e6,
        best.as_secs_f64() * 1e6
    );

    let (mean, _, _, _) = time(Duration::from_secs(1), || {
        engine
            .eval_str(&doc, "sum(表三.基本支出) == 表七.总计")
            .unwrap()
    });
    println!(
        "eval one expression (parse, compile, index the document, evaluate): mean {:.1} µs",
        mean.as_secs_f64() * 1e6
    );

    pack(&engine);
}
