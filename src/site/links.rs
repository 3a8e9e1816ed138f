//! Links: resolves every `@/section/page.md#anchor` link of the content to the URL of its
//! target in each language, and reports links to files or headings that do not exist.

use rayon::prelude::*;

use crate::config::Config;
use crate::content::Library;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::markdown::Rendered;

/// Resolves every `@/` link of every shown document in every language, reporting broken links
/// and anchors once, at the document that contains them.
pub(super) fn resolve_links(
    library: &Library,
    rendered: &[Vec<Option<std::sync::Arc<Rendered>>>],
    config: &Config,
    diags: &Diagnostics,
) -> Vec<Vec<Vec<String>>> {
    let default = library.default_lang;
    let base = config.base_path();
    library
        .nodes
        .par_iter()
        .enumerate()
        .map(|(id, node)| {
            (0..library.langs.len())
                .map(|lang| {
                    let content_lang = if node.is_fallback(lang) { default } else { lang };
                    let (Some(doc), Some(r)) =
                        (node.docs[content_lang].as_deref(), rendered[id][content_lang].as_ref())
                    else {
                        return Vec::new();
                    };
                    if node.paths[lang].is_none() {
                        return Vec::new();
                    }
                    let report = content_lang == lang;
                    r.links
                        .iter()
                        .map(|link| {
                            let at = || {
                                let start = doc.body_offset + link.span.start;
                                Location::from_span(&doc.file, &doc.text, start..doc.body_offset + link.span.end)
                            };
                            let Some(target) = library.resolve_key(&link.target) else {
                                if report {
                                    diags.push(
                                        Diagnostic::error(
                                            "broken-link",
                                            format!("link to @/{} : no such content file", link.target),
                                        )
                                        .at(at())
                                        .hint(format!(
                                            "paths after @/ are relative to content/, e.g. @/{}",
                                            suggest_key(library, &link.target)
                                        )),
                                    );
                                }
                                return String::new();
                            };
                            let target_node = &library.nodes[target];
                            let Some(path) = target_node.paths[lang].as_ref() else {
                                if report {
                                    diags.push(
                                        Diagnostic::error(
                                            "broken-link",
                                            format!(
                                                "link to @/{}: that page does not exist in `{}`",
                                                link.target, library.langs[lang]
                                            ),
                                        )
                                        .at(at())
                                        .lang(&library.langs[lang]),
                                    );
                                }
                                return String::new();
                            };
                            let mut url = format!("{base}{path}");
                            if let Some(anchor) = &link.anchor {
                                let target_lang = if target_node.is_fallback(lang) { default } else { lang };
                                let ids = rendered[target][target_lang].as_ref().map(|r| &r.ids);
                                if report && !ids.is_some_and(|ids| ids.contains(anchor)) {
                                    let mut known: Vec<&String> =
                                        ids.map(|ids| ids.iter().collect()).unwrap_or_default();
                                    known.sort();
                                    let hint = match crate::diagnostics::did_you_mean(
                                        anchor,
                                        known.iter().map(|s| s.as_str()),
                                    ) {
                                        Some(s) => format!("did you mean #{s}?"),
                                        None if known.is_empty() => "the target page has no headings".to_string(),
                                        None => format!(
                                            "headings of the target: {}",
                                            known.iter().map(|k| format!("#{k}")).collect::<Vec<_>>().join(", ")
                                        ),
                                    };
                                    diags.push(
                                        Diagnostic::error(
                                            "broken-anchor",
                                            format!(
                                                "link to @/{}#{anchor}: the page has no heading with id `{anchor}`",
                                                link.target
                                            ),
                                        )
                                        .at(at())
                                        .lang(&library.langs[lang])
                                        .hint(hint),
                                    );
                                }
                                url.push('#');
                                url.push_str(anchor);
                            }
                            url
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

pub(super) fn suggest_key(library: &Library, target: &str) -> String {
    let keys: Vec<&str> = library.by_key.keys().map(String::as_str).collect();
    crate::diagnostics::did_you_mean(target, keys.iter().copied()).unwrap_or("section/page.md").to_string()
}

#[cfg(test)]
mod tests {
    use crate::site::testing;

    #[test]
    fn a_link_resolves_to_the_url_of_its_target_in_each_language() {
        let page =
            "+++\ntitle = \"Strategia\"\n+++\n\n[Forum](@/forum/_index.md) i [spotkanie](@/forum/spotkanie.md).\n";
        let fixture =
            testing::typed_with(&[("content/strategia/_index.md", page)]).unwrap_or_else(|(_, d)| panic!("{d:?}"));
        let site = &fixture.loaded.site;
        let id = site.library.by_key["strategia/_index.md"];
        let urls: Vec<&Vec<String>> = site.link_urls[id].iter().collect();
        assert_eq!(urls[0], &["/portal/forum/", "/portal/forum/spotkanie/"]);
        assert_eq!(urls[1], &["/portal/en/forum/", "/portal/en/forum/spotkanie/"]);
    }

    #[test]
    fn a_link_to_a_missing_file_is_an_error_that_suggests_a_near_one() {
        let page = "+++\ntitle = \"Strategia\"\n+++\n\n[Forum](@/forum/_indx.md)\n";
        let Err((_dir, diagnostics)) = testing::typed_with(&[("content/strategia/_index.md", page)]) else { panic!() };
        let broken = diagnostics.iter().find(|d| d.code == "broken-link").expect("reported");
        assert_eq!(broken.location.as_ref().map(|l| l.line), Some(5));
        assert!(broken.hint.as_deref().unwrap_or_default().contains("forum/_index.md"), "{broken:?}");
    }
}
