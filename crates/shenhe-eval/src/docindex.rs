//! The evaluator's view of one document: tables (including the budget blocks of performance
//! forms) and sections with their names normalised once, so that every rule's lookups are
//! cheap. Built once per [`crate::RuleSet::check`].

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

use shenhe_model::{
    Cell, CellValue, Document, Paragraph, Profiles, Row, Section, Table, is_name_key,
    is_ordinal_char, name_key, strip_ordinal,
};

use crate::builtins::wording::{MARK_PAIRS, is_mark};
use crate::matchmemo::{Found, MatchMemo};
use crate::num::{Num, NumKind, Quick};
use crate::pattern::{DirectionFilter, Matcher, direction_starts_at};
use crate::roles::{RoleIndex, RoleKeys};
use crate::statements::StatementIndex;
use crate::value::Origin;

/// A name as written in a rule, with the keys it is compared by. A key equal to the one
/// before it (most names are their own key, and have no ordinal or path separator) is not
/// kept twice: building one costs one allocation in the usual case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameKey {
    /// As written.
    pub raw: String,
    /// [`name_key`] of it, when it differs from `raw`.
    key: Option<Box<str>>,
    /// Its key without an ordinal prefix (`一、`, `（一）`), when it differs from the key.
    stripped: Option<Box<str>>,
    /// Its key without the path separators `.` and `/` (to compare with a whole header path),
    /// when it differs from the key.
    joined: Option<Box<str>>,
}

/// The results of a lookup: up to four kept inline (the usual case is one), more spilled to
/// the heap, so that lookups in the evaluator's inner loops do not allocate.
#[derive(Clone, Debug, Default)]
pub struct Hits {
    inline: [u32; 4],
    len: usize,
    spill: Vec<u32>,
}

impl Hits {
    pub fn push(&mut self, x: u32) {
        if self.spill.is_empty() {
            if let Some(slot) = self.inline.get_mut(self.len) {
                *slot = x;
                self.len += 1;
                return;
            }
            self.spill.extend_from_slice(&self.inline);
        }
        self.spill.push(x);
        self.len += 1;
    }

    pub fn as_slice(&self) -> &[u32] {
        if self.spill.is_empty() {
            self.inline.get(..self.len).unwrap_or(&[])
        } else {
            &self.spill
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl FromIterator<u32> for Hits {
    fn from_iter<I: IntoIterator<Item = u32>>(iter: I) -> Hits {
        let mut h = Hits::default();
        for x in iter {
            h.push(x);
        }
        h
    }
}

impl NameKey {
    pub fn new(raw: &str) -> NameKey {
        NameKey::of(raw.to_string())
    }

    /// Makes this the key of `raw`, reusing the buffer of the text as written (the evaluator
    /// keeps one for `表[编码(行)]`, computed row by row).
    pub fn set(&mut self, raw: &str) {
        let mut buf = std::mem::take(&mut self.raw);
        buf.clear();
        buf.push_str(raw);
        // A code (digits alone, what `表[编码(行)]` looks up) is its own key, with no ordinal
        // or separator to strip: what `of` finds for it, without looking.
        *self = if raw.bytes().all(|b| b.is_ascii_digit()) {
            NameKey {
                raw: buf,
                key: None,
                stripped: None,
                joined: None,
            }
        } else {
            NameKey::of(buf)
        };
    }

    fn of(raw: String) -> NameKey {
        // `key_cow` is `name_key`, borrowing a text that is a key already (most names are).
        let key = key_cow(&raw);
        // What `Row::name_key` gives for a row labelled `key`: the key itself when it cannot
        // start with an ordinal (a key has no whitespace to trim, and is its own key).
        let stripped = if may_have_ordinal(&key) {
            let s = key_cow(strip_ordinal(&key));
            (*s != *key).then(|| Box::from(&*s))
        } else {
            None
        };
        let joined = key
            .contains(['.', '/'])
            .then(|| key.replace(['.', '/'], "").into_boxed_str());
        let key = match key {
            Cow::Borrowed(_) => None,
            Cow::Owned(k) => (k != raw).then(|| k.into_boxed_str()),
        };
        NameKey {
            raw,
            key,
            stripped,
            joined,
        }
    }

    /// [`name_key`] of the name.
    pub fn key(&self) -> &str {
        self.key.as_deref().unwrap_or(&self.raw)
    }

    /// The key without an ordinal prefix (`一、`, `（一）`).
    pub fn stripped(&self) -> &str {
        self.stripped.as_deref().unwrap_or_else(|| self.key())
    }

    /// The key without the path separators `.` and `/`.
    pub fn joined(&self) -> &str {
        self.joined.as_deref().unwrap_or_else(|| self.key())
    }
}

pub struct ColumnKeys<'d> {
    /// Key of the column's own name (last header element).
    pub last: Cow<'d, str>,
    /// Keys of the whole header path joined (the own name's key when there is no header above).
    pub joined: Cow<'d, str>,
    /// Keys of the headers above the column's own name, and its side/block (`group`).
    pub heads: Vec<Cow<'d, str>>,
}

pub struct RowKeys<'d> {
    pub full: Cow<'d, str>,
    /// The key without an ordinal prefix, when the label has one (else it is `full`).
    stripped: Option<Cow<'d, str>>,
}

impl RowKeys<'_> {
    pub fn stripped(&self) -> &str {
        self.stripped.as_deref().unwrap_or(&self.full)
    }
}

pub use shenhe_model::key_cow;

/// Whether `name_key(text) == key`, without building the key when `text` is one already.
pub fn key_eq(text: &str, key: &str) -> bool {
    if is_name_key(text) {
        same_text(text, key)
    } else {
        name_key(text) == key
    }
}

/// Whether `name_key(a) == name_key(b)`, building a key only for a text that is not one.
pub fn keys_eq(a: &str, b: &str) -> bool {
    match (is_name_key(a), is_name_key(b)) {
        (true, true) => a == b,
        (true, false) => name_key(b) == a,
        (false, true) => name_key(a) == b,
        (false, false) => name_key(a) == name_key(b),
    }
}

/// `a == b`, most unequal texts of one length told apart by their last byte before the rest
/// is compared (names of one length often share their first bytes, and a call to compare them
/// costs more than the test).
#[inline]
pub fn same_text(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().last() == b.as_bytes().last() && a == b
}

/// Whether a label may start with an ordinal (`一、`, `（一）`, `1.`): only then is stripping
/// worth a second key.
fn may_have_ordinal(label: &str) -> bool {
    // The first char, or the first after leading whitespace.
    let c = match label.chars().next() {
        Some(c) if c.is_whitespace() => label.trim_start().chars().next(),
        c => c,
    };
    match c {
        // Digits alone (a code) strip to themselves: no ordinal is followed by a name.
        Some(c) if c.is_ascii_digit() => !label.bytes().all(|b| b.is_ascii_digit()),
        Some(c) => is_ordinal_char(c) || matches!(c, '（' | '('),
        None => false,
    }
}

pub struct TableEntry<'d> {
    pub table: &'d Table,
    /// Index into `Document::performance` when this is a form's budget block.
    pub perf: Option<usize>,
    pub ordinal: Option<u32>,
    /// The table's role (borrowed from the rule set's [`RoleIndex`]).
    role_def: Option<&'d RoleKeys>,
    pub title_key: Cow<'d, str>,
    // The keys of columns and rows, the detail rows and each row's children: built on first
    // use (a check reads them for some tables only).
    columns: OnceCell<Vec<ColumnKeys<'d>>>,
    rows: OnceCell<Vec<RowKeys<'d>>>,
    detail: OnceCell<Vec<u32>>,
    children: OnceCell<Vec<Vec<u32>>>,
    /// The catalogue entries of each row's code, found on first use (`builtins::codes`).
    pub catalogue: crate::catindex::RowEntriesCache,
}

impl<'d> TableEntry<'d> {
    /// Key of the canonical role name.
    pub fn role(&self) -> Option<&'d str> {
        self.role_def.map(|r| r.key.as_str())
    }

    /// Whether the table has the role whose key is `key` (the definition
    /// [`DocIndex::tables_with_role_id`] is tested against).
    #[cfg(test)]
    pub fn has_role(&self, key: &str) -> bool {
        self.role().is_some_and(|r| same_text(r, key))
    }

    /// The canonical role name, as written in the profiles.
    pub fn role_name(&self) -> Option<&'d str> {
        self.role_def.map(|r| r.name.as_str())
    }

    /// The name keys of each column.
    pub fn columns(&self) -> &[ColumnKeys<'d>] {
        self.columns.get_or_init(|| column_keys(self.table))
    }

    /// The name keys of each row.
    pub fn rows(&self) -> &[RowKeys<'d>] {
        self.rows.get_or_init(|| row_keys(self.table))
    }

    /// The detail rows (leaves, totals excluded): [`Table::detail_rows`].
    pub fn detail(&self) -> &[u32] {
        self.detail.get_or_init(|| {
            self.table
                .detail_rows()
                .into_iter()
                .filter_map(|i| u32::try_from(i).ok())
                .collect()
        })
    }

    /// The children of each row.
    pub fn children(&self) -> &[Vec<u32>] {
        self.children.get_or_init(|| {
            let rows = &self.table.rows;
            let mut children: Vec<Vec<u32>> = vec![Vec::new(); rows.len()];
            for (i, r) in rows.iter().enumerate() {
                if let (Some(list), Ok(i)) =
                    (r.parent.and_then(|p| children.get_mut(p)), u32::try_from(i))
                {
                    list.push(i);
                }
            }
            children
        })
    }
}

pub struct SectionEntry<'d> {
    pub section: &'d Section,
    /// One past the last section of this section's subtree (sections are in depth-first order).
    pub end: u32,
    pub title_key: Cow<'d, str>,
}

/// A paragraph with whitespace removed and widths unified, for pattern matching.
pub struct NormParagraph<'d> {
    pub section: u32,
    pub paragraph: &'d Paragraph,
    pub chars: Vec<char>,
    /// Byte offset in `paragraph.text` where each char starts: built on first use (only the
    /// paragraphs a finding points into need them).
    offsets: OnceCell<Vec<u32>>,
    /// The union of [`char_mask`] over `chars`: a pattern needing a char whose bit is not set
    /// cannot match here.
    pub mask: u128,
    /// The union of [`pair_mask`] over adjacent chars: a pattern needing a pair of adjacent
    /// chars (in one of its literals) whose bit is not set cannot match here.
    pub pairs: PairMask,
    /// Where a direction word can start (`Starts::Direction`), found with the masks: the
    /// places where the patterns that begin with `{增减}` are tried.
    pub direction: Vec<usize>,
    /// Whether two sentence marks stand side by side (`，，`: see `builtins::wording`), found
    /// with the pair hashes of the masks.
    pub marks_doubled: bool,
}

impl NormParagraph<'_> {
    /// Byte offset in `paragraph.text` where char `k` starts.
    pub fn offset(&self, k: usize) -> Option<u32> {
        self.offsets
            .get_or_init(|| kept_offsets(&self.paragraph.text, self.chars.len()))
            .get(k)
            .copied()
    }

    /// Byte offset in `paragraph.text` where char `k` ends (its source char may be wider than
    /// the normalised one).
    pub fn end_of(&self, k: usize) -> Option<u32> {
        let start = self.offset(k)?;
        let c = self.paragraph.text.get(start as usize..)?.chars().next()?;
        u32::try_from(start as usize + c.len_utf8()).ok()
    }
}

/// Byte offsets in `text` of the chars [`normalize_paragraph`] keeps (`n` of them): those that
/// are not whitespace.
fn kept_offsets(text: &str, n: usize) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (keep, len) = match b {
            // A three-byte char in U+4000–U+9FFF: an ideograph, never whitespace.
            0xE4..=0xE9 => (true, 3),
            _ if b.is_ascii() => (!char::from(b).is_whitespace(), 1),
            _ => match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (!c.is_whitespace(), c.len_utf8()),
                None => break,
            },
        };
        if keep {
            out.push(u32::try_from(i).unwrap_or(u32::MAX));
        }
        i += len;
    }
    out
}

/// 1,024 bits, one per hash of a pair of adjacent chars (a paragraph of a hundred chars sets
/// about a tenth of them, so a pair a pattern needs rules out most paragraphs without it).
pub type PairMask = [u64; 16];

/// Sets the bit of the adjacent chars `a`, `b` in `mask` (a hash: different pairs may share a
/// bit).
pub fn add_pair(mask: &mut PairMask, a: char, b: char) {
    let h = (a as u32).wrapping_mul(0x9E37_79B1) ^ (b as u32).wrapping_mul(0x85EB_CA77);
    let bit = h >> 22;
    if let Some(word) = mask.get_mut((bit >> 6) as usize) {
        *word |= 1u64 << (bit & 63);
    }
}

/// Whether every bit of `need` is set in `have`. (All words are looked at, without stopping
/// at the first that fails: such a loop compiles to a few vector operations.)
pub fn pairs_cover(have: &PairMask, need: &PairMask) -> bool {
    have.iter()
        .zip(need)
        .fold(0, |missing, (h, n)| missing | (n & !h))
        == 0
}

/// Whether some bit of `any` is set in `have` (all words looked at, as in [`pairs_cover`]).
pub fn pairs_meet(have: &PairMask, any: &PairMask) -> bool {
    have.iter()
        .zip(any)
        .fold(0, |common, (h, n)| common | (h & n))
        != 0
}

/// One of 128 bits for a char (a hash: different chars may share a bit).
pub fn char_mask(c: char) -> u128 {
    1u128 << ((c as u32).wrapping_mul(0x9E37_79B1) >> 25)
}

/// For each bit of [`char_mask`], the paragraphs of the narrative whose mask has it (64
/// paragraphs to a word): the paragraphs a pattern may match in are found by combining the
/// sets of the bits it needs, instead of testing the mask of every paragraph.
pub struct ParaSets {
    /// Word `w` of the set of bit `b` at `w * 128 + b`.
    sets: Vec<[u64; 128]>,
}

impl ParaSets {
    pub fn new(paras: &[NormParagraph<'_>]) -> ParaSets {
        let mut sets = vec![[0u64; 128]; paras.len().div_ceil(64)];
        for (word, chunk) in sets.iter_mut().zip(paras.chunks(64)) {
            for (j, p) in chunk.iter().enumerate() {
                let bit = 1u64 << j;
                // The mask's set bits, in its two halves (a 128-bit bit loop costs more).
                for (half, base) in [(p.mask as u64, 0), ((p.mask >> 64) as u64, 64)] {
                    let mut m = half;
                    while m != 0 {
                        if let Some(s) = word.get_mut(base + m.trailing_zeros() as usize) {
                            *s |= bit;
                        }
                        m &= m - 1;
                    }
                }
            }
        }
        ParaSets { sets }
    }

    /// Calls `visit` with every paragraph in `range`, in order, whose mask has all the bits
    /// listed in `bits` (bit numbers of [`char_mask`]).
    pub fn each(&self, bits: &[u8], range: Range<usize>, mut visit: impl FnMut(usize)) {
        let first = range.start / 64;
        for (w, word) in self
            .sets
            .iter()
            .enumerate()
            .take(range.end.div_ceil(64))
            .skip(first)
        {
            let base = w * 64;
            let mut acc = !0u64;
            if base < range.start {
                acc <<= range.start - base;
            }
            if range.end - base < 64 {
                acc &= (1u64 << (range.end - base)) - 1;
            }
            for b in bits {
                acc &= word.get(usize::from(*b)).copied().unwrap_or(0);
            }
            while acc != 0 {
                visit(base + acc.trailing_zeros() as usize);
                acc &= acc - 1;
            }
        }
    }
}

/// See the module documentation.
pub struct DocIndex<'d> {
    pub doc: &'d Document,
    pub tables: Vec<TableEntry<'d>>,
    /// The tables of each role (by its [`RoleKeys::id`], in the order the roles first occur),
    /// each list in table order: what [`DocIndex::tables_with_role_id`] gives.
    by_role: Vec<(u32, Hits)>,
    pub sections: Vec<SectionEntry<'d>>,
    /// The template profile id (as given by the document or detected).
    pub template: Option<String>,
    /// The table roles the template requires (its profile's `required`), with their names.
    pub required: Vec<String>,
    narrative: OnceCell<Vec<NormParagraph<'d>>>,
    /// The paragraphs of the narrative by the bits of their char masks (built on first use).
    para_sets: OnceCell<ParaSets>,
    statements: OnceCell<StatementIndex>,
    /// Matches of the rules' patterns, found on first use.
    pub matches: MatchMemo,
    /// Texts of sections squashed for `包含` (by section), built on first use.
    squashed: RefCell<Vec<(u32, Rc<str>)>>,
}

fn column_keys(table: &Table) -> Vec<ColumnKeys<'_>> {
    table
        .columns
        .iter()
        .map(|c| {
            let (last, above) = match c.path.split_last() {
                Some((last, above)) => (key_cow(last), above),
                None => (Cow::Borrowed(""), &[][..]),
            };
            // Allocated only for a column with headers above its own name or a side.
            let mut heads: Vec<Cow<'_, str>> =
                Vec::with_capacity(above.len() + usize::from(c.group.is_some()));
            heads.extend(above.iter().map(|p| key_cow(p)));
            let joined = if heads.is_empty() {
                last.clone()
            } else {
                let len = heads.iter().map(|h| h.len()).sum::<usize>() + last.len();
                let mut joined = String::with_capacity(len);
                for h in &heads {
                    joined.push_str(h);
                }
                joined.push_str(&last);
                Cow::Owned(joined)
            };
            if let Some(g) = &c.group {
                heads.push(key_cow(g));
            }
            ColumnKeys {
                last,
                joined,
                heads,
            }
        })
        .collect()
}

fn row_keys(table: &Table) -> Vec<RowKeys<'_>> {
    table
        .rows
        .iter()
        .map(|r| {
            let full = key_cow(&r.label);
            // `Row::name_key` (the key of the label without its ordinal), kept only when it
            // differs from `full`; a label that strips to itself keys to `full`.
            let stripped = if may_have_ordinal(&r.label) {
                let rest = strip_ordinal(&r.label);
                if rest.len() == r.label.len() {
                    None
                } else if matches!(full, Cow::Borrowed(_)) {
                    // The label is its own key: it has no char a key changes or drops, and
                    // neither has any part of it, so the part after the ordinal is its own key
                    // (and shorter than the label).
                    Some(Cow::Borrowed(rest))
                } else {
                    Some(key_cow(rest)).filter(|s| *s != full)
                }
            } else {
                None
            };
            RowKeys { full, stripped }
        })
        .collect()
}

fn table_entry<'d>(table: &'d Table, perf: Option<usize>, roles: &'d RoleIndex) -> TableEntry<'d> {
    let title_key = key_cow(&table.title);
    let role_def = table
        .role
        .as_deref()
        .and_then(|r| roles.named(r))
        .or_else(|| roles.for_title_key(&title_key));
    TableEntry {
        table,
        perf,
        ordinal: table.number.as_ref().map(|n| n.ordinal),
        role_def,
        title_key,
        columns: OnceCell::new(),
        rows: OnceCell::new(),
        detail: OnceCell::new(),
        children: OnceCell::new(),
        catalogue: Default::default(),
    }
}

impl<'d> DocIndex<'d> {
    /// The view of `doc`, with the profiles' roles (normalised once per rule set).
    pub fn with_roles(
        doc: &'d Document,
        profiles: &Profiles,
        roles: &'d RoleIndex,
    ) -> DocIndex<'d> {
        let mut tables: Vec<TableEntry<'d>> = doc
            .tables
            .iter()
            .map(|t| table_entry(t, None, roles))
            .collect();
        for (i, f) in doc.performance.iter().enumerate() {
            let mut e = table_entry(&f.budget, Some(i), roles);
            if e.role_def.is_none() {
                e.role_def = roles.for_title_key(&key_cow(&f.title));
            }
            if e.title_key.is_empty() {
                e.title_key = key_cow(&f.title);
            }
            tables.push(e);
        }
        let mut by_role: Vec<(u32, Hits)> = Vec::new();
        for (i, e) in tables.iter().enumerate() {
            let (Some(role), Ok(i)) = (e.role_def, u32::try_from(i)) else {
                continue;
            };
            match by_role.iter_mut().find(|(id, _)| *id == role.id) {
                Some((_, hits)) => hits.push(i),
                None => by_role.push((role.id, std::iter::once(i).collect())),
            }
        }
        let mut sections = Vec::new();
        // Depth-first with an explicit stack: (section, index of its entry once pushed).
        let mut stack: Vec<(&'d Section, Option<usize>)> =
            doc.sections.iter().rev().map(|s| (s, None)).collect();
        while let Some((s, done)) = stack.pop() {
            match done {
                Some(idx) => {
                    let end = u32::try_from(sections.len()).unwrap_or(u32::MAX);
                    if let Some(e) = sections.get_mut(idx) {
                        let e: &mut SectionEntry<'d> = e;
                        e.end = end;
                    }
                }
                None => {
                    let idx = sections.len();
                    sections.push(SectionEntry {
                        section: s,
                        end: 0,
                        title_key: key_cow(&s.title),
                    });
                    stack.push((s, Some(idx)));
                    for c in s.children.iter().rev() {
                        stack.push((c, None));
                    }
                }
            }
        }
        let template = doc.meta.template.clone().or_else(|| {
            let titles: Vec<&str> = doc.tables.iter().map(|t| t.title.as_str()).collect();
            profiles
                .detect(&titles, doc.meta.kind)
                .map(|p| p.id.clone())
        });
        let required = template
            .as_deref()
            .and_then(|id| profiles.get(id))
            .map(|p| p.required.clone())
            .unwrap_or_default();
        DocIndex {
            doc,
            tables,
            by_role,
            sections,
            template,
            required,
            narrative: OnceCell::new(),
            para_sets: OnceCell::new(),
            statements: OnceCell::new(),
            matches: MatchMemo::default(),
            squashed: RefCell::new(Vec::new()),
        }
    }

    pub fn table(&self, t: u32) -> Option<&TableEntry<'d>> {
        self.tables.get(t as usize)
    }

    /// The name keys of row `r` of table `t`.
    pub fn row_keys(&self, t: u32, r: u32) -> Option<&RowKeys<'d>> {
        self.table(t).and_then(|e| e.rows().get(r as usize))
    }

    pub fn row(&self, t: u32, r: u32) -> Option<&'d Row> {
        self.table(t).and_then(|e| e.table.rows.get(r as usize))
    }

    pub fn cell(&self, t: u32, r: u32, c: u32) -> Option<&'d Cell> {
        self.row(t, r).and_then(|row| row.cell(c as usize))
    }

    /// `表三 部门支出总体情况表`, or a form's title.
    pub fn table_name(&self, t: u32) -> String {
        match self.table(t) {
            Some(e) => match e.perf.and_then(|p| self.doc.performance.get(p)) {
                // A form's budget block: the form's title and its project, if any.
                Some(f) => match &f.project_name {
                    Some(p) => [f.title.as_str(), "「", p.as_str(), "」"].concat(),
                    None => f.title.clone(),
                },
                _ => e.table.display_name(),
            },
            None => String::new(),
        }
    }

    /// The short name rules use: `表三`, else the role, else the title.
    pub fn table_short(&self, t: u32) -> String {
        match self.table(t) {
            Some(e) => match (&e.table.number, e.role_name()) {
                (Some(n), _) => n.printed.clone(),
                (None, Some(r)) => r.to_string(),
                (None, None) => self.table_name(t),
            },
            None => String::new(),
        }
    }

    pub fn row_label(&self, t: u32, r: u32) -> String {
        self.row(t, r).map(|r| r.label.clone()).unwrap_or_default()
    }

    /// The column's header path joined with `.` (the way a rule can name it).
    pub fn column_name(&self, t: u32, c: u32) -> String {
        self.table(t)
            .and_then(|e| e.table.columns.get(c as usize))
            .map(|col| col.path.join("."))
            .unwrap_or_default()
    }

    pub fn tables_by_ordinal(&self, n: u32) -> Vec<u32> {
        self.indices(|e| e.perf.is_none() && e.ordinal == Some(n))
    }

    pub fn tables_by_title(&self, fragment_key: &str) -> Vec<u32> {
        self.indices(|e| shenhe_model::contains_str(&e.title_key, fragment_key))
    }

    /// The tables of the role with [`RoleKeys::id`] `id` (a compiled rule's role), in table
    /// order: those whose role has its key (as `find_tables(|e| e.has_role(key))`), from the
    /// lists built with the index.
    pub fn tables_with_role_id(&self, id: u32) -> &[u32] {
        self.by_role
            .iter()
            .find(|(r, _)| *r == id)
            .map_or(&[], |(_, hits)| hits.as_slice())
    }

    /// Tables satisfying `f`, without allocating in the usual case.
    pub fn find_tables(&self, f: impl Fn(&TableEntry<'d>) -> bool) -> Hits {
        self.tables
            .iter()
            .enumerate()
            .filter(|(_, e)| f(e))
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect()
    }

    fn indices(&self, f: impl Fn(&TableEntry<'d>) -> bool) -> Vec<u32> {
        self.tables
            .iter()
            .enumerate()
            .filter(|(_, e)| f(e))
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect()
    }

    /// Columns of table `t` named `name` (own name or whole path).
    pub fn columns_named(&self, t: u32, name: &NameKey) -> Hits {
        let Some(e) = self.table(t) else {
            return Hits::default();
        };
        e.columns()
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                !name.key().is_empty()
                    && (same_text(&c.last, name.key()) || same_text(&c.joined, name.joined()))
            })
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect()
    }

    /// Whether some column of `t` stands under a header (or side) named `name`.
    pub fn is_column_group(&self, t: u32, name: &NameKey) -> bool {
        self.table(t).is_some_and(|e| {
            e.columns()
                .iter()
                .any(|c| c.heads.iter().any(|h| *h == name.key()))
        })
    }

    /// Columns under header `head` named `name`.
    pub fn columns_in_group(&self, t: u32, head: &str, name: &NameKey) -> Hits {
        let Some(e) = self.table(t) else {
            return Hits::default();
        };
        e.columns()
            .iter()
            .enumerate()
            .filter(|(_, c)| c.heads.iter().any(|h| h == head) && c.last == name.key())
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect()
    }

    /// Rows of `t` named `name` (by name with or without ordinal, or by code).
    pub fn rows_named(&self, t: u32, name: &NameKey) -> Hits {
        let Some(e) = self.table(t) else {
            return Hits::default();
        };
        if name.key().is_empty() {
            return Hits::default();
        }
        e.rows()
            .iter()
            .zip(&e.table.rows)
            .enumerate()
            .filter(|(_, (k, row))| {
                row.code
                    .as_deref()
                    .is_some_and(|c| same_text(c, name.key()))
                    || row
                        .classification
                        .as_ref()
                        .is_some_and(|c| same_text(&c.code, name.key()))
                    || same_text(k.stripped(), name.stripped())
                    || same_text(&k.full, name.key())
            })
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect()
    }

    /// All column names of `t` (for did-you-mean).
    pub fn column_names(&self, t: u32) -> Vec<String> {
        self.table(t)
            .map(|e| {
                e.table
                    .columns
                    .iter()
                    .map(|c| c.name().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// All row names of `t` (for did-you-mean).
    pub fn row_names(&self, t: u32) -> Vec<String> {
        self.table(t)
            .map(|e| e.table.rows.iter().map(|r| r.label.clone()).collect())
            .unwrap_or_default()
    }

    /// The number in a cell: printed values stand for their rounding interval; a blank (or
    /// missing) cell is an exact zero marked blank. The cell is recorded as the number's origin
    /// only when asked (the evaluator's fast pass and the reported values do not need origins).
    pub fn cell_num_with(&self, t: u32, r: u32, c: u32, origin: bool) -> Result<Num, String> {
        let Some(e) = self.table(t) else {
            return Err("表不存在".into());
        };
        self.num_in(e, t, r, e.table.rows.get(r as usize), c, origin)
    }

    /// [`DocIndex::cell_num_with`] in table entry `e` (table `t`) and its row `r`, both looked
    /// up already.
    fn num_in(
        &self,
        e: &TableEntry<'d>,
        t: u32,
        r: u32,
        row: Option<&'d Row>,
        c: u32,
        origin: bool,
    ) -> Result<Num, String> {
        let kind = match e.table.unit_of(c as usize) {
            Some(u) => NumKind::Amount(u),
            None => NumKind::Plain,
        };
        let cell = row.and_then(|row| row.cell(c as usize));
        let num = match cell.map(|c| &c.value) {
            None | Some(CellValue::Blank) => Num::blank(kind),
            Some(CellValue::Number(d)) => Num::printed(*d, kind),
            Some(CellValue::Percent(d)) => Num::printed(*d, NumKind::Percent),
            Some(CellValue::Text(s)) => {
                return Err(format!(
                    "{} 第 {} 行 `{}` 的 `{}` 列是文字 `{s}`，不是数值",
                    self.table_name(t),
                    r + 1,
                    self.row_label(t, r),
                    self.column_name(t, c)
                ));
            }
        };
        if origin {
            Ok(num.with_origin(Origin::Cell {
                table: t,
                row: r,
                column: c,
            }))
        } else {
            Ok(num)
        }
    }

    /// [`DocIndex::cell_num_with`] as a [`Quick`] number; `None` where it fails (or the value
    /// cannot be taken that way).
    pub fn cell_quick(&self, t: u32, r: u32, c: u32) -> Option<Quick> {
        let e = self.table(t)?;
        let row = e.table.rows.get(r as usize);
        quick_in(e, row, c)
    }

    /// [`DocIndex::row_num_with`] as a [`Quick`] number; `None` where it fails (or the value
    /// cannot be taken that way).
    pub fn row_quick(&self, t: u32, r: u32) -> Option<Quick> {
        let e = self.table(t)?;
        let row = e.table.rows.get(r as usize)?;
        let c = u32::try_from(row.primary_cell()?.column).ok()?;
        quick_in(e, Some(row), c)
    }

    /// The row's primary amount: its first non-blank number cell, else its first cell.
    pub fn row_num(&self, t: u32, r: u32) -> Result<Num, String> {
        self.row_num_with(t, r, true)
    }

    /// [`DocIndex::row_num`] with the origin only when asked.
    pub fn row_num_with(&self, t: u32, r: u32, origin: bool) -> Result<Num, String> {
        let Some((e, row)) = self
            .table(t)
            .and_then(|e| e.table.rows.get(r as usize).map(|row| (e, row)))
        else {
            return Err("行不存在".into());
        };
        match row.primary_cell() {
            Some(cell) => {
                let c = u32::try_from(cell.column).unwrap_or(u32::MAX);
                self.num_in(e, t, r, Some(row), c, origin)
            }
            None => Err(format!(
                "{} 的 `{}` 行没有数值单元格",
                self.table_name(t),
                row.label
            )),
        }
    }

    /// Rows whose cells a column covers when used as numbers: the detail rows (leaves, totals
    /// excluded) that have a cell in that column's side of the table.
    pub fn column_rows(&self, t: u32, c: u32) -> Vec<u32> {
        let Some(e) = self.table(t) else {
            return Vec::new();
        };
        let group = e
            .table
            .columns
            .get(c as usize)
            .and_then(|c| c.group.as_ref());
        e.detail()
            .iter()
            .copied()
            .filter(|r| match (group, e.table.rows.get(*r as usize)) {
                (Some(g), Some(row)) => row.group.as_ref().is_none_or(|rg| rg == g),
                _ => true,
            })
            .collect()
    }

    pub fn section(&self, s: u32) -> Option<&SectionEntry<'d>> {
        self.sections.get(s as usize)
    }

    /// Every paragraph of the narrative, normalised for matching (built on first use).
    pub fn narrative(&self) -> &[NormParagraph<'d>] {
        self.narrative.get_or_init(|| {
            let n = self
                .sections
                .iter()
                .map(|s| s.section.paragraphs.len())
                .sum();
            let mut out = Vec::with_capacity(n);
            for (i, s) in self.sections.iter().enumerate() {
                let Ok(i) = u32::try_from(i) else { break };
                for p in &s.section.paragraphs {
                    out.push(normalize_paragraph(i, p));
                }
            }
            out
        })
    }

    /// The squashed text of section `s` (`build` makes it, once per document).
    pub fn squashed_section(&self, s: u32, build: impl FnOnce() -> String) -> Rc<str> {
        if let Some((_, text)) = self.squashed.borrow().iter().find(|(k, _)| *k == s) {
            return Rc::clone(text);
        }
        let text: Rc<str> = Rc::from(build());
        self.squashed.borrow_mut().push((s, Rc::clone(&text)));
        text
    }

    /// Where the narrative states amounts for names (built on first use).
    pub fn statement_index(&self) -> &StatementIndex {
        self.statements
            .get_or_init(|| StatementIndex::new(self.narrative()))
    }

    /// The normalised paragraphs of section `s` and its subsections (all when `None`).
    pub fn paragraphs_in(&self, scope: Option<u32>) -> &[NormParagraph<'d>] {
        self.narrative()
            .get(self.paragraph_range(scope))
            .unwrap_or(&[])
    }

    /// Where [`DocIndex::paragraphs_in`] stand in [`DocIndex::narrative`].
    pub fn paragraph_range(&self, scope: Option<u32>) -> Range<usize> {
        let all = self.narrative();
        match scope.and_then(|s| self.section(s).map(|e| (s, e.end))) {
            None => 0..all.len(),
            Some((start, end)) => {
                let a = all.partition_point(|p| p.section < start);
                let b = all.partition_point(|p| p.section < end);
                a..b.max(a)
            }
        }
    }

    /// The paragraphs of the narrative by the bits of their char masks (built on first use).
    pub fn para_sets(&self) -> &ParaSets {
        self.para_sets
            .get_or_init(|| ParaSets::new(self.narrative()))
    }

    /// Every match of `matcher` in the paragraphs of `scope` (see [`MatchMemo::find`]), the
    /// paragraphs indexed as in [`DocIndex::paragraphs_in`].
    pub fn find_matches(&self, matcher: &Arc<Matcher>, scope: Option<u32>) -> Found {
        let range = self.paragraph_range(scope);
        self.matches
            .find(matcher, scope, self.narrative(), range, self.para_sets())
    }
}

/// What [`DocIndex::num_in`] makes of column `c` of `row` in `e`, as a [`Quick`] number.
fn quick_in(e: &TableEntry<'_>, row: Option<&Row>, c: u32) -> Option<Quick> {
    let kind = match e.table.unit_of(c as usize) {
        Some(u) => NumKind::Amount(u),
        None => NumKind::Plain,
    };
    match row.and_then(|row| row.cell(c as usize)).map(|c| &c.value) {
        None | Some(CellValue::Blank) => Some(Quick::zero(kind)),
        Some(CellValue::Number(d)) => Quick::printed(*d, kind),
        Some(CellValue::Percent(d)) => Quick::printed(*d, NumKind::Percent),
        Some(CellValue::Text(_)) => None,
    }
}

/// Paragraphs of the given texts, for tests (normalise them with [`normalize_paragraph`]).
#[cfg(test)]
pub fn test_paragraphs(texts: &[&str]) -> Vec<Paragraph> {
    texts
        .iter()
        .map(|t| Paragraph {
            text: (*t).to_string(),
            ..Paragraph::default()
        })
        .collect()
}

/// Removes whitespace and unifies widths (remembering each char's byte range on demand:
/// [`NormParagraph::offset`]).
pub fn normalize_paragraph(section: u32, p: &Paragraph) -> NormParagraph<'_> {
    // At most one char per byte: the byte length bounds the count without a pass to count
    // them (the buffer lives for one check).
    let mut chars = Vec::with_capacity(p.text.len());
    // The masks in the same pass: [`char_mask`] and [`add_pair`] share the product
    // `c × 0x9E37_79B1` (of a char, and of the first char of each pair); the char mask is kept
    // as two 64-bit halves (a 128-bit shift by a variable costs more).
    let mut halves = [0u64; 2];
    let mut pairs: PairMask = [0; 16];
    // Sets the char's bit and gives its product.
    let mut mark = |h: char| {
        let a = (h as u32).wrapping_mul(0x9E37_79B1);
        let bit = a >> 25;
        if let Some(half) = halves.get_mut((bit >> 6) as usize) {
            *half |= 1u64 << (bit & 63);
        }
        a
    };
    // Plain `next` calls on the chars (a `filter_map` adapter may be compiled as a fold per
    // char, costing more than the work).
    let mut text = p.text.chars();
    let first = loop {
        match text.next() {
            Some(c) => {
                if let Some(h) = normalized(c) {
                    break Some(h);
                }
            }
            None => break None,
        }
    };
    let mut direction = Vec::new();
    let mut marks_doubled = false;
    if let Some(first) = first {
        chars.push(first);
        // The filters of the places where a direction word can start, applied to the char
        // and pair hashes of the masks.
        let filter = DirectionFilter::get();
        let mark_pairs: &PairMask = &MARK_PAIRS;
        // The product of the char before.
        let mut prev = mark(first);
        for c in text {
            let Some(h) = normalized(c) else { continue };
            let pair = prev ^ (h as u32).wrapping_mul(0x85EB_CA77);
            let pb = pair >> 22;
            if let Some(word) = pairs.get_mut((pb >> 6) as usize) {
                *word |= 1u64 << (pb & 63);
            }
            chars.push(h);
            // Whether this char and the one before are two sentence marks.
            if mark_pairs
                .get((pb >> 6) as usize)
                .is_some_and(|w| w & (1u64 << (pb & 63)) != 0)
                && is_mark(h)
                && chars.get(chars.len() - 2).is_some_and(|c| is_mark(*c))
            {
                marks_doubled = true;
            }
            // Whether a direction word starts at the char before.
            if filter.first(prev) && filter.pair(pair) {
                let j = chars.len() - 2;
                if direction_starts_at(&chars, j) {
                    direction.push(j);
                }
            }
            prev = mark(h);
        }
        // The last char (a word of one char could start there).
        if filter.first(prev) && direction_starts_at(&chars, chars.len() - 1) {
            direction.push(chars.len() - 1);
        }
    }
    let [lo, hi] = halves;
    NormParagraph {
        section,
        paragraph: p,
        chars,
        offsets: OnceCell::new(),
        mask: (u128::from(hi) << 64) | u128::from(lo),
        pairs,
        direction,
        marks_doubled,
    }
}

/// A char of a paragraph as matched: none for whitespace, full-width forms half-width.
#[inline]
fn normalized(c: char) -> Option<char> {
    // CJK ideographs and printable ASCII are neither whitespace nor full-width forms; nor are
    // full-width forms whitespace (only the ideographic space is, which `half_width` turns
    // into a space).
    if matches!(c, '\u{4E00}'..='\u{9FFF}') || c.is_ascii_graphic() {
        Some(c)
    } else if matches!(c, '\u{FF01}'..='\u{FF5E}') {
        Some(half_width(c))
    } else if c.is_whitespace() {
        None
    } else {
        Some(half_width(c))
    }
}

/// Full-width ASCII forms to half-width (as [`shenhe_model::normalize_width`] does), one char.
pub fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_paragraphs_keep_source_byte_ranges() {
        let p = Paragraph {
            text: "占 ８２．９３％，\n共计".into(),
            ..Paragraph::default()
        };
        let n = normalize_paragraph(0, &p);
        assert_eq!(n.chars.iter().collect::<String>(), "占82.93%,共计");
        // Full-width chars keep their own (3-byte) ranges in the source text.
        let ranges: Vec<&str> = (0..n.chars.len())
            .map(|k| {
                p.text
                    .get(n.offset(k).unwrap() as usize..n.end_of(k).unwrap() as usize)
                    .unwrap()
            })
            .collect();
        assert_eq!(
            ranges,
            ["占", "８", "２", "．", "９", "３", "％", "，", "共", "计"]
        );
        assert!(n.chars.iter().all(|c| n.mask & char_mask(*c) != 0));
        assert!(n.direction.is_empty());
        for w in n.chars.windows(2) {
            let mut one = [0; 16];
            add_pair(&mut one, w[0], w[1]);
            assert!(pairs_cover(&n.pairs, &one), "{w:?}");
        }
    }

    /// The definition the byte-level [`normalize_paragraph`] keeps: every char of the text,
    /// whitespace dropped, widths unified.
    #[test]
    fn normalised_as_the_chars_say() {
        for text in [
            "占 ８２．９３％，\n共计\u{3000}元",
            "é·ü\u{a0}x\u{2003}y\u{85}z\u{b}\u{c}\r\t\u{7f}\u{0}",
            "𠀀😀丂\u{FF5E}\u{FF5F}\u{FF00}﹒【】“”",
            "",
            "   ",
        ] {
            let p = Paragraph {
                text: text.into(),
                ..Paragraph::default()
            };
            let n = normalize_paragraph(3, &p);
            let (want, at): (Vec<char>, Vec<u32>) = text
                .char_indices()
                .filter(|(_, c)| !c.is_whitespace())
                .map(|(i, c)| (half_width(c), i as u32))
                .unzip();
            assert_eq!(n.chars, want, "{text:?}");
            let offsets: Vec<u32> = (0..want.len()).map(|k| n.offset(k).unwrap()).collect();
            assert_eq!(offsets, at, "{text:?}");
            assert_eq!(n.offset(want.len()), None);
            assert_eq!(n.mask, want.iter().fold(0, |m, c| m | char_mask(*c)));
        }
    }

    /// The normaliser finds the places where a direction word can start as the patterns'
    /// scan defines them.
    #[test]
    fn direction_starts_as_the_scan_defines_them() {
        for text in [
            "增加5万元，比上年增加",
            "增",
            "加",
            "上升下降增长12%,减少-3.5万元。",
            "无变化无变化。持平1个",
            "上年下降1.5个百分点,大于等于2,小于3。",
            "下属单位小计等大事,上下大小无等持",
            "增 加 ５ 万元，下\n降",
            "",
        ] {
            let p = Paragraph {
                text: text.into(),
                ..Paragraph::default()
            };
            let n = normalize_paragraph(0, &p);
            assert_eq!(
                n.direction,
                crate::pattern::Starts::Direction.positions(&n.chars),
                "{text}"
            );
        }
    }

    /// Names as tables and narratives print them: full-width digits and spaces, brackets,
    /// quotes, ordinals, tabs.
    const NAMES: [&str; 10] = [
        "一般公共服务支出",
        "“三公”经费",
        "（一）人员经费",
        "合 计",
        "２０１０１",
        "【30201】办公费",
        "收入\u{3000}总计",
        "a\tb",
        "因公出国(境)费",
        "",
    ];

    #[test]
    fn keys_copied_or_normalised_alike() {
        for s in NAMES {
            assert_eq!(key_cow(s), name_key(s), "{s}");
            assert!(key_eq(s, &name_key(s)), "{s}");
            let n = NameKey::new(s);
            assert_eq!(n.key(), name_key(s), "{s}");
            assert_eq!(n.stripped(), name_key(strip_ordinal(&name_key(s))), "{s}");
        }
        for s in [
            "收入.项目",
            "a/b.c",
            "1.合计",
            "（二）基本支出",
            "十、卫生健康",
            "二十一、粮油",
            "合计",
        ] {
            let n = NameKey::new(s);
            assert_eq!(n.stripped(), name_key(strip_ordinal(&name_key(s))), "{s}");
            assert_eq!(n.joined(), n.key().replace(['.', '/'], ""), "{s}");
        }
        // `set` keys a code (taken as its own key) and any other name as `new` does.
        let mut k = NameKey::new("（一）工资");
        for s in [
            "2010101",
            "",
            "30101",
            "一、收入",
            "201",
            "2010101 ",
            "1.合计",
        ] {
            k.set(s);
            assert_eq!(k, NameKey::new(s), "{s}");
        }
    }

    #[test]
    fn tables_by_role_lists_as_the_tables_say() {
        let profiles = Profiles::bundled();
        let roles = RoleIndex::new(&profiles);
        let mut doc = Document::default();
        for title in [
            "部门收支总体情况表",
            "部门收入总体情况表",
            "没有角色的表",
            "部门收支总体情况表",
            "财政拨款支出表",
            "",
            "部门收入总体情况表",
        ] {
            doc.tables.push(Table {
                title: title.into(),
                ..Table::default()
            });
        }
        let ix = DocIndex::with_roles(&doc, &profiles, &roles);
        // By the role's id as by its key (a compiled rule looks roles up by id).
        let with_roles: Vec<_> = ix.tables.iter().filter_map(|e| e.role_def).collect();
        assert!(with_roles.len() >= 5, "{}", with_roles.len());
        for r in with_roles {
            assert_eq!(
                ix.tables_with_role_id(r.id),
                ix.find_tables(|e| e.has_role(&r.key)).as_slice(),
                "{}",
                r.key
            );
        }
        assert_eq!(ix.tables_with_role_id(u32::MAX), &[] as &[u32]);
    }
}
