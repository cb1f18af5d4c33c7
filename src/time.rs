//! Simulation time, durations written with units, and the calendar.
//!
//! Simulation time is an integer count of milliseconds from the scenario's start, which is
//! midnight at the start of a calendar date in local civil time. Daylight saving is ignored:
//! every day has 24 hours. Hour-of-week 0 is Monday 00:00-01:00.

use std::fmt;

/// Milliseconds since the scenario's start.
pub type Time = u64;

pub const SECOND: u64 = 1_000;
pub const MINUTE: u64 = 60 * SECOND;
pub const HOUR: u64 = 60 * MINUTE;
pub const DAY: u64 = 24 * HOUR;
pub const WEEK: u64 = 7 * DAY;
pub const HOURS_PER_WEEK: usize = 168;
/// The longest duration a scenario may write: 100 years.
pub const MAX_DURATION: u64 = 100 * 36_525 * DAY / 100;

/// A length of time in whole milliseconds, parsed from text with its unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(pub u64);

impl Duration {
    pub fn ms(self) -> u64 {
        self.0
    }
    pub fn secs_f64(self) -> f64 {
        self.0 as f64 / 1_000.0
    }
    pub fn from_secs_f64(s: f64) -> Duration {
        Duration(secs_to_ms(s))
    }
}

/// Rounds a non-negative number of seconds to whole milliseconds, for lengths the model
/// computes (travel times): negative values and NaN become 0, and anything longer than
/// [`MAX_DURATION`] becomes it, so that adding it to a time never wraps the clock.
#[inline]
pub fn secs_to_ms(s: f64) -> u64 {
    if s > 0.0 {
        (s * 1_000.0).round().min(MAX_DURATION as f64) as u64
    } else {
        0
    }
}

/// The one checked conversion of a duration given as a number of some unit (`unit_ms`
/// milliseconds each; from a scenario, a CSV file or a flag) to whole milliseconds: refused
/// when it is not finite, negative or longer than [`MAX_DURATION`] (100 years). The error says
/// what is wrong, to follow the value as written (`"1e300h" is longer than ...`).
pub fn checked_duration(value: f64, unit_ms: u64) -> Result<Duration, &'static str> {
    if !value.is_finite() {
        return Err("is not finite");
    }
    if value < 0.0 {
        return Err("is negative; a duration is at least 0");
    }
    let ms = value * unit_ms as f64;
    // `ms` is finite and at least 0 here.
    if ms > MAX_DURATION as f64 {
        return Err("is longer than 100 years, the longest duration allowed");
    }
    Ok(Duration(ms.round() as u64))
}

/// The units a duration may be written in, with their length in milliseconds.
pub const UNITS: &[(&str, u64)] = &[
    ("ms", 1),
    ("s", SECOND),
    ("min", MINUTE),
    ("h", HOUR),
    ("d", DAY),
    ("w", WEEK),
];

/// What a duration may look like, for error messages.
pub const DURATION_HELP: &str = "a number with a unit: ms, s, min, h, d or w (for example \"90s\", \"15min\", \"1.5h\", \"4w\")";

impl std::str::FromStr for Duration {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let split = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("\"{text}\" has no unit; write {DURATION_HELP}"))?;
        if t.starts_with('-') {
            return Err(format!("\"{text}\" is negative; a duration is at least 0"));
        }
        let (num, unit) = t.split_at(split);
        let unit = unit.trim();
        if unit == "wd" {
            return Err(format!(
                "\"{text}\": working days are only allowed for deadlines; write {DURATION_HELP}"
            ));
        }
        let factor = UNITS
            .iter()
            .find(|(u, _)| *u == unit)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                format!("\"{text}\" has an unknown unit \"{unit}\"; write {DURATION_HELP}")
            })?;
        let value: f64 = num.parse().map_err(|_| {
            format!("\"{text}\" is not a number with a unit; write {DURATION_HELP}")
        })?;
        checked_duration(value, factor).map_err(|why| format!("\"{text}\" {why}"))
    }
}

impl fmt::Display for Duration {
    /// The largest unit that divides the duration exactly, as people write them: days and
    /// weeks only from a week up ("48h", not "2d"), minutes only from two minutes up ("60s").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return write!(f, "0s");
        }
        for (unit, len) in UNITS.iter().rev() {
            let too_coarse =
                (*len >= DAY && self.0 < WEEK) || (*len == MINUTE && self.0 < 2 * MINUTE);
            if self.0 % len == 0 && !too_coarse {
                return write!(f, "{}{}", self.0 / len, unit);
            }
        }
        write!(f, "{}ms", self.0)
    }
}

/// A clock time of day, "HH:MM", as milliseconds after midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(pub u64);

impl std::str::FromStr for TimeOfDay {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || {
            format!("\"{text}\" is not a time of day; write \"HH:MM\" from \"00:00\" to \"23:59\"")
        };
        let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u64 = h.parse().map_err(|_| bad())?;
        let m: u64 = m.parse().map_err(|_| bad())?;
        if h > 23 || m > 59 {
            return Err(bad());
        }
        Ok(TimeOfDay(h * HOUR + m * MINUTE))
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / HOUR, (self.0 % HOUR) / MINUTE)
    }
}

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Days since 1970-01-01 (Hinnant's days_from_civil).
    pub fn days_from_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (Hinnant's civil_from_days).
    pub fn from_days_from_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// 0 = Monday ... 6 = Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        ((self.days_from_epoch() + 3).rem_euclid(7)) as u32
    }

    fn days_in_month(year: i32, month: u32) -> u32 {
        match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
            _ => 28,
        }
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || {
            format!("\"{text}\" is not a date; write \"YYYY-MM-DD\", for example \"2009-01-05\"")
        };
        let parts: Vec<&str> = text.trim().split('-').collect();
        if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
            return Err(bad());
        }
        let year: i32 = parts[0].parse().map_err(|_| bad())?;
        let month: u32 = parts[1].parse().map_err(|_| bad())?;
        let day: u32 = parts[2].parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || day == 0 || day > Date::days_in_month(year, month) {
            return Err(bad());
        }
        Ok(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // TOML may hand over a native date; accept its text form as well as a string.
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date \"YYYY-MM-DD\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                // toml's datetime arrives as a one-entry map holding its text.
                let mut out = None;
                while let Some((_, v)) = map.next_entry::<String, String>()? {
                    out = Some(v.parse().map_err(serde::de::Error::custom)?);
                }
                out.ok_or_else(|| serde::de::Error::custom("empty date"))
            }
        }
        d.deserialize_any(V)
    }
}

/// Maps simulation time to the calendar: hour of week and month.
#[derive(Clone, Copy, Debug)]
pub struct Calendar {
    start_days: i64,
    /// Hours from Monday 00:00 to the start.
    start_hour_of_week: u64,
}

impl Calendar {
    pub fn new(start: Date) -> Calendar {
        Calendar {
            start_days: start.days_from_epoch(),
            start_hour_of_week: u64::from(start.weekday()) * 24,
        }
    }

    /// Hour of the week (0 = Monday 00:00-01:00) in which `t` falls.
    #[inline]
    pub fn hour_of_week(&self, t: Time) -> usize {
        ((self.start_hour_of_week + t / HOUR) % HOURS_PER_WEEK as u64) as usize
    }

    /// The date on which `t` falls.
    pub fn date(&self, t: Time) -> Date {
        Date::from_days_from_epoch(self.start_days + (t / DAY) as i64)
    }

    /// Day of week of the start (0 = Monday).
    pub fn start_weekday(&self) -> u64 {
        self.start_hour_of_week / 24
    }
}

/// Serialises a type as its Display text and deserialises it through FromStr, so files and
/// outputs use the same written form ("90s", "07:00", "10wd").
macro_rules! serde_via_text {
    ($($t:ty => $expecting:expr),*) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Text;
                impl serde::de::Visitor<'_> for Text {
                    type Value = $t;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$t, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(Text)
            }
        }
    )*};
}
serde_via_text!(
    Duration => DURATION_HELP,
    TimeOfDay => "a time of day \"HH:MM\", from \"00:00\" to \"23:59\"",
    Deadline => "a deadline: a duration such as \"24h\", working days \"10wd\" or calendar months \"1mo\""
);

impl Calendar {
    /// Midnight at the start of `date`, as a time (negative before the start).
    pub fn midnight(&self, date: Date) -> i64 {
        (date.days_from_epoch() - self.start_days) * DAY as i64
    }

    /// The calendar month containing `t`: its first midnight (negative when the month began
    /// before the start) and the first midnight of the next month.
    pub fn month_bounds(&self, t: Time) -> (i64, Time) {
        let d = self.date(t);
        let first = Date { day: 1, ..d };
        let next = if d.month == 12 {
            Date {
                year: d.year + 1,
                month: 1,
                day: 1,
            }
        } else {
            Date {
                month: d.month + 1,
                ..first
            }
        };
        (self.midnight(first), self.midnight(next) as Time)
    }

    /// When a task created at `t` is due under `deadline`:
    /// - elapsed time: `t` plus it;
    /// - working days: the end (midnight) of the n-th working day after the day of `t`, where
    ///   working days are Monday to Friday except the given bank holidays;
    /// - calendar months: the same time on the same day of the month n months later, or on the
    ///   month's last day when it is shorter.
    pub fn deadline(&self, t: Time, deadline: Deadline, bank_holidays: &[Date]) -> Time {
        match deadline {
            Deadline::Elapsed(d) => t.saturating_add(d.0),
            Deadline::WorkingDays(n) => {
                let mut day = t / DAY;
                let mut left = n;
                while left > 0 {
                    day += 1;
                    let date = Date::from_days_from_epoch(self.start_days + day as i64);
                    if date.weekday() < 5 && !bank_holidays.contains(&date) {
                        left -= 1;
                    }
                }
                (day + 1) * DAY
            }
            Deadline::CalendarMonths(n) => {
                let date = self.date(t);
                let months = date.month as i64 - 1 + i64::from(n);
                let year = date.year + (months / 12) as i32;
                let month = (months % 12) as u32 + 1;
                let day = date.day.min(Date::days_in_month(year, month));
                let due = Date { year, month, day }.days_from_epoch() - self.start_days;
                due as u64 * DAY + t % DAY
            }
        }
    }
}

/// The days of a run, numbered, so that a deadline in working days or calendar months is a few
/// look-ups rather than a walk through the calendar a day at a time or two date conversions. It
/// gives exactly what [`Calendar::deadline`] gives, which it falls back on beyond the days it
/// holds.
pub struct DayTable {
    /// How many working days there are from the start's day up to and including each day.
    count: Vec<u32>,
    /// The working days, as days since the start's day, in order.
    days: Vec<u32>,
    /// Each day's month (0 for the start's, counting on) and day of the month.
    month_day: Vec<(u16, u8)>,
    /// The first day of each of those months, as days since the start's day (the first 0 or
    /// less), and of the month after the last.
    month_start: Vec<i64>,
}

impl DayTable {
    /// The first `span` days from the start: their working days (Monday to Friday, less the
    /// bank holidays) and their months.
    pub fn new(cal: &Calendar, span: u64, bank_holidays: &[Date]) -> Self {
        let mut count = Vec::with_capacity(span as usize);
        let mut days = Vec::new();
        let mut month_day = Vec::with_capacity(span as usize);
        let first = Date::from_days_from_epoch(cal.start_days);
        let mut month_start = vec![1 - i64::from(first.day)];
        let (mut year, mut month) = (first.year, first.month);
        for day in 0..span {
            let date = Date::from_days_from_epoch(cal.start_days + day as i64);
            if date.weekday() < 5 && !bank_holidays.contains(&date) {
                days.push(day as u32);
            }
            count.push(days.len() as u32);
            if day > 0 && date.day == 1 {
                month_start.push(day as i64);
                (year, month) = (date.year, date.month);
            }
            month_day.push(((month_start.len() - 1) as u16, date.day as u8));
        }
        let last = *month_start.last().expect("one month at least");
        month_start.push(last + i64::from(Date::days_in_month(year, month)));
        DayTable {
            count,
            days,
            month_day,
            month_start,
        }
    }

    /// As [`Calendar::deadline`].
    #[inline]
    pub fn deadline(&self, cal: &Calendar, t: Time, deadline: Deadline, bank: &[Date]) -> Time {
        let day = (t / DAY) as usize;
        match deadline {
            Deadline::WorkingDays(0) => return (t / DAY + 1) * DAY,
            Deadline::WorkingDays(n) => {
                // The first working day after the day of `t` is `days[count[day]]`.
                let found = self
                    .count
                    .get(day)
                    .and_then(|&c| self.days.get(c as usize + n as usize - 1));
                if let Some(&d) = found {
                    return (u64::from(d) + 1) * DAY;
                }
            }
            Deadline::CalendarMonths(n) => {
                // The same day of the month n months on, or that month's last day.
                if let Some(&(m, d)) = self.month_day.get(day) {
                    let k = usize::from(m) + n as usize;
                    if let (Some(&a), Some(&b)) =
                        (self.month_start.get(k), self.month_start.get(k + 1))
                    {
                        let due = a + i64::from(d).min(b - a) - 1;
                        return due as u64 * DAY + t % DAY;
                    }
                }
            }
            Deadline::Elapsed(_) => {}
        }
        cal.deadline(t, deadline, bank)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table gives what the day-by-day walk and the date arithmetic give, for every day of
    /// two years from two starts (mid-December, and the first of a leap year's January), for
    /// deadlines of 0 to 30 working days, bank holidays included, and of 0 to 14 calendar
    /// months (month ends, February of a leap year and of others), within the table and beyond.
    #[test]
    fn the_day_table_equals_the_calendar() {
        let date = |(year, month, day)| Date { year, month, day };
        let bank: Vec<Date> = [(2009, 12, 25), (2009, 12, 28), (2010, 1, 1), (2010, 4, 2)]
            .into_iter()
            .chain([(2012, 1, 2), (2012, 4, 6), (2012, 12, 25)])
            .map(date)
            .collect();
        for start in [(2009, 12, 17), (2012, 1, 1)] {
            let cal = Calendar::new(date(start));
            let table = DayTable::new(&cal, 400, &bank);
            for day in 0..730u64 {
                let t = day * DAY + (day * 7919) % DAY;
                for n in 0..=30 {
                    let d = Deadline::WorkingDays(n);
                    let want = cal.deadline(t, d, &bank);
                    assert_eq!(table.deadline(&cal, t, d, &bank), want, "day {day}, {n} wd");
                }
                for n in 0..=14 {
                    let d = Deadline::CalendarMonths(n);
                    let want = cal.deadline(t, d, &bank);
                    assert_eq!(table.deadline(&cal, t, d, &bank), want, "day {day}, {n} mo");
                }
                let d = Deadline::Elapsed(Duration(5 * DAY));
                assert_eq!(table.deadline(&cal, t, d, &bank), cal.deadline(t, d, &bank));
            }
        }
    }

    #[test]
    fn durations_parse_with_units() {
        assert_eq!("90s".parse::<Duration>().unwrap(), Duration(90_000));
        assert_eq!("15min".parse::<Duration>().unwrap(), Duration(15 * MINUTE));
        assert_eq!("1.5h".parse::<Duration>().unwrap(), Duration(90 * MINUTE));
        assert_eq!("250ms".parse::<Duration>().unwrap(), Duration(250));
        assert_eq!("2w".parse::<Duration>().unwrap(), Duration(2 * WEEK));
        assert!("90".parse::<Duration>().is_err());
        assert!("-5s".parse::<Duration>().is_err());
        assert!("5 parsecs".parse::<Duration>().is_err());
        assert!(
            "10wd"
                .parse::<Duration>()
                .unwrap_err()
                .contains("working days")
        );
    }

    #[test]
    fn durations_print_in_their_largest_exact_unit() {
        assert_eq!(Duration(90_000).to_string(), "90s");
        assert_eq!(Duration(HOUR).to_string(), "1h");
        assert_eq!(Duration(90 * MINUTE).to_string(), "90min");
        assert_eq!(Duration(48 * HOUR).to_string(), "48h");
        assert_eq!(Duration(60 * SECOND).to_string(), "60s");
        assert_eq!(Duration(4 * WEEK).to_string(), "4w");
        assert_eq!(Duration(1_500).to_string(), "1500ms");
    }

    #[test]
    fn calendar_dates_and_weekdays() {
        let d: Date = "2009-01-05".parse().unwrap();
        assert_eq!(d.weekday(), 0, "5 January 2009 was a Monday");
        assert_eq!(
            "2010-06-29".parse::<Date>().unwrap().weekday(),
            1,
            "a Tuesday"
        );
        assert_eq!(Date::from_days_from_epoch(d.days_from_epoch()), d);
        assert!("2009-02-29".parse::<Date>().is_err());
        assert!("2008-02-29".parse::<Date>().is_ok());
        let cal = Calendar::new("2009-01-07".parse().unwrap()); // a Wednesday
        assert_eq!(cal.hour_of_week(0), 48);
        assert_eq!(cal.hour_of_week(5 * DAY + 3 * HOUR), 3, "Monday 03:00");
        assert_eq!(cal.date(25 * DAY).to_string(), "2009-02-01");
    }

    #[test]
    fn deadlines_on_the_calendar() {
        let cal = Calendar::new("2009-01-05".parse().unwrap()); // a Monday
        let at = |date: &str, hour: u64| {
            let d: Date = date.parse().unwrap();
            (d.days_from_epoch() - cal.start_days) as u64 * DAY + hour * HOUR
        };
        let wd = Deadline::WorkingDays;
        // Elapsed time.
        assert_eq!(
            cal.deadline(
                at("2009-01-09", 15),
                Deadline::Elapsed(Duration(24 * HOUR)),
                &[]
            ),
            at("2009-01-10", 15)
        );
        // Friday afternoon + 1 working day: the end of Monday.
        assert_eq!(
            cal.deadline(at("2009-01-09", 15), wd(1), &[]),
            at("2009-01-13", 0)
        );
        // Easter 2009: Good Friday 10 April and Easter Monday 13 April are bank holidays, so a
        // task on Thursday 9 April is due by the end of Tuesday 14 April.
        let easter: Vec<Date> = ["2009-04-10", "2009-04-13"]
            .iter()
            .map(|d| d.parse().unwrap())
            .collect();
        assert_eq!(
            cal.deadline(at("2009-04-09", 10), wd(1), &easter),
            at("2009-04-15", 0)
        );
        assert_eq!(
            cal.deadline(at("2009-04-09", 10), wd(1), &[]),
            at("2009-04-11", 0)
        );
        // Christmas 2009: 25 and 28 December and 1 January are bank holidays. Ten working days
        // from Monday 21 December: 22, 23, 24, 29, 30, 31 December, 4, 5, 6, 7 January.
        let christmas: Vec<Date> = ["2009-12-25", "2009-12-28", "2010-01-01"]
            .iter()
            .map(|d| d.parse().unwrap())
            .collect();
        assert_eq!(
            cal.deadline(at("2009-12-21", 9), wd(10), &christmas),
            at("2010-01-08", 0)
        );
        // Calendar months, clamped to the month's end.
        let mo = Deadline::CalendarMonths;
        assert_eq!(
            cal.deadline(at("2009-01-31", 10), mo(1), &[]),
            at("2009-02-28", 10)
        );
        assert_eq!(
            cal.deadline(at("2009-12-31", 10), mo(2), &[]),
            at("2010-02-28", 10)
        );
        assert_eq!(
            cal.deadline(at("2009-03-15", 7), mo(12), &[]),
            at("2010-03-15", 7)
        );
        // Deadlines parse with their units.
        assert_eq!("10wd".parse::<Deadline>().unwrap(), wd(10));
        assert_eq!("1mo".parse::<Deadline>().unwrap(), mo(1));
        assert_eq!(
            "48h".parse::<Deadline>().unwrap(),
            Deadline::Elapsed(Duration(48 * HOUR))
        );
    }

    #[test]
    fn times_of_day() {
        assert_eq!(
            "07:30".parse::<TimeOfDay>().unwrap(),
            TimeOfDay(7 * HOUR + 30 * MINUTE)
        );
        assert!("24:00".parse::<TimeOfDay>().is_err());
        assert!("7:30".parse::<TimeOfDay>().is_err());
    }
}

/// A deadline: elapsed time, working days (skipping weekends and bank holidays) or calendar
/// months. Written "24h", "10wd" or "1mo".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Deadline {
    Elapsed(Duration),
    WorkingDays(u32),
    CalendarMonths(u32),
}

impl std::str::FromStr for Deadline {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let whole = |n: &str| -> Result<u32, String> {
            n.parse()
                .map_err(|_| format!("\"{text}\": write a whole number before the unit"))
        };
        if let Some(n) = t.strip_suffix("wd") {
            let n = whole(n)?;
            if n > 10_000 {
                return Err(format!(
                    "\"{text}\": at most 10000 working days (about 40 years)"
                ));
            }
            return Ok(Deadline::WorkingDays(n));
        }
        if let Some(n) = t.strip_suffix("mo") {
            let n = whole(n)?;
            if n > 1_200 {
                return Err(format!("\"{text}\": at most 1200 months (100 years)"));
            }
            return Ok(Deadline::CalendarMonths(n));
        }
        t.parse::<Duration>().map(Deadline::Elapsed).map_err(|_| {
            format!("\"{text}\" is not a deadline; write {DURATION_HELP}, working days \"10wd\" or calendar months \"1mo\"")
        })
    }
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deadline::Elapsed(d) => d.fmt(f),
            Deadline::WorkingDays(n) => write!(f, "{n}wd"),
            Deadline::CalendarMonths(n) => write!(f, "{n}mo"),
        }
    }
}
