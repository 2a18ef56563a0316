//! Text ingest speed on the seed document: docs/s and MB/s. Run with
//! `cargo bench -p shenhe-ingest`.

use std::time::{Duration, Instant};

const SEED: &str = include_str!("../../../examples/000_69e425832d03fcc4.txt");

fn main() {
    let opts = shenhe_ingest::Options::default();
    let bytes = SEED.as_bytes();
    // Warm up (parses the bundled catalogue and profiles once).
    for _ in 0..50 {
        let doc = shenhe_ingest::read_text("seed.txt", bytes, &opts);
        assert!(doc.is_ok());
    }
    let budget = Duration::from_secs(3);
    let start = Instant::now();
    let mut n = 0u64;
    let mut tables = 0usize;
    while start.elapsed() < budget {
        for _ in 0..100 {
            if let Ok(doc) = shenhe_ingest::read_text("seed.txt", bytes, &opts) {
                tables += doc.tables.len();
            }
            n += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let docs_per_s = n as f64 / secs;
    let mb_per_s = docs_per_s * bytes.len() as f64 / 1e6;
    println!(
        "text ingest, seed ({} bytes): {n} docs in {secs:.2} s = {docs_per_s:.0} docs/s, {mb_per_s:.1} MB/s, {:.1} µs/doc (tables read: {})",
        bytes.len(),
        1e6 / docs_per_s,
        tables / n.max(1) as usize
    );
}
