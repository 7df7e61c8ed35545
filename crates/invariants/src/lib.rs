//! The promises every parser makes on any input, as checks that panic when
//! one is broken: run by the fuzz targets (`fuzz/`) on generated inputs and,
//! on every input a fuzzer once broke them with, by this crate's test of the
//! regression corpus (`tests/fuzz-regressions/<target>/`).
//!
//! Checked for every parser: no panic; every record and diagnostic names a
//! line of the document; no output text carries a NUL character; a document
//! that parses has records; the notice parsed as it converts, line by line,
//! is the notice parsed from its whole converted text. Where the accounting can be checked from outside,
//! it is: every row of a markdown or HTML table and every line of a
//! filing-guide entry is in a record or in a diagnostic that says it was lost.
//! The markdown parser's sliced reading of long tables gives the events of
//! one whole parse wherever it applies.
//!
//! What this crate does not do: judge what a record means. The parsers'
//! own tests do that on small inputs.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use leimu_model::{
    without_nul, DocumentInfo, Extraction, FilingExtraction, RecordShape, SourceFields,
};
use leimu_notice::convert::{FerrousOpenCC, ToSimplified};

/// A fuzz target: its name (the directory of its corpus) and its check.
pub type Target = (&'static str, fn(&str));

/// Every target, by name.
pub const TARGETS: [Target; 6] = [
    ("markdown-tables", markdown_tables),
    ("html-tables", html_tables),
    ("html-sections", html_sections),
    ("text-guide", text_guide),
    ("notice", notice),
    ("requirement", requirement),
];

fn doc() -> DocumentInfo {
    DocumentInfo {
        source: "fuzz".into(),
        file: "fuzz.txt".into(),
        default_subject: None,
    }
}

/// The largest line number a parser may name: html5ever counts a lone `\r`
/// as a line break too.
fn last_line(text: &str) -> u32 {
    let breaks = text.bytes().filter(|b| matches!(b, b'\n' | b'\r')).count();
    u32::try_from(breaks + 1).unwrap_or(u32::MAX)
}

fn check_extraction(text: &str, out: &Extraction) {
    let last = last_line(text);
    assert!(
        !out.records.is_empty(),
        "a document that parses has records"
    );
    for record in &out.records {
        let line = record.provenance.line;
        assert!((1..=last).contains(&line), "record line {line} of {last}");
        let fields = [
            &record.path.level1,
            &record.path.level2,
            &record.path.level3,
            &record.requirement,
            &record.scope,
            &record.notes,
        ];
        let scenario = match &record.fields {
            SourceFields::Card(card) => Some(&card.scenario),
            _ => None,
        };
        for field in fields.into_iter().chain(scenario) {
            assert!(!field.contains('\0'), "NUL in a record: {record:?}");
        }
        let shape = match record.fields {
            SourceFields::Plain => RecordShape::Plain,
            SourceFields::Card(_) => RecordShape::Card,
            SourceFields::Notice { .. } => RecordShape::Notice,
        };
        assert_eq!(shape, out.shape, "every record has its extraction's fields");
    }
    for diagnostic in &out.diagnostics {
        assert!(diagnostic.line <= last, "{diagnostic} beyond line {last}");
        assert!(!diagnostic.message.contains('\0'), "NUL in {diagnostic}");
    }
}

/// `markdown-tables`: every non-empty row of every table is a record or a
/// diagnostic on its line; reading the document in slices of a few lines
/// gives the events of one whole parse.
pub fn markdown_tables(text: &str) {
    markdown_slices(text);
    let Ok(out) = leimu_markdown::parse(&doc(), text) else {
        return;
    };
    check_extraction(text, &out);
    let accounted = accounted_lines(&out);
    let (clean, _) = without_nul(&doc(), text);
    for table in leimu_markdown::tables::read_tables(&clean) {
        for row in &table.rows {
            let empty = row.cells.iter().all(String::is_empty) && row.overflow.is_empty();
            assert!(
                empty || accounted.contains(&row.line),
                "row on line {} is neither a record nor reported lost",
                row.line
            );
        }
    }
}

/// Where slicing applies (runs of five lines or more), it changes no event
/// and no range.
fn markdown_slices(text: &str) {
    use leimu_markdown::slices::{sliced_events, whole_events, Slicing};
    let (clean, _) = without_nul(&doc(), text);
    let small = Slicing {
        min_run: 5,
        batch_lines: 2,
    };
    if let Some(sliced) = sliced_events(&clean, small) {
        assert!(
            sliced == whole_events(&clean),
            "a sliced parse differs from the whole parse"
        );
    }
}

/// `html-tables`: every row with text below the first row of every table is
/// a record or a diagnostic on its line; reading the rows as the parse
/// completes them gives what reading the whole tree gives.
pub fn html_tables(text: &str) {
    let out = leimu_html::parse_tables(&doc(), text);
    assert!(
        out == leimu_html::tables::parse_tables_whole(&doc(), text),
        "reading rows as they come differs from reading the whole tree"
    );
    let Ok(out) = out else {
        return;
    };
    check_extraction(text, &out);
    let accounted = accounted_lines(&out);
    let located = leimu_html::locate::parse_document(&without_nul(&doc(), text).0);
    let tables = located
        .dom
        .root()
        .descendants()
        .filter_map(|node| node.as_element())
        .filter(|e| e.name() == "table");
    for table in tables {
        let Ok(grid) = leimu_html::grid::expand(table) else {
            continue;
        };
        for (r, tr) in grid.rows.iter().enumerate().skip(1) {
            let line = Some(tr.line());
            assert!(
                grid.row_is_empty(r) || line.is_some_and(|l| accounted.contains(&l)),
                "table row on line {line:?} is neither a record nor reported lost"
            );
        }
    }
}

/// The lines of the records and of the diagnostics that report a loss.
fn accounted_lines(out: &Extraction) -> BTreeSet<u32> {
    out.records
        .iter()
        .map(|r| r.provenance.line)
        .chain(
            out.diagnostics
                .iter()
                .filter(|d| d.kind.loses_content())
                .map(|d| d.line),
        )
        .collect()
}

/// `html-sections`; reading the markdown in pieces changes nothing.
pub fn html_sections(text: &str) {
    let out = leimu_html::parse_sections(&doc(), text);
    if let Ok(out) = &out {
        check_extraction(text, out);
    }
    let in_pieces = leimu_html::sections::parse_sections_in_pieces(&doc(), text, 0);
    assert_eq!(
        out.map_err(|e| e.to_string()),
        in_pieces.map_err(|e| e.to_string()),
        "reading the page in pieces changed the result"
    );
}

/// `text-guide`: entries own disjoint, increasing line ranges, and every
/// non-empty line from the first entry on is in one or reported lost.
pub fn text_guide(text: &str) {
    let Ok(out) = leimu_guide::parse(&doc(), text) else {
        return;
    };
    check_guide(text, &out);
}

fn check_guide(text: &str, out: &FilingExtraction) {
    let last = last_line(text);
    let mut previous_end = 0;
    for entry in &out.entries {
        let (first, end) = (entry.provenance.line, entry.last_line);
        assert!(
            previous_end < first && first <= end && end <= last,
            "entry lines {first}..={end} after {previous_end}, of {last}"
        );
        previous_end = end;
        let texts: [&str; 6] = [
            &entry.level1,
            &entry.level2,
            &entry.description,
            &entry.personal,
            &entry.unit,
            &entry.remark,
        ];
        assert!(texts.iter().all(|t| !t.contains('\0')), "NUL in {entry:?}");
    }
    let Some(start) = out.entries.first().map(|e| e.provenance.line) else {
        return;
    };
    let lost: BTreeSet<u32> = out
        .diagnostics
        .iter()
        .filter(|d| d.kind.loses_content())
        .map(|d| d.line)
        .collect();
    let in_entry = |line: u32| {
        out.entries
            .iter()
            .any(|e| (e.provenance.line..=e.last_line).contains(&line))
    };
    for (i, line) in text.lines().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if number < start || line.replace('\0', "").trim().is_empty() {
            continue;
        }
        assert!(
            in_entry(number) || lost.contains(&number),
            "line {number} `{line}` is in no entry and not reported"
        );
    }
}

static CONVERTER: LazyLock<Option<FerrousOpenCC>> = LazyLock::new(|| FerrousOpenCC::new().ok());

/// `notice`, converted from traditional Chinese as the pipeline does; line
/// by line and run by run, as it converts, gives what converting the whole
/// text gives.
pub fn notice(text: &str) {
    let result = match CONVERTER.as_ref() {
        Some(converter) => {
            let per_line = leimu_notice::parse_with(converter as &dyn ToSimplified, &doc(), text);
            let converted = converter.convert(text);
            assert_eq!(
                converted,
                converter.convert_unsplit(text),
                "converting the non-ASCII runs and the whole text differ"
            );
            let whole = leimu_notice::parse_simplified(&doc(), &converted);
            assert_eq!(per_line, whole, "per-line and whole-text conversion differ");
            per_line
        }
        None => leimu_notice::parse_simplified(&doc(), text),
    };
    if let Ok(out) = result {
        for record in &out.records {
            assert!(record.provenance.line >= 1, "{record:?}");
            assert!(!record.requirement.contains('\0'), "NUL in {record:?}");
        }
    }
}

/// The requirement grammar: parses, renders and canonicalises any text.
pub fn requirement(text: &str) {
    for choose in [None, Some(2)] {
        if let Some(parsed) = leimu_requirement::parse(text, choose) {
            let _ = parsed.render();
            let _ = parsed.licences();
            let _ = parsed.unparsed();
            let canonical = parsed.canonical(&|name| name.to_string());
            let _ = canonical.render();
        }
    }
}
