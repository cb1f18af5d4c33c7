//! Simulation-optimisation of an establishment (`pledgesim optimise`): the least weekly cost of
//! response teams, unit shifts, neighbourhood posts or any other whole-number fields of a
//! scenario that keeps chosen targets with a chosen confidence.
//!
//! Every candidate is the scenario with its knobs ([`knobs::Knob`]) set, validated like any
//! scenario, and simulated with the scenario's seed and replications: every candidate sees the
//! same calls (common random numbers), so that two candidates differ only by what was changed.
//! A candidate keeps the targets when, for each, the share of replications meeting the
//! required share is at least the confidence, counted and by the cautious estimate the handler
//! search uses (replications' shares taken as normal about the lower end of the mean's 95%
//! interval). Its cost is the run's own weekly cost of the force (`staffing`, `cost_per_week`;
//! staff-hours paid a week when the scenario has no pay rates).
//!
//! The scenario's own values (each knob's start) are simulated first. With the load start
//! (`--start load`, the default; [`load`]), each knob that puts response units on duty is then
//! raised, never lowered, to the least value that covers each sector's offered load in every
//! hour of the week, from that run: a plan with fewer units on duty than the work they must
//! do cannot keep a response target, so a scenario far short is searched from there and not
//! step by step from where it is. The search then starts from those values (the scenario's
//! where it already covers the load).
//!
//! The method, greedy marginal allocation on common random numbers, in three phases:
//! 1. **Up**, from the start: while the candidate misses,
//!    every knob one step up is simulated, and the move taken is the one that closes most of
//!    the shortfall per pound (the shortfall: for each target, how far its mean falls below its
//!    share, plus how far its share of replications meeting falls below the confidence); where
//!    no move closes any, the one that leaves the least shortfall.
//! 2. **Down**: while some knob one step down still keeps the targets, the cheapest such
//!    candidate is taken (ties: the one with the most margin).
//! 3. **Exchange**: one knob up and another down, where that is cheaper; the cheapest that
//!    keeps the targets is taken and phase 2 runs again, until no exchange is cheaper and kept.
//!
//! With candidate base sites (choices), the three phases run once for each way of choosing
//! the sites, the scenario's own first, the choices held during each; the cheapest plan of all
//! is kept.
//!
//! Candidates are remembered by their values, so none is simulated twice; a resumed search
//! (`--resume`) is given the candidates already simulated, and the load start its manifest
//! holds, and replays the same steps without simulating them again. The search stops, with a verdict in words and the best candidate
//! found, when a knob would go beyond its range or the simulations reach their limit.

pub mod frontier;
pub mod knobs;
pub mod load;

use crate::error::{Error, InputError};
use crate::experiment::{RunOptions, RunOutcome};
use crate::scenario::overrides::{self, Step};
use crate::scenario::{Format, Scenario, Source};
use knobs::Knob;
use serde_json::Value;
use std::collections::HashMap;

/// A target to keep: its id (T1 ... T10) and required share.
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    pub id: String,
    pub share: f64,
}

/// What the planner asks for.
#[derive(Clone, Debug)]
pub struct Request {
    pub goals: Vec<Goal>,
    /// The share of replications that must keep every target.
    pub confidence: f64,
    pub knobs: Vec<Knob>,
    /// The most candidates simulated (those of a resumed search included).
    pub max_simulations: usize,
    /// Where the search starts.
    pub start: Start,
    /// The cost curve to draw after the plan is found (`--frontier`), if any.
    pub frontier: Option<frontier::Sweep>,
}

/// Where the search starts (`--start`): the scenario's own values, or those raised to the
/// units its offered load needs ([`load`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StartFrom {
    Scenario,
    #[default]
    Load,
}

impl StartFrom {
    pub fn name(self) -> &'static str {
        match self {
            StartFrom::Scenario => "scenario",
            StartFrom::Load => "load",
        }
    }
}

/// The search's start: how it was chosen and, for the load start, the bound it came from
/// (None before it is known, or when the scenario's run gives no load: `why` says so).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Start {
    pub from: StartFrom,
    pub load: Option<load::LoadStart>,
    pub why: Option<String>,
}

/// A target's figure for one candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub id: String,
    pub required: f64,
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub sd: f64,
    /// The share of replications meeting the required share, counted.
    pub reps_meeting: f64,
    /// The same, estimated cautiously (see the module's documentation).
    pub reps_meeting_cautious: f64,
    /// Each replication's value, in replication order (NaN where it is undefined): what the
    /// figure is at another required share comes from these ([`Figure::at`]).
    pub reps: Vec<f64>,
}

/// The cautious estimate of the share of replications meeting `share`: the replications'
/// values taken as normal, with the figure's standard deviation, about the lower end of the
/// mean's 95% interval; 0 with fewer than 2 defined values.
fn cautious(n: usize, mean: f64, ci_low: f64, sd: f64, share: f64) -> f64 {
    if n < 2 || !ci_low.is_finite() {
        0.0
    } else if sd == 0.0 {
        f64::from(u8::from(mean >= share))
    } else {
        use statrs::distribution::{ContinuousCDF, Normal};
        Normal::new(0.0, 1.0)
            .map(|z| z.cdf((ci_low - share) / sd))
            .unwrap_or(0.0)
    }
}

impl Figure {
    /// The same figure held to another required share: the same replications, counted and
    /// estimated against `share`, exactly as a run with that share would give them.
    pub fn at(&self, share: f64) -> Figure {
        let defined = self.reps.iter().filter(|x| !x.is_nan()).count();
        let meeting = self.reps.iter().filter(|&&x| x >= share).count();
        Figure {
            required: share,
            reps_meeting: if defined == 0 {
                0.0
            } else {
                meeting as f64 / defined as f64
            },
            reps_meeting_cautious: cautious(defined, self.mean, self.ci_low, self.sd, share),
            ..self.clone()
        }
    }
    fn kept(&self, confidence: f64) -> bool {
        self.reps_meeting >= confidence && self.reps_meeting_cautious >= confidence
    }
    fn shortfall(&self, confidence: f64) -> f64 {
        (self.required - self.mean).max(0.0)
            + (confidence - self.reps_meeting.min(self.reps_meeting_cautious)).max(0.0)
    }
}

/// One simulated candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub values: Vec<i64>,
    /// Weekly cost: pounds, or staff-hours paid when the scenario has no pay rates.
    pub cost: f64,
    pub fte: f64,
    pub figures: Vec<Figure>,
    pub kept: bool,
    /// Why the candidate could not be simulated (a value the scenario refuses) or was stopped
    /// (the memory guard): then it keeps nothing.
    pub refused: Option<String>,
}

impl Candidate {
    /// The candidate held to `goals` at `confidence`: each goal's figure at its share, and
    /// whether it keeps them all (the same replications: nothing is simulated again).
    pub fn at(&self, goals: &[Goal], confidence: f64) -> Candidate {
        let figures: Vec<Figure> = goals
            .iter()
            .filter_map(|g| {
                self.figures
                    .iter()
                    .find(|f| f.id == g.id)
                    .map(|f| f.at(g.share))
            })
            .collect();
        let kept = self.refused.is_none()
            && figures.len() == goals.len()
            && figures.iter().all(|f| f.kept(confidence));
        Candidate {
            values: self.values.clone(),
            cost: self.cost,
            fte: self.fte,
            figures,
            kept,
            refused: self.refused.clone(),
        }
    }

    fn shortfall(&self, confidence: f64) -> f64 {
        if self.refused.is_some() {
            return f64::INFINITY;
        }
        self.figures.iter().map(|f| f.shortfall(confidence)).sum()
    }
    /// The least margin of a target's mean over its share.
    fn margin(&self) -> f64 {
        self.figures
            .iter()
            .map(|f| f.mean - f.required)
            .fold(f64::INFINITY, f64::min)
    }
}

/// What the search found.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Every candidate simulated, in the order the search asked for them.
    pub candidates: Vec<Candidate>,
    /// The scenario's own values' candidate (the first).
    pub start: usize,
    /// The cheapest candidate simulated that keeps the targets (of two as cheap, the one with
    /// more margin over its shares; of two as good, the first); None when none does.
    pub best: Option<usize>,
    /// Why no plan within the search's bounds keeps the targets, in words.
    pub verdict: Option<String>,
    /// Candidates simulated by this command (the rest came from the folder resumed).
    pub simulated: usize,
    /// Whether costs are pounds (the scenario has pay rates) or staff-hours.
    pub costed: bool,
}

/// Simulates candidates: the base scenario's file, with the knobs' values set.
pub struct Evaluator<'a> {
    pub text: &'a str,
    pub source: &'a Source,
    pub tree: Value,
    pub goals: &'a [Goal],
    pub confidence: f64,
    pub knobs: &'a [Knob],
    pub replications: Option<u32>,
    pub opts: RunOptions,
}

impl Evaluator<'_> {
    /// The scenario at `values`, with the goals' shares as required shares.
    pub fn scenario(&self, values: &[i64]) -> Result<Scenario, Error> {
        let set: Vec<(Vec<Step>, Value)> = self
            .knobs
            .iter()
            .zip(values)
            .map(|(k, &v)| (k.steps.clone(), k.value(v)))
            .collect();
        let mut sc = Scenario::parse_with(self.text, self.source, &self.tree, &set)?;
        if let Some(r) = self.replications {
            sc.run.replications = r;
        }
        for g in self.goals {
            if let Some(t) = sc.targets.iter_mut().find(|t| t.id == g.id) {
                t.share = g.share;
            }
        }
        Ok(sc)
    }

    /// Simulates the candidate at `values`: a value the scenario refuses is a candidate that
    /// keeps nothing, with the reason.
    pub fn evaluate(&self, values: &[i64]) -> Result<Candidate, Error> {
        Ok(self.evaluate_run(values)?.0)
    }

    /// [`Evaluator::evaluate`], with the scenario and its run (None when refused).
    pub fn evaluate_run(
        &self,
        values: &[i64],
    ) -> Result<(Candidate, Option<(Scenario, RunOutcome)>), Error> {
        let sc = match self.scenario(values) {
            Ok(sc) => sc,
            Err(Error::Input(e)) => {
                return Ok((
                    Candidate {
                        values: values.to_vec(),
                        cost: f64::INFINITY,
                        fte: 0.0,
                        figures: Vec::new(),
                        kept: false,
                        refused: Some(
                            e.iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join("; "),
                        ),
                    },
                    None,
                ));
            }
            Err(e) => return Err(e),
        };
        let out = crate::experiment::run(&sc, &self.opts);
        let mut c = candidate(values, &out, self.goals, self.confidence);
        c.cost += self
            .knobs
            .iter()
            .zip(values)
            .map(|(k, &v)| k.cost(v))
            .sum::<f64>();
        Ok((c, Some((sc, out))))
    }

    /// The load start from the scenario's own values `own`, simulated (`sc`, `out`); with
    /// why there is none when the run gives no load.
    pub fn load_start(
        &self,
        own: &[i64],
        sc: &Scenario,
        out: &RunOutcome,
    ) -> Result<load::LoadStart, String> {
        let Some((offered, w)) = load::offered(sc, out) else {
            return Err(if sc.response.is_none() {
                "the scenario has no response units".into()
            } else {
                "the scenario's own run gives no offered load (no dispatches, or stopped by the memory guard)".into()
            });
        };
        load::start(self.knobs, own, &offered, w, &|v: &[i64]| {
            self.scenario(v).ok()
        })
        .ok_or_else(|| "the scenario's units on duty could not be counted".into())
    }
}

/// A run's outcome as a candidate.
pub fn candidate(values: &[i64], out: &RunOutcome, goals: &[Goal], confidence: f64) -> Candidate {
    let force = |stat: &str| {
        out.overall
            .iter()
            .find(|r| r.key.kpi == "staffing" && r.key.scope == "force" && r.key.statistic == stat)
            .map(|r| r.estimate.mean)
    };
    let cost = force("cost_per_week")
        .or_else(|| force("hours_paid_per_week"))
        .unwrap_or(0.0);
    let fte = force("fte").unwrap_or(0.0);
    let mut figures = Vec::new();
    for g in goals {
        // The headline row, and its column in each replication's figures.
        let Some((column, r)) = out
            .overall
            .iter()
            .enumerate()
            .find(|(_, r)| r.key.kpi == g.id && crate::measure::is_headline(&r.key))
        else {
            continue;
        };
        let e = &r.estimate;
        let reps = out
            .reps
            .iter()
            .map(|rep| rep.values.get(column).copied().unwrap_or(f64::NAN))
            .collect();
        figures.push(Figure {
            id: g.id.clone(),
            required: g.share,
            mean: e.mean,
            ci_low: e.ci_low,
            ci_high: e.ci_high,
            sd: e.sd,
            reps_meeting: r.share_reps_meeting.unwrap_or(0.0),
            reps_meeting_cautious: cautious(e.n, e.mean, e.ci_low, e.sd, g.share),
            reps,
        });
    }
    let refused = out.overload.clone();
    let kept = refused.is_none()
        && figures.len() == goals.len()
        && figures.iter().all(|f| f.kept(confidence));
    Candidate {
        values: values.to_vec(),
        cost,
        fte,
        figures,
        kept,
        refused,
    }
}

/// The targets the scenario has no figure for (not in its pledge, or not modelled by it).
pub fn unmeasured(out: &RunOutcome, goals: &[Goal]) -> Vec<String> {
    goals
        .iter()
        .filter(|g| {
            !out.overall
                .iter()
                .any(|r| r.key.kpi == g.id && crate::measure::is_headline(&r.key))
        })
        .map(|g| g.id.clone())
        .collect()
}

/// Every candidate a command simulates, in the order it first asks for them, shared by its
/// searches (the search for the plan and, for a cost curve, one for each share): a candidate
/// is simulated once, whichever search asks, and each search holds it to its own targets
/// ([`Candidate::at`]). What it hands on to be written as each candidate is added.
pub struct Store<'a, F> {
    seen: HashMap<Vec<i64>, usize>,
    all: Vec<Candidate>,
    /// Candidates from the folder resumed, by their values.
    given: HashMap<Vec<i64>, Candidate>,
    simulate: F,
    on_new: &'a mut dyn FnMut(&Candidate) -> Result<(), Error>,
    simulated: usize,
    limit: usize,
}

impl<'a, F: FnMut(&[i64]) -> Result<Candidate, Error>> Store<'a, F> {
    /// A store of at most `limit` candidates (at least 1), with those of an interrupted search
    /// (`resumed`, in the order it added them) given back without simulating them again.
    pub fn new(
        resumed: Vec<Candidate>,
        simulate: F,
        on_new: &'a mut dyn FnMut(&Candidate) -> Result<(), Error>,
        limit: usize,
    ) -> Self {
        Store {
            seen: HashMap::new(),
            all: Vec::new(),
            given: resumed.into_iter().map(|c| (c.values.clone(), c)).collect(),
            simulate,
            on_new,
            simulated: 0,
            limit: limit.max(1),
        }
    }

    /// The candidate at `values`, simulated if it is new; None when it is new and the store
    /// holds its limit.
    fn fetch(&mut self, values: &[i64]) -> Result<Option<&Candidate>, Error> {
        if let Some(&i) = self.seen.get(values) {
            return Ok(Some(&self.all[i]));
        }
        if self.full() {
            return Ok(None);
        }
        let c = match self.given.remove(values) {
            Some(c) => c,
            None => {
                let c = (self.simulate)(values)?;
                self.simulated += 1;
                c
            }
        };
        (self.on_new)(&c)?;
        self.all.push(c);
        self.seen.insert(values.to_vec(), self.all.len() - 1);
        Ok(self.all.last())
    }

    fn full(&self) -> bool {
        self.all.len() >= self.limit
    }

    /// Every candidate added, in order (as candidates.jsonl holds them).
    pub fn candidates(&self) -> &[Candidate] {
        &self.all
    }

    /// Candidates simulated (not given back from a resumed folder).
    pub fn simulated(&self) -> usize {
        self.simulated
    }
}

/// One search's memory: the candidates it has asked for, held to its own targets.
struct Memory<'s, 'a, F> {
    store: &'s mut Store<'a, F>,
    seen: HashMap<Vec<i64>, usize>,
    candidates: Vec<Candidate>,
    goals: &'s [Goal],
    confidence: f64,
    limit: usize,
}

impl<F: FnMut(&[i64]) -> Result<Candidate, Error>> Memory<'_, '_, F> {
    fn get(&mut self, values: &[i64]) -> Result<Option<usize>, Error> {
        if let Some(&i) = self.seen.get(values) {
            return Ok(Some(i));
        }
        let Some(c) = self.store.fetch(values)? else {
            return Ok(None);
        };
        let c = c.at(self.goals, self.confidence);
        self.candidates.push(c);
        let i = self.candidates.len() - 1;
        self.seen.insert(values.to_vec(), i);
        Ok(Some(i))
    }
}

/// Runs the search. `simulate` gives a candidate's figures; `resumed` are the candidates of an
/// interrupted search of the same request (in the order it simulated them); `on_new` is told
/// of every candidate as it is added, in order (the resumed ones again, first).
pub fn search(
    req: &Request,
    costed: bool,
    resumed: Vec<Candidate>,
    simulate: impl FnMut(&[i64]) -> Result<Candidate, Error>,
    on_new: &mut dyn FnMut(&Candidate) -> Result<(), Error>,
) -> Result<Outcome, Error> {
    let mut store = Store::new(resumed, simulate, on_new, req.max_simulations);
    search_in(&mut store, req, costed)
}

/// [`search`] on the candidates of `store`, which it adds to: those already there are not
/// simulated again, whatever targets they were simulated for.
pub fn search_in<F: FnMut(&[i64]) -> Result<Candidate, Error>>(
    store: &mut Store<'_, F>,
    req: &Request,
    costed: bool,
) -> Result<Outcome, Error> {
    let knobs = &req.knobs;
    let simulated_before = store.simulated;
    let limit = store.limit;
    let mut m = Memory {
        store,
        seen: HashMap::new(),
        candidates: Vec::new(),
        goals: &req.goals,
        confidence: req.confidence,
        limit,
    };
    let start_values: Vec<i64> = knobs.iter().map(Knob::start).collect();
    // The choices (sites) are searched by running the local search once for each combination
    // of them, the scenario's own first: a site moves the whole plan, which single steps from
    // one plan cannot follow.
    let mut combos: Vec<Vec<i64>> = vec![start_values.clone()];
    let choice_ks: Vec<usize> = (0..knobs.len())
        .filter(|&k| !knobs[k].choices.is_empty())
        .collect();
    for &k in &choice_ks {
        let n = knobs[k].choices.len() as i64;
        combos = combos
            .into_iter()
            .flat_map(|c| {
                (0..n).map(move |o| {
                    let mut c = c.clone();
                    c[k] = o;
                    c
                })
            })
            .collect();
    }
    combos.retain(|c| *c != start_values);
    combos.insert(0, start_values.clone());
    let Some(start) = m.get(&start_values)? else {
        return Err(Error::Input(vec![InputError::new(
            "command line",
            "--max-simulations",
            format!(
                "the limit of {limit} simulations was reached before a search could start: raise it"
            ),
        )]));
    };
    let mut verdict = None;
    let mut x = start;
    for (n, combo) in combos.iter().enumerate() {
        // The load start raises the numbers, the choices held.
        let mut from = combo.clone();
        if let Some(l) = &req.start.load {
            for (k, v) in from.iter_mut().enumerate() {
                if knobs[k].choices.is_empty() {
                    *v = (*v).max(l.values[k]);
                }
            }
        }
        let (end, why) =
            if m.seen.contains_key(&from) || m.store.seen.contains_key(&from) || !m.store.full() {
                local(&mut m, req, &from)?
            } else {
                (start, Some(limit_reached(m.limit)))
            };
        if n == 0 {
            x = end;
            verdict = why.clone();
        } else if m.candidates[end].kept && better(&m.candidates[end], Some(&m.candidates[x])) {
            x = end;
        }
        if m.store.full() {
            break;
        }
    }
    if m.candidates[x].kept {
        verdict = None;
    } else if let (Some(v), true) = (&verdict, combos.len() > 1) {
        verdict = Some(format!("{v} (from every choice of the sites)"));
    }
    let kept_best = (0..m.candidates.len())
        .filter(|&i| m.candidates[i].kept)
        .reduce(|a, b| {
            if better(&m.candidates[b], Some(&m.candidates[a])) {
                b
            } else {
                a
            }
        });
    debug_assert!(verdict.is_some() || m.candidates[x].kept);
    Ok(Outcome {
        best: kept_best,
        start,
        simulated: m.store.simulated - simulated_before,
        candidates: m.candidates,
        verdict,
        costed,
    })
}

/// The greedy local search from `start`, the choices (sites) held where `start` has them: the
/// candidate it ends at, and why it found no plan (None when that candidate keeps the targets).
fn local<F: FnMut(&[i64]) -> Result<Candidate, Error>>(
    m: &mut Memory<'_, '_, F>,
    req: &Request,
    start: &[i64],
) -> Result<(usize, Option<String>), Error> {
    let conf = req.confidence;
    let knobs = &req.knobs;
    let mut x = m.get(start)?.expect("a limit of at least 1");
    let mut verdict = None;
    // 1. Up, until the targets are kept.
    while !m.candidates[x].kept {
        let here = m.candidates[x].clone();
        let mut best: Option<(f64, f64, usize)> = None; // (rate, shortfall left, candidate)
        let mut any = false;
        let ups = steps(knobs, &here.values, true);
        for v in ups {
            any = true;
            let Some(i) = m.get(&v)? else {
                verdict = Some(limit_reached(m.limit));
                break;
            };
            let c = &m.candidates[i];
            if c.refused.is_some() {
                continue;
            }
            let closed = here.shortfall(conf) - c.shortfall(conf);
            let dearer = (c.cost - here.cost).max(1e-9);
            let rate = if closed > 0.0 { closed / dearer } else { 0.0 };
            let left = c.shortfall(conf);
            let better = match best {
                None => true,
                Some((r, l, _)) => rate > r || (rate == r && rate == 0.0 && left < l),
            };
            if better {
                best = Some((rate, left, i));
            }
        }
        if verdict.is_some() {
            break;
        }
        match best {
            Some((_, _, i)) => x = i,
            None => {
                verdict = Some(if any {
                    "every step up from here is refused by the scenario's own checks".to_string()
                } else {
                    "every knob is at the top of its range and the targets are still missed: widen the ranges (--vary) or ask for less".to_string()
                });
                break;
            }
        }
    }
    if verdict.is_none() {
        // 2 and 3. Down, then exchanges, while something cheaper keeps the targets.
        'improve: loop {
            loop {
                let here = m.candidates[x].clone();
                let mut best: Option<usize> = None;
                let downs = steps(knobs, &here.values, false);
                for v in downs {
                    let Some(i) = m.get(&v)? else {
                        break 'improve;
                    };
                    let c = &m.candidates[i];
                    if c.kept && c.cost < here.cost && better(c, best.map(|b| &m.candidates[b])) {
                        best = Some(i);
                    }
                }
                match best {
                    Some(i) => x = i,
                    None => break,
                }
            }
            let here = m.candidates[x].clone();
            let mut moves: Vec<Vec<i64>> = Vec::new();
            // Exchanges between numbers (choices are fixed for the whole local search).
            let numbers: Vec<usize> = (0..knobs.len())
                .filter(|&k| knobs[k].choices.is_empty())
                .collect();
            for &up in &numbers {
                for &down in &numbers {
                    if up == down {
                        continue;
                    }
                    let mut v = here.values.clone();
                    v[up] += knobs[up].step;
                    v[down] -= knobs[down].step;
                    if v[up] <= knobs[up].to && v[down] >= knobs[down].from {
                        moves.push(v);
                    }
                }
            }
            let mut best: Option<usize> = None;
            for v in moves {
                let Some(i) = m.get(&v)? else {
                    break 'improve;
                };
                let c = &m.candidates[i];
                if c.kept && c.cost < here.cost && better(c, best.map(|b| &m.candidates[b])) {
                    best = Some(i);
                }
            }
            match best {
                Some(i) => x = i,
                None => break,
            }
        }
    }
    if verdict.is_none() && !m.candidates[x].kept {
        verdict = Some(limit_reached(m.limit));
    }
    Ok((x, verdict))
}

/// Why the search stopped at its limit, in words.
fn limit_reached(n: usize) -> String {
    format!("the search reached its limit of {n} simulations (--max-simulations) before it settled")
}

/// The candidates one step up (or down) from `values` in one number each (choices are held).
fn steps(knobs: &[Knob], values: &[i64], up: bool) -> Vec<Vec<i64>> {
    (0..knobs.len())
        .filter(|&k| knobs[k].choices.is_empty())
        .flat_map(|k| {
            let next = if up {
                knobs[k].ups(values[k])
            } else {
                knobs[k].downs(values[k])
            };
            next.into_iter().map(move |u| (k, u))
        })
        .map(|(k, u)| {
            let mut v = values.to_vec();
            v[k] = u;
            v
        })
        .collect()
}

/// Whether `c` is a better plan than `than`: cheaper, or as cheap with more margin.
fn better(c: &Candidate, than: Option<&Candidate>) -> bool {
    match than {
        None => true,
        Some(t) => c.cost < t.cost || (c.cost == t.cost && c.margin() > t.margin()),
    }
}

/// The scenario file as `optimise` reads it: its text, where it came from, and its tree.
pub struct Base {
    pub text: String,
    pub source: Source,
    pub tree: Value,
}

impl Base {
    /// Reads a TOML scenario file (or the built-in default when `path` is None).
    pub fn load(path: Option<&std::path::Path>) -> Result<Base, Error> {
        let (text, source) = match path {
            None => (
                crate::scenario::DEFAULT_SCENARIO.to_string(),
                Source {
                    label: crate::scenario::DEFAULT_LABEL.into(),
                    dir: None,
                    format: Format::Toml,
                },
            ),
            Some(p) => {
                let label = p.display().to_string();
                if p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
                {
                    return Err(InputError::new(
                        &label,
                        "",
                        "optimise writes its plan as the scenario's own TOML file with the values changed, so it takes a TOML scenario; write this one as TOML",
                    )
                    .into());
                }
                let text = crate::scenario::input::read_text(
                    p,
                    crate::scenario::input::MAX_SCENARIO_BYTES,
                )
                .map_err(|e| {
                    InputError::new(&label, "", format!("cannot read the scenario file: {e}"))
                })?;
                let dir = p.parent().map(|d| {
                    if d.as_os_str().is_empty() {
                        std::path::PathBuf::from(".")
                    } else {
                        d.to_path_buf()
                    }
                });
                (
                    text,
                    Source {
                        label,
                        dir,
                        format: Format::Toml,
                    },
                )
            }
        };
        // Checked as it stands first: its own errors come with their lines.
        Scenario::parse(&text, &source)?;
        let tree = overrides::tree(&text, &source)?;
        Ok(Base { text, source, tree })
    }
}

/// The plan as a scenario file: the base scenario's own text, comments kept, with each knob's
/// value set, under a head comment saying what it keeps.
pub fn plan_toml(base: &Base, knobs: &[Knob], values: &[i64], head: &str) -> Result<String, Error> {
    let mut doc: toml_edit::DocumentMut =
        base.text.parse().map_err(|e: toml_edit::TomlError| {
            InputError::new(&base.source.label, "", format!("cannot be rewritten: {e}"))
        })?;
    for (k, &v) in knobs.iter().zip(values) {
        let mut item = doc.as_item_mut();
        for s in &k.steps {
            item = match s {
                Step::Key(key) => &mut item[key.as_str()],
                Step::Index(i) => &mut item[*i],
            };
        }
        let mut value = if k.choices.is_empty() {
            toml_edit::Value::from(v)
        } else {
            let c = &k.choices[v as usize];
            toml_edit::Value::Array([c.x, c.y].into_iter().collect())
        };
        if let Some(slot) = item.as_value_mut() {
            *value.decor_mut() = slot.decor().clone();
            *slot = value;
        } else {
            *item = toml_edit::Item::Value(value);
        }
    }
    Ok(format!("{head}\n{doc}"))
}

#[cfg(test)]
mod tests;
