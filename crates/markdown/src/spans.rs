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
//! left. When a reading that gives a different record costs at most one more
//! than the chosen one, the row is reported as [`Recovered::ambiguity`].

use leimu_model::{is_none_marker, Column};

/// Level names longer than this are taken to be text, not names.
pub const MAX_NAME_CHARS: usize = 24;

/// The columns of a table, in table order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    columns: Vec<Column>,
    levels: usize,
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
        Ok(Layout { columns, levels })
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    fn attributes(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.columns.len()).filter(|&i| !matches!(self.columns[i], Column::Level(_)))
    }

    fn level_index(&self, level: usize) -> usize {
        self.columns
            .iter()
            .position(|c| *c == Column::Level(level as u8 + 1))
            .unwrap_or_default()
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
    /// Cell texts in table column order, covered cells filled from above.
    pub cells: Vec<String>,
    /// Set when another reading was nearly as good: which, and why it lost.
    pub ambiguity: Option<String>,
}

/// One reading of a row: how many levels and which attributes are covered from above.
#[derive(Debug, Clone, Copy)]
struct Reading {
    covered_levels: usize,
    covered_attributes: u32,
}

struct Scored {
    cells: Vec<String>,
    cost: u32,
    reasons: Vec<String>,
}

/// Recovers every row of one table. `rows` are the flattened cells in table
/// column order (padding included); the result has one outcome per row.
pub fn recover_spans(layout: &Layout, rows: &[Vec<String>]) -> Vec<RowOutcome> {
    let mut previous: Option<Vec<String>> = None;
    rows.iter()
        .map(|row| {
            let outcome = recover_row(layout, row, previous.as_deref());
            if let RowOutcome::Record(r) = &outcome {
                previous = Some(r.cells.clone());
            }
            outcome
        })
        .collect()
}

fn recover_row(layout: &Layout, row: &[String], previous: Option<&[String]>) -> RowOutcome {
    // Cells of the row's own: everything up to the last non-empty cell.
    let own_len = row
        .iter()
        .rposition(|c| !c.trim().is_empty())
        .map_or(0, |i| i + 1);
    if own_len == 0 {
        return RowOutcome::Separator;
    }
    let own: Vec<&str> = row[..own_len].iter().map(|c| c.trim()).collect();
    if own.len() > layout.columns.len() {
        return RowOutcome::Unplaced(format!(
            "{} cells for {} columns",
            own.len(),
            layout.columns.len()
        ));
    }

    let mut scored: Vec<Scored> = readings(layout, own.len())
        .filter_map(|reading| score(layout, reading, &own, previous))
        .collect();
    scored.sort_by_key(|s| s.cost); // stable: ties keep enumeration order
    let Some(best) = scored.first() else {
        return RowOutcome::Unplaced(why_unplaced(layout, &own, previous));
    };
    let runner_up = scored
        .iter()
        .skip(1)
        .find(|s| s.cells != best.cells && s.cost <= best.cost + 1);
    let ambiguity = runner_up.map(|alt| {
        let why = if alt.cost == best.cost {
            "equally likely; the first reading in rule order wins".to_string()
        } else {
            alt.reasons.join("; ")
        };
        format!(
            "also reads as {}, not chosen: {}",
            describe(layout, &alt.cells),
            why
        )
    });
    RowOutcome::Record(Recovered {
        cells: best.cells.clone(),
        ambiguity,
    })
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

fn score(
    layout: &Layout,
    reading: Reading,
    own: &[&str],
    previous: Option<&[String]>,
) -> Option<Scored> {
    let attribute_columns: Vec<usize> = layout.attributes().collect();
    let covered = |col: usize| -> bool {
        match layout.columns[col] {
            Column::Level(k) => (k as usize) <= reading.covered_levels,
            _ => {
                let bit = attribute_columns
                    .iter()
                    .position(|&c| c == col)
                    .unwrap_or(0);
                reading.covered_attributes & (1 << bit) != 0
            }
        }
    };
    let any_covered = (0..layout.columns.len()).any(covered);
    // Groups are closed: a row with its own level-1 name covers nothing.
    if reading.covered_levels == 0 && any_covered {
        return None;
    }
    if any_covered && previous.is_none() {
        return None;
    }

    let mut cells = Vec::with_capacity(layout.columns.len());
    let mut own_cells = own.iter();
    let mut own_flags = Vec::with_capacity(layout.columns.len());
    for col in 0..layout.columns.len() {
        if covered(col) {
            cells.push(previous.map(|p| p[col].clone()).unwrap_or_default());
            own_flags.push(false);
        } else {
            cells.push(own_cells.next()?.to_string());
            own_flags.push(true);
        }
    }

    // Names look like names; none only for the deepest levels.
    let mut seen_none = false;
    for level in 0..layout.levels {
        let text = &cells[layout.level_index(level)];
        if is_none_marker(text) {
            if level == 0 {
                return None;
            }
            seen_none = true;
        } else if seen_none || !is_name(text) {
            return None;
        }
    }

    let mut cost = 0;
    let mut reasons = Vec::new();
    if let Some(prev) = previous.filter(|_| reading.covered_levels > 0) {
        let j = reading.covered_levels;
        if j < layout.levels && is_none_marker(&prev[layout.level_index(j)]) {
            cost += 2;
            reasons.push(format!(
                "it would add level {} under {}, whose row has none",
                j + 1,
                prev[layout.level_index(j - 1)]
            ));
        }
        let leaves_group = (j + 1..layout.levels).any(|k| {
            let idx = layout.level_index(k);
            is_none_marker(&cells[idx]) && !is_none_marker(&prev[idx])
        });
        if leaves_group {
            cost += 1;
            reasons.push(format!(
                "it would end the group {} with a leaf although its rows have deeper levels",
                prev[layout.level_index(j)]
            ));
        }
        for &col in &attribute_columns {
            let above = prev[col].trim();
            if own_flags[col] && is_substantive(above) && cells[col] != above {
                cost += 2;
                reasons.push(format!(
                    "it would cut short the {} above ({above})",
                    column_name(layout.columns[col])
                ));
            }
        }
    }
    let has_notes = layout.columns.contains(&Column::Notes);
    for &col in attribute_columns.iter().filter(|&&col| own_flags[col]) {
        let text = &cells[col];
        if layout.columns[col] == Column::Notes && text.contains('《') {
            cost += 2;
            reasons.push(format!("it would read the licence text {text} as a note"));
        }
        if layout.columns[col] == Column::Requirement
            && has_notes
            && is_substantive(text)
            && !text.contains('《')
        {
            cost += 1;
            reasons.push(format!(
                "it would read {text}, which names no licence, as the requirement"
            ));
        }
    }
    Some(Scored {
        cells,
        cost,
        reasons,
    })
}

fn why_unplaced(layout: &Layout, own: &[&str], previous: Option<&[String]>) -> String {
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
    let text = text.trim();
    !text.is_empty() && !text.contains(NOT_IN_NAMES) && text.chars().count() <= MAX_NAME_CHARS
}

fn is_substantive(text: &str) -> bool {
    !text.is_empty() && !is_none_marker(text)
}

fn column_name(column: Column) -> &'static str {
    match column {
        Column::Level(_) => "level",
        Column::Requirement => "requirement",
        Column::Notes => "note",
    }
}

/// `A › B › C` with none levels left out, for messages.
fn describe(layout: &Layout, cells: &[String]) -> String {
    (0..layout.levels)
        .map(|l| cells[layout.level_index(l)].as_str())
        .filter(|t| !is_none_marker(t))
        .collect::<Vec<_>>()
        .join(" › ")
}

#[cfg(test)]
mod tests;
