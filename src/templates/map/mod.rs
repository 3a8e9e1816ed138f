//! Service maps: our own projection of the municipality boundaries and of the located services
//! into an accessible inline SVG (each municipality a link carrying its service count, services
//! as category symbols, co-located ones spread on a ring), the template functions `map_svg` and
//! `map_data`, and the per-language services GeoJSON that the interactive map
//! (`static/js/map.js`) loads.
//!
//! Output is deterministic: coordinates are rounded to 0.1 viewBox units and everything is
//! written in file or collation order.
//!
//! One file per step: [`projection`] (longitude and latitude to viewBox units), [`labels`]
//! (where each municipality's name goes), [`draw`] (the SVG: regions, symbols, markers) and
//! [`data`] (what the site's services give the maps: the SVG of a selection, `map_data`, the
//! GeoJSON).

use crate::model::SiteData;
use data::selection;
use minijinja::value::Kwargs;
use minijinja::{Environment, Error, State, Value};
use std::sync::Arc;

mod data;
pub(crate) mod draw;
mod labels;
pub(crate) mod projection;

/// Where the boundaries are published (one copy for every language).
pub(crate) const BOUNDARIES_PATH: &str = "dane/gminy.geojson";

/// Where the services GeoJSON of a language is published: `dane/uslugi.<lang>.geojson`.
pub(crate) fn services_geojson_path(lang: &str) -> String {
    format!("dane/uslugi.{lang}.geojson")
}

/// Registers `map_svg(municipality=…, category=…)` and `map_data(municipality=…, category=…)`.
pub(super) fn register(env: &mut Environment<'static>, site: Arc<SiteData>) {
    let s = site.clone();
    env.add_function("map_svg", move |state: &State, kwargs: Kwargs| -> Result<Value, Error> {
        let sel = selection(&s, &kwargs, "map_svg")?;
        Ok(Value::from_safe_string(s.map_svg(super::current_lang(state, &s)?, sel)))
    });
    let s = site;
    env.add_function("map_data", move |state: &State, kwargs: Kwargs| -> Result<Value, Error> {
        let sel = selection(&s, &kwargs, "map_data")?;
        Ok(s.map_data(super::current_lang(state, &s)?, sel))
    });
}
