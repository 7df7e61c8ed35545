//! Parsing with source lines: one html5ever pass that builds a lean tree
//! ([`crate::dom`]) and records, for every element, the line of the token
//! that created it.
//!
//! The tree builder tells its sink the current line before each token
//! ([`TreeSink::set_current_line`]), so an element gets the line of its own
//! start tag, matched by position rather than by counting tags. An element
//! the tree builder implies (a `tbody` around rows, a `tr` around a stray
//! cell) gets the line of the tag that implied it.
//!
//! The same pass notes what the end of the input closed: elements still open
//! there (an unclosed `<table>` takes everything after it in; an unclosed
//! `<textarea>` turns the rest into text) and the tokenizer's complaints about
//! an input that ends inside a comment or a tag.
//!
//! [`parse_document_by_rows`] also gives the rows of tables to a reader as
//! the parse closes them and prunes them from the tree (its docs state when
//! a row is final and what stays).

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::collections::HashMap;

use html5ever::driver::{self, ParseOpts};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{local_name, ns, Attribute, QualName};
use leimu_model::MAX_NESTING_DEPTH;

use crate::dom::{Dom, Edge, ElementRef, NodeId, NodeRef, Prune, HEADINGS};
use crate::grid::table_row_keys;

/// A parsed document or fragment; its elements know their lines.
pub struct Located {
    pub dom: Dom,
    /// Elements the end of the input closed, outermost first; only those
    /// whose end tag matters (not `p`, `li`, `td`, … whose end tags are
    /// optional).
    pub unclosed: Vec<Unclosed>,
    /// Parse errors raised at the end of the input (inside a comment, a tag…).
    pub errors_at_end: Vec<String>,
    /// Line of the first element nested deeper than [`MAX_NESTING_DEPTH`].
    pub too_deep: Option<u32>,
    /// The rows could not be given as they came ([`parse_document_by_rows`]).
    gave_up: bool,
}

/// An element that the end of the input closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclosed {
    pub id: NodeId,
    pub name: String,
    /// Line of its start tag.
    pub line: u32,
}

/// Parses a whole HTML document.
pub fn parse_document(text: &str) -> Located {
    run(
        driver::parse_document(LineSink::for_input(text.len()), ParseOpts::default()),
        text,
    )
}

/// Parses a fragment of HTML as the content of a `body`.
pub fn parse_fragment(text: &str) -> Located {
    let body = QualName::new(None, ns!(html), local_name!("body"));
    run(
        driver::parse_fragment(
            LineSink::new(),
            ParseOpts::default(),
            body,
            Vec::new(),
            false,
        ),
        text,
    )
}

fn run(parser: driver::Parser<LineSink<'_>>, text: &str) -> Located {
    run_in_pieces(parser, text, PIECE)
}

/// Takes the rows of tables as the parse completes them.
pub trait RowReader {
    /// Row `tr` of `table`, complete, in row group `group` (as
    /// [`table_row_keys`] numbers them). Each table's rows come in order.
    fn row(&mut self, table: ElementRef<'_>, group: u64, tr: ElementRef<'_>);
}

/// Parses a whole HTML document as [`parse_document`] does, giving
/// `reader` the rows of tables as they are complete and then removing them
/// from the tree, so that a long table never has its rows in the tree at
/// once.
///
/// A row is complete when the tree builder appends an element to its row
/// group or its table: the rows of that group (or table) are then closed,
/// their cells too (which clears the formatting elements opened in them),
/// and the tree builder holds no node of them any more, so the row is
/// final. The last row of each table stays in the tree, and so do the rows
/// of tables inside another table (the outer cell's text is theirs too:
/// they are given to `reader` with the outer row) or inside a heading
/// (its text is theirs). What a removed row holds that the readers of the
/// tree still need stays where it was ([`Dom::prune`]): headings, and
/// tables, whose rows `reader` has had.
///
/// `reader` gets only some rows; the rest are in the returned tree, after
/// those it got (each table's first rows are the ones given). `None` when
/// the tree cannot be read this way: a row directly in a table (the tree
/// builder never makes one), a row so deep that the depth limit could
/// concern it, or a tree too large to index; the caller then reads
/// [`parse_document`]'s tree instead.
pub fn parse_document_by_rows(text: &str, reader: &mut dyn RowReader) -> Option<Located> {
    let mut sink = LineSink::new();
    sink.rows = Some(RefCell::new(Rows {
        reader,
        tables: HashMap::new(),
        gave_up: false,
        plan: Prune::default(),
    }));
    let parser = driver::parse_document(sink, ParseOpts::default());
    let located = run_in_pieces(parser, text, PIECE);
    (!located.gave_up && !located.dom.overflowed()).then_some(located)
}

/// The rows given to a [`RowReader`] during the parse.
struct Rows<'r> {
    reader: &'r mut dyn RowReader,
    /// Where each table whose rows were asked about is.
    tables: HashMap<NodeId, Place>,
    gave_up: bool,
    /// Reused for every row.
    plan: Prune,
}

#[derive(Debug, Clone, Copy)]
struct Place {
    /// Inside another table or a heading: its rows stay in the tree.
    kept: bool,
    /// Levels of elements down to the table, itself counted.
    depth: usize,
}

impl Rows<'_> {
    /// Before the tree builder appends an element to `parent`: gives the
    /// rows this closes to the reader.
    fn before_append(&mut self, dom: &mut Dom, parent: NodeId) {
        let Some(element) = dom.get(parent).as_element() else {
            return;
        };
        let last = last_element(element.node());
        let tr = match (element.name(), last) {
            ("tbody" | "thead" | "tfoot", Some(last)) if last.name() == "tr" => last.id(),
            ("table", Some(last)) if last.name() == "tr" => last.id(),
            ("table", Some(last)) if matches!(last.name(), "tbody" | "thead" | "tfoot") => {
                match last_element(last.node()) {
                    Some(tr) if tr.name() == "tr" => tr.id(),
                    _ => return,
                }
            }
            _ => return,
        };
        self.consume(dom, tr);
    }

    fn consume(&mut self, dom: &mut Dom, tr: NodeId) {
        if self.gave_up {
            return;
        }
        let Some(group) = dom.get(tr).parent().and_then(NodeRef::as_element) else {
            return;
        };
        let (table, key) = match group.name() {
            "tbody" | "thead" | "tfoot" => {
                match group.node().parent().and_then(NodeRef::as_element) {
                    Some(table) if table.name() == "table" => (table, group.id().key()),
                    _ => return,
                }
            }
            "table" => {
                self.gave_up = true;
                return;
            }
            _ => return,
        };
        let place = *self
            .tables
            .entry(table.id())
            .or_insert_with(|| place_of(table));
        if place.kept {
            return;
        }
        let mut plan = std::mem::take(&mut self.plan);
        dom.prune_plan(tr, &mut plan);
        if place.depth + 1 + plan.depth > MAX_NESTING_DEPTH / 2 {
            // Later moves of the tree builder could bring it to the limit.
            self.gave_up = true;
            return;
        }
        if let Some(row) = dom.get(tr).as_element() {
            self.reader.row(table, key, row);
        }
        for &kept in &plan.kept {
            let Some(inner) = dom.get(kept).as_element().filter(|e| e.name() == "table") else {
                continue;
            };
            for (row, key) in table_row_keys(inner) {
                self.reader.row(inner, key, row);
            }
        }
        dom.prune(&mut plan);
        self.plan = plan;
    }
}

/// The last element child of `node`.
fn last_element(node: NodeRef<'_>) -> Option<ElementRef<'_>> {
    std::iter::successors(node.last_child(), |n| n.prev_sibling()).find_map(NodeRef::as_element)
}

fn place_of(table: ElementRef<'_>) -> Place {
    let mut place = Place {
        kept: false,
        depth: 1,
    };
    let ancestors = std::iter::successors(table.node().parent(), |n| n.parent());
    for element in ancestors.filter_map(NodeRef::as_element) {
        place.depth += 1;
        place.kept |= element.name() == "table" || HEADINGS.contains(&element.name());
    }
    place
}

/// Bytes of input given to the tokenizer at a time: the tree copies what it
/// keeps, so only one piece of the input is ever copied at once.
const PIECE: usize = 64 * 1024;

/// Feeds `text` in pieces of about `piece` bytes (cut at character
/// boundaries); the tokenizer reads a stream, so the pieces change nothing.
fn run_in_pieces(mut parser: driver::Parser<LineSink<'_>>, text: &str, piece: usize) -> Located {
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = piece.clamp(1, rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (head, tail) = rest.split_at(end);
        parser.process(StrTendril::from_slice(head));
        rest = tail;
    }
    parser.tokenizer.sink.sink.at_end.set(true);
    let mut located = parser.finish();
    located.too_deep = first_too_deep(&located.dom);
    located
}

/// The line of the first element deeper than [`MAX_NESTING_DEPTH`], walking
/// the tree without recursion. A tree too large to index counts as too deep.
fn first_too_deep(dom: &Dom) -> Option<u32> {
    if dom.overflowed() {
        return Some(0);
    }
    let root = dom.root_element()?;
    let mut depth = 0usize;
    for edge in root.node().traverse() {
        match edge {
            Edge::Open(node) => {
                if let Some(element) = node.as_element() {
                    depth += 1;
                    if depth > MAX_NESTING_DEPTH {
                        return Some(element.line());
                    }
                }
            }
            Edge::Close(node) if node.as_element().is_some() => depth = depth.saturating_sub(1),
            Edge::Close(_) => {}
        }
    }
    None
}

/// End tags that may be left out: the end of the input closing these loses nothing.
const OPTIONAL_END: &[&str] = &[
    "html", "head", "body", "p", "li", "dd", "dt", "option", "optgroup", "rb", "rp", "rt", "rtc",
    "tbody", "thead", "tfoot", "tr", "td", "th", "colgroup", "caption",
];

/// Builds a [`Dom`], giving each element the current line, and notes what
/// the end of the input closed.
struct LineSink<'r> {
    dom: RefCell<Dom>,
    rows: Option<RefCell<Rows<'r>>>,
    line: Cell<u32>,
    at_end: Cell<bool>,
    unclosed: RefCell<Vec<Unclosed>>,
    errors_at_end: RefCell<Vec<String>>,
}

impl LineSink<'_> {
    fn new() -> Self {
        LineSink::for_input(0)
    }

    /// A sink for a document of `bytes` bytes (see [`Dom::for_input`]).
    fn for_input(bytes: usize) -> Self {
        LineSink {
            dom: RefCell::new(Dom::for_input(bytes)),
            rows: None,
            line: Cell::new(1),
            at_end: Cell::new(false),
            unclosed: RefCell::new(Vec::new()),
            errors_at_end: RefCell::new(Vec::new()),
        }
    }
}

impl TreeSink for LineSink<'_> {
    type Output = Located;
    type Handle = NodeId;
    type ElemName<'a>
        = Ref<'a, QualName>
    where
        Self: 'a;

    fn finish(self) -> Located {
        let mut unclosed = self.unclosed.into_inner();
        unclosed.reverse(); // popped innermost first
        Located {
            dom: self.dom.into_inner(),
            unclosed,
            errors_at_end: self.errors_at_end.into_inner(),
            too_deep: None,
            gave_up: self.rows.is_some_and(|rows| rows.into_inner().gave_up),
        }
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        if self.at_end.get() {
            self.errors_at_end.borrow_mut().push(msg.into_owned());
        }
    }

    fn set_current_line(&self, line_number: u64) {
        self.line
            .set(u32::try_from(line_number).unwrap_or(u32::MAX));
    }

    fn pop(&self, node: &NodeId) {
        if !self.at_end.get() {
            return;
        }
        let dom = self.dom.borrow();
        let Some(element) = dom.element(*node) else {
            return;
        };
        let name: &str = &element.name.local;
        if !OPTIONAL_END.contains(&name) {
            self.unclosed.borrow_mut().push(Unclosed {
                id: *node,
                name: name.to_string(),
                line: element.line,
            });
        }
    }

    fn get_document(&self) -> NodeId {
        NodeId::ROOT
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        Ref::map(self.dom.borrow(), |dom| dom.name(*target))
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> NodeId {
        self.dom
            .borrow_mut()
            .create_element(name, &attrs, self.line.get())
    }

    fn create_comment(&self, _: StrTendril) -> NodeId {
        self.dom.borrow_mut().create_other()
    }

    fn create_pi(&self, _: StrTendril, _: StrTendril) -> NodeId {
        self.dom.borrow_mut().create_other()
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let mut dom = self.dom.borrow_mut();
        if let (Some(rows), NodeOrText::AppendNode(_)) = (&self.rows, &child) {
            rows.borrow_mut().before_append(&mut dom, *parent);
        }
        match child {
            NodeOrText::AppendNode(node) => dom.append(*parent, node),
            NodeOrText::AppendText(text) => dom.append_text(*parent, &text),
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let has_parent = self.dom.borrow().has_parent(*element);
        if has_parent {
            self.append_before_sibling(element, child)
        } else {
            self.append(prev_element, child)
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {
        let mut dom = self.dom.borrow_mut();
        let doctype = dom.create_other();
        dom.append(NodeId::ROOT, doctype);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.dom.borrow().first_child(*target).unwrap_or(*target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let mut dom = self.dom.borrow_mut();
        match new_node {
            NodeOrText::AppendNode(node) => dom.insert_before(*sibling, node),
            NodeOrText::AppendText(text) => dom.insert_text_before(*sibling, &text),
        }
    }

    fn add_attrs_if_missing(&self, _: &NodeId, _: Vec<Attribute>) {
        // Only `html` and `body` get attributes this way; none is read.
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.dom.borrow_mut().detach(*target)
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.dom.borrow_mut().reparent_children(*node, *new_parent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row_lines(text: &str) -> Vec<u32> {
        let located = parse_document(text);
        located
            .dom
            .root()
            .descendants()
            .filter_map(|n| n.as_element())
            .filter(|e| e.name() == "tr")
            .map(|tr| tr.line())
            .collect()
    }

    #[test]
    fn rows_get_their_own_lines_with_implied_tbody_comments_and_whitespace() {
        let page = "<table>\n<!-- <tr> in a comment -->\n  <tr><td>a</td></tr>\n\n\
                    <tr>\n<td>b</td></tr>\n<!--\n<tr>\n-->\n<tr><td>c</td></tr></table>\n";
        assert_eq!(row_lines(page), [3, 5, 10]);
    }

    #[test]
    fn a_row_the_tree_builder_implies_gets_the_line_of_its_cell() {
        // The stray <td> gets a tr of its own; the rows after keep theirs.
        let page = "<table>\n<td>x</td>\n<tr><td>a</td></tr>\n<tr><td>b</td></tr>\n</table>";
        assert_eq!(row_lines(page), [2, 3, 4]);
    }

    #[test]
    fn what_the_end_of_the_input_closes_is_known() {
        let closed = parse_document("<table><tr><td>a</td></tr></table><div>x</div>");
        assert!(closed.unclosed.is_empty(), "{:?}", closed.unclosed);
        let open = parse_document("<p>x\n<table><tr><td>a\n<div>footer");
        let names: Vec<&str> = open.unclosed.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["table", "div"]);
        assert_eq!(open.unclosed[0].line, 2);
        let comment = parse_fragment("<table><tr><td>a</td></tr></table><!-- open");
        assert!(!comment.errors_at_end.is_empty());
    }

    /// Every node of a parse in document order: element names with their
    /// lines, texts with runs of whitespace as one space (as every reader
    /// takes them: how the tokenizer cut the text decides whether a run is
    /// kept or already one space), and what the end of the input closed.
    fn outline(located: &Located) -> Vec<String> {
        let collapse = |text: &str| {
            let mut out = String::new();
            for (i, word) in text.split(char::is_whitespace).enumerate() {
                if i > 0 && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push_str(word);
            }
            out
        };
        let mut nodes: Vec<String> = located
            .dom
            .root()
            .descendants()
            .map(|n| match (n.as_element(), n.as_text()) {
                (Some(e), _) => format!("<{}> {}", e.name(), e.line()),
                (None, Some(text)) => format!("{:?}", collapse(text)),
                (None, None) => "other".to_string(),
            })
            .collect();
        nodes.extend(located.unclosed.iter().map(|u| format!("open {u:?}")));
        nodes.extend(located.errors_at_end.iter().cloned());
        nodes
    }

    #[test]
    fn feeding_the_input_in_pieces_changes_nothing() {
        // Pieces cut inside tags, entities, CR LF pairs, multi-byte
        // characters, comments, and text that foster parenting moves.
        let page = "<h2>个人&amp;主体\r\n</h2>\r\n<table>x<tr><td rowspan=2>a&#x300A;b</td>\r\n\
                    y<td>\u{3000}c<br>d</td></tr><!-- n --><tr><td>e&nbsp;</td></tr>\
                    </table>\n<p>f\r<b>g<i>h</b>i</p><table><tr><td>open\n<!-- end";
        let whole = outline(&parse_document(page));
        // The text foster parenting moved before the table, merged.
        assert!(whole.contains(&r#"" x y""#.to_string()), "{whole:?}");
        for piece in 1..12 {
            let parser = driver::parse_document(LineSink::new(), ParseOpts::default());
            let pieces = outline(&run_in_pieces(parser, page, piece));
            assert_eq!(pieces, whole, "pieces of {piece} bytes");
        }
    }

    /// The rows given: (table line, group, row line, first cell's text).
    #[derive(Default)]
    struct Given(Vec<(u32, u64, u32, String)>);

    impl RowReader for Given {
        fn row(&mut self, table: ElementRef<'_>, group: u64, tr: ElementRef<'_>) {
            let cell = tr.child_elements().next().map(crate::text::cell_text);
            self.0
                .push((table.line(), group, tr.line(), cell.unwrap_or_default()));
        }
    }

    #[test]
    fn rows_are_given_as_they_close_and_their_nodes_reused() {
        let rows = "<tr><td>a<b>x</b></td><td>b</td></tr>\n".repeat(2000);
        let page = format!("<h2>h</h2>\n<table>\n{rows}</table>\n<p>after</p>");
        let mut given = Given::default();
        let located = parse_document_by_rows(&page, &mut given).unwrap();
        // Each row once it closed, but the last: it is still in the tree.
        assert_eq!(given.0.len(), 1999);
        assert_eq!(given.0[1998].2, 2001);
        assert!(given.0.iter().all(|(_, _, _, text)| text == "ax"));
        assert!(
            located.dom.slots() < 100,
            "{} node slots",
            located.dom.slots()
        );
        let left: Vec<u32> = located
            .dom
            .root()
            .descendants()
            .filter_map(|n| n.as_element())
            .filter(|e| e.name() == "tr")
            .map(|e| e.line())
            .collect();
        assert_eq!(left, [2002]);
    }

    #[test]
    fn nested_tables_and_headings_in_a_removed_row_stay_in_the_tree() {
        let page = "<table>\n<tr><td>a<h3>x</h3><table>\n<tr><td>i</td></tr>\n<tr><td>j</td></tr>\n</table>\n\
                    </td></tr>\n<tr><td>b</td></tr>\n</table>";
        let mut given = Given::default();
        let located = parse_document_by_rows(page, &mut given).unwrap();
        // The outer row (its text with the inner table's), then the inner rows.
        let lines: Vec<(u32, u32, &str)> = given
            .0
            .iter()
            .map(|(t, _, r, text)| (*t, *r, text.as_str()))
            .collect();
        assert_eq!(lines, [(1, 2, "a\nx\ni\nj"), (2, 3, "i"), (2, 4, "j")]);
        let left: Vec<String> = located
            .dom
            .root()
            .descendants()
            .filter_map(|n| n.as_element())
            .map(|e| format!("{} {}", e.name(), e.line()))
            .collect();
        assert_eq!(
            left,
            [
                "html 1", "head 1", "body 1", "table 1", "tbody 2", "h3 2", "table 2", "tr 7",
                "td 7"
            ]
        );
    }

    #[test]
    fn nesting_beyond_the_limit_is_found_with_its_line() {
        let deep = format!("<p>x</p>\n{}", "<div>\n".repeat(MAX_NESTING_DEPTH + 10));
        // html, body, then div k on line k + 1: div (limit - 1) is one too deep.
        let line = u32::try_from(MAX_NESTING_DEPTH).unwrap();
        assert_eq!(parse_document(&deep).too_deep, Some(line));
        assert_eq!(parse_document("<div><div>x</div></div>").too_deep, None);
    }
}
