//! Feeds and the sitemap: the Atom feed of each configured section and `sitemap.xml` (split
//! into parts past the protocol's limit), made from the same plan and language versions as the
//! pages.

use minijinja::Value;

use crate::content::NodeId;
use crate::diagnostics::Diagnostic;
use crate::markdown::{self};
use crate::model::SiteData;
use crate::templates::Templates;

use super::plan::Job;
use super::plan::plan;
use super::versions;

pub(super) fn render_feed(
    site: &SiteData,
    templates: &Templates,
    id: NodeId,
    lang: usize,
) -> Result<Vec<u8>, Diagnostic> {
    const FEED_ENTRIES: usize = 30;
    let path = site.library.nodes[id].paths[lang].as_deref().expect("feed sections exist");
    let mut items: Vec<NodeId> =
        site.listings.pages[id][lang].iter().copied().filter(|&p| !site.library.nodes[p].is_fallback(lang)).collect();
    let stamp =
        |p: NodeId| site.doc(p, lang).and_then(|d| d.fm.updated.or(d.fm.date)).map_or(i64::MIN, |d| d.timestamp());
    items.sort_by_key(|&p| (std::cmp::Reverse(stamp(p)), site.library.nodes[p].key.clone()));
    items.truncate(FEED_ENTRIES);
    let entries: Value = items
        .iter()
        .map(|&p| {
            let doc = site.doc(p, lang).expect("listed");
            let published = doc.fm.date.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
            let updated = doc.fm.updated.map_or_else(|| published.clone(), |d| d.rfc3339());
            let content = match &site.rendered[p][lang] {
                Some(r) => markdown::resolve_links(&r.html, &site.link_urls[p][lang]),
                None => String::new(),
            };
            Value::from_pairs([
                ("title", Value::from(doc.title())),
                ("description", Value::from(doc.fm.description.as_deref())),
                ("permalink", Value::from(site.permalink(site.library.nodes[p].paths[lang].as_deref().unwrap_or("/")))),
                ("lang", Value::from(site.lang_code(lang))),
                ("published", Value::from(published)),
                ("updated", Value::from(updated)),
                ("content", Value::from(content)),
            ])
        })
        .collect();
    let updated = items
        .iter()
        .filter_map(|&p| site.doc(p, lang).and_then(|d| d.fm.updated.or(d.fm.date)))
        .max_by_key(|d| d.timestamp())
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let ctx = Value::from_pairs([
        ("lang", Value::from(site.lang_code(lang))),
        ("config", site.config_view(lang)),
        ("section", site.meta(id, lang)),
        ("feed_url", Value::from(site.permalink(&format!("{path}atom.xml")))),
        ("updated", Value::from(updated)),
        ("entries", entries),
    ]);
    templates.render("atom.xml", ctx, Some("the Atom feed")).map(String::into_bytes)
}

/// The sitemap protocol's limit of URLs per file.
pub(super) const SITEMAP_LIMIT: usize = 50_000;

/// How many part files a sitemap of `entries` URLs needs: none while one file holds them all.
pub(super) fn sitemap_parts(entries: usize, limit: usize) -> usize {
    if entries <= limit { 0 } else { entries.div_ceil(limit) }
}

/// The sitemap entry of a page job (its URL, `lastmod`, alternates and `x-default`), from
/// the same [`versions`] as its `hreflang` links; `None` for what is not an indexable page.
pub(super) fn sitemap_entry_of(site: &SiteData, job: &Job) -> Option<(String, Value)> {
    let v = versions::of_job(site, job)?;
    if !v.indexable || v.later_pager {
        return None;
    }
    let loc = site.permalink(&v.own_path);
    let lastmod = match job {
        Job::Node { id, lang, .. } => site.doc(*id, *lang).and_then(|d| d.fm.updated.or(d.fm.date)).map(|d| d.iso()),
        _ => None,
    };
    let (alternates, x_default) = v.alternates(site);
    let alternates: Value = alternates
        .into_iter()
        .map(|(lang, url)| Value::from_pairs([("lang", Value::from(lang)), ("url", Value::from(url))]))
        .collect();
    let entry = Value::from_pairs([
        ("loc", Value::from(loc.clone())),
        ("lastmod", Value::from(lastmod)),
        ("alternates", alternates),
        ("x_default", Value::from(x_default)),
    ]);
    Some((loc, entry))
}

pub(super) fn render_sitemap(
    site: &SiteData,
    templates: &Templates,
    part: Option<usize>,
) -> Result<Vec<u8>, Diagnostic> {
    let mut entries: Vec<(String, Value)> =
        plan(site, templates).iter().filter_map(|(_, job)| sitemap_entry_of(site, job)).collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let parts = sitemap_parts(entries.len(), SITEMAP_LIMIT);
    let ctx = match part {
        Some(n) => {
            let chunk: Vec<Value> =
                entries.into_iter().skip(n * SITEMAP_LIMIT).take(SITEMAP_LIMIT).map(|(_, v)| v).collect();
            Value::from_pairs([("entries", Value::from(chunk))])
        }
        None if parts > 0 => {
            let files: Vec<Value> =
                (1..=parts).map(|n| Value::from(site.permalink(&format!("/sitemap-{n}.xml")))).collect();
            Value::from_pairs([("index", Value::from(files))])
        }
        None => Value::from_pairs([("entries", entries.into_iter().map(|(_, v)| v).collect::<Value>())]),
    };
    templates.render("sitemap.xml", ctx, Some("sitemap.xml")).map(String::into_bytes)
}

#[cfg(test)]
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
