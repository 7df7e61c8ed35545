//! How many requirement texts were read faithfully: a figure that, unlike
//! the share without `Unparsed` nodes, sees a document glued into another
//! or hidden in a licence's qualifier.
//!
//! A text is faithful when its tree
//!
//! 1. has nothing `Unparsed`;
//! 2. keeps every licence the text names in 《》 (`注:` lines aside);
//! 3. renders back to the same documents and licences: its licence names
//!    and document texts, written as one list (`《A》；文件B；…`) and read
//!    again, give the same set;
//! 4. hides no document in a qualifier: a licence's qualifier (`合作医院的`,
//!    `（经营范围含…）`) names no licence, has no piece before the name's
//!    own words that ends like a document, and, like a document, spans no
//!    `；`.

use std::collections::BTreeSet;

use serde::Serialize;

use leimu_model::ends_like_document;

use crate::{brackets, grammar, Grammar, Requirement};

/// Counts of requirement texts by how faithfully they were read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Fidelity {
    /// Texts read.
    pub read: usize,
    /// Texts with nothing `Unparsed`.
    pub parsed: usize,
    /// Texts whose tree renders back to the same documents and licences.
    pub faithful: usize,
}

impl Fidelity {
    /// Counts one text (`source`, as written) and the tree read from it.
    pub fn count(&mut self, source: &str, requirement: &Requirement, grammar: &Grammar) {
        self.count_judged(
            !requirement.has_unparsed(),
            Fidelity::renders_back(source, requirement, grammar),
        );
    }

    /// Counts one text already judged: `parsed` when its tree has nothing
    /// `Unparsed`, `faithful` as [`Fidelity::renders_back`] says. A caller
    /// that meets one text many times judges it once.
    pub fn count_judged(&mut self, parsed: bool, faithful: bool) {
        self.read += 1;
        self.parsed += usize::from(parsed);
        self.faithful += usize::from(faithful);
    }

    /// True when `requirement` is a faithful reading of `source` (module docs).
    pub fn renders_back(source: &str, requirement: &Requirement, grammar: &Grammar) -> bool {
        !requirement.has_unparsed()
            && keeps_written_licences(source, requirement)
            && reads_back(requirement, grammar)
            && requirement
                .items()
                .iter()
                .all(|item| qualifier_is_plain(item, grammar))
    }
}

impl std::fmt::Display for Fidelity {
    /// `faithful/read (parsed parsed)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{} read faithfully ({} without unparsed text)",
            self.faithful, self.read, self.parsed
        )
    }
}

fn keeps_written_licences(source: &str, requirement: &Requirement) -> bool {
    let body: Vec<&str> = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("注"))
        .collect();
    let (repaired, _) = brackets::repair(&body.join("\n"));
    let kept = requirement.licences();
    leimu_model::licences(&repaired)
        .iter()
        .all(|name| kept.contains(name))
}

/// The identity of an item: a licence by name, a document by its text.
fn identity(item: &Requirement) -> String {
    match item {
        Requirement::Licence { name, .. } => format!("《{name}》"),
        Requirement::Document { text } | Requirement::Unparsed { text } => text.clone(),
        other => other.render(),
    }
}

fn reads_back(requirement: &Requirement, grammar: &Grammar) -> bool {
    let items = requirement.items();
    let written: BTreeSet<String> = items.iter().map(|i| identity(i)).collect();
    let text: Vec<String> = items.iter().map(|i| identity(i)).collect();
    // `；` separates documents and ends any clause, as in the texts.
    let Some(back) = grammar.parse(&text.join("；"), None) else {
        return written.is_empty();
    };
    let read: BTreeSet<String> = back
        .requirement
        .items()
        .iter()
        .map(|i| identity(i))
        .collect();
    read == written
}

/// A qualifier hides a document when a piece of it, other than the words
/// next to the name, ends like a document (`…协议样本、该协议医院的`), when
/// it names a licence, or when it spans a `；` (`合同专用章；和省级…的`).
/// A document spans no `；` either.
fn qualifier_is_plain(item: &Requirement, grammar: &Grammar) -> bool {
    let qualifier = match item {
        Requirement::Licence { qualifier, .. } => qualifier,
        Requirement::Document { text } => return !spans_clause_end(text),
        _ => return true,
    };
    if spans_clause_end(qualifier) {
        return false;
    }
    let pieces = grammar::pieces(qualifier);
    let inner = pieces.len().saturating_sub(1);
    !qualifier.contains('《')
        && pieces[..inner].iter().all(|p| !ends_like_document(p))
        && pieces
            .iter()
            .all(|p| grammar.bare_licence(p.trim()).is_none())
}

/// True when `text` has a `；` or `;` outside brackets.
fn spans_clause_end(text: &str) -> bool {
    let mut depth = 0usize;
    text.chars().any(|c| {
        match c {
            '《' | '(' | '（' | '“' | '【' | '「' => depth += 1,
            '》' | ')' | '）' | '”' | '】' | '」' => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth == 0 && matches!(c, '；' | ';')
    })
}
