//! The `text-guide` parser: the filing guide (小程序备案服务内容选择指引), a
//! table whose cells were pasted as plain text.
//!
//! After a preamble (each of its lines reported as skipped) and the
//! column-header line (`一级类目 二级类目 …`), the file is a sequence of
//! entries:
//!
//! ```text
//! [一级类目] 二级类目 释义 [个人备案:…]      first line
//! N、name:text                            more numbered items of 释义
//! 个人备案:…                              unless at the end of the line above
//! 单位备案:…
//! 备注                                    `/`, one line, or several lines
//! ```
//!
//! The rules, none of which names a category:
//!
//! * **Anchors.** Every entry has exactly one `单位备案:` line, preceded by the
//!   line that holds `个人备案:`. Entries are found from these anchors.
//! * **Where an entry begins.** Its description ends on the `个人备案` line (or
//!   the line before, when that line holds only the advice). Walking back from
//!   there over numbered items `N、` counting down, the line holding item 1
//!   after its names is the first line. A description that is not numbered
//!   is one line. Everything between the previous `单位备案:` line and this
//!   first line is the previous entry's remark — which may itself be
//!   numbered (`1、从事网络文学内容…`) without being confused with a
//!   description, because numbering is only followed back from an anchor.
//! * **Level 1 or level 2.** On a first line with three or more words, the
//!   first is a level-1 name and the second a level-2 name, unless the second
//!   reads as description: it contains `适用于`, a `:` or sentence punctuation
//!   (`,` `，` `。` `;`), starts a numbered item, or is `/`. Then the first word
//!   is the level-2 name and the level-1 name is inherited from the entry
//!   above; so is it on a first line of two words (`游戏 网络游戏类`,
//!   `其他 适用于以上类目…`). `其他` is thus a level-2 name under every group
//!   and a level-1 name where a level-2 name follows it (`其他 宗教信息 …`).
//! * `/` means none; a lone `/` remark is empty.
//! * **Damage is reported, never guessed around.** Advice with no line of
//!   names before it is unplaced, with its remark. Advice that stops at a
//!   comma (`单位备案:可选,`) and an entry without a remark line, not even
//!   `/`, are noted: the text looks cut off. Item numbers are read by value
//!   (`02、` is item 2; `0、` is no step in a countdown).
//! * NUL characters are removed first, with a note per line.
//!
//! Every line after the header belongs to exactly one entry (its first line
//! up to the line before the next entry's first line), or is reported.

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use leimu_model::{
    collapsed, push_collapsed, push_words, Advice, DiagnosticKind, DocumentInfo, FilingEntry,
    FilingExtraction, ItemPlaces, ParseError, Piece, Provenance, Text,
};

/// Source-specific columns, in CSV order.
pub const COLUMNS: [&str; 10] = [
    "source",
    "line",
    "level1",
    "level2",
    "description",
    "personal",
    "unit",
    "remark",
    "personal_advice",
    "unit_advice",
];

const PERSONAL: &str = "个人备案:";
const UNIT: &str = "单位备案:";

// The advice markers are searched for in every entry; their searchers are
// built once (building `str`'s searcher per call cost as much as the search).
static PERSONAL_FINDER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(PERSONAL));
static UNIT_FINDER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(UNIT));
const NOT_FOR_INDIVIDUALS: [&str; 2] = ["(个人主体不可从事)", "（个人主体不可从事）"];

/// Extracts the entries of a filing guide.
///
/// ```
/// use leimu_model::{Advice, DocumentInfo};
///
/// let doc = DocumentInfo { source: "g".into(), file: "g.txt".into(), default_subject: None };
/// let text = "一级类目 二级类目 服务类目释义(供参考) 具体选择(供参考) 备注\n\
///             餐饮 点餐 1、点餐:适用于点餐\n2、外卖:适用于外卖(个人主体不可从事)\n个人备案:不建议选择\n单位备案:可选,需符合单位经营范围\n/\n\
///             其他 适用于以上类目未能覆盖的情况 个人备案:可选,符合个人性质\n单位备案:可选\n/\n";
/// let out = leimu_guide::parse(&doc, text).unwrap();
/// assert_eq!(out.entries[1].level1, "餐饮");
/// assert_eq!(&*out.entries[1].level2, "其他");
/// assert!(!out.entries[0].items().nth(1).unwrap().personal_allowed);
/// assert_eq!(out.entries[1].personal_advice, Some(Advice::OptionalIfIndividualNature));
/// ```
pub fn parse(doc: &DocumentInfo, text: &str) -> Result<FilingExtraction, ParseError> {
    let (text, nul) = leimu_model::without_nul(doc, text);
    let mut out = read_guide(doc, &text)?;
    out.diagnostics.splice(0..0, nul);
    Ok(out)
}

fn read_guide(doc: &DocumentInfo, text: &str) -> Result<FilingExtraction, ParseError> {
    let error = |line: usize, message: &str| ParseError {
        file: doc.file.clone(),
        line: u32::try_from(line).unwrap_or(u32::MAX),
        message: message.to_string(),
    };
    let mut lines = text.lines().map(str::trim).enumerate();
    let mut preamble = Vec::new();
    let header = loop {
        match lines.next() {
            Some((i, l)) if l.starts_with("一级类目") && l.contains("二级类目") => break i,
            Some((i, l)) => preamble.push((i, l)),
            None => {
                return Err(error(
                    0,
                    "no column header line (一级类目 二级类目 …) found",
                ))
            }
        }
    };

    let mut reader = Reader {
        doc,
        out: FilingExtraction::default(),
        level1: None,
        advice_texts: Vec::new(),
    };
    // The title and the remarks above the table are no entry, but a reader
    // should see them (`…最终以平台审核时的要求和管局审核结果为准`).
    for (i, line) in preamble.into_iter().filter(|(_, l)| !l.is_empty()) {
        let message = format!("preamble, not an entry: {line}");
        reader.diagnostic(i, DiagnosticKind::Skipped, message);
    }
    let mut window = Window::starting_at(header + 1);
    let mut previous_end = header + 1; // first line not yet owned by an entry
    let mut pending: Option<EntryLines> = None;
    for (unit, line) in lines {
        window.push(line);
        if !line.starts_with(UNIT) {
            continue;
        }
        let entry = EntryLines::ending_at(&window, previous_end, unit);
        let first = entry.description.start;
        if let Some(previous) = pending.take() {
            reader.finish(&window, previous, previous_end..first);
        } else {
            reader.unplaced(
                &window,
                previous_end..first,
                "line between the header and the first entry",
            );
        }
        window.forget_before(first);
        pending = Some(entry);
        previous_end = unit + 1;
    }
    let Some(entry) = pending else {
        return Err(error(
            header + 1,
            "no entry (no `单位备案:` line) after the header",
        ));
    };
    reader.finish(&window, entry, previous_end..window.end());
    Ok(reader.out)
}

/// The lines read but not yet given to an entry or a diagnostic, by their
/// 0-based index in the document: the entry in progress and what follows
/// it, so that the document's lines are never all held at once.
struct Window<'t> {
    first: usize,
    lines: Vec<&'t str>,
}

impl<'t> Window<'t> {
    fn starting_at(first: usize) -> Window<'t> {
        Window {
            first,
            lines: Vec::new(),
        }
    }

    fn push(&mut self, line: &'t str) {
        self.lines.push(line);
    }

    /// The index after the last line read.
    fn end(&self) -> usize {
        self.first + self.lines.len()
    }

    /// Drops the lines before `index`, all read.
    fn forget_before(&mut self, index: usize) {
        self.lines.drain(..index - self.first);
        self.first = index;
    }

    fn range(&self, range: std::ops::Range<usize>) -> &[&'t str] {
        &self.lines[range.start - self.first..range.end - self.first]
    }
}

impl<'t> std::ops::Index<usize> for Window<'t> {
    type Output = &'t str;

    fn index(&self, index: usize) -> &&'t str {
        &self.lines[index - self.first]
    }
}

/// The lines of an entry up to its `单位备案:` line, as indices into the
/// document's lines.
struct EntryLines {
    /// The first line (names, maybe the start of the description) up to the
    /// last description line; empty when nothing precedes the advice.
    description: std::ops::Range<usize>,
    personal: Option<usize>,
    unit: usize,
}

impl EntryLines {
    /// The entry whose `单位备案:` line is `unit`, on lines not before `floor`.
    fn ending_at(lines: &Window, floor: usize, unit: usize) -> EntryLines {
        let personal = (unit > floor && lines[unit - 1].contains(PERSONAL)).then(|| unit - 1);
        // The description ends on the `个人备案` line, or the line before
        // when that line holds only the advice.
        let description_end = match personal {
            Some(p) if lines[p].starts_with(PERSONAL) => p,
            Some(p) => p + 1,
            None => unit,
        };
        let candidates = lines.range(floor..description_end.max(floor));
        EntryLines {
            description: floor + first_line(candidates)..description_end.max(floor),
            personal,
            unit,
        }
    }
}

struct Reader<'a> {
    doc: &'a DocumentInfo,
    out: FilingExtraction,
    /// The level-1 name entries inherit, one copy for all of them.
    level1: Option<Text>,
    /// The advice texts met so far, so that entries share one copy of each:
    /// advice is written in a few ways only (a handful in the real guide).
    /// Kept small: past `MAX_ADVICE_TEXTS`, texts are no longer added.
    advice_texts: Vec<Text>,
}

/// How many distinct advice texts [`Reader::shared_advice`] keeps.
const MAX_ADVICE_TEXTS: usize = 64;

impl Reader<'_> {
    fn diagnostic(&mut self, index: usize, kind: DiagnosticKind, message: String) {
        let diagnostic = self.doc.diagnostic(line_number(index), kind, message);
        self.out.diagnostics.push(diagnostic);
    }

    fn unplaced(&mut self, lines: &Window, range: std::ops::Range<usize>, why: &str) {
        for i in range {
            if !lines[i].is_empty() {
                self.diagnostic(i, DiagnosticKind::Unplaced, format!("{why}: {}", lines[i]));
            }
        }
    }

    /// Builds the entry whose remark occupies `remark_lines`.
    fn finish(&mut self, lines: &Window, entry: EntryLines, remark_lines: std::ops::Range<usize>) {
        // Description lines, with any inline `个人备案:` cut off.
        let description: Vec<&str> = lines
            .range(entry.description.clone())
            .iter()
            .map(|l| split_at_marker(l, &PERSONAL_FINDER).0.trim())
            .collect();
        let Some((first_line, description)) = description.split_first() else {
            let advice = entry.personal.unwrap_or(entry.unit);
            self.unplaced(
                lines,
                advice..remark_lines.end,
                "advice with no entry (names, description) before it",
            );
            return;
        };
        let first = entry.description.start;
        let words: Vec<&str> = first_line.split_whitespace().collect();
        let (level1, level2, first_description): (Option<&str>, &str, &[&str]) =
            match words.as_slice() {
                [] => (None, "", &[]),
                [a, b, rest @ ..] if !rest.is_empty() && is_name(b) => (Some(*a), *b, rest),
                [a, rest @ ..] => (None, *a, rest),
            };
        if let Some(l1) = level1 {
            if self.level1.as_deref() != Some(l1) {
                self.level1 = Some(Text::from(l1));
            }
        }
        let level1 = match &self.level1 {
            Some(l1) => l1.clone(),
            None => {
                self.diagnostic(
                    first,
                    DiagnosticKind::Note,
                    "entry without a level-1 name to inherit".into(),
                );
                Text::default()
            }
        };
        // The description's lines, collapsed, one per line: written into
        // one string (an entry's temporaries, freed at scale, cost more than
        // the entry's own allocations).
        let mut description_text = String::new();
        push_words(&mut description_text, first_description.iter().copied());
        for line in description.iter().filter(|l| !l.is_empty()) {
            if !description_text.is_empty() {
                description_text.push('\n');
            }
            push_collapsed(&mut description_text, line);
        }
        if description_text.is_empty() {
            self.diagnostic(
                first,
                DiagnosticKind::Note,
                format!("entry {level2} has no description, not even `/`"),
            );
        }
        let description = if description_text == "/" {
            String::new()
        } else {
            description_text
        };

        let personal = match entry.personal {
            Some(p) => self.shared_advice(advice_text(lines[p], &PERSONAL_FINDER)),
            None => {
                self.diagnostic(
                    entry.unit,
                    DiagnosticKind::Note,
                    "no `个人备案:` advice before this line".into(),
                );
                Text::default()
            }
        };
        let unit = self.shared_advice(advice_text(lines[entry.unit], &UNIT_FINDER));
        let personal_advice = self.advice(&personal, entry.personal.unwrap_or(entry.unit));
        let unit_advice = self.advice(&unit, entry.unit);

        let remark_indices: Vec<usize> = remark_lines.filter(|&i| !lines[i].is_empty()).collect();
        let remark_texts: Vec<Cow<str>> = remark_indices
            .iter()
            .map(|&i| collapsed(lines[i]))
            .collect();
        if remark_texts.len() > 1 && (remark_texts[0] == "/" || !remark_texts[0].contains(':')) {
            self.diagnostic(
                remark_indices[0],
                DiagnosticKind::Note,
                format!(
                    "remark of {level2} goes on for {} more line(s) after the one-line remark `{}`",
                    remark_texts.len() - 1,
                    remark_texts[0]
                ),
            );
        }
        let remark = if remark_texts.len() == 1 && remark_texts[0] == "/" {
            String::new()
        } else {
            remark_texts.join("\n")
        };
        let last = remark_indices.last().copied().unwrap_or(entry.unit);
        if remark_indices.is_empty() {
            self.diagnostic(
                entry.unit,
                DiagnosticKind::Note,
                format!("entry {level2} ends without a remark line, not even `/`: truncated?"),
            );
        }

        let item_places = split_items(&description);
        self.out.entries.push(FilingEntry {
            provenance: Provenance {
                source: self.doc.source.clone(),
                line: line_number(first),
            },
            last_line: line_number(last),
            level1,
            level2: level2.into(),
            description: description.into_boxed_str(),
            item_places: item_places.into_boxed_slice(),
            personal,
            unit,
            personal_advice,
            unit_advice,
            remark: remark.into_boxed_str(),
        });
    }

    /// `text` as a shared copy: the one kept for an equal text met before.
    fn shared_advice(&mut self, text: Cow<str>) -> Text {
        if text.is_empty() {
            return Text::default();
        }
        if let Some(known) = self.advice_texts.iter().find(|t| **t == *text) {
            return known.clone();
        }
        let text = Text::from(text.as_ref());
        if self.advice_texts.len() < MAX_ADVICE_TEXTS {
            self.advice_texts.push(text.clone());
        }
        text
    }

    fn advice(&mut self, text: &str, index: usize) -> Option<Advice> {
        if text.is_empty() {
            return None;
        }
        if text.ends_with([',', '，', '、', ':', '：']) {
            self.diagnostic(
                index,
                DiagnosticKind::Note,
                format!("advice `{text}` stops at a comma: the text looks cut off"),
            );
        }
        let advice = normalise_advice(text);
        if advice.is_none() {
            self.diagnostic(
                index,
                DiagnosticKind::Note,
                format!("advice `{text}` is none of the known kinds"),
            );
        }
        advice
    }
}

/// The 1-based line of a 0-based index.
fn line_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// A numbered item `N、rest`: its number and the rest of the line.
///
/// Numbers with leading zeros (`02、`) count by value; a number too large
/// for `u32` is no item number.
fn numbered_item(line: &str) -> Option<(u32, &str)> {
    let digits_end = line
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(line.len());
    let (digits, rest) = line.split_at(digits_end);
    let rest = rest.strip_prefix('、')?;
    Some((digits.parse().ok()?, rest))
}

/// The number of a numbered item line `N、…`.
fn item_number(line: &str) -> Option<u32> {
    numbered_item(line).map(|(n, _)| n)
}

/// Where an entry begins among `candidates`, the lines from the end of the
/// previous entry up to this entry's last description line: walks back over
/// numbered items counting down to the line that holds item 1 after the
/// names. An unnumbered description is its last line alone.
fn first_line(candidates: &[&str]) -> usize {
    let Some(mut j) = candidates.len().checked_sub(1) else {
        return 0;
    };
    while let Some(above) = j.checked_sub(1) {
        match item_number(candidates[j]) {
            Some(1) => return above, // item 1 alone: the names are on the line above
            Some(n)
                if n.checked_sub(1)
                    .is_some_and(|m| item_number(candidates[above]) == Some(m)) =>
            {
                j = above;
            }
            Some(2) if candidates[above].contains(" 1、") => return above,
            _ => return j,
        }
    }
    j
}

/// True for a word that can be a category name rather than description.
fn is_name(word: &str) -> bool {
    word != "/"
        && item_number(word).is_none()
        && !word.contains("适用于")
        && !word.contains([':', '：', ',', '，', '。', ';', '；'])
}

/// The advice after `marker` on `line`, as written (collapsed).
fn advice_text<'l>(line: &'l str, marker: &Finder) -> Cow<'l, str> {
    match split_at_marker(line, marker).1 {
        Some(advice) => collapsed(advice),
        None => Cow::Borrowed(""),
    }
}

/// `line` before the first `marker`, and after it if it is there.
fn split_at_marker<'l>(line: &'l str, marker: &Finder) -> (&'l str, Option<&'l str>) {
    match marker.find(line.as_bytes()) {
        // A match of a UTF-8 needle starts and ends on character boundaries.
        Some(at) => (&line[..at], Some(&line[at + marker.needle().len()..])),
        None => (line, None),
    }
}

/// Normalises advice text to one of the known kinds.
fn normalise_advice(text: &str) -> Option<Advice> {
    let compact: Cow<str> = if text.contains(char::is_whitespace) {
        Cow::Owned(text.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(text)
    };
    if compact.contains("不建议") {
        return Some(Advice::NotRecommended);
    }
    let rest = compact.strip_prefix("可选")?;
    let rest = rest.trim_start_matches([',', '，']);
    if rest.is_empty() {
        Some(Advice::Optional)
    } else if rest.contains("个人性质") {
        Some(Advice::OptionalIfIndividualNature)
    } else if rest.contains("经营范围") {
        Some(Advice::OptionalWithinBusinessScope)
    } else if rest.contains("资质") {
        Some(Advice::OptionalLicenceRequired)
    } else {
        None
    }
}

/// Splits a description into its items: one per numbered line, or the
/// whole text as one item; each as places in `description`.
fn split_items(description: &str) -> Vec<ItemPlaces> {
    if description.is_empty() {
        return Vec::new();
    }
    // Sized exactly: the items are kept with their entry.
    let lines = description.lines();
    let mut items = Vec::with_capacity(lines.clone().count());
    items.extend(lines.map(|line| {
        let body = numbered_item(line).map_or(line, |(_, rest)| rest);
        let personal_allowed = !NOT_FOR_INDIVIDUALS.iter().any(|m| body.contains(m));
        let body = if personal_allowed {
            Cow::Borrowed(body)
        } else {
            let mut body = body.to_string();
            for marker in NOT_FOR_INDIVIDUALS {
                body = body.replace(marker, "");
            }
            Cow::Owned(body)
        };
        let (name, text) = match body.split_once([':', '：']) {
            Some((name, text)) if is_name(name) && !name.is_empty() => (name.trim(), text.trim()),
            _ => ("", body.trim()),
        };
        // A text the marker was cut out of is still found in the
        // description when the marker ended the line (as in the real guide).
        ItemPlaces {
            name: Piece::of(description, name),
            text: Piece::of(description, text),
            personal_allowed,
        }
    }));
    items
}

#[cfg(test)]
mod tests;
