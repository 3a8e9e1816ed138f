//! The dev server's HTTP side: a small HTTP/1.1 server (GET and HEAD) over std threads that
//! serves only the built tree, plus the live-reload endpoints under `/__metroportal/`.
//!
//! Hand-written rather than axum + tower-http: every part that matters here is custom anyway
//! (path checks that refuse symlinks leaving the tree, which `ServeDir` follows; a 404 page per
//! language; the reload script injected into HTML; the error overlay), a dev server on loopback
//! needs no more than GET/HEAD with keep-alive, and this keeps tokio, hyper, axum and tower out
//! of the build. One thread per connection; the Server-Sent Events stream holds one while a tab
//! is open.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::{Shared, overlay};

/// Where the server's own files live; no site path can start with it (the output never has
/// a folder named like this, and the build refuses nothing here, so it is checked first).
pub(super) const PREFIX: &str = "/__metroportal/";
const LIVERELOAD_JS: &str = include_str!("client/livereload.js");
const OVERLAY_CSS: &str = include_str!("client/overlay.css");

/// Longest request head (request line and headers) accepted.
const MAX_HEAD: usize = 16 * 1024;
/// How long an idle keep-alive connection is kept.
const IDLE: Duration = Duration::from_secs(5);
/// More connections than this at once get a 503: a browser opens six, a test a few.
const MAX_CONNECTIONS: usize = 256;
/// How often an idle event stream sends a comment, so that closed tabs free their thread.
const HEARTBEAT: Duration = Duration::from_secs(15);

static OPEN_CONNECTIONS: AtomicUsize = AtomicUsize::new(0);

/// Why a request path is refused before the filesystem is consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refusal {
    /// Not a path at all (no leading `/`, bad percent-encoding, control characters): 400.
    BadRequest,
    /// A path that tries to leave the tree (`..`, encoded separators, `//`, `\`): 403.
    Forbidden,
}

/// A request path checked and decoded: its segments, and whether it ended with `/`.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct SitePath {
    pub segments: Vec<String>,
    pub trailing_slash: bool,
}

/// Checks and decodes the path of a request target (`/en/about/?x=1`).
///
/// Refused: anything but an origin-form path; `//` at the start (`//etc/passwd` is an absolute
/// path to some servers); backslashes and encoded separators (`%2f`, `%5c`) in any case, which
/// would let a `..` hide inside one segment; `.` and `..` segments, also when percent-encoded
/// (`%2e%2e`); NUL and control characters.
pub(super) fn resolve_target(target: &str) -> Result<SitePath, Refusal> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        return Err(Refusal::BadRequest);
    }
    if !path.starts_with('/') {
        return Err(Refusal::BadRequest);
    }
    if path.starts_with("//") || path.contains('\\') {
        return Err(Refusal::Forbidden);
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") {
        return Err(Refusal::Forbidden);
    }
    if !well_formed_escapes(path) {
        return Err(Refusal::BadRequest);
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().map_err(|_| Refusal::BadRequest)?;
    if decoded.chars().any(char::is_control) {
        return Err(Refusal::BadRequest);
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/').skip(1) {
        match segment {
            "" => {}
            "." | ".." => return Err(Refusal::Forbidden),
            s => segments.push(s.to_string()),
        }
    }
    Ok(SitePath { segments, trailing_slash: decoded.ends_with('/') })
}

/// Whether every `%` starts an escape of two hex digits. `percent_encoding` passes a malformed
/// one (`%zz`, a `%` at the end) through as it is; a request with one is refused instead.
fn well_formed_escapes(path: &str) -> bool {
    path.split('%')
        .skip(1)
        .all(|rest| rest.as_bytes().get(..2).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)))
}

/// What a checked path names in the output tree.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Lookup {
    File(PathBuf),
    /// A folder asked for without the trailing slash: redirect so relative links work.
    AddSlash,
    NotFound,
    /// It exists, but only by leaving the tree (a symlink pointing outside).
    Forbidden,
}

/// Finds the file a checked path names under `root` (canonical). Every candidate is
/// canonicalized and must still be inside `root`, so symlinks cannot lead out of the tree.
pub(super) fn lookup(root: &Path, path: &SitePath) -> Lookup {
    let mut candidate = root.to_path_buf();
    candidate.extend(&path.segments);
    let Ok(real) = candidate.canonicalize() else { return Lookup::NotFound };
    if !real.starts_with(root) {
        return Lookup::Forbidden;
    }
    match std::fs::metadata(&real) {
        Ok(meta) if meta.is_dir() => {
            if !path.trailing_slash && !path.segments.is_empty() {
                return Lookup::AddSlash;
            }
            match real.join("index.html").canonicalize() {
                Ok(index) if !index.starts_with(root) => Lookup::Forbidden,
                Ok(index) if index.is_file() => Lookup::File(index),
                _ => Lookup::NotFound,
            }
        }
        Ok(_) if path.trailing_slash => Lookup::NotFound,
        Ok(_) => Lookup::File(real),
        Err(_) => Lookup::NotFound,
    }
}

/// The `404.html` for a missing path: the one of its language folder (`/en/…` →
/// `en/404.html`) when there is one, else the site's root `404.html`.
pub(super) fn not_found_page(root: &Path, path: &SitePath) -> Option<PathBuf> {
    let first = path.segments.first().filter(|_| path.segments.len() > 1 || path.trailing_slash);
    let candidates = first.map(|lang| root.join(lang).join("404.html")).into_iter().chain([root.join("404.html")]);
    candidates.filter_map(|p| p.canonicalize().ok()).find(|p| p.starts_with(root) && p.is_file())
}

/// The Content-Type of a file of the built site, by its name.
pub(super) fn content_type(path: &Path) -> &'static str {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if name == "atom.xml" {
        return "application/atom+xml; charset=utf-8";
    }
    let ext = name.rsplit_once('.').map_or("", |(_, ext)| ext);
    match ext {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "geojson" => "application/geo+json",
        "svg" => "image/svg+xml",
        "xml" | "xsl" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "wasm" => "application/wasm",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/vnd.microsoft.icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        // Pagefind's index files (`.pf_meta`, `.pf_index`, `.pf_fragment`, `wasm.*.pagefind`)
        // are compressed binaries, as is anything unknown.
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script to an HTML page: before `</head>`, else before `</body>`,
/// else at the end. `build` tells the script which build it was served from.
pub(super) fn inject_reload_script(html: &[u8], build: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}livereload.js?build={build}\" defer></script>");
    let at = find_ascii_ci(html, b"</head>").or_else(|| find_ascii_ci(html, b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

/// One response, written with a Content-Length (except the event stream).
struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Response {
    fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Response { status, content_type, body: body.into(), location: None }
    }

    fn text(status: u16, body: &str) -> Self {
        Response::new(status, "text/plain; charset=utf-8", format!("{body}\n"))
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// A parsed request head.
struct Request {
    method: String,
    target: String,
    keep_alive: bool,
}

/// Reads one request head; `Ok(None)` when the client closed the connection or went idle.
fn read_request(reader: &mut BufReader<TcpStream>) -> io::Result<Result<Option<Request>, u16>> {
    let mut head_len = 0;
    let mut line = String::new();
    let mut limited = reader.by_ref().take(MAX_HEAD as u64);
    // Tolerate empty lines before a request line (RFC 9112 §2.2).
    loop {
        line.clear();
        match limited.read_line(&mut line) {
            Ok(0) => return Ok(Ok(None)),
            Ok(n) => head_len += n,
            Err(err) if matches!(err.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                return Ok(Ok(None));
            }
            Err(err) if err.kind() == io::ErrorKind::InvalidData => return Ok(Err(400)),
            Err(err) => return Err(err),
        }
        if !line.trim().is_empty() {
            break;
        }
        if head_len >= MAX_HEAD {
            return Ok(Err(431));
        }
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Ok(Err(400));
    };
    if !version.starts_with("HTTP/1.") {
        return Ok(Err(400));
    }
    let mut request =
        Request { method: method.to_string(), target: target.to_string(), keep_alive: version == "HTTP/1.1" };
    let mut body_len: u64 = 0;
    loop {
        let mut header = String::new();
        let n = match limited.read_line(&mut header) {
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::InvalidData => return Ok(Err(400)),
            Err(err) => return Err(err),
        };
        head_len += n;
        if n == 0 || !header.ends_with('\n') {
            return Ok(Err(if head_len >= MAX_HEAD { 431 } else { 400 }));
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else { return Ok(Err(400)) };
        let value = value.trim();
        if name.eq_ignore_ascii_case("connection") {
            let value = value.to_ascii_lowercase();
            if value.contains("close") {
                request.keep_alive = false;
            } else if value.contains("keep-alive") {
                request.keep_alive = true;
            }
        } else if name.eq_ignore_ascii_case("content-length") {
            let Ok(len) = value.parse() else { return Ok(Err(400)) };
            body_len = len;
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // No request this server answers has a body; refuse rather than mis-frame.
            return Ok(Err(400));
        }
    }
    if body_len > 0 {
        // GET and HEAD bodies mean nothing; drop them to keep the connection in step.
        if body_len > 1 << 20 {
            return Ok(Err(400));
        }
        io::copy(&mut reader.by_ref().take(body_len), &mut io::sink())?;
    }
    Ok(Ok(Some(request)))
}

/// Serves one connection until it closes, goes idle or asks for the event stream.
pub(super) fn handle_connection(stream: TcpStream, shared: &Shared) {
    if OPEN_CONNECTIONS.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
        let mut stream = stream;
        let _ = write_response(&mut stream, &Response::text(503, "too many connections"), false, false);
        OPEN_CONNECTIONS.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    let _ = serve(stream, shared);
    OPEN_CONNECTIONS.fetch_sub(1, Ordering::SeqCst);
}

fn serve(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let _ = stream.set_nodelay(true);
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let request = match read_request(&mut reader)? {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(status) => {
                let message = if status == 431 { "request head too large" } else { "malformed request" };
                return write_response(&mut writer, &Response::text(status, message), false, false);
            }
        };
        let head = request.method == "HEAD";
        if request.method != "GET" && !head {
            write_response(&mut writer, &Response::text(405, "only GET and HEAD are served"), head, false)?;
            return Ok(());
        }
        let path = request.target.split(['?', '#']).next().unwrap_or("");
        if path == format!("{PREFIX}events") && !head {
            return event_stream(&mut writer, shared);
        }
        let response = respond(&request.target, shared);
        write_response(&mut writer, &response, head, request.keep_alive)?;
        if !request.keep_alive {
            return Ok(());
        }
    }
}

fn write_response(writer: &mut TcpStream, response: &Response, head: bool, keep_alive: bool) -> io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: {}\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    );
    if response.status == 405 {
        out.push_str("Allow: GET, HEAD\r\n");
    }
    if let Some(location) = &response.location {
        out.push_str(&format!("Location: {location}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head {
        bytes.extend_from_slice(&response.body);
    }
    writer.write_all(&bytes)?;
    writer.flush()
}

/// The response to a GET of `target` (HEAD drops the body later).
fn respond(target: &str, shared: &Shared) -> Response {
    let raw_path = target.split(['?', '#']).next().unwrap_or("");
    if let Some(name) = raw_path.strip_prefix(PREFIX) {
        return match name {
            "livereload.js" => Response::new(200, "text/javascript; charset=utf-8", LIVERELOAD_JS),
            "overlay.css" => Response::new(200, "text/css; charset=utf-8", OVERLAY_CSS),
            "errors" => {
                let state = shared.snapshot();
                Response::new(200, "text/html; charset=utf-8", overlay::page(&state))
            }
            _ => Response::text(404, "not found"),
        };
    }
    let path = match resolve_target(target) {
        Ok(path) => path,
        Err(Refusal::BadRequest) => return Response::text(400, "malformed request path"),
        Err(Refusal::Forbidden) => return Response::text(403, "forbidden: only the built site is served"),
    };
    // Read the build number before the file: if a rebuild lands in between, the page is newer
    // than its number says and the script reloads once more, instead of missing a reload.
    let state = shared.snapshot();
    if state.good == 0 {
        // No build has succeeded yet: there is nothing to serve but the errors.
        return Response::new(503, "text/html; charset=utf-8", overlay::page(&state));
    }
    let root = &shared.output;
    let (status, file) = match lookup(root, &path) {
        Lookup::File(file) => (200, Some(file)),
        Lookup::AddSlash => {
            let query = target.find('?').map_or("", |i| &target[i..]);
            let mut response = Response::text(301, "moved");
            response.location = Some(format!("{raw_path}/{query}"));
            return response;
        }
        Lookup::Forbidden => return Response::text(403, "forbidden: only the built site is served"),
        Lookup::NotFound => (404, not_found_page(root, &path)),
    };
    let Some(file) = file else { return Response::text(404, "not found") };
    // The file may vanish between the lookup and the read (a rebuild swapping the tree, a
    // deleted page): that is a 404, never an error page with a path in it.
    let Ok(bytes) = std::fs::read(&file) else { return Response::text(404, "not found") };
    let content_type = content_type(&file);
    let body = if content_type.starts_with("text/html") { inject_reload_script(&bytes, state.good) } else { bytes };
    Response::new(status, content_type, body)
}

/// `GET /__metroportal/events`: a Server-Sent Events stream of the build state, sent at once
/// and after every build. The client reloads when `build` differs from the page's build and
/// shows the overlay while `ok` is false.
fn event_stream(writer: &mut TcpStream, shared: &Shared) -> io::Result<()> {
    writer.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
          X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 500\n\n",
    )?;
    let mut seen = None;
    loop {
        let (attempt, event) = shared.wait_for_change(seen, HEARTBEAT);
        if shared.is_stopping() {
            return Ok(());
        }
        match event {
            Some(data) => writer.write_all(format!("event: state\ndata: {data}\n\n").as_bytes())?,
            None => writer.write_all(b": still here\n\n")?,
        }
        writer.flush()?;
        seen = Some(attempt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(target: &str) -> Vec<String> {
        resolve_target(target).unwrap().segments
    }

    #[test]
    fn plain_paths_are_decoded() {
        assert_eq!(segments("/"), Vec::<String>::new());
        assert_eq!(segments("/en/about/?q=1"), ["en", "about"]);
        assert!(resolve_target("/en/about/").unwrap().trailing_slash);
        assert!(!resolve_target("/en/about").unwrap().trailing_slash);
        assert_eq!(segments("/uk/%D0%BA%D0%B8%D1%97%D0%B2/"), ["uk", "київ"]);
        assert_eq!(segments("/a%20b.html"), ["a b.html"]);
    }

    #[test]
    fn traversal_is_refused() {
        for target in [
            "/../Cargo.toml",
            "/en/../../etc/passwd",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/",
            "/%2E%2E%2FCargo.toml",
            "/a%2fb",
            "/a%5C..%5Cb",
            "//etc/passwd",
            "/en\\..\\x",
            "/./index.html",
            "/.%2e/x",
        ] {
            assert_eq!(resolve_target(target), Err(Refusal::Forbidden), "{target}");
        }
        for target in [
            "http://example.org/",
            "etc/passwd",
            "/%zz",
            "/%00",
            "/%ff",
            "/a\u{7f}",
            "*",
            "/a%",
            "/a%4",
            "/%+1",
            "/%%41",
        ] {
            assert_eq!(resolve_target(target), Err(Refusal::BadRequest), "{target}");
        }
    }

    #[test]
    fn lookup_stays_in_the_tree() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("en/about")).unwrap();
        std::fs::write(root.join("en/about/index.html"), "about").unwrap();
        std::fs::write(root.join("en/404.html"), "nie").unwrap();
        std::fs::write(root.join("404.html"), "brak").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
        std::os::unix::fs::symlink(root.join("en/about/index.html"), root.join("inside.html")).unwrap();
        let root = root.canonicalize().unwrap();
        let look = |t: &str| lookup(&root, &resolve_target(t).unwrap());
        assert_eq!(look("/en/about/"), Lookup::File(root.join("en/about/index.html")));
        assert_eq!(look("/en/about"), Lookup::AddSlash);
        assert_eq!(look("/en/about/index.html/"), Lookup::NotFound);
        assert_eq!(look("/leak.txt"), Lookup::Forbidden);
        assert_eq!(look("/up/secret.txt"), Lookup::Forbidden);
        // Leaving through a symlink and coming back in is still inside the tree.
        assert_eq!(look("/up/site/404.html"), Lookup::File(root.join("404.html")));
        assert_eq!(look("/inside.html"), Lookup::File(root.join("en/about/index.html")));
        assert_eq!(look("/nope"), Lookup::NotFound);
        let not_found = |t: &str| not_found_page(&root, &resolve_target(t).unwrap());
        assert_eq!(not_found("/en/nope/"), Some(root.join("en/404.html")));
        assert_eq!(not_found("/en/"), Some(root.join("en/404.html")));
        assert_eq!(not_found("/uk/nope/"), Some(root.join("404.html")));
        assert_eq!(not_found("/nope"), Some(root.join("404.html")));
    }

    #[test]
    fn content_types() {
        let t = |name: &str| content_type(Path::new(name));
        assert_eq!(t("index.html"), "text/html; charset=utf-8");
        assert_eq!(t("css/site.0123456789.css"), "text/css; charset=utf-8");
        assert_eq!(t("js/map.0123456789.js"), "text/javascript; charset=utf-8");
        assert_eq!(t("dane/uslugi.json"), "application/json");
        assert_eq!(t("dane/uslugi.geojson"), "application/geo+json");
        assert_eq!(t("mapa.svg"), "image/svg+xml");
        assert_eq!(t("sitemap.xml"), "application/xml; charset=utf-8");
        assert_eq!(t("forum/atom.xml"), "application/atom+xml; charset=utf-8");
        assert_eq!(t("pagefind/wasm.pl.pagefind"), "application/octet-stream");
        assert_eq!(t("pagefind/pagefind.wasm"), "application/wasm");
        assert_eq!(t("logo.PNG"), "image/png");
        assert_eq!(t("fonts/a.woff2"), "font/woff2");
        assert_eq!(t("pagefind/pagefind-entry.json"), "application/json");
        assert_eq!(t("pagefind/index/pl_1a2b.pf_index"), "application/octet-stream");
        assert_eq!(t("pagefind/pl_1a2b.pf_meta"), "application/octet-stream");
    }

    #[test]
    fn script_goes_before_head_end() {
        let out = inject_reload_script(b"<html><HEAD><title>x</title></HEAD><body></body></html>", 7);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><HEAD><title>x</title><script src=\"/__metroportal/livereload.js?build=7\" defer></script></HEAD><body></body></html>"
        );
        let out = inject_reload_script(b"<p>fragment", 1);
        assert!(String::from_utf8(out).unwrap().ends_with("defer></script>"));
    }
}
