//! Seasonal factors fitted from a log of a year or more: a run with known monthly factors,
//! fitted from its own records, gives each factor back within its standard error, and a log
//! shorter than a year gets none.

use crate::common;

use common::{pledgesim, read_text, run_command, write};

const FACTORS: [f64; 12] = [
    0.85, 0.8, 0.9, 0.95, 1.0, 1.05, 1.2, 1.15, 1.0, 1.0, 1.05, 1.1,
];

fn base(dir: &std::path::Path) -> std::path::PathBuf {
    let factors: Vec<String> = FACTORS.iter().map(|f| f.to_string()).collect();
    write(
        dir,
        "season.toml",
        format!(
            "name = \"season\"\n[run]\nstart = \"2009-01-01\"\nhorizon = \"365d\"\nwarm_up = \"1h\"\nreplications = 1\nseed = 4\n\
             [demand.emergency]\ncalls_per_week = 3000\ndaily = [1.2, 1.0, 1.0, 1.0, 1.0, 0.9, 0.9]\n\
             seasonal = [{}]\n\
             handling = {{ kind = \"exponential\", mean = \"2min\" }}\n\
             patience = {{ kind = \"exponential\", mean = \"2min\" }}\n\
             [roster.handlers]\nconstant = 60\n",
            factors.join(", ")
        ),
    )
}

fn fit(dir: &std::path::Path, records: &std::path::Path, extra: &[&str]) -> toml::Value {
    let out = dir.join(format!("fitted{}.toml", extra.len()));
    pledgesim()
        .arg("fit")
        .arg(records.join("calls.csv"))
        .arg("--base")
        .arg(dir.join("season.toml"))
        .arg("-o")
        .arg(&out)
        .args(extra)
        .arg("--quiet")
        .assert()
        .success();
    toml::from_str(&read_text(&out)).unwrap()
}

#[test]
fn monthly_factors_are_recovered_from_a_years_log() {
    let dir = tempfile::tempdir().unwrap();
    let base = base(dir.path());
    let records = dir.path().join("records");
    run_command(&base, &records)
        .args(["--quiet", "--records"])
        .assert()
        .success();
    let doc = fit(dir.path(), &records, &[]);
    let got: Vec<f64> = doc["demand"]["emergency"]["seasonal"]
        .as_array()
        .expect("seasonal factors from a year's log")
        .iter()
        .map(|v| v.as_float().unwrap())
        .collect();
    // The truth scaled to a mean of 1 over the year's hours (2009: 365 days from 1 January).
    let days = [
        31.0, 28.0, 31.0, 30.0, 31.0, 30.0, 31.0, 31.0, 30.0, 31.0, 30.0, 31.0,
    ];
    let mean: f64 = FACTORS.iter().zip(days).map(|(f, d)| f * d).sum::<f64>() / 365.0;
    let per_week = doc["demand"]["emergency"]["calls_per_week"]
        .as_float()
        .unwrap();
    for m in 0..12 {
        let truth = FACTORS[m] / mean;
        // A month's factor is its count over its expected count: SE about factor / sqrt(count).
        let count = per_week / 7.0 * days[m] * truth;
        let se = truth / count.sqrt();
        assert!(
            (got[m] - truth).abs() < 3.5 * se,
            "month {}: {} against {truth} (SE {se})",
            m + 1,
            got[m]
        );
    }
    // The year's average week: 3000 calls a week times the factors' mean.
    let expected = 3000.0 * mean;
    let se = (expected * 52.0).sqrt() / 52.0;
    assert!(
        (per_week - expected).abs() < 3.5 * se,
        "{per_week} against {expected}"
    );
    // The test can fail: flat factors are far off in July.
    assert!(
        (1.0 - FACTORS[6] / mean).abs() > 10.0 * FACTORS[6] / mean / (per_week / 7.0 * 31.0).sqrt()
    );
    // The report's table and fit.json carry them.
    let fit_json: serde_json::Value =
        serde_json::from_str(&read_text(&dir.path().join("fitted0-fit/fit.json"))).unwrap();
    let months = fit_json["profiles"][0]["seasonal"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    for (m, f) in months.iter().enumerate() {
        assert!((f["factor"].as_f64().unwrap() - got[m]).abs() < 1e-4);
        assert!(f["low"].as_f64().unwrap() < got[m] && got[m] < f["high"].as_f64().unwrap());
    }
    assert!(read_text(&dir.path().join("fitted0-fit/report.html")).contains("Seasonal factors"));
    // Half a year of the same log: no factors (the rate is the period's average).
    let doc = fit(
        dir.path(),
        &records,
        &["--from", "2009-03-01", "--to", "2009-08-31"],
    );
    assert!(doc["demand"]["emergency"].get("seasonal").is_none());
}
