//! The build pipeline: config → content → listings → Markdown → links → templates → output.
//! Each phase reports every problem it finds; the site is written only when no phase found an
//! error, into a staging folder that replaces the output atomically.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use minijinja::Value;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::listing::{self, pager_count, pager_path};
use crate::content::{self, Library, NodeId};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, Severity};
use crate::i18n::Locales;
use crate::markdown::{self, Rendered};
use crate::model::Assets;
use crate::model::{SiteData, SiteParts};
use crate::output::{self, Staging};
use crate::schema;
use crate::search;
use crate::templates::Templates;

mod versions;

/// What `metroportal build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// What to do about the search index: `build` writes it; `serve`'s rebuilds carry the
    /// previous one over, because indexing takes longer than the whole rest of a rebuild.
    pub search_index: SearchIndex,
}

/// What a build does about the search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchIndex {
    /// Index every page again (`build`).
    Write,
    /// Carry the previous output's index over unchanged, when there is one: the dev server's
    /// rebuilds, where indexing would cost more than the rest of the build (it re-indexes when
    /// the editor pauses). Without a previous index, as `Write`.
    KeepPrevious,
}

/// Why a build did not complete.
#[derive(Debug)]
pub enum BuildError {
    /// The content has errors (exit code 1); every diagnostic, warnings included.
    Content(Vec<Diagnostic>),
    /// Usage or internal error (exit code 2).
    Internal(String),
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildSummary {
    pub warnings: Vec<Diagnostic>,
    /// HTML pages rendered (all languages, pagers and fallbacks included).
    pub pages: usize,
    /// Files in the output.
    pub files: usize,
    pub written: u64,
    pub unchanged: u64,
    pub timings: Vec<(&'static str, Duration)>,
}

/// A loaded, validated site, ready to render.
pub struct LoadedSite {
    pub site: Arc<SiteData>,
    pub templates: Templates,
    /// The theme's search vocabulary (`search.toml`): keywords added to the index.
    pub search_vocabulary: search::Vocabulary,
    pub root: PathBuf,
    /// The output folder of the previous build, if any: pictures whose fingerprinted name is
    /// already there are taken from it instead of being drawn again.
    pub previous_output: Option<PathBuf>,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
}

struct Timer {
    last: Instant,
    timings: Vec<(&'static str, Duration)>,
}

impl Timer {
    fn new() -> Self {
        Timer { last: Instant::now(), timings: Vec::new() }
    }
    fn lap(&mut self, phase: &'static str) {
        let now = Instant::now();
        self.timings.push((phase, now - self.last));
        self.last = now;
    }
}

/// Loads and checks everything without writing: the common part of `build`, `check` and `serve`.
pub fn load(root: &Path, base_url: Option<&str>, drafts: bool) -> Result<LoadedSite, Vec<Diagnostic>> {
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
    let locales = Locales::load(root, &theme_dir, &config, &diags);
    let search_vocabulary = search::Vocabulary::load(
        root,
        &theme_dir,
        &config.language_codes().map(str::to_string).collect::<Vec<_>>(),
        &diags,
    );
    let library = content::load(root, &config, drafts, &schema::Kinds, &diags);
    let boundaries = config.data.boundaries.as_deref().and_then(|path| schema::load_boundaries(root, path, &diags));
    timer.lap("load");
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
    let rendered: Vec<Vec<Option<Rendered>>> = library
        .nodes
        .par_iter()
        .map(|node| {
            node.docs
                .iter()
                .enumerate()
                .map(|(lang, doc)| doc.as_ref().map(|d| markdown::render(d.body(), &library.langs[lang], smart)))
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
    let mut site = SiteData::new(SiteParts {
        config,
        library,
        listings,
        locales,
        assets,
        rendered,
        link_urls,
        facts,
        boundaries,
        search_bundle,
    });
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

fn check_feeds(config: &Config, library: &Library, root: &Path, diags: &Diagnostics) {
    let text = std::fs::read_to_string(root.join("config.toml")).unwrap_or_default();
    for feed in &config.feeds {
        let key = format!("{}/_index.md", feed.trim_matches('/'));
        if !library.by_key.contains_key(&key) {
            let needle = format!("\"{feed}\"");
            let location = match text.find(&needle) {
                Some(i) => Location::from_span("config.toml", &text, i..i + needle.len()),
                None => Location::file("config.toml"),
            };
            diags.push(
                Diagnostic::error("feed-section-missing", format!("feeds: there is no section content/{key}"))
                    .at(location)
                    .hint("list sections by their folder under content/, e.g. feeds = [\"forum\"]"),
            );
        }
    }
}

/// `[map] page` must name a content file.
fn check_map_page(config: &Config, library: &Library, root: &Path, diags: &Diagnostics) {
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

fn check_template_names(site: &SiteData, templates: &Templates, diags: &Diagnostics) {
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

/// Resolves every `@/` link of every shown document in every language, reporting broken links
/// and anchors once, at the document that contains them.
fn resolve_links(
    library: &Library,
    rendered: &[Vec<Option<Rendered>>],
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
                    let (Some(doc), Some(r)) = (node.docs[content_lang].as_ref(), rendered[id][content_lang].as_ref())
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

fn suggest_key(library: &Library, target: &str) -> String {
    let keys: Vec<&str> = library.by_key.keys().map(String::as_str).collect();
    crate::diagnostics::did_you_mean(target, keys.iter().copied()).unwrap_or("section/page.md").to_string()
}

/// One file of the output: what produces it.
#[derive(Debug)]
pub enum Job {
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

/// Builds the site into `options.output`.
pub fn build(options: &BuildOptions) -> Result<BuildSummary, BuildError> {
    let previous_index = options.output.join(search::BUNDLE_ROOT);
    let keep_index = options.search_index == SearchIndex::KeepPrevious && previous_index.is_dir();
    output::check_output_dir(&options.root, &options.output).map_err(BuildError::Internal)?;
    let mut loaded = load(&options.root, options.base_url.as_deref(), options.drafts).map_err(BuildError::Content)?;
    loaded.previous_output = options.output.is_dir().then(|| options.output.clone());
    let mut timer = Timer::new();
    timer.timings = loaded.timings.clone();
    let site = &loaded.site;
    let jobs = plan_outputs(&loaded).map_err(BuildError::Content)?;
    timer.lap("plan");

    let staging = Staging::begin(&options.output).map_err(|err| {
        BuildError::Internal(format!("cannot create a staging folder beside {}: {err}", options.output.display()))
    })?;
    let internal: Mutex<Option<String>> = Mutex::new(None);
    let to_index: Mutex<Vec<search::Page>> = Mutex::new(Vec::new());
    let problems = render_outputs(&loaded, &jobs, true, |path, job, bytes| {
        if let Some((node, lang)) = indexed(site, job).filter(|_| !keep_index) {
            let html = String::from_utf8_lossy(&bytes);
            if search::wants_index(&html) {
                let path = format!("/{}", path.strip_suffix("index.html").unwrap_or(path));
                to_index.lock().expect("lock").push(search::Page { path, node, lang, html: html.into_owned() });
            }
        }
        match staging.write(path, &bytes) {
            Ok(()) => None,
            Err(err @ output::OutputError::Escapes(_)) => Some(
                Diagnostic::error("path-escapes", err.to_string())
                    .at(job_location(site, job))
                    .hint("slugs and paths may not contain `..`"),
            ),
            Err(err @ output::OutputError::Io { .. }) => {
                internal.lock().expect("lock").get_or_insert(err.to_string());
                None
            }
        }
    });
    timer.lap("render+write");
    if let Some(err) = internal.into_inner().expect("lock") {
        return Err(BuildError::Internal(err));
    }
    let failed = problems.iter().any(|d| d.severity == Severity::Error);
    let to_index = to_index.into_inner().expect("lock");
    let search_files = if failed {
        0
    } else if keep_index {
        keep_files(&options.output, &previous_index, &staging)
            .map_err(|err| BuildError::Internal(format!("cannot keep the search index: {err}")))?
    } else if to_index.is_empty() {
        0
    } else {
        search::write_index(site, &loaded.search_vocabulary, to_index, &staging)
            .map_err(|err| BuildError::Internal(format!("search index: {err}")))?
            .files
    };
    timer.lap("search");
    if failed {
        // The live output was never touched; the staging folder is left for the next build.
        drop(staging);
        let mut all = problems;
        all.extend(loaded.warnings.clone());
        return Err(BuildError::Content(all));
    }
    let stats = staging
        .commit()
        .map_err(|err| BuildError::Internal(format!("cannot replace {}: {err}", options.output.display())))?;
    timer.lap("commit");
    let pages = jobs.iter().filter(|(p, _)| p.ends_with(".html")).count();
    let mut warnings = loaded.warnings.clone();
    warnings.extend(problems);
    Ok(BuildSummary {
        warnings,
        pages,
        files: jobs.len() + search_files,
        written: stats.written,
        unchanged: stats.unchanged,
        timings: timer.timings,
    })
}

/// Writes the files under `dir` (inside the live `output`) into the staging folder as they are,
/// which links them (they are unchanged); returns how many there were.
fn keep_files(output: &Path, dir: &Path, staging: &Staging) -> Result<usize, String> {
    let mut count = 0;
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| e.to_string())?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(output).map_err(|e| e.to_string())?;
            let bytes = std::fs::read(entry.path()).map_err(|e| format!("{}: {e}", entry.path().display()))?;
            staging.write(&rel.to_string_lossy(), &bytes).map_err(|e| e.to_string())?;
            count += 1;
        }
    }
    Ok(count)
}

/// Every output file of the site (path relative to the output folder, and what produces it);
/// an error for each path two outputs would share. `build` writes these; `check` renders them
/// in memory.
pub fn plan_outputs(loaded: &LoadedSite) -> Result<Vec<(String, Job)>, Vec<Diagnostic>> {
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

/// Every output file of the site with its path relative to the output folder.
fn plan(site: &SiteData, templates: &Templates) -> Vec<(String, Job)> {
    let mut jobs = Vec::new();
    let out = |site_path: &str, file: &str| format!("{}{file}", site_path.trim_start_matches('/'));
    let is_feed = |key: &str| site.config.feeds.iter().any(|f| format!("{}/_index.md", f.trim_matches('/')) == key);
    let boundaries_source = site.config.data.boundaries.as_deref().map(PathBuf::from);
    for (id, node) in site.library.nodes.iter().enumerate() {
        for (lang, path) in node.paths.iter().enumerate() {
            let Some(path) = path else { continue };
            let pagers = if node.is_section { section_pagers(site, id, lang) } else { 1 };
            for pager in 1..=pagers {
                jobs.push((out(&pager_path(path, pager), "index.html"), Job::Node { id, lang, pager }));
            }
            if node.is_section && is_feed(&node.key) {
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
fn indexed(site: &SiteData, job: &Job) -> Option<(NodeId, usize)> {
    match job {
        Job::Node { id, lang, pager: 1 } if !site.library.nodes[*id].is_fallback(*lang) => Some((*id, *lang)),
        _ => None,
    }
}

fn section_pagers(site: &SiteData, id: NodeId, lang: usize) -> usize {
    let per_page = site.doc(id, lang).and_then(|d| d.fm.paginate_by).unwrap_or(0);
    pager_count(site.listings.pages[id][lang].len(), per_page)
}

fn job_location(site: &SiteData, job: &Job) -> Location {
    match job {
        Job::Node { id, lang, .. } | Job::Feed { id, lang } => {
            site.doc(*id, *lang).map_or_else(Location::default, |d| Location::file(&d.file))
        }
        Job::Copy { source } => Location::file(source),
        _ => Location::file("config.toml"),
    }
}

fn describe_job(site: &SiteData, job: &Job) -> String {
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

fn none() -> Value {
    Value::from(())
}

/// The variables every HTML template gets.
/// The variables every HTML template gets; the language versions come from the job
/// ([`versions`]), so the switcher, `hreflang`, `noindex` and the sitemap agree.
fn base_context(site: &SiteData, job: &Job, lang: usize, kind: &str, site_path: &str) -> Vec<(&'static str, Value)> {
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

fn base_variables(site: &SiteData, lang: usize, kind: &str, site_path: &str) -> Vec<(&'static str, Value)> {
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
const STATEMENT_IDS: &[&str] = &[
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
fn check_statement_ids(html: &str, doc: &crate::content::Doc, lang: &str) -> Result<(), Diagnostic> {
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
fn set(ctx: &mut [(&'static str, Value)], key: &str, value: Value) {
    match ctx.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => panic!("template context key `{key}` is not declared in base_context"),
    }
}

fn paginator(site: &SiteData, items: &[NodeId], lang: usize, per_page: usize, pager: usize, first: &str) -> Value {
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

/// The kind of a page or section (`data-kind`: `page`, `section`, `home`, `service`,
/// `accessibility-statement`, …) and the template that renders it in `lang`.
fn node_template(site: &SiteData, templates: &Templates, id: NodeId, lang: usize) -> (String, String) {
    let node = &site.library.nodes[id];
    let typed = node.docs[site.default_lang()].as_ref().and_then(schema::kind_name);
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
    pub fn template(&self, loaded: &LoadedSite) -> Option<String> {
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
    pub fn lang(&self) -> Option<usize> {
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

fn render_job(loaded: &LoadedSite, job: &Job) -> Result<Vec<u8>, Diagnostic> {
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

/// Breadcrumbs of a municipality's migrant pages: the municipality's own, then the municipality,
/// then (for a single topic) the pack.
fn municipality_crumbs(site: &SiteData, municipality: NodeId, lang: usize, with_pack: bool) -> Value {
    let mut crumbs: Vec<Value> = site
        .meta(municipality, lang)
        .get_attr("ancestors")
        .ok()
        .and_then(|a| a.try_iter().ok().map(|i| i.collect()))
        .unwrap_or_default();
    crumbs.push(site.reference(municipality, lang));
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
fn render_migrant_local(
    site: &SiteData,
    templates: &Templates,
    guide: NodeId,
    municipality: NodeId,
    lang: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let path = site.migrant_local_path(guide, municipality, lang).expect("planned");
    let job = Job::MigrantLocal { guide, municipality, lang };
    let mut ctx = base_context(site, &job, lang, "migrant-local", &path);
    let node = &site.library.nodes[guide];
    let fallback = node.is_fallback(lang);
    set(&mut ctx, "is_fallback", Value::from(fallback));
    set(&mut ctx, "content_lang", Value::from(site.lang_code(site.content_lang(guide, lang))));
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
    set(&mut ctx, "page", page);
    templates
        .render("migrant-local.html", Value::from_pairs(ctx), Some("a migrant guide for a municipality"))
        .map(String::into_bytes)
}

/// Every guide of one municipality on one printable page.
fn render_migrant_pack(
    site: &SiteData,
    templates: &Templates,
    municipality: NodeId,
    lang: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let path = site.migrant_pack_path(municipality, lang).expect("planned");
    let mut ctx = base_context(site, &Job::MigrantPack { municipality, lang }, lang, "migrant-local", &path);
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
    set(
        &mut ctx,
        "page",
        Value::from_pairs([
            ("title", Value::from(title)),
            ("path", Value::from(site.href(&path))),
            ("description", Value::from(())),
            ("ancestors", municipality_crumbs(site, municipality, lang, false)),
            ("municipality", site.reference(municipality, lang)),
            ("topics", topics),
        ]),
    );
    templates
        .render("migrant-pack.html", Value::from_pairs(ctx), Some("a municipality's migrant pack"))
        .map(String::into_bytes)
}

/// The map page of one category: the map page's own text with the map, legend and list of
/// that category (`page.map_category` is `{code, label}`).
fn render_map_category(
    site: &SiteData,
    templates: &Templates,
    category: crate::schema::vocab::Category,
    lang: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let node = site.map_page().expect("planned with a map page");
    let path = site.map_category_path(category, lang).expect("planned");
    let mut ctx = base_context(site, &Job::MapCategory { category, lang }, lang, "map", &path);
    let label = site.label(lang, &category.label_key());
    let title = site
        .locales
        .message(site.lang_code(lang), "map-category-title", &[("name", label.clone().into())])
        .unwrap_or(label.clone());
    let mut ancestors: Vec<Value> = site
        .meta(node, lang)
        .get_attr("ancestors")
        .ok()
        .and_then(|a| a.try_iter().ok().map(|i| i.collect()))
        .unwrap_or_default();
    ancestors.push(site.reference(node, lang));
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
    set(&mut ctx, "page", page);
    templates
        .render("map.html", Value::from_pairs(ctx), Some(&format!("the map of category `{}`", category.code())))
        .map(String::into_bytes)
}

/// `<lang prefix>/<slug>/` of the completeness report; the slug is the UI string
/// `completeness-slug` of the language.
fn completeness_path(site: &SiteData, lang: usize) -> String {
    let slug = crate::slug::slugify(&site.label(lang, "completeness-slug"), site.lang_code(lang));
    format!("{}/{slug}/", site.config.lang_prefix(site.lang_code(lang)))
}

fn completeness_view(site: &SiteData, lang: usize) -> Value {
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

/// A language switcher offering every configured language, at `path_of(language index)`.
fn language_links(site: &SiteData, lang: usize, path_of: impl Fn(usize) -> String) -> Value {
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

fn taxonomy_view(site: &SiteData, tax: usize, lang: usize) -> Value {
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

fn render_feed(site: &SiteData, templates: &Templates, id: NodeId, lang: usize) -> Result<Vec<u8>, Diagnostic> {
    const FEED_ENTRIES: usize = 30;
    let path = site.library.nodes[id].paths[lang].as_deref().expect("feed sections exist");
    let mut items: Vec<NodeId> =
        site.listings.pages[id][lang].iter().copied().filter(|&p| !site.library.nodes[p].is_fallback(lang)).collect();
    let stamp =
        |p: NodeId| site.doc(p, lang).and_then(|d| d.fm.updated.or(d.fm.date)).map_or(i64::MIN, |d| d.timestamp());
    items.sort_by_key(|&p| (std::cmp::Reverse(stamp(p)), site.library.nodes[p].key.clone()));
    items.truncate(FEED_ENTRIES);
    let entries: Value = items
        .iter()
        .map(|&p| {
            let doc = site.doc(p, lang).expect("listed");
            let published = doc.fm.date.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
            let updated = doc.fm.updated.map_or_else(|| published.clone(), |d| d.rfc3339());
            let content = match &site.rendered[p][lang] {
                Some(r) => markdown::resolve_links(&r.html, &site.link_urls[p][lang]),
                None => String::new(),
            };
            Value::from_pairs([
                ("title", Value::from(doc.title())),
                ("description", Value::from(doc.fm.description.as_deref())),
                ("permalink", Value::from(site.permalink(site.library.nodes[p].paths[lang].as_deref().unwrap_or("/")))),
                ("lang", Value::from(site.lang_code(lang))),
                ("published", Value::from(published)),
                ("updated", Value::from(updated)),
                ("content", Value::from(content)),
            ])
        })
        .collect();
    let updated = items
        .iter()
        .filter_map(|&p| site.doc(p, lang).and_then(|d| d.fm.updated.or(d.fm.date)))
        .max_by_key(|d| d.timestamp())
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let ctx = Value::from_pairs([
        ("lang", Value::from(site.lang_code(lang))),
        ("config", site.config_view(lang)),
        ("section", site.meta(id, lang)),
        ("feed_url", Value::from(site.permalink(&format!("{path}atom.xml")))),
        ("updated", Value::from(updated)),
        ("entries", entries),
    ]);
    templates.render("atom.xml", ctx, Some("the Atom feed")).map(String::into_bytes)
}

/// A municipality's link-preview picture, rasterized (only with the `previews` feature, which
/// is also the only way such a job is planned).
fn render_preview(loaded: &LoadedSite, municipality: NodeId) -> Result<Vec<u8>, Diagnostic> {
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

/// The sitemap protocol's limit of URLs per file.
const SITEMAP_LIMIT: usize = 50_000;

/// How many part files a sitemap of `entries` URLs needs: none while one file holds them all.
fn sitemap_parts(entries: usize, limit: usize) -> usize {
    if entries <= limit { 0 } else { entries.div_ceil(limit) }
}

/// The sitemap entry of a page job (its URL, `lastmod`, alternates and `x-default`), from
/// the same [`versions`] as its `hreflang` links; `None` for what is not an indexable page.
fn sitemap_entry_of(site: &SiteData, job: &Job) -> Option<(String, Value)> {
    let v = versions::of_job(site, job)?;
    if !v.indexable || v.later_pager {
        return None;
    }
    let loc = site.permalink(&v.own_path);
    let lastmod = match job {
        Job::Node { id, lang, .. } => site.doc(*id, *lang).and_then(|d| d.fm.updated.or(d.fm.date)).map(|d| d.iso()),
        _ => None,
    };
    let (alternates, x_default) = v.alternates(site);
    let alternates: Value = alternates
        .into_iter()
        .map(|(lang, url)| Value::from_pairs([("lang", Value::from(lang)), ("url", Value::from(url))]))
        .collect();
    let entry = Value::from_pairs([
        ("loc", Value::from(loc.clone())),
        ("lastmod", Value::from(lastmod)),
        ("alternates", alternates),
        ("x_default", Value::from(x_default)),
    ]);
    Some((loc, entry))
}

fn render_sitemap(site: &SiteData, templates: &Templates, part: Option<usize>) -> Result<Vec<u8>, Diagnostic> {
    let mut entries: Vec<(String, Value)> =
        plan(site, templates).iter().filter_map(|(_, job)| sitemap_entry_of(site, job)).collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let parts = sitemap_parts(entries.len(), SITEMAP_LIMIT);
    let ctx = match part {
        Some(n) => {
            let chunk: Vec<Value> =
                entries.into_iter().skip(n * SITEMAP_LIMIT).take(SITEMAP_LIMIT).map(|(_, v)| v).collect();
            Value::from_pairs([("entries", Value::from(chunk))])
        }
        None if parts > 0 => {
            let files: Vec<Value> =
                (1..=parts).map(|n| Value::from(site.permalink(&format!("/sitemap-{n}.xml")))).collect();
            Value::from_pairs([("index", Value::from(files))])
        }
        None => Value::from_pairs([("entries", entries.into_iter().map(|(_, v)| v).collect::<Value>())]),
    };
    templates.render("sitemap.xml", ctx, Some("sitemap.xml")).map(String::into_bytes)
}

/// What the editing interface's configuration needs from the loaded site.
fn cms_inputs(site: &SiteData) -> crate::cms::Inputs<'_> {
    let default = site.default_lang();
    let municipalities = site
        .facts
        .municipalities
        .iter()
        .filter_map(|&id| {
            let node = &site.library.nodes[id];
            let folder = node.key.strip_prefix("gminy/")?.strip_suffix("/_index.md")?;
            let doc = node.docs[default].as_ref()?;
            let teryt = crate::schema::kind_of::<crate::schema::kinds::Municipality>(doc)?.teryt.get_ref().clone();
            Some(crate::cms::MunicipalityFolder { folder: folder.to_string(), title: doc.title().to_string(), teryt })
        })
        .collect();
    // Files without a kind, by what they are; the Polish title names them in the forms.
    let (mut sections, mut pages) = (Vec::new(), Vec::new());
    for node in &site.library.nodes {
        let Some(doc) = node.docs[default].as_ref() else { continue };
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
mod sitemap_tests {
    use super::sitemap_parts;

    #[test]
    fn a_sitemap_splits_only_past_the_limit() {
        assert_eq!(sitemap_parts(0, 50_000), 0);
        assert_eq!(sitemap_parts(50_000, 50_000), 0);
        assert_eq!(sitemap_parts(50_001, 50_000), 2);
        assert_eq!(sitemap_parts(150_000, 50_000), 3);
    }
}
