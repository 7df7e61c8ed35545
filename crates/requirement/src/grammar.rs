//! The grammar of one requirement item (a line, or a leaf of a notice tree),
//! in the passes the crate docs list: conditions, distributive qualifiers,
//! alternatives, all-of, atoms.

use leimu_model::{collapse_whitespace, ends_like_document};

use crate::{Grammar, Requirement};

/// Connectives between alternatives, longest first.
const ALTERNATIVE: &[&str] = &["或者", "或", "/"];
/// Connectives between documents required together, longest first.
const ALL_OF: &[&str] = &["以及", "；和", "和", "与", "及", "+", "＋", "、", "；", ";"];
/// What a condition never starts with: a connective or a parenthetical.
const CONDITION_NEVER_STARTS: &[char] = &[
    '且', '并', '和', '或', '及', '与', '+', '＋', '、', '/', '(', '（',
];
/// Connectives that, right after another, end an enumeration (`、及`).
const ENUMERATION_ENDS: &[&str] = &["以及", "及", "和"];
/// What opens a clause qualifying the document before it.
const CLAUSE_OPENERS: &[&str] = &["，并", ",并", "，且", ",且", "并且", "且"];
/// What ends such a clause.
const CLAUSE_ENDS: &[char] = &['；', ';', '。'];
/// Words that make a trailing parenthetical qualify every item of a group.
const DISTRIBUTIVE: &[&str] = &["均", "都", "皆", "分别"];
/// What a trailing clause speaks of, first thing after its opener (and a
/// modal), when it refers to the documents before it as such rather than
/// naming one: `，并文件内容明确为…`, `，且其…`, `，并上述材料均…`.
const GENERIC_REFERENCES: &[&str] = &[
    "文件", "材料", "证件", "证书", "证明", "其", "上述", "以上", "前述", "均", "都",
];
/// Modal words that may come between a clause's opener and what it speaks of.
const MODALS: &[&str] = &["必须", "需要", "需", "须", "应"];
/// Words that make a clause ask for something more rather than qualify.
const DEMANDS: &[&str] = &["提供", "提交"];
/// Words that introduce a document list; not part of any document.
const LEADS: &[&str] = &["需提供", "需提交", "提供", "提交"];

/// The deepest node a reading builds (the root is at depth 0). The grammar
/// recurses once per level of the tree it builds, and every walk of a
/// [`Requirement`] (derived `Debug`, `PartialEq`, `Serialize`, `Drop`, the
/// normaliser's) once per level of it, so a text nested thousands deep
/// (`《甲》（涉及a提交乙证（涉及a提交…））`) would overflow the stack. Real
/// documents nest a few levels (a category's tree is at most 8 deep); 32
/// leaves room for them and keeps `categories.json` within the nesting
/// serde_json reads back (128, two per level of a group).
pub(crate) const MAX_DEPTH: usize = 32;

/// Whether the reading of one text reached [`MAX_DEPTH`].
#[derive(Debug, Default)]
pub(crate) struct Nesting {
    pub(crate) exceeded: bool,
}

impl Nesting {
    /// `text` kept unread, when a node at `depth` would be past [`MAX_DEPTH`].
    fn past(&mut self, depth: usize, text: &str) -> Option<Requirement> {
        (depth > MAX_DEPTH).then(|| {
            self.exceeded = true;
            unparsed(text)
        })
    }
}

/// The warning for a text whose reading reached [`MAX_DEPTH`].
pub(crate) fn too_deep() -> String {
    format!(
        "nested more than {MAX_DEPTH} levels deep: the text from there on is kept as written, unparsed"
    )
}

/// True when `c` is the first character of a connective (of
/// [`ALTERNATIVE`] or [`ALL_OF`]) or of a [`CLAUSE_OPENERS`] entry: a
/// cheap test before comparing the text with each of them.
fn may_begin_connective(c: char) -> bool {
    matches!(
        c,
        '或' | '/'
            | '以'
            | '；'
            | '和'
            | '与'
            | '及'
            | '+'
            | '＋'
            | '、'
            | ';'
            | '，'
            | ','
            | '并'
            | '且'
    )
}

fn opens(c: char) -> bool {
    matches!(c, '《' | '(' | '（' | '“' | '【' | '「')
}

fn closes(c: char) -> bool {
    matches!(c, '》' | ')' | '）' | '”' | '】' | '」')
}

/// `1.`, `2、`, `3．` at the start of a line, removed.
pub(crate) fn strip_number(line: &str) -> &str {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return line;
    }
    let rest = &line[digits..];
    rest.strip_prefix('.')
        .or_else(|| rest.strip_prefix('、'))
        .or_else(|| rest.strip_prefix('．'))
        .map_or(line, str::trim_start)
}

impl Grammar {
    /// One item: conditions, else alternatives; its node at `depth`.
    pub(crate) fn read_item(&self, text: &str, depth: usize, nesting: &mut Nesting) -> Requirement {
        let text = text.trim();
        if let Some(cut) = nesting.past(depth, text) {
            return cut;
        }
        let clauses = conditions(text);
        if clauses.is_empty() {
            return self.read_alternatives(text, depth, nesting);
        }
        // Branches selected by condition are alternatives: an any-of of
        // `When`s, or one `When`.
        let then = depth + 1 + usize::from(clauses.len() > 1);
        let mut whens: Vec<Requirement> = clauses
            .into_iter()
            .map(|(condition, body)| Requirement::When {
                condition,
                then: Box::new(self.read_alternatives(body, then, nesting)),
            })
            .collect();
        if whens.len() == 1 {
            whens.remove(0)
        } else {
            Requirement::AnyOf {
                choose: None,
                of: whens,
            }
        }
    }

    fn read_alternatives(&self, text: &str, depth: usize, nesting: &mut Nesting) -> Requirement {
        if let Some(cut) = nesting.past(depth, text) {
            return cut;
        }
        let (text, qualifiers) = distributives(text);
        // A clause after the last alternative that speaks of the documents
        // generically qualifies each of them, not only the last.
        let (options, clause) = match self.qualifying_clause(text) {
            Some((group, clause)) => match self.split_documents(group, ALTERNATIVE) {
                options if options.len() > 1 => (options, Some(clause)),
                _ => (self.split_documents(text, ALTERNATIVE), None),
            },
            None => (self.split_documents(text, ALTERNATIVE), None),
        };
        let inner = depth + usize::from(options.len() > 1);
        let mut of: Vec<Requirement> = options
            .iter()
            .map(|o| self.read_option(o, inner, nesting))
            .collect();
        share_owner(&options, &mut of);
        let read = if of.len() == 1 {
            of.remove(0)
        } else {
            Requirement::AnyOf { choose: None, of }
        };
        // The clause is written before the trailing （均…）s.
        let read = match clause {
            Some(clause) => distribute(read, clause),
            None => read,
        };
        distribute_all(read, &qualifiers)
    }

    /// An alternative; a trailing `（适用于…）` is its condition. A clause
    /// of it that says what the documents must cover
    /// (`（适用于秀场类非直播视频，经营范围须含有…）`) qualifies them instead:
    /// it does not say when they apply.
    fn read_option(&self, text: &str, depth: usize, nesting: &mut Nesting) -> Requirement {
        match trailing_parenthetical(text) {
            Some((rest, inner)) if inner.starts_with("适用") => {
                let (condition, scope) = scope_clause(inner);
                let then = self.read_all_of(rest, depth + 1, nesting);
                let then = match scope {
                    Some(scope) => distribute(then, &format!("（{scope}）")),
                    None => then,
                };
                Requirement::When {
                    condition: condition.to_string(),
                    then: Box::new(then),
                }
            }
            _ => self.read_all_of(text, depth, nesting),
        }
    }

    fn read_all_of(&self, text: &str, depth: usize, nesting: &mut Nesting) -> Requirement {
        if let Some(cut) = nesting.past(depth, text) {
            return cut;
        }
        let (text, qualifiers) = distributives(text);
        let parts = self.split_documents(text, ALL_OF);
        let inner = depth + usize::from(parts.len() > 1);
        let mut of: Vec<Requirement> = parts
            .iter()
            .map(|p| self.read_atom(p, inner, nesting))
            .collect();
        let read = if of.len() == 1 {
            of.remove(0)
        } else {
            Requirement::AllOf { of }
        };
        distribute_all(read, &qualifiers)
    }

    fn read_atom(&self, text: &str, depth: usize, nesting: &mut Nesting) -> Requirement {
        let mut text = text
            .trim()
            .trim_matches([',', '，', '；', ';', '。'])
            .trim();
        for lead in LEADS {
            if let Some(rest) = text.strip_prefix(lead) {
                text = rest.trim();
            }
        }
        if let Some(cut) = nesting.past(depth, text) {
            return cut;
        }
        if let Some((head, inner)) = trailing_parenthetical(text) {
            // `营业执照（或事业单位法人证书、民办非企业单位登记证书）`
            if let Some(listed) = inner.strip_prefix('或') {
                let mut of = vec![self.read_atom(head, depth + 1, nesting)];
                of.extend(
                    listed
                        .split('、')
                        .map(|a| self.read_atom(a, depth + 1, nesting)),
                );
                return Requirement::AnyOf { choose: None, of };
            }
            // `…《医疗机构执业许可证》（涉及线上交易提交增值电信业务经营许可证）`
            if let Some(when) = self.required_when(inner, depth + 1, nesting) {
                return Requirement::AllOf {
                    of: vec![self.read_atom(head, depth + 1, nesting), when],
                };
            }
        }
        match text.matches('《').count() {
            1 => licence_atom(text),
            0 => self.bare_atom(text),
            _ => unparsed(text),
        }
    }

    /// Text without 《》: a known licence name written bare, else a document.
    fn bare_atom(&self, text: &str) -> Requirement {
        if let Some(licence) = self.bare_licence(text) {
            return licence;
        }
        if !text.is_empty() && ends_like_document(text) {
            Requirement::Document {
                text: text.to_string(),
            }
        } else {
            unparsed(text)
        }
    }

    /// The longest known name that is the whole document of `text`: only
    /// a `…的` qualifier before it, only a parenthetical or `且…` after.
    pub(crate) fn bare_licence(&self, text: &str) -> Option<Requirement> {
        let finder = self.finder.as_ref()?;
        // Every occurrence of every name, in the order the names are tried
        // (longest first), then left to right.
        let mut found: Vec<(usize, usize)> = finder
            .find_overlapping_iter(text)
            .map(|m| (m.pattern().as_usize(), m.start()))
            .collect();
        found.sort_unstable();
        found.into_iter().find_map(|(pattern, at)| {
            let name = self.known.get(pattern)?;
            let before = text.get(..at)?;
            let after = text.get(at + name.len()..)?;
            let whole_before = before.is_empty() || before.ends_with('的');
            let whole_after =
                after.is_empty() || after.starts_with(['（', '(', '且', '，', ',', '并', ' ']);
            (whole_before && whole_after).then(|| {
                let mut licence = Requirement::licence(name, before, after);
                if let Requirement::Licence { bare, .. } = &mut licence {
                    *bare = true;
                }
                licence
            })
        })
    }

    /// Y when X, for a text that is wholly a condition asking for one more
    /// document ([`addition`]): the trailing parenthetical of an atom
    /// (`涉及线上交易提交增值电信业务经营许可证`) and a `注:` line
    /// (`若《营业执照》无经营许可信息,需同时补充提供官网查询许可经营范围截图`)
    /// alike. Y must name a document ([`Grammar::names_document`]); it is
    /// read as an item, so it may list documents or alternatives. The
    /// `When` is at `depth`.
    pub(crate) fn required_when(
        &self,
        text: &str,
        depth: usize,
        nesting: &mut Nesting,
    ) -> Option<Requirement> {
        let (condition, document) = addition(text)?;
        let condition = condition.trim();
        // A full stop ends the sentence, not the document's name.
        let document = document.trim().trim_end_matches(['。', '.']).trim_end();
        (!condition.is_empty() && self.names_document(document)).then(|| Requirement::When {
            condition: condition.to_string(),
            then: Box::new(self.read_item(document, depth + 1, nesting)),
        })
    }

    /// `(group, clause)` when `text` ends in a clause that qualifies every
    /// document before it (`银监会备案证明材料或者…金融办批准文件，并文件内容明确为“…”`):
    /// a clause opener (`，并`, `且`, …) outside brackets, after the last
    /// alternative, with no `；` or 《 after it; the clause speaks of the
    /// documents generically ([`GENERIC_REFERENCES`], after a modal such as
    /// 须) and names none of its own (no 《》, no licence the grammar knows,
    /// no 提供/提交 asking for one more: `，并提供《乙证》` is one more
    /// document). The text before it must end like a document.
    fn qualifying_clause<'t>(&self, text: &'t str) -> Option<(&'t str, &'t str)> {
        let mut depth = 0usize;
        let mut start = None;
        for (at, c) in text.char_indices() {
            let rest = &text[at..];
            if depth == 0 {
                let ends_clause = c == '《'
                    || CLAUSE_ENDS.contains(&c) && !rest[c.len_utf8()..].trim().is_empty()
                    || ALTERNATIVE.iter().any(|k| rest.starts_with(k));
                if ends_clause {
                    start = None;
                } else if start.is_none() && CLAUSE_OPENERS.iter().any(|o| rest.starts_with(o)) {
                    start = Some(at);
                }
            }
            if opens(c) {
                depth += 1;
            } else if closes(c) {
                depth = depth.saturating_sub(1);
            }
        }
        let (group, clause) = text.split_at(start?);
        let opener = CLAUSE_OPENERS.iter().find(|o| clause.starts_with(**o))?;
        let body = clause[opener.len()..].trim_start();
        let body = MODALS
            .iter()
            .find_map(|m| body.strip_prefix(m))
            .unwrap_or(body);
        let generic = GENERIC_REFERENCES.iter().any(|w| body.starts_with(w));
        let names_one = DEMANDS.iter().any(|d| clause.contains(d))
            || self.finder.as_ref().is_some_and(|f| f.is_match(clause));
        (generic && !names_one && self.is_document(group)).then_some((group.trim_end(), clause))
    }

    /// True when `text` asks for a document: a name in 《》, a text that ends
    /// like a document, or a licence name the grammar knows written bare.
    pub(crate) fn names_document(&self, text: &str) -> bool {
        text.contains('《') || ends_like_document(text) || self.bare_licence(text).is_some()
    }

    /// True when the document that starts `text` names a licence.
    fn names_licence(&self, text: &str) -> bool {
        // The next document: pieces joined until they end like one, but
        // never past the end of the clause (`；`).
        let mut joined = String::new();
        let mut rest = text;
        loop {
            let piece = next_piece(rest);
            joined.push_str(piece);
            if joined.contains('《') || self.bare_licence(joined.trim()).is_some() {
                return true;
            }
            rest = &rest[piece.len()..];
            if ends_like_document(&joined) || rest.is_empty() || rest.starts_with(CLAUSE_ENDS) {
                return false;
            }
            let Some(conn) = ALTERNATIVE
                .iter()
                .chain(ALL_OF)
                .find(|k| rest.starts_with(**k))
            else {
                return false;
            };
            joined.push_str(conn);
            rest = &rest[conn.len()..];
        }
    }

    /// Splits `text` at `connectives` outside brackets, keeping together
    /// pieces until each ends like a document. Inside a clause qualifying
    /// a document, a connective splits only before a licence name. One
    /// piece when no split is justified.
    fn split_documents(&self, text: &str, connectives: &[&str]) -> Vec<String> {
        let pieces = self.cut(text, connectives);
        self.merge_until_documents(pieces)
    }

    /// The pieces of `text` between `connectives` outside brackets and
    /// clauses, each with the connective(s) before it.
    fn cut(&self, text: &str, connectives: &[&str]) -> Vec<(String, String)> {
        let mut pieces: Vec<(String, String)> = vec![(String::new(), String::new())];
        let mut depth = 0usize;
        let mut in_clause = false;
        // `text[copied..at]` belongs to the last piece, not yet copied into it.
        let (mut at, mut copied) = (0, 0);
        while let Some(c) = text[at..].chars().next() {
            let rest = &text[at..];
            // Only a clause end, a 《 or the first character of a connective
            // or clause opener changes anything below.
            if depth == 0 && (CLAUSE_ENDS.contains(&c) || c == '《' || may_begin_connective(c)) {
                append_to_last(&mut pieces, &text[copied..at]);
                copied = at;
                let current = pieces.last().map_or("", |(_, body)| body.as_str());
                // A clause ends at `；`, or where the next licence begins.
                if CLAUSE_ENDS.contains(&c) || c == '《' {
                    in_clause = false;
                } else if !in_clause
                    && CLAUSE_OPENERS.iter().any(|o| rest.starts_with(o))
                    && ends_like_document(current)
                {
                    in_clause = true;
                }
                // A clause also ends before a connective of any level that
                // a licence follows (`…“基金”+营业执照或…`).
                if in_clause {
                    let any = ALTERNATIVE.iter().chain(ALL_OF);
                    if let Some(conn) = any.clone().find(|k| rest.starts_with(**k)) {
                        in_clause = !self.names_licence(&rest[conn.len()..]);
                    }
                }
                if let Some(conn) = connectives.iter().find(|k| rest.starts_with(**k)) {
                    if !in_clause {
                        push_connective(&mut pieces, conn);
                        at += conn.len();
                        copied = at;
                        continue;
                    }
                }
            }
            if opens(c) {
                depth += 1;
            } else if closes(c) {
                depth = depth.saturating_sub(1);
                // A parenthetical after a clause (`（适用于…）`) ends the item.
                in_clause &= !(depth == 0 && matches!(c, '）' | ')'));
            }
            at += c.len_utf8();
        }
        append_to_last(&mut pieces, &text[copied..]);
        pieces
    }

    /// True when what `text` ends with, after its last connective of any
    /// kind outside brackets and clauses, ends like a document or is a
    /// known licence with its qualifiers (`…、营业执照且经营范围包含“…”`).
    fn is_document(&self, text: &str) -> bool {
        let any: Vec<&str> = ALTERNATIVE.iter().chain(ALL_OF).copied().collect();
        let pieces = self.cut(text, &any);
        let last = pieces.last().map_or(text, |(_, body)| body.as_str());
        ends_like_document(last) || self.bare_licence(last.trim()).is_some()
    }

    /// Joins pieces (with their connectives) until what is joined is a
    /// document; a tail that never is joins the last document.
    fn merge_until_documents(&self, pieces: Vec<(String, String)>) -> Vec<String> {
        let mut merged: Vec<String> = Vec::new();
        let mut pending: Option<(String, String)> = None;
        for (joiner, body) in pieces {
            let next = match pending.take() {
                None => (joiner, body),
                Some((first_joiner, mut joined)) => {
                    joined.push_str(&joiner);
                    joined.push_str(&body);
                    (first_joiner, joined)
                }
            };
            if self.is_document(&next.1) {
                merged.push(next.1.trim().to_string());
            } else {
                pending = Some(next);
            }
        }
        if let Some((joiner, rest)) = pending {
            match merged.last_mut() {
                Some(last) => {
                    last.push_str(&joiner);
                    last.push_str(&rest);
                }
                None => merged.push(rest.trim().to_string()),
            }
        }
        merged.retain(|p| !p.is_empty());
        merged
    }
}

/// Adds `text` to the body of the last piece.
fn append_to_last(pieces: &mut [(String, String)], text: &str) {
    if let Some((_, body)) = pieces.last_mut() {
        body.push_str(text);
    }
}

/// Starts a new piece at `conn`. Right after another connective, `及` /
/// `以及` / `和` end an enumeration (`、及其他…`) and join it; any other
/// (`、与其中一家医院签订的…`, "with") begins the next document's words.
fn push_connective(pieces: &mut Vec<(String, String)>, conn: &str) {
    match pieces.last_mut() {
        Some((joiner, body)) if body.trim().is_empty() && !joiner.is_empty() => {
            if ENUMERATION_ENDS.contains(&conn) {
                joiner.push_str(conn);
            } else {
                body.push_str(conn);
            }
        }
        _ => pieces.push((conn.to_string(), String::new())),
    }
}

/// The pieces of `text` between connectives of any kind outside brackets,
/// as written: what a reader sees as candidate documents.
pub(crate) fn pieces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let piece = next_piece(rest);
        out.push(piece);
        rest = &rest[piece.len()..];
        if let Some(conn) = ALTERNATIVE
            .iter()
            .chain(ALL_OF)
            .find(|k| rest.starts_with(**k))
        {
            rest = &rest[conn.len()..];
        }
    }
    out
}

/// The start of `text` up to the first connective of any kind outside brackets.
fn next_piece(text: &str) -> &str {
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        let rest = &text[at..];
        if depth == 0
            && may_begin_connective(c)
            && ALTERNATIVE
                .iter()
                .chain(ALL_OF)
                .any(|k| rest.starts_with(k))
        {
            return &text[..at];
        }
        if opens(c) {
            depth += 1;
        } else if closes(c) {
            depth = depth.saturating_sub(1);
        }
    }
    text
}

/// `X的《A》/《B》`: alternatives written as bare 《》 names after a first one
/// that names its owner (`该航空公司/机场主体的`) are the same owner's, so
/// they take its words before the name. An alternative with words of its
/// own before it, or written without 《》, keeps what it has.
fn share_owner(options: &[String], of: &mut [Requirement]) {
    let Some(Requirement::Licence { before: owner, .. }) = of.first() else {
        return;
    };
    if !owner.ends_with('的') {
        return;
    }
    let owner = owner.clone();
    for (option, read) in options.iter().zip(of.iter_mut()).skip(1) {
        if let Requirement::Licence {
            qualifier, before, ..
        } = read
        {
            if before.is_empty() && option.trim().starts_with('《') {
                *qualifier = format!("{owner}{qualifier}");
                before.clone_from(&owner);
            }
        }
    }
}

/// `prefix《name》suffix`: the licence with the words around it as its
/// qualifier — unless the prefix ends like a document, which makes it a
/// document of its own (`…协议样本、该协议医院的《…》` once split, or
/// `…的协议样本《…》`).
fn licence_atom(text: &str) -> Requirement {
    let (Some(open), Some(close)) = (text.find('《'), text.find('》')) else {
        return unparsed(text);
    };
    if close < open {
        return unparsed(text);
    }
    let name = collapse_whitespace(&text[open + '《'.len_utf8()..close]);
    let prefix = text[..open].trim().trim_end_matches(['、', '，', ',']);
    let suffix = &text[close + '》'.len_utf8()..];
    if !prefix.is_empty() && ends_like_document(prefix) && !prefix.ends_with('》') {
        return Requirement::AllOf {
            of: vec![
                Requirement::Document {
                    text: prefix.to_string(),
                },
                Requirement::licence(&name, "", suffix.trim_start_matches([',', '，'])),
            ],
        };
    }
    Requirement::licence(&name, &text[..open], suffix)
}

fn unparsed(text: &str) -> Requirement {
    Requirement::Unparsed {
        text: text.to_string(),
    }
}

/// `(text before, inside)` of a parenthetical that ends `text`, matching
/// nested parentheses.
fn trailing_parenthetical(text: &str) -> Option<(&str, &str)> {
    let inner_end = text.strip_suffix('）').or_else(|| text.strip_suffix(')'))?;
    let mut depth = 0usize;
    for (at, c) in inner_end.char_indices().rev() {
        match c {
            '）' | ')' => depth += 1,
            '（' | '(' if depth == 0 => {
                let inner = &inner_end[at + c.len_utf8()..];
                return Some((text[..at].trim(), inner.trim()));
            }
            '（' | '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// A trailing `（均需…）`: the text before it and the qualifier every item
/// gets (`（需…）`, without the distributive word).
fn distributive(text: &str) -> Option<(&str, String)> {
    let (rest, inner) = trailing_parenthetical(text)?;
    let word = DISTRIBUTIVE.iter().find(|w| inner.starts_with(**w))?;
    (!rest.is_empty()).then(|| (rest, format!("（{}）", &inner[word.len()..])))
}

/// The trailing `（均…）`s of `text` (repeatable: `（均需…）（均…）`): the
/// text before them and each one's qualifier, the last written first. A
/// loop, not a recursion, so that any number of them costs no stack.
fn distributives(text: &str) -> (&str, Vec<String>) {
    let mut rest = text;
    let mut qualifiers = Vec::new();
    while let Some((before, qualifier)) = distributive(rest) {
        rest = before;
        qualifiers.push(qualifier);
    }
    (rest, qualifiers)
}

/// `r` with the `qualifiers` of [`distributives`] added, the one written
/// first (the last of the list) first.
fn distribute_all(r: Requirement, qualifiers: &[String]) -> Requirement {
    qualifiers
        .iter()
        .rev()
        .fold(r, |r, qualifier| distribute(r, qualifier))
}

/// The words that start a clause saying what a document must cover.
const SCOPE_OPENERS: [&str; 3] = ["经营范围", "业务范围", "范围"];

/// `condition` split from a clause after its first comma that says what
/// the documents must cover (`适用于秀场类非直播视频，经营范围须含有…` →
/// `适用于秀场类非直播视频`, `经营范围须含有…`); the whole condition and
/// `None` when there is no such clause.
fn scope_clause(condition: &str) -> (&str, Option<&str>) {
    let Some(comma) = condition.find(['，', ',']) else {
        return (condition, None);
    };
    let (before, after) = condition.split_at(comma);
    let clause = after.trim_start_matches(['，', ',']).trim_start();
    if before.trim().is_empty() || !SCOPE_OPENERS.iter().any(|o| clause.starts_with(o)) {
        return (condition, None);
    }
    (before.trim_end(), Some(clause.trim_end()))
}

/// Adds `qualifier` to every licence and document of `r` (no deeper than
/// [`MAX_DEPTH`]: the grammar builds no deeper tree).
fn distribute(r: Requirement, qualifier: &str) -> Requirement {
    match r {
        Requirement::AllOf { of } => Requirement::AllOf {
            of: of.into_iter().map(|m| distribute(m, qualifier)).collect(),
        },
        Requirement::AnyOf { choose, of } => Requirement::AnyOf {
            choose,
            of: of.into_iter().map(|m| distribute(m, qualifier)).collect(),
        },
        Requirement::When { condition, then } => Requirement::When {
            condition,
            then: Box::new(distribute(*then, qualifier)),
        },
        Requirement::Titled { title, then } => Requirement::Titled {
            title,
            then: Box::new(distribute(*then, qualifier)),
        },
        Requirement::Licence {
            name,
            qualifier: own,
            before,
            bare,
        } => Requirement::Licence {
            name,
            // As a licence's own words after it are read (without a comma
            // that starts them).
            qualifier: format!("{own}{qualifier}")
                .trim_start_matches([',', '，'])
                .to_string(),
            before,
            bare,
        },
        Requirement::Document { text } => Requirement::Document {
            text: format!("{text}{qualifier}"),
        },
        unparsed @ Requirement::Unparsed { .. } => unparsed,
    }
}

/// The shape of a condition that asks for one more document, as regular
/// expressions (the unit tests compare [`addition`] with them; matched by
/// hand because building them cost more than a whole ingest's use of them).
/// At most one matches a text: they differ in how the text starts and in
/// whether it holds a comma.
///
/// One shape serves the two places that write it, which differ only in
/// the form they use, never in what a form means: the parentheticals of
/// flat texts write the bare verb (`涉及线上交易提交增值电信业务经营许可证`),
/// the notice's `注:` lines a sentence with a comma
/// (`若《营业执照》无经营许可信息,需同时补充提供…`, `若同时涉及客运/客船服务,需同时提供对应资质`).
/// - An if-word (若, 如果, 当, 凡, 如) is dropped from the condition;
///   涉及 without one starts the condition and stays in it (it says what
///   is involved).
/// - A comma closes the condition, whatever it holds (《》 of a licence,
///   a 提供 of its own: `若涉及提供【企业征信业务】服务,需补充【…】类目` is
///   no addition, as what follows the comma asks for no document); what
///   follows the comma must be the demand.
/// - In a text without a comma the condition ends at the first demand: the
///   shortest of 1 to 30 characters (a condition no comma closes is a short
///   phrase, `涉及线上交易`), and the document holds no comma either.
/// - 如 alone is "if" only before a comma (`如涉及线上交易，需补充提供…`);
///   without one it is "for example" (`(如app内提供该类目的服务内容截图)`),
///   and 如需 is "if one wants to", an instruction (`如需申请,需提供申请邮件…`).
/// - The demand is 需/须/应, 同时, 补充 (each optional, in this order), then
///   提交 or 提供 and the document; 时 may end the condition (`当…时`).
///
/// A condition never holds `：`/`:` (an explanation or a list starts there).
#[cfg(test)]
fn addition_patterns() -> [String; 5] {
    let phrase = "[^，,：:]";
    let demand = "(?:需|须|应)?(?:同时)?(?:补充)?(?:提交|提供)";
    let if_words = "(?:如果|若|当|凡)";
    let bare = format!(r"时?{demand}([^，,]+)$");
    let comma = format!(r"时?[，,]\s*{demand}(.+)$");
    [
        format!(r"(?s)^{if_words}({phrase}{{1,30}}?){bare}"),
        format!(r"(?s)^{if_words}({phrase}+?){comma}"),
        format!(r"(?s)^如([^需果，,：:]{phrase}*?){comma}"),
        format!(r"(?s)^(涉及{phrase}{{1,30}}?){bare}"),
        format!(r"(?s)^(涉及{phrase}+?){comma}"),
    ]
}

/// Words that say "if" before a condition, dropped from it; 如果 before 如.
const IF_WORDS: [&str; 5] = ["如果", "若", "当", "凡", "如"];
/// The word that starts a condition without an if-word, kept in it.
const INVOLVES: &str = "涉及";

/// `(condition, document)` when `text` is wholly a condition asking for one
/// more document, of the shape [`addition_patterns`] states.
fn addition(text: &str) -> Option<(&str, &str)> {
    let if_word = IF_WORDS.iter().find(|w| text.starts_with(**w)).copied();
    // The condition starts at `start`; its characters are counted from `body`.
    let (start, opener) = match if_word {
        Some(word) => (word.len(), word.len()),
        None if text.starts_with(INVOLVES) => (0, INVOLVES.len()),
        None => return None,
    };
    let body = &text[opener..];
    if if_word == Some("如") && body.starts_with('需') {
        return None;
    }
    if let Some(comma) = body.find(['，', ',']) {
        let phrase = &body[..comma];
        if phrase.is_empty() || phrase.contains(['：', ':']) {
            return None;
        }
        let phrase = phrase
            .strip_suffix('时')
            .filter(|p| !p.is_empty())
            .unwrap_or(phrase);
        let after = body[comma..].chars().next().map_or(0, char::len_utf8);
        let document = demand(body[comma + after..].trim_start())?;
        return Some((&text[start..opener + phrase.len()], document));
    }
    if if_word == Some("如") {
        return None;
    }
    for (count, (at, c)) in body.char_indices().enumerate() {
        if matches!(c, '：' | ':') || count == 30 {
            return None;
        }
        let end = opener + at + c.len_utf8();
        let rest = &text[end..];
        if let Some(document) = demand(rest.strip_prefix('时').unwrap_or(rest)) {
            return Some((&text[start..end], document));
        }
    }
    None
}

/// The document after the demand that starts `text` (需/须/应, 同时, 补充,
/// each optional, then 提交 or 提供); `None` when none or it is empty.
/// Each optional word is taken when present: none can start what follows
/// it, so skipping one never leads to a match.
fn demand(text: &str) -> Option<&str> {
    let mut rest = text;
    for optional in [&["需", "须", "应"][..], &["同时"], &["补充"]] {
        if let Some(word) = optional.iter().find(|w| rest.starts_with(**w)) {
            rest = &rest[word.len()..];
        }
    }
    rest.strip_prefix("提交")
        .or_else(|| rest.strip_prefix("提供"))
        .filter(|document| !document.is_empty())
}

/// A trailing `（说明：…）` or `（注：…）`: the text before it and the note.
pub(crate) fn trailing_note(text: &str) -> Option<(&str, &str)> {
    let (rest, inner) = trailing_parenthetical(text)?;
    let is_note = ["说明", "注"].iter().any(|w| {
        inner
            .strip_prefix(w)
            .is_some_and(|r| r.starts_with(['：', ':']))
    });
    (is_note && !rest.is_empty()).then_some((rest, inner))
}

/// The ways a text starts with a condition: `X：`, `X，提供`, `X需提交`,
/// as regular expressions (the unit tests compare [`condition_at`] with
/// them; matched by hand because building them cost more than a whole
/// ingest's use of them).
#[cfg(test)]
fn condition_patterns() -> [String; 3] {
    let phrase = r"([^《》：:，,；;。“”\s]{1,16}?)";
    let longer = r"([^《》：:，,；;。“”\s]{2,16}?)";
    [
        format!(r"^{phrase}[：:]"),
        format!(r"^{phrase}[，,]\s*需?(?:提供|提交)"),
        format!(r"^{longer}需(?:提交|提供)"),
    ]
}

/// A character of a condition's phrase: `[^《》：:，,；;。“”\s]`.
fn in_phrase(c: char) -> bool {
    !matches!(
        c,
        '《' | '》' | '：' | ':' | '，' | ',' | '；' | ';' | '。' | '“' | '”'
    ) && !c.is_whitespace()
}

/// `(phrase, end)` of the condition that starts `text`, if one does: of
/// the three forms of [`condition_patterns`], the one that ends first
/// (the earlier form on a tie).
fn condition_at(text: &str) -> Option<(&str, usize)> {
    [marked(text), before_comma(text), before_need(text)]
        .into_iter()
        .flatten()
        .min_by_key(|(_, end)| *end)
}

/// The phrase of 1 to 16 characters that starts `text`, and what follows it.
/// A phrase character is never a marker, so the phrase is the whole run.
fn phrase_run(text: &str) -> Option<(&str, &str)> {
    let mut end = text.len();
    for (count, (at, c)) in text.char_indices().enumerate() {
        if !in_phrase(c) {
            end = at;
            break;
        }
        if count == 16 {
            return None;
        }
    }
    (end > 0).then(|| (&text[..end], &text[end..]))
}

/// `X：` (the first pattern).
fn marked(text: &str) -> Option<(&str, usize)> {
    let (phrase, rest) = phrase_run(text)?;
    let after = rest.strip_prefix(['：', ':'])?;
    Some((phrase, text.len() - after.len()))
}

/// `X，需提供` (the second pattern; 需 and the spaces optional).
fn before_comma(text: &str) -> Option<(&str, usize)> {
    let (phrase, rest) = phrase_run(text)?;
    let rest = rest.strip_prefix(['，', ','])?.trim_start();
    let rest = rest.strip_prefix('需').unwrap_or(rest);
    let after = rest
        .strip_prefix("提供")
        .or_else(|| rest.strip_prefix("提交"))?;
    Some((phrase, text.len() - after.len()))
}

/// `X需提交` (the third pattern): the shortest phrase of 2 to 16
/// characters followed by 需提交 or 需提供 (the phrase may hold 需 itself).
fn before_need(text: &str) -> Option<(&str, usize)> {
    for (count, (at, c)) in text.char_indices().enumerate() {
        if !in_phrase(c) || count == 16 {
            return None;
        }
        let end = at + c.len_utf8();
        let rest = &text[end..];
        if count >= 1 && (rest.starts_with("需提交") || rest.starts_with("需提供")) {
            return Some((&text[..end], end + "需提交".len()));
        }
    }
    None
}

/// False when no pattern of [`condition_patterns`] can match at the start
/// of `text`: each needs its `：`, `，` or `需` within the first 17
/// characters (a phrase of at most 16, then the marker). Cheaper than
/// asking whether the text before ends a document, at every position.
fn may_start_condition(text: &str) -> bool {
    text.chars()
        .take(17)
        .any(|c| matches!(c, '：' | ':' | '，' | ',' | '需'))
}

/// `(condition, body)` pairs when the text starts with a condition; empty
/// otherwise. A later condition begins only where a document ends.
fn conditions(text: &str) -> Vec<(String, &str)> {
    let mut marks: Vec<(usize, usize, String)> = Vec::new(); // start, body start, condition
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        let outside = depth == 0;
        if opens(c) {
            depth += 1;
        } else if closes(c) {
            depth = depth.saturating_sub(1);
        }
        // Inside the last condition found, only a later start for the same
        // marker is of interest: the document before a condition ends as
        // late as it can (`…协议样本自研：` is 样本, then 自研), leaving a
        // condition of two characters or more.
        let within = marks
            .last()
            .filter(|(start, body, _)| at < *body && *start > 0)
            .map(|(_, body, _)| *body);
        if !outside || marks.last().is_some_and(|(_, body, _)| at < *body) && within.is_none() {
            continue;
        }
        let rest = &text[at..];
        if rest.starts_with(CONDITION_NEVER_STARTS) || !may_start_condition(rest) {
            continue;
        }
        let before = &text[..at];
        let boundary = at == 0 || before.ends_with(CLAUSE_ENDS) || ends_like_document(before);
        if !boundary {
            continue;
        }
        // The nearest marker: `自研需提交…文件批发，提供` is 自研.
        if let Some((phrase, end)) = condition_at(rest) {
            let condition = phrase.trim().to_string();
            let body = at + end;
            match within {
                // One character is a word's end (事业单|位), not a condition.
                Some(end) if end == body && condition.chars().count() > 1 => {
                    marks.pop();
                }
                Some(_) => continue,
                None => {}
            }
            marks.push((at, body, condition));
        }
    }
    if marks.first().is_none_or(|(start, _, _)| *start != 0) {
        return Vec::new();
    }
    marks
        .iter()
        .enumerate()
        .map(|(i, (_, body, condition))| {
            let end = marks.get(i + 1).map_or(text.len(), |(start, _, _)| *start);
            (condition.clone(), text[*body..end].trim())
        })
        .collect()
}

#[cfg(test)]
mod regex_tests {
    use super::*;
    use regex::Regex;

    fn condition_res() -> Vec<Regex> {
        condition_patterns()
            .iter()
            .map(|p| Regex::new(p).unwrap())
            .collect()
    }

    /// What the regular expressions say of `text`: the nearest condition.
    fn condition_by_regex<'t>(res: &[Regex], text: &'t str) -> Option<(&'t str, usize)> {
        res.iter()
            .filter_map(|re| re.captures(text))
            .min_by_key(|m| m.get(0).map_or(usize::MAX, |g| g.end()))
            .map(|m| (m.get(1).unwrap().as_str(), m.get(0).unwrap().end()))
    }

    /// Random texts of the pieces `alphabet`, from 1 to `longest` of them.
    fn texts(alphabet: &[&str], longest: usize, seed: u64) -> Vec<String> {
        let mut rng = fastrand::Rng::with_seed(seed);
        (0..50_000)
            .map(|_| {
                (0..rng.usize(1..=longest))
                    .map(|_| alphabet[rng.usize(..alphabet.len())])
                    .collect()
            })
            .collect()
    }

    /// Condition-like pieces: short and long phrases, every marker, spaces,
    /// line breaks and the brackets the patterns exclude.
    const CONDITION_PIECES: &[&str] = &[
        "自研",
        "批发",
        "政府/事业单位",
        "甲",
        "乙丙丁戊己庚辛",
        "：",
        ":",
        "，",
        ",",
        "需",
        "提交",
        "提供",
        " ",
        "\u{3000}",
        "\n",
        "《",
        "》",
        "；",
        ";",
        "。",
        "“",
        "”",
        "需提",
        "交",
        "供",
        "十二个字符的一个很长的短语啊",
    ];

    #[test]
    fn conditions_are_matched_as_the_patterns_say() {
        let res = condition_res();
        for text in texts(CONDITION_PIECES, 12, 17) {
            assert_eq!(
                condition_at(&text),
                condition_by_regex(&res, &text),
                "{text:?}"
            );
        }
        // Phrases around the bounds of 1, 2 and 16 characters.
        for n in 0..20 {
            for marker in [
                "：",
                "，提供",
                "， 需提交",
                "需提交",
                "需提供",
                "需需提供",
                "，需",
            ] {
                let text = format!("{}{marker}尾", "字".repeat(n));
                assert_eq!(
                    condition_at(&text),
                    condition_by_regex(&res, &text),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn additions_are_matched_as_the_patterns_say() {
        let res: Vec<Regex> = addition_patterns()
            .iter()
            .map(|p| Regex::new(p).unwrap())
            .collect();
        // At most one pattern matches a text; its captures are the answer.
        fn by_regex<'t>(res: &[Regex], text: &'t str) -> Option<(&'t str, &'t str)> {
            let found: Vec<_> = res.iter().filter_map(|re| re.captures(text)).collect();
            assert!(found.len() <= 1, "{text:?}");
            found
                .first()
                .map(|m| (m.get(1).unwrap().as_str(), m.get(2).unwrap().as_str()))
        }
        // How many texts each pattern matched: every one must be exercised.
        let mut matched = vec![0usize; res.len()];
        let mut count = |text: &str| {
            for (n, re) in res.iter().enumerate() {
                matched[n] += usize::from(re.is_match(text));
            }
        };
        let alphabet = [
            "涉及",
            "涉",
            "若",
            "如果",
            "如",
            "如需",
            "当",
            "凡",
            "果",
            "线上交易",
            "甲",
            "时",
            "，",
            ",",
            "需",
            "须",
            "应",
            "同时",
            "同",
            "补充",
            "补",
            "提交",
            "提供",
            "提",
            "增值电信业务经营许可证",
            "《营业执照》",
            "《",
            "》",
            "“",
            "”",
            "：",
            ":",
            " ",
            "\u{3000}",
            "\n",
        ];
        for text in texts(&alphabet, 10, 29) {
            assert_eq!(addition(&text), by_regex(&res, &text), "{text:?}");
            count(&text);
        }
        // Conditions around the bound of 30 characters, with and without a
        // comma, after each opener.
        for n in 0..34 {
            for opener in ["涉及", "若", "如果", "如", "当", "凡"] {
                for tail in [
                    "提交证",
                    "时提供证",
                    "，需同时提交证",
                    "时,应提供证",
                    "， 需同时补充提供证",
                    "补充提供证",
                    "提交",
                    "提交“证”",
                    "提交证，证",
                ] {
                    let text = format!("{opener}{}{tail}", "字".repeat(n));
                    assert_eq!(addition(&text), by_regex(&res, &text), "{text:?}");
                    count(&text);
                }
            }
        }
        assert!(matched.iter().all(|&n| n > 0), "{matched:?}");
    }

    #[test]
    fn every_connective_and_clause_opener_begins_as_the_prefilter_says() {
        for word in ALTERNATIVE.iter().chain(ALL_OF).chain(CLAUSE_OPENERS) {
            let first = word.chars().next().unwrap_or_default();
            assert!(may_begin_connective(first), "{word}");
        }
    }

    #[test]
    fn the_condition_prefilter_never_hides_a_match() {
        for text in texts(CONDITION_PIECES, 12, 13) {
            if condition_at(&text).is_some() {
                assert!(may_start_condition(&text), "{text}");
            }
        }
    }
}
