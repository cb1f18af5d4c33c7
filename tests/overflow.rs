//! Overflow of 999 calls to a partner control room: at once when every handler is busy, the
//! force is an Erlang loss system and the share passed on is Erlang B; after a wait, a hand
//! trace; a full partner keeps calls in the force's queue; T1 counts answers by either room;
//! bad settings are all reported.

use crate::common;

use common::queueing::erlang_b;
use common::{expect_agrees, expect_rejects, overall, parse, simulate, trace};
use pledgesim::model::Outcome;
use pledgesim::scenario::{Format, Scenario, Source};
use pledgesim::time::SECOND;

/// 999 calls at `per_week`, exponential handling of 2 minutes, `c` handlers always on duty,
/// no patience; `overflow` is the `[contact_centre.overflow]` table's body.
fn scenario(c: u32, per_week: f64, overflow: &str, reps: u32) -> Scenario {
    parse(&format!(
        r#"
[run]
horizon = "28d"
warm_up = "1d"
replications = {reps}
seed = 9
[demand.emergency]
calls_per_week = {per_week}
handling = {{ kind = "exponential", mean = "2min" }}
[roster.handlers]
constant = {c}
[contact_centre.overflow]
{overflow}
"#
    ))
}

/// c = 5 handlers, 2 calls a minute of 2 minutes (A = 4 Erlangs): a call that finds all five
/// busy goes to the partner at once, so the force loses it as an M/M/5/5 system would:
/// B(5, 4) = 0.1991. B(6, 4) = 0.1172 is rejected.
#[test]
fn overflow_at_once_passes_on_the_erlang_b_share() {
    let sc = scenario(
        5,
        2.0 * 60.0 * 24.0 * 7.0,
        r#"after = "0s"
partner_answer = { kind = "deterministic", value = "3s" }"#,
        10,
    );
    let out = simulate(&sc);
    let e = overall(&out, "overflow", "999", "transferred_share");
    let se = e.sd / (e.n as f64).sqrt();
    expect_agrees("share passed to the partner", e.mean, erlang_b(5, 4.0), se);
    expect_rejects("share passed to the partner", e.mean, erlang_b(6, 4.0), se);
    // Every call is answered within 10 s (the partner in 3 s): T1 is 1, and the partner's
    // share of answers is the share passed on.
    let t1 = overall(&out, "T1", "999", "share_of_answered_within");
    assert_eq!(t1.mean, 1.0);
    let p = overall(&out, "overflow", "999", "partner_answered_share");
    assert!((p.mean - e.mean).abs() < 1e-12);
    assert_eq!(
        overall(&out, "overflow", "999", "partner_share_within").mean,
        1.0
    );
}

/// One handler, calls at 0, 1 and 2 s (fixed), each held 60 s; overflow after 20 s with a
/// partner answering in 5 s and one line. By hand: call 0 is answered at 0; call 1 waits and
/// goes to the partner at 21 s, answered at 26 s (wait 26 s: outside T1's 10 s); call 2 would
/// go at 22 s but the partner's one line is in use until 26 + 60 = 86 s, so it stays and is
/// answered by the force's handler when call 0 ends at 60 s.
#[test]
fn a_hand_trace_of_overflow_after_a_wait() {
    let sc = parse(
        r#"
[run]
horizon = "1h"
warm_up = "0s"
replications = 1
[demand.emergency]
calls = [{ at = "0s" }, { at = "1s" }, { at = "2s" }]
handling = { kind = "deterministic", value = "60s" }
[roster.handlers]
constant = 1
[contact_centre.overflow]
after = "20s"
partner_lines = 1
partner_answer = { kind = "deterministic", value = "5s" }
"#,
    );
    let t = trace(&sc, 0);
    let at: Vec<u64> = t
        .calls
        .iter()
        .map(|c| match c.outcome {
            Outcome::Answered { at } => at / SECOND,
            o => panic!("{o:?}"),
        })
        .collect();
    assert_eq!(at, vec![0, 26, 60]);
    let out = simulate(&sc);
    let v = |s| overall(&out, "overflow", "999", s).mean;
    assert_eq!(v("transferred_share"), 1.0 / 3.0);
    assert_eq!(v("refused_calls"), 1.0);
    assert_eq!(v("partner_share_within"), 0.0);
}

/// A caller whose patience runs out before the partner answers hangs up then: with patience
/// of exactly 10 s and a partner taking 30 s, every call passed on is abandoned at 10 s.
#[test]
fn a_caller_hangs_up_while_the_partner_rings() {
    let sc = parse(
        r#"
[run]
horizon = "1h"
warm_up = "0s"
replications = 1
[demand.emergency]
calls = [{ at = "0s" }, { at = "1s" }]
handling = { kind = "deterministic", value = "60s" }
patience = { kind = "deterministic", value = "10s" }
[roster.handlers]
constant = 1
[contact_centre.overflow]
after = "0s"
partner_answer = { kind = "deterministic", value = "30s" }
"#,
    );
    let t = trace(&sc, 0);
    assert!(matches!(t.calls[0].outcome, Outcome::Answered { at: 0 }));
    assert!(
        matches!(t.calls[1].outcome, Outcome::Abandoned { at } if at == 11 * SECOND),
        "{:?}",
        t.calls[1].outcome
    );
}

/// A partner with no lines, overflow with no 999 calls and a bad answer time: all reported.
#[test]
fn bad_overflow_settings_are_all_reported() {
    let text = r#"
[run]
horizon = "1d"
[demand.non_emergency]
calls_per_week = 100
handling = { kind = "exponential", mean = "2min" }
[roster.handlers]
constant = 2
[contact_centre.overflow]
after = "20s"
partner_lines = 0
partner_answer = { kind = "exponential", mean = "0s" }
"#;
    let err = Scenario::parse(
        text,
        &Source {
            label: "o.toml".into(),
            dir: None,
            format: Format::Toml,
        },
    )
    .expect_err("invalid")
    .to_string();
    for want in [
        "contact_centre.overflow.partner_lines",
        "a partner with no lines takes no call",
        "the scenario has no [demand.emergency]",
        "contact_centre.overflow.partner_answer",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
}
