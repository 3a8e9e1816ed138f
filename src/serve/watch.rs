//! Watching the site's sources for `serve`: `content/`, `themes/`, `static/` (recursively),
//! `config.toml` and the data files `[data]` names wherever they are, through notify's debouncer, which merges the bursts of events one save makes
//! (write to a temporary file, rename over the original) into one batch per path.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// Folders under the site root whose changes mean a rebuild; `config.toml` is the one file.
pub(super) const WATCHED_DIRS: [&str; 3] = ["content", "themes", "static"];
const CONFIG: &str = "config.toml";

/// Quiet time after the last event of a path before the batch is sent. Editors write a file
/// in a few milliseconds; this is most of what a save waits before the rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(20);
const TICK: Duration = Duration::from_millis(5);

/// What the rebuild thread receives: changed paths relative to the root (empty when notify
/// lost track and asks for a rescan: rebuild anyway).
pub(super) type Batch = Vec<PathBuf>;

/// The running watcher; dropping it stops watching.
pub(super) struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    watched: BTreeSet<PathBuf>,
    /// The `[data]` files of config.toml (relative to the root), read again on every refresh.
    data: Arc<Mutex<Vec<PathBuf>>>,
}

impl Watcher {
    /// Starts watching `root` (canonical) and sends every relevant batch to `tx`.
    pub(super) fn start(root: &Path, tx: Sender<Batch>) -> notify::Result<Watcher> {
        let filter_root = root.to_path_buf();
        let data: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
        let filter_data = data.clone();
        let debouncer = new_debouncer(DEBOUNCE, Some(TICK), move |result: DebounceEventResult| {
            let batch = match result {
                Ok(events) => {
                    let mut paths = BTreeSet::new();
                    let mut rescan = false;
                    let data = filter_data.lock().map(|d| d.clone()).unwrap_or_default();
                    for event in events.iter().filter(|e| matters(&e.kind)) {
                        rescan |= event.need_rescan();
                        paths.extend(event.paths.iter().filter_map(|p| relevant(&filter_root, p, &data)));
                    }
                    if paths.is_empty() && !rescan {
                        return;
                    }
                    paths.into_iter().collect()
                }
                // A watch error (e.g. the inotify watch limit): rebuild, so nothing is missed.
                Err(errors) => {
                    for error in errors {
                        eprintln!("warning: file watching: {error}");
                    }
                    Vec::new()
                }
            };
            let _ = tx.send(batch);
        })?;
        let mut watcher = Watcher { root: root.to_path_buf(), debouncer, watched: BTreeSet::new(), data };
        // The root itself, not recursively: `config.toml` is replaced by a rename on save in
        // many editors, which a watch on the file itself would lose; and folders created later
        // (a new `static/`) show up here.
        watcher.debouncer.watch(root, RecursiveMode::NonRecursive)?;
        watcher.refresh()?;
        Ok(watcher)
    }

    /// Watches the source folders that exist now and were not watched yet (created, or deleted
    /// and created again, since the last batch).
    pub(super) fn refresh(&mut self) -> notify::Result<()> {
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            if path.is_dir() {
                if !self.watched.contains(&path) {
                    self.debouncer.watch(&path, RecursiveMode::Recursive)?;
                    self.watched.insert(path);
                }
            } else if self.watched.remove(&path) {
                let _ = self.debouncer.unwatch(&path);
            }
        }
        // Data files outside the watched folders (`[data] boundaries = "data/gminy.geojson"`):
        // their folder is watched (not the file: saving often replaces it by a rename).
        let files = data_files(&self.root);
        for file in &files {
            let dir = self.root.join(file).parent().map(Path::to_path_buf).unwrap_or_else(|| self.root.clone());
            if dir != self.root && dir.is_dir() && !self.watched.contains(&dir) {
                self.debouncer.watch(&dir, RecursiveMode::NonRecursive)?;
                self.watched.insert(dir);
            }
        }
        if let Ok(mut data) = self.data.lock() {
            *data = files;
        }
        Ok(())
    }
}

/// Whether an event kind can change what the build reads. Reading a file (the build itself
/// opens every source) and access-time updates cannot; without this filter every rebuild
/// would trigger the next one.
fn matters(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// The data files config.toml names (`[data] boundaries`, `sources`) that lie outside the
/// watched folders, relative to the root. Nothing when config.toml does not load (the build
/// reports why).
fn data_files(root: &Path) -> Vec<PathBuf> {
    let Some(config) = crate::config::Config::load(root, &crate::diagnostics::Diagnostics::new()) else {
        return Vec::new();
    };
    [config.data.boundaries, config.data.sources]
        .into_iter()
        .flatten()
        .map(PathBuf::from)
        .filter(|p| p.components().all(|c| matches!(c, Component::Normal(_))))
        .filter(|p| !p.components().next().is_some_and(|c| WATCHED_DIRS.iter().any(|d| c.as_os_str() == *d)))
        .collect()
}

/// A changed path relative to the root, if the build reads it: something under `content/`,
/// `themes/` or `static/`, `config.toml`, or one of the `data` files. Editor scratch files
/// (`.file.swp`, `file~`, vim's `4913` probe) are not.
pub(super) fn relevant(root: &Path, path: &Path, data: &[PathBuf]) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    if data.iter().any(|d| d == rel) {
        return Some(rel.to_path_buf());
    }
    let first = match rel.components().next()? {
        Component::Normal(first) => first.to_str()?,
        _ => return None,
    };
    let name = rel.file_name()?.to_string_lossy();
    let scratch = name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913";
    let watched = if rel.components().count() == 1 {
        first == CONFIG || WATCHED_DIRS.contains(&first)
    } else {
        WATCHED_DIRS.contains(&first)
    };
    (watched && !scratch).then(|| rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_matter() {
        let root = Path::new("/site");
        let data = [PathBuf::from("data/gminy.geojson")];
        let rel = |p: &str| relevant(root, Path::new(p), &data).map(|p| p.to_string_lossy().into_owned());
        // A data file named by config.toml, outside content/ (and nothing else beside it).
        assert_eq!(rel("/site/data/gminy.geojson").as_deref(), Some("data/gminy.geojson"));
        assert_eq!(rel("/site/data/notes.txt"), None);
        assert_eq!(rel("/site/content/a.md").as_deref(), Some("content/a.md"));
        assert_eq!(
            rel("/site/themes/portal/templates/base.html").as_deref(),
            Some("themes/portal/templates/base.html")
        );
        assert_eq!(rel("/site/config.toml").as_deref(), Some("config.toml"));
        assert_eq!(rel("/site/static").as_deref(), Some("static"));
        assert_eq!(rel("/site/public/index.html"), None);
        assert_eq!(rel("/site/.git/index"), None);
        assert_eq!(rel("/site/README.md"), None);
        assert_eq!(rel("/site/content/.a.md.swp"), None);
        assert_eq!(rel("/site/content/a.md~"), None);
        assert_eq!(rel("/site/content/4913"), None);
        assert_eq!(rel("/elsewhere/content/a.md"), None);
    }

    #[test]
    fn reads_do_not_trigger_rebuilds() {
        assert!(!matters(&EventKind::Access(AccessKind::Open(AccessMode::Any))));
        assert!(!matters(&EventKind::Access(AccessKind::Close(AccessMode::Read))));
        assert!(matters(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(matters(&EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any))));
        assert!(matters(&EventKind::Remove(notify::event::RemoveKind::File)));
    }
}
