//! The text of an element: `<br>` and block boundaries are line breaks,
//! markup is ignored, entities are decoded (by the HTML parser), whitespace
//! is collapsed within each line and empty lines are dropped.

use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use leimu_model::collapse_whitespace;
use scraper::{ElementRef, Node};

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
/// let html = scraper::Html::parse_fragment("<p><a href='#'>1.&#x300A;甲&#x300B; <br>\n  2. 乙</a></p>");
/// let td = html.select(&scraper::Selector::parse("p").unwrap()).next().unwrap();
/// assert_eq!(leimu_html::text::cell_text(td), "1.《甲》\n2. 乙");
/// ```
pub fn cell_text(element: ElementRef<'_>) -> String {
    let mut raw = String::new();
    collect(*element, &mut raw);
    raw.split('\n')
        .map(collapse_whitespace)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The raw text of `node`'s descendants, in one walk without recursion (so
/// that deep nesting cannot exhaust the stack).
fn collect(node: NodeRef<'_, Node>, out: &mut String) {
    let mut skipped: Option<NodeRef<'_, Node>> = None; // a script, style or template being skipped
    for edge in node.traverse() {
        match edge {
            Edge::Open(child) if child == node || skipped.is_some() => {}
            Edge::Close(child) if child == node => {}
            Edge::Close(child) if skipped == Some(child) => skipped = None,
            Edge::Close(_) if skipped.is_some() => {}
            Edge::Open(child) => match child.value() {
                Node::Text(text) => out.push_str(&text.replace('\n', " ")),
                Node::Element(e) if e.name() == "br" => out.push('\n'),
                Node::Element(e) if matches!(e.name(), "script" | "style" | "template") => {
                    skipped = Some(child)
                }
                Node::Element(e) if BLOCKS.contains(&e.name()) => out.push('\n'),
                _ => {}
            },
            Edge::Close(child) => {
                if let Node::Element(e) = child.value() {
                    if BLOCKS.contains(&e.name()) {
                        out.push('\n');
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn text_of(html: &str, selector: &str) -> String {
        let doc = Html::parse_fragment(html);
        let element = doc
            .select(&Selector::parse(selector).unwrap())
            .next()
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
