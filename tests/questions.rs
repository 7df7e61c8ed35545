//! The questions people ask, through the `leimu` command, on the committed
//! `normalized/`: `show`, `needs` and `search`. Snapshots keep the terminal
//! views; the assertions state what the documents say.

mod common;

use std::process::{Command, Output};

fn leimu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leimu"))
        .args(args)
        .current_dir(common::root())
        .output()
        .expect("leimu runs")
}

fn stdout(args: &[&str]) -> String {
    let out = leimu(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout(args)).unwrap()
}

#[test]
fn show_live_streaming_as_an_enterprise() {
    let text = stdout(&["show", "社交/直播", "--subject", "enterprise"]);
    snapshot!("show-social-live-streaming", &text);
    // The official list (raw/service-categories.md:280) decides: one of two
    // licences. The live-streaming page's third alternative (for government
    // bodies) is a reference source's view, listed but not deciding.
    assert!(text.contains("one of (1 of 2):"), "{text}");
    assert!(!text.contains("if 适用于政府主体:"), "{text}");
    assert!(
        text.contains("raw/service-categories.md:280 (as of 2018-09-01, official)"),
        "{text}"
    );
    assert!(text.contains("raw/live-streaming.md:20"), "{text}");
    for line in text.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 80,
            "wider than 80 columns: {line}"
        );
    }
}

/// raw/notice-2025q1.txt:84–96: the requirement as written is a list whose
/// indentation is its structure. `show` keeps it when the column is too
/// narrow for a line: the line's continuation goes two columns deeper, and
/// no line loses its indentation.
#[test]
fn show_keeps_the_indentation_of_a_requirement_as_written() {
    let text = stdout(&["show", "医疗服务/上门医疗"]);
    // The sources table's row; the column starts where its first line does
    // (the cells before it are ASCII or blank).
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("│ raw/notice-2025q1.txt:84"))
        .take_while(|l| !l.contains('└'))
        .collect();
    let start = rows
        .first()
        .and_then(|r| r.find("(2选1)"))
        .expect("a sources row");
    let column: Vec<&str> = rows
        .iter()
        .map(|l| {
            l.get(start..)
                .unwrap_or("")
                .trim_end()
                .trim_end_matches('│')
        })
        .collect();
    let depth = |needle: &str| -> usize {
        let line = column.iter().find(|l| l.contains(needle));
        let line = line.unwrap_or_else(|| panic!("{needle} not in {column:#?}"));
        line.len() - line.trim_start().len()
    };
    assert_eq!(depth("(2选1):"), 0, "{column:#?}");
    assert_eq!(depth("1、卫健委"), 2, "{column:#?}");
    assert_eq!(depth("2、同时提供"), 2, "{column:#?}");
    assert_eq!(depth("③小程序申请者的承诺书"), 4, "{column:#?}");
    // Each line that was broken goes on two deeper than it started.
    assert_eq!(depth("医管局批文"), 4, "{column:#?}");
    for line in text.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 80,
            "wider than 80 columns: {line}"
        );
    }
}

/// raw/live-streaming.md:482 states no document (`-`) for 视频客服: `show`
/// says so in words, not as a form it cannot show.
#[test]
fn show_a_category_that_needs_no_document() {
    let text = stdout(&["show", "工具/视频客服", "--subject", "enterprise"]);
    let requirement: Vec<&str> = text
        .lines()
        .skip_while(|l| l.trim() != "requirement")
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .map(str::trim)
        .collect();
    assert_eq!(requirement, ["no document required"], "{text}");
    assert!(!text.contains("cannot show"), "{text}");
}

/// raw/notice-2025q1.txt:310: `该资质主体公司的经营国际客运许可证件(④选①):`
/// names the four permits listed under it; `show` prints it as their title,
/// not as a condition, and no licence's condition repeats it.
#[test]
fn show_titles_a_list_its_line_names() {
    let text = stdout(&["show", "交通服务/国际客运", "--subject", "enterprise"]);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let title = lines
        .iter()
        .position(|l| *l == "该资质主体公司的经营国际客运许可证件:")
        .unwrap_or_else(|| panic!("no title line: {text}"));
    // The four, and (the 注 under them) the corresponding ones for both services.
    assert_eq!(
        lines[title + 1..title + 3],
        ["all of:", "one of (1 of 4):"],
        "{text}"
    );
    assert!(!text.contains("if 该资质"), "{text}");
    assert!(!text.contains("；该资质"), "{text}");
}

/// Every conflict `categories.csv` counts for a category is one `show`
/// explains, overlaps included: 医疗服务 › 就医服务 (the notice's end
/// category, raw/notice-2025q1.txt:366) and the 2018 list's 挂号, 查报告单 and
/// 缴费 under it (raw/service-categories.md:32–34) each count one.
#[test]
fn show_explains_every_conflict_a_category_counts() {
    let dataset = leimu::dataset::Dataset::load(&common::root()).unwrap();
    let mut with_conflicts = 0;
    for c in &dataset.categories {
        assert_eq!(
            dataset.conflicts_of(c).count(),
            c.conflicts as usize,
            "{}",
            c.key()
        );
        with_conflicts += usize::from(c.conflicts > 0);
    }
    assert!(with_conflicts >= 5, "{with_conflicts}");
    let text = stdout(&["show", "医疗服务/就医服务/挂号"]);
    assert!(text.contains("conflict     overlap"), "{text}");
    assert!(
        text.contains("raw/notice-2025q1.txt:366 (end category: 医疗服务 › 就医服务"),
        "{text}"
    );
    assert!(
        text.contains("raw/service-categories.md:33 (divides it:"),
        "{text}"
    );
}

/// Words written before a licence's name stay before it: whose document it
/// is (raw/notice-2025q1.txt:308 `與有資質主體公司的合作協議`, :346
/// `該航空公司/機場主體的《公共航空運輸企業經營許可證》/《機場使用許可證》`,
/// where the owner is both alternatives'), not appended after the name.
#[test]
fn show_writes_a_licence_with_its_owner_before_it() {
    let text = stdout(&["show", "交通服务/国际客运"]);
    // Written bare in the source, so without 《》 here too.
    assert!(text.contains("- 与有资质主体公司的合作协议"), "{text}");
    assert!(!text.contains("合作协议》与有资质"), "{text}");
    let text = stdout(&["show", "交通服务/航空代理"]);
    for licence in ["《公共航空运输企业经营许可证》", "《机场使用许可证》"]
    {
        assert!(
            text.contains(&format!("- 该航空公司/机场主体的{licence}")),
            "{licence}: {text}"
        );
    }
    let value = json(&["show", "交通服务/航空代理", "--format", "json"]);
    let tree = value[0]["requirement_tree"].to_string();
    assert_eq!(
        tree.matches(r#""before":"该航空公司/机场主体的""#).count(),
        2,
        "{tree}"
    );
}

#[test]
fn show_as_json_states_roles_and_the_deciding_line() {
    let value = json(&[
        "show",
        "直播",
        "--subject",
        "enterprise",
        "--format",
        "json",
    ]);
    let first = &value[0];
    // An exact level name comes before 直播答题.
    assert_eq!(first["level2"], "直播");
    assert_eq!(value[1]["level2"], "直播答题");
    assert_eq!(first["decided_by"], "service-categories");
    assert_eq!(first["decided_at"], "raw/service-categories.md:280");
    let roles: Vec<(String, String, String)> = first["licence_roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["licence"].as_str().unwrap().to_string(),
                l["role"].as_str().unwrap().to_string(),
                l["condition"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(roles.contains(&("网络文化经营许可证".into(), "one-of".into(), "".into())));
    assert!(roles.contains(&(
        "信息网络传播视听节目许可证".into(),
        "one-of".into(),
        "".into()
    )));
    assert_eq!(roles.len(), 2, "{roles:?}");
}

#[test]
fn show_finds_a_level_one_alias_and_a_full_path_with_other_brackets() {
    // raw/aliases.toml maps 医疗 to 医疗服务.
    let value = json(&["show", "医疗/互联网医院", "--format", "json"]);
    assert_eq!(value[0]["level1"], "医疗服务");
    assert_eq!(value[0]["level2"], "互联网医院");
}

#[test]
fn needs_a_licence() {
    let text = stdout(&["needs", "网络文化经营许可证"]);
    snapshot!("needs-network-culture-licence", &text);
    let value = json(&["needs", "网络文化经营许可证", "--format", "json"]);
    let rows = value[0]["categories"].as_array().unwrap();
    let find = |level2: &str| {
        rows.iter()
            .find(|r| r["level2"] == level2)
            .unwrap_or_else(|| panic!("{level2} missing"))
    };
    // 动漫: (互联网出版许可证 and 网络文化经营许可证) or (网络出版服务许可证 and
    // 网络文化经营许可证): needed either way.
    assert_eq!(find("动漫")["role"], "required");
    // 直播 and 音乐: one of the alternatives.
    assert_eq!(find("直播")["role"], "one-of");
    assert_eq!(find("直播")["group"], "1 of 2");
    assert_eq!(find("音乐")["role"], "one-of");
}

/// 文娱 › 小说 (raw/special-materials-2017.md:341) is retired: the 2018
/// list divides it. `needs` lists it after the current categories, marked,
/// and does not count it as current.
#[test]
fn needs_marks_retired_categories_and_lists_them_last() {
    let text = stdout(&["needs", "互联网出版许可证"]);
    assert!(
        text.starts_with("《互联网出版许可证》: 4 current categories and 1 retired\n"),
        "{text}"
    );
    assert!(text.contains("文娱 › 小说 (retired)"), "{text}");
    let value = json(&["needs", "互联网出版许可证", "--format", "json"]);
    let rows = value[0]["categories"].as_array().unwrap();
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == "retired").count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(statuses.last(), Some(&"retired"), "{statuses:?}");
    let last = rows.last().unwrap();
    assert_eq!(
        (&last["level2"], &last["level3"]),
        (&"小说".into(), &"".into())
    );
}

/// 《汽车租赁经营许可证》 is named only by the 2017 page, whose 租车 the
/// 2018 list decides with `/`: the licence exists, no current category
/// requires it, and `needs` says so (exit 0) instead of "no such licence".
#[test]
fn needs_a_licence_no_current_category_requires() {
    let text = stdout(&["needs", "汽车租赁经营许可证"]);
    assert!(
        text.contains("no current category requires it: named only in"),
        "{text}"
    );
    let value = json(&["needs", "汽车租赁经营许可证", "--format", "json"]);
    assert_eq!(value[0]["categories"].as_array().map(Vec::len), Some(0));
    assert!(value[0]["note"].as_str().is_some_and(|n| !n.is_empty()));
}

/// raw/filing-guide.txt:677–680: the guide's 宗教信息 entry asks for
/// 《互联网宗教信息服务许可证》 (从事宗教内容,需提供…), a licence no category
/// requires. `needs` says where the guide asks for it, not only that it does.
#[test]
fn needs_names_the_filing_guide_lines_that_ask_for_a_licence() {
    let text = stdout(&["needs", "互联网宗教信息服务许可证"]);
    assert!(text.contains("named in the filing guide"), "{text}");
    assert!(
        text.contains("raw/filing-guide.txt:677 其他 › 宗教信息: 从事宗教内容"),
        "{text}"
    );
    let value = json(&["needs", "互联网宗教信息服务许可证", "--format", "json"]);
    let mentions = value[0]["filing_guide"].as_array().unwrap();
    assert_eq!(mentions.len(), 1, "{mentions:?}");
    assert_eq!(mentions[0]["location"], "raw/filing-guide.txt:677");
    assert_eq!(
        mentions[0]["text"],
        "从事宗教内容,需提供《互联网宗教信息服务许可证》"
    );
    // A licence the guide never names has no such list.
    let value = json(&["needs", "金融许可证", "--format", "json"]);
    assert!(value[0].get("filing_guide").is_none(), "{value}");
}

/// raw/notice-2025q1.txt:310–312: a ticket agent for 国际客运 uploads the
/// *partner's* 《道路运输经营许可证》; the self-operator its own. `needs`
/// says so in `as written`, and counts the category once.
#[test]
fn needs_says_whose_licence_it_is() {
    let text = stdout(&["needs", "道路运输经营许可证"]);
    assert!(
        text.starts_with("《道路运输经营许可证》: 2 categories\n"),
        "{text}"
    );
    let value = json(&["needs", "道路运输经营许可证", "--format", "json"]);
    let rows = value[0]["categories"].as_array().unwrap();
    let written = |condition: &str| {
        rows.iter()
            .find(|r| r["level2"] == "国际客运" && r["condition"] == condition)
            .map(|r| r["as_written"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{condition}: {rows:?}"))
    };
    assert!(
        written("票务代理；班车客运")
            .starts_with("该资质主体公司的经营国际客运许可证件：《道路运输经营许可证》"),
        "{rows:?}"
    );
    assert!(
        written("自营型；班车客运").starts_with("《道路运输经营许可证》"),
        "{rows:?}"
    );
}

#[test]
fn needs_applies_licence_spelling_rules() {
    // Whitespace and half-width brackets are normalised as the normaliser does.
    let spaced = json(&["needs", " 网络文化 经营许可证 ", "--format", "json"]);
    let plain = json(&["needs", "网络文化经营许可证", "--format", "json"]);
    assert_eq!(spaced, plain);
}

#[test]
fn search_ranks_names_first() {
    let text = stdout(&["search", "直播"]);
    snapshot!("search-live-streaming", &text);
    let value = json(&["search", "直播", "--format", "json"]);
    let hits = value.as_array().unwrap();
    assert_eq!(hits[0]["path"], "社交 › 直播");
    assert_eq!(hits[0]["rank"], 0);
    assert_eq!(hits[1]["path"], "社交 › 直播答题");
    // Then categories that mention it elsewhere: 在线视频课程's scope says 直播.
    let course = hits
        .iter()
        .find(|h| h["path"] == "教育 › 在线视频课程")
        .expect("the scope mentions 直播");
    assert_eq!(course["fields"][0], "scope");
    assert!(hits
        .windows(2)
        .all(|w| w[0]["rank"].as_u64() <= w[1]["rank"].as_u64()));
}

#[test]
fn no_match_exits_1_with_suggestions() {
    let out = leimu(&["show", "直博"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("no category matches “直博”; did you mean: 直播"),
        "{stderr}"
    );
    let out = leimu(&["needs", "网络文化经营许可", "--format", "json"]);
    // A part of a name matches every licence containing it.
    assert!(out.status.success());
    let out = leimu(&["needs", "不存在的许可证", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "[]\n");
}

#[test]
fn a_missing_normalized_directory_says_to_ingest() {
    let dir = common::scratch_copy();
    let out = leimu(&["show", "直播", "--root", dir.path().to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("normalized/categories.json: missing:")
            && stderr.contains("run `cargo xtask ingest`"),
        "{stderr}"
    );
}

#[test]
fn completions_and_man_page_are_generated() {
    let bash = stdout(&["completions", "bash"]);
    assert!(
        bash.contains("needs") && bash.contains("--subject"),
        "{bash}"
    );
    let man = stdout(&["manpage"]);
    assert!(man.contains(".TH leimu") && man.contains("show"), "{man}");
}

#[test]
fn a_name_that_is_also_an_alias_matches_as_typed_too() {
    // 医疗 is an alias of the level-1 name 医疗服务, and part of 医疗资讯.
    let value = json(&["show", "医疗", "--subject", "overseas", "--format", "json"]);
    let paths: Vec<(String, String)> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["level1"].as_str().unwrap().to_string(),
                c["level2"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        paths.contains(&("本地服务".into(), "医疗资讯".into())),
        "{paths:?}"
    );
    let out = leimu(&["show", "医疗", "--subject", "overseas"]);
    assert!(out.status.success());
    // Suggestions come from the subject asked about, never the query itself.
    let out = leimu(&["show", "直博", "--subject", "personal"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("no personal category matches “直博”"),
        "{stderr}"
    );
}
