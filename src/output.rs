//! The output contract other tools read. Every table is one
//! `#[derive(Serialize)]` row type, written through csv's `serialize` (CSV)
//! and serde_json (JSON), so a column list exists in one place only.
//!
//! * `extracted/<id>.csv|json`: [`RecordRow`], then the source's typed
//!   fields ([`CardColumns`], [`NoticeColumns`]), then [`CategoryLink`].
//! * `categories.csv|json`: [`CategoryRow`].
//! * `licences.csv`: [`LicenceRow`]; `diagnostics.csv`: [`DiagnosticRow`];
//!   `filing-services.csv|json`: [`FilingRow`]; `history.csv|json`: [`HistoryRow`].
//!
//! In CSV, list fields (`licences`, `sources`) are joined by `;`; in JSON
//! they are arrays. Every table is written into a `Write` as it is
//! serialised, so a large file never has to be held in memory
//! ([`to_vec`] when it should be).

use std::io::Write;

use anyhow::Result;
use leimu_model::{
    licences, Diagnostic, ExtractedRecord, Extraction, FilingEntry, FilingExtraction, RecordShape,
    RequirementNode, SourceFields,
};
use leimu_normalize::{Category, Contributor, LicenceKind, Normalized, Statement};
use serde::Serialize;

/// A list field: `;`-joined in CSV, an array in JSON.
pub trait ListField: Serialize {
    fn from_list(items: Vec<String>) -> Self;
}

impl ListField for String {
    fn from_list(items: Vec<String>) -> Self {
        items.join(";")
    }
}

impl ListField for Vec<String> {
    fn from_list(items: Vec<String>) -> Self {
        items
    }
}

/// The columns every extraction starts with.
#[derive(Debug, Serialize)]
pub struct RecordRow<'a, L> {
    pub source: &'a str,
    pub line: u32,
    pub subject: &'a str,
    pub level1: &'a str,
    pub level2: &'a str,
    pub level3: &'a str,
    pub requirement: &'a str,
    pub licences: L,
    pub scope: &'a str,
    pub notes: &'a str,
}

impl<'a, L: ListField> RecordRow<'a, L> {
    fn of(r: &'a ExtractedRecord) -> Self {
        RecordRow {
            source: &r.provenance.source,
            line: r.provenance.line,
            subject: r.subject.map_or("", |s| s.as_str()),
            level1: &r.path.level1,
            level2: &r.path.level2,
            level3: &r.path.level3,
            requirement: &r.requirement,
            licences: L::from_list(licences(&r.requirement)),
            scope: &r.scope,
            notes: &r.notes,
        }
    }
}

/// The live-streaming cards' columns.
#[derive(Debug, Serialize)]
pub struct CardColumns<'a> {
    pub scenario: &'a str,
    /// `1 of N` for `资质要求（N选1）`; empty when the card states no choice.
    pub choose: String,
}

/// A notice entry's columns.
#[derive(Debug, Serialize)]
pub struct NoticeColumns {
    pub section: &'static str,
    /// `internal-beta`, or empty.
    pub status: &'static str,
}

/// The canonical category a record resolved to.
#[derive(Debug, Serialize)]
pub struct CategoryLink<'a> {
    /// Empty for a record the normaliser dropped.
    pub category_id: &'a str,
}

fn card_columns(fields: &SourceFields) -> CardColumns<'_> {
    match fields {
        SourceFields::Card(card) => CardColumns {
            scenario: &card.scenario,
            choose: card
                .choose
                .map_or(String::new(), |c| format!("{} of {}", c.pick, c.of)),
        },
        _ => CardColumns {
            scenario: "",
            choose: String::new(),
        },
    }
}

fn notice_columns(fields: &SourceFields) -> NoticeColumns {
    match fields {
        SourceFields::Notice { section, beta } => NoticeColumns {
            section: section.as_str(),
            status: if *beta { "internal-beta" } else { "" },
        },
        _ => NoticeColumns {
            section: "",
            status: "",
        },
    }
}

/// The category id of record `i`, or empty.
fn link(ids: &[Option<String>], i: usize) -> CategoryLink<'_> {
    CategoryLink {
        category_id: ids.get(i).and_then(|id| id.as_deref()).unwrap_or(""),
    }
}

/// RFC 4180 CSV with a header row, records in source order. `ids` are the
/// category ids of the records, in order.
pub fn extraction_csv(
    extraction: &Extraction,
    ids: &[Option<String>],
    out: &mut dyn Write,
) -> Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .buffer_capacity(BLOCK)
        .from_writer(out);
    if extraction.records.is_empty() {
        writer.write_record(header(extraction.shape))?;
    }
    for (i, r) in extraction.records.iter().enumerate() {
        let row = RecordRow::<String>::of(r);
        match extraction.shape {
            RecordShape::Plain => writer.serialize((row, link(ids, i)))?,
            RecordShape::Card => writer.serialize((row, card_columns(&r.fields), link(ids, i)))?,
            RecordShape::Notice => {
                writer.serialize((row, notice_columns(&r.fields), link(ids, i)))?
            }
        }
    }
    writer.flush()?;
    Ok(())
}

/// The header of an extraction's CSV, for a table without records.
fn header(shape: RecordShape) -> Vec<&'static str> {
    let mut columns = vec![
        "source",
        "line",
        "subject",
        "level1",
        "level2",
        "level3",
        "requirement",
        "licences",
        "scope",
        "notes",
    ];
    columns.extend(match shape {
        RecordShape::Plain => &[][..],
        RecordShape::Card => &["scenario", "choose"][..],
        RecordShape::Notice => &["section", "status"][..],
    });
    columns.push("category_id");
    columns
}

/// One record in JSON: the CSV fields, then the notice's tree.
#[derive(Serialize)]
struct RecordJson<'a, F: Serialize> {
    #[serde(flatten)]
    row: RecordRow<'a, Vec<String>>,
    #[serde(flatten)]
    fields: F,
    #[serde(flatten)]
    link: CategoryLink<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    requirement_tree: Option<&'a RequirementNode>,
}

/// A pretty-printed JSON array, one object per record, trailing newline.
pub fn extraction_json(
    extraction: &Extraction,
    ids: &[Option<String>],
    out: &mut dyn Write,
) -> Result<()> {
    let records = extraction.records.iter().enumerate();
    match extraction.shape {
        RecordShape::Plain => write_json_array(
            out,
            records.map(|(i, r)| record_json(r, link(ids, i), NoFields {})),
        ),
        RecordShape::Card => write_json_array(
            out,
            records.map(|(i, r)| record_json(r, link(ids, i), card_json(&r.fields))),
        ),
        RecordShape::Notice => write_json_array(
            out,
            records.map(|(i, r)| record_json(r, link(ids, i), notice_columns(&r.fields))),
        ),
    }
}

/// No source-specific fields.
#[derive(Serialize)]
struct NoFields {}

fn record_json<'a, F: Serialize>(
    r: &'a ExtractedRecord,
    link: CategoryLink<'a>,
    fields: F,
) -> RecordJson<'a, F> {
    RecordJson {
        row: RecordRow::of(r),
        fields,
        link,
        requirement_tree: r.requirement_tree.as_deref(),
    }
}

/// A card's fields in JSON: `choose` as `{pick, of}` or null.
#[derive(Serialize)]
struct CardJson<'a> {
    scenario: &'a str,
    choose: Option<leimu_model::Choice>,
}

fn card_json(fields: &SourceFields) -> CardJson<'_> {
    match fields {
        SourceFields::Card(card) => CardJson {
            scenario: &card.scenario,
            choose: card.choose,
        },
        _ => CardJson {
            scenario: "",
            choose: None,
        },
    }
}

/// A row of `diagnostics.csv`.
#[derive(Serialize)]
struct DiagnosticRow<'a> {
    source: &'a str,
    file: &'a str,
    line: u32,
    kind: &'static str,
    message: &'a str,
}

/// `normalized/diagnostics.csv`: every diagnostic of every source.
pub fn diagnostics_csv<'a>(
    diagnostics: impl IntoIterator<Item = (&'a str, &'a Diagnostic)>,
    out: &mut dyn Write,
) -> Result<()> {
    let rows = diagnostics.into_iter().map(|(source, d)| DiagnosticRow {
        source,
        file: &d.file,
        line: d.line,
        kind: d.kind.as_str(),
        message: &d.message,
    });
    csv_table(rows, &["source", "file", "line", "kind", "message"], out)
}

/// A row of the filing guide's table.
#[derive(Serialize)]
pub struct FilingRow<'a> {
    pub source: &'a str,
    pub line: u32,
    pub level1: &'a str,
    pub level2: &'a str,
    pub description: &'a str,
    pub personal: &'a str,
    pub unit: &'a str,
    pub remark: &'a str,
    pub personal_advice: &'static str,
    pub unit_advice: &'static str,
}

impl<'a> FilingRow<'a> {
    fn of(e: &'a FilingEntry) -> Self {
        FilingRow {
            source: &e.provenance.source,
            line: e.provenance.line,
            level1: &e.level1,
            level2: &e.level2,
            description: &e.description,
            personal: &e.personal,
            unit: &e.unit,
            remark: &e.remark,
            personal_advice: e.personal_advice.map_or("", |a| a.as_str()),
            unit_advice: e.unit_advice.map_or("", |a| a.as_str()),
        }
    }
}

/// The filing guide's entries as CSV: columns [`leimu_guide::COLUMNS`].
pub fn filing_csv(extraction: &FilingExtraction, out: &mut dyn Write) -> Result<()> {
    csv_table(
        extraction.entries.iter().map(FilingRow::of),
        &leimu_guide::COLUMNS,
        out,
    )
}

/// A description item, fields in the documented order.
#[derive(Serialize)]
struct ItemJson<'a> {
    name: &'a str,
    text: &'a str,
    personal_allowed: bool,
}

#[derive(Serialize)]
struct FilingJson<'a> {
    #[serde(flatten)]
    row: FilingRow<'a>,
    items: Vec<ItemJson<'a>>,
}

/// The filing guide's entries as JSON: the CSV fields, then `items`.
pub fn filing_json(extraction: &FilingExtraction, out: &mut dyn Write) -> Result<()> {
    let rows = extraction.entries.iter().map(|e| FilingJson {
        row: FilingRow::of(e),
        items: e
            .items()
            .map(|i| ItemJson {
                name: i.name,
                text: i.text,
                personal_allowed: i.personal_allowed,
            })
            .collect(),
    });
    write_json_array(out, rows)
}

/// A row of `categories.csv`.
#[derive(Serialize)]
pub struct CategoryRow<'a, L> {
    pub id: &'a str,
    pub subject: &'static str,
    pub level1: &'a str,
    pub level2: &'a str,
    pub level3: &'a str,
    pub status: &'static str,
    pub beta: bool,
    /// `yes`; `no` when the deciding source states that no document is
    /// required (`/`); `unstated` when no source states anything.
    pub needs_documents: &'static str,
    pub requirement: String,
    /// Licences, permits, filings and approvals the requirement names.
    pub licences: L,
    /// Other documents it names in 《》: agreements, declarations, proofs.
    pub other_documents: L,
    pub scope: &'a str,
    pub notes: &'a str,
    pub sources: L,
    pub decided_by: &'a str,
    pub decided_line: u32,
    pub decided_as_of: &'a str,
    pub authority: &'static str,
    pub conflicts: usize,
    /// For a retired category: the current categories that divide its path.
    pub succeeded_by: L,
}

impl<'a, L: ListField> CategoryRow<'a, L> {
    fn of(c: &'a Category) -> Self {
        CategoryRow {
            id: &c.id,
            subject: c.key.subject.as_str(),
            level1: &c.path.level1,
            level2: &c.path.level2,
            level3: &c.path.level3,
            status: c.status.as_str(),
            beta: c.beta,
            needs_documents: c.statement.needs_documents(),
            requirement: c.requirement_text(),
            licences: L::from_list(named(c, true)),
            other_documents: L::from_list(named(c, false)),
            scope: &c.scope,
            notes: &c.notes,
            sources: L::from_list(c.sources.clone()),
            decided_by: &c.decided_by,
            decided_line: c.decided_line,
            decided_as_of: &c.decided_as_of,
            authority: c.authority.as_str(),
            conflicts: c.conflicts,
            succeeded_by: L::from_list(c.succeeded_by.clone()),
        }
    }
}

/// The names in 《》 of a category's requirement that are (or are not) licences.
fn named(c: &Category, licences: bool) -> Vec<String> {
    c.statement
        .licences()
        .into_iter()
        .filter(|name| LicenceKind::of(name).is_licence() == licences)
        .collect()
}

/// `categories.csv`: one row per canonical category.
pub fn categories_csv(n: &Normalized, out: &mut dyn Write) -> Result<()> {
    csv_table(n.categories.iter().map(CategoryRow::<String>::of), &[], out)
}

/// An object of `categories.json`.
#[derive(Serialize)]
pub struct CategoryJson<'a> {
    #[serde(flatten)]
    row: CategoryRow<'a, Vec<String>>,
    requirement_tree: &'a Statement,
    contributors: &'a [Contributor],
}

/// `categories.json`: the CSV fields, the requirement as a tree and every
/// contributing record.
pub fn categories_json(n: &Normalized, out: &mut dyn Write) -> Result<()> {
    write_json_array(out, category_objects(n))
}

/// The objects of `categories.json`, in order.
pub fn category_objects(n: &Normalized) -> impl Iterator<Item = CategoryJson<'_>> {
    n.categories.iter().map(category_object)
}

/// The object of `categories.json` for one category.
pub fn category_object(c: &Category) -> CategoryJson<'_> {
    CategoryJson {
        row: CategoryRow::of(c),
        requirement_tree: &c.statement,
        contributors: &c.contributors,
    }
}

/// A row of `licences.csv`.
#[derive(Serialize)]
struct LicenceRow<'a> {
    licence: &'a str,
    kind: &'static str,
    aliases: String,
    categories: usize,
    sources: String,
    note: &'a str,
}

/// `licences.csv`: the licence registry.
pub fn licences_csv(n: &Normalized, out: &mut dyn Write) -> Result<()> {
    csv_table(
        n.licences.iter().map(|l| LicenceRow {
            licence: &l.licence,
            kind: l.kind.as_str(),
            aliases: l.aliases.join(";"),
            categories: l.categories,
            sources: l.sources.join(";"),
            note: &l.note,
        }),
        &[],
        out,
    )
}

/// A row of `category-licences.csv`.
#[derive(Serialize)]
struct LinkRow<'a> {
    category_id: &'a str,
    licence: &'a str,
    kind: &'static str,
    role: &'static str,
    pick: Option<u32>,
    of: Option<u32>,
    condition: &'a str,
    as_written: &'a str,
    group_id: &'a str,
    alternative: Option<u32>,
}

/// `category-licences.csv`: one row per (category, licence, role) and wording.
pub fn category_licences_csv(n: &Normalized, out: &mut dyn Write) -> Result<()> {
    csv_table(
        n.links.iter().map(|l| LinkRow {
            category_id: &l.category_id,
            licence: &l.licence,
            kind: l.kind.as_str(),
            role: l.role.as_str(),
            pick: l.pick,
            of: l.of,
            condition: &l.condition,
            as_written: &l.as_written,
            group_id: &l.group_id,
            alternative: l.alternative,
        }),
        &[
            "category_id",
            "licence",
            "kind",
            "role",
            "pick",
            "of",
            "condition",
            "as_written",
            "group_id",
            "alternative",
        ],
        out,
    )
}

/// `conflicts.json`: the report's sections as data, in the report's order.
pub fn conflicts_json(n: &Normalized, out: &mut dyn Write) -> Result<()> {
    write_json(out, &conflicts_report(n))
}

/// The appendix of `conflicts.json`: what policy already decided.
#[derive(Serialize)]
pub struct Appendix<'a> {
    older_changes: Vec<&'a leimu_normalize::Change>,
    reference_differences: &'a [leimu_normalize::Disagreement],
    aliases_applied: &'a [leimu_normalize::AliasCount],
    rename_suggestions: &'a [leimu_normalize::RenameSuggestion],
    licence_alias_suggestions: &'a [leimu_normalize::LicenceAliasSuggestion],
    ambiguous: &'a [leimu_normalize::AmbiguousRow],
    repairs: &'a [leimu_normalize::Repair],
    unparsed: &'a [leimu_normalize::UnparsedText],
    dropped: &'a [leimu_normalize::Dropped],
}

/// The whole of `conflicts.json`.
#[derive(Serialize)]
pub struct ConflictsReport<'a> {
    sources: &'a [leimu_normalize::SourceSummary],
    recent_changes: Vec<&'a leimu_normalize::Change>,
    disagreements: &'a [leimu_normalize::Disagreement],
    overlaps: &'a [leimu_normalize::Overlap],
    appendix: Appendix<'a>,
}

/// The contents of `conflicts.json`.
pub fn conflicts_report(n: &Normalized) -> ConflictsReport<'_> {
    let (recent, older) = n.changes.iter().partition(|c| c.recent);
    ConflictsReport {
        sources: &n.sources,
        recent_changes: recent,
        disagreements: &n.disagreements,
        overlaps: &n.overlaps,
        appendix: Appendix {
            older_changes: older,
            reference_differences: &n.reference_differences,
            aliases_applied: &n.aliases_applied,
            rename_suggestions: &n.rename_suggestions,
            licence_alias_suggestions: &n.licence_alias_suggestions,
            ambiguous: &n.ambiguous,
            repairs: &n.repairs,
            unparsed: &n.unparsed,
            dropped: &n.dropped,
        },
    }
}

/// A row of `history.csv`: one change of one category.
#[derive(Serialize)]
pub struct HistoryRow<'a, L> {
    pub category_id: &'a str,
    pub subject: &'static str,
    pub level1: &'a str,
    pub level2: &'a str,
    pub level3: &'a str,
    pub as_of: &'a str,
    pub source: &'a str,
    /// 0 for `removed`: the source that drops a category has no line for it.
    pub line: u32,
    pub change: &'static str,
    pub licences_added: L,
    pub licences_removed: L,
    pub requirement: &'a str,
}

impl<'a, L: ListField> HistoryRow<'a, L> {
    fn of(h: &'a leimu_normalize::HistoryEntry) -> Self {
        HistoryRow {
            category_id: &h.category_id,
            subject: h.subject.as_str(),
            level1: &h.path.level1,
            level2: &h.path.level2,
            level3: &h.path.level3,
            as_of: &h.as_of,
            source: &h.source,
            line: h.line,
            change: h.change.as_str(),
            licences_added: L::from_list(h.licences_added.clone()),
            licences_removed: L::from_list(h.licences_removed.clone()),
            requirement: &h.requirement,
        }
    }
}

/// `history.csv`: every change of every category, in `as_of` order.
pub fn history_csv(n: &Normalized, out: &mut dyn Write) -> Result<()> {
    csv_table(
        n.history.iter().map(HistoryRow::<String>::of),
        &[
            "category_id",
            "subject",
            "level1",
            "level2",
            "level3",
            "as_of",
            "source",
            "line",
            "change",
            "licences_added",
            "licences_removed",
            "requirement",
        ],
        out,
    )
}

/// `history.json`: the rows of `history.csv` with lists as arrays.
pub fn history_json(n: &Normalized, out: &mut dyn Write) -> Result<()> {
    write_json_array(out, n.history.iter().map(HistoryRow::<Vec<String>>::of))
}

/// A CSV table of `rows`; `empty_header` is written when there are none
/// (serde writes the header from the first row).
fn csv_table<T: Serialize>(
    rows: impl IntoIterator<Item = T>,
    empty_header: &[&str],
    out: &mut dyn Write,
) -> Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .buffer_capacity(BLOCK)
        .from_writer(out);
    let mut any = false;
    for row in rows {
        writer.serialize(row)?;
        any = true;
    }
    if !any && !empty_header.is_empty() {
        writer.write_record(empty_header)?;
    }
    writer.flush()?;
    Ok(())
}

/// Pretty JSON with a trailing newline.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    to_vec(|out| write_json(out, value))
}

/// [`json`], written to `out`.
pub fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<()> {
    // serde_json writes token by token: buffered here, `out` sees blocks.
    let mut buffered = std::io::BufWriter::with_capacity(BLOCK, out);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    buffered.write_all(b"\n")?;
    buffered.flush()?;
    Ok(())
}

/// The size of the blocks renderings write in.
pub const BLOCK: usize = 64 * 1024;

/// [`write_json`] of the array of `items`, serialised one by one as they come.
fn write_json_array<T: Serialize>(
    out: &mut dyn Write,
    items: impl Iterator<Item = T>,
) -> Result<()> {
    write_json(out, &Items(std::cell::RefCell::new(Some(items))))
}

/// A sequence serialised from an iterator, once.
struct Items<I>(std::cell::RefCell<Option<I>>);

impl<T: Serialize, I: Iterator<Item = T>> Serialize for Items<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take();
        serializer.collect_seq(items.into_iter().flatten())
    }
}

/// The bytes a rendering writes.
pub fn to_vec(render: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    render(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use leimu_model::{CategoryPath, Provenance, Subject};

    fn sample() -> Extraction {
        Extraction {
            shape: RecordShape::Card,
            records: vec![ExtractedRecord {
                provenance: Provenance {
                    source: "s".into(),
                    line: 7,
                },
                subject: Some(Subject::Enterprise),
                path: CategoryPath {
                    level1: "社交".into(),
                    level2: "直播".into(),
                    level3: Default::default(),
                },
                requirement: "《A》或《B》, \"quoted\"\n《A》".into(),
                scope: Default::default(),
                notes: Default::default(),
                fields: SourceFields::Card(Box::new(leimu_model::Card {
                    scenario: "娱乐".into(),
                    choose: Some(leimu_model::Choice { pick: 1, of: 3 }),
                })),
                requirement_tree: None,
                inherited: Box::default(),
            }],
            diagnostics: vec![],
        }
    }

    #[test]
    fn csv_has_the_contract_columns_and_quotes_per_rfc4180() {
        let ids = [Some("c0123456789ab".to_string())];
        let csv =
            String::from_utf8(to_vec(|out| extraction_csv(&sample(), &ids, out)).unwrap()).unwrap();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some(
                "source,line,subject,level1,level2,level3,requirement,licences,scope,notes,scenario,choose,category_id"
            )
        );
        assert!(
            csv.contains(
                "s,7,enterprise,社交,直播,,\"《A》或《B》, \"\"quoted\"\"\n《A》\",A;B,,,娱乐,1 of 3,c0123456789ab\n"
            ),
            "{csv}"
        );
        let empty = Extraction {
            shape: RecordShape::Notice,
            ..Extraction::default()
        };
        let csv =
            String::from_utf8(to_vec(|out| extraction_csv(&empty, &[], out)).unwrap()).unwrap();
        assert_eq!(
            csv,
            "source,line,subject,level1,level2,level3,requirement,licences,scope,notes,section,status,category_id\n",
            "an empty table keeps the header its records would have"
        );
    }

    #[test]
    fn json_keeps_column_order_and_lists_licences() {
        let json =
            String::from_utf8(to_vec(|out| extraction_json(&sample(), &[None], out)).unwrap())
                .unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value[0]["licences"], serde_json::json!(["A", "B"]));
        assert_eq!(value[0]["choose"], serde_json::json!({"pick": 1, "of": 3}));
        assert_eq!(value[0]["category_id"], "");
        assert_eq!(value[0]["line"], 7);
        let keys: Vec<usize> = [
            "\"source\"",
            "\"line\"",
            "\"licences\"",
            "\"notes\"",
            "\"choose\"",
        ]
        .iter()
        .map(|k| json.find(k).unwrap())
        .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{json}");
    }

    #[test]
    fn filing_json_items_keep_their_field_order() {
        use leimu_model::{Advice, ItemPlaces, Piece};
        let description = "1、兽医:适用于宠物医院";
        let entry = FilingEntry {
            provenance: Provenance {
                source: "g".into(),
                line: 3,
            },
            last_line: 5,
            level1: "生活服务".into(),
            level2: "宠物".into(),
            description: description.into(),
            item_places: vec![ItemPlaces {
                name: Piece::of(description, "兽医"),
                text: Piece::of(description, "适用于宠物医院"),
                personal_allowed: false,
            }]
            .into(),
            personal: "可选".into(),
            unit: "不建议选择".into(),
            personal_advice: Some(Advice::Optional),
            unit_advice: Some(Advice::NotRecommended),
            remark: "".into(),
        };
        let extraction = FilingExtraction {
            entries: vec![entry],
            diagnostics: vec![],
        };
        let json = String::from_utf8(to_vec(|out| filing_json(&extraction, out)).unwrap()).unwrap();
        let positions: Vec<usize> = [
            "\"unit_advice\"",
            "\"items\"",
            "\"name\"",
            "\"text\"",
            "\"personal_allowed\"",
        ]
        .iter()
        .map(|k| json.find(k).unwrap())
        .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{json}");
        let csv = String::from_utf8(to_vec(|out| filing_csv(&extraction, out)).unwrap()).unwrap();
        assert_eq!(
            csv,
            "source,line,level1,level2,description,personal,unit,remark,personal_advice,unit_advice\n\
             g,3,生活服务,宠物,1、兽医:适用于宠物医院,可选,不建议选择,,optional,not-recommended\n"
        );
    }
}
