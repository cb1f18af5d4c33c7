//! The wards, from [[wards]], wards_file or a [map]: sector, type, area or shape, demand and grade mix.

use super::sectors::Names;
use crate::error::InputError;
use crate::scenario::file::{
    ChannelWeightsFile, GradeSharesFile, GradingFile, MapFile, ResponseFile, ScenarioFile, WardFile,
};
use crate::scenario::locate::FieldPath;
use crate::scenario::map::{Projection, Properties, read_map};
use crate::scenario::response::{GRADES, MapInfo, Shape, Ward};
use crate::scenario::validate::check::Check;
use crate::scenario::{Channel, ChannelKind};

/// The wards; None (reported) when they cannot be read at all.
pub(super) fn wards(
    c: &mut Check,
    f: &ScenarioFile,
    r: &ResponseFile,
    channels: &[Channel],
    names: &Names,
    ok: &mut bool,
) -> Option<(Vec<Ward>, Option<MapInfo>)> {
    let root = FieldPath::root();
    let rp = root.key("response");
    let sector_names = &names.list;
    // Where each ward of a wards file was read, to name its problems there.
    let mut rows = None;
    // The wards of a map: their shapes, and where each was read.
    let mut map: Option<MapWards> = None;
    if let Some(m) = &f.map {
        if f.wards_file.is_some() || !f.wards.is_empty() {
            c.bad(
                &root.key("map"),
                "give the wards one way: [[wards]], wards_file or [map], not more than one",
            );
            return None;
        }
        map = Some(map_wards(c, m)?);
    }
    let (ward_files, wards_path): (Vec<WardFile>, FieldPath) = match &map {
        Some(m) => (m.files.clone(), root.key("map")),
        None => match (&f.wards_file, f.wards.is_empty()) {
            (Some(_), false) => {
                c.bad(
                    &root.key("wards_file"),
                    "give the wards either as [[wards]] or in wards_file, not both",
                );
                return None;
            }
            (Some(name), true) => {
                let path = c.csv_path(&root.key("wards_file"), name)?;
                match crate::scenario::csv::read_wards_located(&path) {
                    Ok((w, r)) => {
                        rows = Some(r);
                        (w, root.key("wards_file"))
                    }
                    Err(e) => {
                        c.external(e);
                        return None;
                    }
                }
            }
            (None, false) => (f.wards.clone(), root.key("wards")),
            (None, true) => {
                c.bad(
                    &root.key("wards"),
                    "give at least one [[wards]] (or wards_file)",
                );
                return None;
            }
        },
    };
    let base_grading = grading(c, &rp.key("grading"), &r.grading, None, channels);
    let mut wards = Vec::new();
    for (i, w) in ward_files.iter().enumerate() {
        let wp = if f.wards_file.is_some() {
            wards_path.clone()
        } else {
            wards_path.index(i)
        };
        let sector = names.index(&w.sector);
        if sector.is_none() {
            let msg = format!(
                "ward \"{}\" names an unknown sector \"{}\"; the sectors are: {sector_names}",
                w.name, w.sector
            );
            match (&rows, &map) {
                (Some(r), _) => c.external(r.err(i, "sector", msg)),
                (_, Some(m)) => c.external(m.err(i, Field::Sector, msg)),
                _ => c.bad(&wp.key("sector"), msg),
            }
        }
        let rural = match w.kind.as_str() {
            "urban" => false,
            "rural" => true,
            other => {
                let msg = format!("unknown ward type \"{other}\"; allowed: urban, rural");
                match (&rows, &map) {
                    (Some(r), _) => c.external(r.err(i, "type", msg)),
                    (_, Some(m)) => c.external(m.err(i, Field::Type, msg)),
                    _ => c.bad(&wp.key("type"), msg),
                }
                false
            }
        };
        let mut shape = map.as_ref().map(|m| m.shapes[i].clone());
        let area = match (&w.shape, w.area_km2) {
            _ if shape.is_some() => shape.as_ref().map(Shape::area_km2),
            (None, Some(a)) => c.positive(&wp.key("area_km2"), a, "area_km2").then_some(a),
            (None, None) => {
                c.bad(&wp, "give the ward's area_km2 (or its shape)");
                None
            }
            (Some(v), given) => {
                let vertices: Vec<(f64, f64)> = v.iter().map(|p| (p[0], p[1])).collect();
                match Shape::new(vec![vec![vertices]]) {
                    Err(why) => {
                        c.bad(&wp.key("shape"), format!("a shape needs at least 3 points [x, y] (km) enclosing an area greater than 0, its edges not crossing: {why}"));
                        None
                    }
                    Ok(s) => {
                        let a = s.area_km2();
                        if given.is_some_and(|g| (g - a).abs() > 0.01 * a) {
                            c.bad(&wp.key("area_km2"), format!("area_km2 ({}) does not match the shape's area ({a:.3}); leave it out or correct it", given.unwrap_or(0.0)));
                            None
                        } else {
                            shape = Some(s);
                            Some(a)
                        }
                    }
                }
            }
        };
        let area_ok = area.is_some();
        if !(w.x.is_finite() && w.y.is_finite()) {
            c.bad(&wp, "x and y must be finite numbers (km)");
        }
        let d = w.demand.clone().unwrap_or_default();
        let weights = [d.emergency.unwrap_or(1.0), d.non_emergency.unwrap_or(1.0)];
        for (k, x) in weights.iter().enumerate() {
            if !(x.is_finite() && (0.0..=crate::scenario::validate::MAX_WEIGHT).contains(x)) {
                let msg = format!(
                    "a demand weight must be from 0 to 1e12 (got {})",
                    crate::scenario::validate::check::short(*x)
                );
                match &map {
                    Some(m) => c.external(m.err(i, Field::Weight(k), msg)),
                    None => c.bad(&wp.key("demand").key(ChannelKind::ALL[k].field()), msg),
                }
            }
        }
        let g = match &w.grading {
            Some(g) => {
                base_grading.and_then(|b| grading(c, &wp.key("grading"), g, Some(b), channels))
            }
            None => base_grading,
        };
        if let (Some(sector), true, Some(g)) = (sector, area_ok, g) {
            wards.push(Ward {
                name: w.name.clone(),
                rural,
                area_km2: area.unwrap_or(0.0),
                x: w.x,
                y: w.y,
                shape,
                sector,
                weights,
                grading: g,
                own_grading: w.grading.is_some(),
            });
        } else {
            *ok = false;
        }
    }
    for ch in channels {
        if *ok
            && wards
                .iter()
                .map(|w| w.weights[ch.kind.index()])
                .sum::<f64>()
                <= 0.0
        {
            c.bad(
                &wards_path,
                format!(
                    "no ward has demand for {} calls: give at least one a weight above 0",
                    ch.kind.label()
                ),
            );
            *ok = false;
        }
    }
    let info = map.map(|m| MapInfo {
        file: m.name,
        projection: m.projection,
        warnings: m.warnings,
    });
    Some((wards, info))
}

/// The wards of a `[map]`, as wards files give them, with their shapes and where each was read.
struct MapWards {
    name: String,
    path: String,
    files: Vec<WardFile>,
    shapes: Vec<Shape>,
    /// Per ward: its feature, and the attributes file's line that gave its values, if any.
    feature: Vec<usize>,
    line: Vec<Option<u64>>,
    attributes: Option<String>,
    props: Properties,
    projection: Projection,
    warnings: Vec<String>,
}

#[derive(Clone, Copy)]
enum Field {
    Type,
    Sector,
    Weight(usize),
}

impl MapWards {
    /// An error in ward `i`'s field: at the attributes file's line when it gave one, else at
    /// the ward's feature.
    fn err(&self, i: usize, field: Field, msg: String) -> InputError {
        let (column, property) = match field {
            Field::Type => ("type", &self.props.kind),
            Field::Sector => ("sector", &self.props.sector),
            Field::Weight(k) => (
                ["weight_emergency", "weight_non_emergency"][k],
                &self.props.weights[k],
            ),
        };
        match (&self.attributes, self.line[i]) {
            (Some(file), Some(line)) => InputError::new(file, column, msg).at(line as usize, 1),
            _ => InputError::new(
                &self.path,
                format!("features[{}].properties.{property}", self.feature[i]),
                msg,
            ),
        }
    }
}

/// Reads a `[map]`'s GeoJSON file and its attributes file; None (reported) when they cannot be
/// read, or hold errors.
fn map_wards(c: &mut Check, m: &MapFile) -> Option<MapWards> {
    let mp = FieldPath::root().key("map");
    let props = Properties {
        name: m.name_property.clone().unwrap_or_else(|| "name".into()),
        code: m.code_property.clone().unwrap_or_else(|| "code".into()),
        kind: m.type_property.clone().unwrap_or_else(|| "type".into()),
        sector: m.sector_property.clone().unwrap_or_else(|| "sector".into()),
        weights: [
            m.emergency_property
                .clone()
                .unwrap_or_else(|| "weight_emergency".into()),
            m.non_emergency_property
                .clone()
                .unwrap_or_else(|| "weight_non_emergency".into()),
        ],
    };
    if let Some([lon, lat]) = m.origin {
        if !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() < 90.0) {
            c.bad(
                &mp.key("origin"),
                format!("the origin is [longitude, latitude] in degrees, from -180 to 180 and -90 to 90 (got [{lon}, {lat}])"),
            );
            return None;
        }
    }
    let path = c.csv_path(&mp.key("file"), &m.file)?;
    let attributes = match &m.attributes_file {
        Some(name) => {
            let p = c.csv_path(&mp.key("attributes_file"), name)?;
            match crate::scenario::csv::read_ward_attributes(&p) {
                Ok(rows) => Some((p.display().to_string(), rows)),
                Err(e) => {
                    c.external(e);
                    return None;
                }
            }
        }
        None => None,
    };
    let read = match read_map(&path, &props, m.origin) {
        Ok(r) => r,
        Err(errors) => {
            for e in errors {
                c.external(e);
            }
            return None;
        }
    };
    let mut out = MapWards {
        name: m.file.clone(),
        path: path.display().to_string(),
        files: Vec::new(),
        shapes: Vec::new(),
        feature: Vec::new(),
        line: Vec::new(),
        attributes: attributes.as_ref().map(|a| a.0.clone()),
        props,
        projection: read.projection,
        warnings: read.warnings,
    };
    if let Some((file, rows)) = &attributes {
        let mut unknown = false;
        for a in rows {
            if !read.wards.iter().any(|w| w.code == a.code) {
                c.external(
                    InputError::new(
                        file,
                        "code",
                        format!("no ward of the map has the code \"{}\"", a.code),
                    )
                    .at(a.line as usize, 1),
                );
                unknown = true;
            }
        }
        if unknown {
            return None;
        }
    }
    let mut missing = false;
    for w in read.wards {
        let a = attributes
            .as_ref()
            .and_then(|(_, rows)| rows.iter().find(|a| a.code == w.code));
        let kind = a.and_then(|a| a.kind.clone()).or(w.kind);
        let sector = a.and_then(|a| a.sector.clone()).or(w.sector);
        for (what, given, key) in [
            ("type (urban or rural)", &kind, &out.props.kind),
            ("sector", &sector, &out.props.sector),
        ] {
            if given.is_none() {
                let column = if what == "sector" { "sector" } else { "type" };
                c.external(InputError::new(
                    &out.path,
                    format!("features[{}].properties.{key}", w.feature),
                    format!(
                        "ward \"{}\" ({}) has no {what}: give it as the feature's \"{key}\" property or in the attributes file's `{column}` column",
                        w.name, w.code
                    ),
                ));
                missing = true;
            }
        }
        let weight = |k: usize| a.and_then(|a| a.weights[k]).or(w.weights[k]);
        let centre = w.shape.centroid();
        out.files.push(WardFile {
            name: w.name,
            kind: kind.unwrap_or_default(),
            area_km2: None,
            x: centre.0,
            y: centre.1,
            shape: None,
            sector: sector.unwrap_or_default(),
            demand: Some(ChannelWeightsFile {
                emergency: weight(0),
                non_emergency: weight(1),
            }),
            grading: None,
        });
        out.shapes.push(w.shape);
        out.feature.push(w.feature);
        out.line.push(a.map(|a| a.line));
    }
    (!missing).then_some(out)
}

fn shares(c: &mut Check, p: &FieldPath, g: &GradeSharesFile) -> Option<[f64; 4]> {
    let v = [
        g.i.unwrap_or(0.0),
        g.s.unwrap_or(0.0),
        g.e.unwrap_or(0.0),
        g.r.unwrap_or(0.0),
    ];
    let mut ok = true;
    for (k, x) in v.iter().enumerate() {
        if !(x.is_finite() && (0.0..=1.0).contains(x)) {
            c.bad(
                &p.key(GRADES[k]),
                format!("a share must be from 0 to 1 (got {x})"),
            );
            ok = false;
        }
    }
    let sum: f64 = v.iter().sum();
    if ok && (sum - 1.0).abs() > 1e-9 {
        c.bad(
            p,
            format!("the grade shares I, S, E, R must sum to 1 (got {sum})"),
        );
        ok = false;
    }
    ok.then_some(v)
}

pub(super) fn grading(
    c: &mut Check,
    p: &FieldPath,
    g: &GradingFile,
    base: Option<[[f64; 4]; 2]>,
    channels: &[Channel],
) -> Option<[[f64; 4]; 2]> {
    let mut out = base.unwrap_or([[0.0, 0.0, 0.0, 1.0]; 2]);
    let mut ok = true;
    for (kind, given) in [
        (ChannelKind::Emergency, &g.emergency),
        (ChannelKind::NonEmergency, &g.non_emergency),
    ] {
        match given {
            Some(s) => match shares(c, &p.key(kind.field()), s) {
                Some(v) => out[kind.index()] = v,
                None => ok = false,
            },
            None if base.is_none() && channels.iter().any(|ch| ch.kind == kind) => {
                c.bad(
                    &p.key(kind.field()),
                    format!(
                        "give the grade mix of {} calls: {{ I = ..., S = ..., E = ..., R = ... }}",
                        kind.label()
                    ),
                );
                ok = false;
            }
            None => {}
        }
    }
    ok.then_some(out)
}
