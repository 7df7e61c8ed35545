//! Project automation: `cargo xtask ingest`, `check`, `dist` and
//! `bench-compare`.
//!
//! Runs on the workspace root whatever the current directory is.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench_compare;

const USAGE: &str = "usage: cargo xtask <ingest|check|dist|bench-compare>
  ingest          regenerate normalized/ from raw/
  check           fail when normalized/ is not what raw/ produces
  dist            write the man page and shell completions to target/dist/
  bench-compare   time leimu against pandas.read_html and OpenCC; print the ratios";

fn main() -> ExitCode {
    leimu::allocator::tune(); // `cargo xtask ingest` runs as `leimu ingest` does
    let root = workspace_root();
    let result = match std::env::args().nth(1).as_deref() {
        Some("ingest") => leimu::commands::ingest(&root).map(|()| true),
        Some("check") => leimu::commands::check(&root),
        Some("dist") => dist(&root).map(|()| true),
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

/// The man page and the completion scripts, from the `leimu` command's own
/// definition (`leimu manpage`, `leimu completions SHELL`).
fn dist(root: &Path) -> anyhow::Result<()> {
    use anyhow::{bail, Context};
    let out = root.join("target/dist");
    let files = [
        (vec!["manpage"], "man/leimu.1"),
        (vec!["completions", "bash"], "completions/leimu.bash"),
        (vec!["completions", "zsh"], "completions/_leimu"),
        (vec!["completions", "fish"], "completions/leimu.fish"),
    ];
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for (args, path) in files {
        let output = std::process::Command::new(&cargo)
            .args([
                "run",
                "--quiet",
                "--package",
                "leimu",
                "--bin",
                "leimu",
                "--",
            ])
            .args(&args)
            .current_dir(root)
            .output()
            .with_context(|| format!("cannot run leimu {}", args.join(" ")))?;
        if !output.status.success() {
            bail!(
                "leimu {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let target = out.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(&target, &output.stdout)
            .with_context(|| format!("cannot write {}", target.display()))?;
        println!("wrote {}", target.display());
    }
    Ok(())
}
