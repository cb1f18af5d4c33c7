//! The pledge presets: every quantified commitment of the Policing Pledge (T1-T14) as each
//! force's leaflet states it, with the share of calls or tasks that must meet it.
//!
//! Where a leaflet gives no figure, the preset uses a labelled default and says so in `note`.
//! Where a leaflet gives no required share, it is 90% (the national 999 standard).

use crate::time::{Deadline, Duration, HOUR, MINUTE, SECOND};
use serde::Serialize;

/// The target identifiers, T1 to T14.
pub const TARGET_IDS: [&str; 14] = [
    "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12", "T13", "T14",
];

/// The names of the presets, as written in a scenario's `pledge` field.
pub const PRESETS: [&str; 4] = ["met-2009", "met-qosc", "england-wales", "hertfordshire"];

/// One commitment as a preset (or a scenario's override) states it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Target {
    pub id: &'static str,
    /// What is promised, in the leaflet's words.
    pub commitment: &'static str,
    /// Whether this preset makes the commitment at all.
    pub applies: bool,
    /// The time within which it must be done (urban areas where the preset distinguishes).
    pub time: Option<Deadline>,
    /// The time for rural areas, where it differs (T3 in england-wales).
    pub rural_time: Option<Deadline>,
    /// A level to reach rather than a time (T6: 80% of time visible in own ward).
    pub threshold: Option<f64>,
    /// The share of calls, incidents, tasks or officers that must meet it.
    pub share: f64,
    /// Where a figure is a labelled default rather than the leaflet's own, why.
    pub note: Option<&'static str>,
}

const fn secs(n: u64) -> Option<Deadline> {
    Some(Deadline::Elapsed(Duration(n * SECOND)))
}
const fn mins(n: u64) -> Option<Deadline> {
    Some(Deadline::Elapsed(Duration(n * MINUTE)))
}
const fn hours(n: u64) -> Option<Deadline> {
    Some(Deadline::Elapsed(Duration(n * HOUR)))
}

/// The commitment of target `id` ("T3") in plain words, as the presets state it.
pub fn commitment(id: &str) -> Option<&'static str> {
    let n: usize = id.strip_prefix('T')?.parse().ok()?;
    COMMITMENTS.get(n.checked_sub(1)?).copied()
}

const COMMITMENTS: [&str; 14] = [
    "999 calls answered within",
    "non-emergency calls answered within",
    "emergency attendance within",
    "attendance for vulnerable or upset callers, and for agreed neighbourhood priorities, within",
    "otherwise an appointment within",
    "neighbourhood team time spent visibly in its own ward",
    "reply to a message sent to the neighbourhood team within",
    "public meetings to agree priorities, at least",
    "victims of crime kept informed at least every",
    "dissatisfaction acknowledged within",
    "reply to a contact about services within",
    "road-traffic collision parties contacted within",
    "domestic violence victim contacted within",
    "serious assault reviewed by a supervising detective within",
];

fn target(i: usize, time: Option<Deadline>) -> Target {
    Target {
        id: TARGET_IDS[i],
        commitment: COMMITMENTS[i],
        applies: true,
        time,
        rural_time: None,
        threshold: None,
        share: 0.9,
        note: None,
    }
}

fn not_made(i: usize) -> Target {
    Target {
        applies: false,
        ..target(i, None)
    }
}

const PROMPTLY: &str = "the leaflet says \"promptly\" with no figure; default 30 s for 80%, Hertfordshire's force standard";

/// The fourteen targets of a preset, or None for an unknown name.
pub fn preset(name: &str) -> Option<Vec<Target>> {
    let month = Some(Deadline::CalendarMonths(1));
    let t = match name {
        "met-2009" => vec![
            target(0, secs(10)),
            target(1, secs(30)),
            target(2, mins(12)),
            target(3, mins(60)),
            target(4, hours(48)),
            Target {
                threshold: Some(0.8),
                ..target(5, None)
            },
            target(6, hours(24)),
            target(7, month),
            target(8, hours(28 * 24)),
            target(9, hours(24)),
            not_made(10),
            target(11, Some(Deadline::WorkingDays(10))),
            target(12, hours(24)),
            target(13, hours(18)),
        ],
        "met-qosc" => vec![
            target(0, secs(10)),
            target(1, secs(60)),
            target(2, mins(12)),
            not_made(3),
            not_made(4),
            not_made(5),
            not_made(6),
            not_made(7),
            Target {
                note: Some(
                    "\"fully informed\" with no interval; default every 28 days as in met-2009",
                ),
                ..target(8, hours(28 * 24))
            },
            not_made(9),
            target(10, Some(Deadline::WorkingDays(10))),
            not_made(11),
            not_made(12),
            not_made(13),
        ],
        "england-wales" | "hertfordshire" => {
            let t3 = if name == "england-wales" {
                Target {
                    rural_time: mins(20),
                    ..target(2, mins(15))
                }
            } else {
                target(2, mins(15))
            };
            vec![
                target(0, secs(10)),
                Target {
                    share: 0.8,
                    note: Some(PROMPTLY),
                    ..target(1, secs(30))
                },
                t3,
                target(3, mins(60)),
                target(4, hours(48)),
                Target {
                    threshold: Some(0.8),
                    ..target(5, None)
                },
                target(6, hours(24)),
                target(7, month),
                target(8, month),
                target(9, hours(24)),
                not_made(10),
                not_made(11),
                not_made(12),
                not_made(13),
            ]
        }
        _ => return None,
    };
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_follow_the_leaflets() {
        let met = preset("met-2009").unwrap();
        assert_eq!(met[0].time.unwrap().to_string(), "10s");
        assert_eq!(met[1].time.unwrap().to_string(), "30s");
        assert_eq!(met[2].time.unwrap().to_string(), "12min");
        assert!(!met[10].applies);
        let qosc = preset("met-qosc").unwrap();
        assert_eq!(qosc[1].time.unwrap().to_string(), "60s");
        assert_eq!(qosc[1].share, 0.9);
        let ew = preset("england-wales").unwrap();
        assert_eq!(ew[2].time.unwrap().to_string(), "15min");
        assert_eq!(ew[2].rural_time.unwrap().to_string(), "20min");
        assert_eq!(ew[1].share, 0.8);
        assert!(ew[1].note.is_some());
        let herts = preset("hertfordshire").unwrap();
        assert_eq!(herts[2].rural_time, None);
        for name in PRESETS {
            let p = preset(name).unwrap();
            assert_eq!(p.len(), 14);
            for (i, t) in p.iter().enumerate() {
                assert_eq!(t.id, TARGET_IDS[i]);
            }
        }
        assert!(preset("atlantis").is_none());
    }
}
