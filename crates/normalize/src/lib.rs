//! The normaliser: one canonical dataset from the extractions of every
//! category source, with the conflicts between them.
//!
//! This is the only crate that compares sources. It
//!
//! * applies the curated name aliases of `raw/aliases.toml` ([`Aliases`]) and
//!   records every application;
//! * groups records by the canonical key (subject, level 1, level 2, level 3);
//! * reads every requirement into logic ([`leimu_requirement`]) and lets the
//!   newest source that states a requirement decide (sources ordered by
//!   `as_of`, newest first; the notice's `added` entries thereby create
//!   categories and its `adjusted` entries replace older requirements);
//! * compares the other sources' requirements with the deciding one as
//!   logic, not strings (`和` and `与` agree; `或` and `和` do not) and
//!   reports each disagreement as a [`Conflict`];
//! * builds the licence registry, from the category sources and from the
//!   licences other sources mention ([`Mention`]).
//!
//! Every record ends in exactly one category, or in [`Normalized::dropped`]
//! with a reason.

mod aliases;
pub mod report;

use std::collections::{BTreeMap, BTreeSet};

use leimu_model::{CategoryPath, ExtractedRecord, Extraction, Subject};
use leimu_requirement::Requirement;
use serde::Serialize;

pub use aliases::{Aliases, AliasesError};

/// One category source as the normaliser sees it.
pub struct SourceInput<'a> {
    pub id: &'a str,
    /// `YYYY-MM-DD`; newer decides.
    pub as_of: &'a str,
    pub extraction: &'a Extraction,
}

/// Text of a non-category source that names licences (the filing guide's
/// remarks): counted in the licence registry's `sources`, nowhere else.
pub struct Mention<'a> {
    pub source: &'a str,
    pub text: &'a str,
}

/// The canonical key of a category.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CategoryKey {
    pub subject: Subject,
    pub level1: String,
    pub level2: String,
    pub level3: String,
}

impl CategoryKey {
    /// The path without the subject.
    pub fn path(&self) -> CategoryPath {
        CategoryPath {
            level1: self.level1.clone(),
            level2: self.level2.clone(),
            level3: self.level3.clone(),
        }
    }
}

impl std::fmt::Display for CategoryKey {
    /// `enterprise · 社交 › 直播`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} · {}", self.subject, self.path())
    }
}

/// A record that contributed to a category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contributor {
    pub source: String,
    pub line: u32,
    pub as_of: String,
    /// The requirement as written in the source.
    pub requirement: String,
    #[serde(skip)]
    pub logic: Option<Requirement>,
}

/// A canonical category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    #[serde(flatten)]
    pub key: CategoryKey,
    /// The deciding requirement in canonical form; `None` when no source states one.
    pub requirement: Option<Requirement>,
    pub scope: String,
    pub notes: String,
    /// Every source that lists the category, newest first.
    pub sources: Vec<String>,
    /// The source whose requirement stands.
    pub decided_by: Option<String>,
    /// Number of sides that disagree with the deciding requirement.
    pub conflicts: usize,
    pub contributors: Vec<Contributor>,
}

impl Category {
    /// The canonical requirement as text.
    pub fn requirement_text(&self) -> String {
        self.requirement
            .as_ref()
            .map(Requirement::render)
            .unwrap_or_default()
    }
}

/// How two statements of one category's requirement differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConflictKind {
    /// One source states a requirement, the other none.
    RequirementVsNone,
    /// The sets of licences differ.
    DifferentLicences,
    /// Same licences, different logic (`或` vs `和`, conditions, choose-N).
    DifferentLogic,
    /// Same licences and logic, different documents without 《》 or qualifiers.
    DifferentDocuments,
}

impl ConflictKind {
    pub fn describe(self) -> &'static str {
        match self {
            ConflictKind::RequirementVsNone => "a requirement in one source, none in another",
            ConflictKind::DifferentLicences => "different licences",
            ConflictKind::DifferentLogic => "same licences, different logic",
            ConflictKind::DifferentDocuments => {
                "same licences and logic, different wording of documents or qualifiers"
            }
        }
    }
}

/// One side of a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    pub source: String,
    pub line: u32,
    pub requirement: String,
    /// True for the side whose requirement stands.
    pub decides: bool,
    /// How this side differs from the deciding one; `None` when it agrees.
    pub differs: Option<ConflictKind>,
}

/// Sources disagree about one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub category: CategoryKey,
    pub kinds: BTreeSet<ConflictKind>,
    pub sides: Vec<Side>,
    pub resolution: String,
}

/// A name alias applied to a record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct AliasApplication {
    pub source: String,
    pub line: u32,
    pub level: u8,
    pub from: String,
    pub to: String,
}

/// A record that went into no category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dropped {
    pub source: String,
    pub line: u32,
    pub reason: String,
}

/// One licence of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceEntry {
    pub licence: String,
    /// Other spellings seen in the sources.
    pub aliases: Vec<String>,
    /// Number of canonical categories whose deciding requirement names it.
    pub categories: usize,
    /// Sources that name it.
    pub sources: Vec<String>,
}

/// A requirement text the grammar could not place completely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnparsedText {
    pub source: String,
    pub line: u32,
    pub text: String,
}

/// Everything the normaliser produces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Normalized {
    pub categories: Vec<Category>,
    pub conflicts: Vec<Conflict>,
    pub licences: Vec<LicenceEntry>,
    pub aliases_applied: Vec<AliasApplication>,
    pub dropped: Vec<Dropped>,
    /// Requirements read (non-empty) and how many of them without any unparsed part.
    pub requirements_read: usize,
    pub requirements_parsed: usize,
    pub unparsed: Vec<UnparsedText>,
}

impl Normalized {
    /// Percentage of requirements read without an unplaced part (100 when none were read).
    pub fn parsed_share(&self) -> f64 {
        if self.requirements_read == 0 {
            100.0
        } else {
            100.0 * self.requirements_parsed as f64 / self.requirements_read as f64
        }
    }
}

/// Reconciles the category sources.
pub fn normalize(sources: &[SourceInput], mentions: &[Mention], aliases: &Aliases) -> Normalized {
    let mut out = Normalized::default();
    // Newest first; the order of `sources` breaks ties.
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by(|&a, &b| sources[b].as_of.cmp(sources[a].as_of).then(a.cmp(&b)));
    let rank = |id: &str| {
        order
            .iter()
            .position(|&i| sources[i].id == id)
            .unwrap_or(usize::MAX)
    };

    let mut groups: BTreeMap<CategoryKey, Vec<(Contributor, &ExtractedRecord)>> = BTreeMap::new();
    let mut registry = Registry::default();
    for source in sources {
        let choose_column = source
            .extraction
            .extra_columns
            .iter()
            .position(|c| *c == "choose");
        for record in &source.extraction.records {
            let Some(subject) = record.subject else {
                out.dropped.push(Dropped {
                    source: source.id.to_string(),
                    line: record.provenance.line,
                    reason: "no subject".into(),
                });
                continue;
            };
            if record.path.level1.is_empty() {
                out.dropped.push(Dropped {
                    source: source.id.to_string(),
                    line: record.provenance.line,
                    reason: "no level-1 name".into(),
                });
                continue;
            }
            let mut key = CategoryKey {
                subject,
                level1: record.path.level1.clone(),
                level2: record.path.level2.clone(),
                level3: record.path.level3.clone(),
            };
            for (level, applied) in aliases.apply(&mut key) {
                out.aliases_applied.push(AliasApplication {
                    source: source.id.to_string(),
                    line: record.provenance.line,
                    level,
                    from: applied.0,
                    to: applied.1,
                });
            }
            let logic = match &record.requirement_tree {
                Some(tree) => leimu_requirement::from_tree(tree),
                None => {
                    let choose = choose_column
                        .and_then(|i| record.extras.get(i))
                        .and_then(|n| n.parse().ok());
                    leimu_requirement::parse(&record.requirement, choose)
                }
            };
            if let Some(logic) = &logic {
                out.requirements_read += 1;
                let unparsed = logic.unparsed();
                if unparsed.is_empty() {
                    out.requirements_parsed += 1;
                }
                out.unparsed
                    .extend(unparsed.into_iter().map(|text| UnparsedText {
                        source: source.id.to_string(),
                        line: record.provenance.line,
                        text,
                    }));
                registry.note(source.id, logic.licences(), aliases);
            }
            groups.entry(key).or_default().push((
                Contributor {
                    source: source.id.to_string(),
                    line: record.provenance.line,
                    as_of: source.as_of.to_string(),
                    requirement: record.requirement.clone(),
                    logic,
                },
                record,
            ));
        }
    }

    for mention in mentions {
        registry.note(mention.source, leimu_model::licences(mention.text), aliases);
    }

    let canonical_licence = |name: &str| aliases.licence(name);
    let mut required_by: BTreeMap<String, usize> = BTreeMap::new();
    for (key, mut members) in groups {
        members.sort_by_key(|(c, _)| (rank(&c.source), c.line));
        let decider = members.iter().position(|(c, _)| c.logic.is_some());
        let requirement = decider
            .and_then(|d| members[d].0.logic.as_ref())
            .map(|r| r.canonical(&canonical_licence));
        let first_text = |pick: fn(&ExtractedRecord) -> &String| {
            decider
                .map(|d| pick(members[d].1))
                .filter(|t| !t.is_empty())
                .or_else(|| members.iter().map(|(_, r)| pick(r)).find(|t| !t.is_empty()))
                .cloned()
                .unwrap_or_default()
        };
        let scope = first_text(|r| &r.scope);
        let notes = first_text(|r| &r.notes);
        let mut sources_listed: Vec<String> = Vec::new();
        for (c, _) in &members {
            if !sources_listed.contains(&c.source) {
                sources_listed.push(c.source.clone());
            }
        }

        let mut sides = Vec::new();
        let mut kinds = BTreeSet::new();
        if let (Some(d), Some(decided)) = (decider, &requirement) {
            for (i, (c, _)) in members.iter().enumerate() {
                let differs = if i == d {
                    None
                } else {
                    compare(
                        decided,
                        c.logic
                            .as_ref()
                            .map(|l| l.canonical(&canonical_licence))
                            .as_ref(),
                    )
                };
                if let Some(kind) = differs {
                    kinds.insert(kind);
                }
                sides.push(Side {
                    source: c.source.clone(),
                    line: c.line,
                    requirement: c.requirement.clone(),
                    decides: i == d,
                    differs,
                });
            }
        }
        let conflict_count = sides.iter().filter(|s| s.differs.is_some()).count();
        if conflict_count > 0 {
            let d = decider.map(|d| &members[d].0);
            out.conflicts.push(Conflict {
                category: key.clone(),
                kinds,
                sides,
                resolution: d.map_or_else(String::new, |d| {
                    format!(
                        "{} (as of {}, line {}) decides: the newest source that states a requirement",
                        d.source, d.as_of, d.line
                    )
                }),
            });
        }
        if let Some(r) = &requirement {
            for name in r.licences() {
                *required_by.entry(name).or_default() += 1;
            }
        }
        out.categories.push(Category {
            key,
            requirement,
            scope,
            notes,
            sources: sources_listed,
            decided_by: decider.map(|d| members[d].0.source.clone()),
            conflicts: conflict_count,
            contributors: members.into_iter().map(|(c, _)| c).collect(),
        });
    }

    out.licences = registry
        .named_by
        .into_iter()
        .map(|(licence, naming)| LicenceEntry {
            aliases: registry
                .spellings
                .remove(&licence)
                .map(|s| s.into_iter().collect())
                .unwrap_or_default(),
            categories: required_by.get(&licence).copied().unwrap_or(0),
            // Category sources newest first, then the others by name.
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
        .collect();
    out.aliases_applied.sort();
    out
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

/// How `other` differs from the deciding requirement, both canonical.
fn compare(decided: &Requirement, other: Option<&Requirement>) -> Option<ConflictKind> {
    let Some(other) = other else {
        return Some(ConflictKind::RequirementVsNone);
    };
    if decided == other {
        return None;
    }
    if decided.licences() != other.licences() {
        return Some(ConflictKind::DifferentLicences);
    }
    if strip_wording(decided) == strip_wording(other) {
        Some(ConflictKind::DifferentDocuments)
    } else {
        Some(ConflictKind::DifferentLogic)
    }
}

/// The logic of the licences alone: qualifiers blanked, conditions
/// unnamed, documents without 《》 (and text the grammar could not place)
/// removed. Two requirements that agree here differ only in wording.
fn strip_wording(r: &Requirement) -> Option<Requirement> {
    let group = |of: &[Requirement]| -> Vec<Requirement> {
        let mut of: Vec<Requirement> = of.iter().filter_map(strip_wording).collect();
        of.sort();
        of
    };
    let collapse =
        |mut of: Vec<Requirement>, make: &dyn Fn(Vec<Requirement>) -> Requirement| match of.len() {
            0 => None,
            1 => of.pop(),
            _ => Some(make(of)),
        };
    match r {
        Requirement::AllOf { of } => collapse(group(of), &|of| Requirement::AllOf { of }),
        Requirement::AnyOf { choose, of } => {
            let choose = *choose;
            collapse(group(of), &move |of| Requirement::AnyOf { choose, of })
        }
        Requirement::When { then, .. } => strip_wording(then).map(|then| Requirement::When {
            condition: String::new(),
            then: Box::new(then),
        }),
        Requirement::Licence { name, .. } => Some(Requirement::Licence {
            name: name.clone(),
            qualifier: String::new(),
        }),
        Requirement::Document { .. } | Requirement::Unparsed { .. } => None,
    }
}

#[cfg(test)]
mod tests;
