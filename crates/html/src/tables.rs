//! `parser = "html-tables"`: category grid tables anywhere in an HTML page.
//!
//! Tables are read row by row as the parse completes their rows
//! ([`parse_document_by_rows`]), laid out by [`RowLayout`], and the rows
//! are removed from the tree once read: a table of 45,000 rows never has
//! its rows in memory at once, only its records. Each table's records and
//! diagnostics wait for the end of the page, where the tree that is left
//! (headings, tables, the rows the parse could not yet give) is walked in
//! document order as the whole-tree reading walks it: each table gets its
//! remaining rows, its subject from the last heading before it and what
//! the end of the input closed, and the tables' results are put in
//! document order. When a tree cannot be read that way (see
//! [`parse_document_by_rows`]), the page is parsed again and read whole
//! ([`parse_tables_whole`], which the tests and the fuzz target compare it
//! with).
//!
//! The page's text outside its tables (navigation, a title, a footer) is
//! no record; each run of it between tables is a `skipped` diagnostic
//! (`page_text`), so that nothing of the page is dropped unsaid.

use std::collections::HashMap;

use crate::dom::{Edge, ElementRef, NodeId, NodeRef, HEADINGS};
use crate::grid::{expand, table_row_keys, CellSpans, LaidRow, RowLayout, Slots, TooManyRows};
use crate::locate::{parse_document, parse_document_by_rows, Located, RowReader};
use crate::text::{cell_text, push_cell_text};
use leimu_model::{
    is_none_marker, CategoryPath, Column, Diagnostic, DiagnosticKind, DocumentInfo,
    ExtractedRecord, Extraction, Interner, ParseError, Provenance, SourceFields, Subject,
    MAX_TABLE_ROWS,
};

/// Extracts the records of every category table of an HTML page (or of a
/// markdown file with HTML blocks, read as HTML).
///
/// Fails when the page has no table with known headers, or when its
/// category tables have headers but no rows.
pub fn parse_tables(doc: &DocumentInfo, text: &str) -> Result<Extraction, ParseError> {
    let (text, nul) = leimu_model::without_nul(doc, text);
    let mut out = match read_page_by_rows(doc, &text) {
        Some(out) => out?,
        None => read_page(doc, &text)?,
    };
    out.diagnostics.splice(0..0, nul);
    Ok(out)
}

/// [`parse_tables`] reading the whole tree of the page: the same result,
/// with the memory of the tree. What it falls back to; tests compare the two.
#[doc(hidden)]
pub fn parse_tables_whole(doc: &DocumentInfo, text: &str) -> Result<Extraction, ParseError> {
    let (text, nul) = leimu_model::without_nul(doc, text);
    let mut out = read_page(doc, &text)?;
    out.diagnostics.splice(0..0, nul);
    Ok(out)
}

/// [`parse_tables`] reading the rows as they come, without the fallback:
/// `None` when the tree cannot be read that way. For the tests.
#[doc(hidden)]
pub fn parse_tables_by_rows(
    doc: &DocumentInfo,
    text: &str,
) -> Option<Result<Extraction, ParseError>> {
    let (text, nul) = leimu_model::without_nul(doc, text);
    let out = read_page_by_rows(doc, &text)?;
    Some(out.map(|mut out| {
        out.diagnostics.splice(0..0, nul);
        out
    }))
}

/// Reads the page with the tables' rows read as they come; `None` when the
/// tree cannot be read that way.
fn read_page_by_rows(doc: &DocumentInfo, text: &str) -> Option<Result<Extraction, ParseError>> {
    let mut reader = Reader {
        doc,
        tables: HashMap::new(),
        texts: Interner::default(),
    };
    let located = parse_document_by_rows(text, &mut reader)?;
    Some(finish_page(doc, &located, line_count(text), reader))
}

/// The walk of the tree left after the parse: as [`tables_of`] and
/// [`read_page`], with each table's rows read already.
fn finish_page(
    doc: &DocumentInfo,
    located: &Located,
    last_line: u32,
    mut reader: Reader<'_>,
) -> Result<Extraction, ParseError> {
    if let Some(line) = located.too_deep {
        return Err(doc.too_deep(line));
    }
    let outside = page_text(doc, located, last_line);
    let mut tables = Vec::new();
    for (element, heading) in tables_with_headings(located) {
        for (tr, key) in table_row_keys(element) {
            reader.row(element, key, tr);
        }
        let table = reader.tables.remove(&element.id()).unwrap_or_default();
        let subject = subject_under(doc, heading.as_deref());
        let unclosed = unclosed_line(located, element);
        tables.push(table.finish(doc, element.line(), subject, unclosed)?);
    }
    let mut out = Extraction {
        diagnostics: outside,
        ..Extraction::default()
    };
    let mut known_tables = 0;
    for table in tables {
        known_tables += usize::from(table.known);
        out.diagnostics.extend(table.diagnostics);
        if out.records.is_empty() {
            out.records = table.records;
        } else {
            out.records.extend(table.records);
        }
    }
    page_errors(doc, known_tables, out)
}

/// The tables whose rows came during the parse.
struct Reader<'d> {
    doc: &'d DocumentInfo,
    tables: HashMap<NodeId, TableRead>,
    /// One copy of each text of the page's records: a merged cell, a
    /// requirement stated for many categories.
    texts: Interner,
}

impl RowReader for Reader<'_> {
    fn row(&mut self, table: ElementRef<'_>, group: u64, tr: ElementRef<'_>) {
        let doc = self.doc;
        self.tables
            .entry(table.id())
            .or_default()
            .row(doc, &mut self.texts, group, tr);
    }
}

/// A table read as its rows come: its records and its diagnostics by
/// kind, put in the order [`read_table`] gives them when it ends.
#[derive(Default)]
struct TableRead {
    layout: RowLayout,
    rows: usize,
    /// From the first row: the meaning of the columns, or why the table is
    /// not a category table.
    columns: Option<Result<Vec<(Column, usize)>, String>>,
    /// The columns read, in the order of `columns`.
    at: Vec<usize>,
    /// Their subject is the table's, known when it ends.
    records: Vec<ExtractedRecord>,
    /// The rows of a table that is not a category table.
    skipped: Vec<Diagnostic>,
    unplaced: Vec<Diagnostic>,
    unread: Vec<Diagnostic>,
    /// Some row after the first has text.
    body_text: bool,
}

/// What a table gave, in the order of the page.
struct TableOut {
    /// A category table.
    known: bool,
    records: Vec<ExtractedRecord>,
    diagnostics: Vec<Diagnostic>,
}

impl TableRead {
    fn row(&mut self, doc: &DocumentInfo, texts: &mut Interner, group: u64, tr: ElementRef<'_>) {
        self.rows += 1;
        if self.rows > MAX_TABLE_ROWS {
            if self.rows == MAX_TABLE_ROWS + 1 {
                // The table is refused: nothing of it is needed but its rows' number.
                *self = TableRead {
                    rows: self.rows,
                    ..TableRead::default()
                };
            }
            return;
        }
        let line = tr.line();
        self.layout.begin_row(group, line);
        for cell in tr
            .child_elements()
            .filter(|e| matches!(e.name(), "td" | "th"))
        {
            self.layout
                .cell(CellSpans::of(cell), |text| push_cell_text(cell, text));
        }
        let laid = self.layout.end_row();
        if laid.row == 0 {
            let header: Vec<(usize, usize, &str)> = laid
                .pieces()
                .into_iter()
                .map(|(column, cell)| (column, cell, laid.text(cell)))
                .collect();
            let columns = columns_of(&header);
            if let Ok(columns) = &columns {
                self.at = columns.iter().map(|(_, at)| *at).collect();
            }
            self.columns = Some(columns);
        }
        match &self.columns {
            Some(Err(why)) if laid.has_text => {
                self.skipped.push(doc.diagnostic(
                    line,
                    DiagnosticKind::Skipped,
                    format!("row of a table that is not a category table ({why})"),
                ));
            }
            Some(Ok(columns)) if laid.row >= 1 => {
                if laid.has_text {
                    self.body_text = true;
                    let cell = |wanted: Column| {
                        columns
                            .iter()
                            .position(|(c, _)| *c == wanted)
                            .and_then(|i| laid.cell_at(self.at[i]))
                            .map_or("", |cell| laid.text(cell))
                    };
                    match record(doc, texts, line, None, cell) {
                        Ok(mut record) => {
                            // A rowspan's text is laid out on every row it spans: one copy.
                            record.share_with(self.records.last());
                            self.records.push(record)
                        }
                        Err(unplaced) => self.unplaced.push(unplaced),
                    }
                }
                if let Some(unread) = unread_cells(doc, line, &laid, &self.at) {
                    self.unread.push(unread);
                }
            }
            _ => {}
        }
    }

    fn finish(
        self,
        doc: &DocumentInfo,
        line: u32,
        subject: Option<Subject>,
        unclosed: Option<u32>,
    ) -> Result<TableOut, ParseError> {
        if self.rows > MAX_TABLE_ROWS {
            return Err(doc.too_many_rows(line, self.rows));
        }
        let problems = self.layout.finish();
        let mut records = self.records;
        let diagnostics = match self.columns {
            None => Vec::new(),
            Some(Err(_)) => self.skipped,
            Some(Ok(_)) => {
                let mut diagnostics = table_notes(doc, line, subject, unclosed, !self.body_text);
                diagnostics.extend(
                    problems.into_iter().map(|(_, line, problem)| {
                        doc.diagnostic(line, DiagnosticKind::Note, problem)
                    }),
                );
                diagnostics.extend(self.unplaced);
                diagnostics.extend(self.unread);
                for record in &mut records {
                    record.subject = subject;
                }
                diagnostics
            }
        };
        Ok(TableOut {
            known: matches!(self.columns, Some(Ok(_))),
            records,
            diagnostics,
        })
    }
}

/// The notes on a category table as a whole, in order.
fn table_notes(
    doc: &DocumentInfo,
    line: u32,
    subject: Option<Subject>,
    unclosed: Option<u32>,
    no_rows: bool,
) -> Vec<Diagnostic> {
    let mut notes = Vec::new();
    if subject.is_none() {
        notes.push(doc.diagnostic(
            line,
            DiagnosticKind::Note,
            "no subject in the heading above the table and no default subject",
        ));
    }
    if let Some(line) = unclosed {
        notes.push(doc.diagnostic(
            line,
            DiagnosticKind::Note,
            "table never closed (no `</table>`): everything after it to the end of the \
             document is read into its last rows",
        ));
    }
    if no_rows {
        notes.push(doc.diagnostic(
            line,
            DiagnosticKind::Note,
            "category table with a header and no rows",
        ));
    }
    notes
}

/// The cells with text that start in `row` and reach none of `at`, reported.
fn unread_cells(
    doc: &DocumentInfo,
    line: u32,
    row: &LaidRow<'_>,
    at: &[usize],
) -> Option<Diagnostic> {
    let texts: Vec<String> = row
        .placed()
        .filter(|(_, text, parts)| {
            !text.is_empty()
                && !parts
                    .iter()
                    .any(|(_, columns)| at.iter().any(|c| columns.contains(c)))
        })
        .map(|(_, text, _)| text.replace('\n', " "))
        .collect();
    (!texts.is_empty()).then(|| {
        doc.diagnostic(
            line,
            DiagnosticKind::Skipped,
            format!(
                "cells outside the header's columns are not read: {}",
                texts.join(" | ")
            ),
        )
    })
}

fn read_page(doc: &DocumentInfo, text: &str) -> Result<Extraction, ParseError> {
    let (tables, outside) = tables_of(doc, text)?;
    let mut out = Extraction {
        diagnostics: outside,
        ..Extraction::default()
    };
    let mut known_tables = 0;
    for table in &tables {
        if read_table(doc, table, &mut out) {
            known_tables += 1;
        }
    }
    page_errors(doc, known_tables, out)
}

/// The page's result, or why it has no records.
fn page_errors(
    doc: &DocumentInfo,
    known_tables: usize,
    out: Extraction,
) -> Result<Extraction, ParseError> {
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
fn tables_of(doc: &DocumentInfo, text: &str) -> Result<(Vec<Table>, Vec<Diagnostic>), ParseError> {
    let located = parse_document(text);
    if let Some(line) = located.too_deep {
        return Err(doc.too_deep(line));
    }
    let tables = tables_with_headings(&located)
        .map(|(table, heading)| lay_out(doc, &located, table, heading.as_deref()))
        .collect::<Result<_, _>>()?;
    Ok((tables, page_text(doc, &located, line_count(text))))
}

/// The page's text outside its tables, in runs between tables, each a
/// `skipped` diagnostic with its lines and how it starts: navigation, a
/// title, a footer, which no table reads. Headings are left out (the last
/// before a table names its subject), and so are scripts and styles.
///
/// Lines: a run starts on the line of the element its first text is in,
/// plus the line breaks before that text, and ends before the next table
/// starts or at the end of the page (`last_line`): the tree knows where
/// elements start, not where texts end.
fn page_text(doc: &DocumentInfo, located: &Located, last_line: u32) -> Vec<Diagnostic> {
    let mut runs: Vec<TextRun> = Vec::new();
    let mut open: Option<TextRun> = None;
    // The table, heading, script or style being walked through, unread.
    let mut inside: Option<NodeId> = None;
    let Some(root) = located.dom.root_element() else {
        return Vec::new();
    };
    for edge in root.node().traverse() {
        match edge {
            Edge::Open(node) if inside.is_none() => {
                if let Some(element) = node.as_element() {
                    let name = element.name();
                    if name == "table" {
                        runs.extend(
                            open.take()
                                .map(|run| run.ending(element.line().saturating_sub(1))),
                        );
                    }
                    if matches!(name, "table" | "script" | "style") || HEADINGS.contains(&name) {
                        inside = Some(node.id());
                    }
                } else if let Some(text) = node.as_text().filter(|t| !t.trim().is_empty()) {
                    open.get_or_insert_with(|| TextRun::at(node, text))
                        .push(text);
                }
            }
            Edge::Close(node) if inside == Some(node.id()) => inside = None,
            _ => {}
        }
    }
    runs.extend(open.map(|run| run.ending(last_line)));
    runs.into_iter().map(|run| run.diagnostic(doc)).collect()
}

/// The number of the last line of `text`. Counted with memchr: `str::lines`
/// cost 3% of reading a 45,000-row page, a byte-by-byte count 1.5%.
fn line_count(text: &str) -> u32 {
    let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    let unended = usize::from(!text.is_empty() && !text.ends_with('\n'));
    u32::try_from(breaks + unended).unwrap_or(u32::MAX).max(1)
}

/// Text of a page outside its tables, from line `first` to `last`.
struct TextRun {
    first: u32,
    last: u32,
    /// How it starts, collapsed, at most [`TextRun::SHOWN`] characters.
    start: String,
    /// There is more than `start`.
    cut: bool,
}

impl TextRun {
    const SHOWN: usize = 60;

    /// A run starting with `text` (the text node `node`): on the line of the
    /// element it is in, plus the line breaks it starts with.
    fn at(node: NodeRef<'_>, text: &str) -> TextRun {
        let line = node
            .parent()
            .and_then(|p| p.as_element())
            .map_or(1, ElementRef::line);
        let leading = &text[..text.len() - text.trim_start().len()];
        let breaks = u32::try_from(leading.matches('\n').count()).unwrap_or(0);
        TextRun {
            first: line.saturating_add(breaks),
            last: 0,
            start: String::new(),
            cut: false,
        }
    }

    /// The run, ending on `line` (never before it starts).
    fn ending(mut self, line: u32) -> TextRun {
        self.last = line.max(self.first);
        self
    }

    fn push(&mut self, text: &str) {
        for word in text.split_whitespace() {
            let shown = self.start.chars().count();
            let room = Self::SHOWN.saturating_sub(shown + usize::from(shown > 0));
            if self.cut || room == 0 {
                self.cut = true;
                return;
            }
            if shown > 0 {
                self.start.push(' ');
            }
            self.start.extend(word.chars().take(room));
            self.cut = word.chars().count() > room;
        }
    }

    fn diagnostic(self, doc: &DocumentInfo) -> Diagnostic {
        let lines = if self.first == self.last {
            format!("line {}", self.first)
        } else {
            format!("lines {}–{}", self.first, self.last)
        };
        doc.diagnostic(
            self.first,
            DiagnosticKind::Skipped,
            format!(
                "{lines}: page text outside the tables (navigation, titles, footer), not part of a table: {}{}",
                self.start,
                if self.cut { "…" } else { "" }
            ),
        )
    }
}

/// The page's tables in document order, each with the text of the last
/// heading before it: what both readings of a page walk.
fn tables_with_headings(
    located: &Located,
) -> impl Iterator<Item = (ElementRef<'_>, Option<String>)> {
    let mut heading: Option<String> = None;
    let elements = located.dom.root_element().into_iter();
    elements
        .flat_map(ElementRef::descendant_elements)
        .filter_map(move |element| match element.name() {
            name if HEADINGS.contains(&name) => {
                heading = Some(cell_text(element).replace('\n', " "));
                None
            }
            "table" => Some((element, heading.clone())),
            _ => None,
        })
}

/// The subject a table's heading names, else the document's.
fn subject_under(doc: &DocumentInfo, heading: Option<&str>) -> Option<Subject> {
    heading
        .and_then(Subject::from_heading)
        .or(doc.default_subject)
}

/// The line of the end of the input, when that closed `table`.
fn unclosed_line(located: &Located, table: ElementRef<'_>) -> Option<u32> {
    located
        .unclosed
        .iter()
        .find(|u| u.id == table.id())
        .map(|u| u.line)
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
        subject: subject_under(doc, heading),
        unclosed: unclosed_line(located, table),
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
    out.diagnostics.extend(table_notes(
        doc,
        table.line,
        table.subject,
        table.unclosed,
        (1..grid.height).all(|r| grid.row_is_empty(r)),
    ));
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
    let header: Vec<(usize, usize, &str)> = grid
        .row_pieces(0)
        .into_iter()
        .map(|p| (p.columns().start, p.cell(), grid.cell_text(p.cell())))
        .collect();
    columns_of(&header)
}

/// The meaning of the columns from the header's pieces, left to right:
/// (first column, cell, text).
fn columns_of(header: &[(usize, usize, &str)]) -> Result<Vec<(Column, usize)>, String> {
    let unknown: Vec<&str> = header
        .iter()
        .map(|&(_, _, text)| text)
        .filter(|h| !h.is_empty() && Column::from_header(h).is_none())
        .collect();
    if !unknown.is_empty() {
        return Err(format!("unknown header(s): {}", unknown.join(", ")));
    }
    let mut columns: Vec<(Column, usize, usize)> = Vec::new(); // meaning, column, cell
    for &(start, piece_cell, text) in header {
        let Some(column) = Column::from_header(text) else {
            continue;
        };
        match columns.iter().find(|(c, _, _)| *c == column) {
            Some((_, _, cell)) if *cell != piece_cell => {
                return Err(format!("column {text} appears twice"));
            }
            Some(_) => {}
            None => columns.push((column, start, piece_cell)),
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
    let mut texts = Interner::default();
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
        match record(doc, &mut texts, table.row_line(r), table.subject, cell) {
            Ok(mut record) => {
                // A rowspan's text is laid out on every row it spans: one copy.
                record.share_with(out.records.last());
                out.records.push(record)
            }
            Err(unplaced) => out.diagnostics.push(unplaced),
        }
    }
}

/// The record of a row on `line` whose cell for each column is `cell`, or
/// why the row is not read.
fn record<'c>(
    doc: &DocumentInfo,
    texts: &mut Interner,
    line: u32,
    subject: Option<Subject>,
    cell: impl Fn(Column) -> &'c str,
) -> Result<ExtractedRecord, Diagnostic> {
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
        level1: texts.text(&value(Column::Level(1))),
        level2: texts.text(&value(Column::Level(2))),
        level3: texts.text(&value(Column::Level(3))),
    };
    if path.level1.is_empty() {
        return Err(doc.diagnostic(
            line,
            DiagnosticKind::Unplaced,
            "row not read: no level-1 name",
        ));
    }
    Ok(ExtractedRecord {
        provenance: Provenance {
            source: doc.source.clone(),
            line,
        },
        subject,
        path,
        requirement: texts.text(&multiline(Column::Requirement)),
        scope: Default::default(),
        notes: texts.text(&multiline(Column::Notes)),
        fields: SourceFields::Plain,
        requirement_tree: None,
        inherited: Box::default(),
    })
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
    use leimu_model::Text;

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
    fn page_text_outside_the_tables_is_reported_in_runs_between_tables() {
        let table = |row: &str| format!("<table>{HEADER}<tr>{row}</tr></table>");
        let page = format!(
            "<div>\n<a>介绍</a>\n<a>设计</a>\n</div>\n\
             <h2>非个人主体</h2>\n<script>var x = 1;</script>\n\
             {}\n<p>两表之间</p>\n{}\n<div>页脚\n版权</div>\n",
            table("<td>工具</td><td>记账</td><td>/</td>"),
            table("<td>社交</td><td>直播</td><td>/</td>"),
        );
        let out = parse(&page).unwrap();
        let reported: Vec<(u32, DiagnosticKind, &str)> = out
            .diagnostics
            .iter()
            .map(|d| (d.line, d.kind, d.message.as_str()))
            .collect();
        let page_text = |lines: &str, start: &str| {
            format!("{lines}: page text outside the tables (navigation, titles, footer), not part of a table: {start}")
        };
        assert_eq!(
            reported,
            [
                // Before the first table, to the line before it; the heading
                // (the table's subject) and the script are not in it.
                (
                    2,
                    DiagnosticKind::Skipped,
                    &*page_text("lines 2–6", "介绍 设计")
                ),
                (
                    8,
                    DiagnosticKind::Skipped,
                    &*page_text("line 8", "两表之间")
                ),
                // After the last table, to the end of the page.
                (
                    10,
                    DiagnosticKind::Skipped,
                    &*page_text("lines 10–11", "页脚 版权")
                ),
            ]
        );
        assert_eq!(lines(&out), [7, 9]);
        // The whole-tree reading says the same.
        let doc = DocumentInfo {
            source: "page".into(),
            file: "page.html".into(),
            default_subject: Some(Subject::Enterprise),
        };
        assert_eq!(parse_tables_whole(&doc, &page).unwrap(), out);
    }

    #[test]
    fn a_long_page_text_is_shown_by_its_start() {
        let words = vec!["导航"; 40].join(" ");
        let page = format!(
            "<p>{words}</p><table>{HEADER}<tr><td>工具</td><td>记账</td><td>/</td></tr></table>"
        );
        let out = parse(&page).unwrap();
        let message = &out.diagnostics[0].message;
        let shown = message.rsplit(": ").next().unwrap();
        assert!(shown.ends_with('…'), "{message}");
        assert!(shown.chars().count() <= TextRun::SHOWN + 1, "{message}");
    }

    #[test]
    fn the_last_line_is_counted_as_lines_counts_it() {
        for text in ["", "a", "a\n", "a\nb", "a\nb\n", "\n\n", "a\r\nb"] {
            let expected = u32::try_from(text.lines().count()).unwrap().max(1);
            assert_eq!(line_count(text), expected, "{text:?}");
        }
    }

    #[test]
    fn a_page_of_tables_only_reports_no_page_text() {
        let page = format!("<table>{HEADER}<tr><td>工具</td><td>记账</td><td>/</td></tr></table>");
        let out = parse(&page).unwrap();
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    }

    #[test]
    fn equal_texts_of_a_page_are_one_copy() {
        // The same level-1 name and requirement in two tables, rows apart.
        let table = |rows: &str| format!("<table>{HEADER}{rows}</table>");
        let page = table("<tr><td>工具</td><td>记账</td><td>《甲证》</td></tr>")
            + &table(
                "<tr><td>社交</td><td>直播</td><td>《乙证》</td></tr>\
                 <tr><td>工具</td><td>天气</td><td>《甲证》</td></tr>",
            );
        let out = parse(&page).unwrap();
        let [first, other, last] = &out.records[..] else {
            panic!("{:?}", out.records)
        };
        assert!(Text::shares(&first.path.level1, &last.path.level1));
        assert!(Text::shares(&first.requirement, &last.requirement));
        assert!(!Text::shares(&first.requirement, &other.requirement));
        assert_eq!(last.path.level2.as_str(), "天气");
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
