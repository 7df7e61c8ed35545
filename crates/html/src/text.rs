//! The text of an element: `<br>` and block boundaries are line breaks,
//! markup is ignored, entities are decoded (by the HTML parser), whitespace
//! is collapsed within each line and empty lines are dropped.

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

fn collect(node: NodeRef<'_, Node>, out: &mut String) {
    for child in node.children() {
        match child.value() {
            Node::Text(text) => out.push_str(&text.replace('\n', " ")),
            Node::Element(e) if e.name() == "br" => out.push('\n'),
            Node::Element(e) if matches!(e.name(), "script" | "style" | "template") => {}
            Node::Element(e) => {
                let block = BLOCKS.contains(&e.name());
                if block {
                    out.push('\n');
                }
                collect(child, out);
                if block {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
}
