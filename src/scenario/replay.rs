//! Trace replay: a call log's calls in place of the channels' own arrivals.
//!
//! Rules, in one place:
//! - The log is read once, when the scenario is validated; the model gets typed calls (time,
//!   ward, grade, category and, with `durations`, handling time and time on scene) and reads
//!   no file.
//! - A call's place in the run is its civil time on the simulation's calendar (every day 24
//!   hours, the rule the fit applies): a call at 08:30 on the run's first Monday arrives at
//!   08:30 of that Monday. Calls outside the run's period, silent calls and redials are not
//!   replayed (the scenario makes its own silent calls and redials); each is counted.
//! - A records file with several replications: replication r replays the log's replication r
//!   (modulo their number); a force's log is replayed by every replication.
//! - Whatever the trace does not give is drawn from the same streams as without it, one draw
//!   per call as always: patience, the point within the ward, two units, the CAD lead-in,
//!   travel factors, and handling and on-scene times without `durations` or where the log has
//!   none.

use super::response::FixedCall;
use serde::Serialize;
use std::sync::Arc;

/// One replayed call: its arrival (ms from the run's start), the attributes the log gives,
/// and its handling time when taken from the log.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceCall {
    pub at: u64,
    pub given: FixedCall,
    pub handling: Option<u64>,
}

/// The calls of each of the log's replications, per channel (999, non-emergency), in order of
/// arrival.
pub type Trace = Vec<[Vec<TraceCall>; 2]>;

/// What the log shows for the measured period, per log replication: the counts behind the
/// figures written beside the replayed ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Observed {
    /// Per channel (999, non-emergency): attempts offered, answered, answered within the
    /// target, abandoned, abandoned after the target, neither answered nor abandoned.
    pub offered: [u64; 2],
    pub answered: [u64; 2],
    pub within: [u64; 2],
    pub abandoned: [u64; 2],
    pub abandoned_late: [u64; 2],
    pub unresolved: [u64; 2],
    /// Per grade (I, S): incidents created, and those whose first unit arrived within the
    /// target from the caller's first attempt (T3 by the ward's type).
    pub incidents: [u64; 2],
    pub attended_within: [u64; 2],
}

/// A trace replayed in place of the channels' arrivals.
#[derive(Clone, Debug, Serialize)]
pub struct Replay {
    /// The log, as the scenario names it.
    pub file: String,
    /// The SHA-256 of the log's bytes: a different log is a different scenario.
    pub sha256: String,
    pub durations: bool,
    /// The log's replications (1 for a force's log).
    pub log_replications: u32,
    /// First attempts replayed, per channel, over all the log's replications.
    pub calls: [u64; 2],
    /// Calls given a handling time and a time on scene from the log.
    pub handling_given: u64,
    pub on_scene_given: u64,
    /// Rows not replayed, by reason.
    pub skipped: Vec<(String, u64)>,
    /// The log's own figures over the run's measured period, per log replication.
    pub observed: Vec<Observed>,
    /// The calls themselves (not written out: the hash above stands for them).
    #[serde(skip)]
    pub trace: Arc<Trace>,
}

impl Replay {
    /// The calls replication `replication` replays on channel `ch`.
    pub fn calls_of(&self, replication: u32, ch: usize) -> &[TraceCall] {
        let n = self.trace.len().max(1);
        self.trace
            .get(replication as usize % n)
            .map_or(&[][..], |c| &c[ch][..])
    }
}
