//! Browser checks in a real headless Chromium: the built multilingual site is served over HTTP
//! and loaded page by page; the language switcher is followed link by link.
//!
//! Skipped (with a message) when Chromium is absent, unless `METROPORTAL_REQUIRE_BROWSER=1`
//! (set by `.ci/run`), which turns a missing browser into a failure.

use crate::cdp::{Browser, serve_dir};
use crate::support::SiteTest;

/// The DOM of `url` after Chromium loaded it.
fn dump_dom(browser: &mut Browser, url: &str) -> String {
    browser.navigate(url);
    browser.eval("document.documentElement.outerHTML").as_str().unwrap().to_string()
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// The language-switcher links of a DOM: (hreflang, href).
fn switcher_links(dom: &str) -> Vec<(String, String)> {
    let nav = &dom[dom.find("<nav class=\"languages\"").expect("switcher")..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    nav.split("<a ")
        .skip(1)
        .map(|tag| (attr(tag, "hreflang").unwrap().to_string(), attr(tag, "href").unwrap().to_string()))
        .collect()
}

#[test]
fn language_switcher_leads_to_each_existing_translation() {
    let Some(mut browser) = Browser::launch() else { return };
    let site = SiteTest::fixture("multilingual");
    site.build().assert_ok();
    let base = serve_dir(&site.path("public"), "/portal/");
    let origin = base.trim_end_matches("/portal/");

    let dom = dump_dom(&mut browser, &format!("{origin}/portal/en/about-us/"));
    assert!(dom.contains("<html lang=\"en\">"), "{dom}");
    let links = switcher_links(&dom);
    assert_eq!(links.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(), ["pl", "uk"]);
    for (lang, href) in links {
        let target = dump_dom(&mut browser, &format!("{origin}{href}"));
        assert!(target.contains(&format!("<html lang=\"{lang}\">")), "{href}: {target}");
        assert!(target.contains("data-kind=\"page\""));
        // And the way back is offered there.
        assert!(switcher_links(&target).iter().any(|(l, h)| l == "en" && h == "/portal/en/about-us/"));
    }

    // A page shown in Polish for lack of a translation: notice, Polish content, no hreflang.
    let dom = dump_dom(&mut browser, &format!("{origin}/portal/uk/aktualnosci/b/"));
    assert!(dom.contains("<html lang=\"uk\">") && dom.contains("<div lang=\"pl\">"), "{dom}");
    assert!(dom.contains("content=\"noindex\""));
    assert!(dom.contains("Ця сторінка ще не перекладена українською"));
    assert_eq!(switcher_links(&dom), [("pl".to_string(), "/portal/aktualnosci/b/".to_string())]);
    assert!(!dom.contains("rel=\"alternate\" hreflang"));

    // An unknown URL gets the 404 page.
    let dom = dump_dom(&mut browser, &format!("{origin}/portal/uk/nie-ma/"));
    assert!(dom.contains("data-kind=\"404\""), "{dom}");
    assert_eq!(browser.console_errors(), Vec::<String>::new());
}
