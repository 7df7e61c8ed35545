//! `raw/sources.toml`: which documents exist, how to read them, and what is
//! known about them.

use std::path::Path;

use anyhow::{bail, Context, Result};
use leimu_model::{Authority, ParserKind, Subject};
use serde::Deserialize;

/// One entry of `raw/sources.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub file: String,
    pub parser: ParserKind,
    pub title: String,
    pub origin: String,
    /// Best estimate of the document's date, `YYYY-MM-DD`.
    pub as_of: String,
    /// Whether the platform publishes it (`official`) or a third party
    /// summarises it (`reference`).
    pub authority: Authority,
    /// The publication this document is a revision of, shared by its revisions.
    pub series: Option<String>,
    pub default_subject: Option<Subject>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub last_edited: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    source: Vec<Source>,
}

/// Reads and checks the manifest at `path` (errors name the file and line).
pub fn load(path: &Path) -> Result<Vec<Source>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse(&text).with_context(|| format!("in {}", path.display()))
}

/// Parses manifest text: ids unique and equal to the file stem, dates well formed.
pub fn parse(text: &str) -> Result<Vec<Source>> {
    let manifest: Manifest = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        match line {
            Some(line) => anyhow::anyhow!("line {line}: {}", e.message()),
            None => anyhow::anyhow!("{}", e.message()),
        }
    })?;
    let mut seen = std::collections::BTreeSet::new();
    for s in &manifest.source {
        if !seen.insert(s.id.as_str()) {
            bail!("source id `{}` appears twice", s.id);
        }
        let stem = Path::new(&s.file).file_stem().and_then(|x| x.to_str());
        if stem != Some(s.id.as_str()) {
            bail!(
                "source `{}`: id must be the stem of its file `{}`",
                s.id,
                s.file
            );
        }
        for (field, value) in [
            ("as_of", Some(&s.as_of)),
            ("period_start", s.period_start.as_ref()),
            ("period_end", s.period_end.as_ref()),
            ("last_edited", s.last_edited.as_ref()),
        ] {
            if let Some(v) = value {
                if !is_iso_date(v) {
                    bail!("source `{}`: {field} `{v}` is not a YYYY-MM-DD date", s.id);
                }
            }
        }
    }
    Ok(manifest.source)
}

fn is_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    matches!(parts.as_slice(), [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2))
        && matches!(parts[1].parse::<u8>(), Ok(1..=12))
        && matches!(parts[2].parse::<u8>(), Ok(1..=31))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = "[[source]]\nid = \"a\"\nfile = \"a.md\"\nparser = \"markdown-tables\"\ntitle = \"t\"\norigin = \"o\"\nas_of = \"2018-02-01\"\nauthority = \"official\"\n";

    #[test]
    fn reads_an_entry() {
        let sources = parse(ENTRY).unwrap();
        assert_eq!(sources[0].parser, ParserKind::MarkdownTables);
        assert_eq!(sources[0].default_subject, None);
    }

    #[test]
    fn errors_name_the_line() {
        let bad = ENTRY.replace("markdown-tables", "pdf");
        let err = format!("{:#}", parse(&bad).unwrap_err());
        assert!(err.contains("line 4"), "{err}");
    }

    #[test]
    fn rejects_inconsistent_entries() {
        assert!(parse(&ENTRY.replace("a.md", "b.md")).is_err());
        assert!(parse(&ENTRY.replace("2018-02-01", "2018-13-01")).is_err());
        assert!(parse(&format!("{ENTRY}{ENTRY}")).is_err());
        assert!(parse(&format!("{ENTRY}colour = \"red\"\n")).is_err());
    }
}
