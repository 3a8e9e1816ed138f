//! Front matter: splits the `+++` TOML block from the Markdown body and reads it into a typed
//! [`FrontMatter`], reporting every problem of the block (syntax errors, unknown keys, wrong
//! types, keys that only sections accept) at its own line.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::dates::ContentDate;
use crate::diagnostics::{Diagnostic, Location, did_you_mean};

/// Keys every page and section accepts.
const COMMON_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "slug",
    "weight",
    "template",
    "extra",
    "taxonomies",
    "source_hash",
];
/// Length of `source_hash` (hex digits of a BLAKE3 hash).
pub(crate) const SOURCE_HASH_LEN: usize = 12;
/// Keys only sections (`_index.md`) accept.
const SECTION_KEYS: &[&str] = &["sort_by", "paginate_by"];

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SortBy {
    /// Newest first.
    Date,
    /// Lowest weight first.
    Weight,
    /// By title in the language's collation order.
    Title,
    /// By file name.
    #[default]
    None,
}

/// A typed table of a content kind (`[service]`, `[municipality]`, …), parsed by the schema.
/// Content does not know the kinds' types; the schema downcasts `data`.
#[derive(Clone)]
pub(crate) struct KindTable {
    pub name: String,
    pub data: std::sync::Arc<dyn std::any::Any + Send + Sync>,
    /// Byte range of the table's key in the whole file.
    pub span: Range<usize>,
    /// Where the TOML block starts in the file: spans inside `data` (`toml::Spanned` fields) are
    /// relative to it.
    pub toml_offset: usize,
}

impl std::fmt::Debug for KindTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KindTable({})", self.name)
    }
}

/// A problem in a kind table, at a byte range of the front-matter TOML.
#[derive(Debug, Clone)]
pub(crate) struct FieldProblem {
    pub message: String,
    pub span: Range<usize>,
    pub hint: Option<String>,
}

/// Parses the tables of the content kinds; implemented by the schema.
pub(crate) trait KindParser: Sync {
    /// Table names that are content kinds.
    fn names(&self) -> &[&'static str];
    fn parse(
        &self,
        name: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<std::sync::Arc<dyn std::any::Any + Send + Sync>, Vec<FieldProblem>>;
}

/// No content kinds (plain pages only), for the parser's own tests.
#[cfg(test)]
pub(crate) struct NoKinds;

#[cfg(test)]
impl KindParser for NoKinds {
    fn names(&self) -> &[&'static str] {
        &[]
    }
    fn parse(
        &self,
        _: &str,
        _: &Spanned<DeValue<'_>>,
    ) -> Result<std::sync::Arc<dyn std::any::Any + Send + Sync>, Vec<FieldProblem>> {
        unreachable!("NoKinds has no tables")
    }
}

/// A value with the location of its key in the file, for errors found after parsing.
#[derive(Debug, Clone)]
pub(crate) struct Located<T> {
    pub value: T,
    /// Byte range in the whole file.
    pub span: Range<usize>,
}

/// The typed front matter of one file.
#[derive(Debug, Clone, Default)]
pub(crate) struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<ContentDate>,
    pub updated: Option<ContentDate>,
    pub draft: bool,
    pub slug: Option<Located<String>>,
    pub weight: Option<i64>,
    pub template: Option<Located<String>>,
    /// In a translation: the hash of the default-language file the text was translated from
    /// (written by `metroportal translated`; `check` compares it to report outdated translations).
    pub source_hash: Option<Located<String>>,
    /// Free data for templates, as JSON (TOML dates become ISO strings).
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Taxonomy name → terms, with the location of each taxonomy key.
    pub taxonomies: BTreeMap<String, Located<Vec<String>>>,
    pub sort_by: Option<SortBy>,
    pub paginate_by: Option<usize>,
    /// The content kind's table, if the file has one.
    pub kind: Option<KindTable>,
}

/// A file split into its front matter and body.
#[derive(Debug)]
pub(crate) struct Split<'a> {
    /// The TOML text between the `+++` lines.
    pub toml: &'a str,
    /// Byte offset of `toml` in the file.
    pub toml_offset: usize,
    /// Byte offset of the Markdown body in the file.
    pub body_offset: usize,
}

/// Finds the `+++` block at the top of `text`.
pub(crate) fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_line_end].trim_end() != "+++" {
        return Err(Diagnostic::error(
            "front-matter-missing",
            "the file does not start with a `+++` front-matter block",
        )
        .at(Location::from_line(file, text, 1))
        .hint("start the file with a line `+++`, the TOML fields (at least title = \"…\"), and another `+++` line"));
    }
    let toml_offset = start + first_line_end;
    let mut pos = toml_offset;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..line_end].trim_end() == "+++" {
            return Ok(Split { toml: &text[toml_offset..pos], toml_offset, body_offset: line_end });
        }
        pos = line_end;
    }
    Err(Diagnostic::error("front-matter-unclosed", "the front-matter block is not closed")
        .at(Location::from_line(file, text, 1))
        .hint("add a line containing only `+++` after the last TOML field"))
}

/// Parses the front matter of `file` (whose full text is `text`). Returns every problem found.
pub(crate) fn parse(
    file: &Path,
    text: &str,
    split: &Split<'_>,
    is_section: bool,
    kinds: &dyn KindParser,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let offset = split.toml_offset;
    let at = |span: Range<usize>| Location::from_span(file, text, span.start + offset..span.end + offset);
    let (table, syntax_errors) = DeTable::parse_recoverable(split.toml);
    if !syntax_errors.is_empty() {
        return Err(syntax_errors
            .into_iter()
            .map(|err| {
                let location = err.span().map_or_else(|| Location::from_line(file, text, 1), &at);
                Diagnostic::error("toml-syntax", format!("invalid TOML: {}", err.message().trim_end()))
                    .at(location)
                    .hint("check quotes, brackets and `key = value` syntax; strings need double quotes")
            })
            .collect());
    }
    let mut problems = Vec::new();
    let mut fm = FrontMatter::default();
    let allowed: Vec<&str> = COMMON_KEYS.iter().chain(SECTION_KEYS).copied().collect();
    for (key, value) in table.get_ref() {
        let name: &str = key.get_ref();
        let span = key.span();
        let result = match name {
            "title" => field(value).map(|v| fm.title = Some(v)),
            "description" => field(value).map(|v| fm.description = Some(v)),
            "date" => date_field(value).map(|v| fm.date = Some(v)),
            "updated" => date_field(value).map(|v| fm.updated = Some(v)),
            "draft" => field(value).map(|v| fm.draft = v),
            "weight" => field(value).map(|v| fm.weight = Some(v)),
            "slug" => field(value).map(|v| fm.slug = Some(Located { value: v, span: shift(value.span(), offset) })),
            "template" => {
                field(value).map(|v| fm.template = Some(Located { value: v, span: shift(value.span(), offset) }))
            }
            "source_hash" => field::<String>(value).and_then(|v| {
                if v.len() == SOURCE_HASH_LEN && v.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
                    fm.source_hash = Some(Located { value: v, span: shift(value.span(), offset) });
                    Ok(())
                } else {
                    Err((
                        format!("expected {SOURCE_HASH_LEN} lower-case hex digits written by `metroportal translated`"),
                        value.span(),
                    ))
                }
            }),
            "extra" => match value.get_ref() {
                DeValue::Table(t) => {
                    fm.extra = table_to_json(t);
                    Ok(())
                }
                _ => Err(type_error("a table: [extra]", value)),
            },
            "taxonomies" => match value.get_ref() {
                DeValue::Table(t) => {
                    for (tax, terms) in t {
                        match field::<Vec<String>>(terms) {
                            Ok(list) => {
                                fm.taxonomies.insert(
                                    tax.get_ref().to_string(),
                                    Located { value: list, span: shift(tax.span(), offset) },
                                );
                            }
                            Err((msg, span)) => problems.push(field_problem(&at, tax.get_ref(), msg, span)),
                        }
                    }
                    Ok(())
                }
                _ => Err(type_error("a table: [taxonomies]", value)),
            },
            "sort_by" | "paginate_by" if !is_section => {
                problems.push(
                    Diagnostic::error("section-only-field", format!("`{name}` only applies to sections"))
                        .at(at(span))
                        .hint("move it to the folder's _index.md, or remove it"),
                );
                Ok(())
            }
            "sort_by" => field(value)
                .map(|v| fm.sort_by = Some(v))
                .map_err(|(_, s)| ("expected one of \"date\", \"weight\", \"title\", \"none\"".to_string(), s)),
            "paginate_by" => field(value).map(|v| fm.paginate_by = Some(v)),
            kind if kinds.names().contains(&kind) => {
                if let Some(previous) = &fm.kind {
                    problems.push(
                        Diagnostic::error(
                            "kind-duplicate",
                            format!("a page has one kind; this one already is `{}`", previous.name),
                        )
                        .at(at(span))
                        .hint("keep one kind table per file; a second kind belongs on a page of its own"),
                    );
                } else {
                    match kinds.parse(kind, value) {
                        Ok(data) => {
                            fm.kind = Some(KindTable {
                                name: kind.to_string(),
                                data,
                                span: shift(span, offset),
                                toml_offset: offset,
                            });
                        }
                        Err(list) => problems.extend(list.into_iter().map(|p| {
                            let d =
                                Diagnostic::error("invalid-field", format!("[{kind}]: {}", p.message)).at(at(p.span));
                            match p.hint {
                                Some(h) => d.hint(h),
                                None => d,
                            }
                        })),
                    }
                }
                Ok(())
            }
            _ => {
                let mut candidates = if is_section { allowed.clone() } else { COMMON_KEYS.to_vec() };
                candidates.extend(kinds.names());
                let hint = match did_you_mean(name, candidates.iter().copied()) {
                    Some(s) => {
                        format!("did you mean `{s}`? Free data belongs in the [extra] table")
                    }
                    None => format!("known fields: {}; free data belongs in the [extra] table", candidates.join(", ")),
                };
                problems.push(
                    Diagnostic::error("unknown-field", format!("unknown front-matter field `{name}`"))
                        .at(at(span))
                        .hint(hint),
                );
                Ok(())
            }
        };
        if let Err((message, value_span)) = result {
            problems.push(field_problem(&at, name, message, value_span));
        }
    }
    if fm.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        problems.push(
            Diagnostic::error("missing-field", "missing required field `title`")
                .at(Location::from_line(file, text, 1))
                .hint("add a line such as title = \"…\" to the front matter"),
        );
    }
    if problems.is_empty() {
        Ok(fm)
    } else {
        problems.sort_by_key(|d| d.location.as_ref().map_or(0, |l| l.line));
        Err(problems)
    }
}

fn shift(span: Range<usize>, offset: usize) -> Range<usize> {
    span.start + offset..span.end + offset
}

fn field_problem(at: &dyn Fn(Range<usize>) -> Location, name: &str, message: String, span: Range<usize>) -> Diagnostic {
    let (message, hint) = explain_serde(&message);
    let d = Diagnostic::error("invalid-field", format!("invalid value for `{name}`: {message}")).at(at(span));
    match hint {
        Some(hint) => d.hint(hint),
        None => d,
    }
}

/// A serde/TOML error message in an editor's words (`expected f64` → `expected a number`), and
/// a hint that says what a valid value looks like. Used for every front-matter field, typed
/// kinds included, so that no content error comes without one.
pub(crate) fn explain_serde(message: &str) -> (String, Option<String>) {
    let message = message.trim_end().replace("invalid type: ", "").replace("unknown variant", "unknown value");
    let expected = message.rsplit_once("expected ").map_or("", |(_, e)| e);
    let number = ["f64", "f32"].iter().any(|t| expected.starts_with(t));
    let whole = ["i64", "i32", "i16", "i8", "u64", "u32", "u16", "u8", "usize", "isize"]
        .iter()
        .any(|t| expected.starts_with(t));
    let mut plain = message.clone();
    for (raw, words) in [
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected u16", "expected a whole number"),
        ("expected u8", "expected a whole number"),
        ("expected usize", "expected a whole number"),
    ] {
        if plain.ends_with(raw) {
            plain = format!("{}{words}", &plain[..plain.len() - raw.len()]);
        }
    }
    let hint = if message.starts_with("unknown value") || message.starts_with("unknown field") {
        Some("use one of the values listed above (they are case-sensitive)".to_string())
    } else if let Some(field) = message.strip_prefix("missing field `").and_then(|m| m.split('`').next()) {
        Some(format!("add `{field}`; `metroportal new <kind> <path>` writes a file with every required field"))
    } else if message.contains("[latitude, longitude]") {
        Some("write coordinates = [latitude, longitude] in decimal degrees, e.g. [50.06143, 19.93658]".to_string())
    } else if expected.contains("source") {
        Some("write source = \"https://…\", or one [[kind.source]] table per source with title, url or seed, and date (docs/provenance.md)".to_string())
    } else if number {
        Some("write a number without quotes, with a dot as the decimal separator, e.g. 49.98712".to_string())
    } else if whole {
        Some("write a whole number without quotes, e.g. 10".to_string())
    } else if expected.starts_with("a string") || expected.starts_with("a borrowed string") {
        Some("write the value in double quotes, e.g. \"1219053\"".to_string())
    } else if expected.starts_with("a boolean") {
        Some("write true or false, without quotes".to_string())
    } else if expected.starts_with("a sequence") || expected.starts_with("an array") || expected.starts_with("array") {
        Some("write a list in square brackets, e.g. [\"pl\", \"uk\"]".to_string())
    } else if expected.contains("datetime") || expected.contains("date") {
        Some("write a date without quotes, as YYYY-MM-DD, e.g. 2026-09-01".to_string())
    } else if expected.contains("struct") || expected.contains("map") || expected.contains("table") {
        Some("write the fields as a table: a [header] line, or { key = value, … }".to_string())
    } else {
        None
    };
    (plain, hint)
}

type FieldError = (String, Range<usize>);

fn field<T: for<'de> Deserialize<'de>>(value: &Spanned<DeValue<'_>>) -> Result<T, FieldError> {
    let span = value.span();
    T::deserialize(ValueDeserializer::from(value.clone())).map_err(|err| {
        let message = err.message().trim_end().to_string();
        (message, err.span().unwrap_or(span))
    })
}

fn type_error(expected: &str, value: &Spanned<DeValue<'_>>) -> FieldError {
    (format!("expected {expected}, found {}", value.get_ref().type_str()), value.span())
}

fn date_field(value: &Spanned<DeValue<'_>>) -> Result<ContentDate, FieldError> {
    let DeValue::Datetime(dt) = value.get_ref() else {
        let hint = if value.get_ref().is_str() { " (write the date without quotes: date = 2026-05-01)" } else { "" };
        return Err((format!("expected a TOML date such as 2026-05-01{hint}"), value.span()));
    };
    let Some(date) = dt.date else {
        return Err(("a date needs a year, month and day".to_string(), value.span()));
    };
    let time = match (dt.time, dt.offset) {
        (None, _) => None,
        (Some(t), offset) => {
            let minutes = match offset {
                Some(toml::value::Offset::Custom { minutes }) => i32::from(minutes),
                _ => 0,
            };
            Some((t.hour, t.minute, t.second.unwrap_or(0), minutes))
        }
    };
    Ok(ContentDate { year: i32::from(date.year), month: date.month, day: date.day, time })
}

fn table_to_json(table: &DeTable<'_>) -> serde_json::Map<String, serde_json::Value> {
    table.iter().map(|(k, v)| (k.get_ref().to_string(), value_to_json(v.get_ref()))).collect()
}

fn value_to_json(value: &DeValue<'_>) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        DeValue::String(s) => J::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(
            i.as_str().replace('_', "").trim_start_matches("0x").trim_start_matches("0o").trim_start_matches("0b"),
            i.radix(),
        )
        .map_or(J::Null, J::from),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().map_or(J::Null, J::from),
        DeValue::Boolean(b) => J::Bool(*b),
        DeValue::Datetime(dt) => J::String(dt.to_string()),
        DeValue::Array(items) => J::Array(items.iter().map(|v| value_to_json(v.get_ref())).collect()),
        DeValue::Table(t) => J::Object(table_to_json(t)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str, is_section: bool) -> Result<FrontMatter, Vec<Diagnostic>> {
        let file = Path::new("content/a.md");
        let split = split(file, text).map_err(|d| vec![d])?;
        parse(file, text, &split, is_section, &NoKinds)
    }

    #[test]
    fn reads_all_fields() {
        let fm = parse_text(
            "+++\ntitle = \"Forum\"\ndate = 2024-05-09\nupdated = 2024-05-10T10:00:00+02:00\nweight = 3\nslug = \"forum-2024\"\n[extra]\nlat = 50.06\nwhen = 2024-01-01\n[taxonomies]\ncategories = [\"a\", \"b\"]\n+++\nbody\n",
            false,
        )
        .unwrap();
        assert_eq!(fm.title.as_deref(), Some("Forum"));
        assert_eq!(fm.date.unwrap().iso(), "2024-05-09");
        assert_eq!(fm.updated.unwrap().iso(), "2024-05-10T10:00:00+02:00");
        assert_eq!(fm.slug.unwrap().value, "forum-2024");
        assert_eq!(fm.extra["lat"], serde_json::json!(50.06));
        assert_eq!(fm.extra["when"], serde_json::json!("2024-01-01"));
        assert_eq!(fm.taxonomies["categories"].value, ["a", "b"]);
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let errs = parse_text(
            "+++\ntitel = \"x\"\ndate = \"2024-05-09\"\nweight = \"heavy\"\nsort_by = \"date\"\n+++\n",
            false,
        )
        .unwrap_err();
        let summary: Vec<(String, usize, &str)> =
            errs.iter().map(|d| (d.message.clone(), d.location.as_ref().unwrap().line, d.code)).collect();
        assert_eq!(summary.len(), 5, "{summary:?}");
        assert_eq!(summary[0].2, "missing-field");
        assert_eq!(summary[1], ("unknown front-matter field `titel`".into(), 2, "unknown-field"));
        assert!(errs[1].hint.as_deref().unwrap().contains("did you mean `title`"));
        assert_eq!(summary[2].1, 3);
        assert!(summary[2].0.contains("without quotes"));
        assert_eq!(summary[3].1, 4);
        assert_eq!(summary[4], ("`sort_by` only applies to sections".into(), 5, "section-only-field"));
    }

    #[test]
    fn syntax_errors_point_at_the_line() {
        let errs = parse_text("+++\ntitle = \"x\"\ndate = = 1\n+++\n", false).unwrap_err();
        assert_eq!(errs[0].code, "toml-syntax");
        assert_eq!(errs[0].location.as_ref().unwrap().line, 3);
    }

    #[test]
    fn missing_and_unclosed_blocks() {
        assert_eq!(parse_text("title\n", false).unwrap_err()[0].code, "front-matter-missing");
        assert_eq!(parse_text("+++\ntitle = \"x\"\n", false).unwrap_err()[0].code, "front-matter-unclosed");
    }
}
