//! `raw/aliases.toml`: curated category renames and licence aliases, as data.
//!
//! * `[level1]`: a level-1 name as some source writes it → the canonical name.
//! * `[path]`: a path prefix (`一级 › 二级` or `一级 › 二级 › 三级`) → the path
//!   it was renamed to, with the same number of levels. It is matched after
//!   the level-1 aliases, so it is written with the canonical level 1.
//! * `[licences]`: a licence spelling → the canonical licence name.
//!
//! Names are matched in the identity normal form
//! ([`crate::identity_name`]), so an alias need not be written in every
//! width or separator variant.

use std::collections::BTreeMap;

use leimu_model::CategoryPath;
use serde::Deserialize;

use crate::identity::identity_name;

/// The aliases file could not be read or is inconsistent.
#[derive(Debug, thiserror::Error)]
#[error("aliases: {0}")]
pub struct AliasesError(String);

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasesFile {
    #[serde(default)]
    level1: BTreeMap<String, String>,
    #[serde(default)]
    path: BTreeMap<String, String>,
    #[serde(default)]
    licences: BTreeMap<String, String>,
}

/// A curated rename of a path prefix, both sides split into levels.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PathAlias {
    /// Normal forms of the levels to match.
    from_key: Vec<String>,
    /// As written in the aliases file, for the report.
    from: String,
    to: Vec<String>,
}

/// Category renames and licence aliases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aliases {
    /// Normal form of a level-1 name → (as written in the file, canonical name).
    level1: BTreeMap<String, (String, String)>,
    paths: Vec<PathAlias>,
    /// Licence name (whitespace removed, brackets full-width) → canonical name.
    licences: BTreeMap<String, String>,
}

/// One curated alias that changed a record's path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AliasUse {
    /// `[level1]` or `[path]`.
    pub table: &'static str,
    /// The alias's left side, as written in `raw/aliases.toml`.
    pub from: String,
    /// The canonical name or path.
    pub to: String,
}

const SEPARATOR: &str = "›";

fn split_path(text: &str) -> Vec<String> {
    text.split(SEPARATOR)
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

impl Aliases {
    /// Parses the TOML text of `raw/aliases.toml`; errors name the line.
    pub fn parse(text: &str) -> Result<Aliases, AliasesError> {
        let file: AliasesFile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            AliasesError(match line {
                Some(line) => format!("line {line}: {}", e.message()),
                None => e.message().to_string(),
            })
        })?;
        let mut level1 = BTreeMap::new();
        for (from, to) in &file.level1 {
            if file
                .level1
                .keys()
                .any(|k| identity_name(k) == identity_name(to))
            {
                return Err(AliasesError(format!(
                    "level1 alias {from} → {to} leads to another alias"
                )));
            }
            level1.insert(identity_name(from), (from.clone(), to.clone()));
        }
        let mut paths = Vec::new();
        for (from, to) in &file.path {
            let (from_levels, to_levels) = (split_path(from), split_path(to));
            if from_levels.len() < 2
                || from_levels.len() > 3
                || from_levels.len() != to_levels.len()
            {
                return Err(AliasesError(format!(
                    "path alias `{from}` → `{to}`: both sides need the same number of levels, 2 or 3, separated by ›"
                )));
            }
            paths.push(PathAlias {
                from_key: from_levels.iter().map(|l| identity_name(l)).collect(),
                from: from.clone(),
                to: to_levels,
            });
        }
        // Longest prefix first, so a level-3 rename wins over its level 2's.
        paths.sort_by(|a, b| {
            b.from_key
                .len()
                .cmp(&a.from_key.len())
                .then(a.from.cmp(&b.from))
        });
        let licences = file
            .licences
            .iter()
            .map(|(from, to)| (compact_licence(from), compact_licence(to)))
            .collect();
        Ok(Aliases {
            level1,
            paths,
            licences,
        })
    }

    /// The canonical name of a level-1 name, if `[level1]` renames it.
    ///
    /// ```
    /// let aliases = leimu_normalize::Aliases::parse("[level1]\n\"医疗\" = \"医疗服务\"\n").unwrap();
    /// assert_eq!(aliases.level1("医疗"), Some("医疗服务"));
    /// assert_eq!(aliases.level1("社交"), None);
    /// ```
    pub fn level1(&self, name: &str) -> Option<&str> {
        self.level1
            .get(&identity_name(name))
            .map(|(_, to)| to.as_str())
    }

    /// Renames `path` by the curated aliases; returns the aliases used.
    pub fn apply(&self, path: &mut CategoryPath) -> Vec<AliasUse> {
        let mut used = Vec::new();
        if let Some((from, to)) = self.level1.get(&identity_name(&path.level1)) {
            used.push(AliasUse {
                table: "level1",
                from: from.clone(),
                to: to.clone(),
            });
            path.level1 = to.as_str().into();
        }
        let levels = [&path.level1, &path.level2, &path.level3].map(|l| identity_name(l));
        if let Some(alias) = self
            .paths
            .iter()
            .find(|a| a.from_key.iter().zip(&levels).all(|(a, b)| a == b))
        {
            let mut slots = [&mut path.level1, &mut path.level2, &mut path.level3];
            for (slot, to) in slots.iter_mut().zip(&alias.to) {
                **slot = to.as_str().into();
            }
            used.push(AliasUse {
                table: "path",
                from: alias.from.clone(),
                to: alias.to.join(" › "),
            });
        }
        used
    }

    /// The canonical name of a licence: whitespace removed, brackets made
    /// full-width, then the curated alias if there is one.
    ///
    /// ```
    /// let aliases = leimu_normalize::Aliases::parse("[licences]\n\"甲证书\" = \"甲证\"\n").unwrap();
    /// assert_eq!(aliases.licence(" 甲证书 "), "甲证");
    /// assert_eq!(aliases.licence("乙(丙)"), "乙（丙）");
    /// ```
    pub fn licence(&self, name: &str) -> String {
        let normal = compact_licence(name);
        self.licences.get(&normal).cloned().unwrap_or(normal)
    }
}

/// A licence name without whitespace, with full-width brackets.
fn compact_licence(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(l1: &str, l2: &str, l3: &str) -> CategoryPath {
        CategoryPath {
            level1: l1.into(),
            level2: l2.into(),
            level3: l3.into(),
        }
    }

    #[test]
    fn level1_then_path_aliases_apply_in_normal_form() {
        let aliases = Aliases::parse(
            "[level1]\n\"医疗\" = \"医疗服务\"\n[path]\n\"医疗服务 › 药品（非处方药）\" = \"医疗服务 › 药品（非处方药）销售\"\n",
        )
        .unwrap();
        let mut p = path("医疗", "药品(非处方药)", "");
        let used = aliases.apply(&mut p);
        assert_eq!(p, path("医疗服务", "药品（非处方药）销售", ""));
        assert_eq!(used.len(), 2);
        assert_eq!(used[0].table, "level1");
        assert_eq!(used[1].table, "path");
    }

    #[test]
    fn a_path_alias_keeps_the_deeper_levels() {
        let aliases = Aliases::parse("[path]\n\"甲 › 乙\" = \"甲 › 丙\"\n").unwrap();
        let mut p = path("甲", "乙", "丁");
        aliases.apply(&mut p);
        assert_eq!(p, path("甲", "丙", "丁"));
        let mut other = path("甲", "乙乙", "");
        assert!(aliases.apply(&mut other).is_empty());
    }

    #[test]
    fn inconsistent_aliases_are_errors() {
        let err = Aliases::parse("[path]\n\"甲 › 乙\" = \"丙\"\n").unwrap_err();
        assert!(err.to_string().contains("same number of levels"), "{err}");
        let err = Aliases::parse("[level1]\n\"甲\" = \"乙\"\n\"乙\" = \"丙\"\n").unwrap_err();
        assert!(err.to_string().contains("another alias"), "{err}");
        let err = Aliases::parse("[level1]\n\"甲\" = 1\n").unwrap_err();
        assert!(err.to_string().starts_with("aliases: line 2"), "{err}");
    }
}
