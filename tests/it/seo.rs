//! Findable and shareable, on the whole real portal: every indexable page is in the sitemap
//! once with its alternates; every `hreflang` target exists, is indexable and links back; the
//! canonical URL is the page itself; the language switcher offers exactly the `hreflang` set;
//! every page has Open Graph and Twitter-card tags whose image exists at the stated size.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::{built_portal, html_files};

const BASE: &str = "http://127.0.0.1/";

struct Page {
    html: String,
}

impl Page {
    fn attr_values(&self, tag_start: &str, attr: &str) -> Vec<String> {
        self.html
            .split(tag_start)
            .skip(1)
            .filter_map(|rest| {
                let tag = rest.split('>').next()?;
                let key = format!("{attr}=\"");
                let start = tag.find(&key)? + key.len();
                Some(tag[start..].split('"').next()?.to_string())
            })
            .collect()
    }

    fn meta(&self, key: &str) -> Option<String> {
        for prefix in [format!("<meta property=\"{key}\""), format!("<meta name=\"{key}\"")] {
            if let Some(rest) = self.html.split(&prefix).nth(1) {
                let tag = rest.split('>').next()?;
                return tag.split("content=\"").nth(1).map(|c| c.split('"').next().unwrap_or_default().to_string());
            }
        }
        None
    }

    fn noindex(&self) -> bool {
        self.html.contains("<meta name=\"robots\" content=\"noindex\">")
    }

    /// `hreflang` → URL of the head's alternates (x-default included).
    fn alternates(&self) -> BTreeMap<String, String> {
        self.html
            .split("<link rel=\"alternate\" hreflang=\"")
            .skip(1)
            .filter_map(|rest| {
                let lang = rest.split('"').next()?.to_string();
                let href = rest.split("href=\"").nth(1)?.split('"').next()?.to_string();
                Some((lang, href))
            })
            .collect()
    }

    /// Languages the switcher offers (links and the current one).
    fn switcher(&self) -> BTreeSet<String> {
        let Some(nav) = self.html.split("<nav class=\"lang-switcher\"").nth(1) else { return BTreeSet::new() };
        let nav = nav.split("</nav>").next().unwrap_or_default();
        nav.split(" lang=\"").skip(1).filter_map(|r| r.split('"').next().map(str::to_string)).collect()
    }
}

/// URL → page, for every HTML page of the built portal (404 pages left out).
fn portal() -> BTreeMap<String, Page> {
    let public = built_portal();
    let mut files = Vec::new();
    html_files(public, &mut files);
    files
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "index.html"))
        .filter(|f| !f.starts_with(public.join("admin")))
        .map(|f| {
            let rel = f.strip_prefix(public).unwrap().to_string_lossy().replace('\\', "/");
            let url = format!("{BASE}{}", rel.trim_end_matches("index.html"));
            (url, Page { html: std::fs::read_to_string(&f).unwrap() })
        })
        .collect()
}

fn sitemap() -> BTreeMap<String, BTreeMap<String, String>> {
    let xml = std::fs::read_to_string(built_portal().join("sitemap.xml")).unwrap();
    xml.split("<url>")
        .skip(1)
        .map(|entry| {
            let loc = entry.split("<loc>").nth(1).unwrap().split("</loc>").next().unwrap().to_string();
            let alternates = entry
                .split("hreflang=\"")
                .skip(1)
                .map(|r| {
                    let lang = r.split('"').next().unwrap().to_string();
                    let href = r.split("href=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
                    (lang, href)
                })
                .collect();
            (loc, alternates)
        })
        .collect()
}

#[test]
fn every_indexable_page_is_in_the_sitemap_once_with_the_head_s_alternates() {
    let pages = portal();
    let xml = std::fs::read_to_string(built_portal().join("sitemap.xml")).unwrap();
    let sitemap = sitemap();
    assert_eq!(xml.matches("<url>").count(), sitemap.len(), "a URL is listed twice");
    let mut problems = Vec::new();
    for (url, page) in &pages {
        let listed = sitemap.get(url);
        // Later pagers of a list are indexable but stand behind their first page.
        let later_pager = url.contains("/page/");
        match (page.noindex(), listed) {
            (true, Some(_)) => problems.push(format!("{url}: noindex but in the sitemap")),
            (false, None) if !later_pager => problems.push(format!("{url}: indexable but not in the sitemap")),
            (false, Some(alts)) if *alts != page.alternates() => problems
                .push(format!("{url}: sitemap alternates {alts:?} differ from the head's {:?}", page.alternates())),
            _ => {}
        }
    }
    for url in sitemap.keys() {
        if !pages.contains_key(url) {
            problems.push(format!("{url}: in the sitemap but not built"));
        }
    }
    // The generated migrant pages of the municipalities are there, in every language.
    for url in [
        "http://127.0.0.1/gminy/krakow/migranci/pesel/",
        "http://127.0.0.1/en/municipalities/krakow/migrants/pesel/",
        "http://127.0.0.1/uk/hminy/krakow/mihrantam/pesel/",
    ] {
        if !sitemap.contains_key(url) {
            problems.push(format!("{url}: missing from the sitemap"));
        }
    }
    assert!(sitemap.len() > 550, "only {} URLs", sitemap.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn hreflang_links_are_reciprocal_canonical_is_the_page_and_the_switcher_matches() {
    let pages = portal();
    let mut problems = Vec::new();
    let mut with_alternates = 0;
    for (url, page) in &pages {
        if !page.noindex() {
            let canonical = page.attr_values("<link rel=\"canonical\"", "href");
            if canonical != [url.clone()] {
                problems.push(format!("{url}: canonical {canonical:?}"));
            }
        }
        let alternates = page.alternates();
        if alternates.is_empty() {
            continue;
        }
        with_alternates += 1;
        let langs: BTreeSet<String> = alternates.keys().filter(|l| *l != "x-default").cloned().collect();
        if page.switcher() != langs {
            problems.push(format!("{url}: switcher {:?}, hreflang {langs:?}", page.switcher()));
        }
        if alternates.get("x-default") != alternates.get("pl") {
            problems.push(format!("{url}: x-default is not the Polish version"));
        }
        for (lang, target) in &alternates {
            match pages.get(target) {
                None => problems.push(format!("{url}: hreflang {lang} → {target} does not exist")),
                Some(other) if other.noindex() => {
                    problems.push(format!("{url}: hreflang {lang} → {target} is noindex"));
                }
                Some(other) if !other.alternates().values().any(|v| v == url) => {
                    problems.push(format!("{url}: {target} does not link back"));
                }
                _ => {}
            }
        }
    }
    assert!(with_alternates > 500, "only {with_alternates} pages have alternates");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// Width and height of a PNG file, from its header.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[1..4], b"PNG", "{} is not a PNG", path.display());
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (w, h)
}

#[test]
fn every_page_has_link_preview_tags_and_an_image_of_the_stated_size() {
    let pages = portal();
    let mut problems = Vec::new();
    let mut images = BTreeSet::new();
    for (url, page) in &pages {
        for key in [
            "og:title",
            "og:description",
            "og:url",
            "og:type",
            "og:site_name",
            "og:locale",
            "og:image",
            "og:image:width",
            "og:image:height",
            "og:image:alt",
            "twitter:card",
            "twitter:title",
            "twitter:description",
            "twitter:image",
            "twitter:image:alt",
        ] {
            if page.meta(key).is_none_or(|v| v.trim().is_empty()) {
                problems.push(format!("{url}: no {key}"));
            }
        }
        if page.meta("og:url").as_deref() != Some(url.as_str()) {
            problems.push(format!("{url}: og:url is {:?}", page.meta("og:url")));
        }
        // The other versions' locales, exactly those the page has alternates for.
        let alternates: BTreeSet<String> = page.alternates().keys().filter(|l| *l != "x-default").cloned().collect();
        let own = page.meta("og:locale").unwrap_or_default();
        let others: BTreeSet<String> =
            page.attr_values("<meta property=\"og:locale:alternate\"", "content").into_iter().collect();
        let expected: BTreeSet<String> = alternates
            .iter()
            .map(|l| match l.as_str() {
                "pl" => "pl_PL".to_string(),
                "en" => "en_GB".to_string(),
                _ => "uk_UA".to_string(),
            })
            .filter(|l| *l != own)
            .collect();
        if others != expected {
            problems.push(format!("{url}: og:locale:alternate {others:?}, expected {expected:?}"));
        }
        if let (Some(image), Some(w), Some(h)) =
            (page.meta("og:image"), page.meta("og:image:width"), page.meta("og:image:height"))
        {
            images.insert((image, w, h));
        }
    }
    // A municipality's page, its services and its migrant pages show its own picture; other
    // pages show the portal's.
    for (url, expected) in [
        ("http://127.0.0.1/gminy/wieliczka/", "/og/wieliczka."),
        ("http://127.0.0.1/uk/hminy/wieliczka/mgops/", "/og/wieliczka."),
        ("http://127.0.0.1/en/municipalities/wieliczka/migrants/pesel/", "/og/wieliczka."),
        ("http://127.0.0.1/", "/og/portal."),
        ("http://127.0.0.1/forum/", "/og/portal."),
    ] {
        let image = pages[url].meta("og:image").unwrap_or_default();
        if !image.contains(expected) {
            problems.push(format!("{url}: og:image {image}, expected {expected}…"));
        }
    }
    let alt = pages["http://127.0.0.1/uk/hminy/wieliczka/mgops/"].meta("og:image:alt").unwrap_or_default();
    assert_eq!(alt, "Мапа Краківської метрополії, на якій позначено гміну Величка");
    for (image, w, h) in &images {
        let path = built_portal().join(image.strip_prefix(BASE).expect("an image of the site"));
        assert!(path.is_file(), "{image} is not in the output");
        let (pw, ph) = png_size(&path);
        assert_eq!((pw.to_string(), ph.to_string()), (w.clone(), h.clone()), "{image}");
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn a_preview_picture_is_drawn_again_only_when_what_it_shows_changes() {
    let site = crate::support::SiteTest::typed();
    site.build().assert_ok();
    let picture = |site: &crate::support::SiteTest| {
        std::fs::read_dir(site.path("public/og"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .find(|n| n.starts_with("wieliczka."))
            .expect("a picture of Wieliczka")
    };
    let name = picture(&site);
    let (w, h) = png_size(&site.path(&format!("public/og/{name}")));
    assert_eq!((w, h), (1200, 630));
    // A repeat build takes the picture from the previous output instead of drawing it: a marked
    // copy survives.
    let marked = site.path(&format!("public/og/{name}"));
    let mut bytes = std::fs::read(&marked).unwrap();
    bytes.extend_from_slice(b"kept");
    std::fs::write(&marked, &bytes).unwrap();
    site.build().assert_ok();
    assert_eq!(std::fs::read(&marked).unwrap(), bytes, "the picture was drawn again");
    // A new name for the municipality is a new picture, under a new fingerprint.
    let index = site.path("content/gminy/wieliczka/_index.md");
    let text = std::fs::read_to_string(&index).unwrap().replace("area_km2 = 99.90", "area_km2 = 99.91");
    std::fs::write(&index, text).unwrap();
    site.build().assert_ok();
    assert_eq!(picture(&site), name, "the area is not drawn, so the picture stays");
    let uk = site.path("content/gminy/wieliczka/_index.uk.md");
    std::fs::write(&uk, std::fs::read_to_string(&uk).unwrap().replace("Величка", "Величка-Тест")).unwrap();
    let text = std::fs::read_to_string(&index).unwrap().replacen("uk = \"Величка\"", "uk = \"Величка-Тест\"", 1);
    std::fs::write(&index, text).unwrap();
    site.build().assert_ok();
    assert_ne!(picture(&site), name, "a changed name is a new picture");
}
