//! The memory guard (see [`crate::model::MAX_WAITING`]), checked before each event: a
//! replication whose queues grow past the caps stops, naming the overloaded resource.

use super::*;

impl ContactCentre<'_> {
    pub(super) fn calls_waiting(&self) -> usize {
        self.queues.iter().map(|c| c.items.len()).sum()
    }

    pub(super) fn incidents_waiting(&self) -> usize {
        self.field.as_ref().map_or(0, |f| f.outstanding as usize)
    }

    #[inline]
    pub(super) fn over_cap(&self, q: &EventQueue<Event>) -> bool {
        self.calls_waiting() > crate::model::MAX_WAITING
            || self.incidents_waiting() > crate::model::MAX_WAITING
            || q.len() > crate::model::MAX_PENDING_EVENTS
    }

    /// Why the guard stopped the run, naming the overloaded resource; None if it did not.
    pub(super) fn overload(&self, q: &EventQueue<Event>) -> Option<String> {
        let days = q.now() as f64 / crate::time::DAY as f64;
        let (what, n, cap) = if self.calls_waiting() > crate::model::MAX_WAITING {
            (
                "calls waiting for a call handler",
                self.calls_waiting(),
                crate::model::MAX_WAITING,
            )
        } else if self.incidents_waiting() > crate::model::MAX_WAITING {
            (
                "incidents waiting for a response unit",
                self.incidents_waiting(),
                crate::model::MAX_WAITING,
            )
        } else if q.len() > crate::model::MAX_PENDING_EVENTS {
            (
                "events pending (calls, incidents and work in progress)",
                q.len(),
                crate::model::MAX_PENDING_EVENTS,
            )
        } else {
            return None;
        };
        Some(format!(
            "replication {} stopped after {days:.1} days of simulated time with {n} {what} (at most {cap} allowed): \
             the scenario is overloaded far beyond what its staff can handle, and its queues would \
             fill the memory; add handlers or units, lower the demand, or give callers patience",
            self.result.replication
        ))
    }
}
