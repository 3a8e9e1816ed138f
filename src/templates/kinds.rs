//! Views of the typed content kinds: what `service.html`, `municipality.html`, `forum.html`,
//! `guide.html` and the municipality-local migrant pages see, with every vocabulary term
//! labelled in the reader's language, and the schema.org JSON-LD of a service.

use minijinja::Value;
use minijinja::value::Serde;
use serde_json::json;

use super::views::SiteData;
use crate::content::NodeId;
use crate::schema::kinds::{Forum, Guide, Municipality, OneOrMany, Service};
use crate::schema::opening_hours;
use crate::schema::vocab::LocalFact;
use crate::schema::{kind_of, ymd};

/// A service's phone numbers as a list (none: empty).
fn phones(s: &Service) -> Value {
    Value::from(
        s.phone
            .as_ref()
            .map(|p| p.get_ref().items().into_iter().map(str::to_string).collect::<Vec<_>>())
            .unwrap_or_default(),
    )
}

impl SiteData {
    fn category(&self, lang: usize, s: &Service) -> Value {
        let category = s.category.get_ref();
        self.term(lang, category.label_key(), category.code())
    }

    /// The UI string `key` in `lang` (the key itself if the theme lacks it; `check` reports that).
    pub fn label(&self, lang: usize, key: &str) -> String {
        self.locales.message(self.lang_code(lang), key, &[]).unwrap_or_else(|_| key.to_string())
    }

    fn term(&self, lang: usize, key: String, code: &str) -> Value {
        Value::from_pairs([("code", Value::from(code)), ("label", Value::from(self.label(lang, &key)))])
    }

    /// The kind-specific map of a node in `lang` (`service`, `municipality`, …), if it has a kind.
    pub fn kind_view(&self, node: NodeId, lang: usize) -> Option<(&'static str, Value)> {
        let default = self.default_lang();
        let doc = self.library.nodes[node].docs[default].as_ref()?;
        let name = doc.fm.kind.as_ref()?.name.as_str();
        Some(match name {
            "service" => ("service", self.service_view(node, lang)),
            "municipality" => ("municipality", self.municipality_view(node, lang)),
            "forum" => ("forum", self.forum_view(node, lang)),
            "guide" => ("guide", self.guide_view(node, lang)),
            "accessibility_statement" => ("accessibility_statement", self.statement_view(node, lang)),
            _ => return None,
        })
    }

    fn sources(source: &OneOrMany) -> Value {
        source
            .items()
            .into_iter()
            .map(|s| {
                let url = (s.starts_with("https://") || s.starts_with("http://")).then_some(s);
                Value::from_pairs([("text", Value::from(s)), ("url", Value::from(url))])
            })
            .collect()
    }

    pub fn service(&self, node: NodeId) -> Option<&Service> {
        kind_of::<Service>(self.library.nodes[node].docs[self.default_lang()].as_ref()?)
    }

    /// The weekly opening hours in `lang`: `(days, hours, closed)` rows such as
    /// `("poniedziałek–piątek", "07:30–15:30", false)`.
    pub fn hours_rows(&self, lang: usize, parsed: &opening_hours::OpeningHours) -> Vec<(String, String, bool)> {
        parsed
            .weekly_rows()
            .into_iter()
            .map(|(first, last, intervals)| {
                let days = if first == last {
                    self.label(lang, &format!("day-{first}"))
                } else {
                    format!(
                        "{}–{}",
                        self.label(lang, &format!("day-{first}")),
                        self.label(lang, &format!("day-{last}"))
                    )
                };
                let hours = if intervals.is_empty() {
                    self.label(lang, "hours-closed")
                } else {
                    intervals.iter().map(|i| i.format()).collect::<Vec<_>>().join(", ")
                };
                (days, hours, intervals.is_empty())
            })
            .collect()
    }

    fn service_view(&self, node: NodeId, lang: usize) -> Value {
        let Some(s) = self.service(node) else { return Value::from(()) };
        let hours = s.opening_hours.as_ref().and_then(|h| opening_hours::parse(h.get_ref()).ok().map(|p| (h, p)));
        let hours_view = hours.map(|(raw, parsed)| {
            let rows: Vec<Value> = self
                .hours_rows(lang, &parsed)
                .into_iter()
                .map(|(days, hours, closed)| {
                    Value::from_pairs([
                        ("days", Value::from(days)),
                        ("hours", Value::from(hours)),
                        ("closed", Value::from(closed)),
                    ])
                })
                .collect();
            let holidays = match &parsed.public_holidays {
                opening_hours::Holidays::Unspecified => None,
                opening_hours::Holidays::Closed => Some(self.label(lang, "hours-closed")),
                opening_hours::Holidays::Open(list) => {
                    Some(list.iter().map(|i| i.format()).collect::<Vec<_>>().join(", "))
                }
            };
            Value::from_pairs([
                ("raw", Value::from(raw.get_ref().as_str())),
                ("always_open", Value::from(parsed.always_open)),
                ("rows", Value::from(rows)),
                ("public_holidays", Value::from(holidays)),
                ("comments", Value::from(parsed.comments.clone())),
            ])
        });
        let municipality = self.facts.municipality_of.get(&node).map(|&m| self.reference(m, lang));
        Value::from_pairs([
            ("category", self.category(lang, s)),
            ("provider", Value::from(s.provider.as_deref())),
            ("address", Value::from(s.address.as_ref().map(|a| a.get_ref().as_str()))),
            ("coordinates", Value::from(s.coordinates.as_ref().map(|c| c.get_ref().to_vec()))),
            ("phones", phones(s)),
            ("email", Value::from(s.email.as_ref().map(|e| e.get_ref().as_str()))),
            ("website", Value::from(s.website.as_ref().map(|w| w.get_ref().as_str()))),
            ("hours", Value::from(hours_view)),
            ("languages", s.languages.iter().map(|l| self.term(lang, l.label_key(), l.code())).collect()),
            ("audiences", s.audiences.iter().map(|a| self.term(lang, a.label_key(), a.code())).collect()),
            ("wheelchair", Value::from(s.wheelchair.map(|w| self.term(lang, w.label_key(), w.code())))),
            ("areas", s.strategic_areas.iter().map(|a| self.term(lang, a.label_key(), a.code())).collect()),
            ("sources", Self::sources(s.source.get_ref())),
            ("source_date", Value::from(s.source_date.as_deref())),
            ("verified", Value::from(s.verified)),
            ("reviewed", Value::from(s.reviewed.as_ref().map(|r| r.get_ref().to_string()))),
            ("gap", Value::from(s.gap.as_deref())),
            ("municipality", Value::from(municipality)),
            ("json_ld", Value::from_safe_string(self.service_json_ld(node, lang, s))),
        ])
    }

    /// schema.org `GovernmentService` of a service page, as JSON for a `<script type="application/ld+json">`.
    fn service_json_ld(&self, node: NodeId, lang: usize, s: &Service) -> String {
        let n = &self.library.nodes[node];
        let title = self.doc(node, lang).map(|d| d.title()).unwrap_or_default();
        let mut provider = json!({
            "@type": "GovernmentOrganization",
            "name": s.provider.clone().unwrap_or_else(|| self.doc(node, self.default_lang()).map(|d| d.title().to_string()).unwrap_or_default()),
        });
        if let Some(address) = &s.address {
            provider["address"] =
                json!({"@type": "PostalAddress", "streetAddress": address.get_ref(), "addressCountry": "PL"});
        }
        if let Some(phone) = &s.phone {
            provider["telephone"] = json!(phone.get_ref().items());
        }
        if let Some(email) = &s.email {
            provider["email"] = json!(email.get_ref());
        }
        if let Some(website) = &s.website {
            provider["url"] = json!(website.get_ref());
        }
        if let Some(c) = &s.coordinates {
            let [lat, lon] = *c.get_ref();
            provider["geo"] = json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon});
        }
        let mut ld = json!({
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": title,
            "serviceType": self.label(lang, &s.category.get_ref().label_key()),
            "url": n.paths[lang].as_ref().map(|p| self.permalink(p)),
            "provider": provider,
        });
        if let Some(&m) = self.facts.municipality_of.get(&node) {
            let name = self.doc(m, lang).map(|d| d.title()).unwrap_or_default();
            ld["areaServed"] = json!({"@type": "AdministrativeArea", "name": name});
        }
        if !s.languages.is_empty() {
            ld["availableLanguage"] = json!(s.languages.iter().map(|l| l.code()).collect::<Vec<_>>());
        }
        if let Some(parsed) = s.opening_hours.as_ref().and_then(|h| opening_hours::parse(h.get_ref()).ok()) {
            let specs: Vec<_> = parsed
                .schema_org()
                .into_iter()
                .map(|(days, opens, closes)| {
                    json!({"@type": "OpeningHoursSpecification", "dayOfWeek": days, "opens": opens, "closes": closes})
                })
                .collect();
            ld["hoursAvailable"] = json!(specs);
        }
        // `</` cannot occur in JSON strings we write except inside values: escape it for HTML.
        serde_json::to_string(&ld).unwrap_or_default().replace("</", "<\\/")
    }

    fn municipality_view(&self, node: NodeId, lang: usize) -> Value {
        let default = self.default_lang();
        let Some(m) = self.library.nodes[node].docs[default].as_ref().and_then(kind_of::<Municipality>) else {
            return Value::from(());
        };
        let services = self.facts.services_of.get(&node).cloned().unwrap_or_default();
        let mut by_category: std::collections::BTreeMap<crate::schema::vocab::Category, Vec<NodeId>> =
            Default::default();
        for &s in &services {
            if let Some(service) = self.service(s) {
                by_category.entry(*service.category.get_ref()).or_default().push(s);
            }
        }
        let groups: Vec<Value> = by_category
            .into_iter()
            .map(|(category, mut ids)| {
                ids.sort_by(|&a, &b| {
                    let ta = self.doc(a, lang).map(|d| d.title()).unwrap_or_default();
                    let tb = self.doc(b, lang).map(|d| d.title()).unwrap_or_default();
                    self.locales.compare(self.lang_code(lang), ta, tb)
                });
                Value::from_pairs([
                    ("category", self.term(lang, category.label_key(), category.code())),
                    ("services", ids.iter().map(|&s| self.service_card(s, lang)).collect()),
                ])
            })
            .collect();
        let facts: Vec<Value> = self
            .facts
            .local
            .get(&node)
            .map(|local| {
                local
                    .iter()
                    .map(|(fact, &s)| {
                        Value::from_pairs([
                            ("fact", self.term(lang, fact.label_key(), fact.code())),
                            ("service", self.service_card(s, lang)),
                        ])
                    })
                    .collect()
            })
            .unwrap_or_default();
        let area = m.area_km2.map(|a| {
            let text = format!("{a:.2}");
            if self.lang_code(lang) == "en" { text } else { text.replace('.', ",") }
        });
        let pack = self.migrant_pack_path(node, lang).map(|p| self.href(&p));
        Value::from_pairs([
            ("teryt", Value::from(m.teryt.get_ref().as_str())),
            ("type", self.term(lang, m.kind.label_key(), m.kind.code())),
            ("county", Value::from(m.county.as_str())),
            (
                "seat",
                Value::from_pairs([
                    ("name", Value::from(m.seat.name.as_str())),
                    ("coordinates", Value::from(m.seat.coordinates.as_ref().map(|c| c.get_ref().to_vec()))),
                    ("verified", Value::from(m.seat.verified)),
                ]),
            ),
            ("area_km2", Value::from(area)),
            ("website", Value::from(m.website.as_ref().map(|w| w.get_ref().as_str()))),
            ("service_count", Value::from(services.len())),
            ("services_by_category", Value::from(groups)),
            ("facts", Value::from(facts)),
            ("migrant_pack", Value::from(pack)),
            ("sources", Self::sources(m.source.get_ref())),
        ])
    }

    /// A service in a list: its reference plus category and contact facts.
    pub fn service_card(&self, node: NodeId, lang: usize) -> Value {
        let Some(s) = self.service(node) else { return self.reference(node, lang) };
        Value::from_pairs([
            ("title", Value::from(self.doc(node, lang).map(|d| d.title()).unwrap_or_default())),
            ("lang", Value::from(self.lang_code(self.content_lang(node, lang)))),
            ("is_fallback", Value::from(self.library.nodes[node].is_fallback(lang))),
            ("path", Value::from(self.library.nodes[node].paths[lang].as_ref().map(|p| self.href(p)))),
            ("category", self.category(lang, s)),
            ("address", Value::from(s.address.as_ref().map(|a| a.get_ref().as_str()))),
            ("phones", phones(s)),
            ("verified", Value::from(s.verified)),
        ])
    }

    fn forum_view(&self, node: NodeId, lang: usize) -> Value {
        let n = &self.library.nodes[node];
        // A translation may carry its own [forum] with translated topics; else the Polish one.
        let Some(f) = n.docs[lang]
            .as_ref()
            .and_then(kind_of::<Forum>)
            .or_else(|| n.docs[self.default_lang()].as_ref().and_then(kind_of::<Forum>))
        else {
            return Value::from(());
        };
        Value::from_pairs([
            ("forum", self.term(lang, f.forum.label_key(), f.forum.code())),
            (
                "date",
                Value::from(
                    f.date.as_ref().and_then(|d| ymd(d.get_ref())).map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
                ),
            ),
            ("approximate_date", Value::from(f.approximate_date.as_ref().map(|d| d.get_ref().as_str()))),
            ("date_note", Value::from(f.date_note.as_deref())),
            ("place", Value::from(f.place.as_deref())),
            ("topics", Value::from(f.topics.clone())),
            ("speakers", Value::from(Serde(&f.speakers))),
            ("outcomes", Value::from(f.outcomes.clone())),
            ("areas", f.strategic_areas.iter().map(|a| self.term(lang, a.label_key(), a.code())).collect()),
            ("categories", f.categories.iter().map(|c| self.term(lang, c.label_key(), c.code())).collect()),
            ("sources", Self::sources(f.source.get_ref())),
        ])
    }

    fn guide(&self, node: NodeId) -> Option<&Guide> {
        kind_of::<Guide>(self.library.nodes[node].docs[self.default_lang()].as_ref()?)
    }

    fn guide_view(&self, node: NodeId, lang: usize) -> Value {
        let Some(g) = self.guide(node) else { return Value::from(()) };
        let versions: Vec<Value> = self
            .facts
            .municipalities
            .iter()
            .filter_map(|&m| {
                let path = self.migrant_local_path(node, m, lang)?;
                Some(Value::from_pairs([
                    ("name", Value::from(self.doc(m, lang).map(|d| d.title()).unwrap_or_default())),
                    ("path", Value::from(self.href(&path))),
                ]))
            })
            .collect();
        Value::from_pairs([
            ("needs", g.needs.iter().map(|n| self.term(lang, n.get_ref().label_key(), n.get_ref().code())).collect()),
            ("local_versions", Value::from(versions)),
            ("sources", Self::sources(g.source.get_ref())),
        ])
    }

    fn statement_view(&self, node: NodeId, lang: usize) -> Value {
        let n = &self.library.nodes[node];
        let Some(s) =
            n.docs[lang].as_ref().and_then(kind_of::<crate::schema::kinds::AccessibilityStatement>).or_else(|| {
                n.docs[self.default_lang()].as_ref().and_then(kind_of::<crate::schema::kinds::AccessibilityStatement>)
            })
        else {
            return Value::from(());
        };
        let date = |d: &toml::Spanned<toml::value::Datetime>| {
            ymd(d.get_ref()).map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
        };
        Value::from_pairs([
            ("entity", Value::from(s.entity.as_str())),
            ("status", self.term(lang, s.status.label_key(), s.status.code())),
            ("published", Value::from(date(&s.published))),
            ("updated", Value::from(s.updated.as_ref().and_then(date))),
            ("prepared", Value::from(date(&s.prepared))),
            ("method", Value::from(s.method.as_str())),
            ("contact_name", Value::from(s.contact_name.as_deref())),
            ("contact_email", Value::from(s.contact_email.as_ref().map(|e| e.get_ref().as_str()))),
            ("contact_phone", Value::from(s.contact_phone.as_ref().map(|p| p.get_ref().as_str()))),
        ])
    }

    /// Site path of the migrant pack of a municipality: `<municipality>/<migrant section slug>/`.
    pub fn migrant_pack_path(&self, municipality: NodeId, lang: usize) -> Option<String> {
        let guide = *self.facts.guides.first()?;
        let section = self.library.nodes[guide].parent?;
        let section_slug =
            self.library.nodes[section].paths[lang].as_ref()?.trim_end_matches('/').rsplit('/').next()?.to_string();
        Some(format!("{}{section_slug}/", self.library.nodes[municipality].paths[lang].as_ref()?))
    }

    /// Site path of a guide rendered for one municipality.
    pub fn migrant_local_path(&self, guide: NodeId, municipality: NodeId, lang: usize) -> Option<String> {
        let slug =
            self.library.nodes[guide].paths[lang].as_ref()?.trim_end_matches('/').rsplit('/').next()?.to_string();
        Some(format!("{}{slug}/", self.migrant_pack_path(municipality, lang)?))
    }

    /// The guide's HTML in `lang` with each `{{ fact }}` replaced: by the municipality's service
    /// (linked, with address and phone), by an honest "not yet provided" when the municipality
    /// lacks it, or, with no municipality, by the fact's generic name.
    pub fn guide_html(&self, guide: NodeId, municipality: Option<NodeId>, lang: usize) -> String {
        let content_lang = self.content_lang(guide, lang);
        let Some(rendered) = &self.rendered[guide][content_lang] else { return String::new() };
        let mut html = crate::markdown::resolve_links(&rendered.html, &self.link_urls[guide][lang]);
        let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
        for (name, _) in crate::schema::placeholders(&html.clone()) {
            let Some(fact) = LocalFact::from_code(&name) else { continue };
            let generic = escape(&self.label(lang, &fact.label_key()));
            let replacement = match municipality {
                None => format!("<strong class=\"fact\">{generic}</strong>"),
                Some(m) => match self.facts.local.get(&m).and_then(|l| l.get(&fact)) {
                    Some(&s) => {
                        let card = self.service_card(s, lang);
                        let title = escape(&card.get_attr("title").map(|v| v.to_string()).unwrap_or_default());
                        let path = card
                            .get_attr("path")
                            .ok()
                            .filter(|v| !v.is_none())
                            .map(|v| v.to_string())
                            .unwrap_or_default();
                        let mut details = Vec::new();
                        if let Some(address) = self.service(s).and_then(|x| x.address.as_ref()) {
                            details.push(escape(address.get_ref()));
                        }
                        if let Some(phone) = self.service(s).and_then(|x| x.phone.as_ref()) {
                            details.push(format!(
                                "{} {}",
                                escape(&self.label(lang, "contact-phone")),
                                escape(&phone.get_ref().items().join(", "))
                            ));
                        }
                        let lang_attr = if self.library.nodes[s].is_fallback(lang) { " lang=\"pl\"" } else { "" };
                        let suffix =
                            if details.is_empty() { String::new() } else { format!(" ({})", details.join("; ")) };
                        format!("<a class=\"fact\" href=\"{path}\"{lang_attr}>{title}</a>{suffix}")
                    }
                    None => format!(
                        "<em class=\"fact fact--missing\">{generic}: {}</em>",
                        escape(&self.label(lang, "guide-fact-missing"))
                    ),
                },
            };
            html = html
                .replace(&format!("{{{{ {name} }}}}"), &replacement)
                .replace(&format!("{{{{{name}}}}}"), &replacement);
        }
        html
    }

    /// Local facts a guide needs, for one municipality: `{fact, service card or none}`.
    pub fn guide_local_facts(&self, guide: NodeId, municipality: NodeId, lang: usize) -> Value {
        let Some(g) = self.guide(guide) else { return Value::from(Vec::<Value>::new()) };
        g.needs
            .iter()
            .map(|need| {
                let fact = *need.get_ref();
                let service =
                    self.facts.local.get(&municipality).and_then(|l| l.get(&fact)).map(|&s| self.service_card(s, lang));
                Value::from_pairs([
                    ("fact", self.term(lang, fact.label_key(), fact.code())),
                    ("service", Value::from(service)),
                ])
            })
            .collect()
    }
}
