//! The policing model. Knows the scenario, never the command line.

pub mod arrivals;
pub mod contact;
pub mod dist;
pub mod field;
pub mod pool;
pub mod result;
pub mod roster;

pub use contact::{CallRecord, ContactCentre, Outcome, Trace};
pub use result::{Counts, ReplicationResult};
