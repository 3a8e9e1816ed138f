//! A small Chrome DevTools Protocol driver for the browser tests: starts Debian's headless
//! Chromium, talks to one page over the DevTools websocket, and serves a built site over HTTP.
//!
//! Written here rather than taken from a driver crate: headless_chrome and chromiumoxide could
//! drive the same Debian Chromium, but they are heavy to compile (bindings generated for the
//! whole protocol; chromiumoxide brings an async runtime too), which on a 2-core machine costs
//! more than the handful of protocol calls the tests need, which fit in one file. Playwright
//! would need Node.js inside `cargo test`.
//!
//! `Browser::launch()` returns `None` (and prints "skipped") when no Chromium is installed,
//! unless `METROPORTAL_REQUIRE_BROWSER=1` (set by `.ci/run`), which turns that into a failure.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::prelude::{BASE64_STANDARD, Engine as _};
use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

/// Where Chromium is: `$CHROMIUM`, else the Debian paths.
pub(crate) fn chromium() -> Option<PathBuf> {
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

/// A message the page logged, or a resource that failed to load.
#[derive(Debug, Clone)]
pub(crate) struct LogEntry {
    /// `javascript`, `console`, `network`, …: the DevTools log source.
    pub source: String,
    pub text: String,
    pub url: String,
}

pub(crate) struct Browser {
    child: Child,
    socket: WebSocket<TcpStream>,
    next_id: u64,
    loaded: bool,
    log: Vec<LogEntry>,
    _profile: tempfile::TempDir,
}

const TIMEOUT: Duration = Duration::from_secs(30);

impl Browser {
    /// Starts a headless Chromium with an empty profile and attaches to its first tab.
    pub(crate) fn launch() -> Option<Browser> {
        let binary = chromium()?;
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(&binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--window-size=1280,900",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium");

        // Chromium announces the port it picked on stderr.
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let port = loop {
            line.clear();
            if stderr.read_line(&mut line).unwrap_or(0) == 0 {
                let _ = child.kill();
                panic!("chromium exited before opening the DevTools port");
            }
            if let Some(rest) = line.trim().strip_prefix("DevTools listening on ws://127.0.0.1:") {
                break rest.split('/').next().unwrap().parse::<u16>().unwrap();
            }
        };
        // Keep draining stderr so Chromium never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));

        let targets: Value = serde_json::from_str(&http_get(port, "/json/list")).unwrap();
        let page = targets
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .expect("a page target")["webSocketDebuggerUrl"]
            .as_str()
            .unwrap()
            .to_string();
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        let (socket, _) = tungstenite::client(page.as_str(), stream).expect("DevTools websocket");

        let mut browser = Browser { child, socket, next_id: 0, loaded: false, log: Vec::new(), _profile: profile };
        for domain in ["Page.enable", "Runtime.enable", "Log.enable", "Network.enable"] {
            browser.call(domain, json!({}));
        }
        Some(browser)
    }

    /// Sends one command and waits for its answer, recording the events that arrive meanwhile.
    pub(crate) fn call(&mut self, method: &str, params: Value) -> Value {
        self.try_call(method, params).unwrap_or_else(|error| panic!("{method} failed: {error}"))
    }

    /// Sends one command; its answer, or the error Chromium gave.
    fn try_call(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        let message = json!({"id": id, "method": method, "params": params}).to_string();
        self.socket.send(Message::text(message)).expect("send to Chromium");
        loop {
            let message = self.read();
            if message["id"] == id {
                return match message.get("error") {
                    Some(error) => Err(error.clone()),
                    None => Ok(message["result"].clone()),
                };
            }
            self.record(message);
        }
    }

    fn read(&mut self) -> Value {
        loop {
            match self.socket.read().expect("read from Chromium (timed out?)") {
                Message::Text(text) => return serde_json::from_str(&text).unwrap(),
                Message::Close(_) => panic!("Chromium closed the DevTools connection"),
                _ => continue,
            }
        }
    }

    fn record(&mut self, event: Value) {
        let params = &event["params"];
        match event["method"].as_str().unwrap_or("") {
            "Page.loadEventFired" => self.loaded = true,
            "Runtime.consoleAPICalled" if params["type"] == "error" => {
                let text = params["args"]
                    .as_array()
                    .map(|args| {
                        args.iter()
                            .map(|a| a["value"].as_str().map_or_else(|| a["description"].to_string(), String::from))
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .unwrap_or_default();
                self.log.push(LogEntry { source: "console".into(), text, url: String::new() });
            }
            "Runtime.exceptionThrown" => {
                let details = &params["exceptionDetails"];
                let text = details["exception"]["description"].as_str().or(details["text"].as_str()).unwrap_or("");
                let url = details["url"].as_str().unwrap_or("");
                self.log.push(LogEntry { source: "javascript".into(), text: text.into(), url: url.into() });
            }
            "Log.entryAdded" if params["entry"]["level"] == "error" => {
                let entry = &params["entry"];
                self.log.push(LogEntry {
                    source: entry["source"].as_str().unwrap_or("").into(),
                    text: entry["text"].as_str().unwrap_or("").into(),
                    url: entry["url"].as_str().unwrap_or("").into(),
                });
            }
            _ => {}
        }
    }

    /// Loads `url` and waits for its load event.
    pub(crate) fn navigate(&mut self, url: &str) {
        self.loaded = false;
        let result = self.call("Page.navigate", json!({"url": url}));
        if let Some(error) = result.get("errorText") {
            panic!("navigating to {url}: {error}");
        }
        let start = Instant::now();
        while !self.loaded {
            assert!(start.elapsed() < TIMEOUT, "{url} did not finish loading");
            let message = self.read();
            self.record(message);
        }
    }

    /// Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value
    /// as JSON. An exception fails the test with its message.
    pub(crate) fn eval(&mut self, expression: &str) -> Value {
        let params =
            json!({"expression": expression, "awaitPromise": true, "returnByValue": true, "userGesture": true});
        // An evaluation that meets the page's own navigation (a busy machine can deliver the
        // load event of a page before its document is the one evaluated) is asked again once
        // the navigation is done; any other error fails the test.
        let mut attempts = 0;
        let result = loop {
            match self.try_call("Runtime.evaluate", params.clone()) {
                Ok(result) => break result,
                Err(error) if attempts < 3 && error.to_string().contains("navigated or closed") => {
                    attempts += 1;
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(error) => panic!("Runtime.evaluate failed: {error}"),
            }
        };
        if let Some(details) = result.get("exceptionDetails") {
            let text = details["exception"]["description"].as_str().or(details["text"].as_str()).unwrap_or("");
            panic!("JavaScript error in `{expression}`: {text}");
        }
        result["result"]["value"].clone()
    }

    /// Polls `condition` (a JavaScript expression) until it is truthy.
    pub(crate) fn wait_for(&mut self, condition: &str, timeout: Duration) {
        let start = Instant::now();
        let check = format!("!!({condition})");
        while self.eval(&check) != Value::Bool(true) {
            assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting for `{condition}`");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `console.error` calls, uncaught exceptions and other non-network errors since launch.
    pub(crate) fn console_errors(&self) -> Vec<String> {
        self.log.iter().filter(|e| e.source != "network").map(|e| format!("{} {}", e.text, e.url)).collect()
    }

    /// Resources that failed to load (blocked, refused, 4xx/5xx) since launch.
    pub(crate) fn network_errors(&self) -> Vec<String> {
        self.log.iter().filter(|e| e.source == "network").map(|e| format!("{} {}", e.text, e.url)).collect()
    }

    /// Makes requests to matching URLs fail (`*` is a wildcard), as if the host were down.
    pub(crate) fn block_urls(&mut self, patterns: &[&str]) {
        self.call("Network.setBlockedURLs", json!({"urls": patterns}));
    }

    /// Emulates a window `width`×`height` CSS pixels (a phone below 600 px).
    pub(crate) fn set_viewport(&mut self, width: u32, height: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}),
        );
    }

    /// Writes a PNG of the top of the page, at most `max_height` CSS pixels of it (beyond the
    /// viewport if need be).
    pub(crate) fn screenshot_png(&mut self, path: &Path, max_height: f64) {
        let metrics = self.call("Page.getLayoutMetrics", json!({}));
        let size = &metrics["cssContentSize"];
        let height = size["height"].as_f64().unwrap().min(max_height);
        let clip = json!({"x": 0, "y": 0, "width": size["width"], "height": height, "scale": 1});
        let shot =
            self.call("Page.captureScreenshot", json!({"format": "png", "captureBeyondViewport": true, "clip": clip}));
        let png = BASE64_STANDARD.decode(shot["data"].as_str().unwrap()).expect("base64 from Chromium");
        std::fs::write(path, png).unwrap();
    }

    /// Presses and releases one key: `Tab`, `Enter`, `Escape`, `ArrowDown`, … or a character.
    pub(crate) fn press_key(&mut self, key: &str) {
        let code = match key {
            "Tab" => 9,
            "Enter" => 13,
            "Escape" => 27,
            " " => 32,
            "ArrowLeft" => 37,
            "ArrowUp" => 38,
            "ArrowRight" => 39,
            "ArrowDown" => 40,
            other => other.chars().next().map_or(0, |c| c.to_ascii_uppercase() as u32),
        };
        let text = if key.chars().count() == 1 {
            key
        } else if key == "Enter" {
            "\r"
        } else {
            ""
        };
        let key_code = if key.chars().count() == 1 { format!("Key{}", key.to_ascii_uppercase()) } else { key.into() };
        let down = json!({"type": if text.is_empty() { "rawKeyDown" } else { "keyDown" }, "key": key, "code": key_code,
            "windowsVirtualKeyCode": code, "text": text});
        self.call("Input.dispatchKeyEvent", down);
        self.call(
            "Input.dispatchKeyEvent",
            json!({"type": "keyUp", "key": key, "code": key_code, "windowsVirtualKeyCode": code}),
        );
    }

    /// Clicks the left mouse button at viewport pixels (`x`, `y`), as a person would: pointer
    /// events with coordinates, which menus and maps listen to.
    pub(crate) fn click_at(&mut self, x: f64, y: f64) {
        for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
            let button = if kind == "mouseMoved" { "none" } else { "left" };
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": button, "clickCount": 1}),
            );
        }
    }

    /// Types text into the focused element.
    pub(crate) fn type_text(&mut self, text: &str) {
        self.call("Input.insertText", json!({"text": text}));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A GET to Chromium's DevTools HTTP endpoint (it keeps the connection open, so the body is
/// read by its Content-Length rather than to the end of the stream).
fn http_get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap();
        }
        line.clear();
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    String::from_utf8(body).unwrap()
}

/// The Content-Security-Policy the test server sends: what the theme promises to work under.
pub(crate) const CSP: &str = "default-src 'self'; img-src 'self' data: https:; connect-src 'self'; \
    script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'self'";

/// Serves the built site in `dir` at `http://127.0.0.1:PORT{base_path}` from a background thread,
/// like a plain static host: `index.html` for folders, the language's `404.html` (or the root
/// one) with status 404 for anything else. Every answer carries the strict Content-Security-Policy
/// [`CSP`] (WebAssembly allowed for the search index), so an inline script or style in the theme
/// shows up as a console error. Returns the site's
/// base URL (ending in `/`).
pub(crate) fn serve_dir(dir: &Path, base_path: &str) -> String {
    serve_dir_with_csp(dir, base_path, CSP)
}

/// [`serve_dir`] with another Content-Security-Policy (the vendored CMS under `/admin/` needs
/// more than the theme: see the README, "Editing without git").
pub(crate) fn serve_dir_with_csp(dir: &Path, base_path: &str, csp: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let dir = dir.to_path_buf();
    let base = format!("/{}/", base_path.trim_matches('/')).replace("//", "/");
    let prefix = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (dir, prefix) = (dir.clone(), prefix.clone());
            std::thread::spawn(move || answer(stream, &dir, &prefix, csp));
        }
    });
    format!("http://127.0.0.1:{port}{base}")
}

fn answer(stream: TcpStream, dir: &Path, prefix: &str, csp: &str) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    // Lenient, like a static host: a malformed escape stays as written, invalid UTF-8 becomes U+FFFD.
    let path = percent_encoding::percent_decode_str(target.split(['?', '#']).next().unwrap_or("")).decode_utf8_lossy();
    let relative = path.strip_prefix(prefix).filter(|r| !r.split('/').any(|s| s == "..")).map(str::to_string);
    let mut file = relative.as_ref().map(|r| dir.join(r));
    if let Some(f) = &file
        && f.is_dir()
    {
        file = Some(f.join("index.html"));
    }
    let (status, file) = match file.filter(|f| f.is_file()) {
        Some(f) => ("200 OK", f),
        None => {
            let lang = relative.as_deref().unwrap_or("").split('/').next().unwrap_or("");
            let localized = dir.join(lang).join("404.html");
            ("404 Not Found", if !lang.is_empty() && localized.is_file() { localized } else { dir.join("404.html") })
        }
    };
    let body = std::fs::read(&file).unwrap_or_default();
    let kind = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "geojson" => "application/geo+json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "yml" => "text/yaml; charset=utf-8",
        "png" => "image/png",
        "wasm" => "application/wasm",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nContent-Security-Policy: {csp}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}
