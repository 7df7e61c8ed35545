//! Shared vocabulary of leimu: the types every parser emits and the pipeline writes.
//!
//! This crate holds data types and a few text rules that every source shares
//! (what "none" looks like, how whitespace is collapsed, how licence names are
//! found). It does no I/O and knows no document format: parsers live in their
//! own crates and only the normaliser compares sources.
//!
//! ```
//! use leimu_model::{licences, Subject};
//!
//! assert_eq!(Subject::from_heading("个人主体小程序开放的服务类目"), Some(Subject::Personal));
//! assert_eq!(licences("《营业执照》和《A》或《营业执照》"), vec!["营业执照", "A"]);
//! ```

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

mod limits;
mod shared;
mod text;

pub use limits::{without_nul, MAX_NESTING_DEPTH, MAX_TABLE_ROWS};
pub use shared::{Interner, Text};

pub use text::{
    collapse_whitespace, collapsed, ends_document_char, ends_like_document, is_none_marker,
    licences, push_collapsed, push_words, value_or_empty, LineIndex,
};

/// Who operates the mini program; the platform's requirements differ per subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    /// 非个人主体: companies, institutions, government bodies.
    Enterprise,
    /// 个人主体: an individual.
    Personal,
    /// 海外主体 / 境外主体: an entity registered outside mainland China.
    Overseas,
}

impl Subject {
    /// The identifier written to outputs (`enterprise`, `personal`, `overseas`).
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Enterprise => "enterprise",
            Subject::Personal => "personal",
            Subject::Overseas => "overseas",
        }
    }

    /// Recognises the subject named in a heading such as `非个人主体小程序开放的服务类目`.
    ///
    /// Texts must be simplified Chinese. `非个人` is tested before `个人`
    /// because the first contains the second.
    pub fn from_heading(text: &str) -> Option<Subject> {
        if text.contains("非个人主体") {
            Some(Subject::Enterprise)
        } else if text.contains("个人主体") {
            Some(Subject::Personal)
        } else if text.contains("海外主体") || text.contains("境外主体") {
            Some(Subject::Overseas)
        } else {
            None
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The document formats leimu can read; `parser` in `raw/sources.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParserKind {
    /// Pipe tables whose rowspans were lost in an HTML → markdown conversion.
    MarkdownTables,
    /// HTML grid tables with rowspan/colspan.
    HtmlTables,
    /// Small key–value HTML tables under category headings.
    HtmlSections,
    /// The plain-text filing guide.
    TextGuide,
    /// The traditional-Chinese change notice.
    Notice,
}

impl ParserKind {
    /// Every parser kind, in a fixed order.
    pub const ALL: [ParserKind; 5] = [
        ParserKind::MarkdownTables,
        ParserKind::HtmlTables,
        ParserKind::HtmlSections,
        ParserKind::TextGuide,
        ParserKind::Notice,
    ];

    /// The name used in `raw/sources.toml` and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ParserKind::MarkdownTables => "markdown-tables",
            ParserKind::HtmlTables => "html-tables",
            ParserKind::HtmlSections => "html-sections",
            ParserKind::TextGuide => "text-guide",
            ParserKind::Notice => "notice",
        }
    }

    /// Parses a name as written in `raw/sources.toml`.
    pub fn from_name(name: &str) -> Option<ParserKind> {
        ParserKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for ParserKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a parser knows about the document it reads; nothing about other sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    /// Source id written to every record (`service-categories`, or the file
    /// stem); every record shares this one copy.
    pub source: Text,
    /// File name used in diagnostics and errors.
    pub file: String,
    /// Subject of records the document does not attribute to a subject itself.
    pub default_subject: Option<Subject>,
}

impl DocumentInfo {
    /// A diagnostic about `line` of this document.
    pub fn diagnostic(
        &self,
        line: u32,
        kind: DiagnosticKind,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            line,
            kind,
            message: message.into(),
        }
    }
}

/// Where a record came from: source id and 1-based line of the document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Provenance {
    pub source: Text,
    pub line: u32,
}

/// A category path; an empty text means the level is absent (`/` in the documents).
///
/// Levels are [`Text`]s: the records of one category can share its names.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CategoryPath {
    pub level1: Text,
    pub level2: Text,
    pub level3: Text,
}

impl fmt::Display for CategoryPath {
    /// `社交 › 熟人交友`, absent levels left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<&str> = [&self.level1, &self.level2, &self.level3]
            .into_iter()
            .map(Text::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        f.write_str(&parts.join(" › "))
    }
}

/// One category as one source states it, before any reconciliation.
///
/// Texts are as written in the source with whitespace runs collapsed; absent
/// values are empty texts (which allocate nothing). The licences of the
/// requirement are derived on output (see [`licences`]), not stored.
///
/// Texts are [`Text`]s, sized exactly, and shared where records take the
/// same cell or repeat a text (a merged cell; [`ExtractedRecord::share_with`],
/// [`Interner`]) and where the tree of a requirement is read from its text
/// ([`RequirementNode::render_shared`]): a scaled category list holds
/// 383,000 records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractedRecord {
    pub provenance: Provenance,
    pub subject: Option<Subject>,
    pub path: CategoryPath,
    pub requirement: Text,
    pub scope: Text,
    pub notes: Text,
    /// What only some kinds of source state (a card's scenario, a notice
    /// entry's section).
    pub fields: SourceFields,
    /// The requirement's structure, where the source states one (the notice).
    /// Behind a pointer: most records have none, and a record is 70 bytes
    /// smaller without the tree inline; shared (`Arc`) by records that
    /// state the same block.
    pub requirement_tree: Option<Arc<RequirementNode>>,
    /// Values the record takes from a merged cell written on an earlier
    /// line (a rowspan, or a span the markdown conversion flattened).
    pub inherited: Box<[Inherited]>,
}

impl ExtractedRecord {
    /// Shares the copy of each text equal to the same field of `previous`
    /// (the record read before this one): a merged cell is laid out on
    /// every row it spans, and the rows of one category repeat its names.
    /// Whether two records share a copy is invisible to readers.
    pub fn share_with(&mut self, previous: Option<&ExtractedRecord>) {
        let Some(previous) = previous else { return };
        let pairs = [
            (&mut self.path.level1, &previous.path.level1),
            (&mut self.path.level2, &previous.path.level2),
            (&mut self.path.level3, &previous.path.level3),
            (&mut self.requirement, &previous.requirement),
            (&mut self.scope, &previous.scope),
            (&mut self.notes, &previous.notes),
        ];
        for (text, above) in pairs {
            if *text == *above {
                *text = above.clone();
            }
        }
    }
}

/// A field whose value a record takes from a merged cell above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Inherited {
    pub field: Field,
    /// The line the value is written on.
    pub line: u32,
}

/// A field of a category record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Requirement,
    Notes,
    Scope,
}

/// A node of a requirement as a source structures it: a line of the block
/// (`1、金融资产管理公司提供(②选①):`), its children, and how they combine.
///
/// The line as written, its label and its text are places in one shared
/// text: the node's own (its line, then the label or text that is not a
/// part of it; they nearly always are parts of it), or, once the block is
/// rendered with [`RequirementNode::render_shared`], the rendered block,
/// where every line is written anyway. Lists are sized exactly
/// (`Box<[T]>`; usually empty, which allocates nothing), and the two that
/// few nodes have (alternatives, notes) are behind one pointer, empty when
/// both are. A scaled notice holds 120,000 nodes, kept with their records,
/// and most of their cost was small allocations.
#[derive(Clone, Default)]
pub struct RequirementNode {
    /// The text `line`, `label` and `text` are places in.
    texts: Text,
    line: Span,
    label: Span,
    text: Span,
    /// How the children combine; `None` for a leaf.
    pub group: Option<Group>,
    /// Alternatives and notes, which few nodes have: one pointer, not two
    /// lists, in every node.
    extras: Option<Box<Extras>>,
    pub children: Box<[RequirementNode]>,
}

/// What few [`RequirementNode`]s have: never both lists empty.
#[derive(Clone, Default, PartialEq, Eq)]
struct Extras {
    alternatives: Box<[Box<str>]>,
    notes: Box<[Box<str>]>,
}

/// `start..end` in a node's `texts`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    fn read(self, texts: &str) -> &str {
        texts
            .get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }

    fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    /// The span in a text where what was at `from` is at `to`.
    fn moved(self, from: u32, to: u32) -> Span {
        let at = |n: u32| n.saturating_sub(from).saturating_add(to);
        if self.len() == 0 {
            return Span { start: to, end: to };
        }
        Span {
            start: at(self.start),
            end: at(self.end),
        }
    }
}

/// Where `part` is in `line`: its place when it is a subslice of `line` or
/// occurs in it.
fn place_in(line: &str, part: &str) -> Option<usize> {
    if part.is_empty() {
        return Some(0);
    }
    let offset = (part.as_ptr() as usize).wrapping_sub(line.as_ptr() as usize);
    if offset <= line.len() && line.len() - offset >= part.len() {
        Some(offset)
    } else {
        line.find(part)
    }
}

fn span(start: usize, len: usize) -> Span {
    let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Span {
        start: at(start),
        end: at(start + len),
    }
}

impl RequirementNode {
    /// A node of `label` (`1、`, or empty) and `text`, written as `line`
    /// (collapsed; empty for a node without a line of its own, such as
    /// the root of a block that starts with an item).
    pub fn new(label: &str, text: &str, line: &str) -> RequirementNode {
        let mut texts = String::new();
        let mut place = |part: &str| match place_in(line, part) {
            Some(at) => span(at, part.len()),
            None => {
                if texts.is_empty() {
                    texts.push_str(line);
                }
                let at = texts.len();
                texts.push_str(part);
                span(at, part.len())
            }
        };
        let (label, text) = (place(label), place(text));
        let texts = if texts.is_empty() {
            Text::from(line)
        } else {
            Text::from(texts)
        };
        RequirementNode {
            texts,
            line: span(0, line.len()),
            label,
            text,
            ..RequirementNode::default()
        }
    }

    /// `一、`, `1、`, `①`, or empty.
    pub fn label(&self) -> &str {
        self.label.read(&self.texts)
    }

    /// The line's text without its label and group marker.
    pub fn text(&self) -> &str {
        self.text.read(&self.texts)
    }

    /// The line as written (collapsed); empty when the node has none.
    pub fn line(&self) -> &str {
        self.line.read(&self.texts)
    }

    /// True when the node has a line of its own.
    pub fn has_line(&self) -> bool {
        self.line.len() > 0
    }

    /// Alternatives joined by an inline `或` in the text; usually none.
    pub fn alternatives(&self) -> &[Box<str>] {
        self.extras.as_ref().map_or(&[], |e| &e.alternatives)
    }

    /// `注:` lines that qualify this node; usually none.
    pub fn notes(&self) -> &[Box<str>] {
        self.extras.as_ref().map_or(&[], |e| &e.notes)
    }

    pub fn set_alternatives(&mut self, alternatives: impl Into<Box<[Box<str>]>>) {
        let notes = self.extras.take().map(|e| e.notes).unwrap_or_default();
        self.set_extras(alternatives.into(), notes);
    }

    pub fn set_notes(&mut self, notes: impl Into<Box<[Box<str>]>>) {
        let alternatives = self
            .extras
            .take()
            .map(|e| e.alternatives)
            .unwrap_or_default();
        self.set_extras(alternatives, notes.into());
    }

    fn set_extras(&mut self, alternatives: Box<[Box<str>]>, notes: Box<[Box<str>]>) {
        self.extras = if alternatives.is_empty() && notes.is_empty() {
            None
        } else {
            Some(Box::new(Extras {
                alternatives,
                notes,
            }))
        };
    }

    /// True when label and text are places in the line: the node needs no
    /// text but its line.
    fn in_line(&self) -> bool {
        let inside = |span: Span| {
            span.len() == 0 || (span.start >= self.line.start && span.end <= self.line.end)
        };
        inside(self.label) && inside(self.text)
    }
}

impl PartialEq for RequirementNode {
    fn eq(&self, other: &RequirementNode) -> bool {
        self.label() == other.label()
            && self.text() == other.text()
            && self.line() == other.line()
            && self.group == other.group
            && self.alternatives() == other.alternatives()
            && self.notes() == other.notes()
            && self.children == other.children
    }
}

impl Eq for RequirementNode {}

impl fmt::Debug for RequirementNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequirementNode")
            .field("label", &self.label())
            .field("text", &self.text())
            .field("group", &self.group)
            .field("alternatives", &self.alternatives())
            .field("notes", &self.notes())
            .field("children", &self.children)
            .field("line", &self.line())
            .finish()
    }
}

impl Serialize for RequirementNode {
    /// `label`, `text`, then `group`, `alternatives`, `notes` and
    /// `children` where the node has them; not the line.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let len = 2
            + usize::from(self.group.is_some())
            + usize::from(!self.alternatives().is_empty())
            + usize::from(!self.notes().is_empty())
            + usize::from(!self.children.is_empty());
        let mut s = serializer.serialize_struct("RequirementNode", len)?;
        s.serialize_field("label", self.label())?;
        s.serialize_field("text", self.text())?;
        match &self.group {
            Some(group) => s.serialize_field("group", group)?,
            None => s.skip_field("group")?,
        }
        if self.alternatives().is_empty() {
            s.skip_field("alternatives")?;
        } else {
            s.serialize_field("alternatives", self.alternatives())?;
        }
        if self.notes().is_empty() {
            s.skip_field("notes")?;
        } else {
            s.serialize_field("notes", self.notes())?;
        }
        if self.children.is_empty() {
            s.skip_field("children")?;
        } else {
            s.serialize_field("children", &self.children)?;
        }
        s.end()
    }
}

/// How the children of a [`RequirementNode`] combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Group {
    /// All are required (同时提供).
    AllOf,
    /// Some of them; `choose` is the count the text states (`(3选1)` is
    /// pick 1 of 3), `None` where it states none.
    AnyOf { choose: Option<Choice> },
}

/// "N选M": pick `pick` of `of` options, as a text states it.
///
/// Serialised as `{"pick": 1, "of": 3}`, so `(3选1)` cannot be misread as
/// "choose 3".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Choice {
    pub pick: u32,
    pub of: u32,
}

impl Choice {
    /// "N选1": one of `of`.
    pub fn one_of(of: u32) -> Choice {
        Choice { pick: 1, of }
    }
}

impl std::fmt::Display for Choice {
    /// `3选1`, as the documents write it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}选{}", self.of, self.pick)
    }
}

impl RequirementNode {
    /// The block as readable text: one line per node, two spaces of
    /// indentation per depth, notes after the children they qualify.
    pub fn render(&self) -> String {
        let mut out = Rendered::default();
        self.render_block(&mut out, &mut |_, _| {});
        out.text
    }

    /// [`RequirementNode::render`], after which the nodes read their lines
    /// from the rendered text, which they share: a block whose text is kept
    /// beside its tree (a notice record's `requirement`) holds each line
    /// once. A node whose label or text is not a part of its line keeps its
    /// own text.
    pub fn render_shared(&mut self) -> Text {
        let mut out = Rendered::default();
        let mut places = Vec::new();
        self.render_block(&mut out, &mut |node, at| {
            if node.in_line() {
                places.push(at);
            }
        });
        let shared = Text::from(out.text);
        let mut places = places.into_iter();
        self.visit_mut(&mut |node| {
            if node.in_line() {
                if let Some(at) = places.next() {
                    let from = node.line.start;
                    node.line = node.line.moved(from, at);
                    node.label = node.label.moved(from, at);
                    node.text = node.text.moved(from, at);
                    node.texts = shared.clone();
                }
            }
        });
        shared
    }

    /// Renders the block into `out`, telling `placed` where each node's
    /// line is written (nodes with a line, in preorder).
    fn render_block(&self, out: &mut Rendered, placed: &mut dyn FnMut(&RequirementNode, u32)) {
        if !self.has_line() {
            for child in &self.children {
                child.render_into(0, out, placed);
            }
            for note in self.notes() {
                out.line(0).push_str("注:");
                out.text.push_str(note);
            }
        } else {
            self.render_into(0, out, placed);
        }
    }

    fn render_into(
        &self,
        depth: usize,
        out: &mut Rendered,
        placed: &mut dyn FnMut(&RequirementNode, u32),
    ) {
        let line = out.line(depth);
        let at = u32::try_from(line.len()).unwrap_or(u32::MAX);
        line.push_str(self.line());
        if self.has_line() {
            placed(self, at);
        }
        for child in &self.children {
            child.render_into(depth + 1, out, placed);
        }
        for note in self.notes() {
            out.line(depth + 1).push_str("注:");
            out.text.push_str(note);
        }
    }

    /// Calls `f` on every node with a line, in preorder (the order
    /// [`RequirementNode::render_block`] writes them in).
    fn visit_mut(&mut self, f: &mut dyn FnMut(&mut RequirementNode)) {
        if self.has_line() {
            f(self);
        }
        for child in self.children.iter_mut() {
            child.visit_mut(f);
        }
    }
}

/// A block being rendered: lines joined by `\n`.
#[derive(Default)]
struct Rendered {
    text: String,
    lines: usize,
}

impl Rendered {
    /// Starts a line indented for `depth`.
    fn line(&mut self, depth: usize) -> &mut String {
        if self.lines > 0 {
            self.text.push('\n');
        }
        self.lines += 1;
        for _ in 0..depth {
            self.text.push_str("  ");
        }
        &mut self.text
    }
}

/// Why a piece of a document did not become a record as it stands, or what a
/// reader of the record should know about how it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagnosticKind {
    /// The content became a record, but the layout allowed another reading.
    Ambiguous,
    /// The content could not be placed and became no record.
    Unplaced,
    /// The content was deliberately not read as records (unknown table, page chrome).
    Skipped,
    /// Something a reader should know that loses nothing (e.g. no subject known).
    Note,
}

impl DiagnosticKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticKind::Ambiguous => "ambiguous",
            DiagnosticKind::Unplaced => "unplaced",
            DiagnosticKind::Skipped => "skipped",
            DiagnosticKind::Note => "note",
        }
    }

    /// True when the content named by the diagnostic is not in any record.
    pub fn loses_content(self) -> bool {
        matches!(self, DiagnosticKind::Unplaced | DiagnosticKind::Skipped)
    }
}

impl fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A finding about one line of a document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: String,
    pub line: u32,
    pub kind: DiagnosticKind,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    /// `file:line: kind: message`, the format compilers use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.kind, self.message
        )
    }
}

/// How far a source's word goes (`authority` in `raw/sources.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Authority {
    /// Published by the platform itself: decides, newest first.
    Official,
    /// A third party's summary: decides only what no official source states.
    Reference,
}

impl Authority {
    pub fn as_str(self) -> &'static str {
        match self {
            Authority::Official => "official",
            Authority::Reference => "reference",
        }
    }
}

impl fmt::Display for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Fields that only some kinds of source state, typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SourceFields {
    /// A category table row: nothing beyond the common fields.
    #[default]
    Plain,
    /// A requirement card (the live-streaming page). Boxed: one source
    /// has cards, and every record of every source is 16 bytes smaller.
    Card(Box<Card>),
    /// An entry of a change notice.
    Notice {
        section: NoticeSection,
        /// The entry is open only to an internal beta (内测).
        beta: bool,
    },
}

/// What a requirement card states beyond the common fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Card {
    /// 小程序直播场景, as written.
    pub scenario: Text,
    /// `资质要求（N选1）`: pick one of `of`.
    pub choose: Option<Choice>,
}

/// Which section of a change notice an entry is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeSection {
    /// 类目新增: the entry creates a category.
    Added,
    /// 类目调整: the entry replaces the requirement of a category.
    Adjusted,
}

impl NoticeSection {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeSection::Added => "added",
            NoticeSection::Adjusted => "adjusted",
        }
    }
}

impl fmt::Display for NoticeSection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The shape of an extraction's records: which [`SourceFields`] they carry,
/// and so which columns follow the common ones in its CSV.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RecordShape {
    #[default]
    Plain,
    Card,
    Notice,
}

/// Everything a parser got out of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extraction {
    /// Which source-specific fields every record carries.
    pub shape: RecordShape,
    pub records: Vec<ExtractedRecord>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One entry of the filing guide (小程序备案服务内容选择指引): what to choose
/// as "service content" when filing a mini program, and the advice for
/// individual and organisation filers.
///
/// Texts that many entries repeat (the inherited level-1 name, the advice)
/// are shared [`Text`]s, the others are sized exactly (`Box<str>`: a scaled
/// guide holds 171,000 entries); the items are places in the description
/// ([`FilingEntry::items`]), not copies of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingEntry {
    pub provenance: Provenance,
    /// Last line of the entry (its remark's last line), for accounting.
    pub last_line: u32,
    pub level1: Text,
    pub level2: Box<str>,
    /// 释义, lines as written (numbered items one per line); empty for `/`.
    pub description: Box<str>,
    /// The description split into its numbered items (one item if
    /// unnumbered), as places in `description`; read them with
    /// [`FilingEntry::items`].
    pub item_places: Box<[ItemPlaces]>,
    /// Advice after `个人备案:` as written.
    pub personal: Text,
    /// Advice after `单位备案:` as written.
    pub unit: Text,
    pub personal_advice: Option<Advice>,
    pub unit_advice: Option<Advice>,
    /// 备注, lines as written; empty for `/`.
    pub remark: Box<str>,
}

impl FilingEntry {
    /// The items of the description, in order.
    pub fn items(&self) -> impl ExactSizeIterator<Item = DescriptionItem<'_>> + '_ {
        self.item_places.iter().map(|item| DescriptionItem {
            name: item.name.read(&self.description),
            text: item.text.read(&self.description),
            personal_allowed: item.personal_allowed,
        })
    }
}

/// Everything the filing-guide parser got out of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilingExtraction {
    pub entries: Vec<FilingEntry>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One item of a description: `2、宠物医院/兽医:适用于…(个人主体不可从事)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DescriptionItem<'a> {
    /// The name before `:`, empty when the item has none.
    pub name: &'a str,
    /// The text, without the `(个人主体不可从事)` marker.
    pub text: &'a str,
    /// False when the item is marked `(个人主体不可从事)`.
    pub personal_allowed: bool,
}

/// Where the texts of a [`DescriptionItem`] are in its entry's description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemPlaces {
    pub name: Piece,
    pub text: Piece,
    pub personal_allowed: bool,
}

/// A text that is (almost always) a part of another text: its byte range
/// there, or, when it is not a part of it, its own copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// `whole[start..end]`.
    In {
        start: u32,
        end: u32,
    },
    Own(Box<str>),
}

impl Default for Piece {
    fn default() -> Piece {
        Piece::In { start: 0, end: 0 }
    }
}

impl Piece {
    /// `part` as a piece of `whole`: its range when it is a subslice of
    /// `whole` or occurs in it, else a copy.
    pub fn of(whole: &str, part: &str) -> Piece {
        let range = place_in(whole, part).and_then(|start| {
            Some((
                u32::try_from(start).ok()?,
                u32::try_from(start + part.len()).ok()?,
            ))
        });
        match range {
            Some((start, end)) => Piece::In { start, end },
            None => Piece::Own(part.into()),
        }
    }

    /// The text, read from `whole` (empty if the range is not in it).
    pub fn read<'a>(&'a self, whole: &'a str) -> &'a str {
        match self {
            Piece::In { start, end } => whole.get(*start as usize..*end as usize).unwrap_or(""),
            Piece::Own(text) => text,
        }
    }
}

/// Filing advice, normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Advice {
    /// 不建议选择
    NotRecommended,
    /// 可选
    Optional,
    /// 可选,符合个人性质
    OptionalIfIndividualNature,
    /// 可选,需符合单位经营范围
    OptionalWithinBusinessScope,
    /// 可选,需要资质
    OptionalLicenceRequired,
}

impl Advice {
    pub fn as_str(self) -> &'static str {
        match self {
            Advice::NotRecommended => "not-recommended",
            Advice::Optional => "optional",
            Advice::OptionalIfIndividualNature => "optional-if-individual-nature",
            Advice::OptionalWithinBusinessScope => "optional-within-business-scope",
            Advice::OptionalLicenceRequired => "optional-licence-required",
        }
    }
}

/// Input a parser cannot read at all; carries the position, like `csv::Error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ParseError {
    pub file: String,
    /// 1-based line; 0 when the problem is the document as a whole.
    pub line: u32,
    pub message: String,
}

/// The meaning of a column of a category table, recognised from its header text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// Category level 1, 2 or 3 (一级/二级/三级 分类 or 类目).
    Level(u8),
    /// 法务建议(的)资质文件: what must be uploaded.
    Requirement,
    /// 备注.
    Notes,
}

impl Column {
    /// Maps a header cell to its column; `None` for headers leimu does not know,
    /// which callers must report rather than guess.
    ///
    /// ```
    /// use leimu_model::Column;
    /// assert_eq!(Column::from_header("二级类目"), Some(Column::Level(2)));
    /// assert_eq!(Column::from_header(" 法务建议的资质文件 "), Some(Column::Requirement));
    /// assert_eq!(Column::from_header("价格"), None);
    /// ```
    pub fn from_header(text: &str) -> Option<Column> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        match compact.as_str() {
            "一级分类" | "一级类目" => Some(Column::Level(1)),
            "二级分类" | "二级类目" => Some(Column::Level(2)),
            "三级分类" | "三级类目" => Some(Column::Level(3)),
            "法务建议的资质文件" | "法务建议资质文件" => Some(Column::Requirement),
            "备注" => Some(Column::Notes),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_lines_render_back_as_they_were() {
        let cases = [
            ("1、", "《营业执照》", "1、《营业执照》"),
            ("①", "《甲》", "① 《甲》"),
            ("一、", "自营型提供", "一、自营型提供(2选1):"),
            ("", "", "(2选1):"),
            ("2、", "《乙》", "《乙》 2、"),
            ("3、", "不在行中", "3、别的"), // kept after the line
        ];
        for (label, text, line) in cases {
            let node = RequirementNode::new(label, text, line);
            assert_eq!(node.render(), line);
            assert_eq!((node.label(), node.text()), (label, text));
            assert_eq!(node.line(), line);
        }
        let unwritten = RequirementNode::new("", "《甲》", "");
        assert!(!unwritten.has_line());
        assert_eq!(unwritten.text(), "《甲》");
        // Places in one shared text, the rare lists behind one pointer: 160
        // bytes and three allocations with a `String` each for label, text
        // and line; 80 with the text an `Arc<str>`.
        assert_eq!(std::mem::size_of::<RequirementNode>(), 72);
    }

    #[test]
    fn a_shared_rendering_is_the_rendering_and_the_nodes_read_from_it() {
        let leaf = |label: &str, text: &str, line: &str| RequirementNode::new(label, text, line);
        let mut root = leaf("", "", "(2选1):");
        let mut first = leaf("1、", "《甲》", "1、《甲》");
        first.set_notes(vec!["甲的注".into()]);
        first.children = vec![leaf("①", "《丙》", "①《丙》")].into();
        root.children = vec![
            first,
            leaf("", "", ""),
            leaf("2、", "不在行中", "2、《乙》"), // keeps its own text
        ]
        .into();
        root.set_notes(vec!["总注".into()]);
        let expected = root.clone();
        let rendered = root.render();
        let shared = root.render_shared();
        assert_eq!(shared, rendered.as_str());
        assert_eq!(root, expected);
        assert_eq!(root.render(), rendered);
        let in_shared = |node: &RequirementNode| Text::shares(&node.texts, &shared);
        assert!(in_shared(&root) && in_shared(&root.children[0]));
        assert!(in_shared(&root.children[0].children[0]));
        assert!(!in_shared(&root.children[2]));
        assert_eq!(root.children[0].children[0].line(), "①《丙》");
        assert_eq!(root.children[0].children[0].text(), "《丙》");
        // Sharing again changes nothing readable.
        let again = root.render_shared();
        assert_eq!((again.as_str(), &root), (rendered.as_str(), &expected));
        // A block without a line of its own: its children's lines.
        let mut bare = RequirementNode {
            children: vec![
                leaf("1、", "《甲》", "1、《甲》"),
                leaf("2、", "《乙》", "2、《乙》"),
            ]
            .into(),
            ..RequirementNode::default()
        };
        bare.set_notes(vec!["注一".into()]);
        let rendered = bare.render();
        assert_eq!(rendered, "1、《甲》\n2、《乙》\n注:注一");
        assert_eq!(bare.render_shared(), rendered.as_str());
        assert_eq!(bare.children[1].label(), "2、");
        assert_eq!(bare.children[1].line(), "2、《乙》");
    }

    #[test]
    fn alternatives_and_notes_are_set_apart() {
        let mut node = RequirementNode::new("", "《甲》或《乙》", "《甲》或《乙》");
        assert!(node.extras.is_none());
        node.set_alternatives(vec!["《甲》".into(), "《乙》".into()]);
        node.set_notes(vec!["注".into()]);
        let boxed = Box::<str>::from;
        assert_eq!(node.alternatives(), [boxed("《甲》"), boxed("《乙》")]);
        assert_eq!(node.notes(), [boxed("注")]);
        node.set_alternatives(Vec::new());
        assert!(node.alternatives().is_empty());
        assert_eq!(node.notes(), [boxed("注")]);
        node.set_notes(Vec::new());
        assert!(node.extras.is_none(), "nothing kept for two empty lists");
    }

    #[test]
    fn a_record_is_small() {
        // Texts as shared thin `Text`s, exact lists, card fields boxed: 248
        // bytes with a `String` and a `Vec` each and the card inline, 168
        // with `Text` an `Arc<str>`.
        assert_eq!(std::mem::size_of::<ExtractedRecord>(), 112);
    }

    #[test]
    fn a_record_shares_the_texts_equal_to_the_previous_records() {
        let record = |level2: &str, requirement: &str| ExtractedRecord {
            provenance: Provenance {
                source: "s".into(),
                line: 1,
            },
            subject: None,
            path: CategoryPath {
                level1: "社交".into(),
                level2: level2.into(),
                level3: Text::default(),
            },
            requirement: requirement.into(),
            scope: Text::default(),
            notes: "注".into(),
            fields: SourceFields::Plain,
            requirement_tree: None,
            inherited: Box::default(),
        };
        let above = record("直播", "《甲》");
        let mut below = record("陌生人交友", "《甲》");
        let expected = below.clone();
        below.share_with(None);
        assert!(!Text::shares(&below.path.level1, &above.path.level1));
        below.share_with(Some(&above));
        assert_eq!(below, expected);
        assert!(Text::shares(&below.path.level1, &above.path.level1));
        assert!(Text::shares(&below.requirement, &above.requirement));
        assert!(Text::shares(&below.notes, &above.notes));
        assert!(!Text::shares(&below.path.level2, &above.path.level2));
    }

    #[test]
    fn item_pieces_read_back_from_their_description() {
        let description = "1、兽医:适用于宠物医院\n2、其他";
        let own = String::from("适用于宠物医院");
        assert_eq!(
            Piece::of(description, &description[11..32]).read(description),
            "适用于宠物医院"
        );
        assert!(matches!(Piece::of(description, &own), Piece::In { .. }));
        assert_eq!(Piece::of(description, &own).read(description), own);
        let missing = Piece::of(description, "不在其中");
        assert_eq!(missing, Piece::Own("不在其中".into()));
        assert_eq!(missing.read(description), "不在其中");
    }
}
