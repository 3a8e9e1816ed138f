//! Views of the typed content kinds: what `service.html`, `municipality.html`, `forum.html`,
//! `guide.html` and the municipality-local migrant pages see, with every vocabulary term
//! labelled in the reader's language, and the schema.org JSON-LD of a service.
//!
//! Size: about 650 lines before its tests, one view per kind; each view is short, and splitting
//! them would scatter the shared labelling helpers they all use.

use minijinja::Value;
use minijinja::value::Serde;
use serde_json::json;

use crate::content::NodeId;
use crate::model::SiteData;
use crate::schema::kinds::{Forum, Guide, Municipality, Service};
use crate::schema::opening_hours;
use crate::schema::provenance::{PartialDate, ResolvedSource, SourceKind};
use crate::schema::vocab::{LocalFact, ServiceFact};
use crate::schema::{Placeholder, kind_of, ymd};

/// A service's phone numbers as a list (none: empty).
fn phones(s: &Service) -> Value {
    Value::from(
        s.phone
            .as_ref()
            .map(|p| p.get_ref().items().into_iter().map(str::to_string).collect::<Vec<_>>())
            .unwrap_or_default(),
    )
}

/// The municipal office's contact, as the municipality page shows it.
fn office_view(office: &crate::schema::kinds::Office) -> Value {
    let text = |v: &Option<toml::Spanned<String>>| Value::from(v.as_ref().map(|v| v.get_ref().clone()));
    Value::from_pairs([
        ("name", Value::from(office.name.clone())),
        ("address", text(&office.address)),
        (
            "phones",
            Value::from(
                office
                    .phone
                    .as_ref()
                    .map(|p| p.get_ref().items().into_iter().map(str::to_string).collect::<Vec<_>>())
                    .unwrap_or_default(),
            ),
        ),
        ("email", text(&office.email)),
        ("website", text(&office.website)),
    ])
}

impl SiteData {
    fn category(&self, lang: usize, s: &Service) -> Value {
        let category = s.category.get_ref();
        self.term(lang, category.label_key(), category.code())
    }

    /// The UI string `key` in `lang` (the key itself if the theme lacks it; `check` reports that).
    pub(crate) fn label(&self, lang: usize, key: &str) -> String {
        self.locales.message(self.lang_code(lang), key, &[]).unwrap_or_else(|_| key.to_string())
    }

    fn term(&self, lang: usize, key: String, code: &str) -> Value {
        Value::from_pairs([("code", Value::from(code)), ("label", Value::from(self.label(lang, &key)))])
    }

    /// The kind-specific map of a node in `lang` (`service`, `municipality`, …), if it has a kind.
    pub(crate) fn kind_view(&self, node: NodeId, lang: usize) -> Option<(&'static str, Value)> {
        let default = self.default_lang();
        let doc = self.library.nodes[node].docs[default].as_deref()?;
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

    /// "maj 2023", "9 maja 2024", "2014" in `lang`, with "ok." before an estimate.
    pub(crate) fn partial_date_text(&self, lang: usize, date: PartialDate, approximate: bool) -> String {
        let code = self.lang_code(lang);
        let year = date.year.to_string();
        let text = match (date.month, date.day) {
            (Some(m), Some(d)) => self
                .locales
                .format_date(code, (date.year, m, d), crate::i18n::DateStyle::Long)
                .unwrap_or_else(|| date.iso()),
            (Some(m), None) => self
                .locales
                .message(
                    code,
                    "date-month-year",
                    &[("month", self.label(lang, &format!("month-{m}")).into()), ("year", year.into())],
                )
                .unwrap_or_else(|_| date.iso()),
            _ => self.locales.message(code, "date-year", &[("year", year.into())]).unwrap_or_else(|_| date.iso()),
        };
        if approximate {
            self.locales.message(code, "date-approximate", &[("date", text.clone().into())]).unwrap_or(text)
        } else {
            text
        }
    }

    /// The sources of a typed page, as readers see them: numbered, titled, linked, dated.
    pub(crate) fn sources_view(&self, node: NodeId, lang: usize) -> Value {
        let sources = self.facts.sources_of(node, lang, self.default_lang());
        sources.iter().enumerate().map(|(i, s)| self.source_view(lang, i + 1, s)).collect()
    }

    fn source_view(&self, lang: usize, number: usize, s: &ResolvedSource) -> Value {
        let url = s.url.as_ref().map(|u| if s.kind == SourceKind::Data { self.href(u) } else { u.clone() });
        Value::from_pairs([
            ("number", Value::from(number)),
            ("id", Value::from(s.id.as_deref())),
            (
                "kind",
                Value::from(match s.kind {
                    SourceKind::Url => "url",
                    SourceKind::Seed => "seed",
                    SourceKind::Data => "data",
                }),
            ),
            ("title", Value::from(s.title.as_str())),
            ("lang", Value::from(s.lang.as_str())),
            ("publisher", Value::from(s.publisher.as_deref())),
            ("url", Value::from(url)),
            ("date", Value::from(s.date.map(|d| d.iso()))),
            ("date_text", Value::from(s.date.map(|d| self.partial_date_text(lang, d, s.approximate)))),
            ("stale", Value::from(s.date.is_some_and(|d| self.facts.is_stale(d)))),
            ("facts", s.facts.iter().map(|f| self.term(lang, f.label_key(), f.code())).collect()),
        ])
    }

    /// Per fact of a service: the date to show beside it when its source is old, and whether
    /// it is to be confirmed. Keys are the fact codes (`address`, `phone`, …).
    fn fact_notes(&self, node: NodeId, lang: usize, s: &Service) -> Value {
        let sources = self.facts.sources_of(node, lang, self.default_lang());
        Value::from_pairs(ServiceFact::ALL.iter().map(|&fact| {
            let old = self
                .facts
                .fact_date(sources, fact)
                .filter(|(d, _)| self.facts.is_stale(*d))
                .map(|(d, approximate)| self.partial_date_text(lang, d, approximate));
            let note = Value::from_pairs([
                ("old_date", Value::from(old)),
                ("unconfirmed", Value::from(s.unconfirmed.contains(&fact))),
            ]);
            (fact.code(), note)
        }))
    }

    /// The contact facts a service lacks, as `{code, label}` in the reader's language.
    pub(crate) fn missing_facts(&self, s: &Service) -> Vec<ServiceFact> {
        ServiceFact::CONTACT
            .iter()
            .copied()
            .filter(|f| match f {
                ServiceFact::Address => s.address.is_none(),
                ServiceFact::Phone => s.phone.is_none(),
                ServiceFact::Email => s.email.is_none(),
                ServiceFact::Website => s.website.is_none(),
                ServiceFact::Hours => s.opening_hours.is_none(),
                _ => false,
            })
            .collect()
    }

    /// The contact facts of a service whose newest source is older than the stale limit.
    pub(crate) fn old_facts(&self, node: NodeId, s: &Service) -> Vec<(ServiceFact, PartialDate)> {
        let missing = self.missing_facts(s);
        let sources = self.facts.sources_of(node, self.default_lang(), self.default_lang());
        ServiceFact::CONTACT
            .iter()
            .copied()
            .filter(|f| !missing.contains(f))
            .filter_map(|f| {
                self.facts.fact_date(sources, f).filter(|(d, _)| self.facts.is_stale(*d)).map(|(d, _)| (f, d))
            })
            .collect()
    }

    pub(crate) fn service(&self, node: NodeId) -> Option<&Service> {
        kind_of::<Service>(self.library.nodes[node].docs[self.default_lang()].as_deref()?)
    }

    /// The weekly opening hours in `lang`: `(days, hours, closed)` rows such as
    /// `("poniedziałek–piątek", "07:30–15:30", false)`.
    pub(crate) fn hours_rows(&self, lang: usize, parsed: &opening_hours::OpeningHours) -> Vec<(String, String, bool)> {
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
                ("comments", Value::from(parsed.comments)),
            ])
        });
        let municipality = self.facts.municipality_of.get(&node).map(|&m| self.reference(m, lang));
        let served: Vec<Value> = self
            .facts
            .serves
            .get(&node)
            .map(|list| list.iter().map(|&m| self.reference(m, lang)).collect())
            .unwrap_or_default();
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
            ("sources", self.sources_view(node, lang)),
            ("notes", self.fact_notes(node, lang, s)),
            (
                "missing",
                self.missing_facts(s)
                    .into_iter()
                    .map(|f| {
                        Value::from_pairs([
                            ("code", Value::from(f.code())),
                            ("label", Value::from(self.label(lang, &format!("missing-{}", f.code())))),
                        ])
                    })
                    .collect(),
            ),
            ("unconfirmed", s.unconfirmed.iter().map(|f| Value::from(self.label(lang, &f.label_key()))).collect()),
            ("verified", Value::from(s.verified)),
            ("reviewed", Value::from(s.reviewed.as_ref().map(|r| r.get_ref().to_string()))),
            ("municipality", Value::from(municipality)),
            (
                "municipality_pl",
                Value::from(
                    self.facts
                        .municipality_of
                        .get(&node)
                        .and_then(|&m| self.doc(m, self.default_lang()))
                        .map(|d| d.title()),
                ),
            ),
            ("serves", Value::from(served)),
            // A structured value: the theme writes it with `|tojson`, which escapes `<`, `>`, `&` and
            // `'` as `\u00XX`, so no content can close the script element or open a comment in it.
            ("json_ld", Value::from(Serde(self.service_json_ld(node, lang, s)))),
        ])
    }

    /// schema.org `GovernmentService` of a service page, for a `<script type="application/ld+json">`.
    fn service_json_ld(&self, node: NodeId, lang: usize, s: &Service) -> serde_json::Value {
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
        ld
    }

    fn municipality_view(&self, node: NodeId, lang: usize) -> Value {
        let default = self.default_lang();
        let Some(m) = self.library.nodes[node].docs[default].as_deref().and_then(kind_of::<Municipality>) else {
            return Value::from(());
        };
        let services = self.facts.services_for(node);
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
            ("polish_name", Value::from(self.doc(node, default).map(|d| d.title()))),
            ("type", self.term(lang, m.kind.label_key(), m.kind.code())),
            ("county", Value::from(m.county.as_str())),
            (
                "seat",
                Value::from_pairs([
                    ("name", Value::from(m.seat.name.as_str())),
                    ("local_name", Value::from(m.seat.names.get(self.lang_code(lang)).map(String::as_str))),
                    ("coordinates", Value::from(m.seat.coordinates.as_ref().map(|c| c.get_ref().to_vec()))),
                    ("verified", Value::from(m.seat.verified)),
                ]),
            ),
            ("area_km2", Value::from(area)),
            ("website", Value::from(m.website.as_ref().map(|w| w.get_ref().as_str()))),
            ("office", Value::from(m.office.as_ref().map(office_view))),
            ("service_count", Value::from(services.len())),
            ("services_by_category", Value::from(groups)),
            ("facts", Value::from(facts)),
            ("migrant_pack", Value::from(pack)),
            ("sources", self.sources_view(node, lang)),
            ("names", Value::from(Serde(m.names.as_ref().map(|n| n.get_ref().clone()).unwrap_or_default()))),
            ("seat_names", Value::from(Serde(m.seat.names.clone()))),
        ])
    }

    /// A service in a list: its reference plus category and contact facts.
    pub(crate) fn service_card(&self, node: NodeId, lang: usize) -> Value {
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
            .as_deref()
            .and_then(kind_of::<Forum>)
            .or_else(|| n.docs[self.default_lang()].as_deref().and_then(kind_of::<Forum>))
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
            ("sources", self.sources_view(node, lang)),
        ])
    }

    fn guide(&self, node: NodeId) -> Option<&Guide> {
        kind_of::<Guide>(self.library.nodes[node].docs[self.default_lang()].as_deref()?)
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
            ("sources", self.sources_view(node, lang)),
        ])
    }

    fn statement_view(&self, node: NodeId, lang: usize) -> Value {
        let n = &self.library.nodes[node];
        let Some(s) =
            n.docs[lang].as_deref().and_then(kind_of::<crate::schema::kinds::AccessibilityStatement>).or_else(|| {
                n.docs[self.default_lang()].as_deref().and_then(kind_of::<crate::schema::kinds::AccessibilityStatement>)
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
    pub(crate) fn migrant_pack_path(&self, municipality: NodeId, lang: usize) -> Option<String> {
        let guide = *self.facts.guides.first()?;
        let section = self.library.nodes[guide].parent?;
        let section_slug =
            self.library.nodes[section].paths[lang].as_ref()?.trim_end_matches('/').rsplit('/').next()?.to_string();
        Some(format!("{}{section_slug}/", self.library.nodes[municipality].paths[lang].as_ref()?))
    }

    /// Site path of a guide rendered for one municipality.
    pub(crate) fn migrant_local_path(&self, guide: NodeId, municipality: NodeId, lang: usize) -> Option<String> {
        let slug =
            self.library.nodes[guide].paths[lang].as_ref()?.trim_end_matches('/').rsplit('/').next()?.to_string();
        Some(format!("{}{slug}/", self.migrant_pack_path(municipality, lang)?))
    }

    /// The guide's HTML in `lang` with each `{{ fact }}` replaced: by the municipality's service
    /// (linked, with address and phone), by an honest "not yet provided" when the municipality
    /// lacks it, or, with no municipality, by the fact's generic name.
    pub(crate) fn guide_html(&self, guide: NodeId, municipality: Option<NodeId>, lang: usize) -> String {
        let content_lang = self.content_lang(guide, lang);
        let Some(body) = self.body_html(guide, content_lang) else { return String::new() };
        let mut html = crate::markdown::resolve_links(&body, &self.link_urls[guide][lang]);
        let escape = super::escape_html;
        let sources = self.facts.sources_of(guide, lang, self.default_lang());
        for (token, _) in crate::schema::placeholders(&html) {
            let (name, replacement) = match token {
                Placeholder::Cite(id) => {
                    let Some(n) = sources.iter().position(|s| s.id.as_deref() == Some(id.as_str())) else { continue };
                    let label = escape(
                        &self
                            .locales
                            .message(self.lang_code(lang), "cite-label", &[("number", (n + 1).into())])
                            .unwrap_or_default(),
                    );
                    (
                        format!("cite:{id}"),
                        format!(
                            "<sup class=\"cite\"><a href=\"#zrodlo-{}\" aria-label=\"{label}\">[{}]</a></sup>",
                            n + 1,
                            n + 1
                        ),
                    )
                }
                Placeholder::Malformed(_) => continue,
                Placeholder::Fact(name) => {
                    let Some(fact) = LocalFact::from_code(&name) else { continue };
                    (name, self.fact_html(fact, municipality, lang))
                }
            };
            html = html
                .replace(&format!("{{{{ {name} }}}}"), &replacement)
                .replace(&format!("{{{{{name}}}}}"), &replacement);
        }
        html
    }

    /// A local fact in a guide's text: the municipality's service (linked, with address and
    /// phone), an honest "not yet provided", or, on the general guide, a pointer to the
    /// municipalities' versions.
    fn fact_html(&self, fact: LocalFact, municipality: Option<NodeId>, lang: usize) -> String {
        let escape = super::escape_html;
        let generic = escape(&self.label(lang, &fact.label_key()));
        match municipality {
            None => format!(
                "<a class=\"fact\" href=\"#mp-local\">{generic} ({})</a>",
                escape(&self.label(lang, "guide-fact-choose"))
            ),
            Some(m) => match self.facts.local.get(&m).and_then(|l| l.get(&fact)) {
                Some(&s) => {
                    let card = self.service_card(s, lang);
                    let title = escape(&card.get_attr("title").map(|v| v.to_string()).unwrap_or_default());
                    let path =
                        card.get_attr("path").ok().filter(|v| !v.is_none()).map(|v| v.to_string()).unwrap_or_default();
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
                    let suffix = if details.is_empty() { String::new() } else { format!(" ({})", details.join("; ")) };
                    format!("<a class=\"fact\" href=\"{path}\"{lang_attr}>{title}</a>{suffix}")
                }
                None => {
                    // "Ask at your municipal office" cannot stand in for the office itself: point
                    // to the municipality's own site instead, when it is known.
                    let website = (fact == LocalFact::MunicipalOffice)
                        .then(|| self.library.nodes[m].docs[self.default_lang()].as_deref())
                        .flatten()
                        .and_then(kind_of::<Municipality>)
                        .and_then(|x| x.website.as_ref().map(|w| w.get_ref().clone()));
                    match website {
                        Some(url) => format!(
                            "<em class=\"fact fact--missing\">{generic}: {}</em> <a href=\"{}\">{}</a>",
                            escape(&self.label(lang, "guide-fact-missing-office")),
                            escape(&url),
                            escape(
                                url.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/')
                            )
                        ),
                        None => format!(
                            "<em class=\"fact fact--missing\">{generic}: {}</em>",
                            escape(&self.label(lang, "guide-fact-missing"))
                        ),
                    }
                }
            },
        }
    }

    /// Local facts a guide needs, for one municipality: `{fact, service card or none}`.
    pub(crate) fn guide_local_facts(&self, guide: NodeId, municipality: NodeId, lang: usize) -> Value {
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

#[cfg(test)]
mod json_ld_tests {
    use minijinja::value::Serde;
    use minijinja::{Environment, Value, context};

    /// Renders `ld` as the portal theme's `service.html` writes `json_ld` (its `<script>` line,
    /// with HTML auto-escaping as for every `.html` template) and returns the script's text.
    fn rendered_by_the_theme(ld: &serde_json::Value) -> String {
        let theme = include_str!("../../themes/portal/templates/service.html");
        let line = theme.lines().find(|l| l.contains("application/ld+json")).expect("service.html has JSON-LD");
        let mut env = Environment::new();
        env.add_template("service.html", line).unwrap();
        let json_ld = Value::from(Serde(ld));
        let html = env
            .get_template("service.html")
            .unwrap()
            .render(context! { page => context! { service => context! { json_ld } } })
            .unwrap();
        let script =
            html.strip_prefix(r#"<script type="application/ld+json">"#).and_then(|h| h.strip_suffix("</script>"));
        script.unwrap_or_else(|| panic!("not one script element: {html}")).to_string()
    }

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        for name in ["</script><b>&amp;", "<!--<script>", "</SCRIPT >", "it's \u{2028}\"quoted\""] {
            let value = serde_json::json!({"@type": "GovernmentService", "name": name, "provider": {"name": [name]}});
            let out = rendered_by_the_theme(&value);
            assert!(!out.contains('<') && !out.contains('>') && !out.contains('&') && !out.contains('\''), "{out}");
            // Still JSON, and the same value.
            let back: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(back, value);
        }
        let out = rendered_by_the_theme(&serde_json::json!({"name": "<!--<script>"}));
        assert_eq!(out, r#"{"name": "\u003c!--\u003cscript\u003e"}"#);
    }
}
