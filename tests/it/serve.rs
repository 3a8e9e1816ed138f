//! `metroportal serve`: the real binary on a free port against a temporary copy of a fixture
//! site, driven over plain HTTP/1.1 from a std `TcpStream`. Edits, a broken and fixed file,
//! deleted sources, traversal attempts, and Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::support::SiteTest;

/// Generous: the suite runs on a shared 2-core machine beside other builds.
const PATIENCE: Duration = Duration::from_secs(30);

/// A running `serve`; killed when dropped (also when the test panics).
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT/`
    url: String,
    host: String,
    stderr: Arc<Mutex<String>>,
    /// The TMPDIR given to the server, where its preview folder lives.
    tmp: tempfile::TempDir,
}

impl Server {
    fn start(site: &SiteTest) -> Server {
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new(env!("CARGO_BIN_EXE_metroportal"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .env("TMPDIR", tmp.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start metroportal serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(out).read_line(&mut line);
            let _ = tx.send(line);
        });
        let mut server = Server { child, url: String::new(), host: String::new(), stderr, tmp };
        let line = rx.recv_timeout(PATIENCE).unwrap_or_else(|_| panic!("no address printed:\n{}", server.stderr()));
        server.url = line.trim().to_string();
        assert!(
            server.url.starts_with("http://127.0.0.1:"),
            "first line is the address: {line:?}\n{}",
            server.stderr()
        );
        server.host = server.url.trim_start_matches("http://").trim_end_matches('/').to_string();
        server
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The server's stderr once it contains `needle` (it is read by another thread).
    #[track_caller]
    fn stderr_with(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let stderr = self.stderr();
            if stderr.contains(needle) {
                return stderr;
            }
            assert!(start.elapsed() < PATIENCE, "stderr lacks {needle:?}:\n{stderr}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// One request with a raw target (sent as is, so `..` and `%2e` reach the server).
    fn get(&self, target: &str) -> Reply {
        let mut stream = TcpStream::connect(&self.host).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.host).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read response");
        Reply::parse(&raw)
    }

    /// Polls `target` until `ok` holds for the reply.
    #[track_caller]
    fn wait_for(&self, target: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
        let start = Instant::now();
        loop {
            let reply = self.get(target);
            if ok(&reply) {
                return reply;
            }
            if start.elapsed() > PATIENCE {
                panic!(
                    "{target}: {what} did not happen; last reply {} {}\nserver stderr:\n{}",
                    reply.status,
                    reply.body,
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The folder the server builds into (`$TMPDIR/metroportal-serve-<pid>/site`).
    fn output(&self) -> PathBuf {
        self.tmp.path().join(format!("metroportal-serve-{}", self.child.id())).join("site")
    }

    fn events(&self) -> Events {
        let stream = TcpStream::connect(&self.host).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut writer = stream.try_clone().unwrap();
        write!(writer, "GET /__metroportal/events HTTP/1.1\r\nHost: {}\r\n\r\n", self.host).unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        assert!(head.contains("Content-Type: text/event-stream"), "{head}");
        Events { reader }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn parse(raw: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(raw);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        Reply { status, head: head.to_string(), body: body.to_string() }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// The Server-Sent Events stream of build states.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// The data of the next `state` event (heartbeats and `retry` are skipped).
    /// The next state of a successful build, skipping failed attempts.
    fn next_ok_state(&mut self) -> String {
        loop {
            let state = self.next_state();
            if state.ends_with(r#""ok":true}"#) {
                return state;
            }
        }
    }

    fn next_state(&mut self) -> String {
        let mut event = String::new();
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).expect("read event stream");
            assert!(n > 0, "event stream closed");
            let line = line.trim_end_matches('\n');
            if line.is_empty() {
                if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: "))
                    && event.contains("event: state")
                {
                    return data.to_string();
                }
                event.clear();
            } else {
                event.push_str(line);
                event.push('\n');
            }
        }
    }
}

fn append(path: &Path, text: &str) {
    let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

#[test]
fn serves_the_site_and_reloads_after_an_edit() {
    let site = SiteTest::fixture("multilingual");
    let server = Server::start(&site);
    let home = server.get("/");
    assert_eq!(home.status, 200, "{}", server.stderr());
    assert_eq!(home.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(home.body.contains("<script src=\"/__metroportal/livereload.js?build=1\" defer></script></head>"));
    // base_url is the local address, not the configured https://example.org/portal.
    assert!(home.body.contains(&format!("{}en/", server.url)), "{}", home.body);
    assert!(!home.body.contains("example.org/portal"));
    assert!(!site.path("public").exists(), "serve never writes the user's public/");

    let script = server.get("/__metroportal/livereload.js");
    assert_eq!((script.status, script.header("content-type")), (200, Some("text/javascript; charset=utf-8")));
    assert!(script.body.contains("new EventSource('/__metroportal/events')"));
    let sitemap = server.get("/sitemap.xml");
    assert_eq!(sitemap.header("content-type"), Some("application/xml; charset=utf-8"));
    assert!(!sitemap.body.contains("livereload"), "only HTML gets the script");
    assert_eq!(server.get("/aktualnosci/atom.xml").header("content-type"), Some("application/atom+xml; charset=utf-8"));
    assert_eq!(server.get("/gminy/wieliczka/herb.svg").header("content-type"), Some("image/svg+xml"));
    let redirect = server.get("/en?x=1");
    assert_eq!((redirect.status, redirect.header("location")), (301, Some("/en/?x=1")));
    let missing = server.get("/en/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"), "the English 404.html: {}", missing.body);
    assert!(server.get("/no-such-page/").body.contains("Nie znaleziono"), "the Polish 404.html");

    let mut events = server.events();
    assert_eq!(events.next_state(), r#"{"build":1,"attempt":1,"ok":true}"#);
    append(&site.path("content/o-nas.md"), "\nDopisany akapit o dyżurach.\n");
    assert_eq!(events.next_state(), r#"{"build":2,"attempt":2,"ok":true}"#);
    let page = server.get("/o-nas/");
    assert!(page.body.contains("Dopisany akapit o dyżurach."), "{}", page.body);
    assert!(page.body.contains("livereload.js?build=2"));
    // Only what shows the paragraph was rendered again: the page in its three languages (two
    // show the Polish text, one file changed).
    server.stderr_with(
        "Rebuilt 3 of 50 outputs (o-nas/index.html, en/about-us/index.html, uk/o-nas/index.html), 1 written, in ",
    );
}

#[test]
fn a_new_page_reaches_its_lists_and_a_deleted_one_leaves_them() {
    let site = SiteTest::fixture("multilingual");
    let server = Server::start(&site);
    let mut events = server.events();
    events.next_state();
    assert!(!server.get("/aktualnosci/").body.contains("Nowy dyżur"));
    let page = site.path("content/aktualnosci/nowy.md");
    std::fs::write(
        &page,
        "+++\ntitle = \"Nowy dyżur\"\ndate = 2026-06-01\n[taxonomies]\ncategories = [\"Health\"]\n+++\n\nTekst.\n",
    )
    .unwrap();
    assert_eq!(events.next_state(), r#"{"build":2,"attempt":2,"ok":true}"#);
    assert_eq!(server.get("/aktualnosci/nowy/").status, 200);
    assert!(server.get("/aktualnosci/").body.contains("Nowy dyżur"), "the section lists it");
    assert!(server.get("/aktualnosci/atom.xml").body.contains("Nowy dyżur"), "the feed has it");
    assert!(server.get("/sitemap.xml").body.contains("/aktualnosci/nowy/"), "the sitemap has it");

    std::fs::remove_file(&page).unwrap();
    assert_eq!(events.next_state(), r#"{"build":3,"attempt":3,"ok":true}"#);
    assert_eq!(server.get("/aktualnosci/nowy/").status, 404);
    assert!(!server.get("/aktualnosci/").body.contains("Nowy dyżur"), "the section no longer lists it");
    assert!(!server.get("/aktualnosci/atom.xml").body.contains("Nowy dyżur"));
    assert!(!server.get("/sitemap.xml").body.contains("/aktualnosci/nowy/"));
}

#[test]
fn a_broken_file_shows_the_overlay_until_it_is_fixed() {
    let site = SiteTest::fixture("multilingual");
    let server = Server::start(&site);
    let about = server.get("/o-nas/").body;
    let english = server.get("/en/").body;
    let mut events = server.events();
    events.next_state();

    let good = std::fs::read_to_string(site.path("content/o-nas.md")).unwrap();
    std::fs::write(site.path("content/o-nas.md"), good.replacen("title = \"O nas\"", "title = \"O nas", 1)).unwrap();
    assert_eq!(events.next_state(), r#"{"build":1,"attempt":2,"ok":false}"#);
    // The terminal gets the same diagnostics as `build`.
    let stderr = server.stderr_with("Build failed");
    assert!(stderr.contains("error[toml-syntax]: invalid TOML: invalid basic string"), "{stderr}");
    assert!(stderr.contains("  --> content/o-nas.md:2:15\n"), "{stderr}");
    assert!(stderr.contains("the last good build is still served"), "{stderr}");
    // The browser's overlay lists them with file, line, message and hint.
    let overlay = server.get("/__metroportal/errors");
    assert_eq!(overlay.status, 200);
    assert!(
        overlay.body.contains("<h1 id=\"mp-title\">The site could not be rebuilt: 1 error</h1>"),
        "{}",
        overlay.body
    );
    assert!(overlay.body.contains("error[toml-syntax]</span> invalid TOML: invalid basic string"), "{}", overlay.body);
    assert!(overlay.body.contains("<dt>File</dt><dd><code>content/o-nas.md:2:15</code></dd>"));
    assert!(overlay.body.contains("<dt>Line</dt><dd>2</dd>"));
    assert!(overlay.body.contains("<dt>Hint</dt>"), "{}", overlay.body);
    assert!(overlay.body.contains("<link rel=\"stylesheet\" href=\"/__metroportal/overlay.css\">"));
    assert_eq!(server.get("/__metroportal/overlay.css").header("content-type"), Some("text/css; charset=utf-8"));
    // Meanwhile the last good build is served, the broken page included.
    assert_eq!(server.get("/en/").body, english);
    assert_eq!(server.get("/o-nas/").body, about);

    std::fs::write(site.path("content/o-nas.md"), good.replace("Napisz do nas.", "Napisz lub zadzwoń.")).unwrap();
    // On a busy machine the watcher may report the truncated file before the write: that build
    // fails too, and the write's own event brings the good one.
    let fixed = events.next_ok_state();
    assert!(fixed.starts_with(r#"{"build":"#) && fixed.ends_with(r#","ok":true}"#), "{fixed}");
    assert!(server.get("/o-nas/").body.contains("Napisz lub zadzwoń."));
    assert!(server.get("/__metroportal/errors").body.contains("The site was built without errors"));
}

#[test]
fn a_site_that_never_built_serves_the_errors_everywhere_then_recovers() {
    let site = SiteTest::fixture("multilingual").overlay("invalid/malformed-toml");
    let server = Server::start(&site);
    let reply = server.get("/en/");
    assert_eq!(reply.status, 503);
    assert!(reply.body.contains("No build has succeeded yet"), "{}", reply.body);
    assert!(reply.body.contains("content/o-nas.md:2:15"));
    assert!(reply.body.contains("livereload.js?build=0&amp;attempt=1"), "{}", reply.body);
    std::fs::copy(crate::support::fixtures().join("multilingual/content/o-nas.md"), site.path("content/o-nas.md"))
        .unwrap();
    server.wait_for("/en/", "recovery", |r| r.status == 200);
}

#[test]
fn traversal_and_symlinks_out_of_the_tree_are_refused() {
    let site = SiteTest::fixture("multilingual");
    let server = Server::start(&site);
    let secret = "SECRET-7f3a-do-not-serve";
    // Files just outside the served tree, at the places `..` would reach.
    let output = server.output();
    std::fs::write(output.parent().unwrap().join("secret.txt"), secret).unwrap();
    std::fs::write(server.tmp.path().join("secret.txt"), secret).unwrap();
    site.write("secret.txt", secret);
    std::os::unix::fs::symlink(site.path("secret.txt"), output.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(site.root(), output.join("leak-dir")).unwrap();
    for target in [
        "/../Cargo.toml",
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e/",
        "/%2E%2E%2Fsecret.txt",
        "/en/%2e%2e/%2e%2e/secret.txt",
        "/.%2e/.%2e/secret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "//secret.txt",
        &format!("/{}", site.path("secret.txt").display()),
        "/leak.txt",
        "/leak-dir/secret.txt",
        "/leak-dir/config.toml",
    ] {
        let reply = server.get(target);
        assert!(matches!(reply.status, 403 | 404), "{target}: {} {}", reply.status, reply.body);
        assert!(!reply.body.contains(secret) && !reply.body.contains("root:"), "{target} leaked: {}", reply.body);
        assert!(!reply.body.contains("base_url"), "{target} leaked config.toml");
    }
    assert_eq!(server.get("/leak.txt").status, 403);
    assert_eq!(server.get("/%2e%2e/").status, 403);
    assert_eq!(server.get("/en/").status, 200, "the server still serves after the attempts");
}

#[test]
fn survives_sources_deleted_and_renamed_while_running() {
    let site = SiteTest::fixture("multilingual");
    let server = Server::start(&site);
    assert_eq!(server.get("/aktualnosci/c/").status, 200);
    std::fs::remove_file(site.path("content/aktualnosci/c.md")).unwrap();
    let gone = server.wait_for("/aktualnosci/c/", "the deleted page is gone", |r| r.status == 404);
    assert!(gone.body.contains("Nie znaleziono"), "the site's 404.html: {}", gone.body);
    std::fs::rename(site.path("content/gminy/wieliczka/київ.uk.md"), site.path("content/gminy/wieliczka/львів.uk.md"))
        .unwrap();
    server.wait_for("/uk/gminy/wieliczka/lviv/", "the renamed page appears", |r| r.status == 200);
    assert_eq!(server.get("/uk/gminy/wieliczka/kyiv/").status, 404);
    // A whole section deleted while other pages still link to it: the rebuild fails, and the
    // server keeps serving the last good build, the deleted section included.
    let mut events = server.events();
    events.next_state();
    std::fs::remove_dir_all(site.path("content/gminy")).unwrap();
    assert!(events.next_state().ends_with(r#""ok":false}"#));
    assert_eq!(server.get("/gminy/").status, 200);
    assert!(server.get("/__metroportal/errors").body.contains("content/aktualnosci/b.md:8"));
}

#[test]
fn ctrl_c_stops_and_removes_the_preview_folder() {
    let site = SiteTest::fixture("multilingual");
    let mut server = Server::start(&site);
    let work = server.output().parent().unwrap().to_path_buf();
    assert!(work.join("site/index.html").is_file());
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(server.child.id() as libc::pid_t, libc::SIGINT) }, 0);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < PATIENCE, "serve did not stop after SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "{}", server.stderr());
    assert!(!work.exists(), "the preview folder {} is left behind", work.display());
    assert_eq!(std::fs::read_dir(server.tmp.path()).unwrap().count(), 0, "nothing else is left in TMPDIR");
    server.stderr_with("Stopped (Ctrl-C)");
}

#[test]
fn a_taken_port_is_a_usage_error() {
    let site = SiteTest::fixture("multilingual");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = site.run(&["serve", "--port", &port]);
    run.assert_code(2).assert_stderr_contains("cannot listen on 127.0.0.1:");
    run.assert_stderr_contains("try --port 0");
}

/// The reload script and the overlay in headless Chromium: a saved edit reloads the open tab, a
/// broken file opens the error dialog over the last good page, the fix closes it and reloads.
#[test]
fn live_reload_and_overlay_in_a_browser() {
    let Some(mut browser) = crate::cdp::Browser::launch() else { return };
    let site = SiteTest::fixture("multilingual");
    let server = Server::start(&site);
    browser.navigate(&format!("{}o-nas/", server.url));
    // Wait until the script's event stream is open, so that no build is missed.
    browser.wait_for("document.documentElement.hasAttribute('data-metroportal-attempt')", PATIENCE);
    browser.eval("window.mpMark = 'before'");

    let good = std::fs::read_to_string(site.path("content/o-nas.md")).unwrap();
    std::fs::write(site.path("content/o-nas.md"), good.replace("Napisz do nas.", "Napisz do nas jutro.")).unwrap();
    browser.wait_for(
        "window.mpMark === undefined && document.body?.textContent.includes('Napisz do nas jutro.')",
        PATIENCE,
    );
    browser.eval("window.mpMark = 'reloaded'");

    std::fs::write(site.path("content/o-nas.md"), good.replacen("title = \"O nas\"", "title = \"O nas", 1)).unwrap();
    let dialog = "document.querySelector('[data-metroportal-overlay-host]')?.shadowRoot?.querySelector('dialog[open]')";
    browser.wait_for(&format!("{dialog}?.textContent.includes('content/o-nas.md:2:15')"), PATIENCE);
    let text = browser.eval(&format!("{dialog}.textContent")).as_str().unwrap().to_string();
    assert!(text.contains("invalid TOML: invalid basic string"), "{text}");
    assert!(text.contains("Hint"), "{text}");
    assert_eq!(browser.eval("window.mpMark"), "reloaded", "a failed build does not reload the page");
    assert!(
        browser.eval("document.body?.textContent.includes('Napisz do nas jutro.')").as_bool().unwrap(),
        "the last good page is beneath"
    );
    // Escape closes the dialog and shows the last good page.
    browser.press_key("Escape");
    browser.wait_for(&format!("!{dialog}"), PATIENCE);

    std::fs::write(site.path("content/o-nas.md"), good.replace("Napisz do nas.", "Napisz do nas dziś.")).unwrap();
    browser.wait_for(
        "window.mpMark === undefined && document.body?.textContent.includes('Napisz do nas dziś.')",
        PATIENCE,
    );
    assert_eq!(browser.eval("document.querySelectorAll('[data-metroportal-overlay-host]').length"), 0);
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

/// Rebuilds after a change carry the search index over (indexing costs more than the rest of
/// the build); once the editor pauses, the index is rebuilt without reloading the tabs.
#[test]
fn the_search_index_follows_after_a_pause() {
    let site = SiteTest::typed();
    let server = Server::start(&site);
    let bundle = std::fs::read_dir(server.output().join("pagefind"))
        .expect("the first build writes the search index")
        .flatten()
        .next()
        .unwrap()
        .file_name()
        .to_string_lossy()
        .into_owned();
    let entry_path = format!("/pagefind/{bundle}/pagefind-entry.json");
    let entry = server.get(&entry_path);
    assert_eq!((entry.status, entry.header("content-type")), (200, Some("application/json")));
    let fragment = std::fs::read_dir(server.output().join("pagefind").join(&bundle).join("fragment"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .file_name();
    let fragment = server.get(&format!("/pagefind/{bundle}/fragment/{}", fragment.to_string_lossy()));
    assert_eq!(fragment.header("content-type"), Some("application/octet-stream"));

    let mut events = server.events();
    events.next_state();
    append(&site.path("content/o-stowarzyszeniu.md"), "\nSłowo kluczowe: zupełnienowesłowo.\n");
    assert_eq!(events.next_state(), r#"{"build":2,"attempt":2,"ok":true}"#);
    assert_eq!(server.get(&entry_path).body, entry.body, "the rebuild kept the index");
    server.stderr_with("Updated the search index");
    assert_ne!(server.get(&entry_path).body, entry.body, "the index was rebuilt with the new text");
    // No reload for it: the next event is the next change's.
    append(&site.path("content/o-stowarzyszeniu.md"), "\nJeszcze jedno zdanie.\n");
    assert_eq!(events.next_state(), r#"{"build":3,"attempt":3,"ok":true}"#);
}
