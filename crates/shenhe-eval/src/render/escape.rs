//! Escaping for HTML, XML and URIs.

use std::borrow::Cow;

/// Whether [`markup`] looks at a byte: one it escapes or drops, or the lead byte of a
/// multi-byte char it may drop (C1 controls, U+FFFE, U+FFFF).
const fn attention(b: u8) -> bool {
    matches!(
        b,
        0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | b'&' | b'<' | b'>' | b'"' | b'\'' | 0x7F | 0xC2 | 0xEF
    )
}

/// [`attention`] as a table (a lookup per byte where the match takes a chain of tests).
static ATTENTION: std::sync::LazyLock<[bool; 256]> =
    std::sync::LazyLock::new(|| std::array::from_fn(|b| u8::try_from(b).is_ok_and(attention)));

/// Text for HTML or XML element content and attribute values (double- or single-quoted).
/// Characters XML 1.0 does not allow (most control characters) are dropped. Borrowed when
/// nothing changes (most text).
pub fn markup(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let table = &*ATTENTION;
    let mut out: Option<String> = None;
    // Bytes before `i` from `kept` on are still to be copied to `out`.
    let (mut i, mut kept) = (0, 0);
    while let Some(skip) = b.get(i..).and_then(|rest| {
        rest.iter()
            .position(|&c| table.get(usize::from(c)) == Some(&true))
    }) {
        i += skip;
        let Some(&byte) = b.get(i) else { break };
        let (len, with) = match byte {
            b'&' => (1, "&amp;"),
            b'<' => (1, "&lt;"),
            b'>' => (1, "&gt;"),
            b'"' => (1, "&quot;"),
            b'\'' => (1, "&#39;"),
            b'\t' | b'\n' | b'\r' => (0, ""),
            // C0 controls and DEL.
            0..=0x1F | 0x7F => (1, ""),
            // C1 controls (U+0080–U+009F).
            0xC2 if matches!(b.get(i + 1), Some(0x80..=0x9F)) => (2, ""),
            // U+FFFE, U+FFFF.
            0xEF if b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)) => {
                (3, "")
            }
            _ => (0, ""),
        };
        if len == 0 {
            i += 1;
            continue;
        }
        let o = out.get_or_insert_with(|| String::with_capacity(s.len() + 16));
        o.push_str(s.get(kept..i).unwrap_or(""));
        o.push_str(with);
        i += len;
        kept = i;
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut o) => {
            o.push_str(s.get(kept..).unwrap_or(""));
            Cow::Owned(o)
        }
    }
}

/// A file path as a URI reference (RFC 3986): `/` kept, backslashes turned into `/`, every
/// byte outside the unreserved set percent-encoded (so Chinese names are ASCII).
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            markup("a<b & \"c\" 'd'\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;"
        );
        assert!(matches!(markup("表三（万元）\n合计\t1"), Cow::Borrowed(_)));
        // Every char, against the char-by-char definition.
        let all: String = (0..=0x10FFFF_u32).filter_map(char::from_u32).collect();
        let by_char: String = all
            .chars()
            .map(|c| match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '"' => "&quot;".to_string(),
                '\'' => "&#39;".to_string(),
                '\t' | '\n' | '\r' => c.to_string(),
                c if c.is_control() => String::new(),
                '\u{FFFE}' | '\u{FFFF}' => String::new(),
                c => c.to_string(),
            })
            .collect();
        assert_eq!(markup(&all), by_char);
        assert_eq!(
            markup("\u{80}x\u{9F}\u{A0}\u{FFFD}\u{FFFE}"),
            "x\u{A0}\u{FFFD}"
        );
        assert_eq!(uri("examples/表 1.txt"), "examples/%E8%A1%A8%201.txt");
        assert_eq!(uri("a\\b.pdf"), "a/b.pdf");
    }
}
