//! The command line: clap subcommands mapping flags to library calls.

mod compare;
mod fitting;
mod new;
mod optimise;
mod staff;

pub use new::{NewArgs, TEMPLATE_CONTACT_ONLY, TEMPLATE_FULL};

use crate::error::{Error, InputError};
use crate::experiment::{self, RunOptions};
use crate::output;
use crate::scenario::{self, Scenario};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "pledgesim",
    version,
    about = "Can our staffing keep the Policing Pledge? A discrete-event Monte Carlo simulator."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a scenario (the built-in default when none is given), print the scorecard and write the output folder.
    Run(RunArgs),
    /// Compare scenarios on the same random numbers: paired differences of every KPI against the first.
    Compare(CompareArgs),
    /// Run a parameter sweep: a base scenario and a grid of overrides, every point on the same seeds.
    Sweep(SweepArgs),
    /// Find the fewest call handlers, hour by hour, that keep the answering targets, and a shift roster for them.
    Staff(StaffArgs),
    /// Combine the folders of a sharded sweep into one, as the unsharded sweep would have written it.
    Merge {
        /// The merged folder.
        #[arg(long, short = 'o')]
        out: PathBuf,
        /// Every shard's folder (each written by `sweep --shard K/N`).
        #[arg(required = true, value_name = "SHARD_DIR")]
        shards: Vec<PathBuf>,
    },
    /// Write the report of an output folder (a run, a comparison or a sweep): report.html, report.pdf and charts/.
    Report(ReportArgs),
    /// Check a scenario file without running it.
    Validate {
        /// The scenario file (TOML, or JSON ending in .json).
        scenario: PathBuf,
        #[command(flatten)]
        confine: Confine,
    },
    /// List the pledge presets and their targets.
    Presets,
    /// Write a scenario to start from: the smallest force with every part, each key explained.
    New(NewArgs),
    /// Fit a scenario to a call log: the base scenario's staffing, geography and policies, with the log's demand and durations.
    Fit(FitArgs),
    /// Calibrate a scenario to a force's observed figures: the unknown parameters that reproduce them, with 90% intervals.
    Calibrate(CalibrateArgs),
    /// Find the least-cost establishment (response teams, unit shifts, neighbourhood posts) that keeps chosen targets, by simulation on common random numbers.
    Optimise(optimise::OptimiseArgs),
}

#[derive(clap::Args, Debug)]
pub struct FitArgs {
    /// The call log (CSV, or .csv.gz): a force's own log, or the calls.csv of `run --records`.
    pub log: PathBuf,
    /// The scenario whose staffing, geography and policies are kept.
    #[arg(long)]
    pub base: PathBuf,
    /// The fitted scenario to write (TOML).
    #[arg(long, short = 'o')]
    pub out: PathBuf,
    /// A mapping file (TOML) naming the log's own columns, values and time zone.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Use only calls that arrived on or after this date (YYYY-MM-DD, the log's civil date).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Use only calls that arrived on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// The horizon of the Kaplan-Meier restricted mean of patience that is reported beside the fitted mean.
    #[arg(long, value_name = "DURATION", default_value = "10min")]
    pub patience_horizon: String,
    /// When the fitted scenario takes a grade, category or ward mix by six-hour band of the day: when the log's mix changes through the day (Pearson's test, p < 0.001), always, or never.
    #[arg(long, value_name = "RULE", default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub bands: String,
    /// Do not print what was read and fitted.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug)]
pub struct CalibrateArgs {
    /// The scenario whose parameters are fitted.
    pub scenario: PathBuf,
    /// The observed figures (each naming a summary.json row, with its value and standard error) and the parameters to fit with their bounds (TOML).
    #[arg(long)]
    pub observed: PathBuf,
    /// Worker threads (default: RAYON_NUM_THREADS or every core). Results do not depend on it.
    #[arg(long, short = 'j', value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Output folder (default: outputs/calibrate-<scenario name>). A calibration interrupted there with the same inputs goes on from its last point.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Do not print each point as it is evaluated.
    #[arg(long)]
    pub quiet: bool,
}

// The flags every simulating command takes (run, compare, sweep, staff), each defined once
// here; a command that words one differently says so with `mut_arg`. Their places in --help
// are fixed by `display_order`, so that flattening does not move them. (Plain comments: a
// flattened struct's doc comment would become the command's about.)
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct Common {
    /// Worker threads (default: RAYON_NUM_THREADS or every core). Results do not depend on it.
    #[arg(long, short = 'j', value_parser = parse_threads, display_order = 30)]
    pub threads: Option<usize>,
    /// Output folder (default: outputs/<scenario name>). An earlier pledgesim output there is replaced once the new one is complete.
    #[arg(long, short = 'o', display_order = 40)]
    pub out: Option<PathBuf>,
    /// Do not print the progress bar.
    #[arg(long, display_order = 60)]
    pub quiet: bool,
}

// --replications (run, compare, staff).
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct Replications {
    /// Replications (overrides the scenario's run.replications).
    #[arg(long, short = 'r', value_parser = parse_replications, display_order = 10)]
    pub replications: Option<u32>,
}

// --seed (run, compare).
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    /// Master seed (overrides the scenario's run.seed).
    #[arg(long, short = 's', display_order = 20)]
    pub seed: Option<u64>,
}

// --report (run, compare, sweep).
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Also write the report (report.html, report.pdf, charts/) in the output folder.
    #[arg(long, display_order = 50)]
    pub report: bool,
}

// --allow-overload (run, compare, sweep).
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct Overload {
    /// Run even when callers who never hang up are offered at least the handlers' hours a week (refused by default: the queue grows without limit).
    #[arg(long, display_order = 55)]
    pub allow_overload: bool,
}

// --confine (validate, run, compare, sweep, staff).
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct Confine {
    /// Refuse files named in the scenario or sweep file (CSV files, a sweep's base) that are absolute paths or lie outside its folder.
    #[arg(long, display_order = 56)]
    pub confine: bool,
}

/// Parses --replications: a whole number from 1 to the most a scenario may ask for.
fn parse_replications(text: &str) -> Result<u32, String> {
    let max = scenario::MAX_REPLICATIONS;
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|r| (1..=max).contains(r))
        .map(|r| r as u32)
        .ok_or_else(|| format!("must be a whole number from 1 to {max} (got {text})"))
}

/// Parses --threads: from 1 to [`experiment::MAX_THREADS`].
fn parse_threads(text: &str) -> Result<usize, String> {
    let max = experiment::MAX_THREADS;
    match text.trim().parse::<usize>() {
        Ok(0) => Err(format!("must be at least 1 (got {text})")),
        Ok(n) if n > max => Err(format!("must be at most {max} (got {text})")),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("must be a whole number, at least 1 (got {text})")),
    }
}

/// The flags whose bad values are reported as the project's other input errors are.
const OWN_MESSAGES: [&str; 2] = ["--replications", "--threads"];

/// A bad value of --replications or --threads, as an input error of the command line
/// (clap's own form for everything else).
fn flag_error(e: &clap::Error) -> Option<Error> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::ValueValidation {
        return None;
    }
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let flag = arg.split_whitespace().next()?;
    if !OWN_MESSAGES.contains(&flag) {
        return None;
    }
    let why = std::error::Error::source(e)?.to_string();
    Some(InputError::new("command line", flag, why).into())
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The scenario file (TOML, or JSON ending in .json); the built-in default when left out.
    pub scenario: Option<PathBuf>,
    #[command(flatten)]
    pub replications: Replications,
    #[command(flatten)]
    pub seed: Seed,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub report: Report,
    #[command(flatten)]
    pub overload: Overload,
    #[command(flatten)]
    pub confine: Confine,
    /// Also write one row per call to calls.csv in the output folder (`--records gz`: calls.csv.gz). Give the scenario first, or write `--records=csv`.
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "csv", value_parser = ["csv", "gz"], display_order = 52)]
    pub records: Option<String>,
}

#[derive(clap::Args, Debug)]
#[command(
    mut_arg("replications", |a| a.help("Replications (default: the first scenario's run.replications; every scenario runs as many)")),
    mut_arg("seed", |a| a.help("Master seed (default: the first scenario's run.seed; every scenario runs from it)")),
    mut_arg("out", |a| a.help("Output folder (default: outputs/compare-<first>-<second>...)")),
)]
pub struct CompareArgs {
    /// Two or more scenario files; the first is the baseline (one is enough with --without-escalation).
    #[arg(num_args = 1.., required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Put first, as the baseline, the first scenario with every escalation policy switched off (overtime of handlers, of units and of workgroup staff, overflow, mutual aid, deferral).
    #[arg(long, display_order = 60)]
    pub without_escalation: bool,
    #[command(flatten)]
    pub replications: Replications,
    #[command(flatten)]
    pub seed: Seed,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub report: Report,
    #[command(flatten)]
    pub overload: Overload,
    #[command(flatten)]
    pub confine: Confine,
}

#[derive(clap::Args, Debug)]
#[command(
    mut_arg("replications", |a| a.help("Replications per simulation (default: the scenario's)")),
    mut_arg("out", |a| a.help("Output folder (default: outputs/staff-<scenario name>)")),
    mut_arg("quiet", |a| a.help("Do not print progress")),
)]
pub struct StaffArgs {
    /// The scenario file; the built-in default when left out.
    pub scenario: Option<PathBuf>,
    /// A target to keep and its required share, e.g. T1=0.9 (T1: 999 calls, T2: non-emergency).
    /// Repeat for both. Default: T1 and T2 at the scenario's required shares.
    #[arg(long = "target", value_name = "ID=SHARE")]
    pub targets: Vec<String>,
    /// Staff the dispatchers instead of the handlers: the share of I and S incidents a
    /// dispatcher must take within a time of their creation, e.g. 2min=0.9 (the roster
    /// written is [roster.dispatchers]'s).
    #[arg(long, value_name = "DURATION=SHARE")]
    pub dispatchers: Option<String>,
    /// The share of replications that must keep every target.
    #[arg(long, default_value_t = 0.8)]
    pub confidence: f64,
    /// Design the roster's shifts on a grid of start times, e.g. 30min (a whole number of
    /// quarter hours that divides a day). Without it the roster uses the scenario's own shift
    /// patterns.
    #[arg(long, value_name = "DURATION")]
    pub shift_grid: Option<String>,
    /// A window designed shifts may start in, e.g. 06:00-22:00 (repeat for more; across
    /// midnight when the end is before the start). Default: any time of day.
    #[arg(long = "shift-starts", value_name = "HH:MM-HH:MM")]
    pub shift_starts: Vec<String>,
    /// The lengths designed shifts may have, e.g. 8h,10h (default 8h).
    #[arg(long, value_name = "DURATIONS", value_delimiter = ',')]
    pub shift_lengths: Vec<String>,
    /// The break every designed shift has: its length, and the earliest and latest start
    /// after the shift's start, e.g. 30min@3h-5h. Default: no break.
    #[arg(long, value_name = "LENGTH@FROM-TO")]
    pub shift_break: Option<String>,
    /// Also draw the cost curve of a target: the search once for each required share from
    /// FROM to TO by STEP, e.g. T1=0.80:0.95:0.05, each point's cost and what the last points
    /// cost (frontier.csv).
    #[arg(long, value_name = "ID=FROM:TO:STEP")]
    pub frontier: Option<String>,
    #[command(flatten)]
    pub replications: Replications,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub confine: Confine,
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// The output folder of `run`, `compare` or `sweep`.
    pub dir: PathBuf,
    /// A page template of your own (HTML with {{title}}, {{style}} and {{body}}).
    #[arg(long)]
    pub template: Option<PathBuf>,
    /// Write report.html and the charts only, not report.pdf (which needs Chromium or Chrome).
    #[arg(long)]
    pub no_pdf: bool,
}

#[derive(clap::Args, Debug)]
#[command(mut_arg("out", |a| a
    .help("Output folder (default: outputs/sweep-<name>). Points are appended as they finish")
    .display_order(24)))]
pub struct SweepArgs {
    /// The sweep file (TOML): `base`, and a `[grid]` or `[[points]]` of overrides by field path.
    pub sweep: PathBuf,
    /// Go on with an interrupted sweep in the output folder, from the first point not finished.
    #[arg(long, display_order = 25)]
    pub resume: bool,
    /// Run one part of the sweep, K/N (0 <= K < N): the points p with p mod N = K. Merge the
    /// N folders with `pledgesim merge`.
    #[arg(long, value_name = "K/N", display_order = 26)]
    pub shard: Option<String>,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub report: Report,
    #[command(flatten)]
    pub overload: Overload,
    #[command(flatten)]
    pub confine: Confine,
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if let Some(own) = flag_error(&e) {
                eprintln!("{own}");
                return own.exit_code();
            }
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match dispatch(cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("{e}");
            e.exit_code()
        }
    }
}

fn dispatch(cli: Cli) -> Result<(), Error> {
    // Files named in scenario and sweep files confined to their folders for the whole command.
    let confine = match &cli.command {
        Command::Run(a) => a.confine.confine,
        Command::Compare(a) => a.confine.confine,
        Command::Sweep(a) => a.confine.confine,
        Command::Staff(a) => a.confine.confine,
        Command::Optimise(a) => a.confine.confine,
        Command::Validate { confine, .. } => confine.confine,
        _ => false,
    };
    let _confined = confine.then(scenario::input::confine);
    match cli.command {
        Command::Run(args) => run(args),
        Command::Compare(args) => compare::compare(args),
        Command::Sweep(args) => sweep(args),
        Command::Report(args) => {
            let _lock = output::lock::lock(&args.dir, "DIR")?;
            report(&args.dir, args.template.as_deref(), !args.no_pdf)
        }
        Command::Staff(args) => staff::staff(args),
        Command::Optimise(args) => optimise::optimise(args),
        Command::Merge { out, shards } => {
            // A shard's file that cannot be read is the user's input (exit code 2), not the
            // machine's: only `out` is written.
            let _lock = output::lock::lock(&out, "--out")?;
            let n = output::sweep::merge(&out, &shards).map_err(|e| match e {
                Error::Io { path, source } if shards.iter().any(|s| path.starts_with(s)) => {
                    InputError::new(
                        path.display().to_string(),
                        "",
                        format!(
                            "cannot read it ({source}): give the folders written by `pledgesim sweep --shard K/N`, each complete"
                        ),
                    )
                    .into()
                }
                e => e,
            })?;
            say(&format!(
                "merged {} shard(s), {n} points; results in {}\n",
                shards.len(),
                out.join("sweep.csv").display()
            ));
            Ok(())
        }
        Command::Validate { scenario, .. } => {
            let sc = Scenario::load(&scenario)?;
            for w in experiment::warnings::warnings(&sc) {
                eprintln!("warning: {w}");
            }
            if experiment::warnings::handler_overload(&sc).is_some() {
                eprintln!(
                    "note: run, compare and sweep refuse this scenario unless given --allow-overload"
                );
            }
            say(&format!(
                "{}: valid ({} channel(s), {} shift pattern(s), {} replications, horizon {})\n",
                scenario.display(),
                sc.channels.len(),
                sc.handlers.shifts.len(),
                sc.run.replications,
                sc.run.horizon
            ));
            Ok(())
        }
        Command::Presets => {
            say(&presets_text());
            Ok(())
        }
        Command::New(args) => new::new(&args),
        Command::Fit(args) => fitting::fit(args),
        Command::Calibrate(args) => fitting::calibrate(args),
    }
}

/// The presets and their targets, as a table.
pub fn presets_text() -> String {
    let mut s = String::new();
    for name in scenario::presets::PRESETS {
        s.push_str(&format!("{name}\n"));
        for t in scenario::presets::preset(name).expect("known preset") {
            if !t.applies {
                continue;
            }
            let time = match (t.time, t.rural_time, t.threshold) {
                (Some(u), Some(r), _) => format!("{u} urban, {r} rural"),
                (Some(u), None, _) => u.to_string(),
                (None, _, Some(th)) => format!("at least {:.0}%", th * 100.0),
                _ => String::new(),
            };
            s.push_str(&format!(
                "  {:<4} {:<92} {:<18} for {:.0}%",
                t.id,
                t.commitment,
                time,
                t.share * 100.0
            ));
            if let Some(n) = t.note {
                s.push_str(&format!("  [{n}]"));
            }
            s.push('\n');
        }
    }
    s
}

/// Writes the report of `dir` and says where.
fn report(
    dir: &std::path::Path,
    template: Option<&std::path::Path>,
    pdf: bool,
) -> Result<(), Error> {
    let w = crate::report::write(dir, template, pdf)?;
    for warning in &w.warnings {
        eprintln!("warning: {warning}");
    }
    say(&format!(
        "report: {} ({} charts, also as SVG and PNG in {}){}\n",
        w.html.display(),
        w.charts,
        dir.join("charts").display(),
        w.pdf
            .map_or(String::new(), |p| format!(" and {}", p.display()))
    ));
    Ok(())
}

fn sweep(args: SweepArgs) -> Result<(), Error> {
    let shard = match &args.shard {
        None => None,
        Some(text) => Some(
            experiment::sweep::Shard::parse(text)
                .map_err(|e| Error::from(InputError::new("command line", "--shard", e)))?,
        ),
    };
    let sweep = experiment::sweep::Sweep::load_showing(&args.sweep, !args.common.quiet)?;
    if !args.overload.allow_overload {
        sweep.refuse_overload()?;
    }
    // Warnings about the first point (the others differ only in the swept values).
    for w in experiment::warnings::warnings(&sweep.scenario(0)?) {
        eprintln!("warning: point 0: {w}");
    }
    let out = args.common.out.clone().unwrap_or_else(|| {
        PathBuf::from("outputs").join(format!("sweep-{}", safe_name(&sweep.name)))
    });
    let _lock = output::lock::lock(&out, "--out")?;
    experiment::check_pool(args.common.threads)?;
    // The runner hands each finished point to the folder's writer, in order.
    let mut writer = output::sweep::SweepWriter::open(&sweep, &out, shard, args.resume)?;
    let report = experiment::sweep::run(
        &sweep,
        shard.unwrap_or(experiment::sweep::Shard::WHOLE),
        writer.done(),
        &RunOptions {
            threads: args.common.threads,
            progress: !args.common.quiet,
        },
        |point| writer.append(point),
    )?;
    writer.finish()?;
    if report.resumed_from > 0 {
        say(&format!(
            "resumed at point {} of {}\n",
            report.resumed_from, report.points
        ));
    }
    say(&format!(
        "{} points ({} run now, {} replications, {} events) in {:.2}s on {} thread(s); results in {}\n",
        report.points,
        report.points - report.resumed_from,
        report.replications_run,
        report.events,
        report.wall_seconds,
        report.threads,
        out.join("sweep.csv").display()
    ));
    // The results first: a report that cannot be printed loses none of them.
    if args.report.report {
        self::report(&out, None, true)?;
    }
    Ok(())
}

fn run(args: RunArgs) -> Result<(), Error> {
    let (mut sc, source) = match &args.scenario {
        Some(p) => (Scenario::load(p)?, p.display().to_string()),
        None => (
            Scenario::builtin_default(),
            scenario::DEFAULT_LABEL.to_string(),
        ),
    };
    if let Some(r) = args.replications.replications {
        sc.run.replications = r;
    }
    if let Some(s) = args.seed.seed {
        sc.run.seed = s;
    }
    if !args.overload.allow_overload {
        experiment::warnings::refuse_overload(&sc, &source)?;
    }
    let out = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs").join(safe_name(&sc.name)));
    let _lock = output::lock::lock(&out, "--out")?;
    experiment::check_pool(args.common.threads)?;
    output::check_out_dir(&out)?;
    let mut warnings = experiment::warnings::warnings(&sc);
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let opts = RunOptions {
        threads: args.common.threads,
        progress: !args.common.quiet,
    };
    let format = args.records.as_deref().map(|f| match f {
        "gz" => output::records::RecordsFormat::Gz,
        _ => output::records::RecordsFormat::Csv,
    });
    // The replications' rows go to files of their own beside the output folder while the
    // run goes on (removed however it ends), and are joined when the folder is written.
    let parts = match format {
        Some(_) => Some(records_folder(&out)?),
        None => None,
    };
    let outcome = match &parts {
        None => experiment::run(&sc, &opts),
        Some(dir) => {
            let (outcome, error) = experiment::run_recorded(&sc, &opts, dir.path());
            if let Some(e) = error {
                return Err(Error::Program {
                    program: "pledgesim".into(),
                    message: format!("cannot write the per-call records: {e}"),
                });
            }
            outcome
        }
    };
    for w in experiment::warnings::after_run(&outcome) {
        eprintln!("warning: {w}");
        warnings.push(w);
    }
    let ctx = output::RunContext {
        scenario: &sc,
        source: &source,
        warnings: &warnings,
    };
    overloaded(&source, &outcome)?;
    let records = parts
        .as_ref()
        .zip(format)
        .map(|(dir, format)| output::records::Records {
            parts: dir.path(),
            replications: sc.run.replications,
            format,
        });
    output::run::write_run_with_records(&out, &ctx, &outcome, records.as_ref())?;
    say(&output::scorecard::render(&sc, &outcome));
    if let Some(r) = &sc.replay {
        say(&output::run::replay_text(&output::run::replay_summary(
            r,
            &outcome.overall,
        )));
    }
    say(&format!(
        "\n{} events, {} calls in {:.2}s on {} thread(s); results in {}\n",
        outcome.events,
        outcome.calls,
        outcome.wall_seconds,
        outcome.threads,
        out.display()
    ));
    if args.report.report {
        report(&out, None, true)?;
    }
    Ok(())
}

/// A temporary folder beside the output folder `out` for the replications' per-call rows.
fn records_folder(out: &std::path::Path) -> Result<tempfile::TempDir, Error> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    tempfile::Builder::new()
        .prefix(&format!(".{name}.records-"))
        .tempdir_in(parent)
        .map_err(|e| Error::io(parent, e))
}

/// A run the memory guard stopped is refused (exit code 2), naming the overloaded resource;
/// nothing is written.
fn overloaded(source: &str, outcome: &experiment::RunOutcome) -> Result<(), Error> {
    match &outcome.overload {
        Some(why) => Err(InputError::new(source, "", why.clone()).into()),
        None => Ok(()),
    }
}

/// Prints to stdout; a closed pipe (`| head`) is not an error worth a panic.
/// A required share as given on the command line: a number above 0 and below 1.
fn share(text: &str) -> Option<f64> {
    text.trim()
        .parse()
        .ok()
        .filter(|s: &f64| *s > 0.0 && *s < 1.0)
}

fn say(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn safe_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() { "run".into() } else { s }
}

#[cfg(test)]
mod tests;
