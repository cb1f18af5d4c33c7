//! Per-call records (`run --records`): one row per call attempt, in the shape of a force's
//! CAD export, written as each call's life ends so that memory holds only calls in flight.
//!
//! Rules, in one place:
//! - A row is an attempt: a first call, a redial (its own call id, the caller's first id), or
//!   a silent 999 call. Call-backs are not rows.
//! - A row is written when nothing more can happen to it: at the end of handling for a call
//!   with no incident (grade R, or a scenario without a field side), at the hang-up for an
//!   abandoned call, at creation for an appointment (grade E), and when the last unit the
//!   incident needs clears for grades I and S. An abandoned 999 call whose call-back will find
//!   its emergency is written when that incident is over. Rows still open when the
//!   replication ends are written then, in call order, with what happened so far.
//! - Times are integer milliseconds from the run's start and the same instant in local civil
//!   time on the simulation's calendar (every day 24 hours: clock changes are not applied).
//! - Of an incident's dispatches, the first unit sent and the first arrival are kept, with the
//!   number of dispatches (two-unit incidents and re-dispatches after a diversion count each);
//!   clearance is when the last unit it needed cleared.
//! - Warm-up calls are included, with `measured` false.

use super::field::{Draw, Step};
use crate::scenario::ChannelKind;
use crate::scenario::response::{CATEGORIES, GRADE_E, GRADE_R, GRADES};
use crate::time::{DAY, Date, HOUR, MINUTE, SECOND, Time};
use std::collections::BTreeMap;
use std::io::Write;

/// The columns of calls.csv.
pub const RECORDS_HEADER: [&str; 29] = [
    "replication",
    "seed",
    "call",
    "caller",
    "attempt",
    "channel",
    "silent",
    "measured",
    "ward",
    "grade",
    "category",
    "arrival_ms",
    "arrival_time",
    "answered_ms",
    "answered_time",
    "abandoned_ms",
    "abandoned_time",
    "handling_end_ms",
    "handling_end_time",
    "created_ms",
    "created_time",
    "dispatched_ms",
    "dispatched_time",
    "unit_arrived_ms",
    "unit_arrived_time",
    "cleared_ms",
    "cleared_time",
    "unit",
    "units",
];

#[derive(Clone, Copy)]
struct Incident {
    ward: u32,
    grade: u8,
    category: u8,
    needed: u8,
}

#[derive(Clone, Copy)]
struct Row {
    caller: u64,
    attempt: u16,
    channel: ChannelKind,
    silent: bool,
    measured: bool,
    incident: Option<Incident>,
    arrival: Time,
    answered: Option<Time>,
    abandoned: Option<Time>,
    handling_end: Option<Time>,
    created: Option<Time>,
    dispatched: Option<Time>,
    unit_arrived: Option<Time>,
    cleared: Option<Time>,
    unit: Option<u32>,
    units: u16,
    clears: u8,
}

/// One replication's call log, streamed to `out` (rows only; the header is the file's).
pub struct CallLog {
    out: Box<dyn Write + Send>,
    start_days: i64,
    replication: u32,
    seed: u64,
    /// Ward names, by index.
    wards: Vec<String>,
    open: BTreeMap<u64, Row>,
    line: Vec<u8>,
    error: Option<std::io::Error>,
}

impl CallLog {
    pub fn new(
        out: Box<dyn Write + Send>,
        start: Date,
        replication: u32,
        seed: u64,
        wards: Vec<String>,
    ) -> Self {
        CallLog {
            out,
            start_days: start.days_from_epoch(),
            replication,
            seed,
            wards,
            open: BTreeMap::new(),
            line: Vec::with_capacity(512),
            error: None,
        }
    }

    /// A call attempt reaches the force.
    #[allow(clippy::too_many_arguments)]
    pub fn arrive(
        &mut self,
        id: u64,
        caller: u64,
        attempt: u16,
        channel: ChannelKind,
        silent: bool,
        measured: bool,
        now: Time,
        draw: Option<&Draw>,
    ) {
        let incident = draw.map(|d| Incident {
            ward: d.ward,
            grade: d.grade,
            category: d.category,
            needed: if d.two_units { 2 } else { 1 },
        });
        self.open.insert(
            id,
            Row {
                caller,
                attempt,
                channel,
                silent,
                measured,
                incident,
                arrival: now,
                answered: None,
                abandoned: None,
                handling_end: None,
                created: None,
                dispatched: None,
                unit_arrived: None,
                cleared: None,
                unit: None,
                units: 0,
                clears: 0,
            },
        );
    }

    /// The call's answer is measured (by a call-taker or at a stage with people).
    pub fn answer(&mut self, id: u64, now: Time) {
        if let Some(r) = self.open.get_mut(&id) {
            r.answered.get_or_insert(now);
        }
    }

    /// A call-taker has the call from `now` until `end`; a call without an incident to come is
    /// over then.
    pub fn handled(&mut self, id: u64, now: Time, end: Time) {
        let Some(r) = self.open.get_mut(&id) else {
            return;
        };
        r.answered.get_or_insert(now);
        r.handling_end = Some(end);
        if r.silent || r.incident.is_none_or(|i| usize::from(i.grade) == GRADE_R) {
            self.close(id);
        }
    }

    /// The caller hangs up at `now`; the row stays open when a call-back will find its
    /// emergency (`found`).
    pub fn abandon(&mut self, id: u64, now: Time, found: bool) {
        let Some(r) = self.open.get_mut(&id) else {
            return;
        };
        r.abandoned.get_or_insert(now);
        if !found {
            self.close(id);
        }
    }

    /// The field side's steps since the last call (units given by their serial number).
    pub fn steps(&mut self, steps: &mut Vec<Step>) {
        for s in steps.drain(..) {
            self.step(s);
        }
    }

    fn step(&mut self, s: Step) {
        match s {
            Step::Created { at, call } => {
                if let Some(r) = self.open.get_mut(&call) {
                    r.created.get_or_insert(at);
                    if r.incident.is_some_and(|i| usize::from(i.grade) == GRADE_E) {
                        self.close(call);
                    }
                }
            }
            Step::Dispatched { at, call, unit } => {
                if let Some(r) = self.open.get_mut(&call) {
                    r.dispatched.get_or_insert(at);
                    r.unit.get_or_insert(unit);
                    r.units = r.units.saturating_add(1);
                }
            }
            Step::Arrived { at, call, .. } => {
                if let Some(r) = self.open.get_mut(&call) {
                    r.unit_arrived.get_or_insert(at);
                }
            }
            Step::Cleared { at, call, .. } => {
                if let Some(r) = self.open.get_mut(&call) {
                    r.cleared = Some(at);
                    r.clears = r.clears.saturating_add(1);
                    if r.incident.is_some_and(|i| r.clears >= i.needed) {
                        self.close(call);
                    }
                }
            }
            Step::Diverted { .. } | Step::Queued { .. } | Step::Booked { .. } => {}
        }
    }

    fn close(&mut self, id: u64) {
        if let Some(r) = self.open.remove(&id) {
            self.write(id, &r);
        }
    }

    /// Writes the rows still open, in call order, and flushes: the first write error, if any.
    pub fn finish(mut self) -> Result<(), std::io::Error> {
        let open = std::mem::take(&mut self.open);
        for (id, r) in &open {
            self.write(*id, r);
        }
        if self.error.is_none() {
            if let Err(e) = self.out.flush() {
                self.error = Some(e);
            }
        }
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn write(&mut self, id: u64, r: &Row) {
        if self.error.is_some() {
            return;
        }
        let l = &mut self.line;
        l.clear();
        let inc = r.incident;
        let _ = write!(
            l,
            "{},{},{},{},{},{},{},{},",
            self.replication,
            self.seed,
            id,
            r.caller,
            r.attempt,
            r.channel.label(),
            r.silent,
            r.measured
        );
        match inc {
            Some(i) => {
                let ward = self.wards.get(i.ward as usize).map_or("", |w| w.as_str());
                csv_text(l, ward);
                let _ = write!(
                    l,
                    ",{},{},",
                    GRADES[usize::from(i.grade)],
                    CATEGORIES[usize::from(i.category)]
                );
            }
            None => l.extend_from_slice(b",,,"),
        }
        let start = self.start_days;
        time_pair(l, start, Some(r.arrival));
        for t in [
            r.answered,
            r.abandoned,
            r.handling_end,
            r.created,
            r.dispatched,
            r.unit_arrived,
            r.cleared,
        ] {
            l.push(b',');
            time_pair(l, start, t);
        }
        l.push(b',');
        if let Some(u) = r.unit {
            let _ = write!(l, "{u}");
        }
        l.push(b',');
        if inc.is_some_and(|i| usize::from(i.grade) != GRADE_R && usize::from(i.grade) != GRADE_E)
            && r.created.is_some()
        {
            let _ = write!(l, "{}", r.units);
        }
        l.push(b'\n');
        if let Err(e) = self.out.write_all(l) {
            self.error = Some(e);
        }
    }
}

/// A ward name as a CSV cell: quoted when it holds a comma, quote or line break, and made
/// safe for a spreadsheet like every text cell of the outputs.
fn csv_text(l: &mut Vec<u8>, text: &str) {
    let text = crate::output::neutralise(text);
    if text.contains([',', '"', '\n', '\r']) {
        l.push(b'"');
        l.extend_from_slice(text.replace('"', "\"\"").as_bytes());
        l.push(b'"');
    } else {
        l.extend_from_slice(text.as_bytes());
    }
}

/// `ms,YYYY-MM-DDTHH:MM:SS.mmm` (both empty when `t` is None).
fn time_pair(l: &mut Vec<u8>, start_days: i64, t: Option<Time>) {
    if let Some(t) = t {
        let _ = write!(l, "{t},");
        civil(l, start_days, t);
    } else {
        l.push(b',');
    }
}

/// Time `t` as local civil time on the simulation's calendar (every day 24 hours).
pub fn civil(l: &mut Vec<u8>, start_days: i64, t: Time) {
    let d = Date::from_days_from_epoch(start_days + (t / DAY) as i64);
    let ms = t % DAY;
    let _ = write!(
        l,
        "{}T{:02}:{:02}:{:02}.{:03}",
        d,
        ms / HOUR,
        (ms % HOUR) / MINUTE,
        (ms % MINUTE) / SECOND,
        ms % SECOND
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_time_counts_every_day_as_24_hours() {
        let start = crate::time::Date {
            year: 2025,
            month: 3,
            day: 29,
        }
        .days_from_epoch();
        let mut l = Vec::new();
        // 2025-03-30 is the last Sunday of March: 01:30 is written as it is, not moved.
        super::civil(
            &mut l,
            start,
            crate::time::DAY + 90 * crate::time::MINUTE + 5,
        );
        assert_eq!(String::from_utf8(l).unwrap(), "2025-03-30T01:30:00.005");
    }
}
