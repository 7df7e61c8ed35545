//! The normaliser's rules on small hand-made sources.

use super::*;
use leimu_model::{CategoryPath, Provenance};

fn record(
    source: &str,
    line: u32,
    subject: Option<Subject>,
    path: (&str, &str),
    requirement: &str,
) -> ExtractedRecord {
    ExtractedRecord {
        provenance: Provenance {
            source: source.into(),
            line,
        },
        subject,
        path: CategoryPath {
            level1: path.0.into(),
            level2: path.1.into(),
            level3: String::new(),
        },
        requirement: requirement.into(),
        scope: String::new(),
        notes: String::new(),
        extras: Vec::new(),
        requirement_tree: None,
    }
}

fn extraction(records: Vec<ExtractedRecord>) -> Extraction {
    Extraction {
        extra_columns: Vec::new(),
        records,
        diagnostics: Vec::new(),
    }
}

const E: Option<Subject> = Some(Subject::Enterprise);

fn aliases() -> Aliases {
    Aliases::parse("[level1]\n\"医疗\" = \"医疗服务\"\n[licences]\n\"甲证书\" = \"甲证\"\n")
        .unwrap()
}

fn run(old: Vec<ExtractedRecord>, new: Vec<ExtractedRecord>) -> Normalized {
    let old = extraction(old);
    let new = extraction(new);
    normalize(
        &[
            SourceInput {
                id: "old",
                as_of: "2018-01-01",
                extraction: &old,
            },
            SourceInput {
                id: "new",
                as_of: "2025-01-01",
                extraction: &new,
            },
        ],
        &[],
        &aliases(),
    )
}

#[test]
fn the_newest_source_that_states_a_requirement_decides() {
    let n = run(
        vec![
            record("old", 1, E, ("社交", "直播"), "《甲证》"),
            record("old", 2, E, ("社交", "跑腿"), "《乙证》"),
        ],
        vec![
            record("new", 7, E, ("社交", "直播"), "《丙证》"),
            record("new", 8, E, ("社交", "跑腿"), ""),
        ],
    );
    let find = |l2: &str| n.categories.iter().find(|c| c.key.level2 == l2).unwrap();
    let live = find("直播");
    assert_eq!(live.decided_by.as_deref(), Some("new"));
    assert_eq!(live.requirement_text(), "《丙证》");
    assert_eq!(live.sources, ["new", "old"]);
    // A newer source without a requirement does not override an older one.
    let errand = find("跑腿");
    assert_eq!(errand.decided_by.as_deref(), Some("old"));
    assert_eq!(errand.requirement_text(), "《乙证》");
}

#[test]
fn conflicts_compare_logic_not_strings() {
    let n = run(
        vec![
            record("old", 1, E, ("a", "spelling"), "《甲证》和《乙证》"),
            record("old", 2, E, ("a", "logic"), "《甲证》和《乙证》"),
            record("old", 3, E, ("a", "licences"), "《甲证》"),
            record("old", 4, E, ("a", "none"), ""),
            record("old", 5, E, ("a", "alias"), "《甲证书》"),
        ],
        vec![
            record("new", 1, E, ("a", "spelling"), "《乙证》与《甲证》"),
            record("new", 2, E, ("a", "logic"), "《甲证》或《乙证》"),
            record("new", 3, E, ("a", "licences"), "《乙证》"),
            record("new", 4, E, ("a", "none"), "《甲证》"),
            record("new", 5, E, ("a", "alias"), "《甲证》"),
        ],
    );
    let kinds: BTreeMap<String, Vec<ConflictKind>> = n
        .conflicts
        .iter()
        .map(|c| (c.category.level2.clone(), c.kinds.iter().copied().collect()))
        .collect();
    assert_eq!(
        kinds,
        BTreeMap::from([
            (
                "licences".to_string(),
                vec![ConflictKind::DifferentLicences]
            ),
            ("logic".to_string(), vec![ConflictKind::DifferentLogic]),
            ("none".to_string(), vec![ConflictKind::RequirementVsNone]),
        ])
    );
    let logic = n
        .conflicts
        .iter()
        .find(|c| c.category.level2 == "logic")
        .unwrap();
    assert_eq!(logic.sides.len(), 2);
    assert!(logic.sides[0].decides && logic.sides[0].source == "new");
    assert_eq!(logic.sides[1].requirement, "《甲证》和《乙证》");
    assert!(logic
        .resolution
        .starts_with("new (as of 2025-01-01, line 2)"));
}

#[test]
fn name_aliases_are_applied_and_recorded() {
    let n = run(
        vec![record("old", 4, E, ("医疗", "药品信息展示"), "《甲证》")],
        vec![record(
            "new",
            9,
            E,
            ("医疗服务", "药品信息展示"),
            "《甲证》",
        )],
    );
    assert_eq!(n.categories.len(), 1);
    assert_eq!(n.categories[0].key.level1, "医疗服务");
    assert_eq!(
        n.aliases_applied,
        [AliasApplication {
            source: "old".into(),
            line: 4,
            level: 1,
            from: "医疗".into(),
            to: "医疗服务".into()
        }]
    );
    assert!(n.conflicts.is_empty());
}

#[test]
fn the_licence_registry_counts_categories_and_sources() {
    let n = run(
        vec![
            record("old", 1, E, ("a", "x"), "《甲证书》"),
            record("old", 2, E, ("a", "y"), "《乙证》"),
        ],
        vec![
            record("new", 1, E, ("a", "x"), "《甲证》"),
            record("new", 2, E, ("a", "z"), "《甲 证》"),
        ],
    );
    let registry: Vec<(&str, Vec<&str>, usize, Vec<&str>)> = n
        .licences
        .iter()
        .map(|l| {
            (
                l.licence.as_str(),
                l.aliases.iter().map(String::as_str).collect(),
                l.categories,
                l.sources.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        registry,
        [
            ("乙证", vec![], 1, vec!["old"]),
            ("甲证", vec!["甲 证", "甲证书"], 2, vec!["new", "old"])
        ]
    );
}

#[test]
fn mentions_count_as_sources_of_licences_only() {
    let old = extraction(vec![record("old", 1, E, ("a", "x"), "《甲证》")]);
    let n = normalize(
        &[SourceInput {
            id: "old",
            as_of: "2018-01-01",
            extraction: &old,
        }],
        &[Mention {
            source: "guide",
            text: "需提供《甲证书》或《丁证》",
        }],
        &aliases(),
    );
    let registry: Vec<(&str, usize, Vec<&str>)> = n
        .licences
        .iter()
        .map(|l| {
            (
                l.licence.as_str(),
                l.categories,
                l.sources.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        registry,
        [
            ("丁证", 0, vec!["guide"]),
            ("甲证", 1, vec!["old", "guide"])
        ]
    );
    assert_eq!(n.categories.len(), 1);
}

#[test]
fn every_record_is_in_one_category_or_dropped() {
    let n = run(
        vec![
            record("old", 1, None, ("a", "x"), ""),
            record("old", 2, E, ("", "x"), ""),
            record("old", 3, E, ("a", "x"), ""),
        ],
        vec![record("new", 1, E, ("a", "x"), "")],
    );
    let contributors: usize = n.categories.iter().map(|c| c.contributors.len()).sum();
    assert_eq!(contributors + n.dropped.len(), 4);
    assert_eq!(
        n.dropped
            .iter()
            .map(|d| d.reason.as_str())
            .collect::<Vec<_>>(),
        ["no subject", "no level-1 name"]
    );
    assert_eq!(n.categories[0].decided_by, None);
}

#[test]
fn aliases_file_errors_name_the_line() {
    let err = Aliases::parse("[level1]\n\"甲\" = 3\n").unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
    assert!(
        Aliases::parse("[level1]\n\"甲\" = \"乙\"\n\"乙\" = \"丙\"\n").is_err(),
        "chains are refused"
    );
}
