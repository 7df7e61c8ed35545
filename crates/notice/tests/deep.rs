//! A requirement block nested deeper than a tree may be is read, not
//! refused or crashed on: at the depth limit, with a note naming the entry.

use leimu_model::{DiagnosticKind, DocumentInfo};

#[test]
fn a_block_nested_thousands_deep_is_read_with_a_note() {
    let doc = DocumentInfo {
        source: "n".into(),
        file: "n.txt".into(),
        default_subject: None,
    };
    let block: String = (0..5_000).map(|i| format!("甲{i}同时提供:\n")).collect();
    let text = format!("类目新增\n#【工具-记账】\n现资质要求\n{block}类目适用范围\n适用于记账\n");
    let run = move || {
        let out = leimu_notice::parse_simplified(&doc, &text).unwrap();
        assert_eq!(out.records.len(), 1);
        assert_eq!(out.records[0].requirement.lines().count(), 5_000);
        let notes: Vec<(u32, DiagnosticKind, &str)> = out
            .diagnostics
            .iter()
            .map(|d| (d.line, d.kind, d.message.as_str()))
            .collect();
        assert_eq!(
            notes,
            [(
                2,
                DiagnosticKind::Note,
                "requirement nested more than 32 levels deep: its lines from the 33rd non-empty line on are read at that level, as siblings"
            )]
        );
    };
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(run)
        .unwrap()
        .join()
        .unwrap();
}
