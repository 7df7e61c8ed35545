//! `normalized/report.html`: the dataset as one browsable page.
//!
//! [`render`] is pure: the same files give the same bytes. The page is
//! self-contained (inline CSS and JS from `src/report/`, the data as one
//! JSON block; no network, no CDN) and renders in the browser: search box
//! and filters whose state lives in the URL fragment
//! (`report.html#q=直播&subject=enterprise`), rows that expand to the
//! requirement tree and its sources, a licence view, what changed (newest
//! source first) and the conflicts, linked from each category. It reads the
//! files through [`Dataset`], so it picks up ids, status, the link table
//! and history when the pipeline writes them; the pipeline hands it the
//! same data through [`ReportView`] without writing and re-reading the
//! large files, and the page is streamed to its writer.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::dataset::{
    Category, Conflict, Dataset, Link, LinkOrigin, ReportView, SourceInfo, Table, Tree,
};

const CSS: &str = include_str!("report/report.css");
const JS: &str = include_str!("report/report.js");
const PAGE: &str = include_str!("report/page.html");

/// The page's data: [`write_data`] writes what this serialises to (a test
/// compares them).
#[cfg(test)]
#[derive(Serialize)]
struct Data<'a> {
    sources: &'a [SourceInfo],
    /// `derived` when the licence roles were read from the requirement trees.
    links_from: &'static str,
    categories: Vec<Row<'a>>,
    conflicts: Vec<ConflictRow<'a>>,
    history: Vec<BTreeMap<&'a str, &'a str>>,
}

#[derive(Serialize)]
struct Row<'a> {
    id: String,
    subject: &'a str,
    path: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    beta: bool,
    requirement: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tree: Option<&'a Tree>,
    /// `[licence, role, group, condition]`.
    licences: Vec<[&'a str; 4]>,
    #[serde(skip_serializing_if = "str::is_empty")]
    scope: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    notes: &'a str,
    decided_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    authority: Option<&'a str>,
    /// Indexes into `conflicts`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    conflicts: Vec<usize>,
    /// Ids of the current categories that divide a retired one.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    succeeded_by: &'a [String],
    /// `[source, line, as_of, requirement as written]`, newest first.
    records: Vec<(&'a str, u32, &'a str, &'a str)>,
}

#[derive(Serialize)]
struct ConflictRow<'a> {
    category: String,
    kinds: &'a [String],
    /// `[source, line, decides, differs, requirement as written]`.
    sides: Vec<(&'a str, u32, bool, Option<&'a str>, &'a str)>,
    resolution: &'a str,
}

/// The page for the files of `normalized/` (paths relative to it → bytes)
/// and the sources of `raw/sources.toml`.
pub fn render<'a>(
    files: &BTreeMap<String, Vec<u8>>,
    sources: impl IntoIterator<Item = &'a crate::manifest::Source>,
) -> Result<Vec<u8>> {
    let dataset = Dataset::from_files(files, sources.into_iter().map(Into::into).collect())?;
    render_dataset(&dataset)
}

/// The page for a dataset already read.
pub fn render_dataset(dataset: &Dataset) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    write_page(&Parts::of(dataset), &mut out)?;
    Ok(out)
}

/// What the page shows: the parts of a [`Dataset`] it reads.
pub struct Parts<'a> {
    pub sources: &'a [SourceInfo],
    pub link_origin: LinkOrigin,
    pub categories: Categories<'a>,
    pub conflicts: &'a [Conflict],
    pub links: &'a [Link],
    pub history: &'a Table,
}

/// The categories of the page: read already, or read one at a time while
/// the page is written (so they are never all in memory at once).
#[derive(Clone, Copy)]
pub enum Categories<'a> {
    Read(&'a [Category]),
    /// `count` categories; `read(i)` reads the one at index `i`.
    OneByOne {
        count: usize,
        read: &'a (dyn Fn(usize) -> Result<Category> + Sync),
    },
}

impl Categories<'_> {
    fn len(&self) -> usize {
        match self {
            Categories::Read(read) => read.len(),
            Categories::OneByOne { count, .. } => *count,
        }
    }

    /// Serialises the row of each category in `range` with `write_row`.
    fn each(
        &self,
        range: std::ops::Range<usize>,
        write_row: &(dyn Fn(&Category) -> Result<Vec<u8>> + Sync),
    ) -> Result<Vec<Vec<u8>>> {
        use rayon::prelude::*;
        match self {
            Categories::Read(read) => read[range].par_iter().map(write_row).collect(),
            Categories::OneByOne { read, .. } => range
                .into_par_iter()
                .map(|i| write_row(&read(i)?))
                .collect(),
        }
    }
}

impl<'a> Parts<'a> {
    /// The page for what the pipeline renders, read as the files are read.
    pub fn of_view(
        view: &'a ReportView,
        categories: Categories<'a>,
        sources: &'a [SourceInfo],
    ) -> Parts<'a> {
        Parts {
            sources,
            link_origin: LinkOrigin::File,
            categories,
            conflicts: &view.conflicts,
            links: &view.links,
            history: &view.history,
        }
    }

    pub fn of(dataset: &'a Dataset) -> Parts<'a> {
        Parts {
            sources: &dataset.sources,
            link_origin: dataset.link_origin,
            categories: Categories::Read(&dataset.categories),
            conflicts: &dataset.conflicts,
            links: &dataset.links,
            history: &dataset.history,
        }
    }
}

/// Writes the page for `parts` to `out`.
pub fn write_page(parts: &Parts, out: &mut dyn Write) -> Result<()> {
    write_template(out, |slot, out| match slot {
        Slot::Css => out.write_all(CSS.as_bytes()).map_err(Into::into),
        Slot::Js => out.write_all(JS.as_bytes()).map_err(Into::into),
        Slot::Data => {
            let mut safe = ScriptSafe::new(out);
            let mut buffered = std::io::BufWriter::with_capacity(crate::output::BLOCK, &mut safe);
            write_data(parts, &mut buffered)?;
            buffered.flush()?;
            Ok(())
        }
    })
}

/// The page's data, as compact JSON: the object [`Data`] serialises to,
/// written field by field so that the rows of the categories are
/// serialised in parallel, a batch at a time.
fn write_data(parts: &Parts, out: &mut dyn Write) -> Result<()> {
    let links = links_by_category(parts.links);
    let conflicts = conflicts_by_key(parts.conflicts);
    out.write_all(b"{\"sources\":")?;
    serde_json::to_writer(&mut *out, parts.sources)?;
    out.write_all(b",\"links_from\":")?;
    serde_json::to_writer(&mut *out, link_origin_name(parts.link_origin))?;
    out.write_all(b",\"categories\":")?;
    write_rows(&parts.categories, &links, &conflicts, out)?;
    out.write_all(b",\"conflicts\":")?;
    serde_json::to_writer(&mut *out, &conflict_rows(parts.conflicts))?;
    out.write_all(b",\"history\":")?;
    serde_json::to_writer(&mut *out, &HistoryRows::of(parts.history))?;
    out.write_all(b"}")?;
    Ok(())
}

/// How many rows are serialised in one parallel batch: enough to share
/// among the threads, few enough to keep the batch's text small (a row
/// lists every contributing record, so one can be long).
const ROW_BATCH: usize = 64;

/// The rows as one JSON array, in order.
fn write_rows(
    categories: &Categories,
    links: &HashMap<&str, Vec<&Link>>,
    conflicts: &HashMap<String, Vec<usize>>,
    out: &mut dyn Write,
) -> Result<()> {
    let write_row =
        |c: &Category| -> Result<Vec<u8>> { Ok(serde_json::to_vec(&row(c, links, conflicts))?) };
    out.write_all(b"[")?;
    let count = categories.len();
    for start in (0..count).step_by(ROW_BATCH) {
        let rows = categories.each(start..count.min(start + ROW_BATCH), &write_row)?;
        for (i, row) in rows.iter().enumerate() {
            if start + i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(row)?;
        }
    }
    out.write_all(b"]")?;
    Ok(())
}

fn link_origin_name(origin: LinkOrigin) -> &'static str {
    match origin {
        LinkOrigin::File => "category-licences.csv",
        LinkOrigin::Derived => "derived",
    }
}

fn conflict_rows(conflicts: &[Conflict]) -> Vec<ConflictRow<'_>> {
    conflicts
        .iter()
        .map(|c| ConflictRow {
            category: c.category.key(),
            kinds: &c.kinds,
            sides: c
                .sides
                .iter()
                .map(|s| {
                    let differs = s.differs.as_deref();
                    (
                        s.source.as_str(),
                        s.line,
                        s.decides,
                        differs,
                        s.requirement.as_str(),
                    )
                })
                .collect(),
            resolution: &c.resolution,
        })
        .collect()
}

/// The links of each category id, in link-table order.
fn links_by_category(links: &[Link]) -> HashMap<&str, Vec<&Link>> {
    let mut by_id: HashMap<&str, Vec<&Link>> = HashMap::new();
    for link in links {
        by_id.entry(&link.category_id).or_default().push(link);
    }
    by_id
}

/// The indexes of the conflicts about each category key, ascending.
fn conflicts_by_key(conflicts: &[Conflict]) -> HashMap<String, Vec<usize>> {
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in conflicts.iter().enumerate() {
        for about in c.categories() {
            by_key.entry(about.key()).or_default().push(i);
        }
    }
    by_key
}

fn row<'a>(
    c: &'a Category,
    links: &HashMap<&str, Vec<&'a Link>>,
    conflicts: &HashMap<String, Vec<usize>>,
) -> Row<'a> {
    let id = c.id();
    Row {
        subject: &c.subject,
        path: c.levels(),
        status: c.status.as_deref(),
        beta: c.beta.as_ref().and_then(|b| b.as_bool()).unwrap_or(false),
        requirement: &c.requirement,
        tree: c.requirement_tree.as_ref(),
        licences: links
            .get(id.as_str())
            .into_iter()
            .flatten()
            .map(|l| [l.licence.as_str(), l.role.as_str(), &l.group, &l.condition])
            .collect(),
        scope: &c.scope,
        notes: &c.notes,
        decided_by: c.decided_by.as_deref(),
        authority: c.authority.as_deref(),
        conflicts: conflicts.get(&c.key()).cloned().unwrap_or_default(),
        succeeded_by: &c.succeeded_by,
        records: c
            .contributors
            .iter()
            .map(|r| {
                (
                    r.source.as_str(),
                    r.line,
                    r.as_of.as_str(),
                    r.requirement.as_str(),
                )
            })
            .collect(),
        id,
    }
}

/// The history rows as [`write_data`] writes them: each row an object
/// keyed by the header, keys in sorted order (what a map of the header
/// and the row, zipped, writes: for a repeated name, its last column the
/// row has).
struct HistoryRows<'a> {
    table: &'a Table,
    /// Each distinct name and its columns, ascending; sorted by name.
    columns: Vec<(&'a str, Vec<usize>)>,
}

impl<'a> HistoryRows<'a> {
    fn of(table: &'a Table) -> Self {
        let mut columns: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, name) in table.header.iter().enumerate() {
            columns.entry(name.as_str()).or_default().push(i);
        }
        HistoryRows {
            table,
            columns: columns.into_iter().collect(),
        }
    }
}

impl Serialize for HistoryRows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        struct Object<'b>(&'b [(&'b str, Vec<usize>)], &'b [String]);
        impl Serialize for Object<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                for (name, columns) in self.0 {
                    let value = columns.iter().rev().find_map(|&c| self.1.get(c));
                    if let Some(value) = value {
                        map.serialize_entry(name, value)?;
                    }
                }
                map.end()
            }
        }
        let mut seq = serializer.serialize_seq(Some(self.table.rows.len()))?;
        for row in &self.table.rows {
            seq.serialize_element(&Object(&self.columns, row))?;
        }
        seq.end()
    }
}

#[cfg(test)]
fn history_rows(history: &Table) -> Vec<BTreeMap<&str, &str>> {
    history
        .rows
        .iter()
        .map(|row| {
            history
                .header
                .iter()
                .map(String::as_str)
                .zip(row.iter().map(String::as_str))
                .collect()
        })
        .collect()
}

/// The three slots of the page template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Css,
    Js,
    Data,
}

impl Slot {
    const ALL: [(Slot, &'static str); 3] = [
        (Slot::Css, "{{css}}"),
        (Slot::Js, "{{js}}"),
        (Slot::Data, "{{data}}"),
    ];
}

/// The page template with its slots filled by `fill`, in one pass. The
/// slots are filled with text that holds no slot (a test checks the CSS and
/// JS), so this is the template with each slot replaced.
fn write_template(
    out: &mut dyn Write,
    mut fill: impl FnMut(Slot, &mut dyn Write) -> Result<()>,
) -> Result<()> {
    let mut rest = PAGE;
    while let Some((at, slot, marker)) = Slot::ALL
        .iter()
        .filter_map(|(slot, marker)| rest.find(marker).map(|at| (at, *slot, *marker)))
        .min_by_key(|(at, _, _)| *at)
    {
        out.write_all(&rest.as_bytes()[..at])?;
        fill(slot, out)?;
        rest = &rest[at + marker.len()..];
    }
    out.write_all(rest.as_bytes())?;
    Ok(())
}

/// Writes JSON into a `<script>` element: `</` would end the element, and
/// `<\/` is the same JSON string. Carries a `<` that ends one write into
/// the next.
struct ScriptSafe<'a> {
    inner: &'a mut dyn Write,
    after_lt: bool,
}

impl<'a> ScriptSafe<'a> {
    fn new(inner: &'a mut dyn Write) -> Self {
        ScriptSafe {
            inner,
            after_lt: false,
        }
    }
}

impl Write for ScriptSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut start = 0;
        for slash in memchr::memchr_iter(b'/', buf) {
            let after_lt = match slash {
                0 => self.after_lt,
                _ => buf[slash - 1] == b'<',
            };
            if after_lt {
                self.inner.write_all(&buf[start..slash])?;
                self.inner.write_all(b"\\")?;
                start = slash;
            }
        }
        self.inner.write_all(&buf[start..])?;
        if let Some(&last) = buf.last() {
            self.after_lt = last == b'<';
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn the_css_and_js_hold_no_slot() {
        for (_, marker) in Slot::ALL {
            assert!(!CSS.contains(marker) && !JS.contains(marker), "{marker}");
        }
    }

    #[test]
    fn the_template_is_filled_as_replacing_each_slot() {
        let mut out = Vec::new();
        write_template(&mut out, |slot, out| {
            out.write_all(format!("[{slot:?}]").as_bytes())?;
            Ok(())
        })
        .unwrap();
        let expected = PAGE
            .replace("{{css}}", "[Css]")
            .replace("{{js}}", "[Js]")
            .replace("{{data}}", "[Data]");
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn the_data_is_written_as_its_struct_serialises() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dataset = Dataset::load(root).unwrap();
        let parts = Parts::of(&dataset);
        let (links, conflicts) = (
            links_by_category(parts.links),
            conflicts_by_key(parts.conflicts),
        );
        let data = Data {
            sources: parts.sources,
            links_from: link_origin_name(parts.link_origin),
            categories: dataset
                .categories
                .iter()
                .map(|c| row(c, &links, &conflicts))
                .collect(),
            conflicts: conflict_rows(parts.conflicts),
            history: history_rows(parts.history),
        };
        let mut written = Vec::new();
        write_data(&parts, &mut written).unwrap();
        assert!(written == serde_json::to_vec(&data).unwrap());
        // Also when the rows span batches, and with no category at all.
        let many: Vec<Category> = (0..ROW_BATCH + 3)
            .map(|i| dataset.categories[i % dataset.categories.len()].clone())
            .collect();
        for categories in [&many[..], &[]] {
            let rows: Vec<Row> = categories
                .iter()
                .map(|c| row(c, &links, &conflicts))
                .collect();
            let mut written = Vec::new();
            let read = |i: usize| Ok(categories[i].clone());
            let one_by_one = Categories::OneByOne {
                count: categories.len(),
                read: &read,
            };
            write_rows(&one_by_one, &links, &conflicts, &mut written).unwrap();
            assert!(written == serde_json::to_vec(&rows).unwrap());
        }
    }

    #[test]
    fn history_rows_are_written_as_maps_of_the_header_and_the_row() {
        let table = Table {
            header: ["b", "a", "b", "c"].map(String::from).to_vec(),
            rows: vec![
                ["1", "2", "3", "4"].map(String::from).to_vec(),
                ["5", "6"].map(String::from).to_vec(),
            ],
        };
        assert_eq!(
            serde_json::to_string(&HistoryRows::of(&table)).unwrap(),
            serde_json::to_string(&history_rows(&table)).unwrap()
        );
    }

    #[test]
    fn script_safe_json_escapes_every_closing_tag_across_writes() {
        let text = "a</b<</c <x/ </";
        let mut out = Vec::new();
        {
            let mut safe = ScriptSafe::new(&mut out);
            // One byte per write: every `<` ends a write.
            for byte in text.as_bytes() {
                safe.write_all(std::slice::from_ref(byte)).unwrap();
            }
            safe.write_all(text.as_bytes()).unwrap();
        }
        let once = text.replace("</", "<\\/");
        assert_eq!(String::from_utf8(out).unwrap(), format!("{once}{once}"));
    }
}
