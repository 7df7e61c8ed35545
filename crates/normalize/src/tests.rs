//! The normaliser's rules on small hand-made sources.

use super::*;
use leimu_model::{
    CategoryPath, ExtractedRecord, NoticeSection, Provenance, RecordShape, SourceFields, Subject,
};

const E: Option<Subject> = Some(Subject::Enterprise);

fn record(
    line: u32,
    subject: Option<Subject>,
    path: (&str, &str),
    requirement: &str,
) -> ExtractedRecord {
    ExtractedRecord {
        provenance: Provenance {
            source: Default::default(),
            line,
        },
        subject,
        path: CategoryPath {
            level1: path.0.into(),
            level2: path.1.into(),
            level3: Default::default(),
        },
        requirement: requirement.into(),
        scope: Default::default(),
        notes: Default::default(),
        fields: SourceFields::Plain,
        requirement_tree: None,
        inherited: Box::default(),
    }
}

fn notice(
    line: u32,
    path: (&str, &str),
    section: NoticeSection,
    requirement: &str,
) -> ExtractedRecord {
    ExtractedRecord {
        fields: SourceFields::Notice {
            section,
            beta: false,
        },
        ..record(line, E, path, requirement)
    }
}

/// A source for [`run`]: id, as_of, authority, series, records.
struct Doc {
    id: &'static str,
    as_of: &'static str,
    authority: Authority,
    series: Option<&'static str>,
    extraction: Extraction,
}

fn doc(id: &'static str, as_of: &'static str, records: Vec<ExtractedRecord>) -> Doc {
    let shape = if records
        .iter()
        .any(|r| matches!(r.fields, SourceFields::Notice { .. }))
    {
        RecordShape::Notice
    } else {
        RecordShape::Plain
    };
    Doc {
        id,
        as_of,
        authority: Authority::Official,
        series: None,
        extraction: Extraction {
            shape,
            records,
            diagnostics: Vec::new(),
        },
    }
}

impl Doc {
    fn reference(mut self) -> Doc {
        self.authority = Authority::Reference;
        self
    }

    fn series(mut self, name: &'static str) -> Doc {
        self.series = Some(name);
        self
    }
}

fn aliases() -> Aliases {
    Aliases::parse("[level1]\n\"医疗\" = \"医疗服务\"\n[licences]\n\"甲证书\" = \"甲证\"\n")
        .unwrap()
}

fn run(docs: &[Doc]) -> Normalized {
    run_with(docs, &[], &aliases())
}

fn run_with(docs: &[Doc], mentions: &[Mention], aliases: &Aliases) -> Normalized {
    run_restricted(docs, mentions, &[], aliases)
}

fn run_restricted(
    docs: &[Doc],
    mentions: &[Mention],
    restrictions: &[Restriction],
    aliases: &Aliases,
) -> Normalized {
    let files: Vec<String> = docs.iter().map(|d| format!("raw/{}.md", d.id)).collect();
    let inputs: Vec<SourceInput> = docs
        .iter()
        .zip(&files)
        .map(|(d, file)| SourceInput {
            id: d.id,
            file,
            as_of: d.as_of,
            authority: d.authority,
            series: d.series,
            extraction: &d.extraction,
        })
        .collect();
    normalize(&inputs, mentions, restrictions, aliases)
}

fn find<'a>(n: &'a Normalized, level2: &str) -> &'a Category {
    n.categories
        .iter()
        .find(|c| c.path.level2 == level2)
        .unwrap_or_else(|| panic!("no category {level2}"))
}

#[test]
fn the_newest_official_statement_decides_and_a_slash_is_a_statement() {
    let n = run(&[
        doc(
            "old",
            "2017-01-01",
            vec![
                record(1, E, ("社交", "直播"), "《甲证》"),
                record(2, E, ("社交", "跑腿"), "《乙证》"),
            ],
        ),
        doc(
            "new",
            "2018-01-01",
            vec![
                record(7, E, ("社交", "直播"), "《丙证》"),
                record(8, E, ("社交", "跑腿"), "/"),
            ],
        ),
    ]);
    let live = find(&n, "直播");
    assert_eq!(live.decided_by, "new");
    assert_eq!(live.requirement_text(), "《丙证》");
    assert_eq!(live.sources, ["new", "old"]);
    // A newer official `/` states that nothing is required: it overrides the licence.
    let errand = find(&n, "跑腿");
    assert_eq!(errand.decided_by, "new");
    assert_eq!(errand.statement, Statement::None);
    assert_eq!(errand.statement.needs_documents(), "no");
    let change = n.changes.iter().find(|c| c.path.level2 == "跑腿").unwrap();
    assert_eq!(change.differs, Some(ConflictKind::RequirementVsNone));
    assert_eq!(change.licences_removed, ["乙证"]);
}

#[test]
fn a_reference_source_decides_only_what_no_official_source_lists() {
    let n = run(&[
        doc(
            "list",
            "2018-01-01",
            vec![record(3, E, ("金融业", "消费金融"), "《金融许可证》")],
        ),
        doc(
            "cloud",
            "2021-01-01",
            vec![
                record(5, E, ("金融业", "消费金融"), "《备案核准》"),
                record(9, E, ("金融业", "公募基金"), "《基金证》"),
            ],
        )
        .reference(),
    ]);
    let consumer = find(&n, "消费金融");
    assert_eq!(consumer.decided_by, "list", "older, but official");
    assert_eq!(consumer.status, Status::Listed);
    assert_eq!(n.reference_differences.len(), 1);
    assert_eq!(
        n.reference_differences[0].sides[1].licences_missing,
        ["金融许可证"]
    );
    assert!(n.changes.is_empty(), "a reference source changes nothing");

    let fund = find(&n, "公募基金");
    assert_eq!(fund.decided_by, "cloud");
    assert_eq!(fund.status, Status::ReferenceOnly);
    assert_eq!(fund.authority, Authority::Reference);
    assert_eq!(n.disagreements.len(), 1, "a reference decision is flagged");
    assert_eq!(n.disagreements[0].kind, DisagreementKind::ReferenceDecides);
    assert_eq!(fund.conflicts, 1);
}

#[test]
fn ties_of_as_of_follow_the_manifest_order() {
    let n = run(&[
        doc(
            "first",
            "2018-01-01",
            vec![record(1, E, ("a", "x"), "《甲证》")],
        ),
        doc(
            "second",
            "2018-01-01",
            vec![record(1, E, ("a", "x"), "《乙证》")],
        ),
    ]);
    assert_eq!(find(&n, "x").decided_by, "first");
    // Two official sources that are not one series differ: a person must look.
    assert_eq!(
        n.disagreements[0].kind,
        DisagreementKind::OfficialSourcesDiffer
    );
}

#[test]
fn revisions_of_a_series_retire_what_the_newest_drops() {
    let n = run(&[
        doc(
            "page-2017",
            "2017-04-07",
            vec![
                record(1, E, ("金融业", "自营贷款"), "省金融办批准文件"),
                record(2, E, ("金融业", "银行"), "《金融机构许可证》"),
            ],
        )
        .series("page"),
        doc(
            "page-2018",
            "2018-09-01",
            vec![
                record(5, E, ("金融业", "银行"), "《金融许可证》"),
                record(6, E, ("金融业", "非金融机构自营小额贷款"), "《批准文件》"),
            ],
        )
        .series("page"),
    ]);
    let loan = find(&n, "自营贷款");
    assert_eq!(loan.status, Status::Retired);
    assert_eq!(loan.decided_by, "page-2017");
    assert!(!loan.status.is_current());
    assert_eq!(find(&n, "银行").status, Status::Listed);
    // A newer revision replacing an older one is history, not a disagreement.
    assert!(n.disagreements.is_empty());
    let kinds: Vec<(ChangeKind, &str)> = n
        .changes
        .iter()
        .map(|c| (c.kind, c.path.level2.as_str()))
        .collect();
    assert!(kinds.contains(&(ChangeKind::Retired, "自营贷款")));
    assert!(kinds.contains(&(ChangeKind::Replaced, "银行")));
    // The similar name under the same level 1 is suggested, never applied.
    assert_eq!(n.rename_suggestions.len(), 1);
    assert_eq!(
        n.rename_suggestions[0].candidate.path.level2,
        "非金融机构自营小额贷款"
    );
    assert_eq!(n.categories.len(), 3);
}

#[test]
fn a_notice_adds_and_adjusts_and_its_changes_are_recent() {
    let n = run(&[
        doc(
            "list",
            "2018-09-01",
            vec![
                record(
                    38,
                    E,
                    ("医疗", "药品（非处方药）销售"),
                    "《互联网药品信息服务资格证》",
                ),
                record(
                    39,
                    E,
                    ("医疗", "药品信息展示"),
                    "《互联网药品信息服务资格证》",
                ),
            ],
        )
        .series("page"),
        doc(
            "notice",
            "2025-03-31",
            vec![
                notice(
                    389,
                    ("医疗服务", "药品(非处方药)销售"),
                    NoticeSection::Adjusted,
                    "《互联网药品信息服务资格证》或《备案凭证》",
                ),
                notice(
                    30,
                    ("金融业", "金融资产管理"),
                    NoticeSection::Added,
                    "《金融许可证》",
                ),
                notice(
                    50,
                    ("医疗服务", "药品信息展示"),
                    NoticeSection::Added,
                    "《其他证》",
                ),
                notice(60, ("生活服务", "跑腿"), NoticeSection::Adjusted, ""),
            ],
        ),
    ]);
    let drugs = find(&n, "药品(非处方药)销售");
    assert_eq!(drugs.status, Status::Adjusted);
    assert_eq!(drugs.decided_by, "notice");
    assert_eq!(
        drugs.sources,
        ["notice", "list"],
        "two spellings, one category"
    );
    assert_eq!(
        drugs.contributors[1].written_path.as_deref(),
        Some("医疗 › 药品（非处方药）销售")
    );
    let change = n
        .changes
        .iter()
        .find(|c| c.category_id == drugs.id)
        .unwrap();
    assert!(change.recent);
    assert_eq!(change.licences_added, ["备案凭证"]);
    assert_eq!(change.section, Some(NoticeSection::Adjusted));

    let new = find(&n, "金融资产管理");
    assert_eq!(new.status, Status::Added);
    let added = n.changes.iter().find(|c| c.category_id == new.id).unwrap();
    assert_eq!(added.kind, ChangeKind::New);

    // The notice says it adds a category the list already has, with other licences.
    let shown = find(&n, "药品信息展示");
    assert!(n
        .disagreements
        .iter()
        .any(|d| d.category_id == shown.id && d.kind == DisagreementKind::AddedButListed));

    // An entry without a requirement block states nothing about it.
    let errand = find(&n, "跑腿");
    assert_eq!(errand.statement, Statement::Unstated);
    assert_eq!(errand.statement.needs_documents(), "unstated");
    assert_eq!(errand.status, Status::Adjusted);
}

#[test]
fn changes_and_conflicts_compare_logic_not_strings() {
    let pair = |requirement_old: &str, requirement_new: &str| {
        let n = run(&[
            doc(
                "old",
                "2017-01-01",
                vec![record(1, E, ("a", "x"), requirement_old)],
            )
            .series("s"),
            doc(
                "new",
                "2018-01-01",
                vec![record(2, E, ("a", "x"), requirement_new)],
            )
            .series("s"),
        ]);
        n.changes.first().and_then(|c| c.differs)
    };
    assert_eq!(
        pair("《甲证》和《乙证》", "《乙证》与《甲证》"),
        None,
        "和 and 与 agree"
    );
    assert_eq!(
        pair("《甲证书》", "《甲证》"),
        None,
        "licence aliases apply first"
    );
    assert_eq!(
        pair("《甲证》和《乙证》", "《甲证》或《乙证》"),
        Some(ConflictKind::DifferentLogic)
    );
    assert_eq!(
        pair("《甲证》", "《乙证》"),
        Some(ConflictKind::DifferentLicences)
    );
    assert_eq!(pair("《甲证》", "/"), Some(ConflictKind::RequirementVsNone));
    assert_eq!(
        pair("《甲证》和合作协议", "《甲证》和合作协议书"),
        Some(ConflictKind::DifferentDocuments)
    );
}

#[test]
fn an_end_category_that_another_source_divides_is_an_overlap() {
    let mut deeper = record(33, E, ("医疗服务", "就医服务"), "《甲证》");
    deeper.path.level3 = "挂号".into();
    let n = run(&[
        doc("list", "2018-01-01", vec![deeper]),
        doc(
            "notice",
            "2025-01-01",
            vec![notice(
                366,
                ("医疗服务", "就医服务"),
                NoticeSection::Adjusted,
                "《乙证》",
            )],
        ),
    ]);
    assert_eq!(n.overlaps.len(), 1);
    let overlap = &n.overlaps[0];
    assert_eq!(overlap.end.path.level2, "就医服务");
    assert_eq!(overlap.end.at, "raw/notice.md:366");
    assert_eq!(overlap.children[0].path.level3, "挂号");
    assert!(n.categories.iter().all(|c| c.conflicts == 1));

    // One source with a group row and its children is a group, not an overlap.
    let mut child = record(2, E, ("a", "x"), "《甲证》");
    child.path.level3 = "y".into();
    let n = run(&[doc(
        "one",
        "2018-01-01",
        vec![record(1, E, ("a", "x"), "/"), child],
    )]);
    assert!(n.overlaps.is_empty());
}

#[test]
fn curated_aliases_are_applied_and_counted_once_each() {
    let n = run(&[
        doc(
            "old",
            "2017-01-01",
            vec![
                record(4, E, ("医疗", "药品信息展示"), "《甲证》"),
                record(5, E, ("医疗", "互联网医院"), "《甲证》"),
            ],
        ),
        doc(
            "new",
            "2018-01-01",
            vec![record(9, E, ("医疗服务", "药品信息展示"), "《甲证》")],
        ),
    ]);
    assert_eq!(n.categories.len(), 2);
    assert_eq!(find(&n, "药品信息展示").path.level1, "医疗服务");
    assert_eq!(n.aliases_applied.len(), 1);
    assert_eq!(
        (
            n.aliases_applied[0].from.as_str(),
            n.aliases_applied[0].to.as_str(),
            n.aliases_applied[0].records
        ),
        ("医疗", "医疗服务", 2)
    );
    // Extracted records resolve to the aliased category's id.
    assert_eq!(
        n.assignments["old"][0].as_deref(),
        Some(find(&n, "药品信息展示").id.as_str())
    );
}

#[test]
fn ids_do_not_depend_on_source_order_or_other_sources() {
    let a = doc(
        "a",
        "2017-01-01",
        vec![record(1, E, ("社交", "直播"), "《甲证》")],
    );
    let b = doc(
        "b",
        "2018-01-01",
        vec![
            record(1, E, ("社交", "直播"), "《乙证》"),
            record(2, E, ("社交", "问答"), "/"),
        ],
    );
    let alone = run(&[doc(
        "a",
        "2017-01-01",
        vec![record(1, E, ("社交", "直播"), "《甲证》")],
    )]);
    let both = run(&[a, b]);
    let reversed = run(&[
        doc(
            "b",
            "2018-01-01",
            vec![
                record(1, E, ("社交", "直播"), "《乙证》"),
                record(2, E, ("社交", "问答"), "/"),
            ],
        ),
        doc(
            "a",
            "2017-01-01",
            vec![record(1, E, ("社交", "直播"), "《甲证》")],
        ),
    ]);
    assert_eq!(find(&alone, "直播").id, find(&both, "直播").id);
    assert_eq!(find(&both, "直播").id, find(&reversed, "直播").id);
    assert_eq!(
        both.categories,
        reversed
            .categories
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c.sources.sort_by_key(|s| if s == "b" { 0 } else { 1 });
                c
            })
            .collect::<Vec<_>>()
    );
}

#[test]
fn the_licence_registry_counts_current_categories_and_names_sources() {
    let n = run_with(
        &[
            doc(
                "old",
                "2017-01-01",
                vec![
                    record(1, E, ("a", "x"), "《甲证书》"),
                    record(2, E, ("a", "gone"), "《乙证》"),
                ],
            )
            .series("s"),
            doc(
                "new",
                "2018-01-01",
                vec![
                    record(1, E, ("a", "x"), "《甲证》"),
                    record(2, E, ("a", "z"), "《甲 证》"),
                ],
            )
            .series("s"),
        ],
        &[Mention {
            source: "guide",
            text: "需提供《甲证书》或《丁证》",
        }],
        &aliases(),
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
            ("丁证", vec![], 0, vec!["guide"]),
            ("乙证", vec![], 0, vec!["old"]),
            (
                "甲证",
                vec!["甲 证", "甲证书"],
                2,
                vec!["new", "old", "guide"]
            )
        ],
        "乙证 is required only by a retired category: 0 current categories"
    );
}

#[test]
fn every_record_is_in_one_category_or_dropped() {
    let n = run(&[
        doc(
            "old",
            "2017-01-01",
            vec![
                record(1, None, ("a", "x"), ""),
                record(2, E, ("", "x"), ""),
                record(3, E, ("a", "x"), ""),
            ],
        ),
        doc("new", "2018-01-01", vec![record(1, E, ("a", "x"), "")]),
    ]);
    let contributors: usize = n.categories.iter().map(|c| c.contributors.len()).sum();
    assert_eq!(contributors + n.dropped.len(), 4);
    assert_eq!(
        n.dropped
            .iter()
            .map(|d| d.reason.as_str())
            .collect::<Vec<_>>(),
        ["no subject", "no level-1 name"]
    );
    assert_eq!(n.assignments["old"][..2], [None, None]);
    assert!(n.assignments["old"][2].is_some());
}

/// The history of the category at `level2`: (source, line, change).
fn history_of<'a>(n: &'a Normalized, level2: &str) -> Vec<(&'a str, u32, HistoryChange)> {
    n.history
        .iter()
        .filter(|h| h.path.level2 == level2)
        .map(|h| (h.source.as_str(), h.line, h.change))
        .collect()
}

#[test]
fn history_walks_the_official_statements_oldest_first() {
    let with_notes = |mut r: ExtractedRecord, notes: &str| {
        r.notes = notes.into();
        r
    };
    let n = run(&[
        doc(
            "rev-3",
            "2019-01-01",
            vec![
                record(1, E, ("社交", "直播"), "《甲证》或《乙证》"),
                record(2, E, ("社交", "论坛"), "/"),
                record(3, E, ("医疗", "问诊"), "《丙证》"),
            ],
        )
        .series("page"),
        doc(
            "rev-1",
            "2017-01-01",
            vec![
                record(7, E, ("社交", "直播"), "《乙证》"),
                record(8, E, ("社交", "论坛"), "《丁证》"),
                record(9, E, ("社交", "答题"), "/"),
            ],
        )
        .series("page"),
        doc(
            "rev-2",
            "2018-01-01",
            vec![
                record(4, E, ("社交", "直播"), "《乙证》和《甲证书》"),
                with_notes(record(5, E, ("社交", "论坛"), "《丁证》"), "需审核"),
            ],
        )
        .series("page"),
        doc(
            "notice",
            "2020-01-01",
            vec![notice(
                11,
                ("医疗服务", "问诊"),
                NoticeSection::Adjusted,
                "《丙证》和营业执照",
            )],
        ),
        doc(
            "summary",
            "2021-01-01",
            vec![record(1, E, ("社交", "直播"), "《戊证》")],
        )
        .reference(),
    ]);
    use HistoryChange::*;
    // 甲证书 is an alias of 甲证: rev-2 added 甲证 (as a licence), rev-3 kept
    // the licences and made them alternatives. The reference page is no history.
    assert_eq!(
        history_of(&n, "直播"),
        [
            ("rev-1", 7, Added),
            ("rev-2", 4, Licences),
            ("rev-3", 1, Logic)
        ]
    );
    let live: Vec<_> = n
        .history
        .iter()
        .filter(|h| h.path.level2 == "直播")
        .collect();
    assert_eq!(live[1].licences_added, ["甲证"]);
    assert!(live[1].licences_removed.is_empty());
    assert_eq!(live[1].requirement, "《乙证》和《甲证书》");
    assert_eq!(
        history_of(&n, "论坛"),
        [
            ("rev-1", 8, Added),
            ("rev-2", 5, Notes),
            ("rev-3", 2, Requirement)
        ]
    );
    let forum = n.history.iter().rfind(|h| h.path.level2 == "论坛").unwrap();
    assert_eq!(forum.licences_removed, ["丁证"]);
    // rev-2 dropped 答题: removed by the revision that no longer lists it.
    assert_eq!(
        history_of(&n, "答题"),
        [("rev-1", 9, Added), ("rev-2", 0, Removed)]
    );
    assert_eq!(find(&n, "答题").status, Status::Retired);
    // A notice that does not list a category removes nothing; its entry
    // adds a document without 《》: wording.
    assert_eq!(
        history_of(&n, "问诊"),
        [("rev-3", 3, Added), ("notice", 11, Wording)]
    );
    // In as_of order across categories.
    assert!(n.history.windows(2).all(|w| w[0].as_of <= w[1].as_of));
}

#[test]
fn a_category_dropped_and_listed_again_is_removed_then_added() {
    let n = run(&[
        doc("a", "2017-01-01", vec![record(1, E, ("工具", "天气"), "/")]).series("s"),
        doc("b", "2018-01-01", vec![record(1, E, ("工具", "日历"), "/")]).series("s"),
        doc(
            "c",
            "2019-01-01",
            vec![record(2, E, ("工具", "天气"), "《甲证》")],
        )
        .series("s"),
        // Another publication that does not list 天气 says nothing about it;
        // it lists 日历 after the series dropped it.
        doc(
            "other",
            "2020-01-01",
            vec![record(1, E, ("工具", "日历"), "/")],
        ),
    ]);
    use HistoryChange::*;
    assert_eq!(
        history_of(&n, "天气"),
        [("a", 1, Added), ("b", 0, Removed), ("c", 2, Added)]
    );
    assert_eq!(find(&n, "天气").status, Status::Listed);
    assert_eq!(
        history_of(&n, "日历"),
        [("b", 1, Added), ("c", 0, Removed), ("other", 1, Added)]
    );
    assert_eq!(find(&n, "日历").status, Status::Listed);
}

#[test]
fn statements_read_back_what_they_write() {
    let n = run(&[doc(
        "list",
        "2018-01-01",
        vec![
            record(
                1,
                E,
                ("社交", "直播"),
                "《甲证》或《乙证》（适用于政府主体）",
            ),
            record(2, E, ("社交", "跑腿"), "/"),
            notice(3, ("生活服务", "跑腿"), NoticeSection::Adjusted, ""),
        ],
    )]);
    for c in &n.categories {
        let written = serde_json::to_string(&c.statement).unwrap();
        let read: Statement = serde_json::from_str(&written).unwrap();
        assert_eq!(read, c.statement, "{written}");
    }
    assert!(serde_json::from_str::<Statement>(r#"{"kind": "maybe"}"#).is_err());
}

/// raw/filing-guide.txt:216 `2、体育培训:…(个人主体不可从事)` in the entry
/// 休闲娱乐 › 体育, against a list that has 体育 › 体育培训 for individuals.
#[test]
fn a_category_listed_for_a_subject_an_official_source_excludes_is_a_disagreement() {
    const P: Subject = Subject::Personal;
    let list = doc(
        "list",
        "2018-09-01",
        vec![
            record(345, Some(P), ("体育", "体育培训"), "/"),
            record(346, Some(P), ("体育", "在线健身"), "/"),
            record(12, E, ("体育", "体育培训"), "/"),
        ],
    );
    let restriction = |name, entry, authority| Restriction {
        source: "guide",
        file: "raw/guide.txt",
        as_of: "2023-09-01",
        authority,
        line: 216,
        entry,
        name,
        text: "2、体育培训:适用于提供各种体育项目培训/学习的服务等(个人主体不可从事)",
        subject: P,
    };
    let n = run_restricted(
        &[list],
        &[],
        &[
            restriction("体育培训", ["休闲娱乐", "体育"], Authority::Official),
            // Another entry's item of the same name: not this category.
            restriction("体育培训", ["教育", "培训"], Authority::Official),
            // A reference source cannot dispute an official list.
            restriction("在线健身", ["休闲娱乐", "体育"], Authority::Reference),
        ],
        &aliases(),
    );
    let found: Vec<(&str, Subject, DisagreementKind)> = n
        .disagreements
        .iter()
        .map(|d| (d.path.level2.as_str(), d.subject, d.kind))
        .collect();
    assert_eq!(found, [("体育培训", P, DisagreementKind::SubjectExcluded)]);
    let d = &n.disagreements[0];
    assert!(d.sides[0].decides && d.sides[0].line == 345);
    assert_eq!(
        (d.sides[1].line, d.sides[1].differs),
        (216, Some(ConflictKind::SubjectExcluded))
    );
    let training = n
        .categories
        .iter()
        .find(|c| c.key.subject == P && c.path.level2 == "体育培训")
        .unwrap();
    assert_eq!(training.conflicts, 1, "counted as a conflict to resolve");
    assert_eq!(
        training.status,
        Status::Listed,
        "still listed: a person decides"
    );
}
