//! Schema: the typed content kinds of the portal (`[municipality]`, `[service]`, `[forum]`,
//! `[guide]`, `[accessibility_statement]`), their vocabularies, and their validation: per file
//! (formats, vocabularies, dates) and across files (coordinates inside the municipality's own
//! boundary, TERYT codes against the boundary file, references between pages, local facts the
//! migrant guides need).

mod checks;
pub(crate) mod geo;
pub(crate) mod kinds;
pub(crate) mod opening_hours;
mod placeholders;
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
use checks::{
    check_forum, check_guide, check_municipality, check_names, check_service, check_sources, check_statement,
    kind_location, location, months_between, report_gaps,
};
use geo::Boundaries;
use kinds::{AccessibilityStatement, Forum, Guide, Municipality, Service};
pub(crate) use placeholders::{Placeholder, placeholders};
use provenance::{Registry, ResolvedSource, SourceRules};
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
        // Made from the node's own front matter (and the registry, which every page depends on).
        crate::deps::record(crate::deps::Dep::At(crate::deps::Facet::Node, node as u32));
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
                            let service = library.nodes[s].docs[default].as_deref().and_then(kind_of::<Service>);
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
        let Some(doc) = node.docs[default].as_deref() else { continue };
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
        let Some(doc) = node.docs[default].as_deref() else { continue };
        if kind_name(doc) != Some("service") {
            continue;
        }
        let mut parent = node.parent;
        let mut owner = None;
        while let Some(p) = parent {
            if library.nodes[p].docs[default].as_deref().is_some_and(|d| kind_name(d) == Some("municipality")) {
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
        let doc = library.nodes[m].docs[default].as_deref().expect("municipalities have a Polish file");
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
            Some((library.nodes[m].docs[default].as_deref()?.file.parent()?.file_name()?.to_str()?.to_string(), m))
        })
        .collect();
    for (&service_id, &m) in &facts.municipality_of {
        let doc = library.nodes[service_id].docs[default].as_deref().expect("services have a Polish file");
        let service = kind_of::<Service>(doc).expect("checked kind");
        let muni_doc = library.nodes[m].docs[default].as_deref().expect("checked");
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
        if let Some(doc) = node.docs[default].as_deref()
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
    use super::checks::{is_email, is_phone};
    use super::placeholders::h2_sections;
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
