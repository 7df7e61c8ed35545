//! The logic of a requirement text: which documents, combined how.
//!
//! [`Grammar::parse`] reads the flat texts of the category tables and cards;
//! [`Grammar::read_tree`] reads the trees the notice parser builds. Both give
//! a [`Parsed`]: the [`Requirement`], the [`Warning`]s of what had to be
//! repaired, and the notes (`注:`) of the block. Text the grammar cannot place
//! becomes [`Requirement::Unparsed`], never dropped. [`parse`] and
//! [`from_tree`] are the same with no known licence names, logic only.
//!
//! The grammar, loosest binding first:
//!
//! 1. **Lines.** Numbered lines (`1.《甲》`, `2、…`) are items; with a
//!    stated [`Choice`] (the card's `资质要求（N选1）`) they are alternatives,
//!    otherwise all are required — unless every item is a condition.
//! 2. **Conditions.** A text that starts with a condition — `X：…`,
//!    `X，提供…`, `X需提交…` — is split into one `When` per condition
//!    (`政府/事业单位，提供… 非政府/事业单位，提供…`, `批发：… 零售：…`). A
//!    new condition may begin only where a document ends. Branches selected
//!    by condition are alternatives: an any-of of `When`s, in source order,
//!    here and in the notice's trees (`一、使用自研技术… 二、使用第三方技术…`).
//! 3. **Distributive qualifiers.** A trailing `（均…）` (都, 皆, 分别) after a
//!    group qualifies every item of the group, not only the last. So does a
//!    clause after the last alternative that speaks of the documents as such
//!    and names none of its own (`甲材料或者乙文件，并文件内容明确为“…”`:
//!    whichever is given, its content states it); one that asks for one
//!    more (`，并提供《丙》`) or speaks of something else (`，且经营范围…`)
//!    is the last alternative's.
//! 4. **Alternatives.** `或` / `或者` / `/` outside brackets. A trailing
//!    `（适用于…）` is the condition of the alternative it ends.
//! 5. **All of.** `和 与 及 以及 + 、 ；` outside brackets; `；和` too. `和`
//!    binds tighter than `或`: `《营业执照》和《A》或《营业执照》和《B》` is
//!    two alternatives.
//! 6. **Atoms.** A trailing `（说明：…）` is a note, not a qualifier; a
//!    trailing `（X提交Y）` asks for Y when X (`（涉及线上交易提交…）`), in
//!    the one shape a notice's `注:` line asking for a document has
//!    (`若X,需同时补充提供Y`; an if-word, a condition a comma or the verb
//!    closes, 需/同时/补充, 提交 or 提供, a document).
//!    One 《name》 with the words around it as `qualifier`
//!    (`《营业执照》且经营范围包含…`, `合作医院《医疗机构执业许可证》`),
//!    unless the words before it end like a document — then they are a
//!    document of their own; a name the caller knows ([`Grammar::with_known_licences`])
//!    written without 《》 is a licence too; other text that names a document
//!    is a `Document`; `X（或A、B）` lists alternatives to X.
//!
//! A connective splits only between documents: where the text before it
//! ends like one (in `》` or a document word: 证 书 文 件 照 函 明 单 …,
//! ignoring a trailing parenthetical or `且…` qualifier), so `两个及以上` or
//! `设立或授权的…文件` stay whole. A clause that qualifies a document
//! (`…协议，并加盖公司公章或合同专用章`, `《A》且范围包含…`) runs to the
//! next `；`, 《 or closing parenthetical, and a connective inside it splits
//! only before a licence name.
//!
//! Before any of this, a 《 closed by a mistyped `）` (`《网络文化经营许可证）`)
//! is repaired, with a [`Warning`].
//!
//! The grammar recurses once per level of the tree it builds, so a reading
//! builds no tree deeper than 32 levels (a notice tree's levels included;
//! documents nest a few): below that, the text is kept as written, as
//! `Unparsed`, with a [`Warning`]. A text nested thousands deep is read on
//! a small stack, and every walk of the value (`Debug`, `Serialize`, `Drop`,
//! the normaliser's) is as shallow.
//!
//! [`Fidelity`] counts the texts whose tree renders back to the same
//! documents and licences: a figure a reader can trust more than the share
//! without `Unparsed` nodes.

mod brackets;
mod fidelity;
mod grammar;
mod tree;

use std::collections::BTreeSet;

use leimu_model::{collapse_whitespace, RequirementNode};
use serde::{Deserialize, Serialize};

pub use fidelity::Fidelity;
pub use leimu_model::Choice;
pub use tree::notes;

/// A requirement as logic; it reads back what it writes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Requirement {
    AllOf {
        of: Vec<Requirement>,
    },
    /// Some of `of`; `choose` is the count the text states (`(3选1)` is
    /// `{pick: 1, of: 3}`), `None` where it states none (`或`).
    AnyOf {
        choose: Option<Choice>,
        of: Vec<Requirement>,
    },
    When {
        condition: String,
        then: Box<Requirement>,
    },
    /// A group its text introduces by naming what it holds rather than when
    /// it applies (`该资质主体公司的经营国际客运许可证件(④选①):`): the
    /// documents of `then`, described by `title`; no condition.
    Titled {
        title: String,
        then: Box<Requirement>,
    },
    Licence {
        name: String,
        /// The words around the name that qualify it, before and after it
        /// as one text (`合作医院`, `(范围含…)`, `且业务范围必须包含…`).
        qualifier: String,
        /// The part of `qualifier` written before the name (`合作医院`, of
        /// `合作医院《医疗机构执业许可证》`), so that a display can put it
        /// back where the source has it.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        before: String,
        /// Written without 《》: a name the grammar knows as a licence
        /// (`营业执照（或事业单位法人证书…）`). Presentation only: the
        /// canonical form, which comparisons use, drops it.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        bare: bool,
    },
    Document {
        text: String,
    },
    Unparsed {
        text: String,
    },
}

/// What reading one requirement gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub requirement: Requirement,
    /// What had to be repaired to read it (a mistyped bracket).
    pub warnings: Vec<Warning>,
    /// Notes about the requirement rather than documents: the `注:` lines of
    /// a notice block, a trailing `（说明：…）` of a flat text; in order.
    pub notes: Vec<String>,
}

/// Something the grammar repaired; the caller turns it into a diagnostic
/// at `record line + line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 0-based line of the text (of [`RequirementNode::render`] for a tree).
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line +{}: {}", self.line, self.message)
    }
}

/// The grammar, with the licence names it recognises without 《》.
#[derive(Debug, Clone, Default)]
pub struct Grammar {
    /// Longest first, so `企业营业执照` wins over `营业执照`.
    known: Vec<String>,
    /// Finds every occurrence of every known name in one pass (pattern `i`
    /// is `known[i]`); `None` when no name is known.
    finder: Option<aho_corasick::AhoCorasick>,
}

impl Grammar {
    /// A grammar that knows licences only by their 《》.
    pub fn new() -> Grammar {
        Grammar::default()
    }

    /// A grammar that also reads these names as licences where a text writes
    /// them bare (`营业执照（或事业单位法人证书…）`). A bare name counts only
    /// as a whole document: nothing but a qualifier (`…的`, `（…）`, `且…`)
    /// around it, never part of a longer word, never inside 《》.
    pub fn with_known_licences<I, S>(names: I) -> Grammar
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut known: Vec<String> = names
            .into_iter()
            .map(Into::into)
            .filter(|n| !n.is_empty())
            .collect();
        known.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        known.dedup();
        // A set of names too large for the automaton only loses bare names.
        let finder = (!known.is_empty())
            .then(|| aho_corasick::AhoCorasick::new(&known).ok())
            .flatten();
        Grammar { known, finder }
    }

    /// Reads a flat requirement text; `None` when it is empty. `choose` is
    /// the count a card states beside the text (`资质要求（3选1）`).
    ///
    /// ```
    /// use leimu_requirement::{Grammar, Requirement};
    ///
    /// let parsed = Grammar::new().parse("《营业执照》和《A》或《营业执照》和《B》和《C》", None).unwrap();
    /// let Requirement::AnyOf { of, .. } = &parsed.requirement else { panic!() };
    /// assert_eq!(of.len(), 2);
    /// assert_eq!(
    ///     parsed.requirement.render(),
    ///     "(《营业执照》 和 《A》) 或 (《营业执照》 和 《B》 和 《C》)"
    /// );
    /// ```
    pub fn parse(&self, text: &str, choose: Option<Choice>) -> Option<Parsed> {
        let mut warnings = Vec::new();
        let mut notes = Vec::new();
        let items: Vec<Requirement> = text
            .lines()
            .enumerate()
            .filter_map(|(line, raw)| {
                let collapsed = leimu_model::collapse_whitespace(raw);
                let (repaired, repairs) = brackets::repair(grammar::strip_number(&collapsed));
                warnings.extend(repairs.into_iter().map(|message| Warning { line, message }));
                let body = match grammar::trailing_note(&repaired) {
                    Some((body, note)) => {
                        notes.push(note.to_string());
                        body
                    }
                    None => &repaired,
                };
                if body.is_empty() {
                    return None;
                }
                let mut nesting = grammar::Nesting::default();
                let read = self.read_item(body, 0, &mut nesting);
                if nesting.exceeded {
                    warnings.push(Warning {
                        line,
                        message: grammar::too_deep(),
                    });
                }
                Some(read)
            })
            .collect();
        let requirement = match (items.len(), choose) {
            (0, _) => return None,
            (1, None) => items.into_iter().next()?,
            (_, Some(choose)) => Requirement::AnyOf {
                choose: Some(choose),
                of: items,
            },
            (_, None) => unstated_group(items),
        };
        Some(Parsed {
            requirement,
            warnings,
            notes,
        })
    }

    /// Reads a notice requirement tree; `None` when it is empty.
    pub fn read_tree(&self, node: &RequirementNode) -> Option<Parsed> {
        let mut warnings = Vec::new();
        let requirement = tree::read(self, node, &mut warnings)?;
        Some(Parsed {
            requirement,
            warnings,
            notes: notes(node),
        })
    }
}

/// Parses a flat requirement text with no known licence names; `None` when
/// it is empty. `choose` is the N of a card's `资质要求（N选1）`.
pub fn parse(text: &str, choose: Option<u32>) -> Option<Requirement> {
    Grammar::new()
        .parse(text, choose.map(Choice::one_of))
        .map(|p| p.requirement)
}

/// Converts a notice requirement tree with no known licence names.
pub fn from_tree(node: &RequirementNode) -> Option<Requirement> {
    Grammar::new().read_tree(node).map(|p| p.requirement)
}

/// A licence as its source writes it: the words before the name, the name in
/// 《》 unless it was written `bare`, the words after it
/// (`合作医院《医疗机构执业许可证》`), from the fields of [`Requirement::Licence`]. A `before` that does not begin `qualifier`
/// (a hand-made value) leaves all of `qualifier` after the name.
pub fn licence_as_written(name: &str, qualifier: &str, before: &str, bare: bool) -> String {
    let name = if bare {
        name.to_string()
    } else {
        format!("《{name}》")
    };
    match qualifier.strip_prefix(before) {
        Some(after) => format!("{before}{name}{after}"),
        None => format!("{name}{qualifier}"),
    }
}

/// Items whose text states no group: alternatives when every item is a
/// condition (`一、自研：… 二、第三方：…`), otherwise all are required.
fn unstated_group(of: Vec<Requirement>) -> Requirement {
    if of.len() > 1 && of.iter().all(|r| matches!(r, Requirement::When { .. })) {
        Requirement::AnyOf { choose: None, of }
    } else {
        Requirement::AllOf { of }
    }
}

impl Requirement {
    /// A licence with the words around it: `before` (`合作医院`) and
    /// `after` (`(范围含…)`) it.
    pub fn licence(name: &str, before: &str, after: &str) -> Requirement {
        let qualifier = format!("{before}{after}");
        let qualifier = collapse_whitespace(qualifier.trim_start_matches([',', '，']));
        let before = collapse_whitespace(before.trim_start_matches([',', '，']));
        Requirement::Licence {
            name: name.to_string(),
            before: if qualifier.starts_with(&before) {
                before
            } else {
                String::new()
            },
            qualifier,
            bare: false,
        }
    }

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

    /// The documents and licences (with their qualifiers), in order, without
    /// the logic that combines them.
    pub fn items(&self) -> Vec<&Requirement> {
        let mut out = Vec::new();
        self.visit_ref(&mut |r| {
            if matches!(
                r,
                Requirement::Licence { .. }
                    | Requirement::Document { .. }
                    | Requirement::Unparsed { .. }
            ) {
                out.push(r);
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
        for child in self.children() {
            child.visit(f);
        }
    }

    fn visit_ref<'a>(&'a self, f: &mut dyn FnMut(&'a Requirement)) {
        f(self);
        for child in self.children() {
            child.visit_ref(f);
        }
    }

    fn children(&self) -> &[Requirement] {
        match self {
            Requirement::AllOf { of } | Requirement::AnyOf { of, .. } => of,
            Requirement::When { then, .. } | Requirement::Titled { then, .. } => {
                std::slice::from_ref(then.as_ref())
            }
            _ => &[],
        }
    }

    /// The same logic in one canonical shape: nested groups of the same kind
    /// flattened, one-member groups dissolved, members sorted, licence names
    /// mapped by `canonical_licence`, qualifiers and document texts kept.
    /// Every any-of states its choice: pick 1 of its members where the text
    /// picks one (so `(2选1)` and `或` agree), else the choice as stated.
    pub fn canonical(&self, canonical_licence: &dyn Fn(&str) -> String) -> Requirement {
        self.tidy(canonical_licence, true)
    }

    /// [`Requirement::canonical`] in source order: for display, where
    /// `一、` comes before `二、`. Compare with `canonical`.
    pub fn canonical_in_source_order(
        &self,
        canonical_licence: &dyn Fn(&str) -> String,
    ) -> Requirement {
        self.tidy(canonical_licence, false)
    }

    fn tidy(&self, canonical_licence: &dyn Fn(&str) -> String, sort: bool) -> Requirement {
        let tidy_group = |of: &[Requirement], choose: Option<Option<Choice>>| {
            let members = of.iter().map(|r| r.tidy(canonical_licence, sort));
            group(members, choose, sort)
        };
        match self {
            Requirement::AllOf { of } => tidy_group(of, None),
            Requirement::AnyOf { choose, of } => tidy_group(of, Some(*choose)),
            Requirement::When { condition, then } => Requirement::When {
                condition: condition.clone(),
                then: Box::new(then.tidy(canonical_licence, sort)),
            },
            Requirement::Titled { title, then } => Requirement::Titled {
                title: title.clone(),
                then: Box::new(then.tidy(canonical_licence, sort)),
            },
            Requirement::Licence {
                name,
                qualifier,
                before,
                bare,
            } => Requirement::Licence {
                name: canonical_licence(name),
                qualifier: qualifier.clone(),
                before: before.clone(),
                // How a name was written is not what it means.
                bare: *bare && !sort,
            },
            other => other.clone(),
        }
    }

    /// Readable text: `和` for all-of, `或` for any-of, `N选M:` where the
    /// stated choice is not "one of the listed", `条件：…` for conditions,
    /// `标题（…）` for a titled group,
    /// `《name》[qualifier]` for licences.
    pub fn render(&self) -> String {
        match self {
            Requirement::AllOf { of } => join(of, " 和 "),
            Requirement::AnyOf { choose, of } => {
                let body = join(of, " 或 ");
                match choose {
                    Some(c) if c.pick != 1 || c.of as usize != of.len() => format!("{c}: {body}"),
                    _ => body,
                }
            }
            Requirement::When { condition, then } => format!("{condition}：{}", then.render()),
            Requirement::Titled { title, then } => format!("{title}（{}）", then.render()),
            Requirement::Licence {
                name,
                qualifier,
                bare,
                ..
            } => {
                let name = if *bare {
                    name.clone()
                } else {
                    format!("《{name}》")
                };
                if qualifier.is_empty() {
                    name
                } else {
                    format!("{name}[{qualifier}]")
                }
            }
            Requirement::Document { text } | Requirement::Unparsed { text } => text.clone(),
        }
    }
}

/// A group of tidied members: nested groups of the same kind flattened
/// (an any-of only into an any-of that picks one), duplicates removed,
/// sorted if `sort`; a single member stands alone. `choose` is `None` for
/// an all-of, `Some(stated)` for an any-of.
fn group(
    members: impl Iterator<Item = Requirement>,
    choose: Option<Option<Choice>>,
    sort: bool,
) -> Requirement {
    let picks_one = |c: &Option<Choice>| c.is_none_or(|c| c.pick == 1);
    let mut flat: Vec<Requirement> = Vec::new();
    for member in members {
        match (choose, member) {
            (None, Requirement::AllOf { of }) => flat.extend(of),
            // In source order (for display) a stated `(2选1)` keeps its two
            // items, one of which may itself be `A或B`: the count the source
            // states. Canonically the alternatives are one flat set.
            (Some(outer), Requirement::AnyOf { choose: inner, of })
                if picks_one(&outer) && picks_one(&inner) && (sort || outer.is_none()) =>
            {
                flat.extend(of)
            }
            (_, other) => flat.push(other),
        }
    }
    if sort {
        flat.sort();
    }
    let mut seen = BTreeSet::new();
    flat.retain(|r| seen.insert(r.clone()));
    match (flat.len(), choose) {
        (1, _) => flat.remove(0),
        (_, None) => Requirement::AllOf { of: flat },
        // Flattening and de-duplication change the count of a "N选1".
        (n, Some(stated)) => Requirement::AnyOf {
            choose: Some(match stated {
                Some(c) if c.pick != 1 => c,
                _ => Choice::one_of(u32::try_from(n).unwrap_or(u32::MAX)),
            }),
            of: flat,
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
