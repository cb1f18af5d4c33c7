//! The output of `pledgesim staff`: manifest.json, staffing.csv (hour by hour), roster.toml
//! (a scenario fragment) and staff.json, and the printed explanation.

use super::contract::{
    self, Kind, Program, SCHEMA_VERSION, STAFFING_HEADER, StaffHours, StaffManifest, StaffSummary,
};
use super::{csv_bytes, json_bytes, write_atomically, write_file};
use crate::error::Error;
use crate::experiment::staff::{Achieved, Request, Staffing, roster_toml};
use crate::scenario::Scenario;
use crate::time::{Duration, TimeOfDay};
use std::fmt::Write as _;
use std::path::Path;

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The files of a staffing's folder.
const FILES: [&str; 4] = ["manifest.json", "staffing.csv", "roster.toml", "staff.json"];

/// manifest.json: the scenario staffed and how.
pub fn manifest<'a>(sc: &'a Scenario, req: &Request) -> StaffManifest<&'a Scenario> {
    StaffManifest {
        kind: Kind::Staff,
        schema_version: SCHEMA_VERSION,
        program: Program::this(),
        scenario_hash: sc.hash(),
        seed: sc.run.seed,
        replications: sc.run.replications,
        confidence: req.confidence,
        crates: super::crates(),
        files: FILES.map(String::from).to_vec(),
        scenario: sc,
    }
}

/// staff.json: the staff hours and what each roster achieved.
pub fn summary(req: &Request, s: &Staffing) -> StaffSummary {
    let achieved = |a: &[Achieved]| a.iter().map(contract::Achieved::from).collect();
    StaffSummary {
        kind: Kind::Staff,
        confidence: req.confidence,
        staff_hours_per_week: StaffHours {
            roster: s.roster_hours,
            hourly_need: s.need_hours,
            input_roster: s.input_hours,
        },
        binding_hours: s.binding.clone(),
        simulations: s.evaluations,
        achieved_erlang_c: achieved(&s.achieved_erlang_c),
        achieved_hourly_need: achieved(&s.achieved_need),
        achieved_roster: achieved(&s.achieved_roster),
        unreachable: s.unreachable.clone(),
        shift_design: s.design.as_ref().map(|d| {
            let rules = req.rules.as_ref();
            contract::ShiftDesign {
                shifts_from: if d.grid { "grid" } else { "scenario patterns" }.into(),
                grid: rules.map(|r| Duration(r.grid).to_string()),
                start_windows: rules.map_or_else(Vec::new, |r| {
                    r.windows
                        .iter()
                        .map(|&(a, b)| format!("{}-{}", TimeOfDay(a), TimeOfDay(b)))
                        .collect()
                }),
                lengths: rules.map_or_else(Vec::new, |r| {
                    r.lengths.iter().map(|&l| Duration(l).to_string()).collect()
                }),
                break_rule: rules.and_then(|r| r.brk).map(|b| {
                    format!(
                        "{}@{}-{}",
                        Duration(b.length),
                        Duration(b.earliest),
                        Duration(b.latest)
                    )
                }),
                cost_unit: if d.costed { "GBP" } else { "staff-hours" }.into(),
                cost_per_week: d.cost,
                greedy_cost_per_week: d.greedy_cost,
                lower_bound_per_week: d.lower_bound,
                input_cost_per_week: s.input_cost,
                proven_optimal: d.proven,
                solver_nodes: d.nodes,
                shifts_allowed: d.shifts_allowed,
                rows: d.rows,
                repairs: d.repairs,
                gap_to_need_staff_hours: s.roster_hours - s.need_hours,
            }
        }),
    }
}

/// staffing.csv: hour by hour, Erlang C's handlers, the simulation's need and the roster's.
fn staffing_csv(s: &Staffing) -> Vec<u8> {
    let rows = (0..168).map(|h| {
        vec![
            h.to_string(),
            DAYS[h / 24].to_string(),
            (h % 24).to_string(),
            s.erlang_c[h].to_string(),
            s.need[h].to_string(),
            s.coverage[h].to_string(),
            (s.need[h] > s.erlang_c[h]).to_string(),
        ]
    });
    csv_bytes(&STAFFING_HEADER, rows)
}

pub fn write(dir: &Path, sc: &Scenario, req: &Request, s: &Staffing) -> Result<(), Error> {
    write_atomically(dir, |tmp| {
        write_file(tmp, "manifest.json", &json_bytes(&manifest(sc, req)))?;
        write_file(tmp, "staffing.csv", &staffing_csv(s))?;
        write_file(tmp, "roster.toml", roster_toml(s).as_bytes())?;
        write_file(tmp, "staff.json", &json_bytes(&summary(req, s)))
    })
}

fn line(a: &Achieved) -> String {
    format!(
        "{} ({} calls): {:.1}% ({:.1}%-{:.1}%) within target, {:.0}% of replications at or above {:.0}%",
        a.channel.target_id(),
        a.channel.label(),
        a.mean * 100.0,
        a.ci.0 * 100.0,
        a.ci.1 * 100.0,
        a.reps_meeting * 100.0,
        a.required * 100.0
    )
}

pub fn render(sc: &Scenario, req: &Request, s: &Staffing) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}: the fewest call handlers by hour of the week keeping the targets in at least {:.0}% of {} replications",
        sc.name,
        req.confidence * 100.0,
        sc.run.replications
    );
    let _ = writeln!(
        o,
        "\nhandlers {} (Erlang C in brackets where the simulation needs more):",
        if s.unreachable.is_some() {
            "where the search stopped"
        } else {
            "needed"
        }
    );
    let _ = write!(o, "     ");
    for h in 0..24 {
        let _ = write!(o, "{h:>8}");
    }
    let _ = writeln!(o);
    for (d, day) in DAYS.iter().enumerate() {
        let _ = write!(o, "{day:<5}");
        for h in 0..24 {
            let k = d * 24 + h;
            let cell = if s.need[k] > s.erlang_c[k] {
                format!("{}({})", s.need[k], s.erlang_c[k])
            } else {
                s.need[k].to_string()
            };
            let _ = write!(o, "{cell:>8}");
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(
        o,
        "\n{} hour(s) need more than Erlang C, where queues carry over from busier hours{}",
        s.binding.len(),
        if s.binding.is_empty() {
            String::new()
        } else {
            format!(
                " (first: {})",
                s.binding
                    .iter()
                    .take(6)
                    .map(|h| format!("{} {:02}:00", DAYS[h / 24], h % 24))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    let _ = writeln!(o, "\nwith per-hour Erlang C alone:");
    for a in &s.achieved_erlang_c {
        let _ = writeln!(o, "  {}", line(a));
    }
    let _ = writeln!(o, "\nwith the hourly need:");
    for a in &s.achieved_need {
        let _ = writeln!(o, "  {}", line(a));
    }
    if let Some(why) = &s.unreachable {
        let _ = writeln!(o, "\nverdict: {why}");
        let _ = writeln!(
            o,
            "no roster is proposed; the hourly need where the search stopped is in staffing.csv, the verdict in roster.toml"
        );
        return o;
    }
    let _ = writeln!(o, "\nproposed roster ({} shift(s)):", s.roster.len());
    for sh in &s.roster {
        let day = DAYS[sh.days.iter().position(|d| *d).unwrap_or(0)];
        let brk = sh.breaks.first().map_or(String::new(), |b| {
            format!(", break at +{} for {}", b.after, b.length)
        });
        let _ = writeln!(
            o,
            "  {day} {} for {}{brk}: {}",
            sh.start, sh.length, sh.count
        );
    }
    for a in &s.achieved_roster {
        let _ = writeln!(o, "  {}", line(a));
    }
    let _ = writeln!(
        o,
        "\nstaff hours a week: proposed roster {:.0}, hourly need {:.0} (no roster of whole shifts can use fewer), the scenario's roster {:.0} ({:+.0})",
        s.roster_hours,
        s.need_hours,
        s.input_hours,
        s.roster_hours - s.input_hours
    );
    if let Some(d) = &s.design {
        let money = |v: f64| {
            if d.costed {
                format!("£{v:.2}")
            } else {
                format!("{v:.1} staff-hours")
            }
        };
        let _ = writeln!(
            o,
            "cost a week: proposed roster {} ({}), the greedy cover of the same need {}, a proven lower bound {}; the scenario's roster {}",
            money(d.cost),
            if d.proven {
                "proven the cheapest".to_string()
            } else {
                format!(
                    "within {:.1}% of the cheapest",
                    100.0 * (d.cost - d.lower_bound) / d.cost.max(1e-9)
                )
            },
            money(d.greedy_cost),
            money(d.lower_bound),
            money(s.input_cost)
        );
        let _ = writeln!(
            o,
            "shift design: {} shift(s) to choose from ({}), {} row(s), {} solver node(s), {} repair(s) after simulation",
            d.shifts_allowed,
            if d.grid {
                "designed on a grid"
            } else {
                "the scenario's patterns"
            },
            d.rows,
            d.nodes,
            d.repairs
        );
    }
    let _ = writeln!(o, "the roster as scenario text is in roster.toml");
    o
}
