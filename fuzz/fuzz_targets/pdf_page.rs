//! Structure-aware PDF target: the input is the *decoded* content of a small, well-formed PDF,
//! so that mutations reach the content-stream interpreter, fonts, layout and table rebuilding
//! instead of dying in the object parser or the deflate decoder.
//!
//! Input: sections separated by `\n%%CUT\n`:
//! 1. the `ToUnicode` CMap of the composite font `/F1` (Identity-H),
//! 2. the content of form XObject `/X1`, 3. of form `/X2` (both see all page resources, so
//!    forms may draw each other),
//! 4. font metrics: raw dictionary entries spliced into the CIDFont and the simple font
//!    dictionaries (`/W [...] /DW 1000 /FirstChar 32 /Widths [...]`; empty: defaults),
//! 5. … page contents (up to 8 pages).
//!
//! Resources of every page and form: `/F1` (Type0, Identity-H, ToUnicode = section 1), `/F2`
//! (simple TrueType, WinAnsiEncoding), `/F3` (Type0, UniGB-UCS2-H), `/X1`, `/X2`, `/Im1` (image).
//! Seeds: `fuzz/seeds.py` cuts them out of tests/corpus/*.pdf.
#![no_main]

use libfuzzer_sys::fuzz_target;

const CUT: &[u8] = b"\n%%CUT\n";
const MAX_PAGES: usize = 8;

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(CUT.len()).position(|w| w == CUT) {
        let (a, b) = rest.split_at(i);
        out.push(a);
        rest = b.get(CUT.len()..).unwrap_or(&[]);
    }
    out.push(rest);
    out
}

struct Pdf {
    out: Vec<u8>,
    offsets: Vec<usize>,
}

impl Pdf {
    fn obj(&mut self, id: usize, body: &[u8]) {
        if self.offsets.len() <= id {
            self.offsets.resize(id + 1, 0);
        }
        self.offsets[id] = self.out.len();
        self.out
            .extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    fn stream(&mut self, id: usize, dict: &str, data: &[u8]) {
        let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.obj(id, &body);
    }
}

fn build(data: &[u8]) -> Vec<u8> {
    let parts = split(data);
    let section = |i: usize| parts.get(i).copied().unwrap_or(b"");
    let metrics = String::from_utf8_lossy(match section(3) {
        b"" => b"/DW 1000 /W [1 [500 500] 3 9 600] /FirstChar 32 /Widths [278 278 355]".as_slice(),
        m => m,
    })
    .into_owned();
    let pages: Vec<&[u8]> = parts.iter().skip(4).take(MAX_PAGES).copied().collect();
    let pages = if pages.is_empty() {
        vec![b"".as_slice()]
    } else {
        pages
    };

    let mut pdf = Pdf {
        out: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec(),
        offsets: Vec::new(),
    };
    // 1 catalog, 2 pages, 3 resources, 4-9 fonts, 10-11 forms, 12 image, 20.. pages+contents.
    pdf.obj(1, b"<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 20 + 2 * i))
        .collect();
    pdf.obj(
        2,
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} /MediaBox [0 0 595 842] /Resources 3 0 R >>",
            kids.join(" "),
            pages.len()
        )
        .as_bytes(),
    );
    pdf.obj(
        3,
        b"<< /Font << /F1 4 0 R /F2 7 0 R /F3 8 0 R >> /XObject << /X1 10 0 R /X2 11 0 R /Im1 12 0 R >> >>",
    );
    pdf.obj(
        4,
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [5 0 R] /ToUnicode 6 0 R >>",
    );
    pdf.obj(
        5,
        format!("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> {metrics} /FontDescriptor 9 0 R >>").as_bytes(),
    );
    pdf.stream(6, "", section(0));
    pdf.obj(
        7,
        format!("<< /Type /Font /Subtype /TrueType /BaseFont /Arial /Encoding /WinAnsiEncoding {metrics} /FontDescriptor 9 0 R >>").as_bytes(),
    );
    pdf.obj(
        8,
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [5 0 R] >>",
    );
    pdf.obj(
        9,
        b"<< /Type /FontDescriptor /FontName /SimSun /Ascent 859 /Descent -141 /Flags 6 /FontBBox [0 -141 1000 859] /ItalicAngle 0 /CapHeight 700 /StemV 80 >>",
    );
    pdf.stream(
        10,
        "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources 3 0 R",
        section(1),
    );
    pdf.stream(
        11,
        "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Matrix [1 0 0 1 10 10] /Resources 3 0 R",
        section(2),
    );
    pdf.stream(
        12,
        "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8",
        b"\x00",
    );
    for (i, content) in pages.iter().enumerate() {
        let (page_id, content_id) = (20 + 2 * i, 21 + 2 * i);
        pdf.obj(
            page_id,
            format!("<< /Type /Page /Parent 2 0 R /Contents {content_id} 0 R >>").as_bytes(),
        );
        pdf.stream(content_id, "", content);
    }
    let xref_at = pdf.out.len();
    let n = pdf.offsets.len();
    pdf.out
        .extend_from_slice(format!("xref\n0 {n}\n0000000000 65535 f \n").as_bytes());
    for off in pdf.offsets.iter().skip(1) {
        if *off == 0 {
            pdf.out.extend_from_slice(b"0000000000 65535 f \n");
        } else {
            pdf.out
                .extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
    }
    pdf.out.extend_from_slice(
        format!("trailer\n<< /Size {n} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n").as_bytes(),
    );
    pdf.out
}

fuzz_target!(|data: &[u8]| {
    let pdf = build(data);
    let opts = shenhe_ingest::Options::default();
    let _ = shenhe_ingest::ingest_pdf("fuzz.pdf", &pdf, &opts);
});
