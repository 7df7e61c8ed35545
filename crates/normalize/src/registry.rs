//! Stage 5: the licence registry — every licence any source names, under
//! its canonical name, with the categories that require it today.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::decide::precedence;
use crate::{Aliases, Category, Mention, SourceInput};

/// One licence of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceEntry {
    pub licence: String,
    /// Other spellings seen in the sources.
    pub aliases: Vec<String>,
    /// Number of current (not retired) canonical categories whose deciding
    /// requirement names it.
    pub categories: usize,
    /// Sources that name it: category sources in precedence order, then the others.
    pub sources: Vec<String>,
}

/// Which sources name each canonical licence, and how else it is spelled.
#[derive(Default)]
struct Registry {
    named_by: BTreeMap<String, BTreeSet<String>>,
    spellings: BTreeMap<String, BTreeSet<String>>,
}

impl Registry {
    fn note(&mut self, source: &str, names: impl IntoIterator<Item = String>, aliases: &Aliases) {
        for name in names {
            let canonical = aliases.licence(&name);
            self.named_by
                .entry(canonical.clone())
                .or_default()
                .insert(source.to_string());
            if canonical != name {
                self.spellings.entry(canonical).or_default().insert(name);
            }
        }
    }
}

/// Builds the registry from what the sources name and what the categories require.
pub fn build(
    sources: &[SourceInput],
    mentions: &[Mention],
    aliases: &Aliases,
    named: &[(usize, Vec<String>)],
    categories: &[Category],
) -> Vec<LicenceEntry> {
    let mut registry = Registry::default();
    for (source, names) in named {
        registry.note(sources[*source].id, names.iter().cloned(), aliases);
    }
    for mention in mentions {
        registry.note(mention.source, leimu_model::licences(mention.text), aliases);
    }
    let mut required_by: BTreeMap<String, usize> = BTreeMap::new();
    for c in categories.iter().filter(|c| c.status.is_current()) {
        for name in c.statement.licences() {
            *required_by.entry(name).or_default() += 1;
        }
    }
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by_key(|&i| precedence(sources, i));
    registry
        .named_by
        .into_iter()
        .map(|(licence, naming)| LicenceEntry {
            aliases: registry
                .spellings
                .remove(&licence)
                .map(|s| s.into_iter().collect())
                .unwrap_or_default(),
            categories: required_by.get(&licence).copied().unwrap_or(0),
            sources: order
                .iter()
                .map(|&i| sources[i].id)
                .filter(|id| naming.contains(*id))
                .chain(
                    naming
                        .iter()
                        .map(String::as_str)
                        .filter(|id| !sources.iter().any(|s| s.id == *id)),
                )
                .map(String::from)
                .collect(),
            licence,
        })
        .collect()
}
