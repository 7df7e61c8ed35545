//! One pass over pulldown-cmark events: the pipe tables of a document, each
//! with the heading above it and the line of every row.

use leimu_model::{collapse_whitespace, LineIndex};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A pipe table as written: texts only, no interpretation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipeTable {
    /// Text of the nearest heading above the table, if any.
    pub heading: Option<String>,
    /// Line of the header row.
    pub line: u32,
    pub header: Vec<String>,
    pub rows: Vec<PipeRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipeRow {
    pub line: u32,
    /// As many cells as the header; the table grammar pads short rows.
    pub cells: Vec<String>,
    /// Non-empty cells written beyond the header's width, which the table
    /// grammar drops; kept so that the caller can report them.
    pub overflow: Vec<String>,
}

/// Reads every pipe table of `text`.
pub fn read_tables(text: &str) -> Vec<PipeTable> {
    let lines = LineIndex::new(text);
    let mut tables: Vec<PipeTable> = Vec::new();
    let mut heading: Option<String> = None;
    let mut heading_text: Option<String> = None;
    let mut cell: Option<String> = None;
    let mut row: Option<PipeRow> = None;
    let mut in_head = false;

    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => heading_text = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                heading = heading_text.take().map(|t| collapse_whitespace(&t));
            }
            Event::Start(Tag::Table(_)) => tables.push(PipeTable {
                heading: heading.clone(),
                line: lines.line_of(range.start),
                header: Vec::new(),
                rows: Vec::new(),
            }),
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => {
                let line = lines.line_of(range.start);
                row = Some(PipeRow {
                    line,
                    cells: Vec::new(),
                    overflow: Vec::new(),
                });
            }
            Event::End(TagEnd::TableRow) => {
                if let (Some(mut r), Some(t)) = (row.take(), tables.last_mut()) {
                    r.overflow = overflow_cells(&text[range], t.header.len());
                    t.rows.push(r);
                }
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                let content = collapse_whitespace(&cell.take().unwrap_or_default());
                match (in_head, tables.last_mut(), row.as_mut()) {
                    (true, Some(t), _) => t.header.push(content),
                    (false, _, Some(r)) => r.cells.push(content),
                    _ => {}
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                } else if let Some(h) = heading_text.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(c) = cell.as_mut() {
                    c.push(' ');
                }
            }
            // `<br>` inside a cell is a line break; other inline markup carries no text.
            Event::InlineHtml(html) => {
                if let Some(c) = cell.as_mut() {
                    if html
                        .trim_start_matches('<')
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("br")
                    {
                        c.push(' ');
                    }
                }
            }
            _ => {}
        }
    }
    tables
}

/// Non-empty cells of a row's source text beyond `width` columns.
///
/// The table grammar silently drops them; splitting the source on unescaped
/// pipes is enough to notice that it did.
fn overflow_cells(source: &str, width: usize) -> Vec<String> {
    let line = source.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = line.strip_suffix('|').unwrap_or(line);
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for ch in line.chars() {
        match ch {
            '\\' if !escaped => {
                escaped = true;
                current.push(ch);
                continue;
            }
            '|' if !escaped => cells.push(std::mem::take(&mut current)),
            _ => current.push(ch),
        }
        escaped = false;
    }
    cells.push(current);
    cells
        .into_iter()
        .skip(width)
        .map(|c| collapse_whitespace(&c))
        .filter(|c| !c.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_carry_lines_headings_and_padding() {
        let text = "# Doc\n\n## 个人主体\n\n| a | b | c |\n|---|---|---|\n| x | **y** |\n| p<br>q | `r` | s |\n";
        let tables = read_tables(text);
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!(t.heading.as_deref(), Some("个人主体"));
        assert_eq!(t.line, 5);
        assert_eq!(t.header, vec!["a", "b", "c"]);
        assert_eq!(t.rows[0].line, 7);
        assert_eq!(t.rows[0].cells, vec!["x", "y", ""]);
        assert_eq!(t.rows[1].line, 8);
        assert_eq!(t.rows[1].cells, vec!["p q", "r", "s"]);
    }

    #[test]
    fn overflow_is_noticed() {
        let text = "| a | b |\n|---|---|\n| x | y | lost | |\n| u \\| v | w |\n";
        let t = &read_tables(text)[0];
        assert_eq!(t.rows[0].overflow, vec!["lost"]);
        assert!(t.rows[1].overflow.is_empty());
        assert_eq!(t.rows[1].cells[0], "u | v");
    }
}
