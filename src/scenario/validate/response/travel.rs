//! Travel and dispatch: metric, idle and patrol, borrowing, speeds, on scene, crewing, categories.

use crate::scenario::Dist;
use crate::scenario::file::ResponseFile;
use crate::scenario::locate::FieldPath;
use crate::scenario::response::{CATEGORIES, GRADES, Idle, Metric, Patrol};
use crate::scenario::validate::check::{Check, choice, dist};

/// The travel and dispatch settings, checked.
pub(super) struct Travel {
    pub(super) metric: Metric,
    pub(super) idle: Idle,
    pub(super) patrol: Patrol,
    pub(super) return_trip: bool,
    pub(super) borrow_within_km: f64,
    pub(super) speed_kmh: [[f64; 2]; 2],
    /// Time on scene for I and S incidents: None where its distribution has errors (reported).
    pub(super) on_scene: [Option<Dist>; 2],
    pub(super) paperwork: Option<Dist>,
    pub(super) two_units: [f64; 2],
    pub(super) categories: [[f64; 5]; 4],
}

/// Travel and dispatch; None (reported) when the paperwork distribution has errors.
pub(super) fn travel(c: &mut Check, r: &ResponseFile, ok: &mut bool) -> Option<Travel> {
    let rp = FieldPath::root().key("response");
    let metric = match r.metric.as_deref() {
        None | Some("euclidean") => {
            let detour = r.detour.unwrap_or(1.0);
            if !(detour.is_finite() && detour >= 1.0) {
                c.bad(
                    &rp.key("detour"),
                    format!("detour must be at least 1 (got {detour})"),
                );
            }
            Metric::Euclidean { detour }
        }
        Some("right-angle") => {
            if r.detour.is_some() {
                c.bad(
                    &rp.key("detour"),
                    "detour applies to the euclidean metric only",
                );
            }
            Metric::RightAngle
        }
        Some(other) => {
            c.bad(
                &rp.key("metric"),
                format!("unknown metric \"{other}\"; allowed: euclidean, right-angle"),
            );
            Metric::RightAngle
        }
    };
    let idle = choice(
        c,
        &rp.key("idle"),
        r.idle.as_deref(),
        &[("patrol", Idle::Patrol), ("base", Idle::Base)],
        "idle behaviour",
    );
    let patrol = choice(
        c,
        &rp.key("patrol"),
        r.patrol.as_deref(),
        &[("area", Patrol::Area), ("demand", Patrol::Demand)],
        "patrol weighting",
    );
    let return_trip = choice(
        c,
        &rp.key("return_trip"),
        r.return_trip.as_deref(),
        &[("none", false), ("drive", true)],
        "return trip",
    );
    let borrow = r.borrow_within_km.unwrap_or(0.0);
    if !(borrow.is_finite() && borrow >= 0.0) {
        c.bad(
            &rp.key("borrow_within_km"),
            format!("must be a distance of at least 0 km (got {borrow})"),
        );
    }
    let sp = rp.key("speed_kmh");
    let mut speed = [[0.0; 2]; 2];
    for (t, (name, v)) in [("urban", &r.speed_kmh.urban), ("rural", &r.speed_kmh.rural)]
        .into_iter()
        .enumerate()
    {
        for (g, (gname, x)) in [("I", v.i), ("S", v.s)].into_iter().enumerate() {
            if x.is_finite() && x > 0.0 && x < 1.0 {
                c.bad(
                    &sp.key(name).key(gname),
                    format!("a speed must be at least 1 km/h (got {x})"),
                );
                *ok = false;
            }
            *ok &= c.positive(&sp.key(name).key(gname), x, "a speed");
            speed[t][g] = x;
        }
    }
    let osp = rp.key("on_scene");
    let on_scene_i = dist(c, &osp.key("I"), &r.on_scene.i);
    let on_scene_s = dist(c, &osp.key("S"), &r.on_scene.s);
    let paperwork = match &r.paperwork {
        Some(d) => Some(dist(c, &rp.key("paperwork"), d)?),
        None => None,
    };
    let two = r.two_units.as_ref().map_or([0.0, 0.0], |t| [t.i, t.s]);
    for (g, x) in two.iter().enumerate() {
        if !(x.is_finite() && (0.0..=1.0).contains(x)) {
            c.bad(
                &rp.key("two_units").key(GRADES[g]),
                format!("a share must be from 0 to 1 (got {x})"),
            );
        }
    }
    let mut categories = [[0.0, 0.0, 0.0, 0.0, 1.0]; 4];
    for (g, v) in category_mix(c, &rp.key("categories"), &r.categories) {
        categories[g] = v;
    }
    Some(Travel {
        metric,
        idle,
        patrol,
        return_trip,
        borrow_within_km: borrow,
        speed_kmh: speed,
        on_scene: [on_scene_i, on_scene_s],
        paperwork,
        two_units: two,
        categories,
    })
}

/// Category shares by grade, from `{ GRADE = { CATEGORY = share } }`: each grade given with its
/// checked shares (each problem reported; a grade with errors is left out).
pub(super) fn category_mix(
    c: &mut Check,
    p: &FieldPath,
    given: &std::collections::BTreeMap<String, std::collections::BTreeMap<String, f64>>,
) -> Vec<(usize, [f64; 5])> {
    let mut out = Vec::new();
    for (grade, m) in given {
        let gp = p.key(grade);
        let Some(g) = GRADES.iter().position(|x| x == grade) else {
            c.bad(
                &gp,
                format!("unknown grade \"{grade}\"; allowed: I, S, E, R"),
            );
            continue;
        };
        let mut v = [0.0; 5];
        let mut ok = true;
        for (name, x) in m {
            match CATEGORIES.iter().position(|k| k == name) {
                Some(k) if x.is_finite() && (0.0..=1.0).contains(x) => v[k] = *x,
                Some(_) => {
                    ok = false;
                    c.bad(
                        &gp.key(name),
                        format!("a share must be from 0 to 1 (got {x})"),
                    );
                }
                None => {
                    ok = false;
                    c.bad(
                        &gp.key(name),
                        format!(
                            "unknown category \"{name}\"; allowed: {}",
                            CATEGORIES.join(", ")
                        ),
                    );
                }
            }
        }
        let sum: f64 = v.iter().sum();
        if ok && (sum - 1.0).abs() > 1e-9 {
            ok = false;
            c.bad(
                &gp,
                format!("the category shares must sum to 1 (got {sum})"),
            );
        }
        if ok {
            out.push((g, v));
        }
    }
    out
}
