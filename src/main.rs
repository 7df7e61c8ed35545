//! The `leimu` command.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use leimu::{commands, parsers};
use leimu_model::{DocumentInfo, ParserKind, Subject};

#[derive(Parser)]
#[command(
    name = "leimu",
    version,
    about = "WeChat Mini Program service categories and their required licences"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract the records of one document and print them (CSV by default).
    ///
    /// Diagnostics go to standard error as `file:line: kind: message`.
    Extract {
        /// The document's format.
        #[arg(long, value_parser = parse_parser_kind)]
        parser: ParserKind,
        /// Subject of records the document does not attribute itself.
        #[arg(long, value_enum)]
        default_subject: Option<SubjectArg>,
        /// Output format.
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Curated aliases for the `category_id` column [default:
        /// raw/aliases.toml when it exists, else none].
        #[arg(long)]
        aliases: Option<PathBuf>,
        /// The document; its file stem becomes the `source` column.
        file: PathBuf,
    },
    /// Regenerate normalized/ from raw/ under ROOT.
    Ingest {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Fail when normalized/ under ROOT is not what raw/ produces.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `text`, or `github`: workflow commands for GitHub Actions
        /// (errors for stale outputs, warnings at the source lines of
        /// disagreements and ambiguous rows).
        #[arg(long, value_enum, default_value = "text")]
        format: commands::CheckFormat,
    },
    /// Print what changed for users between two states of the data.
    ///
    /// OLD and NEW are each a normalized/ directory, a categories.json or a
    /// `leimu extract --format json` file (pipes such as `<(git show …)` work).
    Diff {
        /// Output format.
        #[arg(long, value_enum, default_value = "md")]
        format: leimu::diff::Format,
        /// Exit with 1 when something changed, 0 when nothing did (errors: 2).
        #[arg(long)]
        exit_code: bool,
        /// Compare the disagreements of two normalized/ directories (or
        /// conflicts.json files) instead: print those new in NEW.
        #[arg(long)]
        disagreements: bool,
        /// Curated aliases for comparing licences [default: raw/aliases.toml
        /// when it exists, else none].
        #[arg(long)]
        aliases: Option<PathBuf>,
        old: PathBuf,
        new: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum SubjectArg {
    Enterprise,
    Personal,
    Overseas,
}

fn parse_parser_kind(name: &str) -> Result<ParserKind, String> {
    ParserKind::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = ParserKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("unknown parser `{name}`; known: {}", known.join(", "))
    })
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Extract {
            parser,
            default_subject,
            format,
            aliases,
            file,
        } => {
            let label = file.display().to_string();
            let doc = DocumentInfo {
                source: file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                file: label.clone(),
                default_subject: default_subject.map(|s| match s {
                    SubjectArg::Enterprise => Subject::Enterprise,
                    SubjectArg::Personal => Subject::Personal,
                    SubjectArg::Overseas => Subject::Overseas,
                }),
            };
            let text = parsers::read_document(&file, &label)?;
            let extraction = parsers::extract(parser, &doc, &text)?;
            for d in extraction.diagnostics() {
                eprintln!("{d}");
            }
            let ids = match &extraction {
                parsers::Extracted::Categories(e) => {
                    let aliases = leimu::pipeline::load_aliases_for_extract(aliases.as_deref())?;
                    leimu_normalize::collect::category_ids(e, &aliases)
                }
                parsers::Extracted::Filing(_) => Vec::new(),
            };
            let (csv, json) = extraction.render(&ids)?;
            let bytes = match format {
                Format::Csv => csv,
                Format::Json => json,
            };
            use std::io::Write;
            std::io::stdout()
                .write_all(&bytes)
                .context("cannot write to standard output")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Ingest { root } => {
            commands::ingest(&root)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { root, format } => Ok(if commands::check_as(&root, format)? {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }),
        Command::Diff {
            format,
            exit_code,
            disagreements,
            aliases,
            old,
            new,
        } => {
            let changed = if disagreements {
                leimu::diff::run_disagreements(&old, &new, format)
            } else {
                leimu::pipeline::load_aliases_for_extract(aliases.as_deref())
                    .and_then(|aliases| leimu::diff::run(&old, &new, format, &aliases))
            };
            Ok(match changed {
                Ok(true) if exit_code => ExitCode::from(1),
                Ok(_) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
            })
        }
    }
}
