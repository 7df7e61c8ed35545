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
/// Sources are parsed in parallel, and the output files are rendered in
/// parallel; results are assembled in manifest order and keyed by path, so
/// the output does not depend on the number of threads. Any source that
/// cannot be read fails the whole run.
pub fn generate(root: &Path) -> Result<Generated> {
    let raw = root.join("raw");
    let sources = extract_all(&raw)?;
    let aliases = load_aliases(&raw.join("aliases.toml"))?;
    let normalized = normalize_sources(&sources, &aliases);
    let files = render(&sources, &normalized)?;
    Ok(Generated {
        files,
        sources,
        normalized,
    })
}

/// Every source of the manifest, parsed in parallel, in manifest order.
fn extract_all(raw: &Path) -> Result<Vec<SourceOutcome>> {
    let sources = manifest::load(&raw.join("sources.toml"))?;
    let results: Vec<Result<SourceOutcome>> = sources
        .into_par_iter()
        .map(|source| extract_source(raw, source))
        .collect();
    results.into_iter().collect()
}

/// The category sources and the filing guide's licence mentions, reconciled.
fn normalize_sources(sources: &[SourceOutcome], aliases: &Aliases) -> Normalized {
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
    leimu_normalize::normalize(&inputs, &mentions, aliases)
}

/// One output file's path and bytes, or several.
type Rendered = Vec<(String, Vec<u8>)>;

/// A rendering of some output files from the extractions and the canonical data.
type Job<'a> = Box<dyn Fn() -> Result<Rendered> + Send + Sync + 'a>;

/// Every file of `normalized/`. The independent renderings run in parallel;
/// `datapackage.json` and `report.html` describe the others, so they come last.
fn render(sources: &[SourceOutcome], n: &Normalized) -> Result<BTreeMap<String, Vec<u8>>> {
    let one = |path: &str, bytes: Vec<u8>| vec![(path.to_string(), bytes)];
    let mut jobs: Vec<Job> = vec![
        Box::new(|| Ok(one("diagnostics.csv", diagnostics_csv(sources, n)?))),
        Box::new(|| Ok(one("categories.csv", output::categories_csv(n)?))),
        Box::new(|| Ok(one("categories.json", output::categories_json(n)?))),
        Box::new(|| Ok(one("licences.csv", output::licences_csv(n)?))),
        Box::new(|| {
            let (csv, json) = output::history(n)?;
            Ok(vec![
                ("history.csv".into(), csv),
                ("history.json".into(), json),
            ])
        }),
        Box::new(|| {
            Ok(one(
                "category-licences.csv",
                output::category_licences_csv(n)?,
            ))
        }),
        Box::new(|| Ok(one("conflicts.json", output::conflicts_json(n)?))),
        Box::new(|| {
            let report = leimu_normalize::report::conflicts_markdown(n);
            Ok(one("conflicts.md", report.into_bytes()))
        }),
    ];
    for outcome in sources {
        let Some(extraction) = &outcome.extraction else {
            continue;
        };
        let id = outcome.source.id.as_str();
        let ids = n.assignments.get(id).map_or(&[][..], Vec::as_slice);
        jobs.push(Box::new(move || {
            Ok(one(
                &format!("extracted/{id}.csv"),
                extraction.render_csv(ids)?,
            ))
        }));
        jobs.push(Box::new(move || {
            Ok(one(
                &format!("extracted/{id}.json"),
                extraction.render_json(ids)?,
            ))
        }));
        if let Extracted::Filing(guide) = extraction {
            jobs.push(Box::new(move || {
                Ok(vec![
                    ("filing-services.csv".into(), output::filing_csv(guide)?),
                    ("filing-services.json".into(), output::filing_json(guide)?),
                ])
            }));
        }
    }
    let rendered: Vec<Result<Rendered>> = jobs.par_iter().map(|job| job()).collect();
    let mut files = BTreeMap::new();
    for part in rendered {
        files.extend(part?);
    }
    files.insert(
        "datapackage.json".into(),
        crate::datapackage::describe(&files)?,
    );
    files.insert(
        "report.html".into(),
        crate::report_html::render(&files, sources.iter().map(|o| &o.source))?,
    );
    Ok(files)
}

/// `diagnostics.csv`: the parsers' diagnostics, then what the grammar
/// repaired, as notes.
fn diagnostics_csv(sources: &[SourceOutcome], n: &Normalized) -> Result<Vec<u8>> {
    let repairs: Vec<(&str, Diagnostic)> = n
        .repairs
        .iter()
        .map(|r| {
            let diagnostic = Diagnostic {
                file: r.file.clone(),
                line: r.line,
                kind: DiagnosticKind::Note,
                message: format!("requirement read after a repair: {}", r.message),
            };
            (r.source.as_str(), diagnostic)
        })
        .collect();
    let diagnostics = sources
        .iter()
        .flat_map(|o| {
            o.extraction
                .iter()
                .flat_map(|e| e.diagnostics())
                .map(|d| (o.source.id.as_str(), d))
        })
        .chain(repairs.iter().map(|(source, d)| (*source, d)));
    output::diagnostics_csv(diagnostics)
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
    match parsers::extract_file(source.parser, &doc, &raw.join(&source.file)) {
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
            "{} canonical categories, {} changes ({} by the newest sources), {} disagreements, {} overlaps; requirements parsed completely: {} of {} ({share:.1}%); {}\n",
            n.categories.len(),
            n.changes.len(),
            n.changes.iter().filter(|c| c.recent).count(),
            n.disagreements.len(),
            n.overlaps.len(),
            n.requirements_parsed,
            n.requirements_read,
            n.fidelity
        )
    }

    /// Every diagnostic, `file:line: kind: message`.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.sources
            .iter()
            .flat_map(|o| o.extraction.iter().flat_map(|e| e.diagnostics()))
    }
}

/// Replaces `root/normalized` with `generated` in one step; see
/// [`crate::write`] for the lock, the staging directory and the swap.
pub fn write(root: &Path, generated: &Generated) -> Result<crate::write::WriteReport> {
    crate::write::replace_output(root, &generated.files)
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
    let on_disk = {
        // Not while a run is swapping the directory.
        let _lock = crate::write::OutputLock::shared(root)?;
        read_tree(&target)?
    };
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
