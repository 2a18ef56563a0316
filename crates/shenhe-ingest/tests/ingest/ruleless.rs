//! Tables printed without ruling lines: each corpus PDF is rewritten here with every drawn path
//! removed (the path construction and painting operators of every page and form content
//! stream), and the tables read from that rule-less variant are compared with those read from
//! the original, where the ruling lines are there. No new fixtures: the variants are derived
//! from the committed corpus in the test itself.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;
use std::path::PathBuf;

use lopdf::content::{Content, Operation};
use lopdf::{Object, ObjectId};
use shenhe_ingest::{Options, read_pdf};
use shenhe_model::{Document, Table};

use crate::{corpus, value};

/// Operators that build or paint a path (or clip with one): all of them go.
const PATH_OPS: [&str; 22] = [
    "m", "l", "c", "v", "y", "h", "re", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n", "W",
    "W*", "sh", "BI", "EI",
];

/// Operators that paint the current path: kept with horizontal rules, harmless without a path.
const PAINT_OPS: [&str; 11] = ["S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n", "re"];

/// A thin wide rectangle: a horizontal rule as these exports draw them (`re f`).
fn is_horizontal_rule(o: &Operation) -> bool {
    let n: Vec<f32> = o
        .operands
        .iter()
        .filter_map(|x| x.as_float().ok())
        .collect();
    o.operator == "re" && matches!(n.as_slice(), [_, _, w, h] if h.abs() <= 2.0 && w.abs() > 10.0)
}

fn strip(ops: Vec<Operation>, keep_horizontal: bool) -> Vec<Operation> {
    ops.into_iter()
        .filter(|o| {
            let op = o.operator.as_str();
            if keep_horizontal && PAINT_OPS.contains(&op) {
                return op != "re" || is_horizontal_rule(o);
            }
            !PATH_OPS.contains(&op)
        })
        .collect()
}

/// The PDF with every drawn path removed: text stays where it was, no line is left.
pub(crate) fn ruleless(bytes: &[u8]) -> Vec<u8> {
    strip_paths(bytes, false)
}

/// The PDF with drawn paths removed except, with `keep_horizontal`, the horizontal rules drawn
/// as thin rectangles (a table with horizontal rules only).
fn strip_paths(bytes: &[u8], keep_horizontal: bool) -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(bytes).unwrap();
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    for id in pages {
        let content = doc.get_page_content(id);
        let ops = Content::decode(&content).unwrap().operations;
        let out = Content {
            operations: strip(ops, keep_horizontal),
        }
        .encode()
        .unwrap();
        doc.change_page_content(id, out).unwrap();
    }
    // Form XObjects draw too.
    let forms: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| {
            o.as_stream().is_ok_and(|s| {
                s.dict
                    .get(b"Subtype")
                    .and_then(Object::as_name)
                    .is_ok_and(|n| n == b"Form")
            })
        })
        .map(|(id, _)| *id)
        .collect();
    for id in forms {
        let Some(Object::Stream(s)) = doc.objects.get_mut(&id) else {
            continue;
        };
        let data = s
            .decompressed_content()
            .unwrap_or_else(|_| s.content.clone());
        let ops = Content::decode(&data).unwrap().operations;
        let out = Content {
            operations: strip(ops, keep_horizontal),
        }
        .encode()
        .unwrap();
        s.dict.remove(b"Filter");
        s.dict.remove(b"DecodeParms");
        s.set_content(out);
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// What the comparison covers of a table: title, unit, columns (kind, header path, group,
/// number) and rows (label, code, kind, group, cell values by column).
fn table_text(t: &Table) -> String {
    let mut out = String::new();
    let number = t.number.as_ref().map(|n| n.printed.as_str()).unwrap_or("");
    let _ = writeln!(
        out,
        "## {number} {} 单位={}",
        t.title,
        t.unit.map(|u| u.name()).unwrap_or("-"),
    );
    for (i, c) in t.columns.iter().enumerate() {
        let _ = writeln!(
            out,
            "  列{i} {:?} {} ({}) #{}",
            c.kind,
            c.path.join("/"),
            c.group.as_deref().unwrap_or(""),
            c.number.as_deref().unwrap_or("")
        );
    }
    for r in &t.rows {
        let cells: Vec<String> = r
            .cells
            .iter()
            .map(|c| format!("{}={}", c.column, value(&c.value)))
            .collect();
        let _ = writeln!(
            out,
            "  [{}] {} {} {:?} :: {}",
            r.group.as_deref().unwrap_or(""),
            r.code.as_deref().unwrap_or("-"),
            r.label,
            r.kind,
            cells.join(" | ")
        );
    }
    out
}

/// Per table of the original: whether the rule-less variant has a table with the same text.
fn compare(name: &str) -> (Document, Document, Vec<(String, bool)>) {
    compare_with(name, false)
}

fn compare_with(name: &str, keep_horizontal: bool) -> (Document, Document, Vec<(String, bool)>) {
    let bytes = corpus(name);
    let ruled = read_pdf(name, &bytes, &Options::default()).unwrap();
    let variant = strip_paths(&bytes, keep_horizontal);
    let bare = read_pdf(name, &variant, &Options::default()).unwrap();
    let bare_texts: Vec<String> = bare.tables.iter().map(table_text).collect();
    let result = ruled
        .tables
        .iter()
        .map(|t| {
            let text = table_text(t);
            let same = bare_texts.contains(&text);
            (t.display_name(), same)
        })
        .collect();
    (ruled, bare, result)
}

/// The tables the alignment mechanism reads exactly as the ruled original (title, unit,
/// columns with their header paths, rows with codes, labels, kinds and every cell). The others
/// still differ: run `dump_ruleless_differences` (with `RULELESS_VERBOSE=DIR` to write both
/// readings of each differing table into DIR) to see how.
const SAME_WITHOUT_RULES: &[(&str, &[&str])] = &[
    (
        "cq_swu_university_2021_dept_budget.pdf",
        &["西南大学支出预算表"],
    ),
    (
        "cq_swu_university_2023_dept_final.pdf",
        &["表3 高等学校支出决算表", "表4 高等学校财政拨款支出决算表"],
    ),
    (
        "sh_putuo_commerce_2025_dept_budget.pdf",
        &[
            "2025年部门财务收支预算总表",
            "2025年部门收入预算总表",
            "2025年部门支出预算总表",
            "2025年部门财政拨款收支预算总表",
            "2025年部门一般公共预算支出功能分类预算表",
            "2025年部门政府性基金预算支出功能分类预算表",
            "2025年部门国有资本经营预算支出功能分类预算表",
            "2025年部门一般公共预算基本支出部门预算经济分类预算表",
        ],
    ),
    (
        "sh_putuo_planning_resources_2024_dept_final.pdf",
        &[
            "收入支出决算总表",
            "收入决算表",
            "支出决算表",
            "一般公共预算财政拨款基本支出决算表",
        ],
    ),
    (
        "sh_putuo_social_welfare_home_2024_unit_budget.pdf",
        &[
            "2024年预算单位支出预算总表",
            "2024年预算单位财政拨款收支预算总表",
            "2024年预算单位一般公共预算支出功能分类预算表",
            "2024年预算单位政府性基金预算支出功能分类预算表",
            "2024年预算单位国有资本经营预算支出功能分类预算表",
            "2024年预算单位一般公共预算基本支出部门预算经济分类预算表",
            "单位“三公”经费和机关运行经费预算表",
        ],
    ),
    (
        "sh_putuo_social_work_dept_2024_dept_final.pdf",
        &[
            "收入支出决算总表",
            "收入决算表",
            "支出决算表",
            "一般公共预算财政拨款支出决算表",
            "一般公共预算财政拨款基本支出决算表",
        ],
    ),
    (
        "sh_putuo_wanli_jiedao_2024_dept_budget.pdf",
        &[
            "2024年部门财务收支预算总表",
            "2024年部门收入预算总表",
            "2024年部门支出预算总表",
            "2024年部门财政拨款收支预算总表",
            "2024年部门一般公共预算支出功能分类预算表",
            "2024年部门政府性基金预算支出功能分类预算表",
            "2024年部门国有资本经营预算支出功能分类预算表",
            "2024年部门一般公共预算基本支出部门预算经济分类预算表",
            "部门“三公”经费和机关运行经费预算表",
        ],
    ),
];

#[test]
fn tables_without_ruling_lines_read_like_the_ruled_original() {
    for (name, titles) in SAME_WITHOUT_RULES {
        let (ruled, _, result) = compare(name);
        for title in *titles {
            assert!(
                ruled.tables.iter().any(|t| t.display_name() == *title),
                "{name}: the ruled original has no table {title}"
            );
            let same = result.iter().any(|(t, same)| t == title && *same);
            assert!(
                same,
                "{name}: {title} reads differently without ruling lines"
            );
        }
    }
}

/// Horizontal rules only (a frequent style: rules above and below the header and at the foot):
/// the same tables read as with every line drawn. The variant keeps the horizontal rules these
/// exports draw as thin rectangles (a document drawing its lines otherwise is left out).
#[test]
fn tables_with_horizontal_rules_only_read_like_the_ruled_original() {
    let mut checked = 0usize;
    for (name, titles) in SAME_WITHOUT_RULES {
        let bytes = corpus(name);
        let variant = strip_paths(&bytes, true);
        let parsed = lopdf::Document::load_mem(&variant).unwrap();
        let rules: usize = parsed
            .get_pages()
            .values()
            .map(|&id| {
                let ops = Content::decode(&parsed.get_page_content(id))
                    .unwrap()
                    .operations;
                ops.iter().filter(|o| is_horizontal_rule(o)).count()
            })
            .sum();
        if rules == 0 {
            // This export draws its lines as paths (`m l S`), which the variant drops whole.
            continue;
        }
        checked += 1;
        let (_, _, result) = compare_with(name, true);
        for title in *titles {
            let same = result.iter().any(|(t, same)| t == title && *same);
            assert!(
                same,
                "{name}: {title} reads differently with horizontal rules only"
            );
        }
    }
    assert!(
        checked >= 5,
        "only {checked} documents kept horizontal rules"
    );
}

/// The variant really draws nothing but text, so every table read from it comes from the
/// alignment of words.
#[test]
fn the_rule_less_variant_draws_no_lines() {
    let name = "sh_putuo_wanli_jiedao_2024_dept_budget.pdf";
    let bare = ruleless(&corpus(name));
    let doc = read_pdf(name, &bare, &Options::default()).unwrap();
    assert!(!doc.tables.is_empty());
    let parsed = lopdf::Document::load_mem(&bare).unwrap();
    for (_, id) in parsed.get_pages() {
        let ops = Content::decode(&parsed.get_page_content(id))
            .unwrap()
            .operations;
        assert!(
            ops.iter().all(|o| !PATH_OPS.contains(&o.operator.as_str())),
            "a page still draws paths"
        );
    }
}

#[test]
#[ignore = "diagnostic: prints the differences of every corpus document"]
fn dump_ruleless_differences() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    names.sort();
    let only = std::env::var("RULELESS_DOC").ok();
    for name in names {
        if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
            continue;
        }
        if let Ok(dir) = std::env::var("RULELESS_WRITE") {
            std::fs::write(PathBuf::from(dir).join(&name), ruleless(&corpus(&name))).unwrap();
        }
        let (ruled, bare, result) = compare(&name);
        let ok = result.iter().filter(|(_, s)| *s).count();
        println!(
            "=== {name}: {ok}/{} tables equal (rule-less variant has {} tables)",
            result.len(),
            bare.tables.len()
        );
        for (t, (title, same)) in ruled.tables.iter().zip(&result) {
            if *same {
                println!("  ok   {title}");
                continue;
            }
            println!("  DIFF {title}");
            if std::env::var("RULELESS_VERBOSE").is_ok() {
                let mine = table_text(t);
                let theirs = bare
                    .tables
                    .iter()
                    .find(|b| b.title == t.title)
                    .map(table_text)
                    .unwrap_or_default();
                let dir = PathBuf::from(std::env::var("RULELESS_VERBOSE").unwrap());
                let stem = format!("{}_{}", name.trim_end_matches(".pdf"), t.title);
                std::fs::write(dir.join(format!("{stem}.ruled")), mine).unwrap();
                std::fs::write(dir.join(format!("{stem}.bare")), theirs).unwrap();
            }
        }
    }
}
