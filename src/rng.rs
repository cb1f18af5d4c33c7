//! Seeds and numbered random streams: the one place that makes generators (ground floor:
//! every layer above may use it, it uses none).
//!
//! Replication r's seed comes from the master seed and r alone (never from the scenario), and
//! each source of randomness has its own fixed stream number, so two scenarios that differ only
//! in staffing see exactly the same calls, and a new stream added later does not change the
//! numbers an existing stream gives. The generator is ChaCha8 (named by its algorithm, so its
//! output does not change between crate versions) with `set_stream`; draws keyed by a call come
//! from `KeyedStream`, a counter-based generator written here (so its output never changes
//! either).

pub mod seed;

use rand::SeedableRng;
pub use rand::rngs::ChaCha8Rng;

/// Purposes of randomness. A stream number is `purpose << 8 | index` (index: the channel, the
/// abstraction, the target...). A number, once given, never changes: every shipped result
/// depends on it.
///
/// Blocks reserved for the parts that come next, so that they cannot collide (take the next
/// free number of your part's block; never reuse a number):
///
/// | purposes | part |
/// | --- | --- |
/// | 1-20 | taken (below) |
/// | 21-31 | spare |
/// | 32-47 | control room: redials, silent calls, staged handling, dispatch, random travel |
/// | 48-63 | officers and abstraction: rotas, shrinkage, duties, backfill |
/// | 64-79 | a force's own data and geography: call logs, maps, calibration |
/// | 80-95 | staffing and escalation: overtime, overflow, mutual aid |
/// | 96-111 | faster sampling: keyed per-call draws |
///
/// A call's own attributes were drawn in turn from ChaCha8 streams of HANDLING, PATIENCE,
/// CALLBACK, WARD to PAPERWORK, ON_SCENE_S, CAD_DELAY, DISPATCH_TIME, HANDLING_BY_GRADE,
/// HANDLING_BY_CATEGORY and DUTY_AFTER; they are now keyed by the call (CALL_INCIDENT to
/// CALL_DUTY_AFTER). The old numbers stay taken: they are never given to anything else.
pub mod purpose {
    pub const ARRIVALS: u64 = 1;
    pub const HANDLING: u64 = 2;
    pub const PATIENCE: u64 = 3;
    pub const CALLBACK: u64 = 4;
    pub const WARD: u64 = 5;
    pub const LOCATION: u64 = 6;
    pub const GRADE: u64 = 7;
    pub const CATEGORY: u64 = 8;
    pub const TWO_UNITS: u64 = 9;
    pub const ON_SCENE: u64 = 10;
    pub const PAPERWORK: u64 = 11;
    pub const PATROL: u64 = 12;
    /// Time on scene of priority (S) incidents; ON_SCENE is for emergencies (I).
    pub const ON_SCENE_S: u64 = 13;
    /// Lengths of planned abstractions (index: the abstraction).
    pub const ABSTRACTION: u64 = 14;
    /// Gaps between Poisson abstractions.
    pub const ABSTRACTION_GAP: u64 = 15;
    /// Where a neighbourhood officer is in their ward when sent to an incident.
    pub const MEMBER_PLACE: u64 = 16;
    /// Follow-up streams (index: the target's number, 7 for T7).
    pub const TASK_ARRIVALS: u64 = 17;
    pub const TASK_WORK: u64 = 18;
    pub const TASK_CASE: u64 = 19;
    pub const TASK_WARD: u64 = 20;

    // The control room (block 32-47).
    /// Travel factors of a call's first two trips, drawn on arrival (index: the channel).
    pub const TRAVEL_FACTOR: u64 = 32;
    /// Travel factors of any later trip (after a diversion), in order of dispatch.
    pub const TRAVEL_EXTRA: u64 = 33;
    /// The CAD delay from answer to creation (index: channel x 3 + grade I, S, E).
    pub const CAD_DELAY: u64 = 34;
    /// A dispatcher's time per incident (index: the channel).
    pub const DISPATCH_TIME: u64 = 35;
    /// Keyed by (caller, attempt): whether and when an abandoning caller redials, and the new
    /// attempt's patience.
    pub const REDIAL: u64 = 36;
    /// Silent and accidental 999 calls: arrivals, handling time, call-back length.
    pub const SILENT_ARRIVALS: u64 = 37;
    pub const SILENT_HANDLING: u64 = 38;
    /// Whether an abandoned genuine emergency becomes an incident when called back (index: the
    /// channel).
    pub const ABANDONED_INCIDENT: u64 = 39;
    /// Handling time by grade (index: channel x 4 + grade I, S, E, R).
    pub const HANDLING_BY_GRADE: u64 = 40;
    /// Staged handling, per stage (index: the stage): work, patience, the transfer draw.
    pub const STAGE_HANDLING: u64 = 41;
    pub const STAGE_PATIENCE: u64 = 42;
    pub const STAGE_TRANSFER: u64 = 43;
    /// Handling time by category (index: channel x 5 + category).
    pub const HANDLING_BY_CATEGORY: u64 = 44;

    // Officers' time (block 48-63).
    /// Whether a rostered response unit-shift is lost to shrinkage, in order of shift starts.
    pub const UNIT_SHRINKAGE: u64 = 48;
    /// Whether a neighbourhood member's rostered shift is lost to shrinkage (index: member).
    pub const MEMBER_SHRINKAGE: u64 = 49;
    /// Response duties (index: the duty): lengths, and gaps of duties at a weekly rate.
    pub const DUTY_LENGTH: u64 = 50;
    pub const DUTY_GAP: u64 = 51;
    /// Keyed by call: whether an incident's unit takes an after-incident duty, and its length
    /// (index: the duty).
    pub const DUTY_AFTER: u64 = 52;
    /// Neighbourhood members' duties (index: the duty): lengths and gaps.
    pub const MEMBER_DUTY_LENGTH: u64 = 53;
    pub const MEMBER_DUTY_GAP: u64 = 54;
    /// Workgroup staff: whether a rostered shift is lost to shrinkage (index: the workgroup,
    /// in order of shift starts), and their duties' lengths and gaps (index: the duty).
    pub const STAFF_SHRINKAGE: u64 = 55;
    pub const STAFF_DUTY_LENGTH: u64 = 56;
    pub const STAFF_DUTY_GAP: u64 = 57;
    /// Keyed by an appointment session and its start: whether each of its officers is lost to
    /// shrinkage.
    pub const APPOINTMENT_SHRINKAGE: u64 = 58;
    /// `calibrate`'s Latin hypercube of start points (the last of the force-data block, so
    /// that the call log's and the map's numbers run on from its first).
    pub const CALIBRATION: u64 = 79;
    /// Keyed by a 999 attempt (caller and attempt): the partner control room's time to answer
    /// it when it overflows.
    pub const OVERFLOW: u64 = 80;
    /// Keyed by an incident's call: the mutual aid unit's drive from its own base.
    pub const MUTUAL_AID: u64 = 82;

    // Faster sampling (block 96-111): counter-based draws keyed by a call (see `KeyedStream`).
    /// Keyed by a call's index on its channel (index: the channel): its incident's attributes
    /// (parts: ward 0, location 1, grade 2, category 3, two units 4, time on scene of I 5 and
    /// of S 6, paperwork 7).
    pub const CALL_INCIDENT: u64 = 96;
    /// Keyed by a call's index on its channel (index: the channel): the control room's draws
    /// (parts: CAD delay of I, S, E 0-2, dispatcher's time 3, the first two trips' travel
    /// factors 4).
    pub const CALL_CONTROL_ROOM: u64 = 97;
    /// Keyed by a call's index on its channel (index: the channel): its handling time (parts:
    /// the channel's 0; by grade 1-4; by category 5-9), patience 10 and call-back length 11.
    pub const CALL_HANDLING: u64 = 98;
    /// Keyed by call, duty and whether it is the incident's second unit: whether the unit takes
    /// an after-incident duty, and its length (in place of DUTY_AFTER).
    pub const CALL_DUTY_AFTER: u64 = 99;

    /// The first purpose of each reserved block (see the table above).
    pub const CONTROL_ROOM_BLOCK: u64 = 32;
    pub const OFFICERS_BLOCK: u64 = 48;
    pub const FORCE_DATA_BLOCK: u64 = 64;
    pub const STAFFING_BLOCK: u64 = 80;
    pub const SAMPLING_BLOCK: u64 = 96;
    /// One past the last reserved purpose.
    pub const RESERVED_END: u64 = 112;
}

/// The stream number for a purpose and an index within it (such as the channel).
pub const fn stream(purpose: u64, index: u64) -> u64 {
    (purpose << 8) | index
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Replication r's seed, from the master seed and r alone.
pub fn replication_seed(master: u64, replication: u32) -> u64 {
    let mut s = master ^ 0x6A09_E667_F3BC_C908;
    let a = splitmix64(&mut s);
    let mut t = a ^ u64::from(replication).wrapping_mul(0xD1B5_4A32_D192_ED03);
    splitmix64(&mut t)
}

/// The generator for one stream of one replication.
pub fn rng(replication_seed: u64, stream_number: u64) -> ChaCha8Rng {
    let mut s = replication_seed;
    let mut key = [0u8; 32];
    for chunk in key.chunks_mut(8) {
        chunk.copy_from_slice(&splitmix64(&mut s).to_le_bytes());
    }
    let mut r = ChaCha8Rng::from_seed(key);
    r.set_stream(stream_number);
    r
}

/// The generator for draws keyed by `key` (for example a caller and an attempt) within a
/// purpose: a fixed window of 256 words of the purpose's stream, so the draws for one key are
/// the same whatever happened before them (common random numbers across options).
pub fn keyed(replication_seed: u64, purpose: u64, key: u64) -> ChaCha8Rng {
    let mut r = rng(replication_seed, stream(purpose, 255));
    r.set_word_pos(u128::from(key) << 8);
    r
}

/// The SplitMix64 output function: a bijection of 64-bit words that mixes every input bit into
/// every output bit.
#[inline]
const fn mix64(x: u64) -> u64 {
    let z = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Counter-based draws of one stream of one replication, keyed by (for example) a call's index:
/// the draws for a key depend on the replication seed, the stream number and the key alone, not
/// on what was drawn before or for other keys, so a key's draws are the same in every option
/// (common random numbers) and a draw nobody needs is never made. A key's words are SplitMix64
/// from a start mixed from the key, in parts (`Keyed::part`, one per attribute) of 2^16 words
/// each, so an attribute's draws do not depend on whether another was drawn. Setting up a key
/// costs one mixing of a word, and each 64-bit draw another: several times cheaper per call
/// than a ChaCha8 block.
#[derive(Clone, Copy, Debug)]
pub struct KeyedStream {
    base: u64,
}

impl KeyedStream {
    pub fn new(replication_seed: u64, stream_number: u64) -> Self {
        let mut s = replication_seed ^ mix64(stream_number ^ 0x243F_6A88_85A3_08D3);
        splitmix64(&mut s);
        KeyedStream {
            base: splitmix64(&mut s),
        }
    }

    /// The generator of `key`'s draws (its part 0).
    #[inline]
    pub fn at(&self, key: u64) -> Keyed {
        Keyed {
            state: mix64(self.base ^ key.wrapping_mul(0xD6E8_FEB8_6659_FD93)),
        }
    }
}

/// The draws of one key of a `KeyedStream` (SplitMix64 from the key's own start).
#[derive(Clone, Debug)]
pub struct Keyed {
    state: u64,
}

impl Keyed {
    /// The generator of part `part` of the same key (part 0 is the key's own).
    #[inline]
    pub fn part(&self, part: u64) -> Keyed {
        Keyed {
            state: self
                .state
                .wrapping_add((part << 16).wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        }
    }

    #[inline]
    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.state)
    }
}

impl rand::TryRng for Keyed {
    type Error = core::convert::Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok((self.next() >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.next())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(8) {
            let w = self.next().to_le_bytes();
            chunk.copy_from_slice(&w[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng as _, RngExt as _};

    #[test]
    fn streams_are_fixed_and_distinct() {
        let s = replication_seed(42, 3);
        assert_eq!(s, replication_seed(42, 3));
        assert_ne!(s, replication_seed(42, 4));
        assert_ne!(s, replication_seed(43, 3));
        let a: u64 = rng(s, stream(purpose::HANDLING, 0)).next_u64();
        let b: u64 = rng(s, stream(purpose::HANDLING, 1)).next_u64();
        assert_ne!(a, b);
        assert_eq!(a, rng(s, stream(purpose::HANDLING, 0)).next_u64());
    }

    #[test]
    fn generator_output_is_pinned() {
        // Guards the bytes every result depends on: a change of generator or seeding shows here.
        let mut r = rng(replication_seed(1, 0), stream(purpose::ARRIVALS, 0));
        let v: Vec<u64> = (0..2).map(|_| r.next_u64()).collect();
        assert_eq!(v, PINNED.to_vec());
    }
    #[test]
    fn keyed_draws_are_pinned_and_depend_on_the_key_alone() {
        let k = KeyedStream::new(replication_seed(1, 0), stream(purpose::CALL_INCIDENT, 2));
        let v: Vec<u64> = (0..2).map(|_| k.at(5).part(3).next_u64()).collect();
        // The same key gives the same draws, however often and in whatever order it is asked.
        assert_eq!(v[0], v[1]);
        let mut r = k.at(5).part(3);
        let w: Vec<u64> = (0..2).map(|_| r.next_u64()).collect();
        assert_eq!(w, PINNED_KEYED.to_vec());
        assert_ne!(k.at(6).part(3).next_u64(), w[0]);
        assert_ne!(k.at(5).part(2).next_u64(), w[0]);
        assert_ne!(k.at(5).next_u64(), w[0]);
        let other = KeyedStream::new(replication_seed(1, 0), stream(purpose::CALL_INCIDENT, 3));
        assert_ne!(other.at(5).next_u64(), w[0]);
        assert_ne!(
            KeyedStream::new(replication_seed(1, 1), stream(purpose::CALL_INCIDENT, 2))
                .at(5)
                .next_u64(),
            w[0]
        );
    }

    #[test]
    fn keyed_uniforms_are_uniform_across_keys() {
        // The first uniform of each of many keys: mean 1/2, variance 1/12, and neighbouring keys
        // uncorrelated (each within 4 standard errors).
        let k = KeyedStream::new(replication_seed(9, 0), stream(purpose::CALL_HANDLING, 0));
        let n = 200_000;
        let u: Vec<f64> = (0..n).map(|i| k.at(i).part(1).random::<f64>()).collect();
        let n = n as f64;
        let m = u.iter().sum::<f64>() / n;
        let v = u.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n;
        let c = u.windows(2).map(|w| (w[0] - m) * (w[1] - m)).sum::<f64>() / (n - 1.0) / v;
        assert!((m - 0.5).abs() < 4.0 * (1.0 / 12.0 / n).sqrt(), "mean {m}");
        // The variance of a uniform's squared deviation is 1/80 - 1/144.
        assert!(
            (v - 1.0 / 12.0).abs() < 4.0 * ((1.0 / 80.0 - 1.0 / 144.0) / n).sqrt(),
            "variance {v}"
        );
        assert!(c.abs() < 4.0 / n.sqrt(), "lag-1 correlation {c}");
        // Nor are two parts of the same key correlated.
        let u2: Vec<f64> = (0..n as u64)
            .map(|i| k.at(i).part(2).random::<f64>())
            .collect();
        let c2 = u
            .iter()
            .zip(&u2)
            .map(|(x, y)| (x - m) * (y - 0.5))
            .sum::<f64>()
            / n
            / v;
        assert!(c2.abs() < 4.0 / n.sqrt(), "correlation of parts {c2}");
    }

    #[test]
    fn taken_purposes_are_distinct_and_below_the_reserved_blocks() {
        use purpose::*;
        let taken = [
            ARRIVALS,
            HANDLING,
            PATIENCE,
            CALLBACK,
            WARD,
            LOCATION,
            GRADE,
            CATEGORY,
            TWO_UNITS,
            ON_SCENE,
            PAPERWORK,
            PATROL,
            ON_SCENE_S,
            ABSTRACTION,
            ABSTRACTION_GAP,
            MEMBER_PLACE,
            TASK_ARRIVALS,
            TASK_WORK,
            TASK_CASE,
            TASK_WARD,
        ];
        // The numbers are the ones results were made with: 1 to 20 in this order.
        assert_eq!(taken.to_vec(), (1..=20).collect::<Vec<u64>>());
        assert!(taken.iter().all(|&p| p < CONTROL_ROOM_BLOCK));
        let blocks = [
            CONTROL_ROOM_BLOCK,
            OFFICERS_BLOCK,
            FORCE_DATA_BLOCK,
            STAFFING_BLOCK,
            SAMPLING_BLOCK,
            RESERVED_END,
        ];
        assert!(blocks.windows(2).all(|w| w[1] - w[0] == 16));
        // A stream number keeps its purpose and index apart for every index below 256.
        assert_eq!(stream(RESERVED_END - 1, 255) >> 8, RESERVED_END - 1);
    }

    const PINNED: [u64; 2] = [1_999_724_738_581_605_004, 16_981_001_060_285_259_292];
    const PINNED_KEYED: [u64; 2] = [10_575_347_794_920_299_402, 1_878_072_022_088_039_114];
}
