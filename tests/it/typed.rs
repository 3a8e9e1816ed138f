//! Typed content (`tests/fixtures/typed/`, with the portal theme): municipalities, services,
//! forum meetings and migrant guides rendered by their templates, uniform migrant materials,
//! and one failing fixture per validation rule with its exact location.

use crate::support::{SiteTest, snapshot};

fn built() -> (SiteTest, String) {
    let site = SiteTest::typed();
    let run = site.build();
    run.assert_ok();
    (site, run.stderr)
}

#[test]
fn each_kind_has_its_template_and_data_kind() {
    let (site, _) = built();
    for (path, kind) in [
        ("gminy/wieliczka/index.html", "municipality"),
        ("gminy/wieliczka/mgops/index.html", "service"),
        ("forum/spotkanie/index.html", "forum"),
        ("migranci/pomoc/index.html", "guide"),
        ("gminy/wieliczka/migranci/pomoc/index.html", "migrant-local"),
        ("uk/gminy/wieliczka/migranci/index.html", "migrant-local"),
    ] {
        assert!(site.read(path).contains(&format!("<body data-kind=\"{kind}\">")), "{path} is not {kind}");
    }
}

#[test]
fn a_service_page_has_the_contact_block_hours_and_provenance() {
    let (site, _) = built();
    let pl = site.read("gminy/wieliczka/mgops/index.html");
    // The address comes from a source older than three years: its date stands beside it.
    assert!(
        pl.contains(r#"<dt>Adres</dt><dd><span data-pagefind-meta="address">ul. Sienkiewicza 26, 32-020 Wieliczka</span> <span class="fact-date">(stan na: ok. 2014)</span></dd>"#),
        "{pl}"
    );
    assert!(pl.contains(r#"<a href="tel:122782140">12 278 21 40</a>"#));
    assert!(pl.contains(r#"<tr><th scope="row">poniedziałek–piątek</th><td>07:30–15:30</td></tr>"#));
    assert!(pl.contains(r#"<tr><th scope="row">sobota–niedziela</th><td>nieczynne</td></tr>"#));
    assert!(pl.contains("<dd>polski, ukraiński</dd>"));
    assert!(pl.contains(r#"<time datetime="2026-09-01">1 września 2026</time>"#));
    let uk = site.read("uk/gminy/wieliczka/mgops/index.html");
    assert!(uk.contains(r#"<tr><th scope="row">понеділок–пʼятниця</th><td>07:30–15:30</td></tr>"#), "{uk}");
    assert!(uk.contains("<dt>Адреса</dt>"));
    // The same contact block, in the same place, on every service page.
    let other = site.read("gminy/krakow/punkt/index.html");
    assert!(other.contains(r#"<section class="contact" aria-labelledby="mp-contact">"#));
    assert!(other.contains("<dt>Adres</dt><dd><span class=\"unknown\">adres nieznany</span></dd>"), "{other}");
    assert!(other.contains("Dane nie pochodzą z oficjalnej strony"));
}

#[test]
fn service_pages_carry_schema_org_json_ld() {
    let (site, _) = built();
    let html = site.read("en/gminy/wieliczka/mgops/index.html");
    let start = html.find(r#"<script type="application/ld+json">"#).expect("JSON-LD") + 35;
    let json: serde_json::Value =
        serde_json::from_str(&html[start..start + html[start..].find("</script>").unwrap()]).unwrap();
    assert_eq!(json["@type"], "GovernmentService");
    assert_eq!(json["serviceType"], "Social assistance centre");
    assert_eq!(json["availableLanguage"], serde_json::json!(["pl", "uk"]));
    assert_eq!(json["provider"]["geo"]["latitude"], 49.987);
    assert_eq!(
        json["hoursAvailable"][0]["dayOfWeek"],
        serde_json::json!(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])
    );
    assert_eq!(json["hoursAvailable"][0]["opens"], "07:30");
    assert_eq!(json["areaServed"]["name"], "Wieliczka");
}

#[test]
fn a_municipality_lists_its_services_by_category() {
    let (site, _) = built();
    let html = site.read("gminy/wieliczka/index.html");
    assert!(html.contains("<h3>Ośrodek pomocy społecznej</h3>"), "{html}");
    assert!(html.contains(
        r#"<a href="/portal/gminy/wieliczka/mgops/">Miejsko-Gminny Ośrodek Pomocy Społecznej w Wieliczce</a>"#
    ));
    assert!(html.contains("(1 usługa)"));
    assert!(html.contains("<dd>99,90 km²</dd>"));
    assert!(site.read("en/gminy/wieliczka/index.html").contains("<dd>99.90 km²</dd>"));
}

#[test]
fn a_municipality_page_shows_its_municipal_office() {
    let site = SiteTest::typed();
    let file = site.path("content/gminy/wieliczka/_index.md");
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "[municipality.facts]",
        "[municipality.office]\nname = \"Urząd Miasta i Gminy\"\naddress = \"Rynek 1, 32-020 Wieliczka\"\nphone = \"+48 12 345 67 89\"\nemail = \"urzad@example.org\"\n\n[municipality.facts]",
        1,
    );
    site.write("content/gminy/wieliczka/_index.md", &text);
    site.build().assert_ok();
    let html = site.read("gminy/wieliczka/index.html");
    assert!(html.contains(r#"<h2 id="mp-office">Urząd gminy</h2>"#), "{html}");
    assert!(html.contains(r#"<dd lang="pl">Rynek 1, 32-020 Wieliczka</dd>"#));
    assert!(html.contains(r#"<a href="tel:+48123456789">+48 12 345 67 89</a>"#));
    assert!(html.contains(r#"<a href="mailto:urzad@example.org">urzad@example.org</a>"#));
    assert!(site.read("en/gminy/wieliczka/index.html").contains(r#"<h2 id="mp-office">Municipal office</h2>"#));
    assert!(site.read("uk/gminy/wieliczka/index.html").contains(r#"<h2 id="mp-office">Управління гміни</h2>"#));
    // A municipality without the table gets no empty section for it.
    assert!(!site.read("gminy/krakow/index.html").contains("mp-office"));
}

/// The text of a migrant-local page with its local facts taken out.
fn without_local_facts(html: &str) -> String {
    let body = &html[html.find("<div class=\"prose\"").unwrap()..];
    let body = &body[..body.find("</div>").unwrap()];
    let mut out = String::new();
    let mut rest = body;
    let next_fact =
        |text: &str| [text.find("<a class=\"fact\""), text.find("<em class=\"fact")].into_iter().flatten().min();
    while let Some(start) = next_fact(rest) {
        out.push_str(&rest[..start]);
        let close = if rest[start..].starts_with("<a") { "</a>" } else { "</em>" };
        let end = start + rest[start..].find(close).unwrap() + close.len();
        // Address and phone in brackets after a linked fact belong to the fact too.
        rest = &rest[end..];
        if rest.starts_with(" (") {
            rest = &rest[rest.find(')').unwrap() + 1..];
        }
        out.push_str("[FACT]");
    }
    out.push_str(rest);
    out
}

#[test]
fn migrant_materials_read_the_same_in_every_municipality() {
    let (site, warnings) = built();
    for lang in ["", "en/", "uk/"] {
        let topic = if lang == "en/" { "migrants/social-assistance" } else { "migranci/pomoc" };
        let wieliczka = site.read(&format!("{lang}gminy/wieliczka/{topic}/index.html"));
        let krakow = site.read(&format!("{lang}gminy/krakow/{topic}/index.html"));
        assert_eq!(without_local_facts(&wieliczka), without_local_facts(&krakow), "text differs in {lang}");
        assert_ne!(wieliczka, krakow, "local facts must differ");
    }
    let wieliczka = site.read("gminy/wieliczka/migranci/pomoc/index.html");
    assert!(wieliczka.contains(r#"Idź do <a class="fact" href="/portal/gminy/wieliczka/mgops/">Miejsko-Gminny Ośrodek Pomocy Społecznej w Wieliczce</a> (ul. Sienkiewicza 26, 32-020 Wieliczka; Telefon 12 278 21 40, 12 278 19 55)."#), "{wieliczka}");
    // Kraków has no `ops` fact: an honest fallback on the page and a reported gap.
    let krakow = site.read("en/gminy/krakow/migrants/social-assistance/index.html");
    assert!(
        krakow.contains(
            "the social assistance centre in your municipality: not yet provided – ask at your municipal office"
        ),
        "{krakow}"
    );
    assert!(
        warnings.contains("warning[fact-missing]: Kraków has no `ops` fact, needed by: Pomoc społeczna"),
        "{warnings}"
    );
    // The generic topic page names the fact and links every municipality's version.
    let generic = site.read("en/migrants/social-assistance/index.html");
    assert!(
        generic.contains(r##"Go to <a class="fact" href="#mp-local">the social assistance centre in your municipality (choose your municipality below)</a>."##),
        "{generic}"
    );
    assert!(generic.contains(r#"<a href="/portal/en/gminy/wieliczka/migrants/social-assistance/">Wieliczka</a>"#));
    // A Ukrainian reader gets the Polish text of an untranslated guide, marked as such.
    let uk = site.read("uk/gminy/wieliczka/migranci/pomoc/index.html");
    assert!(uk.contains(r#"<div class="prose" lang="pl">"#) && uk.contains("noindex"));
}

#[test]
fn the_migrant_pack_holds_every_topic_for_printing() {
    let (site, _) = built();
    let pack = site.read("en/gminy/wieliczka/migrants/index.html");
    assert!(pack.contains("<h1>Information for foreigners – Wieliczka</h1>"), "{pack}");
    assert!(pack.contains(r#"<section class="guide-pack__topic" id="pomoc""#));
    assert!(pack.contains("Go to <a class=\"fact\""));
}

#[test]
fn forum_meetings_show_their_facts() {
    let (site, _) = built();
    let html = site.read("forum/spotkanie/index.html");
    assert!(html.contains(r#"<time datetime="2024-05-09">9 maja 2024</time>"#), "{html}");
    assert!(html.contains("<strong>Jan Testowy</strong>, dyrektor (GOPS)"));
    assert!(html.contains("<li>Kolejne spotkanie jesienią</li>"));
}

/// Lays an invalid overlay over the typed fixture, builds, and returns the diagnostics after
/// checking the exit code and that the previous output is untouched.
fn fails(case: &str) -> String {
    let site = SiteTest::typed();
    site.build().assert_ok();
    let before = snapshot(&site.path("public"));
    let site = site.overlay(&format!("invalid/{case}"));
    let run = site.build();
    run.assert_code(1);
    assert_eq!(snapshot(&site.path("public")), before, "output changed after a failed build");
    run.stderr
}

#[track_caller]
fn has(out: &str, expected: &[&str]) {
    for e in expected {
        assert!(out.contains(e), "missing {e:?} in:\n{out}");
    }
}

#[test]
fn swapped_coordinates_are_caught() {
    has(
        &fails("typed-swapped"),
        &[
            "error[coordinates-outside]: the service [20.065, 49.987] lies outside Wieliczka\n  --> content/gminy/wieliczka/mgops.md:7:15\n",
            "hint: latitude and longitude look swapped",
        ],
    );
}

#[test]
fn coordinates_in_another_municipality_are_caught() {
    has(&fails("typed-outside"), &["content/gminy/wieliczka/mgops.md:7:15", "km outside Wieliczka"]);
}

#[test]
fn phone_email_and_website_must_be_well_formed() {
    has(
        &fails("typed-bad-contact"),
        &[
            "error[phone-invalid]: `12 278 21` is not a phone number\n  --> content/gminy/wieliczka/mgops.md:7:9\n",
            "error[email-invalid]: `mgops(at)wieliczka.pl` is not an e-mail address\n  --> content/gminy/wieliczka/mgops.md:8:9\n",
            "error[url-invalid]: `www.mgops.pl` is not a web address\n  --> content/gminy/wieliczka/mgops.md:9:11\n",
        ],
    );
}

#[test]
fn opening_hours_must_parse() {
    has(
        &fails("typed-hours"),
        &[
            "error[opening-hours-invalid]: opening_hours: time `8:00` must have two-digit hours: 08:00\n  --> content/gminy/wieliczka/mgops.md:7:24\n",
        ],
    );
}

#[test]
fn teryt_must_exist_in_the_boundary_file() {
    has(
        &fails("typed-teryt"),
        &[
            "error[teryt-unknown]: no boundary with TERYT 1261099 in the boundary file\n  --> content/gminy/krakow/_index.md:5:9\n",
        ],
    );
}

#[test]
fn references_must_resolve() {
    has(
        &fails("typed-reference"),
        &[
            "error[reference-broken]: facts.ops: no content file `gminy/wieliczka/gops.md`\n  --> content/gminy/wieliczka/_index.md:16:7\n",
        ],
    );
}

#[test]
fn reviewed_cannot_be_in_the_future() {
    has(
        &fails("typed-future"),
        &[
            "error[reviewed-future]: reviewed = 2099-01-01 is in the future\n  --> content/gminy/wieliczka/mgops.md:10:12\n",
        ],
    );
}

#[test]
fn every_unknown_field_of_a_kind_is_reported() {
    has(
        &fails("typed-unknown-field"),
        &[
            "error[invalid-field]: [service]: unknown field `reviewed_by`",
            "  --> content/gminy/wieliczka/mgops.md:7:1\n",
            "error[invalid-field]: [service]: unknown field `coordnates`",
            "  --> content/gminy/wieliczka/mgops.md:8:1\n",
        ],
    );
}

#[test]
fn vocabularies_are_closed() {
    has(
        &fails("typed-vocabulary"),
        &[
            "error[invalid-field]: [service]: `category`: unknown value `mops`, expected one of `ops`",
            "content/gminy/wieliczka/mgops.md:5:12",
        ],
    );
}

#[test]
fn a_service_belongs_in_a_municipality_folder() {
    has(
        &fails("typed-placement"),
        &[
            "error[kind-placement]: a [service] page must be inside a municipality's folder\n  --> content/forum/punkt.md:4:2\n",
        ],
    );
}

#[test]
fn facts_stay_in_the_polish_file() {
    has(
        &fails("typed-translation"),
        &[
            "error[kind-in-translation]: [service] belongs in the Polish file only\n  --> content/gminy/wieliczka/mgops.uk.md:4:2\n",
        ],
    );
}

#[test]
fn guide_placeholders_must_be_declared_facts() {
    has(
        &fails("typed-placeholder"),
        &[
            "error[placeholder-not-needed]: `{{ migrant-point }}` is not listed in [guide] needs\n  --> content/migranci/pomoc.md:11:14\n",
            "error[placeholder-unknown]: `{{ urzad }}` is not a local fact\n  --> content/migranci/pomoc.md:11:41\n",
        ],
    );
}

#[test]
fn review_age_and_unverified_facts_are_warnings() {
    let site = SiteTest::typed();
    site.write(
        "config.toml",
        &std::fs::read_to_string(site.path("config.toml"))
            .unwrap()
            .replace("review_max_age_months = 12", "review_max_age_months = 0"),
    );
    let run = site.build();
    run.assert_ok();
    has(
        &run.stderr,
        &[
            "warning[review-stale]: not reviewed for more than 0 months (last: 2026-09-01)\n  --> content/gminy/wieliczka/mgops.md:",
            "warning[unverified]: facts not confirmed on an official page (verified = false)\n  --> content/gminy/krakow/punkt.md:4:2\n",
            "warning[review-missing]",
        ],
    );
    let json = site.run(&["check", "--format", "json"]);
    json.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(json.stdout.trim()).unwrap();
    assert!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "fact-missing" && w["file"] == "content/gminy/krakow/_index.md")
    );
}

#[test]
fn the_accessibility_statement_has_the_required_structure_and_is_linked_everywhere() {
    let (site, warnings) = built();
    let html = site.read("deklaracja-dostepnosci/index.html");
    assert!(html.contains(r#"<body data-kind="accessibility-statement">"#));
    for id in [
        "a11y-wstep",
        "a11y-podmiot",
        "a11y-url",
        "a11y-data-publikacja",
        "a11y-status",
        "a11y-procedura",
        "a11y-komunikacja",
    ] {
        assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
    }
    assert!(
        html.contains(r#"<time id="a11y-data-publikacja" datetime="2026-01-15">15 stycznia 2026</time>"#),
        "{html}"
    );
    assert!(html.contains(r#"<dd id="a11y-telefon">jeszcze nie podano</dd>"#));
    assert!(!warnings.contains("warning[statement-contact-missing]"), "the fixture has an e-mail");
    // Every page carries the meta tag and the footer link, in the reader's language.
    for (page, url) in [
        ("index.html", "https://example.org/portal/deklaracja-dostepnosci/"),
        ("en/gminy/wieliczka/migrants/index.html", "https://example.org/portal/en/accessibility-statement/"),
        ("uk/index.html", "https://example.org/portal/uk/deklaracja-dostepnosci/"),
    ] {
        let html = site.read(page);
        assert!(html.contains(&format!("<meta name=\"deklaracja-dostępności\" content=\"{url}\">")), "{page}");
        assert!(html.contains(&format!("<a href=\"{url}\">")), "{page} lacks the footer link");
    }
}

#[test]
fn a_statement_without_a_required_section_fails() {
    has(
        &fails("typed-statement"),
        &[
            "error[statement-ids]: the accessibility statement lacks the required structure: `a11y-komunikacja` is missing\n  --> content/deklaracja-dostepnosci.en.md\n",
        ],
    );
}

#[test]
fn services_are_published_as_open_data() {
    let (site, _) = built();
    let csv = site.read("dane/uslugi.csv");
    // UTF-8 with a byte-order mark, so that spreadsheets read Polish and Ukrainian text right.
    let csv = csv.strip_prefix('\u{feff}').expect("a byte-order mark");
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("id,name_pl,name_en,name_uk,category,municipality_teryt"));
    let wieliczka = csv.lines().find(|l| l.starts_with("gminy/wieliczka/mgops,")).expect("row");
    assert!(
        wieliczka.contains(",\"ul. Sienkiewicza 26, 32-020 Wieliczka\",49.987,20.065,12 278 21 40 | 12 278 19 55,"),
        "{wieliczka}"
    );
    assert!(
        wieliczka.contains(",,https://example.org/mgops | https://example.org/stary-adres,Kontakt – MGOPS Wieliczka (strona testowa) | Stara strona z adresem,2026-08 | 2014,,website,true,2026-09-01,"),
        "{wieliczka}"
    );
    let json: serde_json::Value = serde_json::from_str(&site.read("dane/uslugi.json")).unwrap();
    assert_eq!(json["count"], 2);
    assert_eq!(json["services"][1]["verified"], true);
    let geo: serde_json::Value = serde_json::from_str(&site.read("dane/uslugi.geojson")).unwrap();
    assert_eq!(
        geo["features"][0]["geometry"],
        serde_json::Value::Null,
        "a service without coordinates is listed, not placed"
    );
    assert_eq!(geo["features"][1]["geometry"]["coordinates"], serde_json::json!([20.065, 49.987]));
}

#[test]
fn new_scaffolds_a_kind_and_schema_writes_json_schemas() {
    let site = SiteTest::typed();
    site.run(&["new", "service", "content/gminy/wieliczka/klub.md"]).assert_ok();
    let text = std::fs::read_to_string(site.path("content/gminy/wieliczka/klub.md")).unwrap();
    assert!(
        text.contains("[service]\ncategory = \"ops\"") && text.contains("# opening_hours = \"Mo-Fr 08:00-16:00\""),
        "{text}"
    );
    // The scaffold names what is missing, not a TOML problem.
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert!(
        run.stdout.contains(
            "error[missing-field]: missing required field `title`\n  --> content/gminy/wieliczka/klub.md:1:1"
        ),
        "{}",
        run.stdout
    );
    site.run(&["new", "service", "content/gminy/wieliczka/klub.md"])
        .assert_code(2)
        .assert_stderr_contains("File exists");
    site.run(&["new", "shop", "content/x.md"]).assert_code(2).assert_stderr_contains("unknown kind `shop`");
    let run = site.run(&["schema", "--output", "schemas"]);
    run.assert_ok();
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.path("schemas/service.schema.json")).unwrap()).unwrap();
    assert_eq!(
        schema["properties"]["service"]["properties"]["wheelchair"]["enum"],
        serde_json::json!(["yes", "limited", "no"])
    );
    assert_eq!(run.stdout.lines().count(), 7);
}

#[test]
fn data_completeness_is_built_with_the_site_and_shown_by_check() {
    let (site, _) = built();
    let html = site.read("en/data-completeness/index.html");
    assert!(html.contains(r#"<body data-kind="completeness">"#));
    let krakow = &html[html.find(">Kraków</a></th>").expect("Kraków row")..];
    let krakow = &krakow[..krakow.find("</tr>").unwrap()];
    // Kraków: no ops fact; its migrant point is unverified.
    assert!(
        krakow.contains(
            r#"<td class="state state--missing">missing</td><td class="state state--unverified">not confirmed</td>"#
        ),
        "{krakow}"
    );
    let wieliczka = &html[html.find(">Wieliczka</a></th>").expect("Wieliczka row")..];
    assert!(
        wieliczka[..wieliczka.find("</tr>").unwrap()]
            .starts_with(r#">Wieliczka</a></th><td class="state state--present">present, checked</td>"#)
    );
    let check = site.run(&["check"]);
    check.assert_ok();
    assert!(check.stdout.contains("Data completeness (+ present"), "{}", check.stdout);
    assert!(
        check.stdout.lines().any(|l| l.starts_with("Kraków")
            && l.split_whitespace().collect::<Vec<_>>() == ["Kraków", "-", "?", "-", "-", "-"]),
        "{}",
        check.stdout
    );
}

#[test]
fn sources_are_shown_with_their_dates_in_the_readers_language() {
    let (site, _) = built();
    let pl = site.read("gminy/wieliczka/mgops/index.html");
    assert!(
        pl.contains(r#"<li id="zrodlo-1"><a href="https://example.org/mgops" lang="pl">Kontakt – MGOPS Wieliczka (strona testowa)</a>, <time datetime="2026-08">stan na: sierpień 2026</time> <span class="sources__facts">(telefon, e-mail, godziny otwarcia)</span></li>"#),
        "{pl}"
    );
    assert!(pl.contains(r#"<time datetime="2014">stan na: ok. 2014</time>"#), "{pl}");
    let en = site.read("en/gminy/wieliczka/mgops/index.html");
    assert!(en.contains(r#"<time datetime="2026-08">as of August 2026</time>"#), "{en}");
    assert!(en.contains(r#"<span class="fact-date">(as of about 2014)</span>"#), "{en}");
    let uk = site.read("uk/gminy/wieliczka/mgops/index.html");
    assert!(uk.contains(r#"<time datetime="2026-08">станом на серпень 2026 р.</time>"#), "{uk}");
    assert!(uk.contains("<span class=\"unknown\">вебсайт поки невідомий</span>"), "{uk}");
    // A seed document shows its title, publisher and date; a to-be-confirmed fact is marked.
    let forum = site.read("forum/spotkanie/index.html");
    assert!(
        forum.contains(r#"<cite lang="pl">Podsumowanie forum (dokument testowy)</cite>, <span lang="pl">Stowarzyszenie Testowe</span>, <time datetime="2024-05-14">stan na: 14 maja 2024</time>"#),
        "{forum}"
    );
    let punkt = site.read("en/gminy/krakow/punkt/index.html");
    assert!(punkt.contains("To be confirmed: name."), "{punkt}");
    // No internal English note reaches a Polish or Ukrainian page.
    for page in [pl, uk, forum] {
        for note in ["not found", "placeholder", "internal note", "searched corpus", "about 20"] {
            assert!(!page.contains(note), "{note:?} on a page");
        }
    }
}

#[test]
fn guides_cite_their_sources_on_every_version() {
    let (site, _) = built();
    for (path, heading) in [
        ("migranci/pomoc/index.html", "Źródła"),
        ("gminy/wieliczka/migranci/pomoc/index.html", "Źródła"),
        ("en/gminy/wieliczka/migrants/social-assistance/index.html", "Sources"),
    ] {
        let html = site.read(path);
        assert!(
            html.contains(r##"<sup class="cite"><a href="#zrodlo-1" aria-label=""##) && html.contains(">[1]</a></sup>"),
            "{path}: {html}"
        );
        assert!(
            html.contains(r#"<li id="zrodlo-2"><cite lang="pl">Podsumowanie forum (dokument testowy)</cite>"#),
            "{path}"
        );
        assert!(html.contains(&format!(">{heading}</h2>")), "{path}");
    }
    // The printable pack scopes the ids of each topic.
    let pack = site.read("gminy/wieliczka/migranci/index.html");
    assert!(pack.contains(r##"href="#pomoc-zrodlo-1""##) && pack.contains(r#"id="pomoc-zrodlo-1""#), "{pack}");
    // On the general guide a local fact points to the municipalities' versions, not to itself.
    let general = site.read("migranci/pomoc/index.html");
    assert!(general.contains(r##"<a class="fact" href="#mp-local">ośrodek pomocy społecznej w Twojej gminie (wybierz swoją gminę poniżej)</a>"##), "{general}");
}

#[test]
fn a_source_that_readers_cannot_follow_is_an_error_at_its_line() {
    let out = fails("typed-source");
    has(
        &out,
        &[
            "error[source-invalid]: `not found in searched corpus - placeholder` is not a URL or a seed/data reference\n  --> content/gminy/wieliczka/mgops.md:9:3\n",
            "error[source-date-invalid]: `2023-13` is not a date\n  --> content/gminy/wieliczka/mgops.md:10:3\n",
            "error[source-invalid]: there is no source document `seed:999`\n  --> content/gminy/wieliczka/mgops.md:11:3\n",
            "error[source-title-missing]: the source https://example.org/bez-tytulu has no title\n  --> content/gminy/wieliczka/mgops.md:12:3\n",
            "error[source-invalid]: `https://example.org/a\\r\\nb` is not a web address: it contains a space or a line break\n  --> content/gminy/wieliczka/mgops.md:13:3\n",
            "error[source-invalid]: a source names exactly one of `url`, `seed` or `data`\n  --> content/gminy/wieliczka/mgops.md:14:3\n",
            "error[source-date-invalid]: date `2999-01` is in the future\n  --> content/gminy/wieliczka/mgops.md:15:3\n",
        ],
    );
}

#[test]
fn removed_free_text_fields_say_what_replaces_them() {
    let site = SiteTest::typed();
    let file = site.path("content/gminy/krakow/punkt.md");
    let text =
        std::fs::read_to_string(&file).unwrap().replace("unconfirmed = [\"name\"]", "gap = \"address not found\"");
    site.write("content/gminy/krakow/punkt.md", &text);
    let run = site.build();
    run.assert_code(1);
    has(
        &run.stderr,
        &["error[invalid-field]: [service]: unknown field `gap`", "hint: `gap` and `source_date` are gone"],
    );
    assert!(!site.path("public").exists(), "nothing is written");
}

#[test]
fn guides_state_rules_only_with_a_source() {
    has(
        &fails("typed-cite"),
        &[
            "error[cite-unknown]: `{{ cite:ustawa }}` names no source of this guide\n  --> content/migranci/pomoc.md:27:70\n",
            "error[placeholder-invalid]: `{{ 7*7 }}` is not a placeholder\n  --> content/migranci/pomoc.md:31:52\n",
            "error[guide-section-unsourced]: the section `Szkoła {#szkola}` cites no source and names no local contact\n  --> content/migranci/pomoc.md:29:1\n",
            "error[source-uncited]: the source `nieuzyte` is not cited in the text\n",
        ],
    );
}

#[test]
fn a_service_serves_only_known_other_municipalities() {
    has(
        &fails("typed-serves"),
        &[
            "error[serves-own-municipality]: `krakow` is this service's own municipality\n  --> content/gminy/krakow/centrum.md:6:24\n",
            "error[serves-unknown]: there is no municipality `atlantyda`\n  --> content/gminy/krakow/centrum.md:6:34\n",
            "error[serves-duplicate]: `wieliczka` is listed twice\n  --> content/gminy/krakow/centrum.md:6:47\n",
        ],
    );
}

#[test]
fn a_county_centre_is_listed_on_every_municipality_it_serves() {
    let site = SiteTest::typed();
    site.write(
        "content/gminy/krakow/centrum.md",
        "+++\ntitle = \"Powiatowe centrum\"\n\n[service]\ncategory = \"family-support\"\nserves = [\"wieliczka\"]\nverified = false\nsource = { title = \"Centrum\", url = \"https://example.org/centrum\", date = \"2025-01\" }\n+++\n\nCentrum.\n",
    );
    site.build().assert_ok();
    let wieliczka = site.read("gminy/wieliczka/index.html");
    assert!(wieliczka.contains(r#"<a href="/portal/gminy/krakow/centrum/">Powiatowe centrum</a>"#), "{wieliczka}");
    let page = site.read("gminy/krakow/centrum/index.html");
    assert!(
        page.contains(r#"<dt>Obsługuje też gminy</dt><dd><a href="/portal/gminy/wieliczka/">Wieliczka</a></dd>"#),
        "{page}"
    );
    let csv = site.read("dane/uslugi.csv");
    assert!(csv.contains(",1219053,"), "serves_teryt in the open data: {csv}");
}

#[test]
fn a_municipality_has_one_name_per_language() {
    has(
        &fails("typed-name"),
        &[
            "error[name-mismatch]: the title `Велічка` differs from names.uk = `Величка` in the Polish file\n  --> content/gminy/wieliczka/_index.uk.md:2:1\n",
        ],
    );
}

#[test]
fn open_data_cells_cannot_run_as_spreadsheet_formulas() {
    let site = SiteTest::typed();
    let file = site.path("content/gminy/krakow/punkt.md");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "title = \"Punkt Informacyjny dla Obcokrajowców\"",
        "title = \"=HYPERLINK(\\\"https://example.org\\\",\\\"Kliknij\\\")\"",
    );
    site.write("content/gminy/krakow/punkt.md", &text);
    site.build().assert_ok();
    let csv = site.read("dane/uslugi.csv");
    let row = csv.lines().find(|l| l.starts_with("gminy/krakow/punkt,")).expect("row");
    assert!(
        row.starts_with("gminy/krakow/punkt,\"'=HYPERLINK(\"\"https://example.org\"\",\"\"Kliknij\"\")\","),
        "{row}"
    );
}

#[test]
fn a_title_cannot_close_the_json_ld_script() {
    let site = SiteTest::typed();
    let file = site.path("content/gminy/wieliczka/mgops.md");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "title = \"Miejsko-Gminny Ośrodek Pomocy Społecznej w Wieliczce\"",
        "title = \"MGOPS </script><!--<script> & <b>\"",
    );
    site.write("content/gminy/wieliczka/mgops.md", &text);
    site.build().assert_ok();
    let html = site.read("gminy/wieliczka/mgops/index.html");
    let start = html.find(r#"<script type="application/ld+json">"#).expect("JSON-LD") + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let block = &html[start..end];
    assert!(!block.contains('<') && !block.contains('>') && !block.contains('&'), "{block}");
    assert!(
        block.contains(r#""name": "MGOPS \u003c/script\u003e\u003c!--\u003cscript\u003e \u0026 \u003cb\u003e""#),
        "{block}"
    );
    let json: serde_json::Value = serde_json::from_str(block).unwrap();
    assert_eq!(json["name"], "MGOPS </script><!--<script> & <b>");
    // The rest of the page, footer included, is still outside any script.
    assert!(!html[end..].contains("<!--<script>"));
    assert!(html[end..].contains("deklaracja-dostepnosci/"), "footer link lost");
}

/// Like [`fails`], with the change made by `edit` (file, text to replace, replacement).
fn fails_with(edits: &[(&str, &str, &str)]) -> String {
    let site = SiteTest::typed();
    site.build().assert_ok();
    let before = snapshot(&site.path("public"));
    for (file, from, to) in edits {
        let text = std::fs::read_to_string(site.path(file)).unwrap();
        assert!(text.contains(from), "{file} lacks {from:?}");
        site.write(file, &text.replacen(from, to, 1));
    }
    let run = site.build();
    run.assert_code(1).assert_stderr_contains("Nothing was written");
    assert_eq!(snapshot(&site.path("public")), before, "output changed after a failed build");
    run.stderr
}

#[test]
fn two_municipalities_cannot_share_a_teryt_code() {
    has(
        &fails_with(&[("content/gminy/wieliczka/_index.md", "teryt = \"1219053\"", "teryt = \"1261011\"")]),
        &[
            "error[teryt-duplicate]: TERYT 1261011 is already the code of content/gminy/krakow/_index.md\n  --> content/gminy/wieliczka/_index.md:5:9\n",
            "hint: each municipality has its own TERYT code",
        ],
    );
}

#[test]
fn coordinates_are_exactly_two_numbers() {
    let out = fails_with(&[(
        "content/gminy/wieliczka/mgops.md",
        "coordinates = [49.9870, 20.0650]",
        "coordinates = [49.9870, 20.0650, 210.0]",
    )]);
    has(
        &out,
        &[
            "error[invalid-field]: [service]: `coordinates`: expected exactly two numbers, [latitude, longitude], found 3\n  --> content/gminy/wieliczka/mgops.md:7:15\n",
            "hint: write coordinates = [latitude, longitude] in decimal degrees, e.g. [50.06143, 19.93658]",
        ],
    );
    let out = fails_with(&[(
        "content/gminy/wieliczka/_index.md",
        "coordinates = [49.98738, 20.06473]",
        "coordinates = [49.98738]",
    )]);
    has(
        &out,
        &[
            "[municipality]: `seat.coordinates`: expected exactly two numbers, [latitude, longitude], found 1\n  --> content/gminy/wieliczka/_index.md:16:15\n",
        ],
    );
}

#[test]
fn every_url_field_is_parsed_as_a_url() {
    let out = fails_with(&[
        (
            "content/gminy/wieliczka/mgops.md",
            "email = \"test@example.pl\"",
            "email = \"test@example.pl\"\nwebsite = \"https://mgops.example.pl/\\r\\nSet-Cookie: x=1\"",
        ),
        (
            "content/gminy/wieliczka/_index.md",
            "area_km2 = 99.90",
            "area_km2 = 99.90\nwebsite = \"https://wieliczka.example.pl/ <script>\"\noffice = { website = \"javascript:alert(1)\" }",
        ),
    ]);
    has(
        &out,
        &[
            "error[url-invalid]: `https://mgops.example.pl/\\r\\nSet-Cookie: x=1` is not a web address\n  --> content/gminy/wieliczka/mgops.md:10:11\n",
            "hint: it contains a space or a line break; write the full address on one line, starting with https://",
            "error[url-invalid]: `https://wieliczka.example.pl/ <script>` is not a web address\n  --> content/gminy/wieliczka/_index.md:9:11\n",
            "error[url-invalid]: `javascript:alert(1)` is not a web address\n  --> content/gminy/wieliczka/_index.md:10:22\n",
            "hint: only http:// and https:// addresses can be opened by every reader",
        ],
    );
}

#[test]
fn every_content_error_names_its_field_and_what_is_valid() {
    let out = fails_with(&[
        (
            "content/gminy/wieliczka/mgops.md",
            "coordinates = [49.9870, 20.0650]",
            "coordinates = [\"49.98712\", 20.0650]",
        ),
        ("content/gminy/wieliczka/_index.md", "teryt = \"1219053\"", "teryt = 1219053"),
        ("content/gminy/krakow/_index.md", "source = \"https://example.org/gminy\"", "source = 5"),
        ("content/forum/spotkanie.md", "+++\n", "+++\nweight = \"1\"\n"),
    ]);
    has(
        &out,
        &[
            "error[invalid-field]: [service]: `coordinates[0]`: string \"49.98712\", expected a number\n  --> content/gminy/wieliczka/mgops.md:7:16\n",
            "hint: write a number without quotes, with a dot as the decimal separator, e.g. 49.98712",
            "error[invalid-field]: [municipality]: `teryt`: integer `1219053`, expected a string\n  --> content/gminy/wieliczka/_index.md:5:9\n",
            "hint: write the value in double quotes, e.g. \"1219053\"",
            "error[invalid-field]: [municipality]: `source`: integer `5`, expected a source or a list of sources\n  --> content/gminy/krakow/_index.md:8:10\n",
            "hint: write source = \"https://…\", or one [[kind.source]] table per source",
            "error[invalid-field]: invalid value for `weight`: string \"1\", expected a whole number\n  --> content/forum/spotkanie.md:2:10\n",
            "hint: write a whole number without quotes, e.g. 10",
        ],
    );
    assert_eq!(out.matches("error[").count(), 4, "{out}");
    for block in out.split("\n\n").filter(|b| b.starts_with("error[")) {
        assert!(block.contains("= hint: "), "an error without a hint:\n{block}");
    }
}

/// 2026-09-01 22:30 UTC: 00:30 on 2 September in Poland.
const JUST_AFTER_MIDNIGHT_IN_POLAND: &str = "1788301800";

#[test]
fn today_is_the_date_in_the_sites_time_zone() {
    let site = SiteTest::typed();
    let file = "content/gminy/wieliczka/mgops.md";
    let text = std::fs::read_to_string(site.path(file)).unwrap();
    site.write(file, &text.replace("reviewed = 2026-09-01", "reviewed = 2026-09-02"));
    let env = [("SOURCE_DATE_EPOCH", JUST_AFTER_MIDNIGHT_IN_POLAND)];
    site.run_with_env(&["build"], &env).assert_ok();
    // In UTC it is still 1 September: the same date is in the future there.
    let config = std::fs::read_to_string(site.path("config.toml")).unwrap();
    site.write("config.toml", &format!("time_zone = \"UTC\"\n{config}"));
    site.run_with_env(&["build"], &env)
        .assert_code(1)
        .assert_stderr_contains("error[reviewed-future]: reviewed = 2026-09-02 is in the future");
    // Only known zones.
    site.write("config.toml", &format!("time_zone = \"Europe/Krakow\"\n{config}"));
    site.run(&["build"]).assert_code(1).assert_stderr_contains(
        "unknown time zone `Europe/Krakow`, expected one of `Europe/Warsaw`, `UTC`\n  --> config.toml:1:13\n",
    );
}

/// The exact human and JSON diagnostics of hostile typed content, as reviewed snapshots
/// (`tests/it/snapshots/`): a change of wording is a reviewed change (`cargo insta review`, or
/// run with `INSTA_UPDATE=always` and read the diff).
#[test]
fn hostile_typed_content_diagnostics_snapshot() {
    let site = SiteTest::typed();
    for (file, from, to) in [
        (
            "content/gminy/wieliczka/mgops.md",
            "coordinates = [49.9870, 20.0650]",
            "coordinates = [49.9870, 20.0650, 1.0]",
        ),
        (
            "content/gminy/wieliczka/mgops.md",
            "email = \"test@example.pl\"",
            "email = \"test@example.pl\"\nwebsite = \"https://e.org/\\r\\nX: y\"",
        ),
        ("content/gminy/wieliczka/_index.md", "teryt = \"1219053\"", "teryt = 1219053"),
        ("content/gminy/krakow/_index.md", "title = \"Kraków\"", "title = \"Kraków\nbroken"),
    ] {
        let text = std::fs::read_to_string(site.path(file)).unwrap();
        site.write(file, &text.replacen(from, to, 1));
    }
    site.write("content/o-stowarzyszeniu.EN.md", "+++\ntitle = \"About\"\n+++\n");
    let build = site.build();
    build.assert_code(1);
    insta::assert_snapshot!("hostile_typed_human", build.stderr);
    let check = site.run(&["check", "--format", "json"]);
    check.assert_code(1);
    let json: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let report = serde_json::json!({"errors": json["errors"], "warnings": json["warnings"]});
    insta::assert_snapshot!("hostile_typed_json", serde_json::to_string_pretty(&report).unwrap());
}

/// Two values of the wrong type in one table: both are reported (serde stops at the first; the
/// field at fault is set aside and the table read again), and the required one set aside is not
/// reported again as missing.
#[test]
fn every_type_error_of_a_table_is_reported_not_only_the_first() {
    let site = SiteTest::typed();
    let file = "content/gminy/wieliczka/mgops.md";
    let text = std::fs::read_to_string(site.path(file)).unwrap();
    site.write(
        file,
        &text.replacen("email = \"test@example.pl\"", "email = 5", 1).replacen(
            "verified = true",
            "verified = \"yes\"",
            1,
        ),
    );
    let run = site.build();
    run.assert_code(1);
    has(
        &run.stderr,
        &[
            "error[invalid-field]: [service]: `email`: integer `5`, expected a string\n  --> content/gminy/wieliczka/mgops.md:9:",
            "error[invalid-field]: [service]: `verified`: string \"yes\", expected a boolean\n  --> content/gminy/wieliczka/mgops.md:14:",
        ],
    );
    assert!(!run.stderr.contains("missing field"), "{}", run.stderr);
}
