//! `leimu export`: the workbook read back with calamine, cell by cell against
//! the CSV; determinism; the CSV copies with a byte-order mark.

mod common;

use std::io::Cursor;
use std::process::Command;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use leimu::dataset::{read_table, Dataset};
use leimu::export;

fn dataset() -> Dataset {
    Dataset::load(&common::root()).expect("normalized/ reads")
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Int(i) => i.to_string(),
        other => panic!("unexpected cell {other:?}"),
    }
}

#[test]
fn the_categories_sheet_is_the_csv_cell_by_cell() {
    let dataset = dataset();
    let bytes = export::workbook(&dataset).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(
        names,
        [
            "类目 categories",
            "资质 licences",
            "类目资质 links",
            "冲突 conflicts",
            "备案 filing services",
            "变更 history"
        ]
    );
    let range = book.worksheet_range("类目 categories").unwrap();
    let csv_bytes = std::fs::read(common::root().join("normalized/categories.csv")).unwrap();
    let csv = read_table("categories.csv", &csv_bytes).unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    assert_eq!(
        rows.len(),
        csv.rows.len() + 1,
        "header and one row per category"
    );
    let header: Vec<String> = csv.header.iter().map(|h| export::header_label(h)).collect();
    assert_eq!(rows[0], header);
    assert_eq!(rows[0][0], "编号 id");
    assert_eq!(rows[0][2], "一级类目 level1");
    let mut cells = 0;
    for (sheet_row, csv_row) in rows[1..].iter().zip(&csv.rows) {
        // calamine trims trailing empty cells only at the range's edge.
        for (col, value) in csv_row.iter().enumerate() {
            let got = sheet_row.get(col).map(String::as_str).unwrap_or("");
            assert_eq!(got, value, "row {csv_row:?} column {}", csv.header[col]);
            cells += 1;
        }
    }
    assert_eq!(cells, csv.rows.len() * csv.header.len());
}

#[test]
fn the_links_sheet_states_roles() {
    let dataset = dataset();
    let bytes = export::workbook(&dataset).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("类目资质 links").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    // 社交 › 直播: the official list's 《信息网络传播视听节目许可证》或《网络文化经营许可证》.
    let live = rows
        .iter()
        .find(|r| r[3] == "直播" && r[5] == "网络文化经营许可证")
        .expect("a link for 直播");
    assert_eq!(live[7], "one-of");
    assert_eq!(live[8], "1 of 2");
    assert_eq!(rows.len() - 1, dataset.links.len());
}

#[test]
fn the_workbook_is_byte_identical_twice() {
    let dataset = dataset();
    let first = export::workbook(&dataset).unwrap();
    let second = export::workbook(&Dataset::load(&common::root()).unwrap()).unwrap();
    assert!(first == second, "two exports differ");
}

#[test]
fn export_writes_the_workbook_and_csv_with_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("leimu.xlsx");
    let bom = dir.path().join("bom");
    let out = Command::new(env!("CARGO_BIN_EXE_leimu"))
        .args(["export", "--xlsx"])
        .arg(&xlsx)
        .arg("--csv-bom")
        .arg(&bom)
        .current_dir(common::root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    let with_bom = std::fs::read(bom.join("categories.csv")).unwrap();
    let plain = std::fs::read(common::root().join("normalized/categories.csv")).unwrap();
    assert_eq!(&with_bom[..3], b"\xEF\xBB\xBF");
    assert_eq!(&with_bom[3..], plain.as_slice());
    assert!(bom.join("extracted/notice-2025q1.csv").is_file());
    assert!(bom.join("category-licences.csv").is_file());
}
