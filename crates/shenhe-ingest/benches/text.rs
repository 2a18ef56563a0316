//! Text ingest speed on the seed document: docs/s and MB/s, best and median of rounds. Run
//! with `cargo bench -p shenhe-ingest --bench text`.
//!
//! `SHENHE_BENCH_ITERS=N` reads the seed N times without timing rounds (for
//! `valgrind --tool=callgrind`: instructions per document = total / N after subtracting a run
//! with N = 0).

use std::time::{Duration, Instant};

const SEED: &str = include_str!("../../../examples/000_69e425832d03fcc4.txt");

fn main() {
    let opts = shenhe_ingest::Options::default();
    let bytes = SEED.as_bytes();
    if let Some(n) = std::env::var("SHENHE_BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        // One read to parse the bundled catalogue and profiles, then N measured reads.
        let mut tables = usize::from(shenhe_ingest::read_text("seed.txt", bytes, &opts).is_ok());
        for _ in 0..n {
            if let Ok(doc) = shenhe_ingest::read_text("seed.txt", bytes, &opts) {
                tables += doc.tables.len();
            }
        }
        println!("{n} reads ({tables})");
        return;
    }
    // Warm up (parses the bundled catalogue and profiles once).
    for _ in 0..50 {
        let doc = shenhe_ingest::read_text("seed.txt", bytes, &opts);
        assert!(doc.is_ok());
    }
    let budget = Duration::from_secs(3);
    let start = Instant::now();
    let mut rounds: Vec<f64> = Vec::new();
    let mut n = 0u64;
    let mut tables = 0usize;
    while start.elapsed() < budget {
        let round = Instant::now();
        for _ in 0..50 {
            if let Ok(doc) = shenhe_ingest::read_text("seed.txt", bytes, &opts) {
                tables += doc.tables.len();
            }
            n += 1;
        }
        rounds.push(round.elapsed().as_secs_f64() / 50.0);
    }
    rounds.sort_by(f64::total_cmp);
    let best = rounds.first().copied().unwrap_or(f64::NAN);
    let median = rounds.get(rounds.len() / 2).copied().unwrap_or(f64::NAN);
    let mb = bytes.len() as f64 / 1e6;
    println!(
        "text ingest, seed ({} bytes), {n} docs: best {:.0} docs/s ({:.1} µs/doc, {:.1} MB/s), median {:.0} docs/s ({:.1} µs/doc, {:.1} MB/s) (tables read: {})",
        bytes.len(),
        1.0 / best,
        best * 1e6,
        mb / best,
        1.0 / median,
        median * 1e6,
        mb / median,
        tables / n.max(1) as usize
    );
}
