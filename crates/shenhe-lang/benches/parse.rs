//! Parsing speed: a generated file of 1,000 rules (`cargo bench -p shenhe-lang`).
//! Target: compiling 1,000 rules in < 50 ms overall, of which parsing is one part.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// A rule file with `n` rules using every kind of clause and the common expression forms.
fn generate(n: usize) -> String {
    let mut s = String::from("# 生成的基准文件\n语言 1\n\n令 容许 = 0.01万元\n\n");
    for i in 0..n {
        let kind = i % 4;
        s.push_str(&format!(
            "/// 检查第 {i} 项。\n/// 依据见下。\n规则 BM-{i:04} \"基准规则 {i}\" {{\n    级别 {}\n    类别 表内\n    依据 \"《地方预决算公开操作规程》（财预〔2016〕143号）\"\n    适用 预算, 决算\n    前提 存在(表三) 且 非 为空(表三)\n    令 合计 = 表三.合计.基本支出 + 表三.合计.项目支出\n",
            match kind {
                1 => "警告",
                2 => "提示",
                _ => "错误",
            }
        ));
        match kind {
            0 => s.push_str("    断言 合计 == 表三.合计.合计 ± 0.5万元\n"),
            1 => s.push_str(
                "    断言 每行 表三 若 层级(行) == \"类\" : 支出合计 == 基本支出 + 项目支出 + 上年结转\n",
            ),
            2 => s.push_str(
                "    断言 每处 \"基本支出{金额:金额}，占{比:百分比}\" 于 章节(\"支出\") : 金额 == 表三.合计.基本支出 且 比 <= 100%\n",
            ),
            _ => s.push_str(
                "    断言 sum(表六[\"2010104\"].项目支出, 表六[\"人大会议\"].项目支出) >= 0 且 占比(a, b) < 82.93%\n",
            ),
        }
        s.push_str("    消息 \"{左} 与 {右} 相差 {差}\"\n}\n\n");
    }
    s
}

/// The bundled pack's rule files (`rules/**/*.rule`), read from the repository.
fn pack_files() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        let Ok(dir) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rule")
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                out.push((path.display().to_string(), text));
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules"),
        &mut out,
    );
    out
}

/// For profilers (callgrind): `profile-pack` parses the bundled pack once, `profile-generated`
/// the generated 1,000 rules once, without timing.
fn profile(what: &str) {
    match what {
        "pack" => {
            for (name, text) in pack_files() {
                let parsed = shenhe_lang::parse(&name, black_box(&text));
                assert!(parsed.diagnostics.is_empty(), "{name}");
            }
        }
        _ => {
            black_box(shenhe_lang::parse(
                "bench.rule",
                black_box(&generate(1_000)),
            ));
        }
    }
}

fn main() {
    if let Some(what) = std::env::args()
        .nth(1)
        .and_then(|a| a.strip_prefix("profile-").map(str::to_string))
    {
        profile(&what);
        return;
    }
    let rules = 1_000;
    let src = generate(rules);
    let parsed = shenhe_lang::parse("bench.rule", &src);
    assert!(
        parsed.diagnostics.is_empty(),
        "{:?}",
        parsed.diagnostics.first()
    );
    assert_eq!(parsed.file.rules.len(), rules);

    for _ in 0..3 {
        black_box(shenhe_lang::parse("bench.rule", black_box(&src)));
    }
    let runs = 20;
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(shenhe_lang::parse("bench.rule", black_box(&src)));
            t.elapsed()
        })
        .collect();
    times.sort();
    let median = times.get(runs / 2).copied().unwrap_or_default();
    let min = times.first().copied().unwrap_or_default();
    println!(
        "parse {rules} rules ({} KiB, {} lines): median {:.2} ms, min {:.2} ms ({:.1} µs per rule)",
        src.len() / 1024,
        src.lines().count(),
        median.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e6 / rules as f64,
    );
}
