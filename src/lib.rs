//! pledgesim: a discrete-event, parallel Monte Carlo simulator of police contact centres,
//! measuring what share of calls meets each Policing Pledge target, with confidence intervals.
//!
//! The way through: a scenario file is parsed and validated into a [`scenario::Scenario`];
//! [`experiment::run`] runs its replications in parallel, each a [`model::ContactCentre`]
//! driven by the policing-free [`engine`]; [`measure`] turns each replication's counts into
//! figures; the summaries go to the output contract ([`output::contract`]), which [`report`]
//! reads back from files alone. Nothing reaches back: the model never reads the command line.
//!
//! Floors, lowest first (a module uses only its own floor and those below; the test
//! `tests/layers.rs` checks it): `time`, `error`, `rng` | `engine`, `stats`, `scenario`, `log`
//! (a scenario's trace replay reads a call log) | `model` | `measure`, `fit` | `experiment` | `output` | `report` | `cli`. Across the floors the same
//! parts: contact, response, neighbourhood, follow-up.

pub mod cli;
pub mod engine;
pub mod error;
pub mod experiment;
pub mod fit;
pub mod log;
pub mod measure;
pub mod model;
pub mod output;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod stats;
pub mod time;

pub use error::{Error, InputError};
pub use experiment::warnings::Warning;
pub use experiment::warnings::warnings;
pub use scenario::Scenario;
