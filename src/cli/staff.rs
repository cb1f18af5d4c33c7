//! `pledgesim staff`: the fewest call handlers (or, with `--dispatchers`, dispatchers) hour
//! by hour, and the least-cost shift roster for them.

use super::{StaffArgs, safe_name, say};
use crate::error::{Error, InputError};
use crate::experiment::{self, RunOptions};
use crate::output;
use crate::scenario::Scenario;
use std::path::PathBuf;

pub(super) fn staff(args: StaffArgs) -> Result<(), Error> {
    use crate::scenario::ChannelKind;
    let mut sc = match &args.scenario {
        Some(p) => Scenario::load(p)?,
        None => Scenario::builtin_default(),
    };
    if let Some(r) = args.replications.replications {
        sc.run.replications = r;
    }
    // Every problem of the request at once: the options, then what the scenario makes of them.
    let mut errors = Vec::new();
    let mut bad = |why: String| errors.push(InputError::new("command line", "--target", why));
    let mut targets = Vec::new();
    for t in &args.targets {
        let Some((id, share)) = t.split_once('=') else {
            bad(format!("\"{t}\": write ID=SHARE, e.g. T1=0.9"));
            continue;
        };
        let ch = match id.trim() {
            "T1" => ChannelKind::Emergency,
            "T2" => ChannelKind::NonEmergency,
            other => {
                bad(format!(
                    "\"{other}\": the staffing search keeps the answering targets T1 (999) and T2 (non-emergency); response units are not searched for"
                ));
                continue;
            }
        };
        let Some(share) = super::share(share) else {
            bad(format!(
                "\"{t}\": the share must be a number above 0 and below 1"
            ));
            continue;
        };
        if targets
            .iter()
            .any(|(c, _)| *c == experiment::staff::Aim::Answer(ch))
        {
            bad(format!("{id} is given twice"));
            continue;
        }
        targets.push((experiment::staff::Aim::Answer(ch), share));
    }
    if let Some(text) = &args.dispatchers {
        let mut bad =
            |why: String| errors.push(InputError::new("command line", "--dispatchers", why));
        let parsed = text.split_once('=').map(|(d, share)| {
            (
                d.trim().parse::<crate::time::Duration>(),
                super::share(share),
            )
        });
        match parsed {
            None => bad(format!("\"{text}\": write DURATION=SHARE, e.g. 2min=0.9")),
            Some((Err(why), _)) => bad(format!("\"{text}\": the time: {why}")),
            Some((Ok(d), _)) if d.0 == 0 => bad(format!(
                "\"{text}\": the time must be above 0 (a dispatcher's own time per incident is never 0)"
            )),
            Some((_, None)) => bad(format!(
                "\"{text}\": the share must be a number above 0 and below 1"
            )),
            Some((Ok(d), Some(share))) => {
                targets.push((experiment::staff::Aim::Dispatch(d), share));
            }
        }
        if !args.targets.is_empty() {
            bad("staff the handlers (--target) and the dispatchers (--dispatchers) in two searches: they are different rosters".into());
        }
        if args.frontier.is_some() {
            bad("the cost curve (--frontier) is drawn for the handlers' answering targets only; draw the dispatchers' by running --dispatchers at each share".into());
        }
        if args.shift_break.is_some() {
            bad("dispatchers' breaks are not modelled (their shifts are given net of breaks): leave out --shift-break".into());
        }
    }
    if targets.is_empty() && args.targets.is_empty() && args.dispatchers.is_none() {
        for ch in ChannelKind::ALL {
            if sc.channel(ch).is_some() {
                targets.push((
                    experiment::staff::Aim::Answer(ch),
                    sc.target(ch.target_id()).share.min(0.999),
                ));
            }
        }
    }
    if !(args.confidence > 0.0 && args.confidence <= 1.0) {
        errors.push(InputError::new(
            "command line",
            "--confidence",
            format!("must be above 0 and at most 1 (got {})", args.confidence),
        ));
    }
    let rules = experiment::staff::design::RulesText {
        grid: args.shift_grid.clone(),
        starts: args.shift_starts.clone(),
        lengths: args.shift_lengths.clone(),
        brk: args.shift_break.clone(),
    }
    .parse()
    .unwrap_or_else(|e| {
        errors.extend(e);
        None
    });
    // With the shift-design options refused, the scenario's own patterns are not what was asked
    // for: their cover is not checked.
    let rules_refused = args.shift_grid.is_some() && rules.is_none();
    let frontier = match args
        .frontier
        .as_deref()
        .map(experiment::staff::parse_frontier)
    {
        Some(Ok(f)) => Some(f),
        Some(Err(why)) => {
            errors.push(InputError::new("command line", "--frontier", why));
            None
        }
        None => None,
    };
    let req = experiment::staff::Request {
        targets,
        confidence: args.confidence,
        rules,
    };
    let file = args.scenario.as_ref().map_or_else(
        || "built-in scenario".to_string(),
        |p| p.display().to_string(),
    );
    errors.extend(
        experiment::staff::check(&sc, &req, &file)
            .into_iter()
            .filter(|e| !(rules_refused && e.field.ends_with(".shifts"))),
    );
    if let Some((ch, _)) = &frontier
        && sc.channel(*ch).is_none()
    {
        errors.push(InputError::new(
            "command line",
            "--frontier",
            format!(
                "{}: the scenario has no {} calls to draw a cost curve for",
                ch.target_id(),
                ch.label()
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    let out =
        args.common.out.clone().unwrap_or_else(|| {
            PathBuf::from("outputs").join(format!("staff-{}", safe_name(&sc.name)))
        });
    let _lock = output::lock::lock(&out, "--out")?;
    experiment::check_pool(args.common.threads)?;
    output::check_out_dir(&out)?;
    if !args.common.quiet {
        eprintln!(
            "searching: each step simulates {} replications...",
            sc.run.replications
        );
    }
    let started = std::time::Instant::now();
    let found = experiment::staff::search(
        &sc,
        &req,
        &RunOptions {
            threads: args.common.threads,
            progress: false,
        },
    )?;
    let opts = RunOptions {
        threads: args.common.threads,
        progress: false,
    };
    let curve = match &frontier {
        Some((channel, shares)) => {
            if !args.common.quiet {
                eprintln!("drawing the cost curve: {} searches...", shares.len());
            }
            experiment::staff::frontier(&sc, &req, *channel, shares, &opts)?
        }
        None => Vec::new(),
    };
    output::staff::write(&out, &sc, &req, &found, &curve)?;
    say(&output::staff::render(&sc, &req, &found));
    say(&output::staff::render_frontier(&curve));
    say(&format!(
        "\n{} simulations in {:.1}s; results in {}\n",
        found.evaluations,
        started.elapsed().as_secs_f64(),
        out.display()
    ));
    Ok(())
}
