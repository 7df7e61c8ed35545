//! `leimu diff OLD NEW`: what changed for users between two states of the
//! data, by category key.
//!
//! Each side is a `normalized/` directory, a `categories.json`, or a file
//! written by `leimu extract --format json` (one document's records). Files
//! are read once, front to back, so `<(git show …)` works. Categories are
//! matched by key: subject and the three levels in the identity normal form
//! ([`leimu_normalize::identity_name`]). In a `categories.json`, `retired`
//! categories are no longer offered and count as absent.
//!
//! A category in both is changed when its `requirement`, `licences` (as a
//! set), `notes` or `scope` differ. A changed requirement is compared as
//! logic, as the normaliser compares sources: `logic` when the meaning
//! differs, `wording` when it reads as the same logic or differs only in
//! documents without 《》. A `categories.json` states its logic
//! (`requirement_tree`), so does a notice's extraction (its block); other
//! requirement texts are read by the requirement grammar, as the normaliser
//! reads them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{bail, Context, Result};
use leimu_model::{is_none_marker, CategoryPath, Subject};
use leimu_normalize::compare::{self, ConflictKind};
use leimu_normalize::{Aliases, CategoryKey, Statement};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// What a reader expects a side to be, for error messages.
const EXPECTED: &str =
    "expected a normalized/ directory, a categories.json or a `leimu extract --format json` file";

/// A category as the report shows it (`C` in the JSON shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub subject: String,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub requirement: String,
    pub licences: Vec<String>,
    pub notes: String,
    pub scope: String,
    /// How `requirement` is read as logic (with `choose` of a card).
    #[serde(skip)]
    choose: Option<u32>,
    /// The logic `categories.json` states (`requirement_tree`).
    #[serde(skip)]
    logic: Option<Statement>,
}

/// The key categories are matched by: subject (none for a record without
/// one) and the levels in identity normal form.
type Key = (Option<Subject>, CategoryPath);

/// One side of a diff.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub label: String,
    pub entries: BTreeMap<Key, Entry>,
    /// Records whose key an earlier record of the same file has: the first is compared.
    pub duplicates: Vec<String>,
}

/// The fields a category of either input kind has.
#[derive(Deserialize)]
struct Row {
    subject: String,
    level1: String,
    level2: String,
    level3: String,
    requirement: String,
    licences: Vec<String>,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    scope: String,
    /// `categories.json` only.
    #[serde(default)]
    status: Option<String>,
    /// `extract` of a card page only.
    #[serde(default)]
    choose: Option<leimu_model::Choice>,
    /// `extract` only.
    #[serde(default)]
    line: Option<u32>,
    /// A [`Statement`] in `categories.json`; a notice's [`NodeJson`] in an extraction.
    #[serde(default)]
    requirement_tree: Option<serde_json::Value>,
}

/// A notice's requirement block as `leimu extract --format json` writes it
/// ([`leimu_model::RequirementNode`]'s serialisation).
#[derive(Deserialize)]
struct NodeJson {
    label: String,
    text: String,
    #[serde(default)]
    group: Option<GroupJson>,
    #[serde(default)]
    alternatives: Vec<String>,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    children: Vec<NodeJson>,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum GroupJson {
    AllOf,
    AnyOf { choose: Option<leimu_model::Choice> },
}

impl NodeJson {
    fn node(self) -> leimu_model::RequirementNode {
        // The extraction does not write the line.
        let mut node = leimu_model::RequirementNode::new(&self.label, &self.text, "");
        node.group = self.group.map(|g| match g {
            GroupJson::AllOf => leimu_model::Group::AllOf,
            GroupJson::AnyOf { choose } => leimu_model::Group::AnyOf { choose },
        });
        node.set_alternatives(
            self.alternatives
                .into_iter()
                .map(Into::into)
                .collect::<Box<[_]>>(),
        );
        node.set_notes(self.notes.into_iter().map(Into::into).collect::<Box<[_]>>());
        node.children = self.children.into_iter().map(NodeJson::node).collect();
        node
    }
}

/// The logic a row states with its `requirement_tree`, if it has one.
fn stated_logic(kind: Kind, tree: Option<serde_json::Value>) -> Result<Option<Statement>> {
    let Some(tree) = tree else {
        return Ok(None);
    };
    Ok(Some(match kind {
        Kind::Categories => serde_json::from_value::<Statement>(tree)?,
        Kind::Extraction => {
            let node = serde_json::from_value::<NodeJson>(tree)?.node();
            leimu_requirement::from_tree(&node).map_or(Statement::None, Statement::Requires)
        }
    }))
}

/// Which kind of file a JSON array is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Categories,
    Extraction,
}

impl Snapshot {
    /// Reads `path`: a directory (its `categories.json`) or a file.
    pub fn load(path: &Path) -> Result<Snapshot> {
        let label = path.display().to_string();
        if path.is_dir() {
            let file = path.join("categories.json");
            if !file.is_file() {
                bail!("{label}: a directory without categories.json; {EXPECTED}");
            }
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            return Snapshot::from_json(&file.display().to_string(), &bytes);
        }
        // Read as a stream: a pipe from process substitution cannot seek.
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {label}"))?;
        Snapshot::from_json(&label, &bytes)
    }

    /// Reads the bytes of a `categories.json` or an extraction's JSON.
    ///
    /// The entries are read one at a time from their place in `bytes`: a
    /// tree of the whole file would take several times its size.
    pub fn from_json(label: &str, bytes: &[u8]) -> Result<Snapshot> {
        let not_json = |e: serde_json::Error| {
            anyhow::anyhow!("{label}:{}: not JSON ({e}); {EXPECTED}", e.line())
        };
        let whole: &RawValue = serde_json::from_slice(bytes).map_err(not_json)?;
        if !whole.get().starts_with('[') {
            let value: serde_json::Value = serde_json::from_str(whole.get()).map_err(not_json)?;
            bail!(
                "{label}: a JSON {} instead of an array; {EXPECTED}",
                kind_name(&value)
            );
        }
        let items: Vec<&RawValue> = serde_json::from_str(whole.get()).map_err(not_json)?;
        let mut snapshot = Snapshot {
            label: label.to_string(),
            ..Snapshot::default()
        };
        let mut first_kind = None;
        for (i, item) in items.iter().enumerate() {
            let at = || format!("{label}: entry {}", i + 1);
            let item: serde_json::Value = serde_json::from_str(item.get()).with_context(at)?;
            let kind = match (first_kind, kind_of(&item)) {
                (None, this) => {
                    let kind = this.with_context(|| {
                        format!("{label}: entry 1 is neither a category nor a record")
                    })?;
                    *first_kind.insert(kind)
                }
                (Some(first), Ok(this)) if this == first => first,
                (Some(_), _) => bail!("{}: not like entry 1; {EXPECTED}", at()),
            };
            let row = Row::deserialize(&item).with_context(at)?;
            snapshot.add(row, kind).with_context(at)?;
        }
        Ok(snapshot)
    }

    fn add(&mut self, row: Row, kind: Kind) -> Result<()> {
        if kind == Kind::Categories && row.status.as_deref() == Some("retired") {
            return Ok(());
        }
        let subject = match row.subject.as_str() {
            "" => None,
            s => Some(
                serde_json::from_value::<Subject>(serde_json::Value::from(s))
                    .map_err(|_| anyhow::anyhow!("unknown subject `{s}`"))?,
            ),
        };
        let path = CategoryPath {
            level1: row.level1.into(),
            level2: row.level2.into(),
            level3: row.level3.into(),
        };
        let key = (
            subject,
            CategoryKey::of(subject.unwrap_or(Subject::Enterprise), &path).path,
        );
        let entry = Entry {
            subject: row.subject,
            level1: path.level1.to_string(),
            level2: path.level2.to_string(),
            level3: path.level3.to_string(),
            requirement: row.requirement,
            licences: row.licences,
            notes: row.notes,
            scope: row.scope,
            choose: row.choose.map(|c| c.of),
            logic: stated_logic(kind, row.requirement_tree)?,
        };
        match self.entries.entry(key) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(entry);
            }
            std::collections::btree_map::Entry::Occupied(_) => {
                let line = row.line.map_or(String::new(), |l| format!(":{l}"));
                self.duplicates
                    .push(format!("{}{line}: {}", self.label, entry.display()));
            }
        }
        Ok(())
    }
}

fn kind_name(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Object(_) => "object",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Null => "null",
        serde_json::Value::Array(_) => "array",
    }
}

/// A category of `categories.json` has `id` and `decided_by`; a record of
/// an extraction has `source` and `line`; both have the category fields.
fn kind_of(item: &serde_json::Value) -> Result<Kind> {
    let has = |field: &str| item.get(field).is_some();
    let missing: Vec<&str> = [
        "subject",
        "level1",
        "level2",
        "level3",
        "requirement",
        "licences",
    ]
    .into_iter()
    .filter(|f| !has(f))
    .collect();
    if !missing.is_empty() {
        bail!("no {}; {EXPECTED}", missing.join(", "));
    }
    if has("id") && has("decided_by") {
        Ok(Kind::Categories)
    } else if has("source") && has("line") {
        Ok(Kind::Extraction)
    } else {
        bail!("neither `id` and `decided_by` nor `source` and `line`; {EXPECTED}")
    }
}

impl Entry {
    /// `enterprise · 社交 › 直播`.
    pub fn display(&self) -> String {
        let path = CategoryPath {
            level1: self.level1.clone().into(),
            level2: self.level2.clone().into(),
            level3: self.level3.clone().into(),
        };
        if self.subject.is_empty() {
            path.to_string()
        } else {
            format!("{} · {path}", self.subject)
        }
    }

    fn statement(&self, aliases: &Aliases) -> Statement {
        if let Some(logic) = &self.logic {
            return compare::canonical(logic, aliases);
        }
        if is_none_marker(&self.requirement) || self.requirement.trim().is_empty() {
            return Statement::None;
        }
        let parsed = leimu_requirement::parse(&self.requirement, self.choose)
            .map_or(Statement::None, Statement::Requires);
        compare::canonical(&parsed, aliases)
    }

    fn licence_set(&self) -> BTreeSet<&str> {
        self.licences.iter().map(String::as_str).collect()
    }
}

/// The values of the changed fields on one side.
#[derive(Debug, Default, Serialize)]
pub struct Fields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licences: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// What changed about a category present on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Requirement,
    /// The requirement means something else (compared as logic).
    Logic,
    /// The requirement reads as the same logic, or differs only in documents without 《》.
    Wording,
    Licences,
    Notes,
    Scope,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Requirement => "requirement",
            Field::Logic => "logic",
            Field::Wording => "wording",
            Field::Licences => "licences",
            Field::Notes => "notes",
            Field::Scope => "scope",
        }
    }
}

/// A category in both, changed.
#[derive(Debug, Serialize)]
pub struct Changed {
    /// The category as NEW has it.
    #[serde(flatten)]
    pub entry: Entry,
    /// The fields that changed, in the order `requirement`, `licences`,
    /// `notes`, `scope`; `requirement` is followed by `logic` or `wording`.
    pub changes: Vec<Field>,
    pub licences_added: Vec<String>,
    pub licences_removed: Vec<String>,
    pub old: Fields,
    pub new: Fields,
}

/// What changed from OLD to NEW, each list in key order.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub added: Vec<Entry>,
    pub removed: Vec<Entry>,
    pub changed: Vec<Changed>,
}

/// Compares two snapshots.
pub fn diff(old: &Snapshot, new: &Snapshot, aliases: &Aliases) -> Report {
    let mut report = Report::default();
    for (key, entry) in &new.entries {
        match old.entries.get(key) {
            None => report.added.push(entry.clone()),
            Some(before) => report.changed.extend(changed(before, entry, aliases)),
        }
    }
    report.removed = old
        .entries
        .iter()
        .filter(|(key, _)| !new.entries.contains_key(key))
        .map(|(_, e)| e.clone())
        .collect();
    report
}

/// How `new` differs from `old`, if it does.
fn changed(old: &Entry, new: &Entry, aliases: &Aliases) -> Option<Changed> {
    let mut changes = Vec::new();
    let (mut before, mut after) = (Fields::default(), Fields::default());
    if old.requirement != new.requirement {
        changes.push(Field::Requirement);
        changes.push(requirement_change(old, new, aliases));
        before.requirement = Some(old.requirement.clone());
        after.requirement = Some(new.requirement.clone());
    }
    let (old_licences, new_licences) = (old.licence_set(), new.licence_set());
    if old_licences != new_licences {
        changes.push(Field::Licences);
        before.licences = Some(old.licences.clone());
        after.licences = Some(new.licences.clone());
    }
    for (field, was, is, slot_before, slot_after) in [
        (
            Field::Notes,
            &old.notes,
            &new.notes,
            &mut before.notes,
            &mut after.notes,
        ),
        (
            Field::Scope,
            &old.scope,
            &new.scope,
            &mut before.scope,
            &mut after.scope,
        ),
    ] {
        if was != is {
            changes.push(field);
            *slot_before = Some(was.clone());
            *slot_after = Some(is.clone());
        }
    }
    if changes.is_empty() {
        return None;
    }
    let strings = |set: std::collections::btree_set::Difference<&str>| -> Vec<String> {
        set.map(|s| s.to_string()).collect()
    };
    Some(Changed {
        entry: new.clone(),
        changes,
        licences_added: strings(new_licences.difference(&old_licences)),
        licences_removed: strings(old_licences.difference(&new_licences)),
        old: before,
        new: after,
    })
}

/// `logic` when the requirements mean different things, else `wording`.
fn requirement_change(old: &Entry, new: &Entry, aliases: &Aliases) -> Field {
    match compare::compare(&new.statement(aliases), &old.statement(aliases)) {
        None | Some(ConflictKind::DifferentDocuments) => Field::Wording,
        Some(_) => Field::Logic,
    }
}

impl Changed {
    /// `requirement, logic, licences`.
    pub fn field_list(&self) -> String {
        let names: Vec<&str> = self.changes.iter().map(|f| f.as_str()).collect();
        names.join(", ")
    }
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// `1 added, 2 removed, 3 changed`.
    pub fn counts(&self) -> String {
        format!(
            "{} added, {} removed, {} changed",
            self.added.len(),
            self.removed.len(),
            self.changed.len()
        )
    }

    /// The JSON shape of `--format json`.
    pub fn json(&self) -> Result<Vec<u8>> {
        crate::output::json(self)
    }

    /// The change report as markdown.
    pub fn markdown(&self, old: &str, new: &str) -> String {
        let mut out = format!(
            "# Category changes\n\n`{old}` → `{new}`: {}.\n",
            self.counts()
        );
        if self.is_empty() {
            out.push_str("\nNo category changed.\n");
            return out;
        }
        for (title, entries) in [("Added", &self.added), ("Removed", &self.removed)] {
            if entries.is_empty() {
                continue;
            }
            out.push_str(&format!(
                "\n## {title} ({})\n\n| category | requirement | licences |\n|---|---|---|\n",
                entries.len()
            ));
            for e in entries.iter() {
                out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    cell(&e.display()),
                    cell(&e.requirement),
                    cell(&e.licences.join("; "))
                ));
            }
        }
        if !self.changed.is_empty() {
            out.push_str(&format!("\n## Changed ({})\n", self.changed.len()));
            for c in &self.changed {
                out.push_str(&changed_markdown(c));
            }
        }
        out
    }

    /// A few lines for the end of `ingest`: the counts and the first
    /// `first` categories of each list.
    pub fn summary(&self, first: usize) -> String {
        let mut out = format!("categories: {}\n", self.counts());
        let lines = self
            .added
            .iter()
            .map(|e| format!("  + {}", e.display()))
            .take(first)
            .chain(
                self.removed
                    .iter()
                    .map(|e| format!("  - {}", e.display()))
                    .take(first),
            )
            .chain(
                self.changed
                    .iter()
                    .map(|c| format!("  ~ {} ({})", c.entry.display(), c.field_list()))
                    .take(first),
            );
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
        let shown = self.added.len().min(first)
            + self.removed.len().min(first)
            + self.changed.len().min(first);
        let all = self.added.len() + self.removed.len() + self.changed.len();
        if all > shown {
            out.push_str(&format!("  … {} more (see `leimu diff`)\n", all - shown));
        }
        out
    }
}

fn changed_markdown(c: &Changed) -> String {
    let mut out = format!("\n### {}\n\n", c.entry.display());
    let mut kinds = String::new();
    for field in &c.changes {
        let name = field.as_str();
        match field {
            Field::Logic | Field::Wording => kinds.push_str(&format!(" ({name})")),
            _ if kinds.is_empty() => kinds.push_str(name),
            _ => kinds.push_str(&format!(", {name}")),
        }
    }
    out.push_str(&format!("- changed: {kinds}\n"));
    let names = |list: &[String]| {
        list.iter()
            .map(|l| format!("《{l}》"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if !c.licences_added.is_empty() {
        out.push_str(&format!("- licences added: {}\n", names(&c.licences_added)));
    }
    if !c.licences_removed.is_empty() {
        out.push_str(&format!(
            "- licences removed: {}\n",
            names(&c.licences_removed)
        ));
    }
    for (field, old, new) in [
        ("requirement", &c.old.requirement, &c.new.requirement),
        ("notes", &c.old.notes, &c.new.notes),
        ("scope", &c.old.scope, &c.new.scope),
    ] {
        if let (Some(old), Some(new)) = (old, new) {
            out.push_str(&format!(
                "- {field}:\n  - before: {}\n  - after: {}\n",
                inline(old),
                inline(new)
            ));
        }
    }
    out
}

/// A value on one markdown line; `(none)` when empty.
fn inline(text: &str) -> String {
    if text.is_empty() {
        "(none)".to_string()
    } else {
        text.replace('\n', " ⏎ ")
    }
}

/// A value in a markdown table cell.
fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests;

/// `--format` of `leimu diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The change report as markdown.
    Md,
    /// `{"added": […], "removed": […], "changed": […]}`.
    Json,
}

/// `leimu diff`: prints the report; true when something changed.
pub fn run(old: &Path, new: &Path, format: Format, aliases: &Aliases) -> Result<bool> {
    let (old, new) = (Snapshot::load(old)?, Snapshot::load(new)?);
    for duplicate in old.duplicates.iter().chain(&new.duplicates) {
        eprintln!("{duplicate}: note: the key of an earlier record; the first is compared");
    }
    let report = diff(&old, &new, aliases);
    let bytes = match format {
        Format::Md => report.markdown(&old.label, &new.label).into_bytes(),
        Format::Json => report.json()?,
    };
    use std::io::Write;
    std::io::stdout()
        .write_all(&bytes)
        .context("cannot write to standard output")?;
    Ok(!report.is_empty())
}

/// A disagreement as `conflicts.json` writes it (the fields the report needs).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct DisagreementRow {
    pub category_id: String,
    pub subject: String,
    pub path: PathRow,
    pub kind: String,
    pub sides: Vec<SideRow>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct PathRow {
    pub level1: String,
    pub level2: String,
    pub level3: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SideRow {
    pub source: String,
    pub file: String,
    pub line: u32,
    pub requirement: String,
    pub decides: bool,
}

impl DisagreementRow {
    /// What makes a disagreement the same one in two runs: the category,
    /// the kind and what each side says (lines move when a document is edited).
    fn identity(&self) -> (&str, &str, BTreeSet<(&str, &str)>) {
        let sides = self
            .sides
            .iter()
            .map(|s| (s.source.as_str(), s.requirement.as_str()))
            .collect();
        (&self.category_id, &self.kind, sides)
    }

    fn display(&self) -> String {
        let path = CategoryPath {
            level1: self.path.level1.clone().into(),
            level2: self.path.level2.clone().into(),
            level3: self.path.level3.clone().into(),
        };
        format!("{} · {path}", self.subject)
    }
}

/// The disagreements of a `normalized/` directory or a `conflicts.json`.
pub fn load_disagreements(path: &Path) -> Result<Vec<DisagreementRow>> {
    #[derive(Deserialize)]
    struct Conflicts {
        disagreements: Vec<DisagreementRow>,
    }
    let file = if path.is_dir() {
        path.join("conflicts.json")
    } else {
        path.to_path_buf()
    };
    let label = file.display().to_string();
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {label}"))?;
    let conflicts: Conflicts = serde_json::from_slice(&bytes).map_err(|e| {
        anyhow::anyhow!(
            "{label}:{}: not a conflicts.json ({e}); expected a normalized/ directory or its conflicts.json",
            e.line()
        )
    })?;
    Ok(conflicts.disagreements)
}

/// The disagreements of `new` that `old` does not have, in `new`'s order.
pub fn new_disagreements(old: &[DisagreementRow], new: &[DisagreementRow]) -> Vec<DisagreementRow> {
    let known: BTreeSet<_> = old.iter().map(DisagreementRow::identity).collect();
    new.iter()
        .filter(|d| !known.contains(&d.identity()))
        .cloned()
        .collect()
}

/// The new disagreements as markdown, each side at its file and line.
pub fn disagreements_markdown(new: &[DisagreementRow], old_label: &str, new_label: &str) -> String {
    let mut out = format!(
        "# Disagreements new in `{new_label}`\n\n{} not in `{old_label}`.\n",
        new.len()
    );
    for d in new {
        out.push_str(&format!("\n- {}: {}\n", d.display(), d.kind));
        for s in &d.sides {
            out.push_str(&format!(
                "  - {}:{} ({}{}): {}\n",
                s.file,
                s.line,
                s.source,
                if s.decides { ", decides" } else { "" },
                inline(&s.requirement)
            ));
        }
    }
    out
}

/// `leimu diff --disagreements`: prints the new disagreements; true when there are any.
pub fn run_disagreements(old: &Path, new: &Path, format: Format) -> Result<bool> {
    let found = new_disagreements(&load_disagreements(old)?, &load_disagreements(new)?);
    let bytes = match format {
        Format::Md => disagreements_markdown(
            &found,
            &old.display().to_string(),
            &new.display().to_string(),
        )
        .into_bytes(),
        Format::Json => crate::output::json(&found)?,
    };
    use std::io::Write;
    std::io::stdout()
        .write_all(&bytes)
        .context("cannot write to standard output")?;
    Ok(!found.is_empty())
}
