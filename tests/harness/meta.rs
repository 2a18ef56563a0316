//! Meta-tests over the rule pack and its cases.

use std::collections::BTreeSet;

use shenhe_eval::RuleSet;
use shenhe_eval::casetest::{self, Case};

use crate::cases::snapshot_name;
use crate::ruledocs::{self, CATEGORIES};
use crate::{Results, root};

pub fn run(rules: &RuleSet, cases: &[Case], results: &mut Results) {
    results.run("meta::every_rule_has_pass_and_fail_cases", || {
        let problems = casetest::coverage(&rules.rules(), cases);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    });
    results.run("meta::rule_files", rule_files);
    results.run("meta::no_orphan_snapshots", || orphans(cases));
    results.run("meta::docs_rules_up_to_date", docs_up_to_date);
    results.run("meta::warning_codes_documented", warning_codes_documented);
}

/// The reading warnings' codes the ingest source emits (`code: "…".into()` in an
/// `IngestWarning`) are exactly the stable codes docs/model.md lists.
fn warning_codes_documented() -> Result<(), String> {
    fn rs_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                rs_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    rs_files(&root().join("crates/shenhe-ingest/src"), &mut files);
    let mut emitted = BTreeSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let mut rest = text.as_str();
        while let Some(i) = rest.find("IngestWarning {") {
            rest = &rest[i + "IngestWarning {".len()..];
            let body = rest.trim_start();
            if let Some(tail) = body.strip_prefix("code: \"")
                && let Some(end) = tail.find('"')
            {
                emitted.insert(tail[..end].to_string());
            }
        }
    }
    if emitted.is_empty() {
        return Err("no warning codes found in crates/shenhe-ingest/src".into());
    }
    let doc = std::fs::read_to_string(root().join("docs/model.md")).map_err(|e| e.to_string())?;
    let line = doc
        .lines()
        .find(|l| l.starts_with("| `code` | string | stable:"))
        .ok_or("docs/model.md: no line listing the stable warning codes")?;
    let documented: BTreeSet<String> = line
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|c| c.contains('-') || c.chars().all(|ch| ch.is_ascii_lowercase()))
        .filter(|c| *c != "code" && !c.starts_with("meta::"))
        .map(str::to_string)
        .collect();
    let missing: Vec<_> = emitted.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&emitted).collect();
    if missing.is_empty() && stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "docs/model.md warning codes: not documented {missing:?}; documented but never emitted {stale:?}"
        ))
    }
}

/// One rule per file, in a known category folder, file name starting with its id, ids unique,
/// and every rule documented: title, 级别, 类别, 依据, 消息 and `///` text.
fn rule_files() -> Result<(), String> {
    let (rules, mut problems) = ruledocs::load();
    let mut per_file: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut ids = BTreeSet::new();
    for r in &rules {
        *per_file.entry(r.path.as_str()).or_default() += 1;
        let id = &r.rule.id.node;
        if !ids.insert(id.clone()) {
            problems.push(format!("{id}: id used twice"));
        }
        let file = r.path.rsplit('/').next().unwrap_or("");
        if !file.starts_with(&format!("{id}-")) {
            problems.push(format!("{}: file name must start with `{id}-`", r.path));
        }
        if !CATEGORIES.iter().any(|(f, _, _)| *f == r.folder) {
            problems.push(format!(
                "{}: unknown category folder `{}`",
                r.path, r.folder
            ));
        }
        let missing = [
            ("级别", r.rule.severity.is_none()),
            ("类别", r.rule.category.is_none()),
            ("依据", r.rule.basis.is_empty()),
            (
                "消息",
                r.rule.message.is_none() && r.rule.assertions.iter().all(|a| a.message.is_none()),
            ),
            ("/// 说明", r.rule.doc.is_empty()),
        ];
        for (what, absent) in missing {
            if absent {
                problems.push(format!("{id}: no {what}"));
            }
        }
    }
    for (path, n) in per_file {
        if n != 1 {
            problems.push(format!("{path}: {n} rules in one file (one rule per file)"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn orphans(cases: &[Case]) -> Result<(), String> {
    let dir = root().join("tests/snapshots");
    let mut expected: BTreeSet<String> = cases.iter().map(|c| snapshot_name(&c.name)).collect();
    expected.insert("seed__000_69e425832d03fcc4".into());
    expected.extend(crate::pdfs::snapshot_names());
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if let Some(stem) = name.strip_suffix(".snap")
            && !expected.contains(stem)
        {
            orphans.push(name.to_string());
        }
    }
    if orphans.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "snapshots without a case (delete them): {}",
            orphans.join(", ")
        ))
    }
}

fn docs_up_to_date() -> Result<(), String> {
    let (rules, _) = ruledocs::load();
    let files = ruledocs::generate(&rules);
    let update = std::env::var_os("SHENHE_UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for (rel, content) in &files {
        let path = root().join(rel);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == *content {
            continue;
        }
        if update {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            std::fs::write(&path, content).map_err(|e| format!("{rel}: {e}"))?;
        } else {
            stale.push(rel.clone());
        }
    }
    // Pages of categories that no longer have rules.
    let generated: BTreeSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for (folder, _, _) in CATEGORIES {
        let rel = format!("docs/rules/{folder}.md");
        if !generated.contains(rel.as_str()) && root().join(&rel).exists() {
            stale.push(format!("{rel} (no rules left: delete it)"));
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "docs/rules is out of date: {}. Regenerate with `SHENHE_UPDATE_DOCS=1 cargo test -p shenhe-tests --test corpus`.",
            stale.join(", ")
        ))
    }
}
