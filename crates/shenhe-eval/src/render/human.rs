//! Text for a terminal: per finding the rule id and title, the message with its numbers, every
//! location with the document excerpt around it, where the rule is defined, and the
//! fingerprint a waiver needs.

use std::fmt::Write as _;

use shenhe_model::Loc;

use crate::finding::{Finding, Location};
use crate::render::summary::open_line;
use crate::render::{DocOutcome, Render, RunInfo, Summary, write_text};
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
/// appended to `out`; `None`, and nothing appended, when the location does not fall inside
/// `source`.
fn excerpt_into(out: &mut String, source: &str, loc: &Loc, indent: &str) -> Option<()> {
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
    let before = source.get(line_start..start)?;
    let marked = source.get(start..span_end)?;
    let after = source.get(span_end..line_start + line.len())?;
    let skip = before.chars().count().saturating_sub(CONTEXT);
    let shown_before = before
        .char_indices()
        .nth(skip)
        .map_or("", |(i, _)| before.get(i..).unwrap_or(""));
    let cut = after.char_indices().nth(CONTEXT).map(|(i, _)| i);
    let shown_after = cut.map_or(after, |i| after.get(..i).unwrap_or(""));
    let lead = if skip > 0 { "…" } else { "" };
    let tail = if cut.is_some() { "…" } else { "" };
    let pad: usize =
        lead.chars().map(width).sum::<usize>() + shown_before.chars().map(width).sum::<usize>();
    let carets: usize = marked.chars().map(width).sum::<usize>().max(1);
    let mark_start = out.len();
    let _ = write!(out, "{indent}{} │ {lead}", loc.line);
    let gutter = out.len() - mark_start - indent.len() - " │ ".len() - lead.len();
    if shown_before.contains('\t') {
        out.push_str(&shown_before.replace('\t', " "));
    } else {
        out.push_str(shown_before);
    }
    for piece in [marked, shown_after, tail, "\n", indent] {
        out.push_str(piece);
    }
    out.extend(std::iter::repeat_n(' ', gutter));
    out.push_str(" │ ");
    out.extend(std::iter::repeat_n(' ', pad));
    out.extend(std::iter::repeat_n('^', carets));
    out.push('\n');
    Some(())
}

/// [`excerpt_into`] as a string of its own (for tests).
#[cfg(test)]
fn excerpt(source: &str, loc: &Loc, indent: &str) -> Option<String> {
    let mut out = String::new();
    excerpt_into(&mut out, source, loc, indent).map(|()| out)
}

/// How `l` is described: `左（第 3 页，第 12 行第 5 列）：表三 … · 行「合计」 · 值 1.00`.
fn place(out: &mut String, l: &Location) {
    let _ = write!(out, "{}（", l.role);
    match &l.loc {
        Some(loc) => match loc.page {
            Some(p) => {
                let _ = write!(out, "第 {p} 页，第 {} 行第 {} 列", loc.line, loc.column);
            }
            None => {
                let _ = write!(out, "第 {} 行第 {} 列", loc.line, loc.column);
            }
        },
        None => out.push_str("位置不详"),
    }
    out.push_str("）：");
    let parts = [
        ("", l.table.as_deref(), ""),
        ("章节「", l.section.as_deref(), "」"),
        ("行「", l.row.as_deref(), "」"),
        ("列「", l.column.as_deref(), "」"),
        ("值 ", l.value.as_deref(), ""),
        ("文字「", l.text.as_deref(), "」"),
    ];
    let mut first = true;
    for (open, text, close) in parts {
        let Some(text) = text else { continue };
        if !first {
            out.push_str(" · ");
        }
        first = false;
        for piece in [open, text, close] {
            out.push_str(piece);
        }
    }
    if let Some(p) = &l.placement {
        let _ = write!(out, "  〔{p}〕");
    }
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
        out.push_str("  ");
        place(out, l);
        out.push('\n');
        if let (Some(src), Some(loc)) = (source, &l.loc) {
            let _ = excerpt_into(out, src, loc, "      ");
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
    for n in &d.notices {
        let _ = writeln!(out, "{}{n}", super::NOTICE);
    }
    for f in &r.findings {
        out.push('\n');
        finding(out, f, source);
    }
    if !r.causes.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "可能的共同原因（改一处即可同时消除几处发现）：");
        for c in &r.causes {
            out.push_str("  ");
            place(out, &c.location);
            out.push('\n');
            if let (Some(src), Some(loc)) = (source, &c.location.loc) {
                let _ = excerpt_into(out, src, loc, "      ");
            }
            let _ = write!(
                out,
                "    若为 {}（{}），这 {} 处发现都将消除：",
                c.suggested,
                c.change,
                c.findings.len()
            );
            for (k, &i) in c.findings.iter().enumerate() {
                let Some(f) = r.findings.get(i) else { continue };
                if k > 0 {
                    out.push('、');
                }
                out.push_str(&f.rule_id);
                if let Some(loc) = f.locations.iter().find_map(|l| l.loc) {
                    let _ = write!(out, "（第 {} 行）", loc.line);
                }
            }
            out.push('\n');
        }
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

/// Appends one document's part (see [`Render::document`]) to `out`.
fn document_into(out: &mut String, doc: &DocOutcome<'_>) {
    match doc {
        DocOutcome::Checked(c) => checked(out, c.path, c.report, c.source),
        DocOutcome::Unreadable { path, reason } => {
            let _ = writeln!(out, "━━ {path}\n无法读取：{reason}");
        }
    }
}

impl Render for Human {
    fn begin(&self, _run: &RunInfo<'_>) -> String {
        String::new()
    }

    fn document(&self, _run: &RunInfo<'_>, _index: usize, doc: &DocOutcome<'_>, out: &mut Vec<u8>) {
        write_text(out, |text| document_into(text, doc));
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
