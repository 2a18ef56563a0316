//! The document model of shenhe.
//!
//! A [`Document`] is what one budget (预算) or final-account (决算) disclosure says, read into
//! typed data: its metadata, the narrative (情况说明) as a tree of numbered [`Section`]s whose
//! paragraphs carry typed [`Fact`]s (amounts, percentages, counts), every [`Table`] with its
//! columns, rows and exact cells, free-standing notes, and the performance-target forms
//! ([`PerformanceForm`]).
//!
//! Every value that came from the source carries a [`Loc`]: line and column in the text the
//! document was read from, and the page where known. Amounts are exact
//! ([`rust_decimal::Decimal`], keeping the decimals as printed, so `169` and `169.00` stay
//! distinguishable) with a [`Unit`]; there is no floating point anywhere in the model.
//!
//! The crate also holds the reference data every other crate shares, parsed from text that
//! lives in the repository's `rules/` folder: the classification [`Catalogue`] (支出功能分类 and
//! 部门预算支出经济分类, versioned by year) and the template [`Profiles`] that give tables their
//! roles. Parsing those is pure; this crate never touches the file system.

mod amount;
mod catalogue;
mod document;
mod loc;
mod narrative;
mod normalize;
mod perf;
mod profile;
mod search;
mod table;

pub use amount::{Amount, AmountError, Unit, decimal_cmp};
pub use catalogue::{Catalogue, CatalogueEntry, CatalogueError, Scheme};
pub use document::{DocKind, Document, IngestWarning, Meta, Note, SCHEMA_VERSION};
pub use loc::Loc;
pub use narrative::{Fact, Measure, Paragraph, Section, TextSegment};
pub use normalize::{is_name_key, key_cow, name_key, normalize_width};
pub use perf::{Goal, Indicator, PerfKind, PerformanceForm};
pub use profile::{PerformanceDefs, Profile, ProfileError, Profiles, RoleDef};
pub use search::{Finder, contains_str};
pub use table::{
    Cell, CellValue, Classification, Column, ColumnKind, Level, Placement, Preparer, Row, RowKind,
    Table, TableNumber, is_ordinal_char, strip_ordinal,
};
