//! The language corpus harness (the one integration-test binary of shenhe-lang).
//!
//! - `tests/lang/ok/*.rule` must parse with zero diagnostics; the AST outline is snapshotted.
//! - `tests/lang/err/*.rule` must produce at least one diagnostic; the rendered diagnostics
//!   (miette, Unicode without colour, 80 columns) are snapshotted.
//! - every prefix of every corpus file parses without panicking, with valid spans;
//! - the ```rule / ```expr / ```rule-error blocks of `docs/language/*.md` parse as stated;
//! - every snapshot in `tests/lang/snapshots/` belongs to a corpus file.
//!
//! A new file in `tests/lang/{ok,err}/` is a new test; see `tests/lang/README.md`.

// Test code: helpers outside `#[test]` functions may fail loudly too (clippy.toml allows this
// inside tests; these allows extend it to the harness's helper functions).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

#[path = "corpus/outline.rs"]
mod outline;

use std::fs;
use std::path::{Path, PathBuf};

use miette::{GraphicalReportHandler, GraphicalTheme};
use shenhe_lang::{Diagnostic, FileDiagnostics, Span, parse, parse_expr};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus(kind: &str) -> Vec<PathBuf> {
    let dir = root().join("tests/lang").join(kind);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rule"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus files in {}", dir.display());
    files
}

/// Reads a corpus file as the CLI would: lossy UTF-8 (binary junk stays junk, not a panic).
fn read(path: &Path) -> String {
    String::from_utf8_lossy(&fs::read(path).unwrap()).into_owned()
}

fn display_name(path: &Path) -> String {
    let rel = path.strip_prefix(root()).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

fn render(name: &str, src: &str, diagnostics: Vec<Diagnostic>) -> String {
    let report = FileDiagnostics::new(name, src, diagnostics);
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(80)
        .with_links(false)
        .without_syntax_highlighting()
        .render_report(&mut out, &report)
        .unwrap();
    out
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../../../tests/lang/snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

fn snapshot_name(kind: &str, path: &Path) -> String {
    let stem = path.file_stem().unwrap().to_string_lossy();
    format!("{kind}__{stem}")
}

#[test]
fn ok_files_parse_cleanly() {
    let mut failures = Vec::new();
    for path in corpus("ok") {
        let src = read(&path);
        let name = display_name(&path);
        let parsed = parse(&name, &src);
        if !parsed.diagnostics.is_empty() {
            failures.push(render(&name, &src, parsed.diagnostics));
            continue;
        }
        let mut s = settings();
        s.set_input_file(&path);
        s.bind(|| {
            insta::assert_snapshot!(
                snapshot_name("ok", &path),
                outline::outline(&parsed.file, &src)
            );
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn err_files_report_diagnostics() {
    for path in corpus("err") {
        let src = read(&path);
        let name = display_name(&path);
        let parsed = parse(&name, &src);
        assert!(
            !parsed.diagnostics.is_empty(),
            "{name}: expected at least one diagnostic"
        );
        check_spans(&src, &parsed);
        let mut s = settings();
        s.set_input_file(&path);
        s.bind(|| {
            insta::assert_snapshot!(
                snapshot_name("err", &path),
                render(&name, &src, parsed.diagnostics)
            );
        });
    }
}

fn check_span(src: &str, span: Span, what: &str) {
    let (a, b) = (span.start as usize, span.end as usize);
    assert!(
        a <= b && b <= src.len(),
        "{what}: span {a}..{b} out of 0..{}",
        src.len()
    );
    assert!(
        src.is_char_boundary(a) && src.is_char_boundary(b),
        "{what}: span {a}..{b} not on char boundaries"
    );
}

fn check_spans(src: &str, parsed: &shenhe_lang::Parsed) {
    for d in &parsed.diagnostics {
        check_span(src, d.span, &d.message);
        for s in &d.secondary {
            check_span(src, s.span, &s.text);
        }
    }
    for span in outline::all_spans(&parsed.file) {
        check_span(src, span, "ast");
    }
}

/// Every truncation of every corpus file: no panic, every span valid. Files over 4 KB (the
/// 20,000-parenthesis case) are left out: their prefixes are quadratic work and nesting is
/// covered by `deep_nesting_is_a_diagnostic`.
#[test]
fn every_truncation_parses_without_panic() {
    let mut count = 0usize;
    for path in corpus("ok").into_iter().chain(corpus("err")) {
        let src = read(&path);
        if src.len() > 4096 {
            continue;
        }
        let name = display_name(&path);
        for (i, _) in src.char_indices().chain(std::iter::once((src.len(), ' '))) {
            let prefix = &src[..i];
            let parsed = parse(&name, prefix);
            check_spans(prefix, &parsed);
            count += 1;
        }
    }
    assert!(count > 1000, "only {count} truncations");
}

/// Nesting far beyond the limit is a diagnostic, never a stack overflow.
#[test]
fn deep_nesting_is_a_diagnostic() {
    let n = 20_000;
    let cases = [
        format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        "(".repeat(n),
        format!("{}1", "-".repeat(n)),
        format!("{}真", "非 ".repeat(n)),
        format!("{}1", "!".repeat(n)),
        format!("{}1{}", "[".repeat(n), "]".repeat(n)),
        format!("a{}", "[1]".repeat(n)),
        format!("{}x", "每行 T: ".repeat(n)),
        format!("f({}1{})", "g(".repeat(n), ")".repeat(n)),
        format!("1{}", " + 1".repeat(n)),
        format!("a{}", ".b".repeat(n)),
    ];
    for (i, expr) in cases.iter().enumerate() {
        let errs = parse_expr(expr).expect_err("too deep");
        assert!(
            errs.iter().any(|d| d.code == "shenhe::lang::too_deep"),
            "case {i}: {:?}",
            errs.first()
        );
        let file = format!(
            "语言 1\n规则 A-1 \"t\" {{\n  断言 {expr}\n}}\n规则 A-2 \"u\" {{ 断言 1 == 1 }}\n"
        );
        let parsed = parse("deep.rule", &file);
        assert!(
            parsed
                .diagnostics
                .iter()
                .any(|d| d.code == "shenhe::lang::too_deep")
        );
        assert!(
            parsed.file.rules.iter().any(|r| r.id.node == "A-2"),
            "the next rule still parses"
        );
        check_spans(&file, &parsed);
    }
}

/// Unbalanced closers are plain syntax errors, however many.
#[test]
fn many_closers_are_a_syntax_error() {
    for closers in [")".repeat(20_000), "]".repeat(20_000), "}".repeat(20_000)] {
        let errs = parse_expr(&closers).expect_err("unbalanced");
        assert_eq!(errs[0].code, "shenhe::lang::syntax");
        let file = format!("语言 1\n{closers}\n规则 A-1 \"t\" {{ 断言 1 == 1 }}\n");
        let parsed = parse("closers.rule", &file);
        assert_eq!(parsed.diagnostics.len(), 1, "{:?}", parsed.diagnostics);
        assert_eq!(parsed.file.rules.len(), 1);
    }
}

/// Just under the limits everything parses, on a thread with a small stack.
#[test]
fn nesting_at_the_limit_parses_on_a_small_stack() {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let n = shenhe_lang::MAX_NESTING;
            for expr in [
                format!("{}1{}", "(".repeat(n), ")".repeat(n)),
                format!("{}1", "-".repeat(n)),
                format!("a{}", "[1]".repeat(n)),
                format!("{}x", "每行 T: ".repeat(n)),
                format!("1{}", " + 1".repeat(shenhe_lang::MAX_TREE_DEPTH - 1)),
            ] {
                parse_expr(&expr).unwrap_or_else(|e| panic!("{:?}", e.first()));
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

/// A fenced block of a Markdown page: its info string, first line number and text.
struct Block {
    info: String,
    line: usize,
    text: String,
}

fn blocks(md: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for (i, line) in md.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            match current.take() {
                Some(b) => out.push(b),
                None => {
                    current = Some(Block {
                        info: info.trim().to_string(),
                        line: i + 2,
                        text: String::new(),
                    });
                }
            }
        } else if let Some(b) = &mut current {
            b.text.push_str(line);
            b.text.push('\n');
        }
    }
    out
}

/// The `shenhe::…` code named in a heading line, if any.
fn code_in(heading: &str) -> Option<String> {
    let start = heading.find("shenhe::")?;
    let code: String = heading[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '_')
        .collect();
    Some(code)
}

/// The code named in the nearest heading above line `line` (1-based).
fn heading_code(md: &str, line: usize) -> Option<String> {
    md.lines()
        .take(line)
        .filter(|l| l.starts_with('#'))
        .last()
        .and_then(code_in)
}

/// Whether this harness checks a `rule-error` example under a heading with `code`: parse
/// errors only (`shenhe::lang::…` or no code); evaluator errors are checked by shenhe-eval.
fn is_lang(code: &Option<String>) -> bool {
    code.as_deref()
        .is_none_or(|c| c.starts_with("shenhe::lang::"))
}

#[test]
fn docs_examples_parse() {
    let dir = root().join("docs/language");
    let mut pages: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    pages.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for page in pages {
        let md = fs::read_to_string(&page).unwrap();
        let name = display_name(&page);
        for b in blocks(&md) {
            let here = format!("{name}:{}", b.line);
            match b.info.as_str() {
                "rule" => {
                    let parsed = parse(&here, &b.text);
                    if !parsed.diagnostics.is_empty() {
                        failures.push(render(&here, &b.text, parsed.diagnostics));
                    }
                }
                "expr" => {
                    for (k, line) in b.text.lines().enumerate() {
                        if line.trim().is_empty() {
                            continue;
                        }
                        if let Err(d) = parse_expr(line) {
                            failures
                                .push(format!("{here}+{k}: {line}\n{}", render(&here, line, d)));
                        }
                    }
                }
                "rule-error" => {
                    if !is_lang(&heading_code(&md, b.line)) {
                        continue;
                    }
                    let parsed = parse(&here, &b.text);
                    let found = match heading_code(&md, b.line) {
                        Some(code) => parsed.diagnostics.iter().any(|d| d.code == code),
                        None => !parsed.diagnostics.is_empty(),
                    };
                    if !found {
                        let code = heading_code(&md, b.line);
                        failures.push(format!(
                            "{here}: expected a diagnostic {code:?}, got {:?}",
                            parsed
                                .diagnostics
                                .iter()
                                .map(|d| &d.code)
                                .collect::<Vec<_>>()
                        ));
                    }
                }
                _ => continue,
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        checked > 10,
        "only {checked} examples found in docs/language"
    );
}

/// In the docs, a ```diagnostic block right after a ```rule-error block shows exactly what
/// shenhe prints for it (file name `示例.rule`). `SHENHE_UPDATE_DOCS=1` rewrites them.
#[test]
fn docs_diagnostic_outputs_are_current() {
    let update = std::env::var_os("SHENHE_UPDATE_DOCS").is_some_and(|v| v == "1");
    let dir = root().join("docs/language");
    let mut stale = Vec::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let page = entry.unwrap().path();
        if page.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let md = fs::read_to_string(&page).unwrap();
        let fresh = with_fresh_diagnostics(&md);
        if fresh != md {
            if update {
                fs::write(&page, &fresh).unwrap();
            } else {
                stale.push(display_name(&page));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "```diagnostic blocks are out of date in {stale:?}; rerun with SHENHE_UPDATE_DOCS=1 and review the diff"
    );
}

/// `md` with every ```diagnostic block that follows a ```rule-error block re-rendered.
fn with_fresh_diagnostics(md: &str) -> String {
    let mut out = String::new();
    let mut lines = md.lines();
    let mut last_rule_error: Option<String> = None;
    let mut heading: Option<String> = None;
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        let fence = line.trim();
        if line.starts_with('#') {
            heading = code_in(line);
        }
        if fence == "```rule-error" && is_lang(&heading) {
            let mut text = String::new();
            for l in lines.by_ref() {
                out.push_str(l);
                out.push('\n');
                if l.trim() == "```" {
                    break;
                }
                text.push_str(l);
                text.push('\n');
            }
            last_rule_error = Some(text);
        } else if fence == "```diagnostic" && last_rule_error.is_some() {
            for l in lines.by_ref() {
                if l.trim() == "```" {
                    break;
                }
            }
            if let Some(text) = last_rule_error.take() {
                let rendered = render("示例.rule", &text, parse("示例.rule", &text).diagnostics);
                for l in rendered.trim_end().lines() {
                    out.push_str(l.trim_end());
                    out.push('\n');
                }
            }
            out.push_str("```\n");
        } else if fence.starts_with("```") {
            // Any other block in between detaches the output from its input.
            last_rule_error = None;
            for l in lines.by_ref() {
                out.push_str(l);
                out.push('\n');
                if l.trim() == "```" {
                    break;
                }
            }
        }
    }
    out
}

/// Every snapshot belongs to a corpus file (no stale snapshots after a rename).
#[test]
fn no_orphan_snapshots() {
    let dir = root().join("tests/lang/snapshots");
    let Ok(entries) = fs::read_dir(&dir) else {
        return;
    };
    let mut orphans = Vec::new();
    for e in entries {
        let path = e.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = file.strip_suffix(".snap") else {
            if !file.ends_with(".snap.new") {
                orphans.push(file);
            }
            continue;
        };
        let source = stem.split_once("__").map(|(kind, name)| {
            root()
                .join("tests/lang")
                .join(kind)
                .join(format!("{name}.rule"))
        });
        if !source.is_some_and(|p| p.exists()) {
            orphans.push(file);
        }
    }
    assert!(
        orphans.is_empty(),
        "snapshots without a corpus file: {orphans:?}"
    );
}
