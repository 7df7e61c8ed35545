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

use serde::{Deserialize, Serialize};

mod limits;
mod shared;
mod text;

pub use limits::{without_nul, MAX_NESTING_DEPTH, MAX_TABLE_ROWS};
pub use shared::Text;

pub use text::{
    collapse_whitespace, collapsed, ends_document_char, ends_like_document, is_none_marker,
    licences, value_or_empty, LineIndex,
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

/// A category path; an empty string means the level is absent (`/` in the documents).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CategoryPath {
    pub level1: String,
    pub level2: String,
    pub level3: String,
}

impl fmt::Display for CategoryPath {
    /// `社交 › 熟人交友`, absent levels left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<&str> = [&self.level1, &self.level2, &self.level3]
            .into_iter()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        f.write_str(&parts.join(" › "))
    }
}

/// One category as one source states it, before any reconciliation.
///
/// Texts are as written in the source with whitespace runs collapsed; absent
/// values are empty strings. The licences of the requirement are derived on
/// output (see [`licences`]), not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractedRecord {
    pub provenance: Provenance,
    pub subject: Option<Subject>,
    pub path: CategoryPath,
    pub requirement: String,
    pub scope: String,
    pub notes: String,
    /// What only some kinds of source state (a card's scenario, a notice
    /// entry's section).
    pub fields: SourceFields,
    /// The requirement's structure, where the source states one (the notice).
    /// Boxed: most records have none, and a record is 150 bytes smaller
    /// without the tree inline (a scaled category list holds 383,000 records).
    pub requirement_tree: Option<Box<RequirementNode>>,
    /// Values the record takes from a merged cell written on an earlier
    /// line (a rowspan, or a span the markdown conversion flattened).
    pub inherited: Vec<Inherited>,
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
/// Texts and lists are sized exactly (`Box<str>`, `Box<[T]>`; the lists
/// are usually empty, which allocates nothing): a scaled notice holds
/// 141,000 nodes, and the tree is kept with its record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequirementNode {
    /// `一、`, `1、`, `①`, or empty.
    pub label: Box<str>,
    /// The line's text without its label and group marker.
    pub text: Box<str>,
    /// How the children combine; `None` for a leaf.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
    /// Alternatives joined by an inline `或` in `text`.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub alternatives: Box<[Box<str>]>,
    /// `注:` lines that qualify this node.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub notes: Box<[Box<str>]>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub children: Box<[RequirementNode]>,
    /// The line as written (collapsed), for rendering.
    #[serde(skip)]
    pub written: Written,
}

/// How a [`RequirementNode`]'s line is written around its label and text,
/// so that the node keeps no second copy of them: nearly every line is
/// its label, maybe a space, its text and a group marker such as
/// `(2选1):` or nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Written {
    /// No line of its own (the root of a block that starts with an item).
    #[default]
    Nothing,
    /// The label, a space when `spaced`, the text, then `tail`.
    Around { spaced: bool, tail: Box<str> },
    /// A line that is not its label and text with a tail.
    Line(Box<str>),
}

impl Written {
    /// `line` as written around `label` and `text`.
    pub fn of(label: &str, text: &str, line: &str) -> Written {
        if line.is_empty() {
            return Written::Nothing;
        }
        let Some(rest) = line.strip_prefix(label) else {
            return Written::Line(line.into());
        };
        let spaced = !rest.starts_with(text);
        let rest = if spaced {
            rest.strip_prefix(' ')
        } else {
            Some(rest)
        };
        match rest.and_then(|rest| rest.strip_prefix(text)) {
            Some(tail) => Written::Around {
                spaced,
                tail: tail.into(),
            },
            None => Written::Line(line.into()),
        }
    }

    /// True when the node has no line of its own.
    pub fn is_empty(&self) -> bool {
        matches!(self, Written::Nothing)
    }
}

impl From<&str> for Written {
    /// A line kept as it is.
    fn from(line: &str) -> Written {
        if line.is_empty() {
            Written::Nothing
        } else {
            Written::Line(line.into())
        }
    }
}

impl From<String> for Written {
    fn from(line: String) -> Written {
        Written::from(line.as_str())
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
        let mut lines = Vec::new();
        if self.written.is_empty() {
            for child in &self.children {
                child.render_into(0, &mut lines);
            }
            for note in &self.notes {
                lines.push(format!("注:{note}"));
            }
        } else {
            self.render_into(0, &mut lines);
        }
        lines.join("\n")
    }

    /// Appends the node's line as written (nothing when it has none).
    fn write_line(&self, out: &mut String) {
        match &self.written {
            Written::Nothing => {}
            Written::Around { spaced, tail } => {
                out.push_str(&self.label);
                if *spaced {
                    out.push(' ');
                }
                out.push_str(&self.text);
                out.push_str(tail);
            }
            Written::Line(line) => out.push_str(line),
        }
    }

    fn render_into(&self, depth: usize, lines: &mut Vec<String>) {
        let mut line = "  ".repeat(depth);
        self.write_line(&mut line);
        lines.push(line);
        for child in &self.children {
            child.render_into(depth + 1, lines);
        }
        for note in &self.notes {
            lines.push(format!("{}注:{note}", "  ".repeat(depth + 1)));
        }
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
    /// A requirement card (the live-streaming page).
    Card {
        /// 小程序直播场景, as written.
        scenario: String,
        /// `资质要求（N选1）`: pick one of `of`.
        choose: Option<Choice>,
    },
    /// An entry of a change notice.
    Notice {
        section: NoticeSection,
        /// The entry is open only to an internal beta (内测).
        beta: bool,
    },
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
        let offset = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
        let start = if offset <= whole.len() && whole.len() - offset >= part.len() {
            Some(offset)
        } else {
            whole.find(part)
        };
        let range = start.and_then(|start| {
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
            ("2、", "《乙》", "《乙》 2、"), // not label, text, tail: kept whole
        ];
        for (label, text, line) in cases {
            let node = RequirementNode {
                label: label.into(),
                text: text.into(),
                written: Written::of(label, text, line),
                ..RequirementNode::default()
            };
            assert_eq!(node.render(), line);
        }
        // Kept with every notice record: 160 bytes with `String`s and `Vec`s.
        assert_eq!(std::mem::size_of::<RequirementNode>(), 120);
        assert!(Written::of("", "", "").is_empty());
        assert!(matches!(
            Written::of("1、", "《甲》", "1、《甲》"),
            Written::Around { spaced: false, ref tail } if tail.is_empty()
        ));
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
