//! Each change kind on small inputs of both kinds.

use super::*;
use serde_json::{json, Value};

/// A record as `leimu extract --format json` writes it.
fn record(line: u32, level2: &str, requirement: &str, notes: &str) -> Value {
    json!({
        "source": "list", "line": line, "subject": "enterprise",
        "level1": "社交", "level2": level2, "level3": "",
        "requirement": requirement,
        "licences": leimu_model::licences(requirement),
        "scope": "", "notes": notes, "category_id": "",
    })
}

/// A category as `categories.json` has it.
fn category(level2: &str, requirement: &str, status: &str) -> Value {
    json!({
        "id": "c0", "subject": "enterprise", "level1": "社交", "level2": level2, "level3": "",
        "status": status, "requirement": requirement,
        "licences": leimu_model::licences(requirement),
        "scope": "", "notes": "", "decided_by": "list",
    })
}

fn snapshot(items: &[Value]) -> Snapshot {
    Snapshot::from_json("test.json", &serde_json::to_vec(items).unwrap()).unwrap()
}

fn run(old: &[Value], new: &[Value]) -> Report {
    diff(&snapshot(old), &snapshot(new), &Aliases::default())
}

fn changes(report: &Report) -> Vec<&'static str> {
    assert_eq!(report.changed.len(), 1, "{report:#?}");
    report.changed[0]
        .changes
        .iter()
        .map(|f| f.as_str())
        .collect()
}

#[test]
fn added_and_removed_categories() {
    let r = run(
        &[
            record(1, "直播", "《甲证》", ""),
            record(2, "答题", "/", ""),
        ],
        &[
            record(1, "直播", "《甲证》", ""),
            record(2, "树洞", "/", ""),
        ],
    );
    assert_eq!(r.added.len(), 1);
    assert_eq!(r.added[0].level2, "树洞");
    assert_eq!(r.removed.len(), 1);
    assert_eq!(r.removed[0].level2, "答题");
    assert!(r.changed.is_empty());
}

#[test]
fn a_new_licence_is_a_change_of_logic_and_licences() {
    let r = run(
        &[record(1, "直播", "《甲证》", "")],
        &[record(9, "直播", "《甲证》或《乙证》", "")],
    );
    assert_eq!(changes(&r), ["requirement", "logic", "licences"]);
    let c = &r.changed[0];
    assert_eq!(c.licences_added, ["乙证"]);
    assert!(c.licences_removed.is_empty());
    assert_eq!(c.old.requirement.as_deref(), Some("《甲证》"));
    assert_eq!(
        c.new.licences.as_deref(),
        Some(&["甲证".to_string(), "乙证".into()][..])
    );
    assert!(c.old.notes.is_none(), "only changed fields are shown");
}

#[test]
fn or_against_and_is_logic_with_the_same_licences() {
    let r = run(
        &[record(1, "直播", "《甲证》和《乙证》", "")],
        &[record(1, "直播", "《甲证》或《乙证》", "")],
    );
    assert_eq!(changes(&r), ["requirement", "logic"]);
}

#[test]
fn the_same_logic_written_otherwise_is_wording() {
    // 和 and 与 agree; a document without 《》 is wording.
    let r = run(
        &[record(1, "直播", "《甲证》和《乙证》", "")],
        &[record(1, "直播", "《甲证》与《乙证》", "")],
    );
    assert_eq!(changes(&r), ["requirement", "wording"]);
    let r = run(
        &[record(1, "直播", "《甲证》", "")],
        &[record(1, "直播", "《甲证》和营业执照", "")],
    );
    assert_eq!(changes(&r), ["requirement", "wording"]);
}

#[test]
fn none_required_against_documents_is_logic() {
    let r = run(
        &[record(1, "直播", "/", "")],
        &[record(1, "直播", "《甲证》", "")],
    );
    assert_eq!(changes(&r), ["requirement", "logic", "licences"]);
    assert_eq!(r.changed[0].licences_added, ["甲证"]);
}

#[test]
fn notes_and_scope() {
    let r = run(
        &[record(1, "直播", "/", "旧")],
        &[record(1, "直播", "/", "新")],
    );
    assert_eq!(changes(&r), ["notes"]);
    assert_eq!(r.changed[0].old.notes.as_deref(), Some("旧"));
    let mut scoped = record(1, "直播", "/", "旧");
    scoped["scope"] = json!("适用于秀场");
    let r = run(&[record(1, "直播", "/", "旧")], &[scoped]);
    assert_eq!(changes(&r), ["scope"]);
}

#[test]
fn keys_are_compared_in_identity_normal_form() {
    let r = run(
        &[record(1, "药品（非处方药）", "/", "")],
        &[record(1, "药品(非处方药)", "/", "")],
    );
    assert!(r.is_empty(), "{r:#?}");
}

#[test]
fn a_retired_category_is_absent_and_a_categories_file_matches_a_record_file() {
    let r = run(
        &[
            category("直播", "《甲证》", "listed"),
            category("答题", "/", "listed"),
        ],
        &[
            category("直播", "《甲证》", "listed"),
            category("答题", "/", "retired"),
        ],
    );
    assert_eq!(r.removed.len(), 1);
    assert_eq!(r.removed[0].level2, "答题");
    let r = run(
        &[category("直播", "《甲证》", "listed")],
        &[record(3, "直播", "《甲证》", "")],
    );
    assert!(r.is_empty(), "{r:#?}");
}

#[test]
fn the_json_shape_is_exactly_the_documented_one() {
    let r = run(
        &[
            record(1, "直播", "《甲证》", ""),
            record(2, "答题", "/", ""),
        ],
        &[
            record(1, "直播", "《乙证》", ""),
            record(3, "树洞", "/", ""),
        ],
    );
    let value: Value = serde_json::from_slice(&r.json().unwrap()).unwrap();
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&value), ["added", "removed", "changed"]);
    let c = [
        "subject",
        "level1",
        "level2",
        "level3",
        "requirement",
        "licences",
        "notes",
        "scope",
    ];
    assert_eq!(keys(&value["added"][0]), c);
    assert_eq!(keys(&value["removed"][0]), c);
    let mut changed: Vec<&str> = c.to_vec();
    changed.extend([
        "changes",
        "licences_added",
        "licences_removed",
        "old",
        "new",
    ]);
    assert_eq!(keys(&value["changed"][0]), changed);
    assert_eq!(
        value["changed"][0]["old"],
        json!({"requirement": "《甲证》", "licences": ["甲证"]})
    );
    assert_eq!(value["changed"][0]["licences_removed"], json!(["甲证"]));
}

#[test]
fn a_file_of_another_kind_is_a_clear_error() {
    let err = |bytes: &[u8]| format!("{:#}", Snapshot::from_json("x.json", bytes).unwrap_err());
    let filing =
        json!([{"source": "filing-guide", "line": 3, "level1": "生活服务", "level2": "宠物"}]);
    let message = err(&serde_json::to_vec(&filing).unwrap());
    assert!(message.contains("x.json: entry 1"), "{message}");
    assert!(
        message.contains("no subject, level3, requirement, licences"),
        "{message}"
    );
    assert!(message.contains("leimu extract --format json"), "{message}");
    assert!(err(b"source,line\n").contains("x.json:1: not JSON"));
    assert!(err(b"{\"added\": []}").contains("a JSON object instead of an array"));
    let mixed = json!([record(1, "直播", "/", ""), category("答题", "/", "listed")]);
    assert!(err(&serde_json::to_vec(&mixed).unwrap()).contains("entry 2: not like entry 1"));
}

#[test]
fn a_repeated_key_keeps_the_first_record_and_says_so() {
    let s = snapshot(&[
        record(4, "直播", "《甲证》", ""),
        record(9, "直播", "/", ""),
    ]);
    assert_eq!(s.entries.len(), 1);
    assert_eq!(s.entries.values().next().unwrap().requirement, "《甲证》");
    assert_eq!(s.duplicates, ["test.json:9: enterprise · 社交 › 直播"]);
}

#[test]
fn categories_are_compared_by_the_logic_they_state() {
    let with_tree = |kind: &str, rendered: &str| {
        let mut c = category("直播", rendered, "listed");
        c["licences"] = json!(["甲证", "乙证"]);
        c["requirement_tree"] = json!({"kind": kind, "choose": null, "of": [
            {"kind": "licence", "name": "甲证", "qualifier": ""},
            {"kind": "licence", "name": "乙证", "qualifier": "(含网络表演)"},
        ]});
        if kind == "all-of" {
            c["requirement_tree"]
                .as_object_mut()
                .unwrap()
                .remove("choose");
        }
        c
    };
    let r = run(
        &[with_tree("any-of", "《甲证》 或 《乙证》[(含网络表演)]")],
        &[with_tree("all-of", "《甲证》 和 《乙证》[(含网络表演)]")],
    );
    assert_eq!(changes(&r), ["requirement", "logic"]);
    let mut none = category("直播", "", "listed");
    none["requirement_tree"] = json!({"kind": "none"});
    let r = run(
        &[none],
        &[with_tree("any-of", "《甲证》 或 《乙证》[(含网络表演)]")],
    );
    assert_eq!(changes(&r), ["requirement", "logic", "licences"]);
}

#[test]
fn a_disagreement_is_new_unless_the_old_run_had_the_same_sides() {
    let row = |requirement: &str, line: u32| -> DisagreementRow {
        serde_json::from_value(json!({
            "category_id": "c1", "subject": "enterprise", "kind": "official-sources-differ",
            "path": {"level1": "社交", "level2": "直播", "level3": ""},
            "sides": [
                {"source": "a", "file": "raw/a.md", "line": line, "requirement": "《甲证》", "decides": true},
                {"source": "b", "file": "raw/b.md", "line": 3, "requirement": requirement, "decides": false},
            ],
        }))
        .unwrap()
    };
    // A moved line is the same disagreement; another requirement is a new one.
    assert!(new_disagreements(&[row("《乙证》", 5)], &[row("《乙证》", 9)]).is_empty());
    let found = new_disagreements(&[row("《乙证》", 5)], &[row("《丙证》", 9)]);
    assert_eq!(found.len(), 1);
    let md = disagreements_markdown(&found, "old", "new");
    assert!(
        md.contains("- enterprise · 社交 › 直播: official-sources-differ\n"),
        "{md}"
    );
    assert!(
        md.contains("  - raw/a.md:9 (a, decides): 《甲证》\n"),
        "{md}"
    );
}

#[test]
fn a_notice_record_is_compared_by_its_block() {
    let entry = |group: Value, requirement: &str| {
        let mut r = record(5, "直播", requirement, "");
        r["licences"] = json!(["甲证", "乙证"]);
        r["requirement_tree"] = json!({"label": "", "text": "", "group": group, "children": [
            {"label": "1、", "text": "《甲证》"},
            {"label": "2、", "text": "《乙证》"},
        ]});
        r
    };
    let r = run(
        &[entry(
            json!({"kind": "any-of", "choose": {"pick": 1, "of": 2}}),
            "(2选1):\n  1、《甲证》\n  2、《乙证》",
        )],
        &[entry(
            json!({"kind": "all-of"}),
            "同时提供:\n  1、《甲证》\n  2、《乙证》",
        )],
    );
    assert_eq!(changes(&r), ["requirement", "logic"]);
}
