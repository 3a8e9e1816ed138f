//! The multilingual fixture: URLs per language, translated and transliterated slugs, fallback
//! pages, `@/` links, lists, pagination, taxonomies, feeds, sitemap and assets.

use crate::support::SiteTest;

fn built() -> SiteTest {
    let site = SiteTest::fixture("multilingual");
    site.build().assert_ok();
    site
}

#[test]
fn every_language_has_its_urls_and_slugs() {
    let site = built();
    for path in [
        "index.html",
        "en/index.html",
        "uk/index.html",
        "o-nas/index.html",
        "en/about-us/index.html",
        "uk/o-nas/index.html",
        "aktualnosci/a/index.html",
        "en/news/first-news/index.html",
        "uk/aktualnosci/a/index.html",
        // A section translated into Ukrainian, nested; a page whose file name is Polish.
        "uk/gminy/wieliczka/index.html",
        "gminy/wieliczka/osrodek-pomocy/index.html",
        // A Ukrainian-only page named in Cyrillic: official transliteration of its file name.
        "uk/gminy/wieliczka/kyiv/index.html",
    ] {
        assert!(site.exists(path), "missing {path}");
    }
    assert!(!site.exists("gminy/wieliczka/kyiv/index.html"), "a Ukrainian-only page has no Polish version");
    assert!(!site.exists("aktualnosci/szkic/index.html"), "drafts are left out");
    let html = site.read("uk/index.html");
    assert!(html.contains("<html lang=\"uk\">"));
    assert!(html.contains("<body data-kind=\"home\">"));
}

#[test]
fn drafts_are_built_on_request() {
    let site = SiteTest::fixture("multilingual");
    site.run(&["build", "--drafts"]).assert_ok();
    assert!(site.exists("aktualnosci/szkic/index.html"));
}

#[test]
fn translations_have_hreflang_and_a_switcher_of_existing_versions() {
    let site = built();
    let html = site.read("en/about-us/index.html");
    assert!(
        html.contains(r#"<link rel="alternate" hreflang="pl" href="https://example.org/portal/o-nas/">"#),
        "{html}"
    );
    assert!(html.contains(r#"<link rel="alternate" hreflang="en" href="https://example.org/portal/en/about-us/">"#));
    assert!(html.contains(r#"<link rel="alternate" hreflang="uk" href="https://example.org/portal/uk/o-nas/">"#));
    assert!(html.contains(r#"<link rel="alternate" hreflang="x-default" href="https://example.org/portal/o-nas/">"#));
    assert!(html.contains(r#"<a lang="pl" hreflang="pl" href="/portal/o-nas/">Polski</a>"#));
    assert!(html.contains(r#"<span lang="en" aria-current="true">English</span>"#));
    assert!(!html.contains("noindex"));
    // b.md exists only in Polish: its switcher offers Polish alone.
    let html = site.read("en/news/b/index.html");
    assert!(html.contains(r#"<a lang="pl" hreflang="pl" href="/portal/aktualnosci/b/">Polski</a>"#));
    assert!(!html.contains(">English<") && !html.contains(">Українська<"), "{html}");
}

#[test]
fn a_missing_translation_is_the_polish_text_with_a_notice() {
    let site = built();
    let html = site.read("en/news/b/index.html");
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains(r#"<meta name="robots" content="noindex">"#));
    assert!(html.contains("This page is not available in English yet."));
    assert!(html.contains(r#"<div lang="pl">"#));
    assert!(html.contains("Tylko po polsku."));
    assert!(!html.contains("hreflang=\"pl\" href=\"https"), "no hreflang alternates on a fallback: {html}");
    // Its links resolve in the reader's language (the Ukrainian/English version if it exists).
    let html = site.read("uk/aktualnosci/b/index.html");
    assert!(html.contains(r#"href="/portal/uk/gminy/wieliczka/""#), "{html}");
    // Fallbacks are not in the sitemap.
    assert!(!site.read("sitemap.xml").contains("/en/news/b/"));
}

#[test]
fn internal_links_resolve_per_language_with_anchors() {
    let site = built();
    let pl = site.read("index.html");
    assert!(pl.contains(r#"<a href="/portal/aktualnosci/">aktualności</a>"#), "{pl}");
    assert!(pl.contains(r#"<a href="/portal/o-nas/#kontakt">"#));
    let en = site.read("en/index.html");
    assert!(en.contains(r#"<a href="/portal/en/news/">news</a>"#), "{en}");
    assert!(en.contains(r#"<a href="/portal/en/about-us/#kontakt">"#));
    let uk = site.read("uk/index.html");
    // The news section has no Ukrainian text: the link goes to its Ukrainian fallback URL.
    assert!(uk.contains(r#"<a href="/portal/uk/aktualnosci/">новини</a>"#), "{uk}");
}

#[test]
fn headings_have_unique_ids_and_quotes_follow_the_language() {
    let site = built();
    let html = site.read("o-nas/index.html");
    assert!(html.contains(r#"<h2 id="kontakt">Kontakt</h2>"#), "{html}");
    assert!(html.contains(r#"<h2 id="kontakt-1">Kontakt</h2>"#));
    assert!(html.contains("„stowarzyszeniem”"));
    assert!(site.read("uk/o-nas/index.html").contains("«асоціація»"));
    assert!(site.read("en/about-us/index.html").contains("“association”"));
}

#[test]
fn sections_sort_paginate_and_link_neighbours() {
    let site = built();
    let first = site.read("aktualnosci/index.html");
    let b = first.find("Druga wiadomość").expect("b listed");
    let a = first.find("Pierwsza wiadomość").expect("a listed");
    assert!(b < a, "newest first");
    assert!(!first.contains("Trzecia wiadomość"), "two per pager");
    assert!(first.contains("Strona 1 z 2"));
    assert!(first.contains(r#"<a rel="next" href="/portal/aktualnosci/page/2/">"#));
    let second = site.read("aktualnosci/page/2/index.html");
    assert!(second.contains("Trzecia wiadomość") && second.contains("Strona 2 z 2"));
    // Localized dates.
    assert!(first.contains(r#"<time datetime="2026-05-01">1 maja 2026</time>"#), "{first}");
    assert!(site.read("uk/aktualnosci/index.html").contains("1 травня 2026\u{202f}р."));
    // Previous/next within the section.
    let a_page = site.read("aktualnosci/a/index.html");
    assert!(a_page.contains(r#"<a rel="prev" href="/portal/aktualnosci/b/">Druga wiadomość</a>"#), "{a_page}");
    assert!(a_page.contains(r#"<a rel="next" href="/portal/aktualnosci/c/">Trzecia wiadomość</a>"#));
    // A fallback listed in another language is marked as Polish.
    let en = site.read("en/news/index.html");
    assert!(en.contains(r#"<a href="/portal/en/news/b/" lang="pl">Druga wiadomość</a>"#), "{en}");
    // Sorting by title uses Polish collation, subsections are listed.
    assert!(site.read("gminy/index.html").contains(r#"<a href="/portal/gminy/wieliczka/">Wieliczka</a>"#));
}

#[test]
fn taxonomies_have_term_lists_and_paginated_term_pages() {
    let site = built();
    let list = site.read("categories/index.html");
    // "Zdrowie" and "zdrowie" are one term; CLDR plurals: 3 strony, 1 strona.
    assert!(list.contains(r#"<a href="/portal/categories/zdrowie/">Zdrowie</a> (3 strony)"#), "{list}");
    assert!(list.contains(r#"<a href="/portal/categories/seniorzy/">Seniorzy</a> (1 strona)"#));
    assert!(site.read("categories/zdrowie/index.html").contains("Strona 1 z 2"));
    assert!(site.exists("categories/zdrowie/page/2/index.html"));
    let en = site.read("en/categories/index.html");
    assert!(en.contains(r#"<a href="/portal/en/categories/health/">Health</a> (1 page)"#), "{en}");
    assert!(
        site.read("en/news/first-news/index.html").contains(r#"<a href="/portal/en/categories/health/">Health</a>"#)
    );
}

#[test]
fn feeds_sitemap_robots_and_404() {
    let site = built();
    let feed = site.read("en/news/atom.xml");
    assert!(feed.contains(r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">"#));
    assert!(feed.contains("<title>First news</title>"));
    assert!(!feed.contains("Druga wiadomość"), "feeds hold only real translations");
    let pl_feed = site.read("aktualnosci/atom.xml");
    assert!(pl_feed.contains("<updated>2026-05-02T10:00:00+02:00</updated>"), "{pl_feed}");
    assert!(site.read("index.html").contains("Aktualności"));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    assert!(sitemap.contains("<loc>https://example.org/portal/en/about-us/</loc>"));
    assert!(
        sitemap.contains(r#"<xhtml:link rel="alternate" hreflang="uk" href="https://example.org/portal/uk/o-nas/"/>"#)
    );
    assert_eq!(site.read("robots.txt"), "User-agent: *\nAllow: /\nSitemap: https://example.org/portal/sitemap.xml\n");
    for (path, lang) in [("404.html", "pl"), ("en/404.html", "en"), ("uk/404.html", "uk")] {
        let html = site.read(path);
        assert!(html.contains(&format!("<html lang=\"{lang}\">")) && html.contains("data-kind=\"404\""));
    }
    assert!(site.read("uk/404.html").contains("Сторінку не знайдено"));
}

#[test]
fn assets_are_fingerprinted_and_colocated_files_copied() {
    let site = built();
    let html = site.read("index.html");
    let start = html.find("/portal/css/style.").expect("hashed stylesheet link");
    let href = &html[start + "/portal/".len()..];
    let href = &href[..href.find('"').unwrap()];
    assert!(href.len() == "css/style.0123456789.css".len(), "{href}");
    assert!(site.exists(href));
    assert!(!site.exists("css/style.css"));
    for lang_dir in ["", "en/", "uk/"] {
        assert!(site.exists(&format!("{lang_dir}gminy/wieliczka/herb.svg")));
    }
}

#[test]
fn base_url_can_be_overridden() {
    let site = SiteTest::fixture("multilingual");
    site.run(&["build", "--base-url", "https://user.github.io/repo/"]).assert_ok();
    let html = site.read("en/about-us/index.html");
    assert!(html.contains(r#"href="https://user.github.io/repo/o-nas/""#), "{html}");
    assert!(html.contains(r#"href="/repo/o-nas/""#));
}

#[test]
fn the_real_portal_builds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_metroportal"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out.path().join("public"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    for lang in ["", "en/", "uk/"] {
        assert!(out.path().join(format!("public/{lang}index.html")).exists());
    }
}

#[test]
fn a_nul_character_becomes_the_replacement_character() {
    let site = SiteTest::fixture("multilingual");
    site.write("content/aktualnosci/nul.md", "+++\ntitle = \"Zero\"\n+++\n\nprzed\0po\n");
    site.build().assert_ok();
    let html = site.read("aktualnosci/nul/index.html");
    assert!(!html.contains('\0'));
    assert!(html.contains("przed\u{FFFD}po"), "{html}");
}

#[test]
fn a_symlink_out_of_the_site_is_skipped_with_a_warning() {
    let site = SiteTest::fixture("multilingual");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "+++\ntitle = \"Sekret\"\n+++\n\nhasło\n").unwrap();
    std::fs::write(outside.path().join("passwd"), "root:x:0:0").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), site.path("content/aktualnosci/sekret.md")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("passwd"), site.path("content/gminy/wieliczka/passwd.txt")).unwrap();
    let run = site.build();
    run.assert_ok();
    for file in ["content/aktualnosci/sekret.md", "content/gminy/wieliczka/passwd.txt"] {
        run.assert_stderr_contains(&format!(
            "warning[symlink-outside]: this symbolic link points outside the site; it is skipped, not published\n  --> {file}\n"
        ));
    }
    assert!(!site.exists("aktualnosci/sekret/index.html"));
    assert!(!site.exists("gminy/wieliczka/passwd.txt"));
}
