//! Reading born-digital PDF disclosures directly, in pure Rust.
//!
//! `lopdf` parses the file (cross-reference, objects, filters, encryption); everything after that
//! is ours: [`glyphs`] interprets page content into positioned characters and drawn lines,
//! [`words`] groups characters into words and lines, [`rules`] turns drawn lines into cell grids,
//! [`tables`] rebuilds the tables, and [`narrative`] reads the running text.

pub(crate) mod fonts;
pub(crate) mod glyphs;
pub(crate) mod lexer;
pub(crate) mod objects;
pub(crate) mod rules;
pub(crate) mod words;
