//! The registry of parsers: which crate reads which `parser` kind.

use std::io::Write;

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

    fn diagnostics_mut(&mut self) -> &mut Vec<Diagnostic> {
        match self {
            Extracted::Categories(e) => &mut e.diagnostics,
            Extracted::Filing(e) => &mut e.diagnostics,
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

    /// The CSV and JSON renderings of the contract; `ids` are the category
    /// ids of the records, in order (filing entries have none).
    pub fn render(&self, ids: &[Option<String>]) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
        Ok((self.render_csv(ids)?, self.render_json(ids)?))
    }

    /// The CSV rendering alone (for one format, without the other's memory).
    pub fn render_csv(&self, ids: &[Option<String>]) -> anyhow::Result<Vec<u8>> {
        crate::output::to_vec(|out| self.write_csv(ids, out))
    }

    /// The JSON rendering alone.
    pub fn render_json(&self, ids: &[Option<String>]) -> anyhow::Result<Vec<u8>> {
        crate::output::to_vec(|out| self.write_json(ids, out))
    }

    /// [`Extracted::render_csv`], written to `out`.
    pub fn write_csv(&self, ids: &[Option<String>], out: &mut dyn Write) -> anyhow::Result<()> {
        match self {
            Extracted::Categories(e) => crate::output::extraction_csv(e, ids, out),
            Extracted::Filing(e) => crate::output::filing_csv(e, out),
        }
    }

    /// [`Extracted::render_json`], written to `out`.
    pub fn write_json(&self, ids: &[Option<String>], out: &mut dyn Write) -> anyhow::Result<()> {
        match self {
            Extracted::Categories(e) => crate::output::extraction_json(e, ids, out),
            Extracted::Filing(e) => crate::output::filing_json(e, out),
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

/// Reads the document at `path`, decodes it to UTF-8 and runs the parser of
/// `kind` on it. A document that was not plain UTF-8 gets a `note` naming
/// its encoding, first among its diagnostics.
/// A parser's rough time per byte, relative to the fastest: what the
/// pipeline starts first. Measured on the real documents ×1000
/// (`perf_probe parse`, ns per byte): text-guide 4.8, markdown-tables 6.4,
/// html-tables 27, html-sections 28, notice 47 (most of it OpenCC's t2s).
pub fn cost_per_byte(kind: ParserKind) -> usize {
    match kind {
        ParserKind::TextGuide => 5,
        ParserKind::MarkdownTables => 6,
        ParserKind::HtmlTables | ParserKind::HtmlSections => 28,
        ParserKind::Notice => 47,
    }
}

pub fn extract_file(
    kind: ParserKind,
    doc: &DocumentInfo,
    path: &std::path::Path,
) -> Result<Extracted, ExtractError> {
    let decoded = crate::decode::read_document(path, &doc.file)?;
    let mut extracted = extract(kind, doc, &decoded.text)?;
    if let Some(note) = decoded.note(&doc.file) {
        extracted.diagnostics_mut().insert(0, note);
    }
    Ok(extracted)
}
