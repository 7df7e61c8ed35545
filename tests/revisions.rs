//! Several revisions of one publication in `raw/`: the canonical dataset,
//! the statuses and the history, on revisions made from the real category
//! list (rows added, removed, renamed and re-worded, licences changed).
//!
//! The revisions are written to a temporary root by string edits of
//! `raw/service-categories.md`; the repository's raw/ is never changed.

mod common;

use std::fs;
use std::path::Path;

use leimu::pipeline::{self, Generated};
use leimu_normalize::{Category, HistoryChange, HistoryEntry, Normalized, Statement, Status};

/// A pipe-table row with these cells.
fn row(cells: &[&str]) -> String {
    format!("| {} |", cells.join(" | "))
}

/// The first cell of a table row, trimmed.
fn first_cell(line: &str) -> Option<&str> {
    line.strip_prefix('|')?.split('|').next().map(str::trim)
}

/// The text with the first row named `name` replaced by `with` (removed when `None`).
fn replace_row(text: &str, name: &str, with: Option<&str>) -> String {
    let mut done = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if !done && first_cell(line) == Some(name) {
            done = true;
            out.extend(with);
        } else {
            out.push(line);
        }
    }
    assert!(done, "no row {name}");
    out.join("\n") + "\n"
}

/// The text with `new` inserted after the first row named `name`.
fn insert_after(text: &str, name: &str, new: &str) -> String {
    let mut done = false;
    let mut out = Vec::new();
    for line in text.lines() {
        out.push(line);
        if !done && first_cell(line) == Some(name) {
            done = true;
            out.push(new);
        }
    }
    assert!(done, "no row {name}");
    out.join("\n") + "\n"
}

/// The 1-based line of the first row named `name`.
fn line_of(text: &str, name: &str) -> u32 {
    let index = text
        .lines()
        .position(|l| first_cell(l) == Some(name))
        .unwrap_or_else(|| panic!("no row {name}"));
    u32::try_from(index + 1).unwrap()
}

/// The three revisions, oldest first, derived from the real list.
struct Revisions {
    a: String,
    b: String,
    c: String,
}

fn revisions() -> Revisions {
    let real = fs::read_to_string(common::root().join("raw/service-categories.md")).unwrap();
    // a: 直播 needs only the audiovisual licence.
    let a = replace_row(
        &real,
        "直播",
        Some(&row(&[
            "直播",
            "/",
            "《信息网络传播视听节目许可证》",
            "",
            "",
        ])),
    );
    // b: the published text: 直播 also accepts 《网络文化经营许可证》.
    let b = real.clone();
    // c: 直播 needs both; 直播答题 dropped; 天气 renamed 天气预报; 树洞 added;
    // 笔记 re-worded with a document without 《》; 问答 accepts another licence.
    let mut c = replace_row(
        &real,
        "直播",
        Some(&row(&[
            "直播",
            "/",
            "《信息网络传播视听节目许可证》和《网络文化经营许可证》(经营范围含网络表演）",
            "",
            "",
        ])),
    );
    c = replace_row(&c, "直播答题", None);
    c = replace_row(&c, "天气", Some(&row(&["天气预报", "/", "/", "/", ""])));
    c = insert_after(
        &c,
        "笔记",
        &row(&["树洞", "/", "《非经营性互联网信息服务备案核准》", "", ""]),
    );
    c = replace_row(
        &c,
        "笔记",
        Some(&row(&[
            "笔记",
            "/",
            "《非经营性互联网信息服务备案核准》和运营者身份证明",
            "",
            "",
        ])),
    );
    c = replace_row(
        &c,
        "问答",
        Some(&row(&[
            "问答",
            "/",
            "《非经营性互联网信息服务备案核准》或《增值电信业务经营许可证》",
            "",
            "",
        ])),
    );
    Revisions { a, b, c }
}

/// A root whose raw/ holds the three revisions as one series, and nothing else.
fn series_root(revisions: &Revisions) -> tempfile::TempDir {
    let dir = common::scratch_copy();
    let raw = dir.path().join("raw");
    let mut manifest = String::new();
    for (id, as_of, text) in [
        ("list-2018a", "2018-01-01", &revisions.a),
        ("list-2018b", "2018-06-01", &revisions.b),
        ("list-2019", "2019-01-01", &revisions.c),
    ] {
        fs::write(raw.join(format!("{id}.md")), text).unwrap();
        manifest.push_str(&format!(
            "[[source]]\nid = \"{id}\"\nfile = \"{id}.md\"\nparser = \"markdown-tables\"\n\
             title = \"小程序开放的服务类目\"\norigin = \"a revision made by the test\"\n\
             as_of = \"{as_of}\"\nauthority = \"official\"\nseries = \"category-list\"\n\n"
        ));
    }
    fs::write(raw.join("sources.toml"), manifest).unwrap();
    dir
}

fn generate(root: &Path) -> Generated {
    pipeline::generate(root).expect("the revisions ingest")
}

/// The enterprise category at `path` (displayed, ` › `-separated).
fn category<'a>(n: &'a Normalized, path: &str) -> &'a Category {
    n.categories
        .iter()
        .find(|c| c.key.subject == leimu_model::Subject::Enterprise && c.path.to_string() == path)
        .unwrap_or_else(|| panic!("no category {path}"))
}

/// The history of a category: (source, line, change).
fn history<'a>(n: &'a Normalized, c: &Category) -> Vec<(&'a str, u32, HistoryChange)> {
    entries(n, c)
        .map(|h| (h.source.as_str(), h.line, h.change))
        .collect()
}

fn entries<'a>(n: &'a Normalized, c: &Category) -> impl Iterator<Item = &'a HistoryEntry> {
    let id = c.id.clone();
    n.history.iter().filter(move |h| h.category_id == id)
}

#[test]
fn three_revisions_of_the_category_list() {
    use HistoryChange::*;
    let revisions = revisions();
    let root = series_root(&revisions);
    let generated = generate(root.path());
    let n = &generated.normalized;
    let line = |text: &str, name| line_of(text, name);

    // The newest revision decides; revisions of one series never disagree.
    assert!(n.disagreements.is_empty(), "{:#?}", n.disagreements);
    let live = category(n, "社交 › 直播");
    assert_eq!(live.decided_by, "list-2019");
    assert_eq!(live.status, Status::Listed);
    assert!(matches!(
        &live.statement,
        Statement::Requires(leimu_requirement::Requirement::AllOf { .. })
    ));
    assert_eq!(
        live.statement.licences(),
        ["信息网络传播视听节目许可证", "网络文化经营许可证"]
    );
    assert_eq!(
        history(n, live),
        [
            ("list-2018a", line(&revisions.a, "直播"), Added),
            ("list-2018b", line(&revisions.b, "直播"), Licences),
            ("list-2019", line(&revisions.c, "直播"), Logic),
        ]
    );

    // When did 直播 start to need 《网络文化经营许可证》? The first entry that adds it.
    let since = entries(n, live)
        .find(|h| h.licences_added.iter().any(|l| l == "网络文化经营许可证"))
        .unwrap();
    assert_eq!(
        (since.source.as_str(), since.as_of.as_str(), since.line),
        ("list-2018b", "2018-06-01", 280)
    );
    assert_eq!(since.change, Licences);

    // Dropped by the newest revision: retired, decided by the last revision listing it.
    let quiz = category(n, "社交 › 直播答题");
    assert_eq!(quiz.status, Status::Retired);
    assert_eq!(quiz.decided_by, "list-2018b");
    assert_eq!(
        history(n, quiz),
        [
            ("list-2018a", line(&revisions.a, "直播答题"), Added),
            ("list-2019", 0, Removed),
        ]
    );
    let removed = entries(n, quiz).last().unwrap();
    assert_eq!(removed.licences_removed, ["信息网络传播视听节目许可证"]);

    // A rename is the old name removed and the new one added; the report suggests it.
    let weather = category(n, "工具 › 天气");
    assert_eq!(weather.status, Status::Retired);
    assert_eq!(history(n, weather).last().unwrap().2, Removed);
    let forecast = category(n, "工具 › 天气预报");
    assert_eq!(forecast.status, Status::Listed);
    assert_eq!(forecast.statement, Statement::None);
    assert_eq!(
        history(n, forecast),
        [("list-2019", line(&revisions.c, "天气预报"), Added)]
    );
    assert!(n
        .rename_suggestions
        .iter()
        .any(|s| s.candidate.path.level2 == "天气预报"));

    // A new row.
    let hollow = category(n, "社交 › 树洞");
    assert_eq!(
        history(n, hollow),
        [("list-2019", line(&revisions.c, "树洞"), Added)]
    );
    // A document without 《》 added: wording, the licences unchanged.
    let notes = category(n, "社交 › 笔记");
    assert_eq!(
        history(n, notes).last().unwrap(),
        &("list-2019", line(&revisions.c, "笔记"), Wording)
    );
    // Another licence accepted.
    let questions = category(n, "社交 › 问答");
    let change = entries(n, questions).last().unwrap();
    assert_eq!(change.change, Licences);
    assert_eq!(change.licences_added, ["增值电信业务经营许可证"]);
    assert!(change.licences_removed.is_empty());
    assert_eq!(change.line, line(&revisions.c, "问答"));

    // Untouched rows have one entry: added by the oldest revision.
    let cargo = category(n, "快递业与邮政 › 寄件/收件");
    assert_eq!(history(n, cargo), [("list-2018a", 9, Added)]);
}

#[test]
fn every_category_history_starts_with_added_and_retired_ones_end_removed() {
    let revisions = revisions();
    let root = series_root(&revisions);
    let generated = generate(root.path());
    let n = &generated.normalized;
    for c in &n.categories {
        let changes: Vec<HistoryChange> = entries(n, c).map(|h| h.change).collect();
        assert_eq!(changes.first(), Some(&HistoryChange::Added), "{}", c.key);
        let dropped = matches!(
            changes.last(),
            Some(HistoryChange::Removed | HistoryChange::Divided)
        );
        assert_eq!(
            dropped,
            c.status == Status::Retired,
            "{}: {changes:?}",
            c.key
        );
    }
    // Exactly the re-worded rows and the dropped or renamed ones have more
    // than one entry (the added rows have one, as the untouched ones).
    let multiple: Vec<String> = n
        .categories
        .iter()
        .filter(|c| entries(n, c).count() > 1)
        .map(|c| c.key.to_string())
        .collect();
    assert_eq!(
        multiple,
        [
            "enterprise · 工具 › 天气",
            "enterprise · 社交 › 直播",
            "enterprise · 社交 › 直播答题",
            "enterprise · 社交 › 笔记",
            "enterprise · 社交 › 问答",
        ]
    );
    // The history table is written, one row per entry.
    let csv = common::file(&generated, "history.csv");
    assert_eq!(
        csv::Reader::from_reader(csv.as_bytes()).records().count(),
        n.history.len()
    );
    assert!(csv.contains(",2018-06-01,list-2018b,280,licences,网络文化经营许可证,,"));
}

#[test]
fn in_the_real_documents_live_streaming_needed_the_culture_licence_since_2017() {
    let generated = common::generated();
    let n = &generated.normalized;
    let live = category(n, "社交 › 直播");
    let since = entries(n, live)
        .find(|h| h.licences_added.iter().any(|l| l == "网络文化经营许可证"))
        .unwrap();
    // The 2017 page required it together with the audiovisual licence (和) …
    assert_eq!(
        (since.source.as_str(), since.line, since.change),
        ("special-materials-2017", 521, HistoryChange::Added)
    );
    assert!(since.requirement.contains("和《网络文化经营许可证》"));
    // … the 2018 list made the two alternatives (或): a change of logic.
    assert!(entries(n, live).any(|h| h.source == "service-categories"
        && h.line == 280
        && h.change == HistoryChange::Logic));
}

/// `leimu` run in `dir`.
fn leimu(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_leimu"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("leimu runs")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The real list as list-2018b.json and the newest revision as
/// list-2019.json, written by `leimu extract --format json`, in a temp dir.
fn extracted_pair() -> tempfile::TempDir {
    let revisions = revisions();
    let dir = series_root(&revisions);
    for id in ["list-2018b", "list-2019"] {
        let out = leimu(
            dir.path(),
            &[
                "extract",
                "--parser",
                "markdown-tables",
                "--format",
                "json",
                &format!("raw/{id}.md"),
            ],
        );
        assert!(out.status.success());
        fs::write(dir.path().join(format!("{id}.json")), &out.stdout).unwrap();
    }
    dir
}

#[test]
fn diff_of_two_extracted_revisions_reports_what_changed_for_users() {
    let dir = extracted_pair();
    let out = leimu(dir.path(), &["diff", "list-2018b.json", "list-2019.json"]);
    assert!(out.status.success(), "{out:?}");
    snapshot!("diff-md", stdout(&out));

    let out = leimu(
        dir.path(),
        &[
            "diff",
            "--format",
            "json",
            "list-2018b.json",
            "list-2019.json",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names = |list: &str| -> Vec<String> {
        report[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                format!(
                    "{} · {}",
                    c["subject"].as_str().unwrap(),
                    c["level2"].as_str().unwrap()
                )
            })
            .collect()
    };
    // 天气 is in each subject's table; only the enterprise one was renamed.
    assert_eq!(
        names("added"),
        ["enterprise · 天气预报", "enterprise · 树洞"]
    );
    assert_eq!(
        names("removed"),
        ["enterprise · 天气", "enterprise · 直播答题"]
    );
    assert_eq!(
        names("changed"),
        [
            "enterprise · 直播",
            "enterprise · 笔记",
            "enterprise · 问答"
        ]
    );
    let changes = |i: usize| report["changed"][i]["changes"].clone();
    assert_eq!(changes(0), serde_json::json!(["requirement", "logic"]));
    assert_eq!(changes(1), serde_json::json!(["requirement", "wording"]));
    assert_eq!(
        changes(2),
        serde_json::json!(["requirement", "logic", "licences"])
    );
    assert_eq!(
        report["changed"][2]["licences_added"],
        serde_json::json!(["增值电信业务经营许可证"])
    );
}

#[test]
fn diff_exit_codes_and_pipes() {
    let dir = extracted_pair();
    let code = |args: &[&str]| leimu(dir.path(), args).status.code();
    let changed = ["diff", "--exit-code", "list-2018b.json", "list-2019.json"];
    assert_eq!(code(&changed), Some(1));
    assert_eq!(
        code(&["diff", "list-2018b.json", "list-2019.json"]),
        Some(0)
    );
    let same = ["diff", "--exit-code", "list-2019.json", "list-2019.json"];
    assert_eq!(code(&same), Some(0));
    let out = leimu(dir.path(), &["diff", "raw/sources.toml", "list-2019.json"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("raw/sources.toml:1: not JSON"), "{stderr}");
    // A pipe, as from `<(git show origin/main:normalized/categories.json)`.
    let piped = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{} diff --format json <(cat list-2018b.json) list-2019.json",
            env!("CARGO_BIN_EXE_leimu")
        ))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(piped.status.success(), "{piped:?}");
    let direct = leimu(
        dir.path(),
        &[
            "diff",
            "--format",
            "json",
            "list-2018b.json",
            "list-2019.json",
        ],
    );
    assert_eq!(piped.stdout, direct.stdout);
}

#[test]
fn ingest_summarises_the_change_and_check_annotates_for_github() {
    let dir = common::scratch_copy();
    let root = dir.path().to_str().unwrap();
    let first = leimu(dir.path(), &["ingest", "--root", root]);
    assert!(stdout(&first).contains("categories: no normalized/categories.json before this run"));

    // A new revision of the list replaces the file.
    let revisions = revisions();
    fs::write(dir.path().join("raw/service-categories.md"), &revisions.c).unwrap();
    let check = leimu(dir.path(), &["check", "--format", "github", "--root", root]);
    assert!(!check.status.success());
    let annotations = stdout(&check);
    assert!(annotations.contains("::error file=normalized/categories.csv,line="));
    assert!(annotations.contains("::warning file=raw/service-categories.md,line=14::ambiguous: "));
    assert!(annotations.contains("::warning file=raw/"));

    let second = leimu(dir.path(), &["ingest", "--root", root]);
    let summary = stdout(&second);
    assert!(
        summary.contains("categories: 2 added, 2 removed, 3 changed\n"),
        "{summary}"
    );
    assert!(
        summary.contains("  + enterprise · 社交 › 树洞\n"),
        "{summary}"
    );
    assert!(
        summary.contains("  - enterprise · 社交 › 直播答题\n"),
        "{summary}"
    );
    assert!(
        summary.contains("  ~ enterprise · 社交 › 直播 (requirement, logic)\n"),
        "{summary}"
    );
    let check = leimu(dir.path(), &["check", "--format", "github", "--root", root]);
    assert!(check.status.success());
    assert!(!stdout(&check).contains("::error"));
}
