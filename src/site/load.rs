//! Load: reads config, UI strings, content, data and the theme, validates them against the
//! schema and makes the site model. Shared by `build`, `check` and `serve`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::listing::{self};
use crate::content::{self, Library};
use crate::deps::{Facet, Tracked};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, Severity};
use crate::i18n::Locales;
use crate::markdown::{self, Rendered};
use crate::model::Assets;
use crate::model::SiteData;
use crate::schema;
use crate::search;
use crate::templates::Templates;

use super::links::resolve_links;
use super::{LoadedSite, Timer};

/// Loads and checks everything without writing: the common part of `build`, `check` and `serve`.
pub(crate) fn load(root: &Path, base_url: Option<&str>, drafts: bool) -> Result<LoadedSite, Vec<Diagnostic>> {
    load_reusing(root, base_url, drafts, None, None)
}

/// [`load`], taking from `previous` (the dev server's last good build) the documents whose
/// file did not change and what Markdown made of them. What it takes is what parsing the same
/// text again would make; files that had warnings are parsed again, so that they are reported.
pub(crate) fn load_reusing(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
    previous: Option<&LoadedSite>,
    markdown_of: Option<&HashMap<u64, Arc<Rendered>>>,
) -> Result<LoadedSite, Vec<Diagnostic>> {
    let diags = Diagnostics::new();
    let mut timer = Timer::new();
    let fail = |diags: Diagnostics| Err(diags.into_sorted());
    let Some(mut config) = Config::load(root, &diags) else {
        return fail(diags);
    };
    if let Some(url) = base_url {
        config.base_url = url.to_string();
    }
    let theme_dir = root.join("themes").join(&config.theme);
    if !theme_dir.is_dir() {
        diags.push(
            Diagnostic::error("theme-missing", format!("theme `{}` not found", config.theme))
                .at(Location::file("config.toml"))
                .hint(format!("create themes/{}/ or fix `theme` in config.toml", config.theme)),
        );
        return fail(diags);
    }
    timer.lap("config");
    let locales = Locales::load(root, &theme_dir, &config, &diags);
    timer.lap("ui strings");
    let search_vocabulary = search::Vocabulary::load(
        root,
        &theme_dir,
        &config.language_codes().map(str::to_string).collect::<Vec<_>>(),
        &diags,
    );
    let warned: std::collections::HashSet<&Path> = previous
        .iter()
        .flat_map(|p| &p.warnings)
        .filter_map(|d| d.location.as_ref().map(|l| l.file.as_path()))
        .collect();
    let reuse = previous.map_or_else(content::Reuse::default, |p| content::Reuse::of(&p.site.library, &warned));
    let library = content::load(root, &config, drafts, &schema::Kinds, &reuse, &diags);
    timer.lap("content");
    let boundaries = config.data.boundaries.as_deref().and_then(|path| schema::load_boundaries(root, path, &diags));
    timer.lap("data");
    let (Some(locales), Some(library)) = (locales, library) else {
        return fail(diags);
    };
    let policy = schema::Policy {
        review_max_age_months: config.checks.review_max_age_months,
        stale_after_months: config.checks.stale_after_months,
        today: crate::dates::ContentDate::today(config.time_zone),
    };
    let registry =
        schema::load_registry(root, config.data.sources.as_deref(), config.data.boundaries.as_deref(), &diags);
    let facts = schema::validate(&library, boundaries.as_ref(), registry, &policy, &diags);
    if !facts.municipalities.is_empty() && config.data.boundaries.is_none() {
        diags.push(
            Diagnostic::error("boundaries-not-configured", "there are [municipality] pages but no boundary file")
                .at(Location::file("config.toml"))
                .hint("add [data] boundaries = \"content/dane/gminy.geojson\" (a GeoJSON of the municipalities)"),
        );
    }
    timer.lap("schema");
    check_feeds(&config, &library, root, &diags);
    check_map_page(&config, &library, root, &diags);
    let listings = listing::build(&library, &config, &locales, &diags);
    timer.lap("lists");

    let smart = config.markdown.smart_punctuation;
    // What Markdown made of an unchanged document last time: from the previous model, or from
    // the results of the last build by the document's digest.
    let earlier = |key: &str, lang: usize, doc: &crate::content::Doc| -> Option<Arc<Rendered>> {
        if let Some(found) = markdown_of.and_then(|known| known.get(&doc.digest())) {
            return Some(found.clone());
        }
        let text = doc.text.as_str();
        let before = &previous?.site;
        let &id = before.library.by_key.get(key)?;
        let doc = before.library.nodes.untracked()[id].docs[lang].as_deref()?;
        (std::ptr::eq(doc.text.as_str(), text) || doc.text == text)
            .then(|| before.rendered.untracked()[id][lang].clone())
            .flatten()
    };
    let rendered: Vec<Vec<Option<Arc<Rendered>>>> = library
        .nodes
        .par_iter()
        .map(|node| {
            node.docs
                .iter()
                .enumerate()
                .map(|(lang, doc)| {
                    doc.as_ref().map(|d| {
                        if let Some(rendered) = earlier(&node.key, lang, d) {
                            return rendered;
                        }
                        // What later phases need of the Markdown (headings, links, word count)
                        // is kept; the HTML is made again where a page shows it
                        // (`SiteData::body_html`), so the model does not hold every page twice.
                        let mut rendered = markdown::render(d.body(), &library.langs[lang], smart);
                        rendered.html = String::new();
                        Arc::new(rendered)
                    })
                })
                .collect()
        })
        .collect();
    timer.lap("markdown");
    let link_urls = resolve_links(&library, &rendered, &config, &diags);
    timer.lap("links");
    if diags.has_errors() {
        return fail(diags);
    }
    let assets = match Assets::collect(&theme_dir, root) {
        Ok(assets) => assets,
        Err(err) => {
            diags.push(Diagnostic::error("io", format!("cannot read static files: {err}")));
            return fail(diags);
        }
    };
    // Decided here, not by the template that links it: finding it runs Pagefind once.
    let search_bundle = search::bundle_dir().map(str::to_string);
    let mut site = SiteData {
        config,
        library,
        listings,
        locales,
        assets,
        rendered: Tracked::new(Facet::Node, rendered),
        link_urls: Tracked::new(Facet::Links, link_urls),
        facts,
        boundaries,
        search_bundle,
        previews: Default::default(),
        views: Default::default(),
    };
    crate::templates::views::prepare(&mut site);
    let site = Arc::new(site);
    let Some(templates) = Templates::load(root, &theme_dir, site.clone(), &diags) else {
        return fail(diags);
    };
    check_template_names(&site, &templates, &diags);
    timer.lap("templates");
    let diagnostics = diags.into_sorted();
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(diagnostics);
    }
    Ok(LoadedSite {
        site,
        templates,
        search_vocabulary,
        root: root.to_path_buf(),
        previous_output: None,
        warnings: diagnostics,
        timings: timer.timings,
    })
}

pub(super) fn check_feeds(config: &Config, library: &Library, root: &Path, diags: &Diagnostics) {
    let text = std::fs::read_to_string(root.join("config.toml")).unwrap_or_default();
    for feed in &config.feeds {
        let key = Config::feed_key(feed.get_ref());
        if !library.by_key.contains_key(&key) {
            let location = Location::from_span("config.toml", &text, feed.span());
            diags.push(
                Diagnostic::error("feed-section-missing", format!("feeds: there is no section content/{key}"))
                    .at(location)
                    .hint("list sections by their folder under content/, e.g. feeds = [\"forum\"]"),
            );
        }
    }
}

/// `[map] page` must name a content file.
pub(super) fn check_map_page(config: &Config, library: &Library, root: &Path, diags: &Diagnostics) {
    let Some(page) = &config.map.page else { return };
    if library.resolve_key(page).is_none() {
        let keys: Vec<&str> = library.by_key.keys().map(String::as_str).collect();
        let hint = match crate::diagnostics::did_you_mean(page, keys.iter().copied()) {
            Some(s) => format!("did you mean \"{s}\"? (a path relative to content/)"),
            None => "name a content file relative to content/, e.g. page = \"mapa.md\"".to_string(),
        };
        let text = std::fs::read_to_string(root.join("config.toml")).unwrap_or_default();
        diags.push(
            Diagnostic::error("map-page-missing", format!("[map] page: there is no content file `{page}`"))
                .at(crate::config::map_key_location(&text, "page"))
                .hint(hint),
        );
    }
}

pub(super) fn check_template_names(site: &SiteData, templates: &Templates, diags: &Diagnostics) {
    for node in &site.library.nodes {
        for doc in node.docs.iter().flatten() {
            if let Some(template) = &doc.fm.template
                && !templates.has(&template.value)
            {
                diags.push(
                    Diagnostic::error(
                        "template-missing",
                        format!("template `{}` does not exist in the theme", template.value),
                    )
                    .at(Location::from_span(&doc.file, &doc.text, template.span.clone()))
                    .hint("name a file in the theme's templates/ folder, e.g. template = \"page.html\""),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::site::testing;

    #[test]
    fn the_typed_fixture_loads_into_a_model_with_its_facts_and_search_bundle() {
        let fixture = testing::typed();
        let site = &fixture.loaded.site;
        assert_eq!(site.facts.municipalities.len(), 2);
        assert_eq!(site.library.langs, ["pl", "en", "uk"]);
        // Decided here, before any template asks for it.
        assert_eq!(site.search_bundle.is_some(), cfg!(feature = "search"));
        assert!(site.views.refs.len() == site.library.nodes.len(), "views are made before rendering");
    }

    #[test]
    fn a_feed_of_a_missing_section_is_an_error_at_its_entry_in_config() {
        let config =
            testing::fixture_text("config.toml").replace(r#"feeds = ["forum"]"#, r#"feeds = ["forum", "nowhere"]"#);
        let Err((_dir, diagnostics)) = testing::typed_with(&[("config.toml", &config)]) else {
            panic!("a feed of a missing section loads");
        };
        let feed = diagnostics.iter().find(|d| d.code == "feed-section-missing").expect("reported");
        let at = feed.location.as_ref().expect("located");
        assert_eq!((at.line, at.column), (4, 19), "at the entry's own string");
    }

    #[test]
    fn a_missing_theme_stops_loading_with_its_name() {
        let config = testing::fixture_text("config.toml").replace(r#"theme = "portal""#, r#"theme = "gone""#);
        let Err((_dir, diagnostics)) = testing::typed_with(&[("config.toml", &config)]) else { panic!() };
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].message, "theme `gone` not found");
    }
}
