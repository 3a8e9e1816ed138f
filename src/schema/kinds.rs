//! The front-matter tables of the typed content kinds, as Rust types. Unknown fields are
//! errors; fields whose values are checked later keep their location (`Spanned`).

use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::value::Datetime;

use std::collections::BTreeMap;

use super::provenance::Sources;
use super::vocab::{
    Audience, Category, ComplianceStatus, ForumName, LocalFact, MunicipalityType, ServiceFact, ServiceLanguage,
    StrategicArea, Wheelchair,
};

/// A string or a list of strings (`source = "…"` or `source = ["…", "…"]`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(crate) fn items(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// `coordinates = [latitude, longitude]`: exactly two numbers (serde's `[f64; 2]` alone
/// would ignore a third).
fn coordinates<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Spanned<[f64; 2]>>, D::Error> {
    let list = Spanned::<Vec<f64>>::deserialize(d)?;
    let span = list.span();
    match list.get_ref()[..] {
        [lat, lon] => Ok(Some(Spanned::new(span, [lat, lon]))),
        ref other => Err(serde::de::Error::custom(format!(
            "expected exactly two numbers, [latitude, longitude], found {}",
            other.len()
        ))),
    }
}

/// `[municipality]` on `content/gminy/<slug>/_index.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Municipality {
    /// 7-digit TERYT code; must match a feature of the boundary file.
    pub teryt: Spanned<String>,
    #[serde(rename = "type")]
    pub kind: MunicipalityType,
    /// Powiat (county), as its official name.
    pub county: String,
    pub seat: Seat,
    pub area_km2: Option<f64>,
    pub website: Option<Spanned<String>>,
    /// The municipal office (urząd gminy / miasta).
    pub office: Option<Office>,
    /// The services that supply the local facts of the migrant guides, as `@/` paths.
    #[serde(default)]
    pub facts: LocalFacts,
    /// The municipality's name in other languages (`names = { uk = "Величка" }`): one form,
    /// used on every page of that language.
    #[serde(default)]
    pub names: Option<Spanned<BTreeMap<String, String>>>,
    pub source: Spanned<Sources>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Seat {
    pub name: String,
    /// `[latitude, longitude]` of the seat locality (not the town hall).
    #[serde(default, deserialize_with = "coordinates")]
    pub coordinates: Option<Spanned<[f64; 2]>>,
    /// False when the seat's name or point comes from a secondary source.
    #[serde(default = "yes")]
    pub verified: bool,
    /// The seat's name in other languages.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct Office {
    pub name: Option<String>,
    pub address: Option<Spanned<String>>,
    pub phone: Option<Spanned<OneOrMany>>,
    pub email: Option<Spanned<String>>,
    pub website: Option<Spanned<String>>,
}

/// Local facts: each a reference to a `[service]` page (`"@/gminy/krakow/mops.md"`).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct LocalFacts {
    pub ops: Option<Spanned<String>>,
    pub migrant_point: Option<Spanned<String>>,
    pub legalisation_office: Option<Spanned<String>>,
    pub municipal_office: Option<Spanned<String>>,
    pub nursery: Option<Spanned<String>>,
}

impl LocalFacts {
    pub(crate) fn get(&self, fact: LocalFact) -> Option<&Spanned<String>> {
        match fact {
            LocalFact::Ops => self.ops.as_ref(),
            LocalFact::MigrantPoint => self.migrant_point.as_ref(),
            LocalFact::LegalisationOffice => self.legalisation_office.as_ref(),
            LocalFact::MunicipalOffice => self.municipal_office.as_ref(),
            LocalFact::Nursery => self.nursery.as_ref(),
        }
    }
}

/// `[service]` on a page inside a municipality's folder.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Service {
    pub category: Spanned<Category>,
    /// Who runs it (official Polish name), when it is not the service itself.
    pub provider: Option<String>,
    pub address: Option<Spanned<String>>,
    /// `[latitude, longitude]` in WGS84; must lie inside the municipality.
    #[serde(default, deserialize_with = "coordinates")]
    pub coordinates: Option<Spanned<[f64; 2]>>,
    pub phone: Option<Spanned<OneOrMany>>,
    pub email: Option<Spanned<String>>,
    pub website: Option<Spanned<String>>,
    /// OpenStreetMap `opening_hours` syntax, e.g. `Mo-Fr 08:00-16:00`.
    pub opening_hours: Option<Spanned<String>>,
    #[serde(default)]
    pub languages: Vec<ServiceLanguage>,
    #[serde(default)]
    pub audiences: Vec<Audience>,
    pub wheelchair: Option<Wheelchair>,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted and checked against the vocabulary; no page shows it yet")]
    pub strategic_areas: Vec<StrategicArea>,
    /// TERYT of the municipality, when given: must be the folder's municipality.
    pub teryt: Option<Spanned<String>>,
    /// Other municipalities the service serves (their folder names), e.g. a county centre.
    #[serde(default)]
    pub serves: Vec<Spanned<String>>,
    /// Where the facts come from: typed sources with their dates (docs/provenance.md).
    pub source: Spanned<Sources>,
    /// Facts given but to be confirmed (two sources disagree, or the source is weak).
    #[serde(default)]
    pub unconfirmed: Vec<ServiceFact>,
    /// True when every fact was seen on an official page.
    pub verified: bool,
    /// When an editor last checked the facts.
    pub reviewed: Option<Spanned<Datetime>>,
}

/// `[forum]` on a page in `content/forum/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Forum {
    pub forum: ForumName,
    /// The exact day, when known.
    pub date: Option<Spanned<Datetime>>,
    /// What is known when the day is not (`"2021-12"`); shown with `date_note`.
    pub approximate_date: Option<Spanned<String>>,
    pub date_note: Option<String>,
    pub place: Option<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub speakers: Vec<Speaker>,
    #[serde(default)]
    pub outcomes: Vec<String>,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted and checked against the vocabulary; no page shows it yet")]
    pub strategic_areas: Vec<StrategicArea>,
    #[serde(default)]
    pub categories: Vec<Category>,
    pub source: Spanned<Sources>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Speaker {
    pub name: String,
    pub role: Option<String>,
    pub organisation: Option<String>,
}

/// `[guide]` on a page in `content/migranci/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Guide {
    /// Local facts the text shows, by `{{ fact }}` placeholders.
    #[serde(default)]
    pub needs: Vec<Spanned<LocalFact>>,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted and checked against the vocabulary; no page shows it yet")]
    pub strategic_areas: Vec<StrategicArea>,
    /// The sources of the guide's rules, each with an `id` the text cites (`{{ cite:id }}`).
    pub source: Spanned<Sources>,
}

/// `[accessibility_statement]`: the statement required of Polish public bodies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccessibilityStatement {
    /// The public body (podmiot publiczny).
    pub entity: String,
    pub status: ComplianceStatus,
    pub published: Spanned<Datetime>,
    pub updated: Option<Spanned<Datetime>>,
    /// When the statement was prepared (data sporządzenia).
    pub prepared: Spanned<Datetime>,
    /// How it was prepared: self-assessment or an external audit, in words.
    pub method: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<Spanned<String>>,
    pub contact_phone: Option<Spanned<String>>,
}
