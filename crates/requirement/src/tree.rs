//! The notice's requirement trees as logic.
//!
//! A node's group is what the text states (`(2选1)` any-of with its
//! [`Choice`](crate::Choice), `同时提供` all-of). A node whose text states
//! none combines its items as a flat text's numbered lines do: alternatives
//! when every item is a condition (`一、使用自研技术… 二、使用第三方技术…`).
//! A node's own text before its children is their condition, unless it only
//! introduces a list (`申请邮件必须附上以下资料`). Leaves are read by the
//! flat grammar.

use leimu_model::{collapse_whitespace, Group, RequirementNode};

use crate::{brackets, unstated_group, Grammar, Requirement, Warning};

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
        } else {
            self.branch(node)
        };
        self.line += node.notes().len();
        read
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
        Some(match condition(node.text()) {
            Some(condition) => Requirement::When {
                condition,
                then: Box::new(inner),
            },
            None => inner,
        })
    }
}

/// The condition a node's text states for its children: `自营型提供` →
/// `自营型`; none for an empty text or one that introduces a list.
fn condition(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches("提供").trim_end_matches('需');
    let text = text.trim_end_matches([',', '，', ':', '：']).trim();
    // `申请邮件必须附上以下资料` introduces a list; it is no condition.
    (!text.is_empty() && !text.contains("以下")).then(|| text.to_string())
}
