//! Project automation: `cargo xtask ingest`, `cargo xtask check` and
//! `cargo xtask bench-compare`.
//!
//! Runs on the workspace root whatever the current directory is.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench_compare;

const USAGE: &str = "usage: cargo xtask <ingest|check|bench-compare>
  ingest          regenerate normalized/ from raw/
  check           fail when normalized/ is not what raw/ produces
  bench-compare   time leimu against pandas.read_html and OpenCC; print the ratios";

fn main() -> ExitCode {
    let root = workspace_root();
    let result = match std::env::args().nth(1).as_deref() {
        Some("ingest") => leimu::commands::ingest(&root).map(|()| true),
        Some("check") => leimu::commands::check(&root),
        Some("bench-compare") => bench_compare::run(&root).map(|()| true),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}
