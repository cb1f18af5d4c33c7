//! Throughput and memory of one replication on one core.
//!
//! `cargo bench` runs each case in a child process of its own (so that peak memory is the
//! case's own) and prints events per second, calls per second and peak resident memory:
//! (a) `small`: one week, 160 calls an hour, 14 handlers (scenarios/small.toml);
//! (b) `met-size`: 2.2 M 999 and 3 M non-emergency calls a year, one simulated year
//!     (scenarios/met-size.toml);
//! (c) `county-district`: a county district with its contact centre (redials, silent calls,
//!     call-backs), dispatchers and response officers on a rota with shrinkage, briefings,
//!     breaks and custody (a CAD delay and random travel) over 16 wards, half a year and a
//!     whole simulated year (scenarios/county-district.toml), and the year again without the
//!     officers' duties and shrinkage (`county-district:no-duties`), to show what they cost, and
//!     with every escalation policy on (`county-district:escalation`), to show what checking
//!     them costs a call;
//! (d) `london-borough`: a London borough with Safer Neighbourhoods teams in every ward
//!     (officer time accounted as intervals), abstraction to response and follow-up work, one
//!     simulated year (scenarios/london-borough.toml), and a quarter of a year beside it;
//! (e) `pledge-mini`: the fixed yardstick model of benches/scenarios/pledge-mini.toml, one week;
//! (f) `met-year`: the London borough scaled to the Met's 32 boroughs, one simulated year (5.0 M
//!     calls; benches/scenarios/met-year.toml, written by scripts/met-year.py): ten times its CPU
//!     seconds per replication is what ten replications cost;
//! and the small case at 1, 4 and 16 weeks, to show that memory does not grow with the horizon.
//!
//! One case alone: `cargo bench --bench throughput -- --one small 1w` (or a scenario file by its
//! path, `--one benches/scenarios/pledge-mini.toml 1w`). For instruction counts per call, which
//! do not depend on the machine's load, `scripts/instructions-per-call.sh` runs cases under
//! callgrind (see docs/background/how-it-works.md, "Speed and memory").

use pledgesim::experiment::run_replication;
use pledgesim::time::Duration;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// CPU seconds this process has used (user and system), from /proc/self/stat (in clock ticks
/// of 1/100 s, Linux's USER_HZ).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // The fields after the command name, which is in parentheses.
            let rest = s.rsplit_once(')')?.1.to_string();
            let f: Vec<&str> = rest.split_whitespace().collect();
            let (user, system): (f64, f64) = (f.get(11)?.parse().ok()?, f.get(12)?.parse().ok()?);
            Some((user + system) / 100.0)
        })
        .unwrap_or(f64::NAN)
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// The crime desk's overtime call-in on its backlog, set to be used often, added to its
/// workgroup entry where the scenario has one (`NAME:escalation`).
const DESK_OVERTIME: (&str, &str) = (
    "name = \"crime\"\n",
    "overtime = { level = 5, for = \"1h\", delay = \"1h\", length = \"4h\", staff = 1 }\n",
);

/// Every escalation policy, set to be used often (`NAME:escalation`).
const ESCALATION: &str = r#"
[contact_centre.overtime]
level = 3
for = "5min"
delay = "30min"
length = "4h"
staff = 1
[response.overtime]
level = 2
for = "5min"
delay = "20min"
length = "4h"
units = 1
[response.mutual_aid]
after = "10min"
delay = "2min"
travel = { kind = "lognormal", mean = "8min", sd = "3min" }
cost_per_hour = 85.0
[response.deferral]
waiting_at_least = 2
grades = ["S", "E"]
"#;

/// Runs `reps` replications of `case` (replications 0, 1, ...) one after the other; peak memory
/// is then the largest of them.
fn one(case: &str, horizon: &str, reps: u32) {
    // A shipped scenario by name, or a file (such as benches/scenarios/pledge-mini.toml) by its
    // path from the crate's root.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // "NAME:no-duties": the scenario without its officers' duties and shrinkage (its rotas and
    // establishments kept), to show what the duties cost.
    let (case, no_duties) = match case.strip_suffix(":no-duties") {
        Some(c) => (c, true),
        None => (case, false),
    };
    // "NAME:escalation": the scenario with every escalation policy on (overtime call-in of
    // handlers, of units and of the crime desk's staff, mutual aid, deferral), to show what
    // checking them costs a call.
    let (case, escalation) = match case.strip_suffix(":escalation") {
        Some(c) => (c, true),
        None => (case, false),
    };
    let path = if case.ends_with(".toml") {
        root.join(case)
    } else {
        root.join("scenarios").join(format!("{case}.toml"))
    };
    let case = path.file_stem().and_then(|s| s.to_str()).unwrap_or(case);
    let mut sc = if escalation {
        let text = std::fs::read_to_string(&path).expect("a shipped scenario");
        let (from, desk) = DESK_OVERTIME;
        let text = text.replace(from, &format!("{from}{desk}"));
        let source = pledgesim::scenario::Source {
            label: path.display().to_string(),
            dir: path.parent().map(Path::to_path_buf),
            format: pledgesim::scenario::Format::Toml,
        };
        pledgesim::Scenario::parse(&format!("{text}\n{ESCALATION}"), &source)
            .expect("a shipped scenario with escalation")
    } else {
        pledgesim::Scenario::load(&path).expect("a shipped scenario")
    };
    if no_duties {
        sc.officers.duties.clear();
        sc.officers.shrinkage = Default::default();
    }
    let label = format!(
        "{case}{}{}",
        if no_duties { ":no-duties" } else { "" },
        if escalation { ":escalation" } else { "" }
    );
    let case = label.as_str();
    let h: Duration = horizon.parse().expect("a horizon with a unit");
    sc.run.horizon = h;
    let started = Instant::now();
    let cpu_started = cpu_seconds();
    let (mut events, mut calls) = (0, 0);
    for rep in 0..reps {
        let r = run_replication(&sc, rep);
        events += r.events;
        calls += r.calls;
    }
    let secs = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_started;
    println!(
        "{case:>9} horizon {horizon:>4}: {:>11} events {:>10} calls {:>7.3} s ({:.2} CPU s, {:.2} per replication) {:>6.2} M events/s {:>6.2} M calls/s  peak memory {:>7} KiB  ({:.2} events per call)",
        events,
        calls,
        secs,
        cpu,
        cpu / f64::from(reps),
        events as f64 / secs / 1e6,
        calls as f64 / secs / 1e6,
        peak_rss_kib(),
        events as f64 / calls as f64,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--one") {
        let reps = args
            .get(i + 3)
            .map_or(1, |r| r.parse().expect("a number of replications"));
        one(&args[i + 1], &args[i + 2], reps);
        return;
    }
    let me = std::env::current_exe().expect("own path");
    for (case, horizon) in [
        ("small", "1w"),
        ("small", "4w"),
        ("small", "16w"),
        ("met-size", "52w"),
        ("county-district", "26w"),
        ("county-district", "52w"),
        ("county-district:no-duties", "52w"),
        ("county-district:escalation", "52w"),
        ("london-borough", "13w"),
        ("london-borough", "52w"),
        ("benches/scenarios/pledge-mini.toml", "1w"),
        ("benches/scenarios/met-year.toml", "365d"),
    ] {
        let status = Command::new(&me)
            .args(["--one", case, horizon])
            .status()
            .expect("the bench re-runs itself");
        assert!(status.success());
    }
}
