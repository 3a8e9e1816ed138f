//! Open data: every service as JSON, CSV and GeoJSON at stable URLs (`/dane/uslugi.*`), with
//! its source, verification and review date, so that others can reuse and check the facts.

use serde_json::{Value as Json, json};

use crate::content::NodeId;
use crate::model::SiteData;
use crate::schema::kind_of;
use crate::schema::kinds::{Municipality, Service};

/// Output paths of the open-data files.
pub(crate) const JSON_PATH: &str = "dane/uslugi.json";
pub(crate) const CSV_PATH: &str = "dane/uslugi.csv";
pub(crate) const GEOJSON_PATH: &str = "dane/uslugi.geojson";

const CSV_COLUMNS: &[&str] = &[
    "id",
    "name_pl",
    "name_en",
    "name_uk",
    "category",
    "municipality_teryt",
    "municipality",
    "address",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "opening_hours",
    "languages",
    "audiences",
    "wheelchair",
    "strategic_areas",
    "serves_teryt",
    "source",
    "source_title",
    "source_date",
    "unconfirmed",
    "missing",
    "verified",
    "reviewed",
    "url",
];

/// A CSV cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a
/// leading apostrophe, the mark spreadsheets show as "text", as OWASP recommends.
fn neutralise_formula(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text }
}

impl SiteData {
    /// Services in a stable order: by municipality, then content path.
    pub(crate) fn services_in_order(&self) -> Vec<(NodeId, NodeId)> {
        let mut list: Vec<(NodeId, NodeId)> = self.facts.municipality_of.iter().map(|(&s, &m)| (s, m)).collect();
        list.sort_by(|a, b| {
            (&self.library.nodes[a.1].key, &self.library.nodes[a.0].key)
                .cmp(&(&self.library.nodes[b.1].key, &self.library.nodes[b.0].key))
        });
        list
    }

    fn service_record(&self, node: NodeId, municipality: NodeId) -> Option<Json> {
        let default = self.default_lang();
        let service = kind_of::<Service>(self.library.nodes[node].docs[default].as_deref()?)?;
        let muni = kind_of::<Municipality>(self.library.nodes[municipality].docs[default].as_deref()?)?;
        let name = |code: &str| {
            let lang = self.library.lang_index(code)?;
            self.library.nodes[node].docs[lang].as_deref().map(|d| d.title().to_string())
        };
        let coords = service.coordinates.as_ref().map(|c| *c.get_ref());
        let sources = self.facts.sources_of(node, default, default);
        Some(json!({
            "id": self.library.nodes[node].key.trim_end_matches(".md"),
            "name_pl": name("pl"),
            "name_en": name("en"),
            "name_uk": name("uk"),
            "category": service.category.get_ref().code(),
            "municipality_teryt": muni.teryt.get_ref(),
            "municipality": self.library.nodes[municipality].docs[default].as_deref().map(|d| d.title()),
            "address": service.address.as_ref().map(|a| a.get_ref()),
            "latitude": coords.map(|c| c[0]),
            "longitude": coords.map(|c| c[1]),
            "phone": service.phone.as_ref().map(|p| p.get_ref().items()).unwrap_or_default(),
            "email": service.email.as_ref().map(|e| e.get_ref()),
            "website": service.website.as_ref().map(|w| w.get_ref()),
            "opening_hours": service.opening_hours.as_ref().map(|h| h.get_ref()),
            "languages": service.languages.iter().map(|l| l.code()).collect::<Vec<_>>(),
            "audiences": service.audiences.iter().map(|a| a.code()).collect::<Vec<_>>(),
            "wheelchair": service.wheelchair.map(|w| w.code()),
            "strategic_areas": service.strategic_areas.iter().map(|a| a.code()).collect::<Vec<_>>(),
            "serves_teryt": self.facts.serves.get(&node).map(|list| list.iter().filter_map(|&m| {
                kind_of::<Municipality>(self.library.nodes[m].docs[default].as_deref()?).map(|x| x.teryt.get_ref().clone())
            }).collect::<Vec<_>>()).unwrap_or_default(),
            "source": sources.iter().map(|s| s.url.clone().map(|u| if u.starts_with('/') { self.permalink(&u) } else { u }).unwrap_or_else(|| s.title.clone())).collect::<Vec<_>>(),
            "source_title": sources.iter().map(|s| s.title.clone()).collect::<Vec<_>>(),
            "source_date": sources.iter().map(|s| s.date.map(|d| d.iso()).unwrap_or_default()).collect::<Vec<_>>(),
            "unconfirmed": service.unconfirmed.iter().map(|f| f.code()).collect::<Vec<_>>(),
            "missing": self.missing_facts(service).iter().map(|f| f.code()).collect::<Vec<_>>(),
            "verified": service.verified,
            "reviewed": service.reviewed.as_ref().map(|r| r.get_ref().to_string()),
            "url": self.library.nodes[node].paths[default].as_ref().map(|p| self.permalink(p)),
        }))
    }

    /// `{"generated_from": …, "services": [...]}`, pretty-printed for people who open it.
    pub(crate) fn open_data_json(&self) -> String {
        let services: Vec<Json> =
            self.services_in_order().into_iter().filter_map(|(s, m)| self.service_record(s, m)).collect();
        let doc = json!({
            "title": "Usługi społeczne w gminach Metropolii Krakowskiej",
            "publisher": self.config.languages.get(self.default_lang()).map(|l| l.title.as_str()),
            "url": self.permalink(&format!("/{JSON_PATH}")),
            "count": services.len(),
            "fields": CSV_COLUMNS,
            "services": services,
        });
        serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
    }

    /// One row per service; lists joined with ` | `; RFC 4180 quoting; UTF-8 with a byte-order
    /// mark, so that spreadsheets open Polish and Ukrainian text correctly.
    pub(crate) fn open_data_csv(&self) -> String {
        let mut out = String::from("\u{feff}") + &CSV_COLUMNS.join(",") + "\r\n";
        for (s, m) in self.services_in_order() {
            let Some(record) = self.service_record(s, m) else { continue };
            let cells: Vec<String> = CSV_COLUMNS
                .iter()
                .map(|column| {
                    let text = match &record[*column] {
                        Json::Null => String::new(),
                        Json::String(s) => s.clone(),
                        Json::Array(items) => items
                            .iter()
                            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                            .collect::<Vec<_>>()
                            .join(" | "),
                        other => other.to_string(),
                    };
                    let text = neutralise_formula(text);
                    if text.contains([',', '"', '\n', '\r']) {
                        format!("\"{}\"", text.replace('"', "\"\""))
                    } else {
                        text
                    }
                })
                .collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// A FeatureCollection of services; a service without coordinates has `"geometry": null`
    /// (it is listed, not placed).
    pub(crate) fn open_data_geojson(&self) -> String {
        let features: Vec<Json> = self
            .services_in_order()
            .into_iter()
            .filter_map(|(s, m)| {
                let record = self.service_record(s, m)?;
                let geometry = match (record["longitude"].as_f64(), record["latitude"].as_f64()) {
                    (Some(lon), Some(lat)) => json!({"type": "Point", "coordinates": [lon, lat]}),
                    _ => Json::Null,
                };
                Some(json!({"type": "Feature", "id": record["id"].clone(), "geometry": geometry, "properties": record}))
            })
            .collect();
        serde_json::to_string(&json!({"type": "FeatureCollection", "features": features})).unwrap_or_default() + "\n"
    }
}
