//! An HTML table laid out as a browser does: every `rowspan` and `colspan`
//! expanded into a full grid of slots.
//!
//! Follows the HTML table model: a cell goes to the first slot of its row not
//! covered from above; `colspan` defaults to 1 (at most 1000), `rowspan` to 1
//! (0 means "to the last row"); spans are cut at the last row of the table.
//! Malformed tables are laid out anyway and their problems reported: a
//! rowspan past the last row, and cells overlapping (the earlier cell keeps
//! the slot, as in browsers).

use scraper::ElementRef;

use crate::text::cell_text;

/// A table's cells and the slots they cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid<'a> {
    /// The `tr` elements, one per grid row.
    pub rows: Vec<ElementRef<'a>>,
    pub cells: Vec<GridCell>,
    /// `slots[row][column]`: index into `cells`, `None` where no cell reaches.
    pub slots: Vec<Vec<Option<usize>>>,
    /// Layout problems, with the grid row they were found in.
    pub problems: Vec<(usize, String)>,
}

/// One `td` or `th`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridCell {
    /// Text with `<br>` and block boundaries as line breaks, whitespace collapsed.
    pub text: String,
    pub header: bool,
    /// Grid row where the cell starts.
    pub row: usize,
}

impl Grid<'_> {
    /// The text at a slot; empty where no cell reaches.
    pub fn text(&self, row: usize, column: usize) -> &str {
        self.slots
            .get(row)
            .and_then(|r| r.get(column))
            .copied()
            .flatten()
            .map_or("", |i| self.cells[i].text.as_str())
    }

    /// Number of columns: the widest row.
    pub fn width(&self) -> usize {
        self.slots.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// True when no slot of the row holds text.
    pub fn row_is_empty(&self, row: usize) -> bool {
        (0..self.width()).all(|c| self.text(row, c).is_empty())
    }
}

/// The rows of `table` itself: `tr` children of the table or of its
/// `thead`/`tbody`/`tfoot`, not rows of tables nested in cells.
pub fn table_rows(table: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut rows = Vec::new();
    for child in table.children().filter_map(ElementRef::wrap) {
        match child.value().name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => rows.extend(
                child
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|e| e.value().name() == "tr"),
            ),
            _ => {}
        }
    }
    rows
}

const MAX_COLSPAN: usize = 1000;

/// Lays `table` out.
pub fn expand(table: ElementRef<'_>) -> Grid<'_> {
    let rows = table_rows(table);
    let height = rows.len();
    let mut cells = Vec::new();
    let mut slots: Vec<Vec<Option<usize>>> = vec![Vec::new(); height];
    let mut problems = Vec::new();

    for (r, tr) in rows.iter().enumerate() {
        let mut column = 0;
        let row_cells = tr
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|e| matches!(e.value().name(), "td" | "th"));
        for cell in row_cells {
            while matches!(slots[r].get(column), Some(Some(_))) {
                column += 1;
            }
            let colspan = span(cell, "colspan")
                .filter(|&c| c >= 1)
                .unwrap_or(1)
                .min(MAX_COLSPAN);
            let rowspan = match span(cell, "rowspan") {
                Some(0) => height - r,
                Some(n) => n,
                None => 1,
            };
            if r + rowspan > height {
                problems.push((
                    r,
                    format!(
                        "rowspan {rowspan} runs past the last row; cut at the end of the table"
                    ),
                ));
            }
            let index = cells.len();
            cells.push(GridCell {
                text: cell_text(cell),
                header: cell.value().name() == "th",
                row: r,
            });
            for row in slots.iter_mut().take((r + rowspan).min(height)).skip(r) {
                if row.len() < column + colspan {
                    row.resize(column + colspan, None);
                }
                for slot in &mut row[column..column + colspan] {
                    match slot {
                        Some(_) => problems.push((
                            r,
                            "cells overlap; the earlier cell keeps the slot".to_string(),
                        )),
                        None => *slot = Some(index),
                    }
                }
            }
            column += colspan;
        }
    }
    problems.dedup();
    Grid {
        rows,
        cells,
        slots,
        problems,
    }
}

/// A span attribute as a number; values that are not numbers count as absent.
fn span(cell: ElementRef<'_>, name: &str) -> Option<usize> {
    cell.value().attr(name).and_then(|v| v.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn grid_texts(html: &str) -> (Vec<Vec<String>>, Vec<(usize, String)>) {
        let doc = Html::parse_fragment(html);
        let table = doc
            .select(&Selector::parse("table").unwrap())
            .next()
            .unwrap();
        let grid = expand(table);
        let width = grid.width();
        let texts = (0..grid.rows.len())
            .map(|r| (0..width).map(|c| grid.text(r, c).to_string()).collect())
            .collect();
        (texts, grid.problems)
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
                "rowspan 5 runs past the last row; cut at the end of the table".to_string()
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
        let doc = Html::parse_fragment(
            "<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>",
        );
        let table = doc
            .select(&Selector::parse("table").unwrap())
            .next()
            .unwrap();
        assert_eq!(table_rows(table).len(), 1);
    }
}
