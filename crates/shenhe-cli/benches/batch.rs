//! Batch throughput of `shenhe check`: a folder of copies of the seed document
//! (`examples/000_69e425832d03fcc4.txt`, 2,000 by default; `SHENHE_BENCH_DOCS=N` for another
//! number) checked in one call with the bundled rule pack, in each output format, reporting
//! documents per second and the peak memory the binary reports (`--stats`, VmHWM).
//!
//! Run with `cargo bench -p shenhe-cli --bench batch`. The target is ≥ 4,000 documents/s on two
//! cores (issue 6). `SHENHE_BIN=path/to/shenhe` measures another build of the binary instead of
//! the one cargo built for the bench, e.g. the profile-guided build of `scripts/pgo-build.sh`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

fn main() {
    let n: usize = std::env::var("SHENHE_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let seed =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/000_69e425832d03fcc4.txt");
    let text = match std::fs::read(&seed) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read the seed {}: {e}", seed.display());
            std::process::exit(1);
        }
    };
    let dir = std::env::temp_dir().join(format!("shenhe-bench-batch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        std::process::exit(1);
    }
    for i in 0..n {
        if let Err(e) = std::fs::write(dir.join(format!("d{i:05}.txt")), &text) {
            eprintln!("cannot write the batch: {e}");
            std::process::exit(1);
        }
    }
    let bin = std::env::var_os("SHENHE_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_shenhe")),
        PathBuf::from,
    );
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!(
        "batch: {n} copies of the seed, {cores} cores, bundled rule pack, {}",
        bin.display()
    );
    for format in ["json", "human", "sarif", "junit", "html"] {
        let started = Instant::now();
        let out = Command::new(&bin)
            .args([
                "check",
                "--format",
                format,
                "--output",
                "/dev/null",
                "--stats",
                "--no-progress",
            ])
            .arg(&dir)
            .output();
        let secs = started.elapsed().as_secs_f64();
        match out {
            Ok(o) => {
                let stderr = String::from_utf8_lossy(&o.stderr);
                let stats = stderr
                    .lines()
                    .find(|l| l.starts_with("统计："))
                    .unwrap_or("(no --stats line)");
                println!(
                    "{format:>6}: {:>8.0} documents/s ({secs:.2} s wall, exit {:?}); {stats}",
                    n as f64 / secs,
                    o.status.code()
                );
            }
            Err(e) => println!("{format:>6}: cannot run shenhe: {e}"),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
