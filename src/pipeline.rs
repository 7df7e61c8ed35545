//! `ingest` and `check`: raw/ → extracted → rendered, file by file.
//!
//! [`generate_into`] parses the sources, normalises them and renders every
//! file of `normalized/` into a [`Sink`]: memory ([`generate`]), the
//! staging directory of the safe writer ([`crate::write::Staging`], for
//! `ingest`), or a comparison with the files on disk ([`DiskComparison`],
//! for `check`). Large files are streamed into the sink as they are
//! serialised, never held whole in memory on the way to disk.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};
use leimu_model::{Diagnostic, DiagnosticKind, DocumentInfo};
use rayon::prelude::*;

use leimu_normalize::{Aliases, Mention, Normalized, Restriction, SourceInput};

use crate::dataset::{self, SourceInfo};
use crate::manifest::{self, Source};
use crate::output;
use crate::parsers::{self, ExtractError, Extracted};
use crate::report_html::{self, Categories, Parts};

/// Renders one file: writes its bytes to the writer it is given. A sink may
/// call it more than once (a comparison renders a differing file again to
/// show the difference).
pub type Render<'a> = dyn Fn(&mut dyn Write) -> Result<()> + Sync + 'a;

/// Where the rendered files of `normalized/` go. Files are put from
/// several threads at once.
pub trait Sink: Sync {
    /// Takes the file at `path` (relative to `normalized/`, `/`-separated).
    fn put(&self, path: &str, render: &Render) -> Result<()>;

    /// Takes the file at `path`, whose bytes are those of `like`, put before.
    fn put_copy(&self, path: &str, like: &str, render: &Render) -> Result<()> {
        let _ = like;
        self.put(path, render)
    }
}

/// Everything `normalized/` should contain, keyed by path relative to it.
#[derive(Debug, Default)]
pub struct Generated {
    pub files: BTreeMap<String, Vec<u8>>,
    pub sources: Vec<SourceOutcome>,
    pub normalized: Normalized,
}

/// What a run read and decided, besides the files it rendered.
#[derive(Debug, Default)]
pub struct Ingested {
    pub sources: Vec<SourceOutcome>,
    pub normalized: Normalized,
    /// The paths of the files rendered, relative to `normalized/`.
    pub paths: BTreeSet<String>,
}

/// What happened to one source.
#[derive(Debug)]
pub struct SourceOutcome {
    pub source: Source,
    /// `None` when the source's parser is not implemented yet.
    pub extraction: Option<Extracted>,
}

/// Reads `raw/` under `root` and produces the contents of `normalized/` in memory.
pub fn generate(root: &Path) -> Result<Generated> {
    let (ingested, memory) = generate_into(root, || Ok(InMemory::default()))?;
    Ok(Generated {
        files: memory.into_files(),
        sources: ingested.sources,
        normalized: ingested.normalized,
    })
}

/// Reads `raw/` under `root` and renders every file of `normalized/` into
/// the sink `open` makes. The sink is opened on a thread of its own while
/// the sources are read (taking a lock may wait for another run); when a
/// source cannot be read, it is dropped before anything is put into it.
///
/// Sources are parsed in parallel; the filing guide's files are rendered
/// while the normaliser runs, then the other files in parallel. Results
/// are assembled in manifest order and keyed by path, so the output does
/// not depend on the number of threads.
pub fn generate_into<S: Sink + Send>(
    root: &Path,
    open: impl FnOnce() -> Result<S> + Send,
) -> Result<(Ingested, S)> {
    let raw = root.join("raw");
    let (read, sink) = std::thread::scope(|scope| {
        let opening = scope.spawn(open);
        let read = read_sources(&raw);
        let sink = opening
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("opening the output panicked")));
        (read, sink)
    });
    let (sources, aliases) = read?;
    let sink = sink?;
    let out = Renderer::new(&sink);
    let (normalized, filing) = rayon::join(
        || normalize_sources(&sources, &aliases),
        || render_filing(&sources, &out),
    );
    filing?;
    render(&sources, &normalized, &out)?;
    let paths = out.into_paths();
    Ok((
        Ingested {
            sources,
            normalized,
            paths,
        },
        sink,
    ))
}

/// Every source of the manifest and the curated aliases.
fn read_sources(raw: &Path) -> Result<(Vec<SourceOutcome>, Aliases)> {
    let sources = extract_all(raw)?;
    let aliases = load_aliases(&raw.join("aliases.toml"))?;
    Ok((sources, aliases))
}

/// Every source of the manifest, parsed in parallel, in manifest order.
/// The costliest parse starts first (its file's size by its parser's
/// [`parsers::cost_per_byte`]): in manifest order the change notice, the
/// slowest per byte, came last and ran alone at the end. Every source is
/// read, so the error reported is the first in manifest order.
fn extract_all(raw: &Path) -> Result<Vec<SourceOutcome>> {
    let sources = manifest::load(&raw.join("sources.toml"))?;
    let cost = |source: &Source| {
        // A file that cannot be read fails in its parse, with its name.
        let bytes = fs::metadata(raw.join(&source.file)).map_or(0, |m| m.len());
        usize::try_from(bytes)
            .unwrap_or(usize::MAX)
            .saturating_mul(parsers::cost_per_byte(source.parser))
    };
    longest_first(sources, cost, |source| extract_source(raw, source))
        .into_iter()
        .collect()
}

/// The category sources, reconciled with the filing guide's licence
/// mentions and the items it closes to individuals (public for the
/// `normalize` bench, which times this step alone).
pub fn normalize_sources(sources: &[SourceOutcome], aliases: &Aliases) -> Normalized {
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
    // The filing guides list no categories, but name licences and close
    // items to individuals.
    let guides = sources
        .iter()
        .zip(&files_of)
        .filter_map(|(o, file)| match &o.extraction {
            Some(Extracted::Filing(guide)) => Some((o, file, guide)),
            _ => None,
        });
    let mut mentions: Vec<Mention> = Vec::new();
    let mut restrictions: Vec<Restriction> = Vec::new();
    for (o, file, guide) in guides {
        for e in &guide.entries {
            let source = o.source.id.as_str();
            mentions.extend([&e.description, &e.remark].map(|text| Mention { source, text }));
            restrictions.extend(
                not_for_individuals(e).map(|(offset, name, text)| Restriction {
                    source,
                    file,
                    as_of: &o.source.as_of,
                    authority: o.source.authority,
                    line: e.provenance.line + offset,
                    entry: [e.level1.as_str(), &e.level2],
                    name,
                    text,
                    subject: leimu_model::Subject::Personal,
                }),
            );
        }
    }
    leimu_normalize::normalize(&inputs, &mentions, &restrictions, aliases)
}

/// The items of a filing-guide entry marked `(个人主体不可从事)`: the line of
/// the description each is on (0 is the entry's first line), its name, and
/// the line as written.
fn not_for_individuals(
    entry: &leimu_model::FilingEntry,
) -> impl Iterator<Item = (u32, &str, &str)> + '_ {
    entry
        .items()
        .filter(|item| !item.personal_allowed && !item.name.is_empty())
        .filter_map(|item| {
            let (index, line) = entry
                .description
                .lines()
                .enumerate()
                .find(|(_, line)| line.contains(item.text))?;
            Some((u32::try_from(index).ok()?, item.name, line))
        })
}

/// Puts files into a sink and keeps what `datapackage.json` needs of them:
/// each CSV's header line.
struct Renderer<'s> {
    sink: &'s dyn Sink,
    headers: Mutex<BTreeMap<String, Vec<u8>>>,
    paths: Mutex<BTreeSet<String>>,
}

impl<'s> Renderer<'s> {
    fn new(sink: &'s dyn Sink) -> Self {
        Renderer {
            sink,
            headers: Mutex::default(),
            paths: Mutex::default(),
        }
    }

    /// Renders the file at `path` into the sink.
    fn file(&self, path: &str, render: impl Fn(&mut dyn Write) -> Result<()> + Sync) -> Result<()> {
        if !path.ends_with(".csv") {
            lock(&self.paths).insert(path.to_string());
            return self.sink.put(path, &render);
        }
        let header = Mutex::new(Vec::new());
        self.sink.put(path, &|out: &mut dyn Write| {
            let mut first_line = FirstLine {
                inner: out,
                line: &mut lock(&header),
            };
            render(&mut first_line)
        })?;
        self.keep_header(path, header.into_inner().unwrap_or_else(|p| p.into_inner()));
        Ok(())
    }

    /// A file already rendered into bytes.
    fn bytes(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.file(path, |out| Ok(out.write_all(bytes)?))
    }

    /// The file at `path` with the bytes of `like`, rendered before by `render`.
    fn copy(
        &self,
        path: &str,
        like: &str,
        render: impl Fn(&mut dyn Write) -> Result<()> + Sync,
    ) -> Result<()> {
        self.sink.put_copy(path, like, &render)?;
        let header = lock(&self.headers).get(like).cloned();
        match header {
            Some(header) => self.keep_header(path, header),
            None => {
                lock(&self.paths).insert(path.to_string());
            }
        }
        Ok(())
    }

    fn keep_header(&self, path: &str, header: Vec<u8>) {
        lock(&self.paths).insert(path.to_string());
        if path.ends_with(".csv") {
            lock(&self.headers).insert(path.to_string(), header);
        }
    }

    fn into_paths(self) -> BTreeSet<String> {
        self.paths.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

/// A mutex's data, also after a thread panicked holding it.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Passes bytes on and keeps those of the first line (a CSV's header).
struct FirstLine<'a, 'b> {
    inner: &'a mut dyn Write,
    line: &'b mut Vec<u8>,
}

impl Write for FirstLine<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.line.ends_with(b"\n") {
            let end = buf
                .iter()
                .position(|&b| b == b'\n')
                .map_or(buf.len(), |i| i + 1);
            self.line.extend_from_slice(&buf[..end]);
        }
        self.inner.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A rendering of some output files.
type Job<'a> = Box<dyn Fn() -> Result<()> + Send + Sync + 'a>;

/// How an extraction is written as one of its two formats.
type WriteTable = fn(&Extracted, &[Option<String>], &mut dyn Write) -> Result<()>;

/// `extracted/<id>.<extension>`: how each is written and its cost per
/// record relative to a CSV row (a JSON object is about twice as long).
const EXTRACTED_FORMATS: [(&str, WriteTable, usize); 2] = [
    ("csv", Extracted::write_csv, 1),
    ("json", Extracted::write_json, 2),
];

/// Runs `jobs`, each with a rough cost (rows it writes, a JSON row counting
/// twice), with [`longest_first`]; the first failure in job order is the error.
fn run_longest_first(jobs: Vec<(usize, Job)>) -> Result<()> {
    longest_first(jobs, |(cost, _)| *cost, |(_, job)| job())
        .into_iter()
        .collect()
}

/// `f` of every item on every thread, each thread taking the costliest item
/// not taken yet, so that the longest start first and none is left alone at
/// the end (rayon's halving of a list would start them in list order).
/// Results come in the order of `items`, whatever the threads.
fn longest_first<T: Send, R: Send>(
    items: Vec<T>,
    cost: impl Fn(&T) -> usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let mut order: Vec<usize> = (0..items.len()).collect();
    // Stable, so that items of one cost keep their order.
    order.sort_by_key(|&i| std::cmp::Reverse(cost(&items[i])));
    let results: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let items: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let next = AtomicUsize::new(0);
    (0..rayon::current_num_threads().min(items.len()))
        .into_par_iter()
        .for_each(|_| {
            while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                if let Some(item) = lock(&items[i]).take() {
                    let result = f(item);
                    *lock(&results[i]) = Some(result);
                }
            }
        });
    results
        .into_iter()
        .filter_map(|r| r.into_inner().unwrap_or_else(|p| p.into_inner()))
        .collect()
}

/// The filing guide's files, which need nothing of the normaliser:
/// `extracted/<id>.csv|json` and, from the last guide of the manifest,
/// `filing-services.csv|json`, the same table under the name of its meaning.
fn render_filing(sources: &[SourceOutcome], out: &Renderer) -> Result<()> {
    let guides: Vec<(&str, &Extracted)> = sources
        .iter()
        .filter_map(|o| match &o.extraction {
            Some(e @ Extracted::Filing(_)) => Some((o.source.id.as_str(), e)),
            _ => None,
        })
        .collect();
    let last = guides.len().saturating_sub(1);
    let jobs: Vec<Job> = guides
        .iter()
        .enumerate()
        .flat_map(|(i, &(id, guide))| {
            EXTRACTED_FORMATS.map(|(extension, write, _)| -> Job {
                Box::new(move || {
                    let path = format!("extracted/{id}.{extension}");
                    let render = |w: &mut dyn Write| write(guide, &[], w);
                    out.file(&path, render)?;
                    if i == last {
                        out.copy(&format!("filing-services.{extension}"), &path, render)?;
                    }
                    Ok(())
                })
            })
        })
        .collect();
    jobs.par_iter().try_for_each(|job| job())
}

/// Every other file of `normalized/`. The report (the longest) renders
/// beside the others, which run in parallel; `datapackage.json` describes
/// the CSV files, so it comes after them, while the report may still render.
fn render(sources: &[SourceOutcome], n: &Normalized, out: &Renderer) -> Result<()> {
    // Small tables the report reads as they are written.
    let (links, history) = rayon::join(
        || output::to_vec(|w| output::category_licences_csv(n, w)),
        || output::to_vec(|w| output::history_csv(n, w)),
    );
    let (links, history) = (links?, history?);
    let (report, tables) = rayon::join(
        || {
            out.file("report.html", |w| {
                report_html(sources, n, &links, &history, w)
            })
        },
        || render_tables(sources, n, &links, &history, out),
    );
    report?;
    tables
}

/// The files of `normalized/` but the filing guide's and the report, then
/// `datapackage.json`, which describes the CSVs among them.
fn render_tables(
    sources: &[SourceOutcome],
    n: &Normalized,
    links: &[u8],
    history: &[u8],
    out: &Renderer,
) -> Result<()> {
    let categories = n.categories.len();
    let conflicts = 2 * (n.changes.len() + n.disagreements.len() + n.reference_differences.len());
    let diagnostics = sources
        .iter()
        .flat_map(|o| &o.extraction)
        .map(|e| e.diagnostics().len());
    let mut jobs: Vec<(usize, Job)> = vec![
        (
            diagnostics.sum::<usize>() + n.repairs.len(),
            Box::new(|| out.file("diagnostics.csv", |w| diagnostics_csv(sources, n, w))),
        ),
        (
            categories,
            Box::new(|| out.file("categories.csv", |w| output::categories_csv(n, w))),
        ),
        (
            // Each object lists its contributing records.
            2 * (categories
                + n.categories
                    .iter()
                    .map(|c| c.contributors.len())
                    .sum::<usize>()),
            Box::new(|| out.file("categories.json", |w| output::categories_json(n, w))),
        ),
        (
            n.licences.len(),
            Box::new(|| out.file("licences.csv", |w| output::licences_csv(n, w))),
        ),
        (
            n.history.len(),
            Box::new(|| out.bytes("history.csv", history)),
        ),
        (
            2 * n.history.len(),
            Box::new(|| out.file("history.json", |w| output::history_json(n, w))),
        ),
        (
            n.links.len(),
            Box::new(|| out.bytes("category-licences.csv", links)),
        ),
        (
            conflicts,
            Box::new(|| out.file("conflicts.json", |w| output::conflicts_json(n, w))),
        ),
        (
            conflicts,
            Box::new(|| {
                out.file("conflicts.md", |w| {
                    let report = leimu_normalize::report::conflicts_markdown(n);
                    Ok(w.write_all(report.as_bytes())?)
                })
            }),
        ),
    ];
    for outcome in sources {
        let Some(extraction @ Extracted::Categories(_)) = &outcome.extraction else {
            continue;
        };
        let id = outcome.source.id.as_str();
        let ids = n.assignments.get(id).map_or(&[][..], Vec::as_slice);
        for (extension, write, cost) in EXTRACTED_FORMATS {
            jobs.push((
                cost * extraction.len(),
                Box::new(move || {
                    out.file(&format!("extracted/{id}.{extension}"), |w| {
                        write(extraction, ids, w)
                    })
                }),
            ));
        }
    }
    run_longest_first(jobs)?;
    let headers = lock(&out.headers).clone();
    out.file("datapackage.json", |w| {
        let package = crate::datapackage::describe(&headers)?;
        Ok(w.write_all(&package)?)
    })
}

/// `report.html`, from the values `categories.json` and `conflicts.json`
/// are serialised from and the bytes of the link and history tables.
fn report_html(
    sources: &[SourceOutcome],
    n: &Normalized,
    links: &[u8],
    history: &[u8],
    out: &mut dyn Write,
) -> Result<()> {
    let manifest: Vec<SourceInfo> = sources.iter().map(|o| (&o.source).into()).collect();
    let view = dataset::ReportView::read(&output::conflicts_report(n), links, history)?;
    let read = |i: usize| dataset::read_category(&output::category_object(&n.categories[i]));
    let categories = Categories::OneByOne {
        count: n.categories.len(),
        read: &read,
    };
    report_html::write_page(&Parts::of_view(&view, categories, &manifest), out)
}

/// `diagnostics.csv`: the parsers' diagnostics, then what the grammar
/// repaired, as notes.
fn diagnostics_csv(sources: &[SourceOutcome], n: &Normalized, out: &mut dyn Write) -> Result<()> {
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
    output::diagnostics_csv(diagnostics, out)
}

/// Files kept in memory.
#[derive(Debug, Default)]
pub struct InMemory(Mutex<BTreeMap<String, Vec<u8>>>);

impl InMemory {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.0.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

impl Sink for InMemory {
    fn put(&self, path: &str, render: &Render) -> Result<()> {
        let bytes = output::to_vec(render)?;
        lock(&self.0).insert(path.to_string(), bytes);
        Ok(())
    }

    fn put_copy(&self, path: &str, like: &str, render: &Render) -> Result<()> {
        let copied = lock(&self.0).get(like).cloned();
        match copied {
            Some(bytes) => {
                lock(&self.0).insert(path.to_string(), bytes);
                Ok(())
            }
            None => self.put(path, render),
        }
    }
}

impl Sink for crate::write::Staging {
    fn put(&self, path: &str, render: &Render) -> Result<()> {
        self.create(path, render)
    }

    fn put_copy(&self, path: &str, like: &str, _render: &Render) -> Result<()> {
        self.copy(like, path)
    }
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
        source: source.id.as_str().into(),
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

impl Ingested {
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
    Changed {
        path: String,
        diff: String,
        /// The first line (1-based) that differs.
        line: usize,
    },
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Missing(p) => write!(f, "normalized/{p}: missing"),
            Difference::Unexpected(p) => {
                write!(f, "normalized/{p}: not produced by raw/ (stale file)")
            }
            Difference::Changed { path, diff, .. } => {
                write!(f, "normalized/{path}: differs\n{diff}")
            }
        }
    }
}

/// Compares `root/normalized` with `generated`; empty when up to date.
pub fn compare(root: &Path, generated: &Generated) -> Result<Vec<Difference>> {
    let comparison = DiskComparison::open(root)?;
    for (path, bytes) in &generated.files {
        comparison.put(path, &|w: &mut dyn Write| Ok(w.write_all(bytes)?))?;
    }
    comparison.finish()
}

/// A sink that compares each file with the one on disk as it is rendered,
/// holding the reader's lock so no run swaps the directory meanwhile.
#[derive(Debug)]
pub struct DiskComparison {
    dir: PathBuf,
    differences: Mutex<BTreeMap<String, Difference>>,
    compared: Mutex<BTreeSet<String>>,
    _lock: Option<crate::write::OutputLock>,
}

impl DiskComparison {
    /// Compares with `root/normalized`.
    pub fn open(root: &Path) -> Result<DiskComparison> {
        Ok(DiskComparison {
            dir: root.join(crate::write::OUTPUT_DIR),
            differences: Mutex::default(),
            compared: Mutex::default(),
            _lock: crate::write::OutputLock::shared(root)?,
        })
    }

    /// The differences, by path, then the files on disk no rendering produced.
    pub fn finish(self) -> Result<Vec<Difference>> {
        let compared = self
            .compared
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        let mut differences: Vec<Difference> = self
            .differences
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .into_values()
            .collect();
        for path in list_tree(&self.dir)? {
            if !compared.contains(&path) {
                differences.push(Difference::Unexpected(path));
            }
        }
        Ok(differences)
    }

    fn difference(&self, path: &str, render: &Render) -> Result<Option<Difference>> {
        let file = self.dir.join(path);
        if !file.is_file() {
            return Ok(Some(Difference::Missing(path.to_string())));
        }
        let disk = File::open(&file).with_context(|| format!("cannot read {}", file.display()))?;
        let mut same = SameAs::new(BufReader::with_capacity(1 << 18, disk));
        render(&mut same)?;
        if same
            .matched_to_the_end()
            .with_context(|| format!("cannot read {}", file.display()))?
        {
            return Ok(None);
        }
        // A stale file: render it again, whole, to show how it differs.
        let new = output::to_vec(render)?;
        let old = fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
        Ok(Some(Difference::Changed {
            path: path.to_string(),
            diff: unified_diff(path, &old, &new),
            line: first_differing_line(&old, &new),
        }))
    }
}

impl Sink for DiskComparison {
    fn put(&self, path: &str, render: &Render) -> Result<()> {
        lock(&self.compared).insert(path.to_string());
        if let Some(difference) = self.difference(path, render)? {
            lock(&self.differences).insert(path.to_string(), difference);
        }
        Ok(())
    }
}

/// A sink that also compares one file, as it is rendered, with the
/// version of it at `before` (so that a run can say whether it changed
/// without reading the new file again).
pub struct ComparingOne<S> {
    inner: S,
    path: &'static str,
    before: PathBuf,
    /// Whether the last rendering of `path` had the bytes of `before`.
    same: Mutex<Option<bool>>,
}

impl<S> ComparingOne<S> {
    pub fn new(inner: S, path: &'static str, before: PathBuf) -> Self {
        ComparingOne {
            inner,
            path,
            before,
            same: Mutex::default(),
        }
    }

    /// True when the file was rendered with the bytes of `before`; `None`
    /// when it was not rendered or `before` could not be read.
    pub fn into_parts(self) -> (S, Option<bool>) {
        let same = self.same.into_inner().unwrap_or_else(|p| p.into_inner());
        (self.inner, same)
    }
}

impl<S: Sink> Sink for ComparingOne<S> {
    fn put(&self, path: &str, render: &Render) -> Result<()> {
        if path != self.path {
            return self.inner.put(path, render);
        }
        self.inner.put(path, &|out: &mut dyn Write| {
            let Ok(before) = File::open(&self.before) else {
                *lock(&self.same) = None;
                return render(out);
            };
            let mut same = SameAs::new(BufReader::with_capacity(1 << 16, before));
            render(&mut Tee(out, &mut same))?;
            *lock(&self.same) = same.matched_to_the_end().ok();
            Ok(())
        })
    }

    fn put_copy(&self, path: &str, like: &str, render: &Render) -> Result<()> {
        self.inner.put_copy(path, like, render)
    }
}

/// Writes to two writers.
struct Tee<'a, 'b>(&'a mut dyn Write, &'b mut dyn Write);

impl Write for Tee<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write_all(buf)?;
        self.1.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()?;
        self.1.flush()
    }
}

/// A writer that compares what is written with a reader's bytes.
struct SameAs<R> {
    disk: R,
    same: bool,
    buffer: Vec<u8>,
}

impl<R: Read> SameAs<R> {
    fn new(disk: R) -> Self {
        SameAs {
            disk,
            same: true,
            buffer: Vec::new(),
        }
    }

    /// True when everything written was the reader's bytes, and nothing more is left.
    fn matched_to_the_end(mut self) -> std::io::Result<bool> {
        Ok(self.same && self.disk.read(&mut [0u8; 1])? == 0)
    }
}

impl<R: Read> Write for SameAs<R> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.same {
            self.buffer.resize(buf.len(), 0);
            match self.disk.read_exact(&mut self.buffer) {
                Ok(()) => self.same = self.buffer == buf,
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => self.same = false,
                Err(e) => return Err(e),
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The 1-based first line where two versions of a file differ.
pub fn first_differing_line(old: &[u8], new: &[u8]) -> usize {
    let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
    let mut old_lines = old.lines();
    let mut new_lines = new.lines();
    let mut line = 1;
    while let (Some(a), Some(b)) = (old_lines.next(), new_lines.next()) {
        if a != b {
            break;
        }
        line += 1;
    }
    line
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

/// The paths of the files under `dir`, relative to it, sorted.
fn list_tree(dir: &Path) -> Result<BTreeSet<String>> {
    let mut files = BTreeSet::new();
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
                files.insert(key);
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_first_starts_the_costliest_and_returns_in_item_order() {
        let items: Vec<usize> = vec![3, 50, 7, 50, 1, 20];
        for threads in [1, 2, 5] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let started = Mutex::new(Vec::new());
            let out = pool.install(|| {
                longest_first(
                    items.clone(),
                    |&cost| cost,
                    |cost| {
                        lock(&started).push(cost);
                        cost * 10
                    },
                )
            });
            assert_eq!(out, [30, 500, 70, 500, 10, 200], "{threads} threads");
            let started = started.into_inner().unwrap();
            if threads == 1 {
                // One thread takes them costliest first, ties in item order.
                assert_eq!(started, [50, 50, 20, 7, 3, 1]);
            } else {
                let mut sorted = started.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, [1, 3, 7, 20, 50, 50], "each once");
            }
        }
    }

    /// What `SameAs` says of `written`, in blocks of `block` bytes, against `disk`.
    fn same(disk: &[u8], written: &[u8], block: usize) -> bool {
        let mut same = SameAs::new(disk);
        for chunk in written.chunks(block) {
            same.write_all(chunk).unwrap();
        }
        same.matched_to_the_end().unwrap()
    }

    #[test]
    fn a_streamed_comparison_needs_every_byte_and_no_more() {
        let disk = b"id,name\n1,a\n2,b\n";
        for block in [1, 3, 64] {
            assert!(same(disk, disk, block));
            assert!(
                !same(disk, b"id,name\n1,a\n2,c\n", block),
                "one byte differs"
            );
            assert!(!same(disk, b"id,name\n1,a\n", block), "the disk has more");
            assert!(
                !same(disk, b"id,name\n1,a\n2,b\n3,c\n", block),
                "less on disk"
            );
        }
        assert!(same(b"", b"", 1));
    }

    #[test]
    fn one_file_is_compared_with_its_previous_version_as_it_is_rendered() {
        let dir = tempfile::tempdir().unwrap();
        let before = dir.path().join("categories.json");
        std::fs::write(&before, b"[1, 2]\n").unwrap();
        let same_as_before = |bytes: &'static [u8], path: &Path| {
            let sink = ComparingOne::new(InMemory::default(), "categories.json", path.into());
            sink.put("other.csv", &|w: &mut dyn Write| Ok(w.write_all(b"x")?))
                .unwrap();
            sink.put("categories.json", &|w: &mut dyn Write| {
                Ok(w.write_all(bytes)?)
            })
            .unwrap();
            let (inner, same) = sink.into_parts();
            assert_eq!(inner.into_files()["categories.json"], bytes);
            same
        };
        assert_eq!(same_as_before(b"[1, 2]\n", &before), Some(true));
        assert_eq!(same_as_before(b"[1, 3]\n", &before), Some(false));
        assert_eq!(same_as_before(b"[1, 2]\n[", &before), Some(false));
        assert_eq!(same_as_before(b"[1, 2]\n", &dir.path().join("none")), None);
    }

    #[test]
    fn the_first_differing_line_is_one_based() {
        assert_eq!(first_differing_line(b"a\nb\nc\n", b"a\nx\nc\n"), 2);
        assert_eq!(first_differing_line(b"a\n", b"b\n"), 1);
        // Only longer: the first line past the shorter one.
        assert_eq!(first_differing_line(b"a\n", b"a\nb\n"), 2);
    }

    #[test]
    fn the_header_line_is_kept_across_writes() {
        let mut out = Vec::new();
        let mut line = Vec::new();
        {
            let mut first = FirstLine {
                inner: &mut out,
                line: &mut line,
            };
            for chunk in [&b"sou"[..], b"rce,li", b"ne\ns,1\n", b"t,2\n"] {
                first.write_all(chunk).unwrap();
            }
        }
        assert_eq!(line, b"source,line\n");
        assert_eq!(out, b"source,line\ns,1\nt,2\n");
    }
}
