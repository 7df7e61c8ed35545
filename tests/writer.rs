//! The one safe writer under concurrency: runs at once in threads and in
//! processes never leave a partial `normalized/`, and readers never see one.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use leimu::pipeline::{self, Generated};
use leimu::write::OutputLock;

/// A complete output whose every file says which version it belongs to.
fn version(v: usize) -> Generated {
    let files: BTreeMap<String, Vec<u8>> = (0..60)
        .map(|i| {
            (
                format!("extracted/{i}.csv"),
                format!("version {v}, file {i}\n").into_bytes(),
            )
        })
        .chain([("diagnostics.csv".to_string(), format!("{v}\n").into_bytes())])
        .collect();
    Generated {
        files,
        ..Generated::default()
    }
}

fn entries(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// True when `normalized/` is exactly one of `versions`; the reader's lock
/// keeps writers out between the comparisons.
fn is_whole(root: &Path, versions: &[Generated]) -> bool {
    let _lock = OutputLock::shared(root).unwrap();
    versions
        .iter()
        .any(|v| pipeline::compare(root, v).unwrap().is_empty())
}

#[test]
fn concurrent_writers_in_threads_leave_one_whole_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let versions: Vec<Generated> = (0..4).map(version).collect();
    pipeline::write(root, &versions[0]).unwrap();
    std::thread::scope(|scope| {
        for v in &versions {
            scope.spawn(move || {
                for _ in 0..5 {
                    pipeline::write(root, v).unwrap();
                }
            });
        }
        for _ in 0..2 {
            scope.spawn(|| {
                for _ in 0..30 {
                    assert!(is_whole(root, &versions), "a reader saw a partial output");
                }
            });
        }
    });
    assert!(is_whole(root, &versions));
    assert_eq!(entries(root), [".normalized.lock", "normalized"]);
}

#[test]
fn concurrent_ingest_processes_all_succeed_and_leave_a_fresh_output() {
    let dir = common::scratch_copy();
    let root = dir.path();
    let leimu = |command: &str| {
        Command::new(env!("CARGO_BIN_EXE_leimu"))
            .args([command, "--root"])
            .arg(root)
            .spawn()
            .unwrap()
    };
    let runs: Vec<_> = (0..3).map(|_| leimu("ingest")).collect();
    for mut run in runs {
        assert!(run.wait().unwrap().success());
    }
    assert!(leimu("check").wait().unwrap().success());
    assert_eq!(entries(root), [".normalized.lock", "normalized", "raw"]);
}

#[test]
fn ingest_removes_and_reports_what_an_interrupted_run_left() {
    let dir = common::scratch_copy();
    let root = dir.path();
    let killed = root.join(".normalized.staging-killed");
    std::fs::create_dir_all(killed.join("extracted")).unwrap();
    std::fs::write(killed.join("categories.csv"), "half").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_leimu"))
        .args(["ingest", "--root"])
        .arg(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "removed {}, left by an interrupted run",
            killed.display()
        )),
        "{stderr}"
    );
    assert_eq!(entries(root), [".normalized.lock", "normalized", "raw"]);
}
