//! Schema: the typed content kinds of the portal (`[municipality]`, `[service]`, `[forum]`,
//! `[guide]`, `[accessibility_statement]`), their vocabularies and their validation, per file
//! and across files.

pub mod geo;
pub mod opening_hours;
