//! PDF → positioned characters and drawn lines, per page.
//!
//! A content-stream interpreter that keeps only what table reconstruction needs: every glyph
//! with its Unicode text, its box and baseline in page space (points, origin at the bottom left of
//! the page as displayed), the axis-parallel lines the page draws (stroked paths and the thin
//! filled rectangles that office suites use for cell borders), and how much of the page images
//! cover (to tell a scanned page from a born-digital one).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::fonts::{Decoded, Font};
use super::lexer::{Lexer, Operand, Token};
use super::objects::{MAX_DOCUMENT_DECODED, Streams, deref, dict_of, num, rect};

/// Bytes as MiB for messages (`256 MiB`; small test budgets as bytes).
pub(crate) fn mib(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} 字节")
    }
}

/// One glyph on a page.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Glyph {
    /// The Unicode text of the glyph (one character, rarely a ligature); `\u{FFFD}` when the font
    /// gives no text for the code.
    pub(crate) text: String,
    pub(crate) x0: f64,
    pub(crate) x1: f64,
    /// The baseline.
    pub(crate) y: f64,
    /// The top and bottom of the glyph box (ascent and descent of the font).
    pub(crate) top: f64,
    pub(crate) bottom: f64,
    /// Font size on the page.
    pub(crate) size: f64,
    /// False for glyphs drawn rotated (vertical text).
    pub(crate) upright: bool,
}

/// An axis-parallel line drawn on a page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Segment {
    pub(crate) horizontal: bool,
    /// y of a horizontal line, x of a vertical one.
    pub(crate) at: f64,
    /// Extent along the line: x range of a horizontal line, y range of a vertical one.
    pub(crate) from: f64,
    pub(crate) to: f64,
}

/// What one page shows.
#[derive(Clone, Debug, Default)]
pub(crate) struct Page {
    /// 1-based page number.
    pub(crate) number: u32,
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) glyphs: Vec<Glyph>,
    pub(crate) segments: Vec<Segment>,
    /// Share of the page area covered by images (0..1, capped).
    pub(crate) image_cover: f64,
    /// Glyphs whose code had no Unicode text.
    pub(crate) unmapped: usize,
    /// Problems met on this page (in Chinese), e.g. an undecodable content stream.
    pub(crate) problems: Vec<String>,
}

type Matrix = [f64; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a × b` in PDF's row-vector convention (apply `a`, then `b`).
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

fn matrix_of(ops: &[Operand<'_>]) -> Option<Matrix> {
    match ops {
        [a, b, c, d, e, f] => Some([
            a.number()?,
            b.number()?,
            c.number()?,
            d.number()?,
            e.number()?,
            f.number()?,
        ]),
        _ => None,
    }
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    line_width: f64,
    /// Whether the fill / stroke colour is (nearly) white: such paint is background, not a rule.
    fill_light: bool,
    stroke_light: bool,
    font: Option<Rc<Font>>,
    font_size: f64,
    char_spacing: f64,
    word_spacing: f64,
    h_scale: f64,
    leading: f64,
    rise: f64,
}

impl GState {
    fn new(ctm: Matrix) -> Self {
        GState {
            ctm,
            line_width: 1.0,
            fill_light: false,
            stroke_light: false,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            h_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// Whether colour operands denote a light colour (gray, RGB or CMYK by operand count).
fn is_light(ops: &[Operand<'_>]) -> bool {
    let v: Vec<f64> = ops.iter().filter_map(Operand::number).collect();
    match v.as_slice() {
        [g] => *g > 0.9,
        [r, g, b] => (r + g + b) / 3.0 > 0.9,
        [c, m, y, k] => c.max(*m).max(*y).max(*k) < 0.1,
        _ => false,
    }
}

/// Shared state of one document's extraction: fonts are decoded once per document.
pub(crate) struct Extractor<'d> {
    doc: &'d Document,
    fonts: HashMap<ObjectId, Rc<Font>>,
    unknown_font: Rc<Font>,
    /// Fonts given as direct dictionaries (not references), by the dictionary's address in the
    /// document (which does not move while it is read): loaded once, like referenced fonts.
    direct_fonts: HashMap<usize, Rc<Font>>,
    decoded: Vec<Decoded>,
    /// Every stream the document decodes, within the document's budget.
    streams: Streams,
    budgets: Budgets,
    /// Operators the current page may still interpret ([`MAX_PAGE_OPERATORS`]).
    operators_left: usize,
    /// Operators the rest of the document may interpret ([`MAX_DOCUMENT_OPERATORS`]).
    document_operators_left: usize,
    /// Glyphs the current page may still keep: the page's cap or what the document has left.
    glyphs_left: usize,
    /// Glyphs the rest of the document may keep ([`MAX_DOCUMENT_GLYPHS`]).
    document_glyphs_left: usize,
}

const MAX_FORM_DEPTH: usize = 12;
/// Most drawn lines kept per page (a table page draws a few hundred; finding grids is
/// quadratic in them).
const MAX_SEGMENTS: usize = 8_000;
/// Most content-stream operators interpreted per page, forms drawn by the page included. The
/// busiest corpus page has about 9,000; forms that each draw the next one many times (or a
/// decompression bomb) would otherwise run for hours on a file of a few kilobytes.
pub(crate) const MAX_PAGE_OPERATORS: usize = 1_000_000;
/// Most operators interpreted in the whole document: 20 times the page budget (the corpus
/// documents interpret at most a few hundred thousand). Pages after it is spent are not read.
pub(crate) const MAX_DOCUMENT_OPERATORS: usize = 20 * MAX_PAGE_OPERATORS;
/// Most glyphs kept in the whole document: the corpus documents have at most a few hundred
/// thousand; a page tree listing one dense page thousands of times would otherwise fill the
/// memory. Pages after it is reached are not read.
pub(crate) const MAX_DOCUMENT_GLYPHS: usize = 2_000_000;

/// How much work reading one document may take (the constants above; smaller in tests).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Budgets {
    pub(crate) page_operators: usize,
    pub(crate) document_operators: usize,
    pub(crate) decoded_bytes: usize,
    pub(crate) document_glyphs: usize,
}

impl Default for Budgets {
    fn default() -> Self {
        Budgets {
            page_operators: MAX_PAGE_OPERATORS,
            document_operators: MAX_DOCUMENT_OPERATORS,
            decoded_bytes: MAX_DOCUMENT_DECODED,
            document_glyphs: MAX_DOCUMENT_GLYPHS,
        }
    }
}

/// Most glyphs kept per page: a dense table page shows about 5,000 characters; a page that
/// shows more is hostile or damaged, and every glyph costs memory and layout time.
pub(crate) const MAX_PAGE_GLYPHS: usize = 100_000;

impl<'d> Extractor<'d> {
    pub(crate) fn new(doc: &'d Document, budgets: Budgets) -> Self {
        Extractor {
            doc,
            fonts: HashMap::new(),
            unknown_font: Rc::new(Font::unknown()),
            direct_fonts: HashMap::new(),
            decoded: Vec::new(),
            streams: Streams::with_budget(budgets.decoded_bytes),
            budgets,
            operators_left: budgets.page_operators,
            document_operators_left: budgets.document_operators,
            glyphs_left: MAX_PAGE_GLYPHS,
            document_glyphs_left: budgets.document_glyphs,
        }
    }

    /// Whether the document's budget (operators or decoded bytes) is spent: the pages still to
    /// come would be read empty.
    pub(crate) fn spent(&self) -> bool {
        self.document_operators_left == 0 || self.document_glyphs_left == 0 || self.streams.spent
    }

    /// The budgets this extractor reads within.
    pub(crate) fn budgets(&self) -> Budgets {
        self.budgets
    }

    /// Reads one page.
    pub(crate) fn page(&mut self, number: u32, page_id: ObjectId) -> Page {
        let doc = self.doc;
        let mut page = Page {
            number,
            ..Page::default()
        };
        let Ok(dict) = doc.get_dictionary(page_id) else {
            page.problems
                .push(format!("第 {number} 页的页面对象无法读取"));
            return page;
        };
        let media = inherited(doc, dict, b"MediaBox")
            .and_then(|o| rect(doc, o))
            .unwrap_or([0.0, 0.0, 595.0, 842.0]);
        let crop = inherited(doc, dict, b"CropBox")
            .and_then(|o| rect(doc, o))
            .unwrap_or(media);
        let rotate = inherited(doc, dict, b"Rotate")
            .and_then(|o| num(doc, o))
            .unwrap_or(0.0);
        let rotate = ((rotate as i64 % 360) + 360) % 360;
        let (w, h) = (crop[2] - crop[0], crop[3] - crop[1]);
        let to_origin: Matrix = [1.0, 0.0, 0.0, 1.0, -crop[0], -crop[1]];
        let turn: Matrix = match rotate {
            90 => [0.0, -1.0, 1.0, 0.0, 0.0, w],
            180 => [-1.0, 0.0, 0.0, -1.0, w, h],
            270 => [0.0, 1.0, -1.0, 0.0, h, 0.0],
            _ => IDENTITY,
        };
        let base = mul(&to_origin, &turn);
        (page.width, page.height) = if rotate == 90 || rotate == 270 {
            (h, w)
        } else {
            (w, h)
        };
        let resources = inherited(doc, dict, b"Resources").and_then(|o| dict_of(doc, o));
        let content = match page_content(doc, dict, &mut self.streams) {
            Ok(c) => c,
            Err(()) if self.streams.spent => {
                page.problems.push(format!(
                    "第 {number} 页的内容流未解码：整个文件解码后的内容已超过 {} 的上限（文件可能已损坏或被恶意构造）",
                    mib(self.budgets.decoded_bytes)
                ));
                Rc::from(Vec::new())
            }
            Err(()) => {
                page.problems
                    .push(format!("第 {number} 页的内容流无法解码（文件可能已损坏）"));
                Rc::from(Vec::new())
            }
        };
        let mut visited = HashSet::new();
        let page_budget = self
            .budgets
            .page_operators
            .min(self.document_operators_left);
        self.operators_left = page_budget;
        self.glyphs_left = MAX_PAGE_GLYPHS.min(self.document_glyphs_left);
        self.run(
            &content,
            resources,
            GState::new(base),
            &mut page,
            0,
            &mut visited,
        );
        self.document_operators_left = self
            .document_operators_left
            .saturating_sub(page_budget - self.operators_left);
        if self.operators_left == 0 && page_budget == self.budgets.page_operators {
            page.problems.push(format!(
                "第 {number} 页的内容过于复杂（绘图指令超过 {page_budget} 条，含其中的表单对象），只读取了前 {page_budget} 条；文件可能已损坏或被恶意构造"
            ));
        }
        self.document_glyphs_left = self.document_glyphs_left.saturating_sub(page.glyphs.len());
        if page.glyphs.len() >= MAX_PAGE_GLYPHS {
            page.problems.push(format!(
                "第 {number} 页的字符超过 {MAX_PAGE_GLYPHS} 个，只读取了前 {MAX_PAGE_GLYPHS} 个；文件可能已损坏或被恶意构造"
            ));
        }
        if page.segments.len() > MAX_SEGMENTS {
            page.problems.push(format!(
                "第 {number} 页绘制了 {} 条直线，只取前 {MAX_SEGMENTS} 条识别表格线",
                page.segments.len()
            ));
            page.segments.truncate(MAX_SEGMENTS);
        }
        // Text whose baseline lies outside the page box is not shown: office suites leave the
        // overflow of a text box there, and it is shown again on the next page.
        let (pw, ph) = (page.width, page.height);
        page.glyphs.retain(|g| {
            let cx = (g.x0 + g.x1) / 2.0;
            let y = if g.upright {
                g.y
            } else {
                (g.top + g.bottom) / 2.0
            };
            cx >= 0.0 && cx <= pw && y >= 0.0 && y <= ph
        });
        let area = (page.width * page.height).max(1.0);
        page.image_cover = (page.image_cover / area).min(1.0);
        page
    }

    fn font(&mut self, resources: Option<&'d Dictionary>, name: &[u8]) -> Option<Rc<Font>> {
        let doc = self.doc;
        let fonts = resources?.get(b"Font").ok().and_then(|o| dict_of(doc, o))?;
        let entry = fonts.get(name).ok()?;
        if let Object::Reference(id) = entry {
            if let Some(f) = self.fonts.get(id) {
                return Some(f.clone());
            }
            let dict = dict_of(doc, entry)?;
            let font = Rc::new(Font::load(doc, dict, &mut self.streams));
            self.fonts.insert(*id, font.clone());
            return Some(font);
        }
        let dict = dict_of(doc, entry)?;
        let key = std::ptr::from_ref(dict).addr();
        if let Some(f) = self.direct_fonts.get(&key) {
            return Some(f.clone());
        }
        let font = Rc::new(Font::load(doc, dict, &mut self.streams));
        self.direct_fonts.insert(key, font.clone());
        Some(font)
    }

    #[allow(clippy::too_many_lines)]
    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'d Dictionary>,
        start: GState,
        page: &mut Page,
        depth: usize,
        visited: &mut HashSet<ObjectId>,
    ) {
        let mut lexer = Lexer::new(content);
        let mut ops: Vec<Operand<'_>> = Vec::with_capacity(8);
        let mut gs = start;
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        // Current path: subpaths of user-space points, plus rectangles.
        let mut subpaths: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut rects: Vec<[f64; 4]> = Vec::new();
        while let Some(tok) = lexer.next_token() {
            let op = match tok {
                Token::Operand(o) => {
                    // A sane operator takes at most a handful of operands; more means garbage.
                    if ops.len() < 64 {
                        ops.push(o);
                    }
                    continue;
                }
                Token::Operator(op) => op,
                Token::ArrayEnd | Token::DictEnd => continue,
            };
            // The page's budget, shared with the forms it draws: spent, nothing more is read.
            let Some(left) = self.operators_left.checked_sub(1) else {
                return;
            };
            self.operators_left = left;
            match op {
                b"q" if stack.len() < 256 => {
                    stack.push(gs.clone());
                }
                b"Q" => {
                    if let Some(s) = stack.pop() {
                        gs = s;
                    }
                }
                b"cm" => {
                    if let Some(m) = matrix_of(&ops) {
                        gs.ctm = mul(&m, &gs.ctm);
                    }
                }
                b"w" => {
                    if let Some(v) = ops.first().and_then(Operand::number) {
                        gs.line_width = v;
                    }
                }
                b"g" | b"rg" | b"k" | b"sc" | b"scn" => gs.fill_light = is_light(&ops),
                b"G" | b"RG" | b"K" | b"SC" | b"SCN" => gs.stroke_light = is_light(&ops),
                b"cs" => gs.fill_light = false,
                b"CS" => gs.stroke_light = false,
                // Path construction.
                b"m" => {
                    if let [x, y] = ops.as_slice()
                        && let (Some(x), Some(y)) = (x.number(), y.number())
                    {
                        subpaths.push(vec![(x, y)]);
                    }
                }
                b"l" => {
                    if let [x, y] = ops.as_slice()
                        && let (Some(x), Some(y)) = (x.number(), y.number())
                    {
                        match subpaths.last_mut() {
                            Some(sp) => sp.push((x, y)),
                            None => subpaths.push(vec![(x, y)]),
                        }
                    }
                }
                b"c" | b"v" | b"y" => {
                    // Curves are never rules: end the subpath at the curve's end point.
                    let pts: Vec<f64> = ops.iter().filter_map(Operand::number).collect();
                    if let [.., x, y] = pts.as_slice() {
                        subpaths.push(vec![(*x, *y)]);
                    }
                }
                b"h" => {
                    if let Some(sp) = subpaths.last_mut()
                        && let Some(first) = sp.first().copied()
                    {
                        sp.push(first);
                    }
                }
                b"re" => {
                    let v: Vec<f64> = ops.iter().filter_map(Operand::number).collect();
                    if let [x, y, w, h] = v.as_slice() {
                        rects.push([*x, *y, *w, *h]);
                    }
                }
                b"S" | b"s" | b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" | b"n" => {
                    let stroke = matches!(op, b"S" | b"s" | b"B" | b"B*" | b"b" | b"b*");
                    let fill = matches!(op, b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*");
                    if op == b"s" || op == b"b" || op == b"b*" {
                        for sp in &mut subpaths {
                            if let Some(first) = sp.first().copied() {
                                sp.push(first);
                            }
                        }
                    }
                    if stroke && !gs.stroke_light {
                        stroke_rules(&gs, &subpaths, &rects, &mut page.segments);
                    }
                    if fill && !gs.fill_light {
                        fill_rules(&gs, &subpaths, &rects, &mut page.segments);
                    }
                    subpaths.clear();
                    rects.clear();
                }
                // Text.
                b"BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                b"Tf" => {
                    if let [Operand::Name(name), size] = ops.as_slice() {
                        gs.font = Some(
                            self.font(resources, name)
                                .unwrap_or_else(|| self.unknown_font.clone()),
                        );
                        gs.font_size = size.number().unwrap_or(0.0);
                    }
                }
                b"Tc" => gs.char_spacing = first_num(&ops).unwrap_or(gs.char_spacing),
                b"Tw" => gs.word_spacing = first_num(&ops).unwrap_or(gs.word_spacing),
                b"Tz" => gs.h_scale = first_num(&ops).map_or(gs.h_scale, |v| v / 100.0),
                b"TL" => gs.leading = first_num(&ops).unwrap_or(gs.leading),
                b"Ts" => gs.rise = first_num(&ops).unwrap_or(gs.rise),
                b"Td" | b"TD" => {
                    let v: Vec<f64> = ops.iter().filter_map(Operand::number).collect();
                    if let [tx, ty] = v.as_slice() {
                        if op == b"TD" {
                            gs.leading = -ty;
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, *tx, *ty], &tlm);
                        tm = tlm;
                    }
                }
                b"Tm" => {
                    if let Some(m) = matrix_of(&ops) {
                        tlm = m;
                        tm = m;
                    }
                }
                b"T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if op != b"Tj" {
                        if op == b"\""
                            && let [aw, ac, _] = ops.as_slice()
                        {
                            gs.word_spacing = aw.number().unwrap_or(gs.word_spacing);
                            gs.char_spacing = ac.number().unwrap_or(gs.char_spacing);
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                        tm = tlm;
                    }
                    if let Some(Operand::Str(s)) = ops.last() {
                        self.show(s, &gs, &mut tm, page);
                    }
                }
                b"TJ" => {
                    if let Some(Operand::Array(items)) = ops.first() {
                        for item in items {
                            match item {
                                Operand::Str(s) => self.show(s, &gs, &mut tm, page),
                                Operand::Number(n) => {
                                    let tx = -n / 1000.0 * gs.font_size * gs.h_scale;
                                    tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                }
                                _ => {}
                            }
                        }
                    }
                }
                b"Do" => {
                    if let Some(Operand::Name(name)) = ops.first() {
                        self.xobject(resources, name, &gs, page, depth, visited);
                    }
                }
                b"ID" => {
                    lexer.skip_inline_image();
                    // An inline image covers the unit square of the CTM.
                    page.image_cover += unit_square_area(&gs.ctm);
                }
                _ => {}
            }
            ops.clear();
        }
    }

    fn xobject(
        &mut self,
        resources: Option<&'d Dictionary>,
        name: &[u8],
        gs: &GState,
        page: &mut Page,
        depth: usize,
        visited: &mut HashSet<ObjectId>,
    ) {
        let doc = self.doc;
        let Some(xobjects) = resources
            .and_then(|r| r.get(b"XObject").ok())
            .and_then(|o| dict_of(doc, o))
        else {
            return;
        };
        let Ok(entry) = xobjects.get(name) else {
            return;
        };
        let Some(Object::Stream(stream)) = deref(doc, entry) else {
            return;
        };
        let subtype = stream
            .dict
            .get(b"Subtype")
            .ok()
            .and_then(|o| o.as_name().ok());
        match subtype {
            Some(b"Image") => page.image_cover += unit_square_area(&gs.ctm),
            Some(b"Form") => {
                if depth >= MAX_FORM_DEPTH {
                    return;
                }
                let id = match entry {
                    Object::Reference(id) => Some(*id),
                    _ => None,
                };
                if let Some(id) = id {
                    // A form that draws itself is a cycle.
                    if !visited.insert(id) {
                        return;
                    }
                }
                let matrix = stream
                    .dict
                    .get(b"Matrix")
                    .ok()
                    .and_then(|o| deref(doc, o))
                    .and_then(|o| o.as_array().ok())
                    .and_then(|a| {
                        let v: Vec<f64> = a.iter().filter_map(|o| num(doc, o)).collect();
                        match v.as_slice() {
                            [a, b, c, d, e, f] => Some([*a, *b, *c, *d, *e, *f]),
                            _ => None,
                        }
                    })
                    .unwrap_or(IDENTITY);
                let form_resources = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|o| dict_of(doc, o))
                    .or(resources);
                if let Some(content) = self.streams.bytes(doc, entry) {
                    let mut inner = gs.clone();
                    inner.ctm = mul(&matrix, &gs.ctm);
                    self.run(&content, form_resources, inner, page, depth + 1, visited);
                } else {
                    page.problems
                        .push(format!("第 {} 页的一个表单对象无法解码", page.number));
                }
                if let Some(id) = id {
                    visited.remove(&id);
                }
            }
            _ => {}
        }
    }

    /// Draws a string: one glyph per character code, advancing the text matrix.
    fn show(&mut self, bytes: &[u8], gs: &GState, tm: &mut Matrix, page: &mut Page) {
        let font = gs.font.clone().unwrap_or_else(|| self.unknown_font.clone());
        let mut decoded = std::mem::take(&mut self.decoded);
        font.decode(bytes, &mut decoded);
        let fs = gs.font_size;
        let th = gs.h_scale;
        for d in &decoded {
            let m = mul(tm, &gs.ctm);
            let glyph_w = d.width / 1000.0 * fs * th;
            let (x0, y0) = apply(&m, 0.0, gs.rise);
            let (x1, y1) = apply(&m, glyph_w, gs.rise);
            // The glyph's "up" vector on the page.
            let up = (m[2] * fs, m[3] * fs);
            let size = (up.0 * up.0 + up.1 * up.1).sqrt();
            let upright = (x1 - x0).abs() >= (y1 - y0).abs() && up.1 > 0.0;
            let text = if d.text.is_empty() {
                page.unmapped += 1;
                "\u{fffd}".to_string()
            } else {
                d.text.clone()
            };
            if !text.chars().all(char::is_whitespace) && page.glyphs.len() < self.glyphs_left {
                let (lo, hi) = (font.descent / 1000.0 * size, font.ascent / 1000.0 * size);
                let glyph = if upright {
                    Glyph {
                        text,
                        x0: x0.min(x1),
                        x1: x0.max(x1),
                        y: y0,
                        top: y0 + hi,
                        bottom: y0 + lo,
                        size,
                        upright,
                    }
                } else {
                    // Rotated text: keep the box on the page, the baseline at its origin.
                    Glyph {
                        text,
                        x0: x0.min(x1).min(x0 + up.0),
                        x1: x0.max(x1).max(x0 + up.0),
                        y: y0,
                        top: y0.max(y1).max(y0 + up.1),
                        bottom: y0.min(y1).min(y0 + up.1),
                        size,
                        upright,
                    }
                };
                page.glyphs.push(glyph);
            }
            let mut advance = d.width / 1000.0 * fs + gs.char_spacing;
            if d.is_space_byte {
                advance += gs.word_spacing;
            }
            let tx = advance * th;
            if font.vertical {
                // Vertical writing: glyphs advance downwards by one em.
                *tm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -fs], tm);
            } else {
                *tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
            }
        }
        self.decoded = decoded;
    }
}

fn first_num(ops: &[Operand<'_>]) -> Option<f64> {
    ops.first().and_then(Operand::number)
}

fn unit_square_area(m: &Matrix) -> f64 {
    (m[0] * m[3] - m[1] * m[2]).abs()
}

/// Thickness at or under which a filled rectangle is a drawn line, in points.
const THIN: f64 = 2.5;

fn push_segment(out: &mut Vec<Segment>, (ax, ay): (f64, f64), (bx, by): (f64, f64)) {
    let (dx, dy) = ((bx - ax).abs(), (by - ay).abs());
    if dy <= 0.5 && dx > 0.5 {
        out.push(Segment {
            horizontal: true,
            at: (ay + by) / 2.0,
            from: ax.min(bx),
            to: ax.max(bx),
        });
    } else if dx <= 0.5 && dy > 0.5 {
        out.push(Segment {
            horizontal: false,
            at: (ax + bx) / 2.0,
            from: ay.min(by),
            to: ay.max(by),
        });
    }
}

fn rect_corners(m: &Matrix, r: &[f64; 4]) -> [(f64, f64); 4] {
    let [x, y, w, h] = *r;
    [
        apply(m, x, y),
        apply(m, x + w, y),
        apply(m, x + w, y + h),
        apply(m, x, y + h),
    ]
}

fn stroke_rules(
    gs: &GState,
    subpaths: &[Vec<(f64, f64)>],
    rects: &[[f64; 4]],
    out: &mut Vec<Segment>,
) {
    let m = &gs.ctm;
    for sp in subpaths {
        for pair in sp.windows(2) {
            if let [a, b] = pair {
                push_segment(out, apply(m, a.0, a.1), apply(m, b.0, b.1));
            }
        }
    }
    for r in rects {
        let c = rect_corners(m, r);
        for i in 0..4 {
            if let (Some(a), Some(b)) = (c.get(i), c.get((i + 1) % 4)) {
                push_segment(out, *a, *b);
            }
        }
    }
}

/// A filled thin rectangle (or thin closed polygon) is a line along its long side.
fn fill_rules(
    gs: &GState,
    subpaths: &[Vec<(f64, f64)>],
    rects: &[[f64; 4]],
    out: &mut Vec<Segment>,
) {
    let m = &gs.ctm;
    let mut boxes: Vec<[f64; 4]> = Vec::new();
    for r in rects {
        boxes.push(bbox(&rect_corners(m, r)));
    }
    for sp in subpaths {
        if sp.len() >= 3 {
            let pts: Vec<(f64, f64)> = sp.iter().map(|p| apply(m, p.0, p.1)).collect();
            boxes.push(bbox(&pts));
        }
    }
    for [x0, y0, x1, y1] in boxes {
        let (w, h) = (x1 - x0, y1 - y0);
        if h <= THIN && w > h {
            out.push(Segment {
                horizontal: true,
                at: (y0 + y1) / 2.0,
                from: x0,
                to: x1,
            });
        } else if w <= THIN && h > w {
            out.push(Segment {
                horizontal: false,
                at: (x0 + x1) / 2.0,
                from: y0,
                to: y1,
            });
        }
    }
}

fn bbox(pts: &[(f64, f64)]) -> [f64; 4] {
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for (x, y) in pts {
        b[0] = b[0].min(*x);
        b[1] = b[1].min(*y);
        b[2] = b[2].max(*x);
        b[3] = b[3].max(*y);
    }
    b
}

/// A page attribute, inherited through the page tree (at most 32 levels up).
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..32 {
        if let Ok(v) = node.get(key) {
            return Some(v);
        }
        node = node.get(b"Parent").ok().and_then(|o| dict_of(doc, o))?;
    }
    None
}

/// The page's content streams, decoded and joined.
fn page_content(doc: &Document, page: &Dictionary, streams: &mut Streams) -> Result<Rc<[u8]>, ()> {
    let Ok(raw) = page.get(b"Contents") else {
        return Ok(Rc::from(Vec::new()));
    };
    match deref(doc, raw).ok_or(())? {
        Object::Array(parts) => {
            let mut out = Vec::new();
            let mut failed = 0usize;
            for p in parts {
                match streams.bytes(doc, p) {
                    Some(bytes) => {
                        out.extend_from_slice(&bytes);
                        out.push(b'\n');
                    }
                    None => failed += 1,
                }
            }
            if failed > 0 && out.is_empty() {
                Err(())
            } else {
                Ok(Rc::from(out))
            }
        }
        Object::Stream(_) => streams.bytes(doc, raw).ok_or(()),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = [2.0, 0.0, 0.0, 2.0, 0.0, 0.0];
        let shift = [1.0, 0.0, 0.0, 1.0, 10.0, 0.0];
        // Scale first, then shift.
        assert_eq!(apply(&mul(&scale, &shift), 1.0, 1.0), (12.0, 2.0));
    }

    #[test]
    fn thin_fills_are_rules_and_boxes_are_not() {
        let gs = GState::new(IDENTITY);
        let mut out = Vec::new();
        fill_rules(
            &gs,
            &[],
            &[[58.6, 402.1, 723.4, 0.96], [59.0, 54.0, 700.0, 400.0]],
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert!(out[0].horizontal);
        assert!((out[0].at - 402.58).abs() < 1e-9);
    }
}
