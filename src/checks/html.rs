//! One pass over a rendered HTML page: collects what the link check needs (every `href`/`src`
//! and every element id) and lints the page for accessibility (images without `alt`, skipped
//! heading levels, links without an accessible name, a missing `<html lang>`, duplicate ids,
//! form controls without a label, `aria-labelledby`/`aria-describedby`/`label for` naming no
//! element).
//!
//! The tokenizer is html5ever's (already compiled in for ammonia, the sanitizer), so character
//! references, comments and raw-text elements are read as a browser reads them; we only need
//! tokens, not a tree, so no DOM is built. Each finding carries "needles": strings to look for
//! in the Markdown source, so the caller can point at the line the problem came from.

use std::cell::RefCell;
use std::collections::HashSet;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, CharacterTokens, EndTag, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};

/// What one page contains and what is wrong with it.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// `lang` of `<html>`: `None` when the attribute is absent (or there is no `<html>` tag).
    pub html_lang: Option<String>,
    /// Every element id, in document order (duplicates included).
    pub ids: Vec<String>,
    /// Every URL the page points at, in document order.
    pub links: Vec<Link>,
    pub findings: Vec<Finding>,
}

/// A URL in an attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    /// The attribute value with character references decoded.
    pub url: String,
    /// `a href`, `img src`, `link href`, …
    pub tag: &'static str,
    pub attr: &'static str,
}

/// An accessibility problem of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub code: &'static str,
    pub error: bool,
    pub message: String,
    /// Strings that, found in a Markdown body, show that the problem comes from there.
    pub needles: Vec<String>,
    /// The link (`href`) or element id the finding is about, when it is about one: the caller
    /// knows which `@/` link rendered as which URL and which heading got which id.
    pub href: Option<String>,
    pub id: Option<String>,
}

/// Elements without an end tag: never pushed on the open-element stack.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

/// Attributes holding one URL, by element.
const URL_ATTRS: &[(&str, &str)] = &[
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("source", "src"),
    ("iframe", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("form", "action"),
];

/// Scans one page.
pub(crate) fn scan(html: &str) -> Scan {
    let sink = Sink::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.finish()
}

/// An open element that matters for the checks.
#[derive(Debug)]
struct Open {
    name: String,
    /// `aria-hidden="true"`: text inside does not name a link.
    hidden: bool,
}

/// An `<a href>` whose content is being read.
#[derive(Debug)]
struct OpenLink {
    href: String,
    named: bool,
}

/// A form control waiting for the end of the page, where `<label for>` may still name it.
#[derive(Debug)]
struct Control {
    tag: String,
    id: Option<String>,
    name: Option<String>,
}

#[derive(Debug, Default)]
struct State {
    scan: Scan,
    stack: Vec<Open>,
    hidden_depth: usize,
    links: Vec<OpenLink>,
    /// Level and text of the heading being read.
    heading: Option<(u8, String)>,
    last_heading: Option<(u8, String)>,
    label_depth: usize,
    label_for: HashSet<String>,
    controls: Vec<Control>,
    seen_ids: HashSet<String>,
    reported_ids: HashSet<String>,
    /// (attribute, referenced id) of `aria-labelledby`, `aria-describedby` and `label for`,
    /// checked at the end of the page.
    references: Vec<(&'static str, String)>,
}

#[derive(Debug, Default)]
struct Sink {
    state: RefCell<State>,
}

fn attr<'a>(tag: &'a Tag, name: &str) -> Option<&'a str> {
    tag.attrs.iter().find(|a| a.name.prefix.is_none() && &*a.name.local == name).map(|a| &*a.value)
}

fn non_empty(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.trim().is_empty())
}

impl Sink {
    fn finish(self) -> Scan {
        let mut state = self.state.into_inner();
        let references = std::mem::take(&mut state.references);
        let mut reported = HashSet::new();
        for (attribute, id) in references {
            if state.seen_ids.contains(&id) || !reported.insert((attribute, id.clone())) {
                continue;
            }
            state.scan.findings.push(Finding {
                code: "idref-missing",
                error: true,
                message: format!("{attribute}=\"{id}\" names no element of the page"),
                needles: vec![format!("\"{id}\"")],
                href: None,
                id: None,
            });
        }
        let controls = std::mem::take(&mut state.controls);
        for control in controls {
            if control.id.as_ref().is_some_and(|id| state.label_for.contains(id)) {
                continue;
            }
            let what = match (&control.id, &control.name) {
                (Some(id), _) => format!("<{} id=\"{id}\">", control.tag),
                (None, Some(name)) => format!("<{} name=\"{name}\">", control.tag),
                (None, None) => format!("<{}>", control.tag),
            };
            let needles = control.id.iter().chain(&control.name).map(|v| format!("\"{v}\"")).collect();
            state.scan.findings.push(Finding {
                code: "control-no-label",
                error: true,
                message: format!("form control {what} has no label"),
                needles,
                href: None,
                id: None,
            });
        }
        state.scan
    }
}

impl State {
    fn start(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name = &*tag.name;
        if let Some(id) = attr(tag, "id") {
            self.id(id);
        }
        for attribute in ["aria-labelledby", "aria-describedby"] {
            for id in attr(tag, attribute).unwrap_or_default().split_whitespace() {
                self.references.push((attribute, id.to_string()));
            }
        }
        for &(element, attribute) in URL_ATTRS {
            if element == name
                && let Some(url) = attr(tag, attribute)
            {
                self.scan.links.push(Link { url: url.to_string(), tag: element, attr: attribute });
            }
        }
        if matches!(name, "img" | "source")
            && let Some(srcset) = attr(tag, "srcset")
        {
            for candidate in srcset.split(',') {
                if let Some(url) = candidate.split_whitespace().next() {
                    self.scan.links.push(Link {
                        url: url.to_string(),
                        tag: if name == "img" { "img" } else { "source" },
                        attr: "srcset",
                    });
                }
            }
        }
        match name {
            "html" => self.scan.html_lang = attr(tag, "lang").map(str::to_string),
            "img" => self.image(tag),
            "a" if attr(tag, "href").is_some() && !tag.self_closing => {
                let named = ["aria-label", "aria-labelledby", "title"].iter().any(|a| non_empty(attr(tag, a)));
                self.links.push(OpenLink { href: attr(tag, "href").unwrap_or_default().to_string(), named });
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.heading = Some((name.as_bytes()[1] - b'0', String::new()));
            }
            "label" => {
                if let Some(target) = attr(tag, "for") {
                    self.label_for.insert(target.to_string());
                    self.references.push(("label for", target.to_string()));
                }
                if !tag.self_closing {
                    self.label_depth += 1;
                }
            }
            "input" | "select" | "textarea" => self.control(tag),
            _ => {}
        }
        if !VOID.contains(&name) && !tag.self_closing {
            let hidden = attr(tag, "aria-hidden") == Some("true");
            if hidden {
                self.hidden_depth += 1;
            }
            self.stack.push(Open { name: name.to_string(), hidden });
        }
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => TokenSinkResult::RawData(RawKind::Rawtext),
            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            _ => TokenSinkResult::Continue,
        }
    }

    fn end(&mut self, name: &str) {
        let Some(pos) = self.stack.iter().rposition(|o| o.name == name) else {
            return;
        };
        for open in self.stack.drain(pos..) {
            if open.hidden {
                self.hidden_depth -= 1;
            }
        }
        match name {
            "a" => {
                if let Some(link) = self.links.pop()
                    && !link.named
                {
                    self.scan.findings.push(Finding {
                        code: "link-no-text",
                        error: true,
                        message: format!("link to {} has no text (no text, aria-label or image alt)", link.href),
                        needles: vec![format!("]({})", link.href), format!("\"{}\"", link.href)],
                        href: Some(link.href),
                        id: None,
                    });
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                if let Some((level, text)) = self.heading.take() {
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    let previous = self.last_heading.as_ref().map_or(0, |(l, _)| *l);
                    if level > previous + 1 {
                        let after = match &self.last_heading {
                            Some((l, t)) => format!("follows h{l} “{t}”"),
                            None => "is the first heading of the page".to_string(),
                        };
                        self.scan.findings.push(Finding {
                            code: "heading-skip",
                            error: false,
                            message: format!(
                                "heading h{level} “{text}” {after}: a level is skipped (expected h{} or higher)",
                                previous + 1
                            ),
                            needles: vec![format!("{} {text}", "#".repeat(usize::from(level)))],
                            href: None,
                            id: None,
                        });
                    }
                    self.last_heading = Some((level, text));
                }
            }
            "label" => self.label_depth = self.label_depth.saturating_sub(1),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if let Some((_, heading)) = &mut self.heading {
            heading.push_str(text);
        }
        if self.hidden_depth == 0
            && !text.trim().is_empty()
            && let Some(link) = self.links.last_mut()
        {
            link.named = true;
        }
    }

    fn id(&mut self, id: &str) {
        self.scan.ids.push(id.to_string());
        if !self.seen_ids.insert(id.to_string()) && self.reported_ids.insert(id.to_string()) {
            self.scan.findings.push(Finding {
                code: "duplicate-id",
                error: true,
                message: format!("the id `{id}` is used more than once on the page"),
                needles: vec![format!("{{#{id}}}"), format!("id=\"{id}\"")],
                href: None,
                id: Some(id.to_string()),
            });
        }
    }

    fn image(&mut self, tag: &Tag) {
        match attr(tag, "alt") {
            None => {
                let src = attr(tag, "src").unwrap_or_default();
                self.scan.findings.push(Finding {
                    code: "img-alt-missing",
                    error: true,
                    message: format!("image {src} has no alt attribute"),
                    needles: if src.is_empty() { Vec::new() } else { vec![src.to_string()] },
                    href: None,
                    id: None,
                });
            }
            Some(alt) if !alt.trim().is_empty() && self.hidden_depth == 0 => {
                if let Some(link) = self.links.last_mut() {
                    link.named = true;
                }
            }
            Some(_) => {}
        }
    }

    fn control(&mut self, tag: &Tag) {
        let kind = attr(tag, "type").unwrap_or("text").to_ascii_lowercase();
        if &*tag.name == "input" && matches!(kind.as_str(), "hidden" | "submit" | "reset" | "button" | "image") {
            return;
        }
        if self.label_depth > 0 || ["aria-label", "aria-labelledby", "title"].iter().any(|a| non_empty(attr(tag, a))) {
            return;
        }
        self.controls.push(Control {
            tag: tag.name.to_string(),
            id: attr(tag, "id").map(str::to_string),
            name: attr(tag, "name").map(str::to_string),
        });
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            TagToken(tag) => match tag.kind {
                StartTag => return state.start(&tag),
                EndTag => state.end(&tag.name),
            },
            CharacterTokens(text) => state.text(&text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(html: &str) -> Vec<&'static str> {
        scan(html).findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn collects_links_ids_and_lang() {
        let s = scan(
            r#"<!DOCTYPE html><html lang="uk"><head><link rel="stylesheet" href="/css/a.css"></head>
            <body><a href="/en/?a=1&amp;b=2#x">x</a><img src="i.png" srcset="i.png 1x, i2.png 2x" alt="">
            <h1 id="top">T</h1><script src="/a.js"></script><script>var a = "<a href='/no'>";</script></body></html>"#,
        );
        assert_eq!(s.html_lang.as_deref(), Some("uk"));
        assert_eq!(s.ids, ["top"]);
        let urls: Vec<&str> = s.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["/css/a.css", "/en/?a=1&b=2#x", "i.png", "i.png", "i2.png", "/a.js"]);
        assert!(s.findings.is_empty(), "{:?}", s.findings);
    }

    #[test]
    fn missing_or_absent_lang() {
        assert_eq!(scan("<html><body></body></html>").html_lang, None);
        assert_eq!(scan(r#"<html lang=""><body></body></html>"#).html_lang.as_deref(), Some(""));
    }

    #[test]
    fn images_need_alt_but_may_have_an_empty_one() {
        assert_eq!(codes(r#"<img src="a.png"><img src="b.png" alt="">"#), ["img-alt-missing"]);
        let f = &scan(r#"<img src="/x/a.png">"#).findings[0];
        assert_eq!(f.message, "image /x/a.png has no alt attribute");
        assert_eq!(f.needles, ["/x/a.png"]);
    }

    #[test]
    fn heading_levels_may_not_be_skipped_going_down() {
        assert!(codes("<h1>a</h1><h2>b</h2><h3>c</h3><h2>d</h2><h3>e</h3><h1>f</h1>").is_empty());
        let s = scan("<h1>Title</h1><h2>Part</h2><h4>Deep  <em>one</em></h4>");
        assert_eq!(s.findings.len(), 1);
        assert_eq!(s.findings[0].code, "heading-skip");
        assert!(!s.findings[0].error);
        assert_eq!(
            s.findings[0].message,
            "heading h4 “Deep one” follows h2 “Part”: a level is skipped (expected h3 or higher)"
        );
        assert_eq!(s.findings[0].needles, ["#### Deep one"]);
        assert_eq!(codes("<h2>No h1</h2>"), ["heading-skip"]);
    }

    #[test]
    fn links_need_a_name() {
        assert!(
            codes(r#"<a href="/a">text</a><a href="/b" aria-label="B"></a><a href="/c"><img src="c" alt="C"></a>"#)
                .is_empty()
        );
        assert!(
            codes(
                r##"<a href="/d" title="D"><svg><path d=""/></svg></a><a name="x"></a><a href="#e"><span>E</span></a>"##
            )
            .is_empty()
        );
        assert_eq!(codes(r#"<a href="/e"></a>"#), ["link-no-text"]);
        assert_eq!(codes(r#"<a href="/f"> <img src="f" alt=""> </a>"#), ["link-no-text"]);
        assert_eq!(codes(r#"<a href="/g"><span aria-hidden="true">→</span></a>"#), ["link-no-text"]);
        let f = &scan(r#"<p><a href="/h"></a></p>"#).findings[0];
        assert_eq!(f.message, "link to /h has no text (no text, aria-label or image alt)");
        assert_eq!(f.needles, ["](/h)", "\"/h\""]);
    }

    #[test]
    fn ids_must_be_unique_and_are_reported_once() {
        let s = scan(r#"<p id="a"></p><p id="b"></p><h1 id="a">x</h1><div id="a"></div>"#);
        assert_eq!(s.ids, ["a", "b", "a", "a"]);
        assert_eq!(s.findings.iter().map(|f| f.code).collect::<Vec<_>>(), ["duplicate-id"]);
        assert_eq!(s.findings[0].needles, ["{#a}", "id=\"a\""]);
    }

    #[test]
    fn form_controls_need_a_label() {
        let ok = r#"<form><label for="q">Search</label><input id="q" name="q">
            <label>Lang <select name="l"></select></label><input type="hidden" name="h">
            <textarea aria-label="Note"></textarea><button type="submit">Go</button>
            <input id="late"><label for="late">Late label</label></form>"#;
        assert!(codes(ok).is_empty(), "{:?}", scan(ok).findings);
        let s = scan(r#"<input id="q" name="q"><select name="s"></select><label for="other">x</label>"#);
        let messages: Vec<&str> = s.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "label for=\"other\" names no element of the page",
                "form control <input id=\"q\"> has no label",
                "form control <select name=\"s\"> has no label"
            ]
        );
    }

    #[test]
    fn aria_references_must_name_an_element_of_the_page() {
        assert!(codes(r#"<nav aria-labelledby="t"><h1 id="t">x</h1></nav><p aria-describedby="t">y</p>"#).is_empty());
        let s = scan(
            r#"<h1>x</h1><nav aria-labelledby="a b"></nav><p id="a" aria-describedby="c"></p><i aria-labelledby="b"></i>"#,
        );
        let messages: Vec<&str> = s.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "aria-labelledby=\"b\" names no element of the page",
                "aria-describedby=\"c\" names no element of the page"
            ]
        );
    }

    #[test]
    fn raw_text_is_not_markup() {
        let s = scan(
            r#"<title>a <img> b</title><style>a[id="x"]{}</style><textarea aria-label="t"><h4>no</h4></textarea><h1>x</h1>"#,
        );
        assert!(s.findings.is_empty(), "{:?}", s.findings);
        assert!(s.ids.is_empty());
    }
}
