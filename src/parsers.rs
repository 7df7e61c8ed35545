//! The registry of parsers: which crate reads which `parser` kind.

use leimu_model::{DocumentInfo, Extraction, ParseError, ParserKind};

/// Why a document yielded no extraction.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("parser `{0}` is not implemented yet")]
    NotImplemented(ParserKind),
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// Runs the parser of `kind` on `text`.
pub fn extract(
    kind: ParserKind,
    doc: &DocumentInfo,
    text: &str,
) -> Result<Extraction, ExtractError> {
    match kind {
        ParserKind::MarkdownTables => Ok(leimu_markdown::parse(doc, text)?),
        ParserKind::HtmlTables => Ok(leimu_html::parse_tables(doc, text)?),
        ParserKind::HtmlSections => Ok(leimu_html::parse_sections(doc, text)?),
        ParserKind::TextGuide | ParserKind::Notice => Err(ExtractError::NotImplemented(kind)),
    }
}

/// Reads a document as UTF-8; invalid bytes are an error naming the line.
pub fn read_document(path: &std::path::Path, label: &str) -> Result<String, ParseError> {
    let bytes = std::fs::read(path).map_err(|e| ParseError {
        file: label.to_string(),
        line: 0,
        message: format!("cannot read: {e}"),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..valid]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        ParseError {
            file: label.to_string(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            message: format!("not UTF-8 (invalid byte at offset {valid})"),
        }
    })
}
