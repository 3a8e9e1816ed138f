//! Labels: places each municipality's name at its label point, and leaves out names that would
//! fall outside the view or cover another one.

use crate::schema::geo::Boundaries;

use super::draw::Region;
use super::projection::Projection;

/// A municipality's label as placed: its name (left out when it cannot fit) and count.
pub(super) struct Label<'a> {
    pub x: f64,
    pub y: f64,
    pub name: Option<&'a str>,
    pub count: usize,
}

/// Places the labels at each municipality's label point, largest municipalities first; a label
/// that would overlap one already placed is moved up or down a line, and when no position is
/// free it keeps only its count (the name stays in the link's accessible name and the list).
pub(super) fn place_labels<'a>(boundaries: &Boundaries, regions: &'a [Region], proj: &Projection) -> Vec<Label<'a>> {
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
