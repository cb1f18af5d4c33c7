//! Every shipped scenario, run through the command line on its own horizon with two
//! replications and its own seed, gives exactly the summary.json and scorecard.csv stored under
//! tests/snapshots/ (insta). A change that moves any shipped figure, or any byte of those two
//! files, fails here; when the move is intended, review it with `cargo insta review` (or rerun
//! with `INSTA_UPDATE=always`) and say why in the commit.

mod common;

use std::path::Path;

/// The shipped scenarios: every .toml and .json file in scenarios/ (not sweeps/).
fn shipped() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("toml" | "json")
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_shipped_scenario_gives_its_stored_summary_and_scorecard() {
    let scenarios = shipped();
    assert!(
        scenarios.len() >= 8,
        "only {} scenarios found",
        scenarios.len()
    );
    check(&scenarios, "");
}

/// Compatibility: the shipped scenarios as they were before the control room's features (CAD
/// delays, dispatchers, random travel, redials, silent calls), kept under tests/fixtures/, give
/// the figures they gave then, bit for bit: every new feature is off unless a scenario sets it.
/// (Their snapshots differ from the ones made before those features only by the rows added
/// since: the lead-in, `mean_lead_in_s`.)
#[test]
fn scenarios_from_before_the_control_room_give_their_figures_bit_for_bit() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/before-control-room");
    let scenarios: Vec<_> = ["default.toml", "county-district.toml"]
        .iter()
        .map(|n| dir.join(n))
        .collect();
    check(&scenarios, "before_control_room_");
}

/// Runs each scenario with two replications and compares its summary.json and scorecard.csv
/// with the snapshots named `{prefix}{file name}_summary` and `_scorecard`.
fn check(scenarios: &[std::path::PathBuf], prefix: &str) {
    let tmp = tempfile::tempdir().unwrap();
    for path in scenarios {
        let name = format!(
            "{prefix}{}",
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .replace('.', "_")
        );
        let out = tmp.path().join(&name);
        common::pledgesim()
            .args([
                "run",
                "--replications",
                "2",
                "--threads",
                "2",
                "--quiet",
                "--out",
            ])
            .arg(&out)
            .arg(path)
            .assert()
            .success();
        // summary.json holds no timing (the manifest does); nothing needs redacting.
        let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
        assert!(
            !summary.contains("wall_seconds"),
            "{name}: timing in summary.json"
        );
        insta::assert_snapshot!(format!("{name}_summary"), summary);
        let scorecard = std::fs::read_to_string(out.join("scorecard.csv")).unwrap();
        insta::assert_snapshot!(format!("{name}_scorecard"), scorecard);
    }
}
