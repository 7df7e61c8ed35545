//! `normalized/report.html`: deterministic, self-contained, small, and
//! rendered by a real browser (headless chromium) with a search in the URL
//! fragment.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use leimu::dataset::Dataset;
use leimu::report_html;

fn dataset() -> Dataset {
    Dataset::load(&common::root()).expect("normalized/ reads")
}

#[test]
fn the_report_is_deterministic_self_contained_and_small() {
    let dataset = dataset();
    let first = report_html::render_dataset(&dataset).unwrap();
    let second = report_html::render_dataset(&dataset).unwrap();
    assert!(first == second, "two renders differ");
    let html = String::from_utf8(first).unwrap();
    for external in ["<link", "src=", "@import", "url(", "http://", "https://"] {
        assert!(
            !html.contains(external),
            "the page refers to something outside: {external}"
        );
    }
    let categories = std::fs::metadata(common::root().join("normalized/categories.json"))
        .unwrap()
        .len();
    assert!(
        html.len() as u64 <= 2 * categories,
        "report.html is {} bytes, more than twice categories.json ({categories})",
        html.len()
    );
}

#[test]
fn ingest_writes_the_report_it_renders() {
    let root = common::root();
    let on_disk = std::fs::read(root.join("normalized/report.html")).unwrap();
    let rendered = report_html::render_dataset(&dataset()).unwrap();
    assert!(on_disk == rendered, "normalized/report.html is stale");
}

/// The browser, if there is one; in CI (CI=true) its absence fails.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "chromium is required in CI: apt-get install -y chromium"
        );
        eprintln!("skipped: no chromium on PATH (apt-get install -y chromium to run this test)");
    }
    found
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'=' | b'&' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Runs headless chromium on `page` with `fragment`; extra arguments select
/// what it prints or saves.
fn browse(browser: &Path, page: &Path, fragment: &str, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}#{}", page.display(), percent_encode(fragment));
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The category rows the page rendered: (id, subject, path, licences, open).
fn rendered_rows(dom: &str) -> Vec<(String, String, String, String, bool)> {
    let document = scraper::Html::parse_document(dom);
    let row = scraper::Selector::parse("details.cat").unwrap();
    let path = scraper::Selector::parse(".path").unwrap();
    let lics = scraper::Selector::parse(".lics").unwrap();
    document
        .select(&row)
        .map(|r| {
            let text = |s: &scraper::Selector| {
                r.select(s)
                    .next()
                    .map(|e| e.text().collect::<String>())
                    .unwrap_or_default()
            };
            (
                r.attr("data-id").unwrap_or_default().to_string(),
                r.attr("data-subject").unwrap_or_default().to_string(),
                text(&path),
                text(&lics),
                r.attr("open").is_some(),
            )
        })
        .collect()
}

#[test]
fn a_browser_restores_the_search_from_the_url_fragment() {
    let Some(browser) = chromium() else { return };
    let dataset = dataset();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, report_html::render_dataset(&dataset).unwrap()).unwrap();
    // The page at a URL fragment: its DOM and its category rows.
    let search = |fragment: &str| {
        let dom = browse(&browser, &page, fragment, &["--dump-dom"]);
        let rows = rendered_rows(&dom);
        (dom, rows)
    };

    let (dom, rows) = search("q=直播&subject=enterprise");
    // The script ran to its end (it marks the body last).
    assert!(dom.contains(r#"data-ready="1""#), "the page script failed");
    // 社交 › 直播 first, expanded, with its licences and the deciding line.
    let (_, subject, path, licences, open) = &rows[0];
    assert_eq!(
        (subject.as_str(), path.as_str()),
        ("enterprise", "社交 › 直播")
    );
    for licence in ["《信息网络传播视听节目许可证》", "《网络文化经营许可证》"]
    {
        assert!(licences.contains(licence), "{licences}");
    }
    assert!(*open);
    // The official list decides; the reference page is listed among the sources.
    assert!(dom.contains("raw/service-categories.md:280"));
    assert!(dom.contains("raw/live-streaming.md:20"));
    // The page finds what `leimu search` finds, for that subject only.
    let expected: BTreeSet<String> = leimu::query::search_matches(&dataset, "直播")
        .into_iter()
        .filter(|h| h.subject == "enterprise")
        .map(|h| h.id)
        .collect();
    let shown: BTreeSet<String> = rows.iter().map(|r| r.0.clone()).collect();
    assert_eq!(shown, expected);

    // A subject filter hides the other subjects' 工具 categories.
    let all_tools = leimu::query::search_matches(&dataset, "工具");
    let (_, rows) = search("q=工具&subject=personal");
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.1 == "personal"), "{rows:?}");
    assert!(rows.len() < all_tools.len());
    assert_eq!(
        rows.len(),
        all_tools.iter().filter(|h| h.subject == "personal").count()
    );

    // A category a reference source decides is a disagreement: linked and listed.
    let (fund, rows) = search("q=公募基金&subject=enterprise");
    assert_eq!(rows[0].2, "金融业 › 公募基金");
    assert!(fund.contains(r##"href="#conflict-"##) && fund.contains(r#"class="conflict""#));

    // A category no document is required for says so in words.
    let (none, rows) = search("q=视频客服&subject=enterprise");
    assert_eq!(rows[0].2, "工具 › 视频客服");
    assert!(rows[0].4, "the first row is expanded");
    assert!(none.contains("no document required 无需资质"), "{none}");

    // A retired category the 2018 list divides links to its parts.
    let (novels, rows) = search("q=文娱/小说&subject=enterprise&status=retired");
    assert_eq!(rows[0].2, "文娱 › 小说", "{rows:?}");
    assert!(novels.contains("succeeded by 后继类目"), "{novels}");
    assert!(
        novels.contains(">文娱 › 小说 › 电子书 · enterprise</a>"),
        "{novels}"
    );

    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png");
    browse(
        &browser,
        &page,
        "q=直播&subject=enterprise",
        &[
            "--window-size=1100,1300",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    let png = std::fs::read(&shot).expect("chromium saved a screenshot");
    assert!(png.starts_with(b"\x89PNG"));
    eprintln!("screenshot: {}", shot.display());
}
