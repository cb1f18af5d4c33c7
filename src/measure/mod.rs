//! Measures: turns what one replication counted into the figures of the KPI tables, one part at
//! a time (contact, response, neighbourhood, follow-up), each part writing every row's key and
//! value together so the two cannot drift apart. Summaries pair keys with values by position.
//!
//! Rules, in one place:
//! - the rows come in a fixed order for a scenario: contact, then response, then neighbourhood,
//!   then follow-up, then staffing; within a part, the order its emitter writes them;
//! - a share against a target the pledge does not make is undefined (NaN; its row stays);
//! - no part calls another: what they share lives in [`key`] and in [`Emitter`].

mod contact;
mod followup;
pub mod key;
mod neighbourhood;
mod response;
mod staffing;

pub use key::{KpiKey, is_headline};
pub use neighbourhood::{DUTY_STATS, LOST_STATS, bin_label, ward_role};
pub use response::target_text;
pub use staffing::role_team;

use crate::model::result::ReplicationResult;
use crate::scenario::Scenario;

/// The four tables a row can belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// One row per figure for the whole run (summary.json, kpis.csv).
    Overall = 0,
    /// By hour of the week (hourly.csv).
    Hourly = 1,
    /// By ward (wards.csv).
    Wards = 2,
    /// By neighbourhood ward and role, and the distribution of visible shares
    /// (neighbourhood.csv).
    Hood = 3,
}

/// A statistic and how it comes from a part's counts (and the measured window, in ms).
type Figure<T> = (&'static str, fn(&T, u64) -> f64);

/// Collects either the keys of a scenario's tables (no result) or one replication's values.
/// A part writes each row once, key and value side by side: the key is built only when keys are
/// wanted, the value only when there is a result to take it from.
pub struct Emitter<'r> {
    result: Option<&'r ReplicationResult>,
    /// Only the overall table's rows are wanted (a sweep writes no others).
    overall_only: bool,
    keys: [Vec<KpiKey>; 4],
    values: [Vec<f64>; 4],
}

impl<'r> Emitter<'r> {
    fn new(result: Option<&'r ReplicationResult>, overall_only: bool) -> Self {
        Emitter {
            result,
            overall_only,
            keys: Default::default(),
            values: Default::default(),
        }
    }

    /// The replication's result, when values are wanted.
    pub fn result(&self) -> Option<&'r ReplicationResult> {
        self.result
    }

    /// Whether rows of `table` are wanted: a part may skip the work of a table's rows when not.
    #[inline]
    pub fn wants(&self, table: Table) -> bool {
        !self.overall_only || table == Table::Overall
    }

    /// One row: its key, and its value taken from `source` (which is there whenever there is a
    /// result).
    pub fn row<T: ?Sized>(
        &mut self,
        table: Table,
        key: impl FnOnce() -> KpiKey,
        source: Option<&T>,
        value: impl FnOnce(&T) -> f64,
    ) {
        if !self.wants(table) {
            return;
        }
        if self.result.is_some() {
            let source = source.expect("a result has every part its scenario has");
            self.values[table as usize].push(value(source));
        } else {
            self.keys[table as usize].push(key());
        }
    }

    /// Calls every part in turn.
    fn emit(mut self, sc: &Scenario) -> Self {
        contact::emit(sc, &mut self);
        response::emit(sc, &mut self);
        neighbourhood::emit(sc, &mut self);
        neighbourhood::emit_teams(sc, &mut self);
        followup::emit(sc, &mut self);
        followup::emit_staff(sc, &mut self);
        followup::emit_overtime(sc, &mut self);
        staffing::emit(sc, &mut self);
        self
    }
}

/// The hours of the week to write rows for: all 168, or none when the hourly table is not
/// wanted.
pub(super) fn hours(e: &Emitter) -> usize {
    if e.wants(Table::Hourly) { 168 } else { 0 }
}

/// The keys of the overall, hourly, ward and neighbourhood tables for a scenario.
pub fn keys(sc: &Scenario) -> (Vec<KpiKey>, Vec<KpiKey>, Vec<KpiKey>, Vec<KpiKey>) {
    let [overall, hourly, wards, hood] = Emitter::new(None, false).emit(sc).keys;
    (overall, hourly, wards, hood)
}

/// The keys of the overall table alone (the first of [`keys`]), without the work of the others.
pub fn overall_keys(sc: &Scenario) -> Vec<KpiKey> {
    let [overall, ..] = Emitter::new(None, true).emit(sc).keys;
    overall
}

/// One replication's figures, in the order of [`keys`].
pub fn values(sc: &Scenario, r: &ReplicationResult) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let [overall, hourly, wards, hood] = Emitter::new(Some(r), false).emit(sc).values;
    (overall, hourly, wards, hood)
}

/// One replication's overall figures alone (the first of [`values`]), in the order of
/// [`overall_keys`].
pub fn overall_values(sc: &Scenario, r: &ReplicationResult) -> Vec<f64> {
    let [overall, ..] = Emitter::new(Some(r), true).emit(sc).values;
    overall
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Vec<Scenario> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
            .collect();
        paths.sort();
        paths.iter().map(|p| Scenario::load(p).unwrap()).collect()
    }

    #[test]
    fn every_row_of_every_shipped_scenario_is_in_the_vocabulary() {
        for sc in shipped() {
            let (a, b, c, d) = keys(&sc);
            for k in a.iter().chain(&b).chain(&c).chain(&d) {
                assert!(
                    key::statistic(k.statistic).is_some(),
                    "{}: {} not in the vocabulary",
                    sc.name,
                    k.statistic
                );
                assert!(key::Scope::ALL.iter().any(|s| s.name() == k.scope));
            }
            // Exactly one headline per measured target.
            let heads: Vec<_> = a.iter().filter(|k| is_headline(k)).map(|k| k.kpi).collect();
            let mut unique = heads.clone();
            unique.dedup();
            assert_eq!(heads, unique, "{}", sc.name);
        }
    }

    #[test]
    fn keys_and_values_have_the_same_shape() {
        for mut sc in shipped() {
            sc.run.horizon = crate::time::Duration(2 * crate::time::DAY);
            sc.run.warm_up = crate::time::Duration(crate::time::HOUR);
            let seed = crate::rng::replication_seed(sc.run.seed, 0);
            let r = crate::model::ContactCentre::new(&sc, 0, seed).run().0;
            let (a, b, c, d) = keys(&sc);
            let (va, vb, vc, vd) = values(&sc, &r);
            assert_eq!(
                [a.len(), b.len(), c.len(), d.len()],
                [va.len(), vb.len(), vc.len(), vd.len()],
                "{}",
                sc.name
            );
            // The overall table alone is exactly the first of the four, key by key and value by
            // value (bit for bit, NaN included).
            assert_eq!(overall_keys(&sc), a, "{}", sc.name);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&overall_values(&sc, &r)), bits(&va), "{}", sc.name);
        }
    }
}
