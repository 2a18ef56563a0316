//! One module per subcommand.

pub mod check;
pub mod eval;
pub mod extract;
pub mod mutate;
pub mod rules;
pub mod test;
