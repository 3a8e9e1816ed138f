//! Search: the Pagefind index built with the site (one per language, every real page once,
//! fallback pages never), the search page and the header's search form in pl/en/uk, and the
//! search vocabulary's diagnostics. The queries themselves run in a browser: `search_browser.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::support::SiteTest;

/// The typed fixture with the portal theme and a search page in three languages.
pub(crate) fn typed_with_search() -> SiteTest {
    let site = SiteTest::typed();
    for (file, title, slug) in [
        ("szukaj.md", "Szukaj", None),
        ("szukaj.en.md", "Search", Some("search")),
        ("szukaj.uk.md", "Пошук", Some("poshuk")),
    ] {
        let slug = slug.map(|s| format!("slug = \"{s}\"\n")).unwrap_or_default();
        site.write(
            &format!("content/{file}"),
            &format!("+++\ntitle = \"{title}\"\n{slug}template = \"search.html\"\n+++\n\nTekst.\n"),
        );
    }
    let config = std::fs::read_to_string(site.path("config.toml")).unwrap();
    let config = config.replace("[extra]\n", "[extra]\nsearch = \"szukaj.md\"\n");
    std::fs::write(site.path("config.toml"), config).unwrap();
    site
}

/// The folder of the Pagefind bundle (`public/pagefind/<hash>/`).
pub(crate) fn bundle(public: &Path) -> PathBuf {
    let root = public.join("pagefind");
    let dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("no {}: {e}", root.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("pagefind-entry.json").is_file())
        .collect();
    assert_eq!(dirs.len(), 1, "one bundle folder: {dirs:?}");
    dirs.into_iter().next().unwrap()
}

/// Every indexed page as (language, URL), with repeats, read from the index's fragment files
/// (gzip, then a `pagefind_dcd` signature, then JSON), and the page counts of the entry file.
pub(crate) fn indexed_pages(public: &Path) -> (Vec<(String, String)>, BTreeMap<String, u64>) {
    let dir = bundle(public);
    let entry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("pagefind-entry.json")).unwrap()).unwrap();
    let counts = entry["languages"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(lang, v)| (lang.clone(), v["page_count"].as_u64().unwrap()))
        .collect();
    let mut pages = Vec::new();
    for file in std::fs::read_dir(dir.join("fragment")).unwrap().flatten() {
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(file.path()).unwrap()).read_to_end(&mut bytes).unwrap();
        assert_eq!(&bytes[..12], b"pagefind_dcd", "{}", file.path().display());
        let fragment: serde_json::Value = serde_json::from_slice(&bytes[12..]).unwrap();
        let url = fragment["url"].as_str().unwrap().to_string();
        let lang = fragment["language"].as_str().map(str::to_string).unwrap_or_else(|| lang_of(&url));
        pages.push((lang, url));
    }
    (pages, counts)
}

fn lang_of(url: &str) -> String {
    match url.split('/').nth(1) {
        Some(l @ ("en" | "uk")) => l.to_string(),
        _ => "pl".to_string(),
    }
}

/// The pages that must be indexed, read from the output: every HTML page that is not a
/// fallback (`noindex`), not a later pager, and of a kind with content of its own.
pub(crate) fn expected_pages(public: &Path) -> BTreeSet<(String, String)> {
    let mut expected = BTreeSet::new();
    for entry in walkdir::WalkDir::new(public).into_iter().flatten() {
        let rel = entry.path().strip_prefix(public).unwrap().to_string_lossy().replace('\\', "/");
        if !rel.ends_with("index.html") || rel.contains("/page/") || rel.starts_with("pagefind/") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let kind = html.split("<body data-kind=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("");
        let own_content =
            // Lists generated from other pages (taxonomy terms, the map's category views) and
            // copies of a guide per municipality are not indexed: their pages are.
            !matches!(kind, "taxonomy" | "term" | "map" | "404" | "migrant-local" | "completeness" | "search" | "");
        if own_content && !html.contains("<meta name=\"robots\" content=\"noindex\">") {
            let url = format!("/{}", rel.trim_end_matches("index.html"));
            expected.insert((lang_of(&url), url));
        }
    }
    expected
}

/// Asserts that the index of `public` holds each expected page exactly once and nothing else.
pub(crate) fn assert_index_complete(public: &Path) {
    let (pages, counts) = indexed_pages(public);
    let mut seen = BTreeSet::new();
    for page in &pages {
        assert!(seen.insert(page.clone()), "indexed twice: {page:?}");
    }
    let expected = expected_pages(public);
    let missing: Vec<_> = expected.difference(&seen).collect();
    let extra: Vec<_> = seen.difference(&expected).collect();
    assert!(missing.is_empty() && extra.is_empty(), "not indexed: {missing:?}\nindexed but should not be: {extra:?}");
    for (lang, count) in &counts {
        let n = expected.iter().filter(|(l, _)| l == lang).count() as u64;
        assert_eq!(*count, n, "page count of the {lang} index");
    }
    assert_eq!(counts.keys().cloned().collect::<Vec<_>>(), ["en", "pl", "uk"], "one index per language");
}

#[test]
fn the_index_holds_every_page_of_each_language_once_and_no_fallback() {
    let site = typed_with_search();
    site.build().assert_ok();
    let public = site.path("public");
    assert_index_complete(&public);
    let (pages, _) = indexed_pages(&public);
    // `o-stowarzyszeniu.md` exists only in Polish: its text is under /en/ and /uk/ too, as a
    // fallback, but is indexed once, in Polish.
    let about: Vec<_> = pages.iter().filter(|(_, url)| url.contains("o-stowarzyszeniu")).collect();
    assert_eq!(about, [&("pl".to_string(), "/o-stowarzyszeniu/".to_string())]);
    assert!(site.exists("en/o-stowarzyszeniu/index.html"), "the fallback page itself is published");
    // The search page is not indexed; a Ukrainian page is, under its Ukrainian URL.
    assert!(!pages.iter().any(|(_, url)| url.contains("szukaj") || url.contains("search") || url.contains("poshuk")));
    assert!(pages.contains(&("uk".to_string(), "/uk/gminy/wieliczka/mgops/".to_string())));
}

#[test]
fn only_the_main_content_is_marked_and_fallbacks_are_not() {
    let site = typed_with_search();
    site.build().assert_ok();
    let main = |path: &str| {
        let html = site.read(path);
        html.split("<main").nth(1).unwrap().split('>').next().unwrap().to_string()
    };
    assert_eq!(main("gminy/wieliczka/mgops/index.html"), r#" id="main" class="wrap" data-pagefind-body"#);
    assert_eq!(main("en/o-stowarzyszeniu/index.html"), r#" id="main" class="wrap""#, "a fallback");
    assert_eq!(main("szukaj/index.html"), r#" id="main" class="wrap""#, "the search page");
    // Filters and metadata of a service: category, municipality, address.
    let html = site.read("uk/gminy/wieliczka/mgops/index.html");
    assert!(html.contains(r#"data-pagefind-filter="category" data-pagefind-meta="category">"#), "{html}");
    assert!(html.contains(r#"data-pagefind-filter="municipality" data-pagefind-meta="municipality">"#));
    assert!(html.contains(r#"<dd><span data-pagefind-meta="address">ul. Sienkiewicza 26, 32-020 Wieliczka</span>"#));
    // The published page carries no search keywords: they exist only in the index.
    assert!(!html.contains("keywords:"));
}

#[test]
fn the_search_page_and_the_header_form_exist_in_every_language() {
    let site = typed_with_search();
    site.build().assert_ok();
    for (path, lang, action, label, button) in [
        ("szukaj/index.html", "pl", "/portal/szukaj/", "Czego szukasz?", "Szukaj"),
        ("en/search/index.html", "en", "/portal/en/search/", "What are you looking for?", "Search"),
        ("uk/poshuk/index.html", "uk", "/portal/uk/poshuk/", "Що ви шукаєте?", "Шукати"),
    ] {
        let html = site.read(path);
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path}");
        assert!(html.contains("<body data-kind=\"search\">"), "{path}");
        // The page's own form: labelled, GET to itself with q, a live status for the count.
        assert!(html.contains(&format!(
            r#"<form class="search-form" role="search" aria-labelledby="search-title" action="{action}" method="get">"#
        )));
        assert!(html.contains(&format!(r#"<label class="search-form__label" for="search-q">{label}</label>"#)));
        assert!(html.contains(r#"id="search-q" type="search" name="q""#));
        assert!(html.contains(r#"<p class="search-status" data-search-status role="status"></p>"#));
        // Search code and styles: fingerprinted theme assets, on this page only.
        let js = between(&html, "<script type=\"module\" src=\"", "\"");
        assert!(js.starts_with("/portal/js/search.") && js.ends_with(".js"), "{js}");
        assert!(site.exists(js.trim_start_matches("/portal/")));
        assert!(html.contains("/portal/css/search."));
        let bundle = between(&html, "data-bundle=\"", "\"");
        assert!(bundle.starts_with("/portal/pagefind/") && bundle.ends_with('/'), "{bundle}");
        assert!(site.exists(&format!("{}pagefind.js", bundle.trim_start_matches("/portal/"))));
        assert!(html.contains("data-base=\"/portal/\""));
        // No inline script or style: a strict CSP works.
        assert!(!html.contains("<script>") && !html.contains(" style=") && !html.contains("<style"));

        // The header form on the home page of the language (every page shares base.html):
        // labelled, GET to the search page.
        {
            let other = if lang == "pl" { "index.html".to_string() } else { format!("{lang}/index.html") };
            let page = site.read(&other);
            assert!(
                page.contains(&format!(
                    r#"<form class="site-search" role="search" aria-label="{}" action="{action}" method="get">"#,
                    match lang {
                        "pl" => "Wyszukiwarka serwisu",
                        "en" => "Site search",
                        _ => "Пошук на сайті",
                    }
                )),
                "{other}"
            );
            assert!(page.contains(&format!(r#"<label class="visually-hidden" for="site-search-q">{label}</label>"#)));
            assert!(page.contains(r#"<input class="site-search__input" id="site-search-q" type="search" name="q""#));
            assert!(page.contains(&format!(r#"<button class="site-search__button" type="submit">{button}</button>"#)));
            assert!(!page.contains("js/search."), "search code is loaded on the search page only");
        }
    }
    // Plural forms of the result count, ready for Intl.PluralRules in the browser.
    let pl = site.read("szukaj/index.html");
    assert!(pl.contains(r#"data-count-one="Znaleziono {n} wynik""#));
    assert!(pl.contains(r#"data-count-few="Znaleziono {n} wyniki""#));
    assert!(pl.contains(r#"data-count-many="Znaleziono {n} wyników""#));
    let uk = site.read("uk/poshuk/index.html");
    assert!(uk.contains(r#"data-count-few="Знайдено {n} результати""#));
}

#[test]
fn a_repeat_build_rewrites_no_search_file_and_the_index_is_deterministic() {
    let site = typed_with_search();
    site.build().assert_ok();
    let first = crate::support::snapshot(&site.path("public/pagefind"));
    let run = site.build();
    run.assert_ok();
    assert_eq!(crate::support::snapshot(&site.path("public/pagefind")), first);
    assert!(run.stderr.contains(" 0 written"), "{}", run.stderr);
    // A change of one page changes its fragment, not the browser code.
    let page = site.path("content/o-stowarzyszeniu.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\nNowe zdanie o żłobkach.\n")).unwrap();
    site.build().assert_ok();
    let second = crate::support::snapshot(&site.path("public/pagefind"));
    assert_ne!(second, first);
    let code = |s: &BTreeMap<String, Vec<u8>>| {
        s.iter()
            .filter(|(k, _)| k.ends_with(".js") || k.contains("wasm."))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(code(&second), code(&first));
}

#[test]
fn search_vocabulary_errors_are_reported_at_their_line() {
    let site = typed_with_search();
    site.write("themes/portal/search.toml", "[uk]\nbase_forms = [\"житло\"]\n\n[de]\nbase_forms = [\"Haus\"]\n");
    site.build()
        .assert_code(1)
        .assert_stderr_contains("error[search-vocabulary]: `de` is not a language of the site")
        .assert_stderr_contains("--> themes/portal/search.toml:4:2");
    site.write("themes/portal/search.toml", "[uk]\nbase_form = [\"житло\"]\n");
    site.build()
        .assert_code(1)
        .assert_stderr_contains("error[search-vocabulary]: [uk]: unknown key `base_form`")
        .assert_stderr_contains("--> themes/portal/search.toml:2:1");
    site.write("themes/portal/search.toml", "[uk]\nbase_forms = [\"їж\"]\n");
    site.build()
        .assert_code(1)
        .assert_stderr_contains("base form `їж` is too short")
        .assert_stderr_contains("--> themes/portal/search.toml:2:14");
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start:?}")) + start.len();
    let to = text[from..].find(end).unwrap() + from;
    &text[from..to]
}

/// The real portal's index: every page of each language once, fallbacks never.
#[test]
fn the_real_portal_index_holds_every_page_once() {
    let public = crate::support::built_portal();
    assert_index_complete(public);
    let (pages, counts) = indexed_pages(public);
    assert!(counts.values().all(|&n| n > 50), "{counts:?}");
    assert!(pages.contains(&("uk".to_string(), "/uk/mihrantam/pesel/".to_string())));
}

/// Runs `query` on the search page at `url` and returns the result URLs in order.
fn search(browser: &mut crate::cdp::Browser, url: &str, query: &str) -> Vec<String> {
    let q: String = query.bytes().map(|b| format!("%{b:02X}")).collect();
    browser.navigate(&format!("{url}?q={q}"));
    browser.wait_for(
        "(() => { const s = document.querySelector('[data-search-status]').textContent; \
           return s && !s.endsWith('…'); })()",
        std::time::Duration::from_secs(20),
    );
    let urls = browser.eval(
        "JSON.stringify([...document.querySelectorAll('.search-result__title a')].map(a => a.getAttribute('href')))",
    );
    serde_json::from_str(urls.as_str().unwrap()).unwrap()
}

/// Every result of `query` through Pagefind's API on the search page at `url`, in order.
fn all_results(browser: &mut crate::cdp::Browser, url: &str, query: &str) -> Vec<String> {
    browser.navigate(url);
    let js = format!(
        "(async () => {{ const d = document.querySelector('[data-search]').dataset; \
           const pf = await import(d.bundle + 'pagefind.js'); \
           await pf.options({{ basePath: d.bundle, baseUrl: d.base }}); \
           const r = await pf.search({}); \
           const data = await Promise.all(r.results.map(x => x.data())); \
           return JSON.stringify(data.map(x => x.url)); }})()",
        serde_json::to_string(query).unwrap()
    );
    serde_json::from_str(browser.eval(&js).as_str().unwrap()).unwrap()
}

/// Real queries in each language on the built portal, in headless Chromium under the strict
/// CSP of the test server: the expected page is among the first results.
#[test]
fn real_queries_find_the_expected_pages_in_each_language() {
    let Some(mut browser) = crate::cdp::Browser::launch() else { return };
    let base = crate::cdp::serve_dir(crate::support::built_portal(), "/");
    let cases: &[(&str, &str, &str)] = &[
        // Polish: the guide on PESEL; diacritics optional, including ł (no Unicode decomposition).
        ("szukaj/", "PESEL", "/migranci/pesel/"),
        ("szukaj/", "żłobek", "/gminy/wielka-wies/klub-dzieciecy-bialy-kosciol/"),
        ("szukaj/", "zlobek", "/gminy/wielka-wies/klub-dzieciecy-bialy-kosciol/"),
        // Any social assistance centre (ośrodek pomocy społecznej): there is one in every municipality.
        ("szukaj/", "osrodek pomocy", "~ops/"),
        ("szukaj/", "Michalowice", "/gminy/michalowice/"),
        // English.
        ("en/search/", "PESEL", "/en/migrants/pesel/"),
        // Every municipality has a social assistance centre: the municipality's name picks one.
        ("en/search/", "social assistance centre", "~/gops/"),
        ("en/search/", "Wieliczka social assistance", "/en/municipalities/wieliczka/mgops/"),
        ("en/search/", "emergency", "/en/migrants/emergency-numbers/"),
        // Ukrainian: no stemmer; prefixes, base forms from search.toml, Latin and Cyrillic names.
        ("uk/poshuk/", "лікар", "/uk/mihrantam/medychna-dopomoha/"),
        ("uk/poshuk/", "PESEL", "/uk/mihrantam/pesel/"),
        ("uk/poshuk/", "ПЕСЕЛЬ", "/uk/mihrantam/pesel/"),
        ("uk/poshuk/", "житло", "/uk/stratehiia/tsili-ta-napriamy-dii/"),
        ("uk/poshuk/", "допомога", "/uk/mihrantam/sotsialna-dopomoha/"),
        ("uk/poshuk/", "Wieliczka", "/uk/hminy/wieliczka/"),
        ("uk/poshuk/", "Величка", "/uk/hminy/wieliczka/"),
        ("uk/poshuk/", "Velychka", "/uk/hminy/wieliczka/mgops/"),
        ("uk/poshuk/", "здоров'я", "/uk/mihrantam/medychna-dopomoha/"),
    ];
    let mut failures = Vec::new();
    for (page, query, expected) in cases {
        let urls = search(&mut browser, &format!("{base}{page}"), query);
        let top: Vec<&String> = urls.iter().take(10).collect();
        let hit = |u: &&String| match expected.strip_prefix('~') {
            Some(suffix) => u.ends_with(suffix),
            None => u.as_str() == *expected,
        };
        if !top.iter().any(hit) {
            let status = browser.eval("document.querySelector('[data-search-status]').textContent");
            failures.push(format!(
                "{page} {query:?}: {expected} not in the first 10: {top:?} ({status}; {:?})",
                browser.console_errors()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Base forms: the Wieliczka centre's Ukrainian page says only "допомоги", yet "допомога"
    // finds it (among all results, through the index's keywords).
    let all = all_results(&mut browser, &format!("{base}uk/poshuk/"), "допомога");
    assert!(all.iter().any(|u| u == "/uk/hminy/wieliczka/mgops/"), "{all:?}");
    let all = all_results(&mut browser, &format!("{base}uk/poshuk/"), "Забʼєжув");
    assert!(all.iter().any(|u| u.starts_with("/uk/hminy/zabierzow/")), "{all:?}");
    // The result list: title link, municipality and category, excerpt with the match marked.
    search(&mut browser, &format!("{base}uk/poshuk/"), "Величка");
    let first = browser.eval(
        "(() => { const li = [...document.querySelectorAll('.search-result')]\
           .find(li => li.querySelector('a').getAttribute('href') === '/uk/hminy/wieliczka/mgops/');\
           return li ? li.innerText : ''; })()",
    );
    let text = first.as_str().unwrap();
    assert!(text.contains("Гміна") && text.contains("Wieliczka") && text.contains("Категорія"), "{text}");
    let status = browser.eval("document.querySelector('[data-search-status]').textContent");
    assert!(status.as_str().unwrap().starts_with("Знайдено "), "{status}");
    assert!(browser.eval("document.querySelector('.search-result__excerpt mark') !== null").as_bool().unwrap());
    // Filters: the municipality select lists the index's municipalities; a filter narrows a
    // query, and alone lists everything it matches.
    let urls = search(&mut browser, &format!("{base}uk/poshuk/"), "допомога");
    assert!(urls.len() >= 10);
    let options =
        browser.eval("[...document.querySelectorAll('#search-municipality option')].map(o => o.value).join('|')");
    // The Ukrainian index names municipalities in their one Ukrainian form.
    assert!(options.as_str().unwrap().contains("|Величка|"), "{options}");
    assert_eq!(browser.eval("document.querySelector('[data-search-filters]').hidden"), false);
    browser.navigate(&format!(
        "{base}uk/poshuk/?q=%D0%B4%D0%BE%D0%BF%D0%BE%D0%BC%D0%BE%D0%B3%D0%B0&municipality=%D0%92%D0%B5%D0%BB%D0%B8%D1%87%D0%BA%D0%B0"
    ));
    browser.wait_for("document.querySelector('.search-result__title a') !== null", std::time::Duration::from_secs(20));
    let urls = browser
        .eval("[...document.querySelectorAll('.search-result__title a')].map(a => a.getAttribute('href')).join(' ')");
    let urls = urls.as_str().unwrap();
    assert!(!urls.is_empty() && urls.split(' ').all(|u| u.starts_with("/uk/hminy/wieliczka/")), "{urls}");
    assert_eq!(browser.eval("document.getElementById('search-municipality').value"), "Величка");
    browser.navigate(&format!("{base}szukaj/?municipality=Wieliczka"));
    browser.wait_for("document.querySelector('.search-result__title a') !== null", std::time::Duration::from_secs(20));
    let urls = browser
        .eval("[...document.querySelectorAll('.search-result__title a')].map(a => a.getAttribute('href')).join(' ')");
    assert!(urls.as_str().unwrap().contains("/gminy/wieliczka/mgops/"), "{urls}");
    // With results and filters shown, the page fits a 320 px screen.
    browser.set_viewport(320, 640);
    search(&mut browser, &format!("{base}uk/poshuk/"), "Величка");
    let width = browser.eval("document.documentElement.scrollWidth").as_u64().unwrap();
    assert!(width <= 320, "the search page is {width} px wide on a 320 px screen");
    browser.set_viewport(1280, 800);
    // Typing into the box searches as you type and keeps the address in step.
    browser.navigate(&format!("{base}en/search/"));
    browser.eval("document.getElementById('search-q').focus()");
    browser.type_text("nursery");
    browser.wait_for(
        "document.querySelector('[data-search-status]').textContent.includes('found')",
        std::time::Duration::from_secs(20),
    );
    assert!(browser.eval("location.search").as_str().unwrap().contains("q=nursery"));
    // The header form leads to the search page with the query.
    browser.navigate(&format!("{base}uk/"));
    browser.eval(
        "document.getElementById('site-search-q').value = 'PESEL'; document.querySelector('.site-search').submit()",
    );
    browser.wait_for("location.pathname === '/uk/poshuk/'", std::time::Duration::from_secs(10));
    browser.wait_for("document.querySelector('.search-result__title a') !== null", std::time::Duration::from_secs(20));
    assert_eq!(browser.console_errors(), Vec::<String>::new());
}

/// axe-core (WCAG 2.1 A/AA) on the search pages with results shown, in every language, and on
/// the empty and the "nothing found" states. Skipped without `tests/tools` (see `theme.rs`).
#[test]
fn search_pages_with_results_have_no_wcag_violations() {
    let axe = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/node_modules/axe-core/axe.min.js");
    if !axe.exists() {
        assert!(
            std::env::var("METROPORTAL_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "METROPORTAL_REQUIRE_BROWSER=1 but axe-core is missing: run `npm ci --prefix tests/tools`"
        );
        eprintln!("skipped: axe-core is not installed (run `npm ci --prefix tests/tools`)");
        return;
    }
    let Some(mut browser) = crate::cdp::Browser::launch() else { return };
    let axe = std::fs::read_to_string(axe).unwrap();
    let base = crate::cdp::serve_dir(crate::support::built_portal(), "/");
    let run = "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})\
        .then(r => r.violations.map(v => `${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`))";
    let mut violations = Vec::new();
    for (page, query) in [
        ("szukaj/", "pomoc"),
        ("en/search/", "PESEL"),
        ("uk/poshuk/", "Величка"),
        ("szukaj/", ""),
        ("uk/poshuk/", "qqqq"),
    ] {
        if query.is_empty() {
            browser.navigate(&format!("{base}{page}"));
        } else {
            search(&mut browser, &format!("{base}{page}"), query);
        }
        browser.eval(&axe);
        for v in browser.eval(run).as_array().unwrap() {
            violations.push(format!("{page}?q={query}: {}", v.as_str().unwrap()));
        }
    }
    assert!(violations.is_empty(), "axe-core found violations:\n{}", violations.join("\n"));
    assert_eq!(browser.console_errors(), Vec::<String>::new());
}

#[test]
#[ignore = "writes screenshots for a look by eye"]
fn search_screenshots() {
    let Some(mut browser) = crate::cdp::Browser::launch() else { return };
    let base = crate::cdp::serve_dir(crate::support::built_portal(), "/");
    for (w, name) in [(1280, "wide"), (375, "narrow")] {
        browser.set_viewport(w, 1400);
        search(&mut browser, &format!("{base}uk/poshuk/"), "Величка");
        browser.screenshot_png(&Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("search-{name}.png")), 1400.0);
    }
}
