//! Appointment sessions: where and when officers see callers by appointment (scheduled, E).

use super::sectors::Names;
use crate::scenario::file::ScenarioFile;
use crate::scenario::locate::FieldPath;
use crate::scenario::response::AppointmentSession;
use crate::scenario::validate::check::{Check, days};
use crate::time::DAY;

/// The appointment sessions, each in a known sector.
pub(super) fn appointments(
    c: &mut Check,
    f: &ScenarioFile,
    names: &Names,
) -> Vec<AppointmentSession> {
    let root = FieldPath::root();
    let sector_names = &names.list;
    let mut appointments = Vec::new();
    for (i, a) in f.roster.appointments.iter().enumerate() {
        let ap = root.key("roster").key("appointments").index(i);
        let Some(sector) = names.index(&a.sector) else {
            c.bad(
                &ap.key("sector"),
                format!(
                    "unknown sector \"{}\"; the sectors are: {sector_names}",
                    a.sector
                ),
            );
            continue;
        };
        if a.length.0 > DAY {
            c.bad(
                &ap.key("length"),
                format!("a session's length must be at most 24h (got {})", a.length),
            );
        }
        if a.slot.0 < crate::time::MINUTE {
            c.bad(
                &ap.key("slot"),
                format!("an appointment slot must be at least 1min (got {})", a.slot),
            );
        }
        if a.slot.0 == 0 || a.slot > a.length {
            c.bad(
                &ap.key("slot"),
                format!(
                    "slot must be more than 0 and at most the session's length ({})",
                    a.length
                ),
            );
        }
        if !(1..=10_000).contains(&a.officers) {
            c.bad(
                &ap.key("officers"),
                format!("a session needs at least 1 officer (got {})", a.officers),
            );
        }
        appointments.push(AppointmentSession {
            sector,
            start: a.start,
            length: a.length,
            days: days(c, &ap.key("days"), a.days.as_deref()),
            slot: a.slot,
            officers: a.officers.clamp(1, 10_000) as u32,
        });
    }
    appointments
}
