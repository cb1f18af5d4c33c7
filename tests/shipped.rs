//! Every shipped scenario, run through the command line on its own horizon with two
//! replications and its own seed, gives exactly the summary.json and scorecard.csv stored under
//! tests/snapshots/ (insta). A change that moves any shipped figure, or any byte of those two
//! files, fails here; when the move is intended, review it with `cargo insta review` (or rerun
//! with `INSTA_UPDATE=always`) and say why in the commit.

use crate::common;

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

/// Compatibility: the shipped scenarios as they were before the escalation policies (overtime
/// call-in, overflow, mutual aid, deferral) and their pay rates, kept under
/// tests/fixtures/before-escalation/, give their stored summary and scorecard. The random
/// numbers changed once since those files were shipped (each call's attributes are now drawn
/// from keys of their own, per call), so the figures these snapshots hold are the
/// pre-escalation files' under today's random numbers, not the ones published then.
#[test]
fn scenarios_from_before_escalation_give_their_stored_figures() {
    check(&before_escalation(), "before_escalation_");
}

/// With every escalation policy off, nothing a scenario from before the policies measured
/// moves: each fixture under tests/fixtures/before-escalation/ and today's shipped file of the
/// same name (its pay rates added, no policy), run on the same seed, give every row the fixture
/// gives (every table: overall, hourly, by ward, neighbourhood) with the same bytes, and the
/// same bits in each replication; and so does the shipped file with every policy section
/// appended and switched off (`enabled = false`) or set never to fire (overflow after a wait no
/// call reaches); and so does the shipped file with every policy on but set never to fire
/// (levels no queue passes, aid later than the run's end). The shipped runs may have rows the fixture lacks (staffing cost). As above,
/// "pre-existing figures" are the pre-escalation files' under today's random numbers (keyed
/// per-call draws).
#[test]
fn with_every_policy_off_the_scenarios_from_before_escalation_give_every_figure_bit_for_bit() {
    for fixture in before_escalation() {
        let name = fixture.file_name().unwrap().to_str().unwrap().to_owned();
        let before = run_two(pledgesim::Scenario::load(&fixture).unwrap());
        let shipped = common::shipped(&name);
        let text = common::read_text(&shipped);
        let source = pledgesim::scenario::Source {
            label: name.clone(),
            dir: shipped.parent().map(Path::to_path_buf),
            format: pledgesim::scenario::Format::Toml,
        };
        let (off, idle) = (every_policy_off(&text), every_policy_idle(&text));
        for (what, text) in [
            ("shipped", &text),
            ("shipped, every policy off", &off),
            ("shipped, every policy on but never used", &idle),
        ] {
            let sc = pledgesim::Scenario::parse(text, &source).unwrap();
            if std::ptr::eq(text, &idle) {
                let r = sc.response.as_ref().unwrap();
                assert!(sc.overtime.is_some() && sc.overflow.is_some());
                assert!(r.overtime.is_some() && r.mutual_aid.is_some() && r.deferral.is_some());
                assert!(
                    sc.workgroups
                        .iter()
                        .all(|g| g.name != "crime" || g.overtime.is_some())
                );
            }
            let after = run_two(sc);
            let missing = same_rows(&before, &after);
            assert!(
                missing.is_empty(),
                "{name} ({what}): {} figures differ from the fixture's or are missing, first {:?}",
                missing.len(),
                missing.first()
            );
        }
    }
}

/// As [`every_policy_off`], with every policy switched on but set never to fire: call-in levels
/// no queue or backlog passes, no deferral short of a million incidents waiting, aid a year
/// after an incident's creation.
fn every_policy_idle(text: &str) -> String {
    let idle = every_policy_off(text)
        .replace("enabled = false\nlevel = 1\n", "level = 1000000\n")
        .replace("enabled = false, level = 1,", "level = 1000000,")
        .replace("enabled = false\nafter = \"10min\"", "after = \"52w\"")
        .replace(
            "enabled = false\nwaiting_at_least = 1\n",
            "waiting_at_least = 1000000\n",
        );
    assert!(!idle.contains("enabled = false"), "{idle}");
    idle
}

/// The fixtures from before the escalation policies.
fn before_escalation() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/before-escalation");
    ["default.toml", "county-district.toml"]
        .iter()
        .map(|n| dir.join(n))
        .collect()
}

/// Scenario text `text` with every escalation policy section appended, off (or never firing),
/// and the crime desk's call-in (where it has one) in its workgroup entry.
fn every_policy_off(text: &str) -> String {
    let mut s = String::from(
        r#"
[contact_centre.overtime]
enabled = false
level = 1
for = "5min"
delay = "30min"
length = "4h"
staff = 2

[contact_centre.overflow]
after = "8w"          # no 999 call waits this long: never fires
partner_answer = { kind = "deterministic", value = "5s" }

[response.overtime]
enabled = false
level = 1
for = "5min"
delay = "30min"
length = "4h"
units = 2

[response.mutual_aid]
enabled = false
after = "10min"
delay = "5min"
travel = { kind = "deterministic", value = "10min" }

[response.deferral]
enabled = false
waiting_at_least = 1
grades = ["S", "E"]
"#,
    );
    s.push('\n');
    // A workgroup's call-in sits in its entry: the crime desk's, where there is one.
    let (from, entry) = (
        "name = \"crime\"\n",
        "overtime = { enabled = false, level = 1, for = \"1h\", delay = \"1h\", length = \"4h\", staff = 1 }\n",
    );
    if text.contains(from) {
        return format!("{}{s}", text.replace(from, &format!("{from}{entry}")));
    }
    format!("{text}{s}")
}

/// Runs `sc` with two replications (its own seed).
fn run_two(mut sc: pledgesim::Scenario) -> pledgesim::experiment::RunOutcome {
    sc.run.replications = 2;
    common::simulate(&sc)
}

/// The rows of `before` that `after` lacks or gives differently: every table's rows as JSON
/// by key, and each overall figure's bits in every replication.
fn same_rows(
    before: &pledgesim::experiment::RunOutcome,
    after: &pledgesim::experiment::RunOutcome,
) -> Vec<String> {
    use std::collections::BTreeMap;
    fn rows(out: &pledgesim::experiment::RunOutcome) -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        for (table, rows) in [
            ("overall", &out.overall),
            ("hourly", &out.hourly),
            ("wards", &out.wards),
            ("hood", &out.hood),
        ] {
            for r in rows {
                let key = format!("{table} {}", serde_json::to_string(&r.key).unwrap());
                m.insert(key, serde_json::to_string(r).unwrap());
            }
        }
        for (i, r) in out.overall.iter().enumerate() {
            let bits: Vec<u64> = out.reps.iter().map(|x| x.values[i].to_bits()).collect();
            m.insert(
                format!("bits {}", serde_json::to_string(&r.key).unwrap()),
                format!("{bits:?}"),
            );
        }
        m
    }
    let (b, a) = (rows(before), rows(after));
    assert!(b.len() > 100, "only {} rows", b.len());
    b.iter()
        .filter(|(k, v)| a.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect()
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
