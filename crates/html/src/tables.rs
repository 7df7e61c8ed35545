//! `parser = "html-tables"`: category grid tables anywhere in an HTML page.

use crate::dom::ElementRef;
use crate::grid::{expand, Slots, TooManyRows};
use crate::locate::{parse_document, Located};
use crate::text::cell_text;
use leimu_model::{
    is_none_marker, CategoryPath, Column, DiagnosticKind, DocumentInfo, ExtractedRecord,
    Extraction, ParseError, Provenance, SourceFields, Subject,
};

/// Extracts the records of every category table of an HTML page (or of a
/// markdown file with HTML blocks, read as HTML).
///
/// Fails when the page has no table with known headers, or when its
/// category tables have headers but no rows.
pub fn parse_tables(doc: &DocumentInfo, text: &str) -> Result<Extraction, ParseError> {
    let (text, nul) = leimu_model::without_nul(doc, text);
    let mut out = read_page(doc, &text)?;
    out.diagnostics.splice(0..0, nul);
    Ok(out)
}

fn read_page(doc: &DocumentInfo, text: &str) -> Result<Extraction, ParseError> {
    let tables = tables_of(doc, text)?;
    let mut out = Extraction::default();
    let mut known_tables = 0;
    for table in &tables {
        if read_table(doc, table, &mut out) {
            known_tables += 1;
        }
    }
    let error = |message: &str| ParseError {
        file: doc.file.clone(),
        line: 0,
        message: message.into(),
    };
    if known_tables == 0 {
        return Err(error(
            "no category table (headers 一级类目, 二级类目, … 法务建议资质文件) found",
        ));
    }
    if out.records.is_empty() {
        return Err(error(
            "no records: the category tables have headers but no rows that could be read",
        ));
    }
    Ok(out)
}

/// A table of the page laid out, with what its records need from the
/// tree, so that the tree is dropped before the records are made (it is
/// the larger part of the memory).
struct Table {
    /// Line of the `<table>` start tag.
    line: u32,
    /// Line of each row's `<tr>`.
    row_lines: Vec<u32>,
    slots: Slots,
    /// The subject of the heading above the table, else the document's.
    subject: Option<Subject>,
    /// Line of the end of the input, when that closed the table.
    unclosed: Option<u32>,
}

impl Table {
    /// Line of grid row `r` (the table's line for a row that does not exist).
    fn row_line(&self, r: usize) -> u32 {
        self.row_lines.get(r).copied().unwrap_or(self.line)
    }
}

/// Parses the page and lays out its tables, in document order, each with
/// the last heading before it.
fn tables_of(doc: &DocumentInfo, text: &str) -> Result<Vec<Table>, ParseError> {
    let located = parse_document(text);
    if let Some(line) = located.too_deep {
        return Err(doc.too_deep(line));
    }
    let mut tables = Vec::new();
    let mut heading: Option<String> = None;
    let elements = located.dom.root_element().into_iter();
    for element in elements.flat_map(ElementRef::descendant_elements) {
        match element.name() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                heading = Some(cell_text(element).replace('\n', " "))
            }
            "table" => tables.push(lay_out(doc, &located, element, heading.as_deref())?),
            _ => {}
        }
    }
    Ok(tables)
}

fn lay_out(
    doc: &DocumentInfo,
    located: &Located,
    table: ElementRef,
    heading: Option<&str>,
) -> Result<Table, ParseError> {
    let line = table.line();
    let grid = expand(table).map_err(|TooManyRows(rows)| doc.too_many_rows(line, rows))?;
    Ok(Table {
        line,
        row_lines: grid.rows.iter().map(|tr| tr.line()).collect(),
        slots: grid.slots,
        subject: heading
            .and_then(Subject::from_heading)
            .or(doc.default_subject),
        unclosed: located
            .unclosed
            .iter()
            .find(|u| u.id == table.id())
            .map(|u| u.line),
    })
}

/// Reads one table: records if it is a category table (then true), else a
/// diagnostic per row.
fn read_table(doc: &DocumentInfo, table: &Table, out: &mut Extraction) -> bool {
    let grid = &table.slots;
    let columns = match columns(grid) {
        Ok(columns) => columns,
        Err(why) => {
            for r in (0..grid.height).filter(|&r| !grid.row_is_empty(r)) {
                out.diagnostics.push(doc.diagnostic(
                    table.row_line(r),
                    DiagnosticKind::Skipped,
                    format!("row of a table that is not a category table ({why})"),
                ));
            }
            return false;
        }
    };
    if table.subject.is_none() {
        out.diagnostics.push(doc.diagnostic(
            table.line,
            DiagnosticKind::Note,
            "no subject in the heading above the table and no default subject",
        ));
    }
    if let Some(line) = table.unclosed {
        out.diagnostics.push(doc.diagnostic(
            line,
            DiagnosticKind::Note,
            "table never closed (no `</table>`): everything after it to the end of the \
             document is read into its last rows",
        ));
    }
    if (1..grid.height).all(|r| grid.row_is_empty(r)) {
        out.diagnostics.push(doc.diagnostic(
            table.line,
            DiagnosticKind::Note,
            "category table with a header and no rows",
        ));
    }
    read_rows(doc, table, &columns, out);
    report_unread_cells(doc, table, &columns, out);
    true
}

/// The meaning of the columns, from the first row's cells: each meaning
/// with the first grid column that has it.
fn columns(grid: &Slots) -> Result<Vec<(Column, usize)>, String> {
    if grid.height == 0 {
        return Err("no rows".into());
    }
    let header = grid.row_pieces(0);
    let unknown: Vec<&str> = header
        .iter()
        .map(|p| grid.cell_text(p.cell()))
        .filter(|h| !h.is_empty() && Column::from_header(h).is_none())
        .collect();
    if !unknown.is_empty() {
        return Err(format!("unknown header(s): {}", unknown.join(", ")));
    }
    let mut columns: Vec<(Column, usize, usize)> = Vec::new(); // meaning, column, cell
    for piece in header {
        let text = grid.cell_text(piece.cell());
        let Some(column) = Column::from_header(text) else {
            continue;
        };
        match columns.iter().find(|(c, _, _)| *c == column) {
            Some((_, _, cell)) if *cell != piece.cell() => {
                return Err(format!("column {text} appears twice"));
            }
            Some(_) => {}
            None => columns.push((column, piece.columns().start, piece.cell())),
        }
    }
    if !columns.iter().any(|(c, _, _)| *c == Column::Level(1)) {
        return Err("no level-1 column".into());
    }
    Ok(columns.into_iter().map(|(c, at, _)| (c, at)).collect())
}

fn read_rows(doc: &DocumentInfo, table: &Table, columns: &[(Column, usize)], out: &mut Extraction) {
    let grid = &table.slots;
    for (r, problem) in &grid.problems {
        out.diagnostics.push(doc.diagnostic(
            table.row_line(*r),
            DiagnosticKind::Note,
            problem.clone(),
        ));
    }
    let at: Vec<usize> = columns.iter().map(|(_, at)| *at).collect();
    let cells = grid.cells_at(&at);
    out.records.reserve(grid.height.saturating_sub(1));
    for (r, row) in cells.rows().enumerate().skip(1) {
        if grid.row_is_empty(r) {
            continue; // an empty row is a separator
        }
        let cell = |wanted: Column| {
            columns
                .iter()
                .position(|(c, _)| *c == wanted)
                .and_then(|i| row[i])
                .map_or("", |cell| grid.cell_text(cell))
        };
        // A cell's text is words between single spaces and line breaks
        // (crate::text), so collapsing its whitespace is joining its lines.
        let value = |wanted: Column| {
            let text = cell(wanted);
            if is_none_marker(text) {
                String::new()
            } else if text.contains('\n') {
                text.replace('\n', " ")
            } else {
                text.to_string() // sized exactly; `replace` grows its buffer as it goes
            }
        };
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
            level1: value(Column::Level(1)).into(),
            level2: value(Column::Level(2)).into(),
            level3: value(Column::Level(3)).into(),
        };
        if path.level1.is_empty() {
            out.diagnostics.push(doc.diagnostic(
                table.row_line(r),
                DiagnosticKind::Unplaced,
                "row not read: no level-1 name",
            ));
            continue;
        }
        let mut record = ExtractedRecord {
            provenance: Provenance {
                source: doc.source.clone(),
                line: table.row_line(r),
            },
            subject: table.subject,
            path,
            requirement: multiline(Column::Requirement).into(),
            scope: Default::default(),
            notes: multiline(Column::Notes).into(),
            fields: SourceFields::Plain,
            requirement_tree: None,
            inherited: Box::default(),
        };
        // A rowspan's text is laid out on every row it spans: one copy.
        record.share_with(out.records.last());
        out.records.push(record);
    }
}

/// Reports the body cells with text that reach no column a record reads
/// (beyond the header's width, or under an empty or repeated header).
fn report_unread_cells(
    doc: &DocumentInfo,
    table: &Table,
    columns: &[(Column, usize)],
    out: &mut Extraction,
) {
    let grid = &table.slots;
    let at: Vec<usize> = columns.iter().map(|(_, at)| *at).collect();
    for (row, texts) in grid.cells_outside(&at, 1) {
        let texts: Vec<String> = texts.iter().map(|t| t.replace('\n', " ")).collect();
        out.diagnostics.push(doc.diagnostic(
            table.row_line(row),
            DiagnosticKind::Skipped,
            format!(
                "cells outside the header's columns are not read: {}",
                texts.join(" | ")
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "<tr><th>一级类目</th><th>二级类目</th><th>法务建议资质文件</th></tr>";

    fn parse(page: &str) -> Result<Extraction, ParseError> {
        let doc = DocumentInfo {
            source: "page".into(),
            file: "page.html".into(),
            default_subject: Some(Subject::Enterprise),
        };
        parse_tables(&doc, page)
    }

    fn lines(out: &Extraction) -> Vec<u32> {
        out.records.iter().map(|r| r.provenance.line).collect()
    }

    #[test]
    fn records_carry_their_own_rows_line_whatever_the_tree_builder_adds() {
        // A `<tr>` outside any table (dropped by the tree builder), a stray
        // cell (given a row of its own), an implied tbody, comments and
        // whitespace between rows: rows are matched by position, not count.
        let page = format!(
            "<p><tr>not a row</p>\n<table>\n{HEADER}\n<!-- <tr> -->\n\n\
             <tr><td>工具</td><td>记账</td><td>/</td></tr>\n  \n\
             <td>工具</td><td>天气</td>\n\
             <tr>\n<td>工具</td><td>日历</td><td>/</td></tr>\n</table>\n"
        );
        let out = parse(&page).unwrap();
        assert_eq!(lines(&out), [6, 8, 9]);
    }

    #[test]
    fn cells_beyond_the_header_are_reported() {
        let page = format!(
            "<table>\n{HEADER}\n<tr><td>工具</td><td>记账</td><td>/</td><td>多余</td></tr>\n\
             <tr><td>工具</td><td>天气</td><td>/</td></tr>\n</table>"
        );
        let out = parse(&page).unwrap();
        assert_eq!(out.records.len(), 2);
        let lost: Vec<(u32, &str)> = out
            .diagnostics
            .iter()
            .filter(|d| d.kind.loses_content())
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(lost.len(), 1, "{lost:?}");
        assert_eq!(lost[0].0, 3);
        assert!(lost[0].1.ends_with("not read: 多余"), "{lost:?}");
    }

    #[test]
    fn a_table_with_a_header_and_no_rows_is_reported_and_alone_fails() {
        let full =
            format!("<table>\n{HEADER}\n<tr><td>工具</td><td>记账</td><td>/</td></tr></table>\n");
        let empty = format!("<table>\n{HEADER}\n</table>\n");
        let out = parse(&format!("{full}{empty}")).unwrap();
        assert!(out
            .diagnostics
            .iter()
            .any(|d| d.line == 4 && d.message.contains("no rows")));
        let err = parse(&empty).unwrap_err();
        assert!(err.message.contains("no rows"), "{err}");
    }

    #[test]
    fn an_unclosed_table_is_reported() {
        let page = format!(
            "<table>\n{HEADER}\n<tr><td>工具</td><td>记账</td><td>《甲》\n<div>页脚 Copyright</div>\n"
        );
        let out = parse(&page).unwrap();
        assert!(out.records[0].requirement.contains("页脚"));
        assert!(
            out.diagnostics
                .iter()
                .any(|d| d.line == 1 && d.message.contains("never closed")),
            "{:?}",
            out.diagnostics
        );
    }

    #[test]
    fn huge_and_zero_spans_lay_out_without_overflow() {
        let page = format!(
            "<table>\n{HEADER}\n<tr><td rowspan={}>工具</td><td>记账</td><td rowspan=0>/</td></tr>\n\
             <tr><td>天气</td></tr>\n</table>",
            usize::MAX
        );
        let out = parse(&page).unwrap();
        let paths: Vec<String> = out.records.iter().map(|r| r.path.to_string()).collect();
        assert_eq!(paths, ["工具 › 记账", "工具 › 天气"]);
    }
}
