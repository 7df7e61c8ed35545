//! What every parser refuses to read, and what it cleans before reading.
//!
//! The limits are far above any real document (the largest real table has
//! about 480 rows, the deepest real HTML about 20 levels) and exist so that
//! a hostile or broken input fails with an error naming its line instead of
//! exhausting memory, time or the stack. The maximum document size is
//! checked where files are read, not here.

use std::borrow::Cow;

use crate::{Diagnostic, DiagnosticKind, DocumentInfo, ParseError};

/// Most body rows one table may have.
pub const MAX_TABLE_ROWS: usize = 1_000_000;

/// Deepest nesting of HTML elements a parser reads.
pub const MAX_NESTING_DEPTH: usize = 1_000;

impl DocumentInfo {
    /// The error for a table with more than [`MAX_TABLE_ROWS`] rows, at its line.
    pub fn too_many_rows(&self, line: u32, rows: usize) -> ParseError {
        ParseError {
            file: self.file.clone(),
            line,
            message: format!(
                "table has {rows} rows, more than the limit of {MAX_TABLE_ROWS}: refusing to read it"
            ),
        }
    }

    /// The error for elements nested deeper than [`MAX_NESTING_DEPTH`], at the
    /// line of the first element too deep.
    pub fn too_deep(&self, line: u32) -> ParseError {
        ParseError {
            file: self.file.clone(),
            line,
            message: format!(
                "elements nested more than {MAX_NESTING_DEPTH} deep: refusing to read the document"
            ),
        }
    }
}

/// The text without NUL characters, which no output may carry, and a note
/// for each line they were removed from.
///
/// ```
/// use leimu_model::{without_nul, DocumentInfo};
///
/// let doc = DocumentInfo { source: "d".into(), file: "d.txt".into(), default_subject: None };
/// let (text, notes) = without_nul(&doc, "a\nb\0c\n");
/// assert_eq!(text, "a\nbc\n");
/// assert_eq!(notes[0].line, 2);
/// ```
pub fn without_nul<'a>(doc: &DocumentInfo, text: &'a str) -> (Cow<'a, str>, Vec<Diagnostic>) {
    // memchr looks at whole vector registers; most documents have no NUL.
    if memchr::memchr(0, text.as_bytes()).is_none() {
        return (Cow::Borrowed(text), Vec::new());
    }
    let notes = text
        .split('\n')
        .enumerate()
        .filter(|(_, line)| line.contains('\0'))
        .map(|(i, _)| {
            doc.diagnostic(
                u32::try_from(i + 1).unwrap_or(u32::MAX),
                DiagnosticKind::Note,
                "NUL character(s) removed from this line",
            )
        })
        .collect();
    (Cow::Owned(text.replace('\0', "")), notes)
}
