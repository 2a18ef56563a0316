//! The body of one document in the HTML report: the narrative and every table, with the places
//! findings point at highlighted and linked both ways (a location link in the finding → an
//! anchor in the cell or sentence; a numbered reference in the cell or sentence → the finding).
//!
//! Findings' locations are matched to the document by their source location (`Loc`): every
//! cell, row label, table title and section heading has its own, and narrative matches fall
//! inside a paragraph's segments.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use shenhe_model::{CellValue, ColumnKind, Document, Loc, Paragraph, Placement, Section, Table};

use crate::finding::{Finding, Location, Severity};
use crate::render::escape::markup;
use crate::report::Report;
use crate::waiver::is_open;

/// A place in the document a location was matched to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Target {
    Cell {
        table: usize,
        row: usize,
        column: usize,
    },
    RowLabel {
        table: usize,
        row: usize,
    },
    Caption {
        table: usize,
    },
    /// The preparing body printed above a table (`编制单位：…`).
    Preparer {
        table: usize,
    },
    Heading {
        section: usize,
    },
    Text {
        paragraph: usize,
        start: usize,
        end: usize,
    },
}

/// One (finding, location) pair pointing at a place.
#[derive(Clone, Copy, Debug)]
struct Hit {
    finding: usize,
    location: usize,
    severity: Severity,
    open: bool,
}

/// Every table of the document: the numbered ones, then the forms' budget blocks (the order
/// the evaluator uses).
pub(crate) fn all_tables(doc: &Document) -> Vec<(&Table, String)> {
    let mut v: Vec<(&Table, String)> = doc.tables.iter().map(|t| (t, t.display_name())).collect();
    // Named as findings name them: the form's title and its project, if any.
    for f in &doc.performance {
        let name = match &f.project_name {
            Some(p) => format!("{}「{p}」", f.title),
            None => f.title.clone(),
        };
        v.push((&f.budget, name));
    }
    v
}

/// Sections and paragraphs in document order.
fn walk<'d>(sections: &'d [Section], out: &mut Vec<&'d Section>) {
    for s in sections {
        out.push(s);
        walk(&s.children, out);
    }
}

/// Where in the document each location of each finding stands.
pub(crate) struct Placer<'d> {
    tables: Vec<(&'d Table, String)>,
    sections: Vec<&'d Section>,
    /// (section index, paragraph) in document order.
    paragraphs: Vec<(usize, &'d Paragraph)>,
    cells: HashMap<(u32, u32), (usize, usize, usize)>,
    rows: HashMap<(u32, u32), (usize, usize)>,
    captions: HashMap<(u32, u32), usize>,
    preparers: HashMap<(u32, u32), usize>,
    /// Rows by the location of their unread code cells.
    row_codes: HashMap<(u32, u32), (usize, usize)>,
    headings: HashMap<(u32, u32), usize>,
}

fn key(l: &Loc) -> (u32, u32) {
    (l.offset, l.len)
}

impl<'d> Placer<'d> {
    pub(crate) fn new(doc: &'d Document) -> Placer<'d> {
        let tables = all_tables(doc);
        let mut sections = Vec::new();
        walk(&doc.sections, &mut sections);
        let mut p = Placer {
            paragraphs: sections
                .iter()
                .enumerate()
                .flat_map(|(i, s)| s.paragraphs.iter().map(move |p| (i, p)))
                .collect(),
            tables,
            sections,
            cells: HashMap::new(),
            rows: HashMap::new(),
            captions: HashMap::new(),
            preparers: HashMap::new(),
            row_codes: HashMap::new(),
            headings: HashMap::new(),
        };
        for (ti, (t, _)) in p.tables.iter().enumerate() {
            p.captions.entry(key(&t.loc)).or_insert(ti);
            if let Some(pr) = &t.preparer {
                p.preparers.entry(key(&pr.loc)).or_insert(ti);
            }
            for (ri, r) in t.rows.iter().enumerate() {
                p.rows.entry(key(&r.loc)).or_insert((ti, ri));
                if let Some(l) = &r.unread_code_loc {
                    p.row_codes.entry(key(l)).or_insert((ti, ri));
                }
                for c in &r.cells {
                    if let Some(l) = &c.loc {
                        p.cells.entry(key(l)).or_insert((ti, ri, c.column));
                    }
                }
            }
        }
        for (si, s) in p.sections.iter().enumerate() {
            p.headings.entry(key(&s.loc)).or_insert(si);
        }
        p
    }

    /// The place a location stands at, if it can be found in the document.
    pub(crate) fn place(&self, l: &Location) -> Option<Target> {
        let loc = l.loc.as_ref()?;
        if l.text.is_some() {
            if l.table.is_some()
                && let Some(&table) = self.preparers.get(&key(loc))
            {
                return Some(Target::Preparer { table });
            }
            return self.text(loc, l.text.as_deref().unwrap_or(""));
        }
        if let Some(col) = &l.column {
            if let Some(&(table, row, column)) = self.cells.get(&key(loc)) {
                return Some(Target::Cell { table, row, column });
            }
            // A blank cell has no location of its own: the row's, and the column by name.
            let &(table, row) = self.rows.get(&key(loc))?;
            let (t, _) = self.tables.get(table)?;
            let column = t.columns.iter().position(|c| c.path.join(".") == *col)?;
            return Some(Target::Cell { table, row, column });
        }
        if l.row.is_some() {
            // A row's unread code cells (`7 11 02`) are shown with the row: its label is marked.
            let &(table, row) = self
                .rows
                .get(&key(loc))
                .or_else(|| self.row_codes.get(&key(loc)))?;
            return Some(Target::RowLabel { table, row });
        }
        if l.table.is_some() {
            return self
                .captions
                .get(&key(loc))
                .map(|&table| Target::Caption { table });
        }
        if l.section.is_some() {
            return self
                .headings
                .get(&key(loc))
                .map(|&section| Target::Heading { section });
        }
        None
    }

    /// A narrative match: the paragraph whose segments hold `loc`, and the byte range in its
    /// text that the printed match covers (whitespace in the paragraph skipped).
    fn text(&self, loc: &Loc, printed: &str) -> Option<Target> {
        for (pi, (_, p)) in self.paragraphs.iter().enumerate() {
            for (si, seg) in p.segments.iter().enumerate() {
                let seg_end = p
                    .segments
                    .get(si + 1)
                    .map_or(p.text.len(), |s| s.start as usize);
                let seg_len = seg_end.saturating_sub(seg.start as usize);
                let within = loc.offset >= seg.loc.offset
                    && ((loc.offset - seg.loc.offset) as usize) < seg_len.max(1);
                if !within {
                    continue;
                }
                let guess = seg.start as usize + (loc.offset - seg.loc.offset) as usize;
                let (start, end) = span_of(&p.text, guess, printed)
                    .unwrap_or((guess, (guess + loc.len as usize).min(seg_end)));
                if p.text.is_char_boundary(start) && p.text.is_char_boundary(end) {
                    return Some(Target::Text {
                        paragraph: pi,
                        start,
                        end,
                    });
                }
            }
        }
        None
    }
}

/// Whether two characters are the same up to full/half width.
fn same(a: char, b: char) -> bool {
    let half = |c: char| match u32::from(c) {
        0xFF01..=0xFF5E => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    half(a) == half(b)
}

/// The byte range of `printed` in `text` starting at `at` (whitespace in either ignored);
/// when it does not start exactly there, the occurrence nearest to `at`.
fn span_of(text: &str, at: usize, printed: &str) -> Option<(usize, usize)> {
    let want: Vec<char> = printed.chars().filter(|c| !c.is_whitespace()).collect();
    if want.is_empty() {
        return None;
    }
    let try_at = |start: usize| -> Option<usize> {
        let rest = text.get(start..)?;
        if rest.chars().next().is_none_or(char::is_whitespace) {
            return None;
        }
        let mut n = 0;
        for (i, c) in rest.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            if !same(c, *want.get(n)?) {
                return None;
            }
            n += 1;
            if n == want.len() {
                return Some(start + i + c.len_utf8());
            }
        }
        None
    };
    if text.is_char_boundary(at)
        && let Some(end) = try_at(at)
    {
        return Some((at, end));
    }
    text.char_indices()
        .filter_map(|(i, _)| try_at(i).map(|e| (i, e)))
        .min_by_key(|(i, _)| i.abs_diff(at))
}

/// Anchors, highlights and references, per place.
pub(crate) struct Marks {
    prefix: String,
    hits: BTreeMap<Target, Vec<Hit>>,
}

impl Marks {
    /// Places every location of every finding; returns the marks and, per finding and
    /// location, whether it was placed.
    pub(crate) fn new(
        prefix: &str,
        placer: &Placer<'_>,
        report: &Report,
    ) -> (Marks, Vec<Vec<bool>>) {
        let mut hits: BTreeMap<Target, Vec<Hit>> = BTreeMap::new();
        let mut placed = Vec::with_capacity(report.findings.len());
        for (fi, f) in report.findings.iter().enumerate() {
            let mut row = Vec::with_capacity(f.locations.len());
            for (li, l) in f.locations.iter().enumerate() {
                let target = placer.place(l);
                row.push(target.is_some());
                if let Some(t) = target {
                    hits.entry(t).or_default().push(Hit {
                        finding: fi,
                        location: li,
                        severity: f.severity,
                        open: is_open(f),
                    });
                }
            }
            placed.push(row);
        }
        (
            Marks {
                prefix: prefix.to_string(),
                hits,
            },
            placed,
        )
    }

    fn classes(hits: &[Hit]) -> String {
        let worst = hits
            .iter()
            .map(|h| h.severity)
            .min()
            .unwrap_or(Severity::Info);
        let sev = match worst {
            Severity::Error => "sev-error",
            Severity::Warning => "sev-warning",
            Severity::Info => "sev-info",
        };
        let waived = if hits.iter().all(|h| !h.open) {
            " waived"
        } else {
            ""
        };
        format!("hit {sev}{waived}")
    }

    fn finding_ids(&self, hits: &[Hit]) -> String {
        let mut ids: Vec<usize> = hits.iter().map(|h| h.finding).collect();
        ids.dedup();
        ids.iter()
            .map(|f| format!("{}-f{f}", self.prefix))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn anchors(&self, hits: &[Hit]) -> String {
        hits.iter()
            .map(|h| {
                format!(
                    "<a class=\"anchor\" id=\"{}-f{}-l{}\"></a>",
                    self.prefix, h.finding, h.location
                )
            })
            .collect()
    }

    fn refs(&self, hits: &[Hit]) -> String {
        let mut seen: Vec<usize> = Vec::new();
        let mut out = String::new();
        for h in hits {
            if seen.contains(&h.finding) {
                continue;
            }
            seen.push(h.finding);
            let _ = write!(
                out,
                "<a class=\"ref\" href=\"#{p}-f{f}\" title=\"发现 {n}\">{n}</a>",
                p = self.prefix,
                f = h.finding,
                n = h.finding + 1
            );
        }
        out
    }

    /// `class="…" data-f="…"` for a highlighted element, with the anchors and references to put
    /// inside it; `None` when nothing points here.
    fn at(&self, t: &Target) -> Option<(String, String, String)> {
        let hits = self.hits.get(t)?;
        Some((
            format!(
                " class=\"{}\" data-f=\"{}\"",
                Marks::classes(hits),
                self.finding_ids(hits)
            ),
            self.anchors(hits),
            self.refs(hits),
        ))
    }

    fn text_hits(&self, paragraph: usize) -> Vec<(usize, usize, &Hit)> {
        let lo = Target::Text {
            paragraph,
            start: 0,
            end: 0,
        };
        let hi = Target::Text {
            paragraph,
            start: usize::MAX,
            end: usize::MAX,
        };
        self.hits
            .range(lo..=hi)
            .flat_map(|(t, hs)| match t {
                Target::Text { start, end, .. } => {
                    hs.iter().map(|h| (*start, *end, h)).collect::<Vec<_>>()
                }
                _ => Vec::new(),
            })
            .collect()
    }
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '；' | '！' | '？' | ';' | '!' | '?')
}

/// The sentence (up to and including `。；！？`) around a byte range.
fn sentence(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = text
        .get(..start)
        .and_then(|b| {
            b.char_indices()
                .rev()
                .find(|(_, c)| is_sentence_end(*c))
                .map(|(i, c)| i + c.len_utf8())
        })
        .unwrap_or(0);
    let e = text
        .get(end..)
        .and_then(|a| {
            a.char_indices()
                .find(|(_, c)| is_sentence_end(*c))
                .map(|(i, c)| end + i + c.len_utf8())
        })
        .unwrap_or(text.len());
    (s, e.max(end))
}

fn paragraph_html(out: &mut String, marks: &Marks, pi: usize, p: &Paragraph) {
    let hits = marks.text_hits(pi);
    if hits.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", markup(&p.text));
        return;
    }
    // Sentences holding a match, merged where they overlap.
    let mut sents: Vec<(usize, usize)> = hits
        .iter()
        .map(|(s, e, _)| sentence(&p.text, *s, *e))
        .collect();
    sents.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in sents {
        match merged.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let mut cuts: Vec<usize> = vec![0, p.text.len()];
    for (s, e, _) in &hits {
        cuts.push(*s);
        cuts.push(*e);
    }
    for (s, e) in &merged {
        cuts.push(*s);
        cuts.push(*e);
    }
    cuts.sort_unstable();
    cuts.dedup();
    out.push_str("<p>");
    for w in cuts.windows(2) {
        let (a, b) = match w {
            [a, b] => (*a, *b),
            _ => continue,
        };
        if merged.iter().any(|(s, _)| *s == a) {
            out.push_str("<span class=\"sent\">");
        }
        let starting: Vec<Hit> = hits
            .iter()
            .filter(|(s, _, _)| *s == a)
            .map(|(_, _, h)| **h)
            .collect();
        let anchors = marks.anchors(&starting);
        let piece = markup(p.text.get(a..b).unwrap_or(""));
        let covering: Vec<Hit> = hits
            .iter()
            .filter(|(s, e, _)| *s <= a && b <= *e && s < e)
            .map(|(_, _, h)| **h)
            .collect();
        if covering.is_empty() {
            out.push_str(&anchors);
            out.push_str(&piece);
        } else {
            // The anchors of the matches starting here go inside the highlight.
            let _ = write!(
                out,
                "<mark class=\"{}\" data-f=\"{}\">{anchors}{piece}</mark>",
                Marks::classes(&covering),
                marks.finding_ids(&covering)
            );
        }
        let ending: Vec<Hit> = hits
            .iter()
            .filter(|(_, e, _)| *e == b)
            .map(|(_, _, h)| **h)
            .collect();
        out.push_str(&marks.refs(&ending));
        if merged.iter().any(|(_, e)| *e == b) {
            out.push_str("</span>");
        }
    }
    out.push_str("</p>\n");
}

fn narrative_html(out: &mut String, placer: &Placer<'_>, marks: &Marks) {
    let mut pi = 0usize;
    for (si, s) in placer.sections.iter().enumerate() {
        let depth = usize::from(s.depth.clamp(1, 3)) + 3;
        let title = format!("{}{}", s.number.as_deref().unwrap_or(""), s.title);
        if !title.is_empty() {
            match marks.at(&Target::Heading { section: si }) {
                Some((attrs, anchors, refs)) => {
                    let _ = writeln!(
                        out,
                        "<h{depth}><span{attrs}>{anchors}{}{refs}</span></h{depth}>",
                        markup(&title)
                    );
                }
                None => {
                    let _ = writeln!(out, "<h{depth}>{}</h{depth}>", markup(&title));
                }
            }
        }
        for p in &s.paragraphs {
            paragraph_html(out, marks, pi, p);
            pi += 1;
        }
    }
}

/// Header rows for a table whose column headers are paths: cells spanning the columns that
/// share a header above them.
fn header_html(out: &mut String, t: &Table) {
    let depth = t
        .columns
        .iter()
        .map(|c| c.path.len())
        .max()
        .unwrap_or(0)
        .max(1);
    for level in 0..depth {
        out.push_str("<tr>");
        let mut ci = 0;
        while let Some(col) = t.columns.get(ci) {
            let len = col.path.len().max(1);
            if level >= len {
                ci += 1;
                continue;
            }
            let label = col.path.get(level).map(String::as_str).unwrap_or("");
            if level + 1 == len {
                let _ = write!(
                    out,
                    "<th rowspan=\"{}\" scope=\"col\">{}</th>",
                    depth - level,
                    markup(label)
                );
                ci += 1;
                continue;
            }
            let prefix = col.path.get(..=level);
            let mut span = 1;
            while let Some(next) = t.columns.get(ci + span) {
                if next.path.len() > level + 1 && next.path.get(..=level) == prefix {
                    span += 1;
                } else {
                    break;
                }
            }
            let _ = write!(
                out,
                "<th colspan=\"{span}\" scope=\"colgroup\">{}</th>",
                markup(label)
            );
            ci += span;
        }
        out.push_str("</tr>\n");
    }
}

/// A cell's value as shown (a number's digits need no escaping).
fn cell_value(out: &mut String, v: &CellValue) {
    match v {
        CellValue::Blank => {}
        CellValue::Number(d) => out.push_str(&crate::num::decimal_text(*d)),
        CellValue::Percent(d) => {
            out.push_str(&crate::num::decimal_text(*d));
            out.push('%');
        }
        CellValue::Text(s) => out.push_str(&markup(s)),
    }
}

/// The table's rows grouped by printed line: a two-sided table (收入 | 支出) gives two rows per
/// printed line, one per side, shown again side by side.
fn printed_lines(t: &Table) -> Vec<Vec<usize>> {
    let mut lines: Vec<Vec<usize>> = Vec::new();
    for (ri, r) in t.rows.iter().enumerate() {
        let joins = lines.last().is_some_and(|line| {
            r.group.is_some()
                && line.iter().all(|&o| {
                    t.rows.get(o).is_some_and(|other| {
                        other.loc.line == r.loc.line
                            && other.group.is_some()
                            && other.group != r.group
                    })
                })
        });
        match lines.last_mut() {
            Some(line) if joins => line.push(ri),
            _ => lines.push(vec![ri]),
        }
    }
    lines
}

fn cell_html(out: &mut String, t: &Table, ti: usize, ri: usize, ci: usize, marks: &Marks) {
    let (Some(r), Some(col)) = (t.rows.get(ri), t.columns.get(ci)) else {
        return;
    };
    let Some(cell) = r.cell(ci) else {
        return;
    };
    let target = Target::Cell {
        table: ti,
        row: ri,
        column: ci,
    };
    let (classes, title) = match &cell.placement {
        Placement::Direct => ("num", None),
        Placement::Inferred { reason } => ("num inferred", Some(("推断：", reason))),
        Placement::Ambiguous { reason, .. } => ("num ambiguous", Some(("存疑：", reason))),
    };
    let marked = marks.at(&target);
    match &marked {
        Some((attrs, _, _)) => {
            out.push_str("<td");
            out.push_str(&attrs.replacen("class=\"", &format!("class=\"{classes} "), 1));
        }
        None => {
            out.push_str("<td class=\"");
            out.push_str(classes);
            out.push('"');
        }
    }
    out.push_str(" data-row=\"");
    out.push_str(&markup(&r.label));
    out.push_str("\" data-col=\"");
    for (i, part) in col.path.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(&markup(part));
    }
    out.push('"');
    if let Some((kind, reason)) = title {
        let _ = write!(out, " title=\"{kind}{}\"", markup(reason));
    }
    out.push('>');
    if let Some((_, anchors, _)) = &marked {
        out.push_str(anchors);
    }
    out.push_str("<span class=\"v\">");
    cell_value(out, &cell.value);
    out.push_str("</span>");
    if let Some((_, _, refs)) = &marked {
        out.push_str(refs);
    }
    out.push_str("</td>");
}

fn table_html(out: &mut String, prefix: &str, ti: usize, t: &Table, name: &str, marks: &Marks) {
    let _ = writeln!(out, "<div class=\"table\" id=\"{prefix}-t{ti}\">");
    let unit = t
        .unit
        .map(|u| format!("（单位：{}）", u.name()))
        .unwrap_or_default();
    match marks.at(&Target::Caption { table: ti }) {
        Some((attrs, anchors, refs)) => {
            let _ = writeln!(
                out,
                "<h4 class=\"caption\"><span{attrs}>{anchors}{}{refs}</span>{}</h4>",
                markup(name),
                markup(&unit)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "<h4 class=\"caption\">{}{}</h4>",
                markup(name),
                markup(&unit)
            );
        }
    }
    if let Some(p) = &t.preparer {
        match marks.at(&Target::Preparer { table: ti }) {
            Some((attrs, anchors, refs)) => {
                let _ = writeln!(
                    out,
                    "<p class=\"preparer\">编制单位：<mark{attrs}>{anchors}{}{refs}</mark></p>",
                    markup(&p.name)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "<p class=\"preparer\">编制单位：{}</p>",
                    markup(&p.name)
                );
            }
        }
    }
    out.push_str("<table>\n<thead>\n");
    header_html(out, t);
    out.push_str("</thead>\n<tbody>\n");
    for line in printed_lines(t) {
        let total = line.iter().any(|&ri| {
            t.rows
                .get(ri)
                .is_some_and(|r| r.kind == shenhe_model::RowKind::Total)
        });
        out.push_str(if total {
            "<tr class=\"total\">"
        } else {
            "<tr>"
        });
        let mut labelled: Vec<usize> = Vec::new();
        for (ci, col) in t.columns.iter().enumerate() {
            // The row of this printed line that owns the column: the one with a cell there,
            // else (labels, codes, numbers) the one on the column's side.
            let with_cell = line
                .iter()
                .copied()
                .find(|&ri| t.rows.get(ri).is_some_and(|r| r.cell(ci).is_some()));
            if let Some(ri) = with_cell {
                cell_html(out, t, ti, ri, ci, marks);
                continue;
            }
            let side = line.iter().copied().find(|&ri| {
                t.rows.get(ri).is_some_and(|r| {
                    col.group.is_none() || r.group.is_none() || col.group == r.group
                })
            });
            let Some((ri, r)) = side.and_then(|ri| t.rows.get(ri).map(|r| (ri, r))) else {
                out.push_str("<td></td>");
                continue;
            };
            let first_code = t.columns.iter().position(|c| {
                c.kind == ColumnKind::Code && (c.group.is_none() || c.group == r.group)
            });
            let text = match col.kind {
                ColumnKind::Label if !labelled.contains(&ri) => {
                    labelled.push(ri);
                    match marks.at(&Target::RowLabel { table: ti, row: ri }) {
                        Some((attrs, anchors, refs)) => {
                            let _ = write!(
                                out,
                                "<th scope=\"row\"{attrs}>{anchors}{}{refs}</th>",
                                markup(&r.label)
                            );
                        }
                        None => {
                            let _ = write!(out, "<th scope=\"row\">{}</th>", markup(&r.label));
                        }
                    }
                    continue;
                }
                ColumnKind::Code if first_code == Some(ci) => r.code.as_deref(),
                ColumnKind::Serial => r.serial.as_deref(),
                _ => None,
            };
            let _ = write!(out, "<td>{}</td>", markup(text.unwrap_or("")));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    for n in &t.notes {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", markup(&n.text));
    }
    out.push_str("</div>\n");
}

/// The narrative and the tables of a document, marked.
pub(crate) fn body(out: &mut String, prefix: &str, placer: &Placer<'_>, marks: &Marks) {
    out.push_str("<details class=\"narrative\" open=\"open\"><summary>正文</summary>\n");
    narrative_html(out, placer, marks);
    out.push_str("</details>\n<details class=\"tables\" open=\"open\"><summary>表格</summary>\n");
    for (ti, (t, name)) in placer.tables.iter().enumerate() {
        table_html(out, prefix, ti, t, name, marks);
    }
    out.push_str("</details>\n");
}

/// The finding's locations are placed (for links) — re-exported for the page.
pub(crate) fn finding_severity_class(f: &Finding) -> &'static str {
    match f.severity {
        Severity::Error => "sev-error",
        Severity::Warning => "sev-warning",
        Severity::Info => "sev-info",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_of_skips_whitespace_and_finds_nearest() {
        let text = "支出 821.07万元，比上年增加 12.00万元。";
        let at = text.find("821").unwrap();
        assert_eq!(
            span_of(text, at, "821.07 万元"),
            Some((at, at + "821.07万元".len()))
        );
        // Wrong guess: the nearest occurrence.
        assert_eq!(
            span_of(text, 0, "12.00万元").map(|(s, _)| s),
            text.find("12.00")
        );
        assert_eq!(span_of(text, 0, "不存在"), None);
    }

    #[test]
    fn sentence_bounds() {
        let text = "甲。乙丙丁；戊";
        let s = text.find('丙').unwrap();
        let (a, b) = sentence(text, s, s + '丙'.len_utf8());
        assert_eq!(text.get(a..b), Some("乙丙丁；"));
        let s = text.find('戊').unwrap();
        let (a, b) = sentence(text, s, text.len());
        assert_eq!(text.get(a..b), Some("戊"));
    }
}
