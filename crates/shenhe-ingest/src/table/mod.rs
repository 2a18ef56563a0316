//! Tables: from the lines of a table block to a [`Table`] with columns, rows and cells.
//!
//! A block is read as: unit line (`单位：万元`), notes (`备注：…`, anywhere), header lines,
//! the column numbering line (`1 2 3 …`) if any, then data lines. Values are placed in their
//! columns by [`place`]; cross-table corroboration happens once all tables are read
//! ([`resolve`]).

pub(crate) mod header;
pub(crate) mod hierarchy;
pub(crate) mod place;
pub(crate) mod rows;
pub(crate) mod sumsolver;
pub(crate) mod textform;
pub(crate) mod wrap;

use shenhe_model::{
    Catalogue, IngestWarning, Loc, Note, Preparer, Row, RowKind, Table, TableNumber, Unit,
};

use crate::preparer::{TABLE_KEYS, field_value, is_blank_field};
use crate::segment::unit_in_line;
use crate::text::{Line, Source};
use header::{HTok, Layout};
use place::Group;
use rows::{RawRow, RowReader, strip_ordinal};

/// The hash maps and sets keyed by a document's own strings (row codes and names): foldhash
/// with per-process random seeds (`RandomState`) rather than std's SipHash. The keys come from
/// the document, so a crafted text could aim at collisions only with the seeds unknown to it;
/// foldhash hashes a short key in a few instructions where SipHash takes over a hundred, and
/// these maps are looked up once or twice per row.
pub(crate) type DocMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// See [`DocMap`].
pub(crate) type DocSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// What reading a table needs from the document.
pub(crate) struct Ctx<'a> {
    pub catalogue: &'a Catalogue,
    pub year: Option<i32>,
    /// The disclosing body, to recognise its own row in tables of units.
    pub unit_name: Option<String>,
    /// Level-1 indicator names of performance-target forms (from the profiles).
    pub level1: &'a [String],
    /// The whole text, for the names its rows print whole ([`wrap::Printed`]).
    pub src: &'a Source<'a>,
    /// Those names, read on first use (by a table whose names wrap).
    pub printed: std::cell::OnceCell<wrap::Printed>,
}

/// A table read but not yet finished: its rows' placements may still be narrowed by other
/// tables.
pub(crate) struct Draft<'a> {
    pub table: Table,
    pub groups: Vec<Group<'a>>,
    /// The ordinal of each row's label ([`rows::ordinal`]), read once as the rows were read
    /// (the label as kept, without trailing colons, has the same).
    pub ords: Vec<Option<(u8, u32)>>,
}

impl Draft<'_> {
    /// The table's name in messages: its printed number, else its title.
    pub fn name(&self) -> String {
        match &self.table.number {
            Some(n) => n.printed.clone(),
            None => format!("“{}”", self.table.title),
        }
    }
}

/// How many lines after the title the numbering line may stand.
const NUMBERING_WINDOW: usize = 16;

/// The parts of a table block.
pub(crate) struct BlockParts<'s, 'a> {
    pub unit: Option<Unit>,
    /// The body the table says prepared it (`编制单位：…`).
    pub preparer: Option<Preparer>,
    pub notes: Vec<Note>,
    pub header: Vec<&'s Line<'a>>,
    pub numbering: Option<usize>,
    pub numbering_loc: Option<Loc>,
    pub data: Vec<&'s Line<'a>>,
    /// Lines after the table that are not part of it (prose), as line indices.
    pub rest: Vec<usize>,
}

/// Reads a table block (`lines`: the indices of the lines after the title line).
pub(crate) fn parse_block<'a>(
    src: &Source<'a>,
    ctx: &Ctx<'_>,
    number: Option<TableNumber>,
    title: &str,
    title_loc: Loc,
    lines: std::ops::Range<usize>,
    warnings: &mut Vec<IngestWarning>,
) -> (Draft<'a>, Vec<usize>) {
    let parts = split_block(src, lines);
    let name = match &number {
        Some(n) => n.printed.clone(),
        None => format!("“{title}”"),
    };
    if parts.header.is_empty() && parts.data.is_empty() {
        warnings.push(IngestWarning {
            code: "table-empty-text".into(),
            message: format!("{name}只有标题，没有表头和数据行（文本可能被截断）"),
            loc: Some(title_loc),
        });
    }
    let rest = parts.rest.clone();
    let draft = build(ctx, number, title, title_loc, parts, &name, warnings);
    (draft, rest)
}

/// Splits a block into unit, notes, header, numbering and data lines.
pub(crate) fn split_block<'s, 'a>(
    src: &'s Source<'a>,
    lines: std::ops::Range<usize>,
) -> BlockParts<'s, 'a> {
    let mut parts = BlockParts {
        unit: None,
        preparer: None,
        notes: Vec::new(),
        header: Vec::new(),
        numbering: None,
        numbering_loc: None,
        data: Vec::new(),
        rest: Vec::new(),
    };
    let mut body: Vec<&'s Line<'a>> = Vec::with_capacity(lines.len());
    let mut body_idx: Vec<usize> = Vec::with_capacity(lines.len());
    // A note printed below the table's lines closes the table: what follows it (the next
    // section's heading and text, when nothing else starts a block) is not table data.
    let mut closed = false;
    let mut after_notes: Vec<usize> = Vec::new();
    for i in lines {
        let Some(line) = src.line(i) else { continue };
        let c = line.content;
        if c.is_empty() || is_attachment_marker(c) {
            continue;
        }
        if is_note(c) {
            parts.notes.push(Note {
                text: c.to_string(),
                loc: line.loc(),
            });
            closed = !body.is_empty();
            continue;
        }
        if closed {
            after_notes.push(i);
            continue;
        }
        // Before the header: `编制单位：某某局    单位：万元`, in one line or two.
        if body.is_empty()
            && parts.preparer.is_none()
            && let Some((s, e)) = field_value(c, &TABLE_KEYS)
        {
            parts.preparer = c.get(s..e).map(|name| Preparer {
                name: name.to_string(),
                loc: line.loc_of_range(s, e),
            });
            if parts.unit.is_none() {
                parts.unit = unit_in_line(c).map(|u| u.0);
            }
            continue;
        }
        if body.is_empty()
            && parts.unit.is_none()
            && let Some((unit, _, _)) = unit_in_line(c)
        {
            parts.unit = Some(unit);
            continue;
        }
        // The blank form field `单位名称：` of a template, before the header.
        if body.is_empty() && is_blank_field(c) {
            continue;
        }
        if body.is_empty() && unit_in_line(c).is_some() {
            if parts.unit.is_none() {
                parts.unit = unit_in_line(c).map(|u| u.0);
            }
            continue;
        }
        body.push(line);
        body_idx.push(i);
    }
    let numbering = body
        .iter()
        .take(NUMBERING_WINDOW)
        .position(|l| numbering_count(l.content).is_some());
    let header_end = match numbering {
        Some(p) => {
            parts.numbering = body.get(p).and_then(|l| numbering_count(l.content));
            parts.numbering_loc = body.get(p).map(|l| l.loc());
            p
        }
        None => (0..body.len())
            .find(|&k| {
                body.get(k).is_some_and(|l| looks_like_data(l.content))
                    && !(header_total(&body, k) && is_aligned(&body))
            })
            .unwrap_or(body.len()),
    };
    // In an aligned table a name wrapped over three lines (`社会保障和就` / `208 754.75 …` /
    // `业支出`) has its first piece right above the first data line: a single name after a
    // blank line, touching the data line below it, is that piece, not a header line.
    let header_end = match (numbering, header_end.checked_sub(1)) {
        (None, Some(k))
            if body.get(k).is_some_and(|l| l.token_iter().nth(1).is_none())
                && adjacent(&body_idx, k, header_end)
                && (k == 0 || !adjacent(&body_idx, k - 1, k))
                && is_aligned(body.get(header_end..).unwrap_or_default()) =>
        {
            k
        }
        _ => header_end,
    };
    let data_start = if numbering.is_some() {
        header_end + 1
    } else {
        header_end
    };
    parts.header = body.get(..header_end).unwrap_or_default().to_vec();
    parts
        .data
        .reserve_exact(body.len().saturating_sub(data_start));
    // Whether the body is aligned by runs of spaces, decided when first asked.
    let aligned_body = std::cell::OnceCell::new();
    // The body index of each data line.
    let mut data_k: Vec<usize> = Vec::with_capacity(body.len().saturating_sub(data_start));
    for (k, line) in body.iter().enumerate().skip(data_start) {
        if is_prose(line.content) && !parts.data.is_empty() {
            // Lines without a value between the table's last valued row and the prose that
            // ends it are the prose's headings (`一、2025年“三公”经费预算情况说明`), not rows;
            // so are the sentence's first lines, wrapped before its full stop, though they
            // hold numbers (`入预算 390,140.45 万元，使用非财政拨款结余 18,953.73`).
            let from = match parts
                .data
                .iter()
                .rposition(|l| has_value(l.content) && !is_clause(l.content))
            {
                Some(v) => {
                    parts.data.truncate(v.saturating_add(1));
                    data_k.get(v).map_or(k, |&dk| dk.saturating_add(1))
                }
                None => k,
            };
            parts.rest = body_idx.get(from..).unwrap_or_default().to_vec();
            break;
        }
        // The header printed again on a later page is not a row (in a table aligned by runs
        // of spaces, a header line of one short piece, such as the `出` of a wrapped cell,
        // repeats nothing: a name fragment in the rows may read the same; text with a cell
        // to a line prints every header cell so).
        if !parts.data.is_empty()
            && parts.header.iter().any(|h| {
                same_but_spaces(h.content, line.content)
                    && (h.content.chars().nth(3).is_some()
                        || h.token_iter().nth(1).is_some()
                        || !*aligned_body.get_or_init(|| is_aligned(&body)))
            })
        {
            continue;
        }
        parts.data.push(line);
        data_k.push(k);
    }
    parts.rest.extend(after_notes);
    parts
}

/// Builds the table from its parts.
pub(crate) fn build<'a>(
    ctx: &Ctx<'_>,
    number: Option<TableNumber>,
    title: &str,
    title_loc: Loc,
    parts: BlockParts<'_, 'a>,
    name: &str,
    warnings: &mut Vec<IngestWarning>,
) -> Draft<'a> {
    let aligned = is_aligned(&parts.data);
    let htoks: Vec<Vec<HTok>> = header::header_tokens(&parts.header, aligned);
    let mut layout: Layout = header::build(&htoks, parts.numbering, aligned, name, warnings);
    if layout.sides.is_empty() {
        layout = header::build(&[], parts.numbering, aligned, name, warnings);
    }
    if aligned {
        header::order_by_position(&mut layout);
    }
    // Without a header or a numbering line, the widest data row says how many value columns.
    if htoks.is_empty() && parts.numbering.is_none() {
        let mut probe = RowReader::new(&layout.sides, ctx.catalogue);
        let mut probed: Vec<RawRow> = Vec::new();
        let mut widest = 0usize;
        for l in &parts.data {
            probed.clear();
            probe.read_into(l, &mut probed);
            widest = probed
                .iter()
                .map(|r| r.values.len())
                .fold(widest, usize::max);
        }
        if widest > 0 {
            layout = header::build(&[], Some(widest), aligned, name, warnings);
            warnings.push(IngestWarning {
                code: "header-missing".into(),
                message: format!("{name}没有可识别的表头，按数据行推定有 {widest} 个数值列"),
                loc: Some(title_loc),
            });
        }
    }
    if let (Some(n), Some(loc)) = (parts.numbering, parts.numbering_loc) {
        let amounts: usize = layout.sides.iter().map(|s| s.amounts.len()).sum();
        if amounts != n {
            warnings.push(IngestWarning {
                code: "header-columns".into(),
                message: format!("{name}列号行有 {n} 列，表头却有 {amounts} 个数值列"),
                loc: Some(loc),
            });
        }
    }
    let mut reader = RowReader::new(&layout.sides, ctx.catalogue);
    reader.aligned = aligned;
    let mut raw: Vec<RawRow> = Vec::with_capacity(parts.data.len());
    for l in &parts.data {
        reader.read_into(l, &mut raw);
    }
    if aligned {
        let printed = ctx.printed.get_or_init(|| wrap::Printed::scan(ctx.src));
        let names = wrap::Names {
            catalogue: ctx.catalogue,
            printed,
        };
        wrap::join_all(&mut raw, layout.sides.len(), &names);
    } else {
        wrap::join_stacked(&mut raw, ctx.catalogue, || {
            ctx.printed.get_or_init(|| wrap::Printed::scan(ctx.src))
        });
    }
    let unit = parts.unit.or_else(|| common_unit(&layout));
    let mut table = Table {
        number,
        title: title.to_string(),
        role: None,
        unit,
        preparer: parts.preparer,
        columns: std::mem::take(&mut layout.columns),
        rows: Vec::with_capacity(raw.len()),
        notes: parts.notes,
        loc: title_loc,
    };
    let mut sides_of: Vec<usize> = Vec::with_capacity(raw.len());
    let mut ords: Vec<Option<(u8, u32)>> = Vec::with_capacity(raw.len());
    type SideRows<'t> = Vec<(usize, Vec<rows::RawVal<'t>>, rows::SideChoice)>;
    let mut per_side: Vec<SideRows<'a>> = vec![Vec::new(); layout.sides.len().max(1)];
    if let [only] = per_side.as_mut_slice() {
        // One side: every row goes to it.
        only.reserve_exact(raw.len());
    }
    for (i, r) in raw.into_iter().enumerate() {
        if let Some((printed, loc)) = r.unread_code.as_deref() {
            warnings.push(rows::code_unreadable(name, printed, &r.label, Some(*loc)));
        }
        let label = clean_label(r.label);
        let kind = if is_total_label(&label) {
            RowKind::Total
        } else {
            RowKind::Item
        };
        let loc = r
            .label_loc
            .or_else(|| r.values.first().map(|v| v.loc))
            .unwrap_or(r.line_loc);
        table.rows.push(Row {
            label,
            code: r.code,
            unread_code_loc: r.unread_code.as_deref().map(|u| u.1),
            unread_code: r.unread_code.map(|u| u.0),
            serial: r.serial,
            classification: None,
            kind,
            group: layout.sides.get(r.side).and_then(|s| s.group.clone()),
            parent: None,
            cells: Vec::new(),
            loc,
        });
        sides_of.push(r.side);
        ords.push(r.ord);
        if let Some(list) = per_side.get_mut(r.side) {
            list.push((i, r.values, r.side_choice));
        }
    }
    name_blocks(&mut table, &sides_of, &layout.sides);
    hierarchy::classify(
        &mut table.rows,
        &sides_of,
        &ords,
        layout.scheme_hint.or_else(|| scheme_of_title(title)),
        ctx.catalogue,
        ctx.year,
    );
    let unit_table = table.columns.iter().any(|c| c.name() == "单位名称");
    let dept = if unit_table {
        ctx.unit_name.as_deref()
    } else {
        None
    };
    hierarchy::link(&mut table.rows, &sides_of, &ords, dept);
    let mut groups = Vec::with_capacity(layout.sides.len());
    for (si, side) in layout.sides.iter_mut().enumerate() {
        let rows = per_side.get_mut(si).map(std::mem::take).unwrap_or_default();
        let mut g = Group::new(
            std::mem::take(&mut side.amounts),
            std::mem::take(&mut side.identities),
            rows,
            name,
            &table.rows,
            warnings,
        );
        let closed = hierarchy_closed(&table.rows, &sides_of, si, dept.is_some());
        g.add_hierarchy(&table.rows, closed);
        g.propagate();
        g.settle(&table.rows, &table.columns);
        groups.push(g);
    }
    Draft {
        table,
        groups,
        ords,
    }
}

/// Whether every item row of a side is placed in the hierarchy (so the grand total sums the
/// top-level rows).
fn hierarchy_closed(rows: &[Row], sides: &[usize], side: usize, unit_table: bool) -> bool {
    let mut items = rows
        .iter()
        .enumerate()
        .filter(|(i, r)| sides.get(*i) == Some(&side) && r.kind == RowKind::Item)
        .peekable();
    if items.peek().is_none() {
        return false;
    }
    let mut first = true;
    items.all(|(_, r)| {
        let ok = r.classification.is_some() || r.parent.is_some() || (unit_table && first);
        first = false;
        ok
    })
}

fn common_unit(layout: &Layout) -> Option<Unit> {
    let mut units = layout.columns.iter().filter_map(|c| c.unit);
    let first = units.next()?;
    units.all(|u| u == first).then_some(first)
}

fn scheme_of_title(title: &str) -> Option<shenhe_model::Scheme> {
    if title.contains("经济分类") || title.contains("基本支出") {
        Some(shenhe_model::Scheme::Economic)
    } else if title.contains("功能分类") {
        Some(shenhe_model::Scheme::Functional)
    } else {
        None
    }
}

/// A label as kept in the model: trailing colons dropped (`年度资金总额：`).
fn clean_label(mut label: String) -> String {
    while label.ends_with(['：', ':']) {
        label.pop();
    }
    label
}

/// 总计, 合计, 小计, 本年收入合计, 收入总计, 支出预算合计 … (spaces and quotation marks
/// ignored, as [`shenhe_model::name_key`] does; without allocating).
pub(crate) fn is_total_label(label: &str) -> bool {
    let ignorable = |c: char| {
        crate::text::is_space(c) || matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」')
    };
    // The ordinal is a prefix: without it the label still ends in the same character. Most
    // labels do not end in 计 and are answered here, before the ordinal is looked for.
    if label.chars().rev().find(|c| !ignorable(*c)) != Some('计') {
        return false;
    }
    let core = strip_ordinal(label).trim_matches(ignorable);
    let mut tail = core.chars().rev().filter(|c| !ignorable(*c));
    let (Some(last), Some(first)) = (tail.next(), tail.next()) else {
        return false;
    };
    let is_total = last == '计' && matches!(first, '合' | '总' | '小');
    is_total && !core.starts_with("其中")
}

/// Whether a table's lines are laid out in columns aligned by runs of spaces (as
/// `pdftotext -layout` writes them): most data lines hold two spaces in a row or are indented
/// by them. Text with one space between cells, or one cell per line, is not.
pub(crate) fn is_aligned(data: &[&Line<'_>]) -> bool {
    let spaced = |l: &&Line<'_>| {
        let b = l.content.as_bytes();
        l.lead_chars >= 2 || memchr::memchr_iter(b' ', b).any(|i| b.get(i + 1) == Some(&b' '))
    };
    // Decided once half the lines are known either way.
    let half = data.len().div_ceil(2);
    let (mut yes, mut no) = (0usize, 0usize);
    for l in data {
        if spaced(l) {
            yes += 1;
            if yes >= half {
                return true;
            }
        } else {
            no += 1;
            if no > data.len() - half {
                return false;
            }
        }
    }
    false
}

/// The sides of a two-sided table whose header gives them no names of their own (both headed
/// `科目名称`) are named by their total rows, as the PDF reader names them (`人员经费合计` →
/// `人员经费`; else `第N栏`): rows and columns of one side then share a group no other side has.
fn name_blocks(table: &mut Table, sides_of: &[usize], sides: &[header::Side]) {
    let first = sides.first().and_then(|s| s.group.as_ref());
    if sides.len() < 2 || !sides.iter().all(|s| s.group.as_ref() == first) {
        return;
    }
    for (k, side) in sides.iter().enumerate() {
        let name = block_name(&table.rows, sides_of, k);
        for (r, s) in table.rows.iter_mut().zip(sides_of) {
            if *s == k {
                r.group = Some(name.clone());
            }
        }
        let own = [side.label_col, side.code_col, side.serial_col]
            .into_iter()
            .flatten()
            .chain(side.amounts.iter().copied());
        for c in own {
            if let Some(col) = table.columns.get_mut(c) {
                col.group = Some(name.clone());
            }
        }
    }
}

/// The name of side `k` of a two-up table whose header names neither side (`sides`: each
/// row's side): its total row's (`人员经费合计` → `人员经费`), else `第N栏`. The PDF reader
/// names such blocks the same way.
pub(crate) fn block_name(rows: &[Row], sides: &[usize], k: usize) -> String {
    rows.iter()
        .zip(sides)
        .filter(|(r, s)| **s == k && r.kind == RowKind::Total)
        .map(|(r, _)| {
            let key = shenhe_model::name_key(&r.label);
            key.trim_end_matches("合计")
                .trim_end_matches("总计")
                .to_string()
        })
        .find(|n| !n.is_empty())
        .unwrap_or_else(|| format!("第{}栏", k + 1))
}

/// Whether body lines `a` and `b` stand on consecutive source lines (no blank line between).
fn adjacent(body_idx: &[usize], a: usize, b: usize) -> bool {
    matches!((body_idx.get(a), body_idx.get(b)), (Some(x), Some(y)) if x + 1 == *y)
}

/// Whether two lines hold the same text but for whitespace.
fn same_but_spaces(a: &str, b: &str) -> bool {
    // Most lines differ in their first character: answered without walking them.
    if a.as_bytes().first() != b.as_bytes().first() {
        return false;
    }
    let mut x = a.chars().filter(|c| !crate::text::is_space(*c));
    let mut y = b.chars().filter(|c| !crate::text::is_space(*c));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (p, q) if p == q => {}
            _ => return false,
        }
    }
}

/// `附件 1`, `附件2`.
fn is_attachment_marker(c: &str) -> bool {
    c.strip_prefix("附件").is_some_and(|r| {
        let r = r.trim();
        r.is_empty() || r.chars().all(|ch| ch.is_ascii_digit())
    })
}

/// `备注：`, `注：`, `说明：`, `注1：`.
pub(crate) fn is_note(c: &str) -> bool {
    let starts = ["备注", "注：", "注:", "说明：", "说明:", "注释", "附注"];
    starts.iter().any(|s| c.starts_with(s))
        || (c.starts_with('注')
            && c.chars()
                .nth(1)
                .is_some_and(|d| d.is_ascii_digit() || d == '１'))
}

/// The column numbering line `1 2 3 … n` (optionally after `栏次`): returns n.
pub(crate) fn numbering_count(c: &str) -> Option<usize> {
    // Its first token is a caption or reads as 1 (`usize` also reads `+1`): most lines are
    // answered by their first byte.
    const CAPTIONS: [&str; 5] = ["栏次", "行次", "甲", "乙", "丙"];
    let c = c.trim_start_matches(crate::text::is_space);
    let numeric_start = c
        .as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_digit() || *b == b'+');
    if !numeric_start && !CAPTIONS.iter().any(|w| c.starts_with(w)) {
        return None;
    }
    let mut expect = 1usize;
    for tok in c.split(crate::text::is_space).filter(|t| !t.is_empty()) {
        // The caption starts the line, or each side of a two-sided table (`栏次 1 栏次 2`).
        if CAPTIONS.contains(&tok) {
            continue;
        }
        // Column numbers are printed plain: `01` is part of a code (`301` / `01` / `基本工资`
        // in text with one cell a line), not the first column.
        if tok.starts_with('0') || tok.parse::<usize>().ok() != Some(expect) {
            return None;
        }
        expect += 1;
    }
    (expect > 1).then_some(expect - 1)
}

/// Whether a line reads as a data row rather than a header line.
fn looks_like_data(c: &str) -> bool {
    let toks: Vec<&str> = c
        .split(crate::text::is_space)
        .filter(|t| !t.is_empty())
        .collect();
    let Some(last) = toks.last() else {
        return false;
    };
    if crate::number::parse_cell(last).is_some() && toks.len() > 1 {
        return true;
    }
    let first = toks.first().copied().unwrap_or("");
    if rows::ordinal(first).is_some() {
        return true;
    }
    if first.len() >= 3 && first.bytes().all(|b| b.is_ascii_digit()) && toks.len() > 1 {
        return true;
    }
    // A classification code alone on its line: a row printed one cell per line (`208` /
    // `社会保障和就` / `业支出` / `754.75 754.75 0.00`, see `wrap::join_stacked`).
    if toks.len() == 1 && rows::is_code(first) {
        return true;
    }
    if first.starts_with(['[', '【', '［']) {
        return true;
    }
    // The first name (spaced-out ideographs joined: `收 入 总 计`) is a total.
    let mut first_word = String::new();
    let mut words = 0usize;
    for t in &toks {
        let single = t.chars().count() == 1;
        if first_word.is_empty() || (single && first_word.chars().all(crate::text::is_han)) {
            first_word.push_str(t);
            words += 1;
            if !single {
                break;
            }
        } else {
            break;
        }
    }
    // A total followed by names and no value is a header line (`合计  基本支出  项目支出`).
    let names_follow = toks.len() > words
        && toks
            .iter()
            .skip(words)
            .all(|t| t.chars().any(crate::text::is_han));
    is_total_label(&first_word) && !names_follow
}

/// Whether body line `k` is a total word alone (`小计`, no value) that the header goes on
/// after: the next line is no data either (`小计` / `出` under a wrapped header cell, then
/// the first row). A total row prints its values. (Asked of tables aligned by runs of
/// spaces only: text with a cell to a line prints totals alone.)
fn header_total(body: &[&Line<'_>], k: usize) -> bool {
    let Some(line) = body.get(k) else {
        return false;
    };
    let alone = line.token_iter().nth(1).is_none() && is_total_label(line.content);
    alone
        && body
            .get(k + 1)
            .is_some_and(|n| !looks_like_data(n.content) && !is_prose(n.content))
}

/// Prose after a table: a sentence, not a row.
/// A sentence of prose: a full stop at its end or inside it (`……持平。其中：`), and long.
fn is_prose(c: &str) -> bool {
    c.contains('。') && c.chars().count() > 12 && !is_note(c)
}

/// A piece of a sentence: a comma or semicolon between Chinese words (`……万元，其中本年收`),
/// which a table row does not print.
fn is_clause(c: &str) -> bool {
    c.contains(['，', '；']) && c.chars().filter(|&ch| crate::text::is_han(ch)).count() >= 4
}

/// Whether a line holds a value: a token that reads as a number.
fn has_value(c: &str) -> bool {
    c.split(crate::text::is_space)
        .any(|t| !t.is_empty() && crate::number::parse_cell(t).is_some())
}

/// Narrows remaining ambiguous placements with other tables' settled values, then writes every
/// table's cells.
pub(crate) fn resolve(drafts: &mut [Draft<'_>], warnings: &mut Vec<IngestWarning>) -> Vec<Table> {
    // The tables' names in messages, worded once for corroboration and the warnings.
    let names: Vec<String> = drafts.iter().map(Draft::name).collect();
    let open = drafts
        .iter()
        .any(|d| d.groups.iter().any(Group::needs_solving));
    if open {
        let mut index = place::EvidenceIndex::default();
        for d in drafts.iter() {
            for g in &d.groups {
                index.want(g, &d.table, &d.ords);
            }
        }
        for (ti, d) in drafts.iter().enumerate() {
            for g in &d.groups {
                g.evidence(&d.table, &d.ords, ti, &mut index);
            }
        }
        // Column keys are compared only for a table that still has rows to place or that
        // gives evidence: the others are not computed.
        let keys: Vec<Vec<place::ColKey>> = drafts
            .iter()
            .enumerate()
            .map(|(ti, d)| {
                let used = d.groups.iter().any(Group::needs_solving) || index.has_table(ti);
                if used {
                    place::col_keys(&d.table)
                } else {
                    Vec::new()
                }
            })
            .collect();
        for (ti, d) in drafts.iter_mut().enumerate() {
            let (table, ords) = (&d.table, &d.ords);
            for g in &mut d.groups {
                if g.needs_solving() && g.corroborate(table, ords, ti, &index, &keys, &names) {
                    g.settle_after(&table.rows);
                }
            }
        }
    }
    let mut out = Vec::with_capacity(drafts.len());
    for (d, name) in drafts.iter_mut().zip(&names) {
        let mut table = std::mem::take(&mut d.table);
        for g in &d.groups {
            g.write(&mut table, name, warnings);
        }
        out.push(table);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_lines() {
        assert_eq!(numbering_count("1 2 3 4"), Some(4));
        assert_eq!(numbering_count("1"), Some(1));
        assert_eq!(numbering_count("栏次 1 2"), Some(2));
        assert_eq!(numbering_count("栏次   1   栏次   2"), Some(2));
        assert_eq!(numbering_count("1 3"), None);
        assert_eq!(numbering_count("总计"), None);
        assert_eq!(numbering_count("+1 2"), Some(2));
        assert_eq!(numbering_count("  01 2 3"), None);
        assert_eq!(numbering_count("01"), None);
        assert_eq!(numbering_count("甲 乙 1 2"), Some(2));
        assert_eq!(numbering_count(""), None);
    }

    #[test]
    fn totals() {
        for t in [
            "总计",
            "合计",
            "本年收入合计",
            "收入总计",
            "收入预算合计",
            "十、合计",
        ] {
            assert!(is_total_label(t), "{t}");
        }
        assert!(!is_total_label("其中：合计"));
        assert!(!is_total_label("人大会议"));
    }

    #[test]
    fn data_or_header() {
        assert!(looks_like_data(
            "一、一般公共预算财政拨款收入 990.07 一、一般公共服务支出 866.07"
        ));
        assert!(looks_like_data("总计"));
        assert!(looks_like_data("201 一般公共服务支出 866.07 697.07 169.00"));
        assert!(!looks_like_data("项目 预算数 项目 预算数"));
        assert!(!looks_like_data("收 入 支 出"));
        assert!(!looks_like_data("功能分类科目 一般公共预算支出"));
        assert!(!looks_like_data("项目 预算数 项目 合计"));
        assert!(looks_like_data("收 入 总 计"));
        // A total followed by names and no value is a header line.
        assert!(!looks_like_data("合计          基本支出       项目支出"));
        assert!(looks_like_data("合计 721.07 其他资金"));
    }

    #[test]
    fn wrapped_name_before_the_first_row() {
        // The first piece of a name wrapped over three lines is data, not header.
        let text = concat!(
            "          项目\n",
            "                  合计          基本支出       项目支出\n",
            " 科目编码\n",
            "\n",
            "           社会保障和就\n",
            "208                     754.75       754.75      0.00\n",
            "           业支出\n",
            "210        卫生健康支出       236.64       236.64      0.00\n",
        );
        let (header, data) = header_and_data(text);
        assert_eq!(
            header,
            vec!["项目", "合计          基本支出       项目支出", "科目编码"]
        );
        assert_eq!(data.first().map(String::as_str), Some("社会保障和就"));
    }

    /// The header and data lines [`split_block`] finds in `text`.
    fn header_and_data(text: &str) -> (Vec<String>, Vec<String>) {
        let src = Source::new(text);
        let parts = split_block(&src, 0..src.lines.len());
        let lines = |ls: &[&Line<'_>]| ls.iter().map(|l| l.content.to_string()).collect();
        (lines(&parts.header), lines(&parts.data))
    }

    /// `小计` alone under a group name, then the last piece of a wrapped cell (`出`): header
    /// lines, not a total row; the rows' own `出` (a name wrapped below its code) is still a
    /// row, not the header printed again.
    #[test]
    fn a_lone_subtotal_name_in_the_header() {
        let text = concat!(
            "          本年支出\n",
            "                        项目支出\n",
            "合计      基本支出                    其中：基本建设资金支\n",
            "                     小计\n",
            "                              出\n",
            "\n",
            "合计       237,100.00   199,015.13   38,084.87    6,894.90\n",
            "          行政事业单位养老支\n",
            "20805      13,345.79    13,345.79\n",
            "          出\n",
            "小计       13,345.79    13,345.79\n",
        );
        let (header, data) = header_and_data(text);
        assert_eq!(header.len(), 5, "{header:?}");
        assert_eq!(header.last().map(String::as_str), Some("出"));
        assert_eq!(data.len(), 5, "{data:?}");
        assert_eq!(data.get(3).map(String::as_str), Some("出"));
    }
}
