//! Escaping for HTML, XML and URIs.

/// Text for HTML or XML element content and attribute values (double- or single-quoted).
/// Characters XML 1.0 does not allow (most control characters) are dropped.
pub fn markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
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
        assert_eq!(uri("examples/表 1.txt"), "examples/%E8%A1%A8%201.txt");
        assert_eq!(uri("a\\b.pdf"), "a/b.pdf");
    }
}
