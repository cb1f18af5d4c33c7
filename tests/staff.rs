//! Staffing search: on a stationary case the answer is the exact Erlang C minimum or one above
//! it, never below; on a sharp peak, where per-hour Erlang C misses because queues carry over,
//! the proposed roster keeps the target when run with fresh seeds; bad requests are refused
//! (exit code 2) and targets no staffing within the bounds keeps are a verdict (exit code 0).

use crate::common;

use common::queueing::{
    erlang_a, erlang_a_abandoned_after, erlang_a_answered_within, mmc_min_servers,
};
use common::{figure, parse};
use pledgesim::experiment::staff::{self, Aim, Request};
use pledgesim::experiment::{self, RunOptions};
use pledgesim::scenario::ChannelKind;

fn t1(share: f64, confidence: f64) -> Request {
    Request {
        targets: vec![(Aim::Answer(ChannelKind::Emergency), share)],
        confidence,
        rules: None,
    }
}

/// 48 Erlangs (0.2 calls a second, 240 s handling), 90% within 10 s, one channel, first come
/// first served, no one hangs up: every hour's answer is the Erlang C minimum or one more.
#[test]
fn a_stationary_load_gets_the_erlang_c_minimum_or_one_more() {
    let sc = parse(
        r#"
[run]
horizon = "1w"
warm_up = "2h"
replications = 10
seed = 3
[demand.emergency]
calls_per_week = 120960
handling = { kind = "exponential", mean = "240s" }
[contact_centre]
discipline = "fcfs"
[roster.handlers]
constant = 60
"#,
    );
    let exact = mmc_min_servers(0.2, 1.0 / 240.0, 10.0, 0.9);
    let found = staff::search(&sc, &t1(0.9, 0.8), &RunOptions::default()).unwrap();
    for h in 0..168 {
        assert_eq!(found.erlang_c[h], exact, "hour {h}: Erlang C");
        assert!(
            found.need[h] == exact || found.need[h] == exact + 1,
            "hour {h}: {} handlers, Erlang C minimum {exact}",
            found.need[h]
        );
        assert!(
            found.coverage[h] >= found.need[h],
            "hour {h}: the roster covers the need"
        );
    }
    for a in found.achieved_need.iter().chain(&found.achieved_roster) {
        assert!(a.reps_meeting >= 0.8, "{a:?}");
    }
    // Reproducible: the same seeds give the same answer.
    let again = staff::search(
        &sc,
        &t1(0.9, 0.8),
        &RunOptions {
            threads: Some(1),
            progress: false,
        },
    )
    .unwrap();
    assert_eq!(again.need, found.need);
}

/// A sharp evening peak of long 999 calls (an hour on average) at 18:00, then the evening's
/// short non-emergency calls at 19:00 and 20:00. Per-hour Erlang C staffs 19:00 for its own
/// short calls, but the handlers on duty then are still busy with the peak's long calls: the
/// non-emergency calls queue and T2 is missed badly. The search finds the binding hours and its
/// roster, run afresh with other seeds, keeps T2 at the stated confidence.
#[test]
fn a_sharp_peak_needs_more_than_per_hour_erlang_c() {
    let text = r#"
[run]
horizon = "2w"
warm_up = "1d"
replications = 20
seed = 8
[targets.T2]
time = "60s"
share = 0.9
[demand.emergency]
calls_per_week = 420
hourly = [0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 1, 0.001, 0.001, 0.001, 0.001, 0.001]
handling = { kind = "exponential", mean = "60min" }
[demand.non_emergency]
calls_per_week = 1700
hourly = [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 1, 1, 0.01, 0.01, 0.01]
handling = { kind = "exponential", mean = "5min" }
[contact_centre]
discipline = "fcfs"
[roster.handlers]
constant = 40
"#;
    let sc = parse(text);
    let req = Request {
        targets: vec![(Aim::Answer(ChannelKind::NonEmergency), 0.9)],
        confidence: 0.8,
        rules: None,
    };
    let found = staff::search(&sc, &req, &RunOptions::default()).unwrap();
    let share =
        |out: &experiment::RunOutcome| figure(&out.overall, "T2", "*", "share_within").clone();
    // Per-hour Erlang C alone misses, run with fresh seeds.
    let mut analytic = staff::hourly_roster(&sc, &found.erlang_c);
    analytic.run.seed = 1001;
    let missed = share(&experiment::run(&analytic, &RunOptions::default()));
    assert!(
        missed.share_reps_meeting.unwrap() < 0.8 && missed.estimate.ci_high < 0.9,
        "per-hour Erlang C keeps T2 after all: {missed:?}"
    );
    // The hours after the peak bind.
    for day in 0..7 {
        assert!(
            found.binding.contains(&(day * 24 + 19)),
            "binding {:?}",
            found.binding
        );
    }
    // The proposed roster, with fresh seeds, keeps it at the stated confidence.
    let mut proposed = sc.clone();
    proposed.handlers.constant = 0;
    proposed.handlers.shifts = found.roster.clone();
    proposed.run.seed = 1001;
    let kept = share(&experiment::run(&proposed, &RunOptions::default()));
    assert!(kept.share_reps_meeting.unwrap() >= 0.8, "{kept:?}");
    eprintln!(
        "per-hour Erlang C: T2 {:.4} ({:.0}% of reps); proposed roster: {:.4} ({:.0}% of reps); need at 19:00 {} vs Erlang C {}",
        missed.estimate.mean,
        missed.share_reps_meeting.unwrap() * 100.0,
        kept.estimate.mean,
        kept.share_reps_meeting.unwrap() * 100.0,
        found.need[19],
        found.erlang_c[19]
    );
}

/// The headline share of Erlang A (M/M/c+M) with `c` handlers: answered within `t` over the
/// calls answered or abandoned after `t` (callers who hang up within the target are left out).
fn erlang_a_headline(c: u32, lambda: f64, mu: f64, theta: f64, t: f64) -> f64 {
    let p_abandon = erlang_a(c, lambda, mu, theta).p_abandon;
    erlang_a_answered_within(c, lambda, mu, theta, t)
        / ((1.0 - p_abandon) + erlang_a_abandoned_after(c, lambda, mu, theta, t))
}

/// Issue 22: stationary constant demand with abandonment (4 Erlangs of 4-minute calls,
/// exponential patience with mean 2 minutes, target 20 s). c* is the fewest handlers whose
/// Erlang A headline share is at least 80% (6; 5 give 76.9%, 6 give 87.6%), and the required
/// share is set halfway between the two; 24 weeks and 20 replications make every hour's share
/// with c* - 1 and with c* handlers fall at least 5 standard errors (of the hour's share over
/// replications, measured here) either side of it. The search returns c* in every hour, one
/// below the Erlang C minimum it starts from (Erlang C ignores the callers who hang up).
#[test]
fn a_stationary_load_with_abandonment_gets_the_erlang_a_minimum() {
    const EA_LOAD: f64 = 4.0;
    const EA_CALLS_PER_WEEK: f64 = EA_LOAD / 240.0 * 604_800.0;
    let (mu, theta, t) = (1.0 / 240.0, 1.0 / 120.0, 20.0);
    let lambda = EA_LOAD * mu;
    // The Erlang A minimum for a share halfway between c* - 1 and c* handlers' shares, c* the
    // first c whose share is at least 0.8.
    let c_star = (1..50)
        .find(|&c| erlang_a_headline(c, lambda, mu, theta, t) >= 0.8)
        .unwrap();
    let (below, above) = (
        erlang_a_headline(c_star - 1, lambda, mu, theta, t),
        erlang_a_headline(c_star, lambda, mu, theta, t),
    );
    let share = (below + above) / 2.0;
    let erlang_c = mmc_min_servers(lambda, mu, t, share);
    assert!(erlang_c > c_star, "Erlang C {erlang_c}, Erlang A {c_star}");
    let sc = parse(&format!(
        r#"
[run]
horizon = "24w"
warm_up = "2h"
replications = 20
seed = 17
[targets.T1]
time = "{t}s"
[demand.emergency]
calls_per_week = {EA_CALLS_PER_WEEK}
handling = {{ kind = "exponential", mean = "240s" }}
patience = {{ kind = "exponential", mean = "120s" }}
[roster.handlers]
constant = 10
"#
    ));
    // The precondition, measured: every hour's share with c* - 1 and c* handlers lies at least
    // 5 standard errors from the required share, on the side Erlang A says.
    for (c, side) in [(c_star - 1, -1.0), (c_star, 1.0)] {
        let flat = staff::hourly_roster(&sc, &[c; 168]);
        let reps: Vec<_> = (0..sc.run.replications)
            .map(|r| experiment::run_replication(&flat, r))
            .collect();
        let worst = common::hours_ses_from(
            |h| {
                reps.iter()
                    .map(|r| r.channels[ChannelKind::Emergency.index()].hourly[h].headline())
                    .collect()
            },
            share,
            side,
        );
        eprintln!("{c} handlers: every hour at least {worst:.1} SE from {share}");
        assert!(
            worst >= 5.0,
            "{c} handlers: an hour's share is only {worst:.1} SE from {share}"
        );
    }
    let found = staff::search(&sc, &t1(share, 0.8), &RunOptions::default()).unwrap();
    // The search starts from the Erlang A minimum, not Erlang C's.
    assert_eq!(found.start, Some(vec![c_star; 168]));
    for h in 0..168 {
        assert_eq!(found.erlang_c[h], erlang_c, "hour {h}: Erlang C");
        assert_eq!(
            found.need[h], c_star,
            "hour {h}: the Erlang A minimum (Erlang C {erlang_c})"
        );
    }
    for a in &found.achieved_need {
        assert!(a.reps_meeting >= 0.8, "{a:?}");
    }
    eprintln!(
        "Erlang A: {c_star} handlers ({below:.4} with one fewer, {above:.4}; required {share:.4}), Erlang C {erlang_c}; {} simulations",
        found.evaluations
    );
}

/// The search's own Erlang A (its start where callers hang up) against the exact figure of
/// these tests' queueing module, written separately: the same headline share to 1e-9 over
/// loads, patiences, servers and times.
#[test]
fn the_searchs_erlang_a_is_the_exact_one() {
    use pledgesim::stats::queueing::erlang_a_headline as searchs;
    for (load, patience, t) in [
        (4.0, 120.0, 20.0),
        (10.0, 60.0, 10.0),
        (2.0, 600.0, 60.0),
        (25.0, 30.0, 5.0),
    ] {
        let (mu, theta) = (1.0 / 240.0, 1.0 / patience);
        let lambda = load * mu;
        for c in 1..(load as u32 * 2 + 3) {
            let (a, b) = (
                searchs(c, lambda, mu, theta, t),
                erlang_a_headline(c, lambda, mu, theta, t),
            );
            assert!(
                (a - b).abs() < 1e-9,
                "load {load}, patience {patience}, c {c}, t {t}: {a} against {b}"
            );
        }
    }
}

#[test]
fn impossible_requests_are_refused() {
    let head = r#"
[run]
horizon = "3d"
replications = 4
[demand.emergency]
calls_per_week = 2000
handling = { kind = "exponential", mean = "5min" }
"#;
    // A target for a channel the scenario does not have.
    let sc = parse(&format!("{head}[roster.handlers]\nconstant = 5\n"));
    let req = Request {
        targets: vec![(Aim::Answer(ChannelKind::NonEmergency), 0.8)],
        confidence: 0.8,
        rules: None,
    };
    let e = staff::search(&sc, &req, &RunOptions::default()).unwrap_err();
    assert!(e.to_string().contains("no non-emergency calls"), "{e}");
    // Shift patterns that leave the night uncovered.
    let sc = parse(&format!(
        "{head}[[roster.handlers.shifts]]\nstart = \"08:00\"\nlength = \"8h\"\ncount = 3\n"
    ));
    let e = staff::search(&sc, &t1(0.8, 0.8), &RunOptions::default()).unwrap_err();
    assert!(e.to_string().contains("no pattern covers"), "{e}");
}

/// The command writes its folder, and roster.toml pasted in place of the scenario's handlers
/// makes a valid scenario with that roster.
#[test]
fn the_command_writes_a_roster_ready_to_paste() {
    let base = r#"
name = "flat"
[run]
horizon = "1w"
warm_up = "2h"
replications = 6
[demand.emergency]
calls_per_week = 10000
handling = { kind = "exponential", mean = "4min" }
"#;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("flat.toml");
    std::fs::write(
        &file,
        format!("{base}[[roster.handlers.shifts]]\nstart = \"06:00\"\nlength = \"8h\"\ncount = 5\n[[roster.handlers.shifts]]\nstart = \"14:00\"\nlength = \"8h\"\ncount = 5\n[[roster.handlers.shifts]]\nstart = \"22:00\"\nlength = \"8h\"\ncount = 3\n"),
    )
    .unwrap();
    let out = dir.path().join("staff");
    let a = common::pledgesim()
        .args(["staff", "--quiet", "--target", "T1=0.85"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = common::stdout(&a);
    assert!(
        stdout.contains("proposed roster") && stdout.contains("staff hours a week"),
        "{stdout}"
    );
    for f in ["manifest.json", "staffing.csv", "roster.toml", "staff.json"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("staff.json")).unwrap()).unwrap();
    assert_eq!(
        summary["unreachable"],
        serde_json::Value::Null,
        "a roster keeps them"
    );
    let roster = std::fs::read_to_string(out.join("roster.toml")).unwrap();
    let sc = parse(&format!("{base}{roster}"));
    // Shifts start where the scenario's do: 06:00, 14:00 or 22:00, 8 hours long.
    assert!(!sc.handlers.shifts.is_empty());
    for s in &sc.handlers.shifts {
        assert!(
            ["06:00", "14:00", "22:00"].contains(&s.start.to_string().as_str()),
            "{}",
            s.start
        );
        assert_eq!(s.length.to_string(), "8h");
    }
    // Bad requests: exit code 2.
    for bad in [
        ["--target", "T3=0.9"],
        ["--target", "T1=1.5"],
        ["--confidence", "0"],
    ] {
        common::pledgesim()
            .arg("staff")
            .args(bad)
            .arg(&file)
            .assert()
            .code(2);
    }
}

/// Targets no staffing within the search's bounds keeps are an answer, not an error (exit code
/// 0): the verdict in words, printed and in roster.toml, with the folder's usual files. Here 200
/// 999 calls arrive at the same moment and callers give up after 20 s: the hour would need
/// about 200 handlers, beyond the search's bound for it.
#[test]
fn unreachable_targets_are_a_verdict_with_exit_code_0() {
    let arrivals = vec!["\"30h\""; 200].join(", ");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("burst.toml");
    std::fs::write(
        &file,
        format!(
            "name = \"burst\"\n[run]\nhorizon = \"1w\"\nwarm_up = \"0s\"\nreplications = 2\n[demand.emergency]\narrivals = [{arrivals}]\nhandling = {{ kind = \"deterministic\", value = \"4min\" }}\npatience = {{ kind = \"deterministic\", value = \"20s\" }}\n[roster.handlers]\nconstant = 3\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("staff");
    let a = common::pledgesim()
        .args(["staff", "--quiet"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = common::stdout(&a);
    let verdict = "no staffing within the search's bounds keeps the targets: hour 30 of the week (tue 06:00) would need more than";
    assert!(stdout.contains(&format!("verdict: {verdict}")), "{stdout}");
    assert!(!stdout.contains("proposed roster"), "{stdout}");
    for f in ["manifest.json", "staffing.csv", "roster.toml", "staff.json"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let roster = std::fs::read_to_string(out.join("roster.toml")).unwrap();
    assert!(
        roster.starts_with(&format!(
            "# No roster proposed by `pledgesim staff`: {verdict}"
        )),
        "{roster}"
    );
    // Still valid TOML, with nothing to paste.
    assert!(toml::from_str::<toml::Table>(&roster).unwrap().is_empty());
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("staff.json")).unwrap()).unwrap();
    assert_eq!(summary["staff_hours_per_week"]["roster"], 0.0);
    assert_eq!(summary["achieved_roster"], serde_json::json!([]));
    let unreachable = summary["unreachable"]
        .as_str()
        .expect("the verdict in staff.json");
    assert!(unreachable.starts_with(verdict), "{unreachable}");
    // The best staffing found and what it misses: the target, its share with its interval
    // against the share required, and the replications keeping it against the confidence.
    let a = &summary["achieved_hourly_need"][0];
    let pct = |key: &str| format!("{:.1}%", a[key].as_f64().unwrap() * 100.0);
    let misses = format!(
        "The best staffing found (the hourly need where the search stopped, {:.0} staff-hours a week) misses T1 (999 calls): {} ({}-{}) within target against {} required, kept in {:.0}% of replications against 80% asked",
        summary["staff_hours_per_week"]["hourly_need"]
            .as_f64()
            .unwrap(),
        pct("mean"),
        pct("ci_low"),
        pct("ci_high"),
        pct("required_share"),
        a["share_reps_meeting"].as_f64().unwrap() * 100.0,
    );
    assert!(unreachable.contains(&misses), "{unreachable}\n{misses}");
    assert!(stdout.contains(&misses), "{stdout}");
    assert!(
        a["mean"].as_f64().unwrap() < a["required_share"].as_f64().unwrap(),
        "{a}"
    );
}

/// Shift patterns that leave hours with calls uncovered are refused before any simulation
/// (exit code 2): no roster could be made of them.
#[test]
fn shift_patterns_that_leave_hours_uncovered_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("days.toml");
    std::fs::write(
        &file,
        "name = \"days\"\n[run]\nhorizon = \"1w\"\nreplications = 2\n[demand.emergency]\ncalls_per_week = 1000\nhandling = { kind = \"exponential\", mean = \"4min\" }\n[[roster.handlers.shifts]]\nstart = \"08:00\"\nlength = \"8h\"\ncount = 5\n",
    )
    .unwrap();
    let a = common::pledgesim()
        .args(["staff", "--quiet"])
        .arg(&file)
        .arg("--out")
        .arg(dir.path().join("staff"))
        .assert()
        .code(2);
    let stderr = common::stderr(&a);
    assert!(
        stderr.contains("no pattern covers 112 hour(s) that need handlers (first: mon 00:00"),
        "{stderr}"
    );
    assert!(!dir.path().join("staff").exists());
}

/// Issue: `pledgesim report` refused a staffing search's folder. Now it writes a report: the
/// roster's staff-hours against the scenario's, in words, what each stage of the search
/// achieved with the share asked, and the need against the roster hour by hour.
#[test]
fn a_staffing_folder_gets_a_report_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("flat.toml");
    std::fs::write(
        &file,
        "name = \"flat\"\n[run]\nhorizon = \"1w\"\nwarm_up = \"2h\"\nreplications = 4\n[demand.emergency]\ncalls_per_week = 10000\nhandling = { kind = \"exponential\", mean = \"4min\" }\n[roster.handlers]\nconstant = 5\n",
    )
    .unwrap();
    let out = dir.path().join("staff");
    common::pledgesim()
        .args(["staff", "--quiet", "--target", "T1=0.85"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    common::report(&out);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Summary: the handlers the pledges need"));
    assert!(
        html.contains("staff-hours a week more than the scenario's roster")
            && html.contains("(840 staff-hours a week)"),
        "the change from 5 x 168 in words"
    );
    for stage in [
        "Erlang C, hour by hour",
        "simulated hourly need",
        "proposed roster",
    ] {
        assert!(html.contains(stage), "{stage}");
    }
    assert!(html.contains("999 calls (T1)") && html.contains("85.0%"));
    assert!(html.contains("Need and roster by hour of the week"));
}

/// roster.toml keeps the scenario's breaks and dedicated 999 handlers: pasted back in place of
/// the scenario's handlers it validates as it stands, each shift has its pattern's breaks (a
/// shift whose staggered breaks would not fit is split in two) and dedicated handlers, and it
/// gives the figures `staff` reported for the roster, replication for replication.
#[test]
fn the_roster_keeps_breaks_and_dedicated_handlers_and_reproduces_its_figures() {
    let base = r#"
name = "breaks"
[run]
horizon = "1w"
warm_up = "2h"
replications = 4
seed = 11
[demand.emergency]
calls_per_week = 12000
handling = { kind = "exponential", mean = "4min" }
[demand.non_emergency]
calls_per_week = 3000
handling = { kind = "exponential", mean = "6min" }
"#;
    let shift = |start: &str, count: u32| {
        format!(
            "[[roster.handlers.shifts]]\nstart = \"{start}\"\nlength = \"8h\"\ncount = {count}\ndedicated_999 = 1\nbreaks = [{{ after = \"3h\", length = \"30min\", stagger = \"1h\" }}]\n"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("breaks.toml");
    std::fs::write(
        &file,
        format!(
            "{base}{}{}{}",
            shift("06:00", 5),
            shift("14:00", 5),
            shift("22:00", 3)
        ),
    )
    .unwrap();
    let out = dir.path().join("staff");
    common::pledgesim()
        .args(["staff", "--quiet", "--target", "T1=0.8"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let roster = std::fs::read_to_string(out.join("roster.toml")).unwrap();
    assert!(roster.contains("dedicated_999 = 1"), "{roster}");
    assert!(
        roster.contains("breaks = [{ after = \"3h\", length = \"30min\", stagger = \"1h\" }]"),
        "{roster}"
    );
    // Pasted back, it validates as it stands (parse panics on an invalid scenario).
    let sc = parse(&format!("{base}{roster}"));
    assert!(!sc.handlers.shifts.is_empty());
    let mut by_start: std::collections::BTreeMap<(String, usize), (u32, u32)> = Default::default();
    for s in &sc.handlers.shifts {
        assert_eq!(s.breaks.len(), 1, "{}", s.name);
        let b = &s.breaks[0];
        assert_eq!(
            (b.after.to_string(), b.length.to_string()),
            ("3h".into(), "30min".into())
        );
        assert_eq!(b.stagger.to_string(), "1h");
        // Every handler's break ends within the shift: 3h + (count - 1) x 1h + 30min <= 8h.
        assert!(s.count <= 5, "{}: {} handlers", s.name, s.count);
        let day = s.days.iter().position(|d| *d).unwrap();
        let e = by_start.entry((s.start.to_string(), day)).or_default();
        e.0 += s.count;
        e.1 += s.dedicated_999;
    }
    for ((start, day), (count, dedicated)) in &by_start {
        assert_eq!(
            *dedicated,
            1.min(*count),
            "{start} day {day}: one dedicated 999 handler"
        );
    }
    // The figures staff reported for the roster are the pasted scenario's.
    let (mean, reported) = common::pasted_and_reported_t1(&sc, &out);
    assert!(
        (mean - reported).abs() < 1e-9,
        "the pasted roster gives {mean}, staff reported {reported}"
    );
}

/// A small day-and-night scenario for the refusals below, with `extra` appended.
fn refusal_case(dir: &std::path::Path, extra: &str) -> std::path::PathBuf {
    let file = dir.join("pay.toml");
    std::fs::write(
        &file,
        format!(
            "name = \"pay\"\n[run]\nhorizon = \"1w\"\nreplications = 2\n[demand.emergency]\ncalls_per_week = 1000\nhandling = {{ kind = \"exponential\", mean = \"4min\" }}\npatience = {{ kind = \"exponential\", mean = \"3min\" }}\n{extra}"
        ),
    )
    .unwrap();
    file
}

/// `staff` with `args`, refused with exit code 2 and nothing written: its stderr.
fn refused(file: &std::path::Path, out: &std::path::Path, args: &[&str]) -> String {
    let a = common::pledgesim()
        .args(["staff", "--quiet"])
        .arg(file)
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
        .code(2);
    assert!(!out.exists(), "nothing written");
    common::stderr(&a)
}

/// Issue 22, bad input: when the search minimises cost, a negative handler rate, or a missing
/// one when other roles have rates, is refused as an invalid scenario naming
/// `pay.roles.handler.base` and what is allowed; a rate of 0 (a valid scenario: its cost left
/// out) is refused by `staff`, whose designed roster would then cost nothing whatever its
/// shifts. Exit code 2 and nothing written, with shift design and with the cost curve alike.
#[test]
fn a_missing_negative_or_zero_handler_rate_is_refused_when_cost_is_minimised() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("staff");
    let handlers = "[roster.handlers]\nconstant = 3\n";
    for (pay, why) in [
        (
            "handler = { base = -15.0 }",
            "a pay rate must be a number of pounds an hour from 0 to 1,000,000 (got -15)",
        ),
        (
            "pc = { base = 22.0 }",
            "no pay rate for role \"handler\", which the scenario pays for 504.0 hours a week: with rates for pc every role paid needs a `base`",
        ),
        (
            "handler = { base = 0.0 }\npc = { base = 22.0 }",
            "a handler rate of 0: the search minimises the designed roster's cost, and at this rate every roster costs nothing, so there is no cheapest; give `base` above 0 (pounds an hour), or leave out every `base` to minimise staff-hours",
        ),
    ] {
        let file = refusal_case(dir.path(), &format!("{handlers}[pay.roles]\n{pay}\n"));
        for args in [
            &["--shift-grid", "1h"][..],
            &["--frontier", "T1=0.80:0.90:0.05"],
        ] {
            let stderr = refused(&file, &out, args);
            assert!(stderr.contains("pay.roles.handler.base"), "{stderr}");
            assert!(stderr.contains(why), "{stderr}");
        }
    }
    // Every problem at once: the rate, a bad target and a window with no start on the grid.
    let file = refusal_case(
        dir.path(),
        &format!("{handlers}[pay.roles]\nhandler = {{ base = 0.0 }}\n"),
    );
    let stderr = refused(
        &file,
        &out,
        &[
            "--target",
            "T3=0.9",
            "--shift-grid",
            "1h",
            "--shift-starts",
            "06:10-06:50",
        ],
    );
    for part in ["pay.roles.handler.base", "--target", "--shift-starts"] {
        assert!(stderr.contains(part), "{part}: {stderr}");
    }
    // Without any rate the search minimises staff-hours, as usual.
    let file = refusal_case(dir.path(), handlers);
    common::pledgesim()
        .args(["staff", "--quiet", "--shift-grid", "1h"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
}

/// Issue 22, bad input: design rules whose shifts leave hours with calls uncovered are refused
/// before any simulation (exit code 2, nothing written), naming the option to widen, the rules
/// and the hours; a window with no start on the grid is refused naming the window.
#[test]
fn a_shift_grid_that_leaves_hours_with_calls_uncovered_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("staff");
    let file = refusal_case(dir.path(), "[roster.handlers]\nconstant = 3\n");
    // Starts from 08:00 to 10:00, 8 hours long: 08:00-18:00 covered, 14 hours a day not.
    let stderr = refused(
        &file,
        &out,
        &[
            "--shift-grid",
            "1h",
            "--shift-starts",
            "08:00-10:00",
            "--shift-lengths",
            "8h",
        ],
    );
    assert!(stderr.contains("--shift-starts"), "{stderr}");
    assert!(
        stderr.contains("no shift the design rules allow (starts every 1h in 08:00-10:00, lengths 8h) covers 98 hour(s) that have calls and so need handlers (first: mon 00:00"),
        "{stderr}"
    );
    assert!(
        stderr.contains("widen --shift-starts or allow longer --shift-lengths"),
        "{stderr}"
    );
    let stderr = refused(
        &file,
        &out,
        &["--shift-grid", "2h", "--shift-starts", "07:00-07:30"],
    );
    assert!(
        stderr.contains("\"07:00-07:30\": the grid of 2h allows no start in this window"),
        "{stderr}"
    );
    // Nothing about the scenario's own patterns when the grid itself was refused.
    assert!(!stderr.contains("no pattern covers"), "{stderr}");
}
