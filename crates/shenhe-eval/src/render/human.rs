//! Text for a terminal: per finding the rule id and title, the message with its numbers, every
//! location with the document excerpt around it, where the rule is defined, and the
//! fingerprint a waiver needs.

use std::fmt::Write as _;

use shenhe_model::Loc;

use crate::finding::{Finding, Location};
use crate::render::summary::open_line;
use crate::render::{DocOutcome, Render, RunInfo, Summary};
use crate::report::{Outcome, Report};
use crate::waiver::{WaiverState, location_key};

pub struct Human;

/// Columns a character takes in a terminal: 2 for East Asian wide and full-width characters.
fn width(c: char) -> usize {
    let u = u32::from(c);
    let wide = matches!(u,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// Characters kept on each side of the marked span of a long line.
const CONTEXT: usize = 30;

/// The source line around `loc` with the span marked underneath:
///
/// ```text
///      812 │ 基本支出  721.07  714.75
///          │           ^^^^^^
/// ```
///
/// `None` when the location does not fall inside `source`.
pub(crate) fn excerpt(source: &str, loc: &Loc, indent: &str) -> Option<String> {
    let start = loc.offset as usize;
    if start > source.len() || !source.is_char_boundary(start) {
        return None;
    }
    let line_start = source.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = source
        .get(start..)?
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let line = source.get(line_start..line_end)?.trim_end_matches('\r');
    let span_end = (start + loc.len as usize)
        .min(line_start + line.len())
        .max(start);
    let before: Vec<char> = source.get(line_start..start)?.chars().collect();
    let marked: Vec<char> = source.get(start..span_end)?.chars().collect();
    let after: Vec<char> = source
        .get(span_end..line_start + line.len())?
        .chars()
        .collect();
    let skip = before.len().saturating_sub(CONTEXT);
    let shown_before: String = before.iter().skip(skip).collect();
    let shown_after: String = after.iter().take(CONTEXT).collect();
    let lead = if skip > 0 { "…" } else { "" };
    let tail = if after.len() > CONTEXT { "…" } else { "" };
    let text = format!(
        "{lead}{}{}{shown_after}{tail}",
        shown_before.replace('\t', " "),
        marked.iter().collect::<String>()
    );
    let pad: usize =
        lead.chars().map(width).sum::<usize>() + shown_before.chars().map(width).sum::<usize>();
    let carets: usize = marked.iter().map(|c| width(*c)).sum::<usize>().max(1);
    let number = loc.line.to_string();
    let gutter = " ".repeat(number.len());
    Some(format!(
        "{indent}{number} │ {text}\n{indent}{gutter} │ {}{}\n",
        " ".repeat(pad),
        "^".repeat(carets)
    ))
}

fn place(l: &Location) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(t) = &l.table {
        parts.push(t.clone());
    }
    if let Some(s) = &l.section {
        parts.push(format!("章节「{s}」"));
    }
    if let Some(r) = &l.row {
        parts.push(format!("行「{r}」"));
    }
    if let Some(c) = &l.column {
        parts.push(format!("列「{c}」"));
    }
    if let Some(v) = &l.value {
        parts.push(format!("值 {v}"));
    }
    if let Some(t) = &l.text {
        parts.push(format!("文字「{t}」"));
    }
    let at = match &l.loc {
        Some(loc) => match loc.page {
            Some(p) => format!("第 {p} 页，第 {} 行第 {} 列", loc.line, loc.column),
            None => format!("第 {} 行第 {} 列", loc.line, loc.column),
        },
        None => "位置不详".to_string(),
    };
    let mut s = format!("{}（{at}）：{}", l.role, parts.join(" · "));
    if let Some(p) = &l.placement {
        let _ = write!(s, "  〔{p}〕");
    }
    s
}

fn finding(out: &mut String, f: &Finding, source: Option<&str>) {
    let state = match f.waiver.as_ref().map(|w| w.state) {
        Some(WaiverState::Waived) => "（已豁免）",
        _ => "",
    };
    let _ = writeln!(
        out,
        "[{}]{state} {} {}",
        f.severity.name(),
        f.rule_id,
        f.title
    );
    let _ = writeln!(out, "  {}", f.message);
    if let Some(v) = &f.values {
        let _ = writeln!(
            out,
            "  左 {} {} 右 {}；差 {}；容差 {}（{}）",
            v.left.printed,
            v.comparison,
            v.right.printed,
            v.difference.as_ref().map_or("—", |d| d.printed.as_str()),
            v.tolerance.printed,
            v.tolerance.source
        );
    }
    if let Some(n) = &f.note
        && n != &f.message
    {
        let _ = writeln!(out, "  说明：{n}");
    }
    for l in &f.locations {
        let _ = writeln!(out, "  {}", place(l));
        if let (Some(src), Some(loc)) = (source, &l.loc)
            && let Some(x) = excerpt(src, loc, "      ")
        {
            out.push_str(&x);
        }
    }
    let _ = writeln!(
        out,
        "  规则定义：{}:{}:{}",
        f.rule_span.file, f.rule_span.line, f.rule_span.column
    );
    if let Some(w) = &f.waiver {
        let _ = writeln!(
            out,
            "  {}：{}（{}，到期 {}；配置第 {} 行）",
            w.state.name(),
            w.reason,
            w.author,
            w.expires,
            w.config_line
        );
        if w.state == WaiverState::Lapsed {
            let _ = writeln!(
                out,
                "    豁免记录的指纹 {}，现在是 {}",
                w.recorded_fingerprint, f.fingerprint
            );
        }
    }
    let _ = writeln!(
        out,
        "  指纹：{}  位置键：{}",
        f.fingerprint,
        location_key(f)
    );
}

/// One checked document as text: its heading, every finding with excerpts from `source` (when
/// given), the rules that could not be evaluated and the document's tally. The terminal report
/// of `shenhe check` and the expected reports of rule cases are this text.
pub fn report_text(path: &str, r: &Report, source: Option<&str>) -> String {
    let mut out = String::new();
    checked(&mut out, path, r, source);
    out
}

fn checked(out: &mut String, path: &str, r: &Report, source: Option<&str>) {
    let d = &r.document;
    let mut head = path.to_string();
    if let Some(u) = &d.unit_name {
        let _ = write!(head, "（{u}");
        if let Some(y) = d.year {
            let _ = write!(head, "，{y} 年");
        }
        if let Some(k) = &d.kind {
            let _ = write!(head, "{k}");
        }
        head.push('）');
    }
    let _ = writeln!(out, "━━ {head}");
    if d.ingest_warnings > 0 {
        let _ = writeln!(
            out,
            "读取时有 {} 条提醒（用 shenhe extract 查看）",
            d.ingest_warnings
        );
    }
    for f in &r.findings {
        out.push('\n');
        finding(out, f, source);
    }
    if !r.errors.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "无法求值的规则：");
        for e in &r.errors {
            let _ = writeln!(
                out,
                "  {}：{}（`{}`，{}:{}:{}）",
                e.rule_id,
                e.message,
                e.expression,
                e.rule_span.file,
                e.rule_span.line,
                e.rule_span.column
            );
            if let Some(h) = &e.help {
                let _ = writeln!(out, "    提示：{h}");
            }
        }
    }
    let k = &r.counts;
    let na = r
        .outcomes
        .iter()
        .filter(|o| o.outcome == Outcome::NotApplicable)
        .count();
    out.push('\n');
    let _ = writeln!(
        out,
        "本文档：规则 {} 条（通过 {}，不通过 {}，不适用 {na}，出错 {}）；发现 {} 处，未豁免的 {}{}。",
        k.rules,
        k.pass,
        k.fail,
        k.error,
        k.findings,
        open_line(r),
        {
            let w = k.waived.error + k.waived.warning + k.waived.info;
            if w > 0 {
                format!("，已豁免 {w} 处")
            } else {
                String::new()
            }
        }
    );
}

/// One document's part (see [`Render::document`]).
fn document_text(_run: &RunInfo<'_>, _index: usize, doc: &DocOutcome<'_>) -> String {
    let mut out = String::new();
    match doc {
        DocOutcome::Checked(c) => checked(&mut out, c.path, c.report, c.source),
        DocOutcome::Unreadable { path, reason } => {
            let _ = writeln!(out, "━━ {path}\n无法读取：{reason}");
        }
    }
    out
}

impl Render for Human {
    fn begin(&self, _run: &RunInfo<'_>) -> String {
        String::new()
    }

    fn document(&self, run: &RunInfo<'_>, index: usize, doc: &DocOutcome<'_>, out: &mut Vec<u8>) {
        out.extend_from_slice(document_text(run, index, doc).as_bytes());
    }

    fn separator(&self) -> &'static str {
        "\n"
    }

    fn finish(&self, _run: &RunInfo<'_>, summary: &Summary) -> String {
        format!("\n══ 汇总\n{}", summary.to_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_marks_the_span_with_wide_characters() {
        let src = "第一行\n基本支出  721.07  714.75\n第三行";
        let offset = src.find("721.07").unwrap() as u32;
        let loc = Loc::text(2, 7, offset, 6);
        let x = excerpt(src, &loc, "  ").unwrap();
        assert_eq!(
            x,
            "  2 │ 基本支出  721.07  714.75\n    │           ^^^^^^\n"
        );
        let loc = Loc::text(2, 1, src.find("基本").unwrap() as u32, 6);
        let x = excerpt(src, &loc, "").unwrap();
        assert_eq!(x, "2 │ 基本支出  721.07  714.75\n  │ ^^^^\n");
    }

    #[test]
    fn excerpt_of_a_long_line_is_cut_around_the_span() {
        let src = format!("{}目标{}", "甲".repeat(50), "乙".repeat(50));
        let offset = src.find("目标").unwrap() as u32;
        let x = excerpt(&src, &Loc::text(1, 51, offset, 6), "").unwrap();
        let first = x.lines().next().unwrap();
        assert_eq!(
            first,
            format!("1 │ …{}目标{}…", "甲".repeat(30), "乙".repeat(30))
        );
        let second = x.lines().nth(1).unwrap();
        assert_eq!(second, format!("  │ {}^^^^", " ".repeat(61)));
    }

    #[test]
    fn excerpt_outside_the_source_is_none() {
        assert!(excerpt("abc", &Loc::text(1, 1, 10, 1), "").is_none());
        // Not on a character boundary.
        assert!(excerpt("基本", &Loc::text(1, 1, 1, 1), "").is_none());
    }
}
