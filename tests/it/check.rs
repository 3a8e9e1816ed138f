//! `metroportal check`: the findings only rendered pages show (links, anchors, links to Polish
//! fallbacks, accessibility), translation coverage, the report formats, and that nothing is
//! written. Each finding is asserted as its JSON item: code, file, line, language.

use serde_json::Value;

use crate::support::SiteTest;

/// Runs `check --format json`; returns the exit code and the parsed object.
fn check(site: &SiteTest) -> (i32, Value) {
    let run = site.run(&["check", "--format", "json"]);
    let value = serde_json::from_str(run.stdout.trim())
        .unwrap_or_else(|err| panic!("{err}\nstdout:\n{}\nstderr:\n{}", run.stdout, run.stderr));
    (run.code, value)
}

/// (file, line, lang) of every item of `severity` ("errors" or "warnings") with `code`.
fn items(v: &Value, severity: &str, code: &str) -> Vec<(String, Option<u64>, Option<String>)> {
    v[severity]
        .as_array()
        .expect("an array")
        .iter()
        .filter(|i| i["code"] == code)
        .map(|i| {
            (
                i["file"].as_str().unwrap_or_default().to_string(),
                i["line"].as_u64(),
                i["lang"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn item(file: &str, line: u64, lang: &str) -> (String, Option<u64>, Option<String>) {
    (file.to_string(), Some(line), Some(lang.to_string()))
}

fn message<'a>(v: &'a Value, severity: &str, code: &str) -> &'a str {
    v[severity].as_array().unwrap().iter().find(|i| i["code"] == code).and_then(|i| i["message"].as_str()).unwrap()
}

const O_NAS: &str = "+++\ntitle = \"O nas\"\ndescription = \"Kim jesteśmy\"\nweight = 1\n+++\n\n";

#[test]
fn broken_links_and_anchors_in_the_rendered_pages_are_errors_at_their_line() {
    let site = SiteTest::fixture("multilingual");
    site.write(
        "content/o-nas.md",
        &format!(
            "{O_NAS}Jesteśmy gminami.\n\n## Kontakt {{#kontakt}}\n\nZobacz [stary adres](/portal/nie-ma/) i [kontakt](/portal/o-nas/#brak).\n\nPoza witryną: [bez ścieżki bazowej](/o-nas/).\n"
        ),
    );
    let (code, v) = check(&site);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(
        items(&v, "errors", "broken-link"),
        [item("content/o-nas.md", 11, "pl"), item("content/o-nas.md", 13, "pl")]
    );
    assert_eq!(items(&v, "errors", "broken-anchor"), [item("content/o-nas.md", 11, "pl")]);
    // The column is the URL's, after `](`.
    let first = v["errors"].as_array().unwrap().iter().find(|i| i["code"] == "broken-link").unwrap();
    assert_eq!(first["column"], 22, "{first:#}");
    assert_eq!(
        message(&v, "errors", "broken-anchor"),
        "link to /portal/o-nas/#brak: /o-nas/ has no element with id `brak`"
    );
    let messages: Vec<&str> = v["errors"].as_array().unwrap().iter().filter_map(|i| i["message"].as_str()).collect();
    assert!(messages.contains(&"link to /portal/nie-ma/: the site has no page or file at /nie-ma/"), "{messages:?}");
    assert!(
        messages.contains(&"link to /o-nas/ leaves the site: the site is published under /portal/, not at /o-nas/"),
        "{messages:?}"
    );
    assert!(!site.path("public").exists(), "check writes nothing");

    // The same problems for people: a summary, then the problems grouped by file.
    let human = site.run(&["check"]);
    human.assert_code(1);
    assert!(human.stdout.starts_with("Checked "), "{}", human.stdout);
    assert!(human.stdout.contains("  3 errors: broken-anchor 1, broken-link 2\n"), "{}", human.stdout);
    assert!(human.stdout.contains("── content/o-nas.md ──\n\nerror[broken-link]"), "{}", human.stdout);
    assert!(human.stdout.contains("Translations (pages per section"), "{}", human.stdout);
    assert!(!site.path("public").exists(), "check writes nothing");
}

#[test]
fn the_base_url_option_checks_links_as_published() {
    let site = SiteTest::fixture("multilingual");
    let (code, v) = check(&site);
    assert_eq!(code, 0, "{v:#}");
    // Published at the host's root, the fixture's links (written with @/) still resolve.
    let run = site.run(&["check", "--format", "json", "--base-url", "https://example.net/"]);
    run.assert_code(0);
}

#[test]
fn a_link_from_a_translation_to_a_polish_fallback_is_a_warning() {
    let site = SiteTest::fixture("multilingual");
    let (code, v) = check(&site);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        items(&v, "warnings", "link-to-fallback"),
        [item("content/_index.uk.md", 5, "uk"), item("content/aktualnosci/a.en.md", 11, "en")]
    );
    assert_eq!(
        message(&v, "warnings", "link-to-fallback"),
        "link to /portal/uk/aktualnosci/: that page has no `uk` translation and shows the `pl` text"
    );
}

#[test]
fn accessibility_problems_in_the_text_are_reported_at_their_line() {
    let site = SiteTest::fixture("multilingual");
    site.write(
        "content/o-nas.md",
        &format!(
            "{O_NAS}Jesteśmy gminami.\n\n## Kontakt {{#kontakt}}\n\n#### Szczegóły\n\nZobacz [](@/aktualnosci/_index.md).\n\n<img src=\"/portal/gminy/wieliczka/herb.svg\">\n"
        ),
    );
    // The template gives <main> an id; an English heading "Main" gets the same one.
    let base = std::fs::read_to_string(site.path("themes/basic/templates/base.html")).unwrap();
    site.write("themes/basic/templates/base.html", &base.replace("<main>", "<main id=\"main\">"));
    site.write(
        "content/o-nas.en.md",
        "+++\ntitle = \"About us\"\nslug = \"about-us\"\n+++\n\n## Contact {#kontakt}\n\n## Main\n\nText.\n",
    );
    let (code, v) = check(&site);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(items(&v, "warnings", "heading-skip"), [item("content/o-nas.md", 11, "pl")]);
    assert_eq!(
        message(&v, "warnings", "heading-skip"),
        "heading h4 “Szczegóły” follows h2 “Kontakt”: a level is skipped (expected h3 or higher)"
    );
    assert_eq!(items(&v, "errors", "link-no-text"), [item("content/o-nas.md", 13, "pl")]);
    assert_eq!(items(&v, "errors", "img-alt-missing"), [item("content/o-nas.md", 15, "pl")]);
    assert_eq!(items(&v, "errors", "duplicate-id"), [item("content/o-nas.en.md", 8, "en")]);
    assert_eq!(message(&v, "errors", "duplicate-id"), "the id `main` is used more than once on the page");
}

#[test]
fn template_problems_are_reported_once_per_language_with_the_number_of_pages() {
    let site = SiteTest::fixture("multilingual");
    let base = std::fs::read_to_string(site.path("themes/basic/templates/base.html")).unwrap();
    site.write(
        "themes/basic/templates/base.html",
        &base
            .replace("<html lang=\"{{ lang }}\">", "<html>")
            .replace(
                "<main>",
                "<main><a href=\"{{ current_path }}\"></a><form><input name=\"q\"></form><nav aria-labelledby=\"nav-title\"></nav>",
            ),
    );
    let (code, v) = check(&site);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(
        items(&v, "errors", "html-lang-missing"),
        [
            item("content/_index.en.md", 1, "en"),
            item("content/_index.md", 1, "pl"),
            item("content/_index.uk.md", 1, "uk")
        ]
    );
    let lang_message = message(&v, "errors", "html-lang-missing");
    assert!(
        lang_message.starts_with(
            "the page has no language: <html> lacks a lang attribute (from the theme: template `index.html` or one it extends or includes; not in the text) — on "
        ),
        "{lang_message}"
    );
    // One link per page, each with another address: one item per page.
    assert!(items(&v, "errors", "link-no-text").len() > 3);
    let pl =
        |code: &str| items(&v, "errors", code).into_iter().filter(|i| i.2.as_deref() == Some("pl")).collect::<Vec<_>>();
    assert_eq!(pl("control-no-label"), [item("content/_index.md", 1, "pl")]);
    assert_eq!(pl("idref-missing"), [item("content/_index.md", 1, "pl")]);
    assert!(
        message(&v, "errors", "idref-missing")
            .starts_with("aria-labelledby=\"nav-title\" names no element of the page")
    );
    assert!(message(&v, "errors", "control-no-label").starts_with("form control <input name=\"q\"> has no label"));
}

#[test]
fn translation_coverage_counts_translated_outdated_unstamped_and_missing_pages() {
    let site = SiteTest::fixture("multilingual");
    let run = site.run(&["translated", "content/o-nas.en.md", "content/o-nas.uk.md"]);
    run.assert_ok();
    let stamped = std::fs::read_to_string(site.path("content/o-nas.en.md")).unwrap();
    assert!(
        stamped.starts_with("+++\ntitle = \"About us\"\nslug = \"about-us\"\nweight = 1\nsource_hash = \""),
        "{stamped}"
    );
    let (_, v) = check(&site);
    let row = |v: &Value, section: &str, lang: &str| {
        v["translations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["section"] == section && r["lang"] == lang)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        row(&v, "/", "en"),
        serde_json::json!({"section": "/", "lang": "en", "pages": 2, "translated": 1, "outdated": 0, "unstamped": 1, "missing": 0})
    );
    // A draft (szkic.md) is not counted; b.md and c.md have no English version.
    assert_eq!(
        row(&v, "aktualnosci/", "en"),
        serde_json::json!({"section": "aktualnosci/", "lang": "en", "pages": 4, "translated": 0, "outdated": 0, "unstamped": 2, "missing": 2})
    );
    assert_eq!(row(&v, "aktualnosci/", "uk")["missing"], 4);
    assert!(items(&v, "warnings", "translation-outdated").is_empty());
    assert_eq!(items(&v, "warnings", "translation-unstamped")[0], item("content/_index.en.md", 1, "en"));

    // The Polish text changes: both translations are outdated, at their source_hash line.
    let source = std::fs::read_to_string(site.path("content/o-nas.md")).unwrap();
    site.write("content/o-nas.md", &source.replace("Napisz do nas.", "Napisz do nas list."));
    let (code, v) = check(&site);
    assert_eq!(code, 0, "outdated translations are warnings: {v:#}");
    assert_eq!(
        items(&v, "warnings", "translation-outdated"),
        [item("content/o-nas.en.md", 5, "en"), item("content/o-nas.uk.md", 4, "uk")]
    );
    assert_eq!(row(&v, "/", "en")["outdated"], 1);
    let human = site.run(&["check"]);
    assert!(human.stdout.contains("/                         2   0 / 1 / 1 / 0"), "{}", human.stdout);

    // A fact the translations do not carry (the weight) does not make them outdated.
    site.write("content/o-nas.md", &source.replace("weight = 1", "weight = 7"));
    let (_, v) = check(&site);
    assert!(items(&v, "warnings", "translation-outdated").is_empty(), "{v:#}");
}

#[test]
fn translated_refuses_a_source_file_and_source_hash_is_validated() {
    let site = SiteTest::fixture("multilingual");
    site.run(&["translated", "content/o-nas.md"]).assert_code(2).assert_stderr_contains("is not a translation");
    // From another folder, with --root: the path is found under the root.
    let elsewhere = tempfile::tempdir().unwrap();
    let root = site.root().to_str().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_metroportal"))
        .args(["translated", "--root", root, "content/gminy/_index.uk.md"])
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(std::fs::read_to_string(site.path("content/gminy/_index.uk.md")).unwrap().contains("source_hash = \""));
    let source = std::fs::read_to_string(site.path("content/o-nas.md")).unwrap();
    site.write("content/o-nas.md", &source.replace("weight = 1", "weight = 1\nsource_hash = \"0123456789ab\""));
    let en = std::fs::read_to_string(site.path("content/o-nas.en.md")).unwrap();
    site.write("content/o-nas.en.md", &en.replace("weight = 1", "weight = 1\nsource_hash = \"xyz\""));
    let (code, v) = check(&site);
    assert_eq!(code, 1);
    assert_eq!(items(&v, "errors", "source-hash-in-source"), [(String::from("content/o-nas.md"), Some(5), None)]);
    assert_eq!(items(&v, "errors", "invalid-field"), [(String::from("content/o-nas.en.md"), Some(5), None)]);
    assert!(!site.path("public").exists());
}

#[test]
fn the_portal_theme_passes_every_check() {
    let site = SiteTest::typed();
    let (code, v) = check(&site);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["errors"], serde_json::json!([]));
    for code in ["heading-skip", "link-to-fallback", "broken-link"] {
        assert!(items(&v, "warnings", code).is_empty(), "{code}: {v:#}");
    }
    assert!(v["pages"].as_u64().unwrap() > 10);
    assert!(v["review"]["services"].as_u64().unwrap() > 0);
}

#[test]
fn a_template_error_found_only_when_rendering_fails_the_check() {
    // The template loads, but a page fails to render: before `check` rendered the pages, this
    // passed `check` and failed `build`.
    let site = SiteTest::fixture("multilingual").overlay("invalid/template-error");
    let (code, v) = check(&site);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(items(&v, "errors", "template").len(), 1, "{v:#}");
    assert_eq!(v["errors"][0]["file"], "themes/basic/templates/page.html");
    assert_eq!(v["errors"][0]["line"], 5);
    assert!(!site.path("public").exists());
}

#[test]
fn a_link_in_a_text_to_another_languages_version_is_a_warning() {
    let site = SiteTest::fixture("multilingual");
    let en = std::fs::read_to_string(site.path("content/o-nas.en.md")).unwrap();
    site.write("content/o-nas.en.md", &format!("{en}\nOur [news in Polish](/portal/aktualnosci/).\n"));
    let (code, v) = check(&site);
    assert_eq!(code, 0, "{v:#}");
    let line = en.lines().count() as u64 + 2;
    assert_eq!(items(&v, "warnings", "link-other-language"), [item("content/o-nas.en.md", line, "en")]);
    assert_eq!(
        message(&v, "warnings", "link-other-language"),
        "link to /portal/aktualnosci/ leads to the `pl` version of a page that exists in `en` at /portal/en/news/"
    );
}

/// `check --format json` of each valid fixture site, whole: every warning, the page count, the
/// translation table and the review age are a reviewed change (`cargo insta review`).
#[test]
fn check_json_of_each_fixture_site_matches_its_snapshot() {
    for (name, site) in [
        ("multilingual", SiteTest::fixture("multilingual")),
        ("typed", SiteTest::typed()),
        ("typed-map-located", SiteTest::typed().overlay("map-located")),
    ] {
        let run = site.run(&["check", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::assert_snapshot!(format!("check_json__{name}"), serde_json::to_string_pretty(&json).unwrap());
    }
}
