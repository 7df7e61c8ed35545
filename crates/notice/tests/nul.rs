//! NUL characters never reach a record: they are removed with a note.

use leimu_model::{DiagnosticKind, DocumentInfo};

#[test]
fn nul_characters_are_removed_with_a_note() {
    let doc = DocumentInfo {
        source: "n".into(),
        file: "n.txt".into(),
        default_subject: None,
    };
    let text = "类目新增\n#【工具-记\0账】\n现资质要求\n《甲》\0\n";
    let out = leimu_notice::parse_simplified(&doc, text).unwrap();
    assert_eq!(out.records[0].path.level2, "记账");
    assert_eq!(out.records[0].requirement, "《甲》");
    let notes: Vec<(u32, DiagnosticKind)> = out
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("NUL"))
        .map(|d| (d.line, d.kind))
        .collect();
    assert_eq!(
        notes,
        [(2, DiagnosticKind::Note), (4, DiagnosticKind::Note)]
    );
}
