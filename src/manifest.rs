//! `raw/sources.toml`: which documents exist, how to read them, and what is
//! known about them.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use anyhow::{anyhow, bail, Context, Result};
use leimu_model::{Authority, ParserKind, Subject};
use serde::Deserialize;
use toml::Spanned;

/// One entry of `raw/sources.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub id: String,
    /// Path relative to `raw/`, confined to it.
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

/// An entry as written, with the positions errors point at.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: Spanned<String>,
    file: Spanned<String>,
    parser: ParserKind,
    title: String,
    origin: String,
    as_of: Spanned<String>,
    authority: Authority,
    series: Option<String>,
    default_subject: Option<Subject>,
    period_start: Option<Spanned<String>>,
    period_end: Option<Spanned<String>>,
    last_edited: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    source: Vec<Entry>,
}

/// Reads and checks the manifest at `path` (errors name the file and line),
/// including that every `file` exists inside the manifest's directory, after
/// following symbolic links.
pub fn load(path: &Path) -> Result<Vec<Source>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let in_manifest = || format!("in {}", path.display());
    let entries = parse_entries(&text).with_context(in_manifest)?;
    let raw = path.parent().unwrap_or(Path::new("."));
    for entry in &entries {
        confine_on_disk(raw, entry, &text).with_context(in_manifest)?;
    }
    Ok(entries.into_iter().map(Entry::into_source).collect())
}

/// Parses manifest text: ids unique and equal to the file stem, files inside
/// `raw/` (as written), dates real calendar dates.
pub fn parse(text: &str) -> Result<Vec<Source>> {
    Ok(parse_entries(text)?
        .into_iter()
        .map(Entry::into_source)
        .collect())
}

fn parse_entries(text: &str) -> Result<Vec<Entry>> {
    let manifest: Manifest = toml::from_str(text).map_err(|e| match e.span() {
        Some(span) => anyhow!("line {}: {}", line_of(text, span.start), e.message()),
        None => anyhow!("{}", e.message()),
    })?;
    let mut first_line_of_id: BTreeMap<&str, usize> = BTreeMap::new();
    for entry in &manifest.source {
        let line = line_of(text, entry.id.span().start);
        if let Some(first) = first_line_of_id.insert(entry.id.get_ref(), line) {
            bail!(
                "line {line}: source id `{}` appears twice (first on line {first})",
                entry.id.get_ref()
            );
        }
        check_entry(entry, text)?;
    }
    Ok(manifest.source)
}

fn check_entry(entry: &Entry, text: &str) -> Result<()> {
    let id = entry.id.get_ref();
    let file = entry.file.get_ref();
    let file_line = line_of(text, entry.file.span().start);
    if !is_inside(file) {
        bail!(
            "line {file_line}: source `{id}`: file `{file}` must be a relative path inside \
             raw/, without `..`"
        );
    }
    if Path::new(file).file_stem().and_then(|x| x.to_str()) != Some(id) {
        bail!("line {file_line}: source `{id}`: id must be the stem of its file `{file}`");
    }
    let dates = [
        ("as_of", Some(&entry.as_of)),
        ("period_start", entry.period_start.as_ref()),
        ("period_end", entry.period_end.as_ref()),
        ("last_edited", entry.last_edited.as_ref()),
    ];
    for (field, value) in dates {
        if let Some(value) = value {
            calendar_date(value.get_ref()).map_err(|why| {
                let line = line_of(text, value.span().start);
                anyhow!(
                    "line {line}: source `{id}`: {field} `{}` {why}",
                    value.get_ref()
                )
            })?;
        }
    }
    if let (Some(start), Some(end)) = (&entry.period_start, &entry.period_end) {
        // Both are YYYY-MM-DD dates by now, so text order is date order.
        if start.get_ref() > end.get_ref() {
            let line = line_of(text, end.span().start);
            bail!("line {line}: source `{id}`: period_end is before period_start");
        }
    }
    Ok(())
}

/// True for a relative path of plain names: no root, no `..`, no `.`.
fn is_inside(file: &str) -> bool {
    !file.is_empty()
        && Path::new(file)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// The file exists and, with symbolic links followed, is still inside `raw`.
fn confine_on_disk(raw: &Path, entry: &Entry, text: &str) -> Result<()> {
    let (id, file) = (entry.id.get_ref(), entry.file.get_ref());
    let line = line_of(text, entry.file.span().start);
    let raw = raw
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", raw.display()))?;
    let resolved = raw
        .join(file)
        .canonicalize()
        .map_err(|e| anyhow!("line {line}: source `{id}`: file `{file}` cannot be opened: {e}"))?;
    if !resolved.starts_with(&raw) {
        bail!(
            "line {line}: source `{id}`: file `{file}` leads to {}, outside raw/ \
             (through a symbolic link)",
            resolved.display()
        );
    }
    Ok(())
}

/// Checks that `text` is `YYYY-MM-DD` and names a day of the calendar.
fn calendar_date(text: &str) -> Result<(), String> {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return Err("is not a YYYY-MM-DD date".into());
    };
    if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return Err("is not a YYYY-MM-DD date".into());
    }
    let number = |s: &str| s.parse::<u16>().map_err(|e| e.to_string());
    let month = u8::try_from(number(month)?)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .ok_or("is not a date: month must be in the range 1..=12")?;
    let (year, day) = (i32::from(number(year)?), number(day)?);
    let length = month.length(year);
    if !(1..=u16::from(length)).contains(&day) {
        return Err(format!("is not a date: {month} {year} has {length} days"));
    }
    Ok(())
}

fn line_of(text: &str, offset: usize) -> usize {
    let before = &text.as_bytes()[..offset.min(text.len())];
    before.iter().filter(|&&b| b == b'\n').count() + 1
}

impl Entry {
    fn into_source(self) -> Source {
        Source {
            id: self.id.into_inner(),
            file: self.file.into_inner(),
            parser: self.parser,
            title: self.title,
            origin: self.origin,
            as_of: self.as_of.into_inner(),
            authority: self.authority,
            series: self.series,
            default_subject: self.default_subject,
            period_start: self.period_start.map(Spanned::into_inner),
            period_end: self.period_end.map(Spanned::into_inner),
            last_edited: self.last_edited.map(Spanned::into_inner),
        }
    }
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

    fn error(text: &str) -> String {
        format!("{:#}", parse(text).unwrap_err())
    }

    #[test]
    fn dates_must_be_days_of_the_calendar() {
        let err = error(&ENTRY.replace("2018-02-01", "2021-02-30"));
        assert!(
            err.starts_with("line 7: source `a`: as_of `2021-02-30` is not a date"),
            "{err}"
        );
        assert!(parse(&ENTRY.replace("2018-02-01", "2024-02-29")).is_ok());
        assert!(parse(&ENTRY.replace("2018-02-01", "2023-02-29")).is_err());
        assert!(parse(&ENTRY.replace("2018-02-01", "2018-04-31")).is_err());
        assert!(parse(&ENTRY.replace("2018-02-01", "2018-00-10")).is_err());
        assert!(parse(&ENTRY.replace("2018-02-01", "2018-2-1")).is_err());
        let period = format!("{ENTRY}period_start = \"2025-04-01\"\nperiod_end = \"2025-03-31\"\n");
        assert!(error(&period).starts_with("line 10: source `a`: period_end is before"));
    }

    #[test]
    fn files_are_confined_to_raw() {
        for outside in ["../a.md", "/etc/a.md", "x/../../a.md", "./a.md", ""] {
            let err = error(&ENTRY.replace("\"a.md\"", &format!("{outside:?}")));
            assert!(
                err.starts_with("line 3: source `a`: file") && err.contains("inside raw/"),
                "{outside}: {err}"
            );
        }
        assert!(parse(&ENTRY.replace("\"a.md\"", "\"2025/a.md\"")).is_ok());
    }

    #[test]
    fn authority_is_required_and_series_optional() {
        let sources = parse(&ENTRY.replace(
            "authority = \"official\"\n",
            "authority = \"reference\"\nseries = \"page\"\n",
        ))
        .unwrap();
        assert_eq!(sources[0].authority, Authority::Reference);
        assert_eq!(sources[0].series.as_deref(), Some("page"));
        let err = error(&ENTRY.replace("authority = \"official\"\n", ""));
        assert!(err.contains("missing field `authority`"), "{err}");
        let err = error(&ENTRY.replace("\"official\"", "\"rumour\""));
        assert!(err.starts_with("line 8:"), "{err}");
    }

    #[test]
    fn duplicate_ids_name_both_lines() {
        let err = error(&format!("{ENTRY}\n{ENTRY}"));
        assert_eq!(
            err,
            "line 11: source id `a` appears twice (first on line 2)"
        );
    }

    /// A raw/ directory with the manifest ENTRY and `a.md` as `make` makes it.
    fn load_with(make: impl FnOnce(&Path)) -> Result<Vec<Source>> {
        let dir = tempfile::tempdir().unwrap();
        let raw = dir.path().join("raw");
        std::fs::create_dir(&raw).unwrap();
        std::fs::write(raw.join("sources.toml"), ENTRY).unwrap();
        make(dir.path());
        load(&raw.join("sources.toml"))
    }

    #[test]
    fn files_must_exist_inside_raw_after_following_links() {
        assert!(load_with(|root| std::fs::write(root.join("raw/a.md"), "x").unwrap()).is_ok());
        let missing = format!("{:#}", load_with(|_| {}).unwrap_err());
        assert!(
            missing.contains("sources.toml: line 3: source `a`: file `a.md` cannot be opened"),
            "{missing}"
        );
        #[cfg(unix)]
        {
            let escape = load_with(|root| {
                std::fs::write(root.join("secret.md"), "x").unwrap();
                std::os::unix::fs::symlink(root.join("secret.md"), root.join("raw/a.md")).unwrap();
            });
            let err = format!("{:#}", escape.unwrap_err());
            assert!(
                err.contains("line 3: source `a`: file `a.md` leads to"),
                "{err}"
            );
            assert!(err.contains("secret.md, outside raw/"), "{err}");
            // A link that stays inside raw/ is fine.
            let inside = load_with(|root| {
                std::fs::write(root.join("raw/b.md"), "x").unwrap();
                std::os::unix::fs::symlink("b.md", root.join("raw/a.md")).unwrap();
            });
            assert!(inside.is_ok());
        }
    }

    #[test]
    fn rejects_inconsistent_entries() {
        assert!(parse(&ENTRY.replace("a.md", "b.md")).is_err());
        assert!(parse(&ENTRY.replace("2018-02-01", "2018-13-01")).is_err());
        assert!(parse(&format!("{ENTRY}{ENTRY}")).is_err());
        assert!(parse(&format!("{ENTRY}colour = \"red\"\n")).is_err());
    }
}
