//! The checks of each kind's facts: formats (phones, e-mails, URLs), dates, coordinates inside
//! their municipality, references between pages, the sources a guide cites, and the gaps in
//! the local facts the migrant guides need. `validate` runs them and collects every problem.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use crate::content::{Doc, Library, NodeId};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};

use super::Facts;
use super::Policy;
use super::geo::Boundaries;
use super::kind_name;
use super::kind_of;
use super::kinds::{AccessibilityStatement, Forum, Guide, Municipality, OneOrMany, Service};
use super::placeholders::Placeholder;
use super::placeholders::h2_sections;
use super::placeholders::placeholders;
use super::provenance::{Registry, ResolvedSource, SourceRules, Sources};
use super::vocab::LocalFact;
use super::ymd;
use super::{geo, opening_hours, provenance};

/// The location of a field of the document's kind table (its spans are relative to the TOML).
pub(super) fn location(doc: &Doc, span: Range<usize>) -> Location {
    let offset = doc.fm.kind.as_ref().map_or(0, |k| k.toml_offset);
    Location::from_span(&doc.file, &doc.text, span.start + offset..span.end + offset)
}

/// The location of the kind table's header (`[service]`).
pub(super) fn kind_location(doc: &Doc) -> Location {
    let span = doc.fm.kind.as_ref().map_or(0..0, |k| k.span.clone());
    Location::from_span(&doc.file, &doc.text, span)
}

pub(super) fn check_municipality(
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
pub(super) fn resolve_service(library: &Library, reference: &str) -> Result<NodeId, String> {
    let path = reference.strip_prefix("@/").ok_or_else(|| format!("`{reference}` must start with @/"))?;
    let id = library.resolve_key(path).ok_or_else(|| format!("no content file `{path}`"))?;
    let doc = library.nodes[id].docs[library.default_lang]
        .as_deref()
        .ok_or_else(|| format!("`{path}` has no Polish file"))?;
    if kind_name(doc) != Some("service") {
        return Err(format!("`{path}` is not a [service] page"));
    }
    Ok(id)
}

/// How far outside a simplified boundary a point may lie before it is an error.
pub(super) const BORDER_TOLERANCE_M: f64 = 150.0;

pub(super) fn check_point(
    doc: &Doc,
    coords: &Spanned<[f64; 2]>,
    boundary: &geo::Boundary,
    what: &str,
    diags: &Diagnostics,
) {
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

pub(super) fn check_service(
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

pub(super) fn months_between((y1, m1, d1): (i32, u8, u8), (y2, m2, d2): (i32, u8, u8)) -> u32 {
    let months = (y2 - y1) * 12 + i32::from(m2) - i32::from(m1) - i32::from(d2 < d1);
    months.max(0) as u32
}

pub(super) fn check_forum(doc: &Doc, forum: &Forum, diags: &Diagnostics) {
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

pub(super) fn check_statement(doc: &Doc, statement: &AccessibilityStatement, policy: &Policy, diags: &Diagnostics) {
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

pub(super) fn check_guide(
    library: &Library,
    id: NodeId,
    guide: &Guide,
    sources: &[ResolvedSource],
    diags: &Diagnostics,
) {
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
                        library.nodes[id].docs[library.default_lang].as_deref().unwrap_or(library.nodes[id].any_doc()),
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
pub(super) fn report_gaps(library: &Library, facts: &Facts, diags: &Diagnostics) {
    let default = library.default_lang;
    let mut needed: BTreeMap<LocalFact, Vec<&str>> = BTreeMap::new();
    for &g in &facts.guides {
        let doc = library.nodes[g].docs[default].as_deref().expect("guides have a Polish file");
        for need in &kind_of::<Guide>(doc).expect("checked").needs {
            needed.entry(*need.get_ref()).or_default().push(doc.title());
        }
    }
    for &m in &facts.municipalities {
        let doc = library.nodes[m].docs[default].as_deref().expect("checked");
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

pub(super) fn is_phone(phone: &str) -> bool {
    let digits = phone.bytes().filter(u8::is_ascii_digit).count();
    let allowed = phone.bytes().all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'+' | b'-' | b'(' | b')'));
    let plus_ok = !phone[1.min(phone.len())..].contains('+');
    allowed && plus_ok && (3..=15).contains(&digits) && (digits <= 6 || digits >= 9)
}

pub(super) fn phone_problem(doc: &Doc, phone: &str, span: Range<usize>) -> Diagnostic {
    Diagnostic::error("phone-invalid", format!("`{phone}` is not a phone number"))
        .at(location(doc, span))
        .hint("write digits with spaces, e.g. \"12 430 45 46\" or \"+48 12 430 45 46\"; short numbers such as \"112\" are fine")
}

pub(super) fn check_phones(doc: &Doc, phones: Option<&Spanned<OneOrMany>>, diags: &Diagnostics) {
    let Some(phones) = phones else { return };
    for phone in phones.get_ref().items() {
        if !is_phone(phone) {
            diags.push(phone_problem(doc, phone, phones.span()));
        }
    }
}

pub(super) fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
}

pub(super) fn check_email(doc: &Doc, email: Option<&Spanned<String>>, diags: &Diagnostics) {
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
pub(super) fn check_url(doc: &Doc, url: Option<&Spanned<String>>, diags: &Diagnostics) {
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
pub(super) fn check_sources(
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
pub(super) fn title_location(doc: &Doc) -> Location {
    let line = doc.text[..doc.body_offset]
        .lines()
        .position(|l| l.trim_start().starts_with("title") && l.contains('='))
        .map_or(1, |i| i + 1);
    Location::from_line(&doc.file, &doc.text, line)
}

/// A municipality's names in other languages: known languages only, and the translation's
/// title must be that name, so that one form is used on every page.
pub(super) fn check_names(library: &Library, m: NodeId, municipality: &Municipality, diags: &Diagnostics) {
    let node = &library.nodes[m];
    let doc = node.docs[library.default_lang].as_deref().expect("municipalities have a Polish file");
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
        if let Some(translation) = node.docs[lang].as_deref()
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
