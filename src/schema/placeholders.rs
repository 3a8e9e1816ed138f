//! Placeholders in a guide's text: `{{ fact }}` (a local fact of the municipality the page is
//! for) and `{{ cite:id }}` (one of the guide's sources), and the `##` sections that each need
//! a citation.

use std::ops::Range;

/// What a `{{ … }}` in a guide's text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Placeholder {
    /// `{{ ops }}`: a local fact (the name may still be unknown; validation says so).
    Fact(String),
    /// `{{ cite:udsc-ukr }}`: a citation of one of the guide's sources.
    Cite(String),
    /// Anything else between `{{` and `}}` (`{{ 7*7 }}`, `{{ ops | safe }}`).
    Malformed(String),
}

/// Every `{{ … }}` in a body, with its byte range in the body.
pub(crate) fn placeholders(body: &str) -> Vec<(Placeholder, Range<usize>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = body[from..].find("{{").map(|i| from + i) {
        let Some(end) = body[start..].find("}}").map(|i| start + i + 2) else { break };
        let inner = body[start + 2..end - 2].trim();
        let name_like =
            |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let token = match inner.strip_prefix("cite:").map(str::trim) {
            Some(id) if name_like(id) => Placeholder::Cite(id.to_string()),
            Some(_) => Placeholder::Malformed(inner.to_string()),
            None if name_like(inner) => Placeholder::Fact(inner.to_string()),
            None => Placeholder::Malformed(inner.to_string()),
        };
        out.push((token, start..end));
        from = end;
    }
    out
}

/// The `##` sections of a Markdown body (outside code fences): (heading line start, end).
pub(crate) fn h2_sections(body: &str) -> Vec<Range<usize>> {
    let mut starts = Vec::new();
    let mut in_fence = false;
    let mut pos = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence && trimmed.starts_with("## ") {
            starts.push(pos);
        }
        pos += line.len();
    }
    starts.iter().enumerate().map(|(i, &s)| s..starts.get(i + 1).copied().unwrap_or(body.len())).collect()
}
