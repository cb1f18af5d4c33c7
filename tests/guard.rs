//! Nothing lost, nothing wrong, nothing let in: one writer per output folder, every duration
//! through the same checked conversion, a guard against unbounded queues, no write through a
//! link, leftovers cleaned, and what a spreadsheet would run neutralised. Each test fails
//! without the fix it guards.

use crate::common;

use common::{pledgesim, shipped, small_sweep, stderr, write};
use pledgesim::output::lock::lock;
use std::path::Path;

/// Asserts a refusal: exit code 2, the message on stderr, and `out` not written.
fn refused(a: assert_cmd::assert::Assert, out: &Path, words: &str) {
    let a = a.code(2);
    let err = stderr(&a);
    assert!(
        err.lines()
            .any(|l| l.starts_with("error: ") && l.contains(words)),
        "stderr: {err}"
    );
    assert!(
        !out.join("manifest.json").exists(),
        "{} was written",
        out.display()
    );
}

#[test]
fn a_second_writer_of_an_output_folder_is_refused_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let small = shipped("small.toml");
    let busy = "is being written by another pledgesim command";

    // run, compare, staff, sweep, merge: a folder another command holds is refused.
    let out = dir.path().join("out");
    let held = lock(&out, "--out").unwrap();
    let run = pledgesim()
        .arg("run")
        .arg(&small)
        .args(["-r", "1", "--quiet", "--out"])
        .arg(&out)
        .assert();
    refused(run, &out, busy);
    let compare = pledgesim()
        .arg("compare")
        .arg(&small)
        .arg(shipped("small-15.toml"))
        .args(["-r", "1", "--quiet", "--out"])
        .arg(&out)
        .assert();
    refused(compare, &out, busy);
    // staff needs 2 replications (refused before the folder is looked at with fewer).
    let staff = pledgesim()
        .arg("staff")
        .arg(&small)
        .args(["-r", "2", "--quiet", "--out"])
        .arg(&out)
        .assert();
    refused(staff, &out, busy);
    let file = small_sweep(
        dir.path(),
        "sweep.toml",
        "replications = 1\n[grid]\n\"roster.handlers.constant\" = [14]\n",
    );
    refused(common::sweep(&file, &out, &[]), &out, busy);
    refused(common::sweep(&file, &out, &["--resume"]), &out, busy);
    let merge = pledgesim()
        .args(["merge", "--out"])
        .arg(&out)
        .arg(dir.path().join("shard"))
        .assert();
    refused(merge, &out, busy);
    drop(held);

    // Released (as it is when a command ends, however it ends): the folder is written.
    common::sweep(&file, &out, &[]).success();
    // report: another command writing the folder it would write into.
    let held = lock(&out, "DIR").unwrap();
    let report = pledgesim().arg("report").arg(&out).arg("--no-pdf").assert();
    let a = report.code(2);
    assert!(stderr(&a).contains(busy), "{}", stderr(&a));
    assert!(!out.join("report.html").exists());
    drop(held);
    common::report(&out);
}

/// The small scenario with its 999 handling times read from `big.csv` (bare numbers in hours).
fn small_with_handling_file() -> String {
    common::read_text(&shipped("small.toml")).replace(
        "handling = { kind = \"lognormal\", mean = \"4min\", sd = \"3min\" }  # assumption (calibration A6: not published)",
        "handling = { kind = \"empirical\", file = \"big.csv\", unit = \"h\" }",
    )
}

#[test]
fn a_duration_from_a_csv_file_passes_the_same_cap_as_one_in_the_scenario() {
    let text = small_with_handling_file();
    assert!(text.contains("big.csv"));
    for (value, says) in [
        ("1e300", "is longer than 100 years"),
        ("876600.01", "is longer than 100 years"),
        ("inf", "is not finite"),
        ("-1", "is negative"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let csv = write(dir.path(), "big.csv", format!("hours\n0.1\n{value}\n"));
        let file = write(dir.path(), "s.toml", &text);
        let out = dir.path().join("out");
        let a = pledgesim().arg("validate").arg(&file).assert().code(2);
        let err = stderr(&a);
        // The CSV file and its line (the value's row is line 3), not the scenario's.
        let at = format!("{}:3:1: field `hours`: \"{value}\" {says}", csv.display());
        assert!(err.contains(&at), "{value}: no {at} in: {err}");
        refused(
            common::run_command(&file, &out)
                .args(["-r", "1", "--quiet"])
                .assert(),
            &out,
            says,
        );
    }
    // The longest allowed (100 years) is accepted.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "big.csv", "hours\n0.1\n876600\n");
    let file = write(dir.path(), "s.toml", &text);
    pledgesim().arg("validate").arg(&file).assert().success();
}

/// The small scenario flooded: 10 million non-emergency calls a week, one handler, callers who
/// never give up.
fn flooded() -> String {
    let text = common::read_text(&shipped("small.toml"))
        .replace("calls_per_week = 21840", "calls_per_week = 10000000")
        .replace("constant = 14", "constant = 1");
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("patience"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(text.contains("10000000") && !text.contains("patience ="));
    text
}

#[test]
fn an_overloaded_queue_stops_the_run_before_it_fills_the_memory() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "flood.toml", flooded());
    // Valid (with a warning): the overload is found when it runs.
    pledgesim().arg("validate").arg(&file).assert().success();
    let out = dir.path().join("out");
    // Refused before it runs (callers who never hang up, overloaded): insisted on, it runs
    // into the guard.
    let a = common::run_command(&file, &out)
        .args(["-r", "2", "--quiet"])
        .assert();
    refused(a, &out, "call handlers are overloaded");
    let a = common::run_command(&file, &out)
        .args(["-r", "2", "--quiet", "--allow-overload"])
        .assert();
    refused(
        a,
        &out,
        "calls waiting for a call handler (at most 1000000 allowed)",
    );
    assert!(!out.exists(), "nothing is written");

    // In the library: the replication stops with the reason, just past the cap.
    let sc = pledgesim::scenario::Scenario::load(&file).unwrap();
    let res = pledgesim::experiment::run_replication(&sc, 0);
    let why = res.overload.expect("stopped by the guard");
    assert!(why.starts_with("replication 0 stopped after"), "{why}");
    assert!(
        res.calls <= 1_100_000,
        "ran on after the cap: {} calls",
        res.calls
    );
}

/// The small scenario with `constant` handlers, with or without callers who hang up.
fn small_with(constant: u32, patience: bool) -> String {
    common::read_text(&shipped("small.toml"))
        .replace("constant = 14", &format!("constant = {constant}"))
        .lines()
        .filter(|l| patience || !l.starts_with("patience"))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn an_overload_with_callers_who_never_hang_up_is_refused_unless_insisted_on() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // 1792 handler-hours a week of calls for 10 x 168 = 1680 on duty, nobody hangs up.
    let over = write(dir.path(), "over.toml", small_with(10, false));
    let words = "call handlers are overloaded: the calls offered need 1792 handler-hours a week and 1680 are on duty";
    let a = common::run_command(&over, &out)
        .args(["-r", "1", "--quiet"])
        .assert();
    let err = stderr(&a);
    assert!(
        err.contains(&format!(
            "error: {}: field `roster.handlers`: {words}",
            over.display()
        )),
        "{err}"
    );
    refused(a, &out, "--allow-overload");
    // validate only warns: the scenario is valid.
    let a = pledgesim().arg("validate").arg(&over).assert().success();
    assert!(
        stderr(&a).contains(
            "note: run, compare and sweep refuse this scenario unless given --allow-overload"
        ),
        "{}",
        stderr(&a)
    );
    // compare names the overloaded file.
    let fine = write(dir.path(), "fine.toml", small_with(14, false));
    let a = pledgesim()
        .arg("compare")
        .arg(&fine)
        .arg(&over)
        .args(["-r", "1", "--quiet", "--out"])
        .arg(&out)
        .assert();
    refused(a, &out, words);
    // sweep names the overloaded points before any runs.
    let sweep = write(
        dir.path(),
        "sweep.toml",
        "base = \"over.toml\"\nreplications = 1\n[grid]\n\"roster.handlers.constant\" = [14, 10, 9]\n",
    );
    let a = common::sweep(&sweep, &out, &[]);
    let err = stderr(&a.code(2));
    assert!(
        err.contains("(sweep point 1: roster.handlers.constant = 10)")
            && err.contains("(sweep point 2: roster.handlers.constant = 9)")
            && !err.contains("sweep point 0"),
        "{err}"
    );
    assert!(!out.exists());
    // Insisted on, each runs.
    common::run_command(&over, &out)
        .args(["-r", "1", "--quiet", "--allow-overload"])
        .assert()
        .success();
    common::sweep(&sweep, &dir.path().join("sw"), &["--allow-overload"]).success();
    // The same load with callers who hang up is stable (Erlang A): never refused.
    let patient = write(dir.path(), "patient.toml", small_with(10, true));
    common::run_command(&patient, &dir.path().join("p"))
        .args(["-r", "1", "--quiet"])
        .assert()
        .success();
}

#[test]
fn confine_refuses_files_outside_the_scenarios_folder() {
    let top = tempfile::tempdir().unwrap();
    let dir = top.path().join("upload");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    write(top.path(), "secret.csv", "hours\n0.1\n");
    write(&dir, "big.csv", "hours\n0.1\n");
    let text = small_with_handling_file();
    let out = dir.join("out");
    let mut cases = vec![
        ("\"../secret.csv\"", "leads outside that folder"),
        ("\"sub/../../secret.csv\"", "leads outside that folder"),
    ];
    let abs = top.path().join("secret.csv").display().to_string();
    let abs_toml = format!("{abs:?}");
    cases.push((&abs_toml, "is an absolute path"));
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(top.path().join("secret.csv"), dir.join("link.csv")).unwrap();
        cases.push(("\"link.csv\"", "leads outside that folder (through a link)"));
    }
    for (name, why) in &cases {
        let file = write(&dir, "s.toml", text.replace("\"big.csv\"", name));
        // Without --confine the file is read as before.
        pledgesim().arg("validate").arg(&file).assert().success();
        // Named at the scenario's line and column.
        let at = format!(
            ": field `demand.emergency.handling.file`: --confine: {} {why}",
            name.replace('\\', "\\\\")
        );
        for cmd in [
            &["validate"][..],
            &["run", "-r", "1", "--quiet", "--out"],
            &["staff", "-r", "2", "--quiet", "--out"],
        ] {
            let mut c = pledgesim();
            c.arg(cmd[0]).arg(&file).args(&cmd[1..]);
            if cmd.len() > 1 {
                c.arg(&out);
            }
            let a = c.arg("--confine").assert().code(2);
            let err = stderr(&a);
            assert!(
                err.contains(&at) && err.starts_with(&format!("error: {}:16:", file.display())),
                "{cmd:?} {name}: no {at} in {err}"
            );
        }
        let a = pledgesim()
            .arg("compare")
            .arg(&file)
            .arg(&file)
            .args(["-r", "1", "--quiet", "--confine", "--out"])
            .arg(&out)
            .assert()
            .code(2);
        assert!(stderr(&a).contains(&at), "{}", stderr(&a));
    }
    assert!(!out.exists());
    // A file beside the scenario, or below it, is read.
    std::fs::create_dir(dir.join("data")).unwrap();
    write(&dir.join("data"), "big.csv", "hours\n0.1\n");
    for name in ["big.csv", "./data/big.csv", "data/../big.csv"] {
        let file = write(&dir, "s.toml", text.replace("big.csv", name));
        pledgesim()
            .arg("validate")
            .arg(&file)
            .arg("--confine")
            .assert()
            .success();
    }
    // A sweep's base outside the sweep file's folder is refused; inside, it runs.
    write(
        top.path(),
        "base.toml",
        common::read_text(&shipped("small.toml")),
    );
    let body = "replications = 1\n[grid]\n\"roster.handlers.constant\" = [14]\n";
    let sweep = write(
        &dir,
        "sweep.toml",
        format!("base = \"../base.toml\"\n{body}"),
    );
    common::sweep(&sweep, &out, &[]).success();
    let a = common::sweep(&sweep, &dir.join("out2"), &["--confine"]).code(2);
    assert!(
        stderr(&a).contains("field `base`: --confine: \"../base.toml\" leads outside that folder"),
        "{}",
        stderr(&a)
    );
    write(&dir, "base.toml", common::read_text(&shipped("small.toml")));
    let sweep = write(&dir, "sweep.toml", format!("base = \"base.toml\"\n{body}"));
    common::sweep(&sweep, &dir.join("out3"), &["--confine"]).success();
}

/// A run folder of the small scenario (one replication) in `dir`, with its report.
#[cfg(unix)]
fn reported_run(dir: &Path) -> std::path::PathBuf {
    let out = dir.join("out");
    common::run_command(&shipped("small.toml"), &out)
        .args(["-r", "1", "--quiet"])
        .assert()
        .success();
    common::report(&out);
    out
}

#[cfg(unix)]
#[test]
fn report_never_writes_through_a_link() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let out = reported_run(dir.path());
    // report.html a link to a file elsewhere: refused, and the file is not touched.
    let victim = write(dir.path(), "victim.txt", "keep me");
    std::fs::remove_file(out.join("report.html")).unwrap();
    symlink(&victim, out.join("report.html")).unwrap();
    let a = pledgesim()
        .arg("report")
        .arg(&out)
        .arg("--no-pdf")
        .assert()
        .code(2);
    assert!(stderr(&a).contains("is a link"), "{}", stderr(&a));
    assert_eq!(common::read_text(&victim), "keep me");
    std::fs::remove_file(out.join("report.html")).unwrap();

    // charts a link to another folder: refused, nothing written there.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::remove_dir_all(out.join("charts")).unwrap();
    symlink(&elsewhere, out.join("charts")).unwrap();
    let a = pledgesim()
        .arg("report")
        .arg(&out)
        .arg("--no-pdf")
        .assert()
        .code(2);
    assert!(stderr(&a).contains("is a link"), "{}", stderr(&a));
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);

    // A chart that is a link, in a real charts folder: refused, its target kept.
    std::fs::remove_file(out.join("charts")).unwrap();
    common::report(&out);
    let chart = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "svg"))
        .unwrap();
    std::fs::remove_file(&chart).unwrap();
    symlink(&victim, &chart).unwrap();
    pledgesim()
        .arg("report")
        .arg(&out)
        .arg("--no-pdf")
        .assert()
        .code(2);
    assert_eq!(common::read_text(&victim), "keep me");
}

#[test]
fn what_an_interrupted_command_leaves_is_cleaned_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let small = shipped("small.toml");
    let out = dir.path().join("out");
    let run = || {
        common::run_command(&small, &out)
            .args(["-r", "1", "--quiet"])
            .assert()
            .success();
    };
    run();
    // Ctrl-C while the browser printed; in the write phase of a run; in a report's write.
    write(&out, "report.pdf.tmp", "half a pdf");
    write(&out, ".report.html.tmp-4321", "half a page");
    std::fs::create_dir(dir.path().join(".out.tmp-4321")).unwrap();
    run();
    let names = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(dir.path()), ["out"]);
    assert!(
        names(&out).iter().all(|n| !n.contains("tmp")),
        "{:?}",
        names(&out)
    );

    // Killed between the two renames of a run's swap: the earlier folder waits beside; the
    // next command puts it back rather than leaving neither.
    std::fs::rename(&out, dir.path().join(".out.old-4321")).unwrap();
    common::report(&out);
    assert!(out.join("report.html").is_file());
    assert_eq!(names(dir.path()), ["out"]);

    // A sweep killed between writing its manifest's temporary copy and renaming it resumes.
    let file = small_sweep(
        dir.path(),
        "sweep.toml",
        "replications = 1\n[grid]\n\"roster.handlers.constant\" = [13, 14]\n",
    );
    let swept = dir.path().join("swept");
    common::sweep(&file, &swept, &[]).success();
    let whole = common::read(&swept.join("sweep.csv"));
    write(&swept, "manifest.tmp-4321", "{");
    common::sweep(&file, &swept, &["--resume"]).success();
    common::sweep(&file, &swept, &[]).success();
    assert_eq!(common::read(&swept.join("sweep.csv")), whole);
    assert!(!swept.join("manifest.tmp-4321").exists());
}

#[test]
fn weights_whose_sum_would_overflow_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut hourly = vec!["1"; 24];
    hourly[0] = "1e308";
    hourly[1] = "1e308";
    let text = common::read_text(&shipped("small.toml")).replace(
        "calls_per_week = 5040 ",
        &format!("calls_per_week = 5040\nhourly = [{}] ", hourly.join(", ")),
    );
    let file = write(dir.path(), "s.toml", &text);
    let a = pledgesim().arg("validate").arg(&file).assert().code(2);
    let err = stderr(&a);
    assert!(
        err.contains("field `demand.emergency.hourly[0]`: a weight must be a number from 0 to 1e12 (got 1e308)"),
        "{err}"
    );
    // The same in a profile file.
    let mut rows = String::from("weight\n1e308\n1e308\n");
    for _ in 2..168 {
        rows.push_str("1\n");
    }
    let csv = write(dir.path(), "profile.csv", rows);
    let text = common::read_text(&shipped("small.toml")).replace(
        "calls_per_week = 5040 ",
        "calls_per_week = 5040\nprofile_file = \"profile.csv\" ",
    );
    let file = write(dir.path(), "p.toml", &text);
    let a = pledgesim().arg("validate").arg(&file).assert().code(2);
    let err = stderr(&a);
    let at = format!(
        "{}:2:1: field `weight`: \"1e308\" is not a number from 0 to 1e12",
        csv.display()
    );
    assert!(err.contains(&at), "{err}");
}

#[test]
fn ward_names_a_spreadsheet_would_run_are_neutralised_in_every_csv() {
    let dir = tempfile::tempdir().unwrap();
    let wards = common::read_text(&shipped("county-district-wards.csv"))
        .replace(
            "Town Centre,",
            "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",",
        )
        .replace("Abbey Fields,", "@SUM(A1),")
        .replace("Castle Hill,", "-Castle Hill,");
    write(dir.path(), "county-district-wards.csv", wards);
    let text = common::read_text(&shipped("county-district.toml"))
        .replace("horizon = \"123d\"", "horizon = \"3d\"")
        .replace("warm_up = \"92d\"", "warm_up = \"1d\"")
        .replace("\"Town Centre\"", r#""=HYPERLINK(\"http://x\",\"y\")""#)
        .replace("\"Abbey Fields\"", "\"@SUM(A1)\"")
        .replace("\"Castle Hill\"", "\"-Castle Hill\"");
    let file = write(dir.path(), "county-district.toml", text);
    let out = dir.path().join("out");
    common::run_command(&file, &out)
        .args(["-r", "1", "--quiet"])
        .assert()
        .success();
    for name in ["wards.csv", "neighbourhood.csv"] {
        let csv = common::read_text(&out.join(name));
        let mut cells = csv::Reader::from_reader(csv.as_bytes());
        let mut seen = 0;
        for r in cells.records() {
            for c in r.unwrap().iter() {
                assert!(
                    !c.starts_with(['=', '+', '@', '\t', '\r'])
                        && (!c.starts_with('-') || c.parse::<f64>().is_ok()),
                    "{name}: a cell a spreadsheet would run: {c:?}"
                );
                seen += usize::from(c == "'=HYPERLINK(\"http://x\",\"y\")" || c == "'@SUM(A1)");
            }
        }
        assert!(seen > 0, "{name}: the wards are not there:\n{csv}");
    }
    // The report reads the folder back.
    common::report(&out);
}

#[test]
fn threads_are_capped_with_a_clean_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for n in ["257", "5000", "18446744073709551616"] {
        let a = common::run_command(&shipped("small.toml"), &out)
            .args(["-r", "1", "--quiet", "--threads", n])
            .assert()
            .code(2);
        let err = stderr(&a);
        assert!(
            err.contains("field `--threads`: must be") && !err.contains("panicked"),
            "{n}: {err}"
        );
        assert!(!out.exists());
    }
    common::run_command(&shipped("small.toml"), &out)
        .args(["-r", "1", "--quiet", "--threads", "256"])
        .assert()
        .success();
}

/// Validates county-district.toml beside its wards file changed by `edit`; returns stderr.
fn county_district_with_wards(edit: impl Fn(String) -> String) -> (String, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let wards = edit(common::read_text(&shipped("county-district-wards.csv")));
    let csv = write(dir.path(), "county-district-wards.csv", wards);
    let file = write(
        dir.path(),
        "county-district.toml",
        common::read_text(&shipped("county-district.toml")),
    );
    let a = pledgesim().arg("validate").arg(&file).assert().code(2);
    let err = stderr(&a);
    (err, csv)
}

#[test]
fn a_wards_file_problem_is_named_at_its_csv_line_and_column_alone() {
    let (err, csv) = county_district_with_wards(|w| {
        w.replace(
            "Castle Hill,urban,2.56,8.2,8.2,town,1.8,2.0",
            "Castle Hill,urban,2.56",
        )
    });
    assert_eq!(
        err.trim_end(),
        format!(
            "error: {}:13:4: the row has 3 cell(s) but the header has 8 (name,type,area_km2,x,y,sector,weight_emergency,weight_non_emergency): every row needs a cell for each column",
            csv.display()
        ),
        "one error, at the CSV line, with no claims that [response] is missing"
    );
    let (err, csv) = county_district_with_wards(|w| {
        w.replace(",town,2.0,2.2", ",nowhere,2.0,2.2")
            .replace("Castle Hill,urban,", "Castle Hill,suburb,")
    });
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            format!(
                "error: {}:12:6: field `sector`: ward \"Abbey Fields\" names an unknown sector \"nowhere\"; the sectors are: town, west, east",
                csv.display()
            ),
            format!(
                "error: {}:13:2: field `type`: unknown ward type \"suburb\"; allowed: urban, rural",
                csv.display()
            ),
        ]
    );
}

#[test]
fn special_huge_and_non_utf8_files_are_refused_without_echoing_them() {
    let dir = tempfile::tempdir().unwrap();
    // A scenario larger than the cap.
    let big = write(
        dir.path(),
        "big.toml",
        format!(
            "{}\n# {}\n",
            common::read_text(&shipped("small.toml")),
            "x".repeat(10_000_001)
        ),
    );
    let a = pledgesim().arg("validate").arg(&big).assert().code(2);
    assert!(
        stderr(&a).contains("bytes allowed for such a file"),
        "{}",
        stderr(&a)
    );
    // A scenario that is not UTF-8: named by line and byte.
    let bad = write(
        dir.path(),
        "bad.toml",
        b"name = \"a\"\ndescription = \"\xff\"\n",
    );
    let a = pledgesim().arg("validate").arg(&bad).assert().code(2);
    assert!(
        stderr(&a).contains("line 2, byte 16 of the line"),
        "{}",
        stderr(&a)
    );
    // A folder given as the scenario.
    let a = pledgesim().arg("validate").arg(dir.path()).assert().code(2);
    assert!(stderr(&a).contains("not a plain file"), "{}", stderr(&a));
    // A side file that is process information: refused, and nothing of it printed.
    #[cfg(target_os = "linux")]
    {
        let text = small_with_handling_file().replace("\"big.csv\"", "\"/proc/self/environ\"");
        let file = write(dir.path(), "proc.toml", text);
        let a = pledgesim()
            .arg("validate")
            .arg(&file)
            .env("PLEDGESIM_SECRET", "do-not-print")
            .assert()
            .code(2);
        let err = stderr(&a);
        assert!(err.contains("system or process information"), "{err}");
        assert!(!err.contains("do-not-print"), "{err}");
    }
}

/// Thousands of problems are reported in linear time: the first 100, each at its line, then
/// how many more there are (as the reference's "every error at once" promises).
#[test]
fn thousands_of_problems_are_counted_after_the_first_hundred() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = common::read_text(&shipped("small.toml"));
    for _ in 0..3000 {
        text.push_str(
            "\n[[roster.handlers.shifts]]\nstart = \"07:00\"\nlength = \"0h\"\ncount = 1\n",
        );
    }
    let file = write(dir.path(), "many.toml", text);
    let a = pledgesim().arg("validate").arg(&file).assert().code(2);
    let err = stderr(&a);
    let zero: Vec<&str> = err.lines().filter(|l| l.contains(".length`")).collect();
    assert_eq!(zero.len(), 100, "the first hundred problems are listed");
    let located = format!("{}:", file.display());
    let with_line = zero
        .iter()
        .filter(|l| {
            l.strip_prefix("error: ")
                .and_then(|l| l.strip_prefix(located.as_str()))
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        })
        .count();
    assert_eq!(with_line, 100, "each with its line");
    assert!(err.contains("and 2900 more"), "{err}");
}

#[test]
fn a_failed_write_is_an_error_line_with_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a-file", "");
    let out = file.join("out");
    let a = common::run_command(&shipped("small.toml"), &out)
        .args(["-r", "1", "--quiet"])
        .assert()
        .code(1);
    let err = stderr(&a);
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains(".tmp-"), "{err}");
}

#[test]
fn no_sampled_duration_is_longer_than_the_longest_allowed() {
    use pledgesim::model::dist::Sampler;
    use pledgesim::scenario::Dist;
    use pledgesim::time::{Duration, MAX_DURATION};
    use rand::SeedableRng;
    // The widest lognormal a scenario may write: its tail reaches far past 100 years, and
    // before the cap a draw could come back as u64::MAX and wrap the clock.
    let d = Dist::Lognormal {
        mean: Duration(MAX_DURATION),
        sd: Duration(MAX_DURATION),
    };
    let s = Sampler::new(&d);
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(24);
    let most = (0..20_000).map(|_| s.sample(&mut rng)).max().unwrap();
    // The tail passes 100 years in 20,000 draws, and is held there.
    assert_eq!(most, MAX_DURATION);
}

/// A long replication reports its progress in simulated time as it goes (for the progress bar),
/// and gives exactly the result it gives without reporting.
#[test]
fn a_long_replication_reports_its_progress_in_simulated_time_with_the_same_result() {
    let text =
        common::read_text(&shipped("small.toml")).replace("horizon = \"1w\"", "horizon = \"8w\"");
    let sc = common::parse(&text);
    let mut seen = Vec::new();
    let reported = pledgesim::experiment::run_replication_reporting(&sc, 3, |now| seen.push(now));
    let plain = pledgesim::experiment::run_replication(&sc, 3);
    assert_eq!(format!("{reported:?}"), format!("{plain:?}"));
    let week = 7 * 86_400_000;
    assert!(seen.len() >= 4, "{} reports", seen.len());
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(
        seen[0] < 2 * week && *seen.last().unwrap() >= 6 * week,
        "{seen:?}"
    );
}
