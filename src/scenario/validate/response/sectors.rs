//! The sectors: their names (each once), then their geometry from their wards.

use crate::scenario::file::{ScenarioFile, SectorFile};
use crate::scenario::locate::FieldPath;
use crate::scenario::map::Projection;
use crate::scenario::response::{Idle, Patrol, Sector, Ward};
use crate::scenario::validate::check::Check;

/// The sectors as named in the file: each name's place, and the list for messages.
pub(super) struct Names<'a> {
    sectors: &'a [SectorFile],
    /// The names, comma separated.
    pub(super) list: String,
}

impl Names<'_> {
    /// The place of the sector named `name`.
    pub(super) fn index(&self, name: &str) -> Option<usize> {
        self.sectors.iter().position(|s| s.name == name)
    }
}

/// The sectors' names, each given once; None (reported) when there are none.
pub(super) fn names<'a>(c: &mut Check, f: &'a ScenarioFile, ok: &mut bool) -> Option<Names<'a>> {
    let root = FieldPath::root();
    if f.sectors.is_empty() {
        c.bad(
            &root.key("sectors"),
            "give at least one [[sectors]] with a name",
        );
        return None;
    }
    for (i, s) in f.sectors.iter().enumerate() {
        if f.sectors[..i].iter().any(|o| o.name == s.name) {
            c.bad(
                &root.key("sectors").index(i).key("name"),
                format!("sector \"{}\" is named twice", s.name),
            );
            *ok = false;
        }
    }
    let sector_names = f
        .sectors
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    Some(Names {
        sectors: &f.sectors,
        list: sector_names,
    })
}

/// Each sector's wards, centre, base and patrol weights, and its neighbours within `borrow` km
/// (nearest first); a sector without wards, or with a base that is not a point, is reported.
pub(super) fn sectors(
    c: &mut Check,
    f: &ScenarioFile,
    wards: &[Ward],
    travel: &super::travel::Travel,
    projection: Option<Projection>,
    ok: &mut bool,
) -> Vec<Sector> {
    let (patrol, borrow) = (travel.patrol, travel.borrow_within_km);
    let root = FieldPath::root();
    let mut sectors: Vec<Sector> = f
        .sectors
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mine: Vec<usize> = (0..wards.len()).filter(|&w| wards[w].sector == i).collect();
            let area: f64 = mine.iter().map(|&w| wards[w].area_km2).sum();
            let centre = if area > 0.0 {
                (
                    mine.iter()
                        .map(|&w| wards[w].x * wards[w].area_km2)
                        .sum::<f64>()
                        / area,
                    mine.iter()
                        .map(|&w| wards[w].y * wards[w].area_km2)
                        .sum::<f64>()
                        / area,
                )
            } else {
                (0.0, 0.0)
            };
            let weight = |w: usize| match patrol {
                Patrol::Area => wards[w].area_km2,
                Patrol::Demand => wards[w].weights[0],
            };
            // Demand weighting falls back to area where a sector's wards have no 999 demand.
            let by_demand: f64 = mine.iter().map(|&w| weight(w)).sum();
            let weight = |w: usize| {
                if by_demand > 0.0 {
                    weight(w)
                } else {
                    wards[w].area_km2
                }
            };
            let total: f64 = mine.iter().map(|&w| weight(w)).sum();
            let mut acc = 0.0;
            let patrol_cumulative = mine
                .iter()
                .map(|&w| {
                    acc += weight(w) / total;
                    acc
                })
                .collect();
            Sector {
                name: s.name.clone(),
                centre,
                base: s
                    .base
                    .filter(|b| b[0].is_finite() && b[1].is_finite())
                    .map(|b| (b[0], b[1]))
                    .or_else(|| {
                        let [lon, lat] = s.base_lonlat?;
                        Some(projection?.project(lon, lat))
                    })
                    .unwrap_or(centre),
                neighbours: Vec::new(),
                wards: mine,
                patrol_cumulative,
                patrol_points: patrol_points(s, projection),
            }
        })
        .collect();
    for i in 0..sectors.len() {
        let mut near: Vec<(f64, usize)> = (0..sectors.len())
            .filter(|&j| j != i)
            .map(|j| {
                let (a, b) = (sectors[i].centre, sectors[j].centre);
                (((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt(), j)
            })
            .filter(|(d, _)| *d <= borrow)
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        sectors[i].neighbours = near.into_iter().map(|(_, j)| j).collect();
    }

    for (i, (sector, file)) in sectors.iter().zip(&f.sectors).enumerate() {
        let sp = root.key("sectors").index(i);
        if sector.wards.is_empty() && *ok {
            c.bad(
                &sp,
                format!(
                    "sector \"{}\" has no wards; give each sector at least one ward",
                    sector.name
                ),
            );
            *ok = false;
        }
        if file
            .base
            .is_some_and(|b| !(b[0].is_finite() && b[1].is_finite()))
        {
            c.bad(
                &sp.key("base"),
                "base must be two finite numbers [x, y] (km)",
            );
            *ok = false;
        }
        if let Some([lon, lat]) = file.base_lonlat {
            let bp = sp.key("base_lonlat");
            if file.base.is_some() {
                c.bad(
                    &bp,
                    "give the base as `base` (km) or `base_lonlat`, not both",
                );
                *ok = false;
            } else if projection.is_none() {
                c.bad(
                    &bp,
                    "a base by longitude and latitude needs the wards from a [map]",
                );
                *ok = false;
            } else if !(lon.is_finite()
                && lat.is_finite()
                && lon.abs() <= 180.0
                && lat.abs() <= 90.0)
            {
                c.bad(
                    &bp,
                    format!("[{lon}, {lat}] is not [longitude, latitude] in degrees"),
                );
                *ok = false;
            }
        }
        patrol_checks(c, &sp, file, sector, wards, travel.idle, projection, ok);
        // A base placed on a map must lie in one of its wards.
        let placed = file.base.is_some() || file.base_lonlat.is_some();
        if projection.is_some() && placed && *ok && !wards.iter().any(|w| w.contains(sector.base)) {
            let (x, y) = sector.base;
            c.bad(
                &sp.key(if file.base.is_some() { "base" } else { "base_lonlat" }),
                format!("sector \"{}\"'s base lies outside every ward of the map (at x = {x:.3} km, y = {y:.3} km from the map's origin); a base must be inside a ward", sector.name),
            );
        }
    }
    sectors
}

/// A sector's patrol points in km, as given or projected (the finite ones; the rest are
/// reported by `patrol_checks`).
fn patrol_points(s: &SectorFile, projection: Option<Projection>) -> Vec<(f64, f64)> {
    let finite = |p: &&[f64; 2]| p[0].is_finite() && p[1].is_finite();
    match (&s.patrol_points, &s.patrol_lonlat, projection) {
        (Some(km), _, _) => km.iter().filter(finite).map(|p| (p[0], p[1])).collect(),
        (None, Some(ll), Some(proj)) => ll
            .iter()
            .filter(finite)
            .map(|p| proj.project(p[0], p[1]))
            .collect(),
        _ => Vec::new(),
    }
}

/// Patrol points: given one way, with idle units on patrol, each a point (longitude and
/// latitude in degrees, with a map) inside one of the sector's own wards.
#[allow(clippy::too_many_arguments)]
fn patrol_checks(
    c: &mut Check,
    sp: &FieldPath,
    file: &SectorFile,
    sector: &Sector,
    wards: &[Ward],
    idle: Idle,
    projection: Option<Projection>,
    ok: &mut bool,
) {
    let (key, given) = match (&file.patrol_points, &file.patrol_lonlat) {
        (None, None) => return,
        (Some(_), Some(_)) => {
            c.bad(
                &sp.key("patrol_lonlat"),
                "give the patrol points as `patrol_points` (km) or `patrol_lonlat`, not both",
            );
            *ok = false;
            return;
        }
        (Some(p), None) => ("patrol_points", p),
        (None, Some(p)) => ("patrol_lonlat", p),
    };
    let pp = sp.key(key);
    if given.is_empty() {
        c.bad(&pp, "give at least one point, or leave the key out to patrol anywhere in the sector's wards");
        *ok = false;
        return;
    }
    if idle != Idle::Patrol {
        c.bad(&pp, "patrol points are where idle units patrol: they need `response.idle = \"patrol\"` (idle units now wait at their base)");
        *ok = false;
    }
    if key == "patrol_lonlat" && projection.is_none() {
        c.bad(&pp, "patrol points by longitude and latitude need the wards from a [map]; give them as `patrol_points` in km");
        *ok = false;
        return;
    }
    let mut points = sector.patrol_points.iter();
    for (k, p) in given.iter().enumerate() {
        let at = pp.index(k);
        let good = if key == "patrol_lonlat" {
            p[0].is_finite() && p[1].is_finite() && p[0].abs() <= 180.0 && p[1].abs() <= 90.0
        } else {
            p[0].is_finite() && p[1].is_finite()
        };
        if !good {
            let what = if key == "patrol_lonlat" {
                "[longitude, latitude] in degrees"
            } else {
                "two finite numbers [x, y] (km)"
            };
            c.bad(&at, format!("[{}, {}] is not {what}", p[0], p[1]));
            *ok = false;
            if p[0].is_finite() && p[1].is_finite() {
                points.next();
            }
            continue;
        }
        let q = *points.next().expect("a point for each finite one");
        if sector.wards.iter().any(|&w| wards[w].contains(q)) {
            continue;
        }
        let inside = wards.iter().find(|w| w.contains(q));
        let place = format!("x = {:.3} km, y = {:.3} km", q.0, q.1);
        let msg = match inside {
            Some(w) => format!(
                "sector \"{}\"'s patrol point ({place}) lies in ward \"{}\" of another sector; a patrol point must be inside one of its own sector's wards",
                sector.name, w.name
            ),
            None => format!(
                "sector \"{}\"'s patrol point ({place}) lies outside every ward; a patrol point must be inside one of its own sector's wards",
                sector.name
            ),
        };
        c.bad(&at, msg);
        *ok = false;
    }
}
