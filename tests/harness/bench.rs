//! Benchmark: the whole bundled rule pack on the seed document (target: under 1 ms per check).
//! The document is read once; the timed loop is `RuleSet::check` only. Run with
//! `cargo bench -p shenhe-tests --bench pack`.

use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let path = root.join("examples/000_69e425832d03fcc4.txt");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            return;
        }
    };
    let doc = shenhe_ingest::read_str("000_69e425832d03fcc4.txt", &text, &Default::default());
    let engine = shenhe_eval::Engine::new();
    let started = Instant::now();
    let rules = match engine.compile_builtin() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("the bundled pack does not compile: {e:?}");
            return;
        }
    };
    let compile = started.elapsed();
    // Warm up, then time batches until at least one second has passed.
    let mut findings = 0;
    for _ in 0..20 {
        findings = rules.check(&doc).findings.len();
    }
    let mut runs = 0u32;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(1) {
        for _ in 0..50 {
            std::hint::black_box(rules.check(std::hint::black_box(&doc)));
        }
        runs += 50;
    }
    let per = started.elapsed() / runs;
    // The slowest rules, each compiled and timed alone (the document index is built per check,
    // so each figure includes that fixed cost).
    let mut each: Vec<(f64, &str)> = Vec::new();
    for (name, text) in shenhe_eval::Engine::builtin_rules() {
        let Ok(one) = engine.compile(&[(*name, *text)]) else {
            continue;
        };
        let t = Instant::now();
        for _ in 0..20 {
            std::hint::black_box(one.check(&doc));
        }
        each.push((t.elapsed().as_secs_f64() * 1e6 / 20.0, name));
    }
    each.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (us, name) in each.iter().take(12) {
        println!("  {us:>9.1} µs  {name}");
    }
    println!(
        "pack on seed: {} rules, {findings} findings; compile {:.2} ms; check {:.1} µs/run over {runs} runs",
        rules.len(),
        compile.as_secs_f64() * 1e3,
        per.as_secs_f64() * 1e6
    );
}
