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
    // Only external scripts (the site's CSP is default-src 'self').
    assert_eq!(index.matches("<script").count(), index.matches("<script src=\"").count());
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
        if c.get("folder").is_some() {
            assert_eq!(
                (c["format"].as_str(), c["frontmatter_delimiter"].as_str()),
                (Some("toml-frontmatter"), Some("+++"))
            );
        }
    }
    // Services are created inside their municipality's folder.
    assert_eq!(collection(&config, "services-krakow")["folder"], "content/gminy/krakow");
    assert_eq!(collection(&config, "services-wieliczka")["folder"], "content/gminy/wieliczka");
    assert_eq!(collection(&config, "municipalities")["path"], "{{slug}}/_index");
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
        form_paths(&form["fields"], "", &mut fields, &mut selects);
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
    let municipality = collection(&config, "municipalities")["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "municipality")
        .unwrap()
        .clone();
    let facts = municipality["fields"].as_array().unwrap().iter().find(|f| f["name"] == "facts").unwrap().clone();
    assert!(
        facts["fields"].as_array().unwrap().iter().all(|f| f["widget"] == "relation" && f["collection"] == "services")
    );
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
pub const ADMIN_CSP: &str = "default-src 'self'; img-src 'self' data: blob: https:; connect-src 'self' blob: data:; \
    script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; \
    font-src 'self' data:; object-src 'none'; base-uri 'self'";

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
