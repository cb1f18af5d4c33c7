//! What a traced replication records of each call and of the field side.

use super::Draw;
use crate::model::field::Step;
use crate::scenario::ChannelKind;
use crate::time::Time;

/// What a traced replication recorded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    pub calls: Vec<CallRecord>,
    /// The field side's steps, in order.
    pub steps: Vec<Step>,
}

/// One call's life, recorded when tracing (tests and `--trace`).
#[derive(Clone, Debug, PartialEq)]
pub struct CallRecord {
    pub id: u64,
    /// The caller: the id of their first attempt (the call's own id for a first attempt).
    pub caller: u64,
    /// The caller's number among the channel's callers (first attempts, counted from 0): the
    /// same caller has the same number in every option.
    pub caller_no: u64,
    /// 0 for a first attempt, 1 for the first redial...
    pub attempt: u16,
    /// A silent or accidental 999 call (not in T1's figures).
    pub silent: bool,
    pub channel: ChannelKind,
    pub arrival: Time,
    pub handling_ms: u64,
    pub patience_ms: Option<u64>,
    pub callback_ms: Option<u64>,
    /// The incident attributes drawn on arrival, when the scenario has a field side.
    pub incident: Option<Draw>,
    pub measured: bool,
    pub outcome: Outcome,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Waiting,
    Answered { at: Time },
    Abandoned { at: Time },
}
