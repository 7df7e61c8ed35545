//! `ingest` and `check` as the command line and `cargo xtask` run them.

use std::path::Path;

use anyhow::Result;

use crate::pipeline;

/// Regenerates `root/normalized` and prints a per-source summary.
pub fn ingest(root: &Path) -> Result<()> {
    let generated = pipeline::generate(root)?;
    let report = pipeline::write(root, &generated)?;
    eprint!("{}", report.leftover_summary());
    print!("{}", generated.summary());
    print!("{}", generated.parse_summary());
    println!(
        "wrote {} files to {}",
        generated.files.len(),
        root.join("normalized").display()
    );
    Ok(())
}

/// Prints how `root/normalized` differs from what `raw/` produces; true when
/// it is up to date.
pub fn check(root: &Path) -> Result<bool> {
    let generated = pipeline::generate(root)?;
    let differences = pipeline::compare(root, &generated)?;
    if differences.is_empty() {
        println!(
            "normalized/ is up to date ({} files)",
            generated.files.len()
        );
        return Ok(true);
    }
    for d in &differences {
        eprintln!("{d}");
    }
    eprintln!(
        "normalized/ is stale: {} file(s) differ from what raw/ produces; run `cargo xtask ingest`",
        differences.len()
    );
    Ok(false)
}
