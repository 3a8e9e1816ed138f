//! Views: the data templates see (documented in `docs/templates.md`). Builds light references
//! once per page and language, and full page and section maps on demand, as minijinja values.

use std::sync::OnceLock;

use minijinja::Value;
use minijinja::value::Serde;
use serde::Serialize;

use crate::content::{Doc, NodeId};
use crate::deps::{Facet, Tracked};
use crate::markdown::Heading;
use crate::model::SiteData;
use crate::slug::slugify;

#[derive(Serialize)]
struct RefView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    path: String,
    permalink: String,
    date: Option<String>,
    updated: Option<String>,
    lang: &'a str,
    is_fallback: bool,
    weight: Option<i64>,
    section: Option<String>,
    /// The year, for lists grouped by year: from `date`, or a meeting's `approximate_date`.
    year: Option<String>,
}

#[derive(Serialize)]
struct LanguageView<'a> {
    code: &'a str,
    name: &'a str,
    locale: &'a str,
    home: String,
}

#[derive(Serialize)]
struct ConfigView<'a> {
    base_url: &'a str,
    title: &'a str,
    default_language: &'a str,
    languages: Vec<LanguageView<'a>>,
    extra: &'a toml::Table,
}

#[derive(Serialize)]
struct TermLink {
    name: String,
    path: String,
}

/// Makes the views every page shares (references, the config view, preview pictures) once,
/// before rendering starts.
pub(crate) fn prepare(site: &mut SiteData) {
    let langs = site.library.langs.len();
    let nodes = site.library.nodes.len();
    site.views.meta = (0..nodes).map(|_| (0..langs).map(|_| OnceLock::new()).collect()).collect();
    let refs = (0..nodes).map(|id| (0..langs).map(|lang| site.build_ref(id, lang)).collect()).collect();
    site.views.refs = Tracked::new(Facet::Ref, refs);
    site.views.config = (0..langs).map(|lang| site.build_config_view(lang)).collect();
    site.previews = site.build_previews();
}

impl SiteData {
    /// The preview picture of each municipality, drawn from its boundary and names.
    fn build_previews(&self) -> std::collections::BTreeMap<NodeId, (String, String)> {
        if !cfg!(feature = "previews") {
            return Default::default();
        }
        let Some(boundaries) = &self.boundaries else { return Default::default() };
        let default = self.default_lang();
        let site_title = self.config.languages.get(default).map(|l| l.title.as_str()).unwrap_or_default();
        self.facts
            .municipalities
            .iter()
            .filter_map(|&m| {
                let doc = self.library.nodes[m].docs[default].as_deref()?;
                let municipality = crate::schema::kind_of::<crate::schema::kinds::Municipality>(doc)?;
                let other = municipality.names.as_ref().and_then(|n| n.get_ref().values().find(|v| *v != doc.title()));
                let picture = super::preview::Preview {
                    teryt: municipality.teryt.get_ref(),
                    name: doc.title(),
                    other_name: other.map(String::as_str),
                    site_title,
                };
                let svg = super::preview::svg(boundaries, &picture);
                let slug = self.library.nodes[m].stem.clone();
                Some((m, (super::preview::file_name(&slug, &svg), svg)))
            })
            .collect()
    }

    fn build_ref(&self, id: NodeId, lang: usize) -> Option<Value> {
        let node = &self.library.nodes[id];
        let path = node.paths[lang].as_ref()?;
        let doc = self.doc(id, lang)?;
        let view = RefView {
            title: doc.title(),
            description: doc.fm.description.as_deref(),
            path: self.href(path),
            permalink: self.permalink(path),
            date: doc.fm.date.map(|d| d.iso()),
            updated: doc.fm.updated.map(|d| d.iso()),
            lang: self.lang_code(self.content_lang(id, lang)),
            is_fallback: node.is_fallback(lang),
            weight: doc.fm.weight,
            section: node.parent.and_then(|p| self.library.nodes[p].paths[lang].as_ref()).map(|p| self.href(p)),
            year: doc.fm.date.map(|d| d.year.to_string()).or_else(|| {
                let forum = crate::schema::kind_of::<crate::schema::kinds::Forum>(doc)?;
                forum.approximate_date.as_ref().map(|d| d.get_ref().chars().take(4).collect())
            }),
        };
        Some(Value::from(Serde(view)))
    }

    fn build_config_view(&self, lang: usize) -> Value {
        let config = &self.config;
        let view = ConfigView {
            base_url: config.base_url_trimmed(),
            title: &config.languages[lang].title,
            default_language: &config.default_language,
            languages: config
                .languages
                .iter()
                .map(|l| LanguageView {
                    code: &l.code,
                    name: &l.name,
                    locale: &l.locale,
                    home: self.href(&format!("{}/", config.lang_prefix(&l.code))),
                })
                .collect(),
            extra: &config.extra,
        };
        Value::from(Serde(view))
    }

    /// The light reference of a node in a language (none if it does not exist there).
    pub(crate) fn reference(&self, node: NodeId, lang: usize) -> Value {
        self.views.refs[node][lang].clone().unwrap_or(Value::from(()))
    }

    pub(crate) fn config_view(&self, lang: usize) -> Value {
        self.views.config[lang].clone()
    }

    /// The references of a section's pages or subsections, as a list that records what it read
    /// when a template uses it: a page that only shows a section's title (a menu) does not depend
    /// on the titles of the section's pages.
    fn members_of(&self, list: &crate::deps::Tracked<Vec<Vec<NodeId>>>, id: NodeId, lang: usize) -> Value {
        let (items, deps) = crate::deps::recording(|| {
            list[id][lang].iter().filter_map(|&id| self.views.refs[id][lang].clone()).collect()
        });
        Value::from_object(RecordedList { items, deps })
    }

    /// The page or section map without `content` (what `get_page`/`get_section` return), cached.
    pub(crate) fn meta(&self, node: NodeId, lang: usize) -> Value {
        let (value, deps) = self.views.meta[node][lang]
            .get_or_init(|| crate::deps::recording(|| Value::from_pairs(self.meta_pairs(node, lang))));
        crate::deps::replay(deps);
        value.clone()
    }

    fn meta_pairs(&self, id: NodeId, lang: usize) -> Vec<(&'static str, Value)> {
        let node = &self.library.nodes[id];
        let Some(doc) = self.doc(id, lang) else {
            return Vec::new();
        };
        let content_lang = self.content_lang(id, lang);
        let mut pairs: Vec<(&'static str, Value)> = Vec::new();
        if let Some(reference) = &self.views.refs[id][lang] {
            for key in [
                "title",
                "description",
                "path",
                "permalink",
                "date",
                "updated",
                "lang",
                "is_fallback",
                "weight",
                "section",
                "year",
            ] {
                pairs.push((key, reference.get_attr(key).unwrap_or_default()));
            }
        }
        let slug = node.paths[lang].as_deref().unwrap_or("/").trim_end_matches('/').rsplit('/').next().unwrap_or("");
        pairs.push(("slug", Value::from(slug)));
        pairs.push(("file", Value::from(doc.file.to_string_lossy().replace('\\', "/"))));
        pairs.push(("extra", Value::from(Serde(&doc.fm.extra))));
        pairs.push(("taxonomies", self.term_links(doc, content_lang)));
        let mut ancestors = Vec::new();
        let mut parent = node.parent;
        while let Some(p) = parent {
            ancestors.push(self.reference(p, lang));
            parent = self.library.nodes[p].parent;
        }
        ancestors.reverse();
        pairs.push(("ancestors", Value::from(ancestors)));
        if let Some((name, view)) = self.kind_view(id, lang) {
            pairs.push(("kind", Value::from(name)));
            pairs.push((name, view));
        }
        let rendered = self.rendered[id][content_lang].as_ref();
        pairs.push(("toc", Value::from(Serde(rendered.map_or(&[][..], |r| &r.toc[..]) as &[Heading]))));
        let words = rendered.map_or(0, |r| r.word_count);
        pairs.push(("word_count", Value::from(words)));
        pairs.push(("reading_minutes", Value::from(words.div_ceil(200).max(1))));
        if node.is_section {
            let sort_by = match doc.fm.sort_by.unwrap_or_default() {
                crate::content::front_matter::SortBy::Date => "date",
                crate::content::front_matter::SortBy::Weight => "weight",
                crate::content::front_matter::SortBy::Title => "title",
                crate::content::front_matter::SortBy::None => "none",
            };
            pairs.push(("sort_by", Value::from(sort_by)));
            pairs.push(("pages", self.members_of(&self.listings.pages, id, lang)));
            pairs.push(("subsections", self.members_of(&self.listings.subsections, id, lang)));
            let feed = self
                .config
                .has_feed(&node.key)
                .then(|| node.paths[lang].as_ref().map(|p| self.href(&format!("{p}atom.xml"))))
                .flatten();
            pairs.push(("feed", Value::from(feed)));
        } else {
            let (previous, next) = self.listings.neighbours[id][lang];
            pairs.push(("previous", previous.map_or_else(|| Value::from(()), |p| self.reference(p, lang))));
            pairs.push(("next", next.map_or_else(|| Value::from(()), |p| self.reference(p, lang))));
        }
        pairs
    }

    /// The full map of a page or section, with its HTML content resolved for `lang`. Reuses the
    /// cached meta map, so the pagers of a long section do not rebuild its page list each time.
    pub(crate) fn full(&self, node: NodeId, lang: usize) -> Value {
        let content_lang = self.content_lang(node, lang);
        let content = if self.facts.guides.contains(&node) {
            // A guide's own page names each local fact generically.
            self.guide_html(node, None, lang)
        } else {
            match self.body_html(node, content_lang) {
                Some(html) => crate::markdown::resolve_links(&html, &self.link_urls[node][lang]),
                None => String::new(),
            }
        };
        let content = ("content", Value::from_safe_string(content));
        if self.library.nodes[node].is_section {
            self.meta_with(node, lang, vec![content])
        } else {
            // Pages are rendered once; caching their maps would only cost memory.
            let mut pairs = self.meta_pairs(node, lang);
            pairs.push(content);
            Value::from_pairs(pairs)
        }
    }

    /// The cached meta map of a node with entries added or replaced (`content`, or the
    /// breadcrumbs of a municipality-local guide).
    pub(crate) fn meta_with(&self, node: NodeId, lang: usize, extra: Vec<(&'static str, Value)>) -> Value {
        let meta = self.meta(node, lang);
        let mut pairs: Vec<(Value, Value)> = meta
            .try_iter()
            .map(|keys| {
                keys.filter(|k| !extra.iter().any(|(e, _)| k.as_str() == Some(e)))
                    .map(|k| (k.clone(), meta.get_item(&k).unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default();
        pairs.extend(extra.into_iter().map(|(k, v)| (Value::from(k), v)));
        Value::from_pairs(pairs)
    }

    fn term_links(&self, doc: &Doc, content_lang: usize) -> Value {
        let code = self.lang_code(content_lang);
        let prefix = self.config.lang_prefix(code);
        let map: std::collections::BTreeMap<&str, Vec<TermLink>> = doc
            .fm
            .taxonomies
            .iter()
            .map(|(tax, terms)| {
                let links = terms
                    .value
                    .iter()
                    .map(|t| TermLink {
                        name: t.clone(),
                        path: self.href(&format!("{prefix}/{tax}/{}/", slugify(t, code))),
                    })
                    .collect();
                (tax.as_str(), links)
            })
            .collect();
        Value::from(Serde(map))
    }
}

/// A list of values whose making read `deps`: replayed into the render that uses the list
/// (iterates it, indexes it, asks its length or truth), not the one that made it.
#[derive(Debug)]
struct RecordedList {
    items: Vec<Value>,
    deps: crate::deps::DepSet,
}

impl minijinja::value::Object for RecordedList {
    fn repr(self: &std::sync::Arc<Self>) -> minijinja::value::ObjectRepr {
        minijinja::value::ObjectRepr::Seq
    }

    fn get_value(self: &std::sync::Arc<Self>, key: &Value) -> Option<Value> {
        crate::deps::replay(&self.deps);
        self.items.get(key.as_usize()?).cloned()
    }

    fn enumerate(self: &std::sync::Arc<Self>) -> minijinja::value::Enumerator {
        crate::deps::replay(&self.deps);
        minijinja::value::Enumerator::Seq(self.items.len())
    }

    fn enumerator_len(self: &std::sync::Arc<Self>) -> Option<usize> {
        crate::deps::replay(&self.deps);
        Some(self.items.len())
    }

    fn is_true(self: &std::sync::Arc<Self>) -> bool {
        crate::deps::replay(&self.deps);
        !self.items.is_empty()
    }
}
