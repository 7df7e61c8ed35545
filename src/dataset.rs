//! The typed view of `normalized/` that the query commands, the workbook and
//! the report read: categories, conflicts, licences, the category–licence
//! links, history and filing services.
//!
//! It reads what the pipeline wrote and never re-ingests. Columns that newer
//! normalisers add (`id`, `status`, `beta`, `decided_as_of`, `authority`)
//! are optional; files that may not exist yet (`category-licences.csv`,
//! `history.csv`) read as empty, and the links are then derived from each
//! category's `requirement_tree` ([`derive_links`]). Errors name the file
//! and, where the parser knows it, the line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use leimu_requirement::Requirement;

/// The files of `normalized/` this module reads, relative to it.
pub const CATEGORIES_JSON: &str = "categories.json";
const CONFLICTS_JSON: &str = "conflicts.json";
const LICENCES_CSV: &str = "licences.csv";
const LINKS_CSV: &str = "category-licences.csv";
const HISTORY_CSV: &str = "history.csv";
const FILING_CSV: &str = "filing-services.csv";

/// One canonical category as `categories.json` states it.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Category {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub subject: String,
    pub level1: String,
    #[serde(default)]
    pub level2: String,
    #[serde(default)]
    pub level3: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_as_of: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    #[serde(default)]
    pub requirement: String,
    #[serde(default)]
    pub licences: Vec<String>,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub decided_by: Option<String>,
    #[serde(default)]
    pub conflicts: u32,
    #[serde(default)]
    pub requirement_tree: Option<Tree>,
    /// Ids of the current categories that divide a retired one.
    #[serde(default)]
    pub succeeded_by: Vec<String>,
    #[serde(default)]
    pub contributors: Vec<Contributor>,
}

/// A record that contributed to a category.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Contributor {
    pub source: String,
    #[serde(default)]
    pub line: u32,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub requirement: String,
}

/// A requirement as logic, as `categories.json` serialises it. Kinds this
/// reader does not know yet become [`Tree::Other`] rather than an error.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Tree {
    AllOf {
        of: Vec<Tree>,
    },
    AnyOf {
        /// How many of the alternatives are required; absent means one.
        #[serde(default)]
        choose: Option<Value>,
        of: Vec<Tree>,
    },
    When {
        condition: String,
        then: Box<Tree>,
    },
    /// Documents a text names as a group (`该资质主体公司的经营国际客运许可证件`).
    Titled {
        title: String,
        then: Box<Tree>,
    },
    Licence {
        name: String,
        #[serde(default)]
        qualifier: String,
        /// The part of `qualifier` written before the name.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        before: String,
        /// Written without 《》.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        bare: bool,
    },
    Document {
        text: String,
    },
    Unparsed {
        text: String,
    },
    /// The sources state that no document is required (`/`, `-`).
    None,
    /// No source states a requirement.
    Unstated,
    /// A kind this version does not know.
    #[serde(other)]
    Other,
}

impl Tree {
    /// How many alternatives an any-of requires: `choose` as a number, or
    /// `{pick: N}`, else one.
    pub fn pick(choose: &Option<Value>) -> u64 {
        match choose {
            Some(Value::Number(n)) => n.as_u64().unwrap_or(1),
            Some(Value::Object(o)) => o.get("pick").and_then(Value::as_u64).unwrap_or(1),
            _ => 1,
        }
    }
}

/// The category a conflict is about.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ConflictCategory {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub level1: String,
    #[serde(default)]
    pub level2: String,
    #[serde(default)]
    pub level3: String,
}

/// One side of a conflict.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Side {
    pub source: String,
    #[serde(default)]
    pub line: u32,
    #[serde(default)]
    pub requirement: String,
    #[serde(default)]
    pub decides: bool,
    #[serde(default)]
    pub differs: Option<String>,
}

/// A disagreement as the normaliser writes it in `conflicts.json`.
#[derive(Debug, Clone, Deserialize)]
struct Disagreement {
    category_id: String,
    subject: String,
    path: DisagreementPath,
    kind: String,
    sides: Vec<Side>,
}

#[derive(Debug, Clone, Deserialize)]
struct DisagreementPath {
    #[serde(default)]
    level1: String,
    #[serde(default)]
    level2: String,
    #[serde(default)]
    level3: String,
}

/// A category whose sources disagree.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Conflict {
    pub category: ConflictCategory,
    /// The other categories the conflict is about (an overlap's deeper ones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<ConflictCategory>,
    #[serde(default)]
    pub kinds: Vec<String>,
    pub sides: Vec<Side>,
    #[serde(default)]
    pub resolution: String,
}

impl Conflict {
    /// Every category the conflict is about, its own first.
    pub fn categories(&self) -> impl Iterator<Item = &ConflictCategory> {
        std::iter::once(&self.category).chain(&self.also)
    }
}

/// An end category in some sources that others divide, as the normaliser
/// writes it in `conflicts.json` (`overlaps`).
#[derive(Debug, Clone, Deserialize)]
struct Overlap {
    subject: String,
    end: OverlapMember,
    children: Vec<OverlapMember>,
}

#[derive(Debug, Clone, Deserialize)]
struct OverlapMember {
    category_id: String,
    path: DisagreementPath,
    #[serde(default)]
    status: String,
    /// In precedence order: the first decides.
    sources: Vec<String>,
    /// `raw/file:line` of the deciding statement.
    at: String,
}

impl OverlapMember {
    fn category(&self, subject: &str) -> ConflictCategory {
        ConflictCategory {
            id: Some(self.category_id.clone()),
            subject: subject.to_string(),
            level1: self.path.level1.clone(),
            level2: self.path.level2.clone(),
            level3: self.path.level3.clone(),
        }
    }

    fn side(&self, subject: &str, role: &str) -> Side {
        let line = self
            .at
            .rsplit_once(':')
            .and_then(|(_, line)| line.parse().ok())
            .unwrap_or(0);
        let path = self.category(subject).key();
        let path = path.split_once(':').map_or(path.as_str(), |(_, p)| p);
        Side {
            source: self.sources.first().cloned().unwrap_or_default(),
            line,
            requirement: String::new(),
            decides: false,
            differs: Some(format!(
                "{role}: {}, {}",
                path.replace('/', " › "),
                self.status
            )),
        }
    }
}

impl Overlap {
    /// One conflict about the end category and every deeper one.
    fn into_conflict(self) -> Conflict {
        let subject = &self.subject;
        let mut sides = vec![self.end.side(subject, "end category")];
        sides.extend(self.children.iter().map(|c| c.side(subject, "divides it")));
        Conflict {
            category: self.end.category(subject),
            also: self.children.iter().map(|c| c.category(subject)).collect(),
            kinds: vec!["overlap".into()],
            sides,
            resolution: "An end category in one source is divided in another: a person must \
                         decide whether its statement also holds for the deeper categories."
                .into(),
        }
    }
}

/// A CSV file as header and rows of text, for tables this module passes on
/// without interpreting every column (the workbook, the BOM copies).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The values of column `name`, one per row; `None` if there is no such column.
    pub fn column(&self, name: &str) -> Option<impl Iterator<Item = &str>> {
        let index = self.header.iter().position(|h| h == name)?;
        Some(
            self.rows
                .iter()
                .map(move |r| r.get(index).map(String::as_str).unwrap_or("")),
        )
    }

    /// Each row as a map from its header's names to its values (a row
    /// shorter than the header lacks the names past its end).
    pub fn records(&self) -> impl Iterator<Item = BTreeMap<&str, &str>> {
        self.rows.iter().map(|row| {
            self.header
                .iter()
                .map(String::as_str)
                .zip(row.iter().map(String::as_str))
                .collect()
        })
    }
}

/// How a category needs a licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Always required.
    Required,
    /// One alternative of a group.
    OneOf,
    /// Required under a condition.
    Conditional,
    /// A role a newer link table names that this reader does not know.
    #[serde(other)]
    Other,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Required => "required",
            Role::OneOf => "one-of",
            Role::Conditional => "conditional",
            Role::Other => "other",
        }
    }
}

/// One row of the category–licence link table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Link {
    #[serde(alias = "category")]
    pub category_id: String,
    pub licence: String,
    #[serde(default)]
    pub kind: String,
    pub role: Role,
    /// For `one-of`: `1 of 3`; the group a licence is an alternative in.
    #[serde(default)]
    pub group: String,
    /// For `conditional` (and alternatives under a condition): the condition.
    #[serde(default)]
    pub condition: String,
    /// The licence as the requirement writes it, with the words around it and
    /// the titles of its groups; empty in a link table that predates it.
    #[serde(default)]
    pub as_written: String,
    /// The position of the group the licence is an alternative in (`1.2`)
    /// and which alternative; empty in a link table that predates them.
    #[serde(default)]
    pub group_id: String,
    #[serde(default)]
    pub alternative: Option<u32>,
}

/// Where the links come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkOrigin {
    /// `normalized/category-licences.csv`.
    File,
    /// Derived from the requirement trees by [`derive_links`].
    Derived,
}

/// What a source is, from `raw/sources.toml` (only the fields read here).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SourceInfo {
    pub id: String,
    pub file: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub as_of: String,
}

impl From<&crate::manifest::Source> for SourceInfo {
    fn from(s: &crate::manifest::Source) -> SourceInfo {
        SourceInfo {
            id: s.id.clone(),
            file: s.file.clone(),
            title: s.title.clone(),
            as_of: s.as_of.clone(),
        }
    }
}

/// Everything the readers of `normalized/` need.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub categories: Vec<Category>,
    pub conflicts: Vec<Conflict>,
    pub licences: Table,
    pub links: Vec<Link>,
    pub link_origin: LinkOrigin,
    pub history: Table,
    pub filing: Table,
    pub sources: Vec<SourceInfo>,
    /// Every CSV of `normalized/` as written (path relative to it → bytes).
    pub csv_files: BTreeMap<String, Vec<u8>>,
}

impl Tree {
    /// The requirement this tree serialises, as the requirement logic types
    /// it; `None` for a statement that requires nothing (`none`,
    /// `unstated`). A kind this version does not know reads as text it could
    /// not parse, so that a group keeps its number of alternatives.
    pub fn to_requirement(&self) -> Option<Requirement> {
        let all = |of: &[Tree]| -> Vec<Requirement> {
            of.iter().filter_map(Tree::to_requirement).collect()
        };
        Some(match self {
            Tree::AllOf { of } => Requirement::AllOf { of: all(of) },
            Tree::AnyOf { choose, of } => Requirement::AnyOf {
                choose: choose
                    .as_ref()
                    .and_then(|c| serde_json::from_value(c.clone()).ok()),
                of: all(of),
            },
            Tree::When { condition, then } => Requirement::When {
                condition: condition.clone(),
                then: Box::new(then.to_requirement()?),
            },
            Tree::Titled { title, then } => Requirement::Titled {
                title: title.clone(),
                then: Box::new(then.to_requirement()?),
            },
            Tree::Licence {
                name,
                qualifier,
                before,
                bare,
            } => Requirement::Licence {
                name: name.clone(),
                qualifier: qualifier.clone(),
                before: before.clone(),
                bare: *bare,
            },
            Tree::Document { text } => Requirement::Document { text: text.clone() },
            Tree::Unparsed { text } => Requirement::Unparsed { text: text.clone() },
            Tree::Other => Requirement::Unparsed {
                text: String::new(),
            },
            Tree::None | Tree::Unstated => return None,
        })
    }

    /// A licence as its source writes it: the words before the name, the
    /// name (in 《》 unless written bare), the words after it
    /// (`合作医院《医疗机构执业许可证》`).
    /// `None` for any other node.
    pub fn licence_as_written(&self) -> Option<String> {
        let Tree::Licence {
            name,
            qualifier,
            before,
            bare,
        } = self
        else {
            return None;
        };
        Some(leimu_requirement::licence_as_written(
            name, qualifier, before, *bare,
        ))
    }
}

impl Category {
    /// The key as text, `enterprise:社交/直播`; the id where none is written.
    pub fn key(&self) -> String {
        format!("{}:{}", self.subject, self.levels().join("/"))
    }

    /// The category's id, or its key when `categories.json` has no ids yet.
    pub fn id(&self) -> String {
        self.id.clone().unwrap_or_else(|| self.key())
    }

    /// The non-empty levels, top first.
    pub fn levels(&self) -> Vec<&str> {
        [&self.level1, &self.level2, &self.level3]
            .into_iter()
            .map(String::as_str)
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// `社交 › 直播`.
    pub fn path(&self) -> String {
        self.levels().join(" › ")
    }

    /// The newest contributing record of the deciding source.
    pub fn decider(&self) -> Option<&Contributor> {
        let by = self.decided_by.as_deref()?;
        self.contributors.iter().find(|c| c.source == by)
    }
}

impl ConflictCategory {
    /// The key as [`Category::key`] writes it.
    pub fn key(&self) -> String {
        let levels: Vec<&str> = [&self.level1, &self.level2, &self.level3]
            .into_iter()
            .map(String::as_str)
            .filter(|l| !l.is_empty())
            .collect();
        format!("{}:{}", self.subject, levels.join("/"))
    }
}

/// The licence links of one category, read from its requirement tree as the
/// pipeline reads it to write `category-licences.csv`
/// ([`leimu_normalize::registry::links_of`]): for a `normalized/` written
/// before that table, the rows it would have.
pub fn derive_links(category: &Category) -> Vec<Link> {
    let Some(requirement) = category
        .requirement_tree
        .as_ref()
        .and_then(Tree::to_requirement)
    else {
        return Vec::new();
    };
    leimu_normalize::registry::links_of(&category.id(), &requirement)
        .into_iter()
        .map(|l| Link {
            category_id: l.category_id,
            kind: l.kind.as_str().to_string(),
            role: match l.role {
                leimu_normalize::Role::Required => Role::Required,
                leimu_normalize::Role::OneOf => Role::OneOf,
                leimu_normalize::Role::Conditional => Role::Conditional,
            },
            group: match (l.pick, l.of) {
                (Some(pick), Some(of)) => format!("{pick} of {of}"),
                _ => String::new(),
            },
            condition: l.condition,
            licence: l.licence,
            as_written: l.as_written,
            group_id: l.group_id,
            alternative: l.alternative,
        })
        .collect()
}

/// Why `normalized/` cannot be read.
fn missing(path: &str) -> anyhow::Error {
    anyhow!(
        "normalized/{path}: missing: normalized/ has not been generated; run `cargo xtask ingest`"
    )
}

/// The JSON error as `normalized/FILE:LINE: invalid: …`.
fn json_error(path: &str, e: serde_json::Error) -> anyhow::Error {
    anyhow!(
        "normalized/{path}:{}: invalid: {e}; run `cargo xtask ingest` to regenerate it",
        e.line()
    )
}

impl Dataset {
    /// Reads `root/normalized` (and the source list in `root/raw/sources.toml`).
    pub fn load(root: &Path) -> Result<Dataset> {
        let dir = root.join("normalized");
        if !dir.join(CATEGORIES_JSON).is_file() {
            return Err(missing(CATEGORIES_JSON));
        }
        let mut files = BTreeMap::new();
        for path in read_dir_files(&dir)? {
            let relative = path_key(&dir, &path)?;
            if relative.ends_with(".csv") || relative.ends_with(".json") {
                let bytes = std::fs::read(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                files.insert(relative, bytes);
            }
        }
        let sources = load_sources(&root.join("raw/sources.toml"))?;
        Dataset::from_files(&files, sources)
    }

    /// Reads the dataset from file contents keyed by their path relative to
    /// `normalized/`, as [`crate::pipeline::generate`] produces them.
    pub fn from_files(
        files: &BTreeMap<String, Vec<u8>>,
        sources: Vec<SourceInfo>,
    ) -> Result<Dataset> {
        let categories_json = files
            .get(CATEGORIES_JSON)
            .ok_or_else(|| missing(CATEGORIES_JSON))?;
        let categories: Vec<Category> =
            serde_json::from_slice(categories_json).map_err(|e| json_error(CATEGORIES_JSON, e))?;
        let conflicts = match files.get(CONFLICTS_JSON) {
            Some(bytes) => read_conflicts(bytes)?,
            None => Vec::new(),
        };
        let links_file = files.get(LINKS_CSV);
        let (links, link_origin) = match links_file {
            Some(bytes) => (read_links(bytes)?, LinkOrigin::File),
            None => (
                categories.iter().flat_map(derive_links).collect(),
                LinkOrigin::Derived,
            ),
        };
        let table = |path: &str| -> Result<Table> {
            files
                .get(path)
                .map(|b| read_table(path, b))
                .transpose()
                .map(Option::unwrap_or_default)
        };
        let csv_files = files
            .iter()
            .filter(|(p, _)| p.ends_with(".csv"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect();
        Ok(Dataset {
            licences: table(LICENCES_CSV)?,
            history: table(HISTORY_CSV)?,
            filing: table(FILING_CSV)?,
            categories,
            conflicts,
            links,
            link_origin,
            sources,
            csv_files,
        })
    }

    /// The category with this id (or key).
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id() == id)
    }

    /// The links of one category.
    pub fn links_of<'a>(&'a self, category: &'a Category) -> impl Iterator<Item = &'a Link> {
        let id = category.id();
        self.links.iter().filter(move |l| l.category_id == id)
    }

    /// The conflicts about one category.
    pub fn conflicts_of<'a>(
        &'a self,
        category: &'a Category,
    ) -> impl Iterator<Item = &'a Conflict> {
        let key = category.key();
        self.conflicts.iter().filter(move |c| {
            c.categories().any(|about| match (&about.id, &category.id) {
                (Some(a), Some(b)) => a == b,
                _ => about.key() == key,
            })
        })
    }

    /// The history rows of one category (by `category_id`, else by key).
    pub fn history_of(&self, category: &Category) -> Vec<BTreeMap<&str, &str>> {
        let id = category.id();
        let key = category.key();
        self.history
            .records()
            .filter(|row| {
                row.get("category_id") == Some(&id.as_str())
                    || format!(
                        "{}:{}",
                        row.get("subject").unwrap_or(&""),
                        ["level1", "level2", "level3"]
                            .iter()
                            .filter_map(|l| row.get(l).filter(|v| !v.is_empty()))
                            .copied()
                            .collect::<Vec<_>>()
                            .join("/")
                    ) == key
            })
            .collect()
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&SourceInfo> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// `raw/FILE:LINE` for a record of a source.
    pub fn location(&self, source: &str, line: u32) -> String {
        match self.source(source) {
            Some(s) => format!("raw/{}:{line}", s.file),
            None => format!("{source}:{line}"),
        }
    }
}

/// What the report reads of `normalized/`, from the pipeline before the
/// files are written: the contents of `conflicts.json` as the value it is
/// serialised from, read through the same `Deserialize` as the file (no
/// text in between), and the small link and history tables as their bytes.
/// The categories are read one at a time as the page is written
/// ([`read_category`]), never all at once.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub conflicts: Vec<Conflict>,
    pub links: Vec<Link>,
    pub history: Table,
}

impl ReportView {
    /// The three parts, read in parallel.
    pub fn read(
        conflicts: &(impl Serialize + Sync),
        links_csv: &[u8],
        history_csv: &[u8],
    ) -> Result<ReportView> {
        let (conflicts, (links, history)) = rayon::join(
            || -> Result<Vec<Conflict>> {
                let mut found = Vec::new();
                collect_conflicts(&serde_json::to_value(conflicts)?, &mut found)?;
                Ok(found)
            },
            || {
                rayon::join(
                    || read_links(links_csv),
                    || read_table(HISTORY_CSV, history_csv),
                )
            },
        );
        Ok(ReportView {
            conflicts: conflicts?,
            links: links?,
            history: history?,
        })
    }
}

/// One object of `categories.json`, from the value it is serialised from,
/// read through the same `Deserialize` as the file: through compact JSON,
/// which is cheaper than a `Value` tree.
pub fn read_category(object: &impl Serialize) -> Result<Category> {
    let json = serde_json::to_vec(object)?;
    serde_json::from_slice(&json).map_err(|e| json_error(CATEGORIES_JSON, e))
}

/// Collects every object with a `category` and `sides`, wherever the
/// conflict report nests them.
fn read_conflicts(bytes: &[u8]) -> Result<Vec<Conflict>> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| json_error(CONFLICTS_JSON, e))?;
    let mut found = Vec::new();
    collect_conflicts(&value, &mut found)?;
    Ok(found)
}

fn collect_conflicts(value: &Value, out: &mut Vec<Conflict>) -> Result<()> {
    let invalid = |e: serde_json::Error| anyhow!("normalized/{CONFLICTS_JSON}: invalid: {e}");
    match value {
        Value::Object(map) if map.contains_key("category") && map.contains_key("sides") => {
            out.push(Conflict::deserialize(value).map_err(invalid)?);
        }
        // The normaliser's disagreements: `category_id`, `subject`, `path`, `kind`, `sides`.
        Value::Object(map) if map.contains_key("category_id") && map.contains_key("sides") => {
            let d = Disagreement::deserialize(value).map_err(invalid)?;
            out.push(Conflict {
                category: ConflictCategory {
                    id: Some(d.category_id),
                    subject: d.subject,
                    level1: d.path.level1,
                    level2: d.path.level2,
                    level3: d.path.level3,
                },
                also: Vec::new(),
                kinds: vec![d.kind],
                sides: d.sides,
                resolution: String::new(),
            });
        }
        Value::Object(map)
            if map.get("kind").and_then(Value::as_str) == Some("overlap")
                && map.contains_key("end") =>
        {
            out.push(
                Overlap::deserialize(value)
                    .map_err(invalid)?
                    .into_conflict(),
            );
        }
        // Policy already decided what the appendix lists (older changes,
        // reference views): those are not conflicts a person must resolve.
        Value::Object(map) => {
            for (key, v) in map {
                if key != "appendix" && key != "recent_changes" {
                    collect_conflicts(v, out)?;
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                collect_conflicts(v, out)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn csv_error(path: &str, e: csv::Error) -> anyhow::Error {
    match e.position() {
        Some(p) => anyhow!("normalized/{path}:{}: invalid: {e}", p.line()),
        None => anyhow!("normalized/{path}: invalid: {e}"),
    }
}

/// Reads a CSV file as text cells.
pub fn read_table(path: &str, bytes: &[u8]) -> Result<Table> {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| csv_error(path, e))?
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(String::from).collect())
                .map_err(|e| csv_error(path, e))
        })
        .collect::<Result<_>>()?;
    Ok(Table { header, rows })
}

/// `category-licences.csv`; a group written as `pick`/`of` columns becomes
/// `pick of N`.
fn read_links(bytes: &[u8]) -> Result<Vec<Link>> {
    /// A [`Link`] and the two columns of a group (named, not flattened:
    /// a flattened struct is read through a buffer of every field).
    #[derive(Deserialize)]
    struct Row {
        #[serde(alias = "category")]
        category_id: String,
        licence: String,
        #[serde(default)]
        kind: String,
        role: Role,
        #[serde(default)]
        group: String,
        #[serde(default)]
        condition: String,
        #[serde(default)]
        pick: Option<String>,
        #[serde(default)]
        of: Option<String>,
        #[serde(default)]
        as_written: String,
        #[serde(default)]
        group_id: String,
        #[serde(default)]
        alternative: Option<String>,
    }
    let mut reader = csv::Reader::from_reader(bytes);
    reader
        .deserialize()
        .map(|r| {
            let row: Row = r.map_err(|e| csv_error(LINKS_CSV, e))?;
            let mut link = Link {
                category_id: row.category_id,
                licence: row.licence,
                kind: row.kind,
                role: row.role,
                group: row.group,
                condition: row.condition,
                as_written: row.as_written,
                group_id: row.group_id,
                alternative: row.alternative.and_then(|a| a.parse().ok()),
            };
            if let (true, Some(of)) = (link.group.is_empty(), row.of.filter(|o| !o.is_empty())) {
                let pick = row.pick.filter(|p| !p.is_empty());
                link.group = format!("{} of {of}", pick.as_deref().unwrap_or("1"));
            }
            Ok(link)
        })
        .collect()
}

/// The sources of `raw/sources.toml`, leniently: only the fields read here.
pub fn load_sources(path: &Path) -> Result<Vec<SourceInfo>> {
    #[derive(Deserialize)]
    struct Manifest {
        #[serde(default)]
        source: Vec<SourceInfo>,
    }
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let manifest: Manifest = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
            .unwrap_or(1);
        anyhow!("{}:{line}: invalid: {}", path.display(), e.message())
    })?;
    Ok(manifest.source)
}

fn read_dir_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current)
            .with_context(|| format!("cannot list {}", current.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn path_key(dir: &Path, path: &Path) -> Result<String> {
    let Ok(relative) = path.strip_prefix(dir) else {
        bail!("{} outside {}", path.display(), dir.display())
    };
    Ok(relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/"))
}

/// A warning when a file of `raw/` is newer than `normalized/` (by more
/// than the few seconds a checkout takes to write both).
pub fn staleness_warning(root: &Path) -> Option<String> {
    let generated = std::fs::metadata(root.join("normalized").join(CATEGORIES_JSON))
        .and_then(|m| m.modified())
        .ok()?;
    let newest = read_dir_files(&root.join("raw"))
        .ok()?
        .into_iter()
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .max()?;
    let ahead = newest.0.duration_since(generated).ok()?;
    (ahead.as_secs() > 5).then(|| {
        format!(
            "{}: stale: newer than normalized/{CATEGORIES_JSON}; run `cargo xtask ingest` if raw/ changed",
            newest.1.strip_prefix(root).unwrap_or(&newest.1).display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(tree: &str) -> Category {
        serde_json::from_str(&format!(
            r#"{{"subject":"enterprise","level1":"社交","level2":"直播","requirement_tree":{tree}}}"#
        ))
        .unwrap()
    }

    /// The links derived from `tree`, as (licence, role, group, condition), sorted.
    fn roles(tree: &str) -> Vec<(String, Role, String, String)> {
        let mut links: Vec<_> = derive_links(&category(tree))
            .into_iter()
            .map(|l| (l.licence, l.role, l.group, l.condition))
            .collect();
        links.sort();
        links
    }

    fn link(
        licence: &str,
        role: Role,
        group: &str,
        condition: &str,
    ) -> (String, Role, String, String) {
        (licence.into(), role, group.into(), condition.into())
    }

    #[test]
    fn an_all_of_requires_each_licence() {
        let r = roles(
            r#"{"kind":"all-of","of":[{"kind":"licence","name":"甲"},{"kind":"licence","name":"乙"}]}"#,
        );
        assert_eq!(
            r,
            [
                link("乙", Role::Required, "", ""),
                link("甲", Role::Required, "", "")
            ]
        );
    }

    #[test]
    fn an_alternative_under_a_condition_is_conditional_in_its_group() {
        let r = roles(
            r#"{"kind":"any-of","choose":null,"of":[
                {"kind":"when","condition":"适用于政府主体","then":{"kind":"licence","name":"甲"}},
                {"kind":"licence","name":"乙"},
                {"kind":"document","text":"说明"}]}"#,
        );
        assert_eq!(
            r,
            [
                link("乙", Role::OneOf, "1 of 3", ""),
                link("甲", Role::Conditional, "1 of 3", "适用于政府主体"),
            ]
        );
    }

    #[test]
    fn a_licence_in_every_alternative_is_required() {
        let r = roles(
            r#"{"kind":"any-of","of":[
                {"kind":"all-of","of":[{"kind":"licence","name":"甲"},{"kind":"licence","name":"乙"}]},
                {"kind":"all-of","of":[{"kind":"licence","name":"丙"},{"kind":"licence","name":"乙"}]}]}"#,
        );
        assert_eq!(
            r,
            [
                link("丙", Role::OneOf, "1 of 2", ""),
                link("乙", Role::Required, "", ""),
                link("甲", Role::OneOf, "1 of 2", ""),
            ]
        );
    }

    #[test]
    fn a_condition_outside_alternatives_is_conditional() {
        let r = roles(
            r#"{"kind":"all-of","of":[{"kind":"licence","name":"甲"},
                {"kind":"when","condition":"涉及交易","then":{"kind":"licence","name":"乙"}}]}"#,
        );
        assert_eq!(
            r,
            [
                link("乙", Role::Conditional, "", "涉及交易"),
                link("甲", Role::Required, "", ""),
            ]
        );
    }

    /// As `category-licences.csv` has it: one row for each way the licence
    /// takes part.
    #[test]
    fn a_licence_on_two_paths_has_a_row_for_each_role() {
        let r = roles(
            r#"{"kind":"all-of","of":[{"kind":"licence","name":"甲"},
                {"kind":"any-of","of":[{"kind":"licence","name":"甲"},{"kind":"licence","name":"乙"}]}]}"#,
        );
        assert_eq!(
            r,
            [
                link("乙", Role::OneOf, "1 of 2", ""),
                link("甲", Role::Required, "", ""),
                link("甲", Role::OneOf, "1 of 2", ""),
            ]
        );
    }

    /// A kind this reader does not know keeps its place in a group.
    #[test]
    fn an_unknown_kind_in_a_group_still_counts_as_an_alternative() {
        let r = roles(
            r#"{"kind":"any-of","of":[{"kind":"licence","name":"甲"},{"kind":"some-future-kind"}]}"#,
        );
        assert_eq!(r, [link("甲", Role::OneOf, "1 of 2", "")]);
    }

    #[test]
    fn unknown_kinds_and_new_fields_are_read() {
        let c: Category = serde_json::from_str(
            r#"{"id":"x1","status":"listed","beta":false,"subject":"personal","level1":"a",
                "requirement_tree":{"kind":"some-future-kind"},"future":1}"#,
        )
        .unwrap();
        assert_eq!(c.id(), "x1");
        assert!(matches!(c.requirement_tree, Some(Tree::Other)));
        assert!(derive_links(&c).is_empty());
    }

    /// The normaliser writes `{"kind":"none"}` where the sources say no
    /// document is required and `{"kind":"unstated"}` where none says
    /// anything; both are known kinds with no licences, not unknown ones.
    #[test]
    fn none_and_unstated_are_known_kinds_without_licences() {
        for (kind, expected) in [("none", Tree::None), ("unstated", Tree::Unstated)] {
            let c = category(&format!(r#"{{"kind":"{kind}"}}"#));
            let tree = c.requirement_tree.as_ref().unwrap();
            assert_eq!(
                std::mem::discriminant(tree),
                std::mem::discriminant(&expected),
                "{kind}"
            );
            assert!(derive_links(&c).is_empty());
        }
    }

    #[test]
    fn conflicts_are_found_wherever_they_are_nested() {
        let json = br#"{"changes":[],"disagreements":[{"category":{"subject":"enterprise","level1":"a"},"sides":[{"source":"s","line":3}]}]}"#;
        let found = read_conflicts(json).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].category.key(), "enterprise:a");
    }

    #[test]
    fn a_missing_categories_file_says_to_ingest() {
        let e = Dataset::from_files(&BTreeMap::new(), Vec::new()).unwrap_err();
        assert!(e.to_string().contains("cargo xtask ingest"), "{e}");
    }
}
