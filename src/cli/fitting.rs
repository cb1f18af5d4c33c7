//! The commands that fit a scenario to a force's data: `fit` (to a call log) and `calibrate`
//! (to its published figures).

use super::{CalibrateArgs, FitArgs, safe_name, say};
use crate::error::{Error, InputError};
use crate::experiment;
use crate::output;
use std::path::PathBuf;

pub(super) fn fit(args: FitArgs) -> Result<(), Error> {
    let mut errors = Vec::new();
    let mut date = |flag: &str, text: &Option<String>| -> Option<crate::time::Date> {
        let t = text.as_ref()?;
        match t.parse() {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(InputError::new("command line", flag, e.to_string()));
                None
            }
        }
    };
    let from = date("--from", &args.from);
    let to = date("--to", &args.to);
    let horizon = match args.patience_horizon.parse::<crate::time::Duration>() {
        Ok(d) if d.ms() >= 1_000 => Some(d.ms()),
        Ok(_) => {
            errors.push(InputError::new(
                "command line",
                "--patience-horizon",
                "must be at least 1s",
            ));
            None
        }
        Err(e) => {
            errors.push(InputError::new("command line", "--patience-horizon", e));
            None
        }
    };
    let same = |a: &std::path::Path, b: &std::path::Path| {
        std::fs::canonicalize(a)
            .ok()
            .is_some_and(|a| std::fs::canonicalize(b).ok() == Some(a))
    };
    if same(&args.out, &args.base) || same(&args.out, &args.log) {
        errors.push(InputError::new(
            "command line",
            "--out",
            "is the base scenario or the log itself: write the fitted scenario to a file of its own",
        ));
    }
    // The fit's folder beside the fitted scenario: checked before anything is written.
    let folder = output::fit::folder_for(&args.out);
    if let Err(Error::Input(mut e)) = output::check_out_dir(&folder) {
        for x in &mut e {
            x.field = "--out".into();
            x.message = format!(
                "the fit's report goes in {} beside the fitted scenario, and {}",
                folder.display(),
                x.message
            );
        }
        errors.extend(e);
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    let _lock = output::lock::lock(&folder, "--out")?;
    let (mut lines, evidence) = crate::fit::fit(&crate::fit::FitOptions {
        log: args.log,
        base: args.base,
        out: args.out,
        mapping: args.mapping,
        from,
        to,
        patience_horizon: horizon.unwrap_or(600_000),
        bands: match args.bands.as_str() {
            "always" => crate::fit::BandRule::Always,
            "never" => crate::fit::BandRule::Never,
            _ => crate::fit::BandRule::Auto,
        },
    })?;
    // The evidence and its report, drawn from the folder's files alone.
    let mut charts = 0;
    output::write_atomically(&folder, |dir| {
        output::fit::write(dir, &evidence)?;
        charts = crate::report::write(dir, None, false)?.charts;
        Ok(())
    })?;
    lines.push(format!(
        "the fit's report: {} ({charts} charts; `pledgesim report {}` also prints it as a PDF)",
        folder.join("report.html").display(),
        folder.display()
    ));
    if !args.quiet {
        say(&(lines.join("\n") + "\n"));
    }
    Ok(())
}

pub(super) fn calibrate(args: CalibrateArgs) -> Result<(), Error> {
    use crate::experiment::calibrate::{Calibration, calibrate};
    let c = Calibration::load(&args.scenario, &args.observed)?;
    experiment::check_pool(args.threads)?;
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("outputs").join(format!("calibrate-{}", safe_name(&c.scenario_name)))
    });
    let _lock = output::lock::lock(&out, "--out")?;
    output::check_out_dir(&out)?;
    // Every observed figure must be a row of the scenario's summary: checked on the first
    // start point before the folder is touched (the search then takes it from there).
    let first = c.check_figures(args.threads)?;
    let (mut writer, mut known) = output::calibrate::CalibrationWriter::open(&c, &out)?;
    let resumed = known.len();
    known.push(first);
    if !args.quiet && resumed > 0 {
        eprintln!(
            "going on from the {resumed} points evaluated in {}",
            out.display()
        );
    }
    let started = std::time::Instant::now();
    let mut k = 0;
    let quiet = args.quiet;
    let mut sink = |e: &crate::experiment::calibrate::Evaluation, simulated: bool| {
        writer.append(e, simulated, k)?;
        if !quiet && simulated {
            eprintln!(
                "{k:>4} {:<9} {} replications  objective {:>10.3}  {}",
                e.phase,
                e.replications,
                e.objective,
                c.describe(&e.x)
            );
        }
        k += 1;
        Ok(())
    };
    let mut outcome = calibrate(&c, known, args.threads, &mut sink)?;
    // The check of the observed figures simulated the first start point.
    outcome.simulated += 1;
    outcome.replications_run += u64::from(c.method.replications);
    writer.finish(&c, &outcome)?;
    say(&output::calibrate::render(&c, &outcome));
    say(&format!(
        "\n{:.1}s; results in {}\n",
        started.elapsed().as_secs_f64(),
        out.display()
    ));
    Ok(())
}
