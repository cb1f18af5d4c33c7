//! `pledgesim optimise`: the least-cost establishment (response teams, unit shifts,
//! neighbourhood posts, any whole-number fields) that keeps chosen targets.

use super::{Common, Confine, Replications, safe_name, say};
use crate::error::{Error, InputError};
use crate::experiment::optimise::{
    self, Base, Candidate, Evaluator, Goal, Request, Start, StartFrom, knobs,
};
use crate::experiment::{self, RunOptions};
use crate::output;
use std::path::PathBuf;

/// The most combinations of sites (one per sector) a search tries: each is a search of its own.
const MAX_SITE_COMBINATIONS: usize = 64;

/// The targets `optimise` can keep: those with a share of calls, incidents, tasks or officers.
const TARGETS: [&str; 10] = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10"];

#[derive(clap::Args, Debug)]
#[command(mut_arg("out", |a| a
    .help("Output folder (default: outputs/optimise-<name>). Candidates are appended as they are simulated")
    .display_order(24)))]
pub struct OptimiseArgs {
    /// The scenario file (TOML); the built-in default when left out.
    pub scenario: Option<PathBuf>,
    /// A target to keep and its required share, e.g. T3=0.85 (repeat for more). Default: T3
    /// and T4 at the scenario's required shares.
    #[arg(long = "target", value_name = "ID=SHARE")]
    pub targets: Vec<String>,
    /// The share of replications that must keep every target.
    #[arg(long, default_value_t = 0.8)]
    pub confidence: f64,
    /// A whole-number field to search and its range, e.g. officers.teams[0].officers=12..48/6
    /// (FROM..TO, optionally /STEP; repeat for more). Default: every response team's
    /// establishment (in steps of its rota's weeks), every unit shift's count and every
    /// sector's constant units.
    #[arg(long = "vary", value_name = "PATH=FROM..TO[/STEP]")]
    pub vary: Vec<String>,
    /// A CSV file of candidate base sites, `sector,name,x,y[,cost_per_week]` (km, and what a
    /// site costs a week): each sector it names has its base chosen among its sites, the
    /// site's cost added to the weekly cost.
    #[arg(long, value_name = "FILE")]
    pub sites: Option<PathBuf>,
    /// The most candidates to simulate (the search stops with its best so far).
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub max_simulations: usize,
    /// Where the search starts: `load` raises each response team, unit shift and constant
    /// units field, from the scenario's value, to the least that puts as many units on duty
    /// in every sector and hour of the week as the scenario's own run says the work there
    /// needs (its offered load); `scenario` starts from the scenario's values as written.
    #[arg(long, default_value = "load", value_parser = ["load", "scenario"], value_name = "FROM")]
    pub start: String,
    /// Also draw the cost curve of one of the targets kept: the search once more for each
    /// required share from FROM to TO by STEP (both ends included, at most 21), the other
    /// targets as asked, every candidate simulated once whichever search asks for it, e.g.
    /// T3=0.70:0.90:0.05.
    #[arg(long, value_name = "ID=FROM:TO:STEP")]
    pub frontier: Option<String>,
    /// Go on with an interrupted search in the output folder, without simulating again the
    /// candidates it holds.
    #[arg(long, display_order = 25)]
    pub resume: bool,
    #[command(flatten)]
    pub replications: Replications,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub confine: Confine,
}

/// Reads the request, every problem at once.
fn request(
    args: &OptimiseArgs,
    base: &Base,
    sc: &crate::scenario::Scenario,
) -> Result<Request, Error> {
    let mut errors = Vec::new();
    let mut goals: Vec<Goal> = Vec::new();
    for t in &args.targets {
        let mut bad = |why: String| errors.push(InputError::new("command line", "--target", why));
        let Some((id, share)) = t.split_once('=') else {
            bad(format!("\"{t}\": write ID=SHARE, e.g. T3=0.85"));
            continue;
        };
        let id = id.trim();
        if !TARGETS.contains(&id) {
            bad(format!(
                "\"{id}\": a target is one of {} (T11-T14 have no share to keep)",
                TARGETS.join(", ")
            ));
            continue;
        }
        let Some(share) = super::share(share) else {
            bad(format!(
                "\"{t}\": the share must be a number above 0 and below 1"
            ));
            continue;
        };
        if goals.iter().any(|g| g.id == id) {
            bad(format!("{id} is given twice"));
            continue;
        }
        goals.push(Goal {
            id: id.to_string(),
            share,
        });
    }
    if args.targets.is_empty() {
        for id in ["T3", "T4"] {
            let t = sc.target(id);
            if t.applies {
                goals.push(Goal {
                    id: id.into(),
                    share: t.share.min(0.999),
                });
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
    if !(1..=100_000).contains(&args.max_simulations) {
        errors.push(InputError::new(
            "command line",
            "--max-simulations",
            format!("must be from 1 to 100000 (got {})", args.max_simulations),
        ));
    }
    if sc.run.replications < 2 {
        errors.push(InputError::new(
            "command line",
            "--replications",
            "the search needs at least 2 replications: whether a candidate keeps the targets comes from their spread",
        ));
    }
    let knobs = if args.vary.is_empty() {
        let d = knobs::defaults(&base.tree);
        if d.is_empty() {
            errors.push(InputError::new(
                "command line",
                "--vary",
                "the scenario has no response teams, unit shifts or constant units to search: name the fields to search with --vary PATH=FROM..TO[/STEP]",
            ));
        }
        d
    } else {
        knobs::parse(&args.vary, &base.tree).unwrap_or_else(|e| {
            errors.extend(e);
            Vec::new()
        })
    };
    let mut knobs = knobs;
    if let Some(path) = &args.sites {
        let label = path.display().to_string();
        let (rows, bad) = crate::scenario::csv::sites(path);
        errors.extend(bad);
        match knobs::sites(&rows, &base.tree, &label) {
            Ok(k) => {
                let combinations: usize = k.iter().map(|k| k.choices.len()).product();
                if combinations > MAX_SITE_COMBINATIONS {
                    errors.push(InputError::new(
                        &label,
                        "",
                        format!(
                            "the sites give {combinations} ways to choose every sector's base, more than the {MAX_SITE_COMBINATIONS} the search tries one by one: list fewer sites"
                        ),
                    ));
                }
                knobs.extend(k);
            }
            Err(e) => errors.extend(e),
        }
    }
    if goals.is_empty() && args.targets.is_empty() {
        errors.push(InputError::new(
            "command line",
            "--target",
            "the scenario's pledge makes neither T3 nor T4: name the targets to keep with --target ID=SHARE",
        ));
    }
    let frontier = match &args.frontier {
        None => None,
        Some(text) => {
            let form = "write ID=FROM:TO:STEP, e.g. T3=0.70:0.90:0.05";
            match experiment::curve::parse(text, form) {
                Err(why) => {
                    errors.push(InputError::new("command line", "--frontier", why));
                    None
                }
                Ok((id, _)) if !goals.is_empty() && !goals.iter().any(|g| g.id == id) => {
                    errors.push(InputError::new(
                        "command line",
                        "--frontier",
                        format!(
                            "\"{id}\": the cost curve is drawn for one of the targets kept ({}): add --target {id}=SHARE to keep it",
                            goals.iter().map(|g| g.id.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                    None
                }
                Ok((id, shares)) => Some(optimise::frontier::Sweep { id, shares }),
            }
        }
    };
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    Ok(Request {
        frontier,
        goals,
        confidence: args.confidence,
        knobs,
        max_simulations: args.max_simulations,
        start: Start {
            from: if args.start == "scenario" {
                StartFrom::Scenario
            } else {
                StartFrom::Load
            },
            ..Start::default()
        },
    })
}

pub(super) fn optimise(args: OptimiseArgs) -> Result<(), Error> {
    let base = Base::load(args.scenario.as_deref())?;
    let mut sc = crate::scenario::Scenario::parse(&base.text, &base.source)?;
    if let Some(r) = args.replications.replications {
        sc.run.replications = r;
    }
    let mut req = request(&args, &base, &sc)?;
    experiment::check_pool(args.common.threads)?;
    let goals = req.goals.clone();
    let knobs_searched = req.knobs.clone();
    let eval = Evaluator {
        text: &base.text,
        source: &base.source,
        tree: base.tree.clone(),
        goals: &goals,
        confidence: req.confidence,
        knobs: &knobs_searched,
        replications: args.replications.replications,
        opts: RunOptions {
            threads: args.common.threads,
            progress: false,
        },
    };
    // The starting candidate must be a scenario as it stands: its errors are the request's.
    let start: Vec<i64> = req.knobs.iter().map(knobs::Knob::start).collect();
    let start_sc = eval.scenario(&start)?;
    let out = args.common.out.clone().unwrap_or_else(|| {
        PathBuf::from("outputs").join(format!("optimise-{}", safe_name(&sc.name)))
    });
    let _lock = output::lock::lock(&out, "--out")?;
    output::check_out_dir(&out)?;
    let costed = sc
        .pay
        .as_ref()
        .is_some_and(crate::scenario::pay::Pay::costed);
    // The starting candidate is simulated before a fresh folder is made (a resumed search has
    // it in its folder): a target the scenario does not measure is refused with nothing
    // written, and an earlier output in the folder is kept.
    // The load start comes from that run too (a resumed search reads it from its manifest).
    let mut pre: Option<Candidate> = None;
    if !args.resume {
        let (c, run) = first(&eval, &start_sc, &start)?;
        pre = Some(c);
        if req.start.from == StartFrom::Load {
            match run.map(|(sc, out)| eval.load_start(&start, &sc, &out)) {
                Some(Ok(l)) => req.start.load = Some(l),
                Some(Err(why)) => req.start.why = Some(why),
                None => {
                    req.start.why =
                        Some("the scenario's own values are refused by its checks".into())
                }
            }
        }
    }
    let (mut writer, given) =
        output::optimise::OptimiseWriter::open(&start_sc, &mut req, &out, args.resume)?;
    if given.is_empty() && pre.is_none() {
        pre = Some(first(&eval, &start_sc, &start)?.0);
    }
    let req = req;
    if !args.common.quiet && req.start.from == StartFrom::Load {
        eprintln!("{}", start_line(&req));
    }
    let resumed = given.len();
    if !args.common.quiet {
        eprintln!(
            "searching {} field(s) for {}: each candidate simulates {} replications{}...",
            req.knobs.len(),
            req.goals
                .iter()
                .map(|g| format!("{}={}", g.id, g.share))
                .collect::<Vec<_>>()
                .join(", "),
            start_sc.run.replications,
            if resumed > 0 {
                format!(" ({resumed} already in the folder)")
            } else {
                String::new()
            }
        );
    }
    let started = std::time::Instant::now();
    let quiet = args.common.quiet;
    let mut n = 0usize;
    let mut on_new = |c: &Candidate| -> Result<(), Error> {
        writer.append(c)?;
        n += 1;
        if !quiet {
            eprintln!(
                "  {n:>3}. {} -> {}{}",
                req.knobs
                    .iter()
                    .zip(&c.values)
                    .map(|(k, &v)| k.show(v))
                    .collect::<Vec<_>>()
                    .join(", "),
                match &c.refused {
                    Some(why) => format!("refused: {why}"),
                    None => format!(
                        "{}{:.0} a week; {}",
                        if costed { "£" } else { "" },
                        c.cost,
                        c.figures
                            .iter()
                            .map(|f| format!("{} {:.1}%", f.id, f.mean * 100.0))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
                if c.kept { " keeps" } else { "" }
            );
        }
        Ok(())
    };
    let simulate = |values: &[i64]| -> Result<Candidate, Error> {
        match pre.take() {
            Some(c) if c.values == values => Ok(c),
            _ => eval.evaluate(values),
        }
    };
    let mut store = optimise::Store::new(given, simulate, &mut on_new, req.max_simulations);
    let found = optimise::search_in(&mut store, &req, costed)?;
    let curve = match &req.frontier {
        Some(sweep) => {
            if !quiet {
                eprintln!(
                    "the cost curve of {}: the search again at {} shares, each candidate simulated once whichever search asks...",
                    sweep.id,
                    sweep.shares.len()
                );
            }
            optimise::frontier::frontier(&mut store, &req, costed, sweep)?
        }
        None => Vec::new(),
    };
    let (all, simulated) = (store.candidates().len(), store.simulated());
    drop(store);
    let verdict = found.verdict.as_ref().map(|why| {
        let closest = found
            .candidates
            .iter()
            .filter(|c| c.refused.is_none())
            .min_by(|a, b| {
                let s = |c: &Candidate| -> f64 {
                    c.figures
                        .iter()
                        .map(|f| (f.required - f.mean).max(0.0))
                        .sum()
                };
                s(a).total_cmp(&s(b)).then(a.cost.total_cmp(&b.cost))
            });
        match closest {
            Some(c) => format!(
                "No plan within the search's bounds keeps the targets: {why}. The closest found ({}, {:.0} a week) reaches {}.",
                req.knobs
                    .iter()
                    .zip(&c.values)
                    .map(|(k, &v)| format!("{} = {}", k.path, k.show(v)))
                    .collect::<Vec<_>>()
                    .join(", "),
                c.cost,
                c.figures
                    .iter()
                    .map(|f| format!(
                        "{} {:.1}% ({:.1}-{:.1}%) against {:.1}%, in {:.0}% of replications against {:.0}% asked",
                        f.id,
                        f.mean * 100.0,
                        f.ci_low * 100.0,
                        f.ci_high * 100.0,
                        f.required * 100.0,
                        f.reps_meeting * 100.0,
                        req.confidence * 100.0
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            None => format!("No plan within the search's bounds keeps the targets: {why}."),
        }
    });
    let rows = output::optimise::frontier_rows(&req, &curve);
    let summary = output::optimise::summary(&req, &found, verdict.clone(), rows, all);
    let plan = match found.best.filter(|_| verdict.is_none()) {
        Some(b) => Some(optimise::plan_toml(
            &base,
            &req.knobs,
            &found.candidates[b].values,
            &plan_head(&base, &req, &found.candidates[b], found.costed),
        )?),
        None => None,
    };
    // Each point of a cost curve with a plan: its scenario file, as plan.toml is the plan's.
    let mut point_plans = Vec::new();
    if let Some(sweep) = &req.frontier {
        for p in &curve {
            let Some((_, c)) = &p.plan else { continue };
            let at = optimise::frontier::request_at(&req, &sweep.id, p.share);
            point_plans.push((
                output::optimise::point_plan_name(&sweep.id, p.share),
                optimise::plan_toml(
                    &base,
                    &req.knobs,
                    &c.values,
                    &plan_head(&base, &at, c, found.costed),
                )?,
            ));
        }
    }
    writer.finish(&start_sc, &req, &summary, plan.as_deref(), &point_plans)?;
    say(&render(&req, &found, verdict.as_deref(), all));
    if req.frontier.is_some() {
        say(&render_frontier(&summary, costed));
    }
    say(&format!(
        "\n{} candidates ({} simulated now, {} from the folder) in {:.1}s; results in {}\n",
        all,
        simulated,
        all - simulated,
        started.elapsed().as_secs_f64(),
        out.display()
    ));
    Ok(())
}

/// The starting candidate, simulated; refused when the scenario has no figure for a target
/// (not in its pledge, or not modelled by it).
fn first(
    eval: &Evaluator<'_>,
    sc: &crate::scenario::Scenario,
    start: &[i64],
) -> Result<
    (
        Candidate,
        Option<(crate::scenario::Scenario, experiment::RunOutcome)>,
    ),
    Error,
> {
    let (c, run) = eval.evaluate_run(start)?;
    if c.refused.is_none() {
        let missing: Vec<InputError> = eval
            .goals
            .iter()
            .filter(|g| !c.figures.iter().any(|f| f.id == g.id))
            .map(|g| {
                InputError::new(
                    "command line",
                    "--target",
                    if sc.target(&g.id).applies {
                        format!(
                            "{}: the scenario does not model it, so it has no figure to keep",
                            g.id
                        )
                    } else {
                        format!("{}: the scenario's pledge does not make it", g.id)
                    },
                )
            })
            .collect();
        if !missing.is_empty() {
            return Err(Error::Input(missing));
        }
    }
    Ok((c, run))
}

/// An hour of the week as people read it: "Fri 19:00".
fn hour_name(h: usize) -> String {
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    format!("{} {:02}:00", days[(h / 24) % 7], h % 24)
}

/// Where the load start puts the search, in words.
fn start_line(req: &Request) -> String {
    let Some(l) = &req.start.load else {
        return format!(
            "starting from the scenario's values: {}",
            req.start.why.as_deref().unwrap_or("no load start")
        );
    };
    let mut s = format!(
        "the load start ({:.2} unit-hours a dispatch): ",
        l.hours_per_dispatch
    );
    s.push_str(
        &l.sectors
            .iter()
            .map(|x| {
                format!(
                    "{} {:.2} units' work {} against {:.2} on duty",
                    x.sector,
                    x.load,
                    hour_name(x.hour_of_week),
                    x.units_scenario
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    );
    let raised: Vec<String> = req
        .knobs
        .iter()
        .zip(l.values.iter().zip(&l.bounds))
        .filter_map(|(k, (&v, b))| {
            let b = (*b)?;
            Some(format!(
                "{} {} -> {} (bound {b})",
                k.path,
                k.own.map_or("-".into(), |o| o.to_string()),
                v
            ))
        })
        .collect();
    if !raised.is_empty() {
        s.push_str(&format!("\n  {}", raised.join("\n  ")));
    }
    s
}

/// plan.toml's head comment: where it comes from and what it keeps.
fn plan_head(base: &Base, req: &Request, c: &Candidate, costed: bool) -> String {
    let mut head = format!(
        "# The least-cost plan found by `pledgesim optimise` from {}: its fields below set as\n# searched; the rest of the file as written (side files are named relative to that\n# scenario's folder: save this file beside it to run it).\n",
        base.source.label
    );
    for (k, v) in req.knobs.iter().zip(&c.values) {
        head.push_str(&format!(
            "#   {} = {} (the scenario: {})\n",
            k.path,
            k.show(*v),
            k.own.map_or("not set".into(), |o| k.show(o))
        ));
    }
    head.push_str(&format!(
        "# Weekly cost {:.0} {}; with the scenario's seed and replications:\n",
        c.cost,
        if costed { "pounds" } else { "staff-hours paid" }
    ));
    for f in &c.figures {
        head.push_str(&format!(
            "#   {} {:.1}% ({:.1}-{:.1}%), required {:.1}% in {:.0}% of replications: met in {:.0}%\n",
            f.id,
            f.mean * 100.0,
            f.ci_low * 100.0,
            f.ci_high * 100.0,
            f.required * 100.0,
            req.confidence * 100.0,
            f.reps_meeting * 100.0
        ));
    }
    head
}

/// What the search found, for people.
fn render(
    req: &Request,
    found: &optimise::Outcome,
    verdict: Option<&str>,
    simulated_in_all: usize,
) -> String {
    let unit = if found.costed { "£" } else { "" };
    let per = if found.costed {
        " a week"
    } else {
        " staff-hours paid a week"
    };
    let mut s = String::new();
    let start = &found.candidates[found.start];
    let line = |c: &Candidate| {
        c.figures
            .iter()
            .map(|f| {
                format!(
                    "{} {:.1}% ({:.1}-{:.1}%)",
                    f.id,
                    f.mean * 100.0,
                    f.ci_low * 100.0,
                    f.ci_high * 100.0
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    s.push_str(&format!(
        "\nthe scenario as written: {unit}{:.0}{per}; {}\n",
        start.cost,
        line(start)
    ));
    match (verdict, found.best) {
        (Some(v), _) => s.push_str(&format!("\n{v}\n")),
        (None, Some(b)) => {
            let c = &found.candidates[b];
            s.push_str(&format!(
                "the cheapest plan found: {unit}{:.0}{per} ({:+.0}); {}\n\n",
                c.cost,
                c.cost - start.cost,
                line(c)
            ));
            for (k, (&v, &o)) in req.knobs.iter().zip(c.values.iter().zip(&start.values)) {
                s.push_str(&format!(
                    "  {:<40} {:>6} -> {}\n",
                    k.path,
                    k.show(o),
                    k.show(v)
                ));
            }
        }
        (None, None) => {}
    }
    if simulated_in_all >= req.max_simulations {
        s.push_str(&format!(
            "\nthe search reached its limit of {} simulations (--max-simulations): what it found is the best so far; run it again with --resume and a higher limit to go on\n",
            req.max_simulations
        ));
    }
    s
}

/// The cost curve in words, a line a point.
fn render_frontier(summary: &crate::output::contract::OptimiseSummary, costed: bool) -> String {
    let money = |v: f64| {
        if costed {
            format!("£{v:.0} a week")
        } else {
            format!("{v:.0} staff-hours paid a week")
        }
    };
    let Some(first) = summary.frontier.first() else {
        return String::new();
    };
    let mut s = format!(
        "\ncost curve of {} (the cheapest candidate simulated that keeps each share, the other targets as asked):\n",
        first.target
    );
    for r in &summary.frontier {
        match r.cost_per_week {
            Some(c) => s.push_str(&format!(
                "  {:.1}%: {}{}, achieved {:.1}% ({:.1}-{:.1}%), candidate {} of the list\n",
                r.required_share * 100.0,
                money(c),
                r.marginal_cost_per_point.map_or(String::new(), |m| format!(
                    " ({} a point more than the last)",
                    money(m).replace(" a week", "")
                )),
                r.achieved_mean.unwrap_or(f64::NAN) * 100.0,
                r.achieved_ci_low.unwrap_or(f64::NAN) * 100.0,
                r.achieved_ci_high.unwrap_or(f64::NAN) * 100.0,
                r.candidate.map_or("-".into(), |c| (c + 1).to_string()),
            )),
            None => s.push_str(&format!(
                "  {:.1}%: no plan: {}\n",
                r.required_share * 100.0,
                r.verdict.as_deref().unwrap_or("none found")
            )),
        }
    }
    s.push_str("the curve is in frontier.csv, and each point's plan in plan-ID-SHARE.toml\n");
    s
}
