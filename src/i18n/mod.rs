//! Languages: UI strings from the theme's Fluent files with CLDR plural rules, locale-correct
//! dates (ICU4X) and locale-correct sorting (ICU4X collation).

use std::collections::HashMap;
use std::path::Path;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use icu_calendar::{Date, Gregorian};
use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{YMD, YMDE};
use icu_locale_core::Locale;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// How long a formatted date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateStyle {
    /// `1 maja 2026`
    Long,
    /// `1 maj 2026` or `1 May 2026`, as the locale's medium form
    Medium,
    /// `1.05.2026`
    Short,
    /// `piątek, 1 maja 2026`
    Full,
}

impl DateStyle {
    pub(crate) fn parse(name: &str) -> Option<DateStyle> {
        Some(match name {
            "long" => DateStyle::Long,
            "medium" => DateStyle::Medium,
            "short" => DateStyle::Short,
            "full" => DateStyle::Full,
            _ => return None,
        })
    }
}

struct LanguageData {
    bundle: FluentBundle<FluentResource>,
    /// The Fluent file as read, compared entry by entry between two builds.
    source: String,
    long: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    medium: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    short: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    full: FixedCalendarDateTimeFormatter<Gregorian, YMDE>,
    collator: CollatorBorrowed<'static>,
}

/// Everything language-specific the templates need, for every configured language.
/// `Send + Sync`, so rayon workers share one instance.
pub(crate) struct Locales {
    languages: HashMap<String, LanguageData>,
}

/// What the UI strings were, entry by entry, as hashes: per language the hash of its file and
/// of each message (`key`) and term (`-key`).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct StringPrints {
    langs: std::collections::BTreeMap<String, (u64, std::collections::BTreeMap<String, u64>)>,
}

impl StringPrints {
    /// The keys whose message differs in some language between `before` and `self`; `None`
    /// when a term changed (terms are used inside other messages, which cannot be followed).
    pub(crate) fn changed_keys(&self, before: &StringPrints) -> Option<std::collections::BTreeSet<String>> {
        let mut changed = std::collections::BTreeSet::new();
        let empty = (0, std::collections::BTreeMap::new());
        for code in self.langs.keys().chain(before.langs.keys()) {
            let (now, then) = (self.langs.get(code).unwrap_or(&empty), before.langs.get(code).unwrap_or(&empty));
            if now.0 == then.0 && now.0 != 0 {
                continue;
            }
            for key in now.1.keys().chain(then.1.keys()) {
                if now.1.get(key) != then.1.get(key) {
                    if key.starts_with('-') {
                        return None;
                    }
                    changed.insert(key.clone());
                }
            }
        }
        Some(changed)
    }
}

impl Locales {
    /// Loads `<theme_dir>/i18n/<lang>.ftl` for every configured language. Syntax errors and
    /// missing files go to `diags` with their line.
    pub(crate) fn load(root: &Path, theme_dir: &Path, config: &Config, diags: &Diagnostics) -> Option<Locales> {
        let mut languages = HashMap::new();
        let mut ok = true;
        for lang in &config.languages {
            let path = theme_dir.join("i18n").join(format!("{}.ftl", lang.code));
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(err) => {
                    diags.push(
                        Diagnostic::error("ui-strings-missing", format!("cannot read UI strings: {err}"))
                            .at(Location::file(&rel))
                            .lang(&lang.code)
                            .hint("every configured language needs a Fluent file in the theme's i18n folder"),
                    );
                    ok = false;
                    continue;
                }
            };
            let resource = match FluentResource::try_new(text.clone()) {
                Ok(resource) => resource,
                Err((resource, errors)) => {
                    for err in errors {
                        diags.push(
                            Diagnostic::error("ui-strings-syntax", format!("Fluent syntax error: {}", err.kind))
                                .at(Location::from_span(&rel, &text, err.pos.clone()))
                                .lang(&lang.code),
                        );
                    }
                    ok = false;
                    resource
                }
            };
            // Both libraries must understand the locale: ICU (dates, collation) and Fluent
            // (plurals). Falling back to the root locale would silently lose plural forms.
            let (locale, langid) =
                match (lang.locale.parse::<Locale>(), lang.locale.parse::<unic_langid::LanguageIdentifier>()) {
                    (Ok(locale), Ok(langid)) => (locale, langid),
                    (icu, _) => {
                        let which = if icu.is_err() { "dates and sorting (ICU)" } else { "plural rules (Fluent)" };
                        diags.push(
                            Diagnostic::error(
                                "config-locale",
                                format!("locale `{}` cannot be used for {which}", lang.locale),
                            )
                            .at(Location::file("config.toml"))
                            .lang(&lang.code)
                            .hint("use a plain language-REGION tag, e.g. locale = \"pl-PL\""),
                        );
                        ok = false;
                        continue;
                    }
                };
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // Isolation marks (U+2068/U+2069) would end up inside HTML attributes and titles.
            bundle.set_use_isolating(false);
            if let Err(errors) = bundle.add_resource(resource) {
                for err in errors {
                    diags.push(
                        Diagnostic::error("ui-strings-duplicate", err.to_string())
                            .at(Location::file(&rel))
                            .lang(&lang.code),
                    );
                }
                ok = false;
            }
            let prefs = (&locale).into();
            // Missing locale data is reported, never a silent failure with no message.
            let no_data = |what: &str, err: String| {
                Diagnostic::error("locale-data", format!("no {what} data for locale `{}`: {err}", lang.locale))
                    .at(Location::file("config.toml"))
                    .lang(&lang.code)
                    .hint("use a locale the generator has data for, e.g. pl-PL, en-GB or uk-UA")
            };
            let formatters = (
                FixedCalendarDateTimeFormatter::try_new(prefs, YMD::long()),
                FixedCalendarDateTimeFormatter::try_new(prefs, YMD::medium()),
                FixedCalendarDateTimeFormatter::try_new(prefs, YMD::short()),
                FixedCalendarDateTimeFormatter::try_new(prefs, YMDE::long()),
            );
            let collator = Collator::try_new((&locale).into(), CollatorOptions::default());
            match (formatters, collator) {
                ((Ok(long), Ok(medium), Ok(short), Ok(full)), Ok(collator)) => {
                    languages.insert(
                        lang.code.clone(),
                        LanguageData { bundle, source: text, long, medium, short, full, collator },
                    );
                }
                ((long, medium, short, full), collator) => {
                    if let Some(err) = [long.err(), medium.err(), short.err()].into_iter().flatten().next() {
                        diags.push(no_data("date format", err.to_string()));
                    } else if let Err(err) = full {
                        diags.push(no_data("date format", err.to_string()));
                    }
                    if let Err(err) = collator {
                        diags.push(no_data("collation", err.to_string()));
                    }
                    ok = false;
                }
            }
        }
        ok.then_some(Locales { languages })
    }

    /// A fingerprint of every entry of every language, to tell later which keys changed
    /// ([`StringPrints::changed_keys`]). A language whose file is as in `previous` keeps its
    /// entries' hashes without being parsed again.
    pub(crate) fn fingerprint(&self, previous: Option<&StringPrints>) -> StringPrints {
        use fluent_syntax::ast::Entry;
        let digest =
            |bytes: &[u8]| u64::from_le_bytes(blake3::hash(bytes).as_bytes()[..8].try_into().expect("8 bytes"));
        let mut langs = std::collections::BTreeMap::new();
        for (code, data) in &self.languages {
            let source_hash = digest(data.source.as_bytes());
            if let Some(kept) = previous.and_then(|p| p.langs.get(code)).filter(|(h, _)| *h == source_hash) {
                langs.insert(code.clone(), kept.clone());
                continue;
            }
            let resource = FluentResource::try_new(data.source.clone()).unwrap_or_else(|(partial, _)| partial);
            // Key → the hash of the entry's Debug form, a faithful copy of what it says.
            let entries = resource
                .entries()
                .filter_map(|entry| match entry {
                    Entry::Message(m) => Some((m.id.name.to_string(), digest(format!("{entry:?}").as_bytes()))),
                    Entry::Term(t) => Some((format!("-{}", t.id.name), digest(format!("{entry:?}").as_bytes()))),
                    _ => None,
                })
                .collect();
            langs.insert(code.clone(), (source_hash, entries));
        }
        StringPrints { langs }
    }

    /// Formats the UI string `key` in `lang`. `count` selects the plural form (CLDR rules of
    /// the language) and is available to the message as `$count`.
    pub(crate) fn message(&self, lang: &str, key: &str, args: &[(&str, FluentValue<'_>)]) -> Result<String, String> {
        crate::deps::record(crate::deps::Dep::String(key.into()));
        let data = self.languages.get(lang).ok_or_else(|| format!("no UI strings for language `{lang}`"))?;
        let message =
            data.bundle.get_message(key).ok_or_else(|| format!("UI string `{key}` is missing in {lang}.ftl"))?;
        let pattern = message.value().ok_or_else(|| format!("UI string `{key}` has no value"))?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        let text = data.bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        match errors.first() {
            Some(err) => Err(format!("UI string `{key}` in {lang}.ftl: {err}")),
            None => Ok(text.into_owned()),
        }
    }

    /// `2026-05-01` → `1 maja 2026` (pl), `1 травня 2026 р.` (uk), `1 May 2026` (en).
    pub(crate) fn format_date(
        &self,
        lang: &str,
        (year, month, day): (i32, u8, u8),
        style: DateStyle,
    ) -> Option<String> {
        let data = self.languages.get(lang)?;
        let date = Date::try_new_gregorian(year, month, day).ok()?;
        Some(match style {
            DateStyle::Long => data.long.format(&date).to_string(),
            DateStyle::Medium => data.medium.format(&date).to_string(),
            DateStyle::Short => data.short.format(&date).to_string(),
            DateStyle::Full => data.full.format(&date).to_string(),
        })
    }

    /// Compares two strings in the collation order of `lang` (Polish: S < Ś < T).
    pub(crate) fn compare(&self, lang: &str, a: &str, b: &str) -> std::cmp::Ordering {
        match self.languages.get(lang) {
            Some(data) => data.collator.compare(a, b).then_with(|| a.cmp(b)),
            None => a.cmp(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locales(ftl: &[(&str, &str, &str)]) -> Locales {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("i18n")).unwrap();
        let mut config = String::from("base_url = \"https://e.org\"\ntheme = \"t\"\n");
        for (code, locale, text) in ftl {
            std::fs::write(dir.path().join(format!("i18n/{code}.ftl")), text).unwrap();
            config.push_str(&format!(
                "[[languages]]\ncode = \"{code}\"\nname = \"x\"\nlocale = \"{locale}\"\ntitle = \"x\"\n"
            ));
        }
        let config: Config = toml::from_str(&config).unwrap();
        let diags = Diagnostics::new();
        let locales = Locales::load(dir.path(), dir.path(), &config, &diags);
        assert!(!diags.has_errors(), "{:?}", diags.into_sorted());
        locales.unwrap()
    }

    #[test]
    fn plurals_follow_cldr() {
        let l = locales(&[
            (
                "pl",
                "pl-PL",
                "n = { $count ->\n    [one] { $count } usługa\n    [few] { $count } usługi\n    [many] { $count } usług\n   *[other] { $count } usługi\n}\n",
            ),
            (
                "uk",
                "uk-UA",
                "n = { $count ->\n    [one] { $count } послуга\n    [few] { $count } послуги\n    [many] { $count } послуг\n   *[other] { $count } послуги\n}\n",
            ),
        ]);
        let n = |lang: &str, count: i64| l.message(lang, "n", &[("count", count.into())]).unwrap();
        assert_eq!(n("pl", 1), "1 usługa");
        assert_eq!(n("pl", 2), "2 usługi");
        assert_eq!(n("pl", 5), "5 usług");
        assert_eq!(n("pl", 22), "22 usługi");
        assert_eq!(n("pl", 25), "25 usług");
        assert_eq!(n("uk", 21), "21 послуга");
        assert_eq!(n("uk", 3), "3 послуги");
        assert_eq!(n("uk", 11), "11 послуг");
        assert!(l.message("pl", "missing", &[]).unwrap_err().contains("missing"));
    }

    #[test]
    fn dates_are_locale_correct() {
        let l = locales(&[("pl", "pl-PL", "a = b\n"), ("uk", "uk-UA", "a = b\n"), ("en", "en-GB", "a = b\n")]);
        assert_eq!(l.format_date("pl", (2026, 5, 1), DateStyle::Long).unwrap(), "1 maja 2026");
        assert_eq!(l.format_date("uk", (2026, 5, 1), DateStyle::Long).unwrap(), "1 травня 2026\u{202f}р.");
        assert_eq!(l.format_date("en", (2026, 5, 1), DateStyle::Long).unwrap(), "1 May 2026");
        assert_eq!(l.format_date("pl", (2026, 5, 1), DateStyle::Full).unwrap(), "piątek, 1 maja 2026");
    }

    #[test]
    fn polish_collation() {
        let l = locales(&[("pl", "pl-PL", "a = b\n")]);
        let mut names = vec!["Świątniki Górne", "Szczecin", "Skawina", "Zielonki", "Łódź", "Liszki"];
        names.sort_by(|a, b| l.compare("pl", a, b));
        assert_eq!(names, ["Liszki", "Łódź", "Skawina", "Szczecin", "Świątniki Górne", "Zielonki"]);
    }
}
