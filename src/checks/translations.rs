//! Translation coverage: for every section and language, how many pages are translated, how
//! many translations are outdated (the Polish source changed after they were written), how many
//! carry no record of their source, and how many are missing (shown as the Polish fallback).
//!
//! "Outdated" works without git: a translation records in its front matter
//! `source_hash = "…"`, the first 12 hex digits of the BLAKE3 hash of its default-language
//! source, normalized ([`source_hash`]). `metroportal translated <file>` ([`stamp`]) writes it
//! after a translator has brought the text up to date; `check` recomputes the hash and reports
//! a mismatch.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::content::NodeId;
use crate::content::front_matter::{self, SOURCE_HASH_LEN};
use crate::diagnostics::{Diagnostic, Location, display_path};
use crate::model::SiteData;

/// Front-matter keys left out of the hash: they are not translated (each language sets its own
/// slug and weight; dates, drafts and templates are structure), and the fact tables live only in
/// the Polish file, which the translated pages show as they are. Changing a phone number in the
/// Polish file therefore does not make the English text outdated; changing the title, the
/// description, the text, or a translated kind table (`[forum]`, `[guide]`,
/// `[accessibility_statement]`) does.
const NOT_TRANSLATED: &[&str] = &[
    "slug",
    "weight",
    "draft",
    "template",
    "sort_by",
    "paginate_by",
    "date",
    "updated",
    "source_hash",
    "service",
    "municipality",
];

/// The hash a translation of the file whose whole text is `text` records: BLAKE3 of the
/// normalized front matter (parsed TOML without [`NOT_TRANSLATED`] keys, so comments, key order
/// and spacing do not count) and the body (line endings and trailing spaces do not count).
pub(crate) fn source_hash(text: &str) -> Result<String, String> {
    let split = front_matter::split(Path::new(""), text).map_err(|d| d.message)?;
    let mut table: toml::Table =
        toml::from_str(split.toml).map_err(|err| format!("invalid TOML: {}", err.message()))?;
    for key in NOT_TRANSLATED {
        table.remove(*key);
    }
    let front = serde_json::to_string(&table).map_err(|err| err.to_string())?;
    let body: Vec<&str> = text[split.body_offset..].lines().map(str::trim_end).collect();
    let body = body.join("\n");
    let mut hasher = blake3::Hasher::new();
    hasher.update(front.as_bytes());
    hasher.update(b"\n+++\n");
    hasher.update(body.trim_matches('\n').as_bytes());
    Ok(hasher.finalize().to_hex()[..SOURCE_HASH_LEN].to_string())
}

/// The state of one translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Translated,
    Outdated,
    /// The translation has no `source_hash`: nobody recorded what it was translated from.
    Unstamped,
    /// No translation: the language shows the Polish text.
    Missing,
}

/// One cell of the table: a section in a language.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(crate) struct Row {
    /// The top-level folder under content/ (`gminy/`), or `/` for the files at the top.
    pub section: String,
    pub lang: String,
    /// Pages and sections with a default-language source.
    pub pages: usize,
    pub translated: usize,
    pub outdated: usize,
    pub unstamped: usize,
    pub missing: usize,
}

/// Counts every translation and reports outdated and unstamped ones as warnings.
pub(crate) fn coverage(site: &SiteData, warnings: &mut Vec<Diagnostic>) -> Vec<Row> {
    let library = &site.library;
    let default = library.default_lang;
    let mut rows: BTreeMap<(String, usize), Row> = BTreeMap::new();
    for (id, node) in library.nodes.iter().enumerate() {
        if node.docs[default].is_none() {
            continue;
        }
        let section = match node.key.split_once('/') {
            Some((top, _)) => format!("{top}/"),
            None => "/".to_string(),
        };
        let mut current: Option<Result<String, String>> = None;
        for lang in (0..library.langs.len()).filter(|&l| l != default) {
            let state = translation_state(site, id, lang, &mut current, warnings);
            let row = rows.entry((section.clone(), lang)).or_insert_with(|| Row {
                section: section.clone(),
                lang: library.langs[lang].clone(),
                ..Row::default()
            });
            row.pages += 1;
            match state {
                State::Translated => row.translated += 1,
                State::Outdated => row.outdated += 1,
                State::Unstamped => row.unstamped += 1,
                State::Missing => row.missing += 1,
            }
        }
    }
    rows.into_values().collect()
}

fn translation_state(
    site: &SiteData,
    id: NodeId,
    lang: usize,
    current: &mut Option<Result<String, String>>,
    warnings: &mut Vec<Diagnostic>,
) -> State {
    let node = &site.library.nodes[id];
    let source = node.docs[site.default_lang()].as_deref().expect("checked by the caller");
    let Some(doc) = node.docs[lang].as_deref() else {
        return State::Missing;
    };
    let code = site.lang_code(lang);
    let command = format!("metroportal translated {}", display_path(&doc.file));
    let Some(recorded) = &doc.fm.source_hash else {
        warnings.push(
            Diagnostic::warning(
                "translation-unstamped",
                format!(
                    "this translation does not record which version of {} it translates",
                    display_path(&source.file)
                ),
            )
            .at(Location { line: 1, ..Location::file(&doc.file) })
            .lang(code)
            .hint(format!("when the text matches the Polish file, run `{command}`")),
        );
        return State::Unstamped;
    };
    let current = current.get_or_insert_with(|| source_hash(&source.text));
    match current {
        Ok(hash) if *hash == recorded.value => State::Translated,
        Ok(hash) => {
            warnings.push(
                Diagnostic::warning(
                    "translation-outdated",
                    format!(
                        "outdated translation: {} changed after this text was translated (source_hash {} ≠ {hash})",
                        display_path(&source.file),
                        recorded.value
                    ),
                )
                .at(Location::from_span(&doc.file, &doc.text, recorded.span.clone()))
                .lang(code)
                .hint(format!("bring the text up to date with the Polish file, then run `{command}`")),
            );
            State::Outdated
        }
        // The source parsed when the site was loaded; this cannot fail unless it changed since.
        Err(_) => State::Unstamped,
    }
}

/// The table for a terminal: one line per section, a column group per language.
pub(crate) fn render_table(rows: &[Row]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut langs: Vec<&str> = rows.iter().map(|r| r.lang.as_str()).collect();
    langs.dedup();
    langs.sort_unstable();
    langs.dedup();
    let mut sections: Vec<&str> = rows.iter().map(|r| r.section.as_str()).collect();
    sections.dedup();
    let mut out = String::from(
        "\nTranslations (pages per section: translated / outdated / not stamped / missing, shown in Polish):\n",
    );
    out.push_str(&format!("{:<20} {:>6}", "section", "pages"));
    for lang in &langs {
        out.push_str(&format!("   {:<21}", format!("{lang}")));
    }
    out.push('\n');
    let mut totals: BTreeMap<&str, Row> = BTreeMap::new();
    for section in sections {
        let pages = rows.iter().find(|r| r.section == section).map_or(0, |r| r.pages);
        out.push_str(&format!("{section:<20} {pages:>6}"));
        for lang in &langs {
            let row = rows.iter().find(|r| r.section == section && r.lang == *lang).cloned().unwrap_or_default();
            out.push_str(&format!("   {:<21}", cell(&row)));
            let total = totals.entry(lang).or_default();
            total.pages += row.pages;
            total.translated += row.translated;
            total.outdated += row.outdated;
            total.unstamped += row.unstamped;
            total.missing += row.missing;
        }
        out.push('\n');
    }
    let pages = totals.values().next().map_or(0, |t| t.pages);
    out.push_str(&format!("{:<20} {pages:>6}", "total"));
    for lang in &langs {
        out.push_str(&format!("   {:<21}", cell(&totals[lang])));
    }
    out.push('\n');
    out
}

fn cell(row: &Row) -> String {
    format!("{} / {} / {} / {}", row.translated, row.outdated, row.unstamped, row.missing)
}

/// Records in the translation `file` that it matches the current text of its source: writes
/// `source_hash = "…"` into its front matter (replacing an older one). `languages` are the
/// configured codes, `default` the source language. Returns the hash.
pub(crate) fn stamp(file: &Path, languages: &[String], default: &str) -> Result<String, String> {
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let Some(stem) = name.strip_suffix(".md") else {
        return Err(format!("{}: not a Markdown content file", file.display()));
    };
    let source_name = match stem.rsplit_once('.') {
        Some((base, code)) if languages.iter().any(|l| l == code) && code != default => format!("{base}.md"),
        _ => {
            return Err(format!(
                "{} is not a translation: name the translated file (name.LANG.md, LANG one of {}), not its {default} source",
                file.display(),
                languages.iter().filter(|l| *l != default).cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    };
    let source: PathBuf = file.with_file_name(&source_name);
    let source_text = std::fs::read_to_string(&source)
        .map_err(|err| format!("cannot read the source {}: {err}", source.display()))?;
    let hash = source_hash(&source_text).map_err(|err| format!("{}: {err}", source.display()))?;
    let text = std::fs::read_to_string(file).map_err(|err| format!("cannot read {}: {err}", file.display()))?;
    let stamped = with_hash(&text, &hash).ok_or_else(|| {
        format!("{}: the front matter cannot be read; run `metroportal check` and fix it first", file.display())
    })?;
    if stamped != text {
        std::fs::write(file, stamped).map_err(|err| format!("cannot write {}: {err}", file.display()))?;
    }
    Ok(hash)
}

/// `text` with `source_hash = "<hash>"` as a top-level front-matter key: an existing line is
/// replaced, otherwise the line goes after the last top-level key (before the first table).
/// `None` when the front matter does not parse, before or after the edit.
fn with_hash(text: &str, hash: &str) -> Option<String> {
    let split = front_matter::split(Path::new(""), text).ok()?;
    toml::from_str::<toml::Table>(split.toml).ok()?;
    let line = format!("source_hash = \"{hash}\"");
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let block = &text[split.toml_offset..split.toml_offset + split.toml.len()];
    let mut lines: Vec<String> = block.lines().map(str::to_string).collect();
    let is_key = |l: &str| l.trim_start().strip_prefix("source_hash").is_some_and(|r| r.trim_start().starts_with('='));
    let first_table = lines.iter().position(|l| l.trim_start().starts_with('['));
    let top = &lines[..first_table.unwrap_or(lines.len())];
    match top.iter().position(|l| is_key(l)) {
        Some(i) => lines[i] = line,
        None => {
            // After the last non-blank top-level line, so a blank line before a table stays.
            let end = first_table.unwrap_or(lines.len());
            let at = lines[..end].iter().rposition(|l| !l.trim().is_empty()).map_or(0, |i| i + 1);
            lines.insert(at, line);
        }
    }
    let mut new_block = lines.join(newline);
    new_block.push_str(newline);
    let result =
        format!("{}{}{}", &text[..split.toml_offset], new_block, &text[split.toml_offset + split.toml.len()..]);
    let check = front_matter::split(Path::new(""), &result).ok()?;
    let table: toml::Table = toml::from_str(check.toml).ok()?;
    (table.get("source_hash").and_then(|v| v.as_str()) == Some(hash)).then_some(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "+++\ntitle = \"Pomoc\"\nweight = 2\n[service]\nphone = \"12 345\"\n+++\n\nTekst.\n";

    #[test]
    fn the_hash_ignores_formatting_and_untranslated_fields() {
        let hash = source_hash(SOURCE).unwrap();
        assert_eq!(hash.len(), 12);
        let reformatted = "+++\r\n# a comment\r\nweight = 3\r\ntitle   =   \"Pomoc\"\r\n[service]\r\nphone = \"99\"\r\n+++\r\nTekst.   \r\n\r\n";
        assert_eq!(source_hash(reformatted).unwrap(), hash);
        assert_ne!(source_hash(&SOURCE.replace("Tekst.", "Tekst zmieniony.")).unwrap(), hash);
        assert_ne!(source_hash(&SOURCE.replace("Pomoc", "Pomoc doraźna")).unwrap(), hash);
    }

    #[test]
    fn stamping_adds_or_replaces_one_top_level_line() {
        let text = "+++\ntitle = \"Help\"\n\n[extra]\na = 1\n+++\nText\n";
        let once = with_hash(text, "0123456789ab").unwrap();
        assert_eq!(once, "+++\ntitle = \"Help\"\nsource_hash = \"0123456789ab\"\n\n[extra]\na = 1\n+++\nText\n");
        let twice = with_hash(&once, "ba9876543210").unwrap();
        assert_eq!(twice, once.replace("0123456789ab", "ba9876543210"));
        let plain = with_hash("+++\ntitle = \"x\"\n+++\n", "0123456789ab").unwrap();
        assert_eq!(plain, "+++\ntitle = \"x\"\nsource_hash = \"0123456789ab\"\n+++\n");
        assert_eq!(with_hash("+++\ntitle = \n+++\n", "0123456789ab"), None);
    }

    #[test]
    fn stamp_writes_the_hash_of_the_source() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), SOURCE).unwrap();
        std::fs::write(dir.path().join("a.en.md"), "+++\ntitle = \"Help\"\n+++\nText.\n").unwrap();
        let langs = ["pl".to_string(), "en".to_string()];
        let hash = stamp(&dir.path().join("a.en.md"), &langs, "pl").unwrap();
        assert_eq!(hash, source_hash(SOURCE).unwrap());
        let written = std::fs::read_to_string(dir.path().join("a.en.md")).unwrap();
        assert!(written.contains(&format!("source_hash = \"{hash}\"")));
        let err = stamp(&dir.path().join("a.md"), &langs, "pl").unwrap_err();
        assert!(err.contains("is not a translation"), "{err}");
        let err = stamp(&dir.path().join("b.en.md"), &langs, "pl").unwrap_err();
        assert!(err.contains("cannot read the source"), "{err}");
    }
}
