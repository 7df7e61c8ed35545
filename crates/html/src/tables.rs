//! `parser = "html-tables"`: category grid tables anywhere in an HTML page.

use leimu_model::{
    is_none_marker, value_or_empty, CategoryPath, Column, DiagnosticKind, DocumentInfo,
    ExtractedRecord, Extraction, ParseError, Provenance, SourceFields, Subject,
};
use scraper::{ElementRef, Html};

use crate::grid::{expand, Grid};
use crate::locate::SourceLines;
use crate::text::cell_text;

/// Extracts the records of every category table of an HTML page (or of a
/// markdown file with HTML blocks, read as HTML).
///
/// Fails only when the page has no table with known headers.
pub fn parse_tables(doc: &DocumentInfo, text: &str) -> Result<Extraction, ParseError> {
    let html = Html::parse_document(text);
    let lines = SourceLines::new(text, &html, &["table", "tr"]);
    let mut out = Extraction::default();
    let mut heading: Option<String> = None;
    let mut known_tables = 0;

    for element in html
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        match element.value().name() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                heading = Some(cell_text(element).replace('\n', " "))
            }
            "table" => {
                let table_line = lines.line(element).unwrap_or(0);
                let grid = expand(element);
                let row_line = |r: usize| lines.line(grid.rows[r]).unwrap_or(table_line);
                match columns(&grid) {
                    Ok(columns) => {
                        known_tables += 1;
                        let subject = heading
                            .as_deref()
                            .and_then(Subject::from_heading)
                            .or(doc.default_subject);
                        if subject.is_none() {
                            out.diagnostics.push(doc.diagnostic(
                                table_line,
                                DiagnosticKind::Note,
                                "no subject in the heading above the table and no default subject",
                            ));
                        }
                        read_rows(doc, &grid, &columns, subject, &row_line, &mut out);
                    }
                    Err(why) => {
                        for r in 0..grid.rows.len() {
                            if !grid.row_is_empty(r) {
                                out.diagnostics.push(doc.diagnostic(
                                    row_line(r),
                                    DiagnosticKind::Skipped,
                                    format!("row of a table that is not a category table ({why})"),
                                ));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if known_tables == 0 {
        return Err(ParseError {
            file: doc.file.clone(),
            line: 0,
            message: "no category table (headers 一级类目, 二级类目, … 法务建议资质文件) found"
                .into(),
        });
    }
    Ok(out)
}

/// The meaning of each grid column, from the first row's texts.
fn columns(grid: &Grid) -> Result<Vec<Option<Column>>, String> {
    if grid.rows.is_empty() {
        return Err("no rows".into());
    }
    let header: Vec<&str> = (0..grid.width()).map(|c| grid.text(0, c)).collect();
    let unknown: Vec<&str> = header
        .iter()
        .copied()
        .filter(|h| !h.is_empty() && Column::from_header(h).is_none())
        .collect();
    if !unknown.is_empty() {
        return Err(format!("unknown header(s): {}", unknown.join(", ")));
    }
    let columns: Vec<Option<Column>> = header.iter().map(|h| Column::from_header(h)).collect();
    for (i, c) in columns.iter().enumerate() {
        if c.is_some()
            && columns[..i].contains(c)
            && grid.slots[0].get(i) != grid.slots[0].get(i - 1)
        {
            return Err(format!("column {} appears twice", header[i]));
        }
    }
    if !columns.contains(&Some(Column::Level(1))) {
        return Err("no level-1 column".into());
    }
    Ok(columns)
}

fn read_rows(
    doc: &DocumentInfo,
    grid: &Grid,
    columns: &[Option<Column>],
    subject: Option<Subject>,
    row_line: &dyn Fn(usize) -> u32,
    out: &mut Extraction,
) {
    for (r, problem) in &grid.problems {
        out.diagnostics
            .push(doc.diagnostic(row_line(*r), DiagnosticKind::Note, problem.clone()));
    }
    for r in 1..grid.rows.len() {
        if grid.row_is_empty(r) {
            continue; // an empty row is a separator
        }
        let cell = |wanted: Column| {
            columns
                .iter()
                .position(|c| *c == Some(wanted))
                .map_or("", |i| grid.text(r, i))
        };
        let value = |wanted: Column| value_or_empty(cell(wanted));
        // Multi-line cells keep their lines; whitespace within each line is already collapsed.
        let multiline = |wanted: Column| {
            let text = cell(wanted);
            if is_none_marker(text) {
                String::new()
            } else {
                text.to_string()
            }
        };
        let path = CategoryPath {
            level1: value(Column::Level(1)),
            level2: value(Column::Level(2)),
            level3: value(Column::Level(3)),
        };
        if path.level1.is_empty() {
            out.diagnostics.push(doc.diagnostic(
                row_line(r),
                DiagnosticKind::Unplaced,
                "row not read: no level-1 name",
            ));
            continue;
        }
        out.records.push(ExtractedRecord {
            provenance: Provenance {
                source: doc.source.clone(),
                line: row_line(r),
            },
            subject,
            path,
            requirement: multiline(Column::Requirement),
            scope: String::new(),
            notes: multiline(Column::Notes),
            fields: SourceFields::Plain,
            requirement_tree: None,
            inherited: Vec::new(),
        });
    }
}
