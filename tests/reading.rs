//! Reading documents: real documents re-encoded as a publisher might have
//! saved them (GBK, Big5, UTF-16 with a byte-order mark, UTF-8 with a
//! byte-order mark) give the same records as the UTF-8 originals, with a note
//! naming the encoding; a document above the size limit is refused.

mod common;

use std::path::Path;
use std::process::Command;

use encoding_rs::{Encoding, BIG5, GBK};
use leimu::manifest::{self, Source};
use leimu::parsers::{self, Extracted};
use leimu_model::{DiagnosticKind, DocumentInfo};

fn source(id: &str) -> Source {
    manifest::load(&common::root().join("raw/sources.toml"))
        .unwrap()
        .into_iter()
        .find(|s| s.id == id)
        .unwrap()
}

fn original(source: &Source) -> String {
    std::fs::read_to_string(common::root().join("raw").join(&source.file)).unwrap()
}

fn document_info(source: &Source) -> DocumentInfo {
    DocumentInfo {
        source: source.id.as_str().into(),
        file: format!("raw/{}", source.file),
        default_subject: source.default_subject,
    }
}

/// `text` in a legacy encoding; the text must be representable in it.
fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, unrepresentable) = encoding.encode(text);
    assert!(!unrepresentable, "the text is not all {}", encoding.name());
    bytes.into_owned()
}

fn utf16_with_bom(text: &str, little_endian: bool) -> Vec<u8> {
    std::iter::once('\u{feff}' as u16)
        .chain(text.encode_utf16())
        .flat_map(|unit| match little_endian {
            true => unit.to_le_bytes(),
            false => unit.to_be_bytes(),
        })
        .collect()
}

/// Extracts `bytes` written to a file, and `text` (their UTF-8 original)
/// directly; asserts the same records, and the same diagnostics after the
/// one note naming the encoding, which must contain `encoding_name`.
fn assert_same_as_utf8(source: &Source, text: &str, bytes: &[u8], encoding_name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(&source.file);
    std::fs::write(&path, bytes).unwrap();
    let doc = document_info(source);
    let decoded = parsers::extract_file(source.parser, &doc, &path).unwrap();
    let expected = parsers::extract(source.parser, &doc, text).unwrap();
    assert!(!expected.is_empty());
    match (&decoded, &expected) {
        (Extracted::Categories(d), Extracted::Categories(e)) => assert_eq!(d.records, e.records),
        (Extracted::Filing(d), Extracted::Filing(e)) => assert_eq!(d.entries, e.entries),
        _ => panic!("different shapes"),
    }
    let (note, rest) = decoded.diagnostics().split_first().unwrap();
    assert_eq!(rest, expected.diagnostics());
    assert_eq!(
        (note.file.as_str(), note.line, note.kind),
        (doc.file.as_str(), 1, DiagnosticKind::Note)
    );
    assert!(note.message.contains(encoding_name), "{note}");
}

#[test]
fn the_notice_in_big5_reads_as_in_utf8() {
    let notice = source("notice-2025q1");
    // Big5 has no no-break space, and the saved page's footer has one
    // simplified link text (亚洲欧美); a Big5 page would carry neither.
    let text = original(&notice)
        .replace('\u{a0}', " ")
        .replace("亚洲欧美", "亞洲歐美");
    assert_same_as_utf8(&notice, &text, &encode(BIG5, &text), "Big5");
}

#[test]
fn the_category_list_in_gbk_reads_as_in_utf8() {
    let list = source("service-categories");
    let text = original(&list);
    assert_same_as_utf8(&list, &text, &encode(GBK, &text), "GBK");
}

#[test]
fn the_filing_guide_in_utf16_with_a_byte_order_mark_reads_as_in_utf8() {
    let guide = source("filing-guide");
    let text = original(&guide);
    assert_same_as_utf8(&guide, &text, &utf16_with_bom(&text, true), "UTF-16LE");
    assert_same_as_utf8(&guide, &text, &utf16_with_bom(&text, false), "UTF-16BE");
}

#[test]
fn a_utf8_byte_order_mark_is_dropped() {
    let page = source("live-streaming");
    let text = original(&page);
    let bytes = [&b"\xef\xbb\xbf"[..], text.as_bytes()].concat();
    assert_same_as_utf8(&page, &text, &bytes, "byte-order mark");
}

#[test]
fn ingest_of_a_gbk_revision_writes_the_same_utf8_output_and_a_note() {
    let utf8 = common::generated();
    let dir = common::scratch_copy();
    let root = dir.path();
    let list = root.join("raw/service-categories.md");
    let text = std::fs::read_to_string(&list).unwrap();
    std::fs::write(&list, encode(GBK, &text)).unwrap();

    let gbk = leimu::pipeline::generate(root).unwrap();
    for (path, bytes) in &utf8.files {
        if path != "diagnostics.csv" {
            assert_eq!(&gbk.files[path], bytes, "{path} differs");
        }
    }
    let diagnostics = common::file(&gbk, "diagnostics.csv");
    let note = "service-categories,raw/service-categories.md,1,note,decoded from GBK";
    assert!(diagnostics.contains(note), "{diagnostics}");
    let without_note: Vec<&str> = diagnostics
        .lines()
        .filter(|l| !l.starts_with(note))
        .collect();
    assert_eq!(
        without_note,
        common::file(&utf8, "diagnostics.csv")
            .lines()
            .collect::<Vec<_>>()
    );
}

#[test]
fn extract_prints_the_encoding_note_and_utf8_records() {
    let text = original(&source("service-categories"));
    let dir = tempfile::tempdir().unwrap();
    let gbk = dir.path().join("revision.md");
    std::fs::write(&gbk, encode(GBK, &text)).unwrap();
    let run = |path: &Path| {
        Command::new(env!("CARGO_BIN_EXE_leimu"))
            .args(["extract", "--parser", "markdown-tables"])
            .arg(path)
            .output()
            .unwrap()
    };
    let out = run(&gbk);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.starts_with(&format!("{}:1: note: decoded from GBK", gbk.display())),
        "{stderr}"
    );
    let utf8 = dir.path().join("revision-utf8.md");
    std::fs::write(&utf8, &text).unwrap();
    let expected = String::from_utf8(run(&utf8).stdout)
        .unwrap()
        .replace("revision-utf8,", "revision,");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn an_unsure_guess_names_the_encoding_and_the_conversion() {
    // Too little text for the detector to be sure.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("short.md");
    std::fs::write(&path, encode(GBK, "| 一级类目 |\n|---|\n| 社交 |\n")).unwrap();
    let doc = DocumentInfo {
        source: "short".into(),
        file: "short.md".into(),
        default_subject: None,
    };
    let err = parsers::extract_file(leimu_model::ParserKind::MarkdownTables, &doc, &path)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("short.md:1: not UTF-8"), "{err}");
    assert!(err.contains("probably GBK"), "{err}");
    assert!(
        err.contains("iconv -f GBK -t UTF-8 'short.md' > converted"),
        "{err}"
    );
}

#[test]
fn extract_refuses_a_document_above_the_size_limit_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.md");
    // Sparse: 64 MiB + 1 of size, nothing written, nothing to read.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(leimu::decode::MAX_DOCUMENT_BYTES + 1)
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_leimu"))
        .args(["extract", "--parser", "markdown-tables"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("huge.md:0: document too large: 67108865 bytes, more than the limit"),
        "{stderr}"
    );
}
