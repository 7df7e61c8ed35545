//! The registry of parsers: which crate reads which `parser` kind.

use leimu_model::{Diagnostic, DocumentInfo, Extraction, FilingExtraction, ParseError, ParserKind};

/// What a parser produced: category records, or the filing guide's entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extracted {
    Categories(Extraction),
    Filing(FilingExtraction),
}

impl Extracted {
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Extracted::Categories(e) => &e.diagnostics,
            Extracted::Filing(e) => &e.diagnostics,
        }
    }

    /// Number of records (or entries).
    pub fn len(&self) -> usize {
        match self {
            Extracted::Categories(e) => e.records.len(),
            Extracted::Filing(e) => e.entries.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The CSV and JSON renderings of the contract.
    pub fn render(&self) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
        Ok((self.render_csv()?, self.render_json()?))
    }

    /// The CSV rendering of the contract.
    pub fn render_csv(&self) -> anyhow::Result<Vec<u8>> {
        match self {
            Extracted::Categories(e) => crate::output::extraction_csv(e),
            Extracted::Filing(e) => crate::output::filing_csv(e),
        }
    }

    /// The JSON rendering of the contract.
    pub fn render_json(&self) -> anyhow::Result<Vec<u8>> {
        match self {
            Extracted::Categories(e) => crate::output::extraction_json(e),
            Extracted::Filing(e) => crate::output::filing_json(e),
        }
    }
}

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
) -> Result<Extracted, ExtractError> {
    let categories = Extracted::Categories;
    match kind {
        ParserKind::MarkdownTables => Ok(categories(leimu_markdown::parse(doc, text)?)),
        ParserKind::HtmlTables => Ok(categories(leimu_html::parse_tables(doc, text)?)),
        ParserKind::HtmlSections => Ok(categories(leimu_html::parse_sections(doc, text)?)),
        ParserKind::TextGuide => Ok(Extracted::Filing(leimu_guide::parse(doc, text)?)),
        ParserKind::Notice => Ok(categories(leimu_notice::parse(doc, text)?)),
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
