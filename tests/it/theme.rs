//! The theme's promises, checked on the real portal in all three languages: valid HTML (the Nu
//! Html Checker), no WCAG 2.1 A/AA violations found by axe-core in headless Chromium, no inline
//! scripts or styles (so a strict CSP works), and the size budget of a service page.
//!
//! The checkers come from the npm registry (`tests/tools/package.json`, installed by `.ci/run`
//! with `npm ci --prefix tests/tools`); the Nu checker needs Java. Without them these tests are
//! skipped with a message, unless `METROPORTAL_REQUIRE_BROWSER=1` (set by `.ci/run`).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cdp::{Browser, serve_dir};
use crate::support::built_portal;

/// A checker installed by `npm ci --prefix tests/tools`, or `None` (skipped) when it is not.
pub(crate) fn tool(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/node_modules").join(rel);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var("METROPORTAL_REQUIRE_BROWSER").as_deref() != Ok("1"),
        "METROPORTAL_REQUIRE_BROWSER=1 but {} is missing: run `npm ci --prefix tests/tools`",
        path.display()
    );
    eprintln!("skipped: {rel} is not installed (run `npm ci --prefix tests/tools`)");
    None
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    let Some(vnu) = tool("vnu-jar/build/dist/vnu.jar") else { return };
    let java = std::env::var("JAVA").unwrap_or_else(|_| "java".into());
    let public = built_portal();
    let output = Command::new(&java)
        .args(["-jar"])
        .arg(&vnu)
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .arg(public)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {java} (install a Java runtime): {e}"));
    let report = String::from_utf8_lossy(&output.stderr).replace(&format!("file:{}", public.display()), "");
    assert!(output.status.success() && report.trim().is_empty(), "the Nu Html Checker reports:\n{report}");
    assert!(html_files(public).len() > 500, "the checker saw the whole portal");
}

#[test]
fn no_page_has_inline_scripts_styles_or_handlers() {
    let public = built_portal();
    let mut problems = Vec::new();
    for file in html_files(public) {
        let html = std::fs::read_to_string(&file).unwrap();
        let rel = file.strip_prefix(public).unwrap().display().to_string();
        // `/admin/` is the CMS, under its own policy: its import map is an inline script that
        // the policy allows by hash (tests/it/cms.rs).
        if rel.starts_with("admin/") {
            continue;
        }
        for (at, _) in html.match_indices("<script") {
            let tag = &html[at..at + html[at..].find('>').unwrap()];
            if !tag.contains(" src=") && !tag.contains("type=\"application/ld+json\"") {
                problems.push(format!("{rel}: inline {tag}>"));
            }
        }
        for needle in ["<style", " style=\"", " onclick=", " onload=", " onchange=", " onsubmit=", "javascript:"] {
            if html.contains(needle) {
                problems.push(format!("{rel}: contains `{needle}`"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Bytes of a page plus the stylesheets and scripts it loads from the site itself, leaving out
/// the map library and the search index (which load only on the pages that need them).
fn page_weight(public: &Path, file: &Path) -> (usize, Vec<String>) {
    let html = std::fs::read_to_string(file).unwrap();
    let mut total = html.len();
    let mut parts = vec![format!("{} {}", file.strip_prefix(public).unwrap().display(), html.len())];
    for attr in [" href=\"", " src=\""] {
        for (at, _) in html.match_indices(attr) {
            let start = at + attr.len();
            let url = &html[start..start + html[start..].find('"').unwrap()];
            let is_code = url.ends_with(".css") || url.ends_with(".js");
            let excluded = url.contains("/vendor/leaflet") || url.contains("pagefind");
            if is_code && !excluded && url.starts_with('/') {
                let size = std::fs::metadata(public.join(url.trim_start_matches('/'))).map_or(0, |m| m.len() as usize);
                total += size;
                parts.push(format!("{url} {size}"));
            }
        }
    }
    (total, parts)
}

#[test]
fn a_service_page_with_its_css_and_js_stays_under_60_kb() {
    let public = built_portal();
    let services: Vec<PathBuf> = html_files(public)
        .into_iter()
        .filter(|f| std::fs::read_to_string(f).unwrap().contains("data-kind=\"service\""))
        .collect();
    assert!(services.len() >= 26 * 3, "every service page in every language: {}", services.len());
    let (heaviest, parts) = services.iter().map(|f| page_weight(public, f)).max_by_key(|(size, _)| *size).unwrap();
    assert!(heaviest < 60 * 1024, "the heaviest service page weighs {heaviest} bytes: {parts:?}");
}

/// One page of every type, by its Polish URL; the English and Ukrainian versions are found
/// through the page's own hreflang alternates.
const PAGE_TYPES: &[(&str, &str)] = &[
    ("home", "/"),
    ("municipality", "/gminy/wieliczka/"),
    ("municipalities", "/gminy/"),
    ("service", "/gminy/krakow/mops/"),
    ("forum-list", "/forum/"),
    ("forum-meeting", "/forum/forum-uslug-spolecznych-2024/"),
    ("guide", "/migranci/pesel/"),
    ("guide-local", "/gminy/skawina/migranci/pesel/"),
    ("migrant-pack", "/gminy/skawina/migranci/"),
    ("strategy", "/strategia/"),
    ("strategy-page", "/strategia/swot/"),
    ("accessibility-statement", "/deklaracja-dostepnosci/"),
    ("data-sources", "/dane-i-zrodla/"),
    ("map", "/mapa/"),
    ("map-category", "/mapa/osrodek-pomocy-spolecznej/"),
];

/// Pages without translations to link to, so each language's version is listed: the 404 page,
/// and the topic-category pages (their terms are free words in each language).
const SINGLE_PAGES: &[(&str, &str)] = &[
    ("404", "/nie-ma-takiej-strony/"),
    ("404", "/en/no-such-page/"),
    ("404", "/uk/nemaie-takoi-storinky/"),
    ("topic-category", "/categories/migracje/"),
    ("topic-category", "/en/categories/migration/"),
    ("topic-category", "/uk/categories/mihratsiia/"),
];

/// The other language versions of the loaded page, from its `hreflang` alternates.
fn translations(browser: &mut Browser) -> Vec<String> {
    let links = browser
        .eval("[...document.querySelectorAll('nav.lang-switcher a[hreflang]')].map(a => new URL(a.href).pathname)");
    links.as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect()
}

pub(crate) const AXE_RUN: &str = "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
    .then(r => r.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`))";

#[test]
fn axe_finds_no_wcag_violations_on_any_page_type_in_any_language() {
    let Some(axe) = tool("axe-core/axe.min.js") else { return };
    let Some(mut browser) = Browser::launch() else { return };
    let axe = std::fs::read_to_string(axe).unwrap();
    let base = serve_dir(built_portal(), "/");
    let mut violations = Vec::new();
    let mut checked = 0;
    for &(name, path) in PAGE_TYPES.iter().chain(SINGLE_PAGES) {
        let mut queue = vec![path.to_string()];
        let mut seen = Vec::new();
        while let Some(path) = queue.pop() {
            if seen.contains(&path) {
                continue;
            }
            browser.navigate(&format!("{}{}", base.trim_end_matches('/'), path));
            if seen.is_empty() && PAGE_TYPES.contains(&(name, path.as_str())) {
                queue.extend(translations(&mut browser));
            }
            seen.push(path.clone());
            browser.eval(&axe);
            for violation in browser.eval(AXE_RUN).as_array().unwrap() {
                violations.push(format!("{name} {path}: {}", violation.as_str().unwrap()));
            }
            checked += 1;
        }
        if PAGE_TYPES.contains(&(name, path)) {
            assert_eq!(seen.len(), 3, "{name}: {path} has {} language versions", seen.len());
        }
    }
    assert!(violations.is_empty(), "axe-core found violations:\n{}", violations.join("\n"));
    assert_eq!(checked, PAGE_TYPES.len() * 3 + SINGLE_PAGES.len(), "every page type in every language");
    assert_eq!(browser.console_errors(), Vec::<String>::new(), "console errors (CSP violations show here)");
    let failed: Vec<String> = browser
        .network_errors()
        .into_iter()
        .filter(|e| !SINGLE_PAGES.iter().any(|(n, p)| *n == "404" && e.contains(p)))
        // The map page asks the configured tile server for its background, which this machine
        // cannot reach; the map works without it (tests/it/map.rs checks that).
        .filter(|e| !e.contains("tile.openstreetmap.org"))
        .collect();
    assert_eq!(failed, Vec::<String>::new(), "failed loads (the 404 pages' own status aside)");
}

/// Every page type, Polish version, with the other languages' home pages: what the layout tests
/// walk through.
fn layout_pages() -> Vec<&'static str> {
    PAGE_TYPES.iter().map(|(_, p)| *p).chain(["/en/", "/uk/"]).collect()
}

#[test]
fn pages_fit_a_320_px_screen_without_sideways_scrolling() {
    let Some(mut browser) = Browser::launch() else { return };
    let base = serve_dir(built_portal(), "/");
    browser.set_viewport(320, 640);
    let mut too_wide = Vec::new();
    for path in layout_pages() {
        browser.navigate(&format!("{}{}", base.trim_end_matches('/'), path));
        let width = browser.eval("document.documentElement.scrollWidth").as_u64().unwrap();
        if width > 320 {
            let culprits = browser.eval(
                "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 321)
                    .slice(0, 3).map(e => e.tagName + '.' + e.className)",
            );
            too_wide.push(format!("{path}: {width}px wide, {culprits}"));
        }
    }
    assert!(too_wide.is_empty(), "{}", too_wide.join("\n"));
}

#[test]
fn the_first_tab_reaches_a_visible_skip_link_to_the_main_content() {
    let Some(mut browser) = Browser::launch() else { return };
    let base = serve_dir(built_portal(), "/");
    for path in ["/", "/uk/", "/gminy/krakow/mops/"] {
        browser.navigate(&format!("{}{}", base.trim_end_matches('/'), path));
        browser.press_key("Tab");
        let focused = browser.eval(
            "(() => { const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);
               return [e.className, e.getAttribute('href'), r.top >= 0 && r.height > 0, s.outlineStyle]; })()",
        );
        assert_eq!(focused[0], "skip-link", "{path}: {focused}");
        assert_eq!(focused[1], "#main");
        assert_eq!(focused[2], true, "{path}: the focused skip link is on screen");
        assert_ne!(focused[3], "none", "{path}: focus is visible");
        browser.press_key("Enter");
        browser.press_key("Tab");
        let inside_main = browser.eval("!!document.activeElement.closest('main')");
        assert_eq!(inside_main, true, "{path}: after the skip link, Tab moves inside <main>");
    }
}

/// Writes `docs/screenshots/<type>-<width>.png` for every page type at phone and desktop width
/// (the top of each page: two phone screens, one and a half desktop screens).
/// Run by `scripts/screenshots.sh` (ignored in the normal test run: it rewrites files in the
/// repository).
#[test]
#[ignore]
fn screenshots() {
    let Some(mut browser) = Browser::launch() else { return };
    let base = serve_dir(built_portal(), "/");
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    let shots = PAGE_TYPES.iter().chain(&SINGLE_PAGES[..1]).copied().chain([("home-uk", "/uk/"), ("home-en", "/en/")]);
    for (name, path) in shots {
        for (width, height) in [(375, 1334.0), (1280, 1200.0)] {
            browser.set_viewport(width, 800);
            browser.navigate(&format!("{}{}", base.trim_end_matches('/'), path));
            browser.screenshot_png(&folder.join(format!("{name}-{width}.png")), height);
        }
    }
}

#[test]
fn the_home_page_leads_to_every_municipality_and_guide_in_each_language() {
    let public = built_portal();
    for (home, guides_heading) in
        [("index.html", "Według potrzeby"), ("en/index.html", "By need"), ("uk/index.html", "За потребою")]
    {
        let html = std::fs::read_to_string(public.join(home)).unwrap();
        let finder = &html[html.find("class=\"finder\"").expect("finder")..];
        let finder = &finder[..finder.find("</section>").unwrap()];
        let by_municipality = &finder[finder.find("finder__list--columns").unwrap()..];
        let by_municipality = &by_municipality[..by_municipality.find("</ul>").unwrap()];
        assert_eq!(by_municipality.matches("<li>").count(), 15, "{home}");
        assert!(finder.contains(guides_heading), "{home}");
        let by_need = &finder[finder.find(guides_heading).unwrap()..];
        assert_eq!(by_need[..by_need.find("</ul>").unwrap()].matches("<li>").count(), 6, "{home}: six guides");
        assert!(html.contains("class=\"guide-callout\""), "{home}");
        assert!(html.contains("href=\"https://metropoliakrakowska.pl/\""), "{home}: the Association's contact route");
    }
}
