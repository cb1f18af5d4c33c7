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
//!
//! **Slots.** A source that never has more than one event pending (such as a stream of
//! arrivals, whose next arrival is scheduled when the current one is handled) may keep it in a
//! numbered slot beside the heap instead of in it. A slot's event gets its sequence number from
//! the same counter, and `pop` takes the earliest `(time, sequence)` among the heap and the
//! slots, so the order of events is exactly the same as if it had gone into the heap; only the
//! heap's work is saved.

use crate::time::Time;

/// An event with its ordering key: time in the high 64 bits, sequence in the low 64, so one
/// integer comparison gives the (time, sequence) order.
struct Entry<E> {
    key: u128,
    event: E,
}

impl<E> Entry<E> {
    #[inline]
    fn new(time: Time, seq: u64, event: E) -> Self {
        Entry {
            key: (u128::from(time) << 64) | u128::from(seq),
            event,
        }
    }
    #[inline]
    fn time(&self) -> Time {
        (self.key >> 64) as Time
    }
}

/// A binary min-heap on `Entry::key`. `push` adds the entry at the end and swaps it up past
/// larger parents; `pop` takes the top, moves the last entry there and swaps it down past
/// smaller children (the smaller of the two each time).
struct Heap<E> {
    v: Vec<Entry<E>>,
}

impl<E> Heap<E> {
    #[inline]
    fn push(&mut self, e: Entry<E>) {
        let key = e.key;
        self.v.push(e);
        let mut i = self.v.len() - 1;
        while i > 0 {
            let parent = (i - 1) / 2;
            if self.v[parent].key <= key {
                break;
            }
            self.v.swap(i, parent);
            i = parent;
        }
    }

    #[inline]
    fn pop(&mut self) -> Option<Entry<E>> {
        let last = self.v.pop()?;
        if self.v.is_empty() {
            return Some(last);
        }
        let top = std::mem::replace(&mut self.v[0], last);
        let n = self.v.len();
        let key = self.v[0].key;
        let mut i = 0;
        loop {
            let left = 2 * i + 1;
            if left >= n {
                break;
            }
            let right = left + 1;
            let child = if right < n && self.v[right].key < self.v[left].key {
                right
            } else {
                left
            };
            if self.v[child].key >= key {
                break;
            }
            self.v.swap(i, child);
            i = child;
        }
        Some(top)
    }

    #[inline]
    fn peek(&self) -> Option<&Entry<E>> {
        self.v.first()
    }
}

/// A time-ordered event queue with first-scheduled-first-taken ties.
pub struct EventQueue<E> {
    heap: Heap<E>,
    slots: Vec<Option<Entry<E>>>,
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
            heap: Heap {
                v: Vec::with_capacity(64),
            },
            slots: Vec::new(),
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
        self.heap.push(Entry::new(time, seq, event));
    }

    /// Schedules `event` at `time` in slot `slot`, which must be empty (see "Slots" above).
    #[inline]
    pub fn schedule_in_slot(&mut self, slot: usize, time: Time, event: E) {
        debug_assert!(
            time >= self.now,
            "event scheduled in the past: {time} < {}",
            self.now
        );
        if slot >= self.slots.len() {
            self.slots.resize_with(slot + 1, || None);
        }
        debug_assert!(
            self.slots[slot].is_none(),
            "slot {slot} already holds an event"
        );
        let seq = self.next_seq;
        self.next_seq += 1;
        self.slots[slot] = Some(Entry::new(time.max(self.now), seq, event));
    }

    /// The slot holding the earliest slotted event, if it is earlier than the heap's top.
    #[inline]
    fn earliest_slot(&self) -> Option<usize> {
        let mut best_key = self.heap.peek().map_or(u128::MAX, |top| top.key);
        let mut best = None;
        for (i, s) in self.slots.iter().enumerate() {
            if let Some(e) = s {
                if e.key < best_key {
                    best_key = e.key;
                    best = Some(i);
                }
            }
        }
        best
    }

    /// Takes the earliest event off the queue and advances the clock to its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(Time, E)> {
        let entry = match self.earliest_slot() {
            Some(i) => self.slots[i].take().expect("the slot is full"),
            None => self.heap.pop()?,
        };
        let time = entry.time();
        self.now = time;
        Some((time, entry.event))
    }

    /// The time of the next event, without taking it.
    #[inline]
    pub fn peek_time(&self) -> Option<Time> {
        let slots = self.slots.iter().flatten().map(Entry::time).min();
        match (self.heap.peek().map(Entry::time), slots) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Events waiting in the queue, slots included.
    pub fn len(&self) -> usize {
        self.heap.v.len() + self.slots.iter().flatten().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

    #[test]
    fn slotted_events_keep_the_same_order_as_heap_events() {
        // The same schedule, once all in the heap and once with "a" and "b" in slots.
        let plan = [(10, "a"), (5, "x"), (10, "y"), (10, "b"), (3, "z")];
        let mut heap_only = EventQueue::new();
        let mut slotted = EventQueue::new();
        for (t, e) in plan {
            heap_only.schedule(t, e);
            match e {
                "a" => slotted.schedule_in_slot(0, t, e),
                "b" => slotted.schedule_in_slot(3, t, e),
                _ => slotted.schedule(t, e),
            }
        }
        assert_eq!(slotted.len(), 5);
        assert_eq!(slotted.peek_time(), Some(3));
        let a: Vec<_> = std::iter::from_fn(|| heap_only.pop()).collect();
        let b: Vec<_> = std::iter::from_fn(|| slotted.pop()).collect();
        assert_eq!(a, vec![(3, "z"), (5, "x"), (10, "a"), (10, "y"), (10, "b")]);
        assert_eq!(a, b);
        // A slot is free again once its event is taken.
        slotted.schedule_in_slot(0, 20, "c");
        assert_eq!(slotted.pop(), Some((20, "c")));
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
