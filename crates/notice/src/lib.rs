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

use leimu_model::{
    collapse_whitespace, CategoryPath, DiagnosticKind, DocumentInfo, ExtractedRecord, Extraction,
    NoticeSection, ParseError, Provenance, RecordShape, SourceFields, Subject,
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
pub fn parse_with(
    converter: &dyn ToSimplified,
    doc: &DocumentInfo,
    text: &str,
) -> Result<Extraction, ParseError> {
    parse_simplified(doc, &converter.convert(text))
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
    let (text, nul) = leimu_model::without_nul(doc, text);
    let mut out = read_notice(doc, &text)?;
    out.diagnostics.splice(0..0, nul);
    Ok(out)
}

fn read_notice(doc: &DocumentInfo, text: &str) -> Result<Extraction, ParseError> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let start = lines
        .iter()
        .position(|l| section_of(l).is_some())
        .ok_or_else(|| ParseError {
            file: doc.file.clone(),
            line: 0,
            message: "no section line (类目新增 / 类目调整) found: not a category notice".into(),
        })?;
    let end = lines[start..]
        .iter()
        .position(|l| l.starts_with("请登录后查看"))
        .map_or(lines.len(), |i| start + i);

    let mut out = Extraction {
        shape: RecordShape::Notice,
        ..Extraction::default()
    };
    let report = |from: usize, to: usize, what: &str, out: &mut Extraction| {
        if lines[from..to].iter().any(|l| !l.is_empty()) {
            out.diagnostics.push(doc.diagnostic(
                line_number(from),
                DiagnosticKind::Skipped,
                format!(
                    "lines {}–{}: {what}, not part of the notice",
                    line_number(from),
                    to
                ),
            ));
        }
    };
    report(
        0,
        start,
        "page text before the first section (title, chrome)",
        &mut out,
    );

    // The scan starts at the first section line, so this is set before any entry.
    let mut section = NoticeSection::Added;
    let mut subject: Option<Subject> = None;
    let mut entry: Option<Entry> = None;
    let mut part = Part::Heading;
    for (i, &line) in lines.iter().enumerate().take(end).skip(start) {
        if line.is_empty() {
            continue;
        }
        if let Some(s) = section_of(line) {
            finish(entry.take(), doc, &mut out);
            section = s;
            subject = None;
            continue;
        }
        if entry.is_none() && line.chars().count() <= 8 {
            if let Some(s) = Subject::from_heading(line) {
                subject = Some(s);
                continue;
            }
        }
        if let Some(name) = line.strip_prefix("#【").and_then(|l| l.strip_suffix('】')) {
            finish(entry.take(), doc, &mut out);
            let (level1, level2) = name.split_once('-').unwrap_or((name, ""));
            entry = Some(Entry {
                line: i,
                section,
                subject,
                path: CategoryPath {
                    level1: collapse_whitespace(level1),
                    level2: collapse_whitespace(level2),
                    level3: String::new(),
                },
                requirement: Vec::new(),
                scope: Vec::new(),
                notes: Vec::new(),
                beta: Vec::new(),
            });
            part = Part::Heading;
            continue;
        }
        let Some(e) = entry.as_mut() else {
            out.diagnostics.push(doc.diagnostic(
                line_number(i),
                DiagnosticKind::Unplaced,
                format!("line outside any entry: {line}"),
            ));
            continue;
        };
        match line {
            "现资质要求" => part = Part::Requirement,
            "类目适用范围" => part = Part::Scope,
            _ => match part {
                Part::Requirement if line.contains("内测") => {
                    e.beta.push(collapse_whitespace(line))
                }
                Part::Requirement => e.requirement.push(line.to_string()),
                Part::Scope | Part::Notes if is_note(line) => {
                    part = Part::Notes;
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
                Part::Heading => out.diagnostics.push(doc.diagnostic(
                    line_number(i),
                    DiagnosticKind::Unplaced,
                    format!("line before 现资质要求 or 类目适用范围: {line}"),
                )),
            },
        }
    }
    finish(entry.take(), doc, &mut out);
    report(
        end,
        lines.len(),
        "forum page after the notice (from 请登录后查看)",
        &mut out,
    );
    if out.records.is_empty() {
        return Err(ParseError {
            file: doc.file.clone(),
            line: line_number(start),
            message: "no entry (#【一级-二级】) in the notice".into(),
        });
    }
    Ok(out)
}

fn finish(entry: Option<Entry>, doc: &DocumentInfo, out: &mut Extraction) {
    let Some(e) = entry else { return };
    let block: Vec<&str> = e.requirement.iter().map(String::as_str).collect();
    let tree = tree::requirement_tree(&block);
    let requirement = tree.as_ref().map(|t| t.render()).unwrap_or_default();
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
        scope: e.scope.join("\n"),
        notes: notes.join("\n"),
        fields: SourceFields::Notice {
            section: e.section,
            beta,
        },
        requirement_tree: tree.map(Box::new),
        inherited: Vec::new(),
    });
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
