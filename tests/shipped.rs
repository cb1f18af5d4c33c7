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
    let tmp = tempfile::tempdir().unwrap();
    for path in scenarios {
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace('.', "_");
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
            .arg(&path)
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
