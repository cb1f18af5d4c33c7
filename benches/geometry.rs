//! Sampling and locating in a ward of 400 vertices against a square ward, and loading a map of
//! 600 wards.
//!
//! `cargo bench --bench geometry` prints nanoseconds per call, the mean of ten batches with its
//! 95% interval, for `sample` (a point uniform in the ward, its random draws included) and
//! `contains` (whether a point is in it, for 4,096 points over the ward's box in turn), for: the square ward (a ward with no shape), a square given as a shape, and a ward
//! of 400 vertices with a hole; then the seconds to load a GeoJSON map of 600 wards of 400
//! vertices each (24,000 km of boundary, projected, triangulated, indexed and checked for
//! crossings and overlaps).
//!
//! For instruction counts, which do not depend on the machine's load, run one case under
//! callgrind twice with different numbers of calls and take the difference per call:
//! `valgrind --tool=callgrind BENCH --one sample:400 1000000` and `... 2000000` (cases
//! `sample:square`, `sample:shape4`, `sample:400`, `contains:square`, `contains:shape4`,
//! `contains:400`). `--one load` loads the map of 600 wards once (for a profile of loading).

use pledgesim::scenario::response::Ward;
use pledgesim::scenario::shape::{Point, Shape};
use std::hint::black_box;
use std::time::Instant;

fn ward(shape: Option<Shape>, area: f64) -> Ward {
    Ward {
        name: "W".into(),
        rural: false,
        area_km2: area,
        x: 5.0,
        y: 5.0,
        shape,
        sector: 0,
        weights: [1.0, 1.0],
        grading: [[0.0, 0.0, 0.0, 1.0]; 2],
        own_grading: false,
    }
}

/// A wobbly star of `n` vertices about (5, 5), about 50 km2, with a square hole of 1 km2.
fn wobbly(n: usize) -> Shape {
    let outer: Vec<Point> = (0..n)
        .map(|i| {
            let a = i as f64 / n as f64 * std::f64::consts::TAU;
            let r = 4.0 + 0.6 * (7.0 * a).sin() + 0.3 * (23.0 * a).cos() + 0.2 * ((i % 3) as f64);
            (5.0 + r * a.cos(), 5.0 + r * a.sin())
        })
        .collect();
    let hole = vec![(4.5, 4.5), (4.5, 5.5), (5.5, 5.5), (5.5, 4.5)];
    Shape::new(vec![vec![outer, hole]]).expect("a sound shape")
}

fn wards() -> [(&'static str, Ward); 3] {
    let w400 = wobbly(396);
    let area = w400.area_km2();
    let h = area.sqrt() / 2.0;
    let sq = Shape::new(vec![vec![vec![
        (5.0 - h, 5.0 - h),
        (5.0 + h, 5.0 - h),
        (5.0 + h, 5.0 + h),
        (5.0 - h, 5.0 + h),
    ]]])
    .expect("a square");
    [
        ("square", ward(None, area)),
        ("shape4", ward(Some(sq), area)),
        ("400", ward(Some(w400), area)),
    ]
}

/// Points over the ward's box and a margin, for `contains`.
fn points(n: usize, seed: u64) -> Vec<Point> {
    use rand::RngExt;
    let mut rng = pledgesim::rng::rng(seed, 65);
    (0..n)
        .map(|_| {
            (
                rng.random::<f64>() * 11.0 - 0.5,
                rng.random::<f64>() * 11.0 - 0.5,
            )
        })
        .collect()
}

/// Runs `calls` calls of `op` on `w` (`contains` cycling through `pts`); returns a checksum so
/// that nothing is optimised away.
fn run(op: &str, w: &Ward, calls: u64, seed: u64, pts: &[Point]) -> f64 {
    let mut acc = 0.0;
    if op == "sample" {
        let mut rng = pledgesim::rng::rng(seed, 64);
        for _ in 0..calls {
            acc += w.sample(&mut rng).0;
        }
    } else {
        for p in pts.iter().cycle().take(calls as usize) {
            acc += f64::from(u8::from(w.contains(black_box(*p))));
        }
    }
    black_box(acc)
}

fn map_text(side: usize, k: usize) -> String {
    // A grid of side x (600 / side) wards of 0.02 x 0.02 degrees, each edge cut into k pieces
    // with a small wobble shared by both neighbours: 4k vertices a ward.
    let rows = 600 / side;
    let d = 0.02;
    let node = |i: usize, j: usize, s: usize, along_x: bool| -> (f64, f64) {
        // Point s of k along the edge from grid node (i, j), east (along_x) or north.
        let t = s as f64 / k as f64;
        let wob =
            0.001 * (t * std::f64::consts::PI).sin() * if (i + j) % 2 == 0 { 1.0 } else { -1.0 };
        let (x, y) = (-1.0 + i as f64 * d, 52.0 + j as f64 * d);
        if along_x {
            (x + t * d, y + wob)
        } else {
            (x + wob, y + t * d)
        }
    };
    let mut feats = Vec::new();
    for i in 0..side {
        for j in 0..rows {
            let mut ring = Vec::new();
            for s in 0..k {
                ring.push(node(i, j, s, true));
            }
            for s in 0..k {
                ring.push(node(i + 1, j, s, false));
            }
            for s in (1..=k).rev() {
                ring.push(node(i, j + 1, s, true));
            }
            for s in (1..=k).rev() {
                ring.push(node(i, j, s, false));
            }
            ring.push(ring[0]);
            let coords: Vec<String> = ring
                .iter()
                .map(|p| format!("[{:.7},{:.7}]", p.0, p.1))
                .collect();
            feats.push(format!(
                r#"{{"type":"Feature","properties":{{"name":"W{i}-{j}","code":"C{i}-{j}","type":"urban","sector":"s"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
                coords.join(",")
            ));
        }
    }
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        feats.join(",")
    )
}

fn load_map() -> f64 {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("map.geojson"), map_text(24, 100)).expect("written");
    let text = r#"
[demand.emergency]
calls_per_week = 500
handling = { kind = "deterministic", value = "30s" }
[roster.handlers]
constant = 5
[response]
speed_kmh = { urban = { I = 40, S = 30 }, rural = { I = 60, S = 50 } }
on_scene = { I = { kind = "deterministic", value = "1min" }, S = { kind = "deterministic", value = "1min" } }
grading = { emergency = { I = 0.5, R = 0.5 } }
[map]
file = "map.geojson"
[[sectors]]
name = "s"
[roster.units.constant]
s = 2
"#;
    let p = dir.path().join("scenario.toml");
    std::fs::write(&p, text).expect("written");
    let started = Instant::now();
    let sc = pledgesim::Scenario::load(&p).unwrap_or_else(|e| panic!("{e}"));
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(sc.response.expect("a field side").wards.len(), 600);
    secs
}

/// The mean and the half-width of its 95% interval, by Student's t with n - 1 degrees of
/// freedom (t(0.975, 9) = 2.2622 for ten batches, t(0.975, 4) = 2.7764 for five).
fn mean_ci(x: &[f64], t: f64) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let sd = (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    (m, t * sd / n.sqrt())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let wards = wards();
    if let Some(i) = args.iter().position(|a| a == "--one") {
        if args[i + 1] == "load" {
            println!("{:.3} s", load_map());
            return;
        }
        let (op, which) = args[i + 1].split_once(':').expect("OP:WARD");
        let calls: u64 = args[i + 2].parse().expect("a number of calls");
        let w = &wards.iter().find(|(n, _)| *n == which).expect("a ward").1;
        let pts = points(4096, 1);
        println!("{}", run(op, w, calls, 1, &pts));
        return;
    }
    let calls = 2_000_000u64;
    let pts = points(4096, 1);
    for op in ["sample", "contains"] {
        let mut square = 0.0;
        for (name, w) in &wards {
            run(op, w, calls / 10, 0, &pts);
            let ns: Vec<f64> = (0..10)
                .map(|b| {
                    let t = Instant::now();
                    run(op, w, calls, b, &pts);
                    t.elapsed().as_secs_f64() * 1e9 / calls as f64
                })
                .collect();
            let (m, h) = mean_ci(&ns, 2.2622);
            if *name == "square" {
                square = m;
            }
            println!(
                "{op:>8} {name:>6}: {m:6.2} ns per call (95% interval {:.2} to {:.2}), {:.2}x the square ward",
                m - h,
                m + h,
                m / square
            );
        }
    }
    let secs: Vec<f64> = (0..5).map(|_| load_map()).collect();
    let (m, h) = mean_ci(&secs, 2.7764);
    println!(
        "load a map of 600 wards of 400 vertices: {m:.3} s (95% interval +/- {h:.3} s over 5 loads)"
    );
}
