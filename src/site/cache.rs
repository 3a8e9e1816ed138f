//! The build cache: `metroportal build` with nothing changed since the last build writes
//! nothing and renders nothing, and a build after a small change renders only what it touched.
//! Beside the output (`.public.cache`, next to `.public.prev`) the build records a fingerprint of
//! everything a build reads and of the output it wrote; a later build whose fingerprint matches,
//! and whose output is still exactly as written, replays the warnings and stops. Beside it,
//! `.public.deps` keeps what each output read and the model's fingerprints
//! ([`super::incremental::State`]): a build whose inputs differ, but whose output is still as
//! written, loads the site, compares, renders what depends on the change and writes it in
//! place, each file atomically (`site::incremental`).
//!
//! The fingerprint covers, byte for byte: the generator's own executable (a rebuilt binary is a
//! new generator), config.toml, `content/`, the theme, `static/` and the `[data]` files, plus the
//! options (`--base-url`, `--drafts`) and today's date in the site's time zone (review ages and
//! the statement's dates depend on it). A file's contents are hashed only when its size, times
//! or inode changed since the last build (as git's index does); a file changed within a second
//! of that build's stamp is hashed again, since two writes that close can share a timestamp.
//! The dependency records are used only with the output they describe: an output changed by
//! hand, a record of another generator or another format, or one that cannot be read means a
//! whole build. A cache that cannot be read, comes from another format or names another output
//! is ignored with a warning.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::incremental::State;
use super::{BuildOptions, BuildSummary};
use crate::config::Config;
use crate::dates::ContentDate;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// Bumped whenever the file's layout or meaning changes: an older cache is then ignored.
const FORMAT: u32 = 2;

/// The dependency records of the last build, for the inputs it was made from.
#[derive(Serialize, Deserialize)]
struct StateFile {
    format: u32,
    /// The fingerprint of the inputs of the build that made `state` (the record's `inputs`;
    /// it covers the generator, whose numbers and hashes mean nothing to another one).
    inputs: String,
    state: State,
}

/// What the last successful build recorded.
#[derive(Serialize, Deserialize)]
struct Record {
    format: u32,
    /// The fingerprint of the inputs, hex.
    inputs: String,
    /// When the inputs were stamped (ns since 1970).
    stamped_at: i128,
    /// Every input file with its stamp and the hash of its contents.
    sources: Vec<Source>,
    /// Every file of the output as written: path, length, modification time (ns since 1970).
    output: Vec<(String, u64, u128)>,
    pages: usize,
    files: usize,
    /// Files the build wrote or kept (what a repeat build reports as unchanged).
    writes: u64,
    warnings: Vec<CachedDiagnostic>,
}

/// An input file as a build read it.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
struct Source {
    path: String,
    /// Length, modification and change times (ns), inode: a write changes the change time.
    stamp: Option<(u64, i128, i128, u64)>,
    hash: String,
}

/// The fingerprint of the inputs of a build about to run, and what to record after it.
pub(super) struct Inputs {
    fingerprint: String,
    stamped_at: i128,
    sources: Vec<Source>,
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
    /// Build, then record these inputs; `warning` says why a cache was not used. `previous`
    /// is what the last build read and made, when the output is still as it left it.
    Build { inputs: Option<Inputs>, warning: Option<Diagnostic>, previous: Option<Box<Previous>> },
}

/// Every file of an output with its length and modification time (ns), sorted by path.
pub(super) type Listing = Vec<(String, u64, u128)>;

/// The last build, when the output is as it left it: its dependency records and its output.
pub(super) struct Previous {
    pub state: State,
    pub listing: Listing,
}

/// `listing` after the files at `paths` were written or removed (as a partial build does):
/// those are looked at again, the others are as listed.
pub(super) fn updated_listing<'a>(
    mut listing: Listing,
    output: &Path,
    paths: impl Iterator<Item = &'a str>,
) -> Listing {
    let changed: std::collections::HashSet<&str> = paths.collect();
    listing.retain(|(path, _, _)| !changed.contains(path.as_str()));
    for path in changed {
        if let Some(entry) = listed(output, &output.join(path)) {
            listing.push(entry);
        }
    }
    listing.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    listing
}

/// The cache file of an output folder: `.public.cache` beside `public/`.
pub(super) fn path_for(output: &Path) -> PathBuf {
    beside(output, "cache")
}

/// The dependency records of an output folder: `.public.deps` beside `public/`.
pub(super) fn state_path_for(output: &Path) -> PathBuf {
    beside(output, "deps")
}

fn beside(output: &Path, extension: &str) -> PathBuf {
    let name = output.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    output.parent().unwrap_or(Path::new(".")).join(format!(".{name}.{extension}"))
}

/// Looks the build up: fresh when the inputs and the output are as the last build left them.
pub(super) fn lookup(options: &BuildOptions) -> Lookup {
    let path = path_for(&options.output);
    let (previous, warning) = match std::fs::read(&path) {
        Err(_) => (None, None),
        Ok(text) => match serde_json::from_slice::<Record>(&text) {
            Ok(record) if record.format == FORMAT => (Some(record), None),
            Ok(record) => {
                let why = format!("it has format {}, this generator writes {FORMAT}", record.format);
                (None, Some(ignored(&path, &why)))
            }
            Err(err) => (None, Some(ignored(&path, &format!("it is unreadable ({err})")))),
        },
    };
    // No readable config: the build reports why, and there is nothing to record either.
    let Some(inputs) = fingerprint(options, previous.as_ref()) else {
        return Lookup::Build { inputs: None, warning, previous: None };
    };
    let Some(record) = previous.filter(|_| warning.is_none()) else {
        return Lookup::Build { inputs: Some(inputs), warning, previous: None };
    };
    let Some(listing) = output_listing(&options.output).filter(|listing| *listing == record.output) else {
        return Lookup::Build { inputs: Some(inputs), warning, previous: None };
    };
    if record.inputs == inputs.fingerprint {
        return Lookup::Fresh(BuildSummary {
            warnings: record.warnings.into_iter().map(CachedDiagnostic::into_diagnostic).collect(),
            pages: record.pages,
            files: record.files,
            written: 0,
            unchanged: record.writes,
            timings: Vec::new(),
            from_cache: true,
            rendered: Some(0),
        });
    }
    let (state, warning) = read_state(&options.output, &record.inputs);
    let previous = state.map(|state| Box::new(Previous { state, listing }));
    Lookup::Build { inputs: Some(inputs), warning, previous }
}

/// The dependency records of the build that recorded `inputs`, if they are there and belong
/// to it; a file that cannot be read is ignored with a warning.
fn read_state(output: &Path, inputs: &str) -> (Option<State>, Option<Diagnostic>) {
    let path = state_path_for(output);
    let Ok(bytes) = std::fs::read(&path) else { return (None, None) };
    match serde_json::from_slice::<StateFile>(&bytes) {
        Ok(file) if file.format == FORMAT && file.inputs == inputs => (Some(file.state.restored()), None),
        Ok(file) if file.format != FORMAT => {
            let why = format!("it has format {}, this generator writes {FORMAT}", file.format);
            (None, Some(ignored(&path, &why)))
        }
        // Left by another build or generator (a build killed between the two files): stale,
        // not wrong; the next build replaces it.
        Ok(_) => (None, None),
        Err(err) => (None, Some(ignored(&path, &format!("it is unreadable ({err})")))),
    }
}

/// Records a successful build; a cache that cannot be written only costs the next build time.
pub(super) fn store(
    options: &BuildOptions,
    inputs: Inputs,
    summary: &BuildSummary,
    state: Option<State>,
    listing: Option<Listing>,
) -> Option<Diagnostic> {
    let path = path_for(&options.output);
    // The records first: a record whose state file is missing or older only costs a whole build.
    let state_path = state_path_for(&options.output);
    let stored = match state {
        Some(state) => {
            let file = StateFile { format: FORMAT, inputs: inputs.fingerprint.clone(), state };
            let json = serde_json::to_vec(&file).expect("a state serializes");
            write_replacing(&state_path, &json)
        }
        None => match std::fs::remove_file(&state_path) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        },
    };
    if let Err(err) = stored {
        return Some(
            Diagnostic::warning("build-cache", format!("cannot write the build's dependency records: {err}"))
                .at(Location::file(&state_path))
                .hint("the next build renders every page again"),
        );
    }
    let record = Record {
        format: FORMAT,
        inputs: inputs.fingerprint,
        stamped_at: inputs.stamped_at,
        sources: inputs.sources,
        output: listing.or_else(|| output_listing(&options.output)).unwrap_or_default(),
        pages: summary.pages,
        files: summary.files,
        writes: summary.written + summary.unchanged,
        warnings: summary.warnings.iter().map(CachedDiagnostic::from_diagnostic).collect(),
    };
    let json = serde_json::to_vec(&record).expect("a record serializes");
    write_replacing(&path, &json).err().map(|err| {
        Diagnostic::warning("build-cache", format!("cannot write the build cache: {err}"))
            .at(Location::file(&path))
            .hint("the next build renders every page again")
    })
}

/// Writes a file through a temporary one beside it, so that a reader sees the old or the new.
fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let temporary = path.with_file_name(name);
    std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path))
}

fn ignored(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::warning("build-cache", format!("ignoring the build cache: {why}"))
        .at(Location::file(path))
        .hint("every page is built again and the cache rewritten; nothing needs to be done")
}

/// The fingerprint of everything a build reads, or `None` when config.toml does not load.
/// Contents are hashed only where a file's stamp differs from `previous`'s (or is too recent).
fn fingerprint(options: &BuildOptions, previous: Option<&Record>) -> Option<Inputs> {
    let root = &options.root;
    let stamped_at = now_ns();
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
    let known: std::collections::HashMap<&str, &Source> =
        previous.map(|r| r.sources.iter().map(|s| (s.path.as_str(), s)).collect()).unwrap_or_default();
    // A file changed within this margin of the last stamp may have been changed again since
    // without its times moving (timestamps are coarser than a nanosecond).
    let settled_before = previous.map_or(i128::MIN, |r| r.stamped_at - 1_000_000_000);
    let sources: Vec<Source> = files
        .par_iter()
        .map(|file| {
            let rel = file.strip_prefix(root).unwrap_or(file).to_string_lossy().replace('\\', "/");
            let stamp = stamp_of(file);
            if let (Some(old), Some(now)) = (known.get(rel.as_str()), stamp)
                && old.stamp == Some(now)
                && now.1.max(now.2) < settled_before
            {
                return Source { path: rel, stamp, hash: old.hash.clone() };
            }
            // A file that vanished between the walk and the read still changes the fingerprint.
            let hash =
                std::fs::read(file).map_or_else(|_| "missing".to_string(), |b| blake3::hash(&b).to_hex().to_string());
            Source { path: rel, stamp, hash }
        })
        .collect();
    let mut hasher = blake3::Hasher::new();
    hasher.update(generator_id().as_bytes());
    let (year, month, day) = ContentDate::today(config.time_zone);
    hasher.update(format!("{year}-{month}-{day}|{:?}|{}", options.base_url, options.drafts).as_bytes());
    for source in &sources {
        hasher.update(source.path.as_bytes());
        hasher.update(&[0]);
        hasher.update(source.hash.as_bytes());
    }
    Some(Inputs { fingerprint: hasher.finalize().to_hex().to_string(), stamped_at, sources })
}

fn now_ns() -> i128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i128)
}

/// Length, modification and change times, inode; `None` where the platform does not say.
#[cfg(unix)]
fn stamp_of(file: &Path) -> Option<(u64, i128, i128, u64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(file).ok()?;
    let ns = |secs: i64, nsecs: i64| i128::from(secs) * 1_000_000_000 + i128::from(nsecs);
    Some((meta.len(), ns(meta.mtime(), meta.mtime_nsec()), ns(meta.ctime(), meta.ctime_nsec()), meta.ino()))
}

#[cfg(not(unix))]
fn stamp_of(_file: &Path) -> Option<(u64, i128, i128, u64)> {
    None
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

/// Every file of the output with its length and modification time, sorted. The folder is read
/// in one walk and the files are looked at in parallel: at 35,000 files this is most of what a
/// build with nothing changed costs.
fn output_listing(output: &Path) -> Option<Listing> {
    let mut files = Vec::new();
    // Unsorted (sorting each folder's entries costs more than sorting the list once).
    for entry in walkdir::WalkDir::new(output) {
        let entry = entry.ok()?;
        if !entry.file_type().is_dir() {
            files.push(entry.into_path());
        }
    }
    let mut listing: Listing = files.par_iter().map(|path| listed(output, path)).collect::<Option<_>>()?;
    listing.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some(listing)
}

/// One file of an output as listed: its path inside the output, length and modification time.
fn listed(output: &Path, path: &Path) -> Option<(String, u64, u128)> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
    let rel = path.strip_prefix(output).ok()?.to_string_lossy().replace('\\', "/");
    Some((rel, meta.len(), modified))
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
