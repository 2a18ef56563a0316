//! Reading one document of a batch: extracted text, a PDF, or the document model as JSON
//! (`shenhe extract --format json`), with the text its locations point into when the report
//! shows excerpts.

use std::path::Path;

use shenhe_model::{Document, SCHEMA_VERSION};

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
    let kind = kind(path, &bytes);
    match kind {
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
        Kind::Pdf | Kind::Text => {
            let opts = shenhe_ingest::Options::default();
            let read = match kind {
                Kind::Pdf => shenhe_ingest::ingest_pdf(&name, &bytes, &opts)
                    .map(|i| (i.document, want_source.then_some(i.source))),
                _ if want_source => shenhe_ingest::ingest_text(&name, &bytes, &opts)
                    .map(|i| (i.document, Some(i.source))),
                // Without excerpts the decoded text is not kept (no copy of it is made).
                _ => shenhe_ingest::read_text(&name, &bytes, &opts).map(|d| (d, None)),
            };
            let (document, source) = read.map_err(|e| reason(&name, &e))?;
            Ok(Loaded { document, source })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shenhe_model::CellValue;

    /// The source handed back is the text the locations point into, whatever the encoding
    /// (UTF-16 included, which the CLI used to show without excerpts).
    #[test]
    fn the_source_is_what_locations_point_into() {
        let seed = include_str!("../../../examples/000_69e425832d03fcc4.txt");
        let dir = std::env::temp_dir().join(format!("shenhe-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
        utf16.extend(seed.encode_utf16().flat_map(u16::to_le_bytes));
        let (gbk, _, _) = encoding_rs::GB18030.encode(seed);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(seed.as_bytes());
        for (name, bytes) in [
            ("u16.txt", utf16),
            ("gbk.txt", gbk.into_owned()),
            ("bom.txt", bom),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            let loaded = load(&path, true).unwrap();
            let source = loaded.source.unwrap();
            assert_eq!(source, seed, "{name}");
            let mut checked = 0;
            for cell in loaded
                .document
                .tables
                .iter()
                .flat_map(|t| &t.rows)
                .flat_map(|r| &r.cells)
            {
                let (CellValue::Number(v), Some(loc)) = (&cell.value, &cell.loc) else {
                    continue;
                };
                let start = loc.offset as usize;
                let printed = source.get(start..start + loc.len as usize).unwrap();
                assert_eq!(
                    printed
                        .replace(',', "")
                        .parse::<rust_decimal::Decimal>()
                        .unwrap(),
                    *v
                );
                checked += 1;
            }
            assert!(checked > 100, "{name}: {checked}");
            assert!(load(&path, false).unwrap().source.is_none());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
