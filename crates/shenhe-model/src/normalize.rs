//! Name normalisation shared by ingest and evaluation.

/// Maps full-width ASCII forms (U+FF01–U+FF5E) to their half-width forms and the ideographic
/// space (U+3000) to a plain space. Everything else is kept.
pub fn normalize_width(text: &str) -> String {
    text.chars().map(half_width).collect()
}

fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The key two names are compared by: width-normalised, without whitespace, without quotation
/// marks (`“三公”经费` = `三公经费`), with `〔〕【】[]` brackets removed, and brackets unified
/// to ASCII `()`.
pub fn name_key(text: &str) -> String {
    // Runs of chars kept as they are are copied whole; only a char that changes or goes is
    // written on its own.
    let mut key = String::with_capacity(text.len());
    // Start of the run of kept bytes not yet copied.
    let mut run = 0usize;
    for (at, c, out) in key_changes(text) {
        key.push_str(text.get(run..at).unwrap_or(""));
        if let Some(o) = out {
            key.push(o);
        }
        run = at + c.len_utf8();
    }
    key.push_str(text.get(run..).unwrap_or(""));
    key
}

/// The chars of `text` that its key changes or drops, left to right: each with its byte
/// offset and what it becomes ([`key_char`]). Chars led by the bytes E4–E9 (U+4000–U+9FFF:
/// CJK ideographs and a few symbols, most of a name, none of which a key changes) are passed over without
/// decoding, and ASCII is read from its byte.
#[inline]
fn key_changes(text: &str) -> impl Iterator<Item = (usize, char, Option<char>)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0usize;
    std::iter::from_fn(move || {
        while let Some(&lead) = bytes.get(i) {
            if (0xE4..=0xE9).contains(&lead) {
                i += 3;
                continue;
            }
            if lead.is_ascii() {
                // What `key_char` does to ASCII: whitespace and quotes go, the rest stays.
                let c = char::from(lead);
                let at = i;
                i += 1;
                if c.is_whitespace() || c == '"' || c == '\'' {
                    return Some((at, c, None));
                }
                continue;
            }
            // `i` is always at a char's start: it moves by whole chars.
            let c = text.get(i..)?.chars().next()?;
            let at = i;
            i += c.len_utf8();
            let out = key_char(c);
            if out != Some(c) {
                return Some((at, c, out));
            }
        }
        None
    })
}

/// What a char of a name becomes in its key: none when it is dropped.
#[inline]
fn key_char(c: char) -> Option<char> {
    // CJK ideographs are kept as they are, without the lookups below.
    if matches!(c, '\u{4E00}'..='\u{9FFF}') {
        return Some(c);
    }
    let c = half_width(c);
    if c.is_whitespace() || is_quote(c) {
        return None;
    }
    Some(match c {
        '〔' | '【' | '［' => '[',
        '〕' | '】' | '］' => ']',
        other => other,
    })
}

/// [`name_key`] char by char (its definition, which the tests compare it with).
#[cfg(test)]
fn name_key_by_chars(text: &str) -> String {
    text.chars().filter_map(key_char).collect()
}

/// Whether `text` is its own [`name_key`] (nothing to normalise), checked without allocating.
#[inline]
pub fn is_name_key(text: &str) -> bool {
    key_changes(text).next().is_none()
}

/// Whether the name key `key` contains the key of `fragment` (allocating only when the
/// fragment needs normalising).
pub(crate) fn key_contains(key: &str, fragment: &str) -> bool {
    // The shared byte search: no searcher built per call, as `str::contains` does.
    crate::search::contains_str(key, &key_cow(fragment))
}

/// The [`name_key`] of `text`, borrowed when `text` is its own key (most labels are).
#[inline]
pub fn key_cow(text: &str) -> std::borrow::Cow<'_, str> {
    if is_name_key(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(name_key(text))
    }
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(normalize_width("１２３．４５％"), "123.45%");
        assert_eq!(normalize_width("a\u{3000}b"), "a b");
    }

    #[test]
    fn keys() {
        assert_eq!(name_key("收 入 总 计"), "收入总计");
        assert_eq!(name_key("“三公”经费"), "三公经费");
        assert_eq!(name_key("因公出国（境）费用"), name_key("因公出国(境)费用"));
        for s in [
            "收入总计",
            "收 入",
            "“三公”",
            "（境）",
            "【1】",
            "abc",
            "一般公共服务支出",
            "䶵㐀丁",
            "é ß",
            "𠀀𪚥",
            "龥\u{3000}",
            "",
            "\"x\"",
            "it's",
            "「甲」",
            "〔2016〕",
            "abc123",
            "非\u{a0}断",
            "\u{4dc0}\u{4dff}",
        ] {
            assert_eq!(is_name_key(s), name_key(s) == s, "{s}");
        }
        assert!(key_contains("三公经费支出", "“三公”经费"));
        assert!(!key_contains("三公经费", "收入"));
    }

    #[test]
    fn keys_by_runs_as_by_chars() {
        for s in [
            "",
            "一般公共服务支出",
            "“三公”经费",
            "（一）人员经费",
            "合 计",
            "２０１０１",
            "【30201】办公费",
            "收入\u{3000}总计",
            "a\tb",
            "因公出国(境)费",
            "〔2016〕［甲］「乙」『丙』'x' \"y\"",
            "㐀䶵é\u{a0}𠀀😀丂\u{FF5E}\u{FF5F}",
            " 前后 ",
            "（",
            "ab",
        ] {
            assert_eq!(name_key(s), name_key_by_chars(s), "{s:?}");
            assert_eq!(is_name_key(s), name_key(s) == s, "{s:?}");
        }
    }
}
