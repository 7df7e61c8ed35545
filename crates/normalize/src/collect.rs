//! Stage 1: every record becomes a [`Listing`] — renamed by the curated
//! aliases, keyed in the identity normal form, its requirement read into a
//! [`Statement`] — or a [`Dropped`] entry with the reason.

use std::collections::{BTreeMap, BTreeSet};

use leimu_model::{CategoryPath, ExtractedRecord, SourceFields};
use leimu_requirement::Grammar;

use crate::{
    AliasCount, AliasUse, Aliases, CategoryKey, Dropped, Repair, SourceInput, Statement,
    UnparsedText,
};

/// One record as a statement about one category.
#[derive(Debug, Clone)]
pub struct Listing<'a> {
    /// Index of the source in the normaliser's input.
    pub source: usize,
    pub record: &'a ExtractedRecord,
    pub key: CategoryKey,
    /// The path as written, after the curated aliases.
    pub path: CategoryPath,
    /// What the record states, as parsed (not yet canonical).
    pub statement: Statement,
    /// Notes inside the requirement text or block.
    pub requirement_notes: Vec<String>,
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
    /// Per source, the licence names its requirements mention (for the registry).
    pub logic: Vec<(usize, Vec<String>)>,
    /// What the grammar repaired, with file and line.
    pub repairs: Vec<Repair>,
    /// How faithfully the requirement texts were read.
    pub fidelity: leimu_requirement::Fidelity,
    /// Per source id, the category id of each record in extraction order
    /// (`None` for a dropped record).
    pub assignments: BTreeMap<String, Vec<Option<String>>>,
}

/// Reads every record of every source.
pub fn collect<'a>(
    sources: &'a [SourceInput<'a>],
    aliases: &Aliases,
    grammar: &Grammar,
) -> Collected<'a> {
    let mut out = Collected::default();
    let mut alias_uses: BTreeMap<AliasUse, usize> = BTreeMap::new();
    for (index, source) in sources.iter().enumerate() {
        let mut ids = Vec::with_capacity(source.extraction.records.len());
        for record in &source.extraction.records {
            let (key, path, used) = match place(record, aliases) {
                Ok(placed) => placed,
                Err(reason) => {
                    out.dropped.push(dropped(source, record, reason));
                    ids.push(None);
                    continue;
                }
            };
            for used in used {
                *alias_uses.entry(used).or_default() += 1;
            }
            let reading = read(record, grammar);
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
            let statement = reading.statement;
            out.count(source, record, &statement, index, grammar);
            ids.push(Some(key.id()));
            out.listings.push(Listing {
                source: index,
                record,
                key,
                path,
                statement,
                requirement_notes: reading.notes,
            });
        }
        out.assignments.insert(source.id.to_string(), ids);
    }
    out.aliases_applied = alias_uses
        .into_iter()
        .map(|(used, records)| AliasCount {
            table: used.table,
            from: used.from,
            to: used.to,
            records,
        })
        .collect();
    out
}

impl Collected<'_> {
    /// Counts a read requirement and keeps what the grammar could not place.
    fn count(
        &mut self,
        source: &SourceInput,
        record: &ExtractedRecord,
        statement: &Statement,
        index: usize,
        grammar: &Grammar,
    ) {
        let Statement::Requires(logic) = statement else {
            return;
        };
        self.fidelity.count(&record.requirement, logic, grammar);
        self.requirements_read += 1;
        let unparsed = logic.unparsed();
        if unparsed.is_empty() {
            self.requirements_parsed += 1;
        }
        self.unparsed
            .extend(unparsed.into_iter().map(|text| UnparsedText {
                source: source.id.to_string(),
                line: record.provenance.line,
                text,
            }));
        self.logic
            .push((index, logic.licences().into_iter().collect()));
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

/// Where a record goes: its key, its path after the curated aliases and the
/// aliases used; or why it goes nowhere.
fn place(
    record: &ExtractedRecord,
    aliases: &Aliases,
) -> Result<(CategoryKey, CategoryPath, Vec<AliasUse>), &'static str> {
    let subject = record.subject.ok_or("no subject")?;
    if record.path.level1.is_empty() {
        return Err("no level-1 name");
    }
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

/// What a record says about its requirement.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub statement: Statement,
    /// What the grammar repaired (a mistyped bracket), lines within the text.
    pub warnings: Vec<leimu_requirement::Warning>,
    /// Notes inside the requirement (`注:` lines, a trailing `（说明：…）`).
    pub notes: Vec<String>,
}

/// What a record states: its requirement as logic, or none (`/` or empty
/// in a table, `-` on a card). A notice entry without a requirement block
/// states nothing about the requirement.
pub fn read(record: &ExtractedRecord, grammar: &Grammar) -> Reading {
    if leimu_model::is_none_marker(&record.requirement) {
        return Reading {
            statement: Statement::None,
            ..Reading::default()
        };
    }
    if matches!(record.fields, SourceFields::Notice { .. })
        && record.requirement_tree.is_none()
        && record.requirement.trim().is_empty()
    {
        return Reading::default();
    }
    let parsed = match &record.requirement_tree {
        Some(tree) => grammar.read_tree(tree),
        None => {
            let choose = match &record.fields {
                SourceFields::Card { choose, .. } => *choose,
                _ => None,
            };
            grammar.parse(&record.requirement, choose)
        }
    };
    match parsed {
        Some(p) => Reading {
            statement: Statement::Requires(p.requirement),
            warnings: p.warnings,
            notes: p.notes,
        },
        None => Reading {
            statement: Statement::None,
            ..Reading::default()
        },
    }
}

/// The grammar that also reads bare the licence names the sources write in
/// 《》 (and that `extra` texts name).
pub fn grammar<'t>(sources: &[SourceInput], extra: impl IntoIterator<Item = &'t str>) -> Grammar {
    let mut names: BTreeSet<String> = BTreeSet::new();
    for source in sources {
        for record in &source.extraction.records {
            names.extend(leimu_model::licences(&record.requirement));
        }
    }
    for text in extra {
        names.extend(leimu_model::licences(text));
    }
    Grammar::with_known_licences(names)
}
