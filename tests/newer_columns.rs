//! The readers of `normalized/` on the files the reworked normaliser will
//! write: `id`, `status`, `beta`, `decided_as_of`, `authority` in
//! categories.json, `category-licences.csv` and `history.csv`. The fixture
//! is today's output with those added.

mod common;

use std::path::Path;
use std::process::Command;

use leimu::dataset::{Dataset, LinkOrigin};

const LINKS: &str = "category_id,licence,kind,role,pick,of,condition
social-live,信息网络传播视听节目许可证,licence,one-of,1,3,
social-live,网络文化经营许可证,licence,one-of,1,3,
social-live,情况说明函件,declaration,conditional,,,适用于政府主体
";

const HISTORY: &str = "category_id,subject,level1,level2,level3,as_of,source,change,licences_added,licences_removed,requirement
social-live,enterprise,社交,直播,,2017-04-07,special-materials-2017,added,信息网络传播视听节目许可证;网络文化经营许可证,,
social-live,enterprise,社交,直播,,2021-01-01,live-streaming,licences,情况说明函件;统一社会信用代码,,
";

/// A project whose normalized/ has the newer columns and files.
fn fixture() -> tempfile::TempDir {
    let dir = common::scratch_copy();
    let normalized = dir.path().join("normalized");
    std::fs::create_dir_all(&normalized).unwrap();
    let source = common::root().join("normalized");
    for file in [
        "conflicts.json",
        "licences.csv",
        "filing-services.csv",
        "categories.csv",
    ] {
        std::fs::copy(source.join(file), normalized.join(file)).unwrap();
    }
    let text = std::fs::read_to_string(source.join("categories.json")).unwrap();
    let mut categories: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    for (i, c) in categories.iter_mut().enumerate() {
        let live = c["level1"] == "社交" && c["level2"] == "直播";
        let object = c.as_object_mut().unwrap();
        let id = if live {
            "social-live".to_string()
        } else {
            format!("c{i:03}")
        };
        object.insert("id".into(), id.into());
        object.insert(
            "status".into(),
            if live { "adjusted" } else { "listed" }.into(),
        );
        object.insert("beta".into(), live.into());
        object.insert("decided_as_of".into(), "2021-01-01".into());
        object.insert("authority".into(), "reference".into());
    }
    std::fs::write(
        normalized.join("categories.json"),
        serde_json::to_string_pretty(&categories).unwrap(),
    )
    .unwrap();
    std::fs::write(normalized.join("category-licences.csv"), LINKS).unwrap();
    std::fs::write(normalized.join("history.csv"), HISTORY).unwrap();
    dir
}

fn leimu(root: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_leimu"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn show_finds_an_id_and_uses_the_link_table_and_history() {
    let dir = fixture();
    let value: serde_json::Value = serde_json::from_str(&leimu(
        dir.path(),
        &["show", "social-live", "--format", "json"],
    ))
    .unwrap();
    let live = &value[0];
    assert_eq!(live["level2"], "直播");
    assert_eq!(live["status"], "adjusted");
    let roles = live["licence_roles"].as_array().unwrap();
    assert_eq!(roles.len(), 3, "the link table, not the derived roles");
    assert_eq!(roles[0]["group"], "1 of 3");
    assert_eq!(roles[2]["role"], "conditional");
    assert_eq!(roles[2]["kind"], "declaration");
    assert_eq!(live["history"].as_array().unwrap().len(), 2);

    let text = leimu(dir.path(), &["show", "社交/直播"]);
    assert!(text.contains("id           social-live"), "{text}");
    assert!(
        text.contains("status       adjusted (internal beta)"),
        "{text}"
    );
    assert!(text.contains(", reference)"), "{text}");
    assert!(text.contains("history"), "{text}");
    assert!(text.contains("live-streaming"), "{text}");
}

#[test]
fn needs_reads_the_link_table() {
    let dir = fixture();
    let value: serde_json::Value = serde_json::from_str(&leimu(
        dir.path(),
        &["needs", "网络文化经营许可证", "--format", "json"],
    ))
    .unwrap();
    let rows = value[0]["categories"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "only the table's links");
    assert_eq!(rows[0]["category_id"], "social-live");
}

#[test]
fn the_report_and_the_workbook_carry_history() {
    let dir = fixture();
    let dataset = Dataset::load(dir.path()).unwrap();
    assert_eq!(dataset.link_origin, LinkOrigin::File);
    let html = String::from_utf8(leimu::report_html::render_dataset(&dataset).unwrap()).unwrap();
    assert!(html.contains(r#""links_from":"category-licences.csv""#));
    assert!(html.contains(r#""change":"licences""#));
    let sheets = leimu::export::sheets(&dataset);
    let (name, history) = sheets.last().unwrap();
    assert_eq!(*name, "变更 history");
    assert_eq!(history.rows.len(), 2);
}

/// A normalized/ written before `category-licences.csv` existed: the reader
/// derives the links from the requirement trees as the pipeline does, so it
/// gives the rows the table would have, on every category of today's output.
#[test]
fn links_derived_from_the_trees_are_the_rows_of_the_link_table() {
    let root = common::root();
    let dir = common::scratch_copy();
    let normalized = dir.path().join("normalized");
    std::fs::create_dir_all(&normalized).unwrap();
    for entry in std::fs::read_dir(root.join("normalized")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if path.is_file() && name != "category-licences.csv" {
            std::fs::copy(&path, normalized.join(name)).unwrap();
        }
    }
    let rows = |dataset: &Dataset| {
        let mut rows: Vec<String> = dataset
            .links
            .iter()
            .map(|l| {
                format!(
                    "{} {} {} {:?} {} {} {}",
                    l.category_id, l.licence, l.kind, l.role, l.group, l.condition, l.as_written
                )
            })
            .collect();
        rows.sort();
        rows
    };
    let table = Dataset::load(&root).unwrap();
    let derived = Dataset::load(dir.path()).unwrap();
    assert_eq!(table.link_origin, LinkOrigin::File);
    assert_eq!(derived.link_origin, LinkOrigin::Derived);
    assert!(table.links.len() > 300, "{}", table.links.len());
    assert_eq!(rows(&derived), rows(&table));
}
