//! A force's own map: wards from a GeoJSON file (RFC 7946: longitude and latitude on WGS84),
//! projected to kilometres.
//!
//! The projection is a transverse Mercator on the WGS84 ellipsoid (Krüger's series to the
//! third order, scale 1 on the central meridian), centred on the wards' own middle: its
//! central meridian and its origin are the middle of the wards' bounding box (or the map's
//! `origin`). x is km east of the origin, y km north. Over a county its error is the
//! projection's scale, 1 + x²/2R² at x km from the central meridian: 8 parts in a million at
//! 25 km, 3 in 100,000 at 50 km; a 55 km line is measured within 0.2 m of its geodesic length.

use super::shape::{Point, Polygon, Shape};
use crate::error::InputError;
use serde::Serialize;
use std::path::Path;

/// WGS84 semi-major axis (km) and flattening.
const A_KM: f64 = 6378.137;
const F: f64 = 1.0 / 298.257_223_563;

/// The local transverse Mercator projection about (`lon0`, `lat0`), degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Projection {
    pub lon0: f64,
    pub lat0: f64,
    #[serde(skip)]
    north0: f64,
}

struct Series {
    a: f64,
    e: f64,
    alpha: [f64; 3],
}

fn series() -> Series {
    let n = F / (2.0 - F);
    let (n2, n3) = (n * n, n * n * n);
    Series {
        a: A_KM / (1.0 + n) * (1.0 + n2 / 4.0 + n2 * n2 / 64.0),
        e: 2.0 * n.sqrt() / (1.0 + n),
        alpha: [
            n / 2.0 - 2.0 / 3.0 * n2 + 5.0 / 16.0 * n3,
            13.0 / 48.0 * n2 - 3.0 / 5.0 * n3,
            61.0 / 240.0 * n3,
        ],
    }
}

/// The series' constants, worked out once.
static SERIES: std::sync::LazyLock<Series> = std::sync::LazyLock::new(series);

/// Easting and northing (km) from the central meridian `lon0` and the equator.
fn tm(lon0: f64, lon: f64, lat: f64) -> Point {
    let s = &*SERIES;
    let (phi, dl) = (lat.to_radians(), (lon - lon0).to_radians());
    let sin = phi.sin();
    let t = (sin.atanh() - s.e * (s.e * sin).atanh()).sinh();
    let xi = t.atan2(dl.cos());
    let eta = (dl.sin() / (1.0 + t * t).sqrt()).atanh();
    let (mut x, mut y) = (eta, xi);
    for (j, a) in s.alpha.iter().enumerate() {
        let k = 2.0 * (j + 1) as f64;
        x += a * (k * xi).cos() * (k * eta).sinh();
        y += a * (k * xi).sin() * (k * eta).cosh();
    }
    (s.a * x, s.a * y)
}

impl Projection {
    pub fn new(lon0: f64, lat0: f64) -> Projection {
        Projection {
            lon0,
            lat0,
            north0: tm(lon0, lon0, lat0).1,
        }
    }

    /// (x, y) in km east and north of the origin.
    pub fn project(&self, lon: f64, lat: f64) -> Point {
        let (x, y) = tm(self.lon0, lon, lat);
        (x, y - self.north0)
    }
}

/// Which feature properties hold what, and the attributes file that may override them.
#[derive(Clone, Debug)]
pub struct Properties {
    pub name: String,
    pub code: String,
    pub kind: String,
    pub sector: String,
    pub weights: [String; 2],
}

/// A ward of the map, with what its feature (or the attributes file) says of it.
#[derive(Clone, Debug)]
pub struct MapWard {
    /// Its place among the file's features (from 0).
    pub feature: usize,
    pub name: String,
    pub code: String,
    pub kind: Option<String>,
    pub sector: Option<String>,
    pub weights: [Option<f64>; 2],
    pub shape: Shape,
}

pub struct Map {
    pub projection: Projection,
    pub wards: Vec<MapWard>,
    /// Slivers of overlap too small to be errors, as warnings.
    pub warnings: Vec<String>,
}

/// Overlaps above this share of the smaller ward's area are errors; below it, warnings (real
/// boundaries leave slivers).
pub const OVERLAP_ERROR_SHARE: f64 = 1e-4;

/// A property's text: a string as it is, a number as written; None when absent or null.
fn text(props: Option<&serde_json::Map<String, serde_json::Value>>, key: &str) -> Option<String> {
    match props?.get(key)? {
        serde_json::Value::String(s) => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads and projects the wards of a GeoJSON FeatureCollection. Every problem is reported,
/// each naming the file and the feature (`features[i]`), or the line for a JSON error.
pub fn read_map(
    path: &Path,
    props: &Properties,
    origin: Option<[f64; 2]>,
) -> Result<Map, Vec<InputError>> {
    let file = path.display().to_string();
    let here = |field: String, msg: String| InputError::new(&file, field, msg);
    let text_in =
        crate::scenario::input::read_text(path, crate::scenario::input::MAX_SIDE_FILE_BYTES)
            .map_err(|why| vec![here(String::new(), format!("cannot read the file: {why}"))])?;
    let json: serde_json::Value = serde_json::from_str(&text_in).map_err(|e| {
        vec![here(String::new(), format!("not valid JSON: {e}")).at(e.line(), e.column())]
    })?;
    let not_collection = || {
        vec![here(
            "type".into(),
            "a map must be a GeoJSON FeatureCollection: { \"type\": \"FeatureCollection\", \"features\": [...] }".into(),
        )]
    };
    if json.get("type").and_then(|t| t.as_str()) != Some("FeatureCollection") {
        return Err(not_collection());
    }
    if let Some(crs) = json.get("crs") {
        let named = crs
            .pointer("/properties/name")
            .and_then(|n| n.as_str())
            .unwrap_or("");
        if !(named.contains("CRS84")
            || named.ends_with("EPSG::4326")
            || named.ends_with("EPSG:4326"))
        {
            return Err(vec![here(
                "crs".into(),
                format!(
                    "the file names the coordinate system \"{named}\"; a map must be in longitude and latitude on WGS84 (RFC 7946): convert it first, e.g. `ogr2ogr -f GeoJSON -t_srs EPSG:4326 wards-wgs84.geojson wards.geojson`"
                ),
            )]);
        }
    }
    // The features taken out of the document, so that each is read from its own value (no copy).
    let mut json = json;
    let features = match json.get_mut("features").map(serde_json::Value::take) {
        Some(serde_json::Value::Array(features)) => features,
        _ => return Err(not_collection()),
    };
    let mut errors = Vec::new();
    // Each feature's polygons in degrees, with its properties.
    let mut read = Vec::new();
    for (i, v) in features.into_iter().enumerate() {
        let fp = format!("features[{i}]");
        let feature: geojson::Feature = match serde_json::from_value(v) {
            Ok(f) => f,
            Err(e) => {
                errors.push(here(fp, format!("not a valid GeoJSON feature: {e}")));
                continue;
            }
        };
        let polygons: Vec<geojson::PolygonType> = match feature.geometry.map(|g| g.value) {
            Some(geojson::GeometryValue::Polygon { coordinates }) => vec![coordinates],
            Some(geojson::GeometryValue::MultiPolygon { coordinates }) => coordinates,
            Some(other) => {
                errors.push(here(
                    format!("{fp}.geometry"),
                    format!(
                        "a ward must be a Polygon or a MultiPolygon (got a {})",
                        other.type_name()
                    ),
                ));
                continue;
            }
            None => {
                errors.push(here(
                    format!("{fp}.geometry"),
                    "the feature has no geometry".into(),
                ));
                continue;
            }
        };
        let p = feature.properties.as_ref();
        let mut missing = |key: &str| {
            let v = text(p, key).filter(|s| !s.is_empty());
            if v.is_none() {
                errors.push(here(
                    format!("{fp}.properties.{key}"),
                    format!("the feature has no \"{key}\" property (text or number)"),
                ));
            }
            v
        };
        let name = missing(&props.name);
        let code = missing(&props.code);
        let mut weights = [None, None];
        for (k, key) in props.weights.iter().enumerate() {
            match p.and_then(|p| p.get(key)) {
                None | Some(serde_json::Value::Null) => {}
                Some(v) => match v
                    .as_f64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
                {
                    Some(x) => weights[k] = Some(x),
                    None => errors.push(here(
                        format!("{fp}.properties.{key}"),
                        format!("a demand weight must be a number (got {v})"),
                    )),
                },
            }
        }
        let (kind, sector) = (text(p, &props.kind), text(p, &props.sector));
        // Every position: two finite numbers, longitude from -180 to 180, latitude from -90 to 90.
        let mut degrees: Vec<Vec<Vec<Point>>> = Vec::new();
        let mut bad_position = None;
        for poly in &polygons {
            let mut rings = Vec::new();
            for ring in poly {
                let mut pts = Vec::new();
                for pos in ring {
                    let s = pos.as_slice();
                    let (lon, lat) = (s[0], s.get(1).copied().unwrap_or(f64::NAN));
                    if !(lon.is_finite() && lat.is_finite()) {
                        bad_position.get_or_insert(format!(
                            "[{lon}, {lat}] is not a position of two numbers"
                        ));
                    } else if !(lon.abs() <= 180.0 && lat.abs() <= 90.0) {
                        bad_position.get_or_insert(format!(
                            "[{lon}, {lat}] cannot be longitude and latitude: the file looks projected (metres, such as British National Grid eastings and northings); a map must be in longitude and latitude on WGS84 (RFC 7946): convert it first, e.g. `ogr2ogr -f GeoJSON -t_srs EPSG:4326 wards-wgs84.geojson wards.geojson`"
                        ));
                    }
                    pts.push((lon, lat));
                }
                rings.push(pts);
            }
            degrees.push(rings);
        }
        if let Some(why) = bad_position {
            errors.push(here(format!("{fp}.geometry.coordinates"), why));
            continue;
        }
        if let (Some(name), Some(code)) = (name, code) {
            read.push((i, name, code, kind, sector, weights, degrees));
        }
    }
    if read.is_empty() {
        if errors.is_empty() {
            errors.push(here("features".into(), "the file has no wards".into()));
        }
        return Err(errors);
    }
    // The features read so far are projected and checked too, so that every problem is
    // reported at once.
    let all = || read.iter().flat_map(|r| r.6.iter().flatten().flatten());
    let lo = all().fold((f64::MAX, f64::MAX), |m, p| (m.0.min(p.0), m.1.min(p.1)));
    let hi = all().fold((f64::MIN, f64::MIN), |m, p| (m.0.max(p.0), m.1.max(p.1)));
    let [lon0, lat0] = origin.unwrap_or([(lo.0 + hi.0) / 2.0, (lo.1 + hi.1) / 2.0]);
    let projection = Projection::new(lon0, lat0);
    let mut wards: Vec<MapWard> = Vec::new();
    // Each ward projected and made a shape (triangulated and indexed) on every core, in order.
    let shapes: Vec<Result<Shape, String>> = {
        use rayon::prelude::*;
        read.par_iter()
            .map(|r| {
                let polygons: Vec<Polygon> =
                    r.6.iter()
                        .map(|rings| {
                            rings
                                .iter()
                                .map(|ring| {
                                    ring.iter()
                                        .map(|&(lon, lat)| projection.project(lon, lat))
                                        .collect()
                                })
                                .collect()
                        })
                        .collect();
                Shape::new(polygons)
            })
            .collect()
    };
    for ((i, name, code, kind, sector, weights, _), shape) in read.into_iter().zip(shapes) {
        match shape {
            Ok(shape) => {
                if let Some(first) = wards.iter().find(|w| w.code == code) {
                    errors.push(here(
                        format!("features[{i}].properties.{}", props.code),
                        format!("ward code \"{code}\" is given twice (features[{}] and features[{i}]): each ward needs its own code", first.feature),
                    ));
                }
                wards.push(MapWard {
                    feature: i,
                    name,
                    code,
                    kind,
                    sector,
                    weights,
                    shape,
                });
            }
            Err(why) => errors.push(here(
                format!("features[{i}].geometry"),
                format!("ward \"{name}\": {why}"),
            )),
        }
    }
    // The overlap of every pair of wards whose boxes meet, worked out on every core and
    // reported in the order of the pairs.
    let boxes_meet = |a: &Shape, b: &Shape| {
        a.min.0 < b.max.0 && b.min.0 < a.max.0 && a.min.1 < b.max.1 && b.min.1 < a.max.1
    };
    let pairs: Vec<(usize, usize)> = (0..wards.len())
        .flat_map(|a| (a + 1..wards.len()).map(move |b| (a, b)))
        .filter(|&(a, b)| boxes_meet(&wards[a].shape, &wards[b].shape))
        .collect();
    let overlaps: Vec<f64> = {
        use rayon::prelude::*;
        pairs
            .par_iter()
            .map(|&(a, b)| wards[a].shape.overlap_km2(&wards[b].shape))
            .collect()
    };
    let mut warnings = Vec::new();
    for (&(a, b), &overlap) in pairs.iter().zip(&overlaps) {
        let (wa, wb) = (&wards[a], &wards[b]);
        // Below a square metre is rounding.
        if overlap <= 1e-6 {
            continue;
        }
        let smaller = wa.shape.area_km2().min(wb.shape.area_km2());
        let share = overlap / smaller;
        let msg = format!(
            "wards \"{}\" (features[{}]) and \"{}\" (features[{}]) overlap by {overlap:.6} km2, {:.4}% of the smaller",
            wa.name,
            wa.feature,
            wb.name,
            wb.feature,
            share * 100.0
        );
        if share > OVERLAP_ERROR_SHARE {
            errors.push(here(
                format!("features[{}].geometry", wb.feature),
                format!("{msg}; wards may share boundaries but not overlap by more than 0.01% of the smaller's area"),
            ));
        } else {
            warnings.push(format!("{file}: {msg} (a sliver below 0.01%, accepted)"));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Map {
        projection,
        wards,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dms(d: f64, m: f64, s: f64) -> f64 {
        d.signum() * (d.abs() + m / 60.0 + s / 3600.0)
    }

    #[test]
    fn a_55_km_line_keeps_its_geodesic_length() {
        // Vincenty's (1975) worked example: Flinders Peak to Buninyong is 54,972.271 m on the
        // ellipsoid (GRS80, whose flattening differs from WGS84's by less than a part in 10^9
        // of the distance). Projected about their middle, the straight line is expected
        // within 2e-6 of it (the scale factor averaged along the line); allowed: 1 m.
        let a = (dms(144.0, 25.0, 29.52440), -dms(37.0, 57.0, 3.72030));
        let b = (dms(143.0, 55.0, 35.38390), -dms(37.0, 39.0, 10.15610));
        let p = Projection::new((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let (pa, pb) = (p.project(a.0, a.1), p.project(b.0, b.1));
        let km = ((pa.0 - pb.0).powi(2) + (pa.1 - pb.1).powi(2)).sqrt();
        assert!((km - 54.972_271).abs() < 0.001, "{km} km");
    }

    #[test]
    fn the_scale_error_50_km_from_the_central_meridian_is_3_in_100000() {
        // A short north-south step about 50 km east of the central meridian at 52N: its true
        // length is the meridian's radius of curvature M times the step (the curvature's change
        // over 0.001 degree is negligible); projected, it is longer by the transverse Mercator's
        // scale, 1 + x^2/2MN (N the prime vertical's radius) to 10^-9 at x = 50 km: 3.07 parts in
        // 100,000, as the reference states. Allowed: 10^-8.
        let p = Projection::new(0.0, 52.0);
        let e2 = F * (2.0 - F);
        let s = 52f64.to_radians().sin();
        let w = 1.0 - e2 * s * s;
        let (m, n) = (A_KM * (1.0 - e2) / w.powf(1.5), A_KM / w.sqrt());
        let lon = (50.0 / (n * 52f64.to_radians().cos())).to_degrees();
        let d = 0.001;
        let (a, b) = (
            p.project(lon, 52.0 - d / 2.0),
            p.project(lon, 52.0 + d / 2.0),
        );
        let x = (a.0 + b.0) / 2.0;
        assert!((x - 50.0).abs() < 0.1, "{x} km east");
        let projected = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
        let scale = projected / (m * d.to_radians());
        let want = x * x / (2.0 * m * n);
        assert!(
            (scale - 1.0 - want).abs() < 1e-8,
            "scale {scale}, expected 1 + {want}"
        );
        assert!(scale - 1.0 > 3.0e-5 && scale - 1.0 < 3.1e-5, "{scale}");
    }

    #[test]
    fn the_origin_is_at_zero_and_north_is_up() {
        let p = Projection::new(-0.5, 52.0);
        let o = p.project(-0.5, 52.0);
        assert!(o.0.abs() < 1e-12 && o.1.abs() < 1e-9);
        let n = p.project(-0.5, 52.1);
        // On the central meridian northing is the meridian arc: 0.1 degree at 52N is
        // M x 0.1 x pi / 180 with M = a(1 - e2) / (1 - e2 sin2 phi)^1.5 = 6,375.2 km, about
        // 11.127 km (allowed 1 m for the curvature's change over the arc).
        let e2 = F * (2.0 - F);
        let s = (52.05f64).to_radians().sin();
        let m = A_KM * (1.0 - e2) / (1.0 - e2 * s * s).powf(1.5);
        assert!(n.0.abs() < 1e-9);
        assert!((n.1 - m * 0.1f64.to_radians()).abs() < 1e-3, "{}", n.1);
        let e = p.project(-0.4, 52.0);
        assert!(e.0 > 6.8 && e.0 < 6.9, "{e:?}");
    }
}
