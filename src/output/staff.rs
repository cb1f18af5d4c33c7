//! The output of `pledgesim staff`: manifest.json, staffing.csv (hour by hour), roster.toml
//! (a scenario fragment) and staff.json, and the printed explanation.

use super::contract::{
    self, FRONTIER_HEADER, Kind, Program, SCHEMA_VERSION, STAFFING_HEADER, StaffHours,
    StaffManifest, StaffSummary,
};
use super::{csv_bytes, json_bytes, write_atomically, write_file};
use crate::error::Error;
use crate::experiment::staff::{Achieved, FrontierPoint, Request, Staffing, roster_toml};
use crate::scenario::Scenario;
use crate::time::{Duration, TimeOfDay};
use std::fmt::Write as _;
use std::path::Path;

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The files of a staffing's folder.
const FILES: [&str; 4] = ["manifest.json", "staffing.csv", "roster.toml", "staff.json"];

/// manifest.json: the scenario staffed and how (`frontier`: whether a cost curve was drawn,
/// which adds frontier.csv).
pub fn manifest<'a>(
    sc: &'a Scenario,
    req: &Request,
    frontier: bool,
) -> StaffManifest<&'a Scenario> {
    let mut files = FILES.map(String::from).to_vec();
    if frontier {
        files.push("frontier.csv".into());
    }
    StaffManifest {
        kind: Kind::Staff,
        schema_version: SCHEMA_VERSION,
        program: Program::this(),
        scenario_hash: sc.hash(),
        seed: sc.run.seed,
        replications: sc.run.replications,
        confidence: req.confidence,
        crates: super::crates(),
        files,
        scenario: sc,
    }
}

/// The cost curve's points as written (staff.json's `frontier`, frontier.csv).
pub fn frontier_rows(points: &[FrontierPoint]) -> Vec<contract::FrontierPoint> {
    let mut out: Vec<contract::FrontierPoint> = Vec::new();
    for p in points {
        let s = &p.staffing;
        let d = s.design.as_ref();
        let a = s
            .achieved_roster
            .iter()
            .find(|a| a.aim == crate::experiment::staff::Aim::Answer(p.channel));
        let cost = d.map(|d| d.cost);
        let marginal = match (out.last(), cost) {
            (Some(prev), Some(c)) => prev
                .cost_per_week
                .map(|pc| (c - pc) / ((p.required - prev.required_share) * 100.0)),
            _ => None,
        };
        out.push(contract::FrontierPoint {
            target: p.channel.target_id().into(),
            required_share: p.required,
            cost_unit: if s.costed { "GBP" } else { "staff-hours" }.into(),
            cost_per_week: cost,
            marginal_cost_per_point: marginal,
            lower_bound_per_week: d.map(|d| d.lower_bound),
            roster_staff_hours: d.map(|_| s.roster_hours),
            hourly_need_staff_hours: s.need_hours,
            achieved_mean: a.map(|a| a.mean),
            achieved_ci_low: a.map(|a| a.ci.0),
            achieved_ci_high: a.map(|a| a.ci.1),
            share_reps_meeting: a.map(|a| a.reps_meeting),
            simulations: s.evaluations,
            unreachable: s.unreachable.clone(),
            roster_of_share: p.roster_of,
        });
    }
    out
}

fn frontier_csv(rows: &[contract::FrontierPoint]) -> Vec<u8> {
    let num = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    csv_bytes(
        &FRONTIER_HEADER,
        rows.iter().map(|r| {
            vec![
                r.target.clone(),
                r.required_share.to_string(),
                r.cost_unit.clone(),
                num(r.cost_per_week),
                num(r.marginal_cost_per_point),
                num(r.lower_bound_per_week),
                num(r.roster_staff_hours),
                r.hourly_need_staff_hours.to_string(),
                num(r.achieved_mean),
                num(r.achieved_ci_low),
                num(r.achieved_ci_high),
                num(r.share_reps_meeting),
                r.simulations.to_string(),
                r.unreachable.clone().unwrap_or_default(),
                num(r.roster_of_share),
            ]
        }),
    )
}

/// staff.json: the staff hours and what each roster achieved.
pub fn summary(req: &Request, s: &Staffing, frontier: &[FrontierPoint]) -> StaffSummary {
    let achieved = |a: &[Achieved]| a.iter().map(contract::Achieved::from).collect();
    StaffSummary {
        kind: Kind::Staff,
        desk: req.desk().noun().into(),
        confidence: req.confidence,
        staff_hours_per_week: StaffHours {
            roster: s.roster_hours,
            hourly_need: s.need_hours,
            input_roster: s.input_hours,
        },
        binding_hours: s.binding.clone(),
        simulations: s.evaluations,
        erlang_a_start: s.start.clone(),
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
        frontier: frontier_rows(frontier),
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

pub fn write(
    dir: &Path,
    sc: &Scenario,
    req: &Request,
    s: &Staffing,
    frontier: &[FrontierPoint],
) -> Result<(), Error> {
    let summary = summary(req, s, frontier);
    write_atomically(dir, |tmp| {
        write_file(
            tmp,
            "manifest.json",
            &json_bytes(&manifest(sc, req, !frontier.is_empty())),
        )?;
        write_file(tmp, "staffing.csv", &staffing_csv(s))?;
        write_file(
            tmp,
            "roster.toml",
            roster_toml(s, req.desk(), sc).as_bytes(),
        )?;
        if !frontier.is_empty() {
            write_file(tmp, "frontier.csv", &frontier_csv(&summary.frontier))?;
        }
        write_file(tmp, "staff.json", &json_bytes(&summary))
    })
}

/// The cost curve in words, a line a point.
pub fn render_frontier(points: &[FrontierPoint]) -> String {
    let mut o = String::new();
    let rows = frontier_rows(points);
    let Some(first) = rows.first() else {
        return o;
    };
    let money = |v: f64| {
        if first.cost_unit == "GBP" {
            format!("£{v:.0}")
        } else {
            format!("{v:.0} staff-hours")
        }
    };
    let _ = writeln!(
        o,
        "\ncost curve of {} (each point a whole search on the same seeds):",
        first.target
    );
    for r in &rows {
        match (r.cost_per_week, &r.unreachable) {
            (Some(c), _) => {
                let _ = writeln!(
                    o,
                    "  {:.1}%: {} a week{}{}, achieved {:.1}% ({:.1}%-{:.1}%)",
                    r.required_share * 100.0,
                    money(c),
                    r.roster_of_share.map_or(String::new(), |h| format!(
                        " (the roster found for {:.1}%, which keeps both)",
                        h * 100.0
                    )),
                    r.marginal_cost_per_point.map_or(String::new(), |m| format!(
                        " ({} a point more than the last)",
                        money(m)
                    )),
                    r.achieved_mean.unwrap_or(f64::NAN) * 100.0,
                    r.achieved_ci_low.unwrap_or(f64::NAN) * 100.0,
                    r.achieved_ci_high.unwrap_or(f64::NAN) * 100.0
                );
            }
            (None, why) => {
                let _ = writeln!(
                    o,
                    "  {:.1}%: no roster: {}",
                    r.required_share * 100.0,
                    why.as_deref().unwrap_or("none found")
                );
            }
        }
    }
    let _ = writeln!(o, "the curve is in frontier.csv");
    o
}

fn line(a: &Achieved) -> String {
    let what = match a.aim {
        crate::experiment::staff::Aim::Answer(_) => format!("{} calls", a.aim.label()),
        crate::experiment::staff::Aim::Dispatch(_) => a.aim.label(),
    };
    format!(
        "{} ({what}): {:.1}% ({:.1}%-{:.1}%) within target, {:.0}% of replications at or above {:.0}%",
        a.aim.id(),
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
        "{}: the fewest {} by hour of the week keeping the targets in at least {:.0}% of {} replications",
        sc.name,
        match req.desk() {
            crate::experiment::staff::Desk::Handlers => "call handlers",
            crate::experiment::staff::Desk::Dispatchers => "dispatchers",
        },
        req.confidence * 100.0,
        sc.run.replications
    );
    let _ = writeln!(
        o,
        "\n{} {} (Erlang C in brackets where the simulation needs more):",
        req.desk().noun(),
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
    let _ = writeln!(
        o,
        "\nwith per-hour {} alone:",
        if s.start.is_some() {
            "Erlang A (callers hang up)"
        } else {
            "Erlang C"
        }
    );
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
