//! The editing interface under `/admin/`: writes the configuration of the vendored Sveltia CMS
//! from the typed schema (the JSON Schema of `scaffold.rs`, itself checked against the kinds'
//! Rust types), so that a form cannot produce a field, type or vocabulary term the build rejects.
//!
//! One collection per kind: municipalities, services (one collection per municipality, so a new
//! service is created inside its municipality's folder), forum meetings, migrant guides, plain
//! pages, sections, the accessibility statement. Facts (the kind's table) live in the Polish file
//! only; translations (`name.en.md`, `name.uk.md`) carry title, description, slug and text.
//!
//! Size: about 720 lines before its tests; most of it is the one generated configuration, kept
//! in one place so that it can be read beside Sveltia's documentation.

use serde_json::{Value as Json, json};

use crate::config::{CmsConfig, Config};
use crate::scaffold::front_matter_schema;
use crate::schema::vocab::{
    Audience, Category, ComplianceStatus, ForumName, LocalFact, MunicipalityType, ServiceFact, ServiceLanguage,
    StrategicArea, Wheelchair,
};

/// The vendored CMS (see `src/cms/vendor/README.md`).
const SVELTIA_JS: &[u8] = include_bytes!("vendor/sveltia-cms.js");
const SVELTIA_LICENSE: &[u8] = include_bytes!("vendor/LICENSE.txt");
/// Sveltia's React chunk for custom field types (the map picker); it looks for it beside its own
/// script (`chunks/react-dom.js`) before unpkg.com.
const SVELTIA_REACT_DOM_JS: &[u8] = include_bytes!("vendor/chunks/react-dom.js");
/// Immutable.js, which Sveltia imports from unpkg.com for custom field types: [`IMPORT_MAP`] sends
/// that import here.
const IMMUTABLE_JS: &[u8] = include_bytes!("vendor/immutable/immutable.es.js");
const IMMUTABLE_LICENSE: &[u8] = include_bytes!("vendor/immutable/LICENSE.txt");
const MAP_PICKER_JS: &[u8] = include_bytes!("map-picker.js");
const SERVICE_PICKER_JS: &[u8] = include_bytes!("service-picker.js");
/// The writer that keeps a file's layout on save (see its header).
const TOML_WRITER_JS: &[u8] = include_bytes!("toml-writer.js");
/// smol-toml, the TOML library Sveltia bundles, for that writer: its CommonJS build, wrapped so
/// that a classic script exposes it as `window.smolToml`.
const SMOL_TOML_CJS: &str = include_str!("vendor/smol-toml/index.cjs");
const SMOL_TOML_LICENSE: &[u8] = include_bytes!("vendor/smol-toml/LICENSE.txt");
const LEAFLET_JS: &[u8] = include_bytes!("../../themes/portal/static/vendor/leaflet/leaflet.js");
const LEAFLET_CSS: &[u8] = include_bytes!("../../themes/portal/static/vendor/leaflet/leaflet.css");

/// The web fonts Sveltia's styles name by their jsDelivr address, and the vendored copies
/// (Fontsource packages from the npm registry, see `src/cms/vendor/README.md`) written under
/// `admin/fonts/` instead. Without the icon font every button shows its icon's name.
pub(crate) const FONTS: &[(&str, &str, &[u8])] = &[
    (
        "https://cdn.jsdelivr.net/fontsource/fonts/source-sans-3:vf@5.3.0/latin-wght-normal.woff2",
        "fonts/source-sans-3-latin-wght-normal.woff2",
        include_bytes!("vendor/fonts/source-sans-3-latin-wght-normal.woff2"),
    ),
    (
        "https://cdn.jsdelivr.net/fontsource/fonts/noto-mono@5.3.0/latin-400-normal.woff2",
        "fonts/noto-mono-latin-400-normal.woff2",
        include_bytes!("vendor/fonts/noto-mono-latin-400-normal.woff2"),
    ),
    (
        "https://cdn.jsdelivr.net/fontsource/fonts/material-symbols-outlined:vf@5.3.7/latin-wght-normal.woff2",
        "fonts/material-symbols-outlined-latin-wght-normal.woff2",
        include_bytes!("vendor/fonts/material-symbols-outlined-latin-wght-normal.woff2"),
    ),
];
const FONT_LICENSES: &[(&str, &[u8])] = &[
    ("admin/fonts/LICENSE-source-sans-3.txt", include_bytes!("vendor/fonts/LICENSE-source-sans-3.txt")),
    ("admin/fonts/LICENSE-noto-mono.txt", include_bytes!("vendor/fonts/LICENSE-noto-mono.txt")),
    ("admin/fonts/LICENSE-material-symbols.txt", include_bytes!("vendor/fonts/LICENSE-material-symbols.txt")),
];

/// Where the script fetches its interface translations (`<base>/pl.json`): unpkg.com, and
/// after [`sveltia_script`] `admin/locales/`, so editors whose browser asks for Polish or
/// Ukrainian get the interface in it.
const LOCALES_BASE: (&str, &str) = ("USe=`${iP}@${rP}/locales`", "USe=`locales`");
const LOCALES: &[(&str, &[u8])] = &[
    ("admin/locales/pl.json", include_bytes!("vendor/locales/pl.json")),
    ("admin/locales/uk.json", include_bytes!("vendor/locales/uk.json")),
];

/// The vendored script with its font addresses pointed at `admin/fonts/` (relative URLs in its
/// `<style>` resolve against `/admin/`) and its translations at `admin/locales/`. The only
/// changes made to it; a test checks that each string occurs in the script exactly once, so an
/// update that moves them cannot go unnoticed.
/// Made once per process (`serve` rebuilds often; the script is 2.7 MB).
pub(crate) fn sveltia_script() -> &'static [u8] {
    static SCRIPT: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        let mut script = String::from_utf8_lossy(SVELTIA_JS).into_owned();
        for (remote, local) in FONTS.iter().map(|(r, l, _)| (*r, *l)).chain([LOCALES_BASE]) {
            script = script.replace(remote, local);
        }
        script.into_bytes()
    })
}

/// The files written under `admin/`, relative to the output folder.
pub(crate) const FILES: &[&str] = &[
    "admin/index.html",
    "admin/config.yml",
    "admin/sveltia-cms.js",
    "admin/LICENSE-sveltia-cms.txt",
    "admin/chunks/react-dom.js",
    "admin/vendor/immutable.es.js",
    "admin/vendor/LICENSE-immutable.txt",
    "admin/map-picker.js",
    "admin/service-picker.js",
    "admin/toml-writer.js",
    "admin/vendor/smol-toml.js",
    "admin/vendor/LICENSE-smol-toml.txt",
    "admin/leaflet.js",
    "admin/leaflet.css",
    "admin/fonts/source-sans-3-latin-wght-normal.woff2",
    "admin/fonts/noto-mono-latin-400-normal.woff2",
    "admin/fonts/material-symbols-outlined-latin-wght-normal.woff2",
    "admin/fonts/LICENSE-source-sans-3.txt",
    "admin/fonts/LICENSE-noto-mono.txt",
    "admin/fonts/LICENSE-material-symbols.txt",
    "admin/locales/pl.json",
    "admin/locales/uk.json",
];

/// What the form accepts in `opening_hours`: the characters of the OpenStreetMap syntax, starting
/// with a day, `PH`, `24/7` or a time. The build's parser (`schema/opening_hours.rs`) has the
/// last word and reports anything else at its line.
pub(crate) const OPENING_HOURS_PATTERN: &str =
    r#"^(Mo|Tu|We|Th|Fr|Sa|Su|PH|SH|24/7|[0-2][0-9]:[0-5][0-9]|[A-Z][a-z]{2} )[A-Za-z0-9 :,;+/\[\]"-]*$"#;

/// The owner written as `backend.repo` while `[cms] repo` is not set: Sveltia CMS requires an
/// `owner/name` even for its local-folder mode, which never contacts the repository. GitHub and
/// GitLab names cannot contain `_` at the start, so this can never name somebody's repository.
pub(crate) const LOCAL_ONLY_OWNER: &str = "_local";

/// Front-matter keys that the forms leave alone (edited in git only): free-form tables and the
/// template override. Everything else in the schema has a form field (the drift test checks it).
pub(crate) const NOT_IN_FORMS: &[&str] = &["extra", "taxonomies", "template"];

/// The label of a UI string in the default language, if it has one.
pub(crate) type Label<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;

/// A municipality as its service collection needs it.
pub(crate) struct MunicipalityFolder {
    /// The folder name under `content/gminy/`.
    pub folder: String,
    /// The Polish name.
    pub title: String,
    /// Its TERYT code: the map picker of its services shows its boundary.
    pub teryt: String,
}

/// What the configuration needs from the site besides the schema.
pub(crate) struct Inputs<'a> {
    pub config: &'a Config,
    pub cms: &'a CmsConfig,
    /// Each municipality's folder under `content/gminy/`.
    pub municipalities: Vec<MunicipalityFolder>,
    /// Sections without a kind (`forum/_index.md`, `_index.md`) and plain pages
    /// (`o-stowarzyszeniu.md`): their content path and Polish title.
    pub sections: Vec<(String, String)>,
    pub pages: Vec<(String, String)>,
    /// The label of a UI string in the default language (`category-ops` → "Ośrodek pomocy społecznej").
    pub label: Label<'a>,
}

/// The bytes of one of [`FILES`].
pub(crate) fn render(file: &str, inputs: &Inputs) -> Vec<u8> {
    match file {
        "admin/index.html" => index_html(inputs.config, inputs.cms).into_bytes(),
        "admin/config.yml" => config_yml(inputs).into_bytes(),
        "admin/sveltia-cms.js" => sveltia_script().to_vec(),
        "admin/LICENSE-sveltia-cms.txt" => SVELTIA_LICENSE.to_vec(),
        "admin/chunks/react-dom.js" => SVELTIA_REACT_DOM_JS.to_vec(),
        "admin/vendor/immutable.es.js" => IMMUTABLE_JS.to_vec(),
        "admin/vendor/LICENSE-immutable.txt" => IMMUTABLE_LICENSE.to_vec(),
        "admin/map-picker.js" => MAP_PICKER_JS.to_vec(),
        "admin/service-picker.js" => SERVICE_PICKER_JS.to_vec(),
        "admin/toml-writer.js" => TOML_WRITER_JS.to_vec(),
        "admin/vendor/smol-toml.js" => {
            format!("(function () {{\nvar exports = {{}};\n{SMOL_TOML_CJS}\nwindow.smolToml = exports;\n}})();\n")
                .into_bytes()
        }
        "admin/vendor/LICENSE-smol-toml.txt" => SMOL_TOML_LICENSE.to_vec(),
        "admin/leaflet.js" => LEAFLET_JS.to_vec(),
        "admin/leaflet.css" => LEAFLET_CSS.to_vec(),
        _ => {
            let font = FONTS.iter().find(|(_, local, _)| file.strip_prefix("admin/") == Some(local));
            let license = FONT_LICENSES.iter().chain(LOCALES).find(|(name, _)| *name == file);
            font.map(|(_, _, bytes)| bytes.to_vec()).or(license.map(|(_, bytes)| bytes.to_vec())).unwrap_or_default()
        }
    }
}

/// Sends the one module Sveltia imports from another host (the exact URL its vendored version
/// builds: `https://unpkg.com/immutable@<its dependency's version>/dist/immutable.es.js`) to the
/// vendored copy, so the script runs unmodified. A test checks the URL against the script.
pub(crate) const IMPORT_MAP: &str =
    r#"{"imports":{"https://unpkg.com/immutable@5.1.9/dist/immutable.es.js":"./vendor/immutable.es.js"}}"#;

/// The CSP hash of [`IMPORT_MAP`], the page's only inline script (`'sha256-…'` in `script-src`).
/// The browser test loads `/admin/` under a policy with it and fails, showing the right hash,
/// if the two disagree.
pub(crate) const IMPORT_MAP_HASH: &str = "'sha256-9fUa0Pld0Kb1K672jtm5/aXwc1Xtqav2v5jaGbCn8Js='";

/// The hosts a backend talks to from the browser (its API), for `connect-src`.
fn backend_hosts(cms: &CmsConfig) -> String {
    let api = match (&cms.api_root, cms.backend.as_str()) {
        (Some(root), _) => root.clone(),
        (None, "gitlab") => "https://gitlab.com".to_string(),
        (None, _) => "https://api.github.com".to_string(),
    };
    match url::Url::parse(&api) {
        Ok(url) => url.origin().ascii_serialization(),
        Err(_) => String::new(),
    }
}

/// The policy `/admin/` carries in its own `<meta>`, so that even a host that sends no
/// Content-Security-Policy (GitHub Pages cannot) loads nothing from other hosts except the
/// backend's API and map tiles: Sveltia's update check, status page and web fonts are refused
/// (it falls back to system fonts). Svelte adds styles as `<style>` elements, the app uses
/// `blob:` workers and `data:` images.
pub(crate) fn admin_policy(cms: &CmsConfig) -> String {
    format!(
        "default-src 'self'; img-src 'self' data: blob: https:; connect-src 'self' blob: data: {}; \
         script-src 'self' 'wasm-unsafe-eval' {IMPORT_MAP_HASH}; style-src 'self' 'unsafe-inline'; \
         worker-src 'self' blob:; manifest-src 'self' blob:; font-src 'self' data:; object-src 'none'; \
         base-uri 'self'",
        backend_hosts(cms)
    )
}

/// What the build assumes for each optional switch left out of a file, by key path
/// (`draft`, `service.source.approximate`, `municipality.seat.verified`), from the schema of
/// every kind: the writer (toml-writer.js) does not add a switch the form sends at its default.
pub(crate) fn switch_defaults() -> std::collections::BTreeMap<String, bool> {
    /// Every object of the schema at `path`: its properties, and what `items` (a list's
    /// elements) and `anyOf` (the shapes a value may take, as `source` has) lead to.
    fn walk(schema: &Json, path: &str, out: &mut std::collections::BTreeMap<String, bool>) {
        let required: Vec<&str> =
            schema["required"].as_array().map(|r| r.iter().filter_map(Json::as_str).collect()).unwrap_or_default();
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            let at = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
            if property["type"] == "boolean" && !required.contains(&name.as_str()) {
                out.insert(at.clone(), property["default"].as_bool().unwrap_or(false));
            }
            walk(property, &at, out);
        }
        walk_inner(schema, path, out);
    }
    fn walk_inner(schema: &Json, path: &str, out: &mut std::collections::BTreeMap<String, bool>) {
        if schema["items"].is_object() {
            walk(&schema["items"], path, out);
        }
        for alternative in schema["anyOf"].as_array().into_iter().flatten() {
            walk(alternative, path, out);
        }
    }
    let mut out = std::collections::BTreeMap::new();
    for kind in crate::scaffold::KINDS {
        walk(&front_matter_schema(kind), "", &mut out);
    }
    out
}

/// The entry page: `noindex`, the import map (the only inline script; the map picker reads its
/// settings from `data-` attributes) and the policy above.
fn index_html(config: &Config, cms: &CmsConfig) -> String {
    let lang = &config.default_language;
    let escape = crate::templates::escape_html;
    let tiles = escape(&config.map.tiles);
    let attribution = escape(&config.map.attribution);
    let policy = escape(&admin_policy(cms));
    let defaults = escape(&serde_json::to_string(&switch_defaults()).unwrap_or_default());
    format!(
        "<!doctype html>\n<html lang=\"{lang}\" data-tiles=\"{tiles}\" data-attribution=\"{attribution}\" data-boundaries=\"../dane/gminy.geojson\" data-services=\"../dane/uslugi.json\" data-defaults=\"{defaults}\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex, nofollow\">\n<title>Edycja portalu</title>\n<link rel=\"stylesheet\" href=\"leaflet.css\">\n<script type=\"importmap\">{IMPORT_MAP}</script>\n<script src=\"sveltia-cms.js\"></script>\n<script src=\"vendor/smol-toml.js\"></script>\n<script src=\"toml-writer.js\"></script>\n<script src=\"leaflet.js\"></script>\n<script src=\"map-picker.js\"></script>\n<script src=\"service-picker.js\"></script>\n</head>\n<body>\n<noscript>Edycja portalu wymaga JavaScriptu.</noscript>\n</body>\n</html>\n"
    )
}

/// The closed vocabularies: prefix of their UI strings and codes. An enum of the JSON Schema is
/// matched to its vocabulary by its codes.
fn vocabularies() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (Category::PREFIX, Category::codes()),
        (MunicipalityType::PREFIX, MunicipalityType::codes()),
        (ServiceLanguage::PREFIX, ServiceLanguage::codes()),
        (Audience::PREFIX, Audience::codes()),
        (Wheelchair::PREFIX, Wheelchair::codes()),
        (StrategicArea::PREFIX, StrategicArea::codes()),
        (ServiceFact::PREFIX, ServiceFact::codes()),
        (ForumName::PREFIX, ForumName::codes()),
        (LocalFact::PREFIX, LocalFact::codes()),
        (ComplianceStatus::PREFIX, ComplianceStatus::codes()),
    ]
}

/// Polish labels of the fields (the key is the field's name; a missing one shows the name).
fn field_label(name: &str) -> &str {
    match name {
        "title" => "Tytuł",
        "description" => "Opis (jedno zdanie)",
        "date" => "Data",
        "updated" => "Zaktualizowano",
        "draft" => "Szkic (nie publikuj)",
        "slug" => "Adres (slug)",
        "weight" => "Kolejność",
        "sort_by" => "Sortowanie",
        "paginate_by" => "Stron na liście",
        "source_hash" => "Skrót tekstu polskiego",
        "body" => "Treść",
        "municipality" => "Gmina",
        "service" => "Usługa",
        "forum" => "Forum",
        "guide" => "Poradnik",
        "accessibility_statement" => "Deklaracja dostępności",
        "teryt" => "Kod TERYT",
        "type" => "Rodzaj gminy",
        "county" => "Powiat",
        "seat" => "Siedziba",
        "name" => "Nazwa",
        "names" => "Nazwa w innych językach",
        "coordinates" => "Położenie na mapie",
        "verified" => "Zweryfikowano na stronie urzędowej",
        "area_km2" => "Powierzchnia (km²)",
        "website" => "Strona internetowa",
        "office" => "Urząd",
        "address" => "Adres",
        "phone" => "Telefon",
        "email" => "E-mail",
        "facts" => "Fakty lokalne",
        "source" => "Źródła",
        "category" => "Kategoria",
        "provider" => "Prowadzący",
        "opening_hours" => "Godziny otwarcia",
        "languages" => "Języki obsługi",
        "audiences" => "Dla kogo",
        "wheelchair" => "Dostępność dla wózków",
        "strategic_areas" => "Obszary strategiczne",
        "serves" => "Obsługuje także gminy",
        "unconfirmed" => "Do potwierdzenia",
        "reviewed" => "Data ostatniego sprawdzenia",
        "approximate_date" => "Przybliżona data (rok lub miesiąc)",
        "date_note" => "Uwaga o dacie",
        "place" => "Miejsce",
        "topics" => "Tematy",
        "speakers" => "Prelegenci",
        "role" => "Funkcja",
        "organisation" => "Organizacja",
        "outcomes" => "Ustalenia",
        "categories" => "Kategorie usług",
        "needs" => "Potrzebne fakty lokalne",
        "lang" => "Język tytułu (jeśli nie polski)",
        "url" => "Adres strony (URL)",
        "seed" => "Dokument źródłowy (numer)",
        "data" => "Plik danych",
        "approximate" => "Data przybliżona",
        "id" => "Identyfikator cytowania",
        "entity" => "Podmiot",
        "status" => "Status zgodności",
        "published" => "Data publikacji",
        "prepared" => "Data sporządzenia",
        "method" => "Sposób sporządzenia",
        "contact_name" => "Osoba kontaktowa",
        "contact_email" => "E-mail kontaktowy",
        "contact_phone" => "Telefon kontaktowy",
        _ => name,
    }
}

fn hint(name: &str) -> Option<&'static str> {
    Some(match name {
        "opening_hours" => {
            "Składnia OpenStreetMap, np. „Mo-Fr 08:00-16:00” albo „Mo-Th 07:30-15:30; Fr 07:30-14:00”. Dni: Mo Tu We Th Fr Sa Su, święta: PH."
        }
        "coordinates" => {
            "Kliknij na mapie miejsce usługi (punkt musi leżeć w granicach gminy) albo wpisz szerokość i długość."
        }
        "verified" => "Zaznacz tylko wtedy, gdy każdy fakt sprawdzono na stronie urzędowej.",
        "source" => {
            "Skąd pochodzą fakty: tytuł i adres strony albo numer dokumentu źródłowego, z datą (RRRR, RRRR-MM lub RRRR-MM-DD)."
        }
        "unconfirmed" => "Fakty podane, ale wymagające potwierdzenia (np. dwa źródła się różnią).",
        "serves" => "Nazwy folderów innych gmin, które usługa obsługuje (np. powiatowe centrum).",
        "facts" => "Usługi, które poradniki dla migrantów pokazują w tej gminie.",
        "date" => "Data, kiedy fakt był prawdziwy: RRRR, RRRR-MM lub RRRR-MM-DD.",
        "id" => "Krótka nazwa, którą tekst cytuje: {{ cite:id }}.",
        "teryt" => "7 cyfr, jak w pliku granic gmin.",
        _ => return None,
    })
}

/// Form fields for the properties of a JSON Schema object.
fn object_fields(schema: &Json, inputs: &Inputs, path: &str) -> Vec<Json> {
    let required: Vec<&str> =
        schema["required"].as_array().map(|r| r.iter().filter_map(Json::as_str).collect()).unwrap_or_default();
    let Some(properties) = schema["properties"].as_object() else { return Vec::new() };
    let mut fields: Vec<Json> = properties
        .iter()
        .filter(|(name, _)| !NOT_IN_FORMS.contains(&name.as_str()))
        .map(|(name, property)| field(name, property, required.contains(&name.as_str()), inputs, path))
        .collect();
    // The schema lists properties alphabetically; the form (and the file Sveltia writes, which
    // follows the form) goes in the order of the content files.
    fields.sort_by_key(|f| FIELD_ORDER.iter().position(|n| f["name"] == *n).unwrap_or(FIELD_ORDER.len()));
    fields
}

/// The order of fields in forms and in the files they write: what a reader needs first (as the
/// content files are written); anything not listed keeps the schema's order after these.
const FIELD_ORDER: &[&str] = &[
    "title",
    "lang",
    "description",
    "category",
    "operator",
    "address",
    "coordinates",
    "phone",
    "email",
    "website",
    "opening_hours",
    "languages",
    "audiences",
    "wheelchair",
    "serves",
    "strategic_areas",
    "unconfirmed",
    "verified",
    "reviewed",
    "url",
    "seed",
    "data",
    "date",
    "approximate",
    "facts",
    "id",
    "source",
];

fn field(name: &str, schema: &Json, required: bool, inputs: &Inputs, parent: &str) -> Json {
    let path = if parent.is_empty() { name.to_string() } else { format!("{parent}.{name}") };
    let mut f = widget(name, schema, inputs, &path);
    f["name"] = json!(name);
    f["label"] = json!(field_label(name));
    // A local fact (`[municipality.facts] ops = "@/…"`) is labelled as the pages name it.
    if parent.ends_with(".facts")
        && LocalFact::codes().contains(&name)
        && let Some(label) = (inputs.label)(&format!("{}-{name}", LocalFact::PREFIX))
    {
        let mut chars = label.chars();
        let capitalised: String = chars.next().into_iter().flat_map(char::to_uppercase).chain(chars).collect();
        f["label"] = json!(capitalised);
    }
    // A hidden field has no `required` in Sveltia's schema (it warns about it).
    if f["widget"] != "hidden" {
        f["required"] = json!(required);
    }
    if let Some(h) = hint(name).map(str::to_string).or_else(|| schema["description"].as_str().map(str::to_string)) {
        f["hint"] = json!(h);
    }
    // `facts` of a source is not the municipality's `facts` (the labels above).
    if parent.ends_with(".source") && name == "facts" {
        f["label"] = json!("Które fakty potwierdza");
        f["hint"] = json!("Fakty usługi podane w tym źródle (np. adres, telefon); bez wyboru: wszystkie.");
    }
    f
}

fn select(codes: &[Json], inputs: &Inputs, multiple: bool) -> Json {
    let codes: Vec<&str> = codes.iter().filter_map(Json::as_str).collect();
    let prefix = vocabularies().into_iter().find(|(_, c)| *c == codes).map(|(p, _)| p);
    let options: Vec<Json> = codes
        .iter()
        .map(|code| {
            let label = prefix.and_then(|p| (inputs.label)(&format!("{p}-{code}"))).unwrap_or_else(|| code.to_string());
            json!({"label": label, "value": code})
        })
        .collect();
    let mut f = json!({"widget": "select", "options": options});
    if multiple {
        f["multiple"] = json!(true);
    }
    f
}

fn widget(name: &str, schema: &Json, inputs: &Inputs, path: &str) -> Json {
    // The special shapes first, recognised by name where the schema gives them one meaning.
    if name == "coordinates" {
        return json!({"widget": "coordinates", "value_type": "float"});
    }
    if name == "source" {
        return sources(schema, inputs, path);
    }
    if name == "names" {
        let fields: Vec<Json> = inputs
            .config
            .languages
            .iter()
            .filter(|l| l.code != inputs.config.default_language)
            .map(|l| json!({"name": l.code, "label": l.name, "widget": "string", "required": false}))
            .collect();
        return json!({"widget": "object", "fields": fields});
    }
    if name == "source_hash" {
        return json!({"widget": "hidden", "i18n": true});
    }
    if schema["pattern"].as_str() == Some("^@/") {
        // A `@/` reference to a service page, picked from the services the site publishes
        // (service-picker.js). Sveltia's relation field writes `{{slug}}`, which for an entry
        // created in a municipality's collection is its file name, not its path.
        return json!({"widget": "service-reference"});
    }
    if let Some(codes) = schema["enum"].as_array() {
        return select(codes, inputs, false);
    }
    if schema["type"] == "array" {
        let items = &schema["items"];
        if let Some(codes) = items["enum"].as_array() {
            return select(codes, inputs, true);
        }
        if items["type"] == "object" {
            return json!({"widget": "list", "fields": object_fields(items, inputs, path)});
        }
        return json!({"widget": "list"});
    }
    if schema.get("anyOf").is_some() {
        // `phone = "…"` or a list: the form writes a list.
        return json!({"widget": "list"});
    }
    match schema["type"].as_str() {
        Some("object") => {
            json!({"widget": "object", "collapsed": false, "fields": object_fields(schema, inputs, path)})
        }
        // The build's default when the key is left out (a seat is verified unless it says not).
        Some("boolean") => json!({"widget": "boolean", "default": schema["default"].as_bool().unwrap_or(false)}),
        Some("number") => json!({"widget": "number", "value_type": "float"}),
        Some("integer") => json!({"widget": "number", "value_type": "int"}),
        _ if schema["format"] == "date" => {
            // Without `format`, Sveltia writes a native TOML date (`reviewed = 2026-05-01`), which
            // is what the build reads; a formatted string would be rejected.
            json!({"widget": "datetime", "time_format": false})
        }
        _ => {
            let mut f = json!({"widget": "string"});
            if name == "opening_hours" {
                f["pattern"] = json!([OPENING_HOURS_PATTERN, "Składnia OpenStreetMap, np. Mo-Fr 08:00-16:00"]);
            } else if let Some(p) = schema["pattern"].as_str() {
                f["pattern"] = json!([p, format!("Wymagany format: {p}")]);
            }
            f
        }
    }
}

/// `[[kind.source]]` tables (the form always writes tables; docs/provenance.md).
fn sources(schema: &Json, inputs: &Inputs, path: &str) -> Json {
    // The table is the `items` of the first (array) option.
    let items = &schema["anyOf"][0]["items"];
    let table = if items.get("anyOf").is_some() { &items["anyOf"][1] } else { items };
    json!({"widget": "list", "summary": "{{fields.title}}{{fields.seed}}{{fields.data}} ({{fields.date}})", "fields": object_fields(table, inputs, path)})
}

fn body() -> Json {
    json!({"name": "body", "label": field_label("body"), "widget": "markdown", "i18n": true, "required": false})
}

/// The fields of a front matter with the table of `kind`, plus the body.
fn kind_fields(kind: &str, inputs: &Inputs) -> Vec<Json> {
    let schema = front_matter_schema(kind);
    let mut fields = object_fields(&schema, inputs, "");
    for f in &mut fields {
        // Translations carry title, description, slug and text; facts are in the Polish file.
        if matches!(f["name"].as_str(), Some("title" | "description" | "slug" | "source_hash")) {
            f["i18n"] = json!(true);
            // Required in the Polish file only: a translation may be missing (the page then
            // shows the Polish text), and Sveltia reads `required: true` as every language.
            if f["required"] == true {
                f["required"] = json!([inputs.config.default_language]);
            }
        }
    }
    // The kind's table first after the title, so the facts are what an editor sees.
    fields.sort_by_key(|f| match f["name"].as_str() {
        Some("title") => 0,
        Some(k) if k == kind => 1,
        _ => 2,
    });
    fields.push(body());
    fields
}

fn collection(name: &str, label: &str, folder: &str, kind: &str, inputs: &Inputs) -> Json {
    json!({
        "name": name, "label": label, "folder": folder, "extension": "md",
        "format": "toml-frontmatter", "frontmatter_delimiter": "+++",
        "i18n": true, "create": true, "fields": kind_fields(kind, inputs),
    })
}

/// Sets `option` on every field named `name`, however deep in objects and lists.
fn set_option(fields: &mut [Json], name: &str, option: &str, value: &str) {
    for f in fields {
        if f["name"] == name {
            f[option] = json!(value);
        }
        // `get_mut`, not `f["fields"]`, which would add a `fields: null` to every other field.
        if let Some(inner) = f.get_mut("fields").and_then(Json::as_array_mut) {
            set_option(inner, name, option, value);
        }
    }
}

/// A collection of the listed files (content paths, Polish titles), each with its translations
/// (`name.en.md` beside `name.md`: `{{locale}}` is left out for the default language).
fn files_collection(name: &str, label: &str, kind: &str, files: &[(String, String)], inputs: &Inputs) -> Json {
    let fields = kind_fields(kind, inputs);
    let files: Vec<Json> = files
        .iter()
        .map(|(key, title)| {
            let stem = key.strip_suffix(".md").unwrap_or(key);
            json!({
                "name": stem.replace('/', "-"), "label": title,
                "file": format!("content/{stem}.{{{{locale}}}}.md"),
                "format": "toml-frontmatter", "frontmatter_delimiter": "+++",
                "i18n": true, "fields": fields,
            })
        })
        .collect();
    json!({"name": name, "label": label, "i18n": true, "files": files})
}

/// The whole configuration (JSON, which is YAML), with a comment saying where it comes from.
pub(crate) fn config_yml(inputs: &Inputs) -> String {
    let config = inputs.config;
    let cms = inputs.cms;
    let mut collections = Vec::new();
    // Municipalities, sections and plain pages are lists of their files, not folders: Sveltia
    // reads each file with the collection of the deepest folder that matches it, so a
    // `content/gminy/<m>` folder collection (services) would take `<m>/_index.md` and skip it as
    // an index file, and `content/forum` would take `forum/_index.md`. A listed file wins.
    let listed: Vec<(String, String)> =
        inputs.municipalities.iter().map(|m| (format!("gminy/{}/_index.md", m.folder), m.title.clone())).collect();
    collections.push(files_collection("municipalities", "Gminy", "municipality", &listed, inputs));
    // Every service, for listing and as the target of `@/` references; a new one is created in
    // its municipality's collection below.
    let service_filter = json!({"field": "service.category", "value": Category::codes()});
    // A nested collection two levels deep (`krakow/punkt.md`) without a `path` template: the
    // entry slug is then the whole path under the folder, which the relations write.
    let mut all = collection("services", "Usługi (wszystkie gminy)", "content/gminy", "service", inputs);
    all["nested"] = json!({"depth": 2, "subfolders": false});
    all["create"] = json!(false);
    all["filter"] = service_filter.clone();
    collections.push(all);
    for m in &inputs.municipalities {
        let mut c = collection(
            &format!("services-{}", m.folder),
            &format!("Usługi: {}", m.title),
            &format!("content/gminy/{}", m.folder),
            "service",
            inputs,
        );
        c["filter"] = service_filter.clone();
        // The map picker opens on this municipality (its boundary from the published file).
        if let Some(fields) = c["fields"].as_array_mut() {
            set_option(fields, "coordinates", "municipality", &m.teryt);
        }
        collections.push(c);
    }
    let mut forum = collection("forum", "Spotkania forum", "content/forum", "forum", inputs);
    forum["filter"] = json!({"field": "forum.forum", "value": ForumName::codes()});
    collections.push(forum);
    let mut guides = collection("guides", "Poradniki dla migrantów", "content/migranci", "guide", inputs);
    guides["filter"] = json!({"field": "guide.source.0.id", "pattern": "."});
    collections.push(guides);
    collections.push(files_collection("pages", "Strony", "page", &inputs.pages, inputs));
    collections.push(files_collection("sections", "Działy", "section", &inputs.sections, inputs));
    // The statement has its facts in every language: one file each, edited as a whole.
    let statement_files: Vec<Json> = config
        .languages
        .iter()
        .map(|l| {
            let suffix = if l.code == config.default_language { String::new() } else { format!(".{}", l.code) };
            let mut fields = object_fields(&front_matter_schema("accessibility_statement"), inputs, "");
            fields.push(json!({"name": "body", "label": field_label("body"), "widget": "markdown", "required": false}));
            json!({
                "name": format!("accessibility-{}", l.code), "label": format!("Deklaracja dostępności ({})", l.name),
                "file": format!("content/deklaracja-dostepnosci{suffix}.md"),
                "format": "toml-frontmatter", "frontmatter_delimiter": "+++", "fields": fields,
            })
        })
        .collect();
    collections.push(json!({"name": "accessibility", "label": "Deklaracja dostępności", "files": statement_files}));

    let locales: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let repo = cms.repo.clone().unwrap_or_else(|| format!("{LOCAL_ONLY_OWNER}/{}", cms.folder_name));
    let mut backend = json!({"name": cms.backend, "repo": repo, "branch": cms.branch});
    if let Some(url) = &cms.auth_url {
        backend["base_url"] = json!(url);
    }
    if let Some(url) = &cms.api_root {
        backend["api_root"] = json!(url);
    }
    let root = json!({
        "backend": backend,
        "site_url": config.base_url,
        "media_folder": "content/media",
        "public_folder": "/media",
        "output": {"omit_empty_optional_fields": true},
        // File names as the content has them: ASCII, Polish letters transliterated
        // ("Klub dziecięcy „Słoneczko”" → `klub-dzieciecy-sloneczko.md`).
        "slug": {"encoding": "ascii", "clean_accents": true},
        "i18n": {
            "structure": "multiple_files",
            "locales": locales,
            "default_locale": config.default_language,
            "omit_default_locale_from_file_path": true,
            // A new entry is Polish only; a translation is added when somebody writes it (an
            // empty `name.en.md` would be a page without a title).
            "initial_locales": "default",
        },
        "collections": collections,
    });
    format!(
        "# Generated by `metroportal build` from the typed schema (src/schema, src/cms). Do not edit:\n# change the schema or config.toml [cms] and build again.\n{}\n",
        serde_json::to_string_pretty(&root).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_font_address_is_in_the_vendored_script_and_none_is_left() {
        let original = String::from_utf8_lossy(SVELTIA_JS);
        for (remote, _, bytes) in FONTS {
            assert_eq!(original.matches(remote).count(), 1, "{remote}");
            assert!(bytes.len() > 1000);
        }
        assert_eq!(original.matches(LOCALES_BASE.0).count(), 1);
        let relocated = std::str::from_utf8(sveltia_script()).unwrap();
        assert!(!relocated.contains("cdn.jsdelivr.net/fontsource"));
        let saved = FONTS.iter().map(|(r, l, _)| r.len() - l.len()).sum::<usize>() + LOCALES_BASE.0.len()
            - LOCALES_BASE.1.len();
        assert_eq!(relocated.len(), original.len() - saved);
    }

    #[test]
    fn the_import_map_names_the_module_the_script_imports() {
        // The script builds `https://unpkg.com/<name>@<its dependency's version>/<file>`.
        let script = String::from_utf8_lossy(SVELTIA_JS);
        assert!(script.contains("immutable:`^5.1.9`") && script.contains("YW(`immutable`,`dist/immutable.es.js`)"));
        let map: Json = serde_json::from_str(IMPORT_MAP).unwrap();
        assert_eq!(
            map["imports"]["https://unpkg.com/immutable@5.1.9/dist/immutable.es.js"],
            json!("./vendor/immutable.es.js")
        );
    }

    #[test]
    fn switches_left_out_have_the_builds_defaults() {
        let defaults = switch_defaults();
        assert_eq!(defaults.get("draft"), Some(&false));
        assert_eq!(defaults.get("service.source.approximate"), Some(&false));
        assert_eq!(defaults.get("municipality.seat.verified"), Some(&true));
        assert_eq!(defaults.get("service.verified"), None, "required: always written");
    }

    #[test]
    fn the_policy_lets_the_backend_api_in_and_nothing_else_from_outside() {
        let mut cms: CmsConfig = toml::from_str("").unwrap();
        assert!(admin_policy(&cms).contains("connect-src 'self' blob: data: https://api.github.com;"));
        cms.backend = "gitlab".into();
        assert!(admin_policy(&cms).contains("connect-src 'self' blob: data: https://gitlab.com;"));
        cms.api_root = Some("https://gitlab.example.org/api/v4".into());
        assert!(admin_policy(&cms).contains("connect-src 'self' blob: data: https://gitlab.example.org;"));
        assert!(admin_policy(&cms).contains(IMPORT_MAP_HASH));
    }
}
