//! Turns a pest error into a Chinese diagnostic that names what was expected in words.

use pest::error::{Error, ErrorVariant, InputLocation};

use crate::ast::Span;
use crate::diagnostic::Diagnostic;
use crate::limits::{MAX_NESTING, is_name_char};
use crate::names::{self, CLAUSE_KEYWORDS, Expected, ITEM_KEYWORDS};
use crate::parser::Rule;
use crate::suggest::did_you_mean;

/// What the parser found where it failed.
enum Found<'a> {
    End,
    LineEnd,
    Word(&'a str),
    Char(char),
}

impl Found<'_> {
    fn text(&self) -> String {
        match self {
            Found::End => "文件结尾".to_string(),
            Found::LineEnd => "行尾".to_string(),
            Found::Word(w) => format!("`{w}`"),
            Found::Char(c) if c.is_control() || *c == '\u{FEFF}' => {
                format!("字符 U+{:04X}", u32::from(*c))
            }
            Found::Char(c) => format!("`{c}`"),
        }
    }
}

/// Converts `err`, raised while parsing a slice that starts at `base` in `source`.
pub(crate) fn diagnostic(err: &Error<Rule>, base: usize, source: &str) -> Diagnostic {
    let local = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let pos = base.saturating_add(local).min(source.len());
    match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => expected(positives, pos, source),
        ErrorVariant::CustomError { .. } => Diagnostic::new(
            "shenhe::lang::too_deep",
            format!("表达式嵌套过深，超过解析器的栈空间（上限约 {MAX_NESTING} 层）"),
            Span::new(pos, pos),
        )
        .with_label("在这里放弃解析")
        .with_help("请把表达式拆成几个 `令` 绑定"),
    }
}

fn expected(positives: &[Rule], pos: usize, source: &str) -> Diagnostic {
    let mut list: Vec<Expected> = positives.iter().flat_map(|&r| expand(r)).collect();
    list.sort();
    list.dedup();
    if list.contains(&Expected::Clause) {
        // Inside a rule body `令` is just another clause.
        list.retain(|e| *e != Expected::Token("`令`"));
    }
    if list.iter().any(|e| !matches!(e, Expected::Continuation(_))) {
        list.retain(|e| !matches!(e, Expected::Continuation(_)));
    }
    if list.len() > 1 {
        list.retain(|e| *e != Expected::End);
    }
    let (found, found_span) = found_at(source, pos);
    let words = join(&list);

    if list
        .iter()
        .any(|e| matches!(e, Expected::Closer("`\"`" | "`”`")))
    {
        return Diagnostic::new(
            "shenhe::lang::syntax",
            "字符串没有结束",
            missing_span(source, pos),
        )
        .with_label(format!("应为 {words}"))
        .with_help("字符串必须在同一行内用引号结束；需要换行时写 `\\n`");
    }
    if let Found::Word(w) = found {
        if list.contains(&Expected::Token("名称")) && names::RESERVED.contains(&w) {
            return Diagnostic::new(
                "shenhe::lang::reserved_name",
                format!("`{w}` 是关键字，不能用作名称"),
                found_span,
            )
            .with_label(format!("应为 {words}"))
            .with_help(format!(
                "换一个名称，例如 `{w}值`；关键字的完整列表见语法参考"
            ));
        }
        if list.contains(&Expected::Clause) {
            return unknown_keyword(w, found_span, &words, CLAUSE_KEYWORDS, "子句", source);
        }
        if list.contains(&Expected::Token("`规则`")) {
            return unknown_keyword(w, found_span, &words, ITEM_KEYWORDS, "关键字", source);
        }
    }
    if after_tolerance_sign(source, pos) {
        return Diagnostic::new(
            "shenhe::lang::syntax",
            format!("容差必须是一个数值，实际是 {}", found.text()),
            if matches!(found, Found::End | Found::LineEnd) {
                missing_span(source, pos)
            } else {
                found_span
            },
        )
        .with_label("这里应为数值或百分比")
        .with_help("写作 `± 0.5万元`、`± 2元` 或 `± 1%`；容差不能是名称或表达式");
    }
    let missing = matches!(found, Found::End | Found::LineEnd);
    let span = if missing {
        missing_span(source, pos)
    } else {
        found_span
    };
    let mut d = Diagnostic::new(
        "shenhe::lang::syntax",
        format!("应为 {words}，实际是 {}", found.text()),
        span,
    )
    .with_label(match (missing, list.len()) {
        (true, 1..=2) => format!("这里缺少 {words}"),
        (true, _) => "这里缺少内容".to_string(),
        (false, 1..=2) => format!("应为 {words}"),
        (false, n) => format!("应为以上 {n} 种之一"),
    });
    if matches!(found, Found::Char('='))
        && list.contains(&Expected::Operator)
        && !source.get(pos..).is_some_and(|r| r.starts_with("=="))
    {
        d = d.with_help("比较相等请写 `==`（按舍入比较）或 `===`（严格相等）");
    } else if list.iter().any(|e| matches!(e, Expected::Closer(_))) {
        d = d.with_help("检查括号是否成对");
    }
    d
}

/// What a rule stands for in an expected-list. pest reports an entry rule itself when it
/// fails at the very start of the input, so the probes are expanded here.
fn expand(rule: Rule) -> Vec<Expected> {
    match rule {
        Rule::probe_clauses => vec![Expected::Closer("`}`"), Expected::Clause],
        Rule::probe_items | Rule::file => vec![
            Expected::Token("`规则`"),
            Expected::Token("`令`"),
            Expected::Token("`语言`"),
        ],
        Rule::expr_only => vec![Expected::Expression],
        other => names::describe(other).into_iter().collect(),
    }
}

fn unknown_keyword(
    word: &str,
    span: Span,
    words: &str,
    candidates: &[&str],
    what: &str,
    source: &str,
) -> Diagnostic {
    let at_line_start = line_start_before(source, span.start as usize);
    match did_you_mean(word, candidates) {
        Some(s) => Diagnostic::new(
            "shenhe::lang::unknown_keyword",
            format!("未知的{what} `{word}`"),
            span,
        )
        .with_label("无法识别的关键字")
        .with_help(format!("是不是 `{s}`？")),
        None if at_line_start => Diagnostic::new(
            "shenhe::lang::unknown_keyword",
            format!("未知的{what} `{word}`"),
            span,
        )
        .with_label("无法识别的关键字")
        .with_help(format!("可用的{what}：{}", keyword_list(candidates))),
        None => Diagnostic::new(
            "shenhe::lang::syntax",
            format!("应为 {words}，实际是 `{word}`"),
            span,
        )
        .with_label(format!("应为 {words}")),
    }
}

/// Chinese keywords only, in backticks.
fn keyword_list(candidates: &[&str]) -> String {
    candidates
        .iter()
        .filter(|k| !k.is_ascii())
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join("、")
}

/// `A`, `A 或 B`, `A、B 或 C`.
fn join(list: &[Expected]) -> String {
    let texts: Vec<&str> = list.iter().map(|e| e.text()).collect();
    match texts.split_last() {
        None => "其他内容".to_string(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} 或 {last}", rest.join("、")),
    }
}

fn found_at(source: &str, pos: usize) -> (Found<'_>, Span) {
    let rest = source.get(pos..).unwrap_or("");
    let Some(c) = rest.chars().next() else {
        return (Found::End, Span::new(pos, pos));
    };
    if c == '\n' || c == '\r' {
        return (Found::LineEnd, Span::new(pos, pos));
    }
    if is_name_char(c) {
        let len = rest
            .char_indices()
            .find(|&(_, d)| !is_name_char(d))
            .map_or(rest.len(), |(j, _)| j);
        // Long runs are cut at 20 characters for the message.
        let shown = rest.char_indices().nth(20).map_or(len, |(j, _)| j.min(len));
        let word = rest.get(..shown).unwrap_or("");
        return (Found::Word(word), Span::new(pos, pos + len));
    }
    const OPERATOR_CHARS: &str = "=<>!&|+-*/";
    if OPERATOR_CHARS.contains(c) {
        let len = rest
            .char_indices()
            .take(3)
            .take_while(|&(_, d)| OPERATOR_CHARS.contains(d))
            .last()
            .map_or(1, |(j, d)| j + d.len_utf8());
        if len > 1 {
            let word = rest.get(..len).unwrap_or("");
            return (Found::Word(word), Span::new(pos, pos + len));
        }
    }
    (Found::Char(c), Span::new(pos, pos + c.len_utf8()))
}

/// A zero-width span just after the last token before `pos` (where something is missing).
fn missing_span(source: &str, pos: usize) -> Span {
    let before = source.get(..pos).unwrap_or("");
    let trimmed = before.trim_end();
    Span::new(trimmed.len(), trimmed.len())
}

/// Whether the last token before `pos` is `±`, `+-`, `容差` or `tolerance`.
fn after_tolerance_sign(source: &str, pos: usize) -> bool {
    let before = source.get(..pos).unwrap_or("").trim_end();
    before.ends_with('±')
        || before.ends_with("+-")
        || ["容差", "tolerance"].iter().any(|k| {
            before
                .strip_suffix(k)
                .is_some_and(|rest| rest.chars().next_back().is_none_or(|c| !is_name_char(c)))
        })
}

pub(crate) fn line_start_before(source: &str, pos: usize) -> bool {
    let before = source.get(..pos).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or("");
    line.trim_start_matches([' ', '\t', '\u{3000}', '\r'])
        .is_empty()
}
