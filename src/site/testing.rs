//! Fixture sites for the build's unit tests: `tests/fixtures/typed` with the portal theme,
//! copied into a temporary folder (optionally with files replaced) and loaded.

use std::path::Path;

use super::{LoadedSite, load};
use crate::diagnostics::Diagnostic;

/// A loaded copy of the typed fixture; the folder lives as long as this.
pub(super) struct Fixture {
    pub dir: tempfile::TempDir,
    pub loaded: LoadedSite,
}

/// The typed fixture with `files` (path under the site, text) written over it.
pub(super) fn typed_with(files: &[(&str, &str)]) -> Result<Fixture, (tempfile::TempDir, Vec<Diagnostic>)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&manifest.join("tests/fixtures/typed"), dir.path());
    copy_tree(&manifest.join("themes"), &dir.path().join("themes"));
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    match load(dir.path(), None, false) {
        Ok(loaded) => Ok(Fixture { dir, loaded }),
        Err(diagnostics) => Err((dir, diagnostics)),
    }
}

/// The typed fixture as it is.
pub(super) fn typed() -> Fixture {
    typed_with(&[]).unwrap_or_else(|(_, d)| panic!("the typed fixture loads: {d:?}"))
}

/// The text of a fixture file, to derive an edited copy from.
pub(super) fn fixture_text(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/typed").join(rel)).unwrap()
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
