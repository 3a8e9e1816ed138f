//! Template contexts: the exact variables each kind of output gives its template, as
//! `metroportal context <path>` prints them, are snapshots (one output per kind), and every
//! variable they carry is documented in `docs/templates.md`: a new field of a context struct
//! fails here until it is documented.

use std::collections::BTreeSet;

use crate::support::SiteTest;

/// One output of each kind on the typed fixture with located services (kind, site path).
const TYPED: &[(&str, &str)] = &[
    ("home", "/"),
    ("section", "/forum/"),
    ("page", "/o-stowarzyszeniu/"),
    ("page-fallback", "/en/o-stowarzyszeniu/"),
    ("municipality", "/gminy/wieliczka/"),
    ("service", "/gminy/wieliczka/mgops/"),
    ("forum", "/forum/spotkanie/"),
    ("guide", "/migranci/pomoc/"),
    ("accessibility-statement", "/deklaracja-dostepnosci/"),
    ("map", "/mapa/"),
    ("map-category", "/mapa/zlobek-lub-klub-dzieciecy/"),
    ("migrant-local", "/gminy/wieliczka/migranci/pomoc/"),
    ("migrant-pack", "/gminy/wieliczka/migranci/"),
    ("completeness", "/kompletnosc-danych/"),
    ("taxonomy", "/categories/"),
    ("404", "/uk/404.html"),
    ("feed", "/forum/atom.xml"),
    ("sitemap", "/sitemap.xml"),
    ("robots", "/robots.txt"),
];

/// Kinds the typed fixture does not have: a later pager of a section and of a term.
const MULTILINGUAL: &[(&str, &str)] =
    &[("section-pager", "/en/news/page/2/"), ("term-pager", "/categories/zdrowie/page/2/")];

fn contexts() -> Vec<(&'static str, serde_json::Value)> {
    let mut out = Vec::new();
    for (site, cases) in
        [(SiteTest::typed().overlay("map-located"), TYPED), (SiteTest::fixture("multilingual"), MULTILINGUAL)]
    {
        for (kind, path) in cases {
            let run = site.run(&["context", path]);
            assert_eq!(run.code, 0, "context {path}: {}", run.stderr);
            out.push((*kind, serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{path}: {e}"))));
        }
    }
    out
}

#[test]
fn one_context_per_page_kind_matches_its_snapshot_and_its_documentation() {
    let docs =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md")).unwrap();
    let every_page = section(&docs, "## Variables in every HTML template");
    let built_in = section(&docs, "## Variables of the built-in templates");
    let paginator = section(&docs, "### Paginator");
    let taxonomy = section(&docs, "### Taxonomy and term");
    let mut undocumented = BTreeSet::new();
    for (kind, output) in contexts() {
        insta::assert_snapshot!(format!("context__{kind}"), serde_json::to_string_pretty(&output).unwrap());
        let template = output["template"].as_str().unwrap();
        let context = output["context"].as_object().unwrap();
        let table = if template.ends_with(".html") { every_page } else { built_in };
        for key in context.keys() {
            if !documented(table, key) {
                undocumented.insert(format!("{template}: `{key}`"));
            }
        }
        for (slot, text) in [("paginator", paginator), ("taxonomy", taxonomy), ("term", taxonomy)] {
            for key in context.get(slot).and_then(|v| v.as_object()).into_iter().flat_map(|m| m.keys()) {
                if !has_word(text, key) {
                    undocumented.insert(format!("{template}: `{slot}.{key}`"));
                }
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "not in docs/templates.md:\n{}",
        undocumented.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn context_names_the_output_it_cannot_show() {
    let site = SiteTest::fixture("multilingual");
    let run = site.run(&["context", "/en/nowhere/"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.trim(), "error: no output at /en/nowhere/ (did you mean /en/news/b/index.html?)");
    let run = site.run(&["context", "/css/site.css"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no output at /css/site.css"), "{}", run.stderr);
}

/// The text of a docs section, from its heading to the next heading of any level.
fn section<'a>(docs: &'a str, heading: &str) -> &'a str {
    let start = docs.find(&format!("\n{heading}\n")).unwrap_or_else(|| panic!("docs/templates.md has no `{heading}`"));
    let rest = &docs[start + heading.len() + 2..];
    &rest[..rest.find("\n#").unwrap_or(rest.len())]
}

/// A variable is documented by a row of its section's table (`| `name` |`).
fn documented(table: &str, key: &str) -> bool {
    table.contains(&format!("| `{key}` |"))
}

/// A field is documented when its section names it as a word (`{pages (list of ref), …}`).
fn has_word(text: &str, word: &str) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(word)
        .any(|(at, _)| !is_word(text[..at].chars().next_back()) && !is_word(text[at + word.len()..].chars().next()))
}
