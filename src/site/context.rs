//! Template contexts: the variables each kind of output gives its template, as typed structs.
//! A misspelt or forgotten variable is a compile error, not a template failing at run time,
//! and the structs are the contract `docs/templates.md` documents (a test fails when one of
//! their fields is not documented there).
//!
//! Every HTML page gets the same names (templates run in strict-undefined mode, and the shared
//! layout asks for `page` or `section` on every page): [`Base`], plus the five kind-specific
//! slots of [`PageContext`], whose types say what each kind puts there. A slot a kind never
//! fills has the type [`Absent`], which templates see as none.

use minijinja::Value;
use serde::Serialize;

/// A slot a kind never fills: `none` in templates.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub(crate) struct Absent;

/// The variables of every HTML page ("Variables in every HTML template" in docs/templates.md).
#[derive(Debug, Default, Serialize)]
pub(crate) struct Base {
    pub lang: String,
    pub kind: String,
    pub config: Value,
    pub current_path: String,
    pub current_url: String,
    /// The language switcher.
    pub translations: Vec<LanguageLink>,
    /// The versions for `hreflang` links.
    pub alternates: Vec<Alternate>,
    pub x_default: Option<String>,
    pub noindex: bool,
    pub in_sitemap: bool,
    pub og_locale: String,
    pub og_locale_alternates: Vec<String>,
    pub og_image: Option<OgImage>,
    pub is_fallback: bool,
    /// Whether the page goes into the search index: the theme marks its main content then.
    pub search_indexed: bool,
    pub content_lang: String,
    /// Every page links the accessibility statement in the reader's language (required by law).
    pub accessibility_statement: Option<String>,
}

/// A language in the switcher: the page in that language, or (404) its home.
#[derive(Debug, Serialize)]
pub(crate) struct LanguageLink {
    pub lang: String,
    pub name: String,
    pub path: String,
    pub current: bool,
}

/// The preview image of a shared link, with its text alternative.
#[derive(Debug, Serialize)]
pub(crate) struct OgImage {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// An HTML page's context: [`Base`] and the five slots, typed per kind by the aliases below.
#[derive(Debug, Serialize)]
pub(crate) struct PageContext<Page, Section, Paginator, Taxonomy, Term> {
    #[serde(flatten)]
    pub base: Base,
    pub page: Page,
    pub section: Section,
    pub paginator: Paginator,
    pub taxonomy: Taxonomy,
    pub term: Term,
}

/// A page (`page`) or a section (`section`), paginated or not.
pub(crate) type NodeContext = PageContext<Option<Value>, Option<Value>, Option<PaginatorView>, Absent, Absent>;
/// The list of terms of a taxonomy.
pub(crate) type TaxonomyListContext = PageContext<Absent, Absent, Absent, TaxonomyView, Absent>;
/// The pages of one term, one file per pager when the taxonomy is paginated.
pub(crate) type TermContext = PageContext<Absent, Absent, Option<PaginatorView>, TaxonomyView, TermView>;
/// The 404 page of a language.
pub(crate) type NotFoundContext = PageContext<Absent, Absent, Absent, Absent, Absent>;
/// A generated page shown as a `page` map: the completeness report, a municipality's migrant
/// guide or pack, the map page of a category.
pub(crate) type GeneratedContext = PageContext<Value, Absent, Absent, Absent, Absent>;

impl<P, S, G, T, M> PageContext<P, S, G, T, M> {
    pub(super) fn new(base: Base, page: P, section: S, paginator: G, taxonomy: T, term: M) -> Self {
        PageContext { base, page, section, paginator, taxonomy, term }
    }
}

impl GeneratedContext {
    pub(super) fn generated(base: Base, page: Value) -> Self {
        PageContext::new(base, page, Absent, Absent, Absent, Absent)
    }
}

/// One pager of a list ("Paginator" in docs/templates.md).
#[derive(Debug, Serialize)]
pub(crate) struct PaginatorView {
    /// References of this pager's pages.
    pub pages: Vec<Value>,
    pub current_index: usize,
    pub number_pagers: usize,
    pub total_items: usize,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// A taxonomy with its terms ("Taxonomy and term").
#[derive(Debug, Serialize)]
pub(crate) struct TaxonomyView {
    pub name: String,
    pub path: String,
    pub terms: Vec<TermSummary>,
}

/// A term in its taxonomy's list.
#[derive(Debug, Serialize)]
pub(crate) struct TermSummary {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub page_count: usize,
}

/// The term a page lists.
#[derive(Debug, Serialize)]
pub(crate) struct TermView {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub page_count: usize,
    /// Every reference when the taxonomy is not paginated (else the paginator has them).
    pub pages: Option<Vec<Value>>,
}

/// The built-in `atom.xml` of a section.
#[derive(Debug, Serialize)]
pub(crate) struct FeedContext {
    pub lang: String,
    pub config: Value,
    pub section: Value,
    pub feed_url: String,
    pub updated: String,
    pub entries: Vec<FeedEntry>,
}

/// One entry of a feed.
#[derive(Debug, Serialize)]
pub(crate) struct FeedEntry {
    pub title: String,
    pub description: Option<String>,
    pub permalink: String,
    pub lang: String,
    pub published: String,
    pub updated: String,
    pub content: String,
}

/// The built-in `sitemap.xml`: a list of URLs, or (past the protocol's limit) the index of
/// the part files.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum SitemapContext {
    Entries { entries: Vec<SitemapEntry> },
    Index { index: Vec<String> },
}

/// One URL of the sitemap with its language versions.
#[derive(Debug, Serialize)]
pub(crate) struct SitemapEntry {
    pub loc: String,
    pub lastmod: Option<String>,
    pub alternates: Vec<Alternate>,
    pub x_default: Option<String>,
}

/// A language version of a page, for `hreflang`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Alternate {
    pub lang: String,
    pub url: String,
}

/// The built-in `robots.txt`.
#[derive(Debug, Serialize)]
pub(crate) struct RobotsContext {
    pub sitemap_url: String,
}

/// The template value of a context.
pub(crate) fn value<T: Serialize>(context: &T) -> Value {
    Value::from(minijinja::value::Serde(context))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_a_kind_never_fills_is_none_and_every_name_is_defined() {
        let base = Base { lang: "pl".into(), kind: "404".into(), ..Base::default() };
        let ctx: NotFoundContext = PageContext::new(base, Absent, Absent, Absent, Absent, Absent);
        let value = value(&ctx);
        for slot in ["page", "section", "paginator", "taxonomy", "term", "og_image", "x_default"] {
            assert!(value.get_attr(slot).unwrap().is_none(), "{slot}");
        }
        assert_eq!(value.get_attr("lang").unwrap().as_str(), Some("pl"));
        assert_eq!(value.get_attr("translations").unwrap().len(), Some(0));
    }

    #[test]
    fn a_sitemap_has_either_entries_or_an_index() {
        let index = value(&SitemapContext::Index { index: vec!["https://x/sitemap-1.xml".into()] });
        assert!(index.get_attr("index").unwrap().len() == Some(1) && index.get_attr("entries").unwrap().is_undefined());
    }
}
