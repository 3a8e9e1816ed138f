//! The build cache: `metroportal build` with nothing changed since the last build writes
//! nothing and renders nothing. Beside the output (`.public.cache`, next to `.public.prev`) the
//! build records a fingerprint of everything a build reads and of the output it wrote; a later
//! build whose fingerprint matches, and whose output is still exactly as written, replays the
//! warnings and stops.
//!
//! The fingerprint covers, byte for byte: the generator's own executable (a rebuilt binary is a
//! new generator), config.toml, `content/`, the theme, `static/` and the `[data]` files, plus the
//! options (`--base-url`, `--drafts`) and today's date in the site's time zone (review ages and
//! the statement's dates depend on it). Any difference, however small, rebuilds the whole site:
//! the cache is never trusted for part of one. A cache that cannot be read, comes from another
//! format or names another output is ignored with a warning.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{BuildOptions, BuildSummary};
use crate::config::Config;
use crate::dates::ContentDate;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// Bumped whenever the file's layout or meaning changes: an older cache is then ignored.
const FORMAT: u32 = 1;

/// What the last successful build recorded.
#[derive(Serialize, Deserialize)]
struct Record {
    format: u32,
    /// The fingerprint of the inputs, hex.
    inputs: String,
    /// Every file of the output as written: path, length, modification time (ns since 1970).
    output: Vec<(String, u64, u128)>,
    pages: usize,
    files: usize,
    /// Files the build wrote or kept (what a repeat build reports as unchanged).
    writes: u64,
    warnings: Vec<CachedDiagnostic>,
}

/// A warning as it is replayed.
#[derive(Serialize, Deserialize)]
struct CachedDiagnostic {
    code: String,
    message: String,
    hint: Option<String>,
    file: Option<PathBuf>,
    line: usize,
    column: usize,
    width: usize,
    line_text: Option<String>,
    lang: Option<String>,
}

/// What the cache says about a build that is about to start.
pub(super) enum Lookup {
    /// Nothing changed: the summary of the last build, to report again.
    Fresh(BuildSummary),
    /// Build, then record under this fingerprint; `warning` says why a cache was not used.
    Build { inputs: Option<String>, warning: Option<Diagnostic> },
}

/// The cache file of an output folder: `.public.cache` beside `public/`.
pub(super) fn path_for(output: &Path) -> PathBuf {
    let name = output.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    output.parent().unwrap_or(Path::new(".")).join(format!(".{name}.cache"))
}

/// Looks the build up: fresh when the inputs and the output are as the last build left them.
pub(super) fn lookup(options: &BuildOptions) -> Lookup {
    let Some(inputs) = fingerprint(options) else {
        // No readable config: the build reports why; there is nothing to record either.
        return Lookup::Build { inputs: None, warning: None };
    };
    let path = path_for(&options.output);
    let text = match std::fs::read(&path) {
        Ok(text) => text,
        Err(_) => return Lookup::Build { inputs: Some(inputs), warning: None },
    };
    let record: Record = match serde_json::from_slice(&text) {
        Ok(record) => record,
        Err(err) => {
            return Lookup::Build {
                inputs: Some(inputs),
                warning: Some(ignored(&path, &format!("it is unreadable ({err})"))),
            };
        }
    };
    if record.format != FORMAT {
        let why = format!("it has format {}, this generator writes {FORMAT}", record.format);
        return Lookup::Build { inputs: Some(inputs), warning: Some(ignored(&path, &why)) };
    }
    if record.inputs != inputs || output_listing(&options.output).as_ref() != Some(&record.output) {
        return Lookup::Build { inputs: Some(inputs), warning: None };
    }
    Lookup::Fresh(BuildSummary {
        warnings: record.warnings.into_iter().map(CachedDiagnostic::into_diagnostic).collect(),
        pages: record.pages,
        files: record.files,
        written: 0,
        unchanged: record.writes,
        timings: Vec::new(),
        from_cache: true,
    })
}

/// Records a successful build; a cache that cannot be written only costs the next build time.
pub(super) fn store(options: &BuildOptions, inputs: &str, summary: &BuildSummary) -> Option<Diagnostic> {
    let path = path_for(&options.output);
    let record = Record {
        format: FORMAT,
        inputs: inputs.to_string(),
        output: output_listing(&options.output).unwrap_or_default(),
        pages: summary.pages,
        files: summary.files,
        writes: summary.written + summary.unchanged,
        warnings: summary.warnings.iter().map(CachedDiagnostic::from_diagnostic).collect(),
    };
    let json = serde_json::to_vec(&record).expect("a record serializes");
    let temporary = path.with_extension("cache.tmp");
    let written = std::fs::write(&temporary, json).and_then(|()| std::fs::rename(&temporary, &path));
    written.err().map(|err| {
        Diagnostic::warning("build-cache", format!("cannot write the build cache: {err}"))
            .at(Location::file(&path))
            .hint("the next build renders every page again")
    })
}

fn ignored(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::warning("build-cache", format!("ignoring the build cache: {why}"))
        .at(Location::file(path))
        .hint("every page is built again and the cache rewritten; nothing needs to be done")
}

/// The fingerprint of everything a build reads, or `None` when config.toml does not load.
fn fingerprint(options: &BuildOptions) -> Option<String> {
    let root = &options.root;
    let config = Config::load(root, &Diagnostics::new())?;
    let mut files: Vec<PathBuf> = vec![root.join("config.toml")];
    for dir in [root.join("content"), root.join("themes").join(&config.theme), root.join("static")] {
        files.extend(
            walkdir::WalkDir::new(dir)
                .sort_by_file_name()
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
                .map(walkdir::DirEntry::into_path),
        );
    }
    files.extend([&config.data.boundaries, &config.data.sources].into_iter().flatten().map(|p| root.join(p)));
    let digests: Vec<Option<blake3::Hash>> = files
        .par_iter()
        .map(|file| {
            let bytes = std::fs::read(file).ok()?;
            let mut hasher = blake3::Hasher::new();
            hasher.update(file.strip_prefix(root).unwrap_or(file).to_string_lossy().as_bytes());
            hasher.update(&[0]);
            hasher.update(&bytes);
            Some(hasher.finalize())
        })
        .collect();
    let mut hasher = blake3::Hasher::new();
    hasher.update(generator_id().as_bytes());
    let (year, month, day) = ContentDate::today(config.time_zone);
    hasher.update(format!("{year}-{month}-{day}|{:?}|{}", options.base_url, options.drafts).as_bytes());
    for digest in digests {
        // A file that vanished between the walk and the read still changes the fingerprint.
        hasher.update(digest.as_ref().map_or(&[0u8; 32], blake3::Hash::as_bytes).as_slice());
    }
    Some(hasher.finalize().to_hex().to_string())
}

/// The generator itself: a hash of its executable, made once per process.
fn generator_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        let exe = std::env::current_exe().and_then(std::fs::read);
        match exe {
            Ok(bytes) => blake3::hash(&bytes).to_hex().to_string(),
            // Without its own bytes it cannot tell two generators apart: never fresh then.
            Err(_) => format!("unknown-{}", std::process::id()),
        }
    })
}

/// Every file of the output with its length and modification time, sorted.
fn output_listing(output: &Path) -> Option<Vec<(String, u64, u128)>> {
    let mut listing = Vec::new();
    for entry in walkdir::WalkDir::new(output).sort_by_file_name() {
        let entry = entry.ok()?;
        if entry.file_type().is_dir() {
            continue;
        }
        let meta = entry.metadata().ok()?;
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
        let rel = entry.path().strip_prefix(output).ok()?.to_string_lossy().replace('\\', "/");
        listing.push((rel, meta.len(), modified));
    }
    Some(listing)
}

impl CachedDiagnostic {
    fn from_diagnostic(d: &Diagnostic) -> Self {
        let at = d.location.as_deref();
        CachedDiagnostic {
            code: d.code.to_string(),
            message: d.message.clone(),
            hint: d.hint.clone(),
            file: at.map(|l| l.file.clone()),
            line: at.map_or(0, |l| l.line),
            column: at.map_or(0, |l| l.column),
            width: at.map_or(0, |l| l.width),
            line_text: at.and_then(|l| l.line_text.clone()),
            lang: d.lang.clone(),
        }
    }

    fn into_diagnostic(self) -> Diagnostic {
        // Codes are `&'static str` so that diagnostics stay cheap to make; the few replayed
        // warnings of one process are leaked to give them that lifetime.
        let code: &'static str = Box::leak(self.code.into_boxed_str());
        let mut d = Diagnostic::warning(code, self.message);
        d.hint = self.hint;
        d.lang = self.lang;
        d.location = self.file.map(|file| {
            Box::new(Location {
                file,
                line: self.line,
                column: self.column,
                width: self.width,
                line_text: self.line_text,
            })
        });
        d
    }
}
