//! metroportal: the static site generator of the Kraków Metropolis social-services portal.
//!
//! The pipeline, one module per phase, each depending only on the ones before it:
//! [`config`] → [`content`] (files, languages, URLs, lists) → [`markdown`] → [`i18n`] (UI
//! strings, dates, collation, slugs) → [`templates`] → [`output`] (staging, atomic swap) →
//! [`search`] (Pagefind index of the rendered pages) → [`site`] (the build itself) → [`checks`]
//! (what `check` adds: the rendered pages' links and accessibility, translation coverage) →
//! [`cli`] (and `serve`, the dev server, behind the default `serve` feature). Problems of every
//! phase are [`diagnostics`].

pub mod checks;
pub mod cli;
pub mod cms;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod i18n;
pub mod markdown;
pub mod output;
pub mod scaffold;
pub mod schema;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
pub mod templates;
