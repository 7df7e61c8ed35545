//! The logic of a requirement text: which documents, combined how.
//!
//! [`parse`] reads the flat texts of the category tables and cards;
//! [`from_tree`] reads the trees the notice parser builds. Both give a
//! [`Requirement`]. Text the grammar cannot place becomes
//! [`Requirement::Unparsed`], never dropped.
//!
//! The grammar, loosest binding first:
//!
//! 1. **Lines.** Numbered lines (`1.《甲》`, `2、…`) are items; with a
//!    choose-N hint (the card's `资质要求（N选1）`) they are alternatives,
//!    otherwise all are required.
//! 2. **Conditions.** A text that starts with a condition — `X：…`,
//!    `X，提供…`, `X需提交…` — is split into one `When` per condition
//!    (`政府/事业单位，提供… 非政府/事业单位，提供…`, `批发：… 零售：…`). A
//!    new condition may begin only where a document ends. A trailing
//!    `（适用于…）` is a condition too.
//! 3. **Alternatives.** `或` / `或者` / `/` outside brackets.
//! 4. **All of.** `和 与 及 以及 + 、 ；` outside brackets. `和` binds tighter
//!    than `或`: `《营业执照》和《A》或《营业执照》和《B》` is two alternatives.
//! 5. **Atoms.** One 《name》 with the words around it as `qualifier`
//!    (`《营业执照》且经营范围包含…`, `合作医院《医疗机构执业许可证》`);
//!    text without 《》 that names a document is a `Document`;
//!    `X（或A、B）` lists alternatives to X.
//!
//! A connective splits only where the text before it ends like a document
//! (in `》` or a document word: 证 书 文 件 照 函 明 单 …, ignoring a trailing
//! parenthetical or `且…` qualifier), so `两个及以上` or `设立或授权的…文件`
//! stay whole.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use leimu_model::{
    collapse_whitespace, ends_document_char, ends_like_document, Group, RequirementNode,
};
use regex::Regex;
use serde::Serialize;

/// A requirement as logic.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Requirement {
    AllOf {
        of: Vec<Requirement>,
    },
    AnyOf {
        choose: Option<u32>,
        of: Vec<Requirement>,
    },
    When {
        condition: String,
        then: Box<Requirement>,
    },
    Licence {
        name: String,
        qualifier: String,
    },
    Document {
        text: String,
    },
    Unparsed {
        text: String,
    },
}

/// Parses a flat requirement text; `None` when it is empty.
///
/// ```
/// use leimu_requirement::{parse, Requirement};
///
/// let r = parse("《营业执照》和《A》或《营业执照》和《B》和《C》", None).unwrap();
/// let Requirement::AnyOf { of, .. } = &r else { panic!() };
/// assert_eq!(of.len(), 2);
/// assert_eq!(r.render(), "(《营业执照》 和 《A》) 或 (《营业执照》 和 《B》 和 《C》)");
/// ```
pub fn parse(text: &str, choose: Option<u32>) -> Option<Requirement> {
    let lines: Vec<String> = text
        .lines()
        .map(collapse_whitespace)
        .filter(|l| !l.is_empty())
        .collect();
    match lines.as_slice() {
        [] => None,
        [line] if choose.is_none() => Some(parse_line(strip_number(line))),
        _ => {
            let items = lines.iter().map(|l| parse_line(strip_number(l))).collect();
            Some(match choose {
                Some(n) => Requirement::AnyOf {
                    choose: Some(n),
                    of: items,
                },
                None => Requirement::AllOf { of: items },
            })
        }
    }
}

/// Converts a notice requirement tree.
pub fn from_tree(node: &RequirementNode) -> Option<Requirement> {
    if node.children.is_empty() {
        if !node.alternatives.is_empty() {
            return Some(Requirement::AnyOf {
                choose: None,
                of: node.alternatives.iter().map(|a| parse_all_of(a)).collect(),
            });
        }
        let text = collapse_whitespace(&node.text);
        return (!text.is_empty()).then(|| parse_line(&text));
    }
    let of: Vec<Requirement> = node.children.iter().filter_map(from_tree).collect();
    let inner = match node.group {
        Some(Group::AnyOf { choose }) => Requirement::AnyOf { choose, of },
        _ if of.len() == 1 => of.into_iter().next()?,
        _ => Requirement::AllOf { of },
    };
    let text = node
        .text
        .trim()
        .trim_end_matches("提供")
        .trim_end_matches('需');
    let text = text.trim_end_matches([',', '，', ':', '：']).trim();
    // `申请邮件必须附上以下资料` introduces a list; it is no condition.
    if text.is_empty() || text.contains("以下") {
        Some(inner)
    } else {
        Some(Requirement::When {
            condition: text.to_string(),
            then: Box::new(inner),
        })
    }
}

fn strip_number(line: &str) -> &str {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return line;
    }
    let rest = &line[digits..];
    rest.strip_prefix('.')
        .or_else(|| rest.strip_prefix('、'))
        .or_else(|| rest.strip_prefix('．'))
        .map_or(line, str::trim_start)
}

fn parse_line(text: &str) -> Requirement {
    let text = text.trim();
    // A trailing （适用于…） is the condition of everything before it.
    if let Some((rest, condition)) = trailing_applies_to(text) {
        return Requirement::When {
            condition,
            then: Box::new(parse_line(rest)),
        };
    }
    let clauses = conditions(text);
    if !clauses.is_empty() {
        let mut whens: Vec<Requirement> = clauses
            .into_iter()
            .map(|(condition, body)| Requirement::When {
                condition,
                then: Box::new(parse_alternatives(body)),
            })
            .collect();
        return if whens.len() == 1 {
            whens.remove(0)
        } else {
            Requirement::AllOf { of: whens }
        };
    }
    parse_alternatives(text)
}

fn trailing_applies_to(text: &str) -> Option<(&str, String)> {
    let inner = text.strip_suffix('）').or_else(|| text.strip_suffix(')'))?;
    let open = inner.rfind(['（', '('])?;
    let condition = inner[open..].trim_start_matches(['（', '(']);
    condition
        .starts_with("适用")
        .then(|| (text[..open].trim(), condition.to_string()))
}

/// A condition of up to 16 characters (two at least for the third form).
macro_rules! phrase {
    ($min:literal) => {
        concat!(r"([^《》：:，,；;。“”\s]{", $min, r",16}?)")
    };
}

/// The three ways a condition opens a text, tried in order.
const CONDITIONS: [&str; 3] = [
    concat!("^", phrase!(1), r"[：:]"),
    concat!("^", phrase!(1), r"[，,]\s*需?(?:提供|提交)"),
    concat!("^", phrase!(2), r"需(?:提交|提供)"),
];

// Constant patterns, built once; `tests::condition_patterns_compile` forces
// them, so none is ever missing (a missing one would match nothing, not panic).
static CONDITION_RES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    CONDITIONS
        .iter()
        .filter_map(|pattern| Regex::new(pattern).ok())
        .collect()
});

/// `(condition, body)` pairs when the text starts with a condition; empty otherwise.
fn conditions(text: &str) -> Vec<(String, &str)> {
    let mut marks: Vec<(usize, usize, String)> = Vec::new(); // start, body start, condition
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        let boundary = at == 0
            || previous
                .is_some_and(|p| p == '；' || p == ';' || p == '。' || ends_document_char(p));
        previous = Some(c);
        if !boundary || marks.last().is_some_and(|(_, body, _)| at < *body) {
            continue;
        }
        let rest = &text[at..];
        if rest.starts_with(['且', '并', '和', '或', '及', '与']) {
            continue;
        }
        for re in CONDITION_RES.iter() {
            if let Some(m) = re.captures(rest) {
                let condition = m.get(1).map_or("", |g| g.as_str()).trim().to_string();
                let end = m.get(0).map_or(0, |g| g.end());
                marks.push((at, at + end, condition));
                break;
            }
        }
    }
    if marks.first().is_none_or(|(start, _, _)| *start != 0) {
        return Vec::new();
    }
    marks
        .iter()
        .enumerate()
        .map(|(i, (_, body, condition))| {
            let end = marks.get(i + 1).map_or(text.len(), |(start, _, _)| *start);
            (condition.clone(), text[*body..end].trim())
        })
        .collect()
}

fn parse_alternatives(text: &str) -> Requirement {
    let options = split_documents(text, &["或者", "或", "/"]);
    if options.len() > 1 {
        Requirement::AnyOf {
            choose: None,
            of: options.iter().map(|o| parse_all_of(o)).collect(),
        }
    } else {
        parse_all_of(text)
    }
}

fn parse_all_of(text: &str) -> Requirement {
    let parts = split_documents(
        text,
        &["以及", "；和", "和", "与", "及", "+", "＋", "、", "；", ";"],
    );
    if parts.len() > 1 {
        Requirement::AllOf {
            of: parts.iter().map(|p| parse_atom(p)).collect(),
        }
    } else {
        parse_atom(text)
    }
}

fn parse_atom(text: &str) -> Requirement {
    let mut text = text
        .trim()
        .trim_matches([',', '，', '；', ';', '。'])
        .trim();
    for lead in ["需提供", "需提交", "提供", "提交"] {
        if let Some(rest) = text.strip_prefix(lead) {
            text = rest.trim();
        }
    }
    // `营业执照（或事业单位法人证书、民办非企业单位登记证书）`
    if let Some((head, listed)) = parenthesised_alternatives(text) {
        let mut of = vec![parse_atom(head)];
        of.extend(listed.split('、').map(parse_atom));
        return Requirement::AnyOf { choose: None, of };
    }
    let opens = text.matches('《').count();
    match (opens, text.find('《'), text.find('》')) {
        (1, Some(open), Some(close)) if close > open => {
            let name = collapse_whitespace(&text[open + '《'.len_utf8()..close]);
            let qualifier = format!("{}{}", &text[..open], &text[close + '》'.len_utf8()..]);
            Requirement::Licence {
                name,
                qualifier: collapse_whitespace(qualifier.trim_start_matches([',', '，'])),
            }
        }
        (0, _, _) if !text.is_empty() && ends_like_document(text) => Requirement::Document {
            text: text.to_string(),
        },
        _ => Requirement::Unparsed {
            text: text.to_string(),
        },
    }
}

fn parenthesised_alternatives(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_suffix('）').or_else(|| text.strip_suffix(')'))?;
    let open = inner.rfind(['（', '('])?;
    let listed = inner[open..]
        .trim_start_matches(['（', '('])
        .strip_prefix('或')?;
    Some((text[..open].trim(), listed.trim()))
}

/// Splits `text` at `connectives` outside brackets, keeping together pieces
/// until each ends like a document. One piece when no split is justified.
fn split_documents(text: &str, connectives: &[&str]) -> Vec<String> {
    // Pieces between connectives, each with the connective before it.
    let mut pieces: Vec<(String, String)> = vec![(String::new(), String::new())];
    let mut depth = 0i32;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if depth == 0 {
            if let Some(conn) = connectives.iter().find(|k| rest.starts_with(**k)) {
                pieces.push((conn.to_string(), String::new()));
                rest = &rest[conn.len()..];
                continue;
            }
        }
        match c {
            '《' | '(' | '（' | '“' | '【' | '「' => depth += 1,
            '》' | ')' | '）' | '”' | '】' | '」' => depth = (depth - 1).max(0),
            _ => {}
        }
        if let Some((_, piece)) = pieces.last_mut() {
            piece.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    // Join pieces until what is joined ends like a document.
    let mut merged: Vec<String> = Vec::new();
    let mut pending: Option<(String, String)> = None;
    for (joiner, body) in pieces {
        let next = match pending.take() {
            None => (joiner, body),
            Some((first_joiner, mut joined)) => {
                joined.push_str(&joiner);
                joined.push_str(&body);
                (first_joiner, joined)
            }
        };
        if ends_like_document(&next.1) {
            merged.push(next.1.trim().to_string());
        } else {
            pending = Some(next);
        }
    }
    if let Some((joiner, rest)) = pending {
        match merged.last_mut() {
            Some(last) => {
                last.push_str(&joiner);
                last.push_str(&rest);
            }
            None => merged.push(rest.trim().to_string()),
        }
    }
    merged.retain(|p| !p.is_empty());
    merged
}

impl Requirement {
    /// Every licence name in the requirement.
    pub fn licences(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        self.visit(&mut |r| {
            if let Requirement::Licence { name, .. } = r {
                out.insert(name.clone());
            }
        });
        out
    }

    /// True when some part of the text could not be placed.
    pub fn has_unparsed(&self) -> bool {
        let mut found = false;
        self.visit(&mut |r| found |= matches!(r, Requirement::Unparsed { .. }));
        found
    }

    /// The texts the grammar could not place.
    pub fn unparsed(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.visit(&mut |r| {
            if let Requirement::Unparsed { text } = r {
                out.push(text.clone());
            }
        });
        out
    }

    fn visit(&self, f: &mut dyn FnMut(&Requirement)) {
        f(self);
        match self {
            Requirement::AllOf { of } | Requirement::AnyOf { of, .. } => {
                of.iter().for_each(|r| r.visit(f))
            }
            Requirement::When { then, .. } => then.visit(f),
            _ => {}
        }
    }

    /// The same logic in one canonical shape: nested groups of the same kind
    /// flattened, one-member groups dissolved, members sorted, licence names
    /// mapped by `canonical_licence`, qualifiers and document texts kept.
    pub fn canonical(&self, canonical_licence: &dyn Fn(&str) -> String) -> Requirement {
        match self {
            // N of "N选1" is the number of options; it adds nothing once they are listed.
            Requirement::AllOf { of } => canonical_group(of, true, canonical_licence),
            Requirement::AnyOf { of, .. } => canonical_group(of, false, canonical_licence),
            Requirement::When { condition, then } => Requirement::When {
                condition: condition.clone(),
                then: Box::new(then.canonical(canonical_licence)),
            },
            Requirement::Licence { name, qualifier } => Requirement::Licence {
                name: canonical_licence(name),
                qualifier: qualifier.clone(),
            },
            other => other.clone(),
        }
    }

    /// Readable text: `和` for all-of, `或` for any-of, `条件：…` for conditions.
    pub fn render(&self) -> String {
        match self {
            Requirement::AllOf { of } => join(of, " 和 "),
            Requirement::AnyOf { choose, of } => {
                let body = join(of, " 或 ");
                match choose {
                    Some(n) if *n as usize != of.len() => format!("{n}选1: {body}"),
                    _ => body,
                }
            }
            Requirement::When { condition, then } => format!("{condition}：{}", then.render()),
            Requirement::Licence { name, qualifier } => {
                if qualifier.is_empty() {
                    format!("《{name}》")
                } else {
                    format!("《{name}》[{qualifier}]")
                }
            }
            Requirement::Document { text } | Requirement::Unparsed { text } => text.clone(),
        }
    }
}

/// Members made canonical, nested groups of the same kind flattened, sorted,
/// duplicates removed; a single member stands alone.
fn canonical_group(
    of: &[Requirement],
    all: bool,
    canonical_licence: &dyn Fn(&str) -> String,
) -> Requirement {
    let mut members = Vec::new();
    for member in of.iter().map(|r| r.canonical(canonical_licence)) {
        match (all, member) {
            (true, Requirement::AllOf { of }) | (false, Requirement::AnyOf { of, .. }) => {
                members.extend(of)
            }
            (_, other) => members.push(other),
        }
    }
    members.sort();
    members.dedup();
    match (members.len(), all) {
        (1, _) => members.remove(0),
        (_, true) => Requirement::AllOf { of: members },
        (_, false) => Requirement::AnyOf {
            choose: None,
            of: members,
        },
    }
}

fn join(of: &[Requirement], with: &str) -> String {
    of.iter()
        .map(|r| match r {
            Requirement::AllOf { .. } | Requirement::AnyOf { .. } | Requirement::When { .. } => {
                format!("({})", r.render())
            }
            _ => r.render(),
        })
        .collect::<Vec<_>>()
        .join(with)
}

#[cfg(test)]
mod tests;
