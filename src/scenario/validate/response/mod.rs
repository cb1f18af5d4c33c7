//! Validation of the field side: sectors, wards, travel, units and appointments, in that order.

mod appointments;
mod bands;
mod escalation;
mod matrix;
mod sectors;
mod teams;
mod travel;
mod units;
mod wards;

use super::check::Check;
use super::check::dist;
use crate::scenario::Channel;
use crate::scenario::Dist;
use crate::scenario::file::{HandlerRosterFile, ScenarioFile};
use crate::scenario::locate::FieldPath;
use crate::scenario::response::*;
use crate::time::{Duration, HOUR};

/// Validates the field side; None when the scenario has none (or it has errors, reported).
pub(super) fn response(c: &mut Check, f: &ScenarioFile, channels: &[Channel]) -> Option<Response> {
    let root = FieldPath::root();
    let Some(r) = &f.response else {
        if f.roster.dispatchers.is_some() {
            c.bad(
                &root.key("roster").key("dispatchers"),
                "dispatchers send response units: they need a [response] section",
            );
        }
        if !f.wards.is_empty()
            || f.wards_file.is_some()
            || f.map.is_some()
            || !f.sectors.is_empty()
            || f.roster.units.is_some()
        {
            c.bad(&root, "wards, sectors and units need a [response] section (grading, travel, time on scene)");
        }
        return None;
    };
    // Whether everything so far is sound: each part sets it false on an error that later checks
    // (demand per ward, sectors without wards, coverage) must not build on.
    let mut ok = true;
    let names = sectors::names(c, f, &mut ok)?;
    let (wards, map) = wards::wards(c, f, r, channels, &names, &mut ok)?;
    let travel = travel::travel(c, r, &mut ok)?;
    let sectors = sectors::sectors(
        c,
        f,
        &wards,
        &travel,
        map.as_ref().map(|m| m.projection),
        &mut ok,
    );
    let travel_matrix = match &r.travel_matrix {
        Some(m) if ok => {
            let t = matrix::matrix(c, m, &wards, &sectors);
            ok &= t.is_some();
            t
        }
        _ => None,
    };
    let hour_bands = if ok {
        let b = bands::hour_bands(c, r, &wards, channels);
        ok &= b.is_some();
        b.unwrap_or_default()
    } else {
        Vec::new()
    };
    let (constant_units, mut unit_shifts) = units::units(c, f, &names, &sectors);
    let teams = teams::teams(c, f, &names, &mut unit_shifts);
    let appointments = appointments::appointments(c, f, &names);
    if ok {
        coverage(
            c,
            channels,
            &wards,
            &hour_bands,
            &sectors,
            |s| constant_units[s] > 0 || unit_shifts.iter().any(|u| u.sector == s),
            &appointments,
        );
    }

    let cad = cad(c, f, r);
    let dispatch = dispatch(c, r, &wards, &names);

    let mutual_aid = escalation::mutual_aid(c, r);
    let deferral = escalation::deferral(c, r);
    let [on_scene_i, on_scene_s] = travel.on_scene;
    let on_scene = [on_scene_i?, on_scene_s?];
    (ok && !c.has_issues()).then(|| Response {
        metric: travel.metric,
        turnout: r.turnout.unwrap_or(Duration(crate::time::MINUTE)),
        idle: travel.idle,
        patrol: travel.patrol,
        borrow_within_km: travel.borrow_within_km,
        divert: r.divert.unwrap_or(false),
        return_trip: travel.return_trip,
        emergency_created_after: r
            .emergency_created_after
            .unwrap_or(Duration(crate::time::MINUTE)),
        created_after: cad.created_after,
        travel_factor: cad.travel_factor,
        dispatchers: cad.dispatchers,
        dispatch,
        paperwork: travel.paperwork,
        speed_kmh: travel.speed_kmh,
        on_scene,
        two_units: travel.two_units,
        categories: travel.categories,
        appointment_lead: r.appointment_lead.unwrap_or(Duration(2 * HOUR)),
        wards,
        sectors,
        constant_units,
        unit_shifts,
        teams,
        appointments,
        map,
        travel_matrix,
        hour_bands,
        mutual_aid,
        deferral,
        // Checked with the run's settings: see `overtime::units`.
        overtime: None,
    })
}

/// The control room's side of the field: the CAD delay by grade, the travel factor and the
/// dispatchers.
struct Cad {
    created_after: [Option<Dist>; 3],
    travel_factor: TravelFactor,
    dispatchers: Option<Dispatchers>,
}

fn cad(c: &mut Check, f: &ScenarioFile, r: &crate::scenario::file::ResponseFile) -> Cad {
    let rp = FieldPath::root().key("response");
    let mut created_after = [None, None, None];
    if let Some(ca) = &r.created_after {
        let cp = rp.key("created_after");
        for (g, d) in [&ca.i, &ca.s, &ca.e].into_iter().enumerate() {
            if let Some(d) = d {
                created_after[g] = dist(c, &cp.key(GRADES[g]), d);
            }
        }
        if ca.i.is_some() && r.emergency_created_after.is_some() {
            c.bad(
                &cp.key("I"),
                "give the emergency CAD delay once: either emergency_created_after (fixed) or created_after.I (a distribution), not both",
            );
        }
    }
    let travel_factor = match &r.travel_factor {
        None => TravelFactor::None,
        Some(t) => {
            let tp = rp.key("travel_factor");
            match (t.kind.as_str(), &t.cv) {
                ("lognormal", Some(cv)) => {
                    let mut v = [0.0; 2];
                    for (k, (name, x)) in [("urban", cv.urban), ("rural", cv.rural)]
                        .into_iter()
                        .enumerate()
                    {
                        if !(x.is_finite() && (0.0..=10.0).contains(&x)) {
                            c.bad(
                                &tp.key("cv").key(name),
                                format!(
                                    "a coefficient of variation must be from 0 to 10 (got {x})"
                                ),
                            );
                        }
                        v[k] = x;
                    }
                    if v == [0.0, 0.0] {
                        TravelFactor::None
                    } else {
                        TravelFactor::Lognormal { cv: v }
                    }
                }
                ("lognormal", None) => {
                    c.bad(&tp.key("cv"), "a lognormal travel factor needs cv = { urban = .., rural = .. } (its coefficient of variation by ward type)");
                    TravelFactor::None
                }
                ("exponential", None) => TravelFactor::Exponential,
                ("exponential", Some(_)) => {
                    c.bad(&tp.key("cv"), "an exponential travel factor has a coefficient of variation of 1: give no cv");
                    TravelFactor::None
                }
                (other, _) => {
                    c.bad(
                        &tp.key("kind"),
                        format!(
                            "unknown travel factor \"{other}\"; allowed: lognormal, exponential"
                        ),
                    );
                    TravelFactor::None
                }
            }
        }
    };
    let dispatchers = f.roster.dispatchers.as_ref().and_then(|d| {
        let dp = FieldPath::root().key("roster").key("dispatchers");
        for (i, s) in d.shifts.iter().enumerate() {
            if s.dedicated_999.is_some() {
                c.bad(
                    &dp.key("shifts").index(i).key("dedicated_999"),
                    "dispatchers take incidents, not calls: dedicated_999 applies to handlers only",
                );
            }
            if !s.breaks.is_empty() {
                c.bad(
                    &dp.key("shifts").index(i).key("breaks"),
                    "breaks are not modelled for dispatchers: give their shifts' hours net of breaks",
                );
            }
        }
        let as_handlers = HandlerRosterFile {
            constant: d.constant,
            constant_dedicated_999: None,
            shifts: d.shifts.clone(),
            shifts_file: None,
        };
        let roster = super::contact::roster(c, &dp, &as_handlers, "dispatcher");
        let dispatch_time = dist(c, &dp.key("dispatch_time"), &d.dispatch_time)?;
        Some(Dispatchers {
            roster,
            dispatch_time,
            count_within: None,
        })
    });
    Cad {
        created_after,
        travel_factor,
        dispatchers,
    }
}

/// The dispatch policy; a ward's order names sectors.
fn dispatch(
    c: &mut Check,
    r: &crate::scenario::file::ResponseFile,
    wards: &[Ward],
    names: &sectors::Names,
) -> Dispatch {
    let Some(d) = &r.dispatch else {
        return Dispatch::default();
    };
    let dp = FieldPath::root().key("response").key("dispatch");
    let choose = super::check::choice(
        c,
        &dp.key("choose"),
        d.choose.as_deref(),
        &[
            ("home", Choose::Home),
            ("nearest", Choose::Nearest),
            ("preference", Choose::Preference),
        ],
        "unit choice",
    );
    let queue = super::check::choice(
        c,
        &dp.key("queue"),
        d.queue.as_deref(),
        &[
            ("sector", QueuePolicy::Sector),
            ("force_fcfs", QueuePolicy::ForceFcfs),
        ],
        "queue policy",
    );
    let mut order = Vec::new();
    if choose == Choose::Preference {
        order = vec![Vec::new(); wards.len()];
        for (ward, list) in &d.order {
            let wp = dp.key("order").key(ward);
            let Some(w) = wards.iter().position(|x| &x.name == ward) else {
                c.bad(&wp, format!("no ward named \"{ward}\""));
                continue;
            };
            for (k, name) in list.iter().enumerate() {
                match names.index(name) {
                    Some(s) if order[w].contains(&s) => {
                        c.bad(&wp.index(k), format!("sector \"{name}\" is listed twice"));
                    }
                    Some(s) => order[w].push(s),
                    None => c.bad(
                        &wp.index(k),
                        format!("no sector named \"{name}\"; sectors: {}", names.list),
                    ),
                }
            }
        }
        for (w, ward) in wards.iter().enumerate() {
            if order[w].is_empty() {
                c.bad(
                    &dp.key("order"),
                    format!("choose = \"preference\" needs an order of sectors for every ward; ward \"{}\" has none", ward.name),
                );
            }
        }
    } else if !d.order.is_empty() {
        c.bad(
            &dp.key("order"),
            "an order of sectors per ward applies with choose = \"preference\" only",
        );
    }
    Dispatch {
        choose,
        queue,
        order,
    }
}

/// Each sector with dispatched (I, S) demand needs units in it or in a sector it may borrow
/// from (`has_units(sector)`: units on duty there at some hour); each with scheduled (E)
/// demand needs appointment sessions.
fn coverage(
    c: &mut Check,
    channels: &[Channel],
    wards: &[Ward],
    bands: &[HourBand],
    sectors: &[Sector],
    has_units: impl Fn(usize) -> bool,
    appointments: &[AppointmentSession],
) {
    let root = FieldPath::root();
    for (s, sector) in sectors.iter().enumerate() {
        let demand = |grade: usize| {
            sector.wards.iter().any(|&w| {
                channels.iter().any(|ch| {
                    let c = ch.kind.index();
                    let ward = &wards[w];
                    // The all-day mix, or a band's for a ward without its own.
                    let graded = ward.grading[c][grade] > 0.0
                        || (!ward.own_grading
                            && bands
                                .iter()
                                .any(|b| b.grading[c].is_some_and(|g| g[grade] > 0.0)));
                    ward.weights[c] > 0.0 && graded
                })
            })
        };
        let sp = root.key("sectors").index(s);
        if (demand(GRADE_I) || demand(GRADE_S))
            && !has_units(s)
            && !sector.neighbours.iter().any(|&n| has_units(n))
        {
            c.bad(&sp, format!("sector \"{}\" has emergency or priority demand but no response units at any hour, and no sector within borrow_within_km has any", sector.name));
        }
        if demand(GRADE_E) && !appointments.iter().any(|a| a.sector == s) {
            c.bad(&sp, format!("sector \"{}\" has scheduled (E) demand but no [[roster.appointments]] sessions", sector.name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::validate::check::testing;
    use crate::scenario::{Arrivals, ChannelKind, Dist};

    /// One sector of two wards (1 and 3 km²), two units, 999 demand graded I and S.
    const FIELD: &str = r#"
[demand.emergency]
calls_per_week = 100
handling = { kind = "deterministic", value = "1min" }
[roster.handlers]
constant = 1
[response]
speed_kmh = { urban = { I = 60, S = 30 }, rural = { I = 60, S = 30 } }
on_scene = { I = { kind = "deterministic", value = "20min" }, S = { kind = "deterministic", value = "30min" } }
grading = { emergency = { I = 0.5, S = 0.5 } }
[[sectors]]
name = "A"
[[wards]]
name = "W1"
type = "urban"
area_km2 = 1
x = 0
y = 0
sector = "A"
[[wards]]
name = "W2"
type = "rural"
area_km2 = 3
x = 4
y = 0
sector = "A"
[roster.units.constant]
A = 2
"#;

    fn emergency() -> Vec<Channel> {
        vec![Channel {
            kind: ChannelKind::Emergency,
            arrivals: Arrivals::Profile {
                calls_per_week: 100.0,
                weights: vec![1.0 / 168.0; 168],
                seasonal: None,
            },
            handling: Dist::Deterministic {
                value: Duration(crate::time::MINUTE),
            },
            patience: None,
            handling_by_grade: [None, None, None, None],
            handling_by_category: [None, None, None, None, None],
            redial: None,
            silent: None,
            stages: Vec::new(),
            answered_at: 0,
            fixed: Vec::new(),
        }]
    }

    /// The field side of `text`, and the problems found, each as "path: message".
    fn check(text: &str) -> (Option<Response>, Vec<String>) {
        let s = testing::source();
        let mut c = Check::new(&s);
        let r = response(&mut c, &testing::file(text), &emergency());
        (r, c.messages())
    }

    #[test]
    fn a_sound_field_side_is_built_with_area_weighted_sector_centres() {
        let (r, problems) = check(FIELD);
        assert_eq!(problems, Vec::<String>::new());
        let r = r.expect("a field side");
        assert_eq!(r.wards.len(), 2);
        assert!(r.wards[1].rural);
        assert_eq!(r.sectors[0].wards, [0, 1]);
        assert_eq!(r.sectors[0].centre, (3.0, 0.0));
        assert_eq!(r.sectors[0].base, (3.0, 0.0));
        assert_eq!(r.constant_units, [2]);
    }

    #[test]
    fn a_sector_named_twice_and_a_ward_in_an_unknown_sector_are_both_reported() {
        let text = FIELD.replace(
            "[[wards]]\nname = \"W1\"",
            "[[sectors]]\nname = \"A\"\n[[wards]]\nname = \"W1\"",
        ) + "[[wards]]\nname = \"W3\"\ntype = \"urban\"\narea_km2 = 1\nx = 0\ny = 0\nsector = \"B\"\n";
        let (r, problems) = check(&text);
        assert!(r.is_none());
        assert_eq!(
            problems,
            [
                "sectors[1].name: sector \"A\" is named twice",
                "wards[2].sector: ward \"W3\" names an unknown sector \"B\"; the sectors are: A, A",
            ]
        );
    }

    #[test]
    fn a_sector_with_emergency_demand_and_no_units_is_reported() {
        let text = FIELD.replace("[roster.units.constant]\nA = 2\n", "");
        let (r, problems) = check(&text);
        assert!(r.is_none());
        assert_eq!(
            problems,
            [
                "sectors[0]: sector \"A\" has emergency or priority demand but no response units at any hour, and no sector within borrow_within_km has any"
            ]
        );
    }

    #[test]
    fn a_slow_speed_and_a_bad_ward_type_are_both_reported_in_file_order() {
        let text = FIELD
            .replace("urban = { I = 60,", "urban = { I = 0.5,")
            .replace("type = \"rural\"", "type = \"moor\"");
        let (r, problems) = check(&text);
        assert!(r.is_none());
        assert_eq!(
            problems,
            [
                "wards[1].type: unknown ward type \"moor\"; allowed: urban, rural",
                "response.speed_kmh.urban.I: a speed must be at least 1 km/h (got 0.5)",
            ]
        );
    }

    #[test]
    fn wards_without_a_response_section_are_reported() {
        let text = FIELD.replace("[response]", "[response_]");
        let start = text.find("[response_]").expect("the section");
        let end = text.find("[[sectors]]").expect("the sectors");
        let text = format!("{}{}", &text[..start], &text[end..]);
        let (r, problems) = check(&text);
        assert!(r.is_none());
        assert_eq!(
            problems,
            [
                "(top level): wards, sectors and units need a [response] section (grading, travel, time on scene)"
            ]
        );
    }
}
