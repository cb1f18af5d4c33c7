//! What one replication measures: counters and histograms, no per-call records.

use crate::stats::Histogram;
use crate::time::Time;

/// Counts for calls of one channel arriving in one hour of the week (or overall).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub offered: u64,
    pub answered: u64,
    /// Answered with a wait at most the target (inclusive).
    pub within: u64,
    pub abandoned: u64,
    /// Abandoned after waiting longer than the target.
    pub abandoned_after: u64,
    /// Still waiting when the drain limit ended the run.
    pub unresolved: u64,
    /// Sum of answered calls' waits.
    pub wait_answered_ms: u64,
    /// Sum of all resolved and unresolved calls' time in queue (abandoned: until hanging up).
    pub wait_all_ms: u64,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.offered += o.offered;
        self.answered += o.answered;
        self.within += o.within;
        self.abandoned += o.abandoned;
        self.abandoned_after += o.abandoned_after;
        self.unresolved += o.unresolved;
        self.wait_answered_ms += o.wait_answered_ms;
        self.wait_all_ms += o.wait_all_ms;
    }

    /// The headline share: answered within target / (answered + abandoned after target +
    /// unresolved). Callers who hang up within the target time are excluded.
    pub fn headline(&self) -> f64 {
        ratio(
            self.within,
            self.answered + self.abandoned_after + self.unresolved,
        )
    }
}

/// a / b, NaN when b is 0 (undefined, skipped in summaries).
pub fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

#[derive(Clone, Debug, Default)]
pub struct ChannelResult {
    /// Whether the scenario has demand on this channel.
    pub present: bool,
    pub target_ms: u64,
    pub total: Counts,
    pub hourly: Vec<Counts>,
    /// Waits of answered calls.
    pub answer_hist: Histogram,
    /// Waits of callers who hung up.
    pub abandon_hist: Histogram,
    /// Time-integral of the number of this channel's callers waiting, over the measurement window.
    pub queue_area: u64,
    /// Callers, counting each caller once however many times they call.
    pub callers: CallerCounts,
    /// Staged handling: measured calls whose journey ended (closed at a stage, answered by a
    /// call-taker, or lost after their answer), and their summed time in queues.
    pub ended: u64,
    pub total_wait_ms: u64,
}

/// What one stage of staged handling measured (or, for staged calls, the call-takers' queue).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StageCounts {
    pub offered: u64,
    pub answered: u64,
    /// Answered within the channel's target of reaching this stage.
    pub within: u64,
    pub abandoned: u64,
    pub wait_ms: u64,
    pub transferred: u64,
    pub closed: u64,
    pub busy_ms: u64,
    pub on_duty_ms: u64,
}

/// Measured callers (whose first attempt arrived in the window) of one channel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallerCounts {
    pub callers: u64,
    /// Attempts, first ones included.
    pub attempts: u64,
    pub answered: u64,
    /// Answered within the target from their first attempt.
    pub within: u64,
    /// Hung up and did not call again.
    pub lost: u64,
    /// Sum of the answered callers' time from first attempt to answer.
    pub wait_ms: u64,
}

/// Silent and accidental 999 calls arriving in the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SilentCounts {
    pub offered: u64,
    pub answered: u64,
    pub wait_ms: u64,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct CallbackCounts {
    /// Call-backs created by measured abandoned 999 calls.
    pub created: u64,
    pub started: u64,
    pub wait_ms: u64,
    /// Call-backs not made because the caller called again and was answered first.
    pub cancelled: u64,
    /// Call-backs that found an abandoned emergency (each creates its incident).
    pub found_emergencies: u64,
}

/// 999 calls passed to a partner control room (measured attempts).
#[derive(Clone, Debug, Default)]
pub struct OverflowCounts {
    /// Attempts passed to the partner.
    pub transferred: u64,
    /// Attempts that would have gone but found every partner line in use.
    pub refused: u64,
    /// Attempts the partner answered, and those it answered within the 999 target.
    pub partner_answered: u64,
    pub partner_within: u64,
}

/// Overtime call-ins of call handlers whose staff start in the measured window.
#[derive(Clone, Debug, Default)]
pub struct OvertimeCounts {
    /// Call-ins made.
    pub call_ins: u64,
    /// Person-time they are paid for (staff x length), in ms.
    pub staff_ms: u64,
    /// Times a call-in was due but a cap held it back.
    pub held_back: u64,
}

#[derive(Clone, Debug, Default)]
pub struct ReplicationResult {
    pub replication: u32,
    pub seed: u64,
    /// Indexed by channel: 999, non-emergency.
    pub channels: [ChannelResult; 2],
    pub callbacks: CallbackCounts,
    pub overflow: OverflowCounts,
    pub overtime: OvertimeCounts,
    pub silent: SilentCounts,
    /// Staged handling: each stage, in the scenario's order, and the call-takers' queue as
    /// staged calls saw it.
    pub stages: Vec<StageCounts>,
    pub call_takers: StageCounts,
    /// Handler-milliseconds busy, by hour of week, over the measurement window.
    pub busy_ms: Vec<u64>,
    /// Handler-milliseconds on duty and not on a break, by hour of week.
    pub staffed_ms: Vec<u64>,
    /// Length of the measurement window (warm-up end to horizon).
    pub window_ms: u64,
    /// Events that changed the model's state.
    pub events: u64,
    /// Calls simulated, warm-up and all.
    pub calls: u64,
    /// Simulated time at which the run ended (after draining).
    pub end_time: Time,
    /// The field side's measures, when the scenario has one.
    pub response: Option<super::field::ResponseResult>,
    /// Why the replication was stopped by the memory guard ([`super::MAX_WAITING`]), naming
    /// the overloaded resource; None when it ran to its end. A stopped replication's figures
    /// are not results.
    pub overload: Option<String>,
    /// Why the per-call records could not be written (`run --records`), when they could not.
    pub records_error: Option<String>,
}
