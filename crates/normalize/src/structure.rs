//! Stage 4: the shape of the category tree across sources.
//!
//! * [`overlaps`]: a path that is an end category in one source and the
//!   parent of deeper categories in another (医疗服务 › 就医服务 in the
//!   notice, 医疗服务 › 就医服务 › 挂号 in the 2018 list).
//! * [`assign_successors`]: a retired category whose path a current
//!   category of the same series divides into deeper categories (文娱 › 小说
//!   in 2017, 文娱 › 小说 › 电子书 and › 网络小说 in 2018) is succeeded by
//!   them. The path says so; no curator is needed.
//! * [`rename_suggestions`]: any other retired category beside a similar
//!   current name (自营贷款 and 非金融机构自营小额贷款) may live on under it.
//!   Only a curator can tell: suggestions are listed, never applied (confirm
//!   one by adding it to `[path]` in `raw/aliases.toml`).

use std::collections::{BTreeMap, BTreeSet};

use foldhash::HashMap;

use leimu_model::{CategoryPath, Subject};
use serde::Serialize;

use crate::{Category, HistoryChange, HistoryEntry, SourceInput, Status};

/// A category as a finding names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub category_id: String,
    pub path: CategoryPath,
    pub status: Status,
    pub sources: Vec<String>,
    /// `file:line` of its deciding statement.
    pub at: String,
}

impl Member {
    fn of(c: &Category, files: &dyn Fn(&str) -> String) -> Member {
        Member {
            category_id: c.id.clone(),
            path: c.path.clone(),
            status: c.status,
            sources: c.sources.clone(),
            at: format!("{}:{}", files(&c.decided_by), c.decided_line),
        }
    }
}

/// An end category in some sources that other sources divide further.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overlap {
    /// Always `overlap`: the kind of structural conflict, as conflicts.json names it.
    pub kind: &'static str,
    pub subject: Subject,
    pub end: Member,
    pub children: Vec<Member>,
}

/// A retired category that may live on under another name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenameSuggestion {
    pub subject: Subject,
    pub kind: RenameKind,
    pub retired: Member,
    pub candidate: Member,
    /// Similarity of the two names, percent (see [`similarity`]).
    pub similarity: u8,
}

/// True when the levels `child` begin with all of `parent`'s, and go deeper.
fn is_under(child: &[&str], parent: &[&str]) -> bool {
    child.len() > parent.len() && child[..parent.len()] == parent[..]
}

/// Overlaps between current categories.
pub fn overlaps(categories: &[Category], files: &dyn Fn(&str) -> String) -> Vec<Overlap> {
    let current: Vec<&Category> = categories
        .iter()
        .filter(|c| c.status.is_current())
        .collect();
    // Every current category under each of its ancestors' paths, in one pass.
    let mut under: BTreeMap<(Subject, Vec<&str>), Vec<&Category>> = BTreeMap::new();
    for c in &current {
        let levels = c.key.levels();
        for depth in 1..levels.len() {
            under
                .entry((c.key.subject, levels[..depth].to_vec()))
                .or_default()
                .push(c);
        }
    }
    let mut out = Vec::new();
    for end in &current {
        let Some(children) = under.get(&(end.key.subject, end.key.levels())) else {
            continue;
        };
        let end_sources: BTreeSet<&str> = end.sources.iter().map(String::as_str).collect();
        let child_sources: BTreeSet<&str> = children
            .iter()
            .flat_map(|c| c.sources.iter().map(String::as_str))
            .collect();
        // One source giving a parent row its own requirement and children is a
        // group, not an overlap: an overlap needs a source on each side alone.
        if end_sources.is_subset(&child_sources) || child_sources.is_subset(&end_sources) {
            continue;
        }
        out.push(Overlap {
            kind: "overlap",
            subject: end.key.subject,
            end: Member::of(end, files),
            children: children.iter().map(|c| Member::of(c, files)).collect(),
        });
    }
    out
}

/// Minimum similarity of two names for a rename suggestion, percent.
const SIMILAR: u8 = 75;

/// How a retired category may live on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RenameKind {
    /// A current category with a similar name.
    Renamed,
}

/// Suggestions per retired category, at most.
const SUGGESTIONS: usize = 3;

/// A current category as a rename candidate, what is compared computed once.
struct Candidate<'c> {
    category: &'c Category,
    /// The series of the sources that list it.
    series: BTreeSet<&'c str>,
    levels: Vec<&'c str>,
    /// The characters of its deepest name.
    name: Vec<char>,
}

/// The series of each source id (`None` for a source in no series).
fn series_by_source<'s>(sources: &[SourceInput<'s>]) -> HashMap<&'s str, Option<&'s str>> {
    let mut series_of: HashMap<&str, Option<&str>> = HashMap::default();
    for s in sources {
        series_of.entry(s.id).or_insert(s.series);
    }
    series_of
}

/// The current categories, as candidates to succeed a retired one.
fn candidates<'c>(
    categories: &'c [Category],
    series_of: &HashMap<&str, Option<&'c str>>,
) -> Vec<Candidate<'c>> {
    categories
        .iter()
        .filter(|c| c.status.is_current())
        .map(|c| Candidate {
            category: c,
            series: c
                .sources
                .iter()
                .filter_map(|s| series_of.get(s.as_str()).copied().flatten())
                .collect(),
            levels: c.key.levels(),
            name: c.key.last_level().chars().collect(),
        })
        .collect()
}

/// Whether `candidate` could succeed `retired`: the same subject, listed by
/// a revision of the series that decided the retired category.
fn same_lineage(candidate: &Candidate, retired: &Category, series: &str) -> bool {
    candidate.category.key.subject == retired.key.subject && candidate.series.contains(series)
}

/// Fills [`Category::succeeded_by`] of every retired category whose path
/// current categories of its series divide into deeper ones.
pub fn assign_successors(sources: &[SourceInput], categories: &mut [Category]) {
    let series_of = series_by_source(sources);
    let found: Vec<(usize, Vec<String>)> = {
        let current = candidates(categories, &series_of);
        categories
            .iter()
            .enumerate()
            .filter(|(_, c)| c.status == Status::Retired)
            .filter_map(|(at, retired)| {
                let series = series_of
                    .get(retired.decided_by.as_str())
                    .copied()
                    .flatten()?;
                let levels = retired.key.levels();
                let ids: Vec<String> = current
                    .iter()
                    .filter(|c| same_lineage(c, retired, series) && is_under(&c.levels, &levels))
                    .map(|c| c.category.id.clone())
                    .collect();
                (!ids.is_empty()).then_some((at, ids))
            })
            .collect()
    };
    for (at, ids) in found {
        categories[at].succeeded_by = ids;
    }
}

/// Relabels as `divided` each `removed` entry of `history` whose source
/// lists deeper categories of the same subject under the removed path: the
/// revision did not drop the category, it divided it (就医服务 → 就医服务 ›
/// 挂号, 缴费, 查报告单). The entry's line becomes the first of theirs.
pub fn mark_divisions(history: &mut [HistoryEntry], categories: &[Category]) {
    for entry in history
        .iter_mut()
        .filter(|e| e.change == HistoryChange::Removed)
    {
        let levels = entry.key.levels();
        let first_line = categories
            .iter()
            .filter(|c| c.key.subject == entry.key.subject && is_under(&c.key.levels(), &levels))
            .flat_map(|c| &c.contributors)
            .filter(|s| s.source == entry.source.as_str())
            .map(|s| s.line)
            .min();
        if let Some(line) = first_line {
            entry.change = HistoryChange::Divided;
            entry.line = line;
        }
    }
}

/// Retired categories without successors next to similar current names of
/// the same series, the same level 1 first.
pub fn rename_suggestions(
    sources: &[SourceInput],
    categories: &[Category],
    files: &dyn Fn(&str) -> String,
) -> Vec<RenameSuggestion> {
    let series_of = series_by_source(sources);
    let current = candidates(categories, &series_of);
    let mut out = Vec::new();
    let unaccounted = categories
        .iter()
        .filter(|c| c.status == Status::Retired && c.succeeded_by.is_empty());
    for retired in unaccounted {
        let Some(series) = series_of
            .get(retired.decided_by.as_str())
            .copied()
            .flatten()
        else {
            continue;
        };
        let name: Vec<char> = retired.key.last_level().chars().collect();
        let mut found: Vec<(bool, u8, &Category)> = current
            .iter()
            .filter(|candidate| same_lineage(candidate, retired, series))
            .filter_map(|candidate| {
                let (c, other) = (candidate.category, &candidate.name);
                let same_level1 = c.key.path.level1 == retired.key.path.level1;
                let common = longest_common_subsequence(&name, other);
                let similarity = similarity_of(common, name.len().min(other.len()));
                // Under another level 1, two shared characters (交通, 其他) are chance.
                let enough = same_level1 || common >= 3;
                (similarity >= SIMILAR && enough).then_some((same_level1, similarity, c))
            })
            .collect();
        // The same level 1 first, then the most similar.
        found.sort_by_key(|(same_level1, similarity, _)| (!*same_level1, 100 - *similarity));
        out.extend(
            found
                .into_iter()
                .take(SUGGESTIONS)
                .map(|(_, similarity, c)| RenameSuggestion {
                    subject: retired.key.subject,
                    kind: RenameKind::Renamed,
                    retired: Member::of(retired, files),
                    candidate: Member::of(c, files),
                    similarity,
                }),
        );
    }
    out
}

/// Similarity of two names in percent: the longest common subsequence of
/// characters over the shorter name's length, so a name kept inside a
/// longer one (自营贷款 in 非金融机构自营小额贷款, 时政信息 in 时政新闻信息)
/// scores 100. A single shared character is no similarity.
#[cfg(test)]
fn similarity(a: &str, b: &str) -> u8 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    similarity_of(longest_common_subsequence(&a, &b), a.len().min(b.len()))
}

/// [`similarity`] from the common subsequence's length and the shorter name's.
fn similarity_of(common: usize, shorter: usize) -> u8 {
    if shorter == 0 || common < 2 {
        return 0;
    }
    u8::try_from(common * 100 / shorter).unwrap_or(100)
}

fn longest_common_subsequence(a: &[char], b: &[char]) -> usize {
    let mut previous = vec![0; b.len() + 1];
    let mut current = vec![0; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            current[j + 1] = if x == y {
                previous[j] + 1
            } else {
                current[j].max(previous[j + 1])
            };
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::similarity;

    #[test]
    fn similar_names() {
        assert_eq!(similarity("时政新闻信息", "时政信息"), 100);
        assert_eq!(similarity("自营贷款", "非金融机构自营小额贷款"), 100);
        assert_eq!(similarity("打车", "网约车"), 0, "one shared character");
        assert_eq!(similarity("小说", "动漫"), 0);
        assert_eq!(similarity("食品/饮料/生鲜", "食品"), 100);
    }
}
