//! The text of an element: `<br>` and block boundaries are line breaks,
//! markup is ignored, entities are decoded (by the HTML parser), whitespace
//! is collapsed within each line and empty lines are dropped.

use crate::dom::{Edge, ElementRef, NodeRef};

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "blockquote",
];

/// Lines of text of `element`, joined by `\n`.
///
/// ```
/// let parsed = leimu_html::locate::parse_fragment("<p><a href='#'>1.&#x300A;甲&#x300B; <br>\n  2. 乙</a></p>");
/// let root = parsed.dom.root_element().unwrap();
/// let p = root.descendant_elements().find(|e| e.name() == "p").unwrap();
/// assert_eq!(leimu_html::text::cell_text(p), "1.《甲》\n2. 乙");
/// ```
pub fn cell_text(element: ElementRef<'_>) -> String {
    let mut out = String::new();
    push_cell_text(element, &mut out);
    out
}

/// Appends the lines of text of `element` to `out` (as [`cell_text`] makes
/// them), so that many cells can share one buffer.
pub fn push_cell_text(element: ElementRef<'_>, out: &mut String) {
    let mut lines = Lines {
        out,
        start: 0,
        in_line: false,
        space: false,
    };
    lines.start = lines.out.len();
    collect(element.node(), &mut lines);
}

/// Text collapsed as it comes: runs of whitespace become one space within a
/// line, line ends are trimmed and empty lines dropped.
struct Lines<'a> {
    out: &'a mut String,
    /// Where this element's text starts in `out`.
    start: usize,
    /// The current line has a word.
    in_line: bool,
    /// Whitespace came after the last word.
    space: bool,
}

impl Lines<'_> {
    fn text(&mut self, text: &str) {
        for (i, word) in text.split(char::is_whitespace).enumerate() {
            if i > 0 {
                self.space = true;
            }
            if word.is_empty() {
                continue;
            }
            if self.in_line {
                if self.space {
                    self.out.push(' ');
                }
            } else if self.out.len() > self.start {
                self.out.push('\n');
            }
            self.out.push_str(word);
            self.in_line = true;
            self.space = false;
        }
    }

    fn line_break(&mut self) {
        self.in_line = false;
        self.space = false;
    }
}

/// The text of `node`'s descendants, in one walk without recursion (so
/// that deep nesting cannot exhaust the stack).
fn collect(node: NodeRef<'_>, out: &mut Lines) {
    let mut skipped: Option<NodeRef<'_>> = None; // a script, style or template being skipped
    for edge in node.traverse() {
        match edge {
            Edge::Open(child) if child == node || skipped.is_some() => {}
            Edge::Close(child) if child == node => {}
            Edge::Close(child) if skipped == Some(child) => skipped = None,
            Edge::Close(_) if skipped.is_some() => {}
            Edge::Open(child) => {
                if let Some(text) = child.as_text() {
                    out.text(text);
                } else if let Some(e) = child.as_element() {
                    match e.name() {
                        "br" => out.line_break(),
                        "script" | "style" | "template" => skipped = Some(child),
                        name if BLOCKS.contains(&name) => out.line_break(),
                        _ => {}
                    }
                }
            }
            Edge::Close(child) => {
                if child
                    .as_element()
                    .is_some_and(|e| BLOCKS.contains(&e.name()))
                {
                    out.line_break();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locate::parse_fragment;

    fn text_of(html: &str, name: &str) -> String {
        let parsed = parse_fragment(html);
        let element = parsed
            .dom
            .root_element()
            .unwrap()
            .descendant_elements()
            .find(|e| e.name() == name)
            .unwrap();
        cell_text(element)
    }

    #[test]
    fn blocks_and_breaks_are_lines_scripts_are_not_text() {
        let html = "<td>a<div>b</div>c<br>d<script>x</script><style>y</style><p>e<b>f</b></p></td>";
        assert_eq!(
            text_of(&format!("<table><tr>{html}</tr></table>"), "td"),
            "a\nb\nc\nd\nef"
        );
    }

    #[test]
    fn cell_text_is_words_between_single_spaces_and_line_breaks() {
        // Readers rely on it: collapsing a cell's whitespace is joining its lines.
        let html = "<td> a\u{3000}\u{a0} b<br> \n <b>c</b>d \t<p> </p>e&nbsp;&nbsp;f </td>";
        let text = text_of(&format!("<table><tr>{html}</tr></table>"), "td");
        assert_eq!(text, "a b\ncd\ne f");
        assert_eq!(
            leimu_model::collapse_whitespace(&text),
            text.replace('\n', " ")
        );
    }

    #[test]
    fn deep_nesting_does_not_exhaust_the_stack() {
        let depth = 20_000;
        let html = format!(
            "<div>{}x{}</div>",
            "<span>".repeat(depth),
            "</span>".repeat(depth)
        );
        assert_eq!(text_of(&html, "div"), "x");
    }
}
