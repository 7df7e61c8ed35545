//! Stage 6: the history of every category, one entry per change, across the
//! sources in `as_of` order.
//!
//! A category's history walks the statements of the authority that decides
//! it (official sources, or the reference sources of a `reference-only`
//! category), oldest source first, and keeps what the category looked like
//! after each source:
//!
//! * the first source that lists it `added` it (again, after a removal);
//! * a newer revision of the series of the source that last listed it, which
//!   no longer lists it, `removed` it (a change notice or a document of
//!   another publication that does not list a category says nothing about it);
//! * a source that lists it with another requirement changed it, compared as
//!   logic after licence aliasing, as disagreements are: `requirement` (none
//!   required ↔ documents required), `licences` (another set of licences),
//!   `logic` (same licences combined otherwise), `wording` (same logic,
//!   other documents without 《》 or qualifiers). A text that reads as the
//!   same logic is no change; a notice entry that states no requirement
//!   keeps the requirement;
//! * a source that states other `notes` or `scope` than the category had
//!   changed those (an empty cell keeps them, as in the canonical category).
//!
//! This is the same policy as [`crate::decide`]: the category's last entry
//! describes its decision, and a category whose last entry is `removed` is
//! `retired`.

use leimu_model::{Authority, CategoryPath, NoticeSection, SourceFields, Subject};
use serde::Serialize;

use crate::collect::Reading;
use crate::compare::{self, ConflictKind};
use crate::decide::{precedence, Decision};
use crate::{CategoryKey, Listing, SourceInput, Statement};

/// What one source did to a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HistoryChange {
    /// The source lists a category that was not listed before.
    Added,
    /// A change notice lists the category in its 类目调整 section where no
    /// source read before it does (first, or again after a revision dropped
    /// it): the category existed, in no source read here.
    Adjusted,
    /// A newer revision of the series that listed the category drops it.
    Removed,
    /// A newer revision of the series that listed the category lists deeper
    /// categories under its path instead (文娱 › 小说 → 文娱 › 小说 › 电子书;
    /// 网络小说): a removal that the revision explains
    /// ([`crate::structure::mark_divisions`]).
    Divided,
    /// Documents now required where none were, or none where some were.
    Requirement,
    /// Another set of licences.
    Licences,
    /// The same licences, combined otherwise (`或` vs `和`, choose-N, conditions).
    Logic,
    /// The same logic; other documents without 《》 or other qualifiers.
    Wording,
    Notes,
    Scope,
}

impl HistoryChange {
    pub const ALL: [HistoryChange; 10] = [
        HistoryChange::Added,
        HistoryChange::Adjusted,
        HistoryChange::Removed,
        HistoryChange::Divided,
        HistoryChange::Requirement,
        HistoryChange::Licences,
        HistoryChange::Logic,
        HistoryChange::Wording,
        HistoryChange::Notes,
        HistoryChange::Scope,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HistoryChange::Added => "added",
            HistoryChange::Adjusted => "adjusted",
            HistoryChange::Removed => "removed",
            HistoryChange::Divided => "divided",
            HistoryChange::Requirement => "requirement",
            HistoryChange::Licences => "licences",
            HistoryChange::Logic => "logic",
            HistoryChange::Wording => "wording",
            HistoryChange::Notes => "notes",
            HistoryChange::Scope => "scope",
        }
    }

    /// The change of the requirement that a comparison as logic found;
    /// `None` for a kind no comparison of requirements gives.
    pub fn of_requirement(kind: ConflictKind) -> Option<HistoryChange> {
        Some(match kind {
            ConflictKind::RequirementVsNone => HistoryChange::Requirement,
            ConflictKind::DifferentLicences => HistoryChange::Licences,
            ConflictKind::DifferentLogic => HistoryChange::Logic,
            ConflictKind::DifferentDocuments => HistoryChange::Wording,
            ConflictKind::SubjectExcluded => return None,
        })
    }
}

impl std::fmt::Display for HistoryChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change of one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub category_id: String,
    #[serde(skip)]
    pub key: CategoryKey,
    pub subject: Subject,
    /// The category's path as displayed (the newest official spelling).
    pub path: CategoryPath,
    pub as_of: String,
    pub source: String,
    pub file: String,
    /// The line of the source's statement; 0 for `removed` (the source has
    /// none); for `divided`, the first line of the deeper categories.
    pub line: u32,
    pub change: HistoryChange,
    /// Licences required after the change and not before (every licence for `added`).
    pub licences_added: Vec<String>,
    /// Licences required before the change and not after (every licence for
    /// `removed` and `divided`).
    pub licences_removed: Vec<String>,
    /// The requirement as the source writes it; empty for `removed`,
    /// `divided` and for none.
    pub requirement: String,
}

/// The category as it stood after a source.
struct Standing<'d> {
    /// Index of the source that last listed it.
    source: usize,
    /// Its statement, canonical.
    statement: &'d Reading,
    notes: &'d str,
    scope: &'d str,
}

/// The history of one decided category, oldest change first.
pub fn of(sources: &[SourceInput], decision: &Decision) -> Vec<HistoryEntry> {
    let authority = sources[decision.first().source].authority;
    let mut walk = History {
        sources,
        decision,
        entries: Vec::new(),
    };
    let mut standing: Option<Standing> = None;
    for index in oldest_first(sources, authority) {
        standing = match (statement_of(decision, index), standing) {
            (None, Some(before)) if drops(sources, before.source, index) => {
                walk.removed(index, &before);
                None
            }
            (None, before) => before,
            (Some(listing), None) => {
                let now = Standing::of(listing);
                walk.added(listing, &now);
                Some(now)
            }
            (Some(listing), Some(before)) => Some(walk.changed(listing, before)),
        };
    }
    walk.entries
}

/// The sources of one authority, oldest first (the reverse of precedence).
fn oldest_first(sources: &[SourceInput], authority: Authority) -> Vec<usize> {
    let mut order: Vec<usize> = (0..sources.len())
        .filter(|&i| sources[i].authority == authority)
        .collect();
    order.sort_by_key(|&i| std::cmp::Reverse(precedence(sources, i)));
    order
}

/// The listing by which source `index` states the category: its first
/// that states something, else its first.
fn statement_of<'d, 'a>(decision: &'d Decision<'a>, index: usize) -> Option<&'d Listing<'a>> {
    let mut of_source = decision.listings.iter().filter(|l| l.source == index);
    let first = of_source.next()?;
    if *first.statement() != Statement::Unstated {
        return Some(first);
    }
    of_source
        .find(|l| *l.statement() != Statement::Unstated)
        .or(Some(first))
}

/// True when `newer` is a newer revision of the series of `listed`.
fn drops(sources: &[SourceInput], listed: usize, newer: usize) -> bool {
    let (listed, newer) = (&sources[listed], &sources[newer]);
    newer.series.is_some() && newer.series == listed.series && newer.as_of > listed.as_of
}

impl<'d> Standing<'d> {
    fn of(listing: &Listing<'d>) -> Standing<'d> {
        Standing {
            source: listing.source,
            statement: listing.reading,
            notes: &listing.record.notes,
            scope: &listing.record.scope,
        }
    }
}

/// The walk over one category's sources.
struct History<'s, 'd, 'a> {
    sources: &'s [SourceInput<'s>],
    decision: &'d Decision<'a>,
    entries: Vec<HistoryEntry>,
}

impl<'a> History<'_, '_, 'a> {
    fn entry(&self, index: usize, line: u32, change: HistoryChange) -> HistoryEntry {
        let source = &self.sources[index];
        HistoryEntry {
            category_id: self.decision.identity.id.clone(),
            key: self.decision.identity.key.clone(),
            subject: self.decision.identity.key.subject,
            path: self.decision.first().path.clone(),
            as_of: source.as_of.to_string(),
            source: source.id.to_string(),
            file: source.file.to_string(),
            line,
            change,
            licences_added: Vec::new(),
            licences_removed: Vec::new(),
            requirement: String::new(),
        }
    }

    fn at(&self, listing: &Listing, change: HistoryChange) -> HistoryEntry {
        HistoryEntry {
            requirement: listing.record.requirement.to_string(),
            ..self.entry(listing.source, listing.record.provenance.line, change)
        }
    }

    fn added(&mut self, listing: &Listing, now: &Standing) {
        let change = match listing.record.fields {
            SourceFields::Notice {
                section: NoticeSection::Adjusted,
                ..
            } => HistoryChange::Adjusted,
            _ => HistoryChange::Added,
        };
        let entry = HistoryEntry {
            licences_added: now.statement.canonical_licences.iter().cloned().collect(),
            ..self.at(listing, change)
        };
        self.entries.push(entry);
    }

    fn removed(&mut self, index: usize, before: &Standing) {
        let entry = HistoryEntry {
            licences_removed: before
                .statement
                .canonical_licences
                .iter()
                .cloned()
                .collect(),
            ..self.entry(index, 0, HistoryChange::Removed)
        };
        self.entries.push(entry);
    }

    /// The entries for a source that lists the category again; the standing after it.
    fn changed(&mut self, listing: &Listing<'a>, before: Standing<'a>) -> Standing<'a> {
        let mut now = Standing {
            source: listing.source,
            ..before
        };
        let statement = listing.reading;
        if statement.canonical != Statement::Unstated {
            let change = match (&now.statement.canonical, &statement.canonical) {
                (Statement::Unstated, _) => Some(HistoryChange::Requirement),
                (old, new) => compare::compare(new, old).and_then(HistoryChange::of_requirement),
            };
            if let Some(change) = change {
                // Licences in the new statement and not in the old, and the reverse.
                let (removed, added) = compare::difference(
                    &now.statement.canonical_licences,
                    &statement.canonical_licences,
                );
                let entry = HistoryEntry {
                    licences_added: added,
                    licences_removed: removed,
                    ..self.at(listing, change)
                };
                self.entries.push(entry);
            }
            now.statement = statement;
        }
        for (change, stated, kept) in [
            (HistoryChange::Notes, &listing.record.notes, &mut now.notes),
            (HistoryChange::Scope, &listing.record.scope, &mut now.scope),
        ] {
            if !stated.is_empty() && stated != kept {
                self.entries.push(self.at(listing, change));
                *kept = stated;
            }
        }
        now
    }
}

/// Every category's history in `as_of` order (then source, category, change).
pub fn sort(entries: &mut [HistoryEntry]) {
    entries.sort_by(|a, b| {
        (&a.as_of, &a.source, &a.key, a.change).cmp(&(&b.as_of, &b.source, &b.key, b.change))
    });
}
