//! A lean document tree for html5ever's tree builder: only what the parsers
//! read, in flat vectors.
//!
//! An element keeps its name, the line of its start tag and its `rowspan`
//! and `colspan`; a text node keeps its text in one string shared by all
//! text nodes (not the input's buffers, so that the input can be read in
//! pieces and each piece freed once read), except text that is only
//! whitespace, which every reader collapses to one space and which is kept
//! as just that (most text between table tags);
//! comments, doctypes and processing instructions are only placeholders.
//! A node is 28 bytes, an element's data 40.
//! Nodes are linked by index (parent, siblings, first and last child), so
//! the tree builder's moves (foster parenting, the adoption agency) are a
//! few index updates and walks need no recursion.
//!
//! A subtree the tree builder will not touch again can be pruned
//! ([`Dom::prune`]): its nodes, element data and text slots go to free
//! lists that new nodes take first (and its text, when it is the last
//! written, is given back), so a tree read row by row stays the size of a
//! few rows. What readers still need of it stays where it was: headings,
//! and tables (without their content).
//!
//! What it does not keep: other attributes, comment text, the quirks mode.

use std::num::NonZeroU32;
use std::ops::Range;

use html5ever::{local_name, ns, Attribute, QualName};

/// Index of a node in its [`Dom`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(NonZeroU32); // index + 1, so that `Option<NodeId>` is 4 bytes

impl NodeId {
    /// The document (or fragment) node every tree starts with.
    pub const ROOT: NodeId = NodeId(NonZeroU32::MIN);
    /// Where nodes go once the tree holds as many as an index can count:
    /// a detached node nothing reads ([`Dom::overflowed`] says it happened).
    const SPILL: NodeId = NodeId(NonZeroU32::MIN.saturating_add(1));

    fn index(self) -> usize {
        self.0.get() as usize - 1
    }

    /// A number for the node, unique while it is in the tree.
    pub fn key(self) -> u64 {
        u64::from(self.0.get())
    }
}

/// A parsed tree.
pub struct Dom {
    nodes: Vec<Node>,
    elements: Vec<ElementData>,
    /// The texts of text nodes, one after another: the tree keeps no part
    /// of the input, which can be fed in pieces and freed as it is read.
    text: String,
    /// Where each text node's text is in `text`.
    texts: Vec<Range<usize>>,
    /// Texts that grew after other text was written after them (foster
    /// parenting adds to the text before a table): their own strings, so
    /// that growing them stays linear.
    grown: Vec<String>,
    overflowed: bool,
    /// The name [`Dom::name`] gives a node that is not an element.
    no_name: QualName,
    /// Nodes, element data and text slots [`Dom::prune`] freed, reused
    /// before the vectors grow.
    free_nodes: Vec<NodeId>,
    free_elements: Vec<u32>,
    free_texts: Vec<u32>,
}

struct Node {
    parent: Option<NodeId>,
    prev: Option<NodeId>,
    next: Option<NodeId>,
    first: Option<NodeId>,
    last: Option<NodeId>,
    kind: Kind,
}

impl Node {
    /// A node in no tree yet.
    fn detached(kind: Kind) -> Node {
        Node {
            parent: None,
            prev: None,
            next: None,
            first: None,
            last: None,
            kind,
        }
    }
}

enum Kind {
    Document,
    /// A `template`'s contents (its first child).
    Fragment,
    Element(u32),
    /// Index into [`Dom::texts`].
    Text(u32),
    /// Index into [`Dom::grown`].
    Grown(u32),
    /// Text that is only whitespace.
    Space,
    /// A comment, doctype or processing instruction.
    Other,
    /// A node [`Dom::prune`] freed, waiting to be reused.
    Free,
}

/// What [`Dom::prune_plan`] found in a subtree.
#[derive(Debug)]
pub struct Prune {
    root: NodeId,
    /// Nodes to free, the root first.
    free: Vec<NodeId>,
    /// Headings (kept whole) and tables (kept without their content), in
    /// document order.
    pub kept: Vec<NodeId>,
    /// `form` elements, detached but never reused.
    detached: Vec<NodeId>,
    /// Levels of elements, the root's counted.
    pub depth: usize,
    /// Whether a kept heading has a table inside.
    pub table_in_heading: bool,
    /// The text ranges of the freed text nodes.
    freed: Vec<Range<usize>>,
}

impl Default for Prune {
    fn default() -> Self {
        Prune {
            root: NodeId::ROOT,
            free: Vec::new(),
            kept: Vec::new(),
            detached: Vec::new(),
            depth: 0,
            table_in_heading: false,
            freed: Vec::new(),
        }
    }
}

/// Elements whose text a reader takes as a heading.
pub const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// What an element keeps.
pub struct ElementData {
    pub name: QualName,
    /// 1-based line of the start tag (or of the tag that implied the element).
    pub line: u32,
    rowspan: Span,
    colspan: Span,
}

/// A span attribute's number plus one, so that absent is 4 bytes too (the
/// largest number reads back one less: far above any limit a reader applies).
type Span = Option<NonZeroU32>;

fn span_of(value: Option<u32>) -> Span {
    value.and_then(|v| NonZeroU32::new(v.saturating_add(1)))
}

fn span_number(span: Span) -> Option<u32> {
    span.map(|s| s.get() - 1)
}

impl Default for Dom {
    fn default() -> Self {
        Dom::new()
    }
}

impl Dom {
    /// A tree with its root node and the spill node.
    pub fn new() -> Dom {
        Dom::for_input(0)
    }

    /// A tree with room for what a document of `bytes` bytes usually makes,
    /// so that its vectors are not copied as they grow (at the 45,000-row
    /// table's density: a node per 12 bytes, an element per 35, text 0.67
    /// bytes per byte). Room nothing writes to is address space, not memory.
    pub fn for_input(bytes: usize) -> Dom {
        let mut dom = Dom {
            nodes: Vec::with_capacity(bytes / 8),
            elements: Vec::with_capacity(bytes / 24),
            text: String::with_capacity(bytes),
            texts: Vec::with_capacity(bytes / 32),
            grown: Vec::new(),
            overflowed: false,
            no_name: QualName::new(None, ns!(html), local_name!("span")),
            free_nodes: Vec::new(),
            free_elements: Vec::new(),
            free_texts: Vec::new(),
        };
        dom.push(Kind::Document);
        dom.push(Kind::Other); // NodeId::SPILL
        dom
    }

    /// Node slots in use or free: the tree's size in memory.
    pub fn slots(&self) -> usize {
        self.nodes.len()
    }

    /// True when the input made more nodes than an index counts: the tree
    /// is incomplete and must not be read.
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    fn push(&mut self, kind: Kind) -> NodeId {
        if let Some(id) = self.free_nodes.pop() {
            *self.node_mut(id) = Node::detached(kind);
            return id;
        }
        let id = u32::try_from(self.nodes.len() + 1)
            .ok()
            .and_then(NonZeroU32::new);
        let Some(id) = id else {
            self.overflowed = true;
            return NodeId::SPILL;
        };
        self.nodes.push(Node::detached(kind));
        NodeId(id)
    }

    fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id.index()]
    }

    /// A new detached element; a `template` gets its contents node.
    pub fn create_element(&mut self, name: QualName, attrs: &[Attribute], line: u32) -> NodeId {
        let span = |wanted: html5ever::LocalName| {
            attrs
                .iter()
                .find(|a| a.name.ns == ns!() && a.name.local == wanted)
                .and_then(|a| span_value(&a.value))
        };
        let template = name.ns == ns!(html) && name.local == local_name!("template");
        let data = ElementData {
            rowspan: span_of(span(local_name!("rowspan"))),
            colspan: span_of(span(local_name!("colspan"))),
            name,
            line,
        };
        let index = match self.free_elements.pop() {
            Some(index) => {
                self.elements[index as usize] = data;
                index
            }
            None => {
                let Ok(index) = u32::try_from(self.elements.len()) else {
                    self.overflowed = true;
                    return NodeId::SPILL;
                };
                self.elements.push(data);
                index
            }
        };
        let id = self.push(Kind::Element(index));
        if template {
            let contents = self.push(Kind::Fragment);
            self.append(id, contents);
        }
        id
    }

    /// A new detached comment, doctype or processing instruction.
    pub fn create_other(&mut self) -> NodeId {
        self.push(Kind::Other)
    }

    /// The element data of `id`, if it is an element.
    pub fn element(&self, id: NodeId) -> Option<&ElementData> {
        match self.node(id).kind {
            Kind::Element(i) => self.elements.get(i as usize),
            _ => None,
        }
    }

    /// The name of element `id`; a `span` for other nodes (the tree builder
    /// asks only elements, unless the tree overflowed).
    pub fn name(&self, id: NodeId) -> &QualName {
        self.element(id).map_or(&self.no_name, |e| &e.name)
    }

    /// Appends `child` as the last child of `parent`, detaching it first.
    pub fn append(&mut self, parent: NodeId, child: NodeId) {
        if parent == child || self.node(parent).last == Some(child) {
            return;
        }
        self.detach(child);
        let last = self.node(parent).last;
        {
            let node = self.node_mut(child);
            node.parent = Some(parent);
            node.prev = last;
        }
        match last {
            Some(last) => self.node_mut(last).next = Some(child),
            None => self.node_mut(parent).first = Some(child),
        }
        self.node_mut(parent).last = Some(child);
    }

    /// Appends text to `parent`, merged into its last child if that is text.
    pub fn append_text(&mut self, parent: NodeId, text: &str) {
        if let Some(last) = self.node(parent).last {
            if self.merge_text(last, text) {
                return;
            }
        }
        let node = self.text_node(text);
        self.append(parent, node);
    }

    /// Adds `text` to node `id` if it is text; false if it is not.
    fn merge_text(&mut self, id: NodeId, text: &str) -> bool {
        match self.node(id).kind {
            Kind::Text(i) => self.extend_text(id, i as usize, text),
            Kind::Grown(i) => {
                if let Some(grown) = self.grown.get_mut(i as usize) {
                    grown.push_str(text);
                }
            }
            Kind::Space if is_space(text) => {}
            Kind::Space => {
                let merged = format!(" {text}");
                self.node_mut(id).kind = self.text_kind(&merged);
            }
            _ => return false,
        }
        true
    }

    /// Adds `text` to text node `id`, whose text is `texts[index]`: in place
    /// when it is the last text written, else moved to a string of its own.
    fn extend_text(&mut self, id: NodeId, index: usize, text: &str) {
        let Some(range) = self.texts.get(index).cloned() else {
            return;
        };
        if range.end == self.text.len() {
            self.text.push_str(text);
            self.texts[index].end = self.text.len();
            return;
        }
        let mut grown = self.text.get(range).unwrap_or_default().to_string();
        grown.push_str(text);
        let Ok(index) = u32::try_from(self.grown.len()) else {
            self.overflowed = true;
            return;
        };
        self.grown.push(grown);
        self.node_mut(id).kind = Kind::Grown(index);
    }

    fn text_node(&mut self, text: &str) -> NodeId {
        let kind = if is_space(text) {
            Kind::Space
        } else {
            self.text_kind(text)
        };
        self.push(kind)
    }

    fn text_kind(&mut self, text: &str) -> Kind {
        let start = self.text.len();
        if let Some(index) = self.free_texts.pop() {
            self.text.push_str(text);
            self.texts[index as usize] = start..self.text.len();
            return Kind::Text(index);
        }
        let Ok(index) = u32::try_from(self.texts.len()) else {
            self.overflowed = true;
            return Kind::Space;
        };
        self.text.push_str(text);
        self.texts.push(start..self.text.len());
        Kind::Text(index)
    }

    /// Plans removing the subtree of `root` (see [`Dom::prune`]): what is
    /// freed and what is kept, in `plan` (whose vectors are reused).
    pub fn prune_plan(&self, root: NodeId, plan: &mut Prune) {
        plan.root = root;
        plan.free.clear();
        plan.kept.clear();
        plan.detached.clear();
        plan.freed.clear();
        plan.depth = 0;
        plan.table_in_heading = false;
        let mut depth = 0;
        let mut heading: Option<NodeId> = None;
        for edge in self.get(root).traverse() {
            match edge {
                Edge::Open(node) => {
                    let Some(element) = node.as_element() else {
                        if heading.is_none() {
                            plan.free.push(node.id);
                        }
                        continue;
                    };
                    depth += 1;
                    plan.depth = plan.depth.max(depth);
                    let name = element.name();
                    if heading.is_some() {
                        plan.table_in_heading |= name == "table";
                    } else if HEADINGS.contains(&name) {
                        heading = Some(node.id);
                        plan.kept.push(node.id);
                    } else if name == "table" && node.id != root {
                        plan.kept.push(node.id);
                    } else if name == "form" {
                        plan.detached.push(node.id);
                    } else {
                        plan.free.push(node.id);
                    }
                }
                Edge::Close(node) => {
                    if node.as_element().is_some() {
                        depth -= 1;
                    }
                    if heading == Some(node.id) {
                        heading = None;
                    }
                }
            }
        }
    }

    /// Removes a subtree the tree builder is done with, and the whitespace
    /// and comments just before it, so that their nodes, element data and
    /// text are reused: what readers of the tree still need of it is kept
    /// where it was, in document order (headings whole, tables without
    /// their content); a `form` is only detached, never reused (the tree
    /// builder keeps a pointer to the last one).
    pub fn prune(&mut self, plan: &mut Prune) {
        let root = plan.root;
        let mut freed = std::mem::take(&mut plan.freed);
        if self.node(root).parent.is_some() {
            while let Some(prev) = self.node(root).prev {
                if !matches!(self.node(prev).kind, Kind::Space | Kind::Other) {
                    break;
                }
                self.detach(prev);
                self.free(prev, &mut freed);
            }
        }
        let parent = self.node(root).parent;
        for &kept in &plan.kept {
            if self
                .element(kept)
                .is_some_and(|e| &*e.name.local == "table")
            {
                let node = self.node_mut(kept);
                node.first = None;
                node.last = None;
            }
            let prev = self.node(root).prev;
            {
                let node = self.node_mut(kept);
                node.parent = parent;
                node.prev = prev.filter(|_| parent.is_some());
                node.next = parent.map(|_| root);
            }
            if let Some(parent) = parent {
                self.node_mut(root).prev = Some(kept);
                match prev {
                    Some(prev) => self.node_mut(prev).next = Some(kept),
                    None => self.node_mut(parent).first = Some(kept),
                }
            }
        }
        for &id in &plan.detached {
            let node = self.node_mut(id);
            (node.parent, node.prev, node.next, node.first, node.last) =
                (None, None, None, None, None);
        }
        self.detach(root);
        for &id in &plan.free {
            self.free(id, &mut freed);
        }
        // The text of a row is usually the last written: give it back.
        let start = freed.iter().map(|r| r.start).min();
        let end = freed.iter().map(|r| r.end).max();
        let len: usize = freed.iter().map(|r| r.len()).sum();
        if let (Some(start), Some(end)) = (start, end) {
            if end == self.text.len() && len == end - start {
                self.text.truncate(start);
            }
        }
        plan.freed = freed;
    }

    fn free(&mut self, id: NodeId, freed: &mut Vec<Range<usize>>) {
        let node = self.node_mut(id);
        let kind = std::mem::replace(&mut node.kind, Kind::Free);
        (node.parent, node.prev, node.next, node.first, node.last) = (None, None, None, None, None);
        match kind {
            Kind::Element(i) => self.free_elements.push(i),
            Kind::Text(i) => {
                if let Some(range) = self.texts.get(i as usize) {
                    freed.push(range.clone());
                }
                self.free_texts.push(i);
            }
            Kind::Grown(i) => {
                if let Some(grown) = self.grown.get_mut(i as usize) {
                    *grown = String::new();
                }
            }
            Kind::Free => return,
            _ => {}
        }
        self.free_nodes.push(id);
    }

    /// Inserts `new` just before `sibling`; a `sibling` without a parent
    /// leaves `new` detached.
    pub fn insert_before(&mut self, sibling: NodeId, new: NodeId) {
        if sibling == new {
            return;
        }
        self.detach(new);
        let Some(parent) = self.node(sibling).parent else {
            return;
        };
        let prev = self.node(sibling).prev;
        {
            let node = self.node_mut(new);
            node.parent = Some(parent);
            node.prev = prev;
            node.next = Some(sibling);
        }
        self.node_mut(sibling).prev = Some(new);
        match prev {
            Some(prev) => self.node_mut(prev).next = Some(new),
            None => self.node_mut(parent).first = Some(new),
        }
    }

    /// Inserts text just before `sibling`, merged into the text before it if any.
    pub fn insert_text_before(&mut self, sibling: NodeId, text: &str) {
        if self.node(sibling).parent.is_none() {
            return;
        }
        if let Some(prev) = self.node(sibling).prev {
            if self.merge_text(prev, text) {
                return;
            }
        }
        let node = self.text_node(text);
        self.insert_before(sibling, node);
    }

    /// Removes `id` (with its subtree) from its parent.
    pub fn detach(&mut self, id: NodeId) {
        let node = self.node_mut(id);
        let (parent, prev, next) = (node.parent.take(), node.prev.take(), node.next.take());
        let Some(parent) = parent else {
            return;
        };
        match prev {
            Some(prev) => self.node_mut(prev).next = next,
            None => self.node_mut(parent).first = next,
        }
        match next {
            Some(next) => self.node_mut(next).prev = prev,
            None => self.node_mut(parent).last = prev,
        }
    }

    /// Moves all children of `from` to the end of `to`'s children.
    pub fn reparent_children(&mut self, from: NodeId, to: NodeId) {
        if from == to {
            return;
        }
        let (Some(first), Some(last)) = (self.node(from).first, self.node(from).last) else {
            return;
        };
        {
            let node = self.node_mut(from);
            node.first = None;
            node.last = None;
        }
        let mut child = Some(first);
        while let Some(id) = child {
            self.node_mut(id).parent = Some(to);
            child = self.node(id).next;
        }
        match self.node(to).last {
            Some(old_last) => {
                self.node_mut(old_last).next = Some(first);
                self.node_mut(first).prev = Some(old_last);
            }
            None => self.node_mut(to).first = Some(first),
        }
        self.node_mut(to).last = Some(last);
    }

    /// True when `id` has a parent.
    pub fn has_parent(&self, id: NodeId) -> bool {
        self.node(id).parent.is_some()
    }

    /// The first child of `id` (a `template`'s contents).
    pub fn first_child(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).first
    }

    /// A node of the tree.
    pub fn get(&self, id: NodeId) -> NodeRef<'_> {
        NodeRef { dom: self, id }
    }

    /// The root: the document or fragment node.
    pub fn root(&self) -> NodeRef<'_> {
        self.get(NodeId::ROOT)
    }

    /// The first element child of the root (`html`).
    pub fn root_element(&self) -> Option<ElementRef<'_>> {
        self.root().children().find_map(NodeRef::as_element)
    }
}

/// True when `text` is only whitespace (what `char::is_whitespace` says,
/// as the readers collapse it).
fn is_space(text: &str) -> bool {
    if text
        .bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\x0C' | b'\r'))
    {
        return true;
    }
    !text.is_ascii() && text.chars().all(char::is_whitespace)
}

/// A span attribute as a number; values that are not numbers count as
/// absent, numbers too large as the largest (any limit a reader applies is
/// far below `u32::MAX`).
fn span_value(value: &str) -> Option<u32> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        Some(value.parse().unwrap_or(u32::MAX))
    } else {
        None
    }
}

/// A node and its tree.
#[derive(Clone, Copy)]
pub struct NodeRef<'a> {
    dom: &'a Dom,
    id: NodeId,
}

impl PartialEq for NodeRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && std::ptr::eq(self.dom, other.dom)
    }
}

impl Eq for NodeRef<'_> {}

impl std::fmt::Debug for NodeRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NodeRef({})", self.id.index())
    }
}

impl<'a> NodeRef<'a> {
    pub fn id(self) -> NodeId {
        self.id
    }

    fn node(self) -> &'a Node {
        self.dom.node(self.id)
    }

    /// The element, if this node is one.
    pub fn as_element(self) -> Option<ElementRef<'a>> {
        match self.node().kind {
            Kind::Element(i) => Some(ElementRef {
                node: self,
                data: &self.dom.elements[i as usize],
            }),
            _ => None,
        }
    }

    /// The text, if this node is text (one space for text that is only whitespace).
    pub fn as_text(self) -> Option<&'a str> {
        match self.node().kind {
            Kind::Text(i) => {
                let range = self.dom.texts.get(i as usize)?;
                self.dom.text.get(range.clone())
            }
            Kind::Grown(i) => self.dom.grown.get(i as usize).map(String::as_str),
            Kind::Space => Some(" "),
            _ => None,
        }
    }

    pub fn first_child(self) -> Option<NodeRef<'a>> {
        self.node().first.map(|id| self.dom.get(id))
    }

    pub fn last_child(self) -> Option<NodeRef<'a>> {
        self.node().last.map(|id| self.dom.get(id))
    }

    pub fn prev_sibling(self) -> Option<NodeRef<'a>> {
        self.node().prev.map(|id| self.dom.get(id))
    }

    pub fn next_sibling(self) -> Option<NodeRef<'a>> {
        self.node().next.map(|id| self.dom.get(id))
    }

    pub fn parent(self) -> Option<NodeRef<'a>> {
        self.node().parent.map(|id| self.dom.get(id))
    }

    /// The children, first to last.
    pub fn children(self) -> impl Iterator<Item = NodeRef<'a>> {
        std::iter::successors(self.first_child(), |n| n.next_sibling())
    }

    /// Opening and closing of this node and each descendant, in document order.
    pub fn traverse(self) -> Traverse<'a> {
        Traverse {
            root: self,
            next: Some(Edge::Open(self)),
        }
    }

    /// This node and its descendants, in document order.
    pub fn descendants(self) -> impl Iterator<Item = NodeRef<'a>> {
        self.traverse().filter_map(|edge| match edge {
            Edge::Open(node) => Some(node),
            Edge::Close(_) => None,
        })
    }
}

/// One step of a walk: entering or leaving a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge<'a> {
    Open(NodeRef<'a>),
    Close(NodeRef<'a>),
}

/// A walk over a subtree without recursion.
pub struct Traverse<'a> {
    root: NodeRef<'a>,
    next: Option<Edge<'a>>,
}

impl<'a> Iterator for Traverse<'a> {
    type Item = Edge<'a>;

    fn next(&mut self) -> Option<Edge<'a>> {
        let edge = self.next?;
        self.next = match edge {
            Edge::Open(node) => Some(match node.first_child() {
                Some(child) => Edge::Open(child),
                None => Edge::Close(node),
            }),
            Edge::Close(node) if node == self.root => None,
            Edge::Close(node) => match node.next_sibling() {
                Some(sibling) => Some(Edge::Open(sibling)),
                None => node.parent().map(Edge::Close),
            },
        };
        Some(edge)
    }
}

/// An element node.
#[derive(Clone, Copy)]
pub struct ElementRef<'a> {
    node: NodeRef<'a>,
    data: &'a ElementData,
}

impl PartialEq for ElementRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl Eq for ElementRef<'_> {}

impl std::fmt::Debug for ElementRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{}> line {}", self.data.name.local, self.data.line)
    }
}

impl<'a> ElementRef<'a> {
    pub fn node(self) -> NodeRef<'a> {
        self.node
    }

    pub fn id(self) -> NodeId {
        self.node.id
    }

    /// The local name (`td`, `table`, …).
    pub fn name(self) -> &'a str {
        &self.data.name.local
    }

    /// The line of its start tag.
    pub fn line(self) -> u32 {
        self.data.line
    }

    /// `rowspan` as a number, when it is one.
    pub fn rowspan(self) -> Option<u32> {
        span_number(self.data.rowspan)
    }

    /// `colspan` as a number, when it is one.
    pub fn colspan(self) -> Option<u32> {
        span_number(self.data.colspan)
    }

    /// The element children, first to last.
    pub fn child_elements(self) -> impl Iterator<Item = ElementRef<'a>> {
        self.node.children().filter_map(NodeRef::as_element)
    }

    /// This element and its descendant elements, in document order.
    pub fn descendant_elements(self) -> impl Iterator<Item = ElementRef<'a>> {
        self.node.descendants().filter_map(NodeRef::as_element)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locate::parse_fragment;

    #[test]
    fn a_node_is_small() {
        assert_eq!(std::mem::size_of::<Node>(), 28);
        assert_eq!(std::mem::size_of::<ElementData>(), 40);
    }

    #[test]
    fn span_attributes_read_back_as_written() {
        for value in [0, 1, 2, 65534, 65535, u32::MAX - 2] {
            assert_eq!(span_number(span_of(Some(value))), Some(value));
        }
        assert_eq!(span_number(span_of(None)), None);
        // The largest number reads back one less: still far above every limit.
        assert_eq!(span_number(span_of(Some(u32::MAX))), Some(u32::MAX - 1));
    }

    #[test]
    fn whitespace_text_reads_as_one_space_and_merges_with_text_after_it() {
        let parsed = parse_fragment("<p> \n\t<!-- c --></p><div>\n\u{3000}</div>");
        let html = parsed.dom.root_element().unwrap();
        let texts: Vec<&str> = html
            .node()
            .descendants()
            .filter_map(NodeRef::as_text)
            .collect();
        assert_eq!(texts, [" ", " "]);
        let mut dom = Dom::new();
        let p = dom.create_element(QualName::new(None, ns!(html), local_name!("p")), &[], 1);
        dom.append_text(p, "\n ");
        dom.append_text(p, " ");
        dom.append_text(p, "a b");
        let texts: Vec<&str> = dom.get(p).children().filter_map(NodeRef::as_text).collect();
        assert_eq!(texts, [" a b"]);
    }
}
