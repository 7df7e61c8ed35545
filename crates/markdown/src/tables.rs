//! One pass over pulldown-cmark events: the pipe tables of a document, each
//! with the heading above it and the line of every row.

use leimu_model::collapse_whitespace;
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
///
/// One allocation per non-empty cell: cell text is gathered in one reused
/// buffer and collapsed into a string of its own only when the cell ends.
pub fn read_tables(text: &str) -> Vec<PipeTable> {
    let mut lines = LineCounter::new(text);
    let mut tables: Vec<PipeTable> = Vec::new();
    let mut heading: Option<String> = None;
    let mut heading_text: Option<String> = None;
    let mut in_cell = false;
    let mut cell = String::new();
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
                let width = tables.last().map_or(0, |t| t.header.len());
                row = Some(PipeRow {
                    line: lines.line_of(range.start),
                    cells: Vec::with_capacity(width),
                    overflow: Vec::new(),
                });
            }
            Event::End(TagEnd::TableRow) => {
                if let (Some(mut r), Some(t)) = (row.take(), tables.last_mut()) {
                    r.overflow = overflow_cells(&text[range], t.header.len());
                    t.rows.push(r);
                }
            }
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                cell.clear();
            }
            Event::End(TagEnd::TableCell) => {
                in_cell = false;
                let content = collapsed(&cell);
                match (in_head, tables.last_mut(), row.as_mut()) {
                    (true, Some(t), _) => t.header.push(content),
                    (false, _, Some(r)) => r.cells.push(content),
                    _ => {}
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if in_cell {
                    cell.push_str(&t);
                } else if let Some(h) = heading_text.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak if in_cell => cell.push(' '),
            // `<br>` inside a cell is a line break; other inline markup carries no text.
            Event::InlineHtml(html) if in_cell && is_line_break(&html) => cell.push(' '),
            _ => {}
        }
    }
    tables
}

/// 1-based line numbers of byte offsets, counted from the previous offset
/// asked for: the pass asks in increasing order, so the text is counted once.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn line_of(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        if offset >= self.offset {
            self.line += memchr::memchr_iter(b'\n', &self.text[self.offset..offset]).count();
        } else {
            self.line -= memchr::memchr_iter(b'\n', &self.text[offset..self.offset]).count();
        }
        self.offset = offset;
        u32::try_from(self.line).unwrap_or(u32::MAX)
    }
}

fn is_line_break(html: &str) -> bool {
    html.trim_start_matches('<')
        .trim_start()
        .get(..2)
        .is_some_and(|tag| tag.eq_ignore_ascii_case("br"))
}

/// [`collapse_whitespace`] in one allocation (none for an empty result).
fn collapsed(text: &str) -> String {
    let text = text.trim_start();
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Non-empty cells of a row's source text beyond `width` columns.
///
/// The table grammar silently drops them; splitting the source on unescaped
/// pipes is enough to notice that it did.
fn overflow_cells(source: &str, width: usize) -> Vec<String> {
    let line = source.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = line.strip_suffix('|').unwrap_or(line);
    split_unescaped_pipes(line)
        .skip(width)
        .map(collapsed)
        .filter(|c| !c.is_empty())
        .collect()
}

/// The texts between unescaped `|` (a `\` escapes the character after it),
/// escapes kept as written.
fn split_unescaped_pipes(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(line);
    std::iter::from_fn(move || {
        let text = rest?;
        let bytes = text.as_bytes();
        let mut from = 0;
        // `\` and `|` are ASCII, so they never occur inside a multi-byte
        // character, and skipping the byte after a `\` skips no `|` or `\`
        // that a character could hide.
        while let Some(at) = bytes
            .get(from..)
            .and_then(|tail| memchr::memchr2(b'|', b'\\', tail))
            .map(|i| from + i)
        {
            if bytes[at] == b'|' {
                rest = Some(&text[at + 1..]);
                return Some(&text[..at]);
            }
            from = at + 2;
        }
        rest = None;
        Some(text)
    })
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

    #[test]
    fn pipes_split_unless_escaped() {
        let cells: Vec<&str> = split_unescaped_pipes(r" a | b \| c \\| d ||").collect();
        assert_eq!(cells, vec![" a ", r" b \| c \\", " d ", "", ""]);
        assert_eq!(collapsed(" x \u{3000} y\n z "), "x y z");
        assert_eq!(collapsed("   "), "");
    }

    #[test]
    fn lines_are_counted_either_way() {
        let text = "a\nb\n\nc";
        let mut lines = LineCounter::new(text);
        let index = leimu_model::LineIndex::new(text);
        for offset in [0, 2, 5, 6, 1, 4, 3, 0, 6] {
            assert_eq!(
                lines.line_of(offset),
                index.line_of(offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn line_breaks_are_br_tags_only() {
        assert!(is_line_break("<br>"));
        assert!(is_line_break("< BR/>"));
        assert!(!is_line_break("<b>"));
        assert!(!is_line_break("<span>"));
    }
}
