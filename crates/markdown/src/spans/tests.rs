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
        RowOutcome::Record(r) => r.cells.iter().map(String::as_str).collect(),
        other => panic!("expected a record, got {other:?}"),
    }
}

fn ambiguity(outcome: &RowOutcome) -> Option<&str> {
    match outcome {
        RowOutcome::Record(r) => r.ambiguity.as_deref(),
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
    }
    assert_eq!(cells(&out[3])[0], "金融业", "a full row starts a new group");
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
