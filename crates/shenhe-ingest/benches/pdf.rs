//! PDF ingest speed on the corpus: milliseconds per document for `read_pdf` (PDF → document
//! model), side by side with poppler's `pdftotext -layout` on the same files when it is
//! installed (it only produces text). Run with `cargo bench -p shenhe-ingest --bench pdf`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

/// Median of `runs` timings of `f`, after one warm-up run.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1e3
}

fn pdftotext_available() -> bool {
    Command::new("pdftotext")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("tests/corpus")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    let opts = shenhe_ingest::Options::default();
    let poppler = pdftotext_available();
    println!(
        "{:<52} {:>6} {:>10} {:>12} {:>7}",
        "document", "pages", "read_pdf", "pdftotext", "ratio"
    );
    let (mut sum_ours, mut sum_theirs) = (0.0, 0.0);
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let doc = shenhe_ingest::read_pdf(&name, &bytes, &opts).unwrap();
        let ours = median_ms(runs, || {
            let d = shenhe_ingest::read_pdf(&name, &bytes, &opts).unwrap();
            std::hint::black_box(d);
        });
        sum_ours += ours;
        let theirs: Option<f64> = poppler.then(|| {
            median_ms(runs, || {
                let st = Command::new("pdftotext")
                    .arg("-layout")
                    .arg(path)
                    .arg("-")
                    .stdout(Stdio::null())
                    .status()
                    .unwrap();
                assert!(st.success());
            })
        });
        sum_theirs += theirs.unwrap_or(0.0);
        let (theirs_s, ratio_s) = match theirs {
            Some(t) => (format!("{t:.1} ms"), format!("{:.2}", ours / t)),
            None => ("(absent)".to_string(), String::new()),
        };
        println!(
            "{name:<52} {:>6} {ours:>7.1} ms {theirs_s:>12} {ratio_s:>7}",
            doc.meta.pages.unwrap_or(0)
        );
    }
    let n = files.len().max(1) as f64;
    print!("mean: read_pdf {:.1} ms/document", sum_ours / n);
    if poppler {
        print!(
            ", pdftotext -layout {:.1} ms/document, ratio {:.2}",
            sum_theirs / n,
            sum_ours / sum_theirs
        );
    }
    println!();
}
