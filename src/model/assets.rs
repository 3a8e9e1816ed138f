//! Assets: the theme's static files, fingerprinted (`site.css` → `site.<hash>.css`) so that they
//! can be cached for ever, and the site's own static files, copied as they are.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// Theme static files with content hashes in their names.
#[derive(Debug, Default, Clone)]
pub(crate) struct Assets {
    /// Path under `static/` (`css/site.css`) → output path (`css/site.1a2b3c4d5e.css`).
    pub hashed: BTreeMap<String, String>,
    /// Output path → source file (relative to the site root).
    pub files: BTreeMap<String, PathBuf>,
}

impl Assets {
    /// Collects `<theme>/static/**` (fingerprinted) and `<root>/static/**` (copied as they are).
    pub(crate) fn collect(theme_dir: &Path, root: &Path) -> io::Result<Assets> {
        let mut assets = Assets::default();
        let theme_static = theme_dir.join("static");
        // Sources are kept relative to the site root, like content files.
        let from_root = |path: PathBuf| path.strip_prefix(root).map(Path::to_path_buf).unwrap_or(path);
        for (rel, path) in list_files(&theme_static)? {
            let bytes = std::fs::read(&path)?;
            let path = from_root(path);
            let hash = blake3::hash(&bytes).to_hex();
            let hashed = match rel.rsplit_once('.') {
                Some((stem, ext)) if !stem.ends_with('/') && !stem.is_empty() => {
                    format!("{stem}.{}.{ext}", &hash[..10])
                }
                _ => format!("{rel}.{}", &hash[..10]),
            };
            assets.files.insert(hashed.clone(), path);
            assets.hashed.insert(rel, hashed);
        }
        for (rel, path) in list_files(&root.join("static"))? {
            assets.files.insert(rel, from_root(path));
        }
        Ok(assets)
    }
}

fn list_files(dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_file() && !entry.file_name().to_string_lossy().starts_with('.') {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            out.push((rel.to_string_lossy().replace('\\', "/"), entry.into_path()));
        }
    }
    Ok(out)
}
