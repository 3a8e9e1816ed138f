//! Search: after the pages are rendered and before the output is committed, indexes them with
//! Pagefind (used as a library, in-process) into one index per language, and writes the index
//! and Pagefind's browser code through the output staging (so the atomic swap and
//! write-if-unchanged hold for them too).
//!
//! What is indexed: the pages the build hands over (real, non-fallback content pages, first
//! pager only) whose HTML marks its main content with `data-pagefind-body`; a theme without that
//! attribute gets no index. Pagefind takes the language from `<html lang>`.
//!
//! Pagefind knows nothing of our users' spellings, so each page also gets search-only keywords
//! (a `data-pagefind-meta` attribute added to the copy Pagefind reads, never to the published
//! page, so nothing reaches screen readers or the excerpts): ASCII spellings of words with `ł`
//! (Pagefind folds `ś`, `ó`, `ż`… itself, but `ł` has no Unicode decomposition), Ukrainian words
//! without their apostrophe, the base forms and other-script spellings of `search.toml` of the
//! theme, and the Polish, ASCII and transliterated names of the page's municipality.

#![cfg_attr(
    not(feature = "search"),
    allow(dead_code, reason = "the keywords and the page shape serve the Pagefind engine only")
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::content::NodeId;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::SiteData;

/// The theme file with the search vocabulary (`themes/<theme>/search.toml`).
pub(crate) const VOCABULARY_FILE: &str = "search.toml";

/// Folder of Pagefind's bundle inside the output; the bundle itself is in a subfolder named by
/// the hash of Pagefind's browser code (see [`bundle_dir`]).
pub(crate) const BUNDLE_ROOT: &str = "pagefind";

/// Per-language search vocabulary of the theme.
#[derive(Debug, Default, Clone)]
pub(crate) struct Vocabulary {
    langs: BTreeMap<String, LangVocabulary>,
}

/// The vocabulary of one language (a table `[uk]` of `search.toml`).
#[derive(Debug, Default, Clone)]
struct LangVocabulary {
    /// Dictionary forms of words people search for. A page containing any word that starts with
    /// a form's stem (the form without its last vowel or soft sign) is found by the form itself:
    /// without a Ukrainian stemmer, `допомога` would not find a page that says `допомоги`.
    base_forms: Vec<String>,
    /// Other spellings of a word: a page containing the key (whole word, any case) is also found
    /// by each of the spellings (`PESEL = ["ПЕСЕЛЬ"]`).
    spellings: BTreeMap<String, Vec<String>>,
}

/// The shortest stem a base form may have; shorter ones would match too many words.
const MIN_STEM_CHARS: usize = 3;

impl Vocabulary {
    /// Reads `<theme>/search.toml` if it exists; reports syntax errors, unknown keys and unknown
    /// languages at their line.
    pub(crate) fn load(root: &Path, theme_dir: &Path, langs: &[String], diags: &Diagnostics) -> Vocabulary {
        let path = theme_dir.join(VOCABULARY_FILE);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Vocabulary::default();
        };
        let file = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        type Spanned<T> = toml::Spanned<T>;
        type LangTable = BTreeMap<Spanned<String>, Spanned<toml::Value>>;
        let table: BTreeMap<Spanned<String>, Spanned<LangTable>> = match toml::from_str(&text) {
            Ok(table) => table,
            Err(err) => {
                let location = match err.span() {
                    Some(span) => Location::from_span(&file, &text, span),
                    None => Location::file(&file),
                };
                diags.push(
                    Diagnostic::error("search-vocabulary", format!("invalid search vocabulary: {}", err.message()))
                        .at(location)
                        .hint("a table per language code, e.g. [uk], with base_forms = [\"…\"] and [uk.spellings]"),
                );
                return Vocabulary::default();
            }
        };
        let mut vocabulary = Vocabulary::default();
        let error = |message: String, span: std::ops::Range<usize>, hint: &str| {
            diags.push(
                Diagnostic::error("search-vocabulary", message)
                    .at(Location::from_span(&file, &text, span))
                    .hint(hint.to_string()),
            );
        };
        for (lang, entries) in table {
            if !langs.iter().any(|l| l == lang.get_ref()) {
                error(
                    format!("`{}` is not a language of the site", lang.get_ref()),
                    lang.span(),
                    &format!("tables are named by language code: {}", langs.join(", ")),
                );
                continue;
            }
            let mut v = LangVocabulary::default();
            for (key, value) in entries.into_inner() {
                let span = value.span();
                match key.get_ref().as_str() {
                    "base_forms" => match value.into_inner().try_into::<Vec<String>>() {
                        Ok(forms) => {
                            for form in &forms {
                                if stem(form).chars().count() < MIN_STEM_CHARS {
                                    error(
                                        format!("base form `{form}` is too short: it would match too many words"),
                                        span.clone(),
                                        &format!("base forms need at least {} letters", MIN_STEM_CHARS + 1),
                                    );
                                }
                            }
                            v.base_forms = forms;
                        }
                        Err(_) => error("base_forms must be a list of words".into(), span, "base_forms = [\"житло\"]"),
                    },
                    "spellings" => match value.into_inner().try_into::<BTreeMap<String, Vec<String>>>() {
                        Ok(spellings) => v.spellings = spellings,
                        Err(_) => error(
                            "spellings must map a word to a list of spellings".into(),
                            span,
                            "[uk.spellings] then a line PESEL = [\"ПЕСЕЛЬ\"]",
                        ),
                    },
                    other => error(
                        format!("[{}]: unknown key `{other}`", lang.get_ref()),
                        key.span(),
                        "a language table has `base_forms` and `spellings`",
                    ),
                }
            }
            vocabulary.langs.insert(lang.into_inner(), v);
        }
        vocabulary
    }
}

/// A base form without its last vowel, soft sign or `й`: `допомога` → `допомог`, `житло` →
/// `житл`, `лікар` → `лікар`.
fn stem(form: &str) -> String {
    let lower = form.to_lowercase();
    let mut chars: Vec<char> = lower.chars().collect();
    if chars.last().is_some_and(|c| "аяоеєиіїуюьйaeiouy".contains(*c)) {
        chars.pop();
    }
    chars.into_iter().collect()
}

/// One rendered page handed to the index.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Site path without the base path (`/uk/gminy/wieliczka/`): the URL Pagefind stores.
    pub path: String,
    pub node: NodeId,
    pub lang: usize,
    pub html: String,
}

/// A rendered page as Pagefind will read it ([`for_pagefind`] with its [`keywords`]), made as
/// soon as the page is rendered: the build then keeps one copy of each page until indexing,
/// not the published HTML and a second, keyworded one.
pub(crate) fn prepare(site: &SiteData, vocabulary: &Vocabulary, mut page: Page) -> Page {
    let keywords = keywords(site, vocabulary, &page);
    page.html = for_pagefind(&page.html, &keywords);
    page
}

/// Whether a rendered page asks to be indexed: its theme marked the main content.
pub(crate) fn wants_index(html: &str) -> bool {
    html.contains(" data-pagefind-body")
}

/// The text of the indexed part of a page (from the `data-pagefind-body` element to the end of
/// `<main>`, or the whole body), tags removed and the few entities our templates emit decoded.
fn indexed_text(html: &str) -> String {
    let tag = html.find(" data-pagefind-body").or_else(|| html.find("<body")).unwrap_or(0);
    // The text starts after the marked element's start tag.
    let start = html[tag..].find('>').map_or(tag, |i| tag + i + 1);
    let end = html[start..].find("</main>").map_or(html.len(), |e| start + e);
    let mut text = String::with_capacity(end - start);
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
}

/// The words of `text`: runs of letters and digits, with apostrophes inside a word kept.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || is_apostrophe(c)))
        .map(|w| w.trim_matches(is_apostrophe))
        .filter(|w| !w.is_empty())
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Polish letters without a Unicode decomposition, which Pagefind's diacritic folding misses.
fn fold_l(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'ł' => 'l',
            'Ł' => 'L',
            c => c,
        })
        .collect()
}

/// The municipality a page belongs to: itself, or the nearest municipality section above it.
fn municipality_of(site: &SiteData, node: NodeId) -> Option<NodeId> {
    let mut current = Some(node);
    while let Some(id) = current {
        if site.facts.municipalities.contains(&id) {
            return Some(id);
        }
        current = site.library.nodes[id].parent;
    }
    None
}

/// The search-only keywords of a page, lower-cased, sorted and without duplicates.
pub(crate) fn keywords(site: &SiteData, vocabulary: &Vocabulary, page: &Page) -> Vec<String> {
    let code = site.lang_code(page.lang);
    let text = indexed_text(&page.html);
    let mut out: BTreeSet<String> = BTreeSet::new();
    let page_words: BTreeSet<String> = words(&text).map(str::to_lowercase).collect();
    for word in &page_words {
        if word.contains('ł') {
            out.insert(fold_l(word));
        }
        if word.contains(is_apostrophe) {
            // Typed with another apostrophe (or none), the word would not match: index it without.
            out.insert(word.chars().filter(|c| !is_apostrophe(*c)).collect());
        }
    }
    // The municipality's names: Polish (with and without diacritics) and as this language writes
    // it, transliterated to Latin for Ukrainian (KMU 2010: Краків → Krakiv).
    let mut names: BTreeSet<String> = BTreeSet::new();
    if let Some(m) = municipality_of(site, page.node) {
        let polish = site.doc(m, site.default_lang()).map(|d| d.title().to_string()).unwrap_or_default();
        let local = site.doc(m, page.lang).map(|d| d.title().to_string()).unwrap_or_default();
        // The one form per language each municipality and its seat have (`names = { uk = … }`),
        // so that "Величка" finds a Wieliczka page in every language.
        let mut forms = vec![polish, local];
        if let Some(municipality) =
            site.doc(m, site.default_lang()).and_then(crate::schema::kind_of::<crate::schema::kinds::Municipality>)
        {
            forms.extend(municipality.names.iter().flat_map(|n| n.get_ref().values().cloned()));
            forms.push(municipality.seat.name.clone());
            forms.extend(municipality.seat.names.values().cloned());
        }
        for name in &forms {
            names.extend(words(name).map(str::to_lowercase));
            names.extend(words(&deunicode::deunicode(name)).map(str::to_lowercase));
        }
    }
    if let Some(v) = vocabulary.langs.get(code) {
        for form in &v.base_forms {
            let stem = stem(form);
            if page_words.iter().any(|w| w.starts_with(&stem)) {
                out.insert(form.to_lowercase());
            }
        }
        for (word, spellings) in &v.spellings {
            let word = word.to_lowercase();
            if names.contains(&word) {
                names.extend(spellings.iter().map(|s| s.to_lowercase()));
            } else if page_words.contains(&word) {
                out.extend(spellings.iter().map(|s| s.to_lowercase()));
            }
        }
    }
    for name in names {
        if code == "uk" {
            let latin = crate::slug::ukrainian_to_latin(&name);
            if latin != name {
                out.insert(latin.to_lowercase());
            }
        }
        out.insert(name);
    }
    // Keywords are single words: split what a spelling or fold joined, drop apostrophes inside.
    let mut out: BTreeSet<String> = out
        .iter()
        .flat_map(|k| words(k).map(str::to_string).collect::<Vec<_>>())
        .flat_map(|k| {
            let bare: String = k.chars().filter(|c| !is_apostrophe(*c)).collect();
            [k, bare]
        })
        .collect();
    // What the page already says needs no keyword.
    out.retain(|k| !page_words.contains(k));
    out.into_iter().collect()
}

/// Block elements after which Pagefind's text extraction adds no space: without one, a label
/// and its value (`<dt>Adres</dt><dd>ul. …</dd>`) run together in excerpts (`Adresul. …`).
const BLOCK_ENDS: &[&str] =
    &["</dt>", "</dd>", "</th>", "</td>", "</li>", "</p>", "</div>", "</h1>", "</h2>", "</h3>", "</h4>"];

/// The page as Pagefind reads it: the published HTML with a space after block elements, and the
/// keywords as a metadata field on an empty element at the start of `<body>` (outside the
/// indexed body, so excerpts never show them). The published page itself is not changed.
fn for_pagefind(html: &str, keywords: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(i) = rest.find("</") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match BLOCK_ENDS.iter().find(|end| rest.starts_with(**end)) {
            Some(end) => {
                out.push_str(end);
                out.push(' ');
                rest = &rest[end.len()..];
            }
            None => {
                out.push_str("</");
                rest = &rest[2..];
            }
        }
    }
    out.push_str(rest);
    if keywords.is_empty() {
        return out;
    }
    let Some(body) = out.find("<body") else { return out };
    let Some(close) = out[body..].find('>') else { return out };
    let at = body + close + 1;
    let list: String = keywords.join(" ").replace(['"', '<', '>', '&', ','], " ");
    out.insert_str(at, &format!("<span data-pagefind-meta=\"keywords:{list}\"></span>"));
    out
}

/// What the index step did, for the build summary and tests.
#[derive(Debug, Default, Clone)]
pub(crate) struct IndexSummary {
    /// Indexed pages per language code.
    pub pages: BTreeMap<String, usize>,
    pub files: usize,
}

#[cfg(feature = "search")]
mod engine {
    //! The Pagefind calls, behind the `search` feature.

    use std::sync::OnceLock;

    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;

    use super::{BUNDLE_ROOT, IndexSummary, Page};
    use crate::model::SiteData;
    use crate::output::Staging;

    /// Files of Pagefind's bundle we publish: the search API, its worker, the WebAssembly of each
    /// language, the entry file and the index. The UI variants (`pagefind-ui.js`, …) are not
    /// used: the theme has its own accessible results list.
    fn published(name: &str) -> bool {
        matches!(name, "pagefind.js" | "pagefind-worker.js" | "pagefind-entry.json")
            || name.starts_with("wasm.")
            || name.contains(".pf_")
    }

    fn runtime() -> Result<tokio::runtime::Runtime, String> {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|err| format!("cannot start the search indexer: {err}"))
    }

    fn config() -> PagefindServiceConfig {
        PagefindServiceConfig::builder().build()
    }

    /// The bundle folder inside the output, `pagefind/<hash>/`: the hash is of Pagefind's browser
    /// code, so the folder changes exactly when that code does (a Pagefind upgrade). Its files
    /// keep the fixed names Pagefind's JavaScript loads them by (`pagefind-worker.js`,
    /// `wasm.pl.pagefind`, …), and may be cached for long; only `pagefind-entry.json` changes
    /// with the content (Pagefind fetches it with a cache-busting query).
    pub(crate) fn bundle_dir() -> Option<&'static str> {
        static DIR: OnceLock<Option<String>> = OnceLock::new();
        DIR.get_or_init(|| {
            let files = runtime().ok()?.block_on(async {
                let mut index = PagefindIndex::new(Some(config())).ok()?;
                let probe = "<html lang=\"en\"><body><main data-pagefind-body><h1>probe</h1></main></body></html>";
                index.add_html_file(None, Some("/".into()), probe.into()).await.ok()?;
                index.get_files().await.ok()
            })?;
            let mut hasher = blake3::Hasher::new();
            for file in &files {
                let name = file.filename.to_string_lossy();
                if matches!(name.as_ref(), "pagefind.js" | "pagefind-worker.js") {
                    hasher.update(name.as_bytes());
                    hasher.update(&file.contents);
                }
            }
            Some(format!("{BUNDLE_ROOT}/{}/", &hasher.finalize().to_hex()[..10]))
        })
        .as_deref()
    }

    /// Indexes `pages` (made by [`prepare`], in any order: they are sorted by path, so the index
    /// is deterministic) and writes the bundle into the staging folder.
    pub(crate) fn write_index(
        site: &SiteData,
        mut pages: Vec<Page>,
        staging: &Staging,
    ) -> Result<IndexSummary, String> {
        let dir = bundle_dir().ok_or("cannot start the search indexer")?;
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        let mut summary = IndexSummary::default();
        let files = runtime()?.block_on(async {
            let mut index = PagefindIndex::new(Some(config())).map_err(|e| e.to_string())?;
            for page in pages {
                index
                    .add_html_file(None, Some(page.path.clone()), page.html)
                    .await
                    .map_err(|e| format!("cannot index {}: {e}", page.path))?;
                *summary.pages.entry(site.lang_code(page.lang).to_string()).or_default() += 1;
            }
            index.get_files().await.map_err(|e| format!("cannot build the search index: {e}"))
        })?;
        for file in files {
            let name = file.filename.to_string_lossy().replace('\\', "/");
            if !published(name.rsplit('/').next().unwrap_or(&name)) {
                continue;
            }
            staging.write(&format!("{dir}{name}"), &file.contents).map_err(|e| e.to_string())?;
            summary.files += 1;
        }
        Ok(summary)
    }
}

#[cfg(feature = "search")]
pub(crate) use engine::{bundle_dir, write_index};

/// Without the `search` feature there is no bundle: search pages say search is unavailable.
#[cfg(not(feature = "search"))]
pub(crate) fn bundle_dir() -> Option<&'static str> {
    None
}

/// Without the `search` feature, nothing is indexed.
#[cfg(not(feature = "search"))]
pub(crate) fn write_index(
    _site: &SiteData,
    _pages: Vec<Page>,
    _staging: &crate::output::Staging,
) -> Result<IndexSummary, String> {
    Ok(IndexSummary::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_drop_one_final_vowel() {
        assert_eq!(stem("допомога"), "допомог");
        assert_eq!(stem("житло"), "житл");
        assert_eq!(stem("лікар"), "лікар");
        assert_eq!(stem("Лікарня"), "лікарн");
    }

    #[test]
    fn text_is_taken_from_the_indexed_body() {
        let html = "<html><body><nav>Menu</nav><main id=\"main\" data-pagefind-body><h1>Żłobek &amp; klub</h1>\
                    <p>Ośrodek</p></main><footer>Stopka</footer></body></html>";
        let text = indexed_text(html);
        let w: Vec<&str> = words(&text).collect();
        assert_eq!(w, ["Żłobek", "klub", "Ośrodek"]);
    }

    #[test]
    fn words_keep_inner_apostrophes() {
        let w: Vec<&str> = words("здоровʼя, ‘м'ясо’ (don’t)").collect();
        assert_eq!(w, ["здоровʼя", "м'ясо", "don’t"]);
    }

    #[test]
    fn keywords_go_on_an_empty_element_outside_the_body() {
        let html = "<html lang=\"pl\"><body data-kind=\"page\"><main data-pagefind-body>x</main></body></html>";
        let out = for_pagefind(html, &["zlobek".into(), "wieliczka".into()]);
        assert_eq!(
            out,
            "<html lang=\"pl\"><body data-kind=\"page\"><span data-pagefind-meta=\"keywords:zlobek wieliczka\"></span>\
             <main data-pagefind-body>x</main></body></html>"
        );
        assert_eq!(for_pagefind(html, &[]), html);
    }

    #[test]
    fn block_elements_are_followed_by_a_space() {
        let html = "<dl><div><dt>Adres</dt><dd>ul. Długa 1</dd></div></dl><p><a href=\"/\">a</a><b>b</b></p>";
        assert_eq!(
            for_pagefind(html, &[]),
            "<dl><div><dt>Adres</dt> <dd>ul. Długa 1</dd> </div> </dl><p><a href=\"/\">a</a><b>b</b></p> "
        );
    }

    #[test]
    fn l_is_folded() {
        assert_eq!(fold_l("żłobek"), "żlobek");
        assert_eq!(fold_l("Łódź"), "Lódź");
    }
}
