//! Templates: a minijinja environment over the theme's templates (strict undefined, auto-escape
//! for `.html`, `.xml` and `.svg`) with the functions and filters of `docs/templates.md`, plus
//! built-in `sitemap.xml`, `atom.xml` and `robots.txt` that a theme may override. Template
//! errors become diagnostics naming the template file and line.

mod kinds;
pub(crate) mod map;
pub(crate) mod open_data;
pub(crate) mod preview;
pub(crate) mod views;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use fluent_bundle::FluentValue;
use minijinja::value::Kwargs;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, State, UndefinedBehavior, Value};

use crate::dates::ContentDate;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::i18n::DateStyle;
use crate::model::SiteData;

const BUILTIN: &[(&str, &str)] = &[
    ("sitemap.xml", include_str!("builtin/sitemap.xml")),
    ("atom.xml", include_str!("builtin/atom.xml")),
    ("robots.txt", include_str!("builtin/robots.txt")),
];

/// The compiled templates of a theme.
pub(crate) struct Templates {
    env: Environment<'static>,
    /// Templates folder relative to the site root, for diagnostics.
    dir: PathBuf,
    root: PathBuf,
    /// Name → source of every template (the theme's and the built-in ones it does not
    /// override): what an incremental rebuild compares.
    sources: std::collections::BTreeMap<String, Arc<str>>,
}

impl Templates {
    /// Compiles every template of `<theme_dir>/templates` (all syntax errors are reported).
    pub(crate) fn load(root: &Path, theme_dir: &Path, site: Arc<SiteData>, diags: &Diagnostics) -> Option<Templates> {
        let dir = theme_dir.join("templates");
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| match name.rsplit('.').next() {
            Some("html" | "htm" | "xml" | "svg") => AutoEscape::Html,
            _ => AutoEscape::None,
        });
        env.set_formatter(html_formatter);
        // Text outputs (robots.txt, feeds) end with a newline like any text file.
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder().keep_trailing_newline(true).build().expect("valid syntax"),
        );
        let rel_dir = dir.strip_prefix(root).unwrap_or(&dir).to_path_buf();
        let mut ok = true;
        let mut sources = std::collections::BTreeMap::new();
        if !dir.is_dir() {
            diags.push(
                Diagnostic::error("theme-missing", "the theme has no templates folder")
                    .at(Location::file(&rel_dir))
                    .hint("check `theme` in config.toml"),
            );
            return None;
        }
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
            if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let name = entry.path().strip_prefix(&dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
            let source = match std::fs::read_to_string(entry.path()) {
                Ok(s) => s,
                Err(err) => {
                    diags.push(
                        Diagnostic::error("io", format!("cannot read template: {err}"))
                            .at(Location::file(rel_dir.join(&name))),
                    );
                    ok = false;
                    continue;
                }
            };
            sources.insert(name.clone(), Arc::from(source.as_str()));
            if let Err(err) = env.add_template_owned(name.clone(), source) {
                diags.push(template_error(&err, root, &dir, None));
                ok = false;
            }
        }
        for (name, source) in BUILTIN {
            if env.get_template(name).is_err() {
                env.add_template(name, source).expect("built-in templates compile");
                sources.insert(name.to_string(), Arc::from(*source));
            }
        }
        register_functions(&mut env, site);
        ok.then_some(Templates { env, dir, root: root.to_path_buf(), sources })
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.env.get_template(name).is_ok()
    }

    /// Renders `name` with `context`; errors name the template and line, and `origin` (the
    /// content file being rendered) goes into the hint.
    pub(crate) fn render(&self, name: &str, context: Value, origin: Option<&str>) -> Result<String, Diagnostic> {
        crate::deps::record(crate::deps::Dep::Template(name.into()));
        self.env
            .get_template(name)
            .and_then(|t| t.render(context))
            .map_err(|err| template_error(&err, &self.root, &self.dir, origin))
    }
}

impl Templates {
    /// The templates whose output may change when the templates named in `changed` change:
    /// each changed one and every template that extends, includes or imports one of them,
    /// directly or not. `None` when a template names another through an expression, which
    /// cannot be followed without rendering: then every template may change.
    pub(crate) fn affected_by(
        &self,
        changed: &std::collections::BTreeSet<String>,
    ) -> Option<std::collections::BTreeSet<String>> {
        let mut uses: Vec<(&str, Vec<String>)> = Vec::new();
        for (name, source) in &self.sources {
            uses.push((name, referenced_templates(source)?));
        }
        let mut affected = changed.clone();
        loop {
            let before = affected.len();
            for (name, used) in &uses {
                if used.iter().any(|u| affected.contains(u)) {
                    affected.insert(name.to_string());
                }
            }
            if affected.len() == before {
                return Some(affected);
            }
        }
    }

    /// Each template's name with a hash of its source, to tell later which ones changed.
    pub(crate) fn source_prints(&self) -> std::collections::BTreeMap<String, u64> {
        self.sources
            .iter()
            .map(|(name, source)| {
                let hash = blake3::hash(source.as_bytes());
                (name.clone(), u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes")))
            })
            .collect()
    }
}

/// The templates a source names in `extends`, `include`, `import` and `from` tags; `None` when
/// a tag names one with something other than string literals.
fn referenced_templates(source: &str) -> Option<Vec<String>> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("{%") {
        let after = &rest[start + 2..];
        let end = after.find("%}").unwrap_or(after.len());
        let tag = after[..end].trim_matches(|c: char| c == '-' || c == '+' || c == '~' || c.is_whitespace());
        rest = &after[end..];
        let Some((word, args)) = tag.split_once(char::is_whitespace) else { continue };
        if !matches!(word, "extends" | "include" | "import" | "from") {
            continue;
        }
        // The part that names the template: up to ` as ` / ` import ` / ` ignore missing`.
        let target = match word {
            "import" => args.split(" as ").next().unwrap_or(args),
            "from" => args.split(" import ").next().unwrap_or(args),
            _ => args.split(" ignore missing").next().unwrap_or(args),
        };
        let names = string_literals(target)?;
        found.extend(names);
    }
    Some(found)
}

/// The string literals of a tag argument (`"a.html"`, `["a.html", 'b.html']`); `None` when it
/// holds anything else (a variable, a concatenation).
fn string_literals(text: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut chars = text.trim().trim_start_matches('[').trim_end_matches(']').chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let Some(quote) = chars.next() else { break };
        if quote != '"' && quote != '\'' {
            return None;
        }
        let name: String = chars.by_ref().take_while(|c| *c != quote).collect();
        names.push(name);
    }
    (!names.is_empty()).then_some(names)
}

/// Like minijinja's default formatter, but HTML-escapes only `& < > " '`: the default also
/// escapes `/`, which turns every URL in an attribute into `&#x2f;en&#x2f;…`.
fn html_formatter(out: &mut minijinja::Output, state: &mut State, value: &Value) -> Result<(), Error> {
    if !matches!(state.auto_escape(), AutoEscape::Html) || value.is_safe() || value.is_none() || value.is_undefined() {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = match value.as_str() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(value.to_string()),
    };
    let mut last = 0;
    for (i, c) in text.char_indices() {
        let entity = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&text[last..i]).map_err(Error::from)?;
        out.write_str(entity).map_err(Error::from)?;
        last = i + 1;
    }
    out.write_str(&text[last..]).map_err(Error::from)
}

/// Turns a minijinja error into a diagnostic at `templates/<name>:<line>`.
fn template_error(err: &Error, root: &Path, dir: &Path, origin: Option<&str>) -> Diagnostic {
    // The innermost error is the most precise (an include or a filter inside a block).
    let mut inner: &Error = err;
    while let Some(next) = std::error::Error::source(inner).and_then(|s| s.downcast_ref::<Error>()) {
        if next.name().is_none() {
            break;
        }
        inner = next;
    }
    let message = match inner.detail() {
        Some(detail) => format!("template error: {}: {detail}", inner.kind()),
        None => format!("template error: {}", inner.kind()),
    };
    let mut diag = Diagnostic::error("template", message);
    if let Some(name) = inner.name() {
        let path = dir.join(name);
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let line = inner.line().unwrap_or(0);
        diag = diag.at(match (inner.template_source(), inner.range()) {
            (Some(source), Some(range)) => Location::from_span(rel, source, range),
            (Some(source), None) if line > 0 => Location::from_line(rel, source, line),
            _ => Location { file: rel, line, ..Default::default() },
        });
    }
    if let Some(origin) = origin {
        diag = diag.hint(format!("while rendering {origin}"));
    }
    diag
}

/// The index of the language being rendered (the template variable `lang`).
fn current_lang(state: &State, site: &SiteData) -> Result<usize, Error> {
    let lang = state.lookup("lang").ok_or_else(|| Error::new(ErrorKind::UndefinedError, "`lang` is not set"))?;
    let code = lang.as_str().unwrap_or_default();
    site.library
        .lang_index(code)
        .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, format!("unknown language `{code}`")))
}

/// The `lang=` keyword argument of a function, or the language being rendered.
fn lang_argument(state: &State, site: &SiteData, kwargs: &Kwargs) -> Result<usize, Error> {
    match kwargs.get::<Option<String>>("lang")? {
        Some(code) => site
            .library
            .lang_index(&code)
            .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, format!("unknown language `{code}`"))),
        None => current_lang(state, site),
    }
}

fn register_functions(env: &mut Environment<'static>, site: Arc<SiteData>) {
    map::register(env, site.clone());
    // The folder of the search index and Pagefind's code (none when built without search).
    let s = site.clone();
    env.add_function("search_bundle", move || -> Value {
        Value::from(s.search_bundle.as_ref().map(|dir| s.href(&format!("/{dir}"))))
    });

    let s = site.clone();
    env.add_function("t", move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, Error> {
        let lang = current_lang(state, &s)?;
        let mut args: Vec<(&str, FluentValue<'_>)> = Vec::new();
        for name in kwargs.args() {
            let value: Value = kwargs.get(name)?;
            let fluent = if let Some(n) = value.as_i64() {
                FluentValue::from(n)
            } else if let Ok(f) = f64::try_from(value.clone()) {
                FluentValue::from(f)
            } else {
                FluentValue::from(value.to_string())
            };
            args.push((name, fluent));
        }
        s.locales.message(s.lang_code(lang), key, &args).map_err(|msg| Error::new(ErrorKind::InvalidOperation, msg))
    });

    let s = site.clone();
    env.add_function("url", move |state: &State, path: &str, kwargs: Kwargs| -> Result<String, Error> {
        let absolute: Option<bool> = kwargs.get("absolute")?;
        let lang = lang_argument(state, &s, &kwargs)?;
        kwargs.assert_all_used()?;
        let site_path = if let Some(target) = path.strip_prefix("@/") {
            let (file, anchor) = target.split_once('#').map_or((target, None), |(f, a)| (f, Some(a)));
            let node = s
                .library
                .resolve_key(file)
                .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, format!("url(): no content file `{file}`")))?;
            let n = &s.library.nodes[node];
            let path = n.paths[lang].as_ref().or(n.paths[s.default_lang()].as_ref()).ok_or_else(|| {
                Error::new(ErrorKind::InvalidOperation, format!("url(): `{file}` has no page in this language"))
            })?;
            match anchor {
                Some(a) => format!("{path}#{a}"),
                None => path.clone(),
            }
        } else if path.starts_with('/') {
            path.to_string()
        } else {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("url(): `{path}` must start with `/` or `@/`"),
            ));
        };
        Ok(if absolute.unwrap_or(false) { s.permalink(&site_path) } else { s.href(&site_path) })
    });

    let s = site.clone();
    env.add_function("asset", move |name: &str| -> Result<String, Error> {
        let hashed = s.assets.hashed.get(name.trim_start_matches('/')).ok_or_else(|| {
            Error::new(ErrorKind::InvalidOperation, format!("asset(): the theme has no static file `{name}`"))
        })?;
        Ok(s.href(&format!("/{hashed}")))
    });

    for (function, want_section) in [("get_page", false), ("get_section", true)] {
        let s = site.clone();
        env.add_function(function, move |state: &State, path: &str, kwargs: Kwargs| -> Result<Value, Error> {
            let lang = lang_argument(state, &s, &kwargs)?;
            kwargs.assert_all_used()?;
            let node =
                s.library.resolve_key(path).filter(|&n| s.library.nodes[n].is_section == want_section).ok_or_else(
                    || {
                        let what = if want_section { "section" } else { "page" };
                        Error::new(ErrorKind::InvalidOperation, format!("{function}(): no {what} `{path}` in content/"))
                    },
                )?;
            if s.library.nodes[node].paths[lang].is_none() {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!("{function}(): `{path}` does not exist in this language"),
                ));
            }
            Ok(s.meta(node, lang))
        });
    }

    let s = site;
    env.add_filter("date", move |state: &State, value: Value, kwargs: Kwargs| -> Result<String, Error> {
        let style: Option<String> = kwargs.get("style")?;
        kwargs.assert_all_used()?;
        let text = value.as_str().unwrap_or_default().to_string();
        let ymd = ContentDate::parse_ymd(&text)
            .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, format!("date: `{value}` is not a date")))?;
        let style_name = style.as_deref().unwrap_or("long");
        if style_name == "iso" {
            return Ok(text[..10].to_string());
        }
        let style = DateStyle::parse(style_name).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("date: unknown style `{style_name}` (long, medium, short, full, iso)"),
            )
        })?;
        let lang = current_lang(state, &s)?;
        s.locales
            .format_date(s.lang_code(lang), ymd, style)
            .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, format!("date: `{text}` is not a valid date")))
    });
}

/// Text for HTML, SVG and XML written outside the template engine: `& < > " '` escaped.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
