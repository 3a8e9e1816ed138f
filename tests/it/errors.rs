//! Invalid sites: every bad input an editor can produce gets one clear message with file, line
//! and hint, all problems are reported at once, the exit code is 1, and the output folder is
//! left exactly as it was. Each case is `tests/fixtures/invalid/<case>/` laid over the valid
//! multilingual fixture.

use crate::support::{SiteTest, snapshot};

/// Builds the valid site, lays `case` over it, builds again and checks that the failed build
/// changed nothing. Returns the diagnostics printed.
fn fails_without_writing(case: &str) -> String {
    let site = SiteTest::fixture("multilingual");
    site.build().assert_ok();
    let before = snapshot(&site.path("public"));
    let site = site.overlay(&format!("invalid/{case}"));
    let run = site.build();
    run.assert_code(1).assert_stderr_contains("Nothing was written");
    assert_eq!(snapshot(&site.path("public")), before, "the output changed after a failed build");
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
    run.stderr
}

#[test]
fn malformed_toml() {
    let out = fails_without_writing("malformed-toml");
    assert!(out.contains("error[toml-syntax]: invalid TOML: invalid basic string"), "{out}");
    assert!(out.contains("  --> content/o-nas.md:2:15\n"), "{out}");
    assert!(out.contains(" 2 | title = \"O nas\n"));
}

#[test]
fn unknown_front_matter_key() {
    let out = fails_without_writing("unknown-key");
    assert!(
        out.contains("error[unknown-field]: unknown front-matter field `autor`\n  --> content/aktualnosci/c.md:4:1\n"),
        "{out}"
    );
    assert!(out.contains("free data belongs in the [extra] table"));
}

#[test]
fn unknown_language_code_in_a_file_name() {
    let out = fails_without_writing("unknown-language");
    assert!(
        out.contains(
            "error[unknown-language]: `de` in the file name is not a configured language\n  --> content/o-nas.de.md:1\n"
        ),
        "{out}"
    );
    assert!(out.contains("LANG one of pl, en, uk"));
}

#[test]
fn broken_internal_link() {
    let out = fails_without_writing("broken-link");
    assert!(
        out.contains(
            "error[broken-link]: link to @/regulamin.md : no such content file\n  --> content/aktualnosci/b.md:8:8\n"
        ),
        "{out}"
    );
}

#[test]
fn broken_anchor() {
    let out = fails_without_writing("broken-anchor");
    assert!(out.contains("error[broken-anchor]: link to @/o-nas.md#kontakty: the page has no heading with id `kontakty`\n  --> content/aktualnosci/c.md:6:13\n"), "{out}");
    assert!(out.contains("hint: did you mean #kontakt?"));
}

#[test]
fn two_pages_with_the_same_url() {
    let out = fails_without_writing("duplicate-url");
    assert!(
        out.contains(
            "error[duplicate-url]: two pages have the same URL /aktualnosci/a/\n  --> content/aktualnosci/d.md:3:8\n"
        ),
        "{out}"
    );
    assert!(out.contains("content/aktualnosci/a.md has the same URL"));
    assert_eq!(out.matches("error[duplicate-url]").count(), 1, "one report per pair: {out}");
}

#[test]
fn a_slug_that_would_escape_the_output() {
    let out = fails_without_writing("slug-escape");
    assert!(out.contains("error[slug-invalid]: invalid slug `../../etc`"), "{out}");
    assert!(out.contains("  --> content/o-nas.md:3:8\n"));
}

#[test]
fn missing_title() {
    let out = fails_without_writing("missing-title");
    assert!(
        out.contains("error[missing-field]: missing required field `title`\n  --> content/o-nas.md:1:1\n"),
        "{out}"
    );
}

#[test]
fn undeclared_taxonomy() {
    let out = fails_without_writing("unknown-taxonomy");
    assert!(out.contains("error[unknown-taxonomy]: taxonomy `tags` is not declared in config.toml\n  --> content/aktualnosci/c.md:5:1\n"), "{out}");
}

#[test]
fn template_error_names_template_and_line() {
    let out = fails_without_writing("template-error");
    assert!(out.contains("error[template]: template error: undefined value: `page.titel` is undefined\n  --> themes/basic/templates/page.html:5:8\n"), "{out}");
    assert!(out.contains("hint: while rendering content/"));
    assert_eq!(out.matches("error[template]").count(), 1, "one report per template mistake, not per page");
}

#[test]
fn every_problem_of_every_file_at_once() {
    let site = SiteTest::fixture("multilingual");
    site.write("content/o-nas.md", "+++\ntitle = \"O nas\"\nautor = \"x\"\nwieght = 2\n+++\n\n[a](@/brak.md)\n");
    site.write("content/aktualnosci/c.md", "+++\ntitle = \"C\"\ndate = \"2026-04-01\"\n+++\n");
    site.write("content/gminy/x.fr.md", "+++\ntitle = \"X\"\n+++\n");
    let run = site.build();
    run.assert_code(1);
    let out = &run.stderr;
    for expected in [
        "content/o-nas.md:3:1",
        "content/o-nas.md:4:1",
        "did you mean `weight`?",
        "content/aktualnosci/c.md:3:8",
        "write the date without quotes",
        "content/gminy/x.fr.md:1",
        "4 errors in 3 files",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!(!site.path("public").exists(), "nothing is written on errors");
}

#[test]
fn check_reports_json() {
    let site = SiteTest::fixture("multilingual").overlay("invalid/unknown-key");
    let run = site.run(&["check", "--format", "json"]);
    run.assert_code(1);
    let json: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("one JSON object");
    let error = &json["errors"][0];
    assert_eq!(error["code"], "unknown-field");
    assert_eq!(error["file"], "content/aktualnosci/c.md");
    assert_eq!(error["line"], 4);
    assert!(json["warnings"].as_array().unwrap().is_empty());
    assert!(!site.path("public").exists(), "check writes nothing");
}

#[test]
fn refuses_dangerous_output_folders() {
    let site = SiteTest::fixture("multilingual");
    for output in [".", "content", "themes", "content/gminy"] {
        let run = site.run(&["build", "--output", output]);
        run.assert_code(2).assert_stderr_contains("refusing");
    }
    site.write("notes/keep.txt", "mine");
    site.run(&["build", "--output", "notes"]).assert_code(2).assert_stderr_contains("was not written by metroportal");
    assert_eq!(std::fs::read_to_string(site.path("notes/keep.txt")).unwrap(), "mine");
}

#[test]
fn usage_errors_exit_with_2() {
    let site = SiteTest::fixture("multilingual");
    site.run(&["build", "--no-such-flag"]).assert_code(2);
    let empty = tempfile::tempdir().unwrap();
    site.run(&["serve", "--root", empty.path().to_str().unwrap()])
        .assert_code(2)
        .assert_stderr_contains("has no config.toml");
    let run = site.run(&["build", "--root", empty.path().to_str().unwrap()]);
    run.assert_code(1).assert_stderr_contains("config.toml");
}

#[test]
fn unknown_config_key() {
    let out = fails_without_writing("config-unknown-key");
    assert!(out.contains("error[config-invalid]: unknown field `search`"), "{out}");
    assert!(out.contains("  --> config.toml:5:1\n"), "{out}");
}

/// Builds the valid site, lets `change` break it, builds again and checks that the failed build
/// changed nothing. Returns the diagnostics printed.
fn fails_after(change: impl FnOnce(&SiteTest)) -> String {
    let site = SiteTest::fixture("multilingual");
    site.build().assert_ok();
    let before = snapshot(&site.path("public"));
    change(&site);
    let run = site.build();
    run.assert_code(1).assert_stderr_contains("Nothing was written");
    assert_eq!(snapshot(&site.path("public")), before, "the output changed after a failed build");
    run.stderr
}

#[test]
fn an_upper_case_language_code_in_a_file_name() {
    let out = fails_after(|site| site.write("content/kontakt.EN.md", "+++\ntitle = \"Contact\"\n+++\n"));
    assert!(
        out.contains(
            "error[language-case]: `EN` in the file name is written in capitals; language codes are lower-case\n  --> content/kontakt.EN.md:1\n"
        ),
        "{out}"
    );
    assert!(out.contains("hint: rename the file to kontakt.en.md"), "{out}");
    // Not a language at all, in capitals: the same error as `.de.md`.
    let out = fails_after(|site| site.write("content/kontakt.DE.md", "+++\ntitle = \"Kontakt\"\n+++\n"));
    assert!(out.contains("error[unknown-language]: `DE` in the file name is not a configured language"), "{out}");
}

#[test]
fn invalid_utf8_is_reported_at_the_first_bad_byte() {
    let out = fails_after(|site| {
        // Windows-1250: é is 0xE9, ł is 0xB3.
        let mut bytes = b"+++\ntitle = \"Kawiarnia\"\n+++\n\nCaf".to_vec();
        bytes.extend([0xE9, b' ', b'i', b' ', b'k', b'o', 0xB3, b'o', b'\n']);
        std::fs::write(site.path("content/aktualnosci/zle.md"), bytes).unwrap();
    });
    assert!(
        out.contains(
            "error[not-utf8]: the file is not valid UTF-8: byte 0xE9 at line 5, column 4\n  --> content/aktualnosci/zle.md:5:4\n"
        ),
        "{out}"
    );
    assert!(out.contains("hint: re-save the file as UTF-8"), "{out}");
    assert_eq!(out.matches("error[").count(), 1, "{out}");
}

#[test]
fn one_broken_file_gives_exactly_one_error() {
    let broken = "+++\ntitle = \"Zepsuty\n+++\n\nTekst.\n";
    for file in [
        "content/_index.md",
        "content/_index.en.md",
        "content/aktualnosci/_index.md",
        "content/aktualnosci/a.md",
        "content/aktualnosci/a.en.md",
        "content/gminy/_index.md",
        "content/gminy/wieliczka/_index.md",
        "content/gminy/wieliczka/_index.uk.md",
        "content/gminy/wieliczka/київ.uk.md",
    ] {
        let out = fails_after(|site| site.write(file, broken));
        assert_eq!(out.matches("error[").count(), 1, "{file}:\n{out}");
        assert!(
            out.contains(&format!(
                "error[toml-syntax]: invalid TOML: invalid basic string, expected `\"`\n  --> {file}:2:17\n"
            )),
            "{out}"
        );
    }
}

#[test]
fn a_locale_that_plural_rules_cannot_read_is_an_error() {
    let out = fails_after(|site| {
        let config = std::fs::read_to_string(site.path("config.toml")).unwrap();
        site.write("config.toml", &config.replacen("locale = \"pl-PL\"", "locale = \"pl-PL-u-ca-gregory\"", 1));
    });
    assert!(
        out.contains(
            "error[config-locale]: locale `pl-PL-u-ca-gregory` cannot be used for plural rules (Fluent)\n  --> config.toml\n   = language: pl\n   = hint: use a plain language-REGION tag"
        ),
        "{out}"
    );
}

/// Every invalid fixture (`tests/fixtures/invalid/*`, over the typed fixture for `typed-*`, the
/// multilingual one otherwise): the exact diagnostics a person reads (`build`) and a tool reads
/// (`check --format json`) are snapshots (`tests/it/snapshots/`), so a change of wording, file,
/// line or hint is a reviewed change (`cargo insta review`, or `INSTA_UPDATE=always`).
#[test]
fn every_invalid_fixture_has_its_exact_diagnostics() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut cases: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 28, "{cases:?}");
    for case in cases {
        let base = if case.starts_with("typed-") { SiteTest::typed() } else { SiteTest::fixture("multilingual") };
        let site = base.overlay(&format!("invalid/{case}"));
        let build = site.build();
        assert_eq!(build.code, 1, "{case}: {}", build.stderr);
        insta::assert_snapshot!(format!("invalid__{case}__human"), build.stderr);
        let check = site.run(&["check", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&check.stdout)
            .unwrap_or_else(|e| panic!("{case}: check --format json: {e}\n{}", check.stdout));
        let report = serde_json::json!({"errors": json["errors"], "warnings": json["warnings"]});
        insta::assert_snapshot!(format!("invalid__{case}__json"), serde_json::to_string_pretty(&report).unwrap());
    }
}
