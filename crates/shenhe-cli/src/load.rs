//! Reading one document of a batch: extracted text, a PDF, or the document model as JSON
//! (`shenhe extract --format json`), with the text its locations point into when the report
//! shows excerpts.

use std::borrow::Cow;
use std::path::Path;

use shenhe_model::{CellValue, Document, SCHEMA_VERSION};

/// A document read, with the text its locations point into (when wanted and known).
pub struct Loaded {
    pub document: Document,
    pub source: Option<String>,
}

/// An I/O error in Chinese.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件或目录不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        std::io::ErrorKind::IsADirectory => "这是一个目录，不是文件".into(),
        _ => e.to_string(),
    }
}

/// What kind of source a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Text,
    Pdf,
    Model,
}

fn kind(path: &Path, bytes: &[u8]) -> Kind {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if shenhe_ingest::is_pdf(bytes) || ext.as_deref() == Some("pdf") {
        Kind::Pdf
    } else if ext.as_deref() == Some("json") {
        Kind::Model
    } else {
        Kind::Text
    }
}

/// The decoded text of a text source, as ingest decodes it (UTF-8 with or without BOM, else
/// GB18030). `None` for sources ingest decodes otherwise (UTF-16, repaired bytes): reports
/// then go without excerpts rather than with wrong ones.
fn decoded(bytes: &[u8]) -> Option<Cow<'_, str>> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(body) {
        return Some(Cow::Borrowed(s));
    }
    if bytes.len() != body.len() {
        return None;
    }
    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
}

/// Whether `source` is the text `doc`'s locations point into: the first few numbers of its
/// tables stand where their locations say.
fn agrees(doc: &Document, source: &str) -> bool {
    let mut checked = 0;
    for t in &doc.tables {
        for r in &t.rows {
            for c in &r.cells {
                let (CellValue::Number(v), Some(loc)) = (&c.value, &c.loc) else {
                    continue;
                };
                let start = loc.offset as usize;
                let Some(text) = source.get(start..start.saturating_add(loc.len as usize)) else {
                    return false;
                };
                let digits: String = text
                    .chars()
                    .filter(|ch| ch.is_ascii_digit() || *ch == '.' || *ch == '-')
                    .collect();
                if digits.parse::<rust_decimal::Decimal>().ok() != Some(*v) {
                    return false;
                }
                checked += 1;
                if checked == 3 {
                    return true;
                }
            }
        }
    }
    true
}

/// An ingest error without the file name it starts with (the report names the file).
fn reason(name: &str, e: &shenhe_ingest::IngestError) -> String {
    let m = e.to_string();
    match m.strip_prefix(&format!("{name}：")) {
        Some(rest) => rest.to_string(),
        None => m,
    }
}

/// Reads the document at `path`. `want_source`: also return the text for excerpts.
pub fn load(path: &Path, want_source: bool) -> Result<Loaded, String> {
    let bytes = std::fs::read(path).map_err(|e| io_reason(&e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    match kind(path, &bytes) {
        Kind::Model => {
            let document: Document = serde_json::from_slice(&bytes).map_err(|e| {
                format!(
                    "不是 shenhe extract --format json 输出的文档模型（第 {} 行第 {} 列：{e}）",
                    e.line(),
                    e.column()
                )
            })?;
            if document.schema_version > SCHEMA_VERSION {
                return Err(format!(
                    "文档模型版本 {} 比本程序支持的 {SCHEMA_VERSION} 新，请用同一版本的 shenhe 重新提取",
                    document.schema_version
                ));
            }
            Ok(Loaded {
                document,
                source: None,
            })
        }
        Kind::Pdf => {
            let document =
                shenhe_ingest::read_pdf(&name, &bytes, &shenhe_ingest::Options::default())
                    .map_err(|e| reason(&name, &e))?;
            let source = if want_source {
                shenhe_ingest::pdf_text(&name, &bytes).ok()
            } else {
                None
            };
            Ok(Loaded { document, source })
        }
        Kind::Text => {
            let document =
                shenhe_ingest::read_text(&name, &bytes, &shenhe_ingest::Options::default())
                    .map_err(|e| reason(&name, &e))?;
            let source = if want_source {
                decoded(&bytes)
                    .filter(|s| agrees(&document, s))
                    .map(Cow::into_owned)
            } else {
                None
            };
            Ok(Loaded { document, source })
        }
    }
}
