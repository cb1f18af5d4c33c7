//! The scenario hashes of a sweep's points, worked out without hashing again what a point's
//! canonical JSON shares with the point before it.
//!
//! A point's scenario differs from the one before it only in the values it sweeps, so their
//! canonical JSON (see [`Scenario::hash`]) is the same up to the first of them. SHA-256 takes
//! its input in blocks of 64 bytes, and its state after the blocks of a shared prefix is the
//! same for both: the state after each block of the last point's JSON is kept, and the next
//! point's hash goes on from the last state before the first byte that differs. The hashes are
//! those of [`Scenario::hash`], bit for bit.

use crate::scenario::Scenario;
use sha2::{Digest, Sha256};

const BLOCK: usize = 64;

#[derive(Default)]
pub(super) struct PointHasher {
    /// The last point's canonical JSON.
    last: Vec<u8>,
    /// The state after 0, 1, 2 ... whole blocks of `last` (the first is a new hasher's).
    states: Vec<Sha256>,
}

impl PointHasher {
    /// [`Scenario::hash`] of `sc`.
    pub(super) fn hash(&mut self, sc: &Scenario) -> String {
        let json = serde_json::to_vec(sc).expect("a scenario serialises");
        let shared = json
            .iter()
            .zip(&self.last)
            .take_while(|(a, b)| a == b)
            .count();
        if self.states.is_empty() {
            self.states.push(Sha256::new());
        }
        // The blocks wholly in the shared prefix, as far as states were kept.
        let kept = (shared / BLOCK).min(self.states.len() - 1);
        self.states.truncate(kept + 1);
        let mut h = self.states[kept].clone();
        let mut blocks = json[kept * BLOCK..].chunks_exact(BLOCK);
        for block in &mut blocks {
            h.update(block);
            self.states.push(h.clone());
        }
        h.update(blocks.remainder());
        self.last = json;
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}
