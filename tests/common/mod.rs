//! Helpers shared by the integration tests: exact results to compare with (queueing formulas,
//! geometry), ways to build, run and trace test scenarios (in the library and through the
//! binary), the one way to find a figure among the results, and the standard-error check.
#![allow(dead_code)]

pub mod geometry;
pub mod queueing;

use pledgesim::experiment::{self, RunOptions, RunOutcome};
use pledgesim::model::{ContactCentre, Trace};
use pledgesim::rng;
use pledgesim::scenario::{Format, Scenario, Source};
use pledgesim::stats::summary::Estimate;
use std::path::{Path, PathBuf};

/// A scenario from TOML text; panics with the errors if it is invalid.
pub fn parse(text: &str) -> Scenario {
    Scenario::parse(
        text,
        &Source {
            label: "test".into(),
            dir: None,
            format: Format::Toml,
        },
    )
    .unwrap_or_else(|e| panic!("invalid test scenario: {e}"))
}

/// Runs replication `replication` of `sc` with tracing: every call's life and every step of
/// the field side.
pub fn trace(sc: &Scenario, replication: u32) -> Trace {
    let seed = rng::replication_seed(sc.run.seed, replication);
    ContactCentre::new(sc, replication, seed)
        .with_trace()
        .run()
        .1
        .expect("traced")
}

/// The pledgesim binary, ready for arguments.
pub fn pledgesim() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("pledgesim").unwrap()
}

/// A shipped scenario (or sweep) by its path under scenarios/.
pub fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// A file's bytes; panics naming the file.
pub fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A file's text; panics naming the file.
pub fn read_text(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Writes `text` as `dir/name` and returns its path.
pub fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    file
}

/// What one `pledgesim run` did: the fresh folder it ran in (removed when this is dropped),
/// the scenario file written there, the output folder it was given, its exit code and output.
pub struct Cli {
    pub dir: tempfile::TempDir,
    pub file: PathBuf,
    pub out: PathBuf,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Cli {
    /// Asserts the run succeeded (showing stderr if not); returns self for more checks.
    pub fn success(&self) -> &Self {
        self.code(0)
    }

    /// Asserts the exit code (showing stderr if it differs); returns self for more checks.
    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "exit code; stderr: {}", self.stderr);
        self
    }

    /// The text of one file of the output folder.
    pub fn output(&self, name: &str) -> String {
        read_text(&self.out.join(name))
    }
}

/// `pledgesim run FILE --out OUT`, ready for more arguments.
pub fn run_command(file: &Path, out: &Path) -> assert_cmd::Command {
    let mut c = pledgesim();
    c.arg("run").arg(file).arg("--out").arg(out);
    c
}

/// A sweep over scenarios/small.toml: `base = ...` and then `body`, written as `dir/name`.
pub fn small_sweep(dir: &Path, name: &str, body: &str) -> PathBuf {
    let base = shipped("small.toml").display().to_string();
    write(dir, name, format!("base = {base:?}\n{body}"))
}

/// `pledgesim sweep --quiet FILE --out OUT`, ready for more arguments.
pub fn sweep_command(file: &Path, out: &Path) -> assert_cmd::Command {
    let mut c = pledgesim();
    c.args(["sweep", "--quiet"]).arg(file).arg("--out").arg(out);
    c
}

/// Runs `pledgesim sweep --quiet FILE --out OUT EXTRA`.
pub fn sweep(file: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    sweep_command(file, out).args(extra).assert()
}

/// Runs `pledgesim report OUT --no-pdf`, which must succeed.
pub fn report(out: &Path) {
    pledgesim()
        .arg("report")
        .arg(out)
        .arg("--no-pdf")
        .assert()
        .success();
}

/// Writes `text` as s.toml in a fresh folder and runs `pledgesim run s.toml --out out ARGS`.
pub fn run_cli(text: &str, args: &[&str]) -> Cli {
    run_cli_as("s.toml", text, args)
}

/// As `run_cli`, with the scenario file named `name` (its ending says TOML or JSON).
pub fn run_cli_as(name: &str, text: &str, args: &[&str]) -> Cli {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), name, text);
    let out = dir.path().join("out");
    let o = run_command(&file, &out).args(args).output().unwrap();
    Cli {
        dir,
        file,
        out,
        code: o.status.code(),
        stdout: String::from_utf8(o.stdout).unwrap(),
        stderr: String::from_utf8(o.stderr).unwrap(),
    }
}

/// What a finished command wrote to stdout, as text.
pub fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

/// What a finished command wrote to stderr, as text.
pub fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).unwrap()
}

/// Runs a scenario in the library, with the default options.
pub fn simulate(sc: &Scenario) -> RunOutcome {
    experiment::run(sc, &RunOptions::default())
}

/// A summarised row that names its figure: a run's rows and a comparison's rows.
pub trait Figure {
    fn kpi(&self) -> &str;
    fn scope_value(&self) -> &str;
    fn clock(&self) -> &str;
    fn statistic(&self) -> &str;

    /// Whether this row is `kpi`/`scope`/`statistic` (see `figure` for `scope`).
    fn is(&self, kpi: &str, scope: &str, statistic: &str) -> bool {
        let (value, clock) = match scope.split_once('@') {
            Some((v, c)) => (v, Some(c)),
            None => (scope, None),
        };
        self.kpi() == kpi
            && self.statistic() == statistic
            && (value == "*" || self.scope_value() == value)
            && clock.is_none_or(|c| self.clock() == c)
    }
}

/// Both row types name their figure with a `key`.
macro_rules! figure_by_key {
    ($($row:ty),*) => {$(
        impl Figure for $row {
            fn kpi(&self) -> &str {
                self.key.kpi
            }
            fn scope_value(&self) -> &str {
                &self.key.scope_value
            }
            fn clock(&self) -> &str {
                self.key.clock
            }
            fn statistic(&self) -> &str {
                self.key.statistic
            }
        }
    )*};
}

figure_by_key!(experiment::Row, experiment::compare::DiffRow);

/// Where a figure is among `rows` (and so among each replication's values, for
/// `out.overall`). `scope` is the row's scope value (`all`, `999`, `I`, `W1|pc`, ...), `*` for
/// any, and may name the clock after an `@`: `I@incident`. The first match counts; panics if
/// there is none.
pub fn position<R: Figure>(rows: &[R], kpi: &str, scope: &str, statistic: &str) -> usize {
    rows.iter()
        .position(|r| r.is(kpi, scope, statistic))
        .unwrap_or_else(|| panic!("no figure {kpi} {scope} {statistic}"))
}

/// One figure among `rows` (`out.overall`, `out.hood`, a comparison's rows ...): the one way
/// the tests find a figure. `scope` as for `position`.
pub fn figure<'a, R: Figure>(rows: &'a [R], kpi: &str, scope: &str, statistic: &str) -> &'a R {
    &rows[position(rows, kpi, scope, statistic)]
}

/// One overall figure's estimate over the replications.
pub fn overall<'a>(out: &'a RunOutcome, kpi: &str, scope: &str, statistic: &str) -> &'a Estimate {
    &figure(&out.overall, kpi, scope, statistic).estimate
}

/// One overall figure's value in each replication, in order.
pub fn column(out: &RunOutcome, kpi: &str, scope: &str, statistic: &str) -> Vec<f64> {
    let i = position(&out.overall, kpi, scope, statistic);
    out.reps.iter().map(|r| r.values[i]).collect()
}

/// How many standard errors a simulated figure may lie from its exact value. Four: a correct
/// simulation fails one comparison in about 16 000 (normal tails), and the seeds are fixed, so a
/// test that passes once passes always; a deliberately wrong reference must lie further away
/// than this (`expect_rejects`).
pub const K: f64 = 4.0;

/// A number for the diagnostics: fixed point, or scientific when small.
pub fn num(x: f64) -> String {
    if x != 0.0 && x.abs() < 1e-3 {
        format!("{x:.4e}")
    } else {
        format!("{x:.6}")
    }
}

/// Asserts |value - exact| <= K x se, with a message showing all three (and prints them, for
/// `--nocapture`). `se` must be finite and positive: a zero SE would demand exact equality.
pub fn expect_agrees(what: &str, value: f64, exact: f64, se: f64) {
    let z = (value - exact) / se;
    eprintln!(
        "{what}: simulated {} (SE {}), exact {}, diff {z:+.2} SE",
        num(value),
        num(se),
        num(exact)
    );
    assert!(se > 0.0 && se.is_finite(), "{what}: bad SE {se}");
    assert!(
        z.abs() <= K,
        "{what}: simulated {value} (SE {se}) differs from exact {exact} by {z:.2} SE (at most {K})"
    );
}

/// Asserts |value - exact| <= K x se + allowance, for a reference known to be off by up to
/// `allowance` (a bias the exact result leaves out); the caller says why and by how much.
pub fn expect_agrees_within(what: &str, value: f64, exact: f64, se: f64, allowance: f64) {
    eprintln!(
        "{what}: simulated {} (SE {}), exact {} (bias allowance {}), diff {:+.2} SE",
        num(value),
        num(se),
        num(exact),
        num(allowance),
        (value - exact) / se
    );
    assert!(se > 0.0 && se.is_finite(), "{what}: bad SE {se}");
    assert!(
        (value - exact).abs() <= K * se + allowance,
        "{what}: simulated {value} (SE {se}) differs from exact {exact} by more than {K} SE \
         + {allowance}"
    );
}

/// Asserts |value - wrong| > K x se: the comparison `expect_agrees` makes can fail, because it
/// tells this wrong reference from the truth.
pub fn expect_rejects(what: &str, value: f64, wrong: f64, se: f64) {
    let z = (value - wrong) / se;
    eprintln!(
        "  discriminates: {what}: wrong reference {} is {:+.1} SE away",
        num(wrong),
        -z
    );
    assert!(
        z.abs() > K,
        "{what}: the simulation cannot tell the wrong reference {wrong} from the truth \
         (simulated {value} SE {se}, {z:.2} SE)"
    );
}

/// Pearson's chi-squared of `counts` against expected `shares` (cells expected empty must be
/// empty) is below its 0.999 quantile, from at least `min_rows` rows.
pub fn chi_squared_passes(what: &str, counts: &[u64], shares: &[f64], min_rows: u64) {
    use statrs::distribution::{ChiSquared, ContinuousCDF};
    let n: u64 = counts.iter().sum();
    let total: f64 = shares.iter().sum();
    let (mut x2, mut cells) = (0.0, 0);
    for (o, s) in counts.iter().zip(shares) {
        let e = n as f64 * s / total;
        if e == 0.0 {
            assert_eq!(*o, 0, "{what}: a count where none is expected");
            continue;
        }
        x2 += (*o as f64 - e).powi(2) / e;
        cells += 1;
    }
    let critical = ChiSquared::new(f64::from(cells - 1))
        .unwrap()
        .inverse_cdf(0.999);
    assert!(n > min_rows, "{what}: only {n} rows");
    assert!(
        x2 < critical,
        "{what}: chi-squared {x2} over {critical} ({cells} cells, {n} rows)"
    );
}

/// The mean T1 share of `sc` (a roster pasted back from a staffing folder) over its
/// replications, and the share staff.json in `out` reported for that roster.
pub fn pasted_and_reported_t1(sc: &Scenario, out: &std::path::Path) -> (f64, f64) {
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("staff.json")).unwrap()).unwrap();
    let reported = summary["achieved_roster"][0]["mean"].as_f64().unwrap();
    let shares: Vec<f64> = (0..sc.run.replications)
        .map(|r| {
            pledgesim::experiment::run_replication(sc, r).channels
                [pledgesim::scenario::ChannelKind::Emergency.index()]
            .total
            .headline()
        })
        .collect();
    (shares.iter().sum::<f64>() / shares.len() as f64, reported)
}

/// The shipped default scenario's text, shortened to two weeks and 4 replications, with
/// `extra` (scenario text) after it.
pub fn default_shortened(extra: &str) -> String {
    let base = std::fs::read_to_string(shipped("default.toml")).unwrap();
    let base = base
        .replace("horizon = \"8w\"", "horizon = \"2w\"")
        .replace("replications = 20", "replications = 4");
    format!("{base}\n{extra}")
}

/// Every overall figure of a run but kpi `kpi`'s, by key, with its bits in each replication:
/// two runs that differ only by a policy of that kpi, switched off or never used, give equal
/// lists.
pub fn bits_but(out: &RunOutcome, kpi: &str) -> Vec<(String, Vec<u64>)> {
    out.overall
        .iter()
        .zip(0..)
        .filter(|(r, _)| r.key.kpi != kpi)
        .map(|(r, i)| {
            let v: Vec<u64> = out.reps.iter().map(|x| x.values[i].to_bits()).collect();
            (format!("{:?}", r.key), v)
        })
        .collect()
}

/// A week's run, all measured, of two sectors: A with ward W1 at (0, 0) and B with ward W3 at
/// (20, 0), both tiny (a place in one is its centre); two handlers, emergency calls `calls`
/// answered at once (no handling) and created at once, graded I unless a call says otherwise;
/// no turnout, 30 km/h. `response` is more of the `[response]` section (its keys, then any of
/// its subsections); `rest` comes last (units, appointments, pay).
pub fn two_sectors(calls: &str, response: &str, rest: &str) -> String {
    format!(
        r#"
pledge = "met-2009"
[run]
start = "2009-01-05"
horizon = "1w"
warm_up = "0s"
replications = 2
[demand.emergency]
calls = [{calls}]
handling = {{ kind = "deterministic", value = "0s" }}
[roster.handlers]
constant = 2
[response]
turnout = "0s"
emergency_created_after = "0s"
speed_kmh = {{ urban = {{ I = 30, S = 30 }}, rural = {{ I = 30, S = 30 }} }}
grading = {{ emergency = {{ I = 1.0 }} }}
{response}
[[sectors]]
name = "A"
[[sectors]]
name = "B"
[[wards]]
name = "W1"
type = "urban"
area_km2 = 1e-12
x = 0
y = 0
sector = "A"
[[wards]]
name = "W3"
type = "urban"
area_km2 = 1e-12
x = 20
y = 0
sector = "B"
{rest}
"#
    )
}

/// Each call's first unit arrival (ms) in replication 0 of scenario text `t`, by call: the
/// same calls compared call by call across two options.
pub fn first_arrivals(t: &str) -> std::collections::BTreeMap<u64, u64> {
    let mut at = std::collections::BTreeMap::new();
    for s in trace(&parse(t), 0).steps {
        if let pledgesim::model::field::Step::Arrived { at: a, call, .. } = s {
            at.entry(call).or_insert(a);
        }
    }
    at
}

/// How many standard errors (of the mean over replications) the least favourable hour's share
/// lies from `share`, on `side` (+1: above it, -1: below it): `shares[h]` holds hour h's share
/// in each replication.
pub fn hours_ses_from(shares: impl Fn(usize) -> Vec<f64>, share: f64, side: f64) -> f64 {
    (0..168)
        .map(|h| {
            let xs = shares(h);
            let n = xs.len() as f64;
            let mean = xs.iter().sum::<f64>() / n;
            let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            side * (mean - share) / (sd / n.sqrt())
        })
        .fold(f64::INFINITY, f64::min)
}
