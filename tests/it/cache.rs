//! The build cache (`.public.cache`): a repeat build with nothing changed renders and writes
//! nothing and reports the same warnings; any changed input (content, template, UI string,
//! config, static file, today's date, options) gives exactly what a fresh build gives; an
//! output edited by hand is rebuilt; a corrupt or foreign cache is ignored with a warning.

use std::collections::BTreeMap;

use crate::support::{SiteTest, snapshot};

const NOTHING_CHANGED: &str = "; nothing changed since the last build";
/// What a build that rendered only what a change touched says.
const RENDERED_AGAIN: &str = " rendered again, the rest as the last build made them";

/// The output of a fresh build (no output, no cache) of a copy of `site`'s sources.
fn fresh_build(site: &SiteTest, env: &[(&str, &str)], args: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let copy = tempfile::tempdir().unwrap();
    for name in ["config.toml", "content", "themes", "static", "data"] {
        let from = site.path(name);
        if from.is_dir() {
            crate::support::copy_tree(&from, &copy.path().join(name));
        } else if from.is_file() {
            std::fs::copy(&from, copy.path().join(name)).unwrap();
        }
    }
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let mut with_today = vec![("SOURCE_DATE_EPOCH", crate::support::FIXTURE_TODAY)];
    with_today.extend_from_slice(env);
    let run = SiteTest::run_in(copy.path(), &all, &with_today);
    assert_eq!(run.code, 0, "{}", run.stderr);
    snapshot(&copy.path().join("public"))
}

/// The warnings a build printed, without its summary line.
fn warnings(stderr: &str) -> String {
    stderr.lines().filter(|l| !l.starts_with("Built ")).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_repeat_build_with_nothing_changed_renders_nothing_and_reports_the_same_warnings() {
    let site = SiteTest::typed();
    let first = site.build();
    first.assert_ok();
    assert!(first.stderr.contains("warning["), "the typed fixture has warnings to replay");
    assert!(!first.stderr.contains(NOTHING_CHANGED));
    let before = snapshot(&site.path("public"));
    let modified = std::fs::metadata(site.path("public/index.html")).unwrap().modified().unwrap();
    let again = site.build();
    again.assert_ok().assert_stderr_contains(NOTHING_CHANGED).assert_stderr_contains(" 0 written");
    assert_eq!(warnings(&again.stderr), warnings(&first.stderr));
    assert!(snapshot(&site.path("public")) == before);
    assert_eq!(std::fs::metadata(site.path("public/index.html")).unwrap().modified().unwrap(), modified);
    assert!(site.path(".public.cache").is_file() && !site.path(".public.cache.tmp").exists());
}

/// A sequence of edits of every kind of input; after each, the cached build equals a fresh
/// build of the same sources.
#[test]
fn after_each_changed_input_the_output_is_what_a_fresh_build_gives() {
    let site = SiteTest::fixture("multilingual");
    site.build().assert_ok();
    let edit = |rel: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(site.path(rel)).unwrap();
        assert!(text.contains(from), "{rel} has {from:?}");
        site.write(rel, &text.replacen(from, to, 1));
    };
    type Edit<'a> = Box<dyn Fn() + 'a>;
    // What is compared node by node renders part of the site; what every page reads (config,
    // static files) renders all of it.
    let edits: Vec<(&str, Edit)> = vec![
        (
            "a page body",
            Box::new(|| {
                let text = std::fs::read_to_string(site.path("content/o-nas.md")).unwrap();
                site.write("content/o-nas.md", &format!("{text}\nNowy akapit.\n"));
            }),
        ),
        (
            "a new page",
            Box::new(|| {
                site.write("content/aktualnosci/nowa.md", "+++\ntitle = \"Nowa\"\ndate = 2026-05-02\n+++\n\nTekst.\n");
            }),
        ),
        ("a deleted page", Box::new(|| std::fs::remove_file(site.path("content/aktualnosci/nowa.md")).unwrap())),
        ("a template", Box::new(|| edit("themes/basic/templates/base.html", "<body", "<body data-edited=\"1\""))),
        (
            "a UI string",
            Box::new(|| {
                let text = std::fs::read_to_string(site.path("themes/basic/i18n/en.ftl")).unwrap();
                site.write("themes/basic/i18n/en.ftl", &format!("{text}\n# edited\n"));
            }),
        ),
        (
            "config.toml",
            Box::new(|| {
                let text = std::fs::read_to_string(site.path("config.toml")).unwrap();
                site.write("config.toml", &text.replacen("title = ", "title = \"Zmieniony\"\n# was: ", 1));
            }),
        ),
        ("a static file", Box::new(|| site.write("themes/basic/static/css/extra.css", "body { color: #111; }\n"))),
    ];
    let partial = ["a page body", "a new page", "a deleted page", "a template", "a UI string"];
    for (what, apply) in &edits {
        apply();
        let run = site.build();
        run.assert_ok();
        assert!(!run.stderr.contains(NOTHING_CHANGED), "{what}: {}", run.stderr);
        assert_eq!(run.stderr.contains(RENDERED_AGAIN), partial.contains(what), "{what}: {}", run.stderr);
        assert!(snapshot(&site.path("public")) == fresh_build(&site, &[], &[]), "{what}: differs from a fresh build");
        site.build().assert_ok().assert_stderr_contains(NOTHING_CHANGED);
    }
    // Tomorrow is another day: review ages and dates may change.
    let tomorrow = (crate::support::FIXTURE_TODAY.parse::<i64>().unwrap() + 86_400).to_string();
    let run = site.run_with_env(&["build"], &[("SOURCE_DATE_EPOCH", &tomorrow)]);
    assert!(!run.assert_ok().stderr.contains(NOTHING_CHANGED), "{}", run.stderr);
    // Other options are another build.
    let run = site.run(&["build", "--base-url", "https://other.example.org"]);
    assert!(!run.assert_ok().stderr.contains(NOTHING_CHANGED), "{}", run.stderr);
    let expected = fresh_build(&site, &[], &["--base-url", "https://other.example.org"]);
    assert!(snapshot(&site.path("public")) == expected, "--base-url differs from a fresh build");
}

#[test]
fn an_output_edited_by_hand_is_built_again() {
    let site = SiteTest::fixture("multilingual");
    site.build().assert_ok();
    let before = snapshot(&site.path("public"));
    std::fs::write(site.path("public/index.html"), "edited").unwrap();
    std::fs::remove_file(site.path("public/en/index.html")).unwrap();
    let run = site.build();
    assert!(!run.assert_ok().stderr.contains(NOTHING_CHANGED));
    assert!(snapshot(&site.path("public")) == before);
    // Also when a source changed too: the dependency records describe the output as it was.
    std::fs::write(site.path("public/index.html"), "edited").unwrap();
    let text = std::fs::read_to_string(site.path("content/o-nas.md")).unwrap();
    site.write("content/o-nas.md", &format!("{text}\nNowy akapit.\n"));
    let run = site.build();
    assert!(!run.assert_ok().stderr.contains(RENDERED_AGAIN), "{}", run.stderr);
    assert!(snapshot(&site.path("public")) == fresh_build(&site, &[], &[]));
}

#[test]
fn a_corrupt_or_foreign_cache_is_ignored_with_a_warning() {
    let site = SiteTest::fixture("multilingual");
    site.build().assert_ok();
    let before = snapshot(&site.path("public"));
    for (content, why) in [
        ("{not json", "ignoring the build cache: it is unreadable"),
        (r#"{"format": 99}"#, "ignoring the build cache: it is unreadable"),
    ] {
        std::fs::write(site.path(".public.cache"), content).unwrap();
        let run = site.build();
        run.assert_ok().assert_stderr_contains(why).assert_stderr_contains("warning[build-cache]");
        assert!(!run.stderr.contains(NOTHING_CHANGED));
        assert!(snapshot(&site.path("public")) == before);
        // The cache was written again and is used by the next build, without the warning.
        let next = site.build();
        assert!(next.assert_ok().stderr.contains(NOTHING_CHANGED) && !next.stderr.contains("build-cache"));
    }
    // A cache of another format version is named as such.
    let text = std::fs::read_to_string(site.path(".public.cache")).unwrap();
    std::fs::write(site.path(".public.cache"), text.replacen("\"format\":2", "\"format\":7", 1)).unwrap();
    site.build().assert_ok().assert_stderr_contains("it has format 7, this generator writes 2");
}

/// The dependency records (`.public.deps`) are used only when they are readable, of this
/// format and of the build that made the output; otherwise the build is whole, and right.
#[test]
fn corrupt_or_foreign_dependency_records_mean_a_whole_build() {
    let site = SiteTest::fixture("multilingual");
    site.build().assert_ok();
    let records = std::fs::read_to_string(site.path(".public.deps")).unwrap();
    let mut body = 0;
    let mut edit_a_page = || {
        body += 1;
        let text = std::fs::read_to_string(site.path("content/o-nas.md")).unwrap();
        site.write("content/o-nas.md", &format!("{text}\nAkapit {body}.\n"));
    };
    for (content, warning) in [
        ("{not json".to_string(), Some("ignoring the build cache: it is unreadable")),
        (records.replacen("\"format\":2", "\"format\":7", 1), Some("it has format 7, this generator writes 2")),
        // Records of another build (as a build killed between its two files leaves them).
        (records.replacen("\"inputs\":\"", "\"inputs\":\"0", 1), None),
    ] {
        std::fs::write(site.path(".public.deps"), &content).unwrap();
        edit_a_page();
        let run = site.build();
        run.assert_ok();
        assert!(!run.stderr.contains(RENDERED_AGAIN), "{}", run.stderr);
        match warning {
            Some(why) => {
                run.assert_stderr_contains(why).assert_stderr_contains(".public.deps");
            }
            None => assert!(!run.stderr.contains("build-cache"), "{}", run.stderr),
        }
        assert!(snapshot(&site.path("public")) == fresh_build(&site, &[], &[]), "{content:.40}");
        // Written again, and used by the next build.
        edit_a_page();
        let next = site.build();
        next.assert_ok().assert_stderr_contains(RENDERED_AGAIN);
        assert!(!next.stderr.contains("build-cache"), "{}", next.stderr);
        assert!(snapshot(&site.path("public")) == fresh_build(&site, &[], &[]));
    }
}

#[test]
fn a_file_changed_without_its_size_or_modification_time_changing_is_still_seen() {
    let site = SiteTest::fixture("multilingual");
    site.build().assert_ok();
    let file = site.path("content/o-nas.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let keep = site.path("o-nas.reference");
    std::process::Command::new("cp").args(["-p"]).arg(&file).arg(&keep).status().unwrap();
    // The same length, one letter changed, and the old modification time put back.
    let changed = original.replacen('a', "e", 1);
    assert_eq!(changed.len(), original.len());
    std::fs::write(&file, &changed).unwrap();
    assert!(std::process::Command::new("touch").arg("-r").arg(&keep).arg(&file).status().unwrap().success());
    std::fs::remove_file(&keep).unwrap();
    let run = site.build();
    assert!(!run.assert_ok().stderr.contains(NOTHING_CHANGED), "{}", run.stderr);
    assert!(snapshot(&site.path("public")) == fresh_build(&site, &[], &[]));
}
