//! A small discrete-event engine that knows nothing about policing.
//!
//! The queue holds events of any small `Copy` type `E`, each due at an integer [`Time`]
//! (milliseconds). Only the events due in the next quarter of an hour or so (see
//! `BUCKET_BITS`) are kept in order: those scheduled that far ahead or less in a heap, which
//! moves entries into place rather than swapping them, and those scheduled further ahead in a
//! run sorted once, when their quarter of an hour begins. An entry is the event and one 64-bit
//! key, 24 bytes for a 16-byte event, and the order of two entries is one 64-bit comparison of
//! their keys (the run's next and the earliest slotted event, below, are compared with the
//! heap's top the same way).
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
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The queue is in two tiers. Time is cut into buckets of `2^BUCKET_BITS` milliseconds (about
/// 17 minutes); only the events due in the current bucket are in order, and events due in a
/// later bucket wait in that bucket's list (`far`) until the first of them is due, when the
/// whole list is sorted into the run (`EventQueue::run`). Shift ends, next-day breaks and long
/// deadlines therefore never deepen the heap that every call's events go through, and an
/// event that waited in a list is taken from the run without a heap's sifting: sorting the run
/// costs about 85 instructions an event in the Met-sized year, the list's handling included,
/// where taking the event off a heap of a few hundred cost about 185. The lists are a ring of
/// `NEAR_BUCKETS` (bucket `b`'s at `b % NEAR_BUCKETS`) with a bitmap of those not empty (a bit
/// for each list in 64-bit words, and a summary word with a bit for each word that has any),
/// so that putting an event in its list and finding the next list with events take a few
/// instructions each. A list is a chain of nodes in one pool shared by all the lists (nodes of
/// emptied lists are used again), so lists cost no allocation of their own. Events due
/// `NEAR_BUCKETS` or more buckets (about 18 hours) ahead wait in a heap of their own
/// (`distant`, 32 bytes each) instead, so that a run whose events are scheduled weeks or a year
/// ahead does not keep a list for every bucket until then.
///
/// Smaller buckets (2^16 to 2^19 ms, with a ring of 128 to 1024 lists reaching as far ahead)
/// make the heap shallower, and were measured (with the lists made into the heap rather than
/// a run): they took fewer instructions per call only in the largest scenarios, and more in
/// the others, where moving events through the lists and changing buckets more often cost
/// more than the shallower heap saved.
const BUCKET_BITS: u32 = 20;
const RING_BITS: u32 = 6;
const NEAR_BUCKETS: u64 = 1 << RING_BITS;
/// Words of the ring's bitmap (`EventQueue::far_words`), each with a bit in the summary.
const RING_WORDS: usize = (NEAR_BUCKETS / 64) as usize;
const _: () =
    assert!(RING_WORDS >= 1 && RING_WORDS <= 64 && RING_WORDS * 64 == NEAR_BUCKETS as usize);
/// An entry's key: its time within its bucket in the high `BUCKET_BITS` bits, its sequence
/// number in the low `SEQ_BITS`, so one 64-bit comparison gives the (time, sequence) order of
/// two events of the same bucket.
const SEQ_BITS: u32 = 64 - BUCKET_BITS;
const SEQ_MASK: u64 = (1 << SEQ_BITS) - 1;
const IN_BUCKET: u64 = (1 << BUCKET_BITS) - 1;

#[inline]
fn bucket_of(time: Time) -> u64 {
    time >> BUCKET_BITS
}

/// An event with its key within its bucket (see [`SEQ_BITS`]): 8 bytes beside the event.
#[derive(Clone, Copy)]
struct Entry<E> {
    key: u64,
    event: E,
}

impl<E> Entry<E> {
    #[inline]
    fn new(time: Time, seq: u64, event: E) -> Self {
        Entry {
            key: ((time & IN_BUCKET) << SEQ_BITS) | seq,
            event,
        }
    }
    /// The entry's time, given its bucket.
    #[inline]
    fn time(&self, bucket: u64) -> Time {
        (bucket << BUCKET_BITS) | (self.key >> SEQ_BITS)
    }
    #[inline]
    fn seq(&self) -> u64 {
        self.key & SEQ_MASK
    }
}

/// A listed event and the next of its list's chain (or `NIL`).
#[derive(Clone, Copy)]
struct Node<E> {
    entry: Entry<E>,
    next: u32,
}

/// The end of a chain of nodes.
const NIL: u32 = u32::MAX;

/// An empty slot's key.
const NO_SLOT: u128 = u128::MAX;

#[inline]
fn full_key(time: Time, seq: u64) -> u128 {
    (u128::from(time) << 64) | u128::from(seq)
}

/// A distant event with its full (time, sequence) key, ordered by the key alone.
#[derive(Clone, Copy)]
struct Distant<E> {
    key: u128,
    event: E,
}

impl<E> PartialEq for Distant<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Distant<E> {}
impl<E> PartialOrd for Distant<E> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Distant<E> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

impl<E> Distant<E> {
    #[inline]
    fn time(&self) -> Time {
        (self.key >> 64) as Time
    }
}

/// A min-heap on `Entry::key` with four children to a node (node `i`'s are `4i + 1` to
/// `4i + 4`), half as deep as a binary heap: an entry moves half as many times on its way
/// down or up, for three comparisons a level in place of one on the way down. Sifting moves a
/// hole rather than swapping: `push` moves larger parents down one level each until the new
/// entry's place is found, and `pop` moves the smallest child up one level each until the last
/// entry's place is found, writing each entry once. Keys are distinct, so every heap takes the
/// entries in the same (key) order.
struct Heap<E> {
    v: Vec<Entry<E>>,
}

/// Children of a node.
const ARITY: usize = 4;

impl<E: Copy> Heap<E> {
    #[inline]
    fn push(&mut self, e: Entry<E>) {
        self.v.push(e);
        let v = &mut self.v[..];
        let mut i = v.len() - 1;
        while i > 0 {
            let parent = (i - 1) / ARITY;
            let p = v[parent];
            if p.key <= e.key {
                break;
            }
            v[i] = p;
            i = parent;
        }
        v[i] = e;
    }

    /// The smallest of the children of a node from `first` (the first child, below `n`) on.
    #[inline(always)]
    fn least_child(v: &[Entry<E>], first: usize, n: usize) -> usize {
        if first + ARITY <= n {
            // All four there (the usual case above the bottom level).
            let (a, b) = if v[first + 1].key < v[first].key {
                (first + 1, v[first + 1].key)
            } else {
                (first, v[first].key)
            };
            let (c, d) = if v[first + 3].key < v[first + 2].key {
                (first + 3, v[first + 3].key)
            } else {
                (first + 2, v[first + 2].key)
            };
            if d < b { c } else { a }
        } else {
            let mut best = first;
            for k in first + 1..n {
                if v[k].key < v[best].key {
                    best = k;
                }
            }
            best
        }
    }

    /// Takes the top off. The hole it leaves goes down to a leaf along the smallest children,
    /// and the last entry (which nearly always belongs near the bottom) goes up from there to
    /// its place.
    #[inline(always)]
    fn pop(&mut self) -> Option<Entry<E>> {
        let last = self.v.pop()?;
        if self.v.is_empty() {
            return Some(last);
        }
        let v = &mut self.v[..];
        let top = v[0];
        let n = v.len();
        let mut i = 0;
        loop {
            let first = ARITY * i + 1;
            if first >= n {
                break;
            }
            let child = Self::least_child(v, first, n);
            v[i] = v[child];
            i = child;
        }
        while i > 0 {
            let parent = (i - 1) / ARITY;
            let p = v[parent];
            if p.key < last.key {
                break;
            }
            v[i] = p;
            i = parent;
        }
        v[i] = last;
        Some(top)
    }

    #[inline]
    fn peek(&self) -> Option<&Entry<E>> {
        self.v.first()
    }
}

/// Sorts entries of one bucket into (time, sequence) order. More than a few are first put in
/// order of the top bits of their time within the bucket (between half as many values of those
/// bits as entries and as many) by a counting sort; then the entries of each value are sorted
/// among themselves, by insertion when they are few (as they nearly always are), and otherwise
/// by a stable sort unless they are in order already (as they are when they share one time, as
/// at a change of shift). That costs tens of instructions an entry, where a comparison sort of
/// a few hundred costs over a hundred. The order is exact whatever the entries' order in `run`;
/// the counting sort is quickest when `run[..ascending]` is in (time, sequence) order and the
/// rest in reverse scheduling order, as `next_bucket` gives them: each value's entries then
/// come out in scheduling order, which is (time, sequence) order among equal times.
fn sort_run<E: Copy>(
    run: &mut Vec<Entry<E>>,
    ascending: usize,
    scratch: &mut Vec<Entry<E>>,
    counts: &mut Vec<u32>,
) {
    const FEW: usize = 16;
    let n = run.len();
    if n <= FEW {
        insertion_sort(run);
        return;
    }
    let bits = (usize::BITS - 1 - n.leading_zeros()).min(BUCKET_BITS);
    let shift = SEQ_BITS + BUCKET_BITS - bits;
    counts.clear();
    counts.resize(1 << bits, 0);
    for e in run.iter() {
        counts[(e.key >> shift) as usize] += 1;
    }
    // Each value's end.
    let mut end = 0;
    for c in counts.iter_mut() {
        end += *c;
        *c = end;
    }
    if scratch.len() < n {
        scratch.resize(n, run[0]);
    }
    // Each value's places are filled from its end: first the later entries in reverse
    // scheduling order, then the earlier ones from the last back, so that each value's come
    // out in scheduling order.
    for e in run[ascending..].iter().chain(run[..ascending].iter().rev()) {
        let c = &mut counts[(e.key >> shift) as usize];
        *c -= 1;
        scratch[*c as usize] = *e;
    }
    scratch.truncate(n);
    std::mem::swap(run, scratch);
    // Each value's entries now begin where the value's count ended.
    let mut from = n;
    for &start in counts.iter().rev() {
        let start = start as usize;
        if from - start > 1 {
            let group = &mut run[start..from];
            if group.len() <= FEW {
                insertion_sort(group);
            } else if group.windows(2).any(|w| w[0].key > w[1].key) {
                group.sort_by_key(|e| e.key);
            }
        }
        from = start;
    }
}

/// Sorts a few entries by key.
#[inline]
fn insertion_sort<E: Copy>(v: &mut [Entry<E>]) {
    for i in 1..v.len() {
        let e = v[i];
        let mut j = i;
        while j > 0 && v[j - 1].key > e.key {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = e;
    }
}

/// A time-ordered event queue with first-scheduled-first-taken ties.
pub struct EventQueue<E> {
    /// The events due in bucket `bucket`: those in its list or among the distant events when
    /// it became the current one are the run, sorted then (`run[run_at..]` are yet to be
    /// taken), and those scheduled into it since are in the heap. The next event is the least
    /// key among the heap's top, the run's next and the earliest slotted event of the bucket;
    /// `side` is the least of the last two (`u64::MAX` when neither), so that taking the
    /// heap's top, the usual case, needs one comparison.
    run: Vec<Entry<E>>,
    run_at: usize,
    /// Room for `sort_run`.
    scratch: Vec<Entry<E>>,
    counts: Vec<u32>,
    side: u64,
    heap: Heap<E>,
    bucket: u64,
    /// The events due in the next `NEAR_BUCKETS - 1` buckets: bucket `b`'s list starts at
    /// node `far[b % NEAR_BUCKETS]` (see `nodes`). A bitmap marks the lists that are not empty
    /// (list `at`'s bit is bit `at % 64` of word `at / 64`; bit `w` of the summary says whether
    /// word `w` has any).
    far: Vec<u32>,
    /// The entries of the lists: each list is a chain of nodes (in any order, as the heap it
    /// becomes is ordered anyway), `far[at]` its first (or `NIL`); nodes of emptied lists are
    /// chained from `free` and used again, so the lists take no allocation of their own.
    nodes: Vec<Node<E>>,
    free: u32,
    far_words: [u64; RING_WORDS],
    far_summary: u64,
    far_len: usize,
    /// The events due `NEAR_BUCKETS` or more buckets after the current one when scheduled.
    distant: BinaryHeap<Reverse<Distant<E>>>,
    /// Slotted events, with their full (time, sequence) keys (slots hold events of any bucket;
    /// an empty slot's key is `NO_SLOT`), and the earliest of them; `first_slot_here` is the
    /// earliest one's `Entry` key when it is due in the current bucket, and `u64::MAX` (above
    /// every entry's key) when there is none or it is due later, so that `pop` compares it
    /// with the heap's top in one 64-bit comparison.
    slot_keys: Vec<u128>,
    slot_events: Vec<Option<E>>,
    first_slot: u128,
    first_slot_here: u64,
    first_slot_at: usize,
    slots_full: usize,
    next_seq: u64,
    /// Sequence numbers are renumbered (see `renumber`) when they reach this.
    seq_limit: u64,
    now: Time,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    pub fn new() -> Self {
        Self::with_seq_limit(1 << SEQ_BITS)
    }

    fn with_seq_limit(seq_limit: u64) -> Self {
        EventQueue {
            run: Vec::new(),
            run_at: 0,
            scratch: Vec::new(),
            counts: Vec::new(),
            side: u64::MAX,
            heap: Heap {
                v: Vec::with_capacity(64),
            },
            bucket: 0,
            far: vec![NIL; NEAR_BUCKETS as usize],
            nodes: Vec::new(),
            free: NIL,
            far_words: [0; RING_WORDS],
            far_summary: 0,
            far_len: 0,
            distant: BinaryHeap::new(),
            slot_keys: Vec::new(),
            slot_events: Vec::new(),
            first_slot: NO_SLOT,
            first_slot_here: u64::MAX,
            first_slot_at: 0,
            slots_full: 0,
            next_seq: 0,
            // Below `SEQ_MASK`, so that no entry's key is `u64::MAX` (see `first_slot_here`).
            seq_limit: seq_limit.min(SEQ_MASK),
            now: 0,
        }
    }

    /// The time of the event most recently taken off the queue (0 before the first).
    #[inline]
    pub fn now(&self) -> Time {
        self.now
    }

    /// The next sequence number.
    #[inline]
    fn seq(&mut self) -> u64 {
        if self.next_seq >= self.seq_limit {
            self.renumber();
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    /// Gives the pending events the sequence numbers 0, 1, ... in the order of their old ones
    /// (and the next event the number after them), so that numbers fit in `SEQ_BITS` however
    /// long the run. Only the order of sequence numbers matters, and it is kept, so the order
    /// in which events are taken off the queue does not change. (With 42 bits, a run would need
    /// over four million million events to get here.)
    #[cold]
    fn renumber(&mut self) {
        let mut old: Vec<u64> = self.heap.v.iter().map(Entry::seq).collect();
        old.extend(self.run[self.run_at..].iter().map(Entry::seq));
        let listed: Vec<usize> = (0..self.far.len())
            .flat_map(|at| self.chain(self.far[at]))
            .collect();
        old.extend(listed.iter().map(|&n| self.nodes[n].entry.seq()));
        old.extend(self.distant.iter().map(|d| d.0.key as u64));
        old.extend(
            self.slot_keys
                .iter()
                .filter(|&&k| k != NO_SLOT)
                .map(|&k| k as u64),
        );
        old.sort_unstable();
        let new = |seq: u64| old.binary_search(&seq).expect("a pending event") as u64;
        // The new numbers keep the old order, so the heap stays a heap and the run sorted.
        for e in self
            .heap
            .v
            .iter_mut()
            .chain(self.run[self.run_at..].iter_mut())
        {
            e.key = (e.key & !SEQ_MASK) | new(e.seq());
        }
        for n in listed {
            let e = &mut self.nodes[n].entry;
            e.key = (e.key & !SEQ_MASK) | new(e.seq());
        }
        for k in self.slot_keys.iter_mut().filter(|k| **k != NO_SLOT) {
            *k = (*k >> 64 << 64) | u128::from(new(*k as u64));
        }
        // The new numbers keep the old order, so the rebuilt heap is in the same order.
        let mut distant = std::mem::take(&mut self.distant).into_vec();
        for d in &mut distant {
            d.0.key = (d.0.key >> 64 << 64) | u128::from(new(d.0.key as u64));
        }
        self.distant = BinaryHeap::from(distant);
        self.find_first_slot();
        self.next_seq = old.len() as u64;
        assert!(self.next_seq < self.seq_limit, "too many pending events");
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
        let seq = self.seq();
        let entry = Entry::new(time, seq, event);
        let bucket = bucket_of(time);
        if bucket == self.bucket {
            self.heap.push(entry);
        } else if bucket < self.bucket + NEAR_BUCKETS {
            self.push_far(bucket, entry);
        } else {
            self.distant.push(Reverse(Distant {
                key: full_key(time, seq),
                event,
            }));
        }
    }

    #[inline]
    fn push_far(&mut self, bucket: u64, entry: Entry<E>) {
        debug_assert!(bucket > self.bucket && bucket < self.bucket + NEAR_BUCKETS);
        let at = (bucket % NEAR_BUCKETS) as usize;
        let next = self.far[at];
        let node = if self.free != NIL {
            let node = self.free;
            self.free = self.nodes[node as usize].next;
            self.nodes[node as usize] = Node { entry, next };
            node
        } else {
            let node = u32::try_from(self.nodes.len()).expect("fewer than 2^32 listed events");
            self.nodes.push(Node { entry, next });
            node
        };
        self.far[at] = node;
        self.far_words[at / 64] |= 1 << (at % 64);
        self.far_summary |= 1 << (at / 64);
        self.far_len += 1;
    }

    /// The nodes of the chain from `first` on.
    fn chain(&self, first: u32) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors((first != NIL).then_some(first), |&n| {
            let next = self.nodes[n as usize].next;
            (next != NIL).then_some(next)
        })
        .map(|n| n as usize)
    }

    /// The first place in the ring from `from` on (not turning round) with a list of events.
    #[inline]
    fn listed_from(&self, from: usize) -> Option<usize> {
        let w = from / 64;
        let bits = self.far_words[w] & (u64::MAX << (from % 64));
        if bits != 0 {
            return Some(w * 64 + bits.trailing_zeros() as usize);
        }
        let later = self.far_summary & u64::MAX.checked_shl(w as u32 + 1).unwrap_or(0);
        if later == 0 {
            return None;
        }
        let w = later.trailing_zeros() as usize;
        Some(w * 64 + self.far_words[w].trailing_zeros() as usize)
    }

    /// The first later bucket with a list of events (every list is of one of the
    /// `NEAR_BUCKETS - 1` buckets after the current one, so none shares its place in the ring).
    #[inline]
    fn first_listed(&self) -> Option<u64> {
        if self.far_summary == 0 {
            return None;
        }
        let from = ((self.bucket + 1) % NEAR_BUCKETS) as usize;
        let at = self
            .listed_from(from)
            .or_else(|| self.listed_from(0))
            .expect("a list with events");
        let ahead = (at + NEAR_BUCKETS as usize - from) as u64 % NEAR_BUCKETS;
        Some(self.bucket + 1 + ahead)
    }

    /// Schedules `event` at `time` in slot `slot`, which must be empty (see "Slots" above).
    #[inline]
    pub fn schedule_in_slot(&mut self, slot: usize, time: Time, event: E) {
        debug_assert!(
            time >= self.now,
            "event scheduled in the past: {time} < {}",
            self.now
        );
        if slot >= self.slot_keys.len() {
            self.slot_keys.resize(slot + 1, NO_SLOT);
            self.slot_events.resize_with(slot + 1, || None);
        }
        debug_assert!(
            self.slot_keys[slot] == NO_SLOT,
            "slot {slot} already holds an event"
        );
        let seq = self.seq();
        let key = full_key(time.max(self.now), seq);
        self.slot_keys[slot] = key;
        self.slot_events[slot] = Some(event);
        self.slots_full += 1;
        if key < self.first_slot {
            self.first_slot = key;
            self.first_slot_at = slot;
            self.set_first_slot_here();
        }
    }

    /// Sets `first_slot_here` from `first_slot` and the current bucket.
    #[inline]
    fn set_first_slot_here(&mut self) {
        let time = (self.first_slot >> 64) as Time;
        self.first_slot_here = if self.first_slot != NO_SLOT && bucket_of(time) == self.bucket {
            Entry::new(time, self.first_slot as u64, ()).key
        } else {
            u64::MAX
        };
        self.side = self.first_slot_here.min(self.run_next());
    }

    /// The key of the run's next event (`u64::MAX` when it has none left).
    #[inline(always)]
    fn run_next(&self) -> u64 {
        self.run.get(self.run_at).map_or(u64::MAX, |e| e.key)
    }

    /// Finds the earliest slotted event again.
    #[inline]
    fn find_first_slot(&mut self) {
        let (mut first, mut at) = (NO_SLOT, self.first_slot_at);
        for (i, &k) in self.slot_keys.iter().enumerate() {
            if k < first {
                first = k;
                at = i;
            }
        }
        self.first_slot = first;
        self.first_slot_at = at;
        self.set_first_slot_here();
    }

    /// Takes the earliest slotted event and advances the clock to its time.
    #[inline(always)]
    fn take_first_slot(&mut self) -> (Time, E) {
        let i = self.first_slot_at;
        let time = (self.first_slot >> 64) as Time;
        self.slot_keys[i] = NO_SLOT;
        self.slots_full -= 1;
        let event = self.slot_events[i].take().expect("the slot is full");
        self.find_first_slot();
        self.now = time;
        (time, event)
    }

    /// The first later bucket with an event, in a list or among the distant events.
    #[inline]
    fn next_far(&self) -> Option<u64> {
        let listed = self.first_listed();
        let distant = self.distant.peek().map(|d| bucket_of(d.0.time()));
        match (listed, distant) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Makes bucket `bucket` (the first later one) the current one: its distant events and
    /// its list become the run.
    #[cold]
    fn next_bucket(&mut self, bucket: u64) {
        debug_assert!(self.heap.v.is_empty() && self.run_at == self.run.len());
        self.run.clear();
        self.run_at = 0;
        // The distant events first, in (time, sequence) order, then the list, newest first.
        // (The distant events were all scheduled before the bucket came within the ring, the
        // current bucket never going back, so before every listed event of the bucket; the
        // sort below is exact whatever the order, and quickest in this one.)
        while let Some(d) = self.distant.peek() {
            let time = d.0.time();
            if bucket_of(time) != bucket {
                break;
            }
            let d = self.distant.pop().expect("a distant event").0;
            self.run.push(Entry::new(time, d.key as u64, d.event));
        }
        let at = (bucket % NEAR_BUCKETS) as usize;
        let first = self.far[at];
        let distant = self.run.len();
        if first != NIL {
            let (mut n, mut last) = (first, first);
            while n != NIL {
                let node = &self.nodes[n as usize];
                self.run.push(node.entry);
                last = n;
                n = node.next;
            }
            // The emptied list's nodes go to the front of the free chain.
            self.nodes[last as usize].next = self.free;
            self.free = first;
            self.far[at] = NIL;
            self.far_len -= self.run.len() - distant;
            self.far_words[at / 64] &= !(1 << (at % 64));
            if self.far_words[at / 64] == 0 {
                self.far_summary &= !(1 << (at / 64));
            }
        }
        sort_run(&mut self.run, distant, &mut self.scratch, &mut self.counts);
        debug_assert!(self.run.windows(2).all(|w| w[0].key < w[1].key));
        self.bucket = bucket;
        self.set_first_slot_here();
    }

    /// Takes the earliest event of the current bucket (from the heap, the run or the slots),
    /// and advances the clock to its time; None when the bucket has none left.
    #[inline(always)]
    fn pop_here(&mut self) -> Option<(Time, E)> {
        // Keys are distinct and below `u64::MAX`, which stands for none.
        let top = self.heap.peek().map_or(u64::MAX, |e| e.key);
        let entry = if top < self.side {
            self.heap.pop().expect("the heap is not empty")
        } else if self.side == u64::MAX {
            return None;
        } else if self.side == self.first_slot_here {
            // The slot's event comes before the heap's and the run's next, so it is in this
            // bucket too.
            return Some(self.take_first_slot());
        } else {
            let entry = self.run[self.run_at];
            self.run_at += 1;
            self.side = self.first_slot_here.min(self.run_next());
            entry
        };
        let time = entry.time(self.bucket);
        self.now = time;
        Some((time, entry.event))
    }

    /// Takes the earliest event off the queue and advances the clock to its time.
    #[inline(always)]
    pub fn pop(&mut self) -> Option<(Time, E)> {
        // The usual cases, inlined into the run loop: the next event is in the current bucket.
        match self.pop_here() {
            Some(next) => Some(next),
            None => self.pop_other(),
        }
    }

    /// `pop` when the current bucket has no event left.
    #[inline(never)]
    fn pop_other(&mut self) -> Option<(Time, E)> {
        loop {
            if let Some(next) = self.pop_here() {
                return Some(next);
            }
            // The bucket is empty: the next event is the earliest slotted one, or in the first
            // later bucket.
            let next_far = self.next_far();
            if self.first_slot != NO_SLOT
                && next_far.is_none_or(|b| bucket_of((self.first_slot >> 64) as Time) < b)
            {
                // Before any later bucket: its bucket becomes the current one (no event waits
                // in the buckets between).
                let (time, event) = self.take_first_slot();
                self.bucket = bucket_of(time);
                self.set_first_slot_here();
                return Some((time, event));
            }
            // Nothing is left when there is no later bucket either.
            self.next_bucket(next_far?);
        }
    }

    /// The time of the next event, without taking it.
    #[inline]
    pub fn peek_time(&self) -> Option<Time> {
        let slot = (self.first_slot != NO_SLOT).then_some((self.first_slot >> 64) as Time);
        let here = self
            .heap
            .peek()
            .map_or(u64::MAX, |e| e.key)
            .min(self.run_next());
        let queued = match here {
            u64::MAX => {
                let listed = self.first_listed().and_then(|bucket| {
                    self.chain(self.far[(bucket % NEAR_BUCKETS) as usize])
                        .map(|n| self.nodes[n].entry.time(bucket))
                        .min()
                });
                let distant = self.distant.peek().map(|d| d.0.time());
                match (listed, distant) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
            }
            key => Some(Entry { key, event: () }.time(self.bucket)),
        };
        match (queued, slot) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Events waiting in the queue, slots included.
    #[inline]
    pub fn len(&self) -> usize {
        self.heap.v.len()
            + (self.run.len() - self.run_at)
            + self.far_len
            + self.distant.len()
            + self.slots_full
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A model driven by an [`EventQueue`].
pub trait Model {
    type Event: Copy;
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

/// As [`run`], calling `report` with the simulated time after every `every` events popped
/// (for progress; it cannot change the run).
pub fn run_reporting<M: Model>(
    model: &mut M,
    queue: &mut EventQueue<M::Event>,
    every: u64,
    mut report: impl FnMut(Time),
) -> u64 {
    let (mut events, mut popped, mut next) = (0, 0u64, every.max(1));
    while !model.finished(queue) {
        let Some((now, event)) = queue.pop() else {
            break;
        };
        events += u64::from(model.handle(queue, now, event));
        popped += 1;
        if popped == next {
            next += every.max(1);
            report(now);
        }
    }
    events
}

#[cfg(test)]
mod tests;
