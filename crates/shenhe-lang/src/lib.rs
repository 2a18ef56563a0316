//! The shenhe rules language: grammar, owned AST, diagnostics.

pub mod ast;
mod diagnostic;

pub use diagnostic::{Diagnostic, FileDiagnostics};
