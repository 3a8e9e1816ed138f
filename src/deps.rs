//! Dependencies: what each output was made from, recorded while it renders. The site model keeps
//! its per-node tables in [`Tracked`] vectors, whose reads note the facet and node they touched
//! in the recorder of the running thread; UI strings note their key. A render wrapped in
//! [`recording`] gets back the set of everything it read, so that a later change re-renders
//! exactly the outputs that read what changed (`site::incremental`). Nothing is maintained by
//! hand: a new template, view or function that reads the model is tracked by reading it.
//!
//! Reads outside a recording (loading, planning, tests) cost one thread-local check.

use std::cell::RefCell;
use std::collections::HashSet;
use std::ops::{Deref, Index, IndexMut};

/// Which part of the model a read touched. Each facet of a node is compared on its own between
/// two builds, so a title shown in lists and a body shown on one page change different outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub(crate) enum Facet {
    /// Everything about a node: its files' text, front matter, paths, parent and children.
    Node,
    /// The light reference of a node (title, description, dates, path): what lists show.
    Ref,
    /// A section's pages and subsections in listing order.
    Members,
    /// A page's previous and next page.
    Neighbours,
    /// The resolved URLs of a node's `@/` links.
    Links,
    /// A taxonomy's terms and the pages of each term.
    Taxonomy,
}

/// One thing a render read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Dep {
    /// One entry (a node, a section, a taxonomy) of a facet.
    At(Facet, u32),
    /// Every entry of a facet (an iteration over all nodes, say).
    All(Facet),
    /// A UI string, by its Fluent key (in whatever language).
    String(Box<str>),
    /// A template the render started from (what it extends, includes and imports follows from
    /// its source: `Templates::affected_by`).
    Template(Box<str>),
}

/// What one render read.
pub(crate) type DepSet = HashSet<Dep>;

/// What the renders of a whole build read, each dependency stored once and every render's reads
/// as positions in the table: a build of 35,000 outputs would otherwise hold 35,000 sets.
#[derive(Default)]
pub(crate) struct Interned {
    pub table: Vec<Dep>,
    ids: std::collections::HashMap<Dep, u32>,
}

impl Interned {
    /// The positions of `deps` in the table, which grows by the ones it did not have.
    pub(crate) fn intern(&mut self, deps: DepSet) -> Box<[u32]> {
        deps.into_iter()
            .map(|dep| {
                if let Some(&id) = self.ids.get(&dep) {
                    return id;
                }
                let id = self.table.len() as u32;
                self.table.push(dep.clone());
                self.ids.insert(dep, id);
                id
            })
            .collect()
    }
}

thread_local! {
    /// The recordings running on this thread, innermost last. A stack, because a cached view is
    /// made inside the render that first asks for it and keeps its own record.
    static RECORDERS: RefCell<Vec<DepSet>> = const { RefCell::new(Vec::new()) };
}

/// Notes a read in the innermost recording of this thread, if any.
pub(crate) fn record(dep: Dep) {
    RECORDERS.with(|stack| {
        if let Some(top) = stack.borrow_mut().last_mut() {
            top.insert(dep);
        }
    });
}

/// Notes reads made earlier and cached (a view made once and shared): whoever uses the cached
/// value depends on what making it read.
pub(crate) fn replay(deps: &DepSet) {
    RECORDERS.with(|stack| {
        if let Some(top) = stack.borrow_mut().last_mut() {
            top.extend(deps.iter().cloned());
        }
    });
}

/// Runs `f` and returns what it read. Recordings nest: the outer one does not see the inner
/// one's reads unless the inner one [`replay`]s them.
pub(crate) fn recording<T>(f: impl FnOnce() -> T) -> (T, DepSet) {
    RECORDERS.with(|stack| stack.borrow_mut().push(DepSet::new()));
    // Popped even when `f` panics, so that a caught panic does not leave a stale recorder.
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            RECORDERS.with(|stack| stack.borrow_mut().pop());
        }
    }
    let pop = Pop;
    let value = f();
    let deps = RECORDERS.with(|stack| stack.borrow_mut().last_mut().map(std::mem::take).unwrap_or_default());
    drop(pop);
    (value, deps)
}

/// A per-node (or per-section, per-taxonomy) table of the model whose reads are recorded as
/// `facet`. Indexing, `get` and iteration record; `Deref` to the slice is for code that runs
/// outside a render (loading, planning) and would record nothing anyway.
#[derive(Debug, Clone)]
pub(crate) struct Tracked<T> {
    items: Vec<T>,
    facet: Facet,
}

impl<T> Tracked<T> {
    pub(crate) fn new(facet: Facet, items: Vec<T>) -> Self {
        Tracked { items, facet }
    }

    #[allow(dead_code, reason = "shadows the slice's `get`, which would read without recording")]
    pub(crate) fn get(&self, index: usize) -> Option<&T> {
        record(Dep::At(self.facet, index as u32));
        self.items.get(index)
    }

    /// The entries without recording: for comparing two models, outside any render.
    pub(crate) fn untracked(&self) -> &[T] {
        &self.items
    }

    /// Every entry, recorded as a read of all of them.
    pub(crate) fn iter(&self) -> std::slice::Iter<'_, T> {
        record(Dep::All(self.facet));
        self.items.iter()
    }
}

impl<T> Default for Tracked<T> {
    fn default() -> Self {
        Tracked { items: Vec::new(), facet: Facet::Node }
    }
}

impl<T> Index<usize> for Tracked<T> {
    type Output = T;
    fn index(&self, index: usize) -> &T {
        record(Dep::At(self.facet, index as u32));
        &self.items[index]
    }
}

impl<T> IndexMut<usize> for Tracked<T> {
    fn index_mut(&mut self, index: usize) -> &mut T {
        &mut self.items[index]
    }
}

impl<T> Deref for Tracked<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<'a, T> IntoIterator for &'a Tracked<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// `deps` with every read of a whole node narrowed to a read of its light reference: for a
/// caller that reads of nodes only what their references hold (paths, languages, dates), so
/// that a change elsewhere in a node does not reach it.
pub(crate) fn as_references(deps: DepSet) -> DepSet {
    deps.into_iter()
        .map(|dep| match dep {
            Dep::At(Facet::Node, node) => Dep::At(Facet::Ref, node),
            Dep::All(Facet::Node) => Dep::All(Facet::Ref),
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_inside_a_recording_are_returned_and_nested_recordings_keep_their_own() {
        let table = Tracked::new(Facet::Ref, vec!["a", "b", "c"]);
        let (_, outer) = recording(|| {
            let _ = table[1];
            let (_, inner) = recording(|| table[2]);
            assert_eq!(inner, DepSet::from([Dep::At(Facet::Ref, 2)]));
            record(Dep::String("title".into()));
        });
        assert_eq!(outer, DepSet::from([Dep::At(Facet::Ref, 1), Dep::String("title".into())]));
        let (_, all) = recording(|| table.iter().count());
        assert_eq!(all, DepSet::from([Dep::All(Facet::Ref)]));
        // Outside a recording nothing is kept (and nothing fails).
        let _ = table[0];
    }

    #[test]
    fn a_replayed_record_joins_the_current_one() {
        let cached = DepSet::from([Dep::At(Facet::Members, 4)]);
        let (_, deps) = recording(|| replay(&cached));
        assert_eq!(deps, cached);
    }
}
