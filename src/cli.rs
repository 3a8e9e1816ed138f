//! Command line: the contract of `DESIGN.md` (`build`, `serve`, `check`, `new`, `schema`) as a
//! clap parser, and the exit codes (0 success, 1 content errors, 2 usage or internal error).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use std::fmt::Write as _;

use crate::checks;
use crate::diagnostics::{Diagnostic, Severity, json_value, render_grouped, render_human, render_summary};
use crate::site::{self, BuildError, BuildOptions};

/// Static site generator of the Kraków Metropolis social-services portal.
#[derive(Debug, Parser)]
#[command(name = "metroportal", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands; their doc comments are their `--help`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (replaced atomically; untouched on errors).
    Build {
        /// Site folder (with config.toml, content/ and themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from config.toml (e.g. the GitHub Pages URL in CI).
        #[arg(long, env = "METROPORTAL_BASE_URL")]
        base_url: Option<String>,
        /// Include pages marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Print the time each phase took.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Build and serve the site locally; rebuild on save and reload open tabs.
    Serve {
        /// Site folder (with config.toml, content/ and themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on; keep it on loopback unless others must see the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port to listen on (0 picks a free one; the address is printed on the first line).
        #[arg(long, default_value_t = 1111)]
        port: u16,
    },
    /// Check the site without writing it: every validation of a build, then every page of
    /// every language rendered in memory (links, anchors, accessibility), translation coverage
    /// and the review age of services.
    Check {
        /// Site folder (with config.toml, content/ and themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `human` for people, `json` for CI and tools.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Check the links as published at this address (overrides base_url from config.toml).
        #[arg(long, env = "METROPORTAL_BASE_URL")]
        base_url: Option<String>,
    },
    /// Record that translations match the current text of their Polish source (writes
    /// `source_hash` into their front matter), so `check` stops reporting them as outdated.
    Translated {
        /// Site folder (with config.toml, content/ and themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Translation files (name.LANG.md) whose text is up to date, relative to the current
        /// folder or to --root.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Scaffold a content file with every required field.
    New {
        /// page, section, municipality, service, forum, guide or accessibility_statement.
        kind: String,
        /// Path of the file to create.
        path: PathBuf,
    },
    /// Print what a template gets for one output, as JSON: the template's name and every
    /// variable of its context. For theme authors: `metroportal context /en/forum/`.
    Context {
        /// Site folder (with config.toml, content/ and themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Site path of the output, without the base path: `/`, `/en/forum/`, `/sitemap.xml`.
        path: String,
    },
    /// Write a JSON Schema of every content kind.
    Schema {
        /// Folder to write the schemas into [default: schemas].
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// How `check` prints its report.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
// clap would show variant doc comments as help text; the option's own help describes them.
#[allow(missing_docs, reason = "clap turns variant docs into help text")]
pub enum Format {
    Human,
    Json,
}

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Build { root, output, base_url, drafts, verbose } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let started = std::time::Instant::now();
            match site::build(&BuildOptions {
                root,
                output: output.clone(),
                base_url,
                drafts,
                search_index: site::SearchIndex::Write,
                cache: true,
            }) {
                Ok(summary) => {
                    if !summary.warnings.is_empty() {
                        eprint!("{}", render_human(&summary.warnings));
                    }
                    if verbose {
                        for (phase, time) in &summary.timings {
                            eprintln!("  {phase:<14} {:>8.1} ms", time.as_secs_f64() * 1000.0);
                        }
                    }
                    let since = match summary.rendered {
                        _ if summary.from_cache => "; nothing changed since the last build".to_string(),
                        Some(rendered) => format!("; {rendered} rendered again, the rest as the last build made them"),
                        None => String::new(),
                    };
                    eprintln!(
                        "Built {} pages ({} files: {} written, {} unchanged) into {} in {:.2} s{since}",
                        summary.pages,
                        summary.files,
                        summary.written,
                        summary.unchanged,
                        output.display(),
                        started.elapsed().as_secs_f64(),
                    );
                    0
                }
                Err(BuildError::Content(diagnostics)) => {
                    eprint!("{}", render_human(&diagnostics));
                    eprintln!("Nothing was written: {} is unchanged.", output.display());
                    1
                }
                Err(BuildError::Internal(message)) => {
                    eprintln!("error: {message}");
                    2
                }
            }
        }
        Command::Check { root, format, base_url } => match site::load(&root, base_url.as_deref(), false) {
            Ok(loaded) => {
                let report = checks::run(&loaded);
                match format {
                    Format::Human => emit(&format!(
                        "{}{}{}",
                        human_report(&report.diagnostics, Some(&report)),
                        completeness_table(&loaded),
                        checks::translations::render_table(&report.translations)
                    )),
                    Format::Json => emit(&format!("{}\n", json_report(&report.diagnostics, Some(&report)))),
                }
                i32::from(report.diagnostics.iter().any(|d| d.severity == Severity::Error))
            }
            Err(diagnostics) => {
                match format {
                    Format::Human => emit(&human_report(&diagnostics, None)),
                    Format::Json => emit(&format!("{}\n", json_report(&diagnostics, None))),
                }
                1
            }
        },
        Command::Translated { root, files } => {
            let diags = crate::diagnostics::Diagnostics::new();
            let Some(config) = crate::config::Config::load(&root, &diags) else {
                eprint!("{}", render_human(&diags.into_sorted()));
                return 2;
            };
            let languages: Vec<String> = config.language_codes().map(str::to_string).collect();
            let mut code = 0;
            for file in &files {
                // Paths are taken as given (relative to the current folder), or else under --root.
                let file = if file.exists() || file.is_absolute() { file.clone() } else { root.join(file) };
                match checks::translations::stamp(&file, &languages, &config.default_language) {
                    Ok(hash) => println!("{}: source_hash = \"{hash}\"", file.display()),
                    Err(message) => {
                        eprintln!("error: {message}");
                        code = 2;
                    }
                }
            }
            code
        }
        Command::New { kind, path } => match crate::scaffold::write_new(&kind, &path) {
            Ok(()) => {
                eprintln!("Wrote {} ({kind}): fill in the fields, then run `metroportal check`.", path.display());
                0
            }
            Err(message) => {
                eprintln!("error: {message}");
                2
            }
        },
        Command::Context { root, path } => match site::load(&root, None, false) {
            Ok(loaded) => match site::context_at(&loaded, &path) {
                Ok((template, context)) => {
                    let json = serde_json::json!({ "template": template, "context": context });
                    emit(&format!("{}\n", serde_json::to_string_pretty(&json).unwrap_or_default()));
                    0
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    2
                }
            },
            Err(diagnostics) => {
                eprint!("{}", render_human(&diagnostics));
                1
            }
        },
        Command::Schema { output } => {
            let dir = output.unwrap_or_else(|| PathBuf::from("schemas"));
            match crate::scaffold::write_schemas(&dir) {
                Ok(files) => {
                    for file in files {
                        println!("{file}");
                    }
                    0
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    2
                }
            }
        }
        #[cfg(feature = "serve")]
        Command::Serve { root, bind, port } => crate::serve::run(crate::serve::ServeOptions { root, bind, port }),
        #[cfg(not(feature = "serve"))]
        Command::Serve { .. } => {
            eprintln!("error: this metroportal was built without the `serve` feature");
            2
        }
    }
}

/// Municipality × local fact as a plain-text table for the terminal.
fn completeness_table(loaded: &site::LoadedSite) -> String {
    use crate::schema::FactState;
    use crate::schema::vocab::LocalFact;
    let site = &loaded.site;
    if site.facts.completeness.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nData completeness (+ present, ? unverified, ~ not reviewed recently, - missing):\n");
    out.push_str(&format!("{:<24}", "municipality"));
    for fact in LocalFact::ALL {
        out.push_str(&format!(" {:>19}", fact.code()));
    }
    out.push('\n');
    for (m, states) in &site.facts.completeness {
        let name = site.doc(*m, site.default_lang()).map(|d| d.title().to_string()).unwrap_or_default();
        out.push_str(&format!("{:<24}", name.chars().take(23).collect::<String>()));
        for (_, state) in states {
            let mark = match state {
                FactState::Present => "+",
                FactState::Unverified => "?",
                FactState::Stale => "~",
                FactState::Missing => "-",
            };
            out.push_str(&format!(" {mark:>19}"));
        }
        out.push('\n');
    }
    out
}

/// Prints a report; a closed pipe (`check | head`) is not an error worth a panic.
fn emit(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// `check` for people: a summary (counts by kind, pages, review age), then the problems
/// grouped by file. `report` is `None` when the content did not load (nothing was rendered).
fn human_report(diagnostics: &[Diagnostic], report: Option<&checks::Report>) -> String {
    let mut out = String::new();
    match report {
        Some(report) => {
            let _ = writeln!(out, "Checked {} pages in every language (nothing written).", report.pages);
        }
        None => {
            let _ = writeln!(
                out,
                "The content has errors; the pages were not rendered, so links and accessibility were not checked."
            );
        }
    }
    out.push_str(&render_summary(diagnostics));
    if let Some(report) = report
        && report.review.services > 0
    {
        let r = &report.review;
        let _ = writeln!(
            out,
            "  review of services: {} services; {} reviewed within {} months, {} longer ago (review-stale), {} never (review-missing)",
            r.services, r.recent, r.max_age_months, r.stale, r.missing
        );
    }
    out.push('\n');
    if diagnostics.is_empty() {
        out.push_str("No problems found.\n");
    } else {
        out.push_str(&render_grouped(diagnostics));
    }
    out
}

/// `check --format json`: `{"errors":[…],"warnings":[…]}` plus the summary, the translation
/// table and the review age.
fn json_report(diagnostics: &[Diagnostic], report: Option<&checks::Report>) -> String {
    let mut value = json_value(diagnostics);
    if let Some(report) = report {
        value["pages"] = serde_json::json!(report.pages);
        value["translations"] = serde_json::json!(report.translations);
        value["review"] = serde_json::json!(report.review);
    }
    value.to_string()
}
