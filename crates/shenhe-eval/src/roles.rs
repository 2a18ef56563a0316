//! Table roles with their names and title patterns normalised once (per rule set), so that
//! giving every table of a document its role costs a few substring searches.
//!
//! The semantics are those of [`shenhe_model::RoleDef`]: a title matches a role when it
//! contains no `exclude` fragment and contains every `*`-separated fragment of one of its
//! `titles`; the first matching role wins; names and aliases compare by [`name_key`].

use shenhe_model::{Profiles, name_key};

/// One role, normalised.
#[derive(Clone, Debug)]
pub struct RoleKeys {
    /// The canonical role name, as written in the profiles.
    pub name: String,
    /// Its name key.
    pub key: String,
    /// Which role it is to look-ups: the position of the first role with the same key (roles
    /// of one key are one role, as they are when compared by key).
    pub id: u32,
    /// Keys of the name and every alias.
    names: Vec<String>,
    /// Each title pattern as the keys of its fragments.
    titles: Vec<Vec<String>>,
    exclude: Vec<String>,
}

impl RoleKeys {
    fn matches_title(&self, title_key: &str) -> bool {
        !self.exclude.iter().any(|x| title_key.contains(x.as_str()))
            && self
                .titles
                .iter()
                .any(|frags| frags.iter().all(|f| title_key.contains(f.as_str())))
    }
}

/// Every role of a set of profiles, normalised.
#[derive(Clone, Debug, Default)]
pub struct RoleIndex {
    roles: Vec<RoleKeys>,
}

impl RoleIndex {
    pub fn new(profiles: &Profiles) -> RoleIndex {
        let keys: Vec<String> = profiles.roles.iter().map(|r| name_key(&r.name)).collect();
        RoleIndex {
            roles: profiles
                .roles
                .iter()
                .zip(&keys)
                .enumerate()
                .map(|(i, (r, key))| RoleKeys {
                    name: r.name.clone(),
                    key: key.clone(),
                    // Roles of one key are one role: the first of them names it.
                    id: keys
                        .iter()
                        .position(|k| k == key)
                        .and_then(|f| u32::try_from(f).ok())
                        .unwrap_or(u32::try_from(i).unwrap_or(u32::MAX)),
                    names: std::iter::once(&r.name)
                        .chain(&r.aliases)
                        .map(|n| name_key(n))
                        .collect(),
                    titles: r
                        .titles
                        .iter()
                        .map(|p| p.split('*').map(name_key).collect())
                        .collect(),
                    exclude: r.exclude.iter().map(|x| name_key(x)).collect(),
                })
                .collect(),
        }
    }

    /// The role named `name` (or aliased so).
    pub fn named(&self, name: &str) -> Option<&RoleKeys> {
        let key = crate::docindex::key_cow(name);
        self.roles
            .iter()
            .find(|r| r.names.iter().any(|n| crate::docindex::same_text(n, &key)))
    }

    /// The role of a table whose title has the key `title_key`.
    pub fn for_title_key(&self, title_key: &str) -> Option<&RoleKeys> {
        self.roles.iter().find(|r| r.matches_title(title_key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_model() {
        let profiles = Profiles::bundled();
        let index = RoleIndex::new(&profiles);
        let titles = [
            "部门收支总体情况表",
            "部门收入总体情况表",
            "部门支出总体情况表",
            "财政拨款收支总体情况表",
            "财政拨款支出表",
            "一般公共预算支出情况表",
            "一般公共预算基本支出情况表",
            "一般公共预算财政拨款“三公”经费、会议费、培训费支出情况表",
            "一般公共预算财政拨款机关运行经费表",
            "政府性基金预算支出情况表",
            "国有资本经营预算支出情况表",
            "部门整体支出绩效目标表",
            "项目支出绩效目标表",
            "2026年部门财务收支预算总表",
            "收入支出决算总表",
            "某个不认识的表",
        ];
        for t in titles {
            assert_eq!(
                index.for_title_key(&name_key(t)).map(|r| r.name.as_str()),
                profiles.role_for_title(t).map(|r| r.name.as_str()),
                "{t}"
            );
        }
        for r in &profiles.roles {
            assert_eq!(index.named(&r.name).map(|x| &x.name), Some(&r.name));
            for a in &r.aliases {
                assert_eq!(index.named(a).map(|x| &x.name), Some(&r.name));
            }
        }
        assert!(index.named("不存在的表").is_none());
    }
}
