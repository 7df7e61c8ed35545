//! Project automation: `cargo xtask ingest` and `cargo xtask check`.
//!
//! Runs on the workspace root whatever the current directory is.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <ingest|check>
  ingest   regenerate normalized/ from raw/
  check    fail when normalized/ is not what raw/ produces";

fn main() -> ExitCode {
    let root = workspace_root();
    let result = match std::env::args().nth(1).as_deref() {
        Some("ingest") => leimu::commands::ingest(&root).map(|()| true),
        Some("check") => leimu::commands::check(&root),
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
