//! Why a source cannot be read at all. Everything short of this is read into a (possibly
//! partial) document with [`shenhe_model::IngestWarning`]s.

/// A source that cannot be read as a disclosure. Messages are Chinese, for the person who gave
/// the file; each says where (byte, line, column) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum IngestError {
    /// Zero bytes.
    #[error("{name}：文件为空（0 字节），没有可读取的内容")]
    #[diagnostic(code(shenhe::ingest::empty))]
    Empty { name: String },

    /// Only whitespace (or only a byte-order mark).
    #[error("{name}：文件只有空白字符（共 {bytes} 字节），没有可读取的内容")]
    #[diagnostic(code(shenhe::ingest::blank))]
    Blank { name: String, bytes: usize },

    /// Larger than [`crate::Options::max_bytes`].
    #[error(
        "{name}：文件过大（{bytes} 字节），超过读取上限 {limit} 字节；一份预决算公开文本通常不足 1 MB，请检查是否选错了文件"
    )]
    #[diagnostic(code(shenhe::ingest::too_large))]
    TooLarge {
        name: String,
        bytes: usize,
        limit: usize,
    },

    /// A known non-text format (PDF, Office, image, archive).
    #[error("{name}：这是{kind}文件（文件头为 {magic}），不是文本；{hint}")]
    #[diagnostic(code(shenhe::ingest::not_text))]
    NotText {
        name: String,
        kind: String,
        magic: String,
        hint: String,
    },

    /// Bytes that are not text in any supported encoding.
    #[error(
        "{name}：第 {offset} 字节（第 {line} 行第 {column} 列）起不是可读的文本：{why}。支持的编码：UTF-8（可带 BOM）、UTF-16（带 BOM）、GB18030/GBK"
    )]
    #[diagnostic(code(shenhe::ingest::binary))]
    Binary {
        name: String,
        /// 0-based byte offset of the first offending byte.
        offset: usize,
        line: usize,
        column: usize,
        why: String,
    },

    /// A PDF whose structure cannot be read (damaged, truncated, not really a PDF).
    #[error("{name}：PDF 文件无法读取：{why}。文件可能已损坏或下载不完整，请重新获取原文件")]
    #[diagnostic(code(shenhe::ingest::pdf_corrupt))]
    PdfCorrupt { name: String, why: String },

    /// A PDF that needs a password to open.
    #[error("{name}：PDF 文件已加密，需要密码才能打开；请提供未加密的文件")]
    #[diagnostic(code(shenhe::ingest::pdf_encrypted))]
    PdfEncrypted { name: String },

    /// A PDF without a text layer (scanned pages).
    #[error(
        "{name}：PDF 没有文字层（共 {pages} 页，其中 {image_pages} 页是整页图像），可能是扫描件；需要先做文字识别（OCR）再读取"
    )]
    #[diagnostic(code(shenhe::ingest::pdf_no_text))]
    PdfNoText {
        name: String,
        pages: usize,
        image_pages: usize,
    },

    /// The file could not be read from disk.
    #[error("{name}：无法读取文件：{why}")]
    #[diagnostic(code(shenhe::ingest::io))]
    Io { name: String, why: String },
}
