//! `pledgesim compare`: scenarios run on the same random numbers, each against the first.

use super::{CompareArgs, overloaded, report, safe_name, say};
use crate::error::{Error, InputError};
use crate::experiment::{self, RunOptions};
use crate::output;
use crate::scenario::Scenario;
use std::path::PathBuf;

pub(super) fn compare(args: CompareArgs) -> Result<(), Error> {
    // Every file is read and checked before anything runs; all their errors are reported.
    let mut scenarios = Vec::new();
    let mut errors = Vec::new();
    for p in &args.scenarios {
        match Scenario::load(p) {
            Ok(sc) if !args.overload.allow_overload => {
                match experiment::warnings::refuse_overload(&sc, &p.display().to_string()) {
                    Err(Error::Input(e)) => errors.extend(e),
                    _ => scenarios.push(sc),
                }
            }
            Ok(sc) => scenarios.push(sc),
            Err(Error::Input(e)) => errors.extend(e),
            Err(e) => return Err(e),
        }
    }
    if args.without_escalation {
        if let Some(sc) = scenarios.first() {
            match experiment::compare::without_escalation(sc) {
                Some(off) => scenarios.insert(0, off),
                None => errors.push(InputError::new(
                    args.scenarios[0].display().to_string(),
                    "--without-escalation",
                    "--without-escalation compares a scenario with its escalation policies and without them, but this one has none switched on ([contact_centre.overtime], [contact_centre.overflow], [response.mutual_aid], [response.deferral], [response.overtime], a workgroup's `overtime`)",
                )),
            }
        }
    } else if args.scenarios.len() < 2 {
        errors.push(InputError::new(
            "command line",
            "scenarios",
            "compare needs two or more scenarios (the first is the baseline), or one with --without-escalation",
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    // The files' names, the baseline's first (with --without-escalation, the first file's with
    // its policies off).
    let mut paths: Vec<String> = args
        .scenarios
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    if args.without_escalation {
        paths.insert(0, format!("{} (escalation off)", paths[0]));
    }
    if let Some(r) = args.replications.replications {
        scenarios[0].run.replications = r;
    }
    if let Some(s) = args.seed.seed {
        scenarios[0].run.seed = s;
    }
    for (k, sc) in scenarios.iter().enumerate().skip(1) {
        if sc.run.seed != scenarios[0].run.seed
            || sc.run.replications != scenarios[0].run.replications
        {
            eprintln!(
                "note: {} runs with the baseline's seed {} and {} replications (common random numbers)",
                paths[k], scenarios[0].run.seed, scenarios[0].run.replications
            );
        }
    }
    let out = args.common.out.clone().unwrap_or_else(|| {
        let names: Vec<String> = scenarios.iter().map(|s| safe_name(&s.name)).collect();
        PathBuf::from("outputs").join(format!("compare-{}", names.join("-")))
    });
    let _lock = output::lock::lock(&out, "--out")?;
    experiment::check_pool(args.common.threads)?;
    output::check_out_dir(&out)?;
    for (k, sc) in scenarios.iter().enumerate() {
        if let Some(j) = scenarios[..k].iter().position(|o| o.name == sc.name) {
            eprintln!(
                "warning: {} and {} are both named \"{}\": the results name them alike; give each its own `name`",
                paths[j], paths[k], sc.name
            );
        }
    }
    for sc in &scenarios {
        for w in experiment::warnings::warnings(sc) {
            eprintln!("warning: {}: {w}", sc.name);
        }
    }
    let opts = RunOptions {
        threads: args.common.threads,
        progress: !args.common.quiet,
    };
    let (outcomes, comparisons) = experiment::compare::compare(&mut scenarios, &opts);
    for (k, o) in outcomes.iter().enumerate() {
        overloaded(&paths[k], o)?;
    }
    output::compare::write(&out, &scenarios, &paths, &comparisons)?;
    // The results first: a report that cannot be printed loses none of them.
    say(&output::compare::render(
        &comparisons,
        scenarios[0].run.replications,
        scenarios[0].run.seed,
    ));
    say(&format!("\nresults in {}\n", out.display()));
    if args.report.report {
        report(&out, None, true)?;
    }
    Ok(())
}
