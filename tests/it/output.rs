//! Output guarantees: determinism across thread counts, repeat builds that rewrite nothing,
//! and atomic replacement even when the build is killed with SIGKILL.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::time::Duration;

use crate::support::{SiteTest, snapshot};

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let one = SiteTest::fixture("multilingual");
    one.run_with_env(&["build"], &[("RAYON_NUM_THREADS", "1")]).assert_ok();
    let many = SiteTest::fixture("multilingual");
    many.run_with_env(&["build"], &[("RAYON_NUM_THREADS", "8")]).assert_ok();
    let default = SiteTest::fixture("multilingual");
    default.build().assert_ok();
    let reference = snapshot(&one.path("public"));
    assert!(reference.len() > 40);
    assert!(snapshot(&many.path("public")) == reference, "8 threads differ from 1");
    assert!(snapshot(&default.path("public")) == reference, "default threads differ from 1");
}

fn inodes(site: &SiteTest) -> BTreeMap<String, (u64, i64)> {
    let dir = site.path("public");
    walkdir::WalkDir::new(&dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            (e.path().strip_prefix(&dir).unwrap().display().to_string(), (meta.ino(), meta.mtime_nsec()))
        })
        .collect()
}

#[test]
fn a_repeat_build_rewrites_nothing() {
    let site = SiteTest::fixture("multilingual");
    site.build().assert_ok();
    let first = inodes(&site);
    let run = site.build();
    run.assert_ok().assert_stderr_contains(" 0 written");
    assert_eq!(inodes(&site), first, "files were rewritten");
    // Changing one page rewrites that page and the pages that show its title, nothing else.
    site.write(
        "content/gminy/wieliczka/ośrodek-pomocy.md",
        "+++\ntitle = \"Ośrodek pomocy społecznej\"\n+++\n\nNowy tekst.\n",
    );
    site.build().assert_ok();
    let after = inodes(&site);
    let changed: Vec<&String> = after.iter().filter(|(k, v)| first.get(*k) != Some(v)).map(|(k, _)| k).collect();
    assert_eq!(changed, ["en/gminy/wieliczka/osrodek-pomocy/index.html", "gminy/wieliczka/osrodek-pomocy/index.html"]);
}

/// Writes `n` pages into the fixture's news section, titled with `version`.
fn grow(site: &SiteTest, n: usize, version: &str) {
    for i in 0..n {
        site.write(
            &format!("content/aktualnosci/p{i:04}.md"),
            &format!("+++\ntitle = \"{version} {i}\"\ndate = 2025-01-01\n+++\n\n{}\n", "Tekst wiadomości. ".repeat(40)),
        );
    }
}

#[test]
fn a_killed_build_leaves_the_old_or_the_new_site_complete() {
    let site = SiteTest::fixture("multilingual");
    grow(&site, 1500, "A");
    site.build().assert_ok();
    let old = snapshot(&site.path("public"));
    grow(&site, 1500, "B");
    let reference = SiteTest::fixture("multilingual");
    grow(&reference, 1500, "B");
    reference.build().assert_ok();
    let new = snapshot(&reference.path("public"));
    assert_ne!(old, new);
    let mut seen_new = false;
    for delay_ms in [5, 20, 60, 120, 250, 400, 700] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_metroportal"))
            .arg("build")
            .current_dir(site.root())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = snapshot(&site.path("public"));
        if now == new {
            seen_new = true;
        } else {
            assert!(!seen_new, "went back to the old site after the new one was in place");
            assert!(now == old, "a mix of old and new after a kill at {delay_ms} ms");
        }
    }
    // The next build cleans up what killed builds left and completes.
    site.build().assert_ok();
    assert!(snapshot(&site.path("public")) == new);
    let stray: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with(".public")
                && ![".public.prev", ".public.lock", ".public.cache", ".public.deps"].contains(&n.as_str())
        })
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn a_folder_not_made_by_a_build_is_never_replaced() {
    let site = SiteTest::fixture("multilingual");
    site.write("mine/index.html", "<p>my own page</p>");
    site.write("mine/notes.txt", "keep me");
    let before = snapshot(&site.path("mine"));
    let run = site.run(&["build", "--output", "mine"]);
    run.assert_code(2).assert_stderr_contains(&format!(
        "error: refusing to replace {}: it is not empty and was not written by metroportal (no .metroportal-output file in it); choose an empty or new folder with --output, or move its files away",
        site.path("mine").display()
    ));
    // Twice: the first refusal must not have moved anything aside for the second to delete.
    site.run(&["build", "--output", "mine"]).assert_code(2);
    assert_eq!(snapshot(&site.path("mine")), before);
    assert!(!site.path(".mine.prev").exists());
    // The generator's own output is marked and rebuilt as usual.
    site.build().assert_ok();
    assert!(site.exists(".metroportal-output"));
    site.build().assert_ok();
}
