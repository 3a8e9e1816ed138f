//! `SiteTest`: copies a fixture site (plus optional overlays) into a temporary folder, runs the
//! `metroportal` binary on it and reads the results.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub(crate) struct SiteTest {
    pub dir: tempfile::TempDir,
}

/// The result of one run of the binary.
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub(crate) fn assert_ok(&self) -> &Self {
        assert_eq!(self.code, 0, "build failed:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub(crate) fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "unexpected exit code; stderr:\n{}\nstdout:\n{}", self.stderr, self.stdout);
        self
    }

    #[track_caller]
    pub(crate) fn assert_stderr_contains(&self, needle: &str) -> &Self {
        assert!(self.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", self.stderr);
        self
    }
}

impl SiteTest {
    /// A copy of `tests/fixtures/<name>`.
    pub(crate) fn fixture(name: &str) -> SiteTest {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(&fixtures().join(name), dir.path());
        SiteTest { dir }
    }

    /// The typed-content fixture with the portal's real theme (`themes/portal`), so that the
    /// theme's kind templates are tested too.
    pub(crate) fn typed() -> SiteTest {
        let site = SiteTest::fixture("typed");
        copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"), &site.path("themes"));
        site
    }

    /// Copies `tests/fixtures/<overlay>` over the site (files replace files of the same name).
    pub(crate) fn overlay(self, overlay: &str) -> SiteTest {
        copy_tree(&fixtures().join(overlay), self.dir.path());
        self
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Runs the binary on a fixture site. "Today" is fixed for fixtures (`SOURCE_DATE_EPOCH`,
    /// unless `env` sets it), so that their review ages and dates, and the diagnostics snapshots,
    /// do not change as the calendar moves on. The real portal (`built_portal`) keeps the real
    /// date: its editors write real dates.
    pub(crate) fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut with_today = vec![("SOURCE_DATE_EPOCH", FIXTURE_TODAY)];
        with_today.extend_from_slice(env);
        SiteTest::run_in(self.root(), args, &with_today)
    }

    /// Runs the binary with `root` as its working folder.
    pub(crate) fn run_in(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_metroportal"));
        cmd.args(args).current_dir(root);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let Output { status, stdout, stderr } = cmd.output().expect("run metroportal");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    pub(crate) fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// A file of the output folder `public/`.
    #[track_caller]
    pub(crate) fn read(&self, rel: &str) -> String {
        let path = self.path("public").join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read public/{rel}: {e}"))
    }

    pub(crate) fn exists(&self, rel: &str) -> bool {
        self.path("public").join(rel).exists()
    }
}

/// 2026-12-01 12:00 UTC: the day the fixtures' dates were written against.
pub(crate) const FIXTURE_TODAY: &str = "1796126400";

/// The real portal built once per test run (in `target/tmp/portal`), shared by the tests that
/// check the published site (validators, axe, size budgets, maps, search). Returns the output
/// folder.
pub(crate) fn built_portal() -> &'static Path {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("portal");
        let _ = std::fs::remove_dir_all(&root);
        copy_portal(&root);
        let run = SiteTest::run_in(&root, &["build", "--base-url", "http://127.0.0.1/"], &[]);
        run.assert_ok();
        root.join("public")
    })
}

/// Copies the real portal's sources (not its output) into `to`.
fn copy_portal(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(to).unwrap();
    std::fs::copy(repo.join("config.toml"), to.join("config.toml")).unwrap();
    for part in ["content", "themes", "static"] {
        if repo.join(part).is_dir() {
            copy_tree(&repo.join(part), &to.join(part));
        }
    }
}

/// Every file of a tree with its contents, for "nothing changed" assertions.
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every `.html` file below `dir`.
pub(crate) fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}
