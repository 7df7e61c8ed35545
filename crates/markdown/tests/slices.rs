//! Reading a document in slices gives the events of one whole parse.
//!
//! Random documents of pipe tables (rows short and long, escaped pipes, code
//! spans, `<br>`, emphasis, links, indentation, CRLF, rows without a leading
//! pipe, lines that end a table) with headings, paragraphs, lists and code
//! blocks between them, read with slices of a few lines: wherever slicing
//! applies, every event and every range equals the whole parse's. A generator
//! where slicing mostly falls back would prove little, so the test also
//! requires that it applies to most documents.

use leimu_markdown::slices::{read_events, sliced_events, whole_events, OwnedEvents, Slicing};

/// Slices of a few lines, so that small documents are cut (0 lines is read as 1).
const SMALL: [Slicing; 4] = [
    Slicing {
        min_run: 5,
        batch_lines: 2,
    },
    Slicing {
        min_run: 0,
        batch_lines: 0,
    },
    Slicing {
        min_run: 6,
        batch_lines: 1,
    },
    Slicing {
        min_run: 8,
        batch_lines: 7,
    },
];

fn cell(rng: &mut fastrand::Rng) -> String {
    const WORDS: [&str; 12] = [
        "生活服务",
        "/",
        "《增值电信业务经营许可证》",
        "a \\| b",
        "`x | y`",
        "p<br>q",
        "**粗体**",
        "[链接](http://a.example)",
        "[未定义][ref]",
        "",
        "<!-- c",
        "-->",
    ];
    let words: Vec<&str> = (0..rng.usize(0..3))
        .map(|_| WORDS[rng.usize(..WORDS.len())])
        .collect();
    words.join(" ")
}

fn row(rng: &mut fastrand::Rng, width: usize) -> String {
    let cells: Vec<String> = (0..rng.usize(1..=width + 1)).map(|_| cell(rng)).collect();
    let indent = [" ", "", "", "", "  "][rng.usize(..5)];
    let line = format!("{indent}| {} |", cells.join(" | "));
    match rng.u8(0..120) {
        0 => cells.join(" | "),     // no leading pipe: still a row
        1 => "|".to_string(),       // no cell: ends the table
        2 => String::new(),         // blank: ends the table
        3 => "> quote".to_string(), // starts another block
        4 => format!("{line}\r| split |"),
        _ => line,
    }
}

fn table(rng: &mut fastrand::Rng, out: &mut Vec<String>) {
    let width = rng.usize(1..6);
    let header: Vec<String> = (0..width).map(|i| format!("列{i}")).collect();
    out.push(format!("| {} |", header.join(" | ")));
    let delimiter = [":--", "---", "--:", ":-:"];
    let delimiters: Vec<&str> = (0..width).map(|_| delimiter[rng.usize(..4)]).collect();
    out.push(format!("|{}|", delimiters.join("|")));
    for _ in 0..rng.usize(0..40) {
        out.push(row(rng, width));
    }
}

fn document(rng: &mut fastrand::Rng) -> String {
    let mut lines = Vec::new();
    for _ in 0..rng.usize(1..5) {
        match rng.u8(0..10) {
            0 => lines.push("## 个人主体".to_string()),
            1 => lines.push("一段文字 | 带竖线".to_string()),
            2 => lines.extend(["- 列表".to_string(), "  | a | b |".to_string()]),
            3 => lines.extend(["```", "| in | code |", "```"].map(String::from)),
            4 if rng.bool() => lines.push("[ref]: http://defined.example".to_string()),
            _ => table(rng, &mut lines),
        }
        if rng.bool() {
            lines.push(String::new());
        }
    }
    let text = lines.join("\n");
    if rng.u8(0..8) == 0 {
        text.replace('\n', "\r\n")
    } else {
        text
    }
}

#[test]
fn sliced_parses_give_the_events_of_the_whole_parse() {
    let mut rng = fastrand::Rng::with_seed(13);
    let mut applied = 0;
    let documents = 3000;
    for _ in 0..documents {
        let text = document(&mut rng);
        let slicing = SMALL[rng.usize(..SMALL.len())];
        if let Some(sliced) = sliced_events(&text, slicing) {
            applied += 1;
            assert!(
                sliced == whole_events(&text),
                "{slicing:?}: sliced parse differs on:\n{text}"
            );
        }
    }
    assert!(
        applied * 4 > documents,
        "slicing applied to only {applied} of {documents} documents"
    );
}

/// Slicing declines `text`, and reading it gives the events of one whole parse.
fn assert_read_whole(text: &str, slicing: Slicing) {
    assert!(sliced_events(text, slicing).is_none());
    assert!(read_events(text, slicing, OwnedEvents::new) == whole_events(text));
}

/// pulldown-cmark pads at most 2^18 cells per table: a table with more
/// missing cells than slicing allows is read whole.
#[test]
fn a_table_with_many_short_rows_is_read_whole() {
    let mut text = String::from("| a | b | c | d | e |\n|-|-|-|-|-|\n");
    for i in 0..70_000 {
        text.push_str(&format!("| {i} |\n"));
    }
    let slicing = Slicing {
        min_run: 1024,
        batch_lines: 1024,
    };
    assert_read_whole(&text, slicing);
}

/// A lone `\r` ends a line for pulldown-cmark: in a delimiter line it puts
/// the first row on the same `\n` line (found by the fuzz target, which
/// read a row less in slices). Such a document is read whole.
#[test]
fn a_lone_carriage_return_is_read_whole() {
    // The delimiter line holds the first row, so a batch put under the
    // header line alone takes its first line for the delimiter.
    let mut text = String::from("| a | b |\n|---|---|\r| -- | -- |\n| r | r |\n");
    text.push_str("| --- | --- |\r| second | half |\n");
    for i in 0..10 {
        text.push_str(&format!("| {i} | x |\n"));
    }
    // One batch for the whole cut, which starts with the `\r` line.
    let slicing = Slicing {
        min_run: 5,
        batch_lines: 64,
    };
    assert_read_whole(&text, slicing);
    let crlf = text.replace('\r', "\r\n");
    assert!(sliced_events(&crlf, slicing) == Some(whole_events(&crlf)));
}

/// The category list scaled as the benches scale it: one table 30 times longer.
#[test]
fn the_category_list_reads_the_same_in_slices() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../raw/service-categories.md"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    // The body rows of the first table: from after its delimiter line to the blank line.
    let first_row = lines.iter().position(|l| l.starts_with("| ---")).unwrap() + 1;
    let end = first_row
        + lines[first_row..]
            .iter()
            .position(|l| l.is_empty())
            .unwrap();
    let body = first_row..end;
    let rows: Vec<&str> = lines[body.clone()].to_vec();
    let repeated: Vec<&str> = (0..30).flat_map(|_| rows.iter().copied()).collect();
    lines.splice(body, repeated);
    let scaled = lines.join("\n");
    let sliced = sliced_events(&scaled, Slicing::default());
    assert!(sliced.is_some(), "slicing applies to a long table");
    assert!(sliced == Some(whole_events(&scaled)));
}
