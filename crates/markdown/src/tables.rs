//! One pass over pulldown-cmark events: the pipe tables of a document, each
//! with the heading above it and the line of every row, handed to a
//! [`TableVisitor`] as they are read ([`visit_tables`]) or collected
//! ([`read_tables`]). The events come from [`crate::slices`], which gives
//! pulldown-cmark a long table in slices.

use std::ops::Range;

use leimu_model::collapse_whitespace;
use pulldown_cmark::{Event, Tag, TagEnd};

use crate::slices::{self, EventSink, Slicing};

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

/// A [`PipeRow`] as [`TableVisitor::row`] gets it: the cells are lent, as
/// their buffers are reused for the next row.
#[derive(Debug)]
pub struct LentRow<'r> {
    pub line: u32,
    pub cells: &'r [String],
    pub overflow: Vec<String>,
}

/// What [`visit_tables`] reports, in document order: a table's header, its
/// rows, its end.
pub trait TableVisitor {
    /// A table starts: the heading above it, the line of its header row, the header cells.
    fn table(&mut self, heading: Option<&str>, line: u32, header: Vec<String>);
    /// The next body row of the current table.
    fn row(&mut self, row: LentRow<'_>);
    /// The current table ends.
    fn end_table(&mut self);
    /// Text outside the tables that no table reads: a paragraph (or list
    /// item, quote, code or HTML block), or a heading no table follows
    /// before the next heading. Its first line and its text, collapsed.
    fn unread(&mut self, _line: u32, _what: Unread, _text: &str) {}
}

/// What [`TableVisitor::unread`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    Prose,
    Heading,
}

/// Reads every pipe table of `text`.
pub fn read_tables(text: &str) -> Vec<PipeTable> {
    visit_tables(text, Slicing::default(), Vec::new)
}

impl TableVisitor for Vec<PipeTable> {
    fn table(&mut self, heading: Option<&str>, line: u32, header: Vec<String>) {
        self.push(PipeTable {
            heading: heading.map(str::to_string),
            line,
            header,
            rows: Vec::new(),
        });
    }

    fn row(&mut self, row: LentRow<'_>) {
        if let Some(table) = self.last_mut() {
            table.rows.push(PipeRow {
                line: row.line,
                cells: row.cells.to_vec(),
                overflow: row.overflow,
            });
        }
    }

    fn end_table(&mut self) {}
}

/// Runs a visitor made by `make` over the tables of `text` and returns it.
///
/// No allocation per cell once the first rows are read: cell text is
/// gathered in one buffer and collapsed, when the cell ends, into a buffer
/// of the row's; the row's buffers are lent to the visitor and reused for
/// the next row.
/// When slicing turns out not to apply, the visitor is made afresh and the
/// document read whole ([`slices::read_events`]).
pub fn visit_tables<V: TableVisitor>(text: &str, slicing: Slicing, make: impl Fn() -> V) -> V {
    let mut reader = slices::read_events(text, slicing, || TableReader::new(text, make()));
    reader.end_of_document();
    reader.visitor
}

/// The state of the pass between events.
struct TableReader<'t, V> {
    text: &'t str,
    lines: LineCounter<'t>,
    heading: Option<String>,
    heading_text: Option<String>,
    /// Line of the current table's header row.
    table_line: u32,
    header: Vec<String>,
    /// Number of header cells of the current table.
    width: usize,
    in_head: bool,
    in_cell: bool,
    cell: String,
    /// Line of the body row being read.
    row: Option<u32>,
    /// The collapsed cells of that row.
    cells: Vec<String>,
    /// Buffers of earlier rows' cells, for the next cells.
    spare: Vec<String>,
    /// Text outside tables and headings being gathered: its first line.
    prose: Option<(u32, String)>,
    /// The line of the last heading, while no table has followed it.
    unused_heading: Option<u32>,
    /// Text gathered after that heading, reported once it is known whether
    /// the heading heads a table (so that reports follow the lines).
    after_heading: Vec<(u32, String)>,
    visitor: V,
}

impl<'t, V: TableVisitor> TableReader<'t, V> {
    fn new(text: &'t str, visitor: V) -> TableReader<'t, V> {
        TableReader {
            text,
            lines: LineCounter::new(text),
            heading: None,
            heading_text: None,
            table_line: 0,
            header: Vec::new(),
            width: 0,
            in_head: false,
            in_cell: false,
            cell: String::new(),
            row: None,
            cells: Vec::new(),
            spare: Vec::new(),
            prose: None,
            unused_heading: None,
            after_heading: Vec::new(),
            visitor,
        }
    }

    /// Reports the text gathered outside tables, if any; after a heading
    /// not yet known to head a table, keeps it for [`Self::settle_heading`].
    fn flush_prose(&mut self) {
        if let Some((line, text)) = self.prose.take() {
            let text = collapsed(&text);
            if text.is_empty() {
                return;
            }
            match self.unused_heading {
                Some(_) => self.after_heading.push((line, text)),
                None => self.visitor.unread(line, Unread::Prose, &text),
            }
        }
    }

    /// The last heading is known to head a table (`heads`) or not: reports
    /// it if not, then the text kept after it.
    fn settle_heading(&mut self, heads: bool) {
        if let (Some(line), Some(heading), false) =
            (self.unused_heading.take(), &self.heading, heads)
        {
            self.visitor.unread(line, Unread::Heading, heading);
        }
        for (line, text) in std::mem::take(&mut self.after_heading) {
            self.visitor.unread(line, Unread::Prose, &text);
        }
    }

    fn end_of_document(&mut self) {
        self.flush_prose();
        self.settle_heading(false);
    }

    /// Gathers text outside tables and headings.
    fn gather(&mut self, text: &str, at: usize) {
        if self.prose.is_none() {
            self.prose = Some((self.lines.line_of(at), String::new()));
        }
        if let Some((_, prose)) = self.prose.as_mut() {
            prose.push_str(text);
        }
    }
}

impl<V: TableVisitor> EventSink for TableReader<'_, V> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                self.flush_prose();
                self.settle_heading(false);
                self.unused_heading = Some(self.lines.line_of(range.start));
                self.heading_text = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => {
                self.heading = self.heading_text.take().map(|t| collapse_whitespace(&t));
            }
            Event::Start(Tag::Table(_)) => {
                self.flush_prose();
                self.settle_heading(true);
                self.table_line = self.lines.line_of(range.start);
                self.header.clear();
            }
            Event::Start(Tag::TableHead) => self.in_head = true,
            Event::End(TagEnd::TableHead) => {
                self.in_head = false;
                let header = std::mem::take(&mut self.header);
                self.width = header.len();
                self.visitor
                    .table(self.heading.as_deref(), self.table_line, header);
            }
            Event::End(TagEnd::Table) => self.visitor.end_table(),
            Event::Start(Tag::TableRow) => {
                self.spare.append(&mut self.cells);
                self.row = Some(self.lines.line_of(range.start));
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(line) = self.row.take() {
                    self.visitor.row(LentRow {
                        line,
                        cells: &self.cells,
                        overflow: overflow_cells(&self.text[range], self.width),
                    });
                }
            }
            Event::Start(Tag::TableCell) => {
                self.in_cell = true;
                self.cell.clear();
            }
            Event::End(TagEnd::TableCell) => {
                self.in_cell = false;
                if self.in_head {
                    self.header.push(collapsed(&self.cell));
                } else if self.row.is_some() {
                    let mut content = self.spare.pop().unwrap_or_default();
                    collapse_into(&self.cell, &mut content);
                    self.cells.push(content);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if self.in_cell {
                    self.cell.push_str(&t);
                } else if let Some(h) = self.heading_text.as_mut() {
                    h.push_str(&t);
                } else {
                    self.gather(&t, range.start);
                }
            }
            // A block of HTML outside the tables is text no table reads.
            Event::Html(html) if !self.in_cell => self.gather(&html, range.start),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::HtmlBlock,
            ) => self.flush_prose(),
            Event::SoftBreak | Event::HardBreak if self.in_cell => self.cell.push(' '),
            Event::SoftBreak | Event::HardBreak if self.prose.is_some() => {
                self.gather(" ", range.start)
            }
            // `<br>` inside a cell is a line break; other inline markup carries no text.
            Event::InlineHtml(html) if self.in_cell && is_line_break(&html) => self.cell.push(' '),
            _ => {}
        }
    }
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

/// [`collapse_whitespace`] as a string of its own (none allocated for an
/// empty result).
fn collapsed(text: &str) -> String {
    let mut out = String::new();
    collapse_into(text, &mut out);
    out
}

/// [`collapse_whitespace`] of `text` into `out`, replacing what it held.
fn collapse_into(text: &str, out: &mut String) {
    out.clear();
    if !may_have_whitespace(text.as_bytes()) {
        out.push_str(text);
        return;
    }
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// False only for text without a whitespace character, looked for byte by
/// byte: ASCII controls and space, and the UTF-8 lead bytes of the other
/// Unicode whitespace (U+0085 and U+00A0 after 0xC2, U+1680 after 0xE1,
/// U+2000–U+205F after 0xE2, U+3000 as E3 80 80). Most cells have none, and
/// decoding every character to find out costs more than the copy.
fn may_have_whitespace(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| match b {
        0..=b' ' | 0xC2 | 0xE1 | 0xE2 => true,
        0xE3 => bytes.get(i + 1..i + 3) == Some(&[0x80, 0x80]),
        _ => false,
    })
}

/// Non-empty cells of a row's source text beyond `width` columns.
///
/// The table grammar silently drops them; splitting the source on unescaped
/// pipes is enough to notice that it did.
fn overflow_cells(source: &str, width: usize) -> Vec<String> {
    let line = source.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = line.strip_suffix('|').unwrap_or(line);
    // Most rows have no more pipes than cells: nothing to split.
    if memchr::memchr_iter(b'|', line.as_bytes()).count() < width {
        return Vec::new();
    }
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

    /// Collects what [`TableVisitor::unread`] reports, and the tables' headings.
    #[derive(Default)]
    struct Unreads {
        unread: Vec<(u32, Unread, String)>,
        headings: Vec<Option<String>>,
    }

    impl TableVisitor for Unreads {
        fn table(&mut self, heading: Option<&str>, _line: u32, _header: Vec<String>) {
            self.headings.push(heading.map(String::from));
        }
        fn row(&mut self, _row: LentRow<'_>) {}
        fn end_table(&mut self) {}
        fn unread(&mut self, line: u32, what: Unread, text: &str) {
            self.unread.push((line, what, text.to_string()));
        }
    }

    fn unreads(text: &str) -> Unreads {
        visit_tables(text, Slicing::default(), Unreads::default)
    }

    #[test]
    fn text_no_table_reads_is_reported_in_line_order() {
        let text = "# 标题\n\n说明，\n仅供参考。\n\n## 个人主体\n\n表前的话\n\n| a | b |\n|---|---|\n| x | y |\n\n\
                    - 列表一\n- 列表二\n\n<div>页脚</div>\n\n## 附录\n";
        let found = unreads(text);
        let reported: Vec<(u32, Unread, &str)> = found
            .unread
            .iter()
            .map(|(line, what, text)| (*line, *what, text.as_str()))
            .collect();
        assert_eq!(
            reported,
            [
                // The title heads no table: the next heading comes first.
                (1, Unread::Heading, "标题"),
                (3, Unread::Prose, "说明， 仅供参考。"),
                // A paragraph between a heading and its table: the heading
                // still heads the table, the paragraph is reported.
                (8, Unread::Prose, "表前的话"),
                (14, Unread::Prose, "列表一"),
                (15, Unread::Prose, "列表二"),
                (17, Unread::Prose, "<div>页脚</div>"),
                // The last heading, with nothing under it.
                (19, Unread::Heading, "附录"),
            ]
        );
        assert_eq!(found.headings, [Some("个人主体".to_string())]);
    }

    #[test]
    fn a_document_of_tables_only_reports_nothing() {
        let found = unreads("## 个人主体\n\n| a | b |\n|---|---|\n| x | y |\n");
        assert!(found.unread.is_empty(), "{:?}", found.unread);
    }

    #[test]
    fn reused_cell_buffers_keep_nothing_of_earlier_rows() {
        let text = "| a | b | c |\n|-|-|-|\n| 很长的一个单元格 | x y | z |\n| 短 |\n\n\
                    | d | e |\n|-|-|\n| p | q |\n";
        let tables = read_tables(text);
        assert_eq!(
            tables[0].rows[0].cells,
            vec!["很长的一个单元格", "x y", "z"]
        );
        assert_eq!(tables[0].rows[1].cells, vec!["短", "", ""]);
        assert_eq!(tables[1].rows[0].cells, vec!["p", "q"]);
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
    fn collapsing_matches_collapse_whitespace_for_every_whitespace() {
        let spaces = (0..=0x3000_u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace());
        for space in spaces {
            for text in [
                format!("甲{space}乙"),
                format!("{space}《许可证》{space}"),
                format!("a{space}{space}b"),
            ] {
                assert_eq!(collapsed(&text), collapse_whitespace(&text), "{text:?}");
                assert!(may_have_whitespace(text.as_bytes()), "{space:?}");
            }
        }
        for text in [
            "《增值电信业务经营许可证》",
            "快递业与邮政",
            "“引号”",
            "/",
            "",
        ] {
            assert_eq!(collapsed(text), collapse_whitespace(text));
        }
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
