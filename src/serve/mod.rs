//! `metroportal serve`: builds the site into a private folder under the OS temp dir (never the
//! user's `public/`), serves it on loopback, rebuilds when a source changes and tells open
//! tabs to reload. A failed rebuild keeps the last good build served, prints the diagnostics
//! like `build` does, and shows them in the browser over the page; the next good build
//! clears them. Ctrl-C (or SIGTERM) waits for a running build and removes the private folder.
//!
//! Threads: the accept loop (one thread per connection, see [`http`]), the rebuild thread fed
//! by the [`watch`]er, and a signal thread. They share [`Shared`]: the build state, with a
//! condition variable the event streams wait on.

mod http;
mod overlay;
mod watch;

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, display_path, render_human};
use crate::site::{self, BuildError, BuildOptions, SearchIndex};

/// What `metroportal serve` was asked to do.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
}

/// The build state the server and the event streams share.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    /// Number of the last successful build (0: none yet). Pages carry it; a client whose page
    /// has another number reloads.
    pub good: u64,
    /// Number of the last build attempt, successful or not.
    pub attempt: u64,
    /// The diagnostics of the last attempt, when it failed.
    pub failure: Option<Arc<Vec<Diagnostic>>>,
}

impl State {
    /// The payload of a Server-Sent `state` event.
    fn event(&self) -> String {
        format!("{{\"build\":{},\"attempt\":{},\"ok\":{}}}", self.good, self.attempt, self.failure.is_none())
    }
}

/// What the threads share.
pub(crate) struct Shared {
    /// The served tree (canonical). Rebuilds swap its contents, never its path.
    pub output: PathBuf,
    state: Mutex<State>,
    changed: Condvar,
    /// Held while a build runs, so that shutdown never removes a folder being written.
    building: Mutex<()>,
    stopping: AtomicBool,
}

impl Shared {
    fn new(output: PathBuf) -> Shared {
        Shared {
            output,
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
            building: Mutex::new(()),
            stopping: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn snapshot(&self) -> State {
        self.lock().clone()
    }

    /// Records the outcome of a build and wakes every event stream.
    fn publish(&self, failure: Option<Vec<Diagnostic>>) {
        let mut state = self.lock();
        state.attempt += 1;
        if failure.is_none() {
            state.good = state.attempt;
        }
        state.failure = failure.map(Arc::new);
        drop(state);
        self.changed.notify_all();
    }

    /// Waits until the attempt number differs from `seen` (or `timeout` passes, or the server
    /// stops); returns the current attempt and the event to send, if there is news.
    pub(crate) fn wait_for_change(&self, seen: Option<u64>, timeout: Duration) -> (u64, Option<String>) {
        let state = self.lock();
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| Some(s.attempt) == seen && !self.is_stopping())
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let news = (Some(state.attempt) != seen).then(|| state.event());
        (state.attempt, news)
    }

    pub(crate) fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }
}

/// Runs the dev server until Ctrl-C; returns the exit code (2 when it cannot start).
pub(crate) fn run(options: ServeOptions) -> i32 {
    // Before any thread exists, so that every thread inherits the mask and only the signal
    // thread receives SIGINT/SIGTERM (a handler could do almost nothing safely).
    let signals = signals::block();
    let root = match options.root.canonicalize() {
        Ok(root) if root.join("config.toml").is_file() => root,
        Ok(root) => {
            eprintln!("error: {} has no config.toml; pass the site folder with --root", root.display());
            return 2;
        }
        Err(err) => {
            eprintln!("error: cannot open the site folder {}: {err}", options.root.display());
            return 2;
        }
    };
    let listener = match TcpListener::bind((options.bind.as_str(), options.port)) {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("error: cannot listen on {}:{}: {err}", options.bind, options.port);
            eprintln!("   = hint: another program may use that port; try --port 0 to pick a free one");
            return 2;
        }
    };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(err) => {
            eprintln!("error: cannot read the listening address: {err}");
            return 2;
        }
    };
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {addr}, which other computers may reach; the default --bind 127.0.0.1 \
             keeps the preview on this computer"
        );
    }
    let url = local_url(addr);
    let work = std::env::temp_dir().join(format!("metroportal-serve-{}", std::process::id()));
    let output = work.join("site");
    // A folder of an earlier process with the same id (killed, id reused) is stale.
    let _ = std::fs::remove_dir_all(&work);
    let output = match std::fs::create_dir_all(&output).and_then(|()| output.canonicalize()) {
        Ok(output) => output,
        Err(err) => {
            eprintln!("error: cannot create the preview folder {}: {err}", output.display());
            return 2;
        }
    };
    let shared = Arc::new(Shared::new(output.clone()));
    let session = site::incremental::Session::new(BuildOptions {
        root: root.clone(),
        output,
        base_url: Some(url.clone()),
        drafts: false,
        search_index: SearchIndex::Write,
        cache: false,
    });
    let builder = Builder { session, shared: shared.clone(), warnings: Vec::new() };
    eprintln!("Building {} into {} (removed on exit)", root.display(), work.display());
    let (tx, rx) = mpsc::channel();
    let watcher = match watch::Watcher::start(&root, tx) {
        Ok(watcher) => watcher,
        Err(err) => {
            eprintln!("error: cannot watch {} for changes: {err}", root.display());
            let _ = std::fs::remove_dir_all(&work);
            return 2;
        }
    };
    let mut builder = builder;
    builder.build(&[], Build::First);
    let spawned = std::thread::Builder::new().name("rebuild".into()).spawn(move || {
        let mut watcher = watcher;
        // Rebuilds after a change keep the previous search index (indexing takes longer than
        // the rest of the build); the index is brought up to date once the editor pauses.
        let mut index_stale = false;
        loop {
            let mut batch = if index_stale {
                match rx.recv_timeout(REINDEX_AFTER) {
                    Ok(batch) => batch,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        builder.build(&[], Build::Reindex);
                        index_stale = false;
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            } else {
                match rx.recv() {
                    Ok(batch) => batch,
                    Err(_) => break,
                }
            };
            // Changes that arrived while the last build ran go into one build.
            while let Ok(more) = rx.try_recv() {
                batch.extend(more);
            }
            if let Err(err) = watcher.refresh() {
                eprintln!("warning: cannot watch a new folder: {err}");
            }
            index_stale |= builder.build(&batch, Build::Change);
        }
    });
    let stopper = shared.clone();
    let spawned = spawned.and_then(|_| {
        std::thread::Builder::new().name("signals".into()).spawn(move || {
            let signal = signals::wait(&signals);
            shutdown(&stopper, &work, signal);
        })
    });
    if let Err(err) = spawned {
        eprintln!("error: cannot start a thread: {err}");
        return 2;
    }
    // The first line of stdout is the address (tests and scripts read it); the rest is stderr.
    println!("{url}");
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    eprintln!(
        "Serving at {url}; watching content/, themes/, static/ and config.toml. Saved changes reload \
         open tabs. Press Ctrl-C to stop."
    );
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                let shared = shared.clone();
                let spawned = std::thread::Builder::new()
                    .name("http".into())
                    .spawn(move || http::handle_connection(stream, &shared));
                if spawned.is_err() {
                    // Out of threads: the connection is dropped; the browser retries.
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            // Out of file descriptors and the like: wait, then keep serving.
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    0
}

/// The address to print and to build with: `http://127.0.0.1:1111/`. A wildcard bind is shown
/// as loopback, which is where the page opens on this computer.
fn local_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => std::net::Ipv4Addr::LOCALHOST.into(),
        ip if ip.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

/// Stops after a signal: no new builds, wait for the running one (at most a few seconds),
/// remove the private folder, exit 0.
fn shutdown(shared: &Shared, work: &Path, signal: i32) -> ! {
    shared.stopping.store(true, Ordering::SeqCst);
    shared.changed.notify_all();
    let deadline = Instant::now() + Duration::from_secs(5);
    let guard = loop {
        match shared.building.try_lock() {
            Ok(guard) => break Some(guard),
            Err(std::sync::TryLockError::Poisoned(poisoned)) => break Some(poisoned.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(std::sync::TryLockError::WouldBlock) => break None,
        }
    };
    match std::fs::remove_dir_all(work) {
        Ok(()) => eprintln!("\nStopped ({}); removed {}", signals::name(signal), work.display()),
        Err(err) => eprintln!("\nStopped ({}); could not remove {}: {err}", signals::name(signal), work.display()),
    }
    drop(guard);
    std::process::exit(0)
}

/// Runs builds and reports them, in the terminal and to the browser.
struct Builder {
    /// The last good build, so that a change re-renders only what depends on it.
    session: site::incremental::Session,
    shared: Arc<Shared>,
    /// The warnings last printed: a rebuild prints them again only when they change.
    warnings: Vec<Diagnostic>,
}

/// Why a build runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Build {
    /// The first build: everything, the search index included.
    First,
    /// Sources changed: everything but the search index, which is carried over.
    Change,
    /// The editor paused after changes: the same pages again, with a fresh search index. Open
    /// tabs are not reloaded for it (the pages are the ones they show).
    Reindex,
}

/// How long without changes before the search index is rebuilt.
const REINDEX_AFTER: Duration = Duration::from_secs(1);

impl Builder {
    /// Builds once; `changed` are the paths that caused it. Returns whether the build succeeded
    /// with the search index carried over (so that it needs a refresh later).
    fn build(&mut self, changed: &[PathBuf], why: Build) -> bool {
        let shared = self.shared.clone();
        let _building = shared.building.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if shared.is_stopping() {
            return false;
        }
        let started = Instant::now();
        let search = if why == Build::Change { SearchIndex::KeepPrevious } else { SearchIndex::Write };
        let result = self.session.build(search);
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        let cause = match changed {
            [] => String::new(),
            [one] => format!(" after a change to {}", display_path(one)),
            [one, rest @ ..] => format!(" after changes to {} and {} more", display_path(one), rest.len()),
        };
        match result {
            // The terminal first, then the browser: both see the same outcome.
            // Had the sources changed since, a rebuild is queued and will reload the tabs.
            Ok(_) if why == Build::Reindex => {
                eprintln!("Updated the search index in {elapsed:.0} ms");
                false
            }
            Ok(rebuilt) => {
                let summary = rebuilt.summary;
                if std::env::var_os("METROPORTAL_TIMINGS").is_some() {
                    let phases: Vec<String> =
                        summary.timings.iter().map(|(p, t)| format!("{p} {:.1}", t.as_secs_f64() * 1000.0)).collect();
                    eprintln!("  phases (ms): {}", phases.join(", "));
                }
                if self.warnings != summary.warnings {
                    eprint!("{}", render_human(&summary.warnings));
                    self.warnings = summary.warnings;
                }
                match (why, rebuilt.scope) {
                    (Build::First, _) => eprintln!("Built {} pages in {elapsed:.0} ms", summary.pages),
                    (_, site::incremental::Scope::Whole) => {
                        eprintln!("Rebuilt all {} pages in {elapsed:.0} ms{cause}", summary.pages);
                    }
                    (_, site::incremental::Scope::Changed) => {
                        // A few paths say what the change reached; many would only scroll.
                        let which = match rebuilt.rendered_paths.as_slice() {
                            few if !few.is_empty() && few.len() <= 4 => format!(" ({})", few.join(", ")),
                            _ => String::new(),
                        };
                        eprintln!(
                            "Rebuilt {} of {} outputs{which}, {} written, in {elapsed:.0} ms{cause}",
                            rebuilt.rendered_paths.len(),
                            summary.files,
                            summary.written
                        );
                    }
                }
                shared.publish(None);
                why == Build::Change
            }
            Err(BuildError::Content(diagnostics)) => {
                eprint!("{}", render_human(&diagnostics));
                let kept = if shared.snapshot().good > 0 { "the last good build is still served; " } else { "" };
                eprintln!(
                    "Build failed{cause}: {kept}the browser shows these errors until a saved fix rebuilds the site."
                );
                shared.publish(Some(diagnostics));
                false
            }
            Err(BuildError::Internal(message)) => {
                eprintln!("error: {message}");
                shared.publish(Some(vec![Diagnostic::error("internal", message)]));
                false
            }
        }
    }
}

/// SIGINT and SIGTERM, received by one thread with `sigwait` instead of a handler.
mod signals {
    pub(super) type Set = libc::sigset_t;

    /// Blocks SIGINT and SIGTERM in the calling thread (and the threads it starts later).
    pub(super) fn block() -> Set {
        // SAFETY: the set is initialised by sigemptyset before use; pthread_sigmask only reads it.
        unsafe {
            let mut set: Set = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGINT);
            libc::sigaddset(&mut set, libc::SIGTERM);
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
            set
        }
    }

    /// Waits for one of the blocked signals and returns it.
    pub(super) fn wait(set: &Set) -> i32 {
        let mut signal = 0;
        // SAFETY: `set` was built by `block`; `signal` is a valid out-pointer.
        unsafe { libc::sigwait(set, &mut signal) };
        signal
    }

    pub(super) fn name(signal: i32) -> &'static str {
        match signal {
            libc::SIGINT => "Ctrl-C",
            libc::SIGTERM => "SIGTERM",
            _ => "signal",
        }
    }
}
