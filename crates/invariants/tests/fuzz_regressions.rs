//! Replays every input a fuzz target once failed on
//! (`tests/fuzz-regressions/<target>/`) through the target's checks.

use std::path::Path;

#[test]
fn every_fuzz_regression_passes_its_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fuzz-regressions");
    let mut replayed = 0;
    for (name, check) in leimu_invariants::TARGETS {
        let dir = root.join(name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            // The fuzz targets read their input as UTF-8 and skip the rest.
            if let Ok(text) = std::str::from_utf8(&bytes) {
                eprintln!("{name}: {}", file.display());
                check(text);
                replayed += 1;
            }
        }
    }
    eprintln!("{replayed} regression inputs replayed");
}

#[test]
fn the_real_documents_pass_the_checks() {
    let raw = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../raw");
    let read = |file: &str| std::fs::read_to_string(raw.join(file)).unwrap();
    leimu_invariants::markdown_tables(&read("service-categories.md"));
    leimu_invariants::html_tables(&read("special-materials-2017.md"));
    leimu_invariants::html_sections(&read("live-streaming.md"));
    leimu_invariants::text_guide(&read("filing-guide.txt"));
    leimu_invariants::notice(&read("notice-2025q1.txt"));
    for line in read("service-categories.md").lines() {
        leimu_invariants::requirement(line);
    }
}
