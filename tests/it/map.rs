//! Service maps: the static SVG maps (home, map page, category pages, municipality pages) with
//! their legend and text alternative, the per-language services GeoJSON, the boundaries
//! published once, the `[map]` settings and their errors, and the real portal, where no service
//! has coordinates yet.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::cdp::{Browser, serve_dir};
use crate::support::{SiteTest, built_portal};

/// The typed fixture with a map page and three located services (two at the same spot).
fn located() -> SiteTest {
    let site = SiteTest::typed().overlay("map-located");
    site.build().assert_ok();
    site
}

fn read(public: &Path, rel: &str) -> String {
    std::fs::read_to_string(public.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

/// The inline SVG of a page.
fn svg(html: &str) -> &str {
    let start = html.find("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map__svg\"").expect("a map");
    &html[start..start + html[start..].find("</svg>").unwrap() + 6]
}

#[track_caller]
fn no_inline_code(html: &str) {
    assert!(!html.contains(" style="), "inline style");
    assert!(!html.contains(" onclick=") && !html.contains(" onload="), "inline handler");
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..i + html[i..].find('>').unwrap()];
        assert!(tag.contains(" src=") || tag.contains("application/ld+json"), "inline script: {tag}");
    }
}

#[test]
fn the_map_page_places_located_services_and_lists_every_service() {
    let site = located();
    let html = site.read("mapa/index.html");
    no_inline_code(&html);
    let map = svg(&html);
    // mgops (Wieliczka) and three in Kraków are located; the migrant point is not.
    assert_eq!(map.matches("class=\"map__marker\"").count(), 4, "{map}");
    assert_eq!(map.matches("class=\"map__spread\"").count(), 1, "the two services at one spot are spread");
    assert!(map.contains(r#"aria-label="Żłobek testowy (Żłobek lub klub dziecięcy)""#), "{map}");
    assert!(map.contains(r#"<a href="/portal/gminy/krakow/" class="map__region" aria-label="Kraków: 4 usługi">"#));
    assert!(
        map.contains(r#"<a href="/portal/gminy/wieliczka/" class="map__region" aria-label="Wieliczka: 1 usługa">"#)
    );
    assert_eq!(map.matches("map__region--plain").count(), 13, "boundaries without a page are drawn, not linked");
    assert!(map.contains(r#"role="group" aria-labelledby="map-title" aria-describedby="map-desc""#));
    assert!(map.contains("Usługi z lokalizacją na mapie: 4. Usługi bez lokalizacji: 1;"), "{map}");
    // Legend: one symbol per category present, and the count of services without a location.
    assert!(html.contains("1 usługa bez lokalizacji (na liście, nie na mapie)"), "{html}");
    assert!(
        html.contains(r#"<span class="map-legend__label">Pomoc prawna i poradnictwo</span>: 1 usługa, na mapie: 1"#)
    );
    // Text alternative: municipality → category → service with address and link.
    let list = &html[html.find(r#"<section class="map-list""#).unwrap()..];
    assert!(list.contains(r#"<h3 id="ml-1261011"><a href="/portal/gminy/krakow/">Kraków</a>"#), "{list}");
    assert!(
        list.contains(r#"<li class="service-item" data-category="nursery" data-languages="pl" data-teryt="1261011">"#)
    );
    assert!(list.contains(r#"<a href="/portal/gminy/krakow/zlobek/">Żłobek testowy</a><span class="service-item__meta">ul. Testowa 1, 30-001 Kraków</span>"#));
    let punkt = &list[list.find("/portal/gminy/krakow/punkt/").unwrap()..];
    assert!(punkt[..200].contains("bez lokalizacji na mapie"), "{punkt}");
    // The interactive map is wired by data attributes, its scripts are files.
    assert!(html.contains(r#"data-services="/portal/dane/uslugi.pl.geojson""#));
    assert!(html.contains(r#"data-boundaries="/portal/dane/gminy.geojson""#));
    assert!(html.contains(r#"data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png""#));
    assert!(html.contains(r#"data-t-results-few="Pokazujemy {n} usługi""#));
    assert!(
        html.contains(r#"<script src="/portal/js/map."#)
            && html.contains(r#"<script src="/portal/vendor/leaflet/leaflet."#)
    );
    assert!(html.contains(r#"<option value="uk">ukraiński</option>"#), "languages served are filters");
}

#[test]
fn each_category_has_a_map_page_in_each_language() {
    let site = located();
    let html = site.read("mapa/osrodek-pomocy-spolecznej/index.html");
    no_inline_code(&html);
    let map = svg(&html);
    assert_eq!(map.matches("class=\"map__marker\"").count(), 2, "only social-assistance centres");
    assert!(map.contains("aria-label=\"Kraków: 1 usługa\""), "counts per category");
    assert!(html.contains("<h1>Mapa usług: Ośrodek pomocy społecznej</h1>"));
    assert!(html.contains(r#"<a href="/portal/mapa/?category=ops">"#), "a link to the interactive map, filtered");
    assert!(!html.contains("map.js"), "category pages are static");
    let en = site.read("en/map/social-assistance-centre/index.html");
    assert!(en.contains("<h1>Service map: Social assistance centre</h1>"), "{en}");
    assert!(en.contains(r#"<a href="/portal/en/map/legal-aid-and-advice/">Legal aid and advice</a>"#));
    // Ukrainian has no map text: the category pages still exist, in Ukrainian UI.
    let uk = site.read("uk/mapa/tsentr-sotsialnoi-dopomohy/index.html");
    assert!(uk.contains("Мапа послуг: Центр соціальної допомоги"), "{uk}");
    assert!(!site.exists("mapa/pomoc-spoleczna/index.html"));
    // Alternates in the page and in the sitemap.
    assert!(html.contains(
        r#"<link rel="alternate" hreflang="en" href="https://example.org/portal/en/map/social-assistance-centre/">"#
    ));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/portal/uk/mapa/tsentr-sotsialnoi-dopomohy/</loc>"), "{sitemap}");
}

#[test]
fn municipality_and_home_pages_show_their_maps() {
    let site = located();
    let html = site.read("gminy/krakow/index.html");
    no_inline_code(&html);
    let map = svg(&html);
    assert!(
        map.contains(r#"class="map__region map__region--current" aria-label="Kraków: 4 usługi" aria-current="page""#)
    );
    assert_eq!(map.matches("class=\"map__marker\"").count(), 3, "only its own services");
    assert!(map.contains("<title id=\"map-title\">Gmina Kraków na mapie Metropolii Krakowskiej</title>"));
    assert!(html.contains(r#"<a href="/portal/mapa/?municipality=1261011">"#));
    assert!(html.contains("css/map."), "the map's stylesheet");
    assert!(!html.contains("leaflet"), "no map library on municipality pages");
    let home = site.read("index.html");
    assert_eq!(svg(&home).matches("class=\"map__marker\"").count(), 4);
    assert!(home.contains(r#"<details class="map-list" id="map-list">"#), "the list next to the map");
    let service = site.read("gminy/krakow/porady/index.html");
    assert!(!service.contains("map.") && !service.contains("leaflet"), "service pages load no map code");
}

#[test]
fn services_geojson_per_language_and_boundaries_once() {
    let site = located();
    let en = json(&site.read("dane/uslugi.en.geojson"));
    let features = en["features"].as_array().unwrap();
    assert_eq!(features.len(), 5);
    assert_eq!(features.iter().filter(|f| !f["geometry"].is_null()).count(), 4);
    let nursery = features.iter().find(|f| f["id"] == "gminy/krakow/zlobek").unwrap();
    assert_eq!(nursery["geometry"]["coordinates"], serde_json::json!([19.94, 50.06]));
    assert_eq!(nursery["properties"]["category_label"], "Nursery or children's club");
    assert_eq!(nursery["properties"]["url"], "/portal/en/gminy/krakow/zlobek/", "a Polish fallback page in English");
    assert_eq!(nursery["properties"]["name_lang"], "pl");
    let ops = features.iter().find(|f| f["id"] == "gminy/krakow/mops").unwrap();
    assert_eq!(ops["properties"]["hours"][0], serde_json::json!(["Monday–Friday", "08:00–16:00"]));
    assert_eq!(en["lang"], "en");
    assert_eq!(en["boundaries"], "/portal/dane/gminy.geojson");
    let krakow = en["municipalities"].as_array().unwrap().iter().find(|m| m["teryt"] == "1261011").unwrap();
    assert_eq!(krakow["count"], 4);
    assert_eq!(krakow["url"], "/portal/en/gminy/krakow/");
    assert_eq!(en["categories"].as_array().unwrap().len(), 17);
    let uk = json(&site.read("dane/uslugi.uk.geojson"));
    let uk_ops = uk["features"].as_array().unwrap().iter().find(|f| f["id"] == "gminy/wieliczka/mgops").unwrap();
    assert_eq!(uk_ops["properties"]["category_label"], "Центр соціальної допомоги");
    assert_eq!(uk_ops["properties"]["hours"][0][0], "понеділок–пʼятниця");
    // The boundary file is published once, byte for byte.
    let published = std::fs::read(site.path("public/dane/gminy.geojson")).unwrap();
    assert_eq!(published, std::fs::read(site.path("data/gminy.geojson")).unwrap());
    assert!(!site.exists("en/dane/gminy.geojson"));
}

#[test]
fn map_settings_are_validated() {
    let site = SiteTest::typed().overlay("map-located");
    let config = std::fs::read_to_string(site.path("config.toml")).unwrap();
    site.write(
        "config.toml",
        &config.replace(
            "page = \"mapa.md\"",
            "page = \"mapa-uslug.md\"\ntiles = \"https://tile.example.org/{z}/{x}.png\"\nattribution = \"\"",
        ),
    );
    let run = site.build();
    run.assert_code(1);
    let line = config.lines().position(|l| l.starts_with("page = ")).unwrap() + 1;
    run.assert_stderr_contains(&format!(
        "error[config-map-tiles]: [map] tiles lacks {{y}}\n  --> config.toml:{}:1\n",
        line + 1
    ));
    run.assert_stderr_contains(&format!(
        "error[config-map-attribution]: [map] tiles need an attribution\n  --> config.toml:{}:1\n",
        line + 2
    ));
    // Config errors stop the build before content is read; a bad page is reported on its own.
    site.write("config.toml", &config.replace("page = \"mapa.md\"", "page = \"mapy.md\""));
    let run = site.build();
    run.assert_code(1);
    run.assert_stderr_contains(&format!(
        "error[map-page-missing]: [map] page: there is no content file `mapy.md`\n  --> config.toml:{line}:1\n"
    ));
    run.assert_stderr_contains("did you mean \"mapa.md\"?");
    site.write("config.toml", &config.replace("[map]", "[map]\ntiles = \"tiles/{z}/{x}/{y}.png\""));
    site.build().assert_code(1).assert_stderr_contains("[map] tiles is not an http(s) URL");
    site.write("config.toml", &config.replace("[map]", "[map]\nmax_zoom = 30\nattribution_url = \"osm.org\""));
    let run = site.build();
    run.assert_code(1);
    let map_line = config.lines().position(|l| l == "[map]").unwrap() + 1;
    run.assert_stderr_contains(&format!(
        "error[config-map-zoom]: [map] max_zoom 30 is not between 1 and 22\n  --> config.toml:{}:1\n",
        map_line + 1
    ));
    run.assert_stderr_contains(&format!(
        "error[config-map-attribution]: [map] attribution_url is not an http(s) URL\n  --> config.toml:{}:1\n",
        map_line + 2
    ));
    site.write("config.toml", &config.replace("[map]", "[map]\ntiles = \"\""));
    site.build().assert_ok();
    assert!(site.read("mapa/index.html").contains(r#"data-tiles="""#), "no tiles: a plain background");
}

#[test]
fn the_real_portal_maps_every_municipality_and_counts_services_without_a_location() {
    let public = built_portal();
    let open: Value = json(&read(public, "dane/uslugi.json"));
    let services = open["services"].as_array().unwrap();
    let unlocated = services.iter().filter(|s| s["latitude"].is_null()).count();
    let located = services.len() - unlocated;
    for (page, legend) in [
        ("mapa/index.html", format!("{unlocated} usług bez lokalizacji")),
        ("en/map/index.html", format!("{unlocated} services without a location")),
        ("uk/mapa/index.html", format!("{unlocated} послуг без місця на мапі")),
        ("index.html", format!("{unlocated} usług bez lokalizacji")),
    ] {
        let html = read(public, page);
        no_inline_code(&html);
        let map = svg(&html);
        let regions = map.matches("<a href=").count() - map.matches("class=\"map__marker\"").count();
        assert_eq!(regions, 15, "{page}: every municipality is a link");
        assert_eq!(map.matches("class=\"map__marker\"").count(), located, "{page}");
        assert!(html.contains(&legend), "{page} lacks {legend:?}");
        let list = &html[html.find("class=\"map-list\"").unwrap()..];
        // A county centre is listed under its own municipality and each one it serves.
        let listings: usize = services.iter().map(|s| 1 + s["serves_teryt"].as_array().map_or(0, Vec::len)).sum();
        assert_eq!(list.matches("<li class=\"service-item\"").count(), listings, "{page}: every service listed");
    }
    // Each municipality page has its own map, with the municipality current.
    for entry in std::fs::read_dir(public.join("gminy")).unwrap().flatten().filter(|e| e.path().is_dir()) {
        let html = read(&entry.path(), "index.html");
        assert_eq!(svg(&html).matches("aria-current=\"page\"").count(), 1, "{}", entry.path().display());
    }
    // The per-language GeoJSON holds every service; the boundaries are published once.
    for lang in ["pl", "en", "uk"] {
        let geo = json(&read(public, &format!("dane/uslugi.{lang}.geojson")));
        assert_eq!(geo["features"].as_array().unwrap().len(), services.len());
        assert_eq!(geo["municipalities"].as_array().unwrap().len(), 15);
    }
    let boundaries = json(&read(public, "dane/gminy.geojson"));
    assert_eq!(boundaries["features"].as_array().unwrap().len(), 15);
    assert!(!public.join("en/dane/gminy.geojson").exists() && !public.join("uk/dane/gminy.geojson").exists());
}

/// Drives the interactive map at `url` (tile requests blocked): markers against the services
/// with coordinates in the GeoJSON, boundaries, a filter in the URL, the URL applied on load,
/// keyboard access, and no console errors. `category` and `language` are a filter to try.
fn check_interactive_map(browser: &mut Browser, url: &str, category: &str, language: &str) {
    browser.block_urls(&["*tile.openstreetmap.org*"]);
    browser.navigate(url);
    let ready =
        "document.querySelector('#service-map.leaflet-container') && document.getElementById('map-status').textContent";
    browser.wait_for(ready, Duration::from_secs(10));
    let data = browser.eval(
        "Promise.all([fetch(document.getElementById('service-map').dataset.services).then(r => r.json()),
                      fetch(document.getElementById('service-map').dataset.boundaries).then(r => r.json())])",
    );
    let (services, boundaries) = (&data[0], &data[1]);
    let features = services["features"].as_array().unwrap();
    let located = |f: &Value| !f["geometry"].is_null();
    assert_eq!(
        browser_count(browser, "#service-map .map-marker"),
        features.iter().filter(|f| located(f)).count(),
        "{url}: markers"
    );
    assert_eq!(
        browser_count(browser, "#service-map path.leaflet-interactive"),
        boundaries["features"].as_array().unwrap().len()
    );
    assert_eq!(
        browser_count(browser, "#service-map .map-label-icon"),
        services["municipalities"].as_array().unwrap().len()
    );
    assert_eq!(browser_count(browser, "#map-static[hidden]"), 1, "the static map gives way to the interactive one");
    // Every marker and municipality label is a keyboard stop with an accessible name.
    let unnamed = browser.eval(
        "[...document.querySelectorAll('#service-map .leaflet-marker-icon')]
           .filter(e => e.tabIndex !== 0 || !(e.getAttribute('aria-label') || e.textContent).trim()).length",
    );
    assert_eq!(unnamed, 0, "{url}: markers without a name or out of the tab order");
    let status = browser.eval("document.getElementById('map-status').textContent").as_str().unwrap().to_string();
    assert!(status.contains(&features.len().to_string()), "{url}: status {status:?}");

    // A filter: markers, list and status follow, and the URL records it.
    browser.eval(&format!(
        "(() => {{ const s = document.getElementById('mf-category'); s.value = '{category}';
                   s.dispatchEvent(new Event('change', {{bubbles: true}})); return true }})()"
    ));
    let chosen: Vec<&Value> = features.iter().filter(|f| f["properties"]["category"] == category).collect();
    assert!(!chosen.is_empty(), "the test needs services of `{category}`");
    assert_eq!(
        browser_count(browser, "#service-map .map-marker"),
        chosen.iter().filter(|f| located(f)).count(),
        "{url}: filtered markers"
    );
    assert_eq!(browser_count(browser, ".map-list .service-item:not([hidden])"), chosen.len(), "{url}: filtered list");
    assert_eq!(browser.eval("location.search"), format!("?category={category}"));
    let status = browser.eval("document.getElementById('map-status').textContent").as_str().unwrap().to_string();
    assert!(status.contains(&chosen.len().to_string()) && status.contains(':'), "{url}: status {status:?}");

    // A shared URL applies its filters on load.
    let shared = format!("{url}?category={category}&language={language}");
    browser.navigate(&shared);
    browser.wait_for(ready, Duration::from_secs(10));
    assert_eq!(browser.eval("document.getElementById('mf-language').value"), language);
    let both = |f: &&&Value| f["properties"]["languages"].as_array().is_some_and(|l| l.iter().any(|x| x == language));
    let expected: Vec<&&Value> = chosen.iter().filter(both).collect();
    assert_eq!(browser_count(browser, ".map-list .service-item:not([hidden])"), expected.len(), "{shared}: list");
    assert_eq!(
        browser_count(browser, "#service-map .map-marker"),
        expected.iter().filter(|f| located(f)).count(),
        "{shared}"
    );

    // Keyboard: Enter on a municipality label opens its list in a popup and moves focus into
    // it, Escape closes it and returns focus; Tab from the last stop leaves the map.
    browser.eval("document.querySelector('#service-map .map-label-icon').focus()");
    browser.press_key("Enter");
    browser.wait_for("document.querySelector('.leaflet-popup .map-popup')", Duration::from_secs(5));
    assert_eq!(browser.eval("!!document.activeElement.closest('.leaflet-popup')"), true, "focus moves into the popup");
    browser.press_key("Escape");
    browser.wait_for("!document.querySelector('.leaflet-popup')", Duration::from_secs(5));
    assert_eq!(browser.eval("document.activeElement.classList.contains('map-label-icon')"), true, "focus returns");
    browser.eval(
        "(() => { const all = document.querySelectorAll('#service-map [tabindex=\"0\"], #service-map a[href]');
                  all[all.length - 1].focus(); return true })()",
    );
    let mut left = false;
    for _ in 0..6 {
        browser.press_key("Tab");
        if browser.eval("!document.getElementById('service-map').contains(document.activeElement)") == true {
            left = true;
            break;
        }
    }
    assert!(left, "{url}: Tab leaves the map");
    assert_eq!(browser.console_errors(), Vec::<String>::new(), "{url}: console errors");
    let failed: Vec<String> =
        browser.network_errors().into_iter().filter(|e| !e.contains("tile.openstreetmap.org")).collect();
    assert_eq!(failed, Vec::<String>::new(), "{url}: failed loads other than the blocked tiles");
}

fn browser_count(browser: &mut Browser, selector: &str) -> usize {
    browser.eval(&format!("document.querySelectorAll('{selector}').length")).as_u64().unwrap() as usize
}

#[test]
fn the_interactive_map_works_on_located_services_without_tiles() {
    let Some(mut browser) = Browser::launch() else { return };
    let site = located();
    let base = serve_dir(&site.path("public"), "/portal/");
    check_interactive_map(&mut browser, &format!("{base}mapa/"), "ops", "uk");
    // The shared spot: two markers, spread apart on the screen.
    browser.navigate(&format!("{base}mapa/"));
    browser.wait_for("document.querySelectorAll('#service-map .map-marker').length === 4", Duration::from_secs(10));
    let spread = browser.eval(
        "(() => { const r = [...document.querySelectorAll('#service-map .map-marker')]
                    .filter(e => /Ośrodek testowy|Żłobek testowy/.test(e.getAttribute('aria-label')))
                    .map(e => e.getBoundingClientRect());
                  return Math.hypot(r[0].x - r[1].x, r[0].y - r[1].y) })()",
    );
    assert!(spread.as_f64().unwrap() >= 20.0, "co-located markers overlap: {spread}");
    // A marker opens its popup in the page's language.
    browser.navigate(&format!("{base}en/map/"));
    browser.wait_for("document.querySelectorAll('#service-map .map-marker').length === 4", Duration::from_secs(10));
    browser.eval(
        "[...document.querySelectorAll('#service-map .map-marker')].find(e => /Wieliczce/.test(e.getAttribute('aria-label'))).click()",
    );
    browser.wait_for("document.querySelector('.leaflet-popup .map-popup')", Duration::from_secs(5));
    let popup =
        browser.eval("document.querySelector('.leaflet-popup .map-popup').innerText").as_str().unwrap().to_string();
    for part in ["Social assistance centre", "Address: ul. Sienkiewicza 26", "Monday–Friday", "Service details"] {
        assert!(popup.contains(part), "popup lacks {part:?}: {popup}");
    }
}

#[test]
fn the_interactive_map_works_on_the_real_portal_without_tiles() {
    let Some(mut browser) = Browser::launch() else { return };
    let base = serve_dir(built_portal(), "/");
    check_interactive_map(&mut browser, &format!("{base}mapa/"), "ops", "uk");
    // No service has coordinates yet: a municipality's popup is the finder.
    browser.navigate(&format!("{base}uk/mapa/?municipality=1261011"));
    browser.wait_for("document.getElementById('map-status').textContent", Duration::from_secs(10));
    browser.eval(
        "[...document.querySelectorAll('#service-map .map-label-icon')].find(e => e.textContent.startsWith('Краків')).click()",
    );
    browser.wait_for("document.querySelector('.leaflet-popup .map-popup li')", Duration::from_secs(5));
    let popup =
        browser.eval("document.querySelector('.leaflet-popup .map-popup').innerText").as_str().unwrap().to_string();
    assert!(popup.contains("без місця на мапі") && popup.contains("Краків"), "{popup}");
    // With the filters shown, the page still fits a 320 px screen.
    browser.set_viewport(320, 640);
    browser.navigate(&format!("{base}mapa/"));
    browser.wait_for("document.getElementById('map-status').textContent", Duration::from_secs(10));
    let width = browser.eval("document.documentElement.scrollWidth").as_u64().unwrap();
    assert!(width <= 320, "the map page is {width} px wide on a 320 px screen");
    assert_eq!(browser.console_errors(), Vec::<String>::new());
}

/// The whole static map of the fixture, byte for byte (deterministic output): a change to the
/// projection, the labels or the markup shows up here as a reviewed diff (`cargo insta review`).
#[test]
fn the_fixture_map_matches_its_snapshot() {
    let site = located();
    let html = site.read("mapa/index.html");
    insta::assert_snapshot!("map-located", svg(&html));
}
