use super::*;
use crate::scenario::{Format, Source};

fn small(handlers: u32) -> Scenario {
    parse_small(handlers, true)
}

/// The small scenario, with or without callers who hang up.
fn parse_small(handlers: u32, patience: bool) -> Scenario {
    let text = include_str!("../../../scenarios/small.toml")
        .replace("constant = 14", &format!("constant = {handlers}"));
    let text: String = text
        .lines()
        .filter(|l| patience || !l.starts_with("patience"))
        .map(|l| format!("{l}\n"))
        .collect();
    let source = Source {
        label: "small.toml".into(),
        dir: None,
        format: Format::Toml,
    };
    Scenario::parse(&text, &source).expect("the small scenario parses")
}

#[test]
fn a_scenario_within_capacity_has_no_warnings() {
    assert_eq!(warnings(&small(14)), vec![]);
    assert!(messages(&small(14)).is_empty());
}

#[test]
fn an_overloaded_scenario_is_warned_of_once_with_its_figures() {
    // 26880 calls a week of 4 minutes: 1792 handler-hours, against 10 x 168 = 1680.
    // Callers who hang up keep the queue stable (Erlang A): no warning.
    assert_eq!(warnings(&small(10)), vec![]);
    let w = warnings(&parse_small(10, false));
    let [Warning::Overloaded { load, capacity }] = w.as_slice() else {
        panic!("one overload warning expected: {w:?}");
    };
    assert!((load - 1792.0).abs() < 1e-6, "{load}");
    assert_eq!(*capacity, 1680.0);
    assert_eq!(
        messages(&parse_small(10, false)),
        vec![
            "offered load (1792 handler-hours a week of calls) is at least handler capacity (1680 handler-hours a week): queues will not settle, and results depend on the horizon"
        ]
    );
}

#[test]
fn hours_are_named_as_people_say_them() {
    assert_eq!(hour_name(10), "Monday 10:00-11:00");
    assert_eq!(hour_name(167), "Sunday 23:00-00:00");
    assert_eq!(
        hour_list(&[23, 24]),
        "Monday 23:00-00:00, Tuesday 00:00-01:00"
    );
    assert_eq!(thousands(1234567.4), "1,234,567");
    assert_eq!(thousands(999.0), "999");
}

#[test]
fn every_kind_prints_its_words() {
    let cases = [
        (
            Warning::HoursOverloaded {
                hours: vec![8, 9, 10, 34, 100, 101, 150],
            },
            "call handlers: in 7 hours of the week the calls offered need more than 1.5 times the handlers on duty (Monday 08:00-11:00, Tuesday 10:00-11:00, Friday 04:00-06:00 and 1 hour of the week more); queues build up there",
        ),
        (
            Warning::AppointmentsShort {
                slots: 280.0,
                requests: 1164.6,
            },
            "appointment sessions offer 280 slots a week for about 1,165 requests: not every appointment (T5) can be booked; add sessions, or officers to them",
        ),
        (
            Warning::UnitsSaturated {
                utilisation: 0.996,
                diversions: 4231.0,
                hours: vec![23],
            },
            "response units were busy 100% of their time on duty, with 4,231 diversions a run: emergencies and priority incidents wait for a free unit; busiest (at least 95% busy) in 1 hour of the week (Monday 23:00-00:00); add units or shifts",
        ),
        (
            Warning::TasksNeverDone {
                target: "T9",
                ward: "Abbey".into(),
            },
            "T9 tasks from calls in wards without a neighbourhood team (first: Abbey) are never done: give every ward a team, or give the work to a workgroup",
        ),
        (
            Warning::BacklogGrows {
                workgroup: "desk".into(),
                hours: 403.4,
                staff_hours: 336.0,
            },
            "workgroup \"desk\" has about 403 hours of follow-up work a week for 336 staff-hours: its backlog will grow without limit, and its results depend on the horizon",
        ),
        (
            Warning::NoWholeMonth {
                warm_up: Duration(4 * 3_600_000),
                horizon: Duration(7 * 86_400_000),
            },
            "no whole calendar month lies between the end of the warm-up (4h) and the horizon (1w), so T6 (visible time per member-month) has no figure: run for at least two months",
        ),
    ];
    for (w, says) in cases {
        assert_eq!(w.to_string(), says);
    }
}
