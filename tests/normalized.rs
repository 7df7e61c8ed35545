//! The canonical dataset and the conflict report on the real documents.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use leimu::parsers::Extracted;
use leimu_model::{Authority, Subject};
use leimu_normalize::{
    Category, ChangeKind, ConflictKind, DisagreementKind, LicenceKind, Normalized, Role, Statement,
    Status,
};

#[test]
fn snapshots_of_the_report_and_the_categories() {
    let generated = common::generated();
    snapshot!("conflicts-md", common::file(&generated, "conflicts.md"));
    snapshot!("categories-csv", common::file(&generated, "categories.csv"));
    snapshot!("licences-csv", common::file(&generated, "licences.csv"));
}

/// The category at `path` (` › `-separated, as displayed) for enterprises.
fn category<'a>(n: &'a Normalized, path: &str) -> &'a Category {
    n.categories
        .iter()
        .find(|c| c.key.subject == Subject::Enterprise && c.path.to_string() == path)
        .unwrap_or_else(|| panic!("no category {path}"))
}

#[test]
fn a_slash_in_the_newer_official_list_says_no_document_is_required() {
    let generated = common::generated();
    let n = &generated.normalized;
    // The 2018 list writes `/` for these; the 2017 page named a licence.
    for path in [
        "教育 › 出国留学",
        "出行与交通 › 租车",
        "商家自营 › 美妆/洗护",
    ] {
        let c = category(n, path);
        assert_eq!(c.statement, Statement::None, "{path}");
        assert_eq!(c.decided_by, "service-categories", "{path}");
        assert!(c.statement.licences().is_empty(), "{path}");
        let change = n
            .changes
            .iter()
            .find(|ch| ch.category_id == c.id)
            .unwrap_or_else(|| panic!("{path}: the drop is reported as a change"));
        assert_eq!(change.differs, Some(ConflictKind::RequirementVsNone));
        assert!(!change.licences_removed.is_empty(), "{path}");
        assert_eq!(
            change.previous.as_ref().unwrap().source,
            "special-materials-2017"
        );
    }
}

#[test]
fn the_reference_page_decides_only_what_no_official_source_lists() {
    let generated = common::generated();
    let n = &generated.normalized;
    let consumer = category(n, "金融业 › 消费金融");
    assert_eq!(consumer.decided_by, "service-categories");
    assert_eq!(consumer.authority, Authority::Official);
    assert!(consumer
        .statement
        .licences()
        .contains(&"金融许可证".to_string()));
    // The reference page's different view is kept for the record, not as a decision.
    let differs = n
        .reference_differences
        .iter()
        .find(|d| d.category_id == consumer.id)
        .expect("the live-streaming page's view of 消费金融 is listed");
    assert!(differs.sides[1]
        .licences_missing
        .contains(&"金融许可证".to_string()));

    let by_reference: BTreeSet<String> = n
        .categories
        .iter()
        .filter(|c| c.decided_by == "live-streaming")
        .map(|c| c.path.to_string())
        .collect();
    assert_eq!(
        by_reference,
        [
            "工具 › 视频客服",
            "教育 › 在线视频课程",
            "金融业 › 公募基金",
            "金融业 › 私募基金"
        ]
        .map(String::from)
        .into(),
        "live-streaming decides exactly the categories no official source lists"
    );
    for c in n
        .categories
        .iter()
        .filter(|c| c.decided_by == "live-streaming")
    {
        assert_eq!(c.status, Status::ReferenceOnly);
        assert_eq!(c.authority, Authority::Reference);
        assert!(
            n.disagreements
                .iter()
                .any(|d| d.category_id == c.id && d.kind == DisagreementKind::ReferenceDecides),
            "{}: a reference decision is flagged",
            c.path
        );
    }
}

#[test]
fn one_category_spelled_two_ways_is_one_category_and_the_2025_notice_decides_it() {
    let generated = common::generated();
    let n = &generated.normalized;
    let drugs: Vec<&Category> = n
        .categories
        .iter()
        .filter(|c| c.path.level2.starts_with("药品") && c.path.level2.ends_with("销售"))
        .collect();
    assert_eq!(
        drugs.len(),
        1,
        "药品(非处方药)销售 and 药品（非处方药）销售 are one category"
    );
    let drug = drugs[0];
    assert_eq!(drug.decided_by, "notice-2025q1");
    assert_eq!(drug.status, Status::Adjusted);
    assert_eq!(
        drug.path.level2, "药品(非处方药)销售",
        "the newest official spelling"
    );
    assert_eq!(drug.sources, ["notice-2025q1", "service-categories"]);
    let change = n
        .changes
        .iter()
        .find(|c| c.category_id == drug.id)
        .expect("the notice's adjustment is a change");
    assert!(change.recent);
    assert_eq!(
        change.previous.as_ref().unwrap().source,
        "service-categories"
    );
    assert_eq!(
        change.licences_added,
        ["药品、医疗器械互联网信息服务备案凭证"],
        "the notice allows the filing certificate as an alternative"
    );
}

#[test]
fn categories_the_newer_revision_dropped_are_retired_not_current() {
    let generated = common::generated();
    let n = &generated.normalized;
    for path in [
        "商家自营 › 食品/饮料/生鲜",
        "商家自营 › 汽车/其他交通工具及配件",
        "文娱 › 小说",
        // 打车 under the name raw/aliases.toml gives it.
        "出行与交通 › 打车（网约车）",
    ] {
        let c = category(n, path);
        assert_eq!(c.status, Status::Retired, "{path}");
        assert_eq!(c.decided_by, "special-materials-2017", "{path}");
        assert_eq!(c.decided_as_of, "2017-04-07", "{path}");
        assert!(
            n.changes
                .iter()
                .any(|ch| ch.category_id == c.id && ch.kind == ChangeKind::Retired && !ch.recent),
            "{path}: retirement is history"
        );
    }
    // Nothing the 2018 list has is retired.
    let current_in_2018 = n
        .categories
        .iter()
        .filter(|c| c.sources.iter().any(|s| s == "service-categories"))
        .all(|c| c.status != Status::Retired);
    assert!(current_in_2018);
}

/// The paths of the categories with these ids.
fn paths_of(n: &Normalized, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| n.category(id).expect("a successor exists").path.to_string())
        .collect()
}

#[test]
fn a_retired_category_the_2018_list_divides_is_succeeded_by_its_parts() {
    let generated = common::generated();
    let n = &generated.normalized;
    // 2017: 富媒体 › 小说 (line 341); 2018: 文娱 › 小说 › 电子书 and › 网络小说
    // (lines 201-202).
    let novels = category(n, "文娱 › 小说");
    assert_eq!(
        paths_of(n, &novels.succeeded_by),
        ["文娱 › 小说 › 电子书", "文娱 › 小说 › 网络小说"]
    );
    // 2017: 出行与交通 › 打车 (line 301), renamed 打车（网约车） by raw/aliases.toml
    // and divided by the 2018 list (lines 120-123), every part with the same
    // licence.
    let taxi = category(n, "出行与交通 › 打车（网约车）");
    let parts: BTreeSet<String> = paths_of(n, &taxi.succeeded_by).into_iter().collect();
    let expected: BTreeSet<String> = ["快车", "出租车", "专车", "其他网约车"]
        .iter()
        .map(|p| format!("出行与交通 › 打车（网约车） › {p}"))
        .collect();
    assert_eq!(parts, expected);
    for id in &taxi.succeeded_by {
        let part = n.category(id).unwrap();
        assert_eq!(part.status, Status::Listed);
        assert_eq!(part.statement.licences(), ["网络预约出租汽车经营许可证"]);
    }
    // Only retired categories have successors, and those without any are
    // the ones left to a curator as rename suggestions.
    for c in &n.categories {
        assert!(
            c.succeeded_by.is_empty() || c.status == Status::Retired,
            "{}",
            c.path
        );
    }
    let suggested: BTreeSet<&str> = n
        .rename_suggestions
        .iter()
        .map(|s| s.retired.category_id.as_str())
        .collect();
    let unaccounted: BTreeSet<&str> = n
        .categories
        .iter()
        .filter(|c| c.status == Status::Retired && c.succeeded_by.is_empty())
        .map(|c| c.id.as_str())
        .collect();
    assert!(suggested.is_subset(&unaccounted), "{suggested:?}");
    assert!(!suggested.contains(novels.id.as_str()));
}

#[test]
fn a_curated_rename_joins_the_2017_category_to_its_2018_name() {
    let generated = common::generated();
    let n = &generated.normalized;
    // raw/aliases.toml [path]: 文娱 › 时政新闻信息 → 时政信息 › 时政信息, and
    // 金融业 › 自营贷款 → 金融业 › 非金融机构自营小额贷款.
    for (old, new, added) in [
        (
            "时政新闻信息",
            "时政信息 › 时政信息",
            "非经营性互联网信息服务备案核准",
        ),
        (
            "自营贷款",
            "金融业 › 非金融机构自营小额贷款",
            "申请主体资质承诺函",
        ),
    ] {
        assert!(
            !n.categories
                .iter()
                .any(|c| c.path.to_string().contains(old)),
            "{old} is no category of its own"
        );
        let c = category(n, new);
        assert_eq!(c.status, Status::Listed, "{new}");
        assert_eq!(c.decided_by, "service-categories", "{new}");
        assert_eq!(c.sources, ["service-categories", "special-materials-2017"]);
        // The 2018 list's requirement replaced the 2017 page's: a change.
        let change = n
            .changes
            .iter()
            .find(|ch| ch.category_id == c.id)
            .unwrap_or_else(|| panic!("{new}: the 2017 requirement is replaced"));
        assert_eq!(
            change.previous.as_ref().unwrap().source,
            "special-materials-2017"
        );
        assert!(change.licences_added.iter().any(|l| l == added), "{new}");
    }
}

#[test]
fn an_end_category_that_another_source_divides_is_an_overlap() {
    let generated = common::generated();
    let n = &generated.normalized;
    let overlap = n
        .overlaps
        .iter()
        .find(|o| o.end.path.to_string() == "医疗服务 › 就医服务")
        .expect("就医服务 is an end category in the notice and a parent in the 2018 list");
    assert!(overlap.end.sources.contains(&"notice-2025q1".to_string()));
    let children: BTreeSet<String> = overlap
        .children
        .iter()
        .map(|c| c.path.level3.to_string())
        .collect();
    assert!(
        children.contains("挂号") && children.contains("缴费") && children.contains("查报告单")
    );
    assert!(overlap
        .children
        .iter()
        .all(|c| c.sources == ["service-categories"]));
}

#[test]
fn the_report_leads_with_the_2025_notice_and_policy_decisions_are_not_disagreements() {
    let generated = common::generated();
    let n = &generated.normalized;
    let report = common::file(&generated, "conflicts.md");
    let first_change = report
        .find("## 1. What the newest sources changed")
        .unwrap();
    let notice = report.find("### notice-2025q1").unwrap();
    let appendix = report.find("## 3. Appendix").unwrap();
    assert!(first_change < notice && notice < appendix);
    assert!(n
        .changes
        .iter()
        .filter(|c| c.recent)
        .all(|c| c.source == "notice-2025q1"));
    // A 2017-vs-2018 difference is history, never a disagreement.
    assert!(n
        .disagreements
        .iter()
        .all(|d| d.sides.iter().all(|s| s.source != "special-materials-2017")));
    // Where every source agrees there is nothing to report.
    let futures = category(n, "金融业 › 证券/期货");
    assert_eq!(futures.sources.len(), 3);
    assert_eq!(futures.conflicts, 0);
    assert!(n.changes.iter().all(|c| c.category_id != futures.id));
    // The policy is stated once, not per entry.
    assert_eq!(report.matches("newest `as_of` first").count(), 1);
}

#[test]
fn ids_are_stable_and_extracted_records_join_to_categories() {
    let generated = common::generated();
    let n = &generated.normalized;
    let ids: BTreeSet<&str> = n.categories.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), n.categories.len(), "ids are unique");
    for c in &n.categories {
        assert_eq!(c.id, c.key.id(), "the id is a function of the key");
    }
    for (source, assigned) in &n.assignments {
        for id in assigned.iter().flatten() {
            assert!(ids.contains(id.as_str()), "{source}: {id} joins a category");
        }
    }
    // Pinned: ids must not change between releases.
    assert_eq!(category(n, "社交 › 直播").id, PINNED_LIVE_ID);
}

const PINNED_LIVE_ID: &str = "c94f78cd79a39";

#[test]
fn every_extracted_record_is_in_one_category_or_dropped_per_source() {
    let generated = common::generated();
    let n = &generated.normalized;
    let mut placed: BTreeMap<String, usize> = BTreeMap::new();
    for c in &n.categories {
        for contributor in &c.contributors {
            *placed.entry(contributor.source.to_string()).or_default() += 1;
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
                let missing = schema["missingValues"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|m| m == value);
                if field["type"] == "integer" {
                    assert!(
                        missing || value.parse::<i64>().is_ok(),
                        "{path}: {} = {value:?}",
                        fields[i]
                    );
                }
                if let Some(values) = field["constraints"]["enum"].as_array() {
                    assert!(
                        missing || values.iter().any(|v| v == value),
                        "{path}: {} = {value:?} is not one of {values:?}",
                        fields[i]
                    );
                }
                assert!(
                    field["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{path}: {} has a description",
                    fields[i]
                );
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

#[test]
fn the_licence_registry_joins_without_holes_and_knows_kinds() {
    let generated = common::generated();
    let n = &generated.normalized;
    let registry: BTreeMap<&str, &leimu_normalize::LicenceEntry> =
        n.licences.iter().map(|l| (l.licence.as_str(), l)).collect();
    // Every name a category requires is a registry entry; every link joins both ways.
    for c in &n.categories {
        for name in c.statement.licences() {
            assert!(registry.contains_key(name.as_str()), "{}: {name}", c.path);
        }
    }
    for link in &n.links {
        assert!(
            registry.contains_key(link.licence.as_str()),
            "{}",
            link.licence
        );
        assert!(
            n.category(&link.category_id).is_some(),
            "{}",
            link.category_id
        );
    }
    // Curated aliases: one entry per licence, its other spellings listed.
    for (alias, canonical) in [
        ("企业营业执照", "营业执照"),
        ("统一社会信用代码", "统一社会信用代码证"),
        ("保险兼业代理许可证", "保险兼业代理业务许可证"),
        ("医疗执业许可证", "医疗机构执业许可证"),
        ("电信与信息服务业务经营许可证", "增值电信业务经营许可证"),
    ] {
        assert!(!registry.contains_key(alias), "{alias} is an alias");
        assert!(
            registry[canonical].aliases.iter().any(|a| a == alias),
            "{canonical} lists {alias}"
        );
    }
    // A name joining two licences is both.
    assert!(!registry.contains_key("保险公司法人许可证和经营保险业务许可证"));
    assert!(registry["经营保险业务许可证"]
        .sources
        .contains(&"special-materials-2017".to_string()));
    // A cooperation agreement is a document, not a licence.
    assert_eq!(registry["合作协议"].kind, LicenceKind::Agreement);
    let agency = category(n, "交通服务 › 航空代理");
    let csv = common::file(&generated, "categories.csv");
    let row = csv.lines().find(|l| l.starts_with(&agency.id)).unwrap();
    assert!(
        row.contains(",公共航空运输企业经营许可证;机场使用许可证,合作协议,"),
        "{row}"
    );
    // Every entry no current category requires says why.
    for l in n.licences.iter().filter(|l| l.categories == 0) {
        assert!(!l.note.is_empty(), "{}", l.licence);
    }
}

#[test]
fn links_give_each_licence_its_role() {
    let generated = common::generated();
    let n = &generated.normalized;
    let roles = |path: &str| -> BTreeMap<String, (Role, Option<u32>)> {
        let id = &category(n, path).id;
        n.links
            .iter()
            .filter(|l| &l.category_id == id)
            .map(|l| (l.licence.clone(), (l.role, l.of)))
            .collect()
    };
    let consumer = roles("金融业 › 消费金融");
    assert_eq!(consumer["金融许可证"], (Role::Required, None));
    assert_eq!(consumer["营业执照"], (Role::Required, None));
    let live = roles("社交 › 直播");
    assert_eq!(live["信息网络传播视听节目许可证"], (Role::OneOf, Some(2)));
    assert_eq!(live["网络文化经营许可证"], (Role::OneOf, Some(2)));
    // raw/service-categories.md:236: 批发 needs the provincial, 零售 the
    // county licence: required either way, one link, written both ways,
    // each after its condition.
    let books = &category(n, "商家自营 › 图书报刊/音像/影视/游戏/动漫").id;
    let rows: Vec<_> = n
        .links
        .iter()
        .filter(|l| &l.category_id == books && l.licence == "出版物经营许可证")
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].role, Role::Required);
    assert_eq!(
        rows[0].as_written,
        "批发：省级出版行政主管部门合法的《出版物经营许可证》 或 零售：县（区）级出版行政主观部门合法的《出版物经营许可证》"
    );
    let hospital = roles("医疗服务 › 互联网医院");
    assert_eq!(hospital["卫计委批文"].0, Role::Required);
    // raw/notice-2025q1.txt:88 `(2選1)`: 1、批文或批文 2、同時提供 …: the group
    // the source states, two items, not the three alternatives it implies.
    let home = roles("医疗服务 › 上门医疗");
    assert_eq!(home["合作协议"], (Role::OneOf, Some(2)));
    // :370 `(3選1)`, the same shape.
    let visit = roles("医疗服务 › 就医服务");
    assert_eq!(visit["医疗机构执业许可证"], (Role::OneOf, Some(3)));
}

/// Which licences are required together and which are alternatives, read
/// from the link rows alone (group_id, alternative), where groups nest.
#[test]
fn links_tell_nested_groups_and_their_alternatives_apart() {
    let generated = common::generated();
    let n = &generated.normalized;
    // licence → (group_id, alternative) of the category at `path`.
    let places = |path: &str| -> BTreeMap<String, (String, Option<u32>)> {
        let id = &category(n, path).id;
        n.links
            .iter()
            .filter(|l| &l.category_id == id)
            .map(|l| (l.licence.clone(), (l.group_id.clone(), l.alternative)))
            .collect()
    };
    let place = |group: &str, alternative: u32| (group.to_string(), Some(alternative));
    // raw/notice-2025q1.txt:88–98 (2選1): 1、批文或批文 2、同時提供: ①《合作協議》
    // ②《醫療機構執業許可證》 ③承諾書. The agreement and the licence are the
    // same alternative, required together: not alternatives to each other.
    let home = places("医疗服务 › 上门医疗");
    assert_eq!(home["合作协议"], place("1", 2));
    assert_eq!(home["医疗机构执业许可证"], place("1", 2));
    // :393–397 同時提供: 1、A或B 2、C或D: two groups, both needed.
    let otc = places("医疗服务 › 药品(非处方药)销售");
    assert_eq!(otc["互联网药品信息服务资格证"], place("1.1", 1));
    assert_eq!(otc["药品、医疗器械互联网信息服务备案凭证"], place("1.1", 2));
    assert_eq!(otc["药品经营许可证"], place("1.2", 1));
    assert_eq!(otc["药品生产许可证"], place("1.2", 2));
    // :475–485 使用第三方技术: (算法备案 and 合作协议) or 在用证明, inside the
    // second alternative (第三方) of the whole requirement's group.
    let ai = places("深度合成 › AI问答");
    assert_eq!(ai["合作协议"], place("1.2.1", 1));
    assert_eq!(ai["在用证明"], place("1.2.1", 2));
    // A licence every alternative needs is in no group.
    let presale = places("汽车 › 汽车预售服务");
    assert_eq!(presale["营业执照"], (String::new(), None));
}

#[test]
fn a_line_that_names_documents_titles_its_list_and_is_no_condition() {
    use leimu_requirement::Requirement;
    let generated = common::generated();
    let n = &generated.normalized;
    // 交通服务 › 国际客运 (raw/notice-2025q1.txt:288): 二、票务代理,同时提供:
    // 1、与有资质主体公司的合作协议 2、该资质主体公司的经营国际客运许可证件(④选①):
    // ①…④. The ticket agent needs the agreement AND one of the partner's four
    // permits; the second line says what the four are, not when they apply.
    let c = category(n, "交通服务 › 国际客运");
    let Statement::Requires(Requirement::AnyOf { of: branches, .. }) = &c.statement else {
        panic!("{:?}", c.statement)
    };
    let agent = branches
        .iter()
        .find_map(|b| match b {
            Requirement::When { condition, then } if condition == "票务代理" => Some(&**then),
            _ => None,
        })
        .expect("a 票务代理 branch");
    let Requirement::AllOf { of } = agent else {
        panic!("{agent:?}")
    };
    assert_eq!(of.len(), 2, "{agent:?}");
    assert!(of.iter().any(|r| r.licences().contains("合作协议")));
    let permits = of
        .iter()
        .find_map(|r| match r {
            Requirement::Titled { title, then } => Some((title, &**then)),
            _ => None,
        })
        .expect("the permits are a titled group");
    assert_eq!(permits.0, "该资质主体公司的经营国际客运许可证件");
    // One of the four, and (line 320's 注) the corresponding ones for both services.
    let Requirement::AllOf { of: listed } = permits.1 else {
        panic!("{:?}", permits.1)
    };
    let Some(Requirement::AnyOf { choose, of: four }) = listed.first() else {
        panic!("{listed:?}")
    };
    assert!(
        matches!(&listed[1], Requirement::When { condition, .. } if condition == "同时涉及客运/客船服务"),
        "{listed:?}"
    );
    assert_eq!(
        (choose.map(|c| (c.pick, c.of)), four.len()),
        (Some((1, 4)), 4)
    );
    // No licence's condition names the title.
    let id = &c.id;
    for link in n.links.iter().filter(|l| &l.category_id == id) {
        assert!(!link.condition.contains("许可证件"), "{link:?}");
    }
    let road = n
        .links
        .iter()
        .find(|l| {
            &l.category_id == id
                && l.licence == "道路运输经营许可证"
                && l.condition.starts_with("票务代理")
        })
        .expect("the agent's road permit");
    assert_eq!(
        (road.role, road.condition.as_str()),
        (Role::Conditional, "票务代理；班车客运")
    );
}

/// raw/notice-2025q1.txt:141: `注:若《營業執照》無經營許可信息,需同時補充提供
/// 官網查詢許可經營范圍截圖`: the screenshot is required when the licence lacks
/// the details, so it is part of the requirement, not only a note.
#[test]
fn a_note_that_asks_for_a_document_is_part_of_the_requirement() {
    use leimu_requirement::Requirement;
    let generated = common::generated();
    let n = &generated.normalized;
    for path in ["商家自营 › 商用设备机械销售", "商家自营 › 商用设备机械租赁"]
    {
        let c = category(n, path);
        let Statement::Requires(Requirement::AllOf { of }) = &c.statement else {
            panic!("{path}: {:?}", c.statement)
        };
        assert!(of[0].licences().contains("营业执照"), "{path}");
        let Requirement::When { condition, then } = &of[1] else {
            panic!("{path}: {of:?}")
        };
        assert_eq!(condition, "《营业执照》无经营许可信息", "{path}");
        assert!(
            then.render().starts_with("官网查询许可经营范围截图"),
            "{path}: {}",
            then.render()
        );
        assert!(
            c.notes.contains("需同时补充提供官网查询许可经营范围截图"),
            "{path}"
        );
    }
}

/// A category the notice's 类目调整 section is the first source to list
/// existed before (交通服务 › 国际客运, raw/notice-2025q1.txt:288): its history
/// starts `adjusted`, not `added`; one its 类目新增 section lists starts `added`;
/// a category listed again by a 类目调整 after a revision dropped it is
/// `adjusted` there too.
#[test]
fn history_starts_adjusted_where_a_notice_adjusts_a_category_no_earlier_source_lists() {
    use leimu_normalize::HistoryChange;
    let generated = common::generated();
    let n = &generated.normalized;
    let first = |c: &Category| {
        n.history
            .iter()
            .find(|h| h.category_id == c.id)
            .map(|h| (h.change, h.source.as_str(), h.line))
    };
    for c in &n.categories {
        let Some((change, source, _)) = first(c) else {
            continue;
        };
        let adjusted_first = c.status == Status::Adjusted && source == "notice-2025q1";
        assert_eq!(
            change == HistoryChange::Adjusted,
            adjusted_first,
            "{}",
            c.key
        );
    }
    let c = category(n, "交通服务 › 国际客运");
    assert_eq!(
        first(c),
        Some((HistoryChange::Adjusted, "notice-2025q1", 288))
    );
    let c = category(n, "商家自营 › 商用设备机械销售");
    assert_eq!(first(c).map(|f| f.0), Some(HistoryChange::Added));
    // Every `adjusted` entry is a notice's 类目调整 listing: 就医服务 was listed
    // in 2017, dropped by the 2018 list's revision and adjusted in 2025.
    for h in n
        .history
        .iter()
        .filter(|h| h.change == HistoryChange::Adjusted)
    {
        assert_eq!(h.source, "notice-2025q1", "{:?}", h.path);
    }
    let visit = category(n, "医疗服务 › 就医服务");
    let changes: Vec<(HistoryChange, &str)> = n
        .history
        .iter()
        .filter(|h| h.category_id == visit.id)
        .map(|h| (h.change, h.source.as_str()))
        .collect();
    assert_eq!(
        changes.first().zip(changes.last()),
        Some((
            &(HistoryChange::Added, "special-materials-2017"),
            &(HistoryChange::Adjusted, "notice-2025q1")
        )),
        "{changes:?}"
    );
}

#[test]
fn notes_inside_a_notice_requirement_block_reach_the_category() {
    let generated = common::generated();
    let n = &generated.normalized;
    let sale = category(n, "商家自营 › 商用设备机械销售");
    assert!(
        sale.notes.starts_with("①暂不支持提供特种设备预售"),
        "{}",
        sale.notes
    );
    assert!(
        sale.notes
            .contains("若《营业执照》无经营许可信息,需同时补充提供官网查询许可经营范围截图"),
        "{}",
        sale.notes
    );
    // A note repeated in the block is listed once.
    let qa = category(n, "深度合成 › AI问答");
    assert_eq!(
        qa.notes.matches("点击可查看资质示例").count(),
        1,
        "{}",
        qa.notes
    );
}

/// raw/filing-guide.txt:216 `2、体育培训:…(个人主体不可从事)` (entry 休闲娱乐 ›
/// 体育) against raw/service-categories.md:345, which lists 体育 › 体育培训 for
/// individuals: a disagreement a person must resolve, with both lines. No
/// other item the guide marks so names a category listed for individuals.
#[test]
fn a_category_the_filing_guide_closes_to_individuals_is_a_disagreement() {
    use leimu_normalize::{ConflictKind, DisagreementKind};
    let generated = common::generated();
    let n = &generated.normalized;
    let excluded: Vec<_> = n
        .disagreements
        .iter()
        .filter(|d| d.kind == DisagreementKind::SubjectExcluded)
        .collect();
    assert_eq!(excluded.len(), 1, "{excluded:#?}");
    let d = excluded[0];
    assert_eq!(d.subject, leimu_model::Subject::Personal);
    assert_eq!(d.path.to_string(), "体育 › 体育培训");
    let sides: Vec<(&str, u32, bool, Option<ConflictKind>)> = d
        .sides
        .iter()
        .map(|s| (s.file.as_str(), s.line, s.decides, s.differs))
        .collect();
    assert_eq!(
        sides,
        [
            ("raw/service-categories.md", 345, true, None),
            (
                "raw/filing-guide.txt",
                216,
                false,
                Some(ConflictKind::SubjectExcluded)
            ),
        ]
    );
}

/// The 2018 list does not drop 文娱 › 小说 or 医疗服务 › 就医服务 of the 2017
/// page: it lists deeper categories under them (raw/service-categories.md:201
/// 小说 › 电子书; :32 就医服务 › 查报告单). Their history says `divided`, at
/// the first of those lines, not `removed` at line 0.
#[test]
fn a_category_a_revision_lists_deeper_categories_under_is_divided_not_removed() {
    use leimu_normalize::HistoryChange;
    let generated = common::generated();
    let n = &generated.normalized;
    let changes = |path: &str| -> Vec<(String, u32, HistoryChange)> {
        let id = &category(n, path).id;
        n.history
            .iter()
            .filter(|h| &h.category_id == id)
            .map(|h| (h.source.clone(), h.line, h.change))
            .collect()
    };
    let novels = changes("文娱 › 小说");
    assert_eq!(
        novels.last(),
        Some(&(
            "service-categories".to_string(),
            201,
            HistoryChange::Divided
        )),
        "{novels:?}"
    );
    let visits = changes("医疗服务 › 就医服务");
    assert!(
        visits.contains(&("service-categories".to_string(), 32, HistoryChange::Divided)),
        "{visits:?}"
    );
    // A category the revision drops with nothing under it stays removed.
    let parts = changes("商家自营 › 汽车/其他交通工具及配件");
    assert_eq!(
        parts.last().map(|c| (c.1, c.2)),
        Some((0, HistoryChange::Removed)),
        "{parts:?}"
    );
}

/// 金融业 › 网络借贷信息中介（P2P） (raw/service-categories.md:110): one of
/// two documents, and whichever it is, its content must state
/// 网络借贷信息中介机构 — the clause after the last alternative holds both.
#[test]
fn a_clause_after_the_last_alternative_qualifies_each_of_them() {
    use leimu_requirement::Requirement;
    let generated = common::generated();
    let c = category(&generated.normalized, "金融业 › 网络借贷信息中介（P2P）");
    assert_eq!(
        (c.decided_by.as_str(), c.decided_line),
        ("service-categories", 110)
    );
    let Statement::Requires(Requirement::AnyOf { of, .. }) = &c.statement else {
        panic!("{:?}", c.statement)
    };
    let texts: BTreeSet<String> = of.iter().map(Requirement::render).collect();
    assert_eq!(
        texts,
        BTreeSet::from([
            "银监会备案证明材料，并文件内容明确为“网络借贷信息中介机构”".to_string(),
            "省（自治区、直辖市或深圳市等）金融办批准文件，并文件内容明确为“网络借贷信息中介机构”"
                .to_string(),
        ])
    );
}
