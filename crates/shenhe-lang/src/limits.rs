//! Nesting limits, checked before pest runs.
//!
//! pest parses nested parentheses, brackets and quantifiers by recursion, and the lowered tree
//! is walked recursively by everyone after us; a rule file with 20,000 nested parentheses would
//! overflow the stack. So a cheap scan estimates the nesting depth of every statement first;
//! a statement deeper than [`MAX_NESTING`] is reported at the token where the limit is crossed
//! and blanked out (bytes replaced by spaces, so offsets stay valid) before parsing.

use crate::ast::Span;
use crate::diagnostic::Diagnostic;

/// Deepest nesting of parentheses, brackets, prefix operators and quantifiers accepted in one
/// expression.
pub const MAX_NESTING: usize = 256;

/// Deepest lowered expression tree accepted (long operator chains count too).
pub const MAX_TREE_DEPTH: usize = 1024;

/// Statement-starting words: a line whose first token is one of these begins a new statement.
const STATEMENT_WORDS: &[&str] = &[
    "语言", "language", "规则", "rule", "令", "let", "级别", "severity", "类别", "category",
    "依据", "basis", "适用", "applies", "模板", "template", "前提", "when", "断言", "assert",
    "消息", "message",
];

const PREFIX_WORDS: &[&str] = &["非", "not"];
const QUANTIFIER_WORDS: &[&str] = &["每行", "每处", "every", "each"];
const OPERATOR_WORDS: &[&str] = &[
    "且",
    "或",
    "and",
    "or",
    "若",
    "于",
    "where",
    "in",
    "容差",
    "tolerance",
    "否则",
    "else",
];

/// The result of the scan: the text to parse (deep statements blanked out) and diagnostics.
pub(crate) struct Scanned {
    pub text: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// The blanked byte ranges.
    pub masked: Vec<(usize, usize)>,
}

/// Whether `c` can be part of a name (mirrors `name_char` in the grammar).
pub(crate) fn is_name_char(c: char) -> bool {
    if c.is_whitespace() || c.is_control() {
        return false;
    }
    if c.is_ascii_punctuation() {
        return c == '_';
    }
    !matches!(
        c,
        '：' | '，' | '；' | '。' | '\u{2018}'
            ..='\u{201D}'
                | '「'
                | '」'
                | '【'
                | '】'
                | '±'
                | '≠'
                | '≤'
                | '≥'
                | '×'
                | '÷'
                | '％'
                | '\u{FEFF}'
    )
}

#[derive(Default)]
struct Frame {
    pending_prefix: usize,
    depth_before: usize,
}

/// Scans `src`. When `statements` is false the whole text is one statement (an expression).
pub(crate) fn scan(src: &str, statements: bool) -> Scanned {
    let mut diagnostics = Vec::new();
    if within_nesting_bound(src, MAX_NESTING) {
        // No statement can be too deep: skip the scan (most files).
        return Scanned {
            text: None,
            diagnostics,
            masked: Vec::new(),
        };
    }
    let mut masks: Vec<(usize, usize)> = Vec::new();
    let starts = if statements {
        statement_starts(src)
    } else {
        vec![0]
    };
    let mut chars = src.char_indices().peekable();
    let mut next_start = 1usize; // index into `starts` of the next statement start
    let mut frames: Vec<Frame> = vec![Frame::default()];
    let mut depth = 0usize;
    let mut prev_operand = false;
    let mut stmt = 0usize;
    while let Some(&(i, c)) = chars.peek() {
        // Entering the next statement resets the depth estimate.
        if let Some(&s) = starts.get(next_start)
            && i >= s
        {
            stmt = s;
            next_start += 1;
            frames = vec![Frame::default()];
            depth = 0;
            prev_operand = false;
        }
        let mut end = i + c.len_utf8();
        let mut deeper = false;
        match c {
            '"' | '“' => {
                let close = if c == '"' { '"' } else { '”' };
                chars.next();
                while let Some(&(_, d)) = chars.peek() {
                    if d == '\n' {
                        break;
                    }
                    chars.next();
                    if d == '\\' && c == '"' {
                        chars.next();
                    } else if d == close {
                        break;
                    }
                }
                operand(&mut frames, &mut depth, &mut prev_operand);
                continue;
            }
            '#' => {
                skip_line(&mut chars);
                continue;
            }
            '/' if src.get(i..).is_some_and(|r| r.starts_with("//")) => {
                skip_line(&mut chars);
                continue;
            }
            '(' | '[' => {
                frames.push(Frame {
                    pending_prefix: 0,
                    depth_before: depth,
                });
                depth += 1;
                deeper = true;
                prev_operand = false;
            }
            ')' | ']' => {
                if frames.len() > 1
                    && let Some(f) = frames.pop()
                {
                    depth = f.depth_before;
                }
                operand(&mut frames, &mut depth, &mut prev_operand);
            }
            '-' if !prev_operand => {
                prefix(&mut frames, &mut depth);
                deeper = true;
            }
            '!' if !src.get(i + 1..).is_some_and(|r| r.starts_with('=')) => {
                prefix(&mut frames, &mut depth);
                deeper = true;
            }
            c if c.is_ascii_digit() => {
                chars.next();
                while let Some(&(_, d)) = chars.peek() {
                    if !(d.is_ascii_digit() || d == '.') {
                        break;
                    }
                    chars.next();
                }
                operand(&mut frames, &mut depth, &mut prev_operand);
                continue;
            }
            c if is_name_char(c) => {
                chars.next();
                while let Some(&(j, d)) = chars.peek() {
                    if !is_name_char(d) {
                        break;
                    }
                    end = j + d.len_utf8();
                    chars.next();
                }
                let word = src.get(i..end).unwrap_or("");
                if PREFIX_WORDS.contains(&word) {
                    prefix(&mut frames, &mut depth);
                    deeper = true;
                } else if QUANTIFIER_WORDS.contains(&word) {
                    depth += 1;
                    deeper = true;
                    prev_operand = false;
                } else if OPERATOR_WORDS.contains(&word) {
                    prev_operand = false;
                } else {
                    operand(&mut frames, &mut depth, &mut prev_operand);
                }
                if deeper && depth > MAX_NESTING {
                    report(&mut diagnostics, &mut masks, &starts, stmt, i, end);
                    skip_to(&mut chars, next_statement(&starts, i));
                }
                continue;
            }
            c if c.is_whitespace() => {}
            _ => prev_operand = false,
        }
        chars.next();
        if deeper && depth > MAX_NESTING {
            report(&mut diagnostics, &mut masks, &starts, stmt, i, end);
            skip_to(&mut chars, next_statement(&starts, i));
        }
    }
    let text = (!masks.is_empty()).then(|| mask(src, &masks));
    Scanned {
        text,
        diagnostics,
        masked: masks,
    }
}

/// Whether the depth [`scan`] reaches in any statement stays within `limit`, by an upper
/// bound: every token that deepens the nesting (`(`, `[`, a prefix `-`, `!`, `非` or `not`, a
/// quantifier) counted once wherever it stands, strings and comments included.
fn within_nesting_bound(src: &str, limit: usize) -> bool {
    let bytes = src.as_bytes();
    let mut count = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        let rest = || bytes.get(i + 1..).unwrap_or(&[]);
        let deepens = match b {
            b'(' | b'[' | b'-' | b'!' => true,
            // `非` (E9 9D 9E), `每` (E6 AF 8F: `每行`, `每处`)
            0xE9 => rest().starts_with(&[0x9D, 0x9E]),
            0xE6 => rest().starts_with(&[0xAF, 0x8F]),
            b'n' => rest().starts_with(b"ot"),
            b'e' => rest().starts_with(b"very") || rest().starts_with(b"ach"),
            _ => false,
        };
        if deepens {
            count += 1;
            if count > limit {
                return false;
            }
        }
    }
    true
}

fn prefix(frames: &mut [Frame], depth: &mut usize) {
    *depth += 1;
    if let Some(f) = frames.last_mut() {
        f.pending_prefix += 1;
    }
}

fn operand(frames: &mut [Frame], depth: &mut usize, prev_operand: &mut bool) {
    if let Some(f) = frames.last_mut() {
        *depth = depth.saturating_sub(f.pending_prefix);
        f.pending_prefix = 0;
    }
    *prev_operand = true;
}

fn skip_line(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) {
    while let Some(&(_, d)) = chars.peek() {
        if d == '\n' {
            break;
        }
        chars.next();
    }
}

fn skip_to(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, to: usize) {
    while let Some(&(j, _)) = chars.peek() {
        if j >= to {
            break;
        }
        chars.next();
    }
}

fn next_statement(starts: &[usize], at: usize) -> usize {
    starts
        .iter()
        .copied()
        .find(|&s| s > at)
        .unwrap_or(usize::MAX)
}

fn report(
    diagnostics: &mut Vec<Diagnostic>,
    masks: &mut Vec<(usize, usize)>,
    starts: &[usize],
    stmt: usize,
    at: usize,
    end: usize,
) {
    diagnostics.push(
        Diagnostic::new(
            "shenhe::lang::too_deep",
            format!("表达式嵌套过深，超过 {MAX_NESTING} 层"),
            Span::new(at, end),
        )
        .with_label(format!("第 {} 层从这里开始", MAX_NESTING + 1))
        .with_help("请把表达式拆成几个 `令` 绑定；括号、方括号、前缀运算符和量词都计入层数"),
    );
    masks.push((stmt, next_statement(starts, at)));
}

/// Offsets where statements start: 0 and every line whose first token is a statement word,
/// a doc comment or `}`.
fn statement_starts(src: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut offset = 0usize;
    for line in src.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t', '\u{3000}', '\r']);
        let at = offset + (line.len() - trimmed.len());
        let word_len = trimmed
            .char_indices()
            .find(|&(_, c)| !is_name_char(c))
            .map_or(trimmed.len(), |(j, _)| j);
        let word = trimmed.get(..word_len).unwrap_or("");
        if at > 0
            && (STATEMENT_WORDS.contains(&word)
                || trimmed.starts_with("///")
                || trimmed.starts_with('}'))
        {
            starts.push(at);
        }
        offset += line.len();
    }
    starts
}

/// `src` with the byte ranges in `masks` replaced by spaces (line breaks kept).
fn mask(src: &str, masks: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(src.len());
    for (i, c) in src.char_indices() {
        if masks.iter().any(|&(a, b)| i >= a && i < b) && c != '\n' {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error(src: &str) -> Option<(usize, usize)> {
        scan(src, false)
            .diagnostics
            .first()
            .map(|d| (d.span.start as usize, d.span.end as usize))
    }

    #[test]
    fn counts_parentheses() {
        let ok = format!("{}1{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert_eq!(depth_error(&ok), None);
        let deep = format!(
            "{}1{}",
            "(".repeat(MAX_NESTING + 1),
            ")".repeat(MAX_NESTING + 1)
        );
        assert_eq!(depth_error(&deep), Some((MAX_NESTING, MAX_NESTING + 1)));
    }

    #[test]
    fn sequential_parentheses_do_not_add_up() {
        let src = "(1) + ".repeat(10_000) + "1";
        assert_eq!(depth_error(&src), None);
    }

    #[test]
    fn counts_prefix_chains_and_quantifiers() {
        assert!(depth_error(&"-".repeat(MAX_NESTING + 1)).is_some());
        assert!(depth_error(&format!("{}x", "非 ".repeat(MAX_NESTING + 1))).is_some());
        assert!(depth_error(&format!("{}x", "每行 T: ".repeat(MAX_NESTING + 1))).is_some());
        assert_eq!(depth_error(&format!("{}x", "- x - ".repeat(1000))), None);
        assert_eq!(depth_error("a != b"), None);
    }

    #[test]
    fn ignores_strings_and_comments() {
        let src = format!("\"{}\" # {}\n1", "(".repeat(1000), "(".repeat(1000));
        assert_eq!(depth_error(&src), None);
    }

    #[test]
    fn masks_only_the_deep_statement() {
        let src = format!(
            "语言 1\n规则 A-1 \"t\" {{\n  断言 {}1\n  消息 \"m\"\n}}\n",
            "(".repeat(20_000)
        );
        let s = scan(&src, true);
        assert_eq!(s.diagnostics.len(), 1);
        let text = s.text.unwrap();
        assert_eq!(text.len(), src.len());
        assert!(text.contains("消息 \"m\""));
        assert!(!text.contains('('));
        assert!(!text.contains("断言"));
    }
}
