//! The shipped map example: scenarios/county-map.geojson (a synthetic county of 31 wards),
//! its attributes file and its drive-time matrix are made here, and checked to be what is
//! shipped. `PLEDGESIM_WRITE_EXAMPLE=1 cargo test --test suite map_example::` writes them afresh.
//!
//! The county is invented: a 6 x 5 grid of cells 0.06 degrees of longitude by 0.04 of latitude
//! (about 4.1 x 4.5 km) whose shared edges wobble (each edge drawn once and used by both of its
//! wards, so that neighbours meet exactly), a town-centre ward as an enclave in the hole of the
//! middle cell, and a north-eastern ward with an island: 31 wards, Polygons and a MultiPolygon,
//! about 550 km2.

use pledgesim::scenario::map::{Properties, read_map};
use std::fmt::Write as _;
use std::path::Path;

const COLS: usize = 6;
const ROWS: usize = 5;
const DLON: f64 = 0.06;
const DLAT: f64 = 0.04;
const LON0: f64 = -1.45;
const LAT0: f64 = 52.20;
/// Points per edge.
const K: usize = 6;

const NAMES: [&str; 30] = [
    "Ashby Moor",
    "Brackenfield",
    "Coldharbour",
    "Dunmere",
    "Elmstead",
    "Fenwick",
    "Greystone",
    "Hollins",
    "Abbey Fields",
    "Castle Hill",
    "Kestrel Down",
    "Larkhill",
    "Midford",
    "Netherby",
    "Market Ward",
    "Station Road",
    "Orchard Vale",
    "Pennock",
    "Quarry Bank",
    "Rushmere",
    "Eastgate",
    "Westgate",
    "Saltings",
    "Thornbury",
    "Upton Heath",
    "Wexcombe",
    "Yarrow",
    "Brookside",
    "Northfield",
    "Marsh End",
];

/// The town: the middle two columns of the middle three rows (and the enclave).
fn urban(i: usize, j: usize) -> bool {
    (2..=3).contains(&i) && (1..=3).contains(&j)
}

fn sector(i: usize) -> &'static str {
    match i {
        0 | 1 => "west",
        2 | 3 => "town",
        _ => "east",
    }
}

fn wobble(t: f64, sign: f64) -> f64 {
    sign * (0.004 * (std::f64::consts::PI * t).sin()
        + 0.0016 * (3.0 * std::f64::consts::PI * t).sin())
}

/// Point s of K along the edge from grid node (i, j) eastwards (`east`) or northwards.
fn edge_point(i: usize, j: usize, s: usize, east: bool) -> (f64, f64) {
    let t = s as f64 / K as f64;
    let sign = if (i * 7 + j * 3 + usize::from(east)) % 2 == 0 {
        1.0
    } else {
        -1.0
    };
    let (x, y) = (LON0 + i as f64 * DLON, LAT0 + j as f64 * DLAT);
    if east {
        (x + t * DLON, y + wobble(t, sign))
    } else {
        (x + wobble(t, sign), y + t * DLAT)
    }
}

/// Cell (i, j)'s ring, counter-clockwise and closed.
fn cell(i: usize, j: usize) -> Vec<(f64, f64)> {
    let mut ring = Vec::new();
    ring.extend((0..K).map(|s| edge_point(i, j, s, true)));
    ring.extend((0..K).map(|s| edge_point(i + 1, j, s, false)));
    ring.extend((1..=K).rev().map(|s| edge_point(i, j + 1, s, true)));
    ring.extend((1..=K).rev().map(|s| edge_point(i, j, s, false)));
    ring.push(ring[0]);
    ring
}

/// An octagon about (lon, lat), closed; clockwise when `hole`.
fn octagon(lon: f64, lat: f64, hole: bool) -> Vec<(f64, f64)> {
    let mut ring: Vec<(f64, f64)> = (0..8)
        .map(|k| {
            let a = k as f64 * std::f64::consts::TAU / 8.0 + 0.3;
            (lon + 0.008 * a.cos(), lat + 0.006 * a.sin())
        })
        .collect();
    if hole {
        ring.reverse();
    }
    ring.push(ring[0]);
    ring
}

fn coords(ring: &[(f64, f64)]) -> String {
    let pts: Vec<String> = ring
        .iter()
        .map(|p| format!("[{:.6}, {:.6}]", p.0, p.1))
        .collect();
    format!("[{}]", pts.join(", "))
}

/// (name, code, type, sector, geometry) of every ward.
fn wards() -> Vec<(String, String, &'static str, &'static str, String)> {
    let mut out = Vec::new();
    let centre = |i: usize, j: usize| {
        (
            LON0 + (i as f64 + 0.5) * DLON,
            LAT0 + (j as f64 + 0.5) * DLAT,
        )
    };
    for j in 0..ROWS {
        for i in 0..COLS {
            let n = j * COLS + i;
            let kind = if urban(i, j) { "urban" } else { "rural" };
            let geometry = if (i, j) == (2, 2) {
                let (lon, lat) = centre(i, j);
                format!(
                    r#"{{ "type": "Polygon", "coordinates": [{}, {}] }}"#,
                    coords(&cell(i, j)),
                    coords(&octagon(lon, lat, true))
                )
            } else if (i, j) == (COLS - 1, ROWS - 1) {
                let (x, y) = (
                    LON0 + COLS as f64 * DLON + 0.012,
                    LAT0 + (ROWS as f64 - 0.6) * DLAT,
                );
                let island = vec![
                    (x, y),
                    (x + 0.01, y),
                    (x + 0.012, y + 0.008),
                    (x + 0.002, y + 0.01),
                    (x, y),
                ];
                format!(
                    r#"{{ "type": "MultiPolygon", "coordinates": [[{}], [{}]] }}"#,
                    coords(&cell(i, j)),
                    coords(&island)
                )
            } else {
                format!(
                    r#"{{ "type": "Polygon", "coordinates": [{}] }}"#,
                    coords(&cell(i, j))
                )
            };
            out.push((
                NAMES[n].to_string(),
                format!("ZZ{:06}", n + 1),
                kind,
                sector(i),
                geometry,
            ));
        }
    }
    let (lon, lat) = centre(2, 2);
    out.push((
        "Town Centre".into(),
        "ZZ000031".into(),
        "urban",
        "town",
        format!(
            r#"{{ "type": "Polygon", "coordinates": [{}] }}"#,
            coords(&octagon(lon, lat, false))
        ),
    ));
    out
}

fn geojson() -> String {
    let features: Vec<String> = wards()
        .iter()
        .map(|(name, code, kind, sector, geometry)| {
            format!(
                "    {{ \"type\": \"Feature\", \"properties\": {{ \"name\": \"{name}\", \"code\": \"{code}\", \"type\": \"{kind}\", \"sector\": \"{sector}\" }},\n      \"geometry\": {geometry} }}"
            )
        })
        .collect();
    format!(
        "{{ \"type\": \"FeatureCollection\",\n  \"features\": [\n{}\n  ]\n}}\n",
        features.join(",\n")
    )
}

/// Demand weights by code: the town's wards busier than the rural ones.
fn attributes() -> String {
    let mut out = String::from(
        "# Demand weights of the wards of county-map.geojson, by ward code: relative, per channel.\n# Assumption: a town ward has three times the emergency demand of a rural ward and four times\n# the non-emergency demand, the town centre five and six times (no published split by ward).\ncode,weight_emergency,weight_non_emergency\n",
    );
    for (name, code, kind, _, _) in wards() {
        let (e, n) = match (name.as_str(), kind) {
            ("Town Centre", _) => (5, 6),
            (_, "urban") => (3, 4),
            _ => (1, 1),
        };
        writeln!(out, "{code},{e},{n}").unwrap();
    }
    out
}

/// The sectors' bases, [longitude, latitude]: the town's in the town centre, the rural ones in
/// a ward near the middle of their sector.
const BASES: [(&str, f64, f64); 3] = [
    ("town", -1.30, 52.30),
    ("west", -1.36, 52.30),
    ("east", -1.18, 52.30),
];

/// Drive times (minutes) from each base and each ward's centre to each ward's centre: the
/// straight line times 1.35 for winding roads, at 32 km/h into a town ward and 55 km/h into a
/// rural one, plus a minute to find the address; within a ward, the mean distance between two
/// points of a square of its area (0.52 x its side). Crossing between the west and the east
/// (through the town's one bridge) adds 4 minutes. All assumptions: a force would use its own
/// routing's times.
fn matrix(dir: &Path) -> String {
    let props = Properties {
        name: "name".into(),
        code: "code".into(),
        kind: "type".into(),
        sector: "sector".into(),
        weights: ["weight_emergency".into(), "weight_non_emergency".into()],
    };
    let map =
        read_map(&dir.join("county-map.geojson"), &props, None).unwrap_or_else(|e| panic!("{e:?}"));
    let side = |w: &pledgesim::scenario::map::MapWard| w.sector.clone().unwrap_or_default();
    let mut origins: Vec<(String, (f64, f64), String)> = BASES
        .iter()
        .map(|(s, lon, lat)| {
            (
                s.to_string(),
                map.projection.project(*lon, *lat),
                s.to_string(),
            )
        })
        .collect();
    for w in &map.wards {
        origins.push((w.name.clone(), w.shape.centroid(), side(w)));
    }
    let mut out = String::from(
        "# Drive times of the synthetic county (county-map.geojson), from each base (by its\n# sector's name) and each ward to each ward, in minutes. Made from the map's geometry with\n# assumed speeds and a river crossing (see the scenario); a force would use its own routing.\nfrom,to,minutes\n",
    );
    for (from, at, from_side) in &origins {
        for w in &map.wards {
            let c = w.shape.centroid();
            let own = from == &w.name;
            let km = if own {
                0.52 * w.shape.area_km2().sqrt()
            } else {
                ((at.0 - c.0).powi(2) + (at.1 - c.1).powi(2)).sqrt()
            };
            let speed = if w.kind.as_deref() == Some("urban") {
                32.0
            } else {
                55.0
            };
            let bridge = (from_side == "west" && side(w) == "east")
                || (from_side == "east" && side(w) == "west");
            let minutes = 1.0 + 1.35 * km / speed * 60.0 + if bridge { 4.0 } else { 0.0 };
            writeln!(out, "{from},{},{minutes:.2}", w.name).unwrap();
        }
    }
    out
}

#[test]
fn the_shipped_map_example_is_what_the_generator_makes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let write = std::env::var_os("PLEDGESIM_WRITE_EXAMPLE").is_some();
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("county-map.geojson", geojson()),
        ("county-map-wards.csv", attributes()),
    ];
    for (name, text) in &files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let drive = ("county-map-drive-times.csv", matrix(dir.path()));
    for (name, text) in files.iter().chain(std::iter::once(&drive)) {
        if write {
            std::fs::write(root.join(name), text).unwrap();
        }
        let shipped = std::fs::read_to_string(root.join(name)).unwrap_or_default();
        assert!(
            shipped == *text,
            "scenarios/{name} is not what the generator makes: PLEDGESIM_WRITE_EXAMPLE=1 cargo test --test suite map_example::"
        );
    }
    assert_eq!(wards().len(), 31);
    // The scenario loads: 31 wards in three sectors, every pair of the matrix given.
    let sc =
        pledgesim::Scenario::load(&root.join("county-map.toml")).unwrap_or_else(|e| panic!("{e}"));
    let r = sc.response.as_ref().unwrap();
    assert_eq!(r.wards.len(), 31);
    assert_eq!(r.sectors.len(), 3);
    let area: f64 = r.wards.iter().map(|w| w.area_km2).sum();
    assert!(area > 500.0 && area < 600.0, "{area}");
    assert!(
        r.travel_matrix
            .as_ref()
            .unwrap()
            .minutes
            .iter()
            .flatten()
            .all(Option::is_some)
    );
}
