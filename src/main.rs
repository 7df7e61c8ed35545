//! The `leimu` command.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use leimu::{commands, parsers, query};
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
    /// Show categories by name, full path (社交/直播) or id: requirement,
    /// licences, sources, conflicts, history.
    Show {
        query: String,
        #[arg(long, value_enum)]
        subject: Option<SubjectArg>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// List the categories that require a licence, and how.
    Needs {
        licence: String,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Search names, licences, requirements, notes and scope.
    Search {
        text: String,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Write normalized/ as an Excel workbook and/or CSV files with a BOM.
    #[command(arg_required_else_help = true)]
    Export {
        /// The workbook to write.
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// A directory for UTF-8 CSV files with a byte-order mark (Excel on Windows).
        #[arg(long)]
        csv_bom: Option<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print a shell completion script.
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff); `cargo xtask dist` writes it.
    #[command(hide = true)]
    Manpage,
}

/// How the query commands read normalized/ and print.
#[derive(clap::Args)]
struct ReadArgs {
    #[arg(long, value_enum, default_value = "text")]
    format: QueryFormat,
    /// The project whose normalized/ is read.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum QueryFormat {
    Text,
    Json,
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

fn to_subject(arg: SubjectArg) -> Subject {
    match arg {
        SubjectArg::Enterprise => Subject::Enterprise,
        SubjectArg::Personal => Subject::Personal,
        SubjectArg::Overseas => Subject::Overseas,
    }
}

/// Runs a query command: exit 1 when nothing matches.
fn ask(read: ReadArgs, question: query::Question) -> Result<ExitCode> {
    let format = match read.format {
        QueryFormat::Text => query::Format::Text,
        QueryFormat::Json => query::Format::Json,
    };
    Ok(if query::run(&read.root, &question, format)? {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn main() -> ExitCode {
    leimu::allocator::tune();
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
                    .map(|s| s.to_string_lossy().as_ref().into())
                    .unwrap_or_default(),
                file: label.clone(),
                default_subject: default_subject.map(to_subject),
            };
            let extraction = parsers::extract_file(parser, &doc, &file)?;
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
            let bytes = match format {
                Format::Csv => extraction.render_csv(&ids)?,
                Format::Json => extraction.render_json(&ids)?,
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
        Command::Show {
            query,
            subject,
            read,
        } => ask(
            read,
            query::Question::Show {
                query,
                subject: subject.map(|s| to_subject(s).as_str().to_string()),
            },
        ),
        Command::Needs { licence, read } => ask(read, query::Question::Needs { licence }),
        Command::Search { text, read } => ask(read, query::Question::Search { text }),
        Command::Export {
            xlsx,
            csv_bom,
            root,
        } => {
            leimu::export::run(&root, xlsx.as_deref(), csv_bom.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "leimu", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Manpage => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command)
                .render(&mut std::io::stdout())
                .context("cannot write to standard output")?;
            Ok(ExitCode::SUCCESS)
        }
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
