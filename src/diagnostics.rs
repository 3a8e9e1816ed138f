//! Diagnostics: the one representation of a problem found in the site (a content error, a
//! warning, a template error) and the one place that renders them, for people (`file:line:col`,
//! the offending line, a caret, a hint) and for machines (`{"errors":[…],"warnings":[…]}`).
//!
//! Every phase of the pipeline reports into a [`Diagnostics`] collector instead of returning at
//! the first problem, so an editor sees every mistake of every file in one run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

/// How bad a problem is. Errors stop the build before anything is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Error,
    Warning,
}

/// Where a problem is: a file relative to the site root, and a 1-based line and column
/// (0 when unknown), with the text of that line for the excerpt.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(crate) struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// How many characters the caret underlines (at least 1).
    pub width: usize,
    pub line_text: Option<String>,
}

impl Location {
    /// A location for a whole file (no line).
    pub(crate) fn file(file: impl Into<PathBuf>) -> Self {
        Location { file: file.into(), ..Default::default() }
    }

    /// A location from a byte range in `text`, the full contents of `file`.
    pub(crate) fn from_span(file: impl Into<PathBuf>, text: &str, span: std::ops::Range<usize>) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[..start].bytes().filter(|&b| b == b'\n').count() + 1;
        let column = text[line_start..start].chars().count() + 1;
        let width = text[start..end.min(line_end)].chars().count().max(1);
        Location {
            file: file.into(),
            line,
            column,
            width,
            line_text: Some(text[line_start..line_end].trim_end_matches('\r').to_string()),
        }
    }

    /// A location at a 1-based line of `text` (the whole line underlined).
    pub(crate) fn from_line(file: impl Into<PathBuf>, text: &str, line: usize) -> Self {
        let line_text = text.lines().nth(line.saturating_sub(1)).map(str::to_string);
        let width = line_text.as_deref().map_or(1, |l| l.chars().count().max(1));
        Location { file: file.into(), line, column: 1, width, line_text }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem, ready to be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagnostic {
    pub severity: Severity,
    /// A stable machine-readable code, e.g. `unknown-field`.
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
    /// Boxed: diagnostics travel in `Result`s, and most of their size is the location.
    pub location: Option<Box<Location>>,
    /// The language the problem concerns, when it concerns one.
    pub lang: Option<String>,
}

impl Diagnostic {
    pub(crate) fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, message: message.into(), hint: None, location: None, lang: None }
    }

    pub(crate) fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }

    pub(crate) fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn lang(mut self, lang: impl Into<String>) -> Self {
        self.lang = Some(lang.into());
        self
    }

    fn sort_key(&self) -> (Severity, Option<&Location>, &str, &str) {
        (self.severity, self.location.as_deref(), self.code, &self.message)
    }
}

/// A thread-safe collector: rayon workers push into it, the CLI renders it once.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(&self, diagnostic: Diagnostic) {
        self.items.lock().expect("diagnostics lock").push(diagnostic);
    }

    pub(crate) fn extend(&self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.lock().expect("diagnostics lock").extend(diagnostics);
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.items.lock().expect("diagnostics lock").iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics, sorted (errors first, then by file and line) and de-duplicated, so that
    /// the report does not depend on the order in which threads finished.
    pub(crate) fn into_sorted(self) -> Vec<Diagnostic> {
        let mut items = self.items.into_inner().expect("diagnostics lock");
        items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        items.dedup();
        items
    }
}

/// Renders diagnostics for a terminal, ripgrep/rustc style.
pub(crate) fn render_human(items: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in items {
        render_item(&mut out, d);
    }
    render_totals(&mut out, items);
    out
}

/// The same diagnostics grouped by file (a heading per file, its problems in line order), for
/// `check`; problems without a file come last.
pub(crate) fn render_grouped(items: &[Diagnostic]) -> String {
    let mut sorted: Vec<&Diagnostic> = items.iter().collect();
    sorted.sort_by(|a, b| {
        let file = |d: &Diagnostic| d.location.as_ref().map(|l| l.file.clone());
        (file(a).is_none(), file(a), a.location.as_ref().map(|l| (l.line, l.column)), a.severity, a.code).cmp(&(
            file(b).is_none(),
            file(b),
            b.location.as_ref().map(|l| (l.line, l.column)),
            b.severity,
            b.code,
        ))
    });
    let mut out = String::new();
    let mut current: Option<Option<&Path>> = None;
    for d in sorted {
        let file = d.location.as_ref().map(|l| l.file.as_path());
        if current != Some(file) {
            let name = file.map_or_else(|| "(the site as a whole)".to_string(), display_path);
            let _ = writeln!(out, "── {name} ──\n");
            current = Some(file);
        }
        render_item(&mut out, d);
    }
    render_totals(&mut out, items);
    out
}

/// Counts by severity and code: `2 errors, 5 warnings` and `broken-link 2, heading-skip 5`.
pub(crate) fn render_summary(items: &[Diagnostic]) -> String {
    let mut out = String::new();
    for severity in [Severity::Error, Severity::Warning] {
        let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for d in items.iter().filter(|d| d.severity == severity) {
            *counts.entry(d.code).or_default() += 1;
        }
        let total: usize = counts.values().sum();
        let name = match severity {
            Severity::Error => plural(total, "error", "errors"),
            Severity::Warning => plural(total, "warning", "warnings"),
        };
        let list: Vec<String> = counts.iter().map(|(code, n)| format!("{code} {n}")).collect();
        if list.is_empty() {
            let _ = writeln!(out, "  {name}");
        } else {
            let _ = writeln!(out, "  {name}: {}", list.join(", "));
        }
    }
    out
}

fn render_item(out: &mut String, d: &Diagnostic) {
    {
        let label = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{label}[{}]: {}", d.code, d.message);
        if let Some(loc) = &d.location {
            let _ = writeln!(out, "  --> {}", display_location(loc));
            if let Some(text) = &loc.line_text {
                let number = loc.line.to_string();
                let pad = " ".repeat(number.len());
                let _ = writeln!(out, " {pad} |");
                let _ = writeln!(out, " {number} | {text}");
                let caret_pad: String = text
                    .chars()
                    .take(loc.column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let _ = writeln!(out, " {pad} | {caret_pad}{}", "^".repeat(loc.width.max(1)));
            }
        }
        if let Some(lang) = &d.lang {
            let _ = writeln!(out, "   = language: {lang}");
        }
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "   = hint: {hint}");
        }
        out.push('\n');
    }
}

fn render_totals(out: &mut String, items: &[Diagnostic]) {
    let errors = items.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = items.len() - errors;
    if errors > 0 {
        let files = count_files(items, Severity::Error);
        let _ = writeln!(
            out,
            "{} in {} {}, {}",
            plural(errors, "error", "errors"),
            files,
            if files == 1 { "file" } else { "files" },
            plural(warnings, "warning", "warnings")
        );
    } else if warnings > 0 {
        let _ = writeln!(out, "{}", plural(warnings, "warning", "warnings"));
    }
}

/// `file:line:col` with forward slashes, whatever the platform.
pub(crate) fn display_location(loc: &Location) -> String {
    let file = display_path(&loc.file);
    match (loc.line, loc.column) {
        (0, _) => file,
        (line, 0) => format!("{file}:{line}"),
        (line, col) => format!("{file}:{line}:{col}"),
    }
}

/// A path as shown to people and in JSON: relative, with `/` separators.
pub(crate) fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn count_files(items: &[Diagnostic], severity: Severity) -> usize {
    let mut files: Vec<&Path> = items
        .iter()
        .filter(|d| d.severity == severity)
        .filter_map(|d| d.location.as_ref().map(|l| l.file.as_path()))
        .collect();
    files.sort();
    files.dedup();
    files.len().max(1)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[derive(Serialize)]
struct JsonItem<'a> {
    code: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
}

/// Diagnostics as one JSON object `{"errors":[…],"warnings":[…]}`, for callers that add keys.
pub(crate) fn json_value(items: &[Diagnostic]) -> serde_json::Value {
    let to_json = |severity: Severity| -> Vec<JsonItem<'_>> {
        items
            .iter()
            .filter(|d| d.severity == severity)
            .map(|d| JsonItem {
                code: d.code,
                file: d.location.as_ref().map(|l| display_path(&l.file)),
                line: d.location.as_ref().filter(|l| l.line > 0).map(|l| l.line),
                column: d.location.as_ref().filter(|l| l.column > 0).map(|l| l.column),
                message: &d.message,
                hint: d.hint.as_deref(),
                lang: d.lang.as_deref(),
            })
            .collect()
    };
    serde_json::json!({
        "errors": to_json(Severity::Error),
        "warnings": to_json(Severity::Warning),
    })
}

/// The closest candidate to `word` by edit distance, for "did you mean" hints. The distance is
/// Damerau-Levenshtein (strsim, over chars): a swap of two neighbouring letters (`titel`) is one
/// typo, not two.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|&(d, c)| d <= c.chars().count().max(word.chars().count()).div_ceil(3))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_from_span_counts_lines_and_chars() {
        let text = "+++\ntitle = \"Łódź\"\ntitel = 1\n+++\n";
        let start = text.find("titel").unwrap();
        let loc = Location::from_span("a.md", text, start..start + 5);
        assert_eq!((loc.line, loc.column, loc.width), (3, 1, 5));
        assert_eq!(loc.line_text.as_deref(), Some("titel = 1"));
        let start = text.find('"').unwrap() + 1;
        let loc = Location::from_span("a.md", text, start + 2..start + 4);
        assert_eq!((loc.line, loc.column), (2, 11));
    }

    #[test]
    fn human_rendering_has_location_excerpt_and_hint() {
        let text = "+++\ntitel = 1\n+++\n";
        let d = Diagnostic::error("unknown-field", "unknown field `titel`")
            .at(Location::from_span("content/a.md", text, 4..9))
            .hint("did you mean `title`?");
        let out = render_human(&[d]);
        assert_eq!(
            out,
            "error[unknown-field]: unknown field `titel`\n  --> content/a.md:2:1\n   |\n 2 | titel = 1\n   | ^^^^^\n   = hint: did you mean `title`?\n\n1 error in 1 file, 0 warnings\n"
        );
    }

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("titel", ["title", "date", "weight"]), Some("title"));
        assert_eq!(did_you_mean("xyz", ["title", "date"]), None);
        // A swap is one edit: a two-letter code swapped is still recognised.
        assert_eq!(did_you_mean("ne", ["pl", "en", "uk"]), Some("en"));
    }
}
