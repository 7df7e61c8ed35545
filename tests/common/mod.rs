//! Helpers shared by the integration tests; not every test uses every one.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use leimu::pipeline::{self, Generated};

/// An insta snapshot kept in the top-level `snapshots/`.
#[macro_export]
macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

/// The workspace root, where raw/ and normalized/ live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What raw/ produces now.
pub fn generated() -> Generated {
    pipeline::generate(&root()).expect("raw/ must ingest")
}

/// A file of the generated output as text.
pub fn file(generated: &Generated, path: &str) -> String {
    String::from_utf8(generated.files[path].clone()).expect("outputs are UTF-8")
}

/// Copies raw/ into a fresh directory, for tests that change or write things.
pub fn scratch_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&root().join("raw"), &dir.path().join("raw"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}
