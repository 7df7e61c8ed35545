//! Source lines of HTML elements.
//!
//! scraper builds a tree without positions, so the lines come from a second,
//! cheap pass of html5ever's tokenizer over the same text: the k-th start tag
//! `<tr>` in the source is the k-th `tr` element of the tree, as long as the
//! tree builder created no `tr` of its own (it does so only for a cell outside
//! any row). [`SourceLines::line`] checks that the counts agree and answers
//! `None` otherwise, so a line is never wrong, at worst unknown.

use std::cell::RefCell;
use std::collections::HashMap;

use ego_tree::NodeId;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use scraper::{ElementRef, Html};

/// Lines of the start tags of some elements of a parsed document.
pub struct SourceLines {
    by_element: HashMap<NodeId, u32>,
}

struct StartTags<'a> {
    names: &'a [&'a str],
    found: RefCell<Vec<(String, u32)>>,
}

impl TokenSink for StartTags<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let name: &str = &tag.name;
        if self.names.contains(&name) {
            let line = u32::try_from(line).unwrap_or(u32::MAX);
            self.found.borrow_mut().push((name.to_string(), line));
        }
        // Switch to the text states the tree builder would, so that markup
        // inside scripts or titles is not taken for tags.
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

impl SourceLines {
    /// Records the start-tag lines of `names` in `text`, and the order of the
    /// elements of those names in `html`, the tree parsed from `text`.
    pub fn new(text: &str, html: &Html, names: &[&str]) -> SourceLines {
        let sink = StartTags {
            names,
            found: RefCell::new(Vec::new()),
        };
        let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
        let queue = BufferQueue::default();
        queue.push_back(StrTendril::from(text));
        let _ = tokenizer.feed(&queue);
        tokenizer.end();
        let mut lines: HashMap<String, Vec<u32>> = HashMap::new();
        for (name, line) in tokenizer.sink.found.into_inner() {
            lines.entry(name).or_default().push(line);
        }
        let mut elements: HashMap<String, Vec<NodeId>> = HashMap::new();
        for element in html
            .root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
        {
            let name = element.value().name();
            if names.contains(&name) {
                elements
                    .entry(name.to_string())
                    .or_default()
                    .push(element.id());
            }
        }
        let mut by_element = HashMap::new();
        for (name, ids) in elements {
            match lines.get(&name) {
                Some(found) if found.len() == ids.len() => {
                    by_element.extend(ids.into_iter().zip(found.iter().copied()))
                }
                _ => {} // the tree builder made elements of its own: lines unknown
            }
        }
        SourceLines { by_element }
    }

    /// The 1-based line of `element`'s start tag, when it can be known.
    pub fn line(&self, element: ElementRef) -> Option<u32> {
        self.by_element.get(&element.id()).copied()
    }
}
