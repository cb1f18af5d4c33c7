//! Hour bands: a call takes the grade and category mixes and ward weights of the band its
//! arrival falls in (the all-day ones outside every band), common random numbers hold when
//! only a band's mixes change, and bad bands are reported all at once.

use crate::common;

use common::{expect_agrees, parse, trace};
use pledgesim::scenario::{Format, Scenario, Source};
use pledgesim::time::{DAY, HOUR};

/// Two equal wards, 999 calls only, no field staff needed beyond one unit; `bands` goes under
/// [response].
fn scenario(bands: &str) -> String {
    format!(
        r#"
[run]
horizon = "28d"
warm_up = "0s"
replications = 1
seed = 5
[demand.emergency]
calls_per_week = 2000
handling = {{ kind = "deterministic", value = "1s" }}
[roster.handlers]
constant = 50
[response]
speed_kmh = {{ urban = {{ I = 60, S = 30 }}, rural = {{ I = 60, S = 30 }} }}
on_scene = {{ I = {{ kind = "deterministic", value = "1min" }}, S = {{ kind = "deterministic", value = "1min" }} }}
grading = {{ emergency = {{ I = 0.0, S = 0.0, E = 0.0, R = 1.0 }} }}
[response.categories.S]
non_crime = 0.5
other_crime = 0.5
{bands}
[[sectors]]
name = "A"
[[wards]]
name = "North"
type = "urban"
area_km2 = 4
x = 0
y = 2
sector = "A"
[[wards]]
name = "South"
type = "urban"
area_km2 = 4
x = 0
y = -2
sector = "A"
[roster.units.constant]
A = 50
"#
    )
}

/// The band 22:00-06:00 (across midnight) grades every call S; outside it every call is R.
/// Counted call by call: each call's grade is exactly the one its arrival's time of day gives.
#[test]
fn each_call_takes_the_grade_mix_of_its_band() {
    let sc = parse(&scenario(
        r#"
[[response.hour_bands]]
name = "night"
start = "22:00"
end = "06:00"
grading = { emergency = { S = 1.0 } }
"#,
    ));
    let t = trace(&sc, 0);
    let (mut night, mut day) = (0, 0);
    for c in &t.calls {
        let d = c.incident.expect("drawn");
        let hour = (c.arrival % DAY) / HOUR;
        let in_band = !(6..22).contains(&hour);
        assert_eq!(
            d.grade,
            if in_band { 1 } else { 3 },
            "call {} at {} ms",
            c.id,
            c.arrival
        );
        if in_band { night += 1 } else { day += 1 }
    }
    assert!(night > 1000 && day > 3000, "{night} night, {day} day calls");
}

/// A band's ward factor of 3 on North: inside the band North's share is 3/4, outside 1/2;
/// each within 3 binomial standard errors (fixed seed).
#[test]
fn ward_factors_weight_the_wards_in_their_band() {
    let sc = parse(&scenario(
        r#"
[[response.hour_bands]]
name = "evening"
start = "18:00"
end = "00:00"
ward_factor = { emergency = { North = 3.0 } }
"#,
    ));
    let t = trace(&sc, 0);
    let mut n = [0.0f64; 2];
    let mut north = [0.0f64; 2];
    for c in &t.calls {
        let d = c.incident.expect("drawn");
        let k = usize::from((c.arrival % DAY) / HOUR >= 18);
        n[k] += 1.0;
        if d.ward == 0 {
            north[k] += 1.0;
        }
    }
    for (k, p) in [(0, 0.5), (1, 0.75)] {
        let share = north[k] / n[k];
        let se = (p * (1.0 - p) / n[k]).sqrt();
        expect_agrees(
            &format!("North's share {}", ["outside", "in"][k]),
            share,
            p,
            se,
        );
    }
    // And the band's share is not the all-day one: more than 10 SE from 1/2.
    let se = (0.25 / n[1]).sqrt();
    assert!((north[1] / n[1] - 0.5).abs() > 10.0 * se);
}

/// Two scenarios that differ only in the band's category mix of grade S: every call keeps its
/// arrival, ward, place, grade and time on scene; only categories of calls in the band change.
#[test]
fn common_random_numbers_hold_when_only_a_band_changes() {
    let grading = r#"
[[response.hour_bands]]
name = "day"
start = "08:00"
end = "20:00"
grading = { emergency = { S = 0.6, R = 0.4 } }
"#;
    let a = parse(&scenario(grading));
    let b = parse(&scenario(&format!(
        "{grading}[response.hour_bands.categories.S]\ndomestic_abuse = 1.0\n"
    )));
    let (ta, tb) = (trace(&a, 0), trace(&b, 0));
    assert_eq!(ta.calls.len(), tb.calls.len());
    let mut changed = 0;
    for (x, y) in ta.calls.iter().zip(&tb.calls) {
        let (dx, dy) = (x.incident.unwrap(), y.incident.unwrap());
        assert_eq!(x.arrival, y.arrival);
        assert_eq!((dx.ward, dx.pos, dx.grade), (dy.ward, dy.pos, dy.grade));
        assert_eq!(dx.on_scene, dy.on_scene);
        let hour = (x.arrival % DAY) / HOUR;
        if dx.grade == 1 && (8..20).contains(&hour) {
            assert_eq!(dy.category, 0, "domestic abuse in the band");
            changed += usize::from(dx.category != dy.category);
        } else {
            assert_eq!(dx.category, dy.category);
        }
    }
    assert!(changed > 100, "{changed} categories changed");
}

/// Every problem with the bands, reported at once with its field.
#[test]
fn bad_bands_are_all_reported() {
    let text = scenario(
        r#"
[[response.hour_bands]]
name = "night"
start = "22:00"
end = "06:00"
grading = { emergency = { S = 0.7, R = 0.2 } }
ward_factor = { emergency = { Nowhere = 2.0, North = -1.0 } }
[response.hour_bands.categories.S]
non_crime = 1.5
[[response.hour_bands]]
name = "night"
start = "05:00"
end = "07:00"
[response.hour_bands.categories.X]
non_crime = 1.0
[[response.hour_bands]]
name = "zero"
start = "12:00"
end = "13:00"
ward_factor = { emergency = { North = 0.0, South = 0.0 } }
"#,
    );
    let err = Scenario::parse(
        &text,
        &Source {
            label: "bands.toml".into(),
            dir: None,
            format: Format::Toml,
        },
    )
    .expect_err("invalid")
    .to_string();
    for want in [
        "response.hour_bands[0].grading.emergency",
        "the grade shares I, S, E, R must sum to 1 (got 0.8999999999999999)",
        "response.hour_bands[0].ward_factor.emergency.Nowhere",
        "no ward is named \"Nowhere\"",
        "response.hour_bands[0].ward_factor.emergency.North",
        "a factor must be from 0 to 1e12 (got -1)",
        "response.hour_bands[0].categories.S.non_crime",
        "response.hour_bands[1].name",
        "band \"night\" is named twice",
        "response.hour_bands[1].categories.X",
        "unknown grade \"X\"",
        "response.hour_bands[2].ward_factor.emergency",
        "every ward's 999 demand weight is 0 in band \"zero\"",
        "the bands must not overlap; more than one band holds 05:00-06:00 (night, night)",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
}
