//! Stage 3: every statement compared with the decision, as logic.
//!
//! Statements are compared in canonical form, after licence aliasing
//! ([`leimu_requirement::Requirement::canonical`]): `和` and `与` agree, `或`
//! and `和` do not. A difference is one of three things:
//!
//! * a [`Change`]: the decision replaced the previous official statement
//!   (a change notice, or a newer revision of the same series); every entry
//!   of a change notice is a change, even one that restates the old
//!   requirement, and so is a category a newer revision dropped;
//! * a [`Disagreement`] a person must resolve: two official sources that are
//!   not revisions of one series and not a notice differ; a notice adds a
//!   category an official list already has with another requirement; a
//!   reference source decides;
//! * a reference source's differing view of an official decision: policy
//!   already decided, kept for the record.
//!
//! Apart from the statements of requirements, [`excluded_subjects`] finds
//! the categories listed for a subject that another official source says
//! may not do them (the filing guide's `(个人主体不可从事)`): a disagreement
//! too, which the category list cannot settle.

use std::collections::BTreeSet;

use foldhash::HashMap;

use leimu_model::{Authority, CategoryPath, NoticeSection, SourceFields, Subject};
use leimu_requirement::Requirement;
use serde::Serialize;

use crate::collect::Reading;
use crate::decide::{is_superseded, Decision};
use crate::{Aliases, Category, Listing, Overlap, SourceInput, Statement, Status};

/// How two statements of one category's requirement differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConflictKind {
    /// One requires documents, the other states that none are required.
    RequirementVsNone,
    /// The sets of licences differ.
    DifferentLicences,
    /// Same licences, different logic (`或` vs `和`, conditions, choose-N).
    DifferentLogic,
    /// Same licences and logic, different documents without 《》 or qualifiers.
    DifferentDocuments,
    /// Not a requirement: the side says the category's subject may not do it.
    SubjectExcluded,
}

impl ConflictKind {
    pub fn describe(self) -> &'static str {
        match self {
            ConflictKind::RequirementVsNone => "documents in one, none required in the other",
            ConflictKind::DifferentLicences => "different licences",
            ConflictKind::DifferentLogic => "same licences, different logic",
            ConflictKind::DifferentDocuments => {
                "same licences and logic, different documents without 《》 or qualifiers"
            }
            ConflictKind::SubjectExcluded => "says this subject may not do it",
        }
    }
}

/// One statement of a category, as a side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    pub source: String,
    pub file: String,
    pub line: u32,
    pub as_of: String,
    pub authority: Authority,
    /// The requirement as written; empty when the source states none.
    pub requirement: String,
    /// The line the requirement is written on, when inherited from a merged cell above.
    pub requirement_from: Option<u32>,
    /// True for the side whose statement stands.
    pub decides: bool,
    /// How this side differs from the deciding one; `None` when it agrees.
    pub differs: Option<ConflictKind>,
    /// Licences the decision names and this side does not.
    pub licences_missing: Vec<String>,
    /// Licences this side names and the decision does not.
    pub licences_extra: Vec<String>,
}

/// What a change did to a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A notice created the category; no earlier official source lists it.
    New,
    /// The requirement replaced the previous official statement.
    Replaced,
    /// A notice restated the category with the same meaning.
    Restated,
    /// A newer revision of the series no longer lists the category.
    Retired,
}

/// The decision compared with the official statement before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub category_id: String,
    pub subject: Subject,
    pub path: CategoryPath,
    pub kind: ChangeKind,
    /// The source that made the change (for `retired`: the revision that dropped it).
    pub source: String,
    pub file: String,
    /// The line of the new statement; 0 for `retired`.
    pub line: u32,
    pub as_of: String,
    /// The notice section, when a notice made the change.
    pub section: Option<NoticeSection>,
    /// The new requirement as written.
    pub requirement: String,
    /// The statement it replaced.
    pub previous: Option<Side>,
    /// How the meaning changed; `None` when it did not.
    pub differs: Option<ConflictKind>,
    pub licences_added: Vec<String>,
    pub licences_removed: Vec<String>,
    /// Made by one of the newest sources (a change notice, or the newest
    /// revision of a series when no change notice is newer): listed first
    /// in the report; the others are history.
    pub recent: bool,
}

/// Why a person must look at a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DisagreementKind {
    /// Official sources that are not revisions of one series differ.
    OfficialSourcesDiffer,
    /// A notice adds a category an official list already has, with another requirement.
    AddedButListed,
    /// No official source lists the category; a reference source decides.
    ReferenceDecides,
    /// A reference source differs from the official decision.
    ReferenceDiffers,
    /// An official source says the category's subject may not do what the
    /// category is for.
    SubjectExcluded,
}

impl DisagreementKind {
    pub fn describe(self) -> &'static str {
        match self {
            DisagreementKind::OfficialSourcesDiffer => "official sources differ",
            DisagreementKind::AddedButListed => {
                "a notice adds a category that an official list already has"
            }
            DisagreementKind::ReferenceDecides => {
                "decided by a reference source: no official source lists it"
            }
            DisagreementKind::ReferenceDiffers => "a reference source differs",
            DisagreementKind::SubjectExcluded => {
                "listed for a subject that an official source says may not do it"
            }
        }
    }
}

/// Statements of one category that a person should compare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    pub category_id: String,
    pub subject: Subject,
    pub path: CategoryPath,
    pub kind: DisagreementKind,
    /// The deciding side first.
    pub sides: Vec<Side>,
}

/// What stage 3 found, over all categories.
#[derive(Debug, Default)]
pub struct Comparisons {
    pub changes: Vec<Change>,
    pub disagreements: Vec<Disagreement>,
    pub reference_differences: Vec<Disagreement>,
}

impl Comparisons {
    /// Compares the statements of one decided category.
    pub fn add(&mut self, sources: &[SourceInput], decision: &Decision) {
        let verdicts = Verdicts::of(decision);
        let side = |l: &Listing, decides: bool| verdicts.side(sources, l, decides);
        let decider = decision.decider();
        let head = Head::of(decision);

        self.changes.extend(change(sources, decision, &verdicts));
        if decision.status == Status::ReferenceOnly {
            let sides = decision
                .listings
                .iter()
                .enumerate()
                .map(|(i, l)| side(l, i == 0))
                .collect();
            self.disagreements
                .push(head.disagreement(DisagreementKind::ReferenceDecides, sides));
            return;
        }

        let differing = |keep: &dyn Fn(&Listing) -> bool| -> Vec<Side> {
            let others: Vec<Side> = decision
                .others()
                .filter(|l| verdicts.differs(l).is_some() && keep(l))
                .map(|l| side(l, false))
                .collect();
            if others.is_empty() {
                return others;
            }
            std::iter::once(side(decider, true)).chain(others).collect()
        };
        let decider_source = &sources[decider.source];
        let unexplained = differing(&|l: &Listing| {
            let other = &sources[l.source];
            other.authority == Authority::Official
                && other.id != decider_source.id
                && !is_notice_listing(decider)
                && !(other.series.is_some() && other.series == decider_source.series)
        });
        if !unexplained.is_empty() {
            self.disagreements
                .push(head.disagreement(DisagreementKind::OfficialSourcesDiffer, unexplained));
        }
        if is_notice(decider, NoticeSection::Added) {
            let listed = differing(&|l: &Listing| {
                sources[l.source].authority == Authority::Official
                    && !is_notice_listing(l)
                    && !is_superseded(sources, l.source)
            });
            if !listed.is_empty() {
                self.disagreements
                    .push(head.disagreement(DisagreementKind::AddedButListed, listed));
            }
        }
        let reference =
            differing(&|l: &Listing| sources[l.source].authority == Authority::Reference);
        if !reference.is_empty() {
            self.reference_differences
                .push(head.disagreement(DisagreementKind::ReferenceDiffers, reference));
        }
    }

    /// Adds the findings of other categories after these.
    pub fn append(&mut self, mut other: Comparisons) {
        self.changes.append(&mut other.changes);
        self.disagreements.append(&mut other.disagreements);
        self.reference_differences
            .append(&mut other.reference_differences);
    }

    /// Sorts the findings and sets each category's `conflicts`: the number
    /// of disagreements and overlaps that name it.
    pub fn count_into(&mut self, categories: &mut [Category], overlaps: &[Overlap]) {
        self.changes.sort_by(|a, b| {
            (b.recent, &b.as_of, &a.source, a.subject, &a.path)
                .cmp(&(a.recent, &a.as_of, &b.source, b.subject, &b.path))
        });
        for c in categories.iter_mut() {
            c.conflicts = self
                .disagreements
                .iter()
                .filter(|d| d.category_id == c.id)
                .count()
                + overlaps
                    .iter()
                    .filter(|o| {
                        o.end.category_id == c.id
                            || o.children.iter().any(|m| m.category_id == c.id)
                    })
                    .count();
        }
    }
}

/// The category a finding is about.
struct Head {
    category_id: String,
    subject: Subject,
    path: CategoryPath,
}

impl Head {
    fn of(decision: &Decision) -> Head {
        Head {
            category_id: decision.identity.id.clone(),
            subject: decision.identity.key.subject,
            path: decision.first().path.clone(),
        }
    }

    fn disagreement(&self, kind: DisagreementKind, sides: Vec<Side>) -> Disagreement {
        Disagreement {
            category_id: self.category_id.clone(),
            subject: self.subject,
            path: self.path.clone(),
            kind,
            sides,
        }
    }
}

fn is_notice_listing(l: &Listing) -> bool {
    matches!(l.record.fields, SourceFields::Notice { .. })
}

fn is_notice(l: &Listing, wanted: NoticeSection) -> bool {
    matches!(l.record.fields, SourceFields::Notice { section, .. } if section == wanted)
}

/// A statement in canonical form, licences under their canonical names.
pub fn canonical(statement: &Statement, aliases: &Aliases) -> Statement {
    match statement {
        Statement::Unstated => Statement::Unstated,
        Statement::None => Statement::None,
        Statement::Requires(r) => Statement::Requires(
            crate::registry::split_joined_licences(r).canonical(&|n| aliases.licence(n)),
        ),
    }
}

/// A statement for display: canonical names and groups, source order kept
/// (`一、` before `二、`).
pub fn in_source_order(statement: &Statement, aliases: &Aliases) -> Statement {
    match statement {
        Statement::Requires(r) => Statement::Requires(
            crate::registry::split_joined_licences(r)
                .canonical_in_source_order(&|n| aliases.licence(n)),
        ),
        other => other.clone(),
    }
}

/// How every listing of one decision compares with its deciding statement,
/// each distinct statement compared once.
struct Verdicts<'a> {
    decided: &'a Reading,
    /// By reading index: how that statement differs from the decided one.
    differs: HashMap<usize, Option<ConflictKind>>,
}

impl<'a> Verdicts<'a> {
    fn of(decision: &Decision<'a>) -> Verdicts<'a> {
        let decided = decision.decider().reading;
        let mut differs = HashMap::default();
        for l in &decision.listings {
            differs
                .entry(l.reading.index)
                .or_insert_with(|| compare(&decided.canonical, &l.reading.canonical));
        }
        Verdicts { decided, differs }
    }

    /// How `l`'s statement differs from the decided one.
    fn differs(&self, l: &Listing) -> Option<ConflictKind> {
        self.differs.get(&l.reading.index).copied().flatten()
    }

    fn side(&self, sources: &[SourceInput], l: &Listing, decides: bool) -> Side {
        let (missing, extra) = difference(
            &self.decided.canonical_licences,
            &l.reading.canonical_licences,
        );
        let differs = if decides { None } else { self.differs(l) };
        side(sources, l, decides, differs, missing, extra)
    }
}

fn side(
    sources: &[SourceInput],
    l: &Listing,
    decides: bool,
    differs: Option<ConflictKind>,
    licences_missing: Vec<String>,
    licences_extra: Vec<String>,
) -> Side {
    let source = &sources[l.source];
    Side {
        source: source.id.to_string(),
        file: source.file.to_string(),
        line: l.record.provenance.line,
        as_of: source.as_of.to_string(),
        authority: source.authority,
        requirement: l.record.requirement.to_string(),
        requirement_from: crate::collect::requirement_from(l.record),
        decides,
        differs,
        licences_missing,
        licences_extra,
    }
}

/// Names in `a` and not in `b`, and in `b` and not in `a`.
pub(crate) fn difference(a: &BTreeSet<String>, b: &BTreeSet<String>) -> (Vec<String>, Vec<String>) {
    (
        a.difference(b).cloned().collect(),
        b.difference(a).cloned().collect(),
    )
}

/// The change the decision made, if it made one.
fn change(sources: &[SourceInput], decision: &Decision, verdicts: &Verdicts) -> Option<Change> {
    let decider = decision.decider();
    let decided = verdicts.decided;
    let source = &sources[decider.source];
    if source.authority != Authority::Official {
        return None;
    }
    let section = match decider.record.fields {
        SourceFields::Notice { section, .. } => Some(section),
        _ => None,
    };
    let make = |kind, source: &SourceInput, line, previous: Option<Side>, differs| {
        let (added, removed) = match &previous {
            Some(p) => (p.licences_missing.clone(), p.licences_extra.clone()),
            None => (
                decided.canonical_licences.iter().cloned().collect(),
                Vec::new(),
            ),
        };
        Change {
            category_id: decision.identity.id.clone(),
            subject: decision.identity.key.subject,
            path: decision.first().path.clone(),
            kind,
            source: source.id.to_string(),
            file: source.file.to_string(),
            line,
            as_of: source.as_of.to_string(),
            section,
            requirement: decider.record.requirement.to_string(),
            previous,
            differs,
            licences_added: added,
            licences_removed: removed,
            recent: is_recent(sources, source),
        }
    };
    if decision.status == Status::Retired {
        let newer = newest_revision(sources, source)?;
        // The decider's statement, compared with none.
        let previous = side(
            sources,
            decider,
            false,
            compare(&Statement::None, &decided.canonical),
            Vec::new(),
            decided.canonical_licences.iter().cloned().collect(),
        );
        let mut retired = make(ChangeKind::Retired, newer, 0, Some(previous), None);
        retired.section = None;
        retired.requirement = String::new();
        (retired.licences_added, retired.licences_removed) = (
            Vec::new(),
            decided.canonical_licences.iter().cloned().collect(),
        );
        return Some(retired);
    }
    let previous = decision.others().find(|l| {
        sources[l.source].authority == Authority::Official && sources[l.source].id != source.id
    });
    match previous {
        None if section.is_some() => Some(make(
            ChangeKind::New,
            source,
            decider.record.provenance.line,
            None,
            None,
        )),
        None => None,
        Some(p) => {
            let previous = verdicts.side(sources, p, false);
            let differs = previous.differs;
            let kind = match differs {
                None if section.is_some() => ChangeKind::Restated,
                None => return None,
                Some(_) => ChangeKind::Replaced,
            };
            Some(make(
                kind,
                source,
                decider.record.provenance.line,
                Some(previous),
                differs,
            ))
        }
    }
}

/// The newest revision of `source`'s series.
fn newest_revision<'a>(
    sources: &'a [SourceInput<'a>],
    source: &SourceInput,
) -> Option<&'a SourceInput<'a>> {
    sources
        .iter()
        .filter(|s| s.series.is_some() && s.series == source.series)
        .max_by(|a, b| a.as_of.cmp(b.as_of))
}

/// One of the newest sources: a change notice, or the newest revision of a
/// series when no change notice is newer.
fn is_recent(sources: &[SourceInput], source: &SourceInput) -> bool {
    let is_notice = |s: &SourceInput| s.extraction.shape == leimu_model::RecordShape::Notice;
    if is_notice(source) {
        return true;
    }
    let newest_of_series = source.series.is_none()
        || newest_revision(sources, source).is_some_and(|n| n.id == source.id);
    newest_of_series
        && !sources
            .iter()
            .any(|s| is_notice(s) && s.authority == Authority::Official && s.as_of > source.as_of)
}

/// How `other` differs from the deciding statement, both canonical.
pub fn compare(decided: &Statement, other: &Statement) -> Option<ConflictKind> {
    let (decided, other) = match (decided, other) {
        (Statement::Unstated, _) | (_, Statement::Unstated) => return None,
        (Statement::None, Statement::None) => return None,
        (Statement::None, _) | (_, Statement::None) => {
            return Some(ConflictKind::RequirementVsNone)
        }
        (Statement::Requires(a), Statement::Requires(b)) => (a, b),
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
/// unnamed, titles dropped, documents without 《》 (and text the grammar could not place)
/// removed. Two requirements that agree here differ only in wording.
fn strip_wording(r: &Requirement) -> Option<Requirement> {
    let group = |of: &[Requirement]| -> Vec<Requirement> {
        let mut of: Vec<Requirement> = of.iter().filter_map(strip_wording).collect();
        of.sort();
        of.dedup();
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
        // A title describes its documents; it is wording.
        Requirement::Titled { then, .. } => strip_wording(then),
        Requirement::Licence { name, .. } => Some(Requirement::licence(name, "", "")),
        Requirement::Document { .. } | Requirement::Unparsed { .. } => None,
    }
}

/// A statement of a source that lists no categories that a subject may not
/// do something: the filing guide's `2、体育培训:适用于…(个人主体不可从事)`.
#[derive(Debug, Clone)]
pub struct Restriction<'a> {
    pub source: &'a str,
    /// As the report names it (`raw/filing-guide.txt`).
    pub file: &'a str,
    pub as_of: &'a str,
    pub authority: Authority,
    pub line: u32,
    /// The names of the entry the statement is in (`休闲娱乐`, `体育`).
    pub entry: [&'a str; 2],
    /// What the subject may not do (`体育培训`).
    pub name: &'a str,
    /// The statement as written.
    pub text: &'a str,
    /// Who may not.
    pub subject: Subject,
}

/// The current categories of a restriction's subject that it names, each a
/// disagreement with the restriction as its second side: the category's
/// deepest name is the restriction's `name`, and its first level is one of
/// the names of the restriction's entry (休闲娱乐 › 体育: `体育培训` is
/// 体育 › 体育培训), compared as identities ([`crate::identity_name`]).
pub fn excluded_subjects(
    categories: &[Category],
    restrictions: &[Restriction],
    file_of: &dyn Fn(&str) -> String,
) -> Vec<Disagreement> {
    use crate::identity_name;
    let mut out = Vec::new();
    for r in restrictions
        .iter()
        .filter(|r| r.authority == Authority::Official)
    {
        // The key's levels are identity names already.
        let name = identity_name(r.name);
        let entry: Vec<String> = r.entry.iter().map(|e| identity_name(e)).collect();
        let named = categories.iter().filter(|c| {
            c.key.subject == r.subject
                && c.status != Status::Retired
                && c.key.last_level() == name
                && entry.iter().any(|e| *e == c.key.path.level1.as_str())
        });
        for c in named {
            out.push(Disagreement {
                category_id: c.id.clone(),
                subject: c.key.subject,
                path: c.path.clone(),
                kind: DisagreementKind::SubjectExcluded,
                sides: vec![decider_side(c, file_of), restriction_side(r)],
            });
        }
    }
    out.sort_by(|a, b| (a.subject, &a.path).cmp(&(b.subject, &b.path)));
    out
}

/// The category's deciding statement, as a side.
fn decider_side(c: &Category, file_of: &dyn Fn(&str) -> String) -> Side {
    Side {
        source: c.decided_by.clone(),
        file: file_of(&c.decided_by),
        line: c.decided_line,
        as_of: c.decided_as_of.clone(),
        authority: c.authority,
        requirement: c.requirement_text(),
        requirement_from: None,
        decides: true,
        differs: None,
        licences_missing: Vec::new(),
        licences_extra: Vec::new(),
    }
}

fn restriction_side(r: &Restriction) -> Side {
    Side {
        source: r.source.to_string(),
        file: r.file.to_string(),
        line: r.line,
        as_of: r.as_of.to_string(),
        authority: r.authority,
        requirement: r.text.to_string(),
        requirement_from: None,
        decides: false,
        differs: Some(ConflictKind::SubjectExcluded),
        licences_missing: Vec::new(),
        licences_extra: Vec::new(),
    }
}
