//! The policing model. Knows the scenario, never the command line.

pub mod arrivals;
pub mod callin;
pub mod contact;
pub mod dist;
pub mod field;
pub mod pool;
pub mod records;
pub mod result;
pub mod roster;

pub use contact::{CallRecord, ContactCentre, Outcome, PROGRESS_EVERY, Trace};
pub use result::{Counts, ReplicationResult};

/// The memory guard: a replication is stopped, and its run refused, when more than this many
/// calls wait for a handler (999, non-emergency and call-backs together), or more than this
/// many incidents wait for a response unit, at one moment. About 100 bytes each, so at most
/// some hundreds of megabytes a replication; a system that settles never comes near it.
pub const MAX_WAITING: usize = 1_000_000;
/// The memory guard's bound on events pending at one moment (abandonments, ends of work, ...).
pub const MAX_PENDING_EVENTS: usize = 4_000_000;
