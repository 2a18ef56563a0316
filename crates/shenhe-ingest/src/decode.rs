//! Bytes → text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK; known binary
//! formats and junk are refused with a message saying where and why.

use std::borrow::Cow;

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};
use shenhe_model::IngestWarning;

use crate::error::IngestError;

/// Decoded text and what was noticed on the way.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub warnings: Vec<IngestWarning>,
}

/// Largest share of control characters a text may have before it is treated as binary.
const MAX_CONTROL_PER_MILLE: usize = 10;
/// Largest number of invalid UTF-8 sequences repaired (with a warning) rather than refused.
const MAX_REPAIRS: usize = 8;

pub(crate) fn decode<'a>(
    name: &str,
    bytes: &'a [u8],
    max_bytes: usize,
) -> Result<Decoded<'a>, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty { name: name.into() });
    }
    if bytes.len() > max_bytes {
        return Err(IngestError::TooLarge {
            name: name.into(),
            bytes: bytes.len(),
            limit: max_bytes,
        });
    }
    if let Some((kind, hint)) = known_binary(bytes) {
        let magic = bytes
            .iter()
            .take(4)
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(" ");
        return Err(IngestError::NotText {
            name: name.into(),
            kind: kind.into(),
            magic,
            hint: hint.into(),
        });
    }
    let decoded = decode_text(name, bytes)?;
    if decoded.text.trim().is_empty() {
        return Err(IngestError::Blank {
            name: name.into(),
            bytes: bytes.len(),
        });
    }
    check_controls(name, &decoded.text)?;
    Ok(decoded)
}

fn known_binary(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let table: [(&[u8], &str, &str); 8] = [
        (
            b"%PDF",
            " PDF ",
            "PDF 文件请用 PDF 入口读取（shenhe extract 会按文件头自动识别）",
        ),
        (
            b"PK\x03\x04",
            " ZIP 压缩包或 Office（docx/xlsx）",
            "请先导出为文本",
        ),
        (
            b"\xD0\xCF\x11\xE0",
            "旧版 Office（doc/xls）",
            "请先导出为文本",
        ),
        (b"\x89PNG", " PNG 图片", "图片中的文字需先识别为文本"),
        (b"\xFF\xD8\xFF", " JPEG 图片", "图片中的文字需先识别为文本"),
        (b"GIF8", " GIF 图片", "图片中的文字需先识别为文本"),
        (b"\x1F\x8B", " gzip 压缩", "请先解压"),
        (b"\x7FELF", "可执行程序", "请选择公开文本文件"),
    ];
    table
        .iter()
        .find(|(magic, _, _)| bytes.starts_with(magic))
        .map(|(_, kind, hint)| (*kind, *hint))
}

fn decode_text<'a>(name: &str, bytes: &'a [u8]) -> Result<Decoded<'a>, IngestError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(name, rest, bytes.len() - rest.len());
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes.starts_with(b"\xFF\xFE") {
            UTF_16LE
        } else {
            UTF_16BE
        };
        let (text, _, had_errors) = enc.decode(bytes);
        let mut warnings = Vec::new();
        if had_errors {
            warnings.push(IngestWarning {
                code: "decode-repaired".into(),
                message: "UTF-16 文本中有无效的字节，已替换为 �".into(),
                loc: None,
            });
        }
        return Ok(Decoded {
            text: Cow::Owned(text.into_owned()),
            warnings,
        });
    }
    if let Some(pos) = memchr0(bytes) {
        return Err(binary(name, bytes, pos, "含有 0x00 字节（二进制数据）"));
    }
    decode_utf8(name, bytes, 0)
}

fn decode_utf8<'a>(name: &str, bytes: &'a [u8], base: usize) -> Result<Decoded<'a>, IngestError> {
    // Valid text (the usual case) is checked with SIMD; invalid text is looked at again by
    // the standard library for where and how it is broken.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(Decoded {
            text: Cow::Borrowed(text),
            warnings: Vec::new(),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: Cow::Borrowed(text),
            warnings: Vec::new(),
        }),
        Err(e) => {
            let valid = e.valid_up_to();
            // Only an incomplete character at the very end: the file was cut off.
            if e.error_len().is_none() {
                let text =
                    std::str::from_utf8(bytes.get(..valid).unwrap_or_default()).unwrap_or_default();
                let (line, column) = line_col(text.as_bytes(), text.len());
                return Ok(Decoded {
                    text: Cow::Borrowed(text),
                    warnings: vec![IngestWarning {
                        code: "truncated".into(),
                        message: format!(
                            "文件在第 {line} 行第 {column} 列处结束于半个 UTF-8 字符（共 {} 字节被舍去），文本可能不完整",
                            bytes.len() - valid
                        ),
                        loc: None,
                    }],
                });
            }
            if base == 0
                && let Some(text) =
                    GB18030.decode_without_bom_handling_and_without_replacement(bytes)
            {
                return Ok(Decoded {
                    text: Cow::Owned(text.into_owned()),
                    warnings: vec![IngestWarning {
                        code: "encoding".into(),
                        message: "文件不是 UTF-8 编码，已按 GB18030（兼容 GBK/GB2312）解码".into(),
                        loc: None,
                    }],
                });
            }
            repair_utf8(name, bytes, base)
        }
    }
}

/// A text with a few invalid bytes: keep it, replacing them, and say where. Many invalid
/// bytes: refuse.
fn repair_utf8<'a>(name: &str, bytes: &'a [u8], base: usize) -> Result<Decoded<'a>, IngestError> {
    let mut bad: Vec<usize> = Vec::new();
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    let mut pos = 0usize;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                let (good, tail) = rest.split_at(valid);
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                bad.push(pos + valid);
                if bad.len() > MAX_REPAIRS {
                    let first = bad.first().copied().unwrap_or(0);
                    return Err(binary(
                        name,
                        bytes,
                        first,
                        "既不是有效的 UTF-8，也不是 GB18030/GBK 编码的文本",
                    ))
                    .map_err(|e| shift(e, base));
                }
                out.push('\u{FFFD}');
                let skip = e.error_len().unwrap_or(tail.len()).max(1);
                let skip = skip.min(tail.len());
                rest = tail.get(skip..).unwrap_or_default();
                pos += valid + skip;
            }
        }
    }
    let places: Vec<String> = bad
        .iter()
        .map(|&off| {
            let (l, c) = line_col(bytes, off);
            format!("第 {l} 行第 {c} 列")
        })
        .collect();
    Ok(Decoded {
        text: Cow::Owned(out),
        warnings: vec![IngestWarning {
            code: "decode-repaired".into(),
            message: format!(
                "{} 处字节不是有效的 UTF-8（{}），已替换为 �，这些位置的文字可能有误",
                bad.len(),
                places.join("、")
            ),
            loc: None,
        }],
    })
}

fn shift(e: IngestError, base: usize) -> IngestError {
    match e {
        IngestError::Binary {
            name,
            offset,
            line,
            column,
            why,
        } => IngestError::Binary {
            name,
            offset: offset + base,
            line,
            column,
            why,
        },
        other => other,
    }
}

fn check_controls(name: &str, text: &str) -> Result<(), IngestError> {
    // Control characters other than line breaks, tabs and form feeds are ASCII control bytes
    // in UTF-8 text (C1 controls and U+FFFD only come from repaired input, warned about
    // already). Counted branch-free so the scan vectorises.
    let bytes = text.as_bytes();
    // Counted in blocks of 128 bytes, which each sum in a byte and leave no scalar remainder
    // to the vector loop (blocks of 255 left 31 bytes of each counted one by one).
    let controls: usize = bytes
        .chunks(128)
        .map(|block| {
            block.iter().fold(0u8, |n, &b| {
                // A sum of byte comparisons (as `Source::new` counts line ends), which
                // vectorises better than `is_control`'s combined test.
                n.wrapping_add(u8::from(b < 0x20) + u8::from(b == 0x7F))
                    .wrapping_sub(
                        u8::from(b == b'\t')
                            + u8::from(b == b'\n')
                            + u8::from(b == 0x0C)
                            + u8::from(b == b'\r'),
                    )
            })
        })
        .map(usize::from)
        .sum();
    if controls > 2 && controls * 1000 > text.len() / 3 * MAX_CONTROL_PER_MILLE {
        let total = text.chars().count();
        if controls * 1000 > total * MAX_CONTROL_PER_MILLE {
            let at = bytes.iter().position(|&b| is_control(b)).unwrap_or(0);
            return Err(binary(
                name,
                bytes,
                at,
                &format!("{controls} 个字符是控制字符（共 {total} 个字符），这不是文本"),
            ));
        }
    }
    Ok(())
}

/// An ASCII control byte other than a line break, a tab or a form feed. Branch-free (byte
/// comparisons combined with `&` and `|`) so that counting vectorises.
#[inline]
fn is_control(b: u8) -> bool {
    ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != 0x0C) & (b != b'\r')) | (b == 0x7F)
}

fn memchr0(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

fn binary(name: &str, bytes: &[u8], offset: usize, why: &str) -> IngestError {
    let (line, column) = line_col(bytes, offset);
    IngestError::Binary {
        name: name.into(),
        offset,
        line,
        column,
        why: why.into(),
    }
}

/// 1-based line and column (in characters, counting each invalid byte as one) of a byte offset.
fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map(|p| p + 1)
        .unwrap_or(0);
    let seg = before.get(line_start..).unwrap_or_default();
    // Count UTF-8 lead bytes (continuation bytes are 0b10xxxxxx).
    let column = seg.iter().filter(|&&b| (b & 0xC0) != 0x80).count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("a", "表一\n".as_bytes(), 1 << 20).unwrap();
        assert_eq!(d.text, "表一\n");
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice("表一".as_bytes());
        let d = decode("a", &b, 1 << 20).unwrap();
        assert_eq!(d.text, "表一");
    }

    #[test]
    fn gbk_is_detected() {
        let (bytes, _, _) = encoding_rs::GBK.encode("部门收支总体情况表 990.07\r\n");
        let d = decode("a", &bytes, 1 << 20).unwrap();
        assert_eq!(d.text, "部门收支总体情况表 990.07\r\n");
        assert_eq!(d.warnings[0].code, "encoding");
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "合计 1".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode("a", &b, 1 << 20).unwrap();
        assert_eq!(d.text, "合计 1");
    }

    #[test]
    fn empty_blank_and_large() {
        assert!(matches!(
            decode("a", b"", 10),
            Err(IngestError::Empty { .. })
        ));
        assert!(matches!(
            decode("a", b" \n\t\r\n", 100),
            Err(IngestError::Blank { .. })
        ));
        assert!(matches!(
            decode("a", b"0123456789ab", 10),
            Err(IngestError::TooLarge { .. })
        ));
    }

    #[test]
    fn binary_is_refused_with_position() {
        let e = decode("x.bin", b"abc\nde\x00f", 100).unwrap_err();
        match e {
            IngestError::Binary {
                offset,
                line,
                column,
                ..
            } => {
                assert_eq!((offset, line, column), (6, 2, 3));
            }
            other => panic!("{other:?}"),
        }
        let e = decode("x.pdf", b"%PDF-1.7 ...", 100).unwrap_err();
        assert!(e.to_string().contains("PDF"), "{e}");
    }

    #[test]
    fn truncated_utf8_keeps_the_prefix() {
        let s = "合计 990.07";
        let bytes = s.as_bytes();
        // Cut inside the first character of a trailing "元".
        let mut b = bytes.to_vec();
        b.extend_from_slice(&"元".as_bytes()[..2]);
        let d = decode("a", &b, 100).unwrap();
        assert_eq!(d.text, s);
        assert_eq!(d.warnings[0].code, "truncated");
    }

    #[test]
    fn a_few_bad_bytes_are_repaired_with_a_warning() {
        // 0xFF is invalid in UTF-8 and in GB18030.
        let mut b = "表一\n单位：万元\n".as_bytes().to_vec();
        b.push(0xFF);
        b.extend_from_slice("总计 1.00\n".as_bytes());
        let d = decode("a", &b, 1000).unwrap();
        assert!(d.text.contains('\u{FFFD}'));
        assert!(d.warnings[0].message.contains("第 3 行第 1 列"));
    }
}
