//! `cargo xtask bench-compare`: leimu side by side with its anchors on the
//! same inputs, printed as one markdown table of ratios.
//!
//! In-process leimu timings come from the release example `perf_probe` (the
//! real documents scaled as the benches scale them); pandas.read_html (lxml)
//! is timed by its own loop in Python; the OpenCC C++ library through the
//! notice crate's `opencc-cpp` binding, the `opencc` CLI and the whole
//! `leimu ingest` as processes (wall time, peak RSS from `/usr/bin/time`).
//! Timings are medians of repeated runs; the table says how many. Peaks
//! and the whole ingest are measured on the binaries as a user builds them
//! (default features); the timings on the `opencc-cpp` build, which differs
//! only by the second t2s backend.
//!
//! What it needs and does not find, it installs and says so: libopencc-dev,
//! opencc and time (apt-get, as root), pandas and lxml in a venv under
//! target/bench-venv.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};

/// Parser names, as `perf_probe` and `raw/sources.toml` know them.
const PARSERS: [&str; 5] = [
    "markdown-tables",
    "html-tables",
    "html-sections",
    "text-guide",
    "notice",
];

/// pandas.read_html on one file, timed by a timeit-style loop after one
/// warm-up call: `min_s=… median_s=… runs=… tables=…`.
const PANDAS_TIMER: &str = r#"
import io, statistics, sys, time
import pandas as pd
path, budget = sys.argv[1], float(sys.argv[2])
text = open(path, encoding="utf-8").read()
run = lambda: pd.read_html(io.StringIO(text), flavor="lxml")
tables = len(run())
runs, start = [], time.perf_counter()
while len(runs) < 5 or (time.perf_counter() - start < budget and len(runs) < 10000):
    t = time.perf_counter()
    run()
    runs.append(time.perf_counter() - t)
print(f"min_s={min(runs):.9f} median_s={statistics.median(runs):.9f} runs={len(runs)} tables={tables}")
"#;

pub fn run(root: &Path) -> Result<()> {
    let tools = Tools::prepare(root)?;
    let work = root.join("target/bench-compare");
    std::fs::create_dir_all(&work)?;
    let load_before = load_average();
    let mut table = Table::default();
    compare_html_tables(&tools, &work, &mut table)?;
    markdown_throughput(&tools, &mut table)?;
    compare_t2s(&tools, &work, &mut table)?;
    whole_ingest(&tools, &work, &mut table)?;
    threads(&tools, &work, &mut table)?;
    linearity(&tools, &mut table)?;
    println!();
    println!("{}", machine());
    println!(
        "load average before: {load_before}; after: {}",
        load_average()
    );
    println!();
    print!("{}", table.render());
    Ok(())
}

/// The binaries and interpreters the comparisons run.
struct Tools {
    /// Built with `opencc-cpp`, for the side-by-side t2s and the timings.
    probe: PathBuf,
    /// Built as a user builds it (default features): peaks are measured on
    /// it, since linking the C++ OpenCC adds about 2 MB to every process.
    probe_default: PathBuf,
    /// `leimu` as a user builds it.
    leimu: PathBuf,
    python: PathBuf,
}

impl Tools {
    fn prepare(root: &Path) -> Result<Tools> {
        ensure_apt("libopencc-dev", || {
            succeeds(Command::new("pkg-config").args(["--exists", "opencc"]))
        })?;
        ensure_apt("opencc", || {
            succeeds(Command::new("opencc").arg("--version"))
        })?;
        ensure_apt("time", || Path::new("/usr/bin/time").exists())?;
        let python = ensure_venv(root)?;
        let release = root.join("target/release");
        let kept = root.join("target/bench-compare/bin");
        std::fs::create_dir_all(&kept)?;
        let build = |features: &[&str]| -> Result<()> {
            eprintln!("== building perf_probe and leimu (release {features:?})");
            let status = Command::new(env!("CARGO"))
                .current_dir(root)
                .args(["build", "--release", "--quiet"])
                .args(features)
                .args(["--example", "perf_probe", "--bin", "leimu"])
                .status()?;
            if !status.success() {
                bail!("cargo build --release failed");
            }
            Ok(())
        };
        build(&[])?;
        let probe_default = kept.join("perf_probe");
        let leimu = kept.join("leimu");
        std::fs::copy(release.join("examples/perf_probe"), &probe_default)?;
        std::fs::copy(release.join("leimu"), &leimu)?;
        build(&["--features", "opencc-cpp"])?;
        Ok(Tools {
            probe: release.join("examples/perf_probe"),
            probe_default,
            leimu,
            python,
        })
    }

    /// `perf_probe ARGS`, with a time budget per timing.
    fn probe(&self, args: &[&str], seconds: f64) -> Result<Timing> {
        let mut command = Command::new(&self.probe);
        command.args(args).env("PROBE_SECONDS", seconds.to_string());
        Timing::parse(&output_of(&mut command)?)
    }

    /// Peak RSS in bytes of `perf_probe ARGS` (one run of the work).
    fn probe_peak(&self, args: &[&str]) -> Result<u64> {
        let mut command = Command::new(&self.probe_default);
        command
            .args(args)
            .env("PROBE_SECONDS", "0")
            .env("PROBE_RUNS", "1");
        Ok(run_process(command)?.peak_bytes)
    }

    fn pandas(&self, file: &Path) -> Result<Timing> {
        let mut command = Command::new(&self.python);
        command.args(["-c", PANDAS_TIMER]).arg(file).arg("0.7");
        Timing::parse(&output_of(&mut command)?)
    }
}

/// Seconds per run (min and median) of one timing, and the input size.
#[derive(Debug, Clone, Copy)]
struct Timing {
    bytes: u64,
    runs: u64,
    min_s: f64,
    median_s: f64,
}

impl Timing {
    /// Reads `key=value` fields; `bytes` may be absent (pandas).
    fn parse(line: &str) -> Result<Timing> {
        let field = |key: &str| -> Option<&str> {
            line.split_whitespace()
                .find_map(|f| f.strip_prefix(key)?.strip_prefix('='))
        };
        let number = |key: &str| -> Result<f64> {
            field(key)
                .and_then(|v| v.parse().ok())
                .with_context(|| format!("no {key}= in {line:?}"))
        };
        Ok(Timing {
            bytes: field("bytes").and_then(|v| v.parse().ok()).unwrap_or(0),
            runs: number("runs")? as u64,
            min_s: number("min_s")?,
            median_s: number("median_s")?,
        })
    }

    /// Several timings of the same work: median of the medians, min of the mins.
    fn combine(timings: &[Timing]) -> Timing {
        let mut medians: Vec<f64> = timings.iter().map(|t| t.median_s).collect();
        Timing {
            bytes: timings[0].bytes,
            runs: timings.iter().map(|t| t.runs).sum(),
            min_s: timings
                .iter()
                .map(|t| t.min_s)
                .fold(f64::INFINITY, f64::min),
            median_s: median(&mut medians),
        }
    }

    fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / self.median_s / 1e6
    }

    /// Median and min, in milliseconds, with the number of runs.
    fn describe(&self) -> String {
        format!(
            "{} ms (min {}, {} runs)",
            ms(self.median_s),
            ms(self.min_s),
            self.runs
        )
    }
}

/// Rounds of leimu then its anchor, in turn, so that both see the same
/// machine load; the ratio is the median of the rounds' ratios.
struct Paired {
    leimu: Timing,
    anchor: Timing,
    ratios: Vec<f64>,
}

impl Paired {
    const ROUNDS: usize = 5;

    fn measure(
        leimu: impl Fn() -> Result<Timing>,
        anchor: impl Fn() -> Result<Timing>,
    ) -> Result<Paired> {
        let mut pairs = Vec::new();
        for _ in 0..Self::ROUNDS {
            pairs.push((leimu()?, anchor()?));
        }
        let mut ratios: Vec<f64> = pairs.iter().map(|(l, a)| a.median_s / l.median_s).collect();
        ratios.sort_by(f64::total_cmp);
        let (leimus, anchors): (Vec<Timing>, Vec<Timing>) = pairs.into_iter().unzip();
        Ok(Paired {
            leimu: Timing::combine(&leimus),
            anchor: Timing::combine(&anchors),
            ratios,
        })
    }

    /// `4.2x (what; median of 5 paired rounds, 3.9–4.6; best runs 4.4x)`.
    fn describe(&self, what: &str) -> String {
        let best = self.anchor.min_s / self.leimu.min_s;
        let (low, high) = (self.ratios[0], self.ratios[self.ratios.len() - 1]);
        format!(
            "{:.2}x ({what}; median of {} paired rounds, range {low:.2}–{high:.2}; best runs {best:.2}x)",
            self.ratios[self.ratios.len() / 2],
            self.ratios.len()
        )
    }
}

/// Wall seconds and peak RSS of one finished process.
struct ProcessRun {
    wall_s: f64,
    peak_bytes: u64,
}

/// Runs `command` under `/usr/bin/time -f %M`, output discarded.
fn run_process(command: Command) -> Result<ProcessRun> {
    let mut timed = Command::new("/usr/bin/time");
    timed
        .args(["-f", "peak_kb=%M"])
        .arg(command.get_program())
        .args(command.get_args())
        .envs(command.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .stdout(Stdio::null());
    let started = Instant::now();
    let output = timed.output()?;
    let wall_s = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!("{:?} failed: {stderr}", command);
    }
    let peak_kb: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak_kb="))
        .and_then(|v| v.trim().parse().ok())
        .with_context(|| format!("no peak in {stderr:?}"))?;
    Ok(ProcessRun {
        wall_s,
        peak_bytes: peak_kb * 1024,
    })
}

/// `runs` runs of a process: median wall seconds, min wall seconds, max peak.
fn repeat_process(runs: usize, make: impl Fn() -> Command) -> Result<(f64, f64, u64)> {
    let mut walls = Vec::new();
    let mut peak = 0;
    for _ in 0..runs {
        let run = run_process(make())?;
        walls.push(run.wall_s);
        peak = peak.max(run.peak_bytes);
    }
    walls.sort_by(f64::total_cmp);
    Ok((walls[walls.len() / 2], walls[0], peak))
}

fn compare_html_tables(tools: &Tools, work: &Path, table: &mut Table) -> Result<()> {
    eprintln!("== html-tables vs pandas.read_html (lxml), in-process");
    for (times, label) in [
        (1, "real page (special-materials-2017.md)"),
        (1000, "45,000-row table (page x1000)"),
    ] {
        let file = work.join(format!("html-tables-x{times}.md"));
        output_of(Command::new(&tools.probe).args([
            "write",
            "html-tables",
            &times.to_string(),
            &file.to_string_lossy(),
        ]))?;
        let pair = Paired::measure(
            || tools.probe(&["parse", "html-tables", &times.to_string()], 0.7),
            || tools.pandas(&file),
        )?;
        table.row(
            format!("html-tables, {label}, {} KB", pair.leimu.bytes / 1000),
            pair.leimu.describe(),
            format!("pandas {}", pair.anchor.describe()),
            pair.describe("pandas ÷ leimu"),
            "≥ 5x",
        );
    }
    Ok(())
}

fn markdown_throughput(tools: &Tools, table: &mut Table) -> Result<()> {
    eprintln!("== markdown-tables throughput");
    let t = tools.probe(&["parse", "markdown-tables", "1"], 3.0)?;
    table.row(
        "markdown-tables, service-categories.md".into(),
        t.describe(),
        "—".into(),
        format!(
            "{:.0} MB/s (best run {:.0})",
            t.mb_per_s(),
            t.bytes as f64 / t.min_s / 1e6
        ),
        "≥ 150 MB/s",
    );
    Ok(())
}

fn compare_t2s(tools: &Tools, work: &Path, table: &mut Table) -> Result<()> {
    eprintln!("== t2s: ferrous-opencc vs OpenCC C++ library and CLI");
    let times = 100;
    let pair = Paired::measure(
        || tools.probe(&["t2s", "ferrous", &times.to_string()], 0.7),
        || tools.probe(&["t2s", "cpp", &times.to_string()], 0.7),
    )?;
    let (ferrous, library) = (pair.leimu, pair.anchor);
    let file = work.join("notice-x100.txt");
    output_of(Command::new(&tools.probe).args([
        "write",
        "notice",
        &times.to_string(),
        &file.to_string_lossy(),
    ]))?;
    let (cli_s, cli_min, _) = repeat_process(5, || {
        let mut c = Command::new("opencc");
        c.args(["-c", "t2s.json", "-i"])
            .arg(&file)
            .args(["-o", "/dev/null"]);
        c
    })?;
    let label = format!(
        "t2s, notice x{times} ({:.1} MB)",
        ferrous.bytes as f64 / 1e6
    );
    table.row(
        format!("{label}: ferrous-opencc vs OpenCC library"),
        format!("{:.1} MB/s, {}", ferrous.mb_per_s(), ferrous.describe()),
        format!("{:.1} MB/s, {}", library.mb_per_s(), library.describe()),
        pair.describe("library ÷ ferrous"),
        "≥ 4x",
    );
    table.row(
        format!("{label}: ferrous-opencc vs `opencc` CLI (whole process)"),
        format!("{:.1} MB/s", ferrous.mb_per_s()),
        format!(
            "{:.1} MB/s, {} ms (min {}, 5 runs)",
            ferrous.bytes as f64 / cli_s / 1e6,
            ms(cli_s),
            ms(cli_min)
        ),
        format!("{:.2}x (CLI ÷ ferrous)", cli_s / ferrous.median_s),
        "≥ 4x",
    );
    Ok(())
}

/// Writes raw/ scaled `times` under `work/corpus-xN` once; returns the root and its size.
fn corpus(tools: &Tools, work: &Path, times: usize) -> Result<(PathBuf, u64)> {
    let root = work.join(format!("corpus-x{times}"));
    let out = output_of(Command::new(&tools.probe).args([
        "corpus",
        &times.to_string(),
        &root.to_string_lossy(),
    ]))?;
    let bytes = out
        .trim()
        .strip_prefix("bytes=")
        .and_then(|b| b.parse().ok())
        .context("perf_probe corpus prints bytes=")?;
    Ok((root, bytes))
}

fn ingest_command(tools: &Tools, root: &Path, threads: Option<usize>) -> Command {
    let mut c = Command::new(&tools.leimu);
    c.arg("ingest").arg("--root").arg(root);
    if let Some(n) = threads {
        c.env("RAYON_NUM_THREADS", n.to_string());
    }
    c
}

fn whole_ingest(tools: &Tools, work: &Path, table: &mut Table) -> Result<()> {
    // Odd run counts, so that the median is a run, not the slower of two.
    for (times, runs) in [(1, 11), (10, 5), (100, 3), (1000, 5)] {
        eprintln!("== leimu ingest, corpus x{times} (whole process, {runs} runs)");
        let (root, bytes) = corpus(tools, work, times)?;
        let (wall, min, peak) = repeat_process(runs, || ingest_command(tools, &root, None))?;
        let goal = match times {
            1 => "< 30 ms",
            1000 => "≥ 60 MB/s, peak ≤ 3x",
            // Issue 13 sets the whole ingest's goals at x1 and x1000 only.
            _ => "—",
        };
        table.row(
            format!(
                "whole ingest, corpus x{times} ({:.1} MB)",
                bytes as f64 / 1e6
            ),
            format!("{} ms (min {}, {runs} runs)", ms(wall), ms(min)),
            format!("peak {:.1} MB", peak as f64 / 1e6),
            format!(
                "{:.1} MB/s, peak {:.2}x input",
                bytes as f64 / wall / 1e6,
                peak as f64 / bytes as f64
            ),
            goal,
        );
        if times == 1000 {
            std::fs::remove_dir_all(&root)?;
        }
    }
    Ok(())
}

fn threads(tools: &Tools, work: &Path, table: &mut Table) -> Result<()> {
    eprintln!("== leimu ingest x100 on 1 and 2 threads");
    let (root, _) = corpus(tools, work, 100)?;
    let mut ratios = Vec::new();
    let (mut one, mut two) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let a = run_process(ingest_command(tools, &root, Some(1)))?.wall_s;
        let b = run_process(ingest_command(tools, &root, Some(2)))?.wall_s;
        ratios.push(a / b);
        one.push(a);
        two.push(b);
    }
    table.row(
        "whole ingest x100: 1 thread vs 2 (RAYON_NUM_THREADS)".into(),
        format!("2 threads {} ms", ms(median(&mut two))),
        format!("1 thread {} ms", ms(median(&mut one))),
        format!(
            "{:.2}x (1 ÷ 2 threads, paired median of 5)",
            median(&mut ratios)
        ),
        "≥ 1.5x",
    );
    Ok(())
}

fn linearity(tools: &Tools, table: &mut Table) -> Result<()> {
    for parser in PARSERS {
        eprintln!("== linearity: {parser} x10 and x1000");
        let small = tools.probe(&["parse", parser, "10"], 1.0)?;
        let large = tools.probe(&["parse", parser, "1000"], 0.0)?;
        let peak = tools.probe_peak(&["parse", parser, "1000"])?;
        let growth = |of: fn(&Timing) -> f64| {
            (of(&large) / large.bytes as f64) / (of(&small) / small.bytes as f64)
        };
        table.row(
            format!(
                "linearity, {parser}: time per byte x10 → x1000 ({:.1} MB)",
                large.bytes as f64 / 1e6
            ),
            format!("x1000 {}", large.describe()),
            format!("x10 {}", small.describe()),
            format!(
                "{:.2}x (per byte, x1000 ÷ x10, medians; best runs {:.2}x); peak {:.1}x input",
                growth(|t| t.median_s),
                growth(|t| t.min_s),
                peak as f64 / large.bytes as f64
            ),
            "≤ 1.3x",
        );
    }
    Ok(())
}

/// The printed table: one row per comparison.
#[derive(Default)]
struct Table {
    rows: Vec<[String; 5]>,
}

impl Table {
    fn row(&mut self, what: String, leimu: String, anchor: String, ratio: String, goal: &str) {
        eprintln!("   {what}: {ratio}");
        self.rows
            .push([what, leimu, anchor, ratio, goal.to_string()]);
    }

    fn render(&self) -> String {
        let mut out = String::from(
            "| what | leimu (median) | anchor / baseline | ratio | goal |\n|---|---|---|---|---|\n",
        );
        for row in &self.rows {
            out.push_str(&format!("| {} |\n", row.join(" | ")));
        }
        out
    }
}

fn ms(seconds: f64) -> String {
    let ms = seconds * 1e3;
    if ms < 10.0 {
        format!("{ms:.3}")
    } else {
        format!("{ms:.1}")
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// `nproc` and the CPU model.
fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("machine: {cpus} CPUs (nproc), {model}")
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// Standard output of a command that must succeed.
fn output_of(command: &mut Command) -> Result<String> {
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run {command:?}"))?;
    if !output.status.success() {
        bail!("{command:?} failed");
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn succeeds(command: &mut Command) -> bool {
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Installs the Debian package `package` unless `present()` says it is there.
fn ensure_apt(package: &str, present: impl Fn() -> bool) -> Result<()> {
    if present() {
        return Ok(());
    }
    eprintln!("== installing {package} (apt-get install {package})");
    let quiet = |c: &mut Command| {
        c.env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
    };
    quiet(Command::new("apt-get").args(["update", "-qq"]))?;
    if !quiet(Command::new("apt-get").args(["install", "-y", "-qq", package, "pkg-config"]))?
        .success()
        || !present()
    {
        bail!("could not install {package} with apt-get (run as root?)");
    }
    Ok(())
}

/// A venv under target/ with pandas and lxml; its python.
fn ensure_venv(root: &Path) -> Result<PathBuf> {
    let venv = root.join("target/bench-venv");
    let python = venv.join("bin/python");
    let ready = || succeeds(Command::new(&python).args(["-c", "import pandas, lxml"]));
    if ready() {
        return Ok(python);
    }
    eprintln!(
        "== creating {} with pandas and lxml (pip install)",
        venv.display()
    );
    if !succeeds(Command::new("python3").arg("-m").arg("venv").arg(&venv)) {
        bail!("python3 -m venv {} failed", venv.display());
    }
    let status = Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "pandas", "lxml"])
        .status()?;
    if !status.success() || !ready() {
        bail!("pip install pandas lxml failed");
    }
    Ok(python)
}
