//! The cost curve of a target (`optimise --frontier T3=0.6:0.9:0.05`): what each share of it
//! costs, the other targets held as asked.
//!
//! After the search for the plan, the search is run once more for each share of the swept
//! target, in order, from the same start, on the same [`Store`] of candidates: a candidate is
//! simulated once, whichever search asks for it, and each search holds it to its own share
//! from the replications' own values ([`super::Figure::at`]), exactly as a run with that share
//! would. The seeds are the scenario's, so every candidate sees the same calls.
//!
//! A point's plan is then the cheapest candidate of all those simulated (by any of the
//! searches) that keeps the targets at the point's share: on the same replications, a
//! candidate that keeps a share keeps every lower one (its replications meeting can only grow
//! and its cautious estimate only rise as the share falls), so the curve never falls as the
//! share rises, and a point is never dearer than its own search's plan.

use super::{Candidate, Goal, Outcome, Request, Store, better, search_in};
use crate::error::Error;

/// The target swept and its shares, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    pub id: String,
    pub shares: Vec<f64>,
}

/// One point of the curve.
#[derive(Clone, Debug)]
pub struct Point {
    pub share: f64,
    /// The cheapest candidate simulated that keeps the targets at this share: its place among
    /// the store's candidates (its line in candidates.jsonl), held to them.
    pub plan: Option<(usize, Candidate)>,
    /// Candidates this share's search asked for, and of them those no search had asked for
    /// before (the candidates it added to candidates.jsonl).
    pub asked: usize,
    pub added: usize,
    /// Why no candidate keeps this share (None when one does).
    pub verdict: Option<String>,
}

/// `req` with the swept target held to `share`.
pub fn request_at(req: &Request, id: &str, share: f64) -> Request {
    let mut r = req.clone();
    match r.goals.iter_mut().find(|g| g.id == id) {
        Some(g) => g.share = share,
        None => r.goals.push(Goal {
            id: id.to_string(),
            share,
        }),
    }
    r
}

/// Runs the search for each share of `sweep` on `store` and gives the curve's points.
pub fn frontier<F: FnMut(&[i64]) -> Result<Candidate, Error>>(
    store: &mut Store<'_, F>,
    req: &Request,
    costed: bool,
    sweep: &Sweep,
) -> Result<Vec<Point>, Error> {
    let mut searched: Vec<(Request, Outcome, usize)> = Vec::new();
    for &share in &sweep.shares {
        let r = request_at(req, &sweep.id, share);
        let before = store.candidates().len();
        let out = search_in(store, &r, costed)?;
        let added = store.candidates().len() - before;
        searched.push((r, out, added));
    }
    Ok(searched
        .into_iter()
        .map(|(r, out, added)| {
            let share = r
                .goals
                .iter()
                .find(|g| g.id == sweep.id)
                .map_or(0.0, |g| g.share);
            let plan = cheapest(store.candidates(), &r.goals, r.confidence);
            Point {
                share,
                verdict: if plan.is_some() {
                    None
                } else {
                    Some(
                        out.verdict.clone().unwrap_or_else(|| {
                            "no candidate simulated keeps the targets".to_string()
                        }),
                    )
                },
                plan,
                asked: out.candidates.len(),
                added,
            }
        })
        .collect())
}

/// The cheapest of `all` that keeps `goals` at `confidence` (of two as cheap, the one with
/// more margin; of two as good, the first), held to them.
pub fn cheapest(all: &[Candidate], goals: &[Goal], confidence: f64) -> Option<(usize, Candidate)> {
    let mut best: Option<(usize, Candidate)> = None;
    for (i, c) in all.iter().enumerate() {
        let c = c.at(goals, confidence);
        if c.kept && better(&c, best.as_ref().map(|(_, b)| b)) {
            best = Some((i, c));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::super::{Figure, Start, knobs::Knob, search};
    use super::*;
    use crate::scenario::overrides;

    fn knob(path: &str) -> Knob {
        Knob {
            path: path.into(),
            steps: overrides::parse_path(path).unwrap(),
            from: 0,
            to: 14,
            step: 1,
            own: Some(1),
            choices: Vec::new(),
        }
    }

    /// A model of two knobs at different prices whose T3 rises with both, its 10 replications
    /// spread evenly about the mean (so every share's count of replications meeting is exact).
    fn fake(v: &[i64]) -> Result<Candidate, Error> {
        let mean = 1.0 - 0.5f64.powf(v[0] as f64 * 0.7 + v[1] as f64 * 0.5);
        let reps: Vec<f64> = (0..10).map(|k| mean + (k as f64 - 4.5) * 0.002).collect();
        let f = Figure {
            id: "T3".into(),
            required: 0.9,
            mean,
            ci_low: mean - 0.002,
            ci_high: mean + 0.002,
            sd: 0.006,
            reps_meeting: 0.0,
            reps_meeting_cautious: 0.0,
            reps,
        };
        Ok(Candidate {
            values: v.to_vec(),
            cost: v[0] as f64 * 3.0 + v[1] as f64 * 2.0,
            fte: 0.0,
            figures: vec![f],
            kept: false,
            refused: None,
        })
    }

    fn request(share: f64) -> Request {
        Request {
            goals: vec![Goal {
                id: "T3".into(),
                share,
            }],
            confidence: 0.8,
            knobs: vec![knob("a"), knob("b")],
            max_simulations: 500,
            start: Start::default(),
            frontier: None,
        }
    }

    /// Each point is the cheapest of every allocation that keeps its share (found by trying
    /// all 225), the curve never falls, no candidate is simulated twice, and the curve costs
    /// fewer simulations than searching each share alone.
    #[test]
    fn each_point_is_the_cheapest_allocation_and_no_candidate_is_simulated_twice() {
        let sweep = Sweep {
            id: "T3".into(),
            shares: vec![0.8, 0.85, 0.9, 0.95, 0.99],
        };
        let req = request(0.9);
        let mut calls: Vec<Vec<i64>> = Vec::new();
        let mut added = 0usize;
        let mut on_new = |_: &Candidate| -> Result<(), Error> {
            added += 1;
            Ok(())
        };
        let simulate = |v: &[i64]| {
            calls.push(v.to_vec());
            fake(v)
        };
        let mut store = Store::new(Vec::new(), simulate, &mut on_new, req.max_simulations);
        let plan = search_in(&mut store, &req, true).unwrap();
        let points = frontier(&mut store, &req, true, &sweep).unwrap();
        let in_store = store.candidates().len();
        drop(store);
        assert!(plan.best.is_some());
        let mut unique = calls.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), calls.len(), "a candidate simulated twice");
        assert_eq!(calls.len(), in_store);
        assert_eq!(added, in_store);
        let mut alone = 0usize;
        let mut last = f64::NEG_INFINITY;
        for p in &points {
            let goals = request(p.share).goals;
            let mut brute: Option<Candidate> = None;
            for a in 0..=14 {
                for b in 0..=14 {
                    let c = fake(&[a, b]).unwrap().at(&goals, 0.8);
                    if c.kept && better(&c, brute.as_ref()) {
                        brute = Some(c);
                    }
                }
            }
            let (_, got) = p.plan.as_ref().expect("a plan");
            let brute = brute.expect("some allocation keeps it");
            // The same cost (of allocations as cheap, the search may hold another).
            assert_eq!(
                got.cost, brute.cost,
                "share {}: {:?} against {:?}",
                p.share, got.values, brute.values
            );
            assert!(got.cost >= last, "the curve falls at {}", p.share);
            last = got.cost;
            // The search at this share alone finds no cheaper plan.
            let own = search(&request(p.share), true, Vec::new(), fake, &mut |_| Ok(())).unwrap();
            assert!(got.cost <= own.candidates[own.best.unwrap()].cost);
            alone += own.candidates.len();
        }
        assert!(
            in_store < alone,
            "{in_store} against {alone} searched alone"
        );
    }

    /// A figure held to another share counts its replications against it.
    #[test]
    fn a_figure_at_another_share_counts_its_replications_again() {
        let c = fake(&[3, 2]).unwrap();
        let f = &c.figures[0];
        let below = f.reps[2];
        let g = f.at(below);
        assert_eq!(g.reps_meeting, 0.8);
        assert_eq!(g.required, below);
        assert_eq!(f.at(0.0).reps_meeting, 1.0);
        assert_eq!(f.at(1.0).reps_meeting, 0.0);
        assert!(f.at(f.mean - 0.01).reps_meeting_cautious > f.at(f.mean).reps_meeting_cautious);
    }
}
