//! The language versions of every output page: the one source from which the language
//! switcher, the `hreflang` links, `x-default`, the canonical URL, `noindex`, the sitemap's
//! entries and the Open Graph locales are all derived, so that they cannot disagree.

use super::context::{Alternate, Base, LanguageLink};
use super::pages::completeness_path;
use super::plan::Job;
use crate::model::SiteData;

/// One page's versions: the site path of each language that has its own version of this page
/// (a fallback, rendered from the Polish text, is not a version), and whether this page itself
/// is indexable.
#[derive(Debug, Clone)]
pub(super) struct Versions {
    /// The language of the page being rendered.
    pub lang: usize,
    /// Site path per language, `None` where the page has no version of its own.
    pub paths: Vec<Option<String>>,
    /// False for fallbacks, the completeness report and the like: `noindex`, no `hreflang`,
    /// not in the sitemap.
    pub indexable: bool,
    /// A later pager of a list: indexable, but it is not the page the versions are of, so it
    /// gets no `hreflang` and no sitemap entry (the first pager stands for the list).
    pub later_pager: bool,
    /// The path of this page, even when it is not one of `paths` (a fallback).
    pub own_path: String,
}

impl Versions {
    /// The language switcher: the versions that exist (a fallback offers only the real ones),
    /// the current page marked; a later pager marks itself and links the others' lists.
    pub(super) fn switcher(&self, site: &SiteData) -> Vec<LanguageLink> {
        site.config
            .languages
            .iter()
            .enumerate()
            .filter_map(|(l, language)| {
                let path = self.paths[l].as_ref()?;
                let path = if l == self.lang { &self.own_path } else { path };
                Some(LanguageLink {
                    lang: language.code.clone(),
                    name: language.name.clone(),
                    path: site.href(path),
                    current: l == self.lang,
                })
            })
            .collect()
    }

    /// `hreflang` alternates (every indexable version, this one included) and `x-default` (the
    /// Polish version). Empty for a page that is not indexable or has no other version.
    pub(super) fn alternates(&self, site: &SiteData) -> (Vec<(String, String)>, Option<String>) {
        if !self.indexable || self.later_pager {
            return (Vec::new(), None);
        }
        let list: Vec<(String, String)> = self
            .paths
            .iter()
            .enumerate()
            .filter_map(|(l, p)| Some((site.lang_code(l).to_string(), site.permalink(p.as_ref()?))))
            .collect();
        if list.len() < 2 {
            return (Vec::new(), None);
        }
        let x_default = self.paths[site.default_lang()].as_ref().map(|p| site.permalink(p));
        (list, x_default)
    }

    /// The locales of the other versions, for `og:locale:alternate` (`en_GB`, `uk_UA`).
    pub(super) fn other_locales(&self, site: &SiteData) -> Vec<String> {
        if !self.indexable || self.later_pager {
            return Vec::new();
        }
        self.paths
            .iter()
            .enumerate()
            .filter(|(l, p)| *l != self.lang && p.is_some())
            .map(|(l, _)| og_locale(&site.config.languages[l].locale))
            .collect()
    }
}

/// `pl-PL` → `pl_PL`, as Open Graph writes locales.
pub(super) fn og_locale(locale: &str) -> String {
    locale.replace('-', "_")
}

/// The versions of a page job; `None` for outputs that are not HTML pages of the site (feeds,
/// data, the sitemap) and for 404 pages, which are no page's version.
pub(super) fn of_job(site: &SiteData, job: &Job) -> Option<Versions> {
    let langs = site.library.langs.len();
    let all = |path_of: &dyn Fn(usize) -> Option<String>| (0..langs).map(path_of).collect::<Vec<_>>();
    match job {
        Job::Node { id, lang, pager } => {
            let node = &site.library.nodes[*id];
            let own = node.paths[*lang].clone()?;
            let paths = (0..langs).map(|l| if node.docs[l].is_some() { node.paths[l].clone() } else { None }).collect();
            let own_path = crate::content::listing::pager_path(&own, *pager);
            Some(Versions {
                lang: *lang,
                paths,
                indexable: !node.is_fallback(*lang),
                later_pager: *pager > 1,
                own_path,
            })
        }
        Job::MigrantLocal { guide, municipality, lang } => {
            let node = &site.library.nodes[*guide];
            let paths =
                all(&|l| node.docs[l].as_deref().and_then(|_| site.migrant_local_path(*guide, *municipality, l)));
            let own_path = site.migrant_local_path(*guide, *municipality, *lang)?;
            Some(Versions { lang: *lang, paths, indexable: !node.is_fallback(*lang), later_pager: false, own_path })
        }
        Job::MigrantPack { municipality, lang } => {
            let paths = all(&|l| site.migrant_pack_path(*municipality, l));
            let own_path = paths[*lang].clone()?;
            Some(Versions { lang: *lang, paths, indexable: true, later_pager: false, own_path })
        }
        Job::MapCategory { category, lang } => {
            let paths = all(&|l| site.map_category_path(*category, l));
            let own_path = paths[*lang].clone()?;
            Some(Versions { lang: *lang, paths, indexable: true, later_pager: false, own_path })
        }
        Job::TaxonomyList { tax, lang } => {
            let taxonomy = &site.listings.taxonomies[*tax];
            let paths = all(&|l| Some(taxonomy.paths[l].clone()));
            Some(Versions {
                lang: *lang,
                own_path: taxonomy.paths[*lang].clone(),
                paths,
                indexable: true,
                later_pager: false,
            })
        }
        Job::Term { tax, lang, term, pager } => {
            // Terms are free words of each language: a term has no versions in other languages.
            let t = &site.listings.taxonomies[*tax].terms[*lang][*term];
            let mut paths = vec![None; langs];
            paths[*lang] = Some(t.path.clone());
            let own_path = crate::content::listing::pager_path(&t.path, *pager);
            Some(Versions { lang: *lang, paths, indexable: true, later_pager: *pager > 1, own_path })
        }
        Job::Completeness { lang } => {
            let paths = all(&|l| Some(completeness_path(site, l)));
            Some(Versions {
                lang: *lang,
                own_path: completeness_path(site, *lang),
                paths,
                indexable: false,
                later_pager: false,
            })
        }
        _ => None,
    }
}

/// Sets the context variables that come from a page's versions.
pub(super) fn apply(base: &mut Base, site: &SiteData, versions: &Versions) {
    let (alternates, x_default) = versions.alternates(site);
    base.translations = versions.switcher(site);
    base.alternates = alternates.into_iter().map(|(lang, url)| Alternate { lang, url }).collect();
    base.x_default = x_default;
    base.noindex = !versions.indexable;
    base.in_sitemap = versions.indexable && !versions.later_pager;
    base.og_locale_alternates = versions.other_locales(site);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing;

    #[test]
    fn a_fallback_is_not_a_version_and_is_not_indexable() {
        let fixture = testing::typed();
        let site = &fixture.loaded.site;
        let about = site.library.by_key["o-stowarzyszeniu.md"];
        let polish = of_job(site, &Job::Node { id: about, lang: 0, pager: 1 }).unwrap();
        assert!(polish.indexable);
        assert_eq!(polish.paths, [Some("/o-stowarzyszeniu/".to_string()), None, None]);
        let english = of_job(site, &Job::Node { id: about, lang: 1, pager: 1 }).unwrap();
        assert!(!english.indexable, "the English page shows the Polish text");
        assert_eq!(english.switcher(site).len(), 1, "the switcher offers only the real version");
        assert_eq!(english.alternates(site), (Vec::new(), None));
    }
}
