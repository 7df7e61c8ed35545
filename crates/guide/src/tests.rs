//! Each hard case of the format on a small hand-made guide.

use super::*;

const HEADER: &str =
    "# 指引\n\n说明文字。\n\n一级类目 二级类目 服务类目释义(供参考) 具体选择(供参考) 备注\n";

/// The guide `HEADER` + `body`, read; the diagnostics of `HEADER`'s
/// preamble (checked by `the_preamble_is_reported_line_by_line`) left out.
fn parse_body(body: &str) -> FilingExtraction {
    let mut out = parse(&guide_doc(), &format!("{HEADER}{body}")).unwrap();
    out.diagnostics
        .retain(|d| !d.message.starts_with("preamble"));
    out
}

fn guide_doc() -> DocumentInfo {
    DocumentInfo {
        source: "g".into(),
        file: "g.txt".into(),
        default_subject: None,
    }
}

#[test]
fn the_preamble_is_reported_line_by_line() {
    let text = format!("{HEADER}休闲娱乐 游戏 网络游戏类 个人备案:可选\n单位备案:可选\n/\n");
    let out = parse(&guide_doc(), &text).unwrap();
    assert_eq!(out.entries.len(), 1);
    let reported: Vec<(u32, DiagnosticKind, &str)> = out
        .diagnostics
        .iter()
        .map(|d| (d.line, d.kind, d.message.as_str()))
        .collect();
    assert_eq!(
        reported,
        [
            (1, DiagnosticKind::Skipped, "preamble, not an entry: # 指引"),
            (
                3,
                DiagnosticKind::Skipped,
                "preamble, not an entry: 说明文字。"
            ),
        ]
    );
}

fn names(out: &FilingExtraction) -> Vec<(String, String)> {
    out.entries
        .iter()
        .map(|e| (e.level1.to_string(), e.level2.to_string()))
        .collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn level1_or_level2_on_a_first_line() {
    let out = parse_body(
        "餐饮 点餐 1、点餐平台:为餐饮门店提供点餐\n2、扫码:提供扫码\n个人备案:不建议选择\n单位备案:可选,需符合单位经营范围\n/\n\
         外卖 为餐饮门店提供入驻渠道,提供外卖等平台型服务 个人备案:不建议选择\n单位备案:可选,需符合单位经营范围\n/\n\
         休闲娱乐 福利彩票 适用于彩票管理中心 个人备案:不建议选择\n单位备案:不建议选择\n/\n\
         游戏 网络游戏类 个人备案:可选\n单位备案:可选\n/\n\
         专利/商标代理 适用于单家专利代理机构 或 商标代理机构 个人备案:不建议选择\n单位备案:可选,需符合单位经营范围\n/\n",
    );
    assert_eq!(
        names(&out),
        [
            pair("餐饮", "点餐"),
            pair("餐饮", "外卖"),
            pair("休闲娱乐", "福利彩票"),
            pair("休闲娱乐", "游戏"),
            pair("休闲娱乐", "专利/商标代理")
        ]
    );
    assert_eq!(
        &*out.entries[0].description,
        "1、点餐平台:为餐饮门店提供点餐\n2、扫码:提供扫码"
    );
    assert_eq!(
        &*out.entries[3].description, "网络游戏类",
        "two words: a level-2 name and its description"
    );
    assert_eq!(
        &*out.entries[4].description,
        "适用于单家专利代理机构 或 商标代理机构"
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn other_is_a_level2_name_in_groups_and_a_level1_name_before_a_name() {
    let out = parse_body(
        "餐饮 点餐 适用于点餐 个人备案:不建议选择\n单位备案:可选\n/\n\
         其他 适用于以上类目未能覆盖的情况 个人备案:可选,符合个人性质\n单位备案:可选\n/\n\
         教育 学校 适用于学校 个人备案:不建议选择\n单位备案:可选\n/\n\
         其他 在线视频课程:适用于教育行业提供网课 个人备案:不建议选择\n单位备案:可选\n/\n\
         其他 宗教信息 适用于宗教资讯 个人备案:不建议选择\n单位备案:可选,需要资质\n/\n\
         咨询广场 适用于提供咨询 个人备案:可选,符合个人性质\n单位备案:可选\n/\n",
    );
    assert_eq!(
        names(&out),
        [
            pair("餐饮", "点餐"),
            pair("餐饮", "其他"),
            pair("教育", "学校"),
            pair("教育", "其他"),
            pair("其他", "宗教信息"),
            pair("其他", "咨询广场")
        ]
    );
    assert_eq!(out.entries[3].items().next().unwrap().name, "在线视频课程");
}

#[test]
fn multi_line_remarks_end_where_the_next_entry_begins() {
    let out = parse_body(
        "网络图书 1、小说:适用于网络小说\n2、动漫:适用于动漫\n个人备案:不建议选择\n单位备案:可选,需要资质\n\
         资质上传位置:前置审批位置\n1、从事网络文学内容,需提供《网络出版服务许可证》\n2、从事动漫内容,需提供《网络文化经营许可证》\n\
         视频 1、其他视频:适用于视频\n2、微短剧:适用于微短剧\n个人备案:不建议选择\n单位备案:可选,需要资质\n\
         资质上传位置:前置审批位置\n从事视听节目内容,需提供《信息网络传播视听节目许可证》\n\
         文化场馆 适用于博物馆 个人备案:不建议选择\n单位备案:可选,需符合单位经营范围\n仅限政府机关、事业单位\n",
    );
    assert_eq!(names(&out).len(), 3);
    assert_eq!(
        &*out.entries[0].remark,
        "资质上传位置:前置审批位置\n1、从事网络文学内容,需提供《网络出版服务许可证》\n2、从事动漫内容,需提供《网络文化经营许可证》"
    );
    assert_eq!(&*out.entries[1].level2, "视频");
    assert_eq!(out.entries[1].description.lines().count(), 2);
    assert_eq!(out.entries[1].remark.lines().count(), 2);
    assert_eq!(&*out.entries[2].remark, "仅限政府机关、事业单位");
    // Lines: header is line 5; entries own contiguous, disjoint ranges.
    let ranges: Vec<(u32, u32)> = out
        .entries
        .iter()
        .map(|e| (e.provenance.line, e.last_line))
        .collect();
    assert_eq!(ranges, [(6, 12), (13, 18), (19, 21)]);
}

#[test]
fn descriptions_that_are_none_and_items_alone_on_their_line() {
    let out = parse_body(
        "汽车服务 Etc / 个人备案:不建议选择\n单位备案:可选,需符合单位经营范围\n/\n\
         道路救援 / 个人备案:不建议选择\n单位备案:可选,需符合单位经营范围\n/\n\
         出境\n1、适用于出境WIFI\n2、适用于签证办理\n个人备案:不建议选择\n单位备案:可选,需符合单位经营范围\n/\n",
    );
    assert_eq!(
        names(&out),
        [
            pair("汽车服务", "Etc"),
            pair("汽车服务", "道路救援"),
            pair("汽车服务", "出境")
        ]
    );
    assert_eq!(&*out.entries[0].description, "");
    assert_eq!(out.entries[0].items().len(), 0);
    assert_eq!(&*out.entries[0].remark, "", "a lone `/` remark is empty");
    assert_eq!(out.entries[2].provenance.line, 12);
    assert_eq!(out.entries[2].items().len(), 2);
    assert_eq!(out.entries[2].items().nth(1).unwrap().name, "");
    assert_eq!(
        out.entries[2].items().nth(1).unwrap().text,
        "适用于签证办理"
    );
}

#[test]
fn items_know_whether_individuals_may_choose_them() {
    let out = parse_body(
        "生活服务 宠物 1、宠物(非医院类):适用于宠物美容预约\n2、宠物医院/兽医:适用于宠物医院(个人主体不可从事)\n\
         个人备案:可选,符合个人性质\n单位备案:可选,需符合单位经营范围\n/\n",
    );
    let items: Vec<_> = out.entries[0].items().collect();
    assert_eq!(items[0].name, "宠物(非医院类)");
    assert!(items[0].personal_allowed);
    assert_eq!(items[1].name, "宠物医院/兽医");
    assert_eq!(items[1].text, "适用于宠物医院");
    assert!(!items[1].personal_allowed);
}

#[test]
fn advice_is_kept_as_written_and_normalised() {
    let cases = [
        ("不建议选择", Some(Advice::NotRecommended)),
        ("可选", Some(Advice::Optional)),
        (
            "可选,符合个人性质",
            Some(Advice::OptionalIfIndividualNature),
        ),
        (
            "可选，需符合单位经营范围",
            Some(Advice::OptionalWithinBusinessScope),
        ),
        ("可选,需要资质", Some(Advice::OptionalLicenceRequired)),
        ("视情况而定", None),
    ];
    for (text, expected) in cases {
        assert_eq!(normalise_advice(text), expected, "{text}");
    }
    let out = parse_body(
        "生活服务 招聘 适用于招聘 个人备案:视情况而定\n单位备案:可选, 需符合单位经营范围\n/\n",
    );
    assert_eq!(out.entries[0].personal, "视情况而定");
    assert_eq!(out.entries[0].unit, "可选, 需符合单位经营范围");
    assert_eq!(out.entries[0].personal_advice, None);
    assert_eq!(
        out.entries[0].unit_advice,
        Some(Advice::OptionalWithinBusinessScope)
    );
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, 6);
}

#[test]
fn stray_lines_and_missing_pieces_are_reported() {
    let out = parse_body(
        "杂项一行\n生活服务 招聘 适用于招聘\n单位备案:可选\n/\n多出来的一行\n\
         家政 适用于家政 个人备案:不建议选择\n单位备案:可选\n/\n",
    );
    assert_eq!(
        names(&out),
        [pair("生活服务", "招聘"), pair("生活服务", "家政")]
    );
    let found: Vec<(u32, DiagnosticKind)> =
        out.diagnostics.iter().map(|d| (d.line, d.kind)).collect();
    assert_eq!(
        found,
        [
            (6, DiagnosticKind::Unplaced),
            (8, DiagnosticKind::Note), // no 个人备案 before 单位备案
            (9, DiagnosticKind::Note), // `/` remark followed by another line
        ]
    );
    assert_eq!(&*out.entries[0].remark, "/\n多出来的一行");
}

#[test]
fn a_file_without_the_header_is_an_error() {
    let doc = DocumentInfo {
        source: "g".into(),
        file: "g.txt".into(),
        default_subject: None,
    };
    let err = parse(&doc, "生活服务 招聘 适用于招聘\n单位备案:可选\n").unwrap_err();
    assert!(err.to_string().contains("no column header line"), "{err}");
}

/// One-character edits of real entries that used to panic (a slice inside
/// `、`, a `remove(0)` on no lines, `0 - 1`): each parses, and every line
/// after the header is in an entry or a diagnostic.
#[test]
fn odd_numbering_and_missing_lines_never_panic() {
    let bodies = [
        // leading zero: item 02 is item 2
        "网络图书 1、小说:适用于网络小说\n02、动漫:适用于动漫\n个人备案:不建议选择\n单位备案:可选\n/\n",
        // item 0 counts down to nothing
        "网络图书 小说\n0、动漫:适用于动漫\n个人备案:不建议选择\n单位备案:可选\n/\n",
        // advice right after the previous entry's advice: no names before it
        "餐饮 点餐 适用于点餐 个人备案:不建议选择\n单位备案:可选\n个人备案:可选\n单位备案:可选\n/\n",
        "餐饮 点餐 适用于点餐 个人备案:不建议选择\n单位备案:可选\n单位备案:可选\n/\n",
        // a number too large for u32
        "网络图书 小说\n99999999999、动漫\n个人备案:不建议选择\n单位备案:可选\n/\n",
    ];
    for body in bodies {
        let out = parse_body(body);
        let lines = HEADER.lines().count() + body.lines().count();
        let mut owned = vec![false; lines + 1];
        for e in &out.entries {
            for l in e.provenance.line..=e.last_line {
                owned[l as usize] = true;
            }
        }
        for d in &out.diagnostics {
            if d.kind.loses_content() {
                owned[d.line as usize] = true;
            }
        }
        let header_lines = HEADER.lines().count();
        for (i, line) in body.lines().enumerate() {
            let number = header_lines + i + 1;
            assert!(
                owned[number] || line.is_empty(),
                "line {number} `{line}` of {body:?} is lost: {out:?}"
            );
        }
    }
    let leading_zero = parse_body(bodies[0]);
    assert_eq!(leading_zero.entries[0].items().nth(1).unwrap().name, "动漫");
    assert_eq!(
        leading_zero.entries[0].items().nth(1).unwrap().text,
        "适用于动漫"
    );
    let no_names = parse_body(bodies[2]);
    assert_eq!(no_names.entries.len(), 1);
    assert!(no_names
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagnosticKind::Unplaced && d.line == 8));
}

#[test]
fn item_numbers_return_the_rest_of_the_line() {
    assert_eq!(numbered_item("02、动漫"), Some((2, "动漫")));
    assert_eq!(numbered_item("0、"), Some((0, "")));
    assert_eq!(numbered_item("、动漫"), None);
    assert_eq!(numbered_item("2动漫"), None);
    assert_eq!(numbered_item("99999999999、x"), None);
}

#[test]
fn a_truncated_last_entry_is_reported() {
    let out = parse_body("餐饮 点餐 适用于点餐 个人备案:不建议选择\n单位备案:可选,");
    assert_eq!(out.entries.len(), 1);
    let notes: Vec<&str> = out.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(notes.iter().any(|m| m.contains("cut off")), "{notes:?}");
    assert!(
        notes.iter().any(|m| m.contains("without a remark")),
        "{notes:?}"
    );
}

#[test]
fn nul_characters_are_removed_with_a_note() {
    let out = parse_body("餐饮 点\0餐 适用于点餐 个人备案:不建议选择\n单位备案:可选\n/\n");
    assert_eq!(&*out.entries[0].level2, "点餐");
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, 6);
    assert!(out.diagnostics[0].message.contains("NUL"));
}
