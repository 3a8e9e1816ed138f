//! The editing interface under `/admin/` (`[cms]`, src/cms): the files a build writes, and the
//! drift test: the generated Sveltia CMS configuration has every kind, field and vocabulary of
//! the schema (as `metroportal schema` publishes it) and nothing else.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::cdp::{Browser, serve_dir_with_csp};
use crate::support::SiteTest;

fn cms_site() -> SiteTest {
    let site = SiteTest::typed();
    let config = std::fs::read_to_string(site.path("config.toml")).unwrap();
    site.write("config.toml", &format!("{config}\n[cms]\nbackend = \"github\"\nrepo = \"metropolia/portal\"\n"));
    site
}

/// The generated configuration: JSON after the comment lines (JSON is YAML).
fn cms_config(site: &SiteTest) -> Value {
    let text = site.read("admin/config.yml");
    let json: String = text.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n");
    serde_json::from_str(&json).expect("config.yml is JSON")
}

fn collection<'a>(config: &'a Value, name: &str) -> &'a Value {
    config["collections"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap_or_else(|| panic!("{name}"))
}

#[test]
fn admin_is_written_only_with_cms_and_stays_out_of_sitemap_and_search() {
    let plain = SiteTest::typed();
    plain.build().assert_ok();
    assert!(!plain.exists("admin"));

    let site = cms_site();
    site.build().assert_ok();
    let index = site.read("admin/index.html");
    assert!(index.contains("<meta name=\"robots\" content=\"noindex, nofollow\">"), "{index}");
    // External scripts, and the import map whose hash the page's own policy allows.
    assert_eq!(index.matches("<script").count(), index.matches("<script src=\"").count() + 1);
    assert!(index.contains("<script type=\"importmap\">{\"imports\":"), "{index}");
    assert!(index.contains("<meta http-equiv=\"Content-Security-Policy\""), "{index}");
    let hash: String = index
        .split("sha256-")
        .nth(1)
        .expect("the page's policy has a hash")
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .collect();
    assert!(ADMIN_CSP.contains(&format!("'sha256-{hash}'")), "the README's policy allows the import map");
    // Nothing else it needs is fetched from another host: its chunk, Immutable.js, fonts.
    for file in
        ["chunks/react-dom.js", "vendor/immutable.es.js", "fonts/material-symbols-outlined-latin-wght-normal.woff2"]
    {
        assert!(site.exists(&format!("admin/{file}")), "{file}");
    }
    assert!(!site.read("admin/sveltia-cms.js").contains("cdn.jsdelivr.net"));
    for file in ["sveltia-cms.js", "leaflet.js", "map-picker.js", "leaflet.css"] {
        assert!(index.contains(&format!("\"{file}\"")) && site.exists(&format!("admin/{file}")), "{file}");
    }
    assert!(site.read("admin/LICENSE-sveltia-cms.txt").contains("MIT License"));
    assert!(!site.read("sitemap.xml").contains("/admin"));
    for entry in walkdir::WalkDir::new(site.path("public")).into_iter().flatten() {
        let rel = entry.path().strip_prefix(site.path("public")).unwrap().to_string_lossy().to_string();
        if rel.contains("search") && entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(!String::from_utf8_lossy(&bytes).contains("/admin/"), "{rel}");
        }
    }
    // The file conventions: `+++` TOML, Polish without a suffix, translations `name.en.md`.
    let config = cms_config(&site);
    assert_eq!(config["i18n"]["structure"], "multiple_files");
    assert_eq!(config["i18n"]["default_locale"], "pl");
    assert_eq!(config["i18n"]["omit_default_locale_from_file_path"], true);
    assert_eq!(config["i18n"]["locales"], serde_json::json!(["pl", "en", "uk"]));
    assert_eq!(config["backend"], serde_json::json!({"name": "github", "repo": "metropolia/portal", "branch": "main"}));
    for c in config["collections"].as_array().unwrap() {
        let files = c.get("files").and_then(Value::as_array).cloned().unwrap_or_else(|| vec![c.clone()]);
        for f in files {
            assert_eq!(
                (f["format"].as_str(), f["frontmatter_delimiter"].as_str()),
                (Some("toml-frontmatter"), Some("+++")),
                "{}",
                c["name"]
            );
        }
    }
    // Services are created inside their municipality's folder.
    assert_eq!(collection(&config, "services-krakow")["folder"], "content/gminy/krakow");
    assert_eq!(collection(&config, "services-wieliczka")["folder"], "content/gminy/wieliczka");
    // Municipalities and sections are lists of their files (Sveltia would read `krakow/_index.md`
    // with the services collection of `content/gminy/krakow` and skip it as an index file).
    let municipalities = &collection(&config, "municipalities")["files"];
    assert_eq!(municipalities[0]["file"], "content/gminy/krakow/_index.{{locale}}.md");
    let sections: Vec<&str> = collection(&config, "sections")["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert!(
        sections.contains(&"content/forum/_index.{{locale}}.md") && sections.contains(&"content/_index.{{locale}}.md")
    );
    assert!(!sections.iter().any(|f| f.starts_with("content/gminy/krakow")));
}

/// The fields of a collection's form (of its first file, for a list of files).
fn form_fields(collection: &Value) -> &Value {
    collection.get("fields").unwrap_or(&collection["files"][0]["fields"])
}

/// Field paths of a form (`service.category`, `service.source.url`), with the select options.
fn form_paths(fields: &Value, prefix: &str, out: &mut BTreeSet<String>, selects: &mut Vec<(String, Vec<String>)>) {
    for f in fields.as_array().unwrap() {
        let name = f["name"].as_str().unwrap();
        if name == "body" && prefix.is_empty() {
            continue;
        }
        let path = if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
        if f["widget"] == "select" {
            let labels: Vec<&str> =
                f["options"].as_array().unwrap().iter().map(|o| o["label"].as_str().unwrap()).collect();
            let codes = f["options"].as_array().unwrap().iter().map(|o| o["value"].as_str().unwrap().to_string());
            assert!(labels.iter().all(|l| !l.is_empty()), "{path}");
            selects.push((path.clone(), codes.collect()));
        }
        out.insert(path.clone());
        if let Some(sub) = f.get("fields").filter(|_| name != "names") {
            form_paths(sub, &path, out, selects);
        }
    }
}

/// Property paths of a JSON Schema, with its enums.
fn schema_paths(schema: &Value, prefix: &str, out: &mut BTreeSet<String>, enums: &mut Vec<(String, Vec<String>)>) {
    let Some(props) = schema["properties"].as_object() else { return };
    for (name, prop) in props {
        if prefix.is_empty() && ["extra", "taxonomies", "template"].contains(&name.as_str()) {
            continue; // edited in git only (src/cms NOT_IN_FORMS)
        }
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
        out.insert(path.clone());
        let codes = |v: &Value| v.as_array().map(|a| a.iter().map(|c| c.as_str().unwrap().to_string()).collect());
        if let Some(c) = codes(&prop["enum"]).or_else(|| codes(&prop["items"]["enum"])) {
            enums.push((path.clone(), c));
        }
        if name == "names" {
            continue;
        }
        // Nested tables: an object, a list of objects, or the source tables of `anyOf`.
        let mut nested = vec![prop, &prop["items"]];
        if let Some(any) = prop["anyOf"].as_array() {
            nested.extend(any.iter().flat_map(|a| [a, &a["items"], &a["items"]["anyOf"][1]]));
        }
        let mut seen = BTreeSet::new();
        for n in nested {
            if n["type"] == "object" && n.get("properties").is_some() {
                let mut sub = BTreeSet::new();
                schema_paths(n, &path, &mut sub, enums);
                seen.extend(sub);
            }
        }
        out.extend(seen);
    }
}

#[test]
fn cms_config_has_every_kind_field_and_vocabulary_of_the_schema_and_nothing_else() {
    let site = cms_site();
    site.build().assert_ok();
    site.run(&["schema", "--output", "schemas"]).assert_ok();
    let config = cms_config(&site);
    let statement = &collection(&config, "accessibility")["files"][0];
    let kinds = [
        ("municipalities", "municipality"),
        ("services", "service"),
        ("services-krakow", "service"),
        ("forum", "forum"),
        ("guides", "guide"),
        ("pages", "page"),
        ("sections", "section"),
    ];
    let mut covered = BTreeSet::new();
    for (name, kind) in kinds.iter().map(|(n, k)| (Some(*n), *k)).chain([(None, "accessibility_statement")]) {
        let form = name.map_or(statement, |n| collection(&config, n));
        let schema: Value =
            serde_json::from_str(&std::fs::read_to_string(site.path(&format!("schemas/{kind}.schema.json"))).unwrap())
                .unwrap();
        let (mut fields, mut selects) = (BTreeSet::new(), Vec::new());
        form_paths(form_fields(form), "", &mut fields, &mut selects);
        let (mut props, mut enums) = (BTreeSet::new(), Vec::new());
        schema_paths(&schema, "", &mut props, &mut enums);
        assert_eq!(fields, props, "{kind}: form fields (left) and schema (right) differ");
        selects.sort();
        enums.sort();
        enums.dedup();
        selects.dedup();
        assert_eq!(selects, enums, "{kind}: selects and vocabularies differ");
        covered.insert(kind);
    }
    let all: BTreeSet<&str> = std::fs::read_dir(site.path("schemas"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".schema.json").to_string())
        .map(|s| &*Box::leak(s.into_boxed_str()))
        .collect();
    assert_eq!(covered, all, "every kind has a collection");

    // Vocabularies carry their Polish labels; references are relations; dates are native dates.
    let service = &collection(&config, "services-krakow")["fields"];
    let table = service.as_array().unwrap().iter().find(|f| f["name"] == "service").unwrap();
    let field = |name: &str| table["fields"].as_array().unwrap().iter().find(|f| f["name"] == name).unwrap().clone();
    assert_eq!(
        field("category")["options"][0],
        serde_json::json!({"label": "Ośrodek pomocy społecznej", "value": "ops"})
    );
    assert_eq!(field("category")["required"], true);
    assert_eq!(field("coordinates")["widget"], "coordinates");
    assert_eq!(field("reviewed")["widget"], "datetime");
    assert!(field("reviewed").get("format").is_none(), "a format would write a string, not a TOML date");
    assert!(field("opening_hours")["hint"].as_str().unwrap().contains("Mo-Fr 08:00-16:00"));
    assert!(field("opening_hours")["pattern"][0].as_str().unwrap().starts_with('^'));
    let municipality = form_fields(collection(&config, "municipalities"))
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "municipality")
        .unwrap()
        .clone();
    let facts = municipality["fields"].as_array().unwrap().iter().find(|f| f["name"] == "facts").unwrap().clone();
    assert!(facts["fields"].as_array().unwrap().iter().all(|f| f["widget"] == "service-reference"));
    // Facts in the Polish file only; translations carry title, description, slug and text.
    let translated: BTreeSet<&str> =
        service.as_array().unwrap().iter().filter(|f| f["i18n"] == true).map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(translated, BTreeSet::from(["title", "description", "slug", "source_hash", "body"]));
}

#[test]
fn a_value_the_form_cannot_catch_reaches_check_with_file_and_line() {
    let site = cms_site();
    // Well-formed to the form's pattern (a day, then the syntax's characters), but 25:00 is no time.
    let bad = "Mo-Fr 25:00-26:00";
    let path = "content/gminy/krakow/punkt.md";
    let text = std::fs::read_to_string(site.path(path)).unwrap();
    site.write(path, &text.replace("verified = false", &format!("verified = false\nopening_hours = \"{bad}\"")));
    let run = site.run(&["check", "--format", "json"]);
    run.assert_code(1);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let error = report["errors"].as_array().unwrap().iter().find(|e| e["file"] == path).expect("an error in the file");
    assert_eq!((error["line"].as_u64(), error["code"].as_str()), (Some(9), Some("opening-hours-invalid")), "{error}");
}

/// The site with `[cms]` and no `repo`, as the portal has it until the Association names its
/// repository: local-folder mode only.
fn local_cms_site() -> SiteTest {
    let site = SiteTest::typed();
    let config = std::fs::read_to_string(site.path("config.toml")).unwrap();
    site.write("config.toml", &format!("{config}\n[cms]\nbackend = \"github\"\n"));
    site
}

/// What `/admin/` is served with (README, "Editing without git"): the theme's policy, plus inline
/// styles (Svelte adds its components' styles as `<style>` elements) and `blob:` workers.
pub(crate) const ADMIN_CSP: &str = "default-src 'self'; img-src 'self' data: blob: https:; connect-src 'self' blob: data:; \
    script-src 'self' 'wasm-unsafe-eval' 'sha256-9fUa0Pld0Kb1K672jtm5/aXwc1Xtqav2v5jaGbCn8Js='; \
    style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; manifest-src 'self' blob:; font-src 'self' data:; \
    object-src 'none'; base-uri 'self'";

/// Opens the built `/admin/` of `site` and waits for Sveltia's first screen; returns its text.
fn open_admin(browser: &mut Browser, public: &std::path::Path) -> String {
    let base = serve_dir_with_csp(public, "/", ADMIN_CSP);
    browser.set_viewport(1280, 900);
    browser.navigate(&format!("{base}admin/"));
    let body = "(document.body.innerText || '')";
    browser.wait_for(
        &format!("{body}.includes('Work with Local Repository') || {body}.includes('errors in the CMS configuration')"),
        std::time::Duration::from_secs(20),
    );
    // Without the Unicode isolates Sveltia puts around interpolated names.
    browser.eval(body).as_str().unwrap().replace(['\u{2068}', '\u{2069}'], "")
}

#[test]
fn admin_loads_without_configuration_errors_and_offers_the_local_folder() {
    let Some(mut browser) = Browser::launch() else { return };
    let site = local_cms_site();
    let build = site.build();
    build.assert_ok();
    assert!(build.stderr.contains("cms-local-only"), "{}", build.stderr);
    let config = cms_config(&site);
    let repo = config["backend"]["repo"].as_str().unwrap();
    assert!(repo.starts_with("_local/"), "no real owner is made up: {repo}");
    let text = open_admin(&mut browser, &site.path("public"));
    assert!(!text.contains("errors in the CMS configuration"), "{text}");
    assert!(text.contains("Work with Local Repository") && text.contains("Sign In with GitHub"), "{text}");
    // The only errors: the policy refusing the script's requests to other hosts (its update
    // check, status page, fonts and optional chunks from unpkg.com; README, "Editing without git").
    let errors: Vec<String> = browser
        .console_errors()
        .into_iter()
        .filter(|e| !(e.contains("Content Security Policy") && e.contains("'https://")))
        .filter(|e| !(e.contains("Fetch API cannot load https://") && e.contains("Content Security Policy")))
        .collect();
    assert_eq!(errors, Vec::<String>::new());

    // And with a repository: the same screen, no error either.
    let site = cms_site();
    site.build().assert_ok();
    let text = open_admin(&mut browser, &site.path("public"));
    assert!(!text.contains("errors in the CMS configuration"), "{text}");
    assert!(text.contains("“portal” repository"), "{text}");
}

/// Writes `docs/screenshots/cms-login.png` (run by `scripts/screenshots.sh`).
#[test]
#[ignore = "rewrites a file in the repository"]
fn cms_login_screenshot() {
    let Some(mut browser) = Browser::launch() else { return };
    // In a folder named like the repository an editor picks, as Sveltia names it on the screen.
    let site = local_cms_site();
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path().join("portal");
    let copied = std::process::Command::new("cp").arg("-r").arg(site.root()).arg(&root).status().unwrap();
    assert!(copied.success());
    SiteTest::run_in(&root, &["build"], &[]).assert_ok();
    open_admin(&mut browser, &root.join("public"));
    std::thread::sleep(std::time::Duration::from_millis(1500)); // the loading screen fades out
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots/cms-login.png");
    browser.screenshot_png(&path, 900.0);
}

#[test]
fn cms_repo_is_checked_at_its_line() {
    let site = SiteTest::typed();
    let config = std::fs::read_to_string(site.path("config.toml")).unwrap();
    site.write("config.toml", &format!("{config}\n[cms]\nbackend = \"github\"\nrepo = \"portal\"\n"));
    let run = site.build();
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("config-cms-repo") && run.stderr.contains("repo = \"portal\""), "{}", run.stderr);
}

/// Runs `git` in `root`; its output.
fn git(root: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .current_dir(root)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every file under `content/` of `root`, as the JSON object `cmsTest.mount` takes.
fn content_files(root: &std::path::Path) -> Value {
    let mut files = serde_json::Map::new();
    for entry in walkdir::WalkDir::new(root.join("content")).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let rel = entry.path().strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        files.insert(rel, Value::String(std::fs::read_to_string(entry.path()).unwrap()));
    }
    Value::Object(files)
}

/// Writes back what the CMS changed in its folder (the browser's private file system).
fn save_cms_files(browser: &mut Browser, root: &std::path::Path) {
    let files = browser.eval("cmsTest.files()");
    for (rel, text) in files.as_object().unwrap() {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text.as_str().unwrap()).unwrap();
    }
}

/// The `-`/`+` lines of a `git diff --unified=0`.
fn changed_lines(diff: &str) -> Vec<&str> {
    diff.lines()
        .filter(|l| (l.starts_with('+') || l.starts_with('-')) && !l.starts_with("+++ ") && !l.starts_with("--- "))
        .collect()
}

/// Clicks where `expression` (a `cmsTest` call giving `[x, y]`) says.
fn click(browser: &mut Browser, expression: &str) {
    let at = browser.eval(expression);
    let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
    std::thread::sleep(std::time::Duration::from_millis(150));
    browser.click_at(x, y);
    std::thread::sleep(std::time::Duration::from_millis(150));
}

fn type_into(browser: &mut Browser, focus: &str, text: &str) {
    browser.eval(focus);
    browser.type_text(text);
}

fn save_entry(browser: &mut Browser) {
    click(browser, "cmsTest.buttonCentre('Save')");
    browser.wait_for("document.body.innerText.includes('Entry saved') || document.body.innerText.includes('has been saved') || cmsTest.errors().length > 0", std::time::Duration::from_secs(10));
    std::thread::sleep(std::time::Duration::from_millis(500));
}

/// axe-core (WCAG 2.1 A/AA) on a screen of the CMS: the one violation left belongs to the
/// vendored script, which adds `<meta name="viewport" content="…, maximum-scale=1">` by itself
/// (README, "Known limits"); our labels, hints and the map picker have none.
fn assert_only_sveltias_own_violations(browser: &mut Browser, screen: &str) {
    let Some(axe) = crate::theme::tool("axe-core/axe.min.js") else { return };
    browser.eval(&std::fs::read_to_string(axe).unwrap());
    let violations = browser.eval(crate::theme::AXE_RUN);
    let ours: Vec<&str> = violations
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|v| !v.starts_with("meta-viewport ") || v.contains(','))
        .collect();
    assert_eq!(ours, Vec::<&str>::new(), "{screen}");
    let sveltia = browser.eval("document.querySelectorAll('meta[name=viewport]')[1]?.content || ''");
    assert!(sveltia.as_str().unwrap().contains("maximum-scale=1"), "{screen}: {sveltia}");
}

/// Issue #16's end-to-end check: an editor opens `/admin/` on a scratch git repository made
/// from a fixture site, creates a service with the form (category from the list, hours, a point
/// on the map), saves; the file is exactly what the build reads, `metroportal build` shows it on
/// its municipality's page and map; then a change to one field of an existing service.
#[test]
fn an_editor_creates_a_service_with_the_form_and_the_build_publishes_it() {
    let Some(mut browser) = Browser::launch() else { return };
    let site = local_cms_site();
    std::fs::write(site.path(".gitignore"), "public/\n.public.prev/\n").unwrap();
    site.build().assert_ok();
    let root = site.root();
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "fixture"]);

    open_admin(&mut browser, &site.path("public"));
    assert_only_sveltias_own_violations(&mut browser, "the sign-in screen");
    browser.eval(include_str!("cms-driver.js"));
    browser.eval(&format!("cmsTest.mount({})", content_files(root)));
    click(&mut browser, "cmsTest.buttonCentre('Work with Local Repository')");
    let long = std::time::Duration::from_secs(20);
    browser.wait_for("document.body.innerText.includes('Usługi: Wieliczka')", long);

    // A new service of Wieliczka.
    browser.eval("location.hash = '#/collections/services-wieliczka/new'");
    browser.wait_for("!!cmsTest.control('Kategoria') && !!document.querySelector('.mp-picker-map')", long);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_only_sveltias_own_violations(&mut browser, "the form of a new service");
    type_into(&mut browser, "cmsTest.focus('Tytuł')", "Klub dziecięcy „Słoneczko” w Wieliczce");
    click(&mut browser, "cmsTest.controlCentre('Kategoria')");
    browser.wait_for("!!cmsTest.option('Żłobek lub klub dziecięcy')", long);
    click(&mut browser, "cmsTest.option('Żłobek lub klub dziecięcy')");
    type_into(&mut browser, "cmsTest.focus('Godziny otwarcia')", "Mo-Fr 10:00-14:00");
    // The picker opens on Wieliczka (drawn stronger); the middle of the map lies inside it.
    click(&mut browser, "cmsTest.mapCentre()");
    let picked = browser.eval("cmsTest.picked()");
    let (lat, lon) = (picked[0].as_str().unwrap().to_string(), picked[1].as_str().unwrap().to_string());
    assert!(lat.parse::<f64>().is_ok_and(|v| (49.8..50.1).contains(&v)), "{picked}");
    assert!(lon.parse::<f64>().is_ok_and(|v| (19.9..20.2).contains(&v)), "{picked}");
    click(&mut browser, "cmsTest.buttonCentre('Add Źródła')");
    type_into(&mut browser, "cmsTest.focus('Tytuł', 'input', -1)", "Kluby seniora – Urząd Miasta i Gminy Wieliczka");
    type_into(&mut browser, "cmsTest.focus('Adres strony (URL)')", "https://example.org/kluby-seniora");
    type_into(&mut browser, "cmsTest.focus('Data')", "2026-10");
    save_entry(&mut browser);
    assert_eq!(browser.eval("cmsTest.errors()"), serde_json::json!([]));
    save_cms_files(&mut browser, root);

    // Exactly one new file, the Polish one (a translation is added when somebody writes it).
    // An ASCII file name, as the content's are (Sveltia transliterates the Polish letters).
    let path = "content/gminy/wieliczka/klub-dzieciecy-sloneczko-w-wieliczce.md";
    assert_eq!(git(root, &["status", "--porcelain"]), format!("?? {path}\n"));
    let written = std::fs::read_to_string(root.join(path)).unwrap();
    // In the layout of the content files (src/cms/toml-writer.js), the switches left off unsaid.
    let expected = format!(
        "+++\ntitle = \"Klub dziecięcy „Słoneczko” w Wieliczce\"\n\n[service]\ncategory = \"nursery\"\n\
         coordinates = [{lat}, {lon}]\nopening_hours = \"Mo-Fr 10:00-14:00\"\nverified = false\n\n\
         [[service.source]]\ntitle = \"Kluby seniora – Urząd Miasta i Gminy Wieliczka\"\n\
         url = \"https://example.org/kluby-seniora\"\ndate = \"2026-10\"\n+++\n"
    );
    assert_eq!(written, expected);

    // The build accepts it (the point lies inside Wieliczka) and publishes it.
    let build = site.build();
    build.assert_ok();
    assert!(site.read("gminy/wieliczka/index.html").contains("Klub dziecięcy „Słoneczko” w Wieliczce"));
    let map: Value = serde_json::from_str(&site.read("dane/uslugi.pl.geojson")).unwrap();
    let feature = map["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["name"] == "Klub dziecięcy „Słoneczko” w Wieliczce");
    let feature = feature.expect("the new service is on the map");
    assert_eq!(feature["properties"]["municipality"], "1219053");
    assert_eq!(
        feature["geometry"]["coordinates"],
        serde_json::json!([lon.parse::<f64>().unwrap(), lat.parse::<f64>().unwrap()])
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "new service"]);

    // One field of an existing, hand-written service: only that field's line changes.
    browser.eval("location.hash = '#/collections/services-wieliczka/entries/mgops'");
    browser.wait_for("!!cmsTest.control('E-mail', 'input')", long);
    std::thread::sleep(std::time::Duration::from_millis(500));
    browser.eval("(() => { const i = cmsTest.control('E-mail', 'input'); i.focus(); i.select(); return true; })()");
    browser.type_text("kontakt@example.pl");
    save_entry(&mut browser);
    save_cms_files(&mut browser, root);
    let mgops = "content/gminy/wieliczka/mgops.md";
    let diff = git(root, &["diff", "--unified=0", "--", mgops]);
    let changed = changed_lines(&diff);
    assert_eq!(changed, ["-email = \"test@example.pl\"", "+email = \"kontakt@example.pl\""], "{diff}");
    assert_eq!(git(root, &["status", "--porcelain"]), format!(" M {mgops}\n"));
    site.build().assert_ok();
    git(root, &["commit", "-q", "-am", "e-mail"]);

    // A `@/` reference picked from the list: Wieliczka's nursery is the new one.
    browser.eval("location.hash = '#/collections/municipalities/entries/gminy-wieliczka-_index'");
    browser.wait_for("!!cmsTest.field('Żłobek lub klub dziecięcy')", long);
    std::thread::sleep(std::time::Duration::from_millis(500));
    // The list is what the site publishes: the build above has put the new service in it.
    let title = "Klub dziecięcy „Słoneczko” w Wieliczce";
    browser.wait_for(&format!("cmsTest.serviceOptions('Żłobek lub klub dziecięcy').includes('{title}')"), long);
    let reference = format!("@/{}", path.trim_start_matches("content/"));
    let chosen = browser.eval(&format!("cmsTest.chooseService('Żłobek lub klub dziecięcy', '{reference}')"));
    assert_eq!(chosen, Value::String(reference.clone()));
    assert_only_sveltias_own_violations(&mut browser, "the form of a municipality");
    save_entry(&mut browser);
    save_cms_files(&mut browser, root);
    let index = "content/gminy/wieliczka/_index.md";
    let diff = git(root, &["diff", "--unified=0", "--", index]);
    let changed = changed_lines(&diff);
    assert_eq!(changed, [format!("+nursery = \"{reference}\"")], "{diff}");
    site.build().assert_ok();
}

/// The writer that keeps a file's layout (src/cms/toml-writer.js), on every content file of the
/// portal in the browser: a file read is given back unchanged, and after each kind of edit the
/// form can make (a text changed, a key added or removed, a source added or removed, the title)
/// the TOML has exactly the edited values and only the edited lines differ.
#[test]
fn the_forms_writer_keeps_every_content_file_and_changes_only_edited_lines() {
    let Some(mut browser) = Browser::launch() else { return };
    let site = local_cms_site();
    site.build().assert_ok();
    open_admin(&mut browser, &site.path("public"));
    let portal = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = content_files(portal);
    if let (Value::Object(all), Value::Object(fixture)) = (&mut files, content_files(site.root())) {
        all.extend(fixture.into_iter().map(|(k, v)| (format!("fixture/{k}"), v)));
    }
    // In batches, so that no single call to the page runs long on a busy machine.
    let all: Vec<(String, Value)> = files.as_object().unwrap().clone().into_iter().collect();
    let (mut checked, mut edits, mut problems) = (0, 0, Vec::new());
    for batch in all.chunks(40) {
        let batch = Value::Object(batch.iter().cloned().collect());
        let report = browser.eval(&format!("({})({batch})", include_str!("cms-writer-check.js").trim_end()));
        checked += report["files"].as_u64().unwrap();
        edits += report["edits"].as_u64().unwrap();
        problems.extend(report["problems"].as_array().unwrap().iter().cloned());
    }
    assert_eq!(problems, Vec::<Value>::new());
    assert!(checked > 250 && edits > 500, "{checked} files, {edits} edits");
}
