//! The notice's requirement trees as logic.
//!
//! A node's group is what the text states (`(2选1)` any-of with its
//! [`Choice`](crate::Choice), `同时提供` all-of). A node whose text states
//! none combines its items as a flat text's numbered lines do: alternatives
//! when every item is a condition (`一、使用自研技术… 二、使用第三方技术…`).
//! A `注:` line that asks for a document under a condition
//! (`若X,需同时提供Y`, the shape of a flat text's `（涉及X提交Y）`) adds it
//! beside the children; every note stays a note.
//! A node's own text before its children is their condition, unless it only
//! introduces a list (`申请邮件必须附上以下资料`) or names documents: then it
//! is their title (`该资质主体公司的经营国际客运许可证件(④选①):`). Leaves are read by the
//! flat grammar.

use leimu_model::{collapse_whitespace, ends_like_document, Group, RequirementNode};

use crate::{brackets, grammar, unstated_group, Grammar, Requirement, Warning};

/// Reads `root`; warnings carry the line of [`RequirementNode::render`].
pub(crate) fn read(
    grammar: &Grammar,
    root: &RequirementNode,
    warnings: &mut Vec<Warning>,
) -> Option<Requirement> {
    let mut reader = Reader {
        grammar,
        line: 0,
        warnings,
    };
    // An unwritten root (a block without a marker line) has no line of its own.
    reader.node(root, root.has_line())
}

/// Every `注:` line of the tree, in the order of [`RequirementNode::render`]
/// (a node's notes after its children's), each once: the notice repeats a
/// note under each branch it qualifies, a category's notes need it once.
///
/// ```
/// use leimu_model::RequirementNode;
///
/// let mut root = RequirementNode::default();
/// root.children = vec![RequirementNode::new("", "《营业执照》", "《营业执照》")].into();
/// root.set_notes(vec!["若《营业执照》无经营许可信息,需同时补充…".into()]);
/// assert_eq!(leimu_requirement::notes(&root), ["若《营业执照》无经营许可信息,需同时补充…"]);
/// ```
pub fn notes(node: &RequirementNode) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    collect_notes(node, &mut out);
    out
}

fn collect_notes(node: &RequirementNode, out: &mut Vec<String>) {
    for child in &node.children {
        collect_notes(child, out);
    }
    for note in node.notes() {
        if !out.iter().any(|seen| **seen == **note) {
            out.push(note.to_string());
        }
    }
}

struct Reader<'a> {
    grammar: &'a Grammar,
    /// The next line of the rendered block.
    line: usize,
    warnings: &'a mut Vec<Warning>,
}

impl Reader<'_> {
    fn node(&mut self, node: &RequirementNode, has_line: bool) -> Option<Requirement> {
        let line = self.line;
        if has_line {
            self.line += 1;
        }
        let read = if node.children.is_empty() {
            self.leaf(node.text(), line)
                .map(|leaf| self.with_notes_that_require(leaf, node))
        } else {
            self.branch(node)
        };
        self.line += node.notes().len();
        read
    }

    /// `read` and what the node's notes ask for besides
    /// ([`required_by_note`]), all required.
    fn with_notes_that_require(&self, read: Requirement, node: &RequirementNode) -> Requirement {
        let added: Vec<Requirement> = node
            .notes()
            .iter()
            .filter_map(|note| required_by_note(self.grammar, note))
            .collect();
        if added.is_empty() {
            return read;
        }
        let mut of = match read {
            Requirement::AllOf { of } => of,
            other => vec![other],
        };
        of.extend(added);
        Requirement::AllOf { of }
    }

    fn leaf(&mut self, text: &str, line: usize) -> Option<Requirement> {
        let (text, repairs) = brackets::repair(&collapse_whitespace(text));
        self.warnings
            .extend(repairs.into_iter().map(|message| Warning { line, message }));
        (!text.is_empty()).then(|| self.grammar.read_item(&text))
    }

    fn branch(&mut self, node: &RequirementNode) -> Option<Requirement> {
        let mut of: Vec<Requirement> = node
            .children
            .iter()
            .filter_map(|child| self.node(child, true))
            .collect();
        if of.is_empty() {
            return None;
        }
        let inner = match node.group {
            Some(Group::AnyOf { choose }) => Requirement::AnyOf { choose, of },
            _ if of.len() == 1 => of.remove(0),
            Some(Group::AllOf) => Requirement::AllOf { of },
            None => unstated_group(of),
        };
        // The notes under the children qualify them, inside the heading.
        let inner = self.with_notes_that_require(inner, node);
        Some(match heading(node.text()) {
            Heading::Condition(condition) => Requirement::When {
                condition,
                then: Box::new(inner),
            },
            Heading::Title(title) => Requirement::Titled {
                title,
                then: Box::new(inner),
            },
            Heading::None => inner,
        })
    }
}

/// What a `注:` line asks for besides the listed documents: numbered or
/// not, a condition asking for one more document, read as the
/// parentheticals of flat texts are ([`Grammar::required_when`]):
/// `若X,需(同时)(补充)提供Y` is Y when X (商用设备机械销售:
/// `若《营业执照》无经营许可信息,需同时补充提供官网查询许可经营范围截图`). A note
/// that asks for something else (`需补充【…】类目`, another category;
/// `如需申请,需提供申请邮件至…`, an action) or states a fact is none; it
/// stays a note either way.
fn required_by_note(grammar: &Grammar, note: &str) -> Option<Requirement> {
    let note = collapse_whitespace(note);
    let note = grammar::strip_number(note.trim_start_matches(|c| ('①'..='⑳').contains(&c)));
    grammar.required_when(note)
}

/// What a node's text says about its children.
#[derive(Debug, PartialEq, Eq)]
enum Heading {
    /// When they apply: `自营型提供` → `自营型`.
    Condition(String),
    /// What they are: a text that names documents
    /// (`该资质主体公司的经营国际客运许可证件`) describes its children,
    /// it does not select them.
    Title(String),
    /// Nothing: an empty text, or one that only introduces a list
    /// (`申请邮件必须附上以下资料`).
    None,
}

/// Verbs that make a text ending in a document a condition about holding it
/// (`已取得《食品经营许可证》`, `具备相关资质`), not a name of documents.
const HOLDING: [&str; 7] = ["取得", "具备", "具有", "持有", "拥有", "获得", "已有"];

/// True for a noun phrase that names documents (`该资质主体公司的经营国际客运
/// 许可证件`): it ends like a document, names no licence in 《》 and says
/// nothing of holding one.
fn names_documents(text: &str) -> bool {
    ends_like_document(text) && !text.contains('《') && !HOLDING.iter().any(|v| text.contains(v))
}

fn heading(text: &str) -> Heading {
    // `…提供`, `…需：`, `…,`: what introduces the children, in any order.
    let mut text = text.trim();
    loop {
        let before = text;
        text = text
            .trim_end_matches([',', '，', ':', '：'])
            .trim_end()
            .trim_end_matches("提供")
            .trim_end_matches('需');
        if text == before {
            break;
        }
    }
    if text.is_empty() || text.contains("以下") {
        Heading::None
    } else if names_documents(text) {
        Heading::Title(text.to_string())
    } else {
        Heading::Condition(text.to_string())
    }
}
