//! What entries repeat is kept once: the records share the copy, and read
//! as if each had its own.

use std::sync::Arc;

use leimu_model::{DocumentInfo, Text};

#[test]
fn entries_share_the_texts_and_trees_they_repeat() {
    let doc = DocumentInfo {
        source: "n".into(),
        file: "n.txt".into(),
        default_subject: None,
    };
    let entry = |level2: &str, requirement: &str| {
        format!(
            "#【工具-{level2}】\n现资质要求\n(2选1):\n1、{requirement}\n2、《乙》\n类目适用范围\n适用于{level2}\n注:须上传\n"
        )
    };
    let text = format!(
        "类目新增\n{}{}{}",
        entry("记账", "《甲》"),
        entry("日历", "《甲》"),
        entry("闹钟", "《丙》")
    );
    let out = leimu_notice::parse_simplified(&doc, &text).unwrap();
    let [a, b, c] = &out.records[..] else {
        panic!("three records: {:?}", out.records)
    };
    assert_eq!(
        (a.requirement.as_str(), c.requirement.as_str()),
        (
            "(2选1):\n  1、《甲》\n  2、《乙》",
            "(2选1):\n  1、《丙》\n  2、《乙》"
        )
    );
    assert!(Text::shares(&a.requirement, &b.requirement));
    let (tree_a, tree_b) = (
        a.requirement_tree.as_ref().unwrap(),
        b.requirement_tree.as_ref().unwrap(),
    );
    assert!(Arc::ptr_eq(tree_a, tree_b));
    assert!(!Text::shares(&a.requirement, &c.requirement));
    assert!(!Arc::ptr_eq(tree_a, c.requirement_tree.as_ref().unwrap()));
    assert!(Text::shares(&a.notes, &c.notes) && a.notes == "须上传");
    assert!(Text::shares(&a.path.level1, &c.path.level1));
    // Level-2 names and scopes are each entry's own.
    assert_eq!(
        (b.path.level2.as_str(), b.scope.as_str()),
        ("日历", "适用于日历")
    );
}
