//! The decoded text as numbered lines and whitespace-separated tokens, each able to say where
//! it stands ([`Loc`]).

use shenhe_model::Loc;

/// The decoded source split into lines.
pub(crate) struct Source<'a> {
    pub lines: Vec<Line<'a>>,
    /// Number of pages, when the text marks page starts.
    pub pages: Option<u32>,
    /// Whether pages are separated by form feeds (as `pdftotext` writes them).
    form_feeds: bool,
}

/// One line of the source.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line<'a> {
    /// 1-based line number.
    pub no: u32,
    /// Byte offset of the line's content (after leading whitespace) in the source.
    pub offset: u32,
    /// Characters before the content on this line (leading whitespace).
    pub lead_chars: u32,
    /// The line without leading/trailing whitespace and line terminator.
    pub content: &'a str,
    pub page: Option<u32>,
}

/// A whitespace-separated piece of a line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Token<'a> {
    pub text: &'a str,
    /// Byte offset within the line's content.
    pub start: u32,
    /// 0-based character offset within the line's content.
    pub chars: u32,
}

/// Whitespace for tokenising: ASCII blanks, the ideographic space, no-break space.
#[inline]
pub(crate) fn is_space(c: char) -> bool {
    // ASCII (digits, letters: most characters of a table) is answered by one test: its
    // whitespace, but the line feed, lies at or below the space.
    if c.is_ascii() {
        return c <= ' ' && matches!(c, ' ' | '\t' | '\u{b}' | '\u{c}' | '\r');
    }
    // No whitespace lies above the ideographic space: ideographs and their punctuation are
    // answered at once.
    if c > '\u{3000}' {
        return false;
    }
    matches!(
        c,
        ' ' | '\t' | '\r' | '\u{c}' | '\u{3000}' | '\u{a0}' | '\u{2002}' | '\u{2003}' | '\u{200b}'
    ) || (c.is_whitespace() && c != '\n')
}

impl<'a> Source<'a> {
    /// Splits text into lines (`\n`, `\r\n` or a lone `\r`). Page starts are marked either by
    /// a form feed or, when the very first line starts with a space, by a leading space (the
    /// convention of the extractor that produced the seed documents).
    pub fn new(text: &'a str) -> Source<'a> {
        // One slot per terminator (a `\r\n` counts twice), so that the vector never grows.
        // Counted byte by byte (a loop the compiler vectorises; cheaper than a search per line).
        let terminators: usize = text
            .as_bytes()
            .chunks(255)
            .map(|chunk| {
                let n: u8 = chunk
                    .iter()
                    .fold(0u8, |n, &b| n + u8::from(b == b'\n') + u8::from(b == b'\r'));
                usize::from(n)
            })
            .sum();
        let mut lines = Vec::with_capacity(terminators + 1);
        let first_content = raw_lines(text)
            .map(|(_, l)| l)
            .find(|l| !l.trim_matches(is_space).is_empty());
        let space_marks = first_content.is_some_and(|l| l.starts_with(' '));
        let ff_marks = memchr::memchr(0x0C, text.as_bytes()).is_some();
        let mut page = 0u32;
        let mut saw_page = false;
        let page_no = |page: u32| {
            if ff_marks {
                Some(page + 1)
            } else if space_marks {
                Some(page.max(1))
            } else {
                None
            }
        };
        for (no, (start, raw)) in (1u32..).zip(raw_lines(text)) {
            let (lead_bytes, content) = trim_spaces(raw);
            let first = raw.as_bytes().first().copied();
            let starts_page = if ff_marks {
                first == Some(0x0C)
            } else {
                space_marks && first == Some(b' ') && !content.is_empty()
            };
            if starts_page {
                page += 1;
                saw_page = true;
            }
            let lead_chars = if lead_bytes == 0 {
                0
            } else {
                raw.get(..lead_bytes)
                    .map_or(0, |l| l.chars().count() as u32)
            };
            lines.push(Line {
                no,
                offset: (start + lead_bytes) as u32,
                lead_chars,
                content,
                page: page_no(page),
            });
        }
        let pages = if ff_marks {
            Some(page + 1)
        } else if space_marks && saw_page {
            Some(page)
        } else {
            None
        };
        Source {
            lines,
            pages,
            form_feeds: ff_marks,
        }
    }

    /// Blanks the page numbers of a text whose pages are separated by form feeds: the first
    /// or last line of a page that holds only a number (`10`, `- 10 -`, `第 10 页`), when the
    /// numbers keep one distance to the pages' own count (a page number is a page's furniture,
    /// not a row of the table it interrupts). Returns how many lines were blanked.
    pub fn blank_page_numbers(&mut self) -> usize {
        if !self.form_feeds {
            return 0;
        }
        // (line index, page, printed number) of every candidate.
        let mut found: Vec<(usize, u32, u32)> = Vec::new();
        let mut consider = |idx: usize, line: &Line<'_>| {
            if let (Some(page), Some(n)) = (line.page, page_number(line.content)) {
                found.push((idx, page, n));
            }
        };
        // The last two content lines seen (older first), and how many content lines the
        // current page has had.
        let mut last: [Option<(usize, Line<'a>)>; 2] = [None, None];
        let mut on_page = 0usize;
        for (idx, line) in self.lines.iter().enumerate() {
            if line.content.is_empty() {
                continue;
            }
            let new_page = last[1].is_some_and(|(_, l)| l.page != line.page);
            if new_page {
                // The last two lines of the page before (a page number may stand just above
                // or below a last row).
                for (pi, pl) in last.iter().flatten() {
                    if pl.page != line.page {
                        consider(*pi, pl);
                    }
                }
                on_page = 0;
            }
            // The first two lines of a page.
            if on_page < 2 {
                consider(idx, line);
            }
            on_page += 1;
            last = [last[1], Some((idx, *line))];
        }
        for (pi, pl) in last.iter().flatten() {
            if last[1].is_some_and(|(_, l)| l.page == pl.page) {
                consider(*pi, pl);
            }
        }
        found.sort_unstable();
        found.dedup_by_key(|f| f.0);
        // The distance between page and printed number that most candidates keep.
        let mut best: Option<(i64, usize)> = None;
        for &(_, page, n) in &found {
            let d = i64::from(page) - i64::from(n);
            let count = found
                .iter()
                .filter(|&&(_, p, m)| i64::from(p) - i64::from(m) == d)
                .count();
            if best.is_none_or(|(_, c)| count > c) {
                best = Some((d, count));
            }
        }
        let Some((d, count)) = best else { return 0 };
        if count < 2 {
            return 0;
        }
        let mut blanked = 0;
        for &(idx, page, n) in &found {
            if i64::from(page) - i64::from(n) == d
                && let Some(line) = self.lines.get_mut(idx)
            {
                line.content = "";
                blanked += 1;
            }
        }
        blanked
    }

    pub fn line(&self, idx: usize) -> Option<&Line<'a>> {
        self.lines.get(idx)
    }
}

impl<'a> Line<'a> {
    /// The location of `len` bytes starting at byte `start` of the content, whose character
    /// offset within the content is `chars`.
    pub fn loc_at(&self, start: u32, chars: u32, len: u32) -> Loc {
        Loc::text(
            self.no,
            self.lead_chars + chars + 1,
            self.offset + start,
            len,
        )
        .with_page(self.page)
    }

    /// The location of the whole content.
    pub fn loc(&self) -> Loc {
        self.loc_at(0, 0, self.content.len() as u32)
    }

    /// Location of a byte range of the content (counts characters up to `start`).
    pub fn loc_of_range(&self, start: usize, end: usize) -> Loc {
        let chars = self
            .content
            .get(..start)
            .map(|p| p.chars().count())
            .unwrap_or(0) as u32;
        self.loc_at(start as u32, chars, end.saturating_sub(start) as u32)
    }

    /// The content split at whitespace (the readers use [`Line::token_iter`] with a buffer
    /// of their own).
    #[cfg(test)]
    pub fn tokens(&self) -> Vec<Token<'a>> {
        // Most lines of a table or form have fewer than eight cells: one allocation.
        let mut out = Vec::with_capacity(8);
        out.extend(self.token_iter());
        out
    }

    /// The tokens of [`Line::tokens`], one by one without collecting them.
    pub fn token_iter(&self) -> Tokens<'a> {
        Tokens {
            content: self.content,
            i: 0,
            chars: 0,
        }
    }

    /// Location of a token of this line.
    pub fn tok_loc(&self, t: &Token<'_>) -> Loc {
        self.loc_at(t.start, t.chars, t.text.len() as u32)
    }
}

/// The number a line holding only a page number shows: `10`, `- 10 -`, `—10—`, `第 10 页`
/// (optionally `共 N 页` after it).
fn page_number(content: &str) -> Option<u32> {
    if content.len() > 40 {
        return None;
    }
    let core = content
        .trim_matches(|c: char| is_space(c) || matches!(c, '-' | '—' | '–' | '－'))
        .trim();
    let core = match core.strip_prefix('第') {
        Some(rest) => {
            let end = rest.find('页')?;
            rest.get(..end)?.trim_matches(is_space)
        }
        None => core,
    };
    if core.is_empty() || core.len() > 4 || !core.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    core.parse().ok().filter(|&n| n > 0)
}

/// The whitespace-separated tokens of a line's content ([`Line::token_iter`]).
pub(crate) struct Tokens<'a> {
    content: &'a str,
    /// Byte offset of the next character to look at.
    i: usize,
    /// Its character offset.
    chars: u32,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let bytes = self.content.as_bytes();
        // The position is kept in locals while scanning and stored once.
        let (mut i, mut chars) = (self.i, self.chars);
        let mut tok_start: Option<(usize, u32)> = None;
        // Walked by UTF-8 lead bytes: only ASCII and the lead bytes C2, E1, E2, E3 can start
        // a space (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000); other characters are
        // passed over without decoding.
        while let Some(&lead) = bytes.get(i) {
            let len = utf8_len(lead);
            let space = match lead {
                0x00..=0x7F => is_space(char::from(lead)),
                0xC2 | 0xE1 | 0xE2 | 0xE3 => self
                    .content
                    .get(i..i + len)
                    .and_then(|t| t.chars().next())
                    .is_some_and(is_space),
                _ => false,
            };
            if space {
                if let Some((s, ch)) = tok_start {
                    let tok = Token {
                        text: self.content.get(s..i).unwrap_or(""),
                        start: s as u32,
                        chars: ch,
                    };
                    self.i = i + len;
                    self.chars = chars + 1;
                    return Some(tok);
                }
            } else if tok_start.is_none() {
                tok_start = Some((i, chars));
            }
            i += len;
            chars += 1;
        }
        self.i = i;
        self.chars = chars;
        tok_start.map(|(s, ch)| Token {
            text: self.content.get(s..).unwrap_or(""),
            start: s as u32,
            chars: ch,
        })
    }
}

/// `s` without leading and trailing whitespace ([`is_space`]), and the byte length of the
/// leading whitespace: `trim_matches(is_space)` read by UTF-8 lead bytes as [`Tokens`] does
/// (most lines start and end with an ideograph or a digit, answered by one byte each).
fn trim_spaces(s: &str) -> (usize, &str) {
    let bytes = s.as_bytes();
    let mut start = 0usize;
    while let Some(&lead) = bytes.get(start) {
        let len = match lead {
            0x00..=0x7F if is_space(char::from(lead)) => 1,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => match s.get(start..).and_then(|t| t.chars().next()) {
                Some(c) if is_space(c) => c.len_utf8(),
                _ => break,
            },
            _ => break,
        };
        start += len;
    }
    let mut end = bytes.len();
    while end > start {
        if !may_end_in_space(bytes.get(start..end).unwrap_or_default()) {
            break;
        }
        let Some(c) = s.get(start..end).and_then(|t| t.chars().next_back()) else {
            break;
        };
        if !is_space(c) {
            break;
        }
        end -= c.len_utf8();
    }
    (start, s.get(start..end).unwrap_or(""))
}

/// Whether the last character of `s` (UTF-8) may be whitespace ([`is_space`]), told from its
/// last bytes: an ASCII byte is looked up; a multi-byte space is U+0085 or U+00A0 (C2 ..),
/// U+1680 or U+2000–U+205F (lead E1 or E2) or U+3000 (E3 80 80), so an ideograph or full-width
/// punctuation mark (the usual end of a line) is answered without decoding it.
#[inline]
fn may_end_in_space(s: &[u8]) -> bool {
    let n = s.len();
    let back = |k: usize| n.checked_sub(k).and_then(|i| s.get(i)).copied();
    match back(1) {
        None => false,
        Some(l) if l < 0x80 => is_space(char::from(l)),
        Some(l) => match (back(3), back(2)) {
            (_, Some(0xC2)) | (Some(0xE1 | 0xE2), _) => true,
            (Some(0xE3), Some(0x80)) => l == 0x80,
            _ => false,
        },
    }
}

/// The lines of a text without their terminators (`\n`, `\r\n`, or a lone `\r`), each with
/// the byte offset where it starts; a final terminator does not start another line. Extracted
/// text separates printed lines by blank ones: an empty line is told by its first byte, the
/// end of any other is searched (SIMD).
fn raw_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut start = 0usize;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = match bytes.get(start) {
            Some(b'\n' | b'\r') => start,
            _ => memchr::memchr2(b'\n', b'\r', bytes.get(start..).unwrap_or_default())
                .map_or(bytes.len(), |k| start + k),
        };
        let line = (start, text.get(start..end).unwrap_or(""));
        start = end + 1;
        if bytes.get(end) == Some(&b'\r') && bytes.get(end + 1) == Some(&b'\n') {
            // The `\n` of a `\r\n` ends nothing more.
            start = end + 2;
        }
        Some(line)
    })
}

/// The byte length of the UTF-8 character that starts with `lead`.
#[inline]
fn utf8_len(lead: u8) -> usize {
    if lead < 0x80 {
        1
    } else if lead < 0xE0 {
        2
    } else if lead < 0xF0 {
        3
    } else {
        4
    }
}

/// Display width: 2 for wide (CJK, full-width) characters, 1 otherwise. Read from the
/// UTF-8 bytes: a lead byte E4–E9 starts a character in U+4000–U+9FFF (all wide), E3 one in
/// U+3000–U+3FFF (all wide but U+303F, E3 80 BF: the ideographic punctuation `，。、`), EF BC
/// one in U+FF00–U+FF3F (full-width forms, all wide); ASCII and two-byte characters are narrow;
/// other characters are decoded and looked up.
pub(crate) fn width(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut w = 0usize;
    let mut i = 0usize;
    while let Some(&lead) = bytes.get(i) {
        match lead {
            0x00..=0x7F => {
                w += 1;
                i += 1;
            }
            0xE4..=0xE9 => {
                w += 2;
                i += 3;
            }
            0xE3 => {
                let narrow = bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xBF);
                w += if narrow { 1 } else { 2 };
                i += 3;
            }
            0xEF if bytes.get(i + 1) == Some(&0xBC) => {
                w += 2;
                i += 3;
            }
            0x80..=0xDF => {
                // A two-byte character (U+0080–U+07FF: none is wide).
                w += 1;
                i += 2;
            }
            _ => {
                let len = if lead >= 0xF0 { 4 } else { 3 };
                let c = s
                    .get(i..i + len)
                    .and_then(|t| t.chars().next())
                    .unwrap_or(' ');
                w += char_width(c);
                i += len;
            }
        }
    }
    w
}

#[inline]
pub(crate) fn char_width(c: char) -> usize {
    if is_wide(c) { 2 } else { 1 }
}

#[inline]
pub(crate) fn is_wide(c: char) -> bool {
    let u = c as u32;
    matches!(u,
        0x1100..=0x115F
        | 0x2018..=0x201D
        | 0x2E80..=0x303E
        | 0x3040..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Whether `needle` occurs in `hay` (the model's byte search, without the set-up of
/// `str::contains`).
pub(crate) use shenhe_model::contains_str as has;

/// Whether the character `c` occurs in `hay` (see [`has`]).
#[inline]
pub(crate) fn has_char(hay: &str, c: char) -> bool {
    has(hay, c.encode_utf8(&mut [0u8; 4]))
}

/// Whether `c` is a CJK ideograph.
#[inline]
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFD)
}

/// Joins two pieces of text the way wrapped Chinese text is joined: directly, except that two
/// ASCII letters or digits meeting at the join get a space so that numbers do not run together.
#[inline]
pub(crate) fn needs_space(left: &str, right: &str) -> bool {
    // An ASCII character is its own byte, and no byte of a longer character is ASCII: the end
    // bytes answer without decoding.
    left.as_bytes()
        .last()
        .is_some_and(u8::is_ascii_alphanumeric)
        && right
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphanumeric)
}

/// Value of a Chinese numeral (`一` … `九十九`, `一百`…, `〇`/`零`) or ASCII digits.
pub(crate) fn numeral_value(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '〇' | '零' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let mut total = 0u32;
    let mut current: Option<u32> = None;
    for c in s.chars() {
        match c {
            '十' => {
                total += current.unwrap_or(1) * 10;
                current = None;
            }
            '百' => {
                total += current.unwrap_or(1) * 100;
                current = None;
            }
            _ => {
                let d = digit(c)?;
                current = Some(current.unwrap_or(0) * 10 + d);
            }
        }
    }
    Some(total + current.unwrap_or(0))
}

/// Whether `c` may be part of a Chinese numeral: the model's ordinal characters other than
/// ASCII digits, and 两.
#[inline]
pub(crate) fn is_cn_numeral(c: char) -> bool {
    c == '两' || (!c.is_ascii_digit() && shenhe_model::is_ordinal_char(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_pages() {
        let s = Source::new(" 封面\r\n\r\n标题\n 第二页\rx");
        assert_eq!(s.lines.len(), 5);
        assert_eq!(s.lines[0].content, "封面");
        assert_eq!(s.lines[0].page, Some(1));
        assert_eq!(s.lines[2].page, Some(1));
        assert_eq!(s.lines[3].page, Some(2));
        assert_eq!(s.lines[3].lead_chars, 1);
        assert_eq!(s.pages, Some(2));
        assert_eq!(s.lines[4].content, "x");
        let loc = s.lines[3].loc();
        assert_eq!((loc.line, loc.column), (4, 2));
    }

    #[test]
    fn trims_as_trim_matches() {
        for t in [
            "",
            " ",
            "\u{3000}表一\u{a0} ",
            "\u{2003}\u{85}a b\u{1680}\u{202f}",
            "\t 总计 990.07\u{3000}",
            "é\u{2028}",
            "\u{200b}",
            "x",
            "文字。",
            "“引”",
            "x\u{a0}",
            "\u{85}",
            "（一）\u{3000}\u{3000}",
        ] {
            let start = t.trim_start_matches(is_space);
            let want = (t.len() - start.len(), start.trim_end_matches(is_space));
            assert_eq!(trim_spaces(t), want, "{t:?}");
        }
        // Every character at the end of a line (the byte shortcut reads its last bytes).
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let t = format!("表{c}");
            let want = t.trim_end_matches(is_space);
            assert_eq!(trim_spaces(&t), (0, want), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn line_terminators() {
        fn lines(t: &str) -> Vec<&str> {
            raw_lines(t).map(|(_, l)| l).collect()
        }
        assert_eq!(lines("a\r\nb\rc\n"), ["a", "b", "c"]);
        assert_eq!(lines("a\n\n"), ["a", ""]);
        assert_eq!(lines("\r\n"), [""]);
        assert_eq!(lines("a\r\r\nb"), ["a", "", "b"]);
        assert!(lines("").is_empty());
    }

    #[test]
    fn no_page_marks() {
        let s = Source::new("标题\n 缩进\n");
        assert_eq!(s.pages, None);
        assert_eq!(s.lines[1].page, None);
    }

    #[test]
    fn tokens_have_columns() {
        let s = Source::new("总计\u{3000}990.07  821.07");
        let l = &s.lines[0];
        let t = l.tokens();
        assert_eq!(t.len(), 3);
        assert_eq!(t[1].text, "990.07");
        let loc = l.tok_loc(&t[1]);
        assert_eq!(loc.column, 4);
        assert_eq!(loc.offset, "总计\u{3000}".len() as u32);
        assert_eq!(l.tok_loc(&t[2]).column, 12);
    }

    #[test]
    fn numerals() {
        assert_eq!(numeral_value("一"), Some(1));
        assert_eq!(numeral_value("十"), Some(10));
        assert_eq!(numeral_value("十一"), Some(11));
        assert_eq!(numeral_value("二十六"), Some(26));
        assert_eq!(numeral_value("三十一"), Some(31));
        assert_eq!(numeral_value("一百零二"), Some(102));
        assert_eq!(numeral_value("12"), Some(12));
        assert_eq!(numeral_value("甲"), None);
    }

    #[test]
    fn byte_widths_match_char_widths() {
        for t in [
            "表一 ab",
            "“三公”经费",
            "ＡＢ１２，。",
            "é ß Ω",
            "한국어 가",
            "𠀀𪚥 𐍈",
            "\u{1100}\u{115f}\u{3000}\u{303f}\u{a4cf}\u{a4d0}\u{fe30}\u{ffe6}\u{ffe7}",
            "",
        ] {
            assert_eq!(width(t), t.chars().map(char_width).sum::<usize>(), "{t}");
        }
        // Every character, alone and between others (the byte shortcuts read ahead).
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let alone = c.encode_utf8(&mut buf);
            assert_eq!(width(alone), char_width(c), "U+{:04X}", c as u32);
        }
        let all: String = (0x2E00..=0x3100u32)
            .chain(0xFE00..=0xFFFF)
            .filter_map(char::from_u32)
            .collect();
        assert_eq!(width(&all), all.chars().map(char_width).sum::<usize>());
    }

    #[test]
    fn byte_tokens_match_char_tokens() {
        for t in [
            "总计\u{3000}990.07  821.07",
            "a\u{a0}b\u{85}c\u{1680}d\u{2003}e\u{200b}f\u{202f}g\u{205f}h",
            "（一）\t一般 公共\u{2028}服务 é",
            "𠀀 x\u{3001}y",
        ] {
            let src = Source::new(t);
            let line = &src.lines[0];
            let mut expect: Vec<(usize, u32, &str)> = Vec::new();
            let mut start: Option<(usize, u32)> = None;
            for (n, (i, c)) in line.content.char_indices().enumerate() {
                if is_space(c) {
                    if let Some((s, ch)) = start.take() {
                        expect.push((s, ch, line.content.get(s..i).unwrap()));
                    }
                } else if start.is_none() {
                    start = Some((i, n as u32));
                }
            }
            if let Some((s, ch)) = start {
                expect.push((s, ch, line.content.get(s..).unwrap()));
            }
            let got: Vec<(usize, u32, &str)> = line
                .tokens()
                .iter()
                .map(|t| (t.start as usize, t.chars, t.text))
                .collect();
            assert_eq!(got, expect, "{t}");
        }
    }

    #[test]
    fn char_search_matches_contains() {
        for hay in ["", "编码", "功能分类科目编码", "ab", "合计码"] {
            for c in ['码', 'a', '和', '计'] {
                assert_eq!(has_char(hay, c), hay.contains(c), "{hay} {c}");
            }
        }
    }

    #[test]
    fn spaces_as_before() {
        // The definition `is_space` answers faster.
        let reference = |c: char| {
            matches!(
                c,
                ' ' | '\t'
                    | '\r'
                    | '\u{c}'
                    | '\u{3000}'
                    | '\u{a0}'
                    | '\u{2002}'
                    | '\u{2003}'
                    | '\u{200b}'
            ) || (c.is_whitespace() && c != '\n')
        };
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_space(c), reference(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn page_numbers_between_form_feeds() {
        let text = "说明\n\n   1\n\x0c表 1\n201 一般公共服务支出 866.07\n                 2\n\x0c20101 人大事务 866.07\n- 3 -\n\x0c 4\n合计 866.07\n";
        let mut src = Source::new(text);
        assert_eq!(src.blank_page_numbers(), 4);
        let kept: Vec<&str> = src
            .lines
            .iter()
            .map(|l| l.content)
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(
            kept,
            [
                "说明",
                "表 1",
                "201 一般公共服务支出 866.07",
                "20101 人大事务 866.07",
                "合计 866.07"
            ]
        );
        // Without form feeds (or with numbers that do not follow the pages) nothing goes.
        let mut plain = Source::new("表 1\n10\n合计 10\n");
        assert_eq!(plain.blank_page_numbers(), 0);
        let mut odd = Source::new("a\n7\n\x0cb\n3\n");
        assert_eq!(odd.blank_page_numbers(), 0);
        assert_eq!(page_number("第 5 页"), Some(5));
        assert_eq!(page_number("— 12 —"), Some(12));
        assert_eq!(page_number("12.50"), None);
    }

    #[test]
    fn widths() {
        assert_eq!(width("表一 ab"), 7);
        assert_eq!(width("“三公”"), 8);
    }
}
