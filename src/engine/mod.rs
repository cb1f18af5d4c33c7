//! A small discrete-event engine that knows nothing about policing.
//!
//! The queue holds events of any type `E`, each due at an integer [`Time`] (milliseconds).
//!
//! **Ordering rule for events due at the same time:** they are taken off the queue in the order
//! in which they were scheduled (first scheduled, first taken). Every event gets a sequence
//! number when it is scheduled, and the queue is ordered by `(time, sequence)`, which is a total
//! order, so a run is fully determined by the order of `schedule` calls.
//!
//! Cancellation is lazy: the engine has no cancel operation; a model that no longer wants an
//! event ignores it when it comes off the queue (and should not count it as an event that
//! changed its state).

use crate::time::Time;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

struct Entry<E> {
    time: Time,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed, so that std's max-heap pops the earliest (time, seq) first.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .cmp(&self.time)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// A time-ordered event queue with first-scheduled-first-taken ties.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
    now: Time,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(64),
            next_seq: 0,
            now: 0,
        }
    }

    /// The time of the event most recently taken off the queue (0 before the first).
    #[inline]
    pub fn now(&self) -> Time {
        self.now
    }

    /// Schedules `event` at `time`. Scheduling in the past is a logic error in the model: it
    /// is caught in debug builds and clamped to `now` otherwise.
    #[inline]
    pub fn schedule(&mut self, time: Time, event: E) {
        debug_assert!(
            time >= self.now,
            "event scheduled in the past: {time} < {}",
            self.now
        );
        let time = time.max(self.now);
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry { time, seq, event });
    }

    /// Takes the earliest event off the queue and advances the clock to its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(Time, E)> {
        let Entry { time, event, .. } = self.heap.pop()?;
        self.now = time;
        Some((time, event))
    }

    /// The time of the next event, without taking it.
    #[inline]
    pub fn peek_time(&self) -> Option<Time> {
        self.heap.peek().map(|e| e.time)
    }

    /// Events waiting in the queue.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

/// A model driven by an [`EventQueue`].
pub trait Model {
    type Event;
    /// Handles one event at time `now`; returns whether it changed the model's state (a
    /// lazily cancelled event returns false and is not counted).
    fn handle(
        &mut self,
        queue: &mut EventQueue<Self::Event>,
        now: Time,
        event: Self::Event,
    ) -> bool;
    /// Whether the run is over (checked before each event).
    fn finished(&self, queue: &EventQueue<Self::Event>) -> bool;
}

/// Runs `model` until it says it is finished or no event is left. Returns the number of
/// events that changed the model's state.
pub fn run<M: Model>(model: &mut M, queue: &mut EventQueue<M::Event>) -> u64 {
    let mut events = 0;
    while !model.finished(queue) {
        let Some((now, event)) = queue.pop() else {
            break;
        };
        events += u64::from(model.handle(queue, now, event));
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_same_time_in_scheduling_order() {
        let mut q = EventQueue::new();
        q.schedule(30, "c");
        q.schedule(10, "a1");
        q.schedule(20, "b");
        q.schedule(10, "a2");
        q.schedule(10, "a3");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![(10, "a1"), (10, "a2"), (10, "a3"), (20, "b"), (30, "c")]
        );
        assert_eq!(q.now(), 30);
    }

    #[test]
    fn events_scheduled_for_now_during_handling_come_after_earlier_same_time_events() {
        // An event scheduled at the current time while handling goes behind those already due.
        let mut q = EventQueue::new();
        q.schedule(5, 1);
        q.schedule(5, 2);
        let (t, e) = q.pop().unwrap();
        assert_eq!((t, e), (5, 1));
        q.schedule(5, 3);
        assert_eq!(q.pop(), Some((5, 2)));
        assert_eq!(q.pop(), Some((5, 3)));
        assert_eq!(q.pop(), None);
    }

    struct Countdown {
        left: u32,
        seen: Vec<Time>,
    }
    impl Model for Countdown {
        type Event = ();
        fn handle(&mut self, q: &mut EventQueue<()>, now: Time, _: ()) -> bool {
            self.seen.push(now);
            self.left -= 1;
            if self.left > 0 {
                q.schedule(now + 7, ());
            }
            true
        }
        fn finished(&self, _: &EventQueue<()>) -> bool {
            self.left == 0
        }
    }

    #[test]
    fn run_loop_counts_events_and_stops() {
        let mut q = EventQueue::new();
        q.schedule(1, ());
        let mut m = Countdown {
            left: 3,
            seen: vec![],
        };
        assert_eq!(run(&mut m, &mut q), 3);
        assert_eq!(m.seen, vec![1, 8, 15]);
    }
}
