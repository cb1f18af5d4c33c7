//! A replication run to its end, its progress reported in simulated time along the way.

use super::*;

/// Events between two reports of a replication's progress: often enough for a bar to move
/// several times a second, rarely enough to cost nothing measurable.
pub const PROGRESS_EVERY: u64 = 1 << 16;

impl ContactCentre<'_> {
    /// Runs the replication to the end of draining.
    pub fn run(self) -> (ReplicationResult, Option<Trace>) {
        self.run_with_progress(|_| {})
    }

    /// Runs the replication to the end of draining, calling `report` with the simulated time
    /// every [`PROGRESS_EVERY`] events (for a progress bar: it sees the clock, nothing else,
    /// and changes nothing the replication does).
    pub fn run_with_progress(
        mut self,
        report: impl FnMut(Time),
    ) -> (ReplicationResult, Option<Trace>) {
        let mut q = EventQueue::new();
        self.start(&mut q);
        let events = engine::run_reporting(&mut self, &mut q, PROGRESS_EVERY, report);
        if let Some(why) = self.overload(&q) {
            let (mut result, trace) = self.finish(q.now(), events);
            result.overload = Some(why);
            return (result, trace);
        }
        // Stopped by the drain limit with calls or incidents outstanding: they waited until it.
        let outstanding = self.outstanding + self.field.as_ref().map_or(0, |f| f.outstanding);
        let mut end = if outstanding > 0 {
            self.drain_end.max(q.now())
        } else {
            q.now().max(self.horizon)
        };
        if let Some((n, work_end)) = self.field.as_ref().and_then(|f| f.work_outstanding()) {
            if n > 0 {
                end = end.max(work_end);
            }
        }
        self.finish(end, events)
    }
}
