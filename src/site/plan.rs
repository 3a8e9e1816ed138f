//! Plan: every output file of the site, what produces it (a [`Job`]) and where it goes; two
//! outputs at one path are an error before anything is rendered.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::content::NodeId;
use crate::content::listing::{pager_count, pager_path};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::SiteData;
use crate::schema;
use crate::templates::Templates;

use super::LoadedSite;
use super::feeds::SITEMAP_LIMIT;
use super::feeds::sitemap_entry_of;
use super::feeds::sitemap_parts;
use super::pages::completeness_path;

/// One file of the output: what produces it.
#[derive(Debug)]
pub(crate) enum Job {
    /// The data-completeness report for editors (municipality × local fact).
    Completeness {
        lang: usize,
    },
    /// The services as open data: JSON, CSV or GeoJSON.
    OpenData {
        format: &'static str,
    },
    /// The services GeoJSON of one language, for the interactive map.
    MapGeoJson {
        lang: usize,
    },
    /// The boundary file, published once.
    Boundaries,
    /// The map page of one service category.
    MapCategory {
        category: crate::schema::vocab::Category,
        lang: usize,
    },
    /// A migrant guide rendered with one municipality's local facts.
    MigrantLocal {
        guide: NodeId,
        municipality: NodeId,
        lang: usize,
    },
    /// Every guide of one municipality on one printable page.
    MigrantPack {
        municipality: NodeId,
        lang: usize,
    },
    /// A page or section in a language; sections may have several pagers (1-based).
    Node {
        id: NodeId,
        lang: usize,
        pager: usize,
    },
    TaxonomyList {
        tax: usize,
        lang: usize,
    },
    Term {
        tax: usize,
        lang: usize,
        term: usize,
        pager: usize,
    },
    NotFound {
        lang: usize,
    },
    Feed {
        id: NodeId,
        lang: usize,
    },
    /// `sitemap.xml` (`part: None`): every indexable page, or, past the protocol's limit, the
    /// index of the parts `sitemap-<n>.xml` (`part: Some(n - 1)`).
    Sitemap {
        part: Option<usize>,
    },
    Robots,
    /// The link-preview picture of a municipality (PNG).
    Preview {
        municipality: NodeId,
    },
    /// A file of the editing interface under `admin/` (`[cms]`, src/cms).
    Cms {
        file: &'static str,
    },
    Copy {
        source: PathBuf,
    },
}

/// Every output file of the site (path relative to the output folder, and what produces it);
/// an error for each path two outputs would share. `build` writes these; `check` renders them
/// in memory.
pub(crate) fn plan_outputs(loaded: &LoadedSite) -> Result<Vec<(String, Job)>, Vec<Diagnostic>> {
    let site = &loaded.site;
    let jobs = plan(site, &loaded.templates);
    let mut outputs: BTreeMap<&str, usize> = BTreeMap::new();
    let diags = Diagnostics::new();
    for (i, (path, _)) in jobs.iter().enumerate() {
        if let Some(&other) = outputs.get(path.as_str()) {
            diags.push(
                Diagnostic::error("duplicate-url", format!("two outputs would be written to /{path}"))
                    .at(job_location(site, &jobs[i].1))
                    .hint(format!(
                        "it collides with {}; rename a section, page or taxonomy",
                        describe_job(site, &jobs[other].1)
                    )),
            );
        } else {
            outputs.insert(path, i);
        }
    }
    if diags.has_errors() {
        let mut all = diags.into_sorted();
        all.extend(loaded.warnings.clone());
        return Err(all);
    }
    Ok(jobs)
}

/// Every output file of the site with its path relative to the output folder.
pub(super) fn plan(site: &SiteData, templates: &Templates) -> Vec<(String, Job)> {
    let mut jobs = Vec::new();
    let out = |site_path: &str, file: &str| format!("{}{file}", site_path.trim_start_matches('/'));
    let boundaries_source = site.config.data.boundaries.as_deref().map(PathBuf::from);
    for (id, node) in site.library.nodes.iter().enumerate() {
        for (lang, path) in node.paths.iter().enumerate() {
            let Some(path) = path else { continue };
            let pagers = if node.is_section { section_pagers(site, id, lang) } else { 1 };
            for pager in 1..=pagers {
                jobs.push((out(&pager_path(path, pager), "index.html"), Job::Node { id, lang, pager }));
            }
            if node.is_section && site.config.has_feed(&node.key) {
                jobs.push((out(path, "atom.xml"), Job::Feed { id, lang }));
            }
            for (source, inner) in &node.assets {
                // The boundary file is published once, at /dane/gminy.geojson, not per language.
                if boundaries_source.as_deref() == Some(source.as_path()) {
                    continue;
                }
                jobs.push((out(path, inner), Job::Copy { source: source.clone() }));
            }
        }
    }
    for (t, tax) in site.listings.taxonomies.iter().enumerate() {
        for lang in 0..site.library.langs.len() {
            jobs.push((out(&tax.paths[lang], "index.html"), Job::TaxonomyList { tax: t, lang }));
            for (i, term) in tax.terms[lang].iter().enumerate() {
                for pager in 1..=pager_count(term.pages.len(), tax.paginate_by) {
                    jobs.push((
                        out(&pager_path(&term.path, pager), "index.html"),
                        Job::Term { tax: t, lang, term: i, pager },
                    ));
                }
            }
        }
    }
    for (lang, code) in site.library.langs.iter().enumerate() {
        jobs.push((out(&format!("{}/", site.config.lang_prefix(code)), "404.html"), Job::NotFound { lang }));
    }
    if !site.facts.municipality_of.is_empty() {
        use crate::templates::open_data::{CSV_PATH, GEOJSON_PATH, JSON_PATH};
        for (path, format) in [(JSON_PATH, "json"), (CSV_PATH, "csv"), (GEOJSON_PATH, "geojson")] {
            jobs.push((path.to_string(), Job::OpenData { format }));
        }
        for lang in 0..site.library.langs.len() {
            jobs.push((crate::templates::map::services_geojson_path(site.lang_code(lang)), Job::MapGeoJson { lang }));
        }
    }
    if site.boundaries.is_some() {
        jobs.push((crate::templates::map::BOUNDARIES_PATH.to_string(), Job::Boundaries));
    }
    if templates.has("map.html") {
        for category in site.map_categories() {
            for lang in 0..site.library.langs.len() {
                if let Some(path) = site.map_category_path(category, lang) {
                    jobs.push((out(&path, "index.html"), Job::MapCategory { category, lang }));
                }
            }
        }
    }
    if !site.facts.completeness.is_empty() && templates.has("completeness.html") {
        for lang in 0..site.library.langs.len() {
            jobs.push((out(&completeness_path(site, lang), "index.html"), Job::Completeness { lang }));
        }
    }
    for &municipality in &site.facts.municipalities {
        for lang in 0..site.library.langs.len() {
            if let Some(path) = site.migrant_pack_path(municipality, lang) {
                jobs.push((out(&path, "index.html"), Job::MigrantPack { municipality, lang }));
            }
            for &guide in &site.facts.guides {
                if let Some(path) = site.migrant_local_path(guide, municipality, lang) {
                    jobs.push((out(&path, "index.html"), Job::MigrantLocal { guide, municipality, lang }));
                }
            }
        }
    }
    let in_sitemap = jobs.iter().filter(|(_, job)| sitemap_entry_of(site, job).is_some()).count();
    for part in 0..sitemap_parts(in_sitemap, SITEMAP_LIMIT) {
        jobs.push((format!("sitemap-{}.xml", part + 1), Job::Sitemap { part: Some(part) }));
    }
    jobs.push(("sitemap.xml".to_string(), Job::Sitemap { part: None }));
    jobs.push(("robots.txt".to_string(), Job::Robots));
    for (&municipality, (path, _)) in &site.previews {
        jobs.push((path.clone(), Job::Preview { municipality }));
    }
    if site.config.cms.is_some() {
        jobs.extend(crate::cms::FILES.iter().map(|file| (file.to_string(), Job::Cms { file })));
    }
    for (out_path, source) in &site.assets.files {
        jobs.push((out_path.clone(), Job::Copy { source: source.clone() }));
    }
    jobs
}

/// The node and language of an output that belongs in the search index: a real (not fallback)
/// page or section, first pager only (later pagers repeat the section's list).
pub(super) fn indexed(site: &SiteData, job: &Job) -> Option<(NodeId, usize)> {
    match job {
        Job::Node { id, lang, pager: 1 } if !site.library.nodes[*id].is_fallback(*lang) => Some((*id, *lang)),
        _ => None,
    }
}

pub(super) fn section_pagers(site: &SiteData, id: NodeId, lang: usize) -> usize {
    let per_page = site.doc(id, lang).and_then(|d| d.fm.paginate_by).unwrap_or(0);
    pager_count(site.listings.pages[id][lang].len(), per_page)
}

pub(super) fn job_location(site: &SiteData, job: &Job) -> Location {
    match job {
        Job::Node { id, lang, .. } | Job::Feed { id, lang } => {
            site.doc(*id, *lang).map_or_else(Location::default, |d| Location::file(&d.file))
        }
        Job::Copy { source } => Location::file(source),
        _ => Location::file("config.toml"),
    }
}

pub(super) fn describe_job(site: &SiteData, job: &Job) -> String {
    match job {
        Job::Node { pager, .. } if *pager > 1 => {
            format!("page {pager} of the list in {}", crate::diagnostics::display_location(&job_location(site, job)))
        }
        Job::Node { .. } | Job::Feed { .. } | Job::Copy { .. } => {
            crate::diagnostics::display_location(&job_location(site, job))
        }
        Job::TaxonomyList { tax, .. } | Job::Term { tax, .. } => {
            format!("taxonomy `{}`", site.listings.taxonomies[*tax].name)
        }
        Job::NotFound { .. } => "the 404 page".to_string(),
        Job::OpenData { format } => format!("the open data ({format})"),
        Job::MapGeoJson { .. } => "the services GeoJSON of the map".to_string(),
        Job::Boundaries => "the published boundary file".to_string(),
        Job::MapCategory { category, .. } => format!("the map page of category `{}`", category.code()),
        Job::Completeness { .. } => "the data-completeness report".to_string(),
        Job::MigrantLocal { .. } | Job::MigrantPack { .. } => "a municipality's migrant information".to_string(),
        Job::Sitemap { .. } => "sitemap.xml".to_string(),
        Job::Preview { .. } => "a municipality's link-preview image".to_string(),
        Job::Robots => "robots.txt".to_string(),
        Job::Cms { file } => format!("the editing interface ({file})"),
    }
}

/// The kind of a page or section (`data-kind`: `page`, `section`, `home`, `service`,
/// `accessibility-statement`, …) and the template that renders it in `lang`.
pub(super) fn node_template(site: &SiteData, templates: &Templates, id: NodeId, lang: usize) -> (String, String) {
    let node = &site.library.nodes[id];
    let typed = node.docs[site.default_lang()].as_deref().and_then(schema::kind_name);
    let kind = match typed {
        Some(name) => name,
        None if node.parent.is_none() => "home",
        None if node.is_section => "section",
        None => "page",
    };
    // `accessibility_statement` → `accessibility-statement`, as in data-kind and template names.
    let kind = kind.replace('_', "-");
    let kind_template = format!("{kind}.html");
    let template = match site.doc(id, lang).and_then(|d| d.fm.template.as_ref()) {
        Some(t) => t.value.clone(),
        None if typed.is_some() && templates.has(&kind_template) => kind_template,
        None if node.parent.is_none() => "index.html".to_string(),
        None if node.is_section => "section.html".to_string(),
        None => "page.html".to_string(),
    };
    (kind, template)
}

impl Job {
    /// The template that renders this output, if a template does.
    pub(crate) fn template(&self, loaded: &LoadedSite) -> Option<String> {
        let name = match self {
            Job::Node { id, lang, .. } => return Some(node_template(&loaded.site, &loaded.templates, *id, *lang).1),
            Job::Completeness { .. } => "completeness.html",
            Job::MigrantLocal { .. } => "migrant-local.html",
            Job::MigrantPack { .. } => "migrant-pack.html",
            Job::TaxonomyList { .. } => "taxonomy_list.html",
            Job::Term { .. } => "taxonomy_single.html",
            Job::NotFound { .. } => "404.html",
            Job::Feed { .. } => "atom.xml",
            Job::Sitemap { .. } => "sitemap.xml",
            Job::Robots => "robots.txt",
            Job::MapCategory { .. } => "map.html",
            Job::OpenData { .. }
            | Job::MapGeoJson { .. }
            | Job::Boundaries
            | Job::Copy { .. }
            | Job::Cms { .. }
            | Job::Preview { .. } => {
                return None;
            }
        };
        Some(name.to_string())
    }

    /// The language of the output, for outputs that have one.
    pub(crate) fn lang(&self) -> Option<usize> {
        match self {
            Job::Node { lang, .. }
            | Job::Completeness { lang }
            | Job::MigrantLocal { lang, .. }
            | Job::MigrantPack { lang, .. }
            | Job::TaxonomyList { lang, .. }
            | Job::Term { lang, .. }
            | Job::NotFound { lang }
            | Job::Feed { lang, .. }
            | Job::MapGeoJson { lang }
            | Job::MapCategory { lang, .. } => Some(*lang),
            Job::OpenData { .. }
            | Job::Boundaries
            | Job::Sitemap { .. }
            | Job::Robots
            | Job::Copy { .. }
            | Job::Cms { .. }
            | Job::Preview { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing;

    #[test]
    fn every_output_has_its_own_path_and_each_language_a_404() {
        let fixture = testing::typed();
        let jobs = plan_outputs(&fixture.loaded).expect("no collisions");
        let mut paths: Vec<&str> = jobs.iter().map(|(p, _)| p.as_str()).collect();
        paths.sort_unstable();
        let before = paths.len();
        paths.dedup();
        assert_eq!(paths.len(), before, "one job per path");
        for path in ["404.html", "en/404.html", "uk/404.html", "sitemap.xml", "robots.txt", "index.html"] {
            assert!(paths.contains(&path), "{path}");
        }
    }

    #[test]
    fn only_real_first_pagers_go_into_the_search_index() {
        let fixture = testing::typed();
        let site = &fixture.loaded.site;
        let about = site.library.by_key["o-stowarzyszeniu.md"];
        // The page exists in Polish only: its English page is a fallback.
        assert_eq!(indexed(site, &Job::Node { id: about, lang: 0, pager: 1 }), Some((about, 0)));
        assert_eq!(indexed(site, &Job::Node { id: about, lang: 1, pager: 1 }), None);
        assert_eq!(indexed(site, &Job::Node { id: about, lang: 0, pager: 2 }), None);
        assert_eq!(indexed(site, &Job::Robots), None);
    }
}
