//! Unit tests of the public parse API: precedence (compared structurally: spans never make
//! nodes differ and parentheses leave no node, so `a + b * c` must equal `a + (b * c)`),
//! spans, and error positions.

use crate::ast::{ExprKind, Span};
use crate::{parse, parse_expr};

fn same(a: &str, b: &str) {
    let x = parse_expr(a).unwrap_or_else(|e| panic!("{a}: {e:?}"));
    let y = parse_expr(b).unwrap_or_else(|e| panic!("{b}: {e:?}"));
    assert_eq!(x, y, "`{a}` should read as `{b}`");
}

#[test]
fn precedence() {
    same("a 或 b 且 c", "a 或 (b 且 c)");
    same("a || b && c", "a || (b && c)");
    same("非 a == b", "非 (a == b)");
    same("非 a == b 且 c", "(非 (a == b)) 且 c");
    same("a + b * c == d - e / f", "(a + (b * c)) == (d - (e / f))");
    same("a - b - c", "(a - b) - c");
    same("a / b / c", "(a / b) / c");
    same("-a * b", "(-a) * b");
    same("-a.b", "-(a.b)");
    same("-f(x)[1].y", "-(((f(x))[1]).y)");
    same("a == b ± 1 且 c", "(a == b ± 1) 且 c");
    same("非 a == b ± 1", "非 (a == b ± 1)");
    same("a + b == c ± 1%", "(a + b) == c ± 1%");
    same("a × b ÷ c", "(a * b) / c");
    same("x 且 每行 T : a 且 b", "x 且 (每行 T : (a 且 b))");
    same("每行 T 若 p 且 q : a", "每行 T 若 (p 且 q) : a");
    same(
        "每处 \"{x:数}\" : x > 0 或 y",
        "每处 \"{x:数}\" : ((x > 0) 或 y)",
    );
    same("a <= b 且 c ≥ d", "(a ≤ b) and (c >= d)");
}

#[test]
fn keywords_and_symbols_are_interchangeable() {
    same("a and b or not c", "a 且 b 或 非 c");
    same("a != b", "a ≠ b");
    same("a == b +- 1", "a == b ± 1");
    same("a == b 容差 1", "a == b tolerance 1");
    same("真 且 假", "true and false");
}

#[test]
fn operator_spans() {
    let src = "a + b * c";
    let e = parse_expr(src).unwrap();
    assert_eq!(e.span, Span::new(0, src.len()));
    let ExprKind::Binary { op, rhs, .. } = &e.kind else {
        panic!("{e:?}")
    };
    assert_eq!((op.span.start, op.span.end), (2, 3));
    assert_eq!((rhs.span.start, rhs.span.end), (4, 9));
}

#[test]
fn parenthesised_operand_span_includes_parentheses() {
    let src = "(a + b) * c";
    let e = parse_expr(src).unwrap();
    let ExprKind::Binary { lhs, .. } = &e.kind else {
        panic!("{e:?}")
    };
    assert_eq!((lhs.span.start, lhs.span.end), (0, 7));
    assert_eq!((e.span.start, e.span.end), (0, 11));
}

#[test]
fn spans_skip_trailing_trivia() {
    let src = "语言 1\n规则 A-1 \"t\" {\n  断言 a == 1   # 注释\n  消息 \"m\"\n}\n";
    let p = parse("t.rule", src);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let a = &p.file.rules[0].assertions[0];
    let text = src.get(a.span.start as usize..a.span.end as usize).unwrap();
    assert_eq!(text, "断言 a == 1");
}

#[test]
fn numbers_keep_their_digits_and_units() {
    let e = parse_expr("30.00万元").unwrap();
    let ExprKind::Number { value, unit } = e.kind else {
        panic!()
    };
    assert_eq!(value.to_string(), "30.00");
    assert_eq!(unit, Some(shenhe_model::Unit::WanYuan));
    let e = parse_expr("82.93%").unwrap();
    assert!(matches!(e.kind, ExprKind::Percent(p) if p.to_string() == "82.93"));
}

#[test]
fn out_of_range_numbers_are_diagnostics() {
    for src in [
        "1".repeat(40),
        format!("0.{}", "1".repeat(40)),
        "9".repeat(29) + "%",
    ] {
        let e = parse_expr(&src).unwrap_err();
        assert_eq!(e[0].code, "shenhe::lang::number_range", "{src}");
    }
}

#[test]
fn empty_and_junk_inputs() {
    for src in [
        "", " ", "\u{0}", "\u{FEFF}", "\"", "“", "(", ")", "]", "}", "{", "±", "...",
    ] {
        let errs = parse_expr(src).unwrap_err();
        assert!(!errs.is_empty(), "{src:?}");
        let file = parse("x.rule", src);
        assert!(!file.diagnostics.is_empty(), "{src:?}");
    }
}

#[test]
fn call_requires_a_function_name() {
    let e = parse_expr("表三.合计(1)").unwrap_err();
    assert_eq!(e[0].code, "shenhe::lang::not_callable");
    let e = parse_expr("f(1)(2)").unwrap_err();
    assert_eq!(e[0].code, "shenhe::lang::not_callable");
    assert!(parse_expr("表格(\"支出\").合计").is_ok());
}

#[test]
fn every_error_in_a_file_is_reported() {
    let src = "语言 1\n规则 A-1 \"a\" {\n  断定 1\n}\n规则 A-2 \"b\" {\n  断言 (1\n}\n规则 A-3 \"c\" {\n  断言 1 == 1\n}\n规则 A-3 \"d\" {\n  级别 错\n  断言 1 == 1\n}\n";
    let p = parse("m.rule", src);
    let codes: Vec<&str> = p.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "shenhe::lang::unknown_keyword",
            "shenhe::lang::syntax",
            "shenhe::lang::duplicate_rule",
            "shenhe::lang::unknown_value",
        ]
    );
    let ids: Vec<&str> = p.file.rules.iter().map(|r| r.id.node.as_str()).collect();
    assert_eq!(ids, ["A-1", "A-2", "A-3", "A-3"]);
}

#[test]
fn public_pattern_parser_shifts_spans() {
    let src = "匹配数(\"增长{p:百分比}\")";
    let start = src.find('"').unwrap() + 1;
    let end = src.rfind('"').unwrap();
    let p = crate::parse_pattern(src.get(start..end).unwrap(), start).unwrap();
    let crate::ast::PatternPart::Capture { name, kind } = &p.parts[1] else {
        panic!("{p:?}")
    };
    let n = name.as_ref().unwrap();
    assert_eq!(
        src.get(n.span.start as usize..n.span.end as usize),
        Some("p")
    );
    assert_eq!(
        src.get(kind.span.start as usize..kind.span.end as usize),
        Some("百分比")
    );
    let e = crate::parse_pattern("{x:金钱}", 10).unwrap_err();
    assert_eq!(e[0].code, "shenhe::lang::unknown_capture");
    assert_eq!((e[0].span.start, e[0].span.end), (13, 19));
}

/// The fast path (`fast.rs`) builds exactly the tree pest's pairs give, on every file it
/// accepts: the bundled pack and the language corpus, whole, cut short, with one character
/// deleted and with a token inserted at a spread of places. The pack and the corpus files
/// that must parse take it.
#[test]
fn fast_path_builds_the_pest_tree() {
    use crate::parser::{Rule, RulesParser};
    use crate::tree::Tree;
    use pest::Parser;

    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rule") {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut must = Vec::new();
    files(&root.join("rules"), &mut must);
    files(&root.join("tests/lang/ok"), &mut must);
    let mut may = Vec::new();
    files(&root.join("tests/lang/err"), &mut may);
    let mut compared = 0;
    for (path, required) in must
        .iter()
        .map(|p| (p, true))
        .chain(may.iter().map(|p| (p, false)))
    {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let cuts: Vec<usize> = {
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            let step = (bounds.len() / 24).max(1);
            bounds.into_iter().step_by(step).collect()
        };
        // Inserted where the mirror could most easily part from the grammar: trivia and
        // comments, operators that share a prefix, tolerance signs, quotes and escapes.
        const INSERTS: &[&str] = &[
            " ", "#c\n", "//c\n", "///", "////", "-", "!", "=", "==", "+-", "±", "容差 1", "(",
            ")", ",", ".", "[", "\"", "\\", "“", "%", " 万元", "1", "非 ", "且", "\u{3000}", "：",
        ];
        let mut variants = vec![text.clone()];
        for (n, &i) in cuts.iter().enumerate() {
            let (head, tail) = text.split_at(i);
            variants.push(head.to_string());
            let mut rest = tail.chars();
            rest.next();
            variants.push(format!("{head}{}", rest.as_str()));
            variants.push(format!("{head}{}{tail}", INSERTS[n % INSERTS.len()]));
        }
        for (k, v) in variants.iter().enumerate() {
            let fast = crate::fast::parse_file(v);
            if k == 0 && required {
                assert!(
                    fast.is_some(),
                    "{} should take the fast path",
                    path.display()
                );
            }
            let Some(fast) = fast else { continue };
            let pest = RulesParser::parse(Rule::file, v)
                .map(|p| Tree::from_pairs(v, p))
                .unwrap_or_else(|e| {
                    panic!(
                        "{}: pest failed where the fast path did not: {e}",
                        path.display()
                    )
                });
            assert_eq!(
                fast.nodes,
                pest.nodes,
                "{} (variant {k}):\n{v}",
                path.display()
            );
            compared += 1;
        }
    }
    // ≈ 5,000 variants take the fast path today.
    assert!(compared > 1000, "only {compared} variants compared");
}

#[test]
fn longest_reserved_word() {
    use crate::names::{LONGEST_RESERVED, RESERVED};
    assert_eq!(
        RESERVED.iter().map(|k| k.len()).max(),
        Some(LONGEST_RESERVED)
    );
}
