//! Drawing: the accessible inline SVG of a map (each municipality a link carrying its service
//! count, services as category symbols, co-located ones spread on a ring), the category
//! symbols and colours, and the contrast check that keeps every symbol visible on every fill.

use std::fmt::Write as _;

use crate::schema::geo::Boundaries;
use crate::schema::vocab::Category;
use crate::templates::escape_html as esc;

use super::labels::place_labels;
use super::projection::MAX_HEIGHT;
use super::projection::PAD;
use super::projection::Projection;
use super::projection::VIEW_WIDTH;
use super::projection::num;
use super::projection::round;

/// Marker radius in viewBox units.
pub(super) const MARKER: f64 = 6.5;

/// Markers closer than this (viewBox units) would cover each other: they are spread on a ring.
pub(super) const SHARED: f64 = 9.0;

/// Fill of a municipality shape; every category colour keeps 3:1 contrast against it.
pub(crate) const REGION_FILL: &str = "#e6eee0";

/// Fill of the municipality a map is about.
pub(crate) const CURRENT_FILL: &str = "#fdf0c2";

/// Fill of a boundary without a municipality page.
pub(crate) const PLAIN_FILL: &str = "#f2f2f2";

pub(crate) const REGION_STROKE: &str = "#4f5d4a";

/// Marker shapes, so that colour is never the only cue for the category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
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
pub(crate) fn category_style(category: Category) -> (&'static str, Shape) {
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
pub(crate) fn symbol_path(shape: Shape, cx: f64, cy: f64, r: f64) -> String {
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
pub(crate) fn symbol_svg(category: Category) -> String {
    let (colour, shape) = category_style(category);
    format!(
        r##"<svg class="map-symbol" viewBox="-10 -10 20 20" width="20" height="20" aria-hidden="true" focusable="false"><path d="{}" fill="{colour}" stroke="#fff" stroke-width="1.5"/></svg>"##,
        symbol_path(shape, 0.0, 0.0, MARKER)
    )
}

/// The legend's swatch of a municipality shape.
pub(crate) fn region_symbol() -> String {
    format!(
        r#"<svg class="map-symbol" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false"><rect x="1" y="3" width="18" height="14" fill="{REGION_FILL}" stroke="{REGION_STROKE}"/></svg>"#
    )
}

/// A municipality on a map.
#[derive(Debug, Clone)]
pub(crate) struct Region {
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
pub(crate) struct Marker {
    pub lat: f64,
    pub lon: f64,
    pub category: Category,
    /// Accessible name ("MGOPS w Wieliczce (Ośrodek pomocy społecznej)").
    pub label: String,
    pub href: String,
}

/// Everything one static map shows.
#[derive(Debug, Clone)]
pub(crate) struct SvgMap {
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
pub(crate) fn render_svg(boundaries: &Boundaries, map: &SvgMap) -> String {
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

/// Markers, with those that would cover each other spread on a ring around their spot and tied
/// to it by a short line.
pub(super) fn write_markers(out: &mut String, proj: &Projection, markers: &[Marker]) {
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

/// Relative luminance of a `#rrggbb` colour (WCAG 2.1), for the contrast test of the symbols.
#[cfg(test)]
pub(crate) fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap_or(0) as f64 / 255.0;
        if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
}

#[cfg(test)]
/// WCAG contrast ratio of two `#rrggbb` colours.
pub(crate) fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMK: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/geo/smk-gminy.geojson"));

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

    /// Exact SVG of a small map, so that any change to the markup is a reviewed change
    /// (`cargo insta review`).
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
        insta::assert_snapshot!("map-small", svg);
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
