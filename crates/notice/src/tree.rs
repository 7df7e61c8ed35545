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

const LABEL: &str = r"^(?:([一二三四五六七八九十]+)、|(\d+)、|([①-⑳]))\s*";
const CHOOSE: &str =
    r"[(（]\s*([0-9一二三四五六七八九十①-⑳]+)\s*选\s*([0-9一二三四五六七八九十①-⑳]+)\s*[)）]\s*$";

// Constant patterns, built once. `None` (an invalid pattern) cannot reach a
// release: `tests::patterns_compile` forces each. Until then a missing
// pattern matches nothing rather than panicking.
static LABEL_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(LABEL).ok());
static CHOOSE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(CHOOSE).ok());

/// Builds the tree of a requirement block; `None` for an empty block.
pub fn requirement_tree(lines: &[&str]) -> Option<RequirementNode> {
    let lines: Vec<String> = lines
        .iter()
        .map(|l| collapse_whitespace(l))
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return None;
    }
    let mut stack: Vec<(Rank, RequirementNode)> = vec![(ROOT, RequirementNode::default())];
    let mut rest = lines.as_slice();
    // A first line that is only a group marker is the group of the whole block.
    if let Some(group) = bare_marker(&lines[0]) {
        stack[0].1.group = Some(group);
        stack[0].1.written = lines[0].clone();
        rest = &lines[1..];
    }
    for line in rest {
        if let Some(note) = line
            .strip_prefix("注:")
            .or_else(|| line.strip_prefix("注："))
        {
            // Close leaf items: the note qualifies the nearest node with children.
            while stack.len() > 1
                && stack
                    .last()
                    .is_some_and(|(_, n)| n.children.is_empty() && n.group.is_none())
            {
                close(&mut stack);
            }
            if let Some((_, node)) = stack.last_mut() {
                node.notes.push(note.trim().to_string());
            }
            continue;
        }
        let (label, rank, body) = match LABEL_RE.as_ref().and_then(|re| re.captures(line)) {
            Some(c) => {
                let rank = if c.get(1).is_some() {
                    Rank(2)
                } else if c.get(2).is_some() {
                    Rank(4)
                } else {
                    Rank(6)
                };
                let whole = c.get(0).map_or(0, |m| m.end());
                (line[..whole].trim().to_string(), Some(rank), &line[whole..])
            }
            None => (String::new(), None, line.as_str()),
        };
        let (text, group) = split_marker(body);
        let mut node = RequirementNode {
            label,
            text: text.clone(),
            group,
            written: line.clone(),
            ..RequirementNode::default()
        };
        let rank = match rank {
            Some(rank) => {
                while stack.len() > 1 && stack.last().is_some_and(|(r, _)| *r >= rank) {
                    close(&mut stack);
                }
                rank
            }
            None => {
                // Unnumbered: under the nearest node that opened a group.
                while stack.len() > 1 && stack.last().is_some_and(|(_, n)| n.group.is_none()) {
                    close(&mut stack);
                }
                let parent = stack.last().map_or(ROOT, |(r, _)| *r);
                Rank(parent.0 + 1)
            }
        };
        if node.group.is_none() {
            node.alternatives = alternatives(&text);
        }
        stack.push((rank, node));
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack.pop().map(|(_, root)| finished(root))
}

/// Pops the top node into its parent.
fn close(stack: &mut Vec<(Rank, RequirementNode)>) {
    if let Some((_, node)) = stack.pop() {
        if let Some((_, parent)) = stack.last_mut() {
            parent.children.push(finished(node));
        }
    }
}

/// A node whose children are all read: its lists no larger than they are
/// (a tree is kept with its record; most nodes have two or three children).
fn finished(mut node: RequirementNode) -> RequirementNode {
    node.children.shrink_to_fit();
    node.notes.shrink_to_fit();
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
fn split_marker(body: &str) -> (String, Option<Group>) {
    let trimmed = body.trim();
    let Some(open) = trimmed
        .strip_suffix(':')
        .or_else(|| trimmed.strip_suffix('：'))
    else {
        return (trimmed.to_string(), None);
    };
    let open = open.trim_end();
    if let Some(c) = CHOOSE_RE.as_ref().and_then(|re| re.captures(open)) {
        let start = c.get(0).map_or(open.len(), |m| m.start());
        let count = |i: usize| c.get(i).and_then(|m| number(m.as_str()));
        let choose = count(1).zip(count(2)).map(|(of, pick)| Choice { pick, of });
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
fn tidy(text: &str) -> String {
    text.trim().trim_end_matches([',', '，']).trim().to_string()
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
fn alternatives(text: &str) -> Vec<String> {
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
            None => return Vec::new(),
        }
    }
    if alternatives.len() > 1 {
        alternatives
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests;
