//! The generated page kinds, which have no content file of their own: a migrant guide with one
//! municipality's facts, a municipality's migrant pack, the map page of a category, the
//! data-completeness report, the link-preview pictures and the editing interface's files.

use minijinja::Value;

use crate::content::NodeId;
use crate::diagnostics::Diagnostic;
use crate::model::SiteData;

use super::LoadedSite;
use super::context::{self, GeneratedContext};
use super::plan::Job;
use super::render::{Output, base_context};

/// The breadcrumbs of a page generated below `node`: `node`'s own ancestors, then `node`.
fn crumbs_to(site: &SiteData, node: NodeId, lang: usize) -> Vec<Value> {
    let mut crumbs: Vec<Value> = site
        .meta(node, lang)
        .get_attr("ancestors")
        .ok()
        .and_then(|a| a.try_iter().ok().map(|i| i.collect()))
        .unwrap_or_default();
    crumbs.push(site.reference(node, lang));
    crumbs
}

/// Breadcrumbs of a municipality's migrant pages: the municipality's own, then the municipality,
/// then (for a single topic) the pack.
pub(super) fn municipality_crumbs(site: &SiteData, municipality: NodeId, lang: usize, with_pack: bool) -> Value {
    let mut crumbs = crumbs_to(site, municipality, lang);
    if with_pack && let Some(path) = site.migrant_pack_path(municipality, lang) {
        let name = site.doc(municipality, lang).map(|d| d.title().to_string()).unwrap_or_default();
        let title = site
            .locales
            .message(site.lang_code(lang), "guide-pack-title", &[("name", name.into())])
            .unwrap_or_default();
        crumbs.push(Value::from_pairs([
            ("title", Value::from(title)),
            ("path", Value::from(site.href(&path))),
            ("is_fallback", Value::from(false)),
            ("lang", Value::from(site.lang_code(lang))),
        ]));
    }
    Value::from(crumbs)
}

/// A guide with one municipality's facts (`<body data-kind="migrant-local">`).
pub(super) fn render_migrant_local(site: &SiteData, guide: NodeId, municipality: NodeId, lang: usize) -> Output {
    let path = site.migrant_local_path(guide, municipality, lang).expect("planned");
    let job = Job::MigrantLocal { guide, municipality, lang };
    let mut base = base_context(site, &job, lang, "migrant-local", &path);
    base.is_fallback = site.library.nodes[guide].is_fallback(lang);
    base.content_lang = site.lang_code(site.content_lang(guide, lang)).to_string();
    let page = site.meta_with(
        guide,
        lang,
        vec![
            ("content", Value::from_safe_string(site.guide_html(guide, Some(municipality), lang))),
            ("local_facts", site.guide_local_facts(guide, municipality, lang)),
            ("sources", site.sources_view(guide, lang)),
            ("municipality", site.reference(municipality, lang)),
            ("pack", Value::from(site.migrant_pack_path(municipality, lang).map(|p| site.href(&p)))),
            ("ancestors", municipality_crumbs(site, municipality, lang, true)),
            ("path", Value::from(site.href(&path))),
        ],
    );
    let ctx = GeneratedContext::generated(base, page);
    Output::template("migrant-local.html", context::value(&ctx), "a migrant guide for a municipality")
}

/// Every guide of one municipality on one printable page.
pub(super) fn render_migrant_pack(site: &SiteData, municipality: NodeId, lang: usize) -> Output {
    let path = site.migrant_pack_path(municipality, lang).expect("planned");
    let base = base_context(site, &Job::MigrantPack { municipality, lang }, lang, "migrant-local", &path);
    let mut guides: Vec<NodeId> =
        site.facts.guides.iter().copied().filter(|&g| site.library.nodes[g].paths[lang].is_some()).collect();
    guides.sort_by_key(|&g| {
        (site.doc(g, lang).and_then(|d| d.fm.weight).unwrap_or(i64::MAX), site.library.nodes[g].key.clone())
    });
    let topics: Value = guides
        .iter()
        .map(|&g| {
            Value::from_pairs([
                ("title", Value::from(site.doc(g, lang).map(|d| d.title()).unwrap_or_default())),
                ("lang", Value::from(site.lang_code(site.content_lang(g, lang)))),
                ("is_fallback", Value::from(site.library.nodes[g].is_fallback(lang))),
                ("anchor", Value::from(site.library.nodes[g].stem.clone())),
                ("path", Value::from(site.migrant_local_path(g, municipality, lang).map(|p| site.href(&p)))),
                (
                    "content",
                    Value::from_safe_string(crate::markdown::scope_anchors(
                        &site.guide_html(g, Some(municipality), lang),
                        &site.library.nodes[g].stem,
                    )),
                ),
                ("local_facts", site.guide_local_facts(g, municipality, lang)),
                ("sources", site.sources_view(g, lang)),
            ])
        })
        .collect();
    let name = site.doc(municipality, lang).map(|d| d.title().to_string()).unwrap_or_default();
    let title =
        site.locales.message(site.lang_code(lang), "guide-pack-title", &[("name", name.into())]).unwrap_or_default();
    let page = Value::from_pairs([
        ("title", Value::from(title)),
        ("path", Value::from(site.href(&path))),
        ("description", Value::from(())),
        ("ancestors", municipality_crumbs(site, municipality, lang, false)),
        ("municipality", site.reference(municipality, lang)),
        ("topics", topics),
    ]);
    let ctx = GeneratedContext::generated(base, page);
    Output::template("migrant-pack.html", context::value(&ctx), "a municipality's migrant pack")
}

/// The map page of one category: the map page's own text with the map, legend and list of
/// that category (`page.map_category` is `{code, label}`).
pub(super) fn render_map_category(site: &SiteData, category: crate::schema::vocab::Category, lang: usize) -> Output {
    let node = site.map_page().expect("planned with a map page");
    let path = site.map_category_path(category, lang).expect("planned");
    let base = base_context(site, &Job::MapCategory { category, lang }, lang, "map", &path);
    let label = site.label(lang, &category.label_key());
    let title = site
        .locales
        .message(site.lang_code(lang), "map-category-title", &[("name", label.clone().into())])
        .unwrap_or(label.clone());
    let ancestors = crumbs_to(site, node, lang);
    let page = site.meta_with(
        node,
        lang,
        vec![
            ("title", Value::from(title)),
            ("description", Value::from(())),
            ("path", Value::from(site.href(&path))),
            ("content", Value::from_safe_string(String::new())),
            ("ancestors", Value::from(ancestors)),
            (
                "map_category",
                Value::from_pairs([("code", Value::from(category.code())), ("label", Value::from(label))]),
            ),
        ],
    );
    let ctx = GeneratedContext::generated(base, page);
    Output::template("map.html", context::value(&ctx), format!("the map of category `{}`", category.code()))
}

/// `<lang prefix>/<slug>/` of the completeness report; the slug is the UI string
/// `completeness-slug` of the language.
pub(super) fn completeness_path(site: &SiteData, lang: usize) -> String {
    let slug = crate::slug::slugify(&site.label(lang, "completeness-slug"), site.lang_code(lang));
    format!("{}/{slug}/", site.config.lang_prefix(site.lang_code(lang)))
}

pub(super) fn completeness_view(site: &SiteData, lang: usize) -> Value {
    let facts: Value = crate::schema::vocab::LocalFact::ALL
        .iter()
        .map(|f| {
            Value::from_pairs([
                ("code", Value::from(f.code())),
                ("label", Value::from(site.label(lang, &f.label_key()))),
            ])
        })
        .collect();
    let rows: Value = site
        .facts
        .completeness
        .iter()
        .map(|(m, states)| {
            let cells: Value = states
                .iter()
                .map(|(_, state)| {
                    let code = serde_json::to_value(state)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    Value::from_pairs([
                        ("state", Value::from(code.clone())),
                        ("label", Value::from(site.label(lang, &format!("state-{code}")))),
                    ])
                })
                .collect();
            Value::from_pairs([("municipality", site.reference(*m, lang)), ("cells", cells)])
        })
        .collect();
    let services: Value = site
        .facts
        .municipalities
        .iter()
        .map(|&m| {
            let items: Vec<Value> = site
                .facts
                .services_of
                .get(&m)
                .into_iter()
                .flatten()
                .filter_map(|&s| {
                    let service = site.service(s)?;
                    let missing: Vec<Value> = site
                        .missing_facts(service)
                        .into_iter()
                        .map(|f| Value::from(site.label(lang, &f.label_key())))
                        .collect();
                    let old: Vec<Value> = site
                        .old_facts(s, service)
                        .into_iter()
                        .map(|(f, d)| {
                            Value::from(format!(
                                "{} ({})",
                                site.label(lang, &f.label_key()),
                                site.partial_date_text(lang, d, false)
                            ))
                        })
                        .collect();
                    let unconfirmed: Vec<Value> =
                        service.unconfirmed.iter().map(|f| Value::from(site.label(lang, &f.label_key()))).collect();
                    if missing.is_empty() && old.is_empty() && unconfirmed.is_empty() {
                        return None;
                    }
                    Some(Value::from_pairs([
                        ("service", site.reference(s, lang)),
                        ("missing", Value::from(missing)),
                        ("old", Value::from(old)),
                        ("unconfirmed", Value::from(unconfirmed)),
                    ]))
                })
                .collect();
            Value::from_pairs([("municipality", site.reference(m, lang)), ("services", Value::from(items))])
        })
        .collect();
    let title = site.label(lang, "completeness-title");
    Value::from_pairs([
        ("services", services),
        ("title", Value::from(title)),
        ("path", Value::from(site.href(&completeness_path(site, lang)))),
        ("description", Value::from(())),
        ("ancestors", Value::from(vec![site.reference(site.library.home, lang)])),
        ("facts", facts),
        ("rows", rows),
    ])
}

/// A municipality's link-preview picture, rasterized (only with the `previews` feature, which
/// is also the only way such a job is planned).
pub(super) fn render_preview(loaded: &LoadedSite, municipality: NodeId) -> Result<Vec<u8>, Diagnostic> {
    let (path, svg) = loaded.site.previews.get(&municipality).expect("planned from previews");
    // The name is a fingerprint of what the picture is drawn from: the same name in the previous
    // output is the same picture.
    if let Some(previous) = loaded.previous_output.as_ref().and_then(|dir| std::fs::read(dir.join(path)).ok())
        && previous.starts_with(b"\x89PNG")
    {
        return Ok(previous);
    }
    #[cfg(feature = "previews")]
    return crate::templates::preview::rasterize(svg)
        .map_err(|e| Diagnostic::error("preview-image", e).hint("a bug in the preview drawing: please report it"));
    #[cfg(not(feature = "previews"))]
    {
        let _ = svg;
        Err(Diagnostic::error("preview-image", "built without the `previews` feature"))
    }
}

/// What the editing interface's configuration needs from the loaded site.
pub(super) fn cms_inputs(site: &SiteData) -> crate::cms::Inputs<'_> {
    let default = site.default_lang();
    let municipalities = site
        .facts
        .municipalities
        .iter()
        .filter_map(|&id| {
            let node = &site.library.nodes[id];
            let folder = node.key.strip_prefix("gminy/")?.strip_suffix("/_index.md")?;
            let doc = node.docs[default].as_deref()?;
            let teryt = crate::schema::kind_of::<crate::schema::kinds::Municipality>(doc)?.teryt.get_ref().clone();
            Some(crate::cms::MunicipalityFolder { folder: folder.to_string(), title: doc.title().to_string(), teryt })
        })
        .collect();
    // Files without a kind, by what they are; the Polish title names them in the forms.
    let (mut sections, mut pages) = (Vec::new(), Vec::new());
    for node in &site.library.nodes {
        let Some(doc) = node.docs[default].as_deref() else { continue };
        if doc.fm.kind.is_none() {
            let list = if node.is_section { &mut sections } else { &mut pages };
            list.push((node.key.clone(), doc.title().to_string()));
        }
    }
    crate::cms::Inputs {
        config: &site.config,
        sections,
        pages,
        cms: site.config.cms.as_ref().expect("[cms] is set when its files are written"),
        municipalities,
        label: Box::new(move |key: &str| site.locales.message(site.lang_code(default), key, &[]).ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing;

    #[test]
    fn the_completeness_report_is_at_each_languages_own_slug() {
        let fixture = testing::typed();
        let site = &fixture.loaded.site;
        let paths: Vec<String> = (0..3).map(|lang| completeness_path(site, lang)).collect();
        assert_eq!(paths, ["/kompletnosc-danych/", "/en/data-completeness/", "/uk/povnota-danykh/"]);
    }

    #[test]
    fn a_migrant_pack_has_a_topic_for_each_guide_and_the_municipality_in_its_crumbs() {
        let fixture = testing::typed();
        let (template, context) = crate::site::context_at(&fixture.loaded, "/gminy/wieliczka/migranci/").unwrap();
        assert_eq!(template, "migrant-pack.html");
        let page = context.get_attr("page").unwrap();
        assert_eq!(page.get_attr("topics").unwrap().len(), Some(fixture.loaded.site.facts.guides.len()));
        let crumbs: Vec<String> = page
            .get_attr("ancestors")
            .unwrap()
            .try_iter()
            .unwrap()
            .map(|c| c.get_attr("title").unwrap().to_string())
            .collect();
        assert_eq!(crumbs.last().map(String::as_str), Some("Wieliczka"));
    }
}
