//! Render: runs every job in parallel through its template with its typed context, and the
//! page kinds every site has (pages, sections, taxonomies, 404).

use std::collections::HashMap;
use std::sync::Mutex;

use minijinja::Value;
use rayon::prelude::*;

use crate::content::NodeId;
use crate::content::listing::{pager_count, pager_path};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::SiteData;

use super::LoadedSite;
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
pub fn render_outputs<F>(loaded: &LoadedSite, jobs: &[(String, Job)], copies: bool, sink: F) -> Vec<Diagnostic>
where
    F: Fn(&str, &Job, Vec<u8>) -> Option<Diagnostic> + Sync,
{
    let diags = Diagnostics::new();
    // Each template mistake once, as met by the first page in plan order (not whichever page a
    // worker thread happened to render first), so the message is the same on every run.
    type TemplateErrors = HashMap<(Option<Box<Location>>, String), (usize, Diagnostic)>;
    let template_errors: Mutex<TemplateErrors> = Mutex::new(HashMap::new());
    jobs.par_iter().enumerate().filter(|(_, (_, job))| copies || !matches!(job, Job::Copy { .. })).for_each(
        |(index, (path, job))| match render_job(loaded, job) {
            Ok(bytes) => {
                if let Some(diag) = sink(path, job, bytes) {
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
        },
    );
    for (_, diag) in template_errors.into_inner().expect("lock").into_values() {
        diags.push(diag);
    }
    diags.into_sorted()
}

pub(super) fn none() -> Value {
    Value::from(())
}

/// The variables every HTML template gets.
/// The variables every HTML template gets; the language versions come from the job
/// ([`versions`]), so the switcher, `hreflang`, `noindex` and the sitemap agree.
pub(super) fn base_context(
    site: &SiteData,
    job: &Job,
    lang: usize,
    kind: &str,
    site_path: &str,
) -> Vec<(&'static str, Value)> {
    let mut ctx = base_variables(site, lang, kind, site_path);
    if let Some(v) = versions::of_job(site, job) {
        versions::apply(&mut ctx, site, &v);
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
        let alt = site
            .locales
            .message(site.lang_code(lang), "og-image-alt-municipality", &[("name", name.into())])
            .unwrap_or_default();
        let image = Value::from_pairs([
            ("url", Value::from(site.permalink(&format!("/{path}")))),
            ("width", Value::from(crate::templates::preview::WIDTH)),
            ("height", Value::from(crate::templates::preview::HEIGHT)),
            ("alt", Value::from(alt)),
        ]);
        set(&mut ctx, "og_image", image);
    }
    ctx
}

pub(super) fn base_variables(site: &SiteData, lang: usize, kind: &str, site_path: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("lang", Value::from(site.lang_code(lang))),
        ("kind", Value::from(kind)),
        ("config", site.config_view(lang)),
        ("current_path", Value::from(site.href(site_path))),
        ("current_url", Value::from(site.permalink(site_path))),
        ("translations", Value::from(Vec::<Value>::new())),
        ("alternates", Value::from(Vec::<Value>::new())),
        ("x_default", none()),
        ("noindex", Value::from(false)),
        ("in_sitemap", Value::from(false)),
        ("og_locale", Value::from(versions::og_locale(&site.config.languages[lang].locale))),
        ("og_locale_alternates", Value::from(Vec::<Value>::new())),
        // The preview image of a shared link: the portal's own, with its text alternative.
        (
            "og_image",
            Value::from(site.assets.hashed.get("og/portal.png").map(|hashed| {
                Value::from_pairs([
                    ("url", Value::from(site.permalink(&format!("/{hashed}")))),
                    ("width", Value::from(1200)),
                    ("height", Value::from(630)),
                    ("alt", Value::from(site.label(lang, "og-image-alt"))),
                ])
            })),
        ),
        ("is_fallback", Value::from(false)),
        // Whether the page goes into the search index: the theme marks its main content then.
        ("search_indexed", Value::from(false)),
        ("content_lang", Value::from(site.lang_code(lang))),
        ("page", none()),
        ("section", none()),
        ("paginator", none()),
        ("taxonomy", none()),
        ("term", none()),
        // Every page links the accessibility statement in the reader's language (required by law).
        (
            "accessibility_statement",
            Value::from(site.facts.statement.and_then(|s| {
                let n = &site.library.nodes[s];
                n.paths[lang].as_ref().map(|p| site.permalink(p))
            })),
        ),
    ]
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

/// Sets a key of the template context made by `base_context`. Every key templates may use is
/// declared there; setting one that is not is a bug of the generator, never silently dropped.
pub(super) fn set(ctx: &mut [(&'static str, Value)], key: &str, value: Value) {
    match ctx.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => panic!("template context key `{key}` is not declared in base_context"),
    }
}

pub(super) fn paginator(
    site: &SiteData,
    items: &[NodeId],
    lang: usize,
    per_page: usize,
    pager: usize,
    first: &str,
) -> Value {
    let count = pager_count(items.len(), per_page);
    let slice = if per_page == 0 {
        items
    } else {
        &items[((pager - 1) * per_page).min(items.len())..(pager * per_page).min(items.len())]
    };
    let link = |i: usize| Value::from(site.href(&pager_path(first, i)));
    Value::from_pairs([
        ("pages", slice.iter().map(|&id| site.reference(id, lang)).collect::<Value>()),
        ("current_index", Value::from(pager)),
        ("number_pagers", Value::from(count)),
        ("total_items", Value::from(items.len())),
        ("first", link(1)),
        ("last", link(count)),
        ("previous", if pager > 1 { link(pager - 1) } else { none() }),
        ("next", if pager < count { link(pager + 1) } else { none() }),
    ])
}

pub(super) fn render_job(loaded: &LoadedSite, job: &Job) -> Result<Vec<u8>, Diagnostic> {
    let site = &loaded.site;
    let templates = &loaded.templates;
    match job {
        Job::Node { id, lang, pager } => {
            let (id, lang) = (*id, *lang);
            let node = &site.library.nodes[id];
            let doc = site.doc(id, lang).expect("planned nodes exist");
            let path = node.paths[lang].as_deref().expect("planned nodes have a path");
            let (kind_label, template) = node_template(site, templates, id, lang);
            let kind = kind_label.as_str();
            let mut ctx = base_context(site, job, lang, kind, &pager_path(path, *pager));
            let fallback = node.is_fallback(lang);
            set(&mut ctx, "is_fallback", Value::from(fallback));
            set(&mut ctx, "search_indexed", Value::from(indexed(site, job).is_some()));
            set(&mut ctx, "content_lang", Value::from(site.lang_code(site.content_lang(id, lang))));
            set(&mut ctx, if node.is_section { "section" } else { "page" }, site.full(id, lang));
            if node.is_section
                && let Some(per_page) = doc.fm.paginate_by.filter(|&n| n > 0)
            {
                set(
                    &mut ctx,
                    "paginator",
                    paginator(site, &site.listings.pages[id][lang], lang, per_page, *pager, path),
                );
            }
            let origin = format!("{} ({})", doc.file.to_string_lossy().replace('\\', "/"), site.lang_code(lang));
            let html = templates.render(&template, Value::from_pairs(ctx), Some(&origin))?;
            if kind == "accessibility-statement" {
                check_statement_ids(&html, doc, site.lang_code(lang))?;
            }
            Ok(html.into_bytes())
        }
        Job::TaxonomyList { tax, lang } => {
            let taxonomy = &site.listings.taxonomies[*tax];
            let mut ctx = base_context(site, job, *lang, "taxonomy", &taxonomy.paths[*lang]);
            set(&mut ctx, "taxonomy", taxonomy_view(site, *tax, *lang));
            templates
                .render("taxonomy_list.html", Value::from_pairs(ctx), Some(&format!("taxonomy `{}`", taxonomy.name)))
                .map(String::into_bytes)
        }
        Job::Term { tax, lang, term, pager } => {
            let taxonomy = &site.listings.taxonomies[*tax];
            let t = &taxonomy.terms[*lang][*term];
            let mut ctx = base_context(site, job, *lang, "term", &pager_path(&t.path, *pager));
            set(&mut ctx, "taxonomy", taxonomy_view(site, *tax, *lang));
            let all_pages = if taxonomy.paginate_by == 0 {
                t.pages.iter().map(|&p| site.reference(p, *lang)).collect()
            } else {
                none()
            };
            set(
                &mut ctx,
                "term",
                Value::from_pairs([
                    ("name", Value::from(t.name.as_str())),
                    ("slug", Value::from(t.slug.as_str())),
                    ("path", Value::from(site.href(&t.path))),
                    ("page_count", Value::from(t.pages.len())),
                    ("pages", all_pages),
                ]),
            );
            if taxonomy.paginate_by > 0 {
                set(&mut ctx, "paginator", paginator(site, &t.pages, *lang, taxonomy.paginate_by, *pager, &t.path));
            }
            templates
                .render(
                    "taxonomy_single.html",
                    Value::from_pairs(ctx),
                    Some(&format!("term `{}` of `{}`", t.name, taxonomy.name)),
                )
                .map(String::into_bytes)
        }
        Job::NotFound { lang } => {
            let code = site.lang_code(*lang);
            let mut ctx = base_context(site, job, *lang, "404", &format!("{}/404.html", site.config.lang_prefix(code)));
            set(&mut ctx, "noindex", Value::from(true));
            let homes = language_links(site, *lang, |l| format!("{}/", site.config.lang_prefix(site.lang_code(l))));
            set(&mut ctx, "translations", homes);
            templates.render("404.html", Value::from_pairs(ctx), Some("the 404 page")).map(String::into_bytes)
        }
        Job::MigrantLocal { guide, municipality, lang } => {
            render_migrant_local(site, templates, *guide, *municipality, *lang)
        }
        Job::MigrantPack { municipality, lang } => render_migrant_pack(site, templates, *municipality, *lang),
        Job::Feed { id, lang } => render_feed(site, templates, *id, *lang),
        Job::Completeness { lang } => {
            let mut ctx = base_context(site, job, *lang, "completeness", &completeness_path(site, *lang));
            set(&mut ctx, "page", completeness_view(site, *lang));
            templates
                .render("completeness.html", Value::from_pairs(ctx), Some("the data-completeness report"))
                .map(String::into_bytes)
        }
        Job::MapGeoJson { lang } => Ok(site.services_geojson(*lang).into_bytes()),
        Job::Boundaries => {
            let path = site.config.data.boundaries.as_deref().unwrap_or_default();
            std::fs::read(loaded.root.join(path))
                .map_err(|err| Diagnostic::error("io", format!("cannot read: {err}")).at(Location::file(path)))
        }
        Job::MapCategory { category, lang } => render_map_category(site, templates, *category, *lang),
        Job::OpenData { format } => Ok(match *format {
            "json" => site.open_data_json(),
            "csv" => site.open_data_csv(),
            _ => site.open_data_geojson(),
        }
        .into_bytes()),
        Job::Sitemap { part } => render_sitemap(site, templates, *part),
        Job::Preview { municipality } => render_preview(loaded, *municipality),
        Job::Robots => templates
            .render(
                "robots.txt",
                Value::from_pairs([("sitemap_url", Value::from(site.permalink("/sitemap.xml")))]),
                None,
            )
            .map(String::into_bytes),
        Job::Cms { file } => Ok(crate::cms::render(file, &cms_inputs(site))),
        Job::Copy { source } => {
            let full = if source.is_absolute() { source.clone() } else { loaded.root.join(source) };
            std::fs::read(&full)
                .map_err(|err| Diagnostic::error("io", format!("cannot read: {err}")).at(Location::file(source)))
        }
    }
}

/// A language switcher offering every configured language, at `path_of(language index)`.
pub(super) fn language_links(site: &SiteData, lang: usize, path_of: impl Fn(usize) -> String) -> Value {
    site.config
        .languages
        .iter()
        .enumerate()
        .map(|(l, language)| {
            Value::from_pairs([
                ("lang", Value::from(language.code.as_str())),
                ("name", Value::from(language.name.as_str())),
                ("path", Value::from(site.href(&path_of(l)))),
                ("current", Value::from(l == lang)),
            ])
        })
        .collect()
}

pub(super) fn taxonomy_view(site: &SiteData, tax: usize, lang: usize) -> Value {
    let taxonomy = &site.listings.taxonomies[tax];
    let terms: Value = taxonomy.terms[lang]
        .iter()
        .map(|t| {
            Value::from_pairs([
                ("name", Value::from(t.name.as_str())),
                ("slug", Value::from(t.slug.as_str())),
                ("path", Value::from(site.href(&t.path))),
                ("page_count", Value::from(t.pages.len())),
            ])
        })
        .collect();
    Value::from_pairs([
        ("name", Value::from(taxonomy.name.as_str())),
        ("path", Value::from(site.href(&taxonomy.paths[lang]))),
        ("terms", terms),
    ])
}
