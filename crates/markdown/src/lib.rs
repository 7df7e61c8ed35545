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
//!   tie-breaks for rows the layout leaves ambiguous).
//!
//! What it does not do: compare with other sources, canonicalise names, or
//! interpret requirement texts. Those belong to the normaliser.
//!
//! Every body row of a known table becomes exactly one record, except
//! all-empty separator rows; a row that no reading fits becomes an
//! `unplaced` diagnostic naming its line instead.
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

pub mod spans;
pub mod tables;

use leimu_model::{
    collapse_whitespace, CategoryPath, Column, DiagnosticKind, DocumentInfo, ExtractedRecord,
    Extraction, Field, Inherited, ParseError, Provenance, SourceFields, Subject, MAX_TABLE_ROWS,
};

use spans::{report_ambiguities, Layout, Recovered, Recovery, RowOutcome};
use tables::{read_tables, PipeTable};

/// Extracts the category records of every known table in `text`.
///
/// Fails when the document has no table leimu recognises at all, or no row
/// of them can be read: a document that changed beyond recognition must stop
/// the pipeline, not produce an empty dataset. Also fails on a table of more
/// than [`MAX_TABLE_ROWS`] rows. NUL characters are removed first, with a
/// note per line.
pub fn parse(doc: &DocumentInfo, text: &str) -> Result<Extraction, ParseError> {
    let (text, nul) = leimu_model::without_nul(doc, text);
    let mut out = read_document(doc, &text)?;
    out.diagnostics.splice(0..0, nul);
    Ok(out)
}

fn read_document(doc: &DocumentInfo, text: &str) -> Result<Extraction, ParseError> {
    let mut out = Extraction::default();
    let mut known_tables = 0;
    for mut table in read_tables(text) {
        if table.rows.len() > MAX_TABLE_ROWS {
            return Err(doc.too_many_rows(table.line, table.rows.len()));
        }
        match table_layout(&table) {
            Ok(layout) => {
                known_tables += 1;
                read_table(doc, &mut table, &layout, &mut out);
            }
            Err(why) => {
                for row in &table.rows {
                    out.diagnostics.push(doc.diagnostic(
                        row.line,
                        DiagnosticKind::Skipped,
                        format!("row of a table that is not a category table ({why})"),
                    ));
                }
            }
        }
    }
    if known_tables == 0 {
        return Err(ParseError {
            file: doc.file.clone(),
            line: 0,
            message: "no category table (headers 一级分类, 二级分类, … 法务建议的资质文件) found"
                .to_string(),
        });
    }
    if out.records.is_empty() {
        return Err(ParseError {
            file: doc.file.clone(),
            line: 0,
            message: "no records: the category tables have headers but no rows that could be read"
                .to_string(),
        });
    }
    Ok(out)
}

fn table_layout(table: &PipeTable) -> Result<Layout, String> {
    let unknown: Vec<&str> = table
        .header
        .iter()
        .filter(|h| Column::from_header(h).is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "header line {} has unknown column(s): {}",
            table.line,
            unknown.join(", ")
        ));
    }
    Layout::new(
        table
            .header
            .iter()
            .filter_map(|h| Column::from_header(h))
            .collect(),
    )
    .map_err(|why| format!("header line {}: {why}", table.line))
}

fn read_table(doc: &DocumentInfo, table: &mut PipeTable, layout: &Layout, out: &mut Extraction) {
    let subject = table
        .heading
        .as_deref()
        .and_then(Subject::from_heading)
        .or(doc.default_subject);
    if subject.is_none() {
        out.diagnostics.push(doc.diagnostic(
            table.line,
            DiagnosticKind::Note,
            format!(
                "no subject in the heading above the table ({}) and no default subject; records have none",
                table.heading.as_deref().unwrap_or("no heading")
            ),
        ));
    }

    if table
        .rows
        .iter()
        .all(|r| r.cells.iter().all(String::is_empty) && r.overflow.is_empty())
    {
        out.diagnostics.push(doc.diagnostic(
            table.line,
            DiagnosticKind::Note,
            "category table with a header and no rows",
        ));
    }
    // The cells move to span recovery, and from there into the records.
    let mut recovery = Recovery::new(layout);
    let outcomes: Vec<RowOutcome> = table
        .rows
        .iter_mut()
        .map(|r| recovery.row(std::mem::take(&mut r.cells)))
        .collect();
    // Each report is written where its first row is, in row order.
    let mut ambiguities = report_ambiguities(layout, &outcomes).into_iter().peekable();
    // Per column, the line its current value is written on.
    let mut written_on: Vec<u32> = vec![0; layout.columns().len()];
    for (index, (row, outcome)) in table.rows.iter().zip(outcomes).enumerate() {
        if !row.overflow.is_empty() {
            out.diagnostics.push(doc.diagnostic(
                row.line,
                DiagnosticKind::Skipped,
                format!(
                    "cells beyond the header's {} columns are not read: {}",
                    layout.columns().len(),
                    row.overflow.join(" | ")
                ),
            ));
        }
        match outcome {
            RowOutcome::Separator => {}
            RowOutcome::Unplaced(why) => out.diagnostics.push(doc.diagnostic(
                row.line,
                DiagnosticKind::Unplaced,
                format!("row not read: {why}"),
            )),
            RowOutcome::Record(recovered) => {
                if let Some(report) = ambiguities.next_if(|a| a.first == index) {
                    let last_line = table.rows[report.last].line;
                    out.diagnostics.push(doc.diagnostic(
                        row.line,
                        DiagnosticKind::Ambiguous,
                        report.message(row.line, last_line),
                    ));
                }
                for (line, own) in written_on.iter_mut().zip(&recovered.own) {
                    if *own {
                        *line = row.line;
                    }
                }
                let inherited = inherited(layout, &recovered, &written_on);
                let mut record = record(doc, row.line, subject, layout, recovered.cells);
                record.inherited = inherited;
                out.records.push(record);
            }
        }
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

fn record(
    doc: &DocumentInfo,
    line: u32,
    subject: Option<Subject>,
    layout: &Layout,
    mut cells: Vec<String>,
) -> ExtractedRecord {
    let mut value = |wanted: Column| {
        layout
            .columns()
            .iter()
            .position(|c| *c == wanted)
            .map(|i| output_value(std::mem::take(&mut cells[i])))
            .unwrap_or_default()
    };
    ExtractedRecord {
        provenance: Provenance {
            source: doc.source.clone(),
            line,
        },
        subject,
        path: CategoryPath {
            level1: value(Column::Level(1)),
            level2: value(Column::Level(2)),
            level3: value(Column::Level(3)),
        },
        requirement: value(Column::Requirement),
        scope: String::new(),
        notes: value(Column::Notes),
        fields: SourceFields::Plain,
        requirement_tree: None,
        inherited: Vec::new(),
    }
}

/// [`leimu_model::value_or_empty`] of a cell, reusing the cell's string: cells come
/// collapsed from [`tables`], and span recovery only trims and copies them.
fn output_value(cell: String) -> String {
    debug_assert_eq!(cell, collapse_whitespace(&cell), "cells are collapsed");
    if matches!(cell.as_str(), "/" | "／") {
        String::new()
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
            assert_eq!(output_value(cell.to_string()), value_or_empty(cell));
            assert_eq!(
                output_value(cell.to_string()).is_empty(),
                is_none_marker(cell) || cell.is_empty()
            );
        }
    }
}
