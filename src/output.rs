//! Output: writes a build into a staging folder beside the output folder and swaps it in
//! atomically, so that a failed or killed build leaves the previous site complete.
//!
//! Unchanged files are hard-linked from the previous output instead of being written again
//! (a repeat build rewrites nothing, and the swap costs a rename). Every path is checked to stay
//! inside the output folder.

use std::collections::HashSet;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Why a path cannot be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OutputError {
    #[error("`{0}` would be written outside the output folder")]
    Escapes(String),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// Refuses output folders that would destroy the site's own files.
pub(crate) fn check_output_dir(root: &Path, output: &Path) -> Result<(), String> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
        normalize(&p)
    };
    let root = abs(root);
    let output = abs(output);
    if output.parent().is_none() {
        return Err(format!("refusing to use the filesystem root {} as the output folder", output.display()));
    }
    if root.starts_with(&output) {
        return Err(format!("refusing to use {} as the output folder: it contains the site itself", output.display()));
    }
    for protected in ["content", "themes", "static", "tests", "src"] {
        if output.starts_with(root.join(protected)) {
            return Err(format!(
                "refusing to use {} as the output folder: it is inside the site's {protected}/ folder",
                output.display()
            ));
        }
    }
    if output == root.join("config.toml") {
        return Err("refusing to write over config.toml".to_string());
    }
    if output.is_dir() {
        check_replaceable(&output)?;
    } else if output.exists() {
        return Err(format!("{} exists and is not a folder", output.display()));
    }
    Ok(())
}

/// The file that marks a folder as an output of `metroportal`. A build only ever replaces (and
/// so deletes the files of) a folder that holds it, or an empty one: a folder the user made,
/// even one with an `index.html`, is never taken over.
pub(crate) const MARKER: &str = ".metroportal-output";
const MARKER_TEXT: &str = "This folder is the output of `metroportal build`; every build replaces it as a whole.\n";

/// Whether `dir` (an existing folder) may be replaced by a build: it is empty or marked.
fn check_replaceable(dir: &Path) -> Result<(), String> {
    let empty = std::fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
    let marked = std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file());
    if empty || marked {
        return Ok(());
    }
    Err(format!(
        "refusing to replace {}: it is not empty and was not written by metroportal (no {MARKER} file in it); \
         choose an empty or new folder with --output, or move its files away",
        dir.display()
    ))
}

/// Resolves `.` and `..` without touching the filesystem.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Checks that `rel` is a plain relative path (no root, no `..`) and returns it as a path.
pub(crate) fn safe_relative(rel: &str) -> Result<PathBuf, OutputError> {
    let rel = rel.trim_start_matches('/');
    let path = Path::new(rel);
    if rel.is_empty() || path.components().any(|c| !matches!(c, Component::Normal(_))) || rel.contains('\\') {
        return Err(OutputError::Escapes(rel.to_string()));
    }
    Ok(path.to_path_buf())
}

/// A build being written.
///
/// The staging folder is the previous generation of the output, kept beside it as
/// `.<name>.prev` and updated in place: unchanged files are hard links to the live output, so
/// a repeat build writes nothing and no build ever has to delete a whole tree (unlinking
/// thousands of files costs seconds on slow disks). [`Staging::commit`] swaps staging and output
/// in one atomic rename; a failed or killed build leaves the live output untouched and the
/// staging folder merely out of date, which the next build corrects file by file.
pub(crate) struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Held (OS-locked) for the life of the build; closing it releases the lock.
    _lock: std::fs::File,
    created_dirs: Mutex<HashSet<PathBuf>>,
    expected: Mutex<HashSet<PathBuf>>,
    written: Mutex<u64>,
    unchanged: Mutex<u64>,
    /// `METROPORTAL_DURABLE=1`: flush every written file and the folders to the disk before
    /// and after the swap, so that a power loss cannot expose zero-length files (ext4's delayed
    /// allocation does not cover a `RENAME_EXCHANGE` of folders). Off by default: it roughly
    /// doubles a fresh build (one `fsync` per file); set it where the site is served straight from
    /// the folder it is built into (a web server building its own copy), not for CI artifacts.
    durable: bool,
}

/// What a commit did, for the build summary.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WriteStats {
    pub written: u64,
    pub unchanged: u64,
}

impl Staging {
    /// Takes the output's lock and prepares the staging folder beside `output`.
    pub(crate) fn begin(output: &Path) -> io::Result<Staging> {
        let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let name = output.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
        let lock_file = lock_output(output)?;
        let dir = parent.join(format!(".{name}.prev"));
        let mut staging = Staging {
            output: output.to_path_buf(),
            dir: dir.clone(),
            _lock: lock_file,
            created_dirs: Mutex::new(HashSet::new()),
            expected: Mutex::new(HashSet::new()),
            written: Mutex::new(0),
            unchanged: Mutex::new(0),
            durable: std::env::var_os("METROPORTAL_DURABLE").is_some_and(|v| v == "1"),
        };
        match std::fs::symlink_metadata(&dir) {
            // The staging folder is updated in place (its stale files deleted): only ours.
            Ok(meta) if meta.is_dir() => check_replaceable(&dir).map_err(io::Error::other)?,
            Ok(_) => {
                std::fs::remove_file(&dir)?;
                std::fs::create_dir(&dir)?;
            }
            Err(_) => std::fs::create_dir(&dir)?,
        }
        // Marked from the start, so that a killed build leaves a folder the next one may reuse.
        staging.write(MARKER, MARKER_TEXT.as_bytes()).map_err(|e| io::Error::other(e.to_string()))?;
        // The marker is not one of the site's files in the build summary.
        *staging.written.get_mut().expect("count lock") = 0;
        *staging.unchanged.get_mut().expect("count lock") = 0;
        Ok(staging)
    }

    /// Writes one file at `rel` (a path inside the output, `/` separated).
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let rel_path = safe_relative(rel)?;
        let target = self.dir.join(&rel_path);
        let io_err = |source| OutputError::Io { path: rel_path.clone(), source };
        self.expected.lock().expect("expected lock").insert(rel_path.clone());
        let live = self.output.join(&rel_path);
        if same_contents(&live, bytes) {
            // Keep the live file's inode (and mtime): link it into staging unless it is there.
            if !same_inode(&live, &target) {
                self.prepare(&target).map_err(io_err)?;
                if std::fs::hard_link(&live, &target).is_err() {
                    std::fs::write(&target, bytes).map_err(io_err)?;
                }
            }
            *self.unchanged.lock().expect("count lock") += 1;
            return Ok(());
        }
        if same_contents(&target, bytes) {
            *self.unchanged.lock().expect("count lock") += 1;
            return Ok(());
        }
        // Never write through an existing inode: it may be a hard link to the live output.
        self.prepare(&target).map_err(io_err)?;
        if self.durable {
            write_durably(&target, bytes).map_err(io_err)?;
        } else {
            std::fs::write(&target, bytes).map_err(io_err)?;
        }
        *self.written.lock().expect("count lock") += 1;
        Ok(())
    }

    /// Makes room for a new file at `target`: its folder exists and nothing is at its place.
    fn prepare(&self, target: &Path) -> io::Result<()> {
        if let Some(parent) = target.parent() {
            let known = self.created_dirs.lock().expect("dirs lock").contains(parent);
            if !known {
                // A file where a folder must go (the site's shape changed) is removed first.
                let mut ancestor = parent;
                while ancestor.starts_with(&self.dir) && ancestor != self.dir {
                    if std::fs::symlink_metadata(ancestor).is_ok_and(|m| !m.is_dir()) {
                        std::fs::remove_file(ancestor)?;
                    }
                    ancestor = ancestor.parent().unwrap_or(&self.dir);
                }
                std::fs::create_dir_all(parent)?;
                self.created_dirs.lock().expect("dirs lock").insert(parent.to_path_buf());
            }
        }
        match std::fs::symlink_metadata(target) {
            Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(target),
            Ok(_) => std::fs::remove_file(target),
            Err(_) => Ok(()),
        }
    }

    /// Removes what the previous generation had and this build did not write, then swaps the
    /// staging folder and the output in one step. The old output becomes the next staging.
    pub(crate) fn commit(self) -> io::Result<WriteStats> {
        let expected = std::mem::take(&mut *self.expected.lock().expect("expected lock"));
        let mut stale_dirs = Vec::new();
        for entry in walkdir::WalkDir::new(&self.dir).min_depth(1).contents_first(true) {
            let entry = entry.map_err(io::Error::other)?;
            let rel = entry.path().strip_prefix(&self.dir).unwrap_or(entry.path());
            if entry.file_type().is_dir() {
                stale_dirs.push(entry.into_path());
            } else if !expected.contains(rel) {
                std::fs::remove_file(entry.path())?;
            }
        }
        for dir in stale_dirs {
            // Only empty folders go; `remove_dir` fails on the others, as intended.
            let _ = std::fs::remove_dir(dir);
        }
        let stats = WriteStats {
            written: *self.written.lock().expect("count lock"),
            unchanged: *self.unchanged.lock().expect("count lock"),
        };
        if self.durable {
            // The new generation's folder entries reach the disk before the swap, and the swap
            // itself after it (file contents were synced as they were written).
            for entry in walkdir::WalkDir::new(&self.dir).into_iter().flatten().filter(|e| e.file_type().is_dir()) {
                sync_dir(entry.path());
            }
        }
        if self.output.exists() {
            exchange(&self.dir, &self.output)?;
        } else {
            std::fs::rename(&self.dir, &self.output)?;
        }
        if self.durable
            && let Some(parent) = self.output.parent()
        {
            sync_dir(if parent.as_os_str().is_empty() { Path::new(".") } else { parent });
        }
        Ok(stats)
    }
}

/// Takes the lock of an output folder for a build that writes into it in place (an incremental
/// one); held until the returned file is dropped.
pub(crate) fn lock_output(output: &Path) -> io::Result<std::fs::File> {
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = output.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
    take_lock(&parent.join(format!(".{name}.lock")))
}

/// One build at a time per output folder: an OS lock (`flock` on Unix, `LockFileEx` on
/// Windows) on `.<name>.lock` beside it, held until the build ends. The OS releases it when the
/// process exits however it exits, so a killed build never leaves a stale lock, and there is no
/// moment at which a second build could see a half-made lock. The file itself stays (deleting a
/// lock file while another process waits on it would let a third take a second lock); it holds
/// the process id of the last build, for the message.
fn take_lock(lock: &Path) -> io::Result<std::fs::File> {
    use std::io::{Seek, Write};
    let mut file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(lock)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let pid = std::fs::read_to_string(lock).unwrap_or_default();
            let who = match pid.trim() {
                "" => String::new(),
                pid => format!(" (process {pid})"),
            };
            return Err(io::Error::other(format!(
                "another build{who} is writing this output folder; wait for it to finish"
            )));
        }
        Err(std::fs::TryLockError::Error(err)) => return Err(err),
    }
    file.set_len(0)?;
    file.rewind()?;
    write!(file, "{}", std::process::id())?;
    Ok(file)
}

/// Writes a new file and flushes its contents to the disk before returning (durable builds).
/// Only files whose contents changed are written, so a repeat build syncs almost nothing.
fn write_durably(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_data()
}

/// Flushes a folder's entries (best effort: some systems cannot open a folder for syncing).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::symlink_metadata(b)) {
        (Ok(a), Ok(b)) => a.ino() == b.ino() && a.dev() == b.dev(),
        _ => false,
    }
}

fn same_contents(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Swaps two directories atomically (Linux `renameat2(RENAME_EXCHANGE)`); elsewhere, or on
/// filesystems without it, falls back to two renames.
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let ca = CString::new(a.as_os_str().as_bytes())?;
        let cb = CString::new(b.as_os_str().as_bytes())?;
        // SAFETY: both arguments are valid NUL-terminated paths relative to the working directory.
        let rc =
            unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
        if rc == 0 {
            return Ok(());
        }
        let err = io::Error::last_os_error();
        if !matches!(err.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) {
            return Err(err);
        }
    }
    let old = a.with_extension("swap");
    std::fs::rename(b, &old)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&old, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_cannot_escape() {
        assert!(safe_relative("en/forum/index.html").is_ok());
        assert!(safe_relative("/en/index.html").is_ok());
        assert!(safe_relative("../x").is_err());
        assert!(safe_relative("a/../../x").is_err());
        assert!(safe_relative("").is_err());
    }

    #[test]
    fn staging_swaps_and_links_unchanged_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::begin(&out).unwrap();
        s.write("index.html", b"one").unwrap();
        s.write("en/index.html", b"two").unwrap();
        assert!(s.write("../evil", b"x").is_err());
        let stats = s.commit().unwrap();
        assert_eq!((stats.written, stats.unchanged), (2, 0));
        let s = Staging::begin(&out).unwrap();
        s.write("index.html", b"one").unwrap();
        s.write("en/index.html", b"changed").unwrap();
        let stats = s.commit().unwrap();
        assert_eq!((stats.written, stats.unchanged), (1, 1));
        assert_eq!(std::fs::read(out.join("en/index.html")).unwrap(), b"changed");
        // A third generation drops what it no longer writes.
        let s = Staging::begin(&out).unwrap();
        s.write("index.html", b"one").unwrap();
        let stats = s.commit().unwrap();
        assert_eq!((stats.written, stats.unchanged), (0, 1));
        assert!(!out.join("en").exists());
        let mut leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        leftovers.sort();
        assert_eq!(leftovers, [".public.lock", ".public.prev", "public"].map(std::ffi::OsString::from));
    }

    #[test]
    fn an_abandoned_build_leaves_the_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::begin(&out).unwrap();
        s.write("index.html", b"old").unwrap();
        s.commit().unwrap();
        let s = Staging::begin(&out).unwrap();
        s.write("index.html", b"new").unwrap();
        drop(s);
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
        // The lock is released: another build can take it at once.
        drop(Staging::begin(&out).unwrap());
    }

    #[test]
    fn protected_output_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, &root.join("content")).is_err());
        assert!(check_output_dir(root, &root.join("themes/x")).is_err());
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/notes.txt"), "x").unwrap();
        assert!(check_output_dir(root, &root.join("docs")).is_err());
    }

    #[test]
    fn one_build_at_a_time_with_an_os_lock() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // An empty lock file (a build killed between creating and writing it, or one being
        // created right now) does not count as a lock: only the OS lock does.
        std::fs::write(dir.path().join(".public.lock"), "").unwrap();
        let first = Staging::begin(&out).unwrap();
        let err = Staging::begin(&out).err().expect("a second build must be refused");
        assert_eq!(
            err.to_string(),
            format!(
                "another build (process {}) is writing this output folder; wait for it to finish",
                std::process::id()
            )
        );
        // The lock ends with the build; the lock file stays (it is never deleted by a build).
        first.commit().unwrap();
        assert!(dir.path().join(".public.lock").exists());
        Staging::begin(&out).unwrap().commit().unwrap();
    }

    #[test]
    fn only_a_marked_folder_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let mine = dir.path().join("mine");
        std::fs::create_dir_all(&mine).unwrap();
        std::fs::write(mine.join("index.html"), "my own page").unwrap();
        let err = check_output_dir(&root, &mine).unwrap_err();
        assert!(err.contains("was not written by metroportal (no .metroportal-output file in it)"), "{err}");
        // A build's output carries the marker and may be replaced.
        let out = dir.path().join("public");
        assert!(check_output_dir(&root, &out).is_ok());
        let s = Staging::begin(&out).unwrap();
        s.write("index.html", b"x").unwrap();
        s.commit().unwrap();
        assert!(out.join(MARKER).is_file());
        assert!(check_output_dir(&root, &out).is_ok());
        // A hand-made staging folder is not taken over either.
        let other = dir.path().join("other");
        std::fs::create_dir_all(dir.path().join(".other.prev")).unwrap();
        std::fs::write(dir.path().join(".other.prev/notes.txt"), "keep").unwrap();
        assert!(Staging::begin(&other).is_err());
        assert_eq!(std::fs::read_to_string(dir.path().join(".other.prev/notes.txt")).unwrap(), "keep");
    }

    #[test]
    fn a_durable_build_writes_the_same_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut s = Staging::begin(&out).unwrap();
        s.durable = true;
        s.write("a/b/index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(std::fs::read(out.join("a/b/index.html")).unwrap(), b"one");
    }
}
