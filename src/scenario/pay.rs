//! Pay and paid hours: each role's rates and contracted week (`[pay]`, validated), and the
//! hours a week every group of people in the scenario is paid for, split by when they fall
//! (in the unsocial-hours window or not, on a weekend or not), from which their cost and FTE
//! follow.
//!
//! Rules, in one place:
//! - a person is paid for every hour they are rostered: a shift from its start to its end,
//!   breaks included, and shifts lost to leave, sickness or training and time taken by
//!   abstractions too (all still paid); a post kept filled at all times (`constant`) is paid
//!   168 hours a week;
//! - a response team's officers are paid their rota's hours, averaged over its cycle of weeks
//!   (each officer works every line of the rota once a cycle);
//! - an hour's cost is `base x (1 + unsocial + weekend)`, each enhancement counted when the hour
//!   falls in its window: enhancements add, they do not compound;
//! - FTE is hours paid a week / the role's contracted week;
//! - nothing is random: the figures are the scenario's, the same in every replication.

use super::{HandlerRoster, Scenario, Shift};
use crate::time::{DAY, HOUR, TimeOfDay, WEEK};
use serde::Serialize;

/// The roles people are paid as: call handlers (and the staff of contact-centre stages with
/// people), dispatchers, response officers, the neighbourhood roles, the staff of follow-up
/// workgroups and appointment officers. The last six are [`super::officers::DUTY_ROLES`].
pub const ROLES: [&str; 8] = [
    "handler",
    "dispatcher",
    "response",
    "sergeant",
    "pc",
    "pcso",
    "staff",
    "appointments",
];
pub const ROLE_HANDLER: usize = 0;
pub const ROLE_DISPATCHER: usize = 1;
pub const ROLE_RESPONSE: usize = 2;
/// The neighbourhood roles' places in [`ROLES`]: neighbourhood role `k` is `HOOD_ROLE + k`.
pub const HOOD_ROLE: usize = 3;
pub const ROLE_STAFF: usize = 6;
pub const ROLE_APPOINTMENTS: usize = 7;

/// An officer's full-time week, in hours.
pub const OFFICER_WEEK_H: f64 = 40.0;
/// A member of police staff's full-time week, in hours.
pub const STAFF_WEEK_H: f64 = 37.0;

/// The full-time week of a role when the scenario does not give one: 40 hours for officers
/// (response, sergeant, pc, appointments), 37 for staff (handler, dispatcher, pcso, staff).
pub fn default_contracted_hours(role: usize) -> f64 {
    match ROLES[role] {
        "response" | "sergeant" | "pc" | "appointments" => OFFICER_WEEK_H,
        _ => STAFF_WEEK_H,
    }
}

/// The unsocial-hours window when the scenario does not give one: 20:00 to 06:00.
pub const DEFAULT_UNSOCIAL: (TimeOfDay, TimeOfDay) = (TimeOfDay(20 * HOUR), TimeOfDay(6 * HOUR));

/// The overtime rate when a role does not give one: time and a half.
pub const DEFAULT_OVERTIME: f64 = 1.5;

/// One role's pay, validated, defaults filled in.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RolePay {
    pub role: &'static str,
    /// Pounds an hour before enhancements; None when the scenario gives no rate for the role.
    pub base: Option<f64>,
    /// Shares of `base` added for an hour in the unsocial window and for a weekend hour.
    pub unsocial: f64,
    pub weekend: f64,
    /// A multiple of `base`: the cost of an hour of overtime (handlers called in by
    /// `[contact_centre.overtime]`), with no enhancement.
    pub overtime: f64,
    /// The full-time week, in hours, that FTE divides by.
    pub contracted_hours: f64,
}

/// A scenario's `[pay]`, validated: one entry per role of [`ROLES`], in that order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pay {
    pub unsocial_from: TimeOfDay,
    pub unsocial_to: TimeOfDay,
    pub roles: Vec<RolePay>,
}

impl Pay {
    /// Pay with every default and no rates (what a scenario without `[pay]` has).
    pub fn unpaid() -> Pay {
        Pay {
            unsocial_from: DEFAULT_UNSOCIAL.0,
            unsocial_to: DEFAULT_UNSOCIAL.1,
            roles: (0..ROLES.len())
                .map(|r| RolePay {
                    role: ROLES[r],
                    base: None,
                    unsocial: 0.0,
                    weekend: 0.0,
                    overtime: DEFAULT_OVERTIME,
                    contracted_hours: default_contracted_hours(r),
                })
                .collect(),
        }
    }

    /// Whether cost is reported: some role has a base rate (then, validation has checked, every
    /// role the scenario pays has one).
    pub fn costed(&self) -> bool {
        self.roles.iter().any(|r| r.base.is_some())
    }

    /// Whether `ms` after midnight is in the unsocial-hours window.
    pub fn unsocial_at(&self, ms: u64) -> bool {
        let (from, to) = (self.unsocial_from.0, self.unsocial_to.0);
        if from < to {
            (from..to).contains(&ms)
        } else {
            ms >= from || ms < to
        }
    }

    /// The weekly cost of `hours` paid to role `role` (None without a rate for the role).
    pub fn cost(&self, role: usize, hours: &Hours) -> Option<f64> {
        let p = &self.roles[role];
        let base = p.base?;
        let [plain, unsocial, weekend, both] = hours.by_class();
        Some(
            base * (plain
                + unsocial * (1.0 + p.unsocial)
                + weekend * (1.0 + p.weekend)
                + both * (1.0 + p.unsocial + p.weekend)),
        )
    }

    /// Splits time on duty from `start` (ms after Monday 00:00; a week or more later wraps
    /// round) for `length` ms, `people` at once, into `hours` by class.
    pub fn add(&self, hours: &mut Hours, start: u64, length: u64, people: u64) {
        let (from, to) = (self.unsocial_from.0, self.unsocial_to.0);
        let mut t = start % WEEK;
        let mut left = length;
        while left > 0 {
            let day = t - t % DAY;
            let tod = t - day;
            // The next point after `tod` at which the class may change: a window's edge or the
            // day's end (which is where a weekend begins or ends).
            let next = [from, to, DAY]
                .into_iter()
                .filter(|&p| p > tod)
                .min()
                .unwrap_or(DAY);
            let seg = (next - tod).min(left);
            let class = usize::from(self.unsocial_at(tod)) + 2 * usize::from(day >= 5 * DAY);
            hours.ms[class] += u128::from(seg) * u128::from(people);
            left -= seg;
            t = (t + seg) % WEEK;
        }
    }
}

/// Person-time paid in a week, by class: neither unsocial nor weekend, unsocial only, weekend
/// only, both; as whole person-milliseconds over `per` weeks (a rota's cycle), so that sums are
/// exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hours {
    pub ms: [u128; 4],
    /// The weeks `ms` is spread over (1, or a rota's cycle).
    pub per: u64,
}

impl Default for Hours {
    fn default() -> Self {
        Hours { ms: [0; 4], per: 1 }
    }
}

impl Hours {
    /// Hours a week in each class.
    pub fn by_class(&self) -> [f64; 4] {
        self.ms
            .map(|ms| ms as f64 / HOUR as f64 / self.per.max(1) as f64)
    }

    /// Hours a week in all.
    pub fn total(&self) -> f64 {
        let ms: u128 = self.ms.iter().sum();
        ms as f64 / HOUR as f64 / self.per.max(1) as f64
    }
}

/// A group of people paid as one role in one team.
#[derive(Clone, Debug, PartialEq)]
pub struct Paid {
    /// Index into [`ROLES`].
    pub role: usize,
    /// The team: `handlers`, a stage's name, `dispatchers`, a response team's name (or, for
    /// units rostered by the shift, their sector's), an appointment sector's name, a ward's name
    /// (neighbourhood teams) or a workgroup's name.
    pub team: String,
    /// For a neighbourhood team, its ward (an index into the wards).
    pub ward: Option<usize>,
    pub hours: Hours,
}

/// Every group of people the scenario pays, in a fixed order: call handlers, the stages'
/// staff, dispatchers, response (teams, then units rostered by the shift, by sector),
/// appointment officers by sector, neighbourhood teams by ward and role, workgroups. Groups of
/// one role and team are one entry; a group paid nothing is left out.
pub fn paid(sc: &Scenario, pay: &Pay) -> Vec<Paid> {
    let mut out: Vec<Paid> = Vec::new();
    let mut put = |role: usize, team: &str, ward: Option<usize>, hours: Hours| {
        if hours.ms.iter().all(|&m| m == 0) {
            return;
        }
        // A ward's team is one entry per role by construction; other names may repeat.
        let same = match ward {
            Some(_) => None,
            None => out
                .iter_mut()
                .find(|p| p.ward.is_none() && p.role == role && p.team == team),
        };
        match same {
            Some(p) => {
                // Bring both to the same number of weeks (the least common multiple of
                // theirs), then add.
                let (a, b) = (p.hours.per, hours.per);
                let per = a / gcd(a, b) * b;
                let ms = std::array::from_fn(|c| {
                    p.hours.ms[c] * u128::from(per / a) + hours.ms[c] * u128::from(per / b)
                });
                p.hours = Hours { ms, per };
            }
            None => out.push(Paid {
                role,
                team: team.to_string(),
                ward,
                hours,
            }),
        }
    };
    let week = |people: u64| {
        let mut h = Hours::default();
        pay.add(&mut h, 0, WEEK, people);
        h
    };
    let roster = |r: &HandlerRoster| {
        let mut h = week(u64::from(r.constant));
        for s in &r.shifts {
            shift(pay, &mut h, s, u64::from(s.count));
        }
        h
    };
    put(ROLE_HANDLER, "handlers", None, roster(&sc.handlers));
    for stage in sc.stages.iter().filter(|s| s.people) {
        put(ROLE_HANDLER, &stage.name, None, roster(&stage.roster));
    }
    if let Some(r) = &sc.response {
        if let Some(d) = &r.dispatchers {
            put(ROLE_DISPATCHER, "dispatchers", None, roster(&d.roster));
        }
        for (t, team) in r.teams.iter().enumerate() {
            // One officer working every line of the rota once, then the establishment spread
            // over the cycle's weeks.
            let mut h = Hours::default();
            for u in r
                .unit_shifts
                .iter()
                .filter(|u| u.team.map(|x| x.0) == Some(t))
            {
                shift(pay, &mut h, &u.shift, 1);
            }
            h.ms = h.ms.map(|ms| ms * u128::from(team.officers));
            h.per = team.weeks as u64;
            put(ROLE_RESPONSE, &team.name, None, h);
        }
        for (s, sector) in r.sectors.iter().enumerate() {
            // Units always on duty are single crewed.
            let mut h = week(u64::from(r.constant_units.get(s).copied().unwrap_or(0)));
            for u in r
                .unit_shifts
                .iter()
                .filter(|u| u.team.is_none() && u.sector == s)
            {
                shift(pay, &mut h, &u.shift, u64::from(u.shift.count * u.crew));
            }
            put(ROLE_RESPONSE, &sector.name, None, h);
        }
        for (s, sector) in r.sectors.iter().enumerate() {
            let mut h = Hours::default();
            for a in r.appointments.iter().filter(|a| a.sector == s) {
                for day in (0..7).filter(|&d| a.days[d]) {
                    pay.add(
                        &mut h,
                        day as u64 * DAY + a.start.0,
                        a.length.0,
                        u64::from(a.officers),
                    );
                }
            }
            put(ROLE_APPOINTMENTS, &sector.name, None, h);
        }
        if let Some(n) = &sc.neighbourhood {
            // By ward, then role, as the wards come.
            let roles = super::neighbourhood::ROLES.len();
            let mut by = vec![Hours::default(); r.wards.len() * roles];
            for s in &n.shifts {
                let m = &n.members[s.member as usize];
                if let Some(h) = by.get_mut(m.ward * roles + m.role) {
                    shift(pay, h, &s.shift, 1);
                }
            }
            for (i, h) in by.into_iter().enumerate() {
                let w = i / roles;
                put(HOOD_ROLE + i % roles, &r.wards[w].name, Some(w), h);
            }
        }
    }
    for g in &sc.workgroups {
        let mut h = week(u64::from(g.constant));
        for s in &g.shifts {
            shift(pay, &mut h, s, u64::from(s.count));
        }
        put(ROLE_STAFF, &g.name, None, h);
    }
    out
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a.max(1) } else { gcd(b, a % b) }
}

/// A weekly shift pattern, `people` on each of its days, into `h`.
pub fn shift(pay: &Pay, h: &mut Hours, s: &Shift, people: u64) {
    for day in (0..7).filter(|&d| s.days[d]) {
        pay.add(h, day as u64 * DAY + s.start.0, s.length.0, people);
    }
}

/// The FTE of `hours` paid to role `role`.
pub fn fte(pay: &Pay, role: usize, hours: &Hours) -> f64 {
    hours.total() / pay.roles[role].contracted_hours
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MINUTE;

    fn pay(from: u64, to: u64) -> Pay {
        Pay {
            unsocial_from: TimeOfDay(from),
            unsocial_to: TimeOfDay(to),
            ..Pay::unpaid()
        }
    }

    fn hours(p: &Pay, start: u64, length: u64) -> [f64; 4] {
        let mut h = Hours::default();
        p.add(&mut h, start, length, 1);
        h.by_class()
    }

    #[test]
    fn a_shift_is_split_at_the_window_and_the_weekend() {
        let p = pay(20 * HOUR, 6 * HOUR);
        // Monday 07:00-15:00: all plain.
        assert_eq!(hours(&p, 7 * HOUR, 8 * HOUR), [8.0, 0.0, 0.0, 0.0]);
        // Monday 18:00 for 14 hours: 18-20 plain, 20-06 unsocial, 06-08 plain.
        assert_eq!(hours(&p, 18 * HOUR, 14 * HOUR), [4.0, 10.0, 0.0, 0.0]);
        // Friday 22:00 for 10 hours: 22-24 unsocial, Saturday 00-06 both, 06-08 weekend.
        assert_eq!(
            hours(&p, 4 * DAY + 22 * HOUR, 10 * HOUR),
            [0.0, 2.0, 2.0, 6.0]
        );
        // Sunday 22:00 for 10 hours wraps round to Monday: 2 both, 6 unsocial, 2 plain.
        assert_eq!(
            hours(&p, 6 * DAY + 22 * HOUR, 10 * HOUR),
            [2.0, 6.0, 0.0, 2.0]
        );
        // A whole week: 10 unsocial hours a day, 2 days of weekend.
        assert_eq!(hours(&p, 0, WEEK), [70.0, 50.0, 28.0, 20.0]);
    }

    #[test]
    fn a_window_within_the_day_and_on_the_minute() {
        let p = pay(9 * HOUR + 30 * MINUTE, 17 * HOUR);
        // Monday 09:00-10:00: half an hour either side of the window's start.
        assert_eq!(hours(&p, 9 * HOUR, HOUR), [0.5, 0.5, 0.0, 0.0]);
        assert!(p.unsocial_at(16 * HOUR) && !p.unsocial_at(17 * HOUR));
        let night = pay(20 * HOUR, 6 * HOUR);
        assert!(
            night.unsocial_at(23 * HOUR) && night.unsocial_at(0) && !night.unsocial_at(6 * HOUR)
        );
    }

    #[test]
    fn enhancements_add_and_do_not_compound() {
        let mut p = pay(20 * HOUR, 6 * HOUR);
        p.roles[ROLE_HANDLER].base = Some(20.0);
        p.roles[ROLE_HANDLER].unsocial = 0.25;
        p.roles[ROLE_HANDLER].weekend = 0.5;
        let mut h = Hours::default();
        // Saturday 00:00-01:00: both enhancements, 20 x (1 + 0.25 + 0.5) = 35.
        p.add(&mut h, 5 * DAY, HOUR, 1);
        assert_eq!(p.cost(ROLE_HANDLER, &h), Some(35.0));
        assert_eq!(p.cost(ROLE_DISPATCHER, &h), None);
        assert_eq!(fte(&p, ROLE_HANDLER, &h), 1.0 / 37.0);
    }
}
