//! Row classification and parent links.
//!
//! - A printed code gives the classification (`2010104` → 功能, 项) and, through its prefixes,
//!   the parent row (`20101`, else `201`).
//! - A row without a code whose name is in the bundled catalogue gets the classification from
//!   there (`from_catalogue`); a name found under several parents (行政运行) is resolved by the
//!   rows above it (the open 类/款).
//! - `（一）` rows under the `一、` row above them; `其中：` rows under the row they detail.
//! - In a table of units (`单位名称`), the rows after the department's own row are its units.

use shenhe_model::{
    Catalogue, CatalogueEntry, Classification, Level, Row, RowKind, Scheme, name_key,
};

use super::DocMap;
use super::rows::{ordinal, strip_known_ordinal};

/// A classification code kept without allocating when it is short (the codes classifications
/// are given here have 3, 5 or 7 digits); a longer one is kept as a string.
#[derive(Clone, Debug)]
enum Code {
    Short { len: u8, buf: [u8; 7] },
    Long(String),
}

impl Code {
    fn new(code: &str) -> Code {
        let bytes = code.as_bytes();
        let mut buf = [0u8; 7];
        match buf.get_mut(..bytes.len()) {
            Some(head) => {
                head.copy_from_slice(bytes);
                Code::Short {
                    len: bytes.len() as u8,
                    buf,
                }
            }
            None => Code::Long(code.to_string()),
        }
    }

    /// The code's bytes (compared as they are: no UTF-8 check).
    fn bytes(&self) -> &[u8] {
        match self {
            Code::Short { len, buf } => buf.get(..usize::from(*len)).unwrap_or_default(),
            Code::Long(s) => s.as_bytes(),
        }
    }
}

/// The ordinal of every row's label ([`ordinal`]), read once for [`classify`] and [`link`].
pub(crate) fn ordinals(rows: &[Row]) -> Vec<Option<(u8, u32)>> {
    rows.iter().map(|r| ordinal(&r.label)).collect()
}

/// Gives rows their classification (printed code or catalogue by name).
pub(crate) fn classify(
    rows: &mut [Row],
    sides: &[usize],
    ords: &[Option<(u8, u32)>],
    scheme_hint: Option<Scheme>,
    cat: &Catalogue,
    year: Option<i32>,
) {
    let n_sides = sides.iter().copied().max().map(|m| m + 1).unwrap_or(1);
    // Per side: the codes of the open ancestors, outermost first.
    let mut open: Vec<Vec<Code>> = vec![Vec::new(); n_sides];
    for (i, row) in rows.iter_mut().enumerate() {
        let side = sides.get(i).copied().unwrap_or(0);
        let Some(stack) = open.get_mut(side) else {
            continue;
        };
        if row.kind == RowKind::Total {
            continue;
        }
        let class = match &row.code {
            Some(code) => from_code(code),
            None => {
                let has_ordinal = ords.get(i).copied().flatten().is_some();
                from_name(&row.label, has_ordinal, scheme_hint, cat, year, stack)
            }
        };
        if let Some(c) = &class {
            let code = c.code.as_bytes();
            stack.retain(|s| code.starts_with(s.bytes()) && s.bytes().len() < code.len());
            stack.push(Code::new(&c.code));
        }
        row.classification = class;
    }
}

fn from_code(code: &str) -> Option<Classification> {
    Some(Classification {
        scheme: Scheme::of_code(code)?,
        code: code.to_string(),
        level: Level::of_code(code)?,
        from_catalogue: false,
    })
}

fn from_name(
    label: &str,
    has_ordinal: bool,
    scheme_hint: Option<Scheme>,
    cat: &Catalogue,
    year: Option<i32>,
    open: &[Code],
) -> Option<Classification> {
    let name = strip_known_ordinal(label, has_ordinal);
    if name.is_empty() {
        return None;
    }
    let all = cat.named(name);
    // No entry of that name: nothing to classify by.
    all.clone().next()?;
    let fits_scheme = move |e: &&CatalogueEntry| scheme_hint.is_none_or(|s| e.scheme == s);
    // The entries valid in the year; when there are none, all of them: an old name (e.g.
    // 医疗卫生与计划生育支出 before 2019) is still recognised.
    let any_valid = all.clone().filter(fits_scheme).any(|e| e.valid_in(year));
    // The candidates without consecutive repeats of a code (walked again for each question
    // rather than collected: a name has a few entries).
    let cands = || {
        let mut prev: Option<&CatalogueEntry> = None;
        all.clone()
            .filter(fits_scheme)
            .filter(move |e| !any_valid || e.valid_in(year))
            .filter(move |e| {
                let repeat = prev.is_some_and(|p| p.code == e.code && p.scheme == e.scheme);
                prev = Some(*e);
                !repeat
            })
    };
    // Prefer a child of the deepest open ancestor, then of shallower ones, then a 类.
    let mut chosen: Option<&CatalogueEntry> = None;
    for anc in open.iter().rev() {
        let mut under = cands()
            .filter(|e| Catalogue::parent_code(&e.code).map(str::as_bytes) == Some(anc.bytes()));
        match (under.next(), under.next()) {
            (Some(only), None) => {
                chosen = Some(only);
                break;
            }
            (Some(_), Some(_)) => return None,
            _ => {}
        }
    }
    if chosen.is_none() {
        let mut tops = cands().filter(|e| e.level() == Some(Level::Lei));
        let only_top = match (tops.next(), tops.next()) {
            (Some(top), None) => Some(top),
            _ => None,
        };
        let mut all_cands = cands();
        let only = match (all_cands.next(), all_cands.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        };
        match (only_top, only) {
            (Some(top), _) => chosen = Some(top),
            (_, Some(only)) if open.is_empty() => chosen = Some(only),
            _ => {}
        }
    }
    let e = chosen?;
    Some(Classification {
        scheme: e.scheme,
        code: e.code.clone(),
        level: e.level()?,
        from_catalogue: true,
    })
}

/// Sets `parent` links within each side. Linear in the number of rows.
pub(crate) fn link(
    rows: &mut [Row],
    sides: &[usize],
    ords: &[Option<(u8, u32)>],
    unit_table_dept: Option<&str>,
) {
    let n_sides = sides.iter().copied().max().map_or(1, |m| m + 1);
    // The links are found with the rows borrowed (the codes are keyed by the rows' own
    // strings), then written.
    let mut parents: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    {
        // Room for every row's code in each side's map: it is not rehashed as it fills.
        let mut state: Vec<SideState> = (0..n_sides)
            .map(|_| SideState {
                by_code: DocMap::with_capacity_and_hasher(
                    rows.len() / n_sides + 1,
                    Default::default(),
                ),
                ..SideState::default()
            })
            .collect();
        for (i, row) in rows.iter().enumerate() {
            let side = sides.get(i).copied().unwrap_or(0);
            let Some(st) = state.get_mut(side) else {
                parents.push(row.parent);
                continue;
            };
            // The row's ordinal, read once for the three tests below.
            let ord = ords.get(i).copied().flatten();
            let parent = st
                .code_parent(row)
                .or_else(|| st.detail_parent(row, ord))
                .or_else(|| st.ordinal_parent(ord));
            st.note(row, i, parent, ord);
            parents.push(parent);
        }
    }
    for (r, parent) in rows.iter_mut().zip(parents) {
        r.parent = parent;
    }
    if let Some(dept) = unit_table_dept {
        let key = name_key(dept);
        let first = rows
            .iter()
            .position(|r| r.kind == RowKind::Item && r.parent.is_none());
        if let Some(f) = first
            && rows.get(f).is_some_and(|r| name_key(&r.label) == key)
        {
            for row in rows.iter_mut().skip(f + 1) {
                if row.kind == RowKind::Item && row.parent.is_none() {
                    row.parent = Some(f);
                }
            }
        }
    }
}

/// What the rows so far of one side tell the next row.
#[derive(Default)]
struct SideState<'r> {
    /// Latest row of each classification code.
    by_code: DocMap<&'r str, usize>,
    /// Latest row of each ordinal style (`一、`, `（一）`, `1.`) since the last total row.
    by_style: [Option<usize>; 3],
    /// The previous row: index, parent, whether it is a `其中` row or part of a `其中` run, and
    /// whether it is classified.
    prev: Option<(usize, Option<usize>, bool)>,
}

impl<'r> SideState<'r> {
    fn code_parent(&self, row: &Row) -> Option<usize> {
        let code = &row.classification.as_ref()?.code;
        let prefixes: &[usize] = match code.len() {
            7 => &[5, 3],
            5 => &[3],
            _ => return None,
        };
        prefixes
            .iter()
            .find_map(|&k| code.get(..k).and_then(|p| self.by_code.get(p)).copied())
    }

    /// `其中：…` rows (and the rows right after them) detail the row above.
    fn detail_parent(&self, row: &Row, ord: Option<(u8, u32)>) -> Option<usize> {
        if row.kind == RowKind::Total || row.classification.is_some() {
            return None;
        }
        let (prev, prev_parent, prev_in_detail) = self.prev?;
        if row.label.starts_with("其中") {
            return if prev_in_detail {
                prev_parent
            } else {
                Some(prev)
            };
        }
        if ord.is_none() && prev_in_detail {
            return prev_parent;
        }
        None
    }

    /// `（一）` under the nearest `一、` above it; `1.` under the nearest `（一）` or `一、`.
    fn ordinal_parent(&self, ord: Option<(u8, u32)>) -> Option<usize> {
        let (style, _) = ord?;
        (0..style as usize)
            .rev()
            .find_map(|s| self.by_style.get(s).copied().flatten())
    }

    fn note(&mut self, row: &'r Row, i: usize, parent: Option<usize>, ord: Option<(u8, u32)>) {
        if let Some(c) = &row.classification {
            self.by_code.insert(c.code.as_str(), i);
        }
        if row.kind == RowKind::Total {
            self.by_style = [None; 3];
        } else if let Some((style, _)) = ord {
            // A new `一、` closes the `（一）` and `1.` runs under the one before.
            for s in style as usize..3 {
                if let Some(slot) = self.by_style.get_mut(s) {
                    *slot = None;
                }
            }
            if let Some(slot) = self.by_style.get_mut(style as usize) {
                *slot = Some(i);
            }
        }
        let in_detail = row.kind == RowKind::Item
            && row.classification.is_none()
            && (row.label.starts_with("其中")
                || (ord.is_none() && parent.is_some() && self.prev.is_some_and(|(_, _, d)| d)));
        self.prev = Some((i, parent, in_detail));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, code: Option<&str>) -> Row {
        Row {
            label: label.into(),
            code: code.map(str::to_string),
            kind: if label == "总计" {
                RowKind::Total
            } else {
                RowKind::Item
            },
            ..Row::default()
        }
    }

    #[test]
    fn names_resolve_by_context() {
        let cat = Catalogue::bundled();
        let mut rows = vec![
            row("总计", None),
            row("一般公共服务支出", None),
            row("人大事务", None),
            row("行政运行", None),
            row("人大会议", None),
            row("社会保障和就业支出", None),
            row("行政事业单位养老支出", None),
            row("机关事业单位基本养老保险缴费支出", None),
        ];
        let sides = vec![0; rows.len()];
        let ords = ordinals(&rows);
        classify(
            &mut rows,
            &sides,
            &ords,
            Some(Scheme::Functional),
            &cat,
            Some(2024),
        );
        let codes: Vec<Option<&str>> = rows
            .iter()
            .map(|r| r.classification.as_ref().map(|c| c.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                None,
                Some("201"),
                Some("20101"),
                Some("2010101"),
                Some("2010104"),
                Some("208"),
                Some("20805"),
                Some("2080505")
            ]
        );
        let ords = ordinals(&rows);
        link(&mut rows, &sides, &ords, None);
        let parents: Vec<Option<usize>> = rows.iter().map(|r| r.parent).collect();
        assert_eq!(
            parents,
            vec![
                None,
                None,
                Some(1),
                Some(2),
                Some(2),
                None,
                Some(5),
                Some(6)
            ]
        );
    }

    #[test]
    fn details_and_ordinals() {
        let mut rows = vec![
            row("年度资金总额", None),
            row("其中当年财政拨款", None),
            row("上年结转资金", None),
            row("其他资金", None),
        ];
        let sides = vec![0; 4];
        let ords = ordinals(&rows);
        link(&mut rows, &sides, &ords, None);
        assert_eq!(
            rows.iter().map(|r| r.parent).collect::<Vec<_>>(),
            vec![None, Some(0), Some(0), Some(0)]
        );
        let mut rows = vec![
            row("一、本年收入", None),
            row("（一）一般公共预算财政拨款", None),
            row("（二）政府性基金预算财政拨款", None),
        ];
        let ords = ordinals(&rows);
        link(&mut rows, &sides, &ords, None);
        assert_eq!(rows[2].parent, Some(0));
    }
}
