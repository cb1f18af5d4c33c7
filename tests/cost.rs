//! Staffing cost and FTE (kpi `staffing`): the cost of a roster equals the sum of its shifts
//! and enhancements worked out by hand, role by role and team by team; FTE is hours paid over
//! the role's contracted week; a scenario without `[pay]` reports FTE and no cost; the figures
//! are the same in every replication (no interval width); and bad pay settings are reported
//! all at once, each at its line, with exit code 2.

use crate::common;

use common::{figure, overall, parse, run_cli, simulate};
use pledgesim::experiment::RunOutcome;

/// A contact centre alone: two handlers 07:00-15:00 on weekdays and one 18:00-02:00 every day
/// (across the unsocial window's start at 20:00, across midnight, into and out of the weekend).
const CONTACT: &str = r#"
[run]
horizon = "2d"
warm_up = "1h"
replications = 3
[demand.emergency]
calls_per_week = 200
handling = { kind = "exponential", mean = "4min" }
[[roster.handlers.shifts]]
name = "day"
start = "07:00"
length = "8h"
days = ["weekdays"]
count = 2
breaks = [{ after = "4h", length = "30min" }]
[[roster.handlers.shifts]]
name = "late"
start = "18:00"
length = "8h"
count = 1
"#;

/// £20 an hour, +25% in the default window (20:00-06:00), +50% on Saturday and Sunday, a
/// 34-hour contracted week.
const CONTACT_PAY: &str = r#"
[pay.roles.handler]
base = 20
unsocial = 0.25
weekend = 0.5
overtime = 1.5
contracted_hours = 34
"#;

fn staffing(out: &RunOutcome, scope_value: &str, statistic: &str) -> f64 {
    let e = overall(out, "staffing", scope_value, statistic);
    // The scenario's own figure, the same in every replication: an interval of no width.
    assert_eq!(e.sd, 0.0, "{scope_value} {statistic}");
    assert_eq!((e.ci_low, e.ci_high), (e.mean, e.mean), "{scope_value}");
    e.mean
}

/// By hand. The day shift: 2 handlers x 8 h x 5 days = 80 h, all between 06:00 and 20:00 on
/// weekdays: 80 x £20 = £1,600. Breaks are paid.
///
/// The late shift, 18:00-02:00, one handler, hour by hour (plain, unsocial, weekend, both):
///
/// | starts | 18-20 | 20-24 | 00-02 (next day) | plain | unsocial | weekend | both |
/// | Mon-Thu | plain | unsocial | unsocial | 2 | 6 | 0 | 0 | (each)
/// | Fri | plain | unsocial | Sat: both | 2 | 4 | 0 | 2 |
/// | Sat | weekend | both | Sun: both | 0 | 0 | 2 | 6 |
/// | Sun | weekend | both | Mon: unsocial | 0 | 2 | 2 | 4 |
///
/// Totals: plain 4 x 2 + 2 = 10, unsocial 4 x 6 + 4 + 2 = 30, weekend 4, both 2 + 6 + 4 = 12;
/// 56 hours. Cost: 20 x (10 + 30 x 1.25 + 4 x 1.5 + 12 x (1 + 0.25 + 0.5)) = 20 x (10 + 37.5 +
/// 6 + 21) = 20 x 74.5 = £1,490 (the enhancements add: a Saturday night hour is 1.75 times the
/// base, not 1.25 x 1.5).
///
/// The force: 136 hours a week, £3,090, 136 / 34 = 4 FTE.
#[test]
fn the_cost_of_a_roster_is_the_sum_of_its_shifts_and_enhancements() {
    let out = simulate(&parse(&format!("{CONTACT}{CONTACT_PAY}")));
    assert_eq!(staffing(&out, "all", "hours_paid_per_week"), 136.0);
    assert_eq!(staffing(&out, "all", "cost_per_week"), 3090.0);
    assert_eq!(staffing(&out, "all", "fte"), 4.0);
    assert_eq!(staffing(&out, "handler", "cost_per_week"), 3090.0);
    assert_eq!(staffing(&out, "handler/handlers", "fte"), 4.0);
    // The row's place: kpi staffing, scope role_team.
    let r = figure(
        &out.overall,
        "staffing",
        "handler/handlers",
        "cost_per_week",
    );
    assert_eq!(r.key.scope, "role_team");
    assert_eq!(r.key.clock, "");

    // Only the late shift: 56 hours, £1,490.
    let day = CONTACT
        .find("[[roster.handlers.shifts]]\nname = \"day\"")
        .unwrap();
    let late = CONTACT
        .find("[[roster.handlers.shifts]]\nname = \"late\"")
        .unwrap();
    let only_late = format!("{}{}{CONTACT_PAY}", &CONTACT[..day], &CONTACT[late..]);
    let out = simulate(&parse(&only_late));
    assert_eq!(staffing(&out, "all", "hours_paid_per_week"), 56.0);
    assert_eq!(staffing(&out, "all", "cost_per_week"), 1490.0);
}

/// The unsocial window moved to 18:00-02:00 makes the whole late shift unsocial: 56 hours, of
/// which Friday's shift's last 2 hours (Saturday 00:00-02:00), Saturday's 8 and Sunday's first
/// 6 fall on the weekend (16 hours both, 40 unsocial only): 20 x (40 x 1.25 + 16 x 1.75) +
/// £1,600 for the day shift = 20 x 78 + 1,600.
#[test]
fn the_unsocial_window_is_the_scenarios() {
    let text = format!(
        "{CONTACT}\n[pay]\nunsocial_from = \"18:00\"\nunsocial_to = \"02:00\"\n{CONTACT_PAY}"
    );
    let out = simulate(&parse(&text));
    assert_eq!(staffing(&out, "all", "cost_per_week"), 20.0 * 78.0 + 1600.0);
}

/// Without `[pay]`: hours paid and FTE (over the staff week of 37 hours), no cost row, and the
/// scorecard says so.
#[test]
fn without_pay_a_run_reports_fte_and_no_cost() {
    let out = simulate(&parse(CONTACT));
    assert_eq!(staffing(&out, "all", "hours_paid_per_week"), 136.0);
    assert_eq!(staffing(&out, "handler", "fte"), 136.0 / 37.0);
    assert!(
        !out.overall
            .iter()
            .any(|r| r.key.kpi == "staffing" && r.key.statistic == "cost_per_week"),
        "a cost without pay rates"
    );
    let cli = run_cli(CONTACT, &["--replications", "2", "--quiet"]);
    cli.success();
    let cli = run_cli(CONTACT, &["--replications", "2"]);
    cli.success();
    assert!(
        cli.stdout
            .contains("staffing: 3.7 FTE (136 hours paid a week); handler 3.7 FTE; no cost without pay rates ([pay])"),
        "{}",
        cli.stdout
    );
    let summary = cli.output("summary.json");
    assert!(summary.contains("\"hours_paid_per_week\""));
    assert!(!summary.contains("\"cost_per_week\""));
}

/// Every kind of people a scenario pays, each worked out by hand (hours plain, unsocial,
/// weekend, both; the window 20:00-06:00):
///
/// - handler: one always on, 168 h (70, 50, 28, 20): 10 x (70 + 50 x 1.2 + 28 x 1.5 + 20 x
///   1.7) = £2,060; 168 / 42 = 4 FTE.
/// - dispatcher: one always on, 168 h at £12: £2,016; 168 / 40 = 4.2 FTE.
/// - response: the team of 3 on a two-week rota, line 1 Mon-Thu 07:00-17:00 (40 plain), line 2
///   Thu-Sun 22:00-08:00 (Thu 22-Fri 08: 2 unsocial, 6 unsocial, 2 plain; Fri 22-Sat 08: 2
///   unsocial, 6 both, 2 weekend; Sat 22-Sun 08: 2 both, 6 both, 2 weekend; Sun 22-Mon 08: 2
///   both, 6 unsocial, 2 plain: 4, 16, 4, 16). Over the cycle, 3 officers x (44, 16, 4, 16) /
///   2 weeks = (66, 24, 6, 24), 120 h: 20 x (66 + 24 x 1.25 + 6 + 24 x 1.25) = £2,640. The
///   double-crewed car of sector A on Saturday 22:00-08:00: 2 x (0, 0, 2, 8) = 20 h, 20 x (4 +
///   16 x 1.25) = £480. 140 / 40 = 3.5 FTE.
/// - appointments: one officer 09:00-17:00 on weekdays, 40 h at £20: £800; 1 FTE.
/// - pc: Monday and Saturday 15:00-23:00: (5, 3, 5, 3), 16 x (5 + 3 x 1.25 + 5 x 1.5 + 3 x
///   1.75) = 16 x 21.5 = £344; 0.4 FTE. pcso: weekdays 08:00-16:00, 40 h at £12: £480; 1 FTE.
/// - staff: two on weekdays 08:00-16:00, 80 h at £15: £1,200; 2 FTE.
///
/// The force: 652 hours, £10,020 a week.
const FIELD: &str = r#"
[run]
horizon = "2d"
warm_up = "1h"
replications = 2
[demand.emergency]
calls_per_week = 20
handling = { kind = "exponential", mean = "4min" }
[roster.handlers]
constant = 1
[roster.dispatchers]
constant = 1
dispatch_time = { kind = "deterministic", value = "1min" }
[response]
speed_kmh = { urban = { I = 40, S = 30 }, rural = { I = 60, S = 50 } }
on_scene = { I = { kind = "deterministic", value = "30min" }, S = { kind = "deterministic", value = "30min" } }
grading = { emergency = { I = 0.5, S = 0.2, E = 0.1, R = 0.2 } }
[[sectors]]
name = "A"
[[wards]]
name = "W"
type = "urban"
area_km2 = 4
x = 0
y = 0
sector = "A"
[[roster.units.shifts]]
sector = "A"
start = "22:00"
length = "10h"
days = ["sat"]
count = 1
crew = 2
[[roster.appointments]]
sector = "A"
start = "09:00"
length = "8h"
days = ["weekdays"]
slot = "1h"
officers = 1
[[officers.rotas]]
name = "two"
shifts = [{ code = "E", start = "07:00", length = "10h" }, { code = "N", start = "22:00", length = "10h" }]
weeks = ["E E E E - - -", "- - - N N N N"]
[[officers.teams]]
name = "A team"
sector = "A"
rota = "two"
officers = 3
[[neighbourhood.teams]]
[[neighbourhood.teams.members]]
role = "pc"
shifts = [{ start = "15:00", length = "8h", days = ["mon", "sat"] }]
[[neighbourhood.teams.members]]
role = "pcso"
shifts = [{ start = "08:00", length = "8h", days = ["weekdays"] }]
[[workgroups]]
name = "desk"
shifts = [{ start = "08:00", length = "8h", days = ["weekdays"], count = 2 }]
"#;

const FIELD_PAY: &str = r#"
[pay.roles.handler]
base = 10
unsocial = 0.2
weekend = 0.5
contracted_hours = 42
[pay.roles.dispatcher]
base = 12
contracted_hours = 40
[pay.roles.response]
base = 20
unsocial = 0.25
[pay.roles.appointments]
base = 20
[pay.roles.pc]
base = 16
unsocial = 0.25
weekend = 0.5
[pay.roles.pcso]
base = 12
contracted_hours = 40
[pay.roles.staff]
base = 15
contracted_hours = 40
"#;

#[test]
fn every_kind_of_people_is_paid_by_role_and_team() {
    let out = simulate(&parse(&format!("{FIELD}{FIELD_PAY}")));
    for (label, hours, cost, fte) in [
        ("handler/handlers", 168.0, 2060.0, 4.0),
        ("dispatcher/dispatchers", 168.0, 2016.0, 168.0 / 40.0),
        ("response/A team", 120.0, 2640.0, 3.0),
        ("response/A", 20.0, 480.0, 0.5),
        ("appointments/A", 40.0, 800.0, 1.0),
        ("staff/desk", 80.0, 1200.0, 2.0),
        ("response", 140.0, 3120.0, 3.5),
        ("pc", 16.0, 344.0, 0.4),
        ("pcso", 40.0, 480.0, 1.0),
    ] {
        assert_eq!(
            staffing(&out, label, "hours_paid_per_week"),
            hours,
            "{label}"
        );
        assert_eq!(staffing(&out, label, "cost_per_week"), cost, "{label}");
        assert_eq!(staffing(&out, label, "fte"), fte, "{label}");
    }
    assert_eq!(staffing(&out, "all", "hours_paid_per_week"), 652.0);
    assert_eq!(staffing(&out, "all", "cost_per_week"), 10_020.0);
    let fte = staffing(&out, "all", "fte");
    assert!((fte - 16.1).abs() < 1e-12, "{fte}");
    // The neighbourhood team by ward and role, in the neighbourhood table.
    for (label, cost) in [("W|pc", 344.0), ("W|pcso", 480.0), ("W|all", 824.0)] {
        let r = figure(&out.hood, "staffing", label, "cost_per_week");
        assert_eq!(r.estimate.mean, cost, "{label}");
        assert_eq!(r.key.scope, "ward_role");
    }
    assert!(
        !out.overall
            .iter()
            .any(|r| r.key.kpi == "staffing" && r.key.scope_value.starts_with("pc/")),
        "neighbourhood teams are by ward in the neighbourhood table"
    );
}

/// The same scenario through the command line: the rows in neighbourhood.csv, and the
/// scorecard's line in words, and the report's.
#[test]
fn the_scorecard_says_the_staffing_in_words() {
    let cli = run_cli(&format!("{FIELD}{FIELD_PAY}"), &[]);
    cli.success();
    assert!(
        cli.stdout.contains(
            "staffing: 16.1 FTE (652 hours paid a week), £10.0k a week; handler 4.0 FTE (£2.1k), \
             dispatcher 4.2 (£2.0k), response 3.5 (£3.1k), pc 0.4 (£344), pcso 1.0 (£480), staff \
             2.0 (£1.2k), appointments 1.0 (£800)\n"
        ),
        "{}",
        cli.stdout
    );
    // The run's report says the same beside its scorecard.
    common::report(&cli.out);
    let html = cli.output("report.html");
    assert!(
        html.contains(
            "<p><strong>Staffing:</strong> 16.1 full-time equivalents, 652 hours paid a week, \
             £10.0k a week at the scenario's pay rates; by role, handler 4.0 FTE (£2.1k), \
             dispatcher 4.2 FTE (£2.0k)"
        ),
        "{}",
        html.lines()
            .find(|l| l.contains("Staffing"))
            .unwrap_or("no staffing")
    );
    let hood = cli.output("neighbourhood.csv");
    assert!(
        hood.lines()
            .any(|l| l.starts_with("staffing,ward_role,W,pc,,,fte,,,0.4,0.4,0.4,0,2,,")),
        "{hood}"
    );
}

/// Every bad pay setting at once, each with its line and field, exit code 2: a negative rate,
/// one that is not finite, enhancements outside 0 to 5, an overtime rate below 1, contracted
/// hours outside (0, 80], an unknown role, an empty unsocial window; and, with rates for some
/// roles, a role the scenario pays with none.
#[test]
fn bad_pay_is_reported_all_at_once() {
    let bad = r#"
[pay]
unsocial_from = "20:00"
unsocial_to = "20:00"
[pay.roles.handler]
base = -5
unsocial = -0.1
weekend = 7
overtime = 0.5
contracted_hours = 0
[pay.roles.dispatcher]
base = inf
contracted_hours = 90
[pay.roles.pcsos]
base = 12
[pay.roles.response]
base = 20
[pay.roles.appointments]
base = 20
[pay.roles.pc]
base = 16
[pay.roles.staff]
base = 15
"#;
    let text = format!("{FIELD}{bad}");
    let cli = run_cli(&text, &[]);
    cli.code(2);
    let err = &cli.stderr;
    let line = |needle: &str| {
        text.lines()
            .position(|l| l.starts_with(needle))
            .unwrap_or_else(|| panic!("{needle}"))
            + 1
    };
    let wanted = [
        (
            format!(":{}:", line("unsocial_to")),
            "pay.unsocial_to",
            "is empty",
        ),
        (
            format!(":{}:", line("base = -5")),
            "pay.roles.handler.base",
            "from 0 to 1,000,000 (got -5)",
        ),
        (
            format!(":{}:", line("unsocial = -0.1")),
            "pay.roles.handler.unsocial",
            "from 0 to 5",
        ),
        (
            format!(":{}:", line("weekend = 7")),
            "pay.roles.handler.weekend",
            "(got 7)",
        ),
        (
            format!(":{}:", line("overtime = 0.5")),
            "pay.roles.handler.overtime",
            "from 1 to 5",
        ),
        (
            format!(":{}:", line("contracted_hours = 0")),
            "pay.roles.handler.contracted_hours",
            "at most 80 hours a week (got 0)",
        ),
        (
            format!(":{}:", line("base = inf")),
            "pay.roles.dispatcher.base",
            "(got inf)",
        ),
        (
            format!(":{}:", line("contracted_hours = 90")),
            "pay.roles.dispatcher.contracted_hours",
            "(got 90)",
        ),
        (
            format!(":{}:", line("[pay.roles.pcsos]")),
            "pay.roles.pcsos",
            "unknown role \"pcsos\"; allowed: handler, dispatcher, response, sergeant, pc, pcso, staff, appointments",
        ),
        (
            String::new(),
            "pay.roles.pcso.base",
            "no pay rate for role \"pcso\", which the scenario pays for 40.0 hours a week",
        ),
    ];
    for (at, field, message) in &wanted {
        let hit = err
            .lines()
            .find(|l| l.contains(field) && l.contains(message))
            .unwrap_or_else(|| panic!("missing {field}: {message} in:\n{err}"));
        assert!(hit.contains(at.as_str()), "{field} not at {at}: {hit}");
    }
}

/// A `[pay]` that gives contracted weeks and no rates: FTE over those weeks, and no cost.
#[test]
fn contracted_hours_alone_change_fte_and_give_no_cost() {
    let text = format!("{CONTACT}\n[pay.roles.handler]\ncontracted_hours = 34\n");
    let out = simulate(&parse(&text));
    assert_eq!(staffing(&out, "all", "fte"), 4.0);
    assert!(
        !out.overall
            .iter()
            .any(|r| r.key.statistic == "cost_per_week")
    );
}
