//! Markdown: renders a document body to HTML with pulldown-cmark (tables, footnotes,
//! strikethrough, task lists, heading attributes), gives every heading a unique id, builds the
//! table of contents, puts quotes right for the language, sanitizes raw HTML by an allowlist and
//! collects `@/path.md#anchor` links.
//!
//! A document is parsed once. Internal links are left as numbered markers in the HTML and
//! resolved per output language by [`resolve_links`], so the Polish text shown as a fallback in
//! English links to the English pages.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::slug::slugify;

/// A heading in the table of contents.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub(crate) struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<Heading>,
}

/// An `@/` link found in a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub(crate) struct InternalLink {
    /// The content path after `@/`, without the anchor: `forum/_index.md`.
    pub target: String,
    pub anchor: Option<String>,
    /// Byte range of the link in the body.
    pub span: std::ops::Range<usize>,
}

/// A rendered body.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub(crate) struct Rendered {
    /// HTML with internal links as markers (see [`resolve_links`]). Empty in the site model,
    /// which keeps only the rest (see `SiteData::body_html`), and never stored.
    #[serde(skip)]
    pub html: String,
    pub toc: Vec<Heading>,
    /// Every id a heading got, for anchor checks.
    pub ids: HashSet<String>,
    pub links: Vec<InternalLink>,
    pub word_count: usize,
}

const MARKER: &str = "#metroportal-link-";

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body`, written in `lang`.
pub(crate) fn render(body: &str, lang: &str, smart_punctuation: bool) -> Rendered {
    let mut opts = options();
    if smart_punctuation {
        opts |= Options::ENABLE_SMART_PUNCTUATION;
    }
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut rendered = Rendered::default();
    let mut has_raw_html = false;
    let mut in_code = false;
    let mut flat_headings: Vec<(u8, String, String)> = Vec::new();
    let mut open_heading: Option<(usize, String)> = None;

    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Heading { .. }) => {
                open_heading = Some((events.len(), String::new()));
                event
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, title)) = open_heading.take() {
                    let title = title.trim().to_string();
                    if let Event::Start(Tag::Heading { level, id, .. }) = &mut events[start] {
                        let wanted = match id {
                            Some(explicit) => explicit.to_string(),
                            None => slugify(&title, lang),
                        };
                        let unique = unique_id(&wanted, &rendered.ids);
                        rendered.ids.insert(unique.clone());
                        *id = Some(CowStr::from(unique.clone()));
                        flat_headings.push((heading_number(*level), unique, title));
                    }
                }
                event
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) if dest_url.starts_with("@/") => {
                let (target, anchor) = match dest_url[2..].split_once('#') {
                    Some((t, a)) => (t.to_string(), Some(a.to_string())),
                    None => (dest_url[2..].to_string(), None),
                };
                let marker = format!("{MARKER}{}", rendered.links.len());
                rendered.links.push(InternalLink { target, anchor, span: range });
                Event::Start(Tag::Link { link_type, dest_url: marker.into(), title, id })
            }
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. })
                if !has_safe_scheme(dest_url) =>
            {
                // `javascript:` and the like: let the sanitizer drop the URL.
                has_raw_html = true;
                event
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                event
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                event
            }
            Event::Text(text) => {
                rendered.word_count += text.split_whitespace().count();
                if let Some((_, title)) = &mut open_heading {
                    title.push_str(&text);
                }
                if smart_punctuation && !in_code { Event::Text(localize_quotes(text, lang)) } else { Event::Text(text) }
            }
            Event::Code(text) => {
                if let Some((_, title)) = &mut open_heading {
                    title.push_str(&text);
                }
                Event::Code(text)
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                has_raw_html = true;
                event
            }
            other => other,
        };
        events.push(event);
    }

    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if html.contains(ALIGN_STYLE) {
        html = align_classes(&html);
    }
    if has_raw_html {
        html = SANITIZER.clean(&html).to_string();
    }
    rendered.html = html;
    rendered.toc = nest(&flat_headings);
    rendered
}

/// Whether a link target is relative or uses a scheme a reader can safely follow.
fn has_safe_scheme(url: &str) -> bool {
    let scheme_end = url.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')));
    match scheme_end {
        Some(i) if url[i..].starts_with(':') => {
            matches!(url[..i].to_ascii_lowercase().as_str(), "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

const ALIGN_STYLE: &str = " style=\"text-align: ";

/// Table alignment as classes, in one pass: a strict Content-Security-Policy forbids style
/// attributes, and pulldown-cmark writes `style="text-align: right"` on aligned cells.
fn align_classes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(pos) = rest.find(ALIGN_STYLE) {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + ALIGN_STYLE.len()..];
        match after.find('"') {
            Some(end) => {
                out.push_str(" class=\"align-");
                out.push_str(&after[..end]);
                out.push('"');
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[pos..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn unique_id(wanted: &str, taken: &HashSet<String>) -> String {
    let base = if wanted.is_empty() { "section" } else { wanted };
    if !taken.contains(base) {
        return base.to_string();
    }
    (1..).map(|i| format!("{base}-{i}")).find(|c| !taken.contains(c)).expect("an unused id exists")
}

fn nest(flat: &[(u8, String, String)]) -> Vec<Heading> {
    let mut roots: Vec<Heading> = Vec::new();
    for (level, id, title) in flat {
        let heading = Heading { level: *level, id: id.clone(), title: title.clone(), children: Vec::new() };
        let mut siblings = &mut roots;
        while siblings.last().is_some_and(|last| last.level < *level) {
            siblings = &mut siblings.last_mut().expect("checked").children;
        }
        siblings.push(heading);
    }
    roots
}

/// pulldown-cmark's smart punctuation produces English quotes; Polish wants „…” and
/// Ukrainian «…».
fn localize_quotes<'a>(text: CowStr<'a>, lang: &str) -> CowStr<'a> {
    let (open, close) = match lang {
        "pl" => ('„', '”'),
        "uk" => ('«', '»'),
        _ => return text,
    };
    if !text.contains(['“', '”']) {
        return text;
    }
    text.chars()
        .map(|c| match c {
            '“' => open,
            '”' => close,
            c => c,
        })
        .collect::<String>()
        .into()
}

/// The allowlist for documents that contain raw HTML: ammonia's defaults (no scripts, styles,
/// event handlers or `javascript:` URLs) plus what our own Markdown output needs.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["id", "class", "lang", "dir"])
        .add_tags(["input", "section", "figure", "figcaption"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("th", ["scope"])
        .link_rel(None);
    builder
});

/// Prefixes every `id` of a rendered body, and the `#fragment` links to them, with `scope-`, so
/// that several bodies can share one page (the migrant pack puts every guide on one page, and
/// each guide has its own "Kroki" heading) without duplicate ids.
pub(crate) fn scope_anchors(html: &str, scope: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{scope}-")).replace(" href=\"#", &format!(" href=\"#{scope}-"))
}

/// Replaces the link markers of a rendered body with the URLs in `urls` (same order as
/// [`Rendered::links`]).
pub(crate) fn resolve_links(html: &str, urls: &[String]) -> String {
    if urls.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + urls.len() * 16);
    let mut rest = html;
    while let Some(pos) = rest.find(MARKER) {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + MARKER.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits].parse::<usize>().ok().and_then(|i| urls.get(i)) {
            Some(url) => {
                for c in url.chars() {
                    match c {
                        '"' => out.push_str("%22"),
                        '&' => out.push_str("&amp;"),
                        c => out.push(c),
                    }
                }
            }
            None => {
                let _ = write!(out, "{MARKER}{}", &after[..digits]);
            }
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn scoped_anchors_keep_in_page_links_working() {
        let html =
            super::scope_anchors("<h2 id=\"kroki\">K</h2><a href=\"#kroki\">k</a><a href=\"/x/#y\">y</a>", "pesel");
        assert_eq!(html, "<h2 id=\"pesel-kroki\">K</h2><a href=\"#pesel-kroki\">k</a><a href=\"/x/#y\">y</a>");
    }

    use super::*;

    #[test]
    fn headings_get_unique_ids_and_a_toc() {
        let r =
            render("# Pomoc społeczna\n\n## Kontakt\n\n## Kontakt\n\n### Godziny {#godziny}\n\n## Інше\n", "pl", false);
        assert!(r.html.contains("<h1 id=\"pomoc-spoleczna\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"kontakt\">"));
        assert!(r.html.contains("<h2 id=\"kontakt-1\">"));
        assert!(r.html.contains("<h3 id=\"godziny\">"));
        assert_eq!(r.toc.len(), 1);
        assert_eq!(r.toc[0].children.len(), 3);
        assert_eq!(r.toc[0].children[1].children[0].id, "godziny");
        let uk = render("## Соціальна допомога\n", "uk", false);
        assert!(uk.html.contains("id=\"sotsialna-dopomoha\""));
    }

    #[test]
    fn quotes_follow_the_language() {
        assert!(render("Plan \"4US\" i 'x'\n", "pl", true).html.contains("Plan „4US”"));
        assert!(render("План \"4US\"\n", "uk", true).html.contains("План «4US»"));
        assert!(render("The \"4US\" plan\n", "en", true).html.contains("The “4US” plan"));
        assert!(render("Plan \"4US\"\n", "pl", false).html.contains("Plan \"4US\""));
    }

    #[test]
    fn internal_links_become_markers_and_resolve() {
        let r = render("See [forum](@/forum/_index.md) and [goals](@/strategia/plan.md#cele).\n", "pl", false);
        assert_eq!(r.links.len(), 2);
        assert_eq!(r.links[1].target, "strategia/plan.md");
        assert_eq!(r.links[1].anchor.as_deref(), Some("cele"));
        let html = resolve_links(&r.html, &["/en/forum/".into(), "/en/strategy/plan/#goals".into()]);
        assert!(html.contains("href=\"/en/forum/\""), "{html}");
        assert!(html.contains("href=\"/en/strategy/plan/#goals\""));
    }

    #[test]
    fn extensions_and_sanitizing() {
        let r = render("| a | b |\n|--:|---|\n| 1 | 2 |\n\n~~x~~ [^1]\n\n- [x] done\n\n[^1]: note\n", "en", false);
        assert!(r.html.contains("<table>") && r.html.contains("class=\"align-right\""), "{}", r.html);
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("footnote-definition"));
        assert!(r.html.contains("checkbox"));
        let r = render(
            "<script>alert(1)</script>\n\n<a href=\"javascript:x\" onclick=\"y\">a</a> <abbr title=\"t\">T</abbr>\n",
            "en",
            false,
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("javascript:"));
        assert!(!r.html.contains("onclick"));
        assert!(r.html.contains("<abbr title=\"t\">T</abbr>"));
        let r = render("[a](javascript:alert(1)) [b](https://x.org) [c](tel:+48123) [d](/x/)\n", "en", false);
        assert!(!r.html.contains("javascript"), "{}", r.html);
        assert!(r.html.contains("href=\"https://x.org\"") && r.html.contains("href=\"tel:+48123\""));
        assert!(r.html.contains("href=\"/x/\""));
    }
}
