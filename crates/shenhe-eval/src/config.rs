//! `shenhe.toml`: which rules run, with which severity, for which template, and the waivers
//! (accepted findings). Parsed from text (the caller reads the file); every problem of the file
//! is reported at once, in Chinese, with its line and column.
//!
//! ```toml
//! [rules]
//! disable = ["WD-003", "措辞"]        # rule ids or categories
//! enable = []                         # when not empty: only these run
//! template = "上海-预算-9表"           # use this template profile for every document
//!
//! [severity]
//! "YS-010" = "提示"                   # by rule id or by category
//!
//! [[waiver]]
//! rule = "YS-001"
//! location = "左:表三 部门支出总体情况表/总计/基本支出"
//! fingerprint = "9f86d081884c7d65"
//! reason = "财政部门已确认为印刷错误"
//! author = "张三"
//! expires = 2026-12-31
//! document = "某部门2024年预算.pdf"     # optional: only this document
//! ```

use std::collections::BTreeMap;
use std::fmt;

use shenhe_lang::ast;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::finding::Severity;
use crate::ruleset::{RuleInfo, RuleSet};
use crate::suggest::suggest;

/// A calendar date (for waiver expiry).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// `2026-12-31`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let y = parts.next()?;
        let m = parts.next()?;
        let d = parts.next()?;
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// The civil date of a number of days since 1970-01-01 (proleptic Gregorian calendar).
    pub fn from_days_since_epoch(days: i64) -> Date {
        // Howard Hinnant's `civil_from_days`.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// The date at `unix_seconds` in a time zone `offset_hours` east of UTC (8 for Beijing).
    pub fn from_unix_seconds(unix_seconds: i64, offset_hours: i64) -> Date {
        let local = unix_seconds.saturating_add(offset_hours.saturating_mul(3600));
        Date::from_days_since_epoch(local.div_euclid(86_400))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Where something is in the configuration file (1-based; column in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// A name (rule id or category) as written in the configuration, with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub pos: Pos,
}

/// A severity override.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeverityOverride {
    /// Rule id or category.
    pub target: Named,
    pub severity: Severity,
}

/// An accepted finding. It applies to the findings of `rule` at `location` (in `document`, when
/// given) whose fingerprint — a hash of the values the finding saw — is `fingerprint`, until
/// `expires` (inclusive). When the numbers change, the fingerprint changes and the waiver
/// lapses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiver {
    pub rule: String,
    /// The finding's location key (see [`crate::waiver::location_key`]).
    pub location: String,
    pub fingerprint: String,
    pub reason: String,
    pub author: String,
    pub expires: Date,
    /// A document path or file name; the waiver applies to documents whose path ends with it.
    pub document: Option<String>,
    /// Where the `[[waiver]]` entry starts.
    pub pos: Pos,
}

/// A problem in the configuration file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}：{}",
            self.file, self.pos.line, self.pos.column, self.message
        )
    }
}

/// The configuration of a check run (`shenhe.toml`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// The file's name, for messages.
    pub file: String,
    /// When not empty, only these rules (ids or categories) run.
    pub enable: Vec<Named>,
    /// These rules (ids or categories) do not run.
    pub disable: Vec<Named>,
    pub severity: Vec<SeverityOverride>,
    /// Template profile id used for every document.
    pub template: Option<Named>,
    pub waivers: Vec<Waiver>,
}

/// Line and column (1-based, characters) of a byte offset.
fn pos_of(text: &str, offset: usize) -> Pos {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "字符串",
        DeValue::Integer(_) => "整数",
        DeValue::Float(_) => "小数",
        DeValue::Boolean(_) => "真假值",
        DeValue::Datetime(_) => "日期时间",
        DeValue::Array(_) => "数组",
        DeValue::Table(_) => "表",
    }
}

/// Parses the configuration, collecting every problem.
struct Parser<'t> {
    file: String,
    text: &'t str,
    errors: Vec<ConfigError>,
}

impl<'t> Parser<'t> {
    fn error(&mut self, offset: usize, message: String) {
        self.errors.push(ConfigError {
            file: self.file.clone(),
            pos: pos_of(self.text, offset),
            message,
        });
    }

    fn unknown_key(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        place: &str,
        known: &[&str],
    ) {
        let candidates: Vec<String> = known.iter().map(|k| (*k).to_string()).collect();
        let hint = match suggest(key.get_ref(), &candidates).first() {
            Some(s) => format!("；是不是 `{s}`？"),
            None => format!("；可用的键：{}", known.join("、")),
        };
        self.error(
            key.span().start,
            format!("{place}中没有 `{}` 这一项{hint}", key.get_ref()),
        );
    }

    fn string(&mut self, v: &Spanned<DeValue<'_>>, what: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) if s.trim().is_empty() => {
                self.error(v.span().start, format!("{what}不能为空"));
                None
            }
            DeValue::String(s) => Some(s.trim().to_string()),
            other => {
                let t = type_name(other);
                self.error(
                    v.span().start,
                    format!("{what}应当是字符串（用引号括起），这里是{t}"),
                );
                None
            }
        }
    }

    fn names(&mut self, v: &Spanned<DeValue<'_>>, what: &str) -> Vec<Named> {
        let DeValue::Array(items) = v.get_ref() else {
            let t = type_name(v.get_ref());
            self.error(
                v.span().start,
                format!("`{what}` 应当是字符串数组，如 [\"YS-001\", \"措辞\"]，这里是{t}"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            if let Some(name) = self.string(item, what) {
                out.push(Named {
                    name,
                    pos: pos_of(self.text, item.span().start),
                });
            }
        }
        out
    }

    fn severity(&mut self, v: &Spanned<DeValue<'_>>) -> Option<Severity> {
        let s = self.string(v, "级别")?;
        match s.as_str() {
            "错误" | "error" => Some(Severity::Error),
            "警告" | "warning" => Some(Severity::Warning),
            "提示" | "info" => Some(Severity::Info),
            _ => {
                self.error(
                    v.span().start,
                    format!("级别 `{s}` 无效：应为 错误、警告 或 提示"),
                );
                None
            }
        }
    }

    fn date(&mut self, v: &Spanned<DeValue<'_>>) -> Option<Date> {
        let parsed = match v.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt
                .date
                .and_then(|d| Date::new(i32::from(d.year), d.month, d.day)),
            DeValue::String(s) => Date::parse(s),
            _ => None,
        };
        if parsed.is_none() {
            self.error(
                v.span().start,
                "到期日期应写成 2026-12-31 这样的日期（年-月-日）".into(),
            );
        }
        parsed
    }

    fn rules_table(&mut self, cfg: &mut Config, v: &Spanned<DeValue<'_>>) {
        let DeValue::Table(t) = v.get_ref() else {
            self.error(v.span().start, "[rules] 应当是一个表".into());
            return;
        };
        for (k, v) in t.iter() {
            match k.get_ref().as_ref() {
                "enable" => cfg.enable = self.names(v, "enable"),
                "disable" => cfg.disable = self.names(v, "disable"),
                "template" => {
                    cfg.template = self.string(v, "template").map(|name| Named {
                        name,
                        pos: pos_of(self.text, v.span().start),
                    });
                }
                _ => self.unknown_key(k, "[rules] ", &["enable", "disable", "template"]),
            }
        }
    }

    fn severity_table(&mut self, cfg: &mut Config, v: &Spanned<DeValue<'_>>) {
        let DeValue::Table(t) = v.get_ref() else {
            self.error(
                v.span().start,
                "[severity] 应当是一个表：每行 \"规则编号或类别\" = \"级别\"".into(),
            );
            return;
        };
        for (k, v) in t.iter() {
            if let Some(severity) = self.severity(v) {
                cfg.severity.push(SeverityOverride {
                    target: Named {
                        name: k.get_ref().trim().to_string(),
                        pos: pos_of(self.text, k.span().start),
                    },
                    severity,
                });
            }
        }
    }

    fn waiver(&mut self, v: &Spanned<DeValue<'_>>) -> Option<Waiver> {
        let DeValue::Table(t) = v.get_ref() else {
            self.error(
                v.span().start,
                "waiver 应写成 [[waiver]] 表（每条豁免一个）".into(),
            );
            return None;
        };
        const KEYS: &[&str] = &[
            "rule",
            "location",
            "fingerprint",
            "reason",
            "author",
            "expires",
            "document",
        ];
        let mut fields: BTreeMap<&str, String> = BTreeMap::new();
        let mut expires = None;
        let mut ok = true;
        for (k, val) in t.iter() {
            let key = k.get_ref().as_ref();
            match KEYS.iter().find(|x| **x == key) {
                Some(&"expires") => {
                    expires = self.date(val);
                    ok &= expires.is_some();
                }
                Some(name) => match self.string(val, name) {
                    Some(s) => {
                        fields.insert(name, s);
                    }
                    None => ok = false,
                },
                None => self.unknown_key(k, "[[waiver]] ", KEYS),
            }
        }
        let start = v.span().start;
        let missing: Vec<&str> = ["rule", "location", "fingerprint", "reason", "author"]
            .into_iter()
            .filter(|k| !fields.contains_key(k))
            .chain(
                (expires.is_none() && !t.iter().any(|(k, _)| k.get_ref() == "expires"))
                    .then_some("expires"),
            )
            .collect();
        if !missing.is_empty() {
            self.error(
                start,
                format!(
                    "这条豁免缺少 {}：豁免必须写明规则、位置、指纹、理由、作者和到期日期",
                    missing.join("、")
                ),
            );
            return None;
        }
        if let Some(fp) = fields.get("fingerprint")
            && !(fp.len() == 16 && fp.chars().all(|c| c.is_ascii_hexdigit()))
        {
            self.error(
                start,
                format!("指纹 `{fp}` 无效：应为 shenhe check 报告中给出的 16 位十六进制数"),
            );
            return None;
        }
        if !ok {
            return None;
        }
        let mut take = |k: &str| fields.remove(k).unwrap_or_default();
        Some(Waiver {
            rule: take("rule"),
            location: take("location"),
            fingerprint: take("fingerprint").to_ascii_lowercase(),
            reason: take("reason"),
            author: take("author"),
            document: fields.remove("document"),
            expires: expires?,
            pos: pos_of(self.text, start),
        })
    }
}

impl Config {
    /// Parses `shenhe.toml` text. `file` names it in messages.
    pub fn parse(file: &str, text: &str) -> Result<Config, Vec<ConfigError>> {
        let mut p = Parser {
            file: file.to_string(),
            text,
            errors: Vec::new(),
        };
        let root = match DeTable::parse(text) {
            Ok(t) => t,
            Err(e) => {
                let offset = e.span().map_or(0, |s| s.start);
                p.error(offset, format!("不是有效的 TOML：{}", e.message().trim()));
                return Err(p.errors);
            }
        };
        let mut cfg = Config {
            file: file.to_string(),
            ..Config::default()
        };
        for (k, v) in root.get_ref().iter() {
            match k.get_ref().as_ref() {
                "rules" => p.rules_table(&mut cfg, v),
                "severity" => p.severity_table(&mut cfg, v),
                "waiver" => match v.get_ref() {
                    DeValue::Array(items) => {
                        for item in items.iter() {
                            if let Some(w) = p.waiver(item) {
                                cfg.waivers.push(w);
                            }
                        }
                    }
                    _ => p.error(
                        v.span().start,
                        "waiver 应写成 [[waiver]] 表（每条豁免一个）".into(),
                    ),
                },
                _ => p.unknown_key(k, "配置文件", &["rules", "severity", "waiver"]),
            }
        }
        p.errors.sort_by_key(|e| (e.pos.line, e.pos.column));
        if p.errors.is_empty() {
            Ok(cfg)
        } else {
            Err(p.errors)
        }
    }

    fn error(&self, pos: Pos, message: String) -> ConfigError {
        ConfigError {
            file: self.file.clone(),
            pos,
            message,
        }
    }

    /// Checks the names the configuration uses against the rules and templates: an unknown
    /// rule id, category or template is an error (a typo would otherwise silently do nothing).
    pub fn validate(&self, rules: &[RuleInfo], templates: &[String]) -> Vec<ConfigError> {
        let mut known: Vec<String> = rules.iter().map(|r| r.id.clone()).collect();
        for r in rules {
            if let Some(c) = &r.category
                && !known.contains(c)
            {
                known.push(c.clone());
            }
        }
        let ids: Vec<String> = rules.iter().map(|r| r.id.clone()).collect();
        let mut errors = Vec::new();
        let unknown = |what: &str, name: &str, candidates: &[String]| {
            let hint = suggest(name, candidates)
                .first()
                .map(|s| format!("；是不是 `{s}`？"))
                .unwrap_or_default();
            format!("{what} `{name}` 不存在{hint}")
        };
        let targets = self
            .enable
            .iter()
            .chain(&self.disable)
            .chain(self.severity.iter().map(|s| &s.target));
        for n in targets {
            if !known.contains(&n.name) {
                errors.push(self.error(n.pos, unknown("规则编号或类别", &n.name, &known)));
            }
        }
        if let Some(t) = &self.template
            && !templates.contains(&t.name)
        {
            errors.push(self.error(
                t.pos,
                format!(
                    "{}（已知模板：{}）",
                    unknown("模板", &t.name, templates),
                    templates.join("、")
                ),
            ));
        }
        for w in &self.waivers {
            if !ids.contains(&w.rule) {
                errors.push(self.error(w.pos, unknown("豁免的规则编号", &w.rule, &ids)));
            }
        }
        errors
    }

    fn lists(list: &[Named], id: &str, category: Option<&str>) -> (bool, bool) {
        let by_id = list.iter().any(|n| n.name == id);
        let by_category = category.is_some_and(|c| list.iter().any(|n| n.name == c));
        (by_id, by_category)
    }

    /// Whether a rule runs. A rule named by id wins over its category; with a non-empty
    /// `enable`, a rule runs only when it (or its category) is listed there.
    pub fn enabled(&self, id: &str, category: Option<&str>) -> bool {
        let (off_id, off_cat) = Config::lists(&self.disable, id, category);
        let (on_id, on_cat) = Config::lists(&self.enable, id, category);
        if off_id {
            false
        } else if on_id {
            true
        } else if off_cat {
            false
        } else {
            on_cat || self.enable.is_empty()
        }
    }

    /// The severity override for a rule (by id first, then by category).
    pub fn severity_of(&self, id: &str, category: Option<&str>) -> Option<Severity> {
        let by = |name: &str| {
            self.severity
                .iter()
                .rev()
                .find(|s| s.target.name == name)
                .map(|s| s.severity)
        };
        by(id).or_else(|| category.and_then(by))
    }

    /// The template profile id to use for every document, if the configuration names one.
    pub fn template(&self) -> Option<&str> {
        self.template.as_ref().map(|t| t.name.as_str())
    }
}

fn to_ast(s: Severity) -> ast::Severity {
    match s {
        Severity::Error => ast::Severity::Error,
        Severity::Warning => ast::Severity::Warning,
        Severity::Info => ast::Severity::Info,
    }
}

impl RuleSet {
    /// Applies a configuration: drops the rules it disables and sets the severities it
    /// overrides. (Waivers apply to reports: see [`crate::waiver`].)
    pub fn configure(&mut self, cfg: &Config) {
        self.rules
            .retain(|r| cfg.enabled(&r.id, r.category.as_deref()));
        for r in &mut self.rules {
            if let Some(s) = cfg.severity_of(&r.id, r.category.as_deref()) {
                r.severity = to_ast(s);
            }
        }
    }

    /// The text of rule `id` as written in its file (from its doc comments to its closing
    /// brace), with its file name and first line.
    pub fn rule_source(&self, id: &str) -> Option<(&str, u32, &str)> {
        let rule = self.rules.iter().find(|r| r.id == id)?;
        let file = self.files.get(rule.file)?;
        let start = rule.span.start as usize;
        let end = (rule.span.end as usize).min(file.source.len());
        // Include the `///` lines right above the rule.
        let line_start = |pos: usize| {
            file.source
                .get(..pos)
                .and_then(|s| s.rfind('\n'))
                .map_or(0, |i| i + 1)
        };
        let mut from = line_start(start);
        while from > 0 {
            let prev = line_start(from - 1);
            match file.source.get(prev..from) {
                Some(line) if line.trim_start().starts_with("///") => from = prev,
                _ => break,
            }
        }
        let text = file.source.get(from..end)?;
        let (line, _) = file.line_col(u32::try_from(from).unwrap_or(0));
        Some((file.name.as_str(), line, text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
[rules]
disable = ["WD-003", "措辞"]
template = "上海-预算-9表"

[severity]
"YS-010" = "提示"
"表间" = "警告"

[[waiver]]
rule = "YS-001"
location = "左:表三 部门支出总体情况表/总计/基本支出"
fingerprint = "9F86D081884C7D65"
reason = "财政部门已确认为印刷错误"
author = "张三"
expires = 2026-12-31

[[waiver]]
rule = "YS-002"
location = "文本:一、部门职责"
fingerprint = "0123456789abcdef"
reason = "说明"
author = "李四"
expires = "2025-01-31"
document = "a/b.txt"
"#;

    #[test]
    fn parses_every_section() {
        let cfg = Config::parse("shenhe.toml", SAMPLE).unwrap();
        let names: Vec<&str> = cfg.disable.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["WD-003", "措辞"]);
        assert_eq!(
            cfg.disable[1].pos,
            Pos {
                line: 3,
                column: 22
            }
        );
        assert_eq!(cfg.template(), Some("上海-预算-9表"));
        assert_eq!(cfg.severity.len(), 2);
        assert_eq!(cfg.severity_of("YS-010", None), Some(Severity::Info));
        assert_eq!(
            cfg.severity_of("X-1", Some("表间")),
            Some(Severity::Warning)
        );
        assert_eq!(cfg.severity_of("X-1", Some("表内")), None);
        assert_eq!(cfg.waivers.len(), 2);
        let w = &cfg.waivers[0];
        assert_eq!(w.fingerprint, "9f86d081884c7d65");
        assert_eq!(w.expires, Date::new(2026, 12, 31).unwrap());
        assert_eq!(w.document, None);
        assert_eq!(w.pos.line, 10);
        assert_eq!(cfg.waivers[1].expires.to_string(), "2025-01-31");
        assert_eq!(cfg.waivers[1].document.as_deref(), Some("a/b.txt"));
    }

    #[test]
    fn enable_and_disable_precedence() {
        let cfg = Config::parse(
            "c",
            "[rules]\nenable = [\"表内\", \"YS-009\"]\ndisable = [\"YS-002\", \"措辞\"]\n",
        )
        .unwrap();
        assert!(cfg.enabled("YS-001", Some("表内")));
        assert!(!cfg.enabled("YS-002", Some("表内")), "id disabled");
        assert!(
            cfg.enabled("YS-009", Some("措辞")),
            "id enabled beats category"
        );
        assert!(!cfg.enabled("YS-010", Some("表间")), "not in enable");
        let all = Config::parse("c", "[rules]\ndisable = [\"措辞\"]\n").unwrap();
        assert!(all.enabled("YS-010", Some("表间")));
        assert!(!all.enabled("WD-001", Some("措辞")));
        assert!(Config::parse("c", "").unwrap().enabled("A-1", None));
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let text = "[rules]\ndisabel = [\"A-1\"]\nenable = \"A-1\"\n\n[severity]\n\"A-1\" = \"严重\"\n\n[[waiver]]\nrule = \"A-1\"\nexpires = \"2026-02-30\"\nfingerprint = \"xyz\"\n\n[extra]\n";
        let errs = Config::parse("shenhe.toml", text).unwrap_err();
        let shown: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "shenhe.toml:2:1：[rules] 中没有 `disabel` 这一项；是不是 `disable`？",
                "shenhe.toml:3:10：`enable` 应当是字符串数组，如 [\"YS-001\", \"措辞\"]，这里是字符串",
                "shenhe.toml:6:9：级别 `严重` 无效：应为 错误、警告 或 提示",
                "shenhe.toml:8:1：这条豁免缺少 location、reason、author：豁免必须写明规则、位置、指纹、理由、作者和到期日期",
                "shenhe.toml:10:11：到期日期应写成 2026-12-31 这样的日期（年-月-日）",
                "shenhe.toml:13:2：配置文件中没有 `extra` 这一项；可用的键：rules、severity、waiver",
            ]
        );
    }

    #[test]
    fn syntax_errors_point_at_the_line() {
        let errs = Config::parse("c.toml", "[rules]\ndisable = [\"A-1\"\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].message.starts_with("不是有效的 TOML"),
            "{}",
            errs[0]
        );
        assert!(errs[0].pos.line >= 2, "{:?}", errs[0].pos);
    }

    #[test]
    fn bad_fingerprint_is_refused() {
        let text = "[[waiver]]\nrule = \"A-1\"\nlocation = \"x\"\nfingerprint = \"xyz\"\nreason = \"r\"\nauthor = \"a\"\nexpires = 2026-01-01\n";
        let errs = Config::parse("c", text).unwrap_err();
        assert_eq!(
            errs[0].message,
            "指纹 `xyz` 无效：应为 shenhe check 报告中给出的 16 位十六进制数"
        );
    }

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2024-02-29"), Date::new(2024, 2, 29));
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2023-2-1").is_none());
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(19_723).to_string(),
            "2024-01-01"
        );
        assert_eq!(Date::from_days_since_epoch(-1).to_string(), "1969-12-31");
        // 2024-12-31 16:00 UTC is already 2025-01-01 in Beijing.
        assert_eq!(
            Date::from_unix_seconds(1_735_660_800, 8).to_string(),
            "2025-01-01"
        );
        assert_eq!(
            Date::from_unix_seconds(1_735_660_800, 0).to_string(),
            "2024-12-31"
        );
        assert!(Date::new(2025, 1, 1) > Date::new(2024, 12, 31));
    }
}
