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

/// A small deterministic generator for the property test (splitmix64).
struct Mix(u64);
impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The queue against a plain `BinaryHeap` of `Reverse((time, seq))`, driven by the same
/// random pushes (to slots and the heap, at the current time, a little later, across
/// buckets and years ahead, many at equal times) and pops: the same events must come off in
/// the same order, with the same `len` and `peek_time` all along. Small sequence limits make
/// the queue renumber its pending events many times on the way.
#[test]
fn same_order_as_a_plain_binary_heap_of_time_and_sequence() {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    const SLOTS: usize = 3;
    for seed in 0..60u64 {
        let mut rng = Mix(seed);
        let seq_limit = [1 << SEQ_BITS, 5_000, 700][(seed % 3) as usize];
        let mut q: EventQueue<u64> = EventQueue::with_seq_limit(seq_limit);
        let mut plain = BinaryHeap::new();
        let mut seq = 0u64;
        let mut slot_of = std::collections::HashMap::new();
        let mut slot_full = [false; SLOTS];
        let mut now: Time = 0;
        let mut popped = 0;
        let steps = 2_000 + rng.below(6_000);
        for step in 0..steps {
            let pending = plain.len() as u64;
            // Mostly pushes while the queue is short, mostly pops once it is long; the
            // last quarter drains it.
            let push = step < steps * 3 / 4 && rng.below(100) < if pending < 300 { 60 } else { 40 };
            if push {
                let delay = match rng.below(10) {
                    0 => 0,
                    1 => rng.below(3),
                    2..=5 => rng.below(600_000),
                    6 => rng.below(4 << BUCKET_BITS),
                    7 => (NEAR_BUCKETS - 2 + rng.below(4)) << BUCKET_BITS,
                    8 => (rng.below(40) << BUCKET_BITS) + (1 << BUCKET_BITS) + rng.below(2) - 1,
                    _ => rng.below(400 * 24 * 3_600_000),
                };
                // Many events share a few round times.
                let time = if rng.below(4) == 0 {
                    (now + delay) / 60_000 * 60_000 + 60_000
                } else {
                    now + delay
                };
                let id = step;
                let slot = rng.below(8) as usize;
                if slot < SLOTS && !slot_full[slot] {
                    q.schedule_in_slot(slot, time, id);
                    slot_full[slot] = true;
                    slot_of.insert(id, slot);
                } else {
                    q.schedule(time, id);
                }
                plain.push(Reverse((time, seq, id)));
                seq += 1;
            } else {
                let expected = plain.pop().map(|Reverse((t, _, id))| (t, id));
                let got = q.pop();
                assert_eq!(got, expected, "seed {seed}, step {step}");
                if let Some((t, id)) = got {
                    now = t;
                    popped += 1;
                    if let Some(slot) = slot_of.remove(&id) {
                        slot_full[slot] = false;
                    }
                }
            }
            assert_eq!(q.len(), plain.len(), "seed {seed}, step {step}");
            assert_eq!(
                q.peek_time(),
                plain.peek().map(|Reverse((t, _, _))| *t),
                "seed {seed}, step {step}"
            );
        }
        while let Some(Reverse((t, _, id))) = plain.pop() {
            assert_eq!(q.pop(), Some((t, id)), "seed {seed}, draining");
            popped += 1;
        }
        assert_eq!(q.pop(), None);
        assert!(q.is_empty());
        assert!(popped > 1_000);
    }
}

/// One step of the property test below: schedule an event some delay after the clock (at a
/// round minute or not, in a slot when one is free and asked for), or take the earliest.
#[derive(Clone, Debug)]
enum Op {
    Push {
        delay: u64,
        round: bool,
        slot: Option<usize>,
    },
    Pop,
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    let bucket = 1u64 << BUCKET_BITS;
    let delay = prop_oneof![
        Just(0u64),
        0..3u64,
        0..600_000u64,
        0..4 * bucket,
        // Either side of the edge between listed buckets and distant events.
        (NEAR_BUCKETS - 2) * bucket..(NEAR_BUCKETS + 2) * bucket,
        // The last and first milliseconds of buckets.
        (0..40u64, 0..2u64).prop_map(move |(b, d)| (b + 1) * bucket + d - 1),
        // Up to 400 days ahead.
        0..400 * 24 * 3_600_000u64,
    ];
    prop_oneof![
        3 => (delay, any::<bool>(), proptest::option::weighted(0.2, 0..3usize))
            .prop_map(|(delay, round, slot)| Op::Push { delay, round, slot }),
        2 => Just(Op::Pop),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: 400,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_091_005),
        ..Default::default()
    })]

    /// The queue and a plain `BinaryHeap<Reverse<(time, seq)>>` driven by the same random
    /// pushes (to the heap and to slots, at the current time, at equal round times, across
    /// bucket edges, a day and a half and a year ahead) and pops give the same events in the
    /// same order, with the same `len` and `peek_time` after every step, and drain alike;
    /// small sequence limits make the queue renumber its pending events on the way.
    #[test]
    fn pops_in_the_order_of_a_plain_binary_heap(
        ops in proptest::collection::vec(op(), 1..2_500),
        seq_limit in proptest::prop_oneof![
            proptest::strategy::Just(1u64 << SEQ_BITS),
            proptest::strategy::Just(1_000u64),
            proptest::strategy::Just(80u64),
        ],
    ) {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let mut q: EventQueue<usize> = EventQueue::with_seq_limit(seq_limit);
        let mut plain = BinaryHeap::new();
        let mut slot_of: Vec<Option<usize>> = vec![None; ops.len()];
        let mut slot_full = [false; 3];
        let (mut seq, mut now) = (0u64, 0);
        for (id, op) in ops.into_iter().enumerate() {
            // Keep the pending events within the sequence limit.
            let full = plain.len() as u64 + 1 >= seq_limit.min(1_000);
            match op {
                Op::Push { delay, round, slot } if !full => {
                    let time = if round {
                        (now + delay) / 60_000 * 60_000 + 60_000
                    } else {
                        now + delay
                    };
                    match slot {
                        Some(s) if !slot_full[s] => {
                            q.schedule_in_slot(s, time, id);
                            slot_full[s] = true;
                            slot_of[id] = Some(s);
                        }
                        _ => q.schedule(time, id),
                    }
                    plain.push(Reverse((time, seq, id)));
                    seq += 1;
                }
                _ => {
                    let expected = plain.pop().map(|Reverse((t, _, id))| (t, id));
                    let got = q.pop();
                    proptest::prop_assert_eq!(got, expected);
                    if let Some((t, id)) = got {
                        now = t;
                        if let Some(s) = slot_of[id] {
                            slot_full[s] = false;
                        }
                    }
                }
            }
            proptest::prop_assert_eq!(q.len(), plain.len());
            proptest::prop_assert_eq!(q.peek_time(), plain.peek().map(|Reverse((t, _, _))| *t));
        }
        while let Some(Reverse((t, _, id))) = plain.pop() {
            proptest::prop_assert_eq!(q.pop(), Some((t, id)));
        }
        proptest::prop_assert_eq!(q.pop(), None);
    }
}

#[test]
fn an_entry_is_the_event_and_eight_bytes() {
    assert_eq!(std::mem::size_of::<Entry<[u64; 2]>>(), 24);
    assert_eq!(std::mem::size_of::<Entry<(u8, u32)>>(), 16);
}

#[test]
fn renumbering_keeps_the_order_of_equal_times() {
    // Five events pending at one time, one taken and one added at a time: with room for
    // eight sequence numbers, the queue renumbers every third event, and the events still
    // come off first scheduled, first taken (with a slotted one among them).
    let mut q = EventQueue::with_seq_limit(8);
    for i in 0..5 {
        q.schedule(10, i);
    }
    for i in 5..100 {
        assert_eq!(q.pop(), Some((10, i - 5)));
        if i % 7 == 0 {
            q.schedule_in_slot(0, 10, i);
        } else {
            q.schedule(10, i);
        }
        assert!(q.next_seq <= 8);
    }
    assert_eq!(q.len(), 5);
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

/// Runs the steps `step` gives against a plain `BinaryHeap` of `Reverse((time, seq))`: step
/// `k`, given the clock, returns events to schedule (at times not before the clock, in a slot
/// when a slot is given and free) and how many events to take then; the same events must come
/// off in the same order, with the same `peek_time` and `len` all along, and drain alike.
fn check_against_plain(
    steps: u64,
    mut step: impl FnMut(u64, Time) -> (Vec<(Time, Option<usize>)>, usize),
) {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut q: EventQueue<usize> = EventQueue::new();
    let mut plain = BinaryHeap::new();
    let mut slot_of = std::collections::HashMap::new();
    let mut slot_full = [false; 4];
    let (mut seq, mut now, mut id) = (0u64, 0, 0usize);
    type Plain = BinaryHeap<Reverse<(Time, u64, usize)>>;
    let pop = |q: &mut EventQueue<usize>,
               plain: &mut Plain,
               now: &mut Time,
               slot_of: &mut std::collections::HashMap<usize, usize>,
               slot_full: &mut [bool; 4]| {
        let expected = plain.pop().map(|Reverse((t, _, id))| (t, id));
        let got = q.pop();
        assert_eq!(got, expected);
        if let Some((t, id)) = got {
            *now = t;
            if let Some(s) = slot_of.remove(&id) {
                slot_full[s] = false;
            }
        }
    };
    for k in 0..steps {
        let (pushes, pops) = step(k, now);
        for (time, slot) in pushes {
            assert!(time >= now);
            match slot {
                Some(s) if !slot_full[s] => {
                    q.schedule_in_slot(s, time, id);
                    slot_full[s] = true;
                    slot_of.insert(id, s);
                }
                _ => q.schedule(time, id),
            }
            plain.push(Reverse((time, seq, id)));
            seq += 1;
            id += 1;
            assert_eq!(q.len(), plain.len());
            assert_eq!(q.peek_time(), plain.peek().map(|Reverse((t, _, _))| *t));
        }
        for _ in 0..pops {
            pop(&mut q, &mut plain, &mut now, &mut slot_of, &mut slot_full);
            assert_eq!(q.len(), plain.len());
            assert_eq!(q.peek_time(), plain.peek().map(|Reverse((t, _, _))| *t));
        }
    }
    while !plain.is_empty() {
        pop(&mut q, &mut plain, &mut now, &mut slot_of, &mut slot_full);
    }
    assert_eq!(q.pop(), None);
    assert!(q.is_empty());
}

const BUCKET: u64 = 1 << BUCKET_BITS;

#[test]
fn events_at_the_edges_of_buckets_and_of_the_ring() {
    // From a clock at the start, the middle and the last millisecond of a bucket, events at
    // the last and first milliseconds of the next buckets, of the last buckets in the ring and
    // of the first distant ones, several at each time, some in slots; then, a few at a time,
    // events at the clock and across the edges of the buckets after it.
    for start in [0, BUCKET / 2, BUCKET - 1, 5 * BUCKET + 3] {
        check_against_plain(61, |k, now| {
            if k == 0 {
                let mut pushes = vec![(start, None)];
                for b in [1, 2, 3, NEAR_BUCKETS - 2, NEAR_BUCKETS - 1, NEAR_BUCKETS] {
                    for d in [b * BUCKET - 1, b * BUCKET, b * BUCKET + 1] {
                        let t = start / BUCKET * BUCKET + d;
                        pushes.push((t, None));
                        pushes.push((t, Some((b % 4) as usize)));
                        pushes.push((t, None));
                    }
                }
                return (pushes, 1);
            }
            let edge = (now / BUCKET + k % 7) * BUCKET;
            let t = (edge + [0, 1, BUCKET - 1][k as usize % 3]).max(now);
            (vec![(now, None), (t, Some(k as usize % 4)), (t, None)], 2)
        });
    }
}

#[test]
fn every_place_in_the_ring_is_found_from_every_current_bucket() {
    // With the current bucket at several places in the ring (so that the search turns round
    // the end of the ring and crosses the words of its bitmap), a lone event in each later
    // bucket of the ring is found and taken, and a second one further ahead is not taken first.
    for current in [
        0,
        1,
        63,
        64,
        NEAR_BUCKETS / 2,
        NEAR_BUCKETS - 1,
        3 * NEAR_BUCKETS - 2,
    ] {
        for ahead in (1..NEAR_BUCKETS).step_by(((NEAR_BUCKETS / 97) as usize).max(1)) {
            let mut q: EventQueue<u64> = EventQueue::new();
            q.schedule(current * BUCKET + 5, 0);
            assert_eq!(q.pop(), Some((current * BUCKET + 5, 0)));
            let first = (current + ahead) * BUCKET + ahead % 3;
            let later = first + BUCKET * (NEAR_BUCKETS - ahead) / 2 + 1;
            q.schedule(later, 2);
            q.schedule(first, 1);
            assert_eq!(q.peek_time(), Some(first));
            assert_eq!(q.pop(), Some((first, 1)));
            assert_eq!(q.pop(), Some((later, 2)));
            assert_eq!(q.pop(), None);
        }
    }
}

#[test]
fn the_ring_turns_round_many_times() {
    // A stream of events each a bucket or most of the ring ahead of the clock, with ties, for
    // several turns of the ring.
    check_against_plain(3 * NEAR_BUCKETS + 100, |k, now| {
        let far = now + (NEAR_BUCKETS - 1 - k % 3) * BUCKET + k % 5;
        let slot = Some((k % 4) as usize);
        (
            vec![
                (now + BUCKET, None),
                (far, slot),
                (far, None),
                (now + k % 2, None),
            ],
            3,
        )
    });
}

#[test]
fn distant_events_join_listed_ones_of_their_bucket() {
    // Events scheduled beyond the ring, and later events at the same times scheduled once the
    // clock has come near (into the ring and into the current bucket): at equal times, first
    // scheduled, first taken.
    let times: Vec<Time> = (0..20)
        .map(|j| (NEAR_BUCKETS + j) * BUCKET + [0, BUCKET - 1, 7][j as usize % 3])
        .collect();
    check_against_plain(NEAR_BUCKETS + 40, |k, now| {
        let mut pushes = vec![(now + BUCKET, None)];
        if k == 0 {
            for (j, &t) in times.iter().enumerate() {
                pushes.extend([(t, None), (t, None), (t + 1, Some(j % 4))]);
            }
            pushes.push((400 * 24 * 3_600_000, None));
        } else if k > 20 {
            pushes.extend(times.iter().filter(|&&t| t >= now).map(|&t| (t, None)));
        }
        (pushes, 1)
    });
}

#[test]
fn a_run_is_sorted_into_time_and_scheduling_order() {
    // Entries of one bucket in scheduling order (increasing sequence numbers) at random times,
    // many at equal times, few (sorted by insertion) and many (by a counting sort first, then
    // by insertion or by comparison within each value of the top bits of their time): the run
    // is the entries sorted by key, which is (time, sequence). Times at the edges of the
    // bucket and of top-bit values are among them.
    // SplitMix64: the engine's tests need no generator of the simulator's.
    let mut state = 20_091_005u64;
    let mut next = move |below: u64| {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % below
    };
    let (mut scratch, mut counts) = (Vec::new(), Vec::new());
    let edges = [0, 1, 1023, 1024, 1025, IN_BUCKET - 1, IN_BUCKET];
    let mut sizes_seen = [false; 2];
    for round in 0..600 {
        let n = [0, 1, 2, 5, 63, 64, 65, 200, 1_000, 5_000][round % 10];
        let distinct = [1, 3, 50, IN_BUCKET + 1][round / 10 % 4];
        let mut v: Vec<Entry<usize>> = (0..n)
            .map(|i| {
                let time = if next(10) == 0 {
                    edges[next(edges.len() as u64) as usize]
                } else {
                    next(distinct).min(IN_BUCKET)
                };
                Entry::new(time, (round * 10_000 + i) as u64, i)
            })
            .collect();
        let mut want: Vec<(u64, usize)> = v.iter().map(|e| (e.key, e.event)).collect();
        want.sort_unstable();
        let ascending = next(n as u64 + 1) as usize;
        sort_run(&mut v, ascending, &mut scratch, &mut counts);
        let got: Vec<(u64, usize)> = v.iter().map(|e| (e.key, e.event)).collect();
        assert_eq!(got, want, "{n} entries over {distinct} times");
        sizes_seen[usize::from(n > 16)] = true;
    }
    assert_eq!(sizes_seen, [true, true]);
}

#[test]
fn a_bucket_s_run_interleaves_with_its_heap_and_slots() {
    // Hundreds of events listed for a later bucket (so sorted into its run when it begins),
    // many at equal times, some distant ones of the same bucket scheduled first; once the
    // bucket has begun, events at the same times and at the clock are scheduled into its heap
    // and slots: at equal times, first scheduled, first taken, wherever each waited.
    let start = NEAR_BUCKETS * BUCKET + 7;
    check_against_plain(400, |k, now| {
        if k == 0 {
            let mut pushes: Vec<(Time, Option<usize>)> = (0..40)
                .map(|j| (start + (j * 7_919) % 30 * 1_000, None))
                .collect();
            // Taken first: the clock moves to the next bucket, which brings the bucket above
            // within the ring.
            pushes.push((BUCKET + 1, None));
            return (pushes, 1);
        }
        if k == 1 {
            // These go into the bucket's list; the distant ones above come first among equal
            // times.
            assert_eq!(now, BUCKET + 1);
            let pushes = (0..700)
                .map(|j| {
                    let slot = (j % 97 == 0).then_some((j % 4) as usize);
                    (start + (j * 7_919) % 30 * 1_000, slot)
                })
                .collect();
            return (pushes, 0);
        }
        let t = (now / 1_000 * 1_000 + 1_000 * (k % 3)).max(now);
        (vec![(t, None), (now, None), (t, Some(k as usize % 4))], 4)
    });
}
