//! The real portal's information, checked as a reader and as a fact-checker would: no internal
//! note or English gap text on a Polish or Ukrainian page, every section of every migrant guide
//! backed by a source or a local contact on the same page, one Ukrainian form per municipality
//! name, and every phone number, e-mail, address and opening hours traceable to the research
//! data, a seed document or a dated official page (`tests/reference/`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::support::{built_portal, html_files};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The built pages of one language: Polish is everything outside `/en/` and `/uk/`.
fn pages(lang: &str) -> Vec<(String, String)> {
    let public = built_portal();
    let mut files = Vec::new();
    html_files(public, &mut files);
    files
        .into_iter()
        .filter_map(|f| {
            let rel = f.strip_prefix(public).unwrap().to_string_lossy().replace('\\', "/");
            let page_lang = if rel.starts_with("en/") {
                "en"
            } else if rel.starts_with("uk/") {
                "uk"
            } else {
                "pl"
            };
            (page_lang == lang).then(|| (rel, std::fs::read_to_string(&f).unwrap()))
        })
        .collect()
}

/// Phrases of the internal English notes that once reached readers as "sources" and "gaps".
const INTERNAL_NOTES: &[&str] = &[
    "not found",
    "placeholder",
    "internal note",
    "searched corpus",
    "secondary source",
    "not verified",
    "not confirmed",
    "unconfirmed",
    "address unknown",
    "about 20",
    "old page",
    "do not use",
];

#[test]
fn polish_and_ukrainian_pages_carry_no_internal_or_english_notes() {
    let mut found = Vec::new();
    for lang in ["pl", "uk"] {
        for (path, html) in pages(lang) {
            // The search index and the editing interface are not pages for readers.
            if path.starts_with("pagefind/") || path.starts_with("admin/") {
                continue;
            }
            let lower = html.to_lowercase();
            for note in INTERNAL_NOTES {
                if lower.contains(note) {
                    found.push(format!("{path}: {note:?}"));
                }
            }
        }
    }
    assert!(found.is_empty(), "internal notes on pages:\n{}", found.join("\n"));
}

/// The prose of a guide page, cut at its `<h2` headings: (heading, text up to the next one).
fn guide_sections(html: &str) -> Vec<(String, String)> {
    let Some(start) = html.find("<div class=\"prose") else { return Vec::new() };
    let end = html[start..].find("\n  </div>").map_or(html.len(), |i| start + i);
    let prose = &html[start..end];
    prose
        .split("<h2")
        .skip(1)
        .map(|part| {
            let heading = part.split("</h2>").next().unwrap_or_default();
            let heading = heading.rsplit('>').next().unwrap_or_default().to_string();
            (heading, part.to_string())
        })
        .collect()
}

#[test]
fn every_section_of_every_migrant_guide_has_its_source_on_the_page() {
    let mut checked = 0;
    let mut problems = Vec::new();
    for lang in ["pl", "en", "uk"] {
        for (path, html) in pages(lang) {
            let kind = ["guide", "migrant-local"].into_iter().find(|k| html.contains(&format!("data-kind=\"{k}\"")));
            // The printable pack is made of the municipality's guide pages, checked one by one.
            if kind.is_none() || html.contains("class=\"page guide-pack\"") {
                continue;
            }
            checked += 1;
            if !html.contains("<ol class=\"sources\">") {
                problems.push(format!("{path}: no source list"));
            }
            for (heading, text) in guide_sections(&html) {
                if !text.contains("class=\"cite\"") && !text.contains("class=\"fact") {
                    problems.push(format!("{path}: section {heading:?} has no citation and no local contact"));
                }
            }
            // Every citation leads to a source of this page, which shows its date.
            for part in html.split("<sup class=\"cite\"><a href=\"#").skip(1) {
                let id = part.split('"').next().unwrap();
                let Some(item) = html.split(&format!("<li id=\"{id}\">")).nth(1) else {
                    problems.push(format!("{path}: citation #{id} has no source"));
                    continue;
                };
                let item = item.split("</li>").next().unwrap();
                if !item.contains("<time datetime=") && !item.contains(undated(lang)) {
                    problems.push(format!("{path}: source #{id} shows no date"));
                }
            }
        }
    }
    assert!(checked >= 6 * 3 * 15, "only {checked} guide pages found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn undated(lang: &str) -> &'static str {
    match lang {
        "pl" => "data źródła nieznana",
        "en" => "date of the source not known",
        _ => "дата джерела невідома",
    }
}

#[test]
fn ukrainian_pages_use_one_form_of_each_municipality_name() {
    // Forms that the review found beside the chosen ones (content-review-2026-12, T-U6).
    let variants = ["Вєсь", "Іґоломія", "Ліскі", "Велика Весь", "Свйонтники", "Білому Костелі", "Велична"];
    let mut found = Vec::new();
    for (path, html) in pages("uk") {
        for v in variants {
            if html.contains(v) {
                found.push(format!("{path}: {v}"));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    // The municipality page shows the Ukrainian name and the Polish one a reader sees on signs.
    let wieliczka = std::fs::read_to_string(built_portal().join("uk/hminy/wieliczka/index.html")).unwrap();
    assert!(
        wieliczka.contains(r#"<span data-pagefind-filter="municipality">Величка</span> <span class="name-pl" lang="pl">(Wieliczka)</span>"#),
        "{wieliczka}"
    );
}

/// Every fact value of the research data, the seeds and the ledger, as searchable text.
struct Corpus {
    text: String,
    phones: BTreeSet<String>,
    ledger: Vec<toml::Value>,
}

fn digits(s: &str) -> String {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    d.strip_prefix("48").filter(|rest| rest.len() == 9).map_or(d.clone(), str::to_string)
}

/// Phone-like runs (digits, spaces, dashes, a leading +) with 9 or more digits.
fn phone_runs(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut current = String::new();
    for c in text.chars().chain(std::iter::once('\n')) {
        if c.is_ascii_digit()
            || ((c == ' ' || c == '-' || c == '+') && !current.is_empty())
            || (c == '+' && current.is_empty())
        {
            current.push(c);
        } else {
            let d = digits(&current);
            if d.len() >= 9 {
                out.insert(d);
            }
            current.clear();
        }
    }
    out
}

fn corpus() -> Corpus {
    let reference = repo().join("tests/reference");
    let mut text = String::new();
    for entry in std::fs::read_dir(&reference).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "toml") && entry.file_name() != "official-facts.toml" {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    for entry in std::fs::read_dir(reference.join("seeds")).unwrap().flatten() {
        text.push_str(&std::fs::read_to_string(entry.path()).unwrap());
    }
    let ledger_text = std::fs::read_to_string(reference.join("official-facts.toml")).unwrap_or_default();
    let ledger: toml::Value = toml::from_str(&ledger_text).expect("official-facts.toml");
    let ledger = ledger.get("fact").and_then(|f| f.as_array()).cloned().unwrap_or_default();
    let phones = phone_runs(&text);
    Corpus { text, phones, ledger }
}

impl Corpus {
    fn in_research(&self, kind: &str, value: &str) -> bool {
        match kind {
            "phone" => self.phones.contains(&digits(value)),
            "email" => self.text.to_lowercase().contains(&value.to_lowercase()),
            "hours" => self.text.replace(' ', "").contains(&value.replace(' ', "")),
            _ => address_parts(value).iter().all(|p| self.text.contains(p.as_str())),
        }
    }

    /// The ledger's source for this fact on this page, if it records one.
    fn in_ledger(&self, kind: &str, value: &str, page: &str) -> Option<String> {
        self.ledger
            .iter()
            .find(|f| {
                f.get("kind").and_then(|v| v.as_str()) == Some(kind)
                    && f.get("page").and_then(|v| v.as_str()) == Some(page)
                    && f.get("value").and_then(|v| v.as_str()).is_some_and(|v| same(kind, v, value))
            })
            .and_then(|f| f.get("source").and_then(|s| s.as_str()).map(str::to_string))
    }
}

fn same(kind: &str, a: &str, b: &str) -> bool {
    match kind {
        "phone" => digits(a) == digits(b),
        "email" => a.eq_ignore_ascii_case(b),
        _ => a.replace(' ', "") == b.replace(' ', ""),
    }
}

/// The parts of an address that must each be in a source: "ul. Józefińska 14", "30-529",
/// "Kraków" for "ul. Józefińska 14, 30-529 Kraków".
fn address_parts(address: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in address.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bytes = part.as_bytes();
        let postcode = bytes.len() > 7
            && bytes[..6].iter().enumerate().all(|(i, b)| if i == 2 { *b == b'-' } else { b.is_ascii_digit() })
            && bytes[6] == b' ';
        if postcode {
            out.push(part[..6].to_string());
            out.push(part[7..].to_string());
        } else {
            out.push(part.to_string());
        }
    }
    out
}

/// (kind, value, page) of every contact fact in the content's Polish files.
fn content_facts() -> Vec<(String, String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "md")
                && p.file_stem().is_some_and(|s| !s.to_string_lossy().contains('.'))
            {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&repo().join("content"), &mut files);
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let Some(fm) = text.strip_prefix("+++\n").and_then(|t| t.split("\n+++").next()) else { continue };
        let value: toml::Value = toml::from_str(fm).unwrap();
        let page = file.strip_prefix(repo()).unwrap().to_string_lossy().replace('\\', "/");
        let tables = [value.get("service"), value.get("municipality").and_then(|m| m.get("office"))];
        for table in tables.into_iter().flatten() {
            let mut push = |kind: &str, v: &toml::Value| {
                let items = match v {
                    toml::Value::Array(a) => a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
                    other => other.as_str().map(|s| vec![s.to_string()]).unwrap_or_default(),
                };
                for item in items {
                    out.push((kind.to_string(), item, page.clone()));
                }
            };
            for (field, kind) in
                [("address", "address"), ("phone", "phone"), ("email", "email"), ("opening_hours", "hours")]
            {
                if let Some(v) = table.get(field) {
                    push(kind, v);
                }
            }
        }
    }
    out
}

#[test]
fn every_contact_fact_comes_from_research_data_a_seed_or_a_dated_official_page() {
    let corpus = corpus();
    let facts = content_facts();
    assert!(facts.len() > 60, "only {} facts found", facts.len());
    let mut problems = Vec::new();
    for (kind, value, page) in &facts {
        if corpus.in_research(kind, value) {
            continue;
        }
        match corpus.in_ledger(kind, value, page) {
            None => problems.push(format!(
                "{page}: {kind} {value:?} is in no research file, seed or tests/reference/official-facts.toml"
            )),
            Some(source) => {
                let text = std::fs::read_to_string(repo().join(page)).unwrap();
                if !text.contains(&source) {
                    problems.push(format!("{page}: {kind} {value:?}: its source {source} is not cited on the page"));
                }
            }
        }
    }
    // Every phone number a reader can tap on the built portal is one of these facts.
    let known: BTreeSet<String> = facts.iter().filter(|f| f.0 == "phone").map(|f| digits(&f.1)).collect();
    for (path, html) in pages("pl") {
        for part in html.split("href=\"tel:").skip(1) {
            let number = part.split('"').next().unwrap();
            if !known.contains(&digits(number)) && !corpus.phones.contains(&digits(number)) {
                problems.push(format!("{path}: tel:{number} is not a sourced fact"));
            }
        }
    }
    assert!(problems.is_empty(), "{} unsourced facts:\n{}", problems.len(), problems.join("\n"));
}
