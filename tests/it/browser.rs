//! Browser checks in a real headless Chromium: the built multilingual site is served over HTTP
//! and loaded page by page; the language switcher is followed link by link.
//!
//! Skipped (with a message) when Chromium is absent, unless `METROPORTAL_REQUIRE_BROWSER=1`
//! (set by `.ci/run`), which turns a missing browser into a failure.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::SiteTest;

fn chromium() -> Option<PathBuf> {
    let candidates =
        [std::env::var("CHROMIUM").ok(), Some("/usr/bin/chromium".into()), Some("/usr/bin/chromium-browser".into())];
    let found = candidates.into_iter().flatten().map(PathBuf::from).find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var("METROPORTAL_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "METROPORTAL_REQUIRE_BROWSER=1 but no Chromium at /usr/bin/chromium (set CHROMIUM=…)"
        );
        eprintln!("skipped: no Chromium found (install the `chromium` package or set CHROMIUM)");
    }
    found
}

/// Serves `dir` at `http://127.0.0.1:PORT/portal/` in a background thread (the fixture's base
/// path), answering 404 with the site's `404.html`.
fn serve(dir: &Path) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let rel = path.trim_start_matches("/portal/").split(['?', '#']).next().unwrap_or("");
            let mut file = dir.join(rel);
            if file.is_dir() {
                file = file.join("index.html");
            }
            let ok = !rel.contains("..") && file.is_file();
            let (status, body) = if ok {
                ("200 OK", std::fs::read(&file).unwrap())
            } else {
                ("404 Not Found", std::fs::read(dir.join("404.html")).unwrap_or_default())
            };
            let kind = match file.extension().and_then(|e| e.to_str()) {
                Some("css") => "text/css",
                Some("svg") => "image/svg+xml",
                Some("xml") => "application/xml",
                _ => "text/html; charset=utf-8",
            };
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    port
}

/// The DOM of `url` after Chromium loaded it.
fn dump_dom(chromium: &Path, profile: &Path, url: &str) -> String {
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--dump-dom", url])
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&output.stdout).into_owned()
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
    let Some(chromium) = chromium() else { return };
    let site = SiteTest::fixture("multilingual");
    site.build().assert_ok();
    let port = serve(&site.path("public"));
    let profile = tempfile::tempdir().unwrap();
    let origin = format!("http://127.0.0.1:{port}");

    let dom = dump_dom(&chromium, profile.path(), &format!("{origin}/portal/en/about-us/"));
    assert!(dom.contains("<html lang=\"en\">"), "{dom}");
    let links = switcher_links(&dom);
    assert_eq!(links.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(), ["pl", "uk"]);
    for (lang, href) in links {
        let target = dump_dom(&chromium, profile.path(), &format!("{origin}{href}"));
        assert!(target.contains(&format!("<html lang=\"{lang}\">")), "{href}: {target}");
        assert!(target.contains("data-kind=\"page\""));
        // And the way back is offered there.
        assert!(switcher_links(&target).iter().any(|(l, h)| l == "en" && h == "/portal/en/about-us/"));
    }

    // A page shown in Polish for lack of a translation: notice, Polish content, no hreflang.
    let dom = dump_dom(&chromium, profile.path(), &format!("{origin}/portal/uk/aktualnosci/b/"));
    assert!(dom.contains("<html lang=\"uk\">") && dom.contains("<div lang=\"pl\">"), "{dom}");
    assert!(dom.contains("content=\"noindex\""));
    assert!(dom.contains("Ця сторінка ще не перекладена українською"));
    assert_eq!(switcher_links(&dom), [("pl".to_string(), "/portal/aktualnosci/b/".to_string())]);
    assert!(!dom.contains("rel=\"alternate\" hreflang"));

    // An unknown URL gets the 404 page.
    let dom = dump_dom(&chromium, profile.path(), &format!("{origin}/portal/uk/nie-ma/"));
    assert!(dom.contains("data-kind=\"404\""), "{dom}");
}
