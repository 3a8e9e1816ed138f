//! Editors' help: `metroportal new <kind> <path>` writes a content file with every field of
//! the kind (optional ones commented out), and `metroportal schema` writes a JSON Schema of each
//! kind's front matter for editors' TOML tools.

use std::path::Path;

use serde_json::{Value as Json, json};

use crate::schema::vocab::{
    Audience, Category, ComplianceStatus, ForumName, LocalFact, MunicipalityType, ServiceFact, ServiceLanguage,
    StrategicArea, Wheelchair,
};

/// Kinds `new` can scaffold: plain pages and sections, and the typed kinds.
pub(crate) const KINDS: &[&str] =
    &["page", "section", "municipality", "service", "forum", "guide", "accessibility_statement"];

fn codes(list: Vec<&str>) -> String {
    list.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
}

/// The text of a new file of `kind`, or `None` for an unknown kind.
pub(crate) fn scaffold(kind: &str) -> Option<String> {
    let common = "title = \"\"                      # required\n# description = \"\"              # one sentence, used in lists and search results\n";
    let body = match kind {
        "page" => format!(
            "{common}# date = 2026-01-01\n# weight = 0\n# slug = \"\"                     # only in a translation, to translate the URL\n"
        ),
        "section" => format!(
            "{common}sort_by = \"weight\"               # date | weight | title | none\n# paginate_by = 20\n# weight = 0\n"
        ),
        "municipality" => format!(
            "{common}\n[municipality]\nteryt = \"\"                      # 7 digits, as in the boundary file\ntype = \"rural\"                   # {}\ncounty = \"\"                     # powiat\n# area_km2 = 0.0\n# website = \"https://…\"\nsource = \"https://…\"            # where these facts come from\n\n[municipality.seat]\nname = \"\"\n# coordinates = [50.0, 20.0]     # [latitude, longitude] of the seat locality\n# verified = false                # when the seat comes from a secondary source\n\n# [municipality.office]\n# name = \"\"\n# address = \"\"\n# phone = \"\"\n# email = \"\"\n# website = \"https://…\"\n\n[municipality.facts]               # services the migrant guides show, by content path\n# {}\n",
            codes(MunicipalityType::codes()),
            LocalFact::codes().iter().map(|f| format!("{f} = \"@/gminy/…/….md\"")).collect::<Vec<_>>().join("\n# ")
        ),
        "service" => format!(
            "{common}\n[service]\ncategory = \"ops\"                 # {}\n# provider = \"\"                  # who runs it, if not the service itself\n# address = \"\"                   # only from a source; never guess\n# coordinates = [50.0, 20.0]     # [latitude, longitude], inside the municipality\n# phone = \"12 000 00 00\"          # or a list\n# email = \"\"\n# website = \"https://…\"\n# opening_hours = \"Mo-Fr 08:00-16:00\"   # OpenStreetMap syntax\n# languages = [\"pl\"]             # {}\n# audiences = [\"everyone\"]       # {}\n# wheelchair = \"yes\"             # {}\n# strategic_areas = [\"services\"] # {}\n# teryt = \"\"                     # the municipality's TERYT, as a cross-check\n# serves = [\"\"]                 # other municipalities it serves (folder names), e.g. a county centre\n# unconfirmed = [\"address\"]     # facts to be confirmed: {}\nverified = false                 # true only if every fact was seen on an official page\n# reviewed = 2026-01-01           # when an editor last checked the facts\n\n# Required: where the facts come from (docs/provenance.md). Leave unknown facts out.\n[[service.source]]\ntitle = \"\"                       # the page's title, as it names itself\nurl = \"https://…\"               # or seed = \"004\"\ndate = \"2026-01\"                # when the facts were true: YYYY, YYYY-MM or YYYY-MM-DD\n# approximate = true             # the date is an estimate\n# facts = [\"address\", \"phone\"]  # the facts this source backs (default: all)\n",
            codes(Category::codes()),
            codes(ServiceFact::codes()),
            codes(ServiceLanguage::codes()),
            codes(Audience::codes()),
            codes(Wheelchair::codes()),
            codes(StrategicArea::codes())
        ),
        "forum" => format!(
            "{common}# date = 2026-01-01\n\n[forum]\nforum = \"social-services-forum\"  # {}\n# date = 2026-01-01              # the exact day, when known\napproximate_date = \"2026\"        # otherwise the year or month (\"2026-05\")\n# date_note = \"\"                 # what is known about the date\n# place = \"\"\n# topics = [\"\"]\n# speakers = [{{ name = \"\", role = \"\", organisation = \"\" }}]\n# outcomes = [\"\"]\n# strategic_areas = [\"services\"]  # {}\n# categories = [\"ops\"]\nsource = \"seed:004\"              # required: a URL, \"seed:NNN\" or a table (docs/provenance.md)\n",
            codes(ForumName::codes()),
            codes(StrategicArea::codes())
        ),
        "guide" => format!(
            "{common}# weight = 0\n\n[guide]\nneeds = [\"ops\"]                  # local facts shown with {{{{ fact }}}} in the text: {}\n# strategic_areas = [\"migration\"]\n\n# Required: the sources of the guide's rules; the text cites each with {{{{ cite:id }}}}.\n[[guide.source]]\nid = \"\"\ntitle = \"\"\nurl = \"https://…\"\ndate = \"2026-01\"\n",
            codes(LocalFact::codes())
        ),
        "accessibility_statement" => format!(
            "{common}\n[accessibility_statement]\nentity = \"\"                     # the public body\nstatus = \"partial\"                # {}\npublished = 2026-01-01\n# updated = 2026-01-01\nprepared = 2026-01-01\nmethod = \"\"                     # self-assessment or audit\n# contact_name = \"\"\n# contact_email = \"\"\n# contact_phone = \"\"\n",
            codes(ComplianceStatus::codes())
        ),
        _ => return None,
    };
    let text = match kind {
        "accessibility_statement" => {
            "\n## Zakres {#a11y-zakres}\n\n## Procedura {#a11y-procedura}\n\n## Dostępność architektoniczna {#a11y-architektura}\n\n## Dostępność komunikacyjno-informacyjna {#a11y-komunikacja}\n"
        }
        "guide" => "\n1. Pierwszy krok. Idź do {{ ops }}.\n",
        _ => "\nTekst strony.\n",
    };
    Some(format!("+++\n{body}+++\n{text}"))
}

/// Writes a scaffold to `path`, refusing to overwrite a file.
pub(crate) fn write_new(kind: &str, path: &Path) -> Result<(), String> {
    let text = scaffold(kind).ok_or_else(|| format!("unknown kind `{kind}`; kinds: {}", KINDS.join(", ")))?;
    if path.extension().is_none_or(|e| e != "md") {
        return Err(format!("{} must end in .md", path.display()));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| e.to_string())
}

fn string() -> Json {
    json!({"type": "string"})
}
fn enumeration(codes: Vec<&str>) -> Json {
    json!({"type": "string", "enum": codes})
}
fn list_of(item: Json) -> Json {
    json!({"type": "array", "items": item})
}
fn one_or_many() -> Json {
    json!({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})
}
fn date() -> Json {
    json!({"type": "string", "format": "date", "description": "A TOML date, e.g. 2026-05-01"})
}
/// `names = { uk = "…" }`: a name per language code.
fn names() -> Json {
    json!({"type": "object", "additionalProperties": string()})
}

/// The `source` field: a URL / `seed:NNN` / `data:file` string, a source table, or a list of them.
fn sources(facts: bool, ids: bool) -> Json {
    let short = json!({"type": "string", "pattern": "^(https?://|seed:|data:)"});
    let mut table = json!({
        "type": "object", "additionalProperties": false,
        "properties": {
            "title": string(), "lang": {"type": "string", "description": "the title's language, if not Polish (e.g. en)"},
            "url": {"type": "string", "pattern": "^https?://"}, "seed": string(), "data": string(),
            "date": {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
            "approximate": {"type": "boolean"},
        },
        "oneOf": [{"required": ["url", "title"]}, {"required": ["seed"]}, {"required": ["data"]}],
    });
    if facts {
        table["properties"]["facts"] = list_of(enumeration(ServiceFact::codes()));
    }
    if ids {
        table["properties"]["id"] = json!({"type": "string", "pattern": "^[a-z0-9-]+$"});
        table["required"] = json!(["id"]);
    }
    let entry = if ids { table.clone() } else { json!({"anyOf": [short, table]}) };
    let mut options = vec![json!({"type": "array", "items": entry, "minItems": 1})];
    if !ids {
        options.extend([short, table]);
    }
    json!({"anyOf": options})
}

fn coordinates() -> Json {
    json!({"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2, "description": "[latitude, longitude]"})
}
fn object(properties: Json, required: &[&str]) -> Json {
    json!({"type": "object", "additionalProperties": false, "properties": properties, "required": required})
}

/// The JSON Schema of a kind's table.
fn kind_schema(kind: &str) -> Option<Json> {
    Some(match kind {
        "municipality" => object(
            json!({
                "teryt": {"type": "string", "pattern": "^[0-9]{7}$"},
                "type": enumeration(MunicipalityType::codes()),
                "county": string(),
                "seat": object(json!({"name": string(), "coordinates": coordinates(), "verified": {"type": "boolean", "default": true}, "names": names()}), &["name"]),
                "names": names(),
                "area_km2": {"type": "number"},
                "website": string(),
                "office": object(json!({"name": string(), "address": string(), "phone": one_or_many(), "email": string(), "website": string()}), &[]),
                "facts": object(LocalFact::codes().into_iter().map(|c| (c.to_string(), json!({"type": "string", "pattern": "^@/"}))).collect::<serde_json::Map<_, _>>().into(), &[]),
                "source": sources(false, false),
            }),
            &["teryt", "type", "county", "seat", "source"],
        ),
        "service" => object(
            json!({
                "category": enumeration(Category::codes()),
                "provider": string(), "address": string(), "coordinates": coordinates(), "phone": one_or_many(),
                "email": string(), "website": string(),
                "opening_hours": {"type": "string", "description": "OpenStreetMap opening_hours, e.g. Mo-Fr 08:00-16:00"},
                "languages": list_of(enumeration(ServiceLanguage::codes())),
                "audiences": list_of(enumeration(Audience::codes())),
                "wheelchair": enumeration(Wheelchair::codes()),
                "strategic_areas": list_of(enumeration(StrategicArea::codes())),
                "teryt": {"type": "string", "pattern": "^[0-9]{7}$"},
                "serves": list_of(string()),
                "unconfirmed": list_of(enumeration(ServiceFact::codes())),
                "source": sources(true, false), "verified": {"type": "boolean"}, "reviewed": date(),
            }),
            &["category", "source", "verified"],
        ),
        "forum" => object(
            json!({
                "forum": enumeration(ForumName::codes()), "date": date(),
                "approximate_date": {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2})?$"}, "date_note": string(), "place": string(),
                "topics": list_of(string()),
                "speakers": list_of(object(json!({"name": string(), "role": string(), "organisation": string()}), &["name"])),
                "outcomes": list_of(string()), "strategic_areas": list_of(enumeration(StrategicArea::codes())),
                "categories": list_of(enumeration(Category::codes())), "source": sources(false, false),
            }),
            &["forum", "source"],
        ),
        "guide" => object(
            json!({"needs": list_of(enumeration(LocalFact::codes())), "strategic_areas": list_of(enumeration(StrategicArea::codes())), "source": sources(false, true)}),
            &["source"],
        ),
        "accessibility_statement" => object(
            json!({
                "entity": string(), "status": enumeration(ComplianceStatus::codes()), "published": date(), "updated": date(),
                "prepared": date(), "method": string(), "contact_name": string(), "contact_email": string(), "contact_phone": string(),
            }),
            &["entity", "status", "published", "prepared", "method"],
        ),
        _ => return None,
    })
}

/// The JSON Schema of a whole front matter with the table of `kind`.
pub(crate) fn front_matter_schema(kind: &str) -> Json {
    let mut properties = json!({
        "title": string(), "description": string(), "date": date(), "updated": date(), "draft": {"type": "boolean"},
        "slug": {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$"}, "weight": {"type": "integer"}, "template": string(),
        "extra": {"type": "object"},
        "taxonomies": {"type": "object", "additionalProperties": list_of(string())},
        "sort_by": enumeration(vec!["date", "weight", "title", "none"]), "paginate_by": {"type": "integer", "minimum": 0},
        // In translations only; written by `metroportal translated`.
        "source_hash": {"type": "string", "pattern": "^[0-9a-f]{12}$"},
    });
    let mut required = vec!["title"];
    if let Some(table) = kind_schema(kind) {
        properties[kind] = table;
        required.push(kind);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("https://metroportal/schemas/{kind}.schema.json"),
        "title": format!("metroportal front matter: {kind}"),
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
        "required": required,
    })
}

/// Writes `<dir>/<kind>.schema.json` for every kind; returns the files written.
pub(crate) fn write_schemas(dir: &Path) -> Result<Vec<String>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut written = Vec::new();
    for kind in KINDS {
        let path = dir.join(format!("{kind}.schema.json"));
        let text = serde_json::to_string_pretty(&front_matter_schema(kind)).unwrap_or_default() + "\n";
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::content::front_matter::{KindParser, parse, split};
    use crate::schema::Kinds;
    use crate::schema::kinds::{
        AccessibilityStatement, Forum, Guide, LocalFacts, Municipality, Office, Seat, Service, Speaker,
    };
    use crate::schema::provenance::{SourceRules, SourceTable};

    /// What [`FieldRecorder`] gives up with: the field list serde asked for, or anything else.
    #[derive(Debug)]
    enum Recorded {
        Fields(&'static [&'static str]),
        Other(String),
    }

    impl std::fmt::Display for Recorded {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                Recorded::Fields(fields) => write!(f, "fields {fields:?}"),
                Recorded::Other(message) => f.write_str(message),
            }
        }
    }

    impl std::error::Error for Recorded {}

    impl serde::de::Error for Recorded {
        fn custom<T: std::fmt::Display>(message: T) -> Self {
            Recorded::Other(message.to_string())
        }
    }

    /// A deserializer with no input: a derived `Deserialize` of a struct hands it the names of
    /// the struct's fields (`deserialize_struct`'s `fields`, after renames), and it fails with
    /// them. With `deny_unknown_fields` those are exactly the keys the type accepts.
    struct FieldRecorder;

    impl<'de> serde::Deserializer<'de> for FieldRecorder {
        type Error = Recorded;

        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Recorded> {
            Err(Recorded::Other("asked for something other than a struct".into()))
        }

        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Recorded> {
            Err(Recorded::Fields(fields))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }

    /// The keys the Rust type `T` accepts in its table.
    fn accepted_keys<T: serde::de::DeserializeOwned>() -> BTreeSet<String> {
        match T::deserialize(FieldRecorder).err() {
            Some(Recorded::Fields(fields)) => fields.iter().map(|f| f.to_string()).collect(),
            other => panic!("{} is not read as a plain struct: {other:?}", std::any::type_name::<T>()),
        }
    }

    /// The property names of an object schema.
    fn properties(schema: &Json) -> BTreeSet<String> {
        schema["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("no properties in {schema}"))
            .keys()
            .cloned()
            .collect()
    }

    /// Every table schema (an object with properties) inside `schema`: the `source` field's
    /// table appears once alone and once as an item of the list.
    fn tables<'a>(schema: &'a Json, out: &mut Vec<&'a Json>) {
        match schema {
            Json::Object(map) if map.contains_key("properties") => out.push(schema),
            Json::Object(map) => map.values().for_each(|v| tables(v, out)),
            Json::Array(items) => items.iter().for_each(|v| tables(v, out)),
            _ => {}
        }
    }

    #[test]
    fn json_schema_of_each_kind_has_exactly_the_fields_its_rust_type_accepts() {
        // (kind, where the table is inside the kind's schema, the keys its Rust type accepts)
        let cases = [
            ("municipality", "", accepted_keys::<Municipality>()),
            ("municipality", "/properties/seat", accepted_keys::<Seat>()),
            ("municipality", "/properties/office", accepted_keys::<Office>()),
            ("municipality", "/properties/facts", accepted_keys::<LocalFacts>()),
            ("service", "", accepted_keys::<Service>()),
            ("forum", "", accepted_keys::<Forum>()),
            ("forum", "/properties/speakers/items", accepted_keys::<Speaker>()),
            ("guide", "", accepted_keys::<Guide>()),
            ("accessibility_statement", "", accepted_keys::<AccessibilityStatement>()),
        ];
        let covered: BTreeSet<&str> = cases.iter().map(|(kind, ..)| *kind).collect();
        assert_eq!(covered, Kinds.names().iter().copied().collect(), "a kind without a case here");
        for (kind, pointer, keys) in cases {
            let schema = kind_schema(kind).unwrap();
            let table = schema.pointer(pointer).unwrap_or_else(|| panic!("[{kind}] schema has no {pointer}"));
            assert_eq!(properties(table), keys, "[{kind}]{pointer}: JSON Schema (left) ≠ Rust type (right)");
        }
        // A source table is one Rust type for every kind; `facts` and `id` are refused after
        // parsing where the kind's rules (as `schema::check_sources` is called) do not allow them.
        for (kind, rules) in [
            ("municipality", SourceRules::PAGE),
            ("service", SourceRules::SERVICE),
            ("forum", SourceRules::PAGE),
            ("guide", SourceRules::GUIDE),
        ] {
            let mut keys = accepted_keys::<SourceTable>();
            if !rules.facts {
                keys.remove("facts");
            }
            if !rules.ids {
                keys.remove("id");
            }
            let schema = kind_schema(kind).unwrap();
            let mut found = Vec::new();
            tables(&schema["properties"]["source"], &mut found);
            assert!(!found.is_empty(), "[{kind}] source has no table");
            for table in found {
                assert_eq!(properties(table), keys, "[{kind}] source table: JSON Schema (left) ≠ SourceTable (right)");
            }
        }
    }

    #[test]
    fn json_schema_top_level_has_exactly_the_front_matter_keys() {
        // The keys are private to `content::front_matter`; the hint of a key too far from all
        // of them for a "did you mean" lists them (a section's: every key), with the kind tables.
        let text = "+++\ntitle = \"x\"\nqqqqqqqqqqqqqqqq = 1\n+++\n";
        let file = Path::new("content/_index.md");
        let problems = parse(file, text, &split(file, text).unwrap(), true, &Kinds).unwrap_err();
        let hint = problems.iter().find(|d| d.code == "unknown-field").and_then(|d| d.hint.as_deref()).unwrap();
        let list = hint.strip_prefix("known fields: ").and_then(|h| h.split(';').next());
        let known: BTreeSet<&str> = list.unwrap_or_else(|| panic!("hint changed: {hint}")).split(", ").collect();
        let kinds: BTreeSet<&str> = Kinds.names().iter().copied().collect();
        assert!(kinds.is_subset(&known), "{hint}");
        for kind in KINDS {
            let mut expected: BTreeSet<String> = known.difference(&kinds).map(|k| k.to_string()).collect();
            if kinds.contains(kind) {
                expected.insert(kind.to_string());
            }
            assert_eq!(
                properties(&front_matter_schema(kind)),
                expected,
                "{kind}: JSON Schema (left) ≠ front matter (right)"
            );
        }
    }

    #[test]
    fn every_scaffold_parses_with_all_its_fields() {
        for kind in KINDS {
            let text = scaffold(kind).unwrap();
            let file = Path::new("content/x.md");
            let split = split(file, &text).unwrap();
            let result = parse(file, &text, &split, *kind == "section", &Kinds);
            // Only the empty title is missing: every other field is known and well-typed.
            let problems = result.err().unwrap_or_default();
            assert!(problems.iter().all(|d| d.code == "missing-field"), "{kind}: {problems:?}");
        }
    }

    #[test]
    fn schemas_list_vocabularies() {
        let schema = front_matter_schema("service");
        assert_eq!(schema["properties"]["service"]["properties"]["category"]["enum"][0], "ops");
        assert_eq!(schema["properties"]["service"]["required"], json!(["category", "source", "verified"]));
        assert!(front_matter_schema("page")["properties"].get("page").is_none());
    }
}
