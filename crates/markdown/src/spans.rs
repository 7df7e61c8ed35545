//! Recovering the rowspans that an HTML → markdown conversion flattened.
//!
//! The converter wrote, for each HTML row, only the cells that start in that
//! row, left to right, and padded the row with empty cells. A cell covered by
//! a rowspan from above is simply missing. [`recover_spans`] puts every cell
//! back in its column and fills the missing ones from the row above.
//!
//! For a row with `n` cells of its own, every *reading* (which columns are
//! covered from above) that leaves exactly `n` columns is a candidate. The
//! shape of a category table rules most of them out:
//!
//! * **Levels nest.** Covered levels form a prefix (1, or 1 and 2): a level-2
//!   cell cannot span past the end of its level-1 group, and a row that brings
//!   its own level-k name brings its own deeper levels too.
//! * **Groups are closed.** A row with its own level-1 name has every cell of
//!   its own; spans never cross a level-1 boundary.
//! * **Names look like names.** A level cell has no 《》 or sentence punctuation
//!   and at most [`MAX_NAME_CHARS`] characters; `/` ("none") may stand only
//!   for the deepest levels, never under a level that is itself none.
//!
//! The remaining candidates are ranked by costs that encode how the documents
//! use spans (lower is better):
//!
//! * 2 — *child of a leaf*: the row would add a level under a category whose
//!   own row said that level is none (`熟人交友 | /` after `陌生人交友 | /` is a
//!   sibling, not a child).
//! * 1 — *leaves a group*: the row would be a leaf right after a row that has
//!   a deeper level (`美容 | /` after `丽人 | 美甲` continues 丽人).
//! * 2 — *breaks a span*: a requirement or note of the row's own would replace
//!   a substantive value above (a span is how the documents share a value, so
//!   the 政务民生 requirement covers the whole group rather than `/`).
//! * 2 — *licence in notes*: a cell naming a licence (《》) read as a note.
//! * 1 — *requirement without licence*: a cell naming no licence read as the
//!   requirement of a table that also has notes.
//!
//! Ties go to the first candidate in enumeration order: more covered levels
//! first (continue the deeper group), then attributes of the row's own on the
//! left.
//!
//! ## Ambiguity
//!
//! A row is reported as [`Recovered::ambiguity`], naming the other reading
//! and why it lost, when
//!
//! * a reading that gives a different record costs at most one more than the
//!   chosen one (the tie margin), or
//! * a reading gives the same path with a different requirement or note
//!   because it puts the row's own `/` cells in other attribute columns. A
//!   `/` fits the requirement and the note alike, so for `甲二 | / | /` under
//!   `甲 | 甲一 | / | 《某许可证》 | /` nothing in the text says whether the
//!   requirement or the note is spanned: only *breaks a span* separates the
//!   two readings, and both occur in the platform's pages. The cost of the
//!   `/` cells' breaks is therefore not counted against the margin.
//!
//! [`report_ambiguities`] turns these into reports. A run of consecutive rows
//! whose only other reading is the same `/` placement (the requirement of a
//! group could stop spanning at any of its rows of names and `/`) is one
//! report at the run's first row, with the run's lines and its first and last
//! category in the message, so a reviewer sees a group-wide span over dozens
//! of such rows as one line.

use leimu_model::{Column, Text};
use smallvec::SmallVec;

/// Level names longer than this are taken to be text, not names.
pub const MAX_NAME_CHARS: usize = 24;

/// Per-column values of one reading or one recovered row, on the stack for
/// up to the five columns a category table has (three levels, requirement,
/// notes): a row ranks several readings, and only the winner's cells are
/// kept, for as long as the row's record is made.
pub type PerColumn<T> = SmallVec<[T; 5]>;

/// The columns of a table, in table order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    columns: Vec<Column>,
    levels: usize,
    /// Column index of each level, level 1 first.
    level_columns: Vec<usize>,
    /// Column indices of the requirement and note columns, in table order;
    /// bit `i` of a reading's covered attributes is `attribute_columns[i]`.
    attribute_columns: Vec<usize>,
}

impl Layout {
    /// Checks that the levels are 1..=k (k ≥ 1), each once, and that no
    /// column repeats; returns a description of the problem otherwise.
    pub fn new(columns: Vec<Column>) -> Result<Layout, String> {
        for (i, c) in columns.iter().enumerate() {
            if columns[..i].contains(c) {
                return Err(format!("column {c:?} appears twice"));
            }
        }
        let levels = columns
            .iter()
            .filter(|c| matches!(c, Column::Level(_)))
            .count();
        if levels == 0 {
            return Err("no category-level column".to_string());
        }
        for k in 1..=levels {
            if !columns.contains(&Column::Level(k as u8)) {
                return Err(format!("level columns skip level {k}"));
            }
        }
        let level_columns = (1..=levels)
            .filter_map(|k| columns.iter().position(|c| *c == Column::Level(k as u8)))
            .collect();
        let attribute_columns = (0..columns.len())
            .filter(|&i| !matches!(columns[i], Column::Level(_)))
            .collect();
        Ok(Layout {
            columns,
            levels,
            level_columns,
            attribute_columns,
        })
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    fn attributes(&self) -> impl Iterator<Item = usize> + '_ {
        self.attribute_columns.iter().copied()
    }

    /// The column of level `level + 1`.
    fn level_index(&self, level: usize) -> usize {
        self.level_columns[level]
    }
}

/// What a flattened row turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    /// Every cell empty: a visual separator, not a record.
    Separator,
    /// A record, its cells in table column order.
    Record(Recovered),
    /// No reading fits the table's shape; the reason says why.
    Unplaced(String),
}

/// A row with every cell back in its column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovered {
    /// Cell texts in table column order, covered cells filled from above:
    /// clones of the texts above, so a span is one copy.
    pub cells: PerColumn<Text>,
    /// Per column: true for the row's own cell, false for one covered from above.
    pub own: PerColumn<bool>,
    /// Set when another reading was nearly as good: which, and why it lost.
    pub ambiguity: Option<Ambiguity>,
}

/// The other readings of a row that the text cannot rule out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguity {
    /// `also reads as …, not chosen: …` for each other reading reported.
    pub message: String,
    /// The only reading reported places the row's own `/` cells in other
    /// requirement or note columns: consecutive rows with the same message
    /// are one report.
    slash_placement_only: bool,
}

/// One `ambiguous` report: a single row, or a run of consecutive rows that
/// share a `/`-placement ambiguity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmbiguityReport {
    /// Index of the run's first row in the table's rows.
    pub first: usize,
    /// Index of the run's last row (`first` for a single row).
    pub last: usize,
    ambiguity: Ambiguity,
    first_path: String,
    last_path: String,
}

impl AmbiguityReport {
    /// The message; a run names its lines, how many rows and the categories
    /// it starts and ends with.
    pub fn message(&self, first_line: u32, last_line: u32) -> String {
        if self.first == self.last {
            return self.ambiguity.message.clone();
        }
        format!(
            "{} rows, lines {first_line}–{last_line} ({} to {}): each {}",
            self.last - self.first + 1,
            self.first_path,
            self.last_path,
            self.ambiguity.message
        )
    }

    /// The row right after the run shares its `/`-placement ambiguity.
    fn continues_with(&self, index: usize, ambiguity: &Ambiguity) -> bool {
        self.last + 1 == index
            && self.ambiguity.slash_placement_only
            && *ambiguity == self.ambiguity
    }
}

/// One reading of a row: how many levels and which attributes are covered from above.
#[derive(Debug, Clone, Copy)]
struct Reading {
    covered_levels: usize,
    covered_attributes: u32,
}

struct Scored<'a> {
    cells: PerColumn<&'a str>,
    /// Per column: the row's own cell (false: covered from above).
    own: PerColumn<bool>,
    cost: u32,
    reasons: SmallVec<[Reason<'a>; 4]>,
    /// Every cell of the row's own in a requirement or note column is `/`.
    own_attributes_none: bool,
    /// The part of `cost` from `/` cells of the row's own breaking a span.
    slash_breaks: u32,
}

/// Why a reading costs more (see the module docs); written out only for a
/// reading reported as an ambiguity. Two reasons are equal exactly when
/// their texts are: each variant's text has its own fixed words, and only
/// requirement and note columns (which have distinct names) break spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reason<'a> {
    ChildOfLeaf { level: usize, parent: &'a str },
    LeavesGroup { group: &'a str },
    BreaksSpan { column: Column, above: &'a str },
    LicenceInNotes { text: &'a str },
    RequirementWithoutLicence { text: &'a str },
}

impl Reason<'_> {
    /// Appends the reason's text; pieces are pushed rather than formatted,
    /// since a run of ambiguous rows writes the same reasons row after row.
    fn write_to(&self, out: &mut String) {
        use std::fmt::Write;
        match *self {
            Reason::ChildOfLeaf { level, parent } => {
                let _ = write!(out, "it would add level {level} under ");
                out.extend([parent, ", whose row has none"]);
            }
            Reason::LeavesGroup { group } => out.extend([
                "it would end the group ",
                group,
                " with a leaf although its rows have deeper levels",
            ]),
            Reason::BreaksSpan { column, above } => out.extend([
                "it would cut short the ",
                column_name(column),
                " above (",
                above,
                ")",
            ]),
            Reason::LicenceInNotes { text } => {
                out.extend(["it would read the licence text ", text, " as a note"]);
            }
            Reason::RequirementWithoutLicence { text } => out.extend([
                "it would read ",
                text,
                ", which names no licence, as the requirement",
            ]),
        }
    }
}

/// Recovers every row of one table. `rows` are the flattened cells in table
/// column order (padding included), trimmed; the result has one outcome per
/// row.
pub fn recover_spans(layout: &Layout, rows: &[Vec<String>]) -> Vec<RowOutcome> {
    let mut recovery = Recovery::new(layout.clone());
    rows.iter().map(|row| recovery.row(row)).collect()
}

/// Span recovery one row at a time, remembering the last record's cells:
/// what [`recover_spans`] does, for a caller that reads rows as they come.
#[derive(Debug)]
pub struct Recovery {
    layout: Layout,
    /// The cells of the last row that was a record (reused between rows).
    previous: Vec<Text>,
    has_previous: bool,
    /// `/` and `／`, one copy per table: most requirement and note cells
    /// of the documents are none.
    none: [Text; 2],
}

impl Recovery {
    pub fn new(layout: Layout) -> Recovery {
        Recovery {
            layout,
            previous: Vec::new(),
            has_previous: false,
            none: [Text::from("/"), Text::from("／")],
        }
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The outcome of the next row of the table; `row` is its flattened
    /// cells in table column order, trimmed, as [`crate::tables`] collapses
    /// them (trimming again cost 3% of the parse).
    pub fn row(&mut self, row: &[String]) -> RowOutcome {
        debug_assert!(row.iter().all(|c| c.trim() == c), "cells are trimmed");
        let previous = self.has_previous.then_some(self.previous.as_slice());
        let (own, ambiguity) = match choose_reading(&self.layout, row, previous) {
            Choice::Separator => return RowOutcome::Separator,
            Choice::Unplaced(why) => return RowOutcome::Unplaced(why),
            Choice::Reading { own, ambiguity } => (own, ambiguity),
        };
        let cells = fill_cells(row, &own, &self.previous, &self.none);
        self.previous.clear();
        self.previous.extend(cells.iter().cloned());
        self.has_previous = true;
        RowOutcome::Record(Recovered {
            cells,
            own,
            ambiguity,
        })
    }
}

/// What [`choose_reading`] decided for a row, before any cell is copied.
enum Choice {
    Separator,
    Unplaced(String),
    Reading {
        own: PerColumn<bool>,
        ambiguity: Option<Ambiguity>,
    },
}

/// Ranks the readings of a row on borrowed cells; only the winner's cells
/// are copied afterwards ([`fill_cells`]), and reasons are written out only
/// for a reported ambiguity.
fn choose_reading(layout: &Layout, row: &[String], previous: Option<&[Text]>) -> Choice {
    // Cells of the row's own: everything up to the last non-empty cell.
    let own_len = row.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
    if own_len == 0 {
        return Choice::Separator;
    }
    let own: PerColumn<&str> = row[..own_len].iter().map(String::as_str).collect();
    if own.len() > layout.columns.len() {
        return Choice::Unplaced(format!(
            "{} cells for {} columns",
            own.len(),
            layout.columns.len()
        ));
    }

    let scored: SmallVec<[Scored; 4]> = readings(layout, own.len())
        .filter_map(|reading| score(layout, reading, &own, previous))
        .collect();
    // Ranked by reference, so that readings are not moved around.
    let mut ranked: SmallVec<[&Scored; 4]> = scored.iter().collect();
    ranked.sort_by_key(|s| s.cost); // stable: ties keep enumeration order
    let Some(&best) = ranked.first() else {
        return Choice::Unplaced(why_unplaced(layout, &own, previous));
    };
    Choice::Reading {
        own: best.own.clone(),
        ambiguity: ambiguity(layout, best, &ranked[1..]),
    }
}

/// The row's cells in column order: its own cells made texts in their
/// columns, a none cell as the copy in `none`; the covered ones the texts of
/// the row above.
fn fill_cells(row: &[String], own: &[bool], previous: &[Text], none: &[Text]) -> PerColumn<Text> {
    let mut own_cells = row.iter().map(String::as_str);
    let own_text = |cell: &str| {
        none.iter()
            .find(|none| **none == cell)
            .cloned()
            .unwrap_or_else(|| Text::from(cell))
    };
    own.iter()
        .enumerate()
        .map(|(col, &is_own)| {
            if is_own {
                own_cells.next().map(own_text).unwrap_or_default()
            } else {
                previous.get(col).cloned().unwrap_or_default()
            }
        })
        .collect()
}

/// The other readings worth reporting (see the module docs): the closest one
/// within the tie margin, and one that only places the `/` cells elsewhere.
fn ambiguity(layout: &Layout, best: &Scored, others: &[&Scored]) -> Option<Ambiguity> {
    let differs = |s: &&Scored| s.cells != best.cells;
    let others = || others.iter().copied();
    let close = others().filter(differs).find(|s| s.cost <= best.cost + 1);
    // The span rule's cost for a `/` of the row's own is no evidence here.
    let moved_slashes = others().filter(differs).find(|s| {
        moves_slashes(layout, best, s) && s.cost.saturating_sub(s.slash_breaks) <= best.cost + 1
    });
    let mut reported: Vec<&Scored> = close.into_iter().collect();
    reported.extend(moved_slashes.filter(|s| close.is_none_or(|c| !std::ptr::eq(c, *s))));
    let slash_placement_only = match reported[..] {
        [] => return None,
        [alt] => moves_slashes(layout, best, alt),
        _ => false,
    };
    // Room for the usual message (one reading and its reasons), so that
    // it is not regrown piece by piece.
    let mut message = String::with_capacity(256);
    for (n, alt) in reported.iter().enumerate() {
        if n > 0 {
            message.push_str("; ");
        }
        also_reads(layout, best, alt, &mut message);
    }
    Some(Ambiguity {
        message,
        slash_placement_only,
    })
}

/// `alt` is `best` with the row's own `/` cells in other requirement or note
/// columns: same path, and `/` is all the row has in those columns either way.
fn moves_slashes(layout: &Layout, best: &Scored, alt: &Scored) -> bool {
    best.own_attributes_none && alt.own_attributes_none && same_path(layout, best, alt)
}

fn same_path(layout: &Layout, a: &Scored, b: &Scored) -> bool {
    (0..layout.levels).all(|l| {
        let i = layout.level_index(l);
        a.cells[i] == b.cells[i]
    })
}

/// Appends `also reads as …, not chosen: …` for one other reading.
fn also_reads(layout: &Layout, best: &Scored, alt: &Scored, out: &mut String) {
    out.push_str("also reads ");
    if same_path(layout, best, alt) {
        out.push_str("with ");
        let changed = layout
            .attributes()
            .filter(|&i| alt.cells[i] != best.cells[i]);
        for (n, i) in changed.enumerate() {
            if n > 0 {
                out.push_str(" and ");
            }
            out.extend([column_name(layout.columns[i]), " ", alt.cells[i]]);
        }
    } else {
        out.push_str("as ");
        describe_into(layout, &alt.cells, out);
    }
    out.push_str(", not chosen: ");
    if alt.cost == best.cost {
        out.push_str("equally likely; the first reading in rule order wins");
    } else if alt.cost > best.cost + 1 {
        // Only a moved `/` gets here: what it costs, and why that is no evidence.
        let extra = alt.reasons.iter().filter(|r| !best.reasons.contains(r));
        for (n, reason) in extra.enumerate() {
            if n > 0 {
                out.push_str("; ");
            }
            reason.write_to(out);
        }
        out.push_str("; reported all the same: the row's own / could stand in either column, and nothing in the text says which");
    } else {
        for (n, reason) in alt.reasons.iter().enumerate() {
            if n > 0 {
                out.push_str("; ");
            }
            reason.write_to(out);
        }
    }
}

/// Groups the ambiguous rows of one table's outcomes into reports, in row order.
pub fn report_ambiguities(layout: &Layout, outcomes: &[RowOutcome]) -> Vec<AmbiguityReport> {
    let mut runs = AmbiguityRuns::default();
    let mut reports = Vec::new();
    for (index, outcome) in outcomes.iter().enumerate() {
        if let RowOutcome::Record(Recovered {
            cells,
            ambiguity: Some(ambiguity),
            ..
        }) = outcome
        {
            if let Grouped::Starts(Some(closed)) = runs.add(layout, index, cells, ambiguity.clone())
            {
                reports.push(closed);
            }
        }
    }
    reports.extend(runs.finish());
    reports
}

/// [`report_ambiguities`] as rows come: the report being extended, if any.
#[derive(Debug, Default)]
pub struct AmbiguityRuns {
    open: Option<AmbiguityReport>,
}

/// Where [`AmbiguityRuns::add`] put an ambiguous row.
#[derive(Debug)]
pub enum Grouped {
    /// The row extends the open report.
    Continues,
    /// The row starts a new report; the one it closes, if any, is final.
    Starts(Option<AmbiguityReport>),
}

impl AmbiguityRuns {
    /// Adds the ambiguous row `index` of the table, with its recovered cells.
    pub fn add(
        &mut self,
        layout: &Layout,
        index: usize,
        cells: &[Text],
        ambiguity: Ambiguity,
    ) -> Grouped {
        let path = describe(layout, cells);
        if let Some(run) = self
            .open
            .as_mut()
            .filter(|run| run.continues_with(index, &ambiguity))
        {
            run.last = index;
            run.last_path = path;
            return Grouped::Continues;
        }
        let report = AmbiguityReport {
            first: index,
            last: index,
            ambiguity,
            first_path: path.clone(),
            last_path: path,
        };
        Grouped::Starts(self.open.replace(report))
    }

    /// The open report, final at the end of the table.
    pub fn finish(&mut self) -> Option<AmbiguityReport> {
        self.open.take()
    }
}

/// All readings that leave exactly `own` columns to the row's own cells, in
/// tie-break order.
fn readings(layout: &Layout, own: usize) -> impl Iterator<Item = Reading> + '_ {
    let attributes = layout.columns.len() - layout.levels;
    (0..layout.levels).rev().flat_map(move |covered_levels| {
        (0u32..(1 << attributes))
            .filter(move |mask| {
                let covered = covered_levels + mask.count_ones() as usize;
                layout.columns.len() - covered == own
            })
            .map(move |covered_attributes| Reading {
                covered_levels,
                covered_attributes,
            })
    })
}

fn score<'a>(
    layout: &Layout,
    reading: Reading,
    own: &[&'a str],
    previous: Option<&'a [Text]>,
) -> Option<Scored<'a>> {
    let attribute_columns = &layout.attribute_columns;
    let any_covered = reading.covered_levels > 0 || reading.covered_attributes != 0;
    // Groups are closed: a row with its own level-1 name covers nothing.
    if reading.covered_levels == 0 && any_covered {
        return None;
    }
    if any_covered && previous.is_none() {
        return None;
    }

    // Whether each column's cell is the row's own (false: covered from above).
    let mut own_flags = PerColumn::new();
    let mut cells = PerColumn::new();
    let mut own_cells = own.iter();
    // Attribute columns are in table order: the next one has the next bit.
    let mut attribute_bit = 0;
    for (col, column) in layout.columns.iter().enumerate() {
        let covered = match column {
            Column::Level(k) => usize::from(*k) <= reading.covered_levels,
            _ => {
                attribute_bit += 1;
                reading.covered_attributes & (1 << (attribute_bit - 1)) != 0
            }
        };
        own_flags.push(!covered);
        cells.push(if covered {
            previous.map_or("", |p| p[col].as_str())
        } else {
            *own_cells.next()?
        });
    }

    // Names look like names; none only for the deepest levels.
    let mut seen_none = false;
    for level in 0..layout.levels {
        let text = cells[layout.level_index(level)];
        if is_none(text) {
            if level == 0 {
                return None;
            }
            seen_none = true;
        } else if seen_none || !is_name(text) {
            return None;
        }
    }

    let mut cost = 0;
    let mut slash_breaks = 0;
    let mut reasons = SmallVec::new();
    if let Some(prev) = previous.filter(|_| reading.covered_levels > 0) {
        let j = reading.covered_levels;
        if j < layout.levels && is_none(&prev[layout.level_index(j)]) {
            cost += 2;
            reasons.push(Reason::ChildOfLeaf {
                level: j + 1,
                parent: &prev[layout.level_index(j - 1)],
            });
        }
        let leaves_group = (j + 1..layout.levels).any(|k| {
            let idx = layout.level_index(k);
            is_none(cells[idx]) && !is_none(&prev[idx])
        });
        if leaves_group {
            cost += 1;
            reasons.push(Reason::LeavesGroup {
                group: &prev[layout.level_index(j)],
            });
        }
        for &col in attribute_columns {
            let above = prev[col].as_str();
            if own_flags[col] && is_substantive(above) && cells[col] != above {
                cost += 2;
                if is_none(cells[col]) {
                    slash_breaks += 2;
                }
                reasons.push(Reason::BreaksSpan {
                    column: layout.columns[col],
                    above,
                });
            }
        }
    }
    let has_notes = layout.columns.contains(&Column::Notes);
    for &col in attribute_columns.iter().filter(|&&col| own_flags[col]) {
        let text = cells[col];
        if layout.columns[col] == Column::Notes && text.contains('《') {
            cost += 2;
            reasons.push(Reason::LicenceInNotes { text });
        }
        if layout.columns[col] == Column::Requirement
            && has_notes
            && is_substantive(text)
            && !text.contains('《')
        {
            cost += 1;
            reasons.push(Reason::RequirementWithoutLicence { text });
        }
    }
    let own_attributes_none = attribute_columns
        .iter()
        .filter(|&&col| own_flags[col])
        .all(|&col| is_none(cells[col]));
    Some(Scored {
        cells,
        own: own_flags,
        cost,
        reasons,
        own_attributes_none,
        slash_breaks,
    })
}

fn why_unplaced(layout: &Layout, own: &[&str], previous: Option<&[Text]>) -> String {
    if previous.is_none() && own.len() < layout.columns.len() {
        format!(
            "first row of the table has {} of {} cells, nothing above to span from",
            own.len(),
            layout.columns.len()
        )
    } else {
        format!(
            "no reading of its {} cells ({}) fits the table's levels",
            own.len(),
            own.join(" | ")
        )
    }
}

/// A category name: non-empty, no licence brackets or sentence punctuation, short.
fn is_name(text: &str) -> bool {
    const NOT_IN_NAMES: &[char] = &[
        '《', '》', '“', '”', '"', '，', '。', '；', '：', ',', ';', ':', '！', '？',
    ];
    !text.is_empty()
        && !text.contains(NOT_IN_NAMES)
        && (text.len() <= MAX_NAME_CHARS || text.chars().count() <= MAX_NAME_CHARS)
}

/// [`leimu_model::is_none_marker`] without the trimming: every cell span
/// recovery compares is trimmed (the row's own cells come so, covered cells
/// are copies of those).
fn is_none(text: &str) -> bool {
    matches!(text, "/" | "／")
}

fn is_substantive(text: &str) -> bool {
    !text.is_empty() && !is_none(text)
}

fn column_name(column: Column) -> &'static str {
    match column {
        Column::Level(_) => "level",
        Column::Requirement => "requirement",
        Column::Notes => "note",
    }
}

/// `A › B › C` with none levels left out, for messages.
fn describe(layout: &Layout, cells: &[impl AsRef<str>]) -> String {
    path_names(layout, cells).collect::<Vec<_>>().join(" › ")
}

/// Appends [`describe`].
fn describe_into(layout: &Layout, cells: &[impl AsRef<str>], out: &mut String) {
    for (n, name) in path_names(layout, cells).enumerate() {
        if n > 0 {
            out.push_str(" › ");
        }
        out.push_str(name);
    }
}

/// The names of the path of `cells`, none levels left out.
fn path_names<'c>(
    layout: &'c Layout,
    cells: &'c [impl AsRef<str>],
) -> impl Iterator<Item = &'c str> + 'c {
    (0..layout.levels)
        .map(|l| cells[layout.level_index(l)].as_ref())
        .filter(|t| !is_none(t))
}

#[cfg(test)]
mod tests;
