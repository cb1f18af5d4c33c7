//! Validation of the field side: sectors, wards, travel, units and appointments, in that order.

mod appointments;
mod sectors;
mod travel;
mod units;
mod wards;

use super::check::Check;
use crate::scenario::Channel;
use crate::scenario::file::ScenarioFile;
use crate::scenario::locate::FieldPath;
use crate::scenario::response::*;
use crate::time::{Duration, HOUR};

/// Validates the field side; None when the scenario has none (or it has errors, reported).
pub(super) fn response(c: &mut Check, f: &ScenarioFile, channels: &[Channel]) -> Option<Response> {
    let root = FieldPath::root();
    let Some(r) = &f.response else {
        if !f.wards.is_empty()
            || f.wards_file.is_some()
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
    let wards = wards::wards(c, f, r, channels, &names, &mut ok)?;
    let travel = travel::travel(c, r, &mut ok)?;
    let sectors = sectors::sectors(
        c,
        f,
        &wards,
        travel.patrol,
        travel.borrow_within_km,
        &mut ok,
    );
    let (constant_units, unit_shifts) = units::units(c, f, &names, &sectors);
    let appointments = appointments::appointments(c, f, &names);
    if ok {
        coverage(
            c,
            channels,
            &wards,
            &sectors,
            &constant_units,
            &unit_shifts,
            &appointments,
        );
    }

    let [on_scene_i, on_scene_s] = travel.on_scene;
    let on_scene = [on_scene_i?, on_scene_s?];
    (ok && !c.has_issues()).then(|| Response {
        metric: travel.metric,
        turnout: r.turnout.unwrap_or(Duration(crate::time::MINUTE)),
        idle: travel.idle,
        patrol: travel.patrol,
        borrow_within_km: travel.borrow_within_km,
        divert: r.divert.unwrap_or(false),
        emergency_created_after: r
            .emergency_created_after
            .unwrap_or(Duration(crate::time::MINUTE)),
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
        appointments,
    })
}

/// Each sector with dispatched (I, S) demand needs units in it or in a sector it may borrow
/// from; each with scheduled (E) demand needs appointment sessions.
fn coverage(
    c: &mut Check,
    channels: &[Channel],
    wards: &[Ward],
    sectors: &[Sector],
    constant_units: &[u32],
    unit_shifts: &[UnitShift],
    appointments: &[AppointmentSession],
) {
    let root = FieldPath::root();
    let has_units = |s: usize| constant_units[s] > 0 || unit_shifts.iter().any(|u| u.sector == s);
    for (s, sector) in sectors.iter().enumerate() {
        let demand = |grade: usize| {
            sector.wards.iter().any(|&w| {
                channels.iter().any(|ch| {
                    wards[w].weights[ch.kind.index()] > 0.0
                        && wards[w].grading[ch.kind.index()][grade] > 0.0
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
