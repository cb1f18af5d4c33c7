//! The report charts: every chart on small realistic data gives well-formed SVG and PNG of the
//! stated size, the same bytes every time, and the SVG stored under tests/snapshots/charts/;
//! awkward data (empty, NaN, one bar, all equal, 60 wards) does not panic.
//!
//! After a deliberate change to the charts: `UPDATE_SNAPSHOTS=1 cargo test --test suite charts::`, then
//! look at the changed files. `CHARTS_DIR=/tmp/charts cargo test --test suite charts::` also writes
//! every chart there as PNG and SVG, to look at.

#[allow(dead_code)]
use pledgesim::report::charts::{self, Bar, Chart, FONT_FAMILY, FONT_TTF, Status};
use std::path::PathBuf;

// ---------------------------------------------------------------------------------------------
// Fixed, realistic data

fn bar(label: &str, value: f64, half: f64, required: Option<f64>, status: Status) -> Bar {
    Bar {
        label: label.to_string(),
        value,
        low: value - half,
        high: value + half,
        required,
        status,
    }
}

fn scorecard_bars() -> Vec<Bar> {
    vec![
        bar(
            "999 calls answered within 10 seconds",
            0.912,
            0.007,
            Some(0.90),
            Status::Met,
        ),
        bar(
            "Non-emergency calls answered within 30 seconds",
            0.853,
            0.013,
            Some(0.90),
            Status::Missed,
        ),
        bar(
            "Emergency attendance within 15 minutes (urban)",
            0.897,
            0.011,
            Some(0.90),
            Status::AtRisk,
        ),
        bar(
            "Emergency attendance within 20 minutes (rural)",
            0.931,
            0.017,
            Some(0.90),
            Status::Met,
        ),
        bar(
            "Priority attendance within 60 minutes",
            0.812,
            0.021,
            Some(0.85),
            Status::Missed,
        ),
        bar(
            "Victims updated at least every 28 days",
            0.968,
            0.006,
            Some(0.95),
            Status::Met,
        ),
        Bar {
            label: "Neighbourhood officers visible 80% of their duty time".into(),
            value: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
            required: Some(0.8),
            status: Status::Unknown,
        },
    ]
}

/// A smooth distribution: the share answered within `x` seconds.
fn cdf(scale: f64, shape: f64, xs: impl Iterator<Item = f64>) -> Vec<(f64, f64)> {
    xs.map(|x| (x, 1.0 - (-(x / scale).powf(shape)).exp()))
        .collect()
}

fn answer_series() -> Vec<(String, Vec<(f64, f64)>)> {
    let grid = || (0..=120).map(|k| k as f64 * 0.5);
    vec![
        ("999 calls, as now".to_string(), cdf(4.5, 1.3, grid())),
        (
            "999 calls, two more call handlers".to_string(),
            cdf(3.2, 1.4, grid()),
        ),
        (
            "999 calls, new switchboard".to_string(),
            cdf(3.8, 1.2, grid()),
        ),
    ]
}

fn attendance_series() -> Vec<(String, Vec<(f64, f64)>)> {
    let grid = || (0..=90).map(|k| k as f64 * 60.0);
    vec![
        ("Urban incidents".to_string(), cdf(540.0, 2.2, grid())),
        ("Rural incidents".to_string(), cdf(900.0, 2.0, grid())),
    ]
}

/// Hour-of-week shares with 95% intervals of +-2 percentage points.
fn cells(week: &[f64; 168]) -> [charts::HourCell; 168] {
    let mut c = [(f64::NAN, f64::NAN, f64::NAN); 168];
    for (h, v) in week.iter().enumerate() {
        c[h] = (*v, v - 0.02, v + 0.02);
    }
    c
}

fn week() -> [f64; 168] {
    let mut v = [0.0; 168];
    for (h, x) in v.iter_mut().enumerate() {
        let (day, hour) = (h / 24, h % 24);
        let night = if (1..6).contains(&hour) { 0.02 } else { 0.0 };
        let evening = if (17..23).contains(&hour) { -0.05 } else { 0.0 };
        let weekend = if day >= 4 && (20..24).contains(&hour) {
            -0.07
        } else {
            0.0
        };
        let monday = if day == 0 && (8..11).contains(&hour) {
            -0.06
        } else {
            0.0
        };
        *x = 0.95 + night + evening + weekend + monday + 0.004 * ((h * 7) % 5) as f64;
    }
    v[3] = f64::NAN;
    v[4] = f64::NAN;
    v
}

const WARDS: [&str; 20] = [
    "Abbey",
    "Castle",
    "St Mary's and Riverside North",
    "St Mary's and Riverside South",
    "Priory Fields",
    "Queensway",
    "Hollingworth and Upper Mill",
    "Greenfield",
    "Market",
    "Northmoor",
    "Kingston upon Thames Central",
    "Low Moor",
    "Westgate and Canal Side",
    "Harbour",
    "Oakwood",
    "Little Horton",
    "Bradley and Fieldhouse",
    "Eastfield",
    "Tong",
    "Windhill and Wrose",
];

fn ward_bars(n: usize) -> Vec<Bar> {
    (0..n)
        .map(|i| {
            let name = if i < WARDS.len() {
                WARDS[i].to_string()
            } else {
                format!("{} Ward {}", WARDS[i % WARDS.len()], i / WARDS.len() + 1)
            };
            let v = 0.80 + 0.17 * (((i * 37) % 23) as f64 / 22.0);
            let half = 0.015 + 0.01 * ((i % 3) as f64);
            let status = if v - half >= 0.9 {
                Status::Met
            } else if v + half < 0.9 {
                Status::Missed
            } else {
                Status::AtRisk
            };
            bar(&name, v, half, Some(0.9), status)
        })
        .collect()
}

/// A ward: name, outline in km, share.
type Ward = (String, Vec<(f64, f64)>, f64);

/// A 5 x 4 patchwork of irregular wards, 2.4 km apart, with one missing share.
fn map_wards() -> Vec<Ward> {
    let jitter = |i: usize, j: usize| -> (f64, f64) {
        let a = ((i * 7 + j * 13) % 5) as f64 / 5.0 - 0.4;
        let b = ((i * 11 + j * 3) % 7) as f64 / 7.0 - 0.43;
        (i as f64 * 2.4 + a * 0.7, j as f64 * 2.1 + b * 0.6)
    };
    let mut out = Vec::new();
    for j in 0..4 {
        for i in 0..5 {
            let k = j * 5 + i;
            let poly = vec![
                jitter(i, j),
                jitter(i + 1, j),
                jitter(i + 1, j + 1),
                jitter(i, j + 1),
            ];
            let v = if k == 7 {
                f64::NAN
            } else {
                0.82 + 0.15 * (((k * 29) % 19) as f64 / 18.0)
            };
            out.push((WARDS[k].to_string(), poly, v));
        }
    }
    out
}

fn visible_bins() -> Vec<(String, f64)> {
    let counts = [
        0, 0, 0, 0, 1, 0, 1, 2, 2, 3, 5, 6, 9, 14, 22, 31, 38, 27, 12, 4,
    ];
    counts
        .iter()
        .enumerate()
        .map(|(i, &n)| (format!("{}-{}%", i * 5, i * 5 + 5), f64::from(n)))
        .collect()
}

fn lost_time() -> Vec<(String, f64)> {
    vec![
        ("Abstracted to response".into(), 0.081),
        ("Custody and prisoner handling".into(), 0.043),
        ("Paperwork at the station".into(), 0.062),
        ("Court".into(), 0.018),
        ("Training".into(), 0.024),
        ("Travel between beats".into(), 0.035),
    ]
}

fn difference_rows() -> Vec<(String, f64, f64, f64)> {
    vec![
        ("999 answered within 10 s".into(), 2.1, 1.3, 2.9),
        ("Non-emergency answered within 30 s".into(), 6.4, 5.1, 7.8),
        ("Urban attendance within 15 min".into(), 0.4, -0.6, 1.3),
        ("Rural attendance within 20 min".into(), -0.3, -1.9, 1.2),
        ("Priority attendance within 60 min".into(), -2.2, -3.4, -1.0),
        ("Victims updated within 28 days".into(), 0.1, -0.2, 0.4),
        (
            "Neighbourhood visible 80% of duty time".into(),
            -4.8,
            -6.9,
            -2.6,
        ),
    ]
}

fn sweep_points() -> Vec<(f64, f64, f64, f64)> {
    (10..=22)
        .map(|h| {
            let x = f64::from(h);
            let v = 1.0 - 0.45 * (-(x - 10.0) / 3.5).exp();
            let half = 0.03 * (-(x - 10.0) / 6.0).exp() + 0.005;
            (x, v, v - half, (v + half).min(1.0))
        })
        .collect()
}

fn heatmap() -> (Vec<String>, Vec<String>, Vec<Vec<f64>>) {
    let xs: Vec<String> = (12..=20).map(|h| h.to_string()).collect();
    let ys: Vec<String> = (4..=9).map(|c| c.to_string()).collect();
    let values = (4..=9)
        .map(|cars| {
            (12..=20)
                .map(|h| {
                    let a = 1.0 - 0.5 * (-(f64::from(h) - 11.0) / 3.0).exp();
                    let b = 1.0 - 0.4 * (-(f64::from(cars) - 3.0) / 1.6).exp();
                    a * b
                })
                .collect()
        })
        .collect();
    (xs, ys, values)
}

/// Every chart on the fixed data, by name.
fn all_charts() -> Vec<Chart> {
    let (xs, ys, values) = heatmap();
    vec![
        charts::scorecard(
            "scorecard",
            "Policing Pledge scorecard, 2026-27 baseline",
            &scorecard_bars(),
        ),
        charts::cumulative(
            "answer_999",
            "999 calls: time to answer",
            "Time to answer",
            &answer_series(),
            &[Some(10.0), Some(10.0), Some(10.0)],
        ),
        charts::cumulative(
            "attendance",
            "Emergency incidents: time to arrive",
            "Time from call to arrival",
            &attendance_series(),
            &[Some(900.0), Some(1200.0)],
        ),
        charts::hour_of_week(
            "hour_of_week",
            "999 calls answered within 10 seconds, by hour of the week",
            &cells(&week()),
            0.9,
            0.7,
        ),
        charts::bars(
            "wards",
            "Emergency attendance within 15 minutes, by ward",
            &ward_bars(20),
        ),
        charts::ward_map(
            "ward_map",
            "Emergency attendance within 15 minutes: map of wards",
            &map_wards(),
            &[],
            0.9,
        ),
        charts::visible_time(
            "visible_time",
            "Neighbourhood officers: time visible in the community",
            &visible_bins(),
            0.8,
            &lost_time(),
        ),
        charts::differences(
            "differences",
            "Two more call handlers, compared with the baseline",
            &difference_rows(),
            "pp",
        ),
        charts::sweep_line(
            "sweep_handlers",
            "Non-emergency calls answered within 30 seconds, by call handlers on duty",
            "Call handlers on the day shift",
            &sweep_points(),
            Some(0.9),
        ),
        charts::sweep_heatmap(
            "sweep_heatmap",
            "Emergency attendance within 15 minutes",
            "Call handlers on the day shift",
            "Response cars on patrol",
            &xs,
            &ys,
            &values,
            &[],
            0.9,
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Checks

fn png_size(png: &[u8]) -> (u32, u32) {
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

fn check(chart: &Chart) {
    if let Some(out) = std::env::var_os("CHARTS_DIR").map(PathBuf::from) {
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(format!("{}.png", chart.name)), &chart.png).unwrap();
        std::fs::write(out.join(format!("{}.svg", chart.name)), &chart.svg).unwrap();
    }
    let name = &chart.name;
    let svg = &chart.svg;
    assert!(
        svg.starts_with("<svg"),
        "{name}: SVG does not start with <svg"
    );
    assert!(
        svg.trim_end().ends_with("</svg>"),
        "{name}: SVG is not closed"
    );
    assert!(
        svg.contains(&format!("width=\"{}\"", chart.width))
            && svg.contains(&format!("height=\"{}\"", chart.height)),
        "{name}: SVG does not state its size"
    );
    let texts = svg.matches("<text").count();
    assert!(texts > 0, "{name}: SVG has no text");
    assert_eq!(
        svg.matches(&format!("font-family=\"{FONT_FAMILY}\""))
            .count(),
        texts,
        "{name}: every text element names the font family"
    );
    assert_eq!(
        svg.matches('<').count(),
        svg.matches('>').count(),
        "{name}: unbalanced tags"
    );
    assert_eq!(
        chart.png[..8],
        [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a],
        "{name}: not a PNG"
    );
    assert_eq!(
        png_size(&chart.png),
        (chart.width, chart.height),
        "{name}: PNG size"
    );
    assert!(
        (860..=940).contains(&chart.width),
        "{name}: width {}",
        chart.width
    );
    assert!(chart.height >= 200, "{name}: height {}", chart.height);
}

#[test]
fn every_chart_is_well_formed() {
    for chart in all_charts() {
        check(&chart);
    }
}

#[test]
fn charts_are_deterministic() {
    let (a, b) = (all_charts(), all_charts());
    for (x, y) in a.iter().zip(&b) {
        assert!(x.svg == y.svg, "{}: SVG differs between two calls", x.name);
        assert!(x.png == y.png, "{}: PNG differs between two calls", x.name);
    }
}

#[test]
fn sizes_are_as_stated() {
    let charts = all_charts();
    let get = |n: &str| charts.iter().find(|c| c.name == n).unwrap();
    assert_eq!(
        (get("hour_of_week").width, get("hour_of_week").height),
        (900, 320)
    );
    assert_eq!((get("wards").width, get("wards").height), (900, 500));
    let one = charts::scorecard("one", "One target", &scorecard_bars()[..1]);
    let seven = get("scorecard");
    assert!(
        seven.height > one.height,
        "the scorecard grows with its bars"
    );
    assert!(FONT_TTF.len() > 100_000, "the font is embedded");
}

fn snapshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/charts")
}

#[test]
fn svg_snapshots() {
    let dir = snapshot_dir();
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for chart in all_charts() {
        let path = dir.join(format!("{}.svg", chart.name));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &chart.svg).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(stored) if stored == chart.svg => {}
            Ok(_) => failures.push(format!("{} differs from {}", chart.name, path.display())),
            Err(_) => failures.push(format!(
                "{} has no snapshot at {}",
                chart.name,
                path.display()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "chart snapshots:\n  {}\nIf the change is intended, run `UPDATE_SNAPSHOTS=1 cargo test --test suite charts::` and review the changed SVG files.",
        failures.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------------
// Awkward data: no panic, still well-formed

fn nan_bar(label: &str) -> Bar {
    Bar {
        label: label.into(),
        value: f64::NAN,
        low: f64::NAN,
        high: f64::NAN,
        required: None,
        status: Status::Unknown,
    }
}

#[test]
fn empty_inputs() {
    let charts = [
        charts::scorecard("e1", "", &[]),
        charts::cumulative("e2", "", "", &[], &[]),
        charts::cumulative(
            "e3",
            "Empty series",
            "Time to answer",
            &[("none".into(), vec![])],
            &[Some(10.0)],
        ),
        charts::bars("e4", "No wards", &[]),
        charts::ward_map("e5", "No wards", &[], &[], 0.9),
        charts::visible_time("e6", "Nothing", &[], 0.8, &[]),
        charts::differences("e7", "Nothing", &[], "pp"),
        charts::sweep_line("e8", "Nothing", "x", &[], None),
        charts::sweep_heatmap("e9", "Nothing", "x", "y", &[], &[], &[], &[], 0.9),
    ];
    for c in &charts {
        check(c);
    }
}

#[test]
fn nan_values() {
    let nan = f64::NAN;
    let charts = [
        charts::scorecard("n1", "NaN", &[nan_bar("a"), nan_bar("b")]),
        charts::cumulative(
            "n2",
            "NaN",
            "t",
            &[("a".into(), vec![(nan, nan), (1.0, nan), (nan, 0.5)])],
            &[Some(nan)],
        ),
        charts::hour_of_week("n3", "All NaN", &[(nan, nan, nan); 168], nan, nan),
        charts::bars("n4", "NaN", &[nan_bar("a")]),
        charts::ward_map(
            "n5",
            "NaN",
            &[("a".into(), vec![(nan, 0.0), (1.0, nan), (0.0, 1.0)], nan)],
            &[],
            nan,
        ),
        charts::visible_time(
            "n6",
            "NaN",
            &[("0-50%".into(), nan), ("50-100%".into(), nan)],
            nan,
            &[("x".into(), nan)],
        ),
        charts::differences("n7", "NaN", &[("a".into(), nan, nan, nan)], "s"),
        charts::sweep_line(
            "n8",
            "NaN",
            "x",
            &[
                (1.0, nan, nan, nan),
                (nan, 0.5, 0.4, 0.6),
                (2.0, 0.5, nan, 0.6),
            ],
            Some(nan),
        ),
        charts::sweep_heatmap(
            "n9",
            "NaN",
            "x",
            "y",
            &["1".into(), "2".into()],
            &["a".into()],
            &[vec![nan]],
            &[vec![(nan, nan)]],
            nan,
        ),
    ];
    for c in &charts {
        check(c);
    }
}

#[test]
fn one_bar_and_one_point() {
    let one = vec![bar("Only ward", 0.9, 0.02, Some(0.9), Status::AtRisk)];
    let charts = [
        charts::scorecard("o1", "One", &one),
        charts::bars("o2", "One", &one),
        charts::cumulative(
            "o3",
            "One point",
            "t",
            &[("a".into(), vec![(5.0, 0.5)])],
            &[Some(10.0)],
        ),
        charts::ward_map(
            "o4",
            "One ward",
            &[(
                "Only".into(),
                vec![(0.0, 0.0), (3.0, 0.0), (3.0, 2.0), (0.0, 2.0)],
                0.95,
            )],
            &[],
            0.9,
        ),
        charts::visible_time(
            "o5",
            "One bin",
            &[("80-85%".into(), 3.0)],
            0.8,
            &[("Court".into(), 0.02)],
        ),
        charts::differences("o6", "One", &[("a".into(), 12.0, 10.0, 14.0)], "s"),
        charts::sweep_line("o7", "One", "x", &[(3.0, 0.8, 0.7, 0.9)], Some(0.9)),
        charts::sweep_heatmap(
            "o8",
            "One",
            "x",
            "y",
            &["1".into()],
            &["a".into()],
            &[vec![0.95]],
            &[vec![(0.88, 0.99)]],
            0.9,
        ),
    ];
    for c in &charts {
        check(c);
    }
}

#[test]
fn all_values_equal() {
    let same = vec![bar("a", 1.0, 0.0, Some(1.0), Status::Met); 5];
    let charts = [
        charts::scorecard("a1", "Equal", &same),
        charts::bars("a2", "Equal", &same),
        charts::hour_of_week("a3", "Equal", &[(1.0, 1.0, 1.0); 168], 0.9, 0.8),
        charts::hour_of_week("a4", "Zero", &[(0.0, 0.0, 0.0); 168], 0.0, 0.0),
        charts::ward_map(
            "a5",
            "Equal",
            &[("a".into(), vec![(1.0, 1.0); 4], 0.9)],
            &[],
            0.9,
        ),
        charts::differences(
            "a6",
            "Zero",
            &vec![("a".to_string(), 0.0, 0.0, 0.0); 3],
            "pp",
        ),
        charts::sweep_line("a7", "Equal", "x", &[(2.0, 0.9, 0.9, 0.9); 4], Some(0.9)),
        charts::sweep_heatmap(
            "a8",
            "Equal",
            "x",
            "y",
            &["1".into(), "2".into()],
            &["a".into()],
            &[vec![0.5, 0.5]],
            &[vec![(0.4, 0.6), (0.5, 0.5)]],
            0.5,
        ),
        charts::cumulative(
            "a9",
            "Equal",
            "t",
            &[("a".into(), vec![(0.0, 1.0); 3])],
            &[Some(0.0)],
        ),
    ];
    for c in &charts {
        check(c);
    }
}

#[test]
fn sixty_wards_and_long_names() {
    let mut wards = ward_bars(60);
    wards[5].label =
        "A ward whose name goes on and on, far longer than any real ward's name".into();
    wards[6].required = Some(0.8);
    let c = charts::bars("w60", "Sixty wards", &wards);
    check(&c);
    // Shortened: the long name does not appear whole.
    assert!(
        !c.svg.contains("far longer than any real"),
        "long names are shortened"
    );
    let many: Vec<(String, Vec<(f64, f64)>)> = (0..9)
        .map(|i| {
            (
                format!("series {i}"),
                cdf(5.0 + i as f64, 1.2, (0..50).map(f64::from)),
            )
        })
        .collect();
    check(&charts::cumulative(
        "many",
        "Nine series",
        "t",
        &many,
        &[Some(10.0); 9],
    ));
    let bins: Vec<(String, f64)> = (0..100)
        .map(|i| (format!("{i}-{}%", i + 1), 0.01))
        .collect();
    check(&charts::visible_time(
        "bins",
        "Hundred bins",
        &bins,
        0.8,
        &lost_time(),
    ));
}

/// Issue: a sweep heatmap's cells showed no intervals, and its outline (value at or above the
/// share asked) hid cells at risk. Now a cell whose interval holds the required share is ringed,
/// not outlined as kept, and its interval is written where it fits.
#[test]
fn a_heatmap_cell_at_risk_is_ringed_and_shows_its_interval() {
    let c = charts::sweep_heatmap(
        "risk",
        "At risk",
        "x",
        "y",
        &["1".into(), "2".into()],
        &["a".into()],
        &[vec![0.91, 0.96]],
        &[vec![(0.85, 0.97), (0.93, 0.99)]],
        0.9,
    );
    check(&c);
    assert!(c.svg.contains("91% (85-97%)"), "the interval is written");
    assert!(c.svg.contains("<circle"), "the cell at risk is ringed");
    assert!(c.svg.contains("ringed: at risk"));
    // Only the kept cell is outlined: one cell's four edges, drawn twice (white under ink).
    let ink_edges = c
        .svg
        .matches("stroke=\"#191919\" stroke-width=\"3\"")
        .count();
    assert_eq!(ink_edges, 4 + 1, "{ink_edges} ink lines of width 3");
}

/// Issue: a one-parameter sweep's x ticks did not line up with the swept values. Now, when the
/// values are few enough to label, the ticks are the values themselves.
#[test]
fn a_sweep_lines_ticks_are_the_swept_values() {
    let c = charts::sweep_line(
        "ticks",
        "Ticks",
        "handlers",
        &[
            (12.0, 0.8, 0.78, 0.82),
            (14.0, 0.9, 0.88, 0.92),
            (16.0, 0.95, 0.94, 0.96),
        ],
        Some(0.9),
    );
    check(&c);
    let texts: Vec<String> = c
        .svg
        .split("<text")
        .skip(1)
        .filter_map(|t| Some(t[t.find('>')? + 1..t.find("</text>")?].trim().to_string()))
        .collect();
    for v in ["12", "14", "16"] {
        assert!(texts.iter().any(|t| t == v), "no tick {v}: {texts:?}");
    }
    for v in ["13", "15", "12.5"] {
        assert!(
            !texts.iter().any(|t| t == v),
            "a tick {v} between the values"
        );
    }
}

/// A county of rural wards with a town of small wards: every ward's name is in the chart (in
/// the key below the map, and inside the ward where it fits), each town ward's number is on
/// the map, and every sector is named, all escaped for SVG.
#[test]
fn the_ward_map_names_every_ward_and_every_sector() {
    let mut wards: Vec<Ward> = Vec::new();
    let mut sectors: Vec<(String, Vec<usize>)> = vec![
        ("North & West".into(), vec![]),
        ("Town <Centre>".into(), vec![]),
    ];
    for i in 0..4 {
        let x = f64::from(i) * 10.0;
        sectors[0].1.push(wards.len());
        wards.push((
            format!("Rural {i}"),
            vec![(x, 0.0), (x + 10.0, 0.0), (x + 10.0, 10.0), (x, 10.0)],
            0.9,
        ));
    }
    for j in 0..5 {
        for i in 0..5 {
            let (x, y) = (f64::from(i) * 0.4, 10.0 + f64::from(j) * 0.4);
            sectors[1].1.push(wards.len());
            wards.push((
                format!("Mill & Lee {}", wards.len()),
                vec![(x, y), (x + 0.4, y), (x + 0.4, y + 0.4), (x, y + 0.4)],
                0.8,
            ));
        }
    }
    let c = charts::ward_map("county", "County", &wards, &sectors, 0.85);
    check(&c);
    let text = |s: &str| {
        let escaped = s
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        format!(">\n{escaped}\n</text>")
    };
    for (s, _) in &sectors {
        assert!(
            c.svg.matches(&text(s)).count() >= 2,
            "sector {s} named on the map and in the key"
        );
    }
    for (k, (name, _, _)) in wards.iter().enumerate() {
        assert!(c.svg.contains(&text(name)), "ward {name} in the chart");
        assert!(
            c.svg.contains(&text(&(k + 1).to_string())),
            "ward number {} in the chart",
            k + 1
        );
    }
    assert!(c.height > 500, "the key goes below the map");
}
