//! The canonical dataset and the conflict report on the real documents.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use leimu::parsers::Extracted;
use leimu_normalize::ConflictKind;

#[test]
fn snapshots_of_the_report_and_the_categories() {
    let generated = common::generated();
    snapshot!("conflicts-md", common::file(&generated, "conflicts.md"));
    snapshot!("categories-csv", common::file(&generated, "categories.csv"));
    snapshot!("licences-csv", common::file(&generated, "licences.csv"));
}

#[test]
fn the_known_conflicts_are_reported_and_agreement_is_not() {
    let generated = common::generated();
    let n = &generated.normalized;
    let conflict = |l1: &str, l2: &str| {
        n.conflicts.iter().find(|c| {
            c.category.level1 == l1 && c.category.level2 == l2 && c.category.level3.is_empty()
        })
    };
    let sources_of = |l1: &str, l2: &str| -> BTreeSet<String> {
        conflict(l1, l2)
            .unwrap_or_else(|| panic!("no conflict for {l1} › {l2}"))
            .sides
            .iter()
            .map(|s| s.source.clone())
            .collect()
    };
    let set = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        sources_of("教育", "出国移民"),
        set(&["service-categories", "special-materials-2017"])
    );
    assert_eq!(
        sources_of("医疗服务", "私立医疗机构"),
        set(&["service-categories", "special-materials-2017"])
    );
    assert_eq!(
        sources_of("社交", "直播"),
        set(&[
            "live-streaming",
            "service-categories",
            "special-materials-2017"
        ])
    );
    assert_eq!(
        sources_of("金融业", "消费金融"),
        set(&["live-streaming", "service-categories"])
    );
    assert_eq!(
        sources_of("医疗服务", "药品信息展示"),
        set(&[
            "notice-2025q1",
            "service-categories",
            "special-materials-2017"
        ])
    );
    let drug = conflict("医疗服务", "药品信息展示").unwrap();
    assert!(drug
        .sides
        .iter()
        .any(|s| s.decides && s.source == "notice-2025q1"));
    assert!(drug.kinds.contains(&ConflictKind::DifferentLicences));
    // 社交 › 直播: the 2018 list's 或 and the 2017 page's 和 are different logic
    // from each other; both differ from the live-streaming page's three alternatives.
    let live = conflict("社交", "直播").unwrap();
    assert!(live
        .sides
        .iter()
        .any(|s| s.decides && s.source == "live-streaming"));
    // Where every source agrees there is no conflict.
    assert!(conflict("金融业", "证券/期货").is_none());
    let futures = n
        .categories
        .iter()
        .find(|c| c.key.level1 == "金融业" && c.key.level2 == "证券/期货")
        .unwrap();
    assert_eq!(futures.sources.len(), 3);
}

#[test]
fn every_extracted_record_is_in_one_category_or_dropped_per_source() {
    let generated = common::generated();
    let n = &generated.normalized;
    let mut placed: BTreeMap<String, usize> = BTreeMap::new();
    for c in &n.categories {
        for contributor in &c.contributors {
            *placed.entry(contributor.source.clone()).or_default() += 1;
        }
    }
    for d in &n.dropped {
        *placed.entry(d.source.clone()).or_default() += 1;
    }
    let mut extracted: BTreeMap<String, usize> = BTreeMap::new();
    for o in &generated.sources {
        if let Some(Extracted::Categories(e)) = &o.extraction {
            extracted.insert(o.source.id.clone(), e.records.len());
        }
    }
    assert_eq!(placed, extracted);
    assert_eq!(extracted.values().sum::<usize>(), 383 + 45 + 17 + 33);
}

#[test]
fn almost_every_requirement_parses_and_the_rest_is_listed() {
    let generated = common::generated();
    let n = &generated.normalized;
    assert!(
        n.requirements_parsed * 100 >= n.requirements_read * 99,
        "{} of {}",
        n.requirements_parsed,
        n.requirements_read
    );
    let report = common::file(&generated, "conflicts.md");
    for u in &n.unparsed {
        assert!(
            report.contains(&u.text),
            "{} missing from the report",
            u.text
        );
    }
}

#[test]
fn datapackage_describes_every_csv_exactly() {
    let generated = common::generated();
    let package: serde_json::Value =
        serde_json::from_slice(&generated.files["datapackage.json"]).unwrap();
    let resources = package["resources"].as_array().unwrap();
    let described: BTreeSet<&str> = resources
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    let csvs: BTreeSet<&str> = generated
        .files
        .keys()
        .map(String::as_str)
        .filter(|p| p.ends_with(".csv"))
        .collect();
    assert_eq!(described, csvs);
    for resource in resources {
        let path = resource["path"].as_str().unwrap();
        let schema = &resource["schema"];
        let fields: Vec<&str> = schema["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        let mut reader = csv::Reader::from_reader(generated.files[path].as_slice());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            fields,
            "{path}"
        );
        let key: Vec<usize> = schema["primaryKey"]
            .as_array()
            .map(|k| {
                k.iter()
                    .map(|n| {
                        fields
                            .iter()
                            .position(|f| *f == n.as_str().unwrap())
                            .unwrap()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut seen = BTreeSet::new();
        for row in reader.records() {
            let row = row.unwrap();
            for (i, field) in schema["fields"].as_array().unwrap().iter().enumerate() {
                let value = &row[i];
                if field["type"] == "integer" {
                    assert!(
                        value.parse::<i64>().is_ok(),
                        "{path}: {} = {value:?}",
                        fields[i]
                    );
                }
                if field["constraints"]["required"] == true {
                    assert!(
                        !value.is_empty() || key.contains(&i),
                        "{path}: required {} empty",
                        fields[i]
                    );
                }
            }
            if !key.is_empty() {
                let k: Vec<&str> = key.iter().map(|&i| &row[i]).collect();
                assert!(seen.insert(k.join("\u{1f}")), "{path}: duplicate key {k:?}");
            }
        }
    }
}
