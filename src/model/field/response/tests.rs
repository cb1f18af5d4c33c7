use super::*;
use crate::scenario::{Format, Source};

/// One sector, units waiting at base (moved by hand below), emergencies at 1 km/min.
const ONE_SECTOR: &str = r#"
[run]
horizon = "1d"
warm_up = "0s"
replications = 1
[demand.emergency]
calls = [{ at = "0min", grade = "I" }]
handling = { kind = "deterministic", value = "0s" }
[roster.handlers]
constant = 1
[response]
metric = "right-angle"
turnout = "0s"
idle = "base"
emergency_created_after = "0s"
speed_kmh = { urban = { I = 60, S = 60 }, rural = { I = 60, S = 60 } }
on_scene = { I = { kind = "deterministic", value = "20min" }, S = { kind = "deterministic", value = "20min" } }
grading = { emergency = { I = 1.0 } }
[[sectors]]
name = "A"
base = [0.0, 0.0]
[[wards]]
name = "W"
type = "urban"
area_km2 = 100
x = 0
y = 0
sector = "A"
[roster.units.constant]
A = 3
"#;

#[derive(Default)]
struct Log(Vec<(Time, FieldEvent)>);
impl Schedule for Log {
    fn at(&mut self, time: Time, event: FieldEvent) {
        self.0.push((time, event));
    }
}

/// An emergency at `pos`, answered at 0 and created (so dispatched) at once.
fn emergency(f: &mut Field, q: &mut Log, call: u64, pos: (f64, f64)) {
    let draw = Draw {
        ward: 0,
        pos,
        grade: GRADE_I as u8,
        category: 0,
        two_units: false,
        on_scene: 1_000,
        paperwork: 0,
        created_after: None,
        dispatch_work: 0,
        travel: [1.0, 1.0],
    };
    let h = Handover {
        call,
        call_arrival: 0,
        handling: 0,
        measured: true,
        draw,
    };
    f.answered(q, 0, &h);
    let (t, e) = q.0.pop().expect("the incident's creation is scheduled");
    assert!(matches!(e, FieldEvent::Create(_)));
    f.handle(q, t, e);
}

#[test]
fn dispatch_sends_the_nearest_idle_unit_then_queues() {
    let source = Source {
        label: "test".into(),
        dir: None,
        format: Format::Toml,
    };
    let sc = Scenario::parse(ONE_SECTOR, &source).unwrap_or_else(|e| panic!("{e}"));
    let spec = sc.response.as_ref().unwrap();
    let mut f = Field::new(&sc, spec, 1);
    f.trace = Some(Vec::new());
    let mut q = Log::default();
    f.start(&mut q);
    assert_eq!(f.units.slots.len(), 3);
    // Units 0, 1, 2 at 4, 1 and 3 km east of the base.
    for (u, x) in [(0, 4.0), (1, 1.0), (2, 3.0)] {
        f.units[u].pos = (x, 0.0);
    }
    // At 2 km east: unit 1 (1 km away) beats unit 2 (1 km too, listed later) and unit 0.
    emergency(&mut f, &mut q, 0, (2.0, 0.0));
    // At 5 km east: unit 0 (1 km) beats unit 2 (2 km).
    emergency(&mut f, &mut q, 1, (5.0, 0.0));
    // At the base: only unit 2 is left, 3 km away; it takes 3 minutes.
    emergency(&mut f, &mut q, 2, (0.0, 0.0));
    assert_eq!(f.units[2].arrive, 3 * crate::time::MINUTE);
    // None left: the next waits.
    emergency(&mut f, &mut q, 3, (0.0, 0.0));
    let sent: Vec<_> = f
        .trace
        .unwrap()
        .into_iter()
        .filter_map(|s| match s {
            Step::Dispatched { call, unit, .. } => Some((call, Some(unit))),
            Step::Queued { call, .. } => Some((call, None)),
            _ => None,
        })
        .collect();
    assert_eq!(sent, [(0, Some(1)), (1, Some(0)), (2, Some(2)), (3, None)]);
}
