//! ingest and check on a scratch copy of raw/: atomic writes, stale
//! detection, determinism.

mod common;

use leimu::pipeline;

#[test]
fn ingest_then_check_is_clean_and_check_names_stale_files() {
    let dir = common::scratch_copy();
    let root = dir.path();
    let generated = pipeline::generate(root).unwrap();
    pipeline::write(root, &generated).unwrap();
    assert_eq!(pipeline::compare(root, &generated).unwrap(), vec![]);

    let csv = root.join("normalized/extracted/service-categories.csv");
    let edited = std::fs::read_to_string(&csv)
        .unwrap()
        .replace("熟人交友", "熟人社交");
    std::fs::write(&csv, edited).unwrap();
    std::fs::write(root.join("normalized/extra.csv"), "x\n").unwrap();
    std::fs::remove_file(root.join("normalized/diagnostics.csv")).unwrap();

    let differences: Vec<String> = pipeline::compare(root, &generated)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(differences.len(), 3, "{differences:#?}");
    assert!(differences[0].contains("diagnostics.csv: missing"));
    assert!(differences[1].contains("service-categories.csv: differs"));
    assert!(differences[1].contains("-service-categories,278,enterprise,社交,熟人社交"));
    assert!(differences[1].contains("+service-categories,278,enterprise,社交,熟人交友"));
    assert!(differences[2].contains("extra.csv: not produced by raw/"));
}

#[test]
fn a_failed_run_leaves_normalized_untouched() {
    let dir = common::scratch_copy();
    let root = dir.path();
    pipeline::write(root, &pipeline::generate(root).unwrap()).unwrap();
    let before = std::fs::read(root.join("normalized/extracted/service-categories.csv")).unwrap();

    // A revision that lost its tables must stop the run, not empty the dataset.
    std::fs::write(
        root.join("raw/service-categories.md"),
        "# 小程序开放的服务类目\n",
    )
    .unwrap();
    let err = pipeline::generate(root).unwrap_err();
    assert!(
        format!("{err:#}").contains("raw/service-categories.md"),
        "{err:#}"
    );
    assert_eq!(
        std::fs::read(root.join("normalized/extracted/service-categories.csv")).unwrap(),
        before
    );

    std::fs::write(root.join("raw/sources.toml"), "[[source]]\nid = 1\n").unwrap();
    let err = format!("{:#}", pipeline::generate(root).unwrap_err());
    assert!(
        err.contains("sources.toml") && err.contains("line 2"),
        "{err}"
    );
}

#[test]
fn output_is_identical_on_every_run_and_thread_count() {
    let root = common::root();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| pipeline::generate(&root).unwrap().files)
    };
    let one = run(1);
    assert_eq!(one, run(4));
    assert_eq!(one, run(1));
}

#[test]
fn a_requirement_nested_thousands_deep_is_a_diagnostic_not_an_abort() {
    let dir = common::scratch_copy();
    let root = dir.path();
    let md = root.join("raw/service-categories.md");
    let text = std::fs::read_to_string(&md).unwrap();
    // The P2P row (line 110), its requirement nested 10,000 deep.
    let written = "银监会备案证明材料或者省（自治区、直辖市或深圳市等）金融办批准文件，并文件内容明确为“网络借贷信息中介机构”";
    let deep = format!(
        "《甲证》{}{}",
        "（涉及a提交乙证".repeat(10_000),
        "）".repeat(10_000)
    );
    assert_eq!(text.matches(written).count(), 1);
    std::fs::write(&md, text.replace(written, &deep)).unwrap();

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_leimu"))
        .args(["ingest", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let diagnostics = std::fs::read_to_string(root.join("normalized/diagnostics.csv")).unwrap();
    let line: Vec<&str> = diagnostics
        .lines()
        .filter(|l| l.contains("levels deep"))
        .collect();
    assert_eq!(line.len(), 1, "{diagnostics}");
    assert!(
        line[0].starts_with("service-categories,raw/service-categories.md,110,"),
        "{}",
        line[0]
    );
    // The readers of normalized/ read the tree back.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_leimu"))
        .args(["show", "P2P", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("《甲证》"));
}
