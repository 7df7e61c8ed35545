//! The query commands: `show`, `needs` and `search` on `normalized/`.
//!
//! Each reads the [`Dataset`] (no re-ingest), finds what the question asks
//! and renders it for a terminal (tables fit 80 columns) or as JSON for
//! scripts. No match is an [`Answer`] with `found == false`, a message and
//! up to three close suggestions; the command exits 1 then.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use comfy_table::{presets::UTF8_BORDERS_ONLY, ContentArrangement, Table};
use leimu_normalize::Aliases;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::dataset::{Category, Conflict, Dataset, Link, Tree};

/// Terminal width the tables are laid out for.
const WIDTH: u16 = 80;
/// At most this many categories get a full view; more are listed as a table.
const MAX_FULL_VIEWS: usize = 8;

/// How to print an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// A question.
#[derive(Debug, Clone)]
pub enum Question {
    /// Categories whose path, a level or id matches, optionally of one subject.
    Show {
        query: String,
        subject: Option<String>,
    },
    /// The categories that require a licence.
    Needs { licence: String },
    /// Full text over names, licences, requirements, notes and scope.
    Search { text: String },
}

/// What a question found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Goes to standard output.
    pub output: String,
    /// Goes to standard error: why nothing was found, with suggestions.
    pub message: Option<String>,
    pub found: bool,
}

/// Name rules a query is compared under: the curated aliases of
/// `raw/aliases.toml`, as the normaliser reads them.
#[derive(Debug, Default)]
pub struct Names {
    aliases: Aliases,
}

impl Names {
    /// Reads `raw/aliases.toml` under `root`; an absent file means no aliases.
    pub fn load(root: &Path) -> Result<Names> {
        let path = root.join("raw/aliases.toml");
        if !path.is_file() {
            return Ok(Names::default());
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Names::parse(&text).with_context(|| format!("in {}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Names> {
        Ok(Names {
            aliases: Aliases::parse(text)?,
        })
    }

    /// A folded level name, renamed by `[level1]` where it applies.
    fn level(&self, folded: &str) -> String {
        self.aliases
            .level1(folded)
            .map(fold)
            .unwrap_or_else(|| folded.to_string())
    }

    fn licence(&self, name: &str) -> String {
        fold(&self.aliases.licence(name))
    }
}

/// A name as queries compare it: compatibility width (`（` is `(`, `Ａ` is
/// `A`), no whitespace, lower case, and `›` `>` `／` as the path separator `/`.
pub fn fold(text: &str) -> String {
    text.nfkc()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '›' | '>' | '／' => '/',
            other => other,
        })
        .collect()
}

/// Loads the dataset under `root`, answers, and prints; true when found.
pub fn run(root: &Path, question: &Question, format: Format) -> Result<bool> {
    if let Some(warning) = crate::dataset::staleness_warning(root) {
        eprintln!("{warning}");
    }
    let dataset = Dataset::load(root)?;
    let names = Names::load(root)?;
    let answer = answer(&dataset, &names, question, format)?;
    print!("{}", answer.output);
    if let Some(message) = &answer.message {
        eprintln!("{message}");
    }
    Ok(answer.found)
}

/// Answers one question.
pub fn answer(
    dataset: &Dataset,
    names: &Names,
    question: &Question,
    format: Format,
) -> Result<Answer> {
    match question {
        Question::Show { query, subject } => {
            let found = show_matches(dataset, names, query, subject.as_deref());
            let candidates = level_names(dataset, subject.as_deref());
            let what = match subject {
                Some(s) => format!("{s} category"),
                None => "category".to_string(),
            };
            respond(format, &found, query, &what, &candidates, |found| {
                Ok(match format {
                    Format::Json => json(&show_json(dataset, found))?,
                    Format::Text => show_text(dataset, found),
                })
            })
        }
        Question::Needs { licence } => {
            let found = needs_matches(dataset, names, licence);
            let candidates = licence_names(dataset);
            respond(format, &found, licence, "licence", &candidates, |found| {
                Ok(match format {
                    Format::Json => json(&needs_json(dataset, found))?,
                    Format::Text => needs_text(dataset, found),
                })
            })
        }
        Question::Search { text } => {
            let found = search_matches(dataset, text);
            let candidates = level_names(dataset, None);
            respond(format, &found, text, "category", &candidates, |found| {
                Ok(match format {
                    Format::Json => json(found)?,
                    Format::Text => search_text(found),
                })
            })
        }
    }
}

fn respond<T>(
    format: Format,
    found: &[T],
    query: &str,
    what: &str,
    candidates: &[String],
    render: impl FnOnce(&[T]) -> Result<String>,
) -> Result<Answer> {
    if !found.is_empty() {
        return Ok(Answer {
            output: render(found)?,
            message: None,
            found: true,
        });
    }
    let mut message = format!("no {what} matches “{query}”");
    let close = suggestions(query, candidates);
    if !close.is_empty() {
        let _ = write!(message, "; did you mean: {}?", close.join(", "));
    }
    Ok(Answer {
        output: if format == Format::Json {
            "[]\n".into()
        } else {
            String::new()
        },
        message: Some(message),
        found: false,
    })
}

fn json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}

/// Up to three candidates closest to `query` (character edit distance on
/// folded names), most similar first, ties in name order.
pub fn suggestions(query: &str, candidates: &[String]) -> Vec<String> {
    let query = fold(query);
    let mut scored: Vec<(i64, &String)> = candidates
        .iter()
        .filter_map(|c| {
            let folded = fold(c);
            if folded == query {
                return None;
            }
            let similarity = strsim::normalized_levenshtein(&query, &folded);
            let shared = query.chars().any(|q| folded.contains(q));
            (similarity >= 0.3 || (shared && similarity > 0.0))
                .then_some(((similarity * 1000.0) as i64, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c.clone()).collect()
}

/// The level names of the categories (of one subject, if given).
fn level_names(dataset: &Dataset, subject: Option<&str>) -> Vec<String> {
    let mut names: Vec<String> = dataset
        .categories
        .iter()
        .filter(|c| subject.is_none_or(|s| c.subject == s))
        .flat_map(|c| c.levels().into_iter().map(String::from))
        .collect();
    names.sort();
    names.dedup();
    names
}

fn licence_names(dataset: &Dataset) -> Vec<String> {
    let mut names: Vec<String> = dataset.links.iter().map(|l| l.licence.clone()).collect();
    names.sort();
    names.dedup();
    names
}

// ---------------------------------------------------------------- show

/// Categories matching `query`: its id; a full path (`社交/直播`, or a
/// parent path and everything under it); else a substring of any level.
/// Exact level names come first.
pub fn show_matches<'a>(
    dataset: &'a Dataset,
    names: &Names,
    query: &str,
    subject: Option<&str>,
) -> Vec<&'a Category> {
    let in_subject = |c: &&Category| subject.is_none_or(|s| c.subject == s);
    let by_id: Vec<&Category> = dataset
        .categories
        .iter()
        .filter(in_subject)
        .filter(|c| c.id() == query)
        .collect();
    if !by_id.is_empty() {
        return by_id;
    }
    let folded = fold(query);
    let wanted: Vec<String> = folded
        .trim_matches('/')
        .split('/')
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                names.level(part)
            } else {
                part.to_string()
            }
        })
        .collect();
    let path_of = |c: &Category| -> Vec<String> { c.levels().into_iter().map(fold).collect() };
    if folded.contains('/') {
        let wanted_path = wanted.join("/");
        let exact: Vec<&Category> = dataset
            .categories
            .iter()
            .filter(in_subject)
            .filter(|c| path_of(c).join("/") == wanted_path)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        // A parent path, or a level whose own name contains the separator.
        return dataset
            .categories
            .iter()
            .filter(in_subject)
            .filter(|c| {
                let path = path_of(c).join("/");
                path.starts_with(&format!("{wanted_path}/")) || path.contains(&wanted_path)
            })
            .collect();
    }
    // The name as typed, and its curated canonical name if it is an alias.
    let needles = [folded.clone(), wanted.concat()];
    let mut found: Vec<(bool, &Category)> = dataset
        .categories
        .iter()
        .filter(in_subject)
        .filter_map(|c| {
            let levels = path_of(c);
            let exact = needles.iter().any(|n| levels.contains(n));
            let partial = levels
                .iter()
                .any(|l| needles.iter().any(|n| l.contains(n.as_str())));
            (exact || partial).then_some((!exact, c))
        })
        .collect();
    found.sort_by_key(|(inexact, _)| *inexact);
    found.into_iter().map(|(_, c)| c).collect()
}

#[derive(Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    category: &'a Category,
    /// `raw/FILE:LINE` of the deciding record.
    decided_at: Option<String>,
    licence_roles: Vec<&'a Link>,
    conflict_details: Vec<&'a Conflict>,
    history: Vec<BTreeMap<&'a str, &'a str>>,
}

fn show_json<'a>(dataset: &'a Dataset, found: &[&'a Category]) -> Vec<ShowJson<'a>> {
    found
        .iter()
        .map(|c| ShowJson {
            category: c,
            decided_at: c.decider().map(|d| dataset.location(&d.source, d.line)),
            licence_roles: dataset.links_of(c).collect(),
            conflict_details: dataset.conflicts_of(c).collect(),
            history: dataset.history_of(c),
        })
        .collect()
}

/// `enterprise` → `enterprise (非个人主体)`.
pub fn subject_label(subject: &str) -> String {
    let chinese = match subject {
        "enterprise" => "非个人主体",
        "personal" => "个人主体",
        "overseas" => "海外主体",
        _ => return subject.to_string(),
    };
    format!("{subject} ({chinese})")
}

fn table(header: &[&str]) -> Table {
    table_within(header, WIDTH)
}

/// A table for a view indented by two spaces.
fn inner_table(header: &[&str]) -> Table {
    table_within(header, WIDTH - 2)
}

fn table_within(header: &[&str], width: u16) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_BORDERS_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(header.to_vec());
    t
}

fn show_text(dataset: &Dataset, found: &[&Category]) -> String {
    if found.len() > MAX_FULL_VIEWS {
        let mut t = table(&["category", "subject", "licences"]);
        for c in found {
            t.add_row(vec![c.path(), c.subject.clone(), c.licences.join("、")]);
        }
        return format!(
            "{} categories match; name one path or add --subject for the full view:\n{t}\n",
            found.len()
        );
    }
    found
        .iter()
        .map(|c| category_view(dataset, c))
        .collect::<Vec<_>>()
        .join("\n")
}

fn category_view(dataset: &Dataset, c: &Category) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", c.path());
    let _ = writeln!(out, "  subject      {}", subject_label(&c.subject));
    if let Some(id) = &c.id {
        let _ = writeln!(out, "  id           {id}");
    }
    let mut status = c.status.clone().unwrap_or_else(|| "listed".into());
    if c.beta.as_ref().is_some_and(is_true) {
        status.push_str(" (internal beta)");
    }
    let _ = writeln!(out, "  status       {status}");
    successors_lines(dataset, c, &mut out);
    let _ = writeln!(out, "  decided by   {}", decided_by(dataset, c));
    let _ = writeln!(out, "  requirement");
    out.push_str(&requirement_lines(c, "    "));
    let mut links: Vec<&Link> = dataset.links_of(c).collect();
    // The rows of one alternative of one group together.
    links.sort_by_key(|l| (l.group_id.as_str(), l.alternative));
    if !links.is_empty() {
        let mut t = inner_table(&["licence", "role"]);
        for l in &links {
            t.add_row(vec![format!("《{}》", l.licence), role_text(l)]);
        }
        let _ = writeln!(out, "  licences\n{}", indent(&t.to_string(), "  "));
    }
    for (label, text) in [("scope", &c.scope), ("notes", &c.notes)] {
        if !text.is_empty() {
            let first = format!("  {label:<12} ");
            out.push_str(&wrap(text, &first, &" ".repeat(first.len())));
        }
    }
    let header = ["where", "as of", "requirement as written"];
    let rows: Vec<[String; 2]> = c
        .contributors
        .iter()
        .map(|s| [dataset.location(&s.source, s.line), s.as_of.clone()])
        .collect();
    let written_width = last_column_width(WIDTH - 2, &header, &rows);
    let mut t = inner_table(&header);
    for ([location, as_of], s) in rows.into_iter().zip(&c.contributors) {
        t.add_row(vec![
            location,
            as_of,
            column_text(&s.requirement, written_width),
        ]);
    }
    let _ = writeln!(out, "  sources\n{}", indent(&t.to_string(), "  "));
    for conflict in dataset.conflicts_of(c) {
        let _ = writeln!(out, "  conflict     {}", conflict.kinds.join(", "));
        for side in &conflict.sides {
            let text = format!(
                "{}{}",
                dataset.location(&side.source, side.line),
                side.differs
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            );
            let mark = if side.decides { "    ✓ " } else { "    · " };
            out.push_str(&wrap(&text, mark, "      "));
        }
        if !conflict.resolution.is_empty() {
            out.push_str(&wrap(&conflict.resolution, "    ", "    "));
        }
    }
    let history = dataset.history_of(c);
    if !history.is_empty() {
        let mut t = inner_table(&["as of", "source", "change", "+ licences", "− licences"]);
        for row in &history {
            let get = |k: &str| row.get(k).copied().unwrap_or("").to_string();
            // One licence a line: the table would break `甲证;乙证` anywhere.
            let licences = |k: &str| get(k).replace(';', "\n");
            t.add_row(vec![
                get("as_of"),
                get("source"),
                get("change"),
                licences("licences_added"),
                licences("licences_removed"),
            ]);
        }
        let _ = writeln!(out, "  history\n{}", indent(&t.to_string(), "  "));
    }
    out
}

fn is_true(v: &serde_json::Value) -> bool {
    v.as_bool().unwrap_or(false) || v.as_str().is_some_and(|s| s == "true")
}

/// `raw/file:line (as of DATE, authority)`: the file names the source.
/// `succeeded by` and the paths of the categories that divide a retired one.
fn successors_lines(dataset: &Dataset, c: &Category, out: &mut String) {
    for (n, id) in c.succeeded_by.iter().enumerate() {
        let label = if n == 0 { "succeeded by" } else { "" };
        let path = dataset
            .category(id)
            .map_or_else(|| id.clone(), |s| s.path());
        let _ = writeln!(out, "  {label:<12} {path}");
    }
}

fn decided_by(dataset: &Dataset, c: &Category) -> String {
    let Some(by) = &c.decided_by else {
        return "no source states a requirement".into();
    };
    let Some(d) = c.decider() else {
        return by.clone();
    };
    let mut text = format!("{} (as of {}", dataset.location(&d.source, d.line), d.as_of);
    if let Some(authority) = &c.authority {
        let _ = write!(text, ", {authority}");
    }
    text.push(')');
    text
}

/// `one-of (1 of 2, alternative 2)`; a group other than the whole
/// requirement is named by its position (`1 of 2 in group 1.2`), so that the
/// rows of two groups (`(A 或 B) 和 (C 或 D)`) are told apart.
fn role_text(link: &Link) -> String {
    let mut text = link.role.as_str().to_string();
    if !link.group.is_empty() {
        let _ = write!(text, " ({}", link.group);
        if !link.group_id.is_empty() && link.group_id != "1" {
            let _ = write!(text, " in group {}", link.group_id);
        }
        if let Some(alternative) = link.alternative {
            let _ = write!(text, ", alternative {alternative}");
        }
        text.push(')');
    }
    if !link.condition.is_empty() {
        let _ = write!(text, ", if {}", link.condition);
    }
    text
}

/// `text` broken into lines of at most [`WIDTH`] display columns, the
/// first after `first`, the others after `rest`; its own line breaks kept.
/// Lines break between words and between wide (CJK) characters.
fn wrap(text: &str, first: &str, rest: &str) -> String {
    wrap_within(text, first, rest, usize::from(WIDTH))
}

/// The display width left to the last column of a table `width` wide
/// ([`table_within`]) whose other columns hold `rows` under `header`:
/// each column is padded by a space on both sides, columns are set apart by
/// one (blank) border and the table has a border on both sides.
fn last_column_width<const N: usize>(width: u16, header: &[&str], rows: &[[String; N]]) -> usize {
    let others: usize = (0..N)
        .map(|i| {
            let cells = rows.iter().map(|r| r[i].width());
            cells
                .chain(header.get(i).map(|h| h.width()))
                .max()
                .unwrap_or(0)
                + 2
        })
        .sum();
    usize::from(width).saturating_sub(others + N + 2 + 2)
}

/// `text` for a table column `width` display columns wide, its lines broken
/// as [`wrap`] breaks them, each continuation two columns deeper than its
/// line: a line the table broke itself would lose its indentation, which is
/// the structure of a requirement as written (`  2、同时提供:` / `    ①…`).
fn column_text(text: &str, width: usize) -> String {
    if width < 20 {
        return text.to_string(); // too narrow to be worth it: the table breaks it
    }
    let mut out = String::new();
    for line in text.lines() {
        let body = line.trim_start_matches(' ');
        let indent = &line[..line.len() - body.len()];
        out.push_str(&wrap_within(body, indent, &format!("{indent}  "), width));
    }
    out.truncate(out.trim_end().len());
    out
}

fn wrap_within(text: &str, first: &str, rest: &str, max_width: usize) -> String {
    let mut out = String::new();
    let mut prefix = first;
    for paragraph in text.lines() {
        let mut line = String::from(prefix);
        let mut width = prefix.width();
        for token in tokens(paragraph) {
            let w = token.width();
            if width + w > max_width && line.len() > prefix.len() {
                out.push_str(line.trim_end());
                out.push('\n');
                line = String::from(rest);
                width = rest.width();
                if token.trim().is_empty() {
                    continue;
                }
            }
            line.push_str(token);
            width += w;
        }
        out.push_str(&line);
        out.push('\n');
        prefix = rest;
    }
    out
}

/// Words, single spaces and single wide characters, in order.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, c) in text.char_indices() {
        let alone = c.is_whitespace() || c.width().unwrap_or(0) > 1;
        if alone {
            if start < at {
                out.push(&text[start..at]);
            }
            out.push(&text[at..at + c.len_utf8()]);
            start = at + c.len_utf8();
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| format!("{prefix}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The requirement as an indented tree: `one of`, `all of`, `if …`.
pub fn requirement_lines(c: &Category, prefix: &str) -> String {
    match &c.requirement_tree {
        Some(tree) => {
            let mut out = String::new();
            tree_lines(tree, prefix, &mut out);
            out
        }
        None if c.requirement.is_empty() => format!("{prefix}none stated\n"),
        None => format!("{prefix}{}\n", c.requirement),
    }
}

fn tree_lines(tree: &Tree, prefix: &str, out: &mut String) {
    let deeper = format!("{prefix}  ");
    match tree {
        Tree::AllOf { of } => {
            let _ = writeln!(out, "{prefix}all of:");
            of.iter().for_each(|t| tree_lines(t, &deeper, out));
        }
        Tree::AnyOf { choose, of } => {
            let _ = writeln!(
                out,
                "{prefix}one of ({} of {}):",
                Tree::pick(choose),
                of.len()
            );
            of.iter().for_each(|t| tree_lines(t, &deeper, out));
        }
        Tree::When { condition, then } => {
            out.push_str(&wrap(&format!("if {condition}:"), prefix, &deeper));
            tree_lines(then, &deeper, out);
        }
        Tree::Titled { title, then } => {
            out.push_str(&wrap(&format!("{title}:"), prefix, &deeper));
            tree_lines(then, &deeper, out);
        }
        Tree::Licence { .. } => {
            let written = tree.licence_as_written().unwrap_or_default();
            out.push_str(&wrap(&written, &format!("{prefix}- "), &deeper));
        }
        Tree::Document { text } => {
            out.push_str(&wrap(text, &format!("{prefix}- "), &deeper));
        }
        Tree::Unparsed { text } => {
            out.push_str(&wrap(
                &format!("(not understood) {text}"),
                &format!("{prefix}- "),
                &deeper,
            ));
        }
        Tree::None => {
            let _ = writeln!(out, "{prefix}no document required");
        }
        Tree::Unstated => {
            let _ = writeln!(out, "{prefix}none stated");
        }
        Tree::Other => {
            let _ = writeln!(out, "{prefix}- (a form this version cannot show)");
        }
    }
}

// ---------------------------------------------------------------- needs

/// The licences a query names, each with the links to it: the licence
/// equal to the query after aliasing (or whose registry aliases list it),
/// else every licence whose name contains it.
pub fn needs_matches<'a>(
    dataset: &'a Dataset,
    names: &Names,
    query: &str,
) -> Vec<(String, Vec<&'a Link>)> {
    let wanted = names.licence(query);
    let registry_aliases = registry_aliases(dataset);
    let canonical = |l: &str| {
        let folded = names.licence(l);
        registry_aliases.get(&folded).cloned().unwrap_or(folded)
    };
    let wanted = registry_aliases.get(&wanted).cloned().unwrap_or(wanted);
    let mut grouped: BTreeMap<String, Vec<&Link>> = BTreeMap::new();
    for link in &dataset.links {
        if canonical(&link.licence) == wanted {
            grouped.entry(link.licence.clone()).or_default().push(link);
        }
    }
    // A licence the registry lists that no category links to: the answer
    // is "none", with the registry's reason, not "no such licence".
    if grouped.is_empty() {
        if let Some(name) = dataset
            .licences
            .column("licence")
            .and_then(|mut names| names.find(|n| canonical(n) == wanted))
        {
            grouped.insert(name.to_string(), Vec::new());
        }
    }
    if grouped.is_empty() {
        for link in &dataset.links {
            if canonical(&link.licence).contains(&wanted) {
                grouped.entry(link.licence.clone()).or_default().push(link);
            }
        }
    }
    grouped.into_iter().collect()
}

/// Folded alias → folded licence, from the `aliases` column of `licences.csv`.
fn registry_aliases(dataset: &Dataset) -> BTreeMap<String, String> {
    licence_spellings(dataset)
        .into_iter()
        .flat_map(|(name, aliases)| aliases.into_iter().map(move |a| (fold(a), fold(name))))
        .collect()
}

/// Each licence of `licences.csv` with the other spellings its `aliases`
/// column lists.
fn licence_spellings(dataset: &Dataset) -> Vec<(&str, Vec<&str>)> {
    let (Some(names), Some(aliases)) = (
        dataset.licences.column("licence"),
        dataset.licences.column("aliases"),
    ) else {
        return Vec::new();
    };
    names
        .zip(aliases)
        .map(|(name, aliases)| (name, aliases.split(';').filter(|a| !a.is_empty()).collect()))
        .collect()
}

#[derive(Serialize)]
struct NeedsJson<'a> {
    licence: &'a str,
    categories: Vec<NeedsRow<'a>>,
    /// Why no current category requires it (`licences.csv`), when none does.
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
    /// The filing guide's lines that name it (`filing-services.csv`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    filing_guide: Vec<FilingMention>,
}

/// A line of a filing-guide entry that names a licence: the guide lists no
/// categories, but says when a filing needs the licence
/// (`从事宗教内容,需提供《互联网宗教信息服务许可证》`).
#[derive(Serialize)]
struct FilingMention {
    /// Where the entry starts (`raw/filing-guide.txt:677`).
    location: String,
    /// The entry's names (`其他 › 宗教信息`).
    entry: String,
    /// The line of the entry's text that names the licence, as written.
    text: String,
}

/// The lines of the filing guide's entries that name `licence` (its name
/// or a registry alias, in 《》 or not), in the guide's order.
fn filing_mentions(dataset: &Dataset, licence: &str) -> Vec<FilingMention> {
    let mut names = vec![licence.to_string()];
    names.extend(licence_aliases(dataset, licence));
    let mut out = Vec::new();
    for row in dataset.filing.records() {
        let field = |name: &str| row.get(name).copied().unwrap_or("");
        let lines = ["description", "personal", "unit", "remark"]
            .into_iter()
            .flat_map(|name| field(name).lines());
        for text in lines.filter(|t| names.iter().any(|n| t.contains(n.as_str()))) {
            out.push(FilingMention {
                location: dataset.location(field("source"), field("line").parse().unwrap_or(0)),
                entry: [field("level1"), field("level2")]
                    .into_iter()
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join(" › "),
                text: text.trim().to_string(),
            });
        }
    }
    out
}

/// The other spellings of `licence` the registry lists (`licences.csv`).
fn licence_aliases(dataset: &Dataset, licence: &str) -> Vec<String> {
    licence_spellings(dataset)
        .into_iter()
        .find(|(name, _)| *name == licence)
        .map(|(_, aliases)| aliases.into_iter().map(String::from).collect())
        .unwrap_or_default()
}

#[derive(Serialize)]
struct NeedsRow<'a> {
    subject: &'a str,
    level1: &'a str,
    level2: &'a str,
    level3: &'a str,
    /// `retired` for a category no current source lists.
    status: &'a str,
    #[serde(flatten)]
    link: &'a Link,
}

/// The categories of `links`, current ones first (in link order), then the
/// retired ones: a retired category still names the licence, but nobody
/// can apply for it today.
fn needs_rows<'a>(dataset: &'a Dataset, links: &[&'a Link]) -> Vec<NeedsRow<'a>> {
    let mut rows: Vec<NeedsRow> = links
        .iter()
        .filter_map(|l| {
            let c = dataset.category(&l.category_id)?;
            Some(NeedsRow {
                subject: &c.subject,
                level1: &c.level1,
                level2: &c.level2,
                level3: &c.level3,
                status: c.status.as_deref().unwrap_or(""),
                link: l,
            })
        })
        .collect();
    rows.sort_by_key(|r| r.status == RETIRED);
    rows
}

const RETIRED: &str = "retired";

/// The `note` of `licence` in `licences.csv`: why no current category requires it.
fn licence_note<'a>(dataset: &'a Dataset, licence: &str) -> &'a str {
    let (Some(names), Some(notes)) = (
        dataset.licences.column("licence"),
        dataset.licences.column("note"),
    ) else {
        return "";
    };
    names
        .zip(notes)
        .find(|(name, _)| *name == licence)
        .map_or("", |(_, note)| note)
}

fn needs_json<'a>(
    dataset: &'a Dataset,
    found: &'a [(String, Vec<&'a Link>)],
) -> Vec<NeedsJson<'a>> {
    found
        .iter()
        .map(|(licence, links)| NeedsJson {
            licence,
            categories: needs_rows(dataset, links),
            note: licence_note(dataset, licence),
            filing_guide: filing_mentions(dataset, licence),
        })
        .collect()
}

fn needs_text(dataset: &Dataset, found: &[(String, Vec<&Link>)]) -> String {
    let mut out = String::new();
    for (licence, links) in found {
        let rows = needs_rows(dataset, links);
        // A category may need the licence in two ways (two rows): count it once.
        let categories = |retired: bool| {
            let ids: BTreeSet<&str> = rows
                .iter()
                .filter(|r| (r.status == RETIRED) == retired)
                .map(|r| r.link.category_id.as_str())
                .collect();
            ids.len()
        };
        let (current, retired) = (categories(false), categories(true));
        let _ = match (current, retired) {
            (current, 0) => writeln!(out, "《{licence}》: {current} categories"),
            (current, retired) => writeln!(
                out,
                "《{licence}》: {current} current categories and {retired} retired"
            ),
        };
        if current == 0 {
            let note = licence_note(dataset, licence);
            let _ = writeln!(out, "  no current category requires it: {note}");
        }
        if !rows.is_empty() {
            let _ = writeln!(out, "{}", needs_table(&rows));
        }
        let mentions = filing_mentions(dataset, licence);
        if !mentions.is_empty() {
            let _ = writeln!(
                out,
                "  named in the filing guide, which says what a filing needs:"
            );
            for m in &mentions {
                let text = format!("{} {}: {}", m.location, m.entry, m.text);
                out.push_str(&wrap(&text, "    ", "      "));
            }
        }
    }
    out
}

/// The categories that need a licence, with how.
fn needs_table(rows: &[NeedsRow]) -> Table {
    let mut t = table(&["category", "subject", "role", "as written"]);
    for r in rows {
        let path: Vec<&str> = [r.level1, r.level2, r.level3]
            .into_iter()
            .filter(|l| !l.is_empty())
            .collect();
        let mut category = path.join(" › ");
        if r.status == RETIRED {
            category.push_str(" (retired)");
        }
        // Only what the name alone does not say: whose, issued by whom, covering what.
        let plain = format!("《{}》", r.link.licence);
        let written = match r.link.as_written.as_str() {
            w if w == plain => "",
            w => w,
        };
        t.add_row(vec![
            category,
            r.subject.to_string(),
            role_text(r.link),
            written.to_string(),
        ]);
    }
    t
}

// ---------------------------------------------------------------- search

/// One search hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub subject: String,
    pub path: String,
    /// 0: a level is the text; 1: a level contains it; 2: a whole word
    /// elsewhere; 3: part of a word elsewhere.
    pub rank: u8,
    /// Fields the text was found in: name, licences, requirement, notes, scope.
    pub fields: Vec<&'static str>,
    /// The first place it was found, with some context.
    pub excerpt: String,
}

/// Categories mentioning `text`, best first (rank, then dataset order).
pub fn search_matches(dataset: &Dataset, text: &str) -> Vec<Hit> {
    let needle = fold(text);
    if needle.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<Hit> = dataset
        .categories
        .iter()
        .filter_map(|c| hit(c, text.trim(), &needle))
        .collect();
    hits.sort_by_key(|h| h.rank);
    hits
}

fn hit(c: &Category, typed: &str, needle: &str) -> Option<Hit> {
    let levels: Vec<String> = c.levels().into_iter().map(fold).collect();
    let licences = c.licences.join("；");
    let fields: [(&'static str, &str); 4] = [
        ("licences", &licences),
        ("requirement", &c.requirement),
        ("notes", &c.notes),
        ("scope", &c.scope),
    ];
    let mut found: Vec<&'static str> = Vec::new();
    let mut rank = 4;
    let mut excerpt = String::new();
    if levels.iter().any(|l| l.contains(needle)) {
        found.push("name");
        rank = if levels.iter().any(|l| l == needle) {
            0
        } else {
            1
        };
        excerpt = c.path();
    }
    for (name, value) in fields {
        let folded = fold(value);
        if let Some(at) = folded.find(needle) {
            found.push(name);
            let whole = whole_word(&folded, needle);
            rank = rank.min(if whole { 2 } else { 3 });
            if excerpt.is_empty() {
                // The text as written where the query appears in it as typed.
                excerpt = match value.find(typed) {
                    Some(at) => around(value, at, typed.len()),
                    None => around(&folded, at, needle.len()),
                };
            }
        }
    }
    (!found.is_empty()).then(|| Hit {
        id: c.id(),
        subject: c.subject.clone(),
        path: c.path(),
        rank,
        fields: found,
        excerpt,
    })
}

/// True when some occurrence is bounded by non-word characters (for
/// Chinese: punctuation, brackets or the ends of the text).
fn whole_word(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Ten characters either side of the match.
fn around(text: &str, at: usize, len: usize) -> String {
    let before: Vec<char> = text[..at].chars().collect();
    let after: Vec<char> = text[at + len..].chars().collect();
    let head: String = before[before.len().saturating_sub(10)..].iter().collect();
    let tail: String = after[..after.len().min(10)].iter().collect();
    format!(
        "{}{head}{}{tail}{}",
        if before.len() > 10 { "…" } else { "" },
        &text[at..at + len],
        if after.len() > 10 { "…" } else { "" }
    )
}

fn search_text(found: &[Hit]) -> String {
    let mut t = table(&["category", "subject", "found in", "excerpt"]);
    for h in found {
        t.add_row(vec![
            h.path.clone(),
            h.subject.clone(),
            h.fields.join(", "),
            h.excerpt.clone(),
        ]);
    }
    format!(
        "{} categories mention it, best matches first:\n{t}\n",
        found.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_unifies_width_space_case_and_separators() {
        assert_eq!(fold("药品（非处方药） 销售"), "药品(非处方药)销售");
        assert_eq!(fold("社交 › 直播"), "社交/直播");
        assert_eq!(fold("ＩＴ科技"), "it科技");
    }

    #[test]
    fn suggestions_prefer_the_closest_names() {
        let names: Vec<String> = ["直播", "直播答题", "点播", "社交"]
            .map(String::from)
            .to_vec();
        assert_eq!(suggestions("直博", &names), vec!["直播", "直播答题"]);
        assert!(suggestions("xyz", &names).is_empty());
    }

    #[test]
    fn whole_words_are_bounded_by_punctuation() {
        assert!(whole_word("《直播》或《点播》", "直播"));
        assert!(!whole_word("直播答题", "直播"));
    }

    #[test]
    fn level_aliases_apply_to_the_first_level_of_a_query() {
        let names = Names::parse("[level1]\n\"医疗\" = \"医疗服务\"\n").unwrap();
        assert_eq!(names.level("医疗"), "医疗服务");
        assert_eq!(names.level("社交"), "社交");
    }
}
