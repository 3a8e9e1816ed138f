//! Site configuration: reads `config.toml` into a typed [`Config`] (unknown keys are errors) and
//! checks what the rest of the pipeline relies on (a default language that exists, unique
//! language codes, a usable base URL).

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// The whole `config.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Config {
    /// Absolute URL of the published site, e.g. `https://example.org/portal`.
    pub base_url: String,
    /// Code of the language served at `/` (its files have no language suffix).
    #[serde(default = "default_language")]
    pub default_language: String,
    /// The time zone that decides what "today" is (`Europe/Warsaw` unless set).
    #[serde(default)]
    pub time_zone: crate::dates::TimeZone,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Content paths of sections that get an Atom feed per language, e.g. `"forum"`, with
    /// their place in config.toml for the error when no such section exists.
    #[serde(default)]
    pub feeds: Vec<toml::Spanned<String>>,
    /// Languages in display order; the first need not be the default.
    pub languages: Vec<LanguageConfig>,
    #[serde(default)]
    pub taxonomies: Vec<TaxonomyConfig>,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Data files of the typed content.
    #[serde(default)]
    pub data: DataConfig,
    /// What `check` and `build` report.
    #[serde(default)]
    pub checks: ChecksConfig,
    /// The service maps: map page and tile source of the interactive map.
    #[serde(default)]
    pub map: MapConfig,
    /// `[cms]`: the editing interface under `/admin/` (src/cms); absent means none.
    #[serde(default)]
    pub cms: Option<CmsConfig>,
    /// Free data for the theme.
    #[serde(default)]
    pub extra: toml::Table,
}

fn default_language() -> String {
    "pl".to_string()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LanguageConfig {
    /// ISO 639-1 code used in file names (`x.en.md`) and URLs (`/en/`).
    pub code: String,
    /// The language's name in itself (`Українська`), for the language switcher.
    pub name: String,
    /// BCP 47 locale for dates, plurals and collation, e.g. `pl-PL`.
    pub locale: String,
    /// The site title in this language.
    pub title: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TaxonomyConfig {
    /// Key in the front matter's `[taxonomies]` table and the URL segment (`/categories/`).
    pub name: String,
    /// Terms per pager on term pages; 0 or absent lists every page on one page.
    #[serde(default)]
    pub paginate_by: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MarkdownConfig {
    /// Curly quotes, dashes and ellipses, with quotes right for each language
    /// (Polish „…”, Ukrainian «…», English “…”). Default: true.
    #[serde(default = "yes")]
    pub smart_punctuation: bool,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct DataConfig {
    /// GeoJSON of the municipalities' boundaries (relative to the site root); required when
    /// there are `[municipality]` pages.
    pub boundaries: Option<String>,
    /// The registry of source documents that `source = "seed:NNN"` names (relative to the site
    /// root), e.g. `content/dane/zrodla.toml`.
    pub sources: Option<String>,
}

/// `[map]`: the map page and the background tiles of the interactive map. Without tiles (or
/// when they fail to load) the map still shows boundaries and services on a plain background.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MapConfig {
    /// Content file of the map page (e.g. `"mapa.md"`), rendered with `map.html`; a map page per
    /// service category is generated below it.
    pub page: Option<String>,
    /// Tile URL template with `{z}`, `{x}` and `{y}` (and optionally `{s}`); `""` for no tiles.
    #[serde(default = "osm_tiles")]
    pub tiles: String,
    /// Attribution text the tile provider requires, shown on the map.
    #[serde(default = "osm_attribution")]
    pub attribution: String,
    /// Where the attribution links to.
    #[serde(default = "osm_attribution_url")]
    pub attribution_url: String,
    /// Highest zoom level the tile source serves.
    #[serde(default = "nineteen")]
    pub max_zoom: u8,
}

impl Default for MapConfig {
    fn default() -> Self {
        MapConfig {
            page: None,
            tiles: osm_tiles(),
            attribution: osm_attribution(),
            attribution_url: osm_attribution_url(),
            max_zoom: nineteen(),
        }
    }
}

/// `[cms]`: where the editing interface commits (README, "Editing without git").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CmsConfig {
    /// `github` or `gitlab` (Sveltia CMS backends); the local-folder mode works with either.
    #[serde(default = "github")]
    pub backend: String,
    /// `owner/name` of the repository.
    pub repo: Option<String>,
    #[serde(default = "main_branch")]
    pub branch: String,
    /// The OAuth client that signs editors in to GitHub (e.g. a sveltia-cms-auth worker).
    pub auth_url: Option<String>,
    /// The API of a self-hosted GitLab, e.g. `https://gitlab.example.org/api/v4`.
    pub api_root: Option<String>,
    /// The name of the site's folder (not read from the file): what an editor picks in Sveltia's
    /// local-folder mode, shown by it as the repository's name while `repo` is not set.
    #[serde(skip)]
    pub folder_name: String,
}

impl CmsConfig {
    /// The backend and the repository, at their keys in config.toml. Without `repo` the editing
    /// interface works only in Sveltia's local-folder mode (a warning says so).
    fn validate(&self, text: &str) -> Vec<Diagnostic> {
        let rel = Path::new("config.toml");
        let table = text.find("[cms]").unwrap_or(0);
        let at = |key: &str| -> Location {
            let header = text[table..].split_inclusive('\n').next().map_or(0, str::len);
            let mut offset = table + header;
            for line in text[table + header..].split_inclusive('\n') {
                let rest = line.trim_start();
                if rest.starts_with('[') {
                    break;
                }
                if rest.strip_prefix(key).is_some_and(|after| after.trim_start().starts_with('=')) {
                    let start = offset + (line.len() - rest.len());
                    return Location::from_span(rel, text, start..start + rest.trim_end().len());
                }
                offset += line.len();
            }
            let end = table + text[table..].find('\n').unwrap_or(text.len() - table);
            Location::from_span(rel, text, table..end)
        };
        let mut problems = Vec::new();
        if !["github", "gitlab"].contains(&self.backend.as_str()) {
            problems.push(
                Diagnostic::error("config-cms-backend", format!("[cms] backend `{}` is not supported", self.backend))
                    .at(at("backend"))
                    .hint("backend = \"github\" or backend = \"gitlab\""),
            );
        }
        match &self.repo {
            Some(repo) => {
                let mut parts = repo.split('/');
                let valid = repo.split('/').count() >= 2
                    && parts.all(|p| !p.is_empty() && !p.contains(':') && !p.chars().any(char::is_whitespace));
                if !valid {
                    problems.push(
                        Diagnostic::error("config-cms-repo", format!("[cms] repo `{repo}` is not `owner/name`"))
                            .at(at("repo"))
                            .hint("the repository's path on GitHub or GitLab, e.g. repo = \"owner/name\""),
                    );
                }
            }
            None => problems.push(
                Diagnostic::warning(
                    "cms-local-only",
                    "[cms] has no repo: /admin/ works only in local-folder mode (\"Work with Local Repository\" on http://localhost)",
                )
                .at(at("repo"))
                .hint("once the site's repository exists, set repo = \"owner/name\" to let editors sign in and commit from the browser"),
            ),
        }
        problems
    }
}

fn github() -> String {
    "github".to_string()
}

fn main_branch() -> String {
    "main".to_string()
}

fn osm_tiles() -> String {
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png".to_string()
}

fn osm_attribution() -> String {
    "© OpenStreetMap contributors".to_string()
}

fn osm_attribution_url() -> String {
    "https://www.openstreetmap.org/copyright".to_string()
}

fn nineteen() -> u8 {
    19
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChecksConfig {
    /// A service whose `reviewed` date is older than this many months is reported. Default: 12.
    #[serde(default = "twelve")]
    pub review_max_age_months: u32,
    /// A fact whose source is older than this many months shows its date beside it and is
    /// listed on the completeness page. Default: 36 (three years).
    #[serde(default = "thirty_six")]
    pub stale_after_months: u32,
}

impl Default for ChecksConfig {
    fn default() -> Self {
        ChecksConfig { review_max_age_months: 12, stale_after_months: 36 }
    }
}

fn thirty_six() -> u32 {
    36
}

fn twelve() -> u32 {
    12
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig { smart_punctuation: true }
    }
}

fn yes() -> bool {
    true
}

/// The location of `key = …` inside the `[map]` table of config.toml (the file when absent),
/// from the TOML parser's spans: a `[map]` in a comment or a `page =` of another table is never
/// taken for it.
pub(crate) fn map_key_location(text: &str, key: &str) -> Location {
    let rel = Path::new("config.toml");
    let Ok(root) = toml::de::DeTable::parse(text) else { return Location::file(rel) };
    let map = root.get_ref().iter().find(|(k, _)| k.get_ref() == "map").map(|(_, v)| v);
    let Some(toml::de::DeValue::Table(map)) = map.map(|v| v.get_ref()) else { return Location::file(rel) };
    match map.iter().find(|(k, _)| k.get_ref() == key) {
        Some((k, v)) => Location::from_span(rel, text, k.span().start..v.span().end.max(k.span().end)),
        None => Location::file(rel),
    }
}

impl MapConfig {
    /// Tile URL, attribution and zoom problems, each at its key in config.toml.
    fn validate(&self, text: &str) -> Vec<Diagnostic> {
        let at = |key: &str| map_key_location(text, key);
        let mut problems = Vec::new();
        let http = |u: &str| u.starts_with("https://") || u.starts_with("http://");
        if !self.tiles.is_empty() {
            let missing: Vec<&str> = ["{z}", "{x}", "{y}"].into_iter().filter(|p| !self.tiles.contains(p)).collect();
            if !http(&self.tiles) || !missing.is_empty() {
                let why = if http(&self.tiles) {
                    format!("lacks {}", missing.join(", "))
                } else {
                    "is not an http(s) URL".to_string()
                };
                problems.push(
                    Diagnostic::error("config-map-tiles", format!("[map] tiles {why}")).at(at("tiles")).hint(
                        "for example tiles = \"https://tile.openstreetmap.org/{z}/{x}/{y}.png\", or \"\" for no tiles",
                    ),
                );
            }
            if self.attribution.trim().is_empty() {
                problems.push(
                    Diagnostic::error("config-map-attribution", "[map] tiles need an attribution")
                        .at(at("attribution"))
                        .hint("tile providers require credit, e.g. attribution = \"© OpenStreetMap contributors\""),
                );
            }
        }
        if !self.attribution_url.is_empty() && !http(&self.attribution_url) {
            problems.push(
                Diagnostic::error("config-map-attribution", "[map] attribution_url is not an http(s) URL")
                    .at(at("attribution_url"))
                    .hint("for example attribution_url = \"https://www.openstreetmap.org/copyright\""),
            );
        }
        if !(1..=22).contains(&self.max_zoom) {
            problems.push(
                Diagnostic::error(
                    "config-map-zoom",
                    format!("[map] max_zoom {} is not between 1 and 22", self.max_zoom),
                )
                .at(at("max_zoom")),
            );
        }
        problems
    }
}

impl Config {
    /// Whether the section with content key `key` (`forum/_index.md`) has a feed.
    pub(crate) fn has_feed(&self, section_key: &str) -> bool {
        self.feeds.iter().any(|f| Self::feed_key(f.get_ref()) == section_key)
    }

    /// The content key of the section a `feeds` entry names: `"forum"` → `forum/_index.md`.
    pub(crate) fn feed_key(feed: &str) -> String {
        format!("{}/_index.md", feed.trim_matches('/'))
    }

    /// Reads and validates `<root>/config.toml`. Problems go to `diags`; `None` when the file
    /// cannot be used at all.
    pub(crate) fn load(root: &Path, diags: &Diagnostics) -> Option<Config> {
        let path = root.join("config.toml");
        let rel = Path::new("config.toml");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) => {
                diags.push(
                    Diagnostic::error("config-missing", format!("cannot read config.toml: {err}"))
                        .at(Location::file(rel))
                        .hint("run metroportal from the site folder or pass --root DIR"),
                );
                return None;
            }
        };
        let mut config: Config = match toml::from_str(&text) {
            Ok(config) => config,
            Err(err) => {
                let location = match err.span() {
                    Some(span) => Location::from_span(rel, &text, span),
                    None => Location::file(rel),
                };
                diags.push(Diagnostic::error("config-invalid", err.message().to_string()).at(location));
                return None;
            }
        };
        if let Some(cms) = &mut config.cms {
            let folder = root.canonicalize().ok().and_then(|r| r.file_name().map(|n| n.to_string_lossy().into_owned()));
            cms.folder_name = folder.filter(|n| !n.contains(['/', ':'])).unwrap_or_else(|| "portal".to_string());
        }
        let problems = config.validate(&text);
        let ok = problems.iter().all(|p| p.severity != crate::diagnostics::Severity::Error);
        diags.extend(problems);
        ok.then_some(config)
    }

    fn validate(&self, text: &str) -> Vec<Diagnostic> {
        let rel = Path::new("config.toml");
        let at = |needle: &str| -> Location {
            match text.find(needle) {
                Some(start) => Location::from_span(rel, text, start..start + needle.len()),
                None => Location::file(rel),
            }
        };
        let mut problems = Vec::new();
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            problems.push(
                Diagnostic::error("config-base-url", "base_url must be an absolute http(s) URL")
                    .at(at("base_url"))
                    .hint("for example base_url = \"https://example.org\""),
            );
        }
        if self.languages.is_empty() {
            problems.push(
                Diagnostic::error("config-languages", "no languages are configured")
                    .at(Location::file(rel))
                    .hint("add a [[languages]] table with code, name, locale and title"),
            );
        }
        let mut seen = Vec::new();
        for lang in &self.languages {
            let valid = (2..=3).contains(&lang.code.len()) && lang.code.bytes().all(|b| b.is_ascii_lowercase());
            if !valid {
                problems.push(
                    Diagnostic::error("config-language-code", format!("`{}` is not a language code", lang.code))
                        .at(at(&format!("\"{}\"", lang.code)))
                        .hint("use a two-letter ISO 639-1 code in lower case, e.g. \"uk\""),
                );
            }
            if lang.locale.parse::<icu_locale_core::Locale>().is_err() {
                problems.push(
                    Diagnostic::error("config-locale", format!("`{}` is not a BCP 47 locale", lang.locale))
                        .at(at(&format!("\"{}\"", lang.locale)))
                        .hint("for example locale = \"pl-PL\""),
                );
            }
            if seen.contains(&lang.code.as_str()) {
                problems.push(
                    Diagnostic::error(
                        "config-language-duplicate",
                        format!("language `{}` is configured twice", lang.code),
                    )
                    .at(at(&format!("\"{}\"", lang.code))),
                );
            }
            seen.push(&lang.code);
        }
        if !self.languages.is_empty() && !seen.contains(&self.default_language.as_str()) {
            problems.push(
                Diagnostic::error(
                    "config-default-language",
                    format!("default_language `{}` is not among the languages", self.default_language),
                )
                .at(at("default_language"))
                .hint(format!("configured languages: {}", seen.join(", "))),
            );
        }
        for tax in &self.taxonomies {
            if crate::slug::slugify(&tax.name, "en") != tax.name {
                problems.push(
                    Diagnostic::error(
                        "config-taxonomy",
                        format!("taxonomy name `{}` cannot be used in URLs", tax.name),
                    )
                    .at(at(&format!("\"{}\"", tax.name)))
                    .hint("use lower-case ASCII letters, digits and hyphens"),
                );
            }
        }
        problems.extend(self.map.validate(text));
        if let Some(cms) = &self.cms {
            problems.extend(cms.validate(text));
        }
        problems
    }

    /// Language codes in display order.
    pub(crate) fn language_codes(&self) -> impl Iterator<Item = &str> {
        self.languages.iter().map(|l| l.code.as_str())
    }

    /// URL prefix of a language: empty for the default language, `/en` for English.
    pub(crate) fn lang_prefix(&self, lang: &str) -> String {
        if lang == self.default_language { String::new() } else { format!("/{lang}") }
    }

    /// The path part of `base_url` without a trailing slash (`""` for a site at the host root).
    pub(crate) fn base_path(&self) -> &str {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].trim_end_matches('/'),
            None => "",
        }
    }

    /// `base_url` without a trailing slash.
    pub(crate) fn base_url_trimmed(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The absolute URL of a site path (a path that already includes the base path).
    pub(crate) fn absolute(&self, site_path: &str) -> String {
        let base = self.base_url_trimmed();
        let host = &base[..base.len() - self.base_path().len()];
        format!("{host}{site_path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base_url: &str) -> Config {
        toml::from_str(&format!(
            "base_url = \"{base_url}\"\ntheme = \"t\"\n[[languages]]\ncode = \"pl\"\nname = \"Polski\"\nlocale = \"pl-PL\"\ntitle = \"T\"\n"
        ))
        .unwrap()
    }

    #[test]
    fn base_path_and_absolute_urls() {
        let c = config("https://example.org/portal/");
        assert_eq!(c.base_path(), "/portal");
        assert_eq!(c.absolute("/portal/en/"), "https://example.org/portal/en/");
        let c = config("https://example.org");
        assert_eq!(c.base_path(), "");
        assert_eq!(c.absolute("/en/"), "https://example.org/en/");
    }

    #[test]
    fn map_keys_are_found_by_their_spans_not_by_text_search() {
        let text = "# the [map] table below: page = \"x\"\nbase_url = \"https://e.org\"\n\n[extra]\npage = \"not this\"\n\n[map]\n  page = \"mapa.md\" # here\n";
        let at = map_key_location(text, "page");
        assert_eq!((at.line, at.column), (8, 3));
        assert_eq!(at.line_text.as_deref(), Some("  page = \"mapa.md\" # here"));
        assert_eq!(map_key_location(text, "tiles").line, 0);
        assert_eq!(map_key_location("# [map]\npage = 1\n", "page").line, 0);
    }
}
