//! The architecture, enforced: the library's modules form a pipeline, and a module may use only
//! the modules before it. This test reads `src/` and fails on an import of a later module, on a
//! module that is not placed in the order, and on `lib.rs` or the README describing another
//! order than the one enforced here.

use std::collections::BTreeMap;
use std::path::Path;

/// The pipeline, first to last. A new module gets its place here, and in `lib.rs` and the
/// README's "Code" section.
const LAYERS: &[&str] = &[
    "diagnostics",
    "slug",
    "dates",
    "deps",
    "config",
    "i18n",
    "content",
    "schema",
    "markdown",
    "scaffold",
    "model",
    "templates",
    "cms",
    "output",
    "search",
    "site",
    "checks",
    "serve",
    "cli",
];

/// Test-only modules of the crate (property tests that drive every parser).
const TEST_ONLY: &[&str] = &["props"];

fn src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level module a source file belongs to (`src/site/plan.rs` → `site`).
fn module_of(rel: &Path) -> String {
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().to_string();
    first.strip_suffix(".rs").unwrap_or(&first).to_string()
}

/// The crate modules a line of code names: `crate::x::…`, and each `x` of `crate::{x, y::…}`.
/// Comments are skipped, so a doc comment may mention a later phase.
fn imports_of_line(line: &str) -> Vec<String> {
    let code = match line.find("//") {
        Some(at) => &line[..at],
        None => line,
    };
    let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        start = false;
                        found.push(ident(&group[i..]));
                    }
                    _ => {}
                }
            }
        } else {
            found.push(ident(rest));
        }
    }
    found
}

/// The modules `lib.rs` declares, test-only ones (`#[cfg(test)] mod props;`) left out.
fn library_modules(lib: &str) -> Vec<&str> {
    let lines: Vec<&str> = lib.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || lines[i - 1].trim() != "#[cfg(test)]")
        .filter_map(|(_, l)| {
            let l = l.trim();
            let l = l.strip_prefix("pub(crate) ").or_else(|| l.strip_prefix("pub ")).unwrap_or(l);
            l.strip_prefix("mod ").and_then(|m| m.strip_suffix(';'))
        })
        .collect()
}

/// `(module, imported module, file:line)` for every cross-module import in `src/`; test-only
/// modules may use any phase.
fn imports() -> Vec<(String, String, String)> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(src()).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = entry.path().strip_prefix(src()).unwrap();
        if rel == Path::new("lib.rs") || rel == Path::new("main.rs") {
            continue;
        }
        let module = module_of(rel);
        if !library_modules(&lib).contains(&module.as_str()) && TEST_ONLY.contains(&module.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (n, line) in text.lines().enumerate() {
            for used in imports_of_line(line) {
                if used != module && !used.is_empty() {
                    out.push((module.clone(), used, format!("src/{}:{}", rel.display(), n + 1)));
                }
            }
        }
    }
    out
}

#[test]
fn every_module_uses_only_the_modules_before_it() {
    let rank: BTreeMap<&str, usize> = LAYERS.iter().enumerate().map(|(i, m)| (*m, i)).collect();
    let mut problems = Vec::new();
    for (module, used, at) in imports() {
        match (rank.get(module.as_str()), rank.get(used.as_str())) {
            (Some(m), Some(u)) if u > m => problems.push(format!("{at}: `{module}` uses `{used}`, a later phase")),
            (None, _) => problems.push(format!("{at}: module `{module}` has no place in LAYERS")),
            (_, None) => problems.push(format!("{at}: `{module}` uses `{used}`, which has no place in LAYERS")),
            _ => {}
        }
    }
    problems.dedup();
    assert!(problems.is_empty(), "imports against the pipeline order:\n{}", problems.join("\n"));
}

#[test]
fn every_module_of_the_library_has_a_place_and_a_header() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let declared: Vec<&str> = library_modules(&lib);
    let mut sorted: Vec<&str> = LAYERS.to_vec();
    sorted.sort_unstable();
    let mut declared_sorted = declared.clone();
    declared_sorted.sort_unstable();
    assert_eq!(declared_sorted, sorted, "the modules of lib.rs and LAYERS differ");
    for entry in walkdir::WalkDir::new(src()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(text.starts_with("//!"), "{} has no `//!` header saying its job", entry.path().display());
        }
    }
}

/// The modules named, in order, in a text: each `` `name` `` that is a layer, first mention only.
fn named_order(text: &str) -> Vec<&'static str> {
    let mut order = Vec::new();
    for piece in text.split('`').skip(1).step_by(2) {
        let piece = piece.trim_start_matches("[").trim_end_matches("]");
        if let Some(layer) = LAYERS.iter().find(|l| **l == piece)
            && !order.contains(layer)
        {
            order.push(*layer);
        }
    }
    order
}

#[test]
fn lib_rs_and_the_readme_describe_the_enforced_order() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let header: String = lib
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| l.trim_start_matches("//!"))
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(named_order(&header), LAYERS, "src/lib.rs's header names the phases in another order");
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let code = readme.split("\n## Code\n").nth(1).expect("README has a `## Code` section");
    let code = code.split("\n## ").next().unwrap();
    assert_eq!(named_order(code), LAYERS, "README's Code section names the phases in another order");
}

#[test]
fn the_import_scanner_sees_paths_groups_and_skips_comments() {
    assert_eq!(imports_of_line("use crate::config::Config;"), ["config"]);
    assert_eq!(
        imports_of_line("use crate::{model::SiteData, search::{self, Page}, output};"),
        ["model", "search", "output"]
    );
    assert_eq!(imports_of_line("let x = crate::slug::slugify(a, b); // see crate::site"), ["slug"]);
    assert_eq!(imports_of_line("/// Filled by [`crate::templates`]."), Vec::<String>::new());
}
