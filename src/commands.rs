//! `ingest` and `check` as the command line and `cargo xtask` run them.

use std::path::Path;

use anyhow::Result;

use crate::diff::{self, Snapshot};
use crate::pipeline::{self, ComparingOne, Difference, DiskComparison, Ingested};
use crate::write::Staging;

/// Regenerates `root/normalized`, prints a per-source summary and what
/// changed against the categories that were on disk before.
///
/// The files are streamed into the safe writer's staging directory as they
/// are rendered; the new output replaces the old one only when all are written.
pub fn ingest(root: &Path) -> Result<()> {
    let before = root.join("normalized").join(CATEGORIES);
    let (ingested, sink) = pipeline::generate_into(root, || {
        Ok(ComparingOne::new(Staging::begin(root)?, CATEGORIES, before))
    })?;
    let (staging, unchanged) = sink.into_parts();
    let summary = format!(
        "{}{}wrote {} files to {}\n",
        ingested.summary(),
        ingested.parse_summary(),
        ingested.paths.len(),
        root.join("normalized").display()
    );
    drop_in_background(ingested);
    let changes = changes_since_disk(root, &staging.path().join(CATEGORIES), unchanged)?;
    let report = staging.commit()?;
    eprint!("{}", report.leftover_summary());
    print!("{summary}{changes}");
    Ok(())
}

/// Frees a run's records on a thread of its own, while the run finishes:
/// a process that exits next need not wait for a million frees. (If no
/// thread can be started, they are freed here.)
fn drop_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

const CATEGORIES: &str = "categories.json";

/// How many categories of each kind of change the ingest summary names.
const SUMMARY_FIRST: usize = 5;

/// The diff of `normalized/categories.json` on disk against the one just
/// generated (at `generated`), summarised. `unchanged` is whether the new
/// file was rendered with the bytes of the one on disk, if known.
fn changes_since_disk(root: &Path, generated: &Path, unchanged: Option<bool>) -> Result<String> {
    let before = root.join("normalized").join(CATEGORIES);
    if !before.is_file() {
        return Ok("categories: no normalized/categories.json before this run\n".into());
    }
    // The same bytes are the same categories: nothing to compare.
    if unchanged == Some(true) {
        return Ok("categories: 0 added, 0 removed, 0 changed\n".into());
    }
    let generated_json = std::fs::read(generated)?;
    // A previous file that cannot be read must not stop the run that replaces it.
    let old = match Snapshot::load(&before) {
        Ok(old) => old,
        Err(e) => {
            return Ok(format!(
                "categories: not compared with the previous run: {e:#}\n"
            ))
        }
    };
    let new = Snapshot::from_json("categories.json (generated)", &generated_json)?;
    let aliases = pipeline::load_aliases(&root.join("raw").join("aliases.toml"))?;
    Ok(diff::diff(&old, &new, &aliases).summary(SUMMARY_FIRST))
}

/// How `check` reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// Differences as unified diffs on standard error.
    #[default]
    Text,
    /// GitHub Actions workflow commands on standard output.
    Github,
}

/// Prints how `root/normalized` differs from what `raw/` produces; true when
/// it is up to date.
pub fn check(root: &Path) -> Result<bool> {
    check_as(root, CheckFormat::Text)
}

/// [`check`], reporting in `format`.
pub fn check_as(root: &Path, format: CheckFormat) -> Result<bool> {
    let (ingested, comparison) = pipeline::generate_into(root, || DiskComparison::open(root))?;
    let differences = comparison.finish()?;
    if format == CheckFormat::Github {
        print!("{}", github_annotations(&ingested, &differences));
        drop_in_background(ingested);
        return Ok(differences.is_empty());
    }
    let files = ingested.paths.len();
    drop_in_background(ingested);
    if differences.is_empty() {
        println!("normalized/ is up to date ({files} files)");
        return Ok(true);
    }
    for d in &differences {
        eprintln!("{d}");
    }
    eprintln!(
        "normalized/ is stale: {} file(s) differ from what raw/ produces; run `cargo xtask ingest`",
        differences.len()
    );
    Ok(false)
}

/// `::error` at the first differing line of each stale output, `::warning`
/// at the source line of each side of a disagreement and of each
/// `ambiguous` row.
pub fn github_annotations(generated: &Ingested, differences: &[Difference]) -> String {
    let mut out = String::new();
    for d in differences {
        let (path, line, message) = match d {
            Difference::Missing(p) => (p, 1, "missing; run `cargo xtask ingest`"),
            Difference::Unexpected(p) => (p, 1, "not produced by raw/ (stale file)"),
            Difference::Changed { path, line, .. } => (
                path,
                *line,
                "differs from what raw/ produces; run `cargo xtask ingest`",
            ),
        };
        out.push_str(&workflow_command(
            "error",
            &format!("normalized/{path}"),
            line,
            &format!("normalized/{path} {message}"),
        ));
    }
    for d in &generated.normalized.disagreements {
        let decides = d.sides.iter().find(|s| s.decides);
        for side in &d.sides {
            let versus = match decides {
                Some(decider) if !side.decides => {
                    format!("; decided by {}:{}", decider.file, decider.line)
                }
                _ => String::new(),
            };
            let message = format!(
                "{} · {}: {}; {} says: {}{versus}",
                d.subject,
                d.path,
                d.kind.describe(),
                side.source,
                if side.requirement.is_empty() {
                    "none required"
                } else {
                    &side.requirement
                },
            );
            out.push_str(&workflow_command(
                "warning", &side.file, side.line, &message,
            ));
        }
    }
    for o in &generated.normalized.overlaps {
        let children: Vec<String> = o
            .children
            .iter()
            .map(|c| format!("{} ({})", c.path, c.at))
            .collect();
        let (file, line) = o
            .end
            .at
            .rsplit_once(':')
            .map_or((o.end.at.as_str(), 1), |(file, line)| {
                (file, line.parse().unwrap_or(1))
            });
        let message = format!(
            "{} · {}: overlap: an end category here, divided in other sources into {}",
            o.subject,
            o.end.path,
            children.join(", ")
        );
        out.push_str(&workflow_command("warning", file, line, &message));
    }
    for d in generated
        .diagnostics()
        .filter(|d| d.kind == leimu_model::DiagnosticKind::Ambiguous)
    {
        out.push_str(&workflow_command(
            "warning",
            &d.file,
            d.line,
            &format!("ambiguous: {}", d.message),
        ));
    }
    out
}

/// `::kind file=…,line=…::message`, escaped as GitHub Actions requires.
fn workflow_command(kind: &str, file: &str, line: impl std::fmt::Display, message: &str) -> String {
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    format!(
        "::{kind} file={},line={line}::{}\n",
        property(file),
        data(message)
    )
}

#[cfg(test)]
mod tests {
    use super::workflow_command;

    #[test]
    fn workflow_commands_escape_their_properties_and_message() {
        assert_eq!(
            workflow_command("warning", "raw/a,b:c.md", 7, "50% of\nrows"),
            "::warning file=raw/a%2Cb%3Ac.md,line=7::50%25 of%0Arows\n"
        );
    }
}
