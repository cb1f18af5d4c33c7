//! Paired comparisons under common random numbers: identical scenarios differ by exactly zero;
//! an added handler is never worse on T1 where it cannot be; the command writes its folder and
//! refuses bad input with exit code 2.

use crate::common;

use common::{default_shortened, figure, parse, pledgesim, position};
use pledgesim::experiment::RunOptions;
use pledgesim::experiment::compare::{self, Better};

const FCFS: &str = r#"
name = "fcfs"
[run]
horizon = "1w"
warm_up = "4h"
replications = 12
seed = 77
[demand.emergency]
calls_per_week = 6720
handling = { kind = "lognormal", mean = "4min", sd = "3min" }
[contact_centre]
discipline = "fcfs"
[roster.handlers]
constant = HANDLERS
"#;

fn fcfs(handlers: u32) -> pledgesim::Scenario {
    parse(&FCFS.replace("HANDLERS", &handlers.to_string()))
}

#[test]
fn identical_scenarios_differ_by_exactly_zero() {
    let text = std::fs::read_to_string("scenarios/default.toml").unwrap();
    let mut scs = vec![parse(&text), parse(&text)];
    scs[0].run.replications = 4;
    scs[0].run.horizon = pledgesim::time::Duration(7 * pledgesim::time::DAY);
    scs[1].run.horizon = scs[0].run.horizon;
    let (_, comparisons) = compare::compare(&mut scs, &RunOptions::default());
    let rows = &comparisons[0].rows;
    assert!(rows.len() > 50, "{} rows", rows.len());
    for r in rows {
        let d = &r.difference;
        if d.n == 0 {
            assert_eq!(r.verdict, "no paired values");
            continue;
        }
        assert_eq!(d.mean, 0.0, "{:?}", r.key);
        assert_eq!(d.sd, 0.0, "{:?}", r.key);
        assert_eq!(r.verdict, "identical", "{:?}", r.key);
        if r.better.is_some() {
            assert_eq!(r.share_reps_better, Some(0.0));
            assert_eq!(r.share_reps_worse, Some(0.0));
        }
    }
}

/// One channel, first come first served, no abandonment, constant staffing: under common
/// random numbers (the same arrivals and handling times) each caller's wait cannot grow when a
/// handler is added, so no replication is worse on T1.
#[test]
fn an_added_handler_is_never_worse_where_it_cannot_be() {
    let mut scs = vec![fcfs(5), fcfs(6)];
    let (outcomes, comparisons) = compare::compare(&mut scs, &RunOptions::default());
    let rows = &comparisons[0].rows;
    let row = |stat: &str| figure(rows, "T1", "*", stat);
    for stat in ["share_within", "mean_answer_s", "mean_wait_all_s"] {
        let r = row(stat);
        assert_eq!(r.share_reps_worse, Some(0.0), "{stat}: {r:?}");
        assert_eq!(r.verdict, "better", "{stat}: {r:?}");
    }
    assert_eq!(row("share_within").better, Some(Better::Higher));
    assert_eq!(row("mean_answer_s").better, Some(Better::Lower));
    // Replication by replication, as the rows summarise.
    let i = position(&outcomes[0].overall, "T1", "*", "share_within");
    for (a, b) in outcomes[0].reps.iter().zip(&outcomes[1].reps) {
        assert!(
            b.values[i] >= a.values[i],
            "{} < {}",
            b.values[i],
            a.values[i]
        );
    }
    // The paired interval is narrower than independent runs would give.
    let r = row("share_within");
    let paired = r.difference.ci_high - r.difference.ci_low;
    let independent = r.independent_ci.1 - r.independent_ci.0;
    assert!(paired < independent, "{paired} vs {independent}");
    // With the handler removed the same comparison says worse.
    let mut scs = vec![fcfs(6), fcfs(5)];
    let (_, comparisons) = compare::compare(&mut scs, &RunOptions::default());
    let r = figure(&comparisons[0].rows, "T1", "*", "share_within");
    assert_eq!(r.verdict, "worse");
    assert_eq!(r.share_reps_better, Some(0.0));
}

/// Later scenarios run on the baseline's seed and replications, whatever their own say.
#[test]
fn every_scenario_runs_on_the_baselines_seed() {
    let mut b = fcfs(5);
    b.run.seed = 999;
    b.run.replications = 3;
    let mut scs = vec![fcfs(5), b];
    let (_, comparisons) = compare::compare(&mut scs, &RunOptions::default());
    assert_eq!(scs[1].run.seed, 77);
    assert_eq!(scs[1].run.replications, 12);
    assert!(
        comparisons[0]
            .rows
            .iter()
            .all(|r| r.verdict == "identical" || r.verdict == "no paired values")
    );
}

#[test]
fn the_command_writes_its_folder_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
    std::fs::write(&a, FCFS.replace("HANDLERS", "5")).unwrap();
    std::fs::write(
        &b,
        FCFS.replace("HANDLERS", "6")
            .replace("\"fcfs\"\n[run]", "\"fcfs-6\"\n[run]"),
    )
    .unwrap();
    let out = dir.path().join("cmp");
    let compare = |extra: &[&str]| {
        pledgesim()
            .args(["compare", "--quiet", "-r", "4"])
            .args(extra)
            .arg(&a)
            .arg(&b)
            .arg("--out")
            .arg(&out)
            .assert()
            .success()
    };
    let assert = compare(&[]);
    let stdout = common::stdout(&assert);
    assert!(
        stdout.contains("paired 95% CI") && stdout.contains("better"),
        "{stdout}"
    );
    for f in ["manifest.json", "compare.csv", "compare.json"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let csv = std::fs::read_to_string(out.join("compare.csv")).unwrap();
    assert!(csv.starts_with("baseline,scenario,kpi"), "{csv}");
    // A second run replaces the folder: same bytes.
    compare(&["-j", "1"]);
    assert_eq!(
        std::fs::read_to_string(out.join("compare.csv")).unwrap(),
        csv
    );

    // Bad input: every file's errors, exit code 2, no folder.
    std::fs::write(&b, "[run]\nreplications = 0\n").unwrap();
    let out2 = dir.path().join("cmp2");
    let assert = pledgesim()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .arg(dir.path().join("missing.toml"))
        .arg("--out")
        .arg(&out2)
        .assert()
        .code(2);
    let stderr = common::stderr(&assert);
    assert!(stderr.contains("b.toml"), "{stderr}");
    assert!(!out2.exists());
    // One scenario is not a comparison.
    pledgesim().arg("compare").arg(&a).assert().code(2);
}

/// Issue: the compare report did not say what differs between the options, labelled rows "T3
/// I", and compared two files of the same name as "X vs X" without a word. Now its first page
/// names each changed field with both values, its rows name the pledge in words with the share
/// it asks, and two scenarios of one name are warned of.
#[test]
fn the_compare_report_names_what_differs_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = dir.path().join("cmp");
    pledgesim()
        .args(["compare", "--quiet", "-r", "2"])
        .arg(root.join("scenarios/small.toml"))
        .arg(root.join("scenarios/small-15.toml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    common::report(&out);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let first = html
        .find("What the options change")
        .expect("a first page in words");
    assert!(first < html.find("small-15 against small").unwrap());
    assert!(
        html.contains("<tr><td>handlers.constant</td><td>14</td><td>15</td></tr>"),
        "the changed field and both values"
    );
    assert!(html.contains("999 calls answered within 10s (T1)"));
    assert!(!html.contains("<td>T1 999</td>"));
    assert!(html.contains("the pledge asks"));
    assert!(html.contains("scenario hash"));
    // Two files of one name: a warning.
    let copy = dir.path().join("copy.toml");
    std::fs::copy(root.join("scenarios/small.toml"), &copy).unwrap();
    let a = pledgesim()
        .args(["compare", "--quiet", "-r", "2"])
        .arg(root.join("scenarios/small.toml"))
        .arg(&copy)
        .arg("--out")
        .arg(dir.path().join("same"))
        .assert()
        .success();
    assert!(
        common::stderr(&a).contains("are both named \"small\""),
        "{}",
        common::stderr(&a)
    );
}

const ESCALATION: &str = r#"[response.mutual_aid]
after = "8min"
delay = "1min"
travel = { kind = "lognormal", mean = "4min", sd = "1min" }
cost_per_hour = 80.0
[response.deferral]
waiting_at_least = 1
grades = ["S"]
"#;

/// `compare F --without-escalation` puts F with its policies off first: that baseline gives
/// bit for bit the figures of F written without them, the escalation rows F alone has are
/// compared with 0 (what the rescue cost), and the targets are paired on the same seeds. A
/// scenario with no policy on is refused (exit 2), naming the flag.
#[test]
fn with_and_without_escalation_in_one_compare() {
    let with = parse(&default_shortened(ESCALATION));
    let off = compare::without_escalation(&with).expect("policies on");
    assert_eq!(off.name, format!("{}-without-escalation", with.name));
    let plain = common::simulate(&parse(&default_shortened("")));
    let stripped = common::simulate(&off);
    let bits = |o: &pledgesim::experiment::RunOutcome| -> Vec<Vec<u64>> {
        o.reps
            .iter()
            .map(|r| r.values.iter().map(|v| v.to_bits()).collect())
            .collect()
    };
    assert_eq!(bits(&stripped), bits(&plain));
    assert!(compare::without_escalation(&off).is_none());

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("busy.toml");
    std::fs::write(&file, default_shortened(ESCALATION)).unwrap();
    let out = dir.path().join("cmp");
    pledgesim()
        .args(["compare", "--quiet", "--without-escalation"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.join("compare.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let find = |kpi: &str, scope_value: &str, stat: &str| {
        rows.iter()
            .find(|r| &r[2] == kpi && &r[4] == scope_value && &r[6] == stat && &r[5] != "incident")
            .unwrap_or_else(|| panic!("no {kpi} {scope_value} {stat} in {csv}"))
    };
    let num = |r: &csv::StringRecord, i: usize| r[i].parse::<f64>().unwrap();
    assert_eq!(&rows[0][0], off.name.as_str());
    assert_eq!(&rows[0][1], with.name.as_str());
    for (kpi, scope, stat) in [
        ("mutual_aid", "all", "hours_per_week"),
        ("mutual_aid", "all", "cost_per_week"),
        ("deferral", "S", "share_deferred"),
    ] {
        let r = find(kpi, scope, stat);
        assert_eq!(num(r, 8), 0.0, "{kpi} {stat} without escalation");
        assert!(num(r, 9) > 0.0, "{kpi} {stat} with escalation");
        assert_eq!(
            num(r, 10),
            num(r, 9),
            "{kpi} {stat}: the difference is the cost"
        );
    }
    // T3 on the same seeds, the difference paired replication by replication.
    let mut scs = vec![off.clone(), with.clone()];
    let (outcomes, _) = compare::compare(&mut scs, &RunOptions::default());
    let t3 = find("T3", "I", "share_within");
    let i = position(&outcomes[0].overall, "T3", "I@call", "share_within");
    let d: f64 = outcomes[0]
        .reps
        .iter()
        .zip(&outcomes[1].reps)
        .map(|(a, b)| b.values[i] - a.values[i])
        .sum::<f64>()
        / 4.0;
    assert!((num(t3, 10) - d).abs() < 1e-9, "{} against {d}", &t3[10]);
    assert!(d > 0.0, "escalation raises T3 on the same calls: {d}");

    // A scenario with no policy on has nothing to switch off.
    std::fs::write(&file, default_shortened("")).unwrap();
    let assert = pledgesim()
        .args(["compare", "--quiet", "--without-escalation"])
        .arg(&file)
        .arg("--out")
        .arg(dir.path().join("cmp2"))
        .assert()
        .code(2);
    let stderr = common::stderr(&assert);
    assert!(stderr.contains("--without-escalation"), "{stderr}");
    assert!(!dir.path().join("cmp2").exists());
}
