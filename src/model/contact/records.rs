//! The contact centre's end of the per-call records: switching them on, and closing the log
//! when the replication ends.

use super::*;
use crate::model::records::CallLog;

impl ContactCentre<'_> {
    /// Writes every call's row to `log` as its life ends (`run --records`).
    pub fn with_records(mut self, log: CallLog) -> Self {
        self.records = Some(Box::new(log));
        if let Some(f) = &mut self.field {
            f.records = Some(Vec::new());
        }
        self
    }

    /// Writes the rows still open and flushes the log; a write error is kept in the result.
    pub(super) fn finish_records(&mut self) {
        if let Some(r) = self.records.take() {
            if let Err(e) = r.finish() {
                self.result.records_error = Some(e.to_string());
            }
        }
    }
}

impl<'s> ContactCentre<'s> {
    /// The field side's last steps, when the replication ends.
    pub(super) fn take_steps(&mut self, f: &mut Field<'s>) {
        if let (Some(r), Some(steps)) = (&mut self.records, &mut f.records) {
            r.steps(steps);
        }
    }
}
