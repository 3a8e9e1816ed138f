//! Checks (`metroportal check`): everything a build validates, plus what only the finished
//! pages show. Every page of every language is rendered in memory (the build's own rendering,
//! [`site::render_outputs`], with nothing written) and read once ([`html::scan`]) to check
//! internal links and anchors against the output, links from translated pages to Polish
//! fallbacks, and accessibility; then translation coverage ([`translations`]) and the review
//! age of services are summed up.
//!
//! Each finding is mapped back to where an editor can fix it: the Markdown line the link or
//! element comes from when it is in the text, otherwise the page's content file (line 1) with a
//! note that the HTML comes from the theme's template. A template problem repeated on many
//! pages is reported once, with the number of pages.
//!
//! Errors (exit code 1): broken links and anchors, and the accessibility failures that are
//! unambiguous WCAG 2.1 level A failures (image without `alt`, link without an accessible name,
//! `<html>` without the page's `lang`, duplicate ids, form control without a label, an ARIA or
//! `label for` reference to no element). Warnings:
//! skipped heading levels (a structure problem screen-reader users notice, but not always a
//! failure), links from a translated page to a page shown in Polish or from a text to another
//! language's version of a page, outdated or unstamped
//! translations, and everything the build itself reports as a warning.

pub(crate) mod html;
pub(crate) mod links;
pub(crate) mod translations;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{Doc, NodeId};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, Severity, did_you_mean};
use crate::site::{self, Job, LoadedSite};
use html::Scan;
use links::{SiteUrl, Target};

/// What `check` found.
#[derive(Debug)]
pub(crate) struct Report {
    /// Every problem, errors first, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// HTML pages rendered and checked.
    pub pages: usize,
    pub translations: Vec<translations::Row>,
    pub review: Review,
}

/// How current the facts of the services are.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Review {
    pub services: usize,
    /// Reviewed within `max_age_months`.
    pub recent: usize,
    /// Reviewed longer ago (`review-stale`).
    pub stale: usize,
    /// Never reviewed (`review-missing`).
    pub missing: usize,
    pub max_age_months: u32,
}

/// Runs every check on a loaded site.
pub(crate) fn run(loaded: &LoadedSite) -> Report {
    let site = &loaded.site;
    let mut diagnostics = loaded.warnings.clone();
    let translations = translations::coverage(site, &mut diagnostics);
    let mut pages = 0;
    match site::plan_outputs(loaded) {
        Ok(jobs) => {
            let (found, count) = check_pages(loaded, &jobs);
            diagnostics.extend(found);
            pages = count;
        }
        Err(problems) => diagnostics.extend(problems.into_iter().filter(|d| d.severity == Severity::Error)),
    }
    let collected = Diagnostics::new();
    collected.extend(diagnostics);
    let diagnostics = collected.into_sorted();
    let count = |code: &str| diagnostics.iter().filter(|d| d.code == code).count();
    let services = site.facts.municipality_of.len();
    let (stale, missing) = (count("review-stale"), count("review-missing"));
    let review = Review {
        services,
        recent: services.saturating_sub(stale + missing),
        stale,
        missing,
        max_age_months: site.config.checks.review_max_age_months,
    };
    Report { diagnostics, pages, translations, review }
}

/// Where the HTML of a page comes from.
struct Origin<'a> {
    /// The Markdown documents whose text is on the page, with their node.
    docs: Vec<(NodeId, &'a Doc)>,
    /// Where a finding that is not in the Markdown is reported: the page's content file, or the
    /// template for pages that have none (lists, the 404 page).
    file: PathBuf,
    template: String,
    lang: usize,
    /// The page shows the default-language text because it has no translation.
    fallback: bool,
}

fn origin<'a>(loaded: &'a LoadedSite, job: &Job) -> Origin<'a> {
    let site = &loaded.site;
    let lang = job.lang().unwrap_or(site.default_lang());
    let template = job.template(loaded).unwrap_or_default();
    let template_file = || PathBuf::from(format!("themes/{}/templates/{template}", site.config.theme));
    let doc = |id: NodeId| site.doc(id, lang).map(|d| (id, d));
    let (docs, file, fallback) = match job {
        Job::Node { id, .. } => {
            let docs: Vec<_> = doc(*id).into_iter().collect();
            let file = docs.first().map_or_else(template_file, |(_, d)| d.file.clone());
            (docs, file, site.library.nodes[*id].is_fallback(lang))
        }
        Job::MigrantLocal { guide, .. } => {
            let docs: Vec<_> = doc(*guide).into_iter().collect();
            let file = docs.first().map_or_else(template_file, |(_, d)| d.file.clone());
            (docs, file, site.library.nodes[*guide].is_fallback(lang))
        }
        Job::MigrantPack { municipality, .. } => {
            let docs = site.facts.guides.iter().filter_map(|&g| doc(g)).collect();
            let file = doc(*municipality).map_or_else(template_file, |(_, d)| d.file.clone());
            (docs, file, false)
        }
        _ => (Vec::new(), template_file(), false),
    };
    Origin { docs, file, template: template.clone(), lang, fallback }
}

/// A finding before it is placed and merged.
struct Found {
    code: &'static str,
    severity: Severity,
    message: String,
    hint: Option<String>,
    /// The Markdown location, when the problem is in the text.
    markdown: Option<Location>,
    lang: usize,
}

/// Renders, scans and checks every HTML page; returns the problems and the number of pages.
fn check_pages(loaded: &LoadedSite, jobs: &[(String, Job)]) -> (Vec<Diagnostic>, usize) {
    let site = &loaded.site;
    let index: HashMap<&str, usize> = jobs.iter().enumerate().map(|(i, (p, _))| (p.as_str(), i)).collect();
    let scans: Mutex<Vec<(usize, Scan)>> = Mutex::new(Vec::new());
    let mut problems = site::render_outputs(loaded, jobs, false, |path, _, bytes| {
        if path.ends_with(".html") {
            let scan = html::scan(&String::from_utf8_lossy(&bytes));
            scans.lock().expect("lock").push((index[path], scan));
        }
        None
    });
    let mut scans = scans.into_inner().expect("lock");
    scans.sort_by_key(|(i, _)| *i);
    let site_url = match SiteUrl::new(&site.config.base_url) {
        Ok(url) => url,
        Err(message) => {
            problems.push(Diagnostic::error("base-url-invalid", message).at(Location::file("config.toml")));
            return (problems, scans.len());
        }
    };
    let ids: HashMap<usize, HashSet<&str>> =
        scans.iter().map(|(i, scan)| (*i, scan.ids.iter().map(String::as_str).collect())).collect();
    let ctx = PageContext { loaded, jobs, index: &index, ids: &ids, site_url: &site_url };
    let found: Vec<(usize, Vec<Found>)> = scans.par_iter().map(|(i, scan)| (*i, ctx.check(*i, scan))).collect();
    problems.extend(merge(loaded, jobs, found));
    (problems, scans.len())
}

struct PageContext<'a> {
    loaded: &'a LoadedSite,
    jobs: &'a [(String, Job)],
    index: &'a HashMap<&'a str, usize>,
    ids: &'a HashMap<usize, HashSet<&'a str>>,
    site_url: &'a SiteUrl,
}

impl PageContext<'_> {
    fn check(&self, job: usize, scan: &Scan) -> Vec<Found> {
        let site = &self.loaded.site;
        let (path, job_kind) = &self.jobs[job];
        let origin = origin(self.loaded, job_kind);
        let lang = origin.lang;
        let code = site.lang_code(lang);
        let mut found = Vec::new();
        let page_url = site.href(&page_path(path));
        let mut push = |code: &'static str, severity, message: String, hint: Option<String>, markdown| {
            // Which page shows the problem: the same text can be on several (a guide is on
            // every municipality's pages).
            let hint = Some(match hint {
                Some(h) => format!("{h} (page {page_url})"),
                None => format!("seen on the page {page_url}"),
            });
            found.push(Found { code, severity, message, hint, markdown, lang });
        };
        match scan.html_lang.as_deref().map(str::trim) {
            None | Some("") => push(
                "html-lang-missing",
                Severity::Error,
                "the page has no language: <html> lacks a lang attribute".to_string(),
                Some(format!("the theme's base template should have <html lang=\"{{{{ lang }}}}\"> (here: {code})")),
                None,
            ),
            Some(other) if other != code => push(
                "html-lang-wrong",
                Severity::Error,
                format!("<html lang=\"{other}\"> on a page in `{code}`"),
                Some("screen readers pick their voice from it; use {{ lang }} in the template".to_string()),
                None,
            ),
            Some(_) => {}
        }
        for finding in &scan.findings {
            let mut needles = finding.needles.clone();
            if let Some(id) = &finding.id {
                // A heading whose id came from its text: look for the heading.
                needles.extend(heading_titles(&origin, id, self.loaded).into_iter().map(|t| format!("# {t}")));
            }
            let markdown = locate(&origin, finding.href.as_deref(), &needles, self.loaded);
            // A problem in the text of a fallback page is the default language's, reported there.
            if markdown.is_some() && origin.fallback {
                continue;
            }
            let severity = if finding.error { Severity::Error } else { Severity::Warning };
            push(finding.code, severity, finding.message.clone(), a11y_hint(finding.code), markdown);
        }
        let page_url = site.href(&page_path(path));
        let mut seen: HashSet<&str> = HashSet::new();
        for link in &scan.links {
            if !seen.insert(link.url.as_str()) {
                continue;
            }
            let Some((code, severity, message, hint)) = self.link_problem(&page_url, &link.url, lang, &origin) else {
                continue;
            };
            let markdown =
                locate(&origin, Some(&link.url), &link_needles(&link.url, site.config.base_path()), self.loaded);
            if matches!(code, "link-to-fallback" | "link-other-language") && markdown.is_none() {
                // Lists and menus link fallback pages on purpose (marked with their language),
                // and the language switcher links the other languages.
                continue;
            }
            if markdown.is_some() && origin.fallback {
                continue;
            }
            push(code, severity, message, hint, markdown);
        }
        found
    }

    fn link_problem(
        &self,
        page_url: &str,
        url: &str,
        lang: usize,
        origin: &Origin<'_>,
    ) -> Option<(&'static str, Severity, String, Option<String>)> {
        let site = &self.loaded.site;
        let base = site.config.base_path();
        let (path, fragment) = match self.site_url.resolve(page_url, url) {
            Target::External => return None,
            Target::Malformed(err) => {
                return Some(("broken-link", Severity::Error, format!("malformed URL {url}: {err}"), None));
            }
            Target::OutsideBase { path } => {
                return Some((
                    "broken-link",
                    Severity::Error,
                    format!("link to {url} leaves the site: the site is published under {base}/, not at {path}"),
                    Some(format!("link pages as @/file.md, or start the address with {base}/")),
                ));
            }
            Target::Internal { path, fragment } => (path, fragment),
        };
        let Some(file) = links::output_file(&path, |p| self.index.contains_key(p)) else {
            return Some((
                "broken-link",
                Severity::Error,
                format!("link to {url}: the site has no page or file at {path}"),
                Some("link pages as @/file.md so the generator finds their address in every language".to_string()),
            ));
        };
        let target = self.index[file.as_str()];
        if let Some(fragment) = fragment.filter(|f| !f.is_empty() && f != "top")
            && let Some(ids) = self.ids.get(&target)
            && !ids.contains(fragment.as_str())
        {
            let mut known: Vec<&str> = ids.iter().copied().collect();
            known.sort_unstable();
            let hint = match did_you_mean(&fragment, known.iter().copied()) {
                Some(s) => format!("did you mean #{s}?"),
                None => "anchors name an element id of the target page, e.g. a heading's".to_string(),
            };
            return Some((
                "broken-anchor",
                Severity::Error,
                format!("link to {url}: {path} has no element with id `{fragment}`"),
                Some(hint),
            ));
        }
        let default = site.default_lang();
        let target_fallback = match &self.jobs[target].1 {
            Job::Node { id, lang: l, .. } => site.library.nodes[*id].is_fallback(*l),
            Job::MigrantLocal { guide, lang: l, .. } => site.library.nodes[*guide].is_fallback(*l),
            _ => false,
        };
        if lang != default && !origin.fallback && target_fallback {
            return Some((
                "link-to-fallback",
                Severity::Warning,
                format!(
                    "link to {url}: that page has no `{}` translation and shows the `{}` text",
                    site.lang_code(lang),
                    site.lang_code(default)
                ),
                Some("translate the linked page, or link to a page that exists in this language".to_string()),
            ));
        }
        // A text that links a page in another language although the page exists in its own.
        if let Job::Node { id, lang: target_lang, .. } = &self.jobs[target].1
            && *target_lang != lang
            && !origin.fallback
            && let Some(own) = site.library.nodes[*id].paths[lang].as_ref()
        {
            return Some((
                "link-other-language",
                Severity::Warning,
                format!(
                    "link to {url} leads to the `{}` version of a page that exists in `{}` at {}",
                    site.lang_code(*target_lang),
                    site.lang_code(lang),
                    site.href(own)
                ),
                Some(format!(
                    "write the link as @/{}: it leads to the reader's language on every version of the text",
                    site.library.nodes[*id].key
                )),
            ));
        }
        None
    }
}

/// The site path of an output file: `en/x/index.html` → `/en/x/`, `en/404.html` → `/en/404.html`.
fn page_path(output: &str) -> String {
    format!("/{}", output.strip_suffix("index.html").unwrap_or(output))
}

/// What a link looks like in Markdown or raw HTML: `](url`, `]: url`, `"url"`, `<url>`, for the
/// URL as rendered, decoded, and without the base path.
fn link_needles(url: &str, base_path: &str) -> Vec<String> {
    let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy().into_owned();
    let mut forms = vec![url.to_string(), decoded];
    for form in forms.clone() {
        if !base_path.is_empty()
            && let Some(rest) = form.strip_prefix(base_path)
        {
            forms.push(rest.to_string());
        }
    }
    forms.dedup();
    forms.iter().flat_map(|u| [format!("]({u}"), format!("]: {u}"), format!("\"{u}\""), format!("<{u}>")]).collect()
}

/// The Markdown location a finding comes from: an `@/` link that rendered as `href`, or the
/// first needle found in a body.
fn locate(origin: &Origin<'_>, href: Option<&str>, needles: &[String], loaded: &LoadedSite) -> Option<Location> {
    let site = &loaded.site;
    for &(node, doc) in &origin.docs {
        if let Some(href) = href {
            let content_lang = site.content_lang(node, origin.lang);
            let urls = &site.link_urls[node][origin.lang];
            if let Some(rendered) = &site.rendered[node][content_lang]
                && let Some(i) = urls.iter().position(|u| u == href)
                && let Some(link) = rendered.links.get(i)
            {
                let span = doc.body_offset + link.span.start..doc.body_offset + link.span.end;
                return Some(Location::from_span(&doc.file, &doc.text, span));
            }
        }
        for needle in needles.iter().filter(|n| !n.is_empty()) {
            if let Some(i) = doc.body().find(needle.as_str()) {
                // Point at the URL or id itself, not at the Markdown punctuation around it.
                let lead = ["](", "]: ", "\"", "<"].iter().find(|p| needle.starts_with(**p)).map_or(0, |p| p.len());
                let trail = usize::from(needle.len() > lead && (needle.ends_with('"') || needle.ends_with('>')));
                let start = doc.body_offset + i + lead;
                let end = doc.body_offset + i + needle.len() - trail;
                return Some(Location::from_span(&doc.file, &doc.text, start..end));
            }
        }
    }
    None
}

/// Titles of the Markdown headings of the page that got the id `id`.
fn heading_titles(origin: &Origin<'_>, id: &str, loaded: &LoadedSite) -> Vec<String> {
    fn walk(headings: &[crate::markdown::Heading], id: &str, out: &mut Vec<String>) {
        for h in headings {
            if h.id == id {
                out.push(h.title.clone());
            }
            walk(&h.children, id, out);
        }
    }
    let mut out = Vec::new();
    for &(node, _) in &origin.docs {
        let content_lang = loaded.site.content_lang(node, origin.lang);
        if let Some(rendered) = &loaded.site.rendered[node][content_lang] {
            walk(&rendered.toc, id, &mut out);
        }
    }
    out
}

fn a11y_hint(code: &str) -> Option<String> {
    let hint = match code {
        "img-alt-missing" => {
            "describe the image in alt=\"…\" (Markdown: ![description](file)); alt=\"\" marks a decorative one"
        }
        "link-no-text" => "give the link text, or an aria-label when it only holds an icon",
        "heading-skip" => "headings go down one level at a time: after ## comes ###, not ####",
        "duplicate-id" => "ids must be unique on a page; give one of the headings another id: ## Title {#other-id}",
        "control-no-label" => "add <label for=\"id\"> or aria-label to the control",
        "idref-missing" => {
            "the attribute names the id of another element of the same page; add that id or fix the name"
        }
        _ => return None,
    };
    Some(hint.to_string())
}

/// Places the findings: Markdown ones at their line (once, even when a fallback or several
/// languages show the same text), template ones at the first page's file, once per message
/// and language, with the number of pages.
fn merge(loaded: &LoadedSite, jobs: &[(String, Job)], found: Vec<(usize, Vec<Found>)>) -> Vec<Diagnostic> {
    let site = &loaded.site;
    let mut out = Vec::new();
    let mut seen_markdown: HashSet<(&'static str, PathBuf, usize, usize, String)> = HashSet::new();
    // (code, message, lang) → index in `out`
    let mut template: HashMap<(&'static str, String, usize), usize> = HashMap::new();
    for (job, items) in found {
        for f in items {
            let code = site.lang_code(f.lang).to_string();
            match f.markdown {
                Some(location) => {
                    let key = (f.code, location.file.clone(), location.line, location.column, f.message.clone());
                    if seen_markdown.insert(key) {
                        out.push((diagnostic(f.code, f.severity, f.message, f.hint).at(location).lang(code), 1));
                    }
                }
                None => {
                    let key = (f.code, f.message.clone(), f.lang);
                    if let Some(&i) = template.get(&key) {
                        out[i].1 += 1;
                        continue;
                    }
                    let origin = origin(loaded, &jobs[job].1);
                    let line = usize::from(origin.file.extension().is_some_and(|e| e == "md"));
                    let message = format!(
                        "{} (from the theme: template `{}` or one it extends or includes; not in the text)",
                        f.message, origin.template
                    );
                    let d = diagnostic(f.code, f.severity, message, f.hint)
                        .at(Location { line, ..Location::file(origin.file) })
                        .lang(code);
                    template.insert(key, out.len());
                    out.push((d, 1));
                }
            }
        }
    }
    out.into_iter()
        .map(|(mut d, pages)| {
            if pages > 1 {
                d.message = format!("{} — on {pages} pages", d.message);
            }
            d
        })
        .collect()
}

fn diagnostic(code: &'static str, severity: Severity, message: String, hint: Option<String>) -> Diagnostic {
    let d = match severity {
        Severity::Error => Diagnostic::error(code, message),
        Severity::Warning => Diagnostic::warning(code, message),
    };
    match hint {
        Some(h) => d.hint(h),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths() {
        assert_eq!(page_path("index.html"), "/");
        assert_eq!(page_path("en/x/index.html"), "/en/x/");
        assert_eq!(page_path("en/404.html"), "/en/404.html");
    }

    #[test]
    fn needles_cover_markdown_forms_and_the_base_path() {
        let n = link_needles("/portal/%C5%82/", "/portal");
        for expected in ["](/portal/%C5%82/", "](/portal/ł/", "](/ł/", "]: /ł/", "\"/ł/\"", "</ł/>"] {
            assert!(n.contains(&expected.to_string()), "{expected} missing from {n:?}");
        }
    }
}
