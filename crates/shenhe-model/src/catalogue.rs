//! The classification catalogue: 支出功能分类 and 部门预算支出经济分类 codes with their names,
//! versioned by year. The data lives in `rules/catalogue/*.tsv`; this module parses it.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use crate::normalize::name_key;
use crate::table::Level;

/// Which classification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scheme {
    /// 支出功能分类 (3/5/7 digits: 类/款/项).
    #[serde(rename = "功能")]
    Functional,
    /// 部门预算支出经济分类 (3/5 digits: 类/款).
    #[serde(rename = "经济")]
    Economic,
    /// 政府预算支出经济分类 (5xx).
    #[serde(rename = "政府经济")]
    GovEconomic,
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Functional => "功能",
            Scheme::Economic => "经济",
            Scheme::GovEconomic => "政府经济",
        }
    }

    fn parse(s: &str) -> Option<Scheme> {
        match s {
            "功能" => Some(Scheme::Functional),
            "经济" => Some(Scheme::Economic),
            "政府经济" => Some(Scheme::GovEconomic),
            _ => None,
        }
    }

    /// The scheme a code belongs to, by its first digit (2 → 功能, 3 → 经济, 5 → 政府经济).
    pub fn of_code(code: &str) -> Option<Scheme> {
        match code.as_bytes().first()? {
            b'2' => Some(Scheme::Functional),
            b'3' => Some(Scheme::Economic),
            b'5' => Some(Scheme::GovEconomic),
            _ => None,
        }
    }
}

/// One code with one name, valid over a span of years.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    pub scheme: Scheme,
    pub code: String,
    pub name: String,
    /// First year the name is valid (inclusive), if bounded.
    pub since: Option<i32>,
    /// Last year the name is valid (inclusive), if bounded.
    pub until: Option<i32>,
}

impl CatalogueEntry {
    /// Whether the entry is valid in `year` (any year when `None`).
    pub fn valid_in(&self, year: Option<i32>) -> bool {
        match year {
            None => self.until.is_none(),
            Some(y) => self.since.is_none_or(|s| s <= y) && self.until.is_none_or(|u| y <= u),
        }
    }

    pub fn level(&self) -> Option<Level> {
        Level::of_code(&self.code)
    }
}

/// A line of the catalogue file that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "分类目录第 {} 行：{}", self.line, self.message)
    }
}

impl std::error::Error for CatalogueError {}

/// The catalogue of classification codes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalogue {
    entries: Vec<CatalogueEntry>,
    by_code: BTreeMap<(Scheme, String), Vec<usize>>,
    by_name: HashMap<String, Vec<usize>, BuildHasherDefault<KeyHasher>>,
}

/// A multiply-rotate hash (the scheme of `rustc-hash`) for the name index. Its keys are fixed
/// by the catalogue text, never by a document, so no input can pile keys into one bucket:
/// SipHash's protection buys nothing here, and a document's names are looked up often.
#[derive(Clone, Copy, Debug, Default)]
struct KeyHasher(u64);

impl KeyHasher {
    const K: u64 = 0xf135_7aea_2e62_a9c5;

    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = self.0.wrapping_add(word).wrapping_mul(Self::K);
    }
}

impl Hasher for KeyHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(<[u8; 8]>::try_from(c).map_or(0, u64::from_le_bytes));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            for (slot, b) in word.iter_mut().zip(rest) {
                *slot = *b;
            }
            // The length keeps `ab` and `ab\0` apart.
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn finish(&self) -> u64 {
        // The product's high bits are the well-mixed ones; the table indexes by the low bits.
        self.0.rotate_left(26)
    }
}

/// The catalogue text bundled with this build (`rules/catalogue/classification.tsv`).
pub const BUNDLED_CATALOGUE: &str = include_str!("../../../rules/catalogue/classification.tsv");

impl Catalogue {
    /// The bundled catalogue. The bundled text is checked by this crate's tests, so the only
    /// way this returns an empty catalogue is a build from a broken tree.
    pub fn bundled() -> Catalogue {
        Catalogue::parse(BUNDLED_CATALOGUE).unwrap_or_default()
    }

    /// Reads a catalogue: tab-separated `scheme code name since until`, `#` comments, blank
    /// lines ignored. `since`/`until` may be empty.
    pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
        let mut cat = Catalogue::default();
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
            let err = |message: String| CatalogueError {
                line: line_no,
                message,
            };
            let (scheme, code, name) = match fields.as_slice() {
                [s, c, n, ..] => (*s, *c, *n),
                _ => return Err(err("需要至少三列：分类、编码、名称".into())),
            };
            let scheme =
                Scheme::parse(scheme).ok_or_else(|| err(format!("未知分类 `{scheme}`")))?;
            if Level::of_code(code).is_none() {
                return Err(err(format!("编码 `{code}` 不是 3、5 或 7 位数字")));
            }
            if name.is_empty() {
                return Err(err("名称为空".into()));
            }
            let year = |idx: usize| -> Result<Option<i32>, CatalogueError> {
                match fields.get(idx).copied().unwrap_or("") {
                    "" => Ok(None),
                    y => y
                        .parse::<i32>()
                        .map(Some)
                        .map_err(|_| err(format!("年份 `{y}` 不是整数"))),
                }
            };
            let entry = CatalogueEntry {
                scheme,
                code: code.to_string(),
                name: name.to_string(),
                since: year(3)?,
                until: year(4)?,
            };
            cat.push(entry);
        }
        Ok(cat)
    }

    fn push(&mut self, entry: CatalogueEntry) {
        let idx = self.entries.len();
        self.by_code
            .entry((entry.scheme, entry.code.clone()))
            .or_default()
            .push(idx);
        self.by_name
            .entry(name_key(&entry.name))
            .or_default()
            .push(idx);
        self.entries.push(entry);
    }

    pub fn entries(&self) -> &[CatalogueEntry] {
        &self.entries
    }

    /// Every entry (all years) for a code.
    pub fn by_code(&self, scheme: Scheme, code: &str) -> Vec<&CatalogueEntry> {
        self.by_code
            .get(&(scheme, code.to_string()))
            .map(|ix| ix.iter().filter_map(|i| self.entries.get(*i)).collect())
            .unwrap_or_default()
    }

    /// The name a code has in `year` (the current name when `year` is `None`).
    pub fn name_in(
        &self,
        scheme: Scheme,
        code: &str,
        year: Option<i32>,
    ) -> Option<&CatalogueEntry> {
        self.by_code(scheme, code)
            .into_iter()
            .find(|e| e.valid_in(year))
    }

    /// Entries whose name matches `name` (after [`name_key`]), any scheme and year.
    pub fn by_name(&self, name: &str) -> Vec<&CatalogueEntry> {
        self.named(name).collect()
    }

    /// [`Catalogue::by_name`] as an iterator (nothing collected), in the same order.
    pub fn named(&self, name: &str) -> impl Iterator<Item = &CatalogueEntry> + Clone + '_ {
        let found = if crate::normalize::is_name_key(name) {
            self.by_name.get(name)
        } else {
            self.by_name.get(&name_key(name))
        };
        found
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|i| self.entries.get(*i))
    }

    /// The parent code (`2010104` → `20101` → `201`), if the code has one.
    pub fn parent_code(code: &str) -> Option<&str> {
        match Level::of_code(code)? {
            Level::Lei => None,
            Level::Kuan => code.get(..3),
            Level::Xiang => code.get(..5),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_catalogue_parses() {
        let cat = Catalogue::parse(BUNDLED_CATALOGUE).unwrap();
        assert!(cat.entries().len() > 200);
        let e = cat.name_in(Scheme::Functional, "210", Some(2024)).unwrap();
        assert_eq!(e.name, "卫生健康支出");
        let old = cat.name_in(Scheme::Functional, "210", Some(2017)).unwrap();
        assert_eq!(old.name, "医疗卫生与计划生育支出");
        assert_eq!(
            cat.name_in(Scheme::Economic, "301", Some(2024))
                .unwrap()
                .name,
            "工资福利支出"
        );
        assert_eq!(
            cat.name_in(Scheme::Functional, "2010104", Some(2024))
                .unwrap()
                .name,
            "人大会议"
        );
    }

    #[test]
    fn parents() {
        assert_eq!(Catalogue::parent_code("2010104"), Some("20101"));
        assert_eq!(Catalogue::parent_code("20101"), Some("201"));
        assert_eq!(Catalogue::parent_code("201"), None);
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let err = Catalogue::parse("# c\n功能\t20\t名\n").unwrap_err();
        assert_eq!(err.line, 2);
        let err = Catalogue::parse("功能\t201\t名\tx\n").unwrap_err();
        assert!(err.message.contains("年份"));
    }
}
