//! `ingest` and `check` as the command line and `cargo xtask` run them.

use std::path::Path;

use anyhow::Result;

use crate::diff::{self, Snapshot};
use crate::pipeline::{self, Difference, Generated};

/// Regenerates `root/normalized`, prints a per-source summary and what
/// changed against the categories that were on disk before.
pub fn ingest(root: &Path) -> Result<()> {
    let generated = pipeline::generate(root)?;
    let changes = changes_since_disk(root, &generated)?;
    let report = pipeline::write(root, &generated)?;
    eprint!("{}", report.leftover_summary());
    print!("{}", generated.summary());
    print!("{}", generated.parse_summary());
    println!(
        "wrote {} files to {}",
        generated.files.len(),
        root.join("normalized").display()
    );
    print!("{changes}");
    Ok(())
}

/// How many categories of each kind of change the ingest summary names.
const SUMMARY_FIRST: usize = 5;

/// The diff of `normalized/categories.json` on disk against the generated one, summarised.
fn changes_since_disk(root: &Path, generated: &Generated) -> Result<String> {
    let before = root.join("normalized").join("categories.json");
    if !before.is_file() {
        return Ok("categories: no normalized/categories.json before this run\n".into());
    }
    let generated_json = generated
        .files
        .get("categories.json")
        .map_or(&[][..], Vec::as_slice);
    // The same bytes are the same categories: nothing to compare.
    if std::fs::read(&before).is_ok_and(|old| old == generated_json) {
        return Ok("categories: 0 added, 0 removed, 0 changed\n".into());
    }
    // A previous file that cannot be read must not stop the run that replaces it.
    let old = match Snapshot::load(&before) {
        Ok(old) => old,
        Err(e) => {
            return Ok(format!(
                "categories: not compared with the previous run: {e:#}\n"
            ))
        }
    };
    let new = Snapshot::from_json("categories.json (generated)", generated_json)?;
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
    let generated = pipeline::generate(root)?;
    let differences = pipeline::compare(root, &generated)?;
    if format == CheckFormat::Github {
        print!("{}", github_annotations(root, &generated, &differences));
        return Ok(differences.is_empty());
    }
    if differences.is_empty() {
        println!(
            "normalized/ is up to date ({} files)",
            generated.files.len()
        );
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
pub fn github_annotations(
    root: &Path,
    generated: &Generated,
    differences: &[Difference],
) -> String {
    let mut out = String::new();
    for d in differences {
        let (path, line, message) = match d {
            Difference::Missing(p) => (p, 1, "missing; run `cargo xtask ingest`"),
            Difference::Unexpected(p) => (p, 1, "not produced by raw/ (stale file)"),
            Difference::Changed { path, .. } => (
                path,
                first_differing_line(root, generated, path),
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

/// The 1-based first line where `normalized/<path>` on disk and the generated file differ.
fn first_differing_line(root: &Path, generated: &Generated, path: &str) -> usize {
    let on_disk = std::fs::read(root.join("normalized").join(path)).unwrap_or_default();
    let fresh = generated.files.get(path).map_or(&[][..], Vec::as_slice);
    let (old, new) = (
        String::from_utf8_lossy(&on_disk),
        String::from_utf8_lossy(fresh),
    );
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
