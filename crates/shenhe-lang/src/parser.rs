//! The pest parser generated from `grammar.pest`. Private to the crate: nothing of pest
//! leaves it (the lowering reads `tree.rs`'s tree).

use pest_derive::Parser;

/// Parses rule files and expressions; see `grammar.pest`.
#[derive(Parser)]
#[grammar = "grammar.pest"]
pub(crate) struct RulesParser;
