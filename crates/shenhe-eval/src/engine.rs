//! The engine: built-in functions, the classification catalogue and the template profiles;
//! compiles rule files into a [`RuleSet`].

use std::collections::BTreeMap;
use std::sync::Arc;

use shenhe_lang::{Diagnostic, FileDiagnostics};
use shenhe_model::{Catalogue, Document, Profiles};

use crate::catindex::CatalogueIndex;
use crate::compile::{CompiledFile, Lowerer};
use crate::eval::MAX_EVAL_STEPS;
use crate::roles::RoleIndex;
use crate::ruleset::{Evaluated, RuleSet};

/// The rule files bundled with this build (`rules/**/*.rule`): (path, text).
static BUNDLED_RULES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/bundled_rules.rs"));

/// Compiles rule files and evaluates expressions. Configure it with other profiles or another
/// catalogue before compiling.
#[derive(Clone, Debug)]
pub struct Engine {
    profiles: Arc<Profiles>,
    catalogue: Arc<Catalogue>,
    /// The catalogue by code, indexed once.
    codes: Arc<CatalogueIndex>,
    step_limit: u64,
    /// The profiles' roles, normalised once.
    roles: Arc<RoleIndex>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    /// An engine with the bundled catalogue and template profiles.
    pub fn new() -> Engine {
        let profiles = Profiles::bundled();
        let catalogue = Catalogue::bundled();
        Engine {
            roles: Arc::new(RoleIndex::new(&profiles)),
            profiles: Arc::new(profiles),
            codes: Arc::new(CatalogueIndex::new(&catalogue)),
            catalogue: Arc::new(catalogue),
            step_limit: MAX_EVAL_STEPS,
        }
    }

    /// Uses other template profiles (table roles rules may name, template ids for `模板`).
    pub fn with_profiles(mut self, profiles: Profiles) -> Engine {
        self.roles = Arc::new(RoleIndex::new(&profiles));
        self.profiles = Arc::new(profiles);
        self
    }

    /// Uses another classification catalogue (for `目录名称(…)`).
    pub fn with_catalogue(mut self, catalogue: Catalogue) -> Engine {
        self.codes = Arc::new(CatalogueIndex::new(&catalogue));
        self.catalogue = Arc::new(catalogue);
        self
    }

    /// The most expression nodes one rule may evaluate on one document before it stops with an
    /// error (default [`MAX_EVAL_STEPS`]).
    pub fn with_step_limit(mut self, steps: u64) -> Engine {
        self.step_limit = steps;
        self
    }

    pub fn profiles(&self) -> &Profiles {
        &self.profiles
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The bundled rule pack: (path such as `rules/表内/收支.rule`, text).
    pub fn builtin_rules() -> &'static [(&'static str, &'static str)] {
        BUNDLED_RULES
    }

    /// Compiles rule files given as (name, text). Every file is compiled and every problem of
    /// every file reported: syntax errors, unknown functions and names (with suggestions),
    /// wrong numbers of arguments, unknown message placeholders and templates, rule ids used
    /// twice (also across files), a missing version line.
    pub fn compile<N: AsRef<str>, S: AsRef<str>>(
        &self,
        files: &[(N, S)],
    ) -> Result<RuleSet, Vec<FileDiagnostics>> {
        let mut compiled_files = Vec::new();
        let mut rules = Vec::new();
        let mut problems: Vec<(usize, Vec<Diagnostic>)> = Vec::new();
        // First definition of each id: (file index, span).
        let mut ids: BTreeMap<String, (usize, shenhe_lang::ast::Span)> = BTreeMap::new();
        for (fi, (name, source)) in files.iter().enumerate() {
            let (name, source) = (name.as_ref(), source.as_ref());
            let parsed = shenhe_lang::parse(name, source);
            let mut diags = parsed.diagnostics;
            let mut file = CompiledFile::new(name, source);
            let mut lowerer = Lowerer::new(&self.profiles, &self.roles, source);
            file.bindings = lowerer.file_bindings(&parsed.file.bindings);
            for r in &parsed.file.rules {
                let rule = lowerer.rule(fi, r);
                match ids.get(&rule.id) {
                    Some((other, first)) if *other != fi => {
                        let other_name = files
                            .get(*other)
                            .map(|(n, _)| n.as_ref().to_string())
                            .unwrap_or_default();
                        let (line, _) = compiled_files
                            .get(*other)
                            .map(|f: &CompiledFile| f.line_col(first.start))
                            .unwrap_or((0, 0));
                        lowerer.diags.push(
                            Diagnostic::new(
                                "shenhe::eval::duplicate_rule",
                                format!(
                                    "规则编号 `{}` 已在 `{other_name}` 第 {line} 行用过",
                                    rule.id
                                ),
                                r.id.span,
                            )
                            .with_label("重复的规则编号")
                            .with_help("每条规则的编号在整个规则包中必须唯一"),
                        );
                    }
                    Some(_) => {} // same file: the parser reports it
                    None => {
                        ids.insert(rule.id.clone(), (fi, r.id.span));
                    }
                }
                rules.push(rule);
            }
            diags.extend(lowerer.diags);
            diags.sort_by_key(|d| (d.span.start, d.span.end));
            diags.dedup();
            if !diags.is_empty() {
                problems.push((fi, diags));
            }
            compiled_files.push(file);
        }
        if !problems.is_empty() {
            return Err(problems
                .into_iter()
                .filter_map(|(fi, diags)| {
                    let f = compiled_files.get(fi)?;
                    Some(FileDiagnostics::new(&f.name, &f.source, diags))
                })
                .collect());
        }
        Ok(RuleSet {
            profiles: self.profiles.clone(),
            catalogue: self.catalogue.clone(),
            codes: self.codes.clone(),
            files: compiled_files,
            rules,
            step_limit: self.step_limit,
            roles: self.roles.clone(),
        })
    }

    /// Compiles the bundled rule pack.
    pub fn compile_builtin(&self) -> Result<RuleSet, Vec<FileDiagnostics>> {
        self.compile(BUNDLED_RULES)
    }

    /// Parses and evaluates one expression on a document (what `shenhe eval` does). Errors are
    /// diagnostics pointing into `source`.
    pub fn eval_str(&self, doc: &Document, source: &str) -> Result<Evaluated, Vec<Diagnostic>> {
        let expr = shenhe_lang::parse_expr(source)?;
        let empty = RuleSet {
            profiles: self.profiles.clone(),
            catalogue: self.catalogue.clone(),
            codes: self.codes.clone(),
            files: Vec::new(),
            rules: Vec::new(),
            step_limit: self.step_limit,
            roles: self.roles.clone(),
        };
        empty.eval_expr_in(doc, &expr, source)
    }
}
