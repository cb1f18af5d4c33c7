//! The wards, from [[wards]] or wards_file: sector, type, area or shape, demand and grade mix.

use super::sectors::Names;
use crate::scenario::file::{GradeSharesFile, GradingFile, ResponseFile, ScenarioFile, WardFile};
use crate::scenario::locate::FieldPath;
use crate::scenario::response::{GRADES, Shape, Ward};
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
) -> Option<Vec<Ward>> {
    let root = FieldPath::root();
    let rp = root.key("response");
    let sector_names = &names.list;
    // Where each ward of a wards file was read, to name its problems there.
    let mut rows = None;
    let (ward_files, wards_path): (Vec<WardFile>, FieldPath) =
        match (&f.wards_file, f.wards.is_empty()) {
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
            match &rows {
                Some(r) => c.external(r.err(i, "sector", msg)),
                None => c.bad(&wp.key("sector"), msg),
            }
        }
        let rural = match w.kind.as_str() {
            "urban" => false,
            "rural" => true,
            other => {
                let msg = format!("unknown ward type \"{other}\"; allowed: urban, rural");
                match &rows {
                    Some(r) => c.external(r.err(i, "type", msg)),
                    None => c.bad(&wp.key("type"), msg),
                }
                false
            }
        };
        let mut shape = None;
        let area = match (&w.shape, w.area_km2) {
            (None, Some(a)) => c.positive(&wp.key("area_km2"), a, "area_km2").then_some(a),
            (None, None) => {
                c.bad(&wp, "give the ward's area_km2 (or its shape)");
                None
            }
            (Some(v), given) => {
                let vertices: Vec<(f64, f64)> = v.iter().map(|p| (p[0], p[1])).collect();
                let a = Shape::area(&vertices);
                if vertices.len() < 3
                    || !vertices.iter().all(|p| p.0.is_finite() && p.1.is_finite())
                    || a.is_nan()
                    || a <= 0.0
                {
                    c.bad(&wp.key("shape"), "a shape needs at least 3 points [x, y] (km) enclosing an area greater than 0");
                    None
                } else if given.is_some_and(|g| (g - a).abs() > 0.01 * a) {
                    c.bad(&wp.key("area_km2"), format!("area_km2 ({}) does not match the shape's area ({a:.3}); leave it out or correct it", given.unwrap_or(0.0)));
                    None
                } else {
                    let min = vertices
                        .iter()
                        .fold((f64::MAX, f64::MAX), |m, p| (m.0.min(p.0), m.1.min(p.1)));
                    let max = vertices
                        .iter()
                        .fold((f64::MIN, f64::MIN), |m, p| (m.0.max(p.0), m.1.max(p.1)));
                    shape = Some(Shape { vertices, min, max });
                    Some(a)
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
                c.bad(
                    &wp.key("demand").key(ChannelKind::ALL[k].field()),
                    format!(
                        "a demand weight must be from 0 to 1e12 (got {})",
                        crate::scenario::validate::check::short(*x)
                    ),
                );
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
    Some(wards)
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

fn grading(
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
