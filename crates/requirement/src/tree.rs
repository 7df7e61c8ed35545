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

use crate::grammar::{Nesting, MAX_DEPTH};
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
    reader.node(root, root.has_line(), 0)
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

/// The notes of `root`'s nodes in postorder (children before their
/// parent), with a stack rather than recursion: a tree nested however deep
/// costs no stack.
fn collect_notes(root: &RequirementNode, out: &mut Vec<String>) {
    // A node, and whether its children have been visited.
    let mut stack: Vec<(&RequirementNode, bool)> = vec![(root, false)];
    while let Some((node, visited)) = stack.pop() {
        if !visited {
            stack.push((node, true));
            stack.extend(node.children.iter().rev().map(|child| (child, false)));
            continue;
        }
        for note in node.notes() {
            if !out.iter().any(|seen| **seen == **note) {
                out.push(note.to_string());
            }
        }
    }
}

/// A subtree's lines as [`RequirementNode::render`] writes them, without
/// their indentation (which would grow with the depth: a subtree this deep
/// would cost the square of its size), and how many there are. With a
/// stack, as it is written only where the tree is too deep to recurse.
fn written(node: &RequirementNode, has_line: bool) -> (String, usize) {
    enum Step<'a> {
        Node(&'a RequirementNode, bool),
        Notes(&'a RequirementNode),
    }
    let mut lines: Vec<String> = Vec::new();
    let mut stack = vec![Step::Node(node, has_line)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Node(node, has_line) => {
                if has_line {
                    lines.push(node.line().to_string());
                }
                stack.push(Step::Notes(node));
                stack.extend(node.children.iter().rev().map(|c| Step::Node(c, true)));
            }
            Step::Notes(node) => lines.extend(node.notes().iter().map(|n| format!("注:{n}"))),
        }
    }
    let count = lines.len();
    (lines.join("\n"), count)
}

struct Reader<'a> {
    grammar: &'a Grammar,
    /// The next line of the rendered block.
    line: usize,
    warnings: &'a mut Vec<Warning>,
}

impl Reader<'_> {
    /// The node's reading, at `depth` of the tree built.
    fn node(
        &mut self,
        node: &RequirementNode,
        has_line: bool,
        depth: usize,
    ) -> Option<Requirement> {
        let line = self.line;
        if depth > MAX_DEPTH {
            // Too deep to read (the grammar's limit): kept as written.
            let (text, lines) = written(node, has_line);
            self.line += lines;
            self.warn_too_deep(line);
            return (!text.trim().is_empty()).then_some(Requirement::Unparsed { text });
        }
        if has_line {
            self.line += 1;
        }
        let read = if node.children.is_empty() {
            // The notes' additions may make the leaf one member of an all-of.
            self.leaf(node.text(), line, depth + 1)
                .map(|leaf| self.with_notes_that_require(leaf, node, depth + 1, line))
        } else {
            self.branch(node, line, depth)
        };
        self.line += node.notes().len();
        read
    }

    fn warn_too_deep(&mut self, line: usize) {
        if !self.warnings.iter().any(|w| w.line == line) {
            self.warnings.push(Warning {
                line,
                message: grammar::too_deep(),
            });
        }
    }

    /// `read` and what the node's notes ask for besides
    /// ([`required_by_note`]), all required; the additions at `depth`.
    fn with_notes_that_require(
        &mut self,
        read: Requirement,
        node: &RequirementNode,
        depth: usize,
        line: usize,
    ) -> Requirement {
        let mut nesting = Nesting::default();
        let added: Vec<Requirement> = node
            .notes()
            .iter()
            .filter_map(|note| required_by_note(self.grammar, note, depth, &mut nesting))
            .collect();
        if nesting.exceeded {
            self.warn_too_deep(line);
        }
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

    fn leaf(&mut self, text: &str, line: usize, depth: usize) -> Option<Requirement> {
        let (text, repairs) = brackets::repair(&collapse_whitespace(text));
        self.warnings
            .extend(repairs.into_iter().map(|message| Warning { line, message }));
        if text.is_empty() {
            return None;
        }
        let mut nesting = Nesting::default();
        let read = self.grammar.read_item(&text, depth, &mut nesting);
        if nesting.exceeded {
            self.warn_too_deep(line);
        }
        Some(read)
    }

    fn branch(&mut self, node: &RequirementNode, line: usize, depth: usize) -> Option<Requirement> {
        let heading = heading(node.text());
        // Below the heading's node, the all-of of the notes' additions and
        // the group: the children are at most three levels down.
        let group = depth + usize::from(heading != Heading::None) + 1;
        let mut of: Vec<Requirement> = node
            .children
            .iter()
            .filter_map(|child| self.node(child, true, group + 1))
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
        let inner = self.with_notes_that_require(inner, node, group, line);
        Some(match heading {
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
fn required_by_note(
    grammar: &Grammar,
    note: &str,
    depth: usize,
    nesting: &mut Nesting,
) -> Option<Requirement> {
    let note = collapse_whitespace(note);
    let note = grammar::strip_number(note.trim_start_matches(|c| ('①'..='⑳').contains(&c)));
    grammar.required_when(note, depth, nesting)
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
