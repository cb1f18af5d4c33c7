//! pledgesim: a discrete-event, parallel Monte Carlo simulator of police contact centres,
//! measuring what share of calls meets each Policing Pledge target, with confidence intervals.
//!
//! The way through: a scenario file is parsed and validated into a [`scenario::Scenario`];
//! [`experiment::run`] runs its replications in parallel, each a [`model::ContactCentre`]
//! driven by the policing-free [`engine`]; the summaries go to the output contract
//! ([`output`]). Nothing reaches back: the model never reads the command line.

pub mod cli;
pub mod engine;
pub mod error;
pub mod experiment;
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
/// The warnings' messages, as printed (the typed warnings are [`experiment::warnings`]).
pub use experiment::warnings::messages as warnings;
pub use scenario::Scenario;
