//! Where a fact comes from, as typed data: the `source` field of every content kind, the
//! registry of source documents (`seed:NNN`), the partial dates sources give ("2023-05"),
//! and the checks that reject a source a reader could not follow.
//!
//! A source is written either as a short string (`"https://…"`, `"seed:004"`,
//! `"data:gminy.geojson"`) or as a table with a title, a date and the facts it backs. The
//! contract is in `docs/provenance.md`.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::vocab::ServiceFact;

/// The `source` field: one source or a list. Each listed source keeps its own location, so a
/// problem is reported at its line; a single source is reported at the field.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    pub items: Vec<(SourceEntry, Option<Range<usize>>)>,
}

/// One source as written.
#[derive(Debug, Clone)]
pub(crate) enum SourceEntry {
    /// `"https://…"`, `"seed:004"` or `"data:file"`.
    Short(String),
    Full(SourceTable),
}

/// A source written as a table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceTable {
    /// The name a guide's text cites it by (`{{ cite:id }}`).
    pub id: Option<String>,
    pub title: Option<String>,
    /// The language of the title (default: Polish), for `lang` on the page.
    pub lang: Option<String>,
    pub url: Option<String>,
    pub seed: Option<String>,
    pub data: Option<String>,
    /// When the fact was true: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<String>,
    #[serde(default)]
    pub approximate: bool,
    /// The facts of a service this source backs; empty means all.
    #[serde(default)]
    pub facts: Vec<ServiceFact>,
}

impl<'de> Deserialize<'de> for SourceEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = SourceEntry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a URL, \"seed:NNN\", \"data:file\" or a table with url/seed/data")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SourceEntry, E> {
                Ok(SourceEntry::Short(v.to_string()))
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<SourceEntry, M::Error> {
                SourceTable::deserialize(de::value::MapAccessDeserializer::new(map)).map(SourceEntry::Full)
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

impl<'de> Deserialize<'de> for Sources {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SourcesVisitor;
        impl<'de> Visitor<'de> for SourcesVisitor {
            type Value = Sources;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a source or a list of sources")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Sources, E> {
                Ok(Sources { items: vec![(SourceEntry::Short(v.to_string()), None)] })
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Sources, M::Error> {
                let table = SourceTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Sources { items: vec![(SourceEntry::Full(table), None)] })
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Sources, S::Error> {
                let mut items = Vec::new();
                while let Some(entry) = seq.next_element::<Spanned<SourceEntry>>()? {
                    let span = entry.span();
                    items.push((entry.into_inner(), Some(span)));
                }
                Ok(Sources { items })
            }
        }
        deserializer.deserialize_any(SourcesVisitor)
    }
}

/// A date as precise as the source gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a real calendar day).
    pub(crate) fn parse(text: &str) -> Option<PartialDate> {
        let parts: Vec<&str> = text.split('-').collect();
        fn number(s: &str, len: usize) -> Option<&str> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
        }
        let year: i32 = number(parts.first()?, 4)?.parse().ok()?;
        let month: Option<u8> = match parts.get(1) {
            Some(m) => Some(number(m, 2)?.parse().ok().filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        let day: Option<u8> = match parts.get(2) {
            Some(d) => {
                let d: u8 = number(d, 2)?.parse().ok()?;
                (1..=days_in_month(year, month?)).contains(&d).then_some(d)?;
                Some(d)
            }
            None => None,
        };
        if parts.len() > 3 || year < 1900 {
            return None;
        }
        Some(PartialDate { year, month, day })
    }

    /// The last day the date can mean: "2022" is true until 2022-12-31. Ages are measured from
    /// it, so a fact is called old only when it surely is.
    pub(crate) fn latest_day(self) -> (i32, u8, u8) {
        let month = self.month.unwrap_or(12);
        (self.year, month, self.day.unwrap_or(days_in_month(self.year, month)))
    }

    /// The first day the date can mean, for "in the future" checks.
    pub(crate) fn earliest_day(self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// `2023-05` as written, for machine-readable outputs.
    pub(crate) fn iso(self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whole months from `from` to `to` (0 when `to` is earlier).
pub(crate) fn months_between((y1, m1, d1): (i32, u8, u8), (y2, m2, d2): (i32, u8, u8)) -> u32 {
    let months = (y2 - y1) * 12 + i32::from(m2) - i32::from(m1) - i32::from(d2 < d1);
    months.max(0) as u32
}

/// A source document the portal cites as `seed:NNN` (from `content/dane/zrodla.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SeedDocument {
    pub title: String,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    #[serde(default)]
    seed: BTreeMap<String, SeedDocument>,
}

/// The documents sources can refer to: seeds by number, data files by name.
#[derive(Debug, Clone, Default)]
pub(crate) struct Registry {
    pub seeds: BTreeMap<String, SeedDocument>,
    /// Files under the data folder (`content/dane/`), published under `/dane/`.
    pub data_files: Vec<String>,
}

impl Registry {
    /// Reads the seed registry and lists the data folder. `Err` carries a message and the byte
    /// range in the registry file, for a diagnostic.
    pub(crate) fn load(registry: Option<&Path>, data_dir: &Path) -> Result<Registry, (String, Option<Range<usize>>)> {
        let mut data_files: Vec<String> = std::fs::read_dir(data_dir)
            .map(|dir| {
                dir.filter_map(|e| e.ok())
                    .filter(|e| e.path().is_file())
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        data_files.sort();
        let seeds = match registry {
            None => BTreeMap::new(),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| (format!("cannot read: {e}"), None))?;
                let file: RegistryFile = toml::from_str(&text).map_err(|e| (e.message().to_string(), e.span()))?;
                for (id, seed) in &file.seed {
                    if let Some(date) = &seed.date
                        && PartialDate::parse(date).is_none()
                    {
                        return Err((format!("seed {id}: `{date}` is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"), None));
                    }
                    if let Some(url) = &seed.url
                        && web_url_problem(url).is_some()
                    {
                        return Err((format!("seed {id}: `{url}` is not an absolute http(s) URL"), None));
                    }
                }
                file.seed
            }
        };
        Ok(Registry { seeds, data_files })
    }
}

/// Why `text` is not an absolute http(s) URL a reader can open, if it is not.
pub(crate) fn web_url_problem(text: &str) -> Option<&'static str> {
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("it contains a space or a line break");
    }
    match url::Url::parse(text) {
        Ok(u) if (u.scheme() == "https" || u.scheme() == "http") && u.host_str().is_some_and(|h| !h.is_empty()) => None,
        Ok(_) => Some("only http:// and https:// addresses can be opened by every reader"),
        Err(_) => Some("it is not a complete web address"),
    }
}

/// Where a resolved source points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SourceKind {
    Url,
    Seed,
    Data,
}

/// A source as readers see it: a title, where to check it, and the date the fact was true.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ResolvedSource {
    pub kind: SourceKind,
    pub id: Option<String>,
    pub title: String,
    /// The language of the title.
    pub lang: String,
    /// The publisher of a seed document, shown after its title.
    pub publisher: Option<String>,
    /// A link readers can follow (a web page, a seed's published copy, `/dane/<file>`).
    pub url: Option<String>,
    pub date: Option<PartialDate>,
    pub approximate: bool,
    pub facts: Vec<ServiceFact>,
}

impl ResolvedSource {
    /// Whether this source backs `fact` (a source that names no facts backs all).
    pub(crate) fn backs(&self, fact: ServiceFact) -> bool {
        self.facts.is_empty() || self.facts.contains(&fact)
    }
}

/// A problem with one source, with the location to report it at.
#[derive(Debug, Clone)]
pub(crate) struct SourceProblem {
    pub code: &'static str,
    pub message: String,
    pub hint: String,
    /// Byte range in the kind table's TOML (None: the whole field).
    pub span: Option<Range<usize>>,
    pub warning: bool,
}

/// What a kind allows in its sources.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SourceRules {
    /// `facts = […]` is allowed (services).
    pub facts: bool,
    /// Every source needs an `id` (guides, whose text cites them).
    pub ids: bool,
}

impl SourceRules {
    /// Municipality and forum pages: sources of the whole page.
    pub(crate) const PAGE: SourceRules = SourceRules { facts: false, ids: false };
    /// Services: a source may name the facts it backs.
    pub(crate) const SERVICE: SourceRules = SourceRules { facts: true, ids: false };
    /// Guides: every source has an id that the text cites.
    pub(crate) const GUIDE: SourceRules = SourceRules { facts: false, ids: true };
}

/// Resolves every source against the registry. Problems are returned, never panicked on; a
/// source with a problem is left out of the result.
pub(crate) fn resolve(
    sources: &Sources,
    registry: &Registry,
    rules: SourceRules,
    today: (i32, u8, u8),
) -> (Vec<ResolvedSource>, Vec<SourceProblem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    if sources.items.is_empty() {
        problems.push(SourceProblem {
            code: "source-missing",
            message: "every fact needs a source".into(),
            hint: "give a URL, \"seed:NNN\" or a table with title, url and date (docs/provenance.md)".into(),
            span: None,
            warning: false,
        });
    }
    let mut ids: Vec<String> = Vec::new();
    for (entry, span) in &sources.items {
        let problem = |code: &'static str, message: String, hint: &str| SourceProblem {
            code,
            message,
            hint: hint.to_string(),
            span: span.clone(),
            warning: false,
        };
        let table = match entry {
            SourceEntry::Short(text) => short_to_table(text),
            SourceEntry::Full(table) => Ok(table.clone()),
        };
        let table = match table {
            Ok(t) => t,
            Err(message) => {
                problems.push(problem(
                    "source-invalid",
                    message,
                    "write an absolute URL (https://…), \"seed:NNN\" (content/dane/zrodla.toml) or \"data:<file in content/dane>\"",
                ));
                continue;
            }
        };
        let targets = [table.url.is_some(), table.seed.is_some(), table.data.is_some()].iter().filter(|t| **t).count();
        if targets != 1 {
            problems.push(problem(
                "source-invalid",
                "a source names exactly one of `url`, `seed` or `data`".into(),
                "say where a reader can check the fact: a web page, a seed document or a data file",
            ));
            continue;
        }
        if !rules.facts && !table.facts.is_empty() {
            problems.push(problem(
                "source-invalid",
                "`facts` of a source belongs to services only".into(),
                "remove `facts`; the source backs the whole page",
            ));
        }
        match (&table.id, rules.ids) {
            (None, true) => problems.push(problem(
                "source-id-missing",
                "a guide's source needs an `id`, so that the text can cite it".into(),
                "add id = \"short-name\" and cite it with {{ cite:short-name }} after the rule it backs",
            )),
            (Some(_), false) => problems.push(problem(
                "source-invalid",
                "`id` of a source belongs to migrant guides only".into(),
                "remove `id`",
            )),
            (Some(id), true) => {
                if !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') || id.is_empty() {
                    problems.push(problem(
                        "source-invalid",
                        format!("source id `{id}` may use only a-z, 0-9 and -"),
                        "for example id = \"udsc-ukr\"",
                    ));
                } else if ids.contains(id) {
                    problems.push(problem(
                        "source-duplicate",
                        format!("two sources have the id `{id}`"),
                        "give each source its own id",
                    ));
                }
                ids.push(id.clone());
            }
            (None, false) => {}
        }
        let date = match &table.date {
            None => None,
            Some(text) => match PartialDate::parse(text) {
                Some(d) if d.earliest_day() > today => {
                    problems.push(problem(
                        "source-date-invalid",
                        format!("date `{text}` is in the future"),
                        "write the date the fact was true, as the source gives it",
                    ));
                    continue;
                }
                Some(d) => Some(d),
                None => {
                    problems.push(problem(
                        "source-date-invalid",
                        format!("`{text}` is not a date"),
                        "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. date = \"2023-05\"",
                    ));
                    continue;
                }
            },
        };
        let resolved = if let Some(url) = &table.url {
            if let Some(why) = web_url_problem(url) {
                problems.push(problem(
                    "source-invalid",
                    format!("`{}` is not a web address: {why}", url.escape_debug()),
                    "write the full address of the page, starting with https://",
                ));
                continue;
            }
            let title = match &table.title {
                Some(t) if !t.trim().is_empty() => t.clone(),
                _ if matches!(entry, SourceEntry::Short(_)) => host_of(url),
                _ => {
                    problems.push(problem(
                        "source-title-missing",
                        format!("the source {url} has no title"),
                        "add title = \"…\" as the page names itself, so readers know what they will open",
                    ));
                    continue;
                }
            };
            ResolvedSource {
                kind: SourceKind::Url,
                id: table.id.clone(),
                title,
                lang: table.lang.clone().unwrap_or_else(|| "pl".into()),
                publisher: None,
                url: Some(url.clone()),
                date,
                approximate: table.approximate,
                facts: table.facts.clone(),
            }
        } else if let Some(seed) = &table.seed {
            let Some(doc) = registry.seeds.get(seed) else {
                let known: Vec<&str> = registry.seeds.keys().map(String::as_str).collect();
                problems.push(problem(
                    "source-invalid",
                    format!("there is no source document `seed:{seed}`"),
                    &format!("known documents: {} (content/dane/zrodla.toml)", known.join(", ")),
                ));
                continue;
            };
            ResolvedSource {
                kind: SourceKind::Seed,
                id: table.id.clone(),
                title: table.title.clone().unwrap_or_else(|| doc.title.clone()),
                lang: table.lang.clone().unwrap_or_else(|| "pl".into()),
                publisher: doc.publisher.clone(),
                url: doc.url.clone(),
                date: date.or_else(|| doc.date.as_deref().and_then(PartialDate::parse)),
                approximate: table.approximate,
                facts: table.facts.clone(),
            }
        } else {
            let file = table.data.clone().unwrap_or_default();
            if !registry.data_files.contains(&file) {
                problems.push(problem(
                    "source-invalid",
                    format!("there is no data file `{file}` in content/dane/"),
                    &format!("data files: {}", registry.data_files.join(", ")),
                ));
                continue;
            }
            ResolvedSource {
                kind: SourceKind::Data,
                id: table.id.clone(),
                title: table.title.clone().unwrap_or_else(|| file.clone()),
                lang: table.lang.clone().unwrap_or_else(|| "pl".into()),
                publisher: None,
                url: Some(format!("/dane/{file}")),
                date,
                approximate: table.approximate,
                facts: table.facts.clone(),
            }
        };
        if resolved.date.is_none() {
            problems.push(SourceProblem {
                code: "source-undated",
                message: format!("the source \u{201c}{}\u{201d} has no date", resolved.title),
                hint: "add date = \"YYYY-MM\" (the date the page gives, or of the copy you read)".into(),
                span: span.clone(),
                warning: true,
            });
        }
        out.push(resolved);
    }
    (out, problems)
}

fn short_to_table(text: &str) -> Result<SourceTable, String> {
    let text = text.trim();
    if let Some(seed) = text.strip_prefix("seed:") {
        return Ok(SourceTable { seed: Some(seed.to_string()), ..SourceTable::default() });
    }
    if let Some(file) = text.strip_prefix("data:") {
        return Ok(SourceTable { data: Some(file.to_string()), ..SourceTable::default() });
    }
    if text.contains("://") || text.starts_with("www.") {
        return Ok(SourceTable { url: Some(text.to_string()), ..SourceTable::default() });
    }
    let shown: String = text.chars().take(60).collect::<String>().escape_debug().to_string();
    Err(format!("`{shown}` is not a URL or a seed/data reference"))
}

/// `www.bip.krakow.pl` for a URL: the title of a source written as a bare URL.
fn host_of(url: &str) -> String {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_else(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates() {
        assert_eq!(PartialDate::parse("2023"), Some(PartialDate { year: 2023, month: None, day: None }));
        assert_eq!(PartialDate::parse("2023-05").unwrap().iso(), "2023-05");
        assert_eq!(PartialDate::parse("2024-02-29").unwrap().latest_day(), (2024, 2, 29));
        assert_eq!(PartialDate::parse("2022").unwrap().latest_day(), (2022, 12, 31));
        for bad in ["2023-13", "2023-02-30", "23", "about 2014", "2023-5", "2023-05-01-01", ""] {
            assert_eq!(PartialDate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn short_forms() {
        let registry = Registry {
            seeds: [(
                "004".to_string(),
                SeedDocument { title: "Forum".into(), publisher: None, date: Some("2024-05-14".into()), url: None },
            )]
            .into(),
            data_files: vec!["gminy.geojson".into()],
        };
        let rules = SourceRules { facts: true, ids: false };
        let sources = Sources {
            items: vec![
                (SourceEntry::Short("seed:004".into()), None),
                (SourceEntry::Short("https://www.bip.krakow.pl/?dok_id=1".into()), None),
                (SourceEntry::Short("data:gminy.geojson".into()), None),
                (SourceEntry::Short("not found in searched corpus - placeholder".into()), None),
                (SourceEntry::Short("seed:999".into()), None),
                (SourceEntry::Short("https://bad\r\nhost".into()), None),
            ],
        };
        let (ok, problems) = resolve(&sources, &registry, rules, (2026, 12, 1));
        assert_eq!(ok.len(), 3);
        assert_eq!(ok[0].date.unwrap().iso(), "2024-05-14");
        assert_eq!(ok[1].title, "www.bip.krakow.pl");
        assert_eq!(ok[2].url.as_deref(), Some("/dane/gminy.geojson"));
        let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            ["source-undated", "source-undated", "source-invalid", "source-invalid", "source-invalid"],
            "{problems:?}"
        );
    }
}
