//! The events pulldown-cmark yields for a whole document, read in slices so
//! that a long table never costs its tree at once.
//!
//! pulldown-cmark builds the block tree of its whole input before it yields
//! the first event: a table of a hundred thousand rows costs several times
//! its size in tree nodes. [`read_events`] hands a sink the same events, with
//! the same ranges, as one parse of the whole document, while parsing
//!
//! * a *skeleton*: the document with the middle of every long run of lines
//!   starting with `|` cut out, and
//! * every cut-out part in batches of lines, each batch a document of its own:
//!   the table's header and delimiter lines, then the batch.
//!
//! Why that is the same parse: inside a top-level table, pulldown-cmark reads
//! each following line on its own. The line ends the table when it is blank
//! or starts another block; otherwise it is a row with as many cells as the
//! delimiter line has columns, and the inline pass reads each cell alone.
//! What else a row could depend on is checked, and any check that fails
//! makes [`read_events`] start again with one parse of the whole document:
//!
//! * lines end at `\n` (or `\r\n`): a lone `\r` ends a line for
//!   pulldown-cmark, and the batches are counted in lines;
//! * the rows on both sides of a cut are consecutive rows of one top-level
//!   table in the skeleton (so the cut-out lines are read inside that table);
//! * each batch parses as one table with the same alignment row as the
//!   skeleton's and one row per line (so no cut-out line ends the table);
//! * the skeleton and the batches define no link references (a definition
//!   anywhere changes how links in cells read; rows cannot define any);
//! * pulldown-cmark stops padding the short rows of a table after 2^18
//!   missing cells: the table's padded cells stay below half of that.
//!
//! `tests/slices.rs` and the `markdown-tables` fuzz target compare sliced and
//! whole parses event by event.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The pulldown-cmark options of every parse.
pub const OPTIONS: Options = Options::ENABLE_TABLES;

/// Padded cells a table may have before slicing is given up: half of
/// pulldown-cmark's limit on the cells it pads in one table.
const MAX_PADDED_CELLS: usize = 1 << 17;

/// Receives the events of a document with their byte ranges, in order.
pub trait EventSink {
    fn event(&mut self, event: Event<'_>, range: Range<usize>);
}

/// When to slice: runs of at least `min_run` lines starting with `|`, in
/// batches of `batch_lines` lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slicing {
    pub min_run: usize,
    pub batch_lines: usize,
}

impl Default for Slicing {
    /// A batch of 1024 rows keeps pulldown-cmark's tree under a megabyte for
    /// the category tables; shorter runs are read whole.
    fn default() -> Slicing {
        Slicing {
            min_run: 1024,
            batch_lines: 1024,
        }
    }
}

impl Slicing {
    /// Never slice: one parse of the whole document.
    pub const WHOLE: Slicing = Slicing {
        min_run: usize::MAX,
        batch_lines: usize::MAX,
    };
}

/// Gives a sink made by `make` the events of one parse of the whole of
/// `text`, and returns it. When slicing does not apply, or a check of the
/// module docs fails, the sink is made afresh and `text` parsed whole.
pub fn read_events<S: EventSink>(text: &str, slicing: Slicing, make: impl Fn() -> S) -> S {
    let cuts = plan_cuts(text, slicing);
    if !cuts.is_empty() {
        let mut sink = make();
        if read_sliced(text, &cuts, slicing, &mut sink).is_ok() {
            return sink;
        }
    }
    let mut sink = make();
    for (event, range) in Parser::new_ext(text, OPTIONS).into_offset_iter() {
        sink.event(event, range);
    }
    sink
}

/// A check of the module docs failed: parse the document whole.
#[derive(Debug)]
struct NotSliceable;

/// The parts to cut out: of every run of at least `min_run` lines starting
/// with `|` (after at most three spaces) whose second line is a delimiter
/// row, the lines from its fourth to its second-to-last. The first three
/// (header, delimiter, first row) and the last stay in the skeleton. A run
/// that does not start a table (lines of a paragraph) would make the
/// splicing fail; the delimiter row rules most of them out beforehand.
fn plan_cuts(text: &str, slicing: Slicing) -> Vec<Range<usize>> {
    if has_lone_carriage_return(text) {
        return Vec::new();
    }
    let min_run = slicing.min_run.max(5);
    let mut cuts = Vec::new();
    let mut run_len = 0;
    let mut cut_start = 0;
    let mut last_start = 0;
    let mut start = 0;
    while start < text.len() {
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i + 1);
        let line = &text[start..end];
        if starts_with_pipe(line) && (run_len != 1 || is_delimiter_row(line)) {
            run_len += 1;
            if run_len == 4 {
                cut_start = start;
            }
            last_start = start;
        } else {
            if run_len >= min_run {
                cuts.push(cut_start..last_start);
            }
            run_len = usize::from(starts_with_pipe(line));
        }
        start = end;
    }
    if run_len >= min_run {
        cuts.push(cut_start..last_start);
    }
    cuts
}

/// A `\r` not followed by `\n` ends a line for pulldown-cmark, while cuts,
/// batches and the header lines put in front of them are counted in `\n`
/// lines: such a document is read whole.
fn has_lone_carriage_return(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
}

/// `|---|:-:|`: pipes, dashes, colons and spaces, with a dash.
fn is_delimiter_row(line: &str) -> bool {
    line.contains('-') && line.bytes().all(|b| b"|-: \t\r\n".contains(&b))
}

fn starts_with_pipe(line: &str) -> bool {
    let rest = line.trim_start_matches(' ');
    line.len() - rest.len() <= 3 && rest.starts_with('|')
}

fn read_sliced<S: EventSink>(
    text: &str,
    cuts: &[Range<usize>],
    slicing: Slicing,
    sink: &mut S,
) -> Result<(), NotSliceable> {
    let removed: usize = cuts.iter().map(Range::len).sum();
    let mut skeleton = String::with_capacity(text.len() - removed);
    let mut from = 0;
    for cut in cuts {
        skeleton.push_str(&text[from..cut.start]);
        from = cut.end;
    }
    skeleton.push_str(&text[from..]);

    let events = Parser::new_ext(&skeleton, OPTIONS).into_offset_iter();
    if events.reference_definitions().iter().next().is_some() {
        return Err(NotSliceable);
    }
    let mut splicer = Splicer::new(text, cuts, slicing);
    for (event, range) in events {
        splicer.event(event, range, sink)?;
    }
    if splicer.passed == cuts.len() && !splicer.expect_row {
        Ok(())
    } else {
        Err(NotSliceable)
    }
}

/// Walks the skeleton's events, maps their ranges back to the document and
/// puts the batches' rows in at each cut.
struct Splicer<'t> {
    text: &'t str,
    cuts: &'t [Range<usize>],
    /// Skeleton offset of each cut.
    at: Vec<usize>,
    /// Bytes cut out before each cut (`removed_before[k]`: cuts `0..k`).
    removed_before: Vec<usize>,
    slicing: Slicing,
    /// Cuts already put back.
    passed: usize,
    depth: usize,
    table: Option<OpenTable>,
    /// A cut was just put back: the skeleton's next event must start a row.
    expect_row: bool,
    batch: String,
}

/// The top-level table being read.
struct OpenTable {
    start: Event<'static>,
    /// Document offsets of the header row and of the first body row.
    head_start: usize,
    first_row_start: Option<usize>,
    /// End of the current row: padded cells start there.
    row_end: usize,
    padded: usize,
}

impl OpenTable {
    /// Counts the padded cells of the table's rows.
    fn count(&mut self, event: &Event<'_>, range: &Range<usize>) -> Result<(), NotSliceable> {
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => self.row_end = range.end,
            Event::Start(Tag::TableCell) if range.start == self.row_end => self.padded += 1,
            _ => {}
        }
        if self.padded < MAX_PADDED_CELLS {
            Ok(())
        } else {
            Err(NotSliceable)
        }
    }
}

impl<'t> Splicer<'t> {
    fn new(text: &'t str, cuts: &'t [Range<usize>], slicing: Slicing) -> Splicer<'t> {
        let mut removed_before = vec![0];
        let mut at = Vec::with_capacity(cuts.len());
        for cut in cuts {
            let removed = removed_before.last().copied().unwrap_or_default();
            at.push(cut.start - removed);
            removed_before.push(removed + cut.len());
        }
        Splicer {
            text,
            cuts,
            at,
            removed_before,
            slicing,
            passed: 0,
            depth: 0,
            table: None,
            expect_row: false,
            batch: String::new(),
        }
    }

    fn event<S: EventSink>(
        &mut self,
        event: Event<'_>,
        skeleton: Range<usize>,
        sink: &mut S,
    ) -> Result<(), NotSliceable> {
        if std::mem::take(&mut self.expect_row) && !matches!(event, Event::Start(Tag::TableRow)) {
            return Err(NotSliceable);
        }
        if self
            .at
            .get(self.passed)
            .is_some_and(|&at| skeleton.start > at)
        {
            return Err(NotSliceable); // a cut that no table row ends at
        }
        let range = self.map(skeleton.start)..self.map(skeleton.end);
        match &event {
            Event::Start(Tag::Table(_)) if self.depth == 0 => {
                self.table = Some(OpenTable {
                    start: event.clone().into_static(),
                    head_start: range.start,
                    first_row_start: None,
                    row_end: range.start,
                    padded: 0,
                });
            }
            Event::Start(Tag::TableHead) => {
                if let Some(table) = self.table.as_mut() {
                    table.head_start = range.start;
                }
            }
            Event::Start(Tag::TableRow) => {
                if let Some(table) = self.table.as_mut() {
                    table.first_row_start.get_or_insert(range.start);
                }
            }
            Event::End(TagEnd::Table) if self.depth == 1 => self.table = None,
            _ => {}
        }
        if let Some(table) = self.table.as_mut() {
            table.count(&event, &range)?;
        }
        match event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        let row_ends_at_cut = matches!(event, Event::End(TagEnd::TableRow))
            && self.depth == 1
            && self.at.get(self.passed) == Some(&skeleton.end);
        sink.event(event, range);
        if row_ends_at_cut {
            self.put_back_cut(sink)?;
        }
        Ok(())
    }

    /// A skeleton offset in the document. An offset right at a cut is
    /// before it until the cut is put back (the end of the row above, its
    /// padded cells) and after it from then on (the row below).
    fn map(&self, offset: usize) -> usize {
        let before = self.at.partition_point(|&at| at < offset);
        let at_put_back_cut = before < self.passed && self.at[before] == offset;
        offset + self.removed_before[before + usize::from(at_put_back_cut)]
    }

    /// Reads the lines of the next cut in batches and passes their rows on.
    fn put_back_cut<S: EventSink>(&mut self, sink: &mut S) -> Result<(), NotSliceable> {
        let cut = self.cuts[self.passed].clone();
        let table = self.table.as_mut().ok_or(NotSliceable)?;
        let first_row = table.first_row_start.ok_or(NotSliceable)?;
        let prefix = line_start(self.text, table.head_start)..line_start(self.text, first_row);
        let mut from = cut.start;
        while from < cut.end {
            let batch_lines = self.slicing.batch_lines.max(1);
            let (to, lines) = lines_from(self.text, from, cut.end, batch_lines);
            self.batch.clear();
            self.batch.push_str(&self.text[prefix.clone()]);
            self.batch.push_str(&self.text[from..to]);
            let offset = from - prefix.len();
            read_batch(&self.batch, prefix.len(), table, lines, offset, sink)?;
            from = to;
        }
        self.passed += 1;
        self.expect_row = true;
        Ok(())
    }
}

/// Parses one batch (header and delimiter, `prefix` bytes, then `lines`
/// rows) and passes its rows' events on, their ranges moved by `offset`
/// into the document.
fn read_batch<S: EventSink>(
    batch: &str,
    prefix: usize,
    table: &mut OpenTable,
    lines: usize,
    offset: usize,
    sink: &mut S,
) -> Result<(), NotSliceable> {
    let events = Parser::new_ext(batch, OPTIONS).into_offset_iter();
    if events.reference_definitions().iter().next().is_some() {
        return Err(NotSliceable);
    }
    let mut first = true;
    let mut in_body = false;
    let mut ended = false;
    let mut rows = 0;
    for (event, range) in events {
        if ended || (first && event != table.start) {
            return Err(NotSliceable);
        }
        first = false;
        match event {
            Event::End(TagEnd::TableHead) => in_body = true,
            Event::End(TagEnd::Table) => {
                if range.end != batch.len() {
                    return Err(NotSliceable);
                }
                ended = true;
            }
            event if in_body => {
                if matches!(event, Event::Start(Tag::TableRow)) {
                    // The first row starts the first line after the prefix
                    // (after its at most three spaces).
                    if rows == 0 && !(prefix..=prefix + 3).contains(&range.start) {
                        return Err(NotSliceable);
                    }
                    rows += 1;
                }
                let range = range.start + offset..range.end + offset;
                table.count(&event, &range)?;
                sink.event(event, range);
            }
            _ => {}
        }
    }
    if ended && rows == lines {
        Ok(())
    } else {
        Err(NotSliceable)
    }
}

/// Start of the line `offset` is on.
fn line_start(text: &str, offset: usize) -> usize {
    memchr::memrchr(b'\n', &text.as_bytes()[..offset]).map_or(0, |i| i + 1)
}

/// The end of up to `max` lines from `from` (stopping at `end`, a line
/// start), and how many lines that is.
fn lines_from(text: &str, from: usize, end: usize, max: usize) -> (usize, usize) {
    let mut to = from;
    let mut lines = 0;
    while to < end && lines < max {
        to = memchr::memchr(b'\n', &text.as_bytes()[to..end]).map_or(end, |i| to + i + 1);
        lines += 1;
    }
    (to, lines)
}

/// Events with their ranges, owned: what the comparisons of sliced and whole
/// parses collect.
pub type OwnedEvents = Vec<(Event<'static>, Range<usize>)>;

impl EventSink for OwnedEvents {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        self.push((event.into_static(), range));
    }
}

/// The events of `text` read in slices, or `None` where slicing does not
/// apply (no long run, or a check failed): for the tests and the fuzz
/// target that compare them with [`whole_events`].
pub fn sliced_events(text: &str, slicing: Slicing) -> Option<OwnedEvents> {
    let cuts = plan_cuts(text, slicing);
    let mut events = OwnedEvents::new();
    (!cuts.is_empty() && read_sliced(text, &cuts, slicing, &mut events).is_ok()).then_some(events)
}

/// The events of one parse of the whole of `text`.
pub fn whole_events(text: &str) -> OwnedEvents {
    read_events(text, Slicing::WHOLE, OwnedEvents::new)
}
