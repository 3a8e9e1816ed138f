//! Service maps: the static SVG maps (home, map page, category pages, municipality pages) with
//! their legend and text alternative, the per-language services GeoJSON, the boundaries
//! published once, the `[map]` settings and their errors, and the real portal, where no service
//! has coordinates yet.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::SiteTest;

/// The typed fixture with a map page and three located services (two at the same spot).
fn located() -> SiteTest {
    let site = SiteTest::typed().overlay("map-located");
    site.build().assert_ok();
    site
}

/// The real portal built into a temporary folder: (folder, public/).
pub fn real_portal() -> (tempfile::TempDir, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_metroportal"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&public)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    (out, public)
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
    assert_eq!(en["categories"].as_array().unwrap().len(), 14);
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
    site.write("config.toml", &config.replace("[map]", "[map]\ntiles = \"\""));
    site.build().assert_ok();
    assert!(site.read("mapa/index.html").contains(r#"data-tiles="""#), "no tiles: a plain background");
}

#[test]
fn the_real_portal_maps_every_municipality_and_counts_services_without_a_location() {
    let (_dir, public) = real_portal();
    let open: Value = json(&read(&public, "dane/uslugi.json"));
    let services = open["services"].as_array().unwrap();
    let unlocated = services.iter().filter(|s| s["latitude"].is_null()).count();
    let located = services.len() - unlocated;
    for (page, legend) in [
        ("mapa/index.html", format!("{unlocated} usług bez lokalizacji")),
        ("en/map/index.html", format!("{unlocated} services without a location")),
        ("uk/mapa/index.html", format!("{unlocated} послуг без місця на мапі")),
        ("index.html", format!("{unlocated} usług bez lokalizacji")),
    ] {
        let html = read(&public, page);
        no_inline_code(&html);
        let map = svg(&html);
        let regions = map.matches("<a href=").count() - map.matches("class=\"map__marker\"").count();
        assert_eq!(regions, 15, "{page}: every municipality is a link");
        assert_eq!(map.matches("class=\"map__marker\"").count(), located, "{page}");
        assert!(html.contains(&legend), "{page} lacks {legend:?}");
        let list = &html[html.find("class=\"map-list\"").unwrap()..];
        assert_eq!(list.matches("<li class=\"service-item\"").count(), services.len(), "{page}: every service listed");
    }
    // Each municipality page has its own map, with the municipality current.
    for entry in std::fs::read_dir(public.join("gminy")).unwrap().flatten().filter(|e| e.path().is_dir()) {
        let html = read(&entry.path(), "index.html");
        assert_eq!(svg(&html).matches("aria-current=\"page\"").count(), 1, "{}", entry.path().display());
    }
    // The per-language GeoJSON holds every service; the boundaries are published once.
    for lang in ["pl", "en", "uk"] {
        let geo = json(&read(&public, &format!("dane/uslugi.{lang}.geojson")));
        assert_eq!(geo["features"].as_array().unwrap().len(), services.len());
        assert_eq!(geo["municipalities"].as_array().unwrap().len(), 15);
    }
    let boundaries = json(&read(&public, "dane/gminy.geojson"));
    assert_eq!(boundaries["features"].as_array().unwrap().len(), 15);
    assert!(!public.join("en/dane/gminy.geojson").exists() && !public.join("uk/dane/gminy.geojson").exists());
}

#[test]
fn a_service_page_stays_within_its_size_budget() {
    let (_dir, public) = real_portal();
    let html = read(&public, "gminy/krakow/mops/index.html");
    let mut total = html.len();
    for attr in ["href=\"", "src=\""] {
        for (i, _) in html.match_indices(attr) {
            let url = &html[i + attr.len()..i + attr.len() + html[i + attr.len()..].find('"').unwrap()];
            if url.ends_with(".css") || url.ends_with(".js") {
                total += std::fs::metadata(public.join(url.trim_start_matches('/'))).unwrap().len() as usize;
            }
        }
    }
    assert!(total < 60 * 1024, "service page with its CSS and JS: {total} bytes");
}
