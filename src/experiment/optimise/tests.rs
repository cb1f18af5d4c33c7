//! The search on made-up models whose optimum is known.
use super::*;

fn knob(path: &str, from: i64, to: i64, own: i64) -> Knob {
    Knob {
        path: path.into(),
        steps: overrides::parse_path(path).unwrap(),
        from,
        to,
        step: 1,
        own: Some(own),
        choices: Vec::new(),
    }
}

/// A model whose target share rises with units in two sectors at different prices: the
/// search finds the cheapest pair that keeps it, the one found by trying every pair.
#[test]
fn the_search_finds_the_cheapest_pair_that_keeps_the_target() {
    let price = [3.0, 2.0];
    let share = |v: &[i64]| 1.0 - 0.5f64.powf(v[0] as f64 * 0.7 + v[1] as f64 * 0.5);
    let fake = |v: &[i64]| -> Result<Candidate, Error> {
        let s = share(v);
        let f = Figure {
            id: "T3".into(),
            required: 0.9,
            mean: s,
            ci_low: s - 0.01,
            ci_high: s + 0.01,
            sd: 0.01,
            reps_meeting: 0.0,
            reps_meeting_cautious: 0.0,
            reps: vec![s; 10],
        };
        Ok(Candidate {
            values: v.to_vec(),
            cost: v[0] as f64 * price[0] + v[1] as f64 * price[1],
            fte: 0.0,
            kept: false,
            figures: vec![f],
            refused: None,
        })
    };
    let req = Request {
        goals: vec![Goal {
            id: "T3".into(),
            share: 0.9,
        }],
        confidence: 0.8,
        knobs: vec![knob("a", 0, 12, 1), knob("b", 0, 12, 1)],
        max_simulations: 500,
        start: Start::default(),
        frontier: None,
    };
    let mut written = Vec::new();
    let out = search(&req, true, Vec::new(), fake, &mut |c| {
        written.push(c.values.clone());
        Ok(())
    })
    .unwrap();
    let mut cheapest: Option<Candidate> = None;
    for a in 0..=12 {
        for b in 0..=12 {
            let c = fake(&[a, b]).unwrap().at(&req.goals, req.confidence);
            if c.kept && cheapest.as_ref().is_none_or(|t| better(&c, Some(t))) {
                cheapest = Some(c);
            }
        }
    }
    let best = &out.candidates[out.best.unwrap()];
    assert_eq!(best.values, cheapest.unwrap().values);
    assert_eq!(written.len(), out.candidates.len());
    // Resumed from the first half, the search asks for the same candidates in the same order
    // and simulates only the rest.
    let half = out.candidates.len() / 2;
    let mut again = Vec::new();
    let resumed = search(
        &req,
        true,
        out.candidates[..half].to_vec(),
        fake,
        &mut |c| {
            again.push(c.values.clone());
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(again, written);
    assert_eq!(resumed.simulated, out.candidates.len() - half);
    assert_eq!(resumed.best, out.best);
}

/// Ranges too narrow for the target give a verdict, with no plan.
#[test]
fn a_target_out_of_reach_is_a_verdict() {
    let fake = |v: &[i64]| -> Result<Candidate, Error> {
        Ok(Candidate {
            values: v.to_vec(),
            cost: v[0] as f64,
            fte: 0.0,
            figures: vec![Figure {
                id: "T3".into(),
                required: 0.9,
                mean: 0.5,
                ci_low: 0.49,
                ci_high: 0.51,
                sd: 0.01,
                reps_meeting: 0.0,
                reps_meeting_cautious: 0.0,
                reps: vec![0.5; 10],
            }],
            kept: false,
            refused: None,
        })
    };
    let req = Request {
        goals: vec![Goal {
            id: "T3".into(),
            share: 0.9,
        }],
        confidence: 0.8,
        knobs: vec![knob("a", 0, 3, 1)],
        max_simulations: 100,
        start: Start::default(),
        frontier: None,
    };
    let out = search(&req, true, Vec::new(), fake, &mut |_| Ok(())).unwrap();
    assert!(out.verdict.unwrap().contains("top of its range"));
    assert_eq!(out.best, None);
    assert_eq!(out.candidates.len(), 3, "1, 2 and 3");
}
