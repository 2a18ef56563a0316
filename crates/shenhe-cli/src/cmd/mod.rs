//! One module per subcommand.

pub mod extract;
pub mod rules;
pub mod test;
