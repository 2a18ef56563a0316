//! Template profiles: which tables a template has, the roles they play and the title patterns
//! that recognise them. The data lives in `rules/profiles.toml`; this module parses and applies
//! it. Rules name tables by role (`基本支出表`) so that one rule pack fits every template.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::document::{DocKind, Document};
use crate::normalize::{key_contains, key_cow, name_key};
use crate::search::contains_str;

/// The profiles text bundled with this build.
pub const BUNDLED_PROFILES: &str = include_str!("../../../rules/profiles.toml");

/// A table role and how to recognise it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDef {
    /// The role name rules use (`基本支出表`).
    pub name: String,
    /// Other names rules may use for the role.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A title matches when it contains every fragment of one entry (fragments separated by
    /// `*`), compared after [`name_key`].
    pub titles: Vec<String>,
    /// A title containing any of these is never this role.
    #[serde(default)]
    pub exclude: Vec<String>,
}

impl RoleDef {
    /// Whether a table title plays this role.
    pub fn matches_title(&self, title: &str) -> bool {
        self.matches_key(&name_key(title))
    }

    /// As [`RoleDef::matches_title`], for a title already turned into its [`name_key`].
    fn matches_key(&self, key: &str) -> bool {
        if self.exclude.iter().any(|x| key_contains(key, x)) {
            return false;
        }
        self.titles
            .iter()
            .any(|pattern| pattern.split('*').all(|frag| key_contains(key, frag)))
    }

    /// Whether `name` is this role's name or an alias.
    pub fn is_named(&self, name: &str) -> bool {
        let key = name_key(name);
        name_key(&self.name) == key || self.aliases.iter().any(|a| name_key(a) == key)
    }
}

/// One template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: String,
    pub name: String,
    /// Document kinds the template is for (`部门预算`, `预算`, `决算` …).
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Title fragments that identify the template; the profile with the most matching tables
    /// wins.
    #[serde(default)]
    pub detect: Vec<String>,
    /// Roles whose table every document of this template must have.
    #[serde(default)]
    pub required: Vec<String>,
}

impl Profile {
    /// Whether the template is for documents of `kind` (any kind when unknown).
    pub fn fits_kind(&self, kind: Option<DocKind>) -> bool {
        match kind {
            None => true,
            Some(k) => {
                self.kinds.is_empty()
                    || self.kinds.iter().any(|x| {
                        x == k.name()
                            || (x == "预算" && k.is_budget())
                            || (x == "决算" && k.is_final())
                    })
            }
        }
    }
}

/// The profiles file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileError {
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "模板配置有误：{}", self.message)
    }
}

impl std::error::Error for ProfileError {}

/// All known table roles and templates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profiles {
    /// Roles in match order: the first role whose patterns match a title takes the table.
    #[serde(rename = "role")]
    pub roles: Vec<RoleDef>,
    #[serde(rename = "profile")]
    pub profiles: Vec<Profile>,
    /// What the performance-target forms print (`[performance]`; optional).
    #[serde(default)]
    pub performance: PerformanceDefs,
}

/// What the performance-target forms (绩效目标表) of the templates print.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerformanceDefs {
    /// Level-1 indicator names (一级指标: `产出指标`, `效益指标` …): an indicator row whose
    /// first cell is one of them starts the indicators under that name. Empty: the bundled
    /// names are used.
    #[serde(default)]
    pub level1: Vec<String>,
}

impl Profiles {
    /// Reads a profiles file (TOML with `[[role]]` and `[[profile]]` tables).
    pub fn parse(text: &str) -> Result<Profiles, ProfileError> {
        let profiles: Profiles = toml::from_str(text).map_err(|e| ProfileError {
            message: e.to_string(),
        })?;
        if profiles.profiles.is_empty() {
            return Err(ProfileError {
                message: "没有任何 [[profile]]".into(),
            });
        }
        if profiles.roles.is_empty() {
            return Err(ProfileError {
                message: "没有定义任何表格角色 [[role]]".into(),
            });
        }
        for p in &profiles.profiles {
            for r in &p.required {
                if profiles.role(r).is_none() {
                    return Err(ProfileError {
                        message: format!("模板 `{}` 要求的表格角色 `{r}` 未定义", p.id),
                    });
                }
            }
        }
        Ok(profiles)
    }

    /// The role for a table title, if any.
    pub fn role_for_title(&self, title: &str) -> Option<&RoleDef> {
        let key = name_key(title);
        self.roles.iter().find(|r| r.matches_key(&key))
    }

    /// The role named `name` (or aliased so).
    pub fn role(&self, name: &str) -> Option<&RoleDef> {
        self.roles.iter().find(|r| r.is_named(name))
    }

    /// The bundled profiles (checked by this crate's tests).
    pub fn bundled() -> Profiles {
        Profiles::parse(BUNDLED_PROFILES).unwrap_or_default()
    }

    pub fn get(&self, id: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }

    /// The profile that fits a document best: of those whose kinds fit, the one with most
    /// detect fragments found in the table titles; ties go to the earlier profile. A profile
    /// with no `detect` list is a fallback that any document fits.
    pub fn detect(&self, titles: &[&str], kind: Option<DocKind>) -> Option<&Profile> {
        let keys: Vec<String> = titles.iter().map(|t| name_key(t)).collect();
        self.detect_keyed(&keys, kind)
    }

    /// [`Self::detect`] from the name keys of the titles.
    fn detect_keyed(&self, keys: &[String], kind: Option<DocKind>) -> Option<&Profile> {
        let mut best: Option<(&Profile, usize)> = None;
        for p in self.profiles.iter().filter(|p| p.fits_kind(kind)) {
            // Each fragment normalised once for all the titles.
            let detected = p
                .detect
                .iter()
                .filter(|d| {
                    let d = key_cow(d);
                    keys.iter().any(|k| contains_str(k, &d))
                })
                .count();
            if detected == 0 && !p.detect.is_empty() {
                continue;
            }
            if best.is_none_or(|(_, bd)| detected > bd) {
                best = Some((p, detected));
            }
        }
        best.map(|(p, _)| p)
    }

    /// Recognises the document's template (unless `meta.template` already names a known one)
    /// and gives each table the role its title matches. Returns the profile used.
    pub fn assign(&self, doc: &mut Document) -> Option<String> {
        // The titles' keys, for their roles and (when the template is not given) detection.
        let keys: Vec<String> = doc.tables.iter().map(|t| name_key(&t.title)).collect();
        for (t, key) in doc.tables.iter_mut().zip(&keys) {
            t.role = self
                .roles
                .iter()
                .find(|r| r.matches_key(key))
                .map(|r| r.name.clone());
        }
        for f in &mut doc.performance {
            f.budget.role = self.role_for_title(&f.title).map(|r| r.name.clone());
        }
        let chosen = match doc.meta.template.as_deref().and_then(|id| self.get(id)) {
            Some(p) => p,
            None => self.detect_keyed(&keys, doc.meta.kind)?,
        };
        doc.meta.template = Some(chosen.id.clone());
        Some(chosen.id.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_profiles_parse() {
        let p = Profiles::parse(BUNDLED_PROFILES).unwrap();
        assert!(p.profiles.len() >= 2);
        let generic = &p;
        assert_eq!(
            generic
                .role_for_title("一般公共预算基本支出情况表")
                .unwrap()
                .name,
            "基本支出表"
        );
        assert_eq!(
            generic
                .role_for_title("财政拨款收支总体情况表")
                .unwrap()
                .name,
            "财政拨款收支总表"
        );
        assert_eq!(
            generic.role_for_title("部门收支总体情况表").unwrap().name,
            "收支总表"
        );
        assert_eq!(
            generic
                .role_for_title("一般公共预算支出情况表")
                .unwrap()
                .name,
            "一般公共预算支出表"
        );
        let level1 = &p.performance.level1;
        assert!(level1.iter().any(|n| n == "产出指标"), "{level1:?}");
        assert!(level1.iter().any(|n| n == "满意度"), "{level1:?}");
        // Without a `[performance]` table the list is empty (ingest then uses the bundled one).
        let minimal = "[[role]]\nname='甲表'\ntitles=['甲']\n[[profile]]\nid='a'\nname='b'\n";
        assert!(
            Profiles::parse(minimal)
                .unwrap()
                .performance
                .level1
                .is_empty()
        );
    }

    #[test]
    fn broken_profiles_say_why() {
        assert!(Profiles::parse("x = 1").is_err());
        let e = Profiles::parse("[[role]]\nname='甲表'\ntitles=['甲']\n[[profile]]\nid='a'\nname='b'\nrequired=['乙表']\n").unwrap_err();
        assert!(e.message.contains("乙表"), "{}", e.message);
    }
}
