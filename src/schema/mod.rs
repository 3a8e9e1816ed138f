//! Schema: the typed content kinds of the portal (`[municipality]`, `[service]`, `[forum]`,
//! `[guide]`, `[accessibility_statement]`), their vocabularies, and their validation: per file
//! (formats, vocabularies, dates) and across files (coordinates inside the municipality's own
//! boundary, TERYT codes against the boundary file, references between pages, local facts the
//! migrant guides need).

pub(crate) mod geo;
pub(crate) mod kinds;
pub(crate) mod opening_hours;
pub(crate) mod provenance;
pub(crate) mod vocab;

use std::any::Any;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeValue, ValueDeserializer};

use crate::content::front_matter::{FieldProblem, KindParser};
use crate::content::{Doc, Library, NodeId};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use geo::Boundaries;
use kinds::{AccessibilityStatement, Forum, Guide, Municipality, OneOrMany, Service};
use provenance::{Registry, ResolvedSource, SourceRules, Sources};
use vocab::{LocalFact, ServiceFact};

/// Names of the kind tables, as written in front matter.
pub(crate) const KIND_NAMES: &[&str] = &["municipality", "service", "forum", "guide", "accessibility_statement"];

/// The parser of the kind tables, handed to content loading.
pub(crate) struct Kinds;

impl KindParser for Kinds {
    fn names(&self) -> &[&'static str] {
        KIND_NAMES
    }

    fn parse(&self, name: &str, value: &Spanned<DeValue<'_>>) -> Result<Arc<dyn Any + Send + Sync>, Vec<FieldProblem>> {
        match name {
            "municipality" => typed::<Municipality>(value),
            "service" => typed::<Service>(value),
            "forum" => typed::<Forum>(value),
            "guide" => typed::<Guide>(value),
            "accessibility_statement" => typed::<AccessibilityStatement>(value),
            other => Err(vec![FieldProblem {
                message: format!("unknown kind `{other}`"),
                span: value.span(),
                hint: Some("the kinds are municipality, service, forum, guide and accessibility_statement".into()),
            }]),
        }
    }
}

/// Deserializes a kind table. serde stops at the first problem; to report all of them, the
/// field at fault (an unknown one, or the key whose value has the wrong type) is removed and the
/// table deserialized again. A required field removed that way is not reported again as missing.
fn typed<T: DeserializeOwned + Send + Sync + 'static>(
    value: &Spanned<DeValue<'_>>,
) -> Result<Arc<dyn Any + Send + Sync>, Vec<FieldProblem>> {
    if !value.get_ref().is_table() {
        return Err(vec![FieldProblem {
            message: format!("expected a table, found {}", value.get_ref().type_str()),
            span: value.span(),
            hint: Some("write the fields under a [kind] header".into()),
        }]);
    }
    let mut problems = Vec::new();
    let mut current = value.clone();
    let mut removed_keys: Vec<String> = Vec::new();
    for _ in 0..32 {
        match T::deserialize(ValueDeserializer::from(current.clone())) {
            Ok(v) if problems.is_empty() => return Ok(Arc::new(v)),
            Ok(_) => return Err(problems),
            Err(err) => {
                let message = err.message().trim_end().to_string();
                let span = err.span().unwrap_or(value.span());
                let unknown =
                    message.strip_prefix("unknown field `").and_then(|m| m.split('`').next()).map(str::to_string);
                let missing = message.strip_prefix("missing field `").and_then(|m| m.split('`').next());
                if missing.is_some_and(|field| removed_keys.iter().any(|k| k == field)) {
                    return Err(problems);
                }
                // The key of this table the problem is in: the unknown field, or the first step
                // of the path to the value at fault (`seat` for `seat.coordinates[0]`).
                let at_fault = unknown.clone().or_else(|| {
                    let path = field_path(value, &span)?;
                    path.split(['.', '[']).next().filter(|k| !k.is_empty()).map(str::to_string)
                });
                let removed = match (&at_fault, current.get_mut()) {
                    (Some(field), DeValue::Table(table)) => {
                        let key = table.keys().find(|k| k.get_ref() == field).cloned();
                        key.is_some_and(|k| table.remove(&k).is_some())
                    }
                    _ => false,
                };
                if removed {
                    removed_keys.extend(at_fault.clone());
                }
                let (plain, general) = crate::content::front_matter::explain_serde(&message);
                let hint = unknown
                    .as_ref()
                    .map(|field| match field.as_str() {
                        "gap" | "source_date" => "`gap` and `source_date` are gone: leave an unknown fact out (the page then says it is not yet known) and give the date in the source: [[service.source]] title = \"…\" url = \"…\" date = \"2023-05\" (docs/provenance.md)".to_string(),
                        _ => "check the spelling against the list above; free data belongs in [extra]".to_string(),
                    })
                    .or(general)
                    .or_else(|| Some("`metroportal schema` writes the fields of every kind with their types".to_string()));
                // Name the field the problem is in (`seat.coordinates[0]`), unless serde did.
                let message = match field_path(value, &span) {
                    Some(path) if !plain.contains(&format!("`{path}`")) && unknown.is_none() => {
                        format!("`{path}`: {plain}")
                    }
                    _ => plain,
                };
                problems.push(FieldProblem { message, span, hint });
                if !removed {
                    return Err(problems);
                }
            }
        }
    }
    Err(problems)
}

/// The dotted path (`seat.coordinates[0]`) of the innermost value of `table` whose span holds
/// `span`, if it is inside the table. Tables made by a `[header]` do not span their contents, so
/// every nested table is searched.
fn field_path(table: &Spanned<DeValue<'_>>, span: &Range<usize>) -> Option<String> {
    fn holds(v: &Spanned<DeValue<'_>>, span: &Range<usize>) -> bool {
        v.span().start <= span.start && span.end <= v.span().end
    }
    fn walk(value: &Spanned<DeValue<'_>>, span: &Range<usize>) -> Option<String> {
        let children: Vec<(String, &Spanned<DeValue<'_>>)> = match value.get_ref() {
            DeValue::Table(t) => t.iter().map(|(k, v)| (format!(".{}", k.get_ref()), v)).collect(),
            DeValue::Array(a) => a.iter().enumerate().map(|(i, v)| (format!("[{i}]"), v)).collect(),
            _ => return None,
        };
        children.into_iter().find_map(|(step, v)| match walk(v, span) {
            Some(deeper) => Some(format!("{step}{deeper}")),
            None => holds(v, span).then_some(step),
        })
    }
    walk(table, span).map(|p| p.trim_start_matches('.').to_string())
}

/// The kind table of a document, downcast.
pub(crate) fn kind_of<T: 'static>(doc: &Doc) -> Option<&T> {
    doc.fm.kind.as_ref().and_then(|k| k.data.downcast_ref::<T>())
}

/// The name of a document's kind (`service`, …), if it has one.
pub(crate) fn kind_name(doc: &Doc) -> Option<&str> {
    doc.fm.kind.as_ref().map(|k| k.name.as_str())
}

/// Date of a TOML datetime value, when it has one.
pub(crate) fn ymd(dt: &toml::value::Datetime) -> Option<(i32, u8, u8)> {
    dt.date.map(|d| (i32::from(d.year), d.month, d.day))
}

/// What validation found out, for rendering.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// Municipality section → its service pages (in file order).
    pub services_of: BTreeMap<NodeId, Vec<NodeId>>,
    /// Service page → its municipality section.
    pub municipality_of: BTreeMap<NodeId, NodeId>,
    /// Municipality → local fact → service page.
    pub local: BTreeMap<NodeId, BTreeMap<LocalFact, NodeId>>,
    /// Municipalities in file order.
    pub municipalities: Vec<NodeId>,
    /// Guide pages in file order.
    pub guides: Vec<NodeId>,
    /// The accessibility statement page, if there is one.
    pub statement: Option<NodeId>,
    /// Municipality × local fact: present, unverified, stale or missing.
    pub completeness: Vec<(NodeId, Vec<(LocalFact, FactState)>)>,
    /// Service → the other municipalities it serves (`serves = […]`).
    pub serves: BTreeMap<NodeId, Vec<NodeId>>,
    /// The resolved sources of each typed document: (node, language of the file that has them).
    pub sources: BTreeMap<(NodeId, usize), Vec<ResolvedSource>>,
    /// The source documents and data files sources may name.
    pub registry: Registry,
    /// The settings the views need: today, and the age after which a fact shows its date.
    pub today: (i32, u8, u8),
    pub stale_after_months: u32,
}

impl Facts {
    /// The sources of a node's typed table: a translation's own (forum pages), else the Polish ones.
    pub(crate) fn sources_of(&self, node: NodeId, lang: usize, default: usize) -> &[ResolvedSource] {
        self.sources.get(&(node, lang)).or_else(|| self.sources.get(&(node, default))).map_or(&[], Vec::as_slice)
    }

    /// The newest date among the sources backing `fact`, and whether it is an estimate.
    pub(crate) fn fact_date(
        &self,
        sources: &[ResolvedSource],
        fact: ServiceFact,
    ) -> Option<(provenance::PartialDate, bool)> {
        sources.iter().filter(|s| s.backs(fact)).filter_map(|s| s.date.map(|d| (d, s.approximate))).max()
    }

    /// Whether a fact's newest source is older than the stale limit.
    pub(crate) fn is_stale(&self, date: provenance::PartialDate) -> bool {
        provenance::months_between(date.latest_day(), self.today) > self.stale_after_months
    }

    /// Services listed on a municipality's page: its own, then those of others that serve it.
    pub(crate) fn services_for(&self, municipality: NodeId) -> Vec<NodeId> {
        let mut out = self.services_of.get(&municipality).cloned().unwrap_or_default();
        for (&service, served) in &self.serves {
            if served.contains(&municipality) {
                out.push(service);
            }
        }
        out
    }
}

/// The state of one local fact of one municipality, for the data-completeness report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FactState {
    /// Sourced, verified and reviewed within the allowed age.
    Present,
    /// The service exists but its facts are not verified on an official page.
    Unverified,
    /// Verified, but never reviewed or reviewed too long ago.
    Stale,
    Missing,
}

/// Municipality × local fact: what an editor still has to do.
pub(crate) fn completeness(
    library: &Library,
    facts: &Facts,
    policy: &Policy,
) -> Vec<(NodeId, Vec<(LocalFact, FactState)>)> {
    let default = library.default_lang;
    facts
        .municipalities
        .iter()
        .map(|&m| {
            let row = LocalFact::ALL
                .iter()
                .map(|&fact| {
                    let state = match facts.local.get(&m).and_then(|l| l.get(&fact)) {
                        None => FactState::Missing,
                        Some(&s) => {
                            let service = library.nodes[s].docs[default].as_ref().and_then(kind_of::<Service>);
                            match service {
                                Some(service) if !service.verified => FactState::Unverified,
                                Some(service) => {
                                    let fresh =
                                        service.reviewed.as_ref().and_then(|r| ymd(r.get_ref())).is_some_and(|d| {
                                            d <= policy.today
                                                && months_between(d, policy.today) <= policy.review_max_age_months
                                        });
                                    if fresh { FactState::Present } else { FactState::Stale }
                                }
                                None => FactState::Missing,
                            }
                        }
                    };
                    (fact, state)
                })
                .collect();
            (m, row)
        })
        .collect()
}

/// Settings of the checks.
pub(crate) struct Policy {
    /// A service not reviewed for longer than this many months is reported.
    pub review_max_age_months: u32,
    /// A fact whose source is older than this is shown with its date.
    pub stale_after_months: u32,
    /// Today, for "reviewed in the future" and review age.
    pub today: (i32, u8, u8),
}

/// Loads the registry of source documents (`[data] sources`) and lists the data folder.
pub(crate) fn load_registry(
    root: &Path,
    sources: Option<&str>,
    _boundaries: Option<&str>,
    diags: &Diagnostics,
) -> Registry {
    let data_dir = root.join("content").join("dane");
    let path = sources.map(|s| root.join(s));
    match Registry::load(path.as_deref(), &data_dir) {
        Ok(r) => r,
        Err((message, span)) => {
            let file = sources.unwrap_or("config.toml");
            let location = match (&span, path.as_deref().and_then(|p| std::fs::read_to_string(p).ok())) {
                (Some(span), Some(text)) => Location::from_span(Path::new(file), &text, span.clone()),
                _ => Location::file(file),
            };
            diags.push(
                Diagnostic::error("sources-registry-invalid", message)
                    .at(location)
                    .hint("each [seed.NNN] has title, and optionally publisher, date (YYYY-MM-DD) and url"),
            );
            Registry::default()
        }
    }
}

/// The location of a field of the document's kind table (its spans are relative to the TOML).
fn location(doc: &Doc, span: Range<usize>) -> Location {
    let offset = doc.fm.kind.as_ref().map_or(0, |k| k.toml_offset);
    Location::from_span(&doc.file, &doc.text, span.start + offset..span.end + offset)
}

/// The location of the kind table's header (`[service]`).
fn kind_location(doc: &Doc) -> Location {
    let span = doc.fm.kind.as_ref().map_or(0..0, |k| k.span.clone());
    Location::from_span(&doc.file, &doc.text, span)
}

/// Validates every typed page, alone and against the others. Errors and warnings go to `diags`.
pub(crate) fn validate(
    library: &Library,
    boundaries: Option<&Boundaries>,
    registry: Registry,
    policy: &Policy,
    diags: &Diagnostics,
) -> Facts {
    let default = library.default_lang;
    let mut facts =
        Facts { registry, today: policy.today, stale_after_months: policy.stale_after_months, ..Facts::default() };
    for (id, node) in library.nodes.iter().enumerate() {
        for (lang, doc) in node.docs.iter().enumerate() {
            let Some(doc) = doc else { continue };
            let Some(kind) = &doc.fm.kind else { continue };
            let per_language = matches!(kind.name.as_str(), "forum" | "accessibility_statement");
            if lang != default && !per_language {
                diags.push(
                    Diagnostic::error("kind-in-translation", format!("[{}] belongs in the Polish file only", kind.name))
                        .at(kind_location(doc))
                        .hint("facts are the same in every language: keep them in the file without a language code; translations carry the title and the text"),
                );
            }
        }
        let Some(doc) = node.docs[default].as_ref() else { continue };
        match kind_name(doc) {
            Some("municipality") => {
                if !node.is_section {
                    diags.push(
                        Diagnostic::error(
                            "kind-placement",
                            "[municipality] belongs in a municipality folder's _index.md",
                        )
                        .at(kind_location(doc))
                        .hint("move it to content/gminy/<municipality>/_index.md"),
                    );
                }
                facts.municipalities.push(id);
            }
            Some("guide") => facts.guides.push(id),
            Some("accessibility_statement") => {
                if facts.statement.is_some() {
                    diags.push(
                        Diagnostic::error("statement-duplicate", "there is already an accessibility statement")
                            .at(kind_location(doc))
                            .hint("keep one statement page (with its translations)"),
                    );
                }
                facts.statement = Some(id);
            }
            _ => {}
        }
    }
    // Which municipality each service belongs to: the nearest ancestor with [municipality].
    for (id, node) in library.nodes.iter().enumerate() {
        let Some(doc) = node.docs[default].as_ref() else { continue };
        if kind_name(doc) != Some("service") {
            continue;
        }
        let mut parent = node.parent;
        let mut owner = None;
        while let Some(p) = parent {
            if library.nodes[p].docs[default].as_ref().is_some_and(|d| kind_name(d) == Some("municipality")) {
                owner = Some(p);
                break;
            }
            parent = library.nodes[p].parent;
        }
        match owner {
            Some(m) => {
                facts.services_of.entry(m).or_default().push(id);
                facts.municipality_of.insert(id, m);
            }
            None => diags.push(
                Diagnostic::error("kind-placement", "a [service] page must be inside a municipality's folder")
                    .at(kind_location(doc))
                    .hint("move it to content/gminy/<municipality>/, next to the _index.md that has [municipality]"),
            ),
        }
    }
    let mut teryt_seen: BTreeMap<&str, &Doc> = BTreeMap::new();
    for &m in &facts.municipalities {
        let doc = library.nodes[m].docs[default].as_ref().expect("municipalities have a Polish file");
        let municipality = kind_of::<Municipality>(doc).expect("checked kind");
        // One municipality per TERYT code (and so per boundary).
        match teryt_seen.get(municipality.teryt.get_ref().as_str()) {
            Some(first) => diags.push(
                Diagnostic::error(
                    "teryt-duplicate",
                    format!(
                        "TERYT {} is already the code of {}",
                        municipality.teryt.get_ref(),
                        crate::diagnostics::display_path(&first.file)
                    ),
                )
                .at(location(doc, municipality.teryt.span()))
                .hint("each municipality has its own TERYT code; check this one against the boundary file"),
            ),
            None => {
                teryt_seen.insert(municipality.teryt.get_ref(), doc);
            }
        }
        let local = check_municipality(library, doc, municipality, boundaries, diags);
        facts.local.insert(m, local);
        check_names(library, m, municipality, diags);
        let resolved = check_sources(doc, &municipality.source, &facts.registry, SourceRules::PAGE, policy, diags);
        facts.sources.insert((m, default), resolved);
    }
    let slugs: BTreeMap<String, NodeId> = facts
        .municipalities
        .iter()
        .filter_map(|&m| {
            Some((library.nodes[m].docs[default].as_ref()?.file.parent()?.file_name()?.to_str()?.to_string(), m))
        })
        .collect();
    for (&service_id, &m) in &facts.municipality_of {
        let doc = library.nodes[service_id].docs[default].as_ref().expect("services have a Polish file");
        let service = kind_of::<Service>(doc).expect("checked kind");
        let muni_doc = library.nodes[m].docs[default].as_ref().expect("checked");
        let municipality = kind_of::<Municipality>(muni_doc).expect("checked kind");
        check_service(doc, service, muni_doc, municipality, boundaries, policy, diags);
        let resolved = check_sources(doc, &service.source, &facts.registry, SourceRules::SERVICE, policy, diags);
        facts.sources.insert((service_id, default), resolved);
        let mut served = Vec::new();
        for name in &service.serves {
            match slugs.get(name.get_ref()) {
                Some(&other) if other == m => diags.push(
                    Diagnostic::error(
                        "serves-own-municipality",
                        format!("`{}` is this service's own municipality", name.get_ref()),
                    )
                    .at(location(doc, name.span()))
                    .hint("list only the other municipalities it serves"),
                ),
                Some(&other) if served.contains(&other) => diags.push(
                    Diagnostic::error("serves-duplicate", format!("`{}` is listed twice", name.get_ref()))
                        .at(location(doc, name.span())),
                ),
                Some(&other) => served.push(other),
                None => diags.push(
                    Diagnostic::error("serves-unknown", format!("there is no municipality `{}`", name.get_ref()))
                        .at(location(doc, name.span()))
                        .hint(format!(
                            "write folder names of content/gminy/: {}",
                            slugs.keys().cloned().collect::<Vec<_>>().join(", ")
                        )),
                ),
            }
        }
        if !served.is_empty() {
            facts.serves.insert(service_id, served);
        }
    }
    for (id, node) in library.nodes.iter().enumerate() {
        for (lang, doc) in node.docs.iter().enumerate() {
            let Some(doc) = doc else { continue };
            if let Some(forum) = kind_of::<Forum>(doc) {
                check_forum(doc, forum, diags);
                let resolved = check_sources(doc, &forum.source, &facts.registry, SourceRules::PAGE, policy, diags);
                facts.sources.insert((id, lang), resolved);
            }
            if let Some(statement) = kind_of::<AccessibilityStatement>(doc) {
                check_statement(doc, statement, policy, diags);
            }
        }
        if let Some(doc) = node.docs[default].as_ref()
            && let Some(guide) = kind_of::<Guide>(doc)
        {
            let resolved = check_sources(doc, &guide.source, &facts.registry, SourceRules::GUIDE, policy, diags);
            check_guide(library, id, guide, &resolved, diags);
            facts.sources.insert((id, default), resolved);
        }
    }
    report_gaps(library, &facts, diags);
    facts.completeness = completeness(library, &facts, policy);
    facts
}

fn check_municipality(
    library: &Library,
    doc: &Doc,
    municipality: &Municipality,
    boundaries: Option<&Boundaries>,
    diags: &Diagnostics,
) -> BTreeMap<LocalFact, NodeId> {
    let teryt = municipality.teryt.get_ref();
    if teryt.len() != 7 || !teryt.bytes().all(|b| b.is_ascii_digit()) {
        diags.push(
            Diagnostic::error("teryt-invalid", format!("`{teryt}` is not a TERYT code"))
                .at(location(doc, municipality.teryt.span()))
                .hint("a municipality's TERYT code has 7 digits, e.g. \"1261011\" for Kraków"),
        );
    } else if let Some(b) = boundaries {
        match b.get(teryt) {
            None => diags.push(
                Diagnostic::error("teryt-unknown", format!("no boundary with TERYT {teryt} in the boundary file"))
                    .at(location(doc, municipality.teryt.span()))
                    .hint("check the code against the boundary GeoJSON named by `boundaries` in config.toml"),
            ),
            Some(boundary) => {
                if let Some(coords) = &municipality.seat.coordinates {
                    check_point(doc, coords, boundary, "the seat", diags);
                }
            }
        }
    }
    check_url(doc, municipality.website.as_ref(), diags);
    if let Some(office) = &municipality.office {
        check_url(doc, office.website.as_ref(), diags);
        check_email(doc, office.email.as_ref(), diags);
        check_phones(doc, office.phone.as_ref(), diags);
    }
    let mut local = BTreeMap::new();
    for fact in LocalFact::ALL {
        let Some(reference) = municipality.facts.get(*fact) else { continue };
        match resolve_service(library, reference.get_ref()) {
            Ok(id) => {
                local.insert(*fact, id);
            }
            Err(problem) => diags.push(
                Diagnostic::error("reference-broken", format!("facts.{}: {problem}", fact.code()))
                    .at(location(doc, reference.span()))
                    .hint("name a [service] page by its content path, e.g. \"@/gminy/krakow/mops.md\""),
            ),
        }
    }
    local
}

/// The service page an `@/` reference names.
fn resolve_service(library: &Library, reference: &str) -> Result<NodeId, String> {
    let path = reference.strip_prefix("@/").ok_or_else(|| format!("`{reference}` must start with @/"))?;
    let id = library.resolve_key(path).ok_or_else(|| format!("no content file `{path}`"))?;
    let doc =
        library.nodes[id].docs[library.default_lang].as_ref().ok_or_else(|| format!("`{path}` has no Polish file"))?;
    if kind_name(doc) != Some("service") {
        return Err(format!("`{path}` is not a [service] page"));
    }
    Ok(id)
}

/// How far outside a simplified boundary a point may lie before it is an error.
const BORDER_TOLERANCE_M: f64 = 150.0;

fn check_point(doc: &Doc, coords: &Spanned<[f64; 2]>, boundary: &geo::Boundary, what: &str, diags: &Diagnostics) {
    let [lat, lon] = *coords.get_ref();
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        diags.push(
            Diagnostic::error("coordinates-invalid", format!("[{lat}, {lon}] are not coordinates"))
                .at(location(doc, coords.span()))
                .hint("write [latitude, longitude] in decimal degrees, e.g. [50.0614, 19.9366]"),
        );
        return;
    }
    if boundary.contains(lat, lon) {
        return;
    }
    // The boundaries are simplified (areas within about 3 % of the official ones): a point just
    // outside the line may be right, so it is reported for checking, not refused.
    let distance = boundary.distance_to_edge_m(lat, lon);
    if distance <= BORDER_TOLERANCE_M {
        diags.push(
            Diagnostic::warning(
                "coordinates-near-border",
                format!(
                    "{what} [{lat}, {lon}] lies {distance:.0} m outside the simplified boundary of {}",
                    boundary.name
                ),
            )
            .at(location(doc, coords.span()))
            .hint("the boundary file is simplified; check the point on a detailed map"),
        );
        return;
    }
    let hint = if boundary.contains(lon, lat) {
        "latitude and longitude look swapped: write [latitude, longitude]".to_string()
    } else {
        format!(
            "the point is {:.1} km outside {}; check the coordinates, or move the page to the right municipality",
            boundary.distance_to_edge_m(lat, lon) / 1000.0,
            boundary.name
        )
    };
    diags.push(
        Diagnostic::error("coordinates-outside", format!("{what} [{lat}, {lon}] lies outside {}", boundary.name))
            .at(location(doc, coords.span()))
            .hint(hint),
    );
}

fn check_service(
    doc: &Doc,
    service: &Service,
    muni_doc: &Doc,
    municipality: &Municipality,
    boundaries: Option<&Boundaries>,
    policy: &Policy,
    diags: &Diagnostics,
) {
    if let Some(teryt) = &service.teryt
        && teryt.get_ref() != municipality.teryt.get_ref()
    {
        diags.push(
            Diagnostic::error(
                "service-wrong-municipality",
                format!(
                    "TERYT {} is not this folder's municipality ({})",
                    teryt.get_ref(),
                    municipality.teryt.get_ref()
                ),
            )
            .at(location(doc, teryt.span()))
            .hint(format!("a municipality's folder holds only its own services; see {}", muni_doc.file.display())),
        );
    }
    if let (Some(coords), Some(boundary)) =
        (&service.coordinates, boundaries.and_then(|b| b.get(municipality.teryt.get_ref())))
    {
        check_point(doc, coords, boundary, "the service", diags);
    }
    check_phones(doc, service.phone.as_ref(), diags);
    check_email(doc, service.email.as_ref(), diags);
    check_url(doc, service.website.as_ref(), diags);
    if let Some(hours) = &service.opening_hours
        && let Err(err) = opening_hours::parse(hours.get_ref())
    {
        // +1: the span of a string value includes its opening quote.
        let start = hours.span().start + 1 + err.span.start;
        let end = hours.span().start + 1 + err.span.end.max(err.span.start + 1);
        let mut d = Diagnostic::error("opening-hours-invalid", format!("opening_hours: {}", err.message))
            .at(location(doc, start..end));
        d = d.hint(
            err.hint.unwrap_or_else(|| "use OpenStreetMap syntax, e.g. \"Mo-Fr 08:00-16:00; Sa 09:00-13:00\"".into()),
        );
        diags.push(d);
    }
    match &service.reviewed {
        Some(reviewed) => match ymd(reviewed.get_ref()) {
            Some(date) if date > policy.today => diags.push(
                Diagnostic::error("reviewed-future", format!("reviewed = {} is in the future", reviewed.get_ref()))
                    .at(location(doc, reviewed.span()))
                    .hint("write the day the facts were last checked"),
            ),
            Some(date) if months_between(date, policy.today) > policy.review_max_age_months => diags.push(
                Diagnostic::warning(
                    "review-stale",
                    format!(
                        "not reviewed for more than {} months (last: {})",
                        policy.review_max_age_months,
                        reviewed.get_ref()
                    ),
                )
                .at(location(doc, reviewed.span()))
                .hint("check the facts against the source and update `reviewed`"),
            ),
            Some(_) => {}
            None => diags.push(
                Diagnostic::error("invalid-field", "reviewed must be a date such as 2026-05-01")
                    .at(location(doc, reviewed.span())),
            ),
        },
        None => diags.push(
            Diagnostic::warning("review-missing", "the facts of this service have no review date")
                .at(kind_location(doc))
                .hint("add reviewed = YYYY-MM-DD when an editor has checked them"),
        ),
    }
    if !service.verified {
        diags.push(
            Diagnostic::warning("unverified", "facts not confirmed on an official page (verified = false)")
                .at(kind_location(doc))
                .hint("confirm the facts on the institution's or the municipality's official site"),
        );
    }
}

fn months_between((y1, m1, d1): (i32, u8, u8), (y2, m2, d2): (i32, u8, u8)) -> u32 {
    let months = (y2 - y1) * 12 + i32::from(m2) - i32::from(m1) - i32::from(d2 < d1);
    months.max(0) as u32
}

fn check_forum(doc: &Doc, forum: &Forum, diags: &Diagnostics) {
    if forum.date.is_none() && forum.approximate_date.is_none() {
        diags.push(
            Diagnostic::error(
                "forum-date-missing",
                "a meeting needs `date` or, when the day is unknown, `approximate_date`",
            )
            .at(kind_location(doc))
            .hint("e.g. approximate_date = \"2021-12\" with date_note = \"shortly before 14 December 2021\""),
        );
    }
    if let Some(approx) = &forum.approximate_date {
        let text = approx.get_ref();
        let ok = match text.len() {
            4 => text.parse::<u16>().is_ok(),
            7 => {
                text[..4].parse::<u16>().is_ok()
                    && &text[4..5] == "-"
                    && text[5..].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
            }
            _ => false,
        };
        if !ok {
            diags.push(
                Diagnostic::error("invalid-field", format!("approximate_date `{text}` must be a year or a month"))
                    .at(location(doc, approx.span()))
                    .hint("write \"2021\" or \"2021-12\"; use date = 2021-12-14 when the day is known"),
            );
        }
    }
}

fn check_statement(doc: &Doc, statement: &AccessibilityStatement, policy: &Policy, diags: &Diagnostics) {
    check_email(doc, statement.contact_email.as_ref(), diags);
    if let Some(phone) = &statement.contact_phone
        && !is_phone(phone.get_ref())
    {
        diags.push(phone_problem(doc, phone.get_ref(), phone.span()));
    }
    for date in
        [Some(&statement.published), statement.updated.as_ref(), Some(&statement.prepared)].into_iter().flatten()
    {
        if ymd(date.get_ref()).is_some_and(|d| d > policy.today) {
            diags.push(
                Diagnostic::error("date-future", format!("{} is in the future", date.get_ref()))
                    .at(location(doc, date.span())),
            );
        }
    }
    if statement.contact_email.is_none() && statement.contact_phone.is_none() {
        diags.push(
            Diagnostic::warning(
                "statement-contact-missing",
                "the accessibility statement has no contact e-mail or phone",
            )
            .at(kind_location(doc))
            .hint(
                "the law requires a contact for accessibility requests; add contact_email or contact_phone once known",
            ),
        );
    }
}

/// What a `{{ … }}` in a guide's text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Placeholder {
    /// `{{ ops }}`: a local fact (the name may still be unknown; validation says so).
    Fact(String),
    /// `{{ cite:udsc-ukr }}`: a citation of one of the guide's sources.
    Cite(String),
    /// Anything else between `{{` and `}}` (`{{ 7*7 }}`, `{{ ops | safe }}`).
    Malformed(String),
}

/// Every `{{ … }}` in a body, with its byte range in the body.
pub(crate) fn placeholders(body: &str) -> Vec<(Placeholder, Range<usize>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = body[from..].find("{{").map(|i| from + i) {
        let Some(end) = body[start..].find("}}").map(|i| start + i + 2) else { break };
        let inner = body[start + 2..end - 2].trim();
        let name_like =
            |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let token = match inner.strip_prefix("cite:").map(str::trim) {
            Some(id) if name_like(id) => Placeholder::Cite(id.to_string()),
            Some(_) => Placeholder::Malformed(inner.to_string()),
            None if name_like(inner) => Placeholder::Fact(inner.to_string()),
            None => Placeholder::Malformed(inner.to_string()),
        };
        out.push((token, start..end));
        from = end;
    }
    out
}

/// The `##` sections of a Markdown body (outside code fences): (heading line start, end).
pub(crate) fn h2_sections(body: &str) -> Vec<Range<usize>> {
    let mut starts = Vec::new();
    let mut in_fence = false;
    let mut pos = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence && trimmed.starts_with("## ") {
            starts.push(pos);
        }
        pos += line.len();
    }
    starts.iter().enumerate().map(|(i, &s)| s..starts.get(i + 1).copied().unwrap_or(body.len())).collect()
}

fn check_guide(library: &Library, id: NodeId, guide: &Guide, sources: &[ResolvedSource], diags: &Diagnostics) {
    let needs: Vec<LocalFact> = guide.needs.iter().map(|n| *n.get_ref()).collect();
    let ids: Vec<&str> = sources.iter().filter_map(|s| s.id.as_deref()).collect();
    let mut cited: Vec<String> = Vec::new();
    for doc in library.nodes[id].docs.iter().flatten() {
        let found = placeholders(doc.body());
        let at = |range: &Range<usize>| {
            Location::from_span(&doc.file, &doc.text, doc.body_offset + range.start..doc.body_offset + range.end)
        };
        for (token, range) in &found {
            match token {
                Placeholder::Malformed(text) => diags.push(
                    Diagnostic::error("placeholder-invalid", format!("`{{{{ {text} }}}}` is not a placeholder"))
                        .at(at(range))
                        .hint(format!(
                            "a guide may use {{{{ fact }}}} with a local fact ({}) or {{{{ cite:source-id }}}}",
                            LocalFact::codes().join(", ")
                        )),
                ),
                Placeholder::Fact(name) => match LocalFact::from_code(name) {
                    None => diags.push(
                        Diagnostic::error("placeholder-unknown", format!("`{{{{ {name} }}}}` is not a local fact"))
                            .at(at(range))
                            .hint(format!("local facts: {}", LocalFact::codes().join(", "))),
                    ),
                    Some(fact) if !needs.contains(&fact) => diags.push(
                        Diagnostic::error(
                            "placeholder-not-needed",
                            format!("`{{{{ {name} }}}}` is not listed in [guide] needs"),
                        )
                        .at(at(range))
                        .hint(format!("add \"{name}\" to needs, so that missing facts are reported")),
                    ),
                    Some(_) => {}
                },
                Placeholder::Cite(source) => {
                    if ids.contains(&source.as_str()) {
                        cited.push(source.clone());
                    } else if !sources.is_empty() || guide.source.get_ref().items.is_empty() {
                        diags.push(
                            Diagnostic::error(
                                "cite-unknown",
                                format!("`{{{{ cite:{source} }}}}` names no source of this guide"),
                            )
                            .at(at(range))
                            .hint(format!("the guide's source ids: {}", ids.join(", "))),
                        );
                    }
                }
            }
        }
        // A rule needs a source on the page: every section cites one, or shows a local contact
        // where the reader can ask.
        for section in h2_sections(doc.body()) {
            let backed = found.iter().any(|(token, range)| {
                section.contains(&range.start) && matches!(token, Placeholder::Cite(_) | Placeholder::Fact(_))
            });
            if !backed {
                let heading_end = doc.body()[section.clone()].find('\n').map_or(section.end, |i| section.start + i);
                diags.push(
                    Diagnostic::error("guide-section-unsourced", format!(
                        "the section `{}` cites no source and names no local contact",
                        doc.body()[section.start..heading_end].trim_start_matches('#').trim()
                    ))
                    .at(at(&(section.start..heading_end)))
                    .hint("cite the source of each rule with {{ cite:id }}, or send the reader to a local contact such as {{ municipal-office }}"),
                );
            }
        }
    }
    for source in sources {
        if let Some(sid) = &source.id
            && !cited.contains(sid)
        {
            diags.push(
                Diagnostic::error("source-uncited", format!("the source `{sid}` is not cited in the text"))
                    .at(location(
                        library.nodes[id].docs[library.default_lang].as_ref().unwrap_or(library.nodes[id].any_doc()),
                        guide.source.span(),
                    ))
                    .hint(format!("cite it with {{{{ cite:{sid} }}}} after the rule it backs, or remove it")),
            );
        }
    }
    if library.nodes[id].is_section {
        let doc = library.nodes[id].any_doc();
        diags.push(
            Diagnostic::error("kind-placement", "[guide] belongs on a page, not on a section").at(kind_location(doc)),
        );
    }
}

/// Missing local facts that a guide needs: reported as warnings, one per municipality and fact.
fn report_gaps(library: &Library, facts: &Facts, diags: &Diagnostics) {
    let default = library.default_lang;
    let mut needed: BTreeMap<LocalFact, Vec<&str>> = BTreeMap::new();
    for &g in &facts.guides {
        let doc = library.nodes[g].docs[default].as_ref().expect("guides have a Polish file");
        for need in &kind_of::<Guide>(doc).expect("checked").needs {
            needed.entry(*need.get_ref()).or_default().push(doc.title());
        }
    }
    for &m in &facts.municipalities {
        let doc = library.nodes[m].docs[default].as_ref().expect("checked");
        for (fact, guides) in &needed {
            if !facts.local.get(&m).is_some_and(|l| l.contains_key(fact)) {
                diags.push(
                    Diagnostic::warning(
                        "fact-missing",
                        format!("{} has no `{}` fact, needed by: {}", doc.title(), fact.code(), guides.join(", ")),
                    )
                    .at(Location::file(&doc.file))
                    .hint(format!(
                        "add facts.{} = \"@/…\" naming a [service] page, once the fact is sourced",
                        fact.code()
                    )),
                );
            }
        }
    }
}

fn is_phone(phone: &str) -> bool {
    let digits = phone.bytes().filter(u8::is_ascii_digit).count();
    let allowed = phone.bytes().all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'+' | b'-' | b'(' | b')'));
    let plus_ok = !phone[1.min(phone.len())..].contains('+');
    allowed && plus_ok && (3..=15).contains(&digits) && (digits <= 6 || digits >= 9)
}

fn phone_problem(doc: &Doc, phone: &str, span: Range<usize>) -> Diagnostic {
    Diagnostic::error("phone-invalid", format!("`{phone}` is not a phone number"))
        .at(location(doc, span))
        .hint("write digits with spaces, e.g. \"12 430 45 46\" or \"+48 12 430 45 46\"; short numbers such as \"112\" are fine")
}

fn check_phones(doc: &Doc, phones: Option<&Spanned<OneOrMany>>, diags: &Diagnostics) {
    let Some(phones) = phones else { return };
    for phone in phones.get_ref().items() {
        if !is_phone(phone) {
            diags.push(phone_problem(doc, phone, phones.span()));
        }
    }
}

fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
}

fn check_email(doc: &Doc, email: Option<&Spanned<String>>, diags: &Diagnostics) {
    if let Some(email) = email
        && !is_email(email.get_ref())
    {
        diags.push(
            Diagnostic::error("email-invalid", format!("`{}` is not an e-mail address", email.get_ref()))
                .at(location(doc, email.span()))
                .hint("write it as name@example.pl, without spaces or mailto:"),
        );
    }
}

/// A URL field (`website`): an absolute http(s) URL, parsed as one (no spaces, line breaks
/// or control characters, which would otherwise reach `href` and JSON-LD).
fn check_url(doc: &Doc, url: Option<&Spanned<String>>, diags: &Diagnostics) {
    if let Some(url) = url
        && let Some(problem) = provenance::web_url_problem(url.get_ref())
    {
        diags.push(
            Diagnostic::error("url-invalid", format!("`{}` is not a web address", url.get_ref().escape_debug()))
                .at(location(doc, url.span()))
                .hint(format!("{problem}; write the full address on one line, starting with https://")),
        );
    }
}

/// Resolves a kind's `source` field; every problem is reported at the line of its source.
fn check_sources(
    doc: &Doc,
    source: &Spanned<Sources>,
    registry: &Registry,
    rules: SourceRules,
    policy: &Policy,
    diags: &Diagnostics,
) -> Vec<ResolvedSource> {
    let (resolved, problems) = provenance::resolve(source.get_ref(), registry, rules, policy.today);
    for p in problems {
        let at = location(doc, p.span.unwrap_or_else(|| source.span()));
        let d = if p.warning { Diagnostic::warning(p.code, p.message) } else { Diagnostic::error(p.code, p.message) };
        diags.push(d.at(at).hint(p.hint));
    }
    resolved
}

/// The line of `title = …` in a file's front matter.
fn title_location(doc: &Doc) -> Location {
    let line = doc.text[..doc.body_offset]
        .lines()
        .position(|l| l.trim_start().starts_with("title") && l.contains('='))
        .map_or(1, |i| i + 1);
    Location::from_line(&doc.file, &doc.text, line)
}

/// A municipality's names in other languages: known languages only, and the translation's
/// title must be that name, so that one form is used on every page.
fn check_names(library: &Library, m: NodeId, municipality: &Municipality, diags: &Diagnostics) {
    let node = &library.nodes[m];
    let doc = node.docs[library.default_lang].as_ref().expect("municipalities have a Polish file");
    let Some(names) = &municipality.names else { return };
    for (code, name) in names.get_ref() {
        let Some(lang) = library.langs.iter().position(|l| l == code) else {
            diags.push(
                Diagnostic::error(
                    "name-language-unknown",
                    format!("names.{code}: `{code}` is not a language of the site"),
                )
                .at(location(doc, names.span()))
                .hint(format!("languages: {}", library.langs.join(", "))),
            );
            continue;
        };
        if let Some(translation) = node.docs[lang].as_ref()
            && translation.title() != name
        {
            diags.push(
                Diagnostic::error(
                    "name-mismatch",
                    format!(
                        "the title `{}` differs from names.{code} = `{name}` in the Polish file",
                        translation.title()
                    ),
                )
                .at(title_location(translation))
                .hint("a municipality has one name per language: use the same form in both places"),
            );
        }
    }
}

/// Loads the boundary file named in config (relative to the site root).
pub(crate) fn load_boundaries(root: &Path, path: &str, diags: &Diagnostics) -> Option<Boundaries> {
    let full = root.join(path);
    let text = match std::fs::read_to_string(&full) {
        Ok(text) => text,
        Err(err) => {
            diags.push(
                Diagnostic::error("boundaries-missing", format!("cannot read the boundary file: {err}"))
                    .at(Location::file(path))
                    .hint("`boundaries` in config.toml names a GeoJSON file relative to the site root"),
            );
            return None;
        }
    };
    match Boundaries::parse(&text) {
        Ok(b) => Some(b),
        Err(errors) => {
            for err in errors {
                let mut loc = Location::from_line(path, &text, err.line.max(1));
                if err.line == 0 {
                    loc = Location::file(path);
                }
                diags.push(Diagnostic::error("boundaries-invalid", err.message).at(loc));
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_emails() {
        for ok in ["12 430 45 46", "+48 12 430 45 46", "112", "800 190 590", "(12) 636-77-98"] {
            assert!(is_phone(ok), "{ok}");
        }
        for bad in ["12 430 45", "call us", "12+430 45 46", "1234567"] {
            assert!(!is_phone(bad), "{bad}");
        }
        assert!(is_email("info.opt@muw.pl"));
        assert!(!is_email("info.opt@muw"));
        assert!(!is_email("mailto: x@y.pl"));
    }

    #[test]
    fn placeholders_are_found() {
        let found: Vec<_> = placeholders("Idź do {{ ops }} lub {{migrant-point}}. {{ Nie }} {{ cite:udsc }} {{")
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(
            found,
            [
                Placeholder::Fact("ops".into()),
                Placeholder::Fact("migrant-point".into()),
                Placeholder::Malformed("Nie".into()),
                Placeholder::Cite("udsc".into()),
            ]
        );
        let sections = h2_sections("intro\n## A\ntext\n```\n## not\n```\n## B\nmore\n");
        assert_eq!(sections.len(), 2);
    }

    #[test]
    fn review_age() {
        assert_eq!(months_between((2025, 11, 22), (2026, 11, 22)), 12);
        assert_eq!(months_between((2025, 11, 23), (2026, 11, 22)), 11);
    }
}
