//! Municipality boundaries: loads gmina polygons from a GeoJSON FeatureCollection, answers
//! point-in-polygon questions and offers a few geometry helpers that need no projection:
//! bounding boxes, distance to the border in metres and a label point inside.
//!
//! Coordinates are WGS84 `(lon, lat)` pairs as in GeoJSON, but the query methods take `lat, lon`
//! in that order, like the `seat_lat`/`seat_lon` fields of the content files.

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Value};

/// Mean Earth radius (IUGG), in metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;
/// Tolerance in degrees (about 0.1 mm) for deciding that a point lies on an edge.
const EPS: f64 = 1e-9;

type Ring = Vec<(f64, f64)>;

/// Why a boundary file cannot be used: message plus 1-based line and column in the file when known.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GeoError {
    pub message: String,
    /// 1-based; 0 when unknown.
    pub line: usize,
    /// 1-based, in characters; 0 when unknown.
    pub column: usize,
}

impl fmt::Display for GeoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.line, self.column, self.message)
        } else {
            f.write_str(&self.message)
        }
    }
}

impl std::error::Error for GeoError {}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl BBox {
    /// Whether the point lies inside the box or on its border.
    pub(crate) fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.min_lat - EPS..=self.max_lat + EPS).contains(&lat)
            && (self.min_lon - EPS..=self.max_lon + EPS).contains(&lon)
    }

    /// The smallest box holding both.
    pub(crate) fn union(self, other: BBox) -> BBox {
        BBox {
            min_lon: self.min_lon.min(other.min_lon),
            min_lat: self.min_lat.min(other.min_lat),
            max_lon: self.max_lon.max(other.max_lon),
            max_lat: self.max_lat.max(other.max_lat),
        }
    }

    fn of_points<'a>(points: impl IntoIterator<Item = &'a (f64, f64)>) -> Option<BBox> {
        points
            .into_iter()
            .map(|&(lon, lat)| BBox { min_lon: lon, min_lat: lat, max_lon: lon, max_lat: lat })
            .reduce(BBox::union)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Boundary {
    pub teryt: String,
    pub name: String,
    /// polygons, each a list of rings (first exterior, then holes), each ring a list of (lon, lat)
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
    pub bbox: BBox,
    /// The feature's `properties` as in the file (including `teryt` and `name`).
    pub properties: Map<String, Value>,
    /// [`Boundary::label_point`], computed once: every map of every language asks for it, and
    /// its cost grows with the square of the vertices (review R7).
    label: std::sync::OnceLock<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Boundaries {
    pub features: Vec<Boundary>,
    /// the file's top-level "metadata" object (sources, licence), if any
    pub metadata: Option<Value>,
}

impl Boundaries {
    /// Parses a GeoJSON FeatureCollection of Polygon/MultiPolygon features whose TERYT comes from `properties.teryt` or the feature `id`.
    ///
    /// Every bad feature is reported, each error at the line of its feature when that can be found.
    pub(crate) fn parse(text: &str) -> Result<Boundaries, Vec<GeoError>> {
        let root: Value = serde_json::from_str(text).map_err(|e| vec![json_error(text, &e)])?;
        let top = |message: String| vec![GeoError { message, line: 0, column: 0 }];
        let Some(obj) = root.as_object() else { return Err(top("the top level must be a JSON object".into())) };
        if obj.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
            return Err(top(format!(r#""type" must be "FeatureCollection", found {}"#, describe(obj.get("type")))));
        }
        let Some(features) = obj.get("features").and_then(Value::as_array) else {
            return Err(top(r#"a FeatureCollection needs a "features" array"#.into()));
        };
        let offsets = feature_offsets(text, features.len());
        let (mut out, mut errors, mut seen) = (Vec::new(), Vec::new(), HashMap::new());
        for (i, feature) in features.iter().enumerate() {
            let claimed = |v: Option<&Value>| v.filter(|v| !v.is_null()).and_then(teryt_text);
            let label = claimed(feature.pointer("/properties/teryt")).or_else(|| claimed(feature.get("id")));
            let offset = offsets[i].or_else(|| label.as_ref().and_then(|t| text.find(&format!("\"{t}\""))));
            let (line, column) = offset.map_or((0, 0), |o| line_column(text, o));
            let prefix = format!("feature {}{}", i + 1, label.as_ref().map_or(String::new(), |t| format!(" ({t})")));
            let mut messages = Vec::new();
            if let Some(b) = parse_feature(feature, &mut messages) {
                match seen.get(&b.teryt) {
                    Some(first) => messages.push(format!("duplicate TERYT {} (also feature {first})", b.teryt)),
                    None => {
                        seen.insert(b.teryt.clone(), i + 1);
                        out.push(b);
                    }
                }
            }
            errors.extend(messages.into_iter().map(|m| GeoError { message: format!("{prefix}: {m}"), line, column }));
        }
        errors.is_empty().then(|| Boundaries { features: out, metadata: obj.get("metadata").cloned() }).ok_or(errors)
    }

    pub(crate) fn get(&self, teryt: &str) -> Option<&Boundary> {
        self.features.iter().find(|b| b.teryt == teryt)
    }

    /// The TERYT of the boundary containing the point, if any.
    ///
    /// A point strictly inside a boundary wins; a point on a shared border goes to the first
    /// boundary in file order that has it on its edge.
    #[cfg(test)]
    pub(crate) fn locate(&self, lat: f64, lon: f64) -> Option<&str> {
        let find = |wanted| self.features.iter().find(|b| b.classify(lat, lon) == wanted);
        find(Some(true)).or_else(|| find(None)).map(|b| b.teryt.as_str())
    }

    /// The bounding box of all features, `None` when there are none.
    pub(crate) fn bbox(&self) -> Option<BBox> {
        self.features.iter().map(|b| b.bbox).reduce(BBox::union)
    }
}

impl Boundary {
    /// Point-in-polygon (even-odd per polygon, holes excluded). Points exactly on an edge count as inside (shared borders: a seat point lies on the Biskupice/Wieliczka line).
    pub(crate) fn contains(&self, lat: f64, lon: f64) -> bool {
        self.classify(lat, lon) != Some(false)
    }

    /// Distance in metres from the point to the nearest edge of the boundary (0 when on the edge), haversine or equirectangular approximation is fine.
    ///
    /// Uses an equirectangular projection centred on the point (error well under 1 % at the
    /// scale of a metropolitan area). Infinite when the boundary has no edges.
    pub(crate) fn distance_to_edge_m(&self, lat: f64, lon: f64) -> f64 {
        let k = lat.to_radians().cos();
        let project =
            |(x, y): (f64, f64)| ((x - lon).to_radians() * k * EARTH_RADIUS_M, (y - lat).to_radians() * EARTH_RADIUS_M);
        (self.polygons.iter().flatten().flat_map(|ring| ring.windows(2)))
            .map(|w| {
                let ((ax, ay), (bx, by)) = (project(w[0]), project(w[1]));
                let (dx, dy) = (bx - ax, by - ay);
                let len2 = dx * dx + dy * dy;
                let t = if len2 > 0.0 { (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
                (ax + t * dx).hypot(ay + t * dy)
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// A representative point guaranteed inside (for labels): e.g. the centroid if inside, else a point found by scanning.
    ///
    /// Scans 24 horizontal lines across the bounding box and, of the midpoints of the inside
    /// runs between even-odd crossings, returns the one farthest from any edge: roughly the pole
    /// of inaccessibility, so unlike a centroid it never lands in a hole, a bay or a small island.
    /// Falls back to the first vertex (on the edge) for slivers the lines miss.
    pub(crate) fn label_point(&self) -> (f64, f64) {
        *self.label.get_or_init(|| self.find_label_point())
    }

    fn find_label_point(&self) -> (f64, f64) {
        const LINES: usize = 24;
        let mut best: Option<(f64, (f64, f64))> = None;
        for i in 0..LINES {
            let y = self.bbox.min_lat + (self.bbox.max_lat - self.bbox.min_lat) * (i as f64 + 0.5) / LINES as f64;
            for poly in &self.polygons {
                let mut xs: Vec<f64> = (poly.iter().flat_map(|ring| ring.windows(2)))
                    .filter(|w| (w[0].1 > y) != (w[1].1 > y))
                    .map(|w| w[0].0 + (y - w[0].1) * (w[1].0 - w[0].0) / (w[1].1 - w[0].1))
                    .collect();
                xs.sort_by(f64::total_cmp);
                for pair in xs.chunks_exact(2).filter(|pair| pair[1] > pair[0]) {
                    let x = (pair[0] + pair[1]) / 2.0;
                    let d = self.distance_to_edge_m(y, x);
                    if best.is_none_or(|(best_d, _)| d > best_d) {
                        best = Some((d, (x, y)));
                    }
                }
            }
        }
        let first = self.polygons.iter().flatten().flatten().next().copied();
        best.map(|(_, p)| p).or(first).unwrap_or((self.bbox.min_lon, self.bbox.min_lat))
    }

    /// `Some(true)` strictly inside, `None` on an edge, `Some(false)` outside.
    fn classify(&self, lat: f64, lon: f64) -> Option<bool> {
        let found: Vec<Option<bool>> = if self.bbox.contains(lat, lon) {
            self.polygons.iter().map(|poly| classify_polygon(poly, lon, lat)).collect()
        } else {
            Vec::new()
        };
        if found.contains(&Some(true)) {
            Some(true)
        } else if found.contains(&None) {
            None
        } else {
            Some(false)
        }
    }
}

/// Even-odd test over all rings of one polygon (so holes are excluded); `None` on an edge.
fn classify_polygon(poly: &[Ring], x: f64, y: f64) -> Option<bool> {
    let mut inside = false;
    for w in poly.iter().flat_map(|ring| ring.windows(2)) {
        let ((x1, y1), (x2, y2)) = (w[0], w[1]);
        let cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1);
        let within = x >= x1.min(x2) - EPS && x <= x1.max(x2) + EPS && y >= y1.min(y2) - EPS && y <= y1.max(y2) + EPS;
        if within && cross.abs() <= EPS * (x2 - x1).hypot(y2 - y1).max(EPS) {
            return None;
        }
        if (y1 > y) != (y2 > y) && x < x1 + (y - y1) * (x2 - x1) / (y2 - y1) {
            inside = !inside;
        }
    }
    Some(inside)
}

/// Validates one feature, pushing a message for each problem found.
fn parse_feature(feature: &Value, errs: &mut Vec<String>) -> Option<Boundary> {
    let Some(obj) = feature.as_object() else {
        errs.push("not a JSON object".into());
        return None;
    };
    if obj.get("type").and_then(Value::as_str) != Some("Feature") {
        errs.push(format!(r#""type" must be "Feature", found {}"#, describe(obj.get("type"))));
    }
    let empty = Map::new();
    let props = obj.get("properties").and_then(Value::as_object).unwrap_or(&empty);
    let teryt = match (props.get("teryt").filter(|v| !v.is_null()), obj.get("id").filter(|v| !v.is_null())) {
        (None, None) => Err("no TERYT: expected properties.teryt or a feature id (7 digits)".to_string()),
        (Some(a), Some(b)) if teryt_text(a) != teryt_text(b) => {
            Err(format!("properties.teryt {a} and id {b} disagree"))
        }
        (Some(v), _) | (None, Some(v)) => teryt_text(v)
            .filter(|t| t.len() == 7 && t.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| format!("TERYT {v} is not a 7-digit code")),
    };
    let teryt = teryt.map_err(|m| errs.push(m)).ok();
    let name = props.get("name").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    if name.is_none() {
        errs.push("missing properties.name".into());
    }
    let polygons = parse_geometry(obj.get("geometry"), errs);
    let (teryt, name, polygons) = (teryt?, name?, polygons?);
    let bbox = BBox::of_points(polygons.iter().flatten().flatten())?;
    Some(Boundary {
        teryt,
        name: name.to_string(),
        polygons,
        bbox,
        properties: props.clone(),
        label: std::sync::OnceLock::new(),
    })
}

/// The polygons of a Polygon or MultiPolygon geometry, `None` (with messages) if any part is bad.
fn parse_geometry(geometry: Option<&Value>, errs: &mut Vec<String>) -> Option<Vec<Vec<Ring>>> {
    let (kind, coords) = (geometry.and_then(|g| g.get("type")), geometry.and_then(|g| g.get("coordinates")));
    let parts: Vec<(String, Option<&Value>)> = match kind.and_then(Value::as_str) {
        Some("Polygon") => vec![(String::new(), coords)],
        Some("MultiPolygon") => match coords.and_then(Value::as_array).filter(|a| !a.is_empty()) {
            Some(polys) => polys.iter().enumerate().map(|(i, p)| (format!("polygon {}, ", i + 1), Some(p))).collect(),
            None => vec![("MultiPolygon ".to_string(), None)],
        },
        _ => {
            errs.push(format!("geometry type must be Polygon or MultiPolygon, found {}", describe(kind)));
            return None;
        }
    };
    let before = errs.len();
    let mut polygons = Vec::new();
    for (ctx, part) in parts {
        match part.and_then(Value::as_array).filter(|a| !a.is_empty()) {
            Some(rings) => polygons.push(
                rings
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| parse_ring(r, &format!("{ctx}ring {}", i + 1)).map_err(|e| errs.push(e)).ok())
                    .collect(),
            ),
            None => errs.push(format!("{ctx}coordinates must be a non-empty array")),
        }
    }
    (errs.len() == before).then_some(polygons)
}

fn parse_ring(value: &Value, what: &str) -> Result<Ring, String> {
    let positions = value.as_array().ok_or_else(|| format!("{what}: not an array of positions"))?;
    let mut ring = Vec::with_capacity(positions.len());
    for (i, p) in positions.iter().enumerate() {
        let (lon, lat) = p
            .as_array()
            .filter(|a| a.len() >= 2)
            .and_then(|a| Some((a[0].as_f64()?, a[1].as_f64()?)))
            .ok_or_else(|| format!("{what}, position {}: expected [lon, lat], found {p}", i + 1))?;
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(format!(
                "{what}, position {}: [{lon}, {lat}] is out of range (lon -180..180, lat -90..90)",
                i + 1
            ));
        }
        ring.push((lon, lat));
    }
    match (ring.first(), ring.last()) {
        _ if ring.len() < 4 => Err(format!("{what}: {} positions, a closed ring needs at least 4", ring.len())),
        (Some(first), Some(last)) if first != last => {
            Err(format!("{what}: not closed ({first:?} differs from {last:?})"))
        }
        _ => Ok(ring),
    }
}

/// A TERYT as text (strings as they are, numbers printed), valid or not.
fn teryt_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn describe(v: Option<&Value>) -> String {
    v.map_or_else(|| "nothing".to_string(), Value::to_string)
}

/// Byte offsets of the `"Feature"` literals, one per feature if the count matches.
fn feature_offsets(text: &str, count: usize) -> Vec<Option<usize>> {
    let hits: Vec<usize> = text.match_indices("\"Feature\"").map(|(i, _)| i).collect();
    if hits.len() == count { hits.into_iter().map(Some).collect() } else { vec![None; count] }
}

/// 1-based line and character column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

/// A JSON syntax error at serde_json's line, with its byte column turned into characters.
fn json_error(text: &str, e: &serde_json::Error) -> GeoError {
    let full = e.to_string();
    let message = full.rsplit_once(" at line ").map_or(full.as_str(), |(m, _)| m);
    let line_text = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
    let chars = line_text.char_indices().take_while(|&(i, _)| i + 1 < e.column()).count();
    GeoError {
        message: format!("invalid JSON: {message}"),
        line: e.line(),
        column: if e.line() == 0 { 0 } else { chars + 1 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMK: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/geo/smk-gminy.geojson"));
    const SQUARE: &str = "[[[19,50],[19.1,50],[19.1,50.1],[19,50.1],[19,50]]]";

    fn smk() -> Boundaries {
        Boundaries::parse(SMK).expect("smk-gminy.geojson parses")
    }

    fn feature(teryt: &str, coords: &str) -> String {
        format!(
            r#"{{"type":"Feature","id":"{teryt}","properties":{{"teryt":"{teryt}","name":"G{teryt}"}},"geometry":{{"type":"Polygon","coordinates":{coords}}}}}"#
        )
    }

    /// A collection with one feature per line: feature `i` (0-based) is on line `i + 2`.
    fn collection(features: &[String]) -> String {
        format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}", features.join(",\n"))
    }

    fn errors(text: &str) -> Vec<GeoError> {
        Boundaries::parse(text).expect_err("should be rejected")
    }

    #[test]
    fn parses_the_smk_file() {
        let b = smk();
        assert_eq!(b.features.len(), 15);
        let krakow = b.get("1261011").expect("Kraków");
        assert_eq!(krakow.name, "Kraków");
        assert_eq!(krakow.properties["powiat_teryt"], "1261");
        assert_eq!(krakow.polygons[0][0].len(), 53);
        assert!(b.metadata.as_ref().unwrap()["geometry_source"].as_str().unwrap().contains("kreperu/Strona"));
        let all = b.bbox().unwrap();
        assert!(all.min_lon < 19.6 && all.max_lon > 20.3 && all.min_lat < 49.9 && all.max_lat > 50.2);
        for g in &b.features {
            let (lon, lat) = g.label_point();
            assert_eq!(b.locate(lat, lon), Some(g.teryt.as_str()), "label point of {}", g.name);
        }
    }

    #[test]
    fn seats_lie_in_their_own_municipality() {
        // seat_lat/seat_lon from smk-gminy.toml
        let seats = [
            ("1261011", 50.07262, 19.93250),
            ("1219012", 49.97918, 20.09966), // Biskupice: ~9 m off the simplified border, inside Wieliczka's polygon
            ("1206012", 49.98920, 19.68115),
            ("1206022", 50.11012, 20.31612),
            ("1206072", 50.03884, 19.76835),
            ("1206082", 50.15898, 19.98044),
            ("1206092", 49.93890, 19.88972),
            ("1219043", 50.04066, 20.22257),
            ("1206113", 49.97524, 19.82869),
            ("1206143", 49.93429, 19.95364),
            ("1219053", 49.98738, 20.06473),
            ("1206162", 50.11425, 19.79788),
            ("1206172", 50.12091, 19.92156),
        ];
        let b = smk();
        for (teryt, lat, lon) in seats {
            let g = b.get(teryt).unwrap();
            let d = g.distance_to_edge_m(lat, lon);
            assert!(g.contains(lat, lon) || d < 50.0, "{} seat is {d:.0} m outside", g.name);
            if teryt != "1219012" {
                assert!(g.contains(lat, lon), "{} seat", g.name);
                assert_eq!(b.locate(lat, lon), Some(teryt));
            }
        }
        let d = b.get("1219012").unwrap().distance_to_edge_m(49.97918, 20.09966);
        assert!((5.0..15.0).contains(&d), "{d}");
    }

    #[test]
    fn swapped_coordinates_are_nowhere() {
        let b = smk();
        assert_eq!(b.locate(50.07, 19.93), Some("1261011"));
        assert_eq!(b.locate(19.93, 50.07), None);
        assert!(b.features.iter().all(|g| !g.contains(19.93, 50.07)));
    }

    #[test]
    fn locate_wieliczka_and_borders() {
        let b = smk();
        // Wieliczka market square; 50.0259, 20.0560 (sometimes given for Wieliczka) is in Kraków's Bieżanów.
        assert_eq!(b.locate(49.9874, 20.0647), Some("1219053"));
        assert_eq!(b.locate(50.0259, 20.0560), Some("1261011"));
        // A vertex shared by Kraków and Wieliczka, and the midpoint of the Biskupice/Wieliczka edge.
        let (krakow, wieliczka, biskupice) =
            (b.get("1261011").unwrap(), b.get("1219053").unwrap(), b.get("1219012").unwrap());
        assert!(krakow.contains(50.02397, 20.06504) && wieliczka.contains(50.02397, 20.06504));
        assert_eq!(krakow.distance_to_edge_m(50.02397, 20.06504), 0.0);
        let (lat, lon) = ((49.97679 + 49.98109) / 2.0, (20.09094 + 20.10722) / 2.0);
        assert!(biskupice.contains(lat, lon) && wieliczka.contains(lat, lon));
        assert!(biskupice.distance_to_edge_m(lat, lon) < 0.01);
        assert_eq!(b.locate(lat, lon), Some("1219012"), "first in file order");
    }

    #[test]
    fn holes_and_multipolygons() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"1200001","properties":{"name":"Ring"},
            "geometry":{"type":"MultiPolygon","coordinates":[
              [[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[4,6],[6,6],[6,4],[4,4]]],
              [[[20,0],[21,0],[21,1],[20,0]]]]}}]}"#;
        let b = Boundaries::parse(text).unwrap();
        let g = b.get("1200001").unwrap();
        assert_eq!(g.bbox, BBox { min_lon: 0.0, min_lat: 0.0, max_lon: 21.0, max_lat: 10.0 });
        assert!(g.contains(2.0, 2.0) && g.contains(0.5, 20.9));
        assert!(!g.contains(5.0, 5.0), "inside the hole");
        assert!(g.contains(5.0, 4.0), "on the hole's edge");
        assert!(!g.contains(5.0, 15.0) && !g.contains(-1.0, 5.0));
        let d = g.distance_to_edge_m(5.0, 5.0);
        assert!((d - 111_195.0 * 5f64.to_radians().cos()).abs() < 50.0, "{d}");
        // The centroid (5, 5) is in the hole; the label point must not be.
        let (lon, lat) = g.label_point();
        assert!(g.contains(lat, lon) && g.distance_to_edge_m(lat, lon) > 50_000.0, "({lon}, {lat})");
        assert_eq!(b.locate(5.0, 5.0), None);
    }

    #[test]
    fn rejects_bad_files() {
        let e = errors(r#"{"type":"Feature","features":[]}"#);
        assert!(e[0].message.contains("FeatureCollection"), "{e:?}");
        assert!(errors("[1, 2]")[0].message.contains("object"));

        let e = errors("{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n  }");
        assert_eq!((e.len(), e[0].line), (1, 4), "{e:?}");
        assert!(e[0].message.starts_with("invalid JSON: "), "{e:?}");
        assert!(e[0].to_string().starts_with("4:"), "{}", e[0]);
    }

    #[test]
    fn reports_every_bad_feature() {
        let cases = [
            (feature("12610", SQUARE), r#"TERYT "12610" is not a 7-digit code"#),
            (feature("1206012", "[[[19,50],[19.1,50],[19.1,50.1],[19,50.1]]]"), "ring 1: not closed"),
            (
                feature("1206022", "[[[19,50],[19.1,50],[19,50]]]"),
                "ring 1: 3 positions, a closed ring needs at least 4",
            ),
            (feature("1261011", SQUARE), "duplicate TERYT 1261011 (also feature 1)"),
            (feature("1206032", SQUARE).replace(r#""id":"1206032""#, r#""id":"1206033""#), "disagree"),
            (feature("1206072", "[[[50,19],[50.1,19],[50.1,91],[50,19]]]"), "position 3: [50.1, 91] is out of range"),
            (feature("1206082", SQUARE).replace("G1206082", " "), "missing properties.name"),
            (feature("1206092", SQUARE).replace("Polygon", "Point"), r#"Polygon or MultiPolygon, found "Point""#),
        ];
        let features: Vec<String> =
            std::iter::once(feature("1261011", SQUARE)).chain(cases.iter().map(|(f, _)| f.clone())).collect();
        let e = errors(&collection(&features));
        assert_eq!(e.len(), cases.len(), "{e:#?}");
        for (i, (err, (_, want))) in e.iter().zip(&cases).enumerate() {
            // feature i + 2 (1-based) is on line i + 3; column 9 is its "Feature" literal
            assert_eq!((err.line, err.column), (i + 3, 9), "{err:?}");
            assert!(err.message.starts_with(&format!("feature {} (", i + 2)) && err.message.contains(want), "{err:?}");
        }
    }
}
