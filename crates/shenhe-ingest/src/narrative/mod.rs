//! The narrative (情况说明): numbered sections (`一、` `（一）` `1.`) holding paragraphs re-joined
//! from the lines they were wrapped over, with typed facts.
//!
//! Extracted text separates every printed line by a blank line, so blank lines say nothing
//! about paragraphs. A line continues into the next when it is "full" (as wide as the body text
//! runs) and does not end a sentence; a heading or a numbered item starts a new paragraph.

mod facts;

use shenhe_model::{IngestWarning, Paragraph, Section, TextSegment};

use crate::text::{Line, Source, is_cn_numeral, needs_space, width};

pub(crate) use facts::extract_facts;

/// How a line starts.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Heading {
    number: String,
    title: String,
    depth: u8,
    /// Byte offset of the title within the line content.
    title_start: usize,
}

/// Builds the section tree from the narrative lines (indices into `src.lines`).
///
/// `ends` says, line by line of `line_idx` (or is empty when nothing is known), what the page
/// shows about where each line ends (PDF layout knows this; plain text does not).
pub(crate) fn build(
    src: &Source<'_>,
    line_idx: &[usize],
    ends: &[LineEnd],
    preamble_title: &str,
    warnings: &mut Vec<IngestWarning>,
) -> Vec<Section> {
    // The non-empty lines, each with its width and whether it runs on: one vector, sized by
    // the lines given (a filtered iterator would grow it from four up).
    let mut lines: Vec<(&Line<'_>, usize, LineEnd)> = Vec::with_capacity(line_idx.len());
    lines.extend(line_idx.iter().enumerate().filter_map(|(k, &i)| {
        let line = src.line(i).filter(|l| !l.content.is_empty())?;
        let on = ends.get(k).copied().unwrap_or_default();
        Some((line, width(line.content), on))
    }));
    let full = full_width(lines.iter().map(|&(_, w, _)| w));
    let mut b = Builder::new(preamble_title);
    let mut i = 0usize;
    while let Some(&(line, w, on)) = lines.get(i) {
        i += 1;
        let c = line.content;
        if is_page_number(c) {
            warnings.push(IngestWarning {
                code: "page-number".into(),
                message: format!("第 {} 行只有数字“{c}”，像是页码，已略去", line.no),
                loc: Some(line.loc()),
            });
            continue;
        }
        // A line's numbering, read once: it decides both a heading and a new item.
        let item = item_number(c);
        if let Some(mut h) = item.and_then(|it| heading_of(c, it, w >= full)) {
            b.flush();
            let mut loc = line.loc();
            // A heading wrapped over two lines (`五、…会议费` + `等情况`).
            if w >= full
                && let Some(&(next, next_w, _)) = lines.get(i)
            {
                let n = next.content;
                // Neither a heading nor an item (a heading is a numbered line).
                if item_number(n).is_none() && next_w < full && !has_inner_punct(n) {
                    h.title.push_str(n);
                    loc = loc.join(next.loc());
                    i += 1;
                }
            }
            b.open(h, loc);
            continue;
        }
        // A line that cannot begin a paragraph continues the one before, however short that
        // one was (see `cannot_begin`).
        let continues = b
            .para
            .last()
            .is_some_and(|prev| cannot_begin(prev.content, c));
        let starts_new = (b.para_ended && !continues) || item.is_some();
        if starts_new {
            b.flush();
        }
        b.push_line(line);
        b.para_ended = ends_paragraph(c, w, full, on);
    }
    b.finish()
}

/// The width from which a line counts as full: the most common width of long lines, less two
/// characters (first lines are indented by two).
fn full_width(widths: impl Iterator<Item = usize>) -> usize {
    let mut counts = [0u32; 256];
    for w in widths {
        if (30..256).contains(&w)
            && let Some(c) = counts.get_mut(w)
        {
            *c += 1;
        }
    }
    // Smooth over neighbouring widths (digits make widths odd).
    let mut best = (0u32, 0usize);
    for w in 30..254 {
        let s: u32 = counts.get(w..w + 3).map(|s| s.iter().sum()).unwrap_or(0);
        if s > best.0 || (s == best.0 && s > 0) {
            best = (s, w + 1);
        }
    }
    if best.0 < 3 {
        return 52;
    }
    best.1.saturating_sub(8).max(20)
}

/// What the indentation of text laid out in columns (`pdftotext -layout`) shows about where
/// each narrative line of `line_idx` ends: on a page whose paragraphs start indented (some line
/// of ten characters or more starts two to four columns right of the page's left margin), a
/// line followed (directly or after one blank line) by a line starting at the margin continues
/// into it: the next line is no paragraph's first line, so neither a short line
/// (`……其中本年收` / `入预算 390,140.45 万元，……`) nor a full stop at the line's end
/// (`……购房补贴（项）。` / `主要用于：……`) ends the paragraph, as [`LineEnd::Continues`] says
/// for a PDF page. A numbered item or heading on the next line still starts anew. Pages
/// without indentation, and text whose lines all start at the margin, are left to the text
/// ([`LineEnd::Unknown`]).
pub(crate) fn indent_ends(src: &Source<'_>, line_idx: &[usize]) -> Vec<LineEnd> {
    let mut out = vec![LineEnd::Unknown; line_idx.len()];
    // Text whose lines all start at the margin (the seed form) is answered at once.
    if !line_idx
        .iter()
        .any(|&i| src.line(i).is_some_and(|l| l.lead_chars >= 2))
    {
        return out;
    }
    let lines: Vec<Option<&Line<'_>>> = line_idx
        .iter()
        .map(|&i| src.line(i).filter(|l| !l.content.is_empty()))
        .collect();
    let mut start = 0usize;
    while start < lines.len() {
        let page = lines.get(start).copied().flatten().and_then(|l| l.page);
        let end = (start..lines.len())
            .find(|&k| {
                lines
                    .get(k)
                    .copied()
                    .flatten()
                    .is_some_and(|l| l.page != page)
            })
            .unwrap_or(lines.len());
        let on_page = || {
            lines
                .get(start..end)
                .unwrap_or_default()
                .iter()
                .flatten()
                .filter(|l| l.content.chars().nth(9).is_some())
        };
        let margin = on_page().map(|l| l.lead_chars).min();
        let indented =
            margin.is_some_and(|m| on_page().any(|l| (m + 2..=m + 4).contains(&l.lead_chars)));
        if let (Some(margin), true) = (margin, indented) {
            for k in start..end {
                let Some(Some(line)) = lines.get(k) else {
                    continue;
                };
                // The next narrative line with text.
                let next = (k + 1..end).find_map(|j| lines.get(j).copied().flatten());
                let flush = next.is_some_and(|n| {
                    n.lead_chars <= margin && n.no <= line.no + 2 && n.page == line.page
                });
                if flush && let Some(o) = out.get_mut(k) {
                    *o = LineEnd::Continues;
                }
            }
        }
        start = end.max(start + 1);
    }
    out
}

/// What the page shows about the end of a narrative line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum LineEnd {
    /// Nothing (plain text): the line's text and width decide.
    #[default]
    Unknown,
    /// The line runs to the right edge of its text block: it does not end its paragraph for
    /// being shorter than most lines (digits and Latin letters are narrower than Chinese).
    RunsOn,
    /// It runs to the right edge and the line right below it starts at the block's left edge,
    /// on a page whose paragraphs start indented: the next line is not a paragraph's first
    /// line, so the paragraph goes on even after a full stop or a colon.
    Continues,
}

/// A line ends its paragraph with a full stop (or colon), or when it is short — unless the
/// page shows it running to the right edge, or the next line continuing it ([`LineEnd`]), or it
/// ends with a comma: no paragraph ends mid-sentence (`……年初预算为 289.59 万元，` / `支出决算为
/// ……`, the next line set apart by the layout).
fn ends_paragraph(c: &str, w: usize, full: usize, end: LineEnd) -> bool {
    if end == LineEnd::Continues {
        return false;
    }
    let last = c.chars().next_back();
    if matches!(last, Some('，' | '、' | ',')) {
        return false;
    }
    matches!(last, Some('。' | '！' | '？' | '：' | ':')) || (w < full && end == LineEnd::Unknown)
}

/// Whether line `c` cannot begin a paragraph after line `prev`: Chinese typesetting never
/// starts a line with closing punctuation (`。主要用于……` in text written out in the PDF's
/// drawing order), and a unit word right after a line ending in a digit is that number's unit
/// (`年初预算为 196.40` / `万元，支出决算为……`; `元` only when no ideograph follows it).
fn cannot_begin(prev: &str, c: &str) -> bool {
    let Some(first) = c.chars().next() else {
        return false;
    };
    if matches!(
        first,
        '。' | '，'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '」'
            | '』'
            | '”'
            | '%'
            | '％'
            // The same marks in half width.
            | ','
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
    ) {
        return true;
    }
    // `元` alone only when no ideograph follows it (`元，`, not `元宵节`).
    prev.ends_with(|ch: char| ch.is_ascii_digit())
        && (["万元", "亿元", "个百分点"]
            .iter()
            .any(|u| c.starts_with(u))
            || c.strip_prefix('元').is_some_and(|r| {
                !r.starts_with(|ch: char| ('\u{4E00}'..='\u{9FFF}').contains(&ch))
            }))
}

fn is_page_number(c: &str) -> bool {
    let framing = |ch: char| ch == '-' || ch == '—' || ch == ' ';
    // A line of prose starts with neither a digit nor a framing dash: answered at once.
    if !c.starts_with(|ch: char| ch.is_ascii_digit() || framing(ch)) {
        return false;
    }
    let t = c.trim_matches(framing);
    !t.is_empty() && t.len() <= 3 && t.chars().all(|ch| ch.is_ascii_digit())
}

fn has_inner_punct(s: &str) -> bool {
    let trimmed = s.trim_end_matches('。');
    trimmed
        .chars()
        .any(|c| matches!(c, '，' | '。' | '；' | '：' | ',' | ';' | ':' | '！' | '？'))
}

/// `(number as printed, depth, byte length of the number)` of a line starting with a
/// numbering.
fn item_number(c: &str) -> Option<(&str, u8, usize)> {
    // Most lines start with neither a bracket nor a numeral: answered from the first char.
    let first = c.chars().next()?;
    if !(first == '（' || first == '(' || first.is_ascii_digit() || is_cn_numeral(first)) {
        return None;
    }
    // （一） / (一) / （1） / (1)
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = c.strip_prefix(open) {
            let inner_len: usize = rest
                .char_indices()
                .take_while(|(_, ch)| is_cn_numeral(*ch) || ch.is_ascii_digit())
                .map(|(_, ch)| ch.len_utf8())
                .sum();
            if inner_len > 0 {
                let inner = rest.get(..inner_len)?;
                let after = rest.get(inner_len..)?;
                if after.starts_with(close) {
                    let total = open.len_utf8() + inner_len + close.len_utf8();
                    let depth = if inner.chars().all(|ch| ch.is_ascii_digit()) {
                        3
                    } else {
                        2
                    };
                    return Some((c.get(..total)?, depth, total));
                }
            }
        }
    }
    // 一、 / 1、 / 1. / 1．
    let n_len: usize = c
        .char_indices()
        .take_while(|(_, ch)| is_cn_numeral(*ch) || ch.is_ascii_digit())
        .map(|(_, ch)| ch.len_utf8())
        .sum();
    if n_len == 0 {
        return None;
    }
    let num = c.get(..n_len)?;
    let after = c.get(n_len..)?;
    let digits = num.chars().all(|ch| ch.is_ascii_digit());
    let cn = num.chars().all(is_cn_numeral);
    if !(digits || cn) {
        return None;
    }
    let sep = after.chars().next()?;
    let ok = if cn {
        sep == '、'
    } else {
        // `1.5 万元` is a number, not an item.
        matches!(sep, '、' | '．')
            || (sep == '.' && !after.chars().nth(1).is_some_and(|d| d.is_ascii_digit()))
    };
    if !ok || (digits && num.len() > 2) {
        return None;
    }
    let total = n_len + sep.len_utf8();
    Some((c.get(..total)?, if cn { 1 } else { 3 }, total))
}

/// A heading line: a numbering followed by a short title without sentence punctuation.
#[cfg(test)]
fn heading(c: &str, full: bool) -> Option<Heading> {
    heading_of(c, item_number(c)?, full)
}

/// [`heading`] of a line whose numbering (`item_number(c)`) is known.
fn heading_of(c: &str, item: (&str, u8, usize), full: bool) -> Option<Heading> {
    let (number, depth, len) = item;
    let rest = c.get(len..)?;
    let title = rest.trim_start();
    let title_start = c.len() - title.len();
    if title.is_empty() {
        return None;
    }
    // The length first: a numbered paragraph (most numbered lines) is too long for a title,
    // told without looking for punctuation in it.
    let chars = title.chars().count();
    let ok = match depth {
        1 | 2 => chars <= 40,
        _ => !full && chars <= 20 && !title.ends_with('。'),
    };
    if !ok || has_inner_punct(title) {
        return None;
    }
    Some(Heading {
        number: number.to_string(),
        title: title.to_string(),
        depth,
        title_start,
    })
}

struct Builder<'s, 'a> {
    /// Open sections, outermost first; the root is the preamble.
    stack: Vec<Section>,
    done: Vec<Section>,
    /// The lines of the paragraph being read, joined when it ends (its text and segments are
    /// then allocated once, at their size).
    para: Vec<&'s Line<'a>>,
    para_ended: bool,
}

impl<'s, 'a> Builder<'s, 'a> {
    fn new(preamble_title: &str) -> Builder<'s, 'a> {
        Builder {
            stack: vec![Section {
                number: None,
                title: preamble_title.to_string(),
                depth: 0,
                ..Section::default()
            }],
            done: Vec::new(),
            para: Vec::new(),
            para_ended: true,
        }
    }

    fn flush(&mut self) {
        if self.para.is_empty() {
            return;
        }
        // Lines are joined directly, with a space where two ASCII letters or digits meet.
        let mut len = 0usize;
        let mut prev: Option<&str> = None;
        for line in &self.para {
            if prev.is_some_and(|p| needs_space(p, line.content)) {
                len += 1;
            }
            len += line.content.len();
            prev = Some(line.content);
        }
        let mut p = Paragraph {
            text: String::with_capacity(len),
            segments: Vec::with_capacity(self.para.len()),
            facts: Vec::new(),
        };
        for line in self.para.drain(..) {
            if !p.text.is_empty() && needs_space(&p.text, line.content) {
                p.text.push(' ');
            }
            p.segments.push(TextSegment {
                start: p.text.len() as u32,
                loc: line.loc(),
            });
            p.text.push_str(line.content);
        }
        if p.text.is_empty() {
            return;
        }
        p.facts = extract_facts(&p);
        if let Some(top) = self.stack.last_mut() {
            top.paragraphs.push(p);
        }
    }

    fn push_line(&mut self, line: &'s Line<'a>) {
        self.para.push(line);
    }

    fn close_to(&mut self, depth: u8) {
        while self.stack.len() > 1 && self.stack.last().is_some_and(|s| s.depth >= depth) {
            if let Some(s) = self.stack.pop() {
                self.attach(s);
            }
        }
    }

    fn attach(&mut self, s: Section) {
        match self.stack.last_mut() {
            Some(parent) if parent.depth > 0 => parent.children.push(s),
            _ => self.done.push(s),
        }
    }

    fn open(&mut self, h: Heading, loc: shenhe_model::Loc) {
        self.close_to(h.depth);
        let _ = h.title_start;
        self.stack.push(Section {
            number: Some(h.number),
            title: h.title,
            depth: h.depth,
            loc,
            paragraphs: Vec::new(),
            children: Vec::new(),
        });
        self.para_ended = true;
    }

    fn finish(mut self) -> Vec<Section> {
        self.flush();
        self.close_to(1);
        let mut out = Vec::with_capacity(self.done.len() + 1);
        if let Some(pre) = self.stack.pop()
            && (!pre.paragraphs.is_empty() || !pre.title.is_empty())
        {
            out.push(pre);
        }
        out.extend(self.done);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(text: &str) -> Vec<Section> {
        let src = Source::new(text);
        let idx: Vec<usize> = (0..src.lines.len()).collect();
        let mut w = Vec::new();
        build(&src, &idx, &[], "", &mut w)
    }

    #[test]
    fn items_and_headings() {
        assert_eq!(item_number("一、部门职责").map(|x| x.1), Some(1));
        assert_eq!(item_number("（二）支出预算").map(|x| x.1), Some(2));
        assert_eq!(item_number("1.绩效目标").map(|x| x.1), Some(3));
        assert_eq!(item_number("1.5 万元"), None);
        assert_eq!(item_number("2024 年"), None);
        assert!(heading("一、部门职责", false).is_some());
        assert!(heading("（一）2023 年预算绩效管理工作情况。", false).is_some());
        assert!(heading("3、实施主体：临夏市人民代表大会。", false).is_none());
        assert!(heading("1. 一般公共服务支出 866.07 万元， 比 2023", true).is_none());
    }

    #[test]
    fn joins_wrapped_lines_and_nests() {
        let long = "按照《中华人民共和国预算法》《中华人民共和国预算法实施条";
        let text = format!(
            "一、部门职责\n\n{long}\n\n例》要求，现公开如下：\n\n（一）收入预算\n\n收入 990.07 万元，占 100%；\n\n二、其他\n\n无。\n"
        );
        let s = sections(&text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].title, "部门职责");
        assert_eq!(s[0].paragraphs.len(), 1);
        assert_eq!(
            s[0].paragraphs[0].text,
            format!("{long}例》要求，现公开如下：")
        );
        assert_eq!(s[0].children[0].title, "收入预算");
        assert_eq!(s[0].children[0].depth, 2);
        let p = &s[0].children[0].paragraphs[0];
        assert_eq!(p.facts.len(), 2);
        assert_eq!(s[1].paragraphs[0].text, "无。");
    }

    /// Text laid out in columns: a line followed by one flush with the margin continues into
    /// it, on a page whose paragraphs start indented; text without indentation knows nothing.
    #[test]
    fn indentation_tells_wrapped_lines() {
        // Pages by form feeds, as pdftotext prints them (without them, a line led by spaces
        // would start a page).
        let text = "\u{c}\n          我校 2021 年收支总预算 490.40 万元，其中本年收\n        入预算 390.45 万元，使用结余 18.73\n        万元，结转下年 75.00 万元。\n          与上年部门预算相比，收支总预算增加 2.98\n        万元。\n          12、住房保障支出（类）住房改革支出（款）住房公积金（项）。\n        主要用于：住房公积金支出。\n";
        let src = Source::new(text);
        let idx: Vec<usize> = (0..src.lines.len()).collect();
        let ends = indent_ends(&src, &idx);
        let on: Vec<bool> = ends.iter().map(|e| *e == LineEnd::Continues).collect();
        assert_eq!(on, [false, true, true, false, true, false, true, false]);
        let mut w = Vec::new();
        let s = build(&src, &idx, &ends, "", &mut w);
        let texts: Vec<&str> = s
            .iter()
            .flat_map(|s| s.paragraphs.iter().map(|p| p.text.as_str()))
            .collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(texts[0].ends_with("结转下年 75.00 万元。"), "{texts:?}");
        assert_eq!(
            texts[2],
            "12、住房保障支出（类）住房改革支出（款）住房公积金（项）。主要用于：住房公积金支出。"
        );
        let flat = "我校收支总预算 490.40 万元，其中本年收入预算\n390.45 万元，使用结余 18.73\n";
        let src = Source::new(flat);
        let idx: Vec<usize> = (0..src.lines.len()).collect();
        assert!(
            indent_ends(&src, &idx)
                .iter()
                .all(|e| *e == LineEnd::Unknown)
        );
    }

    /// What the page says about a line's end decides where a full stop ends a paragraph:
    /// nothing known (plain text) or running on, it ends there; continued by the next line
    /// (set flush left under indented paragraphs), the sentence after it is the same paragraph.
    /// A numbered item on the next line starts anew either way.
    /// Text written out one short line at a time (`pdftotext` without `-layout`, or `-raw`):
    /// a line starting with closing punctuation, or with the unit of the number the line before
    /// ends with, goes on with that line's paragraph; so does the line after one that ends with
    /// a comma.
    #[test]
    fn a_line_that_cannot_begin_a_paragraph_continues_one() {
        let s = sections(
            "一、情况说明\n1、一般公共服务支出（类）人大事务（款）行政运行（项）\n。主要用于：行政单位人员支出。\n\
             年初预算为 196.40\n万元，支出决算为 196.29 万元。\n合计 20\n元。\n年初预算为 289.59 万元，\n支出决算为 289.59 万元。\n\
             短行 20\n元宵节",
        );
        let texts: Vec<&str> = s[0].paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "1、一般公共服务支出（类）人大事务（款）行政运行（项）。主要用于：行政单位人员支出。",
                "年初预算为 196.40万元，支出决算为 196.29 万元。",
                "合计 20元。",
                "年初预算为 289.59 万元，支出决算为 289.59 万元。",
                "短行 20",
                "元宵节",
            ]
        );
    }

    #[test]
    fn a_continued_line_keeps_its_paragraph_past_a_full_stop() {
        let text = "12、住房保障支出（类）住房改革支出（款）住房公积金（项）。\n主要用于：住房公积金支出。\n13、住房保障支出（类）住房改革支出（款）购房补贴（项）。\n";
        let src = Source::new(text);
        let idx: Vec<usize> = (0..src.lines.len()).collect();
        let texts = |ends: &[LineEnd]| -> Vec<String> {
            let mut w = Vec::new();
            build(&src, &idx, ends, "", &mut w)
                .iter()
                .flat_map(|s| s.paragraphs.iter().map(|p| p.text.clone()))
                .collect()
        };
        assert_eq!(texts(&[]).len(), 3);
        assert_eq!(texts(&[LineEnd::RunsOn; 3]).len(), 3);
        let joined = texts(&[LineEnd::Continues; 3]);
        assert_eq!(
            joined,
            [
                "12、住房保障支出（类）住房改革支出（款）住房公积金（项）。主要用于：住房公积金支出。",
                "13、住房保障支出（类）住房改革支出（款）购房补贴（项）。"
            ]
        );
    }
}
