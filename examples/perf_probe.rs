//! In-process timings for `cargo xtask bench-compare` (release profile):
//! one parser, t2s backend or whole ingest on the real documents scaled as
//! the benches scale them (`benches/scale/mod.rs`).
//!
//! ```text
//! perf_probe parse <parser> <times>        a parser on its document ×times
//! perf_probe t2s <ferrous|cpp> <times>     t2s of the notice ×times
//! perf_probe ingest <times>                generate normalized/ in memory from raw/ ×times
//! perf_probe write <parser> <times> FILE   write the scaled document
//! perf_probe corpus <times> DIR            write raw/ ×times under DIR
//! ```
//!
//! A timing repeats the work for about `PROBE_SECONDS` (default 1) and at
//! least `PROBE_RUNS` (default 5) times and prints one line
//! `bytes=… runs=… min_s=… median_s=…`. Work that needs set-up (scaling,
//! loading dictionaries) does it before the clock starts.

#[path = "../benches/scale/mod.rs"]
mod scale;

use std::path::Path;
use std::time::{Duration, Instant};

use leimu_model::ParserKind;
use scale::Document;

fn main() {
    // The process set up as the `leimu` command sets itself up.
    leimu::allocator::tune();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["parse", parser, times] => parse(parser_kind(parser), times_of(times)),
        ["t2s", backend, times] => t2s(backend, times_of(times)),
        ["ingest", times] => ingest(times_of(times)),
        ["write", parser, times, file] => {
            let text = Document::of(parser_kind(parser)).scaled(times_of(times));
            std::fs::write(file, text).map_err(|e| e.to_string())
        }
        ["corpus", times, dir] => scale::write_corpus(Path::new(dir), times_of(times))
            .map(|bytes| println!("bytes={bytes}"))
            .map_err(|e| e.to_string()),
        _ => Err("usage: see the doc comment of examples/perf_probe.rs".into()),
    };
    if let Err(e) = result {
        eprintln!("perf_probe: {e}");
        std::process::exit(2);
    }
}

fn parser_kind(name: &str) -> ParserKind {
    ParserKind::from_name(name).unwrap_or_else(|| {
        eprintln!("perf_probe: unknown parser {name}");
        std::process::exit(2)
    })
}

fn times_of(text: &str) -> usize {
    text.parse().unwrap_or_else(|_| {
        eprintln!("perf_probe: not a count: {text}");
        std::process::exit(2)
    })
}

fn parse(kind: ParserKind, times: usize) -> Result<(), String> {
    let document = Document::of(kind);
    let doc = document.info();
    let text = document.scaled(times);
    time(text.len(), || {
        leimu::parsers::extract(kind, &doc, &text).map_err(|e| e.to_string())
    })
}

fn t2s(backend: &str, times: usize) -> Result<(), String> {
    use leimu_notice::convert::ToSimplified;
    let text = Document::of(ParserKind::Notice).scaled(times);
    let converter: Box<dyn ToSimplified> = match backend {
        "ferrous" => {
            Box::new(leimu_notice::convert::FerrousOpenCC::new().map_err(|e| e.to_string())?)
        }
        #[cfg(feature = "opencc-cpp")]
        "cpp" => Box::new(leimu_notice::convert::CppOpenCC::new().map_err(|e| e.to_string())?),
        _ => {
            return Err(format!(
                "backend {backend} not built (ferrous; cpp needs --features opencc-cpp)"
            ))
        }
    };
    time(text.len(), || Ok::<_, String>(converter.convert(&text)))
}

fn ingest(times: usize) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let bytes = scale::write_corpus(dir.path(), times).map_err(|e| e.to_string())?;
    time(bytes as usize, || {
        leimu::pipeline::generate(dir.path()).map_err(|e| format!("{e:#}"))
    })
}

/// Runs `work` until both the time budget and the run count are reached;
/// prints the input size and the min and median seconds per run.
fn time<T>(bytes: usize, mut work: impl FnMut() -> Result<T, String>) -> Result<(), String> {
    let budget = Duration::from_secs_f64(env_f64("PROBE_SECONDS", 1.0));
    let min_runs = env_f64("PROBE_RUNS", 5.0) as usize;
    let mut runs = Vec::new();
    let started = Instant::now();
    while runs.len() < min_runs || (started.elapsed() < budget && runs.len() < 10_000) {
        let t = Instant::now();
        drop(work()?); // freeing the result is part of the work
        runs.push(t.elapsed().as_secs_f64());
    }
    runs.sort_by(f64::total_cmp);
    println!(
        "bytes={bytes} runs={} min_s={:.9} median_s={:.9}",
        runs.len(),
        runs[0],
        runs[runs.len() / 2]
    );
    Ok(())
}

fn env_f64(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
