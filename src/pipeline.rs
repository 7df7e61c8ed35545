//! `ingest` and `check`: raw/ → extracted → written, all in memory first.
//!
//! [`generate`] produces every file of `normalized/` as bytes; [`write`]
//! replaces the directory in one step; [`compare`] tells how the directory on
//! disk differs from what `raw/` produces.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use leimu_model::{Diagnostic, DiagnosticKind, DocumentInfo};
use rayon::prelude::*;

use leimu_normalize::{Aliases, Mention, Normalized, SourceInput};

use crate::manifest::{self, Source};
use crate::output;
use crate::parsers::{self, ExtractError, Extracted};

/// Everything `normalized/` should contain, keyed by path relative to it.
#[derive(Debug, Default)]
pub struct Generated {
    pub files: BTreeMap<String, Vec<u8>>,
    pub sources: Vec<SourceOutcome>,
    pub normalized: Normalized,
}

/// What happened to one source.
#[derive(Debug)]
pub struct SourceOutcome {
    pub source: Source,
    /// `None` when the source's parser is not implemented yet.
    pub extraction: Option<Extracted>,
}

/// Reads `raw/` under `root` and produces the contents of `normalized/`.
///
/// Sources are parsed in parallel; results are assembled in manifest order,
/// so the output does not depend on the number of threads. Any source that
/// cannot be read fails the whole run.
pub fn generate(root: &Path) -> Result<Generated> {
    let raw = root.join("raw");
    let sources = manifest::load(&raw.join("sources.toml"))?;
    let results: Vec<Result<SourceOutcome>> = sources
        .into_par_iter()
        .map(|source| extract_source(&raw, source))
        .collect();
    let sources = results.into_iter().collect::<Result<Vec<_>>>()?;

    let mut files = BTreeMap::new();
    let diagnostics = sources.iter().flat_map(|o| {
        o.extraction
            .iter()
            .flat_map(|e| e.diagnostics())
            .map(|d| (o.source.id.as_str(), d))
    });
    files.insert(
        "diagnostics.csv".to_string(),
        output::diagnostics_csv(diagnostics)?,
    );

    let aliases = load_aliases(&raw.join("aliases.toml"))?;
    let files_of: Vec<String> = sources
        .iter()
        .map(|o| format!("raw/{}", o.source.file))
        .collect();
    let inputs: Vec<SourceInput> = sources
        .iter()
        .zip(&files_of)
        .filter_map(|(o, file)| match &o.extraction {
            Some(Extracted::Categories(extraction)) => Some(SourceInput {
                id: &o.source.id,
                file,
                as_of: &o.source.as_of,
                authority: o.source.authority,
                series: o.source.series.as_deref(),
                extraction,
            }),
            _ => None,
        })
        .collect();
    let mentions: Vec<Mention> = sources
        .iter()
        .filter_map(|o| match &o.extraction {
            Some(Extracted::Filing(guide)) => Some((o.source.id.as_str(), guide)),
            _ => None,
        })
        .flat_map(|(id, guide)| {
            guide.entries.iter().flat_map(move |e| {
                [&e.description, &e.remark].map(|text| Mention { source: id, text })
            })
        })
        .collect();
    let normalized = leimu_normalize::normalize(&inputs, &mentions, &aliases);
    for outcome in &sources {
        if let Some(extraction) = &outcome.extraction {
            let id = &outcome.source.id;
            let ids = normalized
                .assignments
                .get(id)
                .map_or(&[][..], Vec::as_slice);
            let (csv, json) = extraction.render(ids)?;
            files.insert(format!("extracted/{id}.csv"), csv);
            files.insert(format!("extracted/{id}.json"), json);
        }
    }
    files.insert(
        "categories.csv".into(),
        output::categories_csv(&normalized)?,
    );
    files.insert(
        "categories.json".into(),
        output::categories_json(&normalized)?,
    );
    files.insert("licences.csv".into(), output::licences_csv(&normalized)?);
    let (history_csv, history_json) = output::history(&normalized)?;
    files.insert("history.csv".into(), history_csv);
    files.insert("history.json".into(), history_json);
    files.insert(
        "conflicts.json".into(),
        output::conflicts_json(&normalized)?,
    );
    files.insert(
        "conflicts.md".into(),
        leimu_normalize::report::conflicts_markdown(&normalized).into_bytes(),
    );
    for o in &sources {
        if let Some(Extracted::Filing(guide)) = &o.extraction {
            files.insert("filing-services.csv".into(), output::filing_csv(guide)?);
            files.insert("filing-services.json".into(), output::filing_json(guide)?);
        }
    }
    files.insert(
        "datapackage.json".into(),
        crate::datapackage::describe(&files)?,
    );
    Ok(Generated {
        files,
        sources,
        normalized,
    })
}

/// Reads and checks a curated aliases file.
pub fn load_aliases(path: &Path) -> Result<Aliases> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Aliases::parse(&text).with_context(|| format!("in {}", path.display()))
}

/// The aliases `leimu extract` resolves category ids with: `path` if given,
/// else `raw/aliases.toml` when it exists, else none.
pub fn load_aliases_for_extract(path: Option<&Path>) -> Result<Aliases> {
    match path {
        Some(path) => load_aliases(path),
        None => {
            let default = Path::new("raw/aliases.toml");
            if default.is_file() {
                load_aliases(default)
            } else {
                Ok(Aliases::default())
            }
        }
    }
}

fn extract_source(raw: &Path, source: Source) -> Result<SourceOutcome> {
    let label = format!("raw/{}", source.file);
    let doc = DocumentInfo {
        source: source.id.clone(),
        file: label.clone(),
        default_subject: source.default_subject,
    };
    let text = parsers::read_document(&raw.join(&source.file), &label)?;
    match parsers::extract(source.parser, &doc, &text) {
        Ok(extraction) => Ok(SourceOutcome {
            source,
            extraction: Some(extraction),
        }),
        Err(ExtractError::NotImplemented(_)) => Ok(SourceOutcome {
            source,
            extraction: None,
        }),
        Err(ExtractError::Parse(e)) => Err(e.into()),
    }
}

impl Generated {
    /// One line per source: records and diagnostics by kind, or why it was skipped.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for o in &self.sources {
            let head = format!("{:<24} {:<16}", o.source.id, o.source.parser.as_str());
            match &o.extraction {
                None => out.push_str(&format!("{head} skipped: parser not implemented yet\n")),
                Some(e) => {
                    let mut kinds: BTreeMap<DiagnosticKind, usize> = BTreeMap::new();
                    for d in e.diagnostics() {
                        *kinds.entry(d.kind).or_default() += 1;
                    }
                    let detail: Vec<String> =
                        kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
                    out.push_str(&format!(
                        "{head} {:>4} records {:>4} diagnostics{}\n",
                        e.len(),
                        e.diagnostics().len(),
                        if detail.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", detail.join(", "))
                        }
                    ));
                }
            }
        }
        out
    }

    /// The share of requirements the grammar read without an unplaced part.
    pub fn parse_summary(&self) -> String {
        let n = &self.normalized;
        let share = n.parsed_share();
        format!(
            "{} canonical categories, {} changes ({} by the newest sources), {} disagreements, {} overlaps; requirements parsed completely: {} of {} ({share:.1}%)\n",
            n.categories.len(),
            n.changes.len(),
            n.changes.iter().filter(|c| c.recent).count(),
            n.disagreements.len(),
            n.overlaps.len(),
            n.requirements_parsed,
            n.requirements_read
        )
    }

    /// Every diagnostic, `file:line: kind: message`.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.sources
            .iter()
            .flat_map(|o| o.extraction.iter().flat_map(|e| e.diagnostics()))
    }
}

/// Replaces `root/normalized` with `generated` in one step.
///
/// Files are written to a temporary sibling directory which is then renamed
/// into place, so a failure at any point leaves the previous `normalized/`
/// as it was.
pub fn write(root: &Path, generated: &Generated) -> Result<()> {
    let target = root.join("normalized");
    let staging = root.join(".normalized.tmp");
    let previous = root.join(".normalized.old");
    for leftover in [&staging, &previous] {
        if leftover.exists() {
            fs::remove_dir_all(leftover)
                .with_context(|| format!("cannot remove {}", leftover.display()))?;
        }
    }
    for (relative, bytes) in &generated.files {
        let path = staging.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if target.exists() {
        fs::rename(&target, &previous)
            .with_context(|| format!("cannot move {} aside", target.display()))?;
    }
    if let Err(e) = fs::rename(&staging, &target) {
        // Put the previous output back before reporting.
        let _ = fs::rename(&previous, &target);
        return Err(e).with_context(|| format!("cannot move output into {}", target.display()));
    }
    if previous.exists() {
        fs::remove_dir_all(&previous)
            .with_context(|| format!("cannot remove {}", previous.display()))?;
    }
    Ok(())
}

/// How one file of `normalized/` differs from what `raw/` produces.
#[derive(Debug, PartialEq, Eq)]
pub enum Difference {
    Missing(String),
    Unexpected(String),
    Changed { path: String, diff: String },
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Missing(p) => write!(f, "normalized/{p}: missing"),
            Difference::Unexpected(p) => {
                write!(f, "normalized/{p}: not produced by raw/ (stale file)")
            }
            Difference::Changed { path, diff } => write!(f, "normalized/{path}: differs\n{diff}"),
        }
    }
}

/// Compares `root/normalized` with `generated`; empty when up to date.
pub fn compare(root: &Path, generated: &Generated) -> Result<Vec<Difference>> {
    let target = root.join("normalized");
    let on_disk = read_tree(&target)?;
    let mut differences = Vec::new();
    for (path, bytes) in &generated.files {
        match on_disk.get(path) {
            None => differences.push(Difference::Missing(path.clone())),
            Some(old) if old != bytes => differences.push(Difference::Changed {
                path: path.clone(),
                diff: unified_diff(path, old, bytes),
            }),
            Some(_) => {}
        }
    }
    for path in on_disk.keys() {
        if !generated.files.contains_key(path) {
            differences.push(Difference::Unexpected(path.clone()));
        }
    }
    Ok(differences)
}

/// At most this many diff lines are shown per file.
const MAX_DIFF_LINES: usize = 60;

fn unified_diff(path: &str, old: &[u8], new: &[u8]) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("normalized/{path} (on disk)"),
            &format!("normalized/{path} (from raw/)"),
        )
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() > MAX_DIFF_LINES {
        format!(
            "{}\n… {} more diff lines",
            lines[..MAX_DIFF_LINES].join("\n"),
            lines.len() - MAX_DIFF_LINES
        )
    } else {
        text
    }
}

fn read_tree(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    let mut pending: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in
            fs::read_dir(&current).with_context(|| format!("cannot list {}", current.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let Ok(relative) = path.strip_prefix(dir) else {
                    bail!("{} outside {}", path.display(), dir.display())
                };
                let key = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.insert(
                    key,
                    fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?,
                );
            }
        }
    }
    Ok(files)
}
