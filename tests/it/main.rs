//! The integration-test binary (one binary, one link step): builds fixture sites from
//! `tests/fixtures/` with the real `metroportal` executable and asserts on the output and the
//! exact diagnostics. See `tests/README.md`.

mod browser;
mod build;
mod cache;
mod cdp;
mod check;
mod cli;
mod cms;
mod contexts;
mod errors;
mod facts;
mod layers;
mod map;
mod output;
mod search;
mod seo;
mod serve;
mod support;
mod theme;
mod typed;
