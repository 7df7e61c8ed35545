//! One test per nesting form of the notice's requirement blocks.

use super::*;

fn tree(block: &str) -> RequirementNode {
    let lines: Vec<&str> = block.lines().collect();
    requirement_tree(&lines).expect("a tree").tree
}

/// "n选1".
fn any_of(n: u32) -> Option<Group> {
    Some(Group::AnyOf {
        choose: Some(Choice::one_of(n)),
    })
}

#[test]
fn choose_n_groups_in_every_spelling() {
    for (marker, n) in [
        ("(2选1):", 2),
        ("(二选一):", 2),
        ("（3选1）：", 3),
        ("(④选①):", 4),
    ] {
        // The count is what to pick from, never how many to pick.
        let t = tree(&format!("{marker}\n1、《甲》\n2、《乙》"));
        assert_eq!(t.group, any_of(n), "{marker}");
        assert_eq!(t.children.len(), 2);
        assert_eq!(t.children[1].label(), "2、");
        assert_eq!(t.children[1].text(), "《乙》");
    }
    let t = tree("(3选2):\n1、《甲》\n2、《乙》\n3、《丙》");
    assert_eq!(
        t.group,
        Some(Group::AnyOf {
            choose: Some(Choice { pick: 2, of: 3 })
        })
    );
}

#[test]
fn all_of_groups() {
    let t = tree("同时提供:\n1、《个人征信业务经营许可证》\n2、《营业执照》");
    assert_eq!(t.group, Some(Group::AllOf));
    assert_eq!(t.children.len(), 2);
    let t = tree(
        "申请邮件必须附上以下对应区域的相关材料资质(同时提供):\n1、当地医疗资质\n2、官网公示截图",
    );
    assert_eq!(t.children.len(), 1);
    let head = &t.children[0];
    assert_eq!(head.text(), "申请邮件必须附上以下对应区域的相关材料资质");
    assert_eq!(head.group, Some(Group::AllOf));
    assert_eq!(head.children.len(), 2);
}

#[test]
fn three_levels_of_numbering() {
    let t = tree(
        "(二选一):\n一、自营型提供,(4选1):\n1、《A》\n2、《B》\n二、票务代理,同时提供:\n1、合作协议\n2、许可证件(④选①):\n①《C》\n②《D》",
    );
    assert_eq!(t.group, any_of(2));
    let [first, second] = &*t.children else {
        panic!("{t:#?}")
    };
    assert_eq!((first.label(), first.text()), ("一、", "自营型提供"));
    assert_eq!(first.group, any_of(4));
    assert_eq!(first.children.len(), 2);
    assert_eq!(second.text(), "票务代理");
    assert_eq!(second.group, Some(Group::AllOf));
    assert_eq!(second.children[1].group, any_of(4));
    assert_eq!(second.children[1].children[1].label(), "②");
}

#[test]
fn notes_qualify_the_list_they_close() {
    let t = tree("一、自营型提供,(2选1):\n1、《A》\n2、《B》\n注:若同时涉及客运服务,需同时提供对应资质。\n二、票务代理\n《营业执照》(经营范围含“机械设备销售”)\n注:点击可查看");
    assert_eq!(
        strs(t.children[0].notes()),
        ["若同时涉及客运服务,需同时提供对应资质。"]
    );
    assert!(t.children[0].children[1].notes().is_empty());
    // 二 has no children, so its note goes to the root; the unnumbered line after it
    // is a child of the root, not of the leaf 二.
    assert_eq!(t.children.len(), 3);
    assert_eq!(strs(t.notes()), ["点击可查看"]);
}

#[test]
fn unnumbered_lines_belong_to_the_group_that_introduces_them() {
    let t = tree("一、使用自研技术,提供:\n小程序主体的《互联网信息服务算法备案》\n二、使用第三方技术(2选1):\n1、 同时提供:\n①《甲》\n②协议\n2、《在用证明》");
    assert_eq!(
        t.children[0].children[0].text(),
        "小程序主体的《互联网信息服务算法备案》"
    );
    assert_eq!(t.group, None, "the text does not say how 一 and 二 combine");
    let second = &t.children[1];
    assert_eq!(second.group, any_of(2));
    assert_eq!(second.children[0].text(), "");
    assert_eq!(second.children[0].group, Some(Group::AllOf));
    assert_eq!(second.children[0].children.len(), 2);
    assert_eq!(second.children[1].text(), "《在用证明》");
}

#[test]
fn inline_or_between_documents_only() {
    let t = tree("1、卫健委(卫生健康委员会)批文或医管局批文\n2、人民政府设立或授权的地方资产管理公司文件\n3、《甲》(含“乙或丙”)或《丁》");
    assert_eq!(
        strs(t.children[0].alternatives()),
        ["卫健委(卫生健康委员会)批文", "医管局批文"]
    );
    assert!(
        t.children[1].alternatives().is_empty(),
        "设立或授权 joins verbs"
    );
    assert_eq!(
        strs(t.children[2].alternatives()),
        ["《甲》(含“乙或丙”)", "《丁》"]
    );
    let t = tree(
        "①公司的《金融许可证》(业务范围含“不良资产”)或各省人民政府设立或授权的资产管理公司文件",
    );
    assert_eq!(
        strs(t.children[0].alternatives()),
        [
            "公司的《金融许可证》(业务范围含“不良资产”)",
            "各省人民政府设立或授权的资产管理公司文件"
        ]
    );
}

#[test]
fn a_single_document_and_rendering() {
    let t = tree("民政部指定个人求助网络服务平台的公告截图");
    assert_eq!(t.children.len(), 1);
    assert_eq!(t.render(), "民政部指定个人求助网络服务平台的公告截图");
    let t = tree("(2选1):\n1、提供(②选①):\n①《甲》\n②《乙》\n2、《丙》\n注:备注");
    assert_eq!(
        t.render(),
        "(2选1):\n  1、提供(②选①):\n    ①《甲》\n    ②《乙》\n  2、《丙》\n  注:备注"
    );
    assert!(requirement_tree(&["", "  "]).is_none());
}

#[test]
fn patterns_compile() {
    assert!(DIGITS_LABEL_RE.is_some());
}

/// Random texts of the pieces `alphabet`, from 1 to `longest` of them.
fn texts(alphabet: &[&str], longest: usize, seed: u64) -> Vec<String> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..50_000)
        .map(|_| {
            (0..rng.usize(1..=longest))
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect()
        })
        .collect()
}

#[test]
fn labels_are_matched_as_the_pattern_says() {
    let re = Regex::new(LABEL).unwrap();
    let by_regex = |line: &str| {
        re.captures(line).map(|c| {
            let rank = if c.get(1).is_some() {
                Rank(2)
            } else if c.get(2).is_some() {
                Rank(4)
            } else {
                Rank(6)
            };
            (rank, c.get(0).unwrap().end())
        })
    };
    let alphabet = [
        "一",
        "十",
        "二十",
        "1",
        "12",
        "０",
        "٣",
        "²",
        "Ⅳ",
        "①",
        "⑳",
        "⑴",
        "、",
        " ",
        "\u{3000}",
        "\t",
        "提供",
        "《甲》",
        ":",
        "(",
    ];
    for line in texts(&alphabet, 6, 41) {
        assert_eq!(label_at(&line), by_regex(&line), "{line:?}");
    }
}

#[test]
fn choices_are_matched_as_the_pattern_says() {
    let re = Regex::new(CHOOSE).unwrap();
    let by_regex = |text: &str| {
        re.captures(text).map(|c| {
            (
                c.get(0).unwrap().start(),
                c.get(1).unwrap().as_str().to_string(),
                c.get(2).unwrap().as_str().to_string(),
            )
        })
    };
    let alphabet = [
        "(",
        "（",
        ")",
        "）",
        "2",
        "10",
        "二",
        "十",
        "①",
        "⑳",
        "选",
        " ",
        "\u{3000}",
        "提供",
        "《甲》",
        "，",
        "a",
    ];
    for text in texts(&alphabet, 9, 43) {
        let hand = choose_at(&text).map(|(s, of, pick)| (s, of.to_string(), pick.to_string()));
        assert_eq!(hand, by_regex(&text), "{text:?}");
    }
}

/// The texts of a node's list, to compare with literals.
fn strs(texts: &[Box<str>]) -> Vec<&str> {
    texts.iter().map(|t| &**t).collect()
}

/// A block of thousands of unnumbered lines, each opening a group, would
/// nest one level a line: the tree stops at [`MAX_TREE_DEPTH`], the lines
/// past it are read at that level as siblings, and the first of them is
/// named. Read, rendered, compared and dropped on a small stack.
#[test]
fn a_block_nested_thousands_deep_stops_at_the_depth_limit() {
    let run = || {
        let lines: Vec<String> = (0..10_000).map(|i| format!("甲{i}同时提供:")).collect();
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let mut block = requirement_tree(&lines).expect("a tree");
        let mut depth = 0;
        let mut node = &block.tree;
        while let Some(child) = node.children.first() {
            depth += 1;
            node = child;
        }
        assert_eq!(depth, MAX_TREE_DEPTH);
        // Levels 1..=32 hold lines 0..=31; line 32 is the first read at level 32.
        assert_eq!(block.flattened_from, Some(MAX_TREE_DEPTH));
        let mut copy = block.tree.clone();
        let rendered = block.tree.render_shared();
        assert_eq!(rendered.lines().count(), 10_000, "every line kept");
        assert_eq!(copy.render_shared(), rendered);
    };
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(run)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn a_block_within_the_depth_limit_is_not_flattened() {
    let lines: Vec<String> = (0..MAX_TREE_DEPTH)
        .map(|i| format!("甲{i}同时提供:"))
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    assert_eq!(requirement_tree(&lines).unwrap().flattened_from, None);
}
