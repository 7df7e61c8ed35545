//! An HTML table laid out as a browser does: every `rowspan` and `colspan`
//! placed on a grid of slots.
//!
//! Follows the HTML standard's table model: a cell goes to the first slot of
//! its row not covered from above; `colspan` 0 or junk is 1 and more than
//! 1000 is 1000, `rowspan` junk is 1, more than 65534 is 65534 and 0 means
//! "to the end of the row group" (`thead`, `tbody`, `tfoot`; the parser
//! wraps bare rows in an implied `tbody`). Spans are cut at the end of their
//! row group. Malformed tables are laid out anyway and their problems
//! reported: a rowspan past the end of its row group, and cells overlapping
//! (the earlier cell keeps the slot, as in browsers).
//!
//! The grid is sparse: it stores each cell's rectangle (split where an
//! earlier cell already holds some of its slots), never a slot per
//! row × column, so memory and time grow with the cells that exist, not with
//! the area their spans cover (`rowspan=0 colspan=1000` in every row of a
//! long table costs one rectangle per cell).
//!
//! [`RowLayout`] is the same layout row by row, for rows read as the parse
//! closes them: it keeps only the cells that span into rows still to come.
//! A row group's end is known only when a row of another group (or the end
//! of the table) comes, so spans are cut and reported then; every span
//! ends there, so nothing placed before depends on it.

use std::collections::BTreeMap;
use std::ops::Range;

use leimu_model::MAX_TABLE_ROWS;

use crate::dom::ElementRef;
use crate::text::push_cell_text;

/// Most columns a cell spans (the HTML standard's limit).
pub const MAX_COLSPAN: usize = 1000;
/// Most rows a cell spans (the HTML standard's limit).
pub const MAX_ROWSPAN: usize = 65534;

/// A table's rows and its [`Slots`] (which it dereferences to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid<'a> {
    /// The `tr` elements, one per grid row.
    pub rows: Vec<ElementRef<'a>>,
    pub slots: Slots,
}

impl std::ops::Deref for Grid<'_> {
    type Target = Slots;

    fn deref(&self) -> &Slots {
        &self.slots
    }
}

/// A table's cells and the slots they cover, without the tree: a reader
/// can keep them after dropping the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slots {
    /// Number of rows.
    pub height: usize,
    pub cells: Vec<GridCell>,
    /// The rectangles of slots each cell holds, in the order they were placed.
    pub pieces: Vec<Piece>,
    /// Layout problems, with the grid row they were found in.
    pub problems: Vec<(usize, String)>,
    /// Number of columns: one past the rightmost slot any cell holds.
    pub width: usize,
    /// Per row: whether some slot of it holds a cell with text.
    has_text: Vec<bool>,
    /// The texts of all cells, one after another.
    text: String,
}

/// One `td` or `th`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridCell {
    /// Where its text ends in the grid's text (it starts where the text
    /// of the cell before ends): `<br>` and block boundaries are line
    /// breaks, whitespace is collapsed.
    text_end: usize,
    /// Grid row where the cell starts (a table has at most
    /// [`MAX_TABLE_ROWS`] rows).
    pub row: u32,
    pub header: bool,
}

/// Values at some columns of every row of a grid, row after row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtColumns<T> {
    values: Vec<T>,
    width: usize,
    rows: usize,
}

impl<T> AtColumns<T> {
    /// The values of each row, top to bottom, one per column asked for.
    pub fn rows(&self) -> impl Iterator<Item = &[T]> {
        (0..self.rows).map(|r| &self.values[r * self.width..(r + 1) * self.width])
    }
}

/// A rectangle of slots held by one cell (24 bytes: a table has at most
/// [`MAX_TABLE_ROWS`] rows, and fewer cells than its tree has nodes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    first_column: usize,
    /// At most [`MAX_COLSPAN`]: a piece is part of one cell.
    width: u32,
    rows: Range<u32>,
    cell: u32,
}

impl Piece {
    /// The grid rows it covers.
    pub fn rows(&self) -> Range<usize> {
        self.rows.start as usize..self.rows.end as usize
    }

    /// The grid columns it covers.
    pub fn columns(&self) -> Range<usize> {
        self.first_column..self.first_column + self.width as usize
    }

    /// Index into [`Slots::cells`].
    pub fn cell(&self) -> usize {
        self.cell as usize
    }
}

impl Slots {
    /// Number of columns: the widest row.
    pub fn width(&self) -> usize {
        self.width
    }

    /// True when no slot of the row holds text.
    pub fn row_is_empty(&self, row: usize) -> bool {
        !self.has_text.get(row).copied().unwrap_or(false)
    }

    /// The text of a cell.
    pub fn cell_text(&self, cell: usize) -> &str {
        let start = match cell.checked_sub(1) {
            Some(before) => self.cells.get(before).map_or(0, |c| c.text_end),
            None => 0,
        };
        self.cells
            .get(cell)
            .and_then(|c| self.text.get(start..c.text_end))
            .unwrap_or("")
    }

    /// For every row, the cell at each of `columns` (`None` where no cell
    /// reaches): one sweep over the rows, whatever the spans.
    pub fn cells_at(&self, columns: &[usize]) -> AtColumns<Option<usize>> {
        let mut sweep = Sweep::new();
        let mut next = self.pieces.iter().peekable();
        let mut values = Vec::with_capacity(self.height * columns.len());
        let mut this_row: Vec<&Piece> = Vec::new(); // pieces of one row only
        for row in 0..self.height {
            sweep.expire(row);
            this_row.clear();
            while let Some(piece) = next.next_if(|p| p.rows().start == row) {
                if piece.rows.len() == 1 {
                    this_row.push(piece);
                } else {
                    sweep.insert(piece);
                }
            }
            values.extend(columns.iter().map(|c| {
                match this_row.iter().find(|p| p.columns().contains(c)) {
                    Some(piece) => Some(piece.cell()),
                    None => sweep.cell_at(*c),
                }
            }));
        }
        AtColumns {
            values,
            width: columns.len(),
            rows: self.height,
        }
    }

    /// For every row, the texts at each of `columns` (empty where no cell reaches).
    pub fn texts_at(&self, columns: &[usize]) -> AtColumns<&str> {
        let cells = self.cells_at(columns);
        AtColumns {
            values: cells
                .values
                .iter()
                .map(|cell| cell.map_or("", |i| self.cell_text(i)))
                .collect(),
            width: cells.width,
            rows: cells.rows,
        }
    }

    /// The cells with text, starting at `first_row` or below, that reach none
    /// of `columns`: what a reader of those columns would drop. Grouped by
    /// the row they start in, top to bottom.
    pub fn cells_outside(&self, columns: &[usize], first_row: usize) -> Vec<(usize, Vec<&str>)> {
        let mut read = vec![false; self.cells.len()];
        for piece in &self.pieces {
            if columns.iter().any(|c| piece.columns().contains(c)) {
                read[piece.cell()] = true;
            }
        }
        let mut by_row: Vec<(usize, Vec<&str>)> = Vec::new();
        for (i, cell) in self.cells.iter().enumerate() {
            let text = self.cell_text(i);
            let cell_row = cell.row as usize;
            if read[i] || cell_row < first_row || text.is_empty() {
                continue;
            }
            match by_row.last_mut() {
                Some((row, texts)) if *row == cell_row => texts.push(text),
                _ => by_row.push((cell_row, vec![text])),
            }
        }
        by_row
    }

    /// The pieces covering `row`, left to right.
    pub fn row_pieces(&self, row: usize) -> Vec<&Piece> {
        let mut pieces: Vec<&Piece> = self
            .pieces
            .iter()
            .filter(|p| p.rows().contains(&row))
            .collect();
        pieces.sort_by_key(|p| p.first_column);
        pieces
    }
}

/// The rows of `table` itself, each with its row group: `tr` children of the
/// table (one group per run of them) or of its `thead`/`tbody`/`tfoot`, not
/// rows of tables nested in cells.
pub fn table_rows(table: ElementRef<'_>) -> Vec<(ElementRef<'_>, usize)> {
    let mut rows = Vec::new();
    let mut group = 0;
    let mut in_bare_group = false;
    for child in table.child_elements() {
        match child.name() {
            "tr" => {
                if !in_bare_group {
                    group += 1;
                    in_bare_group = true;
                }
                rows.push((child, group));
            }
            "thead" | "tbody" | "tfoot" => {
                group += 1;
                in_bare_group = false;
                rows.extend(
                    child
                        .child_elements()
                        .filter(|e| e.name() == "tr")
                        .map(|tr| (tr, group)),
                );
            }
            _ => {}
        }
    }
    rows
}

/// A table with more rows than [`MAX_TABLE_ROWS`]; how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyRows(pub usize);

/// Lays `table` out; refuses a table of more than [`MAX_TABLE_ROWS`] rows.
pub fn expand(table: ElementRef<'_>) -> Result<Grid<'_>, TooManyRows> {
    let rows = table_rows(table);
    if rows.len() > MAX_TABLE_ROWS {
        return Err(TooManyRows(rows.len()));
    }
    // One cell per td/th, and usually one piece per cell: sized once, so
    // that a long table's vectors are not copied as they grow.
    let cells: usize = rows.iter().map(|(tr, _)| row_cells(*tr).count()).sum();
    let mut layout = Layout {
        cells: Vec::with_capacity(cells),
        pieces: Vec::with_capacity(cells),
        problems: Vec::new(),
        sweep: Sweep::new(),
        has_text: Vec::with_capacity(rows.len()),
        text: String::new(),
    };
    for (start, end) in group_bounds(&rows) {
        for (r, (tr, _)) in rows.iter().enumerate().take(end).skip(start) {
            layout.row(r, *tr, end);
        }
    }
    layout.problems.dedup();
    let width = layout
        .pieces
        .iter()
        .map(|p| p.columns().end)
        .max()
        .unwrap_or(0);
    Ok(Grid {
        slots: Slots {
            height: rows.len(),
            cells: layout.cells,
            pieces: layout.pieces,
            problems: layout.problems,
            width,
            has_text: layout.has_text,
            text: layout.text,
        },
        rows: rows.into_iter().map(|(tr, _)| tr).collect(),
    })
}

/// The cells of a row: its `td` and `th` children.
fn row_cells(tr: ElementRef<'_>) -> impl Iterator<Item = ElementRef<'_>> {
    tr.child_elements()
        .filter(|e| matches!(e.name(), "td" | "th"))
}

/// `(first row, one past the last row)` of each row group.
fn group_bounds(rows: &[(ElementRef<'_>, usize)]) -> Vec<(usize, usize)> {
    let mut bounds: Vec<(usize, usize)> = Vec::new();
    for (r, (_, group)) in rows.iter().enumerate() {
        match bounds.last_mut() {
            Some((_, end)) if r > 0 && rows[r - 1].1 == *group => *end = r + 1,
            _ => bounds.push((r, r + 1)),
        }
    }
    bounds
}

struct Layout {
    cells: Vec<GridCell>,
    pieces: Vec<Piece>,
    problems: Vec<(usize, String)>,
    sweep: Sweep,
    has_text: Vec<bool>,
    text: String,
}

impl Layout {
    /// Places the cells of row `r`, whose row group ends before `group_end`.
    fn row(&mut self, r: usize, tr: ElementRef<'_>, group_end: usize) {
        self.sweep.expire(r);
        let mut column = 0;
        let mut row_has_text = false;
        for cell in row_cells(tr) {
            column = self.sweep.first_free(column);
            let colspan = span(cell.colspan())
                .filter(|&c| c >= 1)
                .unwrap_or(1)
                .min(MAX_COLSPAN);
            let rowspan = match span(cell.rowspan()).map(|n| n.min(MAX_ROWSPAN)) {
                Some(0) => group_end - r,
                Some(n) => n,
                None => 1,
            };
            if rowspan > group_end - r {
                self.problems.push((
                    r,
                    format!("rowspan {rowspan} runs past the end of its row group; cut there"),
                ));
            }
            // Both fit: the rows were counted against MAX_TABLE_ROWS, and
            // each cell is an element of a tree indexed by u32.
            let index = u32::try_from(self.cells.len()).unwrap_or(u32::MAX);
            let row = u32::try_from(r).unwrap_or(u32::MAX);
            let start = self.text.len();
            push_cell_text(cell, &mut self.text);
            let has_text = self.text.len() > start;
            self.cells.push(GridCell {
                text_end: self.text.len(),
                row,
                header: cell.name() == "th",
            });
            let rows_below = u32::try_from(rowspan.min(group_end - r)).unwrap_or(u32::MAX);
            let rows = row..row.saturating_add(rows_below);
            let columns = column..column + colspan;
            let free = self.sweep.free_parts(columns.clone());
            if free.len() != 1 || free[0] != columns {
                self.problems.push((
                    r,
                    "cells overlap; the earlier cell keeps the slot".to_string(),
                ));
            }
            for part in free {
                let piece = Piece {
                    rows: rows.clone(),
                    first_column: part.start,
                    width: u32::try_from(part.len()).unwrap_or(u32::MAX),
                    cell: index,
                };
                // A piece of this row only cannot be in the way of the cells
                // after it, which start right of it: it stays out of the sweep.
                if piece.rows.len() > 1 {
                    self.sweep.insert_text(&piece, has_text);
                } else {
                    row_has_text |= has_text;
                }
                self.pieces.push(piece);
            }
            column += colspan;
        }
        self.has_text.push(row_has_text || self.sweep.with_text > 0);
    }
}

/// The rows of `table` itself (as [`table_rows`]), each with a key that is
/// the same for the rows of one row group and differs between groups: the
/// row group's node, or for a run of `tr` children of the table itself a
/// number no node has.
pub fn table_row_keys(table: ElementRef<'_>) -> Vec<(ElementRef<'_>, u64)> {
    let rows = table_rows(table);
    rows.iter()
        .map(|&(tr, group)| {
            let key = match tr.node().parent().and_then(|p| p.as_element()) {
                Some(parent) if parent.id() != table.id() => parent.id().key(),
                _ => BARE_RUN + group as u64,
            };
            (tr, key)
        })
        .collect()
}

/// Keys of runs of bare rows start here: above every node's key.
const BARE_RUN: u64 = 1 << 40;

/// What the row-by-row layout needs of a cell besides its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellSpans {
    pub rowspan: Option<u32>,
    pub colspan: Option<u32>,
}

impl CellSpans {
    pub fn of(cell: ElementRef<'_>) -> CellSpans {
        CellSpans {
            rowspan: cell.rowspan(),
            colspan: cell.colspan(),
        }
    }
}

/// A table laid out row by row, as its rows come, with the same result as
/// [`expand`] on the whole table: it keeps only the cells that span into
/// rows still to come (and their texts), so its memory is one row and the
/// open spans, not the table.
///
/// What needs the end of a row group waits for it: a row that comes in
/// another group (or [`RowLayout::finish`]) ends the group, which clips
/// every open span (`rowspan=0` reaches exactly there) and reports the
/// rowspans that ran past it. Problems are reported in the order [`expand`]
/// finds them (cell by cell; a cell's rowspan before its overlap).
pub struct RowLayout {
    rows: usize,
    group: Option<u64>,
    sweep: Sweep,
    /// Cells placed so far.
    cells: usize,
    /// Texts of the cells with a piece in the sweep, and how many pieces.
    live: BTreeMap<usize, (String, usize)>,
    /// Explicit rowspans above 1 of the current group that may run past
    /// its end: (row, line, cell, rowspan).
    spans: Vec<(usize, u32, usize, usize)>,
    /// Spans kept after the last pruning of `spans`.
    spans_kept: usize,
    /// (cell, 0 for a rowspan past its group or 1 for an overlap, row, line, message)
    problems: Vec<(usize, u8, usize, u32, String)>,
    // The current row.
    line: u32,
    first_cell: usize,
    text: String,
    ends: Vec<usize>,
    /// Each piece placed in the row: (cell, columns).
    parts: Vec<(usize, Range<usize>)>,
    /// Per cell of the row: where its pieces end in `parts`.
    part_ends: Vec<usize>,
    /// Pieces of this row only (never in the sweep): (columns, cell).
    this_row: Vec<(Range<usize>, usize)>,
    row_has_text: bool,
    column: usize,
    /// Reused for every cell.
    free: Vec<Range<usize>>,
}

impl Default for RowLayout {
    fn default() -> Self {
        RowLayout::new()
    }
}

impl RowLayout {
    pub fn new() -> RowLayout {
        let mut sweep = Sweep::new();
        sweep.expired = Some(Vec::new());
        RowLayout {
            rows: 0,
            group: None,
            sweep,
            cells: 0,
            live: BTreeMap::new(),
            spans: Vec::new(),
            spans_kept: 0,
            problems: Vec::new(),
            line: 0,
            first_cell: 0,
            text: String::new(),
            ends: Vec::new(),
            parts: Vec::new(),
            part_ends: Vec::new(),
            this_row: Vec::new(),
            row_has_text: false,
            column: 0,
            free: Vec::new(),
        }
    }

    /// Rows laid out so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Starts the next row, of row group `group` (see [`table_row_keys`]),
    /// written on `line`.
    pub fn begin_row(&mut self, group: u64, line: u32) {
        if self.group != Some(group) {
            self.end_group();
            self.group = Some(group);
        }
        let r = self.rows;
        self.sweep.expire(r);
        let mut expired = self.sweep.expired.take().unwrap_or_default();
        for cell in expired.drain(..) {
            if let Some(live) = self.live.get_mut(&cell) {
                live.1 -= 1;
                if live.1 == 0 {
                    self.live.remove(&cell);
                }
            }
        }
        self.sweep.expired = Some(expired);
        self.line = line;
        self.first_cell = self.cells;
        self.text.clear();
        self.ends.clear();
        self.parts.clear();
        self.part_ends.clear();
        self.this_row.clear();
        self.row_has_text = false;
        self.column = 0;
        // Spans that ended inside the group cannot run past it.
        if self.spans.len() > 2 * self.spans_kept + 64 {
            self.spans.retain(|&(row, _, _, n)| row + n > r);
            self.spans_kept = self.spans.len();
        }
    }

    /// Places the next cell of the row; `text` writes its text (as
    /// [`crate::text::push_cell_text`] does) to the end of the string given.
    pub fn cell(&mut self, spans: CellSpans, text: impl FnOnce(&mut String)) {
        let r = self.rows;
        let column = self.sweep.first_free(self.column);
        let colspan = span(spans.colspan)
            .filter(|&c| c >= 1)
            .unwrap_or(1)
            .min(MAX_COLSPAN);
        // Rows the cell covers; `None` to the end of the group.
        let rowspan = match span(spans.rowspan).map(|n| n.min(MAX_ROWSPAN)) {
            Some(0) => None,
            Some(n) => Some(n),
            None => Some(1),
        };
        let index = self.cells;
        self.cells += 1;
        if let Some(n) = rowspan.filter(|&n| n > 1) {
            self.spans.push((r, self.line, index, n));
        }
        let start = self.text.len();
        text(&mut self.text);
        let has_text = self.text.len() > start;
        self.ends.push(self.text.len());
        let columns = column..column + colspan;
        let mut free = std::mem::take(&mut self.free);
        self.sweep.free_parts_into(columns.clone(), &mut free);
        if free.len() != 1 || free[0] != columns {
            self.problems.push((
                index,
                1,
                r,
                self.line,
                "cells overlap; the earlier cell keeps the slot".to_string(),
            ));
        }
        for part in free.drain(..) {
            self.parts.push((index, part.clone()));
            if rowspan == Some(1) {
                self.row_has_text |= has_text;
                self.this_row.push((part, index));
            } else {
                // Spanning below (or perhaps below: the group may end here,
                // which clears the sweep before the next row).
                let live = self
                    .live
                    .entry(index)
                    .or_insert_with(|| (self.text[start..].to_string(), 0));
                live.1 += 1;
                self.sweep
                    .insert_columns(part, index, has_text, rowspan.map(|n| r + n));
            }
        }
        self.free = free;
        self.part_ends.push(self.parts.len());
        self.column = column + colspan;
    }

    /// Ends the row: what a reader needs of it.
    pub fn end_row(&mut self) -> LaidRow<'_> {
        let row = self.rows;
        self.rows += 1;
        LaidRow {
            has_text: self.row_has_text || self.sweep.with_text > 0,
            row,
            layout: self,
        }
    }

    /// Ends the current row group: every open span stops here.
    fn end_group(&mut self) {
        let end = self.rows;
        for &(row, line, cell, n) in &self.spans {
            if n > end - row {
                self.problems.push((
                    cell,
                    0,
                    row,
                    line,
                    format!("rowspan {n} runs past the end of its row group; cut there"),
                ));
            }
        }
        self.spans.clear();
        self.spans_kept = 0;
        let expired = self.sweep.expired.take();
        self.sweep = Sweep::new();
        self.sweep.expired = expired;
        self.live.clear();
    }

    /// Ends the table: its layout problems as [`Slots::problems`] has them,
    /// each with its row's line.
    pub fn finish(mut self) -> Vec<(usize, u32, String)> {
        self.end_group();
        let mut problems = self.problems;
        problems.sort_by_key(|&(cell, kind, _, _, _)| (cell, kind));
        let mut out: Vec<(usize, u32, String)> = problems
            .into_iter()
            .map(|(_, _, row, line, message)| (row, line, message))
            .collect();
        out.dedup_by(|a, b| a.0 == b.0 && a.2 == b.2);
        out
    }
}

/// A row just laid out by [`RowLayout`].
pub struct LaidRow<'a> {
    layout: &'a RowLayout,
    /// Its index in the grid.
    pub row: usize,
    /// Whether some slot of it holds a cell with text.
    pub has_text: bool,
}

impl<'a> LaidRow<'a> {
    /// The cell covering `column` (an index counting the table's cells in order).
    pub fn cell_at(&self, column: usize) -> Option<usize> {
        let layout = self.layout;
        match layout.this_row.iter().find(|(c, _)| c.contains(&column)) {
            Some((_, cell)) => Some(*cell),
            None => layout.sweep.cell_at(column),
        }
    }

    /// The text of a cell of this row or spanning into it.
    pub fn text(&self, cell: usize) -> &'a str {
        let layout = self.layout;
        match cell.checked_sub(layout.first_cell) {
            Some(i) if i < layout.ends.len() => {
                let start = i.checked_sub(1).map_or(0, |b| layout.ends[b]);
                layout.text.get(start..layout.ends[i]).unwrap_or("")
            }
            _ => layout.live.get(&cell).map_or("", |(text, _)| text.as_str()),
        }
    }

    /// The pieces covering the row, left to right: (first column, cell).
    pub fn pieces(&self) -> Vec<(usize, usize)> {
        let layout = self.layout;
        let mut pieces: Vec<(usize, usize)> = layout
            .this_row
            .iter()
            .map(|(c, cell)| (c.start, *cell))
            .chain(
                layout
                    .sweep
                    .active
                    .iter()
                    .map(|(&start, &(_, cell, _))| (start, cell)),
            )
            .collect();
        pieces.sort_by_key(|p| p.0);
        pieces
    }

    /// The cells that start in this row, in order: (cell, text, its pieces
    /// as (cell, columns)).
    pub fn placed(
        &self,
    ) -> impl Iterator<Item = (usize, &'a str, &'a [(usize, Range<usize>)])> + '_ {
        let layout = self.layout;
        layout.part_ends.iter().enumerate().map(move |(i, &end)| {
            let start = i.checked_sub(1).map_or(0, |b| layout.part_ends[b]);
            let cell = layout.first_cell + i;
            (cell, self.text(cell), &layout.parts[start..end])
        })
    }
}

/// The pieces that cover the current row, keyed by their first column, and
/// the maximal runs of covered columns (to find a free slot in one step).
struct Sweep {
    /// first column → (one past the last column, cell, text or not)
    active: BTreeMap<usize, (usize, usize, bool)>,
    /// first column → one past the last column, for runs of adjacent pieces
    runs: BTreeMap<usize, usize>,
    /// Row → first columns of the pieces that end before that row (a
    /// piece to the end of its row group is in none: the group's end
    /// clears the whole sweep).
    ending: BTreeMap<usize, Vec<usize>>,
    /// Active pieces whose cell has text.
    with_text: usize,
    /// Cells whose pieces [`Sweep::expire`] removed, when asked to keep them.
    expired: Option<Vec<usize>>,
}

impl Sweep {
    fn new() -> Sweep {
        Sweep {
            active: BTreeMap::new(),
            runs: BTreeMap::new(),
            ending: BTreeMap::new(),
            with_text: 0,
            expired: None,
        }
    }

    fn insert(&mut self, piece: &Piece) {
        self.insert_text(piece, true);
    }

    fn insert_text(&mut self, piece: &Piece, text: bool) {
        self.insert_columns(piece.columns(), piece.cell(), text, Some(piece.rows().end));
    }

    /// Adds a piece of `cell` covering `columns` until row `end` (exclusive;
    /// `None`: to the end of the row group).
    fn insert_columns(
        &mut self,
        columns: Range<usize>,
        cell: usize,
        text: bool,
        end: Option<usize>,
    ) {
        let Range {
            start,
            end: end_column,
        } = columns;
        let end_row = end;
        let end = end_column;
        if start >= end {
            return;
        }
        self.active.insert(start, (end, cell, text));
        if text {
            self.with_text += 1;
        }
        if let Some(row) = end_row {
            self.ending.entry(row).or_default().push(start);
        }
        // Merge with the runs that touch the piece on either side.
        let mut run = start..end;
        if let Some((&before, &before_end)) = self.runs.range(..start).next_back() {
            if before_end == start {
                self.runs.remove(&before);
                run.start = before;
            }
        }
        if let Some(after_end) = self.runs.remove(&end) {
            run.end = after_end;
        }
        self.runs.insert(run.start, run.end);
    }

    /// Removes the pieces that end before `row`.
    fn expire(&mut self, row: usize) {
        let Some(ending) = self.ending.remove(&row) else {
            return;
        };
        for start in ending {
            let Some((end, cell, text)) = self.active.remove(&start) else {
                continue;
            };
            if text {
                self.with_text -= 1;
            }
            if let Some(expired) = &mut self.expired {
                expired.push(cell);
            }
            // Cut the piece out of its run: pieces never overlap.
            if let Some((&run_start, &run_end)) = self.runs.range(..=start).next_back() {
                self.runs.remove(&run_start);
                if run_start < start {
                    self.runs.insert(run_start, start);
                }
                if end < run_end {
                    self.runs.insert(end, run_end);
                }
            }
        }
    }

    /// The first column at or after `column` that no piece covers.
    fn first_free(&self, column: usize) -> usize {
        match self.runs.range(..=column).next_back() {
            Some((_, &end)) if end > column => end,
            _ => column,
        }
    }

    /// The parts of `columns` no piece covers, left to right.
    fn free_parts(&self, columns: Range<usize>) -> Vec<Range<usize>> {
        let mut parts = Vec::new();
        self.free_parts_into(columns, &mut parts);
        parts
    }

    /// [`Sweep::free_parts`] into `parts` (cleared first).
    fn free_parts_into(&self, columns: Range<usize>, parts: &mut Vec<Range<usize>>) {
        parts.clear();
        let mut at = columns.start;
        let before = self
            .active
            .range(..columns.start)
            .next_back()
            .map(|(&s, &(e, _, _))| (s, e));
        let covering = before.into_iter().chain(
            self.active
                .range(columns.clone())
                .map(|(&s, &(e, _, _))| (s, e)),
        );
        for (start, end) in covering {
            if end <= at {
                continue;
            }
            if start > at {
                parts.push(at..start.min(columns.end));
            }
            at = at.max(end);
            if at >= columns.end {
                break;
            }
        }
        if at < columns.end {
            parts.push(at..columns.end);
        }
    }

    /// The cell covering `column` in the current row.
    fn cell_at(&self, column: usize) -> Option<usize> {
        match self.active.range(..=column).next_back() {
            Some((_, &(end, cell, _))) if end > column => Some(cell),
            _ => None,
        }
    }
}

/// A span attribute as a number of slots (the tree reads it: values that
/// are not numbers are absent, huge ones the largest).
fn span(value: Option<u32>) -> Option<usize> {
    value.map(|v| usize::try_from(v).unwrap_or(usize::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locate::{parse_fragment, Located};

    fn first_table(doc: &Located) -> ElementRef<'_> {
        doc.dom
            .root_element()
            .unwrap()
            .descendant_elements()
            .find(|e| e.name() == "table")
            .unwrap()
    }

    fn grid_texts(html: &str) -> (Vec<Vec<String>>, Vec<(usize, String)>) {
        let doc = parse_fragment(html);
        let grid = expand(first_table(&doc)).unwrap();
        let columns: Vec<usize> = (0..grid.width()).collect();
        let texts = grid
            .texts_at(&columns)
            .rows()
            .map(|r| r.iter().map(|t| t.to_string()).collect())
            .collect();
        (texts, grid.slots.problems)
    }

    fn rows(spec: &[&[&str]]) -> Vec<Vec<String>> {
        spec.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn rowspans_fill_the_rows_below() {
        let (texts, problems) = grid_texts(
            "<table><tr><td rowspan=2>a</td><td>b</td></tr><tr><td>c</td></tr><tr><td>d</td><td>e</td></tr></table>",
        );
        assert_eq!(texts, rows(&[&["a", "b"], &["a", "c"], &["d", "e"]]));
        assert!(problems.is_empty());
    }

    #[test]
    fn colspans_fill_the_columns_right() {
        let (texts, _) = grid_texts("<table><tr><td colspan=\"2\">a</td><td>b</td></tr><tr><td>c</td><td>d</td><td>e</td></tr></table>");
        assert_eq!(texts, rows(&[&["a", "a", "b"], &["c", "d", "e"]]));
    }

    #[test]
    fn row_and_column_spans_together_and_cells_skip_covered_slots() {
        let (texts, _) = grid_texts(
            "<table><tr><td rowspan=2 colspan=2>a</td><td>b</td></tr><tr><td>c</td></tr>\
             <tr><td>d</td><td rowspan=0>e</td><td>f</td></tr><tr><td>g</td><td>h</td></tr></table>",
        );
        assert_eq!(
            texts,
            rows(&[
                &["a", "a", "b"],
                &["a", "a", "c"],
                &["d", "e", "f"],
                &["g", "e", "h"]
            ])
        );
    }

    #[test]
    fn overlapping_spans_keep_the_earlier_cell() {
        // b spans down into column 1 of row 2, where c's colspan reaches too.
        let (texts, problems) = grid_texts(
            "<table><tr><td>a</td><td rowspan=2>b</td></tr><tr><td colspan=2>c</td><td>d</td></tr></table>",
        );
        assert_eq!(texts, rows(&[&["a", "b", ""], &["c", "b", "d"]]));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].1.contains("overlap"));
    }

    #[test]
    fn a_later_cell_keeps_the_slots_on_both_sides_of_an_earlier_one() {
        let (texts, problems) = grid_texts(
            "<table><tr><td>a</td><td rowspan=2>b</td><td>c</td></tr>\
             <tr><td colspan=3>d</td></tr></table>",
        );
        assert_eq!(texts, rows(&[&["a", "b", "c"], &["d", "b", "d"]]));
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn malformed_tables_are_laid_out_and_reported() {
        let (texts, problems) = grid_texts(
            "<table><thead><tr><th>h1</th><th>h2</th><th>h3</th></tr></thead>\
             <tbody><tr><td>a</td><td rowspan=5>b</td></tr><tr></tr><tr><td>c</td></tr></tbody></table>",
        );
        assert_eq!(
            texts,
            rows(&[
                &["h1", "h2", "h3"],
                &["a", "b", ""],
                &["", "b", ""],
                &["c", "b", ""]
            ])
        );
        assert_eq!(
            problems,
            vec![(
                1,
                "rowspan 5 runs past the end of its row group; cut there".to_string()
            )]
        );
    }

    #[test]
    fn junk_span_values_count_as_one() {
        let (texts, _) = grid_texts(
            "<table><tr><td rowspan=x colspan=-1>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
        );
        assert_eq!(texts, rows(&[&["a", "b"], &["c", ""]]));
    }

    #[test]
    fn nested_tables_are_not_rows() {
        let doc =
            parse_fragment("<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>");
        assert_eq!(table_rows(first_table(&doc)).len(), 1);
    }

    #[test]
    fn rowspan_zero_reaches_the_end_of_its_row_group_only() {
        let (texts, problems) = grid_texts(
            "<table><thead><tr><th rowspan=0>h</th><th>i</th></tr><tr><th>j</th></tr></thead>\
             <tbody><tr><td rowspan=0>a</td><td>b</td></tr><tr><td>c</td></tr><tr><td>d</td></tr></tbody>\
             <tbody><tr><td>e</td><td>f</td></tr></tbody></table>",
        );
        assert_eq!(
            texts,
            rows(&[
                &["h", "i"],
                &["h", "j"],
                &["a", "b"],
                &["a", "c"],
                &["a", "d"],
                &["e", "f"]
            ])
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn huge_spans_are_clamped_as_browsers_do() {
        let max = usize::MAX;
        let (texts, problems) = grid_texts(&format!(
            "<table><tr><td rowspan={max}0 colspan=99999>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
        ));
        assert_eq!(texts.len(), 2);
        assert_eq!(texts[0].len(), MAX_COLSPAN + 1);
        assert_eq!(texts[0][MAX_COLSPAN], "b");
        assert_eq!(texts[1][0], "a", "the rowspan reaches the second row");
        assert_eq!(texts[1][MAX_COLSPAN], "c");
        assert!(
            problems[0].1.contains("rowspan 65534 runs past"),
            "{problems:?}"
        );
    }

    #[test]
    fn the_grid_holds_cells_not_slots() {
        // 400 rows of rowspan=0 colspan=1000: each row's cell lands right of
        // all the cells above; a slot per row × column would be 80 million.
        let body = "<tr><td rowspan=0 colspan=1000>x</td></tr>".repeat(400);
        let doc = parse_fragment(&format!("<table>{body}</table>"));
        let grid = expand(first_table(&doc)).unwrap();
        assert_eq!(grid.cells.len(), 400);
        assert_eq!(grid.pieces.len(), 400);
        assert_eq!(grid.width(), 400 * 1000);
        let cells = grid.cells_at(&[0, 399 * 1000]);
        assert_eq!(cells.rows().nth(399).unwrap(), [Some(0), Some(399)]);
        assert!((0..400).all(|r| !grid.row_is_empty(r)));
    }

    /// Texts per row and column, whether each row has text, the problems.
    type Laid = (Vec<Vec<String>>, Vec<bool>, Vec<(usize, String)>);

    /// The row-by-row layout of the first table of `html`: each row's texts
    /// at columns `0..width`, whether it has text, and the problems.
    fn laid_by_rows(html: &str, width: usize) -> Laid {
        let doc = parse_fragment(html);
        let mut layout = RowLayout::new();
        let (mut texts, mut has_text) = (Vec::new(), Vec::new());
        for (tr, key) in table_row_keys(first_table(&doc)) {
            layout.begin_row(key, tr.line());
            for cell in row_cells(tr) {
                layout.cell(CellSpans::of(cell), |text| push_cell_text(cell, text));
            }
            let row = layout.end_row();
            let at = |c| row.cell_at(c).map_or("", |cell| row.text(cell)).to_string();
            texts.push((0..width).map(at).collect());
            has_text.push(row.has_text);
        }
        let problems = layout.finish();
        (
            texts,
            has_text,
            problems.into_iter().map(|(r, _, m)| (r, m)).collect(),
        )
    }

    /// Lays `html`'s first table out whole and row by row: the same grid.
    fn assert_laid_out_alike(html: &str) {
        let doc = parse_fragment(html);
        let grid = expand(first_table(&doc)).unwrap();
        let (texts, problems) = grid_texts(html);
        let (by_rows, has_text, by_rows_problems) = laid_by_rows(html, grid.width());
        assert_eq!(by_rows, texts, "{html}");
        assert_eq!(by_rows_problems, problems, "{html}");
        let whole_has_text: Vec<bool> = (0..grid.height).map(|r| !grid.row_is_empty(r)).collect();
        assert_eq!(has_text, whole_has_text, "{html}");
    }

    #[test]
    fn rows_laid_out_as_they_come_make_the_whole_grid() {
        let named = [
            // Rowspans across rows, overlaps on both sides.
            "<table><tr><td rowspan=2 colspan=2>a</td><td>b</td></tr><tr><td>c</td></tr>\
             <tr><td>d</td><td rowspan=0>e</td><td>f</td></tr><tr><td>g</td><td>h</td></tr></table>",
            "<table><tr><td>a</td><td rowspan=2>b</td><td>c</td></tr><tr><td colspan=3>d</td></tr></table>",
            // rowspan=0 and spans past the end of thead, tbody, tfoot.
            "<table><thead><tr><th rowspan=0>h</th><th rowspan=3>i</th></tr><tr><th>j</th></tr></thead>\
             <tbody><tr><td rowspan=0>a</td><td>b</td></tr><tr><td>c</td></tr><tr><td>d</td></tr></tbody>\
             <tfoot><tr><td rowspan=2>e</td><td>f</td></tr></tfoot></table>",
            // A table in a cell: its rows are not the outer table's.
            "<table><tr><td rowspan=2><table><tr><td>x</td></tr><tr><td>y</td></tr></table></td>\
             <td>b</td></tr><tr><td>c</td></tr></table>",
            // Empty rows and cells, junk spans.
            "<table><tr><td>a</td><td colspan=3></td></tr><tr></tr><tr><td rowspan=x colspan=-1> </td><td>b</td></tr></table>",
        ];
        for html in named {
            assert_laid_out_alike(html);
        }
        let mut rng = fastrand::Rng::with_seed(0x6e1d);
        for _ in 0..2000 {
            let mut html = String::from("<table>");
            for _ in 0..rng.usize(1..4) {
                let group = ["", "thead", "tbody", "tfoot"][rng.usize(..4)];
                if !group.is_empty() {
                    html.push_str(&format!("<{group}>"));
                }
                for _ in 0..rng.usize(..6) {
                    html.push_str("<tr>");
                    for _ in 0..rng.usize(..5) {
                        let rowspan = ["", " rowspan=0", " rowspan=2", " rowspan=3", " rowspan=9"];
                        let colspan = ["", "", " colspan=2", " colspan=0", " colspan=4"];
                        let text = ["a", "b", "", " ", "c<br>d"][rng.usize(..5)];
                        html.push_str(&format!(
                            "<td{}{}>{text}</td>",
                            rowspan[rng.usize(..rowspan.len())],
                            colspan[rng.usize(..colspan.len())]
                        ));
                    }
                    html.push_str("</tr>");
                }
                if !group.is_empty() {
                    html.push_str(&format!("</{group}>"));
                }
            }
            html.push_str("</table>");
            assert_laid_out_alike(&html);
        }
    }

    #[test]
    fn a_cell_is_small() {
        assert_eq!(std::mem::size_of::<GridCell>(), 16);
        assert_eq!(std::mem::size_of::<Piece>(), 24);
    }

    #[test]
    fn empty_rows_are_known_without_scanning_the_width() {
        let doc = parse_fragment(
            "<table><tr><td>a</td><td colspan=3></td></tr><tr><td></td></tr><tr><td> </td><td>b</td></tr></table>",
        );
        let grid = expand(first_table(&doc)).unwrap();
        let empty: Vec<bool> = (0..3).map(|r| grid.row_is_empty(r)).collect();
        assert_eq!(empty, [false, true, false]);
    }
}
