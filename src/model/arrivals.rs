//! Call arrivals: a non-homogeneous Poisson process whose rate is constant within each hour
//! (the hour-of-week profile times the month's seasonal factor), or fixed times.
//!
//! Exact by inversion of the cumulative rate: draw E ~ Exp(1) and walk forward hour by hour,
//! spending E at each hour's rate, until it is used up. For a piecewise-constant rate this gives
//! exactly the process's next arrival (no approximation, no rejections). Time is carried in
//! continuous milliseconds and only the event time is truncated to whole milliseconds, so
//! rounding never accumulates.

use crate::scenario::Arrivals;
use crate::time::{Calendar, DAY, HOUR, Time};
use rand::Rng;
use rand_distr::{Distribution, Exp1};

pub enum ArrivalGen {
    Profile(Box<ProfileGen>),
    Fixed { times: Vec<Time>, next: usize },
}

pub struct ProfileGen {
    /// Calls per millisecond in each hour of the week, before seasonal factors.
    rate: [f64; 168],
    seasonal: Option<[f64; 12]>,
    cal: Calendar,
    horizon: f64,
    t: f64,
    piece_end: f64,
    piece_rate: f64,
    day: u64,
    day_factor: f64,
}

impl ArrivalGen {
    pub fn new(a: &Arrivals, cal: Calendar, horizon: Time) -> ArrivalGen {
        match a {
            Arrivals::Fixed { times } => ArrivalGen::Fixed {
                times: times.iter().map(|t| t.0).collect(),
                next: 0,
            },
            Arrivals::Profile {
                calls_per_week,
                weights,
                seasonal,
            } => {
                let mut rate = [0.0; 168];
                for (r, w) in rate.iter_mut().zip(weights) {
                    *r = calls_per_week * w / HOUR as f64;
                }
                let seasonal = seasonal.as_ref().map(|s| {
                    let mut a = [1.0; 12];
                    a.copy_from_slice(s);
                    a
                });
                let mut g = ProfileGen {
                    rate,
                    seasonal,
                    cal,
                    horizon: horizon as f64,
                    t: 0.0,
                    piece_end: HOUR as f64,
                    piece_rate: 0.0,
                    day: u64::MAX,
                    day_factor: 1.0,
                };
                g.piece_rate = g.rate_at(0);
                ArrivalGen::Profile(Box::new(g))
            }
        }
    }

    /// The next arrival time before the horizon, or None when there is none.
    #[inline]
    pub fn next<R: Rng + ?Sized>(&mut self, rng: &mut R) -> Option<Time> {
        match self {
            ArrivalGen::Fixed { times, next } => {
                let t = times.get(*next).copied();
                *next += 1;
                t
            }
            ArrivalGen::Profile(g) => g.next(rng),
        }
    }
}

impl ProfileGen {
    fn rate_at(&mut self, t: Time) -> f64 {
        let base = self.rate[self.cal.hour_of_week(t)];
        if let Some(s) = &self.seasonal {
            let day = t / DAY;
            if day != self.day {
                self.day = day;
                self.day_factor = s[(self.cal.date(t).month - 1) as usize];
            }
            base * self.day_factor
        } else {
            base
        }
    }

    #[inline]
    fn next<R: Rng + ?Sized>(&mut self, rng: &mut R) -> Option<Time> {
        let mut e: f64 = Exp1.sample(rng);
        loop {
            if self.piece_rate > 0.0 {
                let room = (self.piece_end - self.t) * self.piece_rate;
                if e <= room {
                    self.t += e / self.piece_rate;
                    break;
                }
                e -= room;
            }
            self.t = self.piece_end;
            if self.t >= self.horizon {
                return None;
            }
            self.piece_end = self.t + HOUR as f64;
            self.piece_rate = self.rate_at(self.t as Time);
        }
        (self.t < self.horizon).then_some(self.t as Time)
    }
}
