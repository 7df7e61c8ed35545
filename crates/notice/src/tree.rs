//! The nested requirement block of a notice entry, as a tree.
//!
//! Lines are read in order with a stack of open nodes:
//!
//! * numbered items nest by their numbering: `一、` › `1、` › `①`; an item
//!   becomes a child of the nearest open node of a shallower kind;
//! * a line ending in `:` opens a group for the lines that follow: `(N选1)`,
//!   `(二选一)`, `(②选①)` make it any-of with the stated [`Choice`]
//!   (`pick` 1 `of` N), `同时提供` (and plain
//!   `提供:`) make it all-of; a block whose first line is only such a marker
//!   sets the group of the whole block;
//! * an unnumbered line is a child of the nearest node that opened a group
//!   (the root, if none);
//! * `group` is only what the text states: a node with children but no
//!   marker (the root of `一、使用自研技术… 二、使用第三方技术…`) has none,
//!   because the notice does not say how its items combine;
//! * `注:` lines are notes of the nearest node that has children: a note after
//!   a list qualifies the list, not its last item;
//! * an inline `或` between two documents (each side ends like one, see
//!   [`leimu_model::ends_like_document`]) gives `alternatives`; a `或` inside
//!   brackets or between other words (`设立或授权`) does not split.

use std::sync::LazyLock;

use leimu_model::{collapse_whitespace, ends_like_document, Choice, Group, RequirementNode};
use regex::Regex;

/// Nesting rank of a line: 0 is the root; unnumbered lines sit one below
/// their parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank(u8);

const ROOT: Rank = Rank(0);

/// A line's label, as a regular expression; [`label_at`] matches it by hand
/// (building the regex cost more than a whole ingest's use of it) and the
/// unit tests compare the two.
#[cfg(test)]
const LABEL: &str = r"^(?:([一二三四五六七八九十]+)、|(\d+)、|([①-⑳]))\s*";
/// A trailing choice marker, as a regular expression; [`choose_at`] matches
/// it by hand, compared with it by the unit tests.
#[cfg(test)]
const CHOOSE: &str =
    r"[(（]\s*([0-9一二三四五六七八九十①-⑳]+)\s*选\s*([0-9一二三四五六七八九十①-⑳]+)\s*[)）]\s*$";

/// Decides a label of digits beyond ASCII (`\d` is every Unicode decimal
/// digit), built only for a line that needs it. `None` (an invalid pattern)
/// cannot reach a release: `tests::patterns_compile` forces it.
static DIGITS_LABEL_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^\d+、").ok());

fn is_chinese_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

fn is_circled_number(c: char) -> bool {
    ('①'..='⑳').contains(&c)
}

/// The rank of the label that starts `line` ([`LABEL`]) and where the text
/// after it (and its spaces) begins.
fn label_at(line: &str) -> Option<(Rank, usize)> {
    let first = line.chars().next()?;
    let (rank, end) = if is_chinese_numeral(first) {
        let run = line.find(|c| !is_chinese_numeral(c)).unwrap_or(line.len());
        (
            Rank(2),
            run + line[run..].strip_prefix('、').map(|_| '、'.len_utf8())?,
        )
    } else if is_circled_number(first) {
        (Rank(6), first.len_utf8())
    } else {
        let run = line
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(line.len());
        let next = line[run..].chars().next();
        if next.is_some_and(|c| !c.is_ascii() && c.is_numeric()) {
            // Perhaps a decimal digit beyond ASCII (every one is numeric).
            let m = DIGITS_LABEL_RE.as_ref()?.find(line)?;
            (Rank(4), m.end())
        } else if run > 0 && next == Some('、') {
            (Rank(4), run + '、'.len_utf8())
        } else {
            return None;
        }
    };
    let spaces = line[end..].len() - line[end..].trim_start().len();
    Some((rank, end + spaces))
}

fn is_count(c: char) -> bool {
    c.is_ascii_digit() || is_chinese_numeral(c) || is_circled_number(c)
}

/// `text` without its trailing run of count characters, and that run (not empty).
fn split_count_end(text: &str) -> Option<(&str, &str)> {
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_count(*c))
        .last()
        .map(|(at, _)| at)?;
    Some((&text[..start], &text[start..]))
}

/// `(start, of, pick)` of the choice marker `（2选1）` that ends `text`
/// ([`CHOOSE`]), read from the end: every part of it is a different kind
/// of character, so it can be read only one way.
fn choose_at(text: &str) -> Option<(usize, &str, &str)> {
    let rest = text.trim_end().strip_suffix([')', '）'])?.trim_end();
    let (rest, pick) = split_count_end(rest)?;
    let rest = rest.trim_end().strip_suffix('选')?.trim_end();
    let (rest, of) = split_count_end(rest)?;
    let rest = rest.trim_end().strip_suffix(['(', '（'])?;
    Some((rest.len(), of, pick))
}

/// How deep a block's tree may nest (the root is level 0). The notice's
/// blocks nest 3 levels; a block of thousands of lines each opening a group
/// (`甲同时提供:`) would otherwise nest thousands deep, and reading,
/// rendering or dropping such a tree recurses once per level.
pub const MAX_TREE_DEPTH: usize = 32;

/// The tree of a requirement block.
#[derive(Debug)]
pub struct Block {
    pub tree: RequirementNode,
    /// The first non-empty line (0-based) that would have nested deeper
    /// than [`MAX_TREE_DEPTH`]: it and the lines under it are read at that
    /// level, as siblings.
    pub flattened_from: Option<usize>,
}

/// Builds the tree of a requirement block; `None` for an empty block.
pub fn requirement_tree(lines: &[&str]) -> Option<Block> {
    let lines: Vec<String> = lines
        .iter()
        .map(|l| collapse_whitespace(l))
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return None;
    }
    let mut stack: Vec<(Rank, Open)> = vec![(ROOT, Open::default())];
    let mut rest = lines.as_slice();
    // A first line that is only a group marker is the group of the whole block.
    if let Some(group) = bare_marker(&lines[0]) {
        stack[0].1.node = RequirementNode::new("", "", &lines[0]);
        stack[0].1.node.group = Some(group);
        rest = &lines[1..];
    }
    let mut flattened_from = None;
    let skipped = lines.len() - rest.len();
    for (index, line) in rest.iter().enumerate() {
        if let Some(note) = line
            .strip_prefix("注:")
            .or_else(|| line.strip_prefix("注："))
        {
            // Close leaf items: the note qualifies the nearest node with children.
            while stack.len() > 1
                && stack
                    .last()
                    .is_some_and(|(_, n)| n.children.is_empty() && n.node.group.is_none())
            {
                close(&mut stack);
            }
            if let Some((_, node)) = stack.last_mut() {
                node.notes.push(note.trim().into());
            }
            continue;
        }
        let (label, rank, body) = match label_at(line) {
            Some((rank, whole)) => (line[..whole].trim(), Some(rank), &line[whole..]),
            None => ("", None, line.as_str()),
        };
        let (text, group) = split_marker(body);
        // Alternatives are read where no group is stated.
        let alternatives = match group {
            None => alternatives(text),
            Some(_) => Box::default(),
        };
        let mut node = RequirementNode::new(label, text, line);
        node.group = group;
        node.set_alternatives(alternatives);
        let rank = match rank {
            Some(rank) => {
                while stack.len() > 1 && stack.last().is_some_and(|(r, _)| *r >= rank) {
                    close(&mut stack);
                }
                rank
            }
            None => {
                // Unnumbered: under the nearest node that opened a group.
                while stack.len() > 1 && stack.last().is_some_and(|(_, n)| n.node.group.is_none()) {
                    close(&mut stack);
                }
                let parent = stack.last().map_or(ROOT, |(r, _)| *r);
                Rank(parent.0.saturating_add(1))
            }
        };
        if stack.len() > MAX_TREE_DEPTH {
            flattened_from.get_or_insert(skipped + index);
            while stack.len() > MAX_TREE_DEPTH {
                close(&mut stack);
            }
        }
        stack.push((
            rank,
            Open {
                node,
                ..Open::default()
            },
        ));
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack.pop().map(|(_, root)| Block {
        tree: finished(root),
        flattened_from,
    })
}

/// A node whose children and notes are still being read.
#[derive(Default)]
struct Open {
    node: RequirementNode,
    children: Vec<RequirementNode>,
    notes: Vec<Box<str>>,
}

/// Pops the top node into its parent.
fn close(stack: &mut Vec<(Rank, Open)>) {
    if let Some((_, open)) = stack.pop() {
        if let Some((_, parent)) = stack.last_mut() {
            parent.children.push(finished(open));
        }
    }
}

/// A node whose children are all read, its lists sized exactly (a tree
/// is kept with its record; most nodes have two or three children).
fn finished(open: Open) -> RequirementNode {
    let mut node = open.node;
    node.children = open.children.into();
    node.set_notes(open.notes);
    node
}

/// A line that is nothing but a group marker: `(2选1):`, `同时提供:`.
fn bare_marker(line: &str) -> Option<Group> {
    let (text, group) = split_marker(line);
    if text.is_empty() {
        group
    } else {
        None
    }
}

/// Splits a trailing group marker (`…(②选①):`, `…,同时提供:`, `…提供:`) off a line.
fn split_marker(body: &str) -> (&str, Option<Group>) {
    let trimmed = body.trim();
    let Some(open) = trimmed
        .strip_suffix(':')
        .or_else(|| trimmed.strip_suffix('：'))
    else {
        return (trimmed, None);
    };
    let open = open.trim_end();
    if let Some((start, of, pick)) = choose_at(open) {
        let choose = number(of)
            .zip(number(pick))
            .map(|(of, pick)| Choice { pick, of });
        return (tidy(&open[..start]), Some(Group::AnyOf { choose }));
    }
    let without_parens = open.trim_end_matches([')', '）']);
    let parenthesised = without_parens.len() != open.len();
    if let Some(before) = without_parens.strip_suffix("同时提供") {
        let before = before.trim_end();
        let before = if parenthesised {
            before.trim_end_matches(['(', '（'])
        } else {
            before
        };
        return (
            tidy(before.strip_suffix('需').unwrap_or(before)),
            Some(Group::AllOf),
        );
    }
    (tidy(open), Some(Group::AllOf))
}

/// Drops the comma that joined text and marker.
fn tidy(text: &str) -> &str {
    text.trim().trim_end_matches([',', '，']).trim()
}

/// A count written as digits, Chinese numerals or circled numbers.
fn number(text: &str) -> Option<u32> {
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    let mut chars = text.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return match text {
            "十一" => Some(11),
            "十二" => Some(12),
            _ => None,
        };
    }
    match c {
        '①'..='⑳' => Some(c as u32 - '①' as u32 + 1),
        _ => "一二三四五六七八九十"
            .chars()
            .position(|d| d == c)
            .map(|i| i as u32 + 1),
    }
}

/// Inline `或` alternatives between documents; empty when there are none.
fn alternatives(text: &str) -> Box<[Box<str>]> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '《' | '(' | '（' | '“' | '【' | '「' => depth += 1,
            '》' | ')' | '）' | '”' | '】' | '」' => depth -= 1,
            _ => {}
        }
        if c == '或' && depth == 0 {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    // Join pieces until each names a document: `设立或授权的…文件` is one.
    let mut alternatives: Vec<String> = Vec::new();
    let mut pending = String::new();
    for (i, piece) in parts.iter().enumerate() {
        if i > 0 && !pending.is_empty() {
            pending.push('或');
        }
        pending.push_str(piece);
        if ends_like_document(&pending) {
            alternatives.push(pending.trim().to_string());
            pending.clear();
        }
    }
    if !pending.trim().is_empty() {
        match alternatives.last_mut() {
            Some(last) => {
                last.push('或');
                last.push_str(&pending);
            }
            None => return Box::default(),
        }
    }
    if alternatives.len() > 1 {
        alternatives
            .into_iter()
            .map(String::into_boxed_str)
            .collect()
    } else {
        Box::default()
    }
}

#[cfg(test)]
mod tests;
