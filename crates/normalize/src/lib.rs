//! The normaliser: one canonical dataset from the extractions of every
//! category source, with the changes and disagreements between them.
//!
//! This is the only crate that compares sources. It runs in stages, each a
//! module with its own tests:
//!
//! 1. [`collect`]: every record becomes a [`Listing`]: its path renamed by the
//!    curated aliases of `raw/aliases.toml`, its [`CategoryKey`] in the
//!    identity normal form ([`identity`]), and what it states: a
//!    requirement, or explicitly none (`/` or an empty cell is a statement,
//!    [`Statement::None`]). Records without a subject or a level 1 are
//!    dropped with a reason.
//! 2. [`decide`]: listings are grouped by key; the precedence policy picks
//!    the deciding statement (official sources before reference ones, then
//!    newest `as_of`), and the category's status (`listed`, `added`,
//!    `adjusted`, `retired`, `reference-only`).
//! 3. [`compare`]: every other statement is compared with the decision as
//!    logic, after licence aliasing; a difference is a *change* (a newer
//!    official source replaced an older one), a *disagreement* a person must
//!    resolve, or a reference source's differing view.
//! 4. [`structure`]: overlaps (an end category in one source, a parent in
//!    another), the successors of retired categories that a newer revision
//!    divides, and rename suggestions (never applied).
//! 5. [`registry`]: the licence registry.
//! 6. [`history`]: every category's changes across the sources, oldest first.
//!
//! Every record ends in exactly one category, or in [`Normalized::dropped`]
//! with a reason.

mod aliases;
pub mod collect;
pub mod compare;
pub mod decide;
pub mod history;
pub mod identity;
pub mod registry;
pub mod report;
pub mod structure;

use std::collections::BTreeMap;

use leimu_model::{Authority, CategoryPath, Extraction, Text};
use leimu_requirement::Requirement;
use rayon::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use aliases::{AliasUse, Aliases, AliasesError};
pub use collect::Listing;
pub use compare::{
    Change, ChangeKind, ConflictKind, Disagreement, DisagreementKind, Restriction, Side,
};
pub use decide::Status;
pub use history::{HistoryChange, HistoryEntry};
pub use identity::{identity_name, CategoryKey};
pub use registry::{CategoryLicence, LicenceAliasSuggestion, LicenceEntry, LicenceKind, Role};
pub use structure::{Overlap, RenameSuggestion};

/// One category source as the normaliser sees it.
pub struct SourceInput<'a> {
    pub id: &'a str,
    /// The file as the report names it (`raw/service-categories.md`).
    pub file: &'a str,
    /// `YYYY-MM-DD`; among official sources, newer decides.
    pub as_of: &'a str,
    pub authority: Authority,
    /// The publication this document is a revision of, if several are.
    pub series: Option<&'a str>,
    pub extraction: &'a Extraction,
}

/// Text of a non-category source that names licences (the filing guide's
/// remarks): counted in the licence registry's `sources`, nowhere else.
pub struct Mention<'a> {
    pub source: &'a str,
    pub text: &'a str,
}

/// What a source says a category requires.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Statement {
    /// The source lists the category but says nothing of its requirement (a
    /// notice entry that changes only the scope or notes). It decides only
    /// when no listing states anything.
    #[default]
    Unstated,
    /// `/` or an empty requirement cell: no document is required.
    None,
    /// These documents, combined this way.
    Requires(Requirement),
}

impl Statement {
    /// The requirement as readable text; empty when none is required or stated.
    pub fn render(&self) -> String {
        match self {
            Statement::Unstated | Statement::None => String::new(),
            Statement::Requires(r) => r.render(),
        }
    }

    /// The licences named, canonical names, sorted.
    pub fn licences(&self) -> Vec<String> {
        match self {
            Statement::Unstated | Statement::None => Vec::new(),
            Statement::Requires(r) => r.licences().into_iter().collect(),
        }
    }

    pub fn requirement(&self) -> Option<&Requirement> {
        match self {
            Statement::Requires(r) => Some(r),
            _ => None,
        }
    }

    /// `yes`, `no` (none required) or `unstated`.
    pub fn needs_documents(&self) -> &'static str {
        match self {
            Statement::Unstated => "unstated",
            Statement::None => "no",
            Statement::Requires(_) => "yes",
        }
    }
}

impl Serialize for Statement {
    /// A requirement tree, or `{"kind": "none"}`, or `{"kind": "unstated"}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Statement::Unstated | Statement::None => {
                let mut map = serializer.serialize_map(Some(1))?;
                let kind = if *self == Statement::None {
                    "none"
                } else {
                    "unstated"
                };
                map.serialize_entry("kind", kind)?;
                map.end()
            }
            Statement::Requires(r) => r.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Statement {
    /// What [`Statement`]'s `Serialize` writes: `{"kind": "none"}`,
    /// `{"kind": "unstated"}`, or a requirement tree.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(tag = "kind", rename_all = "lowercase")]
        enum Marker {
            None,
            Unstated,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Marker(Marker),
            Requires(Requirement),
        }
        Ok(match Written::deserialize(deserializer)? {
            Written::Marker(Marker::None) => Statement::None,
            Written::Marker(Marker::Unstated) => Statement::Unstated,
            Written::Requires(r) => Statement::Requires(r),
        })
    }
}

/// A record that contributed to a category.
///
/// The source's id and date, a path written differently and the
/// requirement text are shared by every contributor that has them (a
/// category of a scaled corpus has a thousand contributors of one source).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contributor {
    pub source: Text,
    pub line: u32,
    pub as_of: Text,
    pub authority: Authority,
    /// The path as the source writes it, when it differs from the category's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written_path: Option<Text>,
    /// The requirement as written in the source; empty for none.
    pub requirement: Text,
    /// The line the requirement is written on, when the record inherits it
    /// from a merged cell above.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirement_from: Option<u32>,
}

/// A canonical category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    /// Stable id, a function of the key alone ([`CategoryKey::id`]).
    pub id: String,
    /// The key, in normal form.
    #[serde(skip)]
    pub key: CategoryKey,
    /// The path as the newest official source spells it.
    pub path: CategoryPath,
    pub status: Status,
    /// Open only to an internal beta, as the deciding notice says.
    pub beta: bool,
    /// The deciding statement, canonical.
    pub statement: Statement,
    pub scope: String,
    pub notes: String,
    /// Every source that lists the category, in precedence order.
    pub sources: Vec<String>,
    pub decided_by: String,
    pub decided_line: u32,
    pub decided_as_of: String,
    /// The authority of the deciding source; `reference` is flagged in the report.
    pub authority: Authority,
    /// Number of sides of disagreements about this category.
    pub conflicts: usize,
    /// For a retired category whose path the newest revision of its series
    /// divides into deeper categories: their ids, in key order.
    pub succeeded_by: Vec<String>,
    pub contributors: Vec<Contributor>,
}

impl Category {
    /// The canonical requirement as text (empty when none is required).
    pub fn requirement_text(&self) -> String {
        self.statement.render()
    }
}

/// A record that went into no category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dropped {
    pub source: String,
    pub line: u32,
    pub reason: String,
}

/// A requirement text the grammar could not place completely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnparsedText {
    pub source: String,
    pub line: u32,
    pub text: String,
}

/// A row a parser read with a choice: another reading of the flattened
/// layout was possible (an `ambiguous` diagnostic), to check against the
/// published page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmbiguousRow {
    pub source: String,
    pub file: String,
    pub line: u32,
    pub message: String,
}

/// A requirement text the grammar read after repairing it (a mistyped
/// bracket: `《网络文化经营许可证）`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repair {
    pub source: String,
    pub file: String,
    pub line: u32,
    pub message: String,
}

/// A curated alias and how many records it renamed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AliasCount {
    pub table: &'static str,
    pub from: String,
    pub to: String,
    pub records: usize,
}

/// What the report says about one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceSummary {
    pub id: String,
    pub file: String,
    pub as_of: String,
    pub authority: Authority,
    pub series: Option<String>,
    /// True when a newer revision of the same series exists.
    pub superseded: bool,
}

/// Everything the normaliser produces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Normalized {
    /// The category sources, in precedence order.
    pub sources: Vec<SourceSummary>,
    pub categories: Vec<Category>,
    /// Every category whose deciding statement differs from the official
    /// statement before it, newest source first.
    pub changes: Vec<Change>,
    /// Differences a person must resolve.
    pub disagreements: Vec<Disagreement>,
    /// Reference sources that differ from an official decision (policy
    /// already decided; listed for the record).
    pub reference_differences: Vec<Disagreement>,
    pub overlaps: Vec<Overlap>,
    /// Every change of every category across the sources, in `as_of` order.
    pub history: Vec<HistoryEntry>,
    pub rename_suggestions: Vec<RenameSuggestion>,
    pub licences: Vec<LicenceEntry>,
    /// Registry names that may be one licence; never applied.
    pub licence_alias_suggestions: Vec<LicenceAliasSuggestion>,
    /// One row per (category, licence, role) of every deciding requirement.
    pub links: Vec<CategoryLicence>,
    pub aliases_applied: Vec<AliasCount>,
    pub dropped: Vec<Dropped>,
    /// Requirements read (non-empty) and how many of them without any unparsed part.
    pub requirements_read: usize,
    pub requirements_parsed: usize,
    pub unparsed: Vec<UnparsedText>,
    /// Requirement texts read after a repair.
    pub repairs: Vec<Repair>,
    /// How faithfully the requirement texts were read.
    pub fidelity: leimu_requirement::Fidelity,
    /// Rows of the category sources read with a choice, in source order.
    pub ambiguous: Vec<AmbiguousRow>,
    /// Per source id, the category id of each record in extraction order
    /// (`None` for a dropped record).
    #[serde(skip)]
    pub assignments: BTreeMap<String, Vec<Option<String>>>,
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

    /// The category with this id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }
}

/// Reconciles the category sources.
///
/// Each distinct requirement is read once and each category decided on its
/// own, in parallel; results are assembled in key order, so the output does
/// not depend on the number of threads.
pub fn normalize(
    sources: &[SourceInput],
    mentions: &[Mention],
    restrictions: &[Restriction],
    aliases: &Aliases,
) -> Normalized {
    let tables = collect::Tables::build(sources, mentions, aliases);
    let collected = collect::collect(sources, &tables);
    let groups = decide::group(collected.listings, &tables);
    let shared = decide::SharedTexts::of(sources);
    let decided: Vec<(Category, compare::Comparisons, Vec<HistoryEntry>)> = groups
        .into_par_iter()
        .map(|(identity, listings)| {
            let decision = decide::decide(sources, identity, listings);
            let mut comparisons = compare::Comparisons::default();
            comparisons.add(sources, &decision);
            let history = history::of(sources, &decision);
            (
                decision.into_category(sources, &shared),
                comparisons,
                history,
            )
        })
        .collect();
    let mut categories: Vec<Category> = Vec::with_capacity(decided.len());
    let mut comparisons = compare::Comparisons::default();
    let mut history = Vec::new();
    for (category, found, changes) in decided {
        categories.push(category);
        comparisons.append(found);
        history.extend(changes);
    }
    let file_of = |id: &str| {
        sources
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| id.to_string(), |s| s.file.to_string())
    };
    let overlaps = structure::overlaps(&categories, &file_of);
    structure::assign_successors(sources, &mut categories);
    comparisons.disagreements.extend(compare::excluded_subjects(
        &categories,
        restrictions,
        &file_of,
    ));
    let rename_suggestions = structure::rename_suggestions(sources, &categories, &file_of);
    comparisons.count_into(&mut categories, &overlaps);
    structure::mark_divisions(&mut history, &categories);
    history::sort(&mut history);
    let licences = registry::build(sources, mentions, aliases, &collected.logic, &categories);
    let licence_alias_suggestions = registry::alias_suggestions(&licences);
    let links = registry::links(&categories);
    Normalized {
        sources: decide::source_summaries(sources),
        changes: comparisons.changes,
        disagreements: comparisons.disagreements,
        reference_differences: comparisons.reference_differences,
        overlaps,
        history,
        rename_suggestions,
        licences,
        licence_alias_suggestions,
        links,
        aliases_applied: collected.aliases_applied,
        dropped: collected.dropped,
        requirements_read: collected.requirements_read,
        requirements_parsed: collected.requirements_parsed,
        unparsed: collected.unparsed,
        repairs: collected.repairs,
        fidelity: collected.fidelity,
        ambiguous: collect::ambiguous_rows(sources),
        assignments: collected.assignments,
        categories,
    }
}

#[cfg(test)]
mod tests;
