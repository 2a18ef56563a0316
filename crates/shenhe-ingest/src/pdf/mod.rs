//! Reading born-digital PDF disclosures directly, in pure Rust.
//!
//! `lopdf` parses the file (cross-reference table, objects, filters, encryption); everything
//! after that is ours: `glyphs` interprets page content into positioned characters and drawn
//! lines, `words` groups characters into words and lines, `rules` turns drawn lines into
//! cell grids, `aligned` finds the grids of tables printed without lines, `layout` puts text
//! lines and grids in reading order and writes the reconstructed text (`sheet`) that every
//! location points into, `tables` rebuilds the tables and `narrative` reads the running text
//! with the text path's narrative reader.
//!
//! # Why `lopdf` and our own interpreter
//!
//! Measured on the seven corpus PDFs (WPS, Word and ONLYOFFICE exports with CJK CID fonts):
//! `pdf-extract` 0.12 gets the glyphs but not the table borders these exports draw as thin
//! filled rectangles (`re f*`), and takes 89–360 ms per document; `pdf` (pdf-rs) 0.10 refuses
//! one corpus file outright (a boolean `/Trapped` in the info dictionary); `lopdf` 0.47 reads
//! all seven, recovers damaged cross-reference tables and bounds decompression, but its own
//! content-stream parser costs 13–45 ms per document. So `lopdf` reads the objects and a small
//! lexer here reads content streams: every glyph of every page comes out with the same
//! characters as poppler's `pdftotext` (compared page by page), with positions and the drawn
//! lines, in 4–40 ms per document.
//!
//! # Limits
//!
//! Tables are found from their ruling lines where they are drawn; a table printed without lines
//! (or with horizontal rules only) is found from the alignment of its words (`aligned`), which
//! is weaker: measured on rule-less variants of the corpus (the drawn paths removed, see
//! `tests/ingest/ruleless.rs`), 36 of the 55 tables read exactly as with their lines; the rest
//! differ in a header cell's span, a wrapped header or label, or an empty table's header.
//! Rotated text is not read (a warning says so); performance-target forms in PDFs are read as
//! plain tables.

pub(crate) mod aligned;
pub(crate) mod fonts;
pub(crate) mod glyphs;
pub(crate) mod layout;
pub(crate) mod lexer;
pub(crate) mod narrative;
pub(crate) mod objects;
pub(crate) mod rules;
pub(crate) mod sheet;
pub(crate) mod tables;
pub(crate) mod words;

use shenhe_model::{Catalogue, DocKind, Document, IngestWarning, Profiles};

use crate::error::IngestError;
use crate::meta::{is_name_like, words_before_year};
use crate::preparer::{COVER_KEYS, field_value};
use crate::{Ingested, Options, bundled_catalogue, bundled_profiles};
use glyphs::{Extractor, Page};
use layout::Item;
use sheet::Sheet;

/// Whether bytes look like a PDF file (`%PDF-` within the first 1024 bytes, as readers accept).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes
        .get(..bytes.len().min(1024))
        .is_some_and(|head| head.windows(5).any(|w| w == b"%PDF-"))
}

/// A PDF read into pages, before tables and narrative are rebuilt.
struct Loaded {
    pages: Vec<Page>,
    warnings: Vec<IngestWarning>,
}

fn corrupt(name: &str, why: impl Into<String>) -> IngestError {
    IngestError::PdfCorrupt {
        name: name.to_string(),
        why: why.into(),
    }
}

fn load(name: &str, bytes: &[u8]) -> Result<Loaded, IngestError> {
    load_within(name, bytes, glyphs::Budgets::default())
}

fn load_within(name: &str, bytes: &[u8], budgets: glyphs::Budgets) -> Result<Loaded, IngestError> {
    if !is_pdf(bytes) {
        return Err(corrupt(name, "文件头中没有 %PDF- 标记"));
    }
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(objects::MAX_STREAM),
        ..lopdf::LoadOptions::default()
    };
    let doc = match lopdf::Document::load_mem_with_options(bytes, options) {
        Ok(d) => d,
        Err(e) => {
            let encrypted = matches!(
                e,
                lopdf::Error::Decryption(_)
                    | lopdf::Error::InvalidPassword
                    | lopdf::Error::UnsupportedSecurityHandler(_)
            );
            if encrypted || has_encrypt_entry(bytes) {
                return Err(IngestError::PdfEncrypted {
                    name: name.to_string(),
                });
            }
            if !has_eof_marker(bytes) {
                return Err(corrupt(
                    name,
                    format!(
                        "文件不完整：共 {} 字节，末尾没有 %%EOF 结束标记，像是下载或复制时被截断（{e}）",
                        bytes.len()
                    ),
                ));
            }
            return Err(corrupt(name, format!("无法解析 PDF 结构（{e}）")));
        }
    };
    // An encrypted file that opened with the empty password is readable; one that did not has
    // no decryption state.
    if doc.trailer.get(b"Encrypt").is_ok() && doc.encryption_state.is_none() {
        return Err(IngestError::PdfEncrypted {
            name: name.to_string(),
        });
    }
    let mut page_ids: Vec<(u32, lopdf::ObjectId)> = doc.get_pages().into_iter().collect();
    if page_ids.is_empty() {
        return Err(corrupt(name, "找不到任何页面（页面树缺失或损坏）"));
    }
    let mut warnings = Vec::new();
    if page_ids.len() > MAX_PAGES {
        warnings.push(IngestWarning {
            code: "pdf-too-many-pages".into(),
            message: format!(
                "PDF 的页面树列出了 {} 页，超过 {MAX_PAGES} 页的上限，只读取前 {MAX_PAGES} 页（文件可能已损坏或被恶意构造）",
                page_ids.len()
            ),
            loc: None,
        });
        page_ids.truncate(MAX_PAGES);
    }
    let mut ex = Extractor::new(&doc, budgets);
    let mut pages = Vec::with_capacity(page_ids.len());
    if !has_eof_marker(bytes) {
        warnings.push(IngestWarning {
            code: "pdf-truncated".into(),
            message: format!(
                "文件末尾没有 %%EOF 结束标记（共 {} 字节），可能被截断；缺失部分的内容无法读取",
                bytes.len()
            ),
            loc: None,
        });
    }
    if doc.xref_recovery.is_some() {
        warnings.push(IngestWarning {
            code: "pdf-xref-rebuilt".into(),
            message: "PDF 的交叉引用表损坏，已通过扫描文件重建；个别对象可能缺失".into(),
            loc: None,
        });
    }
    for &(n, id) in &page_ids {
        let p = ex.page(n, id);
        for problem in &p.problems {
            warnings.push(IngestWarning {
                code: "pdf-page".into(),
                message: problem.clone(),
                loc: None,
            });
        }
        if p.unmapped > 0 {
            warnings.push(IngestWarning {
                code: "pdf-unmapped-glyphs".into(),
                message: format!(
                    "第 {n} 页有 {} 个字符的字体没有给出对应的文字（显示为 �），这些字符无法读取",
                    p.unmapped
                ),
                loc: None,
            });
        }
        let rotated = p.glyphs.iter().filter(|g| !g.upright).count();
        if rotated > 0 {
            warnings.push(IngestWarning {
                code: "pdf-rotated-text".into(),
                message: format!("第 {n} 页有 {rotated} 个旋转排列的字符，未读取"),
                loc: None,
            });
        }
        pages.push(p);
        if ex.spent() {
            if let Some((next, _)) = page_ids.get(pages.len()) {
                warnings.push(IngestWarning {
                    code: "pdf-too-complex".into(),
                    message: format!(
                        "PDF 的内容过于庞大（全部页面的绘图指令超过 {} 条、字符超过 {} 个，或解码后的内容超过 {}），从第 {next} 页起未读取（文件可能已损坏或被恶意构造）",
                        ex.budgets().document_operators,
                        ex.budgets().document_glyphs,
                        glyphs::mib(ex.budgets().decoded_bytes)
                    ),
                    loc: None,
                });
            }
            break;
        }
    }
    Ok(Loaded { pages, warnings })
}

/// Most pages read: a disclosure has tens to a few hundred; a page tree listing more (the same
/// page object over and over) is damaged or hostile.
pub const MAX_PAGES: usize = 10_000;

/// Whether the file ends with `%%EOF` (within the last 1 KiB, where writers put it).
fn has_eof_marker(bytes: &[u8]) -> bool {
    let tail = bytes
        .get(bytes.len().saturating_sub(1024)..)
        .unwrap_or(bytes);
    tail.windows(5).any(|w| w == b"%%EOF")
}

fn has_encrypt_entry(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

/// How many times [`Options::max_bytes`] a PDF may be: PDFs carry fonts and images, so they are
/// much larger than the text they hold (256 MiB with the default options).
pub const PDF_SIZE_FACTOR: usize = 16;

/// Reads a PDF disclosure into a [`Document`]. Locations carry the page, the box on the page
/// (points, origin bottom left) and a line of the reconstructed text (see [`pdf_text`]).
///
/// Encrypted PDFs that need a password, PDFs without a text layer (scans: OCR is needed) and
/// damaged or truncated files are [`IngestError`]s with a Chinese message.
pub fn read_pdf(name: &str, bytes: &[u8], opts: &Options) -> Result<Document, IngestError> {
    ingest_pdf(name, bytes, opts).map(|i| i.document)
}

/// As [`read_pdf`], also handing back the reconstructed text the locations point into (the
/// text [`pdf_text`] gives), made once in the same pass.
pub fn ingest_pdf(name: &str, bytes: &[u8], opts: &Options) -> Result<Ingested, IngestError> {
    let limit = opts.max_bytes.saturating_mul(PDF_SIZE_FACTOR);
    if bytes.len() > limit {
        return Err(IngestError::TooLarge {
            name: name.to_string(),
            bytes: bytes.len(),
            limit,
        });
    }
    let catalogue: &Catalogue = match &opts.catalogue {
        Some(c) => c,
        None => bundled_catalogue(),
    };
    let profiles: &Profiles = match &opts.profiles {
        Some(p) => p,
        None => bundled_profiles(),
    };
    let Loaded {
        mut pages,
        mut warnings,
    } = load(name, bytes)?;
    let glyph_count: usize = pages.iter().map(|p| p.glyphs.len()).sum();
    if glyph_count == 0 {
        let images = pages.iter().filter(|p| p.image_cover > 0.3).count();
        return Err(IngestError::PdfNoText {
            name: name.to_string(),
            pages: pages.len(),
            image_pages: images,
        });
    }
    let image_pages: Vec<u32> = pages
        .iter()
        .filter(|p| p.glyphs.is_empty() && p.image_cover > 0.3)
        .map(|p| p.number)
        .collect();
    if !image_pages.is_empty() {
        warnings.push(IngestWarning {
            code: "pdf-image-pages".into(),
            message: format!(
                "第 {} 页只有图像、没有文字层（可能是扫描件），需要先做文字识别（OCR）才能读取",
                join_numbers(&image_pages)
            ),
            loc: None,
        });
    }
    let mut sheet = Sheet::default();
    let (items, infos) = layout::flow(&mut pages, &mut sheet);
    let mut doc = Document::new(name, "pdf");
    doc.meta.pages = Some(pages.len() as u32);
    read_meta(&mut doc, &pages, &items);
    let built = tables::build(&items, catalogue, doc.meta.year, &mut warnings);
    let preamble = doc.meta.title.clone().unwrap_or_default();
    doc.sections = narrative::build(
        &sheet,
        &items,
        &infos,
        &built.used,
        &preamble,
        &mut warnings,
    );
    doc.tables = built.tables;
    crate::fill_gaps(&mut doc);
    if doc.tables.is_empty() {
        warnings.push(IngestWarning {
            code: "no-tables".into(),
            message: "PDF 中没有找到任何表格".into(),
            loc: None,
        });
    }
    doc.warnings = warnings;
    profiles.assign(&mut doc);
    Ok(Ingested {
        document: doc,
        source: sheet.text,
    })
}

/// The reconstructed text of a PDF that [`read_pdf`]'s locations point into: one line per
/// printed line, table rows with cells separated by ` | `, a form feed before each page.
pub fn pdf_text(name: &str, bytes: &[u8]) -> Result<String, IngestError> {
    let Loaded { mut pages, .. } = load(name, bytes)?;
    let mut sheet = Sheet::default();
    let _ = layout::flow(&mut pages, &mut sheet);
    Ok(sheet.text)
}

fn join_numbers(ns: &[u32]) -> String {
    let v: Vec<String> = ns.iter().map(u32::to_string).collect();
    v.join("、")
}

/// Title, year, kind and unit from the first page: its largest text is the title
/// (`上海市普陀区2024年区级部门预算`, `西南大学 2023 年度部门决算`).
fn read_meta(doc: &mut Document, pages: &[Page], items: &[Item]) {
    let first_page = pages.first().map_or(1, |p| p.number);
    let lines: Vec<&layout::Text> = items
        .iter()
        .filter_map(|it| match it {
            Item::Text(t) if t.page == first_page => Some(t),
            _ => None,
        })
        .collect();
    let max = lines.iter().map(|t| t.line.size).fold(0.0f64, f64::max);
    let title: String = lines
        .iter()
        .filter(|t| t.line.size >= max * 0.8)
        .map(|t| t.text.trim())
        .collect::<Vec<_>>()
        .join("");
    let title: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    if !title.is_empty() {
        doc.meta.title = Some(title.clone());
    }
    // All first-page text, for the kind and unit when the title does not say.
    let all: String = lines
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    doc.meta.year = year_in(&title).or_else(|| year_in(&all));
    let kind_src = format!("{title}\n{all}");
    doc.meta.kind = if kind_src.contains("单位预算") {
        Some(DocKind::UnitBudget)
    } else if kind_src.contains("单位决算") {
        Some(DocKind::UnitFinal)
    } else if kind_src.contains("决算") {
        Some(DocKind::DeptFinal)
    } else if kind_src.contains("预算") {
        Some(DocKind::DeptBudget)
    } else {
        None
    };
    // A labelled field (`预算主管部门：…`) names the body; else the title's words before its
    // year (`西南大学2023年度部门决算`).
    let field = lines.iter().find_map(|t| {
        let (s, e) = field_value(&t.text, &COVER_KEYS)?;
        Some((t.text.get(s..e)?.to_string(), t.loc))
    });
    let from_title = || {
        let name = words_before_year(&title);
        is_name_like(name).then(|| {
            let loc = lines
                .iter()
                .find(|t| t.line.size >= max * 0.8)
                .and_then(|t| t.loc);
            (name.to_string(), loc)
        })
    };
    if let Some((name, loc)) = field.or_else(from_title) {
        doc.meta.unit_name = Some(name);
        doc.meta.unit_loc = loc;
    }
}

/// The first `20xx年` / `19xx 年` in a text.
fn year_in(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    for i in 0..chars.len() {
        let digits: String = chars.iter().skip(i).take(4).collect();
        if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()) {
            let before_digit = i > 0 && chars.get(i - 1).is_some_and(char::is_ascii_digit);
            let after = chars.iter().skip(i + 4).find(|c| !c.is_whitespace());
            if !before_digit && after == Some(&'年') {
                let y: i32 = digits.parse().ok()?;
                if (1990..=2100).contains(&y) {
                    return Some(y);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use glyphs::Budgets;

    /// A PDF of the given object bodies, numbered from 1 (1 is the catalog, 2 the page tree).
    fn pdf_of(objects: &[String]) -> Vec<u8> {
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        let n = objects.len() + 1;
        out.extend_from_slice(format!("xref\n0 {n}\n0000000000 65535 f \n").as_bytes());
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<< /Size {n} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        out
    }

    fn stream(data: &str) -> String {
        format!("<< /Length {} >>\nstream\n{data}\nendstream", data.len())
    }

    /// A page tree that lists page object 3 `times` times; the file holds `padding` more
    /// (unused) objects so the page-tree walk, bounded by the object count, can list them all.
    fn same_page_listed(times: usize, content: &str, padding: usize) -> Vec<u8> {
        let kids = vec!["3 0 R"; times].join(" ");
        let mut objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            format!("<< /Type /Pages /Kids [{kids}] /Count {times} >>"),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_string(),
            stream(content),
        ];
        objects.extend(std::iter::repeat_n("null".to_string(), padding));
        pdf_of(&objects)
    }

    /// Whether reading gave a warning of `code` whose message contains `text`.
    fn warned(loaded: &Loaded, code: &str, text: &str) -> bool {
        loaded
            .warnings
            .iter()
            .any(|w| w.code == code && w.message.contains(text))
    }

    fn budgets(page_operators: usize, document_operators: usize, decoded_bytes: usize) -> Budgets {
        Budgets {
            page_operators,
            document_operators,
            decoded_bytes,
            document_glyphs: 1_000_000,
        }
    }

    #[test]
    fn the_documents_glyph_budget_stops_reading_with_a_warning() {
        // One operator shows 40 glyphs; the document may keep 100: pages 1-3 are read (the
        // third cut to 20 glyphs), the rest are not.
        let content = format!("BT /F1 10 Tf 72 700 Td ({}) Tj ET", "a".repeat(40));
        let pdf = same_page_listed(6, &content, 10);
        let mut b = budgets(1000, 1000, 1 << 20);
        b.document_glyphs = 100;
        let loaded = load_within("p.pdf", &pdf, b).unwrap();
        let counts: Vec<usize> = loaded.pages.iter().map(|p| p.glyphs.len()).collect();
        assert_eq!(counts, [40, 40, 20]);
        assert!(
            warned(&loaded, "pdf-too-complex", "从第 4 页起"),
            "{:?}",
            loaded.warnings
        );
    }

    #[test]
    fn the_documents_operator_budget_stops_reading_with_a_warning() {
        // Each listing of the page interprets 30 operators (a page budget of 20 cuts it); the
        // document may interpret 100: pages 1-5 are read (20 each), the rest are not.
        let content = "BT (a) Tj ET\n".repeat(10);
        let pdf = same_page_listed(12, &content, 20);
        let loaded = load_within("p.pdf", &pdf, budgets(20, 100, 1 << 20)).unwrap();
        assert_eq!(loaded.pages.len(), 5);
        let messages: Vec<&str> = loaded.warnings.iter().map(|w| w.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("第 1 页的内容过于复杂") && m.contains("20 条")),
            "{messages:?}"
        );
        let w = loaded
            .warnings
            .iter()
            .find(|w| w.code == "pdf-too-complex")
            .unwrap_or_else(|| panic!("{messages:?}"));
        assert!(w.message.contains("从第 6 页起未读取"), "{}", w.message);
    }

    #[test]
    fn a_stream_shared_by_pages_is_decoded_once() {
        // 3 listings of one page whose content is 600 bytes, within a budget of 1000 bytes.
        let content = format!("BT (a) Tj ET{}", " ".repeat(588));
        let pdf = same_page_listed(3, &content, 10);
        let loaded = load_within("p.pdf", &pdf, budgets(1000, 1000, 1000)).unwrap();
        assert_eq!(loaded.pages.len(), 3);
        assert!(loaded.pages.iter().all(|p| p.glyphs.len() == 1));
        assert!(
            !loaded
                .warnings
                .iter()
                .any(|w| w.code == "pdf-too-complex" || w.message.contains("未解码")),
            "{:?}",
            loaded.warnings
        );
    }

    #[test]
    fn the_documents_decoding_budget_stops_reading_with_a_warning() {
        // Three pages with their own 600-byte contents; 1000 bytes may be decoded.
        let content = stream(&format!("BT (a) Tj ET{}", " ".repeat(588)));
        let page = |c: usize| {
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {c} 0 R >>")
        };
        let pdf = pdf_of(&[
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>".to_string(),
            page(6),
            page(7),
            page(8),
            content.clone(),
            content.clone(),
            content,
        ]);
        let loaded = load_within("p.pdf", &pdf, budgets(1000, 1000, 1000)).unwrap();
        assert_eq!(loaded.pages.len(), 2);
        let messages: Vec<&str> = loaded.warnings.iter().map(|w| w.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("第 2 页的内容流未解码") && m.contains("1000 字节")),
            "{messages:?}"
        );
        assert!(
            warned(&loaded, "pdf-too-complex", "从第 3 页起"),
            "{messages:?}"
        );
    }

    #[test]
    fn a_page_tree_listing_too_many_pages_is_cut() {
        let pdf = same_page_listed(MAX_PAGES + 5, "BT (a) Tj ET", MAX_PAGES + 10);
        let loaded = load("p.pdf", &pdf).unwrap();
        assert_eq!(loaded.pages.len(), MAX_PAGES);
        let w = loaded
            .warnings
            .iter()
            .find(|w| w.code == "pdf-too-many-pages")
            .unwrap_or_else(|| panic!("{:?}", loaded.warnings));
        assert!(w.message.contains("10005 页"), "{}", w.message);
    }

    #[test]
    fn years_and_sniffing() {
        assert_eq!(year_in("上海市普陀区2024年区级部门预算"), Some(2024));
        assert_eq!(year_in("西南大学 2023 年度部门决算"), Some(2023));
        assert_eq!(year_in("编号 120245 年"), None);
        assert!(is_pdf(b"%PDF-1.7\n"));
        assert!(is_pdf(b"\xef\xbb\xbf%PDF-1.4"));
        assert!(!is_pdf(b"hello"));
    }
}
