//! Map data: what the site's services and municipalities give the maps: the selection a
//! template asks for (`municipality=`, `category=`), the SVG of it, `map_data` (legend, counts
//! and the text alternative) and the per-language services GeoJSON.

use minijinja::value::Kwargs;
use minijinja::{Error, ErrorKind, Value};
use serde_json::{Value as Json, json};

use crate::content::NodeId;
use crate::model::SiteData;
use crate::schema::kinds::Municipality;
use crate::schema::vocab::{Category, ServiceLanguage};
use crate::schema::{kind_of, opening_hours};

use super::BOUNDARIES_PATH;
use super::draw::CURRENT_FILL;
use super::draw::Marker;
use super::draw::REGION_FILL;
use super::draw::REGION_STROKE;
use super::draw::Region;
use super::draw::SvgMap;
use super::draw::category_style;
use super::draw::region_symbol;
use super::draw::render_svg;
use super::draw::symbol_svg;
use super::services_geojson_path;

/// What a map shows: one municipality or all, one category or all.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Selection {
    pub municipality: Option<NodeId>,
    pub category: Option<Category>,
}

impl SiteData {
    /// The map page (`[map] page` in config.toml), when configured.
    pub(crate) fn map_page(&self) -> Option<NodeId> {
        self.config.map.page.as_deref().and_then(|p| self.library.resolve_key(p))
    }

    /// Categories that have at least one service, in vocabulary order: each gets a map page.
    pub(crate) fn map_categories(&self) -> Vec<Category> {
        let present: std::collections::BTreeSet<Category> =
            self.facts.municipality_of.keys().filter_map(|&s| self.service(s)).map(|s| *s.category.get_ref()).collect();
        Category::ALL.iter().copied().filter(|c| present.contains(c)).collect()
    }

    /// Site path of a category's map page: `<map page>/<category label as a slug>/`.
    pub(crate) fn map_category_path(&self, category: Category, lang: usize) -> Option<String> {
        let base = self.library.nodes[self.map_page()?].paths[lang].as_ref()?;
        let slug = crate::slug::slugify(&self.label(lang, &category.label_key()), self.lang_code(lang));
        Some(format!("{base}{slug}/"))
    }

    fn teryt_of(&self, municipality: NodeId) -> Option<&str> {
        let doc = self.library.nodes[municipality].docs[self.default_lang()].as_deref()?;
        kind_of::<Municipality>(doc).map(|m| m.teryt.get_ref().as_str())
    }

    fn municipality_by_teryt(&self, teryt: &str) -> Option<NodeId> {
        self.facts.municipalities.iter().copied().find(|&m| self.teryt_of(m) == Some(teryt))
    }

    fn title_in(&self, node: NodeId, lang: usize) -> &str {
        self.doc(node, lang).map(|d| d.title()).unwrap_or_default()
    }

    /// Municipalities in the reader's alphabetical order, each with its services of the
    /// selection sorted by category, then name.
    fn map_groups(&self, lang: usize, sel: Selection) -> Vec<(NodeId, Vec<NodeId>)> {
        let code = self.lang_code(lang);
        let mut municipalities: Vec<NodeId> =
            self.facts.municipalities.iter().copied().filter(|&m| sel.municipality.is_none_or(|s| s == m)).collect();
        municipalities.sort_by(|&a, &b| self.locales.compare(code, self.title_in(a, lang), self.title_in(b, lang)));
        municipalities
            .into_iter()
            .map(|m| {
                let mut services: Vec<NodeId> = self
                    .facts
                    .services_for(m)
                    .into_iter()
                    .filter(|&s| {
                        self.service(s).is_some_and(|x| sel.category.is_none_or(|c| *x.category.get_ref() == c))
                    })
                    .collect();
                services.sort_by(|&a, &b| {
                    let ca = self.service(a).map(|s| *s.category.get_ref());
                    let cb = self.service(b).map(|s| *s.category.get_ref());
                    ca.cmp(&cb).then_with(|| self.locales.compare(code, self.title_in(a, lang), self.title_in(b, lang)))
                });
                (m, services)
            })
            .collect()
    }

    fn message(&self, lang: usize, key: &str, args: &[(&str, fluent_bundle::FluentValue<'_>)]) -> String {
        self.locales.message(self.lang_code(lang), key, args).unwrap_or_else(|_| key.to_string())
    }

    fn marker_label(&self, service: NodeId, lang: usize) -> String {
        let category = self.service(service).map(|s| self.label(lang, &s.category.get_ref().label_key()));
        self.message(
            lang,
            "map-marker-label",
            &[
                ("name", self.title_in(service, lang).to_string().into()),
                ("category", category.unwrap_or_default().into()),
            ],
        )
    }

    /// The static map of a selection as inline SVG.
    pub(crate) fn map_svg(&self, lang: usize, sel: Selection) -> String {
        let Some(boundaries) = &self.boundaries else { return String::new() };
        let groups = self.map_groups(lang, Selection { municipality: None, category: sel.category });
        let mut located = 0;
        let mut unlocated = 0;
        let mut markers = Vec::new();
        let mut regions = Vec::new();
        for (m, services) in &groups {
            let Some(teryt) = self.teryt_of(*m) else { continue };
            let name = self.title_in(*m, lang).to_string();
            let label = self.message(
                lang,
                "map-region-label",
                &[("name", name.clone().into()), ("count", (services.len() as i64).into())],
            );
            let href = self.library.nodes[*m].paths[lang].as_ref().map(|p| self.href(p));
            regions.push(Region {
                teryt: teryt.to_string(),
                name,
                href,
                count: services.len(),
                label,
                current: sel.municipality == Some(*m),
            });
            if sel.municipality.is_some_and(|s| s != *m) {
                continue;
            }
            // `map_groups` keeps only pages with a [service] table, so `service()` is present.
            // A service appears in the list of every municipality it serves, but is drawn and
            // counted once, in its own municipality.
            let own = services.iter().filter(|&&s| self.facts.municipality_of.get(&s) == Some(m));
            for (&s, service) in own.filter_map(|s| Some((s, self.service(*s)?))) {
                let coordinates = service.coordinates.as_ref().map(|c| *c.get_ref());
                match (coordinates, self.library.nodes[s].paths[lang].as_ref()) {
                    (Some([lat, lon]), Some(path)) => {
                        located += 1;
                        markers.push(Marker {
                            lat,
                            lon,
                            category: *service.category.get_ref(),
                            label: self.marker_label(s, lang),
                            href: self.href(path),
                        });
                    }
                    _ => unlocated += 1,
                }
            }
        }
        let title = match (sel.municipality, sel.category) {
            (Some(m), _) => {
                self.message(lang, "map-title-municipality", &[("name", self.title_in(m, lang).to_string().into())])
            }
            (None, Some(c)) => {
                self.message(lang, "map-title-category", &[("name", self.label(lang, &c.label_key()).into())])
            }
            (None, None) => self.label(lang, "map-title"),
        };
        let desc = self.message(
            lang,
            "map-desc",
            &[("located", (located as i64).into()), ("unlocated", (unlocated as i64).into())],
        );
        let focus = sel.municipality.and_then(|m| self.teryt_of(m)).map(str::to_string);
        render_svg(boundaries, &SvgMap { id: "map".to_string(), title, desc, regions, markers, focus })
    }

    /// The data next to a map: the text alternative (municipality → category → services), the
    /// legend, the category pages and what the interactive map needs.
    pub(crate) fn map_data(&self, lang: usize, sel: Selection) -> Value {
        let groups = self.map_groups(lang, sel);
        let (mut total, mut located) = (0usize, 0usize);
        let mut legend: std::collections::BTreeMap<Category, (usize, usize)> = Default::default();
        let mut languages: std::collections::BTreeSet<ServiceLanguage> = Default::default();
        let municipalities: Vec<Value> = groups
            .iter()
            .filter(|(_, services)| !services.is_empty())
            .map(|(m, services)| {
                let mut by_category: Vec<(Category, Vec<Value>)> = Vec::new();
                for &s in services {
                    let Some(service) = self.service(s) else { continue };
                    let category = *service.category.get_ref();
                    let is_located = service.coordinates.is_some();
                    // A service listed under each municipality it serves is counted once, at home.
                    if self.facts.municipality_of.get(&s) == Some(m) {
                        total += 1;
                        located += usize::from(is_located);
                        let entry = legend.entry(category).or_default();
                        entry.0 += 1;
                        entry.1 += usize::from(is_located);
                    }
                    languages.extend(service.languages.iter().copied());
                    let item = self.map_item(s, lang, *m);
                    match by_category.last_mut() {
                        Some((c, list)) if *c == category => list.push(item),
                        _ => by_category.push((category, vec![item])),
                    }
                }
                let node = &self.library.nodes[*m];
                Value::from_pairs([
                    ("title", Value::from(self.title_in(*m, lang))),
                    ("lang", Value::from(self.lang_code(self.content_lang(*m, lang)))),
                    ("is_fallback", Value::from(node.is_fallback(lang))),
                    ("path", Value::from(node.paths[lang].as_ref().map(|p| self.href(p)))),
                    ("teryt", Value::from(self.teryt_of(*m))),
                    ("count", Value::from(services.len())),
                    (
                        "categories",
                        by_category
                            .into_iter()
                            .map(|(c, items)| {
                                Value::from_pairs([
                                    ("category", self.category_term(c, lang)),
                                    ("services", Value::from(items)),
                                ])
                            })
                            .collect(),
                    ),
                ])
            })
            .collect();
        let legend: Vec<Value> = legend
            .into_iter()
            .map(|(c, (count, here))| {
                Value::from_pairs([
                    ("code", Value::from(c.code())),
                    ("label", Value::from(self.label(lang, &c.label_key()))),
                    ("count", Value::from(count)),
                    ("located", Value::from(here)),
                    ("symbol", Value::from_safe_string(symbol_svg(c))),
                ])
            })
            .collect();
        let categories: Vec<Value> = self
            .map_categories()
            .into_iter()
            .map(|c| {
                let count = self
                    .facts
                    .municipality_of
                    .keys()
                    .filter(|&&s| self.service(s).is_some_and(|x| *x.category.get_ref() == c))
                    .count();
                Value::from_pairs([
                    ("code", Value::from(c.code())),
                    ("label", Value::from(self.label(lang, &c.label_key()))),
                    ("count", Value::from(count)),
                    ("path", Value::from(self.map_category_path(c, lang).map(|p| self.href(&p)))),
                    ("current", Value::from(sel.category == Some(c))),
                ])
            })
            .collect();
        let all_municipalities: Vec<Value> = self
            .map_groups(lang, Selection::default())
            .into_iter()
            .map(|(m, _)| {
                Value::from_pairs([
                    ("teryt", Value::from(self.teryt_of(m))),
                    ("title", Value::from(self.title_in(m, lang))),
                ])
            })
            .collect();
        let map_page = self.map_page().and_then(|p| self.library.nodes[p].paths[lang].as_ref()).map(|p| self.href(p));
        let map = &self.config.map;
        Value::from_pairs([
            ("total", Value::from(total)),
            ("located", Value::from(located)),
            ("unlocated", Value::from(total - located)),
            ("municipalities", Value::from(municipalities)),
            ("legend", Value::from(legend)),
            ("region_symbol", Value::from_safe_string(region_symbol())),
            ("categories", Value::from(categories)),
            ("all_municipalities", Value::from(all_municipalities)),
            (
                "languages",
                languages.into_iter().map(|l| self.category_like_term(l.label_key(), l.code(), lang)).collect(),
            ),
            ("page", Value::from(map_page)),
            ("services_geojson", Value::from(self.href(&format!("/{}", services_geojson_path(self.lang_code(lang)))))),
            ("boundaries", Value::from(self.href(&format!("/{BOUNDARIES_PATH}")))),
            ("tiles", Value::from(map.tiles.as_str())),
            ("attribution", Value::from(map.attribution.as_str())),
            ("attribution_url", Value::from(map.attribution_url.as_str())),
            ("max_zoom", Value::from(map.max_zoom)),
        ])
    }

    fn category_term(&self, c: Category, lang: usize) -> Value {
        self.category_like_term(c.label_key(), c.code(), lang)
    }

    fn category_like_term(&self, key: String, code: &str, lang: usize) -> Value {
        Value::from_pairs([("code", Value::from(code)), ("label", Value::from(self.label(lang, &key)))])
    }

    /// A service in the text alternative.
    fn map_item(&self, s: NodeId, lang: usize, municipality: NodeId) -> Value {
        let service = self.service(s);
        let node = &self.library.nodes[s];
        Value::from_pairs([
            ("title", Value::from(self.title_in(s, lang))),
            ("lang", Value::from(self.lang_code(self.content_lang(s, lang)))),
            ("is_fallback", Value::from(node.is_fallback(lang))),
            ("path", Value::from(node.paths[lang].as_ref().map(|p| self.href(p)))),
            ("category", Value::from(service.map(|x| x.category.get_ref().code()))),
            ("address", Value::from(service.and_then(|x| x.address.as_ref()).map(|a| a.get_ref().as_str()))),
            ("located", Value::from(service.is_some_and(|x| x.coordinates.is_some()))),
            ("teryt", Value::from(self.teryt_of(municipality))),
            (
                "languages",
                Value::from(
                    service
                        .map(|x| x.languages.iter().map(|l| l.code()).collect::<Vec<_>>().join(" "))
                        .unwrap_or_default(),
                ),
            ),
        ])
    }

    /// The services of every municipality as GeoJSON in one language: names, category labels,
    /// hours and URLs in that language; a service without coordinates has `"geometry": null`.
    /// Foreign members carry what the interactive map labels with: the municipalities (name,
    /// page, label point), the categories (label, colour, shape, symbol) and the languages.
    pub(crate) fn services_geojson(&self, lang: usize) -> String {
        let features: Vec<Json> = self
            .services_in_order()
            .into_iter()
            .filter_map(|(s, m)| {
                let service = self.service(s)?;
                let node = &self.library.nodes[s];
                let geometry = match service.coordinates.as_ref().map(|c| *c.get_ref()) {
                    Some([lat, lon]) => json!({"type": "Point", "coordinates": [lon, lat]}),
                    None => Json::Null,
                };
                let hours =
                    service.opening_hours.as_ref().and_then(|h| opening_hours::parse(h.get_ref()).ok()).map(|parsed| {
                        self.hours_rows(lang, &parsed)
                            .into_iter()
                            .map(|(days, hours, _)| json!([days, hours]))
                            .collect::<Vec<_>>()
                    });
                let category = *service.category.get_ref();
                Some(json!({
                    "type": "Feature",
                    "id": node.key.trim_end_matches(".md"),
                    "geometry": geometry,
                    "properties": {
                        "name": self.title_in(s, lang),
                        "name_lang": self.lang_code(self.content_lang(s, lang)),
                        "url": node.paths[lang].as_ref().map(|p| self.href(p)),
                        "category": category.code(),
                        "category_label": self.label(lang, &category.label_key()),
                        "municipality": self.teryt_of(m),
                        "municipality_name": self.title_in(m, lang),
                        "address": service.address.as_ref().map(|a| a.get_ref()),
                        "phone": service.phone.as_ref().map(|p| p.get_ref().items()).unwrap_or_default(),
                        "hours": hours,
                        "languages": service.languages.iter().map(|l| l.code()).collect::<Vec<_>>(),
                        "label": self.marker_label(s, lang),
                    },
                }))
            })
            .collect();
        let municipalities: Vec<Json> = self
            .map_groups(lang, Selection::default())
            .into_iter()
            .filter_map(|(m, services)| {
                let teryt = self.teryt_of(m)?;
                let point = self.boundaries.as_ref().and_then(|b| b.get(teryt)).map(|b| {
                    let (lon, lat) = b.label_point();
                    [(lon * 1e5).round() / 1e5, (lat * 1e5).round() / 1e5]
                });
                Some(json!({
                    "teryt": teryt,
                    "name": self.title_in(m, lang),
                    "url": self.library.nodes[m].paths[lang].as_ref().map(|p| self.href(p)),
                    "label_point": point,
                    "count": services.len(),
                }))
            })
            .collect();
        let categories: Vec<Json> = Category::ALL
            .iter()
            .map(|&c| {
                let (colour, shape) = category_style(c);
                json!({
                    "code": c.code(),
                    "label": self.label(lang, &c.label_key()),
                    "colour": colour,
                    "shape": format!("{shape:?}").to_lowercase(),
                    "symbol": symbol_svg(c),
                })
            })
            .collect();
        let languages: Vec<Json> = ServiceLanguage::ALL
            .iter()
            .map(|l| json!({"code": l.code(), "label": self.label(lang, &l.label_key())}))
            .collect();
        let doc = json!({
            "type": "FeatureCollection",
            "lang": self.lang_code(lang),
            "title": self.label(lang, "map-title"),
            "boundaries": self.href(&format!("/{BOUNDARIES_PATH}")),
            "style": {"region_fill": REGION_FILL, "current_fill": CURRENT_FILL, "region_stroke": REGION_STROKE},
            "municipalities": municipalities,
            "categories": categories,
            "languages": languages,
            "features": features,
        });
        serde_json::to_string(&doc).unwrap_or_default() + "\n"
    }
}

/// A selection from the keyword arguments `municipality=` (TERYT) and `category=` (code).
pub(super) fn selection(site: &SiteData, kwargs: &Kwargs, function: &str) -> Result<Selection, Error> {
    let municipality: Option<String> = kwargs.get("municipality")?;
    let category: Option<String> = kwargs.get("category")?;
    kwargs.assert_all_used()?;
    let invalid = |msg: String| Error::new(ErrorKind::InvalidOperation, format!("{function}(): {msg}"));
    let municipality = match municipality {
        Some(t) => {
            Some(site.municipality_by_teryt(&t).ok_or_else(|| invalid(format!("no municipality with TERYT `{t}`")))?)
        }
        None => None,
    };
    let category = match category {
        Some(c) => Some(
            Category::from_code(&c)
                .ok_or_else(|| invalid(format!("unknown category `{c}` (one of: {})", Category::codes().join(", "))))?,
        ),
        None => None,
    };
    Ok(Selection { municipality, category })
}
