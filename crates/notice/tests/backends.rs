//! Both OpenCC backends give the same simplified text, on the real notice.
//! Runs with `--features opencc-cpp` (needs libopencc-dev; `.ci/run` installs it).
#![cfg(feature = "opencc-cpp")]

use leimu_notice::convert::{CppOpenCC, FerrousOpenCC, ToSimplified};

#[test]
fn both_backends_convert_the_notice_identically() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../raw/notice-2025q1.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let pure = FerrousOpenCC::new().unwrap().convert(&text);
    let cpp = CppOpenCC::new().unwrap().convert(&text);
    assert_eq!(pure.lines().count(), text.lines().count());
    if pure != cpp {
        let first = pure
            .lines()
            .zip(cpp.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b);
        panic!(
            "backends differ, first at line {:?}",
            first.map(|(i, (a, b))| (i + 1, a.to_string(), b.to_string()))
        );
    }
    assert!(pure.contains("类目调整") && !pure.contains("類目調整"));
}

#[test]
fn both_backends_give_the_same_records() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../raw/notice-2025q1.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let doc = leimu_model::DocumentInfo {
        source: "notice-2025q1".into(),
        file: "notice-2025q1.txt".into(),
        default_subject: None,
    };
    let pure = leimu_notice::parse_with(&FerrousOpenCC::new().unwrap(), &doc, &text).unwrap();
    let cpp = leimu_notice::parse_with(&CppOpenCC::new().unwrap(), &doc, &text).unwrap();
    assert_eq!(pure.records.len(), 33);
    assert_eq!(pure, cpp);
}
