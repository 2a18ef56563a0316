//! Fonts as far as text extraction needs them: how to split a string into character codes,
//! what Unicode text each code stands for, and how far each glyph advances.
//!
//! Covers what born-digital disclosures use: composite (Type0) fonts with 2-byte CMaps
//! (`Identity-H`, `UniGB-UCS2-H`, …) and a `ToUnicode` CMap, and simple TrueType/Type1 fonts with
//! a named encoding, `Differences` and/or `ToUnicode`.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::lexer::{Lexer, Operand, Token};
use super::objects::{Streams, deref, dict_of, num};

/// A font ready for decoding strings.
#[derive(Debug)]
pub(crate) struct Font {
    /// Bytes per character code: 1 for simple fonts, 2 for composite fonts.
    code_len: usize,
    /// Code → text from `ToUnicode`, or from the simple font's encoding.
    to_unicode: HashMap<u32, String>,
    /// How codes without a `ToUnicode` entry are decoded.
    fallback: Fallback,
    /// Code → advance width in thousandths of text space.
    widths: HashMap<u32, f64>,
    default_width: f64,
    /// Ascent and descent in thousandths (descent negative).
    pub(crate) ascent: f64,
    pub(crate) descent: f64,
    /// Whether the font writes vertically (`Identity-V`).
    pub(crate) vertical: bool,
}

#[derive(Debug)]
enum Fallback {
    /// The code has no known text.
    None,
    /// The code is UTF-16BE (`UniGB-UCS2-H`, `UniGB-UTF16-H` …).
    Ucs2,
    /// The code is GBK (`GBK-EUC-H`, `GB-EUC-H`, `GBpc-EUC-H`).
    Gbk,
}

/// A decoded character code.
pub(crate) struct Decoded {
    /// The text the code stands for; empty when unknown.
    pub(crate) text: String,
    /// Advance width in thousandths of text space.
    pub(crate) width: f64,
    /// Whether the code is the single byte 32 (word spacing applies to it).
    pub(crate) is_space_byte: bool,
}

impl Font {
    /// A font that knows nothing: 1-byte codes, Latin-1 text, width 500. Used when a font
    /// resource is missing, so that text is still placed (and a warning is given).
    pub(crate) fn unknown() -> Font {
        Font {
            code_len: 1,
            to_unicode: HashMap::new(),
            fallback: Fallback::None,
            widths: HashMap::new(),
            default_width: 500.0,
            ascent: 800.0,
            descent: -200.0,
            vertical: false,
        }
    }

    /// Reads a font dictionary.
    pub(crate) fn load(doc: &Document, dict: &Dictionary, streams: &mut Streams) -> Font {
        let subtype = dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok());
        if subtype == Some(b"Type0".as_slice()) {
            Self::load_composite(doc, dict, streams)
        } else {
            Self::load_simple(doc, dict, streams)
        }
    }

    fn load_composite(doc: &Document, dict: &Dictionary, streams: &mut Streams) -> Font {
        let mut font = Font::unknown();
        font.code_len = 2;
        font.default_width = 1000.0;
        let encoding = dict
            .get(b"Encoding")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"Identity-H");
        font.vertical = encoding.ends_with(b"-V");
        font.fallback =
            if encoding.starts_with(b"UniGB-UCS2") || encoding.starts_with(b"UniGB-UTF16") {
                Fallback::Ucs2
            } else if encoding.starts_with(b"GBK-EUC")
                || encoding.starts_with(b"GB-EUC")
                || encoding.starts_with(b"GBpc-EUC")
                || encoding.starts_with(b"GBK2K")
            {
                // Mixed 1/2-byte codes: handled by `split_codes`.
                font.code_len = 0;
                Fallback::Gbk
            } else {
                Fallback::None
            };
        let descendant = dict
            .get(b"DescendantFonts")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| dict_of(doc, o));
        if let Some(cid) = descendant {
            if let Some(dw) = cid.get(b"DW").ok().and_then(|o| num(doc, o)) {
                font.default_width = dw;
            }
            if let Some(w) = cid
                .get(b"W")
                .ok()
                .and_then(|o| deref(doc, o))
                .and_then(|o| o.as_array().ok())
            {
                read_cid_widths(doc, w, &mut font.widths);
            }
            read_descriptor(doc, cid, &mut font);
        }
        if let Some(map) = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| streams.bytes(doc, o))
        {
            font.to_unicode = parse_to_unicode(&map);
        }
        font
    }

    fn load_simple(doc: &Document, dict: &Dictionary, streams: &mut Streams) -> Font {
        let mut font = Font::unknown();
        let first = dict
            .get(b"FirstChar")
            .ok()
            .and_then(|o| num(doc, o))
            .map_or(Some(0), char_code);
        if let Some(ws) = dict
            .get(b"Widths")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
        {
            for (i, w) in ws.iter().enumerate() {
                let code = first.and_then(|f| f.checked_add(u32::try_from(i).ok()?));
                if let (Some(code), Some(w)) = (code, num(doc, w)) {
                    font.widths.insert(code, w);
                }
            }
        }
        read_descriptor(doc, dict, &mut font);
        // The encoding gives every code its text; ToUnicode, where present, overrides it.
        if let Ok(encoding) = dict.get_font_encoding(doc) {
            for code in 0u8..=255 {
                if let Ok(text) = encoding.bytes_to_string(&[code])
                    && !text.is_empty()
                    && text != "\u{fffd}"
                    && !text.contains('\0')
                {
                    font.to_unicode.insert(u32::from(code), text);
                }
            }
        }
        if let Some(map) = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| streams.bytes(doc, o))
        {
            font.to_unicode.extend(parse_to_unicode(&map));
        }
        font
    }

    /// Splits a string operand into character codes and decodes each.
    pub(crate) fn decode(&self, bytes: &[u8], out: &mut Vec<Decoded>) {
        out.clear();
        let mut i = 0usize;
        while i < bytes.len() {
            let len = match self.code_len {
                0 => {
                    // GBK: a lead byte >= 0x81 starts a 2-byte code.
                    if bytes.get(i).is_some_and(|b| *b >= 0x81) {
                        2
                    } else {
                        1
                    }
                }
                n => n,
            };
            let mut code = 0u32;
            let mut taken = 0usize;
            for b in bytes.iter().skip(i).take(len) {
                code = code << 8 | u32::from(*b);
                taken += 1;
            }
            i += taken.max(1);
            let text = match self.to_unicode.get(&code) {
                Some(t) => t.clone(),
                None => self.fallback_text(code, taken),
            };
            let width = self
                .widths
                .get(&code)
                .copied()
                .unwrap_or(self.default_width);
            out.push(Decoded {
                text,
                width,
                is_space_byte: taken == 1 && code == 32,
            });
        }
    }

    fn fallback_text(&self, code: u32, len: usize) -> String {
        match self.fallback {
            Fallback::Ucs2 => char::from_u32(code)
                .filter(|c| !c.is_control())
                .map(String::from)
                .unwrap_or_default(),
            Fallback::Gbk => {
                let bytes: Vec<u8> = if len == 2 {
                    vec![(code >> 8) as u8, (code & 0xff) as u8]
                } else {
                    vec![(code & 0xff) as u8]
                };
                let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
                if bad {
                    String::new()
                } else {
                    text.into_owned()
                }
            }
            Fallback::None => String::new(),
        }
    }
}

fn read_descriptor(doc: &Document, dict: &Dictionary, font: &mut Font) {
    let Some(desc) = dict
        .get(b"FontDescriptor")
        .ok()
        .and_then(|o| dict_of(doc, o))
    else {
        return;
    };
    let ascent = desc.get(b"Ascent").ok().and_then(|o| num(doc, o));
    let descent = desc.get(b"Descent").ok().and_then(|o| num(doc, o));
    // Some producers write 0 or absurd values; keep the defaults then.
    if let (Some(a), Some(d)) = (ascent, descent)
        && a > 100.0
        && a < 2000.0
        && d < 0.0
        && d > -1000.0
    {
        font.ascent = a;
        font.descent = d;
    }
    if let Some(mw) = desc.get(b"MissingWidth").ok().and_then(|o| num(doc, o))
        && mw > 0.0
        && font.code_len == 1
    {
        font.default_width = mw;
    }
}

/// Reads a CIDFont `W` array: `c [w1 w2 …]` and `c_first c_last w` entries.
fn read_cid_widths(doc: &Document, w: &[Object], out: &mut HashMap<u32, f64>) {
    let mut i = 0usize;
    while i < w.len() {
        let Some(first) = w.get(i).and_then(|o| num(doc, o)) else {
            break;
        };
        // A code outside 0..=u32::MAX (damaged or hostile files) maps nothing.
        let first = char_code(first);
        let next = w.get(i + 1).and_then(|o| deref(doc, o));
        match next {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().enumerate() {
                    let code = first.and_then(|f| f.checked_add(u32::try_from(k).ok()?));
                    if let (Some(code), Some(v)) = (code, num(doc, v)) {
                        out.insert(code, v);
                    }
                }
                i += 2;
            }
            Some(_) => {
                let last = w.get(i + 1).and_then(|o| num(doc, o));
                let width = w.get(i + 2).and_then(|o| num(doc, o));
                let (Some(last), Some(width)) = (last, width) else {
                    break;
                };
                let (Some(first), Some(last)) = (first, char_code(last)) else {
                    i += 3;
                    continue;
                };
                // Guard against absurd ranges in damaged files.
                if last >= first && last - first <= 0xFFFF && out.len() < MAX_CODES {
                    for c in first..=last {
                        out.insert(c, width);
                    }
                }
                i += 3;
            }
            None => break,
        }
    }
}

/// A character code from a number in a font dictionary: `None` outside `0..=u32::MAX` (or not
/// a number), where `as u32` would saturate to a code the font never meant.
fn char_code(v: f64) -> Option<u32> {
    (v >= 0.0 && v <= f64::from(u32::MAX)).then_some(v as u32)
}

/// Most character codes a font may map (a CJK font uses a few thousand; 2-byte codes are at
/// most 65 536): bounds the work a damaged or hostile font can cause.
const MAX_CODES: usize = 70_000;

/// Parses a ToUnicode CMap (`bfchar` and `bfrange` sections). Damaged entries are skipped.
pub(crate) fn parse_to_unicode(data: &[u8]) -> HashMap<u32, String> {
    let mut map = HashMap::new();
    let mut lexer = Lexer::new(data);
    let mut operands: Vec<Operand<'_>> = Vec::new();
    let mut section: Option<&[u8]> = None;
    while let Some(tok) = lexer.next_token() {
        match tok {
            Token::Operand(o) => {
                if section.is_some() {
                    operands.push(o);
                }
            }
            Token::Operator(op) => match op {
                b"beginbfchar" | b"beginbfrange" => {
                    section = Some(op);
                    operands.clear();
                }
                b"endbfchar" => {
                    for pair in operands.chunks(2) {
                        if let [Operand::Str(src), Operand::Str(dst)] = pair {
                            map.insert(code_of(src), utf16_text(dst));
                        }
                    }
                    section = None;
                    operands.clear();
                }
                b"endbfrange" => {
                    for triple in operands.chunks(3) {
                        let [Operand::Str(lo), Operand::Str(hi), dst] = triple else {
                            continue;
                        };
                        let (lo, hi) = (code_of(lo), code_of(hi));
                        if hi < lo || hi - lo > 0xFFFF || map.len() >= MAX_CODES {
                            continue;
                        }
                        match dst {
                            Operand::Str(start) => {
                                let units = utf16_units(start);
                                for (k, code) in (lo..=hi).enumerate() {
                                    let mut u = units.clone();
                                    if let Some(last) = u.last_mut() {
                                        *last = last.wrapping_add(k as u16);
                                    }
                                    map.insert(code, String::from_utf16_lossy(&u));
                                }
                            }
                            Operand::Array(items) => {
                                for (code, item) in (lo..=hi).zip(items.iter()) {
                                    if let Operand::Str(s) = item {
                                        map.insert(code, utf16_text(s));
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    section = None;
                    operands.clear();
                }
                _ => {
                    if section.is_none() {
                        operands.clear();
                    }
                }
            },
            Token::ArrayEnd | Token::DictEnd => {}
        }
    }
    map
}

fn code_of(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, b| acc << 8 | u32::from(*b))
}

/// Most UTF-16 units one code's text may have: a ligature or a decomposed character is a few;
/// the rest of a longer (damaged or hostile) text is dropped, since every glyph shown copies it.
const MAX_CODE_TEXT_UNITS: usize = 32;

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .take(MAX_CODE_TEXT_UNITS)
        .map(|c| match c {
            [h, l] => u16::from(*h) << 8 | u16::from(*l),
            [h] => u16::from(*h),
            _ => 0,
        })
        .collect()
}

fn utf16_text(bytes: &[u8]) -> String {
    String::from_utf16_lossy(&utf16_units(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_unicode_chars_and_ranges() {
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0003> <0020> <14a4> <5E74> endbfchar
            2 beginbfrange <0013> <001c> <0030> <0100> <0101> [<4E00> <D840DC00>] endbfrange
            endcmap";
        let m = parse_to_unicode(cmap);
        assert_eq!(m.get(&3).map(String::as_str), Some(" "));
        assert_eq!(m.get(&0x14a4).map(String::as_str), Some("年"));
        assert_eq!(m.get(&0x15).map(String::as_str), Some("2"));
        assert_eq!(m.get(&0x100).map(String::as_str), Some("一"));
        assert_eq!(m.get(&0x101).map(String::as_str), Some("\u{20000}"));
    }

    /// Widths whose first code is the largest `u32` (damaged or hostile files): the codes past
    /// it do not exist and are skipped, where adding to the code overflowed (a panic in
    /// builds with overflow checks, a wrapped code 0 in release builds).
    #[test]
    fn widths_starting_at_the_last_code_do_not_overflow() {
        let doc = Document::new();
        let mut widths = HashMap::new();
        let w = vec![
            Object::Integer(i64::from(u32::MAX)),
            Object::Array(vec![Object::Integer(500), Object::Integer(600)]),
            Object::Real(4.5e9),
            Object::Array(vec![Object::Integer(700)]),
        ];
        read_cid_widths(&doc, &w, &mut widths);
        assert_eq!(widths.get(&u32::MAX), Some(&500.0));
        assert_eq!(widths.get(&0), None);
        assert_eq!(widths.len(), 1);

        let mut simple = Dictionary::new();
        simple.set("FirstChar", Object::Integer(i64::from(u32::MAX)));
        simple.set(
            "Widths",
            Object::Array(vec![Object::Integer(250), Object::Integer(300)]),
        );
        let font = Font::load(&doc, &simple, &mut Streams::with_budget(1024));
        assert_eq!(font.widths.get(&u32::MAX), Some(&250.0));
        assert_eq!(font.widths.get(&0), None);
    }

    /// A code mapped to a huge text (every glyph shown copies it: 100,000 glyphs of a 1 MB
    /// text fill the memory) keeps its first 32 UTF-16 units.
    #[test]
    fn a_codes_text_is_bounded() {
        let long = "4E00".repeat(5000);
        let cmap = format!("1 beginbfchar <0001> <{long}> endbfchar");
        let m = parse_to_unicode(cmap.as_bytes());
        assert_eq!(m.get(&1).map(|t| t.chars().count()), Some(32));
    }

    #[test]
    fn composite_codes_are_two_bytes() {
        let mut f = Font::unknown();
        f.code_len = 2;
        f.default_width = 1000.0;
        f.to_unicode.insert(0x14a4, "年".into());
        f.widths.insert(0x14a4, 900.0);
        let mut out = Vec::new();
        f.decode(&[0x14, 0xa4, 0x00, 0x03], &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].text, "年");
        assert_eq!(out[0].width, 900.0);
        assert_eq!(out[1].text, "");
        assert_eq!(out[1].width, 1000.0);
        assert!(!out[1].is_space_byte);
    }
}
