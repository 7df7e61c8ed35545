//! The `notice` parser: the platform's quarterly category-change notice,
//! saved from a forum page in traditional Chinese.
//!
//! The text is converted to simplified Chinese with OpenCC `t2s` first
//! ([`convert`]); everything the parser outputs is simplified. Then:
//!
//! * **Where the notice is.** It begins at the first section line (`类目新增`
//!   or `类目调整`) and ends before `请登录后查看`, where the forum's reply
//!   widgets begin. The page text before and after is reported as one
//!   `skipped` diagnostic each, naming its lines.
//! * **Sections and subjects.** `类目新增` → section `added`, `类目调整` →
//!   `adjusted`; each is followed by a subject line (`非个人主体`, `境外主体`).
//! * **Entries.** `#【一级-二级】` (the first `-` splits the levels), then
//!   `现资质要求` and its block ([`tree`]), `类目适用范围` → `scope`, and `注:`
//!   notes → `notes` (one line, or the ①②③ lines after a bare `注:`).
//! * **Internal beta.** A requirement line saying the category is in internal
//!   beta (`内测`) sets `status = internal-beta`; that line, with its e-mail
//!   instructions, goes to `notes`, not to the requirement.
//!
//! Every non-blank line inside the notice belongs to a section line, a
//! subject line or one entry, or is reported as `unplaced`.

pub mod convert;
pub mod tree;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use leimu_model::{
    collapse_whitespace, CategoryPath, Diagnostic, DiagnosticKind, DocumentInfo, ExtractedRecord,
    Extraction, Interner, NoticeSection, ParseError, Provenance, RecordShape, RequirementNode,
    SourceFields, Subject, Text,
};

use convert::ToSimplified;

/// Parses a notice with the default converter ([`convert::FerrousOpenCC`]).
pub fn parse(doc: &DocumentInfo, text: &str) -> Result<Extraction, ParseError> {
    let converter = convert::FerrousOpenCC::new().map_err(|e| ParseError {
        file: doc.file.clone(),
        line: 0,
        message: e.to_string(),
    })?;
    parse_with(&converter, doc, text)
}

/// Parses a notice, converting it with `converter`.
///
/// Line by line: a line is converted, read and dropped, so the simplified
/// text is never held whole. The result is that of converting the whole
/// text first ([`convert`] says why).
pub fn parse_with(
    converter: &dyn ToSimplified,
    doc: &DocumentInfo,
    text: &str,
) -> Result<Extraction, ParseError> {
    read_notice(doc, text, |line| convert::simplified_line(converter, line))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Heading,
    Requirement,
    Scope,
    Notes,
}

struct Entry {
    line: usize,
    section: NoticeSection,
    subject: Option<Subject>,
    path: CategoryPath,
    requirement: Vec<String>,
    scope: Vec<String>,
    notes: Vec<String>,
    beta: Vec<String>,
}

/// Parses a notice already in simplified Chinese.
pub fn parse_simplified(doc: &DocumentInfo, text: &str) -> Result<Extraction, ParseError> {
    read_notice(doc, text, Cow::Borrowed)
}

/// Reads the lines of `text`, each trimmed and put through `simplify`, then
/// cleared of NUL characters (with a note, first among the diagnostics).
fn read_notice<'t>(
    doc: &DocumentInfo,
    text: &'t str,
    simplify: impl Fn(&'t str) -> Cow<'t, str>,
) -> Result<Extraction, ParseError> {
    let mut nul_notes = Vec::new();
    let mut reader = Reader::new(doc);
    let mut count = 0;
    for (i, line) in text.lines().enumerate() {
        let line = if reader.reads_text() {
            simplify(line.trim())
        } else {
            Cow::Borrowed(line.trim())
        };
        let line = if line.contains('\0') {
            nul_notes.push(nul_note(doc, i));
            Cow::Owned(line.replace('\0', ""))
        } else {
            line
        };
        reader.line(i, line.trim());
        count = i + 1;
    }
    // A last line of NULs alone, with no line break after it, is no line
    // once they are removed.
    if text
        .rsplit('\n')
        .next()
        .is_some_and(|last| !last.is_empty() && last.bytes().all(|b| b == 0))
    {
        count -= 1;
    }
    let mut out = reader.finish(count)?;
    out.diagnostics.splice(0..0, nul_notes);
    Ok(out)
}

/// The note [`leimu_model::without_nul`] gives a line with NUL characters.
fn nul_note(doc: &DocumentInfo, index: usize) -> Diagnostic {
    doc.diagnostic(
        line_number(index),
        DiagnosticKind::Note,
        "NUL character(s) removed from this line",
    )
}

/// Where a line is: before the first section line, in the notice, or from
/// `请登录后查看` on.
#[derive(Clone, Copy)]
enum Place {
    /// `text`: a non-blank line was seen.
    Before {
        text: bool,
    },
    Inside,
    After {
        from: usize,
        text: bool,
    },
}

/// The notice, read one line at a time.
struct Reader<'a> {
    doc: &'a DocumentInfo,
    out: Extraction,
    place: Place,
    start: usize,
    section: NoticeSection,
    subject: Option<Subject>,
    entry: Option<Entry>,
    part: Part,
    shared: Shared,
}

/// What the entries of a notice repeat, kept once: a level-1 name, a
/// requirement stated for several categories (with its tree), standard
/// notes. Level-2 names and scopes are each entry's own.
#[derive(Default)]
struct Shared {
    texts: Interner,
    /// Trees by their rendering.
    trees: HashMap<Text, Arc<RequirementNode>>,
}

impl Shared {
    /// The requirement of a block (its tree rendered) and its tree: those
    /// of an earlier entry when the two trees are equal; and the first line
    /// of the block read less deep than it nests ([`tree::MAX_TREE_DEPTH`]).
    fn requirement(
        &mut self,
        block: &[&str],
    ) -> (Text, Option<Arc<RequirementNode>>, Option<usize>) {
        let Some(tree::Block {
            tree,
            flattened_from,
        }) = tree::requirement_tree(block)
        else {
            return (Text::default(), None, None);
        };
        let (text, tree) = self.shared_tree(tree);
        (text, Some(tree), flattened_from)
    }

    fn shared_tree(&mut self, mut tree: RequirementNode) -> (Text, Arc<RequirementNode>) {
        // The tree reads its lines from the rendered requirement: one copy.
        let rendered = tree.render_shared();
        if let Some((text, known)) = self.trees.get_key_value(&rendered) {
            if **known == tree {
                return (text.clone(), Arc::clone(known));
            }
            // Equal renderings of unequal trees (a difference rendering
            // does not show): the first keeps the place.
            return (rendered, Arc::new(tree));
        }
        let tree = Arc::new(tree);
        self.trees.insert(rendered.clone(), Arc::clone(&tree));
        (rendered, tree)
    }
}

impl<'a> Reader<'a> {
    fn new(doc: &'a DocumentInfo) -> Reader<'a> {
        Reader {
            doc,
            out: Extraction {
                shape: RecordShape::Notice,
                ..Extraction::default()
            },
            place: Place::Before { text: false },
            start: 0,
            // Set by the first section line, before any entry.
            section: NoticeSection::Added,
            subject: None,
            entry: None,
            part: Part::Heading,
            shared: Shared::default(),
        }
    }

    /// False from `请登录后查看` on, where only whether a line is blank
    /// matters, which conversion does not change.
    fn reads_text(&self) -> bool {
        !matches!(self.place, Place::After { .. })
    }

    /// Reads line `i` (0-based), trimmed.
    fn line(&mut self, i: usize, line: &str) {
        match self.place {
            Place::Before { text } => {
                if section_of(line).is_some() {
                    self.place = Place::Inside;
                    self.start = i;
                    self.report_skipped(
                        0,
                        i,
                        text,
                        "page text before the first section (title, chrome)",
                    );
                    self.notice_line(i, line);
                } else if !line.is_empty() {
                    self.place = Place::Before { text: true };
                }
            }
            Place::Inside if line.starts_with("请登录后查看") => {
                self.place = Place::After {
                    from: i,
                    text: true,
                };
            }
            Place::Inside => self.notice_line(i, line),
            Place::After { from, text } => {
                self.place = Place::After {
                    from,
                    text: text || !line.is_empty(),
                }
            }
        }
    }

    /// The records, after the last of `count` lines.
    fn finish(mut self, count: usize) -> Result<Extraction, ParseError> {
        let doc = self.doc;
        match self.place {
            Place::Before { .. } => {
                return Err(ParseError {
                    file: doc.file.clone(),
                    line: 0,
                    message: "no section line (类目新增 / 类目调整) found: not a category notice"
                        .into(),
                })
            }
            Place::Inside => finish(self.entry.take(), doc, &mut self.out, &mut self.shared),
            Place::After { from, text } => {
                finish(self.entry.take(), doc, &mut self.out, &mut self.shared);
                self.report_skipped(
                    from,
                    count,
                    text,
                    "forum page after the notice (from 请登录后查看)",
                );
            }
        }
        if self.out.records.is_empty() {
            return Err(ParseError {
                file: doc.file.clone(),
                line: line_number(self.start),
                message: "no entry (#【一级-二级】) in the notice".into(),
            });
        }
        Ok(self.out)
    }

    /// Reports lines `from..to` (0-based) as skipped when `text` says one
    /// of them is not blank.
    fn report_skipped(&mut self, from: usize, to: usize, text: bool, what: &str) {
        if text {
            self.out.diagnostics.push(self.doc.diagnostic(
                line_number(from),
                DiagnosticKind::Skipped,
                format!(
                    "lines {}–{to}: {what}, not part of the notice",
                    line_number(from)
                ),
            ));
        }
    }

    fn unplaced(&mut self, i: usize, message: String) {
        let diagnostic = self
            .doc
            .diagnostic(line_number(i), DiagnosticKind::Unplaced, message);
        self.out.diagnostics.push(diagnostic);
    }

    /// A line inside the notice: section, subject, entry heading or part of
    /// an entry.
    fn notice_line(&mut self, i: usize, line: &str) {
        if line.is_empty() {
            return;
        }
        if let Some(s) = section_of(line) {
            finish(self.entry.take(), self.doc, &mut self.out, &mut self.shared);
            self.section = s;
            self.subject = None;
            return;
        }
        if self.entry.is_none() && line.chars().count() <= 8 {
            if let Some(s) = Subject::from_heading(line) {
                self.subject = Some(s);
                return;
            }
        }
        if let Some(name) = line.strip_prefix("#【").and_then(|l| l.strip_suffix('】')) {
            finish(self.entry.take(), self.doc, &mut self.out, &mut self.shared);
            self.entry = Some(self.entry_named(i, name));
            self.part = Part::Heading;
            return;
        }
        if self.entry.is_none() {
            self.unplaced(i, format!("line outside any entry: {line}"));
            return;
        }
        match line {
            "现资质要求" => self.part = Part::Requirement,
            "类目适用范围" => self.part = Part::Scope,
            _ => self.entry_line(i, line),
        }
    }

    /// A new entry `#【name】` on line `i`.
    fn entry_named(&mut self, i: usize, name: &str) -> Entry {
        let (level1, level2) = name.split_once('-').unwrap_or((name, ""));
        Entry {
            line: i,
            section: self.section,
            subject: self.subject,
            path: CategoryPath {
                level1: self.shared.texts.text(&collapse_whitespace(level1)),
                level2: collapse_whitespace(level2).into(),
                level3: Text::default(),
            },
            requirement: Vec::new(),
            scope: Vec::new(),
            notes: Vec::new(),
            beta: Vec::new(),
        }
    }

    /// A line of the current entry's requirement, scope or notes.
    fn entry_line(&mut self, i: usize, line: &str) {
        let Some(e) = self.entry.as_mut() else {
            return;
        };
        match self.part {
            Part::Requirement if line.contains("内测") => e.beta.push(collapse_whitespace(line)),
            Part::Requirement => e.requirement.push(line.to_string()),
            Part::Scope | Part::Notes if is_note(line) => {
                self.part = Part::Notes;
                let rest = line
                    .strip_prefix("注:")
                    .or_else(|| line.strip_prefix("注："))
                    .unwrap_or_default()
                    .trim();
                if !rest.is_empty() {
                    e.notes.push(collapse_whitespace(rest));
                }
            }
            Part::Scope => e.scope.push(collapse_whitespace(line)),
            Part::Notes => e.notes.push(collapse_whitespace(line)),
            Part::Heading => {
                self.unplaced(i, format!("line before 现资质要求 or 类目适用范围: {line}"))
            }
        }
    }
}

fn finish(entry: Option<Entry>, doc: &DocumentInfo, out: &mut Extraction, shared: &mut Shared) {
    let Some(e) = entry else { return };
    let block: Vec<&str> = e.requirement.iter().map(String::as_str).collect();
    let (requirement, tree, flattened_from) = shared.requirement(&block);
    if let Some(index) = flattened_from {
        out.diagnostics.push(doc.diagnostic(
            line_number(e.line),
            DiagnosticKind::Note,
            format!(
                "requirement nested more than {} levels deep: its lines from the {} on are read at that level, as siblings",
                tree::MAX_TREE_DEPTH,
                ordinal(index + 1)
            ),
        ));
    }
    let beta = !e.beta.is_empty();
    let notes: Vec<String> = e.beta.into_iter().chain(e.notes).collect();
    out.records.push(ExtractedRecord {
        provenance: Provenance {
            source: doc.source.clone(),
            line: line_number(e.line),
        },
        subject: e.subject.or(doc.default_subject),
        path: e.path,
        requirement,
        scope: e.scope.join("\n").into(),
        notes: shared.texts.text(&notes.join("\n")),
        fields: SourceFields::Notice {
            section: e.section,
            beta,
        },
        requirement_tree: tree,
        inherited: Box::default(),
    });
}

/// `1st`, `2nd`, `3rd`, `11th`, `22nd`, … (the Nth non-empty line of a block).
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix} non-empty line")
}

fn section_of(line: &str) -> Option<NoticeSection> {
    match line {
        "类目新增" => Some(NoticeSection::Added),
        "类目调整" => Some(NoticeSection::Adjusted),
        _ => None,
    }
}

fn is_note(line: &str) -> bool {
    line.starts_with("注:") || line.starts_with("注：")
}

fn line_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}
