//! Scaled inputs for the benches and `cargo xtask bench-compare`, generated
//! from the real documents in raw/ so that nothing large is committed.
//!
//! Each document is scaled by repeating the part of it a parser reads as a
//! sequence — table body rows, card sections, guide entries, notice sections —
//! `times` times, so that the result is a valid document of the same format
//! whose records are the real ones, `times` over. Preambles, headers and page
//! furniture appear once.
//!
//! Shared by `benches/*.rs` and `examples/perf_probe.rs` (a `#[path]` module), so
//! that the benches and the comparison time the same inputs.

#![allow(dead_code)] // each includer uses part of it

use std::path::{Path, PathBuf};

/// A document of raw/ with its parser, as `raw/sources.toml` lists it.
pub struct Document {
    pub source: &'static str,
    pub file: &'static str,
    pub parser: leimu_model::ParserKind,
    pub default_subject: Option<leimu_model::Subject>,
}

pub const DOCUMENTS: [Document; 5] = {
    use leimu_model::{ParserKind as P, Subject as S};
    [
        Document {
            source: "service-categories",
            file: "service-categories.md",
            parser: P::MarkdownTables,
            default_subject: None,
        },
        Document {
            source: "special-materials-2017",
            file: "special-materials-2017.md",
            parser: P::HtmlTables,
            default_subject: Some(S::Enterprise),
        },
        Document {
            source: "live-streaming",
            file: "live-streaming.md",
            parser: P::HtmlSections,
            default_subject: Some(S::Enterprise),
        },
        Document {
            source: "filing-guide",
            file: "filing-guide.txt",
            parser: P::TextGuide,
            default_subject: None,
        },
        Document {
            source: "notice-2025q1",
            file: "notice-2025q1.txt",
            parser: P::Notice,
            default_subject: None,
        },
    ]
};

impl Document {
    /// The document of raw/ read by `parser`.
    pub fn of(parser: leimu_model::ParserKind) -> &'static Document {
        DOCUMENTS
            .iter()
            .find(|d| d.parser == parser)
            .expect("every parser reads one document of raw/")
    }

    pub fn info(&self) -> leimu_model::DocumentInfo {
        leimu_model::DocumentInfo {
            source: self.source.into(),
            file: format!("raw/{}", self.file),
            default_subject: self.default_subject,
        }
    }

    /// The real document.
    pub fn text(&self) -> String {
        std::fs::read_to_string(raw_dir().join(self.file)).expect("raw document readable")
    }

    /// The document with its repeated part written `times` times.
    pub fn scaled(&self, times: usize) -> String {
        scale(self.parser, &self.text(), times)
    }
}

/// raw/ of the workspace.
pub fn raw_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("raw")
}

/// `text` (a document read by `parser`) with its repeated part written `times` times.
pub fn scale(parser: leimu_model::ParserKind, text: &str, times: usize) -> String {
    use leimu_model::ParserKind as P;
    let text = with_final_newline(text);
    match parser {
        // Every body row of every pipe table; each body starts with a full row.
        P::MarkdownTables => repeat_blocks(&text, markdown_bodies(&text), times),
        // The rows of the grid: rowspans never cross <tbody>.
        P::HtmlTables => {
            let start = after(&text, "<tbody>");
            let end = text.find("</tbody>").expect("the page has a <tbody>");
            repeat_block(&text, start..end, times)
        }
        // The sections from the first `## ` heading to the end: headings and cards.
        P::HtmlSections => {
            let start = line_start(&text, |l| l.starts_with("## "));
            repeat_block(&text, start..text.len(), times)
        }
        // Every entry after the column-header line.
        P::TextGuide => {
            let header = line_start(&text, |l| l.starts_with("一级类目 二级类目"));
            let start = header + text[header..].find('\n').expect("header line ends") + 1;
            repeat_block(&text, start..text.len(), times)
        }
        // The sections of the notice, up to the forum widgets after it.
        P::Notice => {
            let start = line_start(&text, |l| l.trim() == "類目新增");
            let end = line_start(&text, |l| l.trim() == "請登錄后查看");
            repeat_block(&text, start..end, times)
        }
    }
}

/// Writes raw/ scaled `times` under `root` (sources.toml and aliases.toml as
/// they are), for a whole ingest of `root`.
///
/// A document that would pass leimu's per-document limit
/// ([`leimu::decode::MAX_DOCUMENT_BYTES`]) is written as several parts, each
/// a copy of the document scaled less, with its own `[[source]]` entry (the
/// original's, renamed `<id>-part<N>`), so the corpus keeps its size.
pub fn write_corpus(root: &Path, times: usize) -> std::io::Result<u64> {
    let raw = root.join("raw");
    std::fs::create_dir_all(&raw)?;
    std::fs::copy(raw_dir().join("aliases.toml"), raw.join("aliases.toml"))?;
    let mut manifest = std::fs::read_to_string(raw_dir().join("sources.toml"))?;
    let mut bytes = 0;
    for doc in &DOCUMENTS {
        let text = doc.scaled(times);
        let limit = leimu::decode::MAX_DOCUMENT_BYTES as usize;
        if text.len() <= limit {
            bytes += text.len() as u64;
            std::fs::write(raw.join(doc.file), text)?;
            continue;
        }
        // Parts at most half the limit, together as large as the whole.
        let parts = text.len().div_ceil(limit / 2);
        let part = doc.scaled(times.div_ceil(parts));
        let (stem, extension) = doc.file.split_once('.').unwrap_or((doc.file, ""));
        for n in 1..=parts {
            let id = if n == 1 {
                stem.to_string()
            } else {
                format!("{stem}-part{n}")
            };
            let file = format!("{id}.{extension}");
            if n > 1 {
                manifest.push_str(&renamed_entry(&manifest, stem, &id, doc.file, &file));
            }
            bytes += part.len() as u64;
            std::fs::write(raw.join(&file), &part)?;
        }
    }
    std::fs::write(raw.join("sources.toml"), manifest)?;
    Ok(bytes)
}

/// The `[[source]]` entry of `id` in `manifest`, renamed to `new_id` / `new_file`.
fn renamed_entry(manifest: &str, id: &str, new_id: &str, file: &str, new_file: &str) -> String {
    let entries = manifest.split("[[source]]").skip(1);
    let entry = entries
        .into_iter()
        .find(|e| e.contains(&format!("id = \"{id}\"")))
        .expect("every scaled document has a manifest entry");
    let body: String = entry
        .lines()
        .take_while(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    format!(
        "\n[[source]]{}",
        body.replace(&format!("id = \"{id}\""), &format!("id = \"{new_id}\""))
            .replace(
                &format!("file = \"{file}\""),
                &format!("file = \"{new_file}\"")
            )
    )
}

fn with_final_newline(text: &str) -> String {
    let mut text = text.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Byte offset just after the first `marker`.
fn after(text: &str, marker: &str) -> usize {
    text.find(marker).expect("marker present") + marker.len()
}

/// Byte offset of the first line for which `is_wanted` holds.
fn line_start(text: &str, is_wanted: impl Fn(&str) -> bool) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if is_wanted(line.trim_end()) {
            return offset;
        }
        offset += line.len();
    }
    panic!("no line of the document matches")
}

/// The byte ranges of the body rows of each pipe table: the lines starting
/// with `|` after a delimiter row.
fn markdown_bodies(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut bodies = Vec::new();
    let mut offset = 0;
    let mut body: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let is_row = trimmed.starts_with('|');
        match body {
            Some(start) if !is_row => {
                bodies.push(start..offset);
                body = None;
            }
            None if is_row
                && trimmed.contains('-')
                && trimmed.trim_matches(['|', '-', ':', ' ']).is_empty() =>
            {
                body = Some(offset + line.len());
            }
            _ => {}
        }
        offset += line.len();
    }
    if let Some(start) = body {
        bodies.push(start..text.len());
    }
    bodies
}

/// `text` with `block` written `times` times.
fn repeat_block(text: &str, block: std::ops::Range<usize>, times: usize) -> String {
    repeat_blocks(text, std::iter::once(block).collect(), times)
}

/// `text` with each of the (ordered, disjoint) `blocks` written `times` times.
fn repeat_blocks(text: &str, blocks: Vec<std::ops::Range<usize>>, times: usize) -> String {
    let repeated: usize = blocks.iter().map(|b| b.len()).sum();
    let mut out = String::with_capacity(text.len() + repeated * times.saturating_sub(1));
    let mut copied = 0;
    for block in blocks {
        out.push_str(&text[copied..block.start]);
        for _ in 0..times {
            out.push_str(&text[block.clone()]);
        }
        copied = block.end;
    }
    out.push_str(&text[copied..]);
    out
}
