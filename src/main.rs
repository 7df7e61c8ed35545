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
            let bytes = match format {
                Format::Csv => extraction.render_csv()?,
                Format::Json => extraction.render_json()?,
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
        Command::Check { root } => Ok(if commands::check(&root)? {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }),
    }
}
