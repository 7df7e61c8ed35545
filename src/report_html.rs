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
//! and history when the pipeline writes them.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use crate::dataset::{Category, Dataset, SourceInfo, Tree};

const CSS: &str = include_str!("report/report.css");
const JS: &str = include_str!("report/report.js");
const PAGE: &str = include_str!("report/page.html");

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
    let data = Data {
        sources: &dataset.sources,
        links_from: match dataset.link_origin {
            crate::dataset::LinkOrigin::File => "category-licences.csv",
            crate::dataset::LinkOrigin::Derived => "derived",
        },
        categories: dataset.categories.iter().map(|c| row(dataset, c)).collect(),
        conflicts: dataset
            .conflicts
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
            .collect(),
        history: history_rows(dataset),
    };
    // `</` would end the script element; `<\/` is the same JSON string.
    let json = serde_json::to_string(&data)?.replace("</", "<\\/");
    Ok(page(&json).into_bytes())
}

fn row<'a>(dataset: &'a Dataset, c: &'a Category) -> Row<'a> {
    let key = c.key();
    Row {
        id: c.id(),
        subject: &c.subject,
        path: c.levels(),
        status: c.status.as_deref(),
        beta: c.beta.as_ref().and_then(|b| b.as_bool()).unwrap_or(false),
        requirement: &c.requirement,
        tree: c.requirement_tree.as_ref(),
        licences: dataset
            .links_of(c)
            .map(|l| [l.licence.as_str(), l.role.as_str(), &l.group, &l.condition])
            .collect(),
        scope: &c.scope,
        notes: &c.notes,
        decided_by: c.decided_by.as_deref(),
        authority: c.authority.as_deref(),
        conflicts: dataset
            .conflicts
            .iter()
            .enumerate()
            .filter(|(_, x)| x.category.key() == key)
            .map(|(i, _)| i)
            .collect(),
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
    }
}

fn history_rows(dataset: &Dataset) -> Vec<BTreeMap<&str, &str>> {
    dataset
        .history
        .rows
        .iter()
        .map(|row| {
            dataset
                .history
                .header
                .iter()
                .map(String::as_str)
                .zip(row.iter().map(String::as_str))
                .collect()
        })
        .collect()
}

/// The page template with its three slots filled. The data goes last, so
/// text in it can never be taken for a slot.
fn page(json: &str) -> String {
    PAGE.replace("{{css}}", CSS)
        .replace("{{js}}", JS)
        .replace("{{data}}", json)
}
