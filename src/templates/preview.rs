//! Link-preview images: for each municipality a 1200×630 picture of the metropolis map with
//! that municipality highlighted and its name, drawn as SVG from the boundary file and
//! rasterized in-process (resvg, with the DejaVu fonts compiled in), so that a shared link to a
//! municipality or one of its services shows where it is. Names are fingerprinted by what the
//! picture is drawn from; a picture already drawn in this process is not drawn again.

use std::fmt::Write as _;

use super::map::draw::{REGION_FILL, REGION_STROKE};
use super::map::projection::{Projection, num};
use crate::schema::geo::Boundaries;

/// Size of an Open Graph image, as the platforms recommend.
pub(crate) const WIDTH: u32 = 1200;
pub(crate) const HEIGHT: u32 = 630;

/// Changes whenever the drawing below changes, so that old fingerprints are not reused.
const DRAWING_VERSION: &str = "preview-1";

/// What one picture shows.
#[derive(Debug, Clone)]
pub(crate) struct Preview<'a> {
    /// The municipality to highlight (TERYT).
    pub teryt: &'a str,
    /// Its name, large.
    pub name: &'a str,
    /// Its name in the other script, smaller (`Величка`), if it has one.
    pub other_name: Option<&'a str>,
    /// The portal's title, at the bottom.
    pub site_title: &'a str,
}

fn esc(s: &str) -> String {
    crate::templates::escape_html(s)
}

/// The picture as SVG text (deterministic: the same inputs give the same bytes).
pub(crate) fn svg(boundaries: &Boundaries, preview: &Preview) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/><rect width="{WIDTH}" height="24" fill="#0b2e5c"/>"##
    );
    // The map on the right, fitted into a 660 × 560 box.
    if let Some(bbox) = boundaries.bbox() {
        let proj = Projection::fit(bbox, 660.0, 560.0, 10.0);
        let (ox, oy) = (500.0, 24.0 + (606.0 - proj.height) / 2.0);
        let _ = write!(out, r#"<g transform="translate({} {})">"#, num(ox), num(oy));
        let mut highlighted = String::new();
        for boundary in &boundaries.features {
            let mut d = String::new();
            for ring in boundary.polygons.iter().flatten() {
                for (i, &(lon, lat)) in ring.iter().enumerate() {
                    let (x, y) = proj.project(lat, lon);
                    let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { " " }, num(x), num(y));
                }
                d.push('Z');
            }
            if boundary.teryt == preview.teryt {
                // Drawn last, so that its thicker border is not covered by its neighbours.
                highlighted = format!(
                    r##"<path d="{d}" fill="#f2b705" stroke="#0b2e5c" stroke-width="3" stroke-linejoin="round"/>"##
                );
            } else {
                let _ =
                    write!(out, r#"<path d="{d}" fill="{REGION_FILL}" stroke="{REGION_STROKE}" stroke-width="1"/>"#);
            }
        }
        out.push_str(&highlighted);
        out.push_str("</g>");
    }
    // The names on the left; long names get a smaller size so that they fit 430 px.
    let size = match preview.name.chars().count() {
        0..=10 => 64,
        11..=16 => 48,
        _ => 38,
    };
    let mut y = 220;
    for (i, line) in split_name(preview.name).iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="56" y="{}" font-family="DejaVu Sans" font-weight="bold" font-size="{size}" fill="#0b0c0c">{}</text>"##,
            y + i as i32 * (size + 8),
            esc(line)
        );
    }
    y += split_name(preview.name).len() as i32 * (size + 8) + 8;
    if let Some(other) = preview.other_name {
        let _ = write!(
            out,
            r##"<text x="56" y="{y}" font-family="DejaVu Sans" font-size="34" fill="#383f43">{}</text>"##,
            esc(other)
        );
    }
    let _ = write!(
        out,
        r##"<rect x="56" y="470" width="64" height="8" fill="#f2b705"/><text x="56" y="530" font-family="DejaVu Sans" font-size="24" fill="#383f43">{}</text></svg>"##,
        esc(preview.site_title)
    );
    out
}

/// A hyphenated name on two lines ("Igołomia-", "Wawrzeńczyce") when it is long.
fn split_name(name: &str) -> Vec<String> {
    match name.split_once('-') {
        Some((a, b)) if name.chars().count() > 16 => vec![format!("{a}-"), b.to_string()],
        _ => vec![name.to_string()],
    }
}

/// The output path of a picture: `og/<slug>.<fingerprint of what it is drawn from>.png`.
pub(crate) fn file_name(slug: &str, svg: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(DRAWING_VERSION.as_bytes());
    hasher.update(svg.as_bytes());
    format!("og/{slug}.{}.png", &hasher.finalize().to_hex()[..10])
}

/// PNG bytes of the picture; `Err` with a message when it cannot be drawn.
#[cfg(feature = "previews")]
pub(crate) fn rasterize(svg: &str) -> Result<Vec<u8>, String> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};

    use resvg::{tiny_skia, usvg};
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    static DRAWN: OnceLock<Mutex<HashMap<blake3::Hash, Vec<u8>>>> = OnceLock::new();
    let key = blake3::hash(svg.as_bytes());
    let drawn = DRAWN.get_or_init(Default::default);
    if let Some(png) = drawn.lock().map_err(|_| "preview cache poisoned".to_string())?.get(&key) {
        return Ok(png.clone());
    }
    let fonts = FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(include_bytes!("fonts/DejaVuSans.ttf").to_vec());
        db.load_font_data(include_bytes!("fonts/DejaVuSans-Bold.ttf").to_vec());
        Arc::new(db)
    });
    let options = usvg::Options { fontdb: fonts.clone(), ..Default::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("the preview SVG does not parse: {e}"))?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("cannot allocate the preview image")?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    let png = pixmap.encode_png().map_err(|e| format!("cannot encode the preview PNG: {e}"))?;
    drawn.lock().map_err(|_| "preview cache poisoned".to_string())?.insert(key, png.clone());
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boundaries() -> Boundaries {
        let json = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"teryt":"1000001","name":"A"},"geometry":{"type":"Polygon","coordinates":[[[19.9,50.0],[20.0,50.0],[20.0,50.1],[19.9,50.0]]]}},
          {"type":"Feature","properties":{"teryt":"1000002","name":"B"},"geometry":{"type":"Polygon","coordinates":[[[20.0,50.0],[20.1,50.0],[20.0,50.1],[20.0,50.0]]]}}]}"#;
        Boundaries::parse(json).expect("test boundaries")
    }

    #[test]
    fn the_picture_highlights_one_municipality_and_is_deterministic() {
        let b = boundaries();
        let p =
            Preview { teryt: "1000002", name: "Wieliczka", other_name: Some("Величка"), site_title: "Portal" };
        let one = svg(&b, &p);
        assert_eq!(one, svg(&b, &p));
        assert_eq!(one.matches(r##"fill="#f2b705" stroke="#0b2e5c""##).count(), 1);
        assert!(one.contains(">Величка</text>"));
        assert_ne!(file_name("wieliczka", &one), file_name("wieliczka", &svg(&b, &Preview { teryt: "1000001", ..p })));
        assert!(file_name("wieliczka", &one).starts_with("og/wieliczka."));
    }

    #[cfg(feature = "previews")]
    #[test]
    fn the_picture_is_a_1200_by_630_png() {
        let b = boundaries();
        let p = Preview { teryt: "1000001", name: "Igołomia-Wawrzeńczyce", other_name: None, site_title: "Portal" };
        let png = rasterize(&svg(&b, &p)).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), WIDTH);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), HEIGHT);
        assert_eq!(rasterize(&svg(&b, &p)).unwrap(), png, "drawn the same twice");
    }
}

#[cfg(all(test, feature = "previews"))]
mod cost {
    use super::*;

    /// The cost of drawing the real portal's 15 pictures, for BENCHMARKS.md:
    /// `cargo test --release --lib preview::cost -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn drawing_the_fifteen_pictures() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/content/dane/gminy.geojson")).unwrap();
        let boundaries = Boundaries::parse(&text).unwrap();
        let svgs: Vec<String> = boundaries
            .features
            .iter()
            .map(|b| {
                svg(&boundaries, &Preview { teryt: &b.teryt, name: &b.name, other_name: None, site_title: "Portal" })
            })
            .collect();
        let start = std::time::Instant::now();
        for s in &svgs {
            rasterize(s).unwrap();
        }
        let first = start.elapsed();
        let start = std::time::Instant::now();
        for s in &svgs {
            rasterize(s).unwrap();
        }
        println!(
            "15 pictures: drawn {:.0} ms (one thread), again from the cache {:.1} ms",
            first.as_secs_f64() * 1e3,
            start.elapsed().as_secs_f64() * 1e3
        );
    }
}
