//! Stage 2: which statement decides a category, and the category's status.
//!
//! The precedence policy, written once here and as data in
//! `raw/sources.toml` (`authority`, `as_of`, `series`):
//!
//! 1. Official sources decide before reference sources: a reference source
//!    decides a category only when no official source lists it, and the
//!    category is then `reference-only`.
//! 2. Among sources of one authority, the newest `as_of` decides; the order
//!    of `raw/sources.toml` breaks ties, then the line.
//! 3. Every listing states something: a requirement, or explicitly none, so
//!    a newer official `/` overrides an older official licence list.
//!
//! Status: `added` / `adjusted` when a change notice decides (its section);
//! `retired` when the deciding source is a revision of a series that has a
//! newer revision (which, being newer, would have decided had it listed the
//! category); `reference-only` as above; otherwise `listed`.

use std::collections::HashMap;

use leimu_model::{Authority, CategoryPath, NoticeSection, SourceFields, Text};
use serde::Serialize;

use crate::collect::{Identity, Reading, Tables};
use crate::{Category, Contributor, Listing, SourceInput, SourceSummary, Statement};

/// Where a category stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// In the newest revision of an official list.
    Listed,
    /// Created by a change notice.
    Added,
    /// Its requirement replaced by a change notice.
    Adjusted,
    /// Listed only by revisions that a newer revision of the same series replaced.
    Retired,
    /// Listed by reference sources only.
    ReferenceOnly,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Listed,
        Status::Added,
        Status::Adjusted,
        Status::Retired,
        Status::ReferenceOnly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Listed => "listed",
            Status::Added => "added",
            Status::Adjusted => "adjusted",
            Status::Retired => "retired",
            Status::ReferenceOnly => "reference-only",
        }
    }

    /// True for the statuses of categories one can choose today.
    pub fn is_current(self) -> bool {
        !matches!(self, Status::Retired)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The listings of one category, in precedence order, and what they decide.
#[derive(Debug)]
pub struct Decision<'a> {
    /// The category's key and id.
    pub identity: &'a Identity,
    /// In precedence order.
    pub listings: Vec<Listing<'a>>,
    /// The listing whose statement decides: the first that states something.
    pub decider: usize,
    pub status: Status,
}

impl<'a> Decision<'a> {
    /// The listing whose statement decides the requirement.
    pub fn decider(&self) -> &Listing<'a> {
        &self.listings[self.decider]
    }

    /// The listing of highest precedence: it gives the displayed path and the status.
    pub fn first(&self) -> &Listing<'a> {
        &self.listings[0]
    }

    /// Every listing but the decider's, in precedence order.
    pub fn others(&self) -> impl Iterator<Item = &Listing<'a>> {
        let decider = self.decider;
        self.listings
            .iter()
            .enumerate()
            .filter(move |(i, _)| *i != decider)
            .map(|(_, l)| l)
    }
}

/// Groups listings by key, in key order; each group keeps the listings'
/// order.
pub fn group<'a>(
    listings: Vec<Listing<'a>>,
    tables: &'a Tables,
) -> Vec<(&'a Identity, Vec<Listing<'a>>)> {
    let identities = tables.identities();
    let mut groups: Vec<Vec<Listing>> = vec![Vec::new(); identities.len()];
    for listing in listings {
        groups[listing.identity.index].push(listing);
    }
    let mut out: Vec<(&Identity, Vec<Listing>)> = identities
        .iter()
        .zip(groups)
        .filter(|(_, listings)| !listings.is_empty())
        .collect();
    out.sort_by(|(a, _), (b, _)| a.key.cmp(&b.key));
    out
}

/// The precedence of a source: official first, then newest, then manifest order.
pub fn precedence<'a>(
    sources: &[SourceInput<'a>],
    index: usize,
) -> (Authority, std::cmp::Reverse<&'a str>, usize) {
    let s = &sources[index];
    (s.authority, std::cmp::Reverse(s.as_of), index)
}

/// Orders a category's listings by precedence and picks its status.
///
/// `listings` is never empty: a group exists because a listing has its key.
pub fn decide<'a>(
    sources: &[SourceInput],
    identity: &'a Identity,
    mut listings: Vec<Listing<'a>>,
) -> Decision<'a> {
    // Each source's place in precedence order, so that sorting compares numbers.
    let mut rank = vec![0; sources.len()];
    for (place, index) in by_precedence(sources).into_iter().enumerate() {
        rank[index] = place;
    }
    listings.sort_by_key(|l| (rank[l.source], l.record.provenance.line));
    let status = status(sources, &listings[0]);
    let decider = listings
        .iter()
        .position(|l| *l.statement() != Statement::Unstated)
        .unwrap_or(0);
    Decision {
        identity,
        listings,
        decider,
        status,
    }
}

fn status(sources: &[SourceInput], decider: &Listing) -> Status {
    let source = &sources[decider.source];
    if source.authority == Authority::Reference {
        return Status::ReferenceOnly;
    }
    if let SourceFields::Notice { section, .. } = decider.record.fields {
        return match section {
            NoticeSection::Added => Status::Added,
            NoticeSection::Adjusted => Status::Adjusted,
        };
    }
    if is_superseded(sources, decider.source) {
        Status::Retired
    } else {
        Status::Listed
    }
}

/// True when a newer revision of the source's series exists.
pub fn is_superseded(sources: &[SourceInput], index: usize) -> bool {
    let source = &sources[index];
    source.series.is_some_and(|series| {
        sources
            .iter()
            .any(|other| other.series == Some(series) && other.as_of > source.as_of)
    })
}

/// The indexes of the sources in precedence order.
pub fn by_precedence(sources: &[SourceInput]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by_key(|&i| precedence(sources, i));
    order
}

/// The category sources in precedence order, as the report names them.
pub fn source_summaries(sources: &[SourceInput]) -> Vec<SourceSummary> {
    by_precedence(sources)
        .into_iter()
        .map(|i| {
            let s = &sources[i];
            SourceSummary {
                id: s.id.to_string(),
                file: s.file.to_string(),
                as_of: s.as_of.to_string(),
                authority: s.authority,
                series: s.series.map(String::from),
                superseded: is_superseded(sources, i),
            }
        })
        .collect()
}

/// Each source's id and date, one copy for all of its contributors.
pub struct SharedTexts {
    ids: Vec<Text>,
    dates: Vec<Text>,
}

impl SharedTexts {
    pub fn of(sources: &[SourceInput]) -> SharedTexts {
        SharedTexts {
            ids: sources.iter().map(|s| Text::from(s.id)).collect(),
            dates: sources.iter().map(|s| Text::from(s.as_of)).collect(),
        }
    }
}

impl Decision<'_> {
    /// The canonical category (its `conflicts` count is filled in later).
    pub fn into_category(self, sources: &[SourceInput], shared: &SharedTexts) -> Category {
        let decider = self.decider();
        let first = self.first();
        let source = &sources[decider.source];
        let path = first.path;
        let text = |pick: for<'l> fn(&'l Listing) -> &'l Text| {
            self.listings
                .iter()
                .filter(|l| sources[l.source].authority == sources[first.source].authority)
                .map(pick)
                .find(|t| !t.is_empty())
                .cloned()
                .unwrap_or_default()
        };
        let mut listed: Vec<usize> = Vec::new();
        for l in &self.listings {
            if !listed.contains(&l.source) {
                listed.push(l.source);
            }
        }
        Category {
            id: self.identity.id.clone(),
            path: path.clone(),
            status: self.status,
            beta: matches!(first.record.fields, SourceFields::Notice { beta: true, .. }),
            statement: decider.reading.displayed.clone(),
            scope: text(|l| &l.record.scope).to_string(),
            notes: with_requirement_notes(text(|l| &l.record.notes).to_string(), decider),
            sources: listed.iter().map(|&i| sources[i].id.to_string()).collect(),
            decided_by: source.id.to_string(),
            decided_line: decider.record.provenance.line,
            decided_as_of: source.as_of.to_string(),
            authority: source.authority,
            conflicts: 0,
            succeeded_by: Vec::new(),
            contributors: contributors(sources, shared, &self.listings, path),
            key: self.identity.key.clone(),
        }
    }
}

/// The notes, then the `注:` lines inside the deciding requirement block
/// (a notice's "若《营业执照》无经营许可信息,需同时补充…"), each once.
fn with_requirement_notes(notes: String, decider: &Listing) -> String {
    let mut lines: Vec<String> = notes
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    for note in &decider.reading.notes {
        if !lines.iter().any(|l| l.contains(note.as_str())) {
            lines.push(note.clone());
        }
    }
    lines.join("\n")
}

/// Every listing as a contributor to the category shown at `path`.
fn contributors(
    sources: &[SourceInput],
    shared: &SharedTexts,
    listings: &[Listing],
    path: &CategoryPath,
) -> Vec<Contributor> {
    // Per place (one written path), the path to show when it differs.
    let mut written: Vec<(usize, Option<Text>)> = Vec::new();
    // Per reading (one requirement text), one copy of the text: the
    // sources of a category mostly state the same requirement.
    let mut requirements: HashMap<*const Reading, Text> = HashMap::new();
    listings
        .iter()
        .map(|l| {
            let requirement = requirements
                .entry(std::ptr::from_ref(l.reading))
                .or_insert_with(|| Text::from(l.record.requirement.as_str()))
                .clone();
            let written_path = match written.iter().find(|(place, _)| *place == l.place) {
                Some((_, shown)) => shown.clone(),
                None => {
                    let shown = (l.record.path != *path).then(|| l.record.path.to_string().into());
                    written.push((l.place, shown.clone()));
                    shown
                }
            };
            contributor(sources, shared, l, written_path, requirement)
        })
        .collect()
}

fn contributor(
    sources: &[SourceInput],
    shared: &SharedTexts,
    l: &Listing,
    written_path: Option<Text>,
    requirement: Text,
) -> Contributor {
    let source = &sources[l.source];
    Contributor {
        source: shared.ids[l.source].clone(),
        line: l.record.provenance.line,
        as_of: shared.dates[l.source].clone(),
        authority: source.authority,
        written_path,
        requirement,
        requirement_from: crate::collect::requirement_from(l.record),
    }
}
