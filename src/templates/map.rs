//! Service maps: our own projection of the municipality boundaries and of the located services
//! into an accessible inline SVG (each municipality a link carrying its service count, services
//! as category symbols, co-located ones spread on a ring), the template functions `map_svg` and
//! `map_data`, and the per-language services GeoJSON that the interactive map
//! (`static/js/map.js`) loads.
//!
//! Output is deterministic: coordinates are rounded to 0.1 viewBox units and everything is
//! written in file or collation order.

use std::fmt::Write as _;
use std::sync::Arc;

use minijinja::value::Kwargs;
use minijinja::{Environment, Error, ErrorKind, State, Value};
use serde_json::{Value as Json, json};

use crate::content::NodeId;
use crate::model::SiteData;
use crate::schema::geo::{BBox, Boundaries};
use crate::schema::kinds::Municipality;
use crate::schema::vocab::{Category, ServiceLanguage};
use crate::schema::{kind_of, opening_hours};

/// Width of every map's viewBox; the height follows the shape shown.
pub const VIEW_WIDTH: f64 = 600.0;
const MAX_HEIGHT: f64 = 560.0;
const PAD: f64 = 12.0;
/// Marker radius in viewBox units.
const MARKER: f64 = 6.5;
/// Markers closer than this (viewBox units) would cover each other: they are spread on a ring.
const SHARED: f64 = 9.0;

/// Fill of a municipality shape; every category colour keeps 3:1 contrast against it.
pub const REGION_FILL: &str = "#e6eee0";
/// Fill of the municipality a map is about.
pub const CURRENT_FILL: &str = "#fdf0c2";
/// Fill of a boundary without a municipality page.
pub const PLAIN_FILL: &str = "#f2f2f2";
pub const REGION_STROKE: &str = "#4f5d4a";

/// Where the boundaries are published (one copy for every language).
pub const BOUNDARIES_PATH: &str = "dane/gminy.geojson";

/// Where the services GeoJSON of a language is published: `dane/uslugi.<lang>.geojson`.
pub fn services_geojson_path(lang: &str) -> String {
    format!("dane/uslugi.{lang}.geojson")
}

/// Equirectangular projection with longitudes scaled by cos φ0 (φ0: the middle latitude of the
/// fitted box), scaled and centred into a viewBox of fixed width. At the size of a metropolis
/// the distortion against a conformal projection is far below a pixel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    min_lon: f64,
    max_lat: f64,
    cos: f64,
    k: f64,
    ox: f64,
    oy: f64,
    pub width: f64,
    pub height: f64,
}

impl Projection {
    /// Fits `bbox` into `width` × at most `max_height` with `pad` units of margin, centred.
    pub fn fit(bbox: BBox, width: f64, max_height: f64, pad: f64) -> Projection {
        // A single point (or a sliver) still gets a ~1 km window.
        let grow = |lo: f64, hi: f64| {
            if hi - lo < 0.01 { ((lo + hi) / 2.0 - 0.005, (lo + hi) / 2.0 + 0.005) } else { (lo, hi) }
        };
        let (min_lon, max_lon) = grow(bbox.min_lon, bbox.max_lon);
        let (min_lat, max_lat) = grow(bbox.min_lat, bbox.max_lat);
        let cos = ((min_lat + max_lat) / 2.0).to_radians().cos();
        let (w, h) = ((max_lon - min_lon) * cos, max_lat - min_lat);
        let k = ((width - 2.0 * pad) / w).min((max_height - 2.0 * pad) / h);
        let height = round(h * k + 2.0 * pad);
        Projection { min_lon, max_lat, cos, k, ox: (width - w * k) / 2.0, oy: pad, width, height }
    }

    /// viewBox coordinates of a WGS84 point, rounded to 0.1.
    pub fn project(&self, lat: f64, lon: f64) -> (f64, f64) {
        (round(self.ox + (lon - self.min_lon) * self.cos * self.k), round(self.oy + (self.max_lat - lat) * self.k))
    }

    pub fn contains(&self, (x, y): (f64, f64), margin: f64) -> bool {
        (margin..=self.width - margin).contains(&x) && (margin..=self.height - margin).contains(&y)
    }
}

fn round(v: f64) -> f64 {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 { 0.0 } else { r }
}

/// A coordinate as written in the SVG: at most one decimal, no `.0`, no `-0`.
pub fn num(v: f64) -> String {
    let r = round(v);
    if r.fract() == 0.0 { format!("{}", r as i64) } else { format!("{r:.1}") }
}

/// Marker shapes, so that colour is never the only cue for the category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Diamond,
    TriangleUp,
    TriangleDown,
    Hexagon,
    Star,
    Plus,
}

/// Colour and shape of a category's marker; each pair is unique.
pub fn category_style(category: Category) -> (&'static str, Shape) {
    const BLUE: &str = "#1d5fa6";
    const MAGENTA: &str = "#a3195b";
    const ORANGE: &str = "#a14f00";
    const PURPLE: &str = "#6b3fa0";
    const RED: &str = "#b3261e";
    const GREEN: &str = "#2e6b30";
    const TEAL: &str = "#00727a";
    const SLATE: &str = "#3d4650";
    match category {
        Category::SocialAssistance => (BLUE, Shape::Circle),
        Category::SocialAssistanceBranch => (BLUE, Shape::Square),
        Category::FamilySupport => (MAGENTA, Shape::Circle),
        Category::Nursery => (ORANGE, Shape::Diamond),
        Category::SeniorClub => (PURPLE, Shape::TriangleUp),
        Category::SeniorDayCare => (PURPLE, Shape::Square),
        Category::DaySupport => (ORANGE, Shape::TriangleDown),
        Category::RespiteCare => (MAGENTA, Shape::Hexagon),
        Category::Health => (RED, Shape::Plus),
        Category::Housing => (GREEN, Shape::Square),
        Category::MigrantInformation => (TEAL, Shape::Diamond),
        Category::LegalAid => (TEAL, Shape::TriangleUp),
        Category::SocialEconomy => (GREEN, Shape::Hexagon),
        Category::PublicOffice => (SLATE, Shape::Star),
        Category::CrisisIntervention => (RED, Shape::Star),
        Category::SelfHelpHome => (PURPLE, Shape::Hexagon),
        Category::FoodAid => (GREEN, Shape::Circle),
    }
}

/// Path data of a shape of radius `r` centred on `(cx, cy)`.
pub fn symbol_path(shape: Shape, cx: f64, cy: f64, r: f64) -> String {
    let poly = |points: &[(f64, f64)]| {
        let mut d = String::new();
        for (i, (x, y)) in points.iter().enumerate() {
            let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { " " }, num(cx + x * r), num(cy + y * r));
        }
        d + "Z"
    };
    let regular = |n: usize, radius: f64, start: f64| -> Vec<(f64, f64)> {
        (0..n)
            .map(|i| {
                let a = start + i as f64 * std::f64::consts::TAU / n as f64;
                (radius * a.cos(), radius * a.sin())
            })
            .collect()
    };
    let up = -std::f64::consts::FRAC_PI_2;
    match shape {
        Shape::Circle => format!(
            "M{} {}a{} {} 0 1 0 {} 0a{} {} 0 1 0 {} 0Z",
            num(cx - r),
            num(cy),
            num(r),
            num(r),
            num(2.0 * r),
            num(r),
            num(r),
            num(-2.0 * r)
        ),
        Shape::Square => poly(&[(-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.9, 0.9)]),
        Shape::Diamond => poly(&[(0.0, -1.25), (1.25, 0.0), (0.0, 1.25), (-1.25, 0.0)]),
        Shape::TriangleUp => poly(&[(0.0, -1.3), (1.2, 0.85), (-1.2, 0.85)]),
        Shape::TriangleDown => poly(&[(0.0, 1.3), (1.2, -0.85), (-1.2, -0.85)]),
        Shape::Hexagon => poly(&regular(6, 1.1, up)),
        Shape::Star => {
            let outer = regular(5, 1.35, up);
            let inner = regular(5, 0.6, up + std::f64::consts::PI / 5.0);
            poly(&outer.iter().zip(&inner).flat_map(|(o, i)| [*o, *i]).collect::<Vec<_>>())
        }
        Shape::Plus => poly(&[
            (-0.4, -1.2),
            (0.4, -1.2),
            (0.4, -0.4),
            (1.2, -0.4),
            (1.2, 0.4),
            (0.4, 0.4),
            (0.4, 1.2),
            (-0.4, 1.2),
            (-0.4, 0.4),
            (-1.2, 0.4),
            (-1.2, -0.4),
            (-0.4, -0.4),
        ]),
    }
}

/// A category's symbol on its own, for legends and the interactive map's markers.
pub fn symbol_svg(category: Category) -> String {
    let (colour, shape) = category_style(category);
    format!(
        r##"<svg class="map-symbol" viewBox="-10 -10 20 20" width="20" height="20" aria-hidden="true" focusable="false"><path d="{}" fill="{colour}" stroke="#fff" stroke-width="1.5"/></svg>"##,
        symbol_path(shape, 0.0, 0.0, MARKER)
    )
}

/// The legend's swatch of a municipality shape.
pub fn region_symbol() -> String {
    format!(
        r#"<svg class="map-symbol" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false"><rect x="1" y="3" width="18" height="14" fill="{REGION_FILL}" stroke="{REGION_STROKE}"/></svg>"#
    )
}

use super::escape_html as esc;

/// A municipality on a map.
#[derive(Debug, Clone)]
pub struct Region {
    pub teryt: String,
    /// Visible label.
    pub name: String,
    /// Its page; shapes without a page are drawn but are not links.
    pub href: Option<String>,
    /// Services counted on this map (of the map's category, if any).
    pub count: usize,
    /// Accessible name of the link ("Kraków: 10 usług").
    pub label: String,
    /// The map is about this municipality (`aria-current="page"` on its link).
    pub current: bool,
}

/// A located service.
#[derive(Debug, Clone)]
pub struct Marker {
    pub lat: f64,
    pub lon: f64,
    pub category: Category,
    /// Accessible name ("MGOPS w Wieliczce (Ośrodek pomocy społecznej)").
    pub label: String,
    pub href: String,
}

/// Everything one static map shows.
#[derive(Debug, Clone)]
pub struct SvgMap {
    /// Prefix of the element ids (`<id>-title`, `<id>-desc`), unique in the page.
    pub id: String,
    pub title: String,
    pub desc: String,
    pub regions: Vec<Region>,
    pub markers: Vec<Marker>,
    /// Fit the view to this municipality (TERYT) instead of all boundaries.
    pub focus: Option<String>,
}

/// Writes the inline SVG of a map.
pub fn render_svg(boundaries: &Boundaries, map: &SvgMap) -> String {
    let focus_box = map.focus.as_deref().and_then(|t| boundaries.get(t)).map(|b| b.bbox);
    let Some(bbox) = focus_box.or_else(|| boundaries.bbox()) else { return String::new() };
    let proj = Projection::fit(bbox, VIEW_WIDTH, MAX_HEIGHT, PAD);
    let mut out = String::with_capacity(16 * 1024);
    let id = esc(&map.id);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="map__svg" viewBox="0 0 {} {}" role="group" aria-labelledby="{id}-title" aria-describedby="{id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        num(proj.width),
        num(proj.height),
        esc(&map.title),
        esc(&map.desc)
    );
    out.push_str(r#"<g class="map__regions">"#);
    for boundary in &boundaries.features {
        let mut d = String::new();
        for ring in boundary.polygons.iter().flatten() {
            let mut last = None;
            for (i, &(lon, lat)) in ring.iter().enumerate() {
                let p = proj.project(lat, lon);
                if last == Some(p) {
                    continue;
                }
                last = Some(p);
                let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { " " }, num(p.0), num(p.1));
            }
            d.push('Z');
        }
        let region = map.regions.iter().find(|r| r.teryt == boundary.teryt);
        match region {
            Some(r) if r.href.is_some() => {
                let current = if r.current { r#" aria-current="page""# } else { "" };
                let _ = write!(
                    out,
                    r#"<a href="{}" class="map__region{}" aria-label="{}"{current}><title>{}</title><path d="{d}" fill="{}" stroke="{REGION_STROKE}"/></a>"#,
                    esc(r.href.as_deref().unwrap_or_default()),
                    if r.current { " map__region--current" } else { "" },
                    esc(&r.label),
                    esc(&r.label),
                    if r.current { CURRENT_FILL } else { REGION_FILL },
                );
            }
            _ => {
                let _ = write!(
                    out,
                    r#"<path class="map__region map__region--plain" d="{d}" fill="{PLAIN_FILL}" stroke="{REGION_STROKE}"/>"#
                );
            }
        }
    }
    out.push_str("</g>");
    // Labels repeat what the links' names say, so they are hidden from assistive technology.
    out.push_str(r#"<g class="map__labels" aria-hidden="true">"#);
    for label in place_labels(boundaries, &map.regions, &proj) {
        if let Some(name) = label.name {
            let _ = write!(
                out,
                r#"<text class="map__name" x="{}" y="{}" text-anchor="middle">{}</text>"#,
                num(label.x),
                num(label.y - 2.0),
                esc(name)
            );
        }
        let _ = write!(
            out,
            r#"<text class="map__count" x="{}" y="{}" text-anchor="middle">{}</text>"#,
            num(label.x),
            num(label.y + if label.name.is_some() { 12.0 } else { 4.0 }),
            label.count
        );
    }
    out.push_str("</g>");
    if !map.markers.is_empty() {
        out.push_str(r#"<g class="map__markers">"#);
        write_markers(&mut out, &proj, &map.markers);
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

/// A municipality's label as placed: its name (left out when it cannot fit) and count.
struct Label<'a> {
    x: f64,
    y: f64,
    name: Option<&'a str>,
    count: usize,
}

/// Places the labels at each municipality's label point, largest municipalities first; a label
/// that would overlap one already placed is moved up or down a line, and when no position is
/// free it keeps only its count (the name stays in the link's accessible name and the list).
fn place_labels<'a>(boundaries: &Boundaries, regions: &'a [Region], proj: &Projection) -> Vec<Label<'a>> {
    // Approximate text extents in viewBox units for the 12-unit name and 11-unit count.
    let extent = |name: Option<&str>, count: usize| {
        let chars = name.map_or(0, |n| n.chars().count()).max(count.to_string().len());
        (chars as f64 * 6.4 + 4.0, if name.is_some() { 28.0 } else { 14.0 })
    };
    let mut candidates: Vec<(f64, (f64, f64), &Region)> = boundaries
        .features
        .iter()
        .filter_map(|b| {
            let region = regions.iter().find(|r| r.teryt == b.teryt)?;
            let (lon, lat) = b.label_point();
            let p = proj.project(lat, lon);
            let area = (b.bbox.max_lon - b.bbox.min_lon) * (b.bbox.max_lat - b.bbox.min_lat);
            proj.contains(p, 20.0).then_some((area, p, region))
        })
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.teryt.cmp(&b.2.teryt)));
    let mut placed: Vec<(Label<'a>, (f64, f64))> = Vec::new();
    let free = |placed: &[(Label<'a>, (f64, f64))], x: f64, y: f64, (w, h): (f64, f64)| {
        x - w / 2.0 >= 2.0
            && x + w / 2.0 <= proj.width - 2.0
            && placed.iter().all(|(l, (lw, lh))| (l.x - x).abs() * 2.0 >= w + lw || (l.y - y).abs() * 2.0 >= h + lh)
    };
    for (_, (x, y), region) in candidates {
        let mut chosen = None;
        'names: for name in [Some(region.name.as_str()), None] {
            let size = extent(name, region.count);
            for dy in [0.0, -12.0, 12.0, -22.0, 22.0] {
                if free(&placed, x, y + dy, size) {
                    chosen = Some((Label { x, y: y + dy, name, count: region.count }, size));
                    break 'names;
                }
            }
        }
        let chosen =
            chosen.unwrap_or_else(|| (Label { x, y, name: None, count: region.count }, extent(None, region.count)));
        placed.push(chosen);
    }
    placed.into_iter().map(|(l, _)| l).collect()
}

/// Markers, with those that would cover each other spread on a ring around their spot and tied
/// to it by a short line.
fn write_markers(out: &mut String, proj: &Projection, markers: &[Marker]) {
    let mut groups: Vec<((f64, f64), Vec<&Marker>)> = Vec::new();
    for m in markers {
        let p = proj.project(m.lat, m.lon);
        match groups.iter_mut().find(|(c, _)| (c.0 - p.0).hypot(c.1 - p.1) < SHARED) {
            Some((_, list)) => list.push(m),
            None => groups.push((p, vec![m])),
        }
    }
    for ((cx, cy), list) in &groups {
        let n = list.len();
        let ring = if n == 1 { 0.0 } else { (MARKER * 2.4 * n as f64 / std::f64::consts::TAU).max(MARKER * 1.8) };
        let spots: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let a = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::TAU / n as f64;
                (round(cx + ring * a.cos()), round(cy + ring * a.sin()))
            })
            .collect();
        if n > 1 {
            let mut d = String::new();
            for (x, y) in &spots {
                let _ = write!(d, "M{} {} {} {}", num(*cx), num(*cy), num(*x), num(*y));
            }
            let _ = write!(
                out,
                r#"<g class="map__spread" aria-hidden="true"><path d="{d}"/><circle cx="{}" cy="{}" r="2.5"/></g>"#,
                num(*cx),
                num(*cy)
            );
        }
        for (m, (x, y)) in list.iter().zip(&spots) {
            let (colour, shape) = category_style(m.category);
            let _ = write!(
                out,
                r##"<a href="{}" class="map__marker" aria-label="{}"><title>{}</title><path d="{}" fill="{colour}" stroke="#fff" stroke-width="1.5"/></a>"##,
                esc(&m.href),
                esc(&m.label),
                esc(&m.label),
                symbol_path(shape, *x, *y, MARKER)
            );
        }
    }
}

/// Relative luminance of a `#rrggbb` colour (WCAG 2.1).
pub fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap_or(0) as f64 / 255.0;
        if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
}

/// WCAG contrast ratio of two `#rrggbb` colours.
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// What a map shows: one municipality or all, one category or all.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection {
    pub municipality: Option<NodeId>,
    pub category: Option<Category>,
}

impl SiteData {
    /// The map page (`[map] page` in config.toml), when configured.
    pub fn map_page(&self) -> Option<NodeId> {
        self.config.map.page.as_deref().and_then(|p| self.library.resolve_key(p))
    }

    /// Categories that have at least one service, in vocabulary order: each gets a map page.
    pub fn map_categories(&self) -> Vec<Category> {
        let present: std::collections::BTreeSet<Category> =
            self.facts.municipality_of.keys().filter_map(|&s| self.service(s)).map(|s| *s.category.get_ref()).collect();
        Category::ALL.iter().copied().filter(|c| present.contains(c)).collect()
    }

    /// Site path of a category's map page: `<map page>/<category label as a slug>/`.
    pub fn map_category_path(&self, category: Category, lang: usize) -> Option<String> {
        let base = self.library.nodes[self.map_page()?].paths[lang].as_ref()?;
        let slug = crate::slug::slugify(&self.label(lang, &category.label_key()), self.lang_code(lang));
        Some(format!("{base}{slug}/"))
    }

    fn teryt_of(&self, municipality: NodeId) -> Option<&str> {
        let doc = self.library.nodes[municipality].docs[self.default_lang()].as_ref()?;
        kind_of::<Municipality>(doc).map(|m| m.teryt.get_ref().as_str())
    }

    fn municipality_by_teryt(&self, teryt: &str) -> Option<NodeId> {
        self.facts.municipalities.iter().copied().find(|&m| self.teryt_of(m) == Some(teryt))
    }

    fn title_in(&self, node: NodeId, lang: usize) -> &str {
        self.doc(node, lang).map(|d| d.title()).unwrap_or_default()
    }

    /// Municipalities in the reader's alphabetical order, each with its services of the
    /// selection sorted by category, then name.
    fn map_groups(&self, lang: usize, sel: Selection) -> Vec<(NodeId, Vec<NodeId>)> {
        let code = self.lang_code(lang);
        let mut municipalities: Vec<NodeId> =
            self.facts.municipalities.iter().copied().filter(|&m| sel.municipality.is_none_or(|s| s == m)).collect();
        municipalities.sort_by(|&a, &b| self.locales.compare(code, self.title_in(a, lang), self.title_in(b, lang)));
        municipalities
            .into_iter()
            .map(|m| {
                let mut services: Vec<NodeId> = self
                    .facts
                    .services_for(m)
                    .into_iter()
                    .filter(|&s| {
                        self.service(s).is_some_and(|x| sel.category.is_none_or(|c| *x.category.get_ref() == c))
                    })
                    .collect();
                services.sort_by(|&a, &b| {
                    let ca = self.service(a).map(|s| *s.category.get_ref());
                    let cb = self.service(b).map(|s| *s.category.get_ref());
                    ca.cmp(&cb).then_with(|| self.locales.compare(code, self.title_in(a, lang), self.title_in(b, lang)))
                });
                (m, services)
            })
            .collect()
    }

    fn message(&self, lang: usize, key: &str, args: &[(&str, fluent_bundle::FluentValue<'_>)]) -> String {
        self.locales.message(self.lang_code(lang), key, args).unwrap_or_else(|_| key.to_string())
    }

    fn marker_label(&self, service: NodeId, lang: usize) -> String {
        let category = self.service(service).map(|s| self.label(lang, &s.category.get_ref().label_key()));
        self.message(
            lang,
            "map-marker-label",
            &[
                ("name", self.title_in(service, lang).to_string().into()),
                ("category", category.unwrap_or_default().into()),
            ],
        )
    }

    /// The static map of a selection as inline SVG.
    pub fn map_svg(&self, lang: usize, sel: Selection) -> String {
        let Some(boundaries) = &self.boundaries else { return String::new() };
        let groups = self.map_groups(lang, Selection { municipality: None, category: sel.category });
        let mut located = 0;
        let mut unlocated = 0;
        let mut markers = Vec::new();
        let mut regions = Vec::new();
        for (m, services) in &groups {
            let Some(teryt) = self.teryt_of(*m) else { continue };
            let name = self.title_in(*m, lang).to_string();
            let label = self.message(
                lang,
                "map-region-label",
                &[("name", name.clone().into()), ("count", (services.len() as i64).into())],
            );
            let href = self.library.nodes[*m].paths[lang].as_ref().map(|p| self.href(p));
            regions.push(Region {
                teryt: teryt.to_string(),
                name,
                href,
                count: services.len(),
                label,
                current: sel.municipality == Some(*m),
            });
            if sel.municipality.is_some_and(|s| s != *m) {
                continue;
            }
            // `map_groups` keeps only pages with a [service] table, so `service()` is present.
            // A service appears in the list of every municipality it serves, but is drawn and
            // counted once, in its own municipality.
            let own = services.iter().filter(|&&s| self.facts.municipality_of.get(&s) == Some(m));
            for (&s, service) in own.filter_map(|s| Some((s, self.service(*s)?))) {
                let coordinates = service.coordinates.as_ref().map(|c| *c.get_ref());
                match (coordinates, self.library.nodes[s].paths[lang].as_ref()) {
                    (Some([lat, lon]), Some(path)) => {
                        located += 1;
                        markers.push(Marker {
                            lat,
                            lon,
                            category: *service.category.get_ref(),
                            label: self.marker_label(s, lang),
                            href: self.href(path),
                        });
                    }
                    _ => unlocated += 1,
                }
            }
        }
        let title = match (sel.municipality, sel.category) {
            (Some(m), _) => {
                self.message(lang, "map-title-municipality", &[("name", self.title_in(m, lang).to_string().into())])
            }
            (None, Some(c)) => {
                self.message(lang, "map-title-category", &[("name", self.label(lang, &c.label_key()).into())])
            }
            (None, None) => self.label(lang, "map-title"),
        };
        let desc = self.message(
            lang,
            "map-desc",
            &[("located", (located as i64).into()), ("unlocated", (unlocated as i64).into())],
        );
        let focus = sel.municipality.and_then(|m| self.teryt_of(m)).map(str::to_string);
        render_svg(boundaries, &SvgMap { id: "map".to_string(), title, desc, regions, markers, focus })
    }

    /// The data next to a map: the text alternative (municipality → category → services), the
    /// legend, the category pages and what the interactive map needs.
    pub fn map_data(&self, lang: usize, sel: Selection) -> Value {
        let groups = self.map_groups(lang, sel);
        let (mut total, mut located) = (0usize, 0usize);
        let mut legend: std::collections::BTreeMap<Category, (usize, usize)> = Default::default();
        let mut languages: std::collections::BTreeSet<ServiceLanguage> = Default::default();
        let municipalities: Vec<Value> = groups
            .iter()
            .filter(|(_, services)| !services.is_empty())
            .map(|(m, services)| {
                let mut by_category: Vec<(Category, Vec<Value>)> = Vec::new();
                for &s in services {
                    let Some(service) = self.service(s) else { continue };
                    let category = *service.category.get_ref();
                    let is_located = service.coordinates.is_some();
                    // A service listed under each municipality it serves is counted once, at home.
                    if self.facts.municipality_of.get(&s) == Some(m) {
                        total += 1;
                        located += usize::from(is_located);
                        let entry = legend.entry(category).or_default();
                        entry.0 += 1;
                        entry.1 += usize::from(is_located);
                    }
                    languages.extend(service.languages.iter().copied());
                    let item = self.map_item(s, lang, *m);
                    match by_category.last_mut() {
                        Some((c, list)) if *c == category => list.push(item),
                        _ => by_category.push((category, vec![item])),
                    }
                }
                let node = &self.library.nodes[*m];
                Value::from_pairs([
                    ("title", Value::from(self.title_in(*m, lang))),
                    ("lang", Value::from(self.lang_code(self.content_lang(*m, lang)))),
                    ("is_fallback", Value::from(node.is_fallback(lang))),
                    ("path", Value::from(node.paths[lang].as_ref().map(|p| self.href(p)))),
                    ("teryt", Value::from(self.teryt_of(*m))),
                    ("count", Value::from(services.len())),
                    (
                        "categories",
                        by_category
                            .into_iter()
                            .map(|(c, items)| {
                                Value::from_pairs([
                                    ("category", self.category_term(c, lang)),
                                    ("services", Value::from(items)),
                                ])
                            })
                            .collect(),
                    ),
                ])
            })
            .collect();
        let legend: Vec<Value> = legend
            .into_iter()
            .map(|(c, (count, here))| {
                Value::from_pairs([
                    ("code", Value::from(c.code())),
                    ("label", Value::from(self.label(lang, &c.label_key()))),
                    ("count", Value::from(count)),
                    ("located", Value::from(here)),
                    ("symbol", Value::from_safe_string(symbol_svg(c))),
                ])
            })
            .collect();
        let categories: Vec<Value> = self
            .map_categories()
            .into_iter()
            .map(|c| {
                let count = self
                    .facts
                    .municipality_of
                    .keys()
                    .filter(|&&s| self.service(s).is_some_and(|x| *x.category.get_ref() == c))
                    .count();
                Value::from_pairs([
                    ("code", Value::from(c.code())),
                    ("label", Value::from(self.label(lang, &c.label_key()))),
                    ("count", Value::from(count)),
                    ("path", Value::from(self.map_category_path(c, lang).map(|p| self.href(&p)))),
                    ("current", Value::from(sel.category == Some(c))),
                ])
            })
            .collect();
        let all_municipalities: Vec<Value> = self
            .map_groups(lang, Selection::default())
            .into_iter()
            .map(|(m, _)| {
                Value::from_pairs([
                    ("teryt", Value::from(self.teryt_of(m))),
                    ("title", Value::from(self.title_in(m, lang))),
                ])
            })
            .collect();
        let map_page = self.map_page().and_then(|p| self.library.nodes[p].paths[lang].as_ref()).map(|p| self.href(p));
        let map = &self.config.map;
        Value::from_pairs([
            ("total", Value::from(total)),
            ("located", Value::from(located)),
            ("unlocated", Value::from(total - located)),
            ("municipalities", Value::from(municipalities)),
            ("legend", Value::from(legend)),
            ("region_symbol", Value::from_safe_string(region_symbol())),
            ("categories", Value::from(categories)),
            ("all_municipalities", Value::from(all_municipalities)),
            (
                "languages",
                languages.into_iter().map(|l| self.category_like_term(l.label_key(), l.code(), lang)).collect(),
            ),
            ("page", Value::from(map_page)),
            ("services_geojson", Value::from(self.href(&format!("/{}", services_geojson_path(self.lang_code(lang)))))),
            ("boundaries", Value::from(self.href(&format!("/{BOUNDARIES_PATH}")))),
            ("tiles", Value::from(map.tiles.as_str())),
            ("attribution", Value::from(map.attribution.as_str())),
            ("attribution_url", Value::from(map.attribution_url.as_str())),
            ("max_zoom", Value::from(map.max_zoom)),
        ])
    }

    fn category_term(&self, c: Category, lang: usize) -> Value {
        self.category_like_term(c.label_key(), c.code(), lang)
    }

    fn category_like_term(&self, key: String, code: &str, lang: usize) -> Value {
        Value::from_pairs([("code", Value::from(code)), ("label", Value::from(self.label(lang, &key)))])
    }

    /// A service in the text alternative.
    fn map_item(&self, s: NodeId, lang: usize, municipality: NodeId) -> Value {
        let service = self.service(s);
        let node = &self.library.nodes[s];
        Value::from_pairs([
            ("title", Value::from(self.title_in(s, lang))),
            ("lang", Value::from(self.lang_code(self.content_lang(s, lang)))),
            ("is_fallback", Value::from(node.is_fallback(lang))),
            ("path", Value::from(node.paths[lang].as_ref().map(|p| self.href(p)))),
            ("category", Value::from(service.map(|x| x.category.get_ref().code()))),
            ("address", Value::from(service.and_then(|x| x.address.as_ref()).map(|a| a.get_ref().as_str()))),
            ("located", Value::from(service.is_some_and(|x| x.coordinates.is_some()))),
            ("teryt", Value::from(self.teryt_of(municipality))),
            (
                "languages",
                Value::from(
                    service
                        .map(|x| x.languages.iter().map(|l| l.code()).collect::<Vec<_>>().join(" "))
                        .unwrap_or_default(),
                ),
            ),
        ])
    }

    /// The services of every municipality as GeoJSON in one language: names, category labels,
    /// hours and URLs in that language; a service without coordinates has `"geometry": null`.
    /// Foreign members carry what the interactive map labels with: the municipalities (name,
    /// page, label point), the categories (label, colour, shape, symbol) and the languages.
    pub fn services_geojson(&self, lang: usize) -> String {
        let features: Vec<Json> = self
            .services_in_order()
            .into_iter()
            .filter_map(|(s, m)| {
                let service = self.service(s)?;
                let node = &self.library.nodes[s];
                let geometry = match service.coordinates.as_ref().map(|c| *c.get_ref()) {
                    Some([lat, lon]) => json!({"type": "Point", "coordinates": [lon, lat]}),
                    None => Json::Null,
                };
                let hours =
                    service.opening_hours.as_ref().and_then(|h| opening_hours::parse(h.get_ref()).ok()).map(|parsed| {
                        self.hours_rows(lang, &parsed)
                            .into_iter()
                            .map(|(days, hours, _)| json!([days, hours]))
                            .collect::<Vec<_>>()
                    });
                let category = *service.category.get_ref();
                Some(json!({
                    "type": "Feature",
                    "id": node.key.trim_end_matches(".md"),
                    "geometry": geometry,
                    "properties": {
                        "name": self.title_in(s, lang),
                        "name_lang": self.lang_code(self.content_lang(s, lang)),
                        "url": node.paths[lang].as_ref().map(|p| self.href(p)),
                        "category": category.code(),
                        "category_label": self.label(lang, &category.label_key()),
                        "municipality": self.teryt_of(m),
                        "municipality_name": self.title_in(m, lang),
                        "address": service.address.as_ref().map(|a| a.get_ref()),
                        "phone": service.phone.as_ref().map(|p| p.get_ref().items()).unwrap_or_default(),
                        "hours": hours,
                        "languages": service.languages.iter().map(|l| l.code()).collect::<Vec<_>>(),
                        "label": self.marker_label(s, lang),
                    },
                }))
            })
            .collect();
        let municipalities: Vec<Json> = self
            .map_groups(lang, Selection::default())
            .into_iter()
            .filter_map(|(m, services)| {
                let teryt = self.teryt_of(m)?;
                let point = self.boundaries.as_ref().and_then(|b| b.get(teryt)).map(|b| {
                    let (lon, lat) = b.label_point();
                    [(lon * 1e5).round() / 1e5, (lat * 1e5).round() / 1e5]
                });
                Some(json!({
                    "teryt": teryt,
                    "name": self.title_in(m, lang),
                    "url": self.library.nodes[m].paths[lang].as_ref().map(|p| self.href(p)),
                    "label_point": point,
                    "count": services.len(),
                }))
            })
            .collect();
        let categories: Vec<Json> = Category::ALL
            .iter()
            .map(|&c| {
                let (colour, shape) = category_style(c);
                json!({
                    "code": c.code(),
                    "label": self.label(lang, &c.label_key()),
                    "colour": colour,
                    "shape": format!("{shape:?}").to_lowercase(),
                    "symbol": symbol_svg(c),
                })
            })
            .collect();
        let languages: Vec<Json> = ServiceLanguage::ALL
            .iter()
            .map(|l| json!({"code": l.code(), "label": self.label(lang, &l.label_key())}))
            .collect();
        let doc = json!({
            "type": "FeatureCollection",
            "lang": self.lang_code(lang),
            "title": self.label(lang, "map-title"),
            "boundaries": self.href(&format!("/{BOUNDARIES_PATH}")),
            "style": {"region_fill": REGION_FILL, "current_fill": CURRENT_FILL, "region_stroke": REGION_STROKE},
            "municipalities": municipalities,
            "categories": categories,
            "languages": languages,
            "features": features,
        });
        serde_json::to_string(&doc).unwrap_or_default() + "\n"
    }
}

/// A selection from the keyword arguments `municipality=` (TERYT) and `category=` (code).
fn selection(site: &SiteData, kwargs: &Kwargs, function: &str) -> Result<Selection, Error> {
    let municipality: Option<String> = kwargs.get("municipality")?;
    let category: Option<String> = kwargs.get("category")?;
    kwargs.assert_all_used()?;
    let invalid = |msg: String| Error::new(ErrorKind::InvalidOperation, format!("{function}(): {msg}"));
    let municipality = match municipality {
        Some(t) => {
            Some(site.municipality_by_teryt(&t).ok_or_else(|| invalid(format!("no municipality with TERYT `{t}`")))?)
        }
        None => None,
    };
    let category = match category {
        Some(c) => Some(
            Category::from_code(&c)
                .ok_or_else(|| invalid(format!("unknown category `{c}` (one of: {})", Category::codes().join(", "))))?,
        ),
        None => None,
    };
    Ok(Selection { municipality, category })
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

#[cfg(test)]
mod tests {
    use super::*;

    const SMK: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/geo/smk-gminy.geojson"));

    fn bbox(min_lon: f64, min_lat: f64, max_lon: f64, max_lat: f64) -> BBox {
        BBox { min_lon, min_lat, max_lon, max_lat }
    }

    #[test]
    fn projection_fits_the_box_and_keeps_north_up() {
        // 1° × 1° at 60°N is twice as tall as wide once longitudes are scaled by cos 60° = 0.5.
        let p = Projection::fit(bbox(10.0, 59.5, 11.0, 60.5), 600.0, 1000.0, 0.0);
        assert_eq!((p.width, p.height), (600.0, 1000.0));
        assert_eq!(p.project(60.5, 10.0), (50.0, 0.0), "north-west corner, centred horizontally");
        assert_eq!(p.project(59.5, 11.0), (550.0, 1000.0));
        // Wide boxes fill the width and get a shorter viewBox.
        let p = Projection::fit(bbox(0.0, -0.5, 4.0, 0.5), 600.0, 560.0, 10.0);
        assert_eq!((p.width, p.height), (600.0, 165.0));
        assert_eq!(p.project(0.0, 2.0), (300.0, 82.5));
        assert_eq!(p.project(0.5, 0.0), (10.0, 10.0));
    }

    #[test]
    fn projection_rounds_to_a_tenth_and_grows_points_into_a_window() {
        let p = Projection::fit(bbox(19.9, 50.0, 19.9, 50.0), 600.0, 560.0, 12.0);
        let (x, y) = p.project(50.0, 19.9);
        assert_eq!((x, y), (300.0, p.height / 2.0));
        assert!(p.height > 100.0 && p.height <= 560.0, "{}", p.height);
        let (x, _) = p.project(50.001234, 19.901234);
        assert_eq!(x, (x * 10.0).round() / 10.0);
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.25), "12.3");
    }

    #[test]
    fn the_metropolis_keeps_its_proportions() {
        let b = Boundaries::parse(SMK).unwrap();
        let bb = b.bbox().unwrap();
        let p = Projection::fit(bb, VIEW_WIDTH, MAX_HEIGHT, PAD);
        let cos = ((bb.min_lat + bb.max_lat) / 2.0).to_radians().cos();
        let want = (bb.max_lat - bb.min_lat) / ((bb.max_lon - bb.min_lon) * cos);
        let got = (p.height - 2.0 * PAD) / (p.width - 2.0 * PAD);
        assert!((want - got).abs() < 0.01, "aspect {got} vs {want}");
        // Every seat is drawn inside the view.
        let (x, y) = p.project(50.07262, 19.93250);
        assert!(p.contains((x, y), PAD), "Kraków at {x},{y}");
    }

    #[test]
    fn category_colours_contrast_with_every_fill_and_pairs_are_unique() {
        let mut seen = Vec::new();
        for &c in Category::ALL {
            let (colour, shape) = category_style(c);
            for fill in [REGION_FILL, CURRENT_FILL, PLAIN_FILL] {
                let ratio = contrast(colour, fill);
                assert!(ratio >= 3.0, "{} {colour} on {fill}: {ratio:.2}", c.code());
            }
            assert!(!seen.contains(&(colour, shape)), "{} repeats a colour and shape", c.code());
            seen.push((colour, shape));
        }
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    }

    fn square(teryt: &str, name: &str, lon: f64) -> String {
        format!(
            r#"{{"type":"Feature","properties":{{"teryt":"{teryt}","name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[[[{lon},50],[{},50],[{},50.1],[{lon},50.1],[{lon},50]]]}}}}"#,
            lon + 0.1,
            lon + 0.1
        )
    }

    /// Exact SVG of a small map, so that any change to the markup is a reviewed change.
    #[test]
    fn svg_snapshot() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
            square("1200001", "Alfa", 19.0),
            square("1200002", "Beta & Co", 19.1),
            square("1200003", "Gamma", 19.2)
        );
        let boundaries = Boundaries::parse(&text).unwrap();
        let region = |teryt: &str, name: &str, count, current| Region {
            teryt: teryt.into(),
            name: name.into(),
            href: Some(format!("/gminy/{}/", name.to_lowercase().replace(' ', "-"))),
            count,
            label: format!("{name}: {count}"),
            current,
        };
        let marker = |lat, lon, category, label: &str| Marker {
            lat,
            lon,
            category,
            label: label.into(),
            href: format!("/s/{label}/"),
        };
        let map = SvgMap {
            id: "m".into(),
            title: "Services".into(),
            desc: "Located: 3. Without a location: 1.".into(),
            regions: vec![region("1200001", "Alfa", 1, false), region("1200002", "Beta & Co", 2, true)],
            markers: vec![
                marker(50.05, 19.05, Category::SocialAssistance, "a"),
                marker(50.05, 19.15, Category::Health, "b"),
                marker(50.05, 19.15, Category::MigrantInformation, "c"),
            ],
            focus: None,
        };
        let svg = render_svg(&boundaries, &map);
        let expected = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/map-small.svg"));
        if svg != expected.trim_end() {
            let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/map-small.svg.new");
            std::fs::write(&out, &svg).ok();
            panic!("SVG differs from tests/snapshots/map-small.svg (new output in {})", out.display());
        }
        // The same input gives the same bytes.
        assert_eq!(render_svg(&boundaries, &map), svg);
    }

    #[test]
    fn a_focused_map_fits_its_municipality_and_marks_it_current() {
        let b = Boundaries::parse(SMK).unwrap();
        let regions = b
            .features
            .iter()
            .map(|f| Region {
                teryt: f.teryt.clone(),
                name: f.name.clone(),
                href: Some(format!("/{}/", f.teryt)),
                count: 1,
                label: f.name.clone(),
                current: f.teryt == "1219012",
            })
            .collect();
        let map = SvgMap {
            id: "m".into(),
            title: "t".into(),
            desc: "d".into(),
            regions,
            markers: vec![],
            focus: Some("1219012".into()),
        };
        let svg = render_svg(&b, &map);
        assert_eq!(svg.matches("<a href=").count(), 15, "every municipality stays a link");
        assert_eq!(svg.matches(r#"aria-current="page""#).count(), 1);
        assert!(svg.contains(r#"<text class="map__name" "#) && svg.contains(">Biskupice</text>"));
        // Kraków's label point lies outside the view around small Biskupice.
        assert!(!svg.contains(">Kraków</text>"), "labels outside the view are left out");
    }
}
