//! Rule test cases, shared by the workspace's corpus harness and `shenhe test`.
//!
//! A case is a small disclosure (extracted text) with a TOML header in `#` lines saying which
//! rules run and what they must find, closed by a `# -----` line:
//!
//! ```text
//! # description = "收支总表不平"
//! # rules  = ["BN-001"]
//! # expect = "fail"            # pass | fail | not_applicable
//! # [[finding]]                # optional, checked hard
//! # table = "收支总表"
//! # row   = "收入总计"
//! # -----
//! 2024 年部门预算公开情况说明
//! 表一、部门收支总体情况表
//! …
//! ```
//!
//! This module parses cases, runs them against a [`RuleSet`] (the document is read by a
//! function the caller passes in, so the evaluator never depends on ingest), checks the
//! header's expectations, renders the report for snapshots, and checks that every rule has a
//! passing and a failing case.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use shenhe_model::{Document, name_key};

use crate::finding::Finding;
use crate::report::{Outcome, Report};
use crate::ruleset::{RuleInfo, RuleSet};

/// The line that ends a case's header.
pub const SEPARATOR: &str = "# -----";

/// What the listed rules must do on the case's document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// Every listed rule runs and passes (not "not applicable", not an error).
    Pass,
    /// The listed rules find at least one problem, and none of them errs.
    Fail,
    /// Every listed rule is not applicable to the document.
    NotApplicable,
}

/// One finding the case requires. Every field given must match the same finding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFinding {
    /// Rule id (default: the case's only rule).
    pub rule: Option<String>,
    /// A fragment of the display name of some location's table (`表三`, `支出总体`).
    pub table: Option<String>,
    /// Some location's row label (compared by name, ordinal prefix ignored).
    pub row: Option<String>,
    /// A fragment of some location's column path.
    pub column: Option<String>,
    /// A fragment of some location's narrative text.
    pub text: Option<String>,
    /// A fragment of the finding's message.
    pub message: Option<String>,
    /// The left value as printed (`721.07万元`).
    pub left: Option<String>,
    /// The right value as printed.
    pub right: Option<String>,
}

/// The header of a case.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// What the case is about, for people.
    #[serde(default)]
    pub description: Option<String>,
    /// The rules that run (default: the name of the case's folder).
    #[serde(default)]
    pub rules: Vec<String>,
    pub expect: Expect,
    /// Exact number of findings, when given.
    #[serde(default)]
    pub findings: Option<usize>,
    #[serde(default, rename = "finding")]
    pub expected: Vec<ExpectedFinding>,
}

/// A parsed case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// The case's name (its path relative to the cases folder, `/`-separated).
    pub name: String,
    pub header: Header,
    /// The document: the case text with the header lines blanked, so that line numbers in
    /// reports are the case file's own.
    pub body: String,
}

/// A case file that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseError {
    pub name: String,
    pub message: String,
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}：{}", self.name, self.message)
    }
}

impl std::error::Error for CaseError {}

impl Case {
    /// Parses a case. `folder` is the name of the folder the case is in (the default rule).
    pub fn parse(name: &str, folder: Option<&str>, text: &str) -> Result<Case, CaseError> {
        let err = |message: String| CaseError {
            name: name.to_string(),
            message,
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut header = String::new();
        let mut body = String::new();
        let mut in_header = true;
        for line in text.split_inclusive('\n') {
            if in_header {
                let trimmed = line.trim_end();
                if trimmed == SEPARATOR || trimmed.starts_with("# -----") {
                    in_header = false;
                    body.push('\n');
                    continue;
                }
                let Some(rest) = trimmed.strip_prefix('#') else {
                    return Err(err(format!(
                        "说明头第 {} 行不以 `#` 开头；说明头须以一行 `{SEPARATOR}` 结束",
                        body.matches('\n').count() + 1
                    )));
                };
                header.push_str(rest.strip_prefix(' ').unwrap_or(rest));
                header.push('\n');
                body.push('\n');
            } else {
                body.push_str(line);
            }
        }
        if in_header {
            return Err(err(format!("没有找到结束说明头的 `{SEPARATOR}` 行")));
        }
        let mut header: Header =
            toml::from_str(&header).map_err(|e| err(format!("说明头不是有效的 TOML：{e}")))?;
        if header.rules.is_empty() {
            match folder {
                Some(f) if !f.is_empty() => header.rules.push(f.to_string()),
                _ => return Err(err("说明头没有 `rules`，也无法从目录名推知规则".into())),
            }
        }
        Ok(Case {
            name: name.to_string(),
            header,
            body,
        })
    }

    /// The case's file name (the last part of its name).
    pub fn file_name(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }

    /// `pass` or `fail` from the file name (`pass-…`, `fail-…`), if it has one.
    pub fn named_expectation(&self) -> Option<&'static str> {
        let file = self.file_name();
        if file.starts_with("pass-") {
            Some("pass")
        } else if file.starts_with("fail-") {
            Some("fail")
        } else {
            None
        }
    }
}

/// The outcome of running one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseRun {
    /// The report restricted to the case's rules.
    pub report: Report,
    /// Every expectation that did not hold, in Chinese; empty when the case passes.
    pub problems: Vec<String>,
}

impl CaseRun {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Reads a document: (source name, text) → document, or why it cannot be read.
pub type ReadDoc<'a> = &'a dyn Fn(&str, &str) -> Result<Document, String>;

/// Runs a case: reads its document, checks it with `rules`, keeps the case's rules only and
/// checks the header's expectations.
pub fn run(rules: &RuleSet, case: &Case, read: ReadDoc<'_>) -> Result<CaseRun, CaseError> {
    let doc = read(case.file_name(), &case.body).map_err(|message| CaseError {
        name: case.name.clone(),
        message: format!("无法读取文档：{message}"),
    })?;
    let full = rules.check(&doc);
    let report = restrict(&doc, full, &case.header.rules);
    let mut problems = Vec::new();
    let known: BTreeSet<String> = rules.rules().into_iter().map(|r| r.id).collect();
    for id in &case.header.rules {
        if !known.contains(id) {
            problems.push(format!("规则包中没有规则 `{id}`"));
        }
    }
    check_expect(&case.header, &report, &mut problems);
    if let Some(n) = case.header.findings
        && report.findings.len() != n
    {
        problems.push(format!(
            "应有 {n} 处发现，实际 {} 处",
            report.findings.len()
        ));
    }
    let mut used = vec![false; report.findings.len()];
    for (i, want) in case.header.expected.iter().enumerate() {
        let default_rule = match case.header.rules.as_slice() {
            [one] => Some(one.as_str()),
            _ => None,
        };
        let hit = report.findings.iter().enumerate().find(|(j, f)| {
            !used.get(*j).copied().unwrap_or(true) && matches(want, default_rule, f)
        });
        match hit {
            Some((j, _)) => {
                if let Some(u) = used.get_mut(j) {
                    *u = true;
                }
            }
            None => problems.push(format!(
                "第 {} 个 [[finding]] 没有对应的发现：{}",
                i + 1,
                describe(want)
            )),
        }
    }
    Ok(CaseRun { report, problems })
}

fn check_expect(header: &Header, report: &Report, problems: &mut Vec<String>) {
    for o in &report.outcomes {
        let why = o
            .reason
            .as_ref()
            .map(|r| format!("（{r}）"))
            .unwrap_or_default();
        match header.expect {
            Expect::Pass if o.outcome != Outcome::Pass => problems.push(format!(
                "规则 {} 应当通过，实际{}{why}",
                o.rule_id,
                o.outcome.name()
            )),
            Expect::NotApplicable if o.outcome != Outcome::NotApplicable => problems.push(format!(
                "规则 {} 应当不适用，实际{}{why}",
                o.rule_id,
                o.outcome.name()
            )),
            Expect::Fail if o.outcome == Outcome::Error => {
                problems.push(format!("规则 {} 求值出错{why}", o.rule_id))
            }
            _ => {}
        }
    }
    if header.expect == Expect::Fail && report.findings.is_empty() {
        problems.push(format!(
            "规则 {} 应当有发现，实际没有",
            header.rules.join("、")
        ));
    }
}

fn contains_key(hay: &str, needle: &str) -> bool {
    name_key(hay).contains(&name_key(needle))
}

fn matches(want: &ExpectedFinding, default_rule: Option<&str>, f: &Finding) -> bool {
    let rule_ok = match want.rule.as_deref().or(default_rule) {
        Some(r) => f.rule_id == r,
        None => true,
    };
    let any_loc = |pick: &dyn Fn(&crate::finding::Location) -> Option<&String>, want: &str| {
        f.locations
            .iter()
            .any(|l| pick(l).is_some_and(|v| contains_key(v, want)))
    };
    let row_ok = want.row.as_deref().is_none_or(|w| {
        f.locations.iter().any(|l| {
            l.row.as_deref().is_some_and(|r| {
                let strip = |s: &str| {
                    shenhe_model::Row {
                        label: s.to_string(),
                        ..shenhe_model::Row::default()
                    }
                    .name_key()
                };
                strip(r) == strip(w) || name_key(r) == name_key(w)
            })
        })
    });
    let value_ok = |side: Option<&String>, v: Option<&str>| match (side, v) {
        (_, None) => true,
        (Some(p), Some(w)) => name_key(p) == name_key(w),
        (None, Some(_)) => false,
    };
    rule_ok
        && row_ok
        && want
            .table
            .as_deref()
            .is_none_or(|w| any_loc(&|l| l.table.as_ref(), w))
        && want
            .column
            .as_deref()
            .is_none_or(|w| any_loc(&|l| l.column.as_ref(), w))
        && want
            .text
            .as_deref()
            .is_none_or(|w| any_loc(&|l| l.text.as_ref(), w))
        && want
            .message
            .as_deref()
            .is_none_or(|w| contains_key(&f.message, w))
        && value_ok(
            f.values.as_ref().map(|v| &v.left.printed),
            want.left.as_deref(),
        )
        && value_ok(
            f.values.as_ref().map(|v| &v.right.printed),
            want.right.as_deref(),
        )
}

fn describe(want: &ExpectedFinding) -> String {
    let fields = [
        ("rule", &want.rule),
        ("table", &want.table),
        ("row", &want.row),
        ("column", &want.column),
        ("text", &want.text),
        ("message", &want.message),
        ("left", &want.left),
        ("right", &want.right),
    ];
    fields
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} = \"{v}\"")))
        .collect::<Vec<_>>()
        .join("，")
}

/// The report with only the findings, outcomes and errors of `ids`.
pub fn restrict(doc: &Document, report: Report, ids: &[String]) -> Report {
    let keep = |id: &str| ids.iter().any(|x| x == id);
    let template = report.document.template.clone();
    Report::new(
        doc,
        template,
        report
            .findings
            .into_iter()
            .filter(|f| keep(&f.rule_id))
            .collect(),
        report
            .outcomes
            .into_iter()
            .filter(|o| keep(&o.rule_id))
            .collect(),
        report
            .errors
            .into_iter()
            .filter(|e| keep(&e.rule_id))
            .collect(),
    )
}

/// The report as a snapshot or an expected-report file holds it: the terminal text of
/// `shenhe check` (without colour), with excerpts from the case's own text.
pub fn render(case: &Case, report: &Report) -> String {
    crate::render::report_text(case.file_name(), report, Some(&case.body))
}

/// Problems with the set of cases as a whole: a rule without a passing or without a failing
/// case, a case whose file name (`pass-`/`fail-`) contradicts its `expect`, a case for a rule
/// the rule set does not have.
pub fn coverage(rules: &[RuleInfo], cases: &[Case]) -> Vec<String> {
    let mut problems = Vec::new();
    let known: BTreeSet<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    let mut pass: BTreeSet<&str> = BTreeSet::new();
    let mut fail: BTreeSet<&str> = BTreeSet::new();
    for c in cases {
        let named = c.named_expectation();
        let consistent = matches!(
            (named, c.header.expect),
            (Some("pass"), Expect::Pass | Expect::NotApplicable)
                | (Some("fail"), Expect::Fail)
                | (None, _)
        );
        if !consistent {
            problems.push(format!(
                "用例 {} 的文件名与 expect = {:?} 不符（pass-… 须通过或不适用，fail-… 须有发现）",
                c.name, c.header.expect
            ));
        }
        for id in &c.header.rules {
            if !known.contains(id.as_str()) {
                problems.push(format!("用例 {} 引用了不存在的规则 `{id}`", c.name));
            }
            match c.header.expect {
                Expect::Pass => {
                    pass.insert(id);
                }
                Expect::Fail => {
                    fail.insert(id);
                }
                Expect::NotApplicable => {}
            }
        }
    }
    for r in rules {
        if !pass.contains(r.id.as_str()) {
            problems.push(format!("规则 {} 没有通过的用例（pass-*.txt）", r.id));
        }
        if !fail.contains(r.id.as_str()) {
            problems.push(format!("规则 {} 没有发现问题的用例（fail-*.txt）", r.id));
        }
    }
    problems
}

/// Every file under `dir` (recursively) whose name ends with `ext` (`.rule`, `.txt`), sorted.
pub fn files_under(dir: &Path, ext: &str) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(ext))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Whether a text file is a case (its first line is a `#` header line).
pub fn looks_like_case(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.starts_with('#') && text.lines().any(|l| l.trim_end().starts_with("# -----"))
}

/// Loads the cases under `dir`: every `.txt` file that [`looks_like_case`], named by its path
/// relative to `dir`, with its folder's name as the default rule.
pub fn load_cases(dir: &Path) -> Result<Vec<Case>, CaseError> {
    let io = |e: std::io::Error, p: &Path| CaseError {
        name: p.display().to_string(),
        message: format!("无法读取：{e}"),
    };
    let mut cases = Vec::new();
    for path in files_under(dir, ".txt").map_err(|e| io(e, dir))? {
        let text = std::fs::read_to_string(&path).map_err(|e| io(e, &path))?;
        if !looks_like_case(&text) {
            continue;
        }
        let rel = path.strip_prefix(dir).unwrap_or(&path);
        let name = rel.to_string_lossy().replace('\\', "/");
        let folder = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str());
        cases.push(Case::parse(&name, folder, &text)?);
    }
    Ok(cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = "# rules = [\"T-001\"]\n# expect = \"fail\"\n# [[finding]]\n# row = \"合计\"\n# -----\n标题\n";

    #[test]
    fn parses_header_and_blanks_it() {
        let c = Case::parse("T-001/fail-a.txt", Some("T-001"), CASE).unwrap();
        assert_eq!(c.header.expect, Expect::Fail);
        assert_eq!(c.header.expected.len(), 1);
        assert_eq!(c.body, "\n\n\n\n\n标题\n");
        assert_eq!(c.named_expectation(), Some("fail"));
    }

    #[test]
    fn default_rule_is_the_folder() {
        let c = Case::parse(
            "X-002/pass-a.txt",
            Some("X-002"),
            "# expect = \"pass\"\n# -----\n",
        )
        .unwrap();
        assert_eq!(c.header.rules, vec!["X-002".to_string()]);
    }

    #[test]
    fn bad_headers_say_why() {
        let e = Case::parse("a.txt", None, "# expect = \"pass\"\n正文\n").unwrap_err();
        assert!(e.message.contains("#"), "{}", e.message);
        let e = Case::parse("a.txt", None, "# expect = \"maybe\"\n# -----\n").unwrap_err();
        assert!(e.message.contains("TOML"), "{}", e.message);
        let e = Case::parse("a.txt", None, "# expect = \"pass\"\n").unwrap_err();
        assert!(e.message.contains(SEPARATOR), "{}", e.message);
        let e = Case::parse("a.txt", None, "# expect = \"pass\"\n# -----\n").unwrap_err();
        assert!(e.message.contains("rules"), "{}", e.message);
    }

    #[test]
    fn case_detection() {
        assert!(looks_like_case(CASE));
        assert!(!looks_like_case("表一、收支总表\n"));
    }
}
