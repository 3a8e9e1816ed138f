//! Property tests of the parsers and the sanitizer (proptest): whatever the input, they never
//! panic, and what they produce keeps its promises. A test-only module: it drives the parsers
//! directly, so they need not be the library's public interface. `PROPTEST_CASES` raises the number of cases
//! (CI runs the default below); failures proptest shrinks are kept in `tests/proptest-regressions/`
//! and replayed first on every run.

use std::path::Path;

use crate::checks::links::{SiteUrl, Target};
use crate::content::front_matter;
use crate::markdown;
use crate::schema::{Kinds, opening_hours};
use crate::slug::slugify;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 2000,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("tests/proptest-regressions/props.txt"))),
        ..ProptestConfig::default()
    }
}

/// Opening hours as editors write them: rules of days (single, ranges, lists, holidays) with one
/// or more time spans, `off`, or `24/7`, separated by `; `.
fn hours_text() -> impl Strategy<Value = String> {
    let day = || prop::sample::select(vec!["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]);
    let days = prop_oneof![
        day().prop_map(str::to_string),
        (day(), day()).prop_map(|(a, b)| format!("{a}-{b}")),
        (day(), day()).prop_map(|(a, b)| format!("{a},{b}")),
        Just("PH".to_string()),
    ];
    let time = || (0u16..25, prop::sample::select(vec![0u16, 15, 30, 45])).prop_map(|(h, m)| format!("{h:02}:{m:02}"));
    let spans =
        prop::collection::vec((time(), time()).prop_map(|(a, b)| format!("{a}-{b}")), 1..3).prop_map(|v| v.join(","));
    let rule = prop_oneof![
        4 => (days.clone(), spans).prop_map(|(d, s)| format!("{d} {s}")),
        1 => days.prop_map(|d| format!("{d} off")),
        1 => Just("24/7".to_string()),
    ];
    prop::collection::vec(rule, 1..4).prop_map(|v| v.join("; "))
}

/// Text that looks like front matter often enough to reach the TOML and kind parsers.
fn front_matter_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("+++".to_string()),
        Just("[service]".to_string()),
        Just("[municipality]".to_string()),
        Just("[[service.source]]".to_string()),
        "[a-z_]{1,12} = \"[^\"\\\\\n]{0,20}\"",
        "[a-z_]{1,12} = [0-9.\\-]{1,8}",
        "[a-z_]{1,12} = \\[[0-9., \"a-z]{0,20}\\]",
        "[a-z_]{1,12} = [0-9]{4}-[0-9]{2}-[0-9]{2}",
        any::<String>(),
    ];
    proptest::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn front_matter_never_panics(text in front_matter_text()) {
        let file = Path::new("content/a.md");
        if let Ok(split) = front_matter::split(file, &text) {
            let _ = front_matter::parse(file, &text, &split, false, &Kinds);
            let _ = front_matter::parse(file, &text, &split, true, &Kinds);
        }
    }

    #[test]
    fn a_title_reads_back_as_written(title in "[^\"\\\\\\x00-\\x1f\\x7f]{1,40}") {
        prop_assume!(!title.trim().is_empty());
        let text = format!("+++\ntitle = \"{title}\"\n+++\n\nTekst.\n");
        let file = Path::new("content/a.md");
        let split = front_matter::split(file, &text).unwrap();
        let fm = front_matter::parse(file, &text, &split, false, &Kinds).unwrap();
        prop_assert_eq!(fm.title.as_deref(), Some(title.as_str()));
    }

    #[test]
    fn opening_hours_never_panic(text in "[A-Za-z0-9:,;\\- +]{0,40}") {
        let _ = opening_hours::parse(&text);
    }

    #[test]
    fn well_formed_opening_hours_parse_and_show_their_times(
        first in 0usize..7,
        len in 0usize..7,
        start in 0u16..(23 * 60),
        minutes in 1u16..60,
    ) {
        const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
        let last = (first + len).min(6);
        let end = start + minutes;
        let clock = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        let days = if first == last { DAYS[first].to_string() } else { format!("{}-{}", DAYS[first], DAYS[last]) };
        let text = format!("{days} {}-{}", clock(start), clock(end));
        let parsed = opening_hours::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e:?}")))?;
        let shown = format!("{}–{}", clock(start), clock(end));
        let rows = parsed.weekly_rows();
        prop_assert!(rows.iter().any(|(a, b, intervals)| *a == first && *b == last
            && intervals.iter().map(|i| i.format()).collect::<Vec<_>>() == [shown.clone()]), "{text}: {rows:?}");
    }

    /// Whatever our parser accepts is OpenStreetMap syntax: the `opening-hours-syntax` crate
    /// (the parser of the OSM tools) accepts it too, so what editors write works elsewhere.
    #[test]
    fn opening_hours_we_accept_are_valid_openstreetmap_syntax(text in prop_oneof![hours_text(), "[A-Za-z0-9:,;\\- +/]{0,30}"]) {
        if opening_hours::parse(&text).is_ok() {
            prop_assert!(opening_hours_syntax::parse(&text).is_ok(), "we accept `{text}`, OpenStreetMap does not");
        }
    }

    #[test]
    fn slugs_are_lower_case_ascii_with_single_hyphens(text in any::<String>(), uk in any::<bool>()) {
        let slug = slugify(&text, if uk { "uk" } else { "pl" });
        prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{slug}");
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug}");
        prop_assert_eq!(slugify(&slug, "pl"), slug);
    }

    /// `@/` links: every one in a body is found with its target and anchor, in order, and once
    /// resolved the page has exactly the URLs it was given, in `href`s that stay closed whatever
    /// the URL holds, and no marker left.
    #[test]
    fn internal_links_are_found_and_resolved_to_exactly_their_urls(
        links in prop::collection::vec(("[a-z0-9_/-]{1,20}", prop::option::of("[a-z0-9-]{1,10}"), "[ -~ąęłóśżźćń]{0,20}"), 0..6),
        // Words first: four leading spaces would make the paragraph a code block.
        words in "[a-zA-Z]{1,10}( [a-zA-Z]{1,10}){0,2}",
    ) {
        let body: String = links
            .iter()
            .map(|(path, anchor, _)| format!("{words} [tekst](@/{path}.md{}) ", anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default()))
            .collect();
        let rendered = markdown::render(&body, "pl", true);
        let found: Vec<(String, Option<String>)> = rendered.links.iter().map(|l| (l.target.clone(), l.anchor.clone())).collect();
        let expected: Vec<(String, Option<String>)> = links.iter().map(|(p, a, _)| (format!("{p}.md"), a.clone())).collect();
        prop_assert_eq!(found, expected, "{}", body);
        let urls: Vec<String> = links.iter().map(|(_, _, url)| format!("/portal/{url}")).collect();
        let html = markdown::resolve_links(&rendered.html, &urls);
        prop_assert!(!html.contains("#metroportal-link-"), "{}", html);
        let hrefs: Vec<(String, Vec<(String, String)>)> = tags(&html).into_iter().filter(|(t, _)| t == "a").collect();
        prop_assert_eq!(hrefs.len(), urls.len(), "{}", html);
        for ((_, attrs), url) in hrefs.iter().zip(&urls) {
            let href = attrs.iter().find(|(n, _)| n == "href").map(|(_, v)| v.clone()).unwrap_or_default();
            prop_assert_eq!(href.replace("&amp;", "&").replace("%22", "\""), url.clone(), "{}", html);
        }
    }

    /// A link on a page resolves inside the site only to a path under the base path, without
    /// `..`, whatever the link says; anything else is another site, outside the base, or malformed.
    #[test]
    fn links_resolve_inside_the_site_only_to_clean_paths(
        page in "(/portal)?(/[a-z0-9.%-]{0,8}){0,3}/?",
        url in prop_oneof![
            "(\\.\\./|\\./|/){0,4}[a-z0-9.%#?-]{0,12}",
            "https?://(example\\.org|evil\\.org|example\\.org:8080)(/portal)?(/[a-z0-9.%-]{0,6}){0,3}",
            "[ -~]{0,20}",
        ],
    ) {
        let site = SiteUrl::new("https://example.org/portal").unwrap();
        if let Target::Internal { path, .. } = site.resolve(&page, &url) {
            prop_assert!(path.starts_with('/'), "{page} + {url} -> {path}");
            prop_assert!(!path.split('/').any(|segment| segment == ".."), "{page} + {url} -> {path}");
        }
    }

    #[test]
    fn markdown_output_stays_inside_the_allowlist(body in markdown_with_html()) {
        let html = markdown::render(&body, "pl", true).html;
        for (tag, attrs) in tags(&html) {
            prop_assert!(ALLOWED_TAGS.contains(&tag.as_str()), "<{tag}> in {html:?} from {body:?}");
            for (name, value) in attrs {
                prop_assert!(ALLOWED_ATTRS.contains(&name.as_str()), "{name}= on <{tag}> in {html:?} from {body:?}");
                if name == "href" || name == "src" {
                    let v = value.trim().to_ascii_lowercase();
                    prop_assert!(!v.starts_with("javascript:") && !v.starts_with("data:") && !v.starts_with("vbscript:"), "{value}");
                }
            }
        }
    }
}

/// Markdown mixed with hostile HTML fragments.
fn markdown_with_html() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<script>alert(1)</script>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("<a href=\"javascript:alert(1)\">x</a>".to_string()),
        Just("<a href=\"JaVaScRiPt:alert(1)\">x</a>".to_string()),
        Just("[x](javascript:alert(1))".to_string()),
        Just("<p style=\"color:red\" onclick=\"x()\">p</p>".to_string()),
        Just("<iframe src=\"https://e.org\"></iframe>".to_string()),
        Just("<svg><script>1</script></svg>".to_string()),
        Just("<style>body{}</style>".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("</script><!--<script>".to_string()),
        Just("<form action=x><input type=text name=q></form>".to_string()),
        Just("| a | b |\n|:-|-:|\n| 1 | 2 |".to_string()),
        Just("- [x] done".to_string()),
        Just("## Nagłówek {#id .class}".to_string()),
        Just("`<b>`".to_string()),
        Just("\n\n".to_string()),
        "<[a-z]{1,8}( [a-z\\-]{1,10}(=\"[^\"]{0,12}\")?){0,3}>",
        "</[a-z]{1,8}>",
        "[^\\x00]{0,20}",
    ];
    proptest::collection::vec(piece, 0..10).prop_map(|p| p.concat())
}

/// What pulldown-cmark writes and the sanitizer keeps.
const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "area",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "map",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];
const ALLOWED_ATTRS: &[&str] = &[
    "id", "class", "lang", "dir", "title", "href", "hreflang", "src", "alt", "width", "height", "cite", "type",
    "checked", "disabled", "scope", "colspan", "rowspan", "span", "start", "value", "datetime", "align", "char",
    "charoff", "rel", "name", "open", "coords", "shape", "usemap",
];

/// The start tags of `html` with their attributes (names lower-cased, values unescaped of
/// nothing: enough to check names and schemes).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(pos) = html[i..].find('<') {
        i += pos + 1;
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = html[i..].find(|c: char| !c.is_ascii_alphanumeric()).map_or(html.len(), |e| i + e);
        let name = html[i..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut j = name_end;
        loop {
            while bytes.get(j).is_some_and(|b| b.is_ascii_whitespace() || *b == b'/') {
                j += 1;
            }
            match bytes.get(j) {
                None | Some(b'>') => break,
                _ => {}
            }
            let an_end =
                html[j..].find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>').map_or(html.len(), |e| j + e);
            let attr = html[j..an_end].to_ascii_lowercase();
            j = an_end;
            let mut value = String::new();
            if bytes.get(j) == Some(&b'=') {
                j += 1;
                let quote = bytes.get(j).copied().filter(|q| *q == b'"' || *q == b'\'');
                if let Some(q) = quote {
                    let end = html[j + 1..].find(q as char).map_or(html.len(), |e| j + 1 + e);
                    value = html[j + 1..end].to_string();
                    j = (end + 1).min(html.len());
                } else {
                    let end =
                        html[j..].find(|c: char| c.is_ascii_whitespace() || c == '>').map_or(html.len(), |e| j + e);
                    value = html[j..end].to_string();
                    j = end;
                }
            }
            attrs.push((attr, value));
        }
        out.push((name, attrs));
        i = j.min(html.len());
    }
    out
}

#[test]
fn the_tag_scanner_sees_what_a_browser_would() {
    let found = tags("<p>a &lt;b&gt;</p><a href=\"javascript:x\" onclick=y>t</a><img src='s' alt=\"a > b\"/>");
    assert_eq!(
        found,
        [
            ("p".to_string(), vec![]),
            ("a".to_string(), vec![("href".into(), "javascript:x".into()), ("onclick".into(), "y".into())]),
            ("img".to_string(), vec![("src".into(), "s".into()), ("alt".into(), "a > b".into())]),
        ]
    );
}
