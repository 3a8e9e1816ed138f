//! Lists: the order of pages in each section and language (`sort_by`), previous/next
//! neighbours, taxonomy terms and pagination. Everything is computed once, as node ids, so that
//! pagers and term pages hold light references and no step grows quadratically.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::content::front_matter::SortBy;
use crate::content::{Library, NodeId};
use crate::deps::{Facet, Tracked};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::i18n::Locales;
use crate::slug::slugify;

/// One term of a taxonomy in one language.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub name: String,
    pub slug: String,
    /// Site path of the term's first pager, e.g. `/en/categories/health/`.
    pub path: String,
    /// Pages with this term, newest first.
    pub pages: Vec<NodeId>,
}

/// A taxonomy declared in `config.toml`, with its terms in every language.
#[derive(Debug, Clone)]
pub(crate) struct Taxonomy {
    pub name: String,
    pub paginate_by: usize,
    /// Site path of the term list per language.
    pub paths: Vec<String>,
    /// Terms per language, in the language's collation order.
    pub terms: Vec<Vec<Term>>,
}

/// Orders and groupings of the whole site.
#[derive(Debug, Default)]
pub(crate) struct Listings {
    /// `[section][lang]` → child pages that exist in `lang`, in listing order.
    pub pages: Tracked<Vec<Vec<NodeId>>>,
    /// `[section][lang]` → child sections, by weight then title.
    pub subsections: Tracked<Vec<Vec<NodeId>>>,
    /// `[page][lang]` → (previous, next) in the parent's listing.
    pub neighbours: Tracked<Vec<(Option<NodeId>, Option<NodeId>)>>,
    pub taxonomies: Tracked<Taxonomy>,
}

/// Computes every listing. Unknown taxonomy names are reported.
pub(crate) fn build(library: &Library, config: &Config, locales: &Locales, diags: &Diagnostics) -> Listings {
    let n = library.nodes.len();
    let langs = library.langs.len();
    let mut listings = Listings {
        pages: Tracked::new(Facet::Members, vec![Vec::new(); n]),
        subsections: Tracked::new(Facet::Members, vec![Vec::new(); n]),
        neighbours: Tracked::new(Facet::Neighbours, vec![vec![(None, None); langs]; n]),
        taxonomies: Tracked::new(Facet::Taxonomy, Vec::new()),
    };
    let default = library.default_lang;
    for (id, node) in library.nodes.iter().enumerate() {
        if !node.is_section {
            continue;
        }
        let sort_by = node.docs[default].as_deref().unwrap_or_else(|| node.any_doc()).fm.sort_by.unwrap_or_default();
        for (lang, code) in library.langs.iter().enumerate() {
            let mut pages: Vec<NodeId> =
                node.pages.iter().copied().filter(|&p| library.nodes[p].paths[lang].is_some()).collect();
            sort_nodes(library, locales, code, lang, &mut pages, sort_by);
            for (i, &p) in pages.iter().enumerate() {
                let previous = i.checked_sub(1).map(|j| pages[j]);
                let next = pages.get(i + 1).copied();
                listings.neighbours[p][lang] = (previous, next);
            }
            listings.pages[id].push(pages);
            let mut subsections: Vec<NodeId> =
                node.subsections.iter().copied().filter(|&s| library.nodes[s].paths[lang].is_some()).collect();
            sort_nodes(library, locales, code, lang, &mut subsections, SortBy::Weight);
            listings.subsections[id].push(subsections);
        }
    }
    listings.taxonomies = Tracked::new(Facet::Taxonomy, build_taxonomies(library, config, locales, diags));
    listings
}

fn sort_nodes(library: &Library, locales: &Locales, code: &str, lang: usize, ids: &mut [NodeId], sort_by: SortBy) {
    let default = library.default_lang;
    let doc = |id: NodeId| library.nodes[id].doc_for(lang, default).expect("listed nodes exist in the language");
    let by_title = |a: NodeId, b: NodeId| locales.compare(code, doc(a).title(), doc(b).title());
    let by_key = |a: NodeId, b: NodeId| library.nodes[a].key.cmp(&library.nodes[b].key);
    match sort_by {
        SortBy::Date => ids.sort_by(|&a, &b| {
            // Newest first; pages without a date go last.
            let ka = doc(a).fm.date.map(|d| -d.timestamp());
            let kb = doc(b).fm.date.map(|d| -d.timestamp());
            ka.is_none().cmp(&kb.is_none()).then(ka.cmp(&kb)).then_with(|| by_key(a, b))
        }),
        SortBy::Weight => ids.sort_by(|&a, &b| {
            let wa = doc(a).fm.weight;
            let wb = doc(b).fm.weight;
            wa.is_none().cmp(&wb.is_none()).then(wa.cmp(&wb)).then_with(|| by_title(a, b)).then_with(|| by_key(a, b))
        }),
        SortBy::Title => ids.sort_by(|&a, &b| by_title(a, b).then_with(|| by_key(a, b))),
        SortBy::None => ids.sort_by(|&a, &b| by_key(a, b)),
    }
}

fn build_taxonomies(library: &Library, config: &Config, locales: &Locales, diags: &Diagnostics) -> Vec<Taxonomy> {
    // Front matter may only use declared taxonomies.
    for node in &library.nodes {
        for doc in node.docs.iter().flatten() {
            for (name, located) in &doc.fm.taxonomies {
                if !config.taxonomies.iter().any(|t| &t.name == name) {
                    let declared: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();
                    diags.push(
                        Diagnostic::error(
                            "unknown-taxonomy",
                            format!("taxonomy `{name}` is not declared in config.toml"),
                        )
                        .at(Location::from_span(&doc.file, &doc.text, located.span.clone()))
                        .hint(if declared.is_empty() {
                            "declare it with [[taxonomies]] name = \"…\" in config.toml".to_string()
                        } else {
                            format!("declared taxonomies: {}", declared.join(", "))
                        }),
                    );
                }
            }
        }
    }
    config
        .taxonomies
        .iter()
        .map(|tax| {
            let mut paths = Vec::new();
            let mut terms_per_lang = Vec::new();
            for (lang, code) in library.langs.iter().enumerate() {
                let base = format!("{}/{}/", config.lang_prefix(code), tax.name);
                // Group by slug so that "Zdrowie" and "zdrowie" are one term.
                let mut by_slug: BTreeMap<String, (String, Vec<NodeId>)> = BTreeMap::new();
                for (id, node) in library.nodes.iter().enumerate() {
                    // Only real translations: a Polish fallback would mix languages in a term.
                    let Some(doc) = &node.docs[lang] else {
                        continue;
                    };
                    let Some(located) = doc.fm.taxonomies.get(&tax.name) else {
                        continue;
                    };
                    for term in &located.value {
                        let slug = slugify(term, code);
                        if slug.is_empty() {
                            continue;
                        }
                        let entry = by_slug.entry(slug).or_insert_with(|| (term.clone(), Vec::new()));
                        if term < &entry.0 {
                            entry.0 = term.clone();
                        }
                        if entry.1.last() != Some(&id) {
                            entry.1.push(id);
                        }
                    }
                }
                let mut terms: Vec<Term> = by_slug
                    .into_iter()
                    .map(|(slug, (name, mut pages))| {
                        sort_nodes(library, locales, code, lang, &mut pages, SortBy::Date);
                        Term { path: format!("{base}{slug}/"), name, slug, pages }
                    })
                    .collect();
                terms.sort_by(|a, b| locales.compare(code, &a.name, &b.name));
                paths.push(base);
                terms_per_lang.push(terms);
            }
            Taxonomy { name: tax.name.clone(), paginate_by: tax.paginate_by, paths, terms: terms_per_lang }
        })
        .collect()
}

/// Number of pagers needed for `total` items, `per_page` each (at least one).
pub(crate) fn pager_count(total: usize, per_page: usize) -> usize {
    if per_page == 0 { 1 } else { total.div_ceil(per_page).max(1) }
}

/// Site path of pager `index` (1-based) of a list whose first pager is at `first`.
pub(crate) fn pager_path(first: &str, index: usize) -> String {
    if index <= 1 { first.to_string() } else { format!("{first}page/{index}/") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagers() {
        assert_eq!(pager_count(0, 20), 1);
        assert_eq!(pager_count(20, 20), 1);
        assert_eq!(pager_count(21, 20), 2);
        assert_eq!(pager_count(21, 0), 1);
        assert_eq!(pager_path("/en/forum/", 1), "/en/forum/");
        assert_eq!(pager_path("/en/forum/", 3), "/en/forum/page/3/");
    }
}
