//! Stage 1: every record becomes a [`Listing`] — renamed by the curated
//! aliases, keyed in the identity normal form, its requirement read into a
//! [`Statement`] — or a [`Dropped`] entry with the reason.
//!
//! Records repeat: a category's path and its requirement text are written
//! again in every revision and every part of a long document. [`Tables`]
//! places each distinct path once ([`Identity`]: key and stable id) and
//! reads each distinct requirement once ([`Reading`]: parsed, canonical,
//! judged); the distinct requirements are read in parallel, since the
//! grammar is pure and results are kept in first-seen order. Listings
//! point into the tables.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::{HashMap, HashSet};

use leimu_model::{CategoryPath, Choice, ExtractedRecord, RequirementNode, SourceFields, Subject};
use leimu_requirement::{Fidelity, Grammar};
use rayon::prelude::*;

use crate::{
    compare, AliasCount, AliasUse, Aliases, CategoryKey, Dropped, Mention, Repair, SourceInput,
    Statement, UnparsedText,
};

/// One record as a statement about one category.
#[derive(Debug, Clone, Copy)]
pub struct Listing<'a> {
    /// Index of the source in the normaliser's input.
    pub source: usize,
    pub record: &'a ExtractedRecord,
    /// The category's key and id.
    pub identity: &'a Identity,
    /// The path as written, after the curated aliases.
    pub path: &'a CategoryPath,
    /// Index of the record's place in [`Tables`]: listings of one place
    /// have the same subject and written path.
    pub place: usize,
    /// What the record states.
    pub reading: &'a Reading,
}

impl Listing<'_> {
    /// What the record states, as parsed (not yet canonical).
    pub fn statement(&self) -> &Statement {
        &self.reading.statement
    }
}

/// A category key with its stable id, computed once.
#[derive(Debug)]
pub struct Identity {
    pub key: CategoryKey,
    /// [`CategoryKey::id`].
    pub id: String,
    /// Position in [`Tables`], for grouping.
    pub(crate) index: usize,
}

/// Where the records of one written (subject, path) go.
#[derive(Debug)]
struct Place {
    /// Index of its [`Identity`].
    identity: usize,
    /// The path after the curated aliases.
    path: CategoryPath,
    used: Vec<AliasUse>,
}

/// One distinct requirement as read, shared by every record that writes it.
#[derive(Debug)]
pub struct Reading {
    /// What the record states, as parsed.
    pub statement: Statement,
    /// [`compare::canonical`]: the form statements are compared in.
    pub canonical: Statement,
    /// [`compare::in_source_order`]: the form a deciding statement is shown in.
    pub displayed: Statement,
    /// The licences of `canonical`.
    pub canonical_licences: BTreeSet<String>,
    /// What the grammar repaired (a mistyped bracket), lines within the text.
    pub warnings: Vec<leimu_requirement::Warning>,
    /// Notes inside the requirement (`注:` lines, a trailing `（说明：…）`).
    pub notes: Vec<String>,
    /// The texts the grammar could not place.
    pub unparsed: Vec<String>,
    /// The licence names the requirement mentions, as written (for the registry).
    pub licences: Vec<String>,
    /// [`Fidelity::renders_back`], for a stated requirement.
    pub faithful: bool,
    /// Position in [`Tables`], to remember comparisons by.
    pub index: usize,
}

/// The distinct places and requirements of every record, and which of them
/// each record has.
#[derive(Debug, Default)]
pub struct Tables {
    identities: Vec<Identity>,
    places: Vec<Place>,
    readings: Vec<Reading>,
    /// Per source, per record: its place and reading, or why it is dropped.
    records: Vec<Vec<Result<(usize, usize), &'static str>>>,
}

/// What makes two records read alike, but for the notice's tree: the text
/// and what [`read`] looks at beside it. Records of one text are told apart
/// by their trees, compared whole (cheaper than hashing them).
#[derive(PartialEq, Eq, Hash)]
struct ReadKey<'a> {
    text: &'a str,
    notice: bool,
    choose: Option<Choice>,
}

impl<'a> ReadKey<'a> {
    fn of(record: &'a ExtractedRecord) -> ReadKey<'a> {
        ReadKey {
            text: &record.requirement,
            notice: matches!(record.fields, SourceFields::Notice { .. }),
            choose: match &record.fields {
                SourceFields::Card(card) => card.choose,
                _ => None,
            },
        }
    }
}

/// The distinct requirements met so far, each with the record read for it.
#[derive(Default)]
struct Distinct<'a> {
    /// Per key, the trees met with it and their index in `records`.
    by_key: HashMap<ReadKey<'a>, Vec<(Option<&'a RequirementNode>, usize)>>,
    records: Vec<&'a ExtractedRecord>,
}

impl<'a> Distinct<'a> {
    /// The index of `record`'s requirement, new or met before.
    fn index(&mut self, record: &'a ExtractedRecord) -> usize {
        let tree = record.requirement_tree.as_deref();
        let met = self.by_key.entry(ReadKey::of(record)).or_default();
        if let Some(&(_, index)) = met.iter().find(|(t, _)| *t == tree) {
            return index;
        }
        self.records.push(record);
        met.push((tree, self.records.len() - 1));
        self.records.len() - 1
    }
}

impl Tables {
    /// Places every record and reads every distinct requirement once, with
    /// the grammar that knows the licence names the requirements and the
    /// `mentions` write in 《》.
    pub fn build(sources: &[SourceInput], mentions: &[Mention], aliases: &Aliases) -> Tables {
        let mut tables = Tables::default();
        let mut place_of: HashMap<(Subject, &CategoryPath), usize> = HashMap::default();
        let mut identity_of: HashMap<CategoryKey, usize> = HashMap::default();
        let mut distinct = Distinct::default();
        let mut unplaced: Vec<&str> = Vec::new();
        for source in sources {
            let mut placed = Vec::with_capacity(source.extraction.records.len());
            for record in &source.extraction.records {
                let subject = match placeable(record) {
                    Ok(subject) => subject,
                    Err(reason) => {
                        // Its requirement still teaches the grammar names.
                        unplaced.push(record.requirement.as_str());
                        placed.push(Err(reason));
                        continue;
                    }
                };
                let place = match place_of.get(&(subject, &record.path)) {
                    Some(&place) => place,
                    None => {
                        let place = tables.place(subject, record, aliases, &mut identity_of);
                        place_of.insert((subject, &record.path), place);
                        place
                    }
                };
                placed.push(Ok((place, distinct.index(record))));
            }
            tables.records.push(placed);
        }
        let texts = distinct.records.iter().map(|r| r.requirement.as_str());
        let grammar = grammar(texts.chain(unplaced).chain(mentions.iter().map(|m| m.text)));
        tables.readings = distinct
            .records
            .par_iter()
            .enumerate()
            .map(|(index, record)| Reading::of(record, index, &grammar, aliases))
            .collect();
        tables
    }

    /// A new place for `record`'s path; its identity is shared with every
    /// place of the same key.
    fn place(
        &mut self,
        subject: Subject,
        record: &ExtractedRecord,
        aliases: &Aliases,
        identity_of: &mut HashMap<CategoryKey, usize>,
    ) -> usize {
        let mut path = record.path.clone();
        let used = aliases.apply(&mut path);
        let key = CategoryKey::of(subject, &path);
        let identity = match identity_of.get(&key) {
            Some(&identity) => identity,
            None => {
                let index = self.identities.len();
                identity_of.insert(key.clone(), index);
                self.identities.push(Identity {
                    id: key.id(),
                    key,
                    index,
                });
                index
            }
        };
        self.places.push(Place {
            identity,
            path,
            used,
        });
        self.places.len() - 1
    }

    /// Every distinct category key, in first-seen order.
    pub fn identities(&self) -> &[Identity] {
        &self.identities
    }
}

impl Reading {
    fn of(record: &ExtractedRecord, index: usize, grammar: &Grammar, aliases: &Aliases) -> Reading {
        let stated = read(record, grammar);
        let canonical = compare::canonical(&stated.statement, aliases);
        let (unparsed, licences, faithful) = match &stated.statement {
            Statement::Requires(logic) => (
                logic.unparsed(),
                logic.licences().into_iter().collect(),
                Fidelity::renders_back(&record.requirement, logic, grammar),
            ),
            _ => (Vec::new(), Vec::new(), false),
        };
        Reading {
            displayed: compare::in_source_order(&stated.statement, aliases),
            canonical_licences: canonical.licences().into_iter().collect(),
            canonical,
            statement: stated.statement,
            warnings: stated.warnings,
            notes: stated.notes,
            unparsed,
            licences,
            faithful,
            index,
        }
    }
}

/// What stage 1 produced.
#[derive(Debug, Default)]
pub struct Collected<'a> {
    pub listings: Vec<Listing<'a>>,
    pub dropped: Vec<Dropped>,
    pub aliases_applied: Vec<AliasCount>,
    pub requirements_read: usize,
    pub requirements_parsed: usize,
    pub unparsed: Vec<UnparsedText>,
    /// Per source, the licence names its requirements mention (for the
    /// registry), once per distinct requirement of the source.
    pub logic: Vec<(usize, Vec<String>)>,
    /// What the grammar repaired, with file and line.
    pub repairs: Vec<Repair>,
    /// How faithfully the requirement texts were read.
    pub fidelity: Fidelity,
    /// Per source id, the category id of each record in extraction order
    /// (`None` for a dropped record).
    pub assignments: BTreeMap<String, Vec<Option<String>>>,
}

/// Every record of every source, as placed and read in `tables`.
pub fn collect<'a>(sources: &'a [SourceInput<'a>], tables: &'a Tables) -> Collected<'a> {
    let mut out = Collected::default();
    let mut records_at = vec![0usize; tables.places.len()];
    let mut named: HashSet<(usize, usize)> = HashSet::default();
    for ((index, source), placed) in sources.iter().enumerate().zip(&tables.records) {
        let mut ids = Vec::with_capacity(placed.len());
        for (record, placed) in source.extraction.records.iter().zip(placed) {
            let (place, reading) = match *placed {
                Ok(found) => found,
                Err(reason) => {
                    out.dropped.push(dropped(source, record, reason));
                    ids.push(None);
                    continue;
                }
            };
            records_at[place] += 1;
            let place_index = place;
            let place = &tables.places[place];
            let identity = &tables.identities[place.identity];
            let reading = &tables.readings[reading];
            out.repairs.extend(reading.warnings.iter().map(|w| {
                Repair {
                    source: source.id.to_string(),
                    file: source.file.to_string(),
                    line: record
                        .provenance
                        .line
                        .saturating_add(u32::try_from(w.line).unwrap_or(0)),
                    message: w.message.clone(),
                }
            }));
            out.count(source, record, reading);
            if matches!(reading.statement, Statement::Requires(_))
                && named.insert((index, reading.index))
            {
                out.logic.push((index, reading.licences.clone()));
            }
            ids.push(Some(identity.id.clone()));
            out.listings.push(Listing {
                source: index,
                record,
                identity,
                path: &place.path,
                place: place_index,
                reading,
            });
        }
        out.assignments.insert(source.id.to_string(), ids);
    }
    let mut alias_uses: BTreeMap<&AliasUse, usize> = BTreeMap::new();
    for (place, records) in tables.places.iter().zip(records_at) {
        for used in &place.used {
            *alias_uses.entry(used).or_default() += records;
        }
    }
    out.aliases_applied = alias_uses
        .into_iter()
        .map(|(used, records)| AliasCount {
            table: used.table,
            from: used.from.clone(),
            to: used.to.clone(),
            records,
        })
        .collect();
    out
}

impl Collected<'_> {
    /// Counts a read requirement and keeps what the grammar could not place.
    fn count(&mut self, source: &SourceInput, record: &ExtractedRecord, reading: &Reading) {
        if !matches!(reading.statement, Statement::Requires(_)) {
            return;
        }
        self.fidelity
            .count_judged(reading.unparsed.is_empty(), reading.faithful);
        self.requirements_read += 1;
        if reading.unparsed.is_empty() {
            self.requirements_parsed += 1;
        }
        self.unparsed
            .extend(reading.unparsed.iter().map(|text| UnparsedText {
                source: source.id.to_string(),
                line: record.provenance.line,
                text: text.clone(),
            }));
    }
}

/// The category id each record resolves to (`None` when it would be
/// dropped), for one extraction on its own (`leimu extract`).
pub fn category_ids(
    extraction: &leimu_model::Extraction,
    aliases: &Aliases,
) -> Vec<Option<String>> {
    extraction
        .records
        .iter()
        .map(|record| place(record, aliases).ok().map(|(key, ..)| key.id()))
        .collect()
}

/// The subject of a record that can be placed, or why it cannot.
fn placeable(record: &ExtractedRecord) -> Result<Subject, &'static str> {
    let subject = record.subject.ok_or("no subject")?;
    if record.path.level1.is_empty() {
        return Err("no level-1 name");
    }
    Ok(subject)
}

/// Where a record goes: its key, its path after the curated aliases and the
/// aliases used; or why it goes nowhere.
fn place(
    record: &ExtractedRecord,
    aliases: &Aliases,
) -> Result<(CategoryKey, CategoryPath, Vec<AliasUse>), &'static str> {
    let subject = placeable(record)?;
    let mut path = record.path.clone();
    let used = aliases.apply(&mut path);
    Ok((CategoryKey::of(subject, &path), path, used))
}

/// The `ambiguous` diagnostics of the category sources.
pub fn ambiguous_rows(sources: &[SourceInput]) -> Vec<crate::AmbiguousRow> {
    sources
        .iter()
        .flat_map(|source| {
            source
                .extraction
                .diagnostics
                .iter()
                .filter(|d| d.kind == leimu_model::DiagnosticKind::Ambiguous)
                .map(|d| crate::AmbiguousRow {
                    source: source.id.to_string(),
                    file: d.file.clone(),
                    line: d.line,
                    message: d.message.clone(),
                })
        })
        .collect()
}

/// The line a record's requirement is written on, when it inherits it
/// from a merged cell above.
pub fn requirement_from(record: &ExtractedRecord) -> Option<u32> {
    record
        .inherited
        .iter()
        .find(|i| i.field == leimu_model::Field::Requirement)
        .map(|i| i.line)
}

fn dropped(source: &SourceInput, record: &ExtractedRecord, reason: &str) -> Dropped {
    Dropped {
        source: source.id.to_string(),
        line: record.provenance.line,
        reason: reason.into(),
    }
}

/// What a record says about its requirement, as the grammar reads it.
#[derive(Debug, Clone, Default)]
struct Stated {
    statement: Statement,
    warnings: Vec<leimu_requirement::Warning>,
    notes: Vec<String>,
}

/// What a record states: its requirement as logic, or none (`/` or empty
/// in a table, `-` on a card). A notice entry without a requirement block
/// states nothing about the requirement.
fn read(record: &ExtractedRecord, grammar: &Grammar) -> Stated {
    if leimu_model::is_none_marker(&record.requirement) {
        return Stated {
            statement: Statement::None,
            ..Stated::default()
        };
    }
    if matches!(record.fields, SourceFields::Notice { .. })
        && record.requirement_tree.is_none()
        && record.requirement.trim().is_empty()
    {
        return Stated::default();
    }
    let parsed = match &record.requirement_tree {
        Some(tree) => grammar.read_tree(tree),
        None => {
            let choose = match &record.fields {
                SourceFields::Card(card) => card.choose,
                _ => None,
            };
            grammar.parse(&record.requirement, choose)
        }
    };
    match parsed {
        Some(p) => Stated {
            statement: Statement::Requires(p.requirement),
            warnings: p.warnings,
            notes: p.notes,
        },
        None => Stated {
            statement: Statement::None,
            ..Stated::default()
        },
    }
}

/// The grammar that also reads bare the licence names `texts` write in 《》
/// (each distinct text looked at once).
fn grammar<'t>(texts: impl Iterator<Item = &'t str>) -> Grammar {
    let texts: HashSet<&str> = texts.collect();
    let mut names: BTreeSet<String> = BTreeSet::new();
    for text in texts {
        names.extend(leimu_model::licences(text));
    }
    Grammar::with_known_licences(names)
}
