//! metroportal: the static site generator of the Kraków Metropolis social-services portal.
//!
//! The pipeline, one module per phase, each using only the ones before it (the test
//! `tests/it/layers.rs` enforces this order): [`diagnostics`] (every problem, with file and span,
//! rendered in one place) → [`slug`] (URL slugs, Ukrainian transliteration) → [`dates`] (content
//! dates, the site's time zone) → [`config`] → [`i18n`] (UI strings, dates, collation) →
//! [`content`] (files, languages, URLs, lists) → [`schema`] (typed kinds, facts, sources, maps'
//! data) → [`markdown`] → [`scaffold`] (JSON Schema, `new`) → [`model`] (the loaded site every
//! later phase reads) → [`templates`] (views, minijinja, maps) → [`cms`] (the `/admin/` editor) →
//! [`output`] (staging, atomic swap) → [`search`] (Pagefind index of the rendered pages) →
//! [`site`] (the build: load, links, plan, render, feeds) → [`checks`] (what `check` adds on the
//! rendered pages) → [`serve`] (the dev server, behind the default `serve` feature) → [`cli`].

pub mod checks;
pub mod cli;
pub mod cms;
pub mod config;
pub mod content;
pub mod dates;
pub mod diagnostics;
pub mod i18n;
pub mod markdown;
pub mod model;
pub mod output;
pub mod scaffold;
pub mod schema;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
pub mod slug;
pub mod templates;
