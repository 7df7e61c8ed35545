//! `parser = "html-sections"`: a markdown page with one small key–value HTML
//! table ("requirement card") per category under its heading.
//!
//! * The path comes from the headings: `## 社交 - 直播` names level 1 and 2
//!   (split at the first `-`); `## 医疗` followed by `### 互联网医院` names
//!   them in two headings.
//! * A card's rows are `要求 | 说明` (the header), then keys mapped to fields:
//!   `小程序直播场景` → `scenario`, `类目适用范围` → `scope`, `资质要求` or
//!   `资质要求（N选1）` → `requirement` and `choose` = N. A key it does not
//!   know is reported with its line. `-` means none.
//! * A `>!` callout between a heading and its card is a note of that
//!   category; callouts before the first heading concern the whole page and
//!   become diagnostics of kind `note`, not notes of every record.
//! * Prose paragraphs are not records; each is reported as `skipped`, and so
//!   is an HTML block between cards that holds no table (`<div>重要说明…</div>`),
//!   and a card cell beyond key and value.
//! * An element the end of its HTML block closed is noted; a block that ends
//!   inside a comment or tag is reported as `skipped`.
//!
//! The record's line is the line of the card's `<table>`.

use crate::dom::ElementRef;
use crate::grid::{expand, TooManyRows};
use crate::locate::{parse_fragment, Located};
use crate::text::cell_text;
use leimu_model::{
    collapse_whitespace, CategoryPath, Choice, DiagnosticKind, DocumentInfo, ExtractedRecord,
    Extraction, LineIndex, ParseError, Provenance, RecordShape, SourceFields, Text,
};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Extracts one record per requirement card.
pub fn parse_sections(doc: &DocumentInfo, text: &str) -> Result<Extraction, ParseError> {
    parse_sections_in_pieces(doc, text, PIECE_BYTES)
}

/// The markdown parser reads a whole piece before its first event and holds
/// a node per line of it: pieces of about this size keep that small.
const PIECE_BYTES: usize = 256 * 1024;

/// [`parse_sections`], with the markdown read in pieces of at least
/// `piece_bytes` (where the page can be cut, see [`pieces`]); the result is
/// the same whatever the size, which the fuzz invariants check.
#[doc(hidden)]
pub fn parse_sections_in_pieces(
    doc: &DocumentInfo,
    text: &str,
    piece_bytes: usize,
) -> Result<Extraction, ParseError> {
    let (text, nul) = leimu_model::without_nul(doc, text);
    let mut out = read_page(doc, &text, piece_bytes)?;
    out.diagnostics.splice(0..0, nul);
    Ok(out)
}

/// Where the page can be cut so that each piece parses as it does within
/// the whole: before a line that opens an ATX heading at column 0 after a
/// blank line, where every block has ended (a paragraph or HTML block at the
/// blank line, a list or quote at the unindented heading). Not on a page with
/// something that reaches across such a cut: a fenced code block, an HTML
/// block that ends only at its closing marker (`<!--`, `<?`, `<!…`, `<pre`,
/// `<script`, `<style`, `<textarea`), or a link reference definition (`]:`),
/// which counts for the whole page. Pieces are `(offset, text)`, each at
/// least `piece_bytes` long but the last.
fn pieces(text: &str, piece_bytes: usize) -> Vec<(usize, &str)> {
    if reaches_across_cuts(text) {
        return vec![(0, text)];
    }
    let mut cuts = vec![0];
    let mut after_blank = false;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let piece_start = cuts.last().copied().unwrap_or(0);
        if after_blank && opens_atx_heading(line) && at - piece_start >= piece_bytes {
            cuts.push(at);
        }
        after_blank = line.trim_matches([' ', '\t', '\r', '\n']).is_empty();
        at += line.len();
    }
    cuts.push(text.len());
    cuts.windows(2).map(|w| (w[0], &text[w[0]..w[1]])).collect()
}

/// `#` to `######` at column 0, then a space, a tab or the end of the line.
fn opens_atx_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes)
        && matches!(
            line.as_bytes().get(hashes),
            None | Some(b' ' | b'\t' | b'\r' | b'\n')
        )
}

/// See [`pieces`].
fn reaches_across_cuts(text: &str) -> bool {
    const RAW_BLOCKS: &[&[u8]] = &[b"<!", b"<?", b"<pre", b"<script", b"<style", b"<textarea"];
    let fence = text.contains("```") || text.contains("~~~");
    let raw_block = text.match_indices('<').any(|(i, _)| {
        let rest = &text.as_bytes()[i..];
        RAW_BLOCKS
            .iter()
            .any(|m| rest.len() >= m.len() && rest[..m.len()].eq_ignore_ascii_case(m))
    });
    fence || raw_block || text.contains("]:")
}

fn read_page(doc: &DocumentInfo, text: &str, piece_bytes: usize) -> Result<Extraction, ParseError> {
    let lines = LineIndex::new(text);
    let mut page = Page {
        doc,
        out: Extraction {
            shape: RecordShape::Card,
            ..Extraction::default()
        },
        level1: None,
        level2: None,
        notes: Vec::new(),
    };
    let mut html: Option<(usize, String)> = None; // start offset, text
    let mut capture: Option<Capture> = None;

    let events = pieces(text, piece_bytes)
        .into_iter()
        .flat_map(|(offset, piece)| {
            Parser::new_ext(piece, Options::empty())
                .into_offset_iter()
                .map(move |(event, range)| (event, range.start + offset..range.end + offset))
        });
    for (event, range) in events {
        if let Event::Html(chunk) = &event {
            html.get_or_insert_with(|| (range.start, String::new()))
                .1
                .push_str(chunk);
            continue;
        }
        if let Some((start, chunk)) = html.take() {
            page.read_html(&chunk, lines.line_of(start))?;
        }
        match event {
            Event::Start(Tag::Heading { .. })
            | Event::Start(Tag::BlockQuote(_))
            | Event::Start(Tag::Paragraph)
                if capture.is_none() =>
            {
                capture = Some(Capture::new(&event, lines.line_of(range.start)));
            }
            Event::End(end) => {
                let closes = capture.as_ref().is_some_and(|c| c.closed_by(&end));
                if let Some(c) = capture.as_mut() {
                    c.end_of(&end);
                }
                if closes {
                    if let Some(c) = capture.take() {
                        page.finish(c);
                    }
                }
            }
            Event::Start(Tag::Item) => {
                if let Some(c) = capture.as_mut() {
                    c.start_item();
                }
            }
            Event::Start(Tag::List(first)) => {
                if let Some(c) = capture.as_mut() {
                    c.lists.push(first);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = capture.as_mut() {
                    c.text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(c) = capture.as_mut() {
                    c.text.push(' ');
                }
            }
            _ => {}
        }
    }
    if let Some((start, chunk)) = html.take() {
        page.read_html(&chunk, lines.line_of(start))?;
    }
    if page.out.records.is_empty() {
        return Err(ParseError {
            file: doc.file.clone(),
            line: 0,
            message: "no requirement card (a table with rows 要求/说明, 资质要求 …) found".into(),
        });
    }
    Ok(page.out)
}

/// What is being read: a heading, a callout or a paragraph.
struct Capture {
    kind: CaptureKind,
    line: u32,
    text: String,
    lines: Vec<String>,
    lists: Vec<Option<u64>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CaptureKind {
    Heading(HeadingLevel),
    Callout,
    Paragraph,
}

impl Capture {
    fn new(event: &Event, line: u32) -> Capture {
        let kind = match event {
            Event::Start(Tag::Heading { level, .. }) => CaptureKind::Heading(*level),
            Event::Start(Tag::BlockQuote(_)) => CaptureKind::Callout,
            _ => CaptureKind::Paragraph,
        };
        Capture {
            kind,
            line,
            text: String::new(),
            lines: Vec::new(),
            lists: Vec::new(),
        }
    }

    /// Starts a list item: the text so far is a line, the item gets its number.
    fn start_item(&mut self) {
        self.flush_line();
        if let Some(Some(n)) = self.lists.last_mut() {
            self.text = format!("{n}. ");
            *n += 1;
        }
    }

    fn flush_line(&mut self) {
        let line = collapse_whitespace(&self.text);
        if !line.is_empty() {
            self.lines.push(line);
        }
        self.text.clear();
    }

    fn end_of(&mut self, end: &TagEnd) {
        match end {
            TagEnd::Paragraph | TagEnd::Item => self.flush_line(),
            TagEnd::List(_) => {
                self.lists.pop();
            }
            _ => {}
        }
    }

    fn closed_by(&self, end: &TagEnd) -> bool {
        match (self.kind, end) {
            (CaptureKind::Heading(level), TagEnd::Heading(l)) => level == *l,
            (CaptureKind::Callout, TagEnd::BlockQuote(_)) => true,
            (CaptureKind::Paragraph, TagEnd::Paragraph) => true,
            _ => false,
        }
    }

    fn into_lines(mut self) -> Vec<String> {
        self.flush_line();
        self.lines
    }
}

struct Page<'a> {
    doc: &'a DocumentInfo,
    out: Extraction,
    /// Shared by the cards under the heading.
    level1: Option<Text>,
    level2: Option<Text>,
    /// Callouts since the last heading, waiting for their card.
    notes: Vec<String>,
}

impl Page<'_> {
    fn finish(&mut self, capture: Capture) {
        let line = capture.line;
        let kind = capture.kind;
        let mut lines = capture.into_lines();
        match kind {
            CaptureKind::Heading(level) => {
                let text = lines.join(" ");
                self.notes.clear();
                if level <= HeadingLevel::H2 {
                    match text.split_once('-') {
                        Some((l1, l2)) => {
                            self.level1 = Some(collapse_whitespace(l1).into());
                            self.level2 = Some(collapse_whitespace(l2).into());
                        }
                        None => {
                            self.level1 = Some(text.into());
                            self.level2 = None;
                        }
                    }
                } else {
                    self.level2 = Some(text.into());
                }
            }
            CaptureKind::Callout => {
                // `>!` marks a callout: the `!` opens its first line.
                if let Some(first) = lines.first_mut() {
                    *first = first.trim_start_matches('!').trim().to_string();
                }
                lines.retain(|l| !l.is_empty());
                let text = lines.join("\n");
                if text.is_empty() {
                    return;
                }
                if self.level1.is_none() {
                    self.out.diagnostics.push(self.doc.diagnostic(
                        line,
                        DiagnosticKind::Note,
                        format!("note for the whole page: {}", text.replace('\n', " / ")),
                    ));
                } else {
                    self.notes.push(text);
                }
            }
            CaptureKind::Paragraph => {
                let text = lines.join(" ");
                self.out.diagnostics.push(self.doc.diagnostic(
                    line,
                    DiagnosticKind::Skipped,
                    format!("prose, not part of a card: {}", shorten(&text)),
                ));
            }
        }
    }

    /// Reads one HTML block: its tables are cards; anything else with text
    /// is reported, as prose is.
    fn read_html(&mut self, chunk: &str, first_line: u32) -> Result<(), ParseError> {
        let located = parse_fragment(chunk);
        let at = |element: ElementRef| first_line + element.line().max(1) - 1;
        if let Some(line) = located.too_deep {
            return Err(self.doc.too_deep(first_line + line.max(1) - 1));
        }
        self.report_unclosed(&located, first_line, &at);
        let Some(root) = located.dom.root_element() else {
            return Ok(());
        };
        for node in root.node().children() {
            let Some(element) = node.as_element() else {
                if let Some(text) = node.as_text() {
                    self.not_a_card(first_line, text);
                }
                continue;
            };
            let tables: Vec<ElementRef> = element
                .descendant_elements()
                .filter(|e| e.name() == "table")
                .collect();
            if tables.is_empty() {
                self.not_a_card(at(element), &cell_text(element));
            }
            for table in tables {
                self.read_card(table, at(table), &at)?;
            }
        }
        Ok(())
    }

    /// Reports text of an HTML block that is in no card.
    fn not_a_card(&mut self, line: u32, text: &str) {
        let text = collapse_whitespace(text);
        if !text.is_empty() {
            self.out.diagnostics.push(self.doc.diagnostic(
                line,
                DiagnosticKind::Skipped,
                format!("HTML between cards, not part of a card: {}", shorten(&text)),
            ));
        }
    }

    /// Reports what the end of an HTML block closed: an element left open
    /// takes in the rest of the block, a comment or tag left open hides it.
    fn report_unclosed(
        &mut self,
        located: &Located,
        first_line: u32,
        at: &dyn Fn(ElementRef) -> u32,
    ) {
        for unclosed in &located.unclosed {
            let line = located
                .dom
                .get(unclosed.id)
                .as_element()
                .map_or(first_line, at);
            self.out.diagnostics.push(self.doc.diagnostic(
                line,
                DiagnosticKind::Note,
                format!(
                    "`<{}>` is never closed: the rest of the HTML block is read inside it",
                    unclosed.name
                ),
            ));
        }
        // The tokenizer's complaint (`Saw EOF in state Comment`), not the tree
        // builder's about the elements above.
        if let Some(error) = located.errors_at_end.iter().find(|e| e.contains("EOF")) {
            self.out.diagnostics.push(self.doc.diagnostic(
                first_line,
                DiagnosticKind::Skipped,
                format!("HTML block ends inside a comment or tag ({error}): its end is not read"),
            ));
        }
    }

    fn read_card(
        &mut self,
        table: ElementRef,
        line: u32,
        at: &dyn Fn(ElementRef) -> u32,
    ) -> Result<(), ParseError> {
        let grid = expand(table).map_err(|TooManyRows(rows)| self.doc.too_many_rows(line, rows))?;
        let Some(level1) = self.level1.clone() else {
            self.out.diagnostics.push(self.doc.diagnostic(
                line,
                DiagnosticKind::Skipped,
                "table before any category heading",
            ));
            return Ok(());
        };
        let mut record = ExtractedRecord {
            provenance: Provenance {
                source: self.doc.source.clone(),
                line,
            },
            subject: self.doc.default_subject,
            path: CategoryPath {
                level1,
                level2: self.level2.clone().unwrap_or_default(),
                level3: Text::default(),
            },
            requirement: Text::default(),
            scope: Text::default(),
            notes: std::mem::take(&mut self.notes).join("\n").into(),
            fields: SourceFields::Card(Box::default()),
            requirement_tree: None,
            inherited: Box::default(),
        };
        for (r, key_value) in grid.texts_at(&[0, 1]).rows().enumerate() {
            let key = collapse_whitespace(key_value[0]);
            let value = key_value[1];
            let value = if value.trim() == "-" || leimu_model::is_none_marker(value) {
                ""
            } else {
                value
            };
            match Field::of(&key) {
                Some(Field::Header) => {}
                Some(Field::Scenario) => {
                    if let SourceFields::Card(card) = &mut record.fields {
                        card.scenario = value.into();
                    }
                }
                Some(Field::Scope) => record.scope = value.into(),
                Some(Field::Requirement { choose }) => {
                    record.requirement = value.into();
                    if let SourceFields::Card(card) = &mut record.fields {
                        card.choose = choose;
                    }
                }
                None if key.is_empty() && value.is_empty() => {}
                None => self.out.diagnostics.push(self.doc.diagnostic(
                    at(grid.rows[r]),
                    DiagnosticKind::Skipped,
                    format!("card row with unknown key `{key}`: {}", shorten(value)),
                )),
            }
        }
        for (row, texts) in grid.cells_outside(&[0, 1], 0) {
            let texts: Vec<String> = texts.iter().map(|t| shorten(t)).collect();
            self.out.diagnostics.push(self.doc.diagnostic(
                at(grid.rows[row]),
                DiagnosticKind::Skipped,
                format!(
                    "card cells beyond key and value are not read: {}",
                    texts.join(" | ")
                ),
            ));
        }
        self.out.records.push(record);
        Ok(())
    }
}

/// The meaning of a card row, from its key.
enum Field {
    Header,
    Scenario,
    Scope,
    Requirement { choose: Option<Choice> },
}

impl Field {
    fn of(key: &str) -> Option<Field> {
        let compact: String = key.chars().filter(|c| !c.is_whitespace()).collect();
        let (name, qualifier) = match compact.find(['（', '(']) {
            Some(i) => (
                &compact[..i],
                compact[i..].trim_matches(['（', '(', '）', ')']),
            ),
            None => (compact.as_str(), ""),
        };
        match name {
            "要求" => Some(Field::Header),
            "小程序直播场景" => Some(Field::Scenario),
            "类目适用范围" => Some(Field::Scope),
            "资质要求" => Some(Field::Requirement {
                // `N选1`: one of N.
                choose: qualifier.split_once('选').and_then(|(of, pick)| {
                    Some(Choice {
                        pick: pick.parse().ok()?,
                        of: of.parse().ok()?,
                    })
                }),
            }),
            _ => None,
        }
    }
}

fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    let text = text.replace('\n', " ");
    if text.chars().count() > MAX {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leimu_model::Subject;

    const PAGE: &str = "\
>! 
>
>- 全页说明一
>- 全页说明二

## 社交 - 直播

可使用直播。

>!  
>
>1. 第一条
>2. 第二条

<table>
 <tr><th>要求</th><th>说明</th></tr>
 <tr><th>小程序直播场景</th><td>娱乐</td></tr>
 <tr><th>类目适用范围</th><td>适用于直播</td></tr>
 <tr><th >资质要求（2选1）</th><td><a href=\"#\">
  1.《甲》 <br>
  2.《乙》（含丙）</a></td></tr>
 <tr><th>价格</th><td>免费</td></tr>
</table>

## 医疗

### 互联网医院

>! 只有一条。

<table>
 <tr><th>要求</th><th>说明</th></tr>
 <tr><th>资质要求(3选1)</th><td>《丁》</td></tr>
</table>

### 公立医疗机构

<table>
 <tr><th>要求</th><th>说明</th></tr>
 <tr><th>资质要求</th><td>
-
 </td></tr>
</table>
";

    fn parse() -> Extraction {
        let doc = DocumentInfo {
            source: "page".into(),
            file: "page.md".into(),
            default_subject: Some(Subject::Enterprise),
        };
        parse_sections(&doc, PAGE).unwrap()
    }

    #[test]
    fn headings_give_the_path() {
        let out = parse();
        let paths: Vec<String> = out.records.iter().map(|r| r.path.to_string()).collect();
        assert_eq!(
            paths,
            ["社交 › 直播", "医疗 › 互联网医院", "医疗 › 公立医疗机构"]
        );
        assert!(out
            .records
            .iter()
            .all(|r| r.subject == Some(Subject::Enterprise)));
    }

    #[test]
    fn card_rows_map_to_fields() {
        let out = parse();
        let card = &out.records[0];
        assert_eq!(card.provenance.line, 15, "the line of <table>");
        assert_eq!(card.requirement, "1.《甲》\n2.《乙》（含丙）");
        assert_eq!(card.scope, "适用于直播");
        let card_fields = |i: usize| out.records[i].fields.clone();
        let one_of = |of| Some(Choice { pick: 1, of });
        assert_eq!(
            card_fields(0),
            SourceFields::Card(Box::new(leimu_model::Card {
                scenario: "娱乐".into(),
                choose: one_of(2)
            }))
        );
        assert!(
            matches!(card_fields(1), SourceFields::Card(card) if card.choose == one_of(3)),
            "ASCII brackets too"
        );
        assert_eq!(out.records[2].requirement, "", "`-` is none");
        assert!(matches!(
            card_fields(2),
            SourceFields::Card(card) if card.choose.is_none()
        ));
    }

    #[test]
    fn callouts_are_notes_of_their_category_or_of_the_page() {
        let out = parse();
        assert_eq!(out.records[0].notes, "1. 第一条\n2. 第二条");
        assert_eq!(out.records[1].notes, "只有一条。");
        assert_eq!(
            out.records[2].notes, "",
            "a callout belongs to the next card only"
        );
        let page_note = out
            .diagnostics
            .iter()
            .find(|d| d.kind == DiagnosticKind::Note)
            .unwrap();
        assert_eq!(page_note.line, 1);
        assert!(page_note.message.contains("全页说明一 / 全页说明二"));
    }

    #[test]
    fn unknown_keys_and_prose_are_reported_with_lines() {
        let out = parse();
        let skipped: Vec<(u32, &str)> = out
            .diagnostics
            .iter()
            .filter(|d| d.kind == DiagnosticKind::Skipped)
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert_eq!(skipped[0].0, 8);
        assert!(skipped[0].1.contains("可使用直播"));
        assert_eq!(skipped[1].0, 22, "the line of the row");
        assert!(skipped[1].1.contains("`价格`"));
    }

    #[test]
    fn a_page_without_cards_is_an_error() {
        let doc = DocumentInfo {
            source: "x".into(),
            file: "x.md".into(),
            default_subject: None,
        };
        let err = parse_sections(&doc, "## 社交\n\n文字\n").unwrap_err();
        assert!(
            err.to_string().starts_with("x.md:0: no requirement card"),
            "{err}"
        );
    }

    fn parse_page(page: &str) -> Extraction {
        let doc = DocumentInfo {
            source: "page".into(),
            file: "page.md".into(),
            default_subject: None,
        };
        parse_sections(&doc, page).unwrap()
    }

    const CARD: &str = "<table>\n <tr><th>要求</th><th>说明</th></tr>\n <tr><th>资质要求</th><td>《甲》</td></tr>\n</table>\n";

    #[test]
    fn html_between_cards_is_reported_as_prose_is() {
        let page = format!(
            "## 社交 - 直播\n\n{CARD}\n<div>重要说明：<b>以上</b>资质须在有效期内</div>\n\n## 工具\n\n{CARD}"
        );
        let out = parse_page(&page);
        assert_eq!(out.records.len(), 2);
        let skipped: Vec<(u32, &str)> = out
            .diagnostics
            .iter()
            .filter(|d| d.kind == DiagnosticKind::Skipped)
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(
            skipped,
            [(
                8,
                "HTML between cards, not part of a card: 重要说明：以上资质须在有效期内"
            )]
        );
    }

    #[test]
    fn unclosed_elements_and_comments_in_a_card_are_reported() {
        let page = "## 社交 - 直播\n\n<table>\n <tr><th>要求</th><th>说明</th></tr>\n \
             <tr><th>资质要求</th><td><textarea>《甲》</td></tr>\n</table>\n\n## 工具\n\n\
             <table><!-- 未闭合的注释\n <tr><th>资质要求</th><td>《乙》</td></tr></table>\n";
        let out = parse_page(page);
        let found: Vec<(u32, DiagnosticKind, &str)> = out
            .diagnostics
            .iter()
            .map(|d| (d.line, d.kind, d.message.as_str()))
            .collect();
        assert!(
            found.iter().any(|(l, k, m)| *l == 5
                && *k == DiagnosticKind::Note
                && m.contains("`<textarea>`")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|(l, k, m)| *l == 10
                && *k == DiagnosticKind::Skipped
                && m.contains("comment")),
            "{found:?}"
        );
    }

    #[test]
    fn card_cells_beyond_key_and_value_are_reported() {
        let page = "## 工具\n\n<table>\n<tr><th>要求</th><th>说明</th></tr>\n\
                    <tr><th>资质要求</th><td>《甲》</td><td>《乙》</td></tr>\n</table>\n";
        let out = parse_page(page);
        assert_eq!(out.records[0].requirement, "《甲》");
        let lost: Vec<(u32, &str)> = out
            .diagnostics
            .iter()
            .filter(|d| d.kind.loses_content())
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(
            lost,
            [(5, "card cells beyond key and value are not read: 《乙》")]
        );
    }

    fn whole_and_in_pieces(page: &str) -> (Extraction, Extraction) {
        let doc = DocumentInfo {
            source: "page".into(),
            file: "page.md".into(),
            default_subject: None,
        };
        (
            parse_sections_in_pieces(&doc, page, usize::MAX).unwrap(),
            parse_sections_in_pieces(&doc, page, 0).unwrap(),
        )
    }

    #[test]
    fn the_page_is_read_the_same_whole_or_in_pieces() {
        let real = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../raw/live-streaming.md"
        ))
        .unwrap();
        for page in [PAGE.to_string(), real.clone(), real.repeat(3)] {
            assert!(pieces(&page, 0).len() > 2);
            let (whole, in_pieces) = whole_and_in_pieces(&page);
            assert_eq!(whole, in_pieces);
        }
    }

    #[test]
    fn pages_are_cut_only_where_every_block_has_ended() {
        let cuts =
            |page: &str| -> Vec<usize> { pieces(page, 0).iter().map(|(at, _)| *at).collect() };
        // A heading right after a paragraph line, `#x` and an indented `#`
        // are no cuts; a blank line then `## ` is.
        assert_eq!(cuts("a\n## b\n\n#x\n\n    # c\n\n## d\n"), [0, 21]);
        // Something that can reach across a blank line and a heading: no cut.
        for page in [
            "## a\n\n```\n\n## b\n```\n",
            "## a\n\n<!--\n\n## b\n-->\n",
            "## a\n\n<PRE>\n\n## b\n</PRE>\n",
            "## a\n\n[x]\n\n## b\n\n[x]: /u\n",
        ] {
            assert_eq!(cuts(page), [0], "{page:?}");
            let (whole, in_pieces) = whole_and_in_pieces(&format!("{page}\n## c\n\n{CARD}"));
            assert_eq!(whole, in_pieces);
        }
    }
}
