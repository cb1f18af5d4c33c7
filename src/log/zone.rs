//! Timestamps of a call log: their text, and the time zone that turns local civil time into
//! elapsed time.
//!
//! The rule, in one place. A log's times are local civil time. Where a call falls in the week
//! (the hour-of-week profiles, the simulation's calendar) is read from the civil time as
//! written: 08:30 on a summer Monday is hour 8 of Monday, as the simulation writes it. How long
//! something took is the difference of the two instants, which the log's time zone gives:
//!
//! - a named IANA zone (`Europe/London`, the default): across a clock change the civil times
//!   differ by an hour more or less than the time elapsed; a time in the hour the clocks go
//!   back comes twice and must carry its offset (`+01:00` the first time, `+00:00` the second);
//!   a time in the hour the clocks go forward never happened and is refused;
//! - `simulation`: the simulation's own calendar, every day 24 hours and no clock change, the
//!   calendar of the records `run --records` writes: elapsed time is the difference of the
//!   civil times, so a records file reads back to the milliseconds it was written from.

use crate::time::{DAY, Date, HOUR, MINUTE, SECOND};

/// A civil time as written: the day (days from 1970-01-01), the milliseconds after midnight,
/// and the offset from UTC in seconds when the text gives one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub days: i64,
    pub ms: u64,
    pub offset: Option<i32>,
}

/// A time of the log: its civil day and time (for where it falls in the week) and its instant
/// in milliseconds (for elapsed times).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub days: i64,
    pub ms: u64,
    pub instant: i64,
}

impl Stamp {
    /// 0 = Monday 00:00-01:00 ... 167 = Sunday 23:00-24:00.
    pub fn hour_of_week(&self) -> usize {
        let weekday = (self.days + 3).rem_euclid(7) as usize;
        weekday * 24 + (self.ms / HOUR) as usize
    }
}

/// The time zone of a log.
#[derive(Clone, Debug)]
pub enum Zone {
    /// Every day 24 hours (the simulation's calendar).
    Simulation,
    Named(String, jiff::tz::TimeZone),
}

impl Zone {
    /// A zone by its name: `simulation`, or an IANA name such as `Europe/London`.
    pub fn named(name: &str) -> Result<Zone, String> {
        if name == "simulation" {
            return Ok(Zone::Simulation);
        }
        jiff::tz::TimeZone::get(name)
            .map(|tz| Zone::Named(name.to_string(), tz))
            .map_err(|_| {
                format!(
                    "\"{name}\" is not a time zone: give an IANA name such as \"Europe/London\", or \"simulation\" (every day 24 hours, the calendar of `run --records`)"
                )
            })
    }

    pub fn name(&self) -> &str {
        match self {
            Zone::Simulation => "simulation",
            Zone::Named(n, _) => n,
        }
    }

    /// The instant of a civil time, or why it has none.
    pub fn stamp(&self, c: Civil) -> Result<Stamp, String> {
        let naive = c.days * DAY as i64 + c.ms as i64;
        let offset_ms = |s: i32| i64::from(s) * SECOND as i64;
        let instant = match (self, c.offset) {
            (_, Some(off)) => naive - offset_ms(off),
            (Zone::Simulation, None) => naive,
            (Zone::Named(name, tz), None) => {
                use jiff::tz::AmbiguousOffset;
                let dt = civil_datetime(c)?;
                match tz.to_ambiguous_timestamp(dt).offset() {
                    AmbiguousOffset::Unambiguous { offset } => naive - offset_ms(offset.seconds()),
                    AmbiguousOffset::Fold { before, after } => {
                        return Err(format!(
                            "falls in the hour the clocks go back in {name}, which comes twice: write its offset ({} the first time, {} the second)",
                            offset_text(before.seconds()),
                            offset_text(after.seconds())
                        ));
                    }
                    AmbiguousOffset::Gap { .. } => {
                        return Err(format!(
                            "falls in the hour the clocks go forward in {name}, which never happened: check the time, or write its offset"
                        ));
                    }
                }
            }
        };
        Ok(Stamp {
            days: c.days,
            ms: c.ms,
            instant,
        })
    }

    /// How many times the civil hour `hour` (0-23) of day `days` happens: 1, or 0 and 2 at
    /// the clock changes of a named zone.
    pub fn hour_count(&self, days: i64, hour: u64) -> u32 {
        let Zone::Named(_, tz) = self else {
            return 1;
        };
        let c = Civil {
            days,
            ms: hour * HOUR + 30 * MINUTE,
            offset: None,
        };
        let Ok(dt) = civil_datetime(c) else {
            return 1;
        };
        match tz.to_ambiguous_timestamp(dt).offset() {
            jiff::tz::AmbiguousOffset::Unambiguous { .. } => 1,
            jiff::tz::AmbiguousOffset::Gap { .. } => 0,
            jiff::tz::AmbiguousOffset::Fold { .. } => 2,
        }
    }
}

fn civil_datetime(c: Civil) -> Result<jiff::civil::DateTime, String> {
    let d = Date::from_days_from_epoch(c.days);
    let ms = c.ms;
    jiff::civil::DateTime::new(
        i16::try_from(d.year).map_err(|_| "is out of range".to_string())?,
        d.month as i8,
        d.day as i8,
        (ms / HOUR) as i8,
        ((ms % HOUR) / MINUTE) as i8,
        ((ms % MINUTE) / SECOND) as i8,
        ((ms % SECOND) * 1_000_000) as i32,
    )
    .map_err(|_| "is out of range".to_string())
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    format!("{sign}{:02}:{:02}", s / 3600, (s % 3600) / 60)
}

/// What a timestamp may look like, for messages.
pub const STAMP_HELP: &str = "a date and time such as 2009-10-25T01:30:00 (or 2009-10-25 01:30, 25/10/2009 01:30:00), seconds and fractions optional, with an optional offset (Z, +01:00)";

/// Reads `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` or `DD/MM/YYYY HH:MM[:SS[.fff]]`, then an optional
/// `Z` or `+HH:MM` / `-HH:MM`.
pub fn parse_civil(text: &str) -> Result<Civil, String> {
    let t = text.trim();
    let bad = || format!("\"{text}\" is not a timestamp: write {STAMP_HELP}");
    let (date, rest) = t.split_at(t.find(['T', ' ']).ok_or_else(bad)?);
    let rest = rest[1..].trim_start();
    let nums: Vec<&str> = date.split(['-', '/']).collect();
    if nums.len() != 3
        || nums
            .iter()
            .any(|n| n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let (y, m, d) = if date.contains('/') {
        (nums[2], nums[1], nums[0])
    } else if date.contains('-') {
        (nums[0], nums[1], nums[2])
    } else {
        return Err(bad());
    };
    if y.len() != 4 {
        return Err(bad());
    }
    let (year, month, day): (i32, u32, u32) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    let date = Date { year, month, day };
    if !(1..=12).contains(&month)
        || day == 0
        || Date::from_days_from_epoch(date.days_from_epoch()) != date
    {
        return Err(format!(
            "\"{text}\": {year:04}-{month:02}-{day:02} is not a date"
        ));
    }
    // The offset, if any.
    let (clock, offset) = if let Some(c) = rest.strip_suffix('Z') {
        (c, Some(0))
    } else if let Some(i) = rest.rfind(['+', '-']) {
        let (c, o) = rest.split_at(i);
        let sign = if o.starts_with('-') { -1 } else { 1 };
        let hm: Vec<&str> = o[1..].split(':').collect();
        let ok = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
        if hm.len() != 2 || !ok(hm[0]) || !ok(hm[1]) {
            return Err(bad());
        }
        let (h, mi): (i32, i32) = (
            hm[0].parse().map_err(|_| bad())?,
            hm[1].parse().map_err(|_| bad())?,
        );
        if h > 18 || mi > 59 {
            return Err(bad());
        }
        (c, Some(sign * (h * 3600 + mi * 60)))
    } else {
        (rest, None)
    };
    let parts: Vec<&str> = clock.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let two = |s: &str| -> Result<u64, String> {
        if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (h, mi) = (two(parts[0])?, two(parts[1])?);
    let (s, frac) = match parts.get(2) {
        None => (0, 0),
        Some(p) => {
            let (s, f) = p.split_once('.').unwrap_or((p, ""));
            if f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            // Milliseconds: the first three digits of the fraction, rounded down.
            let mut digits = f.as_bytes().iter().take(3).map(|b| u64::from(b - b'0'));
            let mut ms = 0;
            for _ in 0..3 {
                ms = ms * 10 + digits.next().unwrap_or(0);
            }
            (two(s)?, ms)
        }
    };
    if h > 23 || mi > 59 || s > 59 {
        return Err(format!(
            "\"{text}\": {h:02}:{mi:02}:{s:02} is not a time of day"
        ));
    }
    Ok(Civil {
        days: date.days_from_epoch(),
        ms: h * HOUR + mi * MINUTE + s * SECOND + frac,
        offset,
    })
}

/// What a duration cell may look like, for messages.
pub const LENGTH_HELP: &str =
    "seconds (\"95\", \"95.5\"), H:MM:SS (\"0:01:35\") or a number with a unit (\"95s\", \"4min\")";

/// A duration cell: seconds, `H:MM:SS`, or a number with a unit; in milliseconds.
pub fn parse_length(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.starts_with('-') {
        return Err(format!("\"{text}\" is negative; a duration is at least 0"));
    }
    if let Ok(secs) = t.parse::<f64>() {
        return crate::time::checked_duration(secs, SECOND)
            .map(|d| d.ms())
            .map_err(|why| format!("\"{text}\" {why}"));
    }
    if t.contains(':') {
        let parts: Vec<&str> = t.split(':').collect();
        let ok = parts.len() == 3
            && parts.iter().all(|p| !p.is_empty())
            && parts[..2]
                .iter()
                .all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if ok {
            if let (Ok(h), Ok(m), Ok(s)) = (
                parts[0].parse::<u64>(),
                parts[1].parse::<u64>(),
                parts[2].parse::<f64>(),
            ) {
                if m < 60 && (0.0..60.0).contains(&s) {
                    return Ok(h * HOUR + m * MINUTE + (s * 1_000.0).round() as u64);
                }
            }
        }
        return Err(format!("\"{text}\" is not a duration: write {LENGTH_HELP}"));
    }
    t.parse::<crate::time::Duration>()
        .map(|d| d.ms())
        .map_err(|_| format!("\"{text}\" is not a duration: write {LENGTH_HELP}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> i64 {
        Date {
            year: y,
            month: m,
            day: d,
        }
        .days_from_epoch()
    }

    #[test]
    fn timestamps_in_every_written_form_read_to_the_same_civil_time() {
        let want = Civil {
            days: day(2009, 10, 25),
            ms: HOUR + 30 * MINUTE + 5 * SECOND + 250,
            offset: None,
        };
        for t in [
            "2009-10-25T01:30:05.250",
            "2009-10-25 01:30:05.25",
            "25/10/2009 01:30:05.2509",
        ] {
            assert_eq!(parse_civil(t), Ok(want), "{t}");
        }
        assert_eq!(parse_civil("2009-10-25T01:30").unwrap().ms, 90 * MINUTE);
        assert_eq!(
            parse_civil("2009-10-25T01:30:00+01:00").unwrap().offset,
            Some(3600)
        );
        assert_eq!(parse_civil("2009-10-25T01:30:00Z").unwrap().offset, Some(0));
        for bad in [
            "2009-10-25",
            "2009-02-29T00:00",
            "2009-10-25T24:00",
            "2009-10-25T1:30",
            "25-10-09 01:30",
            "2009-10-25T01:30:00+1",
            "yesterday at noon",
        ] {
            assert!(parse_civil(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn london_times_take_their_offset_and_the_clock_change_hours_are_named() {
        let z = Zone::named("Europe/London").unwrap();
        let at = |t: &str| z.stamp(parse_civil(t).unwrap());
        // Summer: 12:00 BST is 11:00 UTC.
        let noon = at("2009-07-01T12:00:00").unwrap();
        assert_eq!(
            noon.instant,
            day(2009, 7, 1) * DAY as i64 + 11 * HOUR as i64
        );
        // Autumn (25 October 2009): 00:30 BST to 02:30 GMT is three hours.
        let (a, b) = (
            at("2009-10-25T00:30").unwrap(),
            at("2009-10-25T02:30").unwrap(),
        );
        assert_eq!(b.instant - a.instant, 3 * HOUR as i64);
        let fold = at("2009-10-25T01:30").unwrap_err();
        assert!(fold.contains("+01:00") && fold.contains("+00:00"), "{fold}");
        let first = at("2009-10-25T01:30+01:00").unwrap();
        let second = at("2009-10-25T01:30+00:00").unwrap();
        assert_eq!(second.instant - first.instant, HOUR as i64);
        // Spring (29 March 2009): 00:30 GMT to 02:30 BST is one hour; 01:30 never happened.
        let (a, b) = (
            at("2009-03-29T00:30").unwrap(),
            at("2009-03-29T02:30").unwrap(),
        );
        assert_eq!(b.instant - a.instant, HOUR as i64);
        assert!(at("2009-03-29T01:30").unwrap_err().contains("forward"));
        assert_eq!(z.hour_count(day(2009, 3, 29), 1), 0);
        assert_eq!(z.hour_count(day(2009, 10, 25), 1), 2);
        assert_eq!(z.hour_count(day(2009, 10, 25), 2), 1);
        // The simulation's calendar: every day 24 hours, the civil times' difference.
        let s = Zone::named("simulation").unwrap();
        let (a, b) = (
            s.stamp(parse_civil("2009-10-25T00:30").unwrap()).unwrap(),
            s.stamp(parse_civil("2009-10-25T02:30").unwrap()).unwrap(),
        );
        assert_eq!(b.instant - a.instant, 2 * HOUR as i64);
        assert_eq!(s.hour_count(day(2009, 10, 25), 1), 1);
        assert!(Zone::named("Europe/Londres").is_err());
    }

    #[test]
    fn hour_of_week_counts_from_monday_midnight() {
        let s = Zone::Simulation;
        let at = |t: &str| s.stamp(parse_civil(t).unwrap()).unwrap().hour_of_week();
        assert_eq!(at("2009-10-26T00:10"), 0); // a Monday
        assert_eq!(at("2009-10-25T23:59"), 167); // a Sunday
        assert_eq!(at("2009-10-28T08:30"), 2 * 24 + 8);
    }

    #[test]
    fn durations_in_every_written_form() {
        assert_eq!(parse_length("95"), Ok(95_000));
        assert_eq!(parse_length("95.5"), Ok(95_500));
        assert_eq!(parse_length("0:01:35"), Ok(95_000));
        assert_eq!(parse_length("1:00:00.5"), Ok(HOUR + 500));
        assert_eq!(parse_length("4min"), Ok(4 * MINUTE));
        assert!(parse_length("-3").unwrap_err().contains("negative"));
        assert!(parse_length("0:61:00").is_err());
        assert!(parse_length("ten").is_err());
    }
}
