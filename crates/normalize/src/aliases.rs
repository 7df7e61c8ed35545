//! `raw/aliases.toml`: curated name and licence aliases, as data.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::CategoryKey;

/// The aliases file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("aliases: {0}")]
pub struct AliasesError(String);

/// Name and licence aliases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aliases {
    /// Level-1 name as written → canonical name.
    #[serde(default)]
    level1: BTreeMap<String, String>,
    /// Licence name (after whitespace and bracket normalisation) → canonical name.
    #[serde(default)]
    licences: BTreeMap<String, String>,
}

impl Aliases {
    /// Parses the TOML text of `raw/aliases.toml`; errors name the line.
    pub fn parse(text: &str) -> Result<Aliases, AliasesError> {
        let aliases: Aliases = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            AliasesError(match line {
                Some(line) => format!("line {line}: {}", e.message()),
                None => e.message().to_string(),
            })
        })?;
        for (from, to) in &aliases.level1 {
            if aliases.level1.contains_key(to) {
                return Err(AliasesError(format!(
                    "level1 alias {from} → {to} leads to another alias"
                )));
            }
        }
        Ok(aliases)
    }

    /// Renames the levels of `key`; returns the (level, (from, to)) applied.
    pub(crate) fn apply(&self, key: &mut CategoryKey) -> Vec<(u8, (String, String))> {
        let mut applied = Vec::new();
        if let Some(to) = self.level1.get(&key.level1) {
            applied.push((1, (key.level1.clone(), to.clone())));
            key.level1 = to.clone();
        }
        applied
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
        let normal: String = name
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '(' => '（',
                ')' => '）',
                other => other,
            })
            .collect();
        self.licences.get(&normal).cloned().unwrap_or(normal)
    }
}
