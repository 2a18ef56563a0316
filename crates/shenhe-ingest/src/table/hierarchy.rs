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

use super::rows::{ordinal, strip_ordinal};

/// Gives rows their classification (printed code or catalogue by name).
pub(crate) fn classify(
    rows: &mut [Row],
    sides: &[usize],
    scheme_hint: Option<Scheme>,
    cat: &Catalogue,
    year: Option<i32>,
) {
    let n_sides = sides.iter().copied().max().map(|m| m + 1).unwrap_or(1);
    // Per side: the codes of the open ancestors, outermost first.
    let mut open: Vec<Vec<String>> = vec![Vec::new(); n_sides];
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
            None => from_name(&row.label, scheme_hint, cat, year, stack),
        };
        if let Some(c) = &class {
            stack.retain(|s| c.code.starts_with(s.as_str()) && s.len() < c.code.len());
            stack.push(c.code.clone());
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
    scheme_hint: Option<Scheme>,
    cat: &Catalogue,
    year: Option<i32>,
    open: &[String],
) -> Option<Classification> {
    let name = strip_ordinal(label);
    if name.is_empty() {
        return None;
    }
    let all = cat.by_name(name);
    if all.is_empty() {
        return None;
    }
    let fits_scheme = |e: &&CatalogueEntry| scheme_hint.is_none_or(|s| e.scheme == s);
    let mut cands: Vec<&CatalogueEntry> = all
        .iter()
        .copied()
        .filter(fits_scheme)
        .filter(|e| e.valid_in(year))
        .collect();
    if cands.is_empty() {
        // An old name (e.g. 医疗卫生与计划生育支出 before 2019) is still recognised.
        cands = all.iter().copied().filter(fits_scheme).collect();
    }
    cands.dedup_by(|a, b| a.code == b.code && a.scheme == b.scheme);
    // Prefer a child of the deepest open ancestor, then of shallower ones, then a 类.
    let mut chosen: Option<&CatalogueEntry> = None;
    for anc in open.iter().rev() {
        let under: Vec<&&CatalogueEntry> = cands
            .iter()
            .filter(|e| Catalogue::parent_code(&e.code) == Some(anc.as_str()))
            .collect();
        if let [only] = under.as_slice() {
            chosen = Some(**only);
            break;
        }
        if under.len() > 1 {
            return None;
        }
    }
    if chosen.is_none() {
        let tops: Vec<&&CatalogueEntry> = cands
            .iter()
            .filter(|e| e.level() == Some(Level::Lei))
            .collect();
        match (tops.as_slice(), cands.as_slice()) {
            ([only], _) => chosen = Some(**only),
            (_, [only]) if open.is_empty() => chosen = Some(*only),
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

/// Sets `parent` links within each side.
pub(crate) fn link(rows: &mut [Row], sides: &[usize], unit_table_dept: Option<&str>) {
    let n = rows.len();
    for i in 0..n {
        let side = sides.get(i).copied().unwrap_or(0);
        let parent = code_parent(rows, sides, i, side)
            .or_else(|| detail_parent(rows, sides, i, side))
            .or_else(|| ordinal_parent(rows, sides, i, side));
        if let Some(row) = rows.get_mut(i) {
            row.parent = parent;
        }
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

fn code_parent(rows: &[Row], sides: &[usize], i: usize, side: usize) -> Option<usize> {
    let code = rows.get(i)?.classification.as_ref()?.code.clone();
    let prefixes: Vec<&str> = match code.len() {
        7 => vec![code.get(..5)?, code.get(..3)?],
        5 => vec![code.get(..3)?],
        _ => return None,
    };
    for p in prefixes {
        let found = (0..i).rev().find(|&j| {
            sides.get(j).copied().unwrap_or(0) == side
                && rows
                    .get(j)
                    .and_then(|r| r.classification.as_ref())
                    .is_some_and(|c| c.code == p)
        });
        if found.is_some() {
            return found;
        }
    }
    None
}

/// `其中：…` rows (and the rows right after them) detail the row above.
fn detail_parent(rows: &[Row], sides: &[usize], i: usize, side: usize) -> Option<usize> {
    let row = rows.get(i)?;
    if row.kind == RowKind::Total || row.classification.is_some() {
        return None;
    }
    let same_side = |j: usize| sides.get(j).copied().unwrap_or(0) == side;
    let prev = (0..i).rev().find(|&j| same_side(j))?;
    let prev_row = rows.get(prev)?;
    if row.label.starts_with("其中") {
        return if prev_row.label.starts_with("其中") {
            prev_row.parent
        } else {
            Some(prev)
        };
    }
    // A row right after a `其中` row, without an ordinal of its own, details the same row.
    if ordinal(&row.label).is_none() && prev_row.label.starts_with("其中") {
        return prev_row.parent;
    }
    if ordinal(&row.label).is_none()
        && prev_row.parent.is_some()
        && rows
            .get(prev_row.parent.unwrap_or(usize::MAX))
            .is_some_and(|p| p.classification.is_none())
        && (0..i)
            .rev()
            .filter(|&j| same_side(j))
            .take_while(|&j| rows.get(j).is_some_and(|r| r.parent.is_some()))
            .any(|j| rows.get(j).is_some_and(|r| r.label.starts_with("其中")))
    {
        return prev_row.parent;
    }
    None
}

/// `（一）` under the nearest `一、` above it; `1.` under the nearest `（一）` or `一、`.
fn ordinal_parent(rows: &[Row], sides: &[usize], i: usize, side: usize) -> Option<usize> {
    let row = rows.get(i)?;
    let (style, _) = ordinal(&row.label)?;
    if style == 0 {
        return None;
    }
    for j in (0..i).rev() {
        if sides.get(j).copied().unwrap_or(0) != side {
            continue;
        }
        let r = rows.get(j)?;
        if r.kind == RowKind::Total {
            return None;
        }
        match ordinal(&r.label) {
            Some((s, _)) if s < style => return Some(j),
            Some((s, _)) if s == style => continue,
            _ => {}
        }
    }
    None
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
        classify(
            &mut rows,
            &sides,
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
        link(&mut rows, &sides, None);
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
        link(&mut rows, &sides, None);
        assert_eq!(
            rows.iter().map(|r| r.parent).collect::<Vec<_>>(),
            vec![None, Some(0), Some(0), Some(0)]
        );
        let mut rows = vec![
            row("一、本年收入", None),
            row("（一）一般公共预算财政拨款", None),
            row("（二）政府性基金预算财政拨款", None),
        ];
        link(&mut rows, &sides, None);
        assert_eq!(rows[2].parent, Some(0));
    }
}
