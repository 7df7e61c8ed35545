//! Stage 5: the licence registry — every document any source names in 《》,
//! under its canonical name, with its kind, the categories that require it
//! today, and the category–licence links.
//!
//! **Kinds**, by the name's ending (first rule that matches):
//!
//! | kind | the name ends in (or contains) |
//! |---|---|
//! | `agreement` | 协议, 协议书, 合同 |
//! | `declaration` | 承诺书, 承诺函, 声明, 说明函, 函件, 证明函 |
//! | `filing` | contains 备案 (备案, 备案证, 备案凭证, 备案核准, 备案证明) |
//! | `approval` | 批文, 批准书, 批复, 批准文件, 审批文件, 授权书, 授权文件 (a permission another party grants) |
//! | `proof` | 证明, 截图, 材料, 公告 |
//! | `licence` | 许可证, 执照, 证书, 证, 许可, 认定书, 登记注册 |
//! | `other` | anything else |
//!
//! "Which licences do I need" counts `licence`, `filing` and `approval`;
//! agreements, declarations and proofs are documents, not licences.
//!
//! **Joined names are split**: 《保险公司法人许可证和经营保险业务许可证》
//! names two licences required together, so it becomes both.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::HashSet;

use leimu_requirement::Requirement;
use serde::Serialize;

use crate::decide::precedence;
use crate::{Aliases, Category, Mention, SourceInput, Statement};

/// What kind of document a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LicenceKind {
    Licence,
    Filing,
    Approval,
    Agreement,
    Declaration,
    Proof,
    Other,
}

impl LicenceKind {
    pub const ALL: [LicenceKind; 7] = [
        LicenceKind::Licence,
        LicenceKind::Filing,
        LicenceKind::Approval,
        LicenceKind::Agreement,
        LicenceKind::Declaration,
        LicenceKind::Proof,
        LicenceKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LicenceKind::Licence => "licence",
            LicenceKind::Filing => "filing",
            LicenceKind::Approval => "approval",
            LicenceKind::Agreement => "agreement",
            LicenceKind::Declaration => "declaration",
            LicenceKind::Proof => "proof",
            LicenceKind::Other => "other",
        }
    }

    /// A licence, permit, filing or approval: what "which licences do I need" asks.
    pub fn is_licence(self) -> bool {
        matches!(
            self,
            LicenceKind::Licence | LicenceKind::Filing | LicenceKind::Approval
        )
    }

    /// The kind of a document by its name (see the module docs).
    ///
    /// ```
    /// use leimu_normalize::registry::LicenceKind;
    /// assert_eq!(LicenceKind::of("合作协议"), LicenceKind::Agreement);
    /// assert_eq!(LicenceKind::of("企业征信业务经营备案证"), LicenceKind::Filing);
    /// assert_eq!(LicenceKind::of("营业执照"), LicenceKind::Licence);
    /// ```
    pub fn of(name: &str) -> LicenceKind {
        let ends = |suffixes: &[&str]| suffixes.iter().any(|s| name.ends_with(s));
        if ends(&["协议", "协议书", "合同"]) {
            LicenceKind::Agreement
        } else if ends(&["承诺书", "承诺函", "声明", "说明函", "函件", "证明函"]) {
            LicenceKind::Declaration
        } else if name.contains("备案") {
            LicenceKind::Filing
        } else if ends(&[
            "批文",
            "批准书",
            "批复",
            "批准文件",
            "审批文件",
            "授权书",
            "授权文件",
        ]) {
            LicenceKind::Approval
        } else if ends(&["证明", "截图", "材料", "公告"]) {
            LicenceKind::Proof
        } else if ends(&["许可证", "执照", "证书", "证", "许可", "认定书", "登记注册"])
        {
            LicenceKind::Licence
        } else {
            LicenceKind::Other
        }
    }
}

/// One licence (or other named document) of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceEntry {
    pub licence: String,
    pub kind: LicenceKind,
    /// Other spellings seen in the sources.
    pub aliases: Vec<String>,
    /// Number of current (not retired) canonical categories whose deciding
    /// requirement names it.
    pub categories: usize,
    /// Sources that name it: category sources in precedence order, then the others.
    pub sources: Vec<String>,
    /// Why no current category requires it, when none does.
    pub note: String,
}

/// Two registry names that may be one licence (same name up to a suffix):
/// suggested, never applied; confirm in `raw/aliases.toml` `[licences]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceAliasSuggestion {
    pub licence: String,
    pub similar: String,
}

/// One licence in one category's deciding requirement.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CategoryLicence {
    pub category_id: String,
    pub licence: String,
    pub kind: LicenceKind,
    pub role: Role,
    /// For `one-of`: pick `pick` of the group's `of` alternatives.
    pub pick: Option<u32>,
    pub of: Option<u32>,
    /// For `conditional`: the conditions, outermost first, joined by `；`.
    pub condition: String,
    /// The licence as the requirement writes it, with the words around it
    /// and the titles of the groups it is in (`该资质主体公司的经营国际客运许可证件：
    /// 《道路运输经营许可证》(范围含…)`): whose document it is, who issues it,
    /// what it must cover.
    pub as_written: String,
    /// The any-of group the licence is an alternative in (its position,
    /// `1.2`), empty when in none: rows of one category with the same group
    /// and `alternative` are required together, with the same group and
    /// another `alternative` are alternatives to each other.
    pub group_id: String,
    /// The 1-based alternative of `group_id` the licence is in.
    pub alternative: Option<u32>,
}

/// How a licence takes part in a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Always required.
    Required,
    /// One of the alternatives of a group.
    OneOf,
    /// Required (or an alternative) only under a condition.
    Conditional,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Required => "required",
            Role::OneOf => "one-of",
            Role::Conditional => "conditional",
        }
    }
}

/// The licence names a joined name stands for: `X证和Y证` is two licences
/// when each side ends like a licence; any other name is itself.
///
/// ```
/// use leimu_normalize::registry::split_joined;
/// assert_eq!(split_joined("保险公司法人许可证和经营保险业务许可证"), ["保险公司法人许可证", "经营保险业务许可证"]);
/// assert_eq!(split_joined("药品、医疗器械互联网信息服务备案凭证"), ["药品、医疗器械互联网信息服务备案凭证"]);
/// ```
pub fn split_joined(name: &str) -> Vec<String> {
    for joiner in ["和", "及", "与"] {
        let parts: Vec<&str> = name.split(joiner).collect();
        if parts.len() > 1
            && parts
                .iter()
                .all(|p| p.chars().count() >= 3 && LicenceKind::of(p) == LicenceKind::Licence)
        {
            return parts.into_iter().map(String::from).collect();
        }
    }
    vec![name.to_string()]
}

/// The requirement with joined licence names split into all-of groups.
pub fn split_joined_licences(r: &Requirement) -> Requirement {
    match r {
        Requirement::AllOf { of } => Requirement::AllOf {
            of: of.iter().map(split_joined_licences).collect(),
        },
        Requirement::AnyOf { choose, of } => Requirement::AnyOf {
            choose: *choose,
            of: of.iter().map(split_joined_licences).collect(),
        },
        Requirement::When { condition, then } => Requirement::When {
            condition: condition.clone(),
            then: Box::new(split_joined_licences(then)),
        },
        Requirement::Titled { title, then } => Requirement::Titled {
            title: title.clone(),
            then: Box::new(split_joined_licences(then)),
        },
        Requirement::Licence {
            name,
            qualifier,
            before,
            bare,
        } => {
            let names = split_joined(name);
            if names.len() == 1 {
                return r.clone();
            }
            Requirement::AllOf {
                of: names
                    .into_iter()
                    .map(|name| Requirement::Licence {
                        name,
                        qualifier: qualifier.clone(),
                        before: before.clone(),
                        bare: *bare,
                    })
                    .collect(),
            }
        }
        other => other.clone(),
    }
}

/// Which sources name each canonical licence, and how else it is spelled.
#[derive(Default)]
struct Registry {
    named_by: BTreeMap<String, BTreeSet<String>>,
    spellings: BTreeMap<String, BTreeSet<String>>,
}

impl Registry {
    fn note(&mut self, source: &str, names: impl IntoIterator<Item = String>, aliases: &Aliases) {
        for written in names {
            for name in split_joined(&written) {
                let canonical = aliases.licence(&name);
                self.named_by
                    .entry(canonical.clone())
                    .or_default()
                    .insert(source.to_string());
                if canonical != name {
                    self.spellings.entry(canonical).or_default().insert(name);
                }
            }
        }
    }
}

/// Builds the registry from what the sources name and what the categories require.
pub fn build(
    sources: &[SourceInput],
    mentions: &[Mention],
    aliases: &Aliases,
    named: &[(usize, Vec<String>)],
    categories: &[Category],
) -> Vec<LicenceEntry> {
    let mut registry = Registry::default();
    for (source, names) in named {
        registry.note(sources[*source].id, names.iter().cloned(), aliases);
    }
    // Texts repeat (a remark under many entries); each names the same once.
    let mut noted: HashSet<(&str, &str)> = HashSet::default();
    for mention in mentions {
        if noted.insert((mention.source, mention.text)) {
            registry.note(mention.source, leimu_model::licences(mention.text), aliases);
        }
    }
    let mut required_by: BTreeMap<String, usize> = BTreeMap::new();
    let mut in_retired: BTreeSet<String> = BTreeSet::new();
    for c in categories {
        for name in c.statement.licences() {
            if c.status.is_current() {
                *required_by.entry(name).or_default() += 1;
            } else {
                in_retired.insert(name);
            }
        }
    }
    let category_sources: BTreeSet<&str> = sources.iter().map(|s| s.id).collect();
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by_key(|&i| precedence(sources, i));
    registry
        .named_by
        .into_iter()
        .map(|(licence, naming)| {
            let categories = required_by.get(&licence).copied().unwrap_or(0);
            let note = if categories > 0 {
                String::new()
            } else if naming
                .iter()
                .all(|s| !category_sources.contains(s.as_str()))
            {
                format!("named only by {}, which lists no categories", join(&naming))
            } else if in_retired.contains(&licence) {
                "required only by retired categories".to_string()
            } else {
                "named only in statements that do not decide (older revisions, reference sources)"
                    .to_string()
            };
            LicenceEntry {
                kind: LicenceKind::of(&licence),
                aliases: registry
                    .spellings
                    .remove(&licence)
                    .map(|s| s.into_iter().collect())
                    .unwrap_or_default(),
                categories,
                sources: order
                    .iter()
                    .map(|&i| sources[i].id)
                    .filter(|id| naming.contains(*id))
                    .chain(
                        naming
                            .iter()
                            .map(String::as_str)
                            .filter(|id| !category_sources.contains(id)),
                    )
                    .map(String::from)
                    .collect(),
                note,
                licence,
            }
        })
        .collect()
}

fn join(names: &BTreeSet<String>) -> String {
    names.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// Suffixes that may be dropped or swapped without naming another document.
const SUFFIXES: [&str; 4] = ["证书", "许可证", "证", "许可"];

/// Registry names that are the same name up to a suffix (证/证书, 许可证/许可).
pub fn alias_suggestions(entries: &[LicenceEntry]) -> Vec<LicenceAliasSuggestion> {
    let stem = |name: &str| -> String {
        SUFFIXES
            .iter()
            .find_map(|s| name.strip_suffix(s))
            .unwrap_or(name)
            .to_string()
    };
    let mut by_stem: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for e in entries {
        by_stem
            .entry(stem(&e.licence))
            .or_default()
            .push(&e.licence);
    }
    by_stem
        .values()
        .filter(|names| names.len() > 1)
        .flat_map(|names| {
            names[1..].iter().map(|other| LicenceAliasSuggestion {
                licence: names[0].to_string(),
                similar: other.to_string(),
            })
        })
        .collect()
}

/// The licence links of every category: one per (category, licence, role)
/// and wording (`as_written`).
pub fn links(categories: &[Category]) -> Vec<CategoryLicence> {
    let mut out: Vec<CategoryLicence> = categories
        .iter()
        .flat_map(|c| match &c.statement {
            Statement::Requires(r) => links_of(&c.id, r),
            _ => Vec::new(),
        })
        .collect();
    // Each category's links are distinct already; ids order them.
    out.sort();
    out
}

/// The licence links of the category `category_id` that requires `r`, as
/// [`links`] gives them (the reader of an older `normalized/` without the
/// link table derives them with this from each requirement tree).
pub fn links_of(category_id: &str, r: &Requirement) -> Vec<CategoryLicence> {
    let mut found = Vec::new();
    walk(r, &Context::default(), &mut found);
    let mut out: Vec<CategoryLicence> = found
        .into_iter()
        .map(|found| CategoryLicence {
            category_id: category_id.to_string(),
            kind: LicenceKind::of(&found.licence),
            role: found.context.role(),
            pick: found.context.group.as_ref().map(|g| g.pick),
            of: found.context.group.as_ref().map(|g| g.of),
            group_id: found
                .context
                .group
                .as_ref()
                .map(|g| g.id.clone())
                .unwrap_or_default(),
            alternative: found.context.group.as_ref().map(|g| g.alternative),
            condition: found.context.conditions.join("；"),
            licence: found.licence,
            as_written: found.as_written,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Where a licence sits in a requirement tree.
#[derive(Debug, Clone, Default)]
struct Context {
    /// The nearest any-of group around.
    group: Option<GroupPlace>,
    conditions: Vec<String>,
    /// The titles of the groups it is in, outermost first.
    titles: Vec<String>,
    /// The node's position: 1-based child indices from the root.
    path: Vec<u32>,
}

/// An any-of group a licence is in, and which of its alternatives.
#[derive(Debug, Clone, PartialEq, Eq)]
struct GroupPlace {
    /// Pick `pick` of `of`.
    pick: u32,
    of: u32,
    /// The group's position ([`position`]).
    id: String,
    /// The 1-based alternative the licence is in.
    alternative: u32,
}

/// A node's position as text: `1` for the root, then each child index
/// (`1.2.1`: the first child of the root's second child). The position of a
/// licence's alternative extends its group's (alternative 2 of group `1`
/// holds everything at `1.2…`), so rows tell nested groups apart.
fn position(path: &[u32]) -> String {
    std::iter::once(1)
        .chain(path.iter().copied())
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(".")
}

/// A licence found in a tree, as written there, and where it sits.
#[derive(Debug)]
struct Found {
    licence: String,
    as_written: String,
    context: Context,
}

impl Context {
    /// The context of the `index`-th (0-based) child of the node at `self`.
    fn child(&self, index: usize) -> Context {
        let mut child = self.clone();
        child
            .path
            .push(u32::try_from(index + 1).unwrap_or(u32::MAX));
        child
    }

    fn role(&self) -> Role {
        if !self.conditions.is_empty() {
            Role::Conditional
        } else if self.group.is_some() {
            Role::OneOf
        } else {
            Role::Required
        }
    }
}

fn walk(r: &Requirement, context: &Context, out: &mut Vec<Found>) {
    match r {
        Requirement::AllOf { of } => {
            for (i, r) in of.iter().enumerate() {
                walk(r, &context.child(i), out);
            }
        }
        Requirement::AnyOf { of, choose } => {
            let members = u32::try_from(of.len()).unwrap_or(u32::MAX);
            let (pick, of_count) = choose.map_or((1, members), |c| (c.pick, c.of));
            let id = position(&context.path);
            // A licence every alternative requires is needed whichever is chosen.
            let in_every = of
                .iter()
                .map(required_by)
                .reduce(|a, b| a.intersection(&b).cloned().collect())
                .unwrap_or_default();
            let mut found = Vec::new();
            for (i, r) in of.iter().enumerate() {
                let mut inner = context.child(i);
                inner.group = Some(GroupPlace {
                    pick,
                    of: of_count,
                    id: id.clone(),
                    alternative: u32::try_from(i + 1).unwrap_or(u32::MAX),
                });
                walk(r, &inner, &mut found);
            }
            // Such a licence is one requirement, however each alternative
            // words it (批发: 省级…的《出版物经营许可证》, 零售: 县级…的): one
            // link, written as each alternative writes it, joined by 或.
            let mut elevated: Vec<(String, Vec<Wording>)> = Vec::new();
            for found in found {
                if !in_every.contains(&found.licence) {
                    out.push(found);
                    continue;
                }
                let wording = Wording::of(&found, context.conditions.len());
                match elevated.iter_mut().find(|(l, _)| *l == found.licence) {
                    Some((_, wordings)) => wordings.push(wording),
                    None => elevated.push((found.licence, vec![wording])),
                }
            }
            let elevated = elevated.into_iter().map(|(licence, wordings)| Found {
                licence,
                as_written: Wording::joined(&wordings),
                context: context.clone(),
            });
            out.extend(elevated);
        }
        Requirement::When { condition, then } => {
            let mut inner = context.child(0);
            inner.conditions.push(condition.clone());
            walk(then, &inner, out);
        }
        // A title says what the documents are, not when they are needed.
        Requirement::Titled { title, then } => {
            let mut inner = context.child(0);
            inner.titles.push(title.clone());
            walk(then, &inner, out);
        }
        Requirement::Licence {
            name,
            qualifier,
            before,
            bare,
        } => {
            let licence = leimu_requirement::licence_as_written(name, qualifier, before, *bare);
            let as_written = context
                .titles
                .iter()
                .map(|t| format!("{t}："))
                .chain([licence])
                .collect();
            out.push(Found {
                licence: name.clone(),
                as_written,
                context: context.clone(),
            });
        }
        Requirement::Document { .. } | Requirement::Unparsed { .. } => {}
    }
}

/// How one alternative of an any-of writes a licence they all require.
struct Wording {
    /// As the licence's own words write it (`县（区）级…的《出版物经营许可证》`).
    plain: String,
    /// After the conditions of the alternative, each followed by ：, as
    /// titles are (`零售：县（区）级…`).
    conditioned: String,
}

impl Wording {
    /// `found`'s wording, with its conditions from the `outer`-th on (those
    /// inside the any-of).
    fn of(found: &Found, outer: usize) -> Wording {
        let conditions = found.context.conditions.get(outer..).unwrap_or_default();
        Wording {
            plain: found.as_written.clone(),
            conditioned: conditions
                .iter()
                .map(|c| format!("{c}："))
                .chain(std::iter::once(found.as_written.clone()))
                .collect(),
        }
    }

    /// The wordings joined by 或, each once: the plain one when all
    /// alternatives write the licence alike (the conditions would say
    /// nothing), else each after its conditions, which tell which wording
    /// applies when.
    fn joined(wordings: &[Wording]) -> String {
        let alike = wordings.windows(2).all(|w| w[0].plain == w[1].plain);
        let mut kept: Vec<&str> = Vec::new();
        for wording in wordings {
            let text = if alike {
                &wording.plain
            } else {
                &wording.conditioned
            };
            if !kept.contains(&text.as_str()) {
                kept.push(text);
            }
        }
        kept.join(" 或 ")
    }
}

/// The licences `r` cannot be met without: every member's of an all-of,
/// those common to all alternatives of an any-of, a `When`'s own once its
/// branch applies (the alternatives by applicant type).
fn required_by(r: &Requirement) -> BTreeSet<String> {
    match r {
        Requirement::AllOf { of } => of.iter().flat_map(required_by).collect(),
        Requirement::AnyOf { of, .. } => of
            .iter()
            .map(required_by)
            .reduce(|a, b| a.intersection(&b).cloned().collect())
            .unwrap_or_default(),
        Requirement::When { then, .. } | Requirement::Titled { then, .. } => required_by(then),
        Requirement::Licence { name, .. } => BTreeSet::from([name.clone()]),
        Requirement::Document { .. } | Requirement::Unparsed { .. } => BTreeSet::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_suffix() {
        let kind = LicenceKind::of;
        assert_eq!(kind("捐赠协议"), LicenceKind::Agreement);
        assert_eq!(kind("上证所证券信息经营许可合同"), LicenceKind::Agreement);
        assert_eq!(kind("小程序开发者承诺函"), LicenceKind::Declaration);
        assert_eq!(kind("股权关系证明函"), LicenceKind::Declaration);
        assert_eq!(kind("情况说明函件"), LicenceKind::Declaration);
        assert_eq!(kind("互联网信息服务算法备案"), LicenceKind::Filing);
        assert_eq!(kind("私募基金备案证明"), LicenceKind::Filing);
        assert_eq!(kind("非经营性互联网信息服务备案核准"), LicenceKind::Filing);
        assert_eq!(kind("卫计委批文"), LicenceKind::Approval);
        assert_eq!(kind("设置医疗机构批准书"), LicenceKind::Approval);
        assert_eq!(kind("在用证明"), LicenceKind::Proof);
        assert_eq!(kind("慈善组织互联网募捐信息平台公告"), LicenceKind::Proof);
        assert_eq!(kind("基础电信业务经营许可证"), LicenceKind::Licence);
        assert_eq!(
            kind("工信部道路机动车辆生产企业准入许可"),
            LicenceKind::Licence
        );
        assert_eq!(
            kind("自费出国留学中介服务机构资格认定书"),
            LicenceKind::Licence
        );
        assert_eq!(kind("网络销售与实名制授权书"), LicenceKind::Approval);
        assert_eq!(kind("相关政府部门的资质授权文件"), LicenceKind::Approval);
        assert_eq!(kind("厂商授权销售文件"), LicenceKind::Other);
        assert!(!LicenceKind::Agreement.is_licence());
    }

    #[test]
    fn joined_names_split_only_between_licences() {
        assert_eq!(split_joined("甲许可证和乙许可证"), ["甲许可证", "乙许可证"]);
        assert_eq!(split_joined("合作方和甲许可证"), ["合作方和甲许可证"]);
        let r = Requirement::AnyOf {
            choose: None,
            of: vec![
                Requirement::licence("甲许可证和乙许可证", "", ""),
                Requirement::licence("丙证", "", ""),
            ],
        };
        let Requirement::AnyOf { of, .. } = split_joined_licences(&r) else {
            panic!()
        };
        assert!(matches!(&of[0], Requirement::AllOf { of } if of.len() == 2));
    }

    #[test]
    fn roles_follow_the_tree() {
        let licence = |name: &str| Requirement::licence(name, "", "");
        let r = Requirement::AllOf {
            of: vec![
                licence("营业执照"),
                Requirement::AnyOf {
                    choose: None,
                    of: vec![licence("甲证"), licence("乙证"), licence("丙证")],
                },
                Requirement::When {
                    condition: "涉及线上交易".into(),
                    then: Box::new(licence("增值电信业务经营许可证")),
                },
            ],
        };
        let mut found = Vec::new();
        walk(&r, &Context::default(), &mut found);
        type Found<'a> = (&'a str, Role, Option<(u32, u32)>);
        let roles: Vec<Found> = found
            .iter()
            .map(|f| {
                let group = f.context.group.as_ref().map(|g| (g.pick, g.of));
                (f.licence.as_str(), f.context.role(), group)
            })
            .collect();
        assert_eq!(
            roles,
            [
                ("营业执照", Role::Required, None),
                ("甲证", Role::OneOf, Some((1, 3))),
                ("乙证", Role::OneOf, Some((1, 3))),
                ("丙证", Role::OneOf, Some((1, 3))),
                ("增值电信业务经营许可证", Role::Conditional, None),
            ]
        );
    }

    #[test]
    fn a_licence_every_alternative_names_is_required() {
        let licence = |name: &str| Requirement::licence(name, "", "");
        let both = |a: &str| Requirement::AllOf {
            of: vec![licence(a), licence("网络文化经营许可证")],
        };
        // 文娱 › 动漫: (互联网出版许可证 and 网络文化经营许可证) or (网络出版服务许可证 and 网络文化经营许可证).
        let r = Requirement::AnyOf {
            choose: None,
            of: vec![both("互联网出版许可证"), both("网络出版服务许可证")],
        };
        let mut found = Vec::new();
        walk(&r, &Context::default(), &mut found);
        let role = |name: &str| {
            found
                .iter()
                .find(|f| f.licence == name)
                .map(|f| f.context.role())
                .unwrap()
        };
        assert_eq!(role("网络文化经营许可证"), Role::Required);
        assert_eq!(role("互联网出版许可证"), Role::OneOf);
    }

    #[test]
    fn a_required_licence_keeps_which_wording_goes_with_which_condition() {
        let when = |condition: &str, before: &str| Requirement::When {
            condition: condition.into(),
            then: Box::new(Requirement::licence("出版物经营许可证", before, "")),
        };
        let as_written = |of: Vec<Requirement>| {
            let r = Requirement::AnyOf { choose: None, of };
            let mut found = Vec::new();
            walk(&r, &Context::default(), &mut found);
            assert_eq!(found.len(), 1, "{found:?}");
            assert_eq!(found[0].context.role(), Role::Required);
            found.remove(0).as_written
        };
        // raw/service-categories.md:236: 批发 the provincial, 零售 the county licence.
        assert_eq!(
            as_written(vec![when("批发", "省级的"), when("零售", "县级的")]),
            "批发：省级的《出版物经营许可证》 或 零售：县级的《出版物经营许可证》"
        );
        // Written alike in both: the conditions would tell nothing.
        assert_eq!(
            as_written(vec![when("批发", ""), when("零售", "")]),
            "《出版物经营许可证》"
        );
        // An alternative without a condition is written as it is.
        assert_eq!(
            as_written(vec![
                when("批发", "省级的"),
                Requirement::licence("出版物经营许可证", "", "")
            ]),
            "批发：省级的《出版物经营许可证》 或 《出版物经营许可证》"
        );
    }

    #[test]
    fn a_licence_with_an_alternative_in_every_branch_is_not_required() {
        let licence = |name: &str| Requirement::licence(name, "", "");
        let licence_or_document = Requirement::AnyOf {
            choose: None,
            of: vec![
                licence("金融许可证"),
                Requirement::Document {
                    text: "地方资产管理公司文件".into(),
                },
            ],
        };
        // 金融资产管理 (notice line 30): each branch takes the licence or a document.
        let r = Requirement::AnyOf {
            choose: None,
            of: vec![
                Requirement::When {
                    condition: "金融资产管理公司".into(),
                    then: Box::new(licence_or_document.clone()),
                },
                Requirement::When {
                    condition: "金融资产管理公司合作平台".into(),
                    then: Box::new(Requirement::AllOf {
                        of: vec![licence_or_document, licence("合作协议")],
                    }),
                },
            ],
        };
        let mut found = Vec::new();
        walk(&r, &Context::default(), &mut found);
        let roles: Vec<Role> = found
            .iter()
            .filter(|f| f.licence == "金融许可证")
            .map(|f| f.context.role())
            .collect();
        assert_eq!(roles, [Role::Conditional, Role::Conditional]);
    }

    #[test]
    fn suggestions_pair_names_that_differ_by_a_suffix() {
        let entry = |licence: &str| LicenceEntry {
            licence: licence.into(),
            kind: LicenceKind::of(licence),
            aliases: vec![],
            categories: 0,
            sources: vec![],
            note: String::new(),
        };
        let entries = [entry("甲资格证"), entry("甲资格证书"), entry("乙许可证")];
        let s = alias_suggestions(&entries);
        assert_eq!(s.len(), 1);
        assert_eq!(
            (s[0].licence.as_str(), s[0].similar.as_str()),
            ("甲资格证", "甲资格证书")
        );
    }
}
