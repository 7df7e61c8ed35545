//! Each rule of the recovery on a small hand-made table.

use super::*;

const FIVE: [Column; 5] = [
    Column::Level(1),
    Column::Level(2),
    Column::Level(3),
    Column::Requirement,
    Column::Notes,
];
const FOUR: [Column; 4] = [
    Column::Level(1),
    Column::Level(2),
    Column::Level(3),
    Column::Requirement,
];

/// Rows written as in the document: `a | b | | |`.
fn recover(columns: &[Column], rows: &[&str]) -> Vec<RowOutcome> {
    let layout = Layout::new(columns.to_vec()).unwrap();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.split('|').map(|c| c.trim().to_string()).collect())
        .collect();
    recover_spans(&layout, &rows)
}

fn cells(outcome: &RowOutcome) -> Vec<&str> {
    match outcome {
        RowOutcome::Record(r) => r.cells.iter().map(Text::as_str).collect(),
        other => panic!("expected a record, got {other:?}"),
    }
}

fn ambiguity(outcome: &RowOutcome) -> Option<&str> {
    match outcome {
        RowOutcome::Record(r) => r.ambiguity.as_ref().map(|a| a.message.as_str()),
        _ => None,
    }
}

#[test]
fn level1_span_on_the_left() {
    let out = recover(
        &FIVE,
        &[
            "快递业与邮政 | 寄件/收件 | / | 《A》 | /",
            "快递、物流 | 查件 | / | / |",
        ],
    );
    assert_eq!(
        cells(&out[1]),
        ["快递业与邮政", "快递、物流", "查件", "/", "/"]
    );
    assert_eq!(ambiguity(&out[1]), None);
}

#[test]
fn level1_and_level2_span_with_requirement_and_note() {
    let out = recover(
        &FIVE,
        &[
            "教育 | 培训机构 | 职业培训 | 需提供《民办学校办学许可证》 | /",
            "课外辅导 | | | |",
            "语言培训 | | | |",
        ],
    );
    for row in &out[1..] {
        assert_eq!(cells(row)[..2], ["教育", "培训机构"]);
        assert_eq!(cells(row)[3..], ["需提供《民办学校办学许可证》", "/"]);
    }
    assert_eq!(cells(&out[2])[2], "语言培训");
}

#[test]
fn requirement_and_note_span_on_the_right() {
    let out = recover(
        &FIVE,
        &[
            "社交 | 陌生人交友 | / | 《增值电信业务经营许可证》 | 需审核7天",
            "熟人交友 | / | | |",
            "社区/论坛 | / | 《非经营性互联网信息服务备案核准》 | |",
        ],
    );
    assert_eq!(
        cells(&out[1]),
        [
            "社交",
            "熟人交友",
            "/",
            "《增值电信业务经营许可证》",
            "需审核7天"
        ]
    );
    assert_eq!(ambiguity(&out[1]), None, "a sibling of a leaf is clear");
    // The licence is the row's own requirement; the note keeps spanning.
    assert_eq!(
        cells(&out[2]),
        [
            "社交",
            "社区/论坛",
            "/",
            "《非经营性互联网信息服务备案核准》",
            "需审核7天"
        ]
    );
    assert_eq!(ambiguity(&out[2]), None, "a licence is no `/` to move");
}

#[test]
fn spans_left_and_right_at_once() {
    let out = recover(
        &FIVE,
        &[
            "餐饮 | 餐饮服务场所 | 咖啡厅 | 《食品经营许可证》 | /",
            "西餐 | | | |",
            "点餐平台 | / | 《增值电信业务经营许可证》 | / |",
        ],
    );
    assert_eq!(
        cells(&out[1]),
        ["餐饮", "餐饮服务场所", "西餐", "《食品经营许可证》", "/"]
    );
    assert_eq!(
        cells(&out[2]),
        ["餐饮", "点餐平台", "/", "《增值电信业务经营许可证》", "/"]
    );
}

/// The ambiguity reports of a table, as (first row, last row, message with
/// the row indices standing in for lines).
fn reports(columns: &[Column], rows: &[&str]) -> Vec<(usize, usize, String)> {
    let layout = Layout::new(columns.to_vec()).unwrap();
    report_ambiguities(&layout, &recover(columns, rows))
        .into_iter()
        .map(|r| (r.first, r.last, r.message(r.first as u32, r.last as u32)))
        .collect()
}

#[test]
fn requirement_spanning_a_whole_level1_group() {
    let out = recover(
        &FIVE,
        &[
            "政务民生 | 交警 | / | 政府/事业单位，提供《组织机构代码证》 | /",
            "交通违法 | / | / | |",
            "车管所服务 | / | / | |",
            "金融业 | 银行 | / | 《金融许可证》 | /",
        ],
    );
    for row in &out[1..3] {
        assert_eq!(
            cells(row)[3..],
            ["政府/事业单位，提供《组织机构代码证》", "/"]
        );
        assert_eq!(cells(row)[2], "/");
        // The `/` could as well be the row's own requirement, with the note spanned.
        let why = ambiguity(row).expect("the requirement may stop spanning here");
        assert!(why.starts_with("also reads with requirement /, not chosen: it would cut short the requirement above (政府/事业单位"), "{why}");
    }
    assert_eq!(cells(&out[3])[0], "金融业", "a full row starts a new group");
    assert_eq!(ambiguity(&out[3]), None);
}

#[test]
fn the_note_or_the_requirement_may_span_beside_a_row_of_slashes() {
    // Reading A: 甲二 requires nothing, the note `/` spans. Reading B: 甲二
    // requires 《某许可证》, its own note is `/`. The text cannot tell them apart.
    let out = recover(
        &FIVE,
        &["甲 | 甲一 | / | 《某许可证》 | /", "甲二 | / | / | |"],
    );
    assert_eq!(cells(&out[1]), ["甲", "甲二", "/", "《某许可证》", "/"]);
    let why = ambiguity(&out[1]).expect("reading A must be reported");
    assert!(
        why.contains("with requirement /") && why.contains("could stand in either column"),
        "{why}"
    );
}

#[test]
fn slashes_beside_two_spanned_values_are_an_even_choice() {
    let out = recover(
        &FIVE,
        &[
            "甲 | 甲一 | / | 《某许可证》 | 注意：不得涉及",
            "甲二 | / | / | |",
        ],
    );
    assert_eq!(cells(&out[1]), ["甲", "甲二", "/", "《某许可证》", "/"]);
    assert_eq!(
        ambiguity(&out[1]),
        Some("also reads with requirement / and note 注意：不得涉及, not chosen: equally likely; the first reading in rule order wins")
    );
}

#[test]
fn slashes_beside_slashes_are_no_ambiguity() {
    // Whichever column spans, the record is the same.
    let out = recover(&FIVE, &["甲 | 甲一 | / | / | /", "甲二 | / | / | |"]);
    assert_eq!(cells(&out[1]), ["甲", "甲二", "/", "/", "/"]);
    assert_eq!(ambiguity(&out[1]), None);
}

#[test]
fn a_run_of_slash_rows_is_one_report_with_its_lines() {
    let found = reports(
        &FIVE,
        &[
            "政务民生 | 交警 | / | 《组织机构代码证》 | /",
            "交通违法 | / | / | |",
            "车管所服务 | / | / | |",
            "水电局 | / | / | |",
            "| | | |",
            "城市道路 | / | / | |",
            "金融业 | 银行 | / | 《金融许可证》 | /",
        ],
    );
    let why = "also reads with requirement /, not chosen: it would cut short the requirement above \
               (《组织机构代码证》); reported all the same: the row's own / could stand in either column, and nothing in the text says which";
    assert_eq!(
        found,
        [
            (
                1,
                3,
                format!("3 rows, lines 1–3 (政务民生 › 交通违法 to 政务民生 › 水电局): each {why}")
            ),
            // A separator ends the run.
            (5, 5, why.to_string()),
        ]
    );
}

#[test]
fn level_ambiguities_are_reported_row_by_row() {
    let found = reports(
        &FOUR,
        &["生活服务 | 丽人 | 美甲 | /", "美容 | / | |", "美睫 | / | |"],
    );
    let rows: Vec<(usize, usize)> = found.iter().map(|(a, b, _)| (*a, *b)).collect();
    assert_eq!(rows, [(1, 1), (2, 2)]);
    assert!(found[1].2.contains("生活服务 › 美睫"), "{}", found[1].2);
}

#[test]
fn note_spanning_a_group_keeps_the_rows_own_requirement() {
    let out = recover(
        &FIVE,
        &[
            "教育 | 教育信息服务 | / | / | 不得涉及义务教育机构",
            "婴幼儿教育 | / | / | |",
        ],
    );
    assert_eq!(
        cells(&out[1]),
        ["教育", "婴幼儿教育", "/", "/", "不得涉及义务教育机构"]
    );
    let why = ambiguity(&out[1]).expect("the note may stop spanning here");
    assert!(why.starts_with("also reads with note /"), "{why}");
}

#[test]
fn a_row_continues_a_group_that_has_third_levels() {
    let out = recover(
        &FOUR,
        &[
            "生活服务 | 丽人 | 美甲 | /",
            "美容 | / | |",
            "环保回收 | / | / |",
        ],
    );
    assert_eq!(cells(&out[1]), ["生活服务", "丽人", "美容", "/"]);
    let why = ambiguity(&out[1]).expect("美容 could also be a level-2 leaf");
    assert!(why.contains("生活服务 › 美容"), "{why}");
    assert_eq!(cells(&out[2]), ["生活服务", "环保回收", "/", "/"]);
    assert_eq!(ambiguity(&out[2]), None);
}

#[test]
fn a_substantive_note_above_outweighs_continuing_the_group() {
    // 装卸搬运 could be a third level under 快递、物流 only by cutting the note short.
    let out = recover(
        &FIVE,
        &[
            "快递业与邮政 | 快递、物流 | 查件 | / | 不得涉及邮政公司",
            "装卸搬运 | / | / | |",
        ],
    );
    assert_eq!(
        cells(&out[1]),
        ["快递业与邮政", "装卸搬运", "/", "/", "不得涉及邮政公司"]
    );
}

#[test]
fn licence_text_is_a_requirement_not_a_level_or_note() {
    let out = recover(
        &FIVE,
        &[
            "出行与交通 | 打车（网约车） | 快车 | 《网络预约出租汽车经营许可证》 | /",
            "出租车 | 《网络预约出租汽车经营许可证》 | | |",
        ],
    );
    assert_eq!(
        cells(&out[1]),
        [
            "出行与交通",
            "打车（网约车）",
            "出租车",
            "《网络预约出租汽车经营许可证》",
            "/"
        ]
    );
}

#[test]
fn long_text_is_not_a_name() {
    let out = recover(
        &FIVE,
        &[
            "医疗 | 就医服务 | 查报告单 | / | /",
            "挂号 | 卫生和计划生育委员会/医管局批文或签订协议的医院列表、其中的一份协议 | / | |",
        ],
    );
    assert_eq!(
        cells(&out[1])[..4],
        [
            "医疗",
            "就医服务",
            "挂号",
            "卫生和计划生育委员会/医管局批文或签订协议的医院列表、其中的一份协议"
        ]
    );
}

#[test]
fn separators_and_unplaceable_rows() {
    let out = recover(
        &FIVE,
        &[
            "| | | |",
            "查件 | / | |",
            "医疗 | 公立 | / | / | /",
            " | | | |",
            "《A》 | | | |",
        ],
    );
    assert_eq!(out[0], RowOutcome::Separator);
    assert!(
        matches!(&out[1], RowOutcome::Unplaced(why) if why.contains("nothing above")),
        "{:?}",
        out[1]
    );
    assert_eq!(out[3], RowOutcome::Separator);
    assert!(
        matches!(&out[4], RowOutcome::Unplaced(why) if why.contains("《A》")),
        "{:?}",
        out[4]
    );
}

#[test]
fn none_cannot_be_a_parent() {
    // `/ | x` is no path: level 2 none cannot have a level 3.
    let out = recover(&FIVE, &["社交红包 | / | x | / | /"]);
    assert!(matches!(out[0], RowOutcome::Unplaced(_)));
}

#[test]
fn columns_are_placed_by_header_not_position() {
    let columns = [
        Column::Level(1),
        Column::Level(2),
        Column::Notes,
        Column::Requirement,
    ];
    let out = recover(
        &columns,
        &[
            "金融业 | 银行 | 注意 | 《金融许可证》",
            "信托 | / | 《信托许可》 |",
        ],
    );
    // Own cells fill the uncovered columns in table order: note then requirement.
    assert_eq!(cells(&out[1]), ["金融业", "信托", "/", "《信托许可》"]);
}

#[test]
fn layouts_are_checked() {
    assert!(Layout::new(vec![Column::Requirement]).is_err());
    assert!(Layout::new(vec![Column::Level(1), Column::Level(3)]).is_err());
    assert!(Layout::new(vec![Column::Level(1), Column::Level(1)]).is_err());
    assert!(Layout::new(vec![Column::Level(1)]).is_ok());
}

#[test]
fn every_reason_reads_as_its_sentence() {
    let cases = [
        (
            Reason::ChildOfLeaf {
                level: 3,
                parent: "甲",
            },
            "it would add level 3 under 甲, whose row has none",
        ),
        (
            Reason::LeavesGroup { group: "乙" },
            "it would end the group 乙 with a leaf although its rows have deeper levels",
        ),
        (
            Reason::BreaksSpan {
                column: Column::Requirement,
                above: "《A》",
            },
            "it would cut short the requirement above (《A》)",
        ),
        (
            Reason::BreaksSpan {
                column: Column::Notes,
                above: "x",
            },
            "it would cut short the note above (x)",
        ),
        (
            Reason::LicenceInNotes { text: "《A》" },
            "it would read the licence text 《A》 as a note",
        ),
        (
            Reason::RequirementWithoutLicence {
                text: "营业执照"
            },
            "it would read 营业执照, which names no licence, as the requirement",
        ),
    ];
    for (reason, sentence) in cases {
        let mut out = String::new();
        reason.write_to(&mut out);
        assert_eq!(out, sentence);
    }
}

#[test]
fn a_covered_cell_is_the_copy_above_and_none_is_one_copy_per_table() {
    let out = recover(
        &FIVE,
        &[
            "快递业与邮政 | 寄件/收件 | / | 《A》 | /",
            "快递、物流 | 查件 | / | / |",
            "外卖 | / | / | / |",
        ],
    );
    let [RowOutcome::Record(first), RowOutcome::Record(second), RowOutcome::Record(third)] =
        &out[..]
    else {
        panic!("three records: {out:?}");
    };
    assert!(Text::shares(&first.cells[0], &second.cells[0]));
    assert!(Text::shares(&second.cells[0], &third.cells[0]));
    assert!(Text::shares(&first.cells[2], &second.cells[3]));
    assert!(Text::shares(&first.cells[2], &third.cells[2]));
    assert!(!Text::shares(&second.cells[1], &third.cells[1]));
}
