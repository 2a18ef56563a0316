//! Reading disclosures into the [`shenhe_model::Document`] model.
//!
//! [`read_text`] reads text extracted from a disclosure (UTF-8 with or without BOM, UTF-16 with
//! BOM, GB18030/GBK; any line ending): the cover (unit, year, kind), the narrative as numbered
//! sections of re-joined paragraphs with typed facts, every table with its columns, rows and
//! exactly placed cells, the notes, and the performance-target forms. Where the text leaves a
//! cell's column open (extracted text drops blank cells), the value is placed by sound signals
//! only and the cell says how ([`shenhe_model::Placement`]); where several placements remain,
//! the cell is marked ambiguous and an [`shenhe_model::IngestWarning`] names the alternatives.
//!
//! A source that is not text at all (empty, binary, a PDF given as text, too large) is an
//! [`IngestError`] with a Chinese message saying where and why. Everything else — including
//! truncated or odd text — gives a (possibly partial) document with warnings; ingest never
//! panics.

mod decode;
mod error;
mod meta;
mod narrative;
pub mod number;
pub mod pdf;
mod perf;
mod preparer;
pub mod render;
mod segment;
mod table;
mod text;

use std::sync::{Arc, OnceLock};

use shenhe_model::{Catalogue, DocKind, Document, IngestWarning, Profiles};

pub use error::IngestError;
pub use pdf::{ingest_pdf, is_pdf, pdf_text, read_pdf};

/// Largest source read by default: 16 MiB. A disclosure's text is well under 1 MB.
pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;

/// How to read.
#[derive(Clone, Debug)]
pub struct Options {
    /// Sources larger than this are refused with [`IngestError::TooLarge`].
    pub max_bytes: usize,
    /// The classification catalogue (default: the bundled one).
    pub catalogue: Option<Arc<Catalogue>>,
    /// The template profiles giving tables their roles (default: the bundled ones).
    pub profiles: Option<Arc<Profiles>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_bytes: DEFAULT_MAX_BYTES,
            catalogue: None,
            profiles: None,
        }
    }
}

/// The bundled catalogue, parsed once.
pub fn bundled_catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(Catalogue::bundled)
}

/// The bundled template profiles, parsed once.
pub fn bundled_profiles() -> &'static Profiles {
    static PROFILES: OnceLock<Profiles> = OnceLock::new();
    PROFILES.get_or_init(Profiles::bundled)
}

/// A disclosure read, with the text its locations point into: the decoded text of a text
/// source (after the byte-order mark), the reconstructed text of a PDF (see [`pdf_text`]).
/// Callers that show excerpts around locations use `source` instead of reading the file again.
#[derive(Clone, Debug)]
pub struct Ingested {
    pub document: Document,
    /// The text every [`shenhe_model::Loc::offset`] of `document` is a byte offset into.
    pub source: String,
}

/// Reads a disclosure whatever its format: a PDF (by its `%PDF-` signature) with
/// [`read_pdf`], anything else as extracted text with [`read_text`].
pub fn read_bytes(name: &str, bytes: &[u8], opts: &Options) -> Result<Document, IngestError> {
    if pdf::is_pdf(bytes) {
        read_pdf(name, bytes, opts)
    } else {
        read_text(name, bytes, opts)
    }
}

/// As [`read_bytes`], also handing back the text the document's locations point into.
pub fn ingest_bytes(name: &str, bytes: &[u8], opts: &Options) -> Result<Ingested, IngestError> {
    if pdf::is_pdf(bytes) {
        ingest_pdf(name, bytes, opts)
    } else {
        ingest_text(name, bytes, opts)
    }
}

/// The file name of a path, as the source name.
fn source_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn read_file(path: &std::path::Path, name: &str) -> Result<Vec<u8>, IngestError> {
    std::fs::read(path).map_err(|e| IngestError::Io {
        name: name.to_string(),
        why: e.to_string(),
    })
}

/// Reads a disclosure from a file (see [`read_bytes`]); the file name is the source name.
pub fn read_path(path: &std::path::Path, opts: &Options) -> Result<Document, IngestError> {
    let name = source_name(path);
    read_bytes(&name, &read_file(path, &name)?, opts)
}

/// As [`read_path`], also handing back the text the document's locations point into.
pub fn ingest_path(path: &std::path::Path, opts: &Options) -> Result<Ingested, IngestError> {
    let name = source_name(path);
    ingest_bytes(&name, &read_file(path, &name)?, opts)
}

/// Reads extracted text (bytes in any supported encoding) into a document.
///
/// `name` is the source's name (a file name) as recorded in [`shenhe_model::Meta`].
pub fn read_text(name: &str, bytes: &[u8], opts: &Options) -> Result<Document, IngestError> {
    decode_and_read(name, bytes, opts).map(|(doc, _)| doc)
}

/// As [`read_text`], also handing back the decoded text the document's locations point into.
pub fn ingest_text(name: &str, bytes: &[u8], opts: &Options) -> Result<Ingested, IngestError> {
    decode_and_read(name, bytes, opts).map(|(document, text)| Ingested {
        document,
        source: text.into_owned(),
    })
}

fn decode_and_read<'a>(
    name: &str,
    bytes: &'a [u8],
    opts: &Options,
) -> Result<(Document, std::borrow::Cow<'a, str>), IngestError> {
    let decoded = decode::decode(name, bytes, opts.max_bytes)?;
    let mut doc = read_str(name, &decoded.text, opts);
    if !decoded.warnings.is_empty() {
        let mut w = decoded.warnings;
        w.append(&mut doc.warnings);
        doc.warnings = w;
    }
    Ok((doc, decoded.text))
}

/// Reads already-decoded text into a document. Never fails: what cannot be read becomes a
/// warning.
pub fn read_str(name: &str, text: &str, opts: &Options) -> Document {
    let catalogue: &Catalogue = match &opts.catalogue {
        Some(c) => c,
        None => bundled_catalogue(),
    };
    let mut src = text::Source::new(text);
    src.blank_page_numbers();
    let mut doc = Document::new(name, "text");
    doc.meta.pages = src.pages;
    let cover = meta::cover(&src);
    doc.meta.title = cover.title.clone();
    doc.meta.year = cover.year;
    doc.meta.kind = cover.kind;
    doc.meta.unit_name = cover.unit_name.clone();
    doc.meta.unit_loc = cover.unit_loc;
    let mut warnings: Vec<IngestWarning> = Vec::new();
    let profiles: &Profiles = match &opts.profiles {
        Some(p) => p,
        None => bundled_profiles(),
    };
    let level1 = match profiles.performance.level1.as_slice() {
        [] => bundled_profiles().performance.level1.as_slice(),
        names => names,
    };
    let ctx = table::Ctx {
        catalogue,
        year: cover.year,
        unit_name: cover.unit_name.clone(),
        level1,
        src: &src,
        printed: std::cell::OnceCell::new(),
    };
    let mut narrative_lines: Vec<usize> = Vec::with_capacity(src.lines.len());
    let mut drafts: Vec<table::Draft> = Vec::new();
    let mut forms: Vec<perf::FormDraft> = Vec::new();
    for b in segment::split(&src) {
        let body = b.start.saturating_add(1)..b.end;
        match b.kind {
            segment::BlockKind::Narrative => narrative_lines.extend(b.start..b.end),
            segment::BlockKind::Table(t) => {
                let (draft, rest) =
                    table::parse_block(&src, &ctx, t.number, &t.text, t.loc, body, &mut warnings);
                drafts.push(draft);
                narrative_lines.extend(rest);
            }
            segment::BlockKind::Perf(t, kind) => {
                forms.push(perf::parse(
                    &src,
                    &ctx,
                    kind,
                    &t.text,
                    t.loc,
                    body,
                    &mut warnings,
                ));
            }
        }
    }
    let ends = narrative::indent_ends(&src, &narrative_lines);
    doc.sections = narrative::build(
        &src,
        &narrative_lines,
        &ends,
        cover.title.as_deref().unwrap_or(""),
        &mut warnings,
    );
    let n_tables = drafts.len();
    let mut form_list = Vec::with_capacity(forms.len());
    for f in forms {
        drafts.push(f.budget);
        form_list.push(f.form);
    }
    let mut tables = table::resolve(&mut drafts, &mut warnings);
    let budgets = tables.split_off(n_tables.min(tables.len()));
    for (form, budget) in form_list.iter_mut().zip(budgets) {
        form.budget = budget;
    }
    warnings.extend(table::textform::columns_split(&tables));
    doc.tables = tables;
    doc.performance = form_list;
    fill_gaps(&mut doc);
    if doc.tables.is_empty() && doc.performance.is_empty() {
        warnings.push(IngestWarning {
            code: "no-tables".into(),
            message: "文本中没有找到任何表格（表格以“表一、…表”之类的标题开始）".into(),
            loc: None,
        });
    }
    doc.warnings = warnings;
    profiles.assign(&mut doc);
    doc
}

/// Metadata the cover did not give, from the tables and forms.
pub(crate) fn fill_gaps(doc: &mut Document) {
    if doc.meta.unit_name.is_none() {
        doc.meta.unit_name = doc.performance.iter().find_map(|f| f.unit_name.clone());
    }
    if doc.meta.unit_name.is_none()
        && let Some(p) = doc.tables.iter().find_map(|t| t.preparer.as_ref())
    {
        doc.meta.unit_name = Some(p.name.clone());
        doc.meta.unit_loc = Some(p.loc);
    }
    if doc.meta.year.is_none() {
        doc.meta.year = doc.performance.iter().find_map(|f| f.year);
    }
    if doc.meta.kind.is_none() {
        let titles = || doc.tables.iter().map(|t| t.title.as_str());
        if titles().any(|t| t.contains("决算")) {
            doc.meta.kind = Some(DocKind::DeptFinal);
        } else if titles().any(|t| t.contains("预算")) {
            doc.meta.kind = Some(DocKind::DeptBudget);
        }
    }
}
