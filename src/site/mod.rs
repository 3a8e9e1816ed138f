//! The build: load → links → plan → render → feeds and sitemap → output. Each phase reports
//! every problem it finds; the site is written only when no phase found an error, into a
//! staging folder that replaces the output atomically. This file holds the options, the result
//! and the `build` that runs the phases; each phase has its own file.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::SiteData;
use crate::output::{self, Staging};
use crate::search;
use crate::templates::Templates;

mod cache;
mod context;
mod feeds;
// Used by `serve`; compiled (and tested) without it too.
#[cfg_attr(not(feature = "serve"), allow(dead_code, reason = "the dev server is its one user"))]
pub(crate) mod incremental;
mod links;
mod load;
mod pages;
mod plan;
mod render;
#[cfg(test)]
mod testing;
mod versions;

pub(crate) use load::{load, load_reusing};
pub(crate) use plan::{Job, plan_outputs};
use plan::{indexed, job_location};
pub(crate) use render::{context_at, render_outputs};

/// What `metroportal build` was asked to do.
#[derive(Debug, Clone)]
pub(crate) struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// What to do about the search index: `build` writes it; `serve`'s rebuilds carry the
    /// previous one over, because indexing takes longer than the whole rest of a rebuild.
    pub search_index: SearchIndex,
    /// Use and keep the build cache beside the output (`build`; not `serve`, whose preview
    /// folder is new each time).
    pub cache: bool,
}

/// What a build does about the search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SearchIndex {
    /// Index every page again (`build`).
    Write,
    /// Carry the previous output's index over unchanged, when there is one: the dev server's
    /// rebuilds, where indexing would cost more than the rest of the build (it re-indexes when
    /// the editor pauses). Without a previous index, as `Write`.
    KeepPrevious,
}

/// Why a build did not complete.
#[derive(Debug)]
pub(crate) enum BuildError {
    /// The content has errors (exit code 1); every diagnostic, warnings included.
    Content(Vec<Diagnostic>),
    /// Usage or internal error (exit code 2).
    Internal(String),
}

/// What a successful build did.
#[derive(Debug)]
pub(crate) struct BuildSummary {
    pub warnings: Vec<Diagnostic>,
    /// HTML pages rendered (all languages, pagers and fallbacks included).
    pub pages: usize,
    /// Files in the output.
    pub files: usize,
    pub written: u64,
    pub unchanged: u64,
    pub timings: Vec<(&'static str, Duration)>,
    /// Nothing changed since the last build: nothing was rendered or written.
    pub from_cache: bool,
    /// When the build rendered only what a change touched (from the cache's dependency
    /// records): how many outputs it rendered.
    pub rendered: Option<usize>,
}

/// A loaded, validated site, ready to render.
pub(crate) struct LoadedSite {
    pub site: Arc<SiteData>,
    pub templates: Templates,
    /// The theme's search vocabulary (`search.toml`): keywords added to the index.
    pub search_vocabulary: search::Vocabulary,
    pub root: PathBuf,
    /// The output folder of the previous build, if any: pictures whose fingerprinted name is
    /// already there are taken from it instead of being drawn again.
    pub previous_output: Option<PathBuf>,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
}

struct Timer {
    last: Instant,
    timings: Vec<(&'static str, Duration)>,
}

impl Timer {
    fn new() -> Self {
        Timer { last: Instant::now(), timings: Vec::new() }
    }
    fn lap(&mut self, phase: &'static str) {
        let now = Instant::now();
        self.timings.push((phase, now - self.last));
        self.last = now;
    }
}

/// A whole build with what each output read: where an incremental rebuild starts from.
pub(crate) struct Recorded {
    pub summary: BuildSummary,
    pub loaded: LoadedSite,
    pub jobs: Vec<(String, Job)>,
    /// Per job: what its render read and the hash of what it made.
    pub records: Records,
}

/// Builds the site into `options.output`.
pub(crate) fn build(options: &BuildOptions) -> Result<BuildSummary, BuildError> {
    build_phases(options, false).map(|(summary, _)| summary)
}

/// Builds the site into `options.output` (without the build cache), recording what each output
/// read.
pub(crate) fn build_recorded(options: &BuildOptions) -> Result<Recorded, BuildError> {
    let options = BuildOptions { cache: false, ..options.clone() };
    let (summary, rest) = build_phases(&options, true)?;
    let (loaded, jobs, records) = rest.expect("a recorded build keeps its model");
    Ok(Recorded { summary, loaded, jobs, records })
}

/// What a whole build's renders read, and per job its reads (as table positions) and the hash of
/// what it made.
pub(crate) type Records = (crate::deps::Interned, Vec<(Box<[u32]>, blake3::Hash)>);

type Kept = (LoadedSite, Vec<(String, Job)>, Records);

fn build_phases(options: &BuildOptions, record: bool) -> Result<(BuildSummary, Option<Kept>), BuildError> {
    let started = Instant::now();
    let (inputs, cache_warning, previous) = match options.cache.then(|| cache::lookup(options)) {
        Some(cache::Lookup::Fresh(mut summary)) => {
            summary.from_cache = true;
            summary.timings.push(("cache", started.elapsed()));
            return Ok((summary, None));
        }
        Some(cache::Lookup::Build { inputs, warning, previous }) => (inputs, warning, previous),
        None => (None, None, None),
    };
    if let (Some(previous), Some(_)) = (previous, &inputs) {
        let cache::Previous { mut state, listing } = *previous;
        // Written in place: the lock keeps a second build out meanwhile.
        let lock = output::lock_output(&options.output)
            .map_err(|err| BuildError::Internal(format!("cannot lock {}: {err}", options.output.display())))?;
        let looked_up = started.elapsed();
        let search = options.search_index == SearchIndex::Write;
        // A change that writes more than this goes through the staging folder, so that the
        // output is replaced in one step; below it, the files are renamed into place in a burst.
        let max_changes = 64;
        if let Some(partial) = incremental::rebuild(options, &mut state, None, search, Some(max_changes))? {
            let listing = cache::updated_listing(listing, &options.output, partial.changed_paths());
            let mut summary = partial.summary;
            summary.timings.insert(0, ("cache", looked_up));
            let inputs = inputs.expect("inputs to record");
            let storing = Instant::now();
            let stored = cache::store(options, inputs, &summary, Some(state), Some(listing));
            drop(lock);
            summary.timings.push(("store", storing.elapsed()));
            summary.warnings.extend(cache_warning.into_iter().chain(stored));
            return Ok((summary, None));
        }
    }
    let previous_index = options.output.join(search::BUNDLE_ROOT);
    let keep_index = options.search_index == SearchIndex::KeepPrevious && previous_index.is_dir();
    output::check_output_dir(&options.root, &options.output).map_err(BuildError::Internal)?;
    let mut loaded = load(&options.root, options.base_url.as_deref(), options.drafts).map_err(BuildError::Content)?;
    loaded.previous_output = options.output.is_dir().then(|| options.output.clone());
    let mut timer = Timer::new();
    timer.timings = loaded.timings.clone();
    let site = &loaded.site;
    let jobs = plan_outputs(&loaded).map_err(BuildError::Content)?;
    timer.lap("plan");
    // The dependency records for the cache: what the next build compares with.
    let recording = record || (options.cache && inputs.is_some());

    let staging = Staging::begin(&options.output).map_err(|err| {
        BuildError::Internal(format!("cannot create a staging folder beside {}: {err}", options.output.display()))
    })?;
    let internal: Mutex<Option<String>> = Mutex::new(None);
    let to_index: Mutex<Vec<search::Page>> = Mutex::new(Vec::new());
    type Recording = (crate::deps::Interned, Vec<Option<(Box<[u32]>, blake3::Hash)>>);
    let records: Mutex<Recording> = Mutex::new((crate::deps::Interned::default(), vec![None; jobs.len()]));
    let every = |_: usize, _: &Job| true;
    let problems = render::render_selected(&loaded, &jobs, &every, recording, |index, path, job, bytes, deps| {
        if let Some(deps) = deps {
            let hash = blake3::hash(&bytes);
            let mut records = records.lock().expect("lock");
            let deps = records.0.intern(deps);
            records.1[index] = Some((deps, hash));
        }
        if let Some((node, lang)) = indexed(site, job).filter(|_| !keep_index) {
            let html = String::from_utf8_lossy(&bytes);
            if search::wants_index(&html) {
                let path = format!("/{}", path.strip_suffix("index.html").unwrap_or(path));
                let page = search::Page { path, node, lang, html: html.into_owned() };
                let prepared = search::prepare(site, &loaded.search_vocabulary, page);
                to_index.lock().expect("lock").push(prepared);
            }
        }
        match staging.write(path, &bytes) {
            Ok(()) => None,
            Err(err @ output::OutputError::Escapes(_)) => Some(
                Diagnostic::error("path-escapes", err.to_string())
                    .at(job_location(site, job))
                    .hint("slugs and paths may not contain `..`"),
            ),
            Err(err @ output::OutputError::Io { .. }) => {
                internal.lock().expect("lock").get_or_insert(err.to_string());
                None
            }
        }
    });
    timer.lap("render+write");
    if let Some(err) = internal.into_inner().expect("lock") {
        return Err(BuildError::Internal(err));
    }
    let failed = problems.iter().any(|d| d.severity == Severity::Error);
    let to_index = to_index.into_inner().expect("lock");
    let search_files = if failed {
        0
    } else if keep_index {
        keep_files(&options.output, &previous_index, &staging)
            .map_err(|err| BuildError::Internal(format!("cannot keep the search index: {err}")))?
    } else if to_index.is_empty() {
        0
    } else {
        search::write_index(site, to_index, &staging)
            .map_err(|err| BuildError::Internal(format!("search index: {err}")))?
            .files
    };
    timer.lap("search");
    if failed {
        // The live output was never touched; the staging folder is left for the next build.
        drop(staging);
        let mut all = problems;
        all.extend(loaded.warnings.clone());
        return Err(BuildError::Content(all));
    }
    let stats = staging
        .commit()
        .map_err(|err| BuildError::Internal(format!("cannot replace {}: {err}", options.output.display())))?;
    timer.lap("commit");
    let pages = jobs.iter().filter(|(p, _)| p.ends_with(".html")).count();
    let mut warnings = loaded.warnings.clone();
    warnings.extend(problems);
    let mut summary = BuildSummary {
        warnings,
        pages,
        files: jobs.len() + search_files,
        written: stats.written,
        unchanged: stats.unchanged,
        timings: timer.timings,
        from_cache: false,
        rendered: None,
    };
    let (interned, records) = records.into_inner().expect("lock");
    let records: Vec<_> = records.into_iter().flatten().collect();
    assert!(!recording || records.len() == jobs.len(), "every job rendered and recorded");
    let records: Records = (interned, records);
    // Recorded before the cache's own warnings, which are about this build only. The caller
    // that keeps the model (serve) builds without the cache: one of the two takes the records.
    let mut records = Some(records);
    let stored = inputs.and_then(|inputs| {
        let state = records
            .take_if(|_| !record)
            .map(|records| incremental::State::of_build(&loaded, &jobs, records, options, search_files));
        cache::store(options, inputs, &summary, state, None)
    });
    summary.warnings.extend(cache_warning.into_iter().chain(stored));
    let kept = record.then(|| (loaded, jobs, records.unwrap_or_default()));
    Ok((summary, kept))
}

/// Writes the files under `dir` (inside the live `output`) into the staging folder as they are,
/// which links them (they are unchanged); returns how many there were.
fn keep_files(output: &Path, dir: &Path, staging: &Staging) -> Result<usize, String> {
    let mut count = 0;
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| e.to_string())?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(output).map_err(|e| e.to_string())?;
            let bytes = std::fs::read(entry.path()).map_err(|e| format!("{}: {e}", entry.path().display()))?;
            staging.write(&rel.to_string_lossy(), &bytes).map_err(|e| e.to_string())?;
            count += 1;
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_writes_the_site_and_a_repeat_build_rewrites_nothing() {
        let fixture = testing::typed();
        let output = fixture.dir.path().join("public");
        let options = BuildOptions {
            root: fixture.dir.path().to_path_buf(),
            output: output.clone(),
            base_url: None,
            drafts: false,
            search_index: SearchIndex::KeepPrevious,
            cache: true,
        };
        let first = build(&options).expect("builds");
        assert!(first.pages > 0 && first.written > 0);
        assert!(output.join("index.html").is_file() && output.join("en/404.html").is_file());
        let second = build(&options).expect("builds again");
        assert_eq!((second.written, second.unchanged), (0, first.written + first.unchanged));
    }
}
