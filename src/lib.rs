//! metroportal: the static site generator of the Kraków Metropolis social-services portal.
//!
//! The pipeline, one module per phase, each using only the ones before it (the test
//! `tests/it/layers.rs` enforces this order): [`diagnostics`] (every problem, with file and span,
//! rendered in one place) → [`slug`] (URL slugs, Ukrainian transliteration) → [`dates`] (content
//! dates, the site's time zone) → [`deps`] (what each output
//! read, recorded as it renders) → [`config`] → [`i18n`] (UI strings, dates, collation) →
//! [`content`] (files, languages, URLs, lists) → [`schema`] (typed kinds, facts, sources, maps'
//! data) → [`markdown`] → [`scaffold`] (JSON Schema, `new`) → [`model`] (the loaded site every
//! later phase reads) → [`templates`] (views, minijinja, maps) → [`cms`] (the `/admin/` editor) →
//! [`output`] (staging, atomic swap) → [`search`] (Pagefind index of the rendered pages) →
//! [`site`] (the build: load, links, plan, render, feeds) → [`checks`] (what `check` adds on the
//! rendered pages) → [`serve`] (the dev server, behind the default `serve` feature) → [`cli`].
//!
//! The library's public interface is [`cli`], which the binary runs; everything else is
//! `pub(crate)` (the `unreachable_pub` lint in Cargo.toml keeps it so).

pub(crate) mod checks;
pub mod cli;
pub(crate) mod cms;
pub(crate) mod config;
pub(crate) mod content;
pub(crate) mod dates;
pub(crate) mod deps;
pub(crate) mod diagnostics;
pub(crate) mod i18n;
pub(crate) mod markdown;
pub(crate) mod model;
pub(crate) mod output;
pub(crate) mod scaffold;
pub(crate) mod schema;
pub(crate) mod search;
#[cfg(feature = "serve")]
pub(crate) mod serve;
pub(crate) mod site;
pub(crate) mod slug;
pub(crate) mod templates;

#[cfg(test)]
mod props;
