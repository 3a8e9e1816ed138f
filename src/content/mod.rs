//! Content: walks `content/`, reads every Markdown file in parallel, groups language versions
//! of the same page (`name.md`, `name.en.md`, `name.uk.md`) into one [`Node`], builds the
//! section tree, gives every node its URL in every language and attaches co-located assets.
//!
//! Nothing here knows about templates or output; problems go to [`Diagnostics`].
//!
//! Size: about 600 lines with its tests; loading, languages and URLs are one pass over the
//! files (each decides the others' paths), so they stay together.

pub(crate) mod front_matter;
pub(crate) mod listing;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::deps::{Facet, Tracked};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, display_path};
use crate::slug::slugify;
use front_matter::{FrontMatter, KindParser};

/// Index of a node in [`Library::nodes`].
pub(crate) type NodeId = usize;

/// One language version of a page or section: one Markdown file.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    /// Path relative to the site root, e.g. `content/forum/x.en.md`.
    pub file: PathBuf,
    /// The whole file, kept to point diagnostics at lines.
    pub text: String,
    pub body_offset: usize,
    pub fm: FrontMatter,
    /// The file's length, modification time and inode when it was read; `None` when the file
    /// changed less than a second before (a second save within the clock's resolution could
    /// keep all three), so that a later load reads it again instead of trusting them.
    pub stamp: Option<Stamp>,
    /// A hash of `file` and `text`, made once (documents are shared between `serve`'s builds).
    pub digest: std::sync::OnceLock<u64>,
}

/// What identifies one version of a file without reading it (as git's index does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    len: u64,
    modified: std::time::SystemTime,
    inode: u64,
}

impl Stamp {
    /// The stamp of a file, if its modification is old enough to be trusted.
    fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt as _;
        let modified = meta.modified().ok()?;
        let settled = std::time::SystemTime::now().duration_since(modified).is_ok_and(|age| age.as_secs() >= 1);
        settled.then_some(Stamp { len: meta.len(), modified, inode: meta.ino() })
    }
}

impl Doc {
    pub(crate) fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    pub(crate) fn title(&self) -> &str {
        self.fm.title.as_deref().unwrap_or_default()
    }

    /// A hash of the file's path and text: equal digests mean the same document source.
    pub(crate) fn digest(&self) -> u64 {
        *self.digest.get_or_init(|| {
            let mut hasher = blake3::Hasher::new();
            hasher.update(self.file.as_os_str().as_encoded_bytes());
            hasher.update(&[0]);
            hasher.update(self.text.as_bytes());
            u64::from_le_bytes(hasher.finalize().as_bytes()[..8].try_into().expect("8 bytes"))
        })
    }
}

/// A page or section in every language it exists in.
#[derive(Debug)]
pub(crate) struct Node {
    /// The content path that `@/` links use: `forum/x.md`, `forum/_index.md`, `_index.md`,
    /// `forum/meeting/index.md` (a page bundle).
    pub key: String,
    pub is_section: bool,
    /// The name the default slug comes from: the file stem, or the folder of a section or bundle.
    pub stem: String,
    pub parent: Option<NodeId>,
    /// Language versions, indexed like `Config::languages`.
    /// Shared, so that a rebuild of the dev server takes an unchanged document without copying it.
    pub docs: Vec<Option<Arc<Doc>>>,
    /// For sections: child pages and child sections, in file-name order.
    pub pages: Vec<NodeId>,
    pub subsections: Vec<NodeId>,
    /// Co-located files: (path relative to the site root, path relative to the node's folder).
    pub assets: Vec<(PathBuf, String)>,
    /// Site path (without the base path) in each language, e.g. `/en/forum/x/`; `None` when the
    /// node does not exist in that language (not even as a Polish fallback).
    pub paths: Vec<Option<String>>,
}

impl Node {
    /// The document shown in language `lang`: its own version, or the default-language one.
    pub(crate) fn doc_for(&self, lang: usize, default: usize) -> Option<&Doc> {
        self.docs[lang].as_deref().or(self.docs[default].as_deref())
    }

    /// Whether `lang` shows the default-language text because no translation exists.
    pub(crate) fn is_fallback(&self, lang: usize) -> bool {
        self.docs[lang].is_none()
    }

    /// Any existing version, for error locations.
    pub(crate) fn any_doc(&self) -> &Doc {
        self.docs.iter().flatten().next().expect("a node has at least one document")
    }
}

/// Every page and section of the site.
#[derive(Debug)]
pub(crate) struct Library {
    /// Reads during a render are recorded ([`crate::deps`]).
    pub nodes: Tracked<Node>,
    pub by_key: HashMap<String, NodeId>,
    /// The home section (`content/_index.md`).
    pub home: NodeId,
    /// Language codes in config order, and the index of the default one.
    pub langs: Vec<String>,
    pub default_lang: usize,
}

impl Library {
    pub(crate) fn lang_index(&self, code: &str) -> Option<usize> {
        self.langs.iter().position(|l| l == code)
    }

    /// The node an `@/` path names (`forum/x.md`, also accepting `forum/x.en.md`).
    pub(crate) fn resolve_key(&self, path: &str) -> Option<NodeId> {
        let path = path.trim_start_matches('/');
        if let Some(&id) = self.by_key.get(path) {
            return Some(id);
        }
        let (stem, lang) = split_lang(path.strip_suffix(".md")?);
        lang.filter(|l| self.langs.iter().any(|x| x == l))?;
        self.by_key.get(&format!("{stem}.md")).copied()
    }
}

struct ParsedFile {
    key: String,
    lang: usize,
    is_section: bool,
    stem: String,
    doc: Arc<Doc>,
}

/// Documents of an earlier load that a new load may take as they are when their file's text
/// is unchanged (the dev server's rebuilds): parsing front matter is most of loading.
#[derive(Default)]
pub(crate) struct Reuse<'a> {
    docs: HashMap<&'a Path, &'a Arc<Doc>>,
}

impl<'a> Reuse<'a> {
    /// Every document of `library` except those of `skip` (files that had warnings, which a
    /// new parse must report again).
    pub(crate) fn of(library: &'a Library, skip: &HashSet<&Path>) -> Reuse<'a> {
        let docs = library
            .nodes
            .untracked()
            .iter()
            .flat_map(|node| node.docs.iter().flatten())
            .filter(|doc| !skip.contains(doc.file.as_path()))
            .map(|doc| (doc.file.as_path(), doc))
            .collect();
        Reuse { docs }
    }
}

/// Loads `<root>/content`. Returns `None` when there were errors (all reported).
pub(crate) fn load(
    root: &Path,
    config: &Config,
    drafts: bool,
    kinds: &dyn KindParser,
    reuse: &Reuse<'_>,
    diags: &Diagnostics,
) -> Option<Library> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::error("content-missing", "the site has no content/ folder")
                .at(Location::file("content"))
                .hint("create content/_index.md for the home page"),
        );
        return None;
    }
    let langs: Vec<String> = config.language_codes().map(str::to_string).collect();
    let default_lang = langs.iter().position(|l| *l == config.default_language)?;

    // Walk in file-name order so that everything downstream is deterministic.
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    for entry in WalkDir::new(&content_dir).sort_by_file_name().into_iter().filter_entry(|e| !is_ignored(e.file_name()))
    {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf()).unwrap_or_default();
                diags.push(Diagnostic::error("io", format!("cannot read: {err}")).at(Location::file(path)));
                continue;
            }
        };
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        if entry.file_type().is_symlink() {
            diags.push(symlink_warning(root, entry.path(), &rel));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if entry.path().extension().is_some_and(|e| e == "md") {
            markdown.push(rel);
        } else {
            assets.push(rel);
        }
    }

    let read: Vec<Read> =
        markdown.par_iter().map(|rel| read_file(root, rel, &langs, default_lang, kinds, reuse, diags)).collect();
    // A file that failed to parse still exists for the rest of the pipeline (by its key), so
    // that its one error is not followed by an error for every page below it.
    let mut failed = HashSet::new();
    let mut parsed = Vec::new();
    for r in read {
        match r {
            Read::Parsed(p) if drafts || !p.doc.fm.draft => parsed.push(*p),
            Read::Parsed(_) | Read::Skipped => {}
            Read::Failed(key) => {
                failed.insert(key);
            }
        }
    }

    let mut library = assemble(parsed, langs, default_lang, &failed, diags)?;
    attach_assets(&mut library, assets, diags);
    assign_paths(&mut library, config, &failed, diags);
    check_duplicate_paths(&library, diags);
    (!diags.has_errors()).then_some(library)
}

fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp")
}

/// A warning for a symbolic link inside `content/`: the build does not follow links, so the
/// page or asset it stands for is not published, and a link out of the site never is.
fn symlink_warning(root: &Path, path: &Path, rel: &Path) -> Diagnostic {
    let inside = match (std::fs::canonicalize(path), std::fs::canonicalize(root)) {
        (Ok(target), Ok(root)) => Some(target.starts_with(root)),
        _ => None,
    };
    let (code, message) = match inside {
        Some(false) => ("symlink-outside", "this symbolic link points outside the site; it is skipped, not published"),
        Some(true) => ("symlink-skipped", "this is a symbolic link; links are not followed, so it is skipped"),
        None => ("symlink-broken", "this symbolic link points to nothing; it is skipped"),
    };
    Diagnostic::warning(code, message)
        .at(Location::file(rel))
        .hint("copy the file into content/ instead of linking to it")
}

/// What reading one Markdown file gave.
enum Read {
    Parsed(Box<ParsedFile>),
    /// Its problems are reported; the key (`a/b.md`) still exists for the rest of the pipeline.
    Failed(String),
    /// Not a content file (its problem is reported where it applies).
    Skipped,
}

/// The line and column (1-based, in characters) of the byte at `offset` of `bytes`, whose
/// first `offset` bytes are valid UTF-8.
fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

/// Splits `name.en` into (`name`, Some(`en`)) when the suffix looks like a language code (two
/// or three ASCII letters, in any case: `.EN` is a mistake to report, not part of the name).
fn split_lang(name: &str) -> (&str, Option<&str>) {
    match name.rsplit_once('.') {
        Some((stem, code)) if (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphabetic()) => {
            (stem, Some(code))
        }
        _ => (name, None),
    }
}

fn read_file(
    root: &Path,
    rel: &Path,
    langs: &[String],
    default_lang: usize,
    kinds: &dyn KindParser,
    reuse: &Reuse<'_>,
    diags: &Diagnostics,
) -> Read {
    let Some(file_name) = rel.file_name().map(|n| n.to_string_lossy()) else { return Read::Skipped };
    let Some(name) = file_name.strip_suffix(".md") else { return Read::Skipped };
    let (stem, code) = split_lang(name);
    let content_rel = rel.strip_prefix("content").unwrap_or(rel);
    let dir = content_rel.parent().map(display_path).unwrap_or_default();
    let key = if dir.is_empty() { format!("{stem}.md") } else { format!("{dir}/{stem}.md") };
    let full = root.join(rel);
    // An earlier document whose file has the same stamp is taken without reading the file.
    if let Some(doc) = reuse.docs.get(rel)
        && doc.stamp.is_some()
        && std::fs::metadata(&full).ok().as_ref().and_then(Stamp::of) == doc.stamp
    {
        let is_section = stem == "_index";
        let folder = dir.rsplit('/').next().unwrap_or_default().to_string();
        let node_stem = if is_section || stem == "index" { folder } else { stem.to_string() };
        let lang = code.map_or(Some(default_lang), |code| langs.iter().position(|l| l == code));
        if let Some(lang) = lang {
            return Read::Parsed(Box::new(ParsedFile { key, lang, is_section, stem: node_stem, doc: Arc::clone(doc) }));
        }
    }
    let (bytes, stamp) = match read_with_stamp(&full) {
        Ok(read) => read,
        Err(err) => {
            diags.push(Diagnostic::error("io", format!("cannot read the file: {err}")).at(Location::file(rel)));
            return Read::Failed(key);
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let bytes = err.as_bytes();
            let offset = err.utf8_error().valid_up_to();
            let (line, column) = line_col(bytes, offset);
            let line_end = bytes[offset..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| offset + i);
            let line_start = offset - (bytes[..offset].iter().rev().position(|&b| b == b'\n').unwrap_or(offset));
            diags.push(
                Diagnostic::error(
                    "not-utf8",
                    format!("the file is not valid UTF-8: byte 0x{:02X} at line {line}, column {column}", bytes[offset]),
                )
                .at(Location {
                    line,
                    column,
                    width: 1,
                    line_text: Some(String::from_utf8_lossy(&bytes[line_start..line_end]).trim_end().to_string()),
                    ..Location::file(rel)
                })
                .hint("re-save the file as UTF-8 (in the editor's \"Save as\" or encoding menu; Windows-1250 and ISO-8859-2 are not accepted)"),
            );
            return Read::Failed(key);
        }
    };
    let lang = match code {
        None => default_lang,
        Some(code) => match langs.iter().position(|l| l == code) {
            Some(i) => i,
            None => {
                let lower = code.to_ascii_lowercase();
                let diag = if code != lower && langs.contains(&lower) {
                    Diagnostic::error(
                        "language-case",
                        format!("`{code}` in the file name is written in capitals; language codes are lower-case"),
                    )
                    .hint(format!("rename the file to {stem}.{lower}.md"))
                } else {
                    Diagnostic::error("unknown-language", format!("`{code}` in the file name is not a configured language"))
                        .hint(format!(
                            "translations are named name.LANG.md with LANG one of {}; rename the file or add the language to config.toml",
                            langs.join(", ")
                        ))
                };
                diags.push(diag.at(Location { line: 1, ..Location::file(rel) }));
                return Read::Skipped;
            }
        },
    };
    let folder = dir.rsplit('/').next().unwrap_or_default().to_string();
    let node_stem = if stem == "_index" || stem == "index" { folder } else { stem.to_string() };
    let is_section = stem == "_index";
    if let Some(doc) = reuse.docs.get(rel).filter(|doc| doc.text == text) {
        let doc = Arc::new(Doc { stamp, ..(***doc).clone() });
        return Read::Parsed(Box::new(ParsedFile { key, lang, is_section, stem: node_stem, doc }));
    }
    let split = match front_matter::split(rel, &text) {
        Ok(split) => split,
        Err(diag) => {
            diags.push(diag);
            return Read::Failed(key);
        }
    };
    let fm = match front_matter::parse(rel, &text, &split, is_section, kinds) {
        Ok(fm) => fm,
        Err(problems) => {
            diags.extend(problems);
            return Read::Failed(key);
        }
    };
    // CommonMark: a NUL character in the text is replaced by U+FFFD (only the Markdown body:
    // the front matter is TOML, where it is an error of its own).
    let body_offset = split.body_offset;
    let text = if text[body_offset..].contains('\0') {
        format!("{}{}", &text[..body_offset], text[body_offset..].replace('\0', "\u{FFFD}"))
    } else {
        text
    };
    if lang == default_lang
        && let Some(hash) = &fm.source_hash
    {
        // Only a translation records what it was translated from.
        diags.push(
            Diagnostic::error("source-hash-in-source", "`source_hash` belongs in translations, not in the source file")
                .at(Location::from_span(rel, &text, hash.span.clone()))
                .hint("remove the line; `metroportal translated name.LANG.md` writes it into the translation"),
        );
        return Read::Failed(key);
    }
    Read::Parsed(Box::new(ParsedFile {
        key,
        lang,
        is_section,
        stem: node_stem,
        doc: Arc::new(Doc { file: rel.to_path_buf(), text, body_offset, fm, stamp, digest: Default::default() }),
    }))
}

/// A file's bytes and its stamp, taken from the open file (one `fstat`, which reading needs
/// anyway for its size).
fn read_with_stamp(path: &Path) -> std::io::Result<(Vec<u8>, Option<Stamp>)> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes)?;
    Ok((bytes, Stamp::of(&meta)))
}

/// The key of the section that holds `key`: `a/b/x.md` → `a/b/_index.md`,
/// `a/b/_index.md` → `a/_index.md`, `a/x/index.md` → `a/_index.md`.
fn parent_key(key: &str, is_section: bool) -> Option<String> {
    if key == "_index.md" {
        return None;
    }
    let dir = key.rsplit_once('/').map_or("", |(d, _)| d);
    let bundle = key.ends_with("/index.md") || key == "index.md";
    let dir = if is_section || bundle { dir.rsplit_once('/').map_or("", |(d, _)| d) } else { dir };
    Some(if dir.is_empty() { "_index.md".to_string() } else { format!("{dir}/_index.md") })
}

fn assemble(
    parsed: Vec<ParsedFile>,
    langs: Vec<String>,
    default_lang: usize,
    failed: &HashSet<String>,
    diags: &Diagnostics,
) -> Option<Library> {
    let mut nodes: Vec<Node> = Vec::new();
    let mut by_key: HashMap<String, NodeId> = HashMap::new();
    for p in parsed {
        let id = *by_key.entry(p.key.clone()).or_insert_with(|| {
            nodes.push(Node {
                key: p.key.clone(),
                is_section: p.is_section,
                stem: p.stem.clone(),
                parent: None,
                docs: (0..langs.len()).map(|_| None).collect(),
                pages: Vec::new(),
                subsections: Vec::new(),
                assets: Vec::new(),
                paths: vec![None; langs.len()],
            });
            nodes.len() - 1
        });
        let slot = &mut nodes[id].docs[p.lang];
        if let Some(existing) = slot {
            diags.push(
                Diagnostic::error(
                    "duplicate-translation",
                    format!("two files are the {} version of `{}`", langs[p.lang], p.key),
                )
                .at(Location::file(&p.doc.file))
                .hint(format!(
                    "keep one of {} and {}",
                    display_path(&existing.file),
                    display_path(&p.doc.file)
                )),
            );
            continue;
        }
        *slot = Some(p.doc);
    }
    let Some(&home) = by_key.get("_index.md") else {
        if failed.contains("_index.md") {
            // content/_index.md exists and its problem is reported.
            return None;
        }
        diags.push(
            Diagnostic::error("home-missing", "the site has no home page")
                .at(Location::file("content/_index.md"))
                .hint("create content/_index.md with at least title = \"…\""),
        );
        return None;
    };
    let keys: Vec<String> = nodes.iter().map(|n| n.key.clone()).collect();
    for (id, key) in keys.iter().enumerate() {
        let Some(parent) = parent_key(key, nodes[id].is_section) else {
            continue;
        };
        match by_key.get(&parent) {
            Some(&pid) => {
                nodes[id].parent = Some(pid);
                if nodes[id].is_section {
                    nodes[pid].subsections.push(id);
                } else {
                    nodes[pid].pages.push(id);
                }
            }
            // The section's file exists but failed to parse: that error is the one to fix.
            None if failed.contains(&parent) => {}
            None => {
                let folder = parent.trim_end_matches("_index.md");
                diags.push(
                    Diagnostic::error("section-missing", format!("the folder content/{folder} has no _index.md"))
                        .at(Location::file(&nodes[id].any_doc().file))
                        .hint(format!("create content/{parent} with a title, so that the section has a page")),
                );
            }
        }
    }
    Some(Library { nodes: Tracked::new(Facet::Node, nodes), by_key, home, langs, default_lang })
}

/// Gives every non-Markdown file to the nearest page bundle or section above it.
fn attach_assets(library: &mut Library, assets: Vec<PathBuf>, diags: &Diagnostics) {
    for rel in assets {
        let content_rel = display_path(rel.strip_prefix("content").unwrap_or(&rel));
        let mut dir = content_rel.rsplit_once('/').map_or("", |(d, _)| d);
        let owner = loop {
            let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
            let found = library
                .by_key
                .get(&format!("{prefix}index.md"))
                .or_else(|| library.by_key.get(&format!("{prefix}_index.md")));
            if let Some(&id) = found {
                break Some((id, prefix));
            }
            if dir.is_empty() {
                break None;
            }
            dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
        };
        match owner {
            Some((id, prefix)) => {
                let inner = content_rel[prefix.len()..].to_string();
                library.nodes[id].assets.push((rel, inner));
            }
            None => diags.push(
                Diagnostic::warning("asset-orphan", "this file belongs to no section and is not copied")
                    .at(Location::file(&rel)),
            ),
        }
    }
}

/// Whether a slug from front matter can be used as one URL segment.
fn slug_problem(slug: &str) -> Option<&'static str> {
    if slug.is_empty() {
        Some("the slug is empty")
    } else if slug.contains('/') || slug.contains('\\') {
        Some("a slug is one URL segment and cannot contain `/` or `\\`")
    } else if slug.contains("..") || slug.starts_with('.') {
        Some("a slug cannot contain `..` or start with `.`: it would point outside its section")
    } else if !slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')) {
        Some("a slug may contain only lower-case ASCII letters, digits, `-`, `_` and `.`")
    } else {
        None
    }
}

fn assign_paths(library: &mut Library, config: &Config, failed: &HashSet<String>, diags: &Diagnostics) {
    let default = library.default_lang;
    // Report invalid slugs once, where they are written.
    for node in &library.nodes {
        for doc in node.docs.iter().flatten() {
            if let Some(slug) = &doc.fm.slug
                && let Some(problem) = slug_problem(&slug.value)
            {
                let suggestion = slugify(&slug.value.replace("..", "-"), "pl");
                diags.push(
                    Diagnostic::error("slug-invalid", format!("invalid slug `{}`: {problem}", slug.value))
                        .at(Location::from_span(&doc.file, &doc.text, slug.span.clone()))
                        .hint(if suggestion.is_empty() {
                            "use lower-case letters, digits and hyphens".to_string()
                        } else {
                            format!("for example slug = \"{suggestion}\"")
                        }),
                );
            }
        }
    }
    // Parents before children: walk the tree from the home section.
    let mut order = vec![library.home];
    let mut i = 0;
    while i < order.len() {
        let node = &library.nodes[order[i]];
        order.extend(node.subsections.iter().chain(&node.pages));
        i += 1;
    }
    // Nodes below a file that failed to parse: their missing paths are not problems of their own.
    let mut below_failed = vec![false; library.nodes.len()];
    for &id in &order {
        let node = &library.nodes[id];
        below_failed[id] = node.parent.is_some_and(|p| below_failed[p] || failed.contains(&library.nodes[p].key));
    }
    for id in order {
        for (lang, code) in library.langs.iter().enumerate() {
            let node = &library.nodes[id];
            let Some(doc) = node.doc_for(lang, default) else {
                continue;
            };
            let path = match node.parent {
                None => format!("{}/", config.lang_prefix(code)),
                Some(parent) => {
                    let Some(parent_path) = library.nodes[parent].paths[lang].clone() else {
                        if node.docs[lang].is_some() && !below_failed[id] {
                            diags.push(
                                Diagnostic::error(
                                    "section-missing",
                                    format!("this page exists in `{code}` but its section has no version in `{code}` or in the default language"),
                                )
                                .at(Location::file(&doc.file))
                                .hint("give the folder an _index.md (the default language), or move the page"),
                            );
                        }
                        continue;
                    };
                    let slug = match &doc.fm.slug {
                        Some(slug) if slug_problem(&slug.value).is_none() => slug.value.clone(),
                        Some(_) => continue,
                        // A fallback keeps the slug of the text it shows.
                        None => {
                            slugify(&node.stem, &library.langs[if node.docs[lang].is_some() { lang } else { default }])
                        }
                    };
                    format!("{parent_path}{slug}/")
                }
            };
            library.nodes[id].paths[lang] = Some(path);
        }
    }
}

fn check_duplicate_paths(library: &Library, diags: &Diagnostics) {
    let mut seen: BTreeMap<&str, (NodeId, usize)> = BTreeMap::new();
    let mut reported: Vec<(NodeId, NodeId)> = Vec::new();
    for (id, node) in library.nodes.iter().enumerate() {
        for (lang, path) in node.paths.iter().enumerate() {
            let Some(path) = path else { continue };
            if let Some(&(other, other_lang)) = seen.get(path.as_str()) {
                // One report per pair of pages, not one per language they collide in.
                if reported.contains(&(other, id)) {
                    continue;
                }
                reported.push((other, id));
                let this = node.doc_for(lang, library.default_lang).unwrap_or(node.any_doc());
                let that = library.nodes[other]
                    .doc_for(other_lang, library.default_lang)
                    .unwrap_or(library.nodes[other].any_doc());
                let location = match &this.fm.slug {
                    Some(slug) => Location::from_span(&this.file, &this.text, slug.span.clone()),
                    None => Location::file(&this.file),
                };
                diags.push(
                    Diagnostic::error("duplicate-url", format!("two pages have the same URL {path}"))
                        .at(location)
                        .lang(&library.langs[lang])
                        .hint(format!("{} has the same URL; give one of them another slug", display_path(&that.file))),
                );
            } else {
                seen.insert(path, (id, lang));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_keys() {
        assert_eq!(parent_key("_index.md", true), None);
        assert_eq!(parent_key("about.md", false).as_deref(), Some("_index.md"));
        assert_eq!(parent_key("forum/_index.md", true).as_deref(), Some("_index.md"));
        assert_eq!(parent_key("a/b/_index.md", true).as_deref(), Some("a/_index.md"));
        assert_eq!(parent_key("a/b/x.md", false).as_deref(), Some("a/b/_index.md"));
        assert_eq!(parent_key("a/x/index.md", false).as_deref(), Some("a/_index.md"));
    }

    #[test]
    fn language_suffixes() {
        assert_eq!(split_lang("about.en"), ("about", Some("en")));
        assert_eq!(split_lang("_index"), ("_index", None));
        assert_eq!(split_lang("report.v2"), ("report.v2", None));
    }

    #[test]
    fn slugs_that_would_escape_are_refused() {
        assert!(slug_problem("..").is_some());
        assert!(slug_problem("a/../b").is_some());
        assert!(slug_problem("O-nas").is_some());
        assert!(slug_problem("about-us").is_none());
    }
}
