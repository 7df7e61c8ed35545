//! Text rules every source shares.

use std::borrow::Cow;

/// Collapses every run of whitespace (including full-width spaces and line
/// breaks) to one ASCII space and trims the ends.
///
/// ```
/// assert_eq!(leimu_model::collapse_whitespace("  《A》 \n\u{3000} 或《B》 "), "《A》 或《B》");
/// ```
pub fn collapse_whitespace(text: &str) -> String {
    let trimmed = text.trim();
    if is_collapsed(trimmed) {
        // Most text is already collapsed: one copy, no list of words.
        return trimmed.to_string();
    }
    // `join` sizes the string exactly.
    trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Appends [`collapse_whitespace`]`(text)` to `out`, with no copy in between.
pub fn push_collapsed(out: &mut String, text: &str) {
    let trimmed = text.trim();
    if is_collapsed(trimmed) {
        out.push_str(trimmed);
        return;
    }
    push_words(out, trimmed.split_whitespace());
}

/// Appends `words` to `out`, one ASCII space between two.
pub fn push_words<'a>(out: &mut String, words: impl IntoIterator<Item = &'a str>) {
    for (n, word) in words.into_iter().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// [`collapse_whitespace`] without a copy when `text` is already collapsed
/// (trimmed of nothing else): for text that is mostly kept as it is.
pub fn collapsed(text: &str) -> Cow<'_, str> {
    let trimmed = text.trim();
    if is_collapsed(trimmed) {
        Cow::Borrowed(trimmed)
    } else {
        let mut out = String::with_capacity(trimmed.len());
        push_words(&mut out, trimmed.split_whitespace());
        Cow::Owned(out)
    }
}

/// True when every whitespace character of `trimmed` is a single ASCII
/// space, as [`collapse_whitespace`] leaves it.
fn is_collapsed(trimmed: &str) -> bool {
    let mut after_space = false;
    for c in trimmed.chars() {
        if c.is_whitespace() {
            if c != ' ' || after_space {
                return false;
            }
            after_space = true;
        } else {
            after_space = false;
        }
    }
    true
}

/// True for the cell values the documents use for "none": `/` (also full-width).
pub fn is_none_marker(text: &str) -> bool {
    matches!(text.trim(), "/" | "／")
}

/// The value written to outputs: the collapsed text, or empty for a none marker.
pub fn value_or_empty(text: &str) -> String {
    if is_none_marker(text) {
        String::new()
    } else {
        collapse_whitespace(text)
    }
}

/// The names inside 《》 in `text`, in order of first appearance, without duplicates.
///
/// Whitespace inside a name is collapsed; an unclosed 《 contributes nothing.
///
/// ```
/// let found = leimu_model::licences("提供《金融许可证》或《 金融机构许可证 》及《金融许可证》");
/// assert_eq!(found, vec!["金融许可证", "金融机构许可证"]);
/// ```
pub fn licences(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('《') {
        let after = &rest[open + '《'.len_utf8()..];
        let Some(close) = after.find('》') else {
            break;
        };
        // `《甲）…《乙》`: the first 《 is never closed; start again at the inner one.
        if let Some(inner) = after[..close].find('《') {
            rest = &after[inner..];
            continue;
        }
        let name = collapse_whitespace(&after[..close]);
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
        rest = &after[close + '》'.len_utf8()..];
    }
    names
}

/// True for the last character of a document's name: `》`, or a document
/// word such as 证, 书, 文, 件, 照, 函, 明 (证明), 单 (清单), 议 (协议).
pub fn ends_document_char(c: char) -> bool {
    "》证书文件照函明单图料可据表录同议案诺码册识质权".contains(c)
}

/// Document words whose last character ends too many other words to be in
/// [`ends_document_char`] (本 of 样本 also ends 日本, 成本).
const DOCUMENT_WORDS: [&str; 2] = ["样本", "副本"];

/// True when `text`, without trailing punctuation, parentheticals and
/// `且…`/`，并…` qualifiers after a 》, ends like the name of a document.
///
/// Parsers use it to tell a connective between two documents
/// (`《甲证》或《乙证》`) from one inside a phrase (`设立或授权的…文件`).
///
/// ```
/// use leimu_model::ends_like_document;
/// assert!(ends_like_document("《网络文化经营许可证》（经营范围含网络表演）"));
/// assert!(ends_like_document("《营业执照》且经营范围包含“基金”"));
/// assert!(ends_like_document("卫健委批文"));
/// assert!(ends_like_document("与其中一家医院签订的协议样本"));
/// assert!(ends_like_document("《甲证》（适用于演出剧（节）目）"));
/// assert!(!ends_like_document("人民政府设立"));
/// ```
pub fn ends_like_document(text: &str) -> bool {
    let mut core = text
        .trim()
        .trim_end_matches(['，', ',', '；', ';', '。', '、'])
        .trim_end();
    // Each step only shortens the core from its end, so what a search found
    // stays found: the last 》 is searched again only once the core is cut
    // before it, and a `，并` only once (the core holds none after the first
    // search). Each part of the text is scanned a bounded number of times,
    // not once per trailing parenthetical (a text of thousands of them).
    let close_len = '》'.len_utf8();
    let mut last_close = core.rfind('》');
    let mut and_searched = false;
    loop {
        let before = core;
        if let Some(open) = trailing_parenthetical_start(core) {
            core = core[..open].trim_end();
        }
        if last_close.is_some_and(|close| close + close_len > core.len()) {
            last_close = core.rfind('》');
        }
        if let Some(close) = last_close {
            let tail = core[close + close_len..].trim_start_matches([',', '，']);
            if tail.starts_with(['且', '并']) {
                core = &core[..close + close_len];
            }
        }
        if !and_searched {
            and_searched = true;
            if let Some(i) = core.find("，并") {
                core = core[..i].trim_end();
            }
        }
        if core == before {
            break;
        }
    }
    core.chars().last().is_some_and(ends_document_char)
        || DOCUMENT_WORDS.iter().any(|word| core.ends_with(word))
}

/// Where the parenthetical that ends `text` opens, nested ones matched
/// (`（…剧（节）目）`).
fn trailing_parenthetical_start(text: &str) -> Option<usize> {
    let inner = text.strip_suffix('）').or_else(|| text.strip_suffix(')'))?;
    let mut depth = 0usize;
    for (at, c) in inner.char_indices().rev() {
        match c {
            '）' | ')' => depth += 1,
            '（' | '(' if depth == 0 => return Some(at),
            '（' | '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Byte offset → 1-based line number, for parsers that work on offsets.
///
/// ```
/// let index = leimu_model::LineIndex::new("a\nb\nc");
/// assert_eq!(index.line_of(0), 1);
/// assert_eq!(index.line_of(2), 2);
/// assert_eq!(index.line_of(4), 3);
/// ```
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// The line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> u32 {
        u32::try_from(self.starts.partition_point(|&s| s <= offset)).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`ends_like_document`] as it was written first: every search again
    /// on every step (quadratic in the number of trailing parentheticals).
    fn ends_like_document_by_rescanning(text: &str) -> bool {
        let mut core = text
            .trim()
            .trim_end_matches(['，', ',', '；', ';', '。', '、'])
            .trim_end();
        loop {
            let before = core;
            if let Some(open) = trailing_parenthetical_start(core) {
                core = core[..open].trim_end();
            }
            if let Some(close) = core.rfind('》') {
                let tail = core[close + '》'.len_utf8()..].trim_start_matches([',', '，']);
                if tail.starts_with(['且', '并']) {
                    core = &core[..close + '》'.len_utf8()];
                }
            }
            if let Some(i) = core.find("，并") {
                core = core[..i].trim_end();
            }
            if core == before {
                break;
            }
        }
        core.chars().last().is_some_and(ends_document_char)
            || DOCUMENT_WORDS.iter().any(|word| core.ends_with(word))
    }

    #[test]
    fn searching_once_reads_as_searching_on_every_step() {
        let pieces = [
            "《甲证》",
            "乙证",
            "（",
            "）",
            "(",
            ")",
            "，并",
            "，",
            "且",
            "并",
            "批文",
            "盖章",
            "协议",
            "》",
            "《",
            "；",
            "。",
            "a",
            " ",
        ];
        let mut rng = fastrand::Rng::with_seed(13);
        for _ in 0..50_000 {
            let text: String = (0..rng.usize(0..14))
                .map(|_| pieces[rng.usize(0..pieces.len())])
                .collect();
            assert_eq!(
                ends_like_document(&text),
                ends_like_document_by_rescanning(&text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn none_markers() {
        assert!(is_none_marker("/"));
        assert!(is_none_marker(" ／ "));
        assert!(!is_none_marker("寄件/收件"));
        assert!(!is_none_marker(""));
        assert_eq!(value_or_empty(" / "), "");
        assert_eq!(value_or_empty("a  b"), "a b");
    }

    /// The shortcut for collapsed text gives what joining the words gives.
    #[test]
    fn collapse_whitespace_is_words_joined() {
        let ws = [
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "\u{3000}",
            "\u{a0}",
            "\u{2028}",
            " \u{3000}",
        ];
        let words = ["", "a", "《甲》", "乙 丙"];
        for lead in ws.iter().chain([&""]) {
            for w1 in words {
                for mid in ws {
                    for w2 in words {
                        let text = format!("{lead}{w1}{mid}{w2}{lead}");
                        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
                        let collapsed = collapse_whitespace(&text);
                        assert_eq!(collapsed, joined, "{text:?}");
                        assert_eq!(collapsed.capacity(), collapsed.len(), "{text:?}");
                        let mut pushed = String::from("x");
                        push_collapsed(&mut pushed, &text);
                        assert_eq!(pushed, format!("x{joined}"), "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn licences_keep_first_appearance_order() {
        assert_eq!(
            licences("《B》和《A》或《B》和《C》"),
            vec!["B".to_string(), "A".into(), "C".into()]
        );
        assert!(licences("营业执照").is_empty());
        assert!(licences("《未闭合").is_empty());
        assert_eq!(licences("《》《X》"), vec!["X".to_string()]);
        assert_eq!(
            licences("《甲证）（适用于乙）或《丙证》"),
            vec!["丙证".to_string()]
        );
    }
}
