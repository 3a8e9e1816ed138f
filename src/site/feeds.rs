//! Feeds and the sitemap: the Atom feed of each configured section and `sitemap.xml` (split
//! into parts past the protocol's limit), made from the same plan and language versions as the
//! pages.

use crate::content::NodeId;
use crate::markdown::{self};
use crate::model::SiteData;
use crate::templates::Templates;

use super::context::{self, Alternate, FeedContext, FeedEntry, SitemapContext, SitemapEntry};
use super::plan::Job;
use super::plan::plan;
use super::render::Output;
use super::versions;

pub(super) fn render_feed(site: &SiteData, id: NodeId, lang: usize) -> Output {
    const FEED_ENTRIES: usize = 30;
    let path = site.library.nodes[id].paths[lang].as_deref().expect("feed sections exist");
    let mut items: Vec<NodeId> =
        site.listings.pages[id][lang].iter().copied().filter(|&p| !site.library.nodes[p].is_fallback(lang)).collect();
    let stamp =
        |p: NodeId| site.doc(p, lang).and_then(|d| d.fm.updated.or(d.fm.date)).map_or(i64::MIN, |d| d.timestamp());
    items.sort_by_key(|&p| (std::cmp::Reverse(stamp(p)), site.library.nodes[p].key.clone()));
    items.truncate(FEED_ENTRIES);
    let entries: Vec<FeedEntry> = items
        .iter()
        .map(|&p| {
            let doc = site.doc(p, lang).expect("listed");
            let published = doc.fm.date.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
            let updated = doc.fm.updated.map_or_else(|| published.clone(), |d| d.rfc3339());
            let content = match site.body_html(p, lang) {
                Some(html) => markdown::resolve_links(&html, &site.link_urls[p][lang]),
                None => String::new(),
            };
            FeedEntry {
                title: doc.title().to_string(),
                description: doc.fm.description.clone(),
                permalink: site.permalink(site.library.nodes[p].paths[lang].as_deref().unwrap_or("/")),
                lang: site.lang_code(lang).to_string(),
                published,
                updated,
                content,
            }
        })
        .collect();
    let updated = items
        .iter()
        .filter_map(|&p| site.doc(p, lang).and_then(|d| d.fm.updated.or(d.fm.date)))
        .max_by_key(|d| d.timestamp())
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let ctx = FeedContext {
        lang: site.lang_code(lang).to_string(),
        config: site.config_view(lang),
        section: site.meta(id, lang),
        feed_url: site.permalink(&format!("{path}atom.xml")),
        updated,
        entries,
    };
    Output::template("atom.xml", context::value(&ctx), "the Atom feed")
}

/// The sitemap protocol's limit of URLs per file.
pub(super) const SITEMAP_LIMIT: usize = 50_000;

/// How many part files a sitemap of `entries` URLs needs: none while one file holds them all.
pub(super) fn sitemap_parts(entries: usize, limit: usize) -> usize {
    if entries <= limit { 0 } else { entries.div_ceil(limit) }
}

/// The sitemap entry of a page job (its URL, `lastmod`, alternates and `x-default`), from
/// the same [`versions`] as its `hreflang` links; `None` for what is not an indexable page.
pub(super) fn sitemap_entry_of(site: &SiteData, job: &Job) -> Option<SitemapEntry> {
    let v = versions::of_job(site, job)?;
    if !v.indexable || v.later_pager {
        return None;
    }
    let lastmod = match job {
        Job::Node { id, lang, .. } => site.doc(*id, *lang).and_then(|d| d.fm.updated.or(d.fm.date)).map(|d| d.iso()),
        _ => None,
    };
    let (alternates, x_default) = v.alternates(site);
    Some(SitemapEntry {
        loc: site.permalink(&v.own_path),
        lastmod,
        alternates: alternates.into_iter().map(|(lang, url)| Alternate { lang, url }).collect(),
        x_default,
    })
}

pub(super) fn render_sitemap(site: &SiteData, templates: &Templates, part: Option<usize>) -> Output {
    // The entries read, of each node, only what its light reference also holds: which
    // languages it exists in, its paths and its dates. Recorded as that, so that an edit of a
    // page's text does not render the sitemap of every page again (the property test of
    // `incremental` edits bodies and titles and compares with clean builds).
    let (mut entries, read) = crate::deps::recording(|| {
        plan(site, templates).iter().filter_map(|(_, job)| sitemap_entry_of(site, job)).collect::<Vec<SitemapEntry>>()
    });
    crate::deps::replay(&crate::deps::as_references(read));
    entries.sort_by(|a, b| a.loc.cmp(&b.loc));
    let parts = sitemap_parts(entries.len(), SITEMAP_LIMIT);
    let ctx = match part {
        Some(n) => SitemapContext::Entries {
            entries: entries.into_iter().skip(n * SITEMAP_LIMIT).take(SITEMAP_LIMIT).collect(),
        },
        None if parts > 0 => {
            SitemapContext::Index { index: (1..=parts).map(|n| site.permalink(&format!("/sitemap-{n}.xml"))).collect() }
        }
        None => SitemapContext::Entries { entries },
    };
    Output::template("sitemap.xml", context::value(&ctx), "sitemap.xml")
}

#[cfg(test)]
mod sitemap_tests {
    use super::sitemap_parts;

    #[test]
    fn a_sitemap_splits_only_past_the_limit() {
        assert_eq!(sitemap_parts(0, 50_000), 0);
        assert_eq!(sitemap_parts(50_000, 50_000), 0);
        assert_eq!(sitemap_parts(50_001, 50_000), 2);
        assert_eq!(sitemap_parts(150_000, 50_000), 3);
    }
}
