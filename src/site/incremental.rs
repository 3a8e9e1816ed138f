//! Incremental rebuilds, for `serve` and for `build` with its cache. What the last good build
//! made is kept as a [`State`]: for every output, what its render read ([`crate::deps`]) and a
//! hash of what it made, and fingerprints of the model: per node a hash of each facet (its text,
//! its light reference, a section's members, neighbours, links), of each taxonomy, of every UI
//! string and of every template. After a change the site is loaded and fingerprinted again, the
//! fingerprints are compared, and only the outputs that read something that changed are rendered
//! again, plus new ones; outputs that no longer exist are removed. What every page reads (config,
//! facts, assets, data files) is one hash: when it changed, the rebuild is a whole build. The
//! result is byte-identical to a clean build (tested on random edit sequences).
//!
//! `serve` keeps the state in memory beside the last model, whose unchanged documents and
//! Markdown results the next load reuses; `build` keeps it in its cache beside the output
//! (`site::cache`), so that a build after a small change renders only what the change touched.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Instant, SystemTime};

use serde::{Deserialize, Serialize};

use crate::content::NodeId;
use crate::deps::{Dep, DepSet, Facet};
use crate::diagnostics::{Diagnostic, Severity};
use crate::i18n::StringPrints;
use crate::model::SiteData;
use crate::output;
use crate::templates::Templates;

use rayon::prelude::*;

use super::plan::Job;
use super::{BuildError, BuildOptions, BuildSummary, LoadedSite, SearchIndex, Timer};

/// A dependency in a form that outlives one model: nodes by their content key's number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) enum Stable {
    /// A node facet, by the number of its content key (a taxonomy by its index in config.toml).
    At(Facet, u32),
    All(Facet),
    String(Box<str>),
    Template(Box<str>),
}

/// What the last good build made at one output path.
#[derive(Serialize, Deserialize)]
struct Record {
    /// The job, with nodes by key: a path made by another job is made again.
    job: String,
    /// What its render read, as positions in [`State::table`].
    deps: Box<[u32]>,
    /// The first half of the BLAKE3 hash of the bytes written.
    hash: u128,
    /// For copied files: the source's length and modification time.
    source: Option<(u64, SystemTime)>,
}

/// The facets of a node that are fingerprinted, in the order of [`NodePrints`].
const NODE_FACETS: [Facet; 5] = [Facet::Node, Facet::Ref, Facet::Members, Facet::Neighbours, Facet::Links];

/// A hash of each of [`NODE_FACETS`] of one node.
type NodePrints = [u64; 5];

/// The model of a build as hashes, to tell what the next one changed.
#[derive(Default, Serialize, Deserialize)]
struct Fingerprints {
    /// By the number of the node's key.
    nodes: HashMap<u32, NodePrints>,
    /// By the taxonomy's index in config.toml.
    taxonomies: Vec<u64>,
    strings: StringPrints,
    templates: std::collections::BTreeMap<String, u64>,
}

/// What the last good build made and read: where an incremental rebuild starts from.
#[derive(Default, Serialize, Deserialize)]
pub(super) struct State {
    /// Content keys by number; a number stays with its key for as long as the state lives.
    keys: Vec<String>,
    #[serde(skip)]
    key_ids: HashMap<String, u32>,
    /// Every dependency some output has, once (a record names them by position).
    table: Vec<Stable>,
    #[serde(skip)]
    table_ids: HashMap<Stable, u32>,
    outputs: HashMap<String, Record>,
    /// Everything every page reads, as one hash (hex): a change is a whole build.
    globals: String,
    /// Files of the search index (`serve` carries them over between rebuilds).
    search_files: usize,
    prints: Fingerprints,
    /// What Markdown made of each document (without its HTML), by the document's digest: a
    /// build from the cache renders only the Markdown of documents that changed.
    markdown: HashMap<u64, std::sync::Arc<crate::markdown::Rendered>>,
}

impl State {
    /// The state a whole build leaves: what each job read and made, and the model's prints.
    pub(super) fn of_build(
        loaded: &LoadedSite,
        jobs: &[(String, Job)],
        (interned, records): super::Records,
        options: &BuildOptions,
        search_files: usize,
    ) -> State {
        let mut state = State::default();
        let site = &loaded.site;
        let positions: Vec<u32> = interned.table.into_iter().map(|dep| state.stable_id(site, dep)).collect();
        for ((path, job), (deps, hash)) in jobs.iter().zip(records) {
            let mut deps: Box<[u32]> = deps.iter().map(|&d| positions[d as usize]).collect();
            deps.sort_unstable();
            let record =
                Record { job: stable_job(site, job), deps, hash: short(&hash), source: copy_stamp(&loaded.root, job) };
            state.outputs.insert(path.clone(), record);
        }
        state.globals = globals(loaded, options);
        state.search_files = search_files;
        state.prints = fingerprint(&mut state, loaded, None);
        state.markdown = markdown_of(&loaded.site);
        state
    }

    /// Rebuilds the lookup tables that are not stored (after reading a state from the cache).
    pub(super) fn restored(mut self) -> State {
        self.key_ids = self.keys.iter().enumerate().map(|(i, k)| (k.clone(), i as u32)).collect();
        self.table_ids = self.table.iter().enumerate().map(|(i, d)| (d.clone(), i as u32)).collect();
        self
    }

    /// A content key's number.
    fn key_id(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.key_ids.get(key) {
            return id;
        }
        let id = self.keys.len() as u32;
        self.keys.push(key.to_string());
        self.key_ids.insert(key.to_string(), id);
        id
    }

    /// A dependency's position in the table.
    fn dep_id(&mut self, dep: Stable) -> u32 {
        if let Some(&id) = self.table_ids.get(&dep) {
            return id;
        }
        let id = self.table.len() as u32;
        self.table.push(dep.clone());
        self.table_ids.insert(dep, id);
        id
    }

    /// What a render read, with nodes by key number, as table positions.
    fn stabilize(&mut self, site: &SiteData, deps: DepSet) -> Box<[u32]> {
        let mut ids: Vec<u32> = deps.into_iter().map(|dep| self.stable_id(site, dep)).collect();
        ids.sort_unstable();
        ids.into_boxed_slice()
    }

    /// One read, with its node by key number, as a table position.
    fn stable_id(&mut self, site: &SiteData, dep: Dep) -> u32 {
        let stable = match dep {
            Dep::At(Facet::Taxonomy, index) => Stable::At(Facet::Taxonomy, index),
            Dep::At(facet, node) => {
                let key = site.library.nodes.untracked().get(node as usize).map_or("", |n| n.key.as_str());
                Stable::At(facet, self.key_id(key))
            }
            Dep::All(facet) => Stable::All(facet),
            Dep::String(key) => Stable::String(key),
            Dep::Template(name) => Stable::Template(name),
        };
        self.dep_id(stable)
    }
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

/// The last good build of `serve`, kept between rebuilds: its model and its state.
pub(crate) struct Session {
    options: BuildOptions,
    last: Option<(LoadedSite, State)>,
}

impl Session {
    pub(crate) fn new(options: BuildOptions) -> Session {
        Session { options: BuildOptions { cache: false, ..options }, last: None }
    }

    /// Builds: the whole site the first time and whenever `search` asks for a new index,
    /// otherwise only what changed since the last good build. A failed build leaves the output
    /// and the session as they were.
    pub(crate) fn build(&mut self, search: SearchIndex) -> Result<Rebuilt, BuildError> {
        let Some((previous, state)) = self.last.as_mut().filter(|_| search != SearchIndex::Write) else {
            return self.whole(search);
        };
        match rebuild(&self.options, state, Some(previous), false, None)? {
            None => self.whole(SearchIndex::KeepPrevious),
            Some(partial) => {
                *previous = partial.loaded;
                Ok(Rebuilt { summary: partial.summary, scope: Scope::Changed, rendered_paths: partial.rendered_paths })
            }
        }
    }

    fn whole(&mut self, search: SearchIndex) -> Result<Rebuilt, BuildError> {
        let options = BuildOptions { search_index: search, ..self.options.clone() };
        let recorded = super::build_recorded(&options)?;
        let rendered_paths = recorded.jobs.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        let search_files = recorded.summary.files.saturating_sub(recorded.jobs.len());
        let state = State::of_build(&recorded.loaded, &recorded.jobs, recorded.records, &self.options, search_files);
        self.last = Some((recorded.loaded, state));
        Ok(Rebuilt { summary: recorded.summary, scope: Scope::Whole, rendered_paths })
    }
}

/// An incremental rebuild that went through.
pub(super) struct Partial {
    pub loaded: LoadedSite,
    pub summary: BuildSummary,
    pub rendered_paths: Vec<String>,
    /// Outputs of the last build that this one removed.
    pub removed_paths: Vec<String>,
}

impl Partial {
    /// Every output path this build may have written or removed.
    pub(super) fn changed_paths(&self) -> impl Iterator<Item = &str> {
        self.rendered_paths.iter().chain(&self.removed_paths).map(String::as_str)
    }
}

/// Loads the site again and renders only what changed since `state`, writing into the output
/// in place (each file atomically) and updating `state`. `previous` is the model `state` was
/// made from, if it is at hand: its unchanged documents are reused. `Ok(None)` when the change
/// needs a whole build: what every page reads changed, a template is named through an
/// expression, a Fluent term changed, (with `search`) the search index would change, or more
/// than `max_changes` files would be written or removed (a bigger change goes through the
/// staging folder, which swaps the whole output in one step). Nothing
/// is written before every output has rendered and every path was checked; on an error the
/// output and `state` are as they were.
pub(super) fn rebuild(
    options: &BuildOptions,
    state: &mut State,
    previous: Option<&LoadedSite>,
    search: bool,
    max_changes: Option<usize>,
) -> Result<Option<Partial>, BuildError> {
    let started = Instant::now();
    // Known before loading: a site with a search index is not built in part.
    if search && state.search_files > 0 {
        return Ok(None);
    }
    output::check_output_dir(&options.root, &options.output).map_err(BuildError::Internal)?;
    let mut loaded = super::load_reusing(
        &options.root,
        options.base_url.as_deref(),
        options.drafts,
        previous,
        Some(&state.markdown),
    )
    .map_err(BuildError::Content)?;
    loaded.previous_output = Some(options.output.clone());
    let mut timer = Timer::new();
    timer.timings = loaded.timings.clone();
    let jobs = super::plan_outputs(&loaded).map_err(BuildError::Content)?;
    timer.lap("plan");
    if globals(&loaded, options) != state.globals {
        return Ok(None);
    }
    let prints = fingerprint(state, &loaded, previous);
    let Some(dirty) = dirty(&*state, &prints, &loaded.templates) else { return Ok(None) };
    // Only dependencies some output has can select anything.
    let dirty: HashSet<u32> = dirty.iter().filter_map(|d| state.table_ids.get(d).copied()).collect();
    timer.lap("compare");
    let site = loaded.site.clone();
    let stable_jobs: Vec<String> = jobs.iter().map(|(_, job)| stable_job(&site, job)).collect();
    let stamps: Vec<Option<(u64, SystemTime)>> = jobs.iter().map(|(_, job)| copy_stamp(&loaded.root, job)).collect();
    if std::env::var_os("METROPORTAL_DEBUG_DEPS").is_some() {
        for (path, record) in &state.outputs {
            let hit: Vec<&Stable> =
                record.deps.iter().filter(|d| dirty.contains(*d)).map(|&d| &state.table[d as usize]).collect();
            if !hit.is_empty() {
                eprintln!("{path}: {hit:?}");
            }
        }
    }
    let select = |index: usize, _: &Job| match state.outputs.get(&jobs[index].0) {
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
    // A page that now goes into the search index changes the index: that is a whole build.
    if search
        && made.iter().any(|(index, bytes, _)| {
            super::plan::indexed(&site, &jobs[*index].1).is_some()
                && crate::search::wants_index(&String::from_utf8_lossy(bytes))
        })
    {
        return Ok(None);
    }

    // Write what differs, in place (each file atomically), then remove what is gone.
    // Every path is checked before anything is written, with the message `build` gives, so
    // that a bad slug leaves the output as it was.
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
    // What differs from the output as the last build left it.
    let hashes: Vec<(u128, bool)> = made
        .par_iter()
        .zip(&targets)
        .map(|((index, bytes, _), target)| {
            let hash = short(&blake3::hash(bytes));
            (hash, state.outputs.get(&jobs[*index].0).is_none_or(|r| r.hash != hash) || !target.is_file())
        })
        .collect();
    let planned: HashSet<&str> = jobs.iter().map(|(p, _)| p.as_str()).collect();
    let gone = state.outputs.keys().filter(|p| !planned.contains(p.as_str())).count();
    if max_changes.is_some_and(|max| hashes.iter().filter(|(_, w)| *w).count() + gone > max) {
        return Ok(None);
    }
    // Two passes, in parallel (a template edit writes thousands of files): every new file is
    // written beside its place first, then all are renamed into place, so that the moment in
    // which the output is part old and part new is as short as renaming them.
    let staged: Vec<Result<Option<PathBuf>, BuildError>> = made
        .par_iter()
        .zip(&targets)
        .zip(&hashes)
        .map(|(((_, bytes, _), target), (_, write))| {
            if !*write {
                return Ok(None);
            }
            write_beside(target, bytes)
                .map(Some)
                .map_err(|err| BuildError::Internal(format!("cannot write {}: {err}", target.display())))
        })
        .collect();
    let staged: Vec<Option<PathBuf>> = staged.into_iter().collect::<Result<_, _>>()?;
    staged.par_iter().zip(&targets).try_for_each(|(temp, target)| match temp {
        Some(temp) => std::fs::rename(temp, target)
            .map_err(|err| BuildError::Internal(format!("cannot write {}: {err}", target.display()))),
        None => Ok(()),
    })?;
    let mut written = 0;
    let mut records: HashMap<usize, Record> = HashMap::new();
    for ((index, _, deps), (hash, wrote)) in made.into_iter().zip(hashes) {
        written += u64::from(wrote);
        let deps = state.stabilize(&site, deps);
        records.insert(index, Record { job: stable_jobs[index].clone(), deps, hash, source: stamps[index] });
    }
    let rendered_paths: Vec<String> = {
        let mut indices: Vec<&usize> = records.keys().collect();
        indices.sort();
        indices.into_iter().map(|&i| jobs[i].0.clone()).collect()
    };
    let mut removed_paths = Vec::new();
    for path in state.outputs.keys().filter(|p| !planned.contains(p.as_str())) {
        remove_output(&options.output, path)
            .map_err(|err| BuildError::Internal(format!("cannot remove /{path}: {err}")))?;
        removed_paths.push(path.clone());
    }
    let mut old = std::mem::take(&mut state.outputs);
    state.outputs = jobs
        .iter()
        .enumerate()
        .map(|(index, (path, _))| {
            let record = records.remove(&index).or_else(|| old.remove(path)).expect("an output is either kept or made");
            (path.clone(), record)
        })
        .collect();
    state.prints = prints;
    state.markdown = markdown_of(&site);
    timer.lap("write");
    let pages = jobs.iter().filter(|(p, _)| p.ends_with(".html")).count();
    let mut warnings = loaded.warnings.clone();
    warnings.extend(problems);
    timer.timings.push(("total", started.elapsed()));
    let summary = BuildSummary {
        warnings,
        pages,
        files: jobs.len() + state.search_files,
        written,
        unchanged: (jobs.len() as u64).saturating_sub(written),
        timings: timer.timings,
        from_cache: false,
        rendered: Some(rendered_paths.len()),
    };
    Ok(Some(Partial { loaded, summary, rendered_paths, removed_paths }))
}

/// Every document's Markdown results by the document's digest.
fn markdown_of(site: &SiteData) -> HashMap<u64, std::sync::Arc<crate::markdown::Rendered>> {
    let nodes = site.library.nodes.untracked();
    let rendered = site.rendered.untracked();
    let mut known = HashMap::new();
    for (node, results) in nodes.iter().zip(rendered) {
        for (doc, result) in node.docs.iter().zip(results) {
            if let (Some(doc), Some(result)) = (doc, result) {
                known.insert(doc.digest(), result.clone());
            }
        }
    }
    known
}

/// The first half of a BLAKE3 hash: enough to tell two outputs apart.
fn short(hash: &blake3::Hash) -> u128 {
    u128::from_le_bytes(hash.as_bytes()[..16].try_into().expect("16 bytes"))
}

/// A hash of anything hashable; stable within one build of the generator (a cache written by
/// another binary is not used).
fn digest(value: &impl Hash) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// The fingerprints of `loaded`'s model. Where `previous` (the model `state` was made from) has
/// the same node with the same documents and paths, its reference's hash is taken from
/// `state` instead of hashing the reference again.
fn fingerprint(state: &mut State, loaded: &LoadedSite, previous: Option<&LoadedSite>) -> Fingerprints {
    let site = &*loaded.site;
    let nodes = site.library.nodes.untracked();
    let kept_ref = |y: NodeId| -> Option<u64> {
        let before = &*previous?.site;
        let &x = before.library.by_key.get(nodes[y].key.as_str())?;
        let id = state.key_ids.get(nodes[y].key.as_str())?;
        ref_inputs_same(before, x, site, y).then(|| state.prints.nodes.get(id).map(|p| p[1])).flatten()
    };
    let hashed: Vec<NodePrints> = (0..nodes.len()).into_par_iter().map(|y| node_prints(site, y, kept_ref(y))).collect();
    let mut prints = Fingerprints::default();
    for (node, hash) in nodes.iter().zip(hashed) {
        prints.nodes.insert(state.key_id(&node.key), hash);
    }
    prints.taxonomies = site.listings.taxonomies.untracked().iter().map(|t| taxonomy_print(site, t)).collect();
    prints.strings = site.locales.fingerprint(Some(&state.prints.strings));
    prints.templates = loaded.templates.source_prints();
    prints
}

/// Whether a node's reference is made from the same inputs in two models: the same documents
/// (shared between the two loads), paths, section and section paths.
fn ref_inputs_same(a: &SiteData, x: NodeId, b: &SiteData, y: NodeId) -> bool {
    let (na, nb) = (&a.library.nodes.untracked()[x], &b.library.nodes.untracked()[y]);
    let shared = na.docs.len() == nb.docs.len()
        && na.docs.iter().zip(&nb.docs).all(|(p, q)| match (p, q) {
            (Some(p), Some(q)) => std::sync::Arc::ptr_eq(p, q),
            (None, None) => true,
            _ => false,
        });
    let parent_paths_a = na.parent.map(|p| &a.library.nodes.untracked()[p].paths);
    let parent_paths_b = nb.parent.map(|p| &b.library.nodes.untracked()[p].paths);
    shared && na.paths == nb.paths && key_of(a, na.parent) == key_of(b, nb.parent) && parent_paths_a == parent_paths_b
}

/// The hashes of one node's facets; `kept_ref` is its reference's hash when known unchanged.
fn node_prints(site: &SiteData, id: NodeId, kept_ref: Option<u64>) -> NodePrints {
    let node = &site.library.nodes.untracked()[id];
    let docs: Vec<Option<u64>> = node.docs.iter().map(|d| d.as_deref().map(crate::content::Doc::digest)).collect();
    let whole = digest(&(
        docs,
        node.is_section,
        &node.stem,
        &node.paths,
        &node.assets,
        key_of(site, node.parent),
        keys_of(site, &node.pages),
        keys_of(site, &node.subsections),
    ));
    let reference = kept_ref.unwrap_or_else(|| digest(&site.views.refs.untracked()[id]));
    let listings = &site.listings;
    let neighbours: Vec<_> =
        listings.neighbours.untracked()[id].iter().map(|(p, n)| (key_of(site, *p), key_of(site, *n))).collect();
    [whole, reference, digest(&members(site, id)), digest(&neighbours), digest(&site.link_urls.untracked()[id])]
}

/// A taxonomy's terms, paths and pages (pages by key), as one hash.
fn taxonomy_print(site: &SiteData, taxonomy: &crate::content::listing::Taxonomy) -> u64 {
    let terms: Vec<Vec<_>> = taxonomy
        .terms
        .iter()
        .map(|terms| terms.iter().map(|t| (&t.name, &t.slug, &t.path, keys_of(site, &t.pages))).collect())
        .collect();
    digest(&(&taxonomy.name, taxonomy.paginate_by, &taxonomy.paths, terms))
}

/// What differs between the state's fingerprints and `now`, as the dependencies that changed;
/// `None` when it cannot be told (a template named through an expression, a changed Fluent
/// term).
fn dirty(state: &State, now: &Fingerprints, templates: &Templates) -> Option<HashSet<Stable>> {
    let before = &state.prints;
    let mut dirty = HashSet::new();
    let mut touched: BTreeSet<Facet> = BTreeSet::new();
    let ids: BTreeSet<u32> = before.nodes.keys().chain(now.nodes.keys()).copied().collect();
    for id in ids {
        match (before.nodes.get(&id), now.nodes.get(&id)) {
            (Some(a), Some(b)) => {
                for ((facet, x), y) in NODE_FACETS.iter().zip(a).zip(b) {
                    if x != y {
                        touched.insert(*facet);
                        dirty.insert(Stable::At(*facet, id));
                    }
                }
            }
            // Added or removed: everything about it, and every list of all nodes.
            _ => {
                for facet in NODE_FACETS {
                    touched.insert(facet);
                    dirty.insert(Stable::At(facet, id));
                }
            }
        }
    }
    for index in 0..before.taxonomies.len().max(now.taxonomies.len()) {
        if before.taxonomies.get(index) != now.taxonomies.get(index) {
            touched.insert(Facet::Taxonomy);
            dirty.insert(Stable::At(Facet::Taxonomy, index as u32));
        }
    }
    dirty.extend(touched.into_iter().map(Stable::All));
    for key in now.strings.changed_keys(&before.strings)? {
        dirty.insert(Stable::String(key.into()));
    }
    let changed: BTreeSet<String> = before
        .templates
        .iter()
        .filter(|(name, hash)| now.templates.get(*name) != Some(hash))
        .map(|(name, _)| name.clone())
        .chain(now.templates.keys().filter(|name| !before.templates.contains_key(*name)).cloned())
        .collect();
    if !changed.is_empty() {
        // The templates' current sources are enough: a template that stopped including a
        // changed one changed itself, so every path of includes from a page's template to a
        // changed one reaches a changed template along includes that still exist.
        for name in templates.affected_by(&changed)? {
            dirty.insert(Stable::Template(name.into()));
        }
    }
    Some(dirty)
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
fn globals(loaded: &LoadedSite, options: &BuildOptions) -> String {
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
    add("vocabulary", format!("{:?}", loaded.search_vocabulary).as_bytes());
    hasher.finalize().to_hex().to_string()
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

/// Writes `bytes` into a new file beside `target` (making its folder), to be renamed into place.
fn write_beside(target: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = target.with_file_name(format!(".{name}.partial"));
    std::fs::write(&temp, bytes)?;
    Ok(temp)
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
        /// clean build of the same sources makes: in `serve` (the model kept in memory) and in
        /// `build` with its cache (the records read back from `.built.deps`).
        #[test]
        fn random_edits_rebuild_to_the_same_output_as_a_clean_build(edits in prop::collection::vec(edit(), 2..7)) {
            let fixture = testing::typed();
            let root = fixture.dir.path();
            let served = root.join("served");
            let mut session = Session::new(options(root, &served));
            session.build(SearchIndex::KeepPrevious).expect("first build");
            let built = root.join("built");
            let cached = BuildOptions { cache: true, ..options(root, &built) };
            super::super::build(&cached).expect("first cached build");
            let mut created = Vec::new();
            let mut partial_builds = 0;
            for (step, edit) in edits.iter().enumerate() {
                apply(root, edit, &mut created);
                let rebuilt = session.build(SearchIndex::KeepPrevious);
                prop_assert!(rebuilt.is_ok(), "step {step} ({edit:?}): {rebuilt:?}");
                assert_same_as_clean_build(root, &served, &format!("step {step} ({edit:?})"));
                let summary = super::super::build(&cached);
                prop_assert!(summary.is_ok(), "build, step {step} ({edit:?}): {summary:?}");
                partial_builds += usize::from(summary.unwrap().rendered.is_some());
                assert_same_as_clean_build(root, &built, &format!("build, step {step} ({edit:?})"));
            }
            prop_assert!(partial_builds > 0, "some builds rendered only what changed");
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
        let (_, state) = session.last.as_ref().expect("built");
        let Some(id) = state.table_ids.get(dep) else { return BTreeSet::new() };
        state.outputs.iter().filter(|(_, r)| r.deps.contains(id)).map(|(p, _)| p.clone()).collect()
    }

    #[test]
    fn a_changed_template_renders_exactly_the_outputs_that_used_it() {
        let fixture = testing::typed();
        let root = fixture.dir.path();
        let mut session = session(root);
        let users = readers(&session, &Stable::Template("page.html".into()));
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
        let users = readers(&session, &Stable::String("footer-purpose".into()));
        let html = session.last.as_ref().unwrap().1.outputs.keys().filter(|p| p.ends_with(".html")).count();
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
        assert_eq!(rebuilt.rendered_paths.len(), session.last.as_ref().unwrap().1.outputs.len());
    }

    /// Every file under `dir` with its bytes, the search index included.
    fn every_file(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
            .collect()
    }

    #[test]
    fn a_page_whose_path_escapes_the_output_is_an_error_and_nothing_is_written() {
        let fixture = testing::typed();
        let root = fixture.dir.path();
        let mut session = session(root);
        let before = every_file(&root.join("served"));
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
        let after = every_file(&root.join("served"));
        assert!(before == after, "the served site is as it was");
        assert!(!root.join("poza").exists() && !root.parent().unwrap().join("poza").exists());
    }
}
