//! Render: runs every job in parallel through its template with its typed context, and the
//! page kinds every site has (pages, sections, taxonomies, 404).

use std::collections::HashMap;
use std::sync::Mutex;

use rayon::prelude::*;

use minijinja::Value;

use crate::content::NodeId;
use crate::content::listing::{pager_count, pager_path};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::SiteData;

use super::LoadedSite;
use super::context::{
    self, Absent, Base, GeneratedContext, LanguageLink, NodeContext, NotFoundContext, OgImage, PageContext,
    PaginatorView, RobotsContext, TaxonomyListContext, TaxonomyView, TermContext, TermSummary, TermView,
};
use super::feeds::render_feed;
use super::feeds::render_sitemap;
use super::pages::cms_inputs;
use super::pages::completeness_path;
use super::pages::completeness_view;
use super::pages::render_map_category;
use super::pages::render_migrant_local;
use super::pages::render_migrant_pack;
use super::pages::render_preview;
use super::plan::Job;
use super::plan::indexed;
use super::plan::node_template;
use super::versions;

/// Renders every job in parallel and hands each output to `sink` (which may report a problem
/// with it). With `copies == false`, files copied as they are (static assets, co-located files)
/// are skipped: `check` needs only what is generated. Returns the problems, sorted; a template
/// mistake fails every page that uses it, so each one is reported once.
pub(crate) fn render_outputs<F>(loaded: &LoadedSite, jobs: &[(String, Job)], copies: bool, sink: F) -> Vec<Diagnostic>
where
    F: Fn(&str, &Job, Vec<u8>) -> Option<Diagnostic> + Sync,
{
    let select = |_: usize, job: &Job| copies || !matches!(job, Job::Copy { .. });
    render_selected(loaded, jobs, &select, false, |_, path, job, bytes, _| sink(path, job, bytes))
}

/// Renders the jobs `select` picks (by index and job) in parallel, handing each output to
/// `sink` with its index and, when `record` is set, what its render read ([`crate::deps`]).
pub(super) fn render_selected<F>(
    loaded: &LoadedSite,
    jobs: &[(String, Job)],
    select: &(dyn Fn(usize, &Job) -> bool + Sync),
    record: bool,
    sink: F,
) -> Vec<Diagnostic>
where
    F: Fn(usize, &str, &Job, Vec<u8>, Option<crate::deps::DepSet>) -> Option<Diagnostic> + Sync,
{
    let diags = Diagnostics::new();
    // Each template mistake once, as met by the first page in plan order (not whichever page a
    // worker thread happened to render first), so the message is the same on every run.
    type TemplateErrors = HashMap<(Option<Box<Location>>, String), (usize, Diagnostic)>;
    let template_errors: Mutex<TemplateErrors> = Mutex::new(HashMap::new());
    jobs.par_iter().enumerate().filter(|(index, (_, job))| select(*index, job)).for_each(|(index, (path, job))| {
        let (result, deps) = if record {
            let (result, deps) = crate::deps::recording(|| render_job(loaded, job));
            (result, Some(deps))
        } else {
            (render_job(loaded, job), None)
        };
        match result {
            Ok(bytes) => {
                if let Some(diag) = sink(index, path, job, bytes, deps) {
                    diags.push(diag);
                }
            }
            Err(diag) => {
                let key = (diag.location.clone(), diag.message.clone());
                let mut seen = template_errors.lock().expect("lock");
                if seen.get(&key).is_none_or(|(first, _)| index < *first) {
                    seen.insert(key, (index, diag));
                }
            }
        }
    });
    for (_, diag) in template_errors.into_inner().expect("lock").into_values() {
        diags.push(diag);
    }
    diags.into_sorted()
}

/// The variables every HTML page gets; the language versions come from the job
/// ([`versions`]), so the switcher, `hreflang`, `noindex` and the sitemap agree.
pub(super) fn base_context(site: &SiteData, job: &Job, lang: usize, kind: &str, site_path: &str) -> Base {
    let code = site.lang_code(lang);
    let mut base = Base {
        lang: code.to_string(),
        kind: kind.to_string(),
        config: site.config_view(lang),
        current_path: site.href(site_path),
        current_url: site.permalink(site_path),
        translations: Vec::new(),
        alternates: Vec::new(),
        x_default: None,
        noindex: false,
        in_sitemap: false,
        og_locale: versions::og_locale(&site.config.languages[lang].locale),
        og_locale_alternates: Vec::new(),
        // The preview image of a shared link: the portal's own, with its text alternative.
        og_image: site.assets.hashed.get("og/portal.png").map(|hashed| OgImage {
            url: site.permalink(&format!("/{hashed}")),
            width: 1200,
            height: 630,
            alt: site.label(lang, "og-image-alt"),
        }),
        is_fallback: false,
        search_indexed: false,
        content_lang: code.to_string(),
        accessibility_statement: site.facts.statement.and_then(|s| {
            let n = &site.library.nodes[s];
            n.paths[lang].as_ref().map(|p| site.permalink(p))
        }),
    };
    if let Some(v) = versions::of_job(site, job) {
        versions::apply(&mut base, site, &v);
    }
    // A municipality's pages, its services and its migrant pages share its preview picture.
    let municipality = match job {
        Job::Node { id, .. } if site.facts.municipalities.contains(id) => Some(*id),
        Job::Node { id, .. } => site.facts.municipality_of.get(id).copied(),
        Job::MigrantLocal { municipality, .. } | Job::MigrantPack { municipality, .. } => Some(*municipality),
        _ => None,
    };
    if let Some(m) = municipality
        && let Some((path, _)) = site.previews.get(&m)
    {
        let name = site.doc(m, lang).map(|d| d.title().to_string()).unwrap_or_default();
        let alt = site.locales.message(code, "og-image-alt-municipality", &[("name", name.into())]).unwrap_or_default();
        base.og_image = Some(OgImage {
            url: site.permalink(&format!("/{path}")),
            width: crate::templates::preview::WIDTH,
            height: crate::templates::preview::HEIGHT,
            alt,
        });
    }
    base
}

/// Element ids the ministry's template of an accessibility statement requires (v2.0).
pub(super) const STATEMENT_IDS: &[&str] = &[
    "a11y-wstep",
    "a11y-podmiot",
    "a11y-zakres",
    "a11y-url",
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-status",
    "a11y-kontakt",
    "a11y-email",
    "a11y-telefon",
    "a11y-procedura",
    "a11y-data-sporzadzenie",
    "a11y-architektura",
    "a11y-komunikacja",
];

/// Each required id appears exactly once in a rendered statement.
pub(super) fn check_statement_ids(html: &str, doc: &crate::content::Doc, lang: &str) -> Result<(), Diagnostic> {
    let problems: Vec<String> = STATEMENT_IDS
        .iter()
        .filter_map(|id| match html.matches(&format!("id=\"{id}\"")).count() {
            1 => None,
            0 => Some(format!("`{id}` is missing")),
            n => Some(format!("`{id}` appears {n} times")),
        })
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    Err(Diagnostic::error("statement-ids", format!("the accessibility statement lacks the required structure: {}", problems.join(", ")))
        .at(Location::file(&doc.file))
        .lang(lang)
        .hint("the ministry's template requires these element ids once each; give the body headings such as ## Procedura {#a11y-procedura}"))
}

pub(super) fn paginator(
    site: &SiteData,
    items: &[NodeId],
    lang: usize,
    per_page: usize,
    pager: usize,
    first: &str,
) -> PaginatorView {
    let count = pager_count(items.len(), per_page);
    let slice = if per_page == 0 {
        items
    } else {
        &items[((pager - 1) * per_page).min(items.len())..(pager * per_page).min(items.len())]
    };
    let link = |i: usize| site.href(&pager_path(first, i));
    PaginatorView {
        pages: slice.iter().map(|&id| site.reference(id, lang)).collect(),
        current_index: pager,
        number_pagers: count,
        total_items: items.len(),
        first: link(1),
        last: link(count),
        previous: (pager > 1).then(|| link(pager - 1)),
        next: (pager < count).then(|| link(pager + 1)),
    }
}

/// What a job makes: a template rendered with its context, or bytes made without one.
pub(super) enum Output {
    Template {
        name: String,
        context: Value,
        /// What the template renders, for its errors (`forum/x.md (en)`).
        origin: Option<String>,
    },
    Bytes(Vec<u8>),
}

impl Output {
    pub(super) fn template(name: &str, context: Value, origin: impl Into<String>) -> Output {
        Output::Template { name: name.to_string(), context, origin: Some(origin.into()) }
    }
}

/// Renders one job: its template with its context, and checks what needs the rendered page.
pub(super) fn render_job(loaded: &LoadedSite, job: &Job) -> Result<Vec<u8>, Diagnostic> {
    match output_of(loaded, job)? {
        Output::Bytes(bytes) => Ok(bytes),
        Output::Template { name, context, origin } => {
            let html = loaded.templates.render(&name, context, origin.as_deref())?;
            if let Job::Node { id, lang, .. } = job
                && node_template(&loaded.site, &loaded.templates, *id, *lang).0 == "accessibility-statement"
            {
                let doc = loaded.site.doc(*id, *lang).expect("planned nodes exist");
                check_statement_ids(&html, doc, loaded.site.lang_code(*lang))?;
            }
            Ok(html.into_bytes())
        }
    }
}

/// The template and context of the output at a site path (`/en/forum/`, `/sitemap.xml`), for
/// `metroportal context`; an error naming the problem when no template makes that output.
pub(crate) fn context_at(loaded: &LoadedSite, site_path: &str) -> Result<(String, Value), String> {
    let mut wanted = site_path.trim_start_matches('/').to_string();
    if wanted.is_empty() || wanted.ends_with('/') {
        wanted.push_str("index.html");
    }
    let jobs = super::plan_outputs(loaded).map_err(|_| "the site has errors (run `metroportal check`)".to_string())?;
    let (_, job) = jobs.iter().find(|(path, _)| *path == wanted).ok_or_else(|| {
        let near = crate::diagnostics::did_you_mean(&wanted, jobs.iter().map(|(p, _)| p.as_str()));
        format!("no output at {site_path}{}", near.map(|p| format!(" (did you mean /{p}?)")).unwrap_or_default())
    })?;
    match output_of(loaded, job).map_err(|d| d.message)? {
        Output::Template { name, context, .. } => Ok((name, context)),
        Output::Bytes(_) => Err(format!("{site_path} is not made by a template")),
    }
}

/// What a job makes, before any template runs (`metroportal context` shows these contexts).
pub(super) fn output_of(loaded: &LoadedSite, job: &Job) -> Result<Output, Diagnostic> {
    let site = &loaded.site;
    let templates = &loaded.templates;
    Ok(match job {
        Job::Node { id, lang, pager } => {
            let (id, lang) = (*id, *lang);
            let node = &site.library.nodes[id];
            let doc = site.doc(id, lang).expect("planned nodes exist");
            let path = node.paths[lang].as_deref().expect("planned nodes have a path");
            let (kind_label, template) = node_template(site, templates, id, lang);
            let kind = kind_label.as_str();
            let mut base = base_context(site, job, lang, kind, &pager_path(path, *pager));
            base.is_fallback = node.is_fallback(lang);
            base.search_indexed = indexed(site, job).is_some();
            base.content_lang = site.lang_code(site.content_lang(id, lang)).to_string();
            let full = Some(site.full(id, lang));
            let (page, section) = if node.is_section { (None, full) } else { (full, None) };
            let paginator = doc
                .fm
                .paginate_by
                .filter(|&n| n > 0 && node.is_section)
                .map(|per_page| paginator(site, &site.listings.pages[id][lang], lang, per_page, *pager, path));
            let ctx: NodeContext = PageContext::new(base, page, section, paginator, Absent, Absent);
            let origin = format!("{} ({})", doc.file.to_string_lossy().replace('\\', "/"), site.lang_code(lang));
            Output::template(&template, context::value(&ctx), origin)
        }
        Job::TaxonomyList { tax, lang } => {
            let taxonomy = &site.listings.taxonomies[*tax];
            let base = base_context(site, job, *lang, "taxonomy", &taxonomy.paths[*lang]);
            let ctx: TaxonomyListContext =
                PageContext::new(base, Absent, Absent, Absent, taxonomy_view(site, *tax, *lang), Absent);
            Output::template("taxonomy_list.html", context::value(&ctx), format!("taxonomy `{}`", taxonomy.name))
        }
        Job::Term { tax, lang, term, pager } => {
            let taxonomy = &site.listings.taxonomies[*tax];
            let t = &taxonomy.terms[*lang][*term];
            let base = base_context(site, job, *lang, "term", &pager_path(&t.path, *pager));
            let paginated = taxonomy.paginate_by > 0;
            let term = TermView {
                name: t.name.clone(),
                slug: t.slug.clone(),
                path: site.href(&t.path),
                page_count: t.pages.len(),
                pages: (!paginated).then(|| t.pages.iter().map(|&p| site.reference(p, *lang)).collect()),
            };
            let paginator = paginated.then(|| paginator(site, &t.pages, *lang, taxonomy.paginate_by, *pager, &t.path));
            let ctx: TermContext =
                PageContext::new(base, Absent, Absent, paginator, taxonomy_view(site, *tax, *lang), term);
            Output::template(
                "taxonomy_single.html",
                context::value(&ctx),
                format!("term `{}` of `{}`", t.name, taxonomy.name),
            )
        }
        Job::NotFound { lang } => {
            let code = site.lang_code(*lang);
            let mut base =
                base_context(site, job, *lang, "404", &format!("{}/404.html", site.config.lang_prefix(code)));
            base.noindex = true;
            base.translations =
                language_links(site, *lang, |l| format!("{}/", site.config.lang_prefix(site.lang_code(l))));
            let ctx: NotFoundContext = PageContext::new(base, Absent, Absent, Absent, Absent, Absent);
            Output::template("404.html", context::value(&ctx), "the 404 page")
        }
        Job::MigrantLocal { guide, municipality, lang } => render_migrant_local(site, *guide, *municipality, *lang),
        Job::MigrantPack { municipality, lang } => render_migrant_pack(site, *municipality, *lang),
        Job::Feed { id, lang } => render_feed(site, *id, *lang),
        Job::Completeness { lang } => {
            let base = base_context(site, job, *lang, "completeness", &completeness_path(site, *lang));
            let ctx = GeneratedContext::generated(base, completeness_view(site, *lang));
            Output::template("completeness.html", context::value(&ctx), "the data-completeness report")
        }
        Job::MapGeoJson { lang } => Output::Bytes(site.services_geojson(*lang).into_bytes()),
        Job::Boundaries => {
            let path = site.config.data.boundaries.as_deref().unwrap_or_default();
            Output::Bytes(
                std::fs::read(loaded.root.join(path))
                    .map_err(|err| Diagnostic::error("io", format!("cannot read: {err}")).at(Location::file(path)))?,
            )
        }
        Job::MapCategory { category, lang } => render_map_category(site, *category, *lang),
        Job::OpenData { format } => Output::Bytes(
            match *format {
                "json" => site.open_data_json(),
                "csv" => site.open_data_csv(),
                _ => site.open_data_geojson(),
            }
            .into_bytes(),
        ),
        Job::Sitemap { part } => render_sitemap(site, templates, *part),
        Job::Preview { municipality } => Output::Bytes(render_preview(loaded, *municipality)?),
        Job::Robots => Output::Template {
            name: "robots.txt".to_string(),
            context: context::value(&RobotsContext { sitemap_url: site.permalink("/sitemap.xml") }),
            origin: None,
        },
        Job::Cms { file } => Output::Bytes(crate::cms::render(file, &cms_inputs(site))),
        Job::Copy { source } => {
            let full = if source.is_absolute() { source.clone() } else { loaded.root.join(source) };
            Output::Bytes(
                std::fs::read(&full)
                    .map_err(|err| Diagnostic::error("io", format!("cannot read: {err}")).at(Location::file(source)))?,
            )
        }
    })
}

/// A language switcher offering every configured language, at `path_of(language index)`.
pub(super) fn language_links(site: &SiteData, lang: usize, path_of: impl Fn(usize) -> String) -> Vec<LanguageLink> {
    site.config
        .languages
        .iter()
        .enumerate()
        .map(|(l, language)| LanguageLink {
            lang: language.code.clone(),
            name: language.name.clone(),
            path: site.href(&path_of(l)),
            current: l == lang,
        })
        .collect()
}

pub(super) fn taxonomy_view(site: &SiteData, tax: usize, lang: usize) -> TaxonomyView {
    let taxonomy = &site.listings.taxonomies[tax];
    TaxonomyView {
        name: taxonomy.name.clone(),
        path: site.href(&taxonomy.paths[lang]),
        terms: taxonomy.terms[lang]
            .iter()
            .map(|t| TermSummary {
                name: t.name.clone(),
                slug: t.slug.clone(),
                path: site.href(&t.path),
                page_count: t.pages.len(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing;

    fn context(fixture: &testing::Fixture, path: &str) -> (String, Value) {
        context_at(&fixture.loaded, path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn a_page_fills_page_and_a_section_fills_section() {
        let fixture = testing::typed();
        let (template, page) = context(&fixture, "/o-stowarzyszeniu/");
        assert_eq!(template, "page.html");
        assert!(!page.get_attr("page").unwrap().is_none());
        assert!(page.get_attr("section").unwrap().is_none());
        let (template, section) = context(&fixture, "/forum/");
        assert_eq!(template, "section.html");
        assert!(section.get_attr("page").unwrap().is_none());
        assert_eq!(section.get_attr("kind").unwrap().as_str(), Some("section"));
    }

    #[test]
    fn a_fallback_page_shows_polish_text_and_is_not_indexed() {
        let fixture = testing::typed();
        let (_, page) = context(&fixture, "/en/o-stowarzyszeniu/");
        assert_eq!(page.get_attr("lang").unwrap().as_str(), Some("en"));
        assert_eq!(page.get_attr("content_lang").unwrap().as_str(), Some("pl"));
        assert!(page.get_attr("is_fallback").unwrap().is_true());
        assert!(page.get_attr("noindex").unwrap().is_true());
        assert!(!page.get_attr("search_indexed").unwrap().is_true());
    }

    #[test]
    fn the_404_offers_the_home_of_every_language() {
        let fixture = testing::typed();
        let (_, page) = context(&fixture, "/uk/404.html");
        let homes: Vec<String> = page
            .get_attr("translations")
            .unwrap()
            .try_iter()
            .unwrap()
            .map(|l| l.get_attr("path").unwrap().to_string())
            .collect();
        assert_eq!(homes, ["/portal/", "/portal/en/", "/portal/uk/"]);
    }

    #[test]
    fn an_output_without_a_template_has_no_context() {
        let fixture = testing::typed();
        let err = context_at(&fixture.loaded, "/dane/gminy.geojson").unwrap_err();
        assert_eq!(err, "/dane/gminy.geojson is not made by a template");
    }
}
