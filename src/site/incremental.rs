//! Incremental rebuilds (`serve`): a [`Session`] keeps the last good build's model and, for every
//! output, what its render read ([`crate::deps`]). After a change it loads the site again,
//! compares the two models facet by facet (a node's text, its light reference, a section's
//! members, neighbours, links, taxonomies, UI strings, templates) and renders again only the
//! outputs that read something that changed, plus new ones; outputs that no longer exist are
//! removed. What every page reads (config, facts, assets, data files) is compared as a whole:
//! when it changed, the rebuild is a whole build. The result is byte-identical to a clean build
//! (tested on random edit sequences).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use crate::content::NodeId;
use crate::deps::{Dep, DepSet, Facet};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::SiteData;
use crate::output;

use rayon::prelude::*;

use super::plan::Job;
use super::{BuildError, BuildOptions, BuildSummary, LoadedSite, SearchIndex, Timer};

/// A dependency in a form that outlives one model: nodes by their content key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Stable {
    /// A node facet, by interned content key (a taxonomy by its index in config.toml).
    At(Facet, u32),
    All(Facet),
    String(Arc<str>),
    Template(Arc<str>),
}

/// What the last good build made at one output path.
struct Record {
    /// The job, with nodes by key: a path made by another job is made again.
    job: String,
    deps: Box<[Stable]>,
    hash: blake3::Hash,
    /// For copied files: the source's length and modification time.
    source: Option<(u64, SystemTime)>,
}

struct Generation {
    loaded: LoadedSite,
    outputs: HashMap<String, Record>,
    /// Everything every page reads, as one hash: a change is a whole build.
    globals: blake3::Hash,
    /// Files of the search index (carried over by rebuilds).
    search_files: usize,
}

/// How the last rebuild went about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Everything was rendered (the first build, or what every page reads changed).
    Whole,
    /// Only what depends on the change was rendered.
    Changed,
}

/// What a rebuild did, besides the usual summary.
#[derive(Debug)]
pub(crate) struct Rebuilt {
    pub summary: BuildSummary,
    pub scope: Scope,
    /// Output paths rendered again, in plan order (tests compare them).
    pub rendered_paths: Vec<String>,
}

/// The last good build, kept between rebuilds.
pub(crate) struct Session {
    options: BuildOptions,
    last: Option<Generation>,
    /// Content key → stable number, for the lifetime of the session.
    keys: HashMap<String, u32>,
}

impl Session {
    pub(crate) fn new(options: BuildOptions) -> Session {
        Session { options: BuildOptions { cache: false, ..options }, last: None, keys: HashMap::new() }
    }

    /// Builds: the whole site the first time and whenever `search` asks for a new index,
    /// otherwise only what changed since the last good build. A failed build leaves the output
    /// and the session as they were.
    pub(crate) fn build(&mut self, search: SearchIndex) -> Result<Rebuilt, BuildError> {
        if search == SearchIndex::Write || self.last.is_none() {
            return self.whole(search);
        }
        self.changed()
    }

    fn whole(&mut self, search: SearchIndex) -> Result<Rebuilt, BuildError> {
        let options = BuildOptions { search_index: search, ..self.options.clone() };
        let recorded = super::build_recorded(&options)?;
        let mut outputs = HashMap::with_capacity(recorded.jobs.len());
        let site = recorded.loaded.site.clone();
        for ((path, job), (deps, hash)) in recorded.jobs.iter().zip(recorded.records) {
            let deps = stabilize(&mut self.keys, &site, &deps);
            let source = copy_stamp(&recorded.loaded.root, job);
            outputs.insert(path.clone(), Record { job: stable_job(&site, job), deps, hash, source });
        }
        let globals = globals(&recorded.loaded, &self.options);
        let rendered_paths = recorded.jobs.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        let search_files = recorded.summary.files.saturating_sub(recorded.jobs.len());
        self.last = Some(Generation { loaded: recorded.loaded, outputs, globals, search_files });
        Ok(Rebuilt { summary: recorded.summary, scope: Scope::Whole, rendered_paths })
    }

    fn changed(&mut self) -> Result<Rebuilt, BuildError> {
        let started = Instant::now();
        let options = self.options.clone();
        output::check_output_dir(&options.root, &options.output).map_err(BuildError::Internal)?;
        let previous = self.last.as_ref().map(|last| &last.loaded);
        let mut loaded = super::load_reusing(&options.root, options.base_url.as_deref(), options.drafts, previous)
            .map_err(BuildError::Content)?;
        loaded.previous_output = Some(options.output.clone());
        let mut timer = Timer::new();
        timer.timings = loaded.timings.clone();
        let jobs = super::plan_outputs(&loaded).map_err(BuildError::Content)?;
        timer.lap("plan");
        let last = self.last.as_ref().expect("a previous build");
        if globals(&loaded, &options) != last.globals {
            return self.whole(SearchIndex::KeepPrevious);
        }
        let Some(dirty) = dirty(&mut self.keys, &last.loaded, &loaded) else {
            return self.whole(SearchIndex::KeepPrevious);
        };
        timer.lap("compare");
        let site = loaded.site.clone();
        let last = self.last.as_ref().expect("a previous build");
        let stable_jobs: Vec<String> = jobs.iter().map(|(_, job)| stable_job(&site, job)).collect();
        let stamps: Vec<Option<(u64, SystemTime)>> =
            jobs.iter().map(|(_, job)| copy_stamp(&loaded.root, job)).collect();
        if std::env::var_os("METROPORTAL_DEBUG_DEPS").is_some() {
            for (path, record) in &last.outputs {
                let hit: Vec<&Stable> = record.deps.iter().filter(|d| dirty.contains(*d)).collect();
                if !hit.is_empty() {
                    eprintln!("{path}: {hit:?}");
                }
            }
        }
        let select = |index: usize, _: &Job| match last.outputs.get(&jobs[index].0) {
            None => true,
            Some(record) => {
                record.job != stable_jobs[index]
                    || record.source != stamps[index]
                    || record.deps.iter().any(|dep| dirty.contains(dep))
            }
        };
        let made: Mutex<Vec<(usize, Vec<u8>, DepSet)>> = Mutex::new(Vec::new());
        let problems = super::render::render_selected(&loaded, &jobs, &select, true, |index, _, _, bytes, deps| {
            made.lock().expect("lock").push((index, bytes, deps.unwrap_or_default()));
            None
        });
        timer.lap("render");
        if problems.iter().any(|d| d.severity == Severity::Error) {
            let mut all = problems;
            all.extend(loaded.warnings.clone());
            return Err(BuildError::Content(all));
        }
        let mut made = made.into_inner().expect("lock");
        made.sort_by_key(|(index, _, _)| *index);

        // Write what differs, in place (each file atomically), then remove what is gone.
        // Every path is checked before anything is written, with the message `build` gives, so
        // that a bad slug leaves the served site as it was.
        let mut escapes = Vec::new();
        let targets: Vec<PathBuf> = made
            .iter()
            .map(|(index, _, _)| {
                let (path, job) = &jobs[*index];
                output::safe_relative(path).map(|rel| options.output.join(rel)).unwrap_or_else(|err| {
                    escapes.push(
                        Diagnostic::error("path-escapes", err.to_string())
                            .at(super::job_location(&site, job))
                            .hint("slugs and paths may not contain `..`"),
                    );
                    PathBuf::new()
                })
            })
            .collect();
        if !escapes.is_empty() {
            escapes.extend(loaded.warnings.clone());
            return Err(BuildError::Content(escapes));
        }
        // In parallel: a template edit writes thousands of files.
        let outcomes: Vec<Result<(blake3::Hash, bool), BuildError>> = made
            .par_iter()
            .zip(&targets)
            .map(|((index, bytes, _), target)| {
                let path = &jobs[*index].0;
                let hash = blake3::hash(bytes);
                let write = last.outputs.get(path).is_none_or(|r| r.hash != hash) || !target.is_file();
                if write {
                    write_atomically(target, bytes)
                        .map_err(|err| BuildError::Internal(format!("cannot write {}: {err}", target.display())))?;
                }
                Ok((hash, write))
            })
            .collect();
        let mut written = 0;
        let mut records: HashMap<usize, Record> = HashMap::new();
        for ((index, _, deps), outcome) in made.into_iter().zip(outcomes) {
            let (hash, wrote) = outcome?;
            written += u64::from(wrote);
            let deps = stabilize(&mut self.keys, &site, &deps);
            records.insert(index, Record { job: stable_jobs[index].clone(), deps, hash, source: stamps[index] });
        }
        let rendered_paths: Vec<String> = {
            let mut indices: Vec<&usize> = records.keys().collect();
            indices.sort();
            indices.into_iter().map(|&i| jobs[i].0.clone()).collect()
        };
        let last = self.last.take().expect("a previous build");
        let planned: HashSet<&str> = jobs.iter().map(|(p, _)| p.as_str()).collect();
        for path in last.outputs.keys().filter(|p| !planned.contains(p.as_str())) {
            remove_output(&options.output, path)
                .map_err(|err| BuildError::Internal(format!("cannot remove /{path}: {err}")))?;
        }
        let mut old = last.outputs;
        let outputs: HashMap<String, Record> = jobs
            .iter()
            .enumerate()
            .map(|(index, (path, _))| {
                let record =
                    records.remove(&index).or_else(|| old.remove(path)).expect("an output is either kept or made");
                (path.clone(), record)
            })
            .collect();
        timer.lap("write");
        let globals = last.globals;
        let pages = jobs.iter().filter(|(p, _)| p.ends_with(".html")).count();
        let files = last.search_files;
        let mut warnings = loaded.warnings.clone();
        warnings.extend(problems);
        timer.timings.push(("total", started.elapsed()));
        let summary = BuildSummary {
            warnings,
            pages,
            files: jobs.len() + files,
            written,
            unchanged: (jobs.len() as u64).saturating_sub(written),
            timings: timer.timings,
            from_cache: false,
        };
        self.last = Some(Generation { loaded, outputs, globals, search_files: files });
        Ok(Rebuilt { summary, scope: Scope::Changed, rendered_paths })
    }
}

/// A content key's stable number.
fn key_id(keys: &mut HashMap<String, u32>, key: &str) -> u32 {
    let next = keys.len() as u32;
    *keys.entry(key.to_string()).or_insert(next)
}

fn stabilize(keys: &mut HashMap<String, u32>, site: &SiteData, deps: &DepSet) -> Box<[Stable]> {
    let nodes = &site.library.nodes;
    deps.iter()
        .map(|dep| match dep {
            Dep::At(Facet::Taxonomy, index) => Stable::At(Facet::Taxonomy, *index),
            Dep::At(facet, node) => {
                let key = nodes.get(*node as usize).map_or("", |n| n.key.as_str());
                Stable::At(*facet, key_id(keys, key))
            }
            Dep::All(facet) => Stable::All(*facet),
            Dep::String(key) => Stable::String(Arc::from(&**key)),
            Dep::Template(name) => Stable::Template(Arc::from(&**name)),
        })
        .collect()
}

/// What differs between two models, as the dependencies that changed; `None` when it cannot be
/// told (a template named through an expression, a changed Fluent term).
fn dirty(ids: &mut HashMap<String, u32>, before: &LoadedSite, now: &LoadedSite) -> Option<HashSet<Stable>> {
    let (a, b) = (&*before.site, &*now.site);
    let mut dirty = HashSet::new();
    let mut touched: BTreeSet<Facet> = BTreeSet::new();
    let keys: BTreeSet<&str> =
        a.library.nodes.untracked().iter().chain(b.library.nodes.untracked()).map(|n| n.key.as_str()).collect();
    for key in keys {
        let facets: Vec<Facet> = match (a.library.by_key.get(key), b.library.by_key.get(key)) {
            (Some(&x), Some(&y)) => node_changes(a, x, b, y),
            _ => {
                // Added or removed: everything about it, and every list of all nodes.
                touched.insert(Facet::Node);
                vec![Facet::Node, Facet::Ref, Facet::Members, Facet::Neighbours, Facet::Links]
            }
        };
        let id = key_id(ids, key);
        for facet in facets {
            touched.insert(facet);
            dirty.insert(Stable::At(facet, id));
        }
    }
    let (ta, tb) = (a.listings.taxonomies.untracked(), b.listings.taxonomies.untracked());
    for index in 0..ta.len().max(tb.len()) {
        let same = match (ta.get(index), tb.get(index)) {
            (Some(x), Some(y)) => same_taxonomy(a, x, b, y),
            _ => false,
        };
        if !same {
            touched.insert(Facet::Taxonomy);
            dirty.insert(Stable::At(Facet::Taxonomy, index as u32));
        }
    }
    dirty.extend(touched.into_iter().map(Stable::All));
    for key in b.locales.changed_keys(&a.locales)? {
        dirty.insert(Stable::String(Arc::from(key.as_str())));
    }
    let changed = now.templates.changed_since(&before.templates);
    if !changed.is_empty() {
        for name in now.templates.affected_by(&changed)?.into_iter().chain(before.templates.affected_by(&changed)?) {
            dirty.insert(Stable::Template(Arc::from(name.as_str())));
        }
    }
    Some(dirty)
}

/// The facets of a node (present in both models) whose data differ.
fn node_changes(a: &SiteData, x: NodeId, b: &SiteData, y: NodeId) -> Vec<Facet> {
    let (na, nb) = (&a.library.nodes.untracked()[x], &b.library.nodes.untracked()[y]);
    let mut changed = Vec::new();
    // Unchanged files' documents are shared between the two models: comparing pointers is
    // enough for them.
    let shared = na.docs.len() == nb.docs.len()
        && na.docs.iter().zip(&nb.docs).all(|(p, q)| match (p, q) {
            (Some(p), Some(q)) => Arc::ptr_eq(p, q),
            (None, None) => true,
            _ => false,
        });
    let docs_same = shared
        || na.docs.len() == nb.docs.len()
            && na.docs.iter().zip(&nb.docs).all(|(p, q)| match (p, q) {
                (Some(p), Some(q)) => p.text == q.text && p.file == q.file,
                (None, None) => true,
                _ => false,
            });
    let node_same = docs_same
        && na.is_section == nb.is_section
        && na.stem == nb.stem
        && na.paths == nb.paths
        && na.assets == nb.assets
        && key_of(a, na.parent) == key_of(b, nb.parent)
        && keys_of(a, &na.pages) == keys_of(b, &nb.pages)
        && keys_of(a, &na.subsections) == keys_of(b, &nb.subsections);
    if !node_same {
        changed.push(Facet::Node);
    }
    // A reference is made from the node's documents, its paths and its section's paths: when
    // none of these changed, it did not either (comparing 30,000 values costs more).
    let parent_paths = |site: &SiteData, node: &crate::content::Node| {
        node.parent.map(|p| site.library.nodes.untracked()[p].paths.clone())
    };
    let ref_inputs_same = shared
        && na.paths == nb.paths
        && key_of(a, na.parent) == key_of(b, nb.parent)
        && parent_paths(a, na) == parent_paths(b, nb);
    if !ref_inputs_same && a.views.refs.untracked()[x] != b.views.refs.untracked()[y] {
        changed.push(Facet::Ref);
    }
    let (la, lb) = (&a.listings, &b.listings);
    if members(a, x) != members(b, y) {
        changed.push(Facet::Members);
    }
    let neighbours_a: Vec<_> =
        la.neighbours.untracked()[x].iter().map(|(p, n)| (key_of(a, *p), key_of(a, *n))).collect();
    let neighbours_b: Vec<_> =
        lb.neighbours.untracked()[y].iter().map(|(p, n)| (key_of(b, *p), key_of(b, *n))).collect();
    if neighbours_a != neighbours_b {
        changed.push(Facet::Neighbours);
    }
    if a.link_urls.untracked()[x] != b.link_urls.untracked()[y] {
        changed.push(Facet::Links);
    }
    changed
}

fn keys_of<'a>(site: &'a SiteData, ids: &[NodeId]) -> Vec<&'a str> {
    ids.iter().map(|&i| site.library.nodes.untracked()[i].key.as_str()).collect()
}

fn key_of(site: &SiteData, id: Option<NodeId>) -> Option<&str> {
    id.map(|i| site.library.nodes.untracked()[i].key.as_str())
}

/// A section's pages and subsections in every language, by key.
fn members(site: &SiteData, id: NodeId) -> Vec<Vec<&str>> {
    let l = &site.listings;
    l.pages.untracked()[id].iter().chain(&l.subsections.untracked()[id]).map(|ids| keys_of(site, ids)).collect()
}

/// Whether two taxonomies have the same terms, paths and pages (pages by key).
fn same_taxonomy(
    a: &SiteData,
    x: &crate::content::listing::Taxonomy,
    b: &SiteData,
    y: &crate::content::listing::Taxonomy,
) -> bool {
    x.name == y.name
        && x.paginate_by == y.paginate_by
        && x.paths == y.paths
        && x.terms.len() == y.terms.len()
        && x.terms.iter().zip(&y.terms).all(|(p, q)| {
            p.len() == q.len()
                && p.iter().zip(q).all(|(s, t)| {
                    s.name == t.name
                        && s.slug == t.slug
                        && s.path == t.path
                        && keys_of(a, &s.pages) == keys_of(b, &t.pages)
                })
        })
}

/// A job with its nodes named by key.
fn stable_job(site: &SiteData, job: &Job) -> String {
    let key = |id: &NodeId| site.library.nodes.untracked()[*id].key.as_str();
    match job {
        Job::Node { id, lang, pager } => format!("node {} {lang} {pager}", key(id)),
        Job::Feed { id, lang } => format!("feed {} {lang}", key(id)),
        Job::MigrantLocal { guide, municipality, lang } => format!("local {} {} {lang}", key(guide), key(municipality)),
        Job::MigrantPack { municipality, lang } => format!("pack {} {lang}", key(municipality)),
        Job::Preview { municipality } => format!("preview {}", key(municipality)),
        other => format!("{other:?}"),
    }
}

/// The length and modification time of a copied file's source.
fn copy_stamp(root: &Path, job: &Job) -> Option<(u64, SystemTime)> {
    let Job::Copy { source } = job else { return None };
    let full = if source.is_absolute() { source.clone() } else { root.join(source) };
    let meta = std::fs::metadata(full).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// One hash of what every page reads: config.toml and the build options, the data files, the
/// facts (with nodes by key), the assets, the preview pictures and the search bundle.
fn globals(loaded: &LoadedSite, options: &BuildOptions) -> blake3::Hash {
    let site = &loaded.site;
    let root = &loaded.root;
    let mut hasher = blake3::Hasher::new();
    let mut add = |label: &str, bytes: &[u8]| {
        hasher.update(label.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    add("config", &std::fs::read(root.join("config.toml")).unwrap_or_default());
    add("options", format!("{:?} {}", options.base_url, options.drafts).as_bytes());
    for file in [&site.config.data.sources, &site.config.data.boundaries].into_iter().flatten() {
        add("data", &std::fs::read(root.join(file)).unwrap_or_default());
    }
    add("facts", facts_text(site).as_bytes());
    add("assets", format!("{:?}", site.assets.hashed).as_bytes());
    add("files", format!("{:?}", site.assets.files).as_bytes());
    let previews: Vec<(&str, &(String, String))> =
        site.previews.iter().map(|(m, p)| (site.library.nodes.untracked()[*m].key.as_str(), p)).collect();
    add("previews", format!("{previews:?}").as_bytes());
    add("search", format!("{:?}", site.search_bundle).as_bytes());
    hasher.finalize()
}

/// The facts, with nodes by key (node numbers shift when a page is added).
fn facts_text(site: &SiteData) -> String {
    let nodes = site.library.nodes.untracked();
    let key = |id: &NodeId| nodes[*id].key.as_str();
    let keys = |ids: &[NodeId]| ids.iter().map(key).collect::<Vec<_>>();
    let facts = &site.facts;
    let services: Vec<_> = facts.services_of.iter().map(|(m, s)| (key(m), keys(s))).collect();
    let municipality_of: Vec<_> = facts.municipality_of.iter().map(|(s, m)| (key(s), key(m))).collect();
    let local: Vec<_> =
        facts.local.iter().map(|(m, f)| (key(m), f.iter().map(|(k, v)| (*k, key(v))).collect::<Vec<_>>())).collect();
    let completeness: Vec<_> = facts.completeness.iter().map(|(m, states)| (key(m), states)).collect();
    let serves: Vec<_> = facts.serves.iter().map(|(s, ms)| (key(s), keys(ms))).collect();
    format!(
        "{services:?}\n{municipality_of:?}\n{local:?}\n{:?}\n{:?}\n{:?}\n{completeness:?}\n{serves:?}\n{:?} {}",
        keys(&facts.municipalities),
        keys(&facts.guides),
        facts.statement.as_ref().map(key),
        facts.today,
        facts.stale_after_months,
    )
}

fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = target.with_file_name(format!(".{name}.partial"));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, target)
}

/// Removes an output file and the folders it leaves empty (a clean build would not have them).
fn remove_output(output: &Path, path: &str) -> std::io::Result<()> {
    let Ok(rel) = output::safe_relative(path) else { return Ok(()) };
    let target = output.join(rel);
    match std::fs::remove_file(&target) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err),
    }
    let mut dir: Option<PathBuf> = target.parent().map(Path::to_path_buf);
    while let Some(d) = dir {
        if d == output || std::fs::remove_dir(&d).is_err() {
            break;
        }
        dir = d.parent().map(Path::to_path_buf);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use proptest::test_runner::FileFailurePersistence;

    use super::*;
    use crate::site::testing;

    fn options(root: &Path, output: &Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            output: output.to_path_buf(),
            base_url: None,
            drafts: false,
            search_index: SearchIndex::KeepPrevious,
            cache: false,
        }
    }

    /// Every file of an output folder but the search index (which `serve` refreshes apart).
    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"), e))
            .filter(|(rel, _)| !rel.starts_with(crate::search::BUNDLE_ROOT))
            .map(|(rel, e)| (rel, std::fs::read(e.path()).unwrap()))
            .collect()
    }

    /// Folders under an output folder (a rebuild must not leave empty ones behind).
    fn folders(dir: &Path) -> BTreeSet<String> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_dir())
            .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
            .filter(|rel| !rel.starts_with(crate::search::BUNDLE_ROOT))
            .collect()
    }

    /// Asserts that the session's output is what a clean build of the same sources makes.
    fn assert_same_as_clean_build(root: &Path, served: &Path, step: &str) {
        let clean = tempfile::tempdir().unwrap();
        let out = clean.path().join("public");
        let full = super::super::build(&options(root, &out));
        assert!(full.is_ok(), "{step}: a clean build fails: {full:?}");
        let (want, got) = (tree(&out), tree(served));
        let differ: Vec<&String> = want
            .keys()
            .chain(got.keys())
            .filter(|k| want.get(*k) != got.get(*k))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        assert!(differ.is_empty(), "{step}: the incremental output differs from a clean build at {differ:?}");
        assert_eq!(folders(&out), folders(served), "{step}: folders");
    }

    /// One edit an editor may save.
    #[derive(Debug, Clone)]
    enum Edit {
        Body(usize, u32),
        Title(usize, u32),
        NewPage { translated: bool, category: bool, n: u32 },
        DeleteNewPage(usize),
        Template(usize, u32),
        UiString(usize, u32),
    }

    const PAGES: &[&str] = &[
        "content/o-stowarzyszeniu.md",
        "content/forum/spotkanie.md",
        "content/migranci/pomoc.en.md",
        "content/gminy/wieliczka/mgops.md",
        "content/strategia/_index.md",
        "content/_index.en.md",
    ];
    const TEMPLATES: &[&str] = &["page.html", "_lists.html", "base.html", "section.html"];
    const STRINGS: &[&str] = &["skip-link", "footer-association", "footer-purpose"];

    fn apply(root: &Path, edit: &Edit, created: &mut Vec<String>) {
        let edit_file = |rel: &str, f: &dyn Fn(String) -> String| {
            let path = root.join(rel);
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, f(text)).unwrap();
        };
        match edit {
            Edit::Body(i, n) => edit_file(PAGES[i % PAGES.len()], &|t| format!("{t}\nAkapit {n}.\n")),
            Edit::Title(i, n) => edit_file(PAGES[i % PAGES.len()], &|t| {
                let start = t.find("title = \"").unwrap() + "title = \"".len();
                let end = start + t[start..].find('"').unwrap();
                format!("{}Tytuł {n}{}", &t[..start], &t[end..])
            }),
            Edit::NewPage { translated, category, n } => {
                let rel = format!("content/strategia/nowa-{n}.md");
                if created.contains(&rel) {
                    return;
                }
                let taxonomy = if *category { "\n[taxonomies]\ncategories = [\"day-support\"]\n" } else { "" };
                let page = |title: &str| {
                    format!(
                        "+++\ntitle = \"{title} {n}\"\ndate = 2025-0{}-01\n{taxonomy}+++\n\nTekst {n}.\n",
                        1 + n % 9
                    )
                };
                std::fs::write(root.join(&rel), page("Nowa")).unwrap();
                if *translated {
                    std::fs::write(root.join(rel.replace(".md", ".en.md")), page("New")).unwrap();
                }
                created.push(rel);
            }
            Edit::DeleteNewPage(i) => {
                if created.is_empty() {
                    return;
                }
                let rel = created.remove(i % created.len());
                std::fs::remove_file(root.join(&rel)).unwrap();
                let _ = std::fs::remove_file(root.join(rel.replace(".md", ".en.md")));
            }
            Edit::Template(i, n) => {
                let rel = format!("themes/portal/templates/{}", TEMPLATES[i % TEMPLATES.len()]);
                edit_file(&rel, &|t| match t.rfind("{% endblock") {
                    Some(at) => format!("{}<!-- edit {n} -->{}", &t[..at], &t[at..]),
                    None => format!("{t}<!-- edit {n} -->"),
                });
            }
            Edit::UiString(i, n) => {
                let key = STRINGS[i % STRINGS.len()];
                edit_file("themes/portal/i18n/en.ftl", &|t| {
                    t.lines()
                        .map(|l| {
                            if l.starts_with(&format!("{key} = ")) {
                                format!("{key} = Edited {n}")
                            } else {
                                l.to_string()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                        + "\n"
                });
            }
        }
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            3 => (0..PAGES.len(), 0u32..1000).prop_map(|(i, n)| Edit::Body(i, n)),
            3 => (0..PAGES.len(), 0u32..1000).prop_map(|(i, n)| Edit::Title(i, n)),
            2 => (any::<bool>(), any::<bool>(), 0u32..20).prop_map(|(translated, category, n)| Edit::NewPage { translated, category, n }),
            2 => (0usize..4).prop_map(Edit::DeleteNewPage),
            1 => (0..TEMPLATES.len(), 0u32..1000).prop_map(|(i, n)| Edit::Template(i, n)),
            1 => (0..STRINGS.len(), 0u32..1000).prop_map(|(i, n)| Edit::UiString(i, n)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 16,
            failure_persistence: Some(Box::new(FileFailurePersistence::Direct("tests/proptest-regressions/incremental.txt"))),
            ..ProptestConfig::default()
        })]

        /// After every edit of a random sequence, the incremental output is byte for byte what a
        /// clean build of the same sources makes.
        #[test]
        fn random_edits_rebuild_to_the_same_output_as_a_clean_build(edits in prop::collection::vec(edit(), 2..7)) {
            let fixture = testing::typed();
            let root = fixture.dir.path();
            let served = root.join("served");
            let mut session = Session::new(options(root, &served));
            session.build(SearchIndex::KeepPrevious).expect("first build");
            let mut created = Vec::new();
            for (step, edit) in edits.iter().enumerate() {
                apply(root, edit, &mut created);
                let rebuilt = session.build(SearchIndex::KeepPrevious);
                prop_assert!(rebuilt.is_ok(), "step {step} ({edit:?}): {rebuilt:?}");
                assert_same_as_clean_build(root, &served, &format!("step {step} ({edit:?})"));
            }
        }
    }
}

#[cfg(test)]
mod scope_tests {
    use super::*;
    use crate::site::testing;

    fn session(root: &Path) -> Session {
        let options = BuildOptions {
            root: root.to_path_buf(),
            output: root.join("served"),
            base_url: None,
            drafts: false,
            search_index: SearchIndex::KeepPrevious,
            cache: false,
        };
        let mut session = Session::new(options);
        session.build(SearchIndex::KeepPrevious).expect("first build");
        session
    }

    fn edit(root: &Path, rel: &str, from: &str, to: &str) {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    #[test]
    fn a_body_edit_renders_the_page_and_what_shows_its_text_only() {
        let fixture = testing::typed();
        let root = fixture.dir.path();
        let mut session = session(root);
        edit(root, "content/forum/spotkanie.md", "Podsumowanie spotkania.", "Podsumowanie spotkania, poprawione.");
        let rebuilt = session.build(SearchIndex::KeepPrevious).expect("rebuilds");
        assert_eq!(rebuilt.scope, Scope::Changed);
        let total = rebuilt.summary.files;
        assert!(
            rebuilt.rendered_paths.len() * 4 < total,
            "rendered {} of {total}: {:?}",
            rebuilt.rendered_paths.len(),
            rebuilt.rendered_paths
        );
        // The page in its three languages (two show the Polish text), and the feed of the forum.
        for path in ["forum/spotkanie/index.html", "en/forum/spotkanie/index.html", "forum/atom.xml"] {
            assert!(rebuilt.rendered_paths.iter().any(|p| p == path), "{path} in {:?}", rebuilt.rendered_paths);
        }
        assert!(!rebuilt.rendered_paths.iter().any(|p| p == "forum/index.html"), "the list shows no body");
    }

    #[test]
    fn a_title_edit_renders_the_lists_that_show_it() {
        let fixture = testing::typed();
        let root = fixture.dir.path();
        let mut session = session(root);
        edit(root, "content/forum/spotkanie.md", "title = \"Spotkanie forum\"", "title = \"Spotkanie forum (zmiana)\"");
        let rebuilt = session.build(SearchIndex::KeepPrevious).expect("rebuilds");
        assert_eq!(rebuilt.scope, Scope::Changed);
        for path in ["forum/spotkanie/index.html", "forum/index.html", "sitemap.xml"] {
            assert!(rebuilt.rendered_paths.iter().any(|p| p == path), "{path} in {:?}", rebuilt.rendered_paths);
        }
        assert!(!rebuilt.rendered_paths.iter().any(|p| p == "o-stowarzyszeniu/index.html"));
    }

    /// The outputs of the last build whose render read `dep`.
    fn readers(session: &Session, dep: &Stable) -> BTreeSet<String> {
        let last = session.last.as_ref().expect("built");
        last.outputs.iter().filter(|(_, r)| r.deps.contains(dep)).map(|(p, _)| p.clone()).collect()
    }

    #[test]
    fn a_changed_template_renders_exactly_the_outputs_that_used_it() {
        let fixture = testing::typed();
        let root = fixture.dir.path();
        let mut session = session(root);
        let users = readers(&session, &Stable::Template(Arc::from("page.html")));
        assert!(users.contains("o-stowarzyszeniu/index.html"), "{users:?}");
        edit(root, "themes/portal/templates/page.html", "{% endblock", "<!-- zmiana -->{% endblock");
        let rebuilt = session.build(SearchIndex::KeepPrevious).expect("rebuilds");
        assert_eq!(rebuilt.scope, Scope::Changed);
        assert_eq!(rebuilt.rendered_paths.iter().cloned().collect::<BTreeSet<_>>(), users);
        assert!(rebuilt.rendered_paths.len() < rebuilt.summary.files, "only the pages made with page.html");
    }

    #[test]
    fn a_changed_ui_string_renders_exactly_the_outputs_that_show_it() {
        let fixture = testing::typed();
        let root = fixture.dir.path();
        let mut session = session(root);
        let users = readers(&session, &Stable::String(Arc::from("footer-purpose")));
        let html = session.last.as_ref().unwrap().outputs.keys().filter(|p| p.ends_with(".html")).count();
        assert!(users.len() > html / 2, "the footer is on most pages: {} of {html}", users.len());
        edit(root, "themes/portal/i18n/en.ftl", "footer-purpose = ", "footer-purpose = (edited) ");
        let rebuilt = session.build(SearchIndex::KeepPrevious).expect("rebuilds");
        assert_eq!(rebuilt.scope, Scope::Changed);
        assert_eq!(rebuilt.rendered_paths.iter().cloned().collect::<BTreeSet<_>>(), users);
    }

    #[test]
    fn a_changed_config_renders_everything() {
        let fixture = testing::typed();
        let root = fixture.dir.path();
        let mut session = session(root);
        edit(root, "config.toml", "title = \"Test portal\"", "title = \"Test portal (edited)\"");
        let rebuilt = session.build(SearchIndex::KeepPrevious).expect("rebuilds");
        assert_eq!(rebuilt.scope, Scope::Whole);
        assert_eq!(rebuilt.rendered_paths.len(), session.last.as_ref().unwrap().outputs.len());
    }

    #[test]
    fn a_page_whose_path_escapes_the_output_is_an_error_and_nothing_is_written() {
        let fixture = testing::typed();
        let root = fixture.dir.path();
        let mut session = session(root);
        let before: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(root.join("served"))
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
            .collect();
        edit(root, "content/forum/spotkanie.md", "Podsumowanie spotkania.", "Podsumowanie, poprawione.");
        std::fs::write(
            root.join("content/strategia/ucieczka.md"),
            "+++\ntitle = \"Ucieczka\"\nslug = \"../../../poza\"\n+++\n",
        )
        .unwrap();
        let Err(BuildError::Content(diagnostics)) = session.build(SearchIndex::KeepPrevious) else {
            panic!("a path out of the output builds");
        };
        let first = &diagnostics[0];
        assert!(first.severity == Severity::Error, "{diagnostics:?}");
        let at = first.location.as_ref().expect("located");
        assert!(at.file.ends_with("content/strategia/ucieczka.md"), "{diagnostics:?}");
        let after: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(root.join("served"))
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
            .collect();
        assert!(before == after, "the served site is as it was");
        assert!(!root.join("poza").exists() && !root.parent().unwrap().join("poza").exists());
    }
}
