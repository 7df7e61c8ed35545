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
    Extraction, ParseError, Provenance, Subject,
};

use spans::{recover_spans, Layout, RowOutcome};
use tables::{read_tables, PipeTable};

/// Extracts the category records of every known table in `text`.
///
/// Fails only when the document has no table leimu recognises at all: a
/// document that changed beyond recognition must stop the pipeline, not
/// produce an empty dataset.
pub fn parse(doc: &DocumentInfo, text: &str) -> Result<Extraction, ParseError> {
    let mut out = Extraction::default();
    let mut known_tables = 0;
    for mut table in read_tables(text) {
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

    // The cells move to span recovery, and from there into the records.
    let cells: Vec<Vec<String>> = table
        .rows
        .iter_mut()
        .map(|r| std::mem::take(&mut r.cells))
        .collect();
    for (row, outcome) in table.rows.iter().zip(recover_spans(layout, &cells)) {
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
                if let Some(why) = recovered.ambiguity {
                    out.diagnostics
                        .push(doc.diagnostic(row.line, DiagnosticKind::Ambiguous, why));
                }
                out.records
                    .push(record(doc, row.line, subject, layout, recovered.cells));
            }
        }
    }
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
        extras: Vec::new(),
        requirement_tree: None,
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
