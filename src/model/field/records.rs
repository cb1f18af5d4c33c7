//! The field side's part of the per-call records: its steps, with each unit named by its
//! serial number (slots are reused by later shifts; serials are not).

use super::{Field, Step};

impl Field<'_> {
    pub(super) fn record(&mut self, step: Step) {
        let serial = |f: &Self, u: u32| {
            if u == super::AID_UNIT {
                u
            } else {
                f.units[u].serial
            }
        };
        let step = match step {
            Step::Dispatched { at, call, unit } => Step::Dispatched {
                at,
                call,
                unit: serial(self, unit),
            },
            Step::Arrived { at, call, unit } => Step::Arrived {
                at,
                call,
                unit: serial(self, unit),
            },
            Step::Cleared { at, call, unit } => Step::Cleared {
                at,
                call,
                unit: serial(self, unit),
            },
            other => other,
        };
        if let Some(r) = &mut self.records {
            r.push(step);
        }
    }
}
