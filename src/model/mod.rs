//! The site model: everything the render phase reads, loaded and validated, shared read-only by
//! all workers. Loading fills it (`site::load`), templates turn it into views, search and checks
//! read it; it knows none of them.

mod assets;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use minijinja::Value;

pub(crate) use assets::Assets;

use crate::config::Config;
use crate::content::listing::Listings;
use crate::content::{Doc, Library, NodeId};
use crate::deps::{DepSet, Tracked};
use crate::i18n::Locales;
use crate::markdown::Rendered;
use crate::schema::Facts;
use crate::schema::geo::Boundaries;

/// Everything the render phase reads.
pub(crate) struct SiteData {
    pub config: Config,
    pub library: Library,
    pub listings: Listings,
    pub locales: Locales,
    pub assets: Assets,
    /// `[node][lang]` Markdown of each real document.
    pub rendered: Tracked<Vec<Option<std::sync::Arc<Rendered>>>>,
    /// `[node][lang]` resolved URLs of the `@/` links of the document shown in `lang`.
    pub link_urls: Tracked<Vec<Vec<String>>>,
    /// What the schema found: municipalities, their services and local facts.
    pub facts: Facts,
    pub boundaries: Option<Boundaries>,
    /// The folder of the search index and Pagefind's code under the output (`pagefind/<hash>/`),
    /// decided before rendering; none when built without search.
    pub search_bundle: Option<String>,
    /// Municipality → (output path, SVG) of its link-preview image (empty without the
    /// `previews` feature or a boundary file). Drawn by the templates phase.
    pub previews: BTreeMap<NodeId, (String, String)>,
    /// Template values made once per node and language, so that every worker shares one copy.
    /// Filled by the templates phase; the model only holds them.
    pub views: ViewCache,
}

/// Template values shared by all pages: see [`SiteData::views`].
#[derive(Default)]
pub(crate) struct ViewCache {
    /// `[node][lang]` light reference of a page (none where it does not exist in `lang`).
    pub refs: Tracked<Vec<Option<Value>>>,
    /// `[node][lang]` page or section map without its content, made when first asked for,
    /// with what making it read (replayed into every render that uses it).
    pub meta: Vec<Vec<OnceLock<(Value, DepSet)>>>,
    /// `[lang]` the `config` variable of templates.
    pub config: Vec<Value>,
}

impl SiteData {
    pub(crate) fn default_lang(&self) -> usize {
        self.library.default_lang
    }

    pub(crate) fn lang_code(&self, lang: usize) -> &str {
        &self.library.langs[lang]
    }

    /// A site path with the base path in front: `/en/` → `/portal/en/`.
    pub(crate) fn href(&self, site_path: &str) -> String {
        format!("{}{site_path}", self.config.base_path())
    }

    pub(crate) fn permalink(&self, site_path: &str) -> String {
        self.config.absolute(&self.href(site_path))
    }

    /// The document shown for `node` in `lang`.
    pub(crate) fn doc(&self, node: NodeId, lang: usize) -> Option<&Doc> {
        self.library.nodes[node].doc_for(lang, self.default_lang())
    }

    /// The HTML of a document's Markdown (`content_lang`: the language of the text), with its
    /// `@/` links as markers. Made again on each call: the model keeps only what Markdown gives
    /// besides the HTML, so that it does not hold every page's text twice.
    pub(crate) fn body_html(&self, node: NodeId, content_lang: usize) -> Option<String> {
        let doc = self.library.nodes[node].docs[content_lang].as_deref()?;
        let smart = self.config.markdown.smart_punctuation;
        Some(crate::markdown::render(doc.body(), &self.library.langs[content_lang], smart).html)
    }

    /// The language of the text shown for `node` in `lang`.
    pub(crate) fn content_lang(&self, node: NodeId, lang: usize) -> usize {
        if self.library.nodes[node].is_fallback(lang) { self.default_lang() } else { lang }
    }
}
