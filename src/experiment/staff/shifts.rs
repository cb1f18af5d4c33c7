//! The shifts a roster may use and a roster as it is written: the scenario's patterns or the
//! shifts of [`Rules`], their cost, the designed shifts with their breaks and dedicated 999
//! handlers, and roster.toml.

use super::design::{Rules, SLOTS, Variant};
use super::{Desk, Staffing};
use crate::scenario::pay::{Hours, Pay};
use crate::scenario::{Break, Dist, HandlerRoster, Scenario, Shift};
use crate::time::{DAY, Duration, HOUR, TimeOfDay};

/// A shift pattern: start (ms after midnight) and length (ms).
pub(super) type Pattern = (u64, u64);

pub(super) const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The shift patterns a roster is made of: the scenario's start times and lengths, or 8-hour
/// shifts starting on any hour when it has none.
pub(super) fn patterns(roster: &HandlerRoster) -> Vec<Pattern> {
    let mut patterns: Vec<Pattern> = roster
        .shifts
        .iter()
        .map(|s| (s.start.0, s.length.0))
        .collect();
    if patterns.is_empty() {
        patterns = (0..24).map(|h| (h * HOUR, 8 * HOUR)).collect();
    }
    patterns.sort_unstable();
    patterns.dedup();
    patterns
}

/// What a roster's shift of pattern `p` keeps from the scenario: the dedicated 999 handlers and
/// breaks of its first shift of that start and length (none when the pattern is not the
/// scenario's).
pub(super) fn template(roster: &HandlerRoster, p: Pattern) -> (u32, Vec<Break>) {
    roster
        .shifts
        .iter()
        .find(|s| (s.start.0, s.length.0) == p)
        .map_or((0, Vec::new()), |s| (s.dedicated_999, s.breaks.clone()))
}

/// The most handlers one shift of `length` may have with `breaks`: the last handler's staggered
/// break must end within the shift, as the scenario's check asks (at least 1).
pub(super) fn most_per_shift(length: u64, breaks: &[Break]) -> u32 {
    breaks
        .iter()
        .filter(|b| b.stagger.0 > 0)
        .map(|b| {
            let room = length.saturating_sub(b.after.0 + b.length.0);
            u32::try_from(room / b.stagger.0 + 1).unwrap_or(u32::MAX)
        })
        .min()
        .unwrap_or(u32::MAX)
        .max(1)
}

/// The shifts of `count` handlers of pattern `p` starting on `day`, with the scenario's breaks
/// and dedicated 999 handlers for that pattern: one shift, or several when the breaks' stagger
/// leaves room for fewer handlers in one (named "Mon 07:00", "Mon 07:00 (2)", ...), the
/// dedicated handlers (at most `count`) in the first of them.
pub(super) fn shifts_of(roster: &HandlerRoster, p: Pattern, day: usize, count: u32) -> Vec<Shift> {
    let (dedicated, breaks) = template(roster, p);
    let most = most_per_shift(p.1, &breaks);
    let mut days = [false; 7];
    days[day] = true;
    let name = format!("{} {}", DAYS[day], TimeOfDay(p.0));
    let (mut left, mut left_dedicated, mut k) = (count, dedicated.min(count), 0);
    let mut out = Vec::new();
    while left > 0 {
        let n = left.min(most);
        let d = left_dedicated.min(n);
        k += 1;
        out.push(Shift {
            name: if k == 1 {
                name.clone()
            } else {
                format!("{name} ({k})")
            },
            start: TimeOfDay(p.0),
            length: Duration(p.1),
            days,
            count: n,
            dedicated_999: d,
            breaks: breaks.clone(),
        });
        left -= n;
        left_dedicated -= d;
    }
    out
}

/// The shifts a roster may use: under `rules`, every shift they allow; else the scenario's
/// patterns on every day.
pub(super) fn variants(roster: &HandlerRoster, rules: Option<&Rules>) -> Vec<Variant> {
    match rules {
        Some(r) => r.variants(),
        None => patterns(roster)
            .into_iter()
            .flat_map(|(start, length)| {
                (0..7).map(move |day| Variant {
                    day,
                    start,
                    length,
                    brk: None,
                })
            })
            .collect(),
    }
}

/// The weekly cost of one handler on shift `v`: the hours paid (breaks included) at the
/// scenario's handler rate with its enhancements, or the hours alone without pay rates.
pub fn shift_cost(pay: &Pay, role: usize, v: &Variant) -> f64 {
    let mut h = Hours::default();
    pay.add(&mut h, v.day as u64 * DAY + v.start, v.length, 1);
    pay.cost(role, &h).unwrap_or_else(|| h.total())
}

/// The weekly cost of a handler roster (posts kept filled at all times and shifts), in the
/// units of [`shift_cost`].
pub fn roster_cost(pay: &Pay, role: usize, constant: u32, shifts: &[Shift]) -> f64 {
    let mut h = Hours::default();
    pay.add(&mut h, 0, crate::time::WEEK, u64::from(constant));
    for s in shifts {
        crate::scenario::pay::shift(pay, &mut h, s, u64::from(s.count));
    }
    pay.cost(role, &h).unwrap_or_else(|| h.total())
}

/// The scenario's dedicated 999 handlers on duty in each slot of the week.
pub(super) fn dedicated_slots(roster: &HandlerRoster) -> Vec<u32> {
    let mut d = vec![roster.constant_dedicated_999; SLOTS];
    for s in roster.shifts.iter().filter(|s| s.dedicated_999 > 0) {
        for day in (0..7).filter(|&d| s.days[d]) {
            let v = Variant {
                day,
                start: s.start.0,
                length: s.length.0,
                brk: None,
            };
            for slot in v.slots() {
                d[slot] += s.dedicated_999;
            }
        }
    }
    d
}

/// Designed shifts as scenario shifts, with as many dedicated 999 handlers as keep, slot by
/// slot, the scenario's own dedicated handlers on duty (as far as the roster's handlers on duty
/// allow): the earliest slot short of them gets one on the chosen shift on duty then that
/// covers the most slots still short (the first such, in the plan's order).
pub(super) fn designed_shifts(chosen: &[(Variant, u32)], dedicated: &[u32]) -> Vec<Shift> {
    let slots: Vec<Vec<usize>> = chosen.iter().map(|(v, _)| v.slots()).collect();
    let mut on = vec![0u32; SLOTS];
    for (k, (_, n)) in chosen.iter().enumerate() {
        for &s in &slots[k] {
            on[s] += n;
        }
    }
    let mut ded = vec![0u32; chosen.len()];
    let mut got = vec![0u32; SLOTS];
    while let Some(s) = (0..SLOTS).find(|&s| got[s] < dedicated[s] && got[s] < on[s]) {
        let short = |k: usize| slots[k].iter().filter(|&&t| got[t] < dedicated[t]).count();
        let Some(best) = (0..chosen.len())
            .filter(|&k| ded[k] < chosen[k].1 && slots[k].contains(&s))
            .max_by(|&a, &b| short(a).cmp(&short(b)).then(b.cmp(&a)))
        else {
            break;
        };
        ded[best] += 1;
        for &t in &slots[best] {
            got[t] += 1;
        }
    }
    chosen
        .iter()
        .zip(ded)
        .map(|(&(v, n), d)| {
            let mut days = [false; 7];
            days[v.day] = true;
            let mut name = format!(
                "{} {} {}",
                DAYS[v.day],
                TimeOfDay(v.start),
                Duration(v.length)
            );
            if let Some((after, _)) = v.brk {
                name.push_str(&format!(" break +{}", Duration(after)));
            }
            Shift {
                name,
                start: TimeOfDay(v.start),
                length: Duration(v.length),
                days,
                count: n,
                dedicated_999: d,
                breaks: v
                    .brk
                    .map(|(after, length)| Break {
                        after: Duration(after),
                        length: Duration(length),
                        stagger: Duration(0),
                    })
                    .into_iter()
                    .collect(),
            }
        })
        .collect()
}

/// The roster as scenario text, ready to paste in place of `[roster.handlers]` (or, for
/// dispatchers, `[roster.dispatchers]`, its dispatch time kept from `sc`); when no staffing
/// keeps the targets, the verdict as a comment (valid TOML, nothing to paste).
pub fn roster_toml(s: &Staffing, desk: Desk, sc: &Scenario) -> String {
    if let Some(why) = &s.unreachable {
        return format!(
            "# No roster proposed by `pledgesim staff`: {why}.\n# staffing.csv has the hourly need where the search stopped.\n"
        );
    }
    let key = desk.key();
    let mut out = match desk {
        Desk::Handlers => String::from(
            "# Call handlers proposed by `pledgesim staff`: paste in place of the scenario's\n# [roster.handlers] and its shifts.\n[roster.handlers]\n",
        ),
        Desk::Dispatchers => {
            let time = sc
                .response
                .as_ref()
                .and_then(|r| r.dispatchers.as_ref())
                .map_or_else(String::new, |d| {
                    format!("dispatch_time = {}\n", dist_toml(&d.dispatch_time))
                });
            format!(
                "# Dispatchers proposed by `pledgesim staff --dispatchers`: paste in place of the\n# scenario's [roster.dispatchers] and its shifts (the dispatch time is the scenario's).\n[roster.dispatchers]\n{time}"
            )
        }
    };
    for sh in &s.roster {
        let day = DAYS[sh.days.iter().position(|d| *d).unwrap_or(0)];
        out.push_str(&format!(
            "\n[[{key}.shifts]]\nname = \"{}\"\nstart = \"{}\"\nlength = \"{}\"\ndays = [\"{day}\"]\ncount = {}\n",
            sh.name, sh.start, sh.length, sh.count
        ));
        if sh.dedicated_999 > 0 {
            out.push_str(&format!("dedicated_999 = {}\n", sh.dedicated_999));
        }
        if !sh.breaks.is_empty() {
            let list: Vec<String> = sh
                .breaks
                .iter()
                .map(|b| {
                    let stagger = if b.stagger.0 > 0 {
                        format!(", stagger = \"{}\"", b.stagger)
                    } else {
                        String::new()
                    };
                    format!(
                        "{{ after = \"{}\", length = \"{}\"{stagger} }}",
                        b.after, b.length
                    )
                })
                .collect();
            out.push_str(&format!("breaks = [{}]\n", list.join(", ")));
        }
    }
    out
}

/// A distribution of durations as a scenario's inline table.
fn dist_toml(d: &Dist) -> String {
    match d {
        Dist::Exponential { mean } => format!("{{ kind = \"exponential\", mean = \"{mean}\" }}"),
        Dist::Lognormal { mean, sd } => {
            format!("{{ kind = \"lognormal\", mean = \"{mean}\", sd = \"{sd}\" }}")
        }
        Dist::Gamma { mean, sd } => {
            format!("{{ kind = \"gamma\", mean = \"{mean}\", sd = \"{sd}\" }}")
        }
        Dist::Deterministic { value } => {
            format!("{{ kind = \"deterministic\", value = \"{value}\" }}")
        }
        Dist::Empirical { values } => format!(
            "{{ kind = \"empirical\", values = [{}] }}",
            values
                .iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
