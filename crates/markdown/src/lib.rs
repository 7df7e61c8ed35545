//! The `markdown-tables` parser: category tables written as markdown pipe
//! tables whose rowspans were lost in conversion from HTML.
//!
//! What it does:
//!
//! * reads every pipe table with pulldown-cmark (tables extension), together
//!   with the nearest heading above it ([`tables`]);
//! * maps columns by header text ([`leimu_model::Column::from_header`]); a
//!   table with a header it does not know is reported row by row, not guessed;
//! * takes the subject from the heading (`非个人主体…`, `个人主体…`, `海外主体…`),
//!   else from the document's default subject;
//! * puts every flattened cell back in its column and fills covered cells
//!   from the row above ([`spans`], whose docs state the rules and the
//!   tie-breaks for rows the layout leaves ambiguous);
//! * writes records and diagnostics as the rows are read, with long tables
//!   given to pulldown-cmark in slices ([`slices`]), so that memory is the
//!   output and one batch of rows, not the document's whole tree.
//!
//! What it does not do: compare with other sources, canonicalise names, or
//! interpret requirement texts. Those belong to the normaliser.
//!
//! Every body row of a known table becomes exactly one record, except
//! all-empty separator rows; a row that no reading fits becomes an
//! `unplaced` diagnostic naming its line instead. Text outside the tables
//! (a title, a remark such as `本文档仅供参考`) and a heading that heads no
//! table become `skipped` diagnostics: nothing of the document is dropped
//! unsaid.
//!
//! ```
//! use leimu_model::{DocumentInfo, Subject};
//!
//! let doc = DocumentInfo { source: "demo".into(), file: "demo.md".into(), default_subject: None };
//! let text = "## 个人主体\n\n| 一级分类 | 二级分类 | 三级分类 | 法务建议的资质文件 |\n|-|-|-|-|\n\
//!             | 生活服务 | 丽人 | 美甲 | / |\n| 美容 | / | | |\n";
//! let out = leimu_markdown::parse(&doc, text).unwrap();
//! let last = &out.records[1];
//! assert_eq!(last.subject, Some(Subject::Personal));
//! assert_eq!(last.path.to_string(), "生活服务 › 丽人 › 美容");
//! assert_eq!(last.provenance.line, 6);
//! ```

pub mod slices;
pub mod spans;
pub mod tables;

use leimu_model::{
    collapse_whitespace, CategoryPath, Column, DiagnosticKind, DocumentInfo, ExtractedRecord,
    Extraction, Field, Inherited, Interner, ParseError, Provenance, SourceFields, Subject, Text,
    MAX_TABLE_ROWS,
};

use slices::Slicing;
use spans::{
    AmbiguityReport, AmbiguityRuns, Grouped, Layout, PerColumn, Recovered, Recovery, RowOutcome,
};
use tables::{visit_tables, LentRow, TableVisitor, Unread};

/// Extracts the category records of every known table in `text`.
///
/// Fails when the document has no table leimu recognises at all, or no row
/// of them can be read: a document that changed beyond recognition must stop
/// the pipeline, not produce an empty dataset. Also fails on a table of more
/// than [`MAX_TABLE_ROWS`] rows. NUL characters are removed first, with a
/// note per line.
pub fn parse(doc: &DocumentInfo, text: &str) -> Result<Extraction, ParseError> {
    let (text, nul) = leimu_model::without_nul(doc, text);
    let mut out = visit_tables(&text, Slicing::default(), || Extractor::new(doc)).finish()?;
    out.diagnostics.splice(0..0, nul);
    Ok(out)
}

/// Turns tables into records and diagnostics as the rows are read.
struct Extractor<'d> {
    doc: &'d DocumentInfo,
    out: Extraction,
    known_tables: usize,
    /// The first table over [`MAX_TABLE_ROWS`] rows; nothing is read after it.
    error: Option<ParseError>,
    table: Option<OpenTable>,
    /// Names, requirements and notes repeat, down a merged cell (the
    /// conversion wrote a copy on every row it spans) and across tables.
    texts: Interner,
}

struct OpenTable {
    line: u32,
    rows: usize,
    kind: TableKind,
}

enum TableKind {
    /// A table that is no category table, and why; its rows are reported.
    Other(String),
    Category(Box<CategoryTable>),
}

/// The state of span recovery and reporting within one category table.
struct CategoryTable {
    recovery: Recovery,
    subject: Option<Subject>,
    /// No row so far has a cell or an overflow.
    all_empty: bool,
    /// Per column, the line its current value is written on.
    written_on: Vec<u32>,
    runs: AmbiguityRuns,
    /// Where the open ambiguity report is written, and its lines so far.
    open_report: Option<OpenReport>,
}

struct OpenReport {
    diagnostic: usize,
    first_line: u32,
    last_line: u32,
}

impl<'d> Extractor<'d> {
    fn new(doc: &'d DocumentInfo) -> Extractor<'d> {
        Extractor {
            doc,
            out: Extraction::default(),
            known_tables: 0,
            error: None,
            table: None,
            texts: Interner::default(),
        }
    }

    fn finish(self) -> Result<Extraction, ParseError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        if self.known_tables == 0 {
            return Err(ParseError {
                file: self.doc.file.clone(),
                line: 0,
                message:
                    "no category table (headers 一级分类, 二级分类, … 法务建议的资质文件) found"
                        .to_string(),
            });
        }
        if self.out.records.is_empty() {
            return Err(ParseError {
                file: self.doc.file.clone(),
                line: 0,
                message:
                    "no records: the category tables have headers but no rows that could be read"
                        .to_string(),
            });
        }
        Ok(self.out)
    }

    fn category_table(
        &mut self,
        heading: Option<&str>,
        line: u32,
        layout: Layout,
    ) -> CategoryTable {
        let subject = heading
            .and_then(Subject::from_heading)
            .or(self.doc.default_subject);
        if subject.is_none() {
            self.out.diagnostics.push(self.doc.diagnostic(
                line,
                DiagnosticKind::Note,
                format!(
                    "no subject in the heading above the table ({}) and no default subject; records have none",
                    heading.unwrap_or("no heading")
                ),
            ));
        }
        CategoryTable {
            written_on: vec![0; layout.columns().len()],
            recovery: Recovery::new(layout),
            subject,
            all_empty: true,
            runs: AmbiguityRuns::default(),
            open_report: None,
        }
    }
}

impl TableVisitor for Extractor<'_> {
    fn table(&mut self, heading: Option<&str>, line: u32, header: Vec<String>) {
        if self.error.is_some() {
            return;
        }
        let kind = match table_layout(line, &header) {
            Ok(layout) => {
                self.known_tables += 1;
                TableKind::Category(Box::new(self.category_table(heading, line, layout)))
            }
            Err(why) => TableKind::Other(why),
        };
        self.table = Some(OpenTable {
            line,
            rows: 0,
            kind,
        });
    }

    fn row(&mut self, row: LentRow<'_>) {
        let (Some(table), None) = (self.table.as_mut(), &self.error) else {
            return;
        };
        table.rows += 1;
        if table.rows > MAX_TABLE_ROWS {
            return; // reported when the table ends
        }
        match &mut table.kind {
            TableKind::Other(why) => self.out.diagnostics.push(self.doc.diagnostic(
                row.line,
                DiagnosticKind::Skipped,
                format!("row of a table that is not a category table ({why})"),
            )),
            TableKind::Category(category) => category.read_row(
                self.doc,
                table.rows - 1,
                row,
                &mut self.out,
                &mut self.texts,
            ),
        }
    }

    fn end_table(&mut self) {
        let (Some(table), None) = (self.table.take(), &self.error) else {
            return;
        };
        if table.rows > MAX_TABLE_ROWS {
            self.error = Some(self.doc.too_many_rows(table.line, table.rows));
            return;
        }
        if let TableKind::Category(mut category) = table.kind {
            category.close_report(&mut self.out);
            if category.all_empty {
                self.out.diagnostics.push(self.doc.diagnostic(
                    table.line,
                    DiagnosticKind::Note,
                    "category table with a header and no rows",
                ));
            }
        }
    }

    /// The title, the remarks under it: text a reader should know is there
    /// (`本文档仅供参考`), but no category.
    fn unread(&mut self, line: u32, what: Unread, text: &str) {
        if self.error.is_some() {
            return;
        }
        let what = match what {
            Unread::Prose => "text outside the tables, not a category",
            Unread::Heading => "heading of no table",
        };
        self.out.diagnostics.push(self.doc.diagnostic(
            line,
            DiagnosticKind::Skipped,
            format!("{what}: {text}"),
        ));
    }
}

fn table_layout(line: u32, header: &[String]) -> Result<Layout, String> {
    let unknown: Vec<&str> = header
        .iter()
        .filter(|h| Column::from_header(h).is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "header line {line} has unknown column(s): {}",
            unknown.join(", ")
        ));
    }
    Layout::new(
        header
            .iter()
            .filter_map(|h| Column::from_header(h))
            .collect(),
    )
    .map_err(|why| format!("header line {line}: {why}"))
}

impl CategoryTable {
    /// Row `index` of the table: a record, or what became of it. The
    /// diagnostics come in row order; an ambiguity report is written at its
    /// first row and completed when its run ends.
    fn read_row(
        &mut self,
        doc: &DocumentInfo,
        index: usize,
        row: LentRow<'_>,
        out: &mut Extraction,
        texts: &mut Interner,
    ) {
        let LentRow {
            line,
            cells,
            overflow,
        } = row;
        self.all_empty &= cells.iter().all(String::is_empty) && overflow.is_empty();
        let columns = self.recovery.layout().columns().len();
        if !overflow.is_empty() {
            out.diagnostics.push(doc.diagnostic(
                line,
                DiagnosticKind::Skipped,
                format!(
                    "cells beyond the header's {columns} columns are not read: {}",
                    overflow.join(" | ")
                ),
            ));
        }
        match self.recovery.row(cells) {
            RowOutcome::Separator => {}
            RowOutcome::Unplaced(why) => out.diagnostics.push(doc.diagnostic(
                line,
                DiagnosticKind::Unplaced,
                format!("row not read: {why}"),
            )),
            RowOutcome::Record(mut recovered) => {
                if let Some(ambiguity) = recovered.ambiguity.take() {
                    self.report_ambiguity(doc, index, line, &recovered, ambiguity, out);
                }
                for (written, own) in self.written_on.iter_mut().zip(&recovered.own) {
                    if *own {
                        *written = line;
                    }
                }
                let layout = self.recovery.layout();
                let inherited = inherited(layout, &recovered, &self.written_on);
                let row = Row {
                    line,
                    subject: self.subject,
                    cells: recovered.cells,
                };
                let mut record = record(doc, row, layout, out.records.last(), texts);
                record.inherited = inherited.into();
                out.records.push(record);
            }
        }
    }

    fn report_ambiguity(
        &mut self,
        doc: &DocumentInfo,
        index: usize,
        line: u32,
        recovered: &Recovered,
        ambiguity: spans::Ambiguity,
        out: &mut Extraction,
    ) {
        let layout = self.recovery.layout();
        match self.runs.add(layout, index, &recovered.cells, ambiguity) {
            Grouped::Continues => {
                if let Some(open) = self.open_report.as_mut() {
                    open.last_line = line;
                }
            }
            Grouped::Starts(closed) => {
                if let (Some(closed), Some(open)) = (closed, self.open_report.take()) {
                    write_report(&closed, &open, out);
                }
                self.open_report = Some(OpenReport {
                    diagnostic: out.diagnostics.len(),
                    first_line: line,
                    last_line: line,
                });
                // The message is written when the run ends.
                out.diagnostics.push(doc.diagnostic(
                    line,
                    DiagnosticKind::Ambiguous,
                    String::new(),
                ));
            }
        }
    }

    /// Completes the open ambiguity report at the end of the table.
    fn close_report(&mut self, out: &mut Extraction) {
        if let (Some(closed), Some(open)) = (self.runs.finish(), self.open_report.take()) {
            write_report(&closed, &open, out);
        }
    }
}

fn write_report(report: &AmbiguityReport, at: &OpenReport, out: &mut Extraction) {
    if let Some(diagnostic) = out.diagnostics.get_mut(at.diagnostic) {
        diagnostic.message = report.message(at.first_line, at.last_line);
    }
}

/// The requirement and note cells a row takes from above, with their lines.
fn inherited(layout: &Layout, recovered: &Recovered, written_on: &[u32]) -> Vec<Inherited> {
    layout
        .columns()
        .iter()
        .zip(&recovered.own)
        .zip(written_on)
        .filter(|((_, own), _)| !**own)
        .filter_map(|((column, _), &line)| {
            let field = match column {
                Column::Requirement => Field::Requirement,
                Column::Notes => Field::Notes,
                _ => return None,
            };
            Some(Inherited { field, line })
        })
        .collect()
}

/// A body row with its cells recovered.
struct Row {
    line: u32,
    subject: Option<Subject>,
    cells: PerColumn<Text>,
}

/// The record of `row`, its texts kept once in `texts`. A text equal to
/// the same field of `previous` (a merged cell, recovered on each row it
/// spans) is taken from it, without hashing it.
fn record(
    doc: &DocumentInfo,
    mut row: Row,
    layout: &Layout,
    previous: Option<&ExtractedRecord>,
    texts: &mut Interner,
) -> ExtractedRecord {
    // Interned: the fields a list repeats far apart (77 of the category
    // list's 383 requirements are distinct, 22 of its level-1 names).
    // Level-2 and -3 names are nearly all distinct: hashing them costs
    // more than the copies it would save.
    let mut value = |wanted: Column, above: Option<&Text>, intern: bool| {
        let value = layout
            .columns()
            .iter()
            .position(|c| *c == wanted)
            .and_then(|i| row.cells.get_mut(i))
            .map(|cell| output_value(std::mem::take(cell)))
            .unwrap_or_default();
        match above {
            Some(above) if *above == value => above.clone(),
            _ if intern => texts.share(value),
            _ => value,
        }
    };
    ExtractedRecord {
        provenance: Provenance {
            source: doc.source.clone(),
            line: row.line,
        },
        subject: row.subject,
        path: CategoryPath {
            level1: value(Column::Level(1), previous.map(|p| &p.path.level1), true),
            level2: value(Column::Level(2), previous.map(|p| &p.path.level2), false),
            level3: value(Column::Level(3), previous.map(|p| &p.path.level3), false),
        },
        requirement: value(Column::Requirement, previous.map(|p| &p.requirement), true),
        scope: Text::default(),
        notes: value(Column::Notes, previous.map(|p| &p.notes), true),
        fields: SourceFields::Plain,
        requirement_tree: None,
        inherited: Box::default(),
    }
}

/// [`leimu_model::value_or_empty`] of a cell, as the cell's own text: cells
/// come collapsed from [`tables`], and span recovery keeps them as they are.
fn output_value(cell: Text) -> Text {
    debug_assert_eq!(cell, collapse_whitespace(&cell), "cells are collapsed");
    if matches!(cell.as_str(), "/" | "／") {
        Text::default()
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leimu_model::{is_none_marker, value_or_empty};

    fn doc() -> DocumentInfo {
        DocumentInfo {
            source: "d".into(),
            file: "d.md".into(),
            default_subject: Some(Subject::Personal),
        }
    }

    const HEADER: &str = "| 一级分类 | 二级分类 | 法务建议的资质文件 |\n|-|-|-|\n";

    #[test]
    fn a_table_with_a_header_and_no_rows_is_reported_and_alone_fails() {
        let full = format!("{HEADER}| 工具 | 记账 | / |\n");
        let text = format!("{full}\n## 其他\n\n{HEADER}");
        let out = parse(&doc(), &text).unwrap();
        assert_eq!(out.records.len(), 1);
        assert!(
            out.diagnostics
                .iter()
                .any(|d| d.line == 7 && d.message.contains("no rows")),
            "{:?}",
            out.diagnostics
        );
        let err = parse(&doc(), HEADER).unwrap_err();
        assert!(err.message.contains("no rows"), "{err}");
    }

    #[test]
    fn equal_texts_of_a_document_are_one_copy() {
        // 社交 spans two rows (flattened: the second row lacks its cell),
        // and 《甲》 is the requirement in both tables.
        let text = format!(
            "{HEADER}| 社交 | 直播 | 《甲》 |\n| 交友 | 《乙》 |\n\n## 其他\n\n{HEADER}| 工具 | 记账 | 《甲》 |\n"
        );
        let out = parse(&doc(), &text).unwrap();
        let [live, dating, books] = &out.records[..] else {
            panic!("three records: {:?}", out.records)
        };
        assert_eq!(
            (dating.path.level1.as_str(), books.requirement.as_str()),
            ("社交", "《甲》")
        );
        assert!(Text::shares(&live.path.level1, &dating.path.level1));
        assert!(Text::shares(&live.requirement, &books.requirement));
        assert!(!Text::shares(&live.requirement, &dating.requirement));
    }

    #[test]
    fn nul_characters_are_removed_with_a_note() {
        let text = format!("{HEADER}| 工具\0 | 记\0账 | / |\n");
        let out = parse(&doc(), &text).unwrap();
        assert_eq!(out.records[0].path.to_string(), "工具 › 记账");
        assert_eq!(out.diagnostics[0].line, 3);
        assert!(out.diagnostics[0].message.contains("NUL"));
    }

    #[test]
    fn output_values_match_value_or_empty() {
        for cell in ["", "/", "／", "a b", "《A》 或《B》"] {
            assert_eq!(output_value(Text::from(cell)), value_or_empty(cell));
            assert_eq!(
                output_value(Text::from(cell)).is_empty(),
                is_none_marker(cell) || cell.is_empty()
            );
        }
    }
}
