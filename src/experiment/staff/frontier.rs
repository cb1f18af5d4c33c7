//! The cost curve of a staffing (`staff --frontier`): the search once for each required share
//! of one target, on the same seeds, each point taking the cheapest roster found for its share
//! or a higher one.

use super::{Aim, Request, Staffing, search};
use crate::error::Error;
use crate::experiment::RunOptions;
use crate::scenario::{ChannelKind, Scenario};

/// One point of a cost curve: the search for one required share of the swept target, the
/// other targets as asked.
#[derive(Clone, Debug)]
pub struct FrontierPoint {
    pub channel: ChannelKind,
    pub required: f64,
    pub staffing: Staffing,
    /// When a dearer search's answer was bettered by the roster found for a higher share
    /// (which keeps this share too, on the same seeds): that share; the staffing is then that
    /// roster's.
    pub roster_of: Option<f64>,
}

/// The cost curve of `channel`'s target: the search run once for each of `shares` (in order),
/// on the same seeds, every other target and rule as in `req`.
pub fn frontier(
    sc: &Scenario,
    req: &Request,
    channel: ChannelKind,
    shares: &[f64],
    opts: &RunOptions,
) -> Result<Vec<FrontierPoint>, Error> {
    shares
        .iter()
        .map(|&share| {
            let mut r = req.clone();
            match r
                .targets
                .iter_mut()
                .find(|(c, _)| *c == Aim::Answer(channel))
            {
                Some(t) => t.1 = share,
                None => r.targets.push((Aim::Answer(channel), share)),
            }
            search(sc, &r, opts).map(|staffing| FrontierPoint {
                channel,
                required: share,
                staffing,
                roster_of: None,
            })
        })
        .collect::<Result<Vec<_>, Error>>()
        .map(dominate)
}

/// A roster that keeps a higher share in `confidence` of replications keeps every lower one
/// too (on the same seeds): each point takes the cheapest roster found for its share or any
/// higher one, so that the curve never falls as the share rises.
fn dominate(mut points: Vec<FrontierPoint>) -> Vec<FrontierPoint> {
    let cost = |p: &FrontierPoint| p.staffing.design.as_ref().map(|d| d.cost);
    // Points in order of share, highest first.
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[b].required.total_cmp(&points[a].required));
    let mut best: Option<usize> = None;
    for k in order {
        match (best, cost(&points[k])) {
            (Some(b), c) if cost(&points[b]).is_some_and(|cb| c.is_none_or(|c| cb < c)) => {
                points[k].staffing = points[b].staffing.clone();
                points[k].roster_of = Some(points[b].roster_of.unwrap_or(points[b].required));
            }
            (_, Some(_)) => best = Some(k),
            _ => {}
        }
    }
    points
}

/// The shares of a cost curve, `ID=FROM:TO:STEP` (e.g. `T1=0.80:0.95:0.05`): from FROM to TO
/// by STEP, both ends included, at most [`FRONTIER_POINTS`]; every problem named.
pub fn parse_frontier(text: &str) -> Result<(ChannelKind, Vec<f64>), String> {
    let form = "write ID=FROM:TO:STEP, e.g. T1=0.80:0.95:0.05 (T1: 999 calls, T2: non-emergency)";
    let (id, shares) = crate::experiment::curve::parse(text, form)?;
    let channel = match id.as_str() {
        "T1" => ChannelKind::Emergency,
        "T2" => ChannelKind::NonEmergency,
        other => {
            return Err(format!(
                "\"{other}\": a cost curve is drawn for an answering target, T1 (999) or T2 (non-emergency)"
            ));
        }
    };
    Ok((channel, shares))
}

/// The most points of a cost curve.
pub const FRONTIER_POINTS: usize = crate::experiment::curve::MAX_POINTS;
