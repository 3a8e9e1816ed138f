//! The error overlay of `serve`: the diagnostics of a failed rebuild as an HTML page, built
//! from the same [`Diagnostic`] values the terminal shows (and with the terminal's own text,
//! from [`render_human`], in a disclosure), so the browser and the command line never differ.
//!
//! The page is served at `/__metroportal/errors`; the live-reload script shows its `<main>` in
//! a dialog over the page being edited. It is written in English, like every diagnostic.

use std::fmt::Write as _;

use super::State;
use super::http::PREFIX;
use crate::diagnostics::{Diagnostic, Severity, display_location, render_human};

/// The whole overlay page for the current state (an "all good" page when the last build
/// succeeded, so a bookmarked overlay recovers too).
pub(super) fn page(state: &State) -> String {
    let mut out = String::new();
    let title = if state.failure.is_some() { "Build failed" } else { "Build succeeded" };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<title>{title} · metroportal serve</title>\n\
         <link rel=\"stylesheet\" href=\"{PREFIX}overlay.css\">\n\
         <script src=\"{PREFIX}livereload.js?build={}&amp;attempt={}\" defer></script>\n</head>\n\
         <body class=\"mp-page\">\n",
        state.good, state.attempt
    );
    out.push_str(&main(state));
    out.push_str("</body>\n</html>\n");
    out
}

/// The `<main>` of the page: what the dialog shows.
fn main(state: &State) -> String {
    let mut out = String::from("<main class=\"mp-overlay\" aria-labelledby=\"mp-title\">\n");
    let Some(diagnostics) = &state.failure else {
        out.push_str(
            "<h1 id=\"mp-title\">The site was built without errors</h1>\n\
             <p><a href=\"/\">Go to the home page</a>.</p>\n</main>\n",
        );
        return out;
    };
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    let _ = writeln!(
        out,
        "<h1 id=\"mp-title\">The site could not be rebuilt: {}</h1>",
        count(errors.len(), "error", "errors")
    );
    let kept = if state.good > 0 {
        "The last good build is still being served."
    } else {
        "No build has succeeded yet, so there is nothing else to show."
    };
    let _ = writeln!(out, "<p>{kept} Fix the files below and save: this page updates by itself.</p>");
    out.push_str("<ol class=\"mp-diagnostics\">\n");
    for d in &errors {
        item(&mut out, d);
    }
    out.push_str("</ol>\n");
    let warnings: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.severity == Severity::Warning).collect();
    if !warnings.is_empty() {
        let _ = writeln!(out, "<details>\n<summary>{}</summary>", count(warnings.len(), "warning", "warnings"));
        out.push_str("<ol class=\"mp-diagnostics\">\n");
        for d in &warnings {
            item(&mut out, d);
        }
        out.push_str("</ol>\n</details>\n");
    }
    let _ = write!(
        out,
        "<details>\n<summary>As printed in the terminal</summary>\n<pre class=\"mp-terminal\">{}</pre>\n</details>\n",
        escape(&render_human(diagnostics))
    );
    out.push_str("</main>\n");
    out
}

/// One diagnostic: message, then file/line/column, language and hint as a description list,
/// then the offending line with the reported columns marked.
fn item(out: &mut String, d: &Diagnostic) {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(
        out,
        "<li class=\"mp-{severity}\">\n<p class=\"mp-message\"><span class=\"mp-code\">{severity}[{}]</span> {}</p>\n<dl>",
        escape(d.code),
        escape(&d.message)
    );
    if let Some(loc) = &d.location {
        let _ = writeln!(out, "<dt>File</dt><dd><code>{}</code></dd>", escape(&display_location(loc)));
        if loc.line > 0 {
            let _ = writeln!(out, "<dt>Line</dt><dd>{}</dd>", loc.line);
        }
        if loc.column > 0 {
            let _ = writeln!(out, "<dt>Column</dt><dd>{}</dd>", loc.column);
        }
    }
    if let Some(lang) = &d.lang {
        let _ = writeln!(out, "<dt>Language</dt><dd>{}</dd>", escape(lang));
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "<dt>Hint</dt><dd>{}</dd>", escape(hint));
    }
    out.push_str("</dl>\n");
    if let Some(loc) = &d.location
        && let Some(text) = &loc.line_text
    {
        let chars: Vec<char> = text.chars().collect();
        let start = loc.column.saturating_sub(1).min(chars.len());
        let end = (start + loc.width.max(1)).min(chars.len());
        let part = |from: usize, to: usize| escape(&chars[from..to].iter().collect::<String>());
        let _ = writeln!(
            out,
            "<pre class=\"mp-excerpt\"><span class=\"mp-line-number\">{}</span> {}<mark>{}</mark>{}</pre>",
            loc.line,
            part(0, start),
            part(start, end),
            part(end, chars.len())
        );
    }
    out.push_str("</li>\n");
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

use crate::templates::escape_html as escape;

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostics::Location;

    #[test]
    fn lists_every_field_of_a_diagnostic() {
        let text = "+++\ntitle = \"<b>\"\ntitel = 1\n+++\n";
        let start = text.find("titel").unwrap();
        let d = Diagnostic::error("unknown-field", "unknown field `titel`")
            .at(Location::from_span("content/a.md", text, start..start + 5))
            .hint("did you mean `title`?")
            .lang("en");
        let state = State { good: 3, attempt: 5, failure: Some(Arc::new(vec![d])) };
        let html = page(&state);
        assert!(html.contains("<span class=\"mp-code\">error[unknown-field]</span> unknown field `titel`"), "{html}");
        assert!(html.contains("<dt>File</dt><dd><code>content/a.md:3:1</code></dd>"));
        assert!(html.contains("<dt>Line</dt><dd>3</dd>"));
        assert!(html.contains("<dt>Language</dt><dd>en</dd>"));
        assert!(html.contains("<dt>Hint</dt><dd>did you mean `title`?</dd>"));
        assert!(html.contains("<mark>titel</mark> = 1"));
        assert!(html.contains("livereload.js?build=3&amp;attempt=5"));
        assert!(html.contains("1 error in 1 file, 0 warnings"), "the terminal text is included");
        assert!(!html.contains("style="), "no inline styles");
    }

    #[test]
    fn escapes_content() {
        let d = Diagnostic::error("x", "<script>alert(1)</script>");
        let html = page(&State { good: 0, attempt: 1, failure: Some(Arc::new(vec![d])) });
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("No build has succeeded yet"));
    }
}
