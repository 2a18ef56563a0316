//! The running text of a PDF: the lines no table used, read by the text path's narrative
//! reader (numbered sections, re-joined paragraphs, facts) over the reconstructed text, then
//! given their page and box.
//!
//! The page adds what extracted text loses: a heading set centred in a larger font
//! (`…主要职能`, `2024年部门预算编制说明`) opens a part of its own, whose numbered sections
//! become its children; and the table of contents (`目录` and the list pages after it) is kept
//! as one section of entries instead of being read as headings.

use shenhe_model::{IngestWarning, Paragraph, Section, TextSegment, name_key};

use super::layout::{Item, PageInfo, Text};
use super::sheet::Sheet;
use crate::narrative::LineEnd;
use crate::text::Source;

/// A part of the narrative: an optional heading and the lines under it.
struct Part<'a> {
    heading: Vec<&'a Text>,
    lines: Vec<&'a Text>,
    toc: bool,
}

/// Most common glyph size of the lines, weighted by their length.
fn body_size(lines: &[&Text]) -> f64 {
    let mut sizes: Vec<(i64, usize)> = Vec::new();
    for t in lines {
        let k = (t.line.size * 2.0).round() as i64;
        let n = t.text.chars().count();
        match sizes.iter_mut().find(|(s, _)| *s == k) {
            Some((_, c)) => *c += n,
            None => sizes.push((k, n)),
        }
    }
    sizes
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(0.0, |(s, _)| *s as f64 / 2.0)
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['。', '，', '；', '：', ',', ';', ':'])
}

/// What the page shows about where each line ends ([`LineEnd`]), page by page.
///
/// A line runs on when it runs to the right edge of its page's text block, so that the
/// paragraph goes on after it however short its text (a line of digits and Latin letters, which
/// are narrower than Chinese characters, or a block narrower than the document's other text).
/// The block is measured on the page's body lines (the page's most common glyph size, at least
/// ten characters): its left edge is where the leftmost starts, its right edge where the longest
/// ends. A line runs on when it is set in that size, starts at the block's left edge (give or
/// take a two-character indent) and ends within one and a half characters of the right edge.
///
/// A line that runs on continues into the next when the page's paragraphs start indented (some
/// body line starts one and a half to three characters right of the block's left edge) and the
/// next line, a body line right below it (no more than one and a half glyph heights between them), starts
/// at the left edge: it is no paragraph's first line, so a full stop or colon at the end of the
/// line above (`……主要原因：` / `年中社会保险缴费基数变更导致。`, `……住房公积金（项）。` /
/// `主要用于：……`) does not end the paragraph. A numbered item or heading on the next line still
/// starts anew (the reader tells those by their numbering).
///
/// A page with fewer than three body lines tells nothing.
fn line_ends(lines: &[&Text]) -> Vec<LineEnd> {
    let mut out = vec![LineEnd::Unknown; lines.len()];
    let mut start = 0usize;
    while let Some(first) = lines.get(start) {
        let end = lines
            .iter()
            .skip(start)
            .position(|t| t.page != first.page)
            .map_or(lines.len(), |n| start + n);
        let page = lines.get(start..end).unwrap_or_default();
        let body = body_size(page);
        let in_body = |t: &Text| (t.line.size - body).abs() <= 0.1 * body;
        let body_lines: Vec<&&Text> = page
            .iter()
            .filter(|t| in_body(t) && t.text.chars().count() >= 10)
            .collect();
        if body_lines.len() >= 3 {
            let left = body_lines
                .iter()
                .map(|t| t.line.x0)
                .fold(f64::INFINITY, f64::min);
            let right = body_lines
                .iter()
                .map(|t| t.line.x1)
                .fold(f64::NEG_INFINITY, f64::max);
            let indented = body_lines.iter().any(|t| {
                let d = t.line.x0 - left;
                d >= 1.5 * t.line.size && d <= 3.0 * t.line.size
            });
            for (k, t) in page.iter().enumerate() {
                let size = t.line.size;
                let on =
                    in_body(t) && t.line.x0 <= left + 2.5 * size && t.line.x1 >= right - 1.5 * size;
                if !on {
                    continue;
                }
                let continued = indented
                    && page.get(k + 1).is_some_and(|n| {
                        let gap = t.line.bottom - n.line.top;
                        in_body(n)
                            && n.line.x0 <= left + 0.5 * size
                            && gap >= -0.25 * size
                            && gap <= 1.5 * size
                    });
                if let Some(o) = out.get_mut(start + k) {
                    *o = if continued {
                        LineEnd::Continues
                    } else {
                        LineEnd::RunsOn
                    };
                }
            }
        }
        start = end;
    }
    out
}

/// A heading set apart by the page: centred, in a larger font, short, not a sentence.
fn is_page_heading(t: &Text, body: f64, pages: &[PageInfo]) -> bool {
    let Some(page) = pages.iter().find(|p| p.number == t.page) else {
        return false;
    };
    let center = (t.line.x0 + t.line.x1) / 2.0;
    let centred = (center - page.width / 2.0).abs() <= 0.06 * page.width;
    let chars = t.text.chars().count();
    centred
        && t.line.size >= body * 1.15
        && (2..=50).contains(&chars)
        && !ends_sentence(&t.text)
        && !t.text.contains(['：', ':'])
}

fn is_toc_title(t: &Text) -> bool {
    matches!(name_key(&t.text).as_str(), "目录" | "目次")
}

/// Whether a page's lines read as a list (table-of-contents entries): short and without
/// sentence punctuation.
fn list_page(lines: &[&Text]) -> bool {
    !lines.is_empty()
        && lines
            .iter()
            .all(|t| t.text.chars().count() <= 45 && !t.text.contains(['。', '，', '；']))
}

/// Builds the section tree from the unused text lines.
pub(crate) fn build(
    sheet: &Sheet,
    items: &[Item],
    pages: &[PageInfo],
    used: &[bool],
    preamble_title: &str,
    warnings: &mut Vec<IngestWarning>,
) -> Vec<Section> {
    let lines: Vec<&Text> = items
        .iter()
        .zip(used.iter())
        .filter(|(_, u)| !**u)
        .filter_map(|(it, _)| match it {
            Item::Text(t) => Some(t),
            Item::Grid(_) => None,
        })
        .collect();
    let body = body_size(&lines);
    // Split into parts at page headings and at the table of contents.
    let mut parts: Vec<Part<'_>> = vec![Part {
        heading: Vec::new(),
        lines: Vec::new(),
        toc: false,
    }];
    let mut toc_page: Option<u32> = None;
    for (i, t) in lines.iter().enumerate() {
        if let Some(p) = toc_page {
            if t.page == p {
                if let Some(part) = parts.last_mut() {
                    part.lines.push(t);
                }
                continue;
            }
            // The contents go on over the next page while it is a list.
            let page_lines: Vec<&Text> = lines
                .iter()
                .skip(i)
                .take_while(|x| x.page == t.page)
                .copied()
                .collect();
            if t.page == p + 1 && list_page(&page_lines) {
                toc_page = Some(t.page);
                if let Some(part) = parts.last_mut() {
                    part.lines.push(t);
                }
                continue;
            }
            toc_page = None;
            parts.push(Part {
                heading: Vec::new(),
                lines: Vec::new(),
                toc: false,
            });
        }
        if is_toc_title(t) {
            toc_page = Some(t.page);
            parts.push(Part {
                heading: vec![t],
                lines: Vec::new(),
                toc: true,
            });
            continue;
        }
        if is_page_heading(t, body, pages) {
            // A heading set over two lines continues the open heading.
            let continues = parts.last().is_some_and(|p| {
                p.lines.is_empty()
                    && !p.toc
                    && p.heading.last().is_some_and(|h| {
                        h.page == t.page
                            && (h.line.size - t.line.size).abs() <= 0.05 * h.line.size
                            && h.line.bottom - t.line.top < 1.5 * h.line.size
                    })
            });
            if continues {
                if let Some(part) = parts.last_mut() {
                    part.heading.push(t);
                }
            } else {
                parts.push(Part {
                    heading: vec![t],
                    lines: Vec::new(),
                    toc: false,
                });
            }
            continue;
        }
        if let Some(part) = parts.last_mut() {
            part.lines.push(t);
        }
    }
    let src = Source::new(&sheet.text);
    let mut out: Vec<Section> = Vec::new();
    let mut w = Vec::new();
    for part in parts {
        if part.heading.is_empty() && part.lines.is_empty() {
            continue;
        }
        let title: String = part
            .heading
            .iter()
            .map(|h| {
                h.text
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
            })
            .collect();
        let heading_loc = part
            .heading
            .iter()
            .filter_map(|h| h.loc)
            .reduce(shenhe_model::Loc::join);
        if part.toc {
            out.push(Section {
                number: None,
                title,
                depth: 0,
                loc: heading_loc.unwrap_or_default(),
                paragraphs: part.lines.iter().map(|t| entry(t)).collect(),
                children: Vec::new(),
            });
            continue;
        }
        let (idx, on): (Vec<usize>, Vec<LineEnd>) = part
            .lines
            .iter()
            .zip(line_ends(&part.lines))
            .filter_map(|(t, on)| Some(((t.line_no as usize).checked_sub(1)?, on)))
            .unzip();
        if part.heading.is_empty() {
            // Only the text the document opens with is under the document's title.
            let title = if out.is_empty() { preamble_title } else { "" };
            out.extend(crate::narrative::build(&src, &idx, &on, title, &mut w));
            continue;
        }
        let mut sections = crate::narrative::build(&src, &idx, &on, &title, &mut w);
        // The reader puts the text before the first numbered heading into a section titled as
        // asked; it becomes the part, the numbered sections its children.
        let mut part_section = match sections.first() {
            Some(s) if s.number.is_none() && s.depth == 0 => sections.remove(0),
            _ => Section {
                title: title.clone(),
                ..Section::default()
            },
        };
        part_section.loc = heading_loc.unwrap_or_default();
        part_section.children.extend(sections);
        out.push(part_section);
    }
    for s in &mut out {
        // A section without a heading of its own stands where its text starts.
        if s.loc.line == 0
            && let Some(seg) = s.paragraphs.first().and_then(|p| p.segments.first())
        {
            s.loc = seg.loc;
        }
        place_section(sheet, s);
    }
    for mut warning in w {
        if let Some(l) = warning.loc.as_mut() {
            sheet.place(l);
        }
        warnings.push(warning);
    }
    out
}

/// One table-of-contents entry as a paragraph of its own.
fn entry(t: &Text) -> Paragraph {
    let loc = t.loc.unwrap_or_default();
    Paragraph {
        text: t.text.clone(),
        segments: vec![TextSegment { start: 0, loc }],
        facts: Vec::new(),
    }
}

fn place_section(sheet: &Sheet, s: &mut Section) {
    sheet.place(&mut s.loc);
    for p in &mut s.paragraphs {
        for seg in &mut p.segments {
            sheet.place(&mut seg.loc);
        }
        for f in &mut p.facts {
            sheet.place(&mut f.loc);
        }
    }
    for c in &mut s.children {
        place_section(sheet, c);
    }
}
