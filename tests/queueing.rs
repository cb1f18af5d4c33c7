//! The simulator against exact steady-state queueing results.
//!
//! Each test builds an analytic scenario (constant staffing, flat Poisson arrivals,
//! exponential or lognormal handling, optional exponential patience), runs fixed-seed
//! replications and compares replication means with formulas from `common::queueing`.
//!
//! Tolerance: 4 standard errors of the replication mean (`common::K`), nothing more. What is left out,
//! and why it is negligible:
//! * Time is kept in whole milliseconds: arrival times are truncated and sampled durations
//!   rounded to the nearest millisecond. Each inter-arrival, service or patience time moves
//!   by under a millisecond with (near) zero mean, so mean waits move by milliseconds, against
//!   standard errors of a tenth of a second and more; the chance that a wait falls exactly on
//!   the target millisecond (where "within" is inclusive) is of order 1e-5 or less.
//! * The system starts empty. These queues relax in about an hour, so the 2-day warm-up is
//!   dozens of relaxation times and what is left of the empty start is negligible.
//! * Per-replication shares and means are ratios of counts. The mean of a ratio carries a bias
//!   of order 1/N, with N from several thousand to tens of thousands of calls per
//!   replication: orders of magnitude below the standard errors seen here.
//!
//! Each comparison is paired with one against a deliberately wrong reference (one server
//! fewer, the other class's wait, an exponential second moment, ...), which must be rejected
//! at the same 4 standard errors, so every test is shown to discriminate.

use crate::common;

use common::queueing::{
    erlang_a, erlang_a_abandoned_after, erlang_a_answered_within, mmc_mean_wait, mmc_wait_cdf,
    priority_mg1_waits, priority_mmc_waits,
};
use common::{expect_agrees, expect_rejects};
use pledgesim::experiment::RunOutcome;
use pledgesim::scenario::Scenario;

const WEEK_S: f64 = 604_800.0;

/// Calls per week for an arrival rate in calls per second.
fn per_week(lambda: f64) -> f64 {
    lambda * WEEK_S
}

fn simulate(toml: &str) -> (Scenario, RunOutcome) {
    let sc = common::parse(toml);
    let out = common::simulate(&sc);
    (sc, out)
}

/// Measured window (horizon - warm-up) in seconds.
fn window_s(sc: &Scenario) -> f64 {
    (sc.run.horizon.0 - sc.run.warm_up.0) as f64 / 1000.0
}

/// Per-replication values of one overall figure; every replication must define it.
fn column(out: &RunOutcome, kpi: &str, statistic: &str) -> Vec<f64> {
    let col = common::column(out, kpi, "*", statistic);
    assert!(
        col.iter().all(|v| v.is_finite()),
        "{kpi} {statistic} undefined in some replication: {col:?}"
    );
    col
}

/// Mean and standard error of per-replication values.
#[derive(Clone, Copy, Debug)]
struct Sample {
    mean: f64,
    se: f64,
}

fn sample(values: &[f64]) -> Sample {
    let n = values.len() as f64;
    assert!(values.len() >= 10, "too few replications: {}", values.len());
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    Sample {
        mean,
        se: (var / n).sqrt(),
    }
}

/// The library's own summary of a figure, checked against the per-replication values.
fn sampled(out: &RunOutcome, kpi: &str, statistic: &str) -> Sample {
    let s = sample(&column(out, kpi, statistic));
    let row = common::figure(&out.overall, kpi, "*", statistic);
    assert_eq!(row.estimate.n, out.reps.len(), "{kpi} {statistic}: n");
    assert!(
        (row.estimate.mean - s.mean).abs() <= 1e-12 * s.mean.abs().max(1.0)
            && (row.estimate.se() - s.se).abs() <= 1e-9 * s.se.max(1e-300),
        "{kpi} {statistic}: summary {:?} disagrees with replications {s:?}",
        row.estimate
    );
    s
}

/// M/M/c (Erlang C): 8 handlers, 4-minute calls, 6.8 Erlangs offered (rho = 0.85), no
/// abandonment, 999 channel only.
#[test]
fn erlang_c_mmc() {
    let c = 8_u32;
    let mu = 1.0 / 240.0;
    let lambda = 6.8 * mu;
    let t = 20.0;
    let toml = format!(
        r#"
name = "erlang-c"
pledge = "england-wales"
[run]
horizon = "4w"
warm_up = "2d"
replications = 40
seed = 101
[targets.T1]
time = "{t}s"
[demand.emergency]
calls_per_week = {cpw}
handling = {{ kind = "exponential", mean = "240s" }}
[roster.handlers]
constant = {c}
"#,
        cpw = per_week(lambda)
    );
    let (sc, out) = simulate(&toml);

    // Poisson arrivals: the mean number of calls arriving in the measured window is
    // lambda x window (those arriving in the warm-up are not counted).
    let offered = sampled(&out, "T1", "offered_calls");
    expect_agrees(
        "calls offered in the window",
        offered.mean,
        lambda * window_s(&sc),
        offered.se,
    );
    expect_rejects(
        "calls offered, counting the warm-up",
        offered.mean,
        lambda * sc.run.horizon.0 as f64 / 1000.0,
        offered.se,
    );

    let within = sampled(&out, "T1", "share_of_offered_within");
    expect_agrees(
        "P(wait <= 20 s)",
        within.mean,
        mmc_wait_cdf(c, lambda, mu, t),
        within.se,
    );
    expect_rejects(
        "P(wait <= 20 s) with c - 1",
        within.mean,
        mmc_wait_cdf(c - 1, lambda, mu, t),
        within.se,
    );

    // No abandonment: every offered call is answered, so the answered calls' mean wait is
    // the M/M/c mean wait over all arrivals.
    let wait = sampled(&out, "T1", "mean_answer_s");
    expect_agrees(
        "mean wait (s)",
        wait.mean,
        mmc_mean_wait(c, lambda, mu),
        wait.se,
    );
    expect_rejects(
        "mean wait (s) with c - 1",
        wait.mean,
        mmc_mean_wait(c - 1, lambda, mu),
        wait.se,
    );
    assert_eq!(
        column(&out, "T1", "answered_calls"),
        column(&out, "T1", "offered_calls"),
        "every call is answered"
    );

    // Staffed time is c times the window in every replication, so occupancy is busy time
    // over a constant: no ratio bias.
    let occupancy = sampled(&out, "handlers", "occupancy");
    let rho = lambda / (f64::from(c) * mu);
    expect_agrees("occupancy", occupancy.mean, rho, occupancy.se);
    expect_rejects(
        "occupancy with c - 1",
        occupancy.mean,
        lambda / (f64::from(c - 1) * mu),
        occupancy.se,
    );
}

/// M/M/c+M (Erlang A): 8 handlers, 4-minute calls, 7.6 Erlangs offered (rho = 0.95),
/// exponential patience with mean 3 minutes, 999 channel only.
#[test]
fn erlang_a_mmc_m() {
    let c = 8_u32;
    let mu = 1.0 / 240.0;
    let theta = 1.0 / 180.0;
    let lambda = 7.6 * mu;
    let t = 20.0;
    let toml = format!(
        r#"
name = "erlang-a"
pledge = "england-wales"
[run]
horizon = "4w"
warm_up = "2d"
replications = 40
seed = 202
[targets.T1]
time = "{t}s"
[demand.emergency]
calls_per_week = {cpw}
handling = {{ kind = "exponential", mean = "240s" }}
patience = {{ kind = "exponential", mean = "180s" }}
[roster.handlers]
constant = {c}
"#,
        cpw = per_week(lambda)
    );
    let (_, out) = simulate(&toml);
    let exact = erlang_a(c, lambda, mu, theta);
    let wrong = erlang_a(c - 1, lambda, mu, theta);

    let abandon = sampled(&out, "T1", "abandonment_rate");
    expect_agrees("P(abandon)", abandon.mean, exact.p_abandon, abandon.se);
    expect_rejects(
        "P(abandon) with c - 1",
        abandon.mean,
        wrong.p_abandon,
        abandon.se,
    );

    let within = sampled(&out, "T1", "share_of_offered_within");
    expect_agrees(
        "P(answered, wait <= 20 s)",
        within.mean,
        erlang_a_answered_within(c, lambda, mu, theta, t),
        within.se,
    );
    expect_rejects(
        "P(answered, wait <= 20 s) with c - 1",
        within.mean,
        erlang_a_answered_within(c - 1, lambda, mu, theta, t),
        within.se,
    );

    let wait_all = sampled(&out, "T1", "mean_wait_all_s");
    expect_agrees(
        "mean wait, all callers (s)",
        wait_all.mean,
        exact.mean_wait_all,
        wait_all.se,
    );
    expect_rejects(
        "mean wait, all callers (s) with c - 1",
        wait_all.mean,
        wrong.mean_wait_all,
        wait_all.se,
    );
    let unresolved = column(&out, "T1", "unresolved_calls");
    assert!(
        unresolved.iter().all(|&u| u == 0.0),
        "unresolved calls: {unresolved:?}"
    );
}

/// The headline share under Erlang A, on the non-emergency channel alone (target T2):
/// 4 handlers, 5-minute calls, 3.8 Erlangs offered, exponential patience with mean 2 minutes,
/// target 60 s.
///
/// The headline share is answered within t / (answered + abandoned after t + unresolved).
/// Per offered call: answered within t has probability A(t) = erlang_a_answered_within,
/// answered at all 1 - P(abandon), abandoned after waiting longer than t
/// erlang_a_abandoned_after(t) (the model counts "after" as wait > t, the formula as still
/// waiting at t: the same event up to a probability-zero tie), unresolved 0 (the drain runs
/// until every measured call has left). So headline = A(t) / ((1 - P(abandon)) + abandoned_after(t)).
/// The per-replication headline is a ratio of counts; its O(1/N) bias is far below the SE at
/// tens of thousands of calls per replication.
#[test]
fn erlang_a_headline_share() {
    let c = 4_u32;
    let mu = 1.0 / 300.0;
    let theta = 1.0 / 120.0;
    let lambda = 3.8 * mu;
    let t = 60.0;
    let toml = format!(
        r#"
name = "erlang-a-headline"
pledge = "england-wales"
[run]
horizon = "4w"
warm_up = "2d"
replications = 40
seed = 303
[targets.T2]
time = "{t}s"
[demand.non_emergency]
calls_per_week = {cpw}
handling = {{ kind = "exponential", mean = "300s" }}
patience = {{ kind = "exponential", mean = "120s" }}
[roster.handlers]
constant = {c}
"#,
        cpw = per_week(lambda)
    );
    let (_, out) = simulate(&toml);
    let p_abandon = erlang_a(c, lambda, mu, theta).p_abandon;
    let answered_within = erlang_a_answered_within(c, lambda, mu, theta, t);
    let abandoned_after = erlang_a_abandoned_after(c, lambda, mu, theta, t);
    let headline = answered_within / ((1.0 - p_abandon) + abandoned_after);

    let share = sampled(&out, "T2", "share_within");
    expect_agrees("headline share within 60 s", share.mean, headline, share.se);
    // Wrong: counting the callers who hang up within the target as misses (the share of
    // offered calls), or leaving out those who hang up after it (the share of answered).
    expect_rejects(
        "headline share counting early hang-ups as misses",
        share.mean,
        answered_within,
        share.se,
    );
    expect_rejects(
        "headline share over answered calls only",
        share.mean,
        answered_within / (1.0 - p_abandon),
        share.se,
    );
    let unresolved = column(&out, "T2", "unresolved_calls");
    assert!(
        unresolved.iter().all(|&u| u == 0.0),
        "unresolved calls: {unresolved:?}"
    );
}

/// Two-class non-preemptive priority M/M/c with equal service rates: 8 handlers, 4-minute
/// calls, 999 calls (class 1) 2.0 Erlangs and non-emergency calls (class 2) 4.8 Erlangs
/// (rho = 0.85), no abandonment; FCFS within each class.
#[test]
fn priority_mmc_two_classes() {
    let c = 8_u32;
    let mu = 1.0 / 240.0;
    let (lambda1, lambda2) = (2.0 * mu, 4.8 * mu);
    let toml = format!(
        r#"
name = "priority-mmc"
pledge = "england-wales"
[run]
horizon = "4w"
warm_up = "2d"
replications = 40
seed = 404
[targets.T1]
time = "10s"
[targets.T2]
time = "60s"
[demand.emergency]
calls_per_week = {cpw1}
handling = {{ kind = "exponential", mean = "240s" }}
[demand.non_emergency]
calls_per_week = {cpw2}
handling = {{ kind = "exponential", mean = "240s" }}
[roster.handlers]
constant = {c}
"#,
        cpw1 = per_week(lambda1),
        cpw2 = per_week(lambda2)
    );
    let (_, out) = simulate(&toml);
    let (w1, w2) = priority_mmc_waits(c, lambda1, lambda2, mu);

    let sim1 = sampled(&out, "T1", "mean_answer_s");
    expect_agrees("999 (class 1) mean wait (s)", sim1.mean, w1, sim1.se);
    expect_rejects("999 mean wait vs the class 2 wait", sim1.mean, w2, sim1.se);
    let sim2 = sampled(&out, "T2", "mean_answer_s");
    expect_agrees(
        "non-emergency (class 2) mean wait (s)",
        sim2.mean,
        w2,
        sim2.se,
    );
    expect_rejects(
        "non-emergency mean wait vs the class 1 wait",
        sim2.mean,
        w1,
        sim2.se,
    );
    expect_rejects(
        "non-emergency mean wait with c - 1",
        sim2.mean,
        priority_mmc_waits(c - 1, lambda1, lambda2, mu).1,
        sim2.se,
    );

    // Conservation: the mean wait over both classes together is the FCFS M/M/c mean wait.
    // Per replication: total wait / total answered calls (a ratio, O(1/N) bias as above).
    let (n1, n2) = (
        column(&out, "T1", "answered_calls"),
        column(&out, "T2", "answered_calls"),
    );
    let (m1, m2) = (
        column(&out, "T1", "mean_answer_s"),
        column(&out, "T2", "mean_answer_s"),
    );
    let pooled: Vec<f64> = (0..n1.len())
        .map(|r| (n1[r] * m1[r] + n2[r] * m2[r]) / (n1[r] + n2[r]))
        .collect();
    let pooled = sample(&pooled);
    expect_agrees(
        "mean wait over both classes (s)",
        pooled.mean,
        mmc_mean_wait(c, lambda1 + lambda2, mu),
        pooled.se,
    );
    expect_rejects(
        "mean wait over both classes with c - 1",
        pooled.mean,
        mmc_mean_wait(c - 1, lambda1 + lambda2, mu),
        pooled.se,
    );
}

/// Two-class non-preemptive priority M/G/1 (Cobham): one handler, lognormal handling,
/// 999 calls mean 60 s (sd 45 s) at 0.004 calls/s (rho1 = 0.24), non-emergency calls mean
/// 90 s (sd 60 s) at 0.0056/s (rho2 = 0.504), rho = 0.744, no abandonment.
#[test]
fn priority_mg1_lognormal() {
    let (lambda1, es1, sd1) = (0.004, 60.0, 45.0);
    let (lambda2, es2, sd2) = (0.0056, 90.0, 60.0);
    let (es1_sq, es2_sq) = (sd1 * sd1 + es1 * es1, sd2 * sd2 + es2 * es2);
    let toml = format!(
        r#"
name = "priority-mg1"
pledge = "england-wales"
[run]
horizon = "4w"
warm_up = "2d"
replications = 40
seed = 505
[targets.T1]
time = "10s"
[targets.T2]
time = "60s"
[demand.emergency]
calls_per_week = {cpw1}
handling = {{ kind = "lognormal", mean = "{es1}s", sd = "{sd1}s" }}
[demand.non_emergency]
calls_per_week = {cpw2}
handling = {{ kind = "lognormal", mean = "{es2}s", sd = "{sd2}s" }}
[roster.handlers]
constant = 1
"#,
        cpw1 = per_week(lambda1),
        cpw2 = per_week(lambda2)
    );
    let (_, out) = simulate(&toml);
    let (w1, w2) = priority_mg1_waits(lambda1, es1, es1_sq, lambda2, es2, es2_sq);
    // Wrong: the exponential second moment E[S^2] = 2 E[S]^2 (M/M/1 with these means).
    let (x1, x2) = priority_mg1_waits(lambda1, es1, 2.0 * es1 * es1, lambda2, es2, 2.0 * es2 * es2);

    let sim1 = sampled(&out, "T1", "mean_answer_s");
    expect_agrees("999 (class 1) mean wait (s)", sim1.mean, w1, sim1.se);
    expect_rejects("999 mean wait vs the class 2 wait", sim1.mean, w2, sim1.se);
    expect_rejects(
        "999 mean wait with E[S^2] = 2 E[S]^2",
        sim1.mean,
        x1,
        sim1.se,
    );
    let sim2 = sampled(&out, "T2", "mean_answer_s");
    expect_agrees(
        "non-emergency (class 2) mean wait (s)",
        sim2.mean,
        w2,
        sim2.se,
    );
    expect_rejects(
        "non-emergency mean wait vs the class 1 wait",
        sim2.mean,
        w1,
        sim2.se,
    );
    expect_rejects(
        "non-emergency mean wait with E[S^2] = 2 E[S]^2",
        sim2.mean,
        x2,
        sim2.se,
    );

    let occupancy = sampled(&out, "handlers", "occupancy");
    expect_agrees(
        "occupancy",
        occupancy.mean,
        lambda1 * es1 + lambda2 * es2,
        occupancy.se,
    );
    expect_rejects(
        "occupancy with the 999 mean handling time for both classes",
        occupancy.mean,
        (lambda1 + lambda2) * es1,
        occupancy.se,
    );
}

/// Little's law, L = lambda W, per channel on a case with no closed form: 6 handlers,
/// lognormal handling, exponential patience, two channels in one first-come-first-served
/// queue (`discipline = "fcfs"`), rho = 0.9 before abandonment.
///
/// Per replication r and channel: L_r = mean_queue_length (time-average number waiting over
/// the window [warm-up, horizon)), lambda_r W_r = offered_r / window * mean_wait_all_s_r =
/// (total time in queue of the calls arriving in the window) / window: a sum over a fixed
/// window, not a ratio, so no ratio bias. The two differ only by edge effects: L_r counts
/// callers who arrived before the window and are still waiting in it, lambda_r W_r counts
/// the time after the horizon of callers who arrived in it. In steady state these cancel in
/// expectation: the system is stationary at both ends of the window, and under FCFS with
/// patience drawn per caller a waiting caller's remaining time in queue does not depend on
/// later arrivals, so stopping arrivals at the horizon (the drain) changes nothing for them.
/// (Under priority it would, slightly, for non-emergency callers, whom later 999 calls
/// overtake; hence FCFS here.) The mean of the paired difference L_r - lambda_r W_r is
/// therefore exactly 0 in expectation.
#[test]
fn littles_law_lognormal_with_abandonment() {
    let toml = format!(
        r#"
name = "little"
pledge = "england-wales"
[run]
horizon = "2w"
warm_up = "2d"
replications = 40
seed = 606
[targets.T1]
time = "10s"
[targets.T2]
time = "60s"
[contact_centre]
discipline = "fcfs"
[demand.emergency]
calls_per_week = {cpw1}
handling = {{ kind = "lognormal", mean = "180s", sd = "120s" }}
patience = {{ kind = "exponential", mean = "60s" }}
[demand.non_emergency]
calls_per_week = {cpw2}
handling = {{ kind = "lognormal", mean = "240s", sd = "200s" }}
patience = {{ kind = "exponential", mean = "300s" }}
[roster.handlers]
constant = 6
"#,
        cpw1 = per_week(1.5 / 180.0),
        cpw2 = per_week(3.9 / 240.0)
    );
    let (sc, out) = simulate(&toml);
    let window = window_s(&sc);
    let lambda_w = |kpi: &str, wait_kpi: &str| -> Vec<f64> {
        let offered = column(&out, kpi, "offered_calls");
        let wait = column(&out, wait_kpi, "mean_wait_all_s");
        offered
            .iter()
            .zip(&wait)
            .map(|(n, w)| n / window * w)
            .collect()
    };
    for (kpi, other) in [("T1", "T2"), ("T2", "T1")] {
        let queue = column(&out, kpi, "mean_queue_length");
        let diff = |lw: Vec<f64>| -> Sample {
            sample(
                &queue
                    .iter()
                    .zip(&lw)
                    .map(|(l, x)| l - x)
                    .collect::<Vec<_>>(),
            )
        };
        eprintln!(
            "{kpi}: L = {:.6}, lambda W = {:.6}",
            sample(&queue).mean,
            sample(&lambda_w(kpi, kpi)).mean
        );
        let right = diff(lambda_w(kpi, kpi));
        expect_agrees(&format!("{kpi}: L - lambda W"), right.mean, 0.0, right.se);
        // Wrong: this channel's arrival rate times the other channel's wait.
        let wrong = diff(lambda_w(kpi, other));
        expect_rejects(
            &format!("{kpi}: L - lambda W with the other channel's W"),
            wrong.mean,
            0.0,
            wrong.se,
        );
    }
}
