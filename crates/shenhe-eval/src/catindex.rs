//! The classification catalogue looked up by code without building a key or a list per lookup
//! (`Catalogue::by_code` does both), built once per engine.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use shenhe_model::{Catalogue, CatalogueEntry, Scheme, name_key};

use crate::docindex::char_mask;

/// FNV-1a: codes are a few ASCII digits, hashed on every row a rule looks up; the default
/// (DoS-resistant) hasher costs more than the lookup. The keys are the bundled or the user's
/// own catalogue, not untrusted input.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Entry indices by code (any scheme), in catalogue order; the names valid only up to a year.
#[derive(Debug, Default)]
pub struct CatalogueIndex {
    by_code: HashMap<String, Vec<usize>, BuildHasherDefault<Fnv>>,
    /// Every entry with an `until` and a non-empty name key, in catalogue order.
    dated: Vec<DatedName>,
}

/// A catalogue name valid only up to a year (`until`), keyed for the search in the narrative:
/// which of them are old in a document's year is decided per document by [`CatalogueIndex::old_names`].
#[derive(Debug)]
pub struct DatedName {
    /// The entry's index in the catalogue.
    pub entry: usize,
    until: i32,
    /// The chars of the name's key, and their [`char_mask`].
    pub chars: Vec<char>,
    pub mask: u128,
    /// Every entry bearing the same name key (the entry itself included).
    same_name: Vec<usize>,
}

impl CatalogueIndex {
    pub fn new(cat: &Catalogue) -> CatalogueIndex {
        let mut by_code: HashMap<String, Vec<usize>, BuildHasherDefault<Fnv>> = HashMap::default();
        for (i, e) in cat.entries().iter().enumerate() {
            by_code.entry(e.code.clone()).or_default().push(i);
        }
        let entries = cat.entries();
        let mut dated = Vec::new();
        // The keys of all names, built only when some name is dated.
        let mut keys: Vec<String> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let Some(until) = e.until else { continue };
            if keys.is_empty() {
                keys = entries.iter().map(|x| name_key(&x.name)).collect();
            }
            let Some(key) = keys.get(i) else { continue };
            let chars: Vec<char> = key.chars().collect();
            if chars.is_empty() {
                continue;
            }
            let mask = chars.iter().fold(0u128, |m, c| m | char_mask(*c));
            let same_name = keys
                .iter()
                .enumerate()
                .filter(|(_, k)| *k == key)
                .map(|(j, _)| j)
                .collect();
            dated.push(DatedName {
                entry: i,
                until,
                chars,
                mask,
                same_name,
            });
        }
        CatalogueIndex { by_code, dated }
    }

    /// The names valid only before `year` that no code bears in `year`, in catalogue order,
    /// with their entries (as filtering [`Catalogue::entries`] by `until` and
    /// [`Catalogue::by_name`] gives them).
    pub fn old_names<'s, 'c>(
        &'s self,
        cat: &'c Catalogue,
        year: i32,
    ) -> impl Iterator<Item = (&'c CatalogueEntry, &'s DatedName)> {
        let entries = cat.entries();
        self.dated
            .iter()
            .filter(move |d| d.until < year)
            .filter(move |d| {
                !d.same_name
                    .iter()
                    .filter_map(|j| entries.get(*j))
                    .any(|x| x.valid_in(Some(year)))
            })
            .filter_map(move |d| entries.get(d.entry).map(|e| (e, d)))
    }

    /// Every entry (all years) for a code, as [`Catalogue::by_code`] gives them.
    pub fn by_code<'c>(
        &self,
        cat: &'c Catalogue,
        scheme: Scheme,
        code: &str,
    ) -> impl Iterator<Item = &'c CatalogueEntry> {
        self.by_code_indexed(cat, scheme, code).map(|(_, e)| e)
    }

    /// [`CatalogueIndex::by_code`], each entry with its index in the catalogue.
    pub fn by_code_indexed<'c>(
        &self,
        cat: &'c Catalogue,
        scheme: Scheme,
        code: &str,
    ) -> impl Iterator<Item = (usize, &'c CatalogueEntry)> {
        self.by_code
            .get(code)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .filter_map(|i| cat.entries().get(*i).map(|e| (*i, e)))
            .filter(move |(_, e)| e.scheme == scheme)
    }

    /// The name a code has in `year`, as [`Catalogue::name_in`] gives it.
    pub fn name_in<'c>(
        &self,
        cat: &'c Catalogue,
        scheme: Scheme,
        code: &str,
        year: Option<i32>,
    ) -> Option<&'c CatalogueEntry> {
        self.by_code(cat, scheme, code).find(|e| e.valid_in(year))
    }
}

/// What the catalogue says of a row's code in the document's year (`builtins::codes` finds it),
/// by entry index: `在目录`, `曾用名` and `目录名称` of one row share one lookup.
#[derive(Clone, Copy, Debug, Default)]
pub struct RowEntries {
    /// The code has a level (3, 5 or 7 digits).
    pub leveled: bool,
    /// The first entry of the row's code and scheme valid in the year.
    pub current: Option<usize>,
    /// The first entry of the code not valid in the year that bears the row's name.
    pub old: Option<usize>,
}

/// The [`RowEntries`] of one table's rows, each found on first use; kept with the document
/// index, which one rule set (and so one catalogue) builds.
#[derive(Debug, Default)]
pub struct RowEntriesCache(OnceCell<Vec<OnceCell<RowEntries>>>);

impl RowEntriesCache {
    /// Row `r`'s entries (of a table of `rows` rows), found by `find` the first time.
    pub fn get(&self, rows: usize, r: usize, find: impl FnOnce() -> RowEntries) -> RowEntries {
        let cells = self.0.get_or_init(|| vec![OnceCell::new(); rows]);
        match cells.get(r) {
            Some(cell) => *cell.get_or_init(find),
            None => find(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_agree_with_the_catalogue() {
        let cat = Catalogue::bundled();
        let ix = CatalogueIndex::new(&cat);
        assert!(cat.entries().len() > 100);
        for e in cat.entries() {
            for scheme in [Scheme::Functional, Scheme::Economic, Scheme::GovEconomic] {
                let a: Vec<_> = cat.by_code(scheme, &e.code);
                let b: Vec<_> = ix.by_code(&cat, scheme, &e.code).collect();
                assert_eq!(a, b, "{}", e.code);
                for year in [None, Some(2017), Some(2024)] {
                    assert_eq!(
                        cat.name_in(scheme, &e.code, year),
                        ix.name_in(&cat, scheme, &e.code, year)
                    );
                }
            }
        }
        assert_eq!(ix.by_code(&cat, Scheme::Functional, "999").count(), 0);
    }

    #[test]
    fn row_entries_are_found_once_per_row() {
        let cache = RowEntriesCache::default();
        let mut finds = 0;
        for r in [1, 0, 1, 5, 5] {
            let found = cache.get(2, r, || {
                finds += 1;
                RowEntries {
                    leveled: true,
                    current: Some(r),
                    old: None,
                }
            });
            assert_eq!(found.current, Some(r));
        }
        // Rows 1 and 0 once each; row 5 (past the table) every time.
        assert_eq!(finds, 4);
    }
}
