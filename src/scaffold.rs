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
pub const KINDS: &[&str] = &["page", "section", "municipality", "service", "forum", "guide", "accessibility_statement"];

fn codes(list: Vec<&str>) -> String {
    list.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
}

/// The text of a new file of `kind`, or `None` for an unknown kind.
pub fn scaffold(kind: &str) -> Option<String> {
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
pub fn write_new(kind: &str, path: &Path) -> Result<(), String> {
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
            "title": string(), "url": {"type": "string", "pattern": "^https?://"}, "seed": string(), "data": string(),
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
pub fn front_matter_schema(kind: &str) -> Json {
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
pub fn write_schemas(dir: &Path) -> Result<Vec<String>, String> {
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
    use super::*;
    use crate::content::front_matter::{parse, split};
    use crate::schema::Kinds;

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
