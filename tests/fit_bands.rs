//! Mixes by band of the day through the fit: a scenario whose grade mix, category mix and
//! ward weights change through the day is simulated with its records and fitted; the fitted
//! scenario takes by band exactly the mixes that change (each band's shares the log's, which
//! pass a chi-squared test against the known ones), keeps one mix for those that do not, and
//! runs; `--bands never` writes no bands.

use crate::common;

use common::{pledgesim, read_text, run_command, write};
use pledgesim::log::{self, Mapping};
use pledgesim::scenario::Scenario;

/// The truth: 999 calls on a flat profile. All day I 0.2, S 0.4, R 0.4; from 00:00 to 06:00
/// I 0.5, S 0.3, R 0.2, and grade S calls are half domestic abuse (all day: other crime and
/// non-crime, half each). From 18:00 to midnight North's weight is three times its own.
const TRUTH: &str = r#"
[run]
horizon = "28d"
warm_up = "0s"
replications = 1
start = "2009-10-05"
[demand.emergency]
calls_per_week = 3000
handling = { kind = "exponential", mean = "2min" }
[roster.handlers]
constant = 40
[response]
speed_kmh = { urban = { I = 60, S = 30 }, rural = { I = 60, S = 30 } }
on_scene = { I = { kind = "exponential", mean = "20min" }, S = { kind = "exponential", mean = "30min" } }
grading = { emergency = { I = 0.2, S = 0.4, E = 0.0, R = 0.4 } }
[response.categories.S]
non_crime = 0.5
other_crime = 0.5
[[response.hour_bands]]
name = "small hours"
start = "00:00"
end = "06:00"
grading = { emergency = { I = 0.5, S = 0.3, E = 0.0, R = 0.2 } }
[response.hour_bands.categories.S]
domestic_abuse = 0.5
other_crime = 0.25
non_crime = 0.25
[[response.hour_bands]]
name = "evening"
start = "18:00"
end = "00:00"
ward_factor = { emergency = { North = 3.0 } }
[[sectors]]
name = "A"
[[wards]]
name = "North"
type = "urban"
area_km2 = 4
x = 0
y = 2
sector = "A"
[[wards]]
name = "South"
type = "urban"
area_km2 = 4
x = 0
y = -2
sector = "A"
[roster.units.constant]
A = 60
"#;

/// Pearson's chi-squared at alpha = 0.001, from more than 300 rows.
fn passes(what: &str, counts: &[u64], shares: &[f64]) {
    common::chi_squared_passes(what, counts, shares, 300);
}

/// A number of a TOML table.
fn num(t: &toml::Value, key: &str) -> f64 {
    let v = &t[key];
    v.as_float()
        .or(v.as_integer().map(|i| i as f64))
        .unwrap_or_else(|| panic!("{key} in {t:?}"))
}

#[test]
fn the_fit_takes_by_band_the_mixes_that_change_through_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "truth.toml", TRUTH);
    let records = dir.path().join("records");
    run_command(&base, &records)
        .args(["--quiet", "--seed", "77", "--records"])
        .assert()
        .success();
    let log = records.join("calls.csv");
    let fitted = dir.path().join("fitted.toml");
    pledgesim()
        .arg("fit")
        .arg(&log)
        .arg("--base")
        .arg(&base)
        .arg("-o")
        .arg(&fitted)
        .assert()
        .success();

    // The log's counts by band, against the truth.
    let wards = vec!["North".to_string(), "South".to_string()];
    let mut t = pledgesim::fit::Tally::new(2, None, 600_000);
    log::read(&log, &Mapping::default(), &wards, |row| t.add(row)).unwrap();
    let grading = |b: usize| {
        if b == 0 {
            [0.5, 0.3, 0.0, 0.2]
        } else {
            [0.2, 0.4, 0.0, 0.4]
        }
    };
    let s_categories = |b: usize| {
        if b == 0 {
            [0.5, 0.0, 0.0, 0.25, 0.25]
        } else {
            [0.0, 0.0, 0.0, 0.5, 0.5]
        }
    };
    for b in 0..4 {
        passes(&format!("grades {b}"), &t.grades_by_band[0][b], &grading(b));
        passes(
            &format!("S categories {b}"),
            &t.categories_by_band[1][b],
            &s_categories(b),
        );
        let north = if b == 3 { 3.0 } else { 1.0 };
        passes(&format!("wards {b}"), &t.wards_by_band[b], &[north, 1.0]);
    }

    // The fitted scenario: grades, S categories and wards by band, each band's shares the
    // log's; grade I's categories (all non-crime all day) one mix.
    let text = read_text(&fitted);
    let doc: toml::Table = toml::from_str(&text).unwrap();
    let bands = doc["response"]["hour_bands"].as_array().expect("bands");
    assert_eq!(bands.len(), 4, "{text}");
    for (b, band) in bands.iter().enumerate() {
        assert_eq!(
            band["start"].as_str().unwrap(),
            format!("{:02}:00", b * 6),
            "{band:?}"
        );
        let g = &band["grading"]["emergency"];
        let n: u64 = t.grades_by_band[0][b].iter().sum();
        for (k, name) in ["I", "S", "E", "R"].iter().enumerate() {
            let share = t.grades_by_band[0][b][k] as f64 / n as f64;
            assert!((num(g, name) - share).abs() < 2e-6, "band {b} {name}");
        }
        let c = &band["categories"]["S"];
        let n: u64 = t.categories_by_band[1][b].iter().sum();
        let share = t.categories_by_band[1][b][0] as f64 / n as f64;
        assert!((num(c, "domestic_abuse") - share).abs() < 2e-6);
        assert!(band["categories"].get("I").is_none(), "{band:?}");
        // North's factor: its share in the band over its share all day.
        let f = &band["ward_factor"]["emergency"];
        let (nb, all) = (
            t.wards_by_band[b].iter().sum::<u64>() as f64,
            t.wards[0].iter().sum::<u64>() as f64,
        );
        let want = (t.wards_by_band[b][0] as f64 / nb) / (t.wards[0][0] as f64 / all);
        assert!((num(f, "North") - want).abs() < 1e-4, "band {b}");
    }
    // It is a valid scenario, and the band's grading is what a call in it takes.
    let sc = Scenario::load(&fitted).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let resp = sc.response.unwrap();
    assert_eq!(resp.hour_bands.len(), 4);
    assert!(resp.hour_bands[0].grading[0].unwrap()[0] > 0.45);
    assert!(resp.hour_bands[1].grading[0].unwrap()[0] < 0.25);

    // Told never: no bands, and the fit's report says the mix changes but is taken whole.
    let never = dir.path().join("never.toml");
    pledgesim()
        .arg("fit")
        .arg(&log)
        .arg("--base")
        .arg(&base)
        .args(["--bands", "never", "-o"])
        .arg(&never)
        .assert()
        .success();
    let doc: toml::Table = toml::from_str(&read_text(&never)).unwrap();
    assert!(doc["response"].get("hour_bands").is_none());
    let fit_json: serde_json::Value =
        serde_json::from_str(&read_text(&dir.path().join("never-fit/fit.json"))).unwrap();
    let grades = fit_json["mixes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["quantity"] == "grades")
        .unwrap();
    assert_eq!(grades["banded"], false);
    assert!(grades["homogeneity"]["p_value"].as_f64().unwrap() < 1e-6);
    let report = read_text(&dir.path().join("never-fit/report.html"));
    assert!(report.contains("The fitted scenario has one mix for the whole day (the fit was told"));
}
