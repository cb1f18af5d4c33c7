//! Helpers shared by the integration tests: exact results to compare with (queueing formulas,
//! geometry) and ways to build and trace test scenarios.
#![allow(dead_code)]

pub mod geometry;
pub mod queueing;

use pledgesim::model::{ContactCentre, Trace};
use pledgesim::rng;
use pledgesim::scenario::{Format, Scenario, Source};

/// A scenario from TOML text; panics with the errors if it is invalid.
pub fn parse(text: &str) -> Scenario {
    Scenario::parse(
        text,
        &Source {
            label: "test".into(),
            dir: None,
            format: Format::Toml,
        },
    )
    .unwrap_or_else(|e| panic!("invalid test scenario: {e}"))
}

/// Runs replication `replication` of `sc` with tracing: every call's life and every step of
/// the field side.
pub fn trace(sc: &Scenario, replication: u32) -> Trace {
    let seed = rng::replication_seed(sc.run.seed, replication);
    ContactCentre::new(sc, replication, seed)
        .with_trace()
        .run()
        .1
        .expect("traced")
}

/// The pledgesim binary, ready for arguments.
pub fn pledgesim() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("pledgesim").unwrap()
}
