//! The classification catalogue looked up by code without building a key or a list per lookup
//! (`Catalogue::by_code` does both), built once per engine.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use shenhe_model::{Catalogue, CatalogueEntry, Scheme};

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

/// Entry indices by code (any scheme), in catalogue order.
#[derive(Debug, Default)]
pub struct CatalogueIndex {
    by_code: HashMap<String, Vec<usize>, BuildHasherDefault<Fnv>>,
}

impl CatalogueIndex {
    pub fn new(cat: &Catalogue) -> CatalogueIndex {
        let mut by_code: HashMap<String, Vec<usize>, BuildHasherDefault<Fnv>> = HashMap::default();
        for (i, e) in cat.entries().iter().enumerate() {
            by_code.entry(e.code.clone()).or_default().push(i);
        }
        CatalogueIndex { by_code }
    }

    /// Every entry (all years) for a code, as [`Catalogue::by_code`] gives them.
    pub fn by_code<'c>(
        &self,
        cat: &'c Catalogue,
        scheme: Scheme,
        code: &str,
    ) -> impl Iterator<Item = &'c CatalogueEntry> {
        self.by_code
            .get(code)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .filter_map(|i| cat.entries().get(*i))
            .filter(move |e| e.scheme == scheme)
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
}
