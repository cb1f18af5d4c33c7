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
    /// `replication,seed,` (the seed after an `s`, as in every CSV file): the same on every row.
    prefix: Vec<u8>,
    /// Ward names as CSV cells, by index.
    wards: Vec<String>,
    open: BTreeMap<u64, Row>,
    line: Vec<u8>,
    /// The last day written, and its date as text.
    day: (u64, Vec<u8>),
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
            prefix: format!("{replication},{},", crate::rng::seed::cell(seed)).into_bytes(),
            wards: ward_cells(wards),
            open: BTreeMap::new(),
            day: (0, Vec::new()),
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
            Step::Diverted { .. }
            | Step::Queued { .. }
            | Step::Booked { .. }
            | Step::Deferred { .. }
            | Step::Downgraded { .. } => {}
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
        let mut l = std::mem::take(&mut self.line);
        l.clear();
        let inc = r.incident;
        l.extend_from_slice(&self.prefix);
        for n in [id, r.caller] {
            push_u64(&mut l, n);
            l.push(b',');
        }
        push_u64(&mut l, u64::from(r.attempt));
        l.push(b',');
        l.extend_from_slice(r.channel.label().as_bytes());
        l.extend_from_slice(if r.silent { b",true," } else { b",false," });
        l.extend_from_slice(if r.measured { b"true," } else { b"false," });
        match inc {
            Some(i) => {
                let ward = self.wards.get(i.ward as usize).map_or("", |w| w.as_str());
                l.extend_from_slice(ward.as_bytes());
                l.push(b',');
                l.extend_from_slice(GRADES[usize::from(i.grade)].as_bytes());
                l.push(b',');
                l.extend_from_slice(CATEGORIES[usize::from(i.category)].as_bytes());
                l.push(b',');
            }
            None => l.extend_from_slice(b",,,"),
        }
        self.time_pair(&mut l, Some(r.arrival));
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
            self.time_pair(&mut l, t);
        }
        l.push(b',');
        if let Some(u) = r.unit {
            push_u64(&mut l, u64::from(u));
        }
        l.push(b',');
        let attended = inc.is_some_and(|i| usize::from(i.grade) < GRADE_E);
        if attended && r.created.is_some() {
            push_u64(&mut l, u64::from(r.units));
        }
        l.push(b'\n');
        if let Err(e) = self.out.write_all(&l) {
            self.error = Some(e);
        }
        self.line = l;
    }

    /// `ms,YYYY-MM-DDTHH:MM:SS.mmm` (both empty when `t` is None).
    fn time_pair(&mut self, l: &mut Vec<u8>, t: Option<Time>) {
        let Some(t) = t else {
            l.push(b',');
            return;
        };
        push_u64(l, t);
        l.push(b',');
        let day = t / DAY;
        if self.day.0 != day || self.day.1.is_empty() {
            let mut d = Vec::with_capacity(11);
            civil_date(&mut d, self.start_days, day);
            self.day = (day, d);
        }
        l.extend_from_slice(&self.day.1);
        clock(l, t % DAY);
    }
}

/// Ward names as CSV cells: quoted when one holds a comma, quote or line break, and made safe
/// for a spreadsheet by the outputs' rule (a text cell that begins with `=`, `+`, `-`, `@`, a
/// tab or a carriage return, and is not a number, gets a single quote in front).
fn ward_cells(wards: Vec<String>) -> Vec<String> {
    wards
        .into_iter()
        .map(|w| {
            let risky = matches!(
                w.as_bytes().first(),
                Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
            );
            let w = if risky && w.parse::<f64>().is_err() {
                format!("'{w}")
            } else {
                w
            };
            if w.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", w.replace('"', "\"\""))
            } else {
                w
            }
        })
        .collect()
}

/// A whole number in decimal.
#[inline]
fn push_u64(l: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    while n >= 100 {
        let d = (n % 100) as usize * 2;
        n /= 100;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&PAIRS[d..d + 2]);
    }
    if n >= 10 {
        let d = n as usize * 2;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&PAIRS[d..d + 2]);
    } else {
        i -= 1;
        buf[i] = b'0' + n as u8;
    }
    l.extend_from_slice(&buf[i..]);
}

/// "00" to "99", two bytes each.
const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// `n` in `width` digits, zeros in front.
#[inline]
fn push_padded(l: &mut Vec<u8>, n: u64, width: usize) {
    let mut buf = [b'0'; 4];
    let mut n = n;
    for i in (0..width).rev() {
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    l.extend_from_slice(&buf[..width]);
}

/// Day `day` of the run as `YYYY-MM-DDT`.
fn civil_date(l: &mut Vec<u8>, start_days: i64, day: u64) {
    let d = Date::from_days_from_epoch(start_days + day as i64);
    let _ = write!(l, "{d}T");
}

/// Milliseconds after midnight as `HH:MM:SS.mmm`.
#[inline]
fn clock(l: &mut Vec<u8>, ms: u64) {
    push_padded(l, ms / HOUR, 2);
    l.push(b':');
    push_padded(l, (ms % HOUR) / MINUTE, 2);
    l.push(b':');
    push_padded(l, (ms % MINUTE) / SECOND, 2);
    l.push(b'.');
    push_padded(l, ms % SECOND, 3);
}

/// Time `t` as local civil time on the simulation's calendar (every day 24 hours).
pub fn civil(l: &mut Vec<u8>, start_days: i64, t: Time) {
    civil_date(l, start_days, t / DAY);
    clock(l, t % DAY);
}

#[cfg(test)]
mod tests {
    #[test]
    fn ward_names_are_safe_csv_cells() {
        let cells = super::ward_cells(
            [
                "Town Centre",
                "=HYPERLINK(1)",
                "-0.5",
                "North, East",
                "The \"Wold\"",
            ]
            .map(String::from)
            .to_vec(),
        );
        assert_eq!(
            cells,
            [
                "Town Centre",
                "'=HYPERLINK(1)",
                "-0.5",
                "\"North, East\"",
                "\"The \"\"Wold\"\"\""
            ]
        );
    }

    #[test]
    fn numbers_are_written_as_decimal_digits() {
        for n in [0, 7, 10, 99, 100, 12_345, u64::MAX] {
            let mut l = Vec::new();
            super::push_u64(&mut l, n);
            assert_eq!(String::from_utf8(l).unwrap(), n.to_string());
        }
    }

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
