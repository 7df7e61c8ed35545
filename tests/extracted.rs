//! The extractions of the real documents in raw/: snapshots, counts, and the
//! accounting that nothing is lost.

mod common;

use std::collections::BTreeMap;

use leimu::parsers::Extracted;
use leimu_model::{
    Advice, Choice, DiagnosticKind, Extraction, Field, FilingExtraction, Inherited, NoticeSection,
    RecordShape, SourceFields, Subject,
};

fn extracted(id: &str) -> Extracted {
    let generated = common::generated();
    generated
        .sources
        .into_iter()
        .find(|o| o.source.id == id)
        .and_then(|o| o.extraction)
        .unwrap_or_else(|| panic!("{id} is extracted"))
}

fn extraction(id: &str) -> Extraction {
    match extracted(id) {
        Extracted::Categories(e) => e,
        Extracted::Filing(_) => panic!("{id} is not a category source"),
    }
}

fn filing(id: &str) -> FilingExtraction {
    match extracted(id) {
        Extracted::Filing(e) => e,
        Extracted::Categories(_) => panic!("{id} is not the filing guide"),
    }
}

#[test]
fn snapshots_of_every_extraction() {
    let generated = common::generated();
    for outcome in &generated.sources {
        if outcome.extraction.is_some() {
            let id = &outcome.source.id;
            snapshot!(
                format!("extracted-{id}"),
                common::file(&generated, &format!("extracted/{id}.csv"))
            );
        }
    }
    snapshot!("diagnostics", common::file(&generated, "diagnostics.csv"));
    // The notice's requirement trees live only in its JSON.
    snapshot!(
        "extracted-notice-2025q1-json",
        common::file(&generated, "extracted/notice-2025q1.json")
    );
}

#[test]
fn service_categories_has_285_44_54_records() {
    let out = extraction("service-categories");
    let mut per_subject: BTreeMap<Option<Subject>, usize> = BTreeMap::new();
    for r in &out.records {
        *per_subject.entry(r.subject).or_default() += 1;
    }
    assert_eq!(
        per_subject,
        BTreeMap::from([
            (Some(Subject::Enterprise), 285),
            (Some(Subject::Personal), 44),
            (Some(Subject::Overseas), 54)
        ])
    );
}

/// Every body row of the file's pipe tables, found by a plain line scan that
/// shares no code with the parser: a line starting with `|` that is not a
/// header, a delimiter, or all-empty.
fn body_rows(text: &str) -> Vec<u32> {
    let mut rows = Vec::new();
    let mut previous_was_table = false;
    let mut header_seen = false;
    for (i, line) in text.lines().enumerate() {
        let is_row = line.trim_start().starts_with('|');
        if !is_row {
            previous_was_table = false;
            continue;
        }
        if !previous_was_table {
            header_seen = false; // first line of a table: its header
        }
        previous_was_table = true;
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        let delimiter = cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')));
        if !header_seen {
            header_seen = true;
            continue;
        }
        if delimiter || cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        rows.push(i as u32 + 1);
    }
    rows
}

#[test]
fn every_row_of_service_categories_is_one_record_or_a_diagnostic() {
    let text = std::fs::read_to_string(common::root().join("raw/service-categories.md")).unwrap();
    let rows = body_rows(&text);
    assert_eq!(rows.len(), 285 + 44 + 54);

    let out = extraction("service-categories");
    let mut accounted: BTreeMap<u32, usize> = BTreeMap::new();
    for r in &out.records {
        *accounted.entry(r.provenance.line).or_default() += 1;
    }
    for d in out.diagnostics.iter().filter(|d| d.kind.loses_content()) {
        *accounted.entry(d.line).or_default() += 1;
    }
    // Outside the tables: the title (a heading of no table) and the remark
    // under it are reported; the three subject headings head tables.
    let outside: Vec<u32> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('|'))
        .map(|(i, _)| i as u32 + 1)
        .collect();
    assert_eq!(outside, [1, 3, 5, 298, 348]);
    let mut expected = rows.clone();
    expected.extend([1, 3]);
    expected.sort();
    let lines: Vec<u32> = accounted.keys().copied().collect();
    assert_eq!(
        lines, expected,
        "records and content-losing diagnostics cover exactly the body rows and the text no table reads"
    );
    assert!(accounted.values().all(|&n| n == 1), "no line is read twice");
    for (heading, subject) in [
        (5, Subject::Enterprise),
        (298, Subject::Personal),
        (348, Subject::Overseas),
    ] {
        let first_row = rows.iter().copied().find(|&r| r > heading).unwrap();
        assert_eq!(
            find(&out, subject, first_row).subject,
            Some(subject),
            "the heading at {heading} heads the table under it"
        );
    }
}

fn find(out: &Extraction, subject: Subject, line: u32) -> &leimu_model::ExtractedRecord {
    out.records
        .iter()
        .find(|r| r.provenance.line == line && r.subject == Some(subject))
        .unwrap_or_else(|| panic!("no record for line {line}"))
}

#[test]
fn the_issues_examples_are_recovered() {
    let out = extraction("service-categories");
    let text = std::fs::read_to_string(common::root().join("raw/service-categories.md")).unwrap();
    let line_of = |needle: &str, after: usize| -> u32 {
        text.lines()
            .enumerate()
            .skip(after)
            .find(|(_, l)| l.starts_with(needle))
            .map(|(i, _)| i as u32 + 1)
            .unwrap()
    };

    // `| 熟人交友 | / | | | |`: a sibling of 陌生人交友 inheriting requirement and note.
    let r = find(&out, Subject::Enterprise, line_of("| 熟人交友", 0));
    assert_eq!(r.path.to_string(), "社交 › 熟人交友");
    assert_eq!(r.requirement, "《增值电信业务经营许可证》");
    assert!(
        r.notes.starts_with("选择该类目后首次提交代码审核"),
        "{}",
        r.notes
    );

    // `| 课外辅导 | | | | |`: under 教育 › 培训机构 with the licence of 职业培训.
    let r = find(&out, Subject::Enterprise, line_of("| 课外辅导", 0));
    assert_eq!(r.path.to_string(), "教育 › 培训机构 › 课外辅导");
    assert!(r.requirement.contains("《民办学校办学许可证》"));

    // `| 美容 | / | | |` in the personal table: 生活服务 › 丽人 › 美容.
    let personal_table = text
        .find("## 个人主体")
        .map(|b| text[..b].lines().count())
        .unwrap();
    let r = find(&out, Subject::Personal, line_of("| 美容", personal_table));
    assert_eq!(r.path.to_string(), "生活服务 › 丽人 › 美容");
    assert_eq!(r.requirement, "");

    // The 政务民生 requirement covers its whole level-1 group.
    let group: Vec<_> = out
        .records
        .iter()
        .filter(|r| r.path.level1 == "政务民生")
        .collect();
    assert_eq!(group.len(), 59);
    assert!(group.iter().all(|r| r
        .requirement
        .starts_with("政府/事业单位，提供《组织机构代码证》")));
}

#[test]
fn values_from_merged_cells_name_the_line_they_are_written_on() {
    let out = extraction("service-categories");
    let inherited = |line: u32| find(&out, Subject::Enterprise, line).inherited.to_vec();
    // 缴费 (line 34) shares 挂号's (line 33) requirement cell.
    assert_eq!(
        inherited(34),
        [Inherited {
            field: Field::Requirement,
            line: 33
        }]
    );
    // The 政务民生 rows (`| 交通违法 | / | / |  |  |`) share line 46's requirement;
    // their own `/` is the note.
    for line in [47, 80, 104] {
        assert_eq!(
            inherited(line),
            [Inherited {
                field: Field::Requirement,
                line: 46
            }],
            "line {line}"
        );
    }
    // A row written in full inherits nothing.
    assert!(inherited(46).is_empty());
}

#[test]
fn ambiguous_rows_are_reported_with_their_line() {
    let out = extraction("service-categories");
    let ambiguous: Vec<u32> = out
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::Ambiguous)
        .map(|d| d.line)
        .collect();
    assert!(!ambiguous.is_empty());
    for line in ambiguous {
        assert!(
            out.records.iter().any(|r| r.provenance.line == line),
            "line {line} still became a record"
        );
    }
}

#[test]
fn special_materials_2017_has_45_records_one_per_row() {
    let out = extraction("special-materials-2017");
    assert_eq!(out.records.len(), 45);
    assert!(out
        .records
        .iter()
        .all(|r| r.subject == Some(Subject::Enterprise)));
    // Independent accounting: every <tr> after the header row is one record.
    let text =
        std::fs::read_to_string(common::root().join("raw/special-materials-2017.md")).unwrap();
    let tr_lines: Vec<u32> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("<tr"))
        .map(|(i, _)| i as u32 + 1)
        .skip(1)
        .collect();
    let lines: Vec<u32> = out.records.iter().map(|r| r.provenance.line).collect();
    assert_eq!(lines, tr_lines);
    let first = &out.records[0];
    assert_eq!(first.path.to_string(), "教育 › 驾校培训");
    assert_eq!(
        first.requirement,
        "需提供《道路运输经营许可证》，且其中须有“驾驶员培训”项目"
    );
    let richmedia = out
        .records
        .iter()
        .filter(|r| r.path.level1 == "富媒体")
        .count();
    assert_eq!(richmedia, 7);
}

#[test]
fn live_streaming_has_17_cards_under_their_headings() {
    let out = extraction("live-streaming");
    let paths: Vec<String> = out.records.iter().map(|r| r.path.to_string()).collect();
    assert_eq!(
        paths,
        [
            "社交 › 直播",
            "教育 › 在线视频课程",
            "医疗 › 互联网医院",
            "医疗 › 公立医疗机构",
            "金融业 › 银行",
            "金融业 › 信托",
            "金融业 › 公募基金",
            "金融业 › 私募基金",
            "金融业 › 证券/期货",
            "金融业 › 证券、期货投资咨询",
            "金融业 › 保险",
            "金融业 › 征信业务",
            "金融业 › 新三板信息服务平台",
            "金融业 › 股票信息服务平台（港股/美股）",
            "金融业 › 消费金融",
            "汽车 › 汽车预售服务",
            "工具 › 视频客服",
        ]
    );
    assert_eq!(out.shape, RecordShape::Card);
    let live = &out.records[0];
    let SourceFields::Card(card) = &live.fields else {
        panic!("a card has card fields")
    };
    assert_eq!(
        card.choose,
        Some(Choice { pick: 1, of: 3 }),
        "资质要求（3选1）"
    );
    assert_eq!(
        live.requirement.lines().collect::<Vec<_>>(),
        [
            "1.《信息网络传播视听节目许可证》",
            "2.《网络文化经营许可证》（经营范围含网络表演）",
            "3.《统一社会信用代码》及《情况说明函件》（适用于政府主体）"
        ]
    );
    assert_eq!(live.notes.lines().count(), 2);
    assert_eq!(
        out.records[7].notes,
        "暂不支持涉及私募产品公开募集或在线交易等服务。"
    );
    assert_eq!(out.records[16].requirement, "", "`-` is none");
    // The page-level callout is not copied into records.
    assert!(out.records.iter().all(|r| !r.notes.contains("个人认证")));
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.line == 1 && d.kind == DiagnosticKind::Note));
}

#[test]
fn filing_guide_has_171_entries_and_every_line_belongs_to_one() {
    let out = filing("filing-guide");
    assert_eq!(out.entries.len(), 171);

    // Accounting by a plain scan: every non-blank line before the header
    // line in one diagnostic (the title and the remark under it), then
    // every non-blank line inside exactly one entry's [first, last] range.
    let text = std::fs::read_to_string(common::root().join("raw/filing-guide.txt")).unwrap();
    let header = text
        .lines()
        .position(|l| l.starts_with("一级类目"))
        .unwrap() as u32
        + 1;
    let mut owner: BTreeMap<u32, usize> = BTreeMap::new();
    for e in &out.entries {
        for line in e.provenance.line..=e.last_line {
            *owner.entry(line).or_default() += 1;
        }
    }
    let mut reported: BTreeMap<u32, usize> = BTreeMap::new();
    for d in &out.diagnostics {
        assert_eq!(d.kind, DiagnosticKind::Skipped, "{d:?}");
        *reported.entry(d.line).or_default() += 1;
    }
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        let blank = line.trim().is_empty();
        let (in_entries, in_diagnostics) = match n.cmp(&header) {
            std::cmp::Ordering::Less => (0, usize::from(!blank)),
            std::cmp::Ordering::Equal => (0, 0),
            std::cmp::Ordering::Greater => (usize::from(!blank), 0),
        };
        assert_eq!(
            owner.get(&n).copied().unwrap_or(0),
            in_entries,
            "line {n}: {line}"
        );
        assert_eq!(
            reported.get(&n).copied().unwrap_or(0),
            in_diagnostics,
            "line {n}: {line}"
        );
    }
    assert_eq!(
        reported.len(),
        2,
        "the title and the remark: {:?}",
        out.diagnostics
    );
    assert_eq!(out.entries[0].provenance.line, header + 1);
}

#[test]
fn filing_guide_hard_cases_on_the_real_file() {
    let out = filing("filing-guide");
    let find = |l1: &str, l2: &str| {
        out.entries
            .iter()
            .find(|e| e.level1 == l1 && *e.level2 == *l2)
            .unwrap_or_else(|| panic!("{l1} › {l2}"))
    };
    assert!(find("餐饮", "点餐").description.starts_with("1、"));
    assert!(find("餐饮", "外卖").description.starts_with("为餐饮门店"));
    assert_eq!(&*find("休闲娱乐", "游戏").description, "网络游戏类");
    assert_eq!(
        find("休闲娱乐", "游戏").personal_advice,
        Some(Advice::Optional)
    );
    for group in [
        "生活服务",
        "餐饮",
        "旅游服务",
        "交通运输",
        "教育",
        "仓储和邮政业",
        "工业互联网软件",
    ] {
        find(group, "其他");
    }
    assert!(find("其他", "宗教信息")
        .remark
        .contains("《互联网宗教信息服务许可证》"));
    assert_eq!(find("其他", "咨询广场").level1, "其他");
    assert_eq!(&*find("汽车服务", "Etc").description, "");
    let training = find("教育", "培训机构");
    assert_eq!(training.remark.lines().count(), 4);
    assert_eq!(training.unit_advice, Some(Advice::OptionalLicenceRequired));
    let pets = find("生活服务", "宠物");
    assert_eq!(pets.items().len(), 7);
    assert_eq!(pets.items().filter(|i| !i.personal_allowed).count(), 6);
    let government = out
        .entries
        .iter()
        .filter(|e| &*e.remark == "仅限政府机关、事业单位")
        .count();
    assert_eq!(government, 46, "grep -c on the file says 46");
}

#[test]
fn notice_has_33_simplified_entries_with_sections_subjects_and_trees() {
    let out = extraction("notice-2025q1");
    assert_eq!(out.records.len(), 33);
    assert_eq!(out.shape, RecordShape::Notice);
    let count = |wanted: NoticeSection, subject: Subject| {
        out.records
            .iter()
            .filter(|r| {
                matches!(r.fields, SourceFields::Notice { section, .. } if section == wanted)
                    && r.subject == Some(subject)
            })
            .count()
    };
    // Counted in the file with awk over sections, subject lines and `#【`: 8 + 5 added, 18 + 2 adjusted.
    assert_eq!(count(NoticeSection::Added, Subject::Enterprise), 8);
    assert_eq!(count(NoticeSection::Added, Subject::Overseas), 5);
    assert_eq!(count(NoticeSection::Adjusted, Subject::Enterprise), 18);
    assert_eq!(count(NoticeSection::Adjusted, Subject::Overseas), 2);

    // Everything is simplified: no traditional form of common characters is left.
    for r in &out.records {
        let all = format!(
            "{}{}{}{}{}",
            r.path.level1, r.path.level2, r.requirement, r.scope, r.notes
        );
        for traditional in ['類', '醫', '療', '證', '務', '體', '營', '許', '與', '範'] {
            assert!(
                !all.contains(traditional),
                "{traditional} in line {}: {all}",
                r.provenance.line
            );
        }
    }

    let find = |l2: &str| {
        out.records
            .iter()
            .find(|r| r.path.level2 == l2)
            .unwrap_or_else(|| panic!("{l2}"))
    };
    assert_eq!(find("公证(非中国大陆地区)").path.level1, "商业服务");
    let beta: Vec<&str> = out
        .records
        .iter()
        .filter(|r| matches!(r.fields, SourceFields::Notice { beta: true, .. }))
        .map(|r| r.path.level2.as_str())
        .collect();
    assert_eq!(beta, ["证券", "医疗资讯", "网约车"]);
    assert!(find("证券").notes.starts_with("该类目正在内测阶段"));
    assert!(!find("证券").requirement.contains("内测"));
    assert!(find("跑腿").requirement_tree.is_none());

    let tree = find("国际客运").requirement_tree.as_ref().unwrap();
    assert_eq!(
        tree.group,
        Some(leimu_model::Group::AnyOf {
            choose: Some(leimu_model::Choice::one_of(2))
        })
    );
    assert_eq!(
        tree.children[0].group,
        Some(leimu_model::Group::AnyOf {
            choose: Some(leimu_model::Choice::one_of(4))
        })
    );
    assert_eq!(tree.children[1].children[1].children.len(), 4);

    // The page around the notice is reported once before and once after.
    let skipped: Vec<&str> = out.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].starts_with("lines 1–25:"));
    assert!(skipped[1].contains("请登录后查看"));
}
