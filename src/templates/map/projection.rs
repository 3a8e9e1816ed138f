//! Projection: fits a boundary box into the map's viewBox with an equirectangular projection
//! scaled by the cosine of the middle latitude (accurate enough at the scale of a metropolis,
//! and north stays up), rounding to 0.1 units so that output is stable.

use crate::schema::geo::BBox;

/// Width of every map's viewBox; the height follows the shape shown.
pub(crate) const VIEW_WIDTH: f64 = 600.0;

pub(super) const MAX_HEIGHT: f64 = 560.0;

pub(super) const PAD: f64 = 12.0;

/// Equirectangular projection with longitudes scaled by cos φ0 (φ0: the middle latitude of the
/// fitted box), scaled and centred into a viewBox of fixed width. At the size of a metropolis
/// the distortion against a conformal projection is far below a pixel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Projection {
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
    pub(crate) fn fit(bbox: BBox, width: f64, max_height: f64, pad: f64) -> Projection {
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
    pub(crate) fn project(&self, lat: f64, lon: f64) -> (f64, f64) {
        (round(self.ox + (lon - self.min_lon) * self.cos * self.k), round(self.oy + (self.max_lat - lat) * self.k))
    }

    pub(crate) fn contains(&self, (x, y): (f64, f64), margin: f64) -> bool {
        (margin..=self.width - margin).contains(&x) && (margin..=self.height - margin).contains(&y)
    }
}

pub(super) fn round(v: f64) -> f64 {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 { 0.0 } else { r }
}

/// A coordinate as written in the SVG: at most one decimal, no `.0`, no `-0`.
pub(crate) fn num(v: f64) -> String {
    let r = round(v);
    if r.fract() == 0.0 { format!("{}", r as i64) } else { format!("{r:.1}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::geo::Boundaries;

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
}
